"""``minigan.autograd.Function``, a user's own op written as in PyTorch's tutorial: the tutorial's polynomial fit
learns, the gradient equals its closed form and finite differences, a backward made of differentiable ops is
differentiated again, and ctx says which inputs need a gradient and checks what is saved.

(Its comparisons with PyTorch: tests/pytorch/test_custom_function.py.)"""

import numpy as np
import pytest

import minigan
from engine.helpers_custom_function import Legendre3
from minigan.engine.errors import GraphError


class ClampedReLU(minigan.autograd.Function):
    """max(x, 0), with the gradient masked by hand as the tutorial's custom ReLU does."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad_input = grad_output.clone()
        grad_input[x < 0] = 0
        return grad_input


class ScaledExp(minigan.autograd.Function):
    """c·eˣ with a Python number c: its gradient is None; saves its own output."""

    @staticmethod
    def forward(ctx, x, c):
        out = x.exp() * c
        ctx.save_for_backward(out)
        ctx.c = c
        return out

    @staticmethod
    def backward(ctx, grad_output):  # d(c·eˣ)/dx = c·eˣ
        (out,) = ctx.saved_tensors
        return grad_output * out, None


def test_the_tutorials_fit_of_a_third_degree_polynomial_runs_and_learns():
    minigan.manual_seed(0)
    x = minigan.linspace(-np.pi, np.pi, 200, dtype=minigan.float64)
    y = minigan.sin(x) if hasattr(minigan, "sin") else minigan.tensor(np.sin(x.detach().numpy()))
    a, b, c, d = (minigan.full((), v, dtype=minigan.float64, requires_grad=True) for v in (0.0, -1.0, 0.0, 0.3))
    losses = []
    for _ in range(1000):
        y_pred = a + b * Legendre3.apply(c + d * x)
        loss = ((y_pred - y) ** 2).sum()
        losses.append(loss.item())
        loss.backward()
        with minigan.no_grad():
            for p in (a, b, c, d):
                p -= 5e-5 * p.grad
                p.grad = None
    assert losses[-1] < 0.2 * losses[0], (losses[0], losses[-1])


def test_gradients_equal_the_closed_form_and_finite_differences():
    x = minigan.tensor([-1.5, -0.2, 0.3, 2.0], dtype="float64", requires_grad=True)
    Legendre3.apply(x).sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), 1.5 * (5 * x.detach().numpy() ** 2 - 1))
    assert minigan.gradcheck(Legendre3.apply, [x])
    assert minigan.gradcheck(lambda t: ScaledExp.apply(t, 2.5), [x])
    assert minigan.gradcheck(ClampedReLU.apply, [x])
    y = ClampedReLU.apply(x)
    assert type(y.grad_fn).__name__ == "BackwardFunction" and "ClampedReLU" in repr(y.grad_fn)


def test_a_backward_in_differentiable_ops_can_be_differentiated_again():
    x = minigan.tensor([0.5, -1.0, 2.0], dtype="float64", requires_grad=True)
    (g,) = minigan.autograd.grad(Legendre3.apply(x).sum(), x, create_graph=True)
    (h,) = minigan.autograd.grad(g.sum(), x)
    np.testing.assert_allclose(h.detach().numpy(), 15 * x.detach().numpy())  # P₃'' = 15x
    (g,) = minigan.autograd.grad(ScaledExp.apply(x, 3.0).sum(), x, create_graph=True)
    (h,) = minigan.autograd.grad(g.sum(), x)  # through the saved output
    np.testing.assert_allclose(h.detach().numpy(), 3.0 * np.exp(x.detach().numpy()))
    assert minigan.gradgradcheck(Legendre3.apply, [x])


def test_ctx_says_which_inputs_need_a_gradient_and_checks_saved_tensors():
    seen = []

    class Mul(minigan.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            seen.append(ctx.needs_input_grad)
            ctx.save_for_backward(a, b)
            return a * b

        @staticmethod
        def backward(ctx, grad):
            a, b = ctx.saved_tensors
            need_a, need_b = ctx.needs_input_grad
            return grad * b if need_a else None, grad * a if need_b else None

    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    c = minigan.tensor([3.0, 4.0])
    y = Mul.apply(w, c)
    assert seen == [(True, False)] and y.requires_grad and not y.is_leaf
    with minigan.no_grad():
        c.mul_(2)  # saved, then changed: backward refuses, naming the op
    with pytest.raises(GraphError, match="saved its input 1"):
        y.sum().backward()
    assert not Mul.apply(c, c).requires_grad
