"""histogram with a number of bins: the edges are PyTorch's linspace over the range (the data's own, widened by ½ on
each side when it is one value), counted in the input's dtype with the second half counted down from the right
edge, and every value is binned by those edges (a value equal to an edge in the bin to its right, the right edge in
the last bin), so a value on an inner edge lands where PyTorch's does; density divides by the total, then by each
bin's width, as PyTorch's.  Against PyTorch bit for bit: float32 and float64, 0-d, empty and repeated values, ranges
given or not, weights (added in the input's dtype, one after another: float32's sum rounds at each step) and density
(the total, then each width, divided out in turn) (surface seed 11922325: one value 0.967 in two bins, on the middle
edge, the edges now PyTorch's; this file adds the weights' and the density's roundings)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

rng = np.random.default_rng(11922325)
VALUES = {
    "one value": np.array(0.967),
    "repeated": np.array([0.967, 0.967, 0.967]),
    "zeros": np.array([0.0, -0.0]),
    "thirds": np.array([0.1, 0.2, 0.3, 0.4, 0.7, 0.9, 1.0]),
    "random": rng.normal(size=(4, 5)).round(3),
    "integers": np.arange(-6, 7, dtype=np.float64),
    "on edges": np.linspace(-1.7, 2.3, 31),
    "with inf": np.array([np.inf, -np.inf, 0.25, 0.5]),
    "with nan": np.array([np.nan, 0.25, 0.5, 1.0]),
    "empty": np.zeros((0, 3)),
}
BINS = [1, 2, 3, 5, 7, 10]
RANGES = [None, (0.0, 1.0), (-1.3, 0.7), (0.967, 0.967), (-2.0, 3.0)]
CASES = [(name, bins, rng_) for name, bins, rng_ in itertools.product(VALUES, BINS, RANGES)
         if not (rng_ is None and name in ("with inf", "with nan"))]  # (refused by both: tested elsewhere)


def _run(lib, values, bins, range_, weighted, density, dtype):
    x = lib.tensor(values.astype(dtype))
    w = lib.tensor((np.arange(values.size, dtype=dtype).reshape(values.shape) * 0.37 - 1.097).astype(dtype)) \
        if weighted else None
    kwargs = {} if range_ is None else {"range": range_}
    hist, edges = lib.histogram(x, bins, weight=w, density=density, **kwargs)
    return hist.numpy(), edges.numpy()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("weighted,density", [(False, False), (True, False), (False, True), (True, True)])
def test_histogram_bins_as_pytorchs(weighted, density, dtype):
    wrong = []
    for name, bins, range_ in CASES:
        values = VALUES[name]
        with np.errstate(all="ignore"):
            want_hist, want_edges = _run(torch, values, bins, range_, weighted, density, dtype)
            got_hist, got_edges = _run(minigan, values, bins, range_, weighted, density, dtype)
        # weighted densities: divided by a total whose rounding follows PyTorch's vectorised sum (where the weights
        # cancel, float64's are 1e-15 apart); the rest bit for bit
        rtol = 1e-12 if dtype == "float64" else 1e-6  # (float32: the total's order of additions, 1e-7 apart)
        same = np.allclose(got_hist, want_hist, rtol=rtol, atol=0, equal_nan=True) if weighted and density else \
            np.array_equal(got_hist, want_hist, equal_nan=True)
        if not (got_edges.dtype == want_edges.dtype and got_hist.dtype == want_hist.dtype
                and np.array_equal(got_edges, want_edges) and same):
            wrong.append((name, bins, range_, got_hist, want_hist))
    assert not wrong, f"{len(wrong)} of {len(CASES)} differ, the first: {wrong[0]}"
