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


def _asked(lib, call, shapes, asked):
    """Every leaf requires grad; autograd.grad asks for those in ``asked`` (None: backward() into all of them)."""
    rng = np.random.default_rng(sum(map(len, shapes)))
    leaves = [lib.tensor(rng.standard_normal(s).round(2) + k, dtype=lib.float64, requires_grad=True)
              for s, k in zip(shapes, (0, -0.5, 0.5))]
    out = CALLS[call](lib, *leaves)
    try:
        if asked is None:
            out.sum().backward()
            got = [t.grad for t in leaves]
        else:
            got = lib.autograd.grad(out.sum(), [leaves[i] for i in asked])
    except RuntimeError:
        return "backward refused"
    return [None if g is None else np.asarray(g.numpy()).tolist() for g in got]


@pytest.mark.parametrize("call", [c for c in CALLS if not c.endswith("_")])
def test_only_the_gradients_computed_can_refuse(call):
    """PyTorch computes (and so refuses) only the gradients the backward needs: autograd.grad for the input alone
    runs where the bound's gradient would be refused, and backward() into every leaf refuses."""
    for lo, hi in itertools.product(SHAPES, SHAPES):
        for asked in [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), None]:
            shapes = ((3, 1), lo, hi)
            assert _asked(minigan, call, shapes, asked) == _asked(torch, call, shapes, asked), (call, shapes, asked)
