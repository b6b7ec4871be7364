"""Classifier-based digits metrics against closed forms."""

import re

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


def test_frechet_from_stats_matches_closed_forms_exactly():
    # 1-D: (μ1 − μ2)² + (σ1 − σ2)²
    assert M.frechet_distance_from_stats([1.0], [[4.0]], [-2.0], [[9.0]]) == pytest.approx(9.0 + 1.0)
    # diagonal covariances: Σ (μa−μb)² + (√a_i − √b_i)²
    va, vb = np.array([1.0, 4.0, 0.25]), np.array([9.0, 1.0, 0.25])
    expected = 1.0 + ((np.sqrt(va) - np.sqrt(vb)) ** 2).sum()
    got = M.frechet_distance_from_stats(np.zeros(3), np.diag(va), np.array([1.0, 0, 0]), np.diag(vb))
    assert got == pytest.approx(expected, rel=1e-10)
    # a full covariance against itself, and commuting matrices (S and 4S: Tr = (1 − 2)² Tr S)
    rng = np.random.default_rng(1)
    q = rng.standard_normal((5, 5))
    s = q @ q.T + 0.1 * np.eye(5)
    assert M.frechet_distance_from_stats(np.ones(5), s, np.ones(5), s) == pytest.approx(0.0, abs=1e-9)
    assert M.frechet_distance_from_stats(np.zeros(5), s, np.zeros(5), 4 * s) == pytest.approx(np.trace(s), rel=1e-9)


def test_frechet_of_1d_samples_and_rank_deficient_features():
    rng = np.random.default_rng(2)
    x, y = 1.0 + 2.0 * rng.standard_normal(100000), -1.0 + 0.5 * rng.standard_normal(100000)
    assert M.frechet_distance(x, y) == pytest.approx(4.0 + 1.5**2, rel=0.02)
    # more dimensions than samples (singular covariances): still finite, >= 0, symmetric
    a, b = rng.standard_normal((20, 64)), rng.standard_normal((30, 64)) + 0.5
    fab, fba = M.frechet_distance(a, b), M.frechet_distance(b, a)
    assert np.isfinite(fab) and fab > 0 and fab == pytest.approx(fba, rel=1e-6)


def test_histogram_accepts_scores_and_kl_accepts_counts():
    scores = np.eye(10)[[3, 3, 5, 5]]
    assert M.class_histogram(scores)[[3, 5]].tolist() == [0.5, 0.5]
    assert M.kl_to_uniform([5, 5]) == pytest.approx(0.0, abs=1e-12)
    assert M.kl_to_uniform([0, 0, 7]) == pytest.approx(np.log(3))
    assert M.class_coverage(np.array([0] * 98 + [1, 2]), min_fraction=0.05) == 1


def _fixed_linear_classifier():
    """A 'classifier' that predicts the class whose indicator pixel (0..9 of the flat image) is brightest."""
    from minigan import nn

    model = nn.Sequential(nn.Flatten(), nn.Linear(64, 10))
    w = np.zeros((10, 64), np.float32)
    w[np.arange(10), np.arange(10)] = 1.0
    model[1].weight.array[...] = w
    model[1].bias.array[...] = 0.0
    return model


def test_conditional_accuracy_with_a_fixed_linear_classifier():
    import minigan

    model = _fixed_linear_classifier()
    classes = np.arange(20) % 10
    images = np.zeros((20, 1, 8, 8), np.float32)
    images.reshape(20, 64)[np.arange(20), classes] = 1.0    # image i "draws" class i % 10
    intended = classes.copy()
    intended[:5] = (intended[:5] + 1) % 10                    # 5 of 20 were asked for another class
    assert M.conditional_accuracy(model, images, intended) == pytest.approx(0.75)
    assert M.conditional_accuracy(model, minigan.tensor(images), minigan.tensor(intended)) == pytest.approx(0.75)
    # a tanh generator's images in [-1, 1]: value_range maps them to [0, 1] first
    assert M.conditional_accuracy(model, 2 * images - 1, intended, value_range=(-1, 1)) == pytest.approx(0.75)
    assert not model[1].weight.requires_grad or model[1].weight.grad is None   # no graph, no gradient


def test_bad_inputs_name_the_function_and_shapes():
    model = _fixed_linear_classifier()
    with pytest.raises(ValueError, match=r"conditional_accuracy.*\(4, 1, 8, 8\).*\(3,\)"):
        M.conditional_accuracy(model, np.zeros((4, 1, 8, 8), np.float32), np.zeros(3, np.int64))
    with pytest.raises(ValueError, match=r"conditional_accuracy.*\(4, 8, 8\)"):
        M.conditional_accuracy(model, np.zeros((4, 8, 8), np.float32), np.zeros(4, np.int64))
    with pytest.raises(ValueError, match="conditional_accuracy.*NaN"):
        M.conditional_accuracy(model, np.full((2, 64), np.nan, np.float32), np.zeros(2, np.int64))
    with pytest.raises(ValueError, match=r"frechet_distance.*\(1, 3\)"):
        M.frechet_distance(np.zeros((1, 3)), np.zeros((5, 3)))
    with pytest.raises(ValueError, match="frechet_distance.*NaN"):
        M.frechet_distance(np.full((5, 2), np.nan), np.zeros((5, 2)))
    with pytest.raises(ValueError, match="kl_to_uniform"):
        M.kl_to_uniform([1.0, -1.0])
    with pytest.raises(ValueError, match=r"image_metrics.*\(3,\)"):
        M.image_metrics(model, np.zeros((4, 64), np.float32), np.zeros((8, 64), np.float32),
                        intended_labels=np.zeros(3, np.int64))


def test_image_metrics_keys_and_floor_with_an_untrained_judge():
    """Fast: an untrained CNN's features still separate noise from digits (the trained judge is the slow test)."""
    import minigan
    from minigan.classifier import build
    from minigan.data.digits import load_digits

    minigan.manual_seed(0)
    judge = build("mlp")
    real, labels = load_digits("all", scale="01")
    noise = np.random.default_rng(0).random((200, 1, 8, 8)).astype(np.float32)
    out = M.image_metrics(judge, noise, real[:600], intended_labels=labels[:200])
    assert {"num_samples", "classes_covered", "class_counts", "kl_to_uniform", "frechet_distance",
            "frechet_floor", "frechet_samples", "conditional_accuracy"} <= set(out)
    assert out["frechet_samples"] == 200 and sum(out["class_counts"]) == 200
    assert out["frechet_floor"] < out["frechet_distance"] / 3
    # noise lies off the real manifold and reaches none of it; two real halves come close to each other
    for name in ("precision", "recall", "density", "coverage"):
        assert out[name] < 0.1 < 0.5 < out[f"{name}_real_vs_real"], name
    assert judge.training  # restored: build() returns a model in training mode


@pytest.mark.parametrize("value_range", [(1, 0), (0, 0), (0, float("nan")), (0, float("inf")), (0,), 5, ("a", "b")])
def test_a_bad_value_range_is_refused_alike_by_every_door(value_range, tmp_path):
    from minigan import viz

    images = np.zeros((2, 1, 8, 8), np.float32)
    expected = r"got value_range=.*, expected \(low, high\) with finite low < high, such as \(0, 1\) or \(-1, 1\)$"
    with pytest.raises(ValueError, match="^conditional_accuracy: " + expected):
        M.conditional_accuracy(_fixed_linear_classifier(), images, np.zeros(2, np.int64), value_range=value_range)
    with pytest.raises(ValueError, match="^image_grid: " + expected):
        viz.image_grid(images[:, 0], tmp_path / "grid.png", value_range=value_range)


@pytest.mark.parametrize("value", [1.0, -0.1, float("nan"), "x", None, 2])
def test_a_fraction_outside_0_1_is_refused_alike_by_every_door(value, tmp_path):
    from minigan import arguments, viz

    for door, name, call in [
        ("class_coverage", "min_fraction", lambda: M.class_coverage(np.zeros(4, np.int64), min_fraction=value)),
        ("loss_curves", "smooth", lambda: viz.loss_curves({"D": [1.0, 2.0]}, tmp_path / "c.png", smooth=value)),
        ("who", "rate", lambda: arguments.fraction("who", "rate", value)),
    ]:
        with pytest.raises(ValueError, match=re.escape(f"{door}: got {name}={value!r}, expected a number in [0, 1)")):
            call()
