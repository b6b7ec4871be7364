"""binary_cross_entropy's value where p is near 0, as PyTorch float64 gives it: log(1 − p) is PyTorch's
log1p(−p), whose relative error stays at rounding where 1 − p has lost p's digits (at p = 1e-10, t = 0 the loss is
1.00000000005e-10; log(1 − p) gives 1.000000082740371e-10, 8e-8 apart; at p = 1e-300 it gives 0)."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# tiny, where 1 − p rounds (below 2⁻⁵³ it is 1), subnormal, 0, and ordinary and near-1 values beside them
PROBABILITIES = [0.0, 5e-324, 1e-300, 1e-100, 1e-20, 2.0 ** -53, 1e-16, 3e-12, 1e-10, 1e-7, 1e-4, 0.3, 0.5,
                 1 - 1e-7, 1 - 2.0 ** -53, 1.0]
TARGETS = [0.0, 0.25, 1e-9, 1.0]


def _loss(lib, p, t, w, reduction, dtype):
    dt = getattr(lib, dtype)
    w = None if w is None else lib.tensor(w, dtype=dt)
    out = lib.nn.functional.binary_cross_entropy(lib.tensor(p, dtype=dt), lib.tensor(t, dtype=dt), w,
                                                  reduction=reduction)
    return out.to(lib.float64).numpy()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_bce_value_near_p_0_is_pytorchs(reduction, weighted, dtype):
    p, t = (np.array(v) for v in zip(*itertools.product(PROBABILITIES, TARGETS)))
    w = np.resize([1.0, 0.5, 2.0], p.shape) if weighted else None
    rtol = 1e-13 if dtype == "float64" else 1e-6
    bad = []
    for k in [slice(None)] + list(range(p.size)):  # (all together, and one entry at a time: the reduction its own)
        want = _loss(torch, p[k], t[k], None if w is None else w[k], reduction, dtype)
        got = _loss(minigan, p[k], t[k], None if w is None else w[k], reduction, dtype)
        if got.shape != want.shape or not np.all((got == want) | (np.abs(got - want) <= rtol * np.abs(want))):
            bad.append(f"p={p[k]!r}, t={t[k]!r}: {got!r} here, PyTorch's {want!r}")
    assert not bad, f"{len(bad)} differ: " + "; ".join(bad[:4])
