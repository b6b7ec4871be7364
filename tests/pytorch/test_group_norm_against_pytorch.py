"""F.group_norm and F.instance_norm against PyTorch float64: refusals, non-finite weights, result dtypes.

PyTorch's group norm kernel (and its batch norm, which instance_norm is) computes y = x·a − μ·a + β with a = γ/σ,
so an infinite weight gives ∞ − ∞ = NaN where (x − μ)·a was ±∞ (surface program 11808442); its Python checks
num_groups with Python arithmetic (a float num_groups too: ZeroDivisionError, then more than one value per group)
before its kernel takes num_groups as an int (TypeError).  Over shapes (empty, one value per group), dtypes, num_groups
of several kinds, weights and biases of several dtypes holding ±inf, NaN and 0, inputs with ±inf and NaN, with and
without gradients, minigan must raise PyTorch's class or give its result and gradients.

A group of one value (x − μ = 0) is compared for its refusals only: PyTorch's kernel computes x·a − μ·a in one fused
multiply-add, which leaves the rounding of μ·a (PyTorch's noise, ~1e-5 in float32 through 1/√ε) where minigan's is 0
(docs/pytorch.md, the norms of a constant group).
"""

import itertools
import math
import zlib

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

WEIGHTS = {"finite": np.array([-1.5, 0.5, 2.0, 0.0, 1.0, -0.25]), "inf": np.array([np.inf, -1.0, -np.inf, 2.0, 0.5, 1]),
           "nan": np.array([1.0, np.nan, 0.5, -2.0, np.inf, 0.0])}


def _run(lib, op, shape, dtype, groups, wdtype, wkind, values, grad):
    floating = dtype.startswith("float")
    x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=grad and floating)
    c = shape[1] if len(shape) > 1 else 2
    w = b = None
    if wdtype is not None:
        w = lib.tensor(WEIGHTS[wkind][:c], dtype=getattr(lib, wdtype), requires_grad=grad)
        b = lib.tensor(WEIGHTS[wkind][::-1][:c].copy(), dtype=getattr(lib, wdtype))
    try:
        out = (lib.nn.functional.group_norm(x, groups, w, b, 1e-5) if op == "group_norm" else
               lib.nn.functional.instance_norm(x, weight=w, bias=b))
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return {"raised": e}
    got = {"out": out.detach().double().numpy(), "dtype": str(out.dtype).split(".")[-1]}
    leaves = [t for t in (x, w) if t is not None and t.requires_grad]
    if out.requires_grad and out.numel() and leaves:
        got["grads"] = [g.double().numpy() for g in lib.autograd.grad((out * out).sum(), leaves)]
    return got


SHAPES = [(2, 4, 3), (2, 4), (1, 2), (1, 4, 1), (0, 4, 3), (2, 4, 0), (2, 0, 3), (1, 1, 2), (3, 6, 2, 2), (2, 2),
          (2, 6, 5)]
CASES = [c for c in itertools.product(
    ["group_norm"], SHAPES, ["float64", "float32", "int64", "bool"], [1, 2, 3, 0, -2, 2.0, 0.0, True, np.int64(2)],
    [None, "float64", "float32"], ["finite", "inf", "nan"], [0, 1, 2], [False, True])
    if (c[4] is not None or c[5] == "finite") and not (c[2] in ("int64", "bool") and c[7])]
CASES = CASES[::5] + [c for c in itertools.product(
    ["instance_norm"], [(2, 4, 3), (1, 2, 5), (2, 3, 2, 2)], ["float64"], [None], [None, "float64"],
    ["finite", "inf", "nan"], [0, 1, 2], [False, True]) if c[4] is not None or c[5] == "finite"]


# Every 23rd case by default (and each value of each of the case's eight parts, each op with each shape), the rest
# under -m parity
@pytest.mark.parametrize("case", default_slice(
    [pytest.param(c, id=str(i)) for i, c in enumerate(CASES)], 23,
    cover=[*(lambda case, i=i: repr(case[i]) for i in range(8)), lambda case: (case[0], case[1])]))
def test_group_and_instance_norm_against_pytorch(case):
    op, shape, dtype, groups, wdtype, wkind, special, grad = case
    values = np.round(np.random.default_rng([65, zlib.crc32(repr(case).encode())]).normal(size=shape) * 3, 2)
    if special and values.size >= 3:
        values.reshape(-1)[[0, -1]] = [np.inf, -np.inf] if special == 1 else [np.nan, 5.0]
    values = values > 0 if dtype == "bool" else values
    with np.errstate(all="ignore"):
        expected = _run(torch, op, shape, dtype, groups, wdtype, wkind, values, grad)
        got = _run(minigan, op, shape, dtype, groups, wdtype, wkind, values, grad)
    where = f"{op}{case}"
    if "raised" in expected:
        assert "raised" in got and isinstance(got["raised"], _builtin(expected["raised"])), \
            f"{where}: PyTorch raises {expected['raised']!r}; minigan {got.get('raised', 'ran')!r}"
        return
    assert "raised" not in got, f"{where}: PyTorch runs; minigan raises {got['raised']!r}"
    assert got["dtype"] == expected["dtype"] and got.keys() == expected.keys(), where
    per_group = math.prod(shape[2:]) * (shape[1] // groups if op == "group_norm" else 1)
    if per_group == 1:
        return  # (PyTorch's fused multiply-add noise: the module's docstring)
    tol = 1e-10 if dtype == "float64" and wdtype != "float32" else 2e-4
    exact = None  # (float32: PyTorch's float64 answer, where a group of few entries cancels and float32 rounds far)
    for key in ("out", "grads"):
        for i, (a, b) in enumerate(zip(*(v if key == "grads" else [v] for v in (got.get(key, []),
                                                                                expected.get(key, []))))):
            try:
                np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True, err_msg=f"{where}: {key}")
            except AssertionError:
                if tol == 1e-10:
                    raise
                with np.errstate(all="ignore"):
                    exact = exact or _run(torch, op, shape, "float64", groups, wdtype and "float64", wkind,
                                          values, grad)
                    truth = (exact[key][i] if key == "grads" else exact[key])
                    # within PyTorch's own float32 error of the float64 answer (twice it), or within tol of it
                    assert np.all((np.abs(a - truth) <= np.maximum(2 * np.abs(b - truth), tol * (1 + np.abs(truth))))
                                  | (np.isnan(a) & np.isnan(b))), f"{where}: {key}: {a} vs {b}, float64 {truth}"
