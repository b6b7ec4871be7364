"""What the torch-free tests of test_ops_grad.py share with its comparisons with PyTorch
(tests/pytorch/test_ops_grad.py)."""

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import minigan


def values(shape, lo=-3.0, hi=3.0, away_from_zero=0.0):
    """float64 arrays in [lo, hi], optionally with |x| >= away_from_zero (kinks)."""
    elems = st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=64)
    if away_from_zero:
        elems = elems.filter(lambda v: abs(v) >= away_from_zero)
    return arrays(np.float64, shape, elements=elems)


def leaves(*arrays_):
    return [minigan.tensor(a.copy(), requires_grad=True) for a in arrays_]
