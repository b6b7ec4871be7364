"""What ``save`` then ``load`` give back keeps the kind of each dict, as torch.load does: a module's ``state_dict()``
(an OrderedDict) comes back an OrderedDict, so ``print(load(path))`` prints what PyTorch's prints
(``OrderedDict({'weight': tensor(...)})``, where minigan printed a plain dict); a plain dict stays plain, at any depth,
and under ``map_location``."""
import collections
import io

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

OBJECTS = {
    "state_dict": lambda L: L.nn.Linear(2, 1).state_dict(),
    "ordered": lambda L: collections.OrderedDict([("b", 1), ("a", L.ones(2))]),
    "nested": lambda L: {"model": L.nn.Sequential(L.nn.Linear(2, 2)).state_dict(), "epoch": 3,
                         "inner": collections.OrderedDict([("x", {"y": collections.OrderedDict()})])},
    "in_list": lambda L: [collections.OrderedDict([("k", 1.5)]), {"plain": (1, 2)}],
    "optimizer": lambda L: L.optim.SGD(L.nn.Linear(2, 1).parameters(), lr=0.1).state_dict(),
}


def _kinds(x):
    if isinstance(x, dict):
        return (type(x).__name__, [(k, _kinds(v)) for k, v in x.items()])
    if isinstance(x, (list, tuple)):
        return (type(x).__name__, [_kinds(v) for v in x])
    return "leaf"


def _round_trip(lib, obj, **load_args):
    buffer = io.BytesIO()
    lib.save(obj, buffer)
    buffer.seek(0)
    return lib.load(buffer, **load_args)


@pytest.mark.parametrize("name", OBJECTS)
def test_a_loaded_dict_keeps_its_kind(name):
    theirs = _kinds(_round_trip(torch, OBJECTS[name](torch)))
    ours = _kinds(_round_trip(minigan, OBJECTS[name](minigan)))
    if name == "optimizer":  # (minigan's optimizer state carries two keys more: docs/pytorch.md)
        ours = (ours[0], [kv for kv in ours[1] if kv[0] not in ("optimizer", "format")])
    assert ours == theirs
    assert _kinds(_round_trip(minigan, OBJECTS[name](minigan), map_location="cpu")) == _kinds(
        _round_trip(minigan, OBJECTS[name](minigan)))


def test_a_loaded_state_dict_prints_as_pytorchs():
    sd = {lib: _round_trip(lib, lib.nn.Linear(1, 1).state_dict()) for lib in (torch, minigan)}
    assert repr(sd[minigan]).split("(", 1)[0] == repr(sd[torch]).split("(", 1)[0] == "OrderedDict"
