"""Runs must never be lost: a process killed (SIGKILL) in the middle of ``minigan.save``.

SIGKILL cannot be caught, so nothing in the dying process can clean up: the checkpoint on disk
must still load (the rename is atomic), and the orphaned temporary file is removed by the next
save to the same path. Exact resume after an interruption is tested in ``test_cli_train.py``.
"""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from minigan.engine.backend import np
from minigan.serialization import load, save

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and /proc are POSIX")

# A "training" process that checkpoints a large state in a loop and reports each finished save.
WRITER = textwrap.dedent("""
    import sys
    import numpy as np
    from minigan import save
    path, start = sys.argv[1], int(sys.argv[2])
    big = np.random.default_rng(start).standard_normal(2_000_000).astype(np.float32)  # 8 MB
    step = start
    while True:
        step += 1
        big[0] = step
        save({"step": step, "w": big, "check": np.full(1000, step, dtype=np.int64),
              "config": {"lr": 1e-3}}, path)
        print(step, flush=True)
""")


def _temporaries(folder, name="ckpt.npz"):
    return sorted(f for f in os.listdir(folder) if f.startswith(f".{name}.") and f.endswith(".tmp"))


def test_sigkill_during_save_never_loses_the_checkpoint(tmp_path):
    path = tmp_path / "ckpt.npz"
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    rng = random.Random(0)
    last_done, strays_seen = 0, 0
    for kill in range(10):
        proc = subprocess.Popen([sys.executable, str(script), str(path), str(1000 * kill)],
                                stdout=subprocess.PIPE, text=True)
        try:
            first = proc.stdout.readline()  # one save has completed (and cleaned up after the last kill)
            assert first.strip(), f"writer died before its first save (rc={proc.poll()})"
            time.sleep(rng.uniform(0.0, 0.25))  # somewhere inside a later save, or between two
            proc.send_signal(signal.SIGKILL)
        finally:
            proc.wait(timeout=30)
            proc.stdout.close()
        assert proc.returncode == -signal.SIGKILL
        state = load(path)  # never half a file
        step = state["step"]
        assert 1000 * kill < step and step > last_done
        np.testing.assert_array_equal(state["check"], np.full(1000, step))
        assert state["w"][0] == step and state["w"].shape == (2_000_000,)
        assert state["config"] == {"lr": 1e-3}
        last_done = step
        strays = _temporaries(tmp_path)
        assert len(strays) <= 1, f"orphaned temporary files accumulate: {strays}"  # only the one in flight
        strays_seen += len(strays)
    save({"step": -1}, path)  # the next save removes the orphan of the last kill
    assert _temporaries(tmp_path) == []
    assert sorted(os.listdir(tmp_path)) == ["ckpt.npz", "writer.py"]
    assert load(path) == {"step": -1}


def test_a_save_in_flight_in_another_process_is_left_alone(tmp_path):
    """The orphan clean-up removes only temporary files whose writer process is gone."""
    path = tmp_path / "ckpt.npz"
    alive = tmp_path / f".ckpt.npz.{os.getppid()}.abc123.tmp"  # our parent runs: its save is in flight
    dead = tmp_path / ".ckpt.npz.999999999.abc123.tmp"  # no such process
    other = tmp_path / ".other.npz.999999999.abc123.tmp"  # another checkpoint's: not ours to touch
    for f in (alive, dead, other):
        f.write_bytes(b"PK\x03\x04 partial")
    save({"step": 1}, path)
    assert alive.exists() and other.exists() and not dead.exists()
    assert load(path)["step"] == 1


# ----------------------------------------------------------------------------- a real training run
TRAIN = ["train", "gan", "--data", "ring", "--steps", "150", "--seed", "1", "--batch-size", "16",
         "--checkpoint-every", "10", "--eval-every", "50", "--no-progress"]


@pytest.mark.slow
def test_training_killed_repeatedly_resumes_to_the_uninterrupted_result(tmp_path):
    """``python -m minigan train`` SIGKILLed three times at random moments (perhaps mid-save),
    each time resumed with --resume: the losses, metrics and weights equal an uninterrupted run's.

    A soak of five training processes (10 CPU-s): by default a kill mid-save is
    test_sigkill_during_save_never_loses_the_checkpoint above, an exact resume from the last checkpoint
    tests/product/test_cli_train.py's test_resume_reproduces_the_uninterrupted_run_exactly, and a resume in a new
    process test_sigterm_saves_the_step_in_progress_and_its_resume_command_finishes_the_run below."""
    import json

    def cmd(out, *extra):
        return [sys.executable, "-m", "minigan", *TRAIN, "--out", str(out), *extra]

    full = tmp_path / "full"
    subprocess.run(cmd(full), check=True, capture_output=True, timeout=300)

    out, rng, kills = tmp_path / "killed", random.Random(1), 0
    ckpt = out / "checkpoint.npz"
    for _attempt in range(8):
        if kills == 3:
            break
        proc = subprocess.Popen(cmd(out, *(["--resume"] if ckpt.exists() else [])),
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        before = load(ckpt)["step"] if ckpt.exists() else 0
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:  # wait for a new checkpoint
            if ckpt.exists() and load(ckpt)["step"] > before:
                break
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 0.3))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait(timeout=60)
        proc.stderr.close()
        assert load(ckpt)["step"] <= 150  # whatever happened, the checkpoint loads
    assert kills >= 1, "every run finished before it could be killed"
    if load(ckpt)["step"] < 150:
        r = subprocess.run(cmd(out, "--resume"), capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
    a, b = (json.loads((d / "metrics.json").read_text()) for d in (full, out))
    assert a["losses"] == b["losses"]
    assert [e["step"] for e in b["evals"]] == [50, 100, 150]
    for ea, eb in zip(a["evals"], b["evals"]):
        assert {k: v for k, v in ea.items() if k != "eval_seconds"} == {k: v for k, v in eb.items()
                                                                         if k != "eval_seconds"}
    ca, cb = load(full / "checkpoint.npz"), load(ckpt)
    for net in ("generator", "discriminator"):
        for k, v in ca["trainer"][net].items():
            np.testing.assert_array_equal(v, cb["trainer"][net][k])
    assert _temporaries(out, "checkpoint.npz") == []  # orphans of killed saves were cleaned up


def test_sigterm_saves_the_step_in_progress_and_its_resume_command_finishes_the_run(tmp_path):
    """SIGTERM mid-run: exit 143, a line at once that it stops, a checkpoint at the step in progress (not a periodic
    one), one line with the resume command; that command finishes the run with the uninterrupted run's numbers."""
    import json
    import shlex

    # 300 steps (two evaluations) outlast the 0.3 s before the signal many times over, also on a loaded machine
    # (a slower run only widens the margin); 600 had cost twice the CPU, ~22 s in its children
    args = ["train", "gan", "--data", "ring:4", "--steps", "300", "--seed", "2", "--batch-size", "16",
            "--checkpoint-every", "1000", "--eval-every", "150", "--no-progress"]
    full, out = tmp_path / "full", tmp_path / "term"
    subprocess.run([sys.executable, "-m", "minigan", *args, "--out", str(full)], check=True, capture_output=True,
                   timeout=300)
    proc = subprocess.Popen([sys.executable, "-m", "minigan", *args, "--out", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (out / ".minigan.lock").exists() and time.monotonic() < deadline:  # training has started
        time.sleep(0.01)
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    err = proc.communicate(timeout=60)[1]
    assert proc.returncode == 143, err
    step = load(out / "checkpoint.npz")["step"]
    said = err.strip().splitlines()  # at once that it stops, then where it stopped and how to go on
    assert len(said) == 2 and said[0].startswith("minigan: SIGTERM: stopping after the step in progress"), err
    assert 0 < step < 300 and f"stopped at step {step} of 300" in said[1]
    resume = shlex.split(err.split("resume with: ")[1])
    assert resume[:3] == ["python", "-m", "minigan"]
    r = subprocess.run([sys.executable, *resume[1:]], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    a, b = (json.loads((d / "metrics.json").read_text()) for d in (full, out))
    assert a["losses"] == b["losses"] and len(b["evals"]) == 2
    ca, cb = load(full / "checkpoint.npz"), load(out / "checkpoint.npz")
    for net in ("generator", "discriminator"):
        for k, v in ca["trainer"][net].items():
            np.testing.assert_array_equal(v, cb["trainer"][net][k])
