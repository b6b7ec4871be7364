"""x[index] = a NumPy scalar, against PyTorch: its setitem takes a Python number (np.float64 subclasses float) or a
NumPy integer, and refuses every other NumPy scalar (np.float32, np.float16, np.longdouble, np.bool_) with a
TypeError ("can't assign a numpy.float32 to a torch.FloatTensor"), whatever the tensor's dtype and the index's kind;
other doors (x + np.float32(1), fill_) read those scalars as numbers."""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INDEXES = {"int": lambda T: 0, "slice": lambda T: slice(0, 2), "tuple": lambda T: (1,), "ellipsis": lambda T: ...,
           "list": lambda T: [0, 2], "index tensor": lambda T: T.tensor([0, 2]),
           "mask": lambda T: T.tensor([True, False, True, False]), "0-d tensor": lambda T: T.tensor(1),
           "False": lambda T: False}
SCALARS = [np.float64(1.5), np.float32(1.5), np.float16(1.5), np.longdouble(1.5), np.int64(3), np.int32(3),
           np.int16(3), np.int8(3), np.uint8(3), np.uint64(3), np.bool_(True), np.bool_(False)]
DTYPES = ["float64", "float32", "float16", "int64", "int32", "uint8", "bool"]


def _outcome(lib, dtype, index, value):
    x = lib.zeros(4, dtype=getattr(lib, dtype))
    try:
        x[INDEXES[index](lib)] = value
    except Exception as e:  # (minigan's own classes subclass PyTorch's built-in ones)
        return next(c for c in type(e).__mro__ if c.__module__ == "builtins").__name__
    return np.asarray(x.tolist(), dtype=np.float64).tolist()


# 756 cases: every 7th by default (every dtype, index kind and scalar among them), the rest under -m parity
@pytest.mark.parametrize("dtype, index, value", default_slice(
    itertools.product(DTYPES, INDEXES, SCALARS), 7,
    cover=(lambda dtype, index, value: dtype, lambda dtype, index, value: index,
           lambda dtype, index, value: f"{type(value).__name__}({value})")))
def test_setitem_takes_the_numpy_scalars_pytorch_takes(dtype, index, value):
    assert _outcome(minigan, dtype, index, value) == _outcome(torch, dtype, index, value)
