"""The pools over input dtype x shape (empty axes too) against PyTorch: which integer dtypes each pool's kernel takes
(max_pool2d every integer but bool; avg_pool1d/2d int64, dividing in integers; max_pool1d floats only, unless it
returns indices), which empty axes each refuses (RuntimeError) and which it passes through (any dtype: no kernel
runs), with PyTorch's values, dtype and shape where it runs.
"""

import warnings

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import none_differ, outcome, refused_or_equal

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
POOLS = {
    "max_pool2d": lambda F, x: F.max_pool2d(x, 2),
    "max_pool2d(indices)": lambda F, x: F.max_pool2d(x, 2, 1, 1, return_indices=True),
    "avg_pool2d": lambda F, x: F.avg_pool2d(x, 2),
    "avg_pool2d(padded)": lambda F, x: F.avg_pool2d(x, 3, 1, 1),
    "avg_pool2d(divisor)": lambda F, x: F.avg_pool2d(x, 2, divisor_override=3),
    "max_pool1d": lambda F, x: F.max_pool1d(x, 2),
    "max_pool1d(indices)": lambda F, x: F.max_pool1d(x, 2, return_indices=True),
    "avg_pool1d": lambda F, x: F.avg_pool1d(x, 3, 1, 1),
    "adaptive_avg_pool1d": lambda F, x: F.adaptive_avg_pool1d(x, 2),
    "adaptive_max_pool1d": lambda F, x: F.adaptive_max_pool1d(x, 2),
    "adaptive_avg_pool2d": lambda F, x: F.adaptive_avg_pool2d(x, 2),
    "adaptive_max_pool2d": lambda F, x: F.adaptive_max_pool2d(x, 2),
    "adaptive_avg_pool1d(1)": lambda F, x: F.adaptive_avg_pool1d(x, [1]),
    "adaptive_avg_pool2d(1)": lambda F, x: F.adaptive_avg_pool2d(x, (1, 1)),
}
SHAPES = [(3, 4), (0, 3), (3, 0), (2, 3, 4), (0, 2, 4), (2, 0, 4), (2, 3, 0), (1, 2, 4, 4), (0, 2, 4, 4),
          (2, 0, 4, 4), (1, 2, 0, 4)]


def _outcome(lib, pool, shape, dtype):
    values = (np.arange(int(np.prod(shape))) * 7 % 11 - 5).reshape(shape)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = outcome(POOLS[pool], MF if lib is minigan else lib.nn.functional, lib.tensor(values.astype(dtype)))
    if isinstance(out, Exception):
        return out
    out = out if isinstance(out, tuple) else (out,)
    return [(str(o.dtype).split(".")[-1], tuple(o.shape), np.asarray(o.numpy(), dtype=float).tolist()) for o in out]


def _same(ours, theirs):
    return [o[:2] for o in ours] == [t[:2] for t in theirs] and all(
        np.allclose(o[2], t[2], rtol=1e-6, equal_nan=True) for o, t in zip(ours, theirs))


@pytest.mark.parametrize("pool", sorted(POOLS))
def test_pools_take_the_dtypes_and_empty_axes_pytorchs_take(pool):
    none_differ([(pool, shape, dtype) for shape in SHAPES for dtype in ("float64", "float32", "int64", "int32",
                                                                          "uint8", "bool")],
                _outcome, lambda ours, theirs: refused_or_equal(ours, theirs, equal=_same), torch, minigan)
