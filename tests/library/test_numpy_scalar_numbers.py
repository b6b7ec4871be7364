"""A NumPy scalar argument is the Python number it holds (PyTorch's rule, which docs/pytorch.md's promotion follows):
an integer one an int, a floating or bool one a float (np.True_ is 1.0).  So every call with a NumPy scalar gives
what the same call with that Python number gives: the dtype (x_int * np.float16(2) is float32, the default, not
float16), the values, and the refusals."""

import numpy as np
import pytest

import minigan
from minigan.engine import checks

SCALARS = [np.float16(2.5), np.float32(-1.5), np.float64(0.25), np.int8(3), np.int16(-2), np.int32(2), np.int64(5),
           np.uint8(3), np.True_, np.False_]
TENSORS = {"float32": [1.5, -2.0, 0.5], "float64": [1.5, -2.0, 0.5], "int64": [1, -2, 3], "int32": [1, -2, 3],
           "uint8": [1, 2, 3], "bool": [True, False, True]}
CALLS = {
    "x + v": lambda m, x, v: x + v, "x - v": lambda m, x, v: x - v, "v - x": lambda m, x, v: m.rsub(x, v),
    "x * v": lambda m, x, v: x * v, "x / v": lambda m, x, v: x / v, "x ** v": lambda m, x, v: x ** v,
    "x < v": lambda m, x, v: x < v, "x.add_(v)": lambda m, x, v: x.clone().add_(v),
    "x.mul_(v)": lambda m, x, v: x.clone().mul_(v), "where": lambda m, x, v: m.where(x > 0, v, 0),
    "clamp(min=v)": lambda m, x, v: x.clamp(min=v), "full_like": lambda m, x, v: m.full_like(x, v),
    "bitwise_or": lambda m, x, v: x.bitwise_or(v), "arange": lambda m, x, v: m.arange(v, 6),
    "logit eps": lambda m, x, v: x.float().logit(eps=v), "x.add(1, alpha=v)": lambda m, x, v: x.add(1, alpha=v),
    "lerp weight": lambda m, x, v: m.lerp(x.double(), x.double() * 2, v),
    "x.lerp_(end, v)": lambda m, x, v: x.double().clone().lerp_(x.double() * 2, v),
}


def python_number(v):
    return int(v) if isinstance(v, np.integer) else float(v)


def _outcome(call, x, v):
    try:
        out = CALLS[call](minigan, x, v)
    except Exception as e:  # noqa: BLE001  (the class is compared)
        return type(e)
    return str(out.dtype), [str(v) for v in np.asarray(out.tolist(), dtype=float).round(6).reshape(-1)]  # (NaN: "nan")


def test_number_reads_a_numpy_scalar_as_pytorch_does():
    for v in SCALARS:
        n = checks.number(v)
        assert type(n) is (int if isinstance(v, np.integer) else float) and n == python_number(v)
    assert checks.number(2) == 2 and checks.number(True) is True and checks.number(None) is None


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("dtype", list(TENSORS))
def test_a_numpy_scalar_does_what_its_python_number_does(call, dtype):
    for v in SCALARS:
        x = minigan.tensor(TENSORS[dtype], dtype=getattr(minigan, dtype))
        with np.errstate(all="ignore"):
            assert _outcome(call, x, v) == _outcome(call, x, python_number(v)), (v, type(v).__name__)
