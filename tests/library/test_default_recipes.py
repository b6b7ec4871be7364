"""The 2-D GAN's default recipe adapts to the mixture (mode count, spread) by rule, and overrides still win."""

import numpy as np
import pytest

import minigan
from minigan.data.toy2d import grid_mixture, ring_mixture
from minigan.gans.models import MLPDiscriminator, MLPGenerator
from minigan.gans.recipes import DEFAULTS, PLAIN_GAN, build_experiment, mixture_settings


def test_the_rule_keeps_the_recipe_measured_on_the_8_mode_ring():
    base = DEFAULTS[("gan", "mixture")]
    got = mixture_settings(ring_mixture(8))
    assert {k: got[k] for k in ("batch_size", "steps", "hidden")} == {
        "batch_size": base["batch_size"], "steps": base["steps"], "hidden": tuple(base["hidden"])}


@pytest.mark.parametrize("k", [1, 3, 5, 8, 12, 20, 33, 64, 100, 400])
def test_every_mode_has_about_16_samples_per_batch_and_nothing_shrinks_below_the_ring_recipe(k):
    got = mixture_settings(ring_mixture(k))
    assert got["batch_size"] >= max(256, 16 * k) and got["batch_size"] < max(256, 16 * k) + 64
    assert got["batch_size"] % 64 == 0
    assert got["steps"] >= 10_000 and got["steps"] % 1000 == 0
    assert got["hidden"][0] >= 128 and len(set(got["hidden"])) == 1


def test_more_modes_never_get_a_smaller_recipe():
    sizes = [mixture_settings(ring_mixture(k)) for k in range(1, 200, 3)]
    for small, big in zip(sizes, sizes[1:]):
        assert big["batch_size"] >= small["batch_size"] and big["hidden"][0] >= small["hidden"][0]
        assert big["steps"] >= small["steps"] and big["pack"] == small["pack"] == 2


def test_pairs_and_2500_steps_a_mode():
    """Pack 2 and 2,500 steps a mode for every K, rounded up to 1,000, at least the 8-mode ring's 20,000. The
    width: 128, then 128·√(K/25) from the 25-mode grid on, rounded up to 32."""
    for k in (1, 4, 5, 6, 8, 9, 10, 11, 12, 16, 36, 64, 100, 400):
        got = mixture_settings(ring_mixture(k))
        want = max(20_000, 2_500 * k)
        assert got["pack"] == 2
        assert want <= got["steps"] < want + 1000 and got["steps"] % 1000 == 0
        width = 128 * (k / 25) ** 0.5
        assert got["hidden"][0] == 128 if width <= 128 else width <= got["hidden"][0] < width + 32
    grid8 = mixture_settings(grid_mixture(8))  # the largest grid of the range (demos/results.md)
    assert grid8["pack"] == 2 and grid8["batch_size"] == 1024 and grid8["steps"] == 160_000
    assert grid8["hidden"][0] == 224


def test_wgan_gp_takes_750_steps_a_mode_and_at_least_its_recipe():
    """WGAN-GP's steps: its recipe's 6,000 up to 8 modes, then 750 a mode (12,000 on ring:16, 48,000 on grid:8);
    its batch and scale are the GAN's."""
    base = DEFAULTS[("wgan-gp", "mixture")]["steps"]
    previous = 0
    for k in (1, 5, 8, 9, 10, 16, 25, 36, 64, 100):
        gan, gp = mixture_settings(ring_mixture(k)), mixture_settings(ring_mixture(k), "wgan-gp")
        assert gp["steps"] == max(base, 750 * k) >= previous
        assert {key: gp[key] for key in ("batch_size", "data_scale")} == {key: gan[key] for key in
                                                                           ("batch_size", "data_scale")}
        previous = gp["steps"]
    assert mixture_settings(ring_mixture(8), "wgan-gp")["steps"] == base  # the ring the recipe was measured on
    assert build_experiment("wgan-gp", "grid:8", seed=0).default_steps == 48_000
    assert build_experiment("wgan-gp", "ring:16", seed=0, steps=500).default_steps == 500  # overrides still win


def test_the_recipe_packs_pairs_draws_z_uniformly_and_pack_1_is_the_plain_gan():
    from minigan.gans.models import PackedDiscriminator

    exp = build_experiment("gan", "ring:6", seed=0)
    assert exp.config["pack"] == 2 and isinstance(exp.trainer.D, PackedDiscriminator)
    assert exp.trainer.prior == "uniform"
    x = minigan.randn(8, 2)
    assert exp.trainer.D(x).shape == (4, 1)  # one verdict per pair of points
    plain = build_experiment("gan", "ring:6", seed=0, **PLAIN_GAN)
    assert isinstance(plain.trainer.D, MLPDiscriminator) and plain.trainer.D(x).shape == (8, 1)
    assert plain.trainer.prior == "normal"
    assert build_experiment("gan", "grid:6", seed=0).config["pack"] == 2  # many modes: still pairs
    # D learns at G's rate; d_lr_ratio=2 (Heusel et al.'s two time scales) gives D twice it
    assert exp.config["d_lr_ratio"] == 1.0 and plain.config["d_lr_ratio"] == 1.0
    assert exp.trainer.opt_d.param_groups[0]["lr"] == exp.trainer.opt_g.param_groups[0]["lr"]
    fast_d = build_experiment("gan", "ring:6", seed=0, d_lr_ratio=2.0).trainer
    assert fast_d.opt_d.param_groups[0]["lr"] == 2 * fast_d.opt_g.param_groups[0]["lr"]
    assert build_experiment("wgan-gp", "ring:6", seed=0).config.get("pack", 1) == 1  # only gan packs
    with pytest.raises(ValueError, match="not a multiple of pack=2.*pack=1"):
        build_experiment("gan", "ring", seed=0, batch_size=33)


def test_sizes_follow_the_mode_count_and_the_scale_the_spread():
    """A ring and a grid with the same number of modes get the same sizes (no per-dataset table); the
    scale is the data's spread √(mean x² per coordinate), here in closed form."""
    for ring, grid in ((ring_mixture(16), grid_mixture(4)), (ring_mixture(36), grid_mixture(6))):
        a, b = mixture_settings(ring), mixture_settings(grid)
        keys = ("pack", "batch_size", "steps", "hidden")
        assert {k: a[k] for k in keys} == {k: b[k] for k in keys}
    # a ring of radius 1: mean x² per coordinate = 1/2; a 4x4 grid at spacing 2: coordinates ±1, ±3 → 5
    assert mixture_settings(ring_mixture(8))["data_scale"] == pytest.approx(np.sqrt(0.5 + 0.01 ** 2), abs=1e-4)
    assert mixture_settings(grid_mixture(4))["data_scale"] == pytest.approx(np.sqrt(5 + 0.05 ** 2), abs=1e-4)


def test_the_networks_work_in_units_of_the_data_spread():
    minigan.manual_seed(0)
    G1, D1 = MLPGenerator(2, (2,), (8,)), MLPDiscriminator((2,), (8,))
    minigan.manual_seed(0)
    G3, D3 = MLPGenerator(2, (2,), (8,), scale=3.0), MLPDiscriminator((2,), (8,), scale=3.0)
    z, x = minigan.randn(5, 2), minigan.randn(5, 2)
    np.testing.assert_allclose(G3(z).detach().numpy(), 3.0 * G1(z).detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(D3(3.0 * x).detach().numpy(), D1(x).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_build_experiment_uses_the_rule_and_explicit_settings_win():
    exp = build_experiment("gan", "grid:6", seed=0)
    rule = mixture_settings(grid_mixture(6))
    assert exp.batch_size == rule["batch_size"] and exp.default_steps == rule["steps"]
    assert exp.config["hidden"] == list(rule["hidden"]) and exp.trainer.G.scale == rule["data_scale"]
    exp = build_experiment("gan", "grid:6", seed=0, batch_size=64, steps=123, hidden=(32, 32))
    assert exp.batch_size == 64 and exp.default_steps == 123 and exp.config["hidden"] == [32, 32]
    # WGAN-GP takes the batch and data-scale rules and its own steps rule, and keeps its width; WGAN keeps its recipe
    gp = build_experiment("wgan-gp", "grid:6", seed=0)
    assert gp.batch_size == rule["batch_size"] and gp.trainer.G.scale == rule["data_scale"]
    assert gp.default_steps == mixture_settings(grid_mixture(6), "wgan-gp")["steps"] == 27_000
    assert gp.config["hidden"] == list(DEFAULTS[("wgan-gp", "mixture")]["hidden"])
    assert build_experiment("wgan", "grid:6", seed=0).batch_size == DEFAULTS[("wgan", "mixture")]["batch_size"]


@pytest.mark.slow
@pytest.mark.parametrize("data", ["ring:5", "grid:4"])  # grid:4: 40,000 steps, about 2.5 CPU-minutes
def test_default_gan_covers_a_mixture_it_was_not_tuned_on(data):
    exp = build_experiment("gan", data, seed=0)
    for _ in range(exp.default_steps):
        exp.train_step()
    m = exp.evaluate()
    assert m["modes_covered"] >= 0.9 * m["num_modes"]
    assert m["high_quality"] >= 0.9


def test_the_long_dcgan_recipe_is_25_epochs_of_the_short_one():
    from minigan.gans.recipes import DCGAN_28, DCGAN_28_EPOCH_STEPS, DCGAN_28_LONG

    epochs = DCGAN_28_LONG["steps"] * DCGAN_28_LONG["batch_size"] / 60_000  # Fashion-MNIST's training set
    assert epochs == pytest.approx(25, abs=0.01)
    assert DCGAN_28_EPOCH_STEPS * DCGAN_28["batch_size"] >= 60_000  # an epoch sees every image once, on average
    assert {k: v for k, v in DCGAN_28_LONG.items() if k != "steps"} == {k: v for k, v in DCGAN_28.items()
                                                                         if k != "steps"}


@pytest.mark.parametrize("decay", [True, False])
def test_set_lr_moves_both_rates_and_the_decay_continues_from_the_new_one(decay):
    """``Experiment.set_lr(lr)`` mid-run: G's rate is lr·factor(step), D's d_lr_ratio times that, at this step and
    every later one (the lab steers a run through it)."""
    exp = build_experiment("gan", "ring", seed=0, lr_decay=decay, d_lr_ratio=1.5, steps=100)
    for _ in range(3):
        exp.train_step(100)
    exp.set_lr(2e-3)
    for _ in range(4):
        factor = exp.lr_factor(exp.trainer.step) if decay else 1.0
        exp.train_step(100)  # (its schedulers set the rate of this step before it runs)
        g, d = exp.trainer.opt_g.param_groups[0]["lr"], exp.trainer.opt_d.param_groups[0]["lr"]
        assert g == pytest.approx(2e-3 * factor, rel=1e-12) and d == pytest.approx(3e-3 * factor, rel=1e-12)
    assert exp.config["lr"] == 2e-3
