"""sigmoid with PyTorch's higher orders: its backward is one node, as PyTorch's sigmoid_backward.

The engine's sigmoid computes grad·σ(1 − σ) from the saved σ.  Under create_graph that product is a graph of three
factors, whose derivative in σ spreads the upstream over σ and 1 − σ: with an infinite upstream, ∞·(1 − σ) − ∞·σ
= ∞ − ∞ = NaN.  PyTorch's backward is one function, sigmoid_backward(grad, σ), whose derivatives are one product
each, so the same upstream gives ±∞ (0 where the factor is 0):

    in grad:  sigmoid_backward(gg, σ) = gg·σ(1 − σ)          in σ:  gg·grad·(1 − 2σ)

``Sigmoid`` here is the engine's forward, with its first-order backward on arrays unchanged, and ``SigmoidBackward``
that node.  glu, binary_cross_entropy of a sigmoid and every door (torch.sigmoid, F.sigmoid, nn.Sigmoid) go
through Tensor.sigmoid, which records it.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.graph import Node
from minigan.engine.ops import activation


class Sigmoid(activation.Sigmoid):
    """σ(x) = 1 / (1 + e⁻ˣ), the engine's; under create_graph its backward is the node ``SigmoidBackward``."""

    def backward(self, grad):  # dσ/dx = σ(1 − σ)
        if isinstance(grad, backend.PLAIN_TYPES):  # (first order: the engine's, on arrays)
            return super().backward(grad)
        (s,) = self.saved_tensors
        return (SigmoidBackward.apply(grad, s),)


class SigmoidBackward(Node):
    """grad·σ(1 − σ) given σ, PyTorch's sigmoid_backward, with its derivatives as single products."""

    def forward(self, grad, s):
        self.save_for_backward(grad, s)
        return activation._sigmoid_grad(backend.get_array_module(grad), grad, s)

    def backward(self, gg):  # d/dgrad = σ(1 − σ), d/dσ = grad·(1 − 2σ)
        grad, s = self.saved_tensors
        need_grad, need_s = self.needs_input_grad
        return (SigmoidBackward.apply(gg, s) if need_grad else None, gg * grad * (1 - 2 * s) if need_s else None)
