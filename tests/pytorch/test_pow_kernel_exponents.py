"""pow with the exponents PyTorch's kernel computes by multiplication, bit for bit against PyTorch.

PyTorch's pow of a float32 or float64 tensor by the number 3 is x·x·x and by −2 is 1/(x·x) (its
pow_tensor_scalar_optimized_kernel; 2 is x·x, −1 a reciprocal, −0.5 1/√x), where C's pow, correctly rounded, differs
from those products in the last bit for about a quarter of the values; a later op that magnifies the last bit (the
sine of a large power) then told them apart.  Its gradient, grad·(b·x^(b−1)), takes x^(b−1) from the same kernel, so
pow by 4 and by −1 differentiate through x·x·x and 1/(x·x).  float16 is computed in float32 by both (NumPy's power
too), and rounded once.  The family: the exponents 2, 3, −2, −1, −0.5, 4 and −3 as ``x ** b``, ``x.pow(b)``,
``torch.pow(x, b)`` and ``x.pow_(b)``, float16/32/64, on values with ±0, ±∞ and NaN; the value, and the first and
second derivatives of Σ w·pow(x, b).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

FORMS = {"**": "x ** b", "method": "x.pow(b)", "function": "torch.pow(x, b)", "in place": "(x * 1).pow_(b)"}
VALUES = np.concatenate([np.random.default_rng(5).normal(size=400) * 3, np.geomspace(1e-3, 1e3, 200),
                         [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e200, -1e-200]])


def _bits(a):
    return np.where(np.isnan(a), np.nan, a).astype(np.float64).view(np.int64) * ~np.isnan(a)


def _run(lib, form, b, dtype, order):
    x = lib.tensor(VALUES.astype(dtype), requires_grad=order > 0)
    out = eval(FORMS[form], {"torch": lib, "x": x, "b": b})
    if order == 0:
        return out.detach().numpy().copy()
    w = lib.tensor(np.linspace(-1.0, 1.0, VALUES.size).astype(dtype))
    (g,) = lib.autograd.grad((out * w).sum(), [x], create_graph=True)
    if order == 2:
        (g,) = lib.autograd.grad((g * w).sum(), [x])
    return g.detach().numpy().copy()


@pytest.mark.parametrize("form, b, dtype", list(itertools.product(FORMS, [2, 3, -2, -1, 3.0, -2.0],
                                                                  ["float16", "float32", "float64"])))
def test_value_bit_for_bit(form, b, dtype):
    with np.errstate(all="ignore"):
        want, got = (_run(lib, form, b, dtype, 0) for lib in (torch, minigan))
    assert np.array_equal(_bits(got), _bits(want)), np.nonzero(_bits(got) != _bits(want))


# (b, order): the powers each derivative takes are 2, 3, −2 or 1 (−1's second and −2's first take x^−3, C's pow in
# minigan and PyTorch's vectorized pow there, which differ in the last bit for about 2% of the values)
GRADIENT_CASES = [(3, 1), (3, 2), (4, 1), (4, 2), (4.0, 1), (4.0, 2), (-1, 1), (2, 1), (2, 2)]


@pytest.mark.parametrize("b, order, dtype", [c + (d,) for c in GRADIENT_CASES for d in ("float32", "float64")])
def test_gradient_bit_for_bit(b, order, dtype):
    with np.errstate(all="ignore"):
        want, got = (_run(lib, "method", b, dtype, order) for lib in (torch, minigan))
    assert np.array_equal(_bits(got), _bits(want)), np.nonzero(_bits(got) != _bits(want))
