"""Doors against PyTorch: bernoulli's p is a number where PyTorch's argument parser reads one (a Python bool, a 0-d
tensor that does not require grad; a 0-d tensor that requires grad, or one of more entries, is a TypeError), by
position or by name, function or method; histogram refuses a weight of another dtype at the call (RuntimeError);
round(decimals=) lays its result out as its input, as PyTorch's (a permuted view's result is not row-major)."""

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

P = {"True": lambda L: True, "0-d 1.0": lambda L: L.tensor(1.0), "0-d False": lambda L: L.tensor(False),
     "0-d requiring grad": lambda L: L.tensor(1.0, requires_grad=True), "1-d": lambda L: L.tensor([1.0]),
     "0-d 2.5": lambda L: L.tensor(2.5)}
CALLS = {"bernoulli(x, p)": lambda L, x, p: L.bernoulli(x, p), "bernoulli(x, p=p)": lambda L, x, p: L.bernoulli(x, p=p),
         "x.bernoulli(p)": lambda L, x, p: x.bernoulli(p), "x.bernoulli(p=p)": lambda L, x, p: x.bernoulli(p=p)}


def _outcome(f):
    return outcome(lambda: f())


@pytest.mark.parametrize("dtype", ["float64", "int64"])
@pytest.mark.parametrize("p", list(P))
@pytest.mark.parametrize("call", list(CALLS))
def test_bernoulli_reads_p_as_pytorchs_parser_does(call, p, dtype):
    ours, theirs = (_outcome(lambda L=L: CALLS[call](L, L.zeros(3, dtype=getattr(L, dtype)), P[p](L)))
                    for L in (minigan, torch))
    if isinstance(theirs, Exception):
        builtin = next(t for t in type(theirs).__mro__ if t.__module__ == "builtins")
        assert isinstance(ours, builtin), (ours, theirs)
    else:  # (p of 0 or 1: the draw is certain)
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy())
        assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1]


@pytest.mark.parametrize("weight", ["bool", "float32", "int64", "float64"])
def test_histogram_refuses_a_weight_of_another_dtype(weight):
    ours, theirs = (_outcome(lambda L=L: L.histogram(L.tensor([0.5, 1.0, 2.0], dtype=L.float64), 2,
                                                     weight=L.ones(3, dtype=getattr(L, weight))))
                    for L in (minigan, torch))
    if isinstance(theirs, Exception):
        assert isinstance(ours, RuntimeError) and isinstance(theirs, RuntimeError), (ours, theirs)
    else:
        np.testing.assert_array_equal(ours[0].numpy(), theirs[0].numpy())


@pytest.mark.parametrize("decimals", [0, 1, -1])
def test_round_lays_out_its_result_as_its_input(decimals):
    x = np.linspace(-3.0, 3.0, 24).reshape(2, 3, 4)
    for L in (minigan, torch):
        y = L.round(L.tensor(x).permute(2, 0, 1), decimals=decimals)
        flat = y.flatten()
        shares = np.shares_memory(y.numpy(), flat.numpy()) if L is minigan else \
            y.untyped_storage().data_ptr() == flat.untyped_storage().data_ptr()
        assert not shares, f"{L.__name__}: the result of a permuted view is laid out as the view (flatten copies)"
