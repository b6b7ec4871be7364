"""The dtypes PyTorch's kernels refuse, against PyTorch, over every dtype an input can have: where PyTorch's CPU kernel
is "not implemented for 'Bool'" (or 'Long', 'Int', 'Byte'), minigan refuses with its class (NotImplementedError),
and where PyTorch runs, minigan gives its values and dtype.  The families: the pointwise ops of one table
(minigan/surface/pointwise.py, NO_KERNEL: abs and rounding of bools, round(decimals=) of integers, logaddexp of integers
and bools, the bit shifts and the rounded divisions and remainders of bools), and mean/nanmean, which cannot infer
a floating result's dtype from an integer or bool input or dtype= (RuntimeError).

(Its torch-free tests: tests/library/test_kernel_dtypes.py.)"""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import outcome, same_tensor_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64"]
VALUES = np.array([[3.0, -1.0, 0.0, 2.5], [1.0, 5.0, -4.0, 0.5]])


def _tensor(lib, dtype, shift=0.0):
    if dtype == "bool":
        return lib.tensor(VALUES + shift > 0.7)
    v = np.abs(VALUES + shift) if dtype == "uint8" else VALUES + shift
    return lib.tensor(v if dtype.startswith("float") else np.trunc(v).astype(np.int64), dtype=getattr(lib, dtype))


def _same(call):
    with np.errstate(all="ignore"):
        theirs, ours = outcome(call, torch), outcome(call, minigan)
    same_tensor_outcome(ours, theirs, rtol=1e-6, one_line=True)


UNARY = {
    "abs": lambda L, x: L.abs(x), "x.abs()": lambda L, x: x.abs(), "x.absolute_()": lambda L, x: x.absolute_(),
    "floor": lambda L, x: L.floor(x), "x.floor()": lambda L, x: x.floor(), "x.floor_()": lambda L, x: x.floor_(),
    "ceil": lambda L, x: L.ceil(x), "x.ceil_()": lambda L, x: x.ceil_(),
    "trunc": lambda L, x: L.trunc(x), "x.fix()": lambda L, x: x.fix(), "x.trunc_()": lambda L, x: x.trunc_(),
    "round": lambda L, x: L.round(x), "x.round_()": lambda L, x: x.round_(),
    "round(decimals=2)": lambda L, x: L.round(x, decimals=2), "x.round(decimals=-1)": lambda L, x: x.round(decimals=-1),
    "x.round_(decimals=1)": lambda L, x: x.round_(decimals=1),
}
BINARY = {
    "logaddexp": lambda L, a, b: L.logaddexp(a, b), "x.logaddexp(y)": lambda L, a, b: a.logaddexp(b),
    "bitwise_left_shift": lambda L, a, b: L.bitwise_left_shift(a, b),
    "x.bitwise_right_shift(y)": lambda L, a, b: a.bitwise_right_shift(b),
    "floor_divide": lambda L, a, b: L.floor_divide(a, b), "x // y": lambda L, a, b: a // b,
    "div(floor)": lambda L, a, b: L.div(a, b, rounding_mode="floor"),
    "x.div_(y, trunc)": lambda L, a, b: a.div_(b, rounding_mode="trunc"),
    "remainder": lambda L, a, b: L.remainder(a, b), "x % y": lambda L, a, b: a % b,
    "fmod": lambda L, a, b: L.fmod(a, b), "x.fmod_(y)": lambda L, a, b: a.fmod_(b),
}


# each op by each dtype: every 5th by default (every op and every dtype among them), the rest under -m parity
@pytest.mark.parametrize("name, dtype", default_slice(
    itertools.product(UNARY, DTYPES), 5, cover=(lambda name, dtype: name, lambda name, dtype: dtype)))
def test_a_pointwise_op_refuses_the_dtypes_pytorchs_kernel_refuses(name, dtype):
    _same(lambda L: UNARY[name](L, _tensor(L, dtype)))


@pytest.mark.parametrize("dtype", ["bool", "int64"])
@pytest.mark.parametrize("name", ["round(decimals=2)", "x.round_(decimals=1)", "floor"])
def test_an_empty_tensor_is_refused_too(name, dtype):  # (PyTorch checks the dtype before it looks at the entries)
    _same(lambda L: UNARY[name](L, _tensor(L, dtype)[:0]))


# each op by each pair of dtypes: every 7th by default (every op, and every dtype on each side, among them), the rest
# under -m parity
@pytest.mark.parametrize("name, dtype, other", default_slice(
    itertools.product(BINARY, ["bool", "uint8", "int32", "int64", "float64"], ["bool", "int64", "int32", "float32",
                                                                               "float64"]), 7,
    cover=(lambda name, dtype, other: name, lambda name, dtype, other: dtype, lambda name, dtype, other: other)))
def test_a_binary_op_refuses_the_promoted_dtypes_pytorchs_kernel_refuses(name, dtype, other):
    _same(lambda L: BINARY[name](L, _tensor(L, dtype), _tensor(L, other, 0.5)))


MEANS = {
    "mean(x)": lambda L, x, kw: L.mean(x, **kw), "x.mean()": lambda L, x, kw: x.mean(**kw),
    "x.mean(1)": lambda L, x, kw: x.mean(1, **kw),
    "mean(x, (0, 1), keepdim)": lambda L, x, kw: L.mean(x, (0, 1), True, **kw),
    "nanmean(x)": lambda L, x, kw: L.nanmean(x, **kw), "x.nanmean(0)": lambda L, x, kw: x.nanmean(0, **kw),
}


@pytest.mark.parametrize("dtype_arg", [None, "float64", "float32", "int64", "bool"])
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64", "float32", "float64"])
@pytest.mark.parametrize("name", list(MEANS))
def test_mean_needs_a_floating_dtype_as_pytorchs(name, dtype, dtype_arg):
    def call(L):
        kw = {} if dtype_arg is None else {"dtype": getattr(L, dtype_arg)}
        return MEANS[name](L, _tensor(L, dtype), kw)
    _same(call)


DIVISIONS = {
    "floor_divide": lambda L, a, b: L.floor_divide(a, b), "x // y": lambda L, a, b: a // b,
    "remainder": lambda L, a, b: L.remainder(a, b), "fmod": lambda L, a, b: L.fmod(a, b),
    "div(trunc)": lambda L, a, b: L.div(a, b, rounding_mode="trunc"),
}


@pytest.mark.parametrize("divisor", ["zero", "zeros", "a zero among others"])
@pytest.mark.parametrize("empty", [False, True], ids=["entries", "empty"])
@pytest.mark.parametrize("name", list(DIVISIONS))
def test_an_integer_division_by_zero_is_refused_only_where_there_are_entries(name, empty, divisor):
    def call(L):
        a = _tensor(L, "int64")[:0] if empty else _tensor(L, "int64")
        b = {"zero": 0, "zeros": L.zeros(4, dtype=L.int64), "a zero among others": L.tensor([1, 0, 2, 3])}[divisor]
        return DIVISIONS[name](L, a, b)
    _same(call)
