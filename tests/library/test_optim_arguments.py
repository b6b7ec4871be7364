"""PyTorch's optimizer arguments on their own terms: maximize ascends and leaves the gradient alone, the switches are
checked at the door (TypeError naming the key), a loop may set a tensor lr, and a state dict written before the new
keys still loads.

(Its comparisons with PyTorch: tests/pytorch/test_optim_arguments.py.)"""

import numpy as np
import pytest

import minigan
from library.helpers_optim_arguments import BASE, NAMES, grad_sequence, groups_without_params, make_params
from minigan import optim


def test_maximize_ascends_and_leaves_the_gradient_alone():
    p = minigan.tensor(np.zeros(2), requires_grad=True)
    opt = optim.SGD([p], lr=0.5, maximize=True)
    p.grad = minigan.tensor(np.array([1.0, -2.0]))
    opt.step()
    np.testing.assert_array_equal(p.array, [0.5, -1.0])  # θ ← θ + η·g
    np.testing.assert_array_equal(p.grad.array, [1.0, -2.0])  # p.grad is not negated in place


@pytest.mark.parametrize("name", NAMES)
def test_switches_and_maximize_are_checked_at_the_door(name):
    for key in ("maximize", "foreach", "differentiable"):
        with pytest.raises(TypeError, match=rf"^{name}: {key} must be True or False, got 'yes'$"):
            getattr(optim, name)(make_params(), **dict(BASE[name], **{key: "yes"}))
    with pytest.raises(TypeError, match=rf"^{name}: maximize must be True or False, got None$"):
        getattr(optim, name)(make_params(), **dict(BASE[name], maximize=None))


def test_a_loop_may_set_a_tensor_lr():
    p = minigan.tensor(np.ones(2), requires_grad=True)
    opt = optim.SGD([p], lr=0.1)
    opt.param_groups[0]["lr"] = minigan.tensor(0.5, dtype=np.float64)
    p.grad = minigan.ones(2, dtype=p.dtype)
    opt.step()
    np.testing.assert_array_equal(p.array, [0.5, 0.5])


NEW_KEYS = ("maximize", "foreach", "fused", "capturable", "differentiable", "decoupled_weight_decay")


@pytest.mark.parametrize("name", NAMES)
def test_a_state_dict_without_the_new_keys_still_loads(name):
    ps = make_params()
    opt = getattr(optim, name)(ps, **BASE[name])
    for p, g in zip(ps, grad_sequence(1)[0]):
        p.grad = minigan.tensor(g)
    opt.step()
    old = opt.state_dict()
    old["param_groups"] = [{k: v for k, v in g.items() if k not in NEW_KEYS} for g in old["param_groups"]]
    fresh = getattr(optim, name)(make_params(), **BASE[name])
    fresh.load_state_dict(old)
    assert groups_without_params(fresh) == groups_without_params(opt)  # the new keys keep this optimizer's values
    if name == "AdamW":
        assert fresh.param_groups[0]["decoupled_weight_decay"] is True
