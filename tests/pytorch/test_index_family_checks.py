"""The doors of the indexing family (index_add, index_copy, index_fill, scatter, scatter_add, gather, in each of
their three forms: torch.f(x, ...), x.f(...), x.f_(...)) check their arguments in PyTorch's order, so a call with
several things wrong raises the class PyTorch raises (a dim out of range is an IndexError before any dtype or shape
is looked at; a source of another dtype is a RuntimeError, never converted), and a call PyTorch runs gives its values,
dtype and requires_grad.  Drawn over a grid of shapes (0-d, empty, 1-d to 3-d), dtypes, dims, index shapes and dtypes
and values (negative, out of range), against PyTorch float64."""

import math
import random
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(), (3,), (1,), (2, 3), (0, 3), (2, 3, 4)]
SOURCE_SHAPES = SHAPES + [(2,), (2, 2), (3, 3), (3, 2), (1, 3), (5,)]
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
        x = (draw.choice(SHAPES), draw.choice(DTYPES), False, k)
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


def _outcome(lib, op, case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = _call(lib, op, case)
        except Exception as e:  # noqa: BLE001  (the class is what is compared)
            return "raised", type(e), f"{type(e).__name__}: {e}"
    values = out.detach().numpy() if lib is torch else out.detach().numpy()
    return "ran", np.array(values, dtype=float), str(out.dtype).split(".")[-1], tuple(out.shape), out.requires_grad


def _disagreement(op, case):
    theirs, ours = _outcome(torch, op, case), _outcome(minigan, op, case)
    if theirs[0] != ours[0]:
        return f"{case}: PyTorch {theirs[-1] if theirs[0] == 'raised' else 'ran'}, minigan " \
               f"{ours[-1] if ours[0] == 'raised' else 'ran'}"
    if theirs[0] == "raised":
        return None if issubclass(ours[1], _builtin(theirs[1])) else f"{case}: PyTorch {theirs[2]}, minigan {ours[2]}"
    if theirs[2:] != ours[2:] or not np.allclose(theirs[1], ours[1], equal_nan=True, rtol=1e-6):
        return f"{case}: PyTorch {theirs[1:]}, minigan {ours[1:]}"
    return None


@pytest.mark.parametrize("op", ["index_add", "index_copy", "index_fill", "scatter", "scatter_add", "gather",
                                "index_select"])
def test_index_family_checks_as_pytorch(op):
    found = [d for d in (_disagreement(op, case) for case in _cases(op, 400, 7)) if d]
    assert not found, f"{len(found)} of 400 calls of {op} differ from PyTorch, e.g.\n" + "\n".join(found[:8])


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


def test_index_put_checks_as_pytorch():
    found = []
    for case in _put_cases(400, 5):
        outcomes = []
        for lib in (torch, minigan):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                try:
                    out = _put(lib, case)
                    outcomes.append(("ran", np.array(out.detach().numpy(), dtype=float), str(out.dtype).split(".")[-1],
                                     out.requires_grad))
                except Exception as e:  # noqa: BLE001  (the class is what is compared)
                    outcomes.append(("raised", type(e), f"{type(e).__name__}: {e}"))
        theirs, ours = outcomes
        if theirs[0] != ours[0] or theirs[0] == "raised" and not issubclass(ours[1], _builtin(theirs[1])) or \
                theirs[0] == "ran" and (theirs[2:] != ours[2:] or not np.array_equal(theirs[1], ours[1])):
            found.append(f"{case}: PyTorch {theirs[1:]}, minigan {ours[1:]}")
    assert not found, f"{len(found)} of 400 calls of index_put differ from PyTorch, e.g.\n" + "\n".join(found[:8])


@pytest.mark.parametrize("op", ["scatter", "scatter_add", "scatter_", "scatter_add_"])
@pytest.mark.parametrize("index_shape, src_shape", [((2, 3), (2, 3)), ((1, 3), (2, 3)), ((0, 3), (3, 3)),
                                                    ((0, 3), (1, 3)), ((2, 2), (2, 3)), ((0, 3), (5,)), ((2,), (3,))])
def test_scatter_refuses_src_gradient_at_backward_where_pytorch_does(op, index_shape, src_shape):
    """src's gradient is the incoming gradient gathered at index, of index's shape: PyTorch's backward refuses it
    (RuntimeError) where src's shape cannot be expanded to index's, so a src larger than index runs forward and
    refuses at backward; where it can, the gradients agree."""
    outcomes = []
    for lib in (torch, minigan):
        x = lib.tensor(np.arange(6.0).reshape(2, 3) if len(src_shape) == 2 or len(index_shape) == 2 else
                       np.arange(3.0), requires_grad=True)
        src = lib.tensor(np.linspace(-1, 1, int(np.prod(src_shape))).reshape(src_shape), requires_grad=True)
        index = lib.tensor(np.zeros(index_shape, dtype=np.int64) + np.arange(index_shape[-1]) % 2)
        try:
            y = getattr(x * 1 if op.endswith("_") else x, op)(0 if len(index_shape) == 1 else 1, index, src)
        except Exception as e:  # noqa: BLE001  (the class is what is compared)
            outcomes.append(("call", type(e)))
            continue
        assert y.requires_grad
        try:
            (y * lib.tensor(np.arange(y.numel(), dtype=float).reshape(tuple(y.shape)))).sum().backward()
            outcomes.append(("ran", x.grad.numpy().tolist(), src.grad.numpy().tolist()))
        except Exception as e:  # noqa: BLE001
            outcomes.append(("backward", type(e)))
    theirs, ours = outcomes
    assert theirs[0] == ours[0], f"PyTorch {theirs}, minigan {ours}"
    if theirs[0] == "ran":
        np.testing.assert_allclose(ours[1], theirs[1])
        np.testing.assert_allclose(ours[2], theirs[2])
    else:
        assert issubclass(ours[1], _builtin(theirs[1])), f"PyTorch {theirs}, minigan {ours}"
