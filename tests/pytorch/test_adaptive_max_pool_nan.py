"""The adaptive max pools at NaN: PyTorch's kernel walks each window in row-major order and takes an entry that is
greater than the maximum so far, or NaN, so a window's value is NaN and its index (and gradient) the window's LAST
NaN (the first maximum where there is none).  adaptive_max_pool1d and 2d (functions, modules, return_indices), NaN
patterns over windows that overlap or not, values, indices and gradients against PyTorch float64."""

import itertools

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

NAN = np.nan
ROWS = [[1.0, NAN, 2.0, NAN, 0.5], [NAN, 3.0, 1.0, 2.0, NAN], [NAN, NAN, 1.0, 2.0, 3.0], [2.0, 2.0, NAN, 1.0, 2.0],
        [1.0, 2.0, 3.0, 3.0, 0.0]]
DOORS = {
    "F.adaptive_max_pool1d": (1, lambda lib, x, size: lib.nn.functional.adaptive_max_pool1d(x, size, True)),
    "nn.AdaptiveMaxPool1d": (1, lambda lib, x, size: lib.nn.AdaptiveMaxPool1d(size, return_indices=True)(x)),
    "F.adaptive_max_pool2d": (2, lambda lib, x, size: lib.nn.functional.adaptive_max_pool2d(x, size, True)),
    "nn.AdaptiveMaxPool2d": (2, lambda lib, x, size: lib.nn.AdaptiveMaxPool2d(size, return_indices=True)(x)),
    "F.adaptive_max_pool2d values": (2, lambda lib, x, size: (lib.nn.functional.adaptive_max_pool2d(x, size),)),
}


def _run(lib, door, data, size):
    dims, call = DOORS[door]
    x = lib.tensor(data, dtype=lib.float64, requires_grad=True)
    found = call(lib, x, size)
    up = lib.tensor(np.arange(1.0, 1.0 + found[0].numel()).reshape(tuple(found[0].shape)), dtype=lib.float64)
    (g,) = lib.autograd.grad(found[0], x, up)
    return [str(np.asarray(t.detach().numpy()).tolist()) for t in found] + [str(g.numpy().tolist())]


@pytest.mark.parametrize("door", list(DOORS))
def test_adaptive_max_pool_takes_the_last_nan_of_a_window(door):
    dims = DOORS[door][0]
    bad = []
    if dims == 1:
        cases = [([[row]], size) for row in ROWS for size in (1, 2, 3, 5)]
    else:
        planes = [np.array(ROWS[:3]), np.array(ROWS[2:]), np.array(ROWS[1:4]).T]
        cases = [([[p.tolist()]], size) for p in planes for size in itertools.product((1, 2, 3), (1, 2, 4))]
    for data, size in cases:
        mine, theirs = _run(minigan, door, data, size), _run(torch, door, data, size)
        if mine != theirs:
            bad.append((data, size, mine, theirs))
    assert not bad, (len(bad), bad[:2])
