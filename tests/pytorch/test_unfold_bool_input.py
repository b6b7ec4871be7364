"""F.unfold (im2col) of a bool input picks its entries, as PyTorch's; an integer input is refused as PyTorch's
(NotImplementedError).  Found by the surface programs' shape-coherent draws (tests/pytorch/surface_programs.py, seed
11620030 and 9 more of 11,620,000-11,699,999): minigan refused every input that was not floating."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

SHAPES = [(1, 2, 3, 3), (2, 1, 4, 3), (2, 3, 3), (0, 2, 3, 3)]
GEOMETRY = [dict(kernel_size=2), dict(kernel_size=(1, 2), stride=2), dict(kernel_size=2, padding=1, dilation=1),
            dict(kernel_size=(2, 1), dilation=2)]


def _call(lib, shape, dtype, geometry):
    values = (np.arange(int(np.prod(shape))).reshape(shape) % 3)
    return outcome(lambda: lib.nn.functional.unfold(lib.tensor(values, dtype=getattr(lib, dtype)), **geometry))


@pytest.mark.parametrize("geometry", GEOMETRY)
@pytest.mark.parametrize("dtype", ["bool", "int64", "float64"])
@pytest.mark.parametrize("shape", SHAPES)
def test_unfold_of_each_dtype_as_pytorch(shape, dtype, geometry):
    theirs, ours = _call(torch, shape, dtype, geometry), _call(minigan, shape, dtype, geometry)
    if isinstance(theirs, Exception):
        builtin = next(t for t in type(theirs).__mro__ if t.__module__ == "builtins")
        assert isinstance(ours, builtin), f"minigan {ours!r} | PyTorch {theirs!r}"
        return
    assert not isinstance(ours, Exception), f"minigan {type(ours).__name__}: {ours}; PyTorch ran"
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]
    np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
