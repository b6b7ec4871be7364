"""Elementwise arithmetic: forward and backward side by side.

Binary ops broadcast like NumPy; ``unbroadcast`` sums each gradient back to its input's shape.
``needs_input_grad[i]`` is False for inputs that need no gradient (constants, a frozen
network), and then that gradient is not computed at all.
"""

from minigan import backend
from minigan.errors import DomainError
from minigan.function import Function, unbroadcast


class Add(Function):
    def forward(self, a, b):
        self.shapes = (a.shape, b.shape)
        return a + b

    def backward(self, grad):  # d(a+b)/da = 1, d(a+b)/db = 1
        sa, sb = self.shapes
        ga, gb = self.needs_input_grad
        return (unbroadcast(grad, sa) if ga else None, unbroadcast(grad, sb) if gb else None)


class Sub(Function):
    def forward(self, a, b):
        self.shapes = (a.shape, b.shape)
        return a - b

    def backward(self, grad):  # d(a-b)/da = 1, d(a-b)/db = -1
        sa, sb = self.shapes
        ga, gb = self.needs_input_grad
        return (unbroadcast(grad, sa) if ga else None, unbroadcast(-grad, sb) if gb else None)


class Mul(Function):
    def forward(self, a, b):
        self.saved = (a, b)
        return a * b

    def backward(self, grad):  # d(ab)/da = b, d(ab)/db = a
        a, b = self.saved
        ga, gb = self.needs_input_grad
        return (unbroadcast(grad * b, a.shape) if ga else None, unbroadcast(grad * a, b.shape) if gb else None)


class Div(Function):
    def forward(self, a, b):
        self.saved = (a, b)
        return a / b

    def backward(self, grad):  # d(a/b)/da = 1/b, d(a/b)/db = -a/b²
        a, b = self.saved
        ga, gb = self.needs_input_grad
        da = unbroadcast(grad / b, a.shape) if ga else None
        db = unbroadcast(-grad * a / (b * b), b.shape) if gb else None
        return da, db


class Neg(Function):
    def forward(self, a):
        return -a

    def backward(self, grad):  # d(-a)/da = -1
        return (-grad,)


class Pow(Function):
    """a ** b for a tensor (or constant) exponent b."""

    def forward(self, a, b):
        out = a**b
        self.saved = (a, b, out)
        return out

    def backward(self, grad):  # d(a^b)/da = b·a^(b−1), d(a^b)/db = a^b·log a
        a, b, out = self.saved
        ga, gb = self.needs_input_grad
        xp = backend.get_array_module(a)
        da = unbroadcast(grad * b * a ** (b - 1), a.shape) if ga else None
        db = None
        if gb:  # log a is only real for a > 0; a ≤ 0 contributes 0, as in PyTorch when out = 0
            safe_log = xp.log(xp.where(a > 0, a, 1))
            db = unbroadcast(grad * out * safe_log, b.shape)
        return da, db


class Exp(Function):
    def forward(self, a):
        out = backend.get_array_module(a).exp(a)
        self.saved = out
        return out

    def backward(self, grad):  # d(e^a)/da = e^a
        return (grad * self.saved,)


class Log(Function):
    def forward(self, a):
        self.saved = a
        return backend.get_array_module(a).log(a)

    def backward(self, grad):  # d(log a)/da = 1/a
        return (grad / self.saved,)


class Abs(Function):
    def forward(self, a):
        self.saved = a
        return abs(a)

    def backward(self, grad):  # d|a|/da = sign(a)  (0 at a = 0, like PyTorch)
        return (grad * backend.get_array_module(grad).sign(self.saved),)


class Sqrt(Function):
    def forward(self, a):
        out = backend.get_array_module(a).sqrt(a)
        self.saved = out
        return out

    def backward(self, grad):  # d√a/da = 1/(2√a)
        return (grad / (2 * self.saved),)


class Clamp(Function):
    """Clip values to [lo, hi] (either bound may be None)."""

    def forward(self, a, lo=None, hi=None):
        if lo is not None and hi is not None and lo > hi:
            raise DomainError(f"clamp: min={lo} is greater than max={hi}, expected min <= max")
        xp = backend.get_array_module(a)
        self.saved = a
        self.lo, self.hi = lo, hi
        return xp.clip(a, lo, hi)

    def backward(self, grad):  # d clip(a)/da = 1 inside [lo, hi], 0 where clipped
        a = self.saved
        inside = True
        if self.lo is not None:
            inside = a >= self.lo
        if self.hi is not None:
            inside = inside & (a <= self.hi)
        return (grad * inside,)


class Cast(Function):
    """Change dtype; the gradient is cast back to the input's dtype."""

    def forward(self, a, dtype):
        self.in_dtype = a.dtype
        return a.astype(dtype, copy=False)

    def backward(self, grad):  # d cast(a)/da = 1
        return (grad.astype(self.in_dtype, copy=False),)
