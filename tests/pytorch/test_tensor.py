"""Tensor construction, dtype rules, conversion and the errors a student meets first.

(Its torch-free tests: tests/library/test_tensor.py.)"""

import warnings

import numpy as np
import pytest

import minigan


@pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")  # PyTorch's own __array__
def test_numpy_functions_refuse_a_tensor_that_requires_grad_as_pytorch():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    for lib in (minigan, torch):
        t = lib.ones(2, requires_grad=True)
        for convert in (np.asarray, np.array, lambda a: np.stack([a, a])):
            with pytest.raises(RuntimeError, match="(?i)numpy\\(\\).*requires grad.*detach\\(\\)\\.numpy\\(\\)"):
                convert(t)
        assert np.asarray(t.detach()).tolist() == [1.0, 1.0] and np.stack([t.detach()]).shape == (1, 2)


def test_deepcopy_copies_a_leaf_and_refuses_a_computed_tensor_as_pytorch():
    import copy

    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    for lib in (minigan, torch):
        x = lib.ones(2, requires_grad=True)
        (x * 2).sum().backward()
        c = copy.deepcopy(x)
        assert c is not x and c.is_leaf and c.requires_grad and c.grad.tolist() == [2.0, 2.0] and c.grad is not x.grad
        c.detach().mul_(5)  # its own memory
        assert x.tolist() == [1.0, 1.0]
        view = lib.arange(4.0)[:2]
        assert copy.deepcopy(view).tolist() == [0.0, 1.0]
        with pytest.raises(RuntimeError, match="(?i)only tensors created explicitly by the user .graph leaves."):
            copy.deepcopy(x * 2)
        pair = copy.deepcopy([x, x])  # one tensor twice: one copy, as deepcopy's memo keeps it
        assert pair[0] is pair[1]


def test_tensor_of_a_list_infers_pytorchs_dtype_from_every_element():
    """torch.tensor([...]) with Python numbers, NumPy scalars and 0-d tensors mixed: the highest kind wins (bool <
    int < float), promoted within it; a Python float is the default float dtype, a Python int int64."""
    import itertools

    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    kinds = [("py", True), ("py", 2), ("py", 2.5), ("np", "bool_"), ("np", "int8"), ("np", "uint8"), ("np", "int32"),
             ("np", "int64"), ("np", "float16"), ("np", "float32"), ("np", "float64"), ("t", "int8"), ("t", "int64"),
             ("t", "float64"), ("t", "float32")]

    def element(lib, kind, what):
        if kind == "py":
            return what
        if kind == "np":
            return getattr(np, what)(1)
        return lib.tensor(1, dtype=getattr(lib, what), requires_grad=what.startswith("float"))

    checked = 0
    for combo in itertools.chain(itertools.product(kinds, repeat=2), itertools.combinations(kinds, 3)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                theirs = torch.tensor([element(torch, *k) for k in combo])
            except TypeError:  # PyTorch cannot read np.bool_ (no __index__) into an integer tensor: nor can minigan
                assert ("np", "bool_") in combo
                with pytest.raises(TypeError):
                    minigan.tensor([element(minigan, *k) for k in combo])
                continue
        with warnings.catch_warnings(record=True) as said:  # both warn when they read a tensor that requires grad
            warnings.simplefilter("always")
            ours = minigan.tensor([element(minigan, *k) for k in combo])
        assert bool(said) == any(k[0] == "t" and k[1].startswith("float") for k in combo), combo
        assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "minigan."), combo
        assert not ours.requires_grad and ours.tolist() == theirs.tolist()
        checked += 1
    assert checked > 600  # of the 15 × 15 pairs and 455 triples
