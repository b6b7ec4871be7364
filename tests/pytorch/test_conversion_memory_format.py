"""A conversion asked for memory_format=contiguous_format (x.to(dtype, ...), to(copy=True), float(), double(),
long(), cpu()) gives a row-major result where it copies, as PyTorch's; where nothing is converted it is the tensor
itself, as PyTorch's.  minigan's copy kept a transposed or permuted source's layout (preserve_format's)."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

SOURCES = {
    "row-major": lambda lib: lib.arange(24.0, dtype=lib.float64).reshape(2, 3, 4),
    "transposed": lambda lib: lib.arange(6.0, dtype=lib.float64).reshape(2, 3).t(),
    "permuted": lambda lib: lib.arange(24.0, dtype=lib.float64).reshape(2, 3, 4).permute(2, 0, 1),
    "channels-last": lambda lib: lib.arange(24.0, dtype=lib.float64).reshape(1, 2, 3, 4).permute(0, 2, 3, 1),
    "sliced": lambda lib: lib.arange(24.0, dtype=lib.float64).reshape(4, 6)[:, ::2],
    "expanded": lambda lib: lib.arange(3.0, dtype=lib.float64).expand(2, 3),
}
CALLS = {
    "to(float64)": lambda lib, x, f: x.to(lib.float64, memory_format=f),
    "to(float32)": lambda lib, x, f: x.to(lib.float32, memory_format=f),
    "to(int64)": lambda lib, x, f: x.to(lib.int64, memory_format=f),
    "to(dtype=, copy=True)": lambda lib, x, f: x.to(dtype=lib.float64, copy=True, memory_format=f),
    "to(memory_format= only)": lambda lib, x, f: x.to(memory_format=f),
    "float()": lambda lib, x, f: x.float(memory_format=f),
    "double()": lambda lib, x, f: x.double(memory_format=f),
    "long()": lambda lib, x, f: x.long(memory_format=f),
    "cpu()": lambda lib, x, f: x.cpu(memory_format=f),
}
FORMATS = ["contiguous_format", "preserve_format"]


def outcome(lib, source, call, fmt):
    x = SOURCES[source](lib).requires_grad_(True)
    y = CALLS[call](lib, x, getattr(lib, fmt))
    grad = None
    if y.is_floating_point():
        y.sum().backward()
        grad = x.grad.numpy()
    return (y.is_contiguous(), tuple(y.stride()), y.data_ptr() == x.data_ptr(), str(y.dtype).split(".")[-1],
            y.detach().double().numpy(), grad)


@pytest.mark.parametrize("source, call, fmt", list(itertools.product(SOURCES, CALLS, FORMATS)))
def test_a_conversion_lays_its_copy_out_as_pytorch(source, call, fmt):
    theirs, mine = outcome(torch, source, call, fmt), outcome(minigan, source, call, fmt)
    assert mine[:4] == theirs[:4]
    np.testing.assert_array_equal(mine[4], theirs[4])
    assert (mine[5] is None) == (theirs[5] is None)
    if mine[5] is not None:
        np.testing.assert_array_equal(mine[5], theirs[5])
