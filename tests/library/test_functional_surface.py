"""The containers and layers of torch.nn composed from minigan's ops, without PyTorch: ModuleDict and the other
containers register their members, variants minigan does not provide say what to use, and dropout1d drops whole
channels.

(Its comparisons with PyTorch: tests/pytorch/test_functional_surface.py.)"""

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan


def test_containers_register_their_members():
    d = minigan.nn.ModuleDict({"a": minigan.nn.Linear(2, 3), "b": minigan.nn.Linear(3, 1)})
    assert list(d) == ["a", "b"] and "a" in d and len(d) == 2 and len(list(d.parameters())) == 4
    assert [k for k in d.state_dict()] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    pl = minigan.nn.ParameterList([minigan.zeros(2), minigan.ones(3)])
    assert len(pl) == 2 and pl[1].shape == (3,) and len(list(pl.parameters())) == 2


def test_unprovided_variants_say_what_to_use():
    with pytest.raises(RuntimeError, match="approximate must be 'none' or 'tanh'"):  # (PyTorch's class)
        minigan.nn.GELU("erf")(minigan.zeros(2))
    with pytest.raises(ValueError, match="delta must be > 0"):
        F.huber_loss(minigan.zeros(2), minigan.zeros(2), delta=0)


def test_dropout1d_drops_whole_channels():
    minigan.manual_seed(0)
    x = minigan.ones(8, 16, 5)
    y = F.dropout1d(x, p=0.5).detach().numpy()
    per_channel = y.reshape(8, 16, 5)
    assert set(np.unique(per_channel)) <= {0.0, 2.0} and 0 < (per_channel == 0).mean() < 1
    assert (per_channel.min(axis=2) == per_channel.max(axis=2)).all()  # a channel is kept or dropped as a whole
    assert F.dropout1d(x, 0.5, training=False) is x and F.dropout1d(minigan.ones(16, 5), 0.5).shape == (16, 5)
