"""PyTorch's keyword names on their own terms: save and load by PyTorch's keywords, pickle-only keywords raise naming
them, containers take PyTorch's keywords (``Sequential.pop(key=0)``), a scheduler stepped to a far epoch raises,
detect_anomaly(check_nan=False) leaves the check off, and .cuda / load_state_dict take PyTorch's keywords (assign=True
makes the given Parameters the module's own).

(Its comparisons with PyTorch: tests/pytorch/test_pytorch_keywords.py.)"""

import io

import numpy as np
import pytest

import minigan
from minigan import nn


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


def test_pickle_only_keywords_raise_naming_them(tmp_path):
    import json

    with pytest.raises(TypeError, match="pickle_module='json' is not provided"):
        minigan.save({"a": 1}, tmp_path / "x", pickle_module=json)
    minigan.save({"a": 1}, tmp_path / "x")
    with pytest.raises(TypeError, match="encoding is not provided"):
        minigan.load(tmp_path / "x", encoding="latin1")
    with pytest.raises(ValueError, match="pickle_protocol must be"):
        minigan.save({"a": 1}, tmp_path / "x", pickle_protocol="high")


def test_containers_take_pytorchs_keywords():
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    assert isinstance(seq.pop(key=1), nn.ReLU) and len(seq) == 1
    seq.extend(sequential=[nn.Tanh()])
    assert isinstance(seq[1], nn.Tanh)
    layers = nn.ModuleList([nn.ReLU(), nn.Tanh()])
    assert isinstance(layers.pop(key=0), nn.ReLU)
    named = nn.ModuleDict({"a": nn.ReLU()})
    assert isinstance(named.pop(key="a"), nn.ReLU) and len(named) == 0


def test_scheduler_step_to_a_far_epoch_takes_the_closed_form():
    opt = minigan.optim.SGD([nn.Parameter(minigan.zeros(1))], lr=1.0)
    sched = minigan.optim.lr_scheduler.StepLR(opt, 2)
    with pytest.warns(UserWarning, match="closed form"):
        sched.step(5)
    assert sched.last_epoch == 5 and sched.get_last_lr() == [pytest.approx(0.1 ** 2)]  # (PyTorch's: γ^⌊5/2⌋)


def test_detect_anomaly_check_nan_false_leaves_the_check_off():
    x = minigan.tensor([-1.0], requires_grad=True)
    with minigan.autograd.detect_anomaly(check_nan=False):
        y = minigan.log(x)  # NaN, let through
    assert np.isnan(y.detach().numpy()[0])
    with pytest.raises(Exception, match="NaN|nan"), minigan.autograd.detect_anomaly(check_nan=True):
        minigan.log(x)


def test_cuda_and_load_state_dict_take_pytorchs_keywords():
    net = nn.Linear(2, 1)
    given = nn.Linear(2, 1).state_dict(keep_vars=True)
    net.load_state_dict(given, assign=True)
    assert net.weight is given["weight"] and net.bias is given["bias"]
    assert net.load_state_dict(state_dict=net.state_dict(), strict=True, assign=False) is not None
    buffer = nn.UninitializedBuffer(persistent=False)
    assert buffer.persistent is False
