"""F.pad's constant value goes into the input's dtype by PyTorch's checked conversion: NaN, ±∞ or a number beyond an
integer dtype's range is its RuntimeError (minigan's DomainError is one), a fraction is truncated, and a float32
input refuses a finite number beyond float32's range, as PyTorch's."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

VALUES = [float("nan"), float("inf"), -float("inf"), 1e30, -1e30, 2.5, -3, 0, 1e40, 300]


def _outcome(lib, dtype, value, shape):
    try:
        return lib.nn.functional.pad(lib.zeros(shape, dtype=getattr(lib, dtype)), [1, 1], value=value).tolist()
    except RuntimeError:
        return "RuntimeError"


@pytest.mark.parametrize("shape", [(2, 3), (3, 0)], ids=str)
@pytest.mark.parametrize("value", VALUES, ids=str)
@pytest.mark.parametrize("dtype", ["int64", "int32", "uint8", "float32", "float64", "bool"])
def test_pad_value_converted_as_pytorchs(dtype, value, shape):
    ours, theirs = _outcome(minigan, dtype, value, shape), _outcome(torch, dtype, value, shape)
    assert ours == theirs or ours != "RuntimeError" and theirs != "RuntimeError" and str(ours) == str(theirs), \
        (ours, theirs)
