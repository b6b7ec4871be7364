"""A missing Tensor attribute says what to use where minigan leaves it out on purpose (complex numbers are out of
scope), and keeps Python's own error otherwise.

(Its comparisons with PyTorch: tests/pytorch/test_tensor_methods.py.)"""

import pytest

import minigan


def test_a_missing_attribute_says_what_to_use():
    with pytest.raises(AttributeError, match="complex numbers are out of scope") as info:
        minigan.zeros(2).conj  # noqa: B018
    assert info.value.name is None
    with pytest.raises(AttributeError, match="has no attribute 'no_such_thing'"):
        minigan.zeros(2).no_such_thing  # noqa: B018
