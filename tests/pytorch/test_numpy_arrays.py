"""NumPy arrays and scalars given to tensors, against PyTorch (tests/pytorch/sweep.py):

* tensor / as_tensor / asarray / from_numpy of an array: a negative stride (a[::-1]) is PyTorch's ValueError at each
  door; a broadcast array (zero strides) is copied row-major by tensor(); a copy keeps the array's order of
  dimensions in memory (NumPy's order "K": tensor(a.T) is transposed, not contiguous, a dtype= conversion too), and
  writing it leaves the array alone;
* a tensor sharing an array's memory (from_numpy, as_tensor, asarray) has its storage start at the array's first
  element: storage_offset() 0 whatever array the given one is a view of, the array's own strides, a later view's
  offset counted from there, writes going both ways (PyTorch's asarray copies a 0-d array, read as a number, where
  minigan shares it: left out);
* x[index] = a NumPy scalar: a Python number (np.float64 subclasses float) or a NumPy integer is taken, every other
  NumPy scalar (np.float32, np.float16, np.longdouble, np.bool_) refused with a TypeError whatever the dtype and the
  index's kind (other doors read them as numbers: test_numpy_scalar_arguments.py).
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

_A = np.arange(24.0).reshape(2, 3, 4)
TAKEN = {
    "row-major": _A, "transposed": _A.T, "sliced with a step": _A[:, ::2], "reversed rows": _A[::-1],
    "reversed last axis": _A[..., ::-1], "reversed 1-d": np.arange(5.0)[::-1],
    "broadcast": np.broadcast_to(np.arange(4.0), (3, 4)),
    "broadcast, transposed": np.broadcast_to(np.arange(3.0)[:, None], (3, 4)).T, "0-d": np.array(2.5),
}
DOORS = {
    "tensor": lambda L, x: L.tensor(x), "as_tensor": lambda L, x: L.as_tensor(x),
    "asarray": lambda L, x: L.asarray(x), "from_numpy": lambda L, x: L.from_numpy(x),
    "asarray copy=False": lambda L, x: L.asarray(x, copy=False),
    "tensor dtype=float32": lambda L, x: L.tensor(x, dtype=L.float32),
    "as_tensor dtype=float32": lambda L, x: L.as_tensor(x, dtype=L.float32),
    "asarray copy=True": lambda L, x: L.asarray(x, copy=True),
}


def _taken(L, door, array):
    t = DOORS[door](L, TAKEN[array])
    return t.stride(), t.tolist()


test_each_door_takes_a_numpy_array_as_pytorchs = sweep(_taken, [  # (a read-only array into from_numpy: PyTorch
    (door, array) for door in list(DOORS)[:4] for array in TAKEN  # warns and shares it: test_creation.py)
    if door != "from_numpy" or TAKEN[array].flags.writeable], every=1)  # (35 cheap cases: all by default)
VIEWS = {
    "whole": lambda a: a, "a[1:]": lambda a: a[1:], "a[:, 1:, ::2]": lambda a: a[:, 1:, ::2],
    "a[..., 1:]": lambda a: a[..., 1:], "a.T": lambda a: a.T, "a[1].T": lambda a: a[1].T,
    "a[0, 1]": lambda a: a[0, 1], "a[1, 2, 3:] as 0-d": lambda a: a[1, 2, 3:].reshape(()),
    "a[1, ::2, 1::2]": lambda a: a[1, ::2, 1::2], "a.T[::2]": lambda a: a.T[::2], "a[:, ::2].T": lambda a: a[:, ::2].T,
    "Fortran order": lambda a: np.asfortranarray(a), "a[::-1] copied": lambda a: a[::-1].copy(),
    "a.transpose(1, 0, 2)": lambda a: a.transpose(1, 0, 2), "a[:, 1:]": lambda a: a[:, 1:],
}


def _shared(L, door, name, dtype):
    a = (np.arange(24) % 5).astype(dtype).reshape(2, 3, 4)
    x = VIEWS[name](a)
    t = DOORS[door](L, x)
    shown = [t.stride(), t.storage_offset(), t.is_contiguous(), t.data_ptr() == x.__array_interface__["data"][0],
             t.untyped_storage().data_ptr() == t.data_ptr()]
    if t.ndim:
        v = t[..., 1:]
        shown += [v.stride(), v.storage_offset(), v.untyped_storage().data_ptr() == t.untyped_storage().data_ptr()]
    t[(0,) * t.ndim] = 100  # (the first element, written through the tensor: into the array where it is shared)
    return shown, t.tolist(), a.ravel().tolist()


test_a_tensor_sharing_a_numpy_view_starts_its_storage_at_the_view = sweep(_shared, [
    (door, name, dtype) for door in ["from_numpy", "as_tensor", "asarray", "asarray copy=False"]
    for name in list(VIEWS)[:9] for dtype in ["float64", "int32", "bool"]
    if not (door.startswith("asarray") and name.endswith("0-d"))])
test_a_copy_of_a_numpy_array_keeps_its_layout_as_pytorch = sweep(_shared, [
    (door, name, "float64") for door in ["tensor", "tensor dtype=float32", "as_tensor dtype=float32",
                                         "asarray copy=True"]
    for name in ["a.T", "a.transpose(1, 0, 2)", "a.T[::2]", "a[:, ::2].T", "Fortran order", "a[:, 1:]",
                 "a[::-1] copied", "whole"]])
INDEXES = {"int": lambda T: 0, "slice": lambda T: slice(0, 2), "tuple": lambda T: (1,), "ellipsis": lambda T: ...,
           "list": lambda T: [0, 2], "index tensor": lambda T: T.tensor([0, 2]),
           "mask": lambda T: T.tensor([True, False, True, False]), "0-d tensor": lambda T: T.tensor(1),
           "False": lambda T: False}
SCALARS = [np.float64(1.5), np.float32(1.5), np.float16(1.5), np.longdouble(1.5), np.int64(3), np.int32(3),
           np.int16(3), np.int8(3), np.uint8(3), np.uint64(3), np.bool_(True), np.bool_(False)]


def _set(L, dtype, index, value):
    x = L.zeros(4, dtype=getattr(L, dtype))
    x[INDEXES[index](L)] = value
    return x


test_setitem_takes_the_numpy_scalars_pytorch_takes = sweep(_set, list(itertools.product(
    ["float64", "float32", "float16", "int64", "int32", "uint8", "bool"], INDEXES, SCALARS)), every=7,
    cover=[lambda dtype, index, value: f"{type(value).__name__}({value})"])
