"""How PyTorch reads a Python index, before any indexing happens: ``x[range(n), y]``, ``x[[0, 2]]``, ``x[True]``.

PyTorch's Python layer (its ``python_variable_indexing.cpp``) turns whatever is written between the brackets into a
tuple of plain items (ints, slices, None, ..., bools and index tensors), and its C++ indexing works on those.  This
module is that layer for minigan: ``pytorch_index`` gives the engine's ``Tensor.__getitem__``/``__setitem__`` (which
check the items against the tensor and lay the result out as PyTorch does) a tuple of ints, slices, None, ...,
and integer or bool arrays.  Its rules, all PyTorch's:

- A tuple holds one index item per entry: ``x[(0, 1)]`` is ``x[0, 1]``.
- Any other sequence (a list, a range, a NumPy array, a tuple *inside* the tuple) is one index array: ``x[[0, 1]]``
  picks rows 0 and 1; its entries become int64, unless they are bools (or uint8: a mask, PyTorch's old rule).
- The historic exception: a list (any non-tuple sequence) shorter than 32 that holds a slice, None, ..., a tensor
  or a sequence is read as a tuple, with PyTorch's deprecation warning: ``x[[0, slice(None)]]`` is ``x[0, :]``, and
  ``x[[[0, 1], [1, 0]]]`` is ``x[[0, 1], [1, 0]]``.
- ``...`` stands for as many full slices as the tensor has axes the other items do not read.  PyTorch counts a
  NumPy or list mask as one axis there, so with one of more than one axis before it, ``...`` stands for too many,
  and items after it are refused; a second ``...`` moves on by as many again, so it may only end the index or
  stand for nothing.
- A bool (Python's, or a 0-d bool tensor) adds an axis of size 1 (True) or 0 (False); a 0-d integer tensor or
  array, or a NumPy integer, is an int.  A float, a NumPy bool scalar or a float tensor is refused (IndexError).
"""

from __future__ import annotations

import operator
import warnings

from minigan.engine import backend
from minigan.engine import tensor as engine
from minigan.engine.backend import np
from minigan.engine.errors import IndexOutOfRange

_PLAIN = (slice, type(None), type(Ellipsis))
_BASIC = {int, slice, type(None), type(Ellipsis)}  # (not bool: a bool is a mask)


def pytorch_index(index, ndim: int) -> tuple:
    """The items PyTorch reads in ``x[index]`` for an ``ndim``-d x: a tuple of ints, slices, None, ..., and integer
    or bool arrays."""
    if isinstance(index, tuple):
        items = index
    elif _read_as_tuple(index):
        warnings.warn("Using a non-tuple sequence for multidimensional indexing is deprecated (as in PyTorch); use "
                      "x[tuple(seq)] instead of x[seq]", UserWarning, stacklevel=3)
        items = tuple(index)
    else:
        items = (index,)
    if all(type(it) in _BASIC for it in items) and items.count(Ellipsis) <= 1:
        return items  # ints, slices, None and one ...: read alike by PyTorch and the engine (and x[...] = v is copy_)
    spans = ndim - sum(_axes_specified(it) for it in items)  # the axes PyTorch's ... stands for, by its count
    items = [it if it is Ellipsis else _item(it) for it in items]
    fills = ndim - sum(_axes_used(it) for it in items)  # the axes ... stands for, by what the items read
    if spans < 0:
        return tuple(items)  # too many indices, which the engine refuses
    out, dots = [], 0
    for pos, it in enumerate(items):
        if it is not Ellipsis:
            out.append(it)
            continue
        followed = any(later is not Ellipsis for later in items[pos + 1 :])
        if followed and dots and spans:
            raise IndexError(f"getitem: a second '...' moves on by {spans} more axes, past the {ndim} of the tensor "
                             "(as in PyTorch); write one")
        if followed and not dots and spans != fills:
            raise IndexError(f"getitem: '...' stands for {spans} axes here (PyTorch counts a NumPy or list mask as "
                             f"one axis), so the items after it fall past the {ndim} axes of the tensor; pass the "
                             "mask as a bool tensor")
        out.extend([slice(None)] * (fills if not dots else 0))  # a second ... spans what is left: nothing
        dots += 1
    return tuple(out)


def _axes_specified(item) -> int:
    """How many axes PyTorch counts for an item, as written, when it works out what ``...`` stands for: none for
    None, ... and bools, a bool (or uint8) tensor's ndim, and 1 for anything else (a NumPy mask or a list of bools
    too, which makes PyTorch refuse a 2-d one after ``...``: ``x[..., mask.numpy()]``)."""
    if item is None or item is Ellipsis or isinstance(item, bool):
        return 0
    if isinstance(item, engine.Tensor) and item.dtype.kind in "bu" and item.dtype.itemsize == 1:
        return item.ndim
    return 1


def _axes_used(item) -> int:
    """How many axes of the tensor an item (as _item gives it) reads: none for None, ... and 0-d masks."""
    if item is None or item is Ellipsis:
        return 0
    return item.ndim if backend.is_array(item) and item.dtype.kind == "b" else 1


def _is_sequence(obj) -> bool:
    return isinstance(obj, (list, tuple, range)) or backend.is_array(obj)


def _read_as_tuple(index) -> bool:
    """PyTorch's (and old NumPy's) rule for a non-tuple sequence: a short one holding a slice, None, ..., a tensor
    or a sequence is a tuple of index items."""
    if isinstance(index, engine.Tensor) or not _is_sequence(index) or backend.is_array(index) or len(index) >= 32:
        return False
    return any(isinstance(it, (*_PLAIN, engine.Tensor)) or _is_sequence(it) for it in index)


def _item(it):
    """One index item in the form the engine takes."""
    if isinstance(it, (*_PLAIN, bool)):
        return np.asarray(it) if isinstance(it, bool) else it  # a bool is a 0-d mask (NumPy's reading is PyTorch's)
    if isinstance(it, engine.Tensor):
        array = backend.get_array_module(it.array).asarray(it.array)  # (a 0-d result may hold a NumPy scalar: x > 0)
        if array.dtype.kind not in "biu":
            raise IndexError(f"getitem: tensors used as indices must be integer or bool tensors, got dtype "
                             f"{array.dtype}")
    elif _is_sequence(it):
        array = it if backend.is_array(it) else _index_array(it)
    elif isinstance(it, np.bool_) or not hasattr(it, "__index__"):  # (PyTorch refuses NumPy's bool scalar too)
        raise IndexError(f"getitem: index {it!r} of type {type(it).__name__} is not valid; expected ints, slices, "
                         "None, ..., bools, or sequences and tensors of integers or bools")
    else:
        return operator.index(it)  # a NumPy integer
    if array.dtype == np.uint8:  # (PyTorch's warning)
        warnings.warn("indexing with dtype torch.uint8 is now deprecated, please use a dtype torch.bool instead.",
                      UserWarning, stacklevel=4)
    if array.dtype.kind != "b":  # a uint8 index is a mask (PyTorch's old rule); any other number becomes int64
        array = array.astype(bool if array.dtype == np.uint8 else np.int64, copy=False)
    if array.ndim == 0 and array.dtype.kind != "b":
        return int(array)  # a 0-d integer tensor is an int, as in PyTorch
    return array


def _index_array(seq):
    """A sequence's numbers as an array, refused as PyTorch refuses them, whatever NumPy's version would do: a number
    past int64's range (or NaN) is a ValueError and a RuntimeError (NumPy 1.x keeps a large int as an object, 2.x
    raises OverflowError, and either makes 2**63 a float), a str, a complex or another non-number a TypeError."""
    entries = _plain_entries(seq)
    array = None if _past_int64(entries) else np.asarray(entries)
    if array is not None and array.dtype.kind not in "biuf":
        raise TypeError(f"getitem: an index sequence must hold numbers or bools, got {seq!r}")
    if array is None or array.dtype.kind == "f" and not (abs(array) < 2.0 ** 63).all():  # (NaN is not < either)
        raise IndexOutOfRange(f"getitem: an index in {seq!r} is past int64's range")
    return array


def _past_int64(entries) -> bool:
    if isinstance(entries, list):
        return any(_past_int64(e) for e in entries)
    return isinstance(entries, int) and not -2 ** 63 <= entries < 2 ** 63


def _plain_entries(seq):
    """A nested sequence with tensors and ranges in it as nested lists of numbers, for np.asarray."""
    if isinstance(seq, engine.Tensor):
        return seq.tolist()
    if isinstance(seq, (list, tuple, range)):
        return [_plain_entries(s) for s in seq]
    return seq
