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
from minigan.distributions.relaxed_categorical import RelaxedOneHotCategorical
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
           "Normal", "OneHotCategorical", "RelaxedOneHotCategorical", "SigmoidTransform", "SoftplusTransform",
           "TanhTransform", "Transform", "TransformedDistribution", "Uniform", "constraints", "identity_transform",
           "kl_divergence", "register_kl", "transforms"]

# PyTorch's distributions minigan does not have, and why (one line each, the AttributeError's message)
REJECTION = ("samples by rejection (Marsaglia and Tsang's gamma sampler), which minigan's streams do not reproduce "
             "yet: not provided")
ABSENT = {
    **dict.fromkeys(["Gamma", "Beta", "Dirichlet", "Chi2", "InverseGamma", "StudentT", "FisherSnedecor",
                     "Kumaraswamy", "LKJCholesky", "Wishart"], REJECTION),
    **dict.fromkeys(["Binomial", "Poisson", "NegativeBinomial", "Multinomial", "Geometric", "Cauchy", "HalfCauchy",
                     "HalfNormal", "LogNormal", "Gumbel", "Pareto", "Weibull", "VonMises", "ContinuousBernoulli",
                     "RelaxedBernoulli", "LogisticNormal", "LowRankMultivariateNormal",
                     "MixtureSameFamily", "GeneralizedPareto", "OneHotCategoricalStraightThrough"],
                    "not provided yet: build it from the distributions here (LogNormal(μ, σ) is "
                    "TransformedDistribution(Normal(μ, σ), ExpTransform()))"),
}


# torch.distributions' modules that hold those distributions (``from torch.distributions.gamma import Gamma``)
ABSENT_MODULES = {
    "gamma": "Gamma", "beta": "Beta", "dirichlet": "Dirichlet", "chi2": "Chi2", "inverse_gamma": "InverseGamma",
    "studentT": "StudentT", "fishersnedecor": "FisherSnedecor", "kumaraswamy": "Kumaraswamy",
    "lkj_cholesky": "LKJCholesky", "wishart": "Wishart", "binomial": "Binomial", "poisson": "Poisson",
    "negative_binomial": "NegativeBinomial", "multinomial": "Multinomial", "geometric": "Geometric",
    "cauchy": "Cauchy", "half_cauchy": "HalfCauchy", "half_normal": "HalfNormal", "log_normal": "LogNormal",
    "gumbel": "Gumbel", "pareto": "Pareto", "weibull": "Weibull", "von_mises": "VonMises",
    "continuous_bernoulli": "ContinuousBernoulli", "relaxed_bernoulli": "RelaxedBernoulli",
    "logistic_normal": "LogisticNormal", "lowrank_multivariate_normal": "LowRankMultivariateNormal",
    "mixture_same_family": "MixtureSameFamily", "generalized_pareto": "GeneralizedPareto",
}


def _refusal(name):
    return NotInMinigan(f"minigan.distributions.{name}: {ABSENT[name]}")


def __getattr__(name):
    """A torch.distributions name minigan lacks, or the module of torch.distributions that holds one: one line
    saying so (``from minigan.distributions import Gamma`` too: surface/missing.py's AbsentNames)."""
    name = ABSENT_MODULES.get(name, name)
    if name in ABSENT:
        raise _refusal(name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}", name=name, obj=sys.modules[__name__])


