"""Normal(loc, scale): the Gaussian N(μ, σ²), and the reparameterization trick.

    density     p(x) = exp(−(x − μ)² / 2σ²) / (σ √(2π))
    rsample     x = μ + σ·ε,  ε ~ N(0, 1)
    entropy     ½ + ½ log(2π) + log σ
    cdf         ½ (1 + erf((x − μ) / (σ√2))),   icdf(u) = μ + σ √2 erfinv(2u − 1)
"""

from __future__ import annotations

import math

from minigan import toplevel as T
from minigan.distributions import constraints, location_scale
from minigan.distributions.exp_family import ExponentialFamily
from minigan.distributions.utils import at_loc, standard_normal
from minigan.engine.grad_mode import no_grad

__all__ = ["Normal"]


class Normal(ExponentialFamily):
    """Normal(loc, scale, validate_args=None): mean ``loc`` (μ), standard deviation ``scale`` (σ > 0)."""

    arg_constraints = location_scale.ARG_CONSTRAINTS
    support = constraints.real
    has_rsample = True
    mean = mode = at_loc

    __init__ = location_scale.init  # Normal(loc, scale, validate_args=None)

    def expand(self, batch_shape, _instance=None):
        return location_scale.expand(self, Normal, batch_shape, _instance)

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)

    def rsample(self, sample_shape=()):
        """A draw through the reparameterization trick: the randomness is all in a standard normal ε, drawn apart
        from the parameters, so the sample is a plain differentiable function of μ and σ.  (``sample`` draws the
        same numbers under no_grad, so no gradient reaches μ or σ through it.)"""
        eps = standard_normal(self._extended_shape(sample_shape), self.loc)  # the randomness, with no parameter in it
        # x = μ + σ·ε, a differentiable function of μ and σ (∂x/∂μ = 1, ∂x/∂σ = ε): the reparameterization trick
        return self.loc + eps * self.scale

    def sample(self, sample_shape=()):
        """As ``rsample``, cut from the graph, by ``normal(μ, σ)``: PyTorch's sample, which refuses a σ that is
        negative or NaN (rsample does not look)."""
        shape = tuple(self._extended_shape(sample_shape))
        with no_grad():
            return T.normal(self.loc.expand(shape), self.scale.expand(shape))

    def log_prob(self, value):
        """The log density at ``value``, differentiable in it, μ and σ."""
        # the usual value, a tensor of the batch shape, is valid where it is a number (x = x: not NaN)
        if self._validate_args and not (self._of_batch_shape(value) and (value.array == value.array).all()):
            self._validate_sample(value)  # PyTorch's checks in full: broadcasting, the support, its errors
        var = self.scale ** 2
        # log p(x) = −(x − μ)² / 2σ² − log σ − log √(2π)
        return -((value - self.loc) ** 2) / (2 * var) - self.scale.log() - math.log(math.sqrt(2 * math.pi))

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 * (1 + T.erf((value - self.loc) * self.scale.reciprocal() / math.sqrt(2)))

    def icdf(self, value):
        return self.loc + self.scale * T.erfinv(2 * value - 1) * math.sqrt(2)

    def entropy(self):
        return 0.5 + 0.5 * math.log(2 * math.pi) + T.log(self.scale)
