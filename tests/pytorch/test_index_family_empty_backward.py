"""The index family's gradients on an input of no elements, against PyTorch.

On an empty input PyTorch's index_add, index_copy and index_fill kernels read no index, so an index out of range
(negative, or past the dimension's size) goes through the forward.  The gradient of the source (the value, for
index_fill) is the incoming gradient read at the index (``grad.index_select(dim, index)``), which refuses that index:
the backward raises (RuntimeError) while the input's own gradient still runs.  For each op of the family, over
empty and non-empty shapes, dims, indices in and out of range, and each choice of leaves that require grad, minigan
must run where PyTorch runs (forward, first and second order) and refuse where it refuses, with its exception class.
"""

import itertools
import warnings

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import refused_alike

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [((0, 3), 1), ((0, 3), 0), ((3, 0), 1), ((3, 0), 0), ((2, 0, 3), 2), ((2, 0, 3), 1), ((0,), 0), ((2, 3), 1),
          ((3,), 0)]
INDICES = [[-1, 0], [3, 0], [0, -1], [-4], [5], [0], [1], []]
# which leaves require grad: the source (or value) only, the input only, both
GRADS = ["source", "input", "both"]


def _leaves(lib, shape, dim, index, grads):
    x = lib.zeros(shape, dtype=lib.float64, requires_grad=grads != "source")
    i = lib.tensor(index, dtype=lib.int64)
    source_shape = list(shape)
    source_shape[dim] = len(index)
    source = lib.linspace(-1, 1, int(np.prod(source_shape)), dtype=lib.float64).reshape(source_shape)
    source.requires_grad_(grads != "input")
    value = lib.tensor(2.0, dtype=lib.float64, requires_grad=grads != "input")
    return x, i, source, value, source_shape


def _index_add(lib, x, d, i, s, v, ss):
    return lib.index_add(x, d, i, s, alpha=2), (x, s)


def _index_add_(lib, x, d, i, s, v, ss):
    return x.clone().index_add_(d, i, s), (x, s)


def _index_copy(lib, x, d, i, s, v, ss):
    return lib.index_copy(x, d, i, s), (x, s)


def _index_copy_(lib, x, d, i, s, v, ss):
    return x.clone().index_copy_(d, i, s), (x, s)


def _index_fill(lib, x, d, i, s, v, ss):
    return lib.index_fill(x, d, i, v), (x, v)


def _index_fill_(lib, x, d, i, s, v, ss):
    return x.clone().index_fill_(d, i, v), (x, v)


def _index_select(lib, x, d, i, s, v, ss):
    return lib.index_select(x, d, i), (x,)


def _scatter(lib, x, d, i, s, v, ss):
    return lib.scatter(x, d, lib.full(ss, int(i[0]) if len(i) else 0), s), (x, s)


def _scatter_add(lib, x, d, i, s, v, ss):
    return lib.scatter_add(x, d, lib.full(ss, int(i[0]) if len(i) else 0), s), (x, s)


def _gather(lib, x, d, i, s, v, ss):
    return lib.gather(x, d, lib.full(ss, int(i[0]) if len(i) else 0)), (x,)


def _take(lib, x, d, i, s, v, ss):
    return lib.take(x, i), (x,)


OPS = [_index_add, _index_add_, _index_copy, _index_copy_, _index_fill, _index_fill_, _index_select, _scatter,
       _scatter_add, _gather, _take]


def _run(lib, op, shape, dim, index, grads):
    """('ok', forward, first and second order gradients) or ('raise', the exception, the stage)."""
    x, i, s, v, ss = _leaves(lib, shape, dim, index, grads)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out, inputs = op(lib, x, dim, i, s, v, ss)
    except Exception as e:  # noqa: BLE001 (the class is what is compared)
        return "raise", e, "forward"
    leaves = [t for t in inputs if t.requires_grad]
    found = [out.detach().numpy()]
    try:
        if out.requires_grad and leaves:
            weights = lib.linspace(0.5, 1.5, out.numel(), dtype=lib.float64).reshape(out.shape)
            first = lib.autograd.grad((out * weights).sum(), leaves, create_graph=True, allow_unused=True)
            found += [None if g is None else g.detach().numpy() for g in first]
            live = [g for g in first if g is not None and g.requires_grad]
            if live:
                second = lib.autograd.grad(sum((g * g).sum() for g in live), leaves, allow_unused=True)
                found += [None if g is None else g.numpy() for g in second]
    except Exception as e:  # noqa: BLE001
        return "raise", e, "backward"
    return "ok", found, None


CASES = [(op.__name__.lstrip("_"), shape, dim, index, grads)
         for op, (shape, dim), index, grads in itertools.product(OPS, SHAPES, INDICES, GRADS)]


# 2,376 cases: every 7th by default (each op, shape, index and choice of leaves among them), the rest under -m parity
@pytest.mark.parametrize("name,shape,dim,index,grads", default_slice(
    CASES, 23, cover=(lambda n, s, d, i, g: n, lambda n, s, d, i, g: (s, d), lambda n, s, d, i, g: str(i),
                     lambda n, s, d, i, g: g)))
def test_the_index_family_refuses_at_backward_where_pytorch_does(name, shape, dim, index, grads):
    op = globals()["_" + name]
    expected, got = _run(torch, op, shape, dim, index, grads), _run(minigan, op, shape, dim, index, grads)
    where = f"{name} on {shape} along {dim} at {index} ({grads} requires grad)"
    if expected[0] == "raise":
        builtin = next(c for c in type(expected[1]).__mro__ if c.__module__ == "builtins")
        assert got[0] == "raise", f"{where}: PyTorch raises {builtin.__name__} at {expected[2]} ({expected[1]}); " \
                                  "minigan runs"
        assert got[2] == expected[2], f"{where}: PyTorch raises at {expected[2]}, minigan at {got[2]} ({got[1]})"
        assert isinstance(got[1], builtin), f"{where}: PyTorch raises {builtin.__name__}; minigan {got[1]!r}"
        return
    assert got[0] == "ok", f"{where}: PyTorch runs; minigan raises at {got[2]}: {got[1]!r}"
    assert len(got[1]) == len(expected[1]), f"{where}: {len(got[1])} results vs PyTorch's {len(expected[1])}"
    for a, b in zip(got[1], expected[1]):
        if a is None or b is None:
            assert a is None and b is None or not np.any(a if b is None else b), where
        else:
            np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=where)


NO_GRAD_CASES = [(op.__name__.lstrip("_"), shape, dim, index, dtype)
                 for op in (_index_add, _index_copy, _index_fill, _index_fill_)
                 for (shape, dim), index, dtype in itertools.product(SHAPES, INDICES, ["float64", "int64"])]


@pytest.mark.parametrize("name,shape,dim,index,dtype", default_slice(
    NO_GRAD_CASES, 7, cover=(lambda n, s, d, i, t: n, lambda n, s, d, i, t: (s, d), lambda n, s, d, i, t: str(i),
                             lambda n, s, d, i, t: t)))
def test_under_no_grad_nothing_is_recorded_whatever_the_index(name, shape, dim, index, dtype):
    """Under no_grad a source (a value) that requires grad is read as values: the call runs or refuses as PyTorch's,
    and its result requires no grad, whatever the index (one PyTorch's backward would refuse included)."""
    op = globals()["_" + name]

    def run(lib):
        x, i, s, v, ss = _leaves(lib, shape, dim, index, "source")
        x = x.detach().to(getattr(lib, dtype))
        s = s.detach().to(getattr(lib, dtype)).requires_grad_(dtype == "float64")
        try:
            with lib.no_grad(), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out, _ = op(lib, x, dim, i, s, v, ss)
        except Exception as e:  # noqa: BLE001
            return "raise", e
        return "ok", (out.numpy(), out.requires_grad)

    expected, got = run(torch), run(minigan)
    where = f"{name} on {dtype} {shape} along {dim} at {index} under no_grad"
    if refused_alike(got, expected, where):
        return
    np.testing.assert_array_equal(got[1][0], expected[1][0], err_msg=where)
    assert got[1][1] == expected[1][1] is False, where
