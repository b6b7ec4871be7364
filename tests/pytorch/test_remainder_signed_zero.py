"""remainder (function, method, %, in place) of floats is PyTorch's kernel: fmod, then the divisor added where the
two signs differ, so an exact multiple keeps the dividend's zero (−3 % 1.5 is −0.0, 3 % −1.5 is +0.0, where NumPy's
remainder gives the divisor's sign), values near 1e17 included; ±∞ and NaN divisors and dividends, float32 and
float64, broadcasting, against PyTorch bit for bit (the sign of each zero too)."""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

VALUES = np.array([-3.0, 3.0, -0.0, 0.0, 1.5, -1.5, -1.2e17, -1e17, 1e17, -4.5, 7.25, np.inf, -np.inf, np.nan, 0.1])
DIVISORS = np.array([1.5, -1.5, 0.25, -2.0, np.inf, -np.inf, np.nan, 3.0])


def _bits(x):
    a = np.asarray(x, dtype=np.float64)
    return np.where(np.isnan(a), np.nan, a), np.signbit(a) & ~np.isnan(a)


def _remainder(lib, form, x, y):
    if form == "function":
        return lib.remainder(x, y)
    if form == "method":
        return x.remainder(y)
    if form == "operator":
        return x % y
    if form == "inplace":
        return x.expand(-1, y.shape[1]).clone().remainder_(y)
    return lib.remainder(x, 1.5)  # (a number divisor)


@pytest.mark.parametrize("form", ["function", "method", "operator", "inplace", "scalar"])
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_remainder_is_pytorchs_kernel(dtype, form):
    a, b = VALUES[:, None].astype(dtype), DIVISORS[None, :].astype(dtype)
    results = []
    for lib in (torch, minigan):
        with np.errstate(all="ignore"):
            results.append(_remainder(lib, form, lib.tensor(a), lib.tensor(b)).numpy())
    (want, want_sign), (got, got_sign) = _bits(results[0]), _bits(results[1])
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(got_sign, want_sign)
