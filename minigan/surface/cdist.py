"""``cdist``: the p-norm distance between every row of x1 (…, P, M) and every row of x2 (…, R, M), shape (…, P, R).

PyTorch computes it with one of two ops, and minigan with one node for each, saving what PyTorch's saves:

* ``_cdist_forward`` (the direct algorithm, every p): its node saves x1, x2 and the result; its backward,
  ``_cdist_backward``, is a kernel with a formula per p for each pair of rows (d = x1_i − x2_j, δ their distance):

      p = 1:      g·sgn(d)                         p = 2:  g·d/δ                      (0 where δ = 0)
      p < 2:      g·sgn(d)·|d|^(p−1)/δ^(p−1)       other:  g·d·|d|^(p−2)/δ^(p−1)      (0 where δ = 0; for
      p = ∞:      g·sgn(d)·[|d| = δ]                                                   p < 1 also where d = 0)
      p = 0:      0 (a count)

  It reads x1 and x2 when it runs (a write through ``.data`` after the forward is seen) and the distances forward
  found; PyTorch does not differentiate that kernel, so a second order through it refuses (NotImplementedError).
* ``_euclidean_dist`` (p = 2 by a matrix product, for many rows or when ``compute_mode`` asks):
  δ = √max(|a|² + |b|² − 2a·b, 0); its backward, written in ops, differentiates again, as PyTorch's
  ``_euclidean_dist_backward``: with r = g/δ, ∂/∂x1 = x1·Σ_j r − r @ x2 and ∂/∂x2 = x2·Σ_i r − rᵀ @ x1.
"""

from __future__ import annotations

import math

from minigan.engine import backend, checks
from minigan.engine.errors import DomainError, DtypeError, ShapeError
from minigan.engine.grad_mode import no_grad
from minigan.engine.graph import Node, namespace, unbroadcast, value
from minigan.surface.no_derivative import no_derivative
from minigan.surface.norms import InfNorm
from minigan.surface.operands import _t

COMPUTE_MODES = ("use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist")


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """The p-norm distance between every row of x1 (…, P, M) and every row of x2 (…, R, M): shape (…, P, R); the
    gradient at a zero distance is 0, as PyTorch's.  (``compute_mode``, PyTorch's choice of algorithm, changes only
    this: PyTorch's direct algorithm has no second derivative, so a second order refuses where PyTorch uses it.)"""
    if isinstance(p, str) or not (checks.is_number(p) or isinstance(p, bool)):  # (PyTorch's p is a float)
        raise TypeError(f"cdist: p must be a number, got {p!r}")
    if compute_mode not in COMPUTE_MODES:
        raise ValueError(f"cdist: compute_mode must be one of {COMPUTE_MODES}, got {compute_mode!r}")
    a, b = _t(x1, "cdist"), _t(x2, "cdist")
    if a.ndim < 2 or b.ndim < 2 or a.shape[-1] != b.shape[-1]:
        raise ShapeError(f"cdist: expected (…, P, M) and (…, R, M) with the same M, got {tuple(a.shape)} and "
                         f"{tuple(b.shape)}")
    if a.dtype.kind != "f" or b.dtype.kind != "f":  # (PyTorch's checks in its order: shapes, dtypes, p, one dtype)
        raise DtypeError(f"cdist: expected floating point inputs, got {a.dtype} and {b.dtype}; convert them with "
                         ".double() or .float()")
    if not p >= 0:  # (NaN too)
        raise DomainError(f"cdist: p must be >= 0 (inf for the largest difference), got {p}")
    if a.dtype != b.dtype and a.numel() and b.numel():  # (an empty one is not computed: x1's dtype, as PyTorch's)
        raise DtypeError(f"cdist: expected x1 and x2 of one dtype, got {a.dtype} and {b.dtype}; convert one with "
                         ".to(other.dtype)")
    large = max(a.shape[-2], b.shape[-2]) > 25  # (PyTorch's choice of its two algorithms; empty inputs: the direct)
    by_product = compute_mode == "use_mm_for_euclid_dist" or large and compute_mode.endswith("if_necessary")
    if p == 2 and by_product and a.numel() and b.numel():
        out = EuclideanDist.apply(a, b)
        return out.view(out.shape)  # (PyTorch's result is a view of it)
    if a.dtype == backend.np.float16 and a.numel() and b.numel():  # (PyTorch's NotImplementedError)
        raise DtypeError("cdist: the direct algorithm is not implemented for float16 (PyTorch's neither); convert "
                         "x1 and x2 with .float(), or use compute_mode='use_mm_for_euclid_dist' for p = 2")
    with no_grad():  # the distances; the graph is the Cdist node's
        difference = a.unsqueeze(-2) - b.to(a.dtype).unsqueeze(-3)
        if p == math.inf and a.shape[-1]:
            out = InfNorm.apply(difference, largest=True, axes=(difference.ndim - 1,), keepdim=False)
        else:  # (vectors of no entries are 0 apart, ∞ too, as PyTorch's: the 1-norm's sum of nothing)
            out = difference.norm(p if a.shape[-1] else 1, dim=-1)
        if p == 0:  # (PyTorch's kernel counts min(⌈|d|⌉, 1), NaN for a NaN difference, where norm(0) counts it as 1)
            out = out.masked_fill((difference != difference).any(-1), math.nan)
    return Cdist.apply(a, b, p=float(p), out=out.array)


class Cdist(Node):
    """PyTorch's _cdist_forward: the distances ``out`` (computed by the door) as a node that saves x1, x2 and them;
    its backward is _cdist_backward's kernel (the module's docstring), from x1 and x2 as they are when it runs."""

    def forward(self, x1, x2, p, out):
        self.p = p
        self.save_for_backward(x1, x2, out)
        return out

    def backward(self, grad):  # per pair of rows, the kernel's formula for p; x1 takes Σ_j, x2 −Σ_i
        x1, x2, out = (value(s) for s in self.saved_tensors)
        xp, p = backend.get_array_module(x1), self.p
        d = x1[..., :, None, :] - x2[..., None, :, :]
        g, dist = value(grad)[..., None], out[..., None]
        with backend.np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if p == 0:  # (a count: no gradient, zeros as PyTorch's)
                each = xp.zeros_like(d)
            elif p == 1:
                each = g * xp.sign(d)
            elif p < 2:
                each = xp.where(dist == 0, 0, xp.sign(d) * xp.abs(d) ** (p - 1) * g / dist ** (p - 1))
                each = xp.where(d == 0, 0, each) if p < 1 else each  # (|d|^(p−1) = ∞ there)
            elif p == 2:
                each = xp.where(dist == 0, 0, g * d / dist)
            elif p == math.inf:  # each entry at the largest difference takes the whole gradient (NaN at ∞ − ∞)
                each = g * xp.sign(d) * (1 - xp.minimum(1, xp.ceil(xp.abs(xp.abs(d) - dist))))
            else:
                each = xp.where(dist == 0, 0, d * xp.abs(d) ** (p - 2) * g / dist ** (p - 1))
        grads = (unbroadcast(each.sum(-2), x1.shape), unbroadcast(-each.sum(-3), x2.shape))
        grads = [g if needed else None for g, needed in zip(grads, self.needs_input_grad)]
        if isinstance(grad, backend.PLAIN_TYPES):
            return tuple(grads)
        # under create_graph: PyTorch's _cdist_backward is not differentiated (not_implemented in its derivatives.yaml)
        return tuple(g if g is None else no_derivative(g, "_cdist_backward", grad, *self.saved_tensors, declared=True)
                     for g in grads)


class EuclideanDist(Node):
    """PyTorch's _euclidean_dist: δ = √max(|a|² + |b|² − 2a·b, 0) for every pair of rows (the clamp takes a rounding
    below 0 as 0, whose gradient is 0); its backward reads x1 and x2 when it runs and δ forward found."""

    def forward(self, x1, x2):
        xp = backend.get_array_module(x1)
        squared = (x1 * x1).sum(-1, keepdims=True) + (x2 * x2).sum(-1)[..., None, :] - 2 * x1 @ xp.swapaxes(x2, -1, -2)
        with backend.np.errstate(invalid="ignore"):
            out = xp.sqrt(xp.maximum(squared, 0))
        self.save_for_backward(x1, x2, out)
        return out

    def backward(self, grad):  # r = g/δ (0 where δ = 0): ∂/∂x1 = x1·Σ_j r − r @ x2, ∂/∂x2 = x2·Σ_i r − rᵀ @ x1
        x1, x2, out = self.saved_tensors
        with backend.np.errstate(divide="ignore", invalid="ignore"):
            ratio = namespace(grad).where(value(out) == 0, 0, grad / out)
        g1 = x1 * ratio.sum(-1, keepdims=True) - ratio @ x2 if self.needs_input_grad[0] else None
        g2 = x2 * ratio.sum(-2)[..., None] - ratio.swapaxes(-1, -2) @ x1 if self.needs_input_grad[1] else None
        return (g1 if g1 is None else unbroadcast(g1, x1.shape), g2 if g2 is None else unbroadcast(g2, x2.shape))
