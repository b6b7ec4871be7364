"""``x.storage()`` and ``x.untyped_storage()``: the memory under a tensor, as PyTorch's storages show it.

A minigan tensor is an array (NumPy or CuPy); a view of a tensor (``x[1]``, ``x.t()``, ``x.view(-1)``) is an array
that looks into the memory of another.  That memory, the whole of it, is the tensor's storage: the array at the
root of the chain of ``.base``\\ s, seen as one flat row of elements (``TypedStorage``, what ``storage()``
gives: PyTorch has deprecated it, and warns once) or of bytes (``UntypedStorage``).  So two views of one tensor
share one storage::

    x = minigan.zeros(3, 4)
    x[1].storage().data_ptr() == x.storage().data_ptr()   # True: the same memory
    x[1].storage_offset()                                   # 4: where x[1] starts in it, in elements
    x.clone().storage().data_ptr() == x.storage().data_ptr()  # False: a copy has its own

Reading a storage reads the memory; ``s[i] = v`` writes it, under the tensor (and outside autograd, as in
PyTorch).  A storage is a window onto the arrays, not a copy: nothing is allocated.
"""

from __future__ import annotations

import warnings

from minigan import _dtype
from minigan.engine import backend
from minigan.engine.dtypes import TYPE_NAMES

_warned: list = []  # storage() has warned (PyTorch warns once a process)
_STORAGE_NAMES = {backend.np.dtype(dtype): name.replace("Tensor", "Storage") for name, dtype in TYPE_NAMES.items()}


def address(array) -> int:
    """Where the first element of ``array`` is in memory (PyTorch's ``data_ptr()``)."""
    interface = getattr(array, "__array_interface__", None) or array.__cuda_array_interface__  # NumPy's, CuPy's
    return interface["data"][0]


def root(array):
    """The array that owns the memory ``array`` looks into (``array`` itself when it is not a view)."""
    while backend.is_array(array.base):
        array = array.base
    return array


def own_storage(array):
    """``array`` as the start of a storage of its own, as PyTorch's from_numpy takes a NumPy array: the same memory,
    seen through an array whose ``.base`` is no array (a memoryview of it), so that ``root`` stops there.  A tensor
    made of ``a[1:]`` then has storage_offset() 0 and a storage that is ``a[1:]``'s memory, not all of ``a``'s.  (An
    array that is no view, or a CuPy array, is handed back as it is.)"""
    if type(array) is not backend.np.ndarray or not backend.is_array(array.base):
        return array
    return backend.np.asarray(memoryview(array))


def _flat(array):
    """The memory under ``array``, as a 1-D array of its dtype sharing it."""
    owner = root(array)
    if owner.dtype != array.dtype or min(owner.strides, default=0) < 0:
        owner = array  # (memory of another dtype, or laid out backwards: the tensor's own elements)
    if owner.flags.c_contiguous or owner.flags.f_contiguous:
        return owner.reshape(-1, order="A")
    # With gaps (from_numpy(a[:, ::2])): the span from its first element to its last, as PyTorch's storage
    span = sum((n - 1) * s for n, s in zip(owner.shape, owner.strides)) // owner.itemsize + 1
    return backend.get_array_module(owner).lib.stride_tricks.as_strided(owner, (span,), (owner.itemsize,))


class _Storage:
    """What both storages share: a flat array ``self.array`` over the memory, its size, address and device."""

    def __init__(self, array):
        self.array = array

    def size(self) -> int:
        return int(self.array.size)

    def __len__(self):
        return int(self.array.size)

    def nbytes(self) -> int:
        return int(self.array.nbytes)

    def element_size(self) -> int:
        return int(self.array.itemsize)

    def data_ptr(self) -> int:
        return address(self.array)

    @property
    def device(self) -> backend.Device:
        return backend.Device(backend.device_of(self.array))

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def is_shared(self) -> bool:
        return False  # (PyTorch's: shared between processes; minigan runs in one)

    def tolist(self) -> list:
        return backend.asnumpy(self.array).tolist()

    def _index(self, idx) -> int:
        n = len(self)
        if not -n <= idx < n:
            raise IndexError(f"index {idx} out of range for storage of size {n}")
        return idx % n

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            raise RuntimeError("slices are only supported in UntypedStorage.__getitem__")
        return self.array[self._index(int(idx))].item()

    def __setitem__(self, idx, value):
        self.array[self._index(int(idx))] = value

    def __iter__(self):
        return iter(self.tolist())

    def _info(self) -> str:
        raise NotImplementedError

    def __str__(self):  # PyTorch's: one element a line, then what it is
        return " " + "\n ".join(str(v) for v in self.tolist()) + "\n" + self._info()

    __repr__ = __str__


class TypedStorage(_Storage):
    """``x.storage()``: the elements of the memory under ``x``, in its dtype."""

    @property
    def dtype(self) -> _dtype.dtype:
        return _dtype.of(self.array.dtype)

    def type(self) -> str:
        return f"minigan.{_STORAGE_NAMES.get(self.array.dtype, 'Storage')}"

    def untyped(self) -> UntypedStorage:
        return UntypedStorage(self.array.view(backend.np.uint8))

    def _info(self) -> str:
        return f"[minigan.storage.TypedStorage(dtype={self.dtype}, device={self.device}) of size {len(self)}]"


class UntypedStorage(_Storage):
    """``x.untyped_storage()``: the bytes of the memory under ``x`` (no dtype); a slice is a storage too."""

    def __getitem__(self, idx):
        if isinstance(idx, slice):
            return UntypedStorage(self.array[idx])
        return super().__getitem__(idx)

    def _info(self) -> str:
        return f"[minigan.storage.UntypedStorage(device={self.device}) of size {len(self)}]"


def typed_storage(array) -> TypedStorage:
    """``Tensor.storage()``: with PyTorch's deprecation warning, the first time."""
    if not _warned:
        _warned.append(True)
        warnings.warn("TypedStorage is deprecated. It will be removed in the future and UntypedStorage will be the "
                      "only storage class. This should only matter to you if you are using storages directly.  To "
                      "access UntypedStorage directly, use tensor.untyped_storage() instead of tensor.storage()",
                      UserWarning, stacklevel=3)
    return TypedStorage(_flat(array))


def untyped_storage(array) -> UntypedStorage:
    """``Tensor.untyped_storage()``."""
    return UntypedStorage(_flat(array).view(backend.np.uint8))


def storage_offset(array) -> int:
    """Where ``array`` starts in its storage, in elements (PyTorch's ``storage_offset()``)."""
    return (address(array) - address(_flat(array))) // array.itemsize
