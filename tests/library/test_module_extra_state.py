"""Torch-free: a module that overrides get_extra_state/set_extra_state round-trips its extra state through
state_dict and load_state_dict under "<prefix>_extra_state"; Module's own two raise a RuntimeError and add no key.
(Against PyTorch: tests/pytorch/test_save_load.py.)"""

import pytest

import minigan
from minigan import nn


class Vocab(nn.Module):
    def __init__(self, words=()):
        super().__init__()
        self.emb = nn.Embedding(4, 2)
        self.words = list(words)

    def get_extra_state(self):
        return {"words": list(self.words)}

    def set_extra_state(self, state):
        self.words = list(state["words"])


def test_extra_state_round_trips_after_its_modules_own_tensors_before_its_childrens():
    net = nn.Sequential(Vocab(["a", "b"]), nn.Linear(2, 1))
    sd = net.state_dict()
    assert list(sd) == ["0._extra_state", "0.emb.weight", "1.weight", "1.bias"]  # (Vocab has no tensor of its own)
    other = nn.Sequential(Vocab(), nn.Linear(2, 1))
    other.load_state_dict(sd)
    assert other[0].words == ["a", "b"]


def test_a_missing_extra_state_is_a_missing_key():
    sd = Vocab(["x"]).state_dict()
    del sd["_extra_state"]
    assert Vocab().load_state_dict(sd, strict=False).missing_keys == ["_extra_state"]
    with pytest.raises(RuntimeError):
        Vocab().load_state_dict(sd)


def test_modules_without_extra_state_keep_their_keys():
    m = nn.Linear(2, 2)
    assert list(m.state_dict()) == ["weight", "bias"]
    for method, args in ((m.get_extra_state, ()), (m.set_extra_state, ({},))):
        with pytest.raises(RuntimeError, match="not overridden"):
            method(*args)
    assert minigan.nn.Module.get_extra_state is not None
