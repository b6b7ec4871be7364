"""stack and cat give new memory laid out as PyTorch's: the result is never a view (``_base`` is None, so an
in-place change of it under another grad mode is allowed as there), with PyTorch's strides for row-major,
channels-last (4-D and 5-D), transposed and stepped inputs, at every dim, one input alone or beside a row-major one."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LAYOUTS = {"row-major": lambda x: x, "channels-last": lambda x: x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
           "transposed": lambda x: x.transpose(1, 3), "stepped": lambda x: x[:, ::2],
           "channels-last-3d": lambda x: x.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3)}
CASES = [("row-major", (2, 3, 4, 5)), ("channels-last", (2, 3, 4, 5)), ("transposed", (2, 3, 4, 5)),
         ("channels-last-3d", (2, 3, 2, 4, 5)), ("row-major", (2, 3, 2, 4, 5)), ("stepped", (2, 4, 3)),
         ("channels-last", (2, 1, 4, 5)), ("channels-last", (1, 3, 1, 1))]


def _joined(lib, join, layout, shape, dim, beside_row_major):
    a = np.random.default_rng(10 * len(shape) + dim + 10).standard_normal(shape)
    x = LAYOUTS[layout](lib.tensor(a, requires_grad=True))
    y = lib.zeros(tuple(x.shape), dtype=lib.float64) if beside_row_major else x
    with lib.no_grad():
        out = getattr(lib, join)([x, y], dim=dim)
    return tuple(out.stride()), out._base is not None, out.is_contiguous(), out.numpy()


@pytest.mark.parametrize("layout, shape, dim, beside_row_major, join", [
    (layout, shape, dim, beside, join) for (layout, shape), beside, join in
    itertools.product(CASES, (False, True), ("stack", "cat"))
    for dim in range(-len(shape) - (join == "stack"), len(shape) + (join == "stack"))])
def test_join_is_new_memory_laid_out_as_pytorch(layout, shape, dim, beside_row_major, join):
    theirs, ours = (_joined(lib, join, layout, shape, dim, beside_row_major) for lib in (torch, minigan))
    assert ours[:3] == theirs[:3], f"{join}(dim={dim}) of {layout} {shape}: (strides, a view, contiguous)"
    np.testing.assert_array_equal(ours[3], theirs[3])


def test_a_stack_made_under_no_grad_can_change_in_place_under_grad():
    """PyTorch's stack is not a view, so the in-place rule for views made under no_grad does not apply."""
    x = minigan.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    with minigan.no_grad():
        y = minigan.stack([x, x], dim=-2)
    y.mul_(2)
    assert y[0, 0, 1].item() == 4.0 and y._base is None
