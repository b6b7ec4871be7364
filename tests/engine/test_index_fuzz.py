"""Indexing without PyTorch: a list of slices is read as a tuple with PyTorch's deprecation warning, and the
index expressions PyTorch refuses (a bool or float scalar, float tensors, ragged lists, ...) are refused with
PyTorch's exception class.

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
