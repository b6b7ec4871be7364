"""Each node saves what PyTorch's node saves, so that an in-place change before backward is refused exactly where
PyTorch refuses it ("one of the variables needed for gradient computation has been modified by an inplace
operation") and computes the same gradient where it does not.

The family: the differentiable ops of the surface (functions and methods, out-of-place and in-place forms, with
their tensor arguments: bounds, weights, targets, exponents).  Each runs on float64 leaves through a non-leaf
(``a = x * 1``; an operand that needs no gradient is a plain tensor), for each choice of which operands require grad;
then one of its tensor operands, or its output, is changed in place (``add_(0)``: the values stay, the version
moves), and autograd.grad asks for the leaves' gradients.  Both refuse (RuntimeError), or both give the same
gradients.

    python tests/pytorch/test_saved_versions.py        # the cases that differ, one line each (all choices)
"""

from __future__ import annotations

import itertools
import sys

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.oracle import AMINMAX_GRAD

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# An operand: a domain letter, then its shape if not (2, 3).  r: real; p: positive (0.5-2); u: in (0.15, 0.85);
# o: in (-0.8, 0.8); g: greater than 1.2; s: a sign (-1 or 1, a label); m: a mask (0 or 1 as float).  A "!" marks
# an operand PyTorch refuses to differentiate (a loss's weight or target): it never requires grad.
IDX = "torch.tensor([[0, 2, 1], [1, 0, 2]])"
OPS = {
    # one operand, elementwise
    "exp": ("a.exp()", "r"), "exp2": ("torch.exp2(a)", "r"), "expm1": ("torch.expm1(a)", "r"), "log": ("a.log()", "p"),
    "log2": ("a.log2()", "p"), "log10": ("torch.log10(a)", "p"), "log1p": ("a.log1p()", "p"), "sqrt": ("a.sqrt()", "p"),
    "rsqrt": ("a.rsqrt()", "p"), "reciprocal": ("a.reciprocal()", "p"), "sin": ("a.sin()", "r"),
    "cos": ("torch.cos(a)", "r"), "tan": ("a.tan()", "o"), "asin": ("a.asin()", "o"), "acos": ("a.acos()", "o"),
    "atan": ("a.atan()", "r"), "sinh": ("a.sinh()", "r"), "cosh": ("a.cosh()", "r"), "tanh": ("torch.tanh(a)", "r"),
    "asinh": ("torch.asinh(a)", "r"), "acosh": ("a.acosh()", "g"), "atanh": ("a.atanh()", "o"),
    "sigmoid": ("torch.sigmoid(a)", "r"), "erf": ("a.erf()", "r"), "erfc": ("a.erfc()", "r"),
    "erfinv": ("torch.erfinv(a)", "o"), "abs": ("a.abs()", "r"), "neg": ("-a", "r"), "square": ("a.square()", "r"),
    "pow3": ("a.pow(3)", "r"), "pow_frac": ("a ** 2.5", "p"), "rpow": ("2 ** a", "r"), "sign": ("a.sign()", "r"),
    "frac": ("a.frac()", "r"), "trunc": ("a.trunc()", "r"), "logit": ("torch.logit(a)", "u"),
    "logit_eps": ("torch.logit(a, eps=0.2)", "u"), "nan_to_num": ("torch.nan_to_num(a)", "r"),
    "deg2rad": ("torch.deg2rad(a)", "r"), "scale": ("a * 1.5", "r"), "div_num": ("a / 1.5", "r"),
    "rsub": ("2 - a", "r"), "clamp": ("a.clamp(-0.5, 0.5)", "r"), "clamp_min": ("a.clamp_min(0.1)", "r"),
    "clamp_max": ("torch.clamp_max(a, 0.1)", "r"), "xlogy_num": ("torch.xlogy(a, 2.0)", "r"),
    # activations
    "relu": ("torch.relu(a)", "r"), "relu6": ("F.relu6(a * 4)", "r"), "elu": ("F.elu(a)", "r"),
    "selu": ("F.selu(a)", "r"), "celu": ("F.celu(a, 0.5)", "r"), "leaky_relu": ("F.leaky_relu(a, 0.1)", "r"),
    "gelu": ("F.gelu(a)", "r"), "gelu_tanh": ("F.gelu(a, approximate='tanh')", "r"), "silu": ("F.silu(a)", "r"),
    "mish": ("F.mish(a)", "r"), "softplus": ("F.softplus(a, beta=2.0)", "r"), "softsign": ("F.softsign(a)", "r"),
    "logsigmoid": ("F.logsigmoid(a)", "r"), "hardtanh": ("F.hardtanh(a, -0.5, 0.5)", "r"),
    "hardswish": ("F.hardswish(a * 3)", "r"), "hardsigmoid": ("F.hardsigmoid(a * 3)", "r"),
    "tanhshrink": ("F.tanhshrink(a)", "r"), "softshrink": ("F.softshrink(a, 0.3)", "r"),
    "hardshrink": ("F.hardshrink(a, 0.3)", "r"), "threshold": ("F.threshold(a, 0.1, -1.0)", "r"),
    "prelu": ("F.prelu(a, b)", "r p:3"), "glu": ("F.glu(a, -1)", "r:2,4"), "softmax": ("a.softmax(-1)", "r"),
    "log_softmax": ("F.log_softmax(a, 0)", "r"), "softmin": ("F.softmin(a, 1)", "r"),
    "normalize": ("F.normalize(a, dim=1)", "r"),
    # two or three operands, elementwise
    "add": ("a + b", "r r"), "add_alpha": ("torch.add(a, b, alpha=2)", "r r"), "sub": ("a - b", "r r"),
    "mul": ("a * b", "r r"), "div": ("a / b", "r p"), "true_divide": ("torch.true_divide(a, b)", "r p"),
    "pow_tensor": ("torch.pow(a, b)", "p r"), "pow_number_base": ("torch.pow(2.0, b)", "r r"),
    "atan2": ("torch.atan2(a, b)", "r r"), "hypot": ("torch.hypot(a, b)", "r r"),
    "maximum": ("torch.maximum(a, b)", "r r"), "minimum": ("torch.minimum(a, b)", "r r"),
    "logaddexp": ("torch.logaddexp(a, b)", "r r"), "xlogy": ("torch.xlogy(a, b)", "r p"),
    "fmod": ("torch.fmod(a, b)", "r p"), "remainder": ("torch.remainder(a, b)", "r p"),
    "lerp": ("torch.lerp(a, b, 0.3)", "r r"), "lerp_tensor": ("torch.lerp(a, b, c)", "r r u"),
    "addcmul": ("torch.addcmul(a, b, c, value=0.5)", "r r r"), "addcdiv": ("torch.addcdiv(a, b, c)", "r r p"),
    "where": ("torch.where(c > 0, a, b)", "r r r"), "masked_fill": ("a.masked_fill(b > 0, 0.5)", "r r"),
    "masked_fill_tensor": ("a.masked_fill(c > 0, b)", "r r: r"), "clamp_tensor": ("torch.clamp(a, min=b)", "r r"),
    "clamp_tensor_max": ("a.clamp(max=b)", "r r"), "clamp_tensor2": ("a.clamp(b, c)", "r r g"),
    "clamp_min_tensor": ("a.clamp_min(b)", "r r"), "clamp_max_tensor": ("torch.clamp_max(a, b)", "r r"),
    "clip_tensor": ("torch.clip(a, b, c)", "r r g"), "dist": ("torch.dist(a, b)", "r r"),
    "dist3": ("torch.dist(a, b, 3)", "r r"),
    # reductions and scans
    "sum": ("a.sum()", "r"), "sum_dim": ("a.sum(1)", "r"), "mean": ("a.mean(0)", "r"), "prod": ("a.prod(1)", "r"),
    "prod_all": ("a.prod()", "r"), "amax": ("a.amax(1)", "r"), "amin": ("a.amin()", "r"),
    "max_dim": ("a.max(1).values", "r"), "max_all": ("a.max()", "r"), "min_dim": ("a.min(0)[0]", "r"),
    "logsumexp": ("a.logsumexp(1)", "r"), "var": ("a.var(1)", "r"), "std": ("a.std()", "r"),
    "var_mean": ("torch.var_mean(a, 1)[0]", "r"), "std_mean": ("torch.std_mean(a)[0]", "r"), "norm": ("a.norm()", "r"),
    "norm1": ("a.norm(p=1, dim=1)", "r"), "norm3": ("a.norm(p=3)", "r"),
    "vector_norm3": ("torch.linalg.vector_norm(a, ord=3, dim=1)", "r"),
    "vector_norm_inf": ("torch.linalg.vector_norm(a, ord=float('inf'))", "r"),
    "matrix_norm": ("torch.linalg.matrix_norm(a)", "r"), "cumsum": ("a.cumsum(1)", "r"),
    "cumprod": ("a.cumprod(1)", "r"), "logcumsumexp": ("a.logcumsumexp(1)", "r"), "cummax": ("a.cummax(1).values", "r"),
    "cummin": ("torch.cummin(a, 0)[0]", "r"), "median": ("a.median(1).values", "r"), "median_all": ("a.median()", "r"),
    "topk": ("a.topk(2, 1).values", "r"), "sort": ("a.sort(1).values", "r"),
    "kthvalue": ("a.kthvalue(2, 1).values", "r"), "quantile": ("torch.quantile(a, 0.3, dim=1)", "r"),
    "nansum": ("a.nansum(1)", "r"), "nanmean": ("torch.nanmean(a)", "r"), "trace": ("torch.trace(a)", "r"),
    "aminmax": ("torch.aminmax(a).max", "r"), "diff": ("a.diff(dim=1)", "r"), "diag": ("torch.diag(a)", "r"),
    # reductions and scans of a 0-d tensor (some doors take another path for one entry)
    "prod_0d": ("a.prod()", "r:"), "prod_dim_0d": ("a.prod(0)", "r:"), "amax_0d": ("a.amax()", "r:"),
    "amin_0d": ("a.amin()", "r:"), "max_0d": ("a.max()", "r:"), "median_0d": ("a.median()", "r:"),
    "norm_0d": ("a.norm()", "r:"), "norm1_0d": ("a.norm(p=1)", "r:"),
    "vector_norm3_0d": ("torch.linalg.vector_norm(a, 3)", "r:"), "logsumexp_0d": ("a.logsumexp(0)", "r:"),
    "softmax_0d": ("a.softmax(0)", "r:"), "cumprod_0d": ("a.cumprod(0)", "r:"),
    "cummax_0d": ("a.cummax(0).values", "r:"), "var_0d": ("a.var(correction=0)", "r:"),
    "std_0d": ("a.std(correction=0)", "r:"), "sigmoid_0d": ("a.sigmoid()", "r:"),
    "mse_loss_0d": ("F.mse_loss(a, b)", "r: r:"),
    # products
    "matmul": ("a @ b", "r r:3,2"), "mm": ("torch.mm(a, b)", "r r:3,2"), "mv": ("torch.mv(a, b)", "r r:3"),
    "dot": ("torch.dot(a, b)", "r:3 r:3"), "outer": ("torch.outer(a, b)", "r:3 r:2"),
    "bmm": ("torch.bmm(a, b)", "r:2,2,3 r:2,3,2"), "einsum": ("torch.einsum('ij,jk->ik', a, b)", "r r:3,2"),
    "tensordot": ("torch.tensordot(a, b, dims=1)", "r r:3,2"), "inner": ("torch.inner(a, b)", "r r"),
    "linear": ("F.linear(a, b)", "r r:4,3"), "linear_bias": ("F.linear(a, b, c)", "r r:4,3 r:4"),
    "addmm": ("torch.addmm(c, a, b, beta=0.5, alpha=2.0)", "r r:3,2 r:2,2"),
    "addmv": ("torch.addmv(c, a, b)", "r r:3 r:2"), "addr": ("torch.addr(c, a, b)", "r:2 r:3 r"),
    "baddbmm": ("torch.baddbmm(c, a, b)", "r:2,2,3 r:2,3,2 r:2,2,2"), "cdist": ("torch.cdist(a, b)", "r r:4,3"),
    "cross": ("torch.linalg.cross(a, b)", "r r"), "matrix_power": ("torch.matrix_power(a, 2)", "r:3,3"),
    # indexing and joining
    "gather": (f"a.gather(1, {IDX})", "r"), "scatter": (f"a.scatter(1, {IDX}, b)", "r r"),
    "scatter_add": (f"a.scatter_add(1, {IDX}, b)", "r r"),
    "index_select": ("a.index_select(1, torch.tensor([2, 0]))", "r"),
    "index_add": ("a.index_add(0, torch.tensor([1, 0]), b)", "r r"),
    "index_copy": ("a.index_copy(0, torch.tensor([1, 0]), b)", "r r"),
    "index_fill": ("a.index_fill(1, torch.tensor([1]), b[0, 0])", "r r"),
    "index_put": ("torch.index_put(a, (torch.tensor([1, 0]),), b)", "r r"), "take": ("torch.take(a, " + IDX + ")", "r"),
    "take_along_dim": (f"torch.take_along_dim(a, {IDX}, 1)", "r"), "masked_select": ("a.masked_select(b > 0)", "r r"),
    "cat": ("torch.cat([a, b], 1)", "r r"), "stack": ("torch.stack([a, b])", "r r"), "getitem": ("a[b > 0]", "r r"),
    "index": ("a[:, [2, 0]]", "r"),
    # losses
    "mse_loss": ("F.mse_loss(a, b)", "r r"), "l1_loss": ("F.l1_loss(a, b, reduction='none')", "r r"),
    "smooth_l1_loss": ("F.smooth_l1_loss(a, b, beta=0.5)", "r r"),
    "huber_loss": ("F.huber_loss(a, b, delta=0.7)", "r r"), "bce": ("F.binary_cross_entropy(a, b)", "u u"),
    "bce_weight": ("F.binary_cross_entropy(a, b, weight=c)", "u u p!"),
    "bce_logits": ("F.binary_cross_entropy_with_logits(a, b)", "r u"),
    "bce_logits_weight": ("F.binary_cross_entropy_with_logits(a, b, weight=c)", "r u p!"),
    "bce_logits_pos_weight": ("F.binary_cross_entropy_with_logits(a, b, pos_weight=c)", "r u p:3!"),
    "kl_div": ("F.kl_div(a, b, reduction='batchmean')", "r u"),
    "kl_div_log_target": ("F.kl_div(a, b, reduction='sum', log_target=True)", "r r"),
    "cross_entropy": ("F.cross_entropy(a, torch.tensor([2, 0]))", "r"),
    "cross_entropy_weight": ("F.cross_entropy(a, torch.tensor([2, 0]), weight=b)", "r p:3!"),
    "cross_entropy_prob": ("F.cross_entropy(a, b)", "r u"),
    "cross_entropy_smooth": ("F.cross_entropy(a, torch.tensor([2, 0]), label_smoothing=0.1)", "r"),
    "nll_loss": ("F.nll_loss(a, torch.tensor([2, 0]))", "r"),
    "nll_loss_weight": ("F.nll_loss(a, torch.tensor([2, 0]), weight=b)", "r p:3!"),
    "soft_margin_loss": ("F.soft_margin_loss(a, b)", "r s!"), "poisson_nll": ("F.poisson_nll_loss(a, b)", "r p"),
    "poisson_nll_full": ("F.poisson_nll_loss(a, b, log_input=False, full=True)", "p g"),
    "gaussian_nll": ("F.gaussian_nll_loss(a, b, c)", "r r p"),
    "cosine_similarity": ("F.cosine_similarity(a, b, dim=-1)", "r r"),
    "pairwise_distance": ("F.pairwise_distance(a, b)", "r r"),
    "margin_ranking": ("F.margin_ranking_loss(a, b, c)", "r r s"),
    "hinge_embedding": ("F.hinge_embedding_loss(a, b)", "r s"),
    "cosine_embedding": ("F.cosine_embedding_loss(a, b, c)", "r r s:2"),
    "triplet_margin": ("F.triplet_margin_loss(a, b, c)", "r r r"),
    "multilabel_soft_margin": ("F.multilabel_soft_margin_loss(a, b)", "r m"),
    # normalization, convolution, pooling, resampling
    "layer_norm": ("F.layer_norm(a, (3,))", "r"), "layer_norm_affine": ("F.layer_norm(a, (3,), b, c)", "r r:3 r:3"),
    "rms_norm": ("F.rms_norm(a, (3,), b)", "r r:3"),
    "batch_norm": ("F.batch_norm(a, None, None, b, c, training=True)", "r r:3 r:3"),
    "group_norm": ("F.group_norm(a, 1, b, c)", "r:2,2,3 r:2 r:2"),
    "instance_norm": ("F.instance_norm(a, weight=b, bias=c)", "r:2,2,3 r:2 r:2"),
    "conv1d": ("F.conv1d(a, b, c, padding=1)", "r:1,2,3 r:2,2,2 r:2"),
    "conv2d": ("F.conv2d(a, b, c)", "r:1,1,3,3 r:2,1,2,2 r:2"),
    "conv_transpose1d": ("F.conv_transpose1d(a, b, c)", "r:1,2,3 r:2,1,2 r:1"),
    "avg_pool1d": ("F.avg_pool1d(a, 2)", "r:1,2,4"), "max_pool1d": ("F.max_pool1d(a, 2)", "r:1,2,4"),
    "max_pool2d": ("F.max_pool2d(a, 2)", "r:1,1,4,4"),
    "adaptive_avg_pool1d": ("F.adaptive_avg_pool1d(a, 2)", "r:1,2,5"),
    "adaptive_max_pool1d": ("F.adaptive_max_pool1d(a, 2)", "r:1,2,5"), "pad": ("F.pad(a, (1, 2))", "r"),
    "pad_reflect": ("F.pad(a, (1, 1), mode='reflect')", "r:1,2,3"),
    "interpolate": ("F.interpolate(a, scale_factor=2, mode='linear')", "r:1,2,3"),
    "embedding": ("F.embedding(" + IDX + ", a)", "r:3,2"), "pixel_shuffle": ("F.pixel_shuffle(a, 2)", "r:1,4,2,2"),
    "unfold": ("F.unfold(a, 2)", "r:1,1,3,3"),
    # in-place forms (the first operand is written: changing it later is changing the output)
    "add_": ("a.add_(b)", "r r"), "sub_": ("a.sub_(b, alpha=2)", "r r"), "mul_": ("a.mul_(b)", "r r"),
    "mul_num_": ("a.mul_(1.5)", "r"), "div_": ("a.div_(b)", "r p"), "div_num_": ("a.div_(1.5)", "r"),
    "pow_": ("a.pow_(b)", "p r"), "pow_num_": ("a.pow_(3)", "r"), "atan2_": ("a.atan2_(b)", "r r"),
    "hypot_": ("a.hypot_(b)", "r r"), "lerp_": ("a.lerp_(b, 0.3)", "r r"), "lerp_tensor_": ("a.lerp_(b, c)", "r r u"),
    "addcmul_": ("a.addcmul_(b, c)", "r r r"), "addcdiv_": ("a.addcdiv_(b, c)", "r r p"),
    "clamp_": ("a.clamp_(-0.5, 0.5)", "r"), "clamp_min_": ("a.clamp_(min=b)", "r r"),
    "clamp_max_": ("a.clamp_(max=b)", "r r"), "clamp_both_": ("a.clamp_(b, c)", "r r g"),
    "clamp_min_method_": ("a.clamp_min_(b)", "r r"), "clamp_max_method_": ("a.clamp_max_(b)", "r r"),
    "clip_": ("a.clip_(b, c)", "r r g"), "copy_": ("a.copy_(b)", "r r"),
    "masked_fill_": ("a.masked_fill_(b > 0, 0.5)", "r r"),
    "masked_fill_tensor_": ("a.masked_fill_(c > 0, b)", "r r: r"), "fill_": ("a.fill_(b)", "r r:"),
    "zero_": ("a.zero_()", "r"), "exp_": ("a.exp_()", "r"), "sigmoid_": ("a.sigmoid_()", "r"),
    "tanh_": ("a.tanh_()", "r"), "relu_": ("a.relu_()", "r"), "sin_": ("a.sin_()", "r"), "cos_": ("a.cos_()", "r"),
    "sqrt_": ("a.sqrt_()", "p"), "rsqrt_": ("a.rsqrt_()", "p"), "square_": ("a.square_()", "r"),
    "abs_": ("a.abs_()", "r"), "neg_": ("a.neg_()", "r"), "reciprocal_": ("a.reciprocal_()", "p"),
    "log_": ("a.log_()", "p"), "log1p_": ("a.log1p_()", "p"), "expm1_": ("a.expm1_()", "r"), "erf_": ("a.erf_()", "r"),
    "erfinv_": ("a.erfinv_()", "o"), "asinh_": ("a.asinh_()", "r"), "atan_": ("a.atan_()", "r"),
    "sinh_": ("a.sinh_()", "r"), "xlogy_": ("a.xlogy_(b)", "r p"), "fmod_": ("a.fmod_(b)", "r p"),
    "remainder_": ("a.remainder_(b)", "r p"), "logit_": ("a.logit_()", "u"), "nan_to_num_": ("a.nan_to_num_()", "r"),
    "frac_": ("a.frac_()", "r"), "trunc_": ("a.trunc_()", "r"), "sign_": ("a.sign_()", "r"),
    "relu_inplace": ("F.relu(a, inplace=True)", "r"), "leaky_relu_inplace": ("F.leaky_relu(a, 0.1, inplace=True)", "r"),
    "elu_inplace": ("F.elu(a, inplace=True)", "r"), "hardtanh_inplace": ("F.hardtanh(a, -0.5, 0.5, inplace=True)", "r"),
    "threshold_inplace": ("F.threshold(a, 0.1, -1.0, inplace=True)", "r"),
    "silu_inplace": ("F.silu(a, inplace=True)", "r"), "hardswish_inplace": ("F.hardswish(a, inplace=True)", "r"),
    "hardsigmoid_inplace": ("F.hardsigmoid(a, inplace=True)", "r"), "selu_inplace": ("F.selu(a, inplace=True)", "r"),
    "celu_inplace": ("F.celu(a, inplace=True)", "r"), "mish_inplace": ("F.mish(a, inplace=True)", "r"),
    "scatter_": (f"a.scatter_(1, {IDX}, b)", "r r"), "scatter_add_": (f"a.scatter_add_(1, {IDX}, b)", "r r"),
    "index_add_": ("a.index_add_(0, torch.tensor([1, 0]), b)", "r r"),
    "index_copy_": ("a.index_copy_(0, torch.tensor([1, 0]), b)", "r r"),
    "index_fill_": ("a.index_fill_(1, torch.tensor([1]), 0.5)", "r"),
    "index_put_": ("a.index_put_((torch.tensor([1, 0]),), b)", "r r"), "addmm_": ("a.addmm_(b, c)", "r:2,2 r r:3,2"),
    "setitem": ("[a.__setitem__(0, b[1]), a][1]", "r r"),
    "setitem_mask": ("[a.__setitem__(b > 0, c[b > 0]), a][1]", "r r r"), "tril_": ("a.tril_()", "r"),
}


def _values(domain, shape, rng):
    n = int(np.prod(shape, dtype=int))
    steps = np.arange(n).reshape(shape) * 1e-3  # (no two entries alike: no ties at max, sort, median)
    if domain == "r":
        return np.round(rng.normal(size=shape), 3) + steps
    if domain == "s":
        return np.where(rng.random(shape) < 0.5, -1.0, 1.0)
    if domain == "m":
        return (rng.random(shape) < 0.5).astype(float)
    low, high = {"p": (0.5, 2.0), "u": (0.15, 0.85), "o": (-0.8, 0.8), "g": (1.2, 3.0)}[domain]
    return np.round(rng.uniform(low, high, size=shape), 3) + steps


def _operands(name):
    """Each operand's values, from its domain and shape (fixed by the op's name)."""
    rng = np.random.default_rng(sum(map(ord, name)))
    out = []
    for token in OPS[name][1].split():
        domain, _, shape = token.rstrip("!").partition(":")
        shape = tuple(int(n) for n in shape.split(",") if n) if _ else (2, 3)
        out.append(_values(domain, shape, rng))
    return out


def _run(lib, name, grads, changed, create_graph=False):
    """The leaves' gradients (arrays) after the op, with ``changed`` (an operand's index, or "out") changed in place
    before autograd.grad; or the exception's class where the library refuses."""
    values = _operands(name)
    leaves = [lib.tensor(v, dtype=lib.float64, requires_grad=k in grads) for k, v in enumerate(values)]
    operands = [x * 1 for x in leaves]  # (a non-leaf where it requires grad, so that in-place changes are allowed)
    names = dict(zip("abc", operands), torch=lib, F=lib.nn.functional)
    out = eval(OPS[name][0], names)  # noqa: S307  (the catalogue's own expressions)
    out = out[0] if isinstance(out, tuple) else out
    if not out.requires_grad:
        return "no gradient"
    (out if changed == "out" else operands[changed]).add_(0)
    weight = lib.tensor(np.random.default_rng(7).normal(size=tuple(out.shape)), dtype=lib.float64)
    wanted = [leaves[k] for k in grads]
    try:
        got = lib.autograd.grad((out * weight).sum(), wanted, allow_unused=True, create_graph=create_graph)
    except RuntimeError:
        return "RuntimeError"
    return [np.zeros(x.shape) if g is None else g.detach().numpy() for x, g in zip(wanted, got)]


def _cases():
    for name, (_, spec) in OPS.items():
        n = len(spec.split())
        differentiable = [k for k, token in enumerate(spec.split()) if not token.endswith("!")]
        for r in range(1, len(differentiable) + 1):
            for grads in itertools.combinations(differentiable, r):
                for changed in [*range(n), "out"]:
                    yield name, grads, changed


CASES = list(_cases())
# The default suite runs each op with all its differentiable operands requiring grad, every 7th such case (and each
# op, each operand and the output changed); all of them, and the other choices of operands, run under -m parity.
EVERY = {name: tuple(k for k, token in enumerate(spec.split()) if not token.endswith("!")) for name, (_, spec) in
         OPS.items()}
PARAMS = default_slice([pytest.param(*case, id=f"{case[0]}-{''.join(map(str, case[1]))}-{case[2]}") for case in CASES
                        if case[1] == EVERY[case[0]]], 7, cover=("each",)) + [
    pytest.param(*case, id=f"{case[0]}-{''.join(map(str, case[1]))}-{case[2]}", marks=pytest.mark.parity)
    for case in CASES if case[1] != EVERY[case[0]]]


def _differs(name, grads, changed):
    """None where minigan agrees with PyTorch, else what differs."""
    want = _run(torch, name, grads, changed)
    got = _run(minigan, name, grads, changed)
    if isinstance(want, str) or isinstance(got, str):
        return None if got == want else f"PyTorch: {want if isinstance(want, str) else 'computes'}, minigan: " \
                                         f"{got if isinstance(got, str) else 'computes'}"
    for g, w in zip(got, want):
        if not np.allclose(g, w, rtol=1e-9, atol=1e-12, equal_nan=True):
            return f"gradient differs: {g.ravel()[:4]} against {w.ravel()[:4]}"
    return None


@pytest.mark.parametrize("name, grads, changed", PARAMS)
def test_refused_where_pytorch_refuses(name, grads, changed):
    difference = _differs(name, grads, changed)
    assert difference is None, f"{OPS[name][0]} (operands {grads} require grad, {changed} changed): {difference}"


if __name__ == "__main__":
    failed = 0
    for case in CASES:
        try:
            why = _differs(*case)
        except Exception as e:  # noqa: BLE001
            why = f"raised {type(e).__name__}: {str(e)[:150]}"
        if why:
            failed += 1
            print(*case, why)
    print(f"{failed} of {len(CASES)} differ")
    sys.exit(1 if failed else 0)


# A view made under no_grad of a tensor that requires grad: it requires grad (its base does) but has no grad_fn,
# so PyTorch starts no backward from it (RuntimeError); used in a later op, it is a constant there.
VIEWS = ["v.squeeze()", "v[..., -1]", "v.swapaxes(0, 1)", "torch.broadcast_to(v, (2, 2, 3))", "v[1:]", "v.t()",
         "v.reshape(-1)", "v.expand(2, 2, 3)", "v.unsqueeze(0)", "v.view(3, 2)", "v[0]", "v.narrow(1, 0, 2)",
         "v.transpose(0, 1)", "v.movedim(0, 1)", "v.unflatten(1, (1, 3))", "torch.linalg.diagonal(v)", "v.split(1)[0]",
         "v.chunk(2, 1)[1]", "v.unbind(0)[1]", "v.detach()", "v.mT", "v.flatten()"]


def _no_grad_view(lib, view, base, use):
    x = lib.tensor([[0.3, -1.2, 0.7], [1.1, 0.4, -0.5]], dtype=lib.float64, requires_grad=True)
    v = x if base == "leaf" else x * 2
    with lib.no_grad():
        out = eval(view, {"v": v, "torch": lib})  # noqa: S307  (the list's own expressions)
    try:
        if use == "backward":
            out.sum().backward() if out.numel() == 1 else out.backward(lib.ones_like(out))
            return "computes", out.requires_grad
        if use == "grad":
            return "computes", lib.autograd.grad(out, [x], lib.ones_like(out), allow_unused=True)[0] is None
        return "computes", lib.autograd.grad(((out * 2).sum() + (v * v).sum()), [x])[0].detach().numpy().tolist()
    except RuntimeError:
        return "RuntimeError", out.requires_grad


# Every 5th case by default (and each view, each base with each use), the rest under -m parity
@pytest.mark.parametrize("view, base, use", default_slice(
    [(view, base, use) for view in VIEWS for base in ["leaf", "non-leaf"] for use in ["backward", "grad", "later op"]],
    5, cover=("each", lambda view, base, use: (base, use))))
def test_no_grad_view_starts_no_backward(view, base, use):
    assert _no_grad_view(minigan, view, base, use) == _no_grad_view(torch, view, base, use)



# A write through .data between forward and backward (no version change): PyTorch's backward reads what its node
# saved, new values and all; a node that kept constants made in forward (masks, a copy) computes with the old ones.
# Each op with every operand requiring grad, one leaf written through .data (+0.25) after the forward.
DATA_OPEN = set()  # (op:operand whose nodes still compute from forward's constants: an open class, counted here)


def _after_data_write(lib, name, k):
    values, spec = _operands(name), OPS[name][1].split()
    leaves = [lib.tensor(v, dtype=lib.float64, requires_grad=not s.endswith("!")) for v, s in zip(values, spec)]
    out = eval(OPS[name][0], dict(zip("abc", leaves), torch=lib, F=lib.nn.functional))  # noqa: S307
    out = out[0] if isinstance(out, tuple) else out
    leaves[k].data.add_(0.25)
    weight = lib.tensor(np.random.default_rng(7).normal(size=tuple(out.shape)), dtype=lib.float64)
    wanted = [x for x in leaves if x.requires_grad]
    try:
        got = lib.autograd.grad((out * weight).sum(), wanted, allow_unused=True)
    except RuntimeError:
        return "RuntimeError"
    return [np.zeros(x.shape) if g is None else g.detach().numpy() for x, g in zip(wanted, got)]


DATA_CASES = [(name, k) for name, (code, spec) in OPS.items() for k in range(len(spec.split()))
              if not (name.endswith("_") or "inplace" in name or name.startswith("setitem"))]


# Every 5th case by default (and each op), the rest under -m parity
@pytest.mark.parametrize("name, k", default_slice([pytest.param(n, k, id=f"{n}-{k}", marks=[AMINMAX_GRAD] if n ==
                                                                "aminmax" else []) for n, k in DATA_CASES], 5,
                                                  cover=(lambda n, k: n,)))
def test_a_data_write_is_read_as_pytorch_reads_it(name, k):
    with np.errstate(invalid="ignore", divide="ignore"):
        want, got = _after_data_write(torch, name, k), _after_data_write(minigan, name, k)
    if isinstance(want, str) or isinstance(got, str):
        same = got == want
    else:
        same = all(np.allclose(g, w, rtol=1e-9, atol=1e-12, equal_nan=True) for g, w in zip(got, want))
    if not same and f"{name}:{k}" in DATA_OPEN:
        pytest.xfail(f"{name}: its node computes from constants kept in forward (open)")
    assert same, f"{OPS[name][0]}, operand {k} written through .data: minigan {got}, PyTorch {want}"
