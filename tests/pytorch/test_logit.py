"""logit against PyTorch float64 and float32 (tests/pytorch/sweep.py), for torch.logit, Tensor.logit and logit_:

* its eps, every value PyTorch takes: p is clamped to [eps, 1 − eps] as PyTorch's kernel clamps it, testing the
  lower bound first (p < eps gives eps, then p > 1 − eps gives 1 − eps), so for eps > 0.5, where the bounds cross, a
  p below eps is eps (NumPy's clip would give 1 − eps); a NaN eps clamps nothing: values and gradients, first and
  second order;
* its first-order backward (no create_graph) at a NaN p with eps, as PyTorch's CPU kernel computes it where it
  vectorizes (every full block of its vector loop: 8 float64 or 16 float32 values): where(eps <= p <= 1 − eps,
  grad / (p(1 − p)), 0), so a NaN p (and every p, for a NaN eps) gives 0, as its create_graph formula does; a
  negative eps (and none) takes its NaN branch, NaN outside [0, 1] (deep-graph seed 1215358: logit(v, eps=0.1) of a
  NaN, whose backward was NaN in minigan).  Its scalar tail gives NaN at a NaN p instead: docs/pytorch.md, Special
  values, the kinked activations' row.
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

P = [0.0, 1.0, 0.3, 0.8, 0.5, -0.2, 1.3, math.nan, 0.05, 0.97, math.inf, -math.inf, 0.1, 0.9, -0.0, 0.45]
EPS = [None, 0.0, 0.1, 0.5, 0.7, 1.0, 1.2, -0.2, math.nan, np.float64(0.75)]
DOORS = {"torch.logit": lambda L, x, eps: L.logit(x, eps), "Tensor.logit": lambda L, x, eps: x.logit(eps=eps),
         "logit_": lambda L, x, eps: x.clone().logit_(eps)}


def _clamped(L, door, eps):
    p = L.tensor(P[:10], dtype=L.float64, requires_grad=True)
    out = DOORS[door](L, p * 1.0, eps)
    g, = L.autograd.grad(out.sum(), [p], create_graph=True)
    g2, = L.autograd.grad(g.sum(), [p])
    return [close(t.detach(), 1e-12) for t in (out, g, g2)]


test_logit_clamps_as_pytorchs_kernel = sweep(_clamped, list(itertools.product(DOORS, EPS)),
                                             ids=lambda door, eps: f"{eps!r}-{door}")


def _vector_loop(L, door, eps, dtype, block):
    values = np.resize(np.array(P), 4 * block)  # (whole blocks: every value on the kernel's vector path)
    upstream = np.resize(np.array([1.0, -2.0, 0.0, 0.5, 3.0]), values.size)
    p = L.tensor(values, dtype=getattr(L, dtype), requires_grad=True)
    DOORS[door](L, p * 1.0, eps).backward(L.tensor(upstream, dtype=getattr(L, dtype)))
    return close(p.grad, 1e-6 if dtype == "float32" else 1e-15)


test_logit_backward_as_pytorchs_vector_loop = sweep(
    _vector_loop, [(door, eps, *d) for door in DOORS for eps in EPS for d in [("float64", 8), ("float32", 16)]],
    ids=lambda door, eps, dtype, block: f"{eps!r}-{door}-{dtype}")
