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
from pytorch.exception_oracle import builtin_class as _builtin

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


def _outcome(lib, F, pool, shape, dtype):
    values = (np.arange(int(np.prod(shape))) * 7 % 11 - 5).reshape(shape)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = POOLS[pool](F, lib.tensor(values.astype(dtype)))
    except Exception as e:  # noqa: BLE001
        return type(e)
    out = out if isinstance(out, tuple) else (out,)
    return [(str(o.dtype).split(".")[-1], tuple(o.shape), np.asarray(o.numpy(), dtype=float).tolist()) for o in out]


@pytest.mark.parametrize("pool", sorted(POOLS))
def test_pools_take_the_dtypes_and_empty_axes_pytorchs_take(pool):
    found = []
    for shape in SHAPES:
        for dtype in ("float64", "float32", "int64", "int32", "uint8", "bool"):
            theirs = _outcome(torch, torch.nn.functional, pool, shape, dtype)
            ours = _outcome(minigan, MF, pool, shape, dtype)
            if isinstance(theirs, type) or isinstance(ours, type):
                same = isinstance(theirs, type) and isinstance(ours, type) and issubclass(ours, _builtin(theirs))
            else:
                same = [o[:2] for o in ours] == [t[:2] for t in theirs] and all(
                    np.allclose(o[2], t[2], rtol=1e-6, equal_nan=True) for o, t in zip(ours, theirs))
            if not same:
                found.append(f"{pool}({dtype} {shape}): {str(ours)[:150]} vs {str(theirs)[:150]}")
    assert not found, "\n".join(found[:14]) + f"\n({len(found)} differ)"
