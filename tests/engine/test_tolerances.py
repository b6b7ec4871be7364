"""Tolerances that hold on any CPU or GPU: conftest.ulps, and the strict stand-in's other math library.

A float function's last bit differs between machines (Intel's, AMD's and a GPU's exp).  The strict stand-in for
CuPy moves its transcendental results two ulps, so a comparison that would fail on another machine fails here.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import ulps
from strict_backend import ANOTHER_LIBM, strict

import minigan
from minigan.engine import backend


def test_ulps_is_n_machine_epsilons_of_the_dtype():
    assert ulps(np.float32) == 4 * float(np.finfo(np.float32).eps) == pytest.approx(4.77e-7, rel=1e-3)
    assert ulps(np.float64, 8) == 8 * 2.0 ** -52
    assert ulps(minigan.float32, 1) == float(np.finfo(np.float32).eps)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sin", "expm1", "log1p"])
def test_the_stand_ins_transcendentals_are_two_ulps_from_numpys(name, dtype):
    assert name in ANOTHER_LIBM
    x = np.array([0.3, 0.7, 1.9, 2.5], dtype=dtype)
    host = getattr(np, name)(x)
    device = strict.asnumpy(getattr(strict, name)(strict.asarray(x)))
    two_up = np.nextafter(np.nextafter(host, np.inf, dtype=dtype), np.inf, dtype=dtype)
    assert device.dtype == host.dtype and np.array_equal(device, two_up)
    with pytest.raises(AssertionError):  # the comparison that failed on the GPU host now fails here
        np.testing.assert_allclose(device, host, rtol=1e-7 if dtype == np.float32 else 1e-16, atol=0)
    np.testing.assert_allclose(device, host, rtol=ulps(dtype, 2), atol=0)


def test_exact_values_stay_exact_on_the_stand_in():
    """0, ±1, ±∞ and NaN are exact in every math library (exp(0) = 1, log(1) = 0, tanh(±∞) = ±1); sqrt and
    division are correctly rounded everywhere and are not moved."""
    x = strict.asarray(np.array([0.0, 1.0, np.inf, -np.inf, np.nan, 4.0], dtype=np.float32))
    root = strict.asnumpy(strict.sqrt(strict.asarray(np.array([4.0, 2.0], dtype=np.float32))))
    assert strict.asnumpy(strict.exp(strict.asarray(np.zeros(2, np.float32)))).tolist() == [1.0, 1.0]
    assert strict.asnumpy(strict.log(strict.asarray(np.ones(2, np.float32)))).tolist() == [0.0, 0.0]
    tanh = strict.asnumpy(strict.tanh(x))
    assert [tanh[0], tanh[2], tanh[3]] == [0.0, 1.0, -1.0] and np.isnan(tanh[4])
    assert tanh[1] > np.tanh(np.float32(1.0))  # the others move
    assert root.tolist() == np.sqrt(np.array([4.0, 2.0], dtype=np.float32)).tolist()


def test_a_tensor_on_the_stand_in_goes_through_the_other_library(cuda_device):
    """minigan's ops reach it: exp of a "cuda" tensor differs from the host's by two ulps, within ulps(float32)."""
    x = np.array([0.25, 1.5, -2.0], dtype=np.float32)
    on_device = minigan.tensor(x, device="cuda").exp()
    got = backend.asnumpy(on_device.array)
    np.testing.assert_allclose(got, np.exp(x), rtol=ulps(np.float32), atol=0)
