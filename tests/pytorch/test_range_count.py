"""The deprecated ``range(start, end, step)`` counted as PyTorch's kernel counts, against PyTorch: the sign and the
bounds are checked on the numbers in double precision, then start, end and step are read in the kernel's
accumulating type (double for float32 and float64, float for float16, int64 for every integer dtype, where the
values then wrap: range(250, 260, dtype=uint8) runs through 255 to 4), and the count is ⌊(end − start) / step + 1⌋
in that type, the + 1 taken before the rounding down (range(0.1, 0.3, 0.1) has 3 values, though (0.3 − 0.1) / 0.1
is 1.9999999999999998).  A NumPy scalar is the number it holds (np.float32(0.1) is 0.10000000149011612, never
computed in float32).  arange, whose count is another formula, is checked over the same numbers."""

import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

STARTS = [0, 0.1, -0.5, 1, 2.5, np.float32(0.1), np.float16(0.1), np.int64(250), 250, 1e10]
ENDS = [0.3, 0.7, 1.0, 2.5, 3, -1, 260, 1e11, np.float32(0.3), np.float64(0.7), np.int32(3)]
STEPS = [0.1, 0.2, 1, -1, 3, -0.1, np.float32(0.1), np.float16(0.2), np.int64(1), 1e9, 1e10]
DTYPES = [None, "float64", "float32", "float16", "int64", "int32", "int8", "uint8"]


def _outcome(L, fn, args, dtype):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (range is deprecated, in both)
        out = outcome(getattr(L, fn), *args, **({} if dtype is None else {"dtype": getattr(L, dtype)}))
    return out if isinstance(out, Exception) else (str(out.dtype).split(".")[-1], np.asarray(out.tolist(), dtype=float))


def _skipped(args, dtype):
    """PyTorch's process dies where an integer dtype reads the step as 0; a count past 10^6 is left out (memory)."""
    start, end, step = (float(v) for v in args)
    integer = dtype in ("int64", "int32", "int8", "uint8") or dtype is None and all(
        isinstance(v, (int, np.integer)) for v in args)
    return integer and int(step) == 0 or abs(end - start) / abs(step) > 1e6


@pytest.mark.parametrize("fn", ["range", "arange"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_range_counts_as_pytorchs_kernel(fn, dtype):
    if fn == "arange" and dtype == "float16":  # PyTorch's vectorised arange rounds each block's first value to
        pytest.skip("float16 first (blocks of the CPU's vector width): its values are not one formula's")
    none_differ([(fn, args, dtype) for args in itertools.product(STARTS, ENDS, STEPS) if not _skipped(args, dtype)],
                _outcome, lambda ours, theirs: refused_or_equal(ours, theirs, equal=lambda o, t: o[0] == t[0] and (
                    o[1].shape == t[1].shape and np.allclose(o[1], t[1], rtol=1e-6, equal_nan=True))), torch, minigan)
