"""The piecewise activations only ``F.*`` and ``nn`` call: hardtanh (and relu6), threshold, hardswish.

Ops built as the engine builds its own (minigan/engine/ops/activation.py): a ``Node`` each, forward and backward side
by side, the derivative in a one-line comment.  Their backwards select the gradient with the engine's ``Select``, so
an infinite gradient where the derivative is 0 gives 0, and a second order goes through the same select.
"""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace, value
from minigan.engine.ops.activation import Select
from minigan.engine.ops.elementwise import clip


class Hardtanh(Node):
    """x clipped to [lo, hi], as PyTorch's hardtanh (relu6 is lo = 0, hi = 6): its derivative is 1 strictly
    inside (lo, hi) and 0 at lo and hi themselves, where clamp's is 1."""

    def forward(self, x, lo=-1.0, hi=1.0):
        self.save_for_backward(x)
        self.lo, self.hi = x.dtype.type(lo), x.dtype.type(hi)
        return clip(x, self.lo, self.hi)  # (clamp's: a NaN bound gives NaN, as PyTorch's, on NumPy 1.x too)

    def backward(self, grad):  # d/dx = 1 if lo < x < hi else 0: grad there (and at NaN, as PyTorch), else 0
        (x,) = self.saved_tensors
        return (Select.apply(grad, x, keep=~((value(x) <= self.lo) | (value(x) >= self.hi))),)


class Threshold(Node):
    """x where x > threshold, else ``value`` (NaN stays NaN), as PyTorch's threshold.  Its backward reads x when it
    runs, as PyTorch's threshold_backward(grad, self, threshold) does (a write through .data is seen)."""

    def forward(self, x, threshold, value):
        self.threshold = threshold
        self.save_for_backward(x)
        return backend.get_array_module(x).where(~(x <= threshold), x, x.dtype.type(value))

    def backward(self, grad):  # d/dx = 1 where x > threshold, else 0 (a select)
        (x,) = self.saved_tensors
        return (Select.apply(grad, x, keep=~(value(x) <= self.threshold)),)


class Hardswish(Node):
    """x·relu6(x + 3)/6 (Howard et al. 2019, MobileNetV3): 0 up to −3, x from 3, a parabola between. The
    derivative is written by pieces, as PyTorch's, so that at ±∞ it is 1 and 0, not ∞·0 = NaN."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * backend.get_array_module(x).clip(x + 3, 0, 6) / 6

    def backward(self, grad):  # d/dx = 0 for x ≤ −3, x/3 + ½ for −3 < x < 3, 1 from 3 on (PyTorch's pieces)
        (x,) = self.saved_tensors
        xp, v = namespace(grad), value(x)  # (grad is made 0 outside (−3, 3) before the product too: a second order
        # there multiplies the selected 0 by grad, and an infinite grad would give 0·∞ = NaN where PyTorch's gives 0)
        return (xp.where(v <= -3, 0, xp.where(v < 3, xp.where((-3 < v) & (v < 3), grad, 0) * (x / 3 + 0.5), grad)),)
