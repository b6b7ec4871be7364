"""What a pointwise op takes, against PyTorch, over every form it is called in (minigan.f(x, y), x.f(y), x.f_(y), the
operator, x op= y): the ops whose only overload is (Tensor, Tensor) refuse a Python number (TypeError, as PyTorch's
argument parser), pow of bools runs only as a bool tensor to a number (PyTorch has no bool pow kernel otherwise), and
an in-place op writes its promoted result into any integer tensor of any signedness (PyTorch's can_cast: a signed
result into uint8 too), refusing only a float into an integer and a number into a bool."""

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float32", "float64"]
A, B = [3, 0, 1, 2, 5], [2, 1, 1, 3, 2]


def _tensor(lib, dtype, values):
    kind = bool if dtype == "bool" else float if dtype.startswith("float") else int
    return lib.tensor([kind(v) for v in values], dtype=getattr(lib, dtype))


def _outcome(call):
    """(dtype, values as float64) of what ran, or the class of what was raised."""
    try:
        with np.errstate(all="ignore"):
            r = call()
    except Exception as e:
        return type(e)
    values = r.detach().numpy() if isinstance(r, torch.Tensor) else r.detach().numpy()
    return str(r.dtype).split(".")[-1], np.asarray(values, dtype=np.float64)


def _agree(ours, theirs):
    if isinstance(theirs, type):  # PyTorch raised: minigan raises a subclass of its builtin class
        builtin = next(c for c in theirs.__mro__ if c.__module__ == "builtins")
        return isinstance(ours, type) and issubclass(ours, builtin)
    return not isinstance(ours, type) and ours[0] == theirs[0] and np.allclose(ours[1], theirs[1], equal_nan=True)


def _compare(run):
    theirs, ours = _outcome(lambda: run(torch)), _outcome(lambda: run(minigan))
    assert _agree(ours, theirs), f"minigan {ours} | PyTorch {theirs}"


# Ops whose every overload takes two tensors: a Python number is refused by PyTorch's parser (TypeError), in either
# place, in the function, the method and the in-place method.  (fmod takes a number second, not first.)
TENSOR_ONLY = ["atan2", "arctan2", "hypot", "logaddexp", "logical_and", "logical_or", "logical_xor", "minimum",
               "maximum", "fmod"]


# 360 cases: every 7th by default (every dtype, form, number and op among them), the rest under -m parity
@pytest.mark.parametrize("dtype, form, number, op", default_slice(
    itertools.product(["int64", "float32", "float64"], ["f(x, n)", "f(n, x)", "x.f(n)", "x.f_(n)"], [2, 2.0, True],
                      TENSOR_ONLY), 7, cover=[lambda *case, i=i: repr(case[i]) for i in range(4)]))
def test_a_number_where_pytorch_takes_only_tensors(op, number, form, dtype):
    if form == "x.f_(n)" and not hasattr(torch.Tensor, op + "_"):
        pytest.skip(f"PyTorch has no {op}_")

    def run(lib):
        x = _tensor(lib, dtype, A)
        if form == "f(x, n)":
            return getattr(lib, op)(x, number)
        if form == "f(n, x)":
            return getattr(lib, op)(number, x)
        if form == "x.f(n)":
            return getattr(x, op)(number)
        return getattr(x, op + "_")(number)
    if form == "x.f_(n)" and isinstance(_outcome(lambda: run(minigan)), type) and \
            issubclass(_outcome(lambda: run(minigan)), minigan.NotInMinigan):
        pytest.skip(f"minigan has no {op}_ (docs/pytorch.md)")
    _compare(run)


POW_FORMS = {"x ** y": lambda x, y, n: x ** y, "pow(x, y)": lambda x, y, n: x.pow(y),
             "x ** n": lambda x, y, n: x ** n, "n ** x": lambda x, y, n: n ** x, "x.pow_(n)": lambda x, y, n: x.pow_(n),
             "x **= y": lambda x, y, n: x.__ipow__(y)}


# 192 cases: every 5th by default (every number, dtype and form among them), the rest under -m parity
@pytest.mark.parametrize("number, other, form", default_slice(
    itertools.product([True, False, 2, 2.0], DTYPES, POW_FORMS), 5,
    cover=[lambda *case, i=i: repr(case[i]) for i in range(3)]))
def test_pow_of_bools(form, other, number):
    """PyTorch's pow has a bool kernel only for a bool tensor to a bool number (x ** True is x, x ** False all
    True); a bool base and exponent tensor, or a bool number to a bool tensor, is "pow" not implemented for 'Bool'."""
    _compare(lambda lib: POW_FORMS[form](_tensor(lib, "bool", A), _tensor(lib, other, B), number))


INPLACE = {"add_": lambda x, y: x.add_(y), "sub_": lambda x, y: x.sub_(y), "mul_": lambda x, y: x.mul_(y),
           "remainder_": lambda x, y: x.remainder_(y), "floor_divide_": lambda x, y: x.floor_divide_(y),
           "bitwise_or_": lambda x, y: x.bitwise_or_(y), "maximum": lambda x, y: x.copy_(x.maximum(y)),
           "+=": lambda x, y: x.__iadd__(y), "*=": lambda x, y: x.__imul__(y), "|=": lambda x, y: x.__ior__(y),
           "//=": lambda x, y: x.__ifloordiv__(y), "**=": lambda x, y: x.__ipow__(y), "-=": lambda x, y: x.__isub__(y)}


# 832 cases: every 7th by default (every op, and every dtype on each side, among them), the rest under -m parity
@pytest.mark.parametrize("op, pair", default_slice(
    itertools.product(INPLACE, itertools.product(DTYPES, DTYPES)), 7,
    cover=(lambda op, pair: op, lambda op, pair: pair[0], lambda op, pair: pair[1])))
def test_in_place_writes_by_pytorchs_can_cast(op, pair):
    _compare(lambda lib: INPLACE[op](_tensor(lib, pair[0], A), _tensor(lib, pair[1], B)))


BASES, EXPONENTS = [0.0, 0.5, -2.0, 3.0, float("inf")], [0.0, 1.0, -1.0, 0.5, 2.0]


def _grads_of_pow(lib, exponent_is_tensor, upstream):
    """d/da and d/db of a ** b with an upstream gradient, then the second order of a gradient penalty."""
    a = lib.tensor([x for x in BASES for _ in EXPONENTS], dtype=lib.float64, requires_grad=True)
    b = lib.tensor(EXPONENTS * len(BASES), dtype=lib.float64, requires_grad=True)
    outs = [a ** b] if exponent_is_tensor else [a[i::len(EXPONENTS)] ** e for i, e in enumerate(EXPONENTS)]
    ups = [lib.full_like(out, upstream) for out in outs]
    wrt = (a, b) if exponent_is_tensor else (a,)
    first = lib.autograd.grad(outs, wrt, ups, create_graph=True)
    sum((g * g).sum() for g in first).backward()
    return [g.detach().numpy() for g in first] + [t.grad.numpy() for t in wrt]


@pytest.mark.parametrize("exponent_is_tensor", [True, False], ids=["tensor exponent", "number exponent"])
@pytest.mark.parametrize("upstream", [1.0, float("inf")])
def test_pow_gradient_where_the_exponent_is_zero(exponent_is_tensor, upstream):
    """PyTorch's pow_backward: 0 wherever the exponent is 0 (a where over b·a^(b−1)·grad, which is 0·∞ = NaN at a
    zero base or an infinite upstream gradient), and its second order through both branches of that where."""
    with np.errstate(all="ignore"):
        ours = _grads_of_pow(minigan, exponent_is_tensor, upstream)
    theirs = _grads_of_pow(torch, exponent_is_tensor, upstream)
    for o, t in zip(ours, theirs):
        np.testing.assert_allclose(o, t, rtol=1e-12, equal_nan=True)


@pytest.mark.parametrize("case", ["pow(x, mask)", "pow(mask, x)", "pow(x, True)", "pow(x, ints)"])
def test_pow_with_a_bool_exponent_refuses_at_backward(case):
    """PyTorch's d/da of a ** b is b·a^(b−1), and its b − 1 refuses a bool exponent tensor (RuntimeError, at backward
    only: the forward runs and requires grad); a bool base, a bool number and an integer exponent differentiate."""
    def run(lib):
        x = lib.tensor([0.5, 2.0], dtype=lib.float64, requires_grad=True)
        other = {"pow(x, mask)": lib.tensor([True, False]), "pow(mask, x)": lib.tensor([True, False]),
                 "pow(x, True)": True, "pow(x, ints)": lib.tensor([2, 0])}[case]
        y = lib.pow(other, x) if case == "pow(mask, x)" else lib.pow(x, other)
        assert y.requires_grad
        y.sum().backward()
        return x.grad
    _compare(run)
