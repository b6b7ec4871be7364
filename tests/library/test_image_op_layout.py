"""The pools, unfold/fold, interpolate, pad and pixel_shuffle lay their results out as PyTorch documents for its
memory formats: row-major (``flatten()`` a view, a write through it reaching the result) unless the input is
channels-last, which the 2-D pools, interpolate, pad (but circular) and pixel_shuffle keep.  And the adaptive average
pools round as one running sum per window divided by its height, then its width.  (Compared with PyTorch itself:
tests/pytorch/test_image_op_layout.py and test_rounding.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan.surface.layout import channels_last

R = np.random.default_rng(0)
X3, X4 = R.standard_normal((2, 4, 8)), R.standard_normal((2, 4, 6, 8))
KEEPING = {  # 4-D ops that keep a channels-last input channels-last
    "avg_pool2d": lambda x: F.avg_pool2d(x, 2), "max_pool2d": lambda x: F.max_pool2d(x, 3, 2, 1),
    "adaptive_avg_pool2d": lambda x: F.adaptive_avg_pool2d(x, (4, 3)),
    "adaptive_max_pool2d": lambda x: F.adaptive_max_pool2d(x, (4, 3)),
    "interpolate": lambda x: F.interpolate(x, scale_factor=2), "bilinear": lambda x: F.interpolate(
        x, size=(5, 7), mode="bilinear"), "pad": lambda x: F.pad(x, (1, 2, 0, 1), mode="reflect"),
    "pixel_unshuffle": lambda x: F.pixel_unshuffle(x, 2),
}
ROW_MAJOR = {  # ops whose result is row-major whatever the input's layout
    "unfold": (X4, lambda x: F.unfold(x, 2)), "pad_circular": (X4, lambda x: F.pad(x, (1, 2, 0, 1), mode="circular")),
    "interpolate_linear": (X3, lambda x: F.interpolate(x, scale_factor=2, mode="linear")),
    "pad1d": (X3, lambda x: F.pad(x, (1, 2))),
}


def _nhwc(a):
    """a (N, C, H, W) tensor stored (N, H, W, C): PyTorch's channels_last memory format."""
    return minigan.tensor(np.ascontiguousarray(a.transpose(0, 2, 3, 1))).permute(0, 3, 1, 2)


def _swapped(a):
    """a tensor whose batch and channel axes are swapped in memory (channels-last in no sense)."""
    return minigan.tensor(np.ascontiguousarray(a.swapaxes(0, 1))).transpose(0, 1)


def test_channels_last_reads_the_strides_as_pytorchs_memory_format():
    a = np.zeros((2, 3, 4, 5))
    assert channels_last(_nhwc(a)) and not channels_last(minigan.tensor(a)) and not channels_last(_swapped(a))
    assert not channels_last(minigan.zeros(4, 1, 1, 1))  # (N111: ambiguous, row-major)
    assert channels_last(minigan.tensor(np.zeros((2, 5, 3))).transpose(1, 2))  # (N, C, L), C innermost


@pytest.mark.parametrize("name", sorted(KEEPING))
def test_two_d_ops_keep_a_channels_last_input_so_and_make_others_row_major(name):
    call = KEEPING[name]
    kept = call(_nhwc(X4))
    assert kept.permute(0, 2, 3, 1).is_contiguous(), f"{name}: strides {kept.stride()}"
    for x in (minigan.tensor(X4), _swapped(X4), minigan.tensor(np.repeat(X4, 2, axis=3))[..., ::2]):
        y = call(x)
        assert y.is_contiguous(), f"{name}: strides {y.stride()} for input strides {x.stride()}"
        y.view(-1)[0] = 7.0  # a view: the write reaches the result
        assert float(y[0, 0, 0, 0]) == 7.0
        np.testing.assert_allclose(y.detach().numpy().ravel()[1:], call(minigan.tensor(X4)).numpy().ravel()[1:])


@pytest.mark.parametrize("name", sorted(ROW_MAJOR))
def test_ops_that_never_keep_channels_last_are_row_major(name):
    a, call = ROW_MAJOR[name]
    last = minigan.tensor(np.ascontiguousarray(np.moveaxis(a, 1, -1))).permute(0, a.ndim - 1, *range(1, a.ndim - 1))
    for x in (minigan.tensor(a), last, minigan.tensor(np.ascontiguousarray(a.swapaxes(0, 1))).transpose(0, 1)):
        assert call(x).is_contiguous(), f"{name}: strides {call(x).stride()} for input strides {x.stride()}"


def test_one_d_pools_keep_channels_innermost():
    """(N, C, L) with C innermost stays so through the 1-D pools (PyTorch runs them as 2-D ones on (N, C, 1, L))."""
    x = minigan.tensor(np.ascontiguousarray(X3.transpose(0, 2, 1))).transpose(1, 2)
    for y in (F.avg_pool1d(x, 2), F.adaptive_avg_pool1d(x, 3), F.adaptive_max_pool1d(x, 3),
              F.max_pool1d(x, 3, 2, 1, return_indices=True)[0]):
        assert y.stride()[1] == 1 and y.transpose(1, 2).is_contiguous(), y.stride()
    assert F.avg_pool1d(minigan.tensor(X3), 2).is_contiguous()


def test_adaptive_avg_pool_is_a_running_sum_over_height_then_width():
    """float32: window (i, j)'s values added one at a time, rows in turn, then / its height / its width."""
    a = (R.standard_normal((1, 2, 7, 5)) * 10.0 ** R.integers(0, 5, size=(1, 2, 7, 5))).astype(np.float32)
    out = F.adaptive_avg_pool2d(minigan.tensor(a), (3, 4)).numpy()
    for i in range(3):
        for j in range(4):
            r0, r1, c0, c1 = i * 7 // 3, -(-(i + 1) * 7 // 3), j * 5 // 4, -(-(j + 1) * 5 // 4)
            total = np.zeros(2, np.float32)
            for r in range(r0, r1):
                for c in range(c0, c1):
                    total = total + a[0, :, r, c]
            expected = total / np.float32(r1 - r0) / np.float32(c1 - c0)
            np.testing.assert_array_equal(out[0, :, i, j], expected)
