"""A tensor that shares a NumPy array's memory (from_numpy, as_tensor, asarray), against PyTorch.

PyTorch's storage for such a tensor is the array's own memory, starting at its first element: storage_offset() is 0
whatever NumPy array the given one is a view of (a[1:], a[0, 1], a[..., 1:]), the strides are the array's own, and a
view taken of the tensor later counts its offset from there.  Writes go both ways.
"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ARRAYS = {
    "whole": lambda a: a,
    "a[1:]": lambda a: a[1:],
    "a[:, 1:, ::2]": lambda a: a[:, 1:, ::2],
    "a[..., 1:]": lambda a: a[..., 1:],
    "a.T": lambda a: a.T,
    "a[1].T": lambda a: a[1].T,
    "a[0, 1]": lambda a: a[0, 1],
    "a[1, 2, 3:] as 0-d": lambda a: a[1, 2, 3:].reshape(()),
    "a[1, ::2, 1::2]": lambda a: a[1, ::2, 1::2],
}
DOORS = {
    "from_numpy": lambda lib, x: lib.from_numpy(x),
    "as_tensor": lambda lib, x: lib.as_tensor(x),
    "asarray": lambda lib, x: lib.asarray(x),
    "asarray copy=False": lambda lib, x: lib.asarray(x, copy=False),
}


def _layout(lib, door, name, dtype):
    a = (np.arange(24) % 5).astype(dtype).reshape(2, 3, 4)
    x = ARRAYS[name](a)
    t = DOORS[door](lib, x)
    shown = [t.stride(), t.storage_offset(), t.is_contiguous(), t.data_ptr() == x.__array_interface__["data"][0],
             t.untyped_storage().data_ptr() == t.data_ptr()]
    if t.ndim:
        v = t[..., 1:]
        shown += [v.stride(), v.storage_offset(), v.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()]
    t[(0,) * t.ndim] = 100  # (the first element of the view, written through the tensor into the array)
    return shown, a.ravel().tolist()


@pytest.mark.parametrize("dtype", ["float64", "int32", "bool"])
@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("name", list(ARRAYS))
def test_a_tensor_sharing_a_numpy_view_starts_its_storage_at_the_view(name, door, dtype):
    if door.startswith("asarray") and name.endswith("0-d"):
        pytest.skip("PyTorch's asarray copies a 0-d NumPy array (read as a number), copy=False too; minigan shares it")
    assert _layout(minigan, door, name, dtype) == _layout(torch, door, name, dtype)
