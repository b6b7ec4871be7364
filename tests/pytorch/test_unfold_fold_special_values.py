"""F.unfold and F.fold move values (im2col, col2im); an entry of ±∞ or NaN must stay where it goes, not spread
over the columns or pixels a 0/1 kernel multiplies (∞·0 = NaN).  Against PyTorch float64 over kernel, stride,
padding and dilation: the values, and the gradients at first and second order under finite, ±∞ and NaN upstreams."""

import math

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

GEOMETRIES = [dict(kernel_size=2), dict(kernel_size=(2, 3), stride=2), dict(kernel_size=2, padding=1),
              dict(kernel_size=2, dilation=2), dict(kernel_size=(1, 2), stride=(2, 1), padding=(1, 0), dilation=1),
              dict(kernel_size=3, padding=1, stride=2, dilation=(1, 2))]
SPECIAL = [math.inf, -math.inf, math.nan]


def _np(t):
    return t.detach().numpy(force=True) if isinstance(t, torch.Tensor) else t.detach().numpy()


def _image(seed, special):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, 2, 5, 6))
    flat = x.reshape(-1)
    flat[rng.choice(flat.size, 3, replace=False)] = special
    return x


def _run(lib, op, array, geometry, upstream):
    F = lib.nn.functional
    x = lib.tensor(array, dtype=lib.float64, requires_grad=True)
    y = F.unfold(x, **geometry) if op == "unfold" else F.fold(x, (5, 6), **geometry)
    up = lib.tensor(upstream(tuple(y.shape)), dtype=lib.float64)
    g, = lib.autograd.grad(y, [x], grad_outputs=up, create_graph=True)
    h, = lib.autograd.grad(g, [x], grad_outputs=lib.ones_like(g), allow_unused=True) if g.requires_grad else (None,)
    return _np(y), _np(g), None if h is None else _np(h)


def _upstreams(special):
    def finite(shape):
        return np.random.default_rng(1).normal(size=shape)

    def holding(shape):
        u = finite(shape)
        u.reshape(-1)[::7] = special
        return u
    return [finite, holding]


@pytest.mark.parametrize("special", SPECIAL)
@pytest.mark.parametrize("geometry", GEOMETRIES, ids=str)
def test_unfold_and_fold_move_special_values_as_pytorch(geometry, special):
    image = _image(0, special)
    with torch.no_grad():
        cols = torch.nn.functional.unfold(torch.tensor(image), **geometry).numpy()
    for op, array in (("unfold", image), ("fold", cols)):
        if op == "fold":
            array = np.where(np.random.default_rng(2).random(array.shape) < 0.05, special, array)
        for upstream in _upstreams(special):
            with np.errstate(all="ignore"):
                want, got = _run(torch, op, array, geometry, upstream), _run(minigan, op, array, geometry, upstream)
            for name, w, g in zip(("value", "gradient", "second order"), want, got):
                if w is None or g is None:
                    assert not np.any(w if g is None else g), (op, name)
                    continue
                np.testing.assert_allclose(g, w, rtol=1e-12, atol=0, equal_nan=True, err_msg=f"{op} {name}")
