"""pixel_shuffle and pixel_unshuffle against PyTorch over shape (leading batch axes, none, empty ones), factor and
dtype: any dtype, an input (*, C, H, W) of at least 3 dimensions, a positive factor, PyTorch's values and shapes
(an empty input to pixel_unshuffle comes back in its own shape, as PyTorch's), RuntimeErrors where it refuses."""

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("name", ["pixel_shuffle", "pixel_unshuffle"])
def test_pixel_shuffles_take_what_pytorchs_take(name):
    found = []
    for shape in [(2, 3, 4), (4, 2, 4), (1, 2, 4, 2, 4), (2, 4), (0, 4, 2, 2), (4, 0, 2), (2, 8, 2, 4), (3, 8, 4, 6)]:
        for r in (1, 2, 0, -1):
            for dtype in ("float64", "bool", "int64"):
                x = np.arange(int(np.prod(shape))).reshape(shape).astype(dtype)
                permuted = len(shape) == 3 and r == 1  # (then also of a permuted view: the result is row-major)
                record = []
                for lib, F in ((torch, torch.nn.functional), (minigan, MF)):
                    try:
                        t = lib.tensor(x.transpose(2, 0, 1)).permute(1, 2, 0) if permuted else lib.tensor(x)
                        y = getattr(F, name)(t, r)
                        flat_view = np.shares_memory(y.flatten().numpy(), y.numpy()) if y.numel() else True
                        record.append((tuple(y.shape), str(y.dtype).split(".")[-1], y.numpy().tolist(), flat_view))
                    except Exception as e:  # noqa: BLE001
                        record.append(type(e))
                theirs, ours = record
                same = issubclass(ours, _builtin(theirs)) if isinstance(theirs, type) and isinstance(ours, type) \
                    else ours == theirs
                if not same:
                    found.append(f"{name}({dtype} {shape}, {r}): {str(ours)[:120]} vs {str(theirs)[:120]}")
    assert not found, "\n".join(found[:10]) + f"\n({len(found)} differ)"
