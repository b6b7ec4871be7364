"""The methods the lessons, the GANs and the attacks call on a tensor: conversions, arithmetic, reductions,
activations, shapes, hooks.

Each method is a door: it checks its arguments (engine/checks.py) and hands over to an op (engine/ops/).  The
engine's ``Tensor`` (engine/tensor.py: value, graph, operators, in-place ops and versions, backward) inherits
them from ``TensorMethods``.  Their arguments are NumPy's (``axis``, ``keepdims``; ``dim`` and ``keepdim`` name the
same where a method takes them); PyTorch's other forms (``x.max(1)``'s values and indices, ``x.to(other)``,
``x.expand(-1, 4)``) and the rest of its methods are minigan.Tensor's (minigan/surface/forms.py, tensor.py).
"""

from __future__ import annotations

import math
import operator

from minigan.engine import backend, checks
from minigan.engine.errors import DtypeError, ShapeError
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
    """The methods a lesson calls on a tensor, beyond the engine's (see minigan/engine/tensor.py)."""

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
        out = self.numpy()  # np.asarray(t) is t.numpy(), refusals included
        return (out.copy() if copy else out) if dtype is None else out.astype(dtype)  # np.array(t, copy=True) owns it

    # ------------------------------------------------------------------ conversion
    def numpy(self):
        """The data as a NumPy array (a CPU tensor's shares its memory: a change to one shows in the other; a GPU
        tensor's is a copy on the host).  (minigan.Tensor's adds the surface's checks: surface/forms.py.)"""
        return backend.asnumpy(self.array)

    def item(self):
        if self.array.size != 1:
            raise ShapeError("item(): only a one-element tensor converts to a Python number, got shape "
                             f"{self.array.shape}")
        return self.array.reshape(()).item()

    def tolist(self):
        return backend.asnumpy(self.array).tolist()

    def to(self, device=None, dtype=None):
        """``to("cuda")``, ``to(dtype=float64)``: a moved and/or cast tensor (this one when nothing changes);
        differentiable (the gradient moves and casts back).  (``to(dtype)``, ``to(other)``: minigan.Tensor's.)"""
        cast = dtype is not None and backend.np.dtype(dtype) != self.array.dtype  # (to an integer or bool dtype it
        out = (self if backend.is_floating(dtype) else self.detach()).astype(dtype) if cast else self  # records
        # nothing, even of an integer tensor that requires grad, whose ops refuse an integer result (Node.record))
        if device is None:
            return out
        device = backend.device_type(device)  # (a second GPU is refused here, even for a tensor already on the GPU)
        return out if out.device.type == device else shaping.ToDevice.apply(out, device=device)

    def astype(self, dtype):
        dtype = backend.np.dtype(dtype)
        return self if dtype == self.array.dtype else elementwise.Cast.apply(self, dtype=dtype)

    def clone(self):
        """A copy with its own memory, still in the graph (the gradient flows back to this tensor)."""
        return elementwise.Clone.apply(self)

    def float(self):
        return self.astype(backend.np.float32)

    def contiguous(self):
        """This tensor when its memory is C-contiguous, else a copy that is (a new tensor, in the graph)."""
        return self if self.array.flags.c_contiguous else elementwise.Clone.apply(self, order="C")

    # The method forms of the operators (``img.mul(0.5).add(0.5)``): the operators' ops, called as they call
    # them, so that a list or tuple is refused naming the method (an operator answers NotImplemented: Python's error).
    # ``other`` may come as NumPy's ``x2`` too, as PyTorch's argument parser takes it (``x.mul(x2=y)``): one test on
    # the usual call, then _other (add and sub are minigan.Tensor's, which take x2 in its door: surface/tensor.py)
    def add(self, other, alpha=1):
        return elementwise.Add.apply(*self._pair(other if alpha == 1 else other * alpha, "add"))

    def sub(self, other, alpha=1):
        return elementwise.Sub.apply(*self._pair(checks.not_bool(self, other if alpha == 1 else other * alpha), "sub"))

    def mul(self, other=LEFT_OUT, *, x2=None):
        other = other if x2 is None and other is not LEFT_OUT else _other("mul", other, x2)
        return elementwise.Mul.apply(*self._pair(other, "mul"))

    def matmul(self, other=LEFT_OUT, *, x2=None):
        other = other if x2 is None and other is not LEFT_OUT else _other("matmul", other, x2)
        return self @ self._matmul_operand(other)

    # comparisons give bool tensors and are never differentiated
    def _compare(self, other, name):
        a, b = self.array, self._operand(checks.number(other), name).array  # (np.int16(-2): the number -2)
        return self._make(self._compared(getattr(operator, name)(a, b if b.ndim else b[()]), a, b))  # (a < b; a
        # number's 0-d array becomes a NumPy scalar again, which CuPy takes)

    def _compared(self, out, a, b):  # the array a comparison gives: NumPy's (the layer above may lay it out otherwise)
        return out

    def __lt__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "lt")

    def __le__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "le")

    def __gt__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "gt")

    def __ge__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._compare(other, "ge")

    def eq(self, other=LEFT_OUT, *, x2=None):
        """Elementwise ==, a bool tensor (as ``a == b``)."""
        other = other if x2 is None and other is not LEFT_OUT else _other("eq", other, x2)
        return self._compare(other, "eq")

    def ne(self, other=LEFT_OUT, *, x2=None):
        other = other if x2 is None and other is not LEFT_OUT else _other("ne", other, x2)
        return self._compare(other, "ne")

    # `(pred == labels).sum()` compares elements, as in NumPy.  A tensor still hashes by
    # identity, so it can key a dict or sit in a set; `t in some_list` compares elements too.
    def __eq__(self, other):  # `t == None`, `t == [1, 2]`, `t == "a"` are False (NotImplemented: Python's
        return NotImplemented if isinstance(other, (type(None), *checks.SEQUENCES)) else self._compare(other, "eq")

    def __ne__(self, other):  # answer, "not the same object"; isinstance: a Size or a namedtuple too)
        return NotImplemented if isinstance(other, (type(None), *checks.SEQUENCES)) else self._compare(other, "ne")

    __hash__ = object.__hash__

    def __iter__(self):
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.array.shape[0]))

    # ------------------------------------------------------------------ methods
    # Reductions take dim= and keepdim=, or NumPy's names for them, axis= and keepdims=.
    def sum(self, dim=LEFT_OUT, keepdim=LEFT_OUT, *, dtype=None, axis=None, keepdims=None):
        """The sum of every entry (``x.sum()``) or along one ``dim``; integers and bools sum as int64 (no small
        dtype overflows).  Along dims, or as ``dtype``: ``_sum_along``, where a library above the engine adds its
        own forms."""
        if dim is keepdim is LEFT_OUT and dtype is axis is keepdims is None:  # x.sum(), the common case
            return reduction.Sum.apply(self.astype("int64") if self.array.dtype.kind in "biu" else self)
        if type(dim) is int and dtype is axis is keepdims is None:  # x.sum(dim): the engine's own, no form to read
            return TensorMethods._sum_along(self, dim, keepdim)
        return self._sum_along(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

    def _sum_along(self, dim, keepdim, *, dtype=None, axis=None, keepdims=None):
        """The sum along ``dim`` (None, left out: every entry), as ``dtype`` (integers and bools: int64)."""
        dim, keepdim = None if dim is LEFT_OUT else dim, False if keepdim is LEFT_OUT else keepdim
        axis, keepdims = _dim("sum", dim, axis), _keepdim(keepdim, keepdims)
        integer = self.array.dtype.kind in "biu"  # (the array's: one step fewer than minigan.Tensor's dtype)
        x = self.astype(dtype) if dtype is not None else self.astype("int64") if integer else self
        return reduction.Sum.apply(x, axis=checks.normalize_axis(axis, self.array.ndim, "sum"), keepdims=keepdims)

    def mean(self, dim=LEFT_OUT, keepdim=LEFT_OUT, *, dtype=None, axis=None, keepdims=None):
        """The mean of every entry (``x.mean()``) or along one ``dim`` of a floating tensor.  Any other form (dims, a
        dtype, NumPy's spelling, integers): ``_mean_along``, where a library above the engine adds its own forms."""
        if dtype is axis is keepdims is None and self.array.dtype.kind == "f" and (dim is keepdim is LEFT_OUT or
                                                                                   type(dim) is int):
            return TensorMethods._mean_along(self, dim, keepdim)  # (the engine's own: no form to read)
        return self._mean_along(dim, keepdim, dtype=dtype, axis=axis, keepdims=keepdims)

    def _mean_along(self, dim, keepdim, *, dtype=None, axis=None, keepdims=None):
        """The mean along ``dim`` (None, left out: every entry), as ``dtype``."""
        dim, keepdim = None if dim is LEFT_OUT else dim, False if keepdim is LEFT_OUT else keepdim
        axis, keepdims = _dim("mean", dim, axis), _keepdim(keepdim, keepdims)
        x = self if dtype is None else self.to(dtype=dtype)
        return reduction.Mean.apply(x, axis=checks.normalize_axis(axis, self.array.ndim, "mean"), keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        """The largest element (along ``axis``, NumPy's meaning: the values), ties sharing its gradient.
        (``max(dim)``'s values and indices, and ``max(other)``, are minigan.Tensor's: surface/forms.py.)"""
        return self._extreme("max", axis, keepdims)

    def min(self, axis=None, keepdims=False):
        return self._extreme("min", axis, keepdims)

    def _extreme(self, op, axis, keepdims):
        axis = checks.normalize_axis(axis, self.ndim, op)
        checks.check_nonempty(self.array, op, axis)
        return reduction.Max.apply(self, axis=axis, keepdims=bool(keepdims), smallest=op == "min")  # (no −x: it would
        # wrap around for bools and unsigned integers)

    def argmax(self, axis=None):
        """The index of the largest element (along ``axis``): an int64 tensor, no gradient; the first of ties."""
        return self._arg("argmax", axis)

    def argmin(self, axis=None):
        return self._arg("argmin", axis)

    def _arg(self, op, axis):
        axis = None if axis is None else checks.normalize_axis(axis, max(self.ndim, 1), op, single=True)
        checks.check_nonempty(self.array, op, axis)
        return self._make(getattr(self.array, op)(axis=axis).astype(backend.np.int64))

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None):
        """The variance over ``dim``: the squared deviations' sum divided by n − correction (1 by default, Bessel's
        correction, or ``unbiased=False`` for 0, NumPy's)."""
        x, axis = self._floating("var"), checks.normalize_axis(_dim("var", dim, axis), self.ndim, "var")
        mean = x.mean(axis=axis, keepdims=True)
        n = self.array.size // max(mean.array.size, 1)  # values per mean
        d = x - (mean + (x - mean).mean(axis=axis, keepdims=True))  # (the mean refined once: a constant sample's
        # deviations are exactly 0, as a running (Welford) mean gives them, where a mean that rounds leaves 1e-16)
        correction = int(bool(unbiased)) if correction is None else correction
        total, dof = (d * d).sum(axis=axis, keepdims=keepdim), n - correction
        return total / dof if dof > 0 and n else total * float("inf" if n else "nan")  # n ≤ correction: ∞ (NaN for
        # 0/0); no entries: NaN whatever the correction

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None, axis=None, keepdims=None):
        """The standard deviation: ``var(...).sqrt()`` (n − 1 by default), whose gradient is 0 where std = 0,
        not NaN."""
        variance = self.var(dim, unbiased, _keepdim(keepdim, keepdims), correction=correction, axis=axis)
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
        """-1, 0 or 1 elementwise; its derivative is 0 wherever it exists (kept in the graph: a second derivative
        through |a| is 0)."""
        return elementwise.Sign.apply(self)

    def clamp(self, min=None, max=None):
        """Each value clipped to [min, max] (numbers; either may be None).  (Tensor bounds: minigan.Tensor's.)"""
        x = self.astype(backend.DEFAULT_DTYPE) if self.array.dtype.kind in "biu" and any(
            isinstance(b, float) for b in (min, max)) else self  # a float bound makes an integer tensor float32
        return elementwise.Clamp.apply(x, **checks.check_clamp(min, max))

    def sigmoid(self):
        return activation.Sigmoid.apply(self._as_float())

    def tanh(self):
        return activation.Tanh.apply(self._as_float())

    def relu(self):
        return activation.ReLU.apply(self)

    def softmax(self, dim=-1, *, axis=None):
        """exp(x) / Σ exp(x) along ``dim``."""
        axis = checks.normalize_axis(_dim("softmax", dim if axis is None else None, axis), self.ndim, "softmax", True)
        return reduction.Softmax.apply(self._floating("softmax"), axis=axis)

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
        """The input of a function of real numbers: an integer or bool tensor is computed in float32."""
        return self if self.array.dtype.kind == "f" else self.float()

    def _floating(self, op):
        """The door check of the ops that only make sense on real numbers."""
        if self.array.dtype.kind != "f":
            raise DtypeError(f"{op}: input must be a floating-point tensor, got dtype {self.dtype}")
        return self

    # ------------------------------------------------------------------ shape
    def size(self, dim=None, *, axis=None):
        """The shape (``size()``: ``x.shape``, a ``minigan.Size`` with ``numel()`` on a minigan.Tensor), or the
        length of one dimension (``size(d)``, or NumPy's ``size(axis=d)``)."""
        dim = dim if axis is None else _dim("size", dim, axis)
        if dim is None:
            return self.shape
        return self.array.shape[checks.normalize_axis(dim, max(self.ndim, 1), "size", single=True)]  # (an int: no
        # Size made for it)

    def numel(self) -> int:
        """The number of elements (NumPy's ``.size``)."""
        return int(self.array.size)

    def dim(self) -> int:
        """The number of dimensions (``.ndim``)."""
        return self.array.ndim

    def reshape(self, *shape):
        return shaping.Reshape.apply(self, shape=checks.normalize_shape(shape, self.numel(), self.array.shape))

    def view(self, *shape):
        """This tensor in another shape (``reshape``: a view of its memory where the layout allows, else a copy;
        minigan.Tensor's refuses the copy, as PyTorch's)."""
        return self.reshape(*shape)

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge dimensions start_dim..end_dim into one of their sizes' product (not -1: empty ones infer none)."""
        start, end = (checks.normalize_axis(d, self.ndim, "flatten", single=True) for d in (start_dim, end_dim))
        if start > end:  # (a RuntimeError and a ValueError)
            raise ShapeError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape "
                             f"{self.array.shape}")
        if self.ndim == 0 or start == end:  # a 0-d tensor becomes (1,); nothing to merge: the tensor itself, no
            return self.reshape(1) if self.ndim == 0 else self  # copy
        shape = self.array.shape
        return shaping.Reshape.apply(self, shape=shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:])

    def transpose(self, *dims):
        """``transpose(d0, d1)`` swaps two dimensions; ``transpose()`` reverses them all
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

    def permute(self, *dims):
        return shaping.Transpose.apply(self, axes=checks.normalize_axes(dims, self.ndim, "permute"))

    def swapaxes(self, axis0, axis1):
        return self.transpose(axis0, axis1)

    def unsqueeze(self, dim=None, *, axis=None):
        axis = _dim("unsqueeze", dim, axis)
        axis = checks.normalize_axis(axis, self.ndim + 1, "unsqueeze", single=True)
        return shaping.Reshape.apply(self, shape=self.array.shape[:axis] + (1,) + self.array.shape[axis:])

    def expand(self, *sizes):
        """A broadcast view of this tensor at ``sizes`` (its size-1 dimensions repeated, new ones in front)."""
        shape = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
        if len(shape) < self.ndim or any(n not in (m, 1) for n, m in zip(reversed(self.array.shape), reversed(shape))):
            raise ShapeError(f"expand: cannot expand a tensor of shape {self.array.shape} to {shape}; "
                             "expected sizes equal to the tensor's, or expanding its size-1 dimensions")
        if shape == self.array.shape:  # a view all the same (a writable one)
            return shaping.Reshape.apply(self, shape=shape)
        return shaping.BroadcastTo.apply(self, shape=shape)




def _dim(op, dim, axis):
    """``dim`` and NumPy's ``axis`` name the same argument: take whichever was given."""
    if axis is not None and dim is not None:
        raise TypeError(f"{op}() got multiple values for argument 'dim': give dim= or NumPy's axis=, not both")
    return dim if axis is None else axis


def _other(op, other, x2):
    """``other`` and NumPy's ``x2`` name the same argument, which PyTorch requires: the one given, x2 (the usual
    call, other alone, does not come here)."""
    if x2 is None:
        raise TypeError(f"{op}() missing required argument 'other' (or NumPy's name for it: x2)")
    if other is not LEFT_OUT:
        raise TypeError(f"{op}() got multiple values for argument 'other': give other= or NumPy's x2=, not both")
    return x2


def _keepdim(keepdim, keepdims):
    return bool(keepdim if keepdims is None else keepdims)


def maximum(a, b):
    """The elementwise maximum (``torch.maximum``, ``a.max(b)``): NaN where either is; where a == b each gets half
    the gradient (a subgradient at the kink)."""
    return elementwise.Maximum.apply(*a._pair(b, "maximum"))  # one dtype (dtypes.result_type)


def minimum(a, b):
    """The elementwise minimum (``torch.minimum``), with maximum's rules."""
    return elementwise.Minimum.apply(*a._pair(b, "minimum"))
