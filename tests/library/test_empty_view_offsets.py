"""An empty slice lies where a slice lies, elements or none: its storage offset moves by start × stride and its
stride is step × stride (PyTorch's rule for every slice; NumPy gives an empty slice neither)."""

from __future__ import annotations

import pytest

import minigan


@pytest.mark.parametrize("start", [0, 2, 3, 4])
@pytest.mark.parametrize("step", [1, 2, 3])
@pytest.mark.parametrize("dim", [0, 1])
def test_an_empty_slice_starts_at_start_times_stride(start, step, dim):
    x = minigan.arange(40.).reshape(5, 8)[1:, 2:6]  # (a view: offset 10, strides (8, 1))
    index = (slice(None),) * dim + (slice(start, start, step),)
    out = x[index]
    assert out.numel() == 0
    assert out.storage_offset() == x.storage_offset() + start * x.stride(dim)
    assert out.stride(dim) == step * x.stride(dim)


def test_an_integer_and_a_transpose_keep_the_offset():
    x = minigan.arange(16.).reshape(4, 4)
    assert x[2:2, 1].storage_offset() == 2 * 4 + 1
    assert x[:, 3:3].t().storage_offset() == 3 and x[:, 3:3].t().stride() == (1, 4)
