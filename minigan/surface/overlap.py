"""What PyTorch refuses to write in place: an operand sharing some, but not all, of the memory written, and an expanded
tensor whose entries share memory (written only by the ops that set values).  The engine's in-place rule
(minigan/engine/inplace.py) records the change and bumps the version; minigan.Tensor asks ``refuse_place`` first,
as the engine's ``_refuse_place`` (minigan.Tensor's method: surface/forms.py), and the surface's own in-place doors ask
``refuse_overlap`` for the operands they read.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.backend import repeats
from minigan.engine.errors import GraphError

# The ops PyTorch lets write into an expanded tensor, whose entries share memory (it checks the others for "internal
# overlap" and refuses): each sets values, so an element shared by several entries is written where the op writes.
# (x[i] = v is PyTorch's index_put_ for index arrays, which writes a copy here, and a copy_ into x[i] otherwise.)
SETS_VALUES = {"fill_", "masked_fill_", "index_fill_", "index_put_", "tril_", "triu_", "threshold(inplace=True)"}


def refuse_place(x, op, place, given, tensors) -> None:
    """Refuse to write ``place`` (the array of ``x`` an in-place op writes) as PyTorch refuses: an expanded place,
    unless the op sets values (fill_ a number: ``given``, the operands as given); an operand tensor sharing some of
    its memory (PyTorch reads a fill's 0-d value as a number, and makes addmm_'s product, first)."""
    expanded, xp = repeats(place), backend.get_array_module(place)
    if not (expanded or any(isinstance(t.array, xp.ndarray) and xp.may_share_memory(place, t.array) for t in tensors)):
        return  # the usual call (w -= lr * g): a place of distinct entries, and no operand's memory overlaps it
    if expanded and (op not in SETS_VALUES or op == "fill_" and hasattr(given[0], "_ctx")):
        raise GraphError(f"{op}: more than one element of this tensor refers to one memory location (an expanded "
                         "view), which PyTorch lets only fill_, masked_fill_ and the like write; change a .clone()")
    for o in tensors:
        if not (op == "addmm_" or op in ("fill_", "masked_fill_", "index_fill_") and o.ndim == 0):
            refuse_overlap(op, place, o.array, op == "setitem")


def refuse_overlap(op, a, b, setitem=False, whole=False, what="the value read") -> None:
    """Refuse an in-place op whose operand ``b`` shares memory with the array ``a`` it writes, as PyTorch refuses it:
    some, but not all, of it for the elementwise ops (add_, copy_, x[i] = v), any of it (``whole``) for the ops that
    write where an index says (scatter_, index_add_, x[index tensor] = v: PyTorch's assert_no_overlap).  PyTorch's
    test: only arrays without gaps or repeats are compared (others run), the very same array aside; the same bytes with
    the same strides count as all.  (``x[i] = v`` first broadcasts v to x[i]'s shape: size-1 axes do not count.)"""
    xp = backend.get_array_module(a)  # (b may be a host scalar, the number given to fill_ or add_: no view)
    if a is not b and (not isinstance(b, xp.ndarray) or not xp.may_share_memory(a, b) or not (_dense(a) and _dense(b))
                       or setitem and not whole and b.size != a.size):  # (a value broadcast to x[i]: not checked)
        return
    a_strides, b_strides = ([s for n, s in zip(t.shape, t.strides) if n != 1 or not setitem] for t in (a, b))
    if whole or (_address(a), a.nbytes, a_strides) != (_address(b), b.nbytes, b_strides):
        raise GraphError(f"{op}: {what} shares {'' if whole else 'some, but not all, '}memory with the tensor written "
                         "(a view of it); PyTorch refuses this too: pass a .clone() of it")


def _dense(a) -> bool:
    """Are ``a``'s elements packed, each once (some order of its axes is C-contiguous)?"""
    step = a.itemsize
    for stride, n in sorted((s, n) for s, n in zip(a.strides, a.shape) if n != 1):
        if stride != step:
            return False
        step *= n
    return True


def _address(a) -> int:
    """Where an array's first element lives (NumPy's or CuPy's array interface)."""
    return (a.__cuda_array_interface__ if hasattr(a, "__cuda_array_interface__") else a.__array_interface__)["data"][0]
