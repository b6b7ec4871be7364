"""logit's first-order backward (no create_graph) at a NaN p with eps, as PyTorch's CPU kernel computes it where it
vectorizes (every full block of its vector loop: 8 float64 or 16 float32 values): where(eps <= p <= 1 − eps,
grad / (p(1 − p)), 0), so a NaN p (and every p, for a NaN eps) gives 0, as its create_graph formula does; a
negative eps (and none) takes its NaN branch, NaN outside [0, 1] (deep-graph seed 1215358: logit(v, eps=0.1) of a
NaN, whose backward was NaN in minigan).  Its scalar tail gives NaN at a NaN p instead: docs/pytorch.md, Special
values, the kinked activations' row."""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

P = [0.0, 1.0, 0.3, 0.8, 0.5, -0.2, 1.3, math.nan, 0.05, 0.97, math.inf, -math.inf, 0.1, 0.9, -0.0, 0.45]
EPS = [None, 0.0, 0.1, 0.5, 0.7, 1.0, 1.2, -0.2, math.nan, np.float64(0.75)]


@pytest.mark.parametrize("dtype,block", [("float64", 8), ("float32", 16)])
@pytest.mark.parametrize("form", ["torch.logit", "Tensor.logit", "logit_"])
@pytest.mark.parametrize("eps", EPS, ids=repr)
def test_logit_backward_as_pytorchs_vector_loop(eps, form, dtype, block):
    values = np.resize(np.array(P), 4 * block)  # (whole blocks: every value on the kernel's vector path)
    upstream = np.resize(np.array([1.0, -2.0, 0.0, 0.5, 3.0]), values.size)
    grads = []
    for lib in (torch, minigan):
        p = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=True)
        x = p * 1.0
        out = lib.logit(x, eps) if form == "torch.logit" else x.logit(eps=eps) if form == "Tensor.logit" \
            else x.clone().logit_(eps)
        out.backward(lib.tensor(upstream, dtype=getattr(lib, dtype)))
        grads.append(p.grad.numpy())
    theirs, ours = grads
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6 if dtype == "float32" else 1e-15, atol=0, equal_nan=True)
