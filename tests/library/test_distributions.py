"""minigan.distributions against their mathematics, without PyTorch.

For each distribution (CASES: a constructor from float64 parameters, and the closed forms to check it by):
1. log_prob and entropy equal their closed forms written in NumPy;
2. the gradient of ``rsample`` (the reparameterization trick) and of ``log_prob`` matches finite differences, first and
   second order, at parameters drawn by hypothesis (float64; the noise is re-seeded at each call, so it is fixed);
3. the samples' mean and variance match ``mean`` and ``variance`` within a few standard errors (a seeded draw),
   and entropy matches −E[log p(x)] by Monte Carlo;
4. ``sample`` gives the numbers ``rsample`` gives, cut from the graph.
KL divergences are checked against Monte Carlo estimates of E_p[log p − log q].  (The comparisons with PyTorch:
tests/pytorch/test_distributions.py.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan.distributions import Distribution, Normal, kl_divergence

N = 20_000  # samples for the statistical tests: a standard error of ~0.7% of a standard deviation


def _t(values, requires_grad=False):
    return minigan.tensor(np.asarray(values, dtype=np.float64), requires_grad=requires_grad)


def _np(x):
    return x.detach().numpy()


POSITIVE = st.floats(0.3, 3.0)
REAL = st.floats(-2.0, 2.0)
PROBABILITY = st.floats(0.05, 0.95)


def _lists(strategy, size):
    return st.lists(strategy, min_size=size, max_size=size).map(np.array)


def _normal_log_pdf(x, m, s):
    return -(x - m) ** 2 / (2 * s ** 2) - np.log(s) - 0.5 * np.log(2 * np.pi)


@st.composite
def _simplex(draw, size, k=3):
    weights = draw(_lists(st.floats(0.1, 1.0), size * k)).reshape(size, k)
    return weights / weights.sum(-1, keepdims=True)


@st.composite
def _scale_tril(draw, size, n=2):
    """Lower triangular n x n matrices with a diagonal in [0.5, 2] (a covariance away from singular)."""
    below = draw(_lists(st.floats(-1.0, 1.0), size * n * n)).reshape(size, n, n)
    diagonal = draw(_lists(st.floats(0.5, 2.0), size * n)).reshape(size, n)
    return np.tril(below, -1) + np.einsum("bi,ij->bij", diagonal, np.eye(n))


def _mvn_log_pdf(x, m, lower):
    cov = lower @ np.swapaxes(lower, -1, -2)
    d = x - m
    maha = np.einsum("...i,...ij,...j->...", d, np.linalg.inv(cov), d)
    return -0.5 * (m.shape[-1] * np.log(2 * np.pi) + maha) - 0.5 * np.linalg.slogdet(cov)[1]


def _mvn_entropy(m, lower):
    return 0.5 * m.shape[-1] * (1 + np.log(2 * np.pi)) + 0.5 * np.linalg.slogdet(lower @ np.swapaxes(lower, -1, -2))[1]


def _relaxed_log_pdf(y, t, lg):
    """Gumbel-softmax density on the simplex (Maddison et al.; Jang et al.), in log y:
    log Γ(K) + (K−1) log τ + Σ_k (l_k − τ x_k) − K logsumexp(l − τ x) − Σ_k x_k,   x = log y."""
    x, k = np.log(y), y.shape[-1]
    score = lg - t * x
    lse = np.log(np.exp(score - score.max(-1, keepdims=True)).sum(-1)) + score.max(-1)
    return math.lgamma(k) + (k - 1) * np.log(t) + score.sum(-1) - k * lse - x.sum(-1)


def _covariance(lower):
    return lower @ np.swapaxes(lower, -1, -2)


D_ = minigan.distributions
TR = D_.transforms


@dataclass
class Case:
    """One distribution: ``params(size)`` draws its parameters for a batch of ``size`` (a hypothesis strategy of a
    list of arrays), ``make(*tensors, validate_args=...)`` builds it, ``log_pdf(x, *params)`` and ``entropy(*params)``
    are its closed forms in NumPy (None: PyTorch has none), ``fixed`` the parameters of the statistical tests."""

    params: Callable
    make: Callable
    log_pdf: Callable
    entropy: Callable | None
    fixed: list


CASES = {
    "Normal": Case(lambda n: st.tuples(_lists(REAL, n), _lists(POSITIVE, n)), D_.Normal, _normal_log_pdf,
                   lambda m, s: 0.5 + 0.5 * np.log(2 * np.pi) + np.log(s), [[-1.0, 2.0], [0.5, 2.0]]),
    "Bernoulli": Case(lambda n: st.tuples(_lists(PROBABILITY, n)), D_.Bernoulli,
                      lambda x, p: x * np.log(p) + (1 - x) * np.log(1 - p),
                      lambda p: -p * np.log(p) - (1 - p) * np.log(1 - p), [[0.2, 0.7]]),
    "Bernoulli-logits": Case(lambda n: st.tuples(_lists(REAL, n)), lambda lg, **k: D_.Bernoulli(logits=lg, **k),
                             lambda x, lg: x * lg - np.logaddexp(0, lg),
                             lambda lg: np.logaddexp(0, lg) - lg / (1 + np.exp(-lg)), [[-1.0, 1.5]]),
    "Categorical": Case(lambda n: st.tuples(_simplex(n)), D_.Categorical,
                        lambda x, p: np.log(np.take_along_axis(np.broadcast_to(p, x.shape + p.shape[-1:]),
                                                               x[..., None].astype(int), -1)[..., 0]),
                        lambda p: -(p * np.log(p)).sum(-1), [[[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]]),
    "OneHotCategorical": Case(lambda n: st.tuples(_simplex(n)), D_.OneHotCategorical,
                              lambda x, p: np.log((x * p).sum(-1)), lambda p: -(p * np.log(p)).sum(-1),
                              [[[0.2, 0.5, 0.3], [0.6, 0.1, 0.3]]]),
    "Uniform": Case(lambda n: st.tuples(_lists(REAL, n), _lists(POSITIVE, n)).map(lambda p: (p[0], p[0] + p[1])),
                    D_.Uniform, lambda x, lo, hi: -np.log(hi - lo) + 0 * x, lambda lo, hi: np.log(hi - lo),
                    [[-1.0, 2.0], [0.0, 5.0]]),
    "Exponential": Case(lambda n: st.tuples(_lists(POSITIVE, n)), D_.Exponential, lambda x, r: np.log(r) - r * x,
                        lambda r: 1 - np.log(r), [[0.5, 3.0]]),
    "Laplace": Case(lambda n: st.tuples(_lists(REAL, n), _lists(POSITIVE, n)), D_.Laplace,
                    lambda x, m, b: -np.log(2 * b) - np.abs(x - m) / b, lambda m, b: 1 + np.log(2 * b),
                    [[-1.0, 2.0], [0.5, 2.0]]),
    "MultivariateNormal-scale_tril": Case(
        lambda n: st.tuples(_lists(REAL, n * 2).map(lambda a: a.reshape(n, 2)), _scale_tril(n)),
        lambda m, lower, **k: D_.MultivariateNormal(m, scale_tril=lower, **k), _mvn_log_pdf, _mvn_entropy,
        [[[0.5, -1.0], [2.0, 0.0]], [[[1.0, 0.0], [0.5, 0.8]], [[2.0, 0.0], [-1.0, 0.5]]]]),
    "MultivariateNormal-covariance": Case(
        lambda n: st.tuples(_lists(REAL, n * 2).map(lambda a: a.reshape(n, 2)), _scale_tril(n).map(_covariance)),
        lambda m, cov, **k: D_.MultivariateNormal(m, cov, **k),
        lambda x, m, cov: _mvn_log_pdf(x, m, np.linalg.cholesky(cov)),
        lambda m, cov: _mvn_entropy(m, np.linalg.cholesky(cov)),
        [[[0.5, -1.0], [2.0, 0.0]], [[[1.0, 0.5], [0.5, 0.89]], [[4.0, -2.0], [-2.0, 1.25]]]]),
    "MultivariateNormal-precision": Case(
        lambda n: st.tuples(_lists(REAL, n * 2).map(lambda a: a.reshape(n, 2)), _scale_tril(n).map(_covariance)),
        lambda m, prec, **k: D_.MultivariateNormal(m, precision_matrix=prec, **k),
        lambda x, m, prec: _mvn_log_pdf(x, m, np.linalg.cholesky(np.linalg.inv(prec))),
        lambda m, prec: _mvn_entropy(m, np.linalg.cholesky(np.linalg.inv(prec))),
        [[[0.5, -1.0], [2.0, 0.0]], [[[1.0, 0.5], [0.5, 0.89]], [[4.0, -2.0], [-2.0, 1.25]]]]),
    "Independent": Case(lambda n: st.tuples(_lists(REAL, n), _lists(POSITIVE, n)),
                        lambda m, s, **k: D_.Independent(D_.Normal(m, s, **k), 1),
                        lambda x, m, s: _normal_log_pdf(x, m, s).sum(-1),
                        lambda m, s: (0.5 + 0.5 * np.log(2 * np.pi) + np.log(s)).sum(-1), [[-1.0, 2.0], [0.5, 2.0]]),
    "Transformed-affine-exp": Case(  # a log-normal: log y ~ N(1 + 0.5 μ, 0.5 σ)
        lambda n: st.tuples(_lists(REAL, n), _lists(POSITIVE, n)),
        lambda m, s, **k: D_.TransformedDistribution(D_.Normal(m, s, **k), [TR.AffineTransform(1.0, 0.5),
                                                                             TR.ExpTransform()], **k),
        lambda y, m, s: _normal_log_pdf(np.log(y), 1 + 0.5 * m, 0.5 * s) - np.log(y), None, [[-1.0, 2.0], [0.5, 2.0]]),
    "Transformed-sigmoid": Case(
        lambda n: st.tuples(_lists(REAL, n), _lists(st.floats(0.3, 1.5), n)),
        lambda m, s, **k: D_.TransformedDistribution(D_.Normal(m, s, **k), TR.SigmoidTransform(), **k),
        lambda y, m, s: _normal_log_pdf(np.log(y / (1 - y)), m, s) - np.log(y) - np.log1p(-y), None,
        [[-1.0, 0.5], [0.5, 1.0]]),
    "Transformed-tanh": Case(
        lambda n: st.tuples(_lists(st.floats(-1.0, 1.0), n), _lists(st.floats(0.3, 1.0), n)),
        lambda m, s, **k: D_.TransformedDistribution(D_.Normal(m, s, **k), TR.TanhTransform(), **k),
        lambda y, m, s: _normal_log_pdf(np.arctanh(y), m, s) - np.log1p(-y ** 2), None, [[-1.0, 0.5], [0.5, 1.0]]),
    "RelaxedOneHotCategorical": Case(
        # (one temperature: PyTorch's rsample divides the (…, K) scores by it, its log_prob adds its log to the
        # batch, so only a number broadcasts the same way in both)
        lambda n: st.tuples(st.floats(0.4, 2.0).map(np.array), _lists(REAL, n * 3).map(lambda a: a.reshape(n, 3))),
        lambda t, lg, **k: D_.RelaxedOneHotCategorical(t, logits=lg, **k), _relaxed_log_pdf, None,
        [0.5, [[0.2, -1.0, 0.5], [1.0, 0.0, -0.5]]]),
}


def _batch(name):
    """The batch of the gradient checks: 2, or 1 for the matrices (each entry of a covariance is an input)."""
    return 1 if name.startswith("MultivariateNormal") else 2


def _draw(data, name, size=3):
    return [np.asarray(p, dtype=np.float64) for p in data.draw(CASES[name].params(size))]


@pytest.mark.parametrize("name", list(CASES))
@settings(max_examples=4)
@given(data=st.data())
def test_log_prob_and_entropy_are_the_closed_forms(name, data):
    case = CASES[name]
    params = _draw(data, name)
    d = case.make(*map(_t, params))
    x = _np(d.sample((4,)))
    np.testing.assert_allclose(_np(d.log_prob(_t(x))), case.log_pdf(x, *params), rtol=1e-10, atol=1e-10)
    if case.entropy is None:
        with pytest.raises(NotImplementedError):
            d.entropy()
    else:
        np.testing.assert_allclose(_np(d.entropy()), case.entropy(*params), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", [n for n in CASES if n not in ("Bernoulli", "Bernoulli-logits", "Categorical",
                                                                 "OneHotCategorical")])
@settings(max_examples=2)
@given(data=st.data())
def test_rsample_gradients_match_finite_differences_to_second_order(name, data):
    """The reparameterization trick: d(sample)/d(parameters), and its derivative again."""
    make = CASES[name].make
    params = [_t(p, requires_grad=True) for p in _draw(data, name, size=_batch(name))]

    def draw(*ps):
        minigan.manual_seed(5)  # the same noise at every call: the sample is then a function of the parameters
        return make(*ps, validate_args=False).rsample((3,))

    assert make(*params).has_rsample
    assert minigan.gradcheck(draw, params)
    assert minigan.gradgradcheck(draw, params)


@pytest.mark.parametrize("name", list(CASES))
@settings(max_examples=2)
@given(data=st.data())
def test_log_prob_gradients_match_finite_differences_to_second_order(name, data):
    make = CASES[name].make
    params = _draw(data, name, size=_batch(name))
    x = make(*map(_t, params)).sample((2,))
    tensors = [_t(p, requires_grad=True) for p in params]
    continuous = x.dtype == minigan.float64 and name not in ("OneHotCategorical", "Bernoulli", "Bernoulli-logits")
    value = _t(_np(x), requires_grad=continuous)

    def log_prob(*ps):
        return make(*ps[:-1], validate_args=False).log_prob(ps[-1])

    assert minigan.gradcheck(log_prob, [*tensors, value])
    assert minigan.gradgradcheck(log_prob, [*tensors, value])


@pytest.mark.parametrize("name", [n for n in CASES if n != "Categorical" and CASES[n].entropy is not None])
def test_samples_have_the_mean_variance_and_entropy_of_the_distribution(name):
    minigan.manual_seed(11)
    d = CASES[name].make(*map(_t, CASES[name].fixed))
    x = d.sample((N,))
    mean, var = _np(d.mean), _np(d.variance)
    sample_mean, sample_var = _np(x).mean(0), _np(x).var(0)
    np.testing.assert_allclose(sample_mean, mean, atol=float(5 * np.sqrt(var / N).max()))
    # the variance's standard error is σ²·√((κ − 1)/N), κ the kurtosis (3 for a normal, 6 for a Laplace)
    assert (np.abs(sample_var - var) <= 5 * np.sqrt(5 * var ** 2 / N)).all(), (sample_var, var)
    log_p = _np(d.log_prob(x))
    np.testing.assert_allclose(-log_p.mean(0), _np(d.entropy()), atol=float(5 * log_p.std(0).max() / np.sqrt(N)))


def test_third_derivatives_are_the_closed_form():
    """Any order: d³/dσ³ log N(x; μ, σ) = 12(x − μ)²/σ⁵ − 2/σ³, by three backward passes through log_prob."""
    sigma, x, mu = _t([0.7, 1.9], requires_grad=True), np.array([0.3, -1.0]), np.array([1.0, 0.5])
    out = D_.Normal(_t(mu), sigma).log_prob(_t(x)).sum()
    for _ in range(3):
        (out,) = minigan.autograd.grad(out, sigma, create_graph=True)
        out = out.sum()
    s = _np(sigma)
    np.testing.assert_allclose(float(out), (12 * (x - mu) ** 2 / s ** 5 - 2 / s ** 3).sum(), rtol=1e-12)


def test_categorical_draws_each_category_at_its_probability():
    minigan.manual_seed(12)
    probs = np.array(CASES["Categorical"].fixed[0])
    x = _np(D_.Categorical(_t(probs)).sample((N,)))
    assert x.dtype == np.int64 and x.shape == (N, 2)
    for row, p in enumerate(probs):
        np.testing.assert_allclose(np.bincount(x[:, row], minlength=3) / N, p, atol=5 * np.sqrt(0.25 / N))


def test_a_transformed_sample_is_the_transform_of_the_base_sample():
    """TransformedDistribution's rsample is f(base.rsample()) with the same noise; its cdf and icdf invert."""
    base = D_.Normal(_t([0.3, -0.5]), _t([0.7, 1.2]))
    d = D_.TransformedDistribution(base, [TR.AffineTransform(-1.0, 2.0), TR.TanhTransform()])
    minigan.manual_seed(4)
    y = d.rsample((5,))
    minigan.manual_seed(4)
    np.testing.assert_allclose(_np(y), np.tanh(-1.0 + 2.0 * _np(base.rsample((5,)))), rtol=1e-15)
    u = _t([[0.1, 0.9], [0.5, 0.5]])
    np.testing.assert_allclose(_np(d.cdf(d.icdf(u))), _np(u), rtol=1e-9)
    flipped = D_.TransformedDistribution(base, TR.AffineTransform(0.0, -1.0))  # decreasing: the cdf turns over
    np.testing.assert_allclose(_np(flipped.cdf(_t([0.2, 0.2]))), 1 - _np(base.cdf(_t([-0.2, -0.2]))), rtol=1e-12)


@pytest.mark.parametrize("transform, x", [
    (TR.ExpTransform(), [-1.0, 0.5]), (TR.SigmoidTransform(), [-2.0, 0.3]), (TR.TanhTransform(), [-0.7, 1.2]),
    (TR.SoftplusTransform(), [-1.0, 2.0]), (TR.AffineTransform(0.5, -3.0), [0.1, 2.0]),
    (TR.ComposeTransform([TR.AffineTransform(0.5, 2.0), TR.SigmoidTransform()]), [0.1, -0.6]),
])
def test_transforms_invert_and_their_log_det_is_the_log_derivative(transform, x):
    """inv(f(x)) = x; log|J| = log |f'(x)| by finite differences; the inverse's log|J| is minus f's."""
    x = _t(x, requires_grad=True)
    y = transform(x)
    np.testing.assert_allclose(_np(transform.inv(y)), _np(x), rtol=1e-9)
    (slope,) = minigan.autograd.grad(y.sum(), x, create_graph=True)
    np.testing.assert_allclose(_np(transform.log_abs_det_jacobian(x, y)), np.log(np.abs(_np(slope))), rtol=1e-10)
    np.testing.assert_allclose(_np(transform.inv.log_abs_det_jacobian(y, x)),
                               -_np(transform.log_abs_det_jacobian(x, y)), rtol=1e-12)
    assert transform.inv.inv is transform
    if not isinstance(transform, TR.AffineTransform):  # (an affine map's log|J| does not depend on x)
        assert minigan.gradgradcheck(lambda v: transform.log_abs_det_jacobian(v, transform(v)), [x])


def test_a_cached_transform_returns_the_x_it_was_given():
    t = TR.TanhTransform(cache_size=1)
    x = _t([25.0])  # tanh(25) rounds to 1: atanh would give inf
    assert t.inv(t(x)) is x


def test_sample_is_rsample_without_the_graph():
    loc, scale = _t([0.5, -1.0], True), _t([1.5, 0.2], True)
    minigan.manual_seed(3)
    drawn = Normal(loc, scale).sample((2,))
    minigan.manual_seed(3)
    kept = Normal(loc, scale).rsample((2,))
    np.testing.assert_array_equal(_np(drawn), _np(kept))
    assert not drawn.requires_grad and kept.requires_grad
    kept.sum().backward()  # ∂x/∂μ = 1, ∂x/∂σ = ε = (x − μ)/σ
    np.testing.assert_allclose(_np(loc.grad), [2.0, 2.0])
    np.testing.assert_allclose(_np(scale.grad), ((_np(kept) - _np(loc)) / _np(scale)).sum(0))


# ----------------------------------------------------------------------------- KL divergence
def _mvn(loc, lower):
    return D_.MultivariateNormal(_t(loc), scale_tril=_t(lower))


KL_PAIRS = {  # each pair's KL is finite: p's support lies in q's
    "Normal-Normal": lambda: (D_.Normal(_t([0.0, 1.0]), _t([1.0, 0.5])), D_.Normal(_t([0.5, -1.0]), _t([2.0, 0.7]))),
    "Bernoulli-Bernoulli": lambda: (D_.Bernoulli(_t([0.2, 0.9])), D_.Bernoulli(logits=_t([0.5, -1.0]))),
    "Categorical-Categorical": lambda: (D_.Categorical(_t([0.2, 0.5, 0.3])),
                                        D_.Categorical(logits=_t([0.0, 1.0, -1.0]))),
    "OneHotCategorical-OneHotCategorical": lambda: (D_.OneHotCategorical(_t([0.2, 0.5, 0.3])),
                                                    D_.OneHotCategorical(_t([0.6, 0.1, 0.3]))),
    "Uniform-Uniform": lambda: (D_.Uniform(_t([0.0, 1.0]), _t([1.0, 2.0])),
                                D_.Uniform(_t([-1.0, 0.5]), _t([2.0, 5.0]))),
    "Exponential-Exponential": lambda: (D_.Exponential(_t([0.5, 2.0])), D_.Exponential(_t([1.5, 1.0]))),
    "Laplace-Laplace": lambda: (D_.Laplace(_t([0.0, 1.0]), _t([1.0, 0.5])),
                                D_.Laplace(_t([0.5, -1.0]), _t([2.0, 0.7]))),
    "MultivariateNormal-MultivariateNormal": lambda: (_mvn([0.5, -1.0], [[1.0, 0.0], [0.5, 0.8]]),
                                                      _mvn([0.0, 0.3], [[2.0, 0.0], [-1.0, 0.5]])),
    "Independent-Independent": lambda: (D_.Independent(D_.Normal(_t([0.0, 1.0]), _t([1.0, 0.5])), 1),
                                        D_.Independent(D_.Normal(_t([0.5, -1.0]), _t([2.0, 0.7])), 1)),
    "Transformed-Transformed": lambda: tuple(D_.TransformedDistribution(base, [TR.ExpTransform()]) for base in (
        D_.Normal(_t([0.0, 1.0]), _t([1.0, 0.5])), D_.Normal(_t([0.5, -1.0]), _t([2.0, 0.7])))),
    "Exponential-Normal": lambda: (D_.Exponential(_t([0.5, 2.0])), D_.Normal(_t([0.5, -1.0]), _t([2.0, 0.7]))),
    "Laplace-Normal": lambda: (D_.Laplace(_t([0.0, 1.0]), _t([1.0, 0.5])), D_.Normal(_t([0.5, -1.0]), _t([2.0, 0.7]))),
    "Normal-Laplace": lambda: (D_.Normal(_t([0.0, 1.0]), _t([1.0, 0.5])), D_.Laplace(_t([0.5, -1.0]), _t([2.0, 0.7]))),
    "Uniform-Exponential": lambda: (D_.Uniform(_t([0.2, 1.0]), _t([1.0, 3.0])), D_.Exponential(_t([1.5, 0.4]))),
    "Uniform-Normal": lambda: (D_.Uniform(_t([0.0, 1.0]), _t([1.0, 3.0])), D_.Normal(_t([0.5, -1.0]), _t([2.0, 0.7]))),
}


@pytest.mark.parametrize("pair", list(KL_PAIRS))
def test_kl_divergence_matches_monte_carlo(pair):
    """KL(p ‖ q) = E_p[log p(x) − log q(x)]: the mean over N samples, within 5 standard errors."""
    p, q = KL_PAIRS[pair]()
    minigan.manual_seed(7)
    x = p.sample((N,))
    ratio = _np(p.log_prob(x) - q.log_prob(x))
    kl = _np(kl_divergence(p, q))
    assert kl.shape == ratio.shape[1:] and (kl >= 0).all()
    np.testing.assert_allclose(kl, ratio.mean(0), atol=float(5 * ratio.std(0).max() / np.sqrt(N)) + 1e-12)


@pytest.mark.parametrize("pair", list(KL_PAIRS))
def test_kl_divergence_gradients_to_second_order(pair):
    """The KL's gradient with respect to every parameter of p and q, first and second order (float64)."""
    p, q = KL_PAIRS[pair]()
    leaves = [v for d in (p, q) for v in _leaves(d)]

    def kl(*values):
        for (holder, name), v in zip(_slots(p) + _slots(q), values):
            setattr(holder, name, v)
        return kl_divergence(p, q)

    tensors = [_t(_np(v), requires_grad=True) for v in leaves]
    assert minigan.gradcheck(kl, tensors) and minigan.gradgradcheck(kl, tensors)


def _slots(d):
    """(object, attribute) of each parameter tensor the distribution's KL reads (its base's, for the wrappers)."""
    if isinstance(d, (D_.Independent, D_.TransformedDistribution)):
        return _slots(d.base_dist)
    if isinstance(d, D_.OneHotCategorical):
        return _slots(d._categorical)
    if isinstance(d, D_.MultivariateNormal):
        return [(d, "loc"), (d, "_unbroadcasted_scale_tril")]
    names = {"Normal": ("loc", "scale"), "Laplace": ("loc", "scale"), "Uniform": ("low", "high"),
             "Exponential": ("rate",), "Bernoulli": ("logits",), "Categorical": ("logits",)}[type(d).__name__]
    if isinstance(d, (D_.Bernoulli, D_.Categorical)):  # (the KL reads probs too: made from the logits each call)
        d.logits  # noqa: B018
        d.__dict__.pop("probs", None)
        type(d).probs  # noqa: B018
    return [(d, n) for n in names]


def _leaves(d):
    return [getattr(holder, name) for holder, name in _slots(d)]


def test_kl_is_infinite_where_q_misses_part_of_ps_support():
    normal, laplace = D_.Normal(_t([0.0]), _t([1.0])), D_.Laplace(_t([0.0]), _t([1.0]))
    uniform, exponential = D_.Uniform(_t([-1.0]), _t([1.0])), D_.Exponential(_t([1.0]))
    for p, q in ((normal, uniform), (normal, exponential), (laplace, uniform), (laplace, exponential),
                 (exponential, uniform), (uniform, exponential), (uniform, D_.Uniform(_t([0.0]), _t([2.0])))):
        assert _np(kl_divergence(p, q)).tolist() == [math.inf], (type(p).__name__, type(q).__name__)
    assert _np(kl_divergence(D_.Bernoulli(_t([0.5])), D_.Bernoulli(_t([0.0])))).tolist() == [math.inf]
    np.testing.assert_allclose(_np(kl_divergence(D_.Bernoulli(_t([0.0])), D_.Bernoulli(_t([0.5])))), [math.log(2)],
                               rtol=1e-15)


def test_kl_of_normals_is_the_closed_form_and_zero_for_the_same_distribution():
    p, q = Normal(_t([0.3]), _t([1.2])), Normal(_t([-0.4]), _t([0.6]))
    closed = math.log(0.6 / 1.2) + (1.2 ** 2 + 0.7 ** 2) / (2 * 0.6 ** 2) - 0.5
    np.testing.assert_allclose(_np(kl_divergence(p, q)), [closed], rtol=1e-12)
    np.testing.assert_allclose(_np(kl_divergence(p, p)), [0.0], atol=1e-15)


def test_kl_of_an_unregistered_pair_says_so():
    class Other(Distribution):
        pass

    with pytest.raises(NotImplementedError, match="No KL\\(p \\|\\| q\\) is implemented for p type Normal and q "
                                                  "type Other"):
        kl_divergence(Normal(0.0, 1.0), Other())


def test_register_kl_serves_subclasses_and_the_nearest_pair_wins():
    from minigan.distributions.kl import _KL_MEMOIZE, _KL_REGISTRY, register_kl

    class Wide(Normal):
        pass

    saved = dict(_KL_REGISTRY)
    try:
        assert float(kl_divergence(Wide(0.0, 1.0), Normal(0.0, 1.0))) == 0.0  # (Normal's, for a subclass)
        register_kl(Wide, Normal)(lambda p, q: minigan.tensor(42.0))
        assert float(kl_divergence(Wide(0.0, 1.0), Normal(0.0, 1.0))) == 42.0
    finally:
        _KL_REGISTRY.clear()
        _KL_REGISTRY.update(saved)
        _KL_MEMOIZE.clear()


# ----------------------------------------------------------------------------- shapes and validation
def test_shapes_expand_and_broadcasting():
    d = Normal(_t([[0.0], [1.0]]), 2.0)
    assert d.batch_shape == (2, 1) and d.event_shape == () and d.sample((5,)).shape == (5, 2, 1)
    wide = d.expand((3, 2, 4))
    assert wide.batch_shape == (3, 2, 4) and wide.sample().shape == (3, 2, 4)
    assert Normal(0.0, 1.0).sample().shape == () and Normal(0.0, 1.0).batch_shape == ()
    assert d.log_prob(_t([0.5, 1.5, 2.5])).shape == (2, 3)


def test_invalid_parameters_and_values_raise_pytorchs_value_errors():
    with pytest.raises(ValueError, match=r"Expected parameter scale \(Tensor of shape \(2,\)\) of distribution "
                                         r"Normal\(loc: minigan.Size\(\[2\]\), scale: minigan.Size\(\[2\]\)\) to "
                                         r"satisfy the constraint GreaterThan\(lower_bound=0.0\)"):
        Normal(_t([0.0, 1.0]), _t([1.0, -1.0]))
    with pytest.raises(ValueError, match="Value is not broadcastable with batch_shape"):
        Normal(_t([0.0, 1.0]), 1.0).log_prob(_t([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="The value argument to log_prob must be a Tensor"):
        Normal(0.0, 1.0).log_prob(0.5)
    assert Normal(0.0, -1.0, validate_args=False).scale.item() == -1.0


@pytest.mark.parametrize("make, bad", [
    (lambda v: Normal(v, _t([1.0, 1.0])), "loc"), (lambda v: Normal(_t([0.0, 0.0]), v), "scale"),
    (lambda v: minigan.distributions.Bernoulli(logits=v), "logits"),
    (lambda v: D_.Laplace(v, _t([1.0, 1.0])), "loc"), (lambda v: D_.Laplace(_t([0.0, 0.0]), v), "scale")])
def test_the_usual_call_refuses_what_pytorch_refuses(make, bad):
    """Two tensors of one shape and dtype (a tensor of logits) take the plain path: its cheap checks refuse every
    value the constraint does, with PyTorch's message, and nothing with validation off."""
    invalid = [math.nan] if bad != "scale" else [math.nan, 0.0, -1.0, -math.inf]
    for x in invalid:
        with pytest.raises(ValueError, match=f"Expected parameter {bad} .* to satisfy the constraint"):
            make(_t([0.5, x]))
    Distribution.set_default_validate_args(False)
    try:
        assert all(math.isnan(v) or v <= 0 for v in getattr(make(_t([invalid[0], invalid[-1]])), bad).tolist())
    finally:
        Distribution.set_default_validate_args(True)
    assert make(_t([0.5, 2.0])).batch_shape == (2,)


def test_the_usual_log_prob_refuses_values_outside_the_support():
    bernoulli = minigan.distributions.Bernoulli(logits=_t([0.0, 1.0]))
    for x in (0.5, math.nan, 2.0, -1.0):
        with pytest.raises(ValueError, match="Expected value argument .* to be within the support"):
            bernoulli.log_prob(_t([1.0, x]))
        with pytest.raises(ValueError, match="Expected value argument .* to be within the support"):
            bernoulli.log_prob(_t([[1.0, x]]))  # (the broadcast value, by PyTorch's checks in full)
    with pytest.raises(ValueError, match="Expected value argument .* to be within the support"):
        Normal(_t([0.0, 0.0]), _t([1.0, 1.0])).log_prob(_t([0.0, math.nan]))
    # log p(x) of a Bernoulli is x·ℓ − softplus(ℓ); of a Normal −(x − μ)²/2σ² − log σ − log √(2π)
    np.testing.assert_allclose(bernoulli.log_prob(_t([1.0, 0.0])).numpy(), [-math.log(2), -math.log1p(math.e)],
                               rtol=1e-6)
    assert not minigan.distributions.Bernoulli(logits=_t([0.0]), validate_args=False).log_prob(_t([0.5])).isnan()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_usual_log_prob_is_the_formula_of_the_broadcast_path(dtype):
    """A Bernoulli's log_prob of logits and x of one shape and dtype goes straight to the loss's formula, past F's
    door: its values, dtype and gradients are those of the path that broadcasts (x of another shape), and the
    formula's: log p = x·ℓ − softplus(ℓ), d/dℓ = x − σ(ℓ), d/dx = ℓ."""
    dt = getattr(minigan, dtype)
    runs = []
    for shape in ((3,), (1, 3)):  # the usual call, then PyTorch's path that broadcasts
        logits = _t([-2.0, 0.5, 3.0]).to(dt).requires_grad_()
        x = _t([1.0, 0.0, 1.0]).to(dt).reshape(shape).requires_grad_()
        log_p = D_.Bernoulli(logits=logits).log_prob(x)
        log_p.sum().backward()
        assert log_p.dtype == dt and log_p.shape == shape
        runs.append([_np(t).reshape(-1) for t in (log_p, logits.grad, x.grad)])
    ell, x = np.array([-2.0, 0.5, 3.0]), np.array([1.0, 0.0, 1.0])
    formula = [x * ell - np.logaddexp(0, ell), x - 1 / (1 + np.exp(-ell)), ell]
    for usual, broadcast, expected in zip(*runs, formula):
        np.testing.assert_array_equal(usual, broadcast)
        np.testing.assert_allclose(usual, expected, rtol=1e-6)


def test_set_default_validate_args_turns_validation_off_and_on():
    try:
        Distribution.set_default_validate_args(False)
        assert Normal(0.0, -1.0).scale.item() == -1.0
    finally:
        Distribution.set_default_validate_args(True)
    with pytest.raises(ValueError):
        Normal(0.0, -1.0)
    with pytest.raises(ValueError):
        Distribution.set_default_validate_args("yes")


def test_normal_cdf_and_icdf_are_inverse_and_differentiable():
    d = Normal(_t([0.5]), _t([2.0]))
    u = _t([0.1, 0.5, 0.975])
    np.testing.assert_allclose(_np(d.cdf(d.icdf(u))), _np(u), rtol=1e-12)
    np.testing.assert_allclose(_np(d.icdf(_t([0.975]))), [0.5 + 2.0 * 1.959963984540054], rtol=1e-12)
    loc, scale = _t([0.5], True), _t([2.0], True)
    assert minigan.gradgradcheck(lambda m, s: Normal(m, s).cdf(_t([0.3, 1.0])), [loc, scale])
    assert minigan.gradgradcheck(lambda m, s: Normal(m, s).icdf(_t([0.3, 0.8])), [loc, scale])


def _scored(name, device, x=None):
    """(x, total, gradients): a sample on ``device`` (or ``x``) scored by log_prob, KL to itself, entropy and rsample,
    and the total's gradients with respect to the parameters, brought to the host."""
    case = CASES[name]
    params = [_t(p).to(device).requires_grad_(True) for p in case.fixed]
    d = case.make(*params)
    x = d.sample((3,)) if x is None else x.to(device)
    total = d.log_prob(x).sum()
    if name != "RelaxedOneHotCategorical":  # (PyTorch has no KL between two relaxed one-hots)
        total = total + kl_divergence(d, d).sum()
    if case.entropy is not None:
        total = total + d.entropy().sum()
    if d.has_rsample:
        total = total + (d.rsample((2,)) * 0).sum()
    grads = minigan.autograd.grad(total, params, allow_unused=True)
    return x, float(total.detach().to("cpu")), [None if g is None else _np(g.to("cpu")) for g in grads]


@pytest.mark.parametrize("name", list(CASES))
def test_the_cupy_twin_gives_numpys_numbers(name, cuda_device):
    """The same program on the GPU's code path (the strict stand-in for CuPy, or CuPy): a sample drawn from the
    device's own stream, scored there and on the host, gives the same numbers and gradients."""
    x, total, grads = _scored(name, "cuda")
    assert x.device.type == "cuda"
    _, host_total, host_grads = _scored(name, "cpu", x.to("cpu"))
    np.testing.assert_allclose(total, host_total, rtol=1e-12)
    for a, b in zip(grads, host_grads):
        assert (a is None) == (b is None)
        if a is not None:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("statement", [
    "minigan.distributions.Gamma",
    "from minigan.distributions import Gamma",  # (how PyTorch's users write it)
    "from minigan.distributions import Normal, Beta",
    "import minigan.distributions.gamma",  # (torch.distributions.gamma: the module that holds Gamma)
    "from minigan.distributions.gamma import Gamma",
])
def test_a_distribution_minigan_lacks_says_so_in_one_line_however_it_is_imported(statement):
    imported = statement.startswith(("from", "import"))  # (an ImportError there, the class a fallback catches)
    with pytest.raises(ImportError if imported else minigan.NotInMinigan) as refused:
        exec(statement, {"minigan": minigan})
    message = str(refused.value)
    assert len(message.splitlines()) == 1 and "by rejection" in message and "minigan.distributions." in message


def test_a_name_neither_library_has_is_still_pythons_plain_error():
    with pytest.raises(ImportError, match="cannot import name 'Gama'"):
        exec("from minigan.distributions import Gama")
    with pytest.raises(ModuleNotFoundError):
        exec("import minigan.distributions.gama")
    assert not hasattr(minigan.distributions, "Gamma")  # (an AttributeError: feature checks still work)
