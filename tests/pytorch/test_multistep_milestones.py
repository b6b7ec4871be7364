"""MultiStepLR's ``milestones`` as PyTorch holds them: a ``collections.Counter`` in the order given (PyTorch's
``Counter(milestones)``), which ``print(scheduler.milestones)`` and ``print(scheduler.state_dict())`` show; minigan
held a plain dict sorted by epoch.  The learning rates are unchanged (checked along).  Found by outsider round 5's
scheduler survey."""

import warnings

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

MILESTONES = [[2, 5], [5, 2], [3, 3, 1], [4], [], [6, 0, 6, 2], (1, 2), range(2, 8, 3)]


def _seen(lib, milestones):
    p = lib.nn.Parameter(lib.zeros(1))
    opt = lib.optim.SGD([p], lr=1.0)
    sched = lib.optim.lr_scheduler.MultiStepLR(opt, milestones, gamma=0.5)
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(8):
            opt.step()
            sched.step()
            lrs.append(sched.get_last_lr()[0])
    return (type(sched.milestones).__name__, repr(sched.milestones), list(sched.milestones),
            repr(sched.state_dict()["milestones"]), lrs)


@pytest.mark.parametrize("milestones", MILESTONES, ids=[repr(m) for m in MILESTONES])
def test_milestones_held_as_pytorch(milestones):
    assert _seen(minigan, milestones) == _seen(torch, milestones)
