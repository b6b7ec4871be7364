"""SequentialLR against PyTorch's, with every schedule minigan has on either side of a milestone.

What a training loop sees: the rate at each step; no warning when the loop calls optimizer.step() before
scheduler.step() (the warm-up-then-cosine recipe); the schedulers' step counts and epochs (they are in the
checkpoint); a milestone at 0 (the second schedule from the start); and a checkpoint of the SequentialLR taken
midway, saved with the library's save/load and resumed, giving the same rates as the loop that ran through.
"""

import io
import warnings

import pytest

import minigan
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch")

KINDS = ("step", "multistep", "exp", "lambda", "mult", "linear", "const", "cos", "poly", "warm")
MILESTONES = (0, 1, 3)


def make(lib, opt, kind):
    S = lib.optim.lr_scheduler
    return {
        "step": lambda: S.StepLR(opt, 2, 0.5),
        "multistep": lambda: S.MultiStepLR(opt, [1, 3], 0.3),
        "exp": lambda: S.ExponentialLR(opt, 0.8),
        "lambda": lambda: S.LambdaLR(opt, lambda e: 1 / (e + 1)),
        "mult": lambda: S.MultiplicativeLR(opt, lambda e: 0.7),
        "linear": lambda: S.LinearLR(opt, 0.2, 1.0, 3),
        "const": lambda: S.ConstantLR(opt, 0.5, 2),
        "cos": lambda: S.CosineAnnealingLR(opt, 4, 0.01),
        "poly": lambda: S.PolynomialLR(opt, 4, 2.0),
        "warm": lambda: S.CosineAnnealingWarmRestarts(opt, 2, 2),
    }[kind]()


def build(lib, first, second, milestone):
    opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(2))], lr=1.0, momentum=0.9)
    parts = [make(lib, opt, first), make(lib, opt, second)]
    return opt, parts, lib.optim.lr_scheduler.SequentialLR(opt, parts, milestones=[milestone])


def program(lib, first, second, milestone):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        opt, parts, seq = build(lib, first, second, milestone)
        rates = [opt.param_groups[0]["lr"]]
        for _ in range(3):
            opt.step()
            seq.step()
            rates.append(opt.param_groups[0]["lr"])
        counts = [(s._step_count, s.last_epoch) for s in parts]
        buffer = io.BytesIO()
        lib.save({"opt": opt.state_dict(), "sched": seq.state_dict()}, buffer)
        through = []
        for _ in range(3):
            opt.step()
            seq.step()
            through.append(opt.param_groups[0]["lr"])
        buffer.seek(0)
        state = lib.load(buffer)
        opt2, _, seq2 = build(lib, first, second, milestone)
        opt2.load_state_dict(state["opt"])
        seq2.load_state_dict(state["sched"])
        resumed = []
        for _ in range(3):
            opt2.step()
            seq2.step()
            resumed.append(opt2.param_groups[0]["lr"])
    return dict(rates=rates, counts=counts, last_epoch=seq.last_epoch, warnings=[str(w.message)[:40] for w in caught],
                through=through, resumed=resumed)


# A milestone at 0: the second schedule from the start, as PyTorch 2.13's (2.11 and 2.12 give other rates and step
# counts there: StepLR(2, 0.5) second, rates 1, 1, 1, 0.5 where 2.13 gives 1, 1, 0.5, 0.5)
AT_0 = pytorch_since("2.13", "SequentialLR with a milestone at 0 starts with the second schedule")
CASES = [pytest.param(first, [m for m in MILESTONES if m], id=first) for first in KINDS] + [
    pytest.param(first, [0], id=f"{first}-at-0", marks=AT_0) for first in KINDS]


@pytest.mark.parametrize("first, milestones", CASES)
def test_sequential_lr_as_pytorch(first, milestones):
    wrong = []
    for second in KINDS:
        for milestone in milestones:
            want = program(torch, first, second, milestone)
            got = program(minigan, first, second, milestone)
            want["warnings"] = len(want["warnings"])
            got_warnings, got["warnings"] = got["warnings"], len(got["warnings"])
            for key in want:
                same = got[key] == pytest.approx(want[key], rel=1e-12) if key in ("rates", "through", "resumed") \
                    else got[key] == want[key]
                if not same:
                    wrong.append(f"{first} then {second} at {milestone}: {key} {got[key]} (PyTorch {want[key]})"
                                 + (f" {got_warnings}" if key == "warnings" else ""))
    assert not wrong, f"{len(wrong)} differences:\n" + "\n".join(wrong[:12])
