"""No warning at a student from inside the library: the commands a lesson or a class runs, on the data sets read
from files (read-only arrays, shared by every call), and the exercises' commands on a small workspace, with every
warning the library's own modules raise turned into an error (in the processes those commands start too: the
library's reference process and ``measure``'s run of the workspace, through ``PYTHONWARNINGS``). A warning of the
learner's own code (or one PyTorch would give for the learner's call) is not filtered.

The attack: ``train dcgan --data fashion-mnist`` printed ``surface/legacy.py:53: UserWarning: The given NumPy
array is not writable`` at its first evaluation (the reference CNN scored the read-only test images through the
tensor constructor that shares memory).
"""

import pkgutil

import numpy as np
import pytest

import minigan
from minigan.__main__ import main
from minigan.data import write_idx
from product.class_submissions import fill_in, set_body

LIBRARY_WARNINGS_ARE_ERRORS = pytest.mark.filterwarnings("error::Warning:minigan.*")


@pytest.fixture
def small_fashion(tmp_path, monkeypatch):
    """A Fashion-MNIST folder of 64 training and 16 test images ($MINIGAN_DATA), and an empty cache: the commands
    read it as they read the real one (read-only arrays) and train its reference CNN on first use, in a second."""
    rng = np.random.default_rng(0)
    folder = tmp_path / "data" / "fashion-mnist"
    folder.mkdir(parents=True)
    for prefix, n in (("train", 64), ("t10k", 16)):
        write_idx(folder / f"{prefix}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)).astype(np.uint8))
        write_idx(folder / f"{prefix}-labels-idx1-ubyte.gz", (np.arange(n) % 10).astype(np.uint8))
    monkeypatch.setenv("MINIGAN_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("MINIGAN_QUIET", "1")
    return tmp_path


@LIBRARY_WARNINGS_ARE_ERRORS
@pytest.mark.parametrize("command", [
    ["fgsm", "--data", "fashion-mnist", "--eps", "0.1", "--epochs", "1", "--adversarial-training", "--adv-epochs", "1"],
    pytest.param(["attack", "--data", "fashion-mnist", "--eps", "0.1", "--train-eps", "0.1", "--restarts", "1",
                  "--epochs", "1", "--adv-epochs", "1", "--pgd-epochs", "1", "--pgd-train-steps", "2"],
                 marks=pytest.mark.slow),  # PGD-40 on every model: half a minute
])
def test_a_command_on_a_data_set_read_from_files_warns_of_nothing(small_fashion, command):
    assert main([*command, "--out", str(small_fashion / "out")]) == 0


@LIBRARY_WARNINGS_ARE_ERRORS
def test_training_and_sampling_on_a_data_set_read_from_files_warn_of_nothing(small_fashion):
    out = small_fashion / "run"
    assert main(["train", "dcgan", "--data", "fashion-mnist", "--steps", "2", "--batch-size", "16", "--eval-every",
                 "1", "--out", str(out), "--no-progress"]) == 0
    assert main(["sample", str(out), "--n", "16", "--out", str(small_fashion / "grid.png")]) == 0


def _library_warnings_are_errors_in_subprocesses(monkeypatch):
    """``PYTHONWARNINGS`` naming every module of the library (its module field is a whole name, not a pattern), so
    that a process the command starts turns the library's warnings into errors as this one does; a workspace's
    copy of minigan has the same module names."""
    names = {m.name for m in pkgutil.walk_packages(minigan.__path__, "minigan.")} | {"minigan"}
    monkeypatch.setenv("PYTHONWARNINGS", ",".join(f"error::Warning:{name}" for name in sorted(names)))


@LIBRARY_WARNINGS_ARE_ERRORS
def test_the_exercises_commands_on_a_small_workspace_warn_of_nothing(tmp_path, monkeypatch, capfd):
    """start, list, check, grade and measure on a workspace with a few solutions written, a few wrong (an infinite
    gradient, a complex one, a tuple where an array goes, an array of strings) and the rest not started: the
    grader compares and reports every kind of wrong value without a warning of its own, and the library's
    reference (the same code the learner's process runs for the exercises not written) warns of nothing."""
    _library_warnings_are_errors_in_subprocesses(monkeypatch)
    root = tmp_path / "ws"
    assert main(["exercises", "start", str(root)]) == 0
    for name in ("unbroadcast", "add_backward", "sigmoid_backward"):
        fill_in(root, name)
    set_body(root, "exp_backward", "import numpy as np\nreturn (grad * np.inf,)")
    set_body(root, "log_backward", "return (grad * 1j,)")
    set_body(root, "tanh_backward", "import numpy as np\nreturn (np.full((2, 3), -np.inf),)")
    set_body(root, "mul_backward", "import numpy as np\nreturn (np.array(['a']), None)")
    names = ["unbroadcast", "add_backward", "sigmoid_backward", "exp_backward", "log_backward", "tanh_backward",
             "mul_backward", "sgd"]
    assert main(["exercises", "check", str(root), *names]) == 1  # (some fail)
    out = capfd.readouterr().out
    assert "3 passed, 4 failed, 1 not started" in out, out
    assert main(["exercises", "grade", str(root), "--names", *names, "--csv", str(tmp_path / "book.csv"),
                 "--json", str(tmp_path / "book.json")]) == 0
    assert main(["exercises", "list", str(root)]) == 0
    assert main(["exercises", "measure", str(root), "unbroadcast"]) == 0  # (the workspace's code, in a process)
    said = capfd.readouterr()
    assert "Warning" not in said.out + said.err, said.err
