"""F.rms_norm's result dtype and values against PyTorch: the input's dtype whatever the weight's.

PyTorch's rms_norm computes x·rsqrt(mean(x²) + eps) in the input's computation dtype (float32 for float16, whose
default eps is then float32's), multiplies by the weight there, and returns the input's dtype (type_as); minigan
promoted with the weight (a float32 input and a float64 weight gave float64) and computed float16 in float16.  Over
input dtypes (integers and bool refused), weight dtypes, eps None, a number and 0, shapes (empty too) and values with
NaN and ±inf, the dtype, values and first-order gradients must be PyTorch's.
"""

import itertools
import warnings

import numpy as np
import pytest
from conftest import default_slice

import minigan
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

RNG = np.random.default_rng(66)


def _run(lib, shape, dtype, wdtype, eps, values, grad):
    floating = dtype.startswith("float")
    x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=grad and floating)
    w = None if wdtype is None else lib.tensor(np.linspace(-2, 2, shape[-1]), dtype=getattr(lib, wdtype),
                                               requires_grad=grad and wdtype.startswith("float"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (PyTorch's note that mixed dtypes take its unfused path)
            out = lib.nn.functional.rms_norm(x, shape[-1:], w, eps)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return {"raised": e}
    got = {"out": out.detach().double().numpy(), "dtype": str(out.dtype).split(".")[-1]}
    leaves = [t for t in (x, w) if t is not None and t.requires_grad]
    if out.requires_grad and out.numel() and leaves:
        got["grads"] = [g.double().numpy() for g in lib.autograd.grad((out * out).sum(), leaves)]
    return got


CASES = [c for c in itertools.product([(2, 5), (3,), (2, 3, 4), (0, 4), (2, 0)],
                                      ["float64", "float32", "float16", "int64", "bool"],
                                      [None, "float64", "float32", "float16", "int64"], [None, 1e-3, 0.0],
                                      [False, True], [False, True])
         if not (c[1] in ("int64", "bool") and (c[4] or c[5]))]


# Every 23rd case by default (and each value of each of the case's six parts), the rest under -m parity
@pytest.mark.parametrize("case", default_slice([pytest.param(c, id=str(i)) for i, c in enumerate(CASES)], 23,
                                               cover=[lambda case, i=i: repr(case[i]) for i in range(6)]))
def test_rms_norm_against_pytorch(case):
    shape, dtype, wdtype, eps, special, grad = case
    values = np.round(RNG.normal(size=shape) * 3, 2)
    if special and values.size >= 3:
        values.reshape(-1)[[0, -1]] = [np.inf, np.nan]
    values = values > 0 if dtype == "bool" else values
    with np.errstate(all="ignore"):
        expected, got = (_run(lib, shape, dtype, wdtype, eps, values, grad) for lib in (torch, minigan))
    where = f"rms_norm{case}"
    if "raised" in expected:
        assert "raised" in got and isinstance(got["raised"], _builtin(expected["raised"])), \
            f"{where}: PyTorch raises {expected['raised']!r}; minigan {got.get('raised', 'ran')!r}"
        return
    assert "raised" not in got, f"{where}: PyTorch runs; minigan raises {got['raised']!r}"
    assert got["dtype"] == expected["dtype"] and got.keys() == expected.keys(), f"{where}: {got['dtype']}"
    tol = {"float64": 1e-12, "float32": 1e-5}.get(dtype, 2e-3)
    for key in ("out", "grads"):
        for a, b in zip(*(v if key == "grads" else [v] for v in (got.get(key, []), expected.get(key, [])))):
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True, err_msg=f"{where}: {key}")
