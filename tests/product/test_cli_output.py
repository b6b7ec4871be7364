"""What ``python -m minigan`` tells its user: the final table (each metric, its meaning and reference value),
the metrics during training, the defaults in --help, a run folder never overwritten silently, an
interrupted run's resume command, and fgsm's message before it trains its reference classifier."""

import json
import math
import shlex

import pytest

from minigan.__main__ import main
from minigan.cli import summary
from minigan.data.toy2d import ring_mixture
from minigan.gans.recipes import ALGORITHMS, DEFAULTS, mixture_settings

BASE = ["--seed", "3", "--eval-every", "10", "--batch-size", "16", "--steps", "20"]


def train(out, *extra, progress=False):
    return main(["train", "gan", "--data", "ring:4", *BASE, *([] if progress else ["--no-progress"]), *extra,
                 "--out", str(out)])


def test_the_reference_values_follow_from_the_metrics_definitions():
    # a 2-D Gaussian keeps P(|x - mu| <= 3 sigma) = 1 - exp(-9/2) of its mass: the chi-square tail with 2 dof
    rng = __import__("numpy").random.default_rng(0)
    x = rng.standard_normal((400_000, 2))
    assert summary.PERFECT_HIGH_QUALITY == pytest.approx(((x ** 2).sum(1) <= 9).mean(), abs=2e-3)
    rows = {r[0]: r for r in summary.mixture_rows({"num_modes": 25, "modes_covered": 25, "high_quality": 0.5,
                                                   "reverse_kl": 0.1, "mode_counts": [1] * 25})}
    assert f"log 25 = {math.log(25):.2f}" in rows["reverse KL"][3] and "98.9%" in rows["high quality"][3]
    assert rows["modes covered"][1] == "25 / 25" and rows["high quality"][1] == "50.0%"


def test_the_final_summary_is_a_table_of_meanings_and_references(tmp_path, capsys):
    assert train(tmp_path / "run") == 0
    said = capsys.readouterr().out
    final = json.loads((tmp_path / "run" / "metrics.json").read_text())["final"]
    lines = said.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("metric"))
    assert {"value", "what it measures", "reference"} <= {c.strip() for c in lines[head].split("  ")}
    assert set(lines[head + 1]) <= {"-", " "}  # the rule under the header
    table = "\n".join(lines[head:head + 5])
    assert f"{final['modes_covered']} / 4" in table and f"{100 * final['high_quality']:.1f}%" in table
    assert "98.9% for a perfect sampler" in table and f"log 4 = {math.log(4):.2f}" in table
    assert "{" not in said  # no raw Python dict any more
    if final["modes_covered"] < 4:  # 20 steps: it missed modes, and says why and what to try
        assert f"--steps {mixture_settings(ring_mixture(4))['steps']}" in said and "seed" in said  # the recipe's


def test_metrics_appear_in_the_progress_display_at_each_evaluation(tmp_path, capsys):
    assert train(tmp_path / "run", progress=True) == 0
    err = capsys.readouterr().err
    evals = json.loads((tmp_path / "run" / "metrics.json").read_text())["evals"]
    for e in evals:
        assert f"step {e['step']}/20: {e['modes_covered']}/4 modes, {100 * e['high_quality']:.1f}% high quality" in err


def test_help_shows_every_default_and_each_recipes_steps_and_run_time(capsys):
    assert main(["train", "--help"]) == 0
    text = capsys.readouterr().out
    flat = " ".join(text.split())  # argparse wraps the option help
    assert "run time" in flat and "2-core CPU" in flat and "(default: 0)" in flat  # --seed
    rows = [line.split() for line in text.splitlines() if line.startswith("  ") and line.split()
            and line.split()[0] in ALGORITHMS]
    for (algorithm, kind), cfg in DEFAULTS.items():
        if algorithm in ALGORITHMS and not (algorithm == "cgan" and kind == "mixture"):
            assert any(r[0] == algorithm and str(cfg["steps"]) in r and str(cfg["batch_size"]) in r for r in rows), \
                (algorithm, kind)
    gan_ring = next(r for r in rows if r[0] == "gan" and r[1] == "ring,")
    assert "min" in gan_ring  # a measured time, not "not timed"


def test_an_existing_run_is_refused_then_resumed_or_replaced(tmp_path, capsys):
    out = tmp_path / "run"
    assert train(out) == 0
    before = (out / "metrics.json").read_bytes()
    (out / "training.gif").write_bytes(b"GIF89a from an older run")
    capsys.readouterr()
    assert train(out) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "already holds a run" in err and "--resume" in err and "--force" in err
    assert "gan on ring:4, step 20" in err
    assert (out / "metrics.json").read_bytes() == before  # untouched
    assert train(out, "--steps", "30", "--resume") == 0  # continue it
    assert json.loads((out / "metrics.json").read_text())["step"] == 30
    assert train(out, "--force") == 0  # replace it: the old run's files are gone
    assert json.loads((out / "metrics.json").read_text())["step"] == 20
    assert not (out / "training.gif").exists()
    capsys.readouterr()
    assert train(out, "--force", "--resume") == 2  # contradictory: one line from the parser
    assert "not allowed with" in capsys.readouterr().err


def test_an_empty_existing_folder_is_fine(tmp_path):
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "notes.txt").write_text("mine")
    assert train(tmp_path / "run") == 0
    assert (tmp_path / "run" / "notes.txt").read_text() == "mine"


def test_stopped_at_once_names_the_kept_checkpoint_and_the_resume_command(tmp_path, capsys, monkeypatch):
    from minigan.gans import GAN

    real_step = GAN.train_step

    def second_ctrl_c(self, sample_real):  # a second Ctrl-C lands inside step 13: no time to save it
        if self.step == 12:
            raise KeyboardInterrupt
        return real_step(self, sample_real)

    out = tmp_path / "run"
    with monkeypatch.context() as m:
        m.setattr(GAN, "train_step", second_ctrl_c)
        assert train(out, "--checkpoint-every", "5") == 130
    err = capsys.readouterr().err
    assert "during step 13 of 20" in err and "(step 10)" in err and err.count("\n") == 1
    resume = shlex.split(err.split("resume with: ")[1])
    assert resume[:3] == ["python", "-m", "minigan"] and resume[-1] == "--resume"
    assert main(resume[3:] + ["--no-progress"]) == 0
    assert json.loads((out / "metrics.json").read_text())["step"] == 20


def test_fgsm_says_before_it_trains_the_reference_classifier_and_ends_with_a_table(tmp_path, capsys,
                                                                                   monkeypatch):
    from minigan import classifier

    trained = []

    def no_training(model, images, labels, progress=None, **settings):  # stands in for the ~20 s first training
        trained.append(settings["epochs"])
        progress(1, 2)

    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(classifier, "train_classifier", no_training)
    assert main(["fgsm", "--data", "digits", "--model", "mlp", "--eps", "0.25", "--out", str(tmp_path / "f")]) == 0
    captured = capsys.readouterr()
    said = captured.out
    assert trained == [classifier.recipe("mlp")["epochs"]]
    assert "minigan: training the digits reference mlp once" in captured.err  # stderr: the table stays clean
    assert "done in 0:0" in captured.err and str(tmp_path / "empty-cache") in captured.err
    metrics = json.loads((tmp_path / "f" / "metrics.json").read_text())
    table = said[said.index("metric"):]
    assert f"{100 * metrics['clean_accuracy']:.1f}%" in table
    assert f"{100 * metrics['undefended']['0.25']['error_rate']:.1f}%" in table
    assert "paper (MNIST, maxout network): 89.4%" in table


def test_fgsm_rows_say_which_way_the_transfer_gap_points():
    paper = {"dataset": "MNIST", "model": "maxout", "eps": 0.25, "error_rate": 0.894,
             "mean_confidence_on_errors": 0.976, "error_rate_adversarially_trained": 0.179}
    attacks = {"0.05": {"error_rate": 0.18, "transfer_error_rate": 0.10},   # own x' stronger: no masking sign
               "0.1": {"error_rate": 0.05, "transfer_error_rate": 0.30}}    # transferred x' stronger: masking
    rows = {r[0]: r for r in summary.fgsm_rows({"clean_accuracy": 0.9, "undefended": {}, "paper": paper,
                                                 "adversarially_trained": {"clean_accuracy": 0.9, "attacks": attacks}})}
    assert rows["trained: transferred x', ε=0.05"][3] == "18.0% below its own x': no sign of gradient masking"
    assert rows["trained: transferred x', ε=0.1"][3] == "5.0% above its own x': a sign of gradient masking"


def test_a_resumed_run_reports_the_steps_it_ran_itself(tmp_path, capsys):
    """A run resumed at step 12 of 20 ran 8 steps, not 20 ("3000 steps in 38.6 s" from a run that took 2,372)."""
    out = tmp_path / "run"
    assert train(out, "--steps", "12") == 0
    assert train(out, "--resume") == 0  # to BASE's 20 steps
    said = [line for line in capsys.readouterr().out.splitlines() if " steps " in line and " in " in line]
    assert said[-1].endswith(" s") and ": 8 steps (steps 13 to 20) in " in said[-1], said


def test_the_bars_estimate_leaves_an_evaluations_time_out(monkeypatch):
    """The first evaluation of a run on fashion-mnist trains the reference CNN (minutes); counted as the time of
    the steps before it, it made the bar foretell 48:59 for a run of 20 steps. After an evaluation the bar goes on
    from where its steps left off."""
    pytest.importorskip("tqdm")
    import time

    from minigan.cli.train import Progress

    monkeypatch.delenv("TQDM_DISABLE", raising=False)
    progress = Progress(0, 20, disable=False)
    progress.update(1, {"loss_d": 1.0})
    time.sleep(1.0)  # the evaluation after step 1 (the reference CNN's training)
    progress.note("step 1/20: ...", "")
    progress.update(2, {"loss_d": 1.0})
    assert progress.bar.format_dict["elapsed"] < 0.5  # the second's wait is not the steps' time
    progress.close()
