"""The noise prior p_z: N(0, I) or U(−1, 1) per coordinate, chosen per trainer, recipe, command line and lab run."""

import inspect
import json

import pytest

import minigan
from minigan import nn, optim
from minigan.__main__ import main
from minigan.engine.backend import np
from minigan.gans import BEGAN, CGAN, GAN, WGAN, WGANGP
from minigan.gans.gan import PRIORS, prior_draw, prior_extent
from minigan.gans.recipes import build_experiment
from minigan.serialization import load, save


def trainer(cls, prior, latent_dim=3):
    minigan.manual_seed(0)
    G, D = nn.Identity(), nn.Linear(latent_dim, 1)
    opt_g, opt_d = optim.SGD(D.parameters(), lr=0.1), optim.SGD(D.parameters(), lr=0.1)
    extra = {"num_classes": 2} if cls is CGAN else {}
    return cls(G, D, opt_g, opt_d, latent_dim, **extra, prior=prior)


@pytest.mark.parametrize("cls", [GAN, CGAN, WGAN, WGANGP, BEGAN])
def test_each_trainer_draws_from_its_prior(cls):
    z = trainer(cls, "uniform").noise(200_000).detach().numpy()
    assert z.dtype == np.float32 and z.shape == (200_000, 3)
    assert z.min() >= -1.0 and z.max() < 1.0
    np.testing.assert_allclose(z.mean(0), 0.0, atol=0.01)
    np.testing.assert_allclose(z.var(0), 1 / 3, atol=0.01)          # Var U(−1, 1) = 1/3
    np.testing.assert_allclose(np.histogram(z[:, 0], bins=4, range=(-1, 1))[0] / 200_000, 0.25, atol=0.01)
    z = trainer(cls, "normal").noise(200_000).detach().numpy()
    np.testing.assert_allclose(z.var(0), 1.0, atol=0.02)
    assert np.abs(z).max() > 3.0                                     # a normal's tails reach beyond the square
    assert trainer(cls, "normal").prior == "normal" == inspect.signature(cls).parameters["prior"].default


def test_the_noise_follows_the_seed_and_sample_uses_it():
    a, b = trainer(GAN, "uniform"), trainer(GAN, "uniform")
    minigan.manual_seed(7)
    za = a.noise(5).detach().numpy()
    minigan.manual_seed(7)
    np.testing.assert_array_equal(za, b.noise(5).detach().numpy())
    x = a.sample(1000).detach().numpy()  # G is the identity: its samples are the prior's draws
    assert x.min() >= -1.0 and x.max() < 1.0


def test_an_unknown_prior_is_refused_at_the_door():
    with pytest.raises(ValueError, match=r"GAN: got prior='gaussian', expected one of \('normal', 'uniform'\)"):
        trainer(GAN, "gaussian")
    with pytest.raises(ValueError, match="prior='cauchy'"):
        build_experiment("gan", "ring", prior="cauchy")


def test_the_views_draw_their_fixed_points_from_the_same_prior():
    rng = np.random.default_rng(0)
    u = prior_draw("uniform", rng, (100_000, 2))
    assert u.min() >= -1.0 and u.max() < 1.0 and abs(u.var() - 1 / 3) < 0.01
    n = prior_draw("normal", rng, (100_000, 2))
    assert abs(n.var() - 1.0) < 0.02
    assert prior_extent("uniform") == 1.0
    # N(0, 1): 98.8% of the mass within ±2.5 (erf(2.5/√2))
    assert np.mean(np.abs(n) <= prior_extent("normal")) == pytest.approx(0.9876, abs=0.002)
    assert set(PRIORS) == {"normal", "uniform"}


def test_the_recipes_prior_and_an_override():
    assert build_experiment("gan", "ring:6", seed=0).trainer.prior == "uniform"    # 2-D gan: the uniform square
    assert build_experiment("gan", "grid:6", seed=0).config["prior"] == "uniform"
    for algorithm, data in (("wgan", "ring"), ("wgan-gp", "ring"), ("began", "ring"), ("gan", "digits")):
        assert build_experiment(algorithm, data, seed=0).trainer.prior == "normal", (algorithm, data)
    assert build_experiment("gan", "ring", seed=0, prior="normal").trainer.prior == "normal"
    assert build_experiment("wgan-gp", "ring", seed=0, prior="uniform").trainer.prior == "uniform"


BASE = ["--steps", "6", "--seed", "1", "--eval-every", "3", "--no-progress", "--batch-size", "16"]


def test_train_takes_prior_and_resume_keeps_it(tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", "gan", "--data", "ring:4", *BASE, "--prior", "normal", "--out", str(out)]) == 0
    assert json.loads((out / "metrics.json").read_text())["config"]["prior"] == "normal"
    # resuming under the recipe's prior (uniform) is refused, naming the setting
    rc = main(["train", "gan", "--data", "ring:4", *BASE, "--out", str(out), "--resume"])
    err = capsys.readouterr().err
    assert rc == 2 and "prior='normal'" in err and "prior='uniform'" in err and err.count("\n") == 1
    assert main(["train", "gan", "--data", "ring:4", *BASE, "--prior", "normal", "--out", str(out), "--resume"]) == 0
    rc = main(["train", "gan", "--data", "ring:4", *BASE, "--prior", "laplace", "--out", str(tmp_path / "x")])
    assert rc == 2 and "invalid choice: 'laplace'" in capsys.readouterr().err


def test_a_checkpoint_from_before_the_prior_setting_resumes_as_normal(tmp_path, capsys):
    out = tmp_path / "old"
    assert main(["train", "wgan", "--data", "ring:4", *BASE, "--out", str(out)]) == 0
    ckpt = load(out / "checkpoint.npz")
    del ckpt["config"]["prior"]  # as written before the setting existed: z was N(0, I)
    save(ckpt, out / "checkpoint.npz")
    assert main(["train", "wgan", "--data", "ring:4", *BASE, "--out", str(out), "--resume"]) == 0
    assert main(["train", "wgan", "--data", "ring:4", *BASE, "--prior", "uniform", "--out", str(out),
                 "--resume"]) == 2
    assert "prior='normal'" in capsys.readouterr().err
