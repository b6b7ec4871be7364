"""Bernoulli(probs | logits): 1 with probability p, else 0.

    log p(x) = x log p + (1 − x) log(1 − p) = −BCE_with_logits(logit, x)
    entropy  = −p log p − (1 − p) log(1 − p)
Samples are discrete, so there is no rsample: no gradient reaches p through a 0 or a 1.
"""

from __future__ import annotations

import math

from minigan import functional as F
from minigan import toplevel as T
from minigan.distributions import constraints
from minigan.distributions.exp_family import ExponentialFamily
from minigan.distributions.utils import (
    broadcast_all,
    is_number,
    lazy_property,
    logits_to_probs,
    one_kind,
    probs_to_logits,
)
from minigan.engine.grad_mode import no_grad
from minigan.engine.ops import loss as LS
from minigan.surface.tensor import Tensor

__all__ = ["Bernoulli"]


class Bernoulli(ExponentialFamily):
    """Bernoulli(probs=None, logits=None, validate_args=None): give exactly one of probs (in [0, 1]) or logits."""

    arg_constraints = {"probs": constraints.unit_interval, "logits": constraints.real}
    support = constraints.boolean
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None):
        # the usual call, a tensor of logits: valid where not NaN
        if probs is None and isinstance(logits, Tensor) and self._usual_init(logits.shape, validate_args, lambda: (
                logits.array == logits.array).all()):
            self.logits = self._param = logits
        elif (probs is None) == (logits is None):
            raise ValueError("Either `probs` or `logits` must be specified, but not both.")
        else:  # PyTorch's rules: a number or a tensor broadcast, each constraint, its error
            given = probs if probs is not None else logits
            if probs is not None:
                (self.probs,) = broadcast_all(probs)
            else:
                (self.logits,) = broadcast_all(logits)
            self._param = self.probs if probs is not None else self.logits
            super().__init__(() if is_number(given) else self._param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        shape = tuple(batch_shape)
        kept = {k: self.__dict__[k].expand(shape) for k in ("probs", "logits") if k in self.__dict__}
        new = self._expanded(Bernoulli, shape, _instance, **kept)
        new._param = kept.get("logits", kept.get("probs"))
        return new

    @lazy_property
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @lazy_property
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        return self._param.size()

    @property
    def mean(self):
        return self.probs

    @property
    def mode(self):
        mode = (self.probs >= 0.5).to(dtype=self.probs.dtype)
        return T.where(self.probs == 0.5, math.nan, mode)  # (a tie has no mode)

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape=()):
        with no_grad():
            return T.bernoulli(self.probs.expand(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        # log p(x) = x log σ(ℓ) + (1 − x) log(1 − σ(ℓ)) = −BCE_with_logits(ℓ, x)
        # the usual call, x floats of the parameter's shape (the batch's) and dtype: valid where x is 0 or 1, and then
        # the loss's formula, with no door to pass (the parameter as given: logits made from probs only once x is
        # found valid, as PyTorch's)
        if one_kind(self._param, value) and value.array.dtype.kind == "f":
            if self._validate_args and not ((value.array == 0) | (value.array == 1)).all():
                self._validate_sample(value)  # (its error: PyTorch's)
            return -LS.BCEWithLogits.apply(self.logits, value, reduction="none")
        if self._validate_args:
            self._validate_sample(value)  # PyTorch's checks in full: broadcasting, the support, its errors
        logits, value = broadcast_all(self.logits, value)  # PyTorch's rules for a number or a broadcast, its errors
        return -F.binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self):
        return F.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")

    def enumerate_support(self, expand=True):
        values = T.arange(2, dtype=self._param.dtype, device=self._param.device)
        values = values.reshape((-1,) + (1,) * len(self._batch_shape))
        return values.expand((-1,) + tuple(self._batch_shape)) if expand else values
