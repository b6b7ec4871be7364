"""clamp/clip with two tensor bounds that broadcast beyond the input: PyTorch's backward (clamp_backward_min_max)
combines its masks in place, in the shape of the first mask, and refuses where that shape cannot hold the other's
broadcast ("output with shape [3, 1] doesn't match the broadcast shape [3, 4]"), for each input whose gradient it
computes.  minigan runs the forward, and its backward refuses (a RuntimeError) where PyTorch's does and agrees with
PyTorch's gradients elsewhere.  The in-place forms refuse at the forward, both libraries."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(3, 1), (), (4,), (1, 4), (3, 4), (2, 1, 1)]
CALLS = {"Tensor.clamp": lambda lib, x, lo, hi: x.clamp(lo, hi),
         "Tensor.clip": lambda lib, x, lo, hi: x.clip(min=lo, max=hi),
         "clamp": lambda lib, x, lo, hi: lib.clamp(x, min=lo, max=hi),
         "clip": lambda lib, x, lo, hi: lib.clip(x, lo, hi),
         "Tensor.clamp_": lambda lib, x, lo, hi: x.clone().clamp_(lo, hi)}


def _run(lib, call, shapes, grads):
    rng = np.random.default_rng(sum(map(len, shapes)))
    leaves = [lib.tensor(rng.standard_normal(s).round(2) + k, dtype=lib.float64, requires_grad=g)
              for s, g, k in zip(shapes, grads, (0, -0.5, 0.5))]
    try:
        out = CALLS[call](lib, *leaves)
    except RuntimeError:
        return "forward refused"
    wanted = [t for t in leaves if t.requires_grad]
    if not wanted:
        return tuple(out.shape)
    try:
        got = lib.autograd.grad(out.sum(), wanted)
    except RuntimeError:
        return "backward refused"
    return tuple(out.shape), [np.asarray(g.detach().numpy()).tolist() for g in got]


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("x_shape", [(3, 1), (4,), ()])
def test_tensor_bounds_refuse_at_backward_where_pytorchs_do(call, x_shape):
    for lo, hi in itertools.product(SHAPES, SHAPES):
        for grads in [(True, False, False), (False, True, False), (False, False, True), (True, True, True)]:
            shapes = (x_shape, lo, hi)
            assert _run(minigan, call, shapes, grads) == _run(torch, call, shapes, grads), (call, shapes, grads)
