"""torch.tensor / as_tensor of a NumPy array copies it keeping its layout, against PyTorch.

PyTorch's copy of an array keeps the order of its dimensions in memory (NumPy's order "K"): tensor(a.T) is a
transposed tensor (not contiguous, strides reversed), as a clone of a transposed tensor is; a conversion (dtype=)
keeps it too.  The strides and is_contiguous() show it, and view() follows from them.
"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

ARRAYS = {
    "a.T": lambda a: a.T,
    "a.transpose(1, 0, 2)": lambda a: a.transpose(1, 0, 2),
    "a.T[::2]": lambda a: a.T[::2],
    "a[:, ::2].T": lambda a: a[:, ::2].T,
    "Fortran order": lambda a: np.asfortranarray(a),
    "a[:, 1:]": lambda a: a[:, 1:],
    "a[::-1]": lambda a: a[::-1].copy(),
    "whole": lambda a: a,
}
DOORS = {
    "tensor": lambda lib, x: lib.tensor(x),
    "tensor dtype=float32": lambda lib, x: lib.tensor(x, dtype=lib.float32),
    "as_tensor dtype=float32": lambda lib, x: lib.as_tensor(x, dtype=lib.float32),
    "asarray copy=True": lambda lib, x: lib.asarray(x, copy=True),
}


def _seen(lib, door, name):
    a = np.arange(24.0).reshape(2, 3, 4)
    x = ARRAYS[name](a)
    t = DOORS[door](lib, x)
    t[(0,) * t.ndim] = -1  # a copy: the array keeps its values
    return t.stride(), t.is_contiguous(), t.tolist(), x.ravel().tolist()


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("name", list(ARRAYS))
def test_a_copy_of_a_numpy_array_keeps_its_layout_as_pytorch(name, door):
    assert _seen(minigan, door, name) == _seen(torch, door, name)
