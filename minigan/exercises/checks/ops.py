"""The checks of set 2, the ops and their backward: each against central differences (first and second
order), the losses against their closed forms, im2col and col2im against plain loops.
"""

from __future__ import annotations

import numpy as np

import minigan
import minigan.functional as F

from . import base
from .base import (
    Fail,
    T,
    _op_cases,
    away_from_zero,
    check,
    close,
    rn,
    rng,
)


# ============================================================================= 2. ops
def check_add_backward(ctx):
    _op_cases([("a (3, 1) + b (4,)", lambda a, b: a + b, [rn(3, 1), rn(4, seed=1)]),
               ("a (2, 3) + b (2, 3)", lambda a, b: a + b, [rn(2, 3), rn(2, 3, seed=1)]),
               ("a (2, 1, 3) + b (4, 1)", lambda a, b: a + b, [rn(2, 1, 3), rn(4, 1, seed=1)])],
              "d(a+b)/da = 1, d(a+b)/db = 1, each unbroadcast to its input's shape")


def check_sub_backward(ctx):
    _op_cases([("a (3, 1) - b (4,)", lambda a, b: a - b, [rn(3, 1), rn(4, seed=1)]),
               ("a (2, 3) - b (1, 3)", lambda a, b: a - b, [rn(2, 3), rn(1, 3, seed=1)])],
              "d(a-b)/da = 1, d(a-b)/db = -1, each unbroadcast")


def check_mul_backward(ctx):
    _op_cases([("a (3, 1) * b (4,)", lambda a, b: a * b, [rn(3, 1), rn(4, seed=1)]),
               ("a (2, 3) * b (2, 3)", lambda a, b: a * b, [rn(2, 3), rn(2, 3, seed=1)]),
               ("x * x", lambda a: a * a, [rn(3)])],
              "d(ab)/da = b, d(ab)/db = a, unbroadcast", second_order=True)


def check_div_backward(ctx):
    b = 1.0 + np.abs(rn(4, seed=1))
    _op_cases([("a (3, 1) / b (4,)", lambda a, b: a / b, [rn(3, 1), b]),
               ("a (4,) / b (4,)", lambda a, b: a / b, [rn(4), -b])],
              "d(a/b)/da = 1/b, d(a/b)/db = -a/b²", second_order=True)


def check_pow_backward(ctx):
    hint = "d(a^b)/da = b·a^(b−1), d(a^b)/db = a^b·log a"
    _op_cases([("a (3,) ** b (3,), a > 0", lambda a, b: a ** b, [0.5 + np.abs(rn(3)), rn(3, seed=1)]),
               ("a (2, 3) ** 3.0", lambda a: a ** 3.0, [rn(2, 3)]),
               ("a (3,) ** b (1,)", lambda a, b: a ** b, [0.5 + np.abs(rn(3)), [1.7]])], hint, second_order=True)
    x = T([0.0, 2.0])
    (x ** 0.0).sum().backward()
    close("d(x⁰)/dx at x = [0, 2] (x⁰ = 1 is flat: 0, not 0·∞ = NaN)", x.grad, [0.0, 0.0],
          hint + "; at a = b = 0 it is 0 (the kernels' zero_da says where)")


def check_exp_backward(ctx):
    _op_cases([("exp(x), x (2, 3)", lambda a: a.exp(), [rn(2, 3)])], "d(e^a)/da = e^a (the saved output)",
              second_order=True)


def check_log_backward(ctx):
    _op_cases([("log(x), x (2, 3) > 0", lambda a: a.log(), [0.3 + np.abs(rn(2, 3))])], "d(log a)/da = 1/a",
              second_order=True)


def check_stable_sigmoid(ctx):
    from minigan.engine.ops.activation import stable_sigmoid
    hint = "exp of a large positive number overflows: with e = exp(−|x|), never above 1, each side of 0 has a form " \
           "of σ that needs only e (for x ≥ 0 the reciprocal of one plus e; below, e times that reciprocal), chosen " \
           "elementwise"
    for dtype in (np.float64, np.float32):
        x = np.concatenate([[-1000.0, -80.0, -30.0, -1.0, 0.0], 5 * rn(3, seed=71), [1.0, 30.0, 80.0, 1000.0]])
        x = x.astype(dtype)  # (the tails, 0, and three numbers of the grader's)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            try:
                got = stable_sigmoid(x)
            except FloatingPointError as e:
                raise Fail(f"stable_sigmoid({dtype.__name__} [-1000, ..., 1000]): overflow ({e}); hint: {hint}") \
                    from None
        expected = None
        if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
            ex = np.exp(-np.abs(x.astype(np.float64)))
            expected = np.where(x >= 0, 1 / (1 + ex), ex / (1 + ex))
        check(got.dtype == dtype, f"stable_sigmoid of {dtype.__name__}: expected dtype {dtype.__name__}, got "
              f"{got.dtype}", hint)
        close(f"stable_sigmoid({dtype.__name__} {np.round(x, 3).tolist()})", got, expected, hint,
              rtol=1e-6 if dtype == np.float32 else 1e-12, atol=0)


def check_sigmoid_backward(ctx):
    _op_cases([("sigmoid(x), x (2, 3)", lambda a: a.sigmoid(), [2 * rn(2, 3)])], "dσ/dx = σ(1 − σ)",
              second_order=True)


def check_tanh_backward(ctx):
    _op_cases([("tanh(x), x (2, 3)", lambda a: a.tanh(), [rn(2, 3)])], "d tanh/dx = 1 − tanh²", second_order=True)


def check_relu_backward(ctx):
    _op_cases([("relu(x), x (3, 4), |x| ≥ 0.2", lambda a: a.relu(), [away_from_zero(3, 4)])],
              "1 where x > 0, else 0: a select on the saved output", second_order=True)
    x = T([0.0, -0.0])
    x.relu().sum().backward()
    close("d relu/dx at x = 0 (PyTorch gives 0)", x.grad, [0.0, 0.0], "the mask is x > 0, strictly")


def check_leaky_relu_backward(ctx):
    for slope in (0.2, 1.5):
        _op_cases([(f"leaky_relu(x, {slope}), x (3, 4), |x| ≥ 0.2", lambda a, s=slope: F.leaky_relu(a, s),
                    [away_from_zero(3, 4)])], "1 where x > 0, else negative_slope", second_order=True)


def check_matmul_backward(ctx):
    hint = "for C = A B: dA = G Bᵀ and dB = Aᵀ G, transposing the last two axes; batch axes that were broadcast are " \
           "summed back (unbroadcast); a 1-D operand is a row on the left or a column on the right, that axis taken " \
           "out again"
    mm = lambda a, b: a @ b
    _op_cases([("a (3, 4) @ b (4, 2)", mm, [rn(3, 4), rn(4, 2, seed=1)]),
               ("a (2, 3, 4) @ b (4, 5)", mm, [rn(2, 3, 4), rn(4, 5, seed=1)]),
               ("a (2, 1, 2, 3) @ b (3, 3, 2)", mm, [rn(2, 1, 2, 3), rn(3, 3, 2, seed=1)]),
               ("a (4,) @ b (4, 3)", mm, [rn(4), rn(4, 3, seed=1)]),
               ("a (3, 4) @ b (4,)", mm, [rn(3, 4), rn(4, seed=1)]),
               ("a (4,) @ b (4,)", mm, [rn(4), rn(4, seed=1)])], hint)
    _op_cases([("a (2, 3) @ b (3, 2), second order", mm, [rn(2, 3), rn(3, 2, seed=1)])], hint, second_order=True)


def check_sum_backward(ctx):
    _op_cases([("x (2, 3, 4).sum(axis=1)", lambda a: a.sum(axis=1), [rn(2, 3, 4)]),
               ("x (2, 3, 4).sum(axis=(0, 2), keepdims=True)", lambda a: a.sum(axis=(0, 2), keepdims=True),
                [rn(2, 3, 4)]),
               ("x (2, 3).sum()", lambda a: a.sum(), [rn(2, 3)]),
               ("x (2, 3).sum(axis=-1)", lambda a: a.sum(axis=-1), [rn(2, 3)])],
              "d(Σx)/dx_i = 1: _keep, then broadcast_to the input's shape")


def check_mean_backward(ctx):
    _op_cases([("x (2, 3, 4).mean(axis=1)", lambda a: a.mean(axis=1), [rn(2, 3, 4)]),
               ("x (2, 3, 4).mean(axis=(0, 2), keepdims=True)", lambda a: a.mean(axis=(0, 2), keepdims=True),
                [rn(2, 3, 4)]),
               ("x (2, 3).mean()", lambda a: a.mean(), [rn(2, 3)])],
              "1/n with n the number of elements averaged (self.count)")


def check_max_backward(ctx):
    hint = "_keep the gradient, multiply by the share: 1/ties at the maxima (x == out, kept), 0 elsewhere"
    _op_cases([("x (3, 4).max(axis=1)", lambda a: a.max(axis=1), [rn(3, 4)]),
               ("x (3, 4).max(axis=0, keepdims=True)", lambda a: a.max(axis=0, keepdims=True), [rn(3, 4)]),
               ("x (2, 3).max()", lambda a: a.max(), [rn(2, 3)])], hint)
    x = T([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])
    x.max(axis=1).backward(minigan.tensor([1.0, 1.0], dtype="float64"))
    close("x.grad for x.max(axis=1) with ties, x = [[1, 3, 3], [2, 0, 2]]", x.grad,
          [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5]], hint + " (ties share the gradient equally)")


def check_reshape_backward(ctx):
    _op_cases([("x (2, 3, 4).reshape(4, 6)", lambda a: a.reshape(4, 6), [rn(2, 3, 4)]),
               ("x (6,).reshape(3, 2)", lambda a: a.reshape(3, 2), [rn(6)])],
              "reshape the gradient back to self.in_shape")


def check_transpose_backward(ctx):
    _op_cases([("x (2, 3, 4).transpose(2, 0, 1)", lambda a: a.transpose(2, 0, 1), [rn(2, 3, 4)]),
               ("x (2, 3, 4).transpose(1, 2, 0)", lambda a: a.transpose(1, 2, 0), [rn(2, 3, 4)]),
               ("x (2, 3).T", lambda a: a.T, [rn(2, 3)])],
              "transpose the gradient by the INVERSE permutation: inverse[axes[i]] = i")


def check_getitem_backward(ctx):
    hint = "zeros of the input's shape with each gradient entry added back where it was read, through the IndexAdd " \
           "op; repeated integer indices must add up (a scatter-add, not assignment)"
    mask = rn(3, 4) > 0
    _op_cases([("x (4, 5)[1:3, ::2]", lambda a: a[1:3, ::2], [rn(4, 5)]),
               ("x (4,)[[0, 0, 2, 0]]", lambda a: a[np.array([0, 0, 2, 0])], [rn(4)]),
               ("x (3, 4)[:, [1, 1, 3]]", lambda a: a[:, np.array([1, 1, 3])], [rn(3, 4)]),
               ("x (3, 4)[mask]", lambda a: a[mask], [rn(3, 4, seed=2)]),
               ("x (3, 4)[2]", lambda a: a[2], [rn(3, 4)])], hint)
    _op_cases([("x (4,)[[1, 1]] second order", lambda a: a[np.array([1, 1])] * a[np.array([1, 1])], [rn(4)])], hint,
              second_order=True)


def check_softmax_backward(ctx):
    _op_cases([("softmax(x (3, 4), axis=-1)", lambda a: F.softmax(a, axis=-1), [rn(3, 4)]),
               ("softmax(x (3, 4), axis=0)", lambda a: F.softmax(a, axis=0), [rn(3, 4)])],
              "dx = s ⊙ (g − Σ_axis g ⊙ s), summing along self.axis with keepdims", second_order=True)


def check_log_softmax_backward(ctx):
    _op_cases([("log_softmax(x (3, 4), axis=-1)", lambda a: F.log_softmax(a, axis=-1), [rn(3, 4)]),
               ("log_softmax(x (3, 4), axis=0)", lambda a: F.log_softmax(a, axis=0), [rn(3, 4)])],
              "dx = g − exp(out) · Σ_axis g (keepdims)", second_order=True)


def check_bce_with_logits(ctx):
    hint = ("forward: (1 − t)·x + softplus(−x), softplus(−x) = max(−x, 0) + log1p(exp(−|x|)), then apply_reduction; "
            "backward: (σ(x) − t)·g, −x·g")
    x = np.array([-1e4, -80.0, -30.0, -1.0, 0.0, 0.5, 30.0, 80.0, 1e4])
    t = np.array([0.0, 1.0, 0.3, 1.0, 0.5, 0.0, 1.0, 0.0, 1.0])
    for reduction in ("none", "mean", "sum"):
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            try:
                got = F.binary_cross_entropy_with_logits(T(x, grad=False), T(t, grad=False), reduction=reduction)
            except FloatingPointError as err:
                raise Fail(f"BCE with logits at x = ±1e4: overflow ({err}); hint: {hint}") from None
        close(f"BCE-with-logits(x = [-1e4 ... 1e4], t), reduction={reduction!r}", got,
              _reduced(np.logaddexp(0, x) - t * x, reduction), hint, rtol=1e-9)
    for reduction in ("mean", "sum", "none"):
        _op_cases([(f"BCE-with-logits(x (2, 3), t (2, 3)), reduction={reduction!r}",
                    lambda a, b, r=reduction: F.binary_cross_entropy_with_logits(a, b, reduction=r),
                    [2 * rn(2, 3), rng(1).uniform(size=(2, 3))])], hint, second_order=reduction == "mean")


def _reduced(values, reduction):
    return values if reduction == "none" else values.mean() if reduction == "mean" else values.sum()


def check_cross_entropy_backward(ctx):
    labels = np.array([0, 2, 1, 2])
    for reduction in ("mean", "sum", "none"):
        _op_cases([(f"cross_entropy(x (4, 3), labels {labels.tolist()}, reduction={reduction!r})",
                    lambda a, r=reduction: F.cross_entropy(a, labels, reduction=r), [rn(4, 3)])],
                  "(softmax(x) − onehot) times the reduction's gradient per row", second_order=reduction == "mean")


def _im2col_loops(x, kh, kw, sh, sw):
    c, hp, wp, n = x.shape
    ho, wo = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    cols = np.zeros((c, kh, kw, ho, wo, n))
    for ci in range(c):
        for p in range(kh):
            for q in range(kw):
                for i in range(ho):
                    for j in range(wo):
                        cols[ci, p, q, i, j] = x[ci, i * sh + p, j * sw + q]
    return cols.reshape(c * kh * kw, ho * wo * n)


def check_im2col(ctx):
    from minigan.engine.ops.conv import im2col
    hint = "a strided view (C, kh, kw, Ho, Wo, N) of x: its steps along the kernel axes are x's own, along the " \
           "output axes x's times the stride; made contiguous, then laid out as (C·kh·kw, Ho·Wo·N)"
    for shape, (kh, kw, sh, sw) in (((2, 5, 5, 3), (3, 2, 1, 2)), ((1, 4, 4, 2), (2, 2, 2, 2)),
                                    ((3, 6, 5, 1), (3, 3, 2, 1))):
        x = rn(*shape)
        close(f"im2col(x {shape}, kernel {kh}×{kw}, stride {sh}×{sw})", im2col(x, kh, kw, sh, sw),
              _im2col_loops(x, kh, kw, sh, sw), hint)
    x = rn(2, 6, 6, 2).astype(np.float32)
    check(im2col(x, 3, 3, 1, 1).dtype == np.float32, "im2col of float32 changed the dtype", hint)


def check_col2im(ctx):
    from minigan.engine.ops.conv import col2im
    hint = "for each kernel offset (p, q), add the (C, Ho, Wo, N) slab of cols onto the pixels from (p, q) on, every " \
           "stride-th one; overlapping windows must add up (add, never assign)"
    for shape, (kh, kw, sh, sw) in (((2, 5, 5, 3), (3, 2, 1, 2)), ((1, 4, 4, 2), (2, 2, 2, 2)),
                                    ((3, 6, 5, 1), (3, 3, 1, 1)), ((1, 7, 7, 1), (3, 3, 2, 2))):
        x = rn(*shape)
        ho, wo = (shape[1] - kh) // sh + 1, (shape[2] - kw) // sw + 1
        c = rn(shape[0] * kh * kw, ho * wo * shape[3], seed=1)
        got = col2im(c, shape, kh, kw, sh, sw)
        check(np.shape(got) == shape, f"col2im(cols, {shape}, kernel {kh}×{kw}, stride {sh}×{sw}): expected "
              f"shape {shape}, got {np.shape(got)}", hint)
        close(f"⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for x {shape}, kernel {kh}×{kw}, stride {sh}×{sw} (the adjoint)",
              float((x * got).sum()), float((_im2col_loops(x, kh, kw, sh, sw) * c).sum()), hint)


def check_conv2d_backward(ctx):
    hint = "∂x is the transposed convolution of G with W (the same stride and padding; output_padding makes up the " \
           "rows the forward dropped), ∂W the convolution of x with G (the Conv2dWeight op, reusing the saved " \
           "columns), ∂b is G summed over batch, height and width"
    _op_cases([("conv2d(x (2, 2, 5, 5), w (3, 2, 3, 3), b (3,), stride 2, padding 1)",
                lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
                [rn(2, 2, 5, 5), rn(3, 2, 3, 3, seed=1), rn(3, seed=2)]),
               ("conv2d(x (1, 1, 6, 6), w (2, 1, 3, 3), stride 2): the floor drops a row",
                lambda x, w: F.conv2d(x, w, stride=2), [rn(1, 1, 6, 6), rn(2, 1, 3, 3, seed=1)])], hint)
    _op_cases([("conv2d(x (1, 1, 4, 4), w (2, 1, 2, 2)) second order", lambda x, w: F.conv2d(x, w),
                [rn(1, 1, 4, 4), rn(2, 1, 2, 2, seed=1)])], hint, second_order=True)
