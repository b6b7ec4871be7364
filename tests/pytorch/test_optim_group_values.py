"""What an optimizer's groups hold and what its schedulers say, against torch.optim (float64):

- a parameter repeated in a group (``SGD([p, p])``): every optimizer warns as PyTorch's (a UserWarning; a future
  release of PyTorch refuses it), keeps it twice and moves it twice a step, sharing one state; its state_dict
  names the parameter's first index each time, as PyTorch's;
- ``lr`` given as a Tensor stays that Tensor in ``param_groups`` (and in ``defaults`` and the state_dict), and the
  steps, a scheduler's too, follow PyTorch's; Adam and AdamW refuse it with ``foreach=True`` (ValueError);
- ``scheduler.get_lr()`` called by the user, outside ``step()``, warns (use ``get_last_lr()``) and returns what
  PyTorch's returns; ``step()`` itself never warns so.

(Torch-free statements of the same: tests/library/test_optim_group_values.py.)"""

import warnings

import numpy as np
import pytest
from library.helpers_optim_arguments import BASE, NAMES

import minigan
from minigan import optim
from minigan.optim import lr_scheduler

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _caught(fn):
    """fn()'s result (or its exception's class) and the messages of the UserWarnings it gave."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            out = fn()
        except Exception as e:  # noqa: BLE001  (the class is what is compared)
            out = [c for c in type(e).__mro__ if c.__module__ == "builtins"][0]
    return out, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


# ----------------------------------------------------------------------------- a parameter given twice
def _twice(lib, name, steps=3):
    p = lib.tensor(np.linspace(-1.0, 1.0, 4), requires_grad=True)
    q = lib.tensor(np.linspace(0.5, 2.0, 3), requires_grad=True)
    opt = getattr(lib.optim, name)([p, q, p], **BASE[name])
    for k in range(steps):
        p.grad = lib.tensor(np.cos(np.arange(4.0) + k))
        q.grad = lib.tensor(np.sin(np.arange(3.0) + k))
        opt.step()
    sd = opt.state_dict()
    return (len(opt.param_groups[0]["params"]), p.detach().numpy().tolist(), q.detach().numpy().tolist(),
            sd["param_groups"][0]["params"], sorted(sd["state"]))


@pytest.mark.parametrize("name", NAMES)
def test_a_parameter_given_twice_warns_and_steps_twice_as_pytorchs(name):
    (t_len, t_p, t_q, t_idx, t_state), t_warn = _caught(lambda: _twice(torch, name))
    (m_len, m_p, m_q, m_idx, m_state), m_warn = _caught(lambda: _twice(minigan, name))
    assert (m_len, m_idx, m_state) == (t_len, t_idx, t_state)
    np.testing.assert_allclose(m_p, t_p, rtol=1e-6, atol=1e-9)  # (NAdam's Π μ is float32 in PyTorch)
    np.testing.assert_allclose(m_q, t_q, rtol=1e-6, atol=1e-9)
    assert len(m_warn) == len(t_warn) == 1 and "duplicate parameters" in m_warn[0]


@pytest.mark.parametrize("name", NAMES)
def test_add_param_group_with_a_parameter_twice_warns_as_pytorchs(name):
    def run(lib):
        p, q = (lib.tensor(np.ones(2), requires_grad=True) for _ in range(2))
        opt = getattr(lib.optim, name)([p], **BASE[name])
        opt.add_param_group({"params": [q, q]})
        return [len(g["params"]) for g in opt.param_groups]
    (theirs, t_warn), (ours, m_warn) = _caught(lambda: run(torch)), _caught(lambda: run(minigan))
    assert ours == theirs and len(m_warn) == len(t_warn) == 1


@pytest.mark.parametrize("name", NAMES)
def test_a_parameter_in_two_groups_is_still_refused_as_pytorchs(name):
    def run(lib):
        p = lib.tensor(np.ones(2), requires_grad=True)
        return getattr(lib.optim, name)([{"params": [p]}, {"params": [p]}], **BASE[name])
    assert _caught(lambda: run(minigan))[0] is _caught(lambda: run(torch))[0] is ValueError


def test_a_state_dict_with_a_parameter_twice_loads_pytorchs_and_continues_its_steps():
    def start(lib):
        p = lib.tensor(np.linspace(-1.0, 1.0, 4), requires_grad=True)
        q = lib.tensor(np.linspace(0.5, 2.0, 3), requires_grad=True)
        return p, q, lib.optim.Adam([p, q, p], lr=0.01)

    def step(lib, p, q, opt, k):
        p.grad, q.grad = lib.tensor(np.cos(np.arange(4.0) + k)), lib.tensor(np.sin(np.arange(3.0) + k))
        opt.step()

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tp, tq, theirs = start(torch)
        step(torch, tp, tq, theirs, 0)
        p, q, ours = start(minigan)
        p.data, q.data = minigan.tensor(tp.detach().numpy()), minigan.tensor(tq.detach().numpy())
        ours.load_state_dict(theirs.state_dict())
        for k in (1, 2):
            step(torch, tp, tq, theirs, k)
            step(minigan, p, q, ours, k)
    np.testing.assert_allclose(p.detach().numpy(), tp.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(q.detach().numpy(), tq.detach().numpy(), rtol=1e-12)
    assert float(ours.state_dict()["state"][2]["step"]) == float(theirs.state_dict()["state"][2]["step"]) == 6.0


# ----------------------------------------------------------------------------- lr as a Tensor
def _tensor_lr(lib, name, lr, steps=4, **kwargs):
    p = lib.tensor(np.linspace(-1.0, 1.0, 5), requires_grad=True)
    given = lib.tensor(lr, dtype=lib.float64)
    opt = getattr(lib.optim, name)([p], lr=given, **kwargs)
    kept = (type(opt.param_groups[0]["lr"]).__name__, opt.param_groups[0]["lr"] is given, opt.defaults["lr"] is given,
            type(opt.state_dict()["param_groups"][0]["lr"]).__name__, float(opt.param_groups[0]["lr"]))
    sched = lib.optim.lr_scheduler.StepLR(opt, 2, 0.5)
    lrs = []
    for k in range(steps):
        p.grad = lib.tensor(np.cos(np.arange(5.0) * (k + 1)))
        opt.step()
        sched.step()
        lrs.append(float(opt.param_groups[0]["lr"]))
    return kept, lrs, p.detach().numpy().tolist()


@pytest.mark.parametrize("name", NAMES)
def test_a_tensor_lr_stays_a_tensor_in_the_groups_as_pytorchs(name):
    lr = 0.5 if name == "Adadelta" else 0.01
    (t_kept, t_lrs, t_p), _ = _caught(lambda: _tensor_lr(torch, name, lr))
    (m_kept, m_lrs, m_p), _ = _caught(lambda: _tensor_lr(minigan, name, lr))
    assert m_kept == t_kept and t_kept[0] == "Tensor"
    np.testing.assert_allclose(m_lrs, t_lrs, rtol=1e-15)
    np.testing.assert_allclose(m_p, t_p, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("foreach", [True, False])
def test_a_tensor_lr_with_foreach_is_pytorchs(name, foreach):
    theirs, _ = _caught(lambda: _tensor_lr(torch, name, 0.01, foreach=foreach)[0][0])
    ours, _ = _caught(lambda: _tensor_lr(minigan, name, 0.01, foreach=foreach)[0][0])
    assert ours == theirs


@pytest.mark.parametrize("value", [[0.1, 0.2], [], [[0.1]], -0.1])
def test_a_tensor_lr_is_checked_as_pytorchs(value):
    def run(lib):
        return type(lib.optim.SGD([lib.tensor(np.ones(2), requires_grad=True)], lr=lib.tensor(value)).defaults["lr"])
    theirs, ours = _caught(lambda: run(torch))[0], _caught(lambda: run(minigan))[0]
    assert (ours if isinstance(ours, type) and issubclass(ours, Exception) else ours.__name__) == \
        (theirs if isinstance(theirs, type) and issubclass(theirs, Exception) else theirs.__name__)


def test_a_tensor_lr_in_a_group_and_the_repr_are_pytorchs():
    def run(lib):
        p, q = (lib.tensor(np.ones(2), requires_grad=True) for _ in range(2))
        opt = lib.optim.SGD([{"params": [p]}, {"params": [q], "lr": lib.tensor(0.2)}], lr=lib.tensor(0.1))
        return [type(g["lr"]).__name__ for g in opt.param_groups], repr(opt)
    assert run(minigan) == run(torch)


# ----------------------------------------------------------------------------- get_lr() outside step()
SCHEDULES = {
    "LambdaLR": lambda L, o: L.LambdaLR(o, lambda e: 0.9 ** e),
    "MultiplicativeLR": lambda L, o: L.MultiplicativeLR(o, lambda e: 0.9),
    "StepLR": lambda L, o: L.StepLR(o, 2),
    "MultiStepLR": lambda L, o: L.MultiStepLR(o, [1, 3]),
    "ConstantLR": lambda L, o: L.ConstantLR(o),
    "LinearLR": lambda L, o: L.LinearLR(o),
    "ExponentialLR": lambda L, o: L.ExponentialLR(o, 0.9),
    "PolynomialLR": lambda L, o: L.PolynomialLR(o),
    "CosineAnnealingLR": lambda L, o: L.CosineAnnealingLR(o, 5),
    "CosineAnnealingWarmRestarts": lambda L, o: L.CosineAnnealingWarmRestarts(o, 3),
    "OneCycleLR": lambda L, o: L.OneCycleLR(o, 1.0, total_steps=10),
    "ReduceLROnPlateau": lambda L, o: L.ReduceLROnPlateau(o),
    "SequentialLR": lambda L, o: L.SequentialLR(o, [L.StepLR(o, 1), L.ExponentialLR(o, 0.9)], [2]),
    "ChainedScheduler": lambda L, o: L.ChainedScheduler([L.StepLR(o, 1), L.ExponentialLR(o, 0.9)]),
}


def _get_lr_outside_step(lib, name, steps):
    p = lib.tensor(np.ones(2), requires_grad=True)
    opt = lib.optim.SGD([p], lr=0.1, momentum=0.9)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = SCHEDULES[name](lib.optim.lr_scheduler, opt)
    stepped = _caught(lambda: [(opt.step(), sched.step(*([1.0] if name == "ReduceLROnPlateau" else [])))
                               for _ in range(steps)])
    got, warned = _caught(sched.get_lr)
    return stepped[1], (got if isinstance(got, type) else [float(v) for v in got]), warned


@pytest.mark.parametrize("steps", [0, 2])
@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_get_lr_outside_step_warns_as_pytorchs(name, steps):
    ours, theirs = _get_lr_outside_step(minigan, name, steps), _get_lr_outside_step(torch, name, steps)
    assert ours[0] == theirs[0] == []  # step() asks get_lr() without a warning
    assert ours[2] == theirs[2]  # the same text, or none
    if isinstance(theirs[1], type):
        assert ours[1] is theirs[1]
    else:
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-15)


def test_optim_names_are_pytorchs():
    assert set(NAMES) <= set(dir(optim)) and set(SCHEDULES) <= set(dir(lr_scheduler))
