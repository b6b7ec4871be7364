"""``python -m minigan``: one run per folder, limits, signals, resume semantics and crafted checkpoints.

Every refusal is one line on stderr with exit code 2; a signal saves the step in progress and
prints the command that resumes it.
"""

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time

import pytest

from minigan import nn
from minigan.__main__ import main
from minigan.cli.runfolder import hold_folder
from minigan.engine.backend import np
from minigan.serialization import load, save
from product.helpers_cli import one_line

BASE = ["--seed", "3", "--eval-every", "10", "--no-progress", "--batch-size", "16"]


def train(out, *extra, steps=20):
    return main(["train", *extra, *BASE, "--steps", str(steps), "--out", str(out)])


def metrics(out):
    return json.loads((out / "metrics.json").read_text())


def same_run(a, b):
    """Equal losses, evaluations (but their timing) and weights."""
    ma, mb = metrics(a), metrics(b)
    assert ma["losses"] == mb["losses"]
    strip = [{k: v for k, v in e.items() if k != "eval_seconds"} for e in ma["evals"]]
    assert strip == [{k: v for k, v in e.items() if k != "eval_seconds"} for e in mb["evals"]]
    ca, cb = load(a / "checkpoint.npz"), load(b / "checkpoint.npz")
    for net in ("generator", "discriminator"):
        for k, v in ca["trainer"][net].items():
            np.testing.assert_array_equal(v, cb["trainer"][net][k])


# ----------------------------------------------------------------------------- one run per folder
@pytest.mark.skipif(os.name != "posix", reason="flock is POSIX")
def test_a_held_folder_is_refused_naming_it_and_the_holder(tmp_path, capsys):
    out = tmp_path / "run"
    out.mkdir()
    with hold_folder(out, "test"):
        assert train(out, "gan", "--data", "ring:4") == 2
        err = one_line(capsys)
        assert str(out) in err and f"PID {os.getpid()}" in err
        assert not (out / "checkpoint.npz").exists()
    assert train(out, "gan", "--data", "ring:4") == 0  # released: the next run goes ahead


@pytest.mark.skipif(os.name != "posix", reason="flock is POSIX")
def test_fgsm_holds_its_folder_too(tmp_path, capsys):
    with hold_folder(tmp_path, "test"):
        assert main(["fgsm", "--data", "digits", "--out", str(tmp_path)]) == 2
    assert f"PID {os.getpid()}" in one_line(capsys)


@pytest.mark.skipif(os.name != "posix", reason="flock is POSIX")
def test_the_lock_is_released_when_a_run_fails(tmp_path, capsys, monkeypatch):
    out = tmp_path / "run"
    (out / "checkpoint.npz").mkdir(parents=True)  # the run stops with an error after taking the lock
    assert train(out, "gan", "--data", "ring:4") == 2
    assert "checkpoint.npz (a folder)" in one_line(capsys)
    (out / "checkpoint.npz").rmdir()
    assert train(out, "gan", "--data", "ring:4") == 0


@pytest.mark.skipif(os.name != "posix", reason="flock and signals are POSIX")
def test_two_runs_on_one_folder(tmp_path, capsys):
    """A second run on a folder in use exits at once; the first, stopped by SIGTERM, frees it.  The first is a
    process (the signal, and the lock held by another process); the second and the resume run in this one."""
    out = tmp_path / "shared"
    cmd = [sys.executable, "-m", "minigan", "train", "gan", "--data", "ring:4", "--steps", "100000", "--seed", "0",
           "--batch-size", "16", "--checkpoint-every", "20", "--eval-every", "50000", "--no-progress",
           "--out", str(out)]
    first = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not (out / "checkpoint.npz").exists() and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert first.poll() is None, first.stderr.read()
        t0 = time.monotonic()
        assert main(cmd[3:]) == 2 and time.monotonic() - t0 < 30
        err = one_line(capsys)
        assert str(out) in err and f"PID {first.pid}" in err
        first.send_signal(signal.SIGTERM)
        assert first.wait(timeout=60) == 143
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
        first.stderr.close()
    step = load(out / "checkpoint.npz")["step"]
    assert main(cmd[3:8] + [str(step)] + cmd[9:] + ["--resume"]) == 0  # the lock went with the first process


# ----------------------------------------------------------------------------- limits
@pytest.mark.parametrize("argv,needle", [
    (["--batch-size", "1000000000"], "expected 1 to 65536"),
    (["--data", "ring:1000000000"], "at most 10000"),
    (["--data", "grid:1000"], "at most 10000"),
    (["--pack", str(2 ** 40)], "--pack must be in [1, 64], got 1099511627776"),
])
def test_limits_are_one_line_errors(tmp_path, capsys, argv, needle):
    rc = main(["train", "gan", "--steps", "5", "--no-progress", "--out", str(tmp_path / "x"), *argv])
    assert rc == 2
    assert needle in one_line(capsys)


def test_out_of_memory_is_a_one_line_error(tmp_path, capsys, monkeypatch):
    from minigan.cli import train as cli

    def no_memory(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(cli, "build_experiment", no_memory)
    assert train(tmp_path / "x", "gan", "--data", "ring") == 2
    assert "out of memory" in one_line(capsys)


@pytest.mark.parametrize("command", [["train", "gan"], ["fgsm"]])
def test_an_empty_out_is_an_error(capsys, command):
    assert main([*command, "--out", ""]) == 2
    assert "--out is empty" in one_line(capsys)


# ----------------------------------------------------------------------------- signals
SIGNALLED = ["gan", "--data", "ring:4", "--checkpoint-every", "5"]


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    """The 20-step run each signal below interrupts, trained once without a signal: each test compares its resumed
    run with it and changes nothing in it."""
    out = tmp_path_factory.mktemp("uninterrupted") / "full"
    assert train(out, *SIGNALLED) == 0
    return out


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signame,code", [("SIGTERM", 143), ("SIGINT", 130), ("SIGHUP", 129)])
def test_a_signal_saves_the_current_step_and_prints_the_resume_command(tmp_path, capsys, monkeypatch, uninterrupted,
                                                                       signame, code):
    from minigan.gans import GAN

    args = SIGNALLED
    real_step = GAN.train_step

    def signalled(self, sample_real):  # the signal arrives during step 13
        if self.step == 12:
            os.kill(os.getpid(), getattr(signal, signame))
        return real_step(self, sample_real)

    out = tmp_path / "split"
    capsys.readouterr()
    with monkeypatch.context() as m:
        m.setattr(GAN, "train_step", signalled)
        assert train(out, *args) == code
    err = one_line(capsys)
    assert load(out / "checkpoint.npz")["step"] == 13  # not the periodic checkpoint of step 10
    assert f"{signame}: stopped at step 13" in err and str(out / "checkpoint.npz") in err
    assert metrics(out)["status"] == f"stopped by {signame} at step 13"
    resume = shlex.split(err.split("resume with: ")[1])
    assert resume[:3] == ["python", "-m", "minigan"] and resume[-1] == "--resume"
    assert main(resume[3:] + ["--no-progress"]) == 0
    same_run(uninterrupted, out)


# ----------------------------------------------------------------------------- resume semantics
def test_resume_below_the_checkpoint_step_is_an_error(tmp_path, capsys):
    out = tmp_path / "run"
    assert train(out, "gan", "--data", "ring:4") == 0
    capsys.readouterr()
    assert train(out, "gan", "--data", "ring:4", "--resume", steps=10) == 2
    err = one_line(capsys)
    assert "at step 20, beyond --steps 10" in err and "--steps 20 or more" in err
    assert train(out, "gan", "--data", "ring:4", "--resume", steps=20) == 0  # finished: nothing to train
    said = capsys.readouterr().out
    assert "wrote metrics.json" in said and "checkpoint.npz" not in said


def test_extending_a_run_without_a_schedule_equals_a_fresh_longer_run(tmp_path):
    args = ["wgan", "--data", "grid:3"]
    assert train(tmp_path / "fresh", *args, steps=20) == 0
    assert train(tmp_path / "grown", *args, steps=10) == 0
    assert train(tmp_path / "grown", *args, "--resume", steps=20) == 0
    same_run(tmp_path / "fresh", tmp_path / "grown")


def test_extending_a_run_keeps_its_learning_rate_schedule(tmp_path, ten_steps):
    """The decay stays laid over the first run's 10 steps; steps 11-20 run at lr/100."""
    args = ["gan", "--data", "ring:4"]  # as ten_steps (below) was trained: a copy of it is extended to 20 steps
    shutil.copytree(ten_steps, tmp_path / "grown")
    assert train(tmp_path / "grown", *args, "--resume", steps=20) == 0
    short, grown = metrics(ten_steps), metrics(tmp_path / "grown")
    assert grown["config"]["lr_schedule_steps"] == 10 and grown["step"] == 20
    assert grown["losses"]["loss_d"][:10] == short["losses"]["loss_d"]
    lr = grown["config"]["lr"]
    ckpt = load(tmp_path / "grown" / "checkpoint.npz")
    assert ckpt["trainer"]["opt_g"]["param_groups"][0]["lr"] == pytest.approx(lr / 100)


def test_an_unwritable_checkpoint_location_is_found_at_the_start(tmp_path, capsys, monkeypatch):
    import tempfile

    def refused(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    out = tmp_path / "run"
    assert train(out, "gan", "--data", "ring:4") == 2
    assert f"--out {str(out)!r} cannot be written (Permission denied)" in one_line(capsys)


def test_a_failed_checkpoint_write_names_the_file(tmp_path, capsys, monkeypatch):
    from minigan import serialization

    def full_disk(f, **arrays):  # the disk fills while the checkpoint's bytes are written
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(serialization.np, "savez", full_disk)
    out = tmp_path / "run"
    assert train(out, "gan", "--data", "ring:4") == 2
    err = one_line(capsys)
    assert str(out / "checkpoint.npz") in err and "No space left on device" in err


# ----------------------------------------------------------------------------- crafted checkpoints
@pytest.fixture(scope="module")
def ten_steps(tmp_path_factory):
    """The folder of a 10-step run, finished; each case below damages a copy of it (and the test of extending a
    run above extends a copy)."""
    out = tmp_path_factory.mktemp("ten-steps") / "run"
    assert train(out, "gan", "--data", "ring:4", steps=10) == 0
    return out


def _set(path, value):
    def change(ckpt):
        node = ckpt
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    return change


def _weight(value):
    def change(ckpt):
        net = ckpt["trainer"]["generator"]
        name = next(iter(net))
        net[name] = np.full(net[name].shape, value)
    return change


@pytest.mark.parametrize("change,needle", [
    (_set(["step"], "abc"), "step is 'abc'"),
    (_set(["step"], -1), "step is -1"),
    (_set(["checkpoint_every"], 0), "checkpoint_every is 0"),
    (_set(["eval_every"], True), "eval_every is True"),
    (_set(["config"], [1, 2]), "config and rng must be dicts"),
    (_set(["config", 7], "x"), "7='x'"),
    (_set(["evals"], "x"), "evals must be a list"),
    (_set(["history", "loss_d"], np.zeros(3)), "history series 'loss_d'"),
    (_set(["trainer", "step"], 10 ** 30), "trainer's step"),
    (_set(["rng"], {"numpy": {"bit_generator": "nonsense"}}), "damaged checkpoint"),
    (_set(["trainer", "opt_g"], 5), "damaged checkpoint"),
    (_weight(np.nan), "NaN or inf"),
    (_weight(np.inf), "NaN or inf"),
    (_weight(np.int64(1)), "int64 values"),
    (_weight(np.complex128(1)), "complex128 values"),
])
def test_a_crafted_checkpoint_is_a_one_line_error(ten_steps, tmp_path, capsys, change, needle):
    out = tmp_path / "run"
    shutil.copytree(ten_steps, out)  # the run each case damages: trained once for all of them
    ckpt = load(out / "checkpoint.npz")
    change(ckpt)
    save(ckpt, out / "checkpoint.npz")
    capsys.readouterr()
    assert train(out, "gan", "--data", "ring:4", "--resume") == 2
    err = one_line(capsys)
    assert needle in err and str(out / "checkpoint.npz") in err


@pytest.mark.parametrize("value,needle", [
    (np.nan, "NaN or inf"), (-np.inf, "NaN or inf"), (1, "int64 values"), (1 + 2j, "complex128 values"),
    (True, "bool values"),
])
def test_load_state_dict_refuses_values_a_weight_cannot_hold(value, needle):
    net = nn.Linear(2, 3)
    state = net.state_dict()
    before = net.weight.array.copy()
    state["bias"] = np.full(3, value)
    with pytest.raises(ValueError, match=f"'bias' holds .*{needle}"):
        net.load_state_dict(state)
    np.testing.assert_array_equal(net.weight.array, before)  # nothing changed
    state["bias"] = np.zeros(3, dtype=np.float64)  # another float width is fine
    net.load_state_dict(state)
