"""backend.keep_where, relu's backward on a CPU: the select on the bits is NumPy's where() bit for bit (the value
where keep holds; +0 elsewhere, whatever was there: ±∞, NaN of either sign), in every float dtype, on any layout of
the gradient (transposed, broadcast) and on a 0-d one; and relu's gradient is PyTorch's, 0-d and with every special
value in a batch."""

import numpy as np
import pytest

import minigan
from minigan.engine import backend

SPECIALS = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, -np.nan, 1e-40, -1e-40, 6e4, -6e4]


def _bits(x):
    x = np.asarray(x)
    return x.view(f"i{x.itemsize}")


def _gradients(rng, dtype, shape):
    values = np.array(SPECIALS + list(rng.standard_normal(12)))
    with np.errstate(invalid="ignore", over="ignore"):
        pool = np.concatenate([values, np.array([np.inf]) - np.array([np.inf])]).astype(dtype)  # x86's NaN: sign set
    return rng.choice(pool, size=shape)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("shape", [(), (1,), (7,), (5, 9), (3, 4, 6)])
def test_keep_where_is_wheres_select_bit_for_bit(dtype, shape):
    rng = np.random.default_rng([np.dtype(dtype).itemsize, len(shape), *shape])
    for _ in range(10):
        a = _gradients(rng, dtype, shape)
        keep = rng.random(shape) < 0.5
        keep = keep if shape else np.bool_(keep)  # (a comparison of 0-d arrays gives a NumPy scalar)
        layouts = [(keep, a)]
        if len(shape) >= 2:
            layouts += [(keep.T, a.T), (keep, np.broadcast_to(a[:1], shape))]  # transposed, broadcast (stride 0)
        for k, g in layouts:
            got, want = backend.keep_where(k, g), np.where(k, g, g.dtype.type(0))
            assert np.asarray(got).dtype == g.dtype and np.shape(got) == np.shape(g)
            np.testing.assert_array_equal(_bits(got), _bits(want))
        assert not np.shares_memory(np.asarray(backend.keep_where(keep, a)), a)  # a new array: a is not written


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_relu_has_pytorchs_gradient_at_every_special_value(dtype):
    """Every input (±0, ±∞, NaN of either sign, tiny and large) against every upstream gradient, in one batch."""
    torch = pytest.importorskip("torch")
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
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (torch, minigan):
        t = lib.tensor(x, dtype=lib.float32, requires_grad=True)
        (g,) = lib.autograd.grad(t.relu(), t, lib.tensor(upstream, dtype=lib.float32))
        grads.append(np.asarray(g.detach().numpy()))
    assert grads[1].shape == grads[0].shape == ()
    np.testing.assert_array_equal(grads[1], grads[0])
    assert np.signbit(grads[1]) == np.signbit(grads[0])
