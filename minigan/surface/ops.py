"""The parity layer's one table: a row per op the graph records, PyTorch's rules for it beside the engine's node.

The engine (minigan/engine/) computes each op as the textbook does: forward the array expression, backward the
derivative in its comment.  What a PyTorch program sees beyond the values is declared here, op by op, and nowhere
else (PyTorch's own ``native_functions.yaml`` + ``derivatives.yaml`` are such a table):

* ``node``: the class the graph records, an engine op, or one added above the engine where PyTorch computes another
  formula than the engine's (``factors.Prod``'s backward) or the engine has no such op (``unary.XLogY``, GELU's,
  the SVD's); one defined in minigan/functional/ is named by module and class (``Above``), as this layer imports
  nothing above it;
* ``layout``: how PyTorch lays the result out (its strides; minigan/surface/parity.py), the engine's
  ``RESULT_ADJUSTMENTS``;
* ``gradient``: the gradients under create_graph as PyTorch's backward node gives them (which of them require
  grad, PyTorch's zeros), the engine's ``GRADIENT_ADJUSTMENTS``;
* ``grad_fn``: the name ``y.grad_fn`` prints (``MulBackward0`` when left out), a function of the node where its
  edges tell; ``by_call``: where the call decides it (``x.sum()`` SumBackward0, ``x.sum(1)`` SumBackward1), read
  while the node still holds what forward kept (minigan/surface/node_view.py), and fixed then by a door that
  calls ``shown_as(result)`` (so a name first asked after backward is the call's too); ``shown``: the names a door
  gives instead, where no row can (one node for several of PyTorch's ops, a door's result of more nodes than this);
* ``calls``: the calls that record the node, its method, in-place, operator and function forms (tests/library/
  test_ops_table.py makes each on small tensors and checks the node is in what it recorded); a row without calls is
  a node only other ops' forwards or backwards record; ``spellings("add", "y")`` is every spelling the door table
  (minigan/surface/door_table.py) gives the op ``add``, called on ``x`` with the arguments ``y``;
* ``kernels``: where PyTorch's kernels round otherwise than the textbook's formula: a class whose functions replace
  the engine node's own of the same names (``pointwise.PowKernels`` for Pow's ``power``, ``zero_da``, ``zero_db``),
  the engine's ``KERNELS``; or, in words, where the node computes them itself.

The engine's three tables and node_view's names are filled from these rows once, when the surface is installed
(minigan/surface/tensor.py imports this module), and tests/engine/test_engine_extension_points.py checks that they
hold the rows and nothing else.  docs/pytorch.md's op table is ``markdown()`` (tests/library/test_ops_table.py keeps
it current), and it fails on a Node class minigan defines that is neither a row here nor declared there as no op
(the graph's bookkeeping, autograd.Function's nodes, refusals, bases).  A new op: one engine node, one row here.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

from minigan.engine.graph import GRADIENT_ADJUSTMENTS, KERNELS, adjust_results
from minigan.engine.inplace import ExpandedCopySlices
from minigan.engine.ops import activation, conv, elementwise, linalg, loss, norm, pool, reduce, shape
from minigan.surface import (
    bounds,
    cdist,
    einsum_plan,
    elu,
    factors,
    fused_backward,
    indexing,
    layout,
    node_view,
    norms,
    pieces,
    pointwise,
    products,
    reductions,
    sorting,
    svd,
    unary,
    variance,
)
from minigan.surface.door_table import spellings
from minigan.surface.parity import (
    as_first,
    as_operands,
    clamped,
    loss_as,
    pow_layout,
    row_major,
    where_layout,
)


class Above:
    """A node class of minigan/functional/, which this layer below it does not import: named by its module and class
    name, all its row uses (such a row has no layout, gradient or kernel functions)."""

    def __init__(self, path: str):  # "activation._GELU": minigan.functional.activation's _GELU
        module, _, self.__name__ = path.rpartition(".")
        self.__module__ = f"minigan.functional.{module}"


class Row(NamedTuple):
    node: type | Above
    layout: Callable | None = None
    gradient: Callable | None = None
    grad_fn: str | Callable | None = None
    by_call: Callable | None = None
    kernels: type | str = ""
    calls: tuple = ()  # how a program records this node: method, in-place and function forms, on x, y (2, 3), v (3,),
    # w (3, 2), img (2, 2, 4, 4), k (2, 2, 3, 3), p (2, 3) in [0, 1], i (2,) indices
    shown: tuple = ()  # the names its doors give (shown_as), where the door decides: the node is several of PyTorch's
    # ops, or the door's result is more nodes than this one (a reduction after it, a refusal around it); with a
    # grad_fn or by_call too, the node shows that where no door names it


# ----------------------------------------------------------------------------- PyTorch's names, where the call tells
def _linear(node) -> str:  # with a bias, or not
    return "AddmmBackward0" if len(node.edges) == 3 else "MmBackward0"


def _fill(node) -> str:  # x.fill_(tensor), x.fill_(number)
    return "torch::autograd::CopyBackwards" if node.edges[1] is not None else "FillBackward2"


def _pow(node) -> str:  # number ** x, x ** number, x ** y
    return "PowBackward2" if node.edges[0] is None else "PowBackward0" if node.edges[1] is None else "PowBackward1"


def _indexing(node) -> str:
    """x[0] SelectBackward0, x[1:] SliceBackward0, x[None] UnsqueezeBackward0, x[[0, 2]] IndexBackward0: PyTorch
    indexes dimension by dimension, and its last step (the rightmost item that does something) names the node."""
    if node.advanced:
        return "IndexBackward0"
    for item in reversed(node.index):
        if item is None:
            return "UnsqueezeBackward0"
        if isinstance(item, slice) and item != slice(None):
            return "SliceBackward0"
        if not isinstance(item, slice) and item is not Ellipsis:
            return "SelectBackward0"
    return "SliceBackward0" if slice(None) in node.index else "AliasBackward0"  # x[:], x[...]


def _matmul(node) -> str:
    ndims = tuple(len(shape) for shape in node.shapes)
    return {(2, 2): "MmBackward0", (2, 1): "MvBackward0", (1, 1): "DotBackward0",
            (1, 2): "SqueezeBackward4"}.get(ndims, "UnsafeViewBackward0")  # (batched: a bmm, viewed)


def _transpose(node) -> str:  # x.transpose(1, 2), x.mT; x.T
    swaps_two = len(node.axes) > 2 and sum(a != i for i, a in enumerate(node.axes)) == 2
    return "TransposeBackward0" if swaps_two else "PermuteBackward0"


def _sum(node) -> str:  # x.sum(), x.sum(dim); x.nansum(), x.nansum(dim): the sum of nansum's NanAsZero (its dtype=
    # a Cast between), which only nansum records
    edge = node.edges[0]
    edge = edge.edges[0] if isinstance(edge, elementwise.Cast) else edge
    if isinstance(edge, reductions.NanAsZero):
        return "NansumBackward0"
    return "SumBackward0" if node.axis is None else "SumBackward1"


def _mean(node) -> str:
    return "MeanBackward0" if node.axis is None else "MeanBackward1"


def _max(node) -> str:  # x.amax(dim), x.max()
    return "AmaxBackward0" if node.amax else "MaxBackward1"


def _pool(node) -> str:
    return "AvgPool2DBackward0" if node.mode == "avg" else "MaxPool2DWithIndicesBackward0"


def _shrink(node) -> str:
    return "SoftshrinkBackward0" if node.soft else "HardshrinkBackward0"


def _elu(node) -> str:  # F.elu(x), F.selu(x); F.celu(x); in place, the backward read from the result: Backward1
    return f"{'Celu' if node.celu else 'Elu'}Backward{int(node.is_result)}"


def _lerp(node) -> str:  # x.lerp(y, 0.5), x.lerp(y, weight_tensor)
    return "LerpBackward1" if hasattr(node.inputs[2], "grad_fn") else "LerpBackward0"


def _fmod(node) -> str:  # x.fmod(2): PyTorch's Scalar overload; x.fmod(y): its Tensor one
    return "FmodBackward1" if hasattr(node.inputs[1], "grad_fn") else "FmodBackward0"


def _remainder(node) -> str:  # x % 2, x % y
    return "RemainderBackward1" if hasattr(node.inputs[1], "grad_fn") else "RemainderBackward0"


def _prod(node) -> str:  # x.prod(), x.prod(dim)
    return "ProdBackward0" if node.axis is None else "ProdBackward1"


def _huber(node) -> str:  # huber_loss's backward, under create_graph; smooth_l1_loss's
    return "SmoothL1LossBackwardBackward0" if node.smooth else "HuberLossBackwardBackward0"


_CONVOLUTION = fused_backward.convolution_backward

# The calls are the door table's spellings of each op (``spellings``) wherever they are exactly the calls the sweeps
# against PyTorch make, in their order (tests/pytorch/test_rows.py and test_gradient_grad_fn_names.py key known
# differences by these strings).  Written out by hand: what the table cannot say (nn.functional's and linalg's calls,
# indexing and attributes, ``x[0] = v``, ``x.T``; methods without a row, ``x.float()``, ``x.view(6)``; a method whose
# function form takes other arguments, ``x.permute(1, 0)``, ``x.where(x > 1, y)``; ``2 ** x``; div's rounding_mode
# beside its operators; an empty slice's scan), and the rows whose calls are a few of a spelling's forms (clamp's,
# addcmul's, addcdiv's, logit's, ``x @ v``) or in another order (pow's, remainder's, addmm's).
ROWS = (
    # elementwise (TensorIterator: the result laid out as its operands)
    Row(elementwise.Add, as_operands, calls=spellings("add", "y")),
    Row(elementwise.Sub, as_operands, calls=spellings("sub", "y")),
    Row(elementwise.Mul, as_operands, calls=spellings("mul", "y")),
    Row(elementwise.Div, as_operands, calls=spellings("div", "y")),
    Row(elementwise.Maximum, as_operands, calls=spellings("maximum", "y")),
    Row(elementwise.Minimum, as_operands, calls=spellings("minimum", "y")),
    Row(elementwise.Neg, calls=spellings("neg")),
    Row(elementwise.Exp, calls=spellings("exp")),
    Row(elementwise.Log, calls=spellings("log")),
    Row(elementwise.Sign, calls=spellings("sign")),
    Row(elementwise.Abs, calls=spellings("abs")),
    Row(elementwise.Sqrt, calls=spellings("sqrt")),
    Row(elementwise.Clone, calls=spellings("clone")),
    Row(elementwise.Cast, grad_fn="ToCopyBackward0", calls=("x.float()", "x.half()", "x.to(minigan.float32)")),
    Row(elementwise.Pow, pow_layout, pointwise.pow_backward, _pow, kernels=pointwise.PowKernels,
        calls=(*spellings("pow", "y"), "x ** 2", "2 ** x", "x.pow(2)", "x.pow_(2)", "x **= 2")),
    Row(elementwise.Where, where_layout, calls=("minigan.where(x > 1, x, y)", "x.where(x > 1, y)")),
    Row(elementwise.Clamp, clamped, grad_fn="ClampBackward1",
        calls=(*spellings("clamp", "min=0.6"), "x.clamp(0.6, 1.2)", "x.clamp_(max=1.0)", "x.clip(0.6, 1.2)")),
    Row(elementwise.Fill, grad_fn=_fill, calls=("x.fill_(1.0)", "x.zero_()")),
    Row(pieces.ClampBy, as_operands, grad_fn="ClampBackward0",  # (clamp with tensor bounds: PyTorch's clamp.Tensor)
        calls=("x.clamp(min=y)", "minigan.clamp(x, max=y)")),
    Row(bounds.RefusingClampBy, as_operands, grad_fn="ClampBackward0"),
    Row(pieces.Hardtanh, clamped, calls=("F.hardtanh(x)",)),
    Row(unary.XLogY, grad_fn="XlogyBackward0", calls=spellings("xlogy", "y")),
    Row(unary.Log1p, grad_fn="Log1PBackward0", calls=spellings("log1p")),
    # elementwise: the surface's own nodes (their derivatives PyTorch's formulas: surface/unary.py)
    Row(unary.Sin, calls=spellings("sin")),
    Row(unary.Cos, calls=spellings("cos")),
    Row(unary.Tan, calls=spellings("tan")),
    Row(unary.Asin, calls=(*spellings("asin", on="(x - 1)", in_place=False),
                         *spellings("arcsin", on="(x - 1)", in_place=False, function=False))),
    Row(unary.Acos, calls=spellings("acos", on="(x - 1)", in_place=False)),
    Row(unary.Atan, calls=spellings("atan")),
    Row(unary.Atan2, calls=(*spellings("atan2", "y"), *spellings("arctan2", "y", in_place=False, function=False))),
    Row(unary.Hypot, calls=spellings("hypot", "y")),
    Row(unary.LogAddExp, grad_fn="LogaddexpBackward0", calls=spellings("logaddexp", "y")),
    Row(unary.Addcdiv, calls=(*spellings("addcdiv", "y, v, value=2"), "x.addcdiv(y, v)", "x.addcdiv_(y, y)")),
    Row(unary.Addcmul, calls=(*spellings("addcmul", "y, v, value=2"), "x.addcmul(y, v)", "x.addcmul_(y, y)")),
    Row(unary.RoundedDiv, grad_fn="DivBackward2",
        calls=("x.div(y, rounding_mode='floor')", "x.div(y, rounding_mode='trunc')")),
    Row(unary.Fmod, grad_fn="FmodBackward0", by_call=_fmod,
        calls=(*spellings("fmod", "y"), *spellings("fmod", "2", in_place=False, function=False))),
    Row(unary.Remainder, grad_fn="RemainderBackward0", by_call=_remainder,
        calls=(*spellings("remainder", "2"), "x % y", "x.remainder(y)")),
    Row(unary.Lerp, grad_fn="LerpBackward0", by_call=_lerp,
        kernels="lerp's two forms, input + w·(end − input) for |w| < 0.5, else end − (end − input)·(1 − w)",
        calls=(*spellings("lerp", "y, v"), *spellings("lerp", "y, 0.5", function=False))),
    Row(unary.NanToNum, calls=spellings("nan_to_num")),
    Row(unary.Logit, calls=("(x / 2).logit()", "minigan.logit(x / 2, 0.1)")),
    Row(unary.Sinh, calls=spellings("sinh")),
    Row(unary.Cosh, calls=spellings("cosh")),
    Row(unary.Asinh, calls=spellings("asinh", in_place=False)),  # (x.asinh_(), acosh_, atanh_: PyTorch's without a
    Row(unary.Acosh, calls=spellings("acosh", on="(x + 1)", in_place=False)),  # derivative)
    Row(unary.Atanh, calls=spellings("atanh", on="(x - 1)", in_place=False)),
    Row(unary.Expm1, calls=spellings("expm1")),
    Row(unary.Exp2, calls=spellings("exp2")),
    Row(unary.Log2, calls=spellings("log2")),
    Row(unary.Log10, calls=spellings("log10")),
    Row(unary.Erf, calls=spellings("erf")),
    Row(unary.Erfc, calls=spellings("erfc")),
    Row(unary.Erfinv, calls=spellings("erfinv", on="(x - 1)", in_place=False)),
    Row(unary.Reciprocal, calls=spellings("reciprocal")),
    Row(unary.Rsqrt, calls=spellings("rsqrt")),
    Row(unary.Floor, calls=spellings("floor")),
    Row(unary.Ceil, calls=spellings("ceil")),
    Row(unary.Round, calls=spellings("round")),
    Row(unary.Trunc, calls=(*spellings("trunc"), *spellings("fix", in_place=False, function=False))),
    Row(unary.Frac, calls=spellings("frac")),
    Row(reductions.NanAsZero, calls=(*spellings("nansum", "1"), *spellings("nansum", function=False))),
    # activations
    Row(activation.Sigmoid, calls=(*spellings("sigmoid"), "F.sigmoid(x)")),
    Row(activation.SigmoidBackward),
    Row(activation.Tanh, calls=(*spellings("tanh"), "F.tanh(x)")),
    Row(activation.Step),
    Row(activation.Select, grad_fn="ThresholdBackwardBackward0"),  # (relu's; hardtanh's, the shrinks' too: the node
    # cannot tell, tests/pytorch/test_gradient_grad_fn_names.py)
    Row(activation.ReLU, grad_fn="ReluBackward0", calls=(*spellings("relu"), "F.relu(x)")),
    Row(activation.LeakyReLU, as_first, grad_fn="LeakyReluBackward0", shown=("LeakyReluBackward1",),  # (in place)
        calls=("F.leaky_relu(x, 0.2)", "F.leaky_relu(x, 0.2, inplace=True)", "F.leaky_relu_(x, 0.2)")),
    Row(activation.Softplus),  # (F.mish's backward; x.softplus() is no PyTorch call: F.softplus's row is below)
    Row(Above("activation._Softplus"), grad_fn="SoftplusBackward0",
        kernels="softplus's threshold: x itself where βx > it",
        calls=("F.softplus(x)", "F.softplus(x, beta=2)")),
    Row(Above("activation._SoftplusBackward"), grad_fn="SoftplusBackwardBackward0"),
    Row(Above("activation._GELU"), grad_fn="GeluBackward0", kernels="gelu's erf form, x·Φ(x), its slope one factor",
        calls=("F.gelu(x)",)),
    Row(Above("activation._GELUTanh"), grad_fn="GeluBackward0", kernels="gelu's tanh form, its slope one factor",
        calls=("F.gelu(x, approximate='tanh')",)),
    Row(Above("activation._GELUSlope"), grad_fn="GeluBackwardBackward0"),
    Row(Above("activation._GELUTanhSlope"), grad_fn="GeluBackwardBackward0"),
    Row(Above("activation._SiLU"), grad_fn="SiluBackward0", kernels="x·σ(x), its slope one factor",
        calls=("F.silu(x)",)),
    Row(Above("activation._Mish"), grad_fn="MishBackward0", kernels="x·tanh(softplus(x)), its slope one factor",
        calls=("F.mish(x)",)),
    Row(Above("activation._LogSigmoid"), grad_fn="LogSigmoidBackward0",
        kernels="log_sigmoid's, min(x, 0) − log1p(e^−|x|), with its buffer e^−|x|", calls=("F.logsigmoid(x)",)),
    Row(Above("activation._LogSigmoidBackward"), grad_fn="LogSigmoidBackwardBackward0"),
    Row(Above("activation._GLU"), grad_fn="GluBackward0", calls=("F.glu(x, 0)",)),
    Row(Above("activation._PReLU"), grad_fn="PreluKernelBackward0",
        kernels="prelu's double backward masks x ≥ 0 where its backward masks x > 0", calls=("F.prelu(x, v)",)),
    Row(Above("activation._PReLUGradInput"), grad_fn="PreluKernelBackwardBackward0"),
    Row(Above("activation._PReLUGradWeight"), grad_fn="PreluKernelBackwardBackward0"),
    Row(Above("activation._Shrink"), grad_fn="HardshrinkBackward0", by_call=_shrink,
        calls=("F.hardshrink(x)", "F.softshrink(x)")),
    Row(elu.ELU, grad_fn="EluBackward0", by_call=_elu, kernels="elu's, each number rounded to the input's dtype first",
        calls=("F.elu(x)", "F.elu(x, inplace=True)", "F.elu_(x)", "F.celu(x)", "F.celu_(x)", "F.selu(x)")),
    Row(elu.ELUBackward, grad_fn="EluBackwardBackward0"),  # (celu's too, as PyTorch's)
    Row(pieces.Hardswish, calls=("F.hardswish(x)",)),
    Row(unary.Hardsigmoid, calls=("F.hardsigmoid(x)",)),
    Row(pieces.Threshold, calls=("F.threshold(x, 1.0, 0.0)",)),
    # reductions and scans (a row-major result)
    Row(reduce.Sum, row_major, by_call=_sum,
        calls=(*spellings("sum", "0"), *spellings("sum", "", "1", function=False))),
    Row(reduce.Mean, row_major, by_call=_mean,
        calls=(*spellings("mean", "1"), *spellings("mean", "", "0", function=False))),
    Row(reduce.Max, row_major, grad_fn="MaxBackward1", by_call=_max,
        calls=(*spellings("amax", "0"), *spellings("max", function=False), *spellings("amax", "1", function=False))),
    Row(reduce.Norm2, row_major, grad_fn="LinalgVectorNormBackward0",
        calls=(*spellings("norm", function=False), "minigan.linalg.vector_norm(x)")),
    Row(reduce.Softmax, row_major, calls=(*spellings("softmax", "1", function=False), "F.softmax(x, 1)")),
    Row(reduce.LogSoftmax, row_major, grad_fn="LogSoftmaxBackward0",
        calls=(*spellings("log_softmax", "1", function=False), "F.log_softmax(x, 1)")),
    Row(factors.Prod, row_major, by_call=_prod),
    Row(reductions.Prod, row_major, by_call=_prod, calls=(*spellings("prod"), *spellings("prod", "1", function=False))),
    Row(factors.CumSum, row_major, grad_fn="CumsumBackward0",
        calls=(*spellings("cumsum", "0"), *spellings("cumsum", "1", function=False))),
    Row(factors.LogSumExp, row_major, grad_fn="LogsumexpBackward0", calls=spellings("logsumexp", "1", function=False)),
    Row(reductions.Cumprod, calls=(*spellings("cumprod", "0"), *spellings("cumprod", "1", function=False))),
    Row(reductions.LogCumSumExp, grad_fn="LogcumsumexpBackward0",
        calls=(*spellings("logcumsumexp", "0"), *spellings("logcumsumexp", "1", function=False))),
    Row(reductions._EmptyRunningExtreme, grad_fn="CummaxBackward0",  # (cummin's too)
        calls=("x[:, :0].cummax(1)[0]", "x[:, :0].cummin(1)[0]")),
    Row(variance.Var,
        calls=(*spellings("var"), *spellings("var", "1", function=False), *spellings("std", function=False),
                            "minigan.var_mean(x)[0]")),
    Row(sorting.EvenlyShared, grad_fn="MedianBackward0", calls=spellings("median", function=False)),
    Row(norms.VectorNorm, grad_fn="LinalgVectorNormBackward0",
        calls=(*spellings("norm", "3", function=False), "minigan.linalg.vector_norm(x, 3)")),
    Row(norms.InfNorm, grad_fn="LinalgVectorNormBackward0",
        calls=(*spellings("norm", "float('inf')", function=False), "minigan.linalg.vector_norm(x, float('-inf'))")),
    Row(norms.NonzeroCount, grad_fn="LinalgVectorNormBackward0", calls=spellings("norm", "p=0", function=False)),
    Row(norms.Dist, calls=(*spellings("dist", "y, 3"), *spellings("dist", "y", function=False))),
    Row(svd.SvdVals, calls=("minigan.linalg.matrix_norm(x, 'nuc')", "minigan.linalg.matrix_norm(x, 2)",
                            *spellings("norm", "p='nuc'", function=False))),
    Row(svd.SvdU, grad_fn="LinalgSvdBackward0"), Row(svd.SvdVh, grad_fn="LinalgSvdBackward0"),
    Row(cdist.Cdist, grad_fn="CdistBackward0", calls=("minigan.cdist(x, y)", "minigan.cdist(x, y, p=float('inf'))")),
    Row(cdist.EuclideanDist, calls=("minigan.cdist(x, y, compute_mode='use_mm_for_euclid_dist')",)),
    # products
    Row(linalg.MatMul, row_major, grad_fn="MmBackward0", by_call=_matmul,
        calls=(*spellings("matmul", "w"), "x @ v", *spellings("mm", "w", function=False))),
    Row(linalg.ScaledMatMul, row_major, grad_fn="MmBackward0", by_call=_matmul, kernels=products.GemmKernels,
        calls=("minigan.addmm(y, x, w @ w.t(), alpha=2)", "y.addmm(x, w @ w.t(), alpha=2)")),
    Row(linalg.Linear, row_major, grad_fn=_linear, calls=("F.linear(x, w.t())", "F.linear(x, w.t(), v[:2])")),
    Row(einsum_plan.Einsum, calls=("minigan.einsum('ii->i', x[:, :2])",)),
    Row(Above("flash_attention.FlashAttention"), grad_fn="ScaledDotProductFlashAttentionForCpuBackward0",
        kernels="PyTorch's CPU flash kernel", calls=("F.scaled_dot_product_attention(img, img, img)",)),
    # shapes, views, indexing
    Row(shape.Reshape, grad_fn="ViewBackward0",
        calls=(*spellings("reshape", "3, 2", function=False), "x.view(6)", *spellings("flatten", function=False),
               *spellings("unsqueeze", "0", in_place=False, function=False),
               *spellings("squeeze", in_place=False, function=False))),
    Row(shape.BroadcastTo, grad_fn="ExpandBackward0",
        calls=(*spellings("broadcast_to", "(2, 2, 3)"), "x.expand(4, 2, 3)")),
    Row(shape.Transpose, grad_fn="PermuteBackward0", by_call=_transpose,
        calls=(*spellings("t", in_place=False, function=False), "x.T",
               *spellings("transpose", "0, 1", in_place=False, function=False), "x.permute(1, 0)")),
    Row(shape.GetItem, grad_fn="SelectBackward0", by_call=_indexing, calls=("x[0]", "x[:, 1:]", "x[i]", "x[x > 1]")),
    Row(shape.IndexAdd),
    Row(shape.IndexPut, grad_fn="IndexPutBackward0",
        calls=(*spellings("index_put", "(i,), v", function=False), "x[0] = v")),
    Row(shape.CopySlices, grad_fn="torch::autograd::CopySlices", calls=("x[0].mul_(2)", "x[:, 1].zero_()")),
    Row(ExpandedCopySlices, grad_fn="torch::autograd::CopySlices"),
    Row(indexing._AddInto, calls=(*spellings("index_add", "0, i, y", function=False),
                                  *spellings("scatter_add", "0, i.reshape(2, 1).expand(2, 3), y", in_place=False,
                                             function=False),
                                  *spellings("index_put", "(i,), v, accumulate=True", in_place=False, function=False)),
        shown=("IndexAddBackward0", "ScatterAddBackward0", "IndexPutBackward0")),
    Row(shape.Cat, layout.cat_layout, grad_fn="CatBackward0", shown=("StackBackward0",),
        calls=(*spellings("cat", on="[x, y]"), *spellings("stack", on="[x, y]"),
               *spellings("concat", "1", on="[x, y]"))),
    Row(shape.Pad, row_major, grad_fn="ConstantPadNdBackward0", calls=("F.pad(x, (1, 1))",)),
    Row(shape.ToDevice, grad_fn="ToCopyBackward0"),
    # losses (reduction="none": laid out as the operands the kernel writes after)
    Row(loss.BCEWithLogits, loss_as(1), grad_fn="BinaryCrossEntropyWithLogitsBackward0",
        calls=("F.binary_cross_entropy_with_logits(x, p)",)),
    Row(loss.BCE, loss_as(0), fused_backward.binary_cross_entropy_backward, "BinaryCrossEntropyBackward0",
        kernels="binary_cross_entropy_backward's ε (float32 1e-12) and its double backward (fused_backward._BCEGrad)",
        calls=("F.binary_cross_entropy(x.sigmoid(), p)",)),
    Row(loss.CrossEntropy, grad_fn="NllLossBackward0", calls=("F.cross_entropy(x, i)",)),
    Row(loss.MSE, loss_as(0, 1), grad_fn="MseLossBackward0", calls=("F.mse_loss(x, y)",)),
    Row(fused_backward._BCEGrad, grad_fn="BinaryCrossEntropyBackwardBackward0"),
    Row(Above("loss._BCEWithLogitsPositive"), grad_fn="BinaryCrossEntropyWithLogitsBackward0",
        calls=("F.binary_cross_entropy_with_logits(x, p, pos_weight=v.detach())",)),
    Row(Above("loss._ClassWeighted"),
        calls=("F.nll_loss(x, i, weight=v.detach())", "F.cross_entropy(x, i, weight=v.detach())")),
    Row(Above("loss._Huber"), calls=("F.huber_loss(x, y, reduction='none')", "F.smooth_l1_loss(x, y, reduction='none')",
                              "F.huber_loss(x, y)"), shown=("HuberLossBackward0", "SmoothL1LossBackward0")),
    Row(Above("loss._HuberBackward"), grad_fn="HuberLossBackwardBackward0", by_call=_huber),
    Row(Above("loss._SoftMargin"), calls=("F.soft_margin_loss(x, p)",), shown=("SoftMarginLossBackward0",)),
    Row(Above("loss._SoftMarginBackward"), grad_fn="SoftMarginLossBackwardBackward0"),
    # convolutions, norms, pools
    Row(conv.Conv2d, gradient=_CONVOLUTION, grad_fn="ConvolutionBackward0", calls=("F.conv2d(img, k)",)),
    Row(conv.ConvTranspose2d, gradient=_CONVOLUTION, grad_fn="ConvolutionBackward0",
        calls=("F.conv_transpose2d(img, k)",)),
    Row(conv.Conv2dWeight, gradient=_CONVOLUTION),
    Row(norm.BatchNorm, gradient=fused_backward.batch_norm_backward, grad_fn="NativeBatchNormBackward0",
        calls=("F.batch_norm(img, None, None, training=True)",)),
    Row(Above("norm._Normalized"), calls=("F.layer_norm(x, (3,))", "F.group_norm(img, 2)", "F.instance_norm(img)"),
        shown=("NativeLayerNormBackward0", "NativeGroupNormBackward0")),
    Row(pool.Pool2d, grad_fn="MaxPool2DWithIndicesBackward0", by_call=_pool,
        calls=("F.max_pool2d(img, 2)", "F.avg_pool2d(img, 2)")),
    Row(pool.Unpool2d),
    Row(Above("pool._AdaptiveAvgPool2d"), grad_fn="AdaptiveAvgPool2DBackward0",
        kernels="adaptive_avg_pool2d's, each window summed in order and divided by its height, then its width",
        calls=("F.adaptive_avg_pool2d(img, 3)",)),
    Row(pool.UpsampleNearest2d, grad_fn="UpsampleNearest2DBackward0", calls=("F.interpolate(img, scale_factor=2)",)),
)


def markdown() -> str:
    """The rows as docs/pytorch.md's op table."""
    def name(f):
        return "" if f is None else f if isinstance(f, str) else f"`{f.__module__.rpartition('.')[2]}.{f.__name__}`"

    def kernels(k):  # a class of kernels: its name and the first sentence of its docstring
        return k if isinstance(k, str) else f"{name(k)}: {' '.join(k.__doc__.split()).split(': ')[0]}"
    lines = ["| node | calls that record it | layout | gradient under create_graph | grad_fn | PyTorch's kernels |",
             "|---|---|---|---|---|---|"]
    for r in ROWS:
        shown = name(r.grad_fn) or f"{r.node.__name__}Backward0"
        shown += f", by call: {name(r.by_call)}" if r.by_call else ""
        if r.shown:  # (its own name too where it has one besides the doors')
            doors = f"at its doors: {', '.join(r.shown)}"
            shown = f"{shown}; {doors}" if r.grad_fn or r.by_call else doors
        calls = ", ".join(f"`{c.replace('|', '&#124;')}`" for c in r.calls) or "(inside other ops)"
        lines.append(f"| `{r.node.__module__.removeprefix('minigan.')}.{r.node.__name__}` | {calls} | "
                     f"{name(r.layout)} | {name(r.gradient)} | {shown} | {kernels(r.kernels)} |")
    return "\n".join(lines) + "\n"


# The rows into the engine's three tables and node_view's names (by class name: a subclass kept as its base's node)
adjust_results({r.node: r.layout for r in ROWS if r.layout is not None})
GRADIENT_ADJUSTMENTS.update({r.node: r.gradient for r in ROWS if r.gradient is not None})
KERNELS.update({r.node: r.kernels for r in ROWS if not isinstance(r.kernels, str)})
node_view.NAMES.update({r.node.__name__: r.grad_fn for r in ROWS if r.grad_fn is not None})
node_view.BY_CALL.update({r.node.__name__: r.by_call for r in ROWS if r.by_call is not None})
