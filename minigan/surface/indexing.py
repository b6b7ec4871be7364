"""Indexing by tensors: ``gather``/``scatter``, the ``index_*`` family, ``take``, ``masked_select``, ``nonzero``.
"""

from __future__ import annotations

import builtins

from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, IndexOutOfRange, ShapeError
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import shape as S
from minigan.engine.tensor import Tensor
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _fresh, _t, one_value, same_dtype


def _indices(index, fn, name, like):
    """An integer index as an array on ``like``'s device (PyTorch's int64 index tensors; a list or array too)."""
    array = index.array if isinstance(index, Tensor) else checks.to_array(index, None, like.device, infer=True)
    if array.dtype.kind not in "iu":
        raise TypeError(f"{fn}: {name} must be an integer tensor, got dtype {array.dtype}")
    return array


def _along(index, dim):
    """The advanced index that reads at ``index`` along ``dim`` and at each element's own position elsewhere."""
    grid = list(backend.get_array_module(index).ogrid[tuple(slice(n) for n in index.shape)])
    grid[dim] = index
    return tuple(grid)


def _in_range(index, size, fn, what):
    if index.size and (int(index.min()) < 0 or int(index.max()) >= size):
        bad = int(index.min()) if int(index.min()) < 0 else int(index.max())
        raise IndexOutOfRange(f"{fn}: index {bad} is out of range for {what} of size {size}")


def _along_place(x, dim, index, fn):
    """The advanced index of x that ``index`` names along ``dim`` (what gather reads and scatter writes), checked:
    index has x's number of dimensions and no larger size except along dim."""
    idx = _indices(index, fn, "index", x)
    d = checks.normalize_axis(dim, x.ndim, fn, single=True)
    if idx.ndim == 0 and x.ndim == 1:  # as PyTorch: a 0-d index names one entry
        idx = idx.reshape(1)
    if idx.ndim != x.ndim or builtins.any(i > n for a, (i, n) in enumerate(zip(idx.shape, x.shape)) if a != d):
        raise ShapeError(f"{fn}: index of shape {tuple(idx.shape)} must have the {x.ndim} dimensions of input "
                         f"{tuple(x.shape)}, and no larger size except along dim {d}")
    _in_range(idx, x.shape[d], fn, f"dim {d}")
    return idx, _along(idx, d)


def gather(input, dim, index, *, sparse_grad=False):
    """out[i][j] = input[index[i][j]][j] for dim 0, input[i][index[i][j]] for dim 1 (and so on): ``input`` read
    along ``dim`` at ``index``."""
    if sparse_grad:
        raise NotImplementedError("gather: sparse_grad=True is not provided (minigan's gradients are dense); "
                                  "leave it out")
    x = _t(input, "gather")
    if x.ndim == 0:  # (0-d: a vector of one, as PyTorch's; the index's shape again)
        index = _t(index, "gather")
        return _fresh(gather(x.reshape(1), dim, index.reshape(-1)).reshape(tuple(index.shape)))
    out = x[_along_place(x, dim, index, "gather")[1]]
    zero_d = index.ndim == 0 if hasattr(index, "ndim") else backend.np.ndim(index) == 0
    # the index's shape (a 0-d index reads one entry)
    return _fresh(out.reshape(())) if zero_d else shown_as(out, "GatherBackward0")


def _source(src, value, idx, fn, like):
    """What scatter writes: src's entries at the index's positions (its leading block), or the number value."""
    if (src is None) == (value is None):
        raise TypeError(f"{fn}: give src (a tensor) or value (a number), one of them")
    if src is None:
        return value
    src = _t(src, fn)
    same_dtype(fn, like, src, "src")
    src = src.reshape(1) if src.ndim == 0 and idx.shape == (1,) else src
    if src.ndim != idx.ndim or builtins.any(i > n for i, n in zip(idx.shape, src.shape)):
        raise ShapeError(f"{fn}: src of shape {tuple(src.shape)} must be at least as large as index "
                         f"{tuple(idx.shape)} in every dimension")
    return src[tuple(slice(n) for n in idx.shape)].to(like.dtype)


def scatter(input, dim, index, src=None, *, value=None, reduce=None):
    """input with src's values (or ``value``) written where ``index`` points along ``dim``: out[index[i][j]][j] =
    src[i][j] for dim 0.  gather's inverse; ``zeros(n, k).scatter(1, labels[:, None], 1.0)`` is a one-hot code."""
    if reduce is not None:  # PyTorch's older form of scatter_reduce
        raise NotImplementedError(f"scatter: reduce={reduce!r} is not provided: use scatter_add for 'add' (or "
                                  "index_add)")
    x = _t(input, "scatter")
    if checks.is_number(src) and value is None:  # scatter(dim, index, 1.0): PyTorch's value overload (np.float32 too)
        src, value = None, src.item() if backend.is_numpy_scalar(src) else src
    if x.ndim == 0:  # (0-d: a vector of one, as PyTorch's; 0-d again, a tensor of its own)
        src = src.reshape(-1) if isinstance(src, Tensor) else src
        return _fresh(scatter(x.reshape(1), dim, _t(index, "scatter").reshape(-1), src, value=value).reshape(()))
    idx, place = _along_place(x, dim, index, "scatter")
    out = E.Clone.apply(x, order="C")  # (row-major, as PyTorch's out-of-place index ops: self.clone(Contiguous))
    out[place] = _source(src, value, idx, "scatter", x)  # (a repeated index: one of its values, as PyTorch)
    return out


def scatter_add(input, dim, index, src):
    """input with src's values added where ``index`` points along ``dim`` (repeats add up): gather's adjoint."""
    x = _t(input, "scatter_add")
    if x.ndim == 0:  # (0-d: a vector of one, as PyTorch's; 0-d again, a tensor of its own)
        return _fresh(scatter_add(x.reshape(1), dim, _t(index, "scatter_add").reshape(-1),
                                  _t(src, "scatter_add").reshape(-1)).reshape(()))
    idx, place = _along_place(x, dim, index, "scatter_add")
    values = _source(src, None, idx, "scatter_add", x)
    return S.IndexAdd.apply(values, index=(place, True), shape=tuple(x.shape)) + x  # (row-major first: the sum's
    # layout, as PyTorch's self.clone(Contiguous))


def _index_place(x, dim, index, fn):
    """The positions ``index`` (1-D) names along ``dim`` of x, checked: the index of x[...] for them."""
    idx = _indices(index, fn, "index", x)
    d = checks.normalize_axis(dim, x.ndim, fn, single=True)
    if idx.ndim > 1:
        raise ShapeError(f"{fn}: index must be 1-D, got shape {tuple(idx.shape)}")
    _in_range(idx, x.shape[d], fn, f"dim {d}")
    return (slice(None),) * d + (idx.reshape(-1),), d


def index_select(input, dim, index):
    """The entries of ``input`` at the 1-D ``index`` along ``dim`` (repeats allowed)."""
    x = _t(input, "index_select")
    if x.ndim == 0:  # (0-d: a vector of one, as PyTorch's; 0-d again, a tensor of its own)
        return _fresh(index_select(x.reshape(1), dim, _t(index, "index_select").reshape(-1)).reshape(()))
    out = x[_index_place(x, dim, index, "index_select")[0]].contiguous()  # (row-major, as PyTorch's)
    return shown_as(out, "IndexSelectBackward0")


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
    m = mask.array if isinstance(mask, Tensor) else mask
    if not backend.is_array(m) or m.dtype != backend.np.bool_:
        raise TypeError("masked_select: mask must be a bool tensor (e.g. x > 0)")
    shape = backend.broadcast_shapes(tuple(x.shape), tuple(m.shape))
    return shown_as(x.expand(*shape)[backend.get_array_module(m).broadcast_to(m, shape)], "MaskedSelectBackward0")


def index_add(input, dim, index, source, *, alpha=1):
    """input with alpha·source's slices added at ``index`` along ``dim`` (repeated indices add up)."""
    x = _t(input, "index_add")
    if x.ndim == 0:  # (0-d: a vector of one, as PyTorch's; 0-d again, a tensor of its own)
        return _fresh(index_add(x.reshape(1), dim, _t(index, "index_add").reshape(-1),
                                _t(source, "index_add").reshape(-1), alpha=alpha).reshape(()))
    place, d = _index_place(x, dim, index, "index_add")
    source = _t(source, "index_add").to(x.dtype)
    expected = tuple(x.shape[:d]) + (place[d].shape[0],) + tuple(x.shape[d + 1:])
    if tuple(source.shape) != expected:
        raise ShapeError(f"index_add: source must have shape {expected}, got {tuple(source.shape)}")
    added = S.IndexAdd.apply(source * alpha if alpha != 1 else source, index=(place, True), shape=tuple(x.shape))
    return added + x  # (row-major first: the sum's layout, as PyTorch's self.clone(Contiguous))


def _put_index(x, indices, fn):
    """A tuple of index tensors (integers, or bool masks, which stand for their nonzero positions) as arrays."""
    if not isinstance(indices, (tuple, list)):
        raise TypeError(f"{fn}: indices must be a tuple of index tensors, got {type(indices).__name__}")
    arrays = []
    for i in indices:
        a = _t(i, fn).array
        if a.dtype.kind == "b":
            arrays.extend(a.nonzero())
        elif a.dtype.kind in "iu":
            arrays.append(a)
        else:
            raise IndexError(f"{fn}: indices must be integer or bool tensors, got {a.dtype}")
    if builtins.len(arrays) > x.ndim:
        raise IndexOutOfRange(f"{fn}: {builtins.len(arrays)} index tensors for a tensor of {x.ndim} dimensions")
    for axis, a in enumerate(arrays):
        _in_range(a, x.shape[axis], fn, f"dimension {axis}")
    return tuple(arrays)


def index_put(input, indices, values, accumulate=False):
    """input with ``values`` written at ``input[indices]`` (a tuple of index tensors), or, with ``accumulate=True``,
    added there, repeated positions adding up (as ``index_add`` along several dimensions)."""
    x = _t(input, "index_put")
    where = _put_index(x, indices, "index_put")
    values = _t(values, "index_put").to(x.dtype)
    if not accumulate:
        out = x.clone()
        out[where] = values
        return out
    shape = tuple(x.array[where].shape)  # what input[indices] reads; values broadcast to it
    return x + S.IndexAdd.apply(values.expand(*shape), index=(where, True), shape=tuple(x.shape))


def take(input, index):
    """input read as one flat row at ``index`` (any shape): out has index's shape."""
    x = _t(input, "take")
    flat = x.reshape(-1)
    idx = _t(index, "take").array
    _in_range(idx + (idx < 0) * flat.shape[0], flat.shape[0], "take", "the flattened input")  # (−1: the last)
    return flat[Tensor._make(idx)]


def take_along_dim(input, indices, dim=None):
    """input read along ``dim`` at ``indices`` (broadcast against input elsewhere), as gather does; without
    dim, as take of the flattened input."""
    x = _t(input, "take_along_dim")
    if dim is None:
        return take(x, _t(indices, "take_along_dim").reshape(-1))
    idx = _t(indices, "take_along_dim")
    if idx.ndim != x.ndim:  # (Python's IndexError came out)
        raise ShapeError(f"take_along_dim: input and indices must have the same number of dimensions, got "
                         f"{tuple(x.shape)} and {tuple(idx.shape)}")
    d = checks.normalize_axis(dim, x.ndim, "take_along_dim", single=True)
    shape = list(backend.broadcast_shapes(tuple(x.shape[:d]) + (1,) + tuple(x.shape[d + 1:]),
                                          tuple(idx.shape[:d]) + (1,) + tuple(idx.shape[d + 1:])))
    x_shape, idx_shape = list(shape), list(shape)
    x_shape[d], idx_shape[d] = x.shape[d], idx.shape[d]
    return gather(x.expand(*x_shape), d, idx.expand(*idx_shape))


def index_copy(input, dim, index, source):
    """input with source's slices written at ``index`` along ``dim``."""
    x = _t(input, "index_copy")
    if x.ndim == 0:  # (0-d: a vector of one, as PyTorch's; 0-d again, a tensor of its own)
        return _fresh(index_copy(x.reshape(1), dim, _t(index, "index_copy").reshape(-1),
                                 _t(source, "index_copy").reshape(-1)).reshape(()))
    same_dtype("index_copy", x, source, "source")
    place, d = _index_place(x, dim, index, "index_copy")
    source = _t(source, "index_copy")
    expected = tuple(x.shape[:d]) + (place[d].shape[0],) + tuple(x.shape[d + 1:])
    if x.ndim and tuple(source.shape) != expected:  # (PyTorch: an IndexError or a RuntimeError, as it differs)
        raise DimensionError(f"index_copy: source must have shape {expected} (input's, with one slice per index "
                             f"along dim {d}), got {tuple(source.shape)}")
    out = E.Clone.apply(x, order="C")  # (row-major, as PyTorch's self.clone(Contiguous))
    out[place] = source.to(x.dtype)
    return out


def index_fill(input, dim, index, value):
    """input with the slices at ``index`` along ``dim`` set to ``value``."""
    x = _t(input, "index_fill")
    if x.ndim == 0:  # (0-d: a vector of one, as PyTorch's; 0-d again, a tensor of its own)
        return _fresh(index_fill(x.reshape(1), dim, _t(index, "index_fill").reshape(-1), value).reshape(()))
    one_value("index_fill", value)
    place, d = _index_place(x, dim, index, "index_fill")
    out = x.clone()  # (each slice written once, however often its index repeats: PyTorch's value then gets the
    out[place[:d] + (backend.get_array_module(place[d]).unique(place[d] % x.shape[d]),)] = value  # slices' sum once)
    return out
