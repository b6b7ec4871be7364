"""Every call of every row of minigan/surface/ops.py against PyTorch, on drawn tensors (tests/pytorch/sweep.py).

A row's ``calls`` are PyTorch's own spelling on the probe names (x, y (2, 3), v (3,), w (3, 2), img (2, 2, 4, 4),
k (2, 2, 3, 3), p (2, 3) in [0, 1], i (2,) indices), so each is evaluated twice: where ``minigan`` is minigan and
``F`` minigan.nn.functional, and where they are torch and torch.nn.functional.  The rows are read when the tests
are collected: a new row's calls are swept as they are written.  ``EXTRA`` adds calls of ops the rows do not hold
yet, and ``POINTS`` a case list of special inputs (the points where a function is defined by cases).

A draw (``Draw``) is one set of probe tensors: a dtype (float64, float32, float16, int64), the values (positive,
signed, special: ±0, ±inf, NaN, the smallest subnormal, the largest finite; kinks: 0, ±1, the clamp bounds, y = x
in places), the layout of the floating probes (contiguous, transposed, expanded from size 1, a view into a larger
tensor), their shapes (the probes', y (2, 1) broadcast against x, x (1, 3) broadcast against y, size 1, empty, 0-d;
the probes keep their roles: x and y broadcast together, w multiplies x, i indexes x's rows and classes) and the
grad mode (the leaves require grad, or not, or they do and the call runs under no_grad); and the case list's points
in float64 and float32.  What is compared: the
outcome's class where PyTorch refuses; the result's dtype, shape and values (bit for bit, each zero's sign too,
where PyTorch's kernel is exact: ``EXACT``; else within a tolerance or as near PyTorch's float64 answer as its own,
and each zero's sign); its strides (of the axes longer than 1, as test_image_op_layout.py compares them), whether
it requires grad and its ``grad_fn`` name; whether an in-place call returns its tensor, x's version counter and the
tensor x is a view of, after the call; the gradients of Σ w·out (float64: to the second order, ``to_second_order``).

The default run makes each call of each row once, each on another draw; ``-m parity`` makes each on every draw.
A difference from PyTorch found here is a strict xfail with its reason (``KNOWN``): one docs/pytorch.md names, or a
bug of minigan's."""

from __future__ import annotations

import itertools
import re
import zlib
from typing import NamedTuple

import numpy as np
import pytest

from pytorch.sweep import bits, close, near, outcome, sweep, to_second_order

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from minigan.surface import ops  # noqa: E402

FLOAT_ROLES = ("x", "y", "v", "w", "img", "k")
SHAPES = {  # a draw's shapes: the roles' shapes where they differ from the probes'
    "probe": {},
    "y broadcast": {"y": (2, 1)},
    "x broadcast": {"x": (1, 3), "p": (1, 3), "i": (1,)},
    "size 1": {"x": (1, 3), "y": (1, 3), "p": (1, 3), "i": (1,)},
    "empty": {"x": (0, 3), "y": (0, 3), "p": (0, 3), "i": (0,), "img": (0, 2, 4, 4)},
    "0-d": {"x": (), "y": (), "p": (), "i": ()},
}
PROBES = {"x": (2, 3), "y": (2, 3), "v": (3,), "w": (3, 2), "img": (2, 2, 4, 4), "k": (2, 2, 3, 3), "p": (2, 3),
          "i": (2,)}
# the layouts and the shapes each is drawn with
STRUCTURES = [("contiguous", shape) for shape in SHAPES] + [
    ("transposed", "probe"), ("transposed", "y broadcast"), ("expanded", "probe"), ("view", "probe"), ("view", "0-d")]
VALUES = ("positive", "signed", "special", "kinks")
DTYPES = ("float64", "float32", "float16", "int64")
GRAD_MODES = ("grad", "plain", "no_grad")


class Draw(NamedTuple):
    dtype: str
    grad: str
    values: str
    layout: str
    shape: str

    def __repr__(self):
        return f"{self.dtype}-{self.grad}-{self.values}-{self.layout}-{self.shape.replace(' ', '_')}"


# The case list of special inputs, drawn as "points" in float64 and float32 in each grad mode: x the points (two rows),
# y the same reversed or, given a pair, the second list: the edges of the elementwise functions' domains, the kinks of
# the piecewise ones (relu's 0, relu6's 6, hardsigmoid's ±3, hardtanh's ±1 ...), where a formula's derivative is 0·∞
# or 0/0 and PyTorch picks a value (xlogy, atan2, a norm of zeros), and constant rows (std's gradient 0 there)
INF, NAN = float("inf"), float("nan")
POINTS = {
    "edges": [-0.0, 0.0, -1e-300, 1e-300, -5e-324, -0.25, 0.5, -1.0, 1.0, -3.0, 2.5, -INF, INF, NAN],
    "kinks": [-6.0, -3.0, -1.5, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 3.0, 4.0, 6.0, 7.0, -0.0],
    "xlogy": ([0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 2.0, -1.0, 0.5, 0.0],
              [0.0, 2.0, -1.0, NAN, INF, 0.0, 3.0, 2.0, 0.25, 1.0]),
    "atan2": ([0.0, 0.0, 1.0, -0.0, 2.0, -0.0], [0.0, -0.0, 0.0, 1.0, -3.0, -0.0]),
    "zeros": ([0.0, 0.0, 0.0, 0.0, 1.0, -2.0], [1.0, 2.0, 3.0, 0.0, 0.0, 0.0]),
    "constant": ([1.0, 1.0, 1.0, 0.0, 0.0, 0.0], [1.0, 2.0, 4.0, 1.0, 1.0, 1.0]),
}
DRAWS = [Draw(dtype, grad, values, layout, shape) for dtype in DTYPES
         for grad in (GRAD_MODES if dtype != "int64" else ("plain",)) for values in VALUES
         for layout, shape in STRUCTURES] + [
    Draw(dtype, grad, f"{name} points", "contiguous", "points") for name in POINTS for dtype in ("float64", "float32")
    for grad in GRAD_MODES]

# The nodes whose kernels PyTorch computes exactly (one rounding of the exact answer, or none): their results are
# compared bit for bit; the others within TOLERANCE or as near PyTorch's float64 answer as PyTorch's own
EXACT = {"Add", "Sub", "Mul", "Div", "Maximum", "Minimum", "Neg", "Abs", "Sign", "Clone", "Cast", "Where",
         "Clamp", "Fill", "ClampBy", "Hardtanh", "ReLU", "LeakyReLU", "Reshape", "BroadcastTo", "Transpose", "GetItem",
         "IndexPut", "CopySlices", "Cat", "Pad"}
TOLERANCE = {"float64": 1e-12, "float32": 2e-6, "float16": 2e-3, "bfloat16": 1e-2}  # (by the result's dtype)
# to_second_order's (rtol, atol) of the first order and of the second, by the result's dtype (float64 leaves)
SECOND_ORDER_TOLERANCE = {"float64": (None, None), "float32": ((1e-4, 1e-5), (5e-3, 1e-4)),
                          "float16": ((1e-2, 1e-3), (5e-2, 1e-2)), "bfloat16": ((5e-2, 1e-2), (1e-1, 5e-2))}

# Calls of ops without a row yet, swept as a row's (by the name their node will have)
EXTRA = {
    "Reshape": ("x.reshape(-1)",),
    # logsumexp's dim has no default in PyTorch (a TypeError without one); NumPy's spelling aside
    "LogSumExp": ("x.logsumexp()", "x.logsumexp(keepdim=True)", "minigan.logsumexp(x)", "x.logsumexp(0)",
                  "x.logsumexp(dim=(0, 1))", "minigan.logsumexp(x, -1, True)"),
    # prod and cumprod of every dim, keepdim, dtype=, and of integers and bools (int64 results)
    "Prod": ("minigan.prod(x, 1, keepdim=True)", "x.prod(0)", "minigan.prod(x, dtype=minigan.float64)",
             "x.to(minigan.int8).prod(0)", "minigan.prod(x.to(minigan.int8))",
             "minigan.prod(x.to(minigan.int8), dtype=minigan.float64)", "x.bool().prod(0)", "minigan.prod(x.bool())",
             "minigan.prod(x.bool(), dtype=minigan.float64)"),
    # softmax, log_softmax and softmin at each door, of floats, integers, uint8 and bools, with dtype= or not; dims
    # in range and out of it (the dim is checked first)
    "Softmax": tuple(f"{door}({x}, 1{dtype})" if door.startswith(("F.", "minigan.")) else f"{x}.{door}(1{dtype})"
                     for door in ("F.softmax", "F.log_softmax", "F.softmin", "minigan.softmax", "minigan.log_softmax",
                                  "softmax", "log_softmax")
                     for x in ("x", "x.to(minigan.uint8)", "x.bool()") for dtype in ("", ", dtype=minigan.float64")
                     ) + ("F.softmax(x, 0)", "F.softmax(x, -1)", "F.softmax(x, 2)", "F.softmax(x, -3)",
                          "x.log_softmax(0)", "x.log_softmax(-1)", "x.log_softmax(2)", "F.softmin(x, -3)",
                          "F.softmin(x, 1, dtype=minigan.int64)", "x.softmax(1, dtype=minigan.bool)",
                          "minigan.log_softmax(x, 1, dtype=minigan.float32)", "x.log_softmax(1, dtype=minigan.int64)"),
    # erf, erfc and erfinv as functions, methods and in place (odd: erf(-0) is -0)
    "Erf": ("x.erf()", "minigan.erf(x)", "x.erf_()", "x.erfc()", "minigan.erfc(x)", "x.erfc_()",
            "x.clamp(-1, 1).erfinv()", "minigan.erfinv(x.clamp(-1, 1))", "x.clamp(-1, 1).erfinv_()"),
    # piecewise functions at their kinks and the masks of their second derivatives; maximum and minimum at ties and
    # NaN; std of a constant sample; the edges of a domain (the POINTS)
    "Kinks": ("F.relu6(x)", "F.hardsigmoid(x)", "F.hardswish(x)", "F.hardtanh(x, -0.5, 3.0)", "F.elu(x)",
              "x.sign() * x", "x.clamp(-1.0, 1.0)", "minigan.where(x > 0, x, 0.1 * x)", "minigan.maximum(x, 0.5 * x)",
              "x.reshape(-1, 1).max(dim=1).values", "x.max(y)", "x.min(y)",
              "minigan.minimum(minigan.maximum(x, y), x * 2)", "x.std(dim=None)", "x.std(dim=0)", "x.std(dim=1)",
              "minigan.atan2(x, y)", "(x * y).norm(3) + x.norm(0.5)", "(x - y).norm(0.5) + x.norm(1.5)",
              "minigan.stack([x, y]).norm(3, dim=1)"),
    "Cumprod": ("minigan.cumprod(x, 1)", "minigan.cumprod(x, 0)", "x.cumprod(1)",
                "minigan.cumprod(x.to(minigan.int8), 0)", "minigan.cumprod(x.bool(), 0)"),
    # cat of channels-last images: channels-last too (the Cat row's layout)
    "Cat": ("minigan.cat([img.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2)] * 2)",),
}



def _writes_x(call: str) -> bool:
    """An in-place call whose result is x (not a view the call makes, as x[0].mul_(2))."""
    if _is_statement(call):
        return True
    return bool(re.match(r"x\.\w+_\(|(F|minigan)\.\w+_\(x\b", call)) or "inplace=True" in call


def _drawn(values, *dtypes_and_modes):
    """Of the draws of ``values``, those of the (dtype, grad mode) pairs given: where the seeded draw meets a
    difference that only some special values show (the draws of the others do not hold them together)."""
    return lambda d: d.values == values and (d.dtype, d.grad) in dtypes_and_modes


def _seen_at(cases: dict):
    """Of the draws, those whose values are a key of ``cases`` and whose (dtype, grad mode) pair is among the key's
    (``FLOATS``: every floating one): the draws where a seeded difference was seen, for a difference that only some
    special values show in some draws."""
    return lambda d: d.values in cases and (d.dtype, d.grad) in cases[d.values]


FLOATS = tuple((dtype, grad) for dtype in ("float64", "float32", "float16") for grad in GRAD_MODES)
F32_64 = tuple((dtype, grad) for dtype in ("float64", "float32") for grad in GRAD_MODES)


# docs/pytorch.md's sections that name a difference
LEFT_OUT = "documented (docs/pytorch.md, Differences the usual-call sweep left out): "
NAMES = "documented (docs/pytorch.md, The graph a learner prints): "
SPECIAL_VALUES = "documented (docs/pytorch.md, Special values): "
FLOAT16 = "documented (docs/pytorch.md, Dtypes: NumPy's float16 arithmetic): "
BLAS = "documented (docs/pytorch.md, Where the numbers differ: BLAS order): "

# Known differences from PyTorch: (a pattern the call matches, a predicate of the draw, why); those docs/pytorch.md
# names say so, the others are minigan's bugs.  A group of cases (one call, dtype and grad mode) holding a known one is
# a strict xfail: the predicates name the draws that differ (where special values meet a difference in only some
# seeded draws, the dtypes and grad modes of those)
KNOWN = [
    (r"cumprod\(x, 1\)|^x\.cumprod\(1\)$", _drawn("special", ("float32", "grad")),
     "cumprod's gradient where a running product underflows to 0 before the largest float: 0 where PyTorch's "
     "(and the exact one) is -inf"),
    (r"relu\(x\)$|^x\.relu_?\(\)$",
     lambda d: d.dtype in ("float32", "float64") and d.values in (
         "kinks", "special", "edges points", "kinks points", "atan2 points"),
     SPECIAL_VALUES + "relu(-0.0): PyTorch keeps -0.0 (clamp_min), minigan gives +0.0"),
    (r"^(x\.|minigan\.)(maximum|minimum)\((x, )?y\)$|clamp\(x, max=y\)|clamp\(min=y\)|^x\.(max|min)\(y\)$",
     lambda d: d.dtype in ("float32", "float64") and d.values in ("kinks", "special", "atan2 points"),
     "maximum, minimum and clamp by a tensor at a tie of -0.0 and +0.0: the other zero than PyTorch's"),
    (r"leaky_relu", lambda d: d.dtype == "float16" and d.values in ("signed", "special"),
     FLOAT16 + "leaky_relu in float16: PyTorch multiplies by the slope in float32 and rounds once, minigan by "
     "float16(0.2)"),
    (r"^F\.conv2d\(|^F\.conv_transpose2d\(", lambda d: d.shape != "empty",  # (an empty batch: no entries to lay
     # out, as PyTorch's)
     LEFT_OUT + "conv2d and conv_transpose2d of a batch of 2: the result is laid out batch innermost (strides "
     "(1, ...)), PyTorch's row-major"),
    (r"^F\.batch_norm\(", lambda d: d.layout == "transposed" and d.dtype != "int64",
     LEFT_OUT + "batch_norm of a permuted input: the result's strides are not PyTorch's (row-major)"),
    (r"^x @ w$|^x\.mm\(|matmul|^F\.linear", _drawn("special", ("float32", "no_grad"), ("float64", "grad")),
     BLAS + "a product with ±inf and the largest finite entries: the sums overflow in another order than PyTorch's "
     "(inf where PyTorch's is NaN, in the values and the gradients)"),
    (r"addmm", _drawn("special", ("float32", "grad"), *(("float64", mode) for mode in GRAD_MODES)),
     "addmm with ±inf and the largest finite entries: inf where PyTorch's is NaN or finite (the order of its sums "
     "and of the scaling by alpha)"),
    (r"^x\.norm\(\)$|^minigan\.linalg\.vector_norm\(x\)$",
     _drawn("special", ("float16", "grad"), ("float16", "no_grad"), ("float64", "grad"), ("float64", "plain")),
     "the norm of the largest finite float: inf in minigan (x² overflows), PyTorch's is |x|; its second "
     "derivative at a 0-d tensor too"),
    (r"^F\.mse_loss\(", lambda d: d.dtype != "int64" and d.values == "special" and d.grad == "grad",
     "mse_loss's gradient at the largest finite floats: 2·(x − y) overflows to inf where PyTorch's is finite"),
    (r"^F\.avg_pool2d\(", lambda d: d.values == "special" and d.dtype in ("float16", "int64"),
     "avg_pool2d in float16 and int64 at extreme values: PyTorch sums in a wider type (no overflow), minigan in "
     "the input's"),
    (r"^minigan\.cumsum\(x, 0\)$|^x\.cumsum\(0\)$",
     lambda d: d.values in ("kinks", "special", "edges points", "atan2 points") and d.dtype != "int64",
     "cumsum over -0.0: +0.0 where PyTorch's running sum keeps -0.0 (its first entry as it is)"),
    (r"^x\.cumsum\(1\)$", lambda d: d.values in ("kinks", "special", "edges points", "atan2 points")
     and d.dtype != "int64" and (
        d.dtype, d.grad) != ("float16", "plain"), "cumsum over -0.0: +0.0 where PyTorch's keeps -0.0"),
    (r"^minigan\.amax\(x, 0\)$|^x\.amax\(0\)$",
     lambda d: d.dtype in ("float32", "float64") and d.values in ("kinks", "atan2 points"),
     "amax over -0.0 and +0.0: the other zero than PyTorch's"),
    (r"^x\.amax\(1\)$", lambda d: d.dtype == "float32" and d.grad in ("no_grad", "plain") and d.values in (
        "kinks", "special"), "amax over -0.0 and +0.0: the other zero than PyTorch's"),
    (r"^x\.max\(\)$", lambda d: (d.dtype, d.grad, d.values) in (("float32", "plain", "kinks"), (
        "float64", "no_grad", "special")), "max over -0.0 and +0.0: the other zero than PyTorch's"),
    (r"erfc?_?\(", _drawn("special", ("float64", "grad")),
     "erf's and erfc's second derivative at ±inf: 0 where PyTorch's is NaN (inf·0)"),
    (r"erfc", lambda d: d.dtype == "float16" and d.values in ("positive", "signed"),
     FLOAT16 + "erfc in float16: a few hundredths off (1 − erf rounded in float16), where PyTorch computes in float32"),
    (r"erfinv", lambda d: d.dtype == "float16" and d.grad in ("grad", "plain") and d.values in ("positive", "signed"),
     FLOAT16 + "erfinv in float16: farther from the exact answer than PyTorch's (which computes in float32)"),
    (r"^x\.std\(dim=0\)$", lambda d: d.dtype == "float16" or d.values == "special" and (d.dtype, d.grad) in (
        ("float32", "grad"), ("float32", "no_grad"), ("float64", "plain")), "std of the largest floats: the squares "
     "overflow to inf (or NaN) where PyTorch's std is finite; in float16 its gradient too, as float16 rounds"),
    (r"^x\.std\(dim=1\)$", lambda d: d.values == "special" and d.dtype in ("float16", "float32"),
     "std of the largest floats: the squares overflow to inf where PyTorch's std is finite"),
    (r"^x\.std\(dim=None\)$|^x\.std\(\)$", lambda d: d.values == "special" and d.dtype in ("float16", "float32")
     and d.grad != "plain", "std of the largest floats: the squares overflow to inf where PyTorch's std is finite"),
    (r"\.norm\(3, dim=1\)$|^F\.hardswish\(", lambda d: d.values == "special" and d.dtype == "float16",
     FLOAT16 + "norm(3) and hardswish of float16's largest values overflow (inf where PyTorch's is 65504)"),
    (r"^x\.norm\(3\)$|^minigan\.linalg\.vector_norm\(x, 3\)$",
     _drawn("special", ("float16", "grad"), ("float16", "no_grad")),
     FLOAT16 + "norm(3) of float16's largest values overflows (inf where PyTorch's is 65504)"),
    (r"^x\.zero_\(\)$", lambda d: d.layout == "expanded" and d.grad == "grad" and d.dtype in ("float16", "float32")
     and d.values in ("kinks", "special"), "zero_() of an expanded view of a tensor that requires grad: -0.0 where x "
     "was negative (x·0), PyTorch's +0.0"),
    (r"^x\[:, 1\]\.zero_\(\)$", lambda d: (d.layout, d.grad, d.dtype, d.values) == (
        "expanded", "grad", "float16", "kinks"), "zero_() of an expanded view: -0.0 where x was negative"),
    (r"^F\.cross_entropy\(", lambda d: (d.dtype, d.grad, d.shape) == ("float64", "grad", "empty"),
     "cross_entropy of an empty batch: its gradient does not require grad under create_graph (PyTorch's does, and "
     "its second order is zeros)"),
    (r"^x\.asinh\(\)$|^minigan\.asinh\(x\)$|^\(x - 1\)\.atanh\(\)$|^minigan\.atanh\(x - 1\)$",
     _drawn("special", ("float64", "grad")),
     "asinh's and atanh's second derivative at ±inf and the extreme floats: 0 where PyTorch's is NaN (or a subnormal)"),
    (r"^\(x / 2\)\.logit\(\)$", _seen_at({
        "special": (("float16", "grad"), ("float32", "grad")), "kinks": (("float16", "grad"), ("float32", "grad")),
        "edges points": (("float32", "grad"),), "kinks points": (("float32", "grad"),),
        "atan2 points": (("float32", "grad"),)}),
     "logit's gradient at -0.0 in float32 and float16: -inf where PyTorch's is +inf"),
    (r"^minigan\.logit\(x / 2, 0\.1\)$", _seen_at({
        "special": (("float16", "grad"), ("float32", "grad")), "edges points": (("float32", "grad"),)}),
     "logit(x, eps)'s gradient at NaN in float32 and float16: 0 where PyTorch's is NaN"),
    (r"^F\.adaptive_avg_pool2d\(", _drawn("special", ("float16", "grad"), ("float16", "no_grad"), ("float16", "plain")),
     FLOAT16 + "adaptive_avg_pool2d in float16 at extreme values: PyTorch sums in float32 (no overflow), minigan in "
     "float16 (±inf)"),
    (r"^F\.binary_cross_entropy_with_logits\(x, p, pos_weight=", _drawn("special", ("float64", "grad")),
     "binary_cross_entropy_with_logits with pos_weight: its second derivative at the largest floats is finite where "
     "PyTorch's overflows to inf"),
    (r"^F\.nll_loss\(x, i, weight=v\.detach\(\)\)$", _seen_at({"kinks": (("float64", "no_grad"),),
                                                                "special": (("float16", "no_grad"),)}),
     "nll_loss with weight= where the weighted sum is ±inf: NaN where PyTorch's is ±inf"),
    (r"^F\.cross_entropy\(x, i, weight=v\.detach\(\)\)$", _drawn("kinks", ("float64", "no_grad")),
     "cross_entropy with weight= where the weighted sum is -inf: NaN where PyTorch's is -inf"),
    (r"^F\.gelu\(x\)$",
     # (float32: erf's last bit differs on draws of every kind on a host without AVX-512, not only at +inf)
     lambda d: d.dtype == "float32" or _seen_at({"signed": (("float16", "grad"), ("float16", "plain"))})(d),
     "gelu in float32: inf at +inf where PyTorch's is NaN, and the last bit of erf elsewhere; in float16 -0.0 "
     "where PyTorch's is +0.0"),
    (r"^F\.gelu\(x, approximate='tanh'\)$", _seen_at({"signed": (("float16", "grad"), ("float16", "plain")),
                                                      "special": (("float16", "grad"),)}),
     FLOAT16 + "gelu(approximate='tanh') in float16: -0.0 where PyTorch's is +0.0, and its gradient NaN at ±inf "
     "where PyTorch's is 0"),
    (r"^F\.glu\(", _drawn("special", ("float16", "grad"), ("float32", "grad"), ("float64", "grad")),
     "glu's gradient at the largest floats and ±inf: ±inf where PyTorch's is finite (σ(b)·(1 − σ(b))·a in another "
     "order)"),
    (r"^F\.layer_norm\(", _seen_at({"special": F32_64, "kinks": (("float16", "no_grad"), ("float32", "no_grad"),
                                                                ("float64", "plain")),
                                     "positive": (("float32", "grad"),), "zeros points": (("float32", "grad"),),
                                     "constant points": (("float32", "grad"),)}),
     "layer_norm: 0 where PyTorch's is NaN in a row of the largest floats (its variance overflows); the other "
     "zero's sign at the kinks; its float32 gradient a few 1e-4 off where the entries cancel (another formula than "
     "PyTorch's)"),
    (r"^F\.scaled_dot_product_attention\(", _seen_at({
        "special": (("float16", "no_grad"), ("float64", "grad"), ("float64", "no_grad"), ("float64", "plain")),
        "signed": (("float16", "grad"), ("float16", "plain"))}),
     "scaled_dot_product_attention: 0 where PyTorch's is NaN at ±inf scores; in float16 a few thousandths off "
     "PyTorch's CPU flash kernel (which accumulates in float32)"),
    (r"^F\.scaled_dot_product_attention\(", lambda d: d.dtype == "int64" and d.shape == "empty",
     "scaled_dot_product_attention of an empty int64 batch: refused (DtypeError) where PyTorch returns it empty"),
    (r"^F\.softshrink\(", _seen_at({"signed": FLOATS, "special": FLOATS, "kinks": FLOATS, "edges points": (
        ("float32", "grad"), ("float32", "no_grad"), ("float32", "plain")), "kinks points": F32_64,
        "atan2 points": F32_64}),
     "softshrink of a negative x in [-λ, λ]: +0.0 where PyTorch's is -0.0 (its kernel's x·0)"),
    (r"^minigan\.addcdiv\(x, y, v, value=2\)$|^x\.addcdiv_?\(y, v, value=2\)$",
     _drawn("special", *(p for p in FLOATS if p != ("float16", "grad"))),
     "addcdiv at ±inf and the largest floats: value·y/v rounded in another order than PyTorch's kernel (inf, NaN or "
     "a finite where PyTorch's differs)"),
    (r"^x\.addcdiv\(y, v\)$", _drawn("special", ("float16", "no_grad"), ("float16", "plain")),
     "addcdiv at ±inf and the largest floats in float16: NaN where PyTorch's is inf (y/v in another order)"),
    (r"^minigan\.addcmul\(x, y, v, value=2\)$|^x\.addcmul\(y, v, value=2\)$",
     _drawn("special", ("float16", "grad"), ("float16", "no_grad"), ("float16", "plain"), ("float32", "no_grad")),
     "addcmul at ±inf and the largest floats: value·y·v overflows in another order than PyTorch's kernel"),
    (r"^x\.addcmul_\(y, v, value=2\)$",
     _drawn("special", ("float16", "grad"), ("float16", "no_grad"), ("float16", "plain")),
     "addcmul at ±inf and the largest floats: value·y·v overflows in another order than PyTorch's kernel"),
    (r"^x\.addcmul\(y, v\)$", _drawn("special", ("float64", "plain")),
     "addcmul at ±inf and the largest floats: NaN where PyTorch's is -inf (y·v in another order)"),
    (r"^x\.addcmul_\(y, y\)$", _drawn("special", ("float16", "grad"), ("float16", "no_grad"), ("float16", "plain"),
                                      ("float64", "no_grad"), ("float64", "plain")),
     "addcmul_ at ±inf and the largest floats: NaN where PyTorch's is -inf (y·y in another order)"),
    (r"^minigan\.cdist\(x, y, compute_mode=", lambda d: d.dtype == "float16" and (
        d.values == "positive" or (d.values, d.grad) == ("signed", "grad")),
     FLOAT16 + "cdist's |x|² + |y|² − 2x·y form in float16: farther from the exact answer than PyTorch's"),
    (r"^minigan\.cdist\(x, y, p=float\('inf'\)\)$", _seen_at({"special": F32_64, "edges points": F32_64,
                                                             "xlogy points": F32_64}),
     "cdist(p=inf) where a difference is NaN (inf − inf, a NaN entry): NaN where PyTorch's max passes over it"),
    (r"^minigan\.dist\(x, y, 3\)$|^x\.dist\(y(, 3)?\)$", _drawn("special", ("float16", "grad"), ("float32", "plain"),
                                                        ("float64", "plain")),
     "dist of the largest finite floats: inf (the powers overflow) where PyTorch's is finite"),
    (r"^x\.lerp_?\(y, v\)$|^minigan\.lerp\(x, y, v\)$", _drawn("special", ("float32", "no_grad")),
     "lerp with a tensor weight at the largest floats: inf where PyTorch's kernel's other form gives the largest "
     "finite float"),
    (r"^minigan\.linalg\.matrix_norm\(|^x\.norm\(p='nuc'\)$", lambda d: d.dtype == "float16",
     "matrix_norm ('nuc', 2) of float16: NumPy's TypeError ('array type float16 is unsupported in linalg') where "
     "PyTorch raises RuntimeError ('Low precision dtypes not supported')"),
    (r"^minigan\.linalg\.matrix_norm\(x, 'nuc'\)$|^x\.norm\(p='nuc'\)$", lambda d: (d.dtype, d.grad) == (
        "float32", "grad") and d.values in ("special", "kinks") or (d.dtype, d.grad) == ("float64", "grad") and
     d.values in ("xlogy points", "zeros points", "constant points"),
     "the nuclear norm's gradient where singular values vanish or repeat: NaN, inf or other values than PyTorch's SVD "
     "backward gives"),
    (r"^minigan\.logcumsumexp\(x, 0\)$|^x\.logcumsumexp\(0\)$",
     _seen_at({"special": FLOATS, "kinks": FLOATS, "edges points": F32_64}),
     "logcumsumexp's first entry at -0.0: -0.0 where PyTorch's is +0.0 (log(exp(-0.0)))"),
    (r"^x\.logcumsumexp\(1\)$", _seen_at({
        "special": tuple(p for p in FLOATS if p not in (("float16", "plain"), ("float64", "plain"))),
        "kinks": tuple(p for p in FLOATS if p not in (("float16", "plain"), ("float64", "grad"))),
        "edges points": F32_64, "atan2 points": F32_64}),
     "logcumsumexp's first entry at -0.0: -0.0 where PyTorch's is +0.0 (log(exp(-0.0)))"),
    (r"^x\.var\(\)$|^minigan\.var\(x\)$|^minigan\.var_mean\(x\)\[0\]$",
     lambda d: (d.dtype, d.grad, d.shape) == ("float64", "grad", "empty"),
     "var of no entries: its gradient requires grad under create_graph where PyTorch's does not (no second order)"),
    (r"^minigan\.var_mean\(x\)\[0\]$", lambda d: (d.dtype, d.grad, d.values, d.shape) == (
        "float64", "plain", "special", "size 1"),
     "var_mean's variance of ±inf entries: inf (var's) where PyTorch's one-pass var_mean gives NaN"),
    (r"^x\.div\(y, rounding_mode='trunc'\)$", lambda d: d.dtype == "int64" and d.values == "special",
     "div(rounding_mode='trunc') of int64's largest value by -1: -2**63 where PyTorch's is -(2**63 - 1), exact"),
    (r"^x\.index_put\(\(i,\), v, accumulate=True\)$", lambda d: d.layout == "expanded",
     "index_put(accumulate=True) of an expanded view: the result is not laid out row-major as PyTorch's"),
    (r"^x\.median\(\)$", _seen_at({"kinks": (("float16", "no_grad"), ("float32", "no_grad"), ("float64", "plain")),
                                    "special": (("float32", "plain"),), "kinks points": F32_64,
                                    "atan2 points": F32_64}),
     "median at a tie of -0.0 and +0.0: the other zero than PyTorch's"),
    (r"^x\.nansum\(\)$", _drawn("special", ("float64", "plain")),
     "nansum of the largest finite floats of both signs: summed in another order than PyTorch's (another finite "
     "result)"),
]
# Known differences of the grad_fn name alone (compared apart, so that a name hides no value or gradient)
KNOWN_NAMES = [
    (r".", lambda d: d.layout != "contiguous" and d.grad != "plain" and d.dtype != "int64",  # (calls that write x)
     LEFT_OUT + "an in-place write into a view: PyTorch gives the view AsStridedBackward0 as its grad_fn, minigan "
     "keeps the view's own (PermuteBackward0, SliceBackward0, ...)"),
    (r"^x\[0\]\.mul_\(2\)$|^x\[:, 1\]\.zero_\(\)$", lambda d: d.grad == "grad" and d.dtype != "int64",
     LEFT_OUT + "an in-place write into a view the call makes: PyTorch's result is AsStridedBackward0"),
    (r"^x\[0\] = v$", lambda d: d.grad == "grad" and d.layout == "contiguous" and d.shape not in ("empty", "0-d")
     and d.dtype != "int64", NAMES + "x[0] = v: PyTorch's grad_fn is CopySlices, minigan's IndexPutBackward0"),
    (r"^x\.zero_\(\)$", lambda d: d.grad == "grad" and d.layout == "contiguous" and d.dtype != "int64",
     NAMES + "x.zero_(): PyTorch's grad_fn is ZeroBackward0, minigan's FillBackward2"),
    (r"^x\.t\(\)$", lambda d: d.grad == "grad" and d.dtype != "int64",
     NAMES + "x.t(): PyTorch's grad_fn is TBackward0, minigan's PermuteBackward0 (ops.py's _transpose)"),
    (r"^x\.transpose\(0, 1\)$", lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape != "0-d",
     NAMES + "x.transpose(0, 1) of a 2-D tensor: PyTorch's grad_fn is TransposeBackward0, minigan's PermuteBackward0"),
    (r"^x\.(un)?squeeze\(", lambda d: d.grad == "grad" and d.dtype != "int64",
     NAMES + "x.squeeze(), x.unsqueeze(0): PyTorch's grad_fn is SqueezeBackward0, UnsqueezeBackward0; minigan's "
     "ViewBackward0"),
    (r"^x\.(reshape\(3, 2\)|reshape\(-1\)|flatten\(\))$",
     lambda d: d.grad == "grad" and d.layout in ("transposed", "expanded") and d.dtype != "int64",
     "reshape or flatten that copies: PyTorch's grad_fn is UnsafeViewBackward0, minigan's ViewBackward0"),
    (r"^x\.prod\(0\)$", lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape == "0-d",
     "x.prod(dim) of a 0-d tensor: PyTorch's grad_fn is ProdBackward1, minigan's CloneBackward0"),
    (r"prod\(x(, dtype=minigan\.float64)?\)$|^x\.prod\(\)$|cum(sum|prod)\(x, 0\)|sum\(x, 0\)|^x\.mean\(0\)$"
     r"|^x\.(cumsum|cumprod|sum)\(0\)$",
     lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape == "0-d",
     "a reduction of a 0-d tensor: PyTorch's grad_fn is the reduction's (ProdBackward0, CumsumBackward0, "
     "CumprodBackward0, SumBackward1, MeanBackward1), minigan's CloneBackward0, SumBackward0, MeanBackward0"),
    (r"^F\.cross_entropy\(|^F\.linear\(x, w\.t\(\), v\[:2\]\)$",  # (F.linear's: documented, as above)
     lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape == "empty",
     "an empty batch: PyTorch's grad_fn is NllLossBackward0 / AddmmBackward0, minigan's AddBackward0"),
    (r"^x\.std\(|max\(dim=1\)\.values$", lambda d: d.grad == "grad" and d.dtype != "int64",
     NAMES + "std and max(dim), composed of smaller ops: the last step's name (SqrtBackward0, CloneBackward0), "
     "PyTorch's StdBackward0, MaxBackward0"),
    (r"^F\.adaptive_avg_pool2d\(", lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape == "empty",
     "adaptive_avg_pool2d of an empty batch: PyTorch's grad_fn is AdaptiveAvgPool2DBackward0, minigan's "
     "CloneBackward0"),
    (r"^x\.var\(|^minigan\.var\(x\)$", lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape == "empty",
     "var of an empty tensor: PyTorch's grad_fn is VarBackward0, minigan's MulBackward0"),
    (r"^x\.index_add_?\(0, i, y\)$", lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape in ("empty", "0-d"),
     "index_add of an empty or 0-d x: PyTorch's grad_fn is IndexAddBackward0, minigan's "
     "AddBackward0 or CloneBackward0"),
    (r"^F\.binary_cross_entropy_with_logits\(x, p, pos_weight=", lambda d: d.grad == "grad" and d.dtype != "int64",
     NAMES + "binary_cross_entropy_with_logits with pos_weight, reduced: the last step's name (MeanBackward0), "
     "PyTorch's BinaryCrossEntropyWithLogitsBackward0"),
    (r"^F\.cross_entropy\(x, i, weight=", lambda d: d.grad == "grad" and d.dtype != "int64" and d.shape != "0-d",
     # (0-d logits: both libraries refuse them)
     NAMES + "cross_entropy with weight=: the last step's name (DivBackward0: the weighted sum over the weights' "
     "sum), PyTorch's NllLossBackward0"),
    (r"^F\.scaled_dot_product_attention\(", lambda d: d.grad == "grad" and d.dtype == "float16"
     and d.layout == "transposed", "scaled_dot_product_attention of a permuted float16 input: PyTorch's grad_fn is "
     "ToCopyBackward0 (its float32 copy back), minigan's UnsafeViewBackward0"),
    (r"^minigan\.linalg\.matrix_norm\(|^x\.norm\(p='nuc'\)$", lambda d: d.dtype == "float16",
     "matrix_norm of float16: NumPy's TypeError where PyTorch raises RuntimeError (see KNOWN)"),
    (r"^x\[:, :0\]\.cummin\(1\)\[0\]$", lambda d: d.grad == "grad" and d.dtype != "int64",
     NAMES + "cummin of no entries: PyTorch's grad_fn is CumminBackward0, minigan's CummaxBackward0 (one node, "
     "_EmptyRunningExtreme, for cummax and cummin, which does not keep which)"),
    (r"^minigan\.var_mean\(x\)\[0\]$", lambda d: d.grad == "grad" and d.dtype != "int64",
     NAMES + "var_mean's variance: PyTorch's grad_fn is VarMeanBackward0, minigan's VarBackward0 (the last step's "
     "name: var, then the mean apart)"),
]


def _calls() -> list:
    """(the row's node name, the call) for every call of every row, and of EXTRA's ops not in a row yet."""
    listed = [(r.node.__name__, call) for r in ops.ROWS for call in r.calls]
    seen = {call for _, call in listed}
    return listed + [(node, call) for node, calls in EXTRA.items() for call in calls if call not in seen]


CALLS = _calls()
NODE = dict((call, node) for node, call in CALLS)


def _is_statement(call: str) -> bool:
    """x += y, x[0] = v: a statement, whose effect is on x (tests/library/test_ops_table.py reads them alike)."""
    return "=" in re.sub(r"[=<>!]=", "", call).split("(")[0]


# ----------------------------------------------------------------------------- the draw's arrays
def _special(dtype: str) -> list:
    info = np.finfo(dtype)
    return [0.0, -0.0, np.inf, -np.inf, np.nan, float(info.smallest_subnormal), float(info.max), -float(info.max),
            1.0, -1.0, 0.5]


INT_SPECIAL = [0, 1, -1, 7, np.iinfo(np.int64).max, np.iinfo(np.int64).min]


def _values(rng, kind: str, dtype: str, shape) -> np.ndarray:
    n = int(np.prod(shape))
    if dtype == "int64":
        a = {"positive": lambda: rng.integers(1, 4, n), "signed": lambda: rng.integers(-3, 4, n),
             "special": lambda: rng.choice(np.array(INT_SPECIAL), n), "kinks": lambda: rng.choice([0, 1, -1, 2], n)
             }[kind]()
        return np.asarray(a, dtype=np.int64).reshape(shape)
    a = {"positive": lambda: rng.uniform(0.25, 2.0, n), "signed": lambda: rng.normal(0.0, 1.5, n),
         "special": lambda: rng.choice(np.array(_special(dtype)), n),
         "kinks": lambda: rng.choice(np.array([0.0, -0.0, 1.0, -1.0, 0.6, 1.2, 0.5, 2.0]), n)}[kind]()
    with np.errstate(over="ignore"):
        return np.asarray(a, dtype=np.float64).astype(dtype).reshape(shape)


def arrays(draw: Draw) -> dict:
    """The probes' arrays for ``draw`` (in the layout's storage shape), the same on every call."""
    rng = np.random.default_rng(zlib.crc32(repr(draw).encode()))
    shapes = _shapes(draw)
    out = {}
    for role in FLOAT_ROLES:
        kind = "signed" if draw.shape == "points" else draw.values
        out[role] = _values(rng, kind, draw.dtype, _storage(shapes[role], draw.layout))
    if draw.shape == "points":
        points = POINTS[draw.values.split()[0]]
        xs, ys = points if isinstance(points, tuple) else (points, points[::-1])
        out["x"], out["y"] = (np.array(v, dtype=np.float64).astype(draw.dtype).reshape(shapes["x"]) for v in (xs, ys))
    if draw.values == "kinks" and out["x"].shape == out["y"].shape and out["x"].size:  # (y = x in places: ties)
        tie = rng.random(out["x"].shape) < 0.5
        out["y"][tie] = out["x"][tie]
    n = int(np.prod(shapes["p"]))
    p = rng.choice([0.0, 1.0, 0.5, 1e-30], n) if draw.values == "special" else rng.uniform(0.05, 0.95, n)
    out["p"] = np.asarray(p, dtype=np.float64).astype(
        "float64" if draw.dtype == "int64" else draw.dtype).reshape(shapes["p"])
    out["i"] = (np.arange(int(np.prod(shapes["i"])), dtype=np.int64)[::-1] % 2).reshape(shapes["i"]).copy()
    return out


def _shapes(draw: Draw) -> dict:
    if draw.shape == "points":  # (x, y and p two rows of the points)
        points = POINTS[draw.values.split()[0]]
        n = len(points[0] if isinstance(points, tuple) else points) // 2
        return {**PROBES, "x": (2, n), "y": (2, n), "p": (2, n)}
    return {**PROBES, **SHAPES[draw.shape]}


def _storage(shape, layout):
    """The shape of the tensor a probe of ``shape`` is made from in ``layout``."""
    if layout == "transposed":
        return shape[::-1] if len(shape) >= 2 else (2 * shape[0],) if len(shape) == 1 else shape
    if layout == "expanded" and len(shape) >= 1:
        return (1, *shape[1:])
    if layout == "view":
        return (shape[0] + 1, *shape[1:]) if len(shape) >= 1 else (2,)
    return shape


def _arranged(t, shape, layout):
    """The probe of ``shape`` in ``layout``, made from ``t`` (of _storage's shape)."""
    if layout == "transposed":
        return t.permute(*reversed(range(t.dim()))) if t.dim() >= 2 else t[::2] if t.dim() == 1 else t
    if layout == "expanded" and len(shape) >= 1:
        return t.expand(*shape)
    if layout == "view":
        return t[1:] if len(shape) >= 1 else t[1]
    return t


def space(L, draw: Draw, leaves: dict, a: dict) -> dict:
    """The namespace a call is evaluated in: the library, its functional module and the probes made of ``leaves``
    (the floating ones, in the draw's layout) and ``a`` (p and i)."""
    shapes = _shapes(draw)
    s = {"minigan": L, "F": L.nn.functional}
    for role, leaf in leaves.items():
        base = leaf * 1 if leaf.requires_grad else leaf  # (not a leaf, so in-place calls run)
        s[role] = _arranged(base, shapes[role], draw.layout)
        s["base of " + role] = base
    s["p"] = L.tensor(a["p"], dtype=getattr(L, str(a["p"].dtype)))
    s["i"] = L.tensor(a["i"])
    return s


def run(call: str, s: dict, L):
    """The call's result in namespace ``s`` (a statement's: x after it)."""
    if _is_statement(call):
        with np.errstate(all="ignore"):
            exec(call, s)  # noqa: S102 (the rows' own calls)
        return s["x"]
    with np.errstate(all="ignore"):
        return eval(call, s)  # noqa: S307 (the rows' own calls)


def _leaves(L, draw: Draw, a: dict) -> dict:
    wants = draw.grad != "plain" and draw.dtype != "int64"
    return {role: L.tensor(a[role], dtype=getattr(L, draw.dtype), requires_grad=wants) for role in FLOAT_ROLES}


def _values_seen(L, out, call, draw, a, exact=None):
    """The result as compared: bit for bit where the row's kernel is exact, else as near as PyTorch's (``exact``:
    PyTorch's float64 answer, by default the call's)."""
    if not isinstance(out, (torch.Tensor, minigan.Tensor)):
        return out
    if NODE[call] in EXACT or not out.is_floating_point():
        return bits(out.detach())
    tol = TOLERANCE[str(out.dtype).split(".")[-1]]
    values = out.detach().numpy()
    zero_signs = np.signbit(values) & (values == 0)  # (each zero's sign, as bits compares it)
    if L is not torch:
        return near(out.detach(), None, tol), zero_signs
    return near(out.detach(), exact or (lambda: _in_float64(call, draw, a)[0]), tol), zero_signs


def _in_float64(call, draw, a):
    """PyTorch's answer to the same call on the same values in float64: the 'exact' answer ``near`` measures by."""
    with torch.no_grad():
        leaves = {role: torch.tensor(a[role], dtype=torch.float64) for role in FLOAT_ROLES}
        s = space(torch, draw._replace(grad="plain"), leaves, a)
        out = run(call, s, torch)
        return out.detach().double(), s["base of x"].detach().double()


def seen(L, call: str, draw: Draw):
    """What a program sees of ``call`` on ``draw`` in library ``L``."""
    a = arrays(draw)
    leaves = _leaves(L, draw, a)
    s = space(L, draw, leaves, a)
    version = s["x"]._version
    if draw.grad == "no_grad":
        with L.no_grad():
            out = run(call, s, L)
    else:
        out = run(call, s, L)
    if isinstance(out, (tuple, list)):
        out = out[0]  # (a call whose result is a tuple of tensors: its first, as the calls are written)
    strides = tuple(st for st, n in zip(out.stride(), out.shape) if n > 1)  # (of the axes longer than 1)
    result = [_values_seen(L, out, call, draw, a), strides, out.requires_grad, out is s["x"], s["x"]._version - version,
              _values_seen(L, s["base of x"], call, draw, a, lambda: _in_float64(call, draw, a)[1])]
    if draw.dtype == "float64" and draw.grad == "grad" and out.requires_grad:
        roles = [r for r in FLOAT_ROLES if r in s]
        tol, second_tol = SECOND_ORDER_TOLERANCE[str(out.dtype).split(".")[-1]]  # (a call may compute in float32)
        result.append(to_second_order(L, lambda L_, *ts: run(call, space(L_, draw, dict(zip(roles, ts)), a), L_),
                                      [a[r] for r in roles], ["float64"] * len(roles), tol, second_tol))
    elif out.requires_grad:  # (in the coarser of the result's dtype and the leaves')
        tol = 8 * max(TOLERANCE[str(out.dtype).split(".")[-1]], TOLERANCE.get(draw.dtype, 0))
        weights = L.tensor(np.arange(1, out.numel() + 1).reshape(tuple(out.shape)) % 4 + 0.5, dtype=out.dtype)
        wanted = [leaves[r] for r in FLOAT_ROLES]
        grads = outcome(lambda: L.autograd.grad((out * weights).sum(), wanted, allow_unused=True))
        result.append(grads if isinstance(grads, Exception) else [
            None if g is None else close(g, tol, tol) for g in grads])
    return result


def name_seen(L, call: str, draw: Draw):
    """The ``grad_fn`` name of ``call``'s result on ``draw`` (None where it has none), and whether it requires grad."""
    a = arrays(draw)
    s = space(L, draw, _leaves(L, draw, a), a)
    if draw.grad == "no_grad":
        with L.no_grad():
            out = run(call, s, L)
    else:
        out = run(call, s, L)
    out = out[0] if isinstance(out, (tuple, list)) else out
    return out.requires_grad, out.grad_fn.name() if out.grad_fn is not None else None


def _known(call: str, draw: Draw, names=False):
    """Why ``call`` on ``draw`` differs from PyTorch, where it is a known difference (KNOWN, or of the grad_fn name
    KNOWN_NAMES, whose first entry is of the calls that write x in place)."""
    return next((reason for j, (pattern, when, reason) in enumerate(KNOWN_NAMES if names else KNOWN)
                 if re.search(pattern, call) and when(draw) and (j != 0 or not names or _writes_x(call))), None)


def _marks(call, draw, names=False):
    reason = _known(call, draw, names)
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def _default_draw(j: int, call: str, names=False) -> Draw:
    """The draw the default run makes ``call`` on: the ``j``-th call walks the draws with a stride that shares no
    factor with their number, so the default run's calls together meet every dtype, values, layout and shape; a
    known difference is passed over."""
    n = len(DRAWS)
    stride = next(s for s in range(37, n) if np.gcd(s, n) == 1)
    for step in range(n):
        draw = DRAWS[(j * stride + step) % n]
        if _known(call, draw, names) is None and (not names or draw.grad == "grad"):
            return draw
    return DRAWS[j % n]


test_each_call_of_each_row_once = sweep(
    seen, [pytest.param(call, draw, marks=_marks(call, draw)) for j, (_, call) in enumerate(CALLS)
           for draw in [_default_draw(j, call)]],
    group=lambda call, draw: NODE[call] + (f"-{call}-known" if _known(call, draw) else ""), every=1)
test_each_calls_grad_fn_name_once = sweep(
    name_seen, [pytest.param(call, draw, marks=_marks(call, draw, True)) for j, (_, call) in enumerate(CALLS)
                for draw in [_default_draw(j, call, True)]],
    group=lambda call, draw: NODE[call] + (f"-{call}-known" if _known(call, draw, True) else ""), every=1)
test_each_call_on_every_draw = sweep(
    seen, [pytest.param(call, draw, marks=[pytest.mark.parity, *_marks(call, draw)])
           for (_, call), draw in itertools.product(CALLS, DRAWS)],
    group=lambda call, draw: f"{call}-{draw.dtype}-{draw.grad}" + ("-known" if _known(call, draw) else ""),
    every=10 ** 9)
test_each_calls_grad_fn_name_on_every_draw = sweep(
    name_seen, [pytest.param(call, draw, marks=[pytest.mark.parity, *_marks(call, draw, True)])
                for (_, call), draw in itertools.product(CALLS, DRAWS) if draw.dtype != "int64"],
    group=lambda call, draw: f"{call}-{draw.dtype}-{draw.grad}" + ("-known" if _known(call, draw, True) else ""),
    every=10 ** 9)
