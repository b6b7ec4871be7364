"""Random index expressions, read and written under minigan and under PyTorch (float64, the oracle).

An expression indexes a random 1-4-d tensor with a random mix of what PyTorch takes as an index: ints, slices, None,
..., Python bools, ranges, lists and tuples of ints or bools (nested too), NumPy integer and bool arrays, NumPy
integer scalars, 0-d integer tensors and integer/bool tensors, as one item, a tuple of items, or a list of items
(PyTorch's historic rule: a short list holding a slice, None, ... or a sequence is read as a tuple).  Each is compared
on: the value, shape and dtype of ``x[index]``, the gradient of a getitem, and ``x[index] = v`` with a tensor of
x[index]'s shape, with a number, with a value that broadcasts, and ``x[index] += v`` (its gradient too); and on an
integer tensor, the value and dtype read and a number written.  Where
PyTorch refuses an expression, minigan must refuse it with the same kind of error (IndexError, TypeError, ...).
Two differences are deliberate and counted apart, where minigan refuses what PyTorch runs: PyTorch checks no bounds
when the result is empty (``x[1:1, [7]]`` of a (3, 2) x gives a (0, 1) tensor); and PyTorch counts a NumPy or list
mask as one axis when it works out what ``...`` stands for, so with a mask of 2+ axes before ``...`` and an item
after it, its result reads the wrong axes (``x[m, ..., i]`` of a (2, 1, 3) x with a (2, 1) mask m and a (3, 1) i
gives a (3, 2, 3) tensor; with m a tensor, (3, 2)): minigan refuses both with an IndexError that says why.

(Its comparisons with PyTorch: tests/pytorch/test_index_fuzz.py.)"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import minigan  # noqa: E402


def test_a_list_of_slices_is_a_tuple_with_pytorchs_warning():
    x = minigan.arange(24).view(2, 3, 4)
    with pytest.warns(UserWarning, match="non-tuple sequence"):
        assert x[[0, slice(None), [1, 2]]].tolist() == x[0, :, [1, 2]].tolist()
    assert x[[0, 1]].shape == (2, 3, 4) and x[(0, 1)].shape == (4,)  # a list is one index, a tuple two


def test_what_pytorch_refuses_is_refused():
    x = minigan.zeros(2, 3)
    for index in (np.bool_(True), 0.5, (0.5,), minigan.tensor([0.0, 1.0]), [[True, False, True]], (0, 0, 0)):
        with pytest.raises(IndexError):
            x[index]
    x[False] = 1.0  # as in PyTorch: writes nothing
    assert x.sum().item() == 0
