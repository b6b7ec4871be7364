"""``x.storage()`` / ``x.untyped_storage()`` on their own terms: views share one storage and a copy has its own,
writing through the storage changes the tensor, a parameter's storage is its data, and an untyped storage slices
and has no dtype.

(Its comparisons with PyTorch: tests/pytorch/test_storage_and_pickling.py.)"""

import numpy as np
import pytest

import minigan
from engine.helpers_storage import quiet


def test_views_share_one_storage_a_copy_has_its_own():
    x = minigan.arange(12, dtype=minigan.float32).reshape(3, 4)
    row, col, t = x[1], x[:, 2], x.t()
    for view in (row, col, t, x.view(12), x[1:, ::2]):
        assert quiet(view.storage).data_ptr() == quiet(x.storage).data_ptr()
        assert view.untyped_storage().data_ptr() == x.untyped_storage().data_ptr()
    assert quiet(x.clone().storage).data_ptr() != quiet(x.storage).data_ptr()
    assert (x + 1).untyped_storage().data_ptr() != x.untyped_storage().data_ptr()
    assert row.storage_offset() == 4 and col.storage_offset() == 2 and x.storage_offset() == 0
    assert row.data_ptr() == x.data_ptr() + 4 * x.element_size()
    assert quiet(row.storage).size() == 12  # the whole memory, not the view's part


def test_writing_through_the_storage_changes_the_tensor():
    x = minigan.zeros(2, 3)
    s = quiet(x.storage)
    s[4] = 7.0
    assert x[1, 1].item() == 7.0 and s[4] == 7.0 and s[-2] == 7.0
    with pytest.raises(IndexError, match="out of range for storage of size 6"):
        s[6]  # noqa: B018


def test_a_parameters_storage_is_its_data():
    w = minigan.nn.Linear(3, 2).weight
    assert quiet(w.storage).data_ptr() == w.data_ptr() == quiet(w.data.storage).data_ptr()
    assert quiet(w.storage).tolist() == w.detach().reshape(-1).tolist()


def test_untyped_storage_slices_and_has_no_dtype():
    x = minigan.tensor([1.0, 2.0])
    u = x.untyped_storage()
    assert u.nbytes() == 8 and u[0:4].size() == 4 and u[0:4].data_ptr() == u.data_ptr()
    assert bytes(u.tolist()) == np.asarray([1.0, 2.0], np.float32).tobytes()
    with pytest.raises(AttributeError):
        u.dtype  # noqa: B018
    with pytest.raises(RuntimeError, match="slices are only supported in UntypedStorage"):
        quiet(x.storage)[0:1]
