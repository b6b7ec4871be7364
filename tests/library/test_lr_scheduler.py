"""``optimizer.param_groups`` and ``minigan.optim.lr_scheduler`` against closed forms: each schedule follows its
formula in every group, opt.lr sets every group and bad rates are refused, scheduler and optimizer states round-trip
through a checkpoint (one of the earlier format still loads), schedulers check their arguments, and the GAN recipes'
decay is a LambdaLR with the same rates.

(Its comparisons with PyTorch: tests/pytorch/test_lr_scheduler.py.)"""

import math

import numpy as np
import pytest

import minigan
from library.helpers_lr_scheduler import SCHEDULES, lr_sequence, params, two_groups
from minigan import optim
from minigan.optim import lr_scheduler


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_each_schedule_follows_its_formula_in_every_group(name):
    kwargs, formula = SCHEDULES[name]
    opt = two_groups()
    scheduler = getattr(lr_scheduler, name.split("_")[0])(opt, **kwargs)
    for t, rates in enumerate(lr_sequence(scheduler, opt)):
        np.testing.assert_allclose(rates, [formula(0.5, t), formula(0.1, t)], rtol=1e-13, atol=1e-300)  # chained
    assert [g["lr"] for g in opt.param_groups] == scheduler.get_last_lr()  # what step() reads
    assert [g["initial_lr"] for g in opt.param_groups] == [0.5, 0.1]


def test_opt_lr_sets_every_group_and_bad_rates_are_refused():
    opt = two_groups()
    with pytest.raises(ValueError, match="the groups have different learning rates"):
        print(opt.lr)
    opt.lr = 0.3
    assert [g["lr"] for g in opt.param_groups] == [0.3, 0.3] and opt.lr == 0.3
    opt.param_groups[1]["lr"] = "0.1"  # what is no number is refused at step, as PyTorch's (a negative lr ascends)
    for p in opt.params:
        p.grad = minigan.ones(3)
    with pytest.raises(TypeError, match=r"SGD.step: param_groups\[i\]\['lr'\] must be a number, got str"):
        opt.step()
    opt.param_groups[1]["lr"] = 0.0  # a schedule may end at 0: that step moves nothing
    before = opt.params[1].detach().numpy().copy()
    opt.step()
    np.testing.assert_array_equal(opt.params[1].detach().numpy(), before)
    with pytest.raises(ValueError, match="appear in more than one parameter group"):
        opt.add_param_group({"params": [opt.params[0]]})
    with pytest.warns(UserWarning, match=r"'betas' is not a hyperparameter of SGD.*another optimizer's"):
        opt.add_param_group({"params": params(1), "betas": (0.5, 0.9)})  # kept and unread, as PyTorch's


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
    with pytest.raises(ValueError, match=r"LambdaLR: expected 2 lr_lambdas \(one per param group\), got 1"):
        lr_scheduler.LambdaLR(opt, [lambda t: 1.0])
    with pytest.raises(TypeError, match="lr_lambda must be a function or a list of 2 functions"):
        lr_scheduler.LambdaLR(opt, [0.5, 0.5])
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


def test_the_step_count_and_one_cycle_phases_keep_pytorchs_form_and_earlier_states_load():
    opt = optim.SGD([minigan.nn.Parameter(minigan.ones(2))], lr=0.1, momentum=0.9)
    sched = lr_scheduler.OneCycleLR(opt, max_lr=0.5, total_steps=10)
    state = sched.state_dict()
    assert state["_step_count"] == 1  # the constructor's step counts, as PyTorch's
    assert state["_schedule_phases"][0] == {"end_step": 2.0, "start_lr": "initial_lr", "end_lr": "max_lr",
                                            "start_momentum": "max_momentum", "end_momentum": "base_momentum"}
    opt.step()
    sched.step()
    rate = opt.param_groups[0]["lr"]
    earlier = dict(sched.state_dict(), _loop_steps=1,  # (a state saved before: a count from 0, phases as tuples)
                   _schedule_phases=[tuple(p.values()) for p in sched.state_dict()["_schedule_phases"]])
    del earlier["_step_count"]
    fresh_opt = optim.SGD([minigan.nn.Parameter(minigan.ones(2))], lr=0.1, momentum=0.9)
    fresh = lr_scheduler.OneCycleLR(fresh_opt, max_lr=0.5, total_steps=10)
    fresh_opt.load_state_dict(opt.state_dict())
    fresh.load_state_dict(earlier)
    assert fresh.state_dict() == sched.state_dict()
    opt.step(), sched.step(), fresh_opt.step(), fresh.step()
    assert fresh_opt.param_groups[0]["lr"] == opt.param_groups[0]["lr"] != rate
