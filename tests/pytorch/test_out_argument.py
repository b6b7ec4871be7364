"""PyTorch's ``out=`` keyword on minigan's free functions: the result lands in ``out``, which is returned, with
PyTorch's resizing, casting and autograd rules.

(Its torch-free tests: tests/library/test_out_argument.py.)"""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

UNARY = ["exp", "log", "sqrt", "sign", "tanh", "sigmoid", "sin", "cos", "tan", "sinh", "cosh", "log1p", "expm1",
         "exp2", "erf", "erfc", "reciprocal", "rsqrt", "floor", "ceil", "round", "trunc", "frac", "neg", "abs",
         "square", "asin", "acos", "atan", "asinh", "atanh", "logit", "deg2rad", "tril", "triu", "nan_to_num",
         "logical_not"]
BINARY = ["add", "sub", "mul", "div", "pow", "hypot", "matmul", "mm", "eq", "ne", "gt", "ge", "lt", "le", "maximum",
          "minimum", "remainder", "fmod", "logaddexp", "xlogy", "atan2", "logical_and", "logical_or", "outer", "inner"]
REDUCTIONS = [("sum", {"dim": 1}), ("mean", {"dim": 0}), ("prod", {"dim": 1}), ("cumsum", {"dim": 1}),
              ("logsumexp", {"dim": 1}), ("amax", {"dim": 0}), ("std", {"dim": 1}), ("argmax", {"dim": 1})]


def _pair(name, x):
    return getattr(minigan, name), getattr(torch, name), minigan.tensor(x), torch.tensor(x)


def _check(ours, theirs, out_shape, dtype=np.float64):
    m_out, t_out = minigan.zeros(out_shape, dtype=minigan.tensor(np.zeros(0, dtype)).dtype), torch.zeros(
        out_shape, dtype=torch.from_numpy(np.zeros(0, dtype)).dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a resize warning, the same in both
        got, expected = ours(m_out), theirs(t_out)
    assert got is m_out and expected is t_out
    np.testing.assert_allclose(m_out.numpy(), t_out.numpy(), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", UNARY)
def test_unary_out(name):
    x = np.random.default_rng(0).uniform(0.1, 0.9, (3, 3))
    ours, theirs, m, t = _pair(name, x)
    dtype = np.bool_ if name.startswith("logical") else np.float64
    _check(lambda o: ours(m, out=o), lambda o: theirs(t, out=o), (3, 3), dtype)


@pytest.mark.parametrize("name", BINARY)
def test_binary_out(name):
    rng = np.random.default_rng(1)
    a, b = rng.uniform(0.1, 0.9, (3, 3)), rng.uniform(0.1, 0.9, (3, 3))
    if name in ("outer", "inner"):
        a, b = a[0], b[0]
    ours, theirs = getattr(minigan, name), getattr(torch, name)
    shape = tuple(getattr(torch, name)(torch.tensor(a), torch.tensor(b)).shape)
    dtype = np.bool_ if name in ("eq", "ne", "gt", "ge", "lt", "le") or name.startswith("logical") else np.float64
    _check(lambda o: ours(minigan.tensor(a), minigan.tensor(b), out=o),
           lambda o: theirs(torch.tensor(a), torch.tensor(b), out=o), shape, dtype)


@pytest.mark.parametrize("name, kwargs", REDUCTIONS)
def test_reduction_out(name, kwargs):
    x = np.random.default_rng(2).uniform(0.1, 0.9, (3, 4))
    ours, theirs, m, t = _pair(name, x)
    shape = tuple(theirs(t, **kwargs).shape)
    dtype = np.int64 if name == "argmax" else np.float64
    _check(lambda o: ours(m, **kwargs, out=o), lambda o: theirs(t, **kwargs, out=o), shape, dtype)


def test_cat_and_stack_out():
    parts = [np.ones((2, 2)), np.zeros((1, 2))]
    _check(lambda o: minigan.cat([minigan.tensor(p) for p in parts], out=o),
           lambda o: torch.cat([torch.tensor(p) for p in parts], out=o), (3, 2))
    _check(lambda o: minigan.stack([minigan.tensor(p) for p in parts[:1] * 2], out=o),
           lambda o: torch.stack([torch.tensor(p) for p in parts[:1] * 2], out=o), (2, 2, 2))
