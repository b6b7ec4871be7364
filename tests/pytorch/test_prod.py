"""prod and cumprod against PyTorch: values, first and second gradients where factors are zero (one or two in
a row), every dim, keepdim, empty tensors, integer and bool inputs and dtype=; and gradcheck.

(Its torch-free tests: tests/engine/test_prod.py.)"""

import numpy as np
import pytest
from engine.helpers_prod import _input, rng

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


CASES = [(shape, kind, d) for shape in [(5,), (3, 4), (2, 7, 3), (1,), (0,), (4, 0)]
         for kind in ["prod", "prod_dim", "prod_keepdim", "cumprod"]
         for d in ([None] if kind == "prod" else range(len(shape)))]


def _call(lib, t, kind, d):
    return {"prod": lambda: lib.prod(t), "prod_dim": lambda: t.prod(d),
            "prod_keepdim": lambda: lib.prod(t, d, keepdim=True), "cumprod": lambda: lib.cumprod(t, d)}[kind]()


@pytest.mark.parametrize("shape, kind, d", CASES)
def test_values_and_two_orders_of_gradients_equal_pytorch(shape, kind, d):
    x = _input(shape)
    tx, mx = torch.tensor(x, requires_grad=True), minigan.tensor(x, requires_grad=True)
    ty, my = _call(torch, tx, kind, d), _call(minigan, mx, kind, d)
    assert my.shape == tuple(ty.shape)
    np.testing.assert_allclose(my.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    if not x.size:
        return
    w = rng.standard_normal(tuple(ty.shape))
    (tg,) = torch.autograd.grad((ty * torch.tensor(w)).sum(), tx, create_graph=True)
    (mg,) = minigan.autograd.grad((my * minigan.tensor(w)).sum(), mx, create_graph=True)
    np.testing.assert_allclose(mg.detach().numpy(), tg.detach().numpy(), rtol=1e-10, atol=1e-12)
    if not mg.requires_grad:  # one factor: the first derivative is a constant
        assert not tg.requires_grad or np.allclose(torch.autograd.grad((tg * tg).sum(), tx)[0].detach().numpy(), 0,
                                                   atol=1e-12)  # (PyTorch's is 0 up to rounding)
        return
    (tgg,) = torch.autograd.grad((tg * tg).sum(), tx)
    (mgg,) = minigan.autograd.grad((mg * mg).sum(), mx)
    np.testing.assert_allclose(mgg.detach().numpy(), tgg.detach().numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("values", [[1, 2, 3, 4], [True, False, True], np.array([[2, 3], [4, 5]], dtype=np.int8)])
def test_integers_multiply_as_int64(values):
    arr = np.asarray(values)
    for f in [lambda L, t: L.prod(t), lambda L, t: L.cumprod(t, 0), lambda L, t: t.prod(0),
              lambda L, t: L.prod(t, dtype=L.float64)]:
        want, got = f(torch, torch.tensor(arr)), f(minigan, minigan.tensor(arr))
        np.testing.assert_array_equal(got.detach().numpy(), want.detach().numpy())
        assert str(got.dtype) == str(want.dtype).replace("torch.", "minigan.")
