"""backend.zero_where, relu's backward on a CPU: the select on the bits is NumPy's where() bit for bit (+0 where the
mask holds, whatever was there: ±∞, NaN of either sign; the value itself elsewhere), in every float dtype, on any
layout of the gradient (transposed, broadcast) and on a 0-d one; and relu's gradient of a 0-d tensor is PyTorch's."""

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
def test_zero_where_is_wheres_select_bit_for_bit(dtype, shape):
    rng = np.random.default_rng([np.dtype(dtype).itemsize, len(shape), *shape])
    for _ in range(10):
        a = _gradients(rng, dtype, shape)
        mask = rng.random(shape) < 0.5
        mask = mask if shape else np.bool_(mask)  # (a comparison of 0-d arrays gives a NumPy scalar)
        layouts = [(mask, a)]
        if len(shape) >= 2:
            layouts += [(mask.T, a.T), (mask, np.broadcast_to(a[:1], shape))]  # transposed, broadcast (stride 0)
        for m, g in layouts:
            got, want = backend.zero_where(m, g), np.where(m, g.dtype.type(0), g)
            assert np.asarray(got).dtype == g.dtype and np.shape(got) == np.shape(g)
            np.testing.assert_array_equal(_bits(got), _bits(want))
        assert not np.shares_memory(np.asarray(backend.zero_where(mask, a)), a)  # a new array: a is not written


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
