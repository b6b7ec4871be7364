"""Making tensors: ``zeros``, ``ones``, ``full``, their sizes read as PyTorch reads them, and the ``layout=``,
``memory_format=`` and ``pin_memory=`` values minigan has (``strided``, ``contiguous_format``, ``preserve_format``).
"""

from __future__ import annotations

import builtins
import math

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError, ShapeError
from minigan.engine.tensor import Tensor
from minigan.surface import operands, parity


def _shape(shape, fn, size=None):
    """``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``: non-negative integer sizes."""
    if size is not None:
        if shape:
            raise TypeError(f"{fn}: give the sizes or size=, not both")
        shape = (size,)
    shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else tuple(shape)
    for n in shape:
        whole = checks.is_integer(n)
        if not whole or n < 0:
            error = ShapeError if whole else TypeError  # (a negative size: PyTorch's RuntimeError, a ShapeError too)
            raise error(f"{fn}: got shape {shape!r}, expected non-negative integer sizes")
    return tuple(int(n) for n in shape)


def allocated(fn, shape, dtype, make):
    """``make()``, a new array of ``shape`` in ``dtype``; where memory cannot hold it, PyTorch's allocator raises
    RuntimeError, and so does minigan, where NumPy raises ValueError ("array is too big": more bytes than int64
    counts) or MemoryError (more than the machine gives).  One line names the size."""
    size = math.prod(builtins.max(int(n), 1) for n in shape) * backend.np.dtype(dtype or backend.DEFAULT_DTYPE).itemsize
    if size >= 2**63:  # (PyTorch: "Storage size calculation overflowed" or, with a size 0, "Stride calculation
        # overflowed"; NumPy's "array is too big" counts the sizes other than 0 too)
        raise DomainError(f"{fn}: a tensor of shape {tuple(shape)} would take {size} bytes, more than int64 counts; "
                          "ask for fewer entries")
    try:
        return make()
    except MemoryError:
        raise DomainError(f"{fn}: a tensor of shape {tuple(shape)} ({size} bytes) does not fit in memory; ask for "
                          "fewer entries") from None


def fill_number(fn, value):
    """A fill value as PyTorch's Number: a number, or a 0-d tensor that needs no gradient, read as the number it
    holds (``full((2,), tensor(1.5, dtype=float64))`` is float32, as ``full((2,), 1.5)``)."""
    if not isinstance(value, (Tensor, *operands.NUMBERS)):  # (PyTorch's Number: a list is refused, not broadcast)
        raise TypeError(f"{fn}(): fill_value must be a number, got a {type(value).__name__}; fill from a tensor with "
                        "minigan.tensor(...).expand(size)")
    if not isinstance(value, Tensor):
        return value
    if value.ndim or value.requires_grad:
        raise TypeError(f"{fn}(): fill_value must be a number, got a tensor of shape {tuple(value.shape)}"
                        f"{' that requires grad' if value.requires_grad else ''}; pass t.item()")
    return value.item()


def integer(value, fn: str, name: str) -> int:
    """``value`` as a Python int: anything PyTorch takes as one (an int, ``np.int64(4)``, an integer one-element
    tensor: what has ``__index__``), not a bool."""
    if not checks.is_integer(value):
        raise TypeError(f"{fn}: {name} must be an int, got {value!r}")
    if not -2**63 <= int(value) < 2**63:  # (PyTorch's parser reads an int64: ValueError past it)
        raise DomainError(f"{fn}: {name} must fit in int64, got {value!r}")
    return int(value)


def _xp(device):
    return backend.module_for_device(device) if device is not None else backend.active_module()


def _made(array, requires_grad) -> Tensor:
    t = Tensor._make(array)
    return t.requires_grad_(True) if requires_grad else t


class Layout:
    """PyTorch's ``torch.strided`` (a dense tensor: the one layout minigan has) and its memory formats
    ``contiguous_format`` and ``preserve_format`` (minigan's, NumPy's row-major order), the defaults a program may
    pass as ``layout=`` and ``memory_format=``."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"minigan.{self.name}"


strided, contiguous_format, preserve_format = Layout("strided"), Layout("contiguous_format"), Layout("preserve_format")


def no_bool_range(fn, dtype) -> None:
    """arange, range, linspace and logspace have no bool kernel in PyTorch (NotImplementedError, before the bounds
    are read)."""
    if dtype is not None and backend.np.dtype(dtype) == backend.np.bool_:
        raise DtypeError(f"{fn}: dtype=bool is not a range's dtype (as in PyTorch); make the values and compare them")


def range_length(start, end, step, kind) -> tuple:
    """arange's start, end and step as its kernel reads them in ``kind``, and how many values they make, counted as
    PyTorch's kernel counts them; a count past int64 is refused (RuntimeError, before any memory is asked for)."""
    if kind == backend.np.int64:  # int64 reads the numbers in it (truncated), as PyTorch's kernel
        start, end, step = int(start), int(end), int(step)
        if step == 0:
            raise DomainError("arange: step must not be 0 (it is 0 read as an integer)")
        # (end − start + step ∓ 1) / step in int64, which wraps around
        span = (end - start + step - (1 if step > 0 else -1) + 2**63) % 2**64 - 2**63
        length = builtins.abs(span) // builtins.abs(step) if (span >= 0) == (step > 0) or span == 0 else -1
    else:  # the other dtypes count ⌈(end − start) / step⌉ in float64
        length = (end - start) / step
    if not 0 <= length < 2.0**63:
        raise DomainError(f"arange: from {start} to {end} by {step} is more values than int64 can count; take a "
                          "larger step")
    return start, end, step, math.ceil(length)


def range_values(start, end, step, n, kind, xp):
    """arange's ``n`` values in ``kind``, as PyTorch's kernel makes them."""
    # the other integer dtypes: start + i·step counted in int64 with start and step truncated (a step below 1 in size
    # repeats start), then wrapped into the dtype
    if kind.kind in "iu" and kind != backend.np.int64:
        return (int(start) + int(step) * xp.arange(n, dtype=backend.np.int64)).astype(kind)
    if not n:  # (an infinite step: no values, where NumPy's arange gives start)
        return xp.zeros(0, dtype=kind)
    with backend.np.errstate(over="ignore"):  # (past float16's range: ±inf, as PyTorch's)
        return xp.arange(start, end, step).astype(kind)


def linspace_values(start: float, end: float, i, kind):
    """linspace's values in ``kind`` at the positions ``i`` (float64 0, 1, ... steps − 1), as PyTorch's CPU kernel
    makes them: start + step·i for the first half, end − step·(steps − 1 − i) for the second, each a fused
    multiply-add (GCC contracts the kernel's a + b·c) in the dtype's arithmetic: float32's in float32, the others'
    in float64 (an integer dtype's then truncated)."""
    xp, steps = backend.get_array_module(i), i.shape[0]
    with backend.np.errstate(invalid="ignore", over="ignore"):  # (∞ · 0: NaN; past float16's range: ±inf)
        if steps < 2:
            return xp.full(steps, start).astype(kind)  # (start as it is: −0.0 too)
        if kind == backend.np.float32:  # (float32's kernel counts in float32: its bounds and step rounded to it)
            start, end = backend.np.float32(start), backend.np.float32(end)
            step = backend.np.float64((end - start) / backend.np.float32(steps - 1))
            start, end = builtins.float(start), builtins.float(end)
        else:
            step = (end - start) / (steps - 1)
        first = i < steps // 2
        values = _fused(xp.where(first, step, -step), xp.where(first, i, steps - 1 - i),
                        xp.where(first, start, end), kind == backend.np.float32)
        return values.astype(kind)


def _fused(a, b, c, single: bool):
    """a·b + c rounded once (a fused multiply-add, as PyTorch's compiled kernel computes linspace's values), for
    float64 ``a`` and ``c`` and whole numbers ``b`` below 2**26; ``single``: rounded once to float32, ``a`` and ``c``
    being float32 values.  NumPy has no fused multiply-add: the product is split into two exact ones (``a``'s high
    26 bits and the rest), the three terms summed exactly as pairs, and the last rounding made once through a
    round-to-odd step (Boldo and Melquiond's correctly rounded sum of three)."""
    xp = backend.get_array_module(a)
    if single:  # (a float32 by a number below 2**29 is exact in float64: one sum to round, to odd, then to float32)
        p = a * b
        return _to_odd(*_two_sum(c, p)).astype(backend.np.float32)
    high = (a.view(backend.np.int64) & ~backend.np.int64(2**27 - 1)).view(backend.np.float64)
    upper, lower = _two_sum(high * b, (a - high) * b)  # (each product exact: 26 + 26 and 27 + 26 bits)
    top, rest = _two_sum(c, upper)
    fused = top + _to_odd(*_two_sum(rest, lower))
    return xp.where(xp.isfinite(fused) & (b != 0), fused, a * b + c)  # (±∞, NaN and c alone, −0.0: the plain form)


def _two_sum(x, y):
    """(s, e): s = x + y rounded and e its error, exactly (Knuth's TwoSum)."""
    s = x + y
    back = s - x
    return s, (x - (s - back)) + (y - back)


def _to_odd(s, e):
    """s + e rounded to odd: s where exact or already odd in its last bit, else its neighbour toward e."""
    xp = backend.get_array_module(s)
    even = (s.view(backend.np.int64) & 1) == 0
    return xp.where((e != 0) & even, xp.nextafter(s, xp.where(e > 0, xp.inf, -xp.inf)), s)


def a_memory_format(fn, memory_format) -> None:
    """contiguous() and is_contiguous() take a format, never None (PyTorch's argument is not optional)."""
    if memory_format is None:
        raise TypeError(f"{fn}: memory_format must be a memory format such as minigan.contiguous_format, got None")
    only_defaults(fn, memory_format=memory_format)


def only_defaults(fn, layout=None, pin_memory=False, memory_format=None) -> None:
    """PyTorch's ``layout=``, ``pin_memory=`` and ``memory_format=``, accepted at the values minigan has: a dense
    tensor, in row-major order, in ordinary memory.  Any other gets one line saying what to do."""
    if layout is not None and layout is not strided:
        raise NotImplementedError(f"{fn}: layout={layout!r} is not provided (minigan tensors are dense, "
                                  "minigan.strided); leave layout= out")
    if pin_memory:
        raise NotImplementedError(f"{fn}: pin_memory=True is not provided (pinned memory needs an accelerator, as "
                                  "in PyTorch on a CPU-only machine); leave pin_memory= out")
    if memory_format is not None and memory_format not in (contiguous_format, preserve_format):
        raise NotImplementedError(f"{fn}: memory_format={memory_format!r} is not provided (minigan tensors are "
                                  "row-major NumPy arrays); leave memory_format= out")


def zeros(*shape, size=None, requires_grad=False, dtype=None, device=None, layout=None, pin_memory=False,
          memory_format=None) -> Tensor:
    only_defaults("zeros", layout, pin_memory, memory_format)
    shape, dtype = _shape(shape, "zeros", size), dtype or backend.DEFAULT_DTYPE
    return _made(allocated("zeros", shape, dtype, lambda: _xp(device).zeros(shape, dtype=dtype)), requires_grad)


def ones(*shape, size=None, requires_grad=False, dtype=None, device=None, layout=None, pin_memory=False) -> Tensor:
    only_defaults("ones", layout, pin_memory)
    shape, dtype = _shape(shape, "ones", size), dtype or backend.DEFAULT_DTYPE
    return _made(allocated("ones", shape, dtype, lambda: _xp(device).ones(shape, dtype=dtype)), requires_grad)


def full(size, fill_value, *, requires_grad=False, dtype=None, device=None, layout=None, pin_memory=False) -> Tensor:
    """``size`` filled with ``fill_value``, in its dtype as PyTorch infers it: bool for a bool, int64 for an int,
    float32 for a float."""
    fill_value = fill_number("full", fill_value)
    if dtype is None:
        dtype = backend.np.bool_ if isinstance(fill_value, bool) else backend.np.int64 if isinstance(
            fill_value, (int, backend.np.integer)) else backend.DEFAULT_DTYPE
    only_defaults("full", layout, pin_memory)
    operands.fits("full", fill_value, dtype)  # (NaN or ±inf into int64, 1e39 into float32: PyTorch's RuntimeError)
    shape, fill = _shape((size,), "full"), cast_number(fill_value, dtype)
    return _made(allocated("full", shape, dtype, lambda: _xp(device).full(shape, fill, dtype=dtype)), requires_grad)


def _like(x, fn, layout=None, memory_format=None):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__}")
    only_defaults(fn, layout, memory_format=memory_format)
    return x


def _like_xp(x, device):
    """The array module of ``x``'s device, or of ``device`` when one is given (``zeros_like(x, device=...)``)."""
    return backend.get_array_module(x.array) if device is None else _xp(device)


def _like_array(x, device, dtype, fill, fn="empty_like", memory_format=None):
    """``fill`` in an array of ``x``'s shape (``fill`` an array: its values), laid out as PyTorch's
    memory_format=torch.preserve_format lays it: in x's order of strides (NumPy's order "K": a permuted x gives a
    permuted result, whose flatten() is a copy), an expanded x's other dimensions in their order too (the layout of
    an op's result of x alone, backend.pointwise_layout), row-major where x is elsewhere or contiguous_format is
    asked."""
    xp, a, dtype = _like_xp(x, device), x.array, dtype or x.dtype
    if xp is not backend.get_array_module(a) or memory_format is contiguous_format:
        out = allocated(fn, x.shape, dtype, lambda: xp.empty(x.shape, dtype=dtype))
    else:
        out = allocated(fn, x.shape, dtype, lambda: xp.empty_like(a, dtype=dtype) if 0 not in a.strides else
                        parity.pointwise_layout(xp.empty(x.shape, dtype=dtype), a))
    out[...] = cast_number(fill, dtype)
    return out


def cast_number(value, dtype):
    """A number (a fill) as PyTorch casts it into ``dtype`` once it fits (operands.fits): an integer wraps around
    (−1 into uint8 is 255), a float is truncated toward 0 into an integer, anything but 0 is True; NumPy refuses an
    integer beyond the dtype's range instead.  Anything else (an array) is left as it is."""
    if isinstance(value, (bool, int, float)):
        return backend.np.asarray(value).astype(dtype).item()  # (a Python number: no host array on a GPU)
    return value


def _leaves(data):
    """The numbers (and anything else) of nested lists and tuples, in order (a flat list is its own)."""
    if not isinstance(data, (list, tuple)):
        return [data]
    if not any(isinstance(item, (list, tuple)) for item in data):
        return data
    return [leaf for item in data for leaf in _leaves(item)]


def _as_floats(data):
    """Nested lists with each Python int made a float: an int past int64 (which NumPy holds only as an object)
    stored into a floating or bool tensor, as PyTorch stores it."""
    if isinstance(data, (list, tuple)):
        return [_as_floats(item) for item in data]
    return float(data) if isinstance(data, int) and not isinstance(data, bool) else data


def numbers_fit(fn, data, dtype):
    """Python data (a number, nested lists) for ``tensor(data, dtype=...)``, checked as PyTorch converts each
    number: an int past int64 is refused unless the tensor is floating or bool, and with an integer ``dtype`` each
    number must fit it (operands.fits: −1 into uint8 wraps to 255, 300 is refused; NaN is refused).  An array or a
    tensor is converted as NumPy casts it, as PyTorch's is.  Returns the data to convert."""
    if backend.is_array(data) or isinstance(data, Tensor):
        return data
    leaves = _leaves(data)
    kind = backend.np.dtype(dtype).kind if dtype is not None else "f" if any(
        isinstance(v, (float, backend.np.floating)) or (isinstance(v, Tensor) and v.is_floating_point())
        for v in leaves) else "i"
    big = next((v for v in leaves if isinstance(v, int) and not -2**63 <= v < 2**63), None)
    if big is not None and kind not in "fb":  # (a Python int is read as a C long long first: PyTorch's ValueError)
        raise DomainError(f"{fn}: the integer {big} is past int64's range [-2**63, 2**63 - 1]; give a floating "
                          "dtype (dtype=minigan.float64) to store it as a float")
    first = data
    while isinstance(first, (list, tuple)) and first:  # (PyTorch reads the shape down the first elements, where a
        first = first[0]  # 0-d array is a sequence without a length: its TypeError)
    if backend.is_array(first) and first.ndim == 0 and first is not data:
        raise TypeError(f"{fn}: a 0-d array first in a list is not read as a number, as PyTorch's (len() of unsized "
                        "object); give its number (a.item())")
    holders = [v for v in leaves if type(v) not in (float, int, bool)]  # (tensors and arrays among them)
    if dtype is None and any(v.is_floating_point() if isinstance(v, Tensor) else backend.is_array(v) and
                             v.dtype.kind == "f" for v in holders):  # (a floating array makes the tensor floating)
        kind = "f"
    if dtype is None and kind == "i" and holders and all(isinstance(v, bool) or getattr(v, "dtype", None) is not None
                                                         and v.dtype.kind == "b" for v in leaves):
        kind = "b"  # (bools alone, NumPy's or in arrays and tensors among them: a bool tensor)
    for v in holders if isinstance(data, (list, tuple)) else ():  # (inside a list: data alone is cast)
        if isinstance(v, (Tensor, backend.np.generic)) or backend.is_array(v):
            _elements_fit(fn, v, dtype, kind)
    if dtype is not None and kind in "iu":
        for v in leaves:
            if not isinstance(v, (bool, backend.np.bool_)):  # (a tensor or an array: taken above)
                operands.fits(fn, v, dtype)
    return _as_floats(data) if big is not None else data


BOOL_INDEX = hasattr(backend.np.bool_, "__index__")  # (NumPy 1.x: a NumPy bool is an index, deprecated, and PyTorch
# reads it into an integer tensor through it; NumPy 2 took __index__ away, and PyTorch refuses it there)


def _elements_fit(fn, leaf, dtype, kind) -> None:
    """A tensor or an array inside a list, refused as PyTorch reads it into a tensor of ``kind``: a tensor only of
    one element (for an integer or bool kind, an integer or bool one: TypeError; ValueError for a float one), and
    each element must fit an integer ``dtype`` as a number does (operands.fits: tensor([tensor(300)], dtype=uint8)
    is refused, where casting the tensor itself wraps it)."""
    array = leaf.array if isinstance(leaf, Tensor) else leaf
    if not isinstance(leaf, Tensor) and kind in "iub" and (array.dtype.kind == "f" and array.dtype.itemsize != 8 or
                                                           array.dtype.kind == "b" and kind != "b" and not BOOL_INDEX):
        raise TypeError(f"{fn}: a NumPy {array.dtype} number is not read into an integer or bool tensor, as PyTorch's "
                        "(it is no Python number and has no __index__); give float(v), or numbers of another dtype")
    if (isinstance(leaf, Tensor) or backend.is_array(leaf) and array.ndim == 0) and kind in "iub" and (
            array.dtype.kind in "fc" or array.size != 1):  # (a 0-d array too)
        raise TypeError(f"{fn}: a {leaf.dtype} tensor of {array.size} elements inside a list is not read into an "
                        "integer or bool tensor, as PyTorch's (only integer tensors of one element are); give numbers "
                        "(t.tolist()) or convert it first (t.long())")
    if isinstance(leaf, Tensor) and array.size != 1:
        raise ValueError(f"{fn}: a tensor of {array.size} elements inside a list is not read, as PyTorch's (only "
                         "tensors of one element are); stack tensors with minigan.stack, or give t.tolist()")
    if dtype is not None and kind in "iu" and array.size and array.dtype.kind != "b":
        for end in (array.min(), array.max()):  # (NaN: both)
            operands.fits(fn, end.item(), dtype)


def number_fits(fn, value, dtype) -> None:
    """A number written into a tensor of ``dtype`` (``x[i] = v``), refused as PyTorch's setitem converts it: a Python
    int is read as an int64 first (past it, refused whatever the dtype: PyTorch's ValueError), then it must fit the
    dtype (operands.fits: 300 into uint8, NaN into int64, 1e40 into float32 are refused; -1 into uint8 wraps)."""
    if isinstance(value, int) and not isinstance(value, bool) and not -2**63 <= value < 2**63:
        raise DomainError(f"{fn}: the integer {value} is past int64's range [-2**63, 2**63 - 1]; write a float "
                          "(float(value)) or a tensor")
    if backend.np.dtype(dtype) != backend.np.float16:  # (PyTorch's setitem makes a float16 past its range ±inf)
        operands.fits(fn, value, dtype)

