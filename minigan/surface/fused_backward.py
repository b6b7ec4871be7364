"""PyTorch's fused backward formulas under create_graph: the gradients its one backward node gives, read off the
engine's textbook nodes.

PyTorch computes a convolution's, batch norm's and binary cross-entropy's gradients in one fused formula each, whose
node reads every operand it saved for each gradient it gives, and whose own derivatives are PyTorch's double-backward
formulas.  The engine's nodes give the textbook's gradients; the rules here give PyTorch's, under create_graph only
(at first order the engine's backward runs alone).  Each is a row of minigan/surface/ops.py: a gradient adjustment
(``convolution_backward``, ``batch_norm_backward``, ``binary_cross_entropy_backward``, whose input gradient is a node
with PyTorch's derivatives, ``_BCEGrad``).
"""

from __future__ import annotations

import math
import weakref

from minigan.engine import backend, grad_mode
from minigan.engine.graph import Node
from minigan.engine.ops import conv as C
from minigan.engine.tensor import Tensor  # (minigan.Tensor is one: the surface's Tensor imports this module's table)
from minigan.surface import unary as U
from minigan.surface.node_view import shown_as
from minigan.surface.reading import read_from_saved

# Under create_graph PyTorch's convolution alternates two kinds of node.  A convolution's backward is one node,
# convolution_backward, which reads the upstream, the input and the weight for each gradient it gives (each requires
# grad when one of them does, with no derivative in the one it does not depend on); that node's own backward,
# _convolution_double_backward, is plain convolutions, each again a convolution of the first kind.  The engine's
# three bilinear maps differentiate into each other (minigan/engine/ops/conv.py's docstring), and its nodes are the
# ones recorded, whose backward runs; the rule below, the convolutions' gradient adjustment (their rows of
# surface/ops.py), reads each node's gradients as PyTorch's kind of node gives them, so every order reads as PyTorch's
# does.  First order: the engine's backward alone (the walk asks only under create_graph).
_PLAIN = weakref.WeakSet()  # the convolutions a first-kind node's backward made (its convolution_backward's parts)


def convolution_backward(node, grad, grads):
    """A convolution's gradients under create_graph (``grads``, from the engine's backward of ``node``), as PyTorch
    gives them.  A node of the first kind (conv2d's or conv_transpose2d's own, or one a plain node's backward made):
    each gradient read from the input and the weight it saved (minigan/surface/reading.py), and the convolutions its
    backward made are plain, each gradient's node shown as PyTorch's (ConvolutionBackwardBackward0).  A plain node's
    gradients are the engine's, convolutions of the first kind."""
    if node in _PLAIN:
        return grads
    for g in grads:  # (∂x and ∂W are results of the engine's convolutions; ∂b, a sum, is not)
        if g is not None and isinstance(g._ctx, _CONVOLUTIONS):
            _PLAIN.add(g._ctx)
    return tuple([shown_as(g, "ConvolutionBackwardBackward0") for g in read_from_saved(node, grads)])


_CONVOLUTIONS = (C.Conv2d, C.ConvTranspose2d, C.Conv2dWeight)


def batch_norm_backward(node, grad, grads):
    """Batch norm's gradients under create_graph (``grads``, from the engine's backward of ``node``), as PyTorch's one
    batch norm backward gives them: each read from the input and the weight, which it reads for each of its three
    (minigan/surface/reading.py: each requires grad when one of them does).  In training, the input's gradient is
    centred once more over each channel (the same dx, which sums to 0: a channel then sums to 0 to the rounding of its
    terms, and a channel-constant upstream gives 0 exactly, as layer norm's); after a write through .data since
    forward, PyTorch's double backward reads forward's μ and 1/σ, with their slopes (as_saved), so the engine's
    formula (BatchNorm.gradients) runs again with those statistics in place of x's own."""
    if node.training:
        x, gamma = node.saved_tensors
        if (x.array.mean(axis=node.axes, keepdims=True) != node.mean).any():  # (x's μ is not forward's: written)
            grads = node.gradients(grad, gamma, *_statistics_as_saved(node, x))
        elif grads[0] is not None:
            grads = (grads[0] - grads[0].mean(axis=node.axes, keepdims=True),) + tuple(grads[1:])
    return read_from_saved(node, grads)


def _statistics_as_saved(node, x):
    """x − μ and 1/σ of the saved Tensor x (the engine's normalize), at the values forward found (as_saved), as
    PyTorch's double backward reads them after a write through .data."""
    _, inv_std, mean, _ = node.normalize(x)
    mean, inv_std = as_saved(x, mean, inv_std, node.axes, node.mean, node.inv_std, slope_mean=node.mean)
    return x - mean, inv_std


def as_saved(x, mean, inv_std, axes, saved_mean, saved_inv_std, slope_mean=None):
    """Under create_graph: μ and 1/σ of the saved Tensor x (``mean``, ``inv_std``: Tensors of x as it is now)
    moved to the values forward found (``saved_mean``, ``saved_inv_std``), as PyTorch's double backward reads them
    where a write through .data changed x since.  μ keeps its slope 1/n; 1/σ takes PyTorch's, −(1/σ)³·(x − m)/n
    with forward's 1/σ and m forward's μ (layer and batch norm) or x's mean now (group norm: None), in place of its
    own; its higher derivatives stay those of x's own statistics.  Where x is as forward saw it, nothing moves."""
    n = math.prod(x.shape[a] for a in axes)
    m = mean.array if slope_mean is None else slope_mean
    with backend.np.errstate(invalid="ignore", over="ignore"):
        slope = -saved_inv_std ** 3 * (x.array - m) / n + inv_std.array ** 3 * (x.array - mean.array) / n
    moved = ((x - x.array) * slope).sum(axis=axes, keepdims=True)  # (0, with the slope's difference as derivative)
    return mean + (saved_mean - mean.array), inv_std + (saved_inv_std - inv_std.array) + moved


def binary_cross_entropy_backward(node, grad, grads):
    """The engine's binary cross-entropy's gradients under create_graph as PyTorch's node gives them: the input's a
    node of its own with PyTorch's derivatives (_BCEGrad), so that second derivatives near p = 0 and 1 are PyTorch's
    too; the target's −logit p by PyTorch's logit.  dℓ/dp = (p − t) / max(p(1 − p), ε), dℓ/dt = −logit p."""
    if not node.needs_input_grad[0]:  # (the target's alone: the engine's)
        return grads
    p, t = node.saved_tensors
    g = grad if node.reduction == "none" else grad.expand(*p.shape) / (p.numel() if node.reduction == "mean" else 1)
    return _BCEGrad.apply(g, p, t), -U.Logit.apply(p) * g if node.needs_input_grad[1] else None


class _BCEGrad(Node):
    """g·(p − t) / max((1 − p)·p, ε) with PyTorch's ε, the float32 number 1e-12 (binary_cross_entropy_backward).
    Its derivatives are PyTorch's binary_cross_entropy_double_backward formulas, which read ε = 1e-12 otherwise: in
    p, g·(p² − 2pt + t) / ((p + ε)²(1 − p + ε)²); in t, −g / max((1 − p)·p, ε); in g, not the map itself but
    (p − t) / ((p + ε)(1 − p + ε)) (…_grad_output: 4.2e11 where the map is 8.0e11, at p = 1 − 2⁻⁴⁰, t = 0.2)."""

    EPSILON = float(backend.np.float32(1e-12))

    def forward(self, g, p, t):
        self.save_for_backward(g, p, t)
        return g * (p - t) / backend.get_array_module(p).maximum((1 - p) * p, p.dtype.type(self.EPSILON))

    def backward(self, gg):  # d/dg = (p − t)/((p + ε)(1 − p + ε));  d/dp and d/dt: PyTorch's double backward
        g, p, t = self.saved_tensors
        eps = 1e-12
        d_g = (p - t) / ((p + eps) * (1 - p + eps)) * gg if self.needs_input_grad[0] else None
        d_p = (p * p - 2 * p * t + t) / ((p + eps) ** 2 * (1 - p + eps) ** 2) * (gg * g)  # (PyTorch's order)
        q = (1 - p) * p  # (p itself under create_graph, not its array: d³ℓ/dp²dt goes through it)
        if isinstance(q, Tensor):
            with grad_mode.no_grad():  # (as PyTorch's: the clamp is not differentiated, d³ℓ/dp²dt passes it by)
                q.clamp_min_(eps)
        else:
            q = backend.get_array_module(q).maximum(q, q.dtype.type(eps))
        return d_g, d_p, -gg * g / q
