"""linspace against PyTorch (tests/pytorch/sweep.py):

* its values bit for bit against PyTorch's CPU kernel, which computes start + step·i (the first half) and
  end − step·(steps − 1 − i) (the second) each in one fused multiply-add (GCC contracts the kernel's a + b·c), in
  the dtype's own arithmetic (float32's in float32; an integer dtype's in float64, then truncated), so a value
  rounds once where two roundings (NumPy's) differ from it in the last place for most ranges (torch.histogram's bin
  edges are that linspace: tests/pytorch/test_histogram.py);
* with dtype=bool: no steps or one step make no values or start alone (in any dtype, as they need no kernel), more
  steps refuse (NotImplementedError: PyTorch has no bool linspace kernel).
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.sweep import bits, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["float64", "float32", None, "int64", "int32", "int16", "uint8"]


def _drawn(L, case):
    rng = np.random.default_rng(case)
    dtype = DTYPES[case % len(DTYPES)]
    scale = 10.0 ** rng.integers(-4, 5, size=2)
    start, end = (float(v) for v in rng.normal(size=2) * scale)
    if case % 11 == 0:
        start, end = float(rng.choice([np.nan, np.inf, -np.inf, 0.0, -0.0])), end
    if case % 13 == 0:
        start, end = start, float(rng.choice([np.inf, -np.inf, -0.0, start]))
    if dtype is not None and "int" in dtype:
        start, end = (float(np.round(v)) if np.isfinite(v) else 3.0 for v in (start, end))
        if dtype == "uint8":
            start, end = abs(start) % 200, abs(end) % 200
        if dtype == "int16":
            start, end = start % 30000, -(end % 30000)
    steps = int(rng.choice([0, 1, 2, 3, 5, 8, 9, 16, 17, 33, 100, 101, 257, int(rng.integers(2, 3000))]))
    bounds = (L.tensor(start, dtype=L.float64), L.tensor(end, dtype=L.float64)) if case % 3 == 0 else (start, end)
    return bits(L.linspace(*bounds, steps, **({} if dtype is None else {"dtype": getattr(L, dtype)})))


test_linspace_bit_for_bit = sweep(_drawn, range(400))


def _bools(L, steps, start, end):
    return L.linspace(start, end, steps, dtype=L.bool)


test_linspace_of_bools_as_pytorchs = sweep(
    _bools, [(steps, *c) for steps in [0, 1, 2, 3, -1]
             for c in itertools.product([0, 1, 2, -1, 0.5, math.inf, math.nan], [0, 1, 3])],
    group=lambda steps, start, end: steps)
