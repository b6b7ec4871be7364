"""The layers, each a thin Module around one function of ``minigan.functional``.

Weight layouts and default initialisation are PyTorch's, so weights copy across::

    Linear(in, out)                    weight (out, in),            bias (out,)
    Conv2d(in, out, k)                 weight (out, in, k, k),      bias (out,)
    ConvTranspose2d(in, out, k)        weight (in, out, k, k),      bias (out,)
    BatchNorm1d/2d(C)                  weight γ (C,), bias β (C,),  buffers running_mean, running_var (C,),
                                       num_batches_tracked (an int64 count, as PyTorch)
    Embedding(num, dim)                weight (num, dim)

Parameters are float32 and created on the active backend (``minigan.use_backend``), unless the layer is given
``device=`` / ``dtype=`` (PyTorch's keywords: ``nn.Linear(2, 3, device="cuda", dtype=minigan.float64)``).
"""

from __future__ import annotations

from minigan import functional as F
from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, ShapeError
from minigan.functional._common import pair
from minigan.functional.activation import _implicit_softmax_dim
from minigan.functional.loss import _legacy_reduction
from minigan.functional.sparse import padding_index
from minigan.nn import init
from minigan.nn.module import Module
from minigan.nn.parameter import Parameter
from minigan.surface import tensor as surface_tensor
from minigan.surface.creation import allocated


def _empty(*shape):
    """A float32 array on the active backend, to be filled by an initialiser (past memory: PyTorch's RuntimeError)."""
    return allocated("empty", shape, backend.DEFAULT_DTYPE,
                     lambda: backend.active_module().zeros(shape, dtype=backend.DEFAULT_DTYPE))


def _size_int(value, name, layer, least=0):
    """A layer's size argument as PyTorch's constructors take it: an int (np.int64(4), a 0-d integer tensor; not a
    bool: TypeError) of at least ``least``: 0 features or channels make an empty layer that runs, as PyTorch's; below,
    PyTorch raises RuntimeError for a size and ValueError for groups or heads (least=1), and a DomainError is both."""
    if not checks.is_integer(value):
        raise TypeError(f"{layer}: {name} must be an int, got {value!r}")
    if value < least:
        raise DomainError(f"{layer}: {name} must be {'a positive' if least else 'a non-negative'} int, got {value!r}")
    if int(value) >= 2**63:  # (PyTorch's argument parser: TypeError; int() first: a 0-d tensor compares in int64)
        raise TypeError(f"{layer}: {name}={value} is past int64's range")
    return int(value)


# ----------------------------------------------------------------------------- affine layers
class Linear(Module):
    """y = x Wᵀ + b (one fused op).  Init: W, b ~ U(−1/√in, 1/√in) (PyTorch's default)."""

    def __init__(self, in_features: int, out_features: int, bias: bool = True, device=None, dtype=None):
        super().__init__()
        self.in_features = _size_int(in_features, "in_features", "Linear")
        self.out_features = _size_int(out_features, "out_features", "Linear")
        self.weight = Parameter(_empty(self.out_features, self.in_features))
        self.bias = Parameter(_empty(self.out_features)) if bias else None
        self.reset_parameters()
        self.to(device=device, dtype=dtype)  # PyTorch's factory keywords: where and in what dtype

    def reset_parameters(self):
        """Draw W and b again from PyTorch's default (what a re-initialisation loop calls)."""
        init.default_init_(self.weight, self.bias)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self):
        return f"in_features={self.in_features}, out_features={self.out_features}, bias={self.bias is not None}"


class _ConvNd(Module):
    """What Conv1d, Conv2d and ConvTranspose2d share: PyTorch's arguments, checked once, and its repr.

    Sizes (kernel_size, stride, padding, dilation) are kept as tuples of ``dims`` ints, as PyTorch keeps them;
    padding may also be 'same' or 'valid' (not for the transposed convolution).
    """

    dims, transposed = 2, False

    def __init__(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                 output_padding=0, device=None, dtype=None):
        super().__init__()
        self._configure(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode,
                        output_padding)
        shape = (in_channels, out_channels // groups) if self.transposed else (out_channels, in_channels // groups)
        self.weight = Parameter(_empty(*shape, *self.kernel_size))
        self.bias = Parameter(_empty(out_channels)) if bias else None
        self.reset_parameters()
        self.to(device=device, dtype=dtype)  # PyTorch's factory keywords: where and in what dtype

    def _configure(self, in_channels, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode,
                   output_padding):
        """PyTorch's arguments, checked once and kept as PyTorch keeps them (also for the lazy layers)."""
        name = type(self).__name__
        self.in_channels = _size_int(in_channels, "in_channels", name)
        self.out_channels = _size_int(out_channels, "out_channels", name)
        self.groups = _size_int(groups, "groups", name, least=1)
        for side, count in (("in_channels", in_channels), ("out_channels", out_channels)):
            if count % groups:
                raise ValueError(f"{name}: {side}={count} must be divisible by groups={groups}")
        self.kernel_size, self.stride = self._sizes(kernel_size, "kernel_size", 1), self._sizes(stride, "stride", 1)
        self.dilation = self._sizes(dilation, "dilation", 1)
        self.output_padding = self._sizes(output_padding, "output_padding", 0)
        if isinstance(padding, str) and not self.transposed:
            if padding not in ("same", "valid"):
                raise ValueError(f"{name}: padding must be an int, a tuple, 'same' or 'valid', got {padding!r}")
            if padding == "same" and any(s != 1 for s in self.stride):
                raise ValueError(f"{name}: padding='same' needs stride 1 (the output keeps the input's size), "
                                 f"got stride={stride!r}")
            self.padding = padding
        else:
            self.padding = self._sizes(padding, "padding", 0)
        modes = ("zeros",) if self.transposed else ("zeros", "reflect", "replicate", "circular")
        if padding_mode not in modes:
            raise ValueError(f"{name}: padding_mode must be one of {modes}, got {padding_mode!r}")
        self.padding_mode = padding_mode

    def reset_parameters(self):
        """Draw W and b again from PyTorch's default: fan_in = weight.shape[1]·kernel, as PyTorch's."""
        init.default_init_(self.weight, self.bias)

    def _sizes(self, value, name, minimum):
        if self.dims == 2:
            return pair(value, name, type(self).__name__, minimum)
        one = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
        return pair(one, name, type(self).__name__, minimum)[:1]

    def _padded(self, x):
        """x padded by padding_mode when it is not 'zeros' (then the convolution itself pads nothing)."""
        if self.padding == "same":  # d·(k − 1) in all, the odd one at the end, as PyTorch
            totals = [d * (k - 1) for d, k in zip(self.dilation, self.kernel_size)]
            sides = [(t // 2, t - t // 2) for t in totals]
        else:
            sides = [(0, 0) if self.padding == "valid" else (p, p) for p in self.padding]
        return F.pad(x, tuple(v for side in reversed(sides) for v in side), mode=self.padding_mode)

    def extra_repr(self):
        zero = (0,) * self.dims
        s = f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, stride={self.stride}"
        if self.padding != zero:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * self.dims:
            s += f", dilation={self.dilation}"
        if self.output_padding != zero:
            s += f", output_padding={self.output_padding}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s


class _Conv(_ConvNd):
    """What Conv1d and Conv2d share: PyTorch's signature, and a forward that pads by padding_mode first (when
    it is not 'zeros') and then calls ``convolve`` (F.conv1d or F.conv2d)."""

    convolve = None

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         device=device, dtype=dtype)

    def forward(self, input):
        if self.padding_mode != "zeros":
            padded = self._padded(input)
            return self.convolve(padded, self.weight, self.bias, self.stride, 0, self.dilation, self.groups)
        return self.convolve(input, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups)


class Conv2d(_Conv):
    """2-D convolution, weight (out, in/groups, kh, kw).  H_out = ⌊(H + 2·padding − dilation·(k − 1) − 1) / stride⌋ + 1.

    padding may be 'same' (stride 1) or 'valid'; padding_mode 'reflect', 'replicate' or 'circular' pads the
    input with ``F.pad`` first, as PyTorch does.  Init: W, b ~ U(−1/√fan_in, 1/√fan_in) with
    fan_in = in/groups·kh·kw (PyTorch's default).
    """

    convolve = staticmethod(F.conv2d)


class _ConvTranspose(_ConvNd):
    """What ConvTranspose1d and ConvTranspose2d share: PyTorch's signature, and a forward that calls ``convolve``
    (F.conv_transpose1d or F.conv_transpose2d)."""

    transposed, convolve = True, None

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        super().__init__(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         output_padding, device=device, dtype=dtype)

    def forward(self, input, output_size=None):
        """``output_size`` (optional, as PyTorch): the size wanted, with or without the (N, C) in front; it picks
        the output_padding, since several sizes convolve down to x's."""
        output_padding = self.output_padding if output_size is None else self._output_padding(input, output_size)
        return self.convolve(input, self.weight, self.bias, self.stride, self.padding, output_padding, self.groups,
                             self.dilation)

    def _output_padding(self, x, output_size):
        size = tuple(int(n) for n in output_size)[-self.dims :]
        spatial = tuple(x.shape)[-self.dims :]
        smallest = tuple((n - 1) * s - 2 * p + d * (k - 1) + 1 for n, s, p, d, k in
                         zip(spatial, self.stride, self.padding, self.dilation, self.kernel_size))
        if len(output_size) not in (self.dims, self.dims + 2) or any(
                not lo <= n < lo + s for n, lo, s in zip(size, smallest, self.stride)):
            largest = tuple(lo + s - 1 for lo, s in zip(smallest, self.stride))
            raise ValueError(f"{type(self).__name__}: requested an output size of {tuple(output_size)}, but valid "
                             f"sizes range from {smallest} to {largest} (for an input of {tuple(spatial)})")
        return tuple(n - lo for n, lo in zip(size, smallest))


class ConvTranspose2d(_ConvTranspose):
    """Transposed convolution (the adjoint of Conv2d), weight (in, out/groups, kh, kw).

    H_out = (H − 1)·stride − 2·padding + dilation·(k − 1) + 1 + output_padding;  k=4, stride=2, padding=1
    doubles H.  Init: PyTorch's default, whose fan_in for this layout is out/groups·kh·kw.
    """

    convolve = staticmethod(F.conv_transpose2d)


# ----------------------------------------------------------------------------- normalisation
class _RunningStats:
    """The running statistics BatchNorm and InstanceNorm keep, as PyTorch's _NormBase: a running mean (0), a running
    variance (1) and how many training batches updated them (an int64 0-d tensor), as buffers, so that state_dict
    keys are PyTorch's exactly and a PyTorch norm layer's state loads as is; each None without track_running_stats."""

    def _register_running_stats(self, num_features, track):
        xp, buffer = backend.active_module(), surface_tensor.tensor  # (keeps the array's dtype: the count is int64)
        self.register_buffer("running_mean", buffer(xp.zeros(num_features, dtype=backend.DEFAULT_DTYPE)) if track
                             else None)
        self.register_buffer("running_var", buffer(xp.ones(num_features, dtype=backend.DEFAULT_DTYPE)) if track
                             else None)
        self.register_buffer("num_batches_tracked", buffer(xp.zeros((), dtype=xp.int64)) if track else None)

    def reset_running_stats(self):
        """Running mean 0, running variance 1, no batches counted (in place: the buffers stay the same tensors)."""
        if self.track_running_stats:
            self.running_mean.array[...] = 0
            self.running_var.array[...] = 1
            self.num_batches_tracked.array[...] = 0


class _BatchNorm(_RunningStats, Module):
    """Shared by BatchNorm1d/2d, as PyTorch's.  ``affine``: learnable γ = 1 and β = 0 (``bias=False``: no β);
    ``track_running_stats``: running mean 0, running var 1 and a count of training batches, used in evaluation
    (without them, evaluation also normalises with the batch's statistics).  ``momentum=None``: the running
    statistics are the plain mean over all batches so far (momentum 1/num_batches_tracked, PyTorch's cumulative
    moving average)."""

    _version = 2  # (PyTorch's: the version whose state_dict holds num_batches_tracked)
    expected_ndim: tuple = ()
    expected_layout = ""

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float | None = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, bias: bool = True):
        super().__init__()
        name = type(self).__name__
        self.num_features = _size_int(num_features, "num_features", name)
        if not eps > 0 or momentum is not None and not 0 <= momentum <= 1:
            raise ValueError(f"{name}: need eps > 0 and 0 <= momentum <= 1 (or momentum=None), got eps={eps}, "
                             f"momentum={momentum}")
        self.eps, self.momentum, self.affine, self.track_running_stats = eps, momentum, affine, track_running_stats
        xp = backend.active_module()
        ones = xp.ones(num_features, dtype=backend.DEFAULT_DTYPE)
        zeros = xp.zeros(num_features, dtype=backend.DEFAULT_DTYPE)
        self.register_parameter("weight", Parameter(ones.copy()) if affine else None)
        self.register_parameter("bias", Parameter(zeros.copy()) if affine and bias else None)
        self._register_running_stats(num_features, track_running_stats)
        self.to(device=device, dtype=dtype)  # PyTorch's factory keywords: where and in what dtype

    def reset_parameters(self):
        """The running statistics reset, and γ = 1, β = 0 again."""
        self.reset_running_stats()
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)

    def forward(self, input):
        shape = getattr(input, "shape", None)
        if shape is None or len(shape) not in self.expected_ndim or shape[1] != self.num_features:
            raise ShapeError(
                f"{type(self).__name__}({self.num_features}): got input of shape {tuple(shape) if shape else shape}, "
                f"expected {self.expected_layout} with C = {self.num_features}"
            )
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.array += 1  # a counter, never part of a graph
            if self.momentum is None:  # the cumulative moving average: batch n weighs 1/n
                momentum = 1.0 / int(self.num_batches_tracked.array)
        use_batch_stats = self.training or self.running_mean is None  # (evaluation without running statistics)
        update = not self.training or self.track_running_stats  # hand the buffers over: to use, or to update
        return F.batch_norm(input, self.running_mean if update else None, self.running_var if update else None,
                            self.weight, self.bias, training=use_batch_stats, momentum=momentum, eps=self.eps)

    def extra_repr(self):
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class BatchNorm1d(_BatchNorm):
    """Batch norm of (N, C) or (N, C, L): per feature C, over the batch (and L)."""

    expected_ndim = (2, 3)
    expected_layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNorm):
    """Batch norm of images (N, C, H, W): per channel, over the batch and all pixels."""

    expected_ndim = (4,)
    expected_layout = "(N, C, H, W)"


# ----------------------------------------------------------------------------- regularisation, activations
class _DropoutNd(Module):
    """What the dropout layers share, as PyTorch's ``_DropoutNd``: p checked at the door, inplace a bool, the repr."""

    def __init__(self, p: float = 0.5, inplace: bool = False):
        super().__init__()
        name = type(self).__name__
        if not checks.is_number(p) or not 0 <= p <= 1:
            raise ValueError(f"{name}: p must be a probability in [0, 1], got {p!r}")
        self.p, self.inplace = p, _inplace(inplace, name)  # p as given, as PyTorch (p=0 prints so)

    def extra_repr(self):
        return f"p={self.p}, inplace={self.inplace}"


class Dropout(_DropoutNd):
    """Inverted dropout: in training zero each element with probability p and scale the rest by
    1/(1−p); in evaluation the identity.  CS/DS 552 (Jacob Whitehill) suggests it on D's input."""

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)


class Dropout2d(_DropoutNd):
    """Channel dropout of (N, C, H, W): in training zero whole channels with probability p and scale
    the rest by 1/(1−p) (neighbouring pixels are correlated, so dropping single pixels does little)."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


# ``inplace=True`` writes the result into the input, as PyTorch's (recorded like any in-place op: a backward that
# needs the input's old values raises, and a leaf that requires grad is refused).  It saves no memory here: the
# recorded op keeps a copy of the old values.
def _settings_repr(module, head: str, defaults: dict) -> str:
    """An ``extra_repr`` as PyTorch's: ``head``, then ``, name=value`` for each setting (``defaults``: its name ->
    PyTorch's default, in the order printed) whose value differs from its default.  A setting the module does not
    have (an LSTMCell's nonlinearity) is left out."""
    shown = [f", {name}={getattr(module, name)}" for name, default in defaults.items()
             if getattr(module, name, default) != default]
    return head + "".join(shown)


def _inplace(value, layer):
    if not isinstance(value, bool):
        raise TypeError(f"{layer}: inplace must be True or False, got {value!r}")
    return value


class ReLU(Module):
    """max(x, 0); with ``inplace``, written into x."""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = _inplace(inplace, "ReLU")

    def forward(self, input):
        return F.relu(input, self.inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """x for x > 0, else negative_slope·x; with ``inplace``, written into x."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__()
        self.negative_slope = negative_slope  # as given, as PyTorch (its repr prints negative_slope=1)
        self.inplace = _inplace(inplace, "LeakyReLU")

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}" + (", inplace=True" if self.inplace else "")


class ELU(Module):
    """x for x > 0, else α(eˣ − 1) (Clevert et al. 2016); with ``inplace``, written into x."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha = alpha  # as given, as PyTorch
        self.inplace = _inplace(inplace, "ELU")

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class _SoftmaxFamily(Module):
    """Softmax, LogSoftmax and Softmin: ``function`` along ``dim``; dim=None (PyTorch's default) picks one from
    the input's number of dimensions and warns (see ``F._implicit_softmax_dim``): give it, e.g. Softmax(dim=1)."""

    function, name = None, ""

    def __init__(self, dim: int | None = None):
        super().__init__()
        if dim is not None and not checks.is_integer(dim):
            raise TypeError(f"{type(self).__name__}: dim must be an int or None, got {dim!r}")
        self.dim = dim if dim is None else int(dim)

    def forward(self, input):
        dim = _implicit_softmax_dim(self.name, input.ndim, stacklevel=4) if self.dim is None else self.dim
        return type(self).function(input, dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class Softmax(_SoftmaxFamily):
    """exp(x) / Σ exp(x) along ``dim``: probabilities that sum to 1."""

    function, name = staticmethod(F.softmax), "softmax"


class _Pointwise(Module):
    """An activation with no settings at all: ``forward`` is ``function`` of the input (more_layers.py's
    ``_Activation`` adds PyTorch's ``inplace``)."""

    function = None

    def forward(self, input):
        return type(self).function(input)


class Sigmoid(_Pointwise):
    function = staticmethod(F.sigmoid)


class Tanh(_Pointwise):
    function = staticmethod(F.tanh)


class Identity(Module):
    """x itself.  Takes any arguments and ignores them, as PyTorch's (so it can stand in for any layer)."""

    def __init__(self, *args, **kwargs):
        super().__init__()

    def forward(self, input):
        return input


class Flatten(Module):
    """(N, d1, d2, ...) → (N, d1·d2·...): flattens axes start_dim..end_dim (default: all but the batch)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)  # (PyTorch's forward: flatten's checks and layout)

    def extra_repr(self):
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """(N, d) → (N, *shape): e.g. a generator's Linear output reshaped to (N, C, H, W)."""

    def __init__(self, dim: int, unflattened_size):
        super().__init__()
        # kept as given (a list stays a list), as PyTorch keeps it and its repr shows it
        self.dim = dim
        self.unflattened_size = unflattened_size if isinstance(unflattened_size, (tuple, list)) else \
            tuple(unflattened_size)

    def forward(self, input):
        d = self.dim % input.ndim
        return input.reshape(*input.shape[:d], *self.unflattened_size, *input.shape[d + 1:])

    def extra_repr(self):
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class Embedding(Module):
    """A lookup table: integer indices (any shape) → rows of weight (num_embeddings, embedding_dim).

    Used by the conditional GAN to embed class labels.  Init: N(0, 1) (PyTorch's default), the padding_idx row
    zero.  Repeated indices in a batch add up their gradients (getitem scatters with accumulation);
    padding_idx, max_norm, norm_type and scale_grad_by_freq as in ``F.embedding``.
    """

    def __init__(self, num_embeddings: int, embedding_dim: int, padding_idx=None, max_norm=None,
                 norm_type: float = 2.0, scale_grad_by_freq: bool = False, sparse: bool = False, _weight=None,
                 _freeze: bool = False, device=None, dtype=None):
        super().__init__()
        self.num_embeddings = _size_int(num_embeddings, "num_embeddings", "Embedding")
        self.embedding_dim = _size_int(embedding_dim, "embedding_dim", "Embedding")
        self.padding_idx = padding_index(padding_idx, num_embeddings, "Embedding")
        if sparse:
            raise NotImplementedError("Embedding: sparse=True is not provided (minigan's gradients are dense)")
        self.max_norm, self.norm_type, self.scale_grad_by_freq, self.sparse = max_norm, norm_type, \
            scale_grad_by_freq, sparse
        if _weight is None:
            self.weight = Parameter(_empty(self.num_embeddings, self.embedding_dim))
            self.reset_parameters()
        else:
            if tuple(_weight.shape) != (num_embeddings, embedding_dim):
                raise ShapeError(f"Embedding: _weight has shape {tuple(_weight.shape)}, expected "
                                 f"({num_embeddings}, {embedding_dim})")
            self.weight = Parameter(_weight, requires_grad=not _freeze)
        self.to(device=device, dtype=dtype)  # PyTorch's factory keywords: where and in what dtype

    def reset_parameters(self):
        """Draw the weight again from N(0, 1), PyTorch's default, with the padding_idx row zero."""
        init.normal_(self.weight)
        if self.padding_idx is not None:
            self.weight.array[self.padding_idx] = 0

    @classmethod
    def from_pretrained(cls, embeddings, freeze=True, padding_idx=None, max_norm=None, norm_type=2.0,
                        scale_grad_by_freq=False, sparse=False):
        """An Embedding whose weight is ``embeddings`` (2-D), frozen unless ``freeze=False``."""
        if embeddings.ndim != 2:
            raise ShapeError(f"Embedding.from_pretrained: embeddings must be 2-D, got shape {tuple(embeddings.shape)}")
        rows, dim = embeddings.shape
        return cls(rows, dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, _weight=embeddings,
                   _freeze=freeze)

    def forward(self, input):
        return F.embedding(input, self.weight, self.padding_idx, self.max_norm, self.norm_type,
                           self.scale_grad_by_freq, self.sparse)

    def extra_repr(self):
        return _settings_repr(self, f"{self.num_embeddings}, {self.embedding_dim}",
                              {"padding_idx": None, "max_norm": None, "norm_type": 2, "scale_grad_by_freq": False})


# ----------------------------------------------------------------------------- pooling, upsampling
class _Pool2d(Module):
    """Shared by MaxPool2d/AvgPool2d: kernel_size, stride (default: kernel_size), padding and ceil_mode, kept as
    given (an int or an (h, w) pair), as PyTorch's repr shows them; F.max_pool2d/avg_pool2d check them."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False):
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding, self.ceil_mode = padding, ceil_mode

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Pool2d):
    """The maximum of each window (elements ``dilation`` apart); the gradient goes to the window's first maximum
    (as in PyTorch); ``return_indices``: also where it is, as ``F.max_pool2d``."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.dilation, self.return_indices = dilation, return_indices

    def forward(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                            self.return_indices)

    def extra_repr(self):
        return f"{super().extra_repr()}, dilation={self.dilation}, ceil_mode={self.ceil_mode}"


class AvgPool2d(_Pool2d):
    """The mean of each window, with PyTorch's divisor (``count_include_pad``, ``divisor_override``; see
    ``F.avg_pool2d``)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
                 divisor_override=None):
        super().__init__(kernel_size, stride, padding, ceil_mode)
        self.count_include_pad, self.divisor_override = count_include_pad, divisor_override

    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad,
                            self.divisor_override)


class Upsample(Module):
    """Resize (N, C, L) or (N, C, H, W) by ``scale_factor`` or to ``size``, as ``F.interpolate``, in any of its
    modes: nearest, nearest-exact, (bi)linear, bicubic, area (``align_corners`` as PyTorch's)."""

    def __init__(self, size=None, scale_factor=None, mode: str = "nearest", align_corners=None,
                 recompute_scale_factor=None):
        super().__init__()
        known = ("nearest", "nearest-exact", "linear", "bilinear", "bicubic", "area")
        if mode not in known:
            raise NotImplementedError(f"{type(self).__name__}: mode must be one of {known}, got mode={mode!r}")  # (as
            # PyTorch's interpolate, which its Upsample calls: minigan asks at once)
        if (size is None) == (scale_factor is None):
            raise ValueError(f"{type(self).__name__}: give exactly one of size and scale_factor")
        if isinstance(scale_factor, (tuple, list)):  # kept as floats, as PyTorch keeps them
            scale_factor = tuple(float(f) for f in scale_factor)
        self.size, self.mode, self.align_corners = size, mode, align_corners
        self.scale_factor = float(scale_factor) if isinstance(scale_factor, (int, float)) else scale_factor
        self.recompute_scale_factor = recompute_scale_factor

    def forward(self, input):
        return F.interpolate(input, self.size, self.scale_factor, self.mode, self.align_corners,
                             self.recompute_scale_factor)

    def extra_repr(self):
        what = f"size={self.size!r}" if self.scale_factor is None else f"scale_factor={self.scale_factor!r}"
        return f"{what}, mode={self.mode!r}"


# ----------------------------------------------------------------------------- losses
class _Loss(Module):
    """A loss module: ``criterion(input, target)`` calls one function of ``minigan.functional``."""

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean"):
        """PyTorch's order: the deprecated ``size_average`` and ``reduce`` first (they set ``reduction``)."""
        super().__init__()
        old_mean = reduction == "elementwise_mean" and size_average is None and reduce is None
        # (PyTorch 0.4's name of "mean" is kept as given: the loss function takes it with PyTorch's deprecation
        # warning, or refuses it, at the call, as PyTorch's)
        reduction = reduction if old_mean else _legacy_reduction(type(self).__name__, reduction, size_average, reduce)
        if reduction not in ("mean", "sum", "none", "elementwise_mean"):
            raise ValueError(f"{type(self).__name__}: reduction must be 'mean', 'sum' or 'none', got {reduction!r}")
        self.reduction = reduction  # (not in the repr: PyTorch's losses print no arguments)


class BCELoss(_Loss):
    """Binary cross-entropy of probabilities (e.g. a Sigmoid output) against targets in [0, 1]; ``weight`` scales
    each element's loss."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, self.weight, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits: sigmoid and BCE in one stable op (prefer it to Sigmoid + BCELoss);
    ``weight`` scales each element's loss, ``pos_weight`` (one per class) the positive term."""

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean", pos_weight=None):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight, reduction=self.reduction,
                                                  pos_weight=self.pos_weight)


class CrossEntropyLoss(_Loss):
    """Softmax cross-entropy of logits (N, C) against integer class labels (N,) or class probabilities (N, C),
    with PyTorch's ``weight``, ``ignore_index`` and ``label_smoothing``."""

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean", label_smoothing: float = 0.0):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index, self.label_smoothing = ignore_index, label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class NLLLoss(_Loss):
    """Negative log-likelihood of log-probabilities (N, C) (a LogSoftmax output) at integer labels (N,), with
    PyTorch's ``weight`` and ``ignore_index``."""

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100, reduce=None,
                 reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, self.weight, ignore_index=self.ignore_index, reduction=self.reduction)


class MSELoss(_Loss):
    """Mean squared error (input − target)²."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error |input − target|."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)
