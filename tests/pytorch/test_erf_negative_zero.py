"""erf and erfinv are odd, as PyTorch's: erf(−0) and erfinv(−0) are −0 (minigan gave +0, which atan2 then reads as
another angle: deep-graph program 1213152, atan2_ of erf(trunc(atan x)), −π where minigan gave 0).  erf, erfc and
erfinv as functions, methods and in place, float64 and float32, at ±0, tiny, ±1, ±∞ and NaN, against PyTorch:
the sign of every zero exactly and the values to erf's accuracy here (1e-13)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

VALUES = np.array([-0.0, 0.0, -1e-300, 1e-300, -5e-324, -0.25, 0.5, -1.0, 1.0, -3.0, 2.5, -np.inf, np.inf, np.nan])


def _call(lib, name, form, dtype):
    x = lib.tensor(VALUES, dtype=getattr(lib, dtype))
    if name == "erfinv":
        x = x.clamp(-1, 1) if form != "in place" else x.clamp(-1, 1).clone()
    if form == "function":
        return getattr(lib, name)(x)
    if form == "method":
        return getattr(x, name)()
    return getattr(x, name + "_")()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("form", ["function", "method", "in place"])
@pytest.mark.parametrize("name", ["erf", "erfc", "erfinv"])
def test_signs_of_zero_as_pytorch(name, form, dtype):
    ours, theirs = _call(minigan, name, form, dtype).numpy(), _call(torch, name, form, dtype).numpy()
    zeros = theirs == 0
    np.testing.assert_array_equal(np.signbit(ours[zeros]), np.signbit(theirs[zeros]))
    np.testing.assert_allclose(ours, theirs, rtol=1e-13 if dtype == "float64" else 1e-6, atol=0)


@pytest.mark.parametrize("name", ["erf", "erfinv"])
def test_gradient_at_negative_zero(name):
    grads = []
    for lib in (minigan, torch):
        x = lib.tensor([-0.0, 0.0], dtype=lib.float64, requires_grad=True)
        (g,) = lib.autograd.grad(getattr(lib, name)(x).sum(), x)
        grads.append(g.numpy())
    np.testing.assert_allclose(*grads, rtol=1e-15)
