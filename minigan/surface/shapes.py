"""Shapes: ``cat``, ``chunk``/``split``/``tensor_split`` and their h/v/d forms, ``narrow``, ``unbind``, ``flip``,
``roll``, ``rot90``, ``tile``, ``repeat_interleave``, ``tril``/``triu``.
"""

from __future__ import annotations

import builtins

from minigan._dtype import common_dtype
from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DomainError, DtypeError, IndexOutOfRange, ShapeError
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import shape as S
from minigan.engine.tensor import Tensor
from minigan.surface.creation import allocated, integer
from minigan.surface.indexing import index_select
from minigan.surface.layout import channels_last
from minigan.surface.no_derivative import no_derivative
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _fresh, _operand, _t
from minigan.surface.pointwise import where


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


def check_cat(tensors, axis, op="cat"):
    """Validate tensors for ``cat``; returns the normalized axis."""
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise ValueError(f"{op}: expected a non-empty list of tensors, got {type(tensors).__name__}")
    ndim = tensors[0].ndim
    if ndim == 0:
        raise ShapeError(f"{op}: zero-dimensional tensors cannot be concatenated")
    if not -ndim <= axis < ndim:
        raise DimensionError(f"{op}: dim {axis} is out of range for tensors with {ndim} dimensions (expected "
                             f"{-ndim} to {ndim - 1})")
    axis %= ndim
    first = tuple(tensors[0].shape)
    for i, t in enumerate(tensors[1:], start=1):
        s = tuple(t.shape)
        if len(s) != ndim or any(a != b for j, (a, b) in enumerate(zip(s, first)) if j != axis):
            raise ShapeError(
                f"{op}: tensor {i} has shape {s}, but tensor 0 has shape {first}; all shapes must match "
                f"except along axis {axis}"
            )
    return axis


def cat(tensors, dim=0, *, axis=None):
    """Concatenate tensors along an existing dimension (shapes must match elsewhere)."""
    axis = dim if axis is None else axis
    tensors = [_operand(t, "cat", f"tensor {i}") for i, t in enumerate(tensors)] if isinstance(
        tensors, (list, tuple)) else tensors
    dtype = common_dtype(tensors) if len({t.dtype for t in tensors}) > 1 else None  # PyTorch's promotion
    empty = [t.shape == (0,) for t in tensors] if isinstance(tensors, list) else []
    if builtins.any(empty) and not builtins.all(empty):  # PyTorch skips a 1-D empty tensor (preds = tensor([])) in
        kept = [t for t in tensors if t.shape != (0,)]  # its checks, and keeps it in the graph: the result requires
        axis = check_cat(kept, axis)  # grad if it does, its gradient empty; so it joins as an empty slice of that shape
        shape = kept[0].shape[:axis] + (0,) + kept[0].shape[axis + 1:]
        tensors = [t.reshape(shape) if t.shape == (0,) else t for t in tensors]
    elif empty and builtins.all(empty):
        axis = 0  # (nothing but those: PyTorch wraps no dim, and joins them into one empty vector)
    axis = check_cat(tensors, axis)
    if dtype is not None:  # one dtype (float32 with int64 is float32)
        tensors = [t if t.dtype == dtype else t.astype(dtype) for t in tensors]
    return S.Cat.apply(*tensors, axis=axis)  # (channels-last where every input is: its row's layout, cat_layout)


def all_channels_last(tensors) -> bool:
    """Whether every one of ``tensors`` is channels-last, so that PyTorch's cat lays its result out so too (its
    cat_compute_output_memory_format); a 1-d empty one is row-major."""
    return builtins.all(t.ndim in (4, 5) and channels_last(t) for t in tensors)


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` pieces along ``dim`` (the last may be smaller), as views in the graph."""
    if not checks.is_integer(chunks):  # (read first, as PyTorch's binding reads it)
        raise TypeError(f"chunk: chunks must be a positive int, got {chunks!r}")
    x = _split_input(input, "chunk")
    if chunks < 1:
        raise DomainError(f"chunk: chunks must be a positive int, got {chunks!r}")
    n = x.shape[checks.normalize_axis(dim, x.ndim, "chunk", single=True)]
    if n == 0:  # (an empty dim: ``chunks`` empty pieces, as PyTorch's)
        return tuple(x.narrow(dim, 0, 0) for _ in range(int(chunks)))
    return split(x, -(-n // int(chunks)), dim)


def _split_input(input, fn, at_least=1):
    """The tensor a split function cuts: PyTorch's split, chunk and hsplit take at least one dimension, vsplit two,
    dsplit three; the hsplit family cuts into sections that divide ``dim`` evenly (tensor_split allows unequal)."""
    x = _t(input, fn)
    if x.ndim < at_least:
        raise DomainError(f"{fn}: expects a tensor of at least {at_least} dimension(s), got {x.ndim}")
    return x


def _even_sections(fn, x, sections, dim):
    """The hsplit family's number of sections: one that divides the size of ``dim`` (tensor_split allows others)."""
    if checks.is_integer(sections) and (sections == 0 or x.shape[dim] % sections):
        raise DomainError(f"{fn}: cannot split dimension {dim} of size {x.shape[dim]} into {sections} equal "
                          "sections; give a number that divides it, or a list of indices (or use tensor_split)")
    return sections


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed sizes.  The size is read
    first, as PyTorch's binding reads it: an int (or a tensor of one integer), else a sequence of ints (TypeError)."""
    if isinstance(split_size_or_sections, Tensor) and split_size_or_sections.numel() == 1:
        split_size_or_sections = builtins.int(split_size_or_sections.item())  # (as PyTorch's int(split_size))
    sizes = split_size_or_sections
    if not checks.is_integer(sizes) and not (isinstance(sizes, (list, tuple)) and
                                             builtins.all(map(checks.is_integer, sizes))):
        raise TypeError(f"split: split_size_or_sections must be an int or a sequence of ints, got {sizes!r}")
    x = _split_input(tensor, "split")
    dim = checks.normalize_axis(dim, x.ndim, "split", single=True)
    n = x.shape[dim]
    if checks.is_integer(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 1 and not (size == 0 and n == 0):
            raise DomainError(f"split: split_size must be a positive int (0 only for an empty dimension), got {size}")
        if size == 0:
            return (x.narrow(dim, 0, 0),)
        sizes = [size] * (n // size) + ([n % size] if n % size else []) or [0]  # (an empty dim: one empty piece)
    else:
        sizes = list(split_size_or_sections)
        if builtins.sum(sizes) != n:
            raise ShapeError(f"split: the sizes {sizes} add up to {builtins.sum(sizes)}, expected {n} "
                             f"(the size of dimension {dim})")
    pieces, start = [], 0
    for size in sizes:
        pieces.append(x[(slice(None),) * dim + (slice(start, start + size),)])
        start += size
    return _several_views(pieces)


def narrow(input, dim, start, length):
    """The slice start:start+length along ``dim`` (a negative start counts from the end, as in PyTorch).  ``start``
    is an int or a 0-d integer tensor.  Checked in PyTorch's order: start's kind, the tensor's rank, length, dim,
    start's range (IndexError), start + length (RuntimeError)."""
    x = _t(input, "narrow")
    if isinstance(start, Tensor):  # (PyTorch's other overload, whose start is read before anything else)
        if start.ndim or start.array.dtype.kind not in "iu":
            raise DtypeError(f"narrow: start must be an int or a 0-d integer tensor, got a {start.dtype} tensor of "
                             f"shape {tuple(start.shape)}")
        start = start.item()
    for name, value in (("start", start), ("length", length)):
        if not checks.is_integer(value):
            raise TypeError(f"narrow: {name} must be an int, got {value!r}")
    if x.ndim == 0:
        raise ShapeError("narrow: cannot be applied to a 0-d tensor")
    if length < 0:
        raise ShapeError(f"narrow: length must be non-negative, got {length}")
    d = checks.normalize_axis(dim, x.ndim, "narrow", single=True)
    size = x.shape[d]
    if not -size <= start <= size:
        raise IndexOutOfRange(f"narrow: start {start} is out of range for dim {d} of size {size} (expected -{size} "
                              f"to {size})")
    begin = int(start) + size if start < 0 else int(start)
    if begin + length > size:
        raise ShapeError(f"narrow: start ({start}) + length ({length}) exceeds dimension size ({size}) of dim {d}")
    return x[(slice(None),) * d + (slice(begin, begin + int(length)),)]


def ravel(input):
    """The entries as one contiguous dimension: a view where they already are, else a copy (as PyTorch's)."""
    return _t(input, "ravel").reshape(-1).contiguous()


def unbind(input, dim=0):
    """The slices along ``dim``, as a tuple (each in the graph)."""
    x = _t(input, "unbind")
    if x.ndim == 0:  # (PyTorch's IndexError)
        raise DimensionError("unbind: a 0-d tensor has no dimension to unbind")
    d = checks.normalize_axis(dim, x.ndim, "unbind", single=True)
    return _several_views([x[(slice(None),) * d + (i,)] for i in range(x.shape[d])])


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each entry repeated ``repeats`` times in place (an int, or one count per entry along ``dim``); flattened when
    dim is None.  ``repeat_interleave(counts)`` alone: each index i repeated counts[i] times.  ``output_size``, the
    result's length along dim (PyTorch's hint that spares it a device sync), must be right when given."""
    result = _repeat_interleave(input, repeats, dim)
    if output_size is not None and result.shape[0 if dim is None or repeats is None else dim] != output_size:
        raise DomainError(f"repeat_interleave: output_size={output_size} but the result has "
                         f"{result.shape[0 if dim is None or repeats is None else dim]} entries along that dim")
    return result


def _counts(counts, length=None):
    """repeat_interleave's counts at its door, as PyTorch's: an int, or an integer tensor of 0 or 1 dimensions
    (another dtype NotImplementedError, more dimensions RuntimeError), one count per entry (or one for all), >= 0."""
    if isinstance(counts, Tensor):  # (in PyTorch's order: the rank, the count, the dtype)
        if counts.ndim > 1:
            raise ShapeError(f"repeat_interleave: repeats must be an int or a 0-d or 1-d tensor, got shape "
                             f"{tuple(counts.shape)}")
        if length is not None and counts.numel() not in (1, length):
            raise ShapeError(f"repeat_interleave: repeats must hold one count per entry along dim ({length}), got "
                             f"{counts.numel()}")
        if counts.dtype.kind not in "iu":
            raise DtypeError(f"repeat_interleave: repeats must be an integer tensor, got dtype {counts.dtype}")
        counts = counts.array.reshape(-1)[:length]  # (as many as there are entries along dim: PyTorch's kernel
        # expands them to that length first, so that no entries read no count and a negative one goes unchecked)
    elif not checks.is_integer(counts):
        raise TypeError(f"repeat_interleave: repeats must be an int or an integer tensor, got {counts!r}")
    if builtins.bool((backend.np.asarray(counts) < 0).any()):
        raise DomainError("repeat_interleave: repeats must be >= 0")
    return counts


def _repeat_interleave(input, repeats, dim):
    x = _t(input, "repeat_interleave")
    xp = backend.get_array_module(x.array)
    if repeats is None:  # the indices form: x holds the counts (PyTorch's kernel reads their dtype first)
        if x.dtype.kind not in "iu":
            raise DtypeError(f"repeat_interleave: counts must be an integer tensor, got dtype {x.dtype}")
        counts = _counts(x)
        if x.ndim != 1:  # (PyTorch's: a 1-D vector of counts)
            raise ShapeError(f"repeat_interleave: counts must be a 1-D integer tensor, got shape {tuple(x.shape)}")
        return Tensor._make(xp.repeat(xp.arange(x.shape[0]), counts).astype(xp.int64))
    if isinstance(repeats, Tensor) and repeats.ndim > 1:  # (its rank is checked first, as PyTorch's)
        _counts(repeats)
    if dim is None:
        x, d = x.reshape(-1), 0
    elif x.ndim == 0:  # (PyTorch's IndexError: a 0-d tensor has no dimension to repeat along)
        raise DimensionError(f"repeat_interleave: dim {dim} of a 0-d tensor; leave dim out to repeat its entry")
    else:
        d = checks.normalize_axis(dim, x.ndim, "repeat_interleave", single=True)
    counts = _counts(repeats, x.shape[d])
    if not isinstance(repeats, Tensor):  # PyTorch's int form: each entry copied counts times side by side (a view of
        size = list(x.shape[:d + 1]) + [counts] + list(x.shape[d + 1:])  # the copy, as there)
        return E.Clone.apply(x.unsqueeze(d + 1).expand(*size), order="C").flatten(d, d + 1)
    rows = xp.repeat(xp.arange(x.shape[d]), counts)  # the source index of each output entry, as PyTorch's tensor
    return index_select(x, d, Tensor._make(rows.astype(xp.int64)))  # form reads it


def _split_argument(fn, given, sections, indices, tensor_indices_or_sections=None):
    """The split functions' one argument: by position or as indices_or_sections (the documentation's name), or under
    the name PyTorch's parser gives it per overload: sections= (an int, or a tensor of one), indices= (a sequence of
    ints), tensor_indices_or_sections= (a tensor).  Under another overload's name, a TypeError, as there."""
    named = [v for v in (given, sections, indices, tensor_indices_or_sections) if v is not None]
    if builtins.len(named) != 1:
        raise TypeError(f"{fn}: give indices_or_sections (or sections=, indices=), exactly one")
    if sections is not None and not (checks.is_integer(sections) or isinstance(sections, Tensor) and
                                     sections.numel() == 1 and sections.array.dtype.kind in "iu") or \
            indices is not None and not (isinstance(indices, (list, tuple)) and
                                         builtins.all(map(checks.is_integer, indices))) or \
            tensor_indices_or_sections is not None and not isinstance(tensor_indices_or_sections, Tensor):
        raise TypeError(f"{fn}: sections= is an int, indices= a sequence of ints, tensor_indices_or_sections= a "
                        f"tensor; got {named[0]!r:.60}")
    return builtins.int(sections.item()) if isinstance(sections, Tensor) else named[0]


def hsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """tensor_split along dimension 1 (0 for a 1-D tensor)."""
    indices_or_sections = _split_argument("hsplit", indices_or_sections, sections, indices)
    x = _split_input(input, "hsplit")
    dim = 1 if x.ndim > 1 else 0
    return tensor_split(x, _even_sections("hsplit", x, indices_or_sections, dim), dim)


def vsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """tensor_split along dimension 0."""
    indices_or_sections = _split_argument("vsplit", indices_or_sections, sections, indices)
    x = _split_input(input, "vsplit", 2)
    return tensor_split(x, _even_sections("vsplit", x, indices_or_sections, 0), 0)


def dsplit(input, indices_or_sections=None, *, sections=None, indices=None):
    """tensor_split along dimension 2."""
    indices_or_sections = _split_argument("dsplit", indices_or_sections, sections, indices)
    x = _split_input(input, "dsplit", 3)
    return tensor_split(x, _even_sections("dsplit", x, indices_or_sections, 2), 2)


def rot90(input, k=1, dims=(0, 1)):
    """Rotated by 90° k times in the plane of ``dims``, from the first towards the second (flips and a transpose)."""
    x = _t(input, "rot90")
    if builtins.len(dims) != 2:
        raise DomainError(f"rot90: dims must be two different axes, got {tuple(dims)}")
    a, b = (checks.normalize_axis(d, x.ndim, "rot90", single=True) for d in dims)
    if a == b:
        raise DomainError(f"rot90: dims must be two different axes, got {tuple(dims)}")
    k %= 4
    if k == 0:  # (PyTorch's clone(memory_format=contiguous_format): row-major whatever x's layout)
        return E.Clone.apply(x, order="C")
    if k == 2:
        return flip(x, (a, b))
    return _fresh(flip(x, b if k == 1 else a).transpose(a, b))  # (PyTorch's order: the flip, then the transpose)


def tensor_split(input, indices_or_sections=None, dim=0, *, sections=None, indices=None,
                 tensor_indices_or_sections=None):
    """Views split along ``dim``: into n nearly equal parts (the first ones one longer), or at the given indices."""
    indices_or_sections = _split_argument("tensor_split", indices_or_sections, sections, indices,
                                          tensor_indices_or_sections)
    x = _t(input, "tensor_split")
    if x.ndim == 0:  # (RuntimeError, as PyTorch's)
        raise ShapeError("tensor_split: expected a tensor of at least 1 dimension, got a 0-d tensor")
    d = checks.normalize_axis(dim, x.ndim, "tensor_split", single=True)
    n = x.shape[d]
    if isinstance(indices_or_sections, Tensor) and (indices_or_sections.dtype != backend.np.int64 or
                                                    indices_or_sections.ndim > 1):
        raise DomainError(f"tensor_split: a tensor of indices or sections must be a 0-d or 1-d int64 tensor, got "
                          f"{indices_or_sections.dtype} of shape {tuple(indices_or_sections.shape)}")
    if checks.is_integer(indices_or_sections):
        parts = indices_or_sections
        if parts < 1:
            raise DomainError(f"tensor_split: the number of sections must be >= 1, got {parts}")
        sizes = [n // parts + (1 if i < n % parts else 0) for i in range(parts)]
        cuts = [builtins.sum(sizes[:i]) for i in range(1, parts)]
    else:
        cuts = [int(i) for i in indices_or_sections]
    edges = [0, *cuts, n]
    return tuple(x[(slice(None),) * d + (slice(lo, hi),)] for lo, hi in zip(edges, edges[1:]))  # (past n: empty)


def flip(input, dims):
    """Reverse the order of the elements along ``dims`` (an int or a sequence of them): a copy, as PyTorch's (a
    negative step, which only flip reads with, would be a view)."""
    x = _t(input, "flip")
    axes = checks.normalize_axis(dims if checks.is_integer(dims) else tuple(dims), x.ndim, "flip")  # (in range, once)
    dims = set(() if axes is None else axes if isinstance(axes, tuple) else (axes,))
    reverse = tuple(slice(None, None, -1) if d in dims else slice(None) for d in range(x.ndim))
    return S.GetItem.apply(x, index=(reverse, False)).clone()


def fliplr(input):
    if _t(input, "fliplr").ndim < 2:  # (RuntimeError, as PyTorch's)
        raise ShapeError(f"fliplr: input must have at least 2 dimensions, got shape {tuple(input.shape)}")
    return flip(input, 1)


def flipud(input):
    if _t(input, "flipud").ndim < 1:
        raise ShapeError("flipud: input must have at least 1 dimension, got a 0-d tensor")
    return flip(input, 0)


def tile(input, dims):
    """Repeat the tensor ``dims[i]`` times along dimension i (``x.repeat(*dims)`` in PyTorch's method form):
    each dimension of size s becomes d·s, the copies one after another."""
    x = _t(input, "tile")
    dims = tuple(dims)
    if not builtins.all(checks.is_integer(d) and -2**63 <= d < 2**63 for d in dims):  # (PyTorch's parser: TypeError)
        raise TypeError(f"tile: dims must be ints in int64's range, got {dims}")
    dims = tuple(builtins.int(d) for d in dims)  # (np.int64(2) too, as PyTorch takes it)
    dims = counts = (1,) * (x.ndim - len(dims)) + dims
    sizes = (1,) * (len(dims) - x.ndim) + tuple(x.shape)
    if builtins.any(d * n < 0 for d, n in zip(dims, sizes)):  # (a negative count is refused only where it would
        raise DomainError(f"tile: dims {dims} would make a tensor of negative size from shape {tuple(x.shape)}")
    dims = tuple(builtins.max(d, 0) for d in dims)  # make a negative size: times a size 0, it makes 0, as PyTorch's)
    x = x.reshape(*(1,) * (len(dims) - x.ndim), *x.shape)
    interleaved = [n for pair in zip([1] * x.ndim, x.shape) for n in pair]  # (1, s0, 1, s1, ...)
    copies = [n for pair in zip(dims, x.shape) for n in pair]             # (d0, s0, d1, s1, ...)
    shape = [d * n for d, n in zip(dims, x.shape)]  # (past memory or int64: PyTorch's RuntimeError, not NumPy's)
    out = allocated("repeat", shape, x.dtype, lambda: x.reshape(*interleaved).expand(*copies).reshape(*shape)
                    .contiguous())
    out = out.clone() if out._base is not None else out  # a row-major copy always, as PyTorch's: never a view
    if builtins.min(counts, default=0) >= 0 or 0 in counts:  # (a count of 0: PyTorch's backward gives zeros
        # without reshaping; no counts at all, a 0-d tensor tiled by (): itself)
        return out
    return no_derivative(out.detach(), "repeat", x, shown="RepeatBackward0", why=f"a negative count in {counts} "
                         "(PyTorch's backward reshapes the gradient to the counts and refuses it); give counts of 0 "
                         "or more")


def _triangle(x, diagonal, lower, fn):
    x, diagonal = _t(x, fn), integer(diagonal, fn, "diagonal")
    if x.ndim < 2:
        raise ShapeError(f"{fn}: input must have at least 2 dimensions, got shape {tuple(x.shape)}")
    xp = backend.get_array_module(x.array)
    n, m = x.shape[-2:]
    keep = xp.tri(n, m, diagonal, dtype=builtins.bool)  # on and below the diagonal-th diagonal
    keep = keep if lower else ~xp.tri(n, m, diagonal - 1, dtype=builtins.bool)
    return where(keep, x, x.new_zeros(())).contiguous()  # (x's dtype; row-major, as PyTorch's)


def tril(input, diagonal=0):
    """The lower triangle (on and below the ``diagonal``-th diagonal) of the last two dimensions; zeros elsewhere."""
    return shown_as(_triangle(input, diagonal, True, "tril"), "TrilBackward0")


def triu(input, diagonal=0):
    return shown_as(_triangle(input, diagonal, False, "triu"), "TriuBackward0")


def roll(input, shifts, dims=None):
    """Entries shifted by ``shifts`` along ``dims``, those pushed off one end coming back at the other (flattened
    first when dims is None, as PyTorch)."""
    x = _t(input, "roll")
    if dims is None:  # (one shift, maybe in a list, as PyTorch's)
        if isinstance(shifts, (tuple, list)) and len(shifts) != 1:
            raise ShapeError(f"roll: without dims, shifts must be one number, got {list(shifts)}")
        shifts = shifts[0] if isinstance(shifts, (tuple, list)) else shifts
        return _fresh(roll(x.reshape(-1), shifts, 0).reshape(x.shape))
    shifts, dims = (tuple(v) if isinstance(v, (tuple, list)) else (v,) for v in (shifts, dims))
    if len(shifts) != len(dims):
        raise DomainError(f"roll: shifts {shifts} and dims {dims} must have the same length")
    if not x.numel():  # (nothing to move: PyTorch reads no dim, and gives a copy)
        return x.clone()
    for shift, dim in zip(shifts, dims):
        d = checks.normalize_axis(dim, x.ndim, "roll", single=True)
        cut = (x.shape[d] - shift % x.shape[d]) % x.shape[d] if x.shape[d] else 0
        x = cat([x[(slice(None),) * d + (slice(cut, None),)], x[(slice(None),) * d + (slice(None, cut),)]], d)
    return x


def _several_views(pieces) -> tuple:
    """The views that split, chunk and unbind return, marked as PyTorch marks them: none may be changed in place while
    gradients are recorded (the node that made them could not take the change).  tensor_split's (and hsplit's) may:
    PyTorch makes those by slicing."""
    for piece in pieces:
        piece._view_kind = "multi-output" if piece._base is not None else piece._view_kind
    return tuple(pieces)


def _tensors(tensors, fn):
    """f(a, b) or f([a, b]): the tensors given."""
    items = tensors[0] if builtins.len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    return [_t(t, fn) for t in items]


def _one_or_tuple(out):
    return out[0] if builtins.len(out) == 1 else tuple(out)


def _at_least_3d(t):
    return t.reshape(1, -1, 1) if t.ndim < 2 else t.unsqueeze(-1) if t.ndim == 2 else t


# ------------------------------------ the free functions minigan.hstack, minigan.vstack, ... (toplevel.py: behind out=)

def concat(tensors, dim=0, *, axis=None):
    """``cat`` under its other name."""
    return cat(tensors, dim, axis=axis)


def hstack(tensors):
    """Concatenate along dimension 1 (along 0 for 1-d tensors), as numpy.hstack."""
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in _tensors((tensors,), "hstack")]  # atleast_1d, as PyTorch
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Stack rows: 1-d tensors become rows of a matrix, others concatenate along dimension 0."""
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in _tensors((tensors,), "vstack")], 0)  # atleast_2d


def column_stack(tensors):
    """1-D tensors as columns, 2-D ones as they are, side by side."""
    return cat([t.reshape(-1, 1) if t.ndim <= 1 else t for t in _tensors((tensors,), "column_stack")], 1)


def dstack(tensors):
    """Concatenate along the third dimension, each made at least 3-D first."""
    return cat([_at_least_3d(t) for t in _tensors((tensors,), "dstack")], 2)


# ------------------------------------ the free forms of shape methods (minigan.reshape, minigan.transpose, ...)

def reshape(input, *sizes, shape=None):
    """``reshape(x, (2, 3))`` or ``reshape(x, shape=(2, 3))`` (and minigan's ``reshape(x, 2, 3)``)."""
    return _t(input, "reshape").reshape(*sizes if shape is None else (shape,))


def squeeze(input, dim=None):
    return _t(input, "squeeze").squeeze(dim)


def unsqueeze(input, dim):
    return _t(input, "unsqueeze").unsqueeze(dim)


def transpose(input, dim0, dim1):
    return _t(input, "transpose").transpose(dim0, dim1)


def permute(input, dims):
    return _t(input, "permute").permute(tuple(dims))  # (one sequence: () is a 0-d tensor's permutation)


def broadcast_to(input, size):
    return _t(input, "broadcast_to").expand(*size)


def is_same_size(input, other) -> builtins.bool:
    return _t(input, "is_same_size").shape == _t(other, "is_same_size").shape


def concatenate(tensors, axis=0, *, dim=None):
    """``cat``, NumPy's name and argument: ``concatenate(tensors, axis)`` (or PyTorch's dim=)."""
    return cat(tensors, axis if dim is None else dim)


def swapaxes(input, axis0, axis1):
    return _t(input, "swapaxes").transpose(axis0, axis1)


def swapdims(input, dim0, dim1):
    return _t(input, "swapdims").transpose(dim0, dim1)


def atleast_1d(*tensors):
    """Each tensor with at least one dimension: a 0-d one becomes (1,)."""
    return _one_or_tuple([t.reshape(1) if t.ndim == 0 else t for t in _tensors(tensors, "atleast_1d")])


def atleast_2d(*tensors):
    """Each tensor with at least two dimensions: (n,) becomes (1, n)."""
    return _one_or_tuple([t.reshape(1, -1) if t.ndim < 2 else t for t in _tensors(tensors, "atleast_2d")])


def atleast_3d(*tensors):
    """Each tensor with at least three dimensions: (n,) becomes (1, n, 1) and (m, n) becomes (m, n, 1)."""
    return _one_or_tuple([_at_least_3d(t) for t in _tensors(tensors, "atleast_3d")])

