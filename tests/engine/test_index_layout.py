"""x[index] lays out an int, a slice and a list as PyTorch does, not as NumPy: ``x[1, :, [0, 3]]`` is
``x[1][:, [0, 3]]`` (shape (3, 2) for a (2, 3, 4) x, where NumPy gives (2, 3)).

(Its comparisons with PyTorch: tests/pytorch/test_indexing.py.)"""

import minigan


def test_int_then_slice_then_list():
    x = minigan.arange(24).view(2, 3, 4)
    assert x[1, :, [0, 3]].tolist() == [[12, 15], [16, 19], [20, 23]]
    x[1, :, [0, 3]] = minigan.zeros(3, 2, dtype=minigan.int64)
    assert x[1].tolist() == [[0, 13, 14, 0], [0, 17, 18, 0], [0, 21, 22, 0]]
