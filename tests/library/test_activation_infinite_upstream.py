"""An infinite upstream gradient through gelu, silu and mish is ±∞ with the sign of f′(x), and hardswish's second
derivative outside (−3, 3) is 0 under it (no PyTorch: the closed forms of f′, and hardswish's pieces).
(Against PyTorch, every activation at first and second order: tests/pytorch/test_activation_infinite_upstream.py.)"""

import math

import numpy as np

import minigan

X = np.array([-2.5, -0.809, -0.2, 0.3, 1.7])


def _first(f):
    x = minigan.tensor(X, dtype=minigan.float64, requires_grad=True)
    g, = minigan.autograd.grad(f(x), [x], grad_outputs=minigan.full((5,), math.inf, dtype=minigan.float64))
    return g.numpy()


def test_infinite_upstream_through_gelu_silu_mish_is_infinite_with_the_derivatives_sign():
    F = minigan.nn.functional
    phi = np.exp(-X * X / 2) / math.sqrt(2 * math.pi)
    cdf = np.array([0.5 * math.erfc(-v / math.sqrt(2)) for v in X])
    s = 1 / (1 + np.exp(-X))
    t = np.tanh(np.log1p(np.exp(X)))
    for f, slope in ((F.gelu, cdf + X * phi), (F.silu, s * (1 + X * (1 - s))), (F.mish, t + X * s * (1 - t * t))):
        np.testing.assert_array_equal(_first(f), np.sign(slope) * math.inf)


def test_hardswish_second_derivative_outside_its_parabola_is_zero_under_an_infinite_upstream():
    x = minigan.tensor([-5.0, -3.5, 3.5, 5.0], dtype=minigan.float64, requires_grad=True)
    up = minigan.full((4,), math.inf, dtype=minigan.float64)
    g, = minigan.autograd.grad(minigan.nn.functional.hardswish(x), [x], grad_outputs=up, create_graph=True)
    h, = minigan.autograd.grad(g, [x], grad_outputs=minigan.ones(4, dtype=minigan.float64))
    np.testing.assert_array_equal(h.numpy(), [0.0, 0.0, 0.0, 0.0])
