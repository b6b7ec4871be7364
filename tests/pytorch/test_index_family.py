"""The index family on a dimension of size 0 (or a source of no elements), against PyTorch
(tests/pytorch/sweep.py).

PyTorch checks an index against the dimension it reads only where its kernel reads it: index_add checks every
index of a 1-d (or 0-d) input, even an empty one (an IndexError "index out of range in self"), but skips an empty
input of more dimensions; index_copy writes, so checks, nothing when the source has no elements.  For each op of the
family (index_add, index_copy, index_fill, index_select, index_put_, x[i] and x[i] = v, scatter, scatter_add,
gather, take), minigan must run where PyTorch runs, with its values, and refuse where PyTorch refuses, with its
exception class.
"""

import pytest

from pytorch.sweep import sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _i(lib, *v):
    return lib.tensor(list(v), dtype=lib.int64)


# name -> the call, on an input with an empty dimension (or a source of no elements)
CALLS = {
    "index_add_ 1-d empty": lambda L: L.zeros(0).index_add_(0, _i(L, 0, 0), L.ones(2)),
    "index_add 1-d empty": lambda L: L.zeros(0).index_add(0, _i(L, 0), L.ones(1)),
    "torch.index_add 1-d empty": lambda L: L.index_add(L.zeros(0), 0, _i(L, -1), L.ones(1)),
    "index_add_ 1-d empty, no index": lambda L: L.zeros(0).index_add_(0, _i(L), L.ones(0)),
    "index_add_ 2-d empty rows": lambda L: L.zeros(0, 4).index_add_(0, _i(L, 0, 0), L.ones(2, 4)),
    "index_add_ 2-d empty rows, -1": lambda L: L.zeros(0, 2).index_add_(0, _i(L, -1), L.ones(1, 2)),
    "index_add_ 2-d empty columns": lambda L: L.zeros(2, 0).index_add_(0, _i(L, 5), L.ones(1, 0)),
    "index_add_ 2-d dim 1": lambda L: L.zeros(0, 4).index_add_(1, _i(L, 5), L.ones(0, 1)),
    "index_add_ 1-d, -1": lambda L: L.zeros(3).index_add_(0, _i(L, -1), L.ones(1)),
    "index_add_ 0-d": lambda L: L.zeros(()).index_add_(0, _i(L, 1), L.ones(())),
    "index_copy_ 1-d empty": lambda L: L.zeros(0).index_copy_(0, _i(L, 0, 0), L.ones(2)),
    "index_copy_ 2-d empty rows": lambda L: L.zeros(0, 4).index_copy_(0, _i(L, 0, 0), L.ones(2, 4)),
    "index_copy_ empty source, dim 0": lambda L: L.zeros(3, 0).index_copy_(0, _i(L, 5), L.ones(1, 0)),
    "index_copy_ empty source, dim 1": lambda L: L.zeros(0, 4).index_copy_(1, _i(L, 5), L.ones(0, 1)),
    "index_copy empty source, -1": lambda L: L.zeros(0, 4).index_copy(1, _i(L, -1), L.ones(0, 1)),
    "index_copy_ 2-d, 5": lambda L: L.zeros(3, 4).index_copy_(1, _i(L, 5), L.ones(3, 1)),
    "index_fill_ 1-d empty": lambda L: L.zeros(0).index_fill_(0, _i(L, 0, 0), 1.0),
    "index_fill_ 2-d empty rows": lambda L: L.zeros(0, 4).index_fill_(0, _i(L, 0), 1.0),
    "index_fill_ 2-d dim 1": lambda L: L.zeros(0, 4).index_fill_(1, _i(L, 5), 1.0),
    "index_select 1-d empty": lambda L: L.zeros(0).index_select(0, _i(L, 0, 0)),
    "index_select 2-d empty rows": lambda L: L.zeros(0, 4).index_select(0, _i(L, 0)),
    "index_select 2-d dim 1": lambda L: L.zeros(0, 4).index_select(1, _i(L, 5)),
    "index_put_": lambda L: L.zeros(0).index_put_((_i(L, 0, 0),), L.ones(2)),
    "index_put_ accumulate": lambda L: L.zeros(0).index_put_((_i(L, 0),), L.ones(1), accumulate=True),
    "index_put_ 2-d": lambda L: L.zeros(0, 4).index_put_((_i(L, 0),), L.ones(1, 4)),
    "x[i]": lambda L: L.zeros(0)[_i(L, 0)],
    "x[i] = v": lambda L: L.zeros(0).__setitem__(_i(L, 0), 1.0),
    "scatter_": lambda L: L.zeros(0).scatter_(0, _i(L, 0, 0), L.ones(2)),
    "scatter_ value": lambda L: L.zeros(0).scatter_(0, _i(L, 0), 1.0),
    "scatter_add_": lambda L: L.zeros(0).scatter_add_(0, _i(L, 0), L.ones(1)),
    "scatter_ empty index": lambda L: L.zeros(0, 4).scatter_(0, L.zeros(0, 4, dtype=L.int64), L.ones(0, 4)),
    "gather": lambda L: L.zeros(0).gather(0, _i(L, 0)),
    "gather empty index": lambda L: L.zeros(0, 4).gather(0, L.zeros(0, 4, dtype=L.int64)),
    "take": lambda L: L.zeros(0).take(_i(L, 0)),
}


test_the_index_family_on_an_empty_dimension_runs_and_refuses_as_pytorch = sweep(
    lambda L, name: CALLS[name](L), list(CALLS), every=1)
