"""``reversed(t)`` is ``t.flip(0)``, a tensor (a 0-d tensor is itself), as PyTorch's Tensor.__reversed__, not
Python's iterator over the rows: values, dtype, shape and the gradient through it, against PyTorch."""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

MAKERS = {
    "vector": lambda lib: lib.arange(4.0),
    "matrix": lambda lib: lib.arange(6.0).reshape(3, 2),
    "int64": lambda lib: lib.tensor([3, 1, 2]),
    "bool": lambda lib: lib.tensor([True, False, False]),
    "0-d": lambda lib: lib.tensor(2.5),
    "empty": lambda lib: lib.zeros(0, 2),
    "transposed": lambda lib: lib.arange(6.0).reshape(2, 3).t(),
    "requires grad": lambda lib: lib.arange(3.0, dtype=lib.float64).requires_grad_(),
}


def _run(lib, make):
    x = make(lib)
    r = reversed(x)
    out = {"type": type(r).__name__, "is x": r is x, "dtype": str(r.dtype).split(".")[-1], "shape": tuple(r.shape),
           "values": np.asarray(r.detach().numpy()).tolist(), "requires_grad": r.requires_grad}
    if r.requires_grad:
        (r * lib.arange(1.0, r.shape[0] + 1, dtype=r.dtype)).sum().backward()
        out["grad"] = x.grad.tolist()
    return out


@pytest.mark.parametrize("kind", list(MAKERS))
def test_reversed_is_flip_along_the_first_dimension(kind):
    assert _run(minigan, MAKERS[kind]) == _run(torch, MAKERS[kind])
