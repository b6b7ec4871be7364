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

import math
import warnings

from minigan import _dtype
from minigan._dtype import TYPE_NAMES
from minigan.engine import backend

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


def strides(array) -> tuple:
    """PyTorch's strides of ``array``, in elements: the array's where they say where elements are.  Where they say
    nothing, NumPy and PyTorch write different numbers, and PyTorch's are given: a dimension of size 1 that NumPy
    gives stride 0 (x[None], an expand that keeps it 1) has the stride of the dimension after it times its size, as
    PyTorch's unsqueeze and expand leave it; a new empty tensor (all NumPy's strides 0) has row-major strides."""
    if not array.size and not any(array.strides):
        return tuple(_row_major(array.shape))
    out, after = [], 1
    for n, s in zip(reversed(array.shape), reversed(array.strides)):
        out.insert(0, after if n == 1 and s == 0 else s // array.itemsize)
        after = out[0] * max(n, 1)
    return tuple(out)


def layout(array):
    """(storage, offset, shape, strides) of a host array, what pickle and deepcopy keep of a tensor, as PyTorch's:
    the 1-D array of the memory it looks into (``_flat``), where it starts there and its strides, in elements; None
    for a GPU array or an empty one (their values are kept instead)."""
    if type(array) is not backend.np.ndarray or not array.size:
        return None
    flat = _flat(array)
    return flat, storage_offset(array), tuple(array.shape), tuple(s // array.itemsize for s in array.strides)


def strided(storage, offset, shape, strides):
    """The array ``layout`` describes: ``storage`` seen from ``offset`` with ``strides`` (elements), sharing it."""
    size = storage.itemsize
    return backend.np.ndarray(shape, storage.dtype, buffer=storage, offset=offset * size,
                              strides=tuple(s * size for s in strides))


def _row_major(shape) -> list:
    """Row-major strides of ``shape``, in elements, as PyTorch gives them (a size 0 counted as 1)."""
    sizes = [max(n, 1) for n in shape]
    return [math.prod(sizes[i + 1:]) for i in range(len(sizes))]


def empty_view_layout(tensor):
    """(storage offset, strides) of an empty view, as PyTorch's, or None for any other tensor.  NumPy does not move
    an empty slice into its base (x[3:3] starts at x's first element, with x's strides), where PyTorch's slice moves
    the offset by start × stride and multiplies the stride by the step, elements or none.  So the view's ops (its
    reshapes, transposes, expands and basic indexing) are replayed on its base: by NumPy while the result has
    elements, then on PyTorch's (offset, shape, strides) by PyTorch's rules from the op that left none."""
    if tensor.array.size or tensor._base is None:
        return None
    array, layout = tensor._base.array, None
    if not array.size:
        layout = (storage_offset(array), array.shape, strides(array))
    for op, params in tensor._view_fn:
        if layout is None:
            result = op.apply(array, **params)
            if result.size:
                array = result
                continue
            layout = (storage_offset(array), array.shape, strides(array))
        layout = _view_layout(layout, op.__name__, params)
        if layout is None:  # (an op whose layout is not modelled: NumPy's numbers stand)
            return None
    return layout[0], tuple(layout[2])


def _view_layout(layout, op, params):
    """PyTorch's (offset, shape, strides) after one view op on a tensor laid out as ``layout``."""
    offset, shape, stride = layout[0], list(layout[1]), list(layout[2])
    if op == "Transpose":
        return offset, [shape[a] for a in params["axes"]], [stride[a] for a in params["axes"]]
    if op == "Reshape":  # (of no elements: the strides kept for the same shape, else row-major, as PyTorch's view)
        new = list(params["shape"])
        return (offset, shape, stride) if new == shape else (offset, new, _row_major(new))
    if op == "BroadcastTo":  # (PyTorch's expand: stride 0 along a dimension it grows or adds)
        new, out = list(params["shape"]), []
        for i in range(len(new) - 1, -1, -1):
            k = i - (len(new) - len(shape))
            size, s = (shape[k], stride[k]) if k >= 0 else (1, new[i + 1] * out[0] if out else 1)
            out.insert(0, s if size == new[i] else 0)
        return offset, new, out
    if op != "GetItem" or params["index"][1]:
        return None
    index, d = params["index"][0], 0
    index = index if isinstance(index, tuple) else (index,)
    for item in index:
        if item is Ellipsis:
            d += len(shape) - d - sum(1 for i in index[index.index(Ellipsis) + 1:] if i is not None)
        elif item is None:  # (PyTorch's unsqueeze)
            shape.insert(d, 1)
            stride.insert(d, shape[d + 1] * stride[d] if d < len(stride) else 1)
            d += 1
        elif isinstance(item, slice):  # (PyTorch's slice: start and stop clamped into the dimension)
            n, step = shape[d], item.step or 1
            start = 0 if item.start is None else item.start + n if item.start < 0 else item.start
            stop = n if item.stop is None else item.stop + n if item.stop < 0 else item.stop
            start = min(max(start, 0), n)
            stop = min(max(stop, start), n)
            offset += start * stride[d]
            shape[d], stride[d] = (stop - start + step - 1) // step, stride[d] * step
            d += 1
        else:  # an integer
            offset += (item + shape[d] if item < 0 else item) * stride[d]
            del shape[d], stride[d]
    return offset, shape, stride
