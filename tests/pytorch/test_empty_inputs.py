"""Ops given tensors with no entries, against PyTorch (tests/pytorch/sweep.py):

* addmv of an empty matrix (no rows or no columns): its kernel gives beta·input in the input's own shape (a 0-d or
  one-entry input is not broadcast to mat's rows), and zeros of mat's rows when beta is 0; PyTorch's warning that it
  resized its result; the result requires grad when an operand does, and a backward into mat or vec through an
  unbroadcast result refuses, as PyTorch's does.  Inputs of every shape addmv takes, alpha and beta 0, 1 and others,
  each operand requiring grad or not;
* cat skips a 1-D empty tensor (``tensor([])``) in its shape checks but keeps it in the graph: the result requires
  grad when the empty tensor does, and its gradient is empty.  Over the empty tensor's place, the other tensors'
  shapes and dims, which of them require grad, and grad mode;
* ops of several tensors whose result is empty by broadcasting (an input of shape (0, 3)), with another operand ±∞
  or NaN: a gradient summed over an empty result is 0, as PyTorch's one node gives it (its formula multiplies the
  result's gradient by the other operands before summing to each operand's shape), not 0·∞ = NaN from a gradient
  reduced first and multiplied after.  Every operand position, functions, methods and in-place forms, float64;
* an empty view lies in its base's storage where PyTorch's does: ``x[3:3].storage_offset()`` is 3·x.stride(0) and
  ``x[3:3:2].stride(0)`` is 2·x.stride(0), as for any slice, though NumPy gives an empty slice no offset and its own
  strides.  The view doors that can leave no elements (slicing with and without steps, negative and past-the-end
  bounds, integers and None beside them, narrow, split, chunk, tensor_split, unbind), after the doors that lay a view
  out (t, transpose, movedim, expand, view, reshape, flatten, unflatten, a slice of a slice), on a contiguous tensor,
  a view, a permuted tensor and an empty tensor: shape, storage_offset(), stride() and ._base;
* F.linear with nothing to multiply (an input or weight with a size 0) adds its bias as PyTorch's does with entries:
  into the output without growing it, so a bias of shape (0, 3) on an output (0, 1) is PyTorch's RuntimeError, where
  NumPy's broadcast made (0, 3) (surface program 11609065): the shape, dtype and values, and the gradients of every
  operand.
"""

from __future__ import annotations

import itertools
import re
import warnings

import numpy as np
import pytest

from pytorch.oracle import pytorch_since
from pytorch.sweep import outcome, sweep
from pytorch.test_create_graph_requires_grad import CASES as GRAPH_CASES

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ADDMV_GEOMETRY = [((), (0, 3), (3,)), ((1,), (0, 3), (3,)), ((0,), (0, 3), (3,)), ((), (2, 0), (0,)),
                  ((1,), (2, 0), (0,)), ((2,), (2, 0), (0,)), ((), (0, 0), (0,)), ((), (2, 3), (3,))]


def _addmv(L, shapes, alpha, beta, grads):
    s, m, v = (L.full(shape, 1.5 + i, dtype=L.float64, requires_grad=g)
               for i, (shape, g) in enumerate(zip(shapes, grads)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = L.addmv(s, m, v, alpha=alpha, beta=beta)
    seen = [r.detach(), r.requires_grad, [w.category.__name__ for w in caught]]
    if r.requires_grad:
        seen.append(outcome(lambda: r.sum().backward()))
        seen.append([t.grad for t in (s, m, v)])
    return seen


test_addmv_of_an_empty_matrix = sweep(lambda L, shapes, ab, grads: _addmv(L, shapes, *ab, grads), [
    (shapes, ab, grads) for shapes, ab, grads in itertools.product(
        ADDMV_GEOMETRY, [(1, 1), (0, 1), (1, 0), (2, 0.5), (-1, 3)], itertools.product([False, True], repeat=3))],
    ids=lambda shapes, ab, grads: f"{shapes}-{ab}-{grads}")


def _cat(L, place, shape, dim, others_grad, grad_mode):
    empty = L.zeros(0, dtype=L.float64, requires_grad=True)
    others = [(L.ones(shape, dtype=L.float64, requires_grad=others_grad) * (k + 2)).detach().requires_grad_(others_grad)
              for k in range(2)]
    tensors = others[:place] + [empty] + others[place:]
    with L.set_grad_enabled(grad_mode):
        out = L.cat(tensors, dim)
    seen = [out.detach(), out.requires_grad]
    if out.requires_grad:
        leaves = [t for t in tensors if t.requires_grad]
        seen.append(list(L.autograd.grad((out * L.arange(out.numel(), dtype=L.float64).reshape(out.shape)).sum(),
                                         leaves)))
    return seen


test_cat_keeps_an_empty_vector_in_the_graph = sweep(_cat, [
    (place, shape, dim, others_grad, grad_mode) for place, (shape, dim), others_grad, grad_mode in itertools.product(
        [0, 1, 2], [((3,), 0), ((2, 3), 0), ((2, 3), 1), ((2, 3), -1), ((1, 2, 2), 2)], [True, False], [True, False])])

BROADCAST_OPS = {  # (e: the empty operand, s: a (1, 1) non-finite one, b: the (3,) leaf)
    "addcmul": lambda L, e, s, b: L.addcmul(e, s, b), "addcmul t2": lambda L, e, s, b: L.addcmul(e, b, s),
    "addcmul value": lambda L, e, s, b: L.addcmul(e, s, b, value=0.5),
    "Tensor.addcmul": lambda L, e, s, b: e.addcmul(b, s), "addcmul_": lambda L, e, s, b: e.clone().addcmul_(s, b),
    "addcdiv": lambda L, e, s, b: L.addcdiv(e, s, b), "addcdiv t2": lambda L, e, s, b: L.addcdiv(e, b, s),
    "addcdiv_": lambda L, e, s, b: e.clone().addcdiv_(b, s),
    "lerp end": lambda L, e, s, b: L.lerp(e, s, b), "lerp weight": lambda L, e, s, b: L.lerp(e, b, s),
    "lerp_": lambda L, e, s, b: e.clone().lerp_(s, b),
    "where": lambda L, e, s, b: L.where(e > 0, s, b), "clamp": lambda L, e, s, b: L.clamp(e, s, b),
    "hypot": lambda L, e, s, b: L.hypot(e + s, b), "atan2": lambda L, e, s, b: L.atan2(e + s, b),
    "mul chain": lambda L, e, s, b: e * s * b, "add product": lambda L, e, s, b: e + s * b,
    "sub alpha": lambda L, e, s, b: L.sub(e, s * b, alpha=2), "pow": lambda L, e, s, b: (e + s) ** b,
    "div": lambda L, e, s, b: e + s / b, "maximum": lambda L, e, s, b: L.maximum(e + s, b),
}


def _empty_broadcast(L, name, special, e_requires_grad):
    e = L.zeros(0, 3, dtype=L.float64, requires_grad=e_requires_grad)
    s = L.tensor([[special]], dtype=L.float64)
    b = L.tensor([-0.3, 0.5, 1.9], dtype=L.float64, requires_grad=True)
    y = BROADCAST_OPS[name](L, e, s, b)
    return [y.detach(), list(L.autograd.grad(y.sum(), [b, e] if e_requires_grad else [b], allow_unused=True))]


test_a_gradient_over_an_empty_broadcast_is_zero = sweep(
    _empty_broadcast, itertools.product(BROADCAST_OPS, [np.inf, -np.inf, np.nan], [False, True]))

EMPTY_VIEWS = [
    "x[3:3]", "x[:, 5:2]", "x[1:, 2:2]", "x[5:]", "x[:, 4:]", "x[2:2, 1]", "x[1, 3:3]", "x[3:3:2]", "x[-1:-1]",
    "x[-2:1]", "x[:, -9:0]", "x[..., 4:4]", "x[None, 2:2]", "x[2:2, None]", "x[:, None, 1:1]", "x[1:1, ..., None]",
    "x[2:2][0:0]", "x[1:][3:]", "x[1:3][2:]", "x[::2][2:]", "x[1::2, 3:3]", "x[:, 1:1].t()", "x.T[4:]",
    "x.movedim(0, 1)[2:2]", "x.transpose(0, 1)[:, 4:4:3]", "x.expand(2, 4, 4)[:, 3:3]", "x.expand(1, 4, 4)[0, 2:2]",
    "x.view(-1)[7:7]", "x.reshape(2, 8)[:, 9:]", "x.flatten()[16:]", "x.unflatten(1, (2, 2))[:, :, 2:]",
    "x[3:3].reshape(0, 2, 2)", "x[:, 2:2].view(2, 0, 2)", "x[2:2].flatten()", "x[:, 4:].t().reshape(0)",
    "x.narrow(0, 3, 0)", "x.narrow(1, 2, 0)", "x.narrow(0, 4, 0)", "x.narrow(1, 4, 0)", "x[1:].narrow(0, 3, 0)",
    "x.split([2, 0, 2], 0)", "x.split(2, 1)", "x[4:].split(1)", "x[:, 3:3].split(1, 1)", "x.tensor_split(5, 0)",
    "x.tensor_split([1, 1, 3], 1)", "x[3:3].chunk(2)", "x.chunk(3, 0)", "x[2:2].unbind(1)", "x[:, 1:1].unbind(0)",
]
VIEWS_OF_AN_EMPTY_TENSOR = ["x[1:1]", "x[:, 2:2]", "x[0:0, 1]", "x[:, None, 0:0]", "x.t()[1:1]", "x.view(0, 3, 2)",
                            "x.expand(2, 0, 6)[:, :, 3:3]"]
VIEW_BASES = {"contiguous": "L.arange(16.).reshape(4, 4)", "view": "L.arange(40.).reshape(5, 8)[1:, 2:6]",
              "permuted": "L.arange(16.).reshape(4, 4).t()", "empty": "L.zeros(0, 6)"}


def _layout(L, base, view):
    x = eval(VIEW_BASES[base], {"L": L})  # noqa: S307  (the table's own expressions)
    out = eval(view, {"x": x})  # noqa: S307  (x.view(-1) of a permuted x: both refuse)
    return [(tuple(t.shape), t.storage_offset(), tuple(t.stride()), t._base is not None)
            for t in (out if isinstance(out, (tuple, list)) else (out,))]


test_an_empty_view_lies_where_pytorchs_does = sweep(_layout, [
    *((base, view) for base, view in itertools.product(["contiguous", "view", "permuted"], EMPTY_VIEWS)),
    *(("empty", view) for view in VIEWS_OF_AN_EMPTY_TENSOR)])

LINEAR_INPUTS = [(0, 3), (2, 0), (0, 0), (2, 3), (4, 0, 3), (3,), (0,)]
LINEAR_WEIGHTS = [(1, 3), (0, 3), (4, 0), (3,), (0,), (2, 3)]
LINEAR_BIASES = [None, (1,), (0,), (2,), (4,), (0, 3), (0, 1), (2, 1), (1, 1), (0, 4), (1, 0), (3,), ()]
# A 2-D bias where PyTorch takes another kernel path whose rules minigan does not follow, with entries as without
# them: a 1-D input takes a bias (1, out_features) (x (3,), weight (2, 3), bias (1, 2) gives (2,)); a contiguous 3-D
# input's product is addmm, which refuses a 1-D weight and expands the bias to the flattened output.
LINEAR_OTHER_PATHS = {((3,), (0, 3), (1, 0)), ((4, 0, 3), (3,), (1, 0))}


def _linear(L, xs, ws, bs):
    def make(shape, k):
        n = int(np.prod(shape))
        return L.tensor(np.linspace(-1, 1, n).reshape(shape) + k, dtype=L.float64, requires_grad=True)

    x, w = make(xs, 0), make(ws, 0.5)
    b = None if bs is None else make(bs, -0.25)
    y = L.nn.functional.linear(x, w, b)
    leaves = [t for t in (x, w, b) if t is not None]
    return [y.detach(), y.requires_grad, list(L.autograd.grad(y.sum(), leaves, allow_unused=True))]


test_linear_bias_shapes_with_nothing_to_multiply = sweep(_linear, [
    pytest.param(*case, marks=pytest.mark.xfail(strict=True, reason="PyTorch's kernel paths: a 1-D input, or a "
                                                "contiguous 3-D one, with a 2-D bias")) if case in LINEAR_OTHER_PATHS
    else case for case in itertools.product(LINEAR_INPUTS, LINEAR_WEIGHTS, LINEAR_BIASES)],
    group=lambda xs, ws, bs: f"x{xs}" + ("-other-path" if (xs, ws, bs) in LINEAR_OTHER_PATHS else ""))


def _product_input(L, how, shape, dtype):
    """The input, laid out as ``how`` says, of ``shape`` (the product's, or a shape broadcast to it)."""
    n = int(np.prod(shape))
    base = L.arange(1, 3 * int(np.prod([max(s, 1) for s in shape])) + 1, dtype=dtype)
    return {"row-major": lambda: base[:n].reshape(*shape),
            "transposed": lambda: base[:n].reshape(*shape[:-2], shape[-1], shape[-2]).transpose(-1, -2),
            "sliced": lambda: base[: 2 * n].reshape(*shape[:-1], 2 * shape[-1])[..., ::2],
            "row": lambda: base[: shape[-1]].reshape(1, shape[-1]).expand(*shape),
            "column": lambda: base[: shape[-2]].reshape(shape[-2], 1), "vector": lambda: base[: shape[-1]]}[how]()


def _empty_product(L, op, sizes, how, beta, dtype, form):
    m, k, n, b = sizes
    dt = getattr(L, dtype)
    x = _product_input(L, how, (m, n) if op != "baddbmm" else (b, m, n), dt)
    if dtype != "int64":
        x = x.detach().requires_grad_()
    a1, a2 = (L.ones(m, k, dtype=dt), L.ones(k, n, dtype=dt)) if op == "addmm" else \
        (L.ones(b, m, k, dtype=dt), L.ones(b, k, n, dtype=dt))
    r = getattr(L, op)(x, a1, a2, beta=beta) if form == "function" else getattr(x, op)(a1, a2, beta=beta)
    seen = [r.detach(), r.stride(), r.is_contiguous()]
    if dtype != "int64":
        (r * L.arange(r.numel(), dtype=dt).reshape(r.shape)).sum().backward()
        seen.append(x.grad)
    return seen


# addmm, baddbmm and addbmm where no product is computed (an inner size of 0, or addbmm's and baddbmm's batches
# empty): PyTorch's kernel allocates the result row-major and copies beta·input into it, so the result's strides are
# row-major whatever the input's layout (transposed, a broadcast row or column, expanded, sliced); its values and
# the input's gradient
test_a_product_of_an_empty_sum_is_row_major = sweep(_empty_product, [
    (op, sizes, how, beta, dtype, form) for op, sizes in [("addmm", s) for s in [(3, 0, 4, None), (2, 0, 2, None)]] +
    [("addbmm", s) for s in [(3, 0, 4, 2), (3, 4, 4, 0), (3, 0, 3, 0), (2, 5, 3, 0)]] +
    [("baddbmm", s) for s in [(3, 0, 4, 2), (3, 4, 4, 0), (2, 0, 3, 3)]]
    for how, beta, dtype, form in itertools.product(("row-major", "transposed", "sliced", "row", "column", "vector"),
                                                    (1, 0, 2), ("float64", "float32", "int64"),
                                                    ("function", "method"))], every=17, cover=[
    lambda op, sizes, how, beta, dtype, form: (op, sizes), lambda op, sizes, how, beta, dtype, form: (op, how),
    lambda op, sizes, how, beta, dtype, form: (op, beta, dtype, form)])


def _pool_windows(seed=7):
    """Max pool geometries (dims, dtype, size, kernel, stride, padding, dilation, ceil_mode) drawn until each dims
    and dtype has 12 with a window that lies wholly in the padding (PyTorch's −∞ there)."""
    rng, cases = np.random.default_rng(seed), []
    for dims, dtype in itertools.product((1, 2), ("float64", "float32", "int64")):
        while sum(1 for c in cases if c[0] == dims and c[1] == dtype) < 12:
            size, kernel, dilation = (tuple(int(n) for n in rng.integers(1, 4, size=dims)) for _ in range(3))
            padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)
            stride = tuple(int(n) for n in rng.integers(1, 3, size=dims))
            ceil = bool(rng.integers(2))
            pool = torch.nn.functional.max_pool1d if dims == 1 else torch.nn.functional.max_pool2d
            try:
                y = pool(torch.zeros((1, 2) + size), kernel, stride, padding, dilation, ceil)
            except RuntimeError:
                continue  # (a geometry PyTorch refuses: its own tests cover the refusal)
            if torch.isinf(y).any():
                cases.append((dims, dtype, size, kernel, stride, padding, dilation, ceil))
    return cases


def _pool_window_in_the_padding(L, dims, dtype, size, kernel, stride, padding, dilation, ceil):
    values = np.random.default_rng(sum(size + kernel)).integers(-9, 9, size=(2, 3) + size)
    x = L.tensor(values, dtype=getattr(L, dtype), requires_grad=dtype != "int64")
    pool = L.nn.functional.max_pool1d if dims == 1 else L.nn.functional.max_pool2d
    y, indices = pool(x, kernel, stride, padding, dilation, ceil, return_indices=True)
    if dtype == "int64":
        return [y, indices]
    weights = np.arange(1, y.numel() + 1, dtype=dtype).reshape(tuple(y.shape))
    if L is torch:  # (PyTorch's own backward writes at such a window's index, past the input, corrupting memory: the
        # gradient the other windows send, by PyTorch's indices)
        grad = np.zeros((2, 3, int(np.prod(size))), dtype=dtype)
        found = np.isfinite(y.detach().numpy()).reshape(2, 3, -1)  # (the windows that hold a pixel)
        for n, c in itertools.product(range(2), range(3)):
            np.add.at(grad[n, c], indices.numpy().reshape(2, 3, -1)[n, c][found[n, c]],
                      weights.reshape(2, 3, -1)[n, c][found[n, c]])
        return [y.detach(), indices, grad.reshape(values.shape)]
    (y * L.tensor(weights)).sum().backward()
    return [y.detach(), indices, x.grad.numpy()]


# A max pool window that lies wholly in the padding (a dilation that steps over a small input: height 1, padding 1,
# dilation 2) holds no pixel: PyTorch's kernel gives it −∞ (an integer dtype's lowest value) and, with return_indices,
# the index of the first row and column of the window at or past 0 (ih0·W + iw0, which may lie past the plane), where
# minigan gave 0 and a negative index (held-out surface seed 12303234); such a window sends no gradient back
test_a_pool_window_in_the_padding_only = sweep(_pool_window_in_the_padding, _pool_windows())


def _autograd_doors(L):
    x = L.tensor([1.0, 2.0], dtype=L.float64, requires_grad=True)
    y = (x * x).sum()
    g = L.autograd.grad
    return x, {
        "grad_inputs_empty_list": lambda: g(y, []), "grad_inputs_empty_tuple": lambda: g(y, ()),
        "grad_inputs_number": lambda: g(y, 3), "grad_inputs_with_number": lambda: g(y, [x, 3]),
        "grad_outputs_empty": lambda: g([], x), "grad_outputs_number": lambda: g(3.0, x),
        "backward_inputs_empty": lambda: y.backward(inputs=[]),
        "backward_inputs_number": lambda: y.backward(inputs=[3]),
        "backward_inputs_tensor": lambda: y.backward(inputs=x),
        "autograd_backward_no_tensors": lambda: L.autograd.backward([], inputs=[x]),
        "autograd_backward_inputs_empty": lambda: L.autograd.backward([y], inputs=[]),
    }


def _autograd_door(L, door):
    x, doors = _autograd_doors(L)
    result = doors[door]()
    return [list(result) if isinstance(result, tuple) else result, x.grad]


# autograd's doors given no inputs, or inputs that are not tensors, or no outputs (autograd.grad, autograd.backward,
# Tensor.backward): PyTorch's exception class, or what it returns and leaves in .grad.  autograd.grad given no inputs:
# RuntimeError from PyTorch 2.13 ("`inputs` argument to `grad()` cannot be empty")
EMPTY_AUTOGRAD_INPUTS = pytorch_since("2.13", "autograd.grad with no inputs raises RuntimeError; 2.11 and 2.12: "
                                      "ValueError")
test_autograd_doors_given_nothing = sweep(_autograd_door, [
    pytest.param(door, marks=[EMPTY_AUTOGRAD_INPUTS] if door.startswith("grad_inputs_empty") else [])
    for door in _autograd_doors(torch)[1]])


def _conv_geometry(rng, nd, transposed):
    groups = int(rng.choice([1, 2]))
    cin, cout = groups * int(rng.integers(1, 3)), groups * int(rng.integers(1, 3))
    k = [int(rng.integers(1, 4)) for _ in range(nd)]
    s = [int(rng.integers(1, 3)) for _ in range(nd)]
    d = [int(rng.integers(1, 3)) for _ in range(nd)]
    kw = {"stride": s, "dilation": d, "groups": groups}
    if transposed:
        kw["padding"] = [int(rng.integers(0, di * (ki - 1) // 2 + 1)) for ki, di in zip(k, d)]
        kw["output_padding"] = [int(rng.integers(0, max(si, di))) for si, di in zip(s, d)]
        w = (cin, cout // groups, *k)
    elif rng.random() < 0.25:
        kw["padding"], kw["stride"] = "same", 1
        w = (cout, cin // groups, *k)
    else:
        kw["padding"] = [int(rng.integers(0, 3)) for _ in range(nd)]
        w = (cout, cin // groups, *k)
    size = [max(di * (ki - 1) + 1 - 2 * (pi if isinstance(pi, int) else 0), 1) + int(rng.integers(0, 3))
            for ki, di, pi in zip(k, d, kw["padding"] if not isinstance(kw["padding"], str) else [0] * nd)]
    return cin, cout, size, w, kw


def _empty_convolutions():
    """120 geometries (stride, padding, 'same', dilation, groups, output_padding), each with an empty batch, no
    channels, both, one sample without channels, or no pixels and no batch; a bias or none."""
    rng = np.random.default_rng(2026)
    names = [("conv1d", 1, False), ("conv2d", 2, False), ("conv_transpose1d", 1, True), ("conv_transpose2d", 2, True)]
    for i in range(120):
        name, nd, transposed = names[i % 4]
        cin, cout, size, w, kw = _conv_geometry(rng, nd, transposed)
        empty = ["batch", "channels", "both", "one sample", "pixels and batch"][(i // 4) % 5]
        if transposed and empty in ("channels", "both", "one sample"):
            empty = "batch"  # (a transposed weight's first axis is the input's channels: PyTorch refuses 0)
        if empty == "pixels and batch" and (transposed or kw["padding"] == "same" or 0 in kw["padding"]):
            empty = "batch"  # (no pixels are allowed only where the padding makes room for the kernel)
        n = 0 if empty in ("batch", "both", "pixels and batch") else 2
        if empty in ("channels", "both", "one sample"):
            cin, w = 0, (w[0], 0, *w[2:])
            kw["groups"] = 1
            if w[0] == 0:
                w = (1, *w[1:])
        x = (cin, *size) if empty == "one sample" else (n, cin, *size)
        if empty == "pixels and batch":
            x = (0, cin, 0, *size[1:])
        yield name, x, w, (cout if transposed else w[0]) if i % 3 else None, kw


def _empty_convolution(L, name, x_shape, w_shape, b_size, kw, second_order):
    rng = np.random.default_rng(0)
    t = [L.tensor(rng.standard_normal(s), requires_grad=True) for s in (x_shape, w_shape)]
    if b_size is not None:
        t.append(L.tensor(rng.standard_normal(b_size), requires_grad=True))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (PyTorch's note on its padded copy for padding='same')
        y = getattr(L.nn.functional, name)(*t, **kw)
    try:
        grads = L.autograd.grad(y.sum(), t, create_graph=second_order, allow_unused=True)
        used = [g for g in grads if g is not None and g.requires_grad] if second_order else []
        if used:
            grads = L.autograd.grad(sum(g.sum() for g in used), t, allow_unused=True)
    except RuntimeError:
        if L is not torch:
            raise
        grads = [None] * len(t)  # (PyTorch's backward of a channel-less input with a bias: a broadcast it cannot
        # make; minigan's gradients are zeros, as everywhere else)
    # zeros of each operand's shape (PyTorch leaves some out, None)
    return [y.detach(), [L.zeros(tuple(x.shape), dtype=x.dtype) if g is None else g.detach() for g, x in zip(grads, t)]]


# The convolutions with an empty batch or channel axis: an empty result of the right shape, zero gradients of the
# weight's and bias's shapes, at first and second order.  PyTorch gives an input with no channels an output with no
# channels (its empty path keeps the input's channel count).  Found by the surface programs (an empty batch crashed
# in the engine's reshape(-1), seeds 11623380 and 11646649)
test_empty_convolutions = sweep(_empty_convolution, [
    (*case, second_order) for case in _empty_convolutions() for second_order in (False, True)],
    ids=lambda name, x, w, b, kw, second_order: f"{name}-x{x}-w{w}-b{b}-{second_order}")


def _refused_convolution(L, name, x_shape, w_shape, kw):
    return getattr(L.nn.functional, name)(L.zeros(x_shape), L.zeros(w_shape), **kw)


# PyTorch's refusals of an input with no pixels (a batch and channels but a 0 height or width), a weight with no rows
# and an empty transposed weight, minigan's saying what is empty
test_convolutions_refused = sweep(_refused_convolution, [
    ("conv2d", (2, 2, 0, 5), (3, 2, 1, 1), {"padding": 1}),  # pixels: none, with a batch and channels
    ("conv1d", (2, 2, 0), (3, 2, 1), {"padding": 1}),
    ("conv_transpose2d", (2, 2, 0, 5), (2, 3, 3, 3), {}),
    ("conv2d", (2, 2, 5, 5), (0, 2, 3, 3), {}),  # a weight with no rows (fewer than the groups)
    ("conv2d", (2, 0, 5, 5), (0, 0, 3, 3), {}),
    ("conv_transpose2d", (2, 0, 5, 5), (0, 3, 3, 3), {}),
    ("conv_transpose2d", (2, 2, 5, 5), (2, 0, 3, 3), {}),  # an empty transposed weight
    ("conv_transpose1d", (2, 2, 5), (2, 0, 3), {})],
    also=lambda ours, theirs: None if isinstance(ours, RuntimeError) and re.search(
        "empty|pixels|first axis", str(ours)) else f"a refusal that says what is empty, not {ours!r:.200}")


def _layer_on_an_empty_batch(L, layer, x_shape, kw):
    m = getattr(L.nn, layer)(2, 4, **kw, dtype=L.float64)
    x = L.zeros(x_shape, dtype=L.float64, requires_grad=True)
    y = m(x)
    y.sum().backward()
    return [y.detach(), m.weight.grad, m.bias.grad, x.grad]


test_convolution_layers_on_an_empty_batch = sweep(_layer_on_an_empty_batch, [
    ("Conv2d", (0, 2, 5, 5), {"kernel_size": 3, "groups": 2, "padding": 1, "padding_mode": "reflect"}),
    ("Conv2d", (0, 2, 5, 5), {"kernel_size": 2, "padding": "same", "padding_mode": "circular"}),
    ("Conv1d", (0, 2, 5), {"kernel_size": 3, "padding": 1, "padding_mode": "replicate"}),
    ("ConvTranspose2d", (0, 2, 5, 5), {"kernel_size": 3, "stride": 2, "output_padding": 1}),
    ("ConvTranspose1d", (0, 2, 5), {"kernel_size": 3, "dilation": 2})])


def _graph_orders(L, name, code, shapes, cut, change):
    """Each order's gradients (to the third) with respect to leaves whose slice ``cut`` (changed by ``change``)
    the op ``code`` reads, and whether each requires grad; a refusal on the way ends the list."""
    rng = np.random.default_rng(0)
    leaves = [L.tensor(rng.normal(size=s), dtype=L.float64, requires_grad=True) for s in shapes]
    inputs = []
    for x in leaves:
        ns = {"v": x * 1.0}
        ns["slice"] = eval(cut, ns)  # noqa: S307  (the table's own code)
        exec(change, ns)  # noqa: S102
        inputs.append(ns["slice"])
    ys, gos, seen = None, None, []
    for _ in range(3):
        def order():
            nonlocal ys, gos
            if ys is None:
                y = eval(code, {"torch": L, "F": L.nn.functional, **dict(zip("abc", inputs))})  # noqa: S307
                ys, gos = [y], [L.ones_like(y)]
            return L.autograd.grad(ys, leaves, gos, create_graph=True, allow_unused=True)
        gs = outcome(order)
        if isinstance(gs, Exception):
            return [*seen, gs]
        seen.append([None if g is None else (g.detach(), bool(g.requires_grad)) for g in gs])
        ys = [g for g in gs if g is not None and g.requires_grad]
        if not ys:
            break
        gos = [L.ones_like(g) for g in ys]
    return seen


def _gradients_through_an_empty_slice(L, *case):
    theirs = outcome(_graph_orders, torch, *case)
    if isinstance(theirs, Exception) or isinstance(theirs[0], Exception):
        return None  # (PyTorch refuses the op, or its first gradient, on an empty input: the exception sweeps')
    return _graph_orders(L, *case)


# Gradients through an EMPTY tensor under create_graph=True, over the differentiable surface (the create_graph
# table, tests/pytorch/test_create_graph_requires_grad.py), float64, to the third order: which gradients exist, their
# shapes, values (zeros) and requires_grad.  An empty tensor carries no values, so what is left to get right is the
# graph: whether a gradient that flowed through it is part of a graph (and so has a second order).  PyTorch's rules:
# * most backward formulas run as for a tensor with entries: the gradient requires grad when the formula reads a
#   tensor that does (sin's grad · cos x);
# * a few return early for an empty input: cumprod's and logcumsumexp's hand back the upstream gradient itself (a
#   constant when it is one), cummax's and cummin's hand back their empty input (which requires grad);
# * a view whose base (or the view itself) was changed in place gets its history again as as_strided of the base,
#   and as_strided's backward of an empty view is a fresh zero tensor, part of no graph.
# Each case's inputs are cut to empty slices of non-leaves (its first dim emptied, its last), as they are, after the
# slice was changed in place, and after its base was; a refusal is compared by its class
test_gradients_through_an_empty_tensor = sweep(_gradients_through_an_empty_slice, [
    (name, code, shapes, cut, change) for name, code, shapes, _ in GRAPH_CASES for cut in ("v[:0]", "v[..., 1:1]")
    for change in ("", "slice.mul_(2.0)", "v.mul_(2.0)")],
    group=lambda name, code, shapes, cut, change: name, cover=[lambda name, code, shapes, cut, change: name if name in (
        "cumprod", "logcumsumexp", "cummax", "cummin", "adaptive_avg_pool1d", "adaptive_max_pool1d", "abs", "sin",
        "slice", "unbind") else "the others"])  # (the default run: the ops with a rule of their own, and a slice)


def _fold(L, shape):
    x = L.tensor(np.arange(float(np.prod(shape))).reshape(shape), dtype=L.float64, requires_grad=True)
    y = L.nn.functional.fold(x, (3, 3), 2)
    return [y.detach(), L.autograd.grad(y, x, L.ones_like(y) * 0.5)[0]]


# fold takes unbatched columns (C·kh·kw, L) and an empty batch; no channels or no columns are refused with PyTorch's
# class
test_fold_of_one_sample_or_an_empty_batch = sweep(_fold, [
    (shape,) for shape in [(4, 4), (0, 4, 4), (2, 8, 4), (0, 4), (1, 0, 4), (4, 0), (4,)]])
