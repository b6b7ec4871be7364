"""linalg.vecdot of two vectors is PyTorch's vdot, whatever dim says (surface seed 11915216: dim=-2 of two 1-d
tensors, which PyTorch computes and minigan refused), and refuses vectors of two lengths (no broadcast, as vdot);
other ranks keep the broadcast sum along dim, with its range check.  Outcome class, values and gradients against
PyTorch."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(4,), (1,), (0,), (3, 4), (1, 4), (2, 3, 4)]
CASES = [(a, b, d) for a, b in itertools.product(SHAPES, SHAPES) for d in (-3, -2, -1, 0, 1, 2, 5)]


def _run(lib, a, b, dim):
    rng = np.random.default_rng(len(a) * 10 + len(b))
    x = lib.tensor(rng.normal(size=a), dtype=lib.float64, requires_grad=True)
    y = lib.tensor(rng.normal(size=b), dtype=lib.float64, requires_grad=True)
    out = outcome(lambda: lib.linalg.vecdot(x, y, dim=dim))
    if isinstance(out, Exception):
        return (type(out), None, None)
    gx, gy = lib.autograd.grad(out.sum(), (x, y), allow_unused=True)
    return None, out.detach().numpy(), (gx.numpy(), gy.numpy())


@pytest.mark.parametrize("a,b,dim", CASES)
def test_vecdot_as_pytorchs(a, b, dim):
    want_error, want, want_grads = _run(torch, a, b, dim)
    got_error, got, got_grads = _run(minigan, a, b, dim)
    if want_error is not None:  # (the same built-in class as PyTorch's)
        builtin = next(c for c in want_error.__mro__ if c.__module__ == "builtins")
        assert got_error is not None and issubclass(got_error, builtin), (got_error, want_error)
        return
    assert got_error is None
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)
    for g, w in zip(got_grads, want_grads):
        np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-14)
