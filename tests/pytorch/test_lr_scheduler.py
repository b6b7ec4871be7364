"""``optimizer.param_groups`` and ``minigan.optim.lr_scheduler``, against PyTorch and closed forms; and the
GAN recipes' learning-rate decay, now a LambdaLR.

(Its torch-free tests: tests/library/test_lr_scheduler.py.)"""

import numpy as np
import pytest
from library.helpers_lr_scheduler import SCHEDULES, lr_sequence, params, two_groups

import minigan
from minigan import optim
from minigan.optim import lr_scheduler
from pytorch.oracle import HAVE_TORCH

if HAVE_TORCH:
    import torch

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


@needs_torch
def test_warm_restarts_follow_a_fractional_epoch_as_torch():
    epochs = [0.5, 1.2, 2.7, 5.5, 9.0, 13.1, 3.0]
    results = []
    for lib in (minigan, torch):
        p = lib.ones(3, requires_grad=True) if lib is torch else params(1)[0]
        opt = (torch.optim.SGD if lib is torch else optim.SGD)([p], lr=0.5)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.05)
        rates = []
        for epoch in epochs:
            opt.step()
            scheduler.step(epoch)
            rates.append(scheduler.get_last_lr()[0])
        results.append(rates)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-13)


@needs_torch
@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_each_schedule_gives_torchs_sequence(name):
    kwargs, _ = SCHEDULES[name]
    cls = name.split("_")[0]
    opt = two_groups()
    tp = [torch.ones(3, requires_grad=True) for _ in range(2)]
    topt = torch.optim.SGD([{"params": [tp[0]]}, {"params": [tp[1]], "lr": 0.1}], lr=0.5)
    ours = lr_sequence(getattr(lr_scheduler, cls)(opt, **kwargs), opt)
    theirs = lr_sequence(getattr(torch.optim.lr_scheduler, cls)(topt, **kwargs), topt)
    np.testing.assert_allclose(ours, theirs, rtol=1e-13, atol=1e-300)


@needs_torch
def test_param_groups_drive_the_steps_as_in_torch():
    """Two groups with their own lr, a loop that changes one group's lr, and a group added later."""
    rng = np.random.default_rng(0)
    start = [rng.standard_normal(3).astype(np.float32) for _ in range(3)]
    grads = [[rng.standard_normal(3).astype(np.float32) for _ in range(3)] for _ in range(6)]
    ps = [minigan.tensor(a.copy(), requires_grad=True) for a in start]
    tps = [torch.tensor(a.copy(), requires_grad=True) for a in start]
    opt = optim.Adam([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.01}], lr=0.1, betas=(0.5, 0.9))
    topt = torch.optim.Adam([{"params": [tps[0]]}, {"params": [tps[1]], "lr": 0.01}], lr=0.1, betas=(0.5, 0.9))
    for step, gs in enumerate(grads):
        if step == 2:
            opt.param_groups[0]["lr"] = topt.param_groups[0]["lr"] = 0.02
            opt.add_param_group({"params": [ps[2]], "betas": (0.0, 0.99)})
            topt.add_param_group({"params": [tps[2]], "betas": (0.0, 0.99)})
        for p, tp, g in zip(ps, tps, gs):
            p.grad, tp.grad = minigan.tensor(g), torch.tensor(g)
        opt.step()
        topt.step()
    for p, tp in zip(ps, tps):
        np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-6, atol=1e-7)
    ours, theirs = opt.state_dict(), topt.state_dict()
    assert sorted(ours["state"]) == sorted(theirs["state"]) == [0, 1, 2]
    assert [g["params"] for g in ours["param_groups"]] == [g["params"] for g in theirs["param_groups"]]
    for g, tg in zip(ours["param_groups"], theirs["param_groups"]):
        assert set(g) <= set(tg)  # the same names for what both have
        assert {k: (tuple(v) if isinstance(v, list) else v) for k, v in g.items() if k != "params"} == \
            {k: tg[k] for k in g if k != "params"}
