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
    # quarters: |a|² + |b|² - 2 a·b is exact, so two equal rows are at distance 0 in both libraries (with other values
    # the cancellation leaves a rounding of either sign, which each library's own order of sums decides)
    X = rng.integers(-8, 8, batch + (rows, 3)) / 4
    Y = np.concatenate([X[..., :2, :], rng.integers(-8, 8, batch + (3, 3)) / 4], axis=-2)  # two rows equal
    ours, theirs = _orders(minigan, X, Y, mode), _orders(torch, X, Y, mode)
    for k, (a, b) in enumerate(zip(ours, theirs)):
        assert np.isfinite(a).all(), k
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-5, err_msg=f"order {k}")
