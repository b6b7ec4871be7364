"""quantile refuses in PyTorch's order and with its classes: a number q's range (NaN too), the interpolation, then
an empty input, q's dimensions, the input's dtype, q's dtype, dim (IndexError), and last a tensor q's range (NaN
too); each case breaks two rules at once, so only the order tells which refusal comes first."""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

F64 = "float64"
QS = {"number 0.5": 0.5, "number 1.5": 1.5, "number nan": float("nan"), "tensor 0.5": ("t", [0.5], F64),
      "tensor -1.2": ("t", -1.2, F64), "tensor nan": ("t", [0.2, float("nan")], F64),
      "tensor 2-D": ("t", [[0.2]], F64), "tensor float32": ("t", 0.2, "float32")}
INPUTS = {"float64": (np.arange(6.0).reshape(2, 3), F64), "int32": (np.arange(6).reshape(2, 3), "int32"),
          "empty": (np.zeros((0, 3)), F64)}
DIMS = [None, 1, -3, 4]
INTERPOLATIONS = ["linear", "nearest", "Linear"]


def _outcome(L, x, q, dim, interpolation):
    xs, dtype = INPUTS[x]
    t = L.tensor(xs, dtype=getattr(L, dtype))
    qv = QS[q]
    qv = L.tensor(qv[1], dtype=getattr(L, qv[2])) if isinstance(qv, tuple) else qv
    out = outcome(lambda: t.quantile(qv, dim=dim, interpolation=interpolation))
    return out if isinstance(out, Exception) else np.asarray(out.detach().numpy(), dtype=float)


@pytest.mark.parametrize("x, q, dim, interpolation", list(itertools.product(INPUTS, QS, DIMS, INTERPOLATIONS)))
def test_quantile_refuses_in_pytorchs_order(x, q, dim, interpolation):
    got, want = _outcome(minigan, x, q, dim, interpolation), _outcome(torch, x, q, dim, interpolation)
    if isinstance(want, Exception):
        assert isinstance(got, type(want)), f"PyTorch {type(want).__name__}: {want} | minigan {got!r}"
        if isinstance(want, IndexError) or "range [0, 1]" in str(want) or "interpolation" in str(want):
            assert ("axis" in str(got)) == isinstance(want, IndexError)  # (the same rule broken first)
            assert ("interpolation" in str(got)) == ("interpolation" in str(want))
    else:
        assert not isinstance(got, Exception), f"minigan refused where PyTorch computes: {got}"
        np.testing.assert_allclose(got, want, equal_nan=True)
