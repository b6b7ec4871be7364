"""Shape ops: reshape, transpose, getitem, cat, pad, and moving between devices.

None of them does arithmetic, so each backward just routes the gradient back to where the
values came from.
"""

from minigan import backend
from minigan.autograd.graph import Node, unbroadcast
from minigan.errors import IndexOutOfRange, ShapeError

# ----------------------------------------------------------------------------- argument checks


def normalize_shape(shape, size, old_shape):
    """``reshape(2, 3)`` or ``reshape((2, 3))``, with at most one -1 (NumPy's rules)."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    try:
        shape = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        raise TypeError(f"reshape: the new shape must be ints, got {shape!r}") from None
    if shape.count(-1) > 1 or any(n < -1 for n in shape):
        raise ShapeError(f"reshape: invalid shape {shape}: sizes must be >= 0, with at most one -1")
    known = 1
    for n in shape:
        known *= n if n != -1 else 1
    if -1 in shape:
        if known == 0 or size % known:
            raise ShapeError(f"reshape: cannot reshape a tensor of shape {old_shape} ({size} elements) into {shape}")
        shape = tuple(size // known if n == -1 else n for n in shape)
    elif known != size:
        raise ShapeError(f"reshape: cannot reshape a tensor of shape {old_shape} ({size} elements) into {shape}")
    return shape


def normalize_axes(axes, ndim):
    """``transpose()`` reverses; otherwise a full permutation of range(ndim)."""
    if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
        axes = tuple(axes[0])
    if not axes:
        return tuple(reversed(range(ndim)))
    try:
        axes = tuple(int(a) % ndim if -ndim <= int(a) < ndim else -1 for a in axes)
    except (TypeError, ValueError, ZeroDivisionError):
        raise TypeError(f"transpose: axes must be ints, got {axes!r}") from None
    if sorted(axes) != list(range(ndim)):
        raise ShapeError(f"transpose: axes {axes} are not a permutation of the {ndim} axes of the tensor")
    return axes


def normalize_pad(pad_width, ndim):
    """An int, one (before, after) pair for every axis, or a sequence of ndim pairs."""
    if ndim == 0:
        raise ShapeError(f"pad: cannot pad a 0-d tensor (shape ()) with pad_width {pad_width!r}; "
                         "expected a tensor with at least one axis")
    if isinstance(pad_width, int):
        pad_width = ((pad_width, pad_width),) * ndim
    pw = tuple(tuple(int(v) for v in p) if isinstance(p, (tuple, list)) else (int(p), int(p)) for p in pad_width)
    if len(pw) == 1 and ndim != 1:
        pw = pw * ndim
    if len(pw) != ndim or any(len(p) != 2 or p[0] < 0 or p[1] < 0 for p in pw):
        raise ShapeError(
            f"pad: pad_width {pad_width!r} must give a non-negative (before, after) pair for each of {ndim} axes"
        )
    return pw


def normalize_index(items, tensor):
    """Check the index items for array ``tensor``: ints and integer arrays against the bounds (CuPy would
    wrap around), bool masks against the shape, and no more axes than the tensor has."""
    used = sum(_axes_used(it) for it in items)
    if used > tensor.ndim:
        raise IndexOutOfRange(f"getitem: too many indices for a tensor of shape {tensor.shape}: "
                              f"{used} axes indexed, it has {tensor.ndim}")
    out, axis, advanced = [], 0, False
    for pos, it in enumerate(items):
        if not (isinstance(it, (int, slice, list)) or it is None or it is Ellipsis or backend.is_array(it)
                or (backend.is_numpy_scalar(it) and backend.is_integer(it.dtype))):
            raise TypeError(
                f"getitem: index {it!r} of type {type(it).__name__} is not valid; expected ints, slices, "
                "None, ..., or integer/bool arrays"
            )
        if backend.is_array(it) or isinstance(it, list):
            xp = backend.get_array_module(tensor)
            it = xp.asarray(it) if not backend.is_array(it) else it
            if backend.device_of(it) != backend.device_of(tensor):
                it = backend.to_device(it, backend.device_of(tensor))
            if backend.is_floating(it.dtype):
                raise TypeError(f"getitem: index arrays must be integer or bool, got dtype {it.dtype}")
            advanced = True
            if backend.is_integer(it.dtype) and it.size and axis < tensor.ndim:
                n = tensor.shape[axis]
                lo, hi = int(it.min()), int(it.max())
                if lo < -n or hi >= n:
                    raise IndexOutOfRange(
                        f"getitem: index {hi if hi >= n else lo} is out of bounds for axis {axis} with size {n}"
                    )
            if backend.is_bool(it.dtype) and tuple(it.shape) != tuple(tensor.shape[axis:axis + it.ndim]):
                raise IndexOutOfRange(f"getitem: a boolean mask of shape {it.shape} does not fit axes "
                                      f"{axis}..{axis + it.ndim - 1} of a tensor of shape {tensor.shape}")
        elif isinstance(it, int) or backend.is_numpy_scalar(it):
            n = tensor.shape[axis]
            if not -n <= int(it) < n:
                raise IndexOutOfRange(f"getitem: index {int(it)} is out of bounds for axis {axis} with size {n}")
        elif it is Ellipsis:  # the ellipsis spans every axis the items after it do not use
            axis = tensor.ndim - sum(_axes_used(j) for j in items[pos + 1 :])
            out.append(it)
            continue
        axis += _axes_used(it)
        out.append(it)
    if not advanced and Ellipsis not in out:
        out.append(Ellipsis)  # NumPy's x[0, 1] is a copy, x[0, 1, ...] a (0-d) view; PyTorch's x[0, 1] is a view
    return (tuple(out), advanced)


def _axes_used(item):
    """How many axes of the indexed tensor one index item consumes."""
    if item is None or item is Ellipsis:
        return 0
    if backend.is_array(item) and backend.is_bool(item.dtype):
        return item.ndim
    return 1


# ----------------------------------------------------------------------------- ops


class Reshape(Node):
    is_view = True

    def forward(self, x, shape):
        self.in_shape = x.shape
        return x.reshape(shape)

    def backward(self, grad):  # a reshape moves no values: reshape the gradient back
        return (grad.reshape(self.in_shape),)


class BroadcastTo(Node):
    is_view = True

    def forward(self, x, shape):
        self.in_shape = x.shape
        return backend.get_array_module(x).broadcast_to(x, shape)

    def backward(self, grad):  # every copy of an element hands its gradient back: sum them
        return (unbroadcast(grad, self.in_shape),)


class Transpose(Node):
    is_view = True

    def forward(self, x, axes):
        self.axes = axes
        return x.transpose(axes)

    def backward(self, grad):  # undo the permutation: transpose by its inverse
        inverse = [0] * len(self.axes)
        for i, a in enumerate(self.axes):
            inverse[a] = i
        return (grad.transpose(inverse),)


class GetItem(Node):
    is_view = True

    def forward(self, x, index):
        self.index, self.advanced = index
        self.in_shape = x.shape
        return x[self.index]

    def backward(self, grad):  # each output element came from one input element: put it back
        return (IndexAdd.apply(grad, index=(self.index, self.advanced), shape=self.in_shape),)


class IndexAdd(Node):
    """zeros(shape) with ``values`` added at ``index``: getitem's adjoint (and getitem is its backward)."""

    def forward(self, values, index, shape):
        self.index = index
        xp = backend.get_array_module(values)
        out = xp.zeros(shape, dtype=values.dtype)
        where, advanced = index
        if advanced:  # an integer array may repeat an index: those values must add up
            backend.scatter_add(out, where, values)
        else:  # basic slicing never repeats an element
            out[where] = values
        return out

    def backward(self, grad):  # d/d values = the gradient read back at the same index
        return (GetItem.apply(grad, index=self.index),)


class IndexPut(Node):
    """``a`` with ``values`` written at ``index`` (``a[index] = values``, recorded)."""

    def forward(self, a, values, index):
        self.index, self.shape_v = index, values.shape
        out = a.copy()
        out[index[0]] = values
        return out

    def backward(self, grad):  # d/da = 1 where not written, 0 where written; d/dvalues = the grad read there
        need_a, need_values = self.needs_input_grad
        da = grad * _unwritten(grad, lambda m: m.__setitem__(self.index[0], False)) if need_a else None
        dv = unbroadcast(GetItem.apply(grad, index=self.index), self.shape_v) if need_values else None
        return da, dv


class CopySlices(Node):
    """A base tensor after an in-place op changed one of its views: its old values, with the view's
    part replaced by ``src``.  (The change was already written through the view; the node only
    records it, as PyTorch's CopySlices does.)  ``view_fn``: the (op, params) pairs that make the view."""

    def forward(self, base, src, view_fn):
        self.view_fn = view_fn
        return base

    def backward(self, grad):  # d/dbase = 1 outside the view, 0 inside; d/dsrc = the view of the gradient
        need_base, need_src = self.needs_input_grad
        dbase = grad * _unwritten(grad, lambda m: _view(m, self.view_fn).fill(False)) if need_base else None
        dsrc = _view(grad, self.view_fn) if need_src else None
        return dbase, dsrc


def _view(x, view_fn):
    """Apply the view ops ``view_fn`` to an array or a Tensor (differentiably for a Tensor)."""
    for op, params in view_fn:
        x = op.apply(x, **params)
    return x


def _unwritten(grad, clear):
    """A constant bool mask of grad's shape: True, with ``clear(mask)`` setting the written places False."""
    array = grad if isinstance(grad, backend.PLAIN_TYPES) else grad.array
    mask = backend.get_array_module(array).ones(array.shape, dtype=bool)
    clear(mask)
    return mask


class Cat(Node):
    def forward(self, *xs, axis=0):
        xp = backend.get_array_module(*xs)
        self.axis = axis
        self.sizes = [x.shape[axis] for x in xs]
        return xp.concatenate(xs, axis=axis)

    def backward(self, grad):  # each input gets back its own slice of the gradient
        out, start = [], 0
        for size, need in zip(self.sizes, self.needs_input_grad):
            index = [slice(None)] * grad.ndim
            index[self.axis] = slice(start, start + size)
            out.append(grad[tuple(index)] if need else None)
            start += size
        return tuple(out)


class Pad(Node):
    def forward(self, x, pad_width, value=0.0):
        xp = backend.get_array_module(x)
        self.pad_width = pad_width
        return xp.pad(x, pad_width, mode="constant", constant_values=value)

    def backward(self, grad):  # padding is constant: only the interior flows back
        index = tuple(slice(before, grad.shape[i] - after) for i, (before, after) in enumerate(self.pad_width))
        return (grad[index],)


class ToDevice(Node):
    def forward(self, x, device):
        self.source = backend.device_of(x)
        return backend.to_device(x, device)

    def backward(self, grad):  # a copy: the gradient goes back to where the input lived
        return (ToDevice.apply(grad, device=self.source),)


def check_cat(tensors, axis, op="cat"):
    """Validate tensors for ``cat``; returns the normalized axis."""
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise ValueError(f"{op}: expected a non-empty list of tensors, got {type(tensors).__name__}")
    ndim = tensors[0].ndim
    if ndim == 0:
        raise ShapeError(f"{op}: zero-dimensional tensors cannot be concatenated")
    if not -ndim <= axis < ndim:
        raise ShapeError(f"{op}: axis {axis} is out of range for tensors with {ndim} dimensions")
    axis %= ndim
    first = tensors[0].shape
    for i, t in enumerate(tensors[1:], start=1):
        s = t.shape
        if len(s) != ndim or any(a != b for j, (a, b) in enumerate(zip(s, first)) if j != axis):
            raise ShapeError(
                f"{op}: tensor {i} has shape {s}, but tensor 0 has shape {first}; all shapes must match "
                f"except along axis {axis}"
            )
    return axis
