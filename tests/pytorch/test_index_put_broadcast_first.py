"""index_put and index_put_ check that the index tensors broadcast together (IndexError, 'shape mismatch') before
the values' dtype, as PyTorch's make_info runs before its iterator's dtype check (held-out surface program 12298801:
int64 indices of shapes (2, 3, 4) and (0, 3), float64 values into a bool tensor: PyTorch's IndexError, minigan's
DtypeError).  Drawn: index shapes that broadcast or not, integer or bool masks, values of the input's dtype or
another, an input with a dimension of size 0; the exception's class (or the result) against PyTorch."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INDEX_SHAPES = [((2,), (2,)), ((2, 3), (3,)), ((2, 3, 4), (0, 3)), ((2,), (3,)), ((0,), (2,)), ((1,), (0,))]
INPUTS = [((3, 4), "float64"), ((3, 4), "bool"), ((0, 4), "float64"), ((3, 5), "int64")]
VALUES = ["same", "float64", "int64"]


def _run(lib, index_shapes, input_spec, values, in_place):
    shape, dtype = input_spec
    x = lib.zeros(shape, dtype=getattr(lib, dtype))
    indices = tuple(lib.tensor(np.zeros(s, dtype=np.int64)) for s in index_shapes)
    v = lib.ones((1,), dtype=x.dtype if values == "same" else getattr(lib, values))
    out = outcome(lambda: x.index_put_(indices, v) if in_place else x.index_put(indices, v))
    return ("raised", out) if isinstance(out, Exception) else ("ran", np.asarray(out.numpy(), dtype=float).tolist())


@pytest.mark.parametrize("index_shapes, input_spec, values, in_place",
                         list(itertools.product(INDEX_SHAPES, INPUTS, VALUES, (False, True))))
def test_index_put_checks_the_broadcast_before_the_dtype(index_shapes, input_spec, values, in_place):
    expected = _run(torch, index_shapes, input_spec, values, in_place)
    got = _run(minigan, index_shapes, input_spec, values, in_place)
    if expected[0] == "raised":
        builtin = next(c for c in type(expected[1]).__mro__ if c.__module__ == "builtins")
        assert got[0] == "raised" and isinstance(got[1], builtin), (expected, got)
    else:
        assert got == expected
