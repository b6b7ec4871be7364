"""The method forms of minigan's free functions and of the elementwise math of ``unary.py``
(``x.sin()``, ``x.lerp(y, w)``, ``x.new_zeros(...)``, ...), which ``Tensor`` inherits.

They live here, above the engine's methods (minigan/engine/methods.py), in minigan.Tensor.  Each is one
line: an op's ``apply`` behind the door check, or the body it shares with the free function of the same name
(the bodies by topic in this folder, the one home of their checks).  Delegation runs one way: ``minigan.lerp`` is
that body (toplevel.py hands it on), a method never calls a free function.  A PyTorch name a Tensor does not have
gives the one-line advice of ``missing.py`` (missing_methods.py writes each such name on the class).
"""

from __future__ import annotations

import math
import numbers
import warnings

from minigan import storage
from minigan.engine import backend, checks
from minigan.engine.errors import DtypeError, GraphError, ShapeError
from minigan.engine.methods import _dim, _keepdim
from minigan.engine.ops import activation
from minigan.engine.ops import reduce as reduction
from minigan.engine.ops import shape as shaping
from minigan.engine.tensor import Tensor as EngineTensor
from minigan.surface import creation, factors, operands, pointwise, products, reductions, shapes
from minigan.surface import data as data_
from minigan.surface.numpy_names import REQUIRED, numpy_names


def check_slope(negative_slope) -> float:
    if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float)) and not \
            backend.is_numpy_scalar(negative_slope):
        raise TypeError(f"leaky_relu: negative_slope must be a number, got {type(negative_slope).__name__} "
                        f"{negative_slope!r}")
    return float(negative_slope)


class TensorMath:
    """Mixed into ``Tensor`` (which has the operators, ``ne``, ``sub``, ``expand``...)."""

    __slots__ = ()

    # ---- PyTorch's conveniences the engine, the lessons, the GANs and the attacks do not call (they were in the
    # engine's methods.py until the engine wing kept only those)
    def half(self, *, memory_format=None):
        creation.only_defaults("half", memory_format=memory_format)
        return self.astype(backend.np.float16)

    def short(self, *, memory_format=None):
        creation.only_defaults("short", memory_format=memory_format)
        return self.to(backend.np.int16)

    def byte(self, *, memory_format=None):
        creation.only_defaults("byte", memory_format=memory_format)
        return self.to(backend.np.uint8)

    def char(self, *, memory_format=None):
        creation.only_defaults("char", memory_format=memory_format)
        return self.to(backend.np.int8)

    @property
    def is_cuda(self) -> bool:
        return self.device.type == "cuda"

    def get_device(self) -> int:
        """The GPU's index (0: minigan runs on one), or -1 on the CPU, as PyTorch's."""
        return self.device.index if self.is_cuda else -1

    def is_contiguous(self, *, memory_format=creation.contiguous_format):
        """Whether the elements lie in memory row after row with no gaps (PyTorch's contiguous_format), as the
        array's C-contiguity says: ``x.t()`` is not, ``x.t().contiguous()`` is."""
        creation.a_memory_format("is_contiguous", memory_format)
        return bool(self.array.flags.c_contiguous)

    def stride(self, dim=None, *, axis=None):
        """How many elements apart the neighbours along each dimension lie in memory (PyTorch's strides): the
        array's strides, in elements, where they say where elements are, else PyTorch's (minigan/storage.py: a
        dimension of size 1, a new empty tensor, an empty view)."""
        layout = storage.empty_view_layout(self)
        strides = storage.strides(self.array) if layout is None else layout[1]
        dim = dim if axis is None else _dim("stride", dim, axis)  # (NumPy's name for dim)
        return strides if dim is None else strides[checks.normalize_axis(dim, self.ndim, "stride", single=True)]

    def matrix_power(self, n):
        """This square matrix (or each of a batch) multiplied by itself n times: minigan.linalg.matrix_power."""
        return products.matrix_power(self, n)

    def square(self):
        x = self.astype(backend.np.int64) if self.dtype.kind == "b" else self  # (pow(x, 2) of bools is int64, as
        # PyTorch's; so square_ of a bool tensor refuses the result)
        return x ** 2  # (PyTorch's square is pow(x, 2): its node, PowBackward0, whose second derivative reads x)

    def logsumexp(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        if dim is None and axis is None and keepdims is None:  # (PyTorch's dim has no default; NumPy's spelling,
            # axis=None, keepdims=..., reduces every entry as scipy's logsumexp)
            raise TypeError("logsumexp() missing its dim (as in PyTorch): give the dims to reduce, e.g. "
                            "x.logsumexp(dim=0), or dim=tuple(range(x.ndim)) for every entry")
        axis, keepdims = reductions.every_dim(_dim("logsumexp", dim, axis)), _keepdim(keepdim, keepdims)  # (dim=():
        # every dim, as PyTorch's sum and its logsumexp with keepdim=True; without, PyTorch's own shape check fails)
        axis = checks.normalize_axis(axis, self.ndim, "logsumexp")
        return factors.LogSumExp.apply(self._as_float(), axis=axis, keepdims=keepdims)  # integers: in float32

    def leaky_relu(self, negative_slope=0.01):
        slope = check_slope(negative_slope)
        return activation.LeakyReLU.apply(self._floating("leaky_relu"), negative_slope=slope)

    def softplus(self):
        return activation.Softplus.apply(self._floating("softplus"))

    # other, or NumPy's x2 for it (as PyTorch's parser takes it): one test on the usual call, then numpy_names
    def view_as(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("view_as", other=(other, REQUIRED, x2))
        return self.reshape(other.shape)

    def reshape_as(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("reshape_as", other=(other, REQUIRED, x2))
        return self.reshape(other.shape)

    def expand_as(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("expand_as", other=(other, REQUIRED, x2))
        return self.expand(operands._t(other, "expand_as").shape)

    def cuda(self, device=None, non_blocking=False, memory_format=None):
        """A copy on the GPU (``cuda()``, ``cuda(0)``, ``cuda("cuda:0")``); non_blocking is a hint minigan's
        synchronous copy satisfies."""
        creation.only_defaults("cuda", memory_format=memory_format)
        return self.to("cuda" if device is None else device if isinstance(device, str) else f"cuda:{int(device)}")

    def type_as(self, other=REQUIRED, *, x2=None):
        if x2 is not None or other is REQUIRED:
            (other,) = numpy_names("type_as", other=(other, REQUIRED, x2))
        return self.to(other.dtype)

    def is_floating_point(self) -> bool:
        return backend.is_floating(self.dtype)

    def log_softmax(self, dim=-1, dtype=None, *, axis=None):
        """As softmax: the dim checked first, an empty input of any dtype given back as it is (PyTorch's)."""
        axis = _dim("log_softmax", dim if axis is None else None, axis)
        axis = checks.normalize_axis(axis, self.ndim, "log_softmax", single=True)
        x = self if dtype is None else self.to(dtype)
        if x.numel() == 0 and not backend.is_floating(x.dtype):
            return x.clone()
        return reduction.LogSoftmax.apply(x._floating("log_softmax"), axis=axis)

    def t(self):
        """The transpose of a matrix (a vector or a scalar is returned as is), as PyTorch."""
        if self.ndim > 2:
            raise ShapeError(f"t: expects a tensor with at most 2 dimensions, got shape {tuple(self.shape)}; "
                             "use transpose(d0, d1) or permute(...)")
        return self.permute(tuple(reversed(range(self.ndim))))  # (a vector or a scalar: a view of it, as PyTorch's)

    def pad(self, pad_width, value=0.0):
        return shaping.Pad.apply(self, pad_width=shapes.normalize_pad(pad_width, self.ndim), value=value)

    def int(self, *, memory_format=None):
        creation.only_defaults("int", memory_format=memory_format)
        return self.to(backend.np.int32)

    def bool(self, *, memory_format=None):
        creation.only_defaults("bool", memory_format=memory_format)
        return self.to(backend.np.bool_)

    def squeeze(self, dim=None, *, axis=None):
        """Drop dimensions of size 1: all of them, or those among ``dim`` (an int or a tuple); as in PyTorch,
        a named dimension whose size is not 1 is left as it is."""
        axis = _dim("squeeze", dim, axis)
        axes = tuple(range(self.ndim)) if axis is None else checks.normalize_axis(axis, self.ndim, "squeeze")
        axes = () if axes is None else axes if isinstance(axes, tuple) else (axes,)  # None: a 0-d tensor's dim
        drop = {a for a in axes if self.shape[a] == 1}
        shape = tuple(n for a, n in enumerate(self.shape) if a not in drop)
        return shaping.Reshape.apply(self, shape=shape)

    def element_size(self) -> int:
        """Bytes per element (4 for float32)."""
        return self.array.itemsize

    @property
    def itemsize(self) -> int:
        return self.array.itemsize

    @property
    def nbytes(self) -> int:
        """Bytes of all the elements."""
        return self.array.nbytes

    @property
    def mT(self):
        """The last two axes swapped (the matrix transpose of each matrix in a batch)."""
        return self.transpose(-2, -1)

    def unflatten(self, dim, sizes):
        """Axis ``dim`` split into ``sizes`` (one may be -1), as nn.Unflatten.  Checked in PyTorch's order: the sizes
        are ints (TypeError), dim is in range (IndexError), then the sizes must multiply up to dim's size."""
        sizes = () if sizes is None else sizes  # (None: no sizes, as PyTorch reads it)
        if not isinstance(sizes, (list, tuple)) or not all(checks.is_integer(n) for n in sizes):
            raise TypeError(f"unflatten: sizes must be a tuple of ints, got {sizes!r}")
        d = checks.normalize_axis(dim, self.ndim, "unflatten", single=True)
        known = math.prod(n for n in sizes if n != -1)
        size = self.shape[d] if self.ndim else None
        if self.ndim == 0 or not sizes or list(sizes).count(-1) > 1 or min(sizes) < -1 or (
                known != size if -1 not in sizes else not known or size % known):
            raise ShapeError(f"unflatten: sizes {tuple(sizes)} do not multiply up to the size of dim {d} "
                             f"({size if self.ndim else 'a 0-d tensor has none'}) of shape {tuple(self.shape)} (one "
                             "size may be -1, to be inferred)")
        sizes = [size // known if n == -1 else n for n in sizes]  # (inferred from dim's size: an empty tensor too)
        return self.reshape(*self.shape[:d], *sizes, *self.shape[d + 1:])

    # The operators answer NotImplemented for a list or tuple (not an operand), as PyTorch's: Python's TypeError
    def __mod__(self, other):  # x % y: torch.remainder, the sign of y (Python's %)
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise.remainder(self, other)

    def __rmod__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise.remainder(other, self)

    def __floordiv__(self, other):  # x // y: torch.floor_divide, no gradient
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise.floor_divide(self, other)

    def __rfloordiv__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise.floor_divide(other, self)

    def where(self, condition, other):
        """``self`` where ``condition`` holds, else ``other`` (PyTorch's x.where(cond, y))."""
        return pointwise.where(condition, self, other)

    # bits of integer and bool tensors: & | ^ ~ << >> (not differentiable)

    __invert__ = pointwise.bitwise_not  # (x.bitwise_not: minigan/surface/tensor_doors.py)

    # x & y, x | y, x ^ y, x << y, x >> y and their reflected forms; NotImplemented for a list or tuple, as % and //
    def __and__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_and(other)

    def __or__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_or(other)

    def __xor__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_xor(other)

    def __lshift__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_left_shift(other)

    def __rshift__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.bitwise_right_shift(other)

    def __rand__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise._bitwise(
            "bitwise_and", self, other, "bitwise_and", reflected=True)

    def __ror__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise._bitwise(
            "bitwise_or", self, other, "bitwise_or", reflected=True)

    def __rxor__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise._bitwise(
            "bitwise_xor", self, other, "bitwise_xor", reflected=True)

    def __rlshift__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise._bitwise(
            "left_shift", self, other, "bitwise_left_shift", reflected=True)

    def __rrshift__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else pointwise._bitwise(
            "right_shift", self, other, "bitwise_right_shift", reflected=True)

    def __abs__(self):  # Python's abs(x), as PyTorch's
        return self.abs()

    def positive(self):
        """The tensor itself (``+x``), as PyTorch's; a bool tensor is refused, as there."""
        if self.dtype.kind == "b":
            raise DtypeError("positive: the + operator on a bool tensor is not supported (nor in PyTorch); "
                            "use x.logical_not() or x.int()")
        return self

    __pos__ = positive

    def ndimension(self):
        return self.ndim

    def new_zeros(self, *sizes, size=None, dtype=None, device=None, requires_grad=False, layout=None,
                  pin_memory=False):
        return creation.zeros(*sizes, size=size, dtype=dtype or self.dtype, device=device or self.device,
                        requires_grad=requires_grad, layout=layout, pin_memory=pin_memory)

    def new_ones(self, *sizes, size=None, dtype=None, device=None, requires_grad=False, layout=None,
                 pin_memory=False):
        return creation.ones(*sizes, size=size, dtype=dtype or self.dtype, device=device or self.device,
                       requires_grad=requires_grad, layout=layout, pin_memory=pin_memory)

    def new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False, layout=None,
                 pin_memory=False):
        return creation.full(size, fill_value, dtype=dtype or self.dtype, device=device or self.device,
                       requires_grad=requires_grad, layout=layout, pin_memory=pin_memory)

    def new_tensor(self, data, *, dtype=None, device=None, requires_grad=False, layout=None, pin_memory=False):
        creation.only_defaults("new_tensor", layout, pin_memory)
        if isinstance(data, EngineTensor):  # (PyTorch's warning: a copy of a tensor is spelled so)
            warnings.warn("To copy construct from a tensor, it is recommended to use sourceTensor.detach().clone() "
                          "or sourceTensor.detach().clone().requires_grad_(True), rather than "
                          "tensor.new_tensor(sourceTensor).", UserWarning, stacklevel=2)
        data = creation.numbers_fit("new_tensor", data, dtype or self.dtype)
        t = self._make(data_.to_array(getattr(data, "array", data), dtype or self.dtype, device or self.device,
                                      infer=True))
        return t.requires_grad_(True) if requires_grad else t

    new_empty = new_zeros

    def new(self, *args, device=None):
        """PyTorch's legacy constructor, in this tensor's dtype: ``x.new()`` an empty tensor, ``x.new(2, 3)`` (or a
        Size) one of that shape (zeros: PyTorch leaves it uninitialised), ``x.new(data)`` a list's or tuple's
        values.  (Today's spellings: new_zeros, new_empty, new_tensor.)"""
        size_type = type(self.shape)  # minigan.Size: a shape, where a plain tuple is data (as in PyTorch)
        device = device or self.device
        if len(args) == 1 and isinstance(args[0], (list, tuple)) and not isinstance(args[0], size_type):
            return self.new_tensor(args[0], device=device)
        sizes = args[0] if len(args) == 1 and isinstance(args[0], size_type) else args
        if not all(isinstance(s, numbers.Integral) and not isinstance(s, bool) for s in sizes):
            raise TypeError(f"new(): data must be a sequence (a list or tuple) or sizes must be ints, got "
                            f"{', '.join(type(a).__name__ for a in args)}")
        return creation.zeros(*sizes, dtype=self.dtype, device=device) if sizes else creation.zeros(0, dtype=self.dtype,
                                                                                         device=device)

    def resize_(self, *sizes, size=None, memory_format=None):  # (size=: PyTorch's name, by keyword)
        """In place, this tensor takes the shape ``sizes`` and keeps its elements in order, as many as fit (new
        ones are zeros: PyTorch leaves them uninitialised).  As many elements as before, or fewer, keep the
        memory (a view of it still sees it); more give the tensor new memory, as PyTorch's storage grows."""
        creation.only_defaults("resize_", memory_format=memory_format)
        sizes = sizes if size is None else (size,)
        if self.requires_grad:  # PyTorch's words: a graph cannot follow a change of shape
            raise GraphError("cannot resize variables that require grad")
        if self._base is not None:
            raise GraphError("resize_: this tensor is a view of another one's memory, which minigan does not resize: "
                             "resize a copy (x = x.clone().resize_(...)) or take another view (x.reshape(...))")
        try:
            grown = creation.zeros(*sizes, dtype=self.dtype, device=self.device).array
        except ValueError:  # a negative size: PyTorch's RuntimeError
            raise ShapeError(f"resize_: got sizes {sizes}, expected non-negative integers") from None
        flat = backend.get_array_module(self.array).ravel(self.array, order="K")  # the memory's order: a view
        if grown.shape != self.array.shape:  # (its own shape: nothing moves, as PyTorch's keeps strides and values)
            if grown.size <= flat.size:
                self.array = flat[:grown.size].reshape(grown.shape)
            else:
                grown.reshape(-1)[:flat.size] = flat
                self.array = grown
        self._version_counter()[0] += 1  # a change in place: a graph that saved the old values refuses to backward
        return self

    def resize_as_(self, the_template, *, memory_format=None):
        """``x.resize_(the_template.shape)`` (PyTorch's argument name)."""
        return self.resize_(*the_template.shape, memory_format=memory_format)

    @property
    def is_cpu(self) -> bool:
        return self.device == "cpu"

    @property
    def is_xpu(self) -> bool:
        return False  # minigan's devices are the CPU and CUDA GPUs

    is_mps = is_xpu

    def __index__(self):
        """An integer one-element tensor as a Python int, where Python needs an index (``classes[pred.argmax()]``,
        ``range(n)``); a floating tensor is refused, as in PyTorch."""
        if self.dtype.kind not in "iub" or self.numel() != 1:
            raise TypeError(f"only integer tensors of a single element can be converted to an index, got dtype "
                            f"{self.dtype} and shape {tuple(self.shape)}")
        return int(self.item())

    def __format__(self, format_spec):
        """``f"{loss:.3f}"``: a 0-d tensor formats as its number (as PyTorch); other tensors as their repr."""
        if self.array.ndim == 0:
            return self.item().__format__(format_spec)
        if format_spec:
            raise TypeError(f"format: a format spec ({format_spec!r}) applies to a 0-d tensor, got shape "
                            f"{tuple(self.shape)}; format x.item() of a one-element tensor, or x.tolist()")
        return repr(self)
