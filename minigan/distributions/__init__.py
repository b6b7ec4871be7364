"""Probability distributions with torch.distributions' API, on the engine: every density, entropy and KL is
written with minigan's ops, so gradients reach the parameters (to any order), and every sample comes from
minigan's random streams as PyTorch's would (same seed, same numbers).

    q = Normal(mu, sigma)                 # an encoder's output
    z = q.rsample()                       # the reparameterization trick: z = mu + sigma * eps, differentiable
    kl = kl_divergence(q, Normal(0.0, 1.0)).sum()

``rsample`` keeps the graph, ``sample`` cuts it (the same numbers, no gradient).
"""

from minigan.distributions import constraints
from minigan.distributions.distribution import Distribution
from minigan.distributions.exp_family import ExponentialFamily
from minigan.distributions.kl import kl_divergence, register_kl
from minigan.distributions.normal import Normal

__all__ = ["Distribution", "ExponentialFamily", "Normal", "constraints", "kl_divergence", "register_kl"]
