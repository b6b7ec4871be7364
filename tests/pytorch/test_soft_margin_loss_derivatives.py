"""soft_margin_loss's derivatives are PyTorch's, to the second order, where exp(−x·y) over- or underflows.

PyTorch's soft_margin_loss is one node: its derivative is soft_margin_loss_backward, −y·z/(1 + z)·grad with
z = exp(−x·y), itself a node, whose derivative is soft_margin_loss_double_backward, grad·y²·z/(1 + z)² (and the
same map of grad for the incoming gradient).  Composed from exp and log1p, the second derivative would be
1/(1 + z) − z/(1 + z)² times y², two terms that cancel, and where (1 + z)² overflows one of them rounds to 0 alone
(float32 x = 30, y = −1.76: y² = 3.09 where PyTorch's is 0).  Compared with PyTorch over the values where z, z², and
the products over- or underflow, NaN and ±∞, in float32, float64 and the two mixed (PyTorch computes the
derivatives in the promoted dtype and writes them into the input's), each reduction, a target of the input's shape
and a broadcast one, and an incoming gradient that itself requires grad.
"""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# x·y across the thresholds: z = e^(−xy) and (1 + z)² over- and underflowing in float32 (e^44, e^88.7) and in float64
# (e^355, e^709.8)
PRODUCTS = [-math.inf, -800.0, -709.0, -400.0, -100.0, -88.0, -50.0, -30.0, -1.0, 0.0, 0.5, 30.0, 44.5, 50.0,
            88.5, 89.0, 100.0, 360.0, 709.5, 710.0, 800.0, math.inf, math.nan]
DTYPES = [("float32", "float32"), ("float64", "float64"), ("float32", "float64"), ("float64", "float32")]


def _inputs(target_shape):
    rng = np.random.default_rng(3)
    y = rng.choice([-2.0, -1.0, -0.3, 0.7, 1.0, 1.9], size=target_shape)
    x = np.array(PRODUCTS).reshape(-1, 1) * np.ones((1, 4))
    return -x / np.broadcast_to(y, x.shape), y  # (so that −x·y runs through PRODUCTS)


def _derivatives(L, xv, yv, dtypes, reduction, grad_requires_grad):
    x = L.tensor(xv.astype(dtypes[0]), requires_grad=True)
    y = L.tensor(np.asarray(yv).astype(dtypes[1]))
    out = L.nn.functional.soft_margin_loss(x, y, reduction=reduction)
    v = L.tensor(np.full(tuple(out.shape), 0.75, dtype=dtypes[0]), requires_grad=grad_requires_grad)
    (first,) = L.autograd.grad(out, [x], grad_outputs=v, create_graph=True)
    leaves = [x, v] if grad_requires_grad else [x]
    second = L.autograd.grad(first.sum(), leaves, allow_unused=True)
    as_array = (lambda g: None if g is None or getattr(g, "_is_zerotensor", lambda: False)()
                else g.detach().double().numpy())
    return [out.detach().double().numpy(), first.detach().double().numpy()] + [as_array(g) for g in second]


def _differs(got, expected, tol, tiny):
    if (got is None) != (expected is None):
        return got is None and np.any(expected != 0) or expected is None and np.any(got != 0)
    if got is None:
        return False
    both = ~np.isfinite(got) & ~np.isfinite(expected)  # (∞ and NaN are not told apart in a gradient)
    return not (np.array_equal(np.isnan(got) & ~both, np.isnan(expected) & ~both) and
                np.allclose(np.where(both, 0, got), np.where(both, 0, expected), rtol=tol, atol=tiny, equal_nan=True))


@pytest.mark.parametrize("grad_requires_grad", [False, True])
@pytest.mark.parametrize("target_shape", [(23, 4), (1, 4)])
@pytest.mark.parametrize("reduction", ["none", "sum", "mean"])
@pytest.mark.parametrize("dtypes", DTYPES, ids="-".join)
def test_second_order_at_extremes_as_pytorchs(dtypes, reduction, target_shape, grad_requires_grad):
    xv, yv = _inputs(target_shape)
    tol = 1e-12 if dtypes == ("float64", "float64") else 1e-5
    tiny = np.finfo(dtypes[0]).tiny  # (below the smallest normal number, NumPy's float32 exp and PyTorch's keep
    # different numbers of a subnormal's bits: 3.78e-44 and 3.92e-44)
    with np.errstate(all="ignore"):
        expected = _derivatives(torch, xv, yv, dtypes, reduction, grad_requires_grad)
        got = _derivatives(minigan, xv, yv, dtypes, reduction, grad_requires_grad)
    names = ["loss", "gradient", "second order in x", "second order in the incoming gradient"]
    differ = [f"{what}:\n{g}\nPyTorch's:\n{e}" for what, g, e in zip(names, got, expected) if _differs(g, e, tol, tiny)]
    assert not differ, "\n".join(differ)
