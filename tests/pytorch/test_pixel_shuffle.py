"""pixel_shuffle and pixel_unshuffle against PyTorch (tests/pytorch/sweep.py):

* over shape (leading batch axes, none, empty ones), factor and dtype: any dtype, an input (*, C, H, W) of at least
  3 dimensions, a positive factor, PyTorch's values and shapes (an empty input to pixel_unshuffle comes back in its
  own shape, as PyTorch's), its RuntimeErrors where it refuses, and a row-major result (flatten() a view) of a
  permuted input too;
* of an empty tensor: the result's shape is PyTorch's, and the gradient has the input's shape, where PyTorch's
  backward refuses (each op's backward is the other op, whose kernel returns an empty input's shape unchanged):
  docs/pytorch.md's row, measured here so a PyTorch that fixes it shows (surface programs 11707239, 11742340,
  11747910, 11779752).
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _doors(L, name, shape, r, dtype):
    x = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
    permuted = len(shape) == 3 and r == 1  # (then also of a permuted view: the result is row-major)
    y = getattr(L.nn.functional, name)(L.tensor(x.transpose(2, 0, 1)).permute(1, 2, 0) if permuted else L.tensor(x), r)
    return y, y.flatten().data_ptr() == y.data_ptr() if y.numel() else True


test_pixel_shuffles_take_what_pytorchs_take = sweep(_doors, list(itertools.product(
    ["pixel_shuffle", "pixel_unshuffle"],
    [(2, 3, 4), (4, 2, 4), (1, 2, 4, 2, 4), (2, 4), (0, 4, 2, 2), (4, 0, 2), (2, 8, 2, 4), (3, 8, 4, 6)],
    (1, 2, 0, -1), ("float64", "bool", "int64"))), group=lambda name, *case: name)


def _empty(lib, fn, shape, r):
    x = lib.zeros(*shape, dtype=lib.float64, requires_grad=True)
    y = getattr(lib.nn.functional, fn)(x, r)
    try:
        (g,) = lib.autograd.grad(y.sum(), x)
    except RuntimeError as e:
        return tuple(y.shape), e
    return tuple(y.shape), g


@pytest.mark.parametrize("fn,shape,r", [
    ("pixel_shuffle", (2, 4, 0, 3), 2), ("pixel_shuffle", (0, 4, 2, 3), 2), ("pixel_shuffle", (2, 0, 2, 3), 2),
    ("pixel_shuffle", (3, 27, 0, 3), 3), ("pixel_shuffle", (4, 0, 3), 2), ("pixel_unshuffle", (2, 1, 0, 6), 2),
    ("pixel_unshuffle", (0, 1, 4, 6), 2), ("pixel_unshuffle", (2, 0, 4, 6), 2)])
def test_empty_gradient_has_the_input_shape(fn, shape, r):
    (ours_shape, ours), (theirs_shape, theirs) = _empty(minigan, fn, shape, r), _empty(torch, fn, shape, r)
    assert ours_shape == theirs_shape
    assert not isinstance(ours, Exception), ours
    assert tuple(ours.shape) == shape and ours.dtype == minigan.float64
    assert isinstance(theirs, RuntimeError)  # (docs/pytorch.md: PyTorch's backward refuses here)
