"""The adaptive average pools round as PyTorch's: one running sum per window (its rows in turn, each row left to
right), divided by the window's height and then by its width, so that float32 results agree to the last bit also
where a window's values cancel (a difference of large numbers, where the error of another order shows)."""

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.oracle import HAVE_TORCH

pytestmark = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
if HAVE_TORCH:
    import torch
    import torch.nn.functional as TF


def _cancelling(rng, shape):
    """float32 values of mixed sizes (up to 10⁴) whose neighbours nearly cancel."""
    a = rng.standard_normal(shape) * 10.0 ** rng.integers(0, 5, size=shape)
    a[..., 1:] -= a[..., :-1] * (1 - 1e-3 * rng.random(shape[:-1] + (shape[-1] - 1,)))
    return a.astype(np.float32)


@pytest.mark.parametrize("dims", [1, 2])
def test_adaptive_avg_pool_float32_rounds_as_pytorchs(dims):
    rng = np.random.default_rng(dims)
    found, checked = [], 0
    for _ in range(60):
        sizes = tuple(int(n) for n in rng.integers(1, 12, size=dims))
        out = tuple(int(rng.integers(2, n + 2)) if n > 1 else 2 for n in sizes)  # (larger than n too: overlapping)
        a = _cancelling(rng, (2, 3) + sizes)
        ours_fn, theirs_fn = (MF.adaptive_avg_pool1d, TF.adaptive_avg_pool1d) if dims == 1 else \
            (MF.adaptive_avg_pool2d, TF.adaptive_avg_pool2d)
        size = out[0] if dims == 1 else out
        theirs = theirs_fn(torch.tensor(a), size).numpy()
        ours = ours_fn(minigan.tensor(a), size).numpy()
        checked += 1
        if not np.array_equal(ours, theirs):
            found.append(f"{a.shape} -> {size}: largest difference {np.abs(ours - theirs.astype(np.float64)).max()}")
    assert checked == 60
    assert not found, "\n".join(found[:10]) + f"\n({len(found)} of {checked} differ)"


def test_adaptive_avg_pool_gradients_are_pytorchs():
    """Its gradients (first and second order) stay PyTorch's: each input's share 1/(kh·kw) of every window it is in."""
    rng = np.random.default_rng(3)
    for shape, size in [((2, 3, 7, 5), (3, 4)), ((2, 3, 6, 8), (3, 4)), ((2, 3, 5, 5), (7, 2))]:
        a, g = rng.standard_normal(shape), rng.standard_normal((2, 3) + size)
        grads = []
        for lib, F in ((torch, TF), (minigan, MF)):
            x = lib.tensor(a, requires_grad=True)
            y = (F.adaptive_avg_pool2d(x, size) * lib.tensor(g)).sum()
            (dx,) = lib.autograd.grad(y, x, create_graph=True)
            grads.append(dx.detach().numpy())
        np.testing.assert_allclose(grads[1], grads[0], rtol=1e-12, atol=1e-12)
