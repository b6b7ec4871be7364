"""cdist by PyTorch's matrix-product algorithm (compute_mode='use_mm_for_euclid_dist', or more than 25 rows by
default): sqrt(max(|a|² + |b|² - 2 a·b, 1e-30)), whose clamp gives a zero distance a finite gradient at every order,
as a gradient penalty through pairwise distances needs (the direct 2-norm's second order there is NaN)."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _orders(lib, X, Y, mode):
    x, y = lib.tensor(X, requires_grad=True), lib.tensor(Y, requires_grad=True)
    d = lib.cdist(x, y, compute_mode=mode)
    gx, gy = lib.autograd.grad((d * d.detach().cos()).sum(), (x, y), create_graph=True)
    hx, hy = lib.autograd.grad((gx * gx).sum() + (gy ** 3).sum(), (x, y))
    return [t.detach().numpy() for t in (d, gx, gy, hx, hy)]


@pytest.mark.parametrize("rows,mode", [(4, "use_mm_for_euclid_dist"), (30, "use_mm_for_euclid_dist_if_necessary")])
@pytest.mark.parametrize("batch", [(), (2,)])
def test_zero_distances_by_the_matrix_product_as_pytorchs(rows, mode, batch):
    rng = np.random.default_rng(rows + len(batch))
    X = rng.standard_normal(batch + (rows, 3)).round(1)
    Y = np.concatenate([X[..., :2, :], rng.standard_normal(batch + (3, 3)).round(1)], axis=-2)  # two rows equal
    ours, theirs = _orders(minigan, X, Y, mode), _orders(torch, X, Y, mode)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert np.isfinite(a).all(), k
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-5, err_msg=f"order {k}")
