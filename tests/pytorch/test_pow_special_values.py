"""pow with fractional (and the other special-cased) exponents at the special inputs, against PyTorch float64.

PyTorch's pow computes some number exponents with another kernel: 0.5 is sqrt, -0.5 is rsqrt (1/sqrt: -inf at -0
and NaN at -inf, where C's pow gives +inf and +0), -1 the reciprocal, 2, 3 and -2 products.  Its gradient
``exponent * x.pow(exponent - 1)`` goes through them too (x.pow(0.5)'s gradient reads x.pow(-0.5)).  A tensor
exponent (a 0-d one too) is C's pow throughout (sqrt(-inf) is NaN, pow(-inf, 0.5) is +inf).  Over the doors
(torch.pow, x ** e, x.pow(e), x.pow_(e), a 0-d tensor exponent, a number base), at -inf, -2, -1, -0.5, -0, 0, 0.5,
1, 2, inf and NaN, the value (the sign of a zero and of an infinity included) and the gradients to the second order
must be PyTorch's: NaN and infinities in the same places with the same signs, finite values close.
"""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

X = [-float("inf"), -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, float("inf"), float("nan")]
EXPONENTS = [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.25, 1 / 3, 0.75, -1.0, 2.0, 3.0, -2.0, -3.0, 1.0, 0.0]
DOORS = ["torch.pow", "x ** e", "x.pow(e)", "x.pow_(e)", "0-d tensor exponent", "x ** 0-d tensor", "number base"]


def _call(lib, door, x, e, dtype):
    if door == "torch.pow":
        return lib.pow(x, e)
    if door == "x ** e":
        return x ** e
    if door == "x.pow(e)":
        return x.pow(e)
    if door == "x.pow_(e)":
        return x.clone().pow_(e)
    if door == "0-d tensor exponent":
        return lib.pow(x, lib.tensor(e, dtype=dtype))
    if door == "x ** 0-d tensor":
        return x ** lib.tensor(e, dtype=dtype)
    return e ** x  # a number base: the inputs are the exponents


def _run(lib, door, e, dtype):
    """The value, the first and the second-order gradient (zeros where there is none), as float64 arrays."""
    dtype = getattr(lib, dtype)
    x = lib.tensor(X, dtype=dtype, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = _call(lib, door, x, e, dtype)
        weights = lib.linspace(0.5, 1.5, len(X), dtype=dtype)
        first, = lib.autograd.grad((y * weights).sum(), x, create_graph=True)
        if first.requires_grad:
            second, = lib.autograd.grad((first * weights).sum(), x, allow_unused=True)
            second = lib.zeros_like(x) if second is None else second
        else:
            second = lib.zeros_like(x)
    return [np.array(t.detach().numpy(), dtype=np.float64) for t in (y, first, second)]


def _agree(a, b, rtol):
    """NaN where NaN, each infinity and each zero with its sign, finite values close."""
    return bool(np.array_equal(np.isnan(a), np.isnan(b)) and np.array_equal(np.isinf(a), np.isinf(b))
                and np.array_equal(np.signbit(a[(a == 0) | np.isinf(a)]), np.signbit(b[(b == 0) | np.isinf(b)]))
                and np.allclose(a[np.isfinite(a)], b[np.isfinite(b)], rtol=rtol, atol=0))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("e", EXPONENTS)
def test_pow_at_special_values_is_pytorchs_value_and_gradients(e, door, dtype):
    ours, theirs = _run(minigan, door, e, dtype), _run(torch, door, e, dtype)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    for what, a, b in zip(("value", "first-order gradient", "second-order gradient"), ours, theirs):
        where = [x for x, p, q in zip(X, a, b) if not _agree(np.array([p]), np.array([q]), rtol)]
        assert _agree(a, b, rtol), f"{door} with exponent {e} ({dtype}): {what} differs at {where}: " \
                                   f"minigan {a} | PyTorch {b}"
