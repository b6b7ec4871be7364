"""The functions a PyTorch user calls as ``torch.*``, here as ``minigan.*``.

Constructors and random numbers (``zeros``, ``full``, ``arange``, ``randn_like``, ``randint``...), the legacy
typed constructors (``FloatTensor(2, 3)``, ``LongTensor([1, 2])``), and the free forms of Tensor methods
(``minigan.mean(x, dim=1)`` is ``x.mean(dim=1)``): each is one line that hands over to the Tensor, so the
checks and the gradient are the method's.
"""

from __future__ import annotations

from minigan import backend
from minigan.dtypes import TYPE_NAMES
from minigan.ops import elementwise as E
from minigan.tensor import Tensor, maximum, minimum, tensor


def _shape(shape, fn):
    """``zeros(2, 3)`` or ``zeros((2, 3))``: non-negative integer sizes."""
    shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else tuple(shape)
    for n in shape:
        integer = isinstance(n, (int, backend.np.integer)) and not isinstance(n, bool)
        if not integer or n < 0:
            error = ValueError if integer else TypeError
            raise error(f"{fn}: got shape {shape!r}, expected non-negative integer sizes")
    return tuple(int(n) for n in shape)


def _xp(device):
    return backend.module_for_device(backend.Device(device).type) if device is not None else backend.active_module()


def _made(array, requires_grad) -> Tensor:
    t = Tensor._make(array)
    return t.requires_grad_(True) if requires_grad else t


# ----------------------------------------------------------------------------- constructors
def manual_seed(seed: int) -> None:
    """Seed minigan's random generators (data, initialisation, dropout, noise) on every backend."""
    backend.manual_seed(seed)


def randn(*shape, requires_grad=False, dtype=None, device=None) -> Tensor:
    """Standard normal samples (float32 unless dtype says otherwise)."""
    return _made(backend.randn(_shape(shape, "randn"), dtype=dtype, xp=_xp(device)), requires_grad)


def rand(*shape, requires_grad=False, dtype=None, device=None) -> Tensor:
    """Uniform [0, 1) samples."""
    return _made(backend.rand(_shape(shape, "rand"), dtype=dtype, xp=_xp(device)), requires_grad)


def zeros(*shape, requires_grad=False, dtype=None, device=None) -> Tensor:
    return _made(_xp(device).zeros(_shape(shape, "zeros"), dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


def ones(*shape, requires_grad=False, dtype=None, device=None) -> Tensor:
    return _made(_xp(device).ones(_shape(shape, "ones"), dtype=dtype or backend.DEFAULT_DTYPE), requires_grad)


empty = zeros  # PyTorch leaves the memory uninitialised; zeros are the safe choice for a learner


def full(size, fill_value, requires_grad=False, dtype=None, device=None) -> Tensor:
    return _made(_xp(device).full(_shape((size,), "full"), fill_value, dtype=dtype or backend.DEFAULT_DTYPE),
                 requires_grad)


def _like(x, fn):
    if not isinstance(x, Tensor):
        raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__}")
    return x


def zeros_like(x, requires_grad=False, dtype=None) -> Tensor:
    x = _like(x, "zeros_like")
    return _made(backend.get_array_module(x.array).zeros(x.shape, dtype=dtype or x.dtype), requires_grad)


def ones_like(x, requires_grad=False, dtype=None) -> Tensor:
    x = _like(x, "ones_like")
    return _made(backend.get_array_module(x.array).ones(x.shape, dtype=dtype or x.dtype), requires_grad)


def full_like(x, fill_value, requires_grad=False, dtype=None) -> Tensor:
    x = _like(x, "full_like")
    return _made(backend.get_array_module(x.array).full(x.shape, fill_value, dtype=dtype or x.dtype), requires_grad)


def randn_like(x, requires_grad=False, dtype=None) -> Tensor:
    x = _like(x, "randn_like")
    return _made(backend.randn(x.shape, dtype=dtype or x.dtype, xp=backend.get_array_module(x.array)), requires_grad)


def rand_like(x, requires_grad=False, dtype=None) -> Tensor:
    x = _like(x, "rand_like")
    return _made(backend.rand(x.shape, dtype=dtype or x.dtype, xp=backend.get_array_module(x.array)), requires_grad)


def randint(low, high=None, size=None, dtype=None, device=None) -> Tensor:
    """Integers uniform in [low, high) (``randint(high, size)`` starts at 0), int64 as in PyTorch."""
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if size is None or high is None:
        raise TypeError("randint: expected randint(high, size) or randint(low, high, size), size a tuple")
    if not low < high:
        raise ValueError(f"randint: expected low < high, got low={low}, high={high}")
    xp = _xp(device)
    out = backend.generator(xp).integers(low, high, size=_shape((size,), "randint"))
    return Tensor._make(out.astype(dtype or backend.np.int64))


def randperm(n, dtype=None, device=None) -> Tensor:
    """A random permutation of 0..n-1 (int64)."""
    xp = _xp(device)
    return Tensor._make(backend.generator(xp).permutation(int(n)).astype(dtype or backend.np.int64))


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    """start, start+step, ... < end; int64 when every argument is an int, else float32 (as PyTorch)."""
    if end is None:
        start, end = 0, start
    ints = all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end, step))
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


# ----------------------------------------------------------------------------- free forms of Tensor methods
def _t(x, fn) -> Tensor:
    if isinstance(x, Tensor):
        return x
    raise TypeError(f"{fn}: expected a Tensor, got {type(x).__name__} (wrap it with minigan.tensor(...))")


def sum(x, dim=None, keepdim=False):
    return _t(x, "sum").sum(dim, keepdim)


def mean(x, dim=None, keepdim=False):
    return _t(x, "mean").mean(dim, keepdim)


def max(x, dim=None, keepdim=False):
    """``max(x)``, ``max(x, dim)`` → (values, indices), or ``max(a, b)``: the elementwise maximum."""
    return _t(x, "max").max(dim, keepdim)


def min(x, dim=None, keepdim=False):
    return _t(x, "min").min(dim, keepdim)


def argmax(x, dim=None, keepdim=False):
    return _t(x, "argmax").argmax(dim, keepdim)


def argmin(x, dim=None, keepdim=False):
    return _t(x, "argmin").argmin(dim, keepdim)


def logsumexp(x, dim, keepdim=False):
    return _t(x, "logsumexp").logsumexp(dim, keepdim)


def norm(x, p="fro", dim=None, keepdim=False):
    return _t(x, "norm").norm(p, dim, keepdim)


def abs(x):
    return _t(x, "abs").abs()


def exp(x):
    return _t(x, "exp").exp()


def log(x):
    return _t(x, "log").log()


def sqrt(x):
    return _t(x, "sqrt").sqrt()


def sign(x):
    return _t(x, "sign").sign()


def tanh(x):
    return _t(x, "tanh").tanh()


def sigmoid(x):
    return _t(x, "sigmoid").sigmoid()


def relu(x):
    return _t(x, "relu").relu()


def clamp(x, min=None, max=None):
    return _t(x, "clamp").clamp(min, max)


clip = clamp


def softmax(x, dim):
    return _t(x, "softmax").softmax(dim)


def log_softmax(x, dim):
    return _t(x, "log_softmax").log_softmax(dim)


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


def where(condition, a, b):
    """``a`` where ``condition`` holds, else ``b`` (a or b may be a number); the gradient flows to a and b."""
    cond = condition.array if isinstance(condition, Tensor) else condition
    if not backend.is_array(cond) or cond.dtype != backend.np.bool_:
        raise TypeError("where: condition must be a bool Tensor or array (e.g. x > 0)")
    like = a if isinstance(a, Tensor) else _t(b, "where")
    a, b = like._operand(a, "where"), like._operand(b, "where")
    backend.broadcast_shapes(cond.shape, a.shape, b.shape)  # raises on shapes that do not broadcast
    return E.Where.apply(a, b, cond=cond)


__all__ = [
    "manual_seed", "randn", "rand", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "full_like",
    "randn_like", "rand_like", "randint", "randperm", "arange", "linspace", "eye", "is_tensor", "tensor",
    "LegacyConstructor", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor",
    "sum", "mean", "max", "min", "argmax", "argmin", "logsumexp", "norm", "abs", "exp", "log", "sqrt", "sign",
    "tanh", "sigmoid", "relu", "clamp", "clip", "softmax", "log_softmax", "matmul", "mm", "reshape", "flatten",
    "squeeze", "unsqueeze", "transpose", "permute", "numel", "where", "maximum", "minimum",
]
