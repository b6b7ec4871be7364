"""Torch-free statements of tests/pytorch/test_optim_group_values.py: a parameter repeated in a group warns and
moves once per appearance (closed form: SGD moves it by 2·lr·g); a Tensor lr stays that Tensor in the groups and
steps as the number it holds; a schedule's get_lr() read outside step() warns, step() and the GAN recipes' own
reading do not."""

import warnings

import numpy as np
import pytest

import minigan
from library.helpers_optim_arguments import BASE, NAMES
from minigan import optim
from minigan.gans.recipes import build_experiment
from minigan.optim import lr_scheduler


@pytest.mark.parametrize("name", NAMES)
def test_a_parameter_given_twice_warns_and_is_kept_twice(name):
    p = minigan.tensor(np.ones(3), requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate parameters"):
        opt = getattr(optim, name)([p, p], **BASE[name])
    assert len(opt.param_groups[0]["params"]) == 2 and opt.state_dict()["param_groups"][0]["params"] == [1, 1]


def test_sgd_moves_a_repeated_parameter_once_per_appearance():
    p = minigan.tensor(np.array([1.0, -2.0]), requires_grad=True)
    with pytest.warns(UserWarning):
        opt = optim.SGD([p, p, p], lr=0.1)
    p.grad = minigan.tensor(np.array([0.5, 1.0]))
    opt.step()
    np.testing.assert_allclose(p.detach().numpy(), [1.0 - 3 * 0.1 * 0.5, -2.0 - 3 * 0.1 * 1.0], rtol=1e-15)


@pytest.mark.parametrize("name", NAMES)
def test_a_tensor_lr_is_kept_and_steps_as_its_number(name):
    lr = minigan.tensor(0.5 if name == "Adadelta" else 0.01, dtype=np.float64)
    ps = [minigan.tensor(np.linspace(-1.0, 1.0, 4), requires_grad=True) for _ in range(2)]
    opt_t = getattr(optim, name)([ps[0]], lr=lr)
    opt_f = getattr(optim, name)([ps[1]], lr=lr.item())
    assert opt_t.param_groups[0]["lr"] is lr and opt_t.defaults["lr"] is lr
    assert opt_t.state_dict()["param_groups"][0]["lr"] is lr
    for k in range(3):
        for p in ps:
            p.grad = minigan.tensor(np.cos(np.arange(4.0) * (k + 1)))
        opt_t.step()
        opt_f.step()
    np.testing.assert_array_equal(ps[0].detach().numpy(), ps[1].detach().numpy())


@pytest.mark.parametrize("value", [[0.1, 0.2], [], -0.1])
def test_a_tensor_lr_is_checked(value):
    with pytest.raises(ValueError):
        optim.SGD([minigan.tensor(np.ones(2), requires_grad=True)], lr=minigan.tensor(value))


def test_get_lr_warns_only_outside_step():
    opt = optim.SGD([minigan.tensor(np.ones(2), requires_grad=True)], lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sched = lr_scheduler.StepLR(opt, 2, 0.5)
        opt.step()
        sched.step()
        with lr_scheduler._enable_get_lr_call(sched):
            sched.get_lr()
    with pytest.warns(UserWarning, match=r"please use `get_last_lr\(\)`"):
        sched.get_lr()


def test_the_recipes_place_their_schedules_without_a_warning():
    exp = build_experiment("gan", "ring", seed=0, lr_decay=True, steps=20)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        for _ in range(2):
            exp.train_step(20)
