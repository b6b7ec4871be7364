"""minigan.metrics.mixture: the VEEGAN/PacGAN mode metrics on 2-D mixtures."""

import math

import pytest

from minigan.data import toy2d
from minigan.engine.backend import np
from minigan.metrics import mixture_metrics, mode_metrics

HQ_PERFECT = 1 - math.exp(-4.5)  # mass of a 2-D Gaussian within 3 std of its centre, ~0.9889


@pytest.mark.parametrize("spec", ["ring", "grid"])
def test_exact_samples_score_perfectly(spec):
    mix = toy2d.parse_dataset(spec)
    x = mix.sample(2500, rng=np.random.default_rng(0))
    r = mixture_metrics(x, mix)
    assert r["modes_covered"] == r["num_modes"] == mix.num_modes
    assert r["high_quality"] == pytest.approx(HQ_PERFECT, abs=0.01)
    assert 0.0 <= r["reverse_kl"] < 0.02
    assert sum(r["mode_counts"]) == round(r["high_quality"] * 2500) and len(r["mode_counts"]) == mix.num_modes
    assert r["num_samples"] == 2500


@pytest.mark.parametrize("spec", ["ring", "grid", "ring:3"])
def test_one_mode_collapse(spec):
    mix = toy2d.parse_dataset(spec)
    rng = np.random.default_rng(1)
    x = mix.modes[2] + mix.std * rng.standard_normal((2500, 2)).astype(np.float32)
    r = mode_metrics(x, mix.modes, mix.std)
    assert r["modes_covered"] == 1
    assert r["reverse_kl"] == pytest.approx(math.log(mix.num_modes), abs=1e-12)
    assert r["mode_counts"][2] == sum(r["mode_counts"])


def test_half_the_modes():
    mix = toy2d.parse_dataset("ring")
    rng = np.random.default_rng(2)
    which = rng.integers(0, 4, 4000)
    x = mix.modes[which] + 0.01 * rng.standard_normal((4000, 2))
    r = mixture_metrics(x, mix)
    assert r["modes_covered"] == 4
    assert r["reverse_kl"] == pytest.approx(math.log(2), abs=0.01)  # uniform over half: log(8/4)


def test_far_samples_are_not_high_quality():
    mix = toy2d.parse_dataset("grid")
    x = np.full((100, 2), 1.0)  # halfway between grid points: 1.41 away from every centre
    r = mixture_metrics(x, mix)
    assert r["high_quality"] == 0.0 and r["modes_covered"] == 0
    assert r["reverse_kl"] == pytest.approx(math.log(25))  # the documented convention
    assert r["mode_counts"] == [0] * 25


def test_min_count_and_threshold():
    modes = np.array([[0.0, 0.0], [10.0, 0.0]])
    x = np.array([[0.0, 0.0]] * 5 + [[10.0, 0.0]] * 2 + [[0.0, 0.5]])
    r = mode_metrics(x, modes, std=0.1)
    assert r["modes_covered"] == 2 and r["mode_counts"] == [5, 2] and r["high_quality"] == 7 / 8
    assert mode_metrics(x, modes, std=0.1, min_count=3)["modes_covered"] == 1
    assert mode_metrics(x, modes, std=0.1, threshold=6.0)["mode_counts"] == [6, 2]
    # exactly on the boundary counts as high quality (distance <= 3 std)
    assert mode_metrics(np.array([[0.0, 3.0]]), modes, std=1.0)["high_quality"] == 1.0


def test_non_finite_samples_count_as_low_quality():
    modes = toy2d.ring_modes()
    x = np.concatenate([modes, [[np.nan, 0.0], [np.inf, -np.inf]]])
    r = mode_metrics(x, modes, 0.01)
    assert r["modes_covered"] == 8 and r["high_quality"] == pytest.approx(8 / 10)


def test_accepts_lists_and_objects_with_data():
    class FakeTensor:  # anything with .array, like a minigan Tensor
        def __init__(self, data):
            self.array = data

    modes = toy2d.ring_modes()
    r1 = mode_metrics(FakeTensor(modes.astype(np.float32)), modes.tolist(), 0.01)
    assert r1["modes_covered"] == 8 and r1["high_quality"] == 1.0


def test_real_tensor_if_available():
    minigan = pytest.importorskip("minigan")
    if not hasattr(minigan, "tensor"):
        pytest.skip("minigan.tensor not available yet")
    modes = toy2d.ring_modes()
    assert mode_metrics(minigan.tensor(modes), modes, 0.01)["modes_covered"] == 8


@pytest.mark.parametrize(
    "samples, modes, std, kw, match",
    [
        (np.zeros((5, 3)), np.zeros((2, 2)), 0.1, {}, r"samples of shape \(5, 3\), expected \(N, 2\)"),
        (np.zeros(10), np.zeros((2, 2)), 0.1, {}, r"samples of shape \(10,\)"),
        (np.zeros((0, 2)), np.zeros((2, 2)), 0.1, {}, r"N >= 1"),
        (np.zeros((5, 2)), np.zeros((2, 3)), 0.1, {}, r"modes of shape \(2, 3\), expected \(K, 2\)"),
        (np.zeros((5, 2)), np.zeros((0, 2)), 0.1, {}, r"K >= 1"),
        (np.zeros((5, 2)), np.zeros((2, 2)), 0.0, {}, r"std=0.0"),
        (np.zeros((5, 2)), np.zeros((2, 2)), -1.0, {}, r"std=-1.0"),
        (np.zeros((5, 2)), np.zeros((2, 2)), float("nan"), {}, r"std=nan"),
        (np.zeros((5, 2)), np.zeros((2, 2)), 0.1, {"threshold": 0}, r"threshold=0"),
        (np.zeros((5, 2)), np.zeros((2, 2)), 0.1, {"min_count": 0}, r"min_count=0"),
        (np.zeros((5, 2)), np.array([[np.nan, 0.0]]), 0.1, {}, r"NaN"),
    ],
)
def test_bad_inputs_raise(samples, modes, std, kw, match):
    with pytest.raises(ValueError, match="mode_metrics: got " if "NaN" not in match else "mode_metrics"):
        mode_metrics(samples, modes, std, **kw)
    with pytest.raises(ValueError, match=match):
        mode_metrics(samples, modes, std, **kw)


def test_bad_types_raise():
    with pytest.raises(TypeError, match="mode_metrics: got samples of dtype"):
        mode_metrics(np.array([["a", "b"]]), np.zeros((1, 2)), 0.1)
    with pytest.raises(TypeError, match="mixture_metrics: got mixture of type str"):
        mixture_metrics(np.zeros((2, 2)), "ring")


def test_cupy_samples_give_the_same_numbers(cuda_device):
    from minigan.engine import backend

    mix = toy2d.parse_dataset("grid")
    x = mix.sample(2500, rng=np.random.default_rng(3))
    assert mixture_metrics(backend.to_device(x, "cuda"), mix) == mixture_metrics(x, mix)
