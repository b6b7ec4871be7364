"""More layers, each a thin Module around a function of ``minigan.functional`` that is composed from
minigan's ops (so its gradient is the composition's): activations, layer/group/instance norm, padding,
pixel shuffle, adaptive average pooling, 1-d convolution and pooling, more losses, and the containers
ModuleDict and ParameterList.
"""

from __future__ import annotations

import operator
import warnings
from collections import OrderedDict
from collections.abc import Iterable, Mapping

from minigan import functional as F
from minigan.engine import backend, checks
from minigan.functional.loss import _legacy_reduction
from minigan.nn import init
from minigan.nn.layers import (
    Upsample,
    _Conv,
    _ConvTranspose,
    _DropoutNd,
    _inplace,
    _Loss,
    _Pointwise,
    _RunningStats,
    _size_int,
    _SoftmaxFamily,
)
from minigan.nn.module import Module
from minigan.nn.parameter import Parameter
from minigan.surface.tensor import Tensor


# ----------------------------------------------------------------------------- activations
class _Activation(Module):
    """An activation with no parameters: ``forward`` calls ``function`` with the settings kept at construction."""

    function = None

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = _inplace(inplace, type(self).__name__)  # written into the input, as PyTorch's

    def forward(self, input):
        return type(self).function(input, inplace=True) if self.inplace else type(self).function(input)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class SiLU(_Activation):
    function = staticmethod(F.silu)


class Mish(_Activation):
    function = staticmethod(F.mish)


class Hardsigmoid(_Activation):
    function = staticmethod(F.hardsigmoid)

    def extra_repr(self):
        return ""  # (PyTorch's repr leaves inplace out for this one)


class Hardswish(_Activation):
    function = staticmethod(F.hardswish)

    def extra_repr(self):
        return ""  # (PyTorch's repr leaves inplace out for this one)


class SELU(_Activation):
    function = staticmethod(F.selu)


class Softsign(_Pointwise):
    function = staticmethod(F.softsign)


class LogSigmoid(_Pointwise):
    function = staticmethod(F.logsigmoid)


class Tanhshrink(_Pointwise):
    function = staticmethod(F.tanhshrink)


class Softplus(Module):
    """log(1 + exp(βx))/β; for βx > threshold the identity, as PyTorch."""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold  # as given, as PyTorch (its repr prints beta=2)

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self):
        return f"beta={self.beta}, threshold={self.threshold}"


class GELU(Module):
    """GELU, x·Φ(x), exact or with ``approximate="tanh"`` (see ``F.gelu``)."""

    def __init__(self, approximate: str = "none"):
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, self.approximate)

    def extra_repr(self):
        return f"approximate={self.approximate!r}"


class Hardtanh(Module):
    def __init__(self, min_val: float = -1.0, max_val: float = 1.0, inplace: bool = False, min_value=None,
                 max_value=None):
        super().__init__()
        if min_value is not None:  # PyTorch's deprecated names, with its warnings
            warnings.warn("keyword argument `min_value` is deprecated and renamed to `min_val`", FutureWarning,
                          stacklevel=2)
            min_val = min_value
        if max_value is not None:
            warnings.warn("keyword argument `max_value` is deprecated and renamed to `max_val`", FutureWarning,
                          stacklevel=2)
            max_val = max_value
        if max_val <= min_val:  # (PyTorch's assert: equal bounds refused, a NaN one let through)
            raise AssertionError(f"{type(self).__name__}: max_val ({max_val}) must be greater than min_val "
                                 f"({min_val}); pass min_val < max_val")
        self.min_val, self.max_val, self.inplace = min_val, max_val, _inplace(inplace, type(self).__name__)

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self):
        return f"min_val={self.min_val}, max_val={self.max_val}" + (", inplace=True" if self.inplace else "")


class ReLU6(Hardtanh):
    """Hardtanh(0, 6), as PyTorch's (so ``isinstance(m, nn.Hardtanh)`` holds for it there too)."""

    def __init__(self, inplace: bool = False):
        super().__init__(0.0, 6.0, inplace)

    def extra_repr(self):
        return "inplace=True" if self.inplace else ""


class CELU(Module):
    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha, self.inplace = alpha, _inplace(inplace, "CELU")

    def forward(self, input):
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self):
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Threshold(Module):
    def __init__(self, threshold: float, value: float, inplace: bool = False):
        super().__init__()
        self.threshold, self.value, self.inplace = threshold, value, _inplace(inplace, "Threshold")

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self):
        return f"threshold={self.threshold}, value={self.value}" + (", inplace=True" if self.inplace else "")


class LogSoftmax(_SoftmaxFamily):
    function, name = staticmethod(F.log_softmax), "log_softmax"


class Softmin(_SoftmaxFamily):
    """softmax(−x) along ``dim``."""

    function, name = staticmethod(F.softmin), "softmin"


class PReLU(Module):
    """max(0, x) + a·min(0, x) with a learned slope a (one, or one per channel), initialised to ``init``."""

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None, dtype=None):
        super().__init__()
        self.num_parameters = _size_int(num_parameters, "num_parameters", "PReLU")
        self.weight = Parameter(backend.active_module().full(num_parameters, init, dtype=backend.DEFAULT_DTYPE))
        self.to(device=device, dtype=dtype)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


# ----------------------------------------------------------------------------- normalisation
class _AffineNorm(Module):
    """What LayerNorm, GroupNorm and InstanceNorm share: an optional learned scale (1) and shift (0)."""

    def _affine(self, size, affine, bias):
        """weight = 1 and bias = 0 of ``size`` when ``affine`` (no bias with bias=False), else None."""
        xp = backend.active_module()
        self.weight = Parameter(xp.ones(size, dtype=backend.DEFAULT_DTYPE)) if affine else None
        self.bias = Parameter(xp.zeros(size, dtype=backend.DEFAULT_DTYPE)) if affine and bias else None

    def reset_parameters(self):
        """γ = 1 and β = 0 again (what a re-initialisation loop calls)."""
        if self.weight is not None:
            init.ones_(self.weight)
        if self.bias is not None:
            init.zeros_(self.bias)


class LayerNorm(_AffineNorm):
    """Normalise over the last dimensions ``normalized_shape``; learned weight (1) and bias (0) of that shape."""

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device=None, dtype=None):
        super().__init__()
        shape = (int(normalized_shape),) if checks.is_integer(normalized_shape) else tuple(normalized_shape)
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        self._affine(shape, elementwise_affine, bias)
        self.to(device=device, dtype=dtype)

    def forward(self, input):
        return F.layer_norm(input, self.normalized_shape, self.weight, self.bias, self.eps)

    def extra_repr(self):  # (PyTorch's)
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"bias={self.bias is not None}")


class GroupNorm(_AffineNorm):
    """Normalise (N, C, ...) over each group of C/num_groups channels and the spatial dimensions (Wu & He 2018);
    ``affine``: a learned weight (1) and bias (0) per channel."""

    def __init__(self, num_groups: int, num_channels: int, eps: float = 1e-5, affine: bool = True, device=None,
                 dtype=None, *, bias: bool = True):
        super().__init__()
        self.num_groups = _size_int(num_groups, "num_groups", "GroupNorm", least=1)
        self.num_channels = _size_int(num_channels, "num_channels", "GroupNorm")
        if num_channels % num_groups:
            raise ValueError(f"GroupNorm: num_channels {num_channels} must be divisible by num_groups {num_groups}")
        self.eps, self.affine = eps, affine
        self._affine(num_channels, affine, bias)
        self.to(device=device, dtype=dtype)

    def forward(self, input):
        return F.group_norm(input, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self):  # (PyTorch's)
        return (f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}, "
                f"bias={self.bias is not None}")


class _InstanceNorm(_RunningStats, _AffineNorm):
    """What InstanceNorm1d and InstanceNorm2d share: each channel of each sample normalised over its own
    positions; ``affine=False`` by default, as PyTorch.  An unbatched input (one sample, ``dims`` + 1 dimensions)
    is normalised as a batch of one.  ``track_running_stats=True``: running mean 0 and variance 1 (and PyTorch's
    count, which instance norm leaves at 0), moved in training by the batch's mean of each instance's statistics,
    and normalising in evaluation (F.instance_norm)."""

    dims = 0  # the dimensions after the channels: 1 for (N, C, L), 2 for (N, C, H, W)
    _version = 2  # (PyTorch's _NormBase's, which state_dict() records)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = False,
                 track_running_stats: bool = False, device=None, dtype=None, *, bias: bool = True):
        super().__init__()
        name = type(self).__name__
        self.num_features = _size_int(num_features, "num_features", name)
        self.eps, self.momentum, self.affine, self.track_running_stats = eps, momentum, affine, track_running_stats
        self._affine(num_features, affine, bias)
        self._register_running_stats(num_features, track_running_stats)  # (the buffers BatchNorm has, as PyTorch's)
        self.to(device=device, dtype=dtype)

    def reset_parameters(self):
        self.reset_running_stats()
        super().reset_parameters()

    def forward(self, input):
        if input.ndim not in (self.dims + 1, self.dims + 2):  # PyTorch's check and message
            raise ValueError(f"expected {self.dims + 1}D or {self.dims + 2}D input (got {input.ndim}D input)")
        channels = input.ndim - self.dims - 1  # the channel axis: 0 unbatched, else 1
        if input.shape[channels] != self.num_features:
            if self.affine:  # a weight per channel: the sizes must agree
                raise ValueError(f"expected input's size at dim={channels} to match num_features "
                                 f"({self.num_features}), but got: {input.shape[channels]}.")
            warnings.warn(f"input's size at dim={channels} does not match num_features. You can silence this warning "
                          "by not passing in num_features, which is not used because affine=False", stacklevel=3)
        x = input.unsqueeze(0) if channels == 0 else input  # (unbatched: a batch of one)
        out = F.instance_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                              self.training or not self.track_running_stats,
                              0.0 if self.momentum is None else self.momentum, self.eps)
        return out.squeeze(0) if channels == 0 else out

    def extra_repr(self):  # (PyTorch's)
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"bias={self.bias is not None}, track_running_stats={self.track_running_stats}")


class InstanceNorm1d(_InstanceNorm):
    """Instance norm of (N, C, L) or (C, L): each channel over its L positions."""

    dims = 1


class InstanceNorm2d(_InstanceNorm):
    """Instance norm of images (N, C, H, W) or (C, H, W): each channel over its pixels (style transfer, CycleGAN)."""

    dims = 2


# ----------------------------------------------------------------------------- shapes and pooling
class _Pad(Module):
    """Pad with F.pad's ``mode`` by ``padding``: an int for every side, or PyTorch's (left, right[, top, bottom])."""

    mode, sides, value = "constant", 4, None

    def __init__(self, padding):
        super().__init__()
        self.padding = (int(padding),) * self.sides if checks.is_integer(padding) else tuple(padding)

    def forward(self, input):
        return F.pad(input, self.padding, mode=self.mode, value=self.value)

    def extra_repr(self):
        return f"{self.padding}"


class _ConstantPadNd(_Pad):
    """Pad with ``value``; shared by ConstantPad1d/2d (and through them ZeroPad1d/2d), as PyTorch's."""

    def __init__(self, padding, value: float):
        super().__init__(padding)
        self.value = value  # as given, as PyTorch (its repr prints value=2)

    def extra_repr(self):
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    sides = 2


class ConstantPad2d(_ConstantPadNd):
    pass


class ZeroPad1d(ConstantPad1d):
    """Pad the last dimension with (left, right) zeros (an int pads both): ConstantPad1d with value 0."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ZeroPad2d(ConstantPad2d):
    """Pad (left, right, top, bottom) with zeros (an int pads all four sides): ConstantPad2d with value 0."""

    def __init__(self, padding):
        super().__init__(padding, 0.0)

    def extra_repr(self):
        return f"{self.padding}"


class ReflectionPad1d(_Pad):
    mode, sides = "reflect", 2


class ReflectionPad2d(_Pad):
    mode = "reflect"


class ReplicationPad1d(_Pad):
    mode, sides = "replicate", 2


class ReplicationPad2d(_Pad):
    mode = "replicate"


class CircularPad1d(_Pad):
    mode, sides = "circular", 2


class CircularPad2d(_Pad):
    mode = "circular"


class PixelShuffle(Module):
    def __init__(self, upscale_factor: int):
        super().__init__()
        self.upscale_factor = upscale_factor

    def forward(self, input):
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self):
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    def __init__(self, downscale_factor: int):
        super().__init__()
        self.downscale_factor = downscale_factor

    def forward(self, input):
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self):
        return f"downscale_factor={self.downscale_factor}"


class _AdaptivePool(Module):
    """Pooling to a fixed output size, over PyTorch's adaptive windows: what the four adaptive pools share (each
    its own class beside the others, as PyTorch's, so ``isinstance(m, nn.AdaptiveAvgPool2d)`` finds only that)."""

    def __init__(self, output_size):
        super().__init__()
        self.output_size = output_size

    def extra_repr(self):
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    def forward(self, input):
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """Average pooling to a fixed output size (1: global average pooling)."""

    def forward(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)


class _AdaptiveMaxPool(_AdaptivePool):
    """Max pooling to a fixed output size; ``return_indices``: also where each maximum was."""

    def __init__(self, output_size, return_indices=False):
        super().__init__(output_size)
        self.return_indices = return_indices


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    def forward(self, input):
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    def forward(self, input):
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class UpsamplingNearest2d(Upsample):
    """``Upsample(mode="nearest")``."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="nearest")


class UpsamplingBilinear2d(Upsample):
    """Bilinear upsampling with the corner pixels aligned: ``Upsample(mode="bilinear", align_corners=True)``."""

    def __init__(self, size=None, scale_factor=None):
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)


class Conv1d(_Conv):
    """1-D convolution of (N, C, L), weight (out, in/groups, k): Conv2d's op on a height-1 image, PyTorch's
    arguments and init."""

    dims, convolve = 1, staticmethod(F.conv1d)


class ConvTranspose1d(_ConvTranspose):
    """1-D transposed convolution of (N, C, L), weight (in, out/groups, k): ConvTranspose2d's op on a height-1
    image, PyTorch's arguments and init."""

    dims, convolve = 1, staticmethod(F.conv_transpose1d)


class _Windows(Module):
    """The sliding windows Unfold and Fold share (two classes side by side, as PyTorch's)."""

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, stride={self.stride}"


class Unfold(_Windows):
    """``F.unfold`` as a layer: each window as a column, (N, C, H, W) → (N, C·kh·kw, L)."""

    def forward(self, input):
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)


class Fold(_Windows):
    """``F.fold`` as a layer: columns added back onto an image of ``output_size``."""

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1):
        super().__init__(kernel_size, dilation, padding, stride)
        self.output_size = output_size

    def forward(self, input):
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self):
        return f"output_size={self.output_size}, " + super().extra_repr()


class MaxPool1d(Module):
    """F.max_pool1d as a layer; its sizes kept as given, as PyTorch's repr shows them."""

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1, return_indices=False, ceil_mode=False):
        super().__init__()
        self.kernel_size, self.stride = kernel_size, kernel_size if stride is None else stride
        self.padding, self.dilation, self.return_indices, self.ceil_mode = padding, dilation, return_indices, ceil_mode

    def forward(self, input):
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode,
                            self.return_indices)

    def extra_repr(self):
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}, "
                f"dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class AvgPool1d(Module):
    """F.avg_pool1d as a layer; its sizes kept as 1-tuples, as PyTorch's (and its repr)."""

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
        super().__init__()
        one = lambda v: tuple(v) if isinstance(v, (tuple, list)) else (v,)  # PyTorch's _single
        self.kernel_size, self.stride = one(kernel_size), one(kernel_size if stride is None else stride)
        self.padding, self.ceil_mode, self.count_include_pad = one(padding), ceil_mode, count_include_pad

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad)

    def extra_repr(self):
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class CosineSimilarity(Module):
    def __init__(self, dim: int = 1, eps: float = 1e-8):
        super().__init__()
        self.dim, self.eps = dim, eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class PairwiseDistance(Module):
    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False):
        super().__init__()
        self.p, self.eps, self.keepdim = p, eps, keepdim

    def forward(self, x1, x2):
        return F.pairwise_distance(x1, x2, self.p, self.eps, self.keepdim)


# ----------------------------------------------------------------------------- losses
class SmoothL1Loss(_Loss):
    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", beta: float = 1.0):
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    def __init__(self, reduction: str = "mean", delta: float = 1.0):
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, self.reduction, self.delta)


class KLDivLoss(Module):
    """KL divergence of log-probabilities ``input`` from ``target`` (see ``F.kl_div``; prefer "batchmean")."""

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean", log_target: bool = False):
        super().__init__()
        self.reduction = _legacy_reduction("KLDivLoss", reduction, size_average, reduce,
                                             ("mean", "sum", "none", "batchmean"))
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)


class SoftMarginLoss(_Loss):
    def forward(self, input, target):
        return F.soft_margin_loss(input, target, reduction=self.reduction)


class MarginRankingLoss(_Loss):
    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.margin_ranking_loss(input1, input2, target, self.margin, reduction=self.reduction)


class HingeEmbeddingLoss(_Loss):
    def __init__(self, margin: float = 1.0, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input, target):
        return F.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)


class CosineEmbeddingLoss(_Loss):
    def __init__(self, margin: float = 0.0, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin = margin

    def forward(self, input1, input2, target):
        return F.cosine_embedding_loss(input1, input2, target, self.margin, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6, swap: bool = False,
                 size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.margin, self.p, self.eps, self.swap = margin, p, eps, swap

    def forward(self, anchor, positive, negative):
        return F.triplet_margin_loss(anchor, positive, negative, self.margin, self.p, self.eps, self.swap,
                                     reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    def __init__(self, *, full: bool = False, eps: float = 1e-6, reduction: str = "mean"):
        super().__init__(reduction=reduction)
        self.full, self.eps = full, eps

    def forward(self, input, target, var):
        return F.gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)


class PoissonNLLLoss(_Loss):
    def __init__(self, log_input: bool = True, full: bool = False, size_average=None, eps: float = 1e-8, reduce=None,
                 reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.log_input, self.full, self.eps = log_input, full, eps

    def forward(self, log_input, target):
        return F.poisson_nll_loss(log_input, target, self.log_input, self.full, eps=self.eps,
                                  reduction=self.reduction)


class MultiLabelSoftMarginLoss(_Loss):
    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean"):
        super().__init__(size_average, reduce, reduction)
        self.weight = weight

    def forward(self, input, target):
        return F.multilabel_soft_margin_loss(input, target, self.weight, reduction=self.reduction)


class GLU(Module):
    def __init__(self, dim: int = -1):
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self):
        return f"dim={self.dim}"


class _Shrink(Module):
    """What Hardshrink and Softshrink share: the threshold ``lambd`` (two classes side by side, as PyTorch's)."""

    def __init__(self, lambd: float = 0.5):
        super().__init__()
        self.lambd = lambd

    def extra_repr(self):
        return f"{self.lambd}"


class Hardshrink(_Shrink):
    def forward(self, input):
        return F.hardshrink(input, self.lambd)


class Softshrink(_Shrink):
    def forward(self, input):
        return F.softshrink(input, self.lambd)


class Softmax2d(Module):
    """softmax over the channels of (N, C, H, W) or (C, H, W)."""

    def forward(self, input):
        return F.softmax(input, -3)


class RMSNorm(Module):
    def __init__(self, normalized_shape, eps=None, elementwise_affine: bool = True, device=None, dtype=None):
        super().__init__()
        shape = (int(normalized_shape),) if checks.is_integer(normalized_shape) else tuple(normalized_shape)
        self.normalized_shape, self.eps, self.elementwise_affine = shape, eps, elementwise_affine
        ones = backend.active_module().ones(shape, dtype=backend.DEFAULT_DTYPE)
        self.weight = Parameter(ones) if elementwise_affine else None
        self.to(device=device, dtype=dtype)

    def forward(self, x):  # (PyTorch names it x here)
        return F.rms_norm(x, self.normalized_shape, self.weight, self.eps)

    def extra_repr(self):  # (PyTorch's)
        return f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"


class Dropout1d(_DropoutNd):
    """Channel dropout of (N, C, L) or (C, L): whole channels zeroed with probability p, the rest scaled by 1/(1−p)."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


# ----------------------------------------------------------------------------- containers
class ModuleDict(Module):
    """Modules by name, registered as submodules (their parameters are the owner's): ``d["conv"]``, ``d.items()``."""

    def __init__(self, modules=None):
        super().__init__()
        for name, module in dict(modules or {}).items():
            self[name] = module

    def __setitem__(self, name, module):  # add_module's checks, as PyTorch's: a name "a.b", "" or "keys" is refused
        self.add_module(name, module)

    def __getitem__(self, name):
        return dict(self.named_children())[name]

    def __len__(self):
        return len(dict(self.named_children()))

    def __iter__(self):
        return iter(dict(self.named_children()))

    def __contains__(self, name):
        return name in dict(self.named_children())

    def keys(self):
        return dict(self.named_children()).keys()

    def values(self):
        return dict(self.named_children()).values()

    def items(self):
        return dict(self.named_children()).items()

    def __delitem__(self, name):
        del self._modules[name]

    def pop(self, key):
        module = self[key]
        del self[key]
        return module

    def update(self, modules):
        for name, module in dict(modules).items():
            self[name] = module

    def clear(self):
        self._modules.clear()


class ParameterList(Module):
    """Parameters in a list, registered (as "0", "1", ...) so that ``parameters()`` finds them.  As PyTorch's: a
    tensor put in (the constructor, ``append``, ``extend``, ``+=``, ``pl[i] = t``) becomes a Parameter and anything
    else is kept as a plain entry; ``pl[i]`` reads negative indices and refuses one past the end (IndexError); a
    slice is a new ParameterList of the same parameters."""

    def __init__(self, values=None):
        super().__init__()
        self._count = 0
        if values is not None:
            self.extend(values)

    def _name(self, i) -> str:
        """The entry ``i``'s attribute name (from the end if negative), as PyTorch's."""
        i = operator.index(i)
        if not -self._count <= i < self._count:
            raise IndexError(f"ParameterList: index {i} is out of range for a list of {self._count}")
        return str(i % self._count)

    def __getitem__(self, i):
        return type(self)(list(self)[i]) if isinstance(i, slice) else getattr(self, self._name(i))

    def __setitem__(self, i, value):
        made = Parameter(value) if isinstance(value, Tensor) and not isinstance(value, Parameter) else value
        setattr(self, self._name(i), made)

    def append(self, value):
        self._count += 1
        self[-1] = value
        return self

    def extend(self, values):
        if isinstance(values, Tensor) or not isinstance(values, Iterable):
            raise TypeError(f"ParameterList.extend: expected an iterable of parameters, got {type(values).__name__}")
        for value in values:
            self.append(value)
        return self

    def __iadd__(self, values):
        return self.extend(values)

    def __len__(self):
        return self._count

    def __iter__(self):
        return (getattr(self, str(i)) for i in range(self._count))

    def extra_repr(self):
        """PyTorch's: one line per parameter, its dtype and size (dtypes by their NumPy names, as tensors print)."""
        lines = []
        for i, p in enumerate(self):
            if not isinstance(p, Tensor):
                lines.append(f"  ({i}): Object of type: {type(p).__name__}")
                continue
            device = f" ({p.device})" if p.device.type == "cuda" else ""
            size = "x".join(str(n) for n in p.shape)
            kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
            lines.append(f"  ({i}): {kind} containing: [{p.dtype} of size {size}{device}]")
        return "\n".join(lines)



class ParameterDict(Module):
    """Parameters by name, in the order they were put in, registered so that ``parameters()`` finds them: a tensor
    put in becomes a Parameter; anything else is kept as a plain attribute (PyTorch's).  ``update`` (and the
    constructor) keep the order of an OrderedDict, another ParameterDict or a list of pairs, and take a plain dict's
    keys in sorted order, as PyTorch's does."""

    def __init__(self, parameters=None):
        super().__init__()
        self._keys = {}  # the keys in order (a dict of None: ordered, with a quick `in`)
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _name(key):
        if not isinstance(key, str):
            raise TypeError(f"ParameterDict: a key must be a string, got {type(key).__name__} {key!r}")
        return key

    def __getitem__(self, key):
        return getattr(self, self._name(key))

    def __setitem__(self, key, value):
        name = self._name(key)
        self._keys[name] = None
        setattr(self, name, Parameter(value) if isinstance(value, Tensor) and not isinstance(value, Parameter) else
                value)

    def __delitem__(self, key):
        del self._keys[key]
        delattr(self, self._name(key))

    def __len__(self):
        return len(self._keys)

    def __iter__(self):
        return iter(self._keys)

    def __reversed__(self):
        return reversed(self._keys)

    def __contains__(self, key):
        return key in self._keys

    def keys(self):
        return self._keys.keys()

    def values(self):
        return (self[k] for k in self._keys)

    def items(self):
        return ((k, self[k]) for k in self._keys)

    def get(self, key, default=None):
        return self[key] if key in self else default

    def setdefault(self, key, default=None):
        if key not in self:
            self[key] = default
        return self[key]

    def pop(self, key):
        value = self[key]
        del self[key]
        return value

    def popitem(self):
        """The last key put in and its value, removed."""
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def clear(self):
        for key in list(self._keys):
            del self[key]

    def copy(self):
        return ParameterDict(OrderedDict(self.items()))

    def fromkeys(self, keys, default=None):
        return ParameterDict([(k, default) for k in keys])

    def update(self, parameters):
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items())  # (a plain dict's order is not kept: PyTorch's sorts it)
        elif isinstance(parameters, Iterable):
            pairs = list(parameters)
            for j, pair in enumerate(pairs):
                if not isinstance(pair, Iterable):
                    raise TypeError(f"ParameterDict.update: element {j} must be a (key, value) pair, got "
                                    f"{type(pair).__name__}")
                if len(pair) != 2:
                    raise ValueError(f"ParameterDict.update: element {j} has length {len(pair)}; a (key, value) "
                                     "pair has 2")
        else:
            raise TypeError(f"ParameterDict.update: give a mapping or (key, value) pairs, got "
                            f"{type(parameters).__name__}")
        for key, value in pairs:
            self[key] = value

    def __or__(self, other):
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other):
        merged = other.copy()
        merged.update(self)
        return merged

    def __ior__(self, other):
        self.update(other)
        return self

    def __call__(self, *args, **kwargs):
        raise RuntimeError("ParameterDict should not be called: index it, d[name]")

    def extra_repr(self):
        """PyTorch's: one line per entry, a tensor's type name and size, or another object's type."""
        lines = []
        for k, p in self.items():
            if isinstance(p, Tensor):
                device = f" ({p.device})" if p.device.type == "cuda" else ""
                kind = "Parameter" if isinstance(p, Parameter) else "Tensor"
                lines.append(f"  ({k}): {kind} containing: [{p.type()} of size {'x'.join(map(str, p.shape))}{device}]")
            else:
                lines.append(f"  ({k}): Object of type: {type(p).__name__}")
        return "\n".join(lines)

__all__ = ["SiLU", "Mish", "ReLU6", "Hardsigmoid", "Hardswish", "SELU", "Softsign", "LogSigmoid", "Tanhshrink",
           "Softplus", "GELU", "Hardtanh", "CELU", "Threshold", "LogSoftmax", "Softmin", "PReLU", "LayerNorm",
           "GroupNorm", "InstanceNorm1d", "InstanceNorm2d", "ZeroPad2d", "ConstantPad2d", "PixelShuffle",
           "PixelUnshuffle", "AdaptiveAvgPool2d", "AdaptiveAvgPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool1d",
           "UpsamplingNearest2d", "Conv1d", "MaxPool1d", "AvgPool1d", "CosineSimilarity", "PairwiseDistance",
           "SmoothL1Loss", "HuberLoss", "KLDivLoss", "SoftMarginLoss", "ModuleDict", "ParameterList", "ParameterDict",
           "MarginRankingLoss", "HingeEmbeddingLoss", "CosineEmbeddingLoss", "TripletMarginLoss", "GaussianNLLLoss",
           "PoissonNLLLoss", "MultiLabelSoftMarginLoss", "GLU", "Hardshrink", "Softshrink", "Softmax2d", "RMSNorm",
           "Dropout1d", "ZeroPad1d", "ConstantPad1d", "Unfold", "Fold", "ConvTranspose1d"]
