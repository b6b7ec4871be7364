"""Sorting and order statistics: ``sort``, ``argsort``, ``topk``, ``kthvalue``, ``median``, ``quantile``, ``unique``.
"""

from __future__ import annotations

import builtins
from collections import namedtuple

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError, ShapeError
from minigan.engine.tensor import Tensor
from minigan.surface.indexing import _along
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _fresh, _t
from minigan.surface.pointwise import isnan, where


def ordered(x, fn) -> Tensor:
    """The input of a function that picks entries by their order (topk, kthvalue, argmax, argmin): PyTorch's
    kernels refuse a bool tensor there."""
    x = _t(x, fn)
    if x.dtype.kind == "b":
        raise DtypeError(f"{fn}: a bool tensor has no order PyTorch picks by; convert it with .int() or .float()")
    return x


SortResult = namedtuple("sort", ["values", "indices"])  # as torch.return_types.sort / topk


TopkResult = namedtuple("topk", ["values", "indices"])


KthvalueResult = namedtuple("kthvalue", ["values", "indices"])


MedianResult = namedtuple("median", ["values", "indices"])


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), with, if asked, where each entry went (``return_inverse``) and how often each
    value occurs (``return_counts``); with ``dim``, the distinct slices along it.  No gradient (as PyTorch's)."""
    x = _t(input, "unique")
    if dim is not None:
        dim = checks.normalize_axis(dim, x.ndim, "unique", single=True)
    xp = backend.get_array_module(x.array)
    values, inverse, counts = xp.unique(x.array, return_inverse=True, return_counts=True, axis=dim)
    out = (Tensor._make(values),)
    if return_inverse:
        out += (Tensor._make(inverse.reshape(x.shape if dim is None else (x.shape[dim],)).astype(xp.int64)),)
    if return_counts:
        out += (Tensor._make(counts.astype(xp.int64)),)
    return out[0] if builtins.len(out) == 1 else out


def argsort(input, dim=-1, descending=False, stable=False):
    """The indices that sort ``input`` along ``dim``; equal values keep their order (always a stable sort: PyTorch's
    with stable=True; its default may order them otherwise), NaN counts as the largest value.  No gradient."""
    x = _t(input, "argsort")
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "argsort", single=True)
    a = x.array.reshape(1) if x.ndim == 0 else x.array
    xp = backend.get_array_module(a)
    if not descending:
        order = xp.argsort(a, axis=d, kind="stable")
    else:  # sort the reversed input stably and reverse the result: largest first, equal values in their order
        order = a.shape[d] - 1 - xp.flip(xp.argsort(xp.flip(a, d), axis=d, kind="stable"), d)
    # In the order of the input's strides, as PyTorch's sort results are, but row-major for an expanded input (whose
    # zero strides PyTorch does not order by); the values read at it follow it.
    expanded = builtins.any(s == 0 and n > 1 for s, n in zip(a.strides, a.shape))
    out = xp.empty_like(a, dtype=xp.int64, order="C" if expanded else "K")
    out[...] = order
    return Tensor._make(out.reshape(x.shape))


def sort(input, dim=-1, descending=False, stable=False):
    """(values, indices): ``input`` sorted along ``dim`` (argsort's order); the gradient flows to the values."""
    x = _t(input, "sort")
    indices = argsort(x, dim, descending)
    if x.ndim == 0:
        return SortResult(x.clone(), indices)
    values = x[_along(indices.array, checks.normalize_axis(dim, x.ndim, "sort", single=True))]
    return SortResult(shown_as(values, "SortBackward0"), indices)


def topk(input, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the ``k`` largest (or smallest) entries along ``dim``, in sorted order."""
    x = ordered(input, "topk")
    if x.ndim == 0:  # a 0-d tensor is its own top entry (PyTorch allows k = 0 or 1 and returns it)
        values, indices = topk(x.reshape(1), builtins.min(k, 1) if isinstance(k, int) else k, 0, largest)
        return TopkResult(_fresh(values.reshape(())), Tensor._make(indices.array.reshape(())))
    d = checks.normalize_axis(dim, x.ndim, "topk", single=True)
    if not checks.is_integer(k) or not 0 <= k <= x.shape[d]:
        raise ShapeError(f"topk: k must be an integer from 0 to {x.shape[d]} (the size of dim {d}), got {k!r}")
    k = int(k)
    picked = argsort(x, d, descending=largest).array[(slice(None),) * d + (slice(0, k),)].copy()  # (row-major, as
    # PyTorch allocates topk's results)
    return TopkResult(shown_as(x[_along(picked, d)], "TopkBackward0"), Tensor._make(picked))


def kthvalue(input, k, dim=-1, keepdim=False):
    """(values, indices): the k-th smallest entry along ``dim`` (k from 1; NaN counts as the largest), read from
    ``input`` so that the gradient flows to that entry."""
    x = ordered(input, "kthvalue")
    flat = x.reshape(1) if x.ndim == 0 else x
    d = checks.normalize_axis(dim, flat.ndim, "kthvalue", single=True)
    if not checks.is_integer(k) or not 1 <= k <= flat.shape[d]:
        raise DomainError(f"kthvalue: k must be an integer from 1 to {flat.shape[d]} (the size of dim {d}), got {k!r}")
    k = int(k)
    picked = argsort(flat, d).array[(slice(None),) * d + (slice(k - 1, k),)].copy()  # (its dim kept, of size 1;
    # row-major, as PyTorch allocates kthvalue's results)
    return KthvalueResult(*_read_along(x, flat, d, picked, keepdim))


def _read_along(x, flat, d, index, keepdim):
    """(flat's entries at ``index`` along ``d``, the index): read from the input, so the gradient flows to them;
    index keeps d (size 1), dropped unless keepdim, and both 0-d for a 0-d x."""
    values = flat[_along(index, d)]
    if x.ndim == 0:
        return _fresh(values.reshape(())), Tensor._make(index.reshape(()))
    return (values, Tensor._make(index)) if keepdim else (_fresh(values.squeeze(d)), Tensor._make(index.squeeze(d)))


def median(input, dim=None, keepdim=False):
    """The lower median: the ⌈n/2⌉-th smallest entry (of all entries, or (values, indices) along ``dim``), not the
    mean of the two middle ones, as PyTorch's; a row holding NaN has its first NaN as median.  The value is read
    at the index, so the gradient flows to that entry; the median of all entries shares it evenly among the entries
    equal to it, as PyTorch's (and as max())."""
    x = _t(input, "median")
    if dim is None:
        if x.numel() == 0:
            return Tensor._make(backend.get_array_module(x.array).asarray(backend.np.nan, dtype=x.dtype))
        m = median(x.reshape(-1), 0).values.detach()
        a = x.array
        ties = (a == m.array) | ((a != a) & (m.array != m.array))  # the entries equal to it (NaN: the NaNs)
        share = Tensor._make((ties / ties.sum()).astype(a.dtype))
        out = m + ((where(Tensor._make(ties), x, m) - m) * share).sum()  # m itself; d/dx = ties / their count
        return shown_as(out, "MedianBackward0")
    flat = x.reshape(1) if x.ndim == 0 else x
    d = checks.normalize_axis(dim, flat.ndim, "median", single=True)
    a = flat.array
    index = argsort(flat, d).array[(slice(None),) * d + (slice((a.shape[d] - 1) // 2, (a.shape[d] + 1) // 2),)]
    if a.dtype.kind == "f":  # NaN propagates: a row holding one gives its first NaN
        nan = a != a
        index = backend.get_array_module(a).where(nan.any(d, keepdims=True), nan.argmax(d, keepdims=True), index)
    return MedianResult(*_read_along(x, flat, d, index, keepdim))


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The q-quantiles (q in [0, 1], a number or a 1-D tensor) of all entries, or along ``dim``: the sorted values
    at position q·(n − 1), between neighbours by ``interpolation`` (linear, lower, higher, nearest, midpoint), as
    PyTorch's; a row holding NaN gives NaN.  A 1-D q puts its axis first."""
    x = _t(input, "quantile")
    ndim = x.ndim
    if x.dtype.kind != "f":
        raise DtypeError(f"quantile: input must be floating point, got {x.dtype}")
    if interpolation not in ("linear", "lower", "higher", "nearest", "midpoint"):
        raise ValueError(f"quantile: interpolation must be linear, lower, higher, nearest or midpoint, got "
                         f"{interpolation!r}")
    xp = backend.get_array_module(x.array)
    qs = q.array if isinstance(q, Tensor) else xp.asarray(q, dtype=x.dtype)
    if qs.ndim > 1 or qs.size and (float(qs.min()) < 0 or float(qs.max()) > 1):
        raise DomainError(f"quantile: q must be a number or a 1-D tensor of numbers in [0, 1], got {q!r}")
    if dim is None:
        x, d = x.reshape(-1), 0
    else:
        d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "quantile", single=True)
        x = x.reshape(1) if x.ndim == 0 else x
    n = x.shape[d]
    ordered = sort(x, d).values  # NaN last: a row with NaN ends in NaN
    rank = qs.reshape(-1).astype(xp.float64) * (n - 1)
    if interpolation == "lower":
        rank = xp.floor(rank)
    elif interpolation == "higher":
        rank = xp.ceil(rank)
    elif interpolation == "nearest":
        rank = xp.round(rank)  # (half to even, as PyTorch's)
    below, above = xp.floor(rank).astype(xp.int64), xp.ceil(rank).astype(xp.int64)
    lo, hi = ordered.index_select(d, Tensor._make(below)), ordered.index_select(d, Tensor._make(above))
    shape = [1] * x.ndim
    shape[d] = -1
    fraction = xp.full(rank.shape, 0.5) if interpolation == "midpoint" else rank - below
    out = lo + (hi - lo) * Tensor._make(fraction.astype(x.dtype).reshape(shape))
    nan = isnan(ordered.narrow(d, n - 1, 1))  # a NaN in the row
    out = where(nan.array, Tensor._make(xp.asarray(xp.nan, dtype=x.dtype)), out) if bool(nan.any()) else out
    out = out.movedim(d, 0)  # (the q axis first, as PyTorch's)
    if keepdim and ndim:  # (a 0-d input keeps no dimension)
        out = out.unsqueeze(d + 1) if dim is not None else out.reshape((out.shape[0],) + (1,) * ndim)
    if qs.ndim == 0:
        out = out.squeeze(0)
    return _fresh(out)
