"""A number beside an integer tensor takes the tensor's dtype and must fit it, as PyTorch's checked conversion
(a RuntimeError, "cannot be converted ... without overflow"), at add's and sub's alpha and where's number, not
wrap (uint8 300 is 44).  sub's alpha is negated first (sub adds -alpha·other), as PyTorch's.

(Its comparisons with PyTorch: tests/pytorch/test_number_writes.py.)"""

import pytest

import minigan


def test_a_number_out_of_an_integer_dtype_is_refused_and_one_in_range_is_not():
    x = minigan.tensor([1, 200, 3], dtype=minigan.uint8)
    for call in (lambda: minigan.add(x, x, alpha=300), lambda: minigan.where(x > 2, x, 300),
                 lambda: minigan.where(x > 2, -300, x), lambda: x.sub(x, alpha=-256)):
        with pytest.raises(RuntimeError, match="without overflow"):
            call()
    assert minigan.where(x > 2, x, 255).tolist() == [255, 200, 3]
    assert minigan.add(x, x, alpha=-1).tolist() == [0, 0, 0]  # (an unsigned dtype takes -1: it wraps, as PyTorch's)
    i32 = minigan.tensor([1, 2], dtype=minigan.int32)
    assert i32.sub(i32, alpha=2 ** 31).tolist() == [1 - 2 ** 31, 2]  # (-2³¹ fits int32; 2 - 2³² wraps to 2)
