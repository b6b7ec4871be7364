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

from minigan.backend import np
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
