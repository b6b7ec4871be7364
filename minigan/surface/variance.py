"""var's gradient: PyTorch's var_backward formula, not the derivative of var's composition.

The engine computes ``x.var(dim, correction=c)`` as Σ(x − mean)² / (n − c).  Differentiated as composed, its
gradient has a term through the mean, which is 0 for finite samples (the deviations sum to 0) but not with an
infinite one: over [1.6, ∞] the mean is ∞, the deviations [−∞, NaN], and their NaN sum reaches every entry.
PyTorch's backward is one formula, and its second and third orders are that formula's own derivatives:

    (2 / (n − c)) · grad · (x − mean)          over [1.6, ∞]: [−∞, NaN] (the composition's: [NaN, NaN])

With no more samples than the correction (n ≤ c) over every entry (no dim, or a 0-d tensor) its formula is another:
grad · (NaN where x equals its mean, else ∞), a constant; over given dims, the formula above with n − c ≤ 0 as it
is (2 / 0 is ∞).  std is the square root of this var, and its gradient grad / 2std (0 where std is 0) times these.
"""

from __future__ import annotations

import math
import warnings

from minigan.engine import backend, checks
from minigan.engine.grad_mode import is_grad_enabled, no_grad
from minigan.engine.graph import Node, value


class Var(Node):
    """x's variance over ``dims`` (None: every entry), given as ``variance`` (the engine's, computed with no graph),
    with PyTorch's var_backward as its gradient; ``dof`` is n − correction."""

    def forward(self, x, variance, dims, keepdim, dof):
        self.save_for_backward(x)
        self.dims, self.keepdim, self.dof = dims, keepdim, dof
        return variance

    def backward(self, grad):  # d var/dx = (2 / (n − c)) · (x − mean)
        (x,) = self.saved_tensors
        if self.dims is None and self.dof <= 0:  # PyTorch's where(x == mean, NaN, ∞): a constant, as its formula
            a = value(x)
            xp = backend.get_array_module(a)
            return (grad * xp.where(a == a.mean(), xp.nan, xp.inf).astype(a.dtype),)
        if not self.keepdim and self.dims is not None and x.ndim > 1:  # grad over the kept dims, as PyTorch's
            grad = grad.reshape(tuple(1 if d in self.dims else n for d, n in enumerate(x.shape)))
        scale = 2.0 / self.dof if self.dof else math.inf
        return (scale * grad * (x - x.mean(axis=self.dims, keepdims=True)),)


def var(x, dim, keepdim, correction, engine_var):
    """x's variance over ``dim`` with ``correction`` (a number), recorded with PyTorch's gradient; ``engine_var()``
    computes the value (and is all there is where nothing is recorded)."""
    dims = checks.normalize_axis(dim, x.ndim, "var")
    dims = (dims,) if isinstance(dims, int) else dims
    kept = 1 if dims is None else math.prod(n for d, n in enumerate(x.shape) if d not in dims)
    samples = x.numel() // max(kept, 1)  # per variance, as PyTorch counts them (none where there are no entries)
    if samples - float(correction) <= 0:  # PyTorch's warning (the value is NaN or ∞ all the same)
        warnings.warn(f"var(): degrees of freedom is <= 0: {samples} samples per variance and correction "
                      f"{correction}; correction should be strictly less than the samples (give more samples, or "
                      "correction=0)", UserWarning, stacklevel=3)
    if not (x.requires_grad and is_grad_enabled() and x.numel()):
        return engine_var()
    with no_grad():
        out = engine_var()
    dof = x.numel() // max(out.numel(), 1) - float(correction)  # samples per variance less the correction (float():
    # a NumPy float16 correction is the number it holds, not a float16 that would round 2 / dof)
    return Var.apply(x, variance=out.array, dims=dims, keepdim=keepdim, dof=dof)
