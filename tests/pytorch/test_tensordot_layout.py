"""tensordot's result is laid out as PyTorch's: a view of an mm product, so row-major whatever the operands'
layouts, with no axis contracted (dims=0, an outer product) as with some.  Drawn: operand layouts (row-major,
transposed, permuted, sliced, expanded) x dims (0, 1, 2, pairs of lists) against PyTorch: shape, strides,
contiguity, whether flatten() is a view, values and gradients."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _operand(lib, how, shape, seed):
    values = np.round(np.random.default_rng(seed).normal(size=int(np.prod(shape)) * 2), 3)
    leaf = lib.tensor(values[: int(np.prod(shape))].reshape(shape), dtype=lib.float64, requires_grad=True)
    if how == "row-major":
        return leaf, leaf
    if how == "transposed":
        flipped = shape[::-1]
        leaf = lib.tensor(values[: int(np.prod(shape))].reshape(flipped), dtype=lib.float64, requires_grad=True)
        return leaf, leaf.permute(*reversed(range(len(shape))))
    if how == "sliced":
        wide = shape[:-1] + (2 * shape[-1],)
        leaf = lib.tensor(values.reshape(wide), dtype=lib.float64, requires_grad=True)
        return leaf, leaf[..., ::2]
    if how == "expanded":
        leaf = lib.tensor(values[: shape[-1]], dtype=lib.float64, requires_grad=True)
        return leaf, leaf.expand(*shape)
    raise AssertionError(how)


SHAPES = [((3, 4), (4, 2)), ((2, 3, 4), (3, 4, 2)), ((3,), (2, 3))]
DIMS = [0, 1, 2, ([0], [1]), ([1, 0], [0, 1]), ([-1], [0])]
CASES = [(sa, sb, d, ha, hb) for (sa, sb), d, ha, hb in itertools.product(
    SHAPES, DIMS, ("row-major", "transposed", "sliced", "expanded"), ("row-major", "transposed", "sliced"))]


def _run(lib, sa, sb, dims, ha, hb):
    la, a = _operand(lib, ha, sa, 1)
    lb, b = _operand(lib, hb, sb, 2)
    try:
        r = lib.tensordot(a, b, dims=dims)
    except (RuntimeError, IndexError) as e:
        return ("refused", IndexError if isinstance(e, IndexError) else RuntimeError)
    flat_view = r.numel() > 1 and r.ndim > 1 and r.flatten().untyped_storage().data_ptr() == \
        r.untyped_storage().data_ptr()
    w = lib.tensor(np.linspace(-1, 1, r.numel()).reshape(tuple(r.shape)), dtype=lib.float64)
    (r * w).sum().backward()
    return [tuple(r.shape), r.stride(), r.is_contiguous(), flat_view, np.round(r.tolist(), 9).tolist(),
            np.round(la.grad.tolist(), 9).tolist(), np.round(lb.grad.tolist(), 9).tolist()]


@pytest.mark.parametrize("sa,sb,dims,ha,hb", CASES, ids=str)
def test_tensordot_is_laid_out_as_pytorch(sa, sb, dims, ha, hb):
    assert _run(minigan, sa, sb, dims, ha, hb) == _run(torch, sa, sb, dims, ha, hb)
