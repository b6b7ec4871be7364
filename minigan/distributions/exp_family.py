"""ExponentialFamily: the distributions whose density is exp(θ·T(x) − A(θ)) h(x) (Normal, Bernoulli, Exponential
here).  minigan gives each its closed-form entropy and KL, so the class only marks the family, as PyTorch's
hierarchy has it."""

from __future__ import annotations

from minigan.distributions.distribution import Distribution

__all__ = ["ExponentialFamily"]


class ExponentialFamily(Distribution):
    """The base class of the exponential-family distributions."""
