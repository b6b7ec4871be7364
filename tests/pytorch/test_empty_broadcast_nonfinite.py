"""Ops of several tensors whose result is empty by broadcasting (an input of shape (0, 3)), with another operand
±∞ or NaN: a gradient summed over an empty result is 0, as PyTorch's one node gives it (its formula multiplies the
result's gradient by the other operands before summing to each operand's shape), not 0·∞ = NaN from a gradient
reduced first and multiplied after.  Every operand position, functions, methods and in-place forms, against PyTorch
float64."""

import itertools
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPS = {  # (e: the empty operand, s: a (1, 1) non-finite one, b: the (3,) leaf)
    "addcmul": lambda L, e, s, b: L.addcmul(e, s, b), "addcmul t2": lambda L, e, s, b: L.addcmul(e, b, s),
    "addcmul value": lambda L, e, s, b: L.addcmul(e, s, b, value=0.5),
    "Tensor.addcmul": lambda L, e, s, b: e.addcmul(b, s), "addcmul_": lambda L, e, s, b: e.clone().addcmul_(s, b),
    "addcdiv": lambda L, e, s, b: L.addcdiv(e, s, b), "addcdiv t2": lambda L, e, s, b: L.addcdiv(e, b, s),
    "addcdiv_": lambda L, e, s, b: e.clone().addcdiv_(b, s),
    "lerp end": lambda L, e, s, b: L.lerp(e, s, b), "lerp weight": lambda L, e, s, b: L.lerp(e, b, s),
    "lerp_": lambda L, e, s, b: e.clone().lerp_(s, b),
    "where": lambda L, e, s, b: L.where(e > 0, s, b), "clamp": lambda L, e, s, b: L.clamp(e, s, b),
    "hypot": lambda L, e, s, b: L.hypot(e + s, b), "atan2": lambda L, e, s, b: L.atan2(e + s, b),
    "mul chain": lambda L, e, s, b: e * s * b, "add product": lambda L, e, s, b: e + s * b,
    "sub alpha": lambda L, e, s, b: L.sub(e, s * b, alpha=2), "pow": lambda L, e, s, b: (e + s) ** b,
    "div": lambda L, e, s, b: e + s / b, "maximum": lambda L, e, s, b: L.maximum(e + s, b),
}


def _grad(L, name, special, e_requires_grad):
    e = L.zeros(0, 3, dtype=L.float64, requires_grad=e_requires_grad)
    s = L.tensor([[special]], dtype=L.float64)
    b = L.tensor([-0.3, 0.5, 1.9], dtype=L.float64, requires_grad=True)
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        y = OPS[name](L, e, s, b)
        leaves = [b, e] if e_requires_grad else [b]
        grads = L.autograd.grad(y.sum(), leaves, allow_unused=True)
    return tuple(y.shape), [None if g is None else g.detach().numpy() for g in grads]


@pytest.mark.parametrize("name, special, e_requires_grad",
                         list(itertools.product(OPS, [np.inf, -np.inf, np.nan], [False, True])))
def test_a_gradient_over_an_empty_broadcast_is_zero_as_pytorchs(name, special, e_requires_grad):
    shape, got = _grad(minigan, name, special, e_requires_grad)
    want_shape, want = _grad(torch, name, special, e_requires_grad)
    assert shape == want_shape
    for g, w in zip(got, want):
        assert (g is None) == (w is None)
        if w is not None:
            np.testing.assert_array_equal(g, w)
