"""RelaxedOneHotCategorical(temperature, probs | logits): the Gumbel-softmax (concrete) distribution, a continuous
stand-in for a one-hot Categorical whose samples are differentiable in the logits: with g_k = −log(−log u_k) for
uniforms u_k,

    y = softmax((logits + g) / τ)                         (a point of the simplex; one-hot as τ → 0)
    log p(log y) = log Γ(K) + (K−1) log τ + Σ_k (l_k − τ x_k) − K logsumexp_k(l_k − τ x_k),   x = log y
ExpRelaxedCategorical is the distribution of x = log y (drawn in log space, where it is stable); the relaxed
one-hot is it pushed through exp (TransformedDistribution: its log_prob subtracts Σ_k x_k, the log-Jacobian).
"""

from __future__ import annotations

import math

from minigan import toplevel as T
from minigan.distributions import constraints
from minigan.distributions.categorical import Categorical
from minigan.distributions.distribution import Distribution
from minigan.distributions.transformed_distribution import TransformedDistribution
from minigan.distributions.transforms import ExpTransform
from minigan.distributions.utils import broadcast_all, clamp_probs

__all__ = ["ExpRelaxedCategorical", "RelaxedOneHotCategorical"]


class ExpRelaxedCategorical(Distribution):
    """ExpRelaxedCategorical(temperature, probs=None, logits=None, validate_args=None): the log of a
    RelaxedOneHotCategorical sample (a vector of K log-probabilities)."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        self._categorical = Categorical(probs, logits)
        self.temperature = temperature
        super().__init__(self._categorical.batch_shape, self._categorical.param_shape[-1:],
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        return self._expanded(ExpRelaxedCategorical, tuple(batch_shape), _instance, temperature=self.temperature,
                              _categorical=self._categorical.expand(batch_shape))

    @property
    def param_shape(self):
        return self._categorical.param_shape

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def probs(self):
        return self._categorical.probs

    def rsample(self, sample_shape=()):
        """Gumbel noise added to the logits, over τ, normalised in log space: differentiable in logits and τ."""
        shape = self._extended_shape(sample_shape)
        uniforms = clamp_probs(T.rand(tuple(shape), dtype=self.logits.dtype, device=self.logits.device))
        gumbels = -((-(uniforms.log())).log())  # −log(−log u): standard Gumbel noise
        scores = (self.logits + gumbels) / self.temperature
        return scores - scores.logsumexp(dim=-1, keepdim=True)

    def log_prob(self, value):
        k = self._categorical._num_events
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        # log Γ(K) + (K−1) log τ: Γ at the integer K is (K−1)!, a constant (no lgamma op needed)
        log_scale = T.full_like(self.temperature, math.lgamma(k)) - self.temperature.log().mul(-(k - 1))
        score = logits - value.mul(self.temperature)
        score = (score - score.logsumexp(dim=-1, keepdim=True)).sum(-1)
        return score + log_scale


class RelaxedOneHotCategorical(TransformedDistribution):
    """RelaxedOneHotCategorical(temperature, probs=None, logits=None, validate_args=None): samples on the simplex,
    reparameterized (rsample), as PyTorch's: ExpRelaxedCategorical pushed through exp."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    support = constraints.simplex
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None):
        base_dist = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base_dist, ExpTransform(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(RelaxedOneHotCategorical, _instance)
        return super().expand(batch_shape, _instance=new)

    @property
    def temperature(self):
        return self.base_dist.temperature

    @property
    def logits(self):
        return self.base_dist.logits

    @property
    def probs(self):
        return self.base_dist.probs
