"""Sorting and order statistics: ``sort``, ``argsort``, ``topk``, ``kthvalue``, ``median``, ``quantile``, ``unique``.
"""

from __future__ import annotations

import builtins
from collections import namedtuple

from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DomainError, DtypeError, ShapeError
from minigan.engine.graph import Node, select, value
from minigan.engine.tensor import Tensor
from minigan.surface.indexing import _along
from minigan.surface.no_derivative import no_derivative
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _fresh, _t
from minigan.surface.pointwise import lerp, where
from minigan.surface.reductions import LEFT_OUT, given, one_dim_or_none


def ordered(x, fn) -> Tensor:
    """The input of a function that picks entries by their order (topk, kthvalue, median, argmax, argmin):
    PyTorch's kernels refuse a bool tensor there."""
    x = _t(x, fn)
    if x.dtype.kind == "b":
        raise DtypeError(f"{fn}: a bool tensor has no order PyTorch picks by; convert it with .int() or .float()")
    return x


def reduced_dim(x, dim, fn) -> int:
    """``dim`` of a function that picks one entry along it (kthvalue, median): in range (a 0-d tensor has dims
    -1 and 0), and not of size 0, where there is no entry to pick (IndexError, as PyTorch's)."""
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), fn, single=True)
    if x.ndim and x.shape[d] == 0:
        raise DimensionError(f"{fn}: dim {d} of the tensor of shape {tuple(x.shape)} has size 0, so there is no "
                             "entry to pick; reduce along a dim whose size is not 0")
    return d


SortResult = namedtuple("sort", ["values", "indices"])  # as torch.return_types.sort / topk


TopkResult = namedtuple("topk", ["values", "indices"])


KthvalueResult = namedtuple("kthvalue", ["values", "indices"])


MedianResult = namedtuple("median", ["values", "indices"])


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    """The distinct values (sorted), with, if asked, where each entry went (``return_inverse``) and how often each
    value occurs (``return_counts``); with ``dim``, the distinct slices along it.  PyTorch declares its derivative
    not implemented: the values require grad as PyTorch's do, and a backward that reaches them raises."""
    x = _t(input, "unique")
    if dim is not None:
        dim = checks.normalize_axis(dim, x.ndim, "unique", single=True)
    xp = backend.get_array_module(x.array)
    if dim is not None and builtins.any(n == 0 for d, n in enumerate(x.shape) if d != dim):
        raise ShapeError(f"unique: the input of shape {tuple(x.shape)} has a dimension of size 0 other than dim={dim}, "
                         "so no slice along dim has entries to compare (as PyTorch refuses)")
    nan = {} if dim is not None else {"equal_nan": False}  # (each NaN a value of its own, as PyTorch's)
    values, inverse, counts = xp.unique(x.array, return_inverse=True, return_counts=True, axis=dim, **nan)
    op, shown = ("_unique2", "Unique2Backward0") if dim is None else ("unique_dim", "UniqueDimBackward0")
    out = (no_derivative(values, op, x, declared=True, shown=shown),)
    if return_inverse:
        out += (Tensor._make(inverse.reshape(x.shape if dim is None else (x.shape[dim],)).astype(xp.int64)),)
    if return_counts:
        out += (Tensor._make(counts.astype(xp.int64)),)
    return out[0] if builtins.len(out) == 1 else out


def argsort(input, dim=-1, descending=False, *, stable=None):  # (by name only, as PyTorch's; None: not given)
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
    x = _t(input, "topk")
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "topk", single=True)  # (the dim first, then the
    x = ordered(x, "topk")  # dtype, then k: PyTorch's order of checks)
    size = x.shape[d] if x.ndim else 1
    if not checks.is_integer(k) or not 0 <= k <= size:
        raise ShapeError(f"topk: k must be an integer from 0 to {size} (the size of dim {d}), got {k!r}")
    if x.ndim == 0:  # a 0-d tensor is its own top entry, for k = 0 as for k = 1 (PyTorch's)
        xp = backend.get_array_module(x.array)
        return TopkResult(shown_as(x.clone(), "TopkBackward0"), Tensor._make(xp.zeros((), xp.int64)))
    k = int(k)
    picked = argsort(x, d, descending=largest).array[(slice(None),) * d + (slice(0, k),)].copy()  # (row-major, as
    # PyTorch allocates topk's results)
    return TopkResult(shown_as(x[_along(picked, d)], "TopkBackward0"), Tensor._make(picked))


def kthvalue(input, k, dim=-1, keepdim=False):
    """(values, indices): the k-th smallest entry along ``dim`` (k from 1; NaN counts as the largest), read from
    ``input`` so that the gradient flows to that entry."""
    x = _t(input, "kthvalue")
    d = reduced_dim(x, dim, "kthvalue")
    x = ordered(x, "kthvalue") if x.ndim else x  # (a 0-d bool is its own k-th value: PyTorch's)
    flat = x.reshape(1) if x.ndim == 0 else x
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


class EvenlyShared(Node):
    """``found``, one of x's entries (found with no graph), as a result of x whose gradient is PyTorch's
    evenly_distribute_backward: shared evenly among the entries equal to it (the NaNs, for NaN), read from the
    saved input and result when backward runs, as PyTorch's node reads them (a write through .data since is seen;
    a change in place is refused)."""

    def forward(self, x, found):
        out = backend.get_array_module(x).array(found, dtype=x.dtype)  # (a 0-d array of its own)
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):  # d out/dx_i = [x_i = out] / (how many are)
        x, out = (value(t) for t in self.saved_tensors)
        ties = (x == out) | ((x != x) & (out != out))  # (a constant: the entries equal to it; none, after a .data
        return (select(ties, grad / builtins.max(int(ties.sum()), 1)),)  # write: 0 everywhere, PyTorch's masked_fill_)


def median(input, dim=LEFT_OUT, keepdim=LEFT_OUT):
    """The lower median: the ⌈n/2⌉-th smallest entry (of all entries, or (values, indices) along ``dim``), not the
    mean of the two middle ones, as PyTorch's; a row holding NaN has its first NaN as median.  The value is read
    at the index, so the gradient flows to that entry; the median of all entries shares it evenly among the entries
    equal to it, as PyTorch's (and as max())."""
    x = _t(input, "median")
    one_dim_or_none("median", dim, keepdim)
    dim, keepdim = given(dim, None), given(keepdim, False)
    if dim is None:
        if x.numel() == 0:  # NaN, converted to the input's dtype, as PyTorch's (recording the graph)
            with backend.np.errstate(invalid="ignore"):
                nan = Tensor._make(backend.get_array_module(x.array).asarray(backend.np.nan).astype(x.dtype))
            return shown_as(x.sum() + nan, "MedianBackward0") if x.dtype.kind == "f" else nan
        m = median(ordered(x, "median").reshape(-1), 0).values.detach()
        return EvenlyShared.apply(x, found=m.array)
    d = reduced_dim(x, dim, "median")
    flat = ordered(x, "median").reshape(1) if x.ndim == 0 else ordered(x, "median")
    a = flat.array
    index = argsort(flat, d).array[(slice(None),) * d + (slice((a.shape[d] - 1) // 2, (a.shape[d] + 1) // 2),)].copy()
    # (row-major, as PyTorch allocates median's results)
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
    # PyTorch's order of refusals: a number q's range, the interpolation, then the input and q's dims and dtypes,
    # then dim, and last a tensor q's range (each RuntimeError but dim's IndexError)
    xp = backend.get_array_module(x.array)
    qs = q.array if isinstance(q, Tensor) else xp.asarray(q, dtype=xp.float64)
    if not isinstance(q, Tensor) and qs.ndim == 0 and not 0 <= float(qs) <= 1:
        raise DomainError(f"quantile: q must be a number or a 1-D tensor of numbers in [0, 1], got {q!r}")
    if interpolation not in ("linear", "lower", "higher", "nearest", "midpoint"):
        raise DomainError(f"quantile: interpolation must be 'linear', 'lower', 'higher', 'nearest' or 'midpoint' "
                          f"(lower case), got {interpolation!r}")
    if x.numel() == 0:
        raise DomainError(f"quantile: the input must have entries, got an empty tensor of shape {tuple(x.shape)}")
    if qs.ndim > 1:
        raise DomainError(f"quantile: q must be a number or a 1-D tensor, got {qs.ndim} dimensions")
    if x.dtype.kind != "f" or x.dtype.itemsize < 4:  # (float16 too: PyTorch's quantile takes float and double)
        raise DomainError(f"quantile: input must be floating point (float32 or float64), got {x.dtype}; convert it, "
                          "e.g. x.double()")
    if isinstance(q, Tensor) and q.dtype != x.dtype:
        raise DomainError(f"quantile: q must have the input's dtype ({x.dtype}), got {q.dtype}; convert it with "
                          f"q.to(input.dtype)")
    qs = qs.astype(x.dtype)
    if dim is not None:
        checks.normalize_axis(dim, builtins.max(x.ndim, 1), "quantile", single=True)  # (IndexError, before q's range)
    if qs.size and not (float(qs.min()) >= 0 and float(qs.max()) <= 1):
        raise DomainError(f"quantile: q must be a number or a 1-D tensor of numbers in [0, 1], got {q!r}")
    if dim is None:
        x, d = x.reshape(-1), 0
    else:
        d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "quantile", single=True)
        x = x.reshape(1) if x.ndim == 0 else x
    n = x.shape[d]
    ordered = sort(x, d).values.movedim(d, -1)  # each row sorted along the last dim, NaN last
    nan_row = ordered.array[..., -1:] != ordered.array[..., -1:]  # each quantile of such a row: its NaN (PyTorch)
    rank = xp.where(nan_row, n - 1, qs.reshape(-1).astype(xp.float64) * (n - 1))  # rows × q (PyTorch's layout,
    rank = xp.ascontiguousarray(rank)  # row-major whatever the input's: the gathers and the result follow it)
    if interpolation == "lower":
        rank = xp.floor(rank)
    elif interpolation == "higher":
        rank = xp.ceil(rank)
    elif interpolation == "nearest":
        rank = xp.round(rank)  # (half to even, as PyTorch's)
    below = xp.floor(rank).astype(xp.int64)
    out = ordered.gather(-1, Tensor._make(below))
    if interpolation in ("linear", "midpoint"):  # lerp(below, above, w), two-sided as PyTorch's: ∞ stays ∞
        hi = ordered.gather(-1, Tensor._make(xp.ceil(rank).astype(xp.int64)))
        weight = xp.full(rank.shape, 0.5) if interpolation == "midpoint" else rank - below
        w = Tensor._make(weight.astype(x.dtype))
        if interpolation == "linear" and isinstance(q, Tensor) and q.requires_grad:  # w = q·(n − 1) − below, of q
            w = where(Tensor._make(nan_row), 0.0, q.reshape(-1) * (n - 1) - Tensor._make(below.astype(x.dtype)))
        out = lerp(out, hi, w)  # (PyTorch's lerp: its weight's gradient is hi − out, ∞ where out is −∞)
    out = out.movedim(-1, 0)  # (the q axis first, as PyTorch's)
    if keepdim and ndim:  # (a 0-d input keeps no dimension)
        out = out.unsqueeze(d + 1) if dim is not None else out.reshape((out.shape[0],) + (1,) * ndim)
    if qs.ndim == 0:
        out = out.squeeze(0)
    return _fresh(out)
