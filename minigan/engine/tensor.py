"""Tensor: an array, its gradient, and the op that produced it (the engine part of the class).

A ``Tensor`` wraps a NumPy or CuPy array (``.array``).  When it ``requires_grad``, every op
applied to it records a ``Node`` (``.grad_fn`` of the result, minigan/engine/graph.py), and
``backward()`` hands the graph to the walk in minigan/engine/walk.py, which applies the chain
rule from the output back.  The methods the lessons, GANs and attacks call are ``methods.py``'s;
``minigan.Tensor`` (minigan/surface/tensor.py) is a subclass that adds the rest of PyTorch's.

Imports go one way: graph.py (the node) ← ops/ (the differentiable operations) ← walk.py and
methods.py ← inplace.py (in-place ops and their rules) ← this file; nothing in minigan/engine/ imports
anything outside it.
"""

from __future__ import annotations

from array import array

from minigan.engine import backend, checks
from minigan.engine.dtypes import result_type
from minigan.engine.errors import DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import namespace
from minigan.engine.inplace import VIEW_KINDS, InPlace, follow_retained
from minigan.engine.methods import TensorMethods
from minigan.engine.ops import elementwise, linalg
from minigan.engine.ops import namespace as tensor_namespace
from minigan.engine.ops import shape as shaping
from minigan.engine.walk import accumulate, backprop, backward_into, retain, topological_order

_NUMPY_SCALAR = backend.np.generic  # what NumPy returns for a 0-d result


class Tensor(InPlace, TensorMethods):
    """``Tensor(data, requires_grad=False)``: an n-d array that remembers how it was computed.

    PyTorch's legacy constructor: the data is copied in the default float dtype (float32), whatever it held (a
    tensor keeps its own); ``minigan.tensor`` keeps an array's dtype, ``minigan.from_numpy`` shares it.
    ``Tensor(2, 3)`` (sizes) is a float32 tensor of that shape (of zeros; PyTorch leaves it uninitialised).
    """

    __slots__ = ("array", "_grad", "_requires_grad", "_ctx", "name", "_counter", "_base", "_view_fn", "_view_version",
                 "_hooks", "_view_kind", "__weakref__")
    __array_ufunc__ = None  # make `ndarray + Tensor` call Tensor.__radd__ instead of NumPy's loop

    def __init__(self, *data, requires_grad=False, dtype=None, device=None):
        data = checks.legacy_sizes(data, dtype, device) if checks.are_sizes(data) else checks.one_argument(data)
        dtype = dtype or (None if isinstance(data, Tensor) else backend.DEFAULT_DTYPE)  # Tensor(array): float32
        self._setup(checks.to_array(_unwrap(data), dtype, device))
        if requires_grad:
            self.requires_grad_(True)

    def _setup(self, data, requires_grad=False):  # (a NumPy scalar, a 0-d result, has no memory a view could share)
        self.array = backend.np.asarray(data) if isinstance(data, _NUMPY_SCALAR) else data
        # (_hooks: a leaf's register_hook functions; a non-leaf's live on its node)
        self._grad, self._requires_grad, self._ctx, self._hooks, self.name = None, requires_grad, None, None, None
        # How many times the array was changed in place: one number in a mutable box, so that tensors sharing the
        # array (a view, a detached alias) can share it too.  None till first needed (_version_counter): most results
        # are never saved, viewed nor changed in place, and a box is one more object for the garbage collector.
        self._counter = None
        # A view: the tensor whose memory it shares (never itself a view), the ops that make the view
        # from it ((Node class, params) pairs), and the version at which its history was last set.
        self._base, self._view_fn, self._view_version = None, (), 0
        # The views that may not change in place while gradients are recorded, nor be used after their base
        # changed: "multi-output" (made by split, unbind or chunk) and "no_grad" (made under no_grad), and their views
        self._view_kind = ""

    def _new(self, data, requires_grad=False):
        """A new plain tensor of this tensor's kind holding ``data`` (how code that does not import this module
        makes a tensor)."""
        return self._make(data, requires_grad)

    def _input(self, x):
        """An op's input as a Tensor: a constant array is wrapped; a view whose base changed in place since
        its history was set gets its history again (see ``_sync_view``)."""
        if isinstance(x, backend.PLAIN_TYPES):
            return self._make(x)
        if x._base is not None and x._view_version != x._counter[0]:  # (a view shares its base's counter)
            x._sync_view()
        return x

    @classmethod
    def _make(cls, out, requires_grad=False, source=None, op=None, params=(), arrays=()):
        """A tensor holding the array ``out``, with no copy and no checks: how the engine makes every tensor, an op's
        result included (computed from ``arrays`` by ``op`` with ``params``).  A 0-d result stays an array (NumPy
        gives a scalar, which cannot change in place).  When ``source`` is given (a view op), a result sharing its
        memory becomes its view.  The result's class is ``Tensor.plain``: this Tensor, until the PyTorch surface
        (minigan/surface/tensor.py) sets it, once, to minigan.Tensor, its subclass; so engine ops on surface tensors
        give surface tensors, a subclass such as ``nn.Parameter`` gives plain ones, and the engine never imports the
        surface."""
        out = backend.np.asarray(out) if isinstance(out, _NUMPY_SCALAR) else out
        t = object.__new__(cls.plain)  # (the fields _setup declares, in its order, set here without a call: every
        # op's result is made here; tests/engine/test_tensor_fields.py checks the two lists are one)
        t.array, t._grad, t._requires_grad, t._ctx, t._hooks, t.name = out, None, requires_grad, None, None, None
        t._counter, t._base, t._view_fn, t._view_version, t._view_kind = None, None, (), 0, ""
        return t if source is None else t._view_of(source, op, params)

    def _view_of(self, source, op, params):
        """This result of the view op ``op`` (with ``params``) on ``source``, made a view of source's base where it
        shares source's memory (a view op may copy: reshape of a transposed array); returned."""
        out = self.array
        if out.base is not None and (out.base is source.array or out.base is source.array.base
                                     or _shares_memory(out, source.array)):
            self._base = source if source._base is None else source._base
            self._view_fn = source._view_fn + ((op, params),)
            self._counter = source._version_counter()
            self._view_version = self._counter[0]
            self._view_kind = source._view_kind or ("" if is_grad_enabled() else "no_grad")
            # (made under no_grad, or before its base came to require grad: a leaf that requires grad as
            # its base does (the requires_grad property, and an op's needs in Node.apply), through which no gradient
            # flows: its own flag, which decides whether a gradient stops in its .grad, stays off till requires_grad_())
        return self

    def _sync_view(self):
        """A view whose base changed in place: its history becomes the view ops applied to the base's
        current history, so its gradient follows the base's latest ops.  Under no_grad nothing is recorded: the
        history waits till the view is next used with gradients.  (Only a view gets here: its callers ask.)"""
        if not is_grad_enabled() or not (self._base.requires_grad or self._ctx is not None):
            return  # (till its base requires grad, the view waits: the versions are compared only when asked)
        if self._view_kind:  # (each time it is used: its versions are left apart)
            raise GraphError(f"this tensor is a view ({VIEW_KINDS[self._view_kind]}) whose base, or another view "
                             "of it, was changed in place since; PyTorch refuses to use it in a graph too: take "
                             "the view again after the change, or .clone() it before")
        self._view_version = self._counter[0]
        if self._base.requires_grad:  # (the new history is a strided view of the base)
            x = self._view_history(shaping._view(self._base, self._view_fn))
            follow_retained(self._ctx, x._ctx)
            self._ctx, self._requires_grad = x._ctx, True

    def _view_history(self, x):
        """The view's new history ``x`` (the view ops over its base's) as a library above the engine has it
        (minigan.Tensor's, for an empty view: surface/forms.py); the engine's, ``x`` itself."""
        return x

    def __array_namespace__(self, api_version=None):
        """The functions a backward calls on Tensors under create_graph (the Array API protocol)."""
        return tensor_namespace

    # ------------------------------------------------------------------ properties
    @property
    def data(self) -> Tensor:
        """A Tensor sharing this tensor's array, outside the graph (PyTorch's ``.data``).

        Unlike ``detach()`` it does not share the version counter, so an in-place change through it
        (``p.data.clamp_(-c, c)``) is not seen by autograd: the legacy idiom (WGAN's weight clipping).
        ``.array`` is the raw NumPy/CuPy array itself.
        """
        return self._make(self.array.view())  # (a view: its own array object, the same memory; see detach)

    @data.setter
    def data(self, value):
        value = value.array if isinstance(value, Tensor) else value
        if not backend.is_array(value):
            raise TypeError(f"data: expected a Tensor or an array, got {type(value).__name__}")
        if value.dtype.kind not in "fc" and self.requires_grad:  # (its gradient could not be held: refused)
            raise DtypeError(f"data: cannot set the data of a tensor that requires grad to {value.dtype} values; "
                             "set floating-point data, or call .requires_grad_(False) first")
        self.array = backend.plain_array(value)  # (a memmap: a plain array on the same memory)

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
    def device(self) -> backend.Device:
        """As ``torch.device``: cpu, or cuda:0 on the GPU (minigan runs on one); ``.type`` is "cpu" or "cuda"."""
        return backend.torch_device(self.array)

    @property
    def requires_grad(self) -> bool:
        """True when gradients flow to this tensor (a view: also when its base has come to require grad)."""
        return self._requires_grad or (self._base is not None and self._base._requires_grad)

    @requires_grad.setter
    def requires_grad(self, flag):  # x.requires_grad = flag: the rules of requires_grad_ (which see)
        if self._ctx is not None:
            raise GraphError("requires_grad: you can only change requires_grad flags of leaf variables; for a "
                             "computed tensor without gradient use y.detach()")
        if not isinstance(flag, (bool, backend.np.bool_)):  # (a RuntimeError; NumPy's bool is taken)
            raise RuntimeError(f"requires_grad must be True or False, got {flag!r}")
        self.requires_grad_(flag)

    @property
    def is_leaf(self) -> bool:
        return self._input(self)._ctx is None

    @property
    def grad_fn(self):
        return self._input(self)._ctx

    @property
    def _version(self) -> int:
        """How many times this tensor's array was changed in place."""
        return 0 if self._counter is None else self._counter[0]

    def _version_counter(self):
        """The box holding this tensor's version, made when first needed (to share it, save it, or count a change)."""
        if self._counter is None:
            self._counter = array("q", [0])
        return self._counter

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
            if value is self:
                raise GraphError("grad: a tensor cannot be its own gradient (nor in PyTorch); assign a .clone()")
            if value.array.shape != self.array.shape or value.array.dtype != self.array.dtype:
                raise ShapeError(f"grad: got a Tensor of shape {value.array.shape} and dtype {value.dtype} for a "
                                 f"tensor of shape {self.array.shape} and dtype {self.dtype}; expected the same shape "
                                 "and dtype")
        self._grad = value

    # ------------------------------------------------------------------ graph
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Switch gradient tracking on or off for this leaf (in place)."""
        if not isinstance(requires_grad, (bool, backend.np.bool_)):  # (a TypeError; NumPy's bool is taken)
            raise TypeError(f"requires_grad_: requires_grad must be True or False, got {requires_grad!r}")
        if requires_grad and not backend.is_floating(self.array.dtype):
            raise DtypeError(f"requires_grad: only floating-point tensors can require gradients, got dtype "
                             f"{self.array.dtype}")
        if not requires_grad and self._ctx is not None:
            raise GraphError("requires_grad_(False): only a leaf can stop requiring grad; use .detach()")
        self._requires_grad = bool(requires_grad)
        return self

    def detach(self) -> Tensor:
        """The same data (and version counter), cut from the graph.

        After ``b = f(a); c = g(b.detach())`` we can still compute ``c`` from ``a``, but no
        gradient reaches ``a`` or ``f``'s parameters through ``c``: the graph says ∂b/∂a = 0.
        """
        t = self._make(self.array.view())  # the same memory in an array object of its own, so that an op given
        t._counter = self._version_counter()  # x and x.detach() tells them apart in what it saves (x * x.detach())
        return t

    def detach_(self) -> Tensor:
        """``detach()`` in place: this tensor leaves the graph, a leaf that does not require grad (not for a view)."""
        if self._base is not None:
            raise GraphError("detach_: a view cannot be detached in place; use y = x.detach() instead")
        self._ctx, self._requires_grad = None, False
        return self

    def retain_grad(self) -> None:
        """Keep ``.grad`` on this non-leaf after backward (leaves always keep theirs); returns None."""
        if not self.requires_grad:
            raise GraphError("retain_grad: the tensor does not require grad, so it will have no gradient to keep")
        if self._ctx is not None:
            retain(self)

    def zero_grad(self) -> None:
        self._grad = None

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None) -> None:
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad`` (only into ``inputs``' when given).

        ``create_graph=True`` records the backward pass itself, so the gradients can be
        differentiated again; it keeps the graph unless ``retain_graph=False``.
        """
        if self._base is not None and self._view_version != self._counter[0]:  # a view whose base changed in place
            self._sync_view()  # gets its current history
        seeds = {self._ctx or self: self._seed_gradient(gradient, "backward", create_graph)}
        if inputs is not None:  # only into these tensors' .grad
            return backward_into(seeds, checks.differentiable("backward", inputs), retain_graph, create_graph)
        accumulate(backprop(seeds, topological_order(seeds), retain_graph, create_graph), seeds)

    def _add_grad(self, g) -> None:
        """``.grad += g`` in this tensor's dtype: in place (whoever holds ``.grad`` sees the sum),
        or, when either is part of a graph (``create_graph=True``), as a new differentiable sum."""
        if isinstance(g, backend.PLAIN_TYPES):  # a first-order walk's array (a CPU scalar may meet a GPU tensor)
            g = backend.to_device(g, backend.device_of(self.array)) if backend.GPU_ARRAYS else backend.np.asarray(g)
            g = self._make(g.astype(self.array.dtype, copy=False))
        elif g.array.dtype != self.array.dtype:
            g = g.astype(self.array.dtype)
        if self._grad is None:
            self._grad = g
        elif self._grad.requires_grad or g.requires_grad:
            self._grad = self._grad + g
        else:
            self._grad.array += g.array

    def _keep_grad(self, g) -> None:
        """What retain_grad() keeps: the gradients that reached this non-leaf (a copy of its own: the walk's gradient
        may be shared), summed over backward calls out of place: a ``.grad`` taken
        from an earlier backward keeps its value (a leaf's sum is in place)."""
        if isinstance(g, backend.PLAIN_TYPES):
            g = self._make(backend.to_device(g, backend.device_of(self.array)).astype(self.array.dtype))
        elif not g.requires_grad:
            g = g.clone()
        held, self._grad = self._grad, None
        self._add_grad(g if held is None else held + g)

    def _seed_gradient(self, gradient, op, create_graph):
        """The gradient backward starts from: ones for a one-element output, else the one given.  A view that requires
        grad only as its base does, with no history of its own (made under no_grad, or before its base came to require
        grad), has no grad_fn, and no backward starts from it (there is no node to start at)."""
        if gradient is None and self.array.size == 1 and (self._ctx is not None or self._requires_grad):  # a loss:
            ones = namespace(self.array).ones_like(self.array)  # d(out)/d(out) = 1 (of its shape, dtype and device)
            return self._make(ones) if create_graph else ones
        if self._ctx is None and not self._requires_grad:  # no history, and no gradient of its own
            raise GraphError(f"{op}: this view has no grad_fn (made under no_grad?); take the view with gradients on"
                             if self.requires_grad else f"{op}: this tensor does not require grad (no input had "
                             "requires_grad=True, or it was computed under no_grad() / from .detach())")
        if gradient is None:
            raise GraphError(f"{op}: a tensor of shape {self.array.shape} needs an explicit gradient of the same "
                             "shape; only a one-element tensor (e.g. a loss) can start backward with no gradient")
        if not isinstance(gradient, Tensor):
            gradient = self._make(checks.to_array(_unwrap(gradient), self.dtype, self.device, infer=True))
        if gradient.array.shape != self.array.shape:
            raise ShapeError(f"{op}: gradient of shape {gradient.array.shape} given for a tensor of shape "
                             f"{self.array.shape}")
        if gradient.device != self.device:  # no silent copy between devices
            raise backend.BackendError(f"{op}: gradient on {gradient.device} for a tensor on {self.device}: use .to()")
        gradient = gradient if gradient.array.dtype == self.array.dtype else gradient.astype(self.array.dtype)
        return gradient if create_graph else gradient.array

    # ------------------------------------------------------------------ operators
    def _operand(self, other, op, reflected=False):
        """Wrap a Python number or array as a constant tensor; a Python number takes our dtype.  A list or tuple is
        refused: only the functions that make a tensor (tensor, as_tensor) read one as data."""
        if isinstance(other, Tensor):
            if other.array.shape != self.array.shape:
                checks.check_broadcast(op, *((other.array, self.array) if reflected else (self.array, other.array)))
            return other
        if isinstance(other, (bool, int, float)):
            dtype = self.array.dtype
            if dtype.kind == "f" and not isinstance(other, bool):  # a NumPy scalar of our dtype: float32 stays float32
                return self._make(dtype.type(other))
            if dtype.kind in "iu" and type(other) is int:  # our integer dtype, wrapping around: uint8 + 300 is 44
                return self._make(backend.np.asarray(other).astype(dtype)[()])
            return self._make(backend.get_array_module(self.array).asarray(other))
        if backend.is_array(other) or backend.is_numpy_scalar(other):
            other = self._make(checks.to_array(other, None, self.device))  # an array keeps its dtype
            checks.check_broadcast(op, *((other.array, self.array) if reflected else (self.array, other.array)))
            return other
        raise TypeError(f"{op}: unsupported operand of type {type(other).__name__}; expected a Tensor, a number or a "
                        "NumPy/CuPy array (make a list or tuple a tensor first: minigan.tensor(...))")

    def _pair(self, other, op, reflected=False):
        """The two operands of a binary op in one dtype, by the promotion rules of dtypes.result_type: tensors, or for
        a number with a floating tensor, a NumPy scalar of its dtype, which the op takes as a constant (no Tensor is
        made for it).  ``reflected``: ``other`` comes first (``2 - x``).  True division always gives a float."""
        if isinstance(other, Tensor) and other.array.dtype == self.array.dtype and self.array.dtype.kind == "f":
            if other.array.shape != self.array.shape:  # the common cases first: two tensors of one float dtype, ...
                checks.check_broadcast(op, *((other.array, self.array) if reflected else (self.array, other.array)))
            return (other, self) if reflected else (self, other)
        dtype = self.array.dtype
        if isinstance(other, (float, int)) and dtype.kind == "f":  # ... and a number: x * 0.5 keeps x's dtype
            other = dtype.type(other)
            return (other, self) if reflected else (self, other)
        other = checks.number(other)  # (np.float16(2) is the number 2.0: x_int * it is float32, as x_int * 2.0)
        number = isinstance(other, (bool, int, float))
        b = None if number else self._operand(other, op, reflected)
        dtype = result_type(self, other if number else b)
        if op == "div" and dtype.kind != "f":
            dtype = backend.np.dtype(backend.DEFAULT_DTYPE)
        if number:  # a NumPy scalar of the result's dtype: float32 stays float32, on either backend; an integer
            b = self._make(dtype.type(other) if dtype.kind == "f" else backend.np.asarray(other).astype(dtype)[()])
            # (the integer wraps around modulo 2^bits: uint8 + 300 is 44)
        a = self if self.array.dtype == dtype else self.astype(dtype)
        b = b if b.array.dtype == dtype else b.astype(dtype)
        return (b, a) if reflected else (a, b)

    # A list or tuple is not an operand: NotImplemented lets Python's own rules decide
    # (a TypeError, or a list repeated by a one-element integer tensor: [1, 2] * tensor(2) is [1, 2, 1, 2])
    def __add__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else elementwise.Add.apply(*self._pair(other, "add"))

    __radd__ = __add__  # 2 + x records x + 2, x's edge first (+ and * commute exactly)

    def __sub__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else elementwise.Sub.apply(
            *self._pair(checks.not_bool(self, other), "sub"))

    def __rsub__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else elementwise.Sub.apply(
            *self._pair(checks.not_bool(self, other), "sub", reflected=True))

    def __mul__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else elementwise.Mul.apply(*self._pair(other, "mul"))

    __rmul__ = __mul__  # 2 * x records x * 2 (+ and * commute exactly)

    def __truediv__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else elementwise.Div.apply(*self._pair(other, "div"))

    def __rtruediv__(self, other):
        return elementwise.Div.apply(*self._pair(other, "div", reflected=True))

    def __pow__(self, other):
        exponent = checks.bool_power(self, checks.number(other))  # (a bool tensor to a bool number only)
        return elementwise.Pow.apply(*self._pair(exponent, "pow"))

    def __rpow__(self, other):
        return elementwise.Pow.apply(*self._pair(checks.bool_power(self, other, reflected=True), "pow", reflected=True))

    def __neg__(self):
        return elementwise.Neg.apply(checks.not_bool(self, self))

    def __matmul__(self, other):
        if type(other) in checks.SEQUENCES:
            return NotImplemented
        other = self._matmul_operand(other)
        checks.check_matmul(self.array.shape, other.array.shape)
        checks.check_matmul_dtypes(self, other)
        return linalg.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self._matmul_operand(other) @ self

    def _matmul_operand(self, other):
        if not isinstance(other, Tensor) and not backend.is_array(other):
            raise TypeError(f"matmul: unsupported operand of type {type(other).__name__}; expected a Tensor or an "
                            "array (make a list or tuple a tensor first: minigan.tensor(...))")
        return other if isinstance(other, Tensor) else self._make(checks.to_array(other, None, self.device, infer=True))

    def __getitem__(self, index):
        items = index if isinstance(index, tuple) else (index,)
        items = tuple(it.array if isinstance(it, Tensor) else it for it in items)
        index = checks.normalize_index(items, self.array)
        out = shaping.GetItem.apply(self, index=index)
        move = checks.moved_index_axes(items, self.ndim) if index[1] else None  # (index arrays only)
        if move and move[1]:  # NumPy put the index arrays' axes first; PyTorch keeps them where they are
            b, p = move
            out = out.movedim(tuple(range(b)), tuple(range(p, p + b)))
        return out


def _unwrap(data):
    """A Tensor's array (what ``tensor(other_tensor)`` copies), or the data as given."""
    return data.array if isinstance(data, Tensor) else data


def _shares_memory(a, b) -> bool:
    """Does array ``a`` (a view NumPy made through other views, einsum's) share memory with ``b``?"""
    return bool(backend.get_array_module(a).may_share_memory(a, b))


Tensor.plain = Tensor  # the class of results (see _make; the surface sets it to minigan.Tensor)
