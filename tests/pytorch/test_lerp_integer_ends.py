"""lerp of integer ends by a 0-d floating weight tensor runs, as PyTorch's: the 0-d weight promotes ends of one
integer dtype to its own dtype (lerp(int64, int64, tensor(0.25)) is a float64, its weight's gradient end − input);
every other mix of dtypes and shapes refuses or runs exactly where PyTorch's does.  Function, method and in-place."""

import itertools

import numpy as np
import pytest
from conftest import default_slice

torch = pytest.importorskip("torch")

import minigan  # noqa: E402

KINDS = ["int64_0", "int64_1", "int32_1", "uint8_1", "bool_1", "float64_0", "float64_1", "float32_0"]
CASES = list(itertools.product(KINDS, KINDS, ["float64_0", "float32_0", "float64_1", "int64_0"],
                               ["function", "method", "in-place"]))


def _run(lib, a, b, w, form):
    def make(kind, value, requires_grad):
        dtype, dims = kind.split("_")
        dtype = getattr(lib, dtype)
        return lib.tensor(np.full((3,) * int(dims), value), dtype=dtype,
                          requires_grad=requires_grad and dtype.is_floating_point)
    a, b, w = make(a, 1, False), make(b, 3, False), make(w, 0.25, True)
    try:
        out = lib.lerp(a, b, w) if form == "function" else a.lerp(b, w) if form == "method" else a.lerp_(b, w)
    except Exception as e:  # noqa: BLE001 - compared with PyTorch's class below
        return type(e)
    got = (str(out.dtype).split(".")[-1], tuple(out.shape), out.detach().double().numpy().tolist(), out.requires_grad)
    if out.requires_grad:
        try:
            got += (lib.autograd.grad(out.sum(), [w])[0].detach().double().numpy().tolist(),)
        except RuntimeError:  # (PyTorch's weight gradient computes end − input: its `-` refuses two bool tensors)
            got += ("backward: RuntimeError",)
    return got


# Every 5th case by default (and each value of each argument), the rest under -m parity
@pytest.mark.parametrize("a, b, w, form", default_slice([pytest.param(*c, id="-".join(c)) for c in CASES], 17,
                                                        cover="each"))
def test_lerp_of_integer_ends_as_pytorchs(a, b, w, form):
    want, got = _run(torch, a, b, w, form), _run(minigan, a, b, w, form)
    if isinstance(want, type):
        builtin = next(c for c in want.__mro__ if c.__module__ == "builtins")
        assert isinstance(got, type) and issubclass(got, builtin), f"minigan {got}, PyTorch raised {want.__name__}"
    else:
        assert got == want
