"""The methods the lessons, the GANs and the attacks call on a tensor: conversions, arithmetic, reductions,
activations, shapes, hooks.

Each method is a door: it checks its arguments (engine/checks.py) and hands over to an op (engine/ops/).  The
engine's ``Tensor`` (engine/tensor.py: value, graph, operators, in-place ops and versions, backward) inherits
them from ``TensorMethods``; the rest of PyTorch's methods are minigan.Tensor's (minigan/surface/tensor.py).
Both spellings work, each with its own library's meaning: PyTorch's (``dim``, ``keepdim``) and NumPy's (``axis``,
``keepdims``).
"""

from __future__ import annotations

import math
import operator
from collections import namedtuple

from minigan.engine import backend, checks, grad_mode
from minigan.engine.errors import DtypeError, GraphError, ShapeError
from minigan.engine.graph import RemovableHandle
from minigan.engine.ops import activation, elementwise
from minigan.engine.ops import reduce as reduction
from minigan.engine.ops import shape as shaping


class _LeftOut:
    """The default of an argument whose absence a method tells from any value given, None too."""

    def __repr__(self):
        return "<left out>"


# x.sum(): dim and keepdim left out (a library above the engine tells x.sum(keepdim=True) from x.sum(None, True))
LEFT_OUT = _LeftOut()


class TensorMethods:
    """The methods a PyTorch user calls on a tensor, beyond the engine's (see minigan/engine/tensor.py)."""

    __slots__ = ()

    def __len__(self):
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __repr__(self):  # (minigan.Tensor prints as PyTorch does, digit for digit: minigan/surface/printing.py)
        return f"tensor({self.array!r}{', requires_grad=True' if self.requires_grad else ''})"

    def __bool__(self):
        if self.array.size != 1:
            raise ShapeError(f"bool(): the truth value of a tensor of shape {self.array.shape} is ambiguous; use "
                             ".any() or .all()")
        return bool(self.array)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __array__(self, dtype=None, copy=None):
        out = self.numpy()  # as PyTorch: np.asarray(t) refuses what t.numpy() refuses (requires grad, a GPU's)
        return (out.copy() if copy else out) if dtype is None else out.astype(dtype)  # np.array(t, copy=True) owns it

    # ------------------------------------------------------------------ conversion
    def numpy(self, *, force=False):
        """The data as a NumPy array, sharing this CPU tensor's memory, as PyTorch's (a change to one shows in
        the other).  As in PyTorch, a tensor that requires grad must be detached first (changes through the array
        would bypass autograd), and a GPU tensor copied to the host first (``.cpu()``); ``force=True`` does both."""
        if force:
            return backend.asnumpy(self.array)  # detached, and a host copy of a GPU tensor's array
        if self.requires_grad and grad_mode.is_grad_enabled():  # (under no_grad PyTorch hands it over)
            raise GraphError("numpy(): the tensor requires grad; use tensor.detach().numpy() instead")
        if self.device.type != "cpu":
            raise TypeError(f"can't convert {self.device} device type tensor to numpy. Use Tensor.cpu() to copy the "
                            "tensor to host memory first.")
        return backend.asnumpy(self.array)

    def item(self):
        if self.array.size != 1:
            raise ShapeError("item(): only a one-element tensor converts to a Python number, got shape "
                             f"{self.array.shape}")
        return self.array.reshape(()).item()

    def tolist(self):
        return backend.asnumpy(self.array).tolist()

    def to(self, *args, device=None, dtype=None):
        """``to("cuda")``, ``to(minigan.float64)``, ``to(device, dtype)``, ``to(other)``: a moved and/or cast
        tensor (this one when nothing changes); differentiable (the gradient moves and casts back)."""
        for a in args:
            if isinstance(a, TensorMethods):
                device, dtype = a.device, a.dtype
            elif isinstance(a, (str, backend.Device)):
                device = a
            else:
                dtype = a
        cast = dtype is not None and backend.np.dtype(dtype) != self.dtype  # (to an integer or bool dtype it records
        out = (self if backend.is_floating(dtype) else self.detach()).astype(dtype) if cast else self  # nothing, even
        # of an integer tensor that requires grad, whose ops refuse an integer result (Node.record): PyTorch's _to_copy)
        if device is None:
            return out
        device = backend.device_type(device)  # (a second GPU is refused here, even for a tensor already on the GPU)
        return out if out.device.type == device else shaping.ToDevice.apply(out, device=device)

    def cpu(self):
        return self.to("cpu")

    def astype(self, dtype):
        dtype = backend.np.dtype(dtype)
        return self if dtype == self.dtype else elementwise.Cast.apply(self, dtype=dtype)

    def clone(self):
        """A copy with its own memory, still in the graph (the gradient flows back to this tensor)."""
        return elementwise.Clone.apply(self)

    def float(self):
        return self.astype(backend.np.float32)

    def double(self):
        return self.astype(backend.np.float64)

    def long(self):
        return self.to(backend.np.int64)

    def contiguous(self):
        """This tensor when its memory is C-contiguous, else a copy that is (as PyTorch: a new tensor, in the graph)."""
        return self if self.array.flags.c_contiguous else elementwise.Clone.apply(self, order="C")

    # The method forms PyTorch code also uses (``img.mul(0.5).add(0.5)``): the operators' ops, called as they call
    # them, so that a list or tuple is refused naming the method (an operator answers NotImplemented: Python's error)
    def add(self, other, alpha=1):
        return elementwise.Add.apply(*self._pair(other if alpha == 1 else other * alpha, "add"))

    def sub(self, other, alpha=1):
        return elementwise.Sub.apply(*self._pair(checks.not_bool(self, other if alpha == 1 else other * alpha), "sub"))

    def mul(self, other):
        return elementwise.Mul.apply(*self._pair(other, "mul"))

    def matmul(self, other):
        return self @ self._matmul_operand(other)

    mm = matmul
    # comparisons give bool tensors and are never differentiated
    def _compare(self, other, name):
        a, b = self.array, self._operand(checks.number(other), name).array  # (np.int16(-2): the number -2)
        return self._make(self._compared(getattr(operator, name)(a, b if b.ndim else b[()]), a, b))  # (a < b; a
        # number's 0-d array becomes a NumPy scalar again, which CuPy takes)

    def _compared(self, out, a, b):  # the array a comparison gives: NumPy's (minigan.Tensor lays it out as PyTorch's)
        return out

    def __lt__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "lt")

    def __le__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "le")

    def __gt__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "gt")

    def __ge__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "ge")

    def eq(self, other):
        """Elementwise ==, a bool tensor (as ``a == b``)."""
        return self._compare(other, "eq")

    def ne(self, other):
        return self._compare(other, "ne")

    # `(pred == labels).sum()` compares elements, as in PyTorch and NumPy.  A tensor still hashes by
    # identity, so it can key a dict or sit in a set; `t in some_list` compares elements too (as PyTorch).
    def __eq__(self, other):  # `t == None`, `t == [1, 2]`, `t == "a"` are False, as PyTorch's (NotImplemented: Python's
        return NotImplemented if isinstance(other, (type(None), *checks.SEQUENCES)) else self.eq(other)

    def __ne__(self, other):  # answer, "not the same object"; isinstance: a Size or a namedtuple too)
        return NotImplemented if isinstance(other, (type(None), *checks.SEQUENCES)) else self.ne(other)

    __hash__ = object.__hash__

    def __contains__(self, element):
        """``v in x``: whether some entry of x equals v (a number, or a tensor compared elementwise), as PyTorch."""
        if not isinstance(element, (int, float, bool, type(self))):
            raise DtypeError(f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
                            f"{type(element).__name__}")
        return bool((self == element).any())

    def __iter__(self):
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.array.shape[0]))

    # ------------------------------------------------------------------ methods
    # Reductions take PyTorch's names (dim=, keepdim=) and NumPy's (axis=, keepdims=) for the same thing.
    def sum(self, dim=LEFT_OUT, keepdim=LEFT_OUT, *, dtype=None, axis=None, keepdims=None):
        """The sum of every entry (``x.sum()``); integers and bools sum as int64, as PyTorch's.  Along ``dim``, or
        as ``dtype``: ``_sum_along``, where a library above the engine adds its own forms."""
        if dim is keepdim is LEFT_OUT and dtype is axis is keepdims is None:  # x.sum(), the common case
            return reduction.Sum.apply(self.astype("int64") if self.array.dtype.kind in "biu" else self)
        return self._sum_along(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

    def _sum_along(self, dim, keepdim, *, dtype=None, axis=None, keepdims=None):
        """The sum along ``dim`` (None, left out: every entry), as ``dtype`` (integers and bools: int64)."""
        dim, keepdim = None if dim is LEFT_OUT else dim, False if keepdim is LEFT_OUT else keepdim
        axis, keepdims = _dim("sum", dim, axis), _keepdim(keepdim, keepdims)
        integer = self.array.dtype.kind in "biu"  # (the array's: one step fewer than minigan.Tensor's dtype)
        x = self.astype(dtype) if dtype is not None else self.astype("int64") if integer else self
        return reduction.Sum.apply(x, axis=checks.normalize_axis(axis, self.ndim, "sum"), keepdims=keepdims)

    def mean(self, dim=None, keepdim=False, *, dtype=None, axis=None, keepdims=None):
        axis, keepdims = _dim("mean", dim, axis), _keepdim(keepdim, keepdims)
        x = self if dtype is None else self.to(dtype)
        return reduction.Mean.apply(x, axis=checks.normalize_axis(axis, self.ndim, "mean"), keepdims=keepdims)

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """``max()``: the largest element.  ``max(dim)``: PyTorch's ``(values, indices)`` along ``dim``.
        ``max(axis=d)``: NumPy's meaning, the values only.  ``max(other)``: the elementwise maximum."""
        if isinstance(dim, TensorMethods):
            return maximum(self, dim)
        return self._extreme("max", dim, keepdim, axis, keepdims)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """As ``max``: ``min(dim)`` gives ``(values, indices)``, ``min(axis=d)`` the values."""
        if isinstance(dim, TensorMethods):
            return minimum(self, dim)
        return self._extreme("min", dim, keepdim, axis, keepdims)

    def _extreme(self, op, dim, keepdim, axis, keepdims):
        keepdims = _keepdim(keepdim, keepdims)
        if dim is None:  # everything, or NumPy's axis=: the values, ties sharing the gradient
            axis = checks.normalize_axis(axis, self.ndim, op)
            checks.check_nonempty(self.array, op, axis)
            return reduction.Max.apply(self, axis=axis, keepdims=keepdims, smallest=op == "min")  # (no −x: it would
            # wrap around for bools and unsigned integers)
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
        return self._arg("argmax", dim, keepdim, axis)

    def argmin(self, dim=None, keepdim=False, *, axis=None):
        return self._arg("argmin", dim, keepdim, axis)

    def _arg(self, op, dim, keepdim, axis):
        dim = _dim(op, dim, axis)
        dim = None if dim is None else checks.normalize_axis(dim, max(self.ndim, 1), op, single=True)
        checks.check_nonempty(self.array, op, dim)
        out = getattr(self.array, op)(axis=dim)
        if keepdim and self.ndim:  # (a 0-d tensor's result stays 0-d)
            out = out.reshape((1,) * self.ndim) if dim is None else backend.get_array_module(out).expand_dims(out, dim)
        return self._make(out.astype(backend.np.int64))

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None):
        """The variance over ``dim``: the squared deviations' sum divided by n − correction (1, PyTorch's default,
        or ``unbiased=False`` for 0, NumPy's)."""
        x, axis = self._floating("var"), checks.normalize_axis(_dim("var", dim, axis), self.ndim, "var")
        mean = x.mean(axis=axis, keepdims=True)
        n = self.numel() // max(mean.numel(), 1)  # values per mean
        d = x - (mean + (x - mean).mean(axis=axis, keepdims=True))  # (the mean refined once: a constant sample's
        # deviations are exactly 0, as PyTorch's Welford algorithm gives them, where a mean that rounds leaves 1e-16)
        correction = int(bool(unbiased)) if correction is None else correction
        total, dof = (d * d).sum(axis=axis, keepdims=keepdim), n - correction
        return total / dof if dof > 0 and n else total * float("inf" if n else "nan")  # n ≤ correction: ∞ (NaN for
        # 0/0); no entries: NaN whatever the correction, as PyTorch

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None):
        """The standard deviation: ``var(...).sqrt()`` (n − 1 by default, as PyTorch), whose gradient is 0 where
        std = 0 (as PyTorch's), not NaN."""
        variance = self.var(dim, unbiased, keepdim, correction=correction, axis=axis)
        return elementwise.Sqrt.apply(variance, flat_at_zero=True)

    def exp(self):
        return elementwise.Exp.apply(self._as_float())

    def log(self):
        return elementwise.Log.apply(self._as_float())

    def abs(self):
        return elementwise.Abs.apply(self)

    def sqrt(self):
        return elementwise.Sqrt.apply(self._as_float())

    def sign(self):
        """-1, 0 or 1 elementwise; its derivative is 0 wherever it exists (kept in the graph, as PyTorch)."""
        return self.clone() if self.dtype.kind == "b" else elementwise.Sign.apply(self)  # a bool is its own sign

    def clamp(self, min=None, max=None):
        if isinstance(min, TensorMethods) or isinstance(max, TensorMethods):  # bounds per element: operands
            if not all(b is None or isinstance(b, TensorMethods) for b in (min, max)):
                raise TypeError("clamp: min and max must be both tensors (or None) or both numbers, as in PyTorch; "
                                "make the number a tensor: minigan.full_like(x, value)")
            x, lo = (self, None) if min is None else self._pair(min, "clamp")  # (in one dtype, PyTorch's promotion)
            x, hi = (x, None) if max is None else x._pair(max, "clamp")
            lo = lo if lo is None or lo.dtype == x.dtype else lo.astype(x.dtype)
            bounds = "max" if min is None else "min" if max is None else "both"
            return elementwise.ClampBy.apply(x, *[b for b in (lo, hi) if b is not None], bounds=bounds)
        x = self.astype(backend.DEFAULT_DTYPE) if self.dtype.kind in "biu" and any(
            isinstance(b, float) for b in (min, max)) else self  # a float bound makes an integer tensor float32
        return elementwise.Clamp.apply(x, **checks.check_clamp(min, max))

    clip = clamp

    def sigmoid(self):
        return activation.Sigmoid.apply(self._as_float())

    def tanh(self):
        return activation.Tanh.apply(self._as_float())

    def relu(self):
        if self.dtype.kind == "b":  # an integer tensor stays integer (max(x, 0)), as in PyTorch
            raise DtypeError("relu: bool tensors are not supported (nor in PyTorch); use x.float() or x.long()")
        return activation.ReLU.apply(self)

    def softmax(self, dim=-1, dtype=None, *, axis=None):
        """exp(x) / Σ exp(x) along ``dim`` (``dtype``: computed in that dtype, as PyTorch's).  The dim is checked
        first; an empty input of any dtype is given back as it is, as PyTorch's, which runs no kernel on it."""
        axis = checks.normalize_axis(_dim("softmax", dim if axis is None else None, axis), self.ndim, "softmax", True)
        x = self if dtype is None else self.to(dtype)
        if x.numel() == 0 and not backend.is_floating(x.dtype):
            return x.clone()
        return reduction.Softmax.apply(x._floating("softmax"), axis=axis)

    def register_hook(self, hook) -> RemovableHandle:
        """Call ``hook(grad)`` each time the gradient with respect to this tensor is computed (a leaf's once a
        backward, before it reaches ``.grad``); a tensor it returns goes on in the gradient's place.  (Whether the
        tensor takes a gradient, and what the hook returns, minigan.Tensor's register_hook checks, at the door.)"""

        def on_gradient(g):
            plain = isinstance(g, backend.PLAIN_TYPES)  # a first-order backward's array: the hook sees a Tensor
            changed = hook(self._new(g) if plain else g)
            return g if changed is None else changed.array if plain else changed

        self._input(self)  # (a view whose base changed in place: its current history)
        if self._ctx is None:
            self._hooks = {} if self._hooks is None else self._hooks
            return RemovableHandle(self._hooks, on_gradient)
        self._ctx.hooks = {} if self._ctx.hooks is None else self._ctx.hooks
        return RemovableHandle(self._ctx.hooks, on_gradient)

    def _as_float(self, op=None):
        """The input of a function of real numbers: as in PyTorch, an integer or bool tensor is computed in float32."""
        return self if backend.is_floating(self.dtype) else self.float()

    def _floating(self, op):
        """The door check of the ops that only make sense on real numbers."""
        if not backend.is_floating(self.dtype):
            raise DtypeError(f"{op}: input must be a floating-point tensor, got dtype {self.dtype}")
        return self

    # ------------------------------------------------------------------ shape
    def size(self, dim=None):
        """The shape (``size()``: ``x.shape``, a ``minigan.Size`` with ``numel()`` on a minigan.Tensor), or the
        length of one dimension (``size(d)``), as PyTorch."""
        if dim is None:
            return self.shape
        return self.shape[checks.normalize_axis(dim, max(self.ndim, 1), "size", single=True)]

    def numel(self) -> int:
        """The number of elements (NumPy's ``.size``)."""
        return int(self.array.size)

    nelement = numel

    def dim(self) -> int:
        """The number of dimensions (``.ndim``)."""
        return self.array.ndim

    def reshape(self, *sizes, shape=None):  # (shape=: PyTorch's name, by keyword)
        shape = sizes if shape is None else (shape,)
        return shaping.Reshape.apply(self, shape=checks.normalize_shape(shape, self.numel(), self.array.shape))

    def view(self, *shape):
        """A view of this tensor's memory in another shape: refused, as in PyTorch, where the layout a view op gave
        it would need a copy (a transposed matrix flattened, say).  (A computed tensor's layout is NumPy's, which can
        differ from PyTorch's: there, as ``reshape``, it copies.)"""
        out = self.reshape(*shape)
        base = self._base
        if base is not None and base.array.flags.c_contiguous and self.numel() > 1 and \
                not backend.get_array_module(self.array).may_share_memory(out.array, self.array):
            raise ShapeError(f"view: a tensor of shape {self.array.shape} laid out with strides "
                             f"{tuple(s // self.array.itemsize for s in self.array.strides)} cannot be viewed as "
                             f"{tuple(out.shape)} without a copy; use .reshape(...) (or .contiguous().view(...))")
        return out

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge dimensions start_dim..end_dim into one of their sizes' product (not -1: empty ones infer none)."""
        start, end = (checks.normalize_axis(d, self.ndim, "flatten", single=True) for d in (start_dim, end_dim))
        if start > end:  # (PyTorch's RuntimeError; a ValueError too)
            raise ShapeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape "
                             f"{self.array.shape}")
        if self.ndim == 0 or start == end:  # a 0-d tensor becomes (1,); nothing to merge: the tensor itself, as
            return self.reshape(1) if self.ndim == 0 else self  # PyTorch returns it
        return self.reshape(*self.shape[:start], self.shape[start:end + 1].numel(), *self.shape[end + 1:])

    def transpose(self, *dims):
        """``transpose(d0, d1)`` swaps two dimensions (PyTorch); ``transpose()`` reverses them all
        and ``transpose(axes)`` with a full permutation permutes them (NumPy)."""
        if len(dims) == 2:
            d0, d1 = (checks.normalize_axis(d, self.ndim, "transpose", single=True) for d in dims)
            axes = list(range(self.ndim))
            if axes:  # (a 0-d tensor's dims 0 and -1 are all of it: nothing to swap)
                axes[d0], axes[d1] = axes[d1], axes[d0]
            dims = tuple(axes)
        return shaping.Transpose.apply(self, axes=checks.normalize_axes(dims, self.ndim))

    def movedim(self, source, destination):
        """Move dimension(s) ``source`` to position(s) ``destination``, keeping the others in order."""
        src, dst = ([checks.normalize_axis(d, self.ndim, "movedim", single=True)  # each in range
                     for d in ((dims,) if checks.is_integer(dims) else dims)] for dims in (source, destination))
        if len(src) != len(dst) or len(set(src)) != len(src) or len(set(dst)) != len(dst):
            raise ShapeError(f"movedim: {source} and {destination} must name as many dims, none twice")
        if self.ndim == 0:  # (a 0-d tensor's dim 0 is all of it)
            return self.permute(())
        rest = iter(d for d in range(self.ndim) if d not in src)
        order = [None] * self.ndim
        for s_, d_ in zip(src, dst):
            order[d_] = s_
        return self.permute(*[o if o is not None else next(rest) for o in order])

    moveaxis = movedim

    def permute(self, *order, dims=None):  # (dims=: PyTorch's name, by keyword)
        dims = order if dims is None else (dims,)
        return shaping.Transpose.apply(self, axes=checks.normalize_axes(dims, self.ndim, "permute"))

    def swapaxes(self, axis0, axis1):
        return self.transpose(axis0, axis1)

    def unsqueeze(self, dim=None, *, axis=None):
        axis = _dim("unsqueeze", dim, axis)
        axis = checks.normalize_axis(axis, self.ndim + 1, "unsqueeze", single=True)
        return shaping.Reshape.apply(self, shape=self.shape[:axis] + (1,) + self.shape[axis:])

    def expand(self, *sizes, size=None, implicit=False):
        """A broadcast view of this tensor at ``sizes`` (-1 keeps a size), as PyTorch (``size=`` its name by keyword;
        ``implicit`` is PyTorch's internal flag, with no effect on the result)."""
        sizes = sizes if size is None else (size,)
        sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
        lead = len(sizes) - self.ndim
        shape = tuple(self.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes))
        if lead < 0 or min(shape, default=0) < 0 or any(n not in (m, 1) for n, m in zip(self.shape, shape[lead:])):
            raise ShapeError(f"expand: cannot expand a tensor of shape {self.array.shape} to {sizes}; "
                             "expected sizes equal to the tensor's, or expanding its size-1 dimensions")
        if math.prod(shape) >= 2**63:  # (NumPy's ValueError; PyTorch's: TypeError for a size past int64, else Runtime)
            raise (TypeError if max(shape) >= 2**63 else ShapeError)(f"expand: {sizes} holds more than int64 counts")
        if shape == self.shape:  # a view all the same (a writable one), as PyTorch's
            return shaping.Reshape.apply(self, shape=shape)
        return shaping.BroadcastTo.apply(self, shape=shape)




def _dim(op, dim, axis):
    """PyTorch's ``dim`` and NumPy's ``axis`` name the same argument: take whichever was given."""
    if axis is not None and dim is not None:
        raise TypeError(f"{op}: got dim={dim!r} and axis={axis!r}; they name the same argument, give one")
    return dim if axis is None else axis


def _keepdim(keepdim, keepdims):
    return bool(keepdim if keepdims is None else keepdims)


# What max(dim) and min(dim) return, as PyTorch's torch.return_types.max/min: (values, indices).
MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])


def maximum(a, b):
    """The elementwise maximum (``torch.maximum``, ``a.max(b)``): NaN where either is; where a == b each gets half
    the gradient, as in PyTorch."""
    return elementwise.Maximum.apply(*a._pair(b, "maximum"))  # one dtype, by PyTorch's promotion


def minimum(a, b):
    """The elementwise minimum (``torch.minimum``), with maximum's rules."""
    return elementwise.Minimum.apply(*a._pair(b, "minimum"))
