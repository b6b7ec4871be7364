"""Uniform(low, high): every value of [low, high) equally likely.

    rsample  x = low + u·(high − low),  u ~ U[0, 1)
    log p(x) = −log(high − low) inside, −∞ outside;  entropy = log(high − low)
"""

from __future__ import annotations

import math

from minigan import toplevel as T
from minigan.distributions import constraints
from minigan.distributions.distribution import Distribution
from minigan.distributions.utils import broadcast_all, is_number

__all__ = ["Uniform"]


class Uniform(Distribution):
    """Uniform(low, high, validate_args=None), low < high."""

    has_rsample = True

    def __init__(self, low, high, validate_args=None):
        self.low, self.high = broadcast_all(low, high)
        batch_shape = () if is_number(low) and is_number(high) else self.low.size()
        super().__init__(batch_shape, validate_args=validate_args)

    @property
    def arg_constraints(self):
        return {"low": constraints.less_than(self.high), "high": constraints.greater_than(self.low)}

    def expand(self, batch_shape, _instance=None):
        shape = tuple(batch_shape)
        return self._expanded(Uniform, shape, _instance, low=self.low.expand(shape), high=self.high.expand(shape))

    @constraints.dependent_property(is_discrete=False, event_dim=0)
    def support(self):
        return constraints.interval(self.low, self.high)

    @property
    def mean(self):
        return (self.high + self.low) / 2

    @property
    def mode(self):  # (every point is one)
        return math.nan * self.high

    @property
    def stddev(self):
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self):
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape=()):
        """low + u·(high − low): u is drawn apart from the parameters, so the sample is differentiable in them."""
        u = T.rand(tuple(self._extended_shape(sample_shape)), dtype=self.low.dtype, device=self.low.device)
        return self.low + u * (self.high - self.low)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        inside = self.low.le(value) & self.high.gt(value)
        zero = T.zeros((), dtype=self.low.dtype, device=self.low.device)  # (where's two numbers would be the host's)
        return T.where(inside, zero, -math.inf) - T.log(self.high - self.low)  # (log 1 inside, log 0 outside)

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return ((value - self.low) / (self.high - self.low)).clamp(min=0, max=1)

    def icdf(self, value):
        return value * (self.high - self.low) + self.low

    def entropy(self):
        return T.log(self.high - self.low)
