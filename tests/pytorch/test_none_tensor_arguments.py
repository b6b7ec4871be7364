"""A tensor argument that is None: PyTorch raises TypeError at the doors its C++ parser reads (mv, dot, ger, mm,
linear...) and AttributeError at the Python functions that read the argument's size or dim first
(F.mse_loss, F.l1_loss, binary_cross_entropy, smooth_l1_loss, huber_loss, normalize, margin_ranking_loss, glu,
tensordot).  minigan's refusal of a non-tensor is both (NotATensor), so it is PyTorch's class at every door; its
message says what was wrong.  Each door, None at each tensor position, against PyTorch."""

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {
    "mv": (2, lambda lib, a, b, c: lib.mv(a, b)), "dot": (2, lambda lib, a, b, c: lib.dot(a, b)),
    "ger": (2, lambda lib, a, b, c: lib.ger(a, b)),
    "tensordot": (2, lambda lib, a, b, c: lib.tensordot(a, b)),
    "mm": (2, lambda lib, a, b, c: lib.mm(a, b)), "matmul": (2, lambda lib, a, b, c: lib.matmul(a, b)),
    "F.mse_loss": (2, lambda lib, a, b, c: lib.nn.functional.mse_loss(a, b)),
    "F.l1_loss": (2, lambda lib, a, b, c: lib.nn.functional.l1_loss(a, b)),
    "F.binary_cross_entropy": (2, lambda lib, a, b, c: lib.nn.functional.binary_cross_entropy(a, b)),
    "F.smooth_l1_loss": (2, lambda lib, a, b, c: lib.nn.functional.smooth_l1_loss(a, b)),
    "F.huber_loss": (2, lambda lib, a, b, c: lib.nn.functional.huber_loss(a, b)),
    "F.normalize": (1, lambda lib, a, b, c: lib.nn.functional.normalize(a)),
    "F.glu": (1, lambda lib, a, b, c: lib.nn.functional.glu(a)),
    "F.margin_ranking_loss": (3, lambda lib, a, b, c: lib.nn.functional.margin_ranking_loss(a, b, c)),
    "F.linear": (2, lambda lib, a, b, c: lib.nn.functional.linear(a, b)),
}
SHAPES = {"mv": [(2, 2), (2,)], "dot": [(2,), (2,)], "ger": [(2,), (2,)], "F.margin_ranking_loss": [(2,), (2,), (2,)]}


def _raised(lib, door, position):
    count, call = DOORS[door]
    shapes = SHAPES.get(door, [(2, 2)] * 3)
    args = [lib.full(s, 0.5, dtype=lib.float64) for s in shapes[:count]] + [None] * (3 - count)
    args[position] = None
    try:
        call(lib, *args)
    except Exception as e:  # noqa: BLE001  (the class is the comparison)
        return e
    return None


@pytest.mark.parametrize("door", list(DOORS))
def test_a_none_tensor_argument_raises_pytorchs_class(door):
    for position in range(DOORS[door][0]):
        theirs, mine = _raised(torch, door, position), _raised(minigan, door, position)
        assert theirs is not None
        assert isinstance(mine, type(theirs)), (position, theirs, mine)
        assert "NoneType" in str(mine), (position, mine)  # (minigan's own message: what was given)
