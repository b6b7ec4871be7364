"""Classifier-based digits metrics against closed forms."""

import numpy as np
import pytest

from minigan.metrics import images as M


def test_frechet_distance_closed_forms():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((20000, 3))
    assert M.frechet_distance(a, a) == pytest.approx(0.0, abs=1e-9)
    # independent Gaussians, diagonal covariances: Σ (μa−μb)² + (σa−σb)²
    mu_a, mu_b = np.array([0.0, 1.0, -1.0]), np.array([2.0, 1.0, 0.0])
    sd_a, sd_b = np.array([1.0, 2.0, 0.5]), np.array([3.0, 1.0, 0.5])
    x = mu_a + sd_a * rng.standard_normal((200000, 3))
    y = mu_b + sd_b * rng.standard_normal((200000, 3))
    expected = ((mu_a - mu_b) ** 2).sum() + ((sd_a - sd_b) ** 2).sum()
    assert M.frechet_distance(x, y) == pytest.approx(expected, rel=0.02)
    assert M.frechet_distance(x, y) == pytest.approx(M.frechet_distance(y, x), rel=1e-9)


def test_histogram_coverage_and_kl():
    uniform = np.arange(100) % 10
    assert M.kl_to_uniform(M.class_histogram(uniform)) == pytest.approx(0.0, abs=1e-12)
    assert M.class_coverage(uniform) == 10
    one = np.full(50, 7)
    assert M.kl_to_uniform(M.class_histogram(one)) == pytest.approx(np.log(10))
    assert M.class_coverage(one) == 1
    assert M.conditional_accuracy(np.array([1, 2, 3, 3]), np.array([1, 2, 3, 4])) == 0.75


def test_bad_inputs_raise():
    with pytest.raises(ValueError, match="frechet_distance"):
        M.frechet_distance(np.zeros((10, 3)), np.zeros((10, 4)))
    with pytest.raises(ValueError, match="class_histogram"):
        M.class_histogram(np.array([0, 11]))
    with pytest.raises(ValueError, match="conditional_accuracy"):
        M.conditional_accuracy(np.array([1, 2]), np.array([1]))


@pytest.mark.slow
def test_real_vs_real_floor_is_below_real_vs_noise():
    from minigan.classifier import reference_classifier
    from minigan.data.digits import load_digits

    real, labels = load_digits("all", scale="01")
    clf = reference_classifier("cnn")
    noise = np.random.default_rng(0).random((800, 1, 8, 8)).astype(np.float32)
    out = M.image_metrics(clf, noise, real)
    assert out["frechet_floor"] < out["frechet_distance"] / 5
    real_out = M.image_metrics(clf, real[:800], real[800:], intended_labels=labels[:800])
    assert real_out["conditional_accuracy"] > 0.97 and real_out["classes_covered"] == 10
