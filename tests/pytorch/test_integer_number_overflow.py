"""A Python number beside an integer tensor takes the tensor's dtype, and PyTorch refuses one that does not fit it
(RuntimeError: "value cannot be converted to type uint8_t without overflow") at every door that reads it so: add's
and sub's alpha, where's number, pow's exponent, besides the operators and fills.  minigan wrapped it (uint8 300 is
44).  Over uint8, int8 and int32 tensors and numbers in and out of range, each call against PyTorch: the same
values, or the same class of error."""

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

VALUES = {"uint8": [1, 200, 3], "int8": [1, -100, 3], "int32": [1, -100, 3]}
NUMBERS = [2, -1, 127, 128, -128, 255, 300, -300, 2 ** 31, -2 ** 31, 2 ** 40]
CALLS = {
    "add alpha": lambda lib, x, v: lib.add(x, x, alpha=v), "sub alpha": lambda lib, x, v: lib.sub(x, x, alpha=v),
    "Tensor.add alpha": lambda lib, x, v: x.add(x, alpha=v), "add_ alpha": lambda lib, x, v: x.add_(x, alpha=v),
    "sub_ alpha": lambda lib, x, v: x.sub_(x, alpha=v), "subtract alpha": lambda lib, x, v: lib.subtract(x, x, alpha=v),
    "rsub alpha": lambda lib, x, v: lib.rsub(x, x, alpha=v),
    "where other": lambda lib, x, v: lib.where(x > 2, x, v), "where input": lambda lib, x, v: lib.where(x > 2, v, x),
    "Tensor.where": lambda lib, x, v: x.where(x > 2, v), "x + v": lambda lib, x, v: x + v,
    "x.fill_(v)": lambda lib, x, v: x.fill_(v), "masked_fill": lambda lib, x, v: x.masked_fill(x > 2, v),
}


def _outcome(lib, call, dtype, v):
    x = lib.tensor(VALUES[dtype], dtype=getattr(lib, dtype))
    return outcome(lambda: CALLS[call](lib, x, v).tolist())


@pytest.mark.parametrize("dtype", list(VALUES))
@pytest.mark.parametrize("call", list(CALLS))
def test_a_number_out_of_an_integer_dtype_is_refused_as_pytorch(call, dtype):
    for v in NUMBERS + [np.int64(300)]:
        expected, got = _outcome(torch, call, dtype, v), _outcome(minigan, call, dtype, v)
        if isinstance(expected, Exception):
            assert isinstance(got, type(expected)), f"{call} {dtype} {v!r}: PyTorch {expected!r}, minigan {got!r}"
        else:
            assert got == expected, f"{call} {dtype} {v!r}"
