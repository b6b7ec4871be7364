"""F.pad in constant mode where nothing grows (no padding, or only cropping), against PyTorch.

PyTorch's constant_pad_nd returns ``clone()`` of the (cropped) input where no pad is positive, a copy that keeps the
input's layout (preserve_format), and a new row-major tensor otherwise; minigan made every result row-major, so a
later ``flatten()`` of a permuted input padded by zeros was a view where PyTorch's is a copy.  Over pads of zeros,
negative and positive sizes and input layouts, minigan must give PyTorch's values, strides and gradient.
"""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

PADS = [[0, 0], [0, 0, 0, 0], [0, -1], [-1, 0, 0, -1], [1, -1], [0, 1], [0, 0, 0, 0, 0, 0, 0, 0]]
LAYOUTS = ["contiguous", "permuted", "transposed", "channels-last", "expanded", "strided"]


def _input(lib, layout):
    base = lib.tensor(np.arange(120.0).reshape(2, 3, 5, 4), dtype=lib.float64, requires_grad=True)
    return base, {"contiguous": lambda: base * 1, "permuted": lambda: (base * 1).permute(0, 1, 3, 2),
                  "transposed": lambda: (base * 1).transpose(0, 3),
                  "channels-last": lambda: (base * 1).permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2),
                  "expanded": lambda: (base * 1)[:1].expand(3, 3, 5, 4),
                  "strided": lambda: (base * 1)[:, :, ::2]}[layout]()


def _run(lib, pad, layout):
    base, x = _input(lib, layout)
    out = lib.nn.functional.pad(x, pad, value=7.0)
    grad, = lib.autograd.grad((out * lib.arange(1.0, 1.0 + out.numel(), dtype=lib.float64).reshape(out.shape)).sum(),
                              base)
    return tuple(out.shape), tuple(s for s, n in zip(out.stride(), out.shape) if n > 1), out.tolist(), grad.tolist()


@pytest.mark.parametrize("pad,layout", list(itertools.product(PADS, LAYOUTS)))
def test_constant_pad_keeps_the_layout_where_nothing_grows_as_pytorchs(pad, layout):
    expected, got = _run(torch, pad, layout), _run(minigan, pad, layout)
    assert got == expected, f"pad({layout}, {pad}): shape and strides {got[:2]} vs PyTorch's {expected[:2]}"
