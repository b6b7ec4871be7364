"""Tensor: an array, its gradient, and the op that produced it.

A ``Tensor`` wraps a NumPy or CuPy array (``.array``).  When it ``requires_grad``, every op
applied to it records a ``Function`` node (``.grad_fn`` of the result), and ``backward()``
hands the graph to ``minigan.backprop``, which applies the chain rule from the output back.

Imports go one way: function.py (the node) ← ops/ (the differentiable operations) ← this file
← autograd.py.  A node makes its result through ``_new`` of an input tensor, so function.py
never needs this module.
"""

from __future__ import annotations

import operator
from collections import namedtuple

from minigan import backend
from minigan.backprop import backprop, retain
from minigan.dtypes import TYPE_NAMES
from minigan.errors import GraphError, IndexOutOfRange, ShapeError
from minigan.function import is_grad_enabled
from minigan.ops import activation as A
from minigan.ops import elementwise as E
from minigan.ops import linalg as L
from minigan.ops import namespace as NS
from minigan.ops import reduce as R
from minigan.ops import shape as S


def _to_array(data, dtype=None, device=None, copy=True):
    """Turn user data into a backend array, following the design contract's dtype rules."""
    if isinstance(data, Tensor):
        data = data.array
    if backend.is_array(data) or backend.is_numpy_scalar(data):
        xp = backend.module_for_device(device) if device else None
        if xp is None:
            # An explicit NumPy array follows the active backend (so code written for NumPy runs
            # unchanged with MINIGAN_BACKEND=cupy); a CuPy array stays where it is.
            xp = backend.get_array_module(data) if backend.device_of(data) == "cuda" else backend.active_module()
        same = backend.get_array_module(data) is xp and backend.is_array(data)
        arr = (data.copy() if copy else data) if same else xp.asarray(backend.asnumpy(data))
        if arr.dtype.kind in "OUSVMmc":
            raise TypeError(f"Tensor: cannot hold an array of dtype {arr.dtype}; expected a float, int or bool array")
    else:
        xp = backend.module_for_device(device) if device else backend.active_module()
        try:
            host = backend.np.asarray(data)
        except (ValueError, TypeError) as e:
            raise TypeError(f"Tensor: cannot convert {type(data).__name__} to an array ({e})") from None
        if host.dtype.kind not in "biuf":
            raise TypeError(
                f"Tensor: cannot convert {type(data).__name__} with dtype {host.dtype} to a tensor; "
                "expected numbers, (nested) lists of numbers, or a NumPy/CuPy array"
            )
        arr = xp.asarray(host, dtype=dtype or backend.DEFAULT_DTYPE)  # Python numbers become float32
    if dtype is not None and arr.dtype != dtype:
        arr = arr.astype(dtype)
    return arr


def _are_sizes(args) -> bool:
    """``Tensor(64, 1)``: every positional argument a Python int (PyTorch's sizes, not data)."""
    return len(args) > 0 and all(isinstance(n, int) and not isinstance(n, bool) for n in args)


def _legacy_sizes(sizes, dtype, device):
    if any(n < 0 for n in sizes):
        raise ValueError(f"Tensor: got sizes {sizes}, expected non-negative integers")
    xp = backend.module_for_device(device) if device else backend.active_module()
    return xp.zeros(sizes, dtype=dtype or backend.DEFAULT_DTYPE)


def _one(args):
    if len(args) != 1:
        raise TypeError(f"Tensor: expected Tensor(data) or Tensor(*sizes) with int sizes, got {len(args)} "
                        "positional arguments; pass requires_grad, dtype and device by keyword")
    return args[0]


def _broadcast_shape(op, a, b):
    """NumPy's broadcasting rule, checked at the door: trailing sizes equal, or one of them 1."""
    for m, n in zip(reversed(a.shape), reversed(b.shape)):
        if m != n and m != 1 and n != 1:
            raise ShapeError(f"{op}: cannot broadcast inputs of shapes {tuple(a.shape)} and {tuple(b.shape)}; "
                             "expected shapes that are equal, or 1, in each trailing axis (NumPy broadcasting)")


class Tensor:
    """``Tensor(data, requires_grad=False)``: an n-d array that remembers how it was computed.

    The data is copied, as ``torch.tensor`` does, and keeps its floating dtype; ``minigan.from_numpy``
    shares it instead.  ``Tensor(2, 3)`` (sizes) is PyTorch's legacy constructor: a float32 tensor of
    that shape (of zeros; PyTorch leaves it uninitialised).
    """

    __slots__ = ("array", "_grad", "requires_grad", "_ctx", "name", "_counter", "_base", "__weakref__")
    __array_ufunc__ = None  # make `ndarray + Tensor` call Tensor.__radd__ instead of NumPy's loop

    def __init__(self, *data, requires_grad=False, dtype=None, device=None):
        self._setup(_to_array(_legacy_sizes(data, dtype, device) if _are_sizes(data) else _one(data), dtype, device))
        if requires_grad:
            self.requires_grad_(True)

    def _setup(self, data, requires_grad=False):
        self.array = data
        self._grad = None
        self.requires_grad = requires_grad
        self._ctx = None
        self.name = None
        # How many times the array was changed in place: a one-element list, so that tensors sharing
        # the array (a view, a detached alias) can share it too.
        self._counter = [0]
        self._base = None

    @classmethod
    def _make(cls, data, requires_grad=False):
        """Fast constructor for results: no conversion, no copy, no checks."""
        t = Tensor.__new__(Tensor)
        t._setup(data, requires_grad)
        return t

    def _new(self, data, requires_grad=False):
        """A new plain Tensor holding ``data`` (how an op, which does not import this module, makes its result)."""
        t = Tensor.__new__(Tensor)
        t._setup(data, requires_grad)
        base = data.base
        if base is not None and (base is self.array or base is self.array.base):  # a view of our array
            t._counter, t._base = self._counter, self
        return t

    def __array_namespace__(self, api_version=None):
        """The functions a backward calls on Tensors under create_graph (the Array API protocol)."""
        return NS

    # ------------------------------------------------------------------ properties
    @property
    def data(self) -> Tensor:
        """A Tensor sharing this tensor's array, outside the graph (PyTorch's ``.data``).

        Unlike ``detach()`` it does not share the version counter, so an in-place change through it
        (``p.data.clamp_(-c, c)``) is not seen by autograd: the legacy idiom, kept as PyTorch keeps it.
        ``.array`` is the raw NumPy/CuPy array itself.
        """
        return Tensor._make(self.array)

    @data.setter
    def data(self, value):
        value = value.array if isinstance(value, Tensor) else value
        if not backend.is_array(value):
            raise TypeError(f"data: expected a Tensor or an array, got {type(value).__name__}")
        self.array = value

    @property
    def shape(self):
        return self.array.shape

    @property
    def dtype(self):
        return self.array.dtype

    @property
    def ndim(self):
        return self.array.ndim

    @property
    def device(self) -> str:
        return backend.device_of(self.array)

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad_fn(self):
        return self._ctx

    @property
    def _version(self) -> int:
        """How many times this tensor's array was changed in place."""
        return self._counter[0]

    @property
    def T(self):
        return self.transpose()

    @property
    def grad(self):
        """The gradient accumulated by ``backward()``: a Tensor of this tensor's shape and dtype, or None."""
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"grad: expected a Tensor or None, got {type(value).__name__} "
                                "(wrap an array with minigan.tensor(...))")
            if value.shape != self.shape or value.dtype != self.dtype:
                raise ShapeError(f"grad: got a Tensor of shape {value.shape} and dtype {value.dtype} for a tensor "
                                 f"of shape {self.shape} and dtype {self.dtype}; expected the same shape and dtype")
        self._grad = value

    def __len__(self):
        if self.array.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.array.shape[0]

    def __repr__(self):
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self._ctx is not None:
            extra = f", grad_fn={type(self._ctx).__name__}"
        dev = ", device='cuda'" if self.device == "cuda" else ""
        body = repr(backend.asnumpy(self.array)).replace("array(", "").rstrip(")")
        return f"tensor({body}{dev}{extra})"

    def __bool__(self):
        if self.array.size != 1:
            raise ValueError(f"bool(): the truth value of a tensor of shape {self.shape} is ambiguous")
        return bool(self.array)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __array__(self, dtype=None, copy=None):
        if self.device != "cpu":  # as PyTorch: a GPU tensor reaches NumPy only through an explicit copy
            raise TypeError(f"cannot convert a tensor on {self.device} to a NumPy array: use .cpu() or .numpy() first")
        out = backend.asnumpy(self.array)
        return out if dtype is None else out.astype(dtype)

    # ------------------------------------------------------------------ conversion
    def numpy(self):
        """A host NumPy copy of the data (never part of the graph)."""
        return backend.asnumpy(self.array).copy()

    def item(self):
        if self.array.size != 1:
            raise ValueError(f"item(): only a one-element tensor converts to a Python number, got shape {self.shape}")
        return self.array.reshape(()).item()

    def tolist(self):
        return backend.asnumpy(self.array).tolist()

    def to(self, *args, device=None, dtype=None) -> Tensor:
        """``to("cuda")``, ``to(minigan.float64)``, ``to(device, dtype)``, ``to(other)``: a moved and/or cast
        tensor (this one when nothing changes); differentiable (the gradient moves and casts back)."""
        for a in args:
            if isinstance(a, Tensor):
                device, dtype = a.device, a.dtype
            elif isinstance(a, (str, backend.Device)):
                device = a
            else:
                dtype = a
        out = self if dtype is None else self.astype(dtype)
        if device is None:
            return out
        device = backend.Device(device).type
        return out if out.device == device else S.ToDevice.apply(out, device=device)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self) -> Tensor:
        return self.to("cuda")

    def astype(self, dtype) -> Tensor:
        dtype = backend.np.dtype(dtype)
        return self if dtype == self.dtype else E.Cast.apply(self, dtype=dtype)

    def type(self, dtype=None):
        """``type()``: the legacy type name ("minigan.FloatTensor"); ``type(minigan.LongTensor)``,
        ``type("torch.DoubleTensor")`` or ``type(dtype)``: a cast copy."""
        if dtype is None:
            name = next((n for n, d in TYPE_NAMES.items() if d == self.dtype), str(self.dtype))
            return f"minigan.{'cuda.' if self.device == 'cuda' else ''}{name}"
        device = getattr(dtype, "device", None)  # a legacy type names a device too, as in PyTorch
        if isinstance(dtype, str) and dtype.rpartition(".")[2] in TYPE_NAMES:
            device, dtype = "cuda" if ".cuda." in dtype else "cpu", TYPE_NAMES[dtype.rpartition(".")[2]]
        out = self.astype(getattr(dtype, "dtype", dtype))  # a legacy constructor has a .dtype
        return out if device in (None, self.device) else out.to(device)

    def type_as(self, other) -> Tensor:
        return self.astype(other.dtype)

    def clone(self) -> Tensor:
        """A copy with its own memory, still in the graph (the gradient flows back to this tensor)."""
        return E.Clone.apply(self)

    def float(self) -> Tensor:
        return self.astype(backend.np.float32)

    def double(self) -> Tensor:
        return self.astype(backend.np.float64)

    def long(self) -> Tensor:
        return self.astype(backend.np.int64)

    def int(self) -> Tensor:
        return self.astype(backend.np.int32)

    def bool(self) -> Tensor:
        return self.astype(backend.np.bool_)

    def is_floating_point(self) -> bool:
        return backend.is_floating(self.dtype)

    @property
    def is_cuda(self) -> bool:
        return self.device == "cuda"

    def contiguous(self) -> Tensor:
        """This tensor: minigan's ops accept any memory layout, so there is nothing to copy."""
        return self

    # ------------------------------------------------------------------ graph
    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Switch gradient tracking on or off for this leaf (in place)."""
        if flag and not backend.is_floating(self.array.dtype):
            raise TypeError(
                f"requires_grad: only floating-point tensors can require gradients, got dtype {self.array.dtype}"
            )
        if not flag and self._ctx is not None:
            raise GraphError("requires_grad_(False): only a leaf can stop requiring grad; use .detach()")
        self.requires_grad = bool(flag)
        return self

    def detach(self) -> Tensor:
        """The same data (and version counter), cut from the graph.

        After ``b = f(a); c = g(b.detach())`` we can still compute ``c`` from ``a``, but no
        gradient reaches ``a`` or ``f``'s parameters through ``c``: the graph says ∂b/∂a = 0.
        """
        t = Tensor._make(self.array)
        t._counter = self._counter
        return t

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this non-leaf after backward (leaves always keep theirs)."""
        if self._ctx is not None:
            retain(self)
        return self

    def zero_grad(self) -> None:
        self._grad = None

    def backward(self, gradient=None, retain_graph=None, create_graph=False) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``.

        ``create_graph=True`` records the backward pass itself, so the gradients can be
        differentiated again; it keeps the graph unless ``retain_graph=False``.
        """
        if not self.requires_grad:
            raise GraphError(
                "backward: this tensor does not require grad (no input had requires_grad=True, "
                "or it was computed under no_grad() / from .detach())"
            )
        backprop([self], [self._seed_gradient(gradient, "backward", create_graph)],
                 retain_graph=create_graph if retain_graph is None else retain_graph, create_graph=create_graph)

    def _seed_gradient(self, gradient, op, create_graph):
        """The gradient backward starts from: ones for a one-element output, else the one given."""
        xp = backend.get_array_module(self.array)
        if gradient is None:
            if self.array.size != 1:
                raise GraphError(
                    f"{op}: a tensor of shape {self.shape} needs an explicit gradient of the same shape; "
                    "only a one-element tensor (e.g. a loss) can start backward with no gradient"
                )
            gradient = self._new(xp.ones_like(self.array))
        elif not isinstance(gradient, Tensor):
            gradient = tensor(gradient, dtype=self.dtype, device=self.device)
        if gradient.shape != self.shape:
            raise ShapeError(f"{op}: gradient of shape {gradient.shape} given for a tensor of shape {self.shape}")
        if gradient.device != self.device:  # as PyTorch: no silent copy between devices
            raise backend.BackendError(f"{op}: gradient on {gradient.device} for a tensor on {self.device}: use .to()")
        if gradient.dtype != self.dtype:
            gradient = gradient.astype(self.dtype)
        return gradient if create_graph else gradient.array

    # ------------------------------------------------------------------ operators
    def _operand(self, other, op, reflected=False):
        """Wrap a Python number or array as a constant tensor; a Python number takes our dtype."""
        if isinstance(other, Tensor):
            if other.shape != self.shape:
                _broadcast_shape(op, *((other, self) if reflected else (self, other)))
            return other
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            dtype = self.array.dtype
            if dtype.kind == "f":  # a NumPy scalar of our dtype: float32 stays float32, on either backend
                return Tensor._make(dtype.type(other))
            return Tensor._make(backend.get_array_module(self.array).asarray(other))
        if backend.is_array(other) or isinstance(other, (list, tuple, bool)) or backend.is_numpy_scalar(other):
            other = Tensor(other, device=self.device)
            _broadcast_shape(op, *((other, self) if reflected else (self, other)))
            return other
        raise TypeError(
            f"{op}: unsupported operand of type {type(other).__name__}; expected a Tensor, a number, "
            "or a NumPy/CuPy array (or a list of numbers)"
        )

    def __add__(self, other):
        return E.Add.apply(self, self._operand(other, "add"))

    def __radd__(self, other):
        return E.Add.apply(self._operand(other, "add", reflected=True), self)

    def __sub__(self, other):
        return E.Sub.apply(self, self._operand(other, "sub"))

    def __rsub__(self, other):
        return E.Sub.apply(self._operand(other, "sub", reflected=True), self)

    def __mul__(self, other):
        return E.Mul.apply(self, self._operand(other, "mul"))

    def __rmul__(self, other):
        return E.Mul.apply(self._operand(other, "mul", reflected=True), self)

    def __truediv__(self, other):
        return E.Div.apply(self, self._operand(other, "div"))

    def __rtruediv__(self, other):
        return E.Div.apply(self._operand(other, "div", reflected=True), self)

    def __pow__(self, other):
        return E.Pow.apply(self, self._operand(other, "pow"))

    def __rpow__(self, other):
        return E.Pow.apply(self._operand(other, "pow", reflected=True), self)

    def __neg__(self):
        return E.Neg.apply(self)

    # The method forms PyTorch code also uses (``img.mul(0.5).add(0.5)``): the operators above.
    def add(self, other, alpha=1):
        return self + (other if alpha == 1 else other * alpha)

    def sub(self, other, alpha=1):
        return self - (other if alpha == 1 else other * alpha)

    def mul(self, other):
        return self * other

    def div(self, other):
        return self / other

    def pow(self, exponent):
        return self ** exponent

    def neg(self):
        return -self

    def square(self):
        return self * self

    def matmul(self, other):
        return self @ other

    mm = matmul

    def __matmul__(self, other):
        other = self._matmul_operand(other)
        L.check_matmul(self.shape, other.shape)
        self._matmul_dtypes(other)
        return L.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        other = self._matmul_operand(other)
        L.check_matmul(other.shape, self.shape)
        self._matmul_dtypes(other)
        return L.MatMul.apply(other, self)

    def _matmul_operand(self, other):
        if isinstance(other, Tensor):
            pass
        elif backend.is_array(other) or isinstance(other, (list, tuple)):
            other = tensor(other, device=self.device)
        else:
            raise TypeError(f"matmul: unsupported operand of type {type(other).__name__}; "
                            "expected a Tensor or an array")
        return other

    def _matmul_dtypes(self, other):
        if other.dtype != self.dtype:  # as PyTorch: a product never mixes float32 and float64 silently
            raise TypeError(f"matmul: operands have dtypes {self.dtype} and {other.dtype}; expected the same dtype "
                            "(convert one with .float() or .double())")

    def __getitem__(self, index):
        items = index if isinstance(index, tuple) else (index,)
        items = tuple(it.array if isinstance(it, Tensor) else it for it in items)
        return S.GetItem.apply(self, index=S.normalize_index(items, self.array))

    # comparisons give bool tensors and are never differentiated
    def __lt__(self, other):
        return Tensor._make(self.array < self._operand(other, "lt").array)

    def __le__(self, other):
        return Tensor._make(self.array <= self._operand(other, "le").array)

    def __gt__(self, other):
        return Tensor._make(self.array > self._operand(other, "gt").array)

    def __ge__(self, other):
        return Tensor._make(self.array >= self._operand(other, "ge").array)

    def eq(self, other):
        """Elementwise ==, a bool tensor (as ``a == b``)."""
        return Tensor._make(self.array == self._operand(other, "eq").array)

    def ne(self, other):
        return Tensor._make(self.array != self._operand(other, "ne").array)

    # `(pred == labels).sum()` compares elements, as in PyTorch and NumPy.  A tensor still hashes by
    # identity, so it can key a dict or sit in a set; `t in some_list` compares elements too (as PyTorch).
    def __eq__(self, other):
        return NotImplemented if other is None else self.eq(other)  # `t == None` is False, as in PyTorch

    def __ne__(self, other):
        return NotImplemented if other is None else self.ne(other)

    __hash__ = object.__hash__

    def __iter__(self):
        if self.array.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.array.shape[0]))

    # ------------------------------------------------------------------ in place
    # PyTorch's rules: under no_grad() an in-place op simply changes the array (how an optimizer
    # moves a parameter); on a leaf that requires grad outside no_grad() it is refused (the change
    # could not be differentiated); on any other tensor it is recorded like the out-of-place op,
    # and the tensor's history moves to the new node.  Every in-place change bumps the version,
    # so a backward that needs the old values raises instead of returning wrong gradients.
    def _in_place(self, op, fn, operand, update, **params):
        """``self = fn(self, operand)``, written into this tensor's own array; ``update(array, array)``
        does it without a graph (NumPy's in-place operators)."""
        grad_mode = is_grad_enabled()
        if grad_mode and self.requires_grad and self._ctx is None:
            raise GraphError(
                f"{op}: a leaf tensor that requires grad (shape {self.shape}) cannot be changed in place while "
                "gradients are recorded; do it under `with minigan.no_grad():` (as an optimizer does)"
            )
        if backend.is_array(operand) and not grad_mode and backend.device_of(operand) == self.device:
            operand = Tensor._make(operand)  # read at once and never saved: no need to copy it (optimizer steps)
        operands = () if operand is None else (self._operand(operand, op),)
        for o in operands:
            if o.shape != self.shape and backend.broadcast_shapes(self.shape, o.shape) != self.shape:
                raise ShapeError(f"{op}: cannot write a result of shape {backend.broadcast_shapes(self.shape, o.shape)}"
                                 f" into a tensor of shape {self.shape}")
            if o.dtype.kind == "f" and self.dtype.kind != "f":
                raise TypeError(f"{op}: the result is {o.dtype} but the tensor is {self.dtype}; "
                                "an integer tensor cannot take floating-point values in place")
        record = grad_mode and (self.requires_grad or (operand is not None and operands[0].requires_grad))
        if record and self._base is not None:
            raise GraphError(f"{op}: cannot change a view of another tensor in place while gradients are recorded; "
                             "use the out-of-place op")
        self._counter[0] += 1  # whatever saved the old values for backward is now stale
        if not record:
            update(self.array, *[o.array for o in operands])
            return self
        old = Tensor._make(self.array.copy(), self.requires_grad)  # the value before, still on its node
        old._ctx = self._ctx
        result = fn.apply(old, *operands, **params)
        self.array[...] = result.array
        self._ctx, self.requires_grad = result._ctx, True
        return self

    def add_(self, other, alpha=1):
        return self._in_place("add_", E.Add, other if alpha == 1 else other * alpha, operator.iadd)

    def sub_(self, other, alpha=1):
        return self._in_place("sub_", E.Sub, other if alpha == 1 else other * alpha, operator.isub)

    def mul_(self, other):
        return self._in_place("mul_", E.Mul, other, operator.imul)

    def div_(self, other):
        return self._in_place("div_", E.Div, other, operator.itruediv)

    def clamp_(self, min=None, max=None):
        bounds = E.check_clamp(min, max)
        return self._in_place("clamp_", E.Clamp, None, lambda a: E.clip_into(a, **bounds), **bounds)

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        return self._in_place("fill_", E.Fill, value, E.fill_into)

    def copy_(self, src):
        return self._in_place("copy_", E.Fill, src, E.fill_into)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    # ------------------------------------------------------------------ methods
    # Reductions take PyTorch's names (dim=, keepdim=) and NumPy's (axis=, keepdims=) for the same thing.
    def sum(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        axis, keepdims = _dim("sum", dim, axis), _keepdim(keepdim, keepdims)
        return R.Sum.apply(self, axis=R.normalize_axis(axis, self.ndim, "sum"), keepdims=keepdims)

    def mean(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        axis, keepdims = _dim("mean", dim, axis), _keepdim(keepdim, keepdims)
        return R.Mean.apply(self, axis=R.normalize_axis(axis, self.ndim, "mean"), keepdims=keepdims)

    def max(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """``max()``: the largest element.  ``max(dim)``: PyTorch's ``(values, indices)`` along ``dim``.
        ``max(axis=d)``: NumPy's meaning, the values only.  ``max(other)``: the elementwise maximum."""
        if isinstance(dim, Tensor):
            return maximum(self, dim)
        return self._extreme("max", dim, keepdim, axis, keepdims)

    def min(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        """As ``max``: ``min(dim)`` gives ``(values, indices)``, ``min(axis=d)`` the values."""
        if isinstance(dim, Tensor):
            return minimum(self, dim)
        return self._extreme("min", dim, keepdim, axis, keepdims)

    def _extreme(self, op, dim, keepdim, axis, keepdims):
        R.check_nonempty(self.array, op)
        keepdims = _keepdim(keepdim, keepdims)
        if dim is None:  # everything, or NumPy's axis=: the values, ties sharing the gradient
            axis = R.normalize_axis(axis, self.ndim, op)
            return R.Max.apply(self, axis=axis, keepdims=keepdims) if op == "max" else \
                -R.Max.apply(-self, axis=axis, keepdims=keepdims)
        _dim(op, dim, axis)
        dim = R.normalize_axis(dim, max(self.ndim, 1), op, single=True)
        xp = backend.get_array_module(self.array)
        a = self.array.reshape(1) if self.ndim == 0 else self.array
        index = (a.argmax if op == "max" else a.argmin)(axis=dim)  # the first extreme, as PyTorch
        picks = list(xp.ogrid[tuple(slice(n) for n in a.shape[:dim] + (1,) + a.shape[dim + 1:])])
        picks[dim] = xp.expand_dims(index, dim)
        values = (self.reshape(1) if self.ndim == 0 else self)[tuple(picks)]  # the gradient goes to that element
        if not keepdim or self.ndim == 0:
            values = values.reshape(self.shape[:dim] + self.shape[dim + 1:])
        else:
            index = xp.expand_dims(index, dim)
        return (MaxResult if op == "max" else MinResult)(values, Tensor._make(index.astype(backend.np.int64)))

    def argmax(self, dim=None, keepdim=False, *, axis=None):
        """Indices of the maxima (an int64 tensor; no gradient); the first one where there are ties."""
        return self._arg("argmax", dim, keepdim, axis)

    def argmin(self, dim=None, keepdim=False, *, axis=None):
        return self._arg("argmin", dim, keepdim, axis)

    def _arg(self, op, dim, keepdim, axis):
        R.check_nonempty(self.array, op)
        dim = _dim(op, dim, axis)
        dim = None if dim is None else R.normalize_axis(dim, max(self.ndim, 1), op, single=True)
        out = getattr(self.array, op)(axis=dim)
        if keepdim:
            out = out.reshape((1,) * self.ndim) if dim is None else backend.get_array_module(out).expand_dims(out, dim)
        return Tensor._make(out.astype(backend.np.int64))

    def logsumexp(self, dim=None, keepdim=False, *, axis=None, keepdims=None):
        axis, keepdims = _dim("logsumexp", dim, axis), _keepdim(keepdim, keepdims)
        return R.LogSumExp.apply(self, axis=R.normalize_axis(axis, self.ndim, "logsumexp"), keepdims=keepdims)

    def var(self, dim=None, unbiased=True, keepdim=False):
        """The variance over ``dim``, divided by n − 1 (``unbiased=True``, PyTorch's default; NumPy's is n)."""
        x, axis = self._floating("var"), R.normalize_axis(dim, self.ndim, "var")
        mean = x.mean(axis=axis, keepdims=True)
        n = self.numel() // max(mean.numel(), 1)  # values per mean
        d = x - mean
        return (d * d).sum(axis=axis, keepdims=keepdim) / max(n - int(bool(unbiased)), 1)

    def std(self, dim=None, unbiased=True, keepdim=False):
        """The standard deviation: ``var(...).sqrt()`` (n − 1 by default, as PyTorch)."""
        return self.var(dim, unbiased, keepdim).sqrt()

    def norm(self, p="fro", dim=None, keepdim=False):
        """The vector p-norm over ``dim`` (all elements by default): 2 ("fro"), 1, inf, or any p > 0.

        The 2-norm has its own op, whose gradient at 0 is 0 (as PyTorch), where √(Σx²) composed of
        sqrt and sum would give 0·∞ = NaN: a gradient penalty evaluates it at ∇D(x̂), which can be 0.
        """
        p = 2 if p == "fro" else p
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not p > 0:
            raise ValueError(f"norm: p must be 'fro' or a number > 0 (inf for the largest |x|), got {p!r}")
        x, axis = self._floating("norm"), R.normalize_axis(dim, self.ndim, "norm")
        if p == 2:
            return R.Norm2.apply(x, axis=axis, keepdims=keepdim)
        if p == float("inf"):
            return x.abs().max(axis=axis, keepdims=keepdim)
        if p == 1:
            return x.abs().sum(axis=axis, keepdims=keepdim)
        return (x.abs() ** p).sum(axis=axis, keepdims=keepdim) ** (1.0 / p)

    def exp(self):
        return E.Exp.apply(self._floating("exp"))

    def log(self):
        return E.Log.apply(self._floating("log"))

    def abs(self):
        return E.Abs.apply(self)

    def sqrt(self):
        return E.Sqrt.apply(self._floating("sqrt"))

    def sign(self):
        """-1, 0 or 1 elementwise; a constant (its derivative is 0 wherever it exists)."""
        return Tensor._make(backend.get_array_module(self.array).sign(self.array))

    def clamp(self, min=None, max=None):
        return E.Clamp.apply(self, **E.check_clamp(min, max))

    clip = clamp

    def sigmoid(self):
        return A.Sigmoid.apply(self._floating("sigmoid"))

    def tanh(self):
        return A.Tanh.apply(self._floating("tanh"))

    def relu(self):
        return A.ReLU.apply(self._floating("relu"))

    def leaky_relu(self, negative_slope=0.01):
        return A.LeakyReLU.apply(self._floating("leaky_relu"), negative_slope=A.check_slope(negative_slope))

    def softplus(self):
        return A.Softplus.apply(self._floating("softplus"))

    def softmax(self, dim=-1, *, axis=None):
        x, axis = self._floating("softmax"), _dim("softmax", dim if axis is None else None, axis)
        return R.Softmax.apply(x, axis=R.normalize_axis(axis, self.ndim, "softmax", single=True))

    def log_softmax(self, dim=-1, *, axis=None):
        x, axis = self._floating("log_softmax"), _dim("log_softmax", dim if axis is None else None, axis)
        return R.LogSoftmax.apply(x, axis=R.normalize_axis(axis, self.ndim, "log_softmax", single=True))

    def _floating(self, op):
        """The door check of the ops that only make sense on real numbers."""
        if not backend.is_floating(self.dtype):
            raise TypeError(f"{op}: input must be a floating-point tensor, got dtype {self.dtype}")
        return self

    # ------------------------------------------------------------------ shape
    def size(self, dim=None):
        """The shape (``size()``), or the length of one dimension (``size(d)``), as PyTorch."""
        if dim is None:
            return self.shape
        return self.shape[R.normalize_axis(dim, max(self.ndim, 1), "size", single=True)]

    def numel(self) -> int:
        """The number of elements (NumPy's ``.size``)."""
        return int(self.array.size)

    nelement = numel

    def dim(self) -> int:
        """The number of dimensions (``.ndim``)."""
        return self.array.ndim

    def reshape(self, *shape):
        return S.Reshape.apply(self, shape=S.normalize_shape(shape, self.numel(), self.shape))

    def view(self, *shape):
        return self.reshape(*shape)

    def view_as(self, other):
        return self.reshape(other.shape)

    def reshape_as(self, other):
        return self.reshape(other.shape)

    def flatten(self, start_dim=0, end_dim=-1):
        """Merge dimensions start_dim..end_dim into one (all of them by default)."""
        if self.ndim == 0:
            return self.reshape(1)
        start = R.normalize_axis(start_dim, self.ndim, "flatten", single=True)
        end = R.normalize_axis(end_dim, self.ndim, "flatten", single=True)
        if start > end:
            raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} for shape {self.shape}")
        return self.reshape(*self.shape[:start], -1, *self.shape[end + 1:])

    def transpose(self, *dims):
        """``transpose(d0, d1)`` swaps two dimensions (PyTorch); ``transpose()`` reverses them all
        and ``transpose(axes)`` with a full permutation permutes them (NumPy)."""
        if len(dims) == 2:
            d0, d1 = (R.normalize_axis(d, self.ndim, "transpose", single=True) for d in dims)
            axes = list(range(self.ndim))
            axes[d0], axes[d1] = axes[d1], axes[d0]
            dims = tuple(axes)
        return S.Transpose.apply(self, axes=S.normalize_axes(dims, self.ndim))

    def permute(self, *dims):
        return S.Transpose.apply(self, axes=S.normalize_axes(dims, self.ndim))

    def swapaxes(self, a, b):
        return self.transpose(a, b)

    swapdims = swapaxes

    def t(self):
        """The transpose of a matrix (a vector or a scalar is returned as is), as PyTorch."""
        if self.ndim > 2:
            raise ShapeError(f"t: expects a tensor with at most 2 dimensions, got shape {self.shape}; "
                             "use transpose(d0, d1) or permute(...)")
        return self if self.ndim < 2 else self.permute(1, 0)

    def squeeze(self, dim=None, *, axis=None):
        axis = _dim("squeeze", dim, axis)
        if axis is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            axis = R.normalize_axis(axis, self.ndim, "squeeze", single=True)
            if self.shape[axis] != 1:  # PyTorch leaves the tensor unchanged, NumPy raises: a likely mistake
                raise ShapeError(f"squeeze: axis {axis} of shape {self.shape} has size {self.shape[axis]}, expected 1 "
                                 "(PyTorch would return the tensor unchanged; minigan raises instead)")
            shape = self.shape[:axis] + self.shape[axis + 1 :]
        return S.Reshape.apply(self, shape=shape)

    def unsqueeze(self, dim=None, *, axis=None):
        axis = _dim("unsqueeze", dim, axis)
        axis = R.normalize_axis(axis, self.ndim + 1, "unsqueeze", single=True)
        return S.Reshape.apply(self, shape=self.shape[:axis] + (1,) + self.shape[axis:])

    def expand(self, *sizes):
        """A broadcast view of this tensor at ``sizes`` (-1 keeps a size), as PyTorch."""
        sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
        lead = len(sizes) - self.ndim
        shape = tuple(self.shape[i - lead] if n == -1 and i >= lead else n for i, n in enumerate(sizes))
        if lead < 0 or backend.broadcast_shapes(self.shape, shape) != shape:
            raise ShapeError(f"expand: cannot expand a tensor of shape {self.shape} to {sizes}; "
                             "expected sizes equal to the tensor's, or expanding its size-1 dimensions")
        return self if shape == self.shape else S.BroadcastTo.apply(self, shape=shape)

    def expand_as(self, other):
        return self.expand(other.shape)

    def pad(self, pad_width, value=0.0):
        return S.Pad.apply(self, pad_width=S.normalize_pad(pad_width, self.ndim), value=value)

    # ------------------------------------------------------------------ in-place initialisation
    def normal_(self, mean=0.0, std=1.0):
        """Fill with N(mean, std²) samples (the legacy ``m.weight.data.normal_(0, 0.02)``)."""
        return self.copy_(backend.randn(self.shape, dtype=self.dtype, xp=backend.get_array_module(self.array))
                          * self.dtype.type(std) + self.dtype.type(mean))

    def uniform_(self, a=0.0, b=1.0):
        """Fill with U(a, b) samples."""
        return self.copy_(backend.rand(self.shape, dtype=self.dtype, xp=backend.get_array_module(self.array))
                          * self.dtype.type(b - a) + self.dtype.type(a))


def _dim(op, dim, axis):
    """PyTorch's ``dim`` and NumPy's ``axis`` name the same argument: take whichever was given."""
    if axis is None:
        return dim
    if dim is not None:
        raise TypeError(f"{op}: got dim={dim!r} and axis={axis!r}; they name the same argument, give one")
    return axis


def _keepdim(keepdim, keepdims):
    return bool(keepdim if keepdims is None else keepdims)


# What max(dim) and min(dim) return, as PyTorch's torch.return_types.max/min: (values, indices).
MaxResult = namedtuple("max", ["values", "indices"])
MinResult = namedtuple("min", ["values", "indices"])


def maximum(a: Tensor, b: Tensor) -> Tensor:
    """The elementwise maximum (``torch.maximum``, ``a.max(b)``); where a == b the gradient goes to a."""
    b = a._operand(b, "maximum")
    return E.Where.apply(a, b, cond=a.array >= b.array)


def minimum(a: Tensor, b: Tensor) -> Tensor:
    """The elementwise minimum; where a == b the gradient goes to a."""
    b = a._operand(b, "minimum")
    return E.Where.apply(a, b, cond=a.array <= b.array)


def tensor(data, requires_grad=False, dtype=None, device=None) -> Tensor:
    """A new tensor holding a *copy* of ``data`` (as ``torch.tensor``): floats keep their dtype, Python
    numbers and lists become float32; ``tensor(5)`` is the scalar 5.  ``from_numpy(array)`` shares the array."""
    t = Tensor.__new__(Tensor)
    t._setup(_to_array(data, dtype, device))
    if requires_grad:
        t.requires_grad_(True)
    return t


def from_numpy(array) -> Tensor:
    """A Tensor that shares memory with ``array`` (as ``torch.from_numpy``): changing one changes the other."""
    if not backend.is_array(array):
        raise TypeError(f"from_numpy: expected a NumPy (or CuPy) array, got {type(array).__name__}")
    if array.dtype.kind not in "biuf":
        raise TypeError(f"from_numpy: cannot share an array of dtype {array.dtype}; "
                        "expected a float, int or bool array")
    return Tensor._make(array)


__all__ = ["Tensor", "tensor", "from_numpy", "maximum", "minimum", "IndexOutOfRange"]
