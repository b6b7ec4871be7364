"""What a gradient is read from: PyTorch's backward formulas read their inputs (softshrink_backward(grad, x), a pool's
backward reads x, convolution_backward reads the input and the weight for each of its gradients), so that under
create_graph a gradient requires grad when a tensor its formula reads does, even where its value is constant in that
tensor (its derivative there is then 0, or none at all).  Where minigan computes such an op as a composite, or as a
node whose backward is not PyTorch's one formula, these helpers add that reading: ``read_by_backward(x)`` before the
composite, ``read_from(g, reads)`` in a node's own backward, and ``read_from_saved(node, grads)`` on the gradients an
engine node's backward gave (the convolutions' and batch norm's rows of the engine's GRADIENT_ADJUSTMENTS, which the
walk asks under create_graph only).  First order (arrays) is untouched: a gradient is handed on as it is.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.graph import Node, zeros


def read_by_backward(x, reads=None, zero_derivative=True):
    """``x`` itself, for an op written here as a composite (gathers, a pool's windows, a norm's steps) whose backward
    PyTorch computes in one formula that reads its inputs (reflection_pad's and max_pool's read x; layer_norm's reads
    the input, the weight and the bias for each of the three gradients): the gradient reaching x through it is read
    from ``reads`` (x alone by default) too, so under create_graph it requires grad when one of them does where the
    composite's gradient would be a constant.  Its derivative in them is 0 (``zero_derivative``: PyTorch's
    zeros_like(self)), or none at all (PyTorch's fused double backward, which gives an undefined gradient there).
    First order: the gradient as it is."""
    return _ReadBy.apply(x, zero=zero_derivative, reads=None if reads is None else [t for t in reads if t is not None])


class _ReadBy(Node):
    is_view = True  # (the same values: a view of x)
    see_through = True  # (grad_fn.next_functions shows x's entry in its place, as PyTorch's graph has no such node)

    def forward(self, x, zero, reads):
        self.zero, self.reads = zero, reads  # (not operands: what they are is read, but no gradient goes to them)
        if reads is None:
            self.save_for_backward(x)  # (as PyTorch's formula saves it)
        return x.view()

    def backward(self, grad):
        if backend.is_array(grad):
            return (grad,)
        return (read_from(grad, self.saved_tensors if self.reads is None else self.reads, self.zero),)


def read_from(g, reads, zero_derivative=True):
    """The gradient ``g`` (None stays None) as read from ``reads`` too, for a node's own backward under create_graph
    (see read_by_backward): it requires grad when one of them does.  (One that requires grad already is left as it
    is where the derivative in ``reads`` is none: the node would change nothing.)"""
    if g is None or g.requires_grad and not zero_derivative:
        return g
    return _ReadFrom.apply(g, *reads, zero=zero_derivative)


class _ReadFrom(Node):
    """``g``, an input's gradient, as read from ``reads`` too (see read_by_backward)."""

    def forward(self, g, *reads, zero):
        self.zero = zero
        return g.copy()

    def backward(self, gg):  # d/dg = 1, d/dreads = 0 (or none)
        return (gg,) + tuple(zeros(gg) if self.zero else None for _ in self.needs_input_grad[1:])


def read_from_saved(node, grads) -> tuple:
    """``node``'s gradients under create_graph (``grads``, what its backward gave), each read from all the tensors it
    saved (no derivative there), as PyTorch's fused backward formulas read their saved inputs for each gradient they
    give (convolution's, batch norm's): one requires grad when a saved tensor does.  (Called under create_graph only,
    from a gradient adjustment: at first order the gradients are arrays, and stay as they are.)"""
    reads = node.saved_tensors
    return tuple(read_from(g, reads, zero_derivative=False) for g in grads)
