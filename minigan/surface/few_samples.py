"""The variance of no more samples than its correction (n ≤ correction): PyTorch's value and PyTorch's gradient.

``x.var(correction=c)`` divides the squared deviations' sum by n − c.  Where n ≤ c PyTorch's forward divides by
max(0, n − c): ∞ (NaN where the sum is 0 too), and the engine's var gives the same value.  Its backward, though, is
not the derivative of that value but PyTorch's var_backward formula, which a learner meets as a finite gradient:

    over every entry (no dim, or a 0-d tensor):  grad · (NaN where x equals its mean, else ∞), a constant
    over given dims:                             (2 / (n − c)) · grad · (x − mean), n − c < 0 used as it is

std goes through var (its gradient there is grad / 2std = 0 times these).  Over given dims with n = c exactly, the
engine's derivative is left (NaN where PyTorch's formula gives ±∞).
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.graph import Node
from minigan.surface.node_view import shown_as


class ConstantVarGradient(Node):
    """var over every entry with n ≤ correction: the value computed by var; the gradient grad · ``scale`` (NaN where
    x equals its mean, ∞ elsewhere), a constant, as PyTorch's var_backward gives it."""

    def forward(self, x, value, scale):
        self.scale = scale
        return value

    def backward(self, grad):  # d var/dx: PyTorch's where(x == mean, NaN, ∞), not the derivative of ∞
        return (grad * self.scale,)


def var(x, out, dim, unbiased, correction, uncorrected):
    """``out`` (x's variance, from the engine) with PyTorch's gradient where n ≤ correction; ``uncorrected`` is
    x.var over the same dims with correction 0 (the squared deviations' mean, differentiable twice)."""
    n = x.numel() // max(out.numel(), 1)  # samples per variance
    dof = n - (int(bool(unbiased)) if correction is None else correction)
    if not dof <= 0 or not out.requires_grad or not x.numel():  # (a NaN correction too: the engine's NaN)
        return out
    if dim is None or x.ndim == 0:  # (a 0-d tensor over its one dim too, as PyTorch's)
        a = x.detach().array
        xp = backend.get_array_module(a)
        scale = xp.where(a == a.mean(), xp.nan, xp.inf).astype(a.dtype)
        return shown_as(ConstantVarGradient.apply(x, value=out.detach().array, scale=scale), "VarBackward0")
    if dof == 0:
        return out
    y = uncorrected() * (n / dof)  # the sum over n − c: the gradient (2 / (n − c))·(x − mean), and its own
    return y + (out - y).detach()  # the value var gave (∞ or NaN), the gradient y's
