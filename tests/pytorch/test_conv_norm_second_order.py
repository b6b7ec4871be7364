"""Second derivatives of conv2d, conv_transpose2d and batch_norm: gradgradcheck, and PyTorch's double backward.

The convolutions' backwards are made of the three bilinear maps conv2d, conv_transpose2d and
conv2d's weight gradient (see minigan/engine/ops/conv.py), so a gradient of a gradient runs each of
them with every geometry argument (stride, padding, output_padding) in a new role; batch norm's
backward recomputes x̂ and 1/σ from x under create_graph.  Shapes are tiny: finite differences
in float64 against the engine, and PyTorch (float64, when installed) as an exact oracle.


(Its torch-free tests: tests/engine/test_conv_norm_second_order.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F
from pytorch.oracle import HAVE_TORCH

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


# ----------------------------------------------------------------------------- PyTorch's double backward
def _hessian_vector(fw, fn, inputs, vs):
    """∂/∂inputs ⟨∂loss/∂inputs, v⟩ with loss = fn(*inputs), in minigan or in torch (``fw``)."""
    loss = fn(*inputs)
    grads = fw.autograd.grad(loss, inputs, create_graph=True)
    dot = sum((g * v).sum() for g, v in zip(grads, vs))
    return [g.numpy(force=True) for g in grads], [h.numpy(force=True) for h in fw.autograd.grad(dot, inputs)]


def _both(xp, arrays):
    import torch

    ours = [minigan.tensor(xp.asarray(a), requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    return ours, theirs


def _compare_second_order(xp, rng, arrays, ours_fn, torch_fn):
    import torch

    ours, theirs = _both(xp, arrays)
    vs = [rng.standard_normal(a.shape) for a in arrays]
    g_ours, h_ours = _hessian_vector(minigan, ours_fn, ours, [minigan.tensor(xp.asarray(v)) for v in vs])
    g_torch, h_torch = _hessian_vector(torch, torch_fn, theirs, [torch.tensor(v) for v in vs])
    for a, b in zip(g_ours + h_ours, g_torch + h_torch):
        np.testing.assert_allclose(a, b, rtol=1e-10, atol=1e-10)


@needs_torch
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("stride,padding", [(1, 1), (2, 1), ((2, 3), (0, 2))])
def test_conv2d_double_backward_matches_torch(xp_backend, stride, padding, bias):
    import torch

    rng = np.random.default_rng(6)
    arrays = [rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2))]
    arrays += [rng.standard_normal(4)] if bias else []
    r = rng.standard_normal(F.conv2d(arrays[0], arrays[1], None, stride, padding).shape)
    r_ours, r_torch = minigan.tensor(xp_backend.asarray(r)), torch.tensor(r)

    def ours(x, w, *b):  # a loss that is not bilinear: every pair of inputs has a second derivative
        y = F.conv2d(x, w, *b, stride=stride, padding=padding)
        return (y * y * r_ours).sum()

    def theirs(x, w, *b):
        y = torch.nn.functional.conv2d(x, w, *b, stride=stride, padding=padding)
        return (y * y * r_torch).sum()

    _compare_second_order(xp_backend, rng, arrays, ours, theirs)


@needs_torch
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("stride,padding,out_pad", [(1, 0, 0), (2, 1, 1), ((3, 2), (1, 0), (2, 1))])
def test_conv_transpose2d_double_backward_matches_torch(xp_backend, stride, padding, out_pad, bias):
    import torch

    rng = np.random.default_rng(7)
    arrays = [rng.standard_normal((2, 3, 4, 3)), rng.standard_normal((3, 2, 4, 3))]
    arrays += [rng.standard_normal(2)] if bias else []
    out_shape = F.conv_transpose2d(arrays[0], arrays[1], None, stride, padding, out_pad).shape
    r = rng.standard_normal(out_shape)
    r_ours, r_torch = minigan.tensor(xp_backend.asarray(r)), torch.tensor(r)

    def ours(x, w, *b):
        y = F.conv_transpose2d(x, w, *b, stride=stride, padding=padding, output_padding=out_pad)
        return (y * y * r_ours).sum()

    def theirs(x, w, *b):
        y = torch.nn.functional.conv_transpose2d(x, w, *b, stride=stride, padding=padding, output_padding=out_pad)
        return (y * y * r_torch).sum()

    _compare_second_order(xp_backend, rng, arrays, ours, theirs)


@needs_torch
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(6, 3), (4, 3, 5), (3, 3, 4, 2)])
def test_batch_norm_double_backward_matches_torch(xp_backend, shape, training):
    import torch

    rng = np.random.default_rng(8)
    arrays = [rng.standard_normal(shape) * 2 + 1, rng.standard_normal(3), rng.standard_normal(3)]
    rm, rv = rng.standard_normal(3), rng.random(3) + 0.5
    r = rng.standard_normal(shape)
    r_ours, r_torch = minigan.tensor(xp_backend.asarray(r)), torch.tensor(r)

    def ours(x, g, b):
        y = F.batch_norm(x, xp_backend.asarray(rm.copy()), xp_backend.asarray(rv.copy()), g, b, training=training)
        return (y * y * r_ours).sum()

    def theirs(x, g, b):
        y = torch.nn.functional.batch_norm(x, torch.tensor(rm), torch.tensor(rv), g, b, training=training)
        return (y * y * r_torch).sum()

    _compare_second_order(xp_backend, rng, arrays, ours, theirs)


# ----------------------------------------------------------------------------- WGAN-GP through a conv critic
def _critic(fw, conv, conv_t, bn, act, params, with_bn):
    """A small critic: conv ↓ → leaky relu → conv ↓ → leaky relu → linear (or with conv_transpose2d and
    batch norm in the middle).  ``params`` are the same numbers in either framework."""
    w1, b1, w2, b2, wt, g, beta, wl, bl = params

    def d(x):
        h = act(conv(x, w1, b1, stride=2, padding=1), 0.2)  # (N, 4, 4, 4)
        if with_bn:
            h = act(bn(conv_t(h, wt, None, stride=2, padding=1, output_padding=1), None, None, g, beta,
                       training=True), 0.2)  # (N, 3, 9, 9)
        h = act(conv(h, w2, b2, stride=2, padding=0), 0.2)  # (N, 5, 4, 4), or (N, 5, 1, 1) without it
        return h.reshape(h.shape[0], -1) @ wl + bl

    return d


def _penalty(fw, d, x_hat):
    """WGAN-GP: ((‖∇x̂ D(x̂)‖₂ − 1)²).mean(), with the gradient kept as a graph."""
    (gx,) = fw.autograd.grad(d(x_hat).sum(), (x_hat,), create_graph=True)
    norms = ((gx * gx).sum(axis=(1, 2, 3)) if fw is minigan else (gx * gx).sum(dim=(1, 2, 3))).sqrt()
    return ((norms - 1) ** 2).mean()


@needs_torch
@pytest.mark.parametrize("with_bn", [False, True])
def test_wgan_gp_gradient_penalty_matches_torch(xp_backend, with_bn):
    import torch

    rng = np.random.default_rng(9)
    c2 = 3 if with_bn else 4
    shapes = [(4, 2, 3, 3), (4,), (5, c2, 3, 3), (5,), (4, 3, 4, 4), (3,), (3,), None, (1,)]
    n_flat = 5 * 4 * 4 if with_bn else 5
    shapes[7] = (n_flat, 1)
    arrays = [rng.standard_normal(s) * 0.5 for s in shapes]
    real, fake = rng.standard_normal((3, 2, 8, 8)), rng.standard_normal((3, 2, 8, 8))
    eps = rng.random((3, 1, 1, 1))
    x_hat = eps * real + (1 - eps) * fake

    ours, theirs = _both(xp_backend, arrays)
    d_ours = _critic(minigan, F.conv2d, F.conv_transpose2d, F.batch_norm, F.leaky_relu, ours, with_bn)
    tf = torch.nn.functional
    d_torch = _critic(torch, tf.conv2d, tf.conv_transpose2d, tf.batch_norm, tf.leaky_relu, theirs, with_bn)
    gp_ours = _penalty(minigan, d_ours, minigan.tensor(xp_backend.asarray(x_hat), requires_grad=True))
    gp_torch = _penalty(torch, d_torch, torch.tensor(x_hat, requires_grad=True))
    assert gp_ours.item() == pytest.approx(gp_torch.item(), rel=1e-12)
    gp_ours.backward()
    gp_torch.backward()
    used = range(len(arrays)) if with_bn else (0, 1, 2, 3, 7, 8)
    for i in used:  # ∇x̂ D does not depend on the biases (but through leaky relu's kinks): None or zeros
        got, want = (np.zeros(arrays[i].shape) if t.grad is None else t.grad.detach().cpu().numpy() for t in (ours[i],
                                                                                                        theirs[i]))
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)
    for i in (0, 2, 7) + ((4, 5) if with_bn else ()):  # every weight and γ: a real gradient
        assert np.abs(ours[i].grad.detach().cpu().numpy()).max() > 1e-3


@needs_torch
def test_batch_norm_double_backward_after_a_write_through_data_reads_forwards_statistics():
    """x written through .data after forward: PyTorch's double backward reads forward's μ and 1/σ (with their slopes),
    which minigan's batch_norm_backward row gives by running the engine's formula (BatchNorm.gradients) on them."""
    import torch
    rng = np.random.default_rng(0)
    xa, ga, ba, wa = (rng.standard_normal(s) for s in ((4, 3, 2, 2), 3, 3, (4, 3, 2, 2)))

    def run(fw, batch_norm):
        x, g, b = (fw.tensor(a, dtype=fw.float64, requires_grad=True) for a in (xa, ga, ba))
        h = x * 1.0
        y = batch_norm(h, None, None, g, b, training=True)
        h.data.mul_(1.5).add_(0.3)  # (after forward: the saved input is written)
        gx, gg = fw.autograd.grad((y * fw.tensor(wa)).sum(), [x, g], create_graph=True)
        second = fw.autograd.grad((gx * gx).sum() + (gg * gg).sum(), [x, g])
        return [t.detach().numpy() for t in (gx, gg, *second)]
    for ours, theirs in zip(run(minigan, F.batch_norm), run(torch, torch.nn.functional.batch_norm)):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
