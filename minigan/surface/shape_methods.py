"""The methods of minigan.Tensor that move, pick or order its elements: shapes (``x.flip``, ``x.split``,
``x.tril``, ``x.rot90``, ...), indexing by tensors (``x.gather``, ``x.index_fill``, ``x.masked_select``, ...) and
sorting (``x.sort``, ``x.topk``, ``x.median``, ...).  Each hands over to its body in this folder (shapes.py,
indexing.py, sorting.py), the one the free function of the same name is; ``Tensor`` inherits them beside the
other methods (methods.py).
"""

from __future__ import annotations

from minigan.engine.errors import GraphError, ShapeError
from minigan.engine.methods import _dim
from minigan.surface import shapes
from minigan.surface.numpy_names import REQUIRED, numpy_names


class TensorShapes:
    """Mixed into ``Tensor``: its methods of shapes, indexing and sorting."""

    __slots__ = ()

    def split(self, split_size, dim=0):
        return shapes.split(self, split_size, dim)

    def flip(self, *dims, **dims_keyword):  # x.flip(0, 1), x.flip((0, 1)) or x.flip(dims=[3])
        dims = dims_keyword.pop("dims") if "dims" in dims_keyword and not dims else dims
        if dims_keyword:
            raise TypeError(f"flip: unexpected keyword argument {next(iter(dims_keyword))!r} (flip takes dims)")
        return shapes.flip(self, dims[0] if len(dims) == 1 and isinstance(dims[0], (tuple, list)) else dims)

    def repeat(self, *sizes, repeats=None):  # (repeats=: PyTorch's name, by keyword)
        sizes = sizes if repeats is None else (repeats,)
        sizes = sizes[0] if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes
        if len(sizes) < self.ndim:  # (tile pads them with 1s; PyTorch's repeat refuses)
            raise ShapeError(f"repeat: {len(sizes)} repeats for a tensor of {self.ndim} dimensions; give one for "
                             "each dimension (at least)")
        return shapes.tile(self, sizes)

    def tile(self, *sizes, dims=None):
        sizes = sizes if dims is None else (dims,)
        return shapes.tile(self, sizes[0] if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes)

    # The in-place forms that change the shape, as PyTorch's: x keeps its memory and takes the shape (and strides)
    # of the out-of-place form's result, and its version goes up; outside a graph only (_reshaped_in_place)
    def t_(self):
        return _reshaped_in_place(self, "t_", lambda x: x.t())

    def transpose_(self, dim0, dim1):
        return _reshaped_in_place(self, "transpose_", lambda x: x.transpose(dim0, dim1))

    def swapdims_(self, dim0, dim1):
        return _reshaped_in_place(self, "swapdims_", lambda x: x.transpose(dim0, dim1))

    def swapaxes_(self, axis0, axis1):
        return _reshaped_in_place(self, "swapaxes_", lambda x: x.transpose(axis0, axis1))

    def squeeze_(self, dim=None, *, axis=None):  # (axis: NumPy's name for dim, as PyTorch's parser takes it)
        dim = dim if axis is None else _dim("squeeze_", dim, axis)
        return _reshaped_in_place(self, "squeeze_", lambda x: x.squeeze() if dim is None else x.squeeze(dim))

    def unsqueeze_(self, dim=REQUIRED, *, axis=None):
        if axis is not None or dim is REQUIRED:
            (dim,) = numpy_names("unsqueeze_", dim=(dim, REQUIRED, axis))
        return _reshaped_in_place(self, "unsqueeze_", lambda x: x.unsqueeze(dim))


def _reshaped_in_place(x, name, reshaped):
    """``x.name(...)``: x's array becomes ``reshaped(x)``'s, a view of the same memory (its arguments checked as the
    out-of-place form checks them); a view stays a view of its base, through one more view op.  A tensor that
    requires grad is refused: the graph follows a tensor's shape as it was made (PyTorch records the change)."""
    out = reshaped(x)
    if x.requires_grad:
        raise GraphError(f"{name}: this tensor requires grad, and minigan changes a shape in place only outside a "
                         f"graph; write x = x.{name[:-1]}(...) (a view: the same memory)")
    x.array = out.array
    if x._base is not None:  # (the ops that make it from its base, should its history be made again)
        x._view_fn = out._view_fn
    x._version_counter()[0] += 1  # (a change in place, as PyTorch counts it)
    return x
