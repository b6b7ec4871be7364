"""F.unfold (im2col) and F.fold (col2im) against PyTorch (tests/pytorch/sweep.py):

* unfold of a bool input picks its entries, as PyTorch's; an integer input is refused as PyTorch's
  (NotImplementedError) (the surface programs' shape-coherent draws, seed 11620030 and 9 more of
  11,620,000-11,699,999: minigan refused every input that was not floating); fold of bool columns: its col2im takes
  bool (overlapping windows add up as or), and refuses the other integer dtypes (surface program 11798611);
* unfold (and nn.Unfold) take an empty batch and refuse empty channels, heights or widths, as PyTorch's im2col check
  does, batched or not, on views too; the refusal comes after the kernel's, stride's and dilation's checks;
* they move values: an entry of ±∞ or NaN must stay where it goes, not spread over the columns or pixels a 0/1 kernel
  multiplies (∞·0 = NaN): over kernel, stride, padding and dilation, the values, and the gradients at first and
  second order under finite, ±∞ and NaN upstreams, float64.
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


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
