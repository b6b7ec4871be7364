"""Lazy layers: the input size is read from the first batch, as PyTorch's ``nn.LazyLinear``, ``LazyConv1d/2d``,
``LazyConvTranspose1d/2d`` and ``LazyBatchNorm1d/2d``.

    net = nn.Sequential(nn.LazyConv2d(8, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
    net(x)                      # the first call sizes every layer from x, then initialises it
    type(net[0]).__name__       # 'Conv2d': once sized, a lazy layer is the plain layer (cls_to_become)

Until that first call the weights are ``UninitializedParameter``s: any use raises, naming the fix, except
``.data``, an empty tensor as PyTorch's (``net.weight.data.normal_(0, 0.01)`` goes through). So an initialisation
applied before the first call never reaches them: ``net.apply(init_fn)`` with an ``init_fn`` that checks
``type(m) == nn.Linear`` skips a ``LazyLinear``, and the layer keeps PyTorch's default initialisation, drawn at the
first call. Call the model on a dummy batch first, then initialise (as PyTorch's documentation says).

The same parameter objects get their data in place (``materialize``), so an optimizer made before the first
call updates them. ``load_state_dict`` also sizes a lazy layer, from the shapes it loads.
"""

from __future__ import annotations

from minigan.engine.errors import ShapeError
from minigan.engine.grad_mode import no_grad
from minigan.nn.layers import BatchNorm1d, BatchNorm2d, Conv2d, ConvTranspose2d, Linear, _BatchNorm, _size_int
from minigan.nn.module import Module
from minigan.nn.more_layers import Conv1d, ConvTranspose1d
from minigan.nn.parameter import UninitializedBuffer, UninitializedParameter, UninitializedTensorMixin


class LazyModuleMixin:
    """What every lazy layer shares (PyTorch's ``LazyModuleMixin``): a forward pre-hook that, at the first call,
    runs ``initialize_parameters(input)``, removes itself and turns the layer into ``cls_to_become``."""

    cls_to_become = None
    sized_by = None  # the size the first input gives (in_features, in_channels, num_features)

    def _wait_for_first_call(self):
        self._initialize_hook = self.register_forward_pre_hook(self._infer_parameters, with_kwargs=True)

    def _uninitialized_weights(self, bias, device, dtype):
        """A weight and (``bias``) a bias with no data yet, sized at the first call (Linear's and the convolutions')."""
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        self.bias = UninitializedParameter(device=device, dtype=dtype) if bias else None
        self._wait_for_first_call()

    def has_uninitialized_params(self) -> bool:
        """Whether a parameter or buffer of this layer (not its children) still has no data."""
        own = list(self._parameters.values()) + list(self._buffers.values())
        return any(isinstance(t, UninitializedTensorMixin) for t in own)

    def reset_parameters(self):
        """The plain layer's initialisation, once sized: nothing to draw before the first call, and a layer whose
        ``sized_by`` is still 0 was sized by load_state_dict, whose values stay."""
        if not self.has_uninitialized_params() and getattr(self, self.sized_by) != 0:
            super().reset_parameters()

    def initialize_parameters(self, *args, **kwargs):
        raise NotImplementedError(f"initialize_parameters is not implemented for {type(self).__name__}")

    @staticmethod
    def _infer_parameters(module, args, kwargs):
        with no_grad():  # sizing and drawing the first weights is not part of any graph
            module.initialize_parameters(*args, **kwargs)
        if module.has_uninitialized_params():
            raise RuntimeError(f"module {type(module).__name__} has not been fully initialized")
        module._initialize_hook.remove()
        del module._initialize_hook
        if module.cls_to_become is not None:
            module.__class__ = module.cls_to_become  # from now on the plain layer, as PyTorch's


# ----------------------------------------------------------------------------- Linear
class LazyLinear(LazyModuleMixin, Linear):
    """``Linear`` whose ``in_features`` is the last size of the first input."""

    cls_to_become, sized_by = Linear, "in_features"

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None):
        Module.__init__(self)
        self.in_features = 0
        self.out_features = _size_int(out_features, "out_features", "LazyLinear")
        self._uninitialized_weights(bias, device, dtype)

    def initialize_parameters(self, input, *args, **kwargs):
        if self.has_uninitialized_params():
            self.in_features = int(input.shape[-1])
            self.weight.materialize((self.out_features, self.in_features))
            if self.bias is not None:
                self.bias.materialize((self.out_features,))
            self.reset_parameters()  # PyTorch's default initialisation, drawn now
        if self.in_features == 0:  # sized by load_state_dict: the input must fit the loaded weight
            if input.shape[-1] != self.weight.shape[-1]:
                raise ShapeError(f"LazyLinear: the input's last size {input.shape[-1]} differs from the loaded "
                                 f"weight's in_features {self.weight.shape[-1]}")
            self.in_features = int(input.shape[-1])


# ----------------------------------------------------------------------------- convolutions
class _LazyConvMixin(LazyModuleMixin):
    """What the lazy convolutions share: ``in_channels`` is the channel size of the first input."""

    sized_by = "in_channels"

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):  # (PyTorch's LazyConvNd signature)
        self._lazy_setup(out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode, 0,
                         device, dtype)

    def _lazy_setup(self, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                    output_padding, device, dtype):
        Module.__init__(self)
        # the arguments checked as the plain layer checks them, with a stand-in in_channels (groups divides it)
        self._configure(groups, out_channels, kernel_size, stride, padding, dilation, groups, padding_mode,
                        output_padding)
        self.in_channels = 0
        self._uninitialized_weights(bias, device, dtype)

    def initialize_parameters(self, input, *args, **kwargs):
        if not self.has_uninitialized_params():
            return
        batched, unbatched = self.dims + 2, self.dims + 1
        if input.ndim not in (unbatched, batched):
            raise RuntimeError(f"Expected {unbatched}D (unbatched) or {batched}D (batched) input to "
                               f"{type(self).__name__}, but got input of size: {tuple(input.shape)}")
        self.in_channels = int(input.shape[1] if input.ndim == batched else input.shape[0])
        if self.in_channels % self.groups:
            raise ValueError(f"{type(self).__name__}: in_channels={self.in_channels} (from the input) must be "
                             f"divisible by groups={self.groups}")
        if self.transposed:
            self.weight.materialize((self.in_channels, self.out_channels // self.groups, *self.kernel_size))
        else:
            self.weight.materialize((self.out_channels, self.in_channels // self.groups, *self.kernel_size))
        if self.bias is not None:
            self.bias.materialize((self.out_channels,))
        self.reset_parameters()


class _LazyConvTransposeMixin(_LazyConvMixin):
    """The lazy transposed convolutions: PyTorch's LazyConvTransposeNd signature (output_padding before groups)."""

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=True,
                 dilation=1, padding_mode="zeros", device=None, dtype=None):
        self._lazy_setup(out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode,
                         output_padding, device, dtype)


class LazyConv1d(_LazyConvMixin, Conv1d):
    """``Conv1d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = Conv1d


class LazyConv2d(_LazyConvMixin, Conv2d):
    """``Conv2d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = Conv2d


class LazyConvTranspose1d(_LazyConvTransposeMixin, ConvTranspose1d):
    """``ConvTranspose1d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = ConvTranspose1d


class LazyConvTranspose2d(_LazyConvTransposeMixin, ConvTranspose2d):
    """``ConvTranspose2d`` whose ``in_channels`` is read from the first input."""

    cls_to_become = ConvTranspose2d


# ----------------------------------------------------------------------------- normalisation
class _LazyNormMixin(LazyModuleMixin):
    """What the lazy norms share: ``num_features`` is the channel size of the first input."""

    sized_by = "num_features"

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None, *,
                 bias=True):  # (PyTorch's LazyBatchNormNd signature)
        self._lazy_setup(eps, momentum, affine, track_running_stats, device, dtype, bias)

    def _lazy_setup(self, eps, momentum, affine, track_running_stats, device, dtype, bias):
        # the plain layer's checks and tensors for one feature (ones and zeros: no random draws), then every
        # per-feature tensor replaced by one with no data
        type(self).cls_to_become.__init__(self, 1, eps, momentum, affine, track_running_stats, device, dtype, bias=bias)
        self.num_features = 0
        for name in ("weight", "bias"):
            if getattr(self, name) is not None:
                setattr(self, name, UninitializedParameter(device=device, dtype=dtype))
        for name in ("running_mean", "running_var"):
            if self._buffers.get(name) is not None:
                setattr(self, name, UninitializedBuffer(device=device, dtype=dtype))
        self._wait_for_first_call()

    def initialize_parameters(self, input, *args, **kwargs):
        if not self.has_uninitialized_params():
            return
        self.num_features = int(input.shape[1])
        for t in (self.weight, self.bias, self._buffers.get("running_mean"), self._buffers.get("running_var")):
            if isinstance(t, UninitializedTensorMixin):
                t.materialize((self.num_features,))
        self.reset_parameters()  # γ = 1, β = 0, running mean 0 and variance 1


# (a lazy norm is a _BatchNorm, not yet a BatchNorm1d/2d, as PyTorch's: ``isinstance(m, nn.BatchNorm1d)`` holds
# once the first call has sized it)
class LazyBatchNorm1d(_LazyNormMixin, _BatchNorm):
    """``BatchNorm1d`` whose ``num_features`` is read from the first input."""

    cls_to_become = BatchNorm1d
    expected_ndim, expected_layout = BatchNorm1d.expected_ndim, BatchNorm1d.expected_layout


class LazyBatchNorm2d(_LazyNormMixin, _BatchNorm):
    """``BatchNorm2d`` whose ``num_features`` is read from the first input."""

    cls_to_become = BatchNorm2d
    expected_ndim, expected_layout = BatchNorm2d.expected_ndim, BatchNorm2d.expected_layout
