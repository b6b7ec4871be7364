"""pixel_shuffle and pixel_unshuffle against PyTorch over shape (leading batch axes, none, empty ones), factor and
dtype: any dtype, an input (*, C, H, W) of at least 3 dimensions, a positive factor, PyTorch's values and shapes
(an empty input to pixel_unshuffle comes back in its own shape, as PyTorch's), RuntimeErrors where it refuses."""

import itertools

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("name", ["pixel_shuffle", "pixel_unshuffle"])
def test_pixel_shuffles_take_what_pytorchs_take(name):
    shapes = [(2, 3, 4), (4, 2, 4), (1, 2, 4, 2, 4), (2, 4), (0, 4, 2, 2), (4, 0, 2), (2, 8, 2, 4), (3, 8, 4, 6)]
    none_differ(list(itertools.product([name], shapes, (1, 2, 0, -1), ("float64", "bool", "int64"))), _outcome,
                refused_or_equal, torch, minigan)


def _outcome(lib, name, shape, r, dtype):
    x = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    permuted = len(shape) == 3 and r == 1  # (then also of a permuted view: the result is row-major)
    t = lib.tensor(x.transpose(2, 0, 1)).permute(1, 2, 0) if permuted else lib.tensor(x)
    y = outcome(getattr(MF if lib is minigan else lib.nn.functional, name), t, r)
    if isinstance(y, Exception):
        return y
    flat_view = np.shares_memory(y.flatten().numpy(), y.numpy()) if y.numel() else True
    return tuple(y.shape), str(y.dtype).split(".")[-1], y.numpy().tolist(), flat_view
