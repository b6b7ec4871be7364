"""The indexing family (index_add, index_copy, index_fill, index_select, index_put, scatter, scatter_add, gather,
take, x[i]) against PyTorch (tests/pytorch/sweep.py):

* on a dimension of size 0 (or a source of no elements): PyTorch checks an index against the dimension it reads only
  where its kernel reads it: index_add checks every index of a 1-d (or 0-d) input, even an empty one (an IndexError
  "index out of range in self"), but skips an empty input of more dimensions; index_copy writes, so checks, nothing
  when the source has no elements. For each op of the family (index_add, index_copy, index_fill, index_select,
  index_put_, x[i] and x[i] = v, scatter, scatter_add, gather, take), minigan must run where PyTorch runs, with its
  values, and refuse where PyTorch refuses, with its exception class;
* the doors (index_add, index_copy, index_fill, scatter, scatter_add, gather, in each of their three forms:
  torch.f(x, ...), x.f(...), x.f_(...); index_put) check their arguments in PyTorch's order, so a call with several
  things wrong raises the class PyTorch raises (a dim out of range is an IndexError before any dtype or shape is
  looked at; a source of another dtype is a RuntimeError, never converted), and a call PyTorch runs gives its
  values, dtype and requires_grad.  Drawn over a grid of shapes (0-d, empty, 1-d to 3-d), dtypes, dims, index
  shapes and dtypes and values (negative, out of range), against PyTorch float64;
* the gradients on an input of no elements: PyTorch's index_add, index_copy and index_fill kernels read no index
  there, so an index out of range (negative, or past the dimension's size) goes through the forward.  The gradient
  of the source (the value, for index_fill) is the incoming gradient read at the index (``grad.index_select(dim,
  index)``), which refuses that index: the backward raises (RuntimeError) while the input's own gradient still runs.
  For each op, over empty and non-empty shapes, dims, indices in and out of range, and each choice of leaves that
  require grad, minigan runs where PyTorch runs (forward, first and second order) and refuses where it refuses, at
  the same stage; under no_grad nothing is recorded, whatever the index;
* scatter's src gradient is the incoming gradient gathered at index, refused at backward where PyTorch's is.
"""

import itertools
import math
import random

import numpy as np
import pytest

from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _i(lib, *v):
    return lib.tensor(list(v), dtype=lib.int64)


# name -> the call, on an input with an empty dimension (or a source of no elements)
CALLS = {
    "index_add_ 1-d empty": lambda L: L.zeros(0).index_add_(0, _i(L, 0, 0), L.ones(2)),
    "index_add 1-d empty": lambda L: L.zeros(0).index_add(0, _i(L, 0), L.ones(1)),
    "torch.index_add 1-d empty": lambda L: L.index_add(L.zeros(0), 0, _i(L, -1), L.ones(1)),
    "index_add_ 1-d empty, no index": lambda L: L.zeros(0).index_add_(0, _i(L), L.ones(0)),
    "index_add_ 2-d empty rows": lambda L: L.zeros(0, 4).index_add_(0, _i(L, 0, 0), L.ones(2, 4)),
    "index_add_ 2-d empty rows, -1": lambda L: L.zeros(0, 2).index_add_(0, _i(L, -1), L.ones(1, 2)),
    "index_add_ 2-d empty columns": lambda L: L.zeros(2, 0).index_add_(0, _i(L, 5), L.ones(1, 0)),
    "index_add_ 2-d dim 1": lambda L: L.zeros(0, 4).index_add_(1, _i(L, 5), L.ones(0, 1)),
    "index_add_ 1-d, -1": lambda L: L.zeros(3).index_add_(0, _i(L, -1), L.ones(1)),
    "index_add_ 0-d": lambda L: L.zeros(()).index_add_(0, _i(L, 1), L.ones(())),
    "index_copy_ 1-d empty": lambda L: L.zeros(0).index_copy_(0, _i(L, 0, 0), L.ones(2)),
    "index_copy_ 2-d empty rows": lambda L: L.zeros(0, 4).index_copy_(0, _i(L, 0, 0), L.ones(2, 4)),
    "index_copy_ empty source, dim 0": lambda L: L.zeros(3, 0).index_copy_(0, _i(L, 5), L.ones(1, 0)),
    "index_copy_ empty source, dim 1": lambda L: L.zeros(0, 4).index_copy_(1, _i(L, 5), L.ones(0, 1)),
    "index_copy empty source, -1": lambda L: L.zeros(0, 4).index_copy(1, _i(L, -1), L.ones(0, 1)),
    "index_copy_ 2-d, 5": lambda L: L.zeros(3, 4).index_copy_(1, _i(L, 5), L.ones(3, 1)),
    "index_fill_ 1-d empty": lambda L: L.zeros(0).index_fill_(0, _i(L, 0, 0), 1.0),
    "index_fill_ 2-d empty rows": lambda L: L.zeros(0, 4).index_fill_(0, _i(L, 0), 1.0),
    "index_fill_ 2-d dim 1": lambda L: L.zeros(0, 4).index_fill_(1, _i(L, 5), 1.0),
    "index_select 1-d empty": lambda L: L.zeros(0).index_select(0, _i(L, 0, 0)),
    "index_select 2-d empty rows": lambda L: L.zeros(0, 4).index_select(0, _i(L, 0)),
    "index_select 2-d dim 1": lambda L: L.zeros(0, 4).index_select(1, _i(L, 5)),
    "index_put_": lambda L: L.zeros(0).index_put_((_i(L, 0, 0),), L.ones(2)),
    "index_put_ accumulate": lambda L: L.zeros(0).index_put_((_i(L, 0),), L.ones(1), accumulate=True),
    "index_put_ 2-d": lambda L: L.zeros(0, 4).index_put_((_i(L, 0),), L.ones(1, 4)),
    "x[i]": lambda L: L.zeros(0)[_i(L, 0)],
    "x[i] = v": lambda L: L.zeros(0).__setitem__(_i(L, 0), 1.0),
    "scatter_": lambda L: L.zeros(0).scatter_(0, _i(L, 0, 0), L.ones(2)),
    "scatter_ value": lambda L: L.zeros(0).scatter_(0, _i(L, 0), 1.0),
    "scatter_add_": lambda L: L.zeros(0).scatter_add_(0, _i(L, 0), L.ones(1)),
    "scatter_ empty index": lambda L: L.zeros(0, 4).scatter_(0, L.zeros(0, 4, dtype=L.int64), L.ones(0, 4)),
    "gather": lambda L: L.zeros(0).gather(0, _i(L, 0)),
    "gather empty index": lambda L: L.zeros(0, 4).gather(0, L.zeros(0, 4, dtype=L.int64)),
    "take": lambda L: L.zeros(0).take(_i(L, 0)),
}


test_the_index_family_on_an_empty_dimension_runs_and_refuses_as_pytorch = sweep(
    lambda L, name: CALLS[name](L), list(CALLS), every=1)
DRAWN_SHAPES = [(), (3,), (1,), (2, 3), (0, 3), (2, 3, 4)]
SOURCE_SHAPES = DRAWN_SHAPES + [(2,), (2, 2), (3, 3), (3, 2), (1, 3), (5,)]
DTYPES = ["float64", "float32", "int64", "bool"]
INDICES = [[0], [1, 0], 0, [[0, 1]], [-1], [5], [], [0, 0], [2, -1, -1], [[0], [1]], [[0, 1, 2], [1, 0, 0]]]
VALUES = [0.5, -math.inf, math.nan, 2, True, -1, 2 ** 40, "0-d float", "0-d float rg", "0-d int", "1-d"]


def _tensor(lib, shape, dtype, requires_grad, seed):
    rng = np.random.default_rng(seed)
    values = rng.random(shape) > 0.5 if dtype == "bool" else rng.integers(-3, 4, shape) if dtype == "int64" else \
        rng.normal(size=shape)
    return lib.tensor(np.asarray(values), dtype=getattr(lib, dtype), requires_grad=requires_grad)


def _value(lib, v, seed):
    """index_fill's value: a number, or a tensor of the kind named."""
    if not isinstance(v, str):
        return v
    if v == "1-d":
        return _tensor(lib, (1,), "float64", False, seed)
    return _tensor(lib, (), "int64" if "int" in v else "float64", v.endswith("rg"), seed)


def _cases(op, n, seed):
    """n calls of op drawn from the grid: (form, x spec, dim, index, index dtype, source or value spec)."""
    draw = random.Random(seed)
    for k in range(n):
        form = draw.choice(["function", "method", "in-place"])
        x = (draw.choice(DRAWN_SHAPES), draw.choice(DTYPES), False, k)
        if form != "in-place" and x[1].startswith("float") and draw.random() < 0.3:
            x = x[:2] + (True, k)
        index = (draw.choice(INDICES), draw.choice(["int64"] * 6 + ["int32", "float64"]))
        if op == "index_fill" or (op == "scatter" and draw.random() < 0.3):
            other = ("value", draw.choice(VALUES))
        else:
            dtype = draw.choice(DTYPES + [x[1]] * 4)
            other = ("tensor", (draw.choice(SOURCE_SHAPES), dtype, dtype.startswith("float") and draw.random() < 0.3,
                                k + 7))
        if form == "in-place" and not x[1].startswith("float") and other == ("value", "0-d float rg"):
            continue  # (PyTorch's index_fill_ makes an integer tensor require grad there, which its own rule, and
            # minigan's, refuses everywhere else: only floating-point tensors require grad)
        yield form, x, draw.choice([0, -1, 1, 2, -2]), index, other


def _call(lib, op, case):
    form, x, dim, (index, index_dtype), (kind, other) = case
    x = _tensor(lib, *x)
    index = lib.tensor(np.asarray(index), dtype=getattr(lib, index_dtype))
    other = _value(lib, other, 11) if kind == "value" else _tensor(lib, *other)
    args = (dim, index) if op in ("gather", "index_select") else (dim, index, other)
    if form == "function":
        return getattr(lib, op)(x, *args)
    if form == "method":
        return getattr(x, op)(*args)
    return getattr(x, op + "_")(*args) if op not in ("gather", "index_select") else getattr(x, op)(*args)


def _checked(L, op, case):
    out = _call(L, op, case)
    return close(out.detach(), 1e-6, 1e-8), out.requires_grad


OPS = ["index_add", "index_copy", "index_fill", "scatter", "scatter_add", "gather", "index_select"]
test_index_family_checks_as_pytorch = sweep(_checked, [(op, case) for op in OPS for case in _cases(op, 400, 7)],
                                            group=lambda op, case: op)


PUT_INDICES = [("int", [0]), ("int", [7]), ("int", [-1, 1]), ("float", [0.5]), ("bool", [True, False, True]),
               ("bool", [True, False]), ("int2", [0]), ("int", [[0, 1]]), ("none", None), ("tensor", [0])]


def _put_cases(n, seed):
    draw = random.Random(seed)
    for k in range(n):
        form = draw.choice(["function", "method", "in-place"])
        x = (draw.choice([(3,), (3, 2), (), (0,)]), draw.choice(["float64", "float32", "int64"]), False, k)
        x = x[:2] + (x[1] != "int64" and draw.random() < 0.3, k)  # (a leaf that requires grad: refused in place first)
        values = (draw.choice([(), (1,), (2,), (3,), (2, 2)]), draw.choice([x[1]] * 3 + ["float64", "int64"]),
                  False, k + 5)
        yield form, x, draw.choice(PUT_INDICES), values, draw.random() < 0.3


def _put(lib, case):
    form, x, (kind, index), values, accumulate = case
    x, values = _tensor(lib, *x), _tensor(lib, *values)
    if kind == "tensor":  # (not a tuple: PyTorch's TypeError)
        indices = lib.tensor(index)
    elif kind == "none":
        indices = (None,)
    else:
        dtype = {"int": lib.int64, "int2": lib.int64, "float": lib.float64, "bool": lib.bool}[kind]
        indices = (lib.tensor(index, dtype=dtype),) * (2 if kind == "int2" else 1)
    if form == "function":
        return lib.index_put(x, indices, values, accumulate)
    if form == "method":
        return x.index_put(indices, values, accumulate)
    return x.index_put_(indices, values, accumulate)


def _put_checked(L, case):
    out = _put(L, case)
    return out.detach(), out.requires_grad


test_index_put_checks_as_pytorch = sweep(_put_checked, [(case,) for case in _put_cases(400, 5)],
                                         group=lambda case: "index_put")


def _scatter_src_gradient(L, op, index_shape, src_shape):
    """src's gradient is the incoming gradient gathered at index, of index's shape: PyTorch's backward refuses it
    (RuntimeError) where src's shape cannot be expanded to index's, so a src larger than index runs forward and
    refuses at backward; where it can, the gradients agree."""
    x = L.tensor(np.arange(6.0).reshape(2, 3) if len(src_shape) == 2 or len(index_shape) == 2 else np.arange(3.0),
                 requires_grad=True)
    src = L.tensor(np.linspace(-1, 1, int(np.prod(src_shape))).reshape(src_shape), requires_grad=True)
    index = L.tensor(np.zeros(index_shape, dtype=np.int64) + np.arange(index_shape[-1]) % 2)
    y = getattr(x * 1 if op.endswith("_") else x, op)(0 if len(index_shape) == 1 else 1, index, src)

    def backward():
        (y * L.tensor(np.arange(y.numel(), dtype=float).reshape(tuple(y.shape)))).sum().backward()
        return close(x.grad, 1e-7), close(src.grad, 1e-7)
    return y.requires_grad, outcome(backward)  # (a refusal at backward compared by class)


test_scatter_refuses_src_gradient_at_backward_where_pytorch_does = sweep(_scatter_src_gradient, [
    (op, *shapes) for op in ["scatter", "scatter_add", "scatter_", "scatter_add_"]
    for shapes in [((2, 3), (2, 3)), ((1, 3), (2, 3)), ((0, 3), (3, 3)), ((0, 3), (1, 3)), ((2, 2), (2, 3)),
                   ((0, 3), (5,)), ((2,), (3,))]])


EMPTY_SHAPES = [((0, 3), 1), ((0, 3), 0), ((3, 0), 1), ((3, 0), 0), ((2, 0, 3), 2), ((2, 0, 3), 1), ((0,), 0),
                ((2, 3), 1), ((3,), 0)]
EMPTY_INDICES = [[-1, 0], [3, 0], [0, -1], [-4], [5], [0], [1], []]
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


BACKWARD_OPS = [_index_add, _index_add_, _index_copy, _index_copy_, _index_fill, _index_fill_, _index_select, _scatter,
       _scatter_add, _gather, _take]


def _empty_backward(L, name, shape, dim, index, grads):
    """The forward, then the first and second order gradients (a leaf's None read as zeros), or the backward's
    refusal; a refusal of the forward is the call's."""
    x, i, s, v, ss = _leaves(L, shape, dim, index, grads)
    out, inputs = globals()["_" + name](L, x, dim, i, s, v, ss)
    leaves = [t for t in inputs if t.requires_grad]

    def orders():
        found = []
        if out.requires_grad and leaves:
            weights = L.linspace(0.5, 1.5, out.numel(), dtype=L.float64).reshape(out.shape)
            first = L.autograd.grad((out * weights).sum(), leaves, create_graph=True, allow_unused=True)
            found += [close(L.zeros_like(t) if g is None else g.detach(), 1e-12, 1e-12) for g, t in zip(first, leaves)]
            live = [g for g in first if g is not None and g.requires_grad]
            if live:
                second = L.autograd.grad(sum((g * g).sum() for g in live), leaves, allow_unused=True)
                found += [close(L.zeros_like(t) if g is None else g, 1e-12, 1e-12) for g, t in zip(second, leaves)]
        return found
    return close(out.detach(), 1e-12, 1e-12), outcome(orders)


test_the_index_family_refuses_at_backward_where_pytorch_does = sweep(_empty_backward, [
    (op.__name__.lstrip("_"), shape, dim, index, grads)
    for op, (shape, dim), index, grads in itertools.product(BACKWARD_OPS, EMPTY_SHAPES, EMPTY_INDICES, GRADS)],
    every=23, cover=[lambda n, s, d, i, g: (s, d)])


def _under_no_grad(L, name, shape, dim, index, dtype):
    """Under no_grad a source (a value) that requires grad is read as values: the call runs or refuses as PyTorch's,
    and its result requires no grad, whatever the index (one PyTorch's backward would refuse included)."""
    x, i, s, v, ss = _leaves(L, shape, dim, index, "source")
    x = x.detach().to(getattr(L, dtype))
    s = s.detach().to(getattr(L, dtype)).requires_grad_(dtype == "float64")
    with L.no_grad():
        out, _ = globals()["_" + name](L, x, dim, i, s, v, ss)
    return out, out.requires_grad


test_under_no_grad_nothing_is_recorded_whatever_the_index = sweep(_under_no_grad, [
    (op.__name__.lstrip("_"), shape, dim, index, dtype) for op in (_index_add, _index_copy, _index_fill, _index_fill_)
    for (shape, dim), index, dtype in itertools.product(EMPTY_SHAPES, EMPTY_INDICES, ["float64", "int64"])],
    every=7, cover=[lambda n, s, d, i, t: (s, d)],
    also=lambda ours, theirs: not isinstance(theirs, Exception) and theirs[1] and "PyTorch's result requires grad")
