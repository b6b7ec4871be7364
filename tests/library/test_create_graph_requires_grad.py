"""A gradient built under create_graph whose value is constant in the input still requires grad where PyTorch's
backward formula reads that input, and its own gradient there is then zeros (a step's derivative) or none (a fused
double backward's undefined one): stated here without PyTorch, by the closed forms.  (The comparison with PyTorch
over the whole differentiable surface: tests/pytorch/test_create_graph_requires_grad.py.)"""

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

X = np.array([[-1.7, -0.9, 0.6, 1.4], [0.8, -1.2, 1.9, -0.55]])
D = minigan.float64

# (name, the op of x (and w), the closed form of its first gradient under an upstream of ones, how the gradient of
# that gradient in x comes: "zeros" or None)
CASES = [
    ("softshrink", lambda x: F.softshrink(x, 0.7), lambda x: (abs(x) > 0.7) * 1.0, "zeros"),
    ("hardshrink", lambda x: F.hardshrink(x, 0.7), lambda x: (abs(x) > 0.7) * 1.0, "zeros"),
    ("inf norm", lambda x: minigan.linalg.vector_norm(x, float("inf")),
     lambda x: np.sign(x) * (abs(x) == abs(x).max()), "zeros"),
    ("max_pool1d", lambda x: F.max_pool1d(x[None], 2)[0],
     lambda x: (x.reshape(2, 2, 2) == x.reshape(2, 2, 2).max(-1, keepdims=True)).reshape(2, 4) * 1.0, "zeros"),
    ("avg_pool1d", lambda x: F.avg_pool1d(x[None], 2)[0], lambda x: np.full_like(x, 0.5), "zeros"),
    ("reflect pad", lambda x: F.pad(x[None], (1, 1), mode="reflect")[0],
     lambda x: np.tile([1.0, 2.0, 2.0, 1.0], (2, 1)), "zeros"),
    ("replicate pad", lambda x: F.pad(x[None], (2, 0), mode="replicate")[0],
     lambda x: np.tile([3.0, 1.0, 1.0, 1.0], (2, 1)), "zeros"),
    ("nll_loss", lambda x: F.nll_loss(x, minigan.tensor([2, 0]), reduction="sum"),
     lambda x: np.array([[0, 0, -1.0, 0], [-1.0, 0, 0, 0]]), "zeros"),
    ("square", lambda x: x.square(), lambda x: 2 * x, "zeros"),  # (the second gradient, 2, is read from x.pow(0))
    ("conv1d's input", lambda x: F.conv1d(x[:, None], minigan.tensor([[[0.5, -1.0]], [[2.0, 0.25]]], dtype=D)),
     lambda x: np.tile([2.5, 1.75, 1.75, -0.75], (2, 1)), None),
]


@pytest.mark.parametrize("name, op, first, then", CASES, ids=[c[0] for c in CASES])
def test_a_gradient_constant_in_x_requires_grad_where_its_formula_reads_x(name, op, first, then):
    x = minigan.tensor(X, requires_grad=True)
    y = op(x)
    g, = minigan.autograd.grad(y, x, minigan.ones_like(y), create_graph=True)
    if name == "square":  # the first gradient depends on x; the second is the constant one
        g, = minigan.autograd.grad(g, x, minigan.ones_like(g), create_graph=True)
        np.testing.assert_allclose(g.detach().numpy(), np.full_like(X, 2.0))
    else:
        np.testing.assert_allclose(g.detach().numpy(), first(X))
    assert g.requires_grad
    gg, = minigan.autograd.grad(g, x, minigan.ones_like(g), allow_unused=True)
    if then == "zeros":
        np.testing.assert_array_equal(gg.numpy(), np.zeros_like(X))
    else:
        assert gg is None


def test_the_weight_alone_requires_grad_for_fused_backward_formulas():
    """prelu's, convolution's and layer_norm's weight gradient is read from the weight too (PyTorch's one backward of
    input and weight): with the weight alone requiring grad, its gradient requires grad."""
    x = minigan.tensor(X)
    w = minigan.tensor([0.25], dtype=D, requires_grad=True)
    g, = minigan.autograd.grad(F.prelu(x, w), w, minigan.ones_like(x), create_graph=True)
    assert g.requires_grad and float(g) == pytest.approx(X[X < 0].sum())
    k = minigan.tensor([[[0.5, -1.0]]], dtype=D, requires_grad=True)
    y = F.conv1d(x[:, None], k)
    g, = minigan.autograd.grad(y, k, minigan.ones_like(y), create_graph=True)
    assert g.requires_grad
    np.testing.assert_allclose(g.detach().numpy()[0, 0], [X[:, :3].sum(), X[:, 1:].sum()])
    w4 = minigan.ones(4, dtype=minigan.float64, requires_grad=True)
    y = F.layer_norm(x, (4,), w4)
    g, = minigan.autograd.grad(y, w4, minigan.ones_like(y), create_graph=True)
    assert g.requires_grad
