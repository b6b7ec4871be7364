"""Every optimizer's ``state_dict()`` against PyTorch's (float64): its state holds Tensors (the moment buffers
with the parameter's shape and dtype, ``step`` a 0-d floating Tensor), the same entries for the same parameters
(Adagrad's accumulators exist from construction, for every parameter, as PyTorch's), and a checkpoint of those
Tensors, written to a file and read back, resumes the same trajectory.  Optimizers also take
``model.named_parameters()``, as PyTorch's, keeping the names in ``param_groups[i]["param_names"]``.

A parameter given twice: PyTorch reads each parameter's state before a step updates any (SGD's momentum buffers: a
parameter given twice starts a buffer at each appearance on its first step, the last kept), and then updates it at
each appearance.  An optimizer's state_dict holds "state" and "param_groups" only; another optimizer's state loads,
groups and all (its next step then goes on, or misses a hyperparameter of its own: KeyError), as PyTorch's.  (Still
open: Adam's state into SGD, whose next step PyTorch refuses (KeyError: its loaded groups have no momentum), runs on
minigan, whose loaded groups keep a hyperparameter the state dict lacks.)"""

import os
import warnings

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPTIMIZERS = [
    ("SGD", dict(lr=0.05, momentum=0.9)), ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01)), ("Adam", dict(lr=0.01, amsgrad=True)), ("AdamW", dict(lr=0.01)),
    ("RMSprop", dict(lr=0.01)), ("RMSprop", dict(lr=0.01, centered=True, momentum=0.5)),
    ("Adagrad", dict(lr=0.1)), ("Adagrad", dict(lr=0.1, initial_accumulator_value=0.2, lr_decay=0.01)),
    ("Adamax", dict(lr=0.01)), ("NAdam", dict(lr=0.01)), ("RAdam", dict(lr=0.01)), ("Adadelta", dict()),
]
IDS = [f"{name}-{'-'.join(kw)}" for name, kw in OPTIMIZERS]


def _pair(seed=0, frozen=False):
    """Two float64 parameter lists (minigan, PyTorch) with the same values; the last is frozen when asked."""
    rng = np.random.default_rng(seed)
    values = [rng.normal(size=s) for s in [(3, 2), (2,), (4,)]]
    ours = [minigan.nn.Parameter(minigan.tensor(v)) for v in values]
    theirs = [torch.nn.Parameter(torch.tensor(v)) for v in values]
    if frozen:
        ours[-1].requires_grad_(False)
        theirs[-1].requires_grad_(False)
    return ours, theirs


def _steps(opt, params, lib, n, seed):
    rng = np.random.default_rng(seed)
    for _ in range(n):
        opt.zero_grad()
        for p in params:
            g = rng.normal(size=tuple(p.shape))
            if p.requires_grad:
                p.grad = lib.tensor(g)
        opt.step()


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS, ids=IDS)
@pytest.mark.parametrize("frozen", [False, True])
def test_state_dict_holds_pytorchs_tensors(name, kwargs, frozen):
    ours, theirs = _pair(frozen=frozen)
    o = getattr(minigan.optim, name)(ours, **kwargs)
    t = getattr(torch.optim, name)(theirs, **kwargs)
    for when in ("before any step", "after 3 steps"):
        so, st = o.state_dict()["state"], t.state_dict()["state"]
        assert sorted(so) == sorted(st), f"{when}: state for parameters {sorted(so)}, PyTorch {sorted(st)}"
        for i in st:
            assert sorted(so[i]) == sorted(st[i]), f"{when}: parameter {i}: {sorted(so[i])}, PyTorch {sorted(st[i])}"
            for key, want in st[i].items():
                got = so[i][key]
                assert isinstance(got, minigan.Tensor), f"{when}: state[{i}][{key!r}] is a {type(got).__name__}"
                assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1], (key, got.dtype, want.dtype)
                assert tuple(got.shape) == tuple(want.shape), (key, got.shape, want.shape)
                assert not got.requires_grad
                np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-12, atol=1e-15, err_msg=f"{when} {key}")
        _steps(o, ours, minigan, 3, 1)
        _steps(t, theirs, torch, 3, 1)


@pytest.fixture
def float64_default():
    """Both libraries' default dtype float64 (the 0-d state, step and NAdam's running product, takes it), restored."""
    before = minigan.get_default_dtype()
    minigan.set_default_dtype(minigan.float64)
    torch.set_default_dtype(torch.float64)
    yield
    minigan.set_default_dtype(before)
    torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS, ids=IDS)
def test_a_checkpoint_of_tensors_resumes_the_same_trajectory(name, kwargs, tmp_path, float64_default):
    """Train 3 steps, save the optimizer's state_dict to a file, load it into a fresh optimizer over copies of the
    parameters, train 3 more: equal to PyTorch's uninterrupted run, and the state read back is Tensors again."""
    ours, theirs = _pair()
    o = getattr(minigan.optim, name)(ours, **kwargs)
    t = getattr(torch.optim, name)(theirs, **kwargs)
    _steps(o, ours, minigan, 3, 1)
    _steps(t, theirs, torch, 3, 1)
    path = os.path.join(tmp_path, "opt.pt")
    minigan.save(o.state_dict(), path)
    loaded = minigan.load(path)
    assert all(isinstance(v, minigan.Tensor) for s in loaded["state"].values() for v in s.values())
    copies = [minigan.nn.Parameter(p.detach().clone()) for p in ours]
    o2 = getattr(minigan.optim, name)(copies, **kwargs)
    o2.load_state_dict(loaded)
    _steps(o2, copies, minigan, 3, 2)
    _steps(t, theirs, torch, 3, 2)
    for a, b in zip(copies, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-14)


def test_step_dtype_follows_the_default_dtype():
    """PyTorch's step is a 0-d Tensor of the default floating dtype (float32 unless set otherwise)."""
    before = minigan.get_default_dtype()
    try:
        for default in (minigan.float32, minigan.float64):
            minigan.set_default_dtype(default)
            torch.set_default_dtype({minigan.float32: torch.float32, minigan.float64: torch.float64}[default])
            p = minigan.nn.Parameter(minigan.ones(2, dtype=minigan.float64))
            tp = torch.nn.Parameter(torch.ones(2, dtype=torch.float64))
            o, t = minigan.optim.Adam([p]), torch.optim.Adam([tp])
            p.grad, tp.grad = minigan.ones(2, dtype=minigan.float64), torch.ones(2, dtype=torch.float64)
            o.step()
            t.step()
            got, want = o.state_dict()["state"][0]["step"], t.state_dict()["state"][0]["step"]
            assert str(got.dtype).split(".")[-1] == str(want.dtype).split(".")[-1] and got.item() == want.item()
    finally:
        minigan.set_default_dtype(before)
        torch.set_default_dtype(torch.float32)


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS, ids=IDS)
def test_named_parameters(name, kwargs):
    """PyTorch's optimizers take (name, parameter) pairs: the same steps, and the names in param_groups and in
    state_dict()["param_groups"] as ``param_names``."""
    rng = np.random.default_rng(3)
    net = minigan.nn.Sequential(minigan.nn.Linear(3, 2), minigan.nn.Tanh(), minigan.nn.Linear(2, 1)).double()
    tnet = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Tanh(), torch.nn.Linear(2, 1)).double()
    with torch.no_grad(), minigan.no_grad():
        for p, tp in zip(net.parameters(), tnet.parameters()):
            v = rng.normal(size=tuple(tp.shape))
            p.copy_(minigan.tensor(v))
            tp.copy_(torch.tensor(v))
    o = getattr(minigan.optim, name)(net.named_parameters(), **kwargs)
    t = getattr(torch.optim, name)(tnet.named_parameters(), **kwargs)
    x = rng.normal(size=(5, 3))
    for _ in range(3):
        for opt, model, lib in ((o, net, minigan), (t, tnet, torch)):
            opt.zero_grad()
            model(lib.tensor(x)).pow(2).sum().backward()
            opt.step()
    for a, b in zip(net.parameters(), tnet.parameters()):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-14)
    assert o.param_groups[0]["param_names"] == t.param_groups[0]["param_names"]
    assert o.state_dict()["param_groups"][0]["param_names"] == t.state_dict()["param_groups"][0]["param_names"]
    # a group of named parameters added later keeps its names; mixing names and bare tensors is refused, as PyTorch
    extra, textra = minigan.nn.Parameter(minigan.ones(2)), torch.nn.Parameter(torch.ones(2))
    o.add_param_group({"params": [("extra", extra)]})
    t.add_param_group({"params": [("extra", textra)]})
    assert o.param_groups[1]["param_names"] == t.param_groups[1]["param_names"] == ["extra"]
    with pytest.raises(ValueError):
        t.add_param_group({"params": [torch.nn.Parameter(torch.ones(1))]})
    with pytest.raises(ValueError):
        o.add_param_group({"params": [minigan.nn.Parameter(minigan.ones(1))]})


@pytest.mark.parametrize("name, kwargs", OPTIMIZERS, ids=IDS)
def test_a_pytorch_optimizer_state_loads(name, kwargs, float64_default):
    """PyTorch's optimizer state_dict (only ``state`` and ``param_groups``, its values torch Tensors) loads into the
    same minigan optimizer, which then continues PyTorch's trajectory, as a module's PyTorch state_dict loads."""
    ours, theirs = _pair()
    t = getattr(torch.optim, name)(theirs, **kwargs)
    _steps(t, theirs, torch, 3, 1)
    with torch.no_grad(), minigan.no_grad():
        for p, tp in zip(ours, theirs):
            p.copy_(minigan.tensor(tp.detach().numpy()))
    o = getattr(minigan.optim, name)(ours, lr=0.5)  # other settings: loading restores PyTorch's
    o.load_state_dict(t.state_dict())
    _steps(o, ours, minigan, 3, 2)
    _steps(t, theirs, torch, 3, 2)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.detach().numpy(), b.detach().numpy(), rtol=1e-12, atol=1e-14)


def _twice(L, name, options):
    p = L.tensor(np.linspace(-1.0, 1.0, 4), requires_grad=True)
    q = L.tensor(np.linspace(0.5, 2.0, 3), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (the duplicate parameters warning: test_optim_group_values)
        opt = getattr(L.optim, name)([p, q, p], **options)
    out = []
    for k in range(3):
        p.grad, q.grad = L.tensor(np.cos(np.arange(4.0) + k)), L.tensor(np.sin(np.arange(3.0) + k))
        opt.step()
        out.append(close(L.cat([p.detach(), q.detach()]), 1e-6, 1e-9))  # (NAdam's Π μ is float32 in PyTorch)
    return out


test_a_parameter_given_twice_steps_as_pytorchs_with_any_options = sweep(_twice, [
    ("SGD", dict(lr=0.05, momentum=0.9)), ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True)),
    ("SGD", dict(lr=0.05, momentum=0.5, dampening=0.3, weight_decay=0.1)),
    ("SGD", dict(lr=0.05, momentum=0.9, maximize=True)), ("SGD", dict(lr=0.05)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)), ("AdamW", dict(lr=0.01, amsgrad=True)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)), ("RMSprop", dict(lr=0.01, momentum=0.5)),
    ("Adagrad", dict(lr=0.1, lr_decay=0.1, initial_accumulator_value=0.2)), ("Adadelta", dict(weight_decay=0.1)),
    ("Adamax", dict(weight_decay=0.1)), ("NAdam", dict(weight_decay=0.1, decoupled_weight_decay=True)),
    ("RAdam", dict(weight_decay=0.1, decoupled_weight_decay=True))], every=1,
    ids=lambda name, options: f"{name}-{'-'.join(options)}")
LOADED_OPTIONS = {"SGD": dict(lr=0.1, momentum=0.9), "Adam": dict(lr=0.1), "RMSprop": dict(lr=0.01, momentum=0.5),
                  "Adagrad": dict(lr=0.1)}


def _loaded_into(L, first, then):
    w = L.tensor(np.linspace(-1.0, 1.0, 3), requires_grad=True)
    opt = getattr(L.optim, first)([w], **LOADED_OPTIONS[first])
    for k in range(2):
        w.grad = L.tensor(np.cos(np.arange(3.0) + k))
        opt.step()
    sd = opt.state_dict()
    other = getattr(L.optim, then)([w], **LOADED_OPTIONS[then])
    other.load_state_dict(sd)
    for k in range(2):
        w.grad = L.tensor(np.sin(np.arange(3.0) + k))
        other.step()
    return sorted(sd), sorted(other.state_dict()["state"][0]), close(w.detach(), 1e-12)


test_an_optimizer_state_dict_has_pytorchs_keys_and_loads_into_any_optimizer = sweep(_loaded_into, [
    ("SGD", "Adam"), ("Adam", "Adam"), ("RMSprop", "Adagrad"), ("SGD", "SGD")])
