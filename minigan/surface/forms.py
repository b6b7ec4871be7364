"""PyTorch's forms of the engine's own methods: the arguments, results and refusals only PyTorch has.

The engine's methods (minigan/engine/methods.py) compute the textbook's answer from NumPy's arguments: ``x.max(axis)``
the largest values, ``x.to(device=..., dtype=...)``, ``x.expand(sizes)``, ``x.clamp(lo, hi)`` with numbers.  A
PyTorch program also writes ``x.max(1)`` for the values and their indices, ``x.to(other)``, ``x.expand(-1, 4)``,
``x.clamp(lo_tensor, hi_tensor)``, and expects ``x.numpy()`` and ``x.view(...)`` to refuse where PyTorch's refuse.
``TensorForms`` stands between minigan.Tensor and the engine's Tensor (minigan/surface/tensor.py lists it first
among its bases): each method reads PyTorch's form, then hands the engine's method what it takes.  Being first, it
also answers the two questions the engine's Tensor asks a library above it: what PyTorch refuses to write in place
(``_refuse_place``, surface/overlap.py) and the history of an empty view taken again after its base changed
(``_view_history``).
"""

from __future__ import annotations

import math
from collections import namedtuple

from minigan.engine import backend, checks
from minigan.engine.errors import DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.methods import _dim, maximum, minimum
from minigan.engine.ops import elementwise as E
from minigan.engine.tensor import Tensor
from minigan.surface.numpy_names import REQUIRED, numpy_names
from minigan.surface.overlap import refuse_place
from minigan.surface.pieces import ClampBy

# What max(dim) and min(dim) return, as PyTorch's torch.return_types.max/min: (values, indices).
MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])


def device_and_dtype(args, device=None, dtype=None) -> tuple:
    """``to``'s positional arguments (a tensor's or a module's), each by what it is: a tensor gives its device and
    dtype, a name or a device a device, anything else a dtype; returns (device, dtype)."""
    for a in args:
        if isinstance(a, Tensor):
            device, dtype = a.device, a.dtype
        elif isinstance(a, (str, backend.Device)):
            device = a
        else:
            dtype = a
    return device, dtype


class TensorForms:
    """PyTorch's argument forms of the engine's methods (see the module's docstring)."""

    __slots__ = ()

    _refuse_place = refuse_place  # (in place: what PyTorch refuses to write, one call)

    def _view_history(self, x):  # an empty view taken again after its base changed in place: PyTorch's backward of
        return x if x.array.size else E.Fill.apply(x, x.array)  # it gives a fresh zero, part of no graph (Fill's)

    def numpy(self, *, force=False):
        """The data as a NumPy array, sharing this CPU tensor's memory, as PyTorch's (a change to one shows in
        the other).  As in PyTorch, a tensor that requires grad must be detached first (changes through the array
        would bypass autograd), and a GPU tensor copied to the host first (``.cpu()``); ``force=True`` does both."""
        if not force and self.requires_grad and is_grad_enabled():  # (under no_grad PyTorch hands it over)
            raise GraphError("numpy(): the tensor requires grad; use tensor.detach().numpy() instead")
        if not force and self.device.type != "cpu":
            raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() to copy the "
                            "tensor to host memory first.")
        return super().numpy()  # (force: detached, and a host copy of a GPU tensor's array)

    def to(self, *args, device=None, dtype=None):
        """``to("cuda")``, ``to(minigan.float64)``, ``to(device, dtype)``, ``to(other)``: each argument by what it
        is (a tensor gives its device and dtype, a name or device a device, anything else a dtype)."""
        return super().to(*device_and_dtype(args, device, dtype))

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """``max()``: the largest element.  ``max(dim)``: PyTorch's ``(values, indices)`` along ``dim``.
        ``max(axis=d)``: NumPy's meaning, the values only.  ``max(other)``: the elementwise maximum."""
        if isinstance(dim, Tensor):
            return maximum(self, dim)
        return self._along("max", dim, keepdim, axis, keepdims)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """As ``max``: ``min(dim)`` gives ``(values, indices)``, ``min(axis=d)`` the values."""
        if isinstance(dim, Tensor):
            return minimum(self, dim)
        return self._along("min", dim, keepdim, axis, keepdims)

    def _along(self, op, dim, keepdim, axis, keepdims):
        keepdim = bool(keepdim if keepdims is None else keepdims)
        if dim is None:  # everything, or NumPy's axis=: the engine's values, ties sharing the gradient
            return getattr(super(), op)(axis, keepdim)
        dim = checks.normalize_axis(_dim(op, dim, axis), max(self.ndim, 1), op, single=True)
        checks.check_nonempty(self.array, op, dim)
        xp = backend.get_array_module(self.array)
        a = self.array.reshape(1) if self.ndim == 0 else self.array
        index = (a.argmax if op == "max" else a.argmin)(axis=dim)  # the first extreme, as PyTorch
        picks = list(xp.ogrid[tuple(slice(n) for n in a.shape[:dim] + (1,) + a.shape[dim + 1:])])
        picks[dim] = xp.expand_dims(index, dim)
        values = (self.reshape(1) if self.ndim == 0 else self)[tuple(picks)]  # the gradient goes to that element
        if not keepdim or self.ndim == 0:  # (a copy of its own, as PyTorch's, not a view of the entries read)
            values = values.reshape(self.shape[:dim] + self.shape[dim + 1:]).clone()
        else:
            index = xp.expand_dims(index, dim)
        return (MaxResult if op == "max" else MinResult)(values, self._make(index.astype(backend.np.int64)))

    def argmax(self, dim=None, keepdim=False, *, axis=None):
        """Indices of the maxima (an int64 tensor; no gradient); the first one where there are ties."""
        return self._arg_kept(super().argmax(_dim("argmax", dim, axis)), dim if axis is None else axis, keepdim)

    def argmin(self, dim=None, keepdim=False, *, axis=None):
        return self._arg_kept(super().argmin(_dim("argmin", dim, axis)), dim if axis is None else axis, keepdim)

    def _arg_kept(self, out, dim, keepdim):
        """An argmax's indices with the reduced dims kept as size 1 (``keepdim``; a 0-d tensor's result stays 0-d)."""
        if not keepdim or not self.ndim:
            return out
        a, xp = out.array, backend.get_array_module(out.array)
        return self._make(a.reshape((1,) * self.ndim) if dim is None else xp.expand_dims(a, int(dim) % self.ndim))

    def clamp(self, min=None, max=None):
        """Number bounds: the engine's clamp.  Tensor bounds (broadcast, per element): operands of ``ClampBy``, in
        the dtype PyTorch's promotion gives the three."""
        if not isinstance(min, Tensor) and not isinstance(max, Tensor):
            return super().clamp(min, max)
        if not all(b is None or isinstance(b, Tensor) for b in (min, max)):
            raise TypeError("clamp: min and max must be both tensors (or None) or both numbers, as in PyTorch; "
                            "make the number a tensor: minigan.full_like(x, value)")
        x, lo = (self, None) if min is None else self._pair(min, "clamp")  # (in one dtype, PyTorch's promotion)
        x, hi = (x, None) if max is None else x._pair(max, "clamp")
        lo = lo if lo is None or lo.dtype == x.dtype else lo.astype(x.dtype)
        bounds = "max" if min is None else "min" if max is None else "both"
        return ClampBy.apply(x, *[b for b in (lo, hi) if b is not None], bounds=bounds)

    def clamp_(self, min=None, max=None):
        if isinstance(min, Tensor) or isinstance(max, Tensor):  # bounds per element: clamp's result, written in
            return self._in_place("clamp_", lambda x, lo, hi: x.clamp(lo, hi), min, max)
        return super().clamp_(min, max)

    def div_(self, other=REQUIRED, *, rounding_mode=None, x2=None):  # (a rounded quotient: divide_, inplace.py)
        if x2 is not None or other is REQUIRED:  # (NumPy's name for other, as PyTorch's parser takes it)
            (other,) = numpy_names("div_", other=(other, REQUIRED, x2))
        return super().div_(other) if rounding_mode is None else self.divide_(other, rounding_mode=rounding_mode)

    def relu(self):  # (an integer tensor stays integer, max(x, 0), as PyTorch's; a bool one has no kernel there)
        if self.array.dtype.kind == "b":
            raise DtypeError("relu: bool tensors are not supported (nor in PyTorch); use x.float() or x.long()")
        return super().relu()

    def sign(self):  # (a bool is its own sign: a copy)
        return self.clone() if self.dtype.kind == "b" else super().sign()

    def softmax(self, dim=-1, dtype=None, *, axis=None):
        """``dtype``: computed in that dtype, as PyTorch's.  The dim is checked first; an empty input of any dtype is
        given back as it is, as PyTorch's, which runs no kernel on it."""
        checks.normalize_axis(_dim("softmax", dim if axis is None else None, axis), self.ndim, "softmax", True)
        x = self if dtype is None else self.to(dtype)
        if x.numel() == 0 and not backend.is_floating(x.dtype):
            return x.clone()
        return super(TensorForms, x).softmax(dim, axis=axis)

    def reshape(self, *sizes, shape=None):  # (shape=: PyTorch's name, by keyword)
        return super().reshape(*(sizes if shape is None else (shape,)))

    def view(self, *shape):
        """A view of this tensor's memory in another shape: refused, as in PyTorch, where the layout a view op gave
        it would need a copy (a transposed matrix flattened, say).  (A computed tensor's layout is NumPy's, which can
        differ from PyTorch's: there, as ``reshape``, it copies.)"""
        out = super().view(*shape)
        base = self._base
        if base is not None and base.array.flags.c_contiguous and self.numel() > 1 and \
                not backend.get_array_module(self.array).may_share_memory(out.array, self.array):
            raise ShapeError(f"view: a tensor of shape {self.array.shape} laid out with strides "
                             f"{tuple(s // self.array.itemsize for s in self.array.strides)} cannot be viewed as "
                             f"{tuple(out.shape)} without a copy; use .reshape(...) (or .contiguous().view(...))")
        return out

    def expand(self, *sizes, size=None, implicit=False):
        """A broadcast view of this tensor at ``sizes``, where -1 keeps a size, as PyTorch's (``size=`` its name by
        keyword; ``implicit`` is PyTorch's internal flag, with no effect on the result)."""
        sizes = sizes if size is None else (size,)
        sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
        lead = len(sizes) - self.ndim
        shape = tuple(self.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes))
        if lead < 0 or min(shape, default=0) < 0 or any(n not in (m, 1) for n, m in zip(self.shape, shape[lead:])):
            raise ShapeError(f"expand: cannot expand a tensor of shape {self.array.shape} to {sizes}; "
                             "expected sizes equal to the tensor's, or expanding its size-1 dimensions")
        if math.prod(shape) >= 2**63:  # (NumPy's ValueError; PyTorch's: TypeError for a size past int64, else Runtime)
            raise (TypeError if max(shape) >= 2**63 else ShapeError)(f"expand: {sizes} holds more than int64 counts")
        return super().expand(shape)

    moveaxis, nelement = Tensor.movedim, Tensor.numel  # (PyTorch's other names for them)

    def __contains__(self, element):
        """``v in x``: whether some entry of x equals v (a number, or a tensor compared elementwise), as PyTorch's
        (which refuses anything else with a RuntimeError)."""
        if not isinstance(element, (int, float, bool, Tensor)):
            raise RuntimeError(f"`v in x`: a tensor holds numbers; v is a {type(element).__name__} "
                               "(Tensor.__contains__ takes a tensor or a number, as PyTorch's): compare a number, or "
                               "x.tolist() to find other things")
        return bool((self == element).any())
