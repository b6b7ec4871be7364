"""Activations' third derivatives under an infinite or NaN upstream, against PyTorch float64: PyTorch differentiates
its double-backward formulas (softplus_double_backward's sigmoid_backward(gg·grad, σ(βx)), whose own derivative in
σ is one product, gg·grad·(1 − 2σ)), so an ∞ upstream at any of the three steps gives ±∞ where a product
σ·(1 − σ) differentiated term by term gives ∞ − ∞ = NaN (deep-graph seed 1244266: softplus(x, beta=2) under an
inner product with −∞, third order).  (First and second orders: test_activation_infinite_upstream.py.)"""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan
POINTS = [-30.0, -5.0, -1.158, -0.3, 0.0, 0.2, 0.803, 3.0, 9.5, 10.0, 30.0]
UPSTREAMS = [INF, -INF, NAN, 1.5]

ACTIVATIONS = {
    "softplus": lambda F, x: F.softplus(x),
    "softplus(beta=2)": lambda F, x: F.softplus(x, beta=2.0),
    "softplus(beta=0.5, threshold=3)": lambda F, x: F.softplus(x, beta=0.5, threshold=3.0),
    "softplus(beta=-1)": lambda F, x: F.softplus(x, beta=-1.0),
    "sigmoid": lambda F, x: F.sigmoid(x),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
    "silu": lambda F, x: F.silu(x),
    "tanh": lambda F, x: F.tanh(x),
    "elu": lambda F, x: F.elu(x),
    "celu": lambda F, x: F.celu(x, 0.5),
}


def _np(t):
    return t.detach().numpy(force=True) if isinstance(t, torch.Tensor) else t.detach().numpy()


def _third(lib, f, at):
    """The third derivative of f at POINTS, each upstream given at step ``at`` (0, 1 or 2), ones at the others."""
    x = lib.tensor(POINTS * len(UPSTREAMS), dtype=lib.float64, requires_grad=True)
    up = lib.tensor(np.repeat(UPSTREAMS, len(POINTS)), dtype=lib.float64)
    ones = lib.tensor(np.linspace(0.5, 1.5, x.numel()), dtype=lib.float64)
    g = f(lib.nn.functional, x)
    for step in range(3):
        g, = lib.autograd.grad(g, [x], grad_outputs=up if step == at else ones, create_graph=step < 2,
                               allow_unused=True)
        if g is None or step < 2 and not g.requires_grad:
            return None
    return _np(g)


@pytest.mark.parametrize("at", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_third_order_under_infinite_upstream_matches_pytorch(name, at):
    f = ACTIVATIONS[name]
    with np.errstate(all="ignore"):  # (∞·0 in NumPy's kernels warns; the values are what is compared)
        want, got = _third(torch, f, at), _third(minigan, f, at)
    if want is None or got is None:
        assert not np.any(want if got is None else got), (got, want)
        return
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-12, equal_nan=True,
                               err_msg=f"{name}, the upstream at step {at}, at {POINTS} under {UPSTREAMS}")
