"""``optimizer.param_groups`` and ``minigan.optim.lr_scheduler``, against PyTorch and closed forms; and the
GAN recipes' learning-rate decay, now a LambdaLR."""

import math

import numpy as np
import pytest
from conftest import HAVE_TORCH

import minigan
from minigan import optim
from minigan.optim import lr_scheduler

if HAVE_TORCH:
    import torch

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")

SCHEDULES = {  # name: (constructor arguments, the documented closed form of epoch t for base rate b)
    "StepLR": (dict(step_size=3, gamma=0.5), lambda b, t: b * 0.5 ** (t // 3)),
    "ExponentialLR": (dict(gamma=0.9), lambda b, t: b * 0.9**t),
    "LambdaLR": (dict(lr_lambda=lambda t: 1.0 / (1 + t)), lambda b, t: b / (1 + t)),
    "LinearLR": (dict(start_factor=0.25, end_factor=1.0, total_iters=5),
                 lambda b, t: b * (0.25 + 0.75 * min(t, 5) / 5)),
    "LinearLR_to_zero": (dict(start_factor=1.0, end_factor=0.0, total_iters=4), lambda b, t: b * (1 - min(t, 4) / 4)),
    "PolynomialLR": (dict(total_iters=6, power=2.0), lambda b, t: b * (1 - min(t, 6) / 6) ** 2),
    "CosineAnnealingWarmRestarts": (dict(T_0=3, eta_min=0.01),  # periods of 3 epochs, each from the top
                                    lambda b, t: 0.01 + (b - 0.01) * (1 + math.cos(math.pi * (t % 3) / 3)) / 2),
    "CosineAnnealingWarmRestarts_doubling": (dict(T_0=2, T_mult=2),  # restarts at 2, 6, 14: periods 2, 4, 8
                                             lambda b, t: b * (1 + math.cos(math.pi * _phase(t))) / 2),
}


def _phase(t, first=2):
    """How far epoch t is into its SGDR period (0 at a restart, towards 1), when periods double from ``first``."""
    start, length = 0, first
    while t >= start + length:
        start, length = start + length, length * 2
    return (t - start) / length


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


def params(n=2):
    return [minigan.tensor(np.ones(3, np.float32), requires_grad=True) for _ in range(n)]


def two_groups(cls=optim.SGD, ps=None):
    ps = ps or params()
    return cls([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.1}], lr=0.5)


def lr_sequence(scheduler, opt, epochs=14):
    seen = []
    for _ in range(epochs):
        seen.append(scheduler.get_last_lr())
        opt.step()
        scheduler.step()
    return seen


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_each_schedule_follows_its_formula_in_every_group(name):
    kwargs, formula = SCHEDULES[name]
    opt = two_groups()
    scheduler = getattr(lr_scheduler, name.split("_")[0])(opt, **kwargs)
    for t, rates in enumerate(lr_sequence(scheduler, opt)):
        np.testing.assert_allclose(rates, [formula(0.5, t), formula(0.1, t)], rtol=1e-13, atol=1e-300)  # chained
    assert [g["lr"] for g in opt.param_groups] == scheduler.get_last_lr()  # what step() reads
    assert [g["initial_lr"] for g in opt.param_groups] == [0.5, 0.1]


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


def test_opt_lr_sets_every_group_and_bad_rates_are_refused():
    opt = two_groups()
    with pytest.raises(ValueError, match="the groups have different learning rates"):
        print(opt.lr)
    opt.lr = 0.3
    assert [g["lr"] for g in opt.param_groups] == [0.3, 0.3] and opt.lr == 0.3
    opt.param_groups[1]["lr"] = -1.0
    for p in opt.params:
        p.grad = minigan.ones(3)
    with pytest.raises(ValueError, match=r"SGD.step: param_groups\[i\]\['lr'\] must be a finite number >= 0"):
        opt.step()
    opt.param_groups[1]["lr"] = 0.0  # a schedule may end at 0: that step moves nothing
    before = opt.params[1].detach().numpy().copy()
    opt.step()
    np.testing.assert_array_equal(opt.params[1].detach().numpy(), before)
    with pytest.raises(ValueError, match="appear in more than one parameter group"):
        opt.add_param_group({"params": [opt.params[0]]})
    with pytest.raises(ValueError, match=r"unknown hyperparameter\(s\) \['betas'\]"):
        opt.add_param_group({"params": params(1), "betas": (0.5, 0.9)})


def test_scheduler_state_round_trips_through_a_checkpoint(tmp_path):
    opt = two_groups(optim.Adam)
    scheduler = lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    lr_sequence(scheduler, opt, epochs=3)
    minigan.save({"opt": opt.state_dict(), "sched": scheduler.state_dict()}, tmp_path / "c.npz")
    expected = lr_sequence(scheduler, opt, epochs=5)

    ckpt = minigan.load(tmp_path / "c.npz")
    opt2 = two_groups(optim.Adam)
    opt2.load_state_dict(ckpt["opt"])
    resumed = lr_scheduler.StepLR(opt2, step_size=2, gamma=0.5)
    resumed.load_state_dict(ckpt["sched"])
    assert resumed.last_epoch == 3 and resumed.base_lrs == [0.5, 0.1]
    assert lr_sequence(resumed, opt2, epochs=5) == expected
    with pytest.raises(ValueError, match="unknown entries"):
        lr_scheduler.ExponentialLR(opt2, 0.9).load_state_dict(ckpt["sched"])


def test_an_optimizer_state_of_the_earlier_format_still_loads():
    ps = params(1)
    opt = optim.Adam(ps, lr=0.01)
    ps[0].grad = minigan.ones(3)
    opt.step()
    state = opt.state_dict()
    old = {"optimizer": "Adam", "format": 1, "hyperparameters": {"lr": 0.02, "betas": [0.5, 0.9], "eps": 1e-8,
                                                                "weight_decay": 0.0},
           "state": [state["state"][0]]}
    opt2 = optim.Adam(ps := params(1))
    opt2.load_state_dict(old)
    assert opt2.param_groups[0]["lr"] == 0.02 and opt2.param_groups[0]["betas"] == (0.5, 0.9)
    assert opt2.state[ps[0]]["step"] == 1


def test_schedulers_check_their_arguments():
    opt = two_groups()
    with pytest.raises(ValueError, match="StepLR: step_size must be a positive int"):
        lr_scheduler.StepLR(opt, step_size=0)
    with pytest.raises(TypeError, match="lr_lambda must be a function or a list of 2 functions"):
        lr_scheduler.LambdaLR(opt, [lambda t: 1.0])
    with pytest.raises(ValueError, match=r"LinearLR: start_factor must be in \(0.0, 1.0\]"):
        lr_scheduler.LinearLR(opt, start_factor=0.0)
    with pytest.raises(TypeError, match="expected a minigan optimizer"):
        lr_scheduler.ExponentialLR("adam", gamma=0.9)
    with pytest.raises(KeyError, match="has no 'initial_lr'"):
        lr_scheduler.ExponentialLR(two_groups(), gamma=0.9, last_epoch=4)


def test_the_recipes_decay_is_a_lambda_lr_with_the_same_rates():
    """lr_t = lr·max(1 − t/T, 0.01), the rate the recipes used before they had a scheduler."""
    from minigan.gans.recipes import build_experiment

    exp = build_experiment("gan", "ring", seed=0, batch_size=16, hidden=(8,))
    assert [type(s).__name__ for s in exp.schedulers] == ["LambdaLR", "LambdaLR"]
    lr, total = exp.config["lr"], 4
    for t in range(6):
        exp.train_step(total_steps=total)
        for opt in (exp.trainer.opt_g, exp.trainer.opt_d):
            assert opt.lr == lr * max(1.0 - t / float(total), 0.01)
    assert math.isclose(exp.trainer.opt_g.lr, lr / 100)
    assert build_experiment("wgan", "ring", seed=0, batch_size=16, hidden=(8,)).schedulers == []  # no decay
