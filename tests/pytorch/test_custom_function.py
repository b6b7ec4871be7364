"""``minigan.autograd.Function``: a user's own op, written as in PyTorch's tutorial on custom autograd
functions (forward and backward as static methods, a ctx that saves tensors), checked against finite
differences, the closed form, PyTorch, and differentiated twice when its backward is differentiable.

(Its torch-free tests: tests/engine/test_custom_function.py.)"""

import numpy as np
import pytest
from engine.helpers_custom_function import Legendre3

import minigan


def test_against_pytorch():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

    class TorchLegendre3(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 0.5 * (5 * x ** 3 - 3 * x)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * x ** 2 - 1)

    values = np.linspace(-2, 2, 7)
    x = minigan.tensor(values, requires_grad=True)
    t = torch.tensor(values, requires_grad=True)
    (Legendre3.apply(x * 2) ** 2).sum().backward()
    (TorchLegendre3.apply(t * 2) ** 2).sum().backward()
    np.testing.assert_allclose(x.grad.detach().numpy(), t.grad.detach().numpy(), rtol=1e-12)
