"""Every optimizer PyTorch also has takes PyTorch's arguments (names, order, defaults), ``maximize`` and the
implementation switches (``foreach``, ``fused``, ``capturable``, ``differentiable``), ``lr`` as a 1-element
Tensor; its ``param_groups`` hold PyTorch's keys and its ``repr`` is PyTorch's; checkpoints round-trip with
the new keys, and one written before them still loads.  Each against torch.optim, in float64.

(Its torch-free tests: tests/library/test_optim_arguments.py.)"""

import inspect

import numpy as np
import pytest
from library.helpers_optim_arguments import BASE, NAMES, grad_sequence, groups_without_params, make_params

import minigan
from minigan import optim
from minigan.optim import lr_scheduler

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# PyTorch keeps NAdam's running product Π μ_i in float32; minigan in float64
TOL = {"NAdam": dict(rtol=1e-6, atol=1e-9)}


def twin(params):
    return [torch.tensor(p.array.copy(), requires_grad=True) for p in params]


def run_both(name, ours_kwargs, theirs_kwargs=None, steps=8, make=None):
    """Both libraries from the same start over the same gradients; asserts every step agrees."""
    params = make_params()
    tparams = twin(params)
    ours = getattr(optim, name)(params, **ours_kwargs)
    theirs = getattr(torch.optim, name)(tparams, **(ours_kwargs if theirs_kwargs is None else theirs_kwargs))
    for gs in grad_sequence(steps):
        for p, tp, g in zip(params, tparams, gs):
            p.grad, tp.grad = minigan.tensor(g), torch.tensor(g)
        ours.step()
        theirs.step()
        for p, tp in zip(params, tparams):
            np.testing.assert_allclose(p.array, tp.detach().numpy(), **TOL.get(name, dict(rtol=1e-12, atol=1e-13)))
    return params, ours, theirs


# ----------------------------------------------------------------------------- 1. the signatures
@pytest.mark.parametrize("name", NAMES)
def test_signature_is_pytorchs(name):
    """Names, positional/keyword-only kinds and defaults, in PyTorch's order."""
    def described(cls):
        return [(p.name, p.kind, p.default) for p in inspect.signature(cls).parameters.values()]
    assert described(getattr(optim, name)) == described(getattr(torch.optim, name))


def test_positional_arguments_follow_pytorchs_order():
    # SGD(params, lr, momentum, dampening, weight_decay, nesterov): dampening before weight_decay, as PyTorch
    for name, args in (("SGD", (0.05, 0.9, 0.3, 0.01)), ("RMSprop", (0.01, 0.9, 1e-6, 0.01, 0.5, True)),
                       ("Adagrad", (0.1, 0.01, 0.02, 0.1, 1e-6)), ("Adadelta", (0.5, 0.8, 1e-4, 0.01)),
                       ("NAdam", (0.01, (0.8, 0.9), 1e-8, 0.05, 0.01, True)),
                       ("RAdam", (0.01, (0.8, 0.9), 1e-8, 0.05, True))):
        params = make_params()
        tparams = twin(params)
        ours, theirs = getattr(optim, name)(params, *args), getattr(torch.optim, name)(tparams, *args)
        for gs in grad_sequence(6):
            for p, tp, g in zip(params, tparams, gs):
                p.grad, tp.grad = minigan.tensor(g), torch.tensor(g)
            ours.step()
            theirs.step()
        for p, tp in zip(params, tparams):
            np.testing.assert_allclose(p.array, tp.detach().numpy(), **TOL.get(name, dict(rtol=1e-12, atol=1e-13)))
        assert groups_without_params(ours) == groups_without_params(theirs), name


def test_sgd_defaults_to_pytorchs_learning_rate():
    run_both("SGD", {})  # lr=1e-3 when none is given, as torch.optim.SGD


# ----------------------------------------------------------------------------- 2. maximize
MAXIMIZE = [
    ("SGD", dict(lr=0.05)),
    ("SGD", dict(lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01)),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, weight_decay=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.05, decoupled_weight_decay=True)),
    ("AdamW", dict(lr=0.01, weight_decay=0.05, amsgrad=True)),
    ("RMSprop", dict(lr=0.01, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1)),
    ("Adadelta", dict(lr=0.5, weight_decay=0.01)),
    ("Adamax", dict(lr=0.01, weight_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01, weight_decay=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True)),
]


@pytest.mark.parametrize("name, kwargs", MAXIMIZE, ids=[f"{n}-{i}" for i, (n, _) in enumerate(MAXIMIZE)])
def test_maximize_matches_torch(name, kwargs):
    up, _, _ = run_both(name, dict(kwargs, maximize=True), steps=10)
    down, _, _ = run_both(name, kwargs, steps=10)
    assert not np.allclose(up[0].array, down[0].array)  # maximize changes the trajectory


# ----------------------------------------------------------------------------- 3. the implementation switches
SWITCHES = {
    "SGD": [dict(foreach=True), dict(fused=True), dict(foreach=False, fused=False, differentiable=True)],
    "Adam": [dict(foreach=True), dict(fused=True), dict(capturable=True, differentiable=True)],
    "AdamW": [dict(foreach=True), dict(fused=True), dict(capturable=True, differentiable=True)],
    "RMSprop": [dict(foreach=True), dict(capturable=True, differentiable=True)],
    "Adagrad": [dict(foreach=True), dict(fused=True), dict(differentiable=True)],
    "Adadelta": [dict(foreach=True), dict(capturable=True, differentiable=True)],
    "Adamax": [dict(foreach=True), dict(capturable=True, differentiable=True)],
    "NAdam": [dict(foreach=True), dict(capturable=True, differentiable=True)],
    "RAdam": [dict(foreach=True), dict(capturable=True, differentiable=True)],
}


@pytest.mark.parametrize("name, switches", [(n, s) for n, cases in SWITCHES.items() for s in cases])
def test_implementation_switches_change_nothing(name, switches):
    """Kept in the groups as given (PyTorch's keys and values), the numbers are torch's default path's."""
    _, ours, theirs = run_both(name, dict(BASE[name], **switches), dict(BASE[name]))
    for key, value in switches.items():
        assert ours.param_groups[0][key] is value
    if not switches.get("capturable") and not switches.get("differentiable"):  # torch runs these on CPU
        _, ours, theirs = run_both(name, dict(BASE[name], **switches))
        assert groups_without_params(ours) == groups_without_params(theirs)


@pytest.mark.parametrize("name", ["SGD", "Adam", "AdamW", "Adagrad"])
def test_foreach_and_fused_together_are_refused_as_in_torch(name):
    with pytest.raises(RuntimeError):
        getattr(torch.optim, name)(twin(make_params()), **dict(BASE[name], foreach=True, fused=True))
    with pytest.raises(RuntimeError, match=rf"^{name}: foreach=True and fused=True cannot be used together"):
        getattr(optim, name)(make_params(), **dict(BASE[name], foreach=True, fused=True))


# ----------------------------------------------------------------------------- 4. options PyTorch has
def test_adam_decoupled_weight_decay_is_adamw():
    params, ours, _ = run_both("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True), steps=10)
    other = make_params()
    adamw = optim.AdamW(other, lr=0.01, weight_decay=0.1)
    for gs in grad_sequence(10):
        for p, g in zip(other, gs):
            p.grad = minigan.tensor(g)
        adamw.step()
    for p, q in zip(params, other):
        np.testing.assert_array_equal(p.array, q.array)
    coupled, _, _ = run_both("Adam", dict(lr=0.01, weight_decay=0.1), steps=10)
    assert not np.allclose(coupled[0].array, params[0].array)


# ----------------------------------------------------------------------------- 5. lr as a Tensor
@pytest.mark.parametrize("name", NAMES)
def test_lr_as_a_tensor_works_as_in_torch(name):
    lr = 0.5 if name == "Adadelta" else 0.01
    params = make_params()
    tparams = twin(params)
    ours = getattr(optim, name)(params, lr=minigan.tensor(lr, dtype=np.float64))
    theirs = getattr(torch.optim, name)(tparams, lr=torch.tensor(lr, dtype=torch.float64))
    assert type(ours.param_groups[0]["lr"]).__name__ == type(theirs.param_groups[0]["lr"]).__name__ == "Tensor"
    ours_sched, theirs_sched = lr_scheduler.StepLR(ours, 2, 0.5), torch.optim.lr_scheduler.StepLR(theirs, 2, 0.5)
    for gs in grad_sequence(6):
        for p, tp, g in zip(params, tparams, gs):
            p.grad, tp.grad = minigan.tensor(g), torch.tensor(g)
        ours.step()
        theirs.step()
        ours_sched.step()
        theirs_sched.step()
        assert float(ours.param_groups[0]["lr"]) == float(theirs.param_groups[0]["lr"])
    for p, tp in zip(params, tparams):
        np.testing.assert_allclose(p.array, tp.detach().numpy(), **TOL.get(name, dict(rtol=1e-12, atol=1e-13)))


def test_a_float32_tensor_lr_is_the_float_it_holds_as_in_torch():
    ours = optim.Adam(make_params(), lr=minigan.tensor(0.01))
    theirs = torch.optim.Adam(twin(make_params()), lr=torch.tensor(0.01))
    assert ours.param_groups[0]["lr"].item() == theirs.param_groups[0]["lr"].item() != 0.01
    assert repr(ours) == repr(theirs)


def test_lr_tensor_of_several_elements_is_refused():
    with pytest.raises(ValueError):
        torch.optim.Adam(twin(make_params()), lr=torch.tensor([0.01, 0.02]))
    with pytest.raises(ValueError, match=r"^Adam: lr must be a number or a 1-element Tensor, got a Tensor of "
                                         r"shape \(2,\)$"):
        optim.Adam(make_params(), lr=minigan.tensor([0.01, 0.02]))


# ----------------------------------------------------------------------------- 6. param_groups and repr
REPRS = [
    ("SGD", dict()),
    ("SGD", dict(lr=1, momentum=0.9, nesterov=True, foreach=True)),
    ("Adam", dict()),
    ("Adam", dict(lr=2e-4, betas=(0.5, 0.999), weight_decay=1e-5, amsgrad=True, maximize=True)),
    ("AdamW", dict()),
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=5e-5, momentum=0.5, centered=True)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr_decay=1e-3, initial_accumulator_value=0.1)),
    ("Adadelta", dict()),
    ("Adamax", dict()),
    ("NAdam", dict()),
    ("NAdam", dict(momentum_decay=0.01, decoupled_weight_decay=True, weight_decay=0.01)),
    ("RAdam", dict()),
    ("RAdam", dict(decoupled_weight_decay=True, weight_decay=0.1)),
]


@pytest.mark.parametrize("name, kwargs", REPRS, ids=[f"{n}-{i}" for i, (n, _) in enumerate(REPRS)])
def test_param_groups_and_repr_are_pytorchs(name, kwargs):
    ours = getattr(optim, name)(make_params(), **kwargs)
    theirs = getattr(torch.optim, name)(twin(make_params()), **kwargs)
    assert sorted(ours.param_groups[0]) == sorted(theirs.param_groups[0])
    assert groups_without_params(ours) == groups_without_params(theirs)
    assert repr(ours) == repr(theirs)
    assert str(ours) == str(theirs)


@pytest.mark.parametrize("name", NAMES)
def test_repr_of_two_groups_after_a_loop_and_a_scheduler_is_pytorchs(name):
    ps, tps = make_params(), twin(make_params())
    ours = getattr(optim, name)([{"params": ps[:2]}, {"params": ps[2:], "lr": 0.5, "weight_decay": 0.1}], lr=0.25)
    theirs = getattr(torch.optim, name)([{"params": tps[:2]}, {"params": tps[2:], "lr": 0.5, "weight_decay": 0.1}],
                                        lr=0.25)
    for opt in (ours, theirs):
        for group in opt.param_groups:
            group["lr"] = group["lr"] / 2  # the loop of PyTorch scripts
    lr_scheduler.StepLR(ours, 3)  # adds initial_lr to each group
    torch.optim.lr_scheduler.StepLR(theirs, 3)
    assert repr(ours) == repr(theirs)
    assert groups_without_params(ours) == groups_without_params(theirs)


# ----------------------------------------------------------------------------- 7. checkpoints
@pytest.mark.parametrize("name", NAMES)
def test_state_dict_round_trips_with_the_new_keys(name, tmp_path):
    kwargs = dict(BASE[name], maximize=True, foreach=False)
    params, ours, theirs = run_both(name, kwargs, steps=4)
    saved = ours.state_dict()
    assert [{k: (tuple(v) if k == "betas" else v) for k, v in g.items()} for g in saved["param_groups"]] == \
        theirs.state_dict()["param_groups"]  # the same keys and values (betas: a list, for the file)
    minigan.save(saved, tmp_path / "opt.pt")
    expected = [p.array.copy() for p in params]

    resumed = [minigan.tensor(a.copy(), requires_grad=True) for a in expected]
    again = getattr(optim, name)(resumed, lr=0.3)  # different settings: loading restores the saved ones
    again.load_state_dict(minigan.load(tmp_path / "opt.pt"))
    assert groups_without_params(again) == groups_without_params(ours)
    for gs in grad_sequence(3, seed=7):
        for p, q, g in zip(params, resumed, gs):
            p.grad, q.grad = minigan.tensor(g), minigan.tensor(g)
        ours.step()
        again.step()
    for p, q in zip(params, resumed):
        np.testing.assert_array_equal(p.array, q.array)
