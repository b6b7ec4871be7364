"""Shape ops: reshape, transpose, getitem, cat, pad, and moving between devices.

None of them does arithmetic, so each backward just routes the gradient back to where the
values came from.
"""

from minigan.engine import backend
from minigan.engine.graph import Node, select, unbroadcast

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
        out = backend.get_array_module(x).broadcast_to(x, shape)
        if type(out) is backend.np.ndarray:  # NumPy makes it read-only, CuPy writable: writable where x is (PyTorch)
            out.flags.writeable = x.flags.writeable  # (fill_ writes through it; engine/inplace.py refuses most ops)
        return out

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
        (self.index, self.advanced), self.in_shape = index, x.shape
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
        out, self.unwritten = a.copy(), backend.get_array_module(a).ones(a.shape, dtype=bool)  # (a constant mask)
        out[index[0]], self.unwritten[index[0]] = values, False
        return out

    def backward(self, grad):  # d/da = 1 where not written, 0 where written; d/dvalues = the grad read there
        need_a, need_values = self.needs_input_grad
        da = select(self.unwritten, grad) if need_a else None
        dv = unbroadcast(GetItem.apply(grad, index=self.index), self.shape_v) if need_values else None
        return da, dv


class CopySlices(Node):
    """A base tensor after an in-place op changed one of its views: its old values, with the view's
    part replaced by ``src``.  (The change was already written through the view; the node only
    records it, as PyTorch's CopySlices does.)  ``view_fn``: the (op, params) pairs that make the view."""

    def forward(self, base, src, view_fn):
        self.view_fn = view_fn
        # The mask is laid out like the base (zeros_like keeps its axis order), so that the view ops reach the
        # same places in it: a reshape that is a view of a transposed base would be a copy of a C-ordered mask.
        self.unwritten = backend.get_array_module(base).ones_like(base, dtype=bool)
        _view(self.unwritten, view_fn).fill(False)
        return base

    def backward(self, grad):  # d/dbase = 1 outside the view, 0 inside; d/dsrc = the view of the gradient
        need_base, need_src = self.needs_input_grad
        return (select(self.unwritten, grad) if need_base else None), (_view(grad, self.view_fn) if need_src else None)


def _view(x, view_fn):
    """Apply the view ops ``view_fn`` to an array or a Tensor (differentiably for a Tensor)."""
    for op, params in view_fn:
        x = op.apply(x, **params)
    return x


class Cat(Node):
    def forward(self, *xs, axis=0):
        xp = backend.get_array_module(*xs)
        self.axis, self.sizes = axis, [x.shape[axis] for x in xs]
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

