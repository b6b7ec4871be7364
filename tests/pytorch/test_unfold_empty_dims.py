"""F.unfold (and nn.Unfold) take an empty batch and refuse empty channels, heights or widths, as PyTorch's im2col
check does, batched or not, on views too; the refusal comes after the kernel's, stride's and dilation's checks."""

from __future__ import annotations

import itertools

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [s for s in itertools.product([0, 2], [0, 2], [0, 5], [0, 4])] + [(0, 6, 4), (2, 6, 0), (2, 0, 4), (2, 6, 4)]


def _outcome(lib, shape, kernel, stride, permuted):
    x = lib.zeros(shape[::-1], dtype=lib.float64).permute(*range(len(shape) - 1, -1, -1)) if permuted else \
        lib.zeros(shape, dtype=lib.float64)
    try:
        return tuple(lib.nn.functional.unfold(x, kernel, stride=stride).shape)
    except RuntimeError:
        return "RuntimeError"


@pytest.mark.parametrize("permuted", [False, True])
@pytest.mark.parametrize("kernel,stride", [((2, 1), 1), ((0, 1), 1), ((2, 1), 0)])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
def test_unfold_empty_dims_as_pytorch(shape, kernel, stride, permuted):
    assert _outcome(minigan, shape, kernel, stride, permuted) == _outcome(torch, shape, kernel, stride, permuted)
