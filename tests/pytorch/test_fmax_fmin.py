"""fmax and fmin (function, method, ``out=``) against PyTorch: the maximum or minimum that passes over NaN.

Drawn over every pair of dtypes minigan has (bool to float64), broadcasting shapes (0-d and empty ones too), and
values holding NaN, ±∞, ±0 and ties; the result's values and dtype, the node's name, and in float64 the gradients
at first and second order, whose rule is PyTorch's formula: whole to ``input`` where input >= other (<= for fmin)
or other is NaN, else whole to ``other``, never split at a tie as maximum's is.  A number in place of a tensor is
PyTorch's TypeError.  At a tie of +0 and −0 the zero's sign is the host's vector kernel's, so values compare with
``==`` there; everywhere else bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["bool", "uint8", "int32", "int64", "float32", "float64"]
SHAPES = [((), ()), ((5,), (5,)), ((3, 1), (1, 4)), ((0,), (1,)), ((2, 3), ()), ((), (4,)), ((2, 0, 3), (3,))]
SPECIAL = np.array([np.nan, np.inf, -np.inf, 0.0, -0.0, 1.0, -1.0, 2.5, 1.0, np.nan])


def _values(shape, dtype, rng):
    v = rng.choice(SPECIAL, size=shape) if dtype.startswith("float") else rng.integers(0, 4, size=shape)
    return np.asarray(v).astype(dtype)


def _pair(case):
    rng = np.random.default_rng(case)
    da, db = rng.choice(DTYPES, 2)
    sa, sb = SHAPES[case % len(SHAPES)][:: 1 if case % 2 else -1]
    return _values(sa, da, rng), _values(sb, db, rng)


def _same(got, want):
    got, want = got.detach().numpy(), want.detach().numpy()
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)  # (NaN where NaN; ±0 equal: their signs are checked apart)


@pytest.mark.parametrize("op", ["fmax", "fmin"])
@pytest.mark.parametrize("case", range(60))
def test_values_and_dtypes(op, case):
    a, b = _pair(case)
    want = getattr(torch, op)(torch.from_numpy(a), torch.from_numpy(b))
    for got in (getattr(minigan, op)(minigan.tensor(a), minigan.tensor(b)),
                getattr(minigan.tensor(a), op)(minigan.tensor(b))):
        _same(got, want)
        if a.dtype.kind == "f" and b.dtype.kind == "f":  # away from a ±0 tie, the zero's sign is the chosen value's
            ga, gb, w = np.broadcast_arrays(a, b, want.numpy())
            untied = ~((ga == 0) & (gb == 0))
            np.testing.assert_array_equal(np.signbit(got.numpy())[untied], np.signbit(w)[untied])


@pytest.mark.parametrize("op", ["fmax", "fmin"])
@pytest.mark.filterwarnings("ignore:invalid value:RuntimeWarning")  # (∞ − ∞ in the sum: docs/performance.md)
@pytest.mark.parametrize("case", range(40))
def test_gradients_to_second_order(op, case):
    rng = np.random.default_rng(1000 + case)
    sa, sb = SHAPES[case % len(SHAPES)]
    a, b = rng.choice(SPECIAL, size=sa), rng.choice(SPECIAL, size=sb)
    up = rng.normal(size=np.broadcast_shapes(sa, sb))
    grads = {}
    for lib in (torch, minigan):
        x, y, u = (lib.tensor(v, requires_grad=True) for v in (a, b, up))
        out = getattr(lib, op)(x, y)
        first = lib.autograd.grad((out * u).sum(), (x, y), create_graph=True)  # (masks of u: second order reads them)
        second = lib.autograd.grad(sum((g * g).sum() for g in first), (x, y, u), allow_unused=True)
        grads[lib.__name__] = [g.detach().numpy() for g in first] + [
            None if g is None else g.detach().numpy() for g in second]
        name = type(out.grad_fn).__name__ if lib is torch else out.grad_fn.name()
        assert name == f"{op.capitalize()}Backward0"
    for got, want in zip(grads["minigan"], grads["torch"]):
        if want is None or got is None:  # (no path from the first gradient back: either side may say None or 0)
            assert not np.any(want if got is None else got)
            continue
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)  # (a broadcast operand's sum: its order)


@pytest.mark.parametrize("op", ["fmax", "fmin"])
def test_out_and_numbers(op):
    a, b = minigan.tensor([1.0, np.nan, 3.0]), minigan.tensor([2.0, 1.0, np.nan])
    out = minigan.empty(3)
    assert getattr(minigan, op)(a, b, out=out) is out
    np.testing.assert_array_equal(out.numpy(), getattr(torch, op)(torch.tensor(a.numpy()), torch.tensor(b.numpy())))
    for call in (lambda lib, t: getattr(lib, op)(t, 2.0), lambda lib, t: getattr(lib, op)(2.0, t),
                 lambda lib, t: getattr(t, op)(2)):
        with pytest.raises(TypeError):
            call(torch, torch.tensor([1.0]))
        with pytest.raises(TypeError):
            call(minigan, minigan.tensor([1.0]))
