"""Sigmoid's gradient is PyTorch's formula, rounded as PyTorch rounds it.

dσ/dx = σ(1 − σ), which PyTorch computes from the saved result as ``grad * (1 - σ) * σ`` (sigmoid_backward's CPU
kernel, scalar and vectorized alike), left to right.  ``grad * σ * (1 - σ)`` is the same number in exact arithmetic
but rounds otherwise in about a third of the entries.  IEEE multiplication and subtraction are correctly rounded, so
where minigan's σ is PyTorch's to the last bit the same formula gives the same gradient, for every sigmoid door, an
upstream holding ±0, ±∞ and NaN too, and under create_graph (the first gradient as a node, and its own gradients:
PyTorch's ``grad * grad_output * (-2σ + 1)`` for σ).  (σ itself is 1/(1 + e^−x) in PyTorch, whose exp is SLEEF's
on a vectorized CPU path and the C library's on a scalar one; minigan's is computed otherwise, and the entries
where the two σ differ are left out here: docs/pytorch.md's rounding.)
"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {
    "x.sigmoid()": lambda L, x: x.sigmoid(),
    "sigmoid(x)": lambda L, x: L.sigmoid(x),
    "F.sigmoid(x)": lambda L, x: L.nn.functional.sigmoid(x),
    "nn.Sigmoid()(x)": lambda L, x: L.nn.Sigmoid()(x),
    "(x * 1).sigmoid_()": lambda L, x: (x * 1).sigmoid_(),
}


def _inputs(n, seed):
    rng = np.random.default_rng(seed)
    x = np.concatenate([rng.normal(0, 1, n), rng.normal(0, 6, n), rng.normal(0, 1e-6, n)])
    up = rng.normal(0, 1, x.size)
    up[::97] = np.inf
    up[1::97] = -np.inf
    up[2::97] = np.nan
    up[3::97] = -0.0
    return x, up


def _gradients(L, door, x, up, create_graph):
    """σ, its gradient for the upstream ``up``, and (under create_graph) the gradients of that gradient for the
    upstream ``up[::-1]`` with respect to x and to the upstream."""
    xt = L.tensor(x, dtype=L.float64, requires_grad=True)
    u = L.tensor(up, dtype=L.float64, requires_grad=create_graph)
    s = DOORS[door](L, xt)
    (g,) = L.autograd.grad(s, xt, u, create_graph=create_graph)
    out = [s.detach().numpy(), g.detach().numpy()]
    if create_graph:
        w = L.tensor(np.ascontiguousarray(up[::-1]), dtype=L.float64)
        out += [t.detach().numpy() for t in L.autograd.grad(g, (xt, u), w)]
    return out


@pytest.mark.parametrize("create_graph", [False, True], ids=["first order", "create_graph"])
@pytest.mark.parametrize("n", [2, 3000], ids=["scalar path", "vectorized path"])  # (6 entries: under a vector)
@pytest.mark.parametrize("door", list(DOORS))
def test_sigmoid_gradient_has_pytorchs_bits_where_sigma_has(door, n, create_graph):
    x, up = _inputs(n, seed=n)
    mine = _gradients(minigan, door, x, up, create_graph)
    theirs = _gradients(torch, door, x, up, create_graph)
    same_sigma = mine[0].view(np.int64) == theirs[0].view(np.int64)
    assert same_sigma.mean() > 0.5  # (the entries compared: most of them)
    for order, (m, t) in enumerate(zip(mine[1:], theirs[1:]), 1):
        m, t = m[same_sigma], t[same_sigma]
        differ = ~((m.view(np.int64) == t.view(np.int64)) | np.isnan(m) & np.isnan(t))
        assert not differ.any(), (f"gradient {order}: {differ.sum()} of {differ.size} entries differ, e.g. x = "
                                  f"{x[same_sigma][differ][:3]}: {m[differ][:3]} where PyTorch's is {t[differ][:3]}")
