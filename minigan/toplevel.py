"""The functions a PyTorch user calls as ``torch.*``, here as ``minigan.*``.

Constructors and random numbers (``zeros``, ``full``, ``arange``, ``randn_like``, ``randint``...), the legacy
typed constructors (``FloatTensor(2, 3)``, ``LongTensor([1, 2])``), and the free forms of Tensor methods
(``minigan.mean(x, dim=1)`` is ``x.mean(dim=1)``).  A free form is one line, its name bound to its body in
minigan/surface/ (``add = with_out(pointwise.add)``): ``with_out`` is PyTorch's ``out=`` door (surface/out.py)
where PyTorch's function has one, and the body, with PyTorch's signature, hands on to the method or op, so the
checks and the gradient are the method's.
"""

from __future__ import annotations

import builtins
import math
import string
import warnings

from minigan import _dtype, functional
from minigan._dtype import TYPE_NAMES
from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError, ShapeError
from minigan.engine.grad_mode import _DecoratorContextManager, is_grad_enabled, set_grad_enabled
from minigan.engine.grad_mode import decorated as _decorated
from minigan.engine.grad_mode import is_anomaly_enabled as _is_anomaly_enabled
from minigan.storage import address as _address
from minigan.surface import (
    creation,
    inplace,
    legacy,
    pointwise,
    printing,
    products,
    random,
    reductions,
    sampling,
    shapes,
    sorting,
)
from minigan.surface import indexing as surface_indexing
from minigan.surface import scaled as scaled_sums
from minigan.surface.creation import _like, _like_array, _like_xp, _made, _shape, _xp, allocated
from minigan.surface.einsum_plan import contract as _contract
from minigan.surface.generator import default_generator
from minigan.surface.operands import _t, fits
from minigan.surface.out import factory_out, with_out, write_out
from minigan.surface.products import einsum_arguments, einsum_letters
from minigan.surface.random_doors import integer_range, permutation_size
from minigan.surface.running_mean import mean as running_mean
from minigan.surface.tensor import Tensor, from_numpy, tensor


class LegacyConstructor:
    """``FloatTensor(2, 3)`` (sizes: zeros of that shape) or ``FloatTensor(data)`` (a copy cast to the type),
    PyTorch's typed constructors; ``isinstance(x, FloatTensor)`` checks the dtype, as in PyTorch.  ``minigan.cuda``'s
    (``device="cuda"``, as ``torch.cuda.FloatTensor``) make tensors on the GPU and check the device too."""

    def __init__(self, name, device="cpu"):
        # (x.type(minigan.cuda.FloatTensor) reads the device and moves x there)
        self.name, self.dtype, self.device = name, TYPE_NAMES[name], device

    def __call__(self, *data, device=None):
        if len(data) == 1 and device is None and self.device == "cpu" and legacy.shares(data[0], self.dtype):
            return legacy.shared(self.name, data[0], self.dtype, from_numpy)  # (a tensor, a storage, an array of
            # its dtype: shared)
        if device is None and self.device == "cuda":  # minigan.cuda's: on the GPU unless told otherwise
            device = "cuda"
        return Tensor(*data, dtype=self.dtype, device=device)

    def __instancecheck__(self, x):
        return isinstance(x, Tensor) and x.dtype == self.dtype and (self.device == "cpu" or x.device.type == "cuda")

    def __repr__(self):
        return f"minigan.{self.name}" if self.device == "cpu" else f"minigan.cuda.{self.name}"


# minigan.* is every name this module binds from here on that does not start with _ (the names bound above are
# its helpers): __all__, at the end, is derived from this line, and minigan/__init__.py reads it.
_HELPERS = set(globals())
from minigan.surface.cdist import cdist  # noqa: E402, F401  (a door of its own module)
from minigan.surface.ranges import arange, linspace, logspace  # noqa: E402, F401  (the range factories' module)
from minigan.surface.tensor import Size  # noqa: E402, F401

strided, contiguous_format, preserve_format = (creation.strided, creation.contiguous_format,  # layout= values
                                               creation.preserve_format)


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


def set_default_dtype(d, /) -> None:
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
    options = printing.OPTIONS
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
    default generator, as PyTorch's does (which reads the seed with ``int()`` first: 3.7 seeds 3)."""
    try:
        seed = int(seed)
    except (TypeError, ValueError, OverflowError) as exc:  # (int()'s own class, as PyTorch's)
        raise type(exc)(f"manual_seed: {exc}; give an integer seed") from None
    return default_generator.manual_seed(seed)


def initial_seed() -> int:
    """The seed minigan's random generators were last seeded with (``manual_seed`` or ``seed``)."""
    return default_generator.initial_seed()


def seed() -> int:
    """Seed minigan's random generators from the operating system's entropy; returns the seed."""
    return default_generator.seed()


def get_rng_state() -> Tensor:
    """The state of minigan's host generator as a uint8 Tensor, which ``set_rng_state`` takes back."""
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    """Put back a state that ``get_rng_state`` gave."""
    default_generator.set_state(new_state)


@factory_out
def randn(*shape, size=None, generator=None, requires_grad=False, dtype=None, device=None, layout=None,
          pin_memory=False) -> Tensor:
    """Standard normal samples (float32 unless dtype says otherwise), from ``generator`` or minigan's."""
    creation.only_defaults("randn", layout, pin_memory)
    shape = _shape(shape, "randn", size)
    drawn = allocated("randn", shape, dtype, lambda: random.randn(shape, dtype, _xp(device), generator))
    return _made(drawn, requires_grad)


@factory_out
def rand(*shape, size=None, generator=None, requires_grad=False, dtype=None, device=None, layout=None,
         pin_memory=False) -> Tensor:
    """Uniform [0, 1) samples."""
    creation.only_defaults("rand", layout, pin_memory)
    shape = _shape(shape, "rand", size)
    drawn = allocated("rand", shape, dtype, lambda: random.rand(shape, dtype, _xp(device), generator))
    return _made(drawn, requires_grad)


zeros = factory_out(creation.zeros)
ones = factory_out(creation.ones)


@factory_out
def empty(*shape, size=None, dtype=None, layout=None, device=None, requires_grad=False, pin_memory=False,
          memory_format=None) -> Tensor:
    """Zeros (PyTorch leaves the memory uninitialised; zeros are the safe choice for a learner)."""
    return creation.zeros(*shape, size=size, dtype=dtype, layout=layout, device=device, requires_grad=requires_grad,
                    pin_memory=pin_memory, memory_format=memory_format)


full = factory_out(creation.full)


def zeros_like(input, *, requires_grad=False, dtype=None, device=None, layout=None, memory_format=None) -> Tensor:
    x = _like(input, "zeros_like", layout, memory_format)
    return _made(_like_array(x, device, dtype, 0, "zeros_like", memory_format), requires_grad)


def ones_like(input, *, requires_grad=False, dtype=None, device=None, layout=None, memory_format=None) -> Tensor:
    x = _like(input, "ones_like", layout, memory_format)
    return _made(_like_array(x, device, dtype, 1, "ones_like", memory_format), requires_grad)


def empty_like(input, *, requires_grad=False, dtype=None, device=None, layout=None, memory_format=None) -> Tensor:
    """Zeros shaped as ``input`` (PyTorch leaves the memory uninitialised; zeros are the safe choice)."""
    return zeros_like(_like(input, "empty_like", layout, memory_format), requires_grad=requires_grad, dtype=dtype,
                      device=device, memory_format=memory_format)


def full_like(input, fill_value, *, requires_grad=False, dtype=None, device=None, layout=None,
              memory_format=None) -> Tensor:
    x = _like(input, "full_like", layout, memory_format)
    if not (checks.is_number(fill_value) or isinstance(fill_value, bool) or
            isinstance(fill_value, Tensor) and fill_value.ndim == 0):  # (a sequence or a string: PyTorch refuses)
        raise TypeError(f"full_like: fill_value must be a number, got {type(fill_value).__name__} {fill_value!r}")
    fill = creation.fill_number("full_like", fill_value)  # (a 0-d tensor that requires grad: PyTorch's TypeError)
    fits("full_like", fill, dtype or x.dtype)  # (NaN or ±inf into int64, 1e39 into float32: PyTorch's RuntimeError)
    return _made(_like_array(x, device, dtype, fill, "full_like", memory_format), requires_grad)


def randn_like(input, *, requires_grad=False, dtype=None, device=None, generator=None, layout=None,
               memory_format=None, pin_memory=False) -> Tensor:
    x = _like(input, "randn_like", layout, memory_format)
    creation.only_defaults("randn_like", pin_memory=pin_memory)
    drawn = allocated("randn_like", x.shape, dtype or x.dtype, lambda: random.randn(x.shape, dtype or x.dtype,
                                                                                      _like_xp(x, device), generator))
    return _made(_like_array(x, device, dtype, drawn, "randn_like", memory_format), requires_grad)


def rand_like(input, *, requires_grad=False, dtype=None, device=None, generator=None, layout=None,
              memory_format=None, pin_memory=False) -> Tensor:
    x = _like(input, "rand_like", layout, memory_format)
    creation.only_defaults("rand_like", pin_memory=pin_memory)
    drawn = allocated("rand_like", x.shape, dtype or x.dtype, lambda: random.rand(x.shape, dtype or x.dtype,
                                                                                    _like_xp(x, device), generator))
    return _made(_like_array(x, device, dtype, drawn, "rand_like", memory_format), requires_grad)


@factory_out
def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False,
            layout=None, pin_memory=False) -> Tensor:
    """Integers uniform in [low, high), int64 as in PyTorch: ``randint(high, size)``, ``randint(high, size=...)``
    (from 0), ``randint(low, high, size)``, or all by keyword."""
    creation.only_defaults("randint", layout, pin_memory)
    if size is None and isinstance(high, (tuple, list)):  # randint(high, size)
        low, high, size = 0, low, high
    elif high is None and size is not None:  # randint(high, size=...)
        low, high = 0, low
    if size is None or high is None:
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), size a tuple")
    low, high = creation.integer(low, "randint", "low"), creation.integer(high, "randint", "high")
    integer_range("randint", low, high, dtype or backend.np.int64)
    xp = _xp(device)
    shape = _shape((size,), "randint")
    out = allocated("randint", shape, backend.np.int64, lambda: random.randint(low, high, shape, xp, gen=generator))
    return _made(out.astype(dtype or backend.np.int64), requires_grad)  # (an integer dtype refuses requires_grad)


@factory_out
def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False, layout=None,
             pin_memory=False) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    creation.only_defaults("randperm", layout, pin_memory)
    n = creation.integer(n, "randperm", "n")
    permutation_size(n, dtype or backend.np.int64)
    xp = _xp(device)
    perm = allocated("randperm", (n,), backend.np.int64, lambda: random.permutation(n, xp, generator).astype(
        dtype or backend.np.int64))
    return _made(perm, requires_grad)


@factory_out
def eye(n, m=None, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False) -> Tensor:
    creation.only_defaults("eye", layout, pin_memory)
    n, m = creation.integer(n, "eye", "n"), n if m is None else creation.integer(m, "eye", "m")
    _shape((n, m), "eye")  # (sizes: a negative one is refused, a RuntimeError as PyTorch's)
    dtype = dtype or backend.DEFAULT_DTYPE
    return _made(allocated("eye", (n, m), dtype, lambda: _xp(device).eye(n, m, dtype=dtype)), requires_grad)


def is_tensor(obj, /) -> bool:  # (obj by position only, as PyTorch's)
    return isinstance(obj, Tensor)


class inference_mode(_DecoratorContextManager):
    """``with minigan.inference_mode():`` (or as a decorator): PyTorch's faster no_grad for pure inference.
    minigan has no separate inference tensors, so it is ``no_grad`` (``inference_mode(False)`` switches recording on,
    as PyTorch's does, even inside no_grad)."""

    def __new__(cls, mode=True):  # (PyTorch's parameter name: inference_mode(mode=False); a function: @inference_mode)
        return super().__new__(cls, mode)

    def __init__(self, mode: bool = True):
        self.mode = bool(mode)

    def __enter__(self):
        self.prev, self.prev_inference = is_grad_enabled(), _inference[0]
        set_grad_enabled(not self.mode)
        _inference[0] = self.mode  # (inference_mode(False) switches it off inside an inference_mode, as PyTorch's)
        return self

    def __exit__(self, *exc):
        _inference[0] = self.prev_inference
        set_grad_enabled(self.prev)
        return False

    def __call__(self, orig_func):
        return _decorated(lambda: inference_mode(self.mode), orig_func)


_inference = [False]  # whether the innermost inference_mode block open is inference_mode(True)


def is_inference_mode_enabled() -> bool:
    return _inference[0]


FloatTensor = LegacyConstructor("FloatTensor")
DoubleTensor = LegacyConstructor("DoubleTensor")
LongTensor = LegacyConstructor("LongTensor")
IntTensor = LegacyConstructor("IntTensor")
ByteTensor = LegacyConstructor("ByteTensor")
BoolTensor = LegacyConstructor("BoolTensor")


cat, stack = with_out(functional.cat), with_out(functional.stack)  # torch.cat(tensors, out=y) too
maximum = with_out(pointwise.maximum)
fmax = with_out(pointwise.fmax)
fmin = with_out(pointwise.fmin)
minimum = with_out(pointwise.minimum)


# ----------------------------------------------------------------------------- free forms of Tensor methods
sum = with_out(reductions.sum)
mean = with_out(reductions.mean)
max = with_out(reductions.max)
min = with_out(reductions.min)
argmax = with_out(reductions.argmax)
argmin = with_out(reductions.argmin)
logsumexp = with_out(reductions.logsumexp)


norm = reductions.norm  # (PyTorch's out= is its fifth positional argument: the body writes it)


abs = with_out(pointwise.abs)
exp = with_out(pointwise.exp)
log = with_out(pointwise.log)
sqrt = with_out(pointwise.sqrt)
sign = with_out(pointwise.sign)
tanh = with_out(pointwise.tanh)
sigmoid = with_out(pointwise.sigmoid)
relu = pointwise.relu
clamp = with_out(pointwise.clamp)
clip = clamp
softmax = pointwise.softmax
log_softmax = pointwise.log_softmax
matmul = with_out(products.matmul)
mm = with_out(products.mm)
reshape = shapes.reshape
flatten = shapes.flatten
squeeze = shapes.squeeze
unsqueeze = shapes.unsqueeze
transpose = shapes.transpose
permute = shapes.permute
numel = shapes.numel
where = with_out(pointwise.where)


# ----------------------------------------------------------------------------- elementwise math (surface/pointwise.py)
sin = with_out(pointwise.sin)
cos = with_out(pointwise.cos)
tan = with_out(pointwise.tan)
asin = with_out(pointwise.asin)
acos = with_out(pointwise.acos)
atan = with_out(pointwise.atan)
sinh = with_out(pointwise.sinh)
cosh = with_out(pointwise.cosh)
asinh = with_out(pointwise.asinh)
acosh = with_out(pointwise.acosh)
atanh = with_out(pointwise.atanh)
log1p = with_out(pointwise.log1p)
expm1 = with_out(pointwise.expm1)
exp2 = with_out(pointwise.exp2)
erf = with_out(pointwise.erf)
erfc = with_out(pointwise.erfc)
erfinv = with_out(pointwise.erfinv)
log2 = with_out(pointwise.log2)
log10 = with_out(pointwise.log10)
reciprocal = with_out(pointwise.reciprocal)
rsqrt = with_out(pointwise.rsqrt)
floor = with_out(pointwise.floor)
ceil = with_out(pointwise.ceil)
round = with_out(pointwise.round)
trunc = with_out(pointwise.trunc)
fix = trunc
frac = with_out(pointwise.frac)
atan2 = with_out(pointwise.atan2)
hypot = with_out(pointwise.hypot)


# NumPy's names, which PyTorch also accepts.
arcsin, arccos, arctan, arcsinh, arccosh, arctanh, arctan2 = asin, acos, atan, asinh, acosh, atanh, atan2


# ----------------------------------------------------------------------------- free forms of operators and methods
add = with_out(scaled_sums.add)
sub = with_out(scaled_sums.sub)
subtract = with_out(scaled_sums.subtract)
mul = with_out(pointwise.mul)
multiply = mul
div = with_out(pointwise.div)



divide = true_divide = div


pow = with_out(pointwise.pow)
neg = with_out(pointwise.neg)
negative = neg
square = with_out(pointwise.square)
std = with_out(reductions.std)
var = with_out(reductions.var)
t = shapes.t
bmm = with_out(products.bmm)
lerp = with_out(pointwise.lerp)
addmm = with_out(products.addmm)
baddbmm = with_out(products.baddbmm)
addbmm = with_out(products.addbmm)
addmv = with_out(products.addmv)
addr = with_out(products.addr)
dist = products.dist
outer = with_out(products.outer)
ger = outer
dot = with_out(products.dot)
clone = pointwise.clone
detach = pointwise.detach
chunk = shapes.chunk
split = shapes.split
narrow = shapes.narrow


# ----------------------------------------------------------------------------- comparisons and tests (no gradient)


eq = with_out(pointwise.eq)
ne = with_out(pointwise.ne)
gt = with_out(pointwise.gt)
ge = with_out(pointwise.ge)
lt = with_out(pointwise.lt)
le = with_out(pointwise.le)


greater, greater_equal, less, less_equal, not_equal = gt, ge, lt, le, ne

isnan = pointwise.isnan
isinf = pointwise.isinf
isfinite = pointwise.isfinite
logical_not = with_out(pointwise.logical_not)
logical_and = with_out(pointwise.logical_and)
logical_or = with_out(pointwise.logical_or)
logical_xor = with_out(pointwise.logical_xor)
bitwise_and = with_out(pointwise.bitwise_and)
bitwise_or = with_out(pointwise.bitwise_or)
bitwise_xor = with_out(pointwise.bitwise_xor)
bitwise_left_shift = with_out(pointwise.bitwise_left_shift)
bitwise_right_shift = with_out(pointwise.bitwise_right_shift)
bitwise_not = with_out(pointwise.bitwise_not)
all = with_out(reductions.all)
any = with_out(reductions.any)
isclose = pointwise.isclose
allclose = reductions.allclose
equal = reductions.equal
count_nonzero = reductions.count_nonzero
masked_fill = pointwise.masked_fill


# ----------------------------------------------------------------------------- more free functions, composed
e, pi, inf, nan = math.e, math.pi, math.inf, math.nan
newaxis = None  # x[:, minigan.newaxis] adds a dimension, as x[:, None]


absolute = with_out(pointwise.absolute)
positive = pointwise.positive
amax = with_out(reductions.amax)
amin = with_out(reductions.amin)
clamp_min = with_out(pointwise.clamp_min)
clamp_max = with_out(pointwise.clamp_max)


def as_tensor(data, *, dtype=None, device=None) -> Tensor:
    """A Tensor of ``data``: a Tensor of that dtype and device is returned as is; a NumPy array of a supported dtype
    shares its memory (as ``from_numpy``) when no conversion is asked; anything else is copied."""
    if isinstance(data, Tensor):
        return data.to(device=device, dtype=dtype)
    if backend.is_array(data) and dtype is None and device in (None, backend.device_of(data)) \
            and data.dtype.kind in "biuf":
        return from_numpy(data)  # (whose storage starts at the array's first element, a view's too)
    return tensor(data, dtype=dtype, device=device)


def asarray(obj, *, dtype=None, device=None, copy=None, requires_grad=False) -> Tensor:
    """``as_tensor`` (memory shared where it can be), or a copy when ``copy=True``; ``copy=False`` refuses where a
    copy is needed (as PyTorch's)."""
    out = tensor(obj, dtype=dtype, device=device) if copy else as_tensor(obj, dtype=dtype, device=device)
    if copy is False and backend.is_array(obj) and out.data_ptr() != _address(obj):
        raise ValueError("asarray: copy=False, but the data must be copied to give this dtype or device")
    return out.requires_grad_(True) if requires_grad else out


def scalar_tensor(s, dtype=None, device=None, *, requires_grad=False, layout=None, pin_memory=False) -> Tensor:
    """A 0-d tensor holding the number ``s`` (float32 by default, as PyTorch)."""
    creation.only_defaults("scalar_tensor", layout, pin_memory)
    s = creation.fill_number("scalar_tensor", s)  # (a 0-d tensor that needs no gradient is the number it holds)
    if dtype != backend.np.float16:  # (PyTorch's scalar_tensor makes a float16 past its range infinite)
        fits("scalar_tensor", s, dtype or backend.DEFAULT_DTYPE)
    return tensor(s, dtype=dtype or backend.DEFAULT_DTYPE, device=device, requires_grad=requires_grad)


broadcast_to = shapes.broadcast_to
is_floating_point = shapes.is_floating_point
is_nonzero = reductions.is_nonzero
is_same_size = shapes.is_same_size
floor_divide = with_out(pointwise.floor_divide)
remainder = with_out(pointwise.remainder)
fmod = with_out(pointwise.fmod)
rsub = scaled_sums.rsub
mv = with_out(products.mv)
inner = with_out(products.inner)
vdot = with_out(products.vdot)
addcmul = with_out(scaled_sums.addcmul)
addcdiv = with_out(scaled_sums.addcdiv)
logaddexp = with_out(pointwise.logaddexp)
xlogy = with_out(pointwise.xlogy)
logit = with_out(pointwise.logit)
deg2rad = with_out(pointwise.deg2rad)
rad2deg = with_out(pointwise.rad2deg)
concat = with_out(shapes.concat)
concatenate = with_out(shapes.concatenate)
hstack = with_out(shapes.hstack)
vstack = with_out(shapes.vstack)
row_stack = vstack
swapaxes = shapes.swapaxes
swapdims = shapes.swapdims
movedim = shapes.movedim
moveaxis = movedim
ravel = shapes.ravel
unbind = shapes.unbind
repeat_interleave = shapes.repeat_interleave


def broadcast_tensors(*tensors):
    """The tensors expanded to their common shape (views: no copy); one that has it already is given back itself,
    as PyTorch's (under no_grad too: so its gradient still flows)."""
    xs = [_t(t, "broadcast_tensors") for t in tensors]
    shape = backend.broadcast_shapes(*[tuple(x.shape) for x in xs])
    return tuple(x if tuple(x.shape) == shape else x.expand(*shape) for x in xs)


atleast_1d = shapes.atleast_1d
atleast_2d = shapes.atleast_2d
atleast_3d = shapes.atleast_3d
column_stack = with_out(shapes.column_stack)
dstack = with_out(shapes.dstack)
hsplit = shapes.hsplit
vsplit = shapes.vsplit
dsplit = shapes.dsplit
unflatten = shapes.unflatten
rot90 = shapes.rot90
tensor_split = shapes.tensor_split
flip = shapes.flip
fliplr = shapes.fliplr
flipud = shapes.flipud
tile = shapes.tile
tril = with_out(shapes.tril)
triu = with_out(shapes.triu)
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
gather = with_out(surface_indexing.gather)
scatter = with_out(surface_indexing.scatter)
scatter_add = surface_indexing.scatter_add
index_select = with_out(surface_indexing.index_select)
nonzero = with_out(surface_indexing.nonzero)
argwhere = surface_indexing.argwhere
masked_select = with_out(surface_indexing.masked_select)
unique = sorting.unique
index_add = with_out(surface_indexing.index_add)
index_put = surface_indexing.index_put
take = surface_indexing.take
take_along_dim = with_out(surface_indexing.take_along_dim)
index_copy = with_out(surface_indexing.index_copy)
index_fill = surface_indexing.index_fill
argsort = with_out(sorting.argsort)
sort = with_out(sorting.sort)
topk = with_out(sorting.topk)
kthvalue = with_out(sorting.kthvalue)
median = with_out(sorting.median)
quantile = with_out(sorting.quantile)
nansum = reductions.nansum
nanmean = with_out(reductions.nanmean)
cummax = with_out(reductions.cummax)
cummin = with_out(reductions.cummin)
logcumsumexp = with_out(reductions.logcumsumexp)
bincount = reductions.bincount
histc = with_out(reductions.histc)
aminmax = with_out(reductions.aminmax)
cumsum = with_out(reductions.cumsum)
prod = with_out(reductions.prod)
cumprod = with_out(reductions.cumprod)


# ----------------------------------------------------------------------------- einsum
def einsum(*args):
    """Sums of products named by letters: "ij,jk->ik" is a matrix product, "ii" a trace, "ii->i" a diagonal,
    "bij,bjk->bik" a batched product, "...ij->...ji" works on any leading axes; without "->" the output holds the
    letters that appear once, in alphabetical order.  PyTorch's sublist form einsum(a, [0, 1], b, [1, 2], [0, 2])
    is the same equation spelled in ints.  Computed by PyTorch's plan (minigan/surface/einsum_plan.py: diagonals,
    permutes, then left to right a bmm of each pair, or a mul), so its layout, views, dtypes and gradients are
    PyTorch's; differentiable to any order."""
    equation, operands = einsum_arguments(args)
    xs = [_t(x, "einsum") for x in operands]
    inputs, output = einsum_letters(equation.replace(" ", ""), xs)  # (the count of operands first, as PyTorch's)
    return _contract(inputs, output, xs, equation)  # (PyTorch's steps: a product of two dtypes, or of
    # bools, is refused by its bmm, as there; a mul promotes)


def tensordot(a, b, dims=2, out=None):
    """The sum of a·b over the last ``dims`` axes of a and the first of b (or over the axes listed in a pair of
    lists), written as an einsum."""
    if out is not None:
        return write_out("tensordot", tensordot(a, b, dims), out)
    x, y = _t(a, "tensordot"), _t(b, "tensordot")
    if isinstance(dims, Tensor):  # (PyTorch's: a tensor of one int, or of the two lists)
        dims = dims.tolist() if dims.numel() > 1 else int(dims.item())
    if checks.is_integer(dims):
        dims = int(dims)
        if not 0 <= dims <= builtins.min(x.ndim, y.ndim):  # (PyTorch: RuntimeError)
            raise DomainError(f"tensordot: dims={dims} must be from 0 to {builtins.min(x.ndim, y.ndim)}")
        dims = (list(range(x.ndim - dims, x.ndim)), list(range(dims)))
    if not isinstance(dims, (list, tuple)):
        raise DomainError(f"tensordot: dims must be an int or a pair of lists of axes, got {dims!r}")
    if builtins.len(dims) != 2:
        raise ValueError(f"tensordot: dims must be a pair of lists of axes (a's, b's), got {dims!r}")
    axes_a, axes_b = dims
    if not builtins.all(isinstance(d, (list, tuple)) for d in dims):
        raise TypeError(f"tensordot: dims must be a pair of lists of axes (a's, b's), got {dims!r}")
    if builtins.len(axes_a) != builtins.len(axes_b):
        raise DomainError(f"tensordot: dims {dims} must list as many axes of a as of b")
    if x.dtype != y.dtype:
        raise DtypeError(f"tensordot: a and b must share a dtype, got {x.dtype} and {y.dtype}")
    letters = iter(string.ascii_letters)
    left = [next(letters) for _ in range(x.ndim)]
    right = [next(letters) for _ in range(y.ndim)]
    for i, j in zip(axes_a, axes_b):
        i, j = checks.normalize_axis(i, x.ndim, "tensordot", single=True), \
            checks.normalize_axis(j, y.ndim, "tensordot", single=True)
        right[j] = left[i]  # a contracted pair shares a letter
        if y.shape[j] == 1 and x.shape[i] != 1:  # a size 1 against n (0 too: zeros): PyTorch sums the other
            x = x.sum(i, keepdim=True, dtype=x.dtype)  # operand's n first, b's 1 looked at first (the same sum, whose
        elif x.shape[i] == 1 and y.shape[j] != 1:  # order shows where ∞ and −∞ meet)
            y = y.sum(j, keepdim=True, dtype=y.dtype)
    if x.dtype == _dtype.bool:  # (PyTorch's product kernel has no bool form)
        raise DtypeError("tensordot: bool tensors are not multiplied here, as in PyTorch; convert them with .int()")
    out = [c for c in left if c not in right] + [c for c in right if c not in left]
    product = einsum(f"{''.join(left)},{''.join(right)}->{''.join(out)}", x, y)  # (no axis summed: a mul, laid
    return products.view_of_product(product.contiguous())  # out as its operands; PyTorch's mm is row-major)

diag = with_out(products.diag)
trace = products.trace


def meshgrid(*tensors, indexing=None):
    """Coordinate grids from 1-D tensors: with ``indexing="ij"`` grid k varies along axis k; with "xy" the first
    two axes swap (x along columns, as for plotting).  Each grid is its vector expanded, sharing its memory."""
    if builtins.len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    xs = [_t(t, "meshgrid") for t in tensors]  # PyTorch's checks, in its order:
    if not xs:
        raise ShapeError("meshgrid: expects a non-empty list of tensors")
    if builtins.len({x.dtype for x in xs}) > 1:
        raise DtypeError(f"meshgrid: expects all tensors to have the same dtype, got {[str(x.dtype) for x in xs]}")
    if indexing is None:  # PyTorch's default, "ij", with its warning
        warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
                      UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise DomainError(f"meshgrid: indexing must be 'ij' or 'xy', got {indexing!r}")
    if builtins.any(x.ndim > 1 for x in xs):
        raise ShapeError(f"meshgrid: expected 0-D or 1-D tensors, got shapes {[tuple(x.shape) for x in xs]}")
    xs = [x.reshape(-1) for x in xs]
    order = list(range(builtins.len(xs)))
    if indexing == "xy" and builtins.len(xs) >= 2:
        order[0], order[1] = 1, 0
    shape = tuple(xs[k].shape[0] for k in order)
    return tuple(x.reshape([-1 if order[a] == k else 1 for a in range(builtins.len(xs))]).expand(*shape)
                 for k, x in enumerate(xs))


histogram = reductions.histogram


cross = with_out(products.cross)


# ----------------------------------------------------------------------------- in-place free forms
abs_ = inplace.abs_
acos_ = inplace.acos_
acosh_ = inplace.acosh_
arccos_ = inplace.arccos_
arccosh_ = inplace.arccosh_
arcsin_ = inplace.arcsin_
arcsinh_ = inplace.arcsinh_
arctan_ = inplace.arctan_
arctanh_ = inplace.arctanh_
asin_ = inplace.asin_
asinh_ = inplace.asinh_
atan_ = inplace.atan_
atanh_ = inplace.atanh_
ceil_ = inplace.ceil_
clamp_ = inplace.clamp_
clamp_max_ = inplace.clamp_max_
clamp_min_ = inplace.clamp_min_
clip_ = inplace.clip_
cos_ = inplace.cos_
cosh_ = inplace.cosh_
deg2rad_ = inplace.deg2rad_
detach_ = inplace.detach_
erf_ = inplace.erf_
erfc_ = inplace.erfc_
exp2_ = inplace.exp2_
exp_ = inplace.exp_
expm1_ = inplace.expm1_
fill_ = inplace.fill_
fix_ = inplace.fix_
floor_ = inplace.floor_
frac_ = inplace.frac_
index_put_ = inplace.index_put_
log10_ = inplace.log10_
log1p_ = inplace.log1p_
log2_ = inplace.log2_
log_ = inplace.log_
logit_ = inplace.logit_
nan_to_num_ = inplace.nan_to_num_
neg_ = inplace.neg_
negative_ = inplace.negative_
rad2deg_ = inplace.rad2deg_
reciprocal_ = inplace.reciprocal_
relu_ = inplace.relu_
round_ = inplace.round_
rsqrt_ = inplace.rsqrt_
sigmoid_ = inplace.sigmoid_
sin_ = inplace.sin_
sinh_ = inplace.sinh_
sqrt_ = inplace.sqrt_
square_ = inplace.square_
tan_ = inplace.tan_
tanh_ = inplace.tanh_
trunc_ = inplace.trunc_
xlogy_ = inplace.xlogy_
zero_ = inplace.zero_


# ----------------------------------------------------------------------------- sampling (minigan's one generator)
@factory_out
def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, layout=None, device=None, pin_memory=False,
           requires_grad=False) -> Tensor:
    """Samples of N(mean, std²): ``normal(mean_tensor, std_tensor)`` (one per element, broadcast) or
    ``normal(0.0, 1.0, size=(n,))`` (a new leaf: ``requires_grad=True`` makes it a parameter to learn).  The
    draw is recorded with a zero gradient to mean and std (as in PyTorch)."""
    creation.only_defaults("normal", layout, pin_memory)
    if isinstance(mean, Tensor) or isinstance(std, Tensor):
        if requires_grad or dtype is not None:  # PyTorch's tensor overloads have no such keywords
            raise TypeError("normal: requires_grad= and dtype= go with numbers mean and std and a size (PyTorch's "
                            "normal(0.0, 1.0, size)); with tensor mean or std, call .requires_grad_() on the result")
        recorded = [v for v in (mean, std) if isinstance(v, Tensor) and v.requires_grad]
        mean, std = (v.detach() if isinstance(v, Tensor) else v for v in (mean, std))
        like = mean if isinstance(mean, Tensor) else std  # (whose dtype the result has, as PyTorch's)
        if builtins.bool((~(std >= 0)).any() if isinstance(std, Tensor) else not std >= 0):  # (NaN too)
            raise DomainError("normal: std must be >= 0")
        if not isinstance(mean, Tensor) and std.dtype != backend.np.float16:  # PyTorch adds the mean to a tensor
            # of std's dtype: it must fit there (no NaN in int64, no 1e40 in float32; float16's sum is not checked)
            fits("normal", builtins.float(checks.number(mean)), std.dtype)
        noise = randn(*backend.broadcast_shapes(tuple(getattr(mean, "shape", ())), tuple(getattr(std, "shape", ()))),
                      generator=generator, dtype=like.dtype, device=like.device)
        if isinstance(std, Tensor) and not backend.np.can_cast(std.dtype, like.dtype, "same_kind"):  # (after the
            # draw, which refuses integers with entries first)
            raise DomainError(f"normal: std's dtype {std.dtype} cannot be cast to mean's {like.dtype}, the result's; "
                              "give them one kind of dtype")
        sample = (noise * std + mean).to(like.dtype) if noise.dtype.kind == "f" else noise  # (no entries of
        # integers: as drawn)
        for v in recorded:  # PyTorch records the draw, its gradient 0: where(True, sample, v) is the sample
            sample = pointwise.where(ones(sample.shape, dtype=builtins.bool, device=sample.device), sample, v).to(
                sample.dtype)
        return sample
    if size is None:
        raise TypeError("normal: give a tensor mean or std, or numbers and size=(...)")
    if not std >= 0:  # (NaN too, as PyTorch's)
        raise DomainError(f"normal: std must be >= 0, got {std}")
    shape, dtype = _shape((size,), "normal"), dtype or backend.DEFAULT_DTYPE
    if backend.np.dtype(dtype).kind != "f" and 0 in shape:  # (an empty draw of integers stays so)
        return _made(_xp(device).zeros(shape, dtype), requires_grad)
    return _made(allocated("normal", shape, dtype, lambda: random.normal(shape, dtype, mean, std, _xp(device),
                                                                        generator)), requires_grad)

bernoulli = with_out(sampling.bernoulli)
multinomial = with_out(sampling.multinomial)


# ----------------------------------------------------------------------------- small compositions
def var_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """(var, mean) in one call, as ``torch.var_mean``."""
    x = _t(input, "var_mean")
    dim, unbiased = (None, dim) if isinstance(dim, builtins.bool) else (dim, unbiased)  # (var_mean(x, False): unbiased)
    return x.var(dim, unbiased, keepdim, correction=correction), running_mean(x, dim, keepdim)


def std_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None):
    """(std, mean) in one call, as ``torch.std_mean``."""
    x = _t(input, "std_mean")
    dim, unbiased = (None, dim) if isinstance(dim, builtins.bool) else (dim, unbiased)  # (std_mean(x, False): unbiased)
    return x.std(dim, unbiased, keepdim, correction=correction), running_mean(x, dim, keepdim)

nan_to_num = with_out(pointwise.nan_to_num)
diff = reductions.diff
roll = shapes.roll

__all__ = sorted(name for name in globals() if name not in _HELPERS and not name.startswith("_"))
