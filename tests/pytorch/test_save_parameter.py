"""A Parameter saved with save() loads as a Parameter, as torch.load gives it back.

Inside the data a checkpoint holds (dicts, lists, tuples), alone, from ``state_dict(keep_vars=True)``, one that
does not require grad, in float32 and float64, through a path and a file object: the class, requires_grad,
dtype and values, against PyTorch. A plain tensor stays a plain tensor.
"""

import io
import os

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch")


def program(lib, where, folder):
    nn = lib.nn
    w = lib.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=lib.float64)
    layer = nn.Linear(2, 2)
    state = {"alone": nn.Parameter(w.clone()), "frozen": nn.Parameter(w.float(), requires_grad=False),
             "nested": [(nn.Parameter(w[0].clone()), w[1].clone()), {"p": nn.Parameter(w.clone())}],
             "plain": w.clone().requires_grad_(), "keep_vars": layer.state_dict(keep_vars=True)}
    if where == "path":
        path = os.path.join(folder, f"{lib.__name__}.pt")
        lib.save(state, path)
        back = lib.load(path)
    else:
        buffer = io.BytesIO()
        lib.save(state, buffer)
        buffer.seek(0)
        back = lib.load(buffer)
    leaves = {"alone": back["alone"], "frozen": back["frozen"], "nested.0.0": back["nested"][0][0],
              "nested.0.1": back["nested"][0][1], "nested.1.p": back["nested"][1]["p"], "plain": back["plain"],
              "keep_vars.weight": back["keep_vars"]["weight"]}
    return {k: (type(v).__name__, v.requires_grad, str(v.dtype).split(".")[-1],
                None if k.startswith("keep") else v.detach().numpy().tolist()) for k, v in leaves.items()}


@pytest.mark.parametrize("where", ["path", "file object"])
def test_parameters_load_as_parameters(where, tmp_path):
    want, got = program(torch, where, tmp_path), program(minigan, where, tmp_path)
    assert got == want
    np.testing.assert_equal(got["alone"][3], [[1.0, -2.0], [0.5, 3.0]])


def test_loaded_onto_the_device_parameters_stay_leaf_parameters(device, tmp_path):
    """map_location="cuda" (the stand-in where no GPU is) gives what was saved, on the device: a Parameter stays a
    Parameter and a tensor that required grad a leaf that requires grad (as torch.load restores them), not the
    result of a .to() recorded in a graph."""
    w = minigan.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=minigan.float64)
    state = {"p": minigan.nn.Parameter(w.clone()), "frozen": minigan.nn.Parameter(w.clone(), requires_grad=False),
             "t": w.clone().requires_grad_(), "plain": w.clone()}
    minigan.save(state, tmp_path / "state.pt")
    back = minigan.load(tmp_path / "state.pt", map_location="cuda")
    for key, kind, requires_grad in (("p", "Parameter", True), ("frozen", "Parameter", False), ("t", "Tensor", True),
                                     ("plain", "Tensor", False)):
        got = back[key]
        assert (type(got).__name__, got.requires_grad, got.is_leaf, got.device.type) == \
            (kind, requires_grad, True, "cuda"), key
        np.testing.assert_array_equal(got.detach().cpu().numpy(), w.cpu().numpy())
