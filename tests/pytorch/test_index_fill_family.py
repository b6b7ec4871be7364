"""index_fill and index_fill_ over their arguments against PyTorch: dtypes (float, int, bool), 0-d to 2-d inputs,
dims in and out of range, indices negative, repeated, empty, out of range, of another dtype or rank, values as
numbers, NumPy scalars and 0-d tensors that require grad or not.  Values, dtype, requires_grad, gradients and the
class of each refusal agree; PyTorch's backward reads the value's gradient at the index as given, so a negative
index (or an empty one of a 0-d input) refuses there, and minigan's backward does too."""

import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import none_differ, outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INDICES = [([0, 2], "int64"), ([-1], "int64"), ([3], "int64"), ([0, 0], "int64"), ([0], "int32"), ([], "int64"),
           ([[0]], "int64"), ([0.0], "float32"), (0, "int64")]
VALUES = [2.5, -1, True, np.float64(2.5), np.True_, "tensor", "tensor that requires grad", "1-d tensor", "int tensor"]


def _run(lib, dtype, shape, dim, index, value, in_place, self_grad):
    data = np.arange(np.prod(shape)).reshape(shape)
    x = lib.tensor(data % 3 == 1 if dtype == "bool" else data, dtype=getattr(lib, dtype))
    leaf = x.clone().requires_grad_() if self_grad and dtype.startswith("float") else None
    x = x if leaf is None else leaf * 1
    idx = lib.tensor(index[0], dtype=getattr(lib, index[1]))
    v = {"tensor": lambda: lib.tensor(2.5, dtype=lib.float64),
         "tensor that requires grad": lambda: lib.tensor(2.5, dtype=lib.float64, requires_grad=True),
         "1-d tensor": lambda: lib.tensor([2.5], dtype=lib.float64), "int tensor": lambda: lib.tensor(3)}.get(
        value, lambda: value)()
    out = outcome(lambda: x.clone().index_fill_(dim, idx, v) if in_place else x.index_fill(dim, idx, v))
    if isinstance(out, Exception):
        return ("refused", out)
    result = (str(out.dtype).split(".")[-1], out.requires_grad, np.asarray(out.detach().tolist(), dtype=float).tolist())
    if not out.requires_grad:
        return result
    wanted = [t for t in (leaf, v) if isinstance(t, lib.Tensor) and t.requires_grad]
    grads = outcome(lambda: lib.autograd.grad(out.sum(), wanted))
    if isinstance(grads, Exception):
        return (result, ("backward refused", grads))
    return result, [np.asarray(g.tolist()).tolist() for g in grads]


def _same(ours, theirs):
    if isinstance(theirs, Exception):  # (minigan's class is PyTorch's, or a subclass of it)
        return isinstance(ours, type(theirs))
    if isinstance(theirs, tuple) and isinstance(ours, tuple) and len(ours) == len(theirs):
        return all(_same(a, b) for a, b in zip(ours, theirs))
    return ours == theirs


@pytest.mark.parametrize("shape", [(3, 4), (4,), ()])
@pytest.mark.parametrize("dtype", ["float64", "int64", "bool"])
def test_index_fill_agrees_with_pytorch(dtype, shape):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        none_differ([(dtype, shape, *case) for case in itertools.product([0, 1, -1, 2], INDICES, VALUES, [False, True],
                                                                          [False, True])], _run, _same, torch, minigan)
