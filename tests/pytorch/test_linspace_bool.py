"""linspace with dtype=bool as PyTorch's: no steps or one step make no values or start alone (in any dtype, as
they need no kernel), more steps refuse (NotImplementedError: PyTorch has no bool linspace kernel)."""

import itertools
import math

import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _outcome(lib, *args):
    return outcome(lambda: lib.linspace(*args, dtype=lib.bool).tolist())


@pytest.mark.parametrize("steps", [0, 1, 2, 3, -1])
def test_linspace_of_bools_as_pytorchs(steps):
    for start, end in itertools.product([0, 1, 2, -1, 0.5, math.inf, math.nan], [0, 1, 3]):
        ours, theirs = _outcome(minigan, start, end, steps), _outcome(torch, start, end, steps)
        if isinstance(theirs, Exception):
            assert isinstance(ours, type(theirs)), (start, end, steps, ours, theirs)
        else:
            assert ours == theirs, (start, end, steps)
