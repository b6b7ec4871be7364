"""Distances: ``cosine_similarity`` and ``pairwise_distance``.
"""

from __future__ import annotations

from minigan.engine import backend, checks, grad_mode
from minigan.functional._common import _floats, _tensor
from minigan.functional.loss_doors import check


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """x1·x2 / (max(‖x1‖, eps) · max(‖x2‖, eps)) along ``dim``.  As in PyTorch, the norms are clamped at eps in place
    under no_grad: the clamp changes their values only, and the gradient flows through each norm as if unclamped
    (a norm below eps still passes its own derivative x/‖x‖ on)."""
    x1, x2 = _floats("cosine_similarity", (x1, "x1"), (x2, "x2"))
    shape = backend.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))  # (first: a size-1 dim along ``dim`` counts
    x1, x2 = x1.expand(*shape), x2.expand(*shape)  # once per copy in the norm, as PyTorch's)
    n1, n2 = x1.norm(dim=dim, keepdim=True).clone(), x2.norm(dim=dim, keepdim=True).clone()  # (the norm keeps its
    with grad_mode.no_grad():  # own output for its gradient: the clamp writes into a copy)
        n1.clamp_(min=eps)
        n2.clamp_(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """‖x1 − x2 + eps‖_p along the last dimension, as PyTorch composes it: the difference in the operands' promoted
    dtype (integers give float32, through eps), and any p its norm takes (0 counts the nonzero entries, −∞ takes the
    smallest |entry|, ∞ the largest)."""
    if isinstance(p, str) or not (checks.is_number(p) or isinstance(p, bool)):  # (PyTorch's p is a float: no "fro")
        raise TypeError(f"pairwise_distance: p must be a number, got {p!r}")
    check("pairwise_distance", x1=x1, x2=x2)
    x1, x2 = _tensor(x1, "pairwise_distance", "x1"), _tensor(x2, "pairwise_distance", "x2")
    return (x1 - x2 + eps).norm(p, dim=-1, keepdim=keepdim)  # (at::norm, as PyTorch's)
