"""A p-norm over one entry per norm, against PyTorch.

PyTorch's norm of one entry is |x| for every order, NaN included, except for a 0-d input given a dim (0 or -1): that
goes through its sum of powers, (|x|^p)^(1/p), which is NaN for p = NaN (minigan gave |x|).  Over the doors
(linalg.vector_norm, linalg.norm, norm, Tensor.norm), shapes with one entry per norm, dims given or not and orders
NaN, fractional, negative and 3, minigan must give PyTorch's value and gradient.
"""

import itertools
import math

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES_AND_DIMS = [((), None), ((), 0), ((), -1), ((), [0]), ((), []), ((1,), 0), ((1,), None), ((3, 1), 1),
                   ((1, 3), 0)]
ORDERS = [math.nan, 0.5, -1.0, 3.0]
DOORS = ["linalg.vector_norm", "linalg.norm", "norm", "Tensor.norm"]


def _run(lib, shape, dim, p, door):
    x = lib.tensor(np.full(shape, -1.5), dtype=lib.float64, requires_grad=True)
    kw = {} if dim is None else {"dim": dim}
    if door == "linalg.norm" and shape == () and dim is None:
        kw = {}
    try:
        out = {"linalg.vector_norm": lambda: lib.linalg.vector_norm(x, p, **kw),
               "linalg.norm": lambda: lib.linalg.norm(x, p, **kw), "norm": lambda: lib.norm(x, p=p, **kw),
               "Tensor.norm": lambda: x.norm(p=p, **kw)}[door]()
        grad, = lib.autograd.grad(out.sum(), x)
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", str((np.asarray(out.tolist()).round(12).tolist(), np.asarray(grad.tolist()).round(12).tolist()))


@pytest.mark.parametrize("shape_and_dim,p,door", list(itertools.product(SHAPES_AND_DIMS, ORDERS, DOORS)))
def test_a_norm_of_one_entry_is_pytorchs(shape_and_dim, p, door):
    expected, got = _run(torch, *shape_and_dim, p, door), _run(minigan, *shape_and_dim, p, door)
    where = f"{door}(shape {shape_and_dim[0]}, dim={shape_and_dim[1]}, p={p})"
    same_outcome(got, expected, where)
