"""interpolate's linear modes copy an axis whose output size is its input size, as PyTorch's kernels do (both taps
on the same pixel, weights 1 and 0), so a NaN or ±∞ next to a pixel stays out of it, and an infinite pixel gives
∞·1 + ∞·0 = NaN, where blending with the next pixel by a weight 0 brought its NaN in (surface seeds 11942551,
11955259: upsample_bilinear of a batch holding NaN, one axis kept).  linear, bilinear and bicubic, align_corners
True and False, sizes kept, grown and shrunk per axis, sizes and scale factors (one whose size rounds back to the
input's), upsample_bilinear; values with NaN, ±∞ and −0.0; the result and the gradient against PyTorch float64."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ROW = np.array([0.5, -0.0, np.nan, 2.0, np.inf, 3.0, -np.inf, 4.0, 1.25])
FINITE = np.array([0.5, -0.0, -1.5, 2.0, 0.75, 3.0, -2.25, 4.0, 1.25])
SIZES_1D = [9, 4, 5, 15, 18, 3, 1]
SIZES_2D = [(4, 9), (4, 5), (7, 9), (4, 13), (2, 9), (3, 9), (1, 1)]
SCALES = [1.0, 1.1, (1.2, 1.0), (1.0, 2.0), (0.5, 1.05)]


def _input(row, ndim):
    if ndim == 3:  # (N, C, L): the row and its reverse as two channels
        return np.stack([row, row[::-1]])[None]
    grid = np.stack([np.roll(row, k) for k in range(4)])  # (4, 9): NaN and ±∞ on every row, at shifted places
    return grid[None, None]


def _close(got, want):
    assert got.shape == want.shape
    np.testing.assert_array_equal(np.isnan(got), np.isnan(want))
    np.testing.assert_allclose(np.nan_to_num(got, nan=0.0), np.nan_to_num(want, nan=0.0), rtol=1e-12, atol=1e-12)


def _both(fn, values, upstream=None):
    out = []
    for lib in (torch, minigan):
        x = lib.tensor(values, requires_grad=upstream is not None)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = fn(lib, x)
        grad = None
        if upstream is not None:
            (grad,) = lib.autograd.grad(y, x, lib.tensor(upstream(y.shape)))
            grad = grad.numpy()
        out.append((y.detach().numpy(), grad))
    return out


CASES = ([("linear", ac, {"size": s}, 3) for ac, s in itertools.product([True, False], SIZES_1D)]
         + [("linear", ac, {"scale_factor": f}, 3) for ac, f in itertools.product([True, False], [1.0, 1.1, 0.95])]
         + [(m, ac, {"size": s}, 4) for m, ac, s in itertools.product(["bilinear", "bicubic"], [True, False],
                                                                       SIZES_2D)]
         + [(m, ac, {"scale_factor": f}, 4) for m, ac, f in itertools.product(["bilinear", "bicubic"], [True, False],
                                                                               SCALES)])


def _resize(mode, align_corners, kwargs):
    return lambda lib, x: lib.nn.functional.interpolate(x, mode=mode, align_corners=align_corners, **kwargs)


def _copied_backward(mode, align_corners, kwargs, x):
    """PyTorch's bicubic backward copies the upstream gradient where both output sizes are the input's, even where a
    scale factor made its forward interpolate (docs/pytorch.md, Casts, views, masks and in-place changes)."""
    factor = kwargs.get("scale_factor")
    factors = factor if isinstance(factor, tuple) else (factor, factor)
    return mode == "bicubic" and not align_corners and factor is not None and factors != (1.0, 1.0) \
        and all(int(n * f) == n for n, f in zip(x.shape[2:], factors))


def _pytorchs_copied_backward(mode, kwargs, x, got_grad, want_grad, upstream):
    """PyTorch's gradient is the upstream copied; minigan's is its forward's adjoint: <grad, v> = <upstream, f(v)>."""
    np.testing.assert_array_equal(want_grad, upstream)
    v = np.sin(np.arange(x.size) * 0.7).reshape(x.shape)
    fv = minigan.nn.functional.interpolate(minigan.tensor(v), mode=mode, align_corners=False, **kwargs).numpy()
    np.testing.assert_allclose(np.sum(got_grad * v), np.sum(upstream * fv), rtol=1e-12)
    with pytest.raises(AssertionError):
        _close(got_grad, want_grad)


@pytest.mark.parametrize("values", ["special", "finite"])
def test_linear_modes_copy_a_kept_axis(values):
    wrong = []
    for mode, ac, kwargs, ndim in CASES:
        x = _input(ROW if values == "special" else FINITE, ndim)
        upstream = (lambda shape: np.cos(np.arange(np.prod(shape))).reshape(shape)) if values == "finite" else None
        with np.errstate(all="ignore"):
            (want, want_grad), (got, got_grad) = _both(_resize(mode, ac, kwargs), x, upstream)
        try:
            _close(got, want)
            if upstream is not None and _copied_backward(mode, ac, kwargs, x):
                _pytorchs_copied_backward(mode, kwargs, x, got_grad, want_grad, upstream(want.shape))
            elif upstream is not None:
                _close(got_grad, want_grad)
        except AssertionError as e:
            wrong.append((mode, ac, kwargs, str(e)[:200]))
    assert not wrong, f"{len(wrong)} of {len(CASES)} differ: {wrong[:3]}"


@pytest.mark.parametrize("size", [(5, 9), (4, 9), (4, 4), (4, 12), None])
def test_upsample_bilinear(size):
    x = _input(ROW, 4)
    kwargs = {"size": size} if size else {"scale_factor": 2}
    with np.errstate(all="ignore"):
        (want, _), (got, _) = _both(lambda lib, t: lib.nn.functional.upsample_bilinear(t, **kwargs), x)
    _close(got, want)
