"""pow's row of KERNELS (surface/pointwise.py's PowKernels) says when PyTorch's kernels round otherwise than the
engine's textbook Pow (``rounds``), and the engine asks the row only then: so for every other exponent the row's
functions must give what the textbook's give, bit for bit, at the value (b), at the backward's power (b − 1) and at
its zeros.  Drawn: a number exponent the row says it leaves alone, and bases with ±0, ±∞ and NaN, in each float
dtype.  (The row's own values against PyTorch: tests/pytorch/test_pow.py.)"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from minigan.engine.ops.elementwise import Pow
from minigan.surface.pointwise import PowKernels

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 2.0, 0.5]
EXPONENTS = st.one_of(st.integers(-6, 6), st.sampled_from([-0.5, 0.5, 1.5, -1.5, 2.5, 0.0, -0.0]),
                      st.floats(-8, 8, allow_nan=False, width=32))


def _same(got, want):
    return got is want is None or np.array_equal(got, want, equal_nan=True) and got.dtype == want.dtype


@settings(max_examples=150, deadline=None, derandomize=True)
@given(b=EXPONENTS, dtype=st.sampled_from(["float16", "float32", "float64"]),
       values=st.lists(st.floats(-1e4, 1e4, width=16), min_size=1, max_size=8))
def test_where_the_row_says_it_does_not_round_it_computes_the_textbooks(b, dtype, values):
    a = np.array(values + SPECIAL, dtype=dtype)
    scalar = np.dtype(dtype).type(b)  # (the door's number: a NumPy scalar of the base's dtype)
    if PowKernels.rounds(scalar, True):
        return
    with np.errstate(all="ignore"):
        assert _same(PowKernels.power(a, scalar, True), Pow.power(a, scalar, True)), ("a ** b", b)
        assert _same(PowKernels.power(a, scalar - 1, True), Pow.power(a, scalar - 1, True)), ("a ** (b - 1)", b)
        assert _same(PowKernels.zero_da(a, scalar), Pow.zero_da(a, scalar)), ("zero_da", b)


def test_the_row_rounds_the_exponents_pytorchs_kernels_compute_otherwise():
    """The row's numbers: 3 and −2 (multiplied), −0.5 (1/√x), their b − 1 (4, −1, 0.5), and 0 (pow_backward's
    zeros); a tensor exponent always (C's pow throughout, and the zeros read its values)."""
    for b in (3, -2, -0.5, 4, -1, 0.5, 0, -0.0):
        assert PowKernels.rounds(np.float32(b), True), b
    for b in (2, 1, -3, 1.5, 2.5, 0.25, -1.5, 7):
        assert not PowKernels.rounds(np.float32(b), True), b
    assert PowKernels.rounds(np.array([2.0]), False)
