"""AdamW, Adagrad, Adadelta, NAdam and the schedulers on their own terms: a state dict resumes the same trajectory
(NAdam's running product too), bad hyperparameters are refused, cosine annealing alone is its closed form, OneCycleLR
refuses too many steps and bad arguments and round-trips its state, and clip_grad_norm_ refuses a non-finite norm
when asked.

(Its comparisons with PyTorch: tests/pytorch/test_optim_surface.py.)"""

import math

import numpy as np
import pytest

import minigan
from library.helpers_optim_surface import CASES, grad_sequence, make_params
from minigan import nn, optim
from minigan.optim import lr_scheduler


@pytest.mark.parametrize("name, kwargs", CASES)
def test_state_dict_resumes_the_same_trajectory(name, kwargs):
    params, twin_params = make_params(), make_params()
    a, b = getattr(optim, name)(params, **kwargs), getattr(optim, name)(twin_params, **kwargs)
    grads = grad_sequence(8)
    for gs in grads[:4]:
        for p, q, g in zip(params, twin_params, gs):
            p.grad, q.grad = minigan.tensor(g), minigan.tensor(g)
        a.step()
        b.step()
    c = getattr(optim, name)(twin_params, **kwargs)
    c.load_state_dict(b.state_dict())
    for gs in grads[4:]:
        for p, q, g in zip(params, twin_params, gs):
            p.grad, q.grad = minigan.tensor(g), minigan.tensor(g)
        a.step()
        c.step()
    for p, q in zip(params, twin_params):
        np.testing.assert_array_equal(p.array, q.array)


def test_bad_hyperparameters_are_refused():
    with pytest.raises(ValueError, match="Adadelta: rho must be in"):
        optim.Adadelta(make_params(), rho=1.5)
    with pytest.raises(TypeError, match="AdamW: amsgrad must be True or False"):
        optim.AdamW(make_params(), amsgrad="yes")
    with pytest.raises(ValueError, match="Adagrad: lr_decay must be"):
        optim.Adagrad(make_params(), lr_decay=-1)


def test_cosine_annealing_alone_is_the_closed_form():
    ps = make_params()
    opt = optim.SGD(ps, lr=0.5)
    s = lr_scheduler.CosineAnnealingLR(opt, T_max=10, eta_min=0.05)
    for t in range(11):
        assert math.isclose(opt.param_groups[0]["lr"], 0.05 + 0.45 * (1 + math.cos(math.pi * t / 10)) / 2,
                            rel_tol=1e-12)
        opt.step()
        s.step()


def test_one_cycle_refuses_too_many_steps_and_bad_arguments():
    opt = optim.SGD(make_params(), lr=0.1, momentum=0.9)
    s = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=3)
    for _ in range(3):
        s.step()
    with pytest.raises(ValueError, match="more than total_steps=3"):
        s.step()
    with pytest.raises(ValueError, match="give total_steps, or epochs and steps_per_epoch"):
        lr_scheduler.OneCycleLR(optim.SGD(make_params(), lr=0.1), max_lr=1.0)
    with pytest.raises(ValueError, match="cycle_momentum=True needs an optimizer with momentum or betas"):
        lr_scheduler.OneCycleLR(optim.Adagrad(make_params()), max_lr=1.0, total_steps=5)
    with pytest.raises(TypeError, match="MultiStepLR: milestones must be a list of ints"):
        lr_scheduler.MultiStepLR(opt, milestones=[1.5])


def test_scheduler_state_dict_round_trips():
    opt = optim.SGD(make_params(), lr=0.1, momentum=0.9)
    s = lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10)
    for _ in range(4):
        s.step()
    state = s.state_dict()
    opt2 = optim.SGD(make_params(), lr=0.1, momentum=0.9)
    opt2.load_state_dict(opt.state_dict())
    s2 = lr_scheduler.OneCycleLR(opt2, max_lr=1.0, total_steps=10)
    s2.load_state_dict(state)
    s.step()
    s2.step()
    assert s.get_last_lr() == s2.get_last_lr()


def test_clip_grad_norm_refuses_a_non_finite_norm_when_asked():
    p = minigan.tensor([1.0, 2.0], requires_grad=True)
    p.grad = minigan.tensor([np.inf, 1.0])
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)
    p.grad = minigan.tensor([3.0, 4.0])  # a negative max_norm is not refused (nor by PyTorch): it flips the gradient
    nn.utils.clip_grad_norm_([p], -1.0)
    np.testing.assert_allclose(p.grad.numpy(), [-0.6, -0.8], rtol=1e-5)


def test_nadam_state_round_trips_through_a_checkpoint(tmp_path):
    """Its running product of momentum coefficients is a float, kept as a 0-d array in the file."""
    p = minigan.nn.Parameter(minigan.tensor(np.linspace(-1.0, 1.0, 6).reshape(2, 3), dtype=minigan.float32))
    opt = optim.NAdam([p], lr=0.01)
    for _ in range(3):
        p.grad = minigan.ones(2, 3)
        opt.step()
    minigan.save(opt.state_dict(), tmp_path / "nadam.pt")
    q = minigan.nn.Parameter(minigan.tensor(p.array.copy()))
    again = optim.NAdam([q], lr=0.01)
    again.load_state_dict(minigan.load(tmp_path / "nadam.pt"))
    for param, o in ((p, opt), (q, again)):
        param.grad = minigan.ones(2, 3)
        o.step()
    np.testing.assert_array_equal(p.array, q.array)
