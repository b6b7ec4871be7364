"""Dtypes print as PyTorch's with the library's name (``minigan.float32`` where PyTorch prints ``torch.float32``), in
``print(x.dtype)`` and in a tensor's repr, whose lines break where PyTorch's do; underneath they stay NumPy dtypes
(NumPy takes them, they compare and hash equal to NumPy's).

(Its torch-free tests: tests/library/test_dtype_names.py.)"""

import pytest
from library.helpers_dtype_names import NAMES

import minigan

try:
    import torch
except ImportError:
    torch = None

needs_torch = pytest.mark.skipif(torch is None, reason="needs torch (a test-only oracle)")


@needs_torch
@pytest.mark.parametrize("name", NAMES)
def test_a_dtype_prints_as_pytorchs(name):
    mine, theirs = getattr(minigan, name), getattr(torch, name)
    assert str(mine) == str(theirs).replace("torch", "minigan") and repr(mine) == str(mine)
    assert (mine.is_floating_point, mine.is_complex, mine.is_signed, mine.itemsize) == (
        theirs.is_floating_point, theirs.is_complex, theirs.is_signed, theirs.itemsize)
    x = minigan.zeros(2, dtype=mine)
    assert x.dtype is mine and str(x.dtype) == str(torch.zeros(2, dtype=theirs).dtype).replace("torch", "minigan")


@needs_torch
@pytest.mark.parametrize("make", [
    lambda lib: lib.arange(3, dtype=lib.float64), lambda lib: lib.ones(2, 3, dtype=lib.int32),
    lambda lib: lib.zeros(0, dtype=lib.int64), lambda lib: lib.zeros(0, 3, dtype=lib.float64),
    lambda lib: lib.linspace(-1, 1, 30, dtype=lib.float64).reshape(3, 10),
    lambda lib: lib.arange(24, dtype=lib.int16).reshape(2, 12) * 1000,
    lambda lib: lib.tensor([0.5, 1e-9], dtype=lib.float64),
    lambda lib: lib.tensor([[1.25, 2.5, 3.75, 4.125, 5.0625, 6.5, 7.125, 8.0, 9.5]], dtype=lib.float64) * 1000,
    lambda lib: lib.tensor([1, 2], dtype=lib.uint8), lambda lib: lib.get_default_dtype(),
    lambda lib: lib.tensor([1.0], dtype=lib.float64, requires_grad=True) * 2,
])
def test_what_a_program_prints(make):
    assert str(make(minigan)) == str(make(torch)).replace("torch", "minigan")
