"""Categorical(probs | logits): one of K categories, k with probability p_k (the last dimension of the parameter
holds the K probabilities, or unnormalised log-probabilities).

    log p(k) = log p_k,   entropy = −Σ_k p_k log p_k
Samples are integer indices drawn by ``multinomial`` with replacement, as PyTorch draws them; no rsample.
"""

from __future__ import annotations

import math

from minigan import toplevel as T
from minigan.distributions import constraints
from minigan.distributions.distribution import Distribution
from minigan.distributions.utils import finfo, lazy_property, logits_to_probs, probs_to_logits

__all__ = ["Categorical"]


class Categorical(Distribution):
    """Categorical(probs=None, logits=None, validate_args=None): probabilities (normalised here) or logits over the
    last dimension; exactly one of the two."""

    arg_constraints = {"probs": constraints.simplex, "logits": constraints.real_vector}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        if (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        if probs is not None:
            if probs.dim() < 1:
                raise ValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
        else:
            if logits.dim() < 1:
                raise ValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)  # normalised: log Σ p = 0
        self._param = self.probs if probs is not None else self.logits
        self._num_events = self._param.size()[-1]
        batch_shape = self._param.size()[:-1] if self._param.dim() > 1 else ()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        shape = tuple(batch_shape) + (self._num_events,)
        kept = {k: self.__dict__[k].expand(shape) for k in ("probs", "logits") if k in self.__dict__}
        new = self._expanded(Categorical, tuple(batch_shape), _instance, **kept)
        new._param, new._num_events = kept.get("logits", kept.get("probs")), self._num_events
        return new

    @constraints.dependent_property(is_discrete=True, event_dim=0)
    def support(self):
        return constraints.integer_interval(0, self._num_events - 1)

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits)

    @property
    def param_shape(self):
        return self._param.size()

    @property
    def mean(self):  # (categories are labels: no mean)
        return T.full(tuple(self._extended_shape()), math.nan, dtype=self.probs.dtype, device=self.probs.device)

    @property
    def mode(self):
        return self.probs.argmax(dim=-1)

    @property
    def variance(self):
        return T.full(tuple(self._extended_shape()), math.nan, dtype=self.probs.dtype, device=self.probs.device)

    def sample(self, sample_shape=()):
        """One multinomial draw (with replacement) per sample, for each distribution of the batch."""
        sample_shape = T.Size(tuple(sample_shape))
        rows = self.probs.detach().reshape(-1, self._num_events)
        drawn = T.multinomial(rows, sample_shape.numel(), True).t()  # (samples, distributions)
        return drawn.reshape(tuple(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value = value.long().unsqueeze(-1)
        value, log_pmf = T.broadcast_tensors(value, self.logits)
        return log_pmf.gather(-1, value[..., :1]).squeeze(-1)

    def entropy(self):
        logits = T.clamp(self.logits, min=float(finfo(self.logits.dtype).min))  # (−inf · 0 would be NaN)
        return -(logits * self.probs).sum(-1)

    def enumerate_support(self, expand=True):
        values = T.arange(self._num_events, device=self._param.device)  # (int64, as an arange of integers)
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values
