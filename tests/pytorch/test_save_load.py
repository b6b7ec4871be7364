"""Saving and loading against PyTorch (tests/pytorch/sweep.py):

* ``state_dict()``'s values are Tensors sharing the module's memory and print as PyTorch's (what a tutorial prints:
  the state dict, each key with its size, a value's type name);
* a module's extra state: Module has get_extra_state and set_extra_state, which raise a RuntimeError unless
  overridden; a module that overrides get_extra_state has its value in state_dict under ``<prefix>_extra_state``
  (after its parameters and buffers, before its children's, with keep_vars and a prefix too), and load_state_dict
  hands it to set_extra_state: a missing one is a missing key (strict), one for a module without set_extra_state an
  unexpected key;
* what ``save`` then ``load`` give back keeps the kind of each dict, as torch.load does: a ``state_dict()`` (an
  OrderedDict) comes back an OrderedDict and prints as one; a plain dict stays plain, at any depth, under
  ``map_location`` too;
* a Parameter saved loads as a Parameter (inside dicts, lists and tuples, alone, from ``state_dict(keep_vars=True)``,
  one that does not require grad, float32 and float64, through a path and a file object): its class,
  requires_grad, dtype and values; a plain tensor stays a plain tensor; onto the device, a leaf.

(A whole module saved: tests/pytorch/test_save_whole_module.py, which runs minigan's part without PyTorch too; the
torch-free tests: tests/library/test_state_dict_tensors.py.)
"""

import collections
import io
import os
import tempfile

import numpy as np
from library.helpers_state_dict_tensors import net

import minigan
from pytorch.sweep import sweep


def _state_dict_printed(L):
    """The state dict, each key with its size, a value's type name and requires_grad, printed (weights alike)."""
    m = net(L)
    m.load_state_dict({k: L.tensor(np.random.default_rng(i).normal(size=tuple(v.shape)).astype(
        str(v.dtype).split(".")[-1])) for i, (k, v) in enumerate(m.state_dict().items())})
    sd = m.state_dict()
    return [s.replace(L.__name__, "torch") for s in [str(sd), *(f"{k}\t{v.size()}" for k, v in sd.items()),
                                                     type(sd["0.bias"]).__name__, str(sd["0.weight"].requires_grad)]]


test_state_dict_prints_as_pytorchs = sweep(_state_dict_printed, [()], ids=lambda: "printed")


def _with_extra_state(L):
    class Counter(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = L.nn.Linear(2, 2, dtype=L.float64)
            self.calls = 0

        def get_extra_state(self):
            return {"calls": self.calls}

        def set_extra_state(self, state):
            self.calls = state["calls"]

    class Outer(L.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("seen", L.zeros(1, dtype=L.float64))
            self.inner = Counter()
            self.plain = L.nn.Linear(1, 1, dtype=L.float64)

    return Counter, Outer


def _extra_state(L, case):
    """The state dict's keys and extra state, what a load gives set_extra_state, the missing and unexpected keys."""
    Counter, Outer = _with_extra_state(L)
    if case == "round trip":
        m = Outer()
        m.inner.calls = 7
        sd = m.state_dict()
        fresh = Outer()
        r = fresh.load_state_dict(sd)
        return list(sd), sd["inner._extra_state"], fresh.inner.calls, list(r.missing_keys), list(r.unexpected_keys)
    if case == "keep_vars and a prefix":
        m = Counter()
        m.calls = 2
        sd = m.state_dict(prefix="net.", keep_vars=True)
        return list(sd), sd["net._extra_state"]
    if case in ("get_extra_state", "set_extra_state"):  # (the base class's: refused)
        m = L.nn.Linear(2, 2)
        return "_extra_state" in "".join(m.state_dict()), getattr(m, case)(*[{}][:case == "set_extra_state"])
    sd = Outer().state_dict()
    if "missing" in case:
        del sd["inner._extra_state"]
    else:
        sd["plain._extra_state"] = 3
    r = Outer().load_state_dict(sd, strict=case.endswith("(strict)"))
    return sorted(r.missing_keys), sorted(r.unexpected_keys)


test_extra_state_as_pytorchs = sweep(_extra_state, [
    "round trip", "keep_vars and a prefix", "get_extra_state", "set_extra_state", "missing (strict)", "missing",
    "unexpected (strict)", "unexpected"])

OBJECTS = {
    "state_dict": lambda L: L.nn.Linear(2, 1).state_dict(),
    "ordered": lambda L: collections.OrderedDict([("b", 1), ("a", L.ones(2))]),
    "nested": lambda L: {"model": L.nn.Sequential(L.nn.Linear(2, 2)).state_dict(), "epoch": 3,
                         "inner": collections.OrderedDict([("x", {"y": collections.OrderedDict()})])},
    "in_list": lambda L: [collections.OrderedDict([("k", 1.5)]), {"plain": (1, 2)}],
    "optimizer": lambda L: L.optim.SGD(L.nn.Linear(2, 1).parameters(), lr=0.1).state_dict(),
}


def _kinds(x):  # (minigan's optimizer state carries two keys more: docs/pytorch.md)
    if isinstance(x, dict):
        return (type(x).__name__, [(k, _kinds(v)) for k, v in x.items() if k not in ("optimizer", "format")])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [_kinds(v) for v in x])
    return "leaf"


def _round_trip(L, name, map_location):
    """The kinds of the dicts loaded back, at every depth, and how the object loaded prints its own kind."""
    buffer = io.BytesIO()
    L.save(OBJECTS[name](L), buffer)
    buffer.seek(0)
    back = L.load(buffer, **({} if map_location is None else {"map_location": map_location}))
    return _kinds(back), repr(back).split("(", 1)[0]


test_a_loaded_dict_keeps_its_kind = sweep(_round_trip, [(name, where) for name in OBJECTS for where in (None, "cpu")])


def _parameters_saved(L, where):
    """The class, requires_grad, dtype and values of each tensor saved, loaded back."""
    nn = L.nn
    w = L.tensor([[1.0, -2.0], [0.5, 3.0]], dtype=L.float64)
    state = {"alone": nn.Parameter(w.clone()), "frozen": nn.Parameter(w.float(), requires_grad=False),
             "nested": [(nn.Parameter(w[0].clone()), w[1].clone()), {"p": nn.Parameter(w.clone())}],
             "plain": w.clone().requires_grad_(), "keep_vars": nn.Linear(2, 2).state_dict(keep_vars=True)}
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "state.pt") if where == "path" else io.BytesIO()
        L.save(state, path)
        if where != "path":
            path.seek(0)
        back = L.load(path)
    leaves = {"alone": back["alone"], "frozen": back["frozen"], "nested.0.0": back["nested"][0][0],
              "nested.0.1": back["nested"][0][1], "nested.1.p": back["nested"][1]["p"], "plain": back["plain"],
              "keep_vars.weight": back["keep_vars"]["weight"]}
    return {k: (type(v).__name__, v.requires_grad, str(v.dtype).split(".")[-1],
                None if k.startswith("keep") else v.detach().numpy().tolist()) for k, v in leaves.items()}


test_parameters_load_as_parameters = sweep(_parameters_saved, ["path", "file object"])


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
