"""The location-scale families, Normal and Laplace: each member is loc + scale·(a draw of one standard member).
Their parameters, one batch shape of a real ``loc`` and a positive ``scale``, are checked here once for both, and
what follows from the form alone (expand) is written here once.  Functions, not a base class: each family's class
hierarchy stays PyTorch's (Normal an ExponentialFamily, Laplace a Distribution)."""

from __future__ import annotations

from minigan.distributions import constraints
from minigan.distributions.distribution import Distribution
from minigan.distributions.utils import broadcast_all, is_number, one_kind

__all__ = ["ARG_CONSTRAINTS", "expand", "init"]

ARG_CONSTRAINTS = {"loc": constraints.real, "scale": constraints.positive}


def init(self, loc, scale, validate_args=None):
    """``Family(loc, scale, validate_args=None)``: each family's __init__ (Normal's, Laplace's), scale > 0."""
    self.loc, self.scale = loc, scale
    # the usual call, two tensors of one shape and dtype: valid where μ is a number (μ = μ: not NaN) and σ > 0
    if not (one_kind(loc, scale) and self._usual_init(loc.shape, validate_args, lambda: (
            (loc.array == loc.array).all() and (scale.array > 0).all()))):
        # PyTorch's rules: broadcast to one shape (two numbers make the batch shape ()), each constraint, its error
        self.loc, self.scale = broadcast_all(loc, scale)
        shape = () if is_number(loc) and is_number(scale) else self.loc.size()
        Distribution.__init__(self, shape, validate_args=validate_args)


def expand(d, cls, batch_shape, _instance):
    """``d.expand(batch_shape)`` of family ``cls``: its loc and scale expanded, not validated again."""
    shape = tuple(batch_shape)
    return d._expanded(cls, shape, _instance, loc=d.loc.expand(shape), scale=d.scale.expand(shape))
