"""``python -m minigan train ebgan`` and ``train ali``: the GANs' outputs, exact resume, ``sample`` and one-line errors
(tiny runs)."""

import json

import pytest

from minigan.__main__ import main
from minigan.engine.backend import np
from minigan.serialization import load
from product.helpers_cli import assert_resume_is_exact, train

LOSSES = {"ebgan": {"loss_d", "loss_g", "energy_real", "energy_fake"}, "ali": {"loss_d", "loss_g", "d_real", "d_fake"}}



@pytest.mark.parametrize("algorithm", ["ebgan", "ali"])
def test_writes_metrics_pictures_and_a_checkpoint_that_sample_draws_from(tmp_path, capsys, algorithm):
    rc, out = train(tmp_path, algorithm, "--data", "ring:4")
    assert rc == 0
    said = capsys.readouterr().out
    assert f"{algorithm} on ring:4, seed 3: 20 steps" in said and "modes" in said
    metrics = json.loads((out / "metrics.json").read_text())
    assert metrics["status"] == "ok" and metrics["config"]["algorithm"] == algorithm
    assert {"modes_covered", "high_quality", "reverse_kl"} <= set(metrics["final"])
    assert LOSSES[algorithm] | {"step"} <= set(metrics["losses"]) and [e["step"] for e in metrics["evals"]] == [10, 20]
    for png in ("samples.png", "losses.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ckpt = load(out / "checkpoint.npz")
    assert ckpt["trainer"]["algorithm"] == algorithm and ckpt["step"] == 20
    if algorithm == "ali":
        assert set(ckpt["trainer"]) >= {"generator", "encoder", "discriminator", "opt_g", "opt_d"}
        assert metrics["final"]["reconstruction_error"] > 0  # G(E(x)) against x, on fresh data
    assert main(["sample", str(out), "--n", "50"]) == 0
    assert np.load(out / "sample-s0.npy").shape == (50, 2)


@pytest.mark.parametrize("algorithm", ["ebgan", "ali"])
def test_resume_reproduces_the_uninterrupted_run_exactly(tmp_path, monkeypatch, algorithm):
    from minigan.gans.ali import ALI
    from minigan.gans.ebgan import EBGAN

    args = [algorithm, "--data", "ring:4", "--checkpoint-every", "5"]
    nets = ("generator", "discriminator", "encoder") if algorithm == "ali" else ("generator", "discriminator")
    assert_resume_is_exact(tmp_path, monkeypatch, args, {"ebgan": EBGAN, "ali": ALI}[algorithm], nets)


def test_ali_on_digits_draws_image_samples_and_reconstructs(tmp_path, digits_reference):
    rc, out = train(tmp_path, "ali", "--data", "digits")
    assert rc == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert 0 < metrics["final"]["pixel_std"] and metrics["final"]["classes_covered"] >= 1
    assert main(["sample", str(out), "--n", "16"]) == 0
    images = np.load(out / "sample-s0.npy")
    assert images.shape == (16, 1, 8, 8) and np.abs(images).max() <= 1
    from minigan.cli.sample import load_run

    exp = load_run(out)[0]
    x = exp.sample_real(4)
    assert tuple(exp.trainer.encode(x).shape) == (4, exp.config["latent_dim"])
    assert tuple(exp.trainer.reconstruct(x).shape) == (4, 1, 8, 8)


@pytest.mark.parametrize("extra,words", [
    (["ebgan", "--k", "2"], "ebgan has no k: its auto-encoder D"),
    (["ali", "--k", "2"], "ali has no k: its discriminator and its generator and encoder step together"),
    (["ebgan", "--loss", "minimax"], "--loss applies to gan and cgan; ebgan"),
    (["ali", "--pack", "2"], "--pack (PacGAN) applies to gan"),
    (["ebgan", "--animate"], "--animate draws gan, wgan, wgan-gp"),
])
def test_settings_that_do_not_apply_are_one_line_errors(tmp_path, capsys, extra, words):
    rc, out = train(tmp_path, *extra)
    err = capsys.readouterr().err
    assert rc == 2 and words in err and len(err.strip().splitlines()) == 1
    assert not out.exists()
