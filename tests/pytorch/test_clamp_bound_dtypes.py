"""clamp and clip by every kind of bound, against PyTorch: the input's dtype (bool, uint8, int64, float64) by each
bound's kind (None, a Python bool, int or float, a tensor of bool, uint8, int64 or float64, a 0-d bool tensor), by
each door (the function, the method, the in-place method, torch's in-place function, out=), on entries and on an
empty tensor.  PyTorch's result dtype and values, or its exception class: two tensor bounds on a bool tensor whose
dtypes all are bool reach a clamp kernel PyTorch has not for bools (NotImplementedError, "clamp_cpu" not
implemented for 'Bool'), where a single bool tensor bound (min or max alone) has its own kernel and runs."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["bool", "uint8", "int64", "float64"]
BOUNDS = [None, "True", "1", "0.5", "bool", "uint8", "int64", "float64", "0-d bool"]
DOORS = {
    "clamp": lambda L, x, lo, hi: L.clamp(x, lo, hi),
    "clip": lambda L, x, lo, hi: L.clip(x, min=lo, max=hi),
    "Tensor.clamp": lambda L, x, lo, hi: x.clamp(lo, hi),
    "Tensor.clip": lambda L, x, lo, hi: x.clip(min=lo, max=hi),
    "Tensor.clamp_": lambda L, x, lo, hi: x.clone().clamp_(lo, hi),
    "Tensor.clip_": lambda L, x, lo, hi: x.clone().clip_(lo, hi),
    "clamp_": lambda L, x, lo, hi: L.clamp_(x.clone(), min=lo, max=hi),
    "clamp out=": lambda L, x, lo, hi: L.clamp(x, lo, hi, out=L.empty(0, dtype=x.dtype)),
}


def _bound(L, kind, shape):
    if kind is None or kind in ("True", "1", "0.5"):
        return None if kind is None else {"True": True, "1": 1, "0.5": 0.5}[kind]
    if kind == "0-d bool":
        return L.tensor(True)
    values = np.resize(np.array([1, 0, 1]), shape[-1:]) if shape[-1] else np.zeros(0)
    return L.tensor(values).to(getattr(L, kind))


def _outcome(L, door, dtype, lo, hi, shape):
    x = L.tensor(np.resize(np.array([1, 0, 0, 1]), shape)).to(getattr(L, dtype))
    out = outcome(DOORS[door], L, x, _bound(L, lo, shape), _bound(L, hi, shape))
    return out if isinstance(out, Exception) else (str(out.dtype).split(".")[-1], out.double().tolist())


@pytest.mark.parametrize("shape", [(2, 3), (0, 3)], ids=str)
@pytest.mark.parametrize("door", sorted(DOORS))
@pytest.mark.parametrize("dtype", DTYPES)
def test_clamp_by_every_kind_of_bound_as_pytorch(dtype, door, shape):
    none_differ([(door, dtype, lo, hi, shape) for lo, hi in itertools.product(BOUNDS, BOUNDS)], _outcome,
                lambda ours, theirs: refused_or_equal(ours, theirs, one_line=True), torch, minigan)
