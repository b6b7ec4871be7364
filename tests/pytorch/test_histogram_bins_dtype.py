"""torch.histogram with bin edges given as a tensor: the edges must have the input's dtype (PyTorch's RuntimeError
otherwise), and with it the counts are PyTorch's."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _outcome(lib, input_dtype, bins_dtype):
    x = lib.tensor([0.5, 1.0, 2.5, 3.0, 4.75, 6.0], dtype=getattr(lib, input_dtype))
    try:
        hist, edges = lib.histogram(x, lib.tensor([0, 2, 5, 7], dtype=getattr(lib, bins_dtype)))
    except RuntimeError:
        return "RuntimeError"
    return hist.tolist(), edges.tolist(), str(hist.dtype).split(".")[-1]


@pytest.mark.parametrize("bins_dtype", ["int64", "int32", "float32", "float64"])
@pytest.mark.parametrize("input_dtype", ["float32", "float64"])
def test_histogram_bin_edges_take_the_input_dtype_as_pytorchs(input_dtype, bins_dtype):
    assert _outcome(minigan, input_dtype, bins_dtype) == _outcome(torch, input_dtype, bins_dtype)
