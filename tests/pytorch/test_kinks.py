"""Piecewise functions at their kinks, against PyTorch: the derivative exactly at a corner (x = 0 for relu, the
bounds of hardtanh and relu6, ±3 for hardsigmoid and hardswish), and a second derivative through them, which
PyTorch gives as 0 (the mask stays in the graph) for relu, leaky_relu, abs, sign, hardtanh and relu6, and refuses
("does not require grad") for clamp, where, maximum and max, whose masks are comparisons.

(Its torch-free tests: tests/engine/test_kinks.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F
from pytorch.oracle import CLAMP_AT_A_BOUND

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
TF = torch.nn.functional

# the corners of every function below, and points between them
POINTS = [-6.0, -3.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0, 4.0, 6.0, 7.0]

# name: (PyTorch's function, minigan's), each of one tensor
KINKED = {
    "relu": (torch.relu, F.relu),
    "leaky_relu": (lambda t: TF.leaky_relu(t, 0.2), lambda m: F.leaky_relu(m, 0.2)),
    "abs": (torch.abs, minigan.abs),
    "sign": (lambda t: t.sign() * t, lambda m: m.sign() * m),
    "hardtanh": (TF.hardtanh, F.hardtanh),
    "hardtanh(-0.5, 3)": (lambda t: TF.hardtanh(t, -0.5, 3.0), lambda m: F.hardtanh(m, -0.5, 3.0)),
    "relu6": (TF.relu6, F.relu6),
    "hardsigmoid": (TF.hardsigmoid, F.hardsigmoid),
    "hardswish": (TF.hardswish, F.hardswish),
    "clamp": (lambda t: t.clamp(-1.0, 1.0), lambda m: m.clamp(-1.0, 1.0)),
    "elu": (TF.elu, F.elu),
    "nn.Hardtanh": (torch.nn.Hardtanh(-1.0, 1.0), minigan.nn.Hardtanh(-1.0, 1.0)),
    "nn.ReLU6": (torch.nn.ReLU6(), minigan.nn.ReLU6()),
}

# (hardsigmoid's second order is refused by both: PyTorch has no derivative of hardsigmoid_backward)
SECOND_ORDER = dict(KINKED, **{
    "where": (lambda t: torch.where(t > 0, t, 0.1 * t), lambda m: minigan.where(m > 0, m, 0.1 * m)),
    "maximum": (lambda t: torch.maximum(t, 0.5 * t), lambda m: minigan.maximum(m, 0.5 * m)),
    "max": (lambda t: t.reshape(-1, 1).max(dim=1).values, lambda m: m.reshape(-1, 1).max(dim=1).values),
})


@pytest.mark.parametrize("name", [pytest.param(n, marks=[CLAMP_AT_A_BOUND] if n == "clamp" else [])
                                  for n in sorted(KINKED)])  # (clamp at a bound: 1, PyTorch 2.13's derivative)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_derivative_at_the_kinks_equals_pytorchs(name, dtype):
    tf, mf = KINKED[name]
    t = torch.tensor(POINTS, dtype=getattr(torch, dtype), requires_grad=True)
    tf(t).sum().backward()
    m = minigan.tensor(np.array(POINTS, dtype=dtype), requires_grad=True)
    y = mf(m)
    np.testing.assert_allclose(y.detach().numpy(), tf(t).detach().numpy(), rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(m.grad.detach().numpy(), t.grad.detach().numpy(), rtol=1e-6, atol=1e-7)


def _second_order(lib, f):
    """The gradient of ‖∇a f(a + b)‖² with respect to b: its value, None, or the kind of error raised."""
    a = lib.tensor(np.array(POINTS) + 0.25, requires_grad=True)  # off the kinks: first derivatives defined
    b = lib.tensor(np.zeros(len(POINTS)), requires_grad=True)
    (g,) = lib.autograd.grad(f(a + b).sum(), a, create_graph=True)
    try:
        (g * g).sum().backward()
    except RuntimeError:  # minigan's GraphError is a RuntimeError, as PyTorch's error is
        return "refused"
    if b.grad is None:
        return None
    return b.grad.numpy(force=True) if lib is torch else b.grad.numpy()  # (PyTorch's zeros may be lazy)


@pytest.mark.parametrize("name", sorted(SECOND_ORDER))
def test_second_derivative_through_the_mask_is_what_pytorch_gives(name):
    tf, mf = SECOND_ORDER[name]
    want, got = _second_order(torch, tf), _second_order(minigan, mf)
    if isinstance(want, np.ndarray):
        assert isinstance(got, np.ndarray), f"{name}: PyTorch gives {want}, minigan {got!r}"
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)
    else:
        assert got == want


# pairs (a, b) with ties, NaN on either side, infinities and ordinary values: torch.maximum / minimum's rules
A = [1.0, 2.0, -1.0, 0.0, -0.0, float("nan"), 3.0, float("nan"), float("inf"), -float("inf"), 5.0]
B = [1.0, -2.0, 4.0, -0.0, 0.0, 1.0, float("nan"), float("nan"), float("inf"), 2.0, 5.0]


@pytest.mark.parametrize("name", ["maximum", "minimum", "max(other)", "min(other)", "minimum of a maximum"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_maximum_and_minimum_split_ties_and_pass_nan_as_pytorch_does(name, dtype):
    # at a tie each input gets half the gradient; where the result is NaN, both get all of it
    pick = {"maximum": lambda lib, a, b: lib.maximum(a, b), "minimum": lambda lib, a, b: lib.minimum(a, b),
            "max(other)": lambda lib, a, b: a.max(b), "min(other)": lambda lib, a, b: a.min(b),
            "minimum of a maximum": lambda lib, a, b: lib.minimum(lib.maximum(a, b), a * 2)}[name]
    ta, tb = (torch.tensor(v, dtype=getattr(torch, dtype), requires_grad=True) for v in (A, B))
    ma, mb = (minigan.tensor(np.array(v, dtype=dtype), requires_grad=True) for v in (A, B))
    weights = np.arange(1.0, len(A) + 1)  # a different upstream gradient for each element
    ty, my = pick(torch, ta, tb), pick(minigan, ma, mb)
    np.testing.assert_array_equal(my.detach().numpy(), ty.detach().numpy())
    (ty * torch.tensor(weights, dtype=ty.dtype)).sum().backward()
    (my * minigan.tensor(weights.astype(dtype))).sum().backward()
    np.testing.assert_array_equal(ma.grad.detach().numpy(), ta.grad.detach().numpy())
    np.testing.assert_array_equal(mb.grad.detach().numpy(), tb.grad.detach().numpy())


def test_maximum_broadcasts_its_gradient_back_to_each_shape():
    ta = torch.tensor([[1.0], [2.0], [3.0]], dtype=torch.float64, requires_grad=True)
    tb = torch.tensor([2.0, 2.0], dtype=torch.float64, requires_grad=True)
    ma, mb = (minigan.tensor(t.detach().numpy(), requires_grad=True) for t in (ta, tb))
    torch.maximum(ta, tb).sum().backward()
    minigan.maximum(ma, mb).sum().backward()
    np.testing.assert_array_equal(ma.grad.detach().numpy(),
                                  ta.grad.detach().numpy())  # [[0], [1], [2]]: row 2 ties, half each
    np.testing.assert_array_equal(mb.grad.detach().numpy(), tb.grad.detach().numpy())


@pytest.mark.parametrize("dim", [None, 0, 1])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_std_of_a_constant_sample_has_gradient_zero_as_in_pytorch(dim, dtype):
    # √var has an infinite slope at var = 0; PyTorch takes std's derivative there as 0, so a constant row
    # (a collapsed batch, a dead feature) gets gradient 0, not 0·∞ = NaN
    x = np.array([[1.0, 1.0, 1.0], [1.0, 2.0, 4.0], [0.0, 0.0, 0.0]], dtype=dtype)
    w = np.arange(1.0, 4.0, dtype=dtype) if dim is not None else np.ones((), dtype=dtype)
    t, m = torch.tensor(x, requires_grad=True), minigan.tensor(x, requires_grad=True)
    (t.std(dim=dim) * torch.tensor(w)).sum().backward()
    (m.std(dim=dim) * minigan.tensor(w)).sum().backward()
    assert np.isfinite(m.grad.detach().numpy()).all()
    np.testing.assert_allclose(m.grad.detach().numpy(), t.grad.detach().numpy(), rtol=1e-5, atol=1e-6)


# the edges of a domain, where a formula's derivative is 0·∞ or 0/0 and PyTorch picks a value
INF, NAN = float("inf"), float("nan")
EDGES = {  # name: (function of two tensors, x values, y values)
    "xlogy": (lambda lib, x, y: lib.xlogy(x, y),
              [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, -1.0, 0.5, 0.0],
              [0.0, 2.0, -1.0, NAN, INF, 0.0, 3.0, 2.0, 0.25, 1.0]),
    "atan2": (lambda lib, x, y: lib.atan2(x, y), [0.0, 0.0, 1.0, -0.0, 2.0], [0.0, -0.0, 0.0, 1.0, -3.0]),
    "norm(3) of zeros": (lambda lib, x, y: (x * y).norm(3) + x.norm(0.5), [0.0, 0.0, 0.0], [1.0, 2.0, 3.0]),
    "norm(0.5) with a zero": (lambda lib, x, y: (x - y).norm(0.5) + x.norm(1.5), [0.0, 1.0, -2.0], [0.0, 0.0, 0.0]),
    "norm(3, dim)": (lambda lib, x, y: lib.stack([x, y]).norm(3, dim=1), [0.0, 0.0], [1.0, -2.0]),
}


@pytest.mark.parametrize("name", sorted(EDGES))
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_values_and_gradients_at_the_edges_of_a_domain_are_pytorchs(name, dtype):
    f, xs, ys = EDGES[name]
    tx, ty = (torch.tensor(v, dtype=getattr(torch, dtype), requires_grad=True) for v in (xs, ys))
    mx, my = (minigan.tensor(np.array(v, dtype=dtype), requires_grad=True) for v in (xs, ys))
    with np.errstate(divide="ignore", invalid="ignore"):  # NumPy warns of the log 0 = −∞ PyTorch gives silently
        t_out, m_out = f(torch, tx, ty), f(minigan, mx, my)
        t_out.sum().backward()
        m_out.sum().backward()
    np.testing.assert_allclose(m_out.detach().numpy(), t_out.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(mx.grad.detach().numpy(), tx.grad.detach().numpy(),
                               rtol=1e-6)  # NaN and ±∞ where PyTorch has them
    np.testing.assert_allclose(my.grad.detach().numpy(), ty.grad.detach().numpy(), rtol=1e-6)


@pytest.mark.parametrize("name", ["xlogy", "atan2"])
def test_second_derivatives_of_xlogy_and_atan2_inside_their_domain_are_pytorchs(name):
    f = EDGES[name][0]
    x0, y0 = np.array([0.5, 1.5, -2.0]), np.array([0.7, 2.0, 0.3])
    results = []
    for lib in (torch, minigan):
        x, y = lib.tensor(x0, requires_grad=True), lib.tensor(y0, requires_grad=True)
        gx, gy = lib.autograd.grad(f(lib, x, y).sum(), (x, y), create_graph=True)
        (gx * gx + gx * gy).sum().backward()
        results.append([x.grad.detach().numpy(), y.grad.detach().numpy()])
    np.testing.assert_allclose(results[1], results[0], rtol=1e-10)
