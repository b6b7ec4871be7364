"""``del t[i]`` raises PyTorch's TypeError (a tensor's size is fixed; Python's own answer for a class with
__setitem__ and no __delitem__ is a bare AttributeError), whatever the index, and leaves the tensor as it was."""

import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

INDICES = [0, -1, slice(None), slice(1, 2), (0, 1), Ellipsis, None, [0, 1]]


def _delete(lib, index):
    t = lib.arange(6.0).reshape(2, 3)
    try:
        del t[index]
    except Exception as exc:  # noqa: BLE001 - the class is the result
        return type(exc), t.tolist()
    return None, t.tolist()


@pytest.mark.parametrize("index", INDICES, ids=repr)
def test_del_item_raises_pytorchs_type_error(index):
    (theirs, before), (mine, after) = _delete(torch, index), _delete(minigan, index)
    assert theirs is TypeError
    assert mine is not None and issubclass(mine, theirs), mine
    assert after == before
