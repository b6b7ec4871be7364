"""The transposed convolution's gradients after a write through ``.data`` between forward and backward, against
PyTorch float64.

PyTorch's convolution saves its input and weight and reads them when backward runs; a write through ``.data`` bumps
no version, so the weight's gradient is taken with the input's new values.  A batch-last copy of the input kept from
forward would give the old values' gradient wherever that copy was a copy (a batch of more than one image laid out
row-major).  The family: conv_transpose2d and conv_transpose1d, batches of 1 to 3, the input row-major, batch-last (a
convolution's result) or transposed, stride, padding, output_padding, dilation and groups, bias or none, the input,
the weight or nothing written, at first and second order.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

GEOMETRIES = [  # (groups, stride, padding, output_padding, dilation)
    (1, 1, 0, 0, 1), (1, 2, 1, 1, 1), (2, 1, 0, 0, 2), (2, 2, 0, 1, 1),
]
CASES = list(itertools.product(["2d", "1d"], [1, 2, 3], ["rows", "batch_last", "transposed"], GEOMETRIES,
                               [False, True], [None, "input", "weight"], [1, 2]))


def _grads(lib, dims, batch, layout, geometry, bias, written, order):
    """The leaves' gradients (arrays) of Σ w·conv_transpose at ``order``, after ``written`` changed through .data."""
    groups, stride, padding, output_padding, dilation = geometry
    rng = np.random.default_rng(batch * 7 + groups)
    spatial = (3, 4) if dims == "2d" else (5,)
    kernel = (2, 2) if dims == "2d" else (3,)
    xs = np.round(rng.normal(size=(batch, 4) + spatial), 3)
    ws = np.round(rng.normal(size=(4, 2) + kernel), 3)
    x = lib.tensor(xs, dtype=lib.float64, requires_grad=True)
    w = lib.tensor(ws, dtype=lib.float64, requires_grad=True)
    b = lib.tensor(rng.normal(size=2 * groups), dtype=lib.float64, requires_grad=True) if bias else None
    leaves = [x, w] + ([b] if bias else [])
    inp = x * 1.0
    if layout == "batch_last":  # a convolution's result: minigan's is a view of a batch-last buffer
        one = lib.ones((4, 1) + (1,) * len(spatial), dtype=lib.float64)
        inp = (lib.nn.functional.conv2d if dims == "2d" else lib.nn.functional.conv1d)(x, one, groups=4)
    elif layout == "transposed":
        inp = x.transpose(-1, -2).contiguous().transpose(-1, -2)
    conv = lib.nn.functional.conv_transpose2d if dims == "2d" else lib.nn.functional.conv_transpose1d
    out = conv(inp, w, b, stride=stride, padding=padding, output_padding=output_padding, groups=groups,
               dilation=dilation)
    if written == "input":
        inp.data.add_(0.25)
    elif written == "weight":
        w.data.mul_(-1.5)
    weight = lib.tensor(np.random.default_rng(11).normal(size=tuple(out.shape)), dtype=lib.float64)
    grads = lib.autograd.grad((out * weight).sum(), leaves, create_graph=order > 1)
    if order > 1:
        grads = lib.autograd.grad(sum((g * g).sum() for g in grads), leaves, allow_unused=True)
    return [np.zeros(0) if g is None else g.detach().numpy() for g in grads]


# Every 5th case by default (and each value of each argument), the rest under -m parity
@pytest.mark.parametrize("dims, batch, layout, geometry, bias, written, order", default_slice(CASES, 17, cover="each"))
def test_conv_transpose_reads_its_input_when_backward_runs(dims, batch, layout, geometry, bias, written, order):
    want, got = (_grads(lib, dims, batch, layout, geometry, bias, written, order) for lib in (torch, minigan))
    assert len(got) == len(want)
    for g, w in zip(got, want):
        assert g.shape == w.shape and np.allclose(g, w, rtol=1e-10, atol=1e-12), (g, w)
