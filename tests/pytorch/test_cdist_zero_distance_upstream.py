"""cdist's gradient at a zero distance is PyTorch's kernels' whatever the upstream gradient there: 0 for p in (0, 1)
and p > 1 (``dist == 0 ? 0 : ...``, so a NaN or ±inf upstream, as sqrt(|cdist(x, x)|) sends back on the diagonal,
is not multiplied into 0 · NaN), and grad · sign(diff) for p = 1 and inf (NaN there).  Every p, both algorithms
(PyTorch's direct one and its matrix product for p = 2), upstreams with NaN and ±inf at zero and at nonzero
distances, against PyTorch float64."""

import itertools
import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

PS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, math.inf]
MODES = ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"]
SPECIAL = [np.nan, np.inf, -np.inf]


def _grad(lib, p, mode, upstream, same):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 3)).round(2)
    b = a[[2, 0, 1]] if same else rng.standard_normal((3, 3)).round(2)  # b's rows 1, 2 are a's rows 0, 1
    x = lib.tensor(a, dtype=lib.float64, requires_grad=True)
    y = lib.tensor(b, dtype=lib.float64, requires_grad=True)
    out = lib.cdist(x, y, p=p, compute_mode=mode)
    gx, gy = lib.autograd.grad(out, (x, y), lib.tensor(upstream, dtype=lib.float64))
    return gx.numpy().copy(), gy.numpy().copy()


@pytest.mark.parametrize("p", PS)
def test_cdist_gradient_at_a_zero_distance_whatever_the_upstream(p):
    bad = []
    for mode, special, same in itertools.product(MODES, SPECIAL, (True, False)):
        upstream = np.random.default_rng(1).standard_normal((4, 3))
        upstream[[0, 1, 3], [1, 2, 0]] = special  # (0, 1) and (1, 2): zero distances when ``same``
        with np.errstate(all="ignore"):  # (NaN and ∞ arithmetic, as PyTorch's: its warnings are not the point here)
            mine = _grad(minigan, p, mode, upstream, same)
        theirs = _grad(torch, p, mode, upstream, same)
        if not all(np.allclose(m, t, rtol=1e-7, atol=1e-9, equal_nan=True) for m, t in zip(mine, theirs)):
            bad.append((mode, special, same, [m.tolist() for m in mine], [t.tolist() for t in theirs]))
    assert not bad, (len(bad), bad[:2])
