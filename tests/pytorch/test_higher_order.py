"""Gradients of gradients: every op's second derivative, third and fourth derivatives, Hessian-vector
products, a WGAN-GP gradient penalty, and what ``minigan.autograd.grad`` promises.

Each op of the table ``CASES`` is checked twice, on float64 inputs:

* ``minigan.gradgradcheck``: the gradient (computed with ``create_graph=True``) is differentiated
  again, with respect to the inputs and to the incoming gradient v, and compared with central
  finite differences;
* when PyTorch is installed, the double backward itself is compared with torch's to float64
  precision: g = grad(f(x), x, grad_outputs=v, create_graph=True), then grad(⟨g, u⟩, (x, v)).

Ops that are linear in their input (shape ops, sum, add...) are followed by a cube, so that the
gradient flowing into their backward depends on x and their backward's own graph is exercised.
Inputs keep away from kinks: |x| > 0 for abs/relu, the clamp bounds, ties for max (ties have a
test of their own).


(Its torch-free tests: tests/engine/test_higher_order.py.)"""

import dataclasses
import re
import zlib

import numpy as np
import pytest
from conftest import BACKENDS, default_slice
from engine.helpers_higher_order import _leaves
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import minigan
import minigan.engine.ops
import minigan.functional as F
from minigan import autograd
from minigan.engine.ops import namespace as NS
from minigan.engine.ops import shape as S
from pytorch.oracle import HAVE_TORCH

if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
RTOL, ATOL = 1e-9, 1e-11  # "equal to float64 precision", allowing for a different summation order


def cube(t):
    return t**3


# ----------------------------------------------------------------------------- input makers
def normal(*shape, scale=1.0):
    return lambda rng: rng.standard_normal(shape) * scale


def uniform(*shape, lo, hi):
    return lambda rng: rng.uniform(lo, hi, shape)


def away_from(*shape, points=(0.0,), gap=0.2, lo=-2.0, hi=2.0):
    """Uniform in [lo, hi], at least ``gap`` from every point of ``points`` (kinks), both signs."""

    def make(rng):
        x = rng.uniform(lo, hi, shape)
        for _ in range(100):
            bad = np.zeros(shape, bool)
            for p in points:
                bad |= np.abs(x - p) < gap
            if not bad.any():
                return x
            x = np.where(bad, rng.uniform(lo, hi, shape), x)
        raise AssertionError("could not draw values away from the kinks")

    return make


def distinct(*shape):
    """Well-separated values (at least 0.25 apart for up to 12 of them), in random order: no ties for max/min."""
    n = int(np.prod(shape))
    return lambda rng: rng.permutation(np.linspace(-2.0, 2.0, n) + rng.uniform(-0.05, 0.05, n)).reshape(shape)


def _dropped(x, p=0.5):
    """Dropout with a fixed mask: the generator is re-seeded on every call (gradgradcheck calls fn often)."""
    minigan.manual_seed(7)
    return F.dropout(x, p)


def _dropout_mask(shape, p=0.5):
    """The mask (kept / (1 − p), else 0) ``_dropped`` applies, as NumPy, for the torch side."""
    return _dropped(minigan.ones(*shape, dtype="float64"), p).detach().cpu().numpy()


def _ti(index):
    """An index array for torch."""
    return torch.as_tensor(np.asarray(index))


# ----------------------------------------------------------------------------- the table
SAME = object()  # the torch function is the minigan one (operators and methods both have)


@dataclasses.dataclass(frozen=True)
class Case:
    name: str  # the test id
    op: str  # the op of minigan/ops it checks, named as that package's docstring names it
    fn: object  # minigan: tensors -> tensor
    tfn: object  # the same function on torch tensors (SAME: fn itself)
    makers: tuple  # one float64 array maker per input
    check: dict = dataclasses.field(default_factory=dict)  # gradgradcheck tolerances, when not the default
    rtol: float = RTOL  # against torch


def _losses():
    ce_labels = np.array([0, 3, 3])  # a repeated label
    cases = []
    for r in ("mean", "sum", "none"):
        cases += [
            Case(f"bce_with_logits_{r}", "binary_cross_entropy_with_logits",
                 lambda x, t, r=r: F.binary_cross_entropy_with_logits(x, t, reduction=r),
                 lambda x, t, r=r: TF.binary_cross_entropy_with_logits(x, t, reduction=r),
                 (normal(2, 3, scale=2.0), uniform(2, 3, lo=0.0, hi=1.0))),
            Case(f"bce_{r}", "binary_cross_entropy",
                 lambda p, t, r=r: F.binary_cross_entropy(p, t, reduction=r),
                 lambda p, t, r=r: TF.binary_cross_entropy(p, t, reduction=r),
                 (uniform(2, 3, lo=0.1, hi=0.9), uniform(2, 3, lo=0.0, hi=1.0))),
            Case(f"cross_entropy_{r}", "cross_entropy",
                 lambda x, r=r: F.cross_entropy(x, ce_labels, reduction=r),
                 lambda x, r=r: TF.cross_entropy(x, _ti(ce_labels), reduction=r),
                 (normal(3, 4, scale=2.0),)),
            Case(f"mse_loss_{r}", "mse_loss",
                 lambda x, y, r=r: F.mse_loss(x, y, reduction=r),
                 lambda x, y, r=r: TF.mse_loss(x, y, reduction=r),
                 (normal(2, 3), normal(2, 3))),
        ]
    return cases


REPEATED = np.array([0, 2, 0, 0])  # integer index arrays that pick the same element several times
ROWS, COLS = np.array([0, 0, 1, 1]), np.array([1, 1, 2, 0])
MASK = np.array([[True, False, True], [True, True, False]])

CASES = [
    # elementwise (a linear op is cubed, so its backward sees a gradient that depends on x)
    Case("add_broadcast", "add", lambda a, b: cube(a + b), SAME, (normal(2, 3), normal(3))),
    Case("add_scalar", "add", lambda a: cube(a + 1.5), SAME, (normal(2, 3),)),
    Case("sub_broadcast", "sub", lambda a, b: cube(a - b), SAME, (normal(2, 3), normal(2, 1))),
    Case("rsub_scalar", "sub", lambda a: cube(2.0 - a), SAME, (normal(2, 3),)),
    Case("mul_broadcast", "mul", lambda a, b: a * b, SAME, (normal(2, 3), normal(1, 3))),
    Case("mul_self", "mul", lambda a: a * a * a, SAME, (normal(2, 3),)),
    Case("div_broadcast", "div", lambda a, b: a / b, SAME, (normal(2, 3), uniform(3, lo=0.5, hi=2.0))),
    Case("rdiv_scalar", "div", lambda a: 1.0 / a, SAME, (uniform(2, 3, lo=0.5, hi=2.0),)),
    Case("neg", "neg", lambda a: cube(-a), SAME, (normal(2, 3),)),
    Case("pow_int_exponent", "pow", lambda a: a**3, SAME, (normal(2, 3),)),
    Case("pow_fractional_exponent", "pow", lambda a: a**2.5, SAME, (uniform(2, 3, lo=0.5, hi=2.0),)),
    Case("pow_negative_exponent", "pow", lambda a: a**-1.5, SAME, (uniform(2, 3, lo=0.5, hi=2.0),)),
    Case("pow_tensor_exponent", "pow", lambda a, b: a**b, SAME, (uniform(2, 3, lo=0.5, hi=2.0), normal(2, 3))),
    Case("pow_tensor_exponent_broadcast", "pow", lambda a, b: a**b, SAME,
         (uniform(2, 3, lo=0.5, hi=2.0), normal(3))),
    Case("pow_scalar_base", "pow", lambda b: 2.0**b, SAME, (normal(2, 3),)),
    Case("exp", "exp", lambda a: a.exp(), SAME, (normal(2, 3),)),
    Case("log", "log", lambda a: a.log(), SAME, (uniform(2, 3, lo=0.3, hi=3.0),)),
    Case("abs", "abs", lambda a: cube(a.abs()), SAME, (away_from(2, 3),)),
    Case("sqrt", "sqrt", lambda a: a.sqrt(), SAME, (uniform(2, 3, lo=0.3, hi=3.0),)),
    Case("clamp_both", "clamp", lambda a: cube(a.clamp(-1.0, 1.0)), SAME, (away_from(2, 3, points=(-1.0, 1.0)),)),
    Case("clamp_min", "clamp", lambda a: cube(a.clamp(min=0.0)), SAME, (away_from(2, 3),)),
    Case("clamp_max", "clamp", lambda a: cube(a.clamp(max=0.5)), SAME, (away_from(2, 3, points=(0.5,)),)),
    # a float32 round trip: the values are rounded, so finite differences need a larger step
    Case("cast_float32_round_trip", "cast", lambda a: cube(a.astype(np.float32).astype(np.float64)),
         lambda a: cube(a.to(torch.float32).to(torch.float64)), (normal(2, 3),),
         check={"eps": 1e-3, "atol": 1e-3, "rtol": 1e-2}, rtol=1e-6),
    # activations
    Case("sigmoid", "sigmoid", lambda a: a.sigmoid(), SAME, (normal(2, 3, scale=2.0),)),
    Case("tanh", "tanh", lambda a: a.tanh(), SAME, (normal(2, 3),)),
    Case("relu", "relu", lambda a: cube(a.relu()), SAME, (away_from(2, 3),)),
    Case("leaky_relu", "leaky_relu", lambda a: cube(F.leaky_relu(a, 0.2)), lambda a: cube(TF.leaky_relu(a, 0.2)),
         (away_from(2, 3),)),
    Case("leaky_relu_steep", "leaky_relu", lambda a: cube(F.leaky_relu(a, 1.5)),
         lambda a: cube(TF.leaky_relu(a, 1.5)), (away_from(2, 3),)),
    Case("softplus", "softplus", lambda a: F.softplus(a), lambda a: TF.softplus(a), (normal(2, 3, scale=2.0),)),
    # reductions
    Case("sum_all", "sum", lambda a: cube(a.sum()), SAME, (normal(2, 3, scale=0.5),)),
    Case("sum_axis", "sum", lambda a: cube(a.sum(axis=1)), lambda a: cube(a.sum(dim=1)), (normal(2, 3),)),
    Case("sum_axes_keepdims", "sum", lambda a: cube(a.sum(axis=(0, 2), keepdims=True)),
         lambda a: cube(a.sum(dim=(0, 2), keepdim=True)), (normal(2, 3, 2, scale=0.5),)),
    Case("sum_all_keepdims", "sum", lambda a: cube(a.sum(keepdims=True)), lambda a: cube(a.sum((0, 1), keepdim=True)),
         (normal(2, 3, scale=0.5),)),
    Case("mean_all", "mean", lambda a: cube(a.mean()), SAME, (normal(2, 3),)),
    Case("mean_axis", "mean", lambda a: cube(a.mean(axis=0)), lambda a: cube(a.mean(dim=0)), (normal(2, 3),)),
    Case("mean_keepdims", "mean", lambda a: cube(a.mean(axis=-1, keepdims=True)),
         lambda a: cube(a.mean(dim=-1, keepdim=True)), (normal(2, 3, 2),)),
    Case("max_all", "max", lambda a: cube(a.max()), lambda a: cube(a.amax()), (distinct(2, 3),)),
    Case("max_axis", "max", lambda a: cube(a.max(axis=1)), lambda a: cube(a.amax(dim=1)), (distinct(2, 3),)),
    Case("max_keepdims", "max", lambda a: cube(a.max(axis=0, keepdims=True)),
         lambda a: cube(a.amax(dim=0, keepdim=True)), (distinct(3, 2),)),
    Case("max_axes", "max", lambda a: cube(a.max(axis=(0, 2))), lambda a: cube(a.amax(dim=(0, 2))),
         (distinct(2, 3, 2),)),
    Case("min_axis", "min", lambda a: cube(a.min(axis=1)), lambda a: cube(a.amin(dim=1)), (distinct(2, 3),)),
    Case("min_all", "min", lambda a: cube(a.min()), lambda a: cube(a.amin()), (distinct(2, 3),)),
    Case("logsumexp_all", "logsumexp", lambda a: a.logsumexp(dim=(0, 1)), lambda a: torch.logsumexp(a, dim=(0, 1)),
         (normal(2, 3),)),
    Case("logsumexp_axis", "logsumexp", lambda a: a.logsumexp(axis=1), lambda a: torch.logsumexp(a, dim=1),
         (normal(2, 3),)),
    Case("logsumexp_keepdims", "logsumexp", lambda a: a.logsumexp(axis=0, keepdims=True),
         lambda a: torch.logsumexp(a, dim=0, keepdim=True), (normal(3, 2),)),
    Case("softmax_last", "softmax", lambda a: F.softmax(a, -1), lambda a: TF.softmax(a, -1), (normal(2, 3),)),
    Case("softmax_first", "softmax", lambda a: F.softmax(a, 0), lambda a: TF.softmax(a, 0), (normal(3, 2),)),
    Case("log_softmax_last", "log_softmax", lambda a: F.log_softmax(a, -1), lambda a: TF.log_softmax(a, -1),
         (normal(2, 3),)),
    Case("log_softmax_first", "log_softmax", lambda a: F.log_softmax(a, 0), lambda a: TF.log_softmax(a, 0),
         (normal(3, 2),)),
    # shape ops
    Case("clone", "clone", lambda a: cube(a.clone()), SAME, (normal(2, 3),)),
    Case("copy_into_a_non_leaf", "fill", lambda a, b: cube((a * 2).copy_(b) + a), SAME, (normal(2, 3), normal(3,))),
    Case("where", "where", lambda a, b: cube(NS.where(MASK, a, b)), lambda a, b: cube(torch.where(_ti(MASK), a, b)),
         (normal(2, 3), normal(2, 3))),
    Case("broadcast_to", "broadcast_to", lambda a: cube(NS.broadcast_to(a, (4, 2, 3))),
         lambda a: cube(torch.broadcast_to(a, (4, 2, 3))), (normal(2, 1),)),
    Case("index_add", "index_add", lambda a: cube(S.IndexAdd.apply(a, index=((REPEATED,), True), shape=(3, 2))),
         lambda a: cube(torch.zeros(3, 2, dtype=a.dtype).index_add(0, _ti(REPEATED), a)), (normal(4, 2),)),
    Case("reshape", "reshape", lambda a: cube(a.reshape(3, 2)), SAME, (normal(2, 3),)),
    Case("transpose", "transpose", lambda a: cube(a.permute(1, 2, 0)), SAME, (normal(2, 3, 2),)),
    Case("transpose_T", "transpose", lambda a: cube(a.T) @ a, SAME, (normal(2, 3),)),
    Case("squeeze", "squeeze", lambda a: cube(a.squeeze(1)), SAME, (normal(2, 1, 3),)),
    Case("unsqueeze", "unsqueeze", lambda a: cube(a.unsqueeze(1)), SAME, (normal(2, 3),)),
    Case("getitem_slices", "getitem", lambda a: cube(a[1:, ::2]), SAME, (normal(3, 4),)),
    Case("getitem_int_and_none", "getitem", lambda a: cube(a[None, ..., 1]), SAME, (normal(2, 3),)),
    Case("getitem_repeated_rows", "getitem", lambda a: cube(a[REPEATED]), lambda a: cube(a[_ti(REPEATED)]),
         (normal(3, 2),)),
    Case("getitem_repeated_pairs", "getitem", lambda a: cube(a[ROWS, COLS]),
         lambda a: cube(a[_ti(ROWS), _ti(COLS)]), (normal(2, 3),)),
    Case("getitem_repeated_columns", "getitem", lambda a: cube(a[:, REPEATED[:3]]),
         lambda a: cube(a[:, _ti(REPEATED[:3])]), (normal(2, 3),)),
    Case("getitem_index_matrix", "getitem", lambda a: cube(a[..., np.array([[2, 0], [2, 2]])]),
         lambda a: cube(a[..., _ti([[2, 0], [2, 2]])]), (normal(2, 3),)),
    Case("getitem_bool_mask", "getitem", lambda a: cube(a[MASK]), lambda a: cube(a[_ti(MASK)]), (normal(2, 3),)),
    Case("cat_reused", "cat", lambda a, b: cube(F.cat([a, b, a], axis=1)),
         lambda a, b: cube(torch.cat([a, b, a], dim=1)), (normal(2, 2), normal(2, 1))),
    Case("stack", "stack", lambda a, b: cube(F.stack([a, b], axis=1)), lambda a, b: cube(torch.stack([a, b], dim=1)),
         (normal(2, 3), normal(2, 3))),
    Case("stack_last", "stack", lambda a, b: F.stack([a, b * a], axis=-1), lambda a, b: torch.stack([a, b * a], dim=-1),
         (normal(2, 3), normal(2, 3))),
    Case("pad", "pad", lambda a: cube(F.pad(a, ((1, 0), (0, 2)), value=0.5)),
         lambda a: cube(TF.pad(a, (0, 2, 1, 0), value=0.5)), (normal(2, 3),)),
    Case("pad_int", "pad", lambda a: cube(a.pad(1)), lambda a: cube(TF.pad(a, (1, 1, 1, 1))), (normal(2, 3),)),
    Case("to_device", "to-device", lambda a: cube(S.ToDevice.apply(a, device="cpu")), lambda a: cube(a),
         (normal(2, 3),)),
    # linalg: bilinear, so the second derivative is the cross term between the two operands
    Case("matmul_2d", "matmul", lambda a, b: a @ b, SAME, (normal(2, 3), normal(3, 2))),
    Case("matmul_1d_2d", "matmul", lambda a, b: a @ b, SAME, (normal(3), normal(3, 2))),
    Case("matmul_2d_1d", "matmul", lambda a, b: a @ b, SAME, (normal(2, 3), normal(3))),
    Case("matmul_1d_1d", "matmul", lambda a, b: a @ b, SAME, (normal(3), normal(3))),
    Case("matmul_batched_broadcast", "matmul", lambda a, b: a @ b, SAME, (normal(2, 1, 2, 3), normal(3, 3, 2))),
    Case("matmul_2d_batched", "matmul", lambda a, b: a @ b, SAME, (normal(2, 3), normal(2, 3, 2))),
    Case("matmul_tanh", "matmul", lambda a, b: (a @ b).tanh(), SAME, (normal(2, 3), normal(3, 2))),
    Case("linear_bias", "linear", lambda x, w, b: F.linear(x, w, b).tanh(), lambda x, w, b: TF.linear(x, w, b).tanh(),
         (normal(4, 3), normal(2, 3), normal(2))),
    Case("linear_no_bias", "linear", lambda x, w: F.linear(x, w), lambda x, w: TF.linear(x, w),
         (normal(4, 3), normal(2, 3))),
    Case("linear_1d_input", "linear", lambda x, w, b: F.linear(x, w, b).tanh(),
         lambda x, w, b: TF.linear(x, w, b).tanh(), (normal(3), normal(2, 3), normal(2))),
    Case("linear_batched_input", "linear", lambda x, w, b: cube(F.linear(x, w, b)),
         lambda x, w, b: cube(TF.linear(x, w, b)), (normal(2, 2, 3, scale=0.5), normal(2, 3), normal(2))),
    # pooling: windows that overlap (stride < kernel) and padding; the max with distinct values (ties: test_nn_fluency)
    Case("max_pool2d", "max_pool2d", lambda a: cube(F.max_pool2d(a, 3, 2, 1)),
         lambda a: cube(TF.max_pool2d(a, 3, 2, 1)), (distinct(1, 2, 5, 5),)),
    Case("max_pool2d_rect", "max_pool2d", lambda a: F.max_pool2d(a, (2, 3), (1, 2)).tanh(),
         lambda a: TF.max_pool2d(a, (2, 3), (1, 2)).tanh(), (distinct(2, 1, 3, 5),)),
    Case("avg_pool2d", "avg_pool2d", lambda a: cube(F.avg_pool2d(a, 3, 2, 1)),
         lambda a: cube(TF.avg_pool2d(a, 3, 2, 1)), (normal(2, 2, 5, 5),)),
    Case("avg_pool2d_default_stride", "avg_pool2d", lambda a: cube(F.avg_pool2d(a, 2)),
         lambda a: cube(TF.avg_pool2d(a, 2)), (normal(1, 2, 5, 4),)),
    Case("upsample_nearest2d", "upsample_nearest2d", lambda a: cube(F.interpolate(a, scale_factor=2)),
         lambda a: cube(TF.interpolate(a, scale_factor=2, mode="nearest")), (normal(2, 1, 2, 3),)),
    Case("upsample_nearest2d_size", "upsample_nearest2d", lambda a: cube(F.interpolate(a, size=(4, 3))),
         lambda a: cube(TF.interpolate(a, size=(4, 3), mode="nearest")), (normal(1, 2, 2, 1),)),
    Case("upsample_bilinear2d", "getitem", lambda a: cube(F.interpolate(a, scale_factor=1.5, mode="bilinear")),
         lambda a: cube(TF.interpolate(a, scale_factor=1.5, mode="bilinear")), (normal(1, 2, 3, 4),)),
    Case("cumsum", "cumsum", lambda a: cube(minigan.cumsum(a, 1)), lambda a: cube(torch.cumsum(a, 1)), (normal(2, 4),)),
    Case("einsum_product", "einsum", lambda a, b: cube(minigan.einsum("ij,jk->ik", a, b)),
         lambda a, b: cube(torch.einsum("ij,jk->ik", a, b)), (normal(2, 3), normal(3, 2))),
    Case("einsum_trace_diag", "einsum", lambda a: cube(minigan.einsum("ii,ij->j", a, a)),
         lambda a: cube(torch.einsum("ii,ij->j", a, a)), (normal(3, 3),)),
    # dropout: a fixed mask (the same seed every call)
    Case("dropout", "dropout", lambda a: cube(_dropped(a)),
         lambda a: cube(a * torch.as_tensor(_dropout_mask(tuple(a.shape)))), (normal(3, 4),)),
    *_losses(),
]
# 48 ops: the 43 that minigan/ops's docstring lists (all but conv and norm, which
# test_conv_norm_second_order.py covers), plus min, stack, squeeze, unsqueeze and dropout, built from them
OPS_COVERED = sorted({c.op for c in CASES})


def _documented_ops():
    """The op names listed in minigan/engine/ops/__init__.py's docstring, except convolution."""
    table = minigan.engine.ops.__doc__.strip().split("\n\n")[1]  # the block after the summary line
    names = []
    for line in table.splitlines():
        group, _, rest = line.strip().partition(" ")
        if group and group not in ("conv", "norm"):
            names += [n for n in re.split(r"[\s,]+", rest.strip()) if n]
    return names


def test_every_documented_op_has_a_second_derivative_test():
    documented = _documented_ops()
    assert len(documented) >= 30  # the docstring parsed as expected
    assert set(documented) <= set(OPS_COVERED), sorted(set(documented) - set(OPS_COVERED))
    assert len(OPS_COVERED) >= len(documented)


def _arrays(case):
    rng = np.random.default_rng(zlib.crc32(case.name.encode()))
    return [m(rng) for m in case.makers]


def _on_each_backend(cases):
    """(backend, case) for xp_backend (indirect): every case on NumPy and on CuPy where there is a GPU; on the strict
    stand-in (the GPU's code path on the CPU) every 4th case by default and the rest under -m parity."""
    cupy = BACKENDS[2]
    return ([pytest.param("numpy", c, id=f"numpy-{c.name}") for c in cases] +
            default_slice([pytest.param("strict", c, id=f"strict-{c.name}") for c in cases], 4) +
            [pytest.param("cupy", c, marks=cupy.marks, id=f"cupy-{c.name}") for c in cases])


@pytest.mark.parametrize("xp_backend, case", _on_each_backend(CASES), indirect=["xp_backend"])
def test_second_derivative_against_finite_differences(xp_backend, case):
    assert minigan.gradgradcheck(case.fn, _leaves(_arrays(case)), **case.check)


# ----------------------------------------------------------------------------- against torch
def _double_backward_minigan(fn, arrays_, v, u):
    xs = _leaves(arrays_)
    y = fn(*xs)
    vt = minigan.tensor(v, dtype=np.float64, device=y.device, requires_grad=True)  # where y is (to_device: cpu)
    g = autograd.grad(y, xs, grad_outputs=vt, create_graph=True, allow_unused=True)
    dot = None
    for gi, ui in zip(g, u):
        if gi is not None:
            term = (gi * minigan.tensor(ui, dtype=np.float64, device=gi.device)).sum()
            dot = term if dot is None else dot + term
    second = autograd.grad(dot, [*xs, vt], allow_unused=True) if dot.requires_grad else [None] * (len(xs) + 1)
    def values(ts):
        return [None if t is None else t.detach().cpu().numpy() for t in ts]
    return y.detach().cpu().numpy(), values(g), values(second)


def _double_backward_torch(fn, arrays_, v, u):
    xs = [torch.tensor(a, dtype=torch.float64, requires_grad=True) for a in arrays_]
    y = fn(*xs)
    vt = torch.tensor(v, dtype=torch.float64, requires_grad=True)
    g = torch.autograd.grad(y, xs, grad_outputs=vt, create_graph=True, allow_unused=True)
    dot = sum((gi * torch.tensor(ui)).sum() for gi, ui in zip(g, u) if gi is not None)
    second = (torch.autograd.grad(dot, [*xs, vt], allow_unused=True) if dot.requires_grad
              else [None] * (len(xs) + 1))
    return (y.detach().cpu().numpy(), [None if t is None else t.detach().cpu().numpy() for t in g],
            [None if t is None else t.detach().cpu().numpy() for t in second])


def _assert_same(ours, theirs, shapes, rtol, what):
    for i, (a, b, shape) in enumerate(zip(ours, theirs, shapes)):
        a = np.zeros(shape) if a is None else a
        b = np.zeros(shape) if b is None else b
        np.testing.assert_allclose(a, b, rtol=rtol, atol=ATOL, err_msg=f"{what}, input {i}")


def compare_double_backward(fn, tfn, arrays_, rtol=RTOL, seed=0):
    """f, its gradient (weighted by v) and the gradient of ⟨gradient, u⟩ w.r.t. the inputs and v, as torch's."""
    rng = np.random.default_rng(seed)
    with minigan.no_grad():
        out_shape = fn(*_leaves(arrays_)).shape
    v = rng.standard_normal(out_shape)
    u = [rng.standard_normal(a.shape) for a in arrays_]
    y, g, second = _double_backward_minigan(fn, arrays_, v, u)
    ty, tg, tsecond = _double_backward_torch(fn if tfn is SAME else tfn, arrays_, v, u)
    np.testing.assert_allclose(y, ty, rtol=rtol, atol=ATOL, err_msg="value")
    shapes = [a.shape for a in arrays_]
    _assert_same(g, tg, shapes, rtol, "first derivative")
    _assert_same(second, tsecond, [*shapes, out_shape], rtol, "second derivative")


@needs_torch
@pytest.mark.parametrize("xp_backend, case", _on_each_backend(CASES), indirect=["xp_backend"])
def test_second_derivative_against_torch(xp_backend, case):
    compare_double_backward(case.fn, case.tfn, _arrays(case), rtol=case.rtol)


# ----------------------------------------------------------------------------- max and min with ties
TIES = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
TIE_REDUCTIONS = {
    "max_all": (lambda a: a.max(), lambda a: a.amax(), np.array([[0, 0.5, 0.5], [0, 0, 0]])),
    "max_axis1": (lambda a: a.max(axis=1), lambda a: a.amax(dim=1), np.array([[0, 0.5, 0.5], [1 / 3] * 3])),
    "max_axis0_keepdims": (lambda a: a.max(axis=0, keepdims=True), lambda a: a.amax(dim=0, keepdim=True),
                           np.array([[0, 1, 1], [1, 0, 0]])),
    "min_all": (lambda a: (-a).min(), lambda a: (-a).amin(), -np.array([[0, 0.5, 0.5], [0, 0, 0]])),
    "min_axis1": (lambda a: (-a).min(axis=1), lambda a: (-a).amin(dim=1), -np.array([[0, 0.5, 0.5], [1 / 3] * 3])),
}


@pytest.mark.parametrize("name", sorted(TIE_REDUCTIONS))
def test_max_and_min_share_the_gradient_between_ties(xp_backend, name):
    fn, tfn, expected = TIE_REDUCTIONS[name]
    x = minigan.tensor(TIES, requires_grad=True)
    (g,) = autograd.grad(fn(x).sum(), x)
    np.testing.assert_allclose(g.detach().cpu().numpy(), expected, rtol=1e-15)
    # the shares are constants, so the second derivative of cube(m) only goes through the cube:
    # Σ grad = 3m²·Σ dm/dx = ±3m² per group (+ for max, − for min), and its gradient is ±6m·dm/dx
    (g,) = autograd.grad(cube(fn(x)).sum(), x, create_graph=True)
    (h,) = autograd.grad(g.sum(), x)
    m = fn(minigan.tensor(TIES)).detach().cpu().numpy()
    m = np.broadcast_to(m.reshape(-1, 1) if m.shape == (2,) else m, (2, 3))
    sign = -1.0 if name.startswith("min") else 1.0
    np.testing.assert_allclose(h.detach().cpu().numpy(), 6 * m * expected * sign, rtol=1e-14)
    if HAVE_TORCH:
        compare_double_backward(lambda a: cube(fn(a)), lambda a: cube(tfn(a)), [TIES])


# ----------------------------------------------------------------------------- random expression graphs
UNARY = {
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "exp_tanh": lambda x: x.tanh().exp(),
    "log_1p_square": lambda x: (1 + x * x).log(),
    "sqrt_1p_square": lambda x: (1 + x * x).sqrt(),
    "neg": lambda x: -x,
    "square": lambda x: x * x,
    "gather_columns": lambda x: x[..., [0, 0, 2]] if x.shape[-1] == 3 else x,  # a repeated column
}
UNARY_MG = {
    **UNARY,
    "flip_columns": lambda x: x.flip(-1),
    "softplus": lambda x: F.softplus(x),
    "softmax": lambda x: F.softmax(x, -1),
    "log_softmax": lambda x: F.log_softmax(x, -1),
    "logsumexp_keep": lambda x: x.logsumexp(axis=-1, keepdims=True),
    "sum_keep": lambda x: x.sum(axis=-1, keepdims=True),
    "mean_rows": lambda x: x.mean(axis=0, keepdims=True),
}
UNARY_TORCH = {
    **UNARY,
    "flip_columns": lambda x: x.flip(-1),
    "softplus": lambda x: TF.softplus(x),
    "softmax": lambda x: TF.softmax(x, -1),
    "log_softmax": lambda x: TF.log_softmax(x, -1),
    "logsumexp_keep": lambda x: torch.logsumexp(x, dim=-1, keepdim=True),
    "sum_keep": lambda x: x.sum(dim=-1, keepdim=True),
    "mean_rows": lambda x: x.mean(dim=0, keepdim=True),
}
BINARY = {  # same code for both libraries
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / (1 + b * b),
    "pow": lambda a, b: (1 + a * a) ** (b.sigmoid() + 0.5),  # never a 0 exponent: see the test below
    "matmul": lambda a, b: (a @ b.T) @ a if tuple(a.shape) == tuple(b.shape) == (2, 3) else a * b,
}
SHAPE = (2, 3)  # every node broadcasts to it: (2, 3), (2, 1) or (1, 3)


@st.composite
def expression_graphs(draw):
    """1–3 float64 leaves and 1–5 steps, each a unary or binary op on any earlier node (nodes get reused)."""
    n_leaves = draw(st.integers(1, 3))
    leaves = [draw(arrays(np.float64, SHAPE, elements=st.floats(-1.0, 1.0, width=64))) for _ in range(n_leaves)]
    steps, n_nodes = [], n_leaves
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            steps.append((draw(st.sampled_from(sorted(UNARY_MG))), (draw(st.integers(0, n_nodes - 1)),)))
        else:
            steps.append((draw(st.sampled_from(sorted(BINARY))),
                          (draw(st.integers(0, n_nodes - 1)), draw(st.integers(0, n_nodes - 1)))))
        n_nodes += 1
    return leaves, steps


def evaluate(steps, leaves, unary):
    """Run the program; the output is the sum of the nodes nothing else used (broadcast to SHAPE)."""
    nodes, used = list(leaves), set()
    for name, args in steps:
        fn = unary[name] if name in unary else BINARY[name]
        nodes.append(fn(*[nodes[i] for i in args]))
        used.update(args)
    sinks = [n for i, n in enumerate(nodes) if i not in used and i >= len(leaves)]
    out = sinks[0]
    for n in sinks[1:]:
        out = out + n
    return out


@settings(max_examples=25)
@given(graph=expression_graphs())
def test_random_expression_graphs(xp_backend, graph):
    leaves, steps = graph
    fn = lambda *xs: evaluate(steps, xs, UNARY_MG)
    assert minigan.gradgradcheck(fn, _leaves(leaves), atol=1e-5, rtol=1e-4)
    if HAVE_TORCH:
        compare_double_backward(fn, lambda *xs: evaluate(steps, xs, UNARY_TORCH), leaves, rtol=1e-8)


# ----------------------------------------------------------------------------- third and fourth derivatives
def test_third_derivative_of_tanh(xp_backend):
    # t = tanh x:  t' = 1 − t²,  t'' = −2t(1 − t²),  t''' = −2(1 − t²)(1 − 3t²)
    xs = np.linspace(-2.0, 2.0, 9)
    x = minigan.tensor(xs, requires_grad=True)
    (d1,) = autograd.grad(x.tanh().sum(), x, create_graph=True)
    (d2,) = autograd.grad(d1.sum(), x, create_graph=True)
    (d3,) = autograd.grad(d2.sum(), x, create_graph=True)
    t = np.tanh(xs)
    np.testing.assert_allclose(d1.detach().cpu().numpy(), 1 - t**2, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(d2.detach().cpu().numpy(), -2 * t * (1 - t**2), rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(d3.detach().cpu().numpy(), -2 * (1 - t**2) * (1 - 3 * t**2), rtol=1e-12, atol=1e-14)
    assert d3.requires_grad  # and it could go on
    if HAVE_TORCH:
        tx = torch.tensor(xs, requires_grad=True)
        (e1,) = torch.autograd.grad(tx.tanh().sum(), tx, create_graph=True)
        (e2,) = torch.autograd.grad(e1.sum(), tx, create_graph=True)
        (e3,) = torch.autograd.grad(e2.sum(), tx)
        np.testing.assert_allclose(d3.detach().cpu().numpy(), e3.detach().cpu().numpy(), rtol=RTOL, atol=ATOL)


# ----------------------------------------------------------------------------- Hessian-vector products
def _mlp_data(rng):
    return {"x": rng.standard_normal((5, 3)), "y": rng.standard_normal((5, 2)),
            "params": [rng.standard_normal(s) * 0.7 for s in ((4, 3), (4,), (2, 4), (2,))],
            "v": [rng.standard_normal(s) for s in ((4, 3), (4,), (2, 4), (2,))]}


def _mlp_loss(lib_f, x, y):
    return lambda w1, b1, w2, b2: lib_f.mse_loss(lib_f.linear(lib_f.linear(x, w1, b1).tanh(), w2, b2), y)


def test_hvp_of_an_mlp_loss(xp_backend):
    d = _mlp_data(np.random.default_rng(3))
    f = _mlp_loss(F, minigan.tensor(d["x"]), minigan.tensor(d["y"]))
    params = _leaves(d["params"])
    hv = autograd.hvp(f, params, [minigan.tensor(v) for v in d["v"]])
    hv = np.concatenate([h.detach().cpu().numpy().reshape(-1) for h in hv])

    # the explicit Hessian, one row per parameter element by double backward
    gs = autograd.grad(f(*params), params, create_graph=True)
    flat = F.cat([g.reshape(-1) for g in gs])
    rows = []
    for k in range(flat.shape[0]):
        row = autograd.grad(flat[k], params, retain_graph=True, allow_unused=True)
        rows.append(np.concatenate([(np.zeros(p.shape) if h is None else h.detach().cpu().numpy()).reshape(-1)
                                    for h, p in zip(row, params)]))
    hessian = np.stack(rows)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-10, atol=1e-12)
    v = np.concatenate([a.reshape(-1) for a in d["v"]])
    np.testing.assert_allclose(hv, hessian @ v, rtol=1e-10, atol=1e-12)
    for p, a in zip(params, d["params"]):
        assert p.grad is None and np.array_equal(p.detach().cpu().numpy(), a)  # hvp leaves .grad and the values alone

    if HAVE_TORCH:
        tf = _mlp_loss(TF, torch.tensor(d["x"]), torch.tensor(d["y"]))
        _, thv = torch.autograd.functional.hvp(tf, tuple(torch.tensor(p) for p in d["params"]),
                                               tuple(torch.tensor(a) for a in d["v"]))
        np.testing.assert_allclose(hv, np.concatenate([t.detach().cpu().numpy().reshape(-1) for t in thv]), rtol=RTOL,
                                   atol=ATOL)


# ----------------------------------------------------------------------------- WGAN-GP gradient penalty
def _critic(lib_f, x, w1, b1, w2, b2, w3, b3):
    h = lib_f.leaky_relu(lib_f.linear(x, w1, b1), 0.2)
    h = lib_f.leaky_relu(lib_f.linear(h, w2, b2), 0.2)
    return lib_f.linear(h, w3, b3)


def _gradient_penalty(lib_f, grad_fn, mixed, critic_params, lam=10.0):
    (g,) = grad_fn(_critic(lib_f, mixed, *critic_params).sum(), mixed)  # ∇x̂ D(x̂), a graph in the weights
    norm = (g * g).sum(1).sqrt()  # ‖∇x̂ D(x̂)‖₂ per sample
    return lam * ((norm - 1) ** 2).mean()


@pytest.mark.parametrize("fake_from_generator", [False, True], ids=["mixed_is_a_leaf", "fake_from_generator"])
def test_wgan_gp_penalty_gradients(xp_backend, fake_from_generator):
    rng = np.random.default_rng(11)
    critic = [rng.standard_normal(s) * 0.8 for s in [(6, 3), (6,), (5, 6), (5,), (1, 5), (1,)]]
    real, fake = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    z, gen_w = rng.standard_normal((4, 2)), rng.standard_normal((3, 2))
    eps = rng.uniform(0, 1, (4, 1))

    def run(lib_f, tensor, grad_fn):
        params = [tensor(p, True) for p in critic]
        if fake_from_generator:  # x̂ is an intermediate of the generator's graph
            gen = tensor(gen_w, True)
            params.append(gen)
            mixed = tensor(eps, False) * tensor(real, False) + (1 - tensor(eps, False)) * lib_f.linear(
                tensor(z, False), gen)
        else:  # x̂ = ε·x + (1−ε)·x̃ made a leaf, as usual when x̃ is detached
            mixed = tensor(eps * real + (1 - eps) * fake, True)
        penalty = _gradient_penalty(lib_f, grad_fn, mixed, params[:6])
        penalty.backward()
        return float(penalty.detach()), [p.grad for p in params]

    value, grads = run(F, lambda a, r: minigan.tensor(a, requires_grad=r),
                       lambda y, x: autograd.grad(y, x, create_graph=True))
    # ∇x̂ D = W1ᵀ·slopes·W2ᵀ·slopes·W3ᵀ does not depend on x̂ (the slopes are piecewise constant): the
    # weights get a gradient; the biases and the generator, which only move x̂, get zeros (the slopes' masks stay
    # in the graph with derivative 0, as in PyTorch) or, the last bias, which ∇x̂ D does not contain, none
    assert value > 0 and all(grads[i] is not None and not grads[i].requires_grad and grads[i].numpy(force=True).any()
                             for i in (0, 2, 4))
    assert all(g is not None and not g.numpy(force=True).any() for g in grads[1:5:2] + grads[6:]) and grads[5] is None
    if not HAVE_TORCH:
        return
    tvalue, tgrads = run(TF, lambda a, r: torch.tensor(a, requires_grad=r),
                         lambda y, x: torch.autograd.grad(y, x, create_graph=True))
    np.testing.assert_allclose(value, tvalue, rtol=RTOL)
    for g, t, p in zip(grads, tgrads, critic + [gen_w]):
        assert (g is None) == (t is None)  # None where PyTorch has None, zeros where it has zeros
        ours = np.zeros(p.shape) if g is None else g.detach().cpu().numpy()
        theirs = np.zeros(p.shape) if t is None else t.detach().cpu().numpy()
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=ATOL)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph")  # torch's memory-cycle note
def test_backward_with_create_graph_gives_a_differentiable_grad(xp_backend):
    xs = np.array([0.5, -1.0, 2.0])
    x = minigan.tensor(xs, requires_grad=True)
    (x.tanh() * x.exp()).sum().backward(create_graph=True)
    assert x.grad.requires_grad and x.grad.grad_fn is not None
    (h,) = autograd.grad(x.grad.sum(), x)
    t, e = np.tanh(xs), np.exp(xs)
    # f = t e:  f' = (1 − t²) e + t e,  f'' = −2t(1 − t²) e + 2(1 − t²) e + t e
    np.testing.assert_allclose(h.numpy(force=True), -2 * t * (1 - t * t) * e + 2 * (1 - t * t) * e + t * e, rtol=1e-13)
    if HAVE_TORCH:
        tx = torch.tensor(xs, requires_grad=True)
        (tx.tanh() * tx.exp()).sum().backward(create_graph=True)
        (th,) = torch.autograd.grad(tx.grad.sum(), tx)
        np.testing.assert_allclose(h.detach().cpu().numpy(), th.detach().cpu().numpy(), rtol=RTOL, atol=ATOL)


def _in_place_pow(x):
    y = x**2  # Pow keeps its output only for the exponent's gradient: none here, so y may change
    y.sub_(x, alpha=0.5)
    return y.exp()


def _in_place_arithmetic(x):
    y = x * 2
    y.add_(x.tanh())
    y.mul_(x)
    return y * y


def _in_place_clamp_div(x):
    y = x * 1
    y.clamp_(-1.0, 1.0)
    y.div_(x.exp())
    return y**3


def _in_place_copy(x):
    y = x.exp()
    z = y * 1
    z.copy_(x * x)
    return z * y


IN_PLACE = [_in_place_pow, _in_place_arithmetic, _in_place_clamp_div, _in_place_copy]


@pytest.mark.parametrize("fn", IN_PLACE, ids=lambda f: f.__name__)
def test_in_place_ops_on_intermediates_have_second_derivatives(xp_backend, fn):
    xs = np.array([[0.3, -1.4, 2.0], [-0.5, 0.8, 1.6]])  # away from the clamp bounds
    assert minigan.gradgradcheck(fn, _leaves([xs]))
    if HAVE_TORCH:
        compare_double_backward(fn, SAME, [xs])
