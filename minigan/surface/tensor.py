"""minigan.Tensor: the engine's Tensor plus the methods a PyTorch user expects.

The engine (minigan/engine/tensor.py) holds the value, the graph, the operators, views and in-place ops with
their versions, ``backward`` and the few dozen methods the lessons, GANs and attacks call.  This class stands on
it, as PyTorch's Python ``Tensor`` stands on its C++ base, and adds the rest of PyTorch's methods
(minigan/surface/: ``methods.py``, math, indexing, sorting, the method forms of minigan's functions; ``inplace.py``,
their in-place forms; ``missing_methods.py``, the names it lacks, each saying what to use instead) and PyTorch's
print (``surface/printing.py``).

How results are surface tensors: the engine makes every tensor with ``Tensor._make``, whose class is one class
attribute, ``Tensor.plain``.  This module sets it once, below, to this class: from then on an engine op gives a
``minigan.Tensor`` (``nn.Parameter``, a subclass, too gives plain tensors, as in PyTorch), and the code between
the engine and this class (the bodies in minigan/surface/) makes tensors with the engine's ``Tensor._make``.
"""

from __future__ import annotations

import copy
import warnings
import weakref

from minigan import _dtype
from minigan import storage as _storage
from minigan._dtype import TYPE_NAMES
from minigan.engine import backend, checks, walk
from minigan.engine import tensor as engine
from minigan.engine.errors import GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import RemovableHandle
from minigan.engine.methods import maximum, minimum
from minigan.surface import (
    bounds,
    creation,
    legacy,
    norms,
    operands,
    parity,
    pointwise,
    printing,
    products,
    reductions,
    scaled,
    variance,
)
from minigan.surface import data as data_
from minigan.surface import numpy_protocol as _numpy
from minigan.surface import sorting as surface_sorting
from minigan.surface.forms import TensorForms
from minigan.surface.inplace import TensorInPlace, recorded_fill, setitem_read_whole
from minigan.surface.methods import TensorMath
from minigan.surface.missing_methods import MissingMethods
from minigan.surface.numpy_names import REQUIRED, numpy_names
from minigan.surface.random_doors import TensorSamplers
from minigan.surface.shape_methods import TensorShapes
from minigan.surface.subscripts import pytorch_index
from minigan.surface.tensor_doors import TensorDoors

LEFT_OUT = reductions.LEFT_OUT  # (a reduction's dim or keepdim not given: PyTorch's forms tell it from None)

NON_LEAF_GRAD = (  # PyTorch's text
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
    "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf Tensor, "
    "use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure you access "
    "the leaf Tensor instead.")


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


# The engine Tensor's names minigan.Tensor (with TensorForms, before the engine in its MRO) replaces: PyTorch's forms of
# them.  Declared, so that a new one is a decision (tests/engine/test_engine_extension_points.py checks the list is
# exactly these); the engine itself asks a Tensor for none of them but its hook methods (minigan.engine.SEAMS), and
# reads its own arrays' shape and dtype (tests/engine/test_engine_reads_its_arrays.py).
ENGINE_NAMES_REPLACED = frozenset("""
    T __array__ __array_ufunc__ __eq__ __getitem__ __hash__ __init__ __matmul__ __ne__ __pow__ __repr__ __rpow__
    __rtruediv__ __setitem__ _compared _mean_along _refuse_place _sum_along _view_history abs add add_ argmax argmin
    clamp clamp_ clone contiguous copy_ device div_ dtype expand fill_ float grad grad_fn is_leaf max min ndim numpy
    permute register_hook relu reshape shape sign softmax sub sub_ to transpose var view
""".split())


class Tensor(TensorForms, engine.Tensor, TensorDoors, TensorMath, TensorShapes, TensorInPlace, TensorSamplers,
             MissingMethods):
    """``Tensor(data)``: an n-d array that remembers how it was computed (``minigan.tensor(data)`` is the usual way
    to make one).

    PyTorch's legacy constructor: a tensor, a storage, or an array already float32 is shared (``Tensor(t)`` is an
    alias of ``t``: zeroing one zeroes the other, as in PyTorch); other data (a list, an array of another dtype) is
    copied in the default float dtype (float32).  ``Tensor(2, 3)`` (sizes) is a float32 tensor of that shape (of
    zeros; PyTorch leaves it uninitialised).  minigan's own keywords, ``requires_grad=``, ``dtype=`` and ``device=``,
    make a copy.
    """
    # No __slots__ here: a tensor has a __dict__, as PyTorch's, for attributes of one's own (a course keeps each
    # hand-computed gradient beside autograd's: w.g = ...); copy, deepcopy and pickle carry them, as PyTorch's.
    # The engine's fields stay in its slots.

    def __new__(cls, *data, **keywords):  # (a subclass's own keywords too: Parameter(data=..., requires_grad=...))
        # Tensor(t), Tensor(t.storage()), Tensor(array of float32): PyTorch's legacy constructor shares their memory
        # (surface/legacy.py); the tensor made there is the answer, and __init__ leaves it as it is
        if cls is Tensor and keywords.keys() <= {"requires_grad", "dtype", "device"} and _shared_alone(
                cls, data, keywords.get("requires_grad", False), keywords.get("dtype"), keywords.get("device")):
            return legacy.shared("Tensor", data[0], None, from_numpy)
        return super().__new__(cls)

    def __init__(self, *data, requires_grad=False, dtype=None, device=None):
        if _shared_alone(type(self), data, requires_grad, dtype, device):  # (made by __new__, sharing data[0])
            return
        if len(data) == 1 and isinstance(data[0], Size):  # Tensor(x.size()): sizes, as PyTorch's (a tuple is data)
            data = tuple(data[0])
        if not checks.are_sizes(data):  # (data: its Python numbers must fit the dtype, as tensor(data)'s)
            data = (creation.numbers_fit("Tensor", data[0], dtype or backend.DEFAULT_DTYPE),) if len(data) == 1 \
                else data
            if len(data) == 1 and isinstance(data[0], (list, tuple)):  # (lists of tensors: their numbers)
                data = (data_.read(data[0])[0],)
            return super().__init__(*data, requires_grad=requires_grad, dtype=dtype, device=device)
        creation.allocated("Tensor", tuple(int(n) for n in data), dtype, lambda: super(Tensor, self).__init__(
            *data, requires_grad=requires_grad, dtype=dtype, device=device))  # (Tensor(2, 3): zeros, refused past
        # memory with PyTorch's RuntimeError, as creation's doors refuse)

    if parity.PROMOTES_0D_BY_VALUE:  # NumPy 1.x alone: a 0-d result in NumPy 2's dtype (surface/parity.py)
        @classmethod
        def _make(cls, out, requires_grad=False, source=None, op=None, params=(), arrays=()):
            out = parity.numpy_2_promotes(out, arrays, params)
            return super()._make(out, requires_grad, source, op, params, arrays)

    @property
    def dtype(self) -> _dtype.dtype:
        """The element type, ``minigan.float32``...: PyTorch's object, a NumPy dtype underneath (minigan/_dtype.py)."""
        return _dtype.OF[self.array.dtype]  # (a subscript, not of(): no Python call; read by every dtype check)

    @property
    def shape(self) -> Size:
        """The shape, a ``minigan.Size`` (PyTorch's ``torch.Size``): a tuple of ints with ``numel()``."""
        return tuple.__new__(Size, self.array.shape)  # (an array's shape holds ints: no need to check them)

    @property
    def grad(self):
        """The gradient accumulated by ``backward()``: a Tensor of this tensor's shape and dtype, or None.  A
        non-leaf's, which backward does not keep unless ``retain_grad()`` asked, warns when read, as PyTorch's."""
        if self._grad is None and self._ctx is not None and not self.retains_grad and not self.is_leaf:
            warnings.warn(NON_LEAF_GRAD, UserWarning, stacklevel=2)
        return self._grad

    grad = grad.setter(engine.Tensor.grad.fset)

    @grad.deleter
    def grad(self):  # del x.grad: None, as PyTorch's
        self._grad = None

    @property
    def T(self):
        """The dims reversed; PyTorch has deprecated it for tensors of other than 2 dims, and warns."""
        if self.ndim != 2:
            warnings.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their shape is deprecated "
                          "and it will throw an error in a future release. Consider `x.mT` to transpose batches of "
                          "matrices or `x.permute(*reversed(range(x.ndim)))` to reverse the dimensions of a tensor."
                          if self.ndim else "Tensor.T is deprecated on 0-D tensors. This function is the identity in "
                          "these cases.", UserWarning, stacklevel=2)  # (PyTorch's texts)
        return self.transpose()

    @property
    def retains_grad(self) -> bool:
        """Whether ``retain_grad()`` asked backward to keep this non-leaf's gradient (a leaf's: False, as PyTorch's)."""
        return self._ctx is not None and self._ctx.retained is not None and self._ctx.retained() is self

    def register_hook(self, hook) -> RemovableHandle:
        """Call ``hook(grad)`` each time the gradient with respect to this tensor is computed (the engine's
        register_hook): a tensor it returns goes on in the gradient's place, None keeps it, anything else is
        PyTorch's TypeError."""

        if not self.requires_grad:
            raise GraphError("register_hook: this tensor does not require grad, so no gradient will reach it")

        def checked(grad):  # (PyTorch's classes: TypeError for what is no tensor, RuntimeError for another shape/dtype)
            changed = hook(grad)
            if changed is not None and not isinstance(changed, engine.Tensor):
                raise TypeError(f"register_hook: expected a Tensor or None, but the hook returned a "
                                f"{type(changed).__name__}; return the new gradient (a tensor) or None")
            if changed is not None and (changed.shape != grad.shape or changed.dtype != self.dtype):
                raise ShapeError(f"register_hook: the hook returned a {changed.dtype} gradient of shape "
                                 f"{tuple(changed.shape)} for a {self.dtype} tensor of shape {tuple(grad.shape)}")
            return changed

        return super().register_hook(checked)

    def register_post_accumulate_grad_hook(self, hook) -> RemovableHandle:
        """Call ``hook(self)`` each time backward has added this leaf's gradient into ``.grad`` (after its
        register_hook functions, which see the gradient before the sum); the hook returns None.  As PyTorch's."""
        if not self.requires_grad:
            raise GraphError("register_post_accumulate_grad_hook: cannot register a hook on a tensor that doesn't "
                             "require gradient (no gradient will reach it)")
        if not self.is_leaf:
            raise GraphError("post accumulate grad hooks cannot be registered on non-leaf tensors (their .grad is "
                             "not accumulated): register one on the leaf, or use register_hook")
        def checked(leaf):  # (PyTorch's classes: a tensor returned is a RuntimeError, anything else a TypeError)
            returned = hook(leaf)
            if returned is not None:
                raise (GraphError if isinstance(returned, engine.Tensor) else TypeError)(
                    f"a post accumulate grad hook returned a {type(returned).__name__}: it should return None "
                    "(change .grad or the tensor in place instead)")

        if id(self) not in walk.post_accumulate:  # (the engine's table, by id: dropped with the leaf)
            walk.post_accumulate[id(self)] = {}
            weakref.finalize(self, walk.post_accumulate.pop, id(self), None)
        return RemovableHandle(walk.post_accumulate[id(self)], checked)

    # x[index] and x[index] = v read the index as PyTorch's Python layer does (ranges, lists, bools, NumPy
    # integers...: minigan/surface/subscripts.py); the engine checks the items against the tensor and does the indexing.
    def __getitem__(self, index):
        return engine.Tensor.__getitem__(self, pytorch_index(index, self.ndim))

    def __setitem__(self, index, value):
        if isinstance(value, backend.np.generic) and not isinstance(value, (int, float, complex, backend.np.integer)):
            raise TypeError(f"x[index] = value: can't assign a numpy.{type(value).__name__} (PyTorch's setitem takes "
                            "a Python number, a NumPy integer or a tensor); pass float(value), int(value) or a tensor")
        if index is False:  # PyTorch's x[False] = v writes nothing and records nothing (an empty selection)
            return
        creation.number_fits("x[index] = value", value, self.array.dtype)  # (a number past the dtype: refused)
        index = pytorch_index(index, self.ndim)
        setitem_read_whole(self, index, value)  # (index tensors: PyTorch's index_put_ refuses any shared memory)
        items = index if isinstance(index, tuple) else (index,)
        if backend.repeats(self.array) and all(i is None or i is Ellipsis or type(i) in (int, slice) for i in items):
            # x[i] = v writes through x[i], a view of its own (PyTorch's): of an expanded x, one whose entries may
            # not share memory, whose write changes every entry of x that shares its elements (and x[i]'s backward
            # then runs, where one through x would refuse)
            place = engine.Tensor.__getitem__(self, index)
            if not backend.repeats(place.array):
                return engine.Tensor.__setitem__(place, Ellipsis, value)
        engine.Tensor.__setitem__(self, index, value)

    def __repr__(self):  # PyTorch's print, digit for digit (minigan/printing.py)
        return printing.tensor_repr(self)

    # ---- the memory under the tensor, as PyTorch's storages show it (minigan/storage.py)
    def storage(self) -> _storage.TypedStorage:
        """The elements of the memory this tensor looks into (a view's is its base's); PyTorch has deprecated
        it for ``untyped_storage()``, and warns once."""
        return _storage.typed_storage(self.array)

    def untyped_storage(self) -> _storage.UntypedStorage:
        """The bytes of the memory this tensor looks into: two views of one tensor have the same ``data_ptr()``."""
        return _storage.untyped_storage(self.array)

    def storage_offset(self) -> int:
        """Where this tensor's first element is in its storage, in elements (``x[1].storage_offset()`` is
        ``x.shape[1]`` for a contiguous 2-D ``x``; an empty view's is PyTorch's too: ``x[3:3]``'s is 3·x.stride(0))."""
        layout = _storage.empty_view_layout(self)
        return _storage.storage_offset(self.array) if layout is None else layout[0]

    def data_ptr(self) -> int:
        """The address of the first element in memory."""
        return _storage.address(self.array)

    # ---- PyTorch's keywords on the engine's conversions and copies, checked here at the door: memory_format (the
    # one minigan has: row-major), non_blocking (a hint a synchronous copy satisfies) and to(copy=True)
    def to(self, *args, device=None, dtype=None, non_blocking=False, copy=False, memory_format=None, tensor=None):
        """``to(device)``, ``to(dtype)``, ``to(other)``, ``to(device, dtype)``; PyTorch's ``non_blocking`` and
        ``copy`` may follow by position: copy=True gives a new tensor even when nothing changes."""
        creation.only_defaults("to", memory_format=memory_format)
        args = args if tensor is None else (tensor, *args)
        flags = [a for a in args if isinstance(a, bool)]
        copy = flags[1] if len(flags) > 1 else copy
        out = super().to(*(a for a in args if not isinstance(a, bool)), device=device, dtype=dtype)
        if copy and out is self:  # (a copy in an integer dtype records nothing, as PyTorch's _to_copy, even of an
            out = (out if out.is_floating_point() else out.detach()).clone()  # integer tensor that requires grad)
        return self._copy_in(out, memory_format)

    def _copy_in(self, out, memory_format):
        """A conversion's result: where it copied and contiguous_format was asked, row-major (PyTorch's; the copy
        keeps the source's layout otherwise, preserve_format); where nothing was converted, the tensor itself."""
        if memory_format is creation.contiguous_format and out is not self and not out.is_contiguous():
            return out.contiguous()
        return out

    # (a list or tuple is not an operand: NotImplemented, as the engine's operators and PyTorch's answer)
    def __pow__(self, exponent):  # (x ** y: pow's door, whose backward refuses a bool exponent tensor, as PyTorch's)
        return NotImplemented if type(exponent) in checks.SEQUENCES else pointwise.pow(self, exponent)

    def __rpow__(self, base):  # (2 ** x: pow's door too, where an integer x may hold negative exponents)
        if type(base) in checks.SEQUENCES:
            return NotImplemented
        return pointwise.pow(base, self) if isinstance(base, int) else pointwise.powered(base, self)

    def __rtruediv__(self, other):  # (2 / x is x.reciprocal() * 2, as PyTorch's Tensor.__rtruediv__: 1/x first, which
        if type(other) in checks.SEQUENCES:  # rounds otherwise than 2/x, and its derivative -grad·(r·r) then ·2)
            return NotImplemented
        return pointwise.reciprocal(self) * other

    def permute(self, *order, dims=None):
        """``permute(1, 0)``, ``permute((1, 0))`` or ``permute(dims=(1, 0))``: one dim for each of the tensor's, as
        PyTorch's (``permute(())`` for a 0-d tensor); none given is a TypeError, not NumPy's transpose() reversal."""
        given = order if dims is None else (dims,)
        if not given:
            raise TypeError("permute() missing its dims: give a permutation of the tensor's dims, e.g. x.permute(1, 0) "
                            "(x.permute(()) for a 0-d tensor)")
        axes = given[0] if len(given) == 1 and isinstance(given[0], (tuple, list)) else given
        if len(axes) != self.ndim:  # (a RuntimeError, as PyTorch's)
            raise ShapeError(f"permute: {len(axes)} dims given, {tuple(axes)}, for a tensor of {self.ndim} dims; give "
                             "each of its dims once")
        return super().permute(*given)

    def transpose(self, *dims, dim0=None, dim1=None):
        """``transpose(0, 1)`` or ``transpose(dim0=0, dim1=1)`` (and NumPy's forms, the engine's)."""
        return super().transpose(*dims, *(d for d in (dim0, dim1) if d is not None))

    # max(other) and min(other) take NumPy's x2 for other too, and the scaled sums (below) x2 for theirs, as PyTorch's
    # argument parser does (``x.add(x2=y)``): one test more on the usual call, then numpy_names
    def max(self, dim=LEFT_OUT, keepdim=LEFT_OUT, *, other=None, axis=None, keepdims=None, x2=None):
        if x2 is not None:
            (other,) = numpy_names("max", other=(other, None, x2))
        if axis is keepdims is None:  # (PyTorch's spelling: its forms)
            reductions.one_dim_or_none("max", dim, keepdim, other)
        dim, keepdim = reductions.given(dim, None), reductions.given(keepdim, False)
        return super().max(dim if other is None else other, keepdim, axis=axis, keepdims=keepdims)

    def min(self, dim=LEFT_OUT, keepdim=LEFT_OUT, *, other=None, axis=None, keepdims=None, x2=None):
        if x2 is not None:
            (other,) = numpy_names("min", other=(other, None, x2))
        if axis is keepdims is None:
            reductions.one_dim_or_none("min", dim, keepdim, other)
        dim, keepdim = reductions.given(dim, None), reductions.given(keepdim, False)
        return super().min(dim if other is None else other, keepdim, axis=axis, keepdims=keepdims)

    # The scaled sums bind as PyTorch's: alpha by keyword, or first in its old overload x.add(2, y) (surface/scaled.py)
    def add(self, other=REQUIRED, *rest, alpha=None, x2=None):
        if not rest and alpha is None and x2 is None and other is not REQUIRED:  # (x.add(y): the engine's, at once,
            # not through super(), which builds an object to find it: the hottest door there is)
            return engine.Tensor.add(self, other)
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("add", other=(other, REQUIRED, x2))
        return super().add(*scaled.scaled_operand("add", self, other, rest, alpha))

    def sub(self, other=REQUIRED, *rest, alpha=None, x2=None):
        if not rest and alpha is None and x2 is None and other is not REQUIRED:
            return engine.Tensor.sub(self, other)
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("sub", other=(other, REQUIRED, x2))
        return super().sub(*scaled.scaled_operand("sub", self, other, rest, alpha, subtract=True))

    def add_(self, other=REQUIRED, *rest, alpha=None, x2=None):
        if not rest and alpha is None and x2 is None and other is not REQUIRED:  # (x += y: the engine's, at once)
            return engine.Tensor.add_(self, other)
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("add_", other=(other, REQUIRED, x2))
        return super().add_(*scaled.scaled_operand("add_", self, other, rest, alpha))

    def sub_(self, other=REQUIRED, *rest, alpha=None, x2=None):
        if not rest and alpha is None and x2 is None and other is not REQUIRED:
            return engine.Tensor.sub_(self, other)
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("sub_", other=(other, REQUIRED, x2))
        return super().sub_(*scaled.scaled_operand("sub_", self, other, rest, alpha, subtract=True))

    def abs(self):
        return super(Tensor, pointwise.kernel("abs", self)).abs()  # (no abs kernel of bools in PyTorch: NO_KERNEL)

    def _mean_along(self, dim, keepdim, *, dtype=None, axis=None, keepdims=None):  # (x.mean() and x.mean(dim) of
        # a floating x are the engine's alone: PyTorch's other forms, checked here)
        if axis is None and keepdims is None:  # (PyTorch's spelling: its forms)
            reductions.keepdim_needs_dim("mean", dim, keepdim)
        dim, keepdim = reductions.given(dim, None), reductions.given(keepdim, False)
        dim = reductions.every_dim(dim)  # (PyTorch's dim=(): every dim)
        if axis is None and keepdims is None:  # PyTorch's spelling, PyTorch's door: a floating mean (NumPy's spelling
            reductions.floating_mean("mean", self, dtype)  # keeps NumPy's meaning: an integer mean is float64)
        return super()._mean_along(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

    # clamp's number bounds read as PyTorch's (surface/bounds.py); tensor bounds are the engine's operands
    def clamp(self, min=None, max=None):
        return bounds.backward_refused("clamp", super().clamp(*bounds.number_bounds("clamp", self, min, max)), self,
                                       min, max)

    def clip(self, min=None, max=None):
        return bounds.backward_refused("clip", super().clamp(*bounds.number_bounds("clip", self, min, max)), self,
                                       min, max)

    def clamp_(self, min=None, max=None):
        return super().clamp_(*bounds.number_bounds("clamp_", self, min, max, in_place=True))

    def view(self, *shape, dtype=None, size=None):
        """``view(*shape)`` (the engine's, also ``view(size=...)``), or ``view(dtype)``: the same memory read as
        another dtype, bit for bit, as PyTorch's.  No gradient flows through it (PyTorch's view(dtype) has none)."""
        if dtype is None and len(shape) == 1 and isinstance(shape[0], _dtype.dtype):
            dtype, shape = shape[0], ()
        if not shape and size is None and dtype is None or shape and dtype is not None:  # (PyTorch's two overloads)
            raise TypeError("view() takes the sizes (view(2, 3), view((2, 3)), view(size=...)) or one dtype "
                            f"(view(torch.int32)), got sizes {shape} and dtype={dtype}")
        if dtype is None:
            return super().view(*shape) if size is None else super().view(size)
        out = Tensor._make(reinterpreted(self, backend.np.dtype(dtype)))
        out._counter = self._version_counter()  # (as detach's: the same memory and versions, no base, no graph)
        return out

    __matmul__ = products.matmul_operator  # (PyTorch's empty batches and saved copies, then the engine's product)

    def _sum_along(self, dim, keepdim, *, dtype=None, axis=None, keepdims=None):  # (x.sum() and x.sum(dim) are
        # the engine's alone: PyTorch's other forms, checked here)
        if axis is None and keepdims is None:  # (PyTorch's spelling: its forms)
            reductions.keepdim_needs_dim("sum", dim, keepdim)
        dim, keepdim = reductions.given(dim, None), reductions.given(keepdim, False)
        dim = reductions.every_dim(dim)  # (PyTorch's dim=(): every dim)
        if dtype is not None:  # (no integer dtype= of an input recording a gradient: reductions.in_dtype)
            reductions.in_dtype("sum", self, dtype, dim=dim if axis is None else axis)
        return super()._sum_along(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

    def argmax(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        if keepdims is not None:  # (NumPy's name, as PyTorch's parser takes it)
            (keepdim,) = numpy_names("argmax", keepdim=(keepdim, False, keepdims))
        return super(Tensor, surface_sorting.ordered(self, "argmax")).argmax(dim, keepdim, axis=axis)

    def argmin(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        if keepdims is not None:
            (keepdim,) = numpy_names("argmin", keepdim=(keepdim, False, keepdims))
        return super(Tensor, surface_sorting.ordered(self, "argmin")).argmin(dim, keepdim, axis=axis)

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        return norms.norm(self, p, dim, keepdim, dtype)  # (every order: minigan/surface/norms.py)

    def type(self, dtype=None, non_blocking=False):
        if isinstance(dtype, str):  # PyTorch's legacy names only ('torch.FloatTensor', 'torch.cuda.FloatTensor')
            library, _, name = dtype.rpartition(".")
            if library.removesuffix(".cuda") not in ("torch", "minigan") or name not in TYPE_NAMES:
                raise ValueError(f"type: invalid type: {dtype!r}; give a dtype (x.type(minigan.float64)) or a legacy "
                                 f"name such as 'torch.FloatTensor' (one of {', '.join(TYPE_NAMES)})")
        if dtype is None:  # the legacy type name ("minigan.FloatTensor")
            name = next((n for n, d in TYPE_NAMES.items() if d == self.dtype), str(self.dtype))
            return f"minigan.{'cuda.' if self.device.type == 'cuda' else ''}{name}"
        device = getattr(dtype, "device", None)  # a legacy type names a device too, as in PyTorch
        if isinstance(dtype, str):  # type(minigan.LongTensor), type("torch.DoubleTensor") or type(dtype): a cast copy
            device, dtype = "cuda" if ".cuda." in dtype else "cpu", TYPE_NAMES[dtype.rpartition(".")[2]]
        out = self.to(getattr(dtype, "dtype", dtype))  # a legacy constructor has a .dtype
        return out if device in (None, self.device) else out.to(device)

    def copy_(self, other, non_blocking=False):  # (other=: PyTorch's name by keyword; its parser knows no src=)
        return super().copy_(other)

    def fill_(self, value):
        operands.one_value("fill_", value)
        operands.fits("fill_", value, self.dtype)  # (∞ into an integer tensor: RuntimeError, as PyTorch's)
        return recorded_fill(super().fill_(value), "fill_", value, "FillBackward3")

    def float(self, *, memory_format=None):
        creation.only_defaults("float", memory_format=memory_format)
        return self._copy_in(super().float(), memory_format)

    def double(self, *, memory_format=None):
        creation.only_defaults("double", memory_format=memory_format)
        return self._copy_in(self.astype(backend.np.float64), memory_format)

    def long(self, *, memory_format=None):
        creation.only_defaults("long", memory_format=memory_format)
        return self._copy_in(self.to(dtype=backend.np.int64), memory_format)  # (no graph: an integer result)

    def cpu(self, *, memory_format=None):
        creation.only_defaults("cpu", memory_format=memory_format)
        return self._copy_in(self.to("cpu"), memory_format)

    def contiguous(self, *, memory_format=creation.contiguous_format):  # (PyTorch's: a format, by keyword)
        creation.a_memory_format("contiguous", memory_format)
        return super().contiguous()

    def __eq__(self, other):  # PyTorch's == and != answer NotImplemented where eq and ne refuse the other operand (a
        try:  # TypeError), so Python decides: the other object's own __eq__, else identity (x == object() is False)
            return super().__eq__(other)
        except TypeError:
            return NotImplemented

    def __ne__(self, other):
        try:
            return super().__ne__(other)
        except TypeError:
            return NotImplemented

    def _compared(self, out, a, b):  # a comparison's bool array, laid out as PyTorch's (surface/parity.py)
        return parity.pointwise_layout(out, a, b)

    __hash__ = engine.Tensor.__hash__  # (by identity: a class that defines __eq__ must say so again)

    # ---- NumPy's functions on a tensor (minigan/surface/numpy_protocol.py): np.exp(t), np.isfinite(t) give tensors
    # computed by NumPy, as PyTorch's; an operator with an array (a * t) is the tensor's own
    def __array__(self, dtype=None, copy=None):  # (NumPy reads a tensor as t.numpy(): its refusal, in the words of
        if self.requires_grad and is_grad_enabled():  # the line that handed NumPy the tensor)
            raise GraphError("np.asarray(t), np.mean(losses), plt.plot(t), ...: NumPy reads a tensor as t.numpy(), "
                             "which refuses one that requires grad, as PyTorch's; give NumPy t.detach() (the values: "
                             "t.detach().numpy()), or one number as loss.item() (losses.append(loss.item()))")
        return super().__array__(dtype, copy)

    __array_ufunc__ = _numpy.ArrayUfunc()  # (None for a GPU tensor, as CuPy's operators ask: see there)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        return _numpy.array_wrap(array)

    def __round__(self, ndigits=None):  # (PyTorch's tensor has none either: Python's TypeError, with the way out)
        raise TypeError(f"round(x{'' if ndigits is None else ', ' + repr(ndigits)}): a tensor has no Python round(), "
                        "as in PyTorch; write x.round() (x.round(decimals=n)) for a tensor, or round(x.item()"
                        f"{'' if ndigits is None else ', ' + repr(ndigits)}) for a Python number")

    # ---- what the data model computes for itself: x.shape = ..., x.dtype = ... are refused, naming the way to get
    # what the line wanted (Python's own words, "property 'shape' of 'Tensor' object has no setter", do not)
    shape = shape.setter(lambda self, value: _read_only(self, "shape", "x = x.reshape(...) or x.view(...)"))
    dtype = dtype.setter(lambda self, value: _read_only(self, "dtype", "x = x.to(dtype) (a copy in that dtype)"))
    ndim = property(engine.Tensor.ndim.fget, lambda self, value: _read_only(
        self, "ndim", "x = x.reshape(...), x.unsqueeze(dim) or x.squeeze(dim)"), doc="The number of dims.")
    device = property(engine.Tensor.device.fget, lambda self, value: _read_only(
        self, "device", "x = x.to(device)"), doc=engine.Tensor.device.__doc__)
    is_leaf = property(engine.Tensor.is_leaf.fget, lambda self, value: _read_only(
        self, "is_leaf", "x = x.detach() for a leaf that records nothing"), doc="Whether no op made this tensor.")
    grad_fn = property(engine.Tensor.grad_fn.fget, lambda self, value: _read_only(
        self, "grad_fn", "x = x.detach() to cut it from the graph"), doc="The node that made this tensor, or None.")
    T = T.setter(lambda self, value: _read_only(self, "T", "x = x.t() to keep the transpose, or x.copy_(v.t())"))

    def __delitem__(self, index):  # (without it, Python's answer is a bare AttributeError: '__delitem__')
        raise TypeError("Tensor does not support deleting items, as PyTorch's: a tensor's size is fixed; keep the "
                        "others with indexing (x[mask], minigan.cat of slices)")

    def __reversed__(self):  # reversed(t): a tensor, as PyTorch's (Python's own would iterate over the rows)
        return self if self.dim() == 0 else self.flip(0)

    def __reduce_ex__(self, protocol):
        """pickle and ``copy.copy``, as PyTorch's: a new leaf rebuilt from its storage, its offset and strides in it,
        and requires_grad (no ``.grad``, grad_fn, hooks nor retain_grad, whatever this tensor had): a view comes back
        a view of the whole storage; copy.copy shares the memory, pickle copies each storage.  A subclass's own
        attributes (its ``__dict__``) come along, as in PyTorch."""
        state = getattr(self, "__dict__", None)
        layout = _storage.layout(self.array)
        if layout is None:  # (a GPU or an empty array: its values)
            return (_rebuilt, (type(self), self.array, self.requires_grad)) + ((state,) if state else ())
        return (_rebuilt_view, (type(self), *layout, self.requires_grad)) + ((state,) if state else ())

    def __deepcopy__(self, memo):
        """``copy.deepcopy``, as PyTorch's: a leaf gives a new leaf on a copy of its storage (views deep-copied
        together share the copy, as they shared the storage), with its offset and strides, its requires_grad, name
        and a copy of its ``.grad`` (not its hooks); a tensor an op made refuses, for its graph cannot be copied."""
        if self.grad_fn is not None:  # (its graph cannot be copied)
            raise GraphError("deepcopy: only tensors created explicitly by the user (graph leaves) can be deep-copied, "
                             "as in PyTorch; copy the values with x.detach().clone()")
        layout = _storage.layout(self.array)
        if id(self) in memo:
            return memo[id(self)]
        if layout is None:  # (a GPU or an empty array: a copy of its values)
            memo[id(self)] = new = self._new(self.array.copy(), self.requires_grad)
            new.name = self.name
            if self.grad is not None:
                new.grad = copy.deepcopy(self.grad, memo)
            return new
        storage, offset, shape, strides = layout
        key = ("storage", id(_storage.root(self.array)))  # (the memory's owner: alive while self is)
        if key not in memo:
            memo[key] = storage.copy()
            memo.setdefault(id(memo), []).append(self)  # (copy's keep-alive list: self, so that the id stays its own)
        memo[id(self)] = new = self._new(_storage.strided(memo[key], offset, shape, strides), self.requires_grad)
        new.name = self.name
        if self.grad is not None:
            new.grad = copy.deepcopy(self.grad, memo)
        if self.__dict__:  # (attributes of one's own, deep-copied, as PyTorch's)
            new.__dict__.update(copy.deepcopy(self.__dict__, memo))
        return new

    def clone(self, *, memory_format=None):
        creation.only_defaults("clone", memory_format=memory_format)
        if memory_format is creation.contiguous_format and not self.is_contiguous():  # (row-major, as PyTorch's;
            return self.contiguous()  # its copy is a clone too, CloneBackward0)
        return super().clone()

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None, keepdims=None):
        """``var(False)``, a bool first, is PyTorch's ``var(unbiased)`` overload (std, which calls var, too)."""
        if keepdims is not None:  # (NumPy's name, as PyTorch's parser takes it)
            (keepdim,) = numpy_names("var", keepdim=(keepdim, False, keepdims))
        dim, unbiased = (None, dim) if isinstance(dim, bool) else (reductions.every_dim(dim), unbiased)
        correction = checks.number(correction)  # (a NumPy uint8 2 is 2: n − it must not wrap around in uint8)
        # PyTorch's gradient, var_backward, not the derivative of the engine's composition (surface/variance.py)
        return variance.var(self, dim if axis is None else axis, keepdim,
                            int(bool(unbiased)) if correction is None else correction,
                            lambda: super(Tensor, self).var(dim, unbiased, keepdim, correction=correction, axis=axis))


engine.Tensor.plain = Tensor  # the class of every tensor the engine makes from now on (engine.Tensor._make)


def _shared_alone(cls, data, requires_grad, dtype, device) -> bool:
    """``Tensor(data)`` alone (minigan's keywords at their defaults) of what PyTorch's legacy constructor shares."""
    return cls is Tensor and len(data) == 1 and requires_grad is False and dtype is None and device is None and \
        legacy.shares(data[0], None)


def _read_only(x, name, instead):
    """x.name = value, for what a tensor computes from its data or its graph: PyTorch's AttributeError, saying what
    to write instead."""
    raise AttributeError(f"x.{name} = ...: a tensor's {name} is not writable (it follows from its data and how it was "
                         f"made, as in PyTorch); write {instead}")


def _rebuilt_view(cls, storage, offset, shape, strides, requires_grad):
    """The tensor ``Tensor.__reduce_ex__`` describes for a host array: a new leaf of class ``cls`` looking into
    ``storage`` (a 1-D array) from ``offset`` with ``strides`` (in elements), as PyTorch rebuilds one."""
    return _rebuilt(cls, _storage.strided(storage, offset, shape, strides), requires_grad)


def _rebuilt(cls, array, requires_grad):
    """The tensor ``Tensor.__reduce_ex__`` describes: a new leaf of class ``cls`` holding ``array``."""
    t = object.__new__(cls)
    t._setup(array, requires_grad)
    return t


def reinterpreted(x, new):
    """x's array read as dtype ``new`` (NumPy's ``view``), where PyTorch reads it so: elements of another size are
    read along the last dimension, which must be contiguous, and every other stride and the offset must hold whole
    new elements (a float64 row of 2 is a float32 row of 4; a float32 row of 3 is no float64 row)."""
    a, old = x.array, x.array.dtype
    if new.itemsize != old.itemsize:
        what, ratio = f"view: to view {old} as {new} (different element sizes)", new.itemsize / old.itemsize
        strides = x.stride()  # (PyTorch's, in elements: an empty tensor's are row-major)
        if a.ndim == 0:
            raise ShapeError(f"{what}, the tensor needs a dimension, got a 0-d tensor; view x.reshape(1)")
        if strides[-1] != 1:
            raise ShapeError(f"{what}, the last dimension must be contiguous (stride 1), got stride {strides[-1]}; "
                             "view x.contiguous()")
        if ratio > 1 and (a.shape[-1] % ratio or any(s % ratio for s in strides[:-1]) or
                          x.storage_offset() % ratio):
            raise ShapeError(f"{what}, the last size, the other strides and the offset must be multiples of "
                             f"{int(ratio)}, got shape {a.shape}, strides {strides} and offset {x.storage_offset()}")
    if not a.size:  # (NumPy's empty arrays have zero strides, which its view refuses: a new empty array of the shape)
        return backend.get_array_module(a).empty(a.shape[:-1] + (int(a.shape[-1] / (new.itemsize / old.itemsize)),)
                                                 if a.ndim else (), dtype=new)
    return a.view(new)


def tensor(data, *, requires_grad=False, dtype=None, device=None, pin_memory=False) -> Tensor:
    """A new tensor holding a *copy* of ``data`` (as ``torch.tensor``): an array keeps its dtype; Python
    numbers and lists become bool, int64 or float32 by what they hold (``tensor([1, 2])`` is int64,
    ``tensor([1.0, 2])`` float32).  ``from_numpy(array)`` shares the array instead."""
    creation.only_defaults("tensor", pin_memory=pin_memory)
    if isinstance(data, engine.Tensor):  # (PyTorch's warning: a copy of a tensor is spelled so)
        warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() or "
                      "sourceTensor.detach().clone().requires_grad_(True), rather than minigan.tensor(sourceTensor).",
                      UserWarning, stacklevel=2)
    data = creation.numbers_fit("tensor", data, dtype)  # (Python numbers past the dtype: PyTorch's refusals)
    t = Tensor._make(data_.to_array(data.array if isinstance(data, engine.Tensor) else data, dtype, device,
                                    infer=True))
    return t.requires_grad_(True) if requires_grad else t


def from_numpy(array, /) -> Tensor:
    """A Tensor that shares memory with ``array`` (as ``torch.from_numpy``): changing one changes the other.  A
    read-only array warns, as PyTorch's does: an in-place op on the tensor would fail."""
    if backend.is_array(array) and not getattr(array.flags, "writeable", True):
        warnings.warn("The given NumPy array is not writable, and the tensor shares its memory: an in-place op on "
                      "the tensor will fail. Copy the array first (array.copy()) to write to it, or use "
                      "minigan.tensor(array).", UserWarning, stacklevel=2)
    return share_array(array)


def share_array(array) -> Tensor:
    """``from_numpy`` without its warning, for the data loaders, which share the arrays a user gives them and never
    write to them in place: a user who passed a read-only array to ``TensorDataset`` did not ask for a tensor on it.
    (The attacks copy a read-only batch first, fgsm's ``_as_input``, and keep ``from_numpy``.)"""
    if not backend.is_array(array):
        raise TypeError(f"from_numpy: expected a NumPy (or CuPy) array, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: cannot share an array of dtype {array.dtype}; "
                        "expected a float, int or bool array")
    checks.no_negative_strides(array)
    return Tensor._make(_storage.own_storage(backend.plain_array(array)))  # (a memmap: a plain array on its memory)


__all__ = ["Size", "Tensor", "tensor", "from_numpy", "maximum", "minimum"]

# Last, with Tensor whole: a node's PyTorch names (grad_fn.name(), next_functions, the grad_fn=<MulBackward0> that
# print(y) shows) and the op table's rows (results' layouts, gradients under create_graph, names) come with the
# surface, whatever a program imports first.
from minigan.surface import node_view as _node_view  # noqa: E402, F401
from minigan.surface import ops as _ops  # noqa: E402, F401
