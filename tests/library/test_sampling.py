"""The samplers against their distributions: multinomial with replacement draws each category at its weight, without
replacement as sequential sampling, and bernoulli and normal draw theirs.

(Its comparisons with PyTorch: tests/pytorch/test_random.py.)"""

import numpy as np
import pytest

import minigan
from library.helpers_sampling import N


def test_multinomial_with_replacement_draws_each_category_at_its_weight():
    minigan.manual_seed(0)
    weights = np.array([[1.0, 0.0, 6.0, 3.0], [5.0, 5.0, 0.0, 0.0]])
    draws = minigan.multinomial(minigan.tensor(weights), N, replacement=True)
    assert draws.dtype == minigan.int64 and draws.shape == (2, N)
    for row, w in zip(draws.detach().numpy(), weights):
        frequency = np.bincount(row, minlength=4) / N
        np.testing.assert_allclose(frequency, w / w.sum(), atol=4 * np.sqrt(0.25 / N))  # within 4 standard errors


def test_multinomial_without_replacement_draws_as_sequential_sampling():
    """P(first = a) = w_a; P(second = c) = Σ_a w_a · w_c / (1 − w_a): drawing, removing and renormalising."""
    minigan.manual_seed(1)
    w = np.array([0.1, 0.0, 0.6, 0.3])
    draws = minigan.multinomial(minigan.tensor(np.tile(w, (N, 1))), 2).detach().numpy()
    assert (draws[:, 0] != draws[:, 1]).all() and not (draws == 1).any()
    second = [sum(w[a] * w[c] / (1 - w[a]) for a in range(4) if a != c) for c in range(4)]
    np.testing.assert_allclose(np.bincount(draws[:, 0], minlength=4) / N, w, atol=4 * np.sqrt(0.25 / N))
    np.testing.assert_allclose(np.bincount(draws[:, 1], minlength=4) / N, second, atol=4 * np.sqrt(0.25 / N))


def test_bernoulli_and_normal_draw_their_distributions():
    minigan.manual_seed(2)
    p = minigan.tensor(np.linspace(0.0, 1.0, 5), dtype=minigan.float32).reshape(5, 1).expand(5, N)
    draws = minigan.bernoulli(p)
    assert draws.dtype == minigan.float32 and set(np.unique(draws.detach().numpy())) <= {0.0, 1.0}
    np.testing.assert_allclose(draws.detach().numpy().mean(axis=1), np.linspace(0.0, 1.0, 5),
                               atol=4 * np.sqrt(0.25 / N))
    assert float(minigan.zeros(N).bernoulli_(0.25).mean()) == pytest.approx(0.25, abs=0.01)
    samples = minigan.normal(minigan.tensor([[-2.0], [3.0]]).expand(2, N), minigan.tensor([0.5, 2.0]).reshape(2, 1))
    np.testing.assert_allclose(samples.detach().numpy().mean(axis=1), [-2.0, 3.0], atol=0.05)
    np.testing.assert_allclose(samples.detach().numpy().std(axis=1), [0.5, 2.0], rtol=0.02)
    assert float(minigan.normal(1.0, 3.0, size=(N,)).std()) == pytest.approx(3.0, rel=0.02)
