"""A tensor sharing a NumPy view's memory (from_numpy, as_tensor, asarray) has a storage of its own that starts at
the view's first element, as PyTorch's: offsets count from there, strides are the view's, writes go both ways."""

import numpy as np
import pytest

import minigan


@pytest.mark.parametrize("door", [minigan.from_numpy, minigan.as_tensor, minigan.asarray])
def test_a_numpy_view_is_the_start_of_its_storage(door):
    a = np.arange(24.0).reshape(2, 3, 4)
    for view, span in ((a[1:], 12), (a[0, 1], 4), (a[..., 1:], 23), (a[:, 1:, ::2], 19)):
        t = door(view)
        assert t.storage_offset() == 0 and t.data_ptr() == view.__array_interface__["data"][0]
        assert t.stride() == tuple(s // 8 for s in view.strides)
        assert t.untyped_storage().data_ptr() == t.data_ptr() and t.untyped_storage().nbytes() == 8 * span
        assert t[..., 1:].storage_offset() == t.stride(-1)
        t[(0,) * t.ndim] = -1.0
        assert view[(0,) * t.ndim] == -1.0
    assert door(a).storage_offset() == 0 and door(a)[1].storage_offset() == 12


def test_asarray_without_a_copy_still_refuses_a_conversion():
    with pytest.raises(ValueError, match="copy=False"):
        minigan.asarray(np.arange(3), dtype=minigan.float32, copy=False)
    assert minigan.asarray(np.arange(6.0)[2:], copy=False).storage_offset() == 0
