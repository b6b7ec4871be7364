"""``F.relu``, ``F.softmax``, ``F.gelu``, ...: the elementwise non-linearities and their in-place forms (PyTorch's
"Non-linear activation functions").
"""

from __future__ import annotations

import functools
import math
import warnings

from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DivisionByZero, DomainError, DtypeError, GraphError, ShapeError
from minigan.engine.graph import Node, namespace, unbroadcast, value, zeros
from minigan.engine.ops import activation
from minigan.functional._common import _float, _into, _number, _tensor
from minigan.surface import operands, parity, pieces, random
from minigan.surface import unary as U
from minigan.surface.elu import ELU
from minigan.surface.node_view import shown_as
from minigan.surface.saved import saves
from minigan.surface.shapes import cat
from minigan.surface.tensor import Tensor


def _integer_or_float(x, op) -> Tensor:
    """The input of a function PyTorch computes on integers too (in their dtype): bool is refused, as there."""
    x = _tensor(x, op)
    if x.dtype.kind == "b":  # (a RuntimeError for hardtanh, "not implemented for 'Bool'" for threshold, as PyTorch's)
        cls = DomainError if op == "hardtanh" else DtypeError
        raise cls(f"{op}: bool tensors are not supported (PyTorch refuses them too); use x.float() or x.long()")
    return x


def _scalar(op, name, value) -> float:
    """A number argument as PyTorch's Scalar takes it: an int, a float, a NumPy scalar, a bool (True is 1), or a 0-d
    tensor that does not require grad (its value; one that does, or of more entries, is refused, as PyTorch's)."""
    if isinstance(value, Tensor) and value.ndim == 0 and not value.requires_grad:
        value = value.item()
    return float(value) if isinstance(value, (bool, backend.np.bool_)) else _number(op, name, value)


def _in_dtype(op, name, value, dtype):
    """``value`` as PyTorch's kernel converts it to the input's dtype: an integer truncated toward zero, and refused
    (a RuntimeError, as PyTorch's "value cannot be converted to type ... without overflow") where it does not fit:
    NaN or ±∞ for an integer dtype, a finite number beyond the largest float32 for float32."""
    if dtype.kind == "f":
        fits = not math.isfinite(value) or abs(value) <= _largest(dtype)
    else:
        info = backend.np.iinfo(dtype)
        fits = math.isfinite(value) and info.min <= value <= info.max  # (before truncating: −0.75 is no uint8)
    if not fits:
        raise DomainError(f"{op}: {name}={value!r} cannot be converted to the input's dtype {dtype} without overflow; "
                          "pass a number in its range")
    return value if dtype.kind == "f" else int(value)


@functools.cache
def _largest(dtype) -> float:
    """A floating dtype's largest finite number, asked of numpy.finfo once per dtype (a Python call of its own, which
    each leaky_relu, elu, softplus... paid at its door)."""
    return float(backend.np.finfo(dtype).max)


class _NoInPlaceBackward(Node):
    """The history of an in-place elu_/celu_/leaky_relu_ whose α or slope is negative or NaN: the forward ran (its
    value is handed back); a backward that reaches it refuses, as PyTorch's, which computes it from the result alone
    (x is overwritten), and a negative slope does not tell from the result which side of 0 x was on."""

    def forward(self, x, value, op):
        self.op = op
        return value

    def backward(self, grad):  # no derivative from the result alone
        raise GraphError(f"{self.op}: the in-place form with a negative slope has no backward (PyTorch's is computed "
                         f"from the result, which does not tell the sign of x); call {self.op.rstrip('_')} instead")


def _in_place(input, op, fn, slope):
    """``fn`` written into ``input`` (PyTorch's in-place elu_, celu_, leaky_relu_), refusing only a later backward
    where ``slope`` is not ≥ 0.  PyTorch's node saves the result (its backward is computed from it): a later change
    in place to it is refused."""
    if slope >= 0:
        return saves(_into(input, op.rstrip("_"), fn), input)
    return saves(_into(input, op.rstrip("_"), lambda t: _NoInPlaceBackward.apply(t, value=fn(t).detach().array,
                                                                                 op=op) if t.requires_grad else fn(t)),
                 input)


# ----------------------------------------------------------------------------- activations
# Each is the Tensor method of the same name (minigan/engine/methods.py), so the checks are the same whichever door
# is used.
def relu(input, inplace=False):
    if not inplace and isinstance(input, Tensor) and input.array.dtype.kind == "f":  # the usual call: the node at once
        return activation.ReLU.apply(input)
    if inplace:
        return _into(input, "relu", lambda t: relu(t))
    return _tensor(input, "relu").relu()


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if type(negative_slope) is float and abs(negative_slope) <= 1 and not inplace and isinstance(input, Tensor) and \
            input.array.dtype.kind == "f":  # the usual call, a float slope every floating dtype holds: the node at once
        return activation.LeakyReLU.apply(input, negative_slope=negative_slope)
    slope = _scalar("leaky_relu", "negative_slope", negative_slope)
    if inplace:
        return _in_place(input, "leaky_relu_", lambda t: _leaky_relu_of_result(t, slope), slope)
    input = _float(input, "leaky_relu")
    return input.leaky_relu(_in_dtype("leaky_relu", "negative_slope", slope, input.dtype))


def _leaky_relu_of_result(t, slope):
    """leaky_relu_'s computation: the node that reads its result, shown as PyTorch's in-place node."""
    t = _float(t, "leaky_relu")
    out = activation.LeakyReLU.apply(t, negative_slope=_in_dtype("leaky_relu", "negative_slope", slope, t.dtype),
                                     of_result=True)
    return shown_as(out, "LeakyReluBackward1")


def sigmoid(input):
    return _tensor(input, "sigmoid").sigmoid()


def tanh(input):
    return _tensor(input, "tanh").tanh()


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(βx)) / β, and x itself where βx > threshold (where the two agree to float precision)."""
    input = _tensor(input, "softplus")._floating("softplus")
    b, t = (_in_dtype("softplus", n, _scalar("softplus", n, v), input.dtype) for n, v in (("beta", beta),
                                                                                             ("threshold", threshold)))
    return _Softplus.apply(input, beta=b, threshold=t)


class _Softplus(Node):
    """PyTorch's softplus kernel with its β and threshold, as it is written: log(1 + e^(βx))/β (e^(βx) overflows to
    ∞ past βx ≈ 709, as there), and x itself where βx > threshold (never, for a NaN threshold)."""

    def forward(self, x, beta, threshold):
        self.beta, self.threshold = beta, threshold
        self.save_for_backward(x)
        xp, bx = backend.get_array_module(x), x * x.dtype.type(beta)
        with backend.np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return xp.where(bx > threshold, x, xp.log1p(xp.exp(bx)) / x.dtype.type(beta))

    def backward(self, grad):  # d/dx = 1 where βx > threshold, else z/(z + 1) with z = e^(βx) (PyTorch's formula)
        (x,) = self.saved_tensors
        return (_SoftplusBackward.apply(grad, x, beta=self.beta, threshold=self.threshold),)


class _SoftplusBackward(Node):
    """softplus's backward, with PyTorch's derivatives: in grad, itself; in x, grad·β·z/(z + 1)² only where
    βx < threshold (PyTorch's softplus_double_backward mask: 0 at βx = threshold and for a NaN threshold, where the
    first derivative's own mask would keep it)."""

    def forward(self, grad, x, beta, threshold):
        self.beta, self.threshold = beta, threshold
        self.save_for_backward(grad, x)
        xp, bx = backend.get_array_module(x), x * x.dtype.type(beta)
        with backend.np.errstate(over="ignore", invalid="ignore"):
            z = xp.exp(bx)
            return xp.where(bx > threshold, grad, grad * z / (z + 1))

    def backward(self, gg):  # d/dgrad = the same map of gg; d/dx = gg·grad·β·σ'(βx) times the mask βx < threshold
        grad, x = self.saved_tensors
        s, below = activation.Sigmoid.apply(x * self.beta), value(x) * self.beta < self.threshold
        return (_SoftplusBackward.apply(gg, x, beta=self.beta, threshold=self.threshold),  # (σ' as PyTorch's node,
                activation.SigmoidBackward.apply(gg * grad, s) * (below.astype(value(x).dtype) * self.beta))  # whose
        # derivative in σ is one product: ∞ upstream stays ±∞; the mask a product: NaN stays)


def _implicit_softmax_dim(name, ndim, stacklevel=3):
    """PyTorch's legacy choice when a softmax is given no dim: 0 for 0-, 1- and 3-D inputs (a vector, or one
    unbatched (C, H, W) image), else 1 (the channels of a batch), with PyTorch's deprecation warning."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, *, axis=None, dtype=None):
    input = _tensor(input, "softmax")
    if dim is None and axis is None:
        dim = _implicit_softmax_dim("softmax", input.ndim)
    return (input if dtype is None else input.to(dtype)).softmax(dim, axis=axis)


def log_softmax(input, dim=None, *, axis=None, dtype=None):
    input = _tensor(input, "log_softmax")
    if dim is None and axis is None:
        dim = _implicit_softmax_dim("log_softmax", input.ndim)
    return (input if dtype is None else input.to(dtype)).log_softmax(dim, axis=axis)


def logsumexp(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    return _float(x, "logsumexp").logsumexp(dim, keepdim, axis=axis, keepdims=keepdims)


def elu(input, alpha=1.0, inplace=False):
    """ELU (Clevert et al. 2016): x for x > 0, α(eˣ − 1) otherwise (PyTorch's kernel: surface/elu.py)."""
    if inplace:
        return elu_(input, alpha)
    return _elu(input, "elu", _scalar("elu", "alpha", alpha))


def _elu(input, op, alpha, scale=1.0, input_scale=1.0, is_result=False, backward_params=None):
    """PyTorch's elu kernel (surface/elu.py) at its door: a floating input, each number fitting the input's dtype (a
    float32 input reads them as float32); ``is_result``: an in-place form, whose backward reads the result."""
    input = _float(input, op)
    a, s, i = (_in_dtype(op, n, v, input.dtype) for n, v in (("alpha", alpha), ("scale", scale),
                                                             ("input_scale", input_scale)))
    out = ELU.apply(input, alpha=a, scale=s, input_scale=i, is_result=is_result, backward_params=backward_params,
                    celu=op == "celu")
    return shown_as(out)  # (its row's name, which the call decides, fixed now)


class _FusedDerivative(Node):
    """A function whose backward is one factor, grad·f′(x), as PyTorch's kernels (x·g(x), or gelu's slope): an
    infinite upstream gives ±∞ there, not the ∞ − ∞ = NaN of a product's backward, which spreads grad over its two
    terms.  f and f′ are written in operations that take arrays and tensors alike, so that under create_graph the
    second and third orders come from f′'s own graph."""

    def forward(self, x):
        self.save_for_backward(x)
        return self.f(x)

    def backward(self, grad):
        (x,) = self.saved_tensors
        return (grad * self.derivative(x if isinstance(grad, Tensor) else value(x)),)


class _SiLU(_FusedDerivative):
    @staticmethod
    def f(x):
        return x * activation.Sigmoid.apply(x)

    @staticmethod
    def derivative(x):  # σ(x)·(1 + x·(1 − σ(x)))
        s = activation.Sigmoid.apply(x)
        return s * (1 + x * (1 - s))


class _Mish(_FusedDerivative):
    @staticmethod
    def f(x):
        return x * activation.Tanh.apply(activation.Softplus.apply(x))

    @staticmethod
    def derivative(x):  # t + x·σ(x)·(1 − t²), t = tanh(softplus(x))
        t = activation.Tanh.apply(activation.Softplus.apply(x))
        return t + x * activation.Sigmoid.apply(x) * (1 - t * t)


class _GELUSlope(_FusedDerivative):
    """gelu′(x) = Φ(x) + x·φ(x) as a node of its own, whose derivative is one factor too, φ(x)·(2 − x²), as
    PyTorch's gelu double backward: an infinite upstream at second order gives ±∞, not ∞ − ∞."""

    @staticmethod
    def f(x):  # Φ(x) + x·φ(x), Φ(x) = ½(1 + erf(x/√2)) as PyTorch's kernel reads it, φ(x) = e^(−x²/2)/√(2π)
        return 0.5 * (1 + U.Erf.apply(x * 0.5 ** 0.5)) + x * (namespace(x).exp(x * x * -0.5) * (2 * math.pi) ** -0.5)
        # (φ first, as PyTorch's pdf: a φ that underflows to 0 gives 0, not x times the smallest number)

    @staticmethod
    def derivative(x):  # d/dx (Φ + xφ) = φ(x)·(2 − x²)
        return namespace(x).exp(x * x * -0.5) * (2 * math.pi) ** -0.5 * (2 - x * x)


class _GELU(_FusedDerivative):
    @staticmethod
    def f(x):  # x·Φ(x) = x·½(1 + erf(x/√2)), PyTorch's kernel's formula: exactly −0 where erf rounds to −1 (x below
        return x * 0.5 * (1 + U.Erf.apply(x * 0.5 ** 0.5))  # about −8.3), where ½ erfc(−x/√2) would keep a tiny value

    @staticmethod
    def derivative(x):
        return _GELUSlope.apply(x)


class _GELUTanhSlope(_FusedDerivative):
    """The tanh form's slope as a node of its own, its derivative one factor too (as _GELUSlope's)."""
    C, A = (2.0 / math.pi) ** 0.5, 0.044715

    @classmethod
    def f(cls, x):  # ½(1 + t) + ½x(1 − t²)·u′, t = tanh u, u = √(2/π)(x + 0.044715x³)
        t = activation.Tanh.apply((x + cls.A * x * x * x) * cls.C)
        return 0.5 * (1.0 + t) + 0.5 * x * (1 - t * t) * cls.C * (1 + 3 * cls.A * x * x)

    @classmethod
    def derivative(cls, x):  # (1 − t²)·(u′ + ½x(u″ − 2t·u′²))
        t = activation.Tanh.apply((x + cls.A * x * x * x) * cls.C)
        u1, u2 = cls.C * (1 + 3 * cls.A * x * x), 6 * cls.A * cls.C * x
        return (1 - t * t) * (u1 + 0.5 * x * (u2 - 2 * t * u1 * u1))


class _GELUTanh(_FusedDerivative):
    @staticmethod
    def f(x):  # ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
        return 0.5 * x * (1.0 + activation.Tanh.apply((x + _GELUTanhSlope.A * x * x * x) * _GELUTanhSlope.C))

    @staticmethod
    def derivative(x):
        return _GELUTanhSlope.apply(x)


def silu(input, inplace=False):
    """SiLU / swish: x·σ(x)."""
    if inplace:
        return _into(input, "silu", lambda t: silu(t))
    return _SiLU.apply(_float(input, "silu"))


def mish(input, inplace=False):
    """Mish (Misra 2019): x·tanh(softplus(x))."""
    if inplace:
        return _into(input, "mish", lambda t: mish(t))
    return _Mish.apply(_float(input, "mish"))


def gelu(input, approximate="none"):
    """GELU (Hendrycks & Gimpel 2016), x·Φ(x) with Φ the standard normal CDF.  ``approximate="tanh"``:
    ½x(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    input = _float(input, "gelu")
    if approximate not in ("none", "tanh"):
        raise RuntimeError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")  # (PyTorch's class)
    return (_GELU if approximate == "none" else _GELUTanh).apply(input)


def softsign(input):
    """x / (1 + |x|)."""
    input = _tensor(input, "softsign")
    if input.dtype.kind == "b":  # (PyTorch's abs takes no bool)
        raise DtypeError("softsign: bool tensors are not supported (PyTorch refuses them too); use x.float()")
    input = input._as_float()
    return input / (input.abs() + 1.0)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]; the derivative is 1 strictly between them (0 at each, unlike clamp's)."""
    lo, hi = _scalar("hardtanh", "min_val", min_val), _scalar("hardtanh", "max_val", max_val)
    if min_val > max_val:  # (F.hardtanh's own check, on the arguments as given, as PyTorch's: NumPy compares
        # np.float32(0.1) with 0.1 in float32, equal; hardtanh_ and the kernel clip to max_val where lo > hi)
        raise ValueError(f"hardtanh: min_val ({lo}) must not be greater than max_val ({hi})")
    if inplace:
        return _into(input, "hardtanh", lambda t: _hardtanh(t, lo, hi))
    return _hardtanh(input, lo, hi)


def _hardtanh(x, lo, hi):  # (hardtanh's body, the kernel hardtanh_ calls too: no check that lo ≤ hi)
    x = _integer_or_float(x, "hardtanh")
    dtype = x.dtype if backend.is_floating(x.dtype) else backend.np.dtype("int64")  # (integers: as int64, PyTorch's)
    lo, hi = (_in_dtype("hardtanh", n, v, dtype) for n, v in (("min_val", lo), ("max_val", hi)))
    if x.dtype.kind == "u" and (lo < 0 or hi < 0):
        raise DomainError(f"hardtanh: an unsigned tensor ({x.dtype}) cannot be clipped at a negative limit "
                          f"({lo}, {hi}); PyTorch refuses this too: convert it with x.long() first")
    if dtype != x.dtype:  # (a limit beyond the input's own range clips nothing)
        info = backend.np.iinfo(x.dtype)
        lo, hi = min(max(lo, int(info.min)), int(info.max)), min(max(hi, int(info.min)), int(info.max))
    return pieces.Hardtanh.apply(x, lo=lo, hi=hi)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh(x, 0, 6)."""
    if inplace:
        return _into(input, "relu6", lambda t: relu6(t))
    return hardtanh(input, 0.0, 6.0)  # (bool refused as "hardtanh", as PyTorch's message says too)


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6: 0 below −3, 1 above 3, linear between."""
    if inplace:
        return _into(input, "hardsigmoid", lambda t: hardsigmoid(t))
    return U.Hardsigmoid.apply(_float(input, "hardsigmoid"))  # (its second order refuses, as PyTorch's)


def hardswish(input, inplace=False):
    """x · relu6(x + 3) / 6 (Howard et al. 2019, MobileNetV3)."""
    if inplace:
        return _into(input, "hardswish", lambda t: hardswish(t))
    return pieces.Hardswish.apply(_float(input, "hardswish"))


def logsigmoid(input):
    """log σ(x) = −softplus(−x), stable for large |x|."""
    return _LogSigmoid.apply(_float(input, "logsigmoid"))


class _LogSigmoid(Node):
    """log σ(x) = min(x, 0) − log1p(e^−|x|), PyTorch's kernel, which keeps the buffer e^−|x| for its backward beside
    x: the backward reads x as it is when it runs (a write through .data is seen) and the buffer of forward's x."""

    def forward(self, x):
        xp = backend.get_array_module(x)
        self.buffer = xp.exp(-xp.abs(x))  # (a constant: PyTorch's buffer has no gradient of its own)
        self.save_for_backward(x)
        return backend.c_order(xp.minimum(x, 0) - xp.log1p(self.buffer))  # (row-major, as PyTorch's)

    def backward(self, grad):  # d/dx = 1 − σ(x) = [x < 0] ∓ b/(1 + b), b = e^−|x|
        (x,) = self.saved_tensors
        return (_LogSigmoidBackward.apply(grad, x, self.buffer),)


class _LogSigmoidBackward(Node):
    """grad·([x < 0] − sgn·b/(1 + b)), sgn 1 where x < 0, else −1: PyTorch's log_sigmoid_backward; differentiated as
    its double backward: in grad, the same map; in x, grad·gg·σ(x)(σ(x) − 1); the buffer is a constant."""

    def forward(self, grad, x, buffer):
        self.save_for_backward(grad, x)
        self.buffer, negative = buffer, x < 0
        one = x.dtype.type(1)
        return (negative.astype(x.dtype) - backend.get_array_module(x).where(negative, one, -one) * (
            buffer / (1 + buffer))) * grad

    def backward(self, gg):  # d/dgrad = the same map of gg;  d/dx = gg·grad·σ(x)(σ(x) − 1)
        grad, x = self.saved_tensors
        z = activation.Sigmoid.apply(x)
        return (_LogSigmoidBackward.apply(gg, x, self.buffer) if self.needs_input_grad[0] else None,
                gg * grad * (z - 1) * z if self.needs_input_grad[1] else None, None)


def tanhshrink(input):
    """x − tanh(x)."""
    input = _tensor(input, "tanhshrink")
    if input.dtype.kind == "b":  # (a RuntimeError, as PyTorch's refusal to subtract from a bool)
        raise DomainError("tanhshrink: bool tensors are not supported (x − tanh(x) subtracts from a bool, which "
                          "PyTorch refuses); use x.float()")
    input = input._as_float()
    return input - input.tanh()


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    """A differentiable sample from the categorical distribution softmax(logits) (Jang et al. 2017; Maddison et al.
    2017): softmax((logits + g) / tau), g Gumbel noise, nearer a one-hot code the smaller tau.  With ``hard``, the
    one-hot code itself, whose gradient is the soft sample's (the straight-through estimator)."""
    if eps != 1e-10:  # (PyTorch's warning: the noise is drawn without it)
        warnings.warn("`eps` parameter is deprecated and has no effect.", UserWarning, stacklevel=2)
    x = logits = _tensor(logits, "gumbel_softmax")
    tau = _scalar("gumbel_softmax", "tau", tau)  # (any number, as PyTorch's: τ ≤ 0 or NaN gives what the formula gives)
    if x.numel() and not backend.is_floating(x.dtype):  # (a RuntimeError, as PyTorch's exponential_)
        raise DomainError(f"gumbel_softmax: the Gumbel noise is drawn in the logits' dtype, which must be floating, "
                          f"got {x.dtype}; use logits.float()")
    if not backend.is_floating(x.dtype):  # an empty one: its noise is float32, as PyTorch's log() of it
        x = x.to(backend.np.dtype("float32"))
    xp = backend.get_array_module(x.array)
    with backend.np.errstate(divide="ignore"):  # PyTorch's: −log of Exp(1) noise in the logits' dtype, −log(−log U)
        gumbel = -xp.log(random.exponential(x.shape, x.dtype, 1.0, xp))
    with backend.np.errstate(divide="ignore", invalid="ignore"):  # (τ = 0 or ±∞: NaN, as PyTorch's, which warns not)
        soft = ((x + Tensor._make(gumbel)) / tau).softmax(dim)
    if not hard:
        return soft
    if soft.ndim and soft.shape[dim] == 0:  # (dim checked by softmax)
        raise DimensionError(f"gumbel_softmax: hard=True takes the largest entry along dim {dim}, which is empty "
                             f"(shape {tuple(soft.shape)}); pass logits with entries along it")
    if logits.dtype.kind == "b":  # (an empty one: PyTorch's one-hot code, scattered into bool zeros, is refused)
        raise DomainError("gumbel_softmax: hard=True writes a one-hot code of the logits' dtype, which cannot be bool; "
                          "use logits.float()")
    a = soft.detach().array
    if a.ndim:  # 1 at the first largest entry (NaN counting as largest), as PyTorch's max(dim) and scatter_
        positions = xp.arange(a.shape[dim]).reshape([-1 if k == dim % a.ndim else 1 for k in range(a.ndim)])
        a = positions == xp.expand_dims(a.argmax(axis=dim), dim)
    one_hot = Tensor._make(xp.ones_like(a) if not a.ndim else a.astype(x.dtype))
    return one_hot - soft.detach() + soft  # forward: one-hot; backward: soft's


def softmin(input, dim=None, *, dtype=None):
    """softmax(−x) along ``dim``, as PyTorch's: −x in the input's own dtype (a uint8 wraps around, a bool is
    refused), then softmax's checks and its ``dtype``."""
    input = _tensor(input, "softmin")
    if dim is None:
        dim = _implicit_softmax_dim("softmin", input.ndim)
    return (-input).softmax(dim, dtype)


def selu(input, inplace=False):
    """SELU (Klambauer et al. 2017): scale · elu(x, α), α ≈ 1.6733, scale ≈ 1.0507."""
    if inplace:  # (PyTorch's selu_ is its elu_, which saves the result)
        return saves(_into(input, "selu", lambda t: _elu(t, "selu", *_SELU, is_result=True)), input)
    return _elu(input, "selu", *_SELU)


_SELU = (1.6732632423543772848170429916717, 1.0507009873554804934193349852946)  # (α, scale)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, α(exp(x/α) − 1)): PyTorch's elu kernel with input_scale 1/α.  Its backward reads
    1/α of α rounded to float32 (PyTorch's derivative formula: 1.0 / alpha.toFloat()), and refuses where that
    α overflows a float32, as PyTorch's does (its forward runs)."""
    alpha = _scalar("celu", "alpha", alpha)
    if alpha == 0:  # (checked before the input's dtype, as PyTorch's)
        raise DivisionByZero("celu: alpha cannot be 0 (celu divides x by it); pass a non-zero alpha")
    single = backend.np.float32(alpha) if not math.isfinite(alpha) or abs(alpha) <= _largest(
        backend.np.dtype("float32")) else None
    backward = DomainError(f"celu: the backward reads alpha as a float32, and alpha={alpha!r} cannot be converted "
                           "to one without overflow; pass an alpha within ±3.4e38") if single is None else \
        (alpha, 1.0, 1.0 / float(single) if single else math.copysign(math.inf, single))
    if inplace:
        return _in_place(input, "celu_", lambda t: _elu(t, "celu", alpha, 1.0, 1.0 / alpha, True, backward), alpha)
    return _elu(input, "celu", alpha, 1.0, 1.0 / alpha, backward_params=backward)


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value."""
    if inplace:
        return _into(input, "threshold", lambda t: _threshold(t, threshold, value))
    return _threshold(input, threshold, value)


def _threshold(x, limit, value):  # (threshold's body: PyTorch names its parameter as the function)
    x = _integer_or_float(x, "threshold")
    t, v = (_in_dtype("threshold", n, _scalar("threshold", n, a), x.dtype) for n, a in (("threshold", limit),
                                                                                      ("value", value)))
    return pieces.Threshold.apply(x, threshold=t, value=v)


# PyTorch's in-place spellings of the activations: each is the function with inplace=True.
def relu_(input):
    return relu(input, inplace=True)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def elu_(input, alpha=1.0, scale=1.0, input_scale=1.0):
    """elu in place; ``scale`` and ``input_scale`` are PyTorch's kernel's own (F.elu_ is that kernel, so a program may
    pass them by position): scale·x where x ≥ 0, scale·α(e^(x·input_scale) − 1) elsewhere.  Its backward reads the
    result (x is overwritten), and refuses a negative or NaN α, as PyTorch's."""
    a, s, i = (_scalar("elu_", n, v) for n, v in (("alpha", alpha), ("scale", scale), ("input_scale", input_scale)))
    return _in_place(input, "elu_", lambda t: _elu(t, "elu", a, s, i, is_result=True), a)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def selu_(input):
    return selu(input, inplace=True)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    """hardtanh in place: PyTorch's kernel itself, which (unlike F.hardtanh) takes min_val > max_val: max_val
    everywhere, as clamp's min(max(x, min_val), max_val)."""
    lo, hi = _scalar("hardtanh", "min_val", min_val), _scalar("hardtanh", "max_val", max_val)
    return _into(input, "hardtanh", lambda t: _hardtanh(t, lo, hi))


def threshold_(input, threshold, value):
    return _into(input, "threshold", lambda t: _threshold(t, threshold, value))


def prelu(input, weight):
    """x where x > 0, weight · x elsewhere; weight one value, or one per channel (dimension 1), as PyTorch's."""
    input, weight = _float(input, "prelu"), _float(weight, "prelu", "weight")
    operands.same_dtype("prelu", input, weight, "weight")
    if weight.numel() != 1:  # (PyTorch's checks, in its order)
        if input.ndim == 0:
            raise DomainError(f"prelu: a 0-d input takes one weight, got {weight.numel()}; pass a weight of one value")
        channels = input.shape[1] if input.ndim >= 2 else 1
        if weight.numel() != channels:
            raise DomainError(f"prelu: {weight.numel()} weights for an input of {channels} channels (shape "
                              f"{tuple(input.shape)}, channels along dim 1); pass one weight or one per channel")
    if weight.ndim > 1:
        raise DomainError(f"prelu: the weight must be a scalar or 1-d, got {weight.ndim} dimensions (shape "
                          f"{tuple(weight.shape)}); pass weight.reshape(-1)")
    # (a 0-d input stays 0-d; one of no channels takes no weights, as PyTorch's)
    shape = (1, weight.numel()) + (1,) * (input.ndim - 2) if weight.numel() != 1 else (1,) * input.ndim
    return _PReLU.apply(input, weight.reshape(*shape))


class _PReLU(Node):
    """PyTorch's prelu kernel: x where x > 0, w·x elsewhere (w broadcast against x).  Its derivatives are PyTorch's
    formulas, the first with the mask x > 0, the second (the backward of the backward) with x ≥ 0, as PyTorch's
    double backward reads it: at x = 0 they differ, as there."""

    def forward(self, x, w):
        self.save_for_backward(x, w)
        return backend.get_array_module(x).where(x > 0, x, w * x)

    def backward(self, grad):  # d/dx = 1 where x > 0, else w;  d/dw = 0 where x > 0, else x
        x, w = self.saved_tensors
        return _PReLUGradInput.apply(grad, x, w), unbroadcast(_PReLUGradWeight.apply(grad, x, w), w.shape)


class _PReLUGradInput(Node):
    """grad where x > 0, w·grad elsewhere; differentiated as PyTorch's double backward, with the mask x ≥ 0."""

    def forward(self, grad, x, w):
        self.save_for_backward(grad, x, w)
        return backend.get_array_module(x).where(x > 0, grad, w * grad)

    def backward(self, gg):  # d/dgrad = 1 where x ≥ 0, else w;  d/dx = 0;  d/dw = 0 where x ≥ 0, else grad
        grad, x, w = self.saved_tensors
        xp, positive = namespace(gg), value(x) >= 0
        return xp.where(positive, gg, gg * w), zeros(gg), unbroadcast(xp.where(positive, 0, gg * grad), w.shape)


class _PReLUGradWeight(Node):
    """0 where x > 0, x·grad elsewhere (w's gradient, before summing over the broadcast); differentiated as PyTorch's
    double backward, with the mask x ≥ 0.  It reads w too, as PyTorch's one backward of x and w does: under
    create_graph it requires grad when w does, with derivative 0 there."""

    def forward(self, grad, x, w):
        self.save_for_backward(grad, x)
        return backend.get_array_module(x).where(x > 0, 0, x * grad)

    def backward(self, gg):  # d/dgrad = 0 where x ≥ 0, else x;  d/dx = 0 where x ≥ 0, else grad;  d/dw = 0
        grad, x = self.saved_tensors
        xp, positive = namespace(gg), value(x) >= 0
        w = unbroadcast(zeros(gg), self.inputs[2].shape) if self.needs_input_grad[2] else None
        return xp.where(positive, 0, gg * x), xp.where(positive, 0, gg * grad), w


def glu(input, dim=-1):
    """Gated linear unit (Dauphin et al. 2017): a·σ(b), with a and b the two halves of x along ``dim``."""
    input = _tensor(input, "glu")  # (its shape checked first, its dtype last, as PyTorch's)
    if input.ndim == 0:
        raise ShapeError("glu: a 0-d input has no dimension to halve; pass a tensor of at least one dimension")
    dim = checks.normalize_axis(dim, input.ndim, "glu", single=True)
    n = input.shape[dim]
    if n % 2:
        raise ShapeError(f"glu: dimension {dim} of shape {tuple(input.shape)} has odd size {n}; it is halved")
    return _GLU.apply(_float(input, "glu"), dim=dim)


class _GLU(Node):
    """a·σ(b), a and b the halves of x along ``dim``.  Its backward is PyTorch's glu_backward, which reads x when it
    runs (a write through .data is seen): σ(b) for a, a·σ(b)(1 − σ(b)) for b; under create_graph the same lines on
    the saved Tensor x, recorded."""

    def forward(self, x, dim):
        self.dim = dim
        self.save_for_backward(x)
        a, b = self.halves(x)
        return a * activation.Sigmoid.apply(b)

    def halves(self, x):
        n, before = x.shape[self.dim], (slice(None),) * self.dim
        return x[before + (slice(0, n // 2),)], x[before + (slice(n // 2, n),)]

    def backward(self, grad):  # d/da = σ(b), d/db = a·σ(b)(1 − σ(b))
        (x,) = self.saved_tensors
        a, b = self.halves(x)
        s = activation.Sigmoid.apply(b)
        ga, gb = grad * s, activation.SigmoidBackward.apply(grad * a, s)  # (sigmoid's: ∞ upstream stays ±∞)
        if backend.is_array(grad):
            return (backend.get_array_module(grad).concatenate((ga, gb), axis=self.dim),)
        return (cat((ga, gb), self.dim),)


def hardshrink(input, lambd=0.5):
    """x where |x| > λ, else 0."""
    input = _float(input, "hardshrink")
    lambd = _in_dtype("hardshrink", "lambd", _scalar("hardshrink", "lambd", lambd), input.dtype)
    return shown_as(_Shrink.apply(input, lambd=lambd, soft=False))  # (its row's name, fixed now)


def softshrink(input, lambd=0.5):
    """x − λ above λ, x + λ below −λ, 0 between; λ in [0, the dtype's largest], as PyTorch's."""
    input, lambd = _float(input, "softshrink"), _scalar("softshrink", "lambd", lambd)
    top = float(backend.np.finfo(input.dtype).max)
    if not 0 <= lambd <= top:
        raise DomainError(f"softshrink: lambda must be in range [0, {top:g}] for input dtype {input.dtype}, got "
                          f"{lambd}; pass a non-negative finite lambd")
    return shown_as(_Shrink.apply(input, lambd=lambd, soft=True))


class _Shrink(Node):
    """hardshrink (x where |x| > λ, else 0) and softshrink (x ∓ λ there), NaN staying NaN, as PyTorch's kernels.
    The backward is theirs, shrink_backward(grad, x, λ): the gradient selected where |x| > λ, reading x, so that
    under create_graph it requires grad when x does (its derivative in x is 0, a step's): a gradient penalty
    taken next gives zeros, not "does not require grad"."""

    def forward(self, x, lambd, soft):
        xp = backend.get_array_module(x)
        self.lambd, self.soft = lambd, soft
        self.save_for_backward(x)
        kept = x if not soft else xp.where(x > lambd, x - lambd, x + lambd)
        return parity.pointwise_layout(xp.where(xp.abs(x) <= lambd, x.dtype.type(0), kept), x)

    def backward(self, grad):  # d/dx = 1 where |x| > λ (or x is NaN), else 0
        (x,) = self.saved_tensors
        return (activation.Select.apply(grad, x, keep=~(abs(value(x)) <= self.lambd)),)
