"""An optimizer's live state, ``opt.state[p]``, holds Tensors as torch.optim's does: every entry of every optimizer
(with the options that add entries: amsgrad, momentum, centered, nesterov, ...) is a Tensor of PyTorch's dtype and
shape that does not require grad, the step count a 0-d float Tensor, each with PyTorch's values after 1-3 steps
(float64 runs: to 1e-12), and the same Tensor object from step to step where PyTorch updates it in place.  Also:
state_dict()/load_state_dict() round trips (a checkpoint saved with arrays and an int step, as earlier minigan wrote
them, still loads), a parameter given twice, a group added later, zero_grad, and what a learner does with a state
entry (norm, allclose, print, save/load)."""

import warnings

import numpy as np
import pytest

import minigan
from minigan import optim

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from pytorch.oracle import ADAGRAD_LATER_GROUP  # noqa: E402

# Every optimizer both libraries have, with each option that changes which state entries exist or how they move.
CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9)),
    ("SGD", dict(lr=0.1, momentum=0.9, dampening=0.3, weight_decay=0.01)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, maximize=True)),
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, maximize=True, decoupled_weight_decay=True, weight_decay=0.1)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, amsgrad=True, maximize=True)),
    ("Adagrad", dict(lr=0.1)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1, weight_decay=0.1, initial_accumulator_value=0.5, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, weight_decay=0.1, maximize=True)),
    ("Adamax", dict()),
    ("Adamax", dict(weight_decay=0.1, maximize=True)),
    ("NAdam", dict()),
    ("NAdam", dict(weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RAdam", dict()),
    ("RAdam", dict(weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("RMSprop", dict()),
    ("RMSprop", dict(momentum=0.9)),
    ("RMSprop", dict(centered=True)),
    ("RMSprop", dict(momentum=0.9, centered=True, weight_decay=0.1, maximize=True)),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kwargs.items()) or 'defaults'}" for name, kwargs in CASES]
SHAPES = [(3, 2), (4,), (), (0, 3)]  # a 0-d parameter, and an empty one


def make_params(dtype, seed=0):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    return ([minigan.nn.Parameter(minigan.tensor(a.copy())) for a in arrays],
            [torch.tensor(a.copy(), requires_grad=True) for a in arrays])


def gradients(params, step, dtype):
    rng = np.random.default_rng(100 + step)
    return [rng.standard_normal(p.shape).astype(dtype) for p in params]


def feed(ours, theirs, step, dtype, *, zeros=False):
    for p, q, g in zip(ours, theirs, gradients(ours, step, dtype)):
        g = np.zeros_like(g) if zeros else g
        p.grad, q.grad = minigan.tensor(g.copy()), torch.tensor(g.copy())


def check_state(opt, topt, ours, theirs, exact, rtol=1e-12):
    """Each parameter's state: the same keys in the same order, each a Tensor of PyTorch's dtype and shape, not
    requiring grad, with PyTorch's value (to ``rtol`` when ``exact``)."""
    for i, (p, q) in enumerate(zip(ours, theirs)):
        mine, want = opt.state[p], topt.state[q]
        assert list(mine) == list(want), f"parameter {i}: keys {list(mine)}, PyTorch's {list(want)}"
        for key, t in want.items():
            v = mine[key]
            where = f"parameter {i} {key!r}"
            assert isinstance(v, minigan.Tensor), f"{where}: a {type(v).__name__}, PyTorch's a Tensor"
            assert str(v.dtype).removeprefix("minigan.") == str(t.dtype).removeprefix("torch."), \
                f"{where}: {v.dtype}, PyTorch's {t.dtype}"
            assert tuple(v.shape) == tuple(t.shape), f"{where}: shape {tuple(v.shape)}, PyTorch's {tuple(t.shape)}"
            assert not v.requires_grad and v.grad_fn is None, f"{where} requires grad"
            if exact:
                np.testing.assert_allclose(v.numpy(), t.numpy(), rtol=rtol, atol=1e-14, err_msg=where)


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("name, kwargs", CASES, ids=IDS)
def test_live_state_is_pytorchs(name, kwargs, dtype):
    ours, theirs = make_params(dtype)
    opt, topt = getattr(optim, name)(ours, **kwargs), getattr(torch.optim, name)(theirs, **kwargs)
    check_state(opt, topt, ours, theirs, dtype == "float64")  # (Adagrad has its state before a step)
    held = None
    for step in range(3):
        feed(ours, theirs, step, dtype)
        opt.step()
        topt.step()
        check_state(opt, topt, ours, theirs, dtype == "float64")
        if held is not None:  # PyTorch updates each entry in place: a Tensor held from before shows the new values
            for p, q, (mine, want) in zip(ours, theirs, held):
                for key in want:
                    assert (opt.state[p][key] is mine[key]) == (topt.state[q][key] is want[key]), key
        held = [(dict(opt.state[p]), dict(topt.state[q])) for p, q in zip(ours, theirs)]
    opt.zero_grad(set_to_none=False)
    topt.zero_grad(set_to_none=False)
    opt.step()
    topt.step()
    check_state(opt, topt, ours, theirs, dtype == "float64")
    for p, q in zip(ours, theirs):
        tolerance = dict(rtol=1e-5, atol=1e-6) if dtype == "float32" else dict(rtol=1e-12, atol=1e-14)
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), **tolerance)


@pytest.mark.parametrize("name, kwargs", CASES, ids=IDS)
def test_state_dict_round_trip(name, kwargs):
    """Save after 2 steps, load into a fresh optimizer (each library its own), then 2 more steps: the loaded state
    is Tensors as PyTorch's, and the trajectory goes on as PyTorch's."""
    ours, theirs = make_params("float64")
    opt, topt = getattr(optim, name)(ours, **kwargs), getattr(torch.optim, name)(theirs, **kwargs)
    for step in range(2):
        feed(ours, theirs, step, "float64")
        opt.step()
        topt.step()
    saved = opt.state_dict()
    opt, topt2 = getattr(optim, name)(ours, **kwargs), getattr(torch.optim, name)(theirs, **kwargs)
    opt.load_state_dict(saved)
    topt2.load_state_dict(topt.state_dict())
    check_state(opt, topt2, ours, theirs, True)
    # (PyTorch's load gives NAdam's Π μ a float64 parameter's dtype, and its next products are rounded in float64:
    # its resumed run leaves its uninterrupted one by 3e-10 (Π μ by 5e-8).  minigan's Π μ takes that dtype too, and
    # holds the product rounded in the default dtype, so that a resumed run is the uninterrupted one bit for bit
    # (docs/pytorch.md).)
    rtol = 1e-7 if name == "NAdam" else 1e-12  # (Π μ itself: float32 rounding apart, 5e-8)
    for step in range(2, 4):
        feed(ours, theirs, step, "float64")
        opt.step()
        topt2.step()
        check_state(opt, topt2, ours, theirs, True, rtol)


OLD_STATE = {  # a state_dict as minigan wrote it before its live state held Tensors: arrays and an int step
    "Adam": {"step": 3, "exp_avg": [0.1, -0.2], "exp_avg_sq": [0.01, 0.04]},
    "SGD": {"momentum_buffer": [0.5, 0.25]},
    "NAdam": {"step": 2, "mu_product": 0.81, "exp_avg": [0.1, -0.2], "exp_avg_sq": [0.01, 0.04]},
    "RMSprop": {"step": 1, "square_avg": [0.01, 0.04]},
    "Adagrad": {"step": 4, "sum": [1.0, 2.0]},
}


@pytest.mark.parametrize("name", sorted(OLD_STATE))
@pytest.mark.parametrize("kind", ["numpy", "0-d numpy step", "torch"])
def test_a_state_dict_of_arrays_still_loads(name, kind):
    """Arrays (as minigan's state_dict() held before it held Tensors), or PyTorch's own tensors: the same state."""
    kwargs = {"SGD": dict(lr=0.1, momentum=0.9)}.get(name, {})
    w, tw = minigan.nn.Parameter(minigan.tensor([1.0, -1.0])), torch.tensor([1.0, -1.0], requires_grad=True)
    opt, topt = getattr(optim, name)([w], **kwargs), getattr(torch.optim, name)([tw], **kwargs)
    group = {**opt.state_dict()["param_groups"][0]}
    state = {k: v if isinstance(v, int) else np.array(v) for k, v in OLD_STATE[name].items()}
    if kind == "0-d numpy step" and "step" in state:
        state["step"] = np.array(float(state["step"]))
    if kind == "torch":  # PyTorch's state: the step a float32 0-d tensor, the rest float64 tensors
        state = {k: torch.tensor(float(v), dtype=torch.float32) if k in ("step", "mu_product") else torch.tensor(v)
                 for k, v in state.items()}
    opt.load_state_dict({"state": {0: state}, "param_groups": [group]})
    topt.load_state_dict({"state": {0: {k: torch.tensor(np.asarray(v, dtype=np.float64))
                                        if k not in ("step", "mu_product") else torch.tensor(float(v))
                                        for k, v in OLD_STATE[name].items()}},
                          "param_groups": [{**topt.state_dict()["param_groups"][0]}]})
    assert list(opt.state[w]) == list(OLD_STATE[name])
    for key, v in opt.state[w].items():
        t = topt.state[tw][key]
        assert isinstance(v, minigan.Tensor) and not v.requires_grad, key
        assert tuple(v.shape) == tuple(t.shape), key
        np.testing.assert_allclose(v.numpy(), t.numpy(), rtol=1e-7, err_msg=key)
    if "step" in OLD_STATE[name]:
        assert opt.state[w]["step"].dtype == minigan.float32 and opt.state[w]["step"].ndim == 0
    for _ in range(2):
        w.grad, tw.grad = minigan.tensor([0.3, -0.7]), torch.tensor([0.3, -0.7])
        opt.step()
        topt.step()
    np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-7)


@pytest.mark.parametrize("name, kwargs", [c for c in CASES if c[0] in ("SGD", "Adam", "RMSprop", "Adagrad")],
                         ids=[i for c, i in zip(CASES, IDS) if c[0] in ("SGD", "Adam", "RMSprop", "Adagrad")])
def test_a_parameter_given_twice(name, kwargs):
    ours, theirs = make_params("float64")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (both libraries warn about the repeated parameter)
        opt = getattr(optim, name)([ours[0], ours[1], ours[0]], **kwargs)
        topt = getattr(torch.optim, name)([theirs[0], theirs[1], theirs[0]], **kwargs)
    for step in range(3):
        feed(ours, theirs, step, "float64")
        opt.step()
        topt.step()
    check_state(opt, topt, ours[:2], theirs[:2], True)


@pytest.mark.parametrize("name, kwargs", [pytest.param(*c, marks=[ADAGRAD_LATER_GROUP] if c[0] == "Adagrad" else [])
                                          for c in CASES], ids=IDS)
def test_a_group_added_later(name, kwargs):
    ours, theirs = make_params("float64")
    opt, topt = getattr(optim, name)(ours[:2], **kwargs), getattr(torch.optim, name)(theirs[:2], **kwargs)
    feed(ours, theirs, 0, "float64")
    opt.step()
    topt.step()
    opt.add_param_group({"params": ours[2:], "lr": 0.05})
    topt.add_param_group({"params": theirs[2:], "lr": 0.05})
    for step in range(1, 3):
        feed(ours, theirs, step, "float64")
        opt.step()
        topt.step()
        check_state(opt, topt, ours, theirs, True)


@pytest.mark.parametrize("name", ["OptimisticAdam", "OptimisticSGD"])
def test_optimistic_optimizers_hold_tensors(name):
    """(PyTorch has no optimistic optimizers: their entries are Tensors of the parameter's dtype and shape, the step
    count a 0-d float32 Tensor, as every torch.optim optimizer's.)"""
    ours, _ = make_params("float64")
    opt = getattr(optim, name)(ours, lr=0.01)
    for step in range(2):
        for p, g in zip(ours, gradients(ours, step, "float64")):
            p.grad = minigan.tensor(g)
        opt.step()
    for p in ours:
        assert opt.state[p]["step"].dtype == minigan.float32 and opt.state[p]["step"].item() == 2.0
        for key, v in opt.state[p].items():
            assert isinstance(v, minigan.Tensor) and not v.requires_grad, key
            if key != "step":
                assert v.dtype == p.dtype and v.shape == p.shape, key
    saved = opt.state_dict()
    fresh = getattr(optim, name)(ours, lr=0.01)
    fresh.load_state_dict(saved)
    for p in ours:
        for key, v in fresh.state[p].items():
            assert isinstance(v, minigan.Tensor) and np.array_equal(v.numpy(), opt.state[p][key].numpy()), key


def test_what_a_learner_does_with_a_state_entry(tmp_path):
    """norm, allclose, print, in-place change read by the next step, save/load: as on PyTorch's Tensors."""
    w0 = np.array([1.0, -2.0, 3.0])
    w, tw = minigan.nn.Parameter(minigan.tensor(w0)), torch.tensor(w0, requires_grad=True)
    opt, topt = optim.Adam([w], lr=0.1), torch.optim.Adam([tw], lr=0.1)
    for _ in range(2):
        (w ** 2).sum().backward()
        (tw ** 2).sum().backward()
        opt.step()
        topt.step()
    m, tm = opt.state[w]["exp_avg"], topt.state[tw]["exp_avg"]
    assert abs(m.norm().item() - tm.norm().item()) < 1e-12
    assert minigan.allclose(m, minigan.tensor(tm.numpy()))
    assert repr(opt.state[w]["step"]) == repr(topt.state[tw]["step"])  # tensor(2.)
    assert str(m).startswith("tensor(")
    m.zero_()  # in place, read by the next step as in PyTorch
    tm.zero_()
    opt.step()
    topt.step()
    np.testing.assert_allclose(w.detach().numpy(), tw.detach().numpy(), rtol=1e-12)
    minigan.save(opt.state[w], tmp_path / "state.pt")
    loaded = minigan.load(tmp_path / "state.pt")
    assert np.array_equal(loaded["exp_avg_sq"].numpy(), opt.state[w]["exp_avg_sq"].numpy())
