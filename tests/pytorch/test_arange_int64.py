"""arange with dtype=int64 and numbers that are not integers, as PyTorch's kernel: the sign of the step is checked on
the numbers as given, then start, end and step are read as int64 (truncated) and counted in it (arange(0.5,
dtype=int64) is empty; arange(0.5, 3.7, dtype=int64) is [0, 1, 2]; a step below 1 in size is 0, refused); and with
the other dtypes, whose kernel counts otherwise."""

import itertools

import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NUMBERS = [0, 0.5, 1.5, -0.5, -2.7, 3.7, 2, 5, -1]
STEPS = [1, 0.5, -1, 2.5, -0.7, 3]


def _outcome(lib, *args):
    return outcome(lambda: lib.arange(*args, dtype=lib.int64).tolist())


@pytest.mark.parametrize("step", STEPS)
def test_arange_int64_of_any_numbers_as_pytorchs(step):
    for start, end in itertools.product(NUMBERS, NUMBERS):
        ours = _outcome(minigan, start, end, step)
        if int(step) == 0:  # read as int64 the step is 0: PyTorch 2.13 refuses it; 2.11's kernel divides by it
            assert isinstance(ours, RuntimeError), (start, end, step, ours)  # (SIGFPE: the process dies)
            continue
        theirs = _outcome(torch, start, end, step)
        if isinstance(theirs, Exception):
            assert isinstance(ours, type(theirs)), (start, end, step, ours, theirs)
        else:
            assert ours == theirs, (start, end, step)


@pytest.mark.parametrize("dtype", ["int32", "int16", "int8", "uint8", "float32", "float64"])
def test_arange_of_any_numbers_in_the_other_dtypes_as_pytorchs(dtype):
    """The other integer dtypes count as PyTorch's kernel does there: the number of values from the numbers as
    given (ceil((end − start) / step)), the values start + i·step with start and step truncated to integers (a step
    below 1 in size repeats start; a negative value wraps around in uint8)."""
    for start, end, step in itertools.product(NUMBERS, NUMBERS, STEPS):
        ours, theirs = (_in(lib, dtype, start, end, step) for lib in (minigan, torch))
        if isinstance(theirs, Exception):
            assert isinstance(ours, type(theirs)), (start, end, step, ours, theirs)
        else:
            assert ours == pytest.approx(theirs), (start, end, step, ours, theirs)


def _in(lib, dtype, *args):
    return outcome(lambda: lib.arange(*args, dtype=getattr(lib, dtype)).tolist())
