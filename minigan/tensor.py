"""Tensor: an array, its gradient, and the op that produced it.

A ``Tensor`` wraps a NumPy or CuPy array (``.data``).  When it ``requires_grad``, every op
applied to it records a ``Function`` node (``._ctx`` of the result), and ``backward()`` walks
those nodes in reverse topological order, applying the chain rule.
"""

from __future__ import annotations

import sys
import weakref

from minigan import backend
from minigan import function as _fn
from minigan.errors import GraphError, IndexOutOfRange, ShapeError


def _to_array(data, dtype=None, device=None):
    """Turn user data into a backend array, following the design contract's dtype rules."""
    if isinstance(data, Tensor):
        data = data.data
    if backend.is_array(data) or backend.is_numpy_scalar(data):
        xp = backend.module_for_device(device) if device else None
        if xp is None:
            # An explicit NumPy array follows the active backend (so code written for NumPy runs
            # unchanged with MINIGAN_BACKEND=cupy); a CuPy array stays where it is.
            xp = backend.get_array_module(data) if backend.device_of(data) == "cuda" else backend.active_module()
        arr = xp.asarray(data if backend.get_array_module(data) is xp else backend.asnumpy(data))
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


_REFLECTED = ("radd", "rsub", "rmul", "rpow", "rmatmul")


class Tensor:
    """``Tensor(data, requires_grad=False)``: an n-d array that remembers how it was computed."""

    __slots__ = ("data", "grad", "requires_grad", "_ctx", "name", "__weakref__")
    __array_ufunc__ = None  # make `ndarray + Tensor` call Tensor.__radd__ instead of NumPy's loop

    def __init__(self, data, requires_grad=False, dtype=None, device=None):
        self.data = _to_array(data, dtype, device)
        self.grad = None
        self._ctx = None
        self.name = None
        self.requires_grad = False
        if requires_grad:
            self.requires_grad_(True)

    @classmethod
    def _make(cls, data, requires_grad=False):
        """Fast constructor for op results: no conversion, no checks."""
        t = cls.__new__(cls)
        t.data = data
        t.grad = None
        t.requires_grad = requires_grad
        t._ctx = None
        t.name = None
        return t

    # ------------------------------------------------------------------ properties
    @property
    def shape(self):
        return self.data.shape

    @property
    def dtype(self):
        return self.data.dtype

    @property
    def ndim(self):
        return self.data.ndim

    @property
    def size(self):
        return self.data.size

    @property
    def device(self) -> str:
        return backend.device_of(self.data)

    @property
    def is_leaf(self) -> bool:
        return self._ctx is None

    @property
    def grad_fn(self):
        return self._ctx

    @property
    def T(self):
        return self.transpose()

    def __len__(self):
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.data.shape[0]

    def __repr__(self):
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self._ctx is not None:
            extra = f", grad_fn={type(self._ctx).__name__}"
        dev = ", device='cuda'" if self.device == "cuda" else ""
        body = repr(backend.asnumpy(self.data)).replace("array(", "").rstrip(")")
        return f"tensor({body}{dev}{extra})"

    def __bool__(self):
        if self.data.size != 1:
            raise ValueError(f"bool(): the truth value of a tensor of shape {self.shape} is ambiguous")
        return bool(self.data)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __array__(self, dtype=None, copy=None):
        out = backend.asnumpy(self.data)
        return out if dtype is None else out.astype(dtype)

    # ------------------------------------------------------------------ conversion
    def numpy(self):
        """A host NumPy copy of the data (never part of the graph)."""
        return backend.asnumpy(self.data).copy()

    def item(self):
        if self.data.size != 1:
            raise ValueError(f"item(): only a one-element tensor converts to a Python number, got shape {self.shape}")
        return self.data.reshape(()).item()

    def tolist(self):
        return backend.asnumpy(self.data).tolist()

    def to(self, device: str) -> Tensor:
        """Move to 'cpu' or 'cuda'; differentiable (the gradient moves back)."""
        if backend.device_of(self.data) == ("cpu" if backend.module_for_device(device) is backend.np else "cuda"):
            return self
        from minigan.ops.shape import ToDevice

        return ToDevice.apply(self, device=device)

    def cpu(self) -> Tensor:
        return self.to("cpu")

    def cuda(self) -> Tensor:
        return self.to("cuda")

    def astype(self, dtype) -> Tensor:
        from minigan.ops.elementwise import Cast

        return Cast.apply(self, dtype=backend.np.dtype(dtype))

    def float(self) -> Tensor:
        return self.astype(backend.np.float32)

    def double(self) -> Tensor:
        return self.astype(backend.np.float64)

    # ------------------------------------------------------------------ graph
    def requires_grad_(self, flag: bool = True) -> Tensor:
        """Switch gradient tracking on or off for this leaf (in place)."""
        if flag and not backend.is_floating(self.data.dtype):
            raise TypeError(
                f"requires_grad: only floating-point tensors can require gradients, got dtype {self.data.dtype}"
            )
        if not flag and self._ctx is not None:
            raise GraphError("requires_grad_(False): only a leaf can stop requiring grad; use .detach()")
        self.requires_grad = bool(flag)
        return self

    def detach(self) -> Tensor:
        """The same data, cut from the graph.

        Seed 003: after ``b = f(a); c = g(b.detach())`` "we can still forward-prop from ``a``
        to ``c``", but "since ∂b/∂a = 0 (according to autograd), we cannot back-prop through
        ``f``": no gradient reaches ``a`` or ``f``'s parameters through ``c``.
        """
        return Tensor._make(self.data, False)

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this non-leaf after backward (leaves always keep theirs)."""
        if self._ctx is not None:
            self._ctx.retained = weakref.ref(self)
        return self

    def zero_grad(self) -> None:
        self.grad = None

    def backward(self, grad=None, retain_graph: bool = False) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``.

        The graph is walked without recursion (any depth works): first count how many
        consumers each node has, then visit a node only once all of them have handed in their
        gradient, so a reused node sums its gradients *before* propagating them.
        """
        if not self.requires_grad:
            raise GraphError(
                "backward: this tensor does not require grad (no input had requires_grad=True, "
                "or it was computed under no_grad() / from .detach())"
            )
        xp = backend.get_array_module(self.data)
        if grad is None:
            if self.data.size != 1:
                raise GraphError(
                    f"backward: a tensor of shape {self.shape} needs an explicit gradient of the same shape; "
                    "only a one-element tensor (e.g. a loss) can call backward() with no argument"
                )
            grad = xp.ones_like(self.data)
        else:
            grad = grad.data if isinstance(grad, Tensor) else grad
            grad = xp.asarray(grad, dtype=self.data.dtype)
            if grad.shape != self.data.shape:
                raise ShapeError(f"backward: gradient of shape {grad.shape} given for a tensor of shape {self.shape}")

        root = self._ctx
        if root is None:  # backward on a leaf: d(self)/d(self) = 1
            self.grad = grad.copy() if self.grad is None else self.grad + grad
            return

        # Pass 1: count, for every node, how many edges lead into it from nodes above.
        pending = {}
        stack, seen = [root], {root}
        while stack:
            fn = stack.pop()
            if fn.inputs is None:
                raise GraphError(
                    "backward: trying to go through the graph a second time, but its saved arrays were "
                    "freed by the first backward; call backward(retain_graph=True) the first time"
                )
            for t in fn.inputs:
                parent = t._ctx
                if parent is not None and t.requires_grad:
                    pending[parent] = pending.get(parent, 0) + 1
                    if parent not in seen:
                        seen.add(parent)
                        stack.append(parent)

        # Pass 2: propagate; a node runs once all its consumers have contributed.
        grads = {root: grad}
        handed = {id(grad)}  # arrays already given to a node: copy before sharing them again
        ready = [root]
        while ready:
            fn = ready.pop()
            g = grads.pop(fn, None)
            if g is None:  # no gradient reached this node (every path gave None): pass that on
                input_grads = (None,) * len(fn.inputs)
            else:
                if fn.retained is not None and fn.retained() is not None:
                    fn.retained().grad = g
                input_grads = fn.backward(g)
                if _fn._anomaly_enabled:
                    for gi in input_grads:
                        _fn._check_finite(type(fn).__name__, "backward", gi, getattr(fn, "created_at", "?"))
            for t, gi in zip(fn.inputs, input_grads):
                if not t.requires_grad:
                    continue
                parent = t._ctx
                if parent is None:  # a leaf: accumulate into .grad
                    if gi is None:
                        continue
                    if t.grad is None:
                        t.grad = gi.copy() if (id(gi) in handed or gi.base is not None) else gi
                    else:
                        t.grad = t.grad + gi  # out of place: the old .grad may be held by the user
                    handed.add(id(t.grad))
                    continue
                if gi is not None:
                    if parent in grads:
                        grads[parent] = grads[parent] + gi
                    else:
                        grads[parent] = gi
                        handed.add(id(gi))
                pending[parent] -= 1
                if pending[parent] == 0:
                    ready.append(parent)
            if not retain_graph:
                fn.free()

    # ------------------------------------------------------------------ operators
    def _operand(self, other):
        """Wrap a Python number or array as a constant tensor; a scalar takes our dtype."""
        if isinstance(other, Tensor):
            return other
        if isinstance(other, (int, float)) and not isinstance(other, bool):
            dtype = self.data.dtype
            if dtype.kind == "f":  # a NumPy scalar of our dtype: float32 stays float32, on either backend
                return Tensor._make(dtype.type(other))
            return Tensor._make(backend.get_array_module(self.data).asarray(other))
        if backend.is_array(other) or isinstance(other, (list, tuple, bool)) or backend.is_numpy_scalar(other):
            return Tensor(other)
        op = sys._getframe(1).f_code.co_name.strip("_")  # the operator that asked: "__radd__" -> "radd"
        op = {"truediv": "div", "rtruediv": "div"}.get(op, op[1:] if op in _REFLECTED else op)
        raise TypeError(
            f"{op}: unsupported operand of type {type(other).__name__}; expected a Tensor, a number, "
            "or a NumPy/CuPy array (or a list of numbers)"
        )

    def __add__(self, other):
        return E.Add.apply(self, self._operand(other))

    def __radd__(self, other):
        return E.Add.apply(self._operand(other), self)

    def __sub__(self, other):
        return E.Sub.apply(self, self._operand(other))

    def __rsub__(self, other):
        return E.Sub.apply(self._operand(other), self)

    def __mul__(self, other):
        return E.Mul.apply(self, self._operand(other))

    def __rmul__(self, other):
        return E.Mul.apply(self._operand(other), self)

    def __truediv__(self, other):
        return E.Div.apply(self, self._operand(other))

    def __rtruediv__(self, other):
        return E.Div.apply(self._operand(other), self)

    def __pow__(self, other):
        return E.Pow.apply(self, self._operand(other))

    def __rpow__(self, other):
        return E.Pow.apply(self._operand(other), self)

    def __neg__(self):
        return E.Neg.apply(self)

    def __matmul__(self, other):
        return L.MatMul.apply(self, self._operand(other))

    def __rmatmul__(self, other):
        return L.MatMul.apply(self._operand(other), self)

    def __getitem__(self, index):
        return S.GetItem.apply(self, index=S.normalize_index(index, self))

    # comparisons give bool tensors and are never differentiated
    def __lt__(self, other):
        return Tensor._make(self.data < self._operand(other).data)

    def __le__(self, other):
        return Tensor._make(self.data <= self._operand(other).data)

    def __gt__(self, other):
        return Tensor._make(self.data > self._operand(other).data)

    def __ge__(self, other):
        return Tensor._make(self.data >= self._operand(other).data)

    def eq(self, other):
        """Elementwise ==, a bool tensor (``==`` itself keeps Python's identity meaning)."""
        return Tensor._make(self.data == self._operand(other).data)

    def ne(self, other):
        return Tensor._make(self.data != self._operand(other).data)

    def __iter__(self):
        if self.data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self.data.shape[0]))

    # ------------------------------------------------------------------ methods
    def sum(self, axis=None, keepdims=False):
        return R.Sum.apply(self, axis=R.normalize_axis(axis, self.ndim, "sum"), keepdims=keepdims)

    def mean(self, axis=None, keepdims=False):
        return R.Mean.apply(self, axis=R.normalize_axis(axis, self.ndim, "mean"), keepdims=keepdims)

    def max(self, axis=None, keepdims=False):
        return R.Max.apply(self, axis=R.normalize_axis(axis, self.ndim, "max"), keepdims=keepdims)

    def min(self, axis=None, keepdims=False):
        return -((-self).max(axis=axis, keepdims=keepdims))

    def logsumexp(self, axis=None, keepdims=False):
        return R.LogSumExp.apply(self, axis=R.normalize_axis(axis, self.ndim, "logsumexp"), keepdims=keepdims)

    def exp(self):
        return E.Exp.apply(self)

    def log(self):
        return E.Log.apply(self)

    def abs(self):
        return E.Abs.apply(self)

    def sqrt(self):
        return E.Sqrt.apply(self)

    def clamp(self, min=None, max=None):
        return E.Clamp.apply(self, lo=min, hi=max)

    def sigmoid(self):
        return A.Sigmoid.apply(self)

    def tanh(self):
        return A.Tanh.apply(self)

    def relu(self):
        return A.ReLU.apply(self)

    def leaky_relu(self, negative_slope=0.01):
        return A.LeakyReLU.apply(self, negative_slope=negative_slope)

    def softmax(self, axis=-1):
        return R.Softmax.apply(self, axis=R.normalize_axis(axis, self.ndim, "softmax", single=True))

    def log_softmax(self, axis=-1):
        return R.LogSoftmax.apply(self, axis=R.normalize_axis(axis, self.ndim, "log_softmax", single=True))

    def reshape(self, *shape):
        return S.Reshape.apply(self, shape=S.normalize_shape(shape, self.size, self.shape))

    def view(self, *shape):
        return self.reshape(*shape)

    def flatten(self, start_axis=0):
        return self.reshape(*self.shape[:start_axis], -1)

    def transpose(self, *axes):
        return S.Transpose.apply(self, axes=S.normalize_axes(axes, self.ndim))

    def permute(self, *axes):
        return self.transpose(*axes)

    def squeeze(self, axis=None):
        if axis is None:
            shape = tuple(n for n in self.shape if n != 1)
        else:
            axis = R.normalize_axis(axis, self.ndim, "squeeze", single=True)
            if self.shape[axis] != 1:
                raise ShapeError(f"squeeze: axis {axis} of shape {self.shape} has size {self.shape[axis]}, expected 1")
            shape = self.shape[:axis] + self.shape[axis + 1 :]
        return S.Reshape.apply(self, shape=shape)

    def unsqueeze(self, axis):
        axis = R.normalize_axis(axis, self.ndim + 1, "unsqueeze", single=True)
        return S.Reshape.apply(self, shape=self.shape[:axis] + (1,) + self.shape[axis:])

    def pad(self, pad_width, value=0.0):
        return S.Pad.apply(self, pad_width=S.normalize_pad(pad_width, self.ndim), value=value)

    def argmax(self, axis=None):
        """Indices of the maxima (an integer tensor; no gradient)."""
        return Tensor._make(self.data.argmax(axis=axis))


# Function.apply builds Tensors; tell it the class once (function.py cannot import this module
# at its top, since this module imports it).  The ops are imported at the bottom for the same
# reason: each operator method above calls plain, readable code in minigan/ops/.
_fn._bind_tensor_class(Tensor)
from minigan.ops import activation as A  # noqa: E402
from minigan.ops import elementwise as E  # noqa: E402
from minigan.ops import linalg as L  # noqa: E402
from minigan.ops import reduce as R  # noqa: E402
from minigan.ops import shape as S  # noqa: E402

__all__ = ["Tensor", "IndexOutOfRange"]
