"""embedding's max_norm over rows of no entries (an embedding_dim of 0): PyTorch's renorm takes each picked row's
vector_norm, which refuses an ∞, −∞ or negative norm_type over nothing (RuntimeError: it has no identity), and
computes 0 for the others; with no rows picked nothing is measured (surface seed 11903099: norm_type ∞, max_norm
−∞, a (4, 0) table, which minigan ran)."""

import math

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NORM_TYPES = [math.inf, -math.inf, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, math.nan]


def _outcome(lib, shape, picked, norm_type, max_norm):
    weight = lib.zeros(shape, dtype=lib.float64)
    idx = lib.tensor(picked, dtype=lib.int64)
    out = outcome(lambda: lib.nn.functional.embedding(idx, weight, max_norm=max_norm, norm_type=norm_type))
    return type(out) if isinstance(out, Exception) else (tuple(out.shape), np.asarray(out.tolist()))


@pytest.mark.parametrize("norm_type", NORM_TYPES, ids=repr)
@pytest.mark.parametrize("shape,picked", [((4, 0), [0, 1, 2]), ((4, 0), []), ((0, 3), []), ((4, 3), [1, 3])])
@pytest.mark.parametrize("max_norm", [1.0, -math.inf])
def test_renorm_of_empty_rows_as_pytorchs(shape, picked, norm_type, max_norm):
    want, got = (_outcome(lib, shape, picked, norm_type, max_norm) for lib in (torch, minigan))
    if isinstance(want, type):  # (minigan's error is an instance of PyTorch's built-in class)
        builtin = next(c for c in want.__mro__ if c.__module__ == "builtins")
        assert isinstance(got, type) and issubclass(got, builtin), (got, want)
    else:
        assert not isinstance(got, type) and got[0] == want[0]
        np.testing.assert_array_equal(got[1], want[1])
