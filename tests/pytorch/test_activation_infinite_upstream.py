"""Activations under an infinite or NaN upstream gradient, at first and second order, against PyTorch float64.
PyTorch's derivatives are fused: grad·f'(x), and at second order its double-backward formulas select by pieces,
so ∞ upstream gives ±∞ (or 0 where f' is 0) and never ∞ − ∞.  A composite that spreads grad over a sum
(x·Φ(x): grad·Φ + grad·x·φ) gives NaN instead, and a backward that multiplies the upstream into a piece before
selecting gives 0·∞ = NaN at second order (hardswish below −3).  Each activation, at points in each of its pieces
and at its kinks, with upstreams ±∞, NaN and finite."""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan
POINTS = [-5.0, -3.0, -1.158, -0.3, 0.0, 0.2, 1.0, 3.0, 5.0]
UPSTREAMS = [INF, -INF, NAN, 1.5]

ACTIVATIONS = {
    "gelu": lambda F, x: F.gelu(x),
    "gelu tanh": lambda F, x: F.gelu(x, approximate="tanh"),
    "silu": lambda F, x: F.silu(x),
    "mish": lambda F, x: F.mish(x),
    "hardswish": lambda F, x: F.hardswish(x),
    "relu": lambda F, x: F.relu(x),
    "relu6": lambda F, x: F.relu6(x),
    "hardtanh": lambda F, x: F.hardtanh(x),
    "leaky_relu": lambda F, x: F.leaky_relu(x, 0.1),
    "elu": lambda F, x: F.elu(x),
    "selu": lambda F, x: F.selu(x),
    "celu": lambda F, x: F.celu(x, 0.5),
    "softplus": lambda F, x: F.softplus(x),
    "softshrink": lambda F, x: F.softshrink(x, 0.5),
    "hardshrink": lambda F, x: F.hardshrink(x, 0.5),
    "threshold": lambda F, x: F.threshold(x, 0.1, -1.0),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
    "softsign": lambda F, x: F.softsign(x),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "sigmoid": lambda F, x: F.sigmoid(x),
    "tanh": lambda F, x: F.tanh(x),
}


def _np(t):
    return t.detach().numpy(force=True) if isinstance(t, torch.Tensor) else t.detach().numpy()


def _grads(lib, f, order):
    """The first derivative's value under each upstream (order 1); the second's, the upstream at the second step
    (order 2) or at the first (order "2 after"), of f at POINTS."""
    x = lib.tensor(POINTS * len(UPSTREAMS), dtype=lib.float64, requires_grad=True)
    up = lib.tensor(np.repeat(UPSTREAMS, len(POINTS)), dtype=lib.float64)
    if order == 1:
        g, = lib.autograd.grad(f(lib.nn.functional, x), [x], grad_outputs=up)
        return _np(g)
    if order == "2 after":
        g, = lib.autograd.grad(f(lib.nn.functional, x), [x], grad_outputs=up, create_graph=True)
        if not g.requires_grad:
            return None
        h, = lib.autograd.grad(g, [x], grad_outputs=lib.ones_like(x), allow_unused=True)
        return None if h is None else _np(h)
    g, = lib.autograd.grad(f(lib.nn.functional, x), [x], grad_outputs=lib.ones_like(x), create_graph=True)
    if not g.requires_grad:
        return None
    h, = lib.autograd.grad(g, [x], grad_outputs=up, allow_unused=True)
    return None if h is None else _np(h)


@pytest.mark.parametrize("order", [1, 2, "2 after"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_under_infinite_upstream_matches_pytorch(name, order):
    f = ACTIVATIONS[name]
    with np.errstate(all="ignore"):  # (∞·0 in NumPy's kernels warns; the values are what is compared)
        want, got = _grads(torch, f, order), _grads(minigan, f, order)
    if want is None or got is None:  # (a second derivative that is 0: whether it requires grad is another class)
        assert not np.any(want if got is None else got), (got, want)
        return
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-12, equal_nan=True,
                               err_msg=f"{name}, order {order}, at {POINTS} under {UPSTREAMS}")
