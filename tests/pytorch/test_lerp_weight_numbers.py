"""lerp's number weight, a Python number or a NumPy scalar of each dtype, against PyTorch float64 and float32.

PyTorch reads a NumPy scalar weight as the number it holds; the two forms (input + w·(end − input) for |w| < 0.5,
end − (end − input)·(1 − w) otherwise) must not compute 1 − w in the scalar's own dtype (np.uint8: 1 − 3 wraps to
254).  Values, result dtype and gradients of input and end, for torch.lerp, Tensor.lerp and lerp_."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

WEIGHTS = [0.25, 3, -2, np.float16(0.75), np.float32(-0.5), np.float64(0.3), np.int8(-3), np.int64(2), np.uint8(3),
           np.uint16(7), np.True_, np.False_]
FORMS = {"lerp": lambda lib, x, e, w: lib.lerp(x, e, w), "Tensor.lerp": lambda lib, x, e, w: x.lerp(e, w),
         "lerp_": lambda lib, x, e, w: (x * 1).lerp_(e, w)}


def _run(lib, form, w, dtype):
    x = lib.tensor([[0.5, -1.5, 2.0], [3.0, -0.25, 1.0]], dtype=getattr(lib, dtype), requires_grad=True)
    e = lib.tensor([[1.0, 2.0, -4.0], [0.5, 0.5, 8.0]], dtype=getattr(lib, dtype), requires_grad=True)
    out = FORMS[form](lib, x, e, w)
    (out * lib.arange(6.0, dtype=getattr(lib, dtype)).reshape(2, 3)).sum().backward()
    return str(out.dtype).split(".")[-1], out.detach().numpy(), x.grad.numpy(), e.grad.numpy()


@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("w", WEIGHTS, ids=[f"{type(w).__name__}({w})" for w in WEIGHTS])
def test_lerp_number_weight_as_pytorch(w, form, dtype):
    got, expected = _run(minigan, form, w, dtype), _run(torch, form, w, dtype)
    assert got[0] == expected[0]
    for g, t in zip(got[1:], expected[1:]):
        np.testing.assert_allclose(g, t, rtol=1e-6 if dtype == "float32" else 1e-12, atol=1e-6)
