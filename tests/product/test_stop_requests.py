"""Ctrl-C (and SIGTERM) within a second everywhere: a stop request sent in the middle of the long part of each kind
of command (a reference classifier's first-use training inside ``train``'s evaluation, ``prepare``, an attack)
is said at once, ends the work within a batch, keeps what was finished (``train``: a checkpoint at the last step),
keeps nothing half-made (no cache file of a classifier not finished) and prints how to go on.

Before ``minigan.progress.StopOnSignal`` and ``check_stop``, ``train`` set a flag it read between steps only, so a
stop during the first evaluation waited for the reference CNN (about 9 s on the digits, 5 minutes on
Fashion-MNIST) with nothing said.
"""

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from minigan.serialization import load

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals")

DEMOS = Path(__file__).resolve().parents[2] / "demos"
ACK = 1.0  # seconds from the signal to the line that says the command is stopping
# seconds from the signal to the process's exit: a batch, the checkpoint, the interpreter's exit, on a loaded
# 2-core machine (measured 0.2-0.4 s unloaded)
DONE = 3.0


class Watched:
    """A ``python -m minigan ...`` child whose stderr lines are read as they come, each with its time."""

    def __init__(self, args, cache, cwd):
        env = dict(os.environ, MINIGAN_CACHE=str(cache), PYTHONUNBUFFERED="1")
        env.pop("MINIGAN_QUIET", None)
        # a suite started in the background (cmd &) ignores SIGINT, and a child inherits that
        self.proc = subprocess.Popen([sys.executable, "-m", "minigan", *args], cwd=cwd, env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                     preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        self.lines = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.proc.stderr:
            self.lines.append((time.monotonic(), line.rstrip("\n")))

    def wait_for(self, needle, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(needle in line for _, line in self.lines):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.proc.kill()
        raise AssertionError(f"never said {needle!r}:\n" + "\n".join(line for _, line in self.lines))

    def stop(self, signum=signal.SIGINT, after=1.0):
        """Send ``signum`` ``after`` seconds on; (seconds to the 'stopping' line, seconds to exit, exit code,
        stderr)."""
        time.sleep(after)
        assert self.proc.poll() is None, "\n".join(line for _, line in self.lines)
        sent = time.monotonic()
        self.proc.send_signal(signum)
        code = self.proc.wait(timeout=60)
        done = time.monotonic()
        self.reader.join(timeout=10)
        said = [t for t, line in self.lines if t >= sent and ": stopping" in line]
        err = "\n".join(line for _, line in self.lines)
        assert said, f"no line said it was stopping:\n{err}"
        return said[0] - sent, done - sent, code, err


def _no_cache_left(cache):
    left = sorted(p.name for p in cache.iterdir()) if cache.exists() else []
    assert left == [], f"a half-trained model was kept: {left}"


def test_train_stops_within_a_second_while_its_first_evaluation_trains_the_reference_cnn(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "run"
    run = Watched(["train", "dcgan", "--data", "digits", "--steps", "4", "--eval-every", "1", "--batch-size", "16",
                   "--no-progress", "--out", str(out)], cache, tmp_path)
    run.wait_for("training the digits reference cnn once")
    ack, done, code, err = run.stop(signal.SIGINT)
    assert ack < ACK and done < DONE, f"said after {ack:.2f} s, ended after {done:.2f} s:\n{err}"
    assert code == 130, err
    assert "stopped at 0%" not in err and "nothing saved in" in err  # the CNN: how far it got, nothing kept
    assert load(out / "checkpoint.npz")["step"] == 1  # the step before the evaluation is kept
    assert f"stopped at step 1 of 4; kept {str(out / 'checkpoint.npz')!r} (step 1); resume with: " in err, err
    assert "--resume" in err.splitlines()[-1]
    _no_cache_left(cache)


def test_train_stops_on_sigterm_alike(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "run"
    run = Watched(["train", "cgan", "--data", "digits", "--steps", "4", "--eval-every", "1", "--batch-size", "16",
                   "--no-progress", "--out", str(out)], cache, tmp_path)
    run.wait_for("training the digits reference cnn once")
    ack, done, code, err = run.stop(signal.SIGTERM)
    assert ack < ACK and done < DONE, f"said after {ack:.2f} s, ended after {done:.2f} s:\n{err}"
    assert code == 143 and "minigan: SIGTERM: stopped at step 1 of 4" in err, err
    _no_cache_left(cache)


def test_prepare_stops_within_a_second_and_says_what_is_left(tmp_path):
    cache = tmp_path / "cache"
    run = Watched(["prepare", "--only", "digits-cnn", "digits-gan"], cache, tmp_path)
    run.wait_for("training the digits reference cnn once")
    ack, done, code, err = run.stop(signal.SIGINT)
    assert ack < ACK and done < DONE, f"said after {ack:.2f} s, ended after {done:.2f} s:\n{err}"
    assert code == 130, err
    assert err.splitlines()[-1].endswith("ready: none; not yet: digits-cnn, digits-gan; go on with: python -m "
                                         "minigan prepare --only digits-cnn digits-gan"), err
    _no_cache_left(cache)


def test_an_attack_stops_within_a_second_and_writes_nothing(tmp_path):
    cache, out = tmp_path / "cache", tmp_path / "fgsm"
    run = Watched(["fgsm", "--data", "digits", "--eps", "0.1", "--out", str(out)], cache, tmp_path)
    run.wait_for("training the digits reference cnn once")
    ack, done, code, err = run.stop(signal.SIGINT)
    assert ack < ACK and done < DONE, f"said after {ack:.2f} s, ended after {done:.2f} s:\n{err}"
    assert code == 130, err
    assert "go on with: python -m minigan fgsm --data digits --eps 0.1 --out" in err.splitlines()[-1], err
    written = sorted(p.name for p in out.iterdir()) if out.exists() else []
    assert written in ([], [".minigan.lock"]), written  # (the lock file stays, unlocked, as after any run)
    _no_cache_left(cache)


def test_a_lesson_stopped_with_ctrl_c_says_so_in_one_line(tmp_path):
    """A lesson run as a script stops at once on Ctrl-C (Python's own KeyboardInterrupt, mid-loop) and says where
    its figures are and how to run it again, instead of a traceback through the training step it was in."""
    env = dict(os.environ, MINIGAN_CACHE=str(tmp_path / "cache"))
    proc = subprocess.Popen([sys.executable, str(DEMOS / "07_saturating_vs_nonsaturating.py"), "--out", str(tmp_path)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    assert "figures go to" in proc.stdout.readline()
    time.sleep(2.0)  # inside the first seed's training
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert time.monotonic() - sent < DONE and proc.returncode == -signal.SIGINT, err  # (a shell sees 130)
    assert "Traceback" not in err, err
    assert err.strip().splitlines()[-1] == (f"lesson 07_saturating_vs_nonsaturating: stopped (Ctrl-C); the figures "
                                            f"written so far are in {tmp_path / '07_saturating_vs_nonsaturating'}; "
                                            "run it again with: python demos/07_saturating_vs_nonsaturating.py"), err
