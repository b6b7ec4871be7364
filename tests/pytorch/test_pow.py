"""pow against PyTorch, at every door (x ** y, x.pow(y), torch.pow(x, y), x.pow_(y), x **= y, a number base)
(tests/pytorch/sweep.py):

* the exponents PyTorch's kernel computes by multiplication, bit for bit: pow of a float32 or float64 tensor by 3
  is x·x·x and by −2 is 1/(x·x) (its pow_tensor_scalar_optimized_kernel; 2 is x·x, −1 a reciprocal, −0.5 1/√x),
  where C's pow, correctly rounded, differs from those products in the last bit for about a quarter of the values
  (the sine of a large power then told them apart).  Its gradient, grad·(b·x^(b−1)), takes x^(b−1) from the same
  kernel, so pow by 4 and by −1 differentiate through x·x·x and 1/(x·x).  float16 is computed in float32 by both,
  and rounded once.  Values with ±0, ±∞ and NaN; the value, and the first and second derivatives of Σ w·pow(x, b);
* fractional (and the other special-cased) exponents at the special inputs, float64 and float32: 0.5 is sqrt, -0.5
  rsqrt (1/sqrt: -inf at -0 and NaN at -inf, where C's pow gives +inf and +0), -1 the reciprocal, 2, 3 and -2
  products, and the gradient ``exponent * x.pow(exponent - 1)`` goes through them too; a tensor exponent (a 0-d one
  too) is C's pow throughout.  At -inf, -2, -1, -0.5, -0, 0, 0.5, 1, 2, inf and NaN: the value and the gradients to
  the second order, NaN and infinities in the same places, each zero and infinity with its sign, finite values close;
* a bool exponent tensor: a floating base runs, and its backward refuses as PyTorch's (its derivative b·a^(b−1)
  subtracts 1 from the bool tensor); an integer base to a negative integer power is PyTorch's integer power, not
  NumPy's refusal: 1 for a base of 1, ±1 for −1 (by the exponent's parity), 0 otherwise (2 ** -1 is 0); a bool base
  to an integer exponent is int64; an in-place form refuses only where the result's dtype cannot go in the tensor;
* a number base (torch.pow(2, x), 2 ** x, a NumPy scalar base, read as a number: np.int64(2) as 2, np.True_ as 1.0):
  pow(Scalar, Tensor) allocates its result row-major, whatever the exponent's layout (a transpose, a permutation,
  an expanded tensor): the values, dtype and strides.
"""

import itertools
import warnings

import numpy as np
import pytest

from pytorch.sweep import bits, close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

KERNEL_FORMS = {"**": "x ** b", "method": "x.pow(b)", "function": "torch.pow(x, b)", "in place": "(x * 1).pow_(b)"}
KERNEL_VALUES = np.concatenate([np.random.default_rng(5).normal(size=400) * 3, np.geomspace(1e-3, 1e3, 200),
                                [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e200, -1e-200]])


def _kernel(L, form, b, dtype, order):
    with np.errstate(all="ignore"):
        x = L.tensor(KERNEL_VALUES.astype(dtype), requires_grad=order > 0)
    out = eval(KERNEL_FORMS[form], {"torch": L, "x": x, "b": b})  # noqa: S307 (the table's own expressions)
    if order == 0:
        return bits(out.detach())
    w = L.tensor(np.linspace(-1.0, 1.0, KERNEL_VALUES.size).astype(dtype))
    (g,) = L.autograd.grad((out * w).sum(), [x], create_graph=True)
    if order == 2:
        (g,) = L.autograd.grad((g * w).sum(), [x])
    return bits(g.detach())


# (b, order) of the gradients: the powers each derivative takes are 2, 3, −2 or 1 (−1's second and −2's first take
# x^−3, C's pow in minigan and PyTorch's vectorized pow there, which differ in the last bit for about 2% of the values)
test_pow_by_the_kernels_exponents_bit_for_bit = sweep(_kernel, [
    *((form, b, dtype, 0) for form, b, dtype in itertools.product(KERNEL_FORMS, [2, 3, -2, -1, 3.0, -2.0],
                                                                  ["float16", "float32", "float64"])),
    *(("method", b, dtype, order) for (b, order), dtype in itertools.product(
        [(3, 1), (3, 2), (4, 1), (4, 2), (4.0, 1), (4.0, 2), (-1, 1), (2, 1), (2, 2)], ["float32", "float64"]))],
    cover=[lambda form, b, dtype, order: (form, repr(b))])
SPECIAL_X = [-float("inf"), -2.0, -1.0, -0.5, -0.0, 0.0, 0.5, 1.0, 2.0, float("inf"), float("nan")]
SPECIAL_DOORS = {
    "torch.pow": lambda L, x, e, dt: L.pow(x, e),
    "x ** e": lambda L, x, e, dt: x ** e,
    "x.pow(e)": lambda L, x, e, dt: x.pow(e),
    "x.pow_(e)": lambda L, x, e, dt: x.clone().pow_(e),
    "0-d tensor exponent": lambda L, x, e, dt: L.pow(x, L.tensor(e, dtype=dt)),
    "x ** 0-d tensor": lambda L, x, e, dt: x ** L.tensor(e, dtype=dt),
    "number base": lambda L, x, e, dt: e ** x,  # (the inputs are the exponents)
}


def _signs(t):
    """The sign of each zero and each infinity (where those are)."""
    a = t.detach().numpy().astype(np.float64)
    return np.signbit(a) & ((a == 0) | np.isinf(a))


def _special(L, e, door, dtype):
    dt = getattr(L, dtype)
    x = L.tensor(SPECIAL_X, dtype=dt, requires_grad=True)
    rtol = 1e-5 if dtype == "float32" else 1e-12
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = SPECIAL_DOORS[door](L, x, e, dt)
        weights = L.linspace(0.5, 1.5, len(SPECIAL_X), dtype=dt)
        (first,) = L.autograd.grad((y * weights).sum(), x, create_graph=True)
        second = L.autograd.grad((first * weights).sum(), x, allow_unused=True)[0] if first.requires_grad else None
    second = L.zeros_like(x) if second is None else second
    return [(close(t.detach(), rtol, 0), _signs(t)) for t in (y, first, second)]


test_pow_at_special_values_is_pytorchs_value_and_gradients = sweep(_special, list(itertools.product(
    [0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.25, 1 / 3, 0.75, -1.0, 2.0, 3.0, -2.0, -3.0, 1.0, 0.0], SPECIAL_DOORS,
    ["float64", "float32"])), cover=[lambda e, door, dtype: (door, dtype), lambda e, door, dtype: (e < 0, door)])


def _ipow(x, y):
    x **= y
    return x


POW_FORMS = {
    "x ** y": lambda L, x, y: x ** y,
    "x.pow(y)": lambda L, x, y: x.pow(y),
    "torch.pow(x, y)": lambda L, x, y: L.pow(x, y),
    "x.pow_(y)": lambda L, x, y: x.clone().pow_(y),
    "x **= y": lambda L, x, y: _ipow(x.clone(), y),
}
INTEGERS = [([2, -1, 0, 3, 1, -2], "int64"), ([2, -1, 0, 3, 1, -2], "int32"), ([2, 1, 0, 3, 1, 5], "uint8"),
            ([True, False, True, False, True, True], "bool")]
EXPONENTS = [([-1, -2, -3, 2, -5, 0], "int64"), ([-1, -2, -3, 2, -5, 0], "int8"), -1, -2, 3]


def _powered(L, form, base, exponent, base_grad=False):
    """The power, and where it requires grad the base's gradient (or the backward's refusal)."""
    x = L.tensor(base[0], dtype=getattr(L, base[1]), requires_grad=base_grad)
    y = L.tensor(exponent[0], dtype=getattr(L, exponent[1])) if isinstance(exponent, tuple) else exponent
    out = POW_FORMS[form](L, x, y)
    return out.detach(), out.requires_grad and outcome(lambda: L.autograd.grad(out.sum(), [x]))


test_a_floating_base_to_a_bool_exponent_tensor_refuses_at_backward = sweep(_powered, [
    (form, ([0.5, -1.5, 2.0, 0.0], dtype), ([True, False, True, False], "bool"), True)
    for form in POW_FORMS for dtype in ["float64", "float32"]], ids=lambda form, base, *_: f"{form}-{base[1]}")
test_integer_powers_with_negative_exponents_are_pytorchs = sweep(_powered, list(itertools.product(
    POW_FORMS, INTEGERS, EXPONENTS)), ids=lambda form, base, exponent: f"{form}-{base[1]}-{exponent!r}",
    cover=[lambda form, base, exponent: (form, base[1])])


def _number_to_integers(L, base, exponent):
    """2 ** e and torch.pow(2, e) for an integer e holding negative exponents."""
    e = L.tensor(exponent[0], dtype=getattr(L, exponent[1]))
    return base ** e, L.pow(base, e)


test_a_number_to_integer_tensor_powers_is_pytorchs = sweep(_number_to_integers, list(itertools.product(
    [2, -1, 1, 0, True, 2.0, -3], EXPONENTS[:2])), ids=lambda base, exponent: f"{base!r}-{exponent[1]}")


def _number_base(L, base, layout, dtype):
    x = L.tensor(np.arange(-3, 3).reshape(2, 3), dtype=getattr(L, dtype))
    x = {"t": lambda: x.t(), "permute": lambda: x.reshape(1, 2, 3).permute(2, 0, 1), "expand": lambda: x[:1].expand(
        4, 3), "contiguous": lambda: x}[layout]()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = L.pow(base, x)
    return close(y, 1e-6), tuple(y.stride())


test_a_number_base_gives_pytorchs_values_dtype_and_row_major_layout = sweep(_number_base, list(itertools.product(
    [2, 2.5, True, np.int64(2), np.int32(3), np.float64(2.5), np.float32(0.5), np.bool_(True)],
    ["contiguous", "t", "permute", "expand"], ["float64", "float32", "int64"])),
    cover=[lambda base, layout, dtype: (layout, dtype), lambda base, layout, dtype: (repr(base), dtype)])
