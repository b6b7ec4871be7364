"""Activations under an infinite or NaN upstream gradient, at first, second and third order, against PyTorch float64.
PyTorch's derivatives are fused: grad·f'(x), and at second order its double-backward formulas select by pieces,
so ∞ upstream gives ±∞ (or 0 where f' is 0) and never ∞ − ∞.  A composite that spreads grad over a sum
(x·Φ(x): grad·Φ + grad·x·φ) gives NaN instead, and a backward that multiplies the upstream into a piece before
selecting gives 0·∞ = NaN at second order (hardswish below −3).  Each activation, at points in each of its pieces
and at its kinks, with upstreams ±∞, NaN and finite.

At third order PyTorch differentiates its double-backward formulas (softplus_double_backward's
sigmoid_backward(gg·grad, σ(βx)), whose own derivative in σ is one product, gg·grad·(1 − 2σ)), so an ∞ upstream at
any of the three steps gives ±∞ where a product σ·(1 − σ) differentiated term by term gives ∞ − ∞ = NaN (deep-graph
seed 1244266: softplus(x, beta=2) under an inner product with −∞, third order)."""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = math.inf, math.nan
POINTS = [-5.0, -3.0, -1.158, -0.3, 0.0, 0.2, 1.0, 3.0, 5.0]
THIRD_ORDER_POINTS = [-30.0, -5.0, -1.158, -0.3, 0.0, 0.2, 0.803, 3.0, 9.5, 10.0, 30.0]
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
THIRD_ORDER = {name: ACTIVATIONS[name] for name in ("softplus", "sigmoid", "logsigmoid", "silu", "tanh", "elu", "celu")}
THIRD_ORDER.update({
    "softplus(beta=2)": lambda F, x: F.softplus(x, beta=2.0),
    "softplus(beta=0.5, threshold=3)": lambda F, x: F.softplus(x, beta=0.5, threshold=3.0),
    "softplus(beta=-1)": lambda F, x: F.softplus(x, beta=-1.0),
})


def _derivative(lib, f, points, at, others):
    """f's derivative at ``points`` of the order ``len(others) + 1``, each upstream given at step ``at`` and
    ``others(lib, x)`` at the other steps; None where a step's gradient is None or (but the last) has no graph."""
    x = lib.tensor(points * len(UPSTREAMS), dtype=lib.float64, requires_grad=True)
    up = lib.tensor(np.repeat(UPSTREAMS, len(points)), dtype=lib.float64)
    g, last = f(lib.nn.functional, x), len(others)
    for step in range(last + 1):
        g, = lib.autograd.grad(g, [x], grad_outputs=up if step == at else others[step - (step > at)](lib, x),
                               create_graph=step < last, allow_unused=True)
        if g is None or step < last and not g.requires_grad:
            return None
    return g.detach().numpy(force=True) if isinstance(g, torch.Tensor) else g.detach().numpy()


def _compare(f, points, at, others, where):
    with np.errstate(all="ignore"):  # (∞·0 in NumPy's kernels warns; the values are what is compared)
        want, got = (_derivative(lib, f, points, at, others) for lib in (torch, minigan))
    if want is None or got is None:  # (a derivative that is 0: whether it requires grad is another class)
        assert not np.any(want if got is None else got), (got, want)
        return
    np.testing.assert_allclose(got, want, rtol=1e-7, atol=1e-12, equal_nan=True,
                               err_msg=f"{where}, at {points} under {UPSTREAMS}")


def _ones(lib, x):
    return lib.ones_like(x)


def _ramp(lib, x):
    return lib.tensor(np.linspace(0.5, 1.5, x.numel()), dtype=lib.float64)


# order 1: the upstream at the first step; 2: ones at the first, the upstream at the second; "2 after": the reverse
ORDERS = {1: (0, []), 2: (1, [_ones]), "2 after": (0, [_ones])}


@pytest.mark.parametrize("order", [1, 2, "2 after"])
@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_under_infinite_upstream_matches_pytorch(name, order):
    _compare(ACTIVATIONS[name], POINTS, *ORDERS[order], f"{name}, order {order}")


@pytest.mark.parametrize("at", [0, 1, 2])
@pytest.mark.parametrize("name", sorted(THIRD_ORDER))
def test_activation_third_order_under_infinite_upstream_matches_pytorch(name, at):
    _compare(THIRD_ORDER[name], THIRD_ORDER_POINTS, at, [_ramp, _ramp], f"{name}, the upstream at step {at}")
