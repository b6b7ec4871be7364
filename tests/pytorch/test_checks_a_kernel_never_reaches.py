"""Checks PyTorch's kernel never reaches: an argument it does not read is not checked (two held-out surface programs,
12128540 and 12133185).  ``diff`` of order 0 without prepend or append is a copy of its input whatever ``dim`` says
(PyTorch returns before it reads dim); ``repeat_interleave`` with a tensor of counts checks them for negatives only
once they are expanded to the entries along dim, so that no entries read no count (an int count is always checked).
Each case against PyTorch: the result (shape, dtype, values, a copy) or the exception class."""
import numpy as np
import pytest

torch = pytest.importorskip("torch")
import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

SHAPES = [(3,), (3, 1), (0, 3), (2, 0), (0,), (2, 3, 4)]


def _outcome(L, make):
    r = outcome(lambda: make(L))
    if isinstance(r, Exception):
        return ("raises", r)
    return ("ok", tuple(r.shape), str(r.dtype).split(".")[-1], np.asarray(r.detach().numpy()).tolist())


def _compare(make):
    ours, theirs = _outcome(minigan, make), _outcome(torch, make)
    if theirs[0] == "raises" and ours[0] == "raises":  # (minigan's classes subclass PyTorch's built-in ones)
        assert isinstance(ours[1], type(theirs[1])), f"minigan {ours[1]!r}, PyTorch {theirs[1]!r}"
    else:
        assert ours == theirs


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("n", [0, 1, 2])
@pytest.mark.parametrize("dim", [-4, -3, -1, 0, 1, 2, 3])
@pytest.mark.parametrize("joined", [None, "prepend", "append"])
def test_diff_reads_dim_only_when_it_computes(shape, n, dim, joined):
    def make(L):
        x = L.arange(int(np.prod(shape)), dtype=L.float64).reshape(shape) ** 2
        extra = {joined: L.zeros(shape, dtype=L.float64)} if joined else {}
        y = x.diff(n, dim, **extra)
        assert y is not x and (y.numel() == 0 or y.data_ptr() != x.data_ptr())  # (a copy, never the input itself)
        return y
    _compare(make)


@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("repeats", [-1, "0-d -1", "[-1]", "[2, -1, 1]", "[]", 2, "0-d 0"])
@pytest.mark.parametrize("dim", [None, 0, 1, -1])
@pytest.mark.parametrize("door", ["method", "function"])
def test_repeat_interleave_checks_the_counts_it_reads(shape, repeats, dim, door):
    def make(L):
        x = L.arange(int(np.prod(shape)), dtype=L.float64).reshape(shape)
        r = repeats
        if isinstance(r, str):
            r = L.tensor(int(r.split()[1])) if r.startswith("0-d") else L.tensor(eval(r), dtype=L.int64)
        return x.repeat_interleave(r, dim=dim) if door == "method" else L.repeat_interleave(x, r, dim=dim)
    _compare(make)
