"""PyTorch's keyword names and deprecated forms, as programs write them: ``torch.save(obj=..., f=path)``,
``torch.load(f=path)``, ``layer(input=x)``, ``Sequential.pop(key=0)``, ``state_dict`` by position,
``scheduler.step(epoch)``, ``Hardtanh(min_value=...)``; each side by side with PyTorch where it is installed.
(tests/test_signature_survey.py checks the names of every signature; these check what the calls do.)"""

import io
import warnings
from collections import OrderedDict

import numpy as np
import pytest

import minigan
from minigan import nn

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="PyTorch (the oracle) is not installed")


def test_save_and_load_by_pytorchs_keywords(tmp_path):
    net = nn.Linear(3, 2)
    path = tmp_path / "model.pt"
    minigan.save(obj=net.state_dict(), f=path)
    back = minigan.load(f=path)
    fresh = nn.Linear(3, 2)
    fresh.load_state_dict(back)
    np.testing.assert_array_equal(fresh.weight.detach().numpy(), net.weight.detach().numpy())
    buffer = io.BytesIO()
    minigan.save(net.state_dict(), buffer, pickle_protocol=4)  # a protocol number changes nothing
    buffer.seek(0)
    assert sorted(minigan.load(buffer, map_location="cpu", weights_only=True, mmap=False)) == ["bias", "weight"]


@needs_torch
def test_the_same_calls_run_in_pytorch(tmp_path):
    for lib in (torch, minigan):
        path = tmp_path / f"{lib.__name__}.pt"
        lib.save(obj={"w": lib.ones(2)}, f=path)
        assert lib.load(f=path, weights_only=True)["w"].tolist() == [1.0, 1.0]


def test_pickle_only_keywords_raise_naming_them(tmp_path):
    import json

    with pytest.raises(TypeError, match="pickle_module='json' is not provided"):
        minigan.save({"a": 1}, tmp_path / "x", pickle_module=json)
    minigan.save({"a": 1}, tmp_path / "x")
    with pytest.raises(TypeError, match="encoding is not provided"):
        minigan.load(tmp_path / "x", encoding="latin1")
    with pytest.raises(ValueError, match="pickle_protocol must be"):
        minigan.save({"a": 1}, tmp_path / "x", pickle_protocol="high")


@needs_torch
@pytest.mark.parametrize("name,args", [("Linear", (3, 2)), ("ReLU", ()), ("Tanh", ()), ("BatchNorm1d", (3,)),
                                       ("Dropout", (0.0,)), ("Flatten", ()), ("LeakyReLU", (0.2,))])
def test_a_layer_called_with_input_by_name(name, args):
    x = np.random.default_rng(0).standard_normal((4, 3)).astype(np.float32)
    mine, theirs = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
    theirs.load_state_dict({k: torch.tensor(np.asarray(v)) for k, v in mine.state_dict().items()})
    np.testing.assert_allclose(mine(input=minigan.tensor(x)).detach().numpy(),
                               theirs(input=torch.tensor(x)).detach().numpy(), rtol=1e-6, atol=1e-6)
    seq = nn.Sequential(nn.Linear(3, 2))
    assert tuple(seq(input=minigan.tensor(x)).shape) == (4, 2)


def test_containers_take_pytorchs_keywords():
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    assert isinstance(seq.pop(key=1), nn.ReLU) and len(seq) == 1
    seq.extend(sequential=[nn.Tanh()])
    assert isinstance(seq[1], nn.Tanh)
    layers = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    assert isinstance(layers.pop(key=0), nn.ReLU)
    named = nn.ModuleDict({"a": nn.ReLU()})
    assert isinstance(named.pop(key="a"), nn.ReLU) and len(named) == 0


def _caught(fn):
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        result = fn()
    return result, [(w.category, str(w.message)) for w in seen]


@needs_torch
def test_state_dict_by_position_warns_as_pytorch():
    mine, theirs = nn.Linear(2, 1), torch.nn.Linear(2, 1)
    got, warned = _caught(lambda: mine.state_dict(OrderedDict(), "net."))
    want, warned_torch = _caught(lambda: theirs.state_dict(OrderedDict(), "net."))
    assert list(got) == list(want) == ["net.weight", "net.bias"]
    assert warned == warned_torch and warned[0][0] is FutureWarning


@needs_torch
def test_hardtanh_deprecated_keywords_warn_as_pytorch():
    mine, warned = _caught(lambda: nn.Hardtanh(min_value=-2.0, max_value=3.0))
    theirs, warned_torch = _caught(lambda: torch.nn.Hardtanh(min_value=-2.0, max_value=3.0))
    assert repr(mine) == repr(theirs) and warned == warned_torch and len(warned) == 2


@needs_torch
@pytest.mark.parametrize("name,kwargs", [("StepLR", {"step_size": 2, "gamma": 0.5}), ("ExponentialLR", {"gamma": 0.9}),
                                         ("MultiStepLR", {"milestones": [1, 3]})])
def test_scheduler_step_with_the_epoch_as_old_tutorials_write_it(name, kwargs):
    """``for epoch in range(n): scheduler.step(epoch)`` at the top of the loop: PyTorch's warning, its rates."""
    def rates(lib):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(1))], lr=1.0)
        sched = getattr(lib.optim.lr_scheduler, name)(opt, **kwargs)
        out, warned = [], []
        for epoch in range(6):
            opt.step()  # (PyTorch warns of a scheduler stepped before its optimizer)
            _, w = _caught(lambda: sched.step(epoch))  # noqa: B023
            warned += w
            out.append(opt.param_groups[0]["lr"])
        return out, warned

    (mine, warned), (theirs, warned_torch) = rates(minigan), rates(torch)
    np.testing.assert_allclose(mine, theirs)
    assert warned == warned_torch and warned[0][0] is UserWarning


def test_scheduler_step_to_a_far_epoch_raises():
    opt = minigan.optim.SGD([nn.Parameter(minigan.zeros(1))], lr=1.0)
    sched = minigan.optim.lr_scheduler.StepLR(opt, 2)
    with pytest.warns(UserWarning), pytest.raises(ValueError, match="one epoch at a time"):
        sched.step(5)


@needs_torch
def test_reduce_on_plateau_step_with_the_epoch():
    def run(lib):
        opt = lib.optim.SGD([lib.nn.Parameter(lib.zeros(1))], lr=1.0)
        sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, patience=0)
        _, warned = _caught(lambda: [sched.step(1.0, epoch) for epoch in (3, 4, 5)])
        return sched.last_epoch, opt.param_groups[0]["lr"], warned

    assert run(minigan) == run(torch)


def test_detect_anomaly_check_nan_false_leaves_the_check_off():
    x = minigan.tensor([-1.0], requires_grad=True)
    with minigan.autograd.detect_anomaly(check_nan=False):
        y = minigan.log(x)  # NaN, let through
    assert np.isnan(y.detach().numpy()[0])
    with pytest.raises(Exception, match="NaN|nan"), minigan.autograd.detect_anomaly(check_nan=True):
        minigan.log(x)


def test_cuda_and_load_state_dict_take_pytorchs_keywords():
    net = nn.Linear(2, 1)
    with pytest.raises(TypeError, match="assign=True"):
        net.load_state_dict(net.state_dict(), assign=True)
    assert net.load_state_dict(state_dict=net.state_dict(), strict=True, assign=False) is not None
    buffer = nn.UninitializedBuffer(persistent=False)
    assert buffer.persistent is False
