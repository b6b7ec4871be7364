"""binary_cross_entropy refuses a target outside [0, 1], NaN included, as PyTorch's kernel does ("all elements of
target should be between 0 and 1", a RuntimeError), as it refuses such an input: every door (F.binary_cross_entropy,
nn.BCELoss, with a weight and each reduction) over targets and inputs in, at the edges of and outside [0, 1], against
PyTorch float64."""

import itertools
import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {"F.binary_cross_entropy": lambda lib, p, t, r: lib.nn.functional.binary_cross_entropy(p, t, reduction=r),
         "weighted": lambda lib, p, t, r: lib.nn.functional.binary_cross_entropy(
             p, t, weight=lib.full_like(p, 0.5), reduction=r),
         "nn.BCELoss": lambda lib, p, t, r: lib.nn.BCELoss(reduction=r)(p, t)}
VALUES = [0.0, 0.3, 1.0, 1.5, -0.25, math.nan, math.inf, -math.inf]


def _run(lib, door, p, t, reduction):
    x = lib.tensor([0.4, p], dtype=lib.float64, requires_grad=True)
    y = lib.tensor([0.6, t], dtype=lib.float64)
    try:
        out = DOORS[door](lib, x, y, reduction)
    except RuntimeError:
        return "refused"
    return np.asarray(out.detach().numpy()).round(9).tolist()


@pytest.mark.parametrize("door", list(DOORS))
def test_binary_cross_entropy_refuses_a_target_outside_zero_one(door):
    bad = []
    for p, t, reduction in itertools.product(VALUES, VALUES, ("none", "mean", "sum")):
        with np.errstate(all="ignore"):
            mine = _run(minigan, door, p, t, reduction)
        theirs = _run(torch, door, p, t, reduction)
        if str(mine) != str(theirs):
            bad.append((p, t, reduction, mine, theirs))
    assert not bad, (len(bad), bad[:3])
