"""index_fill against PyTorch (tests/pytorch/sweep.py):

* index_fill and index_fill_ over their arguments: dtypes (float, int, bool), 0-d to 2-d inputs, dims in and out of
  range, indices negative, repeated, empty, out of range, of another dtype or rank, values as numbers, NumPy scalars
  and 0-d tensors that require grad or not.  Values, dtype, requires_grad, gradients and the class of each refusal
  agree; PyTorch's backward reads the value's gradient at the index as given, so a negative index (or an empty one
  of a 0-d input) refuses there, and minigan's backward does too;
* with a value that requires grad and an index PyTorch's backward reads out of range: PyTorch's backward of
  index_fill gives input's gradient (the incoming gradient with the filled slices zeroed) and value's (the incoming
  gradient selected at the index as given, then summed); only the second reads the index, so a negative index (or
  one past the end of an empty slice, or an empty index of a 0-d input) refuses value's gradient and nothing else:
  ``autograd.grad(out, [x])`` runs, and so does ``backward()`` where value is not a leaf to reach.  Over the doors
  (the function, the method, the in-place method on a non-leaf), dims and indices, and which gradients are asked
  for, minigan must give PyTorch's gradients or raise PyTorch's class.
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INDICES = [([0, 2], "int64"), ([-1], "int64"), ([3], "int64"), ([0, 0], "int64"), ([0], "int32"), ([], "int64"),
           ([[0]], "int64"), ([0.0], "float32"), (0, "int64")]
VALUES = [2.5, -1, True, np.float64(2.5), np.True_, "tensor", "tensor that requires grad", "1-d tensor", "int tensor"]


def _filled(L, dtype, shape, dim, index, value, in_place, self_grad):
    data = np.arange(np.prod(shape)).reshape(shape)
    x = L.tensor(data % 3 == 1 if dtype == "bool" else data, dtype=getattr(L, dtype))
    leaf = x.clone().requires_grad_() if self_grad and dtype.startswith("float") else None
    x = x if leaf is None else leaf * 1
    idx = L.tensor(index[0], dtype=getattr(L, index[1]))
    v = {"tensor": lambda: L.tensor(2.5, dtype=L.float64),
         "tensor that requires grad": lambda: L.tensor(2.5, dtype=L.float64, requires_grad=True),
         "1-d tensor": lambda: L.tensor([2.5], dtype=L.float64), "int tensor": lambda: L.tensor(3)}.get(
        value, lambda: value)()
    out = x.clone().index_fill_(dim, idx, v) if in_place else x.index_fill(dim, idx, v)
    if not out.requires_grad:
        return out.detach(), False
    wanted = [t for t in (leaf, v) if isinstance(t, L.Tensor) and t.requires_grad]
    return out.detach(), True, outcome(lambda: L.autograd.grad(out.sum(), wanted))  # (a refusal compared by class)


test_index_fill_agrees_with_pytorch = sweep(_filled, list(itertools.product(
    ["float64", "int64", "bool"], [(3, 4), (4,), ()], [0, 1, -1, 2], INDICES, VALUES, [False, True], [False, True])),
    group=lambda dtype, shape, *_: f"{dtype}-{shape}")


def _value_gradient(L, shape, dim, index, door, asked):
    x = L.tensor(np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape), dtype=L.float64, requires_grad=True)
    v = L.tensor(2.5, dtype=L.float64, requires_grad=asked != "x, value not requiring grad")
    i = L.tensor(index, dtype=L.int64)
    out = {"index_fill": lambda: L.index_fill(x, dim, i, v), "Tensor.index_fill": lambda: x.index_fill(dim, i, v),
           "Tensor.index_fill_": lambda: (x * 1).index_fill_(dim, i, v)}[door]()
    loss = (out * L.arange(1.0, 1.0 + out.numel(), dtype=L.float64).reshape(out.shape)).sum()
    if asked == "backward":
        loss.backward()
        return x.grad, v.grad
    return L.autograd.grad(loss, {"x": [x], "value": [v], "both": [x, v]}.get(asked, [x]))


test_only_the_values_gradient_is_refused_as_pytorchs = sweep(_value_gradient, [
    (*case, door, asked) for case, door, asked in itertools.product(
        [((2, 3), 0, [-1]), ((2, 3), 1, [-1, 0]), ((2, 3), -1, [-3]), ((2, 3), 0, [1]), ((2, 3), 1, [0, 2, -2]),
         ((3,), 0, [-1]), ((3,), 0, [2]), ((), 0, []), ((), 0, [0]), ((0, 2), 0, [-1])],
        ["index_fill", "Tensor.index_fill", "Tensor.index_fill_"],
        ["x", "value", "both", "backward", "x, value not requiring grad"])])
