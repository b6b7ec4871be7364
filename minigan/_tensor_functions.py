"""The bodies of the Tensor's method forms that have a free function of the same name (``x.lerp(y, w)`` and
``minigan.lerp(x, y, w)``, ``x.chunk(2)`` and ``minigan.chunk(x, 2)``, ...), written once, as functions of the
tensor they act on (``input`` first).

Delegation runs one way: a method of minigan.Tensor (``_tensor_math.py``) calls its body here, and the free function
of minigan (``toplevel.py``) is that same body behind PyTorch's ``out=`` door.  So the checks and the gradient are
the same whichever door is used, and nothing here imports the free functions, the surface Tensor or anything above:
tensors are made with ``Tensor._make`` (the engine's, whose results are minigan.Tensor once the surface exists).
"""

from __future__ import annotations

import builtins
import math
from collections import namedtuple

from minigan import _unary_ops as U
from minigan.engine import backend, checks
from minigan.engine.dtypes import common_dtype
from minigan.engine.errors import DimensionError, DivisionByZero, DomainError, DtypeError, IndexOutOfRange, ShapeError
from minigan.engine.methods import maximum, minimum  # noqa: F401  (x.minimum: the same body)
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import reduce as R
from minigan.engine.ops import shape as S
from minigan.engine.tensor import Tensor


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
            error = ValueError if whole else TypeError
            raise error(f"{fn}: got shape {shape!r}, expected non-negative integer sizes")
    return tuple(int(n) for n in shape)


def integer(value, fn: str, name: str) -> int:
    """``value`` as a Python int: anything PyTorch takes as one (an int, ``np.int64(4)``, an integer one-element
    tensor: what has ``__index__``), not a bool."""
    if not checks.is_integer(value):
        raise TypeError(f"{fn}: {name} must be an int, got {value!r}")
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


def widened(x, dtype, fn):
    """``x`` in ``dtype`` for a norm's ``dtype=``: PyTorch's norms refuse a narrowing one (float64 to float32)."""
    if dtype is None:
        return x
    if not backend.np.can_cast(x.dtype, backend.np.dtype(dtype), casting="safe"):
        raise DtypeError(f"{fn}: the dtype of the input ({x.dtype}) should be convertible without narrowing to the "
                         f"specified dtype ({backend.np.dtype(dtype)}), as in PyTorch")
    return x.to(dtype)


def zeros(*shape, size=None, requires_grad=False, dtype=None, device=None, layout=None, pin_memory=False,
          memory_format=None) -> Tensor:
    only_defaults("zeros", layout, pin_memory, memory_format)
    shape = _shape(shape, "zeros", size)
    return _made(_xp(device).zeros(shape, dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


def ones(*shape, size=None, requires_grad=False, dtype=None, device=None, layout=None, pin_memory=False) -> Tensor:
    only_defaults("ones", layout, pin_memory)
    shape = _shape(shape, "ones", size)
    return _made(_xp(device).ones(shape, dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


def full(size, fill_value, *, requires_grad=False, dtype=None, device=None, layout=None, pin_memory=False) -> Tensor:
    """``size`` filled with ``fill_value``, in its dtype as PyTorch infers it: bool for a bool, int64 for an int,
    float32 for a float."""
    if isinstance(fill_value, Tensor):  # a 0-d tensor: its value, in its dtype (as PyTorch)
        dtype, fill_value = dtype or fill_value.dtype, fill_value.item()
    if dtype is None:
        dtype = backend.np.bool_ if isinstance(fill_value, bool) else backend.np.int64 if isinstance(
            fill_value, (int, backend.np.integer)) else backend.DEFAULT_DTYPE
    only_defaults("full", layout, pin_memory)
    return _made(_xp(device).full(_shape((size,), "full"), fill_value, dtype=dtype), requires_grad)


def _operand(x, op, name="input") -> Tensor:
    """A tensor, or an array, a number or a list made one (as minigan.tensor does)."""
    if isinstance(x, Tensor):
        return x
    if backend.is_array(x) or isinstance(x, (int, float, list, tuple)) or backend.is_numpy_scalar(x):
        return Tensor._make(checks.to_array(x, None, None, infer=True))
    raise TypeError(f"{op}: {name} must be a Tensor or an array, got {type(x).__name__}")


def cat(tensors, dim=0, *, axis=None):
    """Concatenate tensors along an existing dimension (shapes must match elsewhere)."""
    axis = dim if axis is None else axis
    tensors = [_operand(t, "cat", f"tensor {i}") for i, t in enumerate(tensors)] if isinstance(
        tensors, (list, tuple)) else tensors
    dtype = common_dtype(tensors) if len({t.dtype for t in tensors}) > 1 else None  # PyTorch's promotion
    empty = [t.shape == (0,) for t in tensors] if isinstance(tensors, list) else []
    if builtins.any(empty) and not builtins.all(empty):
        tensors = [t for t in tensors if t.shape != (0,)]  # PyTorch skips a 1-D empty tensor: preds = tensor([])
    axis = checks.check_cat(tensors, axis)
    if dtype is not None:  # one dtype (float32 with int64 is float32)
        tensors = [t if t.dtype == dtype else t.astype(dtype) for t in tensors]
    return S.Cat.apply(*tensors, axis=axis)


def choose(condition, a, b):
    """``a`` where the bool array ``condition`` holds, else ``b`` (either may be a number), in one dtype by PyTorch's
    promotion (``where(c, int8_x, 9)`` is int8): the math of ``minigan.where``, whose door checks the condition."""
    if isinstance(a, Tensor):
        a, b = a._pair(b, "where")
    elif isinstance(b, Tensor):  # (a number or array a goes to b's device)
        a, b = b._pair(a, "where", reflected=True)
    else:
        a, b = _operand(a, "where")._pair(b, "where")
    return E.Where.apply(a, b, cond=condition)


def _t(x, fn) -> Tensor:
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__} (wrap it with minigan.tensor(...))")


def max(x, dim=None, keepdim=False):
    """``max(x)``, ``max(x, dim)`` → (values, indices), or ``max(a, b)``: the elementwise maximum."""
    return _t(x, "max").max(dim, keepdim)


def min(x, dim=None, keepdim=False):
    return _t(x, "min").min(dim, keepdim)


_ONLY_CONDITION = object()  # where(condition) alone: PyTorch's nonzero(condition, as_tuple=True)


def where(condition, a=_ONLY_CONDITION, b=_ONLY_CONDITION):
    """``a`` where ``condition`` holds, else ``b`` (a or b may be a number); the gradient flows to a and b.
    ``where(condition)`` alone gives the indices where it holds, a tensor per dimension (nonzero(as_tuple=True))."""
    if a is _ONLY_CONDITION and b is _ONLY_CONDITION:
        return nonzero(_t(condition, "where"), as_tuple=True)
    if a is _ONLY_CONDITION or b is _ONLY_CONDITION:
        raise TypeError("where: give the condition and both values (where(c, a, b)), or the condition alone")
    cond = condition.array if isinstance(condition, Tensor) else condition
    if backend.is_numpy_scalar(cond):  # a 0-d comparison's result
        cond = backend.np.asarray(cond)
    if not backend.is_array(cond) or cond.dtype != backend.np.bool_:
        raise DtypeError("where: condition must be a bool Tensor or array (e.g. x > 0)")
    backend.broadcast_shapes(cond.shape, *[getattr(v, "shape", ()) for v in (a, b)])  # raises if they do not
    return choose(cond, a, b)


def floating(x, fn) -> Tensor:
    """A tensor a kernel of real numbers only takes (frac, lerp, hypot, vecdot): PyTorch refuses an integer or bool
    one ("not implemented for 'Long'"), where other functions compute it in float32."""
    return _t(x, fn)._floating(fn)


def same_dtype(fn, x, other, name="other") -> None:
    """Operands a kernel takes only in one dtype (isclose, scatter's src, index_copy's source, inner, cross, prelu):
    PyTorch refuses two dtypes rather than promote them."""
    if isinstance(other, Tensor) and other.dtype != x.dtype:
        raise DtypeError(f"{fn}: {name} must have the input's dtype {x.dtype}, got {other.dtype} (PyTorch does not "
                         "promote here); convert it with .to(input.dtype)")


def one_value(fn, value) -> None:
    """The value of a fill (masked_fill, index_fill, fill_): a number, or a 0-d tensor, as PyTorch takes it; a
    tensor of more dimensions is refused there rather than broadcast."""
    if isinstance(value, Tensor) and value.ndim:
        raise DomainError(f"{fn}: value must be a number or a 0-d tensor, got a tensor of shape {tuple(value.shape)}; "
                          "use minigan.where(mask, value, x) to fill from a tensor")


def ordered(x, fn) -> Tensor:
    """The input of a function that picks entries by their order (topk, kthvalue, argmax, argmin): PyTorch's
    kernels refuse a bool tensor there."""
    x = _t(x, fn)
    if x.dtype.kind == "b":
        raise DtypeError(f"{fn}: a bool tensor has no order PyTorch picks by; convert it with .int() or .float()")
    return x


def uniform_range(fn, a, b, dtype) -> None:
    """The bounds of a uniform draw into a tensor of ``dtype``, as PyTorch refuses them: each finite, a <= b, and
    b − a within the dtype's range (NaN or ±inf would fill with NaN)."""
    a, b = float(a), float(b)
    largest = float(backend.np.finfo(dtype).max) if backend.np.dtype(dtype).kind == "f" else math.inf
    if not (abs(a) <= largest and abs(b) <= largest):
        raise DomainError(f"{fn}: from and to must be finite numbers in the tensor's dtype, got {a} and {b}")
    if a > b or b - a > largest:
        raise DomainError(f"{fn}: expects from <= to, with to − from within the tensor's dtype, got from={a}, to={b}")


def _as_float(x, fn) -> Tensor:
    """The input of a function of real numbers: as in PyTorch, an integer or bool tensor is computed in float32."""
    return _t(x, fn)._as_float()


def _rounding(op, input, fn, **params):
    x = _t(input, fn)
    return x.clone() if not backend.is_floating(x.dtype) else op.apply(x, **params)  # integers are already whole


def floor(input):
    return _rounding(U.Floor, input, "floor")


def ceil(input):
    return _rounding(U.Ceil, input, "ceil")


def round(input, *, decimals=0):
    """Round half to even (2.5 → 2), as PyTorch."""
    return _rounding(U.Round, input, "round", decimals=decimals)


def trunc(input):
    return _rounding(U.Trunc, input, "trunc")


def _pair(a, b, fn):
    """The two operands of a function of real numbers, at least one a Tensor (the other may be a number): in one
    dtype by PyTorch's promotion, as the operators take them, and integers or bools computed in float32."""
    a, b = _promoted(a, b, fn)
    return (a, b) if a.dtype.kind == "f" else (a._as_float(), b._as_float())


def _promoted(a, b, fn):
    """Two operands in one dtype by PyTorch's promotion, integers kept integers (as the operators take them)."""
    return a._pair(b, fn) if isinstance(a, Tensor) else _t(b, fn)._pair(a, fn, reflected=True)


def _integer_divisor(a, b, fn):
    """The operands of an integer division (//, %, fmod), refused where the divisor is 0, as PyTorch refuses it."""
    if a.dtype.kind in "biu" and bool((b.array == 0).any()):
        raise DivisionByZero(f"{fn}: integer division by zero (ZeroDivisionError); divide floats for inf or NaN")
    return a, b


def atan2(input, other):
    """The angle of the point (other, input), i.e. atan(input/other) in the right quadrant, in (−π, π]."""
    return U.Atan2.apply(*_pair(input, other, "atan2"))


def hypot(input, other):
    """√(input² + other²)."""
    a, b = _promoted(input, other, "hypot")  # (the promoted dtype must be floating: PyTorch has no integer hypot)
    floating(a if isinstance(a, Tensor) else b, "hypot")
    return U.Hypot.apply(a, b)


def div(input, other, *, rounding_mode=None):
    """input / other; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient (its gradient is 0)."""
    if rounding_mode not in (None, "floor", "trunc"):
        raise ValueError(f"div: rounding_mode must be None, 'floor' or 'trunc', got {rounding_mode!r}")
    if rounding_mode is None:
        return input / other if isinstance(input, Tensor) else input / _t(other, "div")
    fn = f"div(rounding_mode={rounding_mode!r})"
    return U.RoundedDiv.apply(*_integer_divisor(*_promoted(input, other, fn), fn), mode=rounding_mode)


def t(input):
    return _t(input, "t").t()


def bmm(input, mat2):
    """Batched matrix product of (b, n, m) and (b, m, p) tensors."""
    if _t(input, "bmm").ndim != 3 or _t(mat2, "bmm").ndim != 3:  # (PyTorch: an IndexError or a RuntimeError)
        raise DimensionError(f"bmm: expected two 3-d tensors, got shapes {tuple(input.shape)} and {tuple(mat2.shape)}")
    return input @ mat2


def lerp(input, end, weight):
    """input + weight·(end − input) where |weight| < 0.5, else end − (end − input)·(1 − weight): PyTorch's two
    forms (exactly end at weight 1; ∞ ends give ∞, not ∞ − ∞ = NaN)."""
    x = floating(input, "lerp")
    for name, t in (("end", end), ("weight", weight)):  # (a 0-d weight may be of another dtype, as in PyTorch)
        if isinstance(t, Tensor) and t.dtype != x.dtype and (name == "end" or t.ndim):
            raise DtypeError(f"lerp: expected dtype {x.dtype} for {name}, got {t.dtype} (as PyTorch); convert it "
                             "with .to(input.dtype)")
    diff, weight = end - x, weight.to(x.dtype) if isinstance(weight, Tensor) else weight
    if not isinstance(weight, Tensor):
        out = input + weight * diff if abs(weight) < 0.5 else end - diff * (1 - weight)
        return _shown_as(out, "LerpBackward0")  # (a number weight; a tensor weight: LerpBackward1)
    small = weight.detach().abs() < 0.5  # (each form sees 0 for the weight where it is not used: the gradient the
    # other form's 0 sends back is then 0·0, never 0·∞ = NaN)
    out = where(small, input + weight.masked_fill(~small, 0) * diff, end - diff * (1 - weight.masked_fill(small, 0)))
    return _shown_as(out, "LerpBackward1")


def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta·input + alpha·(mat1 @ mat2)."""
    return _shown_as(_t(input, "addmm") * beta + (_t(mat1, "addmm") @ mat2) * alpha, "AddmmBackward0")


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta·input + alpha·(batch1 @ batch2), batch by batch."""
    return _t(input, "baddbmm") * beta + bmm(batch1, batch2) * alpha


def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta·input + alpha·Σ_b batch1[b] @ batch2[b]."""
    return _t(input, "addbmm") * beta + bmm(batch1, batch2).sum(0) * alpha


def addmv(input, mat, vec, *, beta=1, alpha=1):
    """beta·input + alpha·(mat @ vec)."""
    return _t(input, "addmv") * beta + (_t(mat, "addmv") @ vec) * alpha


def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """beta·input + alpha·(vec1 ⊗ vec2)."""
    return _t(input, "addr") * beta + outer(vec1, vec2) * alpha


def dist(input, other, p=2):
    """The p-norm of input − other (broadcast)."""
    return _shown_as((_t(input, "dist") - other).norm(p), "DistBackward0")


def outer(input, vec2):
    """The outer product of two vectors: out[i, j] = input[i]·vec2[j]."""
    if _t(input, "outer").ndim != 1 or _t(vec2, "outer").ndim != 1:
        raise ShapeError(f"outer: expected two 1-d tensors, got shapes {tuple(input.shape)} and {tuple(vec2.shape)}")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


def dot(input, tensor):
    """The dot product of two 1-d tensors."""
    if _t(input, "dot").ndim != 1 or _t(tensor, "dot").ndim != 1:
        raise ShapeError(f"dot: expected two 1-d tensors, got shapes {tuple(input.shape)} and {tuple(tensor.shape)}")
    return input @ tensor


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` pieces along ``dim`` (the last may be smaller), as views in the graph."""
    x = _split_input(input, "chunk")
    if not checks.is_integer(chunks):
        raise TypeError(f"chunk: chunks must be a positive int, got {chunks!r}")
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
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed sizes."""
    x = _split_input(tensor, "split")
    dim = checks.normalize_axis(dim, x.ndim, "split", single=True)
    n = x.shape[dim]
    if checks.is_integer(split_size_or_sections):
        size = int(split_size_or_sections)
        if size < 1 and not (size == 0 and n == 0):
            raise DomainError(f"split: split_size must be a positive int (0 only for an empty dimension), got {size}")
        if size == 0:
            return (x.narrow(dim, 0, 0),)
        sizes = [size] * (n // size) + ([n % size] if n % size else [])
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
    """The slice start:start+length along ``dim`` (a negative start counts from the end, as in PyTorch)."""
    x = _t(input, "narrow")
    if x.ndim == 0:
        raise ShapeError("narrow: cannot be applied to a 0-d tensor")
    d = checks.normalize_axis(dim, x.ndim, "narrow", single=True)
    size = x.shape[d]
    begin = int(start) + size if int(start) < 0 else int(start)
    if not 0 <= begin <= size or length < 0 or begin + length > size:  # (PyTorch: an IndexError for the start)
        raise DimensionError(f"narrow: start ({start}) + length ({length}) exceeds dimension size ({size}) of dim {d}; "
                         f"expected -{size} <= start <= {size} and 0 <= length <= size - start")
    return x[(slice(None),) * d + (slice(begin, begin + length),)]


def _array_of(x, like):
    return like._operand(x, "compare").array


def _test(fn, input, name):
    x = _t(input, name)
    return Tensor._make(getattr(backend.get_array_module(x.array), fn)(x.array))


def isnan(input):
    return _test("isnan", input, "isnan")


def isinf(input):
    return _test("isinf", input, "isinf")


def isfinite(input):
    return _test("isfinite", input, "isfinite")


def logical_not(input):
    return _test("logical_not", input, "logical_not")


def _logical(fn, input, other, name):
    x = _t(input, name)
    return Tensor._make(getattr(backend.get_array_module(x.array), fn)(x.array, _array_of(other, x)))


def logical_and(input, other):
    return _logical("logical_and", input, other, "logical_and")


def logical_or(input, other):
    return _logical("logical_or", input, other, "logical_or")


def logical_xor(input, other):
    return _logical("logical_xor", input, other, "logical_xor")


def _bitwise(fn, input, other, name, reflected=False):
    """An op on the bits of integer or bool tensors, in PyTorch's promoted dtype (bool & bool is bool); not
    differentiable, so the result is a plain tensor."""
    if not isinstance(input, Tensor) and isinstance(other, Tensor):  # bitwise_and(3, x): PyTorch's number first
        return _bitwise(fn, other, input, name, not reflected)
    x = _t(input, name)
    kinds = [x.dtype, other.dtype if isinstance(other, Tensor) else backend.np.asarray(other).dtype]
    if builtins.any(k.kind not in "biu" for k in kinds):
        raise DtypeError(f"{name}: needs integer or bool operands, got {kinds[0]} and {kinds[1]} (PyTorch refuses "
                        "floating ones too)")
    a, b = x._pair(other, name, reflected)
    return Tensor._make(getattr(backend.get_array_module(a.array), fn)(a.array, b.array))


def bitwise_and(input, other):
    return _bitwise("bitwise_and", input, other, "bitwise_and")


def bitwise_or(input, other):
    return _bitwise("bitwise_or", input, other, "bitwise_or")


def bitwise_xor(input, other):
    return _bitwise("bitwise_xor", input, other, "bitwise_xor")


def bitwise_left_shift(input, other):
    return _bitwise("left_shift", input, other, "bitwise_left_shift")


def bitwise_right_shift(input, other):
    return _bitwise("right_shift", input, other, "bitwise_right_shift")


def bitwise_not(input):
    """~x: every bit flipped (a bool tensor's logical not)."""
    x = _t(input, "bitwise_not")
    if x.dtype.kind not in "biu":
        raise DtypeError(f"bitwise_not: needs an integer or bool tensor, got {x.dtype} (PyTorch refuses floating "
                        "ones too)")
    return Tensor._make(backend.get_array_module(x.array).invert(x.array))


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


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    x = _t(input, "isclose")
    same_dtype("isclose", x, other)
    for name, tol in (("rtol", rtol), ("atol", atol)):
        if not tol >= 0:
            raise DomainError(f"isclose: {name} must be >= 0, got {tol}")
    xp = backend.get_array_module(x.array)
    return Tensor._make(xp.isclose(x.array, _array_of(other, x), rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    """|input − other| ≤ atol + rtol·|other| everywhere (a Python bool)."""
    return builtins.bool(isclose(input, other, rtol, atol, equal_nan).array.all())


def equal(input, other) -> bool:
    """Same shape and the same values (a Python bool)."""
    return _t(input, "equal").shape == _t(other, "equal").shape and builtins.bool((input.array == other.array).all())


def count_nonzero(input, dim=None):
    x = _t(input, "count_nonzero")
    xp = backend.get_array_module(x.array)
    dim = dim if dim is None else checks.normalize_axis(tuple(dim) if isinstance(dim, list) else dim, x.ndim,
                                                        "count_nonzero")  # (a list of dims too, as PyTorch's)
    return Tensor._make(backend.c_order(xp.asarray(xp.count_nonzero(x.array, axis=dim)).astype(backend.np.int64)))


def _shown_as(result, torch_name):
    """``result``, whose node prints PyTorch's name for the function that made it (minigan/autograd/graph.py)."""
    from minigan.autograd.graph import shown_as  # (imported when used: minigan.autograd imports the surface)

    return shown_as(result, torch_name)


def masked_fill(input, mask, value):
    """``value`` where ``mask`` holds, else input (the gradient flows to input elsewhere), in input's dtype: the
    value is cast to it, as in PyTorch (an integer tensor filled with 2.7 holds 2)."""
    x = _t(input, "masked_fill")
    one_value("masked_fill", value)
    if isinstance(value, Tensor):
        value = value.to(x.dtype)
    elif isinstance(value, (bool, int, float)) or backend.is_numpy_scalar(value):
        value = Tensor._make(backend.get_array_module(x.array).asarray(value).astype(x.dtype))
    from minigan.autograd.graph import shown_as  # (the node PyTorch's one op shows: MaskedFillBackward0)

    return shown_as(where(mask, value, x).contiguous(), "MaskedFillBackward0")  # (row-major, as PyTorch's)


def amax(input, dim=(), keepdim=False):
    """The maximum over ``dim`` (all dimensions when empty); ties share the gradient evenly, as PyTorch's amax."""
    return _amax(_t(input, "amax"), dim, keepdim, "amax")


def amin(input, dim=(), keepdim=False):
    return -_amax(-_t(input, "amin"), dim, keepdim, "amin")


def clamp_min(input, min):
    return _t(input, "clamp_min").clamp(min=min)


def clamp_max(input, max):
    return _t(input, "clamp_max").clamp(max=max)


def is_nonzero(input) -> builtins.bool:
    """The truth of a one-element tensor (an error for any other)."""
    return builtins.bool(_t(input, "is_nonzero"))


def floor_divide(input, other):
    """⌊input / other⌋ (rounding toward −∞, as PyTorch today); like PyTorch's, it is not differentiated."""
    return div(input, other, rounding_mode="floor").detach()


def remainder(input, other):
    """input − other·⌊input / other⌋: the sign of ``other``, as Python's %; d/d other = −⌊input / other⌋."""
    return U.Remainder.apply(*_integer_divisor(*_promoted(input, other, "remainder"), "remainder"))


def fmod(input, other):
    """input − other·trunc(input / other): the sign of ``input``, as C's fmod; d/d other = −trunc(input / other)."""
    return U.Fmod.apply(*_integer_divisor(*_promoted(input, other, "fmod"), "fmod"))


def mv(input, vec):
    """Matrix (n, m) times vector (m,)."""
    if _t(input, "mv").ndim != 2 or _t(vec, "mv").ndim != 1:  # (PyTorch: an IndexError or a RuntimeError)
        raise DimensionError(f"mv: expected a 2-d and a 1-d tensor, got shapes {tuple(input.shape)} and "
                             f"{tuple(vec.shape)}")
    return input @ vec


def inner(input, other):
    """Σ_k input[..., k]·other[..., k] for every pair of leading indices: shape input.shape[:-1] + other.shape[:-1]."""
    x, y = _t(input, "inner"), _t(other, "inner")
    same_dtype("inner", x, y)
    if x.ndim == 0 or y.ndim == 0:
        return x * y
    if x.shape[-1] != y.shape[-1]:  # (the product below would broadcast a 1 against any size)
        raise ShapeError(f"inner: the last dims must match, got shapes {tuple(x.shape)} and {tuple(y.shape)}")
    products = x.reshape(*x.shape[:-1], *[1] * (y.ndim - 1), x.shape[-1]) * y
    return products.sum(-1, dtype=products.dtype)  # in the operands' dtype, as a product (int32 stays int32)


def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value·tensor1·tensor2."""
    return _t(input, "addcmul") + tensor1 * tensor2 * value


def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value·tensor1/tensor2."""
    return _t(input, "addcdiv") + tensor1 / tensor2 * value


def logaddexp(input, other):
    """log(eᵃ + eᵇ), computed as hi + log(1 + e^(lo − hi)) with hi the larger, lo the other (no overflow; d/da =
    sigmoid(a − b)).  hi and lo are picked by a select, not max and min: their kinks at a = b would make the
    second derivative 0 there, where it is sigmoid'(0) = 1/4."""
    a, b = _pair(input, other, "logaddexp")
    a_larger = a.detach() >= b.detach()
    hi, lo = where(a_larger, a, b), where(a_larger, b, a)
    with backend.np.errstate(invalid="ignore"):  # (∞ − ∞: replaced below)
        out = hi + (lo - hi).exp().log1p()
    same_infinity = (a == b) & a.detach().isinf()  # ∞ − ∞ is NaN above: there the answer is a itself, as PyTorch's
    return _shown_as(where(same_infinity, a, out) if bool(same_infinity.any()) else out, "LogaddexpBackward0")


def xlogy(input, other):
    """input·log(other), and 0 where input = 0 unless other is NaN (as PyTorch)."""
    return U.XLogY.apply(*_pair(input, other, "xlogy"))


def logit(input, eps=None):
    """log(p / (1 − p)), p clamped to [eps, 1 − eps] when eps is given."""
    p = _as_float(input, "logit")
    if eps is not None:
        p = p.clamp(eps, 1 - eps)
    return U.Logit.apply(p)


def deg2rad(input):
    return _as_float(input, "deg2rad") * (math.pi / 180)


def rad2deg(input):
    return _as_float(input, "rad2deg") * (180 / math.pi)


def ravel(input):
    """The entries as one contiguous dimension: a view where they already are, else a copy (as PyTorch's)."""
    return _t(input, "ravel").reshape(-1).contiguous()


def unbind(input, dim=0):
    """The slices along ``dim``, as a tuple (each in the graph)."""
    x = _t(input, "unbind")
    return _several_views([x[(slice(None),) * (dim % x.ndim) + (i,)] for i in range(x.shape[dim])])


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None):
    """Each entry repeated ``repeats`` times in place (an int, or one count per entry along ``dim``); flattened when
    dim is None.  ``repeat_interleave(counts)`` alone: each index i repeated counts[i] times.  ``output_size``, the
    result's length along dim (PyTorch's hint that spares it a device sync), must be right when given."""
    result = _repeat_interleave(input, repeats, dim)
    if output_size is not None and result.shape[0 if dim is None or repeats is None else dim] != output_size:
        raise DomainError(f"repeat_interleave: output_size={output_size} but the result has "
                         f"{result.shape[0 if dim is None or repeats is None else dim]} entries along that dim")
    return result


def _repeat_interleave(input, repeats, dim):
    x = _t(input, "repeat_interleave")
    xp = backend.get_array_module(x.array)
    if repeats is None:  # the indices form
        return Tensor._make(xp.repeat(xp.arange(x.shape[0]), x.array).astype(xp.int64))
    if dim is None:
        x, d = x.reshape(-1), 0
    else:
        d = checks.normalize_axis(dim, x.ndim, "repeat_interleave", single=True)
    counts = repeats.array if isinstance(repeats, Tensor) else repeats
    if isinstance(repeats, Tensor) and repeats.ndim > 1:
        raise ShapeError(f"repeat_interleave: repeats must be a number or a 0-d or 1-d tensor, got shape "
                         f"{tuple(repeats.shape)}")
    if builtins.bool(xp.any(xp.asarray(counts) < 0)):
        raise DomainError("repeat_interleave: repeats must be >= 0")
    rows = xp.repeat(xp.arange(x.shape[d]), counts)  # the source index of each output entry
    return x[(slice(None),) * d + (rows,)].contiguous()  # (row-major, as PyTorch's)


def hsplit(input, indices_or_sections):
    """tensor_split along dimension 1 (0 for a 1-D tensor)."""
    x = _split_input(input, "hsplit")
    dim = 1 if x.ndim > 1 else 0
    return tensor_split(x, _even_sections("hsplit", x, indices_or_sections, dim), dim)


def vsplit(input, indices_or_sections):
    """tensor_split along dimension 0."""
    x = _split_input(input, "vsplit", 2)
    return tensor_split(x, _even_sections("vsplit", x, indices_or_sections, 0), 0)


def dsplit(input, indices_or_sections):
    """tensor_split along dimension 2."""
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
    if k == 0:
        return x.clone()
    if k == 2:
        return flip(x, (a, b))
    return _fresh(flip(x, b).transpose(a, b)) if k == 1 else flip(x.transpose(a, b), b)


def tensor_split(input, indices_or_sections, dim=0):
    """Views split along ``dim``: into n nearly equal parts (the first ones one longer), or at the given indices."""
    x = _t(input, "tensor_split")
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
    return flip(input, 1)


def flipud(input):
    return flip(input, 0)


def tile(input, dims):
    """Repeat the tensor ``dims[i]`` times along dimension i (``x.repeat(*dims)`` in PyTorch's method form):
    each dimension of size s becomes d·s, the copies one after another."""
    x = _t(input, "tile")
    dims = tuple(dims)
    if not builtins.all(checks.is_integer(d) and d >= 0 for d in dims):
        raise DomainError(f"tile: dims must be non-negative ints, got {dims}")
    dims = tuple(builtins.int(d) for d in dims)  # (np.int64(2) too, as PyTorch takes it)
    dims = (1,) * (x.ndim - len(dims)) + dims
    x = x.reshape(*(1,) * (len(dims) - x.ndim), *x.shape)
    interleaved = [n for pair in zip([1] * x.ndim, x.shape) for n in pair]  # (1, s0, 1, s1, ...)
    copies = [n for pair in zip(dims, x.shape) for n in pair]             # (d0, s0, d1, s1, ...)
    out = x.reshape(*interleaved).expand(*copies).reshape(*[d * n for d, n in zip(dims, x.shape)])
    return out.clone() if out._base is not None else out  # a copy always, as PyTorch's: never a view of the input


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
    return _shown_as(_triangle(input, diagonal, True, "tril"), "TrilBackward0")


def triu(input, diagonal=0):
    return _shown_as(_triangle(input, diagonal, False, "triu"), "TriuBackward0")


SortResult = namedtuple("sort", ["values", "indices"])  # as torch.return_types.sort / topk


TopkResult = namedtuple("topk", ["values", "indices"])


KthvalueResult = namedtuple("kthvalue", ["values", "indices"])


MedianResult = namedtuple("median", ["values", "indices"])


CummaxResult = namedtuple("cummax", ["values", "indices"])


CumminResult = namedtuple("cummin", ["values", "indices"])


AminmaxResult = namedtuple("aminmax", ["min", "max"])


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
    out = x[_along_place(x, dim, index, "gather")[1]]
    zero_d = index.ndim == 0 if hasattr(index, "ndim") else backend.np.ndim(index) == 0
    # the index's shape (a 0-d index reads one entry)
    return _fresh(out.reshape(())) if zero_d else _shown_as(out, "GatherBackward0")


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
    idx, place = _along_place(x, dim, index, "scatter")
    out = x.clone()
    out[place] = _source(src, value, idx, "scatter", x)  # (a repeated index: one of its values, as PyTorch)
    return out


def scatter_add(input, dim, index, src):
    """input with src's values added where ``index`` points along ``dim`` (repeats add up): gather's adjoint."""
    x = _t(input, "scatter_add")
    idx, place = _along_place(x, dim, index, "scatter_add")
    values = _source(src, None, idx, "scatter_add", x)
    return x + S.IndexAdd.apply(values, index=(place, True), shape=tuple(x.shape))


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
    out = x[_index_place(x, dim, index, "index_select")[0]].contiguous()  # (row-major, as PyTorch's)
    return _shown_as(out, "IndexSelectBackward0")


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
    return _shown_as(x.expand(*shape)[backend.get_array_module(m).broadcast_to(m, shape)], "MaskedSelectBackward0")


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


def index_add(input, dim, index, source, *, alpha=1):
    """input with alpha·source's slices added at ``index`` along ``dim`` (repeated indices add up)."""
    x = _t(input, "index_add")
    place, d = _index_place(x, dim, index, "index_add")
    source = _t(source, "index_add").to(x.dtype)
    expected = tuple(x.shape[:d]) + (place[d].shape[0],) + tuple(x.shape[d + 1:])
    if tuple(source.shape) != expected:
        raise ShapeError(f"index_add: source must have shape {expected}, got {tuple(source.shape)}")
    return x + S.IndexAdd.apply(source * alpha if alpha != 1 else source, index=(place, True), shape=tuple(x.shape))


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
    _in_range(idx, flat.shape[0], "take", "the flattened input")
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
    same_dtype("index_copy", x, source, "source")
    place, d = _index_place(x, dim, index, "index_copy")
    source = _t(source, "index_copy")
    expected = tuple(x.shape[:d]) + (place[d].shape[0],) + tuple(x.shape[d + 1:])
    if x.ndim and tuple(source.shape) != expected:  # (PyTorch: an IndexError or a RuntimeError, as it differs)
        raise DimensionError(f"index_copy: source must have shape {expected} (input's, with one slice per index "
                             f"along dim {d}), got {tuple(source.shape)}")
    out = x.clone()
    out[place] = source.to(x.dtype)
    return out


def index_fill(input, dim, index, value):
    """input with the slices at ``index`` along ``dim`` set to ``value``."""
    x = _t(input, "index_fill")
    one_value("index_fill", value)
    place, _ = _index_place(x, dim, index, "index_fill")
    out = x.clone()
    out[place] = value
    return out


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
    out = xp.empty_like(a, dtype=xp.int64)  # laid out as the input, as PyTorch's sort results are (and the values
    out[...] = order  # read at it follow it)
    return Tensor._make(out.reshape(x.shape))


def sort(input, dim=-1, descending=False, stable=False):
    """(values, indices): ``input`` sorted along ``dim`` (argsort's order); the gradient flows to the values."""
    x = _t(input, "sort")
    indices = argsort(x, dim, descending)
    if x.ndim == 0:
        return SortResult(x.clone(), indices)
    values = x[_along(indices.array, checks.normalize_axis(dim, x.ndim, "sort", single=True))]
    return SortResult(_shown_as(values, "SortBackward0"), indices)


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
    return TopkResult(_shown_as(x[_along(picked, d)], "TopkBackward0"), Tensor._make(picked))


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
        return _shown_as(out, "MedianBackward0")
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


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """The sum with NaN counted as 0 (their gradient is 0)."""
    x = _t(input, "nansum")
    x = x if dtype is None else x.to(dtype)
    clean = where(x.array != x.array, 0.0, x) if x.dtype.kind == "f" else x
    if dim is None and keepdim and x.ndim:  # (every dim kept as a one, as sum's)
        dim = tuple(range(x.ndim))
    out = clean.sum() if dim is None else clean.sum(dim, keepdim=keepdim)
    return out if dtype is None else out.to(dtype)  # (a sum of bools or ints is int64: the dtype asked for, as sum's)


def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean of the entries that are not NaN (NaN where there are none)."""
    x = _t(input, "nanmean")
    if x.dtype.kind != "f":  # (the input's own dtype, before dtype= converts it: PyTorch's check)
        raise DtypeError(f"nanmean: input must be floating point, got {x.dtype}")
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
    if x.ndim == 0:
        return x.clone(), Tensor._make(backend.get_array_module(x.array).asarray(0))
    d = checks.normalize_axis(dim, x.ndim, name, single=True)
    xp = backend.get_array_module(x.array)
    a = x.array
    with backend.np.errstate(invalid="ignore"):
        running = getattr(xp, better).accumulate(a, axis=d)
        hit = (a == running) | (a != a)
    position = xp.arange(a.shape[d]).reshape((-1,) + (1,) * (a.ndim - d - 1))
    index = xp.maximum.accumulate(xp.where(hit, position, 0), axis=d).astype(xp.int64, order="C")  # (row-major,
    return x[_along(index, d)], Tensor._make(index)  # as PyTorch allocates both results: the values follow it)


def cummax(input, dim):
    """(values, indices): the running maximum along ``dim``."""
    return CummaxResult(*_running_extreme(input, dim, "cummax", "maximum"))


def cummin(input, dim):
    """(values, indices): the running minimum along ``dim``."""
    return CumminResult(*_running_extreme(input, dim, "cummin", "minimum"))


def logcumsumexp(input, dim):
    """log Σ_{j ≤ i} exp(x_j) along ``dim``, without overflow: a log-step scan of logaddexp (differentiable)."""
    x = _t(input, "logcumsumexp")
    if x.dtype.kind != "f":
        raise DtypeError(f"logcumsumexp: input must be floating point, got {x.dtype}")
    if x.ndim == 0:
        return x.clone()
    d = checks.normalize_axis(dim, x.ndim, "logcumsumexp", single=True)
    n, step = x.shape[d], 1
    while step < n:
        x = cat([x.narrow(d, 0, step), logaddexp(x.narrow(d, step, n - step), x.narrow(d, 0, n - step))],
                           dim=d)
        step *= 2
    return x.clone() if n <= 1 else x  # (over one entry the loop makes nothing new: never the input itself)


def bincount(input, weights=None, minlength=0):
    """How often each of 0, 1, 2, … occurs in the 1-D non-negative integers ``input`` (summing ``weights``
    instead of counting, when given: float weights keep their dtype, integer ones give float64, as PyTorch's).
    A count has no gradient."""
    x = _t(input, "bincount")
    if x.dtype.kind not in "iu":  # (a kernel for integers only: PyTorch's NotImplementedError)
        raise DtypeError(f"bincount: input must be 1-d non-negative integers, got {x.dtype} of shape {tuple(x.shape)}")
    if x.ndim != 1 or (x.numel() and builtins.int(x.array.min()) < 0):
        raise DomainError(f"bincount: input must be 1-d non-negative integers, got {x.dtype} of shape {tuple(x.shape)}")
    xp = backend.get_array_module(x.array)
    if weights is None:
        return Tensor._make(xp.bincount(x.array, minlength=minlength).astype(xp.int64))
    w = _t(weights, "bincount").detach()
    dtype = w.dtype if w.dtype.kind == "f" else backend.np.float64
    return Tensor._make(xp.bincount(x.array, weights=w.array, minlength=minlength).astype(dtype))


def histc(input, bins=100, min=0, max=0):
    """A histogram of ``bins`` equal-width bins over [min, max] (the data's own range when min equals max); values
    outside are left out, the last bin holds max.  No gradient."""
    x = _t(input, "histc")
    if x.dtype.kind != "f":
        raise DtypeError(f"histc: input must be floating point, got {x.dtype}")
    xp = backend.get_array_module(x.array)
    low, high = (builtins.float(x.array.min()), builtins.float(x.array.max())) if min == max and x.numel() \
        else (builtins.float(min), builtins.float(max))  # (min == max, not only 0: the data's range, as PyTorch's)
    if not low <= high:  # (NaN too)
        raise DomainError(f"histc: max must be larger than min, got min={low}, max={high}")
    if high == low:  # (one value: a bin one unit wide around it, as PyTorch's)
        low, high = low - 1, high + 1
    counts, _ = xp.histogram(x.array, bins=bins, range=(low, high))
    return Tensor._make(counts.astype(x.dtype))


def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) of all entries or along ``dim``."""
    x = _t(input, "aminmax")
    d = () if dim is None else dim
    return AminmaxResult(amin(x, d, keepdim), amax(x, d, keepdim))


def cumsum(input, dim, *, dtype=None):
    """The running sums along ``dim``: out_i = x_0 + ... + x_i (integers and bools sum as int64, as PyTorch)."""
    x = _t(input, "cumsum")
    if dtype is not None:
        x = x.to(dtype)
    elif x.dtype.kind in "biu":
        x = x.to(backend.np.int64)
    d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "cumsum", single=True)
    return R.CumSum.apply(x, axis=d) if x.ndim else x.clone()


def _as_product_dtype(x, dtype):
    if dtype is not None:
        return x.to(dtype)
    return x.to(backend.np.int64) if x.dtype.kind in "biu" else x  # (integers and bools multiply as int64)


def prod(input, dim=None, keepdim=False, *, dtype=None):
    """The product of the elements (along ``dim``), with PyTorch's backward (minigan/engine/ops/reduce.py's Prod):
    exact where some factors are 0, NaN where PyTorch's is, and to any order."""
    x = _as_product_dtype(_t(input, "prod"), dtype)
    d = None if dim is None else checks.normalize_axis(dim, builtins.max(x.ndim, 1), "prod", single=True)
    if x.ndim == 0:  # one factor: itself (PyTorch's gradient passes straight through)
        return x.clone()
    return R.Prod.apply(x, axis=d, keepdims=bool(keepdim) and d is not None)


def cumprod(input, dim, *, dtype=None):
    """The running products along ``dim``: out_i = x_0 · … · x_i, by a scan of log₂ n rounds (round k multiplies
    each element by the partial product 2ᵏ places before it); differentiable to any order, exact at zeros."""
    x = _as_product_dtype(_t(input, "cumprod"), dtype)
    if x.ndim == 0:
        return x.clone()
    d = checks.normalize_axis(dim, x.ndim, "cumprod", single=True)
    n, step = x.shape[d], 1
    while step < n:
        x = cat([x.narrow(d, 0, step), x.narrow(d, step, n - step) * x.narrow(d, 0, n - step)], dim=d)
        step *= 2
    return x if n > 1 else x.clone()  # (one factor: a copy, never the input's memory)


def diag(input, diagonal=0):
    """A 1-D input laid on the ``diagonal``-th diagonal of a square matrix (zeros elsewhere), or a 2-D input's
    ``diagonal``-th diagonal as a vector."""
    x, diagonal = _t(input, "diag"), integer(diagonal, "diag", "diagonal")
    if x.ndim == 1:
        n = x.shape[0] + builtins.abs(diagonal)
        out = Tensor._make(backend.get_array_module(x.array).zeros((n, n), dtype=x.dtype))
        out[_diagonal_index(n, n, diagonal, x)] = x
        return out
    if x.ndim != 2:
        raise ShapeError(f"diag: input must be 1-D or 2-D, got shape {tuple(x.shape)}")
    return x[_diagonal_index(*x.shape, diagonal, x)]


def _diagonal_index(rows, columns, offset, like):
    """(row, column) index arrays of the ``offset``-th diagonal of a rows × columns matrix (above the main one for
    offset > 0), on ``like``'s device."""
    n = builtins.max(0, builtins.min(rows + builtins.min(offset, 0), columns - builtins.max(offset, 0)))
    i = backend.get_array_module(like.array).arange(n) + builtins.max(-offset, 0)
    return i, i + offset


def trace(input):
    """The sum of a matrix's diagonal."""
    x = _t(input, "trace")
    if x.ndim != 2:
        raise ShapeError(f"trace: input must be a matrix, got shape {tuple(x.shape)}")
    return _shown_as(diag(x).sum(), "TraceBackward0")


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    """1 with probability ``input`` (or ``p``) elementwise, else 0, in input's dtype; no gradient."""
    x = _t(input, "bernoulli")
    if not backend.is_floating(x.dtype):
        raise DtypeError(f"bernoulli: input must be a floating-point tensor of probabilities, got dtype {x.dtype}")
    if p is not None and not (isinstance(p, (int, float)) and 0 <= p <= 1):
        raise DomainError(f"bernoulli: p must be a number in [0, 1], got {p!r}")
    probability = x.array if p is None else p
    if p is None and not builtins.bool(((probability >= 0) & (probability <= 1)).all()):  # (NaN fails both)
        raise DomainError("bernoulli: probabilities must lie in [0, 1]")
    xp = backend.get_array_module(x.array)
    return Tensor._make((backend.rand(x.shape, dtype=x.dtype, xp=xp, gen=generator) < probability).astype(x.dtype))


def multinomial(input, num_samples, replacement=False, *, generator=None) -> Tensor:
    """``num_samples`` category indices (int64) drawn from each row of non-negative weights ``input`` (1-D or 2-D).
    With replacement: the inverse of each row's cumulative distribution at uniform draws.  Without: the Gumbel
    top-k trick (the largest log w + Gumbel noise, which draws as sequential sampling without replacement does)."""
    x = _t(input, "multinomial")
    if x.ndim not in (1, 2) or not backend.is_floating(x.dtype):
        raise DomainError(f"multinomial: input must be a 1-D or 2-D float tensor of weights, got {x.dtype} of shape "
                         f"{tuple(x.shape)}")
    w = x.array.reshape(-1, x.shape[-1]).astype(backend.np.float64)
    xp = backend.get_array_module(w)
    rows, k = w.shape
    if builtins.bool(((w < 0) | ~xp.isfinite(w)).any()) or builtins.bool((w.sum(axis=1) <= 0).any()):
        raise DomainError("multinomial: weights must be finite, non-negative, and sum to more than 0 in each row")
    if not checks.is_integer(num_samples) or num_samples < 1:
        raise ValueError(f"multinomial: num_samples must be a positive integer, got {num_samples!r}")
    num_samples = int(num_samples)
    if not replacement and num_samples > k:
        raise DomainError(f"multinomial: cannot draw {num_samples} different categories from {k} without replacement")
    u = backend.rand((rows, num_samples), dtype=backend.np.float64, xp=xp, gen=generator)
    if replacement:
        cdf = xp.cumsum(w, axis=1) / w.sum(axis=1, keepdims=True)
        picks = (u[:, :, None] >= cdf[:, None, :]).sum(axis=2)  # how many categories lie wholly below each draw
        picks = xp.minimum(picks, k - 1)  # (a draw above a rounded cdf's last value)
    else:
        gumbel = -xp.log(-xp.log(backend.rand((rows, k), dtype=backend.np.float64, xp=xp, gen=generator)))
        with backend.np.errstate(divide="ignore"):
            keys = xp.log(w) + gumbel  # a zero weight's key is -inf: drawn only once every other one has been
        picks = xp.argsort(-keys, axis=1, kind="stable")[:, :num_samples]
    return Tensor._make(picks.reshape(x.shape[:-1] + (num_samples,)).astype(xp.int64))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN, +∞ and −∞ replaced by ``nan`` and by the dtype's largest and lowest finite values (or those given)."""
    x = _t(input, "nan_to_num")
    if not backend.is_floating(x.dtype):
        return x.clone()
    info = backend.np.finfo(x.dtype)
    nans, positive, negative = x.isnan(), x == math.inf, x == -math.inf  # (where x had them: a replacement that is
    out = where(nans, nan, x)  # itself ±∞ or NaN is not replaced again)
    out = where(positive, info.max if posinf is None else posinf, out)
    return where(negative, info.min if neginf is None else neginf, out)


def diff(input, n=1, dim=-1, prepend=None, append=None):
    """The ``n``-th forward difference along ``dim``: out[i] = x[i+1] − x[i], applied n times, after ``prepend`` and
    ``append`` are joined to x along dim.  For bools the difference is x[i+1] != x[i] (XOR), as in PyTorch."""
    x = _t(input, "diff")
    d = checks.normalize_axis(dim, x.ndim, "diff", single=True)
    if prepend is not None or append is not None:
        x = cat([t for t in (prepend, x, append) if t is not None], d)
    for _ in range(n):
        later, earlier = x[(slice(None),) * d + (slice(1, None),)], x[(slice(None),) * d + (slice(None, -1),)]
        x = later != earlier if x.dtype.kind == "b" else later - earlier
    return x


def roll(input, shifts, dims=None):
    """Entries shifted by ``shifts`` along ``dims``, those pushed off one end coming back at the other (flattened
    first when dims is None, as PyTorch)."""
    x = _t(input, "roll")
    if dims is None:  # (one shift, maybe in a list, as PyTorch's)
        if isinstance(shifts, (tuple, list)) and len(shifts) != 1:
            raise ShapeError(f"roll: without dims, shifts must be one number, got {list(shifts)}")
        shifts = shifts[0] if isinstance(shifts, (tuple, list)) else shifts
        return _fresh(roll(x.reshape(-1), shifts, 0).reshape(x.shape))
    shifts, dims = (shifts, dims) if isinstance(shifts, (tuple, list)) else ((shifts,), (dims,))
    if len(shifts) != len(dims):
        raise DomainError(f"roll: shifts {shifts} and dims {dims} must have the same length")
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


def _amax(x, dim, keepdim, fn):  # (PyTorch's amax backward multiplies by the mask of the maxima: see ops/reduce.py)
    checks.check_nonempty(x.array, fn)
    axis = checks.normalize_axis(None if isinstance(dim, (tuple, list)) and not dim else dim, x.ndim, fn)
    return R.Max.apply(x, axis=axis, keepdims=builtins.bool(keepdim), amax=True)


def _fresh(t):
    """A result that PyTorch gives as a new tensor: a view of a temporary made on the way becomes a tensor of its own
    (a copy), so that it is not a view (detach_ takes it, an in-place change is its own)."""
    return t.clone() if t._base is not None else t
