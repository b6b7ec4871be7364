"""logspace with an integer dtype checks what PyTorch's reads: two steps or more, both bounds in the dtype (its
kernel's cast); one step, the power base**start it fills in (an end that does not fit, NaN, ∞, 1e30, 300 for uint8,
is not read); no steps, nothing.  Found by the surface programs (tests/pytorch/surface_programs.py, seed
11733515: logspace(1.25, nan, 1, dtype=int64), minigan's DomainError where PyTorch ran)."""

import math

import pytest
from conftest import default_slice

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome, same_tensor_outcome  # noqa: E402

BOUNDS = [1.25, math.nan, math.inf, -math.inf, 1e30, -1.0, 300.0, 2]


def _call(lib, start, end, steps, dtype):
    return outcome(lambda: lib.logspace(start, end, steps, dtype=getattr(lib, dtype)))


# Every 7th case by default (and each bound at each end, each steps and dtype), the rest under -m parity
@pytest.mark.parametrize("start, end, steps, dtype", default_slice(
    [pytest.param(start, end, steps, dtype, id=f"{start!r}-{end!r}-{steps}-{dtype}")
     for start in BOUNDS for end in BOUNDS for steps in [0, 1, 2, 3]
     for dtype in ["int64", "int32", "uint8", "float64"]],
    23, cover="each"))
def test_logspace_reads_the_bounds_it_makes(start, end, steps, dtype):
    theirs, ours = _call(torch, start, end, steps, dtype), _call(minigan, start, end, steps, dtype)
    same_tensor_outcome(ours, theirs)
