"""MultivariateNormal(loc, covariance_matrix | precision_matrix | scale_tril): the Gaussian N(μ, Σ) over vectors.

Everything goes through the lower Cholesky factor L of Σ = L Lᵀ (``scale_tril``):
    rsample   x = μ + L ε,  ε ~ N(0, I)
    log p(x)  = −½ (n log 2π + ‖L⁻¹(x − μ)‖²) − Σ_i log L_ii       (½ log det Σ = Σ_i log L_ii)
    entropy   = ½ n (1 + log 2π) + Σ_i log L_ii
"""

from __future__ import annotations

import math

from minigan import linalg
from minigan.distributions import constraints
from minigan.distributions.distribution import Distribution
from minigan.distributions.triangular import cholesky, inverse_lower, solve_lower
from minigan.distributions.utils import at_loc, broadcast_shapes, lazy_property, standard_normal

__all__ = ["MultivariateNormal"]


def mahalanobis(lower, x):
    """‖L⁻¹ x‖² over the last dimension (batch dimensions broadcast)."""
    return solve_lower(lower, x.unsqueeze(-1)).squeeze(-1).pow(2).sum(-1)


def precision_to_scale_tril(precision):
    """L with L Lᵀ = P⁻¹, without inverting P: flipping rows and columns turns P's Cholesky factor upside down,
    so P = U Uᵀ with U upper triangular, and then L = U⁻ᵀ is lower triangular with L Lᵀ = (U Uᵀ)⁻¹."""
    flipped = cholesky(precision.flip((-2, -1)))
    upper_transposed = flipped.flip((-2, -1)).mT  # Uᵀ, lower triangular
    return inverse_lower(upper_transposed)


class MultivariateNormal(Distribution):
    """MultivariateNormal(loc, covariance_matrix=None, precision_matrix=None, scale_tril=None, validate_args=None):
    exactly one of the three matrices (positive definite; or lower triangular with a positive diagonal)."""

    arg_constraints = {"loc": constraints.real_vector, "covariance_matrix": constraints.positive_definite,
                       "precision_matrix": constraints.positive_definite, "scale_tril": constraints.lower_cholesky}
    support = constraints.real_vector
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None, validate_args=None):
        if loc.dim() < 1:
            raise ValueError("loc must be at least one-dimensional.")
        given = {k: v for k, v in (("covariance_matrix", covariance_matrix), ("precision_matrix", precision_matrix),
                                   ("scale_tril", scale_tril)) if v is not None}
        if len(given) != 1:
            raise ValueError("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.")
        (name, matrix), = given.items()
        if matrix.dim() < 2:
            what = "scale_tril matrix" if name == "scale_tril" else name
            raise ValueError(f"{what} must be at least two-dimensional, with optional leading batch dimensions")
        batch_shape = broadcast_shapes(matrix.shape[:-2], loc.shape[:-1])
        setattr(self, name, matrix.expand(tuple(batch_shape) + (-1, -1)))
        self.loc = loc.expand(tuple(batch_shape) + (-1,))
        super().__init__(batch_shape, self.loc.shape[-1:], validate_args=validate_args)
        if name == "scale_tril":
            self._unbroadcasted_scale_tril = matrix
        elif name == "covariance_matrix":
            self._unbroadcasted_scale_tril = cholesky(matrix)
        else:
            self._unbroadcasted_scale_tril = precision_to_scale_tril(matrix)

    def expand(self, batch_shape, _instance=None):
        batch = tuple(batch_shape)
        square = batch + tuple(self.event_shape) * 2
        kept = {k: self.__dict__[k].expand(square) for k in ("covariance_matrix", "scale_tril", "precision_matrix")
                if k in self.__dict__}
        loc = self.loc.expand(batch + tuple(self.event_shape))
        return self._expanded(MultivariateNormal, batch, _instance, loc=loc,
                              _unbroadcasted_scale_tril=self._unbroadcasted_scale_tril, **kept)

    def _square(self):
        return tuple(self._batch_shape + self._event_shape + self._event_shape)

    @lazy_property
    def scale_tril(self):
        return self._unbroadcasted_scale_tril.expand(self._square())

    @lazy_property
    def covariance_matrix(self):
        lower = self._unbroadcasted_scale_tril
        return (lower @ lower.mT).expand(self._square())

    @lazy_property
    def precision_matrix(self):
        inverse = inverse_lower(self._unbroadcasted_scale_tril)  # Σ⁻¹ = L⁻ᵀ L⁻¹
        return (inverse.mT @ inverse).expand(self._square())

    mean = mode = at_loc

    @property
    def variance(self):
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(tuple(self._batch_shape + self._event_shape))

    def rsample(self, sample_shape=()):
        """μ + L ε: the noise ε is drawn apart from μ and L, so the sample is differentiable in both."""
        eps = standard_normal(self._extended_shape(sample_shape), self.loc)
        lower = self._unbroadcasted_scale_tril
        if eps.shape[-1] == 0:  # (an empty event: nothing to sum)
            return self.loc + eps
        product = lower[..., :, 0] * eps[..., :1]
        for k in range(1, eps.shape[-1]):  # L ε column by column, in the order PyTorch's kernel adds them (the
            product = product + lower[..., :, k] * eps[..., k:k + 1]  # order decides the float32 sample's last bits)
        return self.loc + product

    def _half_log_det(self):
        return linalg.diagonal(self._unbroadcasted_scale_tril).log().sum(-1)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        m = mahalanobis(self._unbroadcasted_scale_tril, value - self.loc)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + m) - self._half_log_det()

    def entropy(self):
        h = 0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + self._half_log_det()
        return h if len(self._batch_shape) == 0 else h.expand(tuple(self._batch_shape))
