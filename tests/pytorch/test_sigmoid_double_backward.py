"""sigmoid's second and third orders are PyTorch's: its backward is one node, sigmoid_backward(grad, σ) = grad·σ(1 − σ),
whose own derivatives are one product each (in grad: the same map; in σ: grad·gg·(1 − 2σ)), so an infinite upstream
gives ±∞ (or 0 where the factor is 0), not the ∞ − ∞ = NaN of a product's backward, which spreads the upstream over
σ and 1 − σ.  The doors (torch.sigmoid, Tensor.sigmoid, F.sigmoid, nn.Sigmoid) and the functions built on it (glu,
binary_cross_entropy of a sigmoid), finite, large and infinite inputs under finite and infinite upstreams, to third
order against PyTorch float64."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {"torch.sigmoid": lambda lib, x: lib.sigmoid(x), "Tensor.sigmoid": lambda lib, x: x.sigmoid(),
         "F.sigmoid": lambda lib, x: lib.nn.functional.sigmoid(x), "nn.Sigmoid": lambda lib, x: lib.nn.Sigmoid()(x),
         "F.glu": lambda lib, x: lib.nn.functional.glu(lib.cat([x, x.flip(0)]), 0),
         "bce": lambda lib, x: lib.nn.functional.binary_cross_entropy(
             x.sigmoid(), lib.full_like(x, 0.25), reduction="none")}
INPUTS = [0.5, -2.0, 30.0, -40.0, np.inf, -np.inf, 0.0, 3.5]
UPSTREAMS = [[1.0, -0.5, 2.0, 0.25, 1.5, -1.0, 0.75, -2.0], [np.inf, -np.inf, np.inf, np.inf, 1.0, -1.0, -np.inf, 2.0]]


def _orders(lib, door, upstream):
    x = lib.tensor(INPUTS, dtype=lib.float64, requires_grad=True)
    out = DOORS[door](lib, x)
    up = lib.tensor(upstream, dtype=lib.float64)
    (g,) = lib.autograd.grad(out, x, up, create_graph=True)
    found = [g]
    for _ in range(2):
        (g,) = lib.autograd.grad((g * lib.tensor(np.linspace(0.5, 2.0, 8), dtype=lib.float64)).sum(), x,
                                 create_graph=True, allow_unused=True)
        if g is None:
            break
        found.append(g)
    return [np.asarray(t.detach().numpy()) for t in found]


@pytest.mark.parametrize("door", list(DOORS))
def test_sigmoid_higher_orders_are_pytorchs(door):
    bad = []
    for upstream in UPSTREAMS:
        with np.errstate(all="ignore"):
            mine = _orders(minigan, door, upstream)
        theirs = _orders(torch, door, upstream)
        if len(mine) != len(theirs) or not all(np.allclose(a, b, rtol=1e-9, atol=1e-12, equal_nan=True)
                                               for a, b in zip(mine, theirs)):
            bad.append((upstream, [a.tolist() for a in mine], [b.tolist() for b in theirs]))
    assert not bad, (len(bad), bad[:1])
