"""cross_entropy against class probabilities (a floating target of the scores' own shape), as PyTorch's
cross_entropy_loss_prob_target computes it, term for term:

    log_p = log_softmax(input, class dim)            (dim 0 for one sample's scores (C,), else dim 1)
    terms = log_p * target [* weight]                 (target smoothed first: target·(1 − ε) + ε / C)
    'none': −terms.sum(class dim)     'sum': −terms.sum()     'mean': −terms.sum() / (numel / C), NaN for none

So one class gives −0 (log_p = 0, negated), no classes or no samples give PyTorch's empty sums (−0) and NaN means,
and the gradient is that of these very terms.
"""

from __future__ import annotations

import math

from minigan.functional import loss_doors


def cross_entropy_probabilities(op, input, target, weight, reduction, label_smoothing):
    """The loss of ``input`` (floating, 1 or more dims) against ``target`` (floating, the same shape): arguments
    checked by the door (``weight``: None or C entries; ``label_smoothing`` in [0, 1])."""
    loss_doors.check_same_shape(op, input, target)
    dim = 0 if input.ndim == 1 else 1
    classes = input.shape[dim]
    if label_smoothing > 0:  # (ε / C is ∞ for no classes, as PyTorch's double division: no entry reads it)
        target = target * (1 - label_smoothing) + (label_smoothing / classes if classes else math.inf)
    terms = input.log_softmax(dim) * target
    if weight is not None:  # (one entry per class, along the class dim)
        terms = terms * weight.reshape((classes,) + (1,) * (input.ndim - dim - 1))
    if reduction == "none":
        return -terms.sum(dim)
    if reduction == "sum":
        return -terms.sum()
    if input.numel() == 0:  # (PyTorch's: the empty sum filled with NaN)
        return -terms.sum() * math.nan
    return -terms.sum() / (input.numel() // classes)
