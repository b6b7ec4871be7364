"""resize_ and resize_as_ to the tensor's own shape, against PyTorch.

PyTorch's resize_ to the shape a tensor already has changes nothing: its strides and so its values stay (a
transposed copy stays transposed).  minigan laid the memory out anew in its own order, so a transposed tensor's
values came back in memory order, and a later flatten() was a view where PyTorch's is a copy.  Over layouts and the
two doors (and a shape of the same count, which both lay out row-major over the memory), minigan must give
PyTorch's values and strides.
"""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LAYOUTS = ["contiguous", "transposed", "permuted"]
SHAPES = ["own", "own as Size", "flat", "as template"]


def _run(lib, layout, shape):
    base = lib.tensor(np.arange(24.0).reshape(2, 3, 4), dtype=lib.float64)
    x = {"contiguous": base.clone, "transposed": lambda: base.transpose(0, 2).clone(),
         "permuted": lambda: base.permute(1, 2, 0).clone()}[layout]()
    if shape == "own":
        x.resize_(*x.shape)
    elif shape == "own as Size":
        x.resize_(x.shape)
    elif shape == "flat":
        x.resize_(x.numel())
    else:
        x.resize_as_(lib.zeros(x.shape))
    return tuple(x.shape), tuple(x.stride()), x.tolist()


@pytest.mark.parametrize("layout,shape", list(itertools.product(LAYOUTS, SHAPES)))
def test_resize_to_its_own_shape_changes_nothing_as_pytorchs(layout, shape):
    expected, got = _run(torch, layout, shape), _run(minigan, layout, shape)
    assert got == expected, f"resize_ of a {layout} tensor to {shape}: {got[:2]} vs PyTorch's {expected[:2]}"
