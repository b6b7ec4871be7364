"""Probability distributions with torch.distributions' API, on the engine: every density, entropy and KL is
written with minigan's ops, so gradients reach the parameters (to any order), and every sample comes from
minigan's random streams as PyTorch's would (same seed, same numbers).

    q = Normal(mu, sigma)                 # an encoder's output
    z = q.rsample()                       # the reparameterization trick: z = mu + sigma * eps, differentiable
    kl = kl_divergence(q, Normal(0.0, 1.0)).sum()

``rsample`` keeps the graph, ``sample`` cuts it (the same numbers, no gradient).  PyTorch's distributions that
draw by rejection (Gamma, Beta, Dirichlet and those built on them) are not here: asking for one says so.
"""

import sys

from minigan.distributions import constraints, transforms
from minigan.distributions.bernoulli import Bernoulli
from minigan.distributions.categorical import Categorical
from minigan.distributions.distribution import Distribution
from minigan.distributions.exp_family import ExponentialFamily
from minigan.distributions.exponential import Exponential
from minigan.distributions.independent import Independent
from minigan.distributions.kl import kl_divergence, register_kl
from minigan.distributions.laplace import Laplace
from minigan.distributions.multivariate_normal import MultivariateNormal
from minigan.distributions.normal import Normal
from minigan.distributions.one_hot_categorical import OneHotCategorical
from minigan.distributions.transformed_distribution import TransformedDistribution
from minigan.distributions.transforms import (
    AffineTransform,
    ComposeTransform,
    ExpTransform,
    IndependentTransform,
    SigmoidTransform,
    SoftplusTransform,
    TanhTransform,
    Transform,
    identity_transform,
)
from minigan.distributions.uniform import Uniform
from minigan.surface.missing import NotInMinigan

__all__ = ["AffineTransform", "Bernoulli", "Categorical", "ComposeTransform", "Distribution", "ExpTransform",
           "Exponential", "ExponentialFamily", "Independent", "IndependentTransform", "Laplace", "MultivariateNormal",
           "Normal", "OneHotCategorical", "SigmoidTransform", "SoftplusTransform", "TanhTransform", "Transform",
           "TransformedDistribution", "Uniform", "constraints", "identity_transform", "kl_divergence",
           "register_kl", "transforms"]

# PyTorch's distributions minigan does not have, and why (one line each, the AttributeError's message)
REJECTION = ("samples by rejection (Marsaglia and Tsang's gamma sampler), which minigan's streams do not reproduce "
             "yet: not provided")
ABSENT = {
    **dict.fromkeys(["Gamma", "Beta", "Dirichlet", "Chi2", "InverseGamma", "StudentT", "FisherSnedecor",
                     "Kumaraswamy", "LKJCholesky", "Wishart"], REJECTION),
    **dict.fromkeys(["Binomial", "Poisson", "NegativeBinomial", "Multinomial", "Geometric", "Cauchy", "HalfCauchy",
                     "HalfNormal", "LogNormal", "Gumbel", "Pareto", "Weibull", "VonMises", "ContinuousBernoulli",
                     "RelaxedBernoulli", "RelaxedOneHotCategorical", "LogisticNormal", "LowRankMultivariateNormal",
                     "MixtureSameFamily", "GeneralizedPareto", "OneHotCategoricalStraightThrough"],
                    "not provided yet: build it from the distributions here (LogNormal(μ, σ) is "
                    "TransformedDistribution(Normal(μ, σ), ExpTransform()))"),
}


def __getattr__(name):
    """A torch.distributions name minigan lacks: one line saying so."""
    if name in ABSENT:
        raise NotInMinigan(f"minigan.distributions.{name}: {ABSENT[name]}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}", name=name, obj=sys.modules[__name__])
