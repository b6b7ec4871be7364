"""pickle and copy.copy of a tensor, against PyTorch: both rebuild a new leaf from the values and requires_grad alone
(PyTorch's Tensor.__reduce_ex__), so the copy has no .grad, no grad_fn, no hooks and does not retain its gradient,
whatever the original had; a Parameter stays a Parameter.  copy.copy shares the memory, pickle copies it.  A
backward through the copy reaches the copy only."""

import copy
import pickle

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402


def _kinds(lib):
    """name -> a tensor in one of the states a program pickles or copies."""
    w = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
    y = w * 3
    y.retain_grad()
    y.sum().backward()
    hooked = lib.tensor([0.5, 1.5], requires_grad=True)
    hooked.register_hook(lambda g: g * 10)
    p = lib.nn.Parameter(lib.tensor([[1.0, 2.0], [3.0, 4.0]]))
    (p * p).sum().backward()
    base = lib.arange(6.0).reshape(2, 3).requires_grad_()
    return {
        "leaf with a grad": w,
        "leaf without grad": lib.tensor([4.0, 5.0]),
        "non-leaf retaining its grad": y,
        "non-leaf": w * w + 1,
        "detached": y.detach(),
        "leaf with a hook": hooked,
        "parameter with a grad": p,
        "frozen parameter": lib.nn.Parameter(lib.tensor([1.0, 2.0]), requires_grad=False),
        "int64": lib.tensor([1, -2, 3]),
        "bool": lib.tensor([True, False]),
        "float64 0-d": lib.tensor(2.5, dtype=lib.float64, requires_grad=True),
        "empty": lib.zeros(0, 3),
        "transposed view": base.t(),
        "row view": base[1],
    }


_WAYS = {f"pickle protocol {p}": (lambda x, p=p: pickle.loads(pickle.dumps(x, protocol=p))) for p in (2, 3, 4, 5)}
_WAYS["copy.copy"] = copy.copy


def _state(original, c):
    """What a program sees of the copy ``c`` of ``original``, then of both after a backward through the copy."""
    out = {"type": type(c).__name__, "dtype": str(c.dtype).split(".")[-1], "shape": tuple(c.shape),
           "values": np.array(c.detach().numpy()).tolist(), "requires_grad": c.requires_grad, "is_leaf": c.is_leaf,
           "grad is None": c.grad is None, "grad_fn is None": c.grad_fn is None, "retains_grad": c.retains_grad}
    before = None if original.grad is None else original.grad.clone()
    if c.requires_grad:
        (c * 2).sum().backward()
        out["grad after backward"] = np.array(c.grad.numpy()).tolist()
        out["original's grad unchanged"] = (original.grad is None and before is None) or (
            before is not None and original.grad is not None and bool((original.grad == before).all()))
    return out


_CASES = [(kind, way) for kind in _kinds(minigan) for way in _WAYS]


@pytest.mark.parametrize("kind, way", _CASES)
def test_pickle_and_copy_rebuild_a_new_leaf_as_pytorch(kind, way):
    theirs_original, mine_original = _kinds(torch)[kind], _kinds(minigan)[kind]
    theirs = _state(theirs_original, _WAYS[way](theirs_original))
    mine = _state(mine_original, _WAYS[way](mine_original))
    assert mine == theirs


@pytest.mark.parametrize("kind", list(_kinds(minigan)))
def test_copy_shares_memory_and_pickle_does_not(kind):
    x = _kinds(minigan)[kind]
    if x.numel() == 0:
        return
    c, p = copy.copy(x), pickle.loads(pickle.dumps(x))
    first = (0,) * x.dim()
    with minigan.no_grad():
        x[first] = 7 if x.dtype == minigan.int64 else (not bool(x[first]) if x.dtype == minigan.bool else 7.5)
    assert c[first].item() == x[first].item()
    assert p[first].item() != x[first].item()


def test_a_model_pickled_after_training_has_no_gradients_as_pytorchs():
    for lib in (torch, minigan):
        net = lib.nn.Sequential(lib.nn.Linear(2, 3), lib.nn.ReLU(), lib.nn.Linear(3, 1))
        net(lib.ones(4, 2)).sum().backward()
        back = pickle.loads(pickle.dumps(net))
        assert all(p.grad is None and p.is_leaf and p.requires_grad for p in back.parameters()), lib.__name__
        assert all(type(p).__name__ == "Parameter" for p in back.parameters()), lib.__name__
