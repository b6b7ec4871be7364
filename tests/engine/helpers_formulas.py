"""The plain NumPy formulas tests/engine/test_properties.py holds the engine's ops to, where one takes more than a
line: a reduction's mode, the sigmoid, log-sum-exp, and a pool's windows walked one by one."""

import numpy as np

_reduced = lambda loss, reduction: loss.mean() if reduction == "mean" else loss.sum() if reduction == "sum" else loss
_sigmoid = lambda x: 1 / (1 + np.exp(-x))


def _lse(x, axis=None, keepdims=False):
    return np.log(np.exp(x).sum(axis=axis, keepdims=keepdims))


def _pool(x, mode, kernel_size, stride, padding, dilation, out_hw, count_include_pad, argmax=None):
    """Each window's maximum, or its mean over kh·kw (or, not count_include_pad, over its pixels inside x)."""
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel_size, stride, padding, dilation
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=-np.inf if mode == "max" else 0)
    inside = np.pad(np.ones(x.shape[2:]), ((ph, ph), (pw, pw)))
    out = np.zeros(x.shape[:2] + out_hw)
    for a, b in np.ndindex(out_hw):
        rows, cols = slice(a * sh, a * sh + dh * (kh - 1) + 1, dh), slice(b * sw, b * sw + dw * (kw - 1) + 1, dw)
        count, window = kh * kw if count_include_pad else inside[rows, cols].sum(), padded[:, :, rows, cols]
        out[:, :, a, b] = window.max(axis=(2, 3)) if mode == "max" else window.sum(axis=(2, 3)) / count
        if argmax is not None and not inside[rows, cols].any():  # given argmax, a gather (how a gradient is read
            out[:, :, a, b] = 0  # back): a window of padding alone reads the padding's 0, not the max's −∞
    return out
