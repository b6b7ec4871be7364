"""What the torch-free tests of test_strict_backend.py share with its comparisons with PyTorch
(tests/pytorch/test_strict_backend.py)."""

import pytest
from strict_backend import installed, strict

import minigan


@pytest.fixture
def device():
    """The stand-in in CuPy's place, the active backend: yields its module."""
    with installed():
        minigan.use_backend("cupy")
        try:
            yield strict
        finally:
            minigan.use_backend("numpy")
