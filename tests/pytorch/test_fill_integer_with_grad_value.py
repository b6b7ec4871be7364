"""The out-of-place fills of an integer or bool tensor with a value that requires grad (masked_fill, index_fill, as
methods and functions) refuse as PyTorch's do while grad mode is on ("Autograd not support dtype: Bool", a
RuntimeError) and run under no_grad; their in-place forms are recorded (tests/pytorch/test_fill_records*)."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "x.masked_fill": lambda lib, x, v: x.masked_fill(lib.tensor([True, False, True]), v),
    "torch.masked_fill": lambda lib, x, v: lib.masked_fill(x, lib.tensor([True, False, True]), v),
    "x.index_fill": lambda lib, x, v: x.index_fill(0, lib.tensor([1]), v),
    "torch.index_fill": lambda lib, x, v: lib.index_fill(x, 0, lib.tensor([1]), v),
}


def _outcome(lib, call, dtype, grad_mode, value_grad):
    x = lib.tensor([1, 0, 2], dtype=getattr(lib, dtype))
    v = lib.tensor(1.5, dtype=lib.float64, requires_grad=value_grad)
    try:
        with lib.set_grad_enabled(grad_mode):
            out = CALLS[call](lib, x, v)
    except RuntimeError:
        return "refused"
    return str(out.dtype).split(".")[-1], out.requires_grad, out.tolist()


@pytest.mark.parametrize("call", list(CALLS))
@pytest.mark.parametrize("dtype", ["int64", "int32", "bool", "float32"])
def test_fills_of_integers_with_a_value_that_requires_grad(call, dtype):
    for grad_mode in (True, False):
        for value_grad in (True, False):
            assert _outcome(minigan, call, dtype, grad_mode, value_grad) == \
                _outcome(torch, call, dtype, grad_mode, value_grad), (grad_mode, value_grad)
