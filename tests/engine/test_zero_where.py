"""backend.keep_where, relu's backward on a CPU: the select on the bits is NumPy's where() bit for bit (the value
where keep holds; +0 elsewhere, whatever was there: ±∞, NaN of either sign), in every float dtype, on any layout of
the gradient (transposed, broadcast) and on a 0-d one.

(Its comparisons with PyTorch: tests/pytorch/test_zero_where.py.)"""

import numpy as np
import pytest

from engine.helpers_zero_where import _bits, _gradients
from minigan.engine import backend


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
