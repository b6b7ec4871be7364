"""histc's range as PyTorch's: the given [min, max], or the data's own when min equals max, must be finite (a ±inf
or NaN among the data refuses with PyTorch's RuntimeError, where NumPy's ValueError leaked out of its bincount)."""

import math

import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan
DATA = [[1.0, 2.0, INF], [-INF, 0.0], [NAN, 1.0], [1.0, 2.0, 3.0], [0.5], []]
RANGES = [(0, 0), (0, INF), (-INF, 1), (1, 1), (NAN, 1), (0, NAN), (2, 1), (0, 3)]


def _outcome(lib, data, low, high):
    return outcome(lambda: lib.histc(lib.tensor(data, dtype=lib.float64), bins=4, min=low, max=high).tolist())


@pytest.mark.parametrize("data", DATA, ids=str)
def test_histc_range_as_pytorchs(data):
    for low, high in RANGES:
        ours, theirs = _outcome(minigan, data, low, high), _outcome(torch, data, low, high)
        if isinstance(theirs, Exception):
            assert isinstance(ours, type(theirs)), (data, low, high, ours, theirs)
        else:
            assert ours == theirs, (data, low, high)
