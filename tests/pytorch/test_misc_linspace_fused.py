"""linspace's values bit for bit against PyTorch's CPU kernel, which computes start + step·i (the first half) and
end − step·(steps − 1 − i) (the second) each in one fused multiply-add (GCC contracts the kernel's a + b·c), in the
dtype's own arithmetic (float32's in float32; an integer dtype's in float64, then truncated), so a value rounds once
where two roundings (NumPy's) differ from it in the last place for most ranges.  torch.histogram's bin edges are
that linspace, and its counts follow the edges.
"""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["float64", "float32", None, "int64", "int32", "int16", "uint8"]


def _draw(case):
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
    return start, end, steps, dtype


@pytest.mark.parametrize("case", range(400))
def test_linspace_bit_for_bit(case):
    start, end, steps, dtype = _draw(case)
    results = []
    for lib in (torch, minigan):
        kw = {} if dtype is None else {"dtype": getattr(lib, dtype)}
        bounds = (lib.tensor(start, dtype=lib.float64), lib.tensor(end, dtype=lib.float64)) if case % 3 == 0 \
            else (start, end)
        results.append(lib.linspace(*bounds, steps, **kw).numpy())
    want, got = results
    assert got.dtype == want.dtype and got.shape == want.shape
    _same_bits(got, want)


def _same_bits(got, want):
    """Equal bit for bit (the sign of a zero too), NaN where NaN (a NaN's sign bit is not compared)."""
    if got.dtype.kind != "f":
        np.testing.assert_array_equal(got, want)
        return
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    kept = ~np.isnan(want)
    np.testing.assert_array_equal(got[kept].view(f"u{got.itemsize}"), want[kept].view(f"u{want.itemsize}"))


@pytest.mark.parametrize("case", range(120))
def test_histogram_edges_and_counts(case):
    rng = np.random.default_rng(1000 + case)
    dtype = ["float64", "float32"][case % 2]
    values = rng.normal(size=int(rng.integers(1, 60))) * 10.0 ** rng.integers(-2, 3)
    if case % 4 == 0:  # (one value: PyTorch's range widens to ± 0.5 around it)
        values = np.full(values.shape, float(np.round(values[0], 2)))
    bins = int(rng.choice([1, 2, 7, 10, 33, 100, 101]))
    kwargs = {"range": [float(np.round(values.min(), 1)), float(np.round(values.max(), 1) + 1.0)]} \
        if case % 3 == 0 else {}
    (want_hist, want_edges), (hist, edges) = (lib.histogram(lib.tensor(values, dtype=getattr(lib, dtype)), bins,
                                                            **kwargs) for lib in (torch, minigan))
    assert edges.numpy().dtype == want_edges.numpy().dtype
    _same_bits(edges.numpy(), want_edges.numpy())
    np.testing.assert_array_equal(hist.numpy(), want_hist.numpy())
