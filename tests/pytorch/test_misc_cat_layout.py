"""The layout of cat's result and of the joins built on it (concat, concatenate, stack, hstack, vstack, row_stack,
dstack, column_stack), as PyTorch's: its cat allocates the result channels-last (4-D) or channels-last-3d (5-D)
where every input suggests that memory format, else row-major (surface seed 11714637: vstack of one
channels-last tensor, whose flatten() copies in PyTorch).  Compared on drawn lists of 4-D and 5-D tensors laid out
row-major, channels-last, otherwise permuted, sliced or expanded, with a size-1 axis, empty, or mixed with a 1-d
empty tensor: the values, the strides of each axis longer than 1, whether flatten() is a view, and the gradients.
"""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

JOINS = ["cat", "concat", "concatenate", "stack", "hstack", "vstack", "row_stack", "dstack", "column_stack"]
LAYOUTS = ["rows", "last", "last", "last", "other", "slice", "expand"]


def _tensor(lib, values, layout, rg):
    nd = values.ndim
    last = (0,) + tuple(range(2, nd)) + (1,)  # channels-last memory order
    back = tuple(int(i) for i in np.argsort(last))
    if layout == "last":
        x = lib.tensor(values.transpose(last).copy(order="C")).permute(*back)  # (fresh: row-major strides)
    elif layout == "other":
        order = tuple(range(nd))[::-1]
        x = lib.tensor(values.transpose(order).copy(order="C")).permute(*order)
    elif layout == "slice":
        x = lib.tensor(np.concatenate([values, values], axis=-1)).narrow(-1, 0, values.shape[-1])
    elif layout == "expand" and values.shape[0] == 1:
        x = lib.tensor(values).expand(*values.shape)
    else:
        x = lib.tensor(values)
    return x.requires_grad_(rg) if rg else x


def _draw(case):
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
    empty_vector = join in ("cat", "concat") and case % 9 == 0
    return join, values, layouts, dim, empty_vector


def _run(lib, join, values, layouts, dim, empty_vector):
    xs = [_tensor(lib, v, layout, k == 0) for k, (v, layout) in enumerate(zip(values, layouts))]
    if empty_vector:
        xs = xs + [lib.zeros(0, dtype=lib.float64)]
    fn = getattr(lib, join)
    y = fn(xs) if dim is None else fn(xs, dim)
    flat_view = y.flatten().data_ptr() == y.data_ptr() if lib is torch else _shares(y.flatten(), y)
    grad = None
    if y.numel():
        w = lib.tensor(np.arange(y.numel(), dtype=np.float64).reshape(tuple(y.shape)) * 0.5 - 1.0)
        (grad,) = lib.autograd.grad((y * w).sum(), xs[0])
    return y, flat_view, grad


def _shares(a, b):
    return np.shares_memory(a.detach().numpy(), b.detach().numpy())


@pytest.mark.parametrize("case", range(300))
def test_join_layout_as_pytorchs(case):
    join, values, layouts, dim, empty_vector = _draw(case)
    want, want_view, want_grad = _run(torch, join, values, layouts, dim, empty_vector)
    got, got_view, got_grad = _run(minigan, join, values, layouts, dim, empty_vector)
    assert tuple(got.shape) == tuple(want.shape)
    np.testing.assert_array_equal(got.detach().numpy(), want.detach().numpy())
    if want.numel() > 1:
        assert got_view == want_view, (join, layouts, dim, want.stride(), got.stride())
        long_axes = [d for d in range(want.ndim) if want.shape[d] > 1]
        assert [got.stride()[d] for d in long_axes] == [want.stride()[d] for d in long_axes], (join, layouts, dim)
    if want_grad is not None:
        np.testing.assert_array_equal(got_grad.numpy(), want_grad.numpy())
