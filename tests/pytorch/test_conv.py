"""The convolutions, unfold and fold against PyTorch (tests/pytorch/sweep.py; torch-free tests:
tests/library/test_conv.py and test_conv_geometry.py):

* conv2d and conv_transpose2d values and gradients over stride, padding and kernel; dilation, groups, padding
  'same'/'valid' and output_padding up to the dilation (rows no window reaches: zero, then the bias), values and
  first and second gradients; the layers (Conv1d/2d, ConvTranspose1d/2d) take PyTorch's positional and keyword
  arguments, padding_mode, and print, initialise and compute as PyTorch's;
* dtypes: every input, weight and bias dtype on each path whose CPU kernels differ (numeric or string padding,
  dilated, transposed, one sample, an empty batch or channel axis, float32 on oneDNN or not): PyTorch runs integer
  convolutions, casts the bias on some paths and refuses it on others (minigan/functional/conv.py, "dtypes, as
  PyTorch's CPU kernels"; found by the surface programs), a cast bias gets its gradient in its own dtype, and
  whether a float32 convolution with a float64 bias takes oneDNN's path (refused) follows PyTorch's rule of thumb at
  one thread and at two;
* the transposed convolution reads its saved input and weight when backward runs: a write through ``.data`` between
  forward and backward (no version bump) changes the weight's gradient as PyTorch's, whatever the input's layout
  (a batch-last copy kept from forward would give the old values');
* unfold (im2col) and fold (col2im), linear, so values and first gradients say everything, batched or not; unfold
  of a bool input picks its entries, an integer one is refused (NotImplementedError: surface program 11620030 and 9
  more), fold of bool columns adds as or and refuses the other integer dtypes (11798611); an empty batch taken,
  empty channels, heights or widths refused after the kernel's, stride's and dilation's checks, on views too; ±∞ and
  NaN stay where they go, not spread by a 0/1 kernel (∞·0 = NaN), at the first and second order.
"""

import contextlib
import functools
import itertools
import math

import numpy as np
import pytest

import minigan
from pytorch.oracle import aten_kernels, onednn_takes_float16
from pytorch.sweep import _gradients, close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _conv(L, name):
    return getattr(L.nn.functional, name)


def _matches(L, transpose, stride, padding, k):
    rng = np.random.default_rng(4)
    x, w, b = rng.standard_normal((3, 4, 9, 8)), rng.standard_normal((4, 5, k, k) if transpose else (5, 4, k, k)), \
        rng.standard_normal(5)
    leaves = [L.tensor(a, requires_grad=True) for a in (x, w, b)]
    y = _conv(L, "conv_transpose2d" if transpose else "conv2d")(
        *leaves, stride=stride, padding=padding, **({"output_padding": stride - 1} if transpose else {}))  # (largest)
    y.backward(L.tensor(rng.standard_normal(tuple(y.shape))))
    return close(y.detach(), 0, 1e-10), [close(t.grad, 0, 1e-10) for t in leaves]


test_conv_and_its_transpose_match_pytorch = sweep(_matches, [
    (t, *g) for t in [False, True] for g in [(1, 0, 3), (2, 1, 4), (3, 2, 5), (2, 0, 1)]])


def _second_order(L, name, arrays, tol=1e-10, **geometry):
    """Values, gradients of a drawn weighting and the gradients of the gradients' squared norm (the bias's is a
    constant: none, or a zero one)."""
    leaves = [L.tensor(a, requires_grad=True) for a in arrays]
    y = _conv(L, name)(*leaves, **geometry)
    w = np.random.default_rng(1).standard_normal(tuple(y.shape))
    first = L.autograd.grad((y * L.tensor(w)).sum(), leaves, create_graph=True)
    second = L.autograd.grad(sum((g * g).sum() for g in first), leaves, allow_unused=True)
    return close(y.detach(), tol, tol), _gradients(L, first, leaves, tol, tol), _gradients(L, second, leaves, 1e-9,
                                                                                           1e-9)


def _geometry(L, transpose, groups, dilation, stride, padding, kernel, output_padding=(0, 0)):
    rng = np.random.default_rng(groups + 7 * stride[0] + 11 * kernel[1])
    x, b = rng.standard_normal((2, 4, 9, 10)), rng.standard_normal(8)
    w = rng.standard_normal((4, 8 // groups, *kernel) if transpose else (8, 4 // groups, *kernel))
    extra = {"output_padding": output_padding} if transpose else {}
    return _second_order(L, "conv_transpose2d" if transpose else "conv2d", [x, w, b], stride=stride,
                         padding=padding, dilation=dilation, groups=groups, **extra)


test_conv2d_and_its_transpose_geometry_equal_pytorch = sweep(_geometry, [
    (transpose, *geometry, output_padding) for geometry in itertools.product(
        [1, 2, 4], [(1, 1), (2, 3)], [(1, 1), (2, 1)], [(0, 0), (2, 1)], [(3, 3), (2, 1)])
    for transpose, output_padding in [(False, (0, 0)), (True, (0, 0)), (True, (1, 0))]
    if output_padding[0] < max(geometry[2][0], geometry[1][0])])  # (output_padding below the stride or dilation)
test_padding_strings_equal_pytorch = sweep(
    lambda L, padding, kernel, dilation: _second_order(
        L, "conv2d", [np.random.default_rng(2).standard_normal(s) for s in [(2, 4, 9, 10), (6, 2, *kernel)]],
        padding=padding, dilation=dilation, groups=2),
    [(p, *k) for p in ["same", "valid"] for k in [((3, 3), (1, 1)), ((4, 2), (1, 1)), ((2, 3), (2, 1)),
                                                  ((5, 4), (1, 3))]])
test_output_padding_below_the_dilation_only = sweep(lambda L: _second_order(
    L, "conv_transpose2d", [np.random.default_rng(3).standard_normal(s) for s in [(1, 2, 5, 4), (2, 3, 3, 3), (3,)]],
    stride=1, padding=(1, 0), output_padding=(2, 1), dilation=3), [()], ids=lambda: "output_padding (2, 1)")
LAYERS = [
    ("Conv2d", (4, 8, 3), {}),
    ("Conv2d", (4, 8, 3), dict(padding="same", dilation=2, bias=False, padding_mode="reflect")),
    ("Conv2d", (4, 8, (3, 1), 2, 1, 1, 4), {}),  # PyTorch's positional order: stride, padding, dilation, groups
    ("Conv2d", (4, 6, 4), dict(padding="same", padding_mode="circular")),
    ("Conv2d", (4, 6, 3), dict(padding=(2, 1), padding_mode="replicate", groups=2)),
    ("Conv2d", (4, 4, 3), dict(padding="valid", groups=4)),
    ("Conv2d", (4, 8, 2), dict(padding="same")),
    ("ConvTranspose2d", (4, 8, 4, 2, 1), {}),
    ("ConvTranspose2d", (4, 8, 4, 2, 1, 1, 2, False, 2), {}),  # output_padding, groups, bias, dilation
    ("ConvTranspose2d", (4, 8, 3), dict(stride=1, dilation=3, output_padding=2)),
    ("Conv1d", (4, 8, 3), dict(padding=1, groups=2)),
    ("Conv1d", (4, 8, 4), dict(padding="same", padding_mode="reflect", dilation=2)),
    ("Conv1d", (4, 8, 3, 2, 1, 2), {}),
    ("ConvTranspose1d", (4, 6, 3), {}),
    ("ConvTranspose1d", (4, 6, 4, 2, 1), {}),
    ("ConvTranspose1d", (4, 6, 3), dict(stride=2, output_padding=1, groups=2, dilation=2, bias=False)),
]


def _layer(L, name, args, kwargs):
    """The layer's repr and parameters' shapes, then PyTorch's parameters loaded: the result, the input's and the
    weight's gradients."""
    torch.manual_seed(0)
    theirs = getattr(torch.nn, name)(*args, **kwargs).double()
    layer = theirs if L is torch else getattr(minigan.nn, name)(*args, **kwargs).double()
    seen = [repr(layer), [tuple(p.shape) for p in layer.parameters()]]
    if L is minigan:
        layer.load_state_dict({k: minigan.tensor(v.detach().numpy()) for k, v in theirs.state_dict().items()})
    x = L.tensor(np.random.default_rng(5).standard_normal((2, 4, 11, 9) if not name.endswith("1d") else (2, 4, 13)),
                 requires_grad=True)
    y = layer(x)
    return [*seen, close(y.detach(), 1e-10, 1e-10), _gradients(L, L.autograd.grad(y.sum(), [x, layer.weight]),
                                                               [x, layer.weight], 1e-10, 1e-10)]


test_layers_take_pytorchs_arguments = sweep(_layer, LAYERS, ids=lambda n, a, k: f"{n}{a}{k}")


# ------------------------------------------------------------------------------------------------------------ dtypes
DTYPES = ["float64", "float32", "float16", "int64", "int32", "uint8", "bool"]  # (int8, int16: int32's rule)
PATHS = [  # name, input shape, weight shape, keywords: one per kernel path
    ("conv2d", (2, 2, 5, 5), (3, 2, 3, 3), {}),  # float32: oneDNN (a batch of 2)
    ("conv2d", (1, 2, 5, 5), (3, 2, 3, 3), {}),  # float32: PyTorch's own kernel (one image, 3×3)
    ("conv2d", (2, 2, 7, 7), (3, 2, 3, 3), {"dilation": 2}),
    ("conv2d", (2, 2, 7, 7), (3, 2, 2, 2), {"padding": "same"}),  # (an odd total: the input padded first)
    ("conv2d", (1, 2, 7, 7), (3, 2, 3, 3), {"padding": "valid"}),
    ("conv2d", (2, 2, 7, 7), (3, 2, 3, 3), {"padding": "valid", "dilation": 2}),
    ("conv2d", (2, 4, 5, 5), (4, 2, 3, 3), {"groups": 2, "stride": 2}),
    ("conv2d", (0, 2, 5, 5), (3, 2, 3, 3), {}),  # empty batch: no kernel runs
    ("conv2d", (2, 0, 5, 5), (3, 0, 3, 3), {}),  # no channels: an empty weight
    ("conv2d", (0, 2, 5, 5), (3, 2, 2, 2), {"padding": "same"}),
    ("conv2d", (2, 5, 5), (3, 2, 3, 3), {}),  # one sample
    ("conv1d", (2, 2, 5), (3, 2, 3), {}),
    ("conv1d", (2, 2, 5), (3, 2, 2), {"padding": "same"}),
    ("conv1d", (0, 2, 5), (3, 2, 3), {}),
    ("conv_transpose2d", (2, 2, 5, 5), (2, 3, 3, 3), {}),  # float32: oneDNN
    ("conv_transpose2d", (1, 2, 5, 5), (2, 3, 3, 3), {}),  # float32: PyTorch's own kernel
    ("conv_transpose2d", (2, 2, 5, 5), (2, 3, 3, 3), {"dilation": 2, "output_padding": 1}),  # past the stride
    ("conv_transpose2d", (0, 2, 5, 5), (2, 3, 3, 3), {}),
    ("conv_transpose1d", (2, 2, 5), (2, 3, 3), {"stride": 2, "output_padding": 1}),
    ("conv_transpose1d", (0, 2, 5), (2, 3, 3), {}),
]


@functools.cache
def _halves(path, unsigned, bools):
    name, x_shape, w_shape, kw = PATHS[path]
    rng = np.random.default_rng(0)
    arrays = [rng.uniform(-3, 3, s) for s in (x_shape, w_shape, w_shape[0] if "transpose" not in name else
                                              w_shape[1] * kw.get("groups", 1))]
    arrays = [np.where(a < 0, np.ceil(a), np.floor(a)) + 0.5 * (a > 0) for a in arrays]
    arrays = [np.abs(a) if unsigned else a for a in arrays]  # (no negative value into uint8: wrapped apart)
    return [(a > 0) * 1.0 if bools else a for a in arrays]  # (0 and 1 read the same either way)


def _dtypes(L, path, dts):
    """Halves (exact in float16).  A CPU whose oneDNN takes float16 runs PyTorch's float16 convolutions there:
    minigan's rule is ATen's."""
    name, x_shape, w_shape, kw = PATHS[path]
    arrays = _halves(path, "uint8" in dts, "bool" in dts)
    tensors = [None if d is None else L.tensor(a).to(getattr(L, d)) for a, d in zip(arrays, dts)]
    aten = L is torch and dts[0] == "float16" and onednn_takes_float16()
    with aten_kernels() if aten else contextlib.nullcontext():
        out = _conv(L, name)(*tensors, **kw)
    tol, values = 2e-2 if "float16" in dts else 1e-5, out.numpy().astype(np.float64)
    return str(out.dtype).split(".")[-1], close(values, tol, tol * np.abs(values).max(initial=1))


test_every_dtype_triple_runs_or_raises_as_pytorch = sweep(_dtypes, [
    (path, dts) for path in range(len(PATHS)) for dts in itertools.product(DTYPES, DTYPES, [None, *DTYPES])],
    group=lambda path, dts: f"{PATHS[path][0]}-{PATHS[path][1]}-{PATHS[path][3]}",
    cover=[lambda path, dts: path])  # (every path by default)


def _cast_bias(L, name):
    """A float64 bias a float32 convolution casts (PyTorch's own kernel: one image) gets a float64 gradient; int64
    input and weight give the exact integer sums."""
    rng = np.random.default_rng(1)
    shapes = {"conv2d": ((1, 2, 4, 4), (3, 2, 3, 3), 3), "conv_transpose2d": ((1, 2, 4, 4), (2, 3, 3, 3), 3),
              "conv1d": ((1, 2, 6), (3, 2, 3), 3)}[name]
    x, w, b = (rng.standard_normal(s) for s in shapes)
    kw = {} if "transpose" in name else {"padding": "valid"}  # (numeric padding: conv1d/2d want the input's dtype)
    bias = L.tensor(b, requires_grad=True)
    out = _conv(L, name)(L.tensor(x, dtype=L.float32), L.tensor(w, dtype=L.float32), bias, **kw)
    out.backward(L.tensor(rng.standard_normal(tuple(out.shape)), dtype=L.float32))
    xi, wi = rng.integers(-50, 50, shapes[0]), rng.integers(-50, 50, shapes[1])
    return close(bias.grad, 1e-5), _conv(L, name)(L.tensor(xi), L.tensor(wi), **kw)


test_a_cast_bias_gets_its_gradient_in_its_own_dtype = sweep(_cast_bias, ["conv2d", "conv_transpose2d", "conv1d"])


def _onednn(L, threads):
    """Each geometry's outcome: the shape, or the refusal (batch, size, kernel, groups, stride, dilation,
    transposed, output_padding; 102: one image of more than 20,480 numbers)."""
    before = L.get_num_threads()
    L.set_num_threads(threads)
    try:
        return [outcome(_onednn_case, L, *case) for case in itertools.product(
            [1, 2, 16], [5, 102], [1, 3, 4], [1, 2], [1, 2], [1, 2], [False, True], [0, 1])
            if not ((not case[6] and (case[7] or case[4] > 1)) or (case[6] and case[7] >= max(case[4], case[5])) or
                    (case[1] > 5 and (case[0] > 1 or case[2] > 3)))]
    finally:
        L.set_num_threads(before)


def _onednn_case(L, n, hw, k, groups, s, d, transposed, op):
    w = np.ones((2, 6 // groups, k, k) if transposed else (6, 2 // groups, k, k))
    kw = {"stride": s, "dilation": d, "groups": groups, **({"output_padding": op} if transposed else
                                                             {"padding": "valid"})}
    return tuple(_conv(L, "conv_transpose2d" if transposed else "conv2d")(
        L.tensor(np.ones((n, 2, hw, hw)), dtype=L.float32), L.tensor(w, dtype=L.float32), L.tensor(np.ones(6)),
        **kw).shape)


test_onednn_rule_of_thumb_follows_pytorch = sweep(  # (both paths reached: refused, oneDNN's, and run)
    _onednn, [1, 2], also=lambda ours, theirs: {isinstance(o, tuple) for o in theirs} != {True, False} and
    "PyTorch's outcomes do not reach both paths")


# --------------------------------------------------------------------------- a transposed convolution's saved input
def _written(L, dims, batch, layout, geometry, bias, written, order):
    """The leaves' gradients of Σ w·conv_transpose at ``order``, after ``written`` changed through .data."""
    groups, stride, padding, output_padding, dilation = geometry
    rng = np.random.default_rng(batch * 7 + groups)
    spatial, kernel = ((3, 4), (2, 2)) if dims == "2d" else ((5,), (3,))
    x = L.tensor(np.round(rng.normal(size=(batch, 4) + spatial), 3), dtype=L.float64, requires_grad=True)
    w = L.tensor(np.round(rng.normal(size=(4, 2) + kernel), 3), dtype=L.float64, requires_grad=True)
    b = L.tensor(rng.normal(size=2 * groups), dtype=L.float64, requires_grad=True) if bias else None
    leaves = [x, w] + ([b] if bias else [])
    inp = x * 1.0
    if layout == "batch_last":  # a convolution's result: minigan's is a view of a batch-last buffer
        inp = _conv(L, "conv" + dims)(x, L.ones((4, 1) + (1,) * len(spatial), dtype=L.float64), groups=4)
    elif layout == "transposed":
        inp = x.transpose(-1, -2).contiguous().transpose(-1, -2)
    out = _conv(L, "conv_transpose" + dims)(inp, w, b, stride=stride, padding=padding, output_padding=output_padding,
                                            groups=groups, dilation=dilation)
    if written == "input":
        inp.data.add_(0.25)
    elif written == "weight":
        w.data.mul_(-1.5)
    weight = L.tensor(np.random.default_rng(11).normal(size=tuple(out.shape)), dtype=L.float64)
    grads = L.autograd.grad((out * weight).sum(), leaves, create_graph=order > 1)
    if order > 1:
        grads = L.autograd.grad(sum((g * g).sum() for g in grads), leaves, allow_unused=True)
    return _gradients(L, grads, leaves, 1e-10, 1e-12)


test_conv_transpose_reads_its_input_when_backward_runs = sweep(_written, list(itertools.product(
    ["2d", "1d"], [1, 2, 3], ["rows", "batch_last", "transposed"],
    [(1, 1, 0, 0, 1), (1, 2, 1, 1, 1), (2, 1, 0, 0, 2), (2, 2, 0, 1, 1)],  # (groups, stride, padding, output_padding,
    [False, True], [None, "input", "weight"], [1, 2])), every=17)         # dilation)


# ------------------------------------------------------------------------------------------------- unfold and fold
def _unfolded(L, geometry, shape):
    """unfold and fold (of unfold's columns): values, first gradients of a drawn weighting, the modules' reprs."""
    x = np.random.default_rng(6).standard_normal(shape)
    cols = torch.nn.functional.unfold(torch.tensor(x), **geometry).detach().numpy()
    seen = [repr(L.nn.Fold((5, 6), **geometry)), repr(L.nn.Unfold(**geometry))]
    for op, array in [(lambda t: L.nn.functional.unfold(t, **geometry), x),
                      (lambda t: L.nn.functional.fold(t, (5, 6), **geometry), cols)]:
        t = L.tensor(array, requires_grad=True)
        y = op(t)
        w = np.random.default_rng(7).standard_normal(tuple(y.shape))
        seen += [close(y.detach(), 1e-12), close(L.autograd.grad((y * L.tensor(w)).sum(), t)[0], 1e-12)]
    return seen


test_unfold_and_fold_equal_pytorch = sweep(_unfolded, list(itertools.product(
    [dict(kernel_size=(2, 3), padding=1, stride=(1, 2)), dict(kernel_size=2),
     dict(kernel_size=3, dilation=2, padding=2, stride=2), dict(kernel_size=(1, 2), stride=2)],
    [(2, 3, 5, 6), (3, 5, 6)])))


def _unfold_dtypes(L, shape, dtype, geometry):
    values = np.arange(int(np.prod(shape))).reshape(shape) % 3
    return L.nn.functional.unfold(L.tensor(values, dtype=getattr(L, dtype)), **geometry)


test_unfold_of_each_dtype_as_pytorch = sweep(_unfold_dtypes, list(itertools.product(
    [(1, 2, 3, 3), (2, 1, 4, 3), (2, 3, 3), (0, 2, 3, 3)], ["bool", "int64", "float64"],
    [dict(kernel_size=2), dict(kernel_size=(1, 2), stride=2), dict(kernel_size=2, padding=1, dilation=1),
     dict(kernel_size=(2, 1), dilation=2)])))


def _fold_dtypes(L, shape, size, kernel, kw, dtype):
    rng = np.random.default_rng(3)
    return [L.nn.functional.fold(L.tensor((rng.random(shape) < 0.4).astype(dtype)), size, kernel, **kw)
            for _ in range(4)]


test_fold_dtypes_as_pytorch = sweep(_fold_dtypes, [(*c, d) for c in [
    ((1, 2, 4), (3, 2), (2, 1), {}), ((0, 2, 4), (3, 2), (2, 1), {}), ((2, 4), (3, 2), (2, 1), {}),
    ((2, 8, 6), (4, 4), (2, 2), {"dilation": (1, 2)}), ((1, 4, 25), (3, 3), (2, 2), {"padding": 1}),
    ((2, 4, 4), (4, 4), (2, 2), {"stride": 2})] for d in ["bool", "int64", "uint8"]])


def _empty_dims(L, shape, kernel, stride, permuted):
    x = L.zeros(shape[::-1], dtype=L.float64).permute(*range(len(shape) - 1, -1, -1)) if permuted else \
        L.zeros(shape, dtype=L.float64)
    return tuple(L.nn.functional.unfold(x, kernel, stride=stride).shape)


test_unfold_empty_dims_as_pytorch = sweep(_empty_dims, [
    (s, *ks, p) for s in list(itertools.product([0, 2], [0, 2], [0, 5], [0, 4])) + [(0, 6, 4), (2, 6, 0), (2, 0, 4),
                                                                                  (2, 6, 4)]
    for ks in [((2, 1), 1), ((0, 1), 1), ((2, 1), 0)] for p in [False, True]])
SPECIAL = [math.inf, -math.inf, math.nan]


def _image(special):
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 2, 5, 6))
    x.reshape(-1)[rng.choice(x.size, 3, replace=False)] = special
    return x


def _moved(L, geometry, special, op, holding):
    image = _image(special)
    with torch.no_grad():
        cols = torch.nn.functional.unfold(torch.tensor(image), **geometry).numpy()
    array = image if op == "unfold" else np.where(np.random.default_rng(2).random(cols.shape) < 0.05, special, cols)
    x = L.tensor(array, dtype=L.float64, requires_grad=True)
    y = L.nn.functional.unfold(x, **geometry) if op == "unfold" else L.nn.functional.fold(x, (5, 6), **geometry)
    u = np.random.default_rng(1).normal(size=tuple(y.shape))
    if holding:
        u.reshape(-1)[::7] = special
    g, = L.autograd.grad(y, [x], grad_outputs=L.tensor(u, dtype=L.float64), create_graph=True)
    h, = L.autograd.grad(g, [x], grad_outputs=L.ones_like(g), allow_unused=True) if g.requires_grad else (None,)
    h = L.zeros_like(x) if h is None else h  # (no second-order graph: a zero second derivative)
    return [close(t.detach(), 1e-12) for t in (y, g, h)]


test_unfold_and_fold_move_special_values_as_pytorch = sweep(_moved, list(itertools.product(
    [dict(kernel_size=2), dict(kernel_size=(2, 3), stride=2), dict(kernel_size=2, padding=1),
     dict(kernel_size=2, dilation=2), dict(kernel_size=(1, 2), stride=(2, 1), padding=(1, 0), dilation=1),
     dict(kernel_size=3, padding=1, stride=2, dilation=(1, 2))], SPECIAL, ["unfold", "fold"], [False, True])),
    group=lambda geometry, special, *case: f"{geometry}-{special}")
