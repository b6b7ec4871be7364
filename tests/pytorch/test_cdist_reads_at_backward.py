"""cdist's nodes read what PyTorch's read: x1 and x2 as they are when backward runs (a write through ``.data`` after
the forward is seen) and the distances forward found.  PyTorch's direct algorithm (_cdist_forward, every p) and its
matrix-product one (_euclidean_dist, p = 2 for many rows or when compute_mode asks) each save x1, x2 and their
result; the first is differentiated once (a second order refuses), the second to any order.

The family: p 0, 0.5, 1, 1.5, 2, 3 and ∞ by the three compute modes by few rows and many (the two algorithms), with
nothing written, x1 written or x2 written through .data (+0.25) after the forward, on distinct rows and on rows
with a zero distance and a zero difference, at first and second order, against PyTorch float64.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MODES = ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"]
CASES = list(itertools.product([0, 0.5, 1, 1.5, 2, 3, math.inf], MODES, [None, 0, 1], [2, 30], [1, 2], [False, True]))


def _grads(lib, p, mode, written, rows, order, touching):
    """The leaves' gradients (arrays) of Σ w·cdist at ``order``, after ``written`` (0: x1, 1: x2) was changed
    through .data; or "refused" (PyTorch's NotImplementedError, a RuntimeError) where the library refuses."""
    rng = np.random.default_rng(3)
    a, b = np.round(rng.normal(size=(rows, 3)), 2), np.round(rng.normal(size=(4, 3)), 2)
    if touching:  # (a zero distance, and one difference of 0)
        b[0], b[1, 0] = a[0], a[1, 0]
    x1, x2 = (lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in (a, b))
    out = lib.cdist(x1, x2, p=p, compute_mode=mode)
    if written is not None:
        (x1, x2)[written].data.add_(0.25)
    weight = lib.tensor(np.random.default_rng(7).normal(size=tuple(out.shape)), dtype=lib.float64)
    try:
        grads = lib.autograd.grad((out * weight).sum(), [x1, x2], create_graph=order > 1)
        if order > 1:
            grads = lib.autograd.grad(sum((g * g).sum() for g in grads), [x1, x2], allow_unused=True)
    except RuntimeError:
        return "refused"
    return [np.zeros(0) if g is None else g.detach().numpy() for g in grads]


# Every 5th case by default (and each value of each argument), the rest under -m parity
@pytest.mark.parametrize("p, mode, written, rows, order, touching", default_slice(CASES, 17, cover="each"))
def test_cdist_reads_x1_and_x2_when_backward_runs(p, mode, written, rows, order, touching):
    with np.errstate(all="ignore"):
        want, got = (_grads(lib, p, mode, written, rows, order, touching) for lib in (torch, minigan))
    if isinstance(want, str) or isinstance(got, str):
        assert got == want
    else:
        for g, w in zip(got, want):
            assert g.shape == w.shape and np.allclose(g, w, rtol=1e-9, atol=1e-12, equal_nan=True), (g, w)


# The dtypes PyTorch's cdist takes, in its checks' order (columns, floating dtypes, p, one dtype, then the direct
# kernel's float16): every mode and p by dtype pairs by empty or not; an empty input is not computed (x1's dtype).
DTYPES = [("int64", "int64"), ("float32", "float64"), ("float64", "float32"), ("int64", "float64"),
          ("float64", "int64"), ("float16", "float16"), ("bool", "bool"), ("float32", "float32")]


@pytest.mark.parametrize("mode", ["use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"])
@pytest.mark.parametrize("p", [2, 1, -1])
@pytest.mark.parametrize("dtypes", DTYPES)
@pytest.mark.parametrize("columns, rows", [(3, 0), (3, 2), (4, 2)])
def test_cdist_takes_the_dtypes_pytorchs_takes(mode, p, dtypes, columns, rows):
    found = []
    for lib in (torch, minigan):
        x1 = lib.ones(rows, 3, dtype=getattr(lib, dtypes[0]))
        x2 = lib.ones(2, columns, dtype=getattr(lib, dtypes[1]))
        try:
            out = lib.cdist(x1, x2, p=p, compute_mode=mode)
            found.append((str(out.dtype).split(".")[-1], tuple(out.shape), out._base is not None))
        except Exception as e:  # noqa: BLE001
            found.append(e)
    want, got = found
    if isinstance(want, Exception):
        assert isinstance(got, _builtin(want)), f"PyTorch {want!r}, minigan {got!r}"
    else:
        assert got == want
