"""A p-norm's gradient at a norm of 0, differentiated again, against PyTorch float64: with respect to the input and
to an upstream gradient that is itself a leaf (a gradient penalty's, a Hessian-vector product's).

PyTorch's norm_backward for 1 < p < ∞, p ≠ 2, is sgn(x)·|x|^(p−1) · (grad / ‖x‖^(p−1)).masked_fill_(‖x‖ = 0, 0): at a
norm of 0 the first derivative is 0, and its derivative in the upstream gradient is the masked 0 divided by 0, NaN.
Every door to the norm (vector_norm, linalg.norm, Tensor.norm, torch.norm, dist, normalize) and every order p is
compared: the first, second and third gradients' values (NaN where NaN) and requires_grad."""

import builtins
import math
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ORDERS = [-1.0, 0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0, math.inf]
DOORS = {
    "vector_norm": lambda lib, x, p: lib.linalg.vector_norm(x, ord=p, dim=1),
    "linalg.norm": lambda lib, x, p: lib.linalg.norm(x, ord=p, dim=1),
    "Tensor.norm": lambda lib, x, p: x.norm(p=p, dim=1),
    "torch.norm": lambda lib, x, p: lib.norm(x, p=p, dim=1),
    "vector_norm_all": lambda lib, x, p: lib.linalg.vector_norm(x[0], ord=p),
    "dist": lambda lib, x, p: lib.dist(x[0], x[0] * 0.5, p=p),
    "normalize": lambda lib, x, p: lib.nn.functional.normalize(x, p=p, dim=1),
}


def _numpy(t):
    return t.detach().numpy(force=True) if isinstance(t, torch.Tensor) else t.detach().numpy()  # (a ZeroTensor too)


def _run(lib, door, p):
    x = lib.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 0.5], [0.0, 1.5, -1.0]], dtype=lib.float64, requires_grad=True)
    y = DOORS[door](lib, x, p)
    u = lib.tensor(np.linspace(0.5, 1.5, y.numel()).reshape(tuple(y.shape)), dtype=lib.float64, requires_grad=True)
    seen, ys, gos = [], [y], [u]
    try:
        for _ in range(3):
            gs = lib.autograd.grad(ys, [x, u], gos, create_graph=True, allow_unused=True)
            seen.append([None if g is None else ((_numpy(g) + 0.0).round(9).tolist(), bool(g.requires_grad))
                         for g in gs])
            ys = [g for g in gs if g is not None and g.requires_grad]
            if not ys:
                break
            gos = [lib.ones_like(g) for g in ys]
    except Exception as e:  # noqa: BLE001  (a refusal is a result to compare)
        seen.append(next(c for c in type(e).__mro__ if getattr(builtins, c.__name__, None) is c).__name__)
    return seen


@pytest.mark.parametrize("p", ORDERS)
@pytest.mark.parametrize("door", DOORS)
def test_norm_gradient_at_zero_differentiated_again(door, p):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mine, theirs = _run(minigan, door, p), _run(torch, door, p)
    assert str(mine) == str(theirs)  # (str: NaN equal to NaN; + 0.0 above: -0.0 equal to 0.0)
