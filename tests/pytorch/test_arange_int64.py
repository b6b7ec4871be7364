"""arange with dtype=int64 and numbers that are not integers, as PyTorch's kernel: the sign of the step is checked on
the numbers as given, then start, end and step are read as int64 (truncated) and counted in it (arange(0.5,
dtype=int64) is empty; arange(0.5, 3.7, dtype=int64) is [0, 1, 2]; a step below 1 in size is 0, refused)."""

import itertools

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NUMBERS = [0, 0.5, 1.5, -0.5, -2.7, 3.7, 2, 5, -1]
STEPS = [1, 0.5, -1, 2.5, -0.7, 3]


def _outcome(lib, *args):
    try:
        return lib.arange(*args, dtype=lib.int64).tolist()
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return e


@pytest.mark.parametrize("step", STEPS)
def test_arange_int64_of_any_numbers_as_pytorchs(step):
    for start, end in itertools.product(NUMBERS, NUMBERS):
        ours, theirs = _outcome(minigan, start, end, step), _outcome(torch, start, end, step)
        if isinstance(theirs, Exception):
            assert isinstance(ours, type(theirs)), (start, end, step, ours, theirs)
        else:
            assert ours == theirs, (start, end, step)
