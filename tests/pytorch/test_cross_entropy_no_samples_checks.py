"""cross_entropy of no samples against labels still checks its arguments, against PyTorch.

PyTorch's cross_entropy checks label_smoothing's range first, and its nll_loss the class weight's shape, before it
finds there is nothing to sum: a (0, C) batch with label_smoothing 1.25, or a weight of shape (0, 3) or (1, 3), is
refused (RuntimeError) as for a batch with samples.  minigan returned the empty result before those checks.  Over
label smoothings, weights and reductions on (0, C) and (0, C, d) scores, minigan must give PyTorch's result or raise
its class.
"""

import itertools
import math

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(0, 3), (0, 3, 2)]
SMOOTHINGS = [0.0, 0.2, 1.0, 1.25, -0.5, math.nan]
WEIGHTS = [None, (3,), (0, 3), (1, 3), (2,)]
REDUCTIONS = ["mean", "sum", "none"]


def _run(lib, shape, smoothing, weight, reduction):
    x = lib.zeros(shape, dtype=lib.float64, requires_grad=True)
    y = lib.zeros((0,) + shape[2:], dtype=lib.int64)
    w = None if weight is None else lib.ones(weight, dtype=lib.float64)
    try:
        out = lib.nn.functional.cross_entropy(x, y, weight=w, reduction=reduction, label_smoothing=smoothing)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", (tuple(out.shape), str(np.asarray(out.tolist()).tolist()))


@pytest.mark.parametrize("shape,smoothing,weight,reduction", list(itertools.product(SHAPES, SMOOTHINGS, WEIGHTS,
                                                                                     REDUCTIONS)))
def test_no_samples_are_checked_as_pytorchs(shape, smoothing, weight, reduction):
    expected = _run(torch, shape, smoothing, weight, reduction)
    with np.errstate(all="ignore"):
        got = _run(minigan, shape, smoothing, weight, reduction)
    where = f"cross_entropy({shape}, label_smoothing={smoothing}, weight {weight}, reduction={reduction!r})"
    same_outcome(got, expected, where)
