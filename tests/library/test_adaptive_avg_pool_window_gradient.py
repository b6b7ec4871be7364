"""adaptive_avg_pool's gradient in closed form: pixel (r, c) gets Σ over the windows holding it of G[i, j] / (the
window's height · width), window i of an axis spanning [⌊i·L/out⌋, ⌈(i+1)·L/out⌉).  With a NaN or ±∞ in G, only the
pixels of that window see it (a sum over the windows that hold a pixel never reads the others)."""

import math

import numpy as np
import pytest

import minigan


def _expected(shape, out, g):
    (h, w), (oh, ow) = shape, out
    want = np.zeros((h, w))
    for i in range(oh):
        r0, r1 = (i * h) // oh, math.ceil((i + 1) * h / oh)
        for j in range(ow):
            c0, c1 = (j * w) // ow, math.ceil((j + 1) * w / ow)
            want[r0:r1, c0:c1] += g[i, j] / (r1 - r0) / (c1 - c0)
    return want


@pytest.mark.parametrize("special", [None, float("nan"), float("inf"), -float("inf")])
@pytest.mark.parametrize("shape,out", [((4, 4), (2, 2)), ((5, 4), (2, 3)), ((2, 3), (3, 4)), ((7, 1), (3, 1))])
def test_each_pixel_gets_its_windows_gradients(shape, out, special):
    g = np.linspace(0.5, 2.0, out[0] * out[1]).reshape(out)
    if special is not None:
        g[-1, 0] = special
    x = minigan.tensor(np.zeros((1, 1) + shape), requires_grad=True)
    y = minigan.nn.functional.adaptive_avg_pool2d(x, out)
    (got,) = minigan.autograd.grad(y, x, minigan.tensor(g[None, None]))
    np.testing.assert_allclose(got.numpy()[0, 0], _expected(shape, out, g), rtol=1e-15, atol=0)
