"""The dropout family (dropout, dropout1d, dropout2d; dropout3d and the alpha dropouts are not in minigan) over input
dtype x shape x p x training, against PyTorch: what runs (with PyTorch's dtype, shape, and whether the input itself
comes back), what warns, and PyTorch's exception class where it refuses.  Values are compared where nothing is drawn
(p = 0, p = 1, training=False); with 0 < p < 1 each kept entry is the input scaled by 1/(1 − p), as there.
"""

import warnings

import numpy as np
import pytest

import minigan
import minigan.functional as MF
from pytorch.exception_oracle import builtin_class as _builtin

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
NAMES = ["dropout", "dropout1d", "dropout2d"]
SHAPES = [(), (4,), (2, 3), (2, 3, 4), (2, 0, 3), (1, 2, 3, 4), (1, 1, 1, 2, 2)]


def _outcome(lib, name, dtype, shape, p, training):
    x = lib.tensor(np.arange(1, int(np.prod(shape)) + 1).reshape(shape).astype(dtype))
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            y = getattr(MF if lib is minigan else torch.nn.functional, name)(x, p, training)
    except Exception as e:  # noqa: BLE001
        return type(e)
    v = np.asarray(y.numpy(), dtype=float)
    if training and 0 < p < 1 and v.size:  # drawn: each entry 0 or x / (1 − p)
        x_ = np.arange(1, v.size + 1).reshape(shape).astype(float)
        v = bool(np.all(np.isclose(v, 0) | np.isclose(v, x_ / (1 - p))))
    else:
        v = v.tolist()
    return str(y.dtype).split(".")[-1], tuple(y.shape), y is x, v, bool(caught)


@pytest.mark.parametrize("name", NAMES)
def test_dropouts_take_and_refuse_what_pytorchs_do(name):
    found = []
    for dtype in ("float64", "float32", "int64", "bool"):
        for shape in SHAPES:
            for p in (0.5, 0.0, 1.0):
                for training in (True, False):
                    theirs = _outcome(torch, name, dtype, shape, p, training)
                    ours = _outcome(minigan, name, dtype, shape, p, training)
                    if isinstance(theirs, type) or isinstance(ours, type):
                        same = isinstance(theirs, type) and isinstance(ours, type) and \
                            issubclass(ours, _builtin(theirs))
                    else:
                        same = ours == theirs
                    if not same:
                        found.append(f"{name}({dtype} {shape}, p={p}, training={training}): {ours} vs {theirs}")
    assert not found, "\n".join(found[:14]) + f"\n({len(found)} differ)"
