"""gelu computes PyTorch's formula, x·½(1 + erf(x/√2)) (its CPU kernel's), so that its value and sign agree with
PyTorch's where erf rounds to −1: exactly −0 for x below about −8.3, where x·½·erfc(−x/√2) kept a tiny negative
number (a later sign(), comparison or division told them apart: deep-graph seed 1020910).  The gradient's Φ is
read the same way, Φ(x) + x·φ(x) with Φ(x) = ½(1 + erf(x/√2)), as PyTorch's GeluBackward.

PyTorch hands a contiguous float32 gelu to oneDNN, whose code is compiled for the CPU: on an AVX-512 host its zeros
below −8.3 are −0, as ATen's kernel's, on an AVX2 host +0 (320 of 322 here).  So PyTorch is asked with oneDNN off
(oracle.aten_kernels), for ATen's own kernel, whose formula is the same on every host."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import minigan  # noqa: E402
from pytorch.oracle import aten_kernels  # noqa: E402

X = np.concatenate([np.linspace(-40, 6, 461), [-1e300, -np.inf, np.inf, -0.0, 0.0, np.nan]])


@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_gelu_values_signs_and_gradients_are_pytorchs(dtype):
    seen = []
    for L in (torch, minigan):
        # (x·x of 1e300 overflows: a forward's NumPy warning, an open class)
        with np.errstate(all="ignore"), aten_kernels():
            x = L.tensor(X if dtype == "float64" else X[X != np.inf], dtype=getattr(L, dtype), requires_grad=True)
            # (PyTorch's vectorized float32 erf gives NaN at +∞, its float64 one 1: a kernel's quirk, not compared)
            y = L.nn.functional.gelu(x)
            (g,) = L.autograd.grad(y.sum(), [x])
        seen.append((y.detach().numpy(), g.numpy()))
    (y_t, g_t), (y_m, g_m) = seen
    signed = ~np.isnan(y_t)  # (a NaN's sign bit is no value's)
    np.testing.assert_array_equal(np.signbit(y_m[signed]), np.signbit(y_t[signed]))  # (−0 where PyTorch's is −0)
    np.testing.assert_array_equal(y_m == 0, y_t == 0)
    if dtype == "float64":  # (PyTorch's float32 gradient is 0 below about −8.2, where x·φ(x) is ~1e-15: its
        np.testing.assert_array_equal(g_m == 0, g_t == 0)  # vectorized kernel's own, not compared: within atol)
    tol = dict(rtol=1e-12, atol=1e-15) if dtype == "float64" else dict(rtol=2e-6, atol=1e-6)
    np.testing.assert_allclose(y_m, y_t, **tol)
    np.testing.assert_allclose(g_m, g_t, **tol)
