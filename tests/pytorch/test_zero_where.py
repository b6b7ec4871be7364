"""backend.keep_where, relu's backward on a CPU: the select on the bits is NumPy's where() bit for bit (the value
where keep holds; +0 elsewhere, whatever was there: ±∞, NaN of either sign), in every float dtype, on any layout of
the gradient (transposed, broadcast) and on a 0-d one; and relu's gradient is PyTorch's, 0-d and with every special
value in a batch.

(Its torch-free tests: tests/engine/test_zero_where.py.)"""

import numpy as np
import pytest
from engine.helpers_zero_where import _bits, _gradients

import minigan


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_has_pytorchs_gradient_at_every_special_value(dtype):
    """Every input (±0, ±∞, NaN of either sign, tiny and large) against every upstream gradient, in one batch."""
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    rng = np.random.default_rng(7)
    x, upstream = _gradients(rng, dtype, (6, 40)), _gradients(rng, dtype, (6, 40))
    grads = []
    for lib in (torch, minigan):
        t = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad(t.relu(), t, lib.tensor(upstream))
        grads.append(np.asarray(g.detach().numpy()))
    np.testing.assert_array_equal(_bits(grads[1]), _bits(grads[0]))


@pytest.mark.parametrize("x", [-2.0, -0.0, 0.0, 3.0, np.inf, -np.inf, np.nan])
@pytest.mark.parametrize("upstream", [1.5, np.inf, -np.inf, np.nan])
def test_relu_of_a_0d_tensor_has_pytorchs_gradient(x, upstream):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    grads = []
    for lib in (torch, minigan):
        t = lib.tensor(x, dtype=lib.float32, requires_grad=True)
        (g,) = lib.autograd.grad(t.relu(), t, lib.tensor(upstream, dtype=lib.float32))
        grads.append(np.asarray(g.detach().numpy()))
    assert grads[1].shape == grads[0].shape == ()
    np.testing.assert_array_equal(grads[1], grads[0])
    assert np.signbit(grads[1]) == np.signbit(grads[0])
