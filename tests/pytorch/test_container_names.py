"""The names a submodule is given through each container's door, as PyTorch checks them: a dotted name, an empty
one, one that is not a string, one that is already an attribute (ModuleDict's ``keys``, a module's ``forward``)
refused with PyTorch's exception class (KeyError, TypeError); other strings taken, in order."""

from collections import OrderedDict

import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

NAMES = ["x.y", "", 1, "keys", "forward", "training", "with space", "0", "conv-1"]
DOORS = {
    "ModuleDict(dict)": lambda nn, name: nn.ModuleDict({name: nn.ReLU()}),
    "ModuleDict[name] =": lambda nn, name: nn.ModuleDict().__setitem__(name, nn.ReLU()),
    "ModuleDict.update": lambda nn, name: nn.ModuleDict({"a": nn.Tanh()}).update({name: nn.ReLU()}),
    "ModuleDict.update(pairs)": lambda nn, name: nn.ModuleDict().update([(name, nn.ReLU())]),
    "Sequential(OrderedDict)": lambda nn, name: nn.Sequential(OrderedDict([(name, nn.ReLU())])),
    "add_module": lambda nn, name: nn.Module().add_module(name, nn.ReLU()),
    "register_module": lambda nn, name: nn.Module().register_module(name, nn.ReLU()),
}


def _outcome(lib, door, name):
    made = outcome(lambda: DOORS[door](lib.nn, name))
    if isinstance(made, Exception):
        return type(made)
    return None if made is None else [n for n, _ in made.named_children()]


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("name", NAMES, ids=repr)
def test_a_submodule_name_as_pytorch_checks_it(door, name):
    theirs, ours = _outcome(torch, door, name), _outcome(minigan, door, name)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), f"PyTorch raised {theirs.__name__}, minigan {ours}"
    else:
        assert ours == theirs
