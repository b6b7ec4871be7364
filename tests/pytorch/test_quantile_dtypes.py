"""quantile's input dtypes against PyTorch's: float32 and float64 only (PyTorch refuses float16 with a RuntimeError,
"input tensor must be either float or double dtype", where minigan computed it), over q given as a number, a 0-d
and a 1-D tensor of each dtype, with and without dim.  Found by outsider round 5's dtype survey."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

DTYPES = ["float16", "float32", "float64", "int64", "int32", "uint8", "bool"]
Q = {"number": lambda T, d: 0.25, "0-d same dtype": lambda T, d: T.tensor(0.25, dtype=getattr(T, d)),
     "1-d same dtype": lambda T, d: T.tensor([0.1, 0.9], dtype=getattr(T, d)),
     "1-d float32": lambda T, d: T.tensor([0.1, 0.9])}


def _outcome(T, dtype, q, dim):
    x = T.tensor([[3.0, 1.0, 2.0], [0.0, 5.0, 4.0]]).to(getattr(T, dtype))
    r = outcome(lambda: T.quantile(x, Q[q](T, dtype), dim=dim))
    if isinstance(r, Exception):
        return r
    return str(r.dtype).split(".")[-1], tuple(r.shape), [round(v, 3) for v in r.double().reshape(-1).tolist()]


CASES = [(d, q, dim) for d in DTYPES for q in Q for dim in (None, 1)]


@pytest.mark.parametrize("dtype, q, dim", CASES, ids=[f"{d}-{q}-{dim}" for d, q, dim in CASES])
def test_quantile_dtypes_as_pytorch(dtype, q, dim):
    theirs, mine = _outcome(torch, dtype, q, dim), _outcome(minigan, dtype, q, dim)
    if isinstance(theirs, Exception):
        assert isinstance(mine, type(theirs)), f"PyTorch raised {theirs!r}, minigan gave {mine!r}"
    else:
        assert mine == theirs
