"""Weight initialisers, in place on a Parameter (or Tensor), as in ``torch.nn.init``.

Each one writes with an in-place Tensor op (``copy_``/``fill_``) under ``no_grad()``, so it works on
a parameter that requires grad and bumps its version like any other in-place change.

All draw from minigan's seeded generator (``minigan.manual_seed``) on the tensor's own device.
The fans of a weight (``calculate_fan_in_and_fan_out``):

    Linear (out, in):                    fan_in = in,        fan_out = out
    Conv2d (out, in, kh, kw):            fan_in = in·kh·kw,  fan_out = out·kh·kw
    ConvTranspose2d (in, out, kh, kw):   fan_in = out·kh·kw, fan_out = in·kh·kw  (PyTorch's convention:
                                         axis 1 counts as "in")

The point of the scaled initialisers is to keep the variance of activations (Glorot: and of
gradients) the same from layer to layer, so a deep net neither explodes nor dies at step 0.
"""

from __future__ import annotations

import math
import sys
import warnings

from minigan.engine import backend
from minigan.engine.errors import DomainError, DtypeError
from minigan.engine.grad_mode import no_grad
from minigan.surface import missing as _missing
from minigan.surface import operands, random, sampling
from minigan.surface.tensor import Tensor, from_numpy


def _data(tensor, op, any_dtype=False, empty_any=False):
    """The tensor's array; a draw needs a floating-point tensor, a fill (``any_dtype``) takes any, as PyTorch's.
    A normal draw (``empty_any``) into a tensor with no entries takes any dtype too: PyTorch's normal_ reaches
    its kernel, the one that refuses integers, only with entries to fill (its uniform_ checks the dtype first)."""
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{op}: expected a Parameter or Tensor, got {type(tensor).__name__}")
    if not (any_dtype or empty_any and tensor.numel() == 0) and not backend.is_floating(tensor.dtype):
        raise DtypeError(f"{op}: the tensor must be floating-point, got dtype {tensor.dtype}")
    return tensor.array


def _in_dtype(op, value, tensor) -> None:
    """A number read as one of the tensor's dtype (PyTorch's tensor.new_tensor(value)): it must fit (no ∞ into an
    integer tensor), and a NumPy float other than float64 (a Python float) is no integer, bool or int (TypeError)."""
    if not backend.is_floating(tensor.dtype) and isinstance(value, (backend.np.floating, backend.np.bool_)) and \
            not isinstance(value, float):
        raise TypeError(f"{op}: a bound of type numpy.{type(value).__name__} cannot be read as the {tensor.dtype} "
                        "tensor's integer; pass a Python number")
    operands.fits(op, value, tensor.dtype)


def _write(tensor, values):
    """``tensor`` ← ``values`` (a fresh array of its shape and dtype), in place, with no graph."""
    with no_grad():  # (asarray: a 0-d tensor's draw comes back a NumPy scalar, not an array)
        tensor.copy_(from_numpy(backend.get_array_module(values).asarray(values)))
    return tensor


def calculate_fan_in_and_fan_out(tensor):
    """(fan_in, fan_out) of a weight with at least 2 axes: axis 1 × receptive field, axis 0 × receptive field."""
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(
            f"calculate_fan_in_and_fan_out: needs a weight with at least 2 axes, got shape {tuple(shape)}"
        )
    receptive = 1
    for n in shape[2:]:
        receptive *= n
    return shape[1] * receptive, shape[0] * receptive


def calculate_gain(nonlinearity: str, param=None) -> float:
    """The factor that keeps the activation variance at 1 through a nonlinearity (PyTorch's table)."""
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                        "conv_transpose3d", "sigmoid"):
        return 1  # (PyTorch's int)
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is not None and (isinstance(param, bool) or not isinstance(param, (int, float))):
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a valid number; give a Python int or "
                             "float (as PyTorch's, which takes no NumPy int or float32)")
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}; expected linear, conv1d/2d/3d, "
                     "conv_transpose1d/2d/3d, sigmoid, tanh, relu, leaky_relu or selu")


def uniform_(tensor, a: float = 0.0, b: float = 1.0, generator=None):
    """U(a, b): mean (a+b)/2, variance (b−a)²/12."""
    data = _data(tensor, "uniform_")
    sampling.uniform_range("uniform_", a, b, data.dtype)
    xp = backend.get_array_module(data)
    return _write(tensor, random.uniform(data.shape, data.dtype, a, b, xp=xp, gen=generator))


def normal_(tensor, mean: float = 0.0, std: float = 1.0, generator=None):
    """N(mean, std²)."""
    data = _data(tensor, "normal_", empty_any=True)
    if not std >= 0:
        raise DomainError(f"normal_: std must be >= 0, got {std}")
    if data.size == 0:
        return tensor
    xp = backend.get_array_module(data)
    return _write(tensor, random.normal(data.shape, data.dtype, mean, std, xp=xp, gen=generator))


def constant_(tensor, val: float):
    """Every entry ``val``, which must fit the tensor's dtype (no ∞ or NaN in an integer tensor: RuntimeError, as
    PyTorch's fill_)."""
    data = _data(tensor, "constant_", any_dtype=True)
    operands.fits("constant_", val, data.dtype)
    with no_grad():
        tensor.fill_(val)
    return tensor


def zeros_(tensor):
    return constant_(tensor, 0.0)


def ones_(tensor):
    return constant_(tensor, 1.0)


def xavier_uniform_(tensor, gain: float = 1.0, generator=None):
    """Glorot & Bengio 2010: U(−a, a) with a = gain·√(6 / (fan_in + fan_out)), so Var = gain²·2/(fan_in + fan_out)."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, generator)


def xavier_normal_(tensor, gain: float = 1.0, generator=None):
    """Glorot & Bengio 2010: N(0, σ²) with σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), generator)


def _zero_element(tensor, op) -> bool:
    """Whether the tensor holds nothing to fill (a fan of 0), which PyTorch's kaiming init skips with a warning."""
    if 0 not in tuple(tensor.shape):
        return False
    warnings.warn(f"{op}: Initializing zero-element tensors is a no-op", UserWarning, stacklevel=3)
    return True


def _kaiming_std(tensor, a, mode, nonlinearity, op):
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{op}: mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan_in, fan_out = calculate_fan_in_and_fan_out(tensor)
    fan = fan_in if mode == "fan_in" else fan_out
    return calculate_gain(nonlinearity, a) / math.sqrt(fan)


def kaiming_uniform_(tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                     generator=None):
    """He et al. 2015: U(−b, b) with b = gain·√(3 / fan), so Var = gain²/fan (gain = √(2/(1+a²)) for leaky ReLU)."""
    if _zero_element(tensor, "kaiming_uniform_"):
        return tensor
    std = _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_uniform_")
    bound = math.sqrt(3.0) * std
    return uniform_(tensor, -bound, bound, generator)


def kaiming_normal_(tensor, a: float = 0.0, mode: str = "fan_in", nonlinearity: str = "leaky_relu",
                    generator=None):
    """He et al. 2015: N(0, gain²/fan); for ReLU (a = 0) that is N(0, 2/fan_in)."""
    if _zero_element(tensor, "kaiming_normal_"):
        return tensor
    return normal_(tensor, 0.0, _kaiming_std(tensor, a, mode, nonlinearity, "kaiming_normal_"), generator)


def trunc_normal_(tensor, mean: float = 0.0, std: float = 1.0, a: float = -2.0, b: float = 2.0, generator=None):
    """N(mean, std²) restricted to [a, b] (absolute bounds), by PyTorch's two samplers: where [a, b] holds over 30%
    of the mass, normal draws outside it are drawn again; elsewhere uniform proposals on [a, b] are kept with
    probability pdf(x) / pdf(mode), so a mean far outside [a, b] still ends (each round over all that is left)."""
    _data(tensor, "trunc_normal_", any_dtype=True)
    if mean < a - 2 * std or mean > b + 2 * std:
        warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may "
                      "be incorrect.", stacklevel=2)
    if std == 0 and not isinstance(b - mean, backend.np.generic) and not isinstance(std, backend.np.generic):
        raise ZeroDivisionError("trunc_normal_: std must not be 0")  # (PyTorch divides by std before it looks at
        # the tensor's dtype; a NumPy number divides by 0 as NumPy does, to ±inf or NaN, and the draw goes on)
    cdf = lambda x: (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0                   # Φ(x)
    mass = cdf((b - mean) / std) - cdf((a - mean) / std)                          # P(a ≤ X ≤ b)
    if mass > 0.3:  # (PyTorch's normal draws read a and b in the tensor's dtype first: their conversion's rules)
        for bound in (a, b):
            _in_dtype("trunc_normal_", bound, tensor)
        if std < 0:  # (PyTorch's normal_ refuses it; a mass over 0.3 with std < 0 may lie on a > b, where no draw
            raise DomainError(f"trunc_normal_: std must be >= 0, got {std}")  # would ever be kept)
    data = _data(tensor, "trunc_normal_", empty_any=mass > 0.3)  # (normal draws, or uniform ones: their rules)
    if data.size == 0 and mass > 0.3:
        return tensor
    xp = backend.get_array_module(data)
    if mass > 0.3:
        draw = lambda n: random.randn((n,), dtype=data.dtype, xp=xp, gen=generator) * data.dtype.type(std) \
            + data.dtype.type(mean)
        inside = lambda x: (x >= a) & (x <= b)
    else:
        if not a <= b:  # (PyTorch's uniform_(a, b) refuses a > b)
            raise DomainError(f"trunc_normal_: a must be <= b, got a={a}, b={b}")
        if not math.isfinite(b - a):  # (and an infinite bound: proposals on [a, inf) would never be kept)
            raise DomainError(f"trunc_normal_: [a, b] holds under 30% of N(mean, std²), so values are drawn "
                              f"uniformly on it, which needs finite bounds; got a={a}, b={b}")
        mode = max(a, min(mean, b))
        log_peak = -0.5 * ((mode - mean) / std) ** 2                              # log pdf(mode), up to a constant
        draw = lambda n: random.rand((n,), dtype=data.dtype, xp=xp, gen=generator) * data.dtype.type(b - a) \
            + data.dtype.type(a)
        inside = lambda x: ~(xp.log(random.rand(x.shape, dtype=data.dtype, xp=xp, gen=generator))
                             > -0.5 * ((x - mean) / std) ** 2 - log_peak)        # keep x with probability e^(…)
    values = draw(data.size)
    with backend.np.errstate(all="ignore"):  # (an infinite mean or std: NaN ratios, which keep the draw, as PyTorch's)
        left = ~inside(values)
        while left.any():  # each round keeps a fraction of what is left
            values[left] = draw(int(left.sum()))
            left[left] = ~inside(values[left])
    return _write(tensor, values.reshape(data.shape))


def orthogonal_(tensor, gain: float = 1.0, generator=None):
    """Saxe et al. 2014: the weight, flattened to (rows, the rest), is a (semi-)orthogonal matrix times ``gain``:
    the Q of a Gaussian matrix's QR, its columns' signs fixed by R's diagonal so that Q is uniform (Mezzadri 2007)."""
    data = _data(tensor, "orthogonal_", any_dtype=True)  # (PyTorch's order: the axes, nothing to fill, a draw)
    if data.ndim < 2:
        raise ValueError(f"orthogonal_: needs a weight with at least 2 axes, got shape {tuple(data.shape)}")
    if data.size == 0:
        return tensor
    _data(tensor, "orthogonal_")
    rows, cols = data.shape[0], data.size // data.shape[0]
    xp = backend.get_array_module(data)
    flat = random.randn((rows, cols), dtype=data.dtype, xp=xp, gen=generator)  # (PyTorch's draw: rows × cols)
    flat = (flat.T if rows < cols else flat).astype(backend.np.float64)  # tall
    q, r = xp.linalg.qr(flat)
    q = q * xp.sign(xp.diagonal(r))  # Q · diag(sign(diag R)): each column's sign fixed, so Q is Haar-distributed
    q = q if rows >= cols else q.T
    _write(tensor.view(rows, cols), (gain * q).astype(data.dtype))  # (written through a (rows, cols) view, as
    return tensor  # PyTorch's: a weight whose axes after the first cannot be viewed as one is refused there)


def eye_(tensor):
    """The identity matrix (ones on the diagonal of a 2-D weight, rectangular allowed): a Linear layer that starts
    by passing its input through."""
    data = _data(tensor, "eye_", any_dtype=True)
    if data.ndim != 2:
        raise ValueError(f"eye_: needs a 2-D weight, got shape {tuple(data.shape)}")
    diagonal = from_numpy(backend.get_array_module(data).arange(min(data.shape)))
    return _ones_at(tensor, (diagonal, diagonal))


def dirac_(tensor, groups: int = 1):
    """The Dirac delta of a convolution weight (out, in, k...): 1 at the kernel's centre from input channel i to
    output channel i of each group, 0 elsewhere, so the convolution starts as the identity on those channels."""
    data = _data(tensor, "dirac_", any_dtype=True)  # (a fill, as PyTorch's: any dtype)
    if data.ndim not in (3, 4, 5):
        raise ValueError(f"dirac_: needs a 3-, 4- or 5-D weight, got shape {tuple(data.shape)}")
    if groups == 0:  # (PyTorch's takes the first axis modulo groups)
        raise ZeroDivisionError("dirac_: groups must be >= 1, got 0")
    if not (isinstance(groups, int) and groups >= 1) or data.shape[0] % groups:
        raise ValueError(f"dirac_: the first axis ({data.shape[0]}) must divide into groups={groups!r}")
    xp = backend.get_array_module(data)
    out_per_group = data.shape[0] // groups
    n = min(out_per_group, data.shape[1])
    centre = tuple(k // 2 for k in data.shape[2:])
    outs = (xp.arange(groups)[:, None] * out_per_group + xp.arange(n)[None, :]).ravel()
    return _ones_at(tensor, (from_numpy(outs), from_numpy(xp.tile(xp.arange(n), groups)), *centre))


def _ones_at(tensor, index):
    """``tensor`` zeroed, then 1 at ``index``, as PyTorch's eye_ and dirac_ write it: on an expanded tensor, whose
    entries share memory, each element ends as the last entry written there left it (a copy of the whole would
    leave the last row's values)."""
    with no_grad():
        tensor.zero_()
        tensor[index] = 1
    return tensor


def sparse_(tensor, sparsity: float, std: float = 0.01, generator=None):
    """Martens 2010: N(0, std²) entries in a 2-D weight, with ceil(sparsity · rows) of each column's entries zero."""
    data = _data(tensor, "sparse_", any_dtype=True)  # (PyTorch's order: the axes, the count of zeros, the draw)
    if data.ndim != 2:
        raise ValueError(f"sparse_: needs a 2-D weight, got shape {tuple(data.shape)}")
    rows, cols = data.shape
    if math.isinf(sparsity * rows):  # (PyTorch's ceil(sparsity · rows): inf × 0 rows is NaN, a ValueError)
        raise OverflowError(f"sparse_: sparsity must be finite, got {sparsity}")
    if math.isnan(sparsity * rows):
        raise ValueError(f"sparse_: sparsity × rows must be a number, got {sparsity} × {rows}")
    zeros = len(range(rows)[:math.ceil(sparsity * rows)])  # (PyTorch's slices a permutation: any sparsity reads)
    _data(tensor, "sparse_", empty_any=True)  # (a normal draw's rule)
    if not std >= 0:
        raise DomainError(f"sparse_: std must be >= 0, got {std}")
    if data.size == 0:
        return tensor
    xp = backend.get_array_module(data)
    values = random.normal(data.shape, data.dtype, 0.0, std, xp=xp, gen=generator)
    for col in range(data.shape[1]):  # (PyTorch's: a permutation of the rows per column, from the default stream)
        values[random.permutation(rows, xp=xp)[:zeros], col] = 0
    return _write(tensor, values)


def default_init_(weight, bias=None):
    """PyTorch's default for Linear and Conv layers.

    weight: kaiming_uniform_(a=√5), i.e. U(−1/√fan_in, 1/√fan_in), Var = 1/(3·fan_in);
    bias:   U(−1/√fan_in, 1/√fan_in).
    """
    kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in, _ = calculate_fan_in_and_fan_out(weight)
        bound = 1.0 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        uniform_(bias, -bound, bound)
    return weight


# ----------------------------------------------------------------------------- deprecated names
def _deprecated(method):
    """``nn.init.normal`` and the others without their ``_``: PyTorch's deprecated names, with its warning."""
    name = method.__name__[:-1]

    def deprecated_init(*args, **kwargs):
        warnings.warn(f"`nn.init.{name}` is now deprecated in favor of `nn.init.{name}_`.", FutureWarning,
                      stacklevel=2)
        return method(*args, **kwargs)

    deprecated_init.__name__ = deprecated_init.__qualname__ = name
    deprecated_init.__doc__ = f"Deprecated: use ``{method.__name__}``, which this calls."
    return deprecated_init


uniform = _deprecated(uniform_)
normal = _deprecated(normal_)
constant = _deprecated(constant_)
eye = _deprecated(eye_)
dirac = _deprecated(dirac_)
xavier_uniform = _deprecated(xavier_uniform_)
xavier_normal = _deprecated(xavier_normal_)
kaiming_uniform = _deprecated(kaiming_uniform_)
kaiming_normal = _deprecated(kaiming_normal_)
orthogonal = _deprecated(orthogonal_)
sparse = _deprecated(sparse_)


__path__ = []  # (no submodules: so that ``from ... import`` of a name it lacks asks surface/missing.py's finder, and
# the advice, not a bare "cannot import name", is the ImportError)

def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error("torch.nn.init", name, sys.modules[__name__])
