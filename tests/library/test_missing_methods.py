"""The PyTorch names minigan's Tensor lacks are written on the class (minigan/surface/missing_methods.py), each raising
the table's one line of advice, so that Tensor needs no __getattr__ (which would keep CPython 3.11 from specializing
any attribute read of a tensor).

(Its comparison with PyTorch's names: tests/pytorch/test_missing_methods.py.)"""

import inspect

import pytest

import minigan
from minigan.surface import missing as _missing
from minigan.surface.missing_methods import MissingMethods, NotProvided

TABLE_KEY = "torch.Tensor"  # (the advice table's key for minigan.Tensor's names)
LISTED = sorted(n for n, v in vars(MissingMethods).items() if isinstance(v, NotProvided))


def test_tensor_has_no_getattr_hook():
    assert not any("__getattr__" in vars(c) for c in minigan.Tensor.__mro__), "a __getattr__ slows every tensor read"


def test_every_name_of_the_table_is_listed():
    table = {n for (space, n) in _missing._INDEX if space == TABLE_KEY}
    assert table <= set(LISTED), sorted(table - set(LISTED))


@pytest.mark.parametrize("name", LISTED)
def test_a_listed_name_raises_its_advice_and_shadows_no_method(name):
    assert isinstance(inspect.getattr_static(minigan.Tensor, name), NotProvided), f"minigan implements {name} now"
    advice = _missing.advice(TABLE_KEY, name)
    assert advice
    for owner in (minigan.zeros(2), minigan.Tensor, minigan.nn.Parameter(minigan.zeros(2))):
        with pytest.raises(minigan.NotInMinigan) as info:
            getattr(owner, name)
        assert str(info.value) == f"minigan.Tensor.{name}: {advice}" and info.value.name is None
        assert not hasattr(owner, name)


def test_a_typo_keeps_pythons_own_error():
    with pytest.raises(AttributeError) as info:
        minigan.zeros(2).sine  # noqa: B018
    assert not isinstance(info.value, minigan.NotInMinigan) and info.value.name == "sine"
