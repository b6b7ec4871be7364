"""Division's gradient is PyTorch's formula, rounded as PyTorch rounds it.

d(a/b)/db = -a/b², which PyTorch computes as ``-grad * ((a / b) / b)`` (div_tensor_other_backward): a/b first, so
that b² never overflows, then divided by b again, then times the gradient.  Another association (``(-grad * (a/b))
/ b``) is the same number in exact arithmetic but rounds otherwise, and where the two derivatives cancel (``x / x``,
whose gradient is 0 in exact arithmetic) PyTorch's rounding is what a learner sees.  Every division door, in float32
and float64, gives both inputs' gradients equal to PyTorch's to the last bit (IEEE division and multiplication are
exact-rounded, so the same formula gives the same bits), x / x too.
"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {
    "a / b": lambda L, a, b: a / b,
    "a.div(b)": lambda L, a, b: a.div(b),
    "div(a, b)": lambda L, a, b: L.div(a, b),
    "a.divide(b)": lambda L, a, b: a.divide(b),
    "true_divide(a, b)": lambda L, a, b: L.true_divide(a, b),
    "a.true_divide(b)": lambda L, a, b: a.true_divide(b),
    "a / a": lambda L, a, b: a / a,
    "b / b * a": lambda L, a, b: b / b * a,
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("door", list(DOORS))
def test_division_gradients_round_as_pytorchs(door, dtype):
    rng = np.random.default_rng(7)
    av = rng.uniform(-2, 2, 512).astype(dtype)
    bv = rng.uniform(-2, 2, 512).astype(dtype)
    wv = rng.standard_normal(512).astype(dtype)
    grads = []
    for L in (torch, minigan):
        a, b = L.tensor(av, requires_grad=True), L.tensor(bv, requires_grad=True)
        (DOORS[door](L, a, b) * L.tensor(wv)).sum().backward()
        grads.append([None if t.grad is None else t.grad.numpy().copy() for t in (a, b)])
    for expected, got in zip(*grads):
        assert (expected is None) == (got is None)
        if expected is not None:
            np.testing.assert_array_equal(got, expected)
