"""What the tests of the command line share."""

import json

from minigan.__main__ import main
from minigan.engine.backend import np
from minigan.serialization import load

# a short run: 20 steps, evaluated twice, no bar
BASE = ["--steps", "20", "--seed", "3", "--eval-every", "10", "--batch-size", "16", "--no-progress"]


def one_line(capsys) -> str:
    """The command's error, read from stderr: one line, no traceback."""
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


def train(tmp_path, *extra, name="run"):
    """``python -m minigan train EXTRA`` (a short run) into tmp_path/name: (exit status, the run's folder)."""
    out = tmp_path / name
    return main(["train", *extra, *BASE, "--out", str(out)]), out


def assert_resume_is_exact(tmp_path, monkeypatch, args, trainer_cls, nets):
    """A run stopped at once in step 13 (its checkpoint at 10), then resumed, ends where the uninterrupted run ends:
    the same final metrics, losses and weights of each of ``nets``."""
    rc, full = train(tmp_path, *args, name="full")
    assert rc == 0
    real_step = trainer_cls.train_step

    def interrupted(self, sample_real):  # stopped at once in step 13: the checkpoint stays at 10
        if self.step == 12:
            raise KeyboardInterrupt
        return real_step(self, sample_real)

    with monkeypatch.context() as m:
        m.setattr(trainer_cls, "train_step", interrupted)
        rc, out = train(tmp_path, *args, name="split")
    assert rc == 130 and load(out / "checkpoint.npz")["step"] == 10
    assert train(tmp_path, *args, "--resume", name="split")[0] == 0
    a, b = (json.loads((d / "metrics.json").read_text()) for d in (full, out))
    assert a["final"] == {**b["final"], "eval_seconds": a["final"]["eval_seconds"]}
    assert a["losses"] == b["losses"]
    ca, cb = load(full / "checkpoint.npz"), load(out / "checkpoint.npz")
    for net in nets:
        for k, v in ca["trainer"][net].items():
            np.testing.assert_array_equal(v, cb["trainer"][net][k])
