"""A NumPy array given to tensor / as_tensor / asarray / from_numpy, against PyTorch: an array with a negative
stride (a[::-1]) is PyTorch's ValueError at each door; a broadcast array (zero strides) is copied row-major by
tensor(), and any other array keeps its own layout (tensor(a.T) is transposed)."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

_A = np.arange(24.0).reshape(2, 3, 4)
ARRAYS = {
    "row-major": _A,
    "transposed": _A.T,
    "sliced with a step": _A[:, ::2],
    "reversed rows": _A[::-1],
    "reversed last axis": _A[..., ::-1],
    "reversed 1-d": np.arange(5.0)[::-1],
    "broadcast": np.broadcast_to(np.arange(4.0), (3, 4)),
    "broadcast, transposed": np.broadcast_to(np.arange(3.0)[:, None], (3, 4)).T,
    "0-d": np.array(2.5),
}
DOORS = {
    "tensor": lambda lib, a: lib.tensor(a),
    "as_tensor": lambda lib, a: lib.as_tensor(a),
    "asarray": lambda lib, a: lib.asarray(a),
    "from_numpy": lambda lib, a: lib.from_numpy(a),
}


def _outcome(lib, door, array):
    try:
        t = DOORS[door](lib, array)
    except ValueError:
        return "ValueError"
    return t.stride(), t.tolist()


@pytest.mark.parametrize("array", ARRAYS)
@pytest.mark.parametrize("door", DOORS)
def test_each_door_takes_a_numpy_array_as_pytorchs(door, array):
    a = ARRAYS[array]
    if door == "from_numpy" and not a.flags.writeable:  # (PyTorch warns and shares a read-only array; minigan
        pytest.skip("a read-only array: from_numpy's warning and sharing are checked elsewhere")  # refuses writes)
    assert _outcome(minigan, door, a) == _outcome(torch, door, a)
