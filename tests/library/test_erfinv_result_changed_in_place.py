"""erfinv's backward reads its input, not its result (as PyTorch's): its result may be changed in place before
backward, and the gradient is still (√π/2)·e^(erfinv(a)²) at the input (no PyTorch: the closed form).
(Against PyTorch, over a family of ops: tests/pytorch/test_saved_tensor_over_refusal.py.)"""

import math

import numpy as np

import minigan


def test_erfinv_gradient_after_its_result_changed_in_place():
    a = np.array([0.3, -0.2, 0.7, 0.0])
    x = minigan.tensor(a, dtype=minigan.float64, requires_grad=True)
    y = minigan.erfinv(x * 1)
    want = math.sqrt(math.pi) / 2 * np.exp(y.detach().numpy() ** 2)
    y.add_(1.0)
    g, = minigan.autograd.grad(y.sum(), [x])
    np.testing.assert_allclose(g.numpy(), want, rtol=1e-12)
