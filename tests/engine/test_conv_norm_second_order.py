"""Second derivatives of conv2d, conv_transpose2d and batch_norm against central finite differences (float64
gradgradcheck, on each backend): every geometry argument in the convolutions' backwards, the full Jacobian of a tiny
case, a frozen weight or input, and a third derivative of batch norm and of a convolution.

(Its comparisons with PyTorch: tests/pytorch/test_conv_norm_second_order.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan import autograd


def _leaves(xp, rng, *shapes, scale=1.0, shift=0.0):
    return [minigan.tensor(xp.asarray(rng.standard_normal(s) * scale + shift), requires_grad=True) for s in shapes]


# ----------------------------------------------------------------------------- gradgradcheck (finite differences)
CONV_CASES = [  # x shape, weight shape, stride, padding
    ((2, 2, 5, 4), (3, 2, 3, 2), 1, 0),
    ((2, 2, 6, 5), (3, 2, 3, 3), 2, 1),  # the floor drops a row: the input gradient needs output_padding
    ((1, 3, 5, 6), (2, 3, 2, 3), (2, 1), (0, 1)),
    ((2, 1, 4, 4), (2, 1, 4, 4), 3, 2),
]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("xs,ws,stride,padding", CONV_CASES)
def test_conv2d_gradgradcheck(xp_backend, xs, ws, stride, padding, bias):
    rng = np.random.default_rng(0)
    inputs = _leaves(xp_backend, rng, xs, ws, (ws[0],))[: 3 if bias else 2]
    assert minigan.gradgradcheck(lambda x, w, *b: F.conv2d(x, w, *b, stride=stride, padding=padding), inputs)


CONV_T_CASES = [  # x shape, weight shape, stride, padding, output_padding
    ((2, 2, 3, 3), (2, 3, 3, 2), 1, 0, 0),
    ((2, 2, 3, 3), (2, 3, 3, 3), 2, 1, 1),
    ((1, 3, 2, 3), (3, 2, 4, 4), 2, 1, (0, 1)),
    ((2, 2, 3, 2), (2, 2, 2, 3), (3, 2), (1, 0), (2, 1)),
]


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("xs,ws,stride,padding,out_pad", CONV_T_CASES)
def test_conv_transpose2d_gradgradcheck(xp_backend, xs, ws, stride, padding, out_pad, bias):
    rng = np.random.default_rng(1)
    inputs = _leaves(xp_backend, rng, xs, ws, (ws[1],))[: 3 if bias else 2]

    def fn(x, w, *b):
        return F.conv_transpose2d(x, w, *b, stride=stride, padding=padding, output_padding=out_pad)

    assert minigan.gradgradcheck(fn, inputs)


def test_full_jacobian_gradgradcheck_of_both_convolutions():
    """Small enough that every second derivative is compared, not a few random directions."""
    rng = np.random.default_rng(2)
    x, w = _leaves(np, rng, (1, 1, 3, 3), (1, 1, 2, 2))
    assert minigan.gradgradcheck(lambda x, w: F.conv2d(x, w, stride=2, padding=1), (x, w))
    y, wt = _leaves(np, rng, (1, 1, 2, 2), (1, 1, 2, 2))
    assert minigan.gradgradcheck(lambda y, w: F.conv_transpose2d(y, w, stride=2, padding=1, output_padding=1),
                                 (y, wt))


def test_gradgradcheck_with_a_frozen_weight_or_input(xp_backend):
    """Only some inputs need a gradient: the backward's ops run with the rest as constants."""
    rng = np.random.default_rng(3)
    x, w = _leaves(xp_backend, rng, (2, 2, 5, 5), (3, 2, 3, 3))
    frozen_w, frozen_x = w.detach(), x.detach()
    assert minigan.gradgradcheck(lambda x: F.conv2d(x, frozen_w, stride=2, padding=1), (x,))
    assert minigan.gradgradcheck(lambda w: F.conv2d(frozen_x, w, stride=2, padding=1), (w,))
    y, wt = _leaves(xp_backend, rng, (2, 3, 3, 3), (3, 2, 3, 3))
    frozen_wt, frozen_y = wt.detach(), y.detach()
    assert minigan.gradgradcheck(lambda y: F.conv_transpose2d(y, frozen_wt, stride=2), (y,))
    assert minigan.gradgradcheck(lambda w: F.conv_transpose2d(frozen_y, w, stride=2), (w,))


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("shape", [(5, 3), (4, 3, 3), (3, 3, 2, 2)])
def test_batch_norm_gradgradcheck(xp_backend, shape, training):
    rng = np.random.default_rng(4)
    x, g, b = _leaves(xp_backend, rng, shape, (3,), (3,), scale=2.0, shift=1.0)
    rm, rv = xp_backend.asarray(rng.standard_normal(3)), xp_backend.asarray(rng.random(3) + 0.5)
    assert minigan.gradgradcheck(lambda x, g, b: F.batch_norm(x, rm.copy(), rv.copy(), g, b, training=training),
                                 (x, g, b))
    assert minigan.gradgradcheck(lambda x: F.batch_norm(x, rm.copy(), rv.copy(), training=training), (x,))


def test_third_derivative_of_batch_norm_and_conv():
    """The gradient's graph is made of the same ops, so it differentiates again."""
    rng = np.random.default_rng(5)
    x, w = _leaves(np, rng, (2, 2, 4, 4), (2, 2, 3, 3))

    def grad_of(x, w):
        y = F.batch_norm(F.conv2d(x, w, padding=1), None, None, training=True)
        gx, gw = autograd.grad((y * y * y).sum(), (x, w), create_graph=True)
        return minigan.cat([gx.reshape(-1), gw.reshape(-1)])

    assert minigan.gradgradcheck(grad_of, (x, w))
