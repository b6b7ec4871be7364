"""A write through ``.data`` between forward and backward is read as PyTorch's nodes read it: a node's backward
computes from the tensors it saved as they are when it runs (a .data write changes them in place without a version
bump), and from the constants PyTorch's node keeps (a norm's mean and 1/σ, a loss's total weight) as forward found
them.  Each case states the gradient after the write in closed form, from PyTorch's formula (derivatives.yaml) at the
new values.  (The comparison with PyTorch over the catalogue: tests/pytorch/test_saved_versions.py's .data family.)
"""

import numpy as np
import pytest

import minigan
import minigan.functional as F

RNG = np.random.default_rng(11)
A, B, C = RNG.normal(size=(2, 3)), RNG.uniform(0.5, 2.0, size=(2, 3)), RNG.uniform(0.15, 0.85, size=(2, 3))
UP = RNG.normal(size=(2, 3))  # the upstream gradient


def _grads_after_write(make, values, k, upstream=UP):
    """The leaves' gradients of sum(upstream · make(*leaves)) with leaf ``k`` written through .data (+0.25) after
    forward, and the leaves' values then."""
    leaves = [minigan.tensor(v, dtype=minigan.float64, requires_grad=True) for v in values]
    out = make(*leaves)
    leaves[k].data.add_(0.25)
    grads = minigan.autograd.grad((out * minigan.tensor(upstream)).sum(), leaves, allow_unused=True)
    return [None if g is None else g.numpy() for g in grads], [t.detach().numpy() for t in leaves]


@pytest.mark.parametrize("k", [0, 1])
@pytest.mark.parametrize("op, rounding", [(minigan.fmod, np.trunc), (minigan.remainder, np.floor)])
def test_the_divisor_gradient_reads_the_quotient_then(op, rounding, k):
    (ga, gb), (a, b) = _grads_after_write(op, [A * 3, B], k)
    np.testing.assert_allclose(ga, UP)
    np.testing.assert_allclose(gb, -UP * rounding(a / b))  # −grad·a.div(b, rounding_mode)


@pytest.mark.parametrize("k", [0, 1, 2])
def test_lerp_reads_its_operands_then(k):
    (gx, ge, gw), (x, e, w) = _grads_after_write(minigan.lerp, [A, A[::-1].copy(), C], k)
    np.testing.assert_allclose(gx, UP * (1 - w))
    np.testing.assert_allclose(ge, UP * w)
    np.testing.assert_allclose(gw, UP * (e - x))


@pytest.mark.parametrize("k", [0, 1])
@pytest.mark.parametrize("loss, kink, scale", [(F.huber_loss, 0.7, 1.0), (F.smooth_l1_loss, 0.5, 0.5)])
def test_huber_reads_the_difference_then(loss, kink, scale, k):
    name = "delta" if loss is F.huber_loss else "beta"
    (gx, gy), (x, y) = _grads_after_write(lambda a, b: loss(a, b, reduction="none", **{name: kink}), [A, A * 0.6], k)
    d = x - y
    want = UP * np.where(np.abs(d) < kink, d / scale, np.sign(d) * kink / scale)
    np.testing.assert_allclose(gx, want)
    np.testing.assert_allclose(gy, -want)


def test_logsigmoid_reads_x_then_and_the_buffer_of_forward():
    before = A * 3
    (g,), (x,) = _grads_after_write(F.logsigmoid, [before], 0)
    b = np.exp(-np.abs(before))  # PyTorch's buffer, kept from forward
    np.testing.assert_allclose(g, UP * (np.where(x < 0, 1.0, 0.0) - np.where(x < 0, 1.0, -1.0) * b / (1 + b)))


def test_glu_reads_its_input_then():
    (g,), (x,) = _grads_after_write(lambda t: F.glu(t, -1), [RNG.normal(size=(2, 6))], 0)
    a, s = x[:, :3], 1 / (1 + np.exp(-x[:, 3:]))
    np.testing.assert_allclose(g, np.concatenate([UP * s, UP * a * s * (1 - s)], axis=1))


def test_layer_norm_reads_x_then_with_the_statistics_of_forward():
    before = RNG.normal(size=(2, 3))
    (g,), (x,) = _grads_after_write(lambda t: F.layer_norm(t, (3,)), [before], 0)
    mean, inv_std = before.mean(1, keepdims=True), 1 / np.sqrt(before.var(1, keepdims=True) + 1e-5)
    x_hat = (x - mean) * inv_std
    want = (UP - UP.mean(1, keepdims=True) - x_hat * (UP * x_hat).mean(1, keepdims=True)) * inv_std
    np.testing.assert_allclose(g, want)


def test_batch_norm_reads_x_then_with_the_statistics_of_forward():
    before = RNG.normal(size=(3, 2))
    up = RNG.normal(size=(3, 2))
    (g,), (x,) = _grads_after_write(lambda t: F.batch_norm(t, None, None, training=True), [before], 0, up)
    mean, inv_std = before.mean(0), 1 / np.sqrt(before.var(0) + 1e-5)
    x_hat = (x - mean) * inv_std
    np.testing.assert_allclose(g, (up - up.mean(0) - x_hat * (up * x_hat).mean(0)) * inv_std)


def test_nll_loss_reads_the_class_weight_then_over_the_total_weight_of_forward():
    labels = minigan.tensor([2, 0])
    w = minigan.tensor([0.5, 1.5, 2.0], dtype=minigan.float64)
    x = minigan.tensor(RNG.normal(size=(2, 3)), dtype=minigan.float64, requires_grad=True)
    loss = F.nll_loss(x, labels, weight=w)
    total = float(w[labels].sum())
    w.data.add_(0.25)
    (g,) = minigan.autograd.grad(loss, x)
    want = np.zeros((2, 3))
    want[[0, 1], [2, 0]] = -w.numpy()[[2, 0]] / total
    np.testing.assert_allclose(g.numpy(), want)
