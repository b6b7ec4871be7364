"""Dtypes stay NumPy dtypes underneath their PyTorch-style names: NumPy takes them and they compare and hash equal to
NumPy's, NumPy's attributes are their own, and every name of a NumPy dtype gives the one minigan dtype.

(Its comparisons with PyTorch: tests/pytorch/test_printing.py.)"""

import copy
import pickle

import numpy as np
import pytest

import minigan
from library.helpers_dtype_names import NAMES


def test_still_a_numpy_dtype_underneath():
    f = minigan.float32
    assert f == np.float32 and np.float32 == f and f == np.dtype("float32") and f != np.float64 and f != None  # noqa: E711
    assert {np.dtype("float32"): "found"}[f] == "found" and hash(f) == hash(np.dtype("float32"))
    assert np.zeros(2, dtype=f).dtype == np.float32 and np.dtype(f) == np.float32 and f.kind == "f"
    assert np.finfo(f).eps == np.finfo(np.float32).eps and f.type(1.5) == np.float32(1.5)
    assert copy.deepcopy(f) is f and pickle.loads(pickle.dumps(f)) is f and isinstance(f, minigan.dtype)
    assert minigan.ones(2).dtype is minigan.float32 is minigan.float and minigan.long is minigan.int64


@pytest.mark.parametrize("name", NAMES)
def test_numpys_attributes_are_the_dtypes_own(name):
    """kind, itemsize, name and type (what every op's dtype check reads) are found by the normal lookup, not handed on
    by __getattr__, which Python calls only after that lookup has failed: an AttributeError made and dropped each read.
    The rest of NumPy's attributes are still handed on."""
    mine, theirs = getattr(minigan, name), np.dtype(getattr(minigan, name).dtype)
    for attr in ("kind", "itemsize", "name", "type"):
        assert object.__getattribute__(mine, attr) == getattr(theirs, attr)
    assert (mine.char, mine.str, mine.alignment) == (theirs.char, theirs.str, theirs.alignment)
    assert np.dtype(mine) is theirs and np.zeros(1, mine).dtype == theirs


def test_one_minigan_dtype_for_every_name_of_a_numpy_dtype():
    """The table x.dtype reads (minigan._dtype.OF) gives the one object for any name of a dtype, and makes a dtype it
    has not seen (a non-native byte order) once."""
    from minigan import _dtype

    for name in ("float32", np.float32, np.dtype("float32"), minigan.float32):
        assert _dtype.OF[name] is _dtype.of(name) is minigan.float32
    swapped = np.dtype("float32").newbyteorder()
    made = _dtype.OF[swapped]
    assert made is _dtype.OF[swapped.str] is _dtype.of(swapped) and made.dtype == swapped and made != minigan.float32
