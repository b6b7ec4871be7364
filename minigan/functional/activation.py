"""``F.relu``, ``F.softmax``, ``F.gelu``, ...: the elementwise non-linearities and their in-place forms (PyTorch's
"Non-linear activation functions").
"""

from __future__ import annotations

import math
import warnings

from minigan._tensor_surface import Tensor
from minigan.engine import backend, checks, random
from minigan.engine.errors import DtypeError, ShapeError
from minigan.engine.ops import activation
from minigan.functional._common import _float, _into, _number, _tensor, where
from minigan.surface import operands, pointwise
from minigan.surface import unary as U
from minigan.surface.node_view import shown_as


def _integer_or_float(x, op) -> Tensor:
    """The input of a function PyTorch computes on integers too (in their dtype): bool is refused, as there."""
    x = _tensor(x, op)
    if x.dtype.kind == "b":
        raise DtypeError(f"{op}: bool tensors are not supported (PyTorch refuses them too); use x.float() or x.long()")
    return x


# ----------------------------------------------------------------------------- activations
# Each is the Tensor method of the same name (minigan/engine/methods.py), so the checks are the same whichever door
# is used.
def relu(input, inplace=False):
    if inplace:
        return _into(input, "relu", lambda t: relu(t))
    return _tensor(input, "relu").relu()


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return _into(input, "leaky_relu", lambda t: leaky_relu(t, negative_slope))
    return _tensor(input, "leaky_relu").leaky_relu(negative_slope)


def sigmoid(input):
    return _tensor(input, "sigmoid").sigmoid()


def tanh(input):
    return _tensor(input, "tanh").tanh()


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(βx)) / β, and x itself where βx > threshold (where the two agree to float precision)."""
    input = _tensor(input, "softplus")._floating("softplus")
    if beta == 1 and threshold == 20:
        return input.softplus()
    b, t = _number("softplus", "beta", beta), _number("softplus", "threshold", threshold)
    above = (input.array * b) > t  # (never, for a NaN threshold)
    # Below the threshold PyTorch's formula as it is written: e^(βx) overflows to inf past βx ≈ 709, as there (a
    # threshold that high is the caller's); above it 0 goes in, so no inf·0 = NaN reaches x's gradient.
    scaled = where(above, 0.0, input * b)
    return where(above, input, scaled.exp().log1p() / b)


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
    """ELU (Clevert et al. 2016): x for x > 0, α(eˣ − 1) otherwise; built as relu(x) + α(exp(min(x, 0)) − 1)."""
    if inplace:
        return _into(input, "elu", lambda t: elu(t, alpha))
    input = _float(input, "elu")
    if not checks.is_number(alpha):
        raise TypeError(f"elu: alpha must be a number, got {type(alpha).__name__} {alpha!r}")
    if math.isfinite(alpha):  # (PyTorch's kernel and its derivatives: surface/unary.py's ELU)
        return shown_as(U.ELU.apply(input, alpha=float(alpha)), "EluBackward0")
    with backend.np.errstate(invalid="ignore"):  # (α · 0 where x < 0 is NaN, as PyTorch's)
        out = input.relu() + (input.clamp(max=0.0).exp() - 1.0) * _negative_side(input, alpha)
    return shown_as(out, "EluBackward0")


def silu(input, inplace=False):
    """SiLU / swish: x·σ(x)."""
    if inplace:
        return _into(input, "silu", lambda t: silu(t))
    input = _float(input, "silu")
    return shown_as(input * input.sigmoid(), "SiluBackward0")


def mish(input, inplace=False):
    """Mish (Misra 2019): x·tanh(softplus(x))."""
    if inplace:
        return _into(input, "mish", lambda t: mish(t))
    input = _float(input, "mish")
    return shown_as(input * input.softplus().tanh(), "MishBackward0")


def gelu(input, approximate="none"):
    """GELU (Hendrycks & Gimpel 2016), x·Φ(x) with Φ the standard normal CDF: Φ(x) = ½ erfc(−x/√2), which
    keeps its digits for large negative x.  ``approximate="tanh"``: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    input = _float(input, "gelu")
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    if approximate == "none":
        return shown_as(input * 0.5 * (input * -(0.5 ** 0.5)).erfc(), "GeluBackward0")
    c = (2.0 / 3.141592653589793) ** 0.5
    return shown_as(0.5 * input * (1.0 + ((input + 0.044715 * input * input * input) * c).tanh()), "GeluBackward0")


def softsign(input):
    """x / (1 + |x|)."""
    input = _tensor(input, "softsign")._as_float()
    return input / (input.abs() + 1.0)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]; the derivative is 1 strictly between them (0 at each, unlike clamp's)."""
    if inplace:
        return _into(input, "hardtanh", lambda t: hardtanh(t, min_val, max_val))
    lo, hi = _number("hardtanh", "min_val", min_val), _number("hardtanh", "max_val", max_val)
    if lo > hi:
        raise ValueError(f"hardtanh: min_val ({lo}) must not be greater than max_val ({hi})")
    input = _integer_or_float(input, "hardtanh")
    if input.dtype.kind == "u" and lo < 0:
        raise ValueError(f"hardtanh: an unsigned tensor ({input.dtype}) cannot be clipped at min_val={lo}; PyTorch "
                         "refuses this too: convert it with x.long() first")
    lo, hi = (lo, hi) if backend.is_floating(input.dtype) else (int(lo), int(hi))  # PyTorch truncates them for integers
    return activation.Hardtanh.apply(input, lo=lo, hi=hi)


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
    return activation.Hardswish.apply(_float(input, "hardswish"))


def logsigmoid(input):
    """log σ(x) = −softplus(−x), stable for large |x|."""
    out = (-(-_float(input, "logsigmoid")).softplus()).contiguous()  # (row-major, as PyTorch's)
    return shown_as(out, "LogSigmoidBackward0")


def tanhshrink(input):
    """x − tanh(x)."""
    input = _tensor(input, "tanhshrink")._as_float()
    return input - input.tanh()


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    """A differentiable sample from the categorical distribution softmax(logits) (Jang et al. 2017; Maddison et al.
    2017): softmax((logits + g) / tau), g Gumbel noise, nearer a one-hot code the smaller tau.  With ``hard``, the
    one-hot code itself, whose gradient is the soft sample's (the straight-through estimator)."""
    x = _float(logits, "gumbel_softmax")
    if isinstance(tau, bool) or not isinstance(tau, (int, float)) or not tau > 0:
        raise ValueError(f"gumbel_softmax: tau must be a positive number, got {tau!r}")
    xp = backend.get_array_module(x.array)
    u = random.rand(x.shape, dtype=x.dtype, xp=xp)
    gumbel = -xp.log(-xp.log(u + eps) + eps)  # -log(-log U)
    soft = ((x + Tensor._make(gumbel)) / tau).softmax(dim)
    if not hard:
        return soft
    one_hot = soft.detach().array == soft.detach().array.max(axis=dim, keepdims=True)  # (ties: measure zero)
    return Tensor._make(one_hot.astype(x.dtype)) - soft.detach() + soft  # forward: one-hot; backward: soft's


def softmin(input, dim=None, *, dtype=None):
    """softmax(−x) along ``dim``."""
    input = _float(input, "softmin")
    if dim is None:
        dim = _implicit_softmax_dim("softmin", input.ndim)
    return (-(input if dtype is None else input.to(dtype))).softmax(dim)


def selu(input, inplace=False):
    """SELU (Klambauer et al. 2017): scale · elu(x, α), α ≈ 1.6733, scale ≈ 1.0507."""
    if inplace:
        return _into(input, "selu", lambda t: selu(t))
    out = U.ELU.apply(_float(input, "selu"), alpha=1.6732632423543772848170429916717,
                      scale=1.0507009873554804934193349852946)
    return shown_as(out, "EluBackward0")


def _negative_side(input, alpha):
    """A non-finite α where x < 0, 0 elsewhere: 0 · α would be NaN where x ≥ 0, and there ELU is x (as PyTorch's)."""
    return pointwise.where(input.detach() < 0, float(alpha), 0.0).to(input.dtype)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, α(exp(x/α) − 1))."""
    if inplace:
        return _into(input, "celu", lambda t: celu(t, alpha))
    input, alpha = _float(input, "celu"), _number("celu", "alpha", alpha)
    if math.isfinite(alpha):  # (PyTorch's: elu(x, α, 1, 1/α))
        return shown_as(U.ELU.apply(input, alpha=float(alpha), input_scale=1.0 / alpha), "CeluBackward0")
    with backend.np.errstate(invalid="ignore"):  # (as elu's; x / α too only where x < 0)
        scaled = input.clamp(max=0.0) * _negative_side(input, 1.0 / alpha)
        return shown_as(input.relu() + (scaled.exp() - 1.0) * _negative_side(input, alpha), "CeluBackward0")


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value."""
    if inplace:
        return _into(input, "threshold", lambda t: _threshold(t, threshold, value))
    return _threshold(input, threshold, value)


def _threshold(x, limit, value):  # (threshold's body: PyTorch names its parameter as the function)
    x = _integer_or_float(x, "threshold")
    t, v = _number("threshold", "threshold", limit), _number("threshold", "value", value)
    t, v = (t, v) if backend.is_floating(x.dtype) else (int(t), int(v))  # PyTorch truncates them for integers
    return activation.Threshold.apply(x, threshold=t, value=v)


# PyTorch's in-place spellings of the activations: each is the function with inplace=True.
def relu_(input):
    return relu(input, inplace=True)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def elu_(input, alpha=1.0, scale=1.0, input_scale=1.0):
    """elu in place; ``scale`` and ``input_scale`` are PyTorch's kernel's own (F.elu_ is that kernel, so a program may
    pass them by position): scale·x where x > 0, scale·α(e^(x·input_scale) − 1) elsewhere."""
    if scale == 1 and input_scale == 1:
        return elu(input, alpha, inplace=True)
    s, si = _number("elu_", "scale", scale), _number("elu_", "input_scale", input_scale)
    a = _number("elu_", "alpha", alpha)
    return _into(input, "elu_", lambda t: where(t.array > 0, t * s, ((t.clamp(max=0.0) * si).exp() - 1.0) * (a * s)))


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def selu_(input):
    return selu(input, inplace=True)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def threshold_(input, threshold, value):
    return _into(input, "threshold", lambda t: _threshold(t, threshold, value))


def prelu(input, weight):
    """max(0, x) + weight · min(0, x), weight one value or one per channel (dimension 1)."""
    input, weight = _float(input, "prelu"), _float(weight, "prelu", "weight")
    operands.same_dtype("prelu", input, weight, "weight")
    shape = (1, -1) + (1,) * (input.ndim - 2) if weight.numel() > 1 else (1,) * input.ndim  # (0-d stays 0-d)
    return shown_as(input.relu() + weight.reshape(*shape) * input.clamp(max=0.0), "PreluKernelBackward0")


def glu(input, dim=-1):
    """Gated linear unit (Dauphin et al. 2017): a·σ(b), with a and b the two halves of x along ``dim``."""
    input = _float(input, "glu")
    n = input.shape[dim]
    if n % 2:
        raise ShapeError(f"glu: dimension {dim} of shape {tuple(input.shape)} has odd size {n}; it is halved")
    before = (slice(None),) * (dim % input.ndim)
    a, b = input[before + (slice(0, n // 2),)], input[before + (slice(n // 2, n),)]
    return shown_as(a * b.sigmoid(), "GluBackward0")


def hardshrink(input, lambd=0.5):
    """x where |x| > λ, else 0."""
    input = _float(input, "hardshrink")
    return shown_as(where(abs(input.array) <= lambd, 0.0, input), "HardshrinkBackward0")  # (NaN stays NaN, as PyTorch)


def softshrink(input, lambd=0.5):
    """x − λ above λ, x + λ below −λ, 0 between."""
    input = _float(input, "softshrink")
    return shown_as(where(abs(input.array) <= lambd, 0.0, where(input.array > lambd, input - lambd,
                                                       input + lambd)), "SoftshrinkBackward0")  # (NaN stays NaN)
