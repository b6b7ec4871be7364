"""kl_divergence(p, q) = E_p[log p(x) − log q(x)], in closed form for the pairs registered here (PyTorch's pairs
among minigan's distributions), and ``register_kl`` to add a pair.

The function for a pair of types is the registered one whose types are the nearest ancestors of p's and q's (by
their method resolution order, p's first), so a pair registered for base classes serves their subclasses.
"""

from __future__ import annotations

import math
import warnings

from minigan import functional as F
from minigan import toplevel as T
from minigan.distributions.bernoulli import Bernoulli
from minigan.distributions.categorical import Categorical
from minigan.distributions.exponential import Exponential
from minigan.distributions.independent import Independent
from minigan.distributions.laplace import Laplace
from minigan.distributions.multivariate_normal import MultivariateNormal, mahalanobis
from minigan.distributions.normal import Normal
from minigan.distributions.one_hot_categorical import OneHotCategorical
from minigan.distributions.transformed_distribution import TransformedDistribution
from minigan.distributions.triangular import solve_lower
from minigan.distributions.uniform import Uniform
from minigan.distributions.utils import broadcast_shapes, sum_rightmost

__all__ = ["kl_divergence", "register_kl"]

_KL_REGISTRY: dict = {}  # (type of p, type of q) -> fn(p, q)
_KL_MEMOIZE: dict = {}  # the same, for the pairs of types asked for so far


def register_kl(type_p, type_q):
    """Decorator: ``@register_kl(Normal, Normal) def kl(p, q): ...`` makes ``kl_divergence`` use ``kl``."""
    if not isinstance(type_p, type) or not isinstance(type_q, type):
        raise TypeError(f"Expected type_p and type_q to be subclasses of Distribution, got {type_p} and {type_q}")

    def decorator(fun):
        _KL_REGISTRY[type_p, type_q] = fun
        _KL_MEMOIZE.clear()
        return fun

    return decorator


def _dispatch_kl(type_p, type_q):
    """The registered function for the nearest pair of ancestors, p's ancestry first (and a warning when q's
    first would pick another)."""
    matches = [(p, q) for p, q in _KL_REGISTRY if issubclass(type_p, p) and issubclass(type_q, q)]
    if not matches:
        return None
    left = min(matches, key=lambda m: (type_p.__mro__.index(m[0]), type_q.__mro__.index(m[1])))
    right = min(matches, key=lambda m: (type_q.__mro__.index(m[1]), type_p.__mro__.index(m[0])))
    if _KL_REGISTRY[left] is not _KL_REGISTRY[right]:
        warnings.warn(f"Ambiguous kl_divergence({type_p.__name__}, {type_q.__name__}). Please "
                      f"register_kl({left[0].__name__}, {right[1].__name__})", RuntimeWarning, stacklevel=4)
    return _KL_REGISTRY[left]


def kl_divergence(p, q):
    """KL(p ‖ q) = E_p[log p(x) − log q(x)], batched over the batch shape."""
    # the pair's function: found once, by the registry's dispatch (_found), then read from the memo
    return (_KL_MEMOIZE.get((type(p), type(q))) or _found(p, q))(p, q)


def _found(p, q):
    """The function registered for the nearest pair of p's and q's ancestors, kept in the memo; or PyTorch's
    NotImplementedError where there is none."""
    kl = _KL_MEMOIZE[type(p), type(q)] = _dispatch_kl(type(p), type(q))
    if kl is None:
        raise NotImplementedError(f"No KL(p || q) is implemented for p type {p.__class__.__name__} and q type "
                                  f"{q.__class__.__name__}")
    return kl


def _infinite_like(x):
    return T.full_like(x, math.inf)


# ----------------------------------------------------------------------------- one family


@register_kl(Normal, Normal)
def _kl_normal_normal(p, q):
    """The KL divergence of the Normal p from the Normal q, in closed form, element by element."""
    ratio, gap = p.scale / q.scale, (p.loc - q.loc) / q.scale
    var_ratio, t1 = ratio * ratio, gap * gap  # (squares as products: PyTorch's pow(x, 2) is x·x, bit for bit)
    # ½ (σp²/σq² + (μp − μq)²/σq² − 1 − log(σp²/σq²)): E_p[log p − log q] with E_p[(x − μp)²] = σp²
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


@register_kl(Bernoulli, Bernoulli)
def _kl_bernoulli_bernoulli(p, q):
    """p log(p/q) + (1 − p) log((1 − p)/(1 − q)), by softplus of the logits; ∞ where q gives p's outcome no mass,
    0 for an outcome p never has."""
    t1 = p.probs * (F.softplus(-q.logits) - F.softplus(-p.logits))
    t1 = T.where(p.probs == 0, 0.0, T.where(q.probs == 0, math.inf, t1))
    t2 = (1 - p.probs) * (F.softplus(q.logits) - F.softplus(p.logits))
    t2 = T.where(p.probs == 1, 0.0, T.where(q.probs == 1, math.inf, t2))
    return t1 + t2


@register_kl(Categorical, Categorical)
def _kl_categorical_categorical(p, q):
    """Σ_k p_k (log p_k − log q_k)"""
    t = p.probs * (p.logits - q.logits)
    t = T.where((p.probs == 0).expand_as(t), 0.0, T.where((q.probs == 0).expand_as(t), math.inf, t))
    return t.sum(-1)


@register_kl(OneHotCategorical, OneHotCategorical)
def _kl_onehotcategorical_onehotcategorical(p, q):
    return _kl_categorical_categorical(p._categorical, q._categorical)


@register_kl(Uniform, Uniform)
def _kl_uniform_uniform(p, q):
    """log((q.high − q.low)/(p.high − p.low)) when p's interval lies in q's, else ∞"""
    result = ((q.high - q.low) / (p.high - p.low)).log()
    return T.where((q.low > p.low) | (q.high < p.high), math.inf, result)


@register_kl(Exponential, Exponential)
def _kl_exponential_exponential(p, q):
    """λq/λp − log(λq/λp) − 1"""
    rate_ratio = q.rate / p.rate
    return -rate_ratio.log() + rate_ratio - 1


@register_kl(Laplace, Laplace)
def _kl_laplace_laplace(p, q):
    """−log(bp/bq) + |μp − μq|/bq + (bp/bq) e^(−|μp − μq|/bp) − 1"""
    scale_ratio = p.scale / q.scale
    loc_abs_diff = (p.loc - q.loc).abs()
    return -scale_ratio.log() + loc_abs_diff / q.scale + scale_ratio * T.exp(-loc_abs_diff / p.scale) - 1


@register_kl(MultivariateNormal, MultivariateNormal)
def _kl_multivariatenormal_multivariatenormal(p, q):
    """½ (tr(Σq⁻¹ Σp) + (μq − μp)ᵀ Σq⁻¹ (μq − μp) − n) + log det Lq − log det Lp, with
    tr(Σq⁻¹ Σp) = ‖Lq⁻¹ Lp‖²_F"""
    if p.event_shape != q.event_shape:
        raise ValueError("KL-divergence between two Multivariate Normals with different event shapes cannot be "
                         "computed")
    half_term1 = q._half_log_det() - p._half_log_det()
    n = p.event_shape[0]
    batch = tuple(broadcast_shapes(q._unbroadcasted_scale_tril.shape[:-2], p._unbroadcasted_scale_tril.shape[:-2]))
    q_tril = q._unbroadcasted_scale_tril.expand(batch + (n, n))
    p_tril = p._unbroadcasted_scale_tril.expand(batch + (n, n))
    term2 = solve_lower(q_tril, p_tril).pow(2).sum((-2, -1))
    term3 = mahalanobis(q._unbroadcasted_scale_tril, q.loc - p.loc)
    return half_term1 + 0.5 * (term2 + term3 - n)


@register_kl(Independent, Independent)
def _kl_independent_independent(p, q):
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise NotImplementedError
    return sum_rightmost(kl_divergence(p.base_dist, q.base_dist), p.reinterpreted_batch_ndims)


@register_kl(TransformedDistribution, TransformedDistribution)
def _kl_transformed_transformed(p, q):
    """The same bijection applied to both leaves the KL unchanged: the bases'."""
    if p.transforms != q.transforms or p.event_shape != q.event_shape:
        raise NotImplementedError
    return kl_divergence(p.base_dist, q.base_dist)


# ----------------------------------------------------------------------------- two families
@register_kl(Exponential, Uniform)
def _kl_exponential_infinity(p, q):  # (q has no mass on p's unbounded support)
    return _infinite_like(p.rate)


@register_kl(Laplace, Exponential)
@register_kl(Laplace, Uniform)
def _kl_laplace_infinity(p, q):
    return _infinite_like(p.loc)


@register_kl(Normal, Exponential)
@register_kl(Normal, Uniform)
def _kl_normal_infinity(p, q):
    return _infinite_like(p.loc)


@register_kl(Exponential, Normal)
def _kl_exponential_normal(p, q):
    var_normal = q.scale.pow(2)
    rate_sqr = p.rate.pow(2)
    t1 = 0.5 * T.log(rate_sqr * var_normal * 2 * math.pi)
    t2 = rate_sqr.reciprocal()
    t3 = q.loc / p.rate
    t4 = q.loc.pow(2) * 0.5
    return t1 - 1 + (t2 - t3 + t4) / var_normal


@register_kl(Laplace, Normal)
def _kl_laplace_normal(p, q):
    var_normal = q.scale.pow(2)
    scale_sqr_var_ratio = p.scale.pow(2) / var_normal
    t1 = 0.5 * T.log(2 * scale_sqr_var_ratio / math.pi)
    t2 = 0.5 * p.loc.pow(2)
    t3 = p.loc * q.loc
    t4 = 0.5 * q.loc.pow(2)
    return -t1 + scale_sqr_var_ratio + (t2 - t3 + t4) / var_normal - 1


@register_kl(Normal, Laplace)
def _kl_normal_laplace(p, q):
    loc_diff = p.loc - q.loc
    scale_ratio = p.scale / q.scale
    loc_diff_scale_ratio = loc_diff / p.scale
    t1 = T.log(scale_ratio)
    t2 = math.sqrt(2 / math.pi) * p.scale * T.exp(-0.5 * loc_diff_scale_ratio.pow(2))
    t3 = loc_diff * T.erf(math.sqrt(0.5) * loc_diff_scale_ratio)
    return -t1 + (t2 + t3) / q.scale - 0.5 * (1 + math.log(0.5 * math.pi))


@register_kl(Uniform, Exponential)
def _kl_uniform_exponential(p, q):
    result = q.rate * (p.high + p.low) / 2 - ((p.high - p.low) * q.rate).log()
    return T.where(p.low < 0, math.inf, result)  # (mass below the exponential's support)


@register_kl(Uniform, Normal)
def _kl_uniform_normal(p, q):
    common_term = p.high - p.low
    t1 = (math.sqrt(math.pi * 2) * q.scale / common_term).log()
    t2 = common_term.pow(2) / 12
    t3 = ((p.high + p.low - 2 * q.loc) / 2).pow(2)
    return t1 + 0.5 * (t2 + t3) / q.scale.pow(2)
