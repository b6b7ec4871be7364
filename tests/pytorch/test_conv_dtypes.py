"""The convolutions' dtypes against PyTorch: every pair of input and weight dtypes with every bias dtype (or none),
on the paths whose CPU kernels differ (conv2d with numeric or string padding, dilated, transposed, one sample, an
empty batch or channel axis, float32 on oneDNN or not).  PyTorch runs integer convolutions (the input and weight of
one dtype), casts the bias on some paths and refuses it on others (the rule: minigan/functional/conv.py, "dtypes, as
PyTorch's CPU kernels"); minigan must run where it runs, with the result's dtype and values, and raise where it
raises, an instance of its exception class.  Found by the surface programs (conv_transpose2d refused an int64 bias
that PyTorch adds; conv2d ran with a float32 bias to float64 input, which PyTorch refuses; integer conv2d refused)."""

import contextlib
import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
import minigan.functional as MF  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402
from pytorch.oracle import aten_kernels, onednn_takes_float16  # noqa: E402

DTYPES = ["float64", "float32", "float16", "int64", "int32", "uint8", "bool"]  # (int8, int16: int32's rule)
# name, function, input shape, weight shape, keywords: one per kernel path
PATHS = [
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


def _outcome(lib, fn, arrays, dts):
    tensors = [None if a is None else lib.tensor(a).to(getattr(lib, d)) for a, d in zip(arrays, dts)]
    return outcome(lambda: fn(*tensors))


@pytest.mark.filterwarnings("ignore:Using padding='same'")  # (PyTorch's note on its padded copy)
@pytest.mark.parametrize("name,x_shape,w_shape,kw", PATHS, ids=[f"{p[0]}-{p[1]}-{p[3]}" for p in PATHS])
def test_every_dtype_triple_runs_or_raises_as_pytorch(name, x_shape, w_shape, kw):
    rng = np.random.default_rng(0)
    out_channels = w_shape[0] if "transpose" not in name else w_shape[1] * kw.get("groups", 1)
    arrays = [rng.uniform(-3, 3, x_shape), rng.uniform(-3, 3, w_shape), rng.uniform(-3, 3, out_channels)]
    arrays = [np.where(a < 0, np.ceil(a), np.floor(a)) + 0.5 * (a > 0) for a in arrays]  # halves: exact in float16
    ours_fn, theirs_fn = (lambda x, w, b: getattr(MF, name)(x, w, b, **kw)), (
        lambda x, w, b: getattr(torch.nn.functional, name)(x, w, b, **kw))
    wrong = []
    for dts in itertools.product(DTYPES, DTYPES, [None, *DTYPES]):
        used = [a if d is not None else None for a, d in zip(arrays, dts)]
        if any(d == "uint8" for d in dts):  # (no negative values into unsigned: NumPy and PyTorch wrap them apart)
            used = [None if a is None else np.abs(a) for a in used]
        if any(d == "bool" for d in dts):  # (0 and 1 read the same either way)
            used = [None if a is None else (a > 0) * 1.0 for a in used]
        # (a CPU whose oneDNN takes float16 runs every float16 convolution there; minigan's rule is ATen's kernels')
        with aten_kernels() if dts[0] == "float16" and onednn_takes_float16() else contextlib.nullcontext():
            theirs = _outcome(torch, theirs_fn, used, dts)
        ours = _outcome(minigan, ours_fn, used, dts)
        if isinstance(theirs, Exception):
            if not isinstance(ours, type(theirs)):
                wrong.append((dts, f"PyTorch {type(theirs).__name__}: {theirs}", f"minigan {ours!r}"[:200]))
        elif isinstance(ours, Exception):
            wrong.append((dts, "PyTorch ran", f"minigan {type(ours).__name__}: {ours}"))
        elif str(ours.dtype).split(".")[-1] != str(theirs.dtype).split(".")[-1] or ours.shape != theirs.shape:
            wrong.append((dts, f"PyTorch {theirs.dtype} {tuple(theirs.shape)}", f"minigan {ours.dtype} {ours.shape}"))
        else:
            a, b = ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64)
            tol = 2e-2 if "float16" in dts else 1e-5
            if not np.allclose(a, b, rtol=tol, atol=tol * np.abs(b).max(initial=1)):
                wrong.append((dts, "values", np.abs(a - b).max()))
    assert not wrong, f"{len(wrong)} of {10 * len(DTYPES) ** 2} differ, e.g. {wrong[:4]}"


@pytest.mark.parametrize("name,transposed", [("conv2d", False), ("conv_transpose2d", True), ("conv1d", False)])
def test_a_cast_bias_gets_its_gradient_in_its_own_dtype(name, transposed):
    """A float64 bias that a float32 convolution casts (PyTorch's own kernel: one image) gets a float64 gradient,
    as PyTorch's, and an int64 input with an int64 weight gives the exact integer sums."""
    rng = np.random.default_rng(1)
    shapes = {"conv2d": ((1, 2, 4, 4), (3, 2, 3, 3), 3), "conv_transpose2d": ((1, 2, 4, 4), (2, 3, 3, 3), 3),
              "conv1d": ((1, 2, 6), (3, 2, 3), 3)}[name]
    x, w, b = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1]), rng.standard_normal(shapes[2])
    kw = {} if transposed else {"padding": "valid"}  # (numeric padding: conv1d/2d want the input's dtype)
    mx, mw = minigan.tensor(x, dtype=minigan.float32), minigan.tensor(w, dtype=minigan.float32)
    tx, tw = torch.tensor(x, dtype=torch.float32), torch.tensor(w, dtype=torch.float32)
    mb, tb = minigan.tensor(b, requires_grad=True), torch.tensor(b, requires_grad=True)
    ours, theirs = getattr(MF, name)(mx, mw, mb, **kw), getattr(torch.nn.functional, name)(tx, tw, tb, **kw)
    g = rng.standard_normal(tuple(theirs.shape))
    ours.backward(minigan.tensor(g, dtype=minigan.float32))
    theirs.backward(torch.tensor(g, dtype=torch.float32))
    assert mb.grad.dtype == minigan.float64 and tb.grad.dtype == torch.float64
    np.testing.assert_allclose(mb.grad.numpy(), tb.grad.numpy(), rtol=1e-5)
    xi, wi = rng.integers(-50, 50, shapes[0]), rng.integers(-50, 50, shapes[1])
    ours = getattr(MF, name)(minigan.tensor(xi), minigan.tensor(wi), **kw)
    theirs = getattr(torch.nn.functional, name)(torch.tensor(xi), torch.tensor(wi), **kw)
    assert ours.dtype == minigan.int64
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())


def _onednn_outcomes():
    """(case, outcome) for each geometry, at the thread count both libraries are set to now."""
    for n, hw, k, groups, s, d, transposed, op in itertools.product(
            [1, 2, 16], [5, 102], [1, 3, 4], [1, 2], [1, 2], [1, 2], [False, True], [0, 1]):
        if (not transposed and (op or s > 1)) or (transposed and op >= max(s, d)) or (hw > 5 and (n > 1 or k > 3)):
            continue  # (102: one image of more than 20,480 numbers)
        x, b = np.ones((n, 2, hw, hw)), np.ones(6)
        w = np.ones((2, 6 // groups, k, k) if transposed else (6, 2 // groups, k, k))
        name = "conv_transpose2d" if transposed else "conv2d"
        kw = {"stride": s, "dilation": d, "groups": groups, **({"output_padding": op} if transposed else
                                                                 {"padding": "valid"})}
        outcomes = []
        for lib, fn in ((torch, getattr(torch.nn.functional, name)), (minigan, getattr(MF, name))):
            try:
                fn(lib.tensor(x, dtype=lib.float32), lib.tensor(w, dtype=lib.float32), lib.tensor(b), **kw)
                outcomes.append("ran")
            except RuntimeError:
                outcomes.append("raised")
        yield (n, hw, k, groups, s, d, transposed, op), outcomes


@pytest.mark.parametrize("threads", [1, 2])
def test_onednn_rule_of_thumb_follows_pytorch(threads):
    """Whether a float32 convolution with a float64 bias is refused (oneDNN's path) or runs (PyTorch's own kernel):
    batch, size, kernel, groups, stride, dilation and output_padding, at one thread and at two."""
    before = torch.get_num_threads(), minigan.get_num_threads()
    torch.set_num_threads(threads)
    minigan.set_num_threads(threads)
    try:
        outcomes = list(_onednn_outcomes())
    finally:
        torch.set_num_threads(before[0])
        minigan.set_num_threads(before[1])
    wrong = [(case, o) for case, o in outcomes if o[0] != o[1]]
    assert {o[0] for _, o in outcomes} == {"ran", "raised"}  # (both paths reached)
    assert not wrong, f"{len(wrong)} of {len(outcomes)} differ: {wrong[:5]}"
