"""Laplace(loc, scale): the double exponential, density e^(−|x − μ|/b) / 2b.

    rsample  x = μ − b·sign(u)·log(1 − |u|),  u ~ U(eps − 1, 1) (the inverse cdf at (u + 1)/2; eps keeps |u| < 1)
    log p(x) = −log 2b − |x − μ|/b;  entropy = 1 + log 2b
"""

from __future__ import annotations

from minigan import toplevel as T
from minigan.distributions import constraints, location_scale
from minigan.distributions.distribution import Distribution
from minigan.distributions.utils import at_loc, finfo

__all__ = ["Laplace"]


class Laplace(Distribution):
    """Laplace(loc, scale, validate_args=None), scale b > 0."""

    arg_constraints = location_scale.ARG_CONSTRAINTS
    support = constraints.real
    has_rsample = True
    mean = mode = at_loc

    __init__ = location_scale.init  # Laplace(loc, scale, validate_args=None)

    def expand(self, batch_shape, _instance=None):
        return location_scale.expand(self, Laplace, batch_shape, _instance)

    @property
    def variance(self):
        return 2 * self.scale.pow(2)

    @property
    def stddev(self):
        return 2 ** 0.5 * self.scale

    def rsample(self, sample_shape=()):
        """The inverse cdf at a uniform drawn apart from the parameters: differentiable in μ and b."""
        shape = tuple(self._extended_shape(sample_shape))
        eps = float(finfo(self.loc.dtype).eps)
        u = T.empty(shape, dtype=self.loc.dtype, device=self.loc.device).uniform_(eps - 1, 1)
        return self.loc - self.scale * u.sign() * T.log1p(-u.abs())

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return -T.log(2 * self.scale) - T.abs(value - self.loc) / self.scale

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 - 0.5 * (value - self.loc).sign() * T.expm1(-(value - self.loc).abs() / self.scale)

    def icdf(self, value):
        term = value - 0.5
        return self.loc - self.scale * term.sign() * T.log1p(-2 * term.abs())

    def entropy(self):
        return 1 + T.log(2 * self.scale)
