"""quantile against PyTorch (tests/pytorch/sweep.py):

* its input dtypes: float32 and float64 only (PyTorch refuses float16 with a RuntimeError, "input tensor must be
  either float or double dtype", where minigan computed it), over q given as a number, a 0-d and a 1-D tensor of each
  dtype, with and without dim (found by outsider round 5's dtype survey);
* its results are laid out as PyTorch's whatever the input's layout: rows × q row-major, the q axis then moved first,
  so a later flatten() or view() is a view exactly where PyTorch's is (a permuted input made the result follow the
  input's layout);
* it refuses in PyTorch's order and with its classes: a number q's range (NaN too), the interpolation, then an empty
  input, q's dimensions, the input's dtype, q's dtype, dim (IndexError), and last a tensor q's range (NaN too); each
  case breaks two rules at once, so only the order tells which refusal comes first.
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

Q = {"number": lambda L, d: 0.25, "0-d same dtype": lambda L, d: L.tensor(0.25, dtype=getattr(L, d)),
     "1-d same dtype": lambda L, d: L.tensor([0.1, 0.9], dtype=getattr(L, d)),
     "1-d float32": lambda L, d: L.tensor([0.1, 0.9])}


def _dtypes(L, dtype, q, dim):
    x = L.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]).to(getattr(L, dtype))
    return close(L.quantile(x, Q[q](L, dtype), dim=dim), 1e-6, 1e-6)


test_quantile_dtypes_as_pytorch = sweep(_dtypes, list(itertools.product(
    ["float16", "float32", "float64", "int64", "int32", "uint8", "bool"], Q, (None, 1))))


def _layout(L, perm, dim, keepdim, q):
    """Contiguity, the strides of the dimensions longer than 1 (the others' strides are not used), the shape."""
    x = L.tensor(np.random.default_rng(0).normal(size=(2, 4, 3))).permute(*perm)
    qq = 0.25 if q == "number" else L.tensor([0.25, 0.5] if q == "two" else [0.3], dtype=L.float64)
    t = L.quantile(x, qq, dim=dim, keepdim=keepdim)
    return t.is_contiguous(), tuple(s for s, n in zip(t.stride(), t.shape) if n > 1), tuple(t.shape)


test_quantile_result_layout_is_pytorchs = sweep(_layout, list(itertools.product(
    [(0, 1, 2), (0, 2, 1), (2, 1, 0), (1, 2, 0)], [0, 1, 2, -1, None], [False, True], ["number", "two", "one"])))
F64 = "float64"
QS = {"number 0.5": 0.5, "number 1.5": 1.5, "number nan": float("nan"), "tensor 0.5": ("t", [0.5], F64),
      "tensor -1.2": ("t", -1.2, F64), "tensor nan": ("t", [0.2, float("nan")], F64),
      "tensor 2-D": ("t", [[0.2]], F64), "tensor float32": ("t", 0.2, "float32")}
INPUTS = {"float64": (np.arange(6.0).reshape(2, 3), F64), "int32": (np.arange(6).reshape(2, 3), "int32"),
          "empty": (np.zeros((0, 3)), F64)}


def _refusals(L, x, q, dim, interpolation):
    xs, dtype = INPUTS[x]
    qv = QS[q]
    qv = L.tensor(qv[1], dtype=getattr(L, qv[2])) if isinstance(qv, tuple) else qv
    return close(L.tensor(xs, dtype=getattr(L, dtype)).quantile(qv, dim=dim, interpolation=interpolation), 1e-7)


def _the_same_rule_first(ours, theirs):
    """Where PyTorch refuses a dim, q's range or the interpolation, minigan's message names the same rule."""
    if isinstance(theirs, IndexError) or isinstance(theirs, Exception) and (
            "range [0, 1]" in str(theirs) or "interpolation" in str(theirs)):
        if ("axis" in str(ours)) != isinstance(theirs, IndexError) or \
                ("interpolation" in str(ours)) != ("interpolation" in str(theirs)):
            return f"another rule first: minigan {ours!r:.100} | PyTorch {theirs!r:.100}"
    return None


test_quantile_refuses_in_pytorchs_order = sweep(
    _refusals, list(itertools.product(INPUTS, QS, [None, 1, -3, 4], ["linear", "nearest", "Linear"])),
    also=_the_same_rule_first)
