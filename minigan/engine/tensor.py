"""Tensor: an array, its gradient, and the op that produced it (the engine part of the class).

A ``Tensor`` wraps a NumPy or CuPy array (``.array``).  When it ``requires_grad``, every op
applied to it records a ``Node`` (``.grad_fn`` of the result, minigan/engine/graph.py), and
``backward()`` hands the graph to the walk in minigan/engine/walk.py, which applies the chain
rule from the output back.  The methods the lessons, GANs and attacks call are ``methods.py``'s;
``minigan.Tensor`` (minigan/_tensor_surface.py) is a subclass that adds the rest of PyTorch's.

Imports go one way: graph.py (the node) ← ops/ (the differentiable operations) ← walk.py and
methods.py ← this file; nothing in minigan/engine/ imports anything outside it.
"""

from __future__ import annotations

import operator
from array import array

from minigan.engine import backend, checks
from minigan.engine.dtypes import result_type
from minigan.engine.errors import DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.methods import TensorMethods
from minigan.engine.ops import elementwise, linalg
from minigan.engine.ops import namespace as tensor_namespace
from minigan.engine.ops import shape as shaping
from minigan.engine.walk import accumulate, backprop, backward_into, retain, topological_order

_NUMPY_SCALAR = backend.np.generic  # what NumPy returns for a 0-d result


class Tensor(TensorMethods):
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

    def _setup(self, data, requires_grad=False):
        self.array = data
        self._grad = None
        self._requires_grad = requires_grad
        self._ctx = None
        self._hooks = None  # a leaf's register_hook functions (a non-leaf's live on its node)
        self.name = None
        # How many times the array was changed in place: one number in a mutable box, so that tensors sharing the
        # array (a view, a detached alias) can share it too.  None till first needed (_version_counter): most results
        # are never saved, viewed nor changed in place, and a box is one more object for the garbage collector.
        self._counter = None
        # A view: the tensor whose memory it shares (never itself a view), the ops that make the view
        # from it ((Node class, params) pairs), and the version at which its history was last set.
        self._base = None
        self._view_fn = ()
        self._view_version = 0
        # PyTorch's views that may not change in place while gradients are recorded, nor be used after their base
        # changed: "multi-output" (made by split, unbind or chunk) and "no_grad" (made under no_grad), and their views
        self._view_kind = ""

    @classmethod
    def _make(cls, data, requires_grad=False):
        """Fast constructor for results: no conversion, no copy, no checks.  The result's class is ``Tensor.plain``,
        one class attribute: this Tensor, until the PyTorch surface (minigan/_tensor_surface.py) sets it, once, to
        minigan.Tensor, its subclass.  So engine ops on surface tensors give surface tensors, a subclass such as
        ``nn.Parameter`` gives plain ones, and the engine never imports the surface."""
        t = object.__new__(cls.plain)
        t._setup(data, requires_grad)  # (every field of a tensor is set in _setup, and only there)
        return t

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

    def _result(self, out, requires_grad, source, op, params):
        """An op's result.  A 0-d result stays an array (NumPy gives a scalar, which cannot change in
        place).  When ``source`` is given (a view op), a result sharing its memory becomes its view."""
        if isinstance(out, _NUMPY_SCALAR):
            out = backend.np.asarray(out)
        t = object.__new__(self.plain)  # (_make without its call to _setup: every op's result is made here, and the
        # two calls were 2% of an op; the same fields as _setup's, in its order, which a test checks)
        t.array, t._grad, t._requires_grad, t._ctx, t._hooks, t.name = out, None, requires_grad, None, None, None
        t._counter = None
        t._base, t._view_fn, t._view_version, t._view_kind = None, (), 0, ""
        if source is not None and out.base is not None and (out.base is source.array or out.base is source.array.base
                                                             or _shares_memory(out, source.array)):
            t._base = source if source._base is None else source._base
            t._view_fn = source._view_fn + ((op, params),)
            t._counter = source._version_counter()
            t._view_version = t._counter[0]
            t._view_kind = source._view_kind or ("" if is_grad_enabled() else "no_grad")
            # (made under no_grad: as PyTorch's, a leaf that requires grad as its base does, through which no
            t._requires_grad = requires_grad or t._view_kind == "no_grad" and source.requires_grad  # gradient flows)
        return t

    def _sync_view(self):
        """A view whose base changed in place: its history becomes the view ops applied to the base's
        current history (PyTorch regenerates a view's grad_fn the same way).  Under no_grad nothing is recorded: the
        history waits till the view is next used with gradients.  (Only a view gets here: its callers ask.)"""
        if not is_grad_enabled() or not (self._base.requires_grad or self._ctx is not None):
            return  # (till its base requires grad, the view waits: PyTorch compares the versions when asked too)
        self._view_version = self._counter[0]
        if self._view_kind:
            raise GraphError(f"this tensor is a view ({_VIEW_KINDS[self._view_kind]}) whose base, or another view "
                             "of it, was changed in place since; PyTorch refuses to use it in a graph too: take "
                             "the view again after the change, or .clone() it before")
        if self._base.requires_grad:
            x = self._base
            for op, params in self._view_fn:
                x = op.apply(x, **params)
            _follow_retained(self._ctx, x._ctx)
            self._ctx, self._requires_grad = x._ctx, True

    def __array_namespace__(self, api_version=None):
        """The functions a backward calls on Tensors under create_graph (the Array API protocol)."""
        return tensor_namespace

    # ------------------------------------------------------------------ properties
    @property
    def data(self) -> Tensor:
        """A Tensor sharing this tensor's array, outside the graph (PyTorch's ``.data``).

        Unlike ``detach()`` it does not share the version counter, so an in-place change through it
        (``p.data.clamp_(-c, c)``) is not seen by autograd: the legacy idiom, kept as PyTorch keeps it.
        ``.array`` is the raw NumPy/CuPy array itself.
        """
        return self._make(self.array.view())  # (a view: its own array object, the same memory; see detach)

    @data.setter
    def data(self, value):
        value = value.array if isinstance(value, Tensor) else value
        if not backend.is_array(value):
            raise TypeError(f"data: expected a Tensor or an array, got {type(value).__name__}")
        if value.dtype.kind not in "fc" and self.requires_grad:  # (its gradient could not be held: PyTorch refuses)
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
    def requires_grad(self, flag):  # x.requires_grad = flag: PyTorch's rules, as requires_grad_ (which see)
        if self._ctx is not None:
            raise GraphError("requires_grad: you can only change requires_grad flags of leaf variables; for a "
                             "computed tensor without gradient use y.detach()")
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
            if value.shape != self.shape or value.dtype != self.dtype:
                raise ShapeError(f"grad: got a Tensor of shape {value.array.shape} and dtype {value.dtype} for a "
                                 f"tensor of shape {self.array.shape} and dtype {self.dtype}; expected the same shape "
                                 "and dtype")
        self._grad = value

    # ------------------------------------------------------------------ graph
    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Switch gradient tracking on or off for this leaf (in place)."""
        if requires_grad and not backend.is_floating(self.array.dtype):
            raise DtypeError(
                f"requires_grad: only floating-point tensors can require gradients, got dtype {self.array.dtype}"
            )
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
        """Keep ``.grad`` on this non-leaf after backward (leaves always keep theirs); returns None, as PyTorch's."""
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
        if not self.requires_grad:
            raise GraphError(
                "backward: this tensor does not require grad (no input had requires_grad=True, "
                "or it was computed under no_grad() / from .detach())"
            )
        seeds = {self._ctx or self: self._seed_gradient(gradient, "backward", create_graph)}
        order = topological_order([self._ctx] if self._ctx is not None else [])
        retain_graph = create_graph if retain_graph is None else retain_graph
        if inputs is not None:  # only into these tensors' .grad
            return backward_into(seeds, checks.differentiable("backward", inputs), retain_graph, create_graph)
        accumulate(backprop(seeds, order, retain_graph, create_graph), seeds)

    def _add_grad(self, g) -> None:
        """``.grad += g`` in this tensor's dtype: in place, as PyTorch's (whoever holds ``.grad`` sees the sum),
        or, when either is part of a graph (``create_graph=True``), as a new differentiable sum."""
        if isinstance(g, backend.PLAIN_TYPES):  # a first-order walk's array (a CPU scalar may meet a GPU tensor)
            g = backend.to_device(g, backend.device_of(self.array)) if backend.GPU_ARRAYS else backend.np.asarray(g)
            g = self._make(g.astype(self.array.dtype, copy=False))
        elif g.dtype != self.dtype:
            g = g.astype(self.dtype)
        if self._grad is None:
            self._grad = g
        elif self._grad.requires_grad or g.requires_grad:
            self._grad = self._grad + g
        else:
            self._grad.array += g.array

    def _keep_grad(self, g) -> None:
        """What retain_grad() keeps: the gradients that reached this non-leaf, summed over backward calls as a leaf's
        (a copy of its own: the walk's gradient may be shared)."""
        if isinstance(g, backend.PLAIN_TYPES):
            g = backend.to_device(g, backend.device_of(self.array)).astype(self.dtype)
        elif not g.requires_grad:
            g = g.clone()
        self._add_grad(g)

    def _seed_gradient(self, gradient, op, create_graph):
        """The gradient backward starts from: ones for a one-element output, else the one given."""
        if gradient is None:
            if self.array.size != 1:
                raise GraphError(
                    f"{op}: a tensor of shape {self.array.shape} needs an explicit gradient of the same shape; "
                    "only a one-element tensor (e.g. a loss) can start backward with no gradient"
                )
            ones = backend.get_array_module(self.array).ones_like(self.array)  # (its shape, dtype and device)
            return self._make(ones) if create_graph else ones
        if not isinstance(gradient, Tensor):
            gradient = self._make(checks.to_array(_unwrap(gradient), self.dtype, self.device, infer=True))
        if gradient.shape != self.shape:
            raise ShapeError(f"{op}: gradient of shape {gradient.array.shape} given for a tensor of shape "
                             f"{self.array.shape}")
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
                checks.check_broadcast(op, *((other, self) if reflected else (self, other)))
            return other
        if isinstance(other, (bool, int, float)):
            dtype = self.array.dtype
            if dtype.kind == "f" and not isinstance(other, bool):  # a NumPy scalar of our dtype: float32 stays float32
                return self._make(dtype.type(other))
            if dtype.kind in "iu" and type(other) is int:  # our integer dtype, wrapping around as PyTorch: uint8 + 300
                return self._make(backend.np.asarray(other).astype(dtype)[()])
            return self._make(backend.get_array_module(self.array).asarray(other))
        if backend.is_array(other) or isinstance(other, (list, tuple)) or backend.is_numpy_scalar(other):
            other = self._make(checks.to_array(other, None, self.device))  # an array keeps its dtype
            checks.check_broadcast(op, *((other, self) if reflected else (self, other)))
            return other
        raise TypeError(
            f"{op}: unsupported operand of type {type(other).__name__}; expected a Tensor, a number, "
            "or a NumPy/CuPy array (or a list of numbers)"
        )

    def _pair(self, other, op, reflected=False):
        """The two operands of a binary op in one dtype, by PyTorch's promotion (dtypes.result_type): tensors, or for
        a number with a floating tensor, a NumPy scalar of its dtype, which the op takes as a constant (no Tensor is
        made for it).  ``reflected``: ``other`` comes first (``2 - x``).  True division always gives a float."""
        dtype = self.array.dtype
        if isinstance(other, (float, int)) and dtype.kind == "f":  # the common cases first: x * 0.5 keeps x's dtype
            other = dtype.type(other)
            return (other, self) if reflected else (self, other)
        if isinstance(other, Tensor) and other.array.dtype == dtype and (op != "div" or dtype.kind == "f"):
            if other.array.shape != self.array.shape:
                checks.check_broadcast(op, *((other, self) if reflected else (self, other)))
            return (other, self) if reflected else (self, other)
        number = isinstance(other, (bool, int, float))
        b = None if number else self._operand(other, op, reflected)
        dtype = result_type(self, other if number else b)
        if op == "div" and dtype.kind != "f":
            dtype = backend.np.dtype(backend.DEFAULT_DTYPE)
        if number:  # a NumPy scalar of the result's dtype: float32 stays float32, on either backend; an integer
            b = self._make(dtype.type(other) if dtype.kind == "f" else backend.np.asarray(other).astype(dtype)[()])
            # (the integer wraps around, as PyTorch's: uint8 + 300)
        a = self if self.dtype == dtype else self.astype(dtype)
        b = b if b.dtype == dtype else b.astype(dtype)
        return (b, a) if reflected else (a, b)

    def __add__(self, other):
        return elementwise.Add.apply(*self._pair(other, "add"))

    def __radd__(self, other):  # 2 + x records x + 2, x's edge first, as PyTorch's (+ and * commute exactly)
        return elementwise.Add.apply(*self._pair(other, "add", reflected=True)[::-1])

    def __sub__(self, other):
        return elementwise.Sub.apply(*self._pair(checks.not_bool(self, other), "sub"))

    def __rsub__(self, other):
        return elementwise.Sub.apply(*self._pair(checks.not_bool(self, other), "sub", reflected=True))

    def __mul__(self, other):
        return elementwise.Mul.apply(*self._pair(other, "mul"))

    def __rmul__(self, other):  # 2 * x records x * 2, as PyTorch's
        return elementwise.Mul.apply(*self._pair(other, "mul", reflected=True)[::-1])

    def __truediv__(self, other):
        return elementwise.Div.apply(*self._pair(other, "div"))

    def __rtruediv__(self, other):
        return elementwise.Div.apply(*self._pair(other, "div", reflected=True))

    def __pow__(self, other):
        return elementwise.Pow.apply(*self._pair(other, "pow"), tensor_exponent=isinstance(other, Tensor))

    def __rpow__(self, other):
        return elementwise.Pow.apply(*self._pair(other, "pow", reflected=True))

    def __neg__(self):
        return elementwise.Neg.apply(checks.not_bool(self, self))


    def __matmul__(self, other):
        other = self._matmul_operand(other)
        checks.check_matmul(self.array.shape, other.array.shape)
        self._matmul_dtypes(other)
        return linalg.MatMul.apply(self, other)

    def __rmatmul__(self, other):
        other = self._matmul_operand(other)
        checks.check_matmul(other.array.shape, self.array.shape)
        self._matmul_dtypes(other)
        return linalg.MatMul.apply(other, self)

    def _matmul_operand(self, other):
        if isinstance(other, Tensor):
            pass
        elif backend.is_array(other) or isinstance(other, (list, tuple)):
            other = self._make(checks.to_array(_unwrap(other), None, self.device, infer=True))
        else:
            raise TypeError(f"matmul: unsupported operand of type {type(other).__name__}; "
                            "expected a Tensor or an array")
        return other

    def _matmul_dtypes(self, other):
        if other.dtype != self.dtype:  # as PyTorch: a product never mixes float32 and float64 silently
            raise DtypeError(f"matmul: operands have dtypes {self.dtype} and {other.dtype}; expected the same dtype "
                            "(convert one with .float() or .double())")

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

    # ------------------------------------------------------------------ in place
    # PyTorch's rules.  Under no_grad() an in-place op simply changes the array (how an optimizer moves
    # a parameter).  On a leaf that requires grad, or a view of one, it is refused outside no_grad()
    # (the change could not be differentiated).  Otherwise it is recorded as the out-of-place op on
    # the tensor's current history, and the tensor's history moves to the new node; nodes recorded
    # before keep the producer they saw (their ``edges``).  A view's change also rewrites its
    # base's history (``CopySlices``).  Every change bumps the version shared by a base and its views,
    # so a backward that needs the old values raises instead of returning wrong gradients.
    def _in_place(self, op, fn, *operands, update=None, target=None, cast=False, **params):
        """``self = fn(self, *operands, **params)``, written into this tensor's own array.  Without a graph,
        ``update(array, *arrays)`` does it in a floating tensor's memory (NumPy's in-place operators; its operands
        are made tensors first); otherwise fn's result is copied in.  As in PyTorch, a result must keep the tensor's
        kind (no float into an integer tensor), unless the op is a copy (``cast``: fill_, copy_, x[i] = v)."""
        grad_mode = is_grad_enabled()
        if grad_mode and self._base is not None and target is not None and not params["index"][1]:  # x[i] = v writes
            self._input(self)  # through a new view of x, whose making asks for x's history first (PyTorch's)
        leaf = self if self._base is None else self._base
        # (A view made before its base came to require grad, whose grad_fn was not asked for since, counts
        # as a leaf, as in PyTorch; so does a view of a leaf that detach_() took out of the graph since.)
        if grad_mode and self.requires_grad and (leaf._ctx is None or self._ctx is None):
            what = "a leaf tensor" if leaf is self or self._ctx is None else "a view of a leaf tensor"
            raise GraphError(
                f"{op}: {what} that requires grad (shape {leaf.array.shape}) cannot be changed in place while "
                "gradients are recorded; do it under `with minigan.no_grad():` (as an optimizer does), or on a .clone()"
            )
        if isinstance(self.array, backend.np.generic):  # a NumPy scalar cannot change in place: hold a 0-d array
            self.array = backend.np.asarray(self.array)
        a = self.array  # NumPy marks a broadcast read-only; CuPy's is writable: a zero stride tells on both (an
        shared = a.size and any(s == 0 and n > 1 for s, n in zip(a.strides, a.shape))  # empty one shares nothing)
        if not getattr(a.flags, "writeable", True) or shared:
            raise GraphError(f"{op}: this tensor's memory is read-only (an expanded/broadcast view, whose entries "
                             "share memory, or a read-only array shared by from_numpy); change a .clone() instead")
        if update is not None:  # an op's own forward takes tensors: numbers, arrays and lists become ones
            operands = tuple(self._place_operand(o, op, grad_mode) for o in operands)
        place = self.array if target is None else target  # the memory written: all of it, or x[index]'s
        target_shape, tensors = place.shape, [o for o in operands if isinstance(o, Tensor)]
        for o in tensors:
            if _overlaps_partly(place, o.array, op == "setitem"):
                raise GraphError(f"{op}: the value read shares some, but not all, memory with the tensor written "
                                 "(a view of it); PyTorch refuses this too: pass a .clone() of the value")
            if update is None or o.shape == target_shape:  # (a method's own result is checked whole by _write)
                continue
            written = backend.broadcast_shapes(target_shape, o.shape, op=op)
            if written != target_shape:
                raise ShapeError(f"{op}: cannot write a result of shape {written} into a place of shape {target_shape}")
        if not (grad_mode and self.dtype.kind == "f" and (self.requires_grad or leaf.requires_grad or  # (an integer
                                                          any(o.requires_grad for o in tensors))):  # never records)
            if update is not None and self.dtype.kind == "f":
                update(self.array, *[o.array for o in operands])
            else:
                self._write(op, fn(self._make(self.array), *operands, **params), cast)
            self._version_counter()[0] += 1  # whatever saved the old values for backward is now stale
            return self
        self._input(self)
        if self._view_kind:
            raise GraphError(f"{op}: this tensor is a view ({_VIEW_KINDS[self._view_kind]}), and PyTorch refuses to "
                             "change those in place while gradients are recorded; change a .clone() of it, or use an "
                             "out-of-place op")
        # The node's input is this tensor's current value and history; a copy, since the values are about
        # to change and the node may need them (PyTorch saves "original self" the same way).
        # (A view's history is made afresh from its base's, as PyTorch's CopySlices reads it: hooks registered on the
        # view's old history stay there.)
        before = self._make(self.array.copy(), self.requires_grad)
        fresh = self._base is not None and self._base.requires_grad
        before._ctx = shaping._view(self._base, self._view_fn)._ctx if fresh else self._ctx
        result = fn(before, *operands, **params)
        if result._ctx is None:  # an op with no derivative (floor_divide_): PyTorch's backward would raise later
            raise GraphError(f"{op}: has no derivative, so it cannot change a tensor that requires grad while "
                             "gradients are recorded; do it under minigan.no_grad(), or on a .detach()")
        self._write(op, result, cast)
        self._version_counter()[0] += 1
        node = result._ctx
        node.saved = tuple([s if s is None or s[0] is not result.array else  # its output is this tensor now
                            (self.array, self._counter, self._counter[0], None) for s in node.saved])
        if self._base is None:
            _follow_retained(self._ctx, node)  # retain_grad() follows the tensor (a view's: in _sync_view)
            self._ctx, self._requires_grad = node, True
        else:  # the base's new history: its old values with the view's part replaced by the result
            base = self._base
            copied = shaping.CopySlices.apply(base, result, view_fn=self._view_fn)
            _follow_retained(base._ctx, copied._ctx)
            base._ctx, base._requires_grad = copied._ctx, True
            if target is None or self._ctx is not None:  # x[i] = v on a view x with no history of its own: as in
                self._sync_view()  # PyTorch, x gets one when next asked for (grad_fn, an op); till then a leaf
        return self  # (a tensor's history is brought up to date when next used: Tensor._input)

    def _place_operand(self, value, op, grad_mode):
        """An in-place op's operand as a tensor: a number takes this tensor's dtype (as in ``_operand``)."""
        if isinstance(value, Tensor):
            return value
        if backend.is_array(value) and not grad_mode and backend.device_of(value) == backend.device_of(self.array):
            return self._make(value)  # read at once and never saved: no need to copy it (optimizer steps)
        if isinstance(value, (bool, int, float)):
            return self._operand(value, op)
        return self._make(checks.to_array(value, None, self.device))

    def _write(self, op, result, cast):
        """Copy an in-place op's result into this tensor's memory, if its dtype may go there (PyTorch's rule)."""
        if not cast and not backend.np.can_cast(result.dtype, self.dtype, "same_kind"):
            raise DtypeError(f"{op}: the result is {result.dtype} but the tensor is {self.dtype}, which cannot hold it "
                            f"(PyTorch refuses this too); compute out of place, or on x.to({result.dtype})")
        if result.shape != self.shape:
            raise ShapeError(f"{op}: cannot write a result of shape {result.array.shape} into a tensor of shape "
                             f"{self.array.shape}")
        self.array[...] = result.array

    def __setitem__(self, index, value):
        """``x[index] = value`` (ints, slices, integer arrays, bool masks; value broadcast), as PyTorch:
        the gradient to ``value`` is the gradient read at ``index``, to x's old values 0 there."""
        items = index if isinstance(index, tuple) else (index,)
        items = tuple(it.array if isinstance(it, Tensor) else it for it in items)
        index = checks.normalize_index(items, self.array)
        where, target = index[0], self.array[index[0]]
        if not isinstance(value, (int, float)):
            value = self._place_operand(value, "setitem", is_grad_enabled())
            extra = value.ndim - target.ndim  # leading size-1 axes of value go, as in PyTorch: z[1] = tensor([4.])
            if extra > 0 and all(n == 1 for n in value.shape[:extra]):
                value = value.reshape(value.shape[extra:])
        if len(items) == 1 and items[0] is Ellipsis:  # x[...] = v is PyTorch's fill_ or copy_: x's old values
            return self.fill_(value) if isinstance(value, (int, float)) else self.copy_(value)  # get zeros
        move = checks.moved_index_axes(items, self.ndim) if index[1] else None  # (index arrays only)
        if move and move[1] and not isinstance(value, (int, float)):
            b, p = move  # value comes in PyTorch's layout of x[index] (see __getitem__): lay it out as NumPy's
            shape = target.shape
            value = value.expand(*(shape[b : b + p] + shape[:b] + shape[b + p :])).movedim(
                tuple(range(p, p + b)), tuple(range(b)))
        return self._in_place("setitem", shaping.IndexPut.apply, value, update=lambda a, b: a.__setitem__(where, b),
                              target=target, cast=True, index=index)

    def add_(self, other, alpha=1):
        other = other if alpha == 1 else other * alpha
        return self._in_place("add_", elementwise.Add.apply, other, update=operator.iadd)

    def sub_(self, other, alpha=1):
        other = checks.not_bool(self, other) if alpha == 1 else checks.not_bool(self, other) * alpha
        return self._in_place("sub_", elementwise.Sub.apply, other, update=operator.isub)

    def mul_(self, other):
        return self._in_place("mul_", elementwise.Mul.apply, other, update=operator.imul)

    def div_(self, other, *, rounding_mode=None):
        if rounding_mode is not None:  # a rounded quotient: the method form in _tensor_inplace.py
            return self.divide_(other, rounding_mode=rounding_mode)
        return self._in_place("div_", elementwise.Div.apply, other, update=operator.itruediv)

    def clamp_(self, min=None, max=None):
        if isinstance(min, Tensor) or isinstance(max, Tensor):  # bounds per element: clamp's result, written in
            return self._in_place("clamp_", lambda x, lo, hi: x.clamp(lo, hi), min, max)  # (operands of its node)
        bounds = checks.check_clamp(min, max)
        return self._in_place("clamp_", elementwise.Clamp.apply, update=lambda a: elementwise.clip_into(a, **bounds),
                              **bounds)

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        return self._in_place("fill_", elementwise.Fill.apply, value, update=elementwise.fill_into, cast=True)

    def copy_(self, src):
        return self._in_place("copy_", elementwise.Fill.apply, src, update=elementwise.fill_into, cast=True)

    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)


def _unwrap(data):
    """A Tensor's array (what ``tensor(other_tensor)`` copies), or the data as given."""
    return data.array if isinstance(data, Tensor) else data


_VIEW_KINDS = {"multi-output": "one of those split, unbind or chunk returned, or a view of one",
               "no_grad": "made under no_grad"}


def _shares_memory(a, b) -> bool:
    """Does array ``a`` (a view NumPy made through other views, einsum's) share memory with ``b``?"""
    return bool(backend.get_array_module(a).may_share_memory(a, b))


def _follow_retained(old, new) -> None:
    """retain_grad() follows a tensor changed in place (or a view whose base was): its gradient is kept for the new
    version, as PyTorch's, and no longer for the old one."""
    if old is not None and old.retained is not None:
        new.retained, old.retained = old.retained, None


def _overlaps_partly(a, b, setitem=False) -> bool:
    """Do arrays ``a`` and ``b`` share some, but not all, of their memory?  PyTorch's test: only for arrays
    without gaps or repeats (for others it lets the op run); the same bytes with the same strides count as all.
    (``x[i] = v`` first broadcasts v to x[i]'s shape, so there size-1 axes do not count.)"""
    xp = backend.get_array_module(a)  # (b may be a host scalar, the number given to fill_ or add_: no view)
    if a is b or not isinstance(b, xp.ndarray) or not xp.may_share_memory(a, b) or not (_dense(a) and _dense(b)):
        return False
    if setitem and b.size != a.size:  # a value broadcast to x[i] (PyTorch expands it: zero strides, not checked)
        return False
    a_strides, b_strides = ([s for n, s in zip(t.shape, t.strides) if n != 1 or not setitem] for t in (a, b))
    return (_address(a), a.nbytes, a_strides) != (_address(b), b.nbytes, b_strides)


def _dense(a) -> bool:
    """Are ``a``'s elements packed, each once (some order of its axes is C-contiguous)?"""
    step = a.itemsize
    for stride, n in sorted((s, n) for s, n in zip(a.strides, a.shape) if n != 1):
        if stride != step:
            return False
        step *= n
    return True


def _address(a) -> int:
    """Where an array's first element lives (NumPy's or CuPy's array interface)."""
    return (a.__cuda_array_interface__ if hasattr(a, "__cuda_array_interface__") else a.__array_interface__)["data"][0]


Tensor.plain = Tensor  # the class of results (see _make; the surface sets it to minigan.Tensor)
