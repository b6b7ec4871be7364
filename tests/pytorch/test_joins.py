"""The layout of cat's result and of the joins built on it (concat, concatenate, stack, hstack, vstack, row_stack,
dstack, column_stack), against PyTorch (tests/pytorch/sweep.py): its cat allocates the result channels-last (4-D)
or channels-last-3d (5-D) where every input suggests that memory format, else row-major (surface seed 11714637:
vstack of one channels-last tensor, whose flatten() copies in PyTorch).  Compared on drawn lists of 4-D and 5-D
tensors laid out row-major, channels-last, otherwise permuted, sliced or expanded, with a size-1 axis, empty, or
mixed with a 1-d empty tensor: the values, the strides of each axis longer than 1, whether flatten() is a view, and
the gradients.
"""

import numpy as np
import pytest

from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

JOINS = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack", "dstack", "column_stack"]
LAYOUTS = ["rows", "last", "last", "last", "other", "slice", "expand"]


def _tensor(L, values, layout, rg):
    nd = values.ndim
    last = (0,) + tuple(range(2, nd)) + (1,)  # channels-last memory order
    back = tuple(int(i) for i in np.argsort(last))
    if layout == "last":
        x = L.tensor(values.transpose(last).copy(order="C")).permute(*back)  # (fresh: row-major strides)
    elif layout == "other":
        order = tuple(range(nd))[::-1]
        x = L.tensor(values.transpose(order).copy(order="C")).permute(*order)
    elif layout == "slice":
        x = L.tensor(np.concatenate([values, values], axis=-1)).narrow(-1, 0, values.shape[-1])
    elif layout == "expand" and values.shape[0] == 1:
        x = L.tensor(values).expand(*values.shape)
    else:
        x = L.tensor(values)
    return x.requires_grad_(rg) if rg else x


def _drawn(L, case):
    rng = np.random.default_rng(case)
    join = JOINS[case % len(JOINS)]
    nd = int(rng.choice([4, 5]))
    shape = [int(v) for v in rng.choice([1, 2, 3], size=nd)]
    if case % 17 == 0:
        shape[int(rng.integers(0, nd))] = 0
    n = int(rng.integers(1, 4))
    layouts = [str(rng.choice(LAYOUTS)) for _ in range(n)] if case % 4 else ["last"] * n
    values = [rng.normal(size=shape) for _ in range(n)]
    dim = int(rng.integers(-nd, nd)) if join in ("cat", "concat", "concatenate") else \
        int(rng.integers(-nd - 1, nd + 1)) if join == "stack" else None
    xs = [_tensor(L, v, layout, k == 0) for k, (v, layout) in enumerate(zip(values, layouts))]
    if join in ("cat", "concat") and case % 9 == 0:
        xs = xs + [L.zeros(0, dtype=L.float64)]
    y = getattr(L, join)(xs) if dim is None else getattr(L, join)(xs, dim)
    if not y.numel():
        return y.detach()
    w = L.tensor(np.arange(y.numel(), dtype=np.float64).reshape(tuple(y.shape)) * 0.5 - 1.0)
    layout = (y.flatten().data_ptr() == y.data_ptr(), tuple(s for s, n in zip(y.stride(), y.shape) if n > 1)) \
        if y.numel() > 1 else None
    return y.detach(), layout, L.autograd.grad((y * w).sum(), xs[0])[0]


test_join_layout_as_pytorchs = sweep(_drawn, range(300))
