"""The gradient's own graph, as a program that studies higher-order gradients walks it::

    g, = torch.autograd.grad((y * w).sum(), x, create_graph=True)
    g.grad_fn, g.grad_fn.next_functions, ...

For every call of minigan/surface/ops.py's rows, under both libraries, on seeded float64 operands that require grad:
the name of the result's node, and for each operand's gradient (of the result weighted by a fixed tensor) the names
of the nodes along ``next_functions``, DEPTH levels down from ``g.grad_fn``, each node's entries compared as a
multiset (a node's entries in another order is a difference no program relies on; a constant's ``(None, 0)``
counts).  The names do not depend on the values drawn (seeds 0 to 3 give the same differences).

Where minigan's gradient graph is another graph than PyTorch's (more or fewer nodes or entries), the call is in
OTHER_GRAPH with the reason; where it is the same graph and a node shows another name that no row can give (the
node does not keep what tells), in OTHER_NAME.  docs/pytorch.md lists both ("Differences in the gradient's
graph").  Every other call's graph is PyTorch's, name for name; a declared call that comes to match, or that
differs otherwise than declared, fails too.
"""

import warnings
from pathlib import Path

import numpy as np
import pytest

import minigan
from pytorch.sweep import outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from minigan.surface import ops  # noqa: E402

DEPTH = 8
SHAPES = {"x": (2, 3), "y": (2, 3), "v": (3,), "w": (3, 2), "img": (2, 2, 4, 4), "k": (2, 2, 3, 3)}


def _space(lib, seed=0):
    """The rows' probe names: seeded float64 leaves, each handed to the call as a clone (a node in both libraries, so
    that in-place calls run; its gradient is the leaf's, passed through unchanged), p in [0, 1], i indices."""
    rng = np.random.default_rng(seed)
    leaves = {n: lib.tensor(rng.random(s) + 0.5, dtype=lib.float64, requires_grad=True) for n, s in SHAPES.items()}
    space = {"minigan": lib, "F": lib.nn.functional, **{n: t.clone() for n, t in leaves.items()}}
    space.update(p=lib.tensor(rng.random((2, 3)), dtype=lib.float64), i=lib.tensor([1, 0]))
    return space, leaves


def _tree(node, depth):
    """(name, the entries' trees sorted, how many entries are (None, 0)), ``depth`` levels down."""
    name = node.name()
    kids = [] if depth == 0 or name.endswith("AccumulateGrad") else [f for f, _ in node.next_functions]
    return (name, tuple(sorted((_tree(f, depth - 1) for f in kids if f is not None), key=repr)),
            sum(f is None for f in kids))


def _shape(tree):
    """The tree without its names: the graph's shape."""
    return tuple(sorted((_shape(t) for t in tree[1]), key=repr)), tree[2]


def graphs(lib, call):
    """{"result": the result's node's name, operand: its gradient's tree} (None: no gradient, or one with no node)."""
    space, leaves = _space(lib)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if "=" in call.replace("==", "").split("(")[0]:  # (x += y, x[0] = v: a statement, whose effect is on x)
            exec(call, space)
            out = space["x"]
        else:
            out = eval(call, space)
        weight = lib.tensor(np.arange(1, out.numel() + 1, dtype=np.float64).reshape(tuple(out.shape)) % 4 + 0.5,
                            dtype=out.dtype)
        grads = lib.autograd.grad((out * weight).sum(), list(leaves.values()), create_graph=True, allow_unused=True)
    found = {"result": out.grad_fn.name()}
    found.update({n: None if g is None or g.grad_fn is None else _tree(g.grad_fn, DEPTH)
                  for n, g in zip(leaves, grads)})
    return found


# ------------------------------------------------------------------------------------------ the declared differences
# Another graph (OTHER_GRAPH): more or fewer nodes, or entries, than PyTorch's, so no name can make it PyTorch's
NUMBER = ("a backward formula's op with a Python number: PyTorch calls its Scalar overload (MulBackward1, "
          "AddBackward1, SubBackward1: one entry), minigan's node takes the number as a constant input (MulBackward0 "
          "with (None, 0)), as x * 2 records at first order, where PyTorch's is MulBackward0 too")
FORMULA = ("minigan's backward is another composition of ops than PyTorch's formula (cos: sin·(−1) where PyTorch's "
           "is neg(sin); a where, with its (None, 0) entries, where PyTorch's masked_fill has one entry; tan, asin, "
           "atan2, erf, rsqrt, addcdiv, pow with a tensor exponent, xlogy, silu, mish, the norms, cumprod, ...)")
FUSED = ("PyTorch's backward is one fused double-backward node (TanhBackwardBackward0, SoftmaxBackwardDataBackward0, "
         "LeakyReluBackwardBackward0, HardswishBackwardBackward0, GluBackwardBackward0, MseLossBackwardBackward0, "
         "NativeBatchNormBackwardBackward0, NativeLayerNormBackwardBackward0, ConvolutionBackwardBackward0's "
         "entries), minigan's a composition of engine ops, or the node with other entries")
SLOPE = ("gelu's, huber's and smooth_l1's backward: minigan's node of PyTorch's name (GeluBackwardBackward0, "
         "HuberLossBackwardBackward0) takes the slope or the difference from a node of its own, where PyTorch's "
         "reads the input")
ENTRIES = ("a constant operand's entry: minigan's node lists it as (None, 0) where PyTorch's lists only the "
           "operands it differentiates (logsigmoid's buffer, soft_margin_loss's target; the refusal nodes of "
           "hardsigmoid's and attention's second order, torch::autograd::NotImplemented)")
IN_PLACE = ("an in-place op whose backward reads the value it overwrote: PyTorch's saves a copy (a CloneBackward0 "
            "more in the gradient's graph), minigan's node keeps that value itself")
VIEWS = ("matmul's and linear's backward: minigan transposes with a permute and reshapes with views (ViewBackward0, "
         "PermuteBackward0), where PyTorch's formula calls mm on .t() (TBackward0) and the vector forms mv")
COMPOSED = ("the result is composed of more nodes than PyTorch's one op (cummax and cummin of nothing, "
            "cross_entropy's fused node), and so its gradient's graph")
DOOR = ("a door names the node: cdist's second order refused (torch::autograd::NotImplemented where PyTorch's "
        "CdistBackwardBackward0 refuses when run)")
# The same graph, a name no row can give (OTHER_NAME): the node does not keep what tells
READ = ("the gradient of a fused kernel (a pool's, nll_loss's) as read from the input PyTorch's formula reads too "
        "(surface/reading.py's _ReadFrom): the one node where PyTorch's is its double backward, but it does not know "
        "which op's it stands for (_ReadFromBackward0)")
SHARED = ("one minigan node for several of PyTorch's: the Select of relu's, threshold's, hardtanh's and the "
          "shrinks' backward, named as relu's (ThresholdBackwardBackward0; PyTorch's HardtanhBackwardBackward0, "
          "HardshrinkBackwardBackward0, SoftshrinkBackwardBackward0); abs's backward reads the Sign node, "
          "SignBackward0 as x.sign()'s, where PyTorch's reads sgn (SgnBackward0)")
BY_CALL = ("one minigan class where PyTorch names the call and the node does not keep enough to tell: unsqueeze "
           "and squeeze are views (ViewBackward0, in logsumexp's and prod(dim)'s backward too), .t() and transpose "
           "a permute (PermuteBackward0), zero_ a fill, x[0] = v an index_put, a view written in place the "
           "view's node (PyTorch: AsStridedBackward0)")
LAST_STEP = "a composition whose last node shows: var_mean's values a Var (VarMeanBackward0)"
SVD = ("the SVD's backward: minigan's U·diag(g)·Vh is two products of its two factor nodes (each "
       "LinalgSvdBackward0), PyTorch's a product and a scaling of its one node's two outputs")

OTHER_GRAPH = {
    **dict.fromkeys(["x.mul_(y)", "x *= y", "x.div_(y)", "x /= y", "x.log_()", "x.sin_()", "x.abs_()", "x.pow_(2)",
                     "x **= 2", "x.lerp_(y, v)", "x.hypot_(y)", "x.fmod_(y)", "x.sinh_()", "x.cosh_()"], IN_PLACE),
    **dict.fromkeys(["x.sqrt()", "x.sqrt_()", "minigan.sqrt(x)", "x ** 2", "2 ** x", "x.pow(2)", "x.log1p()",
                     "x.log1p_()", "minigan.log1p(x)", "x.atan()", "x.atan_()", "minigan.atan(x)", "x.logaddexp(y)",
                     "minigan.logaddexp(x, y)", "x.addcmul(y, v)", "x.addcmul(y, v, value=2)",
                     "x.addcmul_(y, v, value=2)", "x.addcmul_(y, y)", "minigan.addcmul(x, y, v, value=2)", "x.expm1()",
                     "x.expm1_()", "minigan.expm1(x)", "x.exp2()", "x.exp2_()", "minigan.exp2(x)", "x.log2()",
                     "x.log2_()", "minigan.log2(x)", "x.log10()", "x.log10_()", "minigan.log10(x)",
                     "F.binary_cross_entropy_with_logits(x, p)", "x.std()"], NUMBER),
    **dict.fromkeys(["x ** y", "x.pow(y)", "x.pow_(y)", "x **= y", "minigan.pow(x, y)", "x.xlogy(y)", "x.xlogy_(y)",
                     "minigan.xlogy(x, y)", "x.cos()", "x.cos_()", "minigan.cos(x)", "x.tan()", "x.tan_()",
                     "minigan.tan(x)", "(x - 1).asin()", "minigan.asin(x - 1)", "(x - 1).arcsin()", "(x - 1).acos()",
                     "minigan.acos(x - 1)", "x.atan2(y)", "x.atan2_(y)", "minigan.atan2(x, y)", "x.arctan2(y)",
                     "x.addcdiv(y, v)", "x.addcdiv(y, v, value=2)", "x.addcdiv_(y, v, value=2)", "x.addcdiv_(y, y)",
                     "minigan.addcdiv(x, y, v, value=2)", "x.asinh()", "minigan.asinh(x)", "(x + 1).acosh()",
                     "minigan.acosh(x + 1)", "(x - 1).atanh()", "minigan.atanh(x - 1)", "x.erf()", "x.erf_()",
                     "minigan.erf(x)", "x.erfc()", "x.erfc_()", "minigan.erfc(x)", "(x - 1).erfinv()",
                     "minigan.erfinv(x - 1)", "x.rsqrt()", "x.rsqrt_()", "minigan.rsqrt(x)", "F.silu(x)", "F.mish(x)",
                     "x.norm()", "minigan.linalg.vector_norm(x)", "x.norm(3)", "minigan.linalg.vector_norm(x, 3)",
                     "x.norm(float('inf'))", "minigan.linalg.vector_norm(x, float('-inf'))", "minigan.dist(x, y, 3)",
                     "x.dist(y)", "x.dist(y, 3)", "minigan.cdist(x, y, compute_mode='use_mm_for_euclid_dist')",
                     "x.cumprod(1)", "x.cumprod(0)", "minigan.cumprod(x, 0)", "x.logcumsumexp(1)", "x.logcumsumexp(0)",
                     "minigan.logcumsumexp(x, 0)", "x.prod()", "minigan.prod(x)", "F.prelu(x, v)",
                     "F.binary_cross_entropy_with_logits(x, p, pos_weight=v.detach())"], FORMULA),
    **dict.fromkeys(["x.tanh()", "x.tanh_()", "minigan.tanh(x)", "F.tanh(x)", "F.leaky_relu(x, 0.2)",
                     "F.leaky_relu(x, 0.2, inplace=True)", "F.leaky_relu_(x, 0.2)", "F.glu(x, 0)", "F.hardswish(x)",
                     "x.softmax(1)", "F.softmax(x, 1)", "x.log_softmax(1)", "F.log_softmax(x, 1)", "F.mse_loss(x, y)",
                     "F.batch_norm(img, None, None, training=True)", "F.layer_norm(x, (3,))", "F.group_norm(img, 2)",
                     "F.instance_norm(img)", "F.conv2d(img, k)", "F.conv_transpose2d(img, k)"], FUSED),
    **dict.fromkeys(["F.gelu(x)", "F.gelu(x, approximate='tanh')", "F.huber_loss(x, y, reduction='none')",
                     "F.smooth_l1_loss(x, y, reduction='none')", "F.huber_loss(x, y)"], SLOPE),
    **dict.fromkeys(["F.logsigmoid(x)", "F.soft_margin_loss(x, p)", "F.hardsigmoid(x)",
                     "F.scaled_dot_product_attention(img, img, img)"], ENTRIES),
    **dict.fromkeys(["x @ w", "x @ v", "x.matmul(w)", "x.mm(w)", "minigan.matmul(x, w)",
                     "minigan.addmm(y, x, w @ w.t(), alpha=2)", "y.addmm(x, w @ w.t(), alpha=2)", "F.linear(x, w.t())",
                     "F.linear(x, w.t(), v[:2])"], VIEWS),
    **dict.fromkeys(["x[:, :0].cummax(1)[0]", "x[:, :0].cummin(1)[0]", "F.cross_entropy(x, i)",
                     "F.cross_entropy(x, i, weight=v.detach())"], COMPOSED),
    **dict.fromkeys(["minigan.cdist(x, y)", "minigan.cdist(x, y, p=float('inf'))"], DOOR),
}
OTHER_NAME = {
    **dict.fromkeys(["F.nll_loss(x, i, weight=v.detach())", "F.max_pool2d(img, 2)", "F.avg_pool2d(img, 2)",
                     "F.adaptive_avg_pool2d(img, 3)"], READ),
    **dict.fromkeys(["F.hardtanh(x)", "F.hardshrink(x)", "F.softshrink(x)", "abs(x)", "x.abs()", "minigan.abs(x)"],
                    SHARED),
    **dict.fromkeys(["x.unsqueeze(0)", "x.squeeze()", "x.t()", "x.transpose(0, 1)", "x.zero_()", "x[0] = v",
                     "x[0].mul_(2)", "x[:, 1].zero_()", "x.logsumexp(1)", "x.prod(1)"], BY_CALL),
    **dict.fromkeys(["minigan.var_mean(x)[0]"], LAST_STEP),
    **dict.fromkeys(["minigan.linalg.matrix_norm(x, 'nuc')", "minigan.linalg.matrix_norm(x, 2)",
                     "x.norm(p='nuc')"], SVD),
}


def _calls():
    return [(r.node.__name__, call) for r in ops.ROWS for call in r.calls]


test_each_rows_gradient_graph_is_pytorchs = sweep(
    lambda lib, row, call: graphs(lib, call),
    [c for c in _calls() if c[1] not in {**OTHER_GRAPH, **OTHER_NAME}], group=lambda row, call: row)


def _differences(ours, theirs) -> tuple:
    """(whether a gradient's graph differs in shape, whether the result's name or a gradient's names alone differ)."""
    shape = any(ours[k] != theirs[k] and (ours[k] is None or theirs[k] is None or _shape(ours[k]) != _shape(theirs[k]))
                for k in SHAPES)
    names = ours["result"] != theirs["result"] or any(
        ours[k] != theirs[k] and None not in (ours[k], theirs[k]) and _shape(ours[k]) == _shape(theirs[k])
        for k in SHAPES)
    return shape, names


@pytest.mark.parametrize("call", sorted({**OTHER_GRAPH, **OTHER_NAME}))
def test_each_declared_call_differs_as_declared(call):
    """A call in OTHER_GRAPH: a gradient's graph of another shape; in OTHER_NAME: the same graphs, other names (the
    result's or a gradient's)."""
    ours, theirs = outcome(graphs, minigan, call), outcome(graphs, torch, call)
    assert not isinstance(theirs, Exception) and not isinstance(ours, Exception), (ours, theirs)
    assert ours != theirs, f"{call!r} now gives PyTorch's gradient graph: take it off the declared differences"
    shape, names = _differences(ours, theirs)
    if call in OTHER_GRAPH:
        assert shape, f"{call!r}: the same graph as PyTorch's, other names only: a row's name, or OTHER_NAME"
    else:
        assert names and not shape, f"{call!r}: another graph than PyTorch's, not just other names: OTHER_GRAPH"


def test_the_declared_calls_are_rows_calls():
    calls = {c for _, c in _calls()}
    assert not set({**OTHER_GRAPH, **OTHER_NAME}) - calls


def test_the_docs_list_the_declared_differences():
    """docs/pytorch.md, "Differences in the gradient's graph": one line per reason with its calls, and the counts."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "pytorch.md").read_text()
    section = doc.split("### Differences in the gradient's graph\n")[1].split("\n## ")[0]
    lines = [line for line in section.splitlines() if line.startswith("- ")]
    for declared in (OTHER_GRAPH, OTHER_NAME):
        for reason in set(declared.values()):
            calls = [c for c, r in declared.items() if r == reason]
            assert any(reason in line and all(f"`{c}`" in line for c in calls) for line in lines), \
                f"docs/pytorch.md lists no line with this reason and its calls ({calls}): {reason}"
    assert len(lines) == len(set(OTHER_GRAPH.values())) + len(set(OTHER_NAME.values()))
    same = len(_calls()) - len(OTHER_GRAPH) - len(OTHER_NAME)
    words = " ".join(section.split())
    assert f"{same} calls give PyTorch's graph name for name; {len(OTHER_GRAPH)} give another graph" in words
    assert f"and {len(OTHER_NAME)} the same graph with a name no row can give" in words
