"""remainder with a number first (torch.remainder(2, x), 2 % x, x.__rmod__(2), a NumPy scalar too) is PyTorch's
remainder.Scalar_Tensor, which has no derivative: the result requires grad and a backward through it raises a
RuntimeError ("derivative for aten::remainder is not implemented"); a tensor first (a 0-d one too) differentiates."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "remainder(2, x)": lambda lib, x: lib.remainder(2, x),
    "remainder(2.5, x)": lambda lib, x: lib.remainder(2.5, x),
    "remainder(np.int64(2), x)": lambda lib, x: lib.remainder(np.int64(2), x),
    "2 % x": lambda lib, x: 2 % x,
    "x.__rmod__(3)": lambda lib, x: x.__rmod__(3),
    "remainder(x, 2)": lambda lib, x: lib.remainder(x, 2),
    "x % x": lambda lib, x: x % (x.detach() + 3),
    "remainder(0-d tensor, x)": lambda lib, x: lib.remainder(lib.tensor(2.0, dtype=lib.float64), x),
}


def _outcome(lib, call):
    x = lib.tensor([1.5, -2.5, 4.0], dtype=lib.float64, requires_grad=True)
    y = CALLS[call](lib, x)
    values = (y.requires_grad, np.asarray(y.tolist()).tolist())
    try:
        (g,) = lib.autograd.grad(y.sum(), [x])
    except RuntimeError:
        return values, "backward refused"
    return values, g.tolist()


@pytest.mark.parametrize("call", list(CALLS))
def test_remainder_of_a_number_has_no_derivative(call):
    assert _outcome(minigan, call) == _outcome(torch, call)
