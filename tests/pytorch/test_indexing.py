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
* scatter's src gradient is the incoming gradient gathered at index, refused at backward where PyTorch's is;
* index_fill and index_fill_ over their arguments: dtypes (float, int, bool), 0-d to 2-d inputs, dims in and out of
  range, indices negative, repeated, empty, out of range, of another dtype or rank, values as numbers, NumPy scalars
  and 0-d tensors that require grad or not.  Values, dtype, requires_grad, gradients and the class of each refusal
  agree; PyTorch's backward reads the value's gradient at the index as given, so a negative index (or an empty one
  of a 0-d input) refuses there, and minigan's backward does too;
* with a value that requires grad and an index PyTorch's backward reads out of range: PyTorch's backward of
  index_fill gives input's gradient (the incoming gradient with the filled slices zeroed) and value's (the incoming
  gradient selected at the index as given, then summed); only the second reads the index, so a negative index (or
  one past the end of an empty slice, or an empty index of a 0-d input) refuses value's gradient and nothing else:
  ``autograd.grad(out, [x])`` runs, and so does ``backward()`` where value is not a leaf to reach.  Over the doors
  (the function, the method, the in-place method on a non-leaf), dims and indices, and which gradients are asked
  for, minigan must give PyTorch's gradients or raise PyTorch's class;
* index_put and index_put_ check that the index tensors broadcast together (IndexError, 'shape mismatch') before the
  values' dtype, as PyTorch's make_info runs before its iterator's dtype check (held-out surface program 12298801:
  int64 indices of shapes (2, 3, 4) and (0, 3), float64 values into a bool tensor: PyTorch's IndexError, minigan's
  DtypeError). Drawn: index shapes that broadcast or not, integer or bool masks, values of the input's dtype or
  another, an input with a dimension of size 0; the exception's class (or the result) against PyTorch;
* index_put (function, method, index_put_; accumulate or not) with 0-d bool index tensors, as PyTorch documents it:
  ``x.index_put_(indices, values)`` is ``x[indices] = values``, where a 0-d True adds a dimension of one entry and a
  0-d False one of none (NumPy's rule, and PyTorch's indexing). The oracle is PyTorch's own index_put on x with that
  dimension made (unsqueeze) and indexed by [0] or by an empty index. minigan crashed on every 0-d mask (NumPy's
  ValueError, 'Calling nonzero on 0d arrays'); found by the surface programs (tests/pytorch/surface_programs.py, seed
  11701963). PyTorch's index_put itself drops a 0-d mask (a False one writes as if absent; only 0-d masks: an internal
  assert): docs/pytorch.md's row for it;
* x[index] and x[index] = v for every mix of ints, slices, None, ... and index arrays up to four items on a 4-d
  tensor: values, gradients and assignment.  PyTorch applies an int as a plain selection before the index arrays, so
  ``x[1, :, [0, 3]]`` is ``x[1][:, [0, 3]]`` (shape (3, 2) for a (2, 3, 4) x), where NumPy gives (2, 3) (its
  torch-free tests: tests/engine/test_index_layout.py; random index expressions: test_index_fuzz.py);
* the calls a PyTorch user composes with them (repeat_interleave, flatten, take_along_dim, one_hot, take): values,
  dtype, how the result is laid out (a view of something or a tensor of its own: ``_base``, the node that made it),
  gradients to second order, and the refusals' classes;
* the recipe minigan's advice gives for tril_indices, triu_indices and cartesian_prod (arange, meshgrid and a mask)
  gives PyTorch's values.
"""

import itertools
import math
import random
import zlib

import numpy as np
import pytest

import minigan
from pytorch.sweep import bits, close, outcome, sweep

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


FILL_INDICES = [([0, 2], "int64"), ([-1], "int64"), ([3], "int64"), ([0, 0], "int64"), ([0], "int32"), ([], "int64"),
                ([[0]], "int64"), ([0.0], "float32"), (0, "int64")]
FILL_VALUES = [2.5, -1, True, np.float64(2.5), np.True_, "tensor", "tensor that requires grad", "1-d tensor",
               "int tensor"]


def _filled(L, dtype, shape, dim, index, value, in_place, self_grad):
    data = np.arange(np.prod(shape)).reshape(shape)
    x = L.tensor(data % 3 == 1 if dtype == "bool" else data, dtype=getattr(L, dtype))
    leaf = x.clone().requires_grad_() if self_grad and dtype.startswith("float") else None
    x = x if leaf is None else leaf * 1
    idx = L.tensor(index[0], dtype=getattr(L, index[1]))
    v = {"tensor": lambda: L.tensor(2.5, dtype=L.float64),
         "tensor that requires grad": lambda: L.tensor(2.5, dtype=L.float64, requires_grad=True),
         "1-d tensor": lambda: L.tensor([2.5], dtype=L.float64), "int tensor": lambda: L.tensor(3)}.get(
        value, lambda: value)()
    out = x.clone().index_fill_(dim, idx, v) if in_place else x.index_fill(dim, idx, v)
    if not out.requires_grad:
        return out.detach(), False
    wanted = [t for t in (leaf, v) if isinstance(t, L.Tensor) and t.requires_grad]
    return out.detach(), True, outcome(lambda: L.autograd.grad(out.sum(), wanted))  # (a refusal compared by class)


test_index_fill_agrees_with_pytorch = sweep(_filled, list(itertools.product(
    ["float64", "int64", "bool"], [(3, 4), (4,), ()], [0, 1, -1, 2], FILL_INDICES, FILL_VALUES, [False, True],
    [False, True])),
    group=lambda dtype, shape, *_: f"{dtype}-{shape}")


def _value_gradient(L, shape, dim, index, door, asked):
    x = L.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape), dtype=L.float64, requires_grad=True)
    v = L.tensor(2.5, dtype=L.float64, requires_grad=asked != "x, value not requiring grad")
    i = L.tensor(index, dtype=L.int64)
    out = {"index_fill": lambda: L.index_fill(x, dim, i, v), "Tensor.index_fill": lambda: x.index_fill(dim, i, v),
           "Tensor.index_fill_": lambda: (x * 1).index_fill_(dim, i, v)}[door]()
    loss = (out * L.arange(1.0, 1.0 + out.numel(), dtype=L.float64).reshape(out.shape)).sum()
    if asked == "backward":
        loss.backward()
        return x.grad, v.grad
    return L.autograd.grad(loss, {"x": [x], "value": [v], "both": [x, v]}.get(asked, [x]))


test_only_the_values_gradient_is_refused_as_pytorchs = sweep(_value_gradient, [
    (*case, door, asked) for case, door, asked in itertools.product(
        [((2, 3), 0, [-1]), ((2, 3), 1, [-1, 0]), ((2, 3), -1, [-3]), ((2, 3), 0, [1]), ((2, 3), 1, [0, 2, -2]),
         ((3,), 0, [-1]), ((3,), 0, [2]), ((), 0, []), ((), 0, [0]), ((0, 2), 0, [-1])],
        ["index_fill", "Tensor.index_fill", "Tensor.index_fill_"],
        ["x", "value", "both", "backward", "x, value not requiring grad"])])


def _broadcast_first(L, index_shapes, input_spec, values, in_place):
    shape, dtype = input_spec
    x = L.zeros(shape, dtype=getattr(L, dtype))
    indices = tuple(L.tensor(np.zeros(s, dtype=np.int64)) for s in index_shapes)
    v = L.ones((1,), dtype=x.dtype if values == "same" else getattr(L, values))
    return x.index_put_(indices, v) if in_place else x.index_put(indices, v)


test_index_put_checks_the_broadcast_before_the_dtype = sweep(_broadcast_first, list(itertools.product(
    [((2,), (2,)), ((2, 3), (3,)), ((2, 3, 4), (0, 3)), ((2,), (3,)), ((0,), (2,)), ((1,), (0,))],
    [((3, 4), "float64"), ((3, 4), "bool"), ((0, 4), "float64"), ((3, 5), "int64")], ["same", "float64", "int64"],
    (False, True))))
MASKED = np.arange(2 * 3 * 4, dtype=np.float64).reshape(2, 3, 4) - 7.5
MASKED[0, 1, 2], MASKED[1, 2, 3] = -0.0, np.nan
MASKS = {"T": True, "F": False, "i": [0, 1, 1], "-i": [-1], "m": [True, False], "k": 1, "f": [0.0]}
MASK_VALUES = {"one": np.array(2.5), "row": np.array([1.0, -2.0, 3.0, -4.0]), "inf": np.array([np.inf])}


def _oracle(indices, values, accumulate):
    """PyTorch's index_put of x with each 0-d mask spelled as a new dimension indexed by [0] (True) or [] (False)."""
    x, spelled, new = torch.tensor(MASKED), [], []
    for name in indices:  # (each index here reads one dimension of x: the 1-D mask too)
        if isinstance(MASKS[name], bool):
            new.append(len(spelled))
            x = x.unsqueeze(len(spelled))
            spelled.append(torch.tensor([0] if MASKS[name] else [], dtype=torch.int64))
        else:
            spelled.append(torch.tensor(MASKS[name]))
    out = x.index_put(tuple(spelled), torch.tensor(values), accumulate)
    for a in reversed(new):
        out = out.squeeze(a)
    return out


def _zero_d_masks(L, indices, values, accumulate, form):
    if L is torch:  # (the oracle: the masks spelled as indexing spells them)
        return bits(_oracle(indices, MASK_VALUES[values], accumulate))
    x, index, v = L.tensor(MASKED), tuple(L.tensor(MASKS[n]) for n in indices), L.tensor(MASK_VALUES[values])
    return bits(L.index_put(x, index, v, accumulate) if form == "function" else x.index_put(
        index, v, accumulate=accumulate) if form == "method" else x.index_put_(index, v, accumulate))


test_zero_d_masks_as_indexing = sweep(_zero_d_masks, [
    (indices, values, accumulate, form) for indices in [
        c for k in (1, 2) for c in itertools.product(MASKS, repeat=k) if any(isinstance(MASKS[n], bool) for n in c)
    ] + [("T", "i", "T"), ("i", "F", "k"), ("T", "T", "T"), ("m", "T", "i"), ("F", "F", "-i")]
    for values in MASK_VALUES for accumulate in [False, True] for form in ["function", "method", "index_put_"]],
    every=5, ids=lambda indices, *rest: "-".join([*indices, *map(str, rest)]))


def _gradients(L, indices):
    x = L.tensor(MASKED[:, :, :1].copy() * 0 + 1.5, requires_grad=True)
    v = L.tensor(np.array([2.0]), requires_grad=True)
    if L is torch:  # (the oracle, as above)
        spelled, y, new = [], x, []
        for a, n in enumerate(indices):
            if n == "T":
                y, new = y.unsqueeze(a), new + [a]
                spelled.append(L.tensor([0]))
            else:
                spelled.append(L.tensor(MASKS[n]))
        out = y.index_put(tuple(spelled), v * 3, accumulate=True)
        for a in reversed(new):
            out = out.squeeze(a)
    else:
        out = x.index_put(tuple(L.tensor(MASKS[n]) for n in indices), v * 3, accumulate=True)
    return (out.detach(), *L.autograd.grad((out * out).sum(), (x, v)))


test_gradients_through_a_zero_d_mask = sweep(_gradients, [(("T",),), (("T", "i"),), (("i", "T"),), (("T", "k"),)],
                                             ids="-".join)


A4 = np.random.default_rng(0).standard_normal((2, 3, 4, 5))
MIX_ITEMS = [slice(None), 1, -1, [0, 1], np.array([[1], [0]]), None, Ellipsis, slice(0, 2)]


def _mix(L, items):
    """x[index]'s value, x's gradient through it, and x[index] = v with v in the layout x[index] reads."""
    index = tuple(L.tensor(i) if isinstance(i, np.ndarray) else i for i in items)
    rng = np.random.default_rng(zlib.crc32(repr(items).encode()))
    x = L.tensor(A4, requires_grad=True)
    y = x[index]
    y.backward(L.tensor(rng.standard_normal(tuple(y.shape))))
    z = L.tensor(A4)
    z[index] = L.tensor(rng.standard_normal(tuple(y.shape)))
    return y.detach(), x.grad, z


# The 4,334 mixes (at most one ...): those of one and two items, and the others in eight parts drawn by a hash; by
# default the first group and two parts, all under -m parity
test_every_index_mix_reads_and_writes_as_pytorch = sweep(_mix, [
    (items,) for k in range(1, 5) for items in itertools.product(MIX_ITEMS, repeat=k)
    if sum(it is Ellipsis for it in items) <= 1], group=lambda items: "one and two items" if len(items) <= 2 else
    f"part {zlib.crc32(repr(items).encode()) % 8}", every=4)


def _node_chain(t, depth=1):
    """The names of the nodes from t's grad_fn back ``depth`` steps along the first input."""
    names, node = [], t.grad_fn
    while node is not None and len(names) < depth:
        names.append(type(node).__name__ if not hasattr(node, "name") else node.name())
        nxt = [n for n, _ in node.next_functions if n is not None]
        node = nxt[0] if nxt else None
    return [n.replace("torch::autograd::", "") for n in names]


def _second_order(L, x, y, weight=None):
    """y, and x's gradients of Σ w·y² (or Σ y³) to the second order."""
    (g,) = L.autograd.grad((y * y * weight).sum() if weight is not None else (y ** 3).sum(), x, create_graph=True)
    (gg,) = L.autograd.grad((g * g).sum(), x)
    return close(y.detach(), 1e-12, 0), close(g.detach(), 1e-12, 0), close(gg, 1e-12, 0)


def _repeat_interleave(L, repeats, dim, layout):
    """An int count is PyTorch's ``unsqueeze(dim + 1).expand(...).clone().flatten(dim, dim + 1)``: a view of a fresh
    copy (its ``_base`` set, ViewBackward0); a tensor of counts is ``index_select`` of the input (a tensor of its own,
    IndexSelectBackward0)."""
    x = L.tensor(np.arange(12.0).reshape(3, 4) - 5.5, requires_grad=True)
    y = (x.t() if layout == "transposed" else x).repeat_interleave(
        L.tensor(repeats[1]) if isinstance(repeats, tuple) else repeats, dim=dim)
    return (y._base is not None, y.is_contiguous(), _node_chain(y),
            _second_order(L, x, y, L.arange(float(y.numel()), dtype=L.float64).reshape(y.shape)))


test_repeat_interleave_is_laid_out_as_pytorch = sweep(_repeat_interleave, list(itertools.product(
    [2, 0, ("tensor", 2), ("tensor", [3]), ("tensor", [1, 0, 2]), ("tensor", [2, 1, 1, 0])], [None, 0, -1],
    ["plain", "transposed"])), cover=[lambda repeats, dim, layout: (repr(repeats), dim)])


def _owns_memory(L, repeats, dim):
    """PyTorch's result is a copy whatever the count (its clone), so writing into it leaves the input as it was."""
    x = L.tensor(np.arange(6.0).reshape(3, 2))
    x.repeat_interleave(L.tensor(repeats[1]) if isinstance(repeats, tuple) else repeats, dim=dim).mul_(10)
    return x


test_repeat_interleave_result_owns_its_memory = sweep(_owns_memory, [
    (r, dim) for r, dim in itertools.product([1, 2, ("tensor", [1, 1, 1]), ("tensor", 1)], [None, 0, 1])
    if dim == 0 or r != ("tensor", [1, 1, 1])])  # (one count per entry along dim)


def _flatten(L, shape, start, end):
    """flatten merges dims start..end into one of their sizes' product, empty tensors too (a reshape to -1 cannot
    infer a size from no entries): the function, the method, nn.Flatten and ravel."""
    x = L.zeros(shape, dtype=L.float64, requires_grad=True)
    return [tuple(f().shape) for f in (lambda: L.flatten(x, start, end), lambda: x.flatten(start, end),
                                       lambda: L.nn.Flatten(start, end)(x), lambda: L.zeros(shape).ravel())]


test_flatten_of_an_empty_tensor_is_pytorchs = sweep(_flatten, [
    (shape, start, end) for shape in [(3, 2, 0), (0, 2, 3), (2, 0), (3, 0, 2), (0,), (2, 3, 0, 4)]
    for start in range(-len(shape), len(shape)) for end in range(-len(shape), len(shape))],
    group=lambda shape, *_: str(shape))


def _take_along_dim(L, dim, shape):
    """With a dim, PyTorch's take_along_dim reads ``indices % size`` (its "wrap negative indices", which wraps any
    index: 9 along a size of 4 reads 1), broadcast against input elsewhere."""
    rng = np.random.default_rng(len(shape) * 10 + dim)
    x = L.tensor(rng.standard_normal(shape), requires_grad=True)
    ishape = list(shape)
    ishape[dim] = 5
    idx = rng.integers(-3 * shape[dim] - 1, 3 * shape[dim] + 2, size=ishape)
    return _second_order(L, x, L.take_along_dim(x, L.tensor(idx), dim=dim))


test_take_along_dim_wraps_every_index_around_the_dim_as_pytorch = sweep(_take_along_dim, list(itertools.product(
    [0, 1, -1, -2], [(3, 4), (1, 4), (3, 1)])))


def _take_along_an_empty_dim(L, index):
    """Wrapping around a dim of size 0 divides by zero (PyTorch's RuntimeError) when there are indices; none: an
    empty result."""
    return L.take_along_dim(L.zeros(3, 0, dtype=L.float64), L.tensor(index, dtype=L.int64), dim=1)


test_take_along_dim_of_an_empty_dim = sweep(_take_along_an_empty_dim, [(np.zeros((3, 0), np.int64),), ([[1]],)],
                                            ids=lambda index: str(np.shape(index)))
INDEX_DTYPES = ["int64", "int32", "int16", "uint8", "bool", "float32"]


def _one_hot(L, labels, dtype, num_classes):
    """one_hot takes int64 labels (any other dtype a RuntimeError), num_classes an int (TypeError otherwise); no
    labels and no positive count cannot infer one, a label < 0 or >= num_classes a RuntimeError."""
    return L.nn.functional.one_hot(L.tensor(labels, dtype=getattr(L, dtype)), num_classes)


test_one_hot_door_as_pytorch = sweep(_one_hot, list(itertools.product(
    [[0, 2, 1], [], [-1], [3], 2], INDEX_DTYPES, [-1, 0, 3, 4, -2, 2.0, True, None])),
    cover=[lambda labels, dtype, num_classes: (repr(labels), dtype)])


def _take_door(L, index, dtype):
    """take reads an int64 index (another dtype, a bool too, a RuntimeError naming take) counting from the end."""
    return L.take(L.arange(6.0, dtype=L.float64).reshape(2, 3), L.tensor(index, dtype=getattr(L, dtype)))


test_take_door_as_pytorch = sweep(_take_door, list(itertools.product([[0, -1, 5], [], [6], [[1, 2], [0, 0]]],
                                                                     INDEX_DTYPES)), every=1)  # (all: 24 cheap calls)


def _builders(L, n, m, offset):
    """PyTorch's tril_indices, triu_indices and cartesian_prod, and in minigan the recipe its advice states."""
    a, b = L.arange(n) * 2, L.arange(m) - 1
    if L is torch:
        return L.tril_indices(n, m, offset), L.triu_indices(n, m, offset), L.cartesian_prod(a, b).reshape(-1, 2)
    i, j = L.meshgrid(L.arange(n), L.arange(m), indexing="ij")
    lower, upper = j <= i + offset, j >= i + offset
    p, q = L.meshgrid(a, b, indexing="ij")
    return L.stack([i[lower], j[lower]]), L.stack([i[upper], j[upper]]), L.stack([p.reshape(-1), q.reshape(-1)], 1)


test_the_builders_recipe_gives_pytorchs_indices = sweep(_builders, list(itertools.product(
    (1, 3, 4), (1, 3, 5), (-2, 0, 1))))
BUILDERS = ("tril_indices", "triu_indices", "cartesian_prod", "combinations", "block_diag")
TRIL_RECIPE = ("i, j = minigan.meshgrid(minigan.arange(n), minigan.arange(m), indexing='ij'); keep = j <= i + offset; "
               "minigan.stack([i[keep], j[keep]]) is tril_indices(n, m, offset)")
CARTESIAN_RECIPE = "minigan.stack([i.reshape(-1), j.reshape(-1)], 1) with i, j = minigan.meshgrid(a, b, indexing='ij')"


def advice(owner, name):
    with pytest.raises(AttributeError) as caught:
        getattr(owner, name)
    return str(caught.value)


@pytest.mark.parametrize("name", BUILDERS)
def test_builders_get_the_recipe(name):
    """They build indices and combinations, and the advice gives the recipe above (it called them products or
    distances and showed a distance)."""
    text = advice(minigan, name)
    assert "distance" not in text and TRIL_RECIPE in text and CARTESIAN_RECIPE in text, text


@pytest.mark.parametrize("owner", [minigan, minigan.Tensor])
def test_kron_is_a_product(owner):
    """kron, a product, is sent to einsum and broadcasting (not to numpy.linalg, which has no kron)."""
    text = advice(owner, "kron")
    assert "einsum" in text and "numpy.linalg" not in text, text
