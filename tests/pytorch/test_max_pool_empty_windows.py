"""A max pool window that lies wholly in the padding (a dilation that steps over a small input: height 1, padding 1,
dilation 2) holds no pixel.  PyTorch's kernel gives it −∞ (an integer dtype's lowest value) and, with
return_indices, the index of the first row and column of the window at or past 0 (ih0·W + iw0, which may lie past
the plane); minigan gave 0 and a negative index (held-out surface seed 12303234).  The gradient: such a window sends
none back (PyTorch's own backward writes at that index, past the input: it corrupts memory, so it is not run here;
the other windows' gradients are compared with what PyTorch's indices say)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _cases():
    rng = np.random.default_rng(7)
    cases = []
    for dims, dtype in itertools.product((1, 2), ("float64", "float32", "int64")):
        while sum(1 for c in cases if c[0] == dims and c[1] == dtype) < 12:
            size = tuple(int(n) for n in rng.integers(1, 4, size=dims))
            kernel = tuple(int(n) for n in rng.integers(1, 4, size=dims))
            dilation = tuple(int(n) for n in rng.integers(1, 4, size=dims))
            padding = tuple(int(rng.integers(0, k // 2 + 1)) for k in kernel)
            stride = tuple(int(n) for n in rng.integers(1, 3, size=dims))
            ceil = bool(rng.integers(2))
            x = torch.zeros((1, 2) + size)
            try:
                pool = torch.nn.functional.max_pool1d if dims == 1 else torch.nn.functional.max_pool2d
                y = pool(x, kernel, stride, padding, dilation, ceil)
            except RuntimeError:
                continue  # (a geometry PyTorch refuses: its own tests cover the refusal)
            if torch.isinf(y).any():  # a window with no pixel: the class
                cases.append((dims, dtype, size, kernel, stride, padding, dilation, ceil))
    return cases


@pytest.mark.parametrize("dims, dtype, size, kernel, stride, padding, dilation, ceil", _cases())
def test_a_window_in_the_padding_only_is_pytorchs(dims, dtype, size, kernel, stride, padding, dilation, ceil):
    values = np.random.default_rng(sum(size + kernel)).integers(-9, 9, size=(2, 3) + size)
    outs = {}
    for lib in (torch, minigan):
        x = lib.tensor(values, dtype=getattr(lib, dtype), requires_grad=dtype != "int64")
        pool = lib.nn.functional.max_pool1d if dims == 1 else lib.nn.functional.max_pool2d
        y, indices = pool(x, kernel, stride, padding, dilation, ceil, return_indices=True)
        outs[lib.__name__] = (x, y, indices)
    (_, theirs, t_idx), (x, ours, m_idx) = outs["torch"], outs["minigan"]
    assert ours.dtype == getattr(minigan, dtype) and np.array_equal(ours.detach().numpy(), theirs.detach().numpy())
    assert np.array_equal(m_idx.numpy(), t_idx.numpy())
    if dtype != "int64":
        weights = np.arange(1, ours.numel() + 1, dtype=dtype).reshape(tuple(ours.shape))
        (ours * minigan.tensor(weights)).sum().backward()
        expected = np.zeros((2, 3, int(np.prod(size))), dtype=dtype)
        found = np.isfinite(theirs.detach().numpy()).reshape(2, 3, -1)  # (the windows that hold a pixel)
        for n, c in itertools.product(range(2), range(3)):
            np.add.at(expected[n, c], t_idx.numpy().reshape(2, 3, -1)[n, c][found[n, c]],
                      weights.reshape(2, 3, -1)[n, c][found[n, c]])
        assert np.array_equal(x.grad.numpy(), expected.reshape(values.shape))
