"""logit's eps, every value PyTorch takes: p is clamped to [eps, 1 − eps] as PyTorch's kernel clamps it, testing the
lower bound first (p < eps gives eps, then p > 1 − eps gives 1 − eps), so for eps > 0.5, where the bounds cross, a p
below eps is eps (NumPy's clip would give 1 − eps); a NaN eps clamps nothing.  Values and gradients (first and
second order) against PyTorch float64, for torch.logit, Tensor.logit and logit_."""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

P = [0.0, 1.0, 0.3, 0.8, 0.5, -0.2, 1.3, math.nan, 0.05, 0.97]
EPS = [None, 0.0, 0.1, 0.5, 0.7, 1.0, 1.2, -0.2, math.nan, np.float64(0.75)]


def _run(lib, form, eps):
    p = lib.tensor(P, dtype=lib.float64, requires_grad=True)
    x = p * 1.0
    out = {"torch.logit": lambda: lib.logit(x, eps), "Tensor.logit": lambda: x.logit(eps=eps),
           "logit_": lambda: x.clone().logit_(eps)}[form]()
    g, = lib.autograd.grad(out.sum(), [p], create_graph=True)
    g2, = lib.autograd.grad(g.sum(), [p])
    return [np.asarray(t.detach().tolist(), dtype=float) for t in (out, g, g2)]


@pytest.mark.parametrize("form", ["torch.logit", "Tensor.logit", "logit_"])
@pytest.mark.parametrize("eps", EPS, ids=repr)
def test_logit_clamps_as_pytorchs_kernel(form, eps):
    with np.errstate(all="ignore"):  # (NaN and ±∞ in the second order: NumPy's warnings are not the subject here)
        results = _run(minigan, form, eps)
    for ours, theirs in zip(results, _run(torch, form, eps)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=0, equal_nan=True)
