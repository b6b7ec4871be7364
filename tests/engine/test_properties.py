"""The engine's properties: one row per op, and six things every op must do.

ROWS below has one row for each op of the engine (each ``Node`` subclass in minigan/engine/ops/), and FUSED one
for each fused kernel (``@backend.fused``): what values and shapes its inputs may take (its domain: 0-d, empty and
broadcast shapes included where the op takes them) and how it is called.  Hypothesis draws inputs from that
domain, and for every row:

0. the value is the op's formula written plainly in NumPy (FORMULAS: all but the convolutions and Unpool2d,
   whose adjoint pairs and gradients tie them down);
1. the gradient matches central finite differences (``minigan.gradcheck``, float64);
2. so does the gradient of the gradient (``minigan.gradgradcheck``: a backward run with ``create_graph=True``);
3. gradients accumulate: an input used twice gets the sum of both uses, and two backward passes add up;
4. a value the op saved for its backward, changed in place afterwards, makes backward raise (the version counter),
   and an input it did not save may change freely;
5. its twins agree: float32 gives float32 values and gradients near float64's, and the strict stand-in for CuPy
   (tests/strict_backend.py: the GPU's code path on a CPU) gives NumPy's.

Adding an op to the engine?  Add its row (test_every_op_has_a_row fails until you do): an ``inputs`` strategy that
returns (arrays, params) and a ``call(*tensors, **params)`` that applies the op.  docs/testing.md walks through one.
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays, mutually_broadcastable_shapes
from strict_backend import installed, strict

import minigan
from engine.helpers_formulas import _lse, _pool, _reduced, _sigmoid
from engine.helpers_higher_order import the_engine_alone  # noqa: F401  (a fixture: used by every test here)
from minigan.engine import backend
from minigan.engine import ops as engine_ops
from minigan.engine.errors import GraphError
from minigan.engine.graph import Node
from minigan.engine.ops import activation as A
from minigan.engine.ops import conv as C
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import linalg as L
from minigan.engine.ops import loss as LS
from minigan.engine.ops import norm as N
from minigan.engine.ops import pool as P
from minigan.engine.ops import reduce as R
from minigan.engine.ops import shape as S
from minigan.surface import einsum_plan as SE
from minigan.surface import factors as SF
from minigan.surface import pieces as SA

MODULES = (E, A, R, S, L, LS, C, N, P)
MOVED = (SA, SE, SF)  # ops that left the engine for the surface (only its doors call them): rows of their own still
pytestmark = pytest.mark.usefixtures("the_engine_alone")  # the engine alone: Pow without its row's kernels


# ----------------------------------------------------------------------------- drawing inputs
def values(shape, lo=-2.0, hi=2.0, kinks=(), unique=False, zeros=False):
    """float64 arrays of ``shape`` in [lo, hi], at least 0.05 from each of ``kinks`` (where the op has no derivative,
    finite differences would straddle it), all different with ``unique``."""
    elements = st.floats(lo, hi, allow_nan=False, width=64)
    if unique:  # distinct values, at least 0.01 apart (a max with no near ties)
        elements = st.integers(int(lo * 100), int(hi * 100)).map(lambda v: v / 100)
    if kinks:
        elements = elements.filter(lambda v: all(abs(v - k) >= 0.05 for k in kinks))
    if zeros:  # exact zeros too, often (a product's gradient has its own formula there)
        elements = st.one_of(st.just(0.0), elements)
    return arrays(np.float64, shape, elements=elements, unique=unique)


ANY = array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3)       # 0-d and empty included
FULL = array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)      # 0-d, nothing empty
AXES = array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)      # something to reduce along
LOSS = {"reduction": st.sampled_from(["mean", "sum", "none"])}  # a loss's params


@st.composite
def unary(draw, lo=-2.0, hi=2.0, kinks=(), shapes=ANY, unique=False, params=None):
    """One array; ``params``: strategies for the op's other arguments, by name."""
    x = draw(values(draw(shapes), lo, hi, kinks, unique))
    return (x,), {k: draw(v) for k, v in (params or {}).items()}


@st.composite
def broadcast(draw, n=2, ranges=((-2.0, 2.0),) * 3, min_side=0):
    """``n`` arrays whose shapes broadcast together (and may differ in length, hold 1s, be 0-d or empty)."""
    shapes = draw(mutually_broadcastable_shapes(num_shapes=n, min_dims=0, max_dims=3, min_side=min_side,
                                                max_side=3)).input_shapes
    return tuple(draw(values(s, *ranges[i])) for i, s in enumerate(shapes)), {}


@st.composite
def same_shape(draw, n=2, ranges=((-2.0, 2.0),) * 3, shapes=ANY, params=None):
    shape = draw(shapes)
    return tuple(draw(values(shape, *ranges[i])) for i in range(n)), {k: draw(v) for k, v in (params or {}).items()}


@st.composite
def broadcasts_to(draw, shape):
    """A shape that broadcasts to ``shape`` (and no further): a suffix of it, some sizes made 1."""
    suffix = shape[draw(st.integers(0, len(shape))):]
    return tuple(1 if draw(st.booleans()) else n for n in suffix)


@st.composite
def axis_of(draw, shape, tuples=True, none=True):
    """An axis of ``shape``, a tuple of them, or None (from 0: the doors make a negative axis positive first)."""
    nd = len(shape)
    choices = ([st.none()] if none else []) + ([st.integers(0, nd - 1)] if nd else [])
    if tuples and nd:
        choices.append(st.lists(st.integers(0, nd - 1), min_size=1, max_size=nd, unique=True).map(tuple))
    return draw(st.one_of(*choices)) if choices else None


@st.composite
def reduction(draw, lo=-2.0, hi=2.0, kinks=(), shapes=ANY, unique=False, tuples=True, none=True, keepdims=True,
              zeros=False):
    x = draw(values(draw(shapes), lo, hi, kinks, unique, zeros))
    params = {"axis": draw(axis_of(x.shape, tuples, none))}
    if keepdims:
        params["keepdims"] = draw(st.booleans())
    return (x,), params


@st.composite
def distinct_pair(draw):
    """Two broadcasting arrays with no ties (where max and min have no derivative)."""
    (a, b), _ = draw(broadcast())
    assume(np.all(np.abs(a - b) >= 0.05))
    return (a, b), {}


@st.composite
def where(draw):
    s_a, s_b, s_c = draw(mutually_broadcastable_shapes(num_shapes=3, max_dims=3, max_side=3)).input_shapes
    return (draw(values(s_a)), draw(values(s_b))), {"cond": draw(arrays(bool, s_c))}


@st.composite
def clamp_by(draw):
    bounds = draw(st.sampled_from(["both", "min", "max"]))
    (a, lo, hi), _ = draw(broadcast(3, ((-2, 2), (-1.5, -0.1), (0.1, 1.5))))
    arrays_ = (a, lo, hi) if bounds == "both" else (a, lo if bounds == "min" else hi)
    assume(np.all(np.abs(a - lo) >= 0.05) and np.all(np.abs(a - hi) >= 0.05))
    return arrays_, {"bounds": bounds}


@st.composite
def fill(draw):
    shape = draw(ANY)
    return (draw(values(shape)), draw(values(draw(broadcasts_to(shape))))), {}


@st.composite
def pow_(draw):
    """A positive base and a tensor exponent (broadcast), or a number exponent (a NumPy scalar, a constant)."""
    if draw(st.booleans()):  # (exact zeros in b, often: a^b is smooth there for a > 0, where ∂²/∂a∂b = 1/a)
        return draw(broadcast(2, ((0.3, 2.0), (-2.0, 2.0, (), False, True))))  # (each range: values' arguments)
    (a,), _ = draw(unary(0.3, 2.0))
    return (a,), {"number": draw(st.sampled_from([2.0, 3.0, 0.5, -0.5, -1.5, -2.0, 0.0]))}


@st.composite
def select(draw):
    (grad, x), _ = draw(same_shape())
    return (grad, x), {"keep": draw(arrays(bool, grad.shape))}


@st.composite
def new_shape(draw):
    (x,), _ = draw(unary(shapes=ANY))
    n = x.size
    shape = draw(st.sampled_from([(n,), (-1,), x.shape[::-1], (1,) + x.shape, x.shape + (1,)] + ([()] * (n == 1))))
    return (x,), {"shape": shape}


@st.composite
def broadcast_to(draw):
    target = draw(array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=3))
    return (draw(values(draw(broadcasts_to(target)))),), {"shape": target}


@st.composite
def transpose(draw):
    (x,), _ = draw(unary(shapes=ANY))
    return (x,), {"axes": tuple(draw(st.permutations(range(x.ndim))))}


@st.composite
def index(draw, shape, repeats=True):
    """(index, advanced), as the Tensor door hands it to GetItem: basic slicing, or integer arrays (repeats added)."""
    n = shape[0]
    kind = draw(st.sampled_from(["slice", "int", "array", "tuple"]))
    if kind == "slice":
        return slice(draw(st.integers(-n, n)), draw(st.integers(-n, n)), draw(st.sampled_from([1, 2, -1]))), False
    if kind == "int":
        return draw(st.integers(-n, n - 1)), False
    rows = draw(st.lists(st.integers(-n, n - 1), max_size=4) if repeats else st.lists(st.integers(0, n - 1), max_size=4,
                                                                                     unique=True))
    rows = np.asarray(rows, dtype=np.int64)
    return ((rows,) if kind == "array" else (rows, slice(None))[:len(shape)]), True


@st.composite
def getitem(draw):
    (x,), _ = draw(unary(shapes=AXES))
    return (x,), {"index": draw(index(x.shape))}


@st.composite
def index_add(draw):
    shape = draw(AXES)
    where_ = draw(index(shape))
    return (draw(values(np.empty(shape)[where_[0]].shape)),), {"index": where_, "shape": shape}


@st.composite
def index_put(draw):
    (a,), _ = draw(unary(shapes=AXES))
    where_ = draw(index(a.shape, repeats=False))  # a repeated index writes once: its other copies get no gradient
    return (a, draw(values(draw(broadcasts_to(a[where_[0]].shape))))), {"index": where_}


@st.composite
def cat(draw):
    shape = draw(AXES)
    axis = draw(st.integers(0, len(shape) - 1))
    sizes = draw(st.lists(st.integers(0, 3), min_size=1, max_size=3))
    return tuple(draw(values(shape[:axis] + (k,) + shape[axis + 1:])) for k in sizes), {"axis": axis}


@st.composite
def pad(draw):
    (x,), _ = draw(unary(shapes=AXES))
    widths = tuple((draw(st.integers(0, 2)), draw(st.integers(0, 2))) for _ in x.shape)
    return (x,), {"pad_width": widths, "value": draw(st.sampled_from([0.0, -1.5]))}


@st.composite
def matmul(draw):
    n, k, m = draw(st.integers(1, 3)), draw(st.integers(0, 3)), draw(st.integers(1, 3))
    batch_a, batch_b = draw(mutually_broadcastable_shapes(num_shapes=2, max_dims=2, max_side=2)).input_shapes
    a_shape = (k,) if draw(st.booleans()) else batch_a + (n, k)  # 1-D: a row vector
    b_shape = (k,) if draw(st.booleans()) else batch_b + (k, m)  # 1-D: a column vector
    return (draw(values(a_shape)), draw(values(b_shape))), {}


@st.composite
def scaled_matmul(draw):  # the engine's textbook α·(AB) (the_engine_alone: no row of KERNELS), α of either sign,
    xs, _ = draw(matmul())  # whichever BLAS routine the door names
    return xs, {"alpha": draw(st.sampled_from([-1.5, 0.5, 2.0, 3])), "blas": draw(st.sampled_from([None, "gemm"]))}


@st.composite
def linear(draw):
    lead, n_in, n_out = draw(array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=3)), draw(st.integers(1, 3)), \
        draw(st.integers(1, 3))
    xs = (draw(values(lead + (n_in,))), draw(values((n_out, n_in))))
    return xs + ((draw(values((n_out,))),) if draw(st.booleans()) else ()), {}


EINSUMS = [(("ij", "jk"), "ik"), (("ij",), "ji"), (("ii",), "i"), (("ij", "ij"), ""), (("bij", "bjk"), "bik"),
           (("i", "j"), "ij"), (("ij", "j"), "i"), (("iij",), "j")]


@st.composite
def einsum(draw):
    subscripts, output = draw(st.sampled_from(EINSUMS))
    size = {c: draw(st.integers(1, 3)) for c in "ijkb"}
    return tuple(draw(values(tuple(size[c] for c in s))) for s in subscripts), {"subscripts": subscripts,
                                                                               "output": output}


@st.composite
def cross_entropy(draw):
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 4))
    labels = np.asarray(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    return (draw(values((n, c))),), {"labels": labels, "reduction": draw(LOSS["reduction"])}


@st.composite
def geometry(draw, transposed=False):
    """A small image batch and a convolution's geometry that fits it: stride, padding, dilation, groups."""
    groups, n = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    c, o = groups * draw(st.integers(1, 2)), groups * draw(st.integers(1, 2))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2))), (draw(st.integers(1, 2)), 1)
    padding = (draw(st.integers(0, kh // 2)), draw(st.integers(0, kw // 2)))
    h, w = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    ho = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) // stride[0] + 1
    wo = (w + 2 * padding[1] - dilation[1] * (kw - 1) - 1) // stride[1] + 1
    assume(ho >= 1 and wo >= 1)
    return dict(n=n, c=c, o=o, h=h, w=w, ho=ho, wo=wo, kernel=(kh, kw), stride=stride, padding=padding,
                dilation=dilation, groups=groups)


@st.composite
def conv2d(draw):
    g = draw(geometry())
    xs = (draw(values((g["n"], g["c"], g["h"], g["w"]))), draw(values((g["o"], g["c"] // g["groups"]) + g["kernel"])))
    bias = (draw(values((g["o"],))),) if draw(st.booleans()) else ()
    return xs + bias, {k: g[k] for k in ("stride", "padding", "dilation", "groups")}


@st.composite
def conv_transpose2d(draw):
    g = draw(geometry())  # conv2d's geometry read backwards: its output is this op's input
    output_padding = tuple(draw(st.integers(0, s - 1)) for s in g["stride"])  # (the door pads for one < dilation)
    xs = (draw(values((g["n"], g["o"], g["ho"], g["wo"]))), draw(values((g["o"], g["c"] // g["groups"]) + g["kernel"])))
    bias = (draw(values((g["c"],))),) if draw(st.booleans()) else ()
    return xs + bias, {"stride": g["stride"], "padding": g["padding"], "output_padding": output_padding,
                       "dilation": g["dilation"], "groups": g["groups"]}


@st.composite
def conv2d_weight(draw):
    g = draw(geometry())
    xs = (draw(values((g["n"], g["c"], g["h"], g["w"]))), draw(values((g["n"], g["o"], g["ho"], g["wo"]))))
    return xs, {"kernel_size": g["kernel"], **{k: g[k] for k in ("stride", "padding", "dilation", "groups")}}


@st.composite
def batch_norm(draw):
    shape = draw(array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=3))
    training = draw(st.booleans())
    assume(not training or np.prod(shape) // shape[1] >= 2)  # a batch statistic needs two values per channel
    c = shape[1]
    xs = (draw(values(shape)), draw(values((c,))), draw(values((c,))))
    running = (draw(values((c,))), draw(values((c,), 0.5, 2.0))) if not training else (None, None)
    return xs, {"training": training, "running_mean": running[0], "running_var": running[1], "momentum": 0.1,
                "eps": 1e-5}


@st.composite
def pool(draw, adjoint=False):
    """Pool2d's (or, ``adjoint``, Unpool2d's) arguments: mode, a window's geometry, and for the max its offsets."""
    g = draw(geometry())
    mode = draw(st.sampled_from(["avg", "max"]))
    assume(mode == "max" or g["dilation"] == (1, 1))  # (PyTorch's avg_pool2d has no dilation)
    n, c, h, w, out_hw = g["n"], g["c"], g["h"], g["w"], (g["ho"], g["wo"])
    params = dict(mode=mode, kernel_size=g["kernel"], stride=g["stride"], padding=g["padding"],
                  dilation=g["dilation"], out_hw=out_hw, count_include_pad=draw(st.booleans()))
    x = draw(values((n, c, h, w), unique=True))  # distinct values: a max with no ties
    if mode == "max":
        params["argmax"] = P._running_max(x, g["kernel"], g["stride"], g["padding"], g["dilation"], out_hw)[1]
    elif adjoint:
        params["divisor"] = P._divisors(np, (h, w), g["kernel"], g["stride"], g["padding"], out_hw,
                                        params["count_include_pad"])
    if adjoint:
        del params["count_include_pad"]  # (Unpool2d is given the divisors)
        return (draw(values((n, c) + out_hw)),), dict(params, in_hw=(h, w))
    return (x,), params


@st.composite
def upsample(draw):
    (x,), _ = draw(unary(shapes=array_shapes(min_dims=4, max_dims=4, min_side=0, max_side=3)))
    return (x,), {"scale": (draw(st.integers(1, 3)), draw(st.integers(1, 3)))}


def copy_slices(base, src, rows):
    """An in-place op on a view (``base[rows] *= src``): base's history becomes a CopySlices node."""
    out = base * 1.0
    view = out[rows]
    view.mul_(src)
    return out


@st.composite
def copy_slices_inputs(draw):
    (base,), _ = draw(unary(shapes=AXES))
    rows = slice(draw(st.integers(0, base.shape[0])), None)
    return (base, draw(values(draw(broadcasts_to(base[rows].shape))))), {"rows": rows}


# ----------------------------------------------------------------------------- the table: one row per op
@dataclass
class Row:
    inputs: st.SearchStrategy  # draws (arrays, params): the op's domain
    call: Callable             # call(*tensors, **params) -> Tensor: the op applied
    second: bool = True        # check the second derivative too (False: a comment says why)


def apply(op, **fixed):
    """call for an op whose apply takes the tensors, then keywords."""
    return lambda *xs, **params: op.apply(*xs, **fixed, **params)


ROWS = {
    # elementwise
    E.Add: Row(broadcast(), apply(E.Add)),
    E.Sub: Row(broadcast(), apply(E.Sub)),
    E.Mul: Row(broadcast(), apply(E.Mul)),
    E.Div: Row(broadcast(2, ((-2, 2), (0.5, 2.0))), apply(E.Div)),
    E.Neg: Row(unary(), apply(E.Neg)),
    E.Pow: Row(pow_(), lambda a, b=None, number=None: E.Pow.apply(a, a.array.dtype.type(number))  # (as the door)
               if number is not None else E.Pow.apply(a, b)),
    E.Exp: Row(unary(), apply(E.Exp)),
    E.Log: Row(unary(0.3, 3.0), apply(E.Log)),
    E.Sign: Row(unary(kinks=(0,)), apply(E.Sign), second=False),  # its derivative is 0, a constant: no graph
    E.Abs: Row(unary(kinks=(0,)), apply(E.Abs)),
    E.Sqrt: Row(unary(0.3, 3.0, params={"flat_at_zero": st.booleans()}), apply(E.Sqrt)),
    E.Clamp: Row(unary(kinks=(-0.5, 0.5), params={"lo": st.sampled_from([-0.5, None]), "hi": st.just(0.5)}),
                 apply(E.Clamp)),
    E.Fill: Row(fill(), apply(E.Fill)),
    E.Clone: Row(unary(params={"order": st.sampled_from([None, "C"])}), apply(E.Clone)),
    E.Cast: Row(unary(), apply(E.Cast, dtype=np.float64)),  # float32 → float64 in test_twins_agree
    E.Maximum: Row(distinct_pair(), apply(E.Maximum)),
    E.Minimum: Row(distinct_pair(), apply(E.Minimum)),
    E.Where: Row(where(), apply(E.Where)),
    SA.ClampBy: Row(clamp_by(), apply(SA.ClampBy)),
    # activations
    A.Sigmoid: Row(unary(-4, 4), apply(A.Sigmoid)),
    A.SigmoidBackward: Row(same_shape(2, ((-2, 2), (0.05, 0.95))), apply(A.SigmoidBackward)),
    A.Tanh: Row(unary(), apply(A.Tanh)),
    A.Step: Row(unary(kinks=(0,)), apply(A.Step), second=False),  # likewise
    A.Select: Row(select(), apply(A.Select)),
    A.ReLU: Row(unary(kinks=(0,)), apply(A.ReLU)),
    A.LeakyReLU: Row(unary(kinks=(0,), params={"negative_slope": st.sampled_from([0.01, 0.2, -0.5, 2.0]),
                                                "of_result": st.booleans()}),  # (of_result: the in-place form's
                     lambda x, negative_slope, of_result: A.LeakyReLU.apply(  # node, mask from its result, slope ≥ 0)
                         x, negative_slope=negative_slope, of_result=of_result and negative_slope >= 0)),
    SA.Hardtanh: Row(unary(kinks=(-1, 1)), apply(SA.Hardtanh)),
    SA.Threshold: Row(unary(kinks=(0.3,), params={"threshold": st.just(0.3), "value": st.just(-1.0)}),
                     apply(SA.Threshold)),
    SA.Hardswish: Row(unary(-4, 4, kinks=(-3, 3)), apply(SA.Hardswish)),
    A.Softplus: Row(unary(-4, 4), apply(A.Softplus)),
    # reductions
    R.Sum: Row(reduction(), apply(R.Sum)),
    R.Mean: Row(reduction(shapes=FULL), apply(R.Mean)),
    R.Max: Row(reduction(shapes=FULL, unique=True), apply(R.Max)),
    R.Norm2: Row(reduction(0.2, 2.0, shapes=FULL), apply(R.Norm2)),
    SF.Prod: Row(reduction(0.3, 1.5, shapes=FULL, tuples=False, zeros=True), apply(SF.Prod)),
    SF.CumSum: Row(reduction(shapes=AXES, tuples=False, none=False, keepdims=False).map(
        lambda d: (d[0], dict(d[1], reverse=False))), apply(SF.CumSum)),
    SF.LogSumExp: Row(reduction(shapes=FULL), apply(SF.LogSumExp)),
    R.Softmax: Row(reduction(shapes=AXES, tuples=False, none=False, keepdims=False), apply(R.Softmax)),
    R.LogSoftmax: Row(reduction(shapes=AXES, tuples=False, none=False, keepdims=False), apply(R.LogSoftmax)),
    # shapes
    S.Reshape: Row(new_shape(), apply(S.Reshape)),
    S.BroadcastTo: Row(broadcast_to(), apply(S.BroadcastTo)),
    S.Transpose: Row(transpose(), apply(S.Transpose)),
    S.GetItem: Row(getitem(), apply(S.GetItem)),
    S.IndexAdd: Row(index_add(), apply(S.IndexAdd)),
    S.IndexPut: Row(index_put(), apply(S.IndexPut)),
    S.CopySlices: Row(copy_slices_inputs(), copy_slices),
    S.Cat: Row(cat(), apply(S.Cat)),
    S.Pad: Row(pad(), apply(S.Pad)),
    S.ToDevice: Row(unary(), apply(S.ToDevice, device="cpu")),
    # linear algebra
    L.MatMul: Row(matmul(), apply(L.MatMul)),
    L.ScaledMatMul: Row(scaled_matmul(), apply(L.ScaledMatMul)),
    L.Linear: Row(linear(), apply(L.Linear)),
    SE.Einsum: Row(einsum(), apply(SE.Einsum)),
    # losses
    LS.BCEWithLogits: Row(same_shape(2, ((-4, 4), (0, 1)), shapes=FULL, params=LOSS), apply(LS.BCEWithLogits)),
    LS.BCE: Row(same_shape(2, ((0.05, 0.95), (0, 1)), shapes=FULL, params=LOSS), apply(LS.BCE)),
    LS.CrossEntropy: Row(cross_entropy(), apply(LS.CrossEntropy)),
    LS.MSE: Row(same_shape(2, shapes=FULL, params=LOSS), apply(LS.MSE)),
    # convolutions, normalisation, pooling
    C.Conv2d: Row(conv2d(), apply(C.Conv2d)),
    C.ConvTranspose2d: Row(conv_transpose2d(), apply(C.ConvTranspose2d)),
    C.Conv2dWeight: Row(conv2d_weight(), apply(C.Conv2dWeight)),
    N.BatchNorm: Row(batch_norm(), lambda x, gamma, beta, **params: N.BatchNorm.apply(x, gamma, beta, **params)),
    P.Pool2d: Row(pool(), apply(P.Pool2d)),
    P.Unpool2d: Row(pool(adjoint=True), apply(P.Unpool2d)),
    P.UpsampleNearest2d: Row(upsample(), apply(P.UpsampleNearest2d)),
}


# What each op's forward gives, written plainly in NumPy (the convolutions and the pools' adjoint: their adjoint pairs
# and gradients tie them down); test_value_is_its_formula holds every op listed here to it.
FORMULAS = {
    E.Add: lambda a, b: a + b, E.Sub: lambda a, b: a - b, E.Mul: lambda a, b: a * b, E.Div: lambda a, b: a / b,
    E.Neg: lambda a: -a, E.Exp: np.exp, E.Log: np.log, E.Sign: np.sign, E.Abs: np.abs,
    E.Sqrt: lambda a, flat_at_zero: np.sqrt(a),
    E.Pow: lambda a, b=None, number=None: a ** (b if number is None else number),
    E.Clamp: lambda a, lo, hi: np.minimum(np.maximum(a, -np.inf if lo is None else lo), hi),
    E.Fill: lambda a, b: np.broadcast_to(b, a.shape), E.Clone: lambda a, order: a, E.Cast: lambda a: a,
    E.Maximum: np.maximum, E.Minimum: np.minimum, E.Where: lambda a, b, cond: np.where(cond, a, b),
    SA.ClampBy: lambda a, b, c=None, bounds="both": (np.minimum(a, b) if bounds == "max" else  # b: the bound given
                                                     np.maximum(a, b) if c is None else np.clip(a, b, c)),
    A.Sigmoid: _sigmoid, A.SigmoidBackward: lambda g, s: g * s * (1 - s), A.Tanh: np.tanh,
    A.Step: lambda x: (x > 0) * 1.0, A.Select: lambda g, x, keep: np.where(keep, g, 0), A.ReLU: lambda x: x * (x > 0),
    A.LeakyReLU: lambda x, negative_slope, of_result: np.where(x > 0, x, negative_slope * x),
    SA.Hardtanh: lambda x: np.clip(x, -1, 1),
    SA.Threshold: lambda x, threshold, value: np.where(x > threshold, x, value),
    SA.Hardswish: lambda x: x * np.clip(x + 3, 0, 6) / 6, A.Softplus: lambda x: np.log1p(np.exp(x)),
    R.Sum: np.sum, R.Mean: np.mean, R.Max: np.max, SF.Prod: np.prod, SF.LogSumExp: _lse,
    R.Norm2: lambda x, axis, keepdims: np.sqrt((x * x).sum(axis=axis, keepdims=keepdims)),
    SF.CumSum: lambda x, axis, reverse: np.cumsum(x, axis=axis),
    R.Softmax: lambda x, axis: np.exp(x) / np.exp(x).sum(axis=axis, keepdims=True),
    R.LogSoftmax: lambda x, axis: x - _lse(x, axis, keepdims=True),
    S.Reshape: np.reshape, S.BroadcastTo: np.broadcast_to, S.Transpose: np.transpose,
    S.GetItem: lambda x, index: x[index[0]], S.Cat: lambda *xs, axis: np.concatenate(xs, axis),
    S.Pad: lambda x, pad_width, value: np.pad(x, pad_width, constant_values=value),
    L.MatMul: np.matmul, L.ScaledMatMul: lambda a, b, alpha, blas: alpha * np.matmul(a, b),
    L.Linear: lambda x, w, b=0.0: x @ w.T + b,
    SE.Einsum: lambda *xs, subscripts, output: np.einsum(",".join(subscripts) + "->" + output, *xs),
    LS.BCEWithLogits: lambda x, t, reduction: _reduced(-(t * np.log(_sigmoid(x)) + (1 - t) * np.log(1 - _sigmoid(x))),
                                                      reduction),
    LS.BCE: lambda p, t, reduction: _reduced(-(t * np.log(p) + (1 - t) * np.log(1 - p)), reduction),
    LS.CrossEntropy: lambda x, labels, reduction: _reduced(_lse(x, 1) - x[np.arange(len(x)), labels], reduction),
    LS.MSE: lambda x, y, reduction: _reduced((x - y) ** 2, reduction),
    P.Pool2d: _pool, P.UpsampleNearest2d: lambda x, scale: x.repeat(scale[0], axis=2).repeat(scale[1], axis=3),
}


def registry():
    """Every op of the engine: the Node subclasses defined in minigan/engine/ops/ (and those that moved up)."""
    return {v for module in MODULES + MOVED for v in vars(module).values()
            if isinstance(v, type) and issubclass(v, Node) and v.__module__ == module.__name__}


def test_every_op_has_a_row():
    """A new op needs a row in ROWS (and a module of minigan/engine/ops/ needs its place in MODULES)."""
    listed = {m.__name__.rsplit(".", 1)[1] for m in MODULES} | {"namespace", "__init__"}
    assert {p.stem for p in Path(engine_ops.__file__).parent.glob("*.py")} == listed
    missing, stale = registry() - set(ROWS), set(ROWS) - registry()
    assert not missing, f"ops without a row in tests/engine/test_properties.py: {sorted(c.__name__ for c in missing)}"
    assert not stale, f"rows for ops the engine no longer has: {sorted(c.__name__ for c in stale)}"


OPS = sorted(ROWS, key=lambda c: (c.__module__, c.__name__))
IDS = [c.__name__ for c in OPS]


# ----------------------------------------------------------------------------- running a row
def leaves(xs, dtype=np.float64):
    return [minigan.tensor(x.astype(dtype), requires_grad=True) for x in xs]


def on_device(params):
    """The params' arrays (a mask, labels, an index) as device arrays, for the strict stand-in."""
    def move(v):
        if isinstance(v, np.ndarray):
            return strict.asarray(v)
        return tuple(move(u) for u in v) if isinstance(v, tuple) else v
    return {k: move(v) for k, v in params.items()}


def gradients(row, xs, params, weights):
    """The op's output and each input's gradient of ⟨weights, output⟩, as host arrays (zeros for no gradient)."""
    out = row.call(*xs, **params)
    (out * minigan.tensor(weights, dtype=out.dtype, device=out.device)).sum().backward()
    grads = [backend.asnumpy(x.grad) if x.grad is not None else np.zeros(x.shape) for x in xs]
    return out, grads


def draw_row(data, op):
    xs, params = data.draw(ROWS[op].inputs)
    return ROWS[op], xs, params


# ----------------------------------------------------------------------------- 0: the value
@pytest.mark.parametrize("op", list(FORMULAS), ids=[c.__name__ for c in FORMULAS])
@settings(max_examples=12)
@given(data=st.data())
def test_value_is_its_formula(op, data):
    row, xs, params = draw_row(data, op)
    expected = FORMULAS[op](*xs, **params)
    np.testing.assert_allclose(row.call(*leaves(xs), **params).array, expected, rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- 1, 2: derivatives of both orders
@pytest.mark.parametrize("op", OPS, ids=IDS)
@settings(max_examples=8)
@given(data=st.data())
def test_gradient_matches_finite_differences(op, data):
    row, xs, params = draw_row(data, op)
    assert minigan.gradcheck(lambda *ts: row.call(*ts, **params), leaves(xs), atol=1e-6, rtol=1e-4)


@pytest.mark.parametrize("op", [op for op in OPS if ROWS[op].second], ids=[c.__name__ for c in OPS if ROWS[c].second])
@settings(max_examples=4)
@given(data=st.data())
def test_second_derivative_matches_finite_differences(op, data):
    """The backward run with create_graph=True gives the plain backward's gradient, and differentiates right."""
    row, xs, params = draw_row(data, op)
    ts = leaves(xs)
    w = minigan.tensor(np.random.default_rng(0).standard_normal(row.call(*ts, **params).shape))  # (not all ones:
    plain, recorded = (minigan.autograd.grad((row.call(*ts, **params) * w).sum(), ts, create_graph=graph,  # a term
                                             allow_unused=True) for graph in (False, True))  # may vanish for those)
    for a, b in zip(plain, recorded):
        assert (a is None) == (b is None) and (a is None or np.allclose(a.array, b.array, rtol=1e-12, atol=1e-12))
    assert minigan.gradgradcheck(lambda *ts: row.call(*ts, **params), leaves(xs), atol=1e-5, rtol=1e-3)


# ----------------------------------------------------------------------------- 3: accumulation
@pytest.mark.parametrize("op", OPS, ids=IDS)
@settings(max_examples=3)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_gradients_accumulate_over_reuse(op, data, seed):
    row, xs, params = draw_row(data, op)
    ts = leaves(xs)
    shape = row.call(*ts, **params).shape
    w1, w2 = np.random.default_rng(seed).standard_normal((2,) + tuple(shape))

    def total(w):
        return (row.call(*ts, **params) * minigan.tensor(w)).sum()

    def grads():
        return [np.zeros(t.shape) if t.grad is None else t.grad.array.copy() for t in ts]

    total(w1).backward()
    g1 = grads()
    for t in ts:
        t.grad = None
    total(w2).backward()
    g2 = grads()
    for t in ts:
        t.grad = None
    (total(w1) + total(w2)).backward()  # the inputs used twice in one graph: the two uses add up
    for both, a, b in zip(grads(), g1, g2):
        np.testing.assert_allclose(both, a + b, rtol=1e-12, atol=1e-12)
    total(w1).backward()  # a second backward adds to .grad
    for again, a, b in zip(grads(), g1, g2):
        np.testing.assert_allclose(again, 2 * a + b, rtol=1e-12, atol=1e-12)


# ----------------------------------------------------------------------------- 4: version counters
@pytest.mark.parametrize("op", OPS, ids=IDS)
@settings(max_examples=3)
@given(data=st.data())
def test_a_saved_value_changed_in_place_is_refused(op, data):
    """Saved: backward raises, naming the op.  Not saved: the change is no business of this op's backward, whose
    gradients stay what they were."""
    row, xs, params = draw_row(data, op)
    ts = leaves(xs)
    row.call(*[t * 1.0 for t in ts], **params).sum().backward()
    unchanged = [None if t.grad is None else t.grad.array.copy() for t in ts]
    for i in range(len(xs) + 1):  # each input, then the output
        ts = leaves(xs)
        inputs = [t * 1.0 for t in ts]  # not leaves: a leaf that requires grad may not change in place
        out = row.call(*inputs, **params)
        node = out._ctx
        saved = {id(s[3]) for s in node.saved if s is not None}
        changed = inputs[i] if i < len(xs) else out
        is_saved = id(changed if i < len(xs) else None) in saved
        if i == len(xs) and not is_saved:
            continue  # an output not saved: changing it in place re-routes its own history, nothing to refuse
        if not is_saved and (node.is_view or op is S.CopySlices):
            continue  # a view shares its input's memory: changing the input changes it, by design
        changed.add_(1.0)
        if is_saved:
            with pytest.raises(GraphError, match=type(node).__name__):
                out.sum().backward()
        else:
            out.sum().backward()
            for t, g in zip(ts, unchanged):
                assert (t.grad is None) == (g is None) and (g is None or np.array_equal(t.grad.array, g))


# ----------------------------------------------------------------------------- 5: the twins
@pytest.mark.parametrize("op", OPS, ids=IDS)
@settings(max_examples=3)
@given(data=st.data(), seed=st.integers(0, 2**16))
def test_twins_agree(op, data, seed):
    """float32 on NumPy and float64 on the strict stand-in give what float64 on NumPy gives (each to its rounding)."""
    row, xs, params = draw_row(data, op)
    reference = row.call(*leaves(xs), **params)
    weights = np.random.default_rng(seed).standard_normal(reference.shape)
    out, grads = gradients(row, leaves(xs), params, weights)

    floats32 = {k: v.astype(np.float32) if isinstance(v, np.ndarray) and v.dtype == np.float64 else v
                for k, v in params.items()}
    ts32 = leaves(xs, np.float32)
    out32, grads32 = gradients(row, ts32, floats32, weights)
    assert out32.dtype == (np.float64 if op is E.Cast else np.float32), f"{op.__name__}: float32 in, {out32.dtype} out"
    for t in ts32:
        assert t.grad is None or t.grad.dtype == np.float32, f"{op.__name__}: a float32 input got a {t.grad.dtype} grad"
    scale = max(1.0, np.abs(out.array).max(initial=0))
    np.testing.assert_allclose(out32.array, out.array, rtol=2e-4, atol=2e-5 * scale)
    for g32, g in zip(grads32, grads):
        np.testing.assert_allclose(g32, g, rtol=2e-3, atol=2e-4 * max(1.0, np.abs(g).max(initial=0)))

    with installed():
        minigan.use_backend("cupy")
        try:
            device_out, device_grads = gradients(row, leaves(xs), on_device(params), weights)
            device_out = backend.asnumpy(device_out.detach()) if op is not S.ToDevice else device_out.array
        finally:
            minigan.use_backend("numpy")
    np.testing.assert_allclose(device_out, out.array, rtol=1e-10, atol=1e-12)
    for dg, g in zip(device_grads, grads):
        np.testing.assert_allclose(dg, g, rtol=1e-10, atol=1e-12)


# ----------------------------------------------------------------------------- the fused kernels
def slope(f, x, h=1e-6):
    """f'(x) by central differences, elementwise (f maps arrays elementwise)."""
    return (f(x + h) - f(x - h)) / (2 * h)


@st.composite
def fused_args(draw, *ranges, shapes=FULL):
    shape = draw(shapes)
    return tuple(draw(values(shape, lo, hi, kinks=(0,) if lo < 0 < hi else ())) for lo, hi in ranges)


@st.composite
def batch_norm_args(draw):
    """x (N, C) and the upstream dy, γ: the kernel's arguments as BatchNorm's backward makes them, and x, dy, γ."""
    shape = draw(array_shapes(min_dims=2, max_dims=2, min_side=2, max_side=4))
    x, dy, gamma = draw(values(shape)), draw(values(shape)), draw(values((1, shape[1])))
    assume(np.all(x.var(axis=0) > 0.05))
    inv_std = 1 / np.sqrt(x.var(axis=0, keepdims=True) + 1e-5)
    centred, m = x - x.mean(axis=0, keepdims=True), shape[0]
    args = (dy, centred, dy.sum(axis=0, keepdims=True), (dy * centred).sum(axis=0, keepdims=True) * inv_std, inv_std,
            gamma, float(m))
    return args, (x, dy, gamma)


def batch_norm_dx_by_differences(x, dy, gamma, h=1e-6):
    """d⟨dy, γ·(x − μ)/√(σ² + ε)⟩/dx, one element at a time."""
    def f(v):
        return (dy * gamma * (v - v.mean(axis=0)) / np.sqrt(v.var(axis=0) + 1e-5)).sum()
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


# kernel: (its arguments' strategy, what it must give, written another way: a closed form or finite differences)
FUSED = {
    A._stable_sigmoid: (fused_args((-30, 30)), _sigmoid),
    A._sigmoid_grad: (fused_args((-2, 2), (-4, 4)).map(lambda a: (a[0], _sigmoid(a[1]), a[1])),
                      lambda g, s, x: g * slope(_sigmoid, x)),
    A._tanh_grad: (fused_args((-2, 2), (-2, 2)).map(lambda a: (a[0], np.tanh(a[1]), a[1])),
                   lambda g, t, x: g * slope(np.tanh, x)),
    A._relu_grad: (fused_args((-2, 2), (-2, 2)).map(lambda a: (a[0], np.maximum(a[1], 0), a[1])),
                   lambda g, out, x: g * slope(lambda v: np.maximum(v, 0), x)),
    A._leaky_relu_grad: (fused_args((-2, 2), (-2, 2)).map(lambda a: (a[0], a[1], 0.2, 0.8)),
                         lambda g, x, s, _: g * slope(lambda v: np.where(v > 0, v, 0.2 * v), x)),
    LS._bce_with_logits: (fused_args((-8, 8), (0, 1)),
                          lambda x, t: -(t * np.log(_sigmoid(x)) + (1 - t) * np.log(1 - _sigmoid(x)))),
    LS._bce_with_logits_grad: (fused_args((-8, 8), (0, 1), (-2, 2)),
                               lambda x, t, g: g * slope(lambda v: LS._bce_with_logits(np, v, t), x)),
    LS._squared_difference: (fused_args((-2, 2), (-2, 2)), lambda x, y: (x - y) ** 2),
    LS._mse_grad: (fused_args((-2, 2), (-2, 2), (-2, 2)), lambda x, y, g: g * slope(lambda v: (v - y) ** 2, x)),
    N._inverse_std: (fused_args((0.1, 4)).map(lambda a: (a[0], 1e-5)), lambda var, eps: (var + eps) ** -0.5),
    N._affine: (fused_args((-2, 2), (-2, 2), (-2, 2)), lambda centred, scale, beta: scale * centred + beta),
    N._update_running: (fused_args((-2, 2), (0.1, 2), (-2, 2), (0.1, 2)).map(lambda a: a + (0.9, 0.1, 0.2)),
                        lambda rm, rv, mean, var, keep, momentum, unbiased: None),  # in place: see below
    N._batch_norm_dx: (batch_norm_args(), None),  # against batch_norm_dx_by_differences
}


def test_every_fused_kernel_has_a_row():
    found = {v for m in MODULES for v in vars(m).values() if isinstance(v, backend._Fused)}
    assert not found - set(FUSED), f"fused kernels without a row: {sorted(k.__name__ for k in found - set(FUSED))}"


@pytest.mark.parametrize("kernel", list(FUSED), ids=[k.__name__ for k in FUSED])
@settings(max_examples=10)
@given(data=st.data())
def test_fused_kernel_gives_its_formula_on_both_backends(kernel, data):
    inputs, expect = FUSED[kernel]
    args = data.draw(inputs)
    if kernel is N._batch_norm_dx:
        args, (x, dy, gamma) = args
        expected = batch_norm_dx_by_differences(x, dy, gamma)
    elif kernel is N._update_running:
        rm, rv, mean, var, keep, momentum, unbiased = args
        expected, running = None, (rm * keep + momentum * mean, rv * keep + unbiased * var)
    else:
        expected = expect(*args)
        args = args[:kernel.__wrapped__.__code__.co_argcount - 1]  # (a derivative's row carries x for its check)
    host = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
    got = kernel(np, *host)
    if kernel is N._update_running:
        np.testing.assert_allclose(np.stack(host[:2]), np.stack(running), rtol=1e-12)
    else:
        np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-7)
    with installed():  # the stand-in for CuPy: cupy.fuse's path, one kernel, the same numbers
        device = [strict.asarray(a) if isinstance(a, np.ndarray) else a for a in args]
        on_device = kernel(strict, *device)
        for d, h in zip(device, host):
            if isinstance(h, np.ndarray):
                np.testing.assert_allclose(strict.asnumpy(d), h, rtol=1e-10, atol=1e-12)
        if got is not None:
            np.testing.assert_allclose(strict.asnumpy(on_device), got, rtol=1e-10, atol=1e-12)
