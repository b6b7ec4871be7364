"""Indexing by tensors: ``gather``/``scatter``, the ``index_*`` family, ``take``, ``masked_select``, ``nonzero``.
"""

from __future__ import annotations

import builtins
import math
import warnings

from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DivisionByZero, DomainError, DtypeError, IndexOutOfRange, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import Node
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import shape as S
from minigan.engine.tensor import Tensor
from minigan.surface import data as data_
from minigan.surface.no_derivative import no_derivative
from minigan.surface.node_view import name as node_name
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _fresh, _t, fits, in_dtype, one_value
from minigan.surface.saved import saves


def _index_array(index, like):
    """An index as an array on ``like``'s device (PyTorch's index tensors; a list or array too), its dtype unchecked:
    each door checks it where PyTorch does, and raises PyTorch's class for it."""
    return index.array if isinstance(index, Tensor) else data_.to_array(index, None, like.device, infer=True)


def _integer(array, fn, kinds=("int64", "int32"), error=DtypeError):
    if array.dtype.name not in kinds:
        raise error(f"{fn}: index must be an integer tensor ({' or '.join(kinds)}), got dtype {array.dtype}; convert "
                    "it with .long()")


def _in_range(index, size, fn, what):
    if index.size and (int(index.min()) < 0 or int(index.max()) >= size):
        bad = int(index.min()) if int(index.min()) < 0 else int(index.max())
        raise IndexOutOfRange(f"{fn}: index {bad} is out of range for {what} of size {size}")


def _read_at_backward(out, source, idx, size, fn, node):
    """``out`` (nothing was written: an empty input, or source) where PyTorch's kernel read no index.  Its backward
    reads source's gradient at the index (the incoming gradient's index_select), which refuses one out of
    [0, size): there, the backward reaching source raises (RuntimeError), as PyTorch's; input's own still runs."""
    if not (source.requires_grad and idx.size and (int(idx.min()) < 0 or int(idx.max()) >= size)):
        return out
    bad = int(idx.min()) if int(idx.min()) < 0 else int(idx.max())
    refused = no_derivative(backend.np.zeros(tuple(out.shape), out.array.dtype), fn, source, error=IndexOutOfRange,
                            why=f"source's gradient is read at index {bad}, out of range for a dim of size {size} "
                            "(PyTorch's backward refuses it; its forward, writing nothing, did not); give indices "
                            "in range")
    return shown_as(out + refused, node)


def _nonempty(shape):
    """A shape as PyTorch's scatter and gather read it: a 0-d tensor as a vector of one (ensure_nonempty_size)."""
    return tuple(shape) or (1,)


def _along(index, dim):
    """The advanced index that reads at ``index`` along ``dim`` and at each element's own position elsewhere."""
    grid = list(backend.get_array_module(index).ogrid[tuple(slice(n) for n in index.shape)])
    grid[dim] = index
    return tuple(grid)


class _AddInto(Node):
    """A copy of x with ``values`` added at ``index`` one by one, in the index's order: PyTorch's scatter_add,
    index_add and index_put(accumulate=True), ``out = x.clone(); out[index] += values``.  An entry nothing is added
    to keeps x's value bit for bit (−0 stays −0, where zeros with the values added, plus x, gave +0), and a repeated
    entry adds its values to x's in turn (1 + 1e-16 + 1e-16 is 1).  ``order``: the copy's layout ("C" or "K")."""

    def forward(self, x, values, index, order):
        self.index = index
        out = backend.get_array_module(x).array(x, order=order)
        backend.scatter_add(out, index, values)
        return out

    def backward(self, grad):  # d/dx = 1, d/dvalues = the gradient read back at the index
        need_x, need_values = self.needs_input_grad
        return grad if need_x else None, S.GetItem.apply(grad, index=(self.index, True)) if need_values else None


def _scatter_checks(x, dim, index, src, fn):
    """scatter's and scatter_add's checks in PyTorch's order (its scatter_meta_impl): the dim; the index's dtype (when
    it has entries) and src's; then, for an index with entries, its number of dimensions and its sizes against input's
    (apart from dim) and src's.  Returns the dim and the index as an array (0-d ones read as vectors of one)."""
    d = checks.normalize_axis(dim, x.ndim, fn, single=True)
    idx = _index_array(index, x)
    if idx.size:
        _integer(idx, fn)
    if isinstance(src, Tensor) and src.dtype != x.dtype:
        raise DtypeError(f"{fn}: src must have the input's dtype {x.dtype}, got {src.dtype} (PyTorch does not promote "
                         "here); convert it with .to(input.dtype)")
    if not idx.size:
        return d, idx
    shape, where = _nonempty(x.shape), _nonempty(idx.shape)
    if builtins.len(where) != builtins.len(shape):
        raise ShapeError(f"{fn}: index of shape {tuple(idx.shape)} must have the {x.ndim} dimensions of input")
    larger = builtins.any(where[a] > shape[a] for a in range(builtins.len(shape)) if a != d)
    if isinstance(src, Tensor):
        if not larger and src.ndim:
            for a in range(builtins.len(shape)):  # (PyTorch reads src's sizes here: one it lacks is an IndexError)
                if a >= src.ndim:
                    raise DimensionError(f"{fn}: src of shape {tuple(src.shape)} has no dimension {a}; index has "
                                         f"{builtins.len(where)}")
                larger = larger or where[a] > src.shape[a]
        elif not larger:
            larger = builtins.any(n > 1 for n in where)
        if builtins.len(_nonempty(src.shape)) != builtins.len(where):
            raise ShapeError(f"{fn}: index of shape {tuple(idx.shape)} must have the dimensions of src "
                             f"{tuple(src.shape)}")
    if larger:
        raise ShapeError(f"{fn}: index of shape {tuple(idx.shape)} must be of no larger size than input "
                         f"{tuple(x.shape)} apart from dim {d}" + (f", and src of shape {tuple(src.shape)} at least as "
                                                                   "large as index" if isinstance(src, Tensor) else ""))
    return d, idx.reshape(where)


def _src_gradient(out, x, src, index, fn, node):
    """``out`` as PyTorch records it: src's gradient is the incoming one gathered at index, of index's shape, and
    PyTorch's backward refuses it where src's shape cannot be expanded to index's (a src larger than index, which the
    forward takes).  The result still requires grad; a backward reaching it raises (RuntimeError), as PyTorch's."""
    if src is None or not src.requires_grad or not out.requires_grad:
        return out
    shape, where = tuple(src.shape), tuple(index.shape) if hasattr(index, "shape") else backend.np.shape(index)
    if builtins.len(shape) <= builtins.len(where) and builtins.all(
            n in (m, 1) for n, m in zip(reversed(shape), reversed(where))):
        return out
    return no_derivative(out, fn, x, src, shown=node, why=f"src's gradient has the shape of index {where}, which "
                         f"src's {shape} cannot be expanded to (PyTorch's backward refuses it); give src index's shape")


def gather(input, dim, index, *, sparse_grad=False):
    """out[i][j] = input[index[i][j]][j] for dim 0, input[i][index[i][j]] for dim 1 (and so on): ``input`` read
    along ``dim`` at ``index``."""
    if sparse_grad:
        raise NotImplementedError("gather: sparse_grad=True is not provided (minigan's gradients are dense); "
                                  "leave it out")
    x = _t(input, "gather")
    d = checks.normalize_axis(dim, x.ndim, "gather", single=True)
    idx = _index_array(index, x)
    if not idx.size:  # (PyTorch checks nothing more for an index without entries)
        return _fresh(x.reshape(-1)[:0].reshape(tuple(idx.shape)))
    _integer(idx, "gather")
    if builtins.len(_nonempty(idx.shape)) != builtins.len(_nonempty(x.shape)):
        raise ShapeError(f"gather: index of shape {tuple(idx.shape)} must have the {x.ndim} dimensions of input")
    where, shape = _nonempty(idx.shape), _nonempty(x.shape)
    if builtins.any(where[a] > shape[a] for a in range(builtins.len(shape)) if a != d):
        raise ShapeError(f"gather: index of shape {tuple(idx.shape)} must be of no larger size than input "
                         f"{tuple(x.shape)} apart from dim {d}")
    _in_range(idx, shape[d], "gather", f"dim {d}")
    out = x.reshape(shape)[_along(idx.reshape(where), d)]
    out = _fresh(out.reshape(tuple(idx.shape))) if idx.ndim == 0 or x.ndim == 0 else shown_as(out, "GatherBackward0")
    return saves(out, x)  # (PyTorch's gather saves its input: take_along_dim's too)


def _fits(value, dtype, fn):
    """A number a fill writes into a tensor of ``dtype``, refused as PyTorch converts it (operands.fits: a Python int
    beyond 64 bits; NaN, ±inf or a number out of range for an integer dtype, −255 to 255 for uint8, which wraps; a
    finite number beyond a float32 or float16's range).  Returns the number, an int past int64 as the float NumPy
    can write into a floating or bool tensor."""
    value = value.item() if isinstance(value, Tensor) or backend.is_numpy_scalar(value) else value
    fits(fn, value, dtype)
    return builtins.float(value) if type(value) is builtins.int and not -2**63 <= value < 2**63 else value


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """input with src's values (or ``value``) written where ``index`` points along ``dim``: out[index[i][j]][j] =
    src[i][j] for dim 0.  gather's inverse; ``zeros(n, k).scatter(1, labels[:, None], 1.0)`` is a one-hot code."""
    x = _t(input, "scatter")
    if (checks.is_number(src) or isinstance(src, (builtins.bool, backend.np.bool_))) and value is None:  # scatter(dim,
        # index, 1.0): PyTorch's value overload (np.float32 too)
        src, value = None, src.item() if backend.is_numpy_scalar(src) else src
    if (src is None) == (value is None):
        raise TypeError("scatter: give src (a tensor) or value (a number), one of them")
    src = _t(src, "scatter") if src is not None else None
    d, idx = _scatter_checks(x, dim, index, src, "scatter")
    if reduce is not None:  # PyTorch's older form of scatter_reduce
        if reduce not in ("add", "multiply"):
            raise DomainError(f"scatter: reduce must be 'add' or 'multiply', got {reduce!r}")
        return _scatter_reduced(x, d, idx, src, value, reduce)
    out = E.Clone.apply(x.reshape(_nonempty(x.shape)), order="C")  # (row-major: PyTorch's self.clone(Contiguous))
    if idx.size:
        _in_range(idx, out.shape[d], "scatter", f"dim {d}")
        place = _along(idx, d)
        if src is None:
            out[place] = _fits(value, x.array.dtype, "scatter")
        else:  # src's entries at the index's positions, its leading block (a repeated index: one of its values)
            out[place] = src.reshape(_nonempty(src.shape))[tuple(slice(n) for n in idx.shape)]
    elif src is not None and src.requires_grad:
        out = out + src.reshape(-1)[:0].sum()  # (nothing written; the graph reaches src, as PyTorch's does)
    return _src_gradient(_fresh(out.reshape(())) if x.ndim == 0 else out, x, src, index, "scatter", "ScatterBackward0")


def _scatter_reduced(x, d, idx, src, value, reduce):
    """``scatter(dim, index, src, reduce='add' | 'multiply')``: out[index[i][j]][j] += src[i][j] (or *=, or with
    ``value``), each repeated index counted, as PyTorch's older form of scatter_reduce.  PyTorch has no derivative for
    it: the result requires grad where an input does, and a backward reaching it raises (no_derivative)."""
    if src is not None:
        warnings.warn("scatter: the reduce argument with a tensor src is deprecated in PyTorch, which will remove "
                      "it; for reduce='add' use scatter_add", UserWarning, stacklevel=4)
    xp = backend.get_array_module(x.array)
    out = xp.array(x.array.reshape(_nonempty(x.shape)), order="C")
    if idx.size:
        _in_range(idx, out.shape[d], "scatter", f"dim {d}")
        place = _along(idx, d)
        values = _fits(value, out.dtype, "scatter") if src is None else \
            src.array.reshape(_nonempty(src.shape))[tuple(slice(n) for n in idx.shape)]
        values = xp.broadcast_to(xp.asarray(values, dtype=out.dtype), idx.shape)
        if reduce == "add":
            backend.scatter_add(out, place, values)
        else:  # (NumPy's multiply.at, on the host: CuPy multiplies no repeated index in place)
            host = backend.asnumpy(out)
            backend.np.multiply.at(host, tuple(backend.asnumpy(i) for i in place), backend.asnumpy(values))
            out = xp.asarray(host)
    return no_derivative(out.reshape(()) if x.ndim == 0 else out, "scatter", x, src)


def scatter_add(input, dim, index, src):
    """input with src's values added where ``index`` points along ``dim`` (repeats add up): gather's adjoint."""
    x, src = _t(input, "scatter_add"), _t(src, "scatter_add")
    d, idx = _scatter_checks(x, dim, index, src, "scatter_add")
    if not idx.size:
        out = E.Clone.apply(x, order="C")  # (nothing added; the graph reaches src, as PyTorch's does)
        out = out + src.reshape(-1)[:0].sum() if src.requires_grad else out
        return _src_gradient(out, x, src, index, "scatter_add", "ScatterAddBackward0")
    shape = _nonempty(x.shape)
    _in_range(idx, shape[d], "scatter_add", f"dim {d}")
    values = src.reshape(_nonempty(src.shape))[tuple(slice(n) for n in idx.shape)]
    out = _AddInto.apply(x.reshape(shape), values, index=_along(idx, d), order="C")  # (row-major: PyTorch's clone)
    out = _fresh(out.reshape(())) if x.ndim == 0 else shown_as(out, "ScatterAddBackward0")
    return _src_gradient(out, x, src, index, "scatter_add", "ScatterAddBackward0")


def index_select(input, dim, index):
    """The entries of ``input`` at the 1-D ``index`` along ``dim`` (repeats allowed).  Checked in PyTorch's order:
    dim, the index's rank (IndexError), one index for a 0-d input, the index's dtype (RuntimeError), its range."""
    x = _t(input, "index_select")
    d = checks.normalize_axis(dim, x.ndim, "index_select", single=True)
    idx = _index_array(index, x)
    if idx.ndim > 1:
        raise DimensionError(f"index_select: index must be a vector (1-D or 0-d), got shape {tuple(idx.shape)}")
    if x.ndim == 0 and idx.size != 1:
        raise ShapeError(f"index_select: a 0-d input takes one index, got {idx.size}")
    _integer(idx, "index_select")
    shape = _nonempty(x.shape)
    _in_range(idx, shape[d], "index_select", f"dim {d}")
    out = x.reshape(shape)[(slice(None),) * d + (idx.reshape(-1),)].contiguous()  # (row-major, as PyTorch's)
    return _fresh(out.reshape(())) if x.ndim == 0 else shown_as(out, "IndexSelectBackward0")


def nonzero(input, *, as_tuple=False):
    """The indices of the non-zero entries, in row-major order: an (n, ndim) int64 tensor, or with ``as_tuple`` one
    1-D tensor per dimension (what x[...] takes).  No gradient: indices are integers."""
    x = _t(input, "nonzero")
    a = x.array.reshape(1) if x.ndim == 0 else x.array
    found = backend.get_array_module(a).nonzero(a)
    if as_tuple:
        return tuple(Tensor._make(i.astype(backend.np.int64)) for i in found)
    stacked = backend.get_array_module(a).stack(found, axis=0).astype(backend.np.int64).T  # (n, ndim), each dim's
    return Tensor._make(stacked if x.ndim else stacked[:, :0])  # indices contiguous: PyTorch's layout


def argwhere(input):
    """nonzero(input): the (n, ndim) indices of the non-zero entries."""
    return nonzero(input)


def masked_select(input, mask):
    """The entries of ``input`` where ``mask`` (broadcast to input's shape) holds, as a 1-D tensor; the gradient
    goes back to them (it is ``input[mask]``)."""
    x = _t(input, "masked_select")
    if not isinstance(mask, Tensor):
        raise TypeError(f"masked_select: mask must be a bool tensor (e.g. x > 0), got {type(mask).__name__}")
    m = backend.get_array_module(mask.array).asarray(mask.array)  # (a 0-d mask too)
    if m.dtype != backend.np.bool_:  # (PyTorch's RuntimeError "expected BoolTensor for mask"; a TypeError too)
        raise DtypeError(f"masked_select: mask must be a bool tensor (e.g. x > 0), got dtype {m.dtype}")
    shape = backend.broadcast_shapes(tuple(x.shape), tuple(m.shape))
    out = x.expand(*shape)[backend.get_array_module(m).broadcast_to(m, shape)]
    return shown_as(saves(out, x), "MaskedSelectBackward0")  # (PyTorch's node saves its input)


def _same_dtype(fn, x, source):
    if source.dtype != x.dtype:  # (PyTorch's RuntimeError: "self (Float) and source (Double) must have the same ...")
        raise DtypeError(f"{fn}: source must have the input's dtype {x.dtype}, got {source.dtype} (PyTorch does not "
                         "promote here); convert it with .to(input.dtype)")


def _slice_shape(shape, d):
    """A shape without its dimension d (a 0-d shape stays empty)."""
    return tuple(shape[:d]) + tuple(shape[d + 1:])


def index_add(input, dim, index, source, *, alpha=1):
    """input with alpha·source's slices added at ``index`` along ``dim`` (repeated indices add up).  Checked in
    PyTorch's order (its index_func_meta_impl): dim, the index (a vector of int64 or int32), source's dtype, then
    its dimensions and sizes."""
    x, source = _t(input, "index_add"), _t(source, "index_add")
    d = checks.normalize_axis(dim, x.ndim, "index_add", single=True)
    idx = _index_array(index, x)
    if idx.ndim > 1:
        raise DimensionError(f"index_add: index must be a vector (1-D or 0-d), got shape {tuple(idx.shape)}")
    _integer(idx, "index_add")
    _same_dtype("index_add", x, source)
    if d and d >= source.ndim:
        raise ShapeError(f"index_add: dim {d} is out of range for source of shape {tuple(source.shape)}")
    if source.ndim == 0 and idx.size != 1:  # (PyTorch: an IndexError, as it reads source.size(0) to say so)
        raise DimensionError(f"index_add: a 0-d source takes one index, got {idx.size}")
    expected = f"source must have shape {tuple(x.shape[:d]) + (idx.size,) + tuple(x.shape[d + 1:])} (input's, with " \
               f"one slice per index along dim {d}), got {tuple(source.shape)}"
    if source.ndim and idx.size != source.shape[d]:
        raise ShapeError(f"index_add: {expected}")
    both = x.ndim and source.ndim
    if (_slice_shape(x.shape, d) if both else tuple(x.shape)) != (_slice_shape(source.shape, d) if both else
                                                                 tuple(source.shape)):
        raise ShapeError(f"index_add: {expected}")
    shape = _nonempty(x.shape)
    if not x.numel() and x.ndim < 2:  # (PyTorch's kernel checks each index of a 1-d input, an empty one too)
        _in_range(idx, shape[d], "index_add", f"dim {d}")
    if not x.numel():  # (nothing to add into: PyTorch reads no index of more dimensions)
        out = E.Clone.apply(x, order="C")
        out = out + source.reshape(-1)[:0].sum() if source.requires_grad else out
        return _read_at_backward(out, source, idx, shape[d], "index_add", "IndexAddBackward0")
    _in_range(idx, shape[d], "index_add", f"dim {d}")
    alpha = in_dtype("index_add", "alpha", alpha, x.dtype)  # (read in x's dtype, as PyTorch's kernel)
    values = source.reshape(shape[:d] + (idx.size,) + shape[d + 1:])
    place = (slice(None),) * d + (idx.reshape(-1),)
    out = _AddInto.apply(x.reshape(shape), values * alpha if alpha != 1 else values, index=place, order="C")  # (
    # row-major, as PyTorch's self.clone(Contiguous))
    out = _fresh(out.reshape(())) if x.ndim == 0 else shown_as(out, "IndexAddBackward0")
    return saves(out, source) if source.requires_grad else out  # (PyTorch's node saves source for its gradient)


def index_tensors(indices, fn):
    """index_put's indices as PyTorch's binding reads them, before anything else: a tuple (or list) of tensors."""
    if not isinstance(indices, (tuple, list)) or not builtins.all(isinstance(i, Tensor) for i in indices):
        raise TypeError(f"{fn}: indices must be a tuple of index tensors, got {indices!r:.80}")


def put_index(x, indices, fn):
    """A tuple of index tensors (integers, or bool masks, which stand for their nonzero positions) as arrays, checked
    as PyTorch checks them before anything is read or written: a tuple of tensors (TypeError), no more of them than
    x has dimensions, of integers or bools, each mask of the shape of the dimensions it covers (IndexError)."""
    index_tensors(indices, fn)
    if builtins.len(indices) > x.ndim:
        raise IndexOutOfRange(f"{fn}: {builtins.len(indices)} index tensors for a tensor of {x.ndim} dimensions")
    arrays, axis = [], 0  # (axis: the next dimension of x an index reads)
    for i in indices:
        a = i.array
        if a.dtype.kind == "b":
            if tuple(a.shape) != tuple(x.shape[axis:axis + a.ndim]):
                raise IndexOutOfRange(f"{fn}: a mask of shape {tuple(a.shape)} for dimensions {axis} on of shape "
                                      f"{tuple(x.shape)}; a mask has the shape of the dimensions it covers")
            arrays.extend(a.nonzero() if a.ndim else (a,))  # (a 0-d one reads no dimension: x[True] adds one of
            axis += a.ndim  # 1 entry, x[False] of none, as NumPy's and PyTorch's x[indices])
        elif a.dtype.kind in "iu":
            arrays.append(a)
            axis += 1
        else:
            raise IndexError(f"{fn}: indices must be integer or bool tensors, got {a.dtype}")
    ints = [a for a in arrays if a.dtype.kind != "b"]  # (a 0-d mask reads no dimension)
    try:  # PyTorch broadcasts the index tensors together before it reads a value or its dtype
        wide = backend.np.broadcast_shapes(*(tuple(a.shape) for a in ints))
    except ValueError:
        raise IndexOutOfRange(f"{fn}: shape mismatch: indexing tensors could not be broadcast together with shapes "
                              + ", ".join(str(list(a.shape)) for a in ints)) from None
    arrays = [a if a.dtype.kind == "b" else backend.get_array_module(a).broadcast_to(a, wide) for a in arrays]
    if 0 in x.shape[:axis] and builtins.all(a.size for a in arrays):  # (checked with them, as
        raise IndexOutOfRange(f"{fn}: an index into a dimension of size 0 of shape {tuple(x.shape)}")  # PyTorch's)
    return tuple(arrays)


def index_put(input, indices, values, accumulate=False):
    """input with ``values`` written at ``input[indices]`` (a tuple of index tensors; an index may count from the
    end), or, with ``accumulate=True``, added there, repeated positions adding up (as ``index_add`` along several
    dimensions).  values must have input's dtype (PyTorch's RuntimeError, rather than a conversion)."""
    x = _t(input, "index_put")
    where = put_index(x, indices, "index_put")
    values = _t(values, "index_put")
    one_mask = not accumulate and builtins.len(indices) == 1 and indices[0].dtype == backend.np.bool_
    if one_mask and values.numel() == 1:  # (PyTorch fills one number there, as masked_fill, converted to x's dtype)
        values = values.to(x.dtype)
    if values.dtype != x.dtype:
        raise DtypeError(f"index_put: values must have the input's dtype {x.dtype}, got {values.dtype}; convert them "
                         "with .to(input.dtype)")
    for axis, a in enumerate(a for a in where if a.dtype.kind != "b"):  # (a 0-d mask reads no dimension)
        _in_range(a + (a < 0) * x.shape[axis], x.shape[axis], "index_put", f"dimension {axis}")
    if not accumulate:
        out = x.clone()
        out[where] = values
        return out
    shape = tuple(x.array[where].shape)  # what input[indices] reads; values broadcast to it
    return shown_as(_AddInto.apply(x, values.expand(*shape), index=where, order="K"), "IndexPutBackward0")  # (x's
    # layout: PyTorch's clone(Preserve))


def take(input, index):
    """input read as one flat row at ``index`` (any shape): out has index's shape."""
    x = _t(input, "take")
    flat = x.reshape(-1)
    idx = _t(index, "take").array
    _integer(idx, "take", kinds=("int64",))  # (PyTorch's take reads a LongTensor only: int32 or bool refused too)
    _in_range(idx + (idx < 0) * flat.shape[0], flat.shape[0], "take", "the flattened input")  # (−1: the last)
    return saves(flat[Tensor._make(idx)], x)  # (PyTorch's take saves its input)


def take_along_dim(input, indices, dim=None):
    """input read along ``dim`` at ``indices`` modulo its size (broadcast against input elsewhere), as gather does;
    without dim, PyTorch's ``input.view(-1).gather(0, indices.view(-1))``: a layout that cannot be viewed as one row
    (a transpose, an expanded tensor) is refused, as there, and so is a negative index."""
    x, idx = _t(input, "take_along_dim"), _t(indices, "take_along_dim")
    if dim is None:
        return gather(x.view(-1), 0, idx.view(-1))
    if idx.ndim != x.ndim:  # (PyTorch's checks, in its order: ranks, the indices' dtype, dim, then broadcasting)
        raise ShapeError(f"take_along_dim: input and indices must have the same number of dimensions, got "
                         f"{tuple(x.shape)} and {tuple(idx.shape)}")
    _integer(idx.array, "take_along_dim", kinds=("int64",))
    d = checks.normalize_axis(dim, x.ndim, "take_along_dim", single=True)
    shape = list(backend.broadcast_shapes(tuple(x.shape[:d]) + (1,) + tuple(x.shape[d + 1:]),
                                          tuple(idx.shape[:d]) + (1,) + tuple(idx.shape[d + 1:])))
    x_shape, idx_shape = list(shape), list(shape)
    if shape:
        x_shape[d], idx_shape[d] = x.shape[d], idx.shape[d]
    size, wrapped = x_shape[d] if shape else 1, idx.array
    if size == 0 and wrapped.size:  # (PyTorch's indices % size: a RuntimeError for its integer division by zero)
        raise DivisionByZero(f"take_along_dim: indices wrap around dim {d} of size 0, which has no entries")
    if size:  # PyTorch's "wrap negative indices", which wraps any index: 9 along a size of 4 reads 1
        wrapped = wrapped % size
    return gather(x.expand(*x_shape), d, Tensor._make(wrapped).expand(*idx_shape))


def index_copy(input, dim, index, source):
    """input with source's slices written at ``index`` along ``dim``.  Checked in PyTorch's order (its index_copy
    meta function): dim, the index's dimensions, source's dimensions, the index's dtype (int64), source's dtype,
    the slices' shapes, the number of indices."""
    x, source = _t(input, "index_copy"), _t(source, "index_copy")
    d = checks.normalize_axis(dim, x.ndim, "index_copy", single=True)
    idx = _index_array(index, x)
    if idx.ndim > 1:
        raise DimensionError(f"index_copy: index must be a vector (1-D or 0-d), got shape {tuple(idx.shape)}")
    if source.ndim == 0 and idx.size != 1:
        raise DimensionError(f"index_copy: a 0-d source takes one index, got {idx.size}")
    if source.ndim != x.ndim and source.ndim and x.ndim:
        raise DimensionError(f"index_copy: source of shape {tuple(source.shape)} must have the {x.ndim} dimensions "
                             f"of input {tuple(x.shape)}")
    _integer(idx, "index_copy", kinds=("int64",))
    _same_dtype("index_copy", x, source)
    expected = f"source must have shape {tuple(x.shape[:d]) + (idx.size,) + tuple(x.shape[d + 1:])} (input's, with " \
               f"one slice per index along dim {d}), got {tuple(source.shape)}"
    if _slice_shape(x.shape, d) != _slice_shape(source.shape, d):
        raise ShapeError(f"index_copy: {expected}")
    if source.ndim and idx.size != source.shape[d]:
        raise DimensionError(f"index_copy: {expected}")
    shape = _nonempty(x.shape)
    if not source.numel():  # (PyTorch's kernel reads an index only to copy a slice there: none for an empty source)
        out = E.Clone.apply(x, order="C")
        out = out + source.reshape(-1)[:0].sum() if source.requires_grad else out
        return _read_at_backward(out, source, idx, shape[d], "index_copy", "IndexCopyBackward0")
    _in_range(idx, shape[d], "index_copy", f"dim {d}")
    out = E.Clone.apply(x.reshape(shape), order="C")  # (row-major, as PyTorch's self.clone(Contiguous))
    out[(slice(None),) * d + (idx.reshape(-1),)] = source.reshape(shape[:d] + (idx.size,) + shape[d + 1:])
    out = _fresh(out.reshape(())) if x.ndim == 0 else out
    return saves(out, source) if source.requires_grad else out  # (PyTorch's node saves source for its gradient)


def no_grad_into_integers(fn, x, value):
    """The out-of-place fills (masked_fill, index_fill) refuse, as PyTorch's, to record a value that requires grad
    into an integer or bool result (PyTorch: "Autograd not support dtype"); under no_grad nothing is recorded."""
    if isinstance(value, Tensor) and value.requires_grad and is_grad_enabled() and not x.is_floating_point():
        raise DtypeError(f"{fn}: a value that requires grad cannot fill a {x.dtype} tensor (autograd needs floating "
                         "point); fill with value.detach(), or fill x.float()")


def index_fill(input, dim, index, value):
    """input with the slices at ``index`` along ``dim`` set to ``value`` (a number, or a 0-d tensor); an index may
    count from the end (-1: the last), as PyTorch's index_fill lets it."""
    x = _t(input, "index_fill")
    one_value("index_fill", value)
    idx = _index_array(index, x)
    _integer(idx, "index_fill", kinds=("int64",), error=IndexError)  # (PyTorch's class here: IndexError)
    d = checks.normalize_axis(dim, x.ndim, "index_fill", single=True)
    if idx.ndim > 1:
        raise ShapeError(f"index_fill: index must be a vector (1-D or 0-d), got shape {tuple(idx.shape)}")
    number = _fits(value, x.array.dtype, "index_fill")
    shape = _nonempty(x.shape)
    if idx.size and math.prod(_slice_shape(shape, d)):  # (PyTorch reads the index only where it fills something)
        _in_range(idx + (idx < 0) * shape[d], shape[d], "index_fill", f"dim {d}")
    out = x.clone()
    view = out.reshape(shape) if x.ndim == 0 else out
    where = backend.get_array_module(idx).unique(idx.reshape(-1) % builtins.max(shape[d], 1))
    view[(slice(None),) * d + (where,)] = value if isinstance(value, Tensor) else number  # (each slice written once,
    # however often its index repeats: PyTorch's gradient of value is then the slices' sum, once)
    no_grad_into_integers("index_fill", x, value)
    if out.requires_grad and isinstance(value, Tensor) and value.requires_grad and (  # (under no_grad: nothing kept)
            builtins.bool((idx < 0).any() or (idx >= shape[d]).any()) or not idx.size and x.ndim == 0):
        # PyTorch's backward selects value's gradient with the index as given, where a negative entry (or one past
        # the end, which the forward let through as it filled no slice; or none, for a 0-d input) is out of range:
        # the forward runs, the backward reaching value refuses (IndexError or RuntimeError there); input's own
        # gradient runs.  So a zero recorded over value alone is taken off (x - 0 keeps -0, where x + 0 does not)
        refused = no_derivative(backend.get_array_module(idx).zeros(tuple(out.shape), out.array.dtype), "index_fill",
                                value, error=IndexOutOfRange, why="PyTorch's backward reads the value's gradient "
                                "at the index as given, where a negative index, one past the end (or an empty one, "
                                "for a 0-d input) is out of range; give indices from 0 to size - 1")
        return shown_as(out - refused, node_name(out.grad_fn))
    return out
