"""A deprecated PyTorch function on its own terms: ``minigan.range`` returns the eleven floats 0..10 and warns, naming
``minigan.arange``.

(Its comparisons with PyTorch: tests/pytorch/test_pytorch_deprecated.py.)"""

import pytest

import minigan


def test_range_returns_eleven_floats_and_warns():
    with pytest.warns(UserWarning, match=r"minigan.range is deprecated .* use minigan.arange"):
        r = minigan.range(0, 10)
    assert r.tolist() == [float(i) for i in range(11)] and r.dtype == minigan.float32
