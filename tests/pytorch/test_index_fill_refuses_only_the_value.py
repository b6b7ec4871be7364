"""index_fill with a value that requires grad and an index PyTorch's backward reads out of range, against PyTorch.

PyTorch's backward of index_fill gives input's gradient (the incoming gradient with the filled slices zeroed) and
value's (the incoming gradient selected at the index as given, then summed); only the second reads the index, so
a negative index (or one past the end of an empty slice, or an empty index of a 0-d input) refuses value's gradient
and nothing else: ``autograd.grad(out, [x])`` runs, and so does ``backward()`` where value is not a leaf to reach.
Over the doors (the function, the method, the in-place method on a non-leaf), dims and indices, and which
gradients are asked for, minigan must give PyTorch's gradients or raise PyTorch's class.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import refused_alike

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CASES = [((2, 3), 0, [-1]), ((2, 3), 1, [-1, 0]), ((2, 3), -1, [-3]), ((2, 3), 0, [1]), ((2, 3), 1, [0, 2, -2]),
         ((3,), 0, [-1]), ((3,), 0, [2]), ((), 0, []), ((), 0, [0]), ((0, 2), 0, [-1])]
DOORS = ["index_fill", "Tensor.index_fill", "Tensor.index_fill_"]
ASKED = ["x", "value", "both", "backward", "x, value not requiring grad"]


def _run(lib, shape, dim, index, door, asked):
    x = lib.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape), dtype=lib.float64, requires_grad=True)
    v = lib.tensor(2.5, dtype=lib.float64, requires_grad=asked != "x, value not requiring grad")
    i = lib.tensor(index, dtype=lib.int64)
    try:
        out = {"index_fill": lambda: lib.index_fill(x, dim, i, v), "Tensor.index_fill": lambda: x.index_fill(dim, i, v),
               "Tensor.index_fill_": lambda: (x * 1).index_fill_(dim, i, v)}[door]()
        loss = (out * lib.arange(1.0, 1.0 + out.numel(), dtype=lib.float64).reshape(out.shape)).sum()
        if asked == "backward":
            loss.backward()
            return "ran", [x.grad.tolist(), v.grad.tolist()]
        leaves = {"x": [x], "value": [v], "both": [x, v]}.get(asked, [x])
        return "ran", [g.tolist() for g in lib.autograd.grad(loss, leaves)]
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e


@pytest.mark.parametrize("case,door,asked", list(itertools.product(CASES, DOORS, ASKED)))
def test_only_the_values_gradient_is_refused_as_pytorchs(case, door, asked):
    expected, got = _run(torch, *case, door, asked), _run(minigan, *case, door, asked)
    where = f"{door}{case} asking {asked}"
    if refused_alike(got, expected, where):
        return
    assert got[1] == expected[1], f"{where}: gradients {got[1]} vs PyTorch's {expected[1]}"
