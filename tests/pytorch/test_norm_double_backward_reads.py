"""The fused norms' second order reads what PyTorch's double backward reads after a write through ``.data``.

PyTorch's layer norm and batch norm nodes save x, μ and 1/σ; under create_graph their backward is a formula
(layer_norm_double_backward, batchnorm_double_backward) in x as it is when it runs and the μ and 1/σ forward found,
whose slope of 1/σ is −(1/σ)³·(x − μ)/n with those saved values.  Group norm's (its infinitely differentiable
backward) reads the same saved values, and takes 1/σ's slope through var_mean's backward, about x's own mean.
Instance norm is PyTorch's batch norm of the (1, N·C, ...) input.  The family: each norm with and without weight
and bias, over one and several dims, x or the weight written through .data (+0.25, ×1.5) after the forward or
nothing written, first and second order, every leaf's gradient against PyTorch float64.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

OPS = {
    "layer_norm": ("F.layer_norm(x, (3,))", (2, 3)),
    "layer_norm_affine": ("F.layer_norm(x, (3,), w3, b3)", (2, 3)),
    "layer_norm_2d": ("F.layer_norm(x, (2, 3))", (2, 2, 3)),
    "layer_norm_weight": ("F.layer_norm(x, (3,), w3)", (4, 3)),
    "group_norm": ("F.group_norm(x, 1)", (2, 2, 3)),
    "group_norm_affine": ("F.group_norm(x, 2, w2, b2)", (2, 2, 3)),
    "group_norm_4d": ("F.group_norm(x, 1, w2)", (2, 2, 2, 2)),
    "instance_norm": ("F.instance_norm(x)", (2, 2, 3)),
    "instance_norm_affine": ("F.instance_norm(x, weight=w2, bias=b2)", (2, 2, 3)),
    "batch_norm": ("F.batch_norm(x, None, None, training=True)", (3, 2, 2)),
    "batch_norm_affine": ("F.batch_norm(x, None, None, w2, b2, training=True)", (3, 2, 2)),
    "batch_norm_2d": ("F.batch_norm(x, None, None, w2, training=True)", (4, 2)),
    "batch_norm_eval": ("F.batch_norm(x, rm, rv, w2, b2)", (3, 2, 2)),
}
CASES = [(name, written, order) for name, written, order in itertools.product(OPS, [None, "x", "weight"], [1, 2])
         if written != "weight" or "w2" in OPS[name][0] or "w3" in OPS[name][0]]


def _grads(lib, name, written, order):
    """Every leaf's gradient (arrays) of Σ w·norm(x) at ``order`` (the second: of Σ k·|first gradient k|²)."""
    code, shape = OPS[name]
    rng = np.random.default_rng(5)
    x = lib.tensor(np.round(rng.normal(size=shape), 3), dtype=lib.float64, requires_grad=True)
    names = dict(x=x, F=lib.nn.functional, rm=lib.tensor([0.1, -0.2], dtype=lib.float64),
                 rv=lib.tensor([1.5, 0.7], dtype=lib.float64))
    for key, n in (("w3", 3), ("b3", 3), ("w2", 2), ("b2", 2)):
        names[key] = lib.tensor(np.round(rng.normal(size=n), 3) + 1, dtype=lib.float64, requires_grad=True)
    out = eval(code, names)  # noqa: S307  (the table's own expressions)
    leaves = [x] + [names[k] for k in ("w3", "b3", "w2", "b2") if k in code]
    if written == "x":
        x.data.add_(0.25)
    elif written == "weight":
        leaves[1].data.mul_(1.5)
    weight = lib.tensor(np.random.default_rng(7).normal(size=tuple(out.shape)), dtype=lib.float64)
    grads = lib.autograd.grad((out * weight).sum(), leaves, create_graph=order > 1, allow_unused=True)
    if order > 1:
        total = sum((g * g * (k + 1)).sum() for k, g in enumerate(grads) if g is not None and g.requires_grad)
        grads = lib.autograd.grad(total, leaves, allow_unused=True)
    return [np.zeros(0) if g is None else g.detach().numpy() for g in grads]


@pytest.mark.parametrize("name, written, order", CASES)
def test_norm_gradients_read_what_pytorchs_read(name, written, order):
    want, got = _grads(torch, name, written, order), _grads(minigan, name, written, order)
    for g, w in zip(got, want):
        assert g.shape == w.shape and np.allclose(g, w, rtol=1e-9, atol=1e-12), (OPS[name][0], g, w)
