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


# name -> (parameter strategies, constructor, closed-form log density in NumPy, closed-form entropy in NumPy)
CASES = {
    "Normal": ((REAL, POSITIVE), Normal,
               lambda x, m, s: -(x - m) ** 2 / (2 * s ** 2) - np.log(s) - 0.5 * np.log(2 * np.pi),
               lambda m, s: 0.5 + 0.5 * np.log(2 * np.pi) + np.log(s)),
}


# the parameters of the statistical tests: two distributions in a batch, away from the edges
FIXED = {"Normal": ([-1.0, 2.0], [0.5, 2.0])}


def _params(data, name, size=3):
    return [np.array(data.draw(st.lists(strategy, min_size=size, max_size=size))) for strategy in CASES[name][0]]


@pytest.mark.parametrize("name", list(CASES))
@settings(max_examples=5)
@given(data=st.data())
def test_log_prob_and_entropy_are_the_closed_forms(name, data):
    strategies, make, log_density, entropy = CASES[name]
    params = _params(data, name)
    d = make(*map(_t, params))
    x = _np(d.sample((4,)))
    np.testing.assert_allclose(_np(d.log_prob(_t(x))), log_density(x, *params), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(_np(d.entropy()), entropy(*params), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", [n for n in CASES if CASES[n][1].has_rsample])
@settings(max_examples=4)
@given(data=st.data())
def test_rsample_gradients_match_finite_differences_to_second_order(name, data):
    """The reparameterization trick: d(sample)/d(parameters), and its derivative again."""
    make = CASES[name][1]
    params = [_t(p, requires_grad=True) for p in _params(data, name, size=2)]

    def draw(*ps):
        minigan.manual_seed(5)  # the same noise at every call: the sample is then a function of the parameters
        return make(*ps, validate_args=False).rsample((3,))

    assert minigan.gradcheck(draw, params)
    assert minigan.gradgradcheck(draw, params)


@pytest.mark.parametrize("name", list(CASES))
@settings(max_examples=4)
@given(data=st.data())
def test_log_prob_gradients_match_finite_differences_to_second_order(name, data):
    make = CASES[name][1]
    params = _params(data, name, size=2)
    x = _np(make(*map(_t, params)).sample((2,)))
    tensors = [_t(p, requires_grad=True) for p in params]
    value = _t(x, requires_grad=True)

    def log_prob(*ps):
        return make(*ps[:-1], validate_args=False).log_prob(ps[-1])

    assert minigan.gradcheck(log_prob, [*tensors, value])
    assert minigan.gradgradcheck(log_prob, [*tensors, value])


@pytest.mark.parametrize("name", list(CASES))
def test_samples_have_the_mean_variance_and_entropy_of_the_distribution(name):
    minigan.manual_seed(11)
    d = CASES[name][1](*map(_t, FIXED[name]))
    x = d.sample((N,))
    mean, var = _np(d.mean), _np(d.variance)
    sample_mean, sample_var = _np(x).mean(0), _np(x).var(0)
    np.testing.assert_allclose(sample_mean, mean, atol=float(5 * np.sqrt(var / N).max()))
    kurtosis_bound = 5 * np.sqrt(2.5 * var ** 2 / N)  # (the variance's standard error, a tail heavier than normal's)
    assert (np.abs(sample_var - var) <= kurtosis_bound).all(), (sample_var, var)
    log_p = _np(d.log_prob(x))
    np.testing.assert_allclose(-log_p.mean(0), _np(d.entropy()), atol=float(5 * log_p.std(0).max() / np.sqrt(N)))


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
KL_PAIRS = {
    "Normal-Normal": (lambda: Normal(_t([0.0, 1.0]), _t([1.0, 0.5])), lambda: Normal(_t([0.5, -1.0]), _t([2.0, 0.7]))),
}


@pytest.mark.parametrize("pair", list(KL_PAIRS))
def test_kl_divergence_matches_monte_carlo(pair):
    p, q = (make() for make in KL_PAIRS[pair])
    minigan.manual_seed(7)
    x = p.sample((N,))
    ratio = _np(p.log_prob(x) - q.log_prob(x))
    np.testing.assert_allclose(_np(kl_divergence(p, q)), ratio.mean(0), atol=float(5 * ratio.std(0).max() / np.sqrt(N)))


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


def test_on_the_strict_stand_in_for_cupy_the_numbers_are_numpys(xp_backend):
    """The CuPy twin: the same program on the GPU's code path (draws come from the device's own stream)."""
    loc, scale = minigan.tensor([0.5, -1.0], dtype=minigan.float64), minigan.tensor([1.5, 0.2], dtype=minigan.float64)
    loc, scale = loc.to(minigan.device("cuda" if xp_backend is not np else "cpu")), scale.to(loc.device)
    loc.requires_grad_(True)
    d, q = Normal(loc, scale), Normal(0.0, 1.0)
    x = d.rsample((3,))
    total = d.log_prob(x).sum() + d.entropy().sum() + kl_divergence(d, q.expand((2,))).sum() + d.cdf(x).sum()
    total.backward()
    ref = Normal(_t([0.5, -1.0], True), _t([1.5, 0.2]))
    xr = _t(x.detach().to("cpu").numpy())
    ref_total = ref.log_prob(xr).sum() + ref.entropy().sum() + kl_divergence(ref, Normal(0.0, 1.0).expand((2,))).sum()
    np.testing.assert_allclose(float(total.detach().to("cpu")), float(ref_total + ref.cdf(xr).sum()), rtol=1e-12)
    assert x.device == loc.device
