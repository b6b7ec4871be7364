"""Exponential(rate): waiting times, density λ e^(−λx) for x ≥ 0.

    rsample  x = e / λ,  e ~ Exp(1) (PyTorch's ``exponential_``: −log(1 − u))
    log p(x) = log λ − λx;  entropy = 1 − log λ;  cdf = 1 − e^(−λx)
"""

from __future__ import annotations

from minigan import toplevel as T
from minigan.distributions import constraints
from minigan.distributions.exp_family import ExponentialFamily
from minigan.distributions.utils import broadcast_all, is_number

__all__ = ["Exponential"]


class Exponential(ExponentialFamily):
    """Exponential(rate, validate_args=None), rate λ > 0."""

    arg_constraints = {"rate": constraints.positive}
    support = constraints.nonnegative
    has_rsample = True

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate)
        super().__init__(() if is_number(rate) else self.rate.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        shape = tuple(batch_shape)
        return self._expanded(Exponential, shape, _instance, rate=self.rate.expand(shape))

    @property
    def mean(self):
        return self.rate.reciprocal()

    @property
    def mode(self):
        return T.zeros_like(self.rate)

    @property
    def stddev(self):
        return self.rate.reciprocal()

    @property
    def variance(self):
        return self.rate.pow(-2)

    def rsample(self, sample_shape=()):
        """e / λ for e ~ Exp(1): the scale is a differentiable division, ∂x/∂λ = −x/λ."""
        shape = tuple(self._extended_shape(sample_shape))
        return T.empty(shape, dtype=self.rate.dtype, device=self.rate.device).exponential_() / self.rate

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 1 - T.exp(-self.rate * value)

    def icdf(self, value):
        return -T.log1p(-value) / self.rate

    def entropy(self):
        return 1.0 - T.log(self.rate)
