"""Reductions and scans: ``all``/``any``, ``amax``/``amin``, ``nansum``, ``prod``, ``cumsum`` and ``cummax``,
``bincount``, ``histc``, ``diff``, ``allclose`` and ``equal``.
"""

from __future__ import annotations

import builtins
import math
from collections import namedtuple

from minigan.engine import backend, checks, methods
from minigan.engine.errors import DomainError, DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import Node, namespace, value
from minigan.engine.ops import reduce as R
from minigan.engine.tensor import Tensor
from minigan.surface import creation, factors
from minigan.surface.indexing import _along
from minigan.surface.no_derivative import no_derivative
from minigan.surface.operands import _t
from minigan.surface.out import write_out
from minigan.surface.pointwise import isclose
from minigan.surface.saved import saves
from minigan.surface.shapes import cat, flip


def widened(x, dtype, fn):
    """``x`` in ``dtype`` for a norm's ``dtype=``: PyTorch's norms refuse a narrowing one (float64 to float32)."""
    if dtype is None:
        return x
    if not backend.np.can_cast(x.dtype, backend.np.dtype(dtype), casting="safe"):
        raise DtypeError(f"{fn}: the dtype of the input ({x.dtype}) should be convertible without narrowing to the "
                         f"specified dtype ({backend.np.dtype(dtype)}), as in PyTorch")
    return x.to(dtype)


def every_dim(dim):
    """``dim`` of a reduction over a list of dims: an empty list is every dim, as PyTorch reads it (sum(x, dim=())
    is x.sum(), where NumPy's axis=() would reduce nothing)."""
    return None if isinstance(dim, (tuple, list)) and not dim else dim


def all(input, dim=None, keepdim=False):
    """True where every element (along ``dim``) is nonzero: a bool tensor (uint8 for uint8, as PyTorch's)."""
    return _test_all_any("all", input, dim, keepdim)


def any(input, dim=None, keepdim=False):
    """True where some element (along ``dim``) is nonzero."""
    return _test_all_any("any", input, dim, keepdim)


def _test_all_any(fn, input, dim, keepdim):
    x = _t(input, fn)
    axis = None if dim is None else checks.normalize_axis(dim, builtins.max(x.ndim, 1), fn)
    xp = backend.get_array_module(x.array)
    out = xp.asarray(getattr(x.array, fn)(axis=axis if x.ndim else None, keepdims=keepdim and x.ndim > 0))
    out = backend.c_order(out)  # (row-major, as PyTorch allocates a reduction's result)
    return Tensor._make(out.astype(xp.uint8) if x.dtype == backend.np.uint8 else out)


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """|input − other| ≤ atol + rtol·|other| everywhere (a Python bool)."""
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan).array.all())


def equal(input, other) -> bool:
    """Same shape and the same values (a Python bool)."""
    return _t(input, "equal").shape == _t(other, "equal").shape and builtins.bool((input.array == other.array).all())


def count_nonzero(input, dim=None):
    x, dim = _t(input, "count_nonzero"), every_dim(dim)
    xp = backend.get_array_module(x.array)
    dim = dim if dim is None else checks.normalize_axis(tuple(dim) if isinstance(dim, list) else dim, x.ndim,
                                                        "count_nonzero")  # (a list of dims too, as PyTorch's)
    return Tensor._make(backend.c_order(xp.asarray(xp.count_nonzero(x.array, axis=dim)).astype(backend.np.int64)))


def amax(input, dim=(), keepdim=False):
    """The maximum over ``dim`` (all dimensions when empty); ties share the gradient evenly, as PyTorch's amax."""
    return _amax(_t(input, "amax"), dim, keepdim, "amax")


def amin(input, dim=(), keepdim=False):
    """The minimum over ``dim`` (all dimensions when empty), found as the minimum (no −x: bools and unsigned
    integers would wrap around); ties share the gradient evenly, as PyTorch's amin."""
    return _amax(_t(input, "amin"), dim, keepdim, "amin")


def is_nonzero(input) -> builtins.bool:
    """The truth of a one-element tensor (an error for any other)."""
    return builtins.bool(_t(input, "is_nonzero"))


CummaxResult = namedtuple("cummax", ["values", "indices"])


CumminResult = namedtuple("cummin", ["values", "indices"])


AminmaxResult = namedtuple("aminmax", ["min", "max"])


def in_dtype(fn, x, dtype, bools=True, dim=None):
    """``x`` in a reduction's ``dtype=``, as PyTorch's: no integer or bool result of an input recording a gradient
    (autograd has no integer gradients: RuntimeError), and no bool for a running sum or product (``bools``) along a
    dim that has entries.  ``dim`` (the dims reduced) is checked first, as PyTorch's kernel reads it before autograd
    sees the integer result."""
    checks.normalize_axis(dim, x.ndim, fn)
    if dtype is None:
        return x
    kind = backend.np.dtype(dtype).kind
    if kind == "b" and not bools and x.ndim and x.numel():  # (the kernel runs only on entries along a dim)
        raise DtypeError(f"{fn}: dtype=bool is not provided for a running sum or product (as in PyTorch)")
    if kind != "f" and x.requires_grad and is_grad_enabled():
        raise GraphError(f"{fn}: dtype={dtype} gives an integer result of a tensor that requires grad, which autograd "
                         "cannot differentiate (as in PyTorch); pass a floating dtype, or .detach() the input")
    return x.astype(dtype)


class NanAsZero(Node):
    """x with NaN as 0, as nansum reads it.  Its backward is PyTorch's nansum_backward, grad·(x is not NaN), read from
    x when it runs: a product, so an ∞ or NaN gradient at a NaN entry is NaN (∞·0), as PyTorch's; a select gave 0."""

    def forward(self, x):
        self.save_for_backward(x)
        return backend.get_array_module(x).where(x != x, 0, x)

    def backward(self, grad):  # d/dx = 1 where x is not NaN, 0 where it is
        x, = self.saved_tensors
        with backend.np.errstate(invalid="ignore"):  # (∞·0 = NaN, as PyTorch's)
            return (grad * (x == x),)


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """The sum with NaN counted as 0 (their gradient is 0), also when ``dtype=`` is an integer one: NaN is 0
    before the conversion, as PyTorch's."""
    x, dim = _t(input, "nansum"), every_dim(dim)
    clean = in_dtype("nansum", NanAsZero.apply(x) if x.dtype.kind == "f" else x, dtype, dim=dim)
    if dim is None and keepdim and x.ndim:  # (every dim kept as a one, as sum's)
        dim = tuple(range(x.ndim))
    out = clean.sum() if dim is None else clean.sum(dim, keepdim=keepdim)
    out = out if dtype is None else out.astype(dtype)  # (a sum of bools or ints is int64: the dtype asked, as sum's)
    return saves(out, x)  # (PyTorch's nansum saves its input: nanmean's, which divides it, too)


def floating_mean(fn, x, dtype) -> None:
    """The door of mean and nanmean: a mean is floating, in ``dtype=`` or else in the input's dtype; PyTorch cannot
    infer one for an integer or bool mean and raises (RuntimeError), as this does (DtypeError)."""
    out, given = backend.np.dtype(x.dtype if dtype is None else dtype), "the input" if dtype is None else "dtype="
    if out.kind != "f":
        raise DtypeError(f"{fn}: could not infer a floating dtype for the mean from {given} ({out.name}), as in "
                         "PyTorch; pass dtype=minigan.float32, or convert with .float() first")


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean of the entries that are not NaN (NaN where there are none)."""
    x, dim = _t(input, "nanmean"), every_dim(dim)
    if x.dtype.kind != "f":  # (the input's own dtype, before dtype= converts it: PyTorch's check)
        raise DtypeError(f"nanmean: input must be floating point, got {x.dtype}")
    floating_mean("nanmean", x, dtype)
    x = x if dtype is None else x.to(dtype)
    count = Tensor._make((x.array == x.array).astype(x.dtype))
    total = nansum(x, dim, keepdim)
    if dim is None and keepdim and x.ndim:
        dim = tuple(range(x.ndim))
    with backend.np.errstate(invalid="ignore", divide="ignore"):  # 0/0 where a row is all NaN: NaN, as PyTorch's
        return total / (count.sum() if dim is None else count.sum(dim, keepdim=keepdim))


def _running_extreme(x, dim, name, better):
    """(values, indices) of the running max or min: the index is the latest entry equal to the running value
    (or the latest NaN, which stays), as PyTorch's; the values are read at it, so the gradient goes there."""
    x = _t(x, name)
    xp = backend.get_array_module(x.array)
    if x.numel() == 0:  # (PyTorch's returns the empty results before it reads dim)
        return _EmptyRunningExtreme.apply(x), Tensor._make(xp.zeros(x.shape, xp.int64))
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), name, single=True)  # (a 0-d tensor has dims -1 and 0)
    if x.ndim == 0:  # (PyTorch's node saves the input all the same)
        return saves(x.clone(), x), Tensor._make(xp.zeros((), xp.int64))
    a = x.array
    with backend.np.errstate(invalid="ignore"):
        running = getattr(xp, better).accumulate(a, axis=d)
        hit = (a == running) | (a != a)
    position = xp.arange(a.shape[d]).reshape((-1,) + (1,) * (a.ndim - d - 1))
    index = xp.maximum.accumulate(xp.where(hit, position, 0), axis=d).astype(xp.int64, order="C")  # (row-major,
    return saves(x[_along(index, d)], x), Tensor._make(index)  # as PyTorch allocates both results: the values
    # follow it; PyTorch's node saves the input)


class _EmptyRunningExtreme(Node):
    """cummax or cummin of an input with no entries: an empty copy, whose gradient is PyTorch's cummaxmin_backward
    for no entries, the input itself (so under create_graph it requires grad when the input does)."""

    def forward(self, x):
        self.save_for_backward(x)
        return x.copy()

    def backward(self, grad):  # (no entries to differentiate: the input stands in for the gradient, as PyTorch's)
        x, = self.saved_tensors
        return (x[...],)  # (a view of it, so that a leaf's .grad is never the leaf itself)


def cummax(input, dim):
    """(values, indices): the running maximum along ``dim``."""
    return CummaxResult(*_running_extreme(input, dim, "cummax", "maximum"))


def cummin(input, dim):
    """(values, indices): the running minimum along ``dim``."""
    return CumminResult(*_running_extreme(input, dim, "cummin", "minimum"))


def logcumsumexp(input, dim):
    """log Σ_{j ≤ i} exp(x_j) along ``dim``, without overflow; differentiated by PyTorch's formula (LogCumSumExp)."""
    x = _t(input, "logcumsumexp")
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "logcumsumexp", single=True)  # (before the dtype, as
    if x.dtype.kind != "f":  # PyTorch checks)
        raise DtypeError(f"logcumsumexp: input must be floating point, got {x.dtype}")
    return LogCumSumExp.apply(x, axis=d)


class LogCumSumExp(Node):
    """The running log Σ exp along ``axis``, a log-step scan of logaddexp.  Its gradient is PyTorch's formula
    (logcumsumexp_backward): the positive and negative parts of the gradient g apart, each
    exp(reverse_logcumsumexp(log |g| − out) + x), so NaN at a ±∞ entry as PyTorch's, and differentiable again."""

    def forward(self, x, axis=0):
        xp, self.axis = backend.get_array_module(x), axis
        out, n, step = x.copy(), (x.shape[axis] if x.ndim else 1), 1
        while step < n:  # out[i] = logaddexp(out[i], out[i − step]): each entry then holds 2·step entries' sum
            head, tail, behind = (xp.take(out, range(*r), axis) for r in ((step,), (step, n), (n - step,)))
            out = xp.concatenate([head, xp.logaddexp(tail, behind)], axis=axis)
            step *= 2
        self.save_for_backward(x, out)
        return out

    def backward(self, grad):  # d/dx_j = Σ_{i ≥ j} g_i·exp(x_j − out_i), as exp(reverse-lcse(log g − out) + x)
        x, out = self.saved_tensors
        xp, g, lowest = namespace(grad), value(grad), backend.np.finfo(x.dtype).min
        if x.ndim == 0 or 0 in x.shape:  # (one entry, or none: PyTorch's formula passes the gradient on)
            return (grad,)

        def reverse(v):  # logcumsumexp from the end
            flip = (lambda a: a.flip((self.axis,))) if isinstance(v, Tensor) else \
                (lambda a: backend.get_array_module(a).flip(a, self.axis))
            return flip(LogCumSumExp.apply(flip(v), axis=self.axis))

        with backend.np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # (log 0 = −∞; ∞ − ∞ = NaN)
            log_abs = xp.log(xp.where(g < 0, -grad, grad))  # log |g|
            parts = [reverse(xp.where(mask, log_abs, lowest) - out) + x for mask in (g > 0, g < 0)]
            return (xp.exp(parts[0]) - xp.exp(parts[1]),)


def bincount(input, weights=None, minlength=0):
    """How often each of 0, 1, 2, … occurs in the 1-D non-negative integers ``input`` (summing ``weights``
    instead of counting, when given: float32 weights keep their dtype, every other dtype gives float64, as PyTorch's).
    A count has no gradient (weights that require grad give a result whose backward refuses, as PyTorch's).
    Checked in PyTorch's order: minlength, an empty input (zeros, the weights unread), the input, the weights."""
    x = _t(input, "bincount")
    if x.dtype.kind not in "iu":  # (a kernel for integers only: PyTorch's NotImplementedError)
        raise DtypeError(f"bincount: input must be 1-d non-negative integers, got {x.dtype} of shape {tuple(x.shape)}")
    if not checks.is_integer(minlength):
        raise TypeError(f"bincount: minlength must be an int, got {type(minlength).__name__}")
    if minlength < 0:
        raise DomainError(f"bincount: minlength must be >= 0, got {minlength}")
    xp = backend.get_array_module(x.array)
    if x.ndim == 1 and not x.numel():
        return Tensor._make(xp.zeros(minlength, dtype=xp.int64))
    if x.ndim != 1 or builtins.int(x.array.min()) < 0:
        raise DomainError(f"bincount: input must be 1-d non-negative integers, got {x.dtype} of shape {tuple(x.shape)}")
    if weights is None:
        return Tensor._make(xp.bincount(x.array, minlength=minlength).astype(xp.int64))
    w = _t(weights, "bincount")
    if w.shape != x.shape:
        raise ShapeError(f"bincount: weights must be 1-d and as long as the input ({x.shape[0]}), got shape "
                         f"{tuple(w.shape)}")
    dtype = w.dtype if w.dtype == backend.np.float32 else backend.np.float64
    counts = xp.bincount(x.array, weights=w.array.astype(backend.np.float64), minlength=minlength).astype(dtype)
    return no_derivative(counts, "bincount", w)


def edge_counts(values, edges, weights=None, density=False):
    """histogram's counts over the bin ``edges`` given (1-d, in any order, as PyTorch takes them), as PyTorch's kernel
    counts: a value in [edges[0], edges[-1]] (NaN is in none) counts, by its weight, in the bin a binary search of the
    edges finds (std::upper_bound), the last edge in the last bin.  With increasing edges that is NumPy's histogram;
    otherwise PyTorch's own answer, where NumPy refuses.  Weights add up in the values' dtype, one after another
    (PyTorch's loop; a float32 sum rounds at each step).  ``density``: divided by the total, then by each bin's
    width, as PyTorch's two divisions."""
    xp, m = backend.get_array_module(values), edges.shape[0]
    inside = (values >= edges[0]) & (values <= edges[-1])
    v, w = values[inside], None if weights is None else weights[inside]
    lo, hi = xp.zeros(v.shape, dtype=xp.int64), xp.full(v.shape, m, dtype=xp.int64)
    while builtins.bool((lo < hi).any()):  # the binary search, for every value at once: [lo, hi) halves
        mid = (lo + hi) // 2
        left = (lo < hi) & (v < edges[xp.minimum(mid, m - 1)])
        hi, lo = xp.where(left, mid, hi), xp.where((lo < hi) & ~left, mid + 1, lo)
    bins = xp.minimum(lo - 1, m - 2)
    if w is None:
        hist = xp.bincount(bins, minlength=m - 1).astype(values.dtype)
    else:
        hist = xp.zeros(m - 1, dtype=values.dtype)
        backend.scatter_add(hist, bins, w.astype(values.dtype))
    if density:
        with backend.np.errstate(divide="ignore", invalid="ignore"):  # (no count, or a bin of width 0: as PyTorch)
            return hist / hist.sum() / xp.diff(edges)
    return hist


HistogramResult = namedtuple("histogram", ["hist", "bin_edges"])  # as torch.return_types.histogram


def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    """(hist, bin_edges) as ``torch.histogram``: ``bins`` equal-width bins over ``range`` (the data's own range when
    None), or the bin edges given as a 1-D tensor; ``weight`` per element, ``density`` normalises to a density.
    Float values; PyTorch has no derivative for it: both require grad where an input does, and a backward that
    reaches them raises."""
    x = _t(input, "histogram")
    if x.dtype.kind != "f":
        raise DtypeError(f"histogram: input must be floating point, got {x.dtype}")
    xp = backend.get_array_module(x.array)
    if isinstance(bins, Tensor) and bins.ndim != 1:  # (NumPy's ValueError came out)
        raise DomainError(f"histogram: a bins tensor must be 1-d (the edges), got shape {tuple(bins.shape)}")
    if isinstance(bins, Tensor) and bins.dtype != x.dtype:  # (PyTorch's refusal; NumPy compared across dtypes)
        raise DtypeError(f"histogram: the bin edges must have the input's dtype {x.dtype}, got {bins.dtype}")
    edges = bins.array if isinstance(bins, Tensor) else creation.integer(bins, "histogram", "bins")
    if not isinstance(bins, Tensor) and edges < 1:
        raise ShapeError(f"histogram: bins must be > 0, got {edges} (as PyTorch)")
    if range is not None and builtins.len(range) != 2:
        raise DomainError(f"histogram: range must be two numbers (min, max), got {builtins.len(range)} (as PyTorch)")
    if range is None and not isinstance(bins, Tensor) and x.numel():
        range = (builtins.float(x.array.min()), builtins.float(x.array.max()))
    if range is not None:  # (PyTorch's refusals, RuntimeError, where NumPy's ValueError came out)
        lo, hi = (builtins.float(r) for r in range)
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
            raise DomainError(f"histogram: the range [{lo}, {hi}] must be finite, with min <= max (as PyTorch); give "
                              "range= (or leave out the infinite or NaN values)")
    w = None if weight is None else _t(weight, "histogram").array.ravel()
    if w is not None and w.dtype != x.array.dtype:  # (PyTorch's refusal, at the call)
        raise DtypeError(f"histogram: weight must have the input's dtype {x.dtype}, got {weight.dtype} (as PyTorch)")
    if w is not None and w.size != x.array.size:  # (the input is read flattened: any shape of as many entries)
        raise ShapeError(f"histogram: weight must have as many entries as the input ({x.numel()}, shape "
                         f"{tuple(x.shape)}), got shape {tuple(weight.shape)}")
    if isinstance(bins, Tensor):  # (edges in any order, as PyTorch's kernel takes them: NumPy's refuses)
        hist, bin_edges = edge_counts(x.array.ravel(), edges.astype(x.array.dtype), w, density), edges
    else:  # PyTorch's edges: linspace's over the range (0 to 1 for no values; one value ± 0.5), in the input's dtype
        lo, hi = (0.0, 1.0) if range is None else (builtins.float(r) for r in range)
        lo, hi = (lo - 0.5, hi + 0.5) if lo == hi else (lo, hi)
        bin_edges = creation.linspace_values(lo, hi, xp.arange(edges + 1, dtype=backend.np.float64), x.array.dtype)
        hist = edge_counts(x.array.ravel(), bin_edges, w, density)
    result = HistogramResult(*(no_derivative(r.astype(x.dtype), "histogram", x, bins, weight)
                               for r in (hist, bin_edges)))
    if out is not None:
        return HistogramResult(*(write_out("histogram", r, o) for r, o in zip(result, out)))
    return result


def histc(input, bins=100, min=0, max=0):
    """A histogram of ``bins`` equal-width bins over [min, max] (the data's own range when min equals max); values
    outside are left out, the last bin holds max.  No gradient."""
    x = _t(input, "histc")
    if x.dtype.kind != "f":
        raise DtypeError(f"histc: input must be floating point, got {x.dtype}")
    if not (checks.is_integer(bins) and bins > 0):  # (RuntimeError, as PyTorch's)
        raise DomainError(f"histc: bins must be an int > 0, got {bins!r}")
    xp = backend.get_array_module(x.array)
    low, high = (builtins.float(x.array.min()), builtins.float(x.array.max())) if min == max and x.numel() \
        else (builtins.float(min), builtins.float(max))  # (min == max, not only 0: the data's range, as PyTorch's)
    if not (math.isfinite(low) and math.isfinite(high)):  # (given, or the data's own: ±inf or NaN among them)
        raise DomainError(f"histc: the range [{low}, {high}] must be finite")
    if not low <= high:  # (NaN too)
        raise DomainError(f"histc: max must be larger than min, got min={low}, max={high}")
    if high == low:  # (one value: a bin one unit wide around it, as PyTorch's)
        low, high = low - 1, high + 1
    # PyTorch's bin of x: int((x − min) · bins / (max − min)) in the input's dtype, max itself in the last bin (NumPy's
    # histogram rounds otherwise, and a value near an edge would land one bin away).
    low, high = x.array.dtype.type(low), x.array.dtype.type(high)
    inside = x.array[(x.array >= low) & (x.array <= high)]
    at = ((inside - low) * x.array.dtype.type(bins) / (high - low)).astype(backend.np.int64)
    counts = xp.bincount(xp.minimum(at, bins - 1), minlength=bins)
    return Tensor._make(counts.astype(x.dtype))


def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) of all entries or along ``dim``."""
    x = _t(input, "aminmax")
    if dim is not None and not checks.is_integer(dim):  # (one dim or all: a tuple is PyTorch's TypeError)
        raise TypeError(f"aminmax: dim must be an int, got {type(dim).__name__} {dim!r}")
    d = () if dim is None else dim
    return AminmaxResult(amin(x, d, keepdim), amax(x, d, keepdim))


def cumsum(input, dim, *, dtype=None):
    """The running sums along ``dim``: out_i = x_0 + ... + x_i (integers and bools sum as int64, as PyTorch)."""
    x = _t(input, "cumsum")
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "cumsum", single=True)  # (before the dtype, as PyTorch)
    if dtype is not None:
        x = in_dtype("cumsum", x, dtype, bools=False)
    elif x.dtype.kind in "biu":
        x = x.astype(backend.np.int64)
    return factors.CumSum.apply(x, axis=d) if x.ndim else x.clone()


def _as_product_dtype(x, dtype, fn):
    if dtype is not None:
        return in_dtype(fn, x, dtype, bools=fn != "cumprod")
    return x.astype(backend.np.int64) if x.dtype.kind in "biu" else x  # (integers and bools multiply as int64)


# x.sum(keepdim=True) and x.max(dim=None) are PyTorch's TypeErrors, x.sum(None, True) and x.max() are not: the doors
# of sum, mean, prod, max, min and median default dim and keepdim to LEFT_OUT (the engine's: its sum's default) to
# tell them apart.
LEFT_OUT = methods.LEFT_OUT


def given(value, default):
    """``value``, or ``default`` where the caller left it out."""
    return default if value is LEFT_OUT else value


def keepdim_needs_dim(fn, dim, keepdim):
    """sum and mean: PyTorch's overload of every entry takes no keepdim (the other takes dims, None meaning all), so
    keepdim alone is its TypeError, not every entry reduced (and kept as size 1)."""
    if dim is LEFT_OUT and keepdim is not LEFT_OUT:
        raise TypeError(f"{fn}(): keepdim needs a dim (as in PyTorch): give dim=None to reduce every entry, or the "
                        f"dims to reduce, e.g. x.{fn}(dim=0, keepdim=True)")


def one_dim_or_none(fn, dim, keepdim, other=None):
    """prod, max, min and median: PyTorch's overload of every entry takes nothing, the other one int dim and keepdim,
    so dim=None given, or keepdim alone, is its TypeError (not every entry reduced); max(other) and min(other), the
    elementwise forms, take nothing else."""
    if other is not None and not dim is keepdim is LEFT_OUT or isinstance(dim, Tensor) and keepdim is not LEFT_OUT:
        raise TypeError(f"{fn}(): the elementwise {fn}(other) takes no dim or keepdim (as in PyTorch): x.{fn}(other), "
                        f"or x.{fn}(dim, keepdim) along one dim")
    if dim is None or dim is LEFT_OUT and keepdim is not LEFT_OUT:
        raise TypeError(f"{fn}(): {'dim=None' if dim is None else 'keepdim without a dim'} is not one of its forms (as "
                        f"in PyTorch): x.{fn}() reduces every entry, x.{fn}(dim, keepdim) one dim")


def prod(input, dim=LEFT_OUT, keepdim=LEFT_OUT, *, dtype=None):
    """The product of the elements (along ``dim``), with PyTorch's backward (minigan/engine/ops/reduce.py's Prod):
    exact where some factors are 0, NaN where PyTorch's is, and to any order."""
    one_dim_or_none("prod", dim, keepdim)
    dim, keepdim = given(dim, None), given(keepdim, False)
    if dim is not None and not checks.is_integer(dim):  # (one dim or all: a list is PyTorch's TypeError)
        raise TypeError(f"prod: dim must be an int, got {type(dim).__name__} {dim!r}; for several dims, prod in turn")
    x = _t(input, "prod")
    d = None if dim is None else checks.normalize_axis(dim, builtins.max(x.ndim, 1), "prod", single=True)
    x = _as_product_dtype(x, dtype, "prod")  # (after dim, as PyTorch's: in_dtype)
    if x.ndim == 0:  # one factor: itself (PyTorch's gradient passes straight through; its node saves x and the
        out = x.clone()  # result all the same)
        return saves(out, x, out)
    return Prod.apply(x, axis=d, keepdims=bool(keepdim) and d is not None)


class Prod(factors.Prod):
    """The engine's product, whose backward with a 0 among the factors is, under create_graph, PyTorch's
    prod_safe_zeros_backward as it is written: the others' product of each factor is the running product from the
    left times the one from the right (cumprod), so its second derivative is cumprod's, NaN and ∞ included (a NaN
    or ∞ factor's own second derivative is NaN there, where the engine's product of the others is a number)."""

    def backward(self, grad):  # d(Π a)/da_i = (a_0 ··· a_{i−1})·(a_{i+1} ··· a_{n−1})
        a, out = self.saved_tensors
        if not self.zeros or not isinstance(grad, Tensor):  # (no 0, or first order: the engine's formulas)
            return super().backward(grad)
        flat = a.reshape(-1) if self.axis is None else a
        axis, kept = (0 if self.axis is None else self.axis), [1] * a.ndim
        if self.axis is not None:
            kept = [1 if i == self.axis else n for i, n in enumerate(a.shape)]
        return (grad.reshape(kept) * _running_products(flat, axis).reshape(a.shape),)


def _running_products(a, axis):
    """Π_{j≠i} a_j along ``axis``, PyTorch's way: cumprod of [1, a_0, …, a_{n−2}] times the reversed cumprod of
    [1, a_{n−1}, …, a_1]."""
    n, before = a.shape[axis], (slice(None),) * axis
    ones = a.new_ones([1 if i == axis else k for i, k in enumerate(a.shape)])
    if n == 1:  # (a lone factor's others: none)
        return ones
    left = Cumprod.apply(cat([ones, a[before + (slice(0, n - 1),)]], axis), axis=axis)
    right = Cumprod.apply(cat([ones, flip(a[before + (slice(1, n),)], [axis])], axis), axis=axis)
    return left * flip(right, [axis])


def cumprod(input, dim, *, dtype=None):
    """The running products along ``dim``: out_i = x_0 · … · x_i, differentiated by PyTorch's formula (Cumprod)."""
    x = _t(input, "cumprod")
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "cumprod", single=True)  # (before the dtype, as PyTorch)
    x = _as_product_dtype(x, dtype, "cumprod")
    if x.ndim:
        return Cumprod.apply(x, axis=d)
    out = x.clone()  # (one factor: itself; PyTorch's node saves it and the result all the same)
    return saves(out, x, out)


class Cumprod(Node):
    """The running products along ``axis``.  Its backward is PyTorch's (cumprod_backward), NaN and ∞ included:
    where no entry is 0, Σ_{j≥i} g_j·out_j / x_i (a running sum from the end, divided); with zeros, the products of
    the other factors, exact at the zeros: at first order by masks in O(n) (up to the first zero, a running sum as
    above; at it, the products up to the second zero), under create_graph each i's products one by one (O(n²)),
    differentiable again."""

    def forward(self, x, axis):
        self.axis = axis
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (∞ · 0 is NaN, as PyTorch's, without a warning)
            out = backend.c_order(backend.get_array_module(x).cumprod(x, axis=axis, dtype=x.dtype))
        if self.needs_input_grad:
            self.zeros = builtins.bool((x == 0).any())  # (PyTorch chooses its formula by the whole input, too)
            self.save_for_backward(x, out)
        return out

    def backward(self, grad):  # d out_j / d x_i = Π_{k≤j, k≠i} x_k for j ≥ i
        x, out = self.saved_tensors
        axis = self.axis
        if x.shape[axis] == 1 or 0 in x.shape:  # (one factor, or no entries at all: the gradient passes through,
            return (grad,)  # as PyTorch's)
        if not self.zeros:
            return (factors.CumSum.apply(out * grad, axis=axis, reverse=True) / x,)
        return (_cumprod_grad_masked(x, out, grad, axis) if isinstance(x, backend.PLAIN_TYPES) else
                _cumprod_grad_products(x, grad, axis),)


def _cumprod_grad_masked(x, out, g, axis):
    """PyTorch's first-order gradient of cumprod where x has zeros: before the first zero as without zeros; at the
    first zero z, out_{z−1} · Σ_{z≤j<z2} g_j · Π_{z<k≤j} x_k (z2 the second zero); 0 after it."""
    xp = backend.get_array_module(x)
    zeros_so_far = xp.cumsum(x == 0, axis=axis)
    before = zeros_so_far == 0
    with backend.np.errstate(divide="ignore", invalid="ignore"):
        early = factors.CumSum.apply(xp.where(before, out * g, 0), axis=axis, reverse=True) / x
    first_span = zeros_so_far == 1
    first = xp.argmax(first_span, axis=axis, keepdims=True)  # the first zero's index (0 where there is none)
    at_first = (xp.arange(x.shape[axis]).reshape((-1,) + (1,) * (x.ndim - axis - 1)) == first) & first_span
    between = first_span & ~at_first
    span = (xp.cumprod(xp.where(between, x, 1), axis=axis) * xp.where(first_span, g, 0)).sum(axis=axis, keepdims=True)
    before_first = xp.where(first == 0, 1, xp.take_along_axis(out, xp.maximum(first - 1, 0), axis=axis))
    return xp.where(before, early, xp.where(at_first, span * before_first, 0)).astype(x.dtype)


def _cumprod_grad_products(x, grad, axis):
    """PyTorch's gradient of cumprod under create_graph where x has zeros: for each i, Σ_{j≥i} g_j times the product
    of x_0 … x_j without x_i (the products before i times the running products after it), differentiable again."""
    n, rows = x.shape[axis], []
    ones = Tensor._make(backend.get_array_module(x.array).ones_like(x.narrow(axis, 0, 1).array))
    for i in range(n):
        own = x.narrow(axis, 0, i).prod(axis, keepdim=True) if i else ones  # out_i without x_i: the factors before it
        later = [own * cumprod(x.narrow(axis, i + 1, n - i - 1), axis)] if i < n - 1 else []  # later out_j, no x_i
        rows.append((grad.narrow(axis, i, n - i) * cat([own] + later, axis)).sum(axis, keepdim=True))
    return cat(rows, axis)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim``: out[i] = x[i+1] − x[i], applied n times, after ``prepend`` and
    ``append`` are joined to x along dim.  For bools the difference is x[i+1] != x[i] (XOR), as in PyTorch.
    PyTorch's checks come first (a 1-d input at least, n ≥ 0, prepend and append tensors of x's dims and sizes but
    along dim); then, as PyTorch's: n = 0 gives a copy of x, leaving prepend and append out; at most as many
    differences are taken as dim has entries, so that x with none along dim (and nothing joined) is given back
    itself, no copy."""
    x = _t(input, "diff")
    if x.ndim == 0:
        raise ShapeError("diff: expects input to be at least one-dimensional (got a 0-d tensor); give x.reshape(1)")
    if checks.is_integer(n) and n < 0:
        raise DomainError(f"diff: the order n must be non-negative, got {n}")
    if n == 0 and prepend is None and append is None:  # (PyTorch's returns this copy before it reads dim at all)
        return x.clone()
    d = checks.normalize_axis(dim, x.ndim, "diff", single=True)
    for name, t in (("prepend", prepend), ("append", append)):
        if t is not None and not isinstance(t, Tensor):
            raise TypeError(f"diff: {name} must be a Tensor, got {type(t).__name__}")
        if t is not None and (t.ndim != x.ndim or t.shape[:d] + t.shape[d + 1:] != x.shape[:d] + x.shape[d + 1:]):
            raise ShapeError(f"diff: {name} of shape {tuple(t.shape)} must have the input's dims and its sizes (shape "
                             f"{tuple(x.shape)}) except along the differenced dim {d}")
    if n == 0:
        return x.clone()  # (with prepend or append too: PyTorch's leaves them out)
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, x, append) if t is not None], d)
    for _ in range(builtins.min(n, x.shape[d])):
        later, earlier = x[(slice(None),) * d + (slice(1, None),)], x[(slice(None),) * d + (slice(None, -1),)]
        x = later != earlier if x.dtype.kind == "b" else later - earlier
    return x


def _amax(x, dim, keepdim, fn):  # (PyTorch's amax backward multiplies by the mask of the maxima: see ops/reduce.py)
    axis = checks.normalize_axis(None if isinstance(dim, (tuple, list)) and not dim else dim, x.ndim, fn)
    checks.check_nonempty(x.array, fn, axis)  # (only a dim of size 0 reduced has no maximum: an empty result is fine)
    return R.Max.apply(x, axis=axis, keepdims=builtins.bool(keepdim), amax=True, smallest=fn == "amin")


# ------------------------------------ the free functions minigan.sum, minigan.max, ... (toplevel.py: behind out=)

def max(input, dim=LEFT_OUT, keepdim=LEFT_OUT, *, other=None):
    """``max(x)``, ``max(x, dim)`` → (values, indices), or ``max(a, b)`` (also ``other=b``): the elementwise
    maximum."""
    return _t(input, "max").max(dim, keepdim, other=other)


def min(input, dim=LEFT_OUT, keepdim=LEFT_OUT, *, other=None):
    return _t(input, "min").min(dim, keepdim, other=other)


def argmax(input, dim=None, keepdim=False):
    return _t(input, "argmax").argmax(dim, keepdim)


def argmin(input, dim=None, keepdim=False):
    return _t(input, "argmin").argmin(dim, keepdim)


def logsumexp(input, dim, keepdim=False):
    return _t(input, "logsumexp").logsumexp(dim, keepdim)


def std(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return _t(input, "std").std(dim, unbiased, keepdim, correction=correction)


def var(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return _t(input, "var").var(dim, unbiased, keepdim, correction=correction)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    """``torch.norm``, the Tensor method's; ``out`` may come by position, as in PyTorch's signature."""
    if out is not None:
        return write_out("norm", norm(input, p, dim, keepdim, dtype=dtype), out)
    return _t(input, "norm").norm(p, dim, keepdim, dtype)
