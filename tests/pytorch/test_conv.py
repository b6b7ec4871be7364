"""conv2d / conv_transpose2d: a naive loop reference, the adjoint identity, gradcheck, torch, errors.

(Its torch-free tests: tests/library/test_conv.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F


# ----------------------------------------------------------------------------- torch as an oracle
@pytest.mark.parametrize("transpose", [False, True])
@pytest.mark.parametrize("stride,padding,k", [(1, 0, 3), (2, 1, 4), (3, 2, 5), (2, 0, 1)])
def test_matches_torch(transpose, stride, padding, k):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    rng = np.random.default_rng(4)
    x = rng.standard_normal((3, 4, 9, 8))
    w = rng.standard_normal((4, 5, k, k) if transpose else (5, 4, k, k))
    b = rng.standard_normal(5)
    g_fn, t_fn = (F.conv_transpose2d, torch.nn.functional.conv_transpose2d) if transpose else (
        F.conv2d, torch.nn.functional.conv2d)
    xs = [minigan.tensor(a, requires_grad=True) for a in (x, w, b)]
    ts = [torch.tensor(a, requires_grad=True) for a in (x, w, b)]
    extra = {"output_padding": stride - 1} if transpose else {}  # the largest allowed
    y = g_fn(*xs, stride=stride, padding=padding, **extra)
    ty = t_fn(*ts, stride=stride, padding=padding, **extra)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), atol=1e-10)
    gy = rng.standard_normal(y.shape)
    y.backward(gy)
    ty.backward(torch.tensor(gy))
    for a, t in zip(xs, ts):
        np.testing.assert_allclose(a.grad.detach().numpy(), t.grad.detach().numpy(), atol=1e-10)
