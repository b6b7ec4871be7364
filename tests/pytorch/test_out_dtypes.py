"""Which result dtypes ``out=`` takes, against PyTorch: its rule (c10's canCast) refuses only a floating result into
an integer or bool ``out`` and a non-bool result into a bool one; any integer result goes into any integer ``out``,
signed into unsigned too (an int64 result into uint8 wraps), as the in-place ops write.  NumPy's "same_kind",
which refused int64 into uint8, is not that rule.  Over the elementwise kernels and the concatenations, inputs of
each dtype by an ``out`` of each dtype: PyTorch's values, or its exception class.  (Kernels with rules of their own
are not here: abs, neg, where, gather, index_select, amax, mm and tril want out's dtype to be the result's; sum, prod
and cumsum compute in out's dtype.)"""

import itertools
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["bool", "uint8", "int8", "int32", "int64", "float32", "float64"]
CALLS = {  # (the library, x a 2 x 3 tensor of the input dtype): the call without out=, kernels of PyTorch's rule
    "add": lambda L, x: (L.add, (x, x)),
    "mul": lambda L, x: (L.mul, (x, x)),
    "sub": lambda L, x: (L.sub, (x, x)),
    "maximum": lambda L, x: (L.maximum, (x, x)),
    "clamp": lambda L, x: (L.clamp, (x, x, x)),
    "clamp_min": lambda L, x: (L.clamp_min, (x, x)),
    "remainder": lambda L, x: (L.remainder, (x, 3)),
    "bitwise_and": lambda L, x: (L.bitwise_and, (x, x)),
    "cat": lambda L, x: (L.cat, ([x, x],)),
    "stack": lambda L, x: (L.stack, ([x, x],)),
}


def _outcome(L, name, dtype, out_dtype):
    x = L.tensor(np.array([[3, 0, 250], [1, 2, 7]])).to(getattr(L, dtype))
    fn, args = CALLS[name](L, x)
    out = L.zeros(0, dtype=getattr(L, out_dtype))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            fn(*args, out=out)
        except Exception as e:  # noqa: BLE001 (the class is compared)
            return e
    return str(out.dtype).split(".")[-1], out.double().tolist()


def _builtin(error):
    return next(c for c in type(error).__mro__ if c.__module__ == "builtins")


@pytest.mark.parametrize("name", sorted(CALLS))
def test_out_takes_the_result_dtypes_pytorchs_takes(name):
    differ = []
    for dtype, out_dtype in itertools.product(DTYPES, DTYPES):
        theirs, ours = (_outcome(L, name, dtype, out_dtype) for L in (torch, minigan))
        if isinstance(theirs, Exception):
            same = isinstance(ours, _builtin(theirs))
        else:
            same = ours == theirs
        if not same:
            differ.append(f"{dtype} into out {out_dtype}: PyTorch {theirs!r:.80}, minigan {ours!r:.80}")
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:8])
