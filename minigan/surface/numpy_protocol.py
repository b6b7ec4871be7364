"""Where a tensor meets NumPy's functions: ``np.exp(t)``, ``np.isfinite(t)``, ``np.round(t)``, ``a + t``.

PyTorch's tensor goes through NumPy by two doors: ``__array__`` (NumPy reads the tensor as ``t.numpy()``, which a
tensor that requires grad refuses) and ``__array_wrap__`` (NumPy hands the result back, and it becomes a tensor; a
bool result a uint8 one, as PyTorch's wrap makes it).  So ``np.exp(t)`` is a tensor computed by NumPy, outside any
graph, and matplotlib's ``np.isfinite(limits)`` runs on tensor limits.  minigan's tensor takes NumPy's ufuncs by
``__array_ufunc__`` and does the same, with one difference kept on purpose: an operator between an array and a tensor
(``a * t``, ``a - t``, ``a < t``; NumPy calls its ufunc for it) is the tensor's own operator, a tensor recorded in
the graph, where PyTorch's is a TypeError (docs/pytorch.md says why).
"""

from __future__ import annotations

import functools

from minigan import storage as _storage
from minigan.engine import backend
from minigan.engine import tensor as engine

np = backend.np

# The ufuncs NumPy calls for Python's operators, and the tensor's method for each order of the operands: a NumPy
# array (or scalar) first, then the tensor, is the tensor's reflected operator (a - t is t.__rsub__(a))
OPERATORS = {
    np.add: ("__add__", "__radd__"), np.subtract: ("__sub__", "__rsub__"), np.multiply: ("__mul__", "__rmul__"),
    np.true_divide: ("__truediv__", "__rtruediv__"), np.floor_divide: ("__floordiv__", "__rfloordiv__"),
    np.remainder: ("__mod__", "__rmod__"), np.power: ("__pow__", "__rpow__"), np.matmul: ("__matmul__", "__rmatmul__"),
    np.bitwise_and: ("__and__", "__rand__"), np.bitwise_or: ("__or__", "__ror__"),
    np.bitwise_xor: ("__xor__", "__rxor__"), np.less: ("__lt__", "__gt__"), np.less_equal: ("__le__", "__ge__"),
    np.greater: ("__gt__", "__lt__"), np.greater_equal: ("__ge__", "__le__"), np.equal: ("__eq__", "__eq__"),
    np.not_equal: ("__ne__", "__ne__"),
}
WRAPPED = ("__call__", "reduce", "accumulate", "reduceat")  # (NumPy wraps these results; outer's and at's it does not)


class ArrayUfunc:
    """``Tensor.__array_ufunc__``.  NumPy looks it up on the class and calls it with the tensor first (``array_ufunc``).
    CuPy reads it from the tensor, and where it finds None hands an operator with a CuPy array first to the tensor's
    own (``a * t`` is ``t.__rmul__(a)``): a GPU tensor answers None, as the engine's tensor answers on every device."""

    def __get__(self, t, owner=None):
        if t is None:
            return array_ufunc
        return None if backend.device_of(t.array) != "cpu" else functools.partial(array_ufunc, t)


def array_ufunc(t, ufunc, method, *inputs, **kwargs):
    """``Tensor.__array_ufunc__``: an operator with an array is the tensor's operator; any other ufunc runs in NumPy on
    the tensors' arrays (``__array__``: a tensor that requires grad is refused, as PyTorch's numpy()) and its result
    comes back a tensor (``array_wrap``), or goes into ``out=`` when given, which must be an array."""
    if method == "__call__" and not kwargs and len(inputs) == 2 and ufunc in OPERATORS:
        first, second = inputs
        if isinstance(first, engine.Tensor):
            answer = getattr(first, OPERATORS[ufunc][0])(second)
        else:
            answer = getattr(second, OPERATORS[ufunc][1])(first)
        if answer is not NotImplemented:  # (np.add([1, 2], t): a list is no operand; NumPy reads it below)
            return answer
    out = kwargs.get("out")
    if out is not None and any(isinstance(o, engine.Tensor) for o in out):
        raise TypeError(f"np.{ufunc.__name__}(..., out=tensor): NumPy cannot write into a tensor, as it cannot into "
                        f"PyTorch's; write the tensor's own in-place method (t.{ufunc.__name__}_() where it has one), "
                        "or t.copy_(...) of the result")
    arrays = tuple(np.asarray(x) if isinstance(x, engine.Tensor) else x for x in inputs)
    result = getattr(ufunc, method)(*arrays, **kwargs)
    if out is not None or method not in WRAPPED:
        return result
    return tuple(array_wrap(r) for r in result) if isinstance(result, tuple) else array_wrap(result)


def array_wrap(array):
    """A NumPy result as PyTorch's ``__array_wrap__`` makes it: a tensor on its memory, a bool one as uint8 (PyTorch's
    wrap does so), a NumPy scalar as a 0-d tensor."""
    array = np.asarray(array)
    if array.dtype == np.bool_:
        array = array.astype(np.uint8)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"NumPy's result has dtype {array.dtype}, which a tensor cannot hold; call the function on "
                        "t.numpy() to keep NumPy's array")
    if any(s < 0 for s in array.strides):  # (np.flip's view: a tensor's strides are never negative)
        array = array.copy()
    return engine.Tensor._make(_storage.own_storage(array))  # (as from_numpy shares an array)
