"""The commands a learner reaches for after the first run: sample, csv:PATH data, dcgan, and what the runs print.

Each test runs the real command line in-process on a few steps; what it checks is what a user sees:
a picture drawn from a checkpoint, their own points learned, one confidence per ε, error reported by
both attack commands, a verdict in words at the end of an image run, and losses.png's equilibrium lines.
"""

from __future__ import annotations

import json
import math
import re
import types

import pytest

from minigan.__main__ import main
from minigan.cli import summary
from minigan.cli import train as train_cli
from minigan.engine.backend import np
from product.helpers_cli import one_line

TINY = ["--eval-every", "2", "--batch-size", "16", "--no-progress"]


# ----------------------------------------------------------------------------- sample
@pytest.fixture(scope="module")
def ring_run(tmp_path_factory):
    """One 4-step gan run on ring:4, trained once for the tests below that sample from its checkpoint: sample
    reads a run and writes only where --out says, so they share it."""
    run = tmp_path_factory.mktemp("ring") / "run"
    assert main(["train", "gan", "--data", "ring:4", "--steps", "4", *TINY, "--out", str(run)]) == 0
    return run


@pytest.fixture(scope="module")
def dcgan_run(tmp_path_factory, digits_reference):
    """One 2-step dcgan run on digits (its evaluation loads the reference CNN), shared the same way."""
    run = tmp_path_factory.mktemp("dcgan") / "dcgan"
    assert main(["train", "dcgan", "--steps", "2", *TINY, "--out", str(run)]) == 0
    return run


def test_sample_draws_from_a_runs_checkpoint_and_never_overwrites(ring_run, tmp_path, capsys):
    run = ring_run
    grid = tmp_path / "grid.png"
    assert main(["sample", str(run), "--n", "30", "--out", str(grid)]) == 0
    assert grid.stat().st_size > 0 and "drew 30 samples" in capsys.readouterr().out
    assert main(["sample", str(run), "--out", str(grid)]) == 2
    assert "already exists" in one_line(capsys)
    assert main(["sample", str(run / "checkpoint.npz"), "--out", str(grid), "--force", "--seed", "3"]) == 0
    assert main(["sample", str(run), "--labels", "1", "--out", str(tmp_path / "x.png")]) == 2
    assert "--labels draws chosen classes from a cgan" in one_line(capsys)


def test_sample_a_conditional_gan_draws_the_classes_asked_for(tmp_path, monkeypatch, digits_reference):
    import minigan.viz as viz

    run = tmp_path / "cgan"
    assert main(["train", "cgan", "--data", "digits", "--steps", "2", *TINY, "--out", str(run)]) == 0
    drawn = {}
    monkeypatch.setattr(viz, "image_grid", lambda images, path, **kw: drawn.update(images=images, **kw) or str(path))
    assert main(["sample", str(run), "--labels", "3", "7", "--n", "4", "--out", str(tmp_path / "37.png")]) == 0
    assert tuple(drawn["images"].shape) == (8, 1, 8, 8) and drawn["row_labels"] == [3, 7] and drawn["nrow"] == 4


def test_sample_gives_the_same_picture_for_the_same_seed(ring_run):
    from minigan.cli.sample import load_run

    exp, _, name = load_run(ring_run)
    assert name == "gan"
    import minigan

    minigan.manual_seed(5)
    a = exp.trainer.sample(10).detach().numpy()
    minigan.manual_seed(5)
    assert np.array_equal(a, exp.trainer.sample(10).detach().numpy())
    assert exp.trainer.step == 4  # the trained weights, not a fresh network


def test_sample_also_writes_the_samples_as_an_array_beside_the_picture(ring_run, tmp_path, capsys):
    run = ring_run
    grid = tmp_path / "grid.png"
    assert main(["sample", str(run), "--n", "30", "--seed", "5", "--out", str(grid)]) == 0
    said = capsys.readouterr().out
    array = np.load(tmp_path / "grid.npy")
    assert array.shape == (30, 2) and array.dtype == np.float32 and np.isfinite(array).all()
    assert str(tmp_path / "grid.npy") in said and "(30, 2)" in said
    grid.unlink()  # the array alone is kept too: refused without --force
    assert main(["sample", str(run), "--n", "30", "--out", str(grid)]) == 2
    assert "grid.npy" in one_line(capsys)
    assert main(["sample", str(run), "--n", "30", "--seed", "5", "--out", str(grid), "--force"]) == 0
    assert np.array_equal(np.load(tmp_path / "grid.npy"), array)  # the same seed draws the same samples


# ----------------------------------------------------------------------------- csv:PATH
def _points(path, n=300, header=True):
    rng = np.random.default_rng(0)
    angle = rng.uniform(0, 2 * np.pi, n)
    xy = np.stack([np.cos(angle), np.sin(angle)], 1) * 3 + rng.normal(0, 0.1, (n, 2))
    rows = ["x,y"] if header else []
    path.write_text("\n".join(rows + [f"{a:.5f},{b:.5f}" for a, b in xy]) + "\n")
    return path


def test_train_on_your_own_csv_points(tmp_path, capsys):
    data = _points(tmp_path / "circle.csv")
    out = tmp_path / "run"
    assert main(["train", "gan", "--data", f"csv:{data}", "--steps", "4", *TINY, "--out", str(out)]) == 0
    final = json.loads((out / "metrics.json").read_text())["final"]
    assert 0.0 <= final["precision"] <= 1.0 and 0.0 <= final["recall"] <= 1.0
    printed = capsys.readouterr().out
    assert "precision" in printed and "recall" in printed and (out / "samples.png").stat().st_size > 0


@pytest.mark.parametrize("text,needle", [
    ("x,y\n1,2,3\n", "row 1 is '1,2,3', expected two numbers x,y"),
    ("1,2\n", "holds 1 points, expected at least 2"),
    ("1,2\n1,2\n1,2\n", "every point is the same"),
    ("1,2\nnan,3\n", "row 2 has x = nan"),
])
def test_bad_csv_points_are_one_line_errors(tmp_path, capsys, text, needle):
    path = tmp_path / "p.csv"
    path.write_text(text)
    assert main(["train", "gan", "--data", f"csv:{path}", "--steps", "2", "--out", str(tmp_path / "r")]) == 2
    assert needle in one_line(capsys)


def test_points_metrics_see_collapse_and_spray():
    from minigan.metrics.points import points_metrics

    rng = np.random.default_rng(1)
    real = rng.normal(0, 1, (1000, 2))
    same = points_metrics(rng.normal(0, 1, (1000, 2)), real)
    assert same["precision"] > 0.9 and same["recall"] > 0.9
    collapsed = points_metrics(rng.normal(0, 0.05, (1000, 2)), real)
    assert collapsed["precision"] > 0.9 and collapsed["recall"] < 0.3
    sprayed = points_metrics(rng.uniform(-20, 20, (1000, 2)), real)
    assert sprayed["precision"] < 0.2


# ----------------------------------------------------------------------------- dcgan
def test_train_dcgan_is_gan_with_dcgans_convnets_on_images(dcgan_run, tmp_path, capsys):
    config = json.loads((dcgan_run / "metrics.json").read_text())["config"]
    assert config["algorithm"] == "gan" and config["arch"] == "conv" and config["data"] == "digits"
    assert main(["train", "dcgan", "--data", "ring", "--out", str(tmp_path / "no")]) == 2
    assert "dcgan trains convolutional networks on images" in one_line(capsys)


def test_sample_titles_a_dcgan_run_dcgan_not_the_gan_it_runs(dcgan_run, tmp_path, monkeypatch, digits_reference):
    import minigan.viz as viz

    run = dcgan_run
    titles = []
    monkeypatch.setattr(viz, "image_grid", lambda images, path, **kw: titles.append(kw["title"]) or str(path))
    assert main(["sample", str(run), "--n", "4", "--out", str(tmp_path / "d.png")]) == 0
    assert titles[-1].startswith("dcgan on digits, step 2"), titles
    assert main(["train", "gan", "--data", "digits", "--steps", "2", *TINY, "--out", str(tmp_path / "gan")]) == 0
    assert main(["sample", str(tmp_path / "gan"), "--n", "4", "--out", str(tmp_path / "g.png")]) == 0
    assert titles[-1].startswith("gan on digits, step 2"), titles


# ----------------------------------------------------------------------------- what the runs print and draw
@pytest.mark.parametrize("algorithm,loss,expected", [
    ("gan", "non-saturating", {"loss_d": math.log(4), "loss_g": math.log(2)}),
    ("gan", "minimax", {"loss_d": math.log(4), "loss_g": -math.log(2)}),
    ("wgan", None, {}),
])
def test_losses_png_marks_the_equilibrium_values(tmp_path, monkeypatch, algorithm, loss, expected):
    import minigan.viz as viz

    seen = {}
    real = viz.loss_curves
    monkeypatch.setattr(viz, "loss_curves", lambda *a, **kw: seen.update(kw) or real(*a, **kw))
    extra = ["--loss", loss] if loss else []
    assert main(["train", algorithm, "--data", "ring:4", "--steps", "4", *TINY, *extra,
                 "--out", str(tmp_path / "r")]) == 0
    lines = {name: value for name, (value, _) in seen["references"].items()}
    assert lines == pytest.approx(expected)


def test_fgsm_prints_one_confidence_per_eps_and_attack_speaks_of_error(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    args = ["fgsm", "--model", "mlp", "--epochs", "1", "--limit", "120", "--eps", "0.1", "0.25"]
    assert main([*args, "--out", str(tmp_path / "f")]) == 0
    printed = capsys.readouterr().out
    assert "mean confidence" not in printed
    for eps in ("0.1", "0.25"):
        line = next(line for line in printed.splitlines() if line.strip().startswith(f"eps={eps}"))
        (value,) = re.findall(r"confidence when wrong\s+([\d.]+)%", line)
        row = next(line for line in printed.splitlines() if line.startswith(f"confidence when wrong, ε={eps}"))
        assert f"{value}%" in row  # the table shows the same number as the line


def test_an_image_run_ends_with_a_verdict_in_words():
    final = {"frechet_distance": 40.0, "frechet_floor": 10.0, "classes_covered": 4, "class_counts": [1] * 10,
             "kl_to_uniform": 0.9, "sample_diversity": 0.2}
    words = " ".join(summary.image_verdict(final, 0.3))
    assert "4 of 10 classes: mode collapse" in words and "4× the floor" in words
    images = np.zeros((4, 1, 8, 8), np.float32) + np.arange(4)[:, None, None, None]
    exp = types.SimpleNamespace(kind="images", algorithm="gan", images=images)
    assert "mode collapse" in train_cli._final_report(exp, final, 10)
    good = dict(final, frechet_distance=15.0, classes_covered=10)
    assert "all 10 classes" in " ".join(summary.image_verdict(good, 0.3))
