"""``python -m minigan train vae`` and ``train aae``: the GANs' outputs, exact resume, ``sample`` and one-line errors
(tiny runs)."""

import json

import pytest

from minigan.__main__ import main
from minigan.engine.backend import np
from minigan.serialization import load
from product.helpers_cli import assert_resume_is_exact, train


def test_vae_writes_metrics_with_its_elbo_pictures_and_a_checkpoint_that_sample_draws_from(tmp_path, capsys):
    rc, out = train(tmp_path, "vae", "--data", "ring:4")
    assert rc == 0
    said = capsys.readouterr().out  # 20 steps miss modes: the summary speaks of the VAE, not of a GAN
    assert "GAN" not in said and "generator" not in said and "The VAE's decoder covers" in said, said
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["status"] == "ok" and metrics["config"]["algorithm"] == "vae"
    assert {"modes_covered", "high_quality", "elbo"} <= set(metrics["final"])
    assert {"step", "loss", "kl", "reconstruction"} <= set(metrics["losses"])
    loss = np.array(metrics["losses"]["loss"])
    assert np.allclose(loss, np.array(metrics["losses"]["kl"]) + metrics["losses"]["reconstruction"], atol=1e-4)
    for png in ("samples.png", "losses.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ckpt = load(out / "checkpoint.npz")
    assert ckpt["trainer"]["algorithm"] == "vae" and set(ckpt["trainer"]) >= {"encoder", "decoder", "opt_encoder"}
    assert main(["sample", str(out), "--n", "50"]) == 0
    assert np.load(out / "sample-s0.npy").shape == (50, 2)


@pytest.mark.parametrize("algorithm,data", [("vae", "ring:4"), ("aae", "ring:4")])
def test_resume_reproduces_the_uninterrupted_run_exactly(tmp_path, monkeypatch, algorithm, data):
    from minigan.gans.aae import AAE
    from minigan.gans.vae import VAE

    args = [algorithm, "--data", data, "--checkpoint-every", "5"]
    assert_resume_is_exact(tmp_path, monkeypatch, args, {"vae": VAE, "aae": AAE}[algorithm],
                           ("encoder", "decoder", "discriminator") if algorithm == "aae" else ("encoder", "decoder"))


def test_the_categorical_aae_resumes_exactly(tmp_path, monkeypatch):
    """The AAE with a categorical code (a recipe with ``categorical`` = 4): both discriminators and all three
    optimizers come back from the checkpoint."""
    from minigan.gans.aae import AAE
    from minigan.gans.recipes import DEFAULTS

    monkeypatch.setitem(DEFAULTS[("aae", "mixture")], "categorical", 4)
    assert_resume_is_exact(tmp_path, monkeypatch, ["aae", "--data", "ring:4", "--checkpoint-every", "5"], AAE,
                           ("encoder", "decoder", "discriminator", "discriminator_cat"))


def test_aae_on_digits_draws_image_samples(tmp_path, digits_reference):  # (judged by the reference CNN)
    rc, out = train(tmp_path, "aae", "--data", "digits")
    assert rc == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert {"loss_recon", "loss_d", "loss_g", "d_prior", "d_code"} <= set(metrics["losses"])
    assert 0 < metrics["final"]["pixel_std"] and metrics["final"]["classes_covered"] >= 1
    assert main(["sample", str(out), "--n", "16"]) == 0
    images = np.load(out / "sample-s0.npy")
    assert images.shape == (16, 1, 8, 8) and np.abs(images).max() <= 1


@pytest.mark.parametrize("extra,words", [
    (["vae", "--k", "2"], "vae has no k: it has no discriminator"),
    (["aae", "--loss", "minimax"], "--loss applies to gan and cgan"),
    (["vae", "--prior", "uniform"], "aae, takes any prior"),
    (["vae", "--pack", "2"], "--pack (PacGAN) applies to gan"),
])
def test_settings_that_do_not_apply_are_one_line_errors(tmp_path, capsys, extra, words):
    rc, out = train(tmp_path, *extra)
    err = capsys.readouterr().err
    assert rc == 2 and words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("algorithm,name", [("vae", "VAE"), ("aae", "adversarial autoencoder")])
def test_the_summary_speaks_of_the_model_that_ran(algorithm, name):
    """A missed mode, class or part of the data is told of the VAE or the AAE that ran: neither starts collapsed
    as a GAN does, and PacGAN is no remedy of theirs."""
    from minigan.cli import summary

    ring = {"num_modes": 8, "modes_covered": 3, "high_quality": 0.2, "reverse_kl": 1.2}
    images = {"classes_covered": 3, "class_counts": [1] * 10, "frechet_distance": 90.0, "frechet_floor": 5.0}
    points = {"precision": 0.9, "recall": 0.3}
    for short in (True, False):
        said = " ".join(summary.mixture_verdict(ring, 100 if short else 5000, 5000, False, model=algorithm))
        assert "GAN" not in said and "generator" not in said and "collapse" not in said, said
        assert f"The {name}'s decoder covers 3 of 8 modes" in said and ("--steps 5000" in said) == short, said
    for said in (summary.image_verdict(images, model=algorithm), summary.points_verdict(points, model=algorithm),
                 summary.image_verdict({"sample_diversity": 0.01}, 0.2, model=algorithm)):
        said = " ".join(said)
        assert "GAN" not in said and "generator" not in said and "collapse" not in said, said
        assert f"{name}'s decoder" in said, said
    gan = " ".join(summary.mixture_verdict(ring, 100, 5000, False))  # (a GAN's run: as before)
    assert gan.startswith("The generator covers 3 of 8 modes") and "A GAN starts collapsed" in gan
