"""The functions a PyTorch user calls as ``torch.*``, here as ``minigan.*``.

Constructors and random numbers (``zeros``, ``full``, ``arange``, ``randn_like``, ``randint``...), the legacy
typed constructors (``FloatTensor(2, 3)``, ``LongTensor([1, 2])``), and the free forms of Tensor methods
(``minigan.mean(x, dim=1)`` is ``x.mean(dim=1)``): each is one line that hands over to the Tensor, so the
checks and the gradient are the method's.
"""

from __future__ import annotations

import builtins
import collections
import functools
import math
import string
import warnings

from minigan import _dtype, _tensor_str, _tensor_surface, functional
from minigan import _tensor_functions as _F
from minigan import _unary_ops as U
from minigan._tensor_surface import Size, Tensor, tensor
from minigan.engine import backend, checks
from minigan.engine.dtypes import TYPE_NAMES
from minigan.engine.errors import DomainError, DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import decorated as _decorated
from minigan.engine.grad_mode import is_anomaly_enabled as _is_anomaly_enabled
from minigan.engine.grad_mode import is_grad_enabled, no_grad, set_grad_enabled
from minigan.engine.ops import linalg as L

_shape = _F._shape

strided, contiguous_format, preserve_format = _F.strided, _F.contiguous_format, _F.preserve_format  # layout= values


_xp = _F._xp


_made = _F._made


# ----------------------------------------------------------------------------- constructors
def get_default_device():
    """The device new tensors are made on: the active backend's (``cpu`` unless ``minigan.use_backend('cupy')``)."""
    return backend.Device(backend.device_of(backend.active_module().zeros(0)))


def set_default_device(device) -> None:
    """PyTorch's default device, for the one minigan makes tensors on already: ``set_default_device('cpu')`` (or
    None) is accepted; another device is refused in one line (minigan's GPU is a backend: use_backend('cupy'))."""
    if device is not None and backend.device_type(device) != get_default_device().type:
        raise NotImplementedError(f"set_default_device: minigan makes new tensors on {get_default_device()}, not "
                                  f"{device!r}; use minigan.use_backend('cupy') for the GPU, or pass device= to the "
                                  "factories")


def get_default_dtype():
    """The dtype of new floating tensors: float32 unless ``set_default_dtype`` chose float64."""
    return _dtype.of(backend.DEFAULT_DTYPE)


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


def _write_out(name, result, out):
    """``result`` written into the tensor ``out``, which is returned: PyTorch's ``out=`` (see ``_with_out``)."""
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
                          stacklevel=3)
        out.array = backend.get_array_module(out.array).empty(result.shape, dtype=out.dtype)
    out.array[...] = result.array
    out._version_counter()[0] += 1  # a change in place: graphs that saved out's old values refuse to backward
    return out


def _factory_out(fn):
    """A factory's ``out=``: the new values are made in out's dtype (unless ``dtype=`` says another) and written
    into ``out``, which is returned, as PyTorch's ``zeros(2, 3, out=y)``."""
    @functools.wraps(fn)
    def with_out(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if isinstance(out, Tensor) and kwargs.get("dtype") is None:
            kwargs["dtype"] = out.dtype
        return _write_out(fn.__name__, fn(*args, **kwargs), out)

    return with_out


@_factory_out
def randn(*shape, size=None, generator=None, requires_grad=False, dtype=None, device=None, layout=None,
          pin_memory=False) -> Tensor:
    """Standard normal samples (float32 unless dtype says otherwise), from ``generator`` or minigan's."""
    _F.only_defaults("randn", layout, pin_memory)
    shape = _shape(shape, "randn", size)
    return _made(backend.randn(shape, dtype=dtype, xp=_xp(device), gen=generator), requires_grad)


@_factory_out
def rand(*shape, size=None, generator=None, requires_grad=False, dtype=None, device=None, layout=None,
         pin_memory=False) -> Tensor:
    """Uniform [0, 1) samples."""
    _F.only_defaults("rand", layout, pin_memory)
    shape = _shape(shape, "rand", size)
    return _made(backend.rand(shape, dtype=dtype, xp=_xp(device), gen=generator), requires_grad)


zeros = _factory_out(_F.zeros)


ones = _factory_out(_F.ones)


@_factory_out
def empty(*shape, size=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None) -> Tensor:
    """Zeros (PyTorch leaves the memory uninitialised; zeros are the safe choice for a learner)."""
    return _F.zeros(*shape, size=size, dtype=dtype, layout=layout, device=device, requires_grad=requires_grad,
                    pin_memory=pin_memory, memory_format=memory_format)


full = _factory_out(_F.full)


def _like(x, fn, layout=None, memory_format=None):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__}")
    _F.only_defaults(fn, layout, memory_format=memory_format)
    return x


def _like_xp(x, device):
    """The array module of ``x``'s device, or of ``device`` when one is given (``zeros_like(x, device=...)``)."""
    return backend.get_array_module(x.array) if device is None else _xp(device)


def _like_array(x, device, dtype, fill):
    """``fill`` in an array of ``x``'s shape (``fill`` an array: its values), laid out as PyTorch's
    memory_format=torch.preserve_format lays it: in x's order of strides (NumPy's order "K": a permuted x gives a
    permuted result, whose flatten() is a copy), row-major where x overlaps itself (an expanded x) or is elsewhere."""
    xp, a, dtype = _like_xp(x, device), x.array, dtype or x.dtype
    if xp is not backend.get_array_module(a) or 0 in a.strides:
        out = xp.empty(x.shape, dtype=dtype)
    else:
        out = xp.empty_like(a, dtype=dtype)
    out[...] = fill
    return out


def zeros_like(input, requires_grad=False, dtype=None, device=None, *, layout=None, memory_format=None) -> Tensor:
    x = _like(input, "zeros_like", layout, memory_format)
    return _made(_like_array(x, device, dtype, 0), requires_grad)


def ones_like(input, requires_grad=False, dtype=None, device=None, *, layout=None, memory_format=None) -> Tensor:
    x = _like(input, "ones_like", layout, memory_format)
    return _made(_like_array(x, device, dtype, 1), requires_grad)


def empty_like(input, requires_grad=False, dtype=None, device=None, *, layout=None, memory_format=None) -> Tensor:
    """Zeros shaped as ``input`` (PyTorch leaves the memory uninitialised; zeros are the safe choice)."""
    return zeros_like(_like(input, "empty_like", layout, memory_format), requires_grad, dtype, device)


def full_like(input, fill_value, requires_grad=False, dtype=None, device=None, *, layout=None,
              memory_format=None) -> Tensor:
    x = _like(input, "full_like", layout, memory_format)
    if not (checks.is_number(fill_value) or isinstance(fill_value, bool) or
            isinstance(fill_value, Tensor) and fill_value.ndim == 0):  # (a sequence or a string: PyTorch refuses)
        raise TypeError(f"full_like: fill_value must be a number, got {type(fill_value).__name__} {fill_value!r}")
    fill = fill_value.item() if isinstance(fill_value, Tensor) else fill_value
    return _made(_like_array(x, device, dtype, fill), requires_grad)


def randn_like(input, requires_grad=False, dtype=None, device=None, *, generator=None, layout=None,
               memory_format=None, pin_memory=False) -> Tensor:
    x = _like(input, "randn_like", layout, memory_format)
    _F.only_defaults("randn_like", pin_memory=pin_memory)
    drawn = backend.randn(x.shape, dtype=dtype or x.dtype, xp=_like_xp(x, device), gen=generator)
    return _made(_like_array(x, device, dtype, drawn), requires_grad)


def rand_like(input, requires_grad=False, dtype=None, device=None, *, generator=None, layout=None,
              memory_format=None, pin_memory=False) -> Tensor:
    x = _like(input, "rand_like", layout, memory_format)
    _F.only_defaults("rand_like", pin_memory=pin_memory)
    drawn = backend.rand(x.shape, dtype=dtype or x.dtype, xp=_like_xp(x, device), gen=generator)
    return _made(_like_array(x, device, dtype, drawn), requires_grad)


@_factory_out
def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False,
            layout=None, pin_memory=False) -> Tensor:
    """Integers uniform in [low, high), int64 as in PyTorch: ``randint(high, size)``, ``randint(high, size=...)``
    (from 0), ``randint(low, high, size)``, or all by keyword."""
    _F.only_defaults("randint", layout, pin_memory)
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None and size is not None:  # randint(high, size=...)
        low, high = 0, low
    if requires_grad:
        raise TypeError("randint: integer tensors cannot require gradients (only floating-point ones can)")
    if size is None or high is None:
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), size a tuple")
    low, high = _F.integer(low, "randint", "low"), _F.integer(high, "randint", "high")
    if not low < high:
        raise DomainError(f"randint: expected low < high, got low={low}, high={high}")
    xp = _xp(device)
    out = backend.randint(low, high, _shape((size,), "randint"), xp, gen=generator)
    return Tensor._make(out.astype(dtype or backend.np.int64))


@_factory_out
def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    _F.only_defaults("randperm", layout, pin_memory)
    n = _F.integer(n, "randperm", "n")
    xp = _xp(device)
    perm = xp.asarray(backend.stream(generator, xp).permutation(n).astype(dtype or backend.np.int64))
    return _made(perm, requires_grad)


@_factory_out
def arange(start, end=None, step=1, *, dtype=None, device=None, requires_grad=False, layout=None,
           pin_memory=False) -> Tensor:
    """start, start+step, ... < end; int64 when every argument is an integer (or an integer 0-d tensor), else
    float32 (as PyTorch)."""
    _F.only_defaults("arange", layout, pin_memory)
    start, end, step = (v.item() if isinstance(v, Tensor) else v for v in (start, end, step))
    if end is None:
        start, end = 0, start
    ints = builtins.all(checks.is_integer(v) for v in (start, end, step))
    default = backend.np.int64 if ints else backend.DEFAULT_DTYPE
    if step == 0:
        raise ValueError("arange: step must not be 0")
    if not (math.isfinite(start) and math.isfinite(end)):  # (an infinite step gives no values, as PyTorch's)
        raise DomainError(f"arange: start and end must be finite, got {start} and {end}")
    return _made(_xp(device).arange(start, end, step).astype(dtype or default), requires_grad)


@_factory_out
def linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False) -> Tensor:
    """``steps`` evenly spaced values from start to end, both included (float32).  As PyTorch's: the first half
    counts up from start, the second down from end, by one step (a NaN or infinite step gives NaN everywhere)."""
    _F.only_defaults("linspace", layout, pin_memory)
    steps = _F.integer(steps, "linspace", "steps")
    if steps < 0:
        raise ValueError(f"linspace: steps must be a non-negative int, got {steps!r}")
    for name, v in (("start", start), ("end", end)):
        if isinstance(v, Tensor) and v.ndim:
            raise ShapeError(f"linspace: {name} must be a number or a 0-d tensor, got shape {tuple(v.shape)}")
    start, end, xp = builtins.float(start), builtins.float(end), _xp(device)
    i = xp.arange(steps, dtype=backend.np.float64)
    with backend.np.errstate(invalid="ignore"):  # (∞ · 0: NaN, as PyTorch's)
        step = (end - start) / builtins.max(steps - 1, 1)
        values = xp.where(i < steps // 2, start + step * i, end - step * (steps - 1 - i)) if steps > 1 else i + start
    return _made(values.astype(dtype or backend.DEFAULT_DTYPE), requires_grad)


@_factory_out
def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False) -> Tensor:
    _F.only_defaults("eye", layout, pin_memory)
    n, m = _F.integer(n, "eye", "n"), None if m is None else _F.integer(m, "eye", "m")
    return _made(_xp(device).eye(n, m, dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


class inference_mode(no_grad):
    """``with minigan.inference_mode():`` (or as a decorator): PyTorch's faster no_grad for pure inference.
    minigan has no separate inference tensors, so it is ``no_grad`` (``inference_mode(False)`` switches recording on,
    as PyTorch's does, even inside no_grad)."""

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)

    def __enter__(self):
        self.prev = is_grad_enabled()
        set_grad_enabled(not self.mode)
        _inference[0] += self.mode
        return self

    def __exit__(self, *exc):
        _inference[0] -= self.mode
        set_grad_enabled(self.prev)
        return False

    def __call__(self, orig_func):
        return _decorated(lambda: inference_mode(self.mode), orig_func)


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
        if not isinstance(result, tuple):
            return _write_out(fn.__name__, result, out)
        if not isinstance(out, (tuple, list)) or len(out) != len(result):  # (values, indices): a pair of tensors
            raise TypeError(f"{fn.__name__}: out must be a tuple of {len(result)} Tensors, got {out!r}")
        written = [_write_out(fn.__name__, r, o) for r, o in zip(result, out)]
        return type(result)(*written) if hasattr(result, "_fields") else tuple(written)

    return with_out


cat, stack = _with_out(functional.cat), _with_out(functional.stack)  # torch.cat(tensors, out=y) too
@_with_out
def maximum(input, other):
    return _tensor_surface.maximum(input, other)


@_with_out
def minimum(input, other):
    return _tensor_surface.minimum(input, other)


# ----------------------------------------------------------------------------- free forms of Tensor methods
def _t(x, fn) -> Tensor:
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__} (wrap it with minigan.tensor(...))")


@_with_out
def sum(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    return _t(input, "sum").sum(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)


@_with_out
def mean(input, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
    return _t(input, "mean").mean(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

@_with_out
def max(input, dim=None, keepdim=False, *, other=None):
    """``max(x)``, ``max(x, dim)`` → (values, indices), or ``max(a, b)`` (also ``other=b``): the elementwise
    maximum."""
    return _F.max(input, dim if other is None else other, keepdim)


@_with_out
def min(input, dim=None, keepdim=False, *, other=None):
    return _F.min(input, dim if other is None else other, keepdim)


@_with_out
def argmax(input, dim=None, keepdim=False):
    return _t(input, "argmax").argmax(dim, keepdim)


@_with_out
def argmin(input, dim=None, keepdim=False):
    return _t(input, "argmin").argmin(dim, keepdim)


@_with_out
def logsumexp(input, dim, keepdim=False):
    return _t(input, "logsumexp").logsumexp(dim, keepdim)


def norm(input, p="fro", dim=None, keepdim=False, out=None, dtype=None):
    if out is not None:
        return _write_out("norm", norm(input, p, dim, keepdim, dtype=dtype), out)
    return _t(input, "norm").norm(p, dim, keepdim, dtype)


@_with_out
def abs(input):
    return _t(input, "abs").abs()


@_with_out
def exp(input):
    return _t(input, "exp").exp()


@_with_out
def log(input):
    return _t(input, "log").log()


@_with_out
def sqrt(input):
    return _t(input, "sqrt").sqrt()


@_with_out
def sign(input):
    return _t(input, "sign").sign()


@_with_out
def tanh(input):
    return _t(input, "tanh").tanh()


@_with_out
def sigmoid(input):
    return _t(input, "sigmoid").sigmoid()


def relu(input):
    return _t(input, "relu").relu()


@_with_out
def clamp(input, min=None, max=None):
    return _t(input, "clamp").clamp(min, max)


clip = clamp


def softmax(input, dim, dtype=None):
    return _t(input, "softmax").softmax(dim, dtype)


def log_softmax(input, dim, dtype=None):
    return _t(input, "log_softmax").log_softmax(dim, dtype)


@_with_out
def matmul(input, other):
    return _t(input, "matmul") @ other


@_with_out
def mm(input, mat2):
    return _t(input, "mm") @ mat2


def reshape(input, *sizes, shape=None):
    """``reshape(x, (2, 3))`` or ``reshape(x, shape=(2, 3))`` (and minigan's ``reshape(x, 2, 3)``)."""
    return _t(input, "reshape").reshape(*sizes if shape is None else (shape,))


def flatten(input, start_dim=0, end_dim=-1):
    return _t(input, "flatten").flatten(start_dim, end_dim)


def squeeze(input, dim=None):
    return _t(input, "squeeze").squeeze(dim)


def unsqueeze(input, dim):
    return _t(input, "unsqueeze").unsqueeze(dim)


def transpose(input, dim0, dim1):
    return _t(input, "transpose").transpose(dim0, dim1)


def permute(input, dims):
    return _t(input, "permute").permute(*dims)


def numel(input) -> int:
    return _t(input, "numel").numel()

@_with_out
def where(condition, input=_F._ONLY_CONDITION, other=_F._ONLY_CONDITION):
    return _F.where(condition, input, other)



# ----------------------------------------------------------------------------- elementwise math (_unary_ops.py)
_as_float = _F._as_float


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


@_with_out
def log2(input):
    return U.Log2.apply(_as_float(input, "log2"))


@_with_out
def log10(input):
    return U.Log10.apply(_as_float(input, "log10"))


@_with_out
def reciprocal(input):
    return U.Reciprocal.apply(_as_float(input, "reciprocal"))


@_with_out
def rsqrt(input):
    """1/√x."""
    return U.Rsqrt.apply(_as_float(input, "rsqrt"))

floor = _with_out(_F.floor)

ceil = _with_out(_F.ceil)

round = _with_out(_F.round)

trunc = _with_out(_F.trunc)


fix = trunc


@_with_out
def frac(input):
    return U.Frac.apply(_F.floating(input, "frac"))

atan2 = _with_out(_F.atan2)

hypot = _with_out(_F.hypot)


# NumPy's names, which PyTorch also accepts.
arcsin, arccos, arctan, arcsinh, arccosh, arctanh, arctan2 = asin, acos, atan, asinh, acosh, atanh, atan2


# ----------------------------------------------------------------------------- free forms of operators and methods
_NUMBERS = (builtins.bool, builtins.int, builtins.float, backend.np.bool_, backend.np.integer, backend.np.floating)


def _wrapped(input, other):
    """A number ``input`` beside a number ``other``: the 0-d tensor PyTorch wraps it in (bool, int64 or the default
    float dtype; a NumPy integer or float as the Python number it holds, a NumPy bool as a float, as PyTorch's), so
    ``add(2, 3)`` is tensor(5), ``div(1, 2)`` tensor(0.5) in the default dtype.  Anything else is left as it is (to be
    refused where a Tensor is asked for)."""
    if not (isinstance(input, _NUMBERS) and isinstance(other, _NUMBERS)):
        return input
    kind = builtins.bool if isinstance(input, builtins.bool) else \
        builtins.int if isinstance(input, (builtins.int, backend.np.integer)) else builtins.float
    return tensor(kind(input))


@_with_out
def add(input, other, *, alpha=1):
    """input + alpha·other."""
    input = _wrapped(input, other)
    if isinstance(input, Tensor):
        return input.add(other, alpha=alpha)
    return input + _t(other, "add") * alpha if alpha != 1 else input + _t(other, "add")


@_with_out
def sub(input, other, *, alpha=1):
    """input − alpha·other."""
    input = _wrapped(input, other)
    if isinstance(input, Tensor):
        return input.sub(other, alpha=alpha)
    return input - _t(other, "sub") * alpha if alpha != 1 else input - _t(other, "sub")


subtract = sub


@_with_out
def mul(input, other):
    input = _wrapped(input, other)
    return input * other if isinstance(input, Tensor) else _t(other, "mul") * input


multiply = mul


@_with_out
def div(input, other, *, rounding_mode=None):
    return _F.div(_wrapped(input, other), other, rounding_mode=rounding_mode)



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
    return _t(input, "square").square()


@_with_out
def std(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return _t(input, "std").std(dim, unbiased, keepdim, correction=correction)


@_with_out
def var(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    return _t(input, "var").var(dim, unbiased, keepdim, correction=correction)


t = _F.t

bmm = _with_out(_F.bmm)

lerp = _with_out(_F.lerp)

addmm = _with_out(_F.addmm)

baddbmm = _with_out(_F.baddbmm)

addbmm = _with_out(_F.addbmm)

addmv = _with_out(_F.addmv)

addr = _with_out(_F.addr)

dist = _F.dist

outer = _with_out(_F.outer)


ger = outer

dot = _with_out(_F.dot)


def clone(input, *, memory_format=None):
    return _t(input, "clone").clone(memory_format=memory_format)


def detach(input):
    return _t(input, "detach").detach()

chunk = _F.chunk

split = _F.split

narrow = _F.narrow


# ----------------------------------------------------------------------------- comparisons and tests (no gradient)


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

isnan = _F.isnan

isinf = _F.isinf

isfinite = _F.isfinite

logical_not = _with_out(_F.logical_not)

logical_and = _with_out(_F.logical_and)

logical_or = _with_out(_F.logical_or)

logical_xor = _with_out(_F.logical_xor)

bitwise_and = _with_out(_F.bitwise_and)

bitwise_or = _with_out(_F.bitwise_or)

bitwise_xor = _with_out(_F.bitwise_xor)

bitwise_left_shift = _with_out(_F.bitwise_left_shift)

bitwise_right_shift = _with_out(_F.bitwise_right_shift)

bitwise_not = _with_out(_F.bitwise_not)

all = _with_out(_F.all)

any = _with_out(_F.any)

isclose = _F.isclose

allclose = _F.allclose

equal = _F.equal

count_nonzero = _F.count_nonzero

masked_fill = _F.masked_fill


# ----------------------------------------------------------------------------- more free functions, composed
e, pi, inf, nan = math.e, math.pi, math.inf, math.nan
newaxis = None  # x[:, minigan.newaxis] adds a dimension, as x[:, None]


@_with_out
def absolute(input):
    return abs(input)


def positive(input):
    """The input itself (``+x``)."""
    return _t(input, "positive").positive()

amax = _with_out(_F.amax)

amin = _with_out(_F.amin)

clamp_min = _with_out(_F.clamp_min)

clamp_max = _with_out(_F.clamp_max)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    """A Tensor of ``data``: a Tensor of that dtype and device is returned as is; a NumPy array of a supported dtype
    shares its memory (as ``from_numpy``) when no conversion is asked; anything else is copied."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if backend.is_array(data) and dtype is None and device in (None, backend.device_of(data)) \
            and data.dtype.kind in "biuf":
        return Tensor._make(data)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False) -> Tensor:
    """``as_tensor`` (memory shared where it can be), or a copy when ``copy=True``; ``copy=False`` refuses where a
    copy is needed (as PyTorch's)."""
    out = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype, device)
    if copy is False and backend.is_array(obj) and out.array is not obj:
        raise ValueError("asarray: copy=False, but the data must be copied to give this dtype or device")
    return out.requires_grad_(True) if requires_grad else out


def scalar_tensor(s, dtype=None, device=None) -> Tensor:
    """A 0-d tensor holding the number ``s`` (float32 by default, as PyTorch)."""
    return tensor(float(s), dtype=dtype or backend.DEFAULT_DTYPE, device=device)


def broadcast_to(input, size):
    return _t(input, "broadcast_to").expand(*size)


def is_floating_point(input) -> builtins.bool:
    return _t(input, "is_floating_point").is_floating_point()

is_nonzero = _F.is_nonzero


def is_same_size(input, other) -> builtins.bool:
    return _t(input, "is_same_size").shape == _t(other, "is_same_size").shape


@_with_out
def floor_divide(input, other):
    return _F.floor_divide(_wrapped(input, other), other)


remainder = _with_out(_F.remainder)

fmod = _with_out(_F.fmod)


def rsub(input, other, *, alpha=1):
    """other − alpha·input."""
    return other - _t(input, "rsub") * alpha

mv = _with_out(_F.mv)

inner = _with_out(_F.inner)


@_with_out
def vdot(input, other):
    return _F.dot(input, other)

addcmul = _with_out(_F.addcmul)

addcdiv = _with_out(_F.addcdiv)

logaddexp = _with_out(_F.logaddexp)

xlogy = _with_out(_F.xlogy)

logit = _with_out(_F.logit)

deg2rad = _with_out(_F.deg2rad)

rad2deg = _with_out(_F.rad2deg)


@_with_out
def concat(tensors, dim=0, *, out=None):
    """``cat`` under its other names."""
    return cat(tensors, dim, out=out)


def concatenate(tensors, axis=0, out=None):
    """``cat``, NumPy's name and argument: ``concatenate(tensors, axis)``."""
    return cat(tensors, axis, out=out)


@_with_out
def hstack(tensors):
    """Concatenate along dimension 1 (along 0 for 1-d tensors), as numpy.hstack."""
    tensors = [t.reshape(1) if t.ndim == 0 else t for t in _tensors((tensors,), "hstack")]  # atleast_1d, as PyTorch
    return cat(tensors, 0 if tensors[0].ndim == 1 else 1)


@_with_out
def vstack(tensors):
    """Stack rows: 1-d tensors become rows of a matrix, others concatenate along dimension 0."""
    return cat([t.reshape(1, -1) if t.ndim < 2 else t for t in _tensors((tensors,), "vstack")], 0)  # atleast_2d


row_stack = vstack


def swapaxes(input, axis0, axis1):
    return _t(input, "swapaxes").transpose(axis0, axis1)


def swapdims(input, dim0, dim1):
    return _t(input, "swapdims").transpose(dim0, dim1)


def movedim(input, source, destination):
    """Move dimension(s) ``source`` to position(s) ``destination``, keeping the others in order."""
    return _t(input, "movedim").movedim(source, destination)


moveaxis = movedim

ravel = _F.ravel

unbind = _F.unbind

repeat_interleave = _F.repeat_interleave


def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape (views: no copy); one that has it already is given back itself,
    as PyTorch's (under no_grad too: so its gradient still flows)."""
    xs = [_t(t, "broadcast_tensors") for t in tensors]
    shape = backend.broadcast_shapes(*[tuple(x.shape) for x in xs])
    return tuple(x if tuple(x.shape) == shape else x.expand(*shape) for x in xs)


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

hsplit = _F.hsplit

vsplit = _F.vsplit

dsplit = _F.dsplit


def unflatten(input, dim, sizes):
    """Axis ``dim`` split into ``sizes`` (one may be -1)."""
    return _t(input, "unflatten").unflatten(dim, sizes)

rot90 = _F.rot90

tensor_split = _F.tensor_split

flip = _F.flip

fliplr = _F.fliplr

flipud = _F.flipud

tile = _F.tile

tril = _with_out(_F.tril)

triu = _with_out(_F.triu)


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


def typename(obj, /) -> str:
    """'minigan.FloatTensor' for a float32 tensor (as x.type()), else the Python type's name."""
    return obj.type() if isinstance(obj, Tensor) else type(obj).__name__

# ----------------------------------------------------------------------------- gathering, sorting and running sums
# Each reads the input at computed indices, x[index]: its gradient goes back to where each value was read (summed
# over repeats), through indexing's own backward.  Only the indices (argsort) are computed without a gradient.
SortResult = _F.SortResult
TopkResult = _F.TopkResult
KthvalueResult = _F.KthvalueResult
MedianResult = _F.MedianResult
CummaxResult = _F.CummaxResult
CumminResult = _F.CumminResult
AminmaxResult = _F.AminmaxResult

gather = _with_out(_F.gather)

scatter = _with_out(_F.scatter)

scatter_add = _F.scatter_add

index_select = _with_out(_F.index_select)

nonzero = _with_out(_F.nonzero)

argwhere = _F.argwhere

masked_select = _with_out(_F.masked_select)

unique = _F.unique

index_add = _with_out(_F.index_add)

index_put = _F.index_put

take = _F.take

take_along_dim = _with_out(_F.take_along_dim)

index_copy = _with_out(_F.index_copy)

index_fill = _F.index_fill

argsort = _with_out(_F.argsort)

sort = _with_out(_F.sort)

topk = _with_out(_F.topk)

kthvalue = _with_out(_F.kthvalue)

median = _with_out(_F.median)

quantile = _with_out(_F.quantile)

nansum = _F.nansum

nanmean = _with_out(_F.nanmean)

cummax = _with_out(_F.cummax)

cummin = _with_out(_F.cummin)

logcumsumexp = _with_out(_F.logcumsumexp)

bincount = _F.bincount

histc = _with_out(_F.histc)

aminmax = _with_out(_F.aminmax)

cumsum = _with_out(_F.cumsum)

prod = _with_out(_F.prod)

cumprod = _with_out(_F.cumprod)


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
        raise DomainError(f"einsum: {equation!r} names {builtins.len(subscripts)} operand(s), {builtins.len(xs)} given")
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


def tensordot(a, b, dims=2, out=None):
    """The sum of a·b over the last ``dims`` axes of a and the first of b (or over the axes listed in a pair of
    lists), written as an einsum."""
    if out is not None:
        return _write_out("tensordot", tensordot(a, b, dims), out)
    x, y = _t(a, "tensordot"), _t(b, "tensordot")
    if checks.is_integer(dims):
        dims = int(dims)
        if not 0 <= dims <= builtins.min(x.ndim, y.ndim):
            raise ValueError(f"tensordot: dims={dims} must be from 0 to {builtins.min(x.ndim, y.ndim)}")
        dims = (list(range(x.ndim - dims, x.ndim)), list(range(dims)))
    axes_a, axes_b = ([d] if checks.is_integer(d) else list(d) for d in dims)
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

diag = _with_out(_F.diag)

trace = _F.trace


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


_CDIST_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between every row of x1 (…, P, M) and every row of x2 (…, R, M): shape (…, P, R); the
    gradient at a zero distance is 0, as PyTorch's.  (``compute_mode``, PyTorch's choice of algorithm, changes
    nothing here: the distances are always the direct ones.)"""
    if compute_mode not in _CDIST_MODES:
        raise ValueError(f"cdist: compute_mode must be one of {_CDIST_MODES}, got {compute_mode!r}")
    a, b = _t(x1, "cdist"), _t(x2, "cdist")
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ShapeError(f"cdist: expected (…, P, M) and (…, R, M) with the same M, got {tuple(a.shape)} and "
                         f"{tuple(b.shape)}")
    return (a.unsqueeze(-2) - b.unsqueeze(-3)).norm(p, dim=-1)


HistogramResult = collections.namedtuple("histogram", ["hist", "bin_edges"])  # as torch.return_types.histogram


def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    """(hist, bin_edges) as ``torch.histogram``: ``bins`` equal-width bins over ``range`` (the data's own range when
    None), or the bin edges given as a 1-D tensor; ``weight`` per element, ``density`` normalises to a density.
    Float values, no gradient (as in PyTorch)."""
    x = _t(input, "histogram")
    if x.dtype.kind != "f":
        raise DtypeError(f"histogram: input must be floating point, got {x.dtype}")
    xp = backend.get_array_module(x.array)
    if isinstance(bins, Tensor) and bins.ndim != 1:  # (NumPy's ValueError came out)
        raise DomainError(f"histogram: a bins tensor must be 1-d (the edges), got shape {tuple(bins.shape)}")
    edges = bins.array if isinstance(bins, Tensor) else _F.integer(bins, "histogram", "bins")
    if not isinstance(bins, Tensor) and edges < 1:
        raise ShapeError(f"histogram: bins must be > 0, got {edges} (as PyTorch)")
    if range is None and not isinstance(bins, Tensor) and x.numel():
        range = (builtins.float(x.array.min()), builtins.float(x.array.max()))
    w = None if weight is None else _t(weight, "histogram").array.ravel()
    if w is not None and tuple(weight.shape) != tuple(x.shape):
        raise ShapeError(f"histogram: weight must have the input's shape {tuple(x.shape)}, got {tuple(weight.shape)}")
    hist, bin_edges = xp.histogram(x.array.ravel(), bins=edges, range=range, weights=w, density=density)
    result = HistogramResult(Tensor._make(hist.astype(x.dtype)), Tensor._make(bin_edges.astype(x.dtype)))
    if out is not None:
        return HistogramResult(*(_write_out("histogram", r, o) for r, o in zip(result, out)))
    return result


@_with_out
def cross(input, other, dim=None):
    """The cross product of 3-vectors along ``dim``; with no dim, the first dimension of size 3 (PyTorch's
    deprecated default: pass dim, or use linalg.cross, whose default is -1)."""
    x, y = _t(input, "cross"), _t(other, "cross")
    _F.same_dtype("cross", x, y)
    if dim is None:
        warnings.warn("Using minigan.cross without specifying the dim arg is deprecated (as in PyTorch): pass dim, or "
                      "use minigan.linalg.cross (its default is the last dim)", UserWarning, stacklevel=3)
        shape = backend.broadcast_shapes(tuple(x.shape), tuple(y.shape))
        dim = next((i for i, n in enumerate(shape) if n == 3), -1)
    if x.shape[dim] != 3 or y.shape[dim] != 3:
        raise ShapeError(f"cross: dim {dim} must have size 3, got shapes {tuple(x.shape)} and {tuple(y.shape)}")
    a, b = x.unbind(dim), y.unbind(dim)
    return stack([a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]], dim)


# ----------------------------------------------------------------------------- in-place free forms
def _in_place(name):
    """``minigan.relu_(x)`` is ``x.relu_()``: PyTorch's free in-place forms are the Tensor methods."""
    def in_place(input, *args, **kwargs):
        return getattr(_t(input, name), name)(*args, **kwargs)

    in_place.__name__ = in_place.__qualname__ = name
    return in_place


abs_, acos_, acosh_, arccos_ = _in_place("abs_"), _in_place("acos_"), _in_place("acosh_"), _in_place("arccos_")
arccosh_, arcsin_, arcsinh_ = _in_place("arccosh_"), _in_place("arcsin_"), _in_place("arcsinh_")
arctan_, arctanh_, asin_, asinh_ = _in_place("arctan_"), _in_place("arctanh_"), _in_place("asin_"), _in_place("asinh_")
atan_, atanh_, ceil_, clamp_ = _in_place("atan_"), _in_place("atanh_"), _in_place("ceil_"), _in_place("clamp_")
clamp_max_, clamp_min_, clip_ = _in_place("clamp_max_"), _in_place("clamp_min_"), _in_place("clip_")
cos_, cosh_, deg2rad_, detach_ = _in_place("cos_"), _in_place("cosh_"), _in_place("deg2rad_"), _in_place("detach_")
erf_, erfc_, exp2_, exp_ = _in_place("erf_"), _in_place("erfc_"), _in_place("exp2_"), _in_place("exp_")
expm1_, fill_, fix_, floor_ = _in_place("expm1_"), _in_place("fill_"), _in_place("fix_"), _in_place("floor_")
frac_, index_put_, log10_ = _in_place("frac_"), _in_place("index_put_"), _in_place("log10_")
log1p_, log2_, log_, logit_ = _in_place("log1p_"), _in_place("log2_"), _in_place("log_"), _in_place("logit_")
nan_to_num_, neg_, negative_ = _in_place("nan_to_num_"), _in_place("neg_"), _in_place("negative_")
rad2deg_, reciprocal_, relu_ = _in_place("rad2deg_"), _in_place("reciprocal_"), _in_place("relu_")
round_, rsqrt_, sigmoid_, sin_ = _in_place("round_"), _in_place("rsqrt_"), _in_place("sigmoid_"), _in_place("sin_")
sinh_, sqrt_, square_, tan_ = _in_place("sinh_"), _in_place("sqrt_"), _in_place("square_"), _in_place("tan_")
tanh_, trunc_, xlogy_, zero_ = _in_place("tanh_"), _in_place("trunc_"), _in_place("xlogy_"), _in_place("zero_")


# ----------------------------------------------------------------------------- sampling (minigan's one generator)
@_factory_out
def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, layout=None, device=None, pin_memory=False,
           requires_grad=False) -> Tensor:
    """Samples of N(mean, std²): ``normal(mean_tensor, std_tensor)`` (one per element, broadcast) or
    ``normal(0.0, 1.0, size=(n,))`` (a new leaf: ``requires_grad=True`` makes it a parameter to learn).  The
    draw is recorded with a zero gradient to mean and std (as in PyTorch)."""
    _F.only_defaults("normal", layout, pin_memory)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        if requires_grad or dtype is not None:  # PyTorch's tensor overloads have no such keywords
            raise TypeError("normal: requires_grad= and dtype= go with numbers mean and std and a size (PyTorch's "
                            "normal(0.0, 1.0, size)); with tensor mean or std, call .requires_grad_() on the result")
        recorded = [v for v in (mean, std) if isinstance(v, Tensor) and v.requires_grad]
        mean, std = (v.detach() if isinstance(v, Tensor) else v for v in (mean, std))
        like = mean if isinstance(mean, Tensor) else std
        if builtins.bool((~(std >= 0)).any() if isinstance(std, Tensor) else not std >= 0):  # (NaN too)
            raise DomainError("normal: std must be >= 0")
        noise = randn(*backend.broadcast_shapes(tuple(getattr(mean, "shape", ())), tuple(getattr(std, "shape", ()))),
                      generator=generator, dtype=like.dtype, device=like.device)
        sample = noise * std + mean
        for v in recorded:  # PyTorch records the draw, its gradient 0: where(True, sample, v) is the sample
            sample = _F.where(ones(sample.shape, dtype=builtins.bool, device=sample.device), sample, v)
        return sample
    if size is None:
        raise TypeError("normal: give a tensor mean or std, or numbers and size=(...)")
    if not std >= 0:  # (NaN too, as PyTorch's)
        raise DomainError(f"normal: std must be >= 0, got {std}")
    samples = randn(*_shape((size,), "normal"), generator=generator, dtype=dtype, device=device) * std + mean
    return _made(samples.array, requires_grad)

bernoulli = _with_out(_F.bernoulli)

multinomial = _with_out(_F.multinomial)


# ----------------------------------------------------------------------------- small compositions
def var_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """(var, mean) in one call, as ``torch.var_mean``."""
    x = _t(input, "var_mean")
    dim, unbiased = (None, dim) if isinstance(dim, builtins.bool) else (dim, unbiased)  # (var_mean(x, False): unbiased)
    return x.var(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim=keepdim)


def std_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """(std, mean) in one call, as ``torch.std_mean``."""
    x = _t(input, "std_mean")
    dim, unbiased = (None, dim) if isinstance(dim, builtins.bool) else (dim, unbiased)  # (std_mean(x, False): unbiased)
    return x.std(dim, unbiased, keepdim, correction=correction), x.mean(dim, keepdim=keepdim)

nan_to_num = _with_out(_F.nan_to_num)

diff = _F.diff

roll = _F.roll


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
    "abs_", "acos_", "acosh_", "arccos_", "arccosh_", "arcsin_", "arcsinh_", "arctan_", "arctanh_", "asin_",
    "asinh_", "atan_", "atanh_", "ceil_", "clamp_", "clamp_max_", "clamp_min_", "clip_", "cos_", "cosh_",
    "deg2rad_", "detach_", "erf_", "erfc_", "exp2_", "exp_", "expm1_", "fill_", "fix_", "floor_",
    "frac_", "index_put_", "log10_", "log1p_", "log2_", "log_", "logit_", "nan_to_num_", "neg_", "negative_",
    "rad2deg_", "reciprocal_", "relu_", "round_", "rsqrt_", "sigmoid_", "sin_", "sinh_", "sqrt_", "square_",
    "tan_", "tanh_", "trunc_", "xlogy_", "zero_", "histogram", "cross", "get_default_device", "set_default_device",
]
