"""User-facing functions (``import minigan.functional as F``), named as in ``torch.nn.functional``.

Each checks its arguments and calls one op from ``minigan/ops``.

The functions live by topic, each module on its own, and are all handed on here (``F.relu`` is
``minigan.functional.activation.relu``):

* ``activation.py``: the non-linearities (relu, softmax, gelu, ...) and their in-place forms;
* ``conv.py``: convolutions, 1-D and 2-D, transposed too, and unfold/fold;
* ``pool.py``: max, average and adaptive pooling;
* ``norm.py``: batch, layer, group, instance and RMS norm, normalize;
* ``dropout.py``: dropout, dropout1d, dropout2d;
* ``linear.py``: linear and scaled_dot_product_attention;
* ``sparse.py``: embedding and one_hot;
* ``distance.py``: cosine_similarity and pairwise_distance;
* ``loss.py``: every loss; ``loss_doors.py``: PyTorch's rules at each loss's door, one table;
* ``vision.py``: pad, interpolate and upsample, pixel_shuffle;
* ``_common.py``: what they share (reading an argument as a tensor, its dtype), and where.
"""

from __future__ import annotations

import sys

from minigan.engine import checks
from minigan.engine.errors import ShapeError
from minigan.functional._common import where
from minigan.functional.activation import (
    celu,
    celu_,
    elu,
    elu_,
    gelu,
    glu,
    gumbel_softmax,
    hardshrink,
    hardsigmoid,
    hardswish,
    hardtanh,
    hardtanh_,
    leaky_relu,
    leaky_relu_,
    log_softmax,
    logsigmoid,
    logsumexp,
    mish,
    prelu,
    relu,
    relu6,
    relu_,
    selu,
    selu_,
    sigmoid,
    silu,
    softmax,
    softmin,
    softplus,
    softshrink,
    softsign,
    tanh,
    tanhshrink,
    threshold,
    threshold_,
)
from minigan.functional.conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d, fold, unfold
from minigan.functional.distance import cosine_similarity, pairwise_distance
from minigan.functional.dropout import dropout, dropout1d, dropout2d
from minigan.functional.linear import linear, scaled_dot_product_attention
from minigan.functional.loss import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cosine_embedding_loss,
    cross_entropy,
    gaussian_nll_loss,
    hinge_embedding_loss,
    huber_loss,
    kl_div,
    l1_loss,
    margin_ranking_loss,
    mse_loss,
    multilabel_soft_margin_loss,
    nll_loss,
    poisson_nll_loss,
    smooth_l1_loss,
    soft_margin_loss,
    triplet_margin_loss,
)
from minigan.functional.norm import batch_norm, group_norm, instance_norm, layer_norm, normalize, rms_norm
from minigan.functional.pool import (
    adaptive_avg_pool1d,
    adaptive_avg_pool2d,
    adaptive_max_pool1d,
    adaptive_max_pool2d,
    avg_pool1d,
    avg_pool2d,
    max_pool1d,
    max_pool2d,
)
from minigan.functional.sparse import embedding, one_hot
from minigan.functional.vision import (
    interpolate,
    pad,
    pixel_shuffle,
    pixel_unshuffle,
    upsample,
    upsample_bilinear,
    upsample_nearest,
)
from minigan.surface import missing as _missing
from minigan.surface import shapes
from minigan.surface.layout import in_memory_order, memory_order
from minigan.surface.node_view import shown_as
from minigan.surface.operands import _operand

cat = shapes.cat  # (minigan/surface/shapes.py: minigan.cat is the same body)


def stack(tensors, dim=0, *, axis=None):
    """Join same-shaped tensors along a new dimension."""
    axis = dim if axis is None else axis
    if not isinstance(tensors, (list, tuple)) or not tensors:  # (PyTorch's RuntimeError; a ValueError too)
        raise ShapeError("stack: expected a non-empty list of tensors")
    tensors = [_operand(t, "stack", f"tensor {i}") for i, t in enumerate(tensors)]  # (a list is refused: PyTorch's)
    shape = tensors[0].shape  # (the dim is checked first, against the first tensor's rank + 1, as PyTorch's)
    axis = checks.normalize_axis(axis, len(shape) + 1, "stack", single=True)
    for i, t in enumerate(tensors):
        if t.shape != shape:
            raise ShapeError(f"stack: tensor {i} has shape {tuple(t.shape)}, but tensor 0 has shape {shape}")
    out = cat([t.unsqueeze(axis) for t in tensors], axis=axis)
    if axis < len(shape) and shapes.all_channels_last(tensors):  # (as PyTorch's: cat along the axis, then the
        order = [d + (d >= axis) for d in memory_order(len(shape), True)]  # view that splits it: channels-last, the
        order.insert(order.index(axis + 1), axis)  # new axis just outside the one it splits, in new memory)
        return shown_as(in_memory_order(out, order), "StackBackward0")
    return shown_as(out if out.is_contiguous() else out.contiguous(), "StackBackward0")  # (at the last axis
    # PyTorch's is row-major, where cat would read the new axis as a channels-last volume's channels)


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error('torch.nn.functional', name, sys.modules[__name__])


__all__ = [
    "adaptive_avg_pool1d", "adaptive_avg_pool2d", "adaptive_max_pool1d", "adaptive_max_pool2d", "avg_pool1d",
    "avg_pool2d", "batch_norm", "binary_cross_entropy", "binary_cross_entropy_with_logits", "celu", "celu_",
    "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "cosine_embedding_loss", "cosine_similarity",
    "cross_entropy", "dropout", "dropout1d", "dropout2d", "elu", "elu_", "embedding", "fold", "gaussian_nll_loss",
    "gelu", "glu", "group_norm", "gumbel_softmax", "hardshrink", "hardsigmoid", "hardswish", "hardtanh",
    "hardtanh_", "hinge_embedding_loss", "huber_loss", "instance_norm", "interpolate", "kl_div", "l1_loss",
    "layer_norm", "leaky_relu", "leaky_relu_", "linear", "log_softmax", "logsigmoid", "logsumexp",
    "margin_ranking_loss", "max_pool1d", "max_pool2d", "mish", "mse_loss", "multilabel_soft_margin_loss",
    "nll_loss", "normalize", "one_hot", "pad", "pairwise_distance", "pixel_shuffle", "pixel_unshuffle",
    "poisson_nll_loss", "prelu", "relu", "relu6", "relu_", "rms_norm", "scaled_dot_product_attention", "selu",
    "selu_", "sigmoid", "silu", "smooth_l1_loss", "soft_margin_loss", "softmax", "softmin", "softplus",
    "softshrink", "softsign", "stack", "tanh", "tanhshrink", "threshold", "threshold_", "triplet_margin_loss",
    "unfold", "upsample", "upsample_bilinear", "upsample_nearest", "where",
]
