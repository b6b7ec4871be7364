"""No warning at a student from inside the library: the commands a lesson or a class runs, on the data sets read
from files (read-only arrays, shared by every call), with every warning the library's own modules raise turned into
an error. A warning of the learner's own code (or one PyTorch would give for the learner's call) is not filtered.

The attack: ``train dcgan --data fashion-mnist`` printed ``surface/legacy.py:53: UserWarning: The given NumPy
array is not writable`` at its first evaluation (the reference CNN scored the read-only test images through the
tensor constructor that shares memory).
"""

import numpy as np
import pytest

from minigan.__main__ import main
from minigan.data import write_idx

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
