"""Fixtures the library's tests share."""

import pytest

import minigan


@pytest.fixture
def float64():
    """minigan's default dtype float64 during the test, put back after: the GANs' noise and a model's fresh tensors
    in float64, so that each loss is the formula's to float64's rounding."""
    before = minigan.get_default_dtype()
    minigan.set_default_dtype(minigan.float64)
    yield
    minigan.set_default_dtype(before)
