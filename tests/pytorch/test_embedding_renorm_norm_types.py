"""embedding's max_norm measures each picked row with PyTorch's norm, for every norm_type: a row of one entry has the
norm |x| whatever the order (PyTorch's reduction of one entry), where Σ|x|^p overflows or underflows (2.189 with
norm_type 1000: ∞ in (Σ|x|^p)^(1/p), so its row was scaled to −0.0; 0.16: 0, so scaled by max_norm / 1e-7), and
rows of several entries are the norm's own rounding, overflow and underflow (surface seed 11961937)."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NORM_TYPES = [1000.0, 400.0, 50.0, 3.0, 2.0, 1.0, 0.5, 0.0, -1.0, -2.5, float("inf"), float("-inf"), float("nan")]
MAX_NORMS = [1.0, -1.5, 0.5, 1e-3]
ROWS = [-0.22, -2.423, 2.189, 1.505, -0.16, 0.0, 1e-3, 12.0, -300.0, float("nan"), float("inf")]


def _run(lib, table, idx, max_norm, norm_type, dtype):
    weight = lib.tensor(table, dtype=getattr(lib, dtype))
    out = outcome(lambda: lib.nn.functional.embedding(lib.tensor(idx), weight, max_norm=max_norm, norm_type=norm_type))
    if isinstance(out, Exception):
        return type(out).__mro__
    return [out.to(lib.float64).numpy(), weight.to(lib.float64).numpy()]


def _same(got, want):
    if isinstance(want, tuple) or isinstance(got, tuple):
        return isinstance(got, tuple) and isinstance(want, tuple) and next(
            c for c in want if c.__module__ == "builtins") in got  # (PyTorch's built-in class, among minigan's)
    return all(g.shape == w.shape and bool(np.all((np.isnan(g) & np.isnan(w)) | (g == w)
                                                  | (np.abs(g - w) <= 1e-6 * np.abs(w))))
               for g, w in zip(got, want))


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("dim", [1, 2, 3])
def test_embedding_max_norm_scales_rows_by_pytorchs_norm_of_every_order(dim, dtype):
    # each row of the table a different mix of the values above; indices pick some rows, one twice
    table = np.array([np.roll(ROWS, k)[:dim] for k in range(len(ROWS))])
    idx = np.array([2, 4, 3, 0, 4, 7, 8, 9, 10])
    bad = []
    for norm_type, max_norm in itertools.product(NORM_TYPES, MAX_NORMS):
        with np.errstate(all="ignore"):
            want = _run(torch, table, idx, max_norm, norm_type, dtype)
            got = _run(minigan, table, idx, max_norm, norm_type, dtype)
            same = _same(got, want)
        if not same:
            bad.append(f"norm_type={norm_type}, max_norm={max_norm}")
    assert not bad, f"{len(bad)} of {len(NORM_TYPES) * len(MAX_NORMS)} differ: " + "; ".join(bad[:6])
