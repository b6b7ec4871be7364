"""``scheduler.step(epoch)`` (deprecated in PyTorch, with its warning) to any epoch: PyTorch sets ``last_epoch`` to
it and takes the rate from the schedule's closed form where it has one (StepLR, MultiStepLR, ExponentialLR,
LinearLR, ConstantLR, CosineAnnealingLR, PolynomialLR: ``_get_closed_form_lr``), else from ``get_lr()`` at that epoch
(LambdaLR, MultiplicativeLR, OneCycleLR).  Drawn sequences of ``step()`` and ``step(epoch)`` (forward, back, the
same epoch again, a jump), each scheduler against PyTorch's: the rates after every call, ``last_epoch``, and the
deprecation warning (class and text) exactly where PyTorch gives it."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SCHEDULERS = {
    "StepLR": lambda S, opt: S.StepLR(opt, step_size=3, gamma=0.5),
    "MultiStepLR": lambda S, opt: S.MultiStepLR(opt, milestones=[2, 5, 5, 9], gamma=0.3),
    "ExponentialLR": lambda S, opt: S.ExponentialLR(opt, gamma=0.8),
    "LinearLR": lambda S, opt: S.LinearLR(opt, start_factor=0.25, end_factor=0.9, total_iters=6),
    "ConstantLR": lambda S, opt: S.ConstantLR(opt, factor=0.5, total_iters=4),
    "CosineAnnealingLR": lambda S, opt: S.CosineAnnealingLR(opt, T_max=7, eta_min=0.01),
    "PolynomialLR": lambda S, opt: S.PolynomialLR(opt, total_iters=8, power=2.0),
    "LambdaLR": lambda S, opt: S.LambdaLR(opt, lambda e: 1.0 / (1 + e)),
    "MultiplicativeLR": lambda S, opt: S.MultiplicativeLR(opt, lambda e: 0.9),
    "OneCycleLR": lambda S, opt: S.OneCycleLR(opt, max_lr=1.0, total_steps=12),
}


def _calls(seed):
    rng = np.random.default_rng(seed)
    calls, epoch = [], 0
    for _ in range(8):
        kind = rng.integers(4)
        if kind == 0:
            calls.append(None)
            epoch += 1
        else:
            epoch = [epoch, epoch + 1, int(rng.integers(0, 15))][kind - 1]
            calls.append(epoch)
    return calls


def _run(lib, name, calls):
    p = lib.nn.Parameter(lib.zeros(2, dtype=lib.float64))
    q = lib.nn.Parameter(lib.zeros(1, dtype=lib.float64))
    opt = lib.optim.SGD([{"params": [p]}, {"params": [q], "lr": 0.3}], lr=0.1, momentum=0.9)
    sched = SCHEDULERS[name](lib.optim.lr_scheduler, opt)
    seen = []
    for epoch in calls:
        opt.step()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                sched.step() if epoch is None else sched.step(epoch)
                outcome = [round(lr, 12) for lr in sched.get_last_lr()], sched.last_epoch
            except Exception as exc:  # noqa: BLE001 - the class is the result
                outcome = exc
        seen.append((outcome, [(w.category, str(w.message)) for w in caught if "epoch" in str(w.message)]))
    return seen


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("name", SCHEDULERS)
def test_step_to_an_epoch_is_pytorchs(name, seed):
    calls = _calls(seed * 31 + len(name))
    theirs, ours = _run(torch, name, calls), _run(minigan, name, calls)
    for (o, ow), (t, tw) in zip(ours, theirs):
        assert ow == tw, (calls, ours, theirs)
        if isinstance(t, tuple) and isinstance(o, tuple):
            assert o[1] == t[1] and all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) for a, b in zip(o[0], t[0])), \
                (calls, ours, theirs)
        else:  # (an epoch past OneCycleLR's total_steps: PyTorch's ValueError)
            assert isinstance(t, Exception) and isinstance(o, type(t)), (calls, ours, theirs)
