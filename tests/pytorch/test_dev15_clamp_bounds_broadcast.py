"""clamp and clip with tensor bounds refuse shapes that do not broadcast together, all three at once, with PyTorch's
RuntimeError (a ShapeError), where each pair broadcasting let the engine reach NumPy's ValueError (surface seed
11938398: x (3, 1), min (1, 3), max (3, 4)); shapes that broadcast still run, to PyTorch's values.  Every door:
torch.clamp, torch.clip, the methods, in place and out=, one bound or two, bool tensors too."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

SHAPES = [(3, 1), (1, 3), (3, 4), (4,), (2, 1, 1), (), (3, 0)]
DOORS = {
    "clamp": lambda lib, x, lo, hi: lib.clamp(x, lo, hi),
    "clip": lambda lib, x, lo, hi: lib.clip(x, min=lo, max=hi),
    "Tensor.clamp": lambda lib, x, lo, hi: x.clamp(lo, hi),
    "Tensor.clip": lambda lib, x, lo, hi: x.clip(lo, hi),
    "Tensor.clamp_": lambda lib, x, lo, hi: x.clone().clamp_(lo, hi),
    "Tensor.clip_": lambda lib, x, lo, hi: x.clone().clip_(lo, hi),
    "out=": lambda lib, x, lo, hi: lib.clamp(x, lo, hi, out=lib.empty(0, dtype=x.dtype)),
    "min only": lambda lib, x, lo, hi: lib.clamp(x, min=lo),
    "max only": lambda lib, x, lo, hi: x.clamp(max=hi),
}


def _values(shape, dtype, k):
    v = np.sin(np.arange(int(np.prod(shape))) + k).reshape(shape) * 2
    return v > 0 if dtype == "bool" else v.astype(dtype)


def _outcome(lib, door, shapes, dtype):
    x, lo, hi = (lib.tensor(_values(s, dtype, k)) for k, s in enumerate(shapes))
    return outcome(lambda: DOORS[door](lib, x, lo, hi).numpy())


@pytest.mark.parametrize("dtype", ["float64", "int64", "bool"])
@pytest.mark.parametrize("door", list(DOORS))
def test_clamp_bounds_broadcast_or_refuse(door, dtype):
    wrong, cases = [], list(itertools.product(SHAPES, repeat=3))
    for shapes in cases:
        want, got = (_outcome(lib, door, shapes, dtype) for lib in (torch, minigan))
        if isinstance(want, Exception):
            if not (isinstance(got, Exception) and isinstance(got, type(want))):
                wrong.append((shapes, type(want).__name__, repr(got)[:120]))
        elif isinstance(got, Exception) or not np.array_equal(got, want):
            wrong.append((shapes, "ran", repr(got)[:120]))
    assert not wrong, f"{len(wrong)} of {len(cases)} differ: {wrong[:4]}"
