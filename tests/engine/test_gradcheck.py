"""gradcheck must pass correct gradients and catch wrong ones, with a readable report."""

import numpy as np
import pytest

import minigan
from minigan.engine.graph import Node


class WrongSquare(Node):
    """x² with a deliberately wrong backward (x instead of 2x)."""

    def forward(self, x):
        self.save_for_backward(x)
        return x * x

    def backward(self, grad):  # WRONG on purpose: d(x²)/dx is 2x
        (x,) = self.saved_tensors
        return (grad * x,)


def test_catches_wrong_backward_small_full_jacobian():
    x = minigan.tensor(np.array([1.0, -2.0, 3.0]), requires_grad=True)
    with pytest.raises(minigan.GradcheckError) as info:
        minigan.gradcheck(lambda t: WrongSquare.apply(t), [x])
    msg = str(info.value)
    assert "WrongSquare" in msg and "input 0" in msg and "analytic" in msg and "numeric" in msg
    assert "d out[2] / d input[2]" in msg  # the worst element: |3 - 6| = 3


def test_catches_wrong_backward_large_random_direction():
    x = minigan.tensor(np.random.default_rng(0).standard_normal((80, 80)), requires_grad=True)
    with pytest.raises(minigan.GradcheckError, match="random direction"):
        minigan.gradcheck(lambda t: WrongSquare.apply(t).sum(), [x])


def test_passes_correct_large_problem():
    rng = np.random.default_rng(1)
    a = minigan.tensor(rng.standard_normal((30, 40)), requires_grad=True)
    b = minigan.tensor(rng.standard_normal((40, 20)), requires_grad=True)
    assert minigan.gradcheck(lambda p, q: (p @ q).tanh(), [a, b])


def test_requires_float64_and_restores_grads():
    x32 = minigan.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match="float64"):
        minigan.gradcheck(lambda t: t * t, [x32])
    x = minigan.tensor(np.array([1.0, 2.0]), requires_grad=True)
    x.grad = minigan.tensor(np.array([7.0, 7.0]))
    minigan.gradcheck(lambda t: t * t, [x])
    np.testing.assert_array_equal(x.grad.detach().numpy(), [7.0, 7.0])
    with pytest.raises(ValueError, match="nothing to check"):
        minigan.gradcheck(lambda t: t * 2.0, [minigan.tensor(np.ones(2))])
