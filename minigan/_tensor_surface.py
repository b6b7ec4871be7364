"""minigan.Tensor: the engine's Tensor plus the methods a PyTorch user expects.

The engine (minigan/engine/tensor.py) holds the value, the graph, the operators, views and in-place ops with
their versions, ``backward`` and the few dozen methods the lessons, GANs and attacks call.  This class stands on
it, as PyTorch's Python ``Tensor`` stands on its C++ base, and adds the rest of PyTorch's methods
(``_tensor_math.py``: math, indexing, sorting, the method forms of minigan's functions; ``_tensor_inplace.py``:
their in-place forms) and PyTorch's print (``_tensor_str.py``).

How results are surface tensors: the engine makes every tensor with ``Tensor._make``, whose class is one class
attribute, ``Tensor.plain``.  This module sets it once, below, to this class: from then on an engine op gives a
``minigan.Tensor`` (``nn.Parameter``, a subclass, too gives plain tensors, as in PyTorch), and the code between
the engine and this class (``_tensor_functions.py``) makes tensors with the engine's ``Tensor._make``.
"""

from __future__ import annotations

from minigan import _tensor_str
from minigan._tensor_index import pytorch_index
from minigan._tensor_inplace import TensorInPlace
from minigan._tensor_math import TensorMath
from minigan.engine import backend, checks
from minigan.engine import tensor as engine
from minigan.engine.methods import maximum, minimum


class Size(tuple):
    """``minigan.Size([2, 3])``: a shape, as ``torch.Size``: a tuple of ints (and equal to one) with ``numel()``,
    which ``x.shape`` and ``x.size()`` give.  A slice of one, a sum with a tuple and a repeat are Sizes too."""

    __module__ = "minigan"  # its name, as torch.Size's is torch's: minigan.Size

    def __new__(cls, sizes=()):
        sizes = tuple(sizes)
        if not all(hasattr(n, "__index__") and not isinstance(n, bool) for n in sizes):
            raise TypeError(f"Size: expected a sequence of ints, got {sizes!r}")
        return super().__new__(cls, (int(n) for n in sizes))

    def numel(self) -> int:
        """The number of elements of a tensor of this shape."""
        n = 1
        for size in self:
            n *= size
        return n

    def __getitem__(self, index):  # a slice of a Size is a Size, as in PyTorch: x.shape[1:].numel()
        item = super().__getitem__(index)
        return Size(item) if isinstance(index, slice) else item

    def __add__(self, other):  # x.shape + (1,) and (1,) + x.shape: Sizes, as in PyTorch
        return Size(tuple(self) + other) if isinstance(other, tuple) else NotImplemented

    def __radd__(self, other):
        return Size(other + tuple(self)) if isinstance(other, tuple) else NotImplemented

    def __mul__(self, times):
        return Size(tuple(self) * times)

    __rmul__ = __mul__

    def __repr__(self):
        return f"minigan.Size({list(self)})"


class Tensor(engine.Tensor, TensorMath, TensorInPlace):
    __doc__ = engine.Tensor.__doc__
    __slots__ = ()

    @property
    def shape(self) -> Size:
        """The shape, a ``minigan.Size`` (PyTorch's ``torch.Size``): a tuple of ints with ``numel()``."""
        return tuple.__new__(Size, self.array.shape)  # (an array's shape holds ints: no need to check them)

    # x[index] and x[index] = v read the index as PyTorch's Python layer does (ranges, lists, bools, NumPy
    # integers...: minigan/_tensor_index.py); the engine checks the items against the tensor and does the indexing.
    def __getitem__(self, index):
        return engine.Tensor.__getitem__(self, pytorch_index(index, self.ndim))

    def __setitem__(self, index, value):
        if index is False:  # PyTorch's x[False] = v writes nothing and records nothing (an empty selection)
            return
        engine.Tensor.__setitem__(self, pytorch_index(index, self.ndim), value)

    def __repr__(self):  # PyTorch's print, digit for digit (minigan/_tensor_str.py)
        return _tensor_str.tensor_repr(self)


engine.Tensor.plain = Tensor  # the class of every tensor the engine makes from now on (engine.Tensor._make)


def tensor(data, requires_grad=False, dtype=None, device=None) -> Tensor:
    """A new tensor holding a *copy* of ``data`` (as ``torch.tensor``): an array keeps its dtype; Python
    numbers and lists become bool, int64 or float32 by what they hold (``tensor([1, 2])`` is int64,
    ``tensor([1.0, 2])`` float32).  ``from_numpy(array)`` shares the array instead."""
    t = Tensor._make(checks.to_array(data.array if isinstance(data, engine.Tensor) else data, dtype, device,
                                     infer=True))
    return t.requires_grad_(True) if requires_grad else t


def from_numpy(array) -> Tensor:
    """A Tensor that shares memory with ``array`` (as ``torch.from_numpy``): changing one changes the other."""
    if not backend.is_array(array):
        raise TypeError(f"from_numpy: expected a NumPy (or CuPy) array, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: cannot share an array of dtype {array.dtype}; "
                        "expected a float, int or bool array")
    return Tensor._make(array)


__all__ = ["Size", "Tensor", "tensor", "from_numpy", "maximum", "minimum"]
