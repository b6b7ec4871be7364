"""linalg.vecdot against PyTorch (tests/pytorch/sweep.py): of two vectors it is PyTorch's vdot, whatever dim says
(surface seed 11915216: dim=-2 of two 1-d tensors, which PyTorch computes and minigan refused), and refuses vectors
of two lengths (no broadcast, as vdot); other ranks keep the broadcast sum along dim, with its range check.  Outcome
class, values and gradients."""

import itertools

import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(4,), (1,), (0,), (3, 4), (1, 4), (2, 3, 4)]


def _vecdot(L, a, b, dim):
    rng = np.random.default_rng(len(a) * 10 + len(b))
    x = L.tensor(rng.normal(size=a), dtype=L.float64, requires_grad=True)
    y = L.tensor(rng.normal(size=b), dtype=L.float64, requires_grad=True)
    out = L.linalg.vecdot(x, y, dim=dim)
    gx, gy = L.autograd.grad(out.sum(), (x, y), allow_unused=True)
    return [close(t.detach(), 1e-12, 1e-14) for t in (out, gx, gy)]


test_vecdot_as_pytorchs = sweep(_vecdot, [(a, b, d) for a, b in itertools.product(SHAPES, SHAPES)
                                          for d in (-3, -2, -1, 0, 1, 2, 5)])
