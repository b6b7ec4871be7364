"""F.unfold copies each window's entries and F.fold adds them back, so an entry of ±∞ or NaN lands only where its
windows put it (no PyTorch: the windows read by slicing, fold as the sum of the copies).
(Against PyTorch over strides, padding and dilation: tests/pytorch/test_conv.py.)"""

import math

import numpy as np

import minigan


def _image():
    x = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5) / 7
    x[0, 1, 2, 3], x[1, 0, 0, 0], x[1, 2, 3, 1] = math.inf, -math.inf, math.nan
    return x


def test_unfold_copies_infinite_and_nan_entries_where_the_windows_put_them():
    x = _image()
    cols = minigan.nn.functional.unfold(minigan.tensor(x), (2, 3)).numpy()
    want = np.stack([x[:, :, i : i + 2, j : j + 3].reshape(2, -1) for i in range(3) for j in range(3)], axis=-1)
    np.testing.assert_array_equal(cols, want)


def test_fold_adds_the_copies_back():
    x = _image()
    cols = minigan.nn.functional.unfold(minigan.tensor(x), (2, 3))
    back = minigan.nn.functional.fold(cols, (4, 5), (2, 3)).numpy()
    counts = minigan.nn.functional.fold(minigan.nn.functional.unfold(minigan.ones(2, 3, 4, 5, dtype=minigan.float64),
                                                                     (2, 3)), (4, 5), (2, 3)).numpy()
    np.testing.assert_allclose(back, x * counts, rtol=1e-15)  # (a sum of copies, where x·count rounds once)
