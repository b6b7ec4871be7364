"""The pools and the pixel shuffles against PyTorch (tests/pytorch/sweep.py):

* the dtypes and empty axes each pool's kernel takes: max_pool2d every integer but bool, avg_pool1d/2d int64
  (dividing in integers), max_pool1d floats only unless it returns indices; the empty axes refused (RuntimeError)
  or passed through (any dtype: no kernel runs), PyTorch's values, dtype and shape where it runs;
* the adaptive pools of empty inputs and to empty sizes (surface programs 11892814, 11887723): only a batch, or for
  the average pools' forward any axis not pooled, may be empty, an output size 0 is taken; their backward checks
  the upstream again, refusing one empty anywhere but the batch, so an empty channel axis or an output size of 0
  runs forward and refuses at backward (the same stage compared);
* adaptive_max_pool at NaN: PyTorch's kernel walks each window row by row taking an entry greater than the maximum
  so far, or NaN, so a window's value is NaN and its index (and gradient) the window's LAST NaN;
* adaptive_avg_pool's gradient where the upstream holds NaN or ±∞ reaches that window's pixels only (0/1 membership
  matrices would make it 0·NaN = NaN everywhere), to the first order and in the input and an upstream that is a
  leaf (a NaN there is what a third-order gradient of logcumsumexp hands on);
* avg_pool2d's divisor_override as PyTorch 2.13 checks it: an int (a NumPy integer or a 0-d integer tensor too),
  anything else a TypeError first, 0 refused (RuntimeError) before the input's dimensions, dtype or sizes are read
  (surface program 11700824);
* pixel_shuffle and pixel_unshuffle over shape (leading batch axes, none, empty ones), factor and dtype, row-major
  results of a permuted input too; of an empty tensor the gradient has the input's shape, where PyTorch's backward
  refuses (docs/pytorch.md's row, measured here so a PyTorch that fixes it shows: surface programs 11707239,
  11742340, 11747910, 11779752).
"""

import itertools
import math

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

POOLS = {
    "max_pool2d": lambda F, x: F.max_pool2d(x, 2),
    "max_pool2d(indices)": lambda F, x: F.max_pool2d(x, 2, 1, 1, return_indices=True),
    "avg_pool2d": lambda F, x: F.avg_pool2d(x, 2),
    "avg_pool2d(padded)": lambda F, x: F.avg_pool2d(x, 3, 1, 1),
    "avg_pool2d(divisor)": lambda F, x: F.avg_pool2d(x, 2, divisor_override=3),
    "max_pool1d": lambda F, x: F.max_pool1d(x, 2),
    "max_pool1d(indices)": lambda F, x: F.max_pool1d(x, 2, return_indices=True),
    "avg_pool1d": lambda F, x: F.avg_pool1d(x, 3, 1, 1),
    "adaptive_avg_pool1d": lambda F, x: F.adaptive_avg_pool1d(x, 2),
    "adaptive_max_pool1d": lambda F, x: F.adaptive_max_pool1d(x, 2),
    "adaptive_avg_pool2d": lambda F, x: F.adaptive_avg_pool2d(x, 2),
    "adaptive_max_pool2d": lambda F, x: F.adaptive_max_pool2d(x, 2),
    "adaptive_avg_pool1d(1)": lambda F, x: F.adaptive_avg_pool1d(x, [1]),
    "adaptive_avg_pool2d(1)": lambda F, x: F.adaptive_avg_pool2d(x, (1, 1)),
}


def _pooled(L, pool, shape, dtype):
    out = POOLS[pool](L.nn.functional, L.tensor((np.arange(int(np.prod(shape))) * 7 % 11 - 5).reshape(shape)
                                                .astype(dtype)))
    return [close(o, 1e-6) for o in (out if isinstance(out, tuple) else (out,))]


test_pools_take_the_dtypes_and_empty_axes_pytorchs_take = sweep(_pooled, list(itertools.product(
    sorted(POOLS), [(3, 4), (0, 3), (3, 0), (2, 3, 4), (0, 2, 4), (2, 0, 4), (2, 3, 0), (1, 2, 4, 4), (0, 2, 4, 4),
                    (2, 0, 4, 4), (1, 2, 0, 4)], ("float64", "float32", "int64", "int32", "uint8", "bool"))),
    group=lambda pool, *_: pool)
EMPTY_SHAPES = {1: [(2, 3, 5), (0, 3, 5), (2, 0, 5), (2, 3, 0), (0, 0, 4), (3, 5), (0, 5), (3, 0)],
                2: [(2, 3, 4, 5), (0, 3, 4, 5), (2, 0, 4, 5), (2, 3, 0, 5), (2, 3, 4, 0), (0, 0, 2, 2), (3, 4, 5),
                    (0, 4, 5), (3, 0, 5)]}
EMPTY_SIZES = {1: [0, 1, 3, -1], 2: [0, 1, 3, (0, 2), (2, 0), (1, 1), (3, 2), (-1, 2)]}


def _adaptive_of_empty(L, op, shape, size, dtype, rg):
    """The result (within 1e-6 in float32, 1e-12 else), then its gradient or the backward's refusal."""
    rng = np.random.default_rng(sum(shape) + 3)
    x = L.tensor(rng.normal(size=shape) * 3, requires_grad=rg).to(getattr(L, dtype))
    out = getattr(L.nn.functional, op)(x, size)
    seen = close(out.detach(), 1e-6 if dtype == "float32" else 1e-12)
    if not rg:
        return seen
    up = L.tensor(rng.normal(size=tuple(out.shape)), dtype=L.float64)
    grad = outcome(lambda: L.autograd.grad((out * up).sum(), [x])[0])
    return seen, grad if isinstance(grad, Exception) else close(grad, 1e-12)


test_adaptive_pool_of_empty_against_pytorch = sweep(_adaptive_of_empty, [
    (op, shape, size, dtype, rg) for op in ("adaptive_avg_pool1d", "adaptive_max_pool1d", "adaptive_avg_pool2d",
                                            "adaptive_max_pool2d")
    for shape, size, (dtype, rg) in itertools.product(EMPTY_SHAPES[int(op[-2])], EMPTY_SIZES[int(op[-2])], [
        ("float64", True), ("float64", False), ("float32", False), ("int64", False), ("bool", False)])], every=17,
    cover=[lambda op, shape, size, dtype, rg: (op, shape), lambda op, shape, size, dtype, rg: (op, repr(size)),
           lambda op, shape, size, dtype, rg: (op, dtype, rg)])
NAN_ROWS = [[1.0, math.nan, 2.0, math.nan, 0.5], [math.nan, 3.0, 1.0, 2.0, math.nan],
            [math.nan, math.nan, 1.0, 2.0, 3.0], [2.0, 2.0, math.nan, 1.0, 2.0], [1.0, 2.0, 3.0, 3.0, 0.0]]
MAX_DOORS = {
    "F.adaptive_max_pool1d": lambda L, x, size: L.nn.functional.adaptive_max_pool1d(x, size, True),
    "nn.AdaptiveMaxPool1d": lambda L, x, size: L.nn.AdaptiveMaxPool1d(size, return_indices=True)(x),
    "F.adaptive_max_pool2d": lambda L, x, size: L.nn.functional.adaptive_max_pool2d(x, size, True),
    "nn.AdaptiveMaxPool2d": lambda L, x, size: L.nn.AdaptiveMaxPool2d(size, return_indices=True)(x),
    "F.adaptive_max_pool2d values": lambda L, x, size: (L.nn.functional.adaptive_max_pool2d(x, size),),
}
NAN_PLANES = [np.array(NAN_ROWS[:3]), np.array(NAN_ROWS[2:]), np.array(NAN_ROWS[1:4]).T]


def _max_at_nan(L, door, data, size):
    """The values, indices and the gradient of an upstream 1, 2, 3, ..."""
    x = L.tensor(data, dtype=L.float64, requires_grad=True)
    found = MAX_DOORS[door](L, x, size)
    up = L.tensor(np.arange(1.0, 1.0 + found[0].numel()).reshape(tuple(found[0].shape)), dtype=L.float64)
    return [t.detach() for t in found] + [L.autograd.grad(found[0], x, up)[0]]


test_adaptive_max_pool_takes_the_last_nan_of_a_window = sweep(_max_at_nan, [
    *(((door, [[row]], size) for door in list(MAX_DOORS)[:2] for row in NAN_ROWS for size in (1, 2, 3, 5))),
    *(((door, [[p.tolist()]], size) for door in list(MAX_DOORS)[2:] for p in NAN_PLANES
       for size in itertools.product((1, 2, 3), (1, 2, 4))))], group=lambda door, *_: door)
AVG_CASES = {  # code over x and the library, input shape
    "1d_divides": ("F.adaptive_avg_pool1d(x, 2)", (1, 2, 6)),
    "1d_overlaps": ("F.adaptive_avg_pool1d(x, 3)", (2, 1, 5)),
    "1d_more_windows": ("F.adaptive_avg_pool1d(x, 5)", (1, 1, 3)),
    "1d_unbatched": ("F.adaptive_avg_pool1d(x, 2)", (2, 5)),
    "2d_divides": ("F.adaptive_avg_pool2d(x, 2)", (1, 1, 4, 4)),
    "2d_overlaps": ("F.adaptive_avg_pool2d(x, (2, 3))", (1, 2, 5, 4)),
    "2d_more_windows": ("F.adaptive_avg_pool2d(x, (3, 4))", (1, 1, 2, 3)),
    "2d_unbatched": ("F.adaptive_avg_pool2d(x, (2, 2))", (1, 3, 5)),
    "module_1d": ("torch.nn.AdaptiveAvgPool1d(2)(x)", (1, 1, 5)),
    "module_2d": ("torch.nn.AdaptiveAvgPool2d((2, 1))(x)", (1, 1, 3, 3)),
}


def _nonfinite_upstream(L, case, special, at):
    code, shape = AVG_CASES[case]
    x = L.tensor(np.linspace(-1.0, 1.5, int(np.prod(shape))).reshape(shape), dtype=L.float64, requires_grad=True)
    y = eval(code, {"torch": L, "F": L.nn.functional, "x": x})  # noqa: S307  (the table's own code)
    up = np.linspace(0.5, 1.5, y.numel())
    up[at % up.size] = special
    u = L.tensor(up.reshape(tuple(y.shape)), dtype=L.float64, requires_grad=True)
    g, = L.autograd.grad(y, x, u, create_graph=True)
    return [g.detach(), *L.autograd.grad(g, [x, u], L.ones_like(g), allow_unused=True)]


test_adaptive_avg_pool_keeps_a_nonfinite_gradient_in_its_window = sweep(_nonfinite_upstream, list(itertools.product(
    AVG_CASES, [math.nan, math.inf, -math.inf], [0, -1])))
DIVISORS = [0, -1, 3, -3, True, False, 2.0, 2.5, "2", np.int64(2), np.int32(0), np.float64(2.0), "tensor 2",
            "tensor 0", "tensor 2.0", None]
DIVIDED = {"float64": np.arange(2 * 3 * 4 * 4, dtype=np.float64).reshape(2, 3, 4, 4) - 40,
           "int64": np.arange(2 * 3 * 4 * 4, dtype=np.int64).reshape(2, 3, 4, 4) - 40,
           "one image": np.arange(3 * 4 * 4, dtype=np.float64).reshape(3, 4, 4),
           "empty batch": np.zeros((0, 3, 4, 4)), "5-D": np.zeros((1, 1, 1, 4, 4)),
           "bool": np.zeros((1, 1, 4, 4), bool), "int32": np.zeros((1, 1, 4, 4), np.int32),
           "empty plane": np.zeros((1, 1, 0, 4))}
AVG_GEOMETRIES = [dict(kernel_size=2),
                  dict(kernel_size=3, stride=1, padding=1, ceil_mode=True, count_include_pad=False),
                  dict(kernel_size=5), dict(kernel_size=2, stride=0)]


def _divided(L, d, name, geometry, module):
    if isinstance(d, str) and d.startswith("tensor"):
        d = L.tensor(float(d.split()[1]) if "." in d else int(d.split()[1]))
    x = L.tensor(DIVIDED[name])
    return L.nn.AvgPool2d(divisor_override=d, **geometry)(x) if module else \
        L.nn.functional.avg_pool2d(x, divisor_override=d, **geometry)


test_divisor_override_as_pytorch = sweep(_divided, list(itertools.product(DIVISORS, DIVIDED, AVG_GEOMETRIES,
                                                                          [False, True])), every=23,
                                         ids=lambda d, name, g, m: f"{d!r}-{name}-{g}-{'AvgPool2d' if m else 'F'}")


def _shuffled(L, name, shape, r, dtype):
    x = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    permuted = len(shape) == 3 and r == 1  # (then also of a permuted view: the result is row-major)
    y = getattr(L.nn.functional, name)(L.tensor(x.transpose(2, 0, 1)).permute(1, 2, 0) if permuted else L.tensor(x), r)
    return y, y.flatten().data_ptr() == y.data_ptr() if y.numel() else True


test_pixel_shuffles_take_what_pytorchs_take = sweep(_shuffled, list(itertools.product(
    ["pixel_shuffle", "pixel_unshuffle"],
    [(2, 3, 4), (4, 2, 4), (1, 2, 4, 2, 4), (2, 4), (0, 4, 2, 2), (4, 0, 2), (2, 8, 2, 4), (3, 8, 4, 6)],
    (1, 2, 0, -1), ("float64", "bool", "int64"))), group=lambda name, *case: name)


@pytest.mark.parametrize("fn,shape,r", [
    ("pixel_shuffle", (2, 4, 0, 3), 2), ("pixel_shuffle", (0, 4, 2, 3), 2), ("pixel_shuffle", (2, 0, 2, 3), 2),
    ("pixel_shuffle", (3, 27, 0, 3), 3), ("pixel_shuffle", (4, 0, 3), 2), ("pixel_unshuffle", (2, 1, 0, 6), 2),
    ("pixel_unshuffle", (0, 1, 4, 6), 2), ("pixel_unshuffle", (2, 0, 4, 6), 2)])
def test_empty_pixel_shuffles_gradient_has_the_input_shape(fn, shape, r):
    seen = []
    for L in (minigan, torch):
        x = L.zeros(*shape, dtype=L.float64, requires_grad=True)
        y = getattr(L.nn.functional, fn)(x, r)
        seen.append((tuple(y.shape), outcome(lambda L, y, x: L.autograd.grad(y.sum(), x)[0], L, y, x)))
    (ours_shape, ours), (theirs_shape, theirs) = seen
    assert ours_shape == theirs_shape and not isinstance(ours, Exception), ours
    assert tuple(ours.shape) == shape and ours.dtype == minigan.float64
    assert isinstance(theirs, RuntimeError)  # (docs/pytorch.md: PyTorch's backward refuses here)
