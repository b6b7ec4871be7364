"""A norm over no entries, at the doors that gather tensors before taking one (nn.utils.get_total_norm and
clip_grad_norm_) and at cdist, against PyTorch float64: an order without an identity (p < 0, ±∞) over an empty
tensor is refused with PyTorch's class (RuntimeError, never NumPy's ValueError), and the other orders (0, 0.5, 1,
2, NaN) read the empty tensor's norm as 0, as PyTorch's; cdist over vectors of no entries is 0 at every order."""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ORDERS = [-math.inf, -2.0, -1.5, -1, -0.5, 0, 0.5, 1, 2, 3, math.inf, math.nan, "inf"]
SHAPES = [(0,), (0, 3), (3, 0), (2, 0, 2)]


def _outcome(fn):
    try:
        return "ran", fn()
    except Exception as e:  # the class is compared below
        return "raised", e


def _same(fn):
    (mine, ours), (theirs, pytorch) = _outcome(lambda: fn(minigan)), _outcome(lambda: fn(torch))
    if theirs == "raised":
        assert mine == "raised", f"minigan ran ({ours}) where PyTorch raised {pytorch!r}"
        assert isinstance(ours, type(pytorch)), f"minigan {ours!r} | PyTorch {pytorch!r}"
        assert type(ours).__module__.startswith("minigan"), f"a NumPy or Python error leaked: {ours!r}"
        return
    assert mine == "ran", f"minigan raised {ours!r} where PyTorch ran"
    np.testing.assert_allclose(np.asarray(ours, dtype=float), np.asarray(pytorch, dtype=float), rtol=1e-12,
                               equal_nan=True)


def _total_norm(shape, order, with_others):
    def fn(L):
        tensors = [L.zeros(shape, dtype=L.float64)] + ([L.tensor([3.0, -4.0], dtype=L.float64)] if with_others else [])
        return float(L.nn.utils.get_total_norm(tensors, order))
    return fn


def _clip(shape, order, with_others):
    def fn(L):
        ps = [L.nn.Parameter(L.zeros(shape, dtype=L.float64))]
        ps += [L.nn.Parameter(L.tensor([3.0, -4.0], dtype=L.float64))] if with_others else []
        for p in ps:
            p.grad = L.ones_like(p)
        total = L.nn.utils.clip_grad_norm_(ps, 0.5, norm_type=order)
        return [float(total)] + [float(v) for p in ps for v in p.grad.flatten().tolist()]
    return fn


@pytest.mark.parametrize("with_others", [False, True], ids=["alone", "beside another"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("order", ORDERS, ids=repr)
def test_get_total_norm_of_an_empty_tensor(order, shape, with_others):
    _same(_total_norm(shape, order, with_others))


@pytest.mark.parametrize("with_others", [False, True], ids=["alone", "beside another"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("order", ORDERS, ids=repr)
def test_clip_grad_norm_of_an_empty_gradient(order, shape, with_others):
    _same(_clip(shape, order, with_others))


@pytest.mark.parametrize("order", [0, 0.5, 1, 2, 3, math.inf, -1, math.nan], ids=repr)
@pytest.mark.parametrize("sizes", [(2, 3), (0, 3), (2, 0)], ids=str)
def test_cdist_of_vectors_of_no_entries(order, sizes):
    _same(lambda L: L.cdist(L.zeros((sizes[0], 0), dtype=L.float64), L.zeros((sizes[1], 0), dtype=L.float64),
                            order).tolist())
