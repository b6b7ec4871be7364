"""pow with a number base (torch.pow(2, x), 2 ** x) and a NumPy scalar base, against PyTorch.

PyTorch reads a NumPy scalar base as a number (np.int64(2) as 2, np.True_ as 1.0): pow(Scalar, Tensor) allocates its
result row-major, whatever the exponent's layout (a transpose, a permutation, an expanded tensor).  Over the kinds
of base (int, float, bool, NumPy's int64, int32, float64, float32 and bool_) and the exponent's layouts and dtypes,
minigan must give the same values, dtype and strides (or refuse with PyTorch's class).
"""

import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import refused_alike

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

BASES = [2, 2.5, True, np.int64(2), np.int32(3), np.float64(2.5), np.float32(0.5), np.bool_(True)]
LAYOUTS = ["contiguous", "t", "permute", "expand"]
DTYPES = ["float64", "float32", "int64"]


def _exponent(lib, layout, dtype):
    x = lib.tensor(np.arange(-3, 3).reshape(2, 3), dtype=getattr(lib, dtype))
    if layout == "t":
        return x.t()
    if layout == "permute":
        return x.reshape(1, 2, 3).permute(2, 0, 1)
    if layout == "expand":
        return x[:1].expand(4, 3)
    return x


def _run(lib, base, layout, dtype):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = lib.pow(base, _exponent(lib, layout, dtype))
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raise", e
    return "ok", (y.numpy(), str(y.dtype).split(".")[-1], tuple(y.stride()))


@pytest.mark.parametrize("base,layout,dtype", list(itertools.product(BASES, LAYOUTS, DTYPES)))
def test_a_number_base_gives_pytorchs_values_dtype_and_row_major_layout(base, layout, dtype):
    expected, got = _run(torch, base, layout, dtype), _run(minigan, base, layout, dtype)
    where = f"pow({type(base).__name__} {base}, {layout} {dtype})"
    if refused_alike(got, expected, where):
        return
    (a, dtype_a, strides_a), (b, dtype_b, strides_b) = got[1], expected[1]
    assert dtype_a == dtype_b, f"{where}: dtype {dtype_a} vs PyTorch's {dtype_b}"
    np.testing.assert_allclose(a, b, rtol=1e-6, err_msg=where)
    assert strides_a == strides_b, f"{where}: strides {strides_a} vs PyTorch's {strides_b}"
