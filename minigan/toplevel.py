"""The functions a PyTorch user calls as ``torch.*``, here as ``minigan.*``.

Constructors and random numbers (``zeros``, ``full``, ``arange``, ``randn_like``, ``randint``...), the legacy
typed constructors (``FloatTensor(2, 3)``, ``LongTensor([1, 2])``), and the free forms of Tensor methods
(``minigan.mean(x, dim=1)`` is ``x.mean(dim=1)``): each is one line that hands over to the Tensor, so the
checks and the gradient are the method's.
"""

from __future__ import annotations

import builtins
import functools
import math
import string
import warnings
from collections import namedtuple

from minigan import _tensor_str, backend, checks, functional
from minigan._tensor import Tensor, maximum, minimum, tensor
from minigan.autograd.grad_mode import is_anomaly_enabled as _is_anomaly_enabled
from minigan.autograd.grad_mode import is_grad_enabled, no_grad, set_grad_enabled
from minigan.dtypes import TYPE_NAMES
from minigan.errors import DivisionByZero, DtypeError, GraphError, IndexOutOfRange, ShapeError
from minigan.ops import linalg as L
from minigan.ops import reduce as R
from minigan.ops import shape as S
from minigan.ops import unary as U


def _shape(shape, fn, size=None):
    """``zeros(2, 3)``, ``zeros((2, 3))`` or ``zeros(size=(2, 3))``: non-negative integer sizes."""
    if size is not None:
        if shape:
            raise TypeError(f"{fn}: give the sizes or size=, not both")
        shape = (size,)
    shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else tuple(shape)
    for n in shape:
        integer = isinstance(n, (int, backend.np.integer)) and not isinstance(n, bool)
        if not integer or n < 0:
            error = ValueError if integer else TypeError
            raise error(f"{fn}: got shape {shape!r}, expected non-negative integer sizes")
    return tuple(int(n) for n in shape)


def _xp(device):
    return backend.module_for_device(device) if device is not None else backend.active_module()


def _made(array, requires_grad) -> Tensor:
    t = Tensor._make(array)
    return t.requires_grad_(True) if requires_grad else t


# ----------------------------------------------------------------------------- constructors
def get_default_dtype():
    """The dtype of new floating tensors: float32 unless ``set_default_dtype`` chose float64."""
    return backend.np.dtype(backend.DEFAULT_DTYPE)


def set_default_dtype(d) -> None:
    """New floating tensors, layers' parameters and Python floats in arithmetic take dtype ``d``, float32 (the
    default) or float64, as ``torch.set_default_dtype`` (float64 for finite-difference checks, say).  It holds
    for the whole process until set again."""
    if backend.np.dtype(d) not in (backend.np.float32, backend.np.float64):
        raise TypeError(f"set_default_dtype: only float32 or float64 can be the default, got {d!r}")
    backend.set_default_dtype(d)


_PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None):
    """How tensors print, as ``torch.set_printoptions``: decimals, elements before summarizing, items kept at each
    end of a summarized dimension, characters a line; ``profile`` ("default", "short", "full") sets all four
    first.  ``sci_mode`` True or False forces scientific notation on or off; None (also when not given, as in
    PyTorch) lets the values decide."""
    options = _tensor_str.OPTIONS
    if profile is not None:
        if profile not in _PROFILES:
            raise ValueError(f"set_printoptions: profile must be one of {sorted(_PROFILES)}, got {profile!r}")
        options.update(zip(("precision", "threshold", "edgeitems", "linewidth"), _PROFILES[profile]))
    for name, value in (("precision", precision), ("threshold", threshold), ("edgeitems", edgeitems),
                        ("linewidth", linewidth)):
        if value is not None:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise ValueError(f"set_printoptions: {name} must be a non-negative number, got {value!r}")
            options[name] = value
    if sci_mode is not None and not isinstance(sci_mode, bool):
        raise ValueError(f"set_printoptions: sci_mode must be True, False or None, got {sci_mode!r}")
    options["sci_mode"] = sci_mode


def manual_seed(seed: int):
    """Seed minigan's random generators (data, initialisation, dropout, noise) on every backend; returns the
    default generator, as PyTorch's does."""
    backend.manual_seed(seed)
    return backend.default_generator


def randn(*shape, size=None, generator=None, requires_grad=False, dtype=None, device=None) -> Tensor:
    """Standard normal samples (float32 unless dtype says otherwise), from ``generator`` or minigan's."""
    shape = _shape(shape, "randn", size)
    return _made(backend.randn(shape, dtype=dtype, xp=_xp(device), gen=generator), requires_grad)


def rand(*shape, size=None, generator=None, requires_grad=False, dtype=None, device=None) -> Tensor:
    """Uniform [0, 1) samples."""
    shape = _shape(shape, "rand", size)
    return _made(backend.rand(shape, dtype=dtype, xp=_xp(device), gen=generator), requires_grad)


def zeros(*shape, size=None, requires_grad=False, dtype=None, device=None) -> Tensor:
    shape = _shape(shape, "zeros", size)
    return _made(_xp(device).zeros(shape, dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


def ones(*shape, size=None, requires_grad=False, dtype=None, device=None) -> Tensor:
    shape = _shape(shape, "ones", size)
    return _made(_xp(device).ones(shape, dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


empty = zeros  # PyTorch leaves the memory uninitialised; zeros are the safe choice for a learner


def full(size, fill_value, *, requires_grad=False, dtype=None, device=None) -> Tensor:
    """``size`` filled with ``fill_value``, in its dtype as PyTorch infers it: bool for a bool, int64 for an int,
    float32 for a float."""
    if isinstance(fill_value, Tensor):  # a 0-d tensor: its value, in its dtype (as PyTorch)
        dtype, fill_value = dtype or fill_value.dtype, fill_value.item()
    if dtype is None:
        dtype = backend.np.bool_ if isinstance(fill_value, bool) else backend.np.int64 if isinstance(
            fill_value, (int, backend.np.integer)) else backend.DEFAULT_DTYPE
    return _made(_xp(device).full(_shape((size,), "full"), fill_value, dtype=dtype), requires_grad)


def _like(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__}")
    return x


def _like_xp(x, device):
    """The array module of ``x``'s device, or of ``device`` when one is given (``zeros_like(x, device=...)``)."""
    return backend.get_array_module(x.array) if device is None else _xp(device)


def zeros_like(x, requires_grad=False, dtype=None, device=None) -> Tensor:
    x = _like(x, "zeros_like")
    return _made(_like_xp(x, device).zeros(x.shape, dtype=dtype or x.dtype), requires_grad)


def ones_like(x, requires_grad=False, dtype=None, device=None) -> Tensor:
    x = _like(x, "ones_like")
    return _made(_like_xp(x, device).ones(x.shape, dtype=dtype or x.dtype), requires_grad)


def empty_like(x, requires_grad=False, dtype=None, device=None) -> Tensor:
    """Zeros shaped as ``x`` (PyTorch leaves the memory uninitialised; zeros are the safe choice)."""
    return zeros_like(_like(x, "empty_like"), requires_grad, dtype, device)


def full_like(x, fill_value, requires_grad=False, dtype=None, device=None) -> Tensor:
    x = _like(x, "full_like")
    return _made(_like_xp(x, device).full(x.shape, fill_value, dtype=dtype or x.dtype), requires_grad)


def randn_like(x, requires_grad=False, dtype=None, device=None) -> Tensor:
    x = _like(x, "randn_like")
    return _made(backend.randn(x.shape, dtype=dtype or x.dtype, xp=_like_xp(x, device)), requires_grad)


def rand_like(x, requires_grad=False, dtype=None, device=None) -> Tensor:
    x = _like(x, "rand_like")
    return _made(backend.rand(x.shape, dtype=dtype or x.dtype, xp=_like_xp(x, device)), requires_grad)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """Integers uniform in [low, high), int64 as in PyTorch: ``randint(high, size)``, ``randint(high, size=...)``
    (from 0), ``randint(low, high, size)``, or all by keyword."""
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None and size is not None:  # randint(high, size=...)
        low, high = 0, low
    if requires_grad:
        raise TypeError("randint: integer tensors cannot require gradients (only floating-point ones can)")
    if size is None or high is None:
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), size a tuple")
    if not low < high:
        raise ValueError(f"randint: expected low < high, got low={low}, high={high}")
    xp = _xp(device)
    out = backend.randint(low, high, _shape((size,), "randint"), xp, gen=generator)
    return Tensor._make(out.astype(dtype or backend.np.int64))


def randperm(n, *, generator=None, dtype=None, device=None) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    xp = _xp(device)
    return Tensor._make(xp.asarray(backend.stream(generator, xp).permutation(int(n)).astype(dtype or backend.np.int64)))


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """start, start+step, ... < end; int64 when every argument is an int (or an integer 0-d tensor), else float32
    (as PyTorch)."""
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    if end is None:
        start, end = 0, start
    ints = builtins.all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end, step))
    default = backend.np.int64 if ints else backend.DEFAULT_DTYPE
    if step == 0:
        raise ValueError("arange: step must not be 0")
    return _made(_xp(device).arange(start, end, step).astype(dtype or default), requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included (float32)."""
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        raise ValueError(f"linspace: steps must be a non-negative int, got {steps!r}")
    return _made(_xp(device).linspace(start, end, steps).astype(dtype or backend.DEFAULT_DTYPE), requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    return _made(_xp(device).eye(n, m, dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


def is_tensor(x) -> bool:
    return isinstance(x, Tensor)


class Size(tuple):
    """``minigan.Size([2, 3])``: a shape, as ``torch.Size``: a tuple of ints (and equal to one) with ``numel()``."""

    def __new__(cls, sizes=()):
        sizes = tuple(sizes)
        if not builtins.all(isinstance(n, (int, backend.np.integer)) and not isinstance(n, bool) for n in sizes):
            raise TypeError(f"Size: expected a sequence of ints, got {sizes!r}")
        return super().__new__(cls, (int(n) for n in sizes))

    def numel(self) -> int:
        """The number of elements of a tensor of this shape."""
        n = 1
        for size in self:
            n *= size
        return n

    def __getitem__(self, index):  # a slice of a Size is a Size, as in PyTorch: x.size()[1:].numel()
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __repr__(self):
        return f"minigan.Size({list(self)})"


class inference_mode(no_grad):
    """``with minigan.inference_mode():`` (or as a decorator): PyTorch's faster no_grad for pure inference.
    minigan has no separate inference tensors, so it is ``no_grad`` (``inference_mode(False)``: no change)."""

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)

    def __enter__(self):
        self.prev = is_grad_enabled()
        if self.mode:
            set_grad_enabled(False)
        _inference[0] += self.mode
        return self

    def __exit__(self, *exc):
        _inference[0] -= self.mode
        set_grad_enabled(self.prev)
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with inference_mode(self.mode):
                return func(*args, **kwargs)

        return wrapper


_inference = [0]  # how many inference_mode blocks are open


def is_inference_mode_enabled() -> bool:
    return _inference[0] > 0


class LegacyConstructor:
    """``FloatTensor(2, 3)`` (sizes: zeros of that shape) or ``FloatTensor(data)`` (a copy cast to the type),
    PyTorch's typed constructors; ``isinstance(x, FloatTensor)`` checks the dtype, as in PyTorch."""

    device = "cpu"  # minigan.cuda's constructors say "cuda": x.type(minigan.cuda.FloatTensor) moves x there

    def __init__(self, name):
        self.name, self.dtype = name, TYPE_NAMES[name]

    def __call__(self, *data, device=None):
        return Tensor(*data, dtype=self.dtype, device=device)

    def __instancecheck__(self, x):
        return isinstance(x, Tensor) and x.dtype == self.dtype

    def __repr__(self):
        return f"minigan.{self.name}"


FloatTensor = LegacyConstructor("FloatTensor")
DoubleTensor = LegacyConstructor("DoubleTensor")
LongTensor = LegacyConstructor("LongTensor")
IntTensor = LegacyConstructor("IntTensor")
ByteTensor = LegacyConstructor("ByteTensor")
BoolTensor = LegacyConstructor("BoolTensor")


def _with_out(fn):
    """PyTorch's ``out=`` keyword for ``fn``: the result is written into the tensor ``out``, which is returned.

    As in PyTorch: ``out`` is resized to the result's shape (with a warning when it held values), the result
    must cast to out's dtype within its kind (float into int is refused), and it is not differentiated, so
    ``out=`` is refused where the result would need a gradient.
    """
    @functools.wraps(fn)
    def with_out(*args, out=None, **kwargs):
        result = fn(*args, **kwargs)
        if out is None:
            return result
        name = fn.__name__
        if not isinstance(out, Tensor):
            raise TypeError(f"{name}: out must be a Tensor, got {type(out).__name__}")
        if result.requires_grad or (out.requires_grad and is_grad_enabled()):
            raise GraphError(f"{name}(): functions with out=... arguments don't support automatic differentiation, "
                             "but one of the arguments requires grad; drop out= (or compute under minigan.no_grad())")
        if not backend.np.can_cast(result.dtype, out.dtype, casting="same_kind"):
            raise DtypeError(f"{name}: result type {result.dtype} can't be cast to the desired output type {out.dtype}")
        if out.shape != result.shape:
            if out.numel():
                warnings.warn(f"An output with one or more elements was resized since it had shape {list(out.shape)}, "
                              f"which does not match the required output shape {list(result.shape)}.", UserWarning,
                              stacklevel=2)
            out.array = backend.get_array_module(out.array).empty(result.shape, dtype=out.dtype)
        out.array[...] = result.array
        out._counter[0] += 1  # a change in place: graphs that saved out's old values refuse to backward
        return out

    return with_out


cat, stack = _with_out(functional.cat), _with_out(functional.stack)  # torch.cat(tensors, out=y) too
maximum, minimum = _with_out(maximum), _with_out(minimum)


# ----------------------------------------------------------------------------- free forms of Tensor methods
def _t(x, fn) -> Tensor:
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__} (wrap it with minigan.tensor(...))")


@_with_out
def sum(x, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    return _t(x, "sum").sum(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)


@_with_out
def mean(x, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    return _t(x, "mean").mean(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)


def max(x, dim=None, keepdim=False):
    """``max(x)``, ``max(x, dim)`` → (values, indices), or ``max(a, b)``: the elementwise maximum."""
    return _t(x, "max").max(dim, keepdim)


def min(x, dim=None, keepdim=False):
    return _t(x, "min").min(dim, keepdim)


@_with_out
def argmax(x, dim=None, keepdim=False):
    return _t(x, "argmax").argmax(dim, keepdim)


@_with_out
def argmin(x, dim=None, keepdim=False):
    return _t(x, "argmin").argmin(dim, keepdim)


@_with_out
def logsumexp(x, dim, keepdim=False):
    return _t(x, "logsumexp").logsumexp(dim, keepdim)


def norm(x, p="fro", dim=None, keepdim=False):
    return _t(x, "norm").norm(p, dim, keepdim)


@_with_out
def abs(x):
    return _t(x, "abs").abs()


@_with_out
def exp(x):
    return _t(x, "exp").exp()


@_with_out
def log(x):
    return _t(x, "log").log()


@_with_out
def sqrt(x):
    return _t(x, "sqrt").sqrt()


@_with_out
def sign(x):
    return _t(x, "sign").sign()


@_with_out
def tanh(x):
    return _t(x, "tanh").tanh()


@_with_out
def sigmoid(x):
    return _t(x, "sigmoid").sigmoid()


def relu(x):
    return _t(x, "relu").relu()


@_with_out
def clamp(x, min=None, max=None):
    return _t(x, "clamp").clamp(min, max)


clip = clamp


def softmax(input, dim, dtype=None):
    return _t(input, "softmax").softmax(dim, dtype)


def log_softmax(input, dim, dtype=None):
    return _t(input, "log_softmax").log_softmax(dim, dtype)


@_with_out
def matmul(a, b):
    return _t(a, "matmul") @ b


mm = matmul


def reshape(x, *shape):
    return _t(x, "reshape").reshape(*shape)


def flatten(x, start_dim=0, end_dim=-1):
    return _t(x, "flatten").flatten(start_dim, end_dim)


def squeeze(x, dim=None):
    return _t(x, "squeeze").squeeze(dim)


def unsqueeze(x, dim):
    return _t(x, "unsqueeze").unsqueeze(dim)


def transpose(x, dim0, dim1):
    return _t(x, "transpose").transpose(dim0, dim1)


def permute(x, dims):
    return _t(x, "permute").permute(*dims)


def numel(x) -> int:
    return _t(x, "numel").numel()


_ONLY_CONDITION = object()  # where(condition) alone: PyTorch's nonzero(condition, as_tuple=True)


@_with_out
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
    return functional.where(cond, a, b)



# ----------------------------------------------------------------------------- elementwise math (ops/unary.py)
def _as_float(x, fn) -> Tensor:
    """The input of a function of real numbers: as in PyTorch, an integer or bool tensor is computed in float32."""
    return _t(x, fn)._as_float()


@_with_out
def sin(input):
    return U.Sin.apply(_as_float(input, "sin"))


@_with_out
def cos(input):
    return U.Cos.apply(_as_float(input, "cos"))


@_with_out
def tan(input):
    return U.Tan.apply(_as_float(input, "tan"))


@_with_out
def asin(input):
    """The inverse sine, in [−π/2, π/2]; NaN outside [−1, 1] (as PyTorch)."""
    return U.Asin.apply(_as_float(input, "asin"))


@_with_out
def acos(input):
    return U.Acos.apply(_as_float(input, "acos"))


@_with_out
def atan(input):
    return U.Atan.apply(_as_float(input, "atan"))


@_with_out
def sinh(input):
    return U.Sinh.apply(_as_float(input, "sinh"))


@_with_out
def cosh(input):
    return U.Cosh.apply(_as_float(input, "cosh"))


@_with_out
def asinh(input):
    return U.Asinh.apply(_as_float(input, "asinh"))


@_with_out
def acosh(input):
    return U.Acosh.apply(_as_float(input, "acosh"))


@_with_out
def atanh(input):
    return U.Atanh.apply(_as_float(input, "atanh"))


@_with_out
def log1p(input):
    """log(1 + x), accurate for tiny x."""
    return U.Log1p.apply(_as_float(input, "log1p"))


@_with_out
def expm1(input):
    """eˣ − 1, accurate for tiny x."""
    return U.Expm1.apply(_as_float(input, "expm1"))


@_with_out
def exp2(input):
    return U.Exp2.apply(_as_float(input, "exp2"))


@_with_out
def erf(input):
    """The error function (2/√π) ∫₀ˣ e^(−t²) dt."""
    return U.Erf.apply(_as_float(input, "erf"))


@_with_out
def erfc(input):
    """1 − erf x, accurate where erf x is near 1."""
    return U.Erfc.apply(_as_float(input, "erfc"))


@_with_out
def erfinv(input):
    """The inverse of erf on [−1, 1] (±1 give ±inf, outside is NaN)."""
    return U.Erfinv.apply(_as_float(input, "erfinv"))


def log2(input):
    return U.Log2.apply(_as_float(input, "log2"))


def log10(input):
    return U.Log10.apply(_as_float(input, "log10"))


@_with_out
def reciprocal(input):
    return U.Reciprocal.apply(_as_float(input, "reciprocal"))


@_with_out
def rsqrt(input):
    """1/√x."""
    return U.Rsqrt.apply(_as_float(input, "rsqrt"))


def _rounding(op, input, fn, **params):
    x = _t(input, fn)
    return x.clone() if not backend.is_floating(x.dtype) else op.apply(x, **params)  # integers are already whole


@_with_out
def floor(input):
    return _rounding(U.Floor, input, "floor")


@_with_out
def ceil(input):
    return _rounding(U.Ceil, input, "ceil")


@_with_out
def round(input, *, decimals=0):
    """Round half to even (2.5 → 2), as PyTorch."""
    return _rounding(U.Round, input, "round", decimals=decimals)


@_with_out
def trunc(input):
    return _rounding(U.Trunc, input, "trunc")


fix = trunc


@_with_out
def frac(input):
    return U.Frac.apply(_as_float(input, "frac"))


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


@_with_out
def atan2(input, other):
    """The angle of the point (other, input), i.e. atan(input/other) in the right quadrant, in (−π, π]."""
    return U.Atan2.apply(*_pair(input, other, "atan2"))


@_with_out
def hypot(input, other):
    """√(input² + other²)."""
    return U.Hypot.apply(*_pair(input, other, "hypot"))


# NumPy's names, which PyTorch also accepts.
arcsin, arccos, arctan, arcsinh, arccosh, arctanh, arctan2 = asin, acos, atan, asinh, acosh, atanh, atan2


# ----------------------------------------------------------------------------- free forms of operators and methods
@_with_out
def add(input, other, *, alpha=1):
    """input + alpha·other."""
    if isinstance(input, Tensor):
        return input.add(other, alpha=alpha)
    return input + _t(other, "add") * alpha if alpha != 1 else input + _t(other, "add")


@_with_out
def sub(input, other, *, alpha=1):
    """input − alpha·other."""
    if isinstance(input, Tensor):
        return input.sub(other, alpha=alpha)
    return input - _t(other, "sub") * alpha if alpha != 1 else input - _t(other, "sub")


subtract = sub


@_with_out
def mul(input, other):
    return input * other if isinstance(input, Tensor) else _t(other, "mul") * input


multiply = mul


@_with_out
def div(input, other, *, rounding_mode=None):
    """input / other; ``rounding_mode="floor"`` or ``"trunc"`` rounds the quotient (its gradient is 0)."""
    if rounding_mode not in (None, "floor", "trunc"):
        raise ValueError(f"div: rounding_mode must be None, 'floor' or 'trunc', got {rounding_mode!r}")
    if rounding_mode is None:
        return input / other if isinstance(input, Tensor) else input / _t(other, "div")
    fn = f"div(rounding_mode={rounding_mode!r})"
    return U.RoundedDiv.apply(*_integer_divisor(*_promoted(input, other, fn), fn), mode=rounding_mode)


divide = true_divide = div


@_with_out
def pow(input, exponent):
    """input ** exponent (either may be a number)."""
    return input**exponent if isinstance(input, Tensor) else input ** _t(exponent, "pow")


@_with_out
def neg(input):
    return -_t(input, "neg")


negative = neg


@_with_out
def square(input):
    x = _t(input, "square")
    return x * x


@_with_out
def std(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return _t(input, "std").std(dim, unbiased, keepdim, correction=correction)


@_with_out
def var(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return _t(input, "var").var(dim, unbiased, keepdim, correction=correction)


def t(input):
    return _t(input, "t").t()


@_with_out
def bmm(input, mat2):
    """Batched matrix product of (b, n, m) and (b, m, p) tensors."""
    if _t(input, "bmm").ndim != 3 or _t(mat2, "bmm").ndim != 3:
        raise ValueError(f"bmm: expected two 3-d tensors, got shapes {input.shape} and {mat2.shape}")
    return input @ mat2


@_with_out
def lerp(input, end, weight):
    """input + weight·(end − input)."""
    return input + weight * (end - input)


@_with_out
def addmm(input, mat1, mat2, *, beta=1, alpha=1):
    """beta·input + alpha·(mat1 @ mat2)."""
    return _t(input, "addmm") * beta + (_t(mat1, "addmm") @ mat2) * alpha


@_with_out
def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta·input + alpha·(batch1 @ batch2), batch by batch."""
    return _t(input, "baddbmm") * beta + bmm(batch1, batch2) * alpha


@_with_out
def addbmm(input, batch1, batch2, *, beta=1, alpha=1):
    """beta·input + alpha·Σ_b batch1[b] @ batch2[b]."""
    return _t(input, "addbmm") * beta + bmm(batch1, batch2).sum(0) * alpha


@_with_out
def addmv(input, mat, vec, *, beta=1, alpha=1):
    """beta·input + alpha·(mat @ vec)."""
    return _t(input, "addmv") * beta + (_t(mat, "addmv") @ vec) * alpha


@_with_out
def addr(input, vec1, vec2, *, beta=1, alpha=1):
    """beta·input + alpha·(vec1 ⊗ vec2)."""
    return _t(input, "addr") * beta + outer(vec1, vec2) * alpha


def dist(input, other, p=2):
    """The p-norm of input − other (broadcast)."""
    return (_t(input, "dist") - other).norm(p)


@_with_out
def outer(input, vec2):
    """The outer product of two vectors: out[i, j] = input[i]·vec2[j]."""
    if _t(input, "outer").ndim != 1 or _t(vec2, "outer").ndim != 1:
        raise ValueError(f"outer: expected two 1-d tensors, got shapes {input.shape} and {vec2.shape}")
    return input.reshape(-1, 1) * vec2.reshape(1, -1)


ger = outer


@_with_out
def dot(input, other):
    """The dot product of two 1-d tensors."""
    if _t(input, "dot").ndim != 1 or _t(other, "dot").ndim != 1:
        raise ValueError(f"dot: expected two 1-d tensors, got shapes {input.shape} and {other.shape}")
    return input @ other


def clone(input):
    return _t(input, "clone").clone()


def detach(input):
    return _t(input, "detach").detach()


def chunk(input, chunks, dim=0):
    """Split into ``chunks`` pieces along ``dim`` (the last may be smaller), as views in the graph."""
    x = _t(input, "chunk")
    if isinstance(chunks, bool) or not isinstance(chunks, int) or chunks < 1:
        raise ValueError(f"chunk: chunks must be a positive int, got {chunks!r}")
    n = x.shape[dim]
    return split(x, -(-n // chunks) if n else 1, dim)


def split(tensor, split_size_or_sections, dim=0):
    """Pieces of ``split_size`` along ``dim`` (the last may be smaller), or of the listed sizes."""
    x = _t(tensor, "split")
    dim = dim % x.ndim if x.ndim else 0
    n = x.shape[dim]
    if isinstance(split_size_or_sections, int):
        size = split_size_or_sections
        if size < 1:
            raise ValueError(f"split: split_size must be a positive int, got {size}")
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


def _several_views(pieces) -> tuple:
    """The views that split, chunk and unbind return, marked as PyTorch marks them: none may be changed in place while
    gradients are recorded (the node that made them could not take the change).  tensor_split's (and hsplit's) may:
    PyTorch makes those by slicing."""
    for piece in pieces:
        piece._multi_output = piece._base is not None
    return tuple(pieces)


def narrow(input, dim, start, length):
    """The slice start:start+length along ``dim`` (a negative start counts from the end, as in PyTorch)."""
    x = _t(input, "narrow")
    d = checks.normalize_axis(dim, x.ndim, "narrow", single=True)
    size = x.shape[d]
    begin = int(start) + size if int(start) < 0 else int(start)
    if not 0 <= begin <= size or length < 0 or begin + length > size:
        raise ShapeError(f"narrow: start ({start}) + length ({length}) exceeds dimension size ({size}) of dim {d}; "
                         f"expected -{size} <= start <= {size} and 0 <= length <= size - start")
    return x[(slice(None),) * d + (slice(begin, begin + length),)]


# ----------------------------------------------------------------------------- comparisons and tests (no gradient)
def _array_of(x, like):
    return like._operand(x, "compare").array


@_with_out
def eq(input, other):
    return _t(input, "eq").eq(other)


@_with_out
def ne(input, other):
    return _t(input, "ne").ne(other)


@_with_out
def gt(input, other):
    return _t(input, "gt") > other


@_with_out
def ge(input, other):
    return _t(input, "ge") >= other


@_with_out
def lt(input, other):
    return _t(input, "lt") < other


@_with_out
def le(input, other):
    return _t(input, "le") <= other


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne


def _test(fn, input, name):
    x = _t(input, name)
    return Tensor._make(getattr(backend.get_array_module(x.array), fn)(x.array))


def isnan(input):
    return _test("isnan", input, "isnan")


def isinf(input):
    return _test("isinf", input, "isinf")


def isfinite(input):
    return _test("isfinite", input, "isfinite")


@_with_out
def logical_not(input):
    return _test("logical_not", input, "logical_not")


def _logical(fn, input, other, name):
    x = _t(input, name)
    return Tensor._make(getattr(backend.get_array_module(x.array), fn)(x.array, _array_of(other, x)))


@_with_out
def logical_and(input, other):
    return _logical("logical_and", input, other, "logical_and")


@_with_out
def logical_or(input, other):
    return _logical("logical_or", input, other, "logical_or")


def logical_xor(input, other):
    return _logical("logical_xor", input, other, "logical_xor")


def _bitwise(fn, input, other, name, reflected=False):
    """An op on the bits of integer or bool tensors, in PyTorch's promoted dtype (bool & bool is bool); not
    differentiable, so the result is a plain tensor."""
    x = _t(input, name)
    kinds = [x.dtype, other.dtype if isinstance(other, Tensor) else backend.np.asarray(other).dtype]
    if builtins.any(k.kind not in "biu" for k in kinds):
        raise TypeError(f"{name}: needs integer or bool operands, got {kinds[0]} and {kinds[1]} (PyTorch refuses "
                        "floating ones too)")
    a, b = x._pair(other, name, reflected)
    return Tensor._make(getattr(backend.get_array_module(a.array), fn)(a.array, b.array))


@_with_out
def bitwise_and(input, other):
    return _bitwise("bitwise_and", input, other, "bitwise_and")


@_with_out
def bitwise_or(input, other):
    return _bitwise("bitwise_or", input, other, "bitwise_or")


@_with_out
def bitwise_xor(input, other):
    return _bitwise("bitwise_xor", input, other, "bitwise_xor")


@_with_out
def bitwise_left_shift(input, other):
    return _bitwise("left_shift", input, other, "bitwise_left_shift")


@_with_out
def bitwise_right_shift(input, other):
    return _bitwise("right_shift", input, other, "bitwise_right_shift")


@_with_out
def bitwise_not(input):
    """~x: every bit flipped (a bool tensor's logical not)."""
    x = _t(input, "bitwise_not")
    if x.dtype.kind not in "biu":
        raise TypeError(f"bitwise_not: needs an integer or bool tensor, got {x.dtype} (PyTorch refuses floating "
                        "ones too)")
    return Tensor._make(backend.get_array_module(x.array).invert(x.array))


@_with_out
def all(input, dim=None, keepdim=False):
    """True where every element (along ``dim``) is nonzero: a bool tensor (uint8 for uint8, as PyTorch's)."""
    return _test_all_any("all", input, dim, keepdim)


@_with_out
def any(input, dim=None, keepdim=False):
    """True where some element (along ``dim``) is nonzero."""
    return _test_all_any("any", input, dim, keepdim)


def _test_all_any(fn, input, dim, keepdim):
    x = _t(input, fn)
    axis = None if dim is None else checks.normalize_axis(dim, builtins.max(x.ndim, 1), fn)
    xp = backend.get_array_module(x.array)
    out = xp.asarray(getattr(x.array, fn)(axis=axis if x.ndim else None, keepdims=keepdim and x.ndim > 0))
    return Tensor._make(out.astype(xp.uint8) if x.dtype == backend.np.uint8 else out)


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    x = _t(input, "isclose")
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
    return Tensor._make(xp.asarray(xp.count_nonzero(x.array, axis=dim)).astype(backend.np.int64))


def masked_fill(input, mask, value):
    """``value`` where ``mask`` holds, else input (the gradient flows to input elsewhere), in input's dtype: the
    value is cast to it, as in PyTorch (an integer tensor filled with 2.7 holds 2)."""
    x = _t(input, "masked_fill")
    if isinstance(value, Tensor):
        value = value.to(x.dtype)
    elif isinstance(value, (bool, int, float)) or backend.is_numpy_scalar(value):
        value = Tensor._make(backend.get_array_module(x.array).asarray(value).astype(x.dtype))
    return where(mask, value, x)


# ----------------------------------------------------------------------------- more free functions, composed
e, pi, inf, nan = math.e, math.pi, math.inf, math.nan
newaxis = None  # x[:, minigan.newaxis] adds a dimension, as x[:, None]


def absolute(input):
    return abs(input)


def positive(input):
    """The input itself (``+x``)."""
    return _t(input, "positive").positive()


@_with_out
def amax(input, dim=(), keepdim=False):
    """The maximum over ``dim`` (all dimensions when empty); ties share the gradient evenly, as PyTorch's amax."""
    return _amax(_t(input, "amax"), dim, keepdim, "amax")


@_with_out
def amin(input, dim=(), keepdim=False):
    return -_amax(-_t(input, "amin"), dim, keepdim, "amin")


def _amax(x, dim, keepdim, fn):  # (PyTorch's amax backward multiplies by the mask of the maxima: see ops/reduce.py)
    checks.check_nonempty(x.array, fn)
    axis = checks.normalize_axis(dim if dim != () else None, x.ndim, fn)
    return R.Max.apply(x, axis=axis, keepdims=builtins.bool(keepdim), amax=True)


def clamp_min(input, min):
    return _t(input, "clamp_min").clamp(min=min)


def clamp_max(input, max):
    return _t(input, "clamp_max").clamp(max=max)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """A Tensor of ``data``: a Tensor of that dtype and device is returned as is; a NumPy array of a supported dtype
    shares its memory (as ``from_numpy``) when no conversion is asked; anything else is copied."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if backend.is_array(data) and dtype is None and device in (None, backend.device_of(data)) \
            and data.dtype.kind in "biuf":
        return Tensor._make(data)
    return tensor(data, dtype=dtype, device=device)


asarray = as_tensor


def scalar_tensor(s, dtype=None, device=None) -> Tensor:
    """A 0-d tensor holding the number ``s`` (float32 by default, as PyTorch)."""
    return tensor(float(s), dtype=dtype or backend.DEFAULT_DTYPE, device=device)


def broadcast_to(input, size):
    return _t(input, "broadcast_to").expand(*size)


def is_floating_point(input) -> builtins.bool:
    return _t(input, "is_floating_point").is_floating_point()


def is_nonzero(input) -> builtins.bool:
    """The truth of a one-element tensor (an error for any other)."""
    return builtins.bool(_t(input, "is_nonzero"))


def is_same_size(input, other) -> builtins.bool:
    return _t(input, "is_same_size").shape == _t(other, "is_same_size").shape


@_with_out
def floor_divide(input, other):
    """⌊input / other⌋ (rounding toward −∞, as PyTorch today); like PyTorch's, it is not differentiated."""
    return div(input, other, rounding_mode="floor").detach()


@_with_out
def remainder(input, other):
    """input − other·⌊input / other⌋: the sign of ``other``, as Python's %; d/d other = −⌊input / other⌋."""
    return U.Remainder.apply(*_integer_divisor(*_promoted(input, other, "remainder"), "remainder"))


@_with_out
def fmod(input, other):
    """input − other·trunc(input / other): the sign of ``input``, as C's fmod; d/d other = −trunc(input / other)."""
    return U.Fmod.apply(*_integer_divisor(*_promoted(input, other, "fmod"), "fmod"))


def rsub(input, other, *, alpha=1):
    """other − alpha·input."""
    return other - _t(input, "rsub") * alpha


@_with_out
def mv(input, vec):
    """Matrix (n, m) times vector (m,)."""
    if _t(input, "mv").ndim != 2 or _t(vec, "mv").ndim != 1:
        raise ValueError(f"mv: expected a 2-d and a 1-d tensor, got shapes {input.shape} and {vec.shape}")
    return input @ vec


@_with_out
def inner(input, other):
    """Σ_k input[..., k]·other[..., k] for every pair of leading indices: shape input.shape[:-1] + other.shape[:-1]."""
    x, y = _t(input, "inner"), _t(other, "inner")
    if x.ndim == 0 or y.ndim == 0:
        return x * y
    products = x.reshape(*x.shape[:-1], *[1] * (y.ndim - 1), x.shape[-1]) * y
    return products.sum(-1, dtype=products.dtype)  # in the operands' dtype, as a product (int32 stays int32)


vdot = dot


@_with_out
def addcmul(input, tensor1, tensor2, *, value=1):
    """input + value·tensor1·tensor2."""
    return _t(input, "addcmul") + tensor1 * tensor2 * value


@_with_out
def addcdiv(input, tensor1, tensor2, *, value=1):
    """input + value·tensor1/tensor2."""
    return _t(input, "addcdiv") + tensor1 / tensor2 * value


@_with_out
def logaddexp(input, other):
    """log(eᵃ + eᵇ), computed as m + log(e^(a−m) + e^(b−m)) with m = max(a, b) (no overflow)."""
    a, b = _pair(input, other, "logaddexp")
    m = maximum(a, b).detach()  # any m gives the same value; a constant m keeps the gradient simple
    return m + ((a - m).exp() + (b - m).exp()).log()


@_with_out
def xlogy(input, other):
    """input·log(other), and 0 where input = 0 unless other is NaN (as PyTorch)."""
    return U.XLogY.apply(*_pair(input, other, "xlogy"))


@_with_out
def logit(input, eps=None):
    """log(p / (1 − p)), p clamped to [eps, 1 − eps] when eps is given."""
    p = _as_float(input, "logit")
    if eps is not None:
        p = p.clamp(eps, 1 - eps)
    return U.Logit.apply(p)


@_with_out
def deg2rad(input):
    return _as_float(input, "deg2rad") * (math.pi / 180)


def rad2deg(input):
    return _as_float(input, "rad2deg") * (180 / math.pi)


@_with_out
def concat(tensors, dim=0):
    """``cat`` under its other names."""
    return cat(tensors, dim)


concatenate = concat


@_with_out
def hstack(tensors):
    """Concatenate along dimension 1 (along 0 for 1-d tensors), as numpy.hstack."""
    tensors = list(tensors)
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


@_with_out
def vstack(tensors):
    """Stack rows: 1-d tensors become rows of a matrix, others concatenate along dimension 0."""
    return cat([t.reshape(1, -1) if t.ndim == 1 else t for t in tensors], 0)


row_stack = vstack


def swapaxes(input, axis0, axis1):
    return _t(input, "swapaxes").transpose(axis0, axis1)


swapdims = swapaxes


def movedim(input, source, destination):
    """Move dimension(s) ``source`` to position(s) ``destination``, keeping the others in order."""
    x = _t(input, "movedim")
    src = [d % x.ndim for d in ((source,) if isinstance(source, int) else source)]
    dst = [d % x.ndim for d in ((destination,) if isinstance(destination, int) else destination)]
    rest = iter(d for d in range(x.ndim) if d not in src)
    order = [None] * x.ndim
    for s_, d_ in zip(src, dst):
        order[d_] = s_
    return x.permute(*[o if o is not None else next(rest) for o in order])


moveaxis = movedim


def ravel(input):
    return _t(input, "ravel").reshape(-1)


def unbind(input, dim=0):
    """The slices along ``dim``, as a tuple (each in the graph)."""
    x = _t(input, "unbind")
    return _several_views([x[(slice(None),) * (dim % x.ndim) + (i,)] for i in range(x.shape[dim])])


def repeat_interleave(input, repeats=None, dim=None):
    """Each entry repeated ``repeats`` times in place (an int, or one count per entry along ``dim``); flattened when
    dim is None.  ``repeat_interleave(counts)`` alone: each index i repeated counts[i] times."""
    x = _t(input, "repeat_interleave")
    xp = backend.get_array_module(x.array)
    if repeats is None:  # the indices form
        return Tensor._make(xp.repeat(xp.arange(x.shape[0]), x.array).astype(xp.int64))
    if dim is None:
        x, d = x.reshape(-1), 0
    else:
        d = checks.normalize_axis(dim, x.ndim, "repeat_interleave", single=True)
    counts = repeats.array if isinstance(repeats, Tensor) else repeats
    if builtins.bool(xp.any(xp.asarray(counts) < 0)):
        raise ValueError("repeat_interleave: repeats must be >= 0")
    rows = xp.repeat(xp.arange(x.shape[d]), counts)  # the source index of each output entry
    return x[(slice(None),) * d + (rows,)]


def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape (views: no copy), as PyTorch's."""
    xs = [_t(t, "broadcast_tensors") for t in tensors]
    shape = backend.broadcast_shapes(*[tuple(x.shape) for x in xs])
    return tuple(x.expand(*shape) for x in xs)


def _tensors(tensors, fn):
    """f(a, b) or f([a, b]): the tensors given."""
    items = tensors[0] if builtins.len(tensors) == 1 and isinstance(tensors[0], (list, tuple)) else tensors
    return [_t(t, fn) for t in items]


def _one_or_tuple(out):
    return out[0] if builtins.len(out) == 1 else tuple(out)


def atleast_1d(*tensors):
    """Each tensor with at least one dimension: a 0-d one becomes (1,)."""
    return _one_or_tuple([t.reshape(1) if t.ndim == 0 else t for t in _tensors(tensors, "atleast_1d")])


def atleast_2d(*tensors):
    """Each tensor with at least two dimensions: (n,) becomes (1, n)."""
    return _one_or_tuple([t.reshape(1, -1) if t.ndim < 2 else t for t in _tensors(tensors, "atleast_2d")])


def _at_least_3d(t):
    return t.reshape(1, -1, 1) if t.ndim < 2 else t.unsqueeze(-1) if t.ndim == 2 else t


def atleast_3d(*tensors):
    """Each tensor with at least three dimensions: (n,) becomes (1, n, 1) and (m, n) becomes (m, n, 1)."""
    return _one_or_tuple([_at_least_3d(t) for t in _tensors(tensors, "atleast_3d")])


@_with_out
def column_stack(tensors):
    """1-D tensors as columns, 2-D ones as they are, side by side."""
    return cat([t.reshape(-1, 1) if t.ndim <= 1 else t for t in _tensors((tensors,), "column_stack")], 1)


@_with_out
def dstack(tensors):
    """Concatenate along the third dimension, each made at least 3-D first."""
    return cat([_at_least_3d(t) for t in _tensors((tensors,), "dstack")], 2)


def hsplit(input, indices_or_sections):
    """tensor_split along dimension 1 (0 for a 1-D tensor)."""
    x = _t(input, "hsplit")
    return tensor_split(x, indices_or_sections, 1 if x.ndim > 1 else 0)


def vsplit(input, indices_or_sections):
    """tensor_split along dimension 0."""
    return tensor_split(input, indices_or_sections, 0)


def dsplit(input, indices_or_sections):
    """tensor_split along dimension 2."""
    return tensor_split(input, indices_or_sections, 2)


def unflatten(input, dim, sizes):
    """Axis ``dim`` split into ``sizes`` (one may be -1)."""
    return _t(input, "unflatten").unflatten(dim, sizes)


def rot90(input, k=1, dims=(0, 1)):
    """Rotated by 90° k times in the plane of ``dims``, from the first towards the second (flips and a transpose)."""
    x = _t(input, "rot90")
    a, b = (checks.normalize_axis(d, x.ndim, "rot90", single=True) for d in dims)
    if a == b:
        raise ValueError(f"rot90: dims must be two different axes, got {tuple(dims)}")
    k %= 4
    if k == 0:
        return x.clone()
    if k == 2:
        return flip(x, (a, b))
    return flip(x, b).transpose(a, b) if k == 1 else flip(x.transpose(a, b), b)


def tensor_split(input, indices_or_sections, dim=0):
    """Views split along ``dim``: into n nearly equal parts (the first ones one longer), or at the given indices."""
    x = _t(input, "tensor_split")
    d = checks.normalize_axis(dim, x.ndim, "tensor_split", single=True)
    n = x.shape[d]
    if isinstance(indices_or_sections, int):
        parts = indices_or_sections
        if parts < 1:
            raise ValueError(f"tensor_split: the number of sections must be >= 1, got {parts}")
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
    dims = {d % x.ndim for d in ((dims,) if isinstance(dims, int) else dims)}
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
    if not builtins.all(isinstance(d, int) and d >= 0 for d in dims):
        raise ValueError(f"tile: dims must be non-negative ints, got {dims}")
    dims = (1,) * (x.ndim - len(dims)) + dims
    x = x.reshape(*(1,) * (len(dims) - x.ndim), *x.shape)
    interleaved = [n for pair in zip([1] * x.ndim, x.shape) for n in pair]  # (1, s0, 1, s1, ...)
    copies = [n for pair in zip(dims, x.shape) for n in pair]             # (d0, s0, d1, s1, ...)
    out = x.reshape(*interleaved).expand(*copies).reshape(*[d * n for d, n in zip(dims, x.shape)])
    return out.clone() if out._base is not None else out  # a copy always, as PyTorch's: never a view of the input


def _triangle(x, diagonal, lower, fn):
    x = _t(x, fn)
    xp = backend.get_array_module(x.array)
    n, m = x.shape[-2:]
    keep = xp.tri(n, m, diagonal, dtype=builtins.bool)  # on and below the diagonal-th diagonal
    return where(keep if lower else ~xp.tri(n, m, diagonal - 1, dtype=builtins.bool), x, x.new_zeros(()))  # x's dtype


@_with_out
def tril(input, diagonal=0):
    """The lower triangle (on and below the ``diagonal``-th diagonal) of the last two dimensions; zeros elsewhere."""
    return _triangle(input, diagonal, True, "tril")


@_with_out
def triu(input, diagonal=0):
    return _triangle(input, diagonal, False, "triu")


_deterministic = {"mode": False, "warn_only": False}


def use_deterministic_algorithms(mode: builtins.bool, *, warn_only: builtins.bool = False) -> None:
    """Accepted, as a switch programs set for reproducibility.  minigan's ops on the CPU are deterministic
    already (a seed gives the same numbers every run); on a GPU the scatter-add behind the gradient of indexing
    stays an atomic (order-dependent) sum, which PyTorch would refuse in this mode."""
    if not isinstance(mode, builtins.bool) or not isinstance(warn_only, builtins.bool):
        raise TypeError(f"use_deterministic_algorithms: mode and warn_only must be True or False, got {mode!r}, "
                        f"{warn_only!r}")
    _deterministic.update(mode=mode, warn_only=warn_only)


def are_deterministic_algorithms_enabled() -> builtins.bool:
    return _deterministic["mode"]


def is_deterministic_algorithms_warn_only_enabled() -> builtins.bool:
    return _deterministic["warn_only"]


def is_anomaly_enabled() -> builtins.bool:
    """Inside ``minigan.detect_anomaly()``?"""
    return _is_anomaly_enabled()


def typename(obj) -> str:
    """'minigan.FloatTensor' for a float32 tensor (as x.type()), else the Python type's name."""
    return obj.type() if isinstance(obj, Tensor) else type(obj).__name__

# ----------------------------------------------------------------------------- gathering, sorting and running sums
# Each reads the input at computed indices, x[index]: its gradient goes back to where each value was read (summed
# over repeats), through indexing's own backward.  Only the indices (argsort) are computed without a gradient.
SortResult = namedtuple("sort", ["values", "indices"])  # as torch.return_types.sort / topk
TopkResult = namedtuple("topk", ["values", "indices"])
KthvalueResult = namedtuple("kthvalue", ["values", "indices"])
MedianResult = namedtuple("median", ["values", "indices"])
CummaxResult = namedtuple("cummax", ["values", "indices"])
CumminResult = namedtuple("cummin", ["values", "indices"])
AminmaxResult = namedtuple("aminmax", ["min", "max"])


def _indices(index, fn, name, like):
    """An integer index as an array on ``like``'s device (PyTorch's int64 index tensors; a list or array too)."""
    array = index.array if isinstance(index, Tensor) else tensor(index, device=like.device).array
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


@_with_out
def gather(input, dim, index):
    """out[i][j] = input[index[i][j]][j] for dim 0, input[i][index[i][j]] for dim 1 (and so on): ``input`` read
    along ``dim`` at ``index``."""
    x = _t(input, "gather")
    out = x[_along_place(x, dim, index, "gather")[1]]
    zero_d = index.ndim == 0 if hasattr(index, "ndim") else backend.np.ndim(index) == 0
    return out.reshape(()) if zero_d else out  # the index's shape (a 0-d index reads one entry)


def _source(src, value, idx, fn, like):
    """What scatter writes: src's entries at the index's positions (its leading block), or the number value."""
    if (src is None) == (value is None):
        raise TypeError(f"{fn}: give src (a tensor) or value (a number), one of them")
    if src is None:
        return value
    src = _t(src, fn)
    src = src.reshape(1) if src.ndim == 0 and idx.shape == (1,) else src
    if src.ndim != idx.ndim or builtins.any(i > n for i, n in zip(idx.shape, src.shape)):
        raise ShapeError(f"{fn}: src of shape {tuple(src.shape)} must be at least as large as index "
                         f"{tuple(idx.shape)} in every dimension")
    return src[tuple(slice(n) for n in idx.shape)].to(like.dtype)


def scatter(input, dim, index, src=None, *, value=None):
    """input with src's values (or ``value``) written where ``index`` points along ``dim``: out[index[i][j]][j] =
    src[i][j] for dim 0.  gather's inverse; ``zeros(n, k).scatter(1, labels[:, None], 1.0)`` is a one-hot code."""
    x = _t(input, "scatter")
    if isinstance(src, (int, float)) and value is None:  # scatter(dim, index, 1.0): PyTorch's value overload
        src, value = None, src
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


@_with_out
def index_select(input, dim, index):
    """The entries of ``input`` at the 1-D ``index`` along ``dim`` (repeats allowed)."""
    x = _t(input, "index_select")
    return x[_index_place(x, dim, index, "index_select")[0]]


@_with_out
def nonzero(input, *, as_tuple=False):
    """The indices of the non-zero entries, in row-major order: an (n, ndim) int64 tensor, or with ``as_tuple`` one
    1-D tensor per dimension (what x[...] takes).  No gradient: indices are integers."""
    x = _t(input, "nonzero")
    a = x.array.reshape(1) if x.ndim == 0 else x.array
    found = backend.get_array_module(a).nonzero(a)
    if as_tuple:
        return tuple(Tensor._make(i.astype(backend.np.int64)) for i in found)
    stacked = backend.get_array_module(a).stack(found, axis=1).astype(backend.np.int64)
    return Tensor._make(stacked if x.ndim else stacked[:, :0])


def argwhere(input):
    """nonzero(input): the (n, ndim) indices of the non-zero entries."""
    return nonzero(input)


@_with_out
def masked_select(input, mask):
    """The entries of ``input`` where ``mask`` (broadcast to input's shape) holds, as a 1-D tensor; the gradient
    goes back to them (it is ``input[mask]``)."""
    x = _t(input, "masked_select")
    m = mask.array if isinstance(mask, Tensor) else mask
    if not backend.is_array(m) or m.dtype != backend.np.bool_:
        raise TypeError("masked_select: mask must be a bool tensor (e.g. x > 0)")
    shape = backend.broadcast_shapes(tuple(x.shape), tuple(m.shape))
    return x.expand(*shape)[backend.get_array_module(m).broadcast_to(m, shape)]


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
            raise TypeError(f"{fn}: indices must be integer or bool tensors, got {a.dtype}")
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


@_with_out
def take_along_dim(input, indices, dim=None):
    """input read along ``dim`` at ``indices`` (broadcast against input elsewhere), as gather does; without
    dim, as take of the flattened input."""
    x = _t(input, "take_along_dim")
    if dim is None:
        return take(x, _t(indices, "take_along_dim").reshape(-1))
    idx = _t(indices, "take_along_dim")
    d = checks.normalize_axis(dim, x.ndim, "take_along_dim", single=True)
    shape = list(backend.broadcast_shapes(tuple(x.shape[:d]) + (1,) + tuple(x.shape[d + 1:]),
                                          tuple(idx.shape[:d]) + (1,) + tuple(idx.shape[d + 1:])))
    x_shape, idx_shape = list(shape), list(shape)
    x_shape[d], idx_shape[d] = x.shape[d], idx.shape[d]
    return gather(x.expand(*x_shape), d, idx.expand(*idx_shape))


def index_copy(input, dim, index, source):
    """input with source's slices written at ``index`` along ``dim``."""
    x = _t(input, "index_copy")
    place, _ = _index_place(x, dim, index, "index_copy")
    out = x.clone()
    out[place] = _t(source, "index_copy").to(x.dtype)
    return out


def index_fill(input, dim, index, value):
    """input with the slices at ``index`` along ``dim`` set to ``value``."""
    x = _t(input, "index_fill")
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
    return Tensor._make(order.reshape(x.shape).astype(xp.int64))


def sort(input, dim=-1, descending=False, stable=False):
    """(values, indices): ``input`` sorted along ``dim`` (argsort's order); the gradient flows to the values."""
    x = _t(input, "sort")
    indices = argsort(x, dim, descending)
    if x.ndim == 0:
        return SortResult(x.clone(), indices)
    return SortResult(x[_along(indices.array, checks.normalize_axis(dim, x.ndim, "sort", single=True))], indices)


def topk(input, k, dim=-1, largest=True, sorted=True):
    """(values, indices) of the ``k`` largest (or smallest) entries along ``dim``, in sorted order."""
    x = _t(input, "topk")
    if x.ndim == 0:  # a 0-d tensor is its own top entry (PyTorch allows k = 0 or 1 and returns it)
        values, indices = topk(x.reshape(1), builtins.min(k, 1) if isinstance(k, int) else k, 0, largest)
        return TopkResult(values.reshape(()), indices.reshape(()))
    d = checks.normalize_axis(dim, x.ndim, "topk", single=True)
    if isinstance(k, builtins.bool) or not isinstance(k, int) or not 0 <= k <= x.shape[d]:
        raise ShapeError(f"topk: k must be an integer from 0 to {x.shape[d]} (the size of dim {d}), got {k!r}")
    picked = argsort(x, d, descending=largest).array[(slice(None),) * d + (slice(0, k),)]
    return TopkResult(x[_along(picked, d)], Tensor._make(picked))


def kthvalue(input, k, dim=-1, keepdim=False):
    """(values, indices): the k-th smallest entry along ``dim`` (k from 1; NaN counts as the largest), read from
    ``input`` so that the gradient flows to that entry."""
    x = _t(input, "kthvalue")
    flat = x.reshape(1) if x.ndim == 0 else x
    d = checks.normalize_axis(dim, flat.ndim, "kthvalue", single=True)
    if isinstance(k, builtins.bool) or not isinstance(k, int) or not 1 <= k <= flat.shape[d]:
        raise ValueError(f"kthvalue: k must be an integer from 1 to {flat.shape[d]} (the size of dim {d}), got {k!r}")
    picked = argsort(flat, d).array[(slice(None),) * d + (slice(k - 1, k),)]  # (its dim kept, of size 1)
    return KthvalueResult(*_read_along(x, flat, d, picked, keepdim))


def _read_along(x, flat, d, index, keepdim):
    """(flat's entries at ``index`` along ``d``, the index): read from the input, so the gradient flows to them;
    index keeps d (size 1), dropped unless keepdim, and both 0-d for a 0-d x."""
    values, indices = flat[_along(index, d)], Tensor._make(index)
    if x.ndim == 0:
        return values.reshape(()), indices.reshape(())
    return (values, indices) if keepdim else (values.squeeze(d), indices.squeeze(d))


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
        return m + ((where(Tensor._make(ties), x, m) - m) * share).sum()  # m itself; d/dx = ties / their count
    flat = x.reshape(1) if x.ndim == 0 else x
    d = checks.normalize_axis(dim, flat.ndim, "median", single=True)
    a = flat.array
    index = argsort(flat, d).array[(slice(None),) * d + (slice((a.shape[d] - 1) // 2, (a.shape[d] + 1) // 2),)]
    if a.dtype.kind == "f":  # NaN propagates: a row holding one gives its first NaN
        nan = a != a
        index = backend.get_array_module(a).where(nan.any(d, keepdims=True), nan.argmax(d, keepdims=True), index)
    return MedianResult(*_read_along(x, flat, d, index, keepdim))


@_with_out
def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear"):
    """The q-quantiles (q in [0, 1], a number or a 1-D tensor) of all entries, or along ``dim``: the sorted values
    at position q·(n − 1), between neighbours by ``interpolation`` (linear, lower, higher, nearest, midpoint), as
    PyTorch's; a row holding NaN gives NaN.  A 1-D q puts its axis first."""
    x = _t(input, "quantile")
    ndim = x.ndim
    if x.dtype.kind != "f":
        raise TypeError(f"quantile: input must be floating point, got {x.dtype}")
    if interpolation not in ("linear", "lower", "higher", "nearest", "midpoint"):
        raise ValueError(f"quantile: interpolation must be linear, lower, higher, nearest or midpoint, got "
                         f"{interpolation!r}")
    xp = backend.get_array_module(x.array)
    qs = q.array if isinstance(q, Tensor) else xp.asarray(q, dtype=x.dtype)
    if qs.ndim > 1 or qs.size and (float(qs.min()) < 0 or float(qs.max()) > 1):
        raise ValueError(f"quantile: q must be a number or a 1-D tensor of numbers in [0, 1], got {q!r}")
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
    return out


def nansum(input, dim=None, keepdim=False, *, dtype=None):
    """The sum with NaN counted as 0 (their gradient is 0)."""
    x = _t(input, "nansum")
    x = x if dtype is None else x.to(dtype)
    clean = where(x.array != x.array, 0.0, x) if x.dtype.kind == "f" else x
    return clean.sum() if dim is None else clean.sum(dim, keepdim=keepdim)


@_with_out
def nanmean(input, dim=None, keepdim=False, *, dtype=None):
    """The mean of the entries that are not NaN (NaN where there are none)."""
    x = _t(input, "nanmean")
    x = x if dtype is None else x.to(dtype)
    if x.dtype.kind != "f":
        raise TypeError(f"nanmean: input must be floating point, got {x.dtype}")
    count = Tensor._make((x.array == x.array).astype(x.dtype))
    total = nansum(x, dim, keepdim)
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
    index = xp.maximum.accumulate(xp.where(hit, position, 0), axis=d)
    return x[_along(index, d)], Tensor._make(index.astype(xp.int64))


def cummax(input, dim):
    """(values, indices): the running maximum along ``dim``."""
    return CummaxResult(*_running_extreme(input, dim, "cummax", "maximum"))


def cummin(input, dim):
    """(values, indices): the running minimum along ``dim``."""
    return CumminResult(*_running_extreme(input, dim, "cummin", "minimum"))


@_with_out
def logcumsumexp(input, dim):
    """log Σ_{j ≤ i} exp(x_j) along ``dim``, without overflow: a log-step scan of logaddexp (differentiable)."""
    x = _t(input, "logcumsumexp")
    if x.dtype.kind != "f":
        raise TypeError(f"logcumsumexp: input must be floating point, got {x.dtype}")
    if x.ndim == 0:
        return x.clone()
    d = checks.normalize_axis(dim, x.ndim, "logcumsumexp", single=True)
    n, step = x.shape[d], 1
    while step < n:
        x = functional.cat([x.narrow(d, 0, step), logaddexp(x.narrow(d, step, n - step), x.narrow(d, 0, n - step))],
                           dim=d)
        step *= 2
    return x


def bincount(input, weights=None, minlength=0):
    """How often each of 0, 1, 2, … occurs in the 1-D non-negative integers ``input`` (summing ``weights``
    instead of counting, when given: float weights keep their dtype, integer ones give float64, as PyTorch's).
    A count has no gradient."""
    x = _t(input, "bincount")
    if x.ndim != 1 or x.dtype.kind not in "iu" or (x.numel() and builtins.int(x.array.min()) < 0):
        raise ValueError(f"bincount: input must be 1-d non-negative integers, got {x.dtype} of shape {x.shape}")
    xp = backend.get_array_module(x.array)
    if weights is None:
        return Tensor._make(xp.bincount(x.array, minlength=minlength).astype(xp.int64))
    w = _t(weights, "bincount").detach()
    dtype = w.dtype if w.dtype.kind == "f" else backend.np.float64
    return Tensor._make(xp.bincount(x.array, weights=w.array, minlength=minlength).astype(dtype))


@_with_out
def histc(input, bins=100, min=0, max=0):
    """A histogram of ``bins`` equal-width bins over [min, max] (the data's own range when both are 0); values
    outside are left out, the last bin holds max.  No gradient."""
    x = _t(input, "histc")
    if x.dtype.kind != "f":
        raise TypeError(f"histc: input must be floating point, got {x.dtype}")
    xp = backend.get_array_module(x.array)
    low, high = (builtins.float(x.array.min()), builtins.float(x.array.max())) if min == max == 0 and x.numel() \
        else (builtins.float(min), builtins.float(max))
    if high == low:  # (one value: a bin one unit wide around it, as PyTorch's)
        low, high = low - 1, high + 1
    counts, _ = xp.histogram(x.array, bins=bins, range=(low, high))
    return Tensor._make(counts.astype(x.dtype))


def aminmax(input, *, dim=None, keepdim=False):
    """(min, max) of all entries or along ``dim``."""
    x = _t(input, "aminmax")
    d = () if dim is None else dim
    return AminmaxResult(amin(x, d, keepdim), amax(x, d, keepdim))


@_with_out
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


@_with_out
def prod(input, dim=None, keepdim=False, *, dtype=None):
    """The product of the elements (along ``dim``): a tree of pairwise products, log₂ n rounds of ``*``, so the
    gradient is the chain rule through those products: exact where some factors are 0, and to any order."""
    x = given = _as_product_dtype(_t(input, "prod"), dtype)
    if dim is None:
        x, d = x.reshape(-1), 0
    else:
        d = checks.normalize_axis(dim, builtins.max(x.ndim, 1), "prod", single=True)
        if x.ndim == 0:
            return x.clone()
    while x.shape[d] > 1:
        if x.shape[d] % 2:  # an odd count: a factor of 1 pairs with the last
            x = functional.cat([x, x.new_ones(x.shape[:d] + (1,) + x.shape[d + 1:])], dim=d)
        x = x.narrow(d, 0, x.shape[d] // 2) * x.narrow(d, x.shape[d] // 2, x.shape[d] // 2)
    if x.shape[d] == 0:  # the empty product
        x = x.new_ones(x.shape[:d] + (1,) + x.shape[d + 1:])
    out = x.squeeze(d) if dim is None or not keepdim else x
    return out.clone() if out._counter is given._counter else out  # (one factor: a copy, never the input's memory)


@_with_out
def cumprod(input, dim, *, dtype=None):
    """The running products along ``dim``: out_i = x_0 · … · x_i, by a scan of log₂ n rounds (round k multiplies
    each element by the partial product 2ᵏ places before it); differentiable to any order, exact at zeros."""
    x = _as_product_dtype(_t(input, "cumprod"), dtype)
    if x.ndim == 0:
        return x.clone()
    d = checks.normalize_axis(dim, x.ndim, "cumprod", single=True)
    n, step = x.shape[d], 1
    while step < n:
        x = functional.cat([x.narrow(d, 0, step), x.narrow(d, step, n - step) * x.narrow(d, 0, n - step)], dim=d)
        step *= 2
    return x if n > 1 else x.clone()  # (one factor: a copy, never the input's memory)


# ----------------------------------------------------------------------------- einsum
def einsum(equation, *operands):
    """Sums of products named by letters: "ij,jk->ik" is a matrix product, "ii" a trace, "ii->i" a diagonal,
    "bij,bjk->bik" a batched product, "...ij->...ji" works on any leading axes; without "->" the output holds the
    letters that appear once, in alphabetical order.  NumPy's einsum; differentiable to any order."""
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):  # einsum(eq, [a, b]), as PyTorch allows
        operands = tuple(operands[0])
    if not isinstance(equation, str):
        raise TypeError("einsum: the first argument is the equation, a string such as 'ij,jk->ik' (PyTorch's sublist "
                        "form is not provided)")
    xs = [_t(x, "einsum") for x in operands]
    if builtins.len({x.dtype for x in xs}) > 1:
        raise TypeError(f"einsum: the operands must share a dtype, got {', '.join(str(x.dtype) for x in xs)}; "
                        "convert them with .to(dtype)")
    inputs, output = _einsum_letters(equation.replace(" ", ""), xs)
    return L.Einsum.apply(*xs, subscripts=inputs, output=output)


def _einsum_letters(equation, xs):
    """The equation's subscripts with any "..." written as fresh letters (the same ones, right-aligned, in every
    operand), and the output's (given, or implicit); each checked against the operands' shapes."""
    left, arrow, right = equation.partition("->")
    subscripts = left.split(",")
    if builtins.len(subscripts) != builtins.len(xs):
        raise ValueError(f"einsum: {equation!r} names {builtins.len(subscripts)} operand(s), {builtins.len(xs)} given")
    for s in subscripts + ([right] if arrow else []):
        if s.count("...") > 1 or not s.replace("...", "").isalpha() and s.replace("...", ""):
            raise ValueError(f"einsum: {s!r} in {equation!r}: subscripts are letters, with at most one '...'")
    fresh = [c for c in string.ascii_letters if c not in equation]
    spans = [x.ndim - builtins.len(s.replace("...", "")) for s, x in zip(subscripts, xs)]
    for s, x, span in zip(subscripts, xs, spans):
        if span < 0 or span > 0 and "..." not in s:
            raise ShapeError(f"einsum: {s!r} names {builtins.len(s.replace('...', ''))} axes, but its operand has "
                             f"shape {tuple(x.shape)}")
    rank = builtins.max([n for s, n in zip(subscripts, spans) if "..." in s], default=0)
    inputs = tuple(s.replace("...", "".join(fresh[rank - n:rank])) for s, n in zip(subscripts, spans))
    if arrow:
        output = right.replace("...", "".join(fresh[:rank]))  # (without '...', those axes are summed, as PyTorch)
    else:
        once = [c for c in left if c.isalpha() and left.count(c) == 1]
        output = "".join(fresh[:rank]) + "".join(builtins.sorted(once))
    sizes = {}
    for s, x in zip(inputs, xs):
        for c, n in zip(s, x.shape):
            if sizes.setdefault(c, n) != n and 1 not in (n, sizes[c]):
                raise ShapeError(f"einsum: {c!r} in {equation!r} stands for sizes {sizes[c]} and {n}")
            sizes[c] = builtins.max(sizes[c], n)
    if builtins.len(set(output)) < builtins.len(output) or builtins.any(c not in sizes for c in output):
        raise ValueError(f"einsum: the output of {equation!r} must name each of the inputs' letters at most once")
    return inputs, output


def tensordot(a, b, dims=2):
    """The sum of a·b over the last ``dims`` axes of a and the first of b (or over the axes listed in a pair of
    lists), written as an einsum."""
    x, y = _t(a, "tensordot"), _t(b, "tensordot")
    if isinstance(dims, int):
        if not 0 <= dims <= builtins.min(x.ndim, y.ndim):
            raise ValueError(f"tensordot: dims={dims} must be from 0 to {builtins.min(x.ndim, y.ndim)}")
        dims = (list(range(x.ndim - dims, x.ndim)), list(range(dims)))
    axes_a, axes_b = ([d] if isinstance(d, int) else list(d) for d in dims)
    if builtins.len(axes_a) != builtins.len(axes_b):
        raise ValueError(f"tensordot: dims {dims} must list as many axes of a as of b")
    letters = iter(string.ascii_letters)
    left = [next(letters) for _ in range(x.ndim)]
    right = [next(letters) for _ in range(y.ndim)]
    for i, j in zip(axes_a, axes_b):
        right[checks.normalize_axis(j, y.ndim, "tensordot", single=True)] = \
            left[checks.normalize_axis(i, x.ndim, "tensordot", single=True)]  # a contracted pair shares a letter
    out = [c for c in left if c not in right] + [c for c in right if c not in left]
    return einsum(f"{''.join(left)},{''.join(right)}->{''.join(out)}", x, y)


@_with_out
def diag(input, diagonal=0):
    """A 1-D input laid on the ``diagonal``-th diagonal of a square matrix (zeros elsewhere), or a 2-D input's
    ``diagonal``-th diagonal as a vector."""
    x = _t(input, "diag")
    if x.ndim == 1:
        n = x.shape[0] + builtins.abs(diagonal)
        out = zeros(n, n, dtype=x.dtype, device=x.device)
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
    return diag(x).sum()


def meshgrid(*tensors, indexing="ij"):
    """Coordinate grids from 1-D tensors: with ``indexing="ij"`` grid k varies along axis k; with "xy" the first
    two axes swap (x along columns, as for plotting).  Each grid is its vector expanded, sharing its memory."""
    if builtins.len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ValueError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    xs = [_t(t, "meshgrid") for t in tensors]
    if builtins.any(x.ndim > 1 for x in xs):
        raise ShapeError(f"meshgrid: expected 0-D or 1-D tensors, got shapes {[tuple(x.shape) for x in xs]}")
    xs = [x.reshape(-1) for x in xs]
    order = list(range(builtins.len(xs)))
    if indexing == "xy" and builtins.len(xs) >= 2:
        order[0], order[1] = 1, 0
    shape = tuple(xs[k].shape[0] for k in order)
    return tuple(x.reshape([-1 if order[a] == k else 1 for a in range(builtins.len(xs))]).expand(*shape)
                 for k, x in enumerate(xs))


def cdist(x1, x2, p=2.0):
    """The p-norm distance between every row of x1 (…, P, M) and every row of x2 (…, R, M): shape (…, P, R); the
    gradient at a zero distance is 0, as PyTorch's."""
    a, b = _t(x1, "cdist"), _t(x2, "cdist")
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ShapeError(f"cdist: expected (…, P, M) and (…, R, M) with the same M, got {tuple(a.shape)} and "
                         f"{tuple(b.shape)}")
    return (a.unsqueeze(-2) - b.unsqueeze(-3)).norm(p, dim=-1)


# ----------------------------------------------------------------------------- sampling (minigan's one generator)
def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, device=None) -> Tensor:
    """Samples of N(mean, std²): ``normal(mean_tensor, std_tensor)`` (one per element, broadcast) or
    ``normal(0.0, 1.0, size=(n,))``.  No gradient flows to mean or std (as in PyTorch)."""
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        mean, std = (v.detach() if isinstance(v, Tensor) else v for v in (mean, std))
        like = mean if isinstance(mean, Tensor) else std
        if builtins.bool((std < 0).any() if isinstance(std, Tensor) else std < 0):
            raise ValueError("normal: std must be >= 0")
        noise = randn(*backend.broadcast_shapes(tuple(getattr(mean, "shape", ())), tuple(getattr(std, "shape", ()))),
                      generator=generator, dtype=like.dtype, device=like.device)
        return noise * std + mean
    if size is None:
        raise TypeError("normal: give a tensor mean or std, or numbers and size=(...)")
    if std < 0:
        raise ValueError(f"normal: std must be >= 0, got {std}")
    return randn(*_shape((size,), "normal"), generator=generator, dtype=dtype, device=device) * std + mean


def bernoulli(input, p=None, *, generator=None) -> Tensor:
    """1 with probability ``input`` (or ``p``) elementwise, else 0, in input's dtype; no gradient."""
    x = _t(input, "bernoulli")
    if not backend.is_floating(x.dtype):
        raise TypeError(f"bernoulli: input must be a floating-point tensor of probabilities, got dtype {x.dtype}")
    if p is not None and not (isinstance(p, (int, float)) and 0 <= p <= 1):
        raise ValueError(f"bernoulli: p must be a number in [0, 1], got {p!r}")
    probability = x.array if p is None else p
    if p is None and not builtins.bool(((probability >= 0) & (probability <= 1)).all()):  # (NaN fails both)
        raise ValueError("bernoulli: probabilities must lie in [0, 1]")
    xp = backend.get_array_module(x.array)
    return Tensor._make((backend.rand(x.shape, dtype=x.dtype, xp=xp, gen=generator) < probability).astype(x.dtype))


def multinomial(input, num_samples, replacement=False, *, generator=None) -> Tensor:
    """``num_samples`` category indices (int64) drawn from each row of non-negative weights ``input`` (1-D or 2-D).
    With replacement: the inverse of each row's cumulative distribution at uniform draws.  Without: the Gumbel
    top-k trick (the largest log w + Gumbel noise, which draws as sequential sampling without replacement does)."""
    x = _t(input, "multinomial")
    if x.ndim not in (1, 2) or not backend.is_floating(x.dtype):
        raise ValueError(f"multinomial: input must be a 1-D or 2-D float tensor of weights, got {x.dtype} of shape "
                         f"{tuple(x.shape)}")
    w = x.array.reshape(-1, x.shape[-1]).astype(backend.np.float64)
    xp = backend.get_array_module(w)
    rows, k = w.shape
    if builtins.bool(((w < 0) | ~xp.isfinite(w)).any()) or builtins.bool((w.sum(axis=1) <= 0).any()):
        raise ValueError("multinomial: weights must be finite, non-negative, and sum to more than 0 in each row")
    if isinstance(num_samples, builtins.bool) or not isinstance(num_samples, int) or num_samples < 1:
        raise ValueError(f"multinomial: num_samples must be a positive integer, got {num_samples!r}")
    if not replacement and num_samples > k:
        raise ValueError(f"multinomial: cannot draw {num_samples} different categories from {k} without replacement")
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


# ----------------------------------------------------------------------------- small compositions
def var_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """(var, mean) in one call, as ``torch.var_mean``."""
    x = _t(input, "var_mean")
    return x.var(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim=keepdim)


def std_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """(std, mean) in one call, as ``torch.std_mean``."""
    x = _t(input, "std_mean")
    return x.std(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim=keepdim)


@_with_out
def nan_to_num(input, nan=0.0, posinf=None, neginf=None):
    """NaN, +∞ and −∞ replaced by ``nan`` and by the dtype's largest and lowest finite values (or those given)."""
    x = _t(input, "nan_to_num")
    if not backend.is_floating(x.dtype):
        return x.clone()
    info = backend.np.finfo(x.dtype)
    x = where(x.isnan(), nan, x)
    x = where(x == math.inf, info.max if posinf is None else posinf, x)
    return where(x == -math.inf, info.min if neginf is None else neginf, x)


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
    if dims is None:
        return roll(x.reshape(-1), shifts, 0).reshape(x.shape)
    shifts, dims = (shifts, dims) if isinstance(shifts, (tuple, list)) else ((shifts,), (dims,))
    if len(shifts) != len(dims):
        raise ValueError(f"roll: shifts {shifts} and dims {dims} must have the same length")
    for shift, dim in zip(shifts, dims):
        d = checks.normalize_axis(dim, x.ndim, "roll", single=True)
        cut = (x.shape[d] - shift % x.shape[d]) % x.shape[d] if x.shape[d] else 0
        x = cat([x[(slice(None),) * d + (slice(cut, None),)], x[(slice(None),) * d + (slice(None, cut),)]], d)
    return x


__all__ = [
    "manual_seed", "randn", "rand", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "full_like",
    "randn_like", "rand_like", "randint", "randperm", "arange", "linspace", "eye", "is_tensor", "tensor",
    "LegacyConstructor", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor", "sum",
    "mean", "max", "min", "argmax", "argmin", "logsumexp", "norm", "abs", "exp", "log", "sqrt", "sign", "tanh",
    "sigmoid", "relu", "clamp", "clip", "softmax", "log_softmax", "matmul", "mm", "reshape", "flatten", "squeeze",
    "unsqueeze", "transpose", "permute", "numel", "where", "maximum", "minimum", "sin", "cos", "tan", "asin", "acos",
    "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "log1p", "expm1", "exp2", "log2", "log10", "erf", "erfc",
    "erfinv", "reciprocal", "rsqrt", "floor", "ceil", "round", "trunc", "fix", "frac", "atan2", "hypot", "arcsin",
    "arccos", "arctan", "arcsinh", "arccosh", "arctanh", "arctan2", "add", "sub", "subtract", "mul", "multiply",
    "div", "divide", "true_divide", "pow", "neg", "negative", "square", "std", "var", "t", "bmm", "lerp", "addmm",
    "outer", "ger", "dot", "clone", "detach", "chunk", "split", "narrow", "eq", "ne", "gt", "ge", "lt", "le",
    "greater", "greater_equal", "less", "less_equal", "not_equal", "isnan", "isinf", "isfinite", "logical_not",
    "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_not",
    "bitwise_left_shift", "bitwise_right_shift", "all", "any", "isclose", "allclose", "equal", "count_nonzero",
    "masked_fill", "empty_like", "Size", "inference_mode", "is_inference_mode_enabled", "e", "pi", "inf", "nan",
    "newaxis", "absolute", "positive", "amax", "amin", "clamp_min", "clamp_max", "as_tensor", "asarray",
    "scalar_tensor", "broadcast_to", "is_floating_point", "is_nonzero", "is_same_size", "floor_divide", "remainder",
    "fmod", "rsub", "mv", "inner", "vdot", "addcmul", "addcdiv", "logaddexp", "xlogy", "logit", "deg2rad", "rad2deg",
    "concat", "concatenate", "hstack", "vstack", "row_stack", "swapaxes", "swapdims", "movedim", "moveaxis", "ravel",
    "unbind", "flip", "fliplr", "flipud", "tril", "triu", "is_anomaly_enabled", "typename", "tile",
    "use_deterministic_algorithms", "are_deterministic_algorithms_enabled",
    "is_deterministic_algorithms_warn_only_enabled", "gather", "index_select", "argsort", "sort", "topk", "cumsum",
    "normal", "bernoulli", "multinomial", "var_mean", "std_mean", "nan_to_num", "diff", "roll", "einsum", "tensordot",
    "diag", "trace", "meshgrid", "cdist", "scatter", "scatter_add", "nonzero", "argwhere", "masked_select", "unique",
    "repeat_interleave", "broadcast_tensors", "atleast_1d", "atleast_2d", "atleast_3d", "column_stack", "dstack",
    "rot90", "tensor_split", "hsplit", "vsplit", "dsplit", "unflatten", "index_add", "index_copy", "index_fill",
    "prod", "cumprod", "kthvalue", "median", "quantile", "nansum", "nanmean", "cummax", "cummin", "logcumsumexp",
    "aminmax", "baddbmm", "addbmm", "addmv", "addr", "dist", "get_default_dtype", "bincount", "histc", "index_put",
    "take", "take_along_dim", "set_default_dtype",
]
