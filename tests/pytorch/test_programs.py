"""Programs in the style of the public PyTorch tutorials and GAN implementations (tests/pytorch/programs/), run
unchanged under PyTorch and under minigan: the same source text, ``import torch`` meaning one library or the
other; the numbers each prints must agree.  This is the measured part of the README's claim that PyTorch
programs run after replacing ``torch`` by ``minigan``."""

import contextlib
import io
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
torch.set_num_threads(1)  # as minigan's suite: small matrices, a shared machine

PROGRAMS = Path(__file__).resolve().parent / "programs"

# PyTorch's module names, and the minigan module each one means in the minigan run
SWAP = {
    "torch": minigan, "torch.nn": minigan.nn, "torch.nn.functional": minigan.nn.functional,
    "torch.nn.utils": minigan.nn.utils, "torch.optim": minigan.optim,
    "torch.optim.lr_scheduler": minigan.optim.lr_scheduler, "torch.autograd": minigan.autograd,
    "torch.utils": minigan.utils, "torch.utils.data": minigan.utils.data,
}

NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def run(name, monkeypatch=None):
    """Run tests/pytorch/programs/<name>.py as __main__ and return what it printed."""
    path = PROGRAMS / f"{name}.py"
    if monkeypatch is not None:
        for module_name, module in SWAP.items():
            monkeypatch.setitem(sys.modules, module_name, module)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(path.read_text(), str(path), "exec"), {"__name__": "__main__", "__file__": str(path)})
    return out.getvalue()


def assert_same_log(ours, theirs, rtol):
    """Line by line: the same words, and numbers equal to ``rtol`` (float32 training drifts a little)."""
    ours, theirs = ours.strip().splitlines(), theirs.strip().splitlines()
    assert len(ours) == len(theirs) and ours, f"minigan printed {len(ours)} lines, PyTorch {len(theirs)}"
    for a, b in zip(ours, theirs):
        assert NUMBER.sub("#", a) == NUMBER.sub("#", b), f"minigan: {a!r}\nPyTorch: {b!r}"
        np.testing.assert_allclose([float(v) for v in NUMBER.findall(a)], [float(v) for v in NUMBER.findall(b)],
                                   rtol=rtol, atol=1e-6, err_msg=f"minigan: {a}\nPyTorch: {b}")


CASES = [
    ("mlp_classifier", 1e-4),
    ("dcgan_loop", 1e-4),
    ("wgan_gp_loop", 1e-4),
    ("schedule_clip_loop", 1e-4),
    ("custom_function", 1e-6),
    ("indexing_and_ints", 1e-6),
    ("hand_optimizer", 1e-4),
    ("sngan_loop", 1e-4),
]


@pytest.mark.parametrize("name, rtol", CASES)
def test_program_runs_unchanged_and_logs_pytorchs_numbers(name, rtol, monkeypatch):
    theirs = run(name)
    ours = run(name, monkeypatch)
    assert_same_log(ours, theirs, rtol)


def test_the_comparison_catches_a_different_number_or_word():
    assert_same_log("epoch 1 loss 0.5\n", "epoch 1 loss 0.50001\n", rtol=1e-4)
    with pytest.raises(AssertionError):
        assert_same_log("epoch 1 loss 0.5\n", "epoch 1 loss 0.51\n", rtol=1e-4)
    with pytest.raises(AssertionError):
        assert_same_log("epoch 1 loss 0.5\n", "epoch 1 cost 0.5\n", rtol=1e-4)
    with pytest.raises(AssertionError):
        assert_same_log("", "", rtol=1e-4)  # a program that printed nothing proves nothing
