"""The method forms of minigan/_tensor_math.py (x.sin(), x.lerp(...), x.new_zeros(...), f"{loss:.3f}", the
advice for a missing attribute), equal to PyTorch's.

(Its comparisons with PyTorch: tests/pytorch/test_tensor_methods.py.)"""

import pytest

import minigan


def test_a_missing_attribute_says_what_to_use():
    with pytest.raises(AttributeError, match="complex numbers are out of scope") as info:
        minigan.zeros(2).conj  # noqa: B018
    assert info.value.name is None
    with pytest.raises(AttributeError, match="has no attribute 'no_such_thing'"):
        minigan.zeros(2).no_such_thing  # noqa: B018
