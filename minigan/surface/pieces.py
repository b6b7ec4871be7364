"""The piecewise ops only the surface's doors call: hardtanh (and relu6), threshold and hardswish (``F.*``, ``nn``), and
clamp with tensor bounds (``x.clamp(lo, hi)``, minigan/surface/forms.py).

Ops built as the engine builds its own (minigan/engine/ops/activation.py): a ``Node`` each, forward and backward side
by side, the derivative in a one-line comment.  Their backwards select the gradient with the engine's ``Select``, so
an infinite gradient where the derivative is 0 gives 0, and a second order goes through the same select.
"""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace, select, unbroadcast, value
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


class ClampBy(Node):
    """a clipped by tensor bounds (broadcast): min(max(a, lo), hi), NaN where any of them is NaN, as PyTorch's clamp
    with tensor bounds.  ``bounds`` names the ones given ("min", "max" or "both": then b is lo and c is hi)."""

    def forward(self, a, b, c=None, bounds="both"):
        xp = backend.get_array_module(a, b)
        (lo, hi), self.bounds = ((None, b) if bounds == "max" else (b, c)), bounds
        self.save_for_backward(a, b, c)  # (all of them, as PyTorch's: the masks are made from them in backward)
        out = a if lo is None else xp.maximum(a, lo)
        return out if hi is None else xp.minimum(out, hi)

    def backward(self, grad):  # d/da = 1 where lo ≤ a ≤ hi, d/dlo = 1 where a < lo < hi, d/dhi = 1 where hi < a or lo
        a, b, c = [t if t is None else value(t) for t in self.saved_tensors]
        lo, hi = (None, b) if self.bounds == "max" else (b, c)  # where each input is the result: PyTorch's masks (all
        masks = ((a >= lo, a < lo) if hi is None else (a <= hi, a > hi) if lo is None else  # False where a is NaN)
                 ((a >= lo) & (a <= hi), (a < lo) & (lo < hi), (a > hi) | (hi < lo)))
        return tuple([unbroadcast(select(m, grad), t.shape) if need else None
                      for m, t, need in zip(masks, (a, b, c), self.needs_input_grad)])
