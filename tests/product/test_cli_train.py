"""``python -m minigan train``: outputs, exact resume, clear one-line errors (tiny runs)."""

import json

import pytest

from minigan.__main__ import main
from minigan.engine.backend import np
from minigan.serialization import load

BASE = ["--steps", "20", "--seed", "3", "--eval-every", "10", "--no-progress"]


def train(tmp_path, *extra, name="run"):
    out = tmp_path / name
    return main(["train", *extra, *BASE, "--out", str(out)]), out


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """train(*extra), run once per module for each set of options: tests that only read a run share it."""
    runs = {}

    def run(*extra):
        if extra not in runs:
            runs[extra] = train(tmp_path_factory.mktemp("run"), *extra)
        return runs[extra]

    return run


# A gan run with every setting a resume must keep away from its default: the tests below each resume it with one
# setting changed, which is refused (before the run folder is touched) naming that setting.
KEPT = ["gan", "--data", "ring", "--batch-size", "32", "--k", "3", "--d-lr-ratio", "3", "--instance-noise", "0.2",
        "--r1", "0.2"]


@pytest.fixture(scope="module")
def kept_run(trained):
    rc, out = trained(*KEPT)
    assert rc == 0
    return out


def resume_changing(out, option, value):
    """Resume the KEPT run in ``out`` with ``option`` set to ``value`` (None: left out), every other setting kept."""
    argv = list(KEPT)
    at = argv.index(option)
    argv[at:at + 2] = [] if value is None else [option, value]
    return main(["train", *argv, *BASE, "--out", str(out), "--resume"])


def test_writes_metrics_pictures_and_checkpoint(tmp_path):
    rc, out = train(tmp_path, "gan", "--data", "ring", "--batch-size", "32")
    assert rc == 0
    metrics = json.loads((out / "metrics.json").read_text())
    assert {"config", "final", "evals", "losses", "status", "wall_seconds"} <= set(metrics)
    assert metrics["status"] == "ok" and metrics["step"] == 20
    assert {"modes_covered", "high_quality", "reverse_kl"} <= set(metrics["final"])
    assert [e["step"] for e in metrics["evals"]] == [10, 20]
    assert {"step", "loss_d", "loss_g", "d_real", "d_fake"} <= set(metrics["losses"])
    assert metrics["config"]["algorithm"] == "gan" and metrics["config"]["seed"] == 3
    for png in ("samples.png", "losses.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    ckpt = load(out / "checkpoint.npz")
    assert ckpt["step"] == 20 and ckpt["trainer"]["step"] == 20


@pytest.mark.budget(2, cover=False)  # two algorithms drawn by default, all four under -m parity
@pytest.mark.parametrize("algorithm,data", [("gan", "ring:4"), ("wgan", "grid:3"), ("wgan-gp", "ring:4"),
                                            ("began", "ring:4")])
def test_resume_reproduces_the_uninterrupted_run_exactly(tmp_path, monkeypatch, trained, algorithm, data):
    from minigan.gans import BEGAN, GAN, WGAN, WGANGP

    args = [algorithm, "--data", data, "--batch-size", "16", "--checkpoint-every", "5"]
    rc, full = trained(*args)  # (gan's is also the plain run the --animate test compares with)
    assert rc == 0
    trainer_cls = {"gan": GAN, "wgan": WGAN, "wgan-gp": WGANGP, "began": BEGAN}[algorithm]
    real_step = trainer_cls.train_step

    def interrupted(self, sample_real):  # stopped at once in step 13 (a second Ctrl-C): the checkpoint stays at 10
        if self.step == 12:
            raise KeyboardInterrupt
        return real_step(self, sample_real)

    with monkeypatch.context() as m:
        m.setattr(trainer_cls, "train_step", interrupted)
        rc, out = train(tmp_path, *args, name="split")
    assert rc == 130 and load(out / "checkpoint.npz")["step"] == 10
    rc, _ = train(tmp_path, *args, "--resume", name="split")
    assert rc == 0
    a, b = (json.loads((d / "metrics.json").read_text()) for d in (full, out))
    assert a["final"] == {**b["final"], "eval_seconds": a["final"]["eval_seconds"]}
    assert a["losses"] == b["losses"]
    assert [e["step"] for e in b["evals"]] == [10, 20]
    ca, cb = load(full / "checkpoint.npz"), load(out / "checkpoint.npz")
    for net in ("generator", "discriminator"):
        for k, v in ca["trainer"][net].items():
            np.testing.assert_array_equal(v, cb["trainer"][net][k])


def test_resume_without_checkpoint_or_with_other_settings_fails_clearly(tmp_path, capsys, kept_run):
    rc, _ = train(tmp_path, "gan", "--data", "ring", "--resume")
    assert rc == 2 and "no checkpoint" in capsys.readouterr().err
    rc = resume_changing(kept_run, "--batch-size", "16")  # trained with 32
    err = capsys.readouterr().err
    assert rc == 2 and "batch_size" in err


@pytest.mark.parametrize("argv,needle", [
    (["began", "--k", "2"], "began has no k: its balance is the control variable k_t"),
    (["wgan-gp", "--k", "2"], "wgan-gp has no k: its critic takes n_critic = 5"),
    (["wgan-gp", "--pack", "2"], "--pack (PacGAN) applies to gan on 2-D data"),
    (["cgan", "--data", "digits", "--pack", "2"], "not to cgan on digits; leave --pack out"),
    (["dcgan", "--pack", "2"], "--pack (PacGAN) applies to gan on 2-D data"),
    (["dcgan", "--d-lr-ratio", "2"], "--d-lr-ratio (D's learning rate over G's) applies to gan on 2-D data"),
    (["wgan-gp", "--d-lr-ratio", "2"], "not to wgan-gp on ring"),
])
def test_flags_of_another_algorithm_are_refused_with_what_it_has_instead(tmp_path, capsys, argv, needle):
    rc = main(["train", *argv, "--steps", "5", "--no-progress", "--out", str(tmp_path / "x")])
    err = capsys.readouterr().err
    assert rc == 2 and needle in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()  # refused before a run folder is made


def test_k_sets_algorithm_1s_discriminator_steps_and_a_resume_keeps_it(tmp_path, capsys, kept_run):
    assert json.loads((kept_run / "metrics.json").read_text())["config"]["k"] == 3
    rc = resume_changing(kept_run, "--k", "1")
    assert rc == 2 and "k=3" in capsys.readouterr().err  # a run resumes with the k it was trained with
    rc = main(["train", "wgan", "--data", "ring", "--k", "2", "--steps", "5", "--no-progress",
               "--out", str(tmp_path / "w")])
    assert rc == 2 and "wgan has no k: its critic takes n_critic = 5" in capsys.readouterr().err
    from minigan.gans.recipes import DEFAULTS
    assert {cfg["k"] for (algorithm, _), cfg in DEFAULTS.items() if algorithm in ("gan", "cgan")} == {1}  # --k's help


def test_d_lr_ratio_sets_ds_learning_rate_and_a_resume_keeps_it(capsys, kept_run):
    from minigan.gans.recipes import build_experiment
    exp = build_experiment("gan", "ring", d_lr_ratio=3.0)  # Heusel et al.'s two time scales: D's lr = 3 × G's
    assert exp.trainer.opt_d.param_groups[0]["lr"] == pytest.approx(3 * exp.trainer.opt_g.param_groups[0]["lr"])
    assert json.loads((kept_run / "metrics.json").read_text())["config"]["d_lr_ratio"] == 3.0
    rc = resume_changing(kept_run, "--d-lr-ratio", "1")
    assert rc == 2 and "d_lr_ratio=3.0" in capsys.readouterr().err


@pytest.mark.parametrize("option,key,refusal", [
    ("--instance-noise", "instance_noise", "--instance-noise (noise on D's inputs) applies to gan on 2-D data"),
    ("--r1", "r1", "--r1 (the penalty on D's gradient at real data) applies to gan on 2-D data"),
])
def test_d_regularisers_reach_the_trainer_and_a_resume_keeps_them(tmp_path, capsys, kept_run, option, key,
                                                                refusal):
    from minigan.cli.main import build_parser
    from minigan.cli.train import _resume_command
    out = kept_run
    config = json.loads((out / "metrics.json").read_text())["config"]
    assert config[key] == 0.2
    rc = resume_changing(out, option, None)
    assert rc == 2 and f"{key}=0.2" in capsys.readouterr().err  # resumed without it: refused, named
    args = build_parser().parse_args(["train", "gan", "--data", "ring", option, "0.2"])
    assert f"{option} 0.2" in _resume_command(args, out, 20)  # the command printed on a stop keeps it
    rc = main(["train", "wgan-gp", "--data", "ring", *BASE, option, "0.1", "--out", str(tmp_path / "w")])
    assert rc == 2 and refusal in capsys.readouterr().err


@pytest.mark.parametrize("argv,needle", [
    (["--r1", "-1"], "--r1 must be in [0, 1000], got -1.0"),
    (["--r1", "inf"], "--r1 must be a finite number, got inf"),
    (["--instance-noise", "-0.5"], "--instance-noise must be in [0, 10], got -0.5"),
    (["--instance-noise", "nan"], "--instance-noise must be a finite number, got nan"),
    (["--data", "moons"], "unknown data 'moons'"),
    (["--data", "ring:x"], "unknown data 'ring:x'"),
    (["--data", "idx:/no/such/folder"], "no such folder"),
    (["--optimizer", "adagrad"], "unknown optimizer 'adagrad'"),
    (["--loss", "hinge"], "unknown loss 'hinge'"),
    (["--steps", "0"], "--steps must be a positive integer"),
    (["--k", "0"], "--k must be a positive integer"),
    (["--d-lr-ratio", "-1"], "--d-lr-ratio must be in (0, 100], got -1.0"),
])
def test_user_mistakes_exit_2_with_one_line(tmp_path, capsys, argv, needle):
    rc = main(["train", "gan", *argv, "--steps", "5", "--no-progress", "--out", str(tmp_path / "x")][:2 + len(argv)]
              + ["--out", str(tmp_path / "x"), "--no-progress"] + ([] if "--steps" in argv else ["--steps", "5"]))
    err = capsys.readouterr().err
    assert rc == 2
    assert needle in err and err.count("\n") == 1, err


def test_cgan_needs_labelled_data(tmp_path, capsys):
    rc, _ = train(tmp_path, "cgan", "--data", "ring")
    assert rc == 2 and "labelled" in capsys.readouterr().err


def test_divergence_stops_with_a_clear_message(tmp_path, capsys, monkeypatch):
    from minigan.gans import gan

    real_step = gan.GAN.train_step

    def step(self, sample_real):
        out = real_step(self, sample_real)
        return dict(out, loss_d=float("nan")) if self.step == 7 else out

    monkeypatch.setattr(gan.GAN, "train_step", step)
    rc, out = train(tmp_path, "gan", "--data", "ring", "--batch-size", "16", "--checkpoint-every", "5")
    err = capsys.readouterr().err
    assert rc == 2 and "diverged at step 7" in err and "step 5" in err
    assert load(out / "checkpoint.npz")["step"] == 5
    assert json.loads((out / "metrics.json").read_text())["status"].startswith("diverged")


def test_non_finite_weights_with_finite_losses_are_never_saved_as_good(tmp_path, capsys, monkeypatch):
    from minigan import no_grad
    from minigan.gans import gan

    real_step = gan.GAN.train_step

    def step(self, sample_real):
        out = real_step(self, sample_real)
        if self.step == 10:  # the update overflowed a weight, but the loss it reports was computed before
            with no_grad():
                next(iter(self.G.parameters())).fill_(float("inf"))
        return out

    monkeypatch.setattr(gan.GAN, "train_step", step)
    rc, out = train(tmp_path, "gan", "--data", "ring", "--batch-size", "16", "--checkpoint-every", "5")
    err = capsys.readouterr().err
    assert rc == 2 and "diverged at step 10 (non-finite weights)" in err and "step 5" in err
    assert load(out / "checkpoint.npz")["step"] == 5


def test_image_data_writes_an_image_grid(tmp_path, digits_reference):
    rc, out = train(tmp_path, "gan", "--data", "digits", "--batch-size", "16")
    assert rc == 0
    final = json.loads((out / "metrics.json").read_text())["final"]
    assert final["pixel_std"] > 0 and final["num_samples"] > 0
    assert (out / "samples.png").exists()


def test_animate_writes_a_gif_and_leaves_the_training_unchanged(tmp_path, trained):
    from PIL import Image

    args = ["gan", "--data", "ring:4", "--batch-size", "16", "--checkpoint-every", "5"]
    rc, plain = trained(*args)  # (the uninterrupted run the resume test above compares with)
    assert rc == 0
    rc, out = train(tmp_path, *args, "--animate", name="animated")
    assert rc == 0
    a, b = (json.loads((d / "metrics.json").read_text()) for d in (plain, out))
    assert a["losses"] == b["losses"]  # capturing frames draws no random numbers and sets no gradients
    assert [{k: v for k, v in e.items() if k != "eval_seconds"} for e in a["evals"]] == \
        [{k: v for k, v in e.items() if k != "eval_seconds"} for e in b["evals"]]
    with Image.open(out / "training.gif") as gif:
        assert gif.format == "GIF" and gif.n_frames >= 2  # step 0, then a frame every steps/60 steps
    assert not (plain / "training.gif").exists()


def test_animate_is_refused_for_image_data_in_one_line(tmp_path, capsys):
    rc, out = train(tmp_path, "gan", "--data", "digits", "--animate")
    err = capsys.readouterr().err
    assert rc == 2 and "--animate draws" in err and err.count("\n") == 1
    assert not (out / "checkpoint.npz").exists()
