"""In-place ops: ``x.add_(y)``, ``x[i] = v``, ``x += 1``, and the rules that keep gradients right when a tensor changes.

The rules.  Under no_grad() an in-place op simply changes the array (how an optimizer moves a parameter).
On a leaf that requires grad, or a view of one, it is refused outside no_grad() (the change could not be
differentiated).  Otherwise it is recorded as the out-of-place op on the tensor's current history, and the
tensor's history moves to the new node; nodes recorded before keep the producer they saw (their ``edges``).  A
view's change also rewrites its base's history (``CopySlices``).  Every change bumps the version shared by a base
and its views, so a backward that needs the old values raises instead of returning wrong gradients.

The engine's ``Tensor`` (tensor.py) inherits these methods from ``InPlace``; the surface's in-place forms of the
other methods (minigan/surface/inplace.py) all come through ``InPlace._in_place``.
"""

from __future__ import annotations

import operator

from minigan.engine import backend, checks
from minigan.engine.backend import repeats
from minigan.engine.errors import DtypeError, GraphError, ShapeError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.methods import LEFT_OUT, TensorMethods, _other
from minigan.engine.ops import elementwise
from minigan.engine.ops import shape as shaping

VIEW_KINDS = {"multi-output": "one of those split, unbind or chunk returned, or a view of one",
              "no_grad": "made under no_grad", "Function": "an autograd.Function returned as its input or a view of it"}


class InPlace:
    """The in-place methods of the engine's ``Tensor`` (see the module's docstring for the rules)."""

    __slots__ = ()

    def _in_place(self, op, fn, *operands, update=None, target=None, cast=False, **params):
        """``self = fn(self, *operands, **params)``, written into this tensor's own array.  Without a graph,
        ``update(array, *arrays)`` does it in a floating tensor's memory (NumPy's in-place operators; its operands
        are made tensors first); otherwise fn's result is copied in.  A result must keep the tensor's
        kind (no float into an integer tensor), unless the op is a copy (``cast``: fill_, copy_, x[i] = v)."""
        grad_mode = is_grad_enabled()
        if grad_mode and self._base is not None and target is not None and not params["index"][1]:  # x[i] = v writes
            self._input(self)  # through a new view of x, whose making asks for x's history first
        leaf = self if self._base is None else self._base
        # (A view made before its base came to require grad, whose grad_fn was not asked for since, counts
        # as a leaf; so does a view of a leaf that detach_() took out of the graph since.)
        if grad_mode and self.requires_grad and (leaf._ctx is None or self._ctx is None):
            what = "a leaf tensor" if leaf is self or self._ctx is None else "a view of a leaf tensor"
            raise GraphError(f"{op}: {what} that requires grad (shape {leaf.array.shape}) cannot be changed in place "
                             "while gradients are recorded; do it under `with minigan.no_grad():` (as an optimizer "
                             "does), or on a .clone()")
        if isinstance(self.array, backend.np.generic):  # a NumPy scalar cannot change in place: hold a 0-d array
            self.array = backend.np.asarray(self.array)
        place = self.array if target is None else target  # the memory written: all of it, or x[index]'s
        if not getattr(place.flags, "writeable", True):
            raise GraphError(f"{op}: this tensor's memory is a read-only NumPy array; change a .clone() instead")
        given = operands
        if update is not None:  # an op's own forward takes tensors: numbers, arrays and lists become ones
            operands = tuple(self._place_operand(o, op, grad_mode) for o in operands)
        target_shape, tensors = place.shape, [o for o in operands if isinstance(o, TensorMethods)]
        self._refuse_place(op, place, given, tensors)
        for o in tensors:
            if update is None or o.array.shape == target_shape:  # (a method's own result is checked whole by _write)
                continue
            written = backend.broadcast_shapes(target_shape, o.array.shape, op=op)
            if written != target_shape:
                raise ShapeError(f"{op}: cannot write a result of shape {written} into a place of shape {target_shape}")
        if not (grad_mode and self.array.dtype.kind == "f" and (self.requires_grad or leaf.requires_grad or  # (an
                                                                any(o.requires_grad for o in tensors))):  # integer
            # never records)
            if update is not None and self.array.dtype.kind == "f":
                update(*backend.arrays_of(op, (self, *operands)))  # (a constant's 0-d array: a scalar for CuPy)
            else:
                self._write(op, fn(self._make(self.array), *operands, **params), cast)
            self._version_counter()[0] += 1  # whatever saved the old values for backward is now stale
            return self
        self._input(self)
        if self._view_kind:
            raise GraphError(f"{op}: this tensor is a view ({VIEW_KINDS[self._view_kind]}), and PyTorch refuses to "
                             "change those in place while gradients are recorded; change a .clone() of it, or use an "
                             "out-of-place op")
        # The node's input is this tensor's current value and history; a copy, since the values are about
        # to change and the node may need them ("original self").
        # (A view's history is made afresh from its base's, as CopySlices reads it: hooks registered on the
        # view's old history stay there.)
        before = self._make(self.array.copy(), self.requires_grad)
        fresh = self._base is not None and self._base.requires_grad
        before._ctx = shaping._view(self._base, self._view_fn)._ctx if fresh else self._ctx
        result = fn(before, *operands, **params)
        if result._ctx is None:  # an op with no derivative (floor_divide_): a backward would fail later
            raise GraphError(f"{op}: has no derivative, so it cannot change a tensor that requires grad while "
                             "gradients are recorded; do it under minigan.no_grad(), or on a .detach()")
        self._write(op, result, cast)
        self._version_counter()[0] += 1
        node = result._ctx
        node.saved = tuple([s if s is None or s[0] is not result.array else  # its output is this tensor now
                            (self.array, self._counter, self._counter[0], None) for s in node.saved])
        if self._base is None:
            follow_retained(self._ctx, node)  # retain_grad() follows the tensor (a view's: in _sync_view)
            self._ctx, self._requires_grad = node, True
        else:  # the base's new history: its old values with the view's part replaced by the result
            base = self._base
            copies = ExpandedCopySlices if repeats(self.array) else shaping.CopySlices  # (an expanded view's
            copied = copies.apply(base, result, view_fn=self._view_fn)  # backward refuses)
            follow_retained(base._ctx, copied._ctx)
            base._ctx, base._requires_grad = copied._ctx, True
            if target is None or self._ctx is not None:  # x[i] = v on a view x with no history of its own:
                self._sync_view()  # lazily, x gets one when next asked for (grad_fn, an op); till then a leaf
        return self  # (a tensor's history is brought up to date when next used: Tensor._input)

    def _refuse_place(self, op, place, given, tensors):
        """What a library above the engine refuses to write in place (minigan.Tensor: where PyTorch refuses, an
        operand sharing some of the memory written, an expanded tensor: surface/overlap.py); the engine, nothing."""

    def _place_operand(self, value, op, grad_mode):
        """An in-place op's operand as a tensor: a number takes this tensor's dtype (as in ``_operand``)."""
        if isinstance(value, TensorMethods):
            return value
        if backend.is_array(value) and not grad_mode and backend.device_of(value) == backend.device_of(self.array):
            return self._make(value)  # read at once and never saved: no need to copy it (optimizer steps)
        if not backend.is_array(value):  # a number (a NumPy scalar is the number it holds: np.True_ is 1.0); a list
            return self._operand(checks.number(value), op)  # or tuple is refused there
        return self._make(checks.to_array(value, None, self.device))

    def _write(self, op, result, cast):
        """Copy an in-place op's result into this tensor's memory, if its dtype may go there."""
        if not cast and not (backend.np.can_cast(result.array.dtype, self.array.dtype, "same_kind")  # (not a float
                             or result.array.dtype.kind + self.array.dtype.kind == "iu"):  # into an int, nor a bool)
            raise DtypeError(f"{op}: a {result.dtype} result cannot go in a {self.dtype} tensor; compute out of place")
        if result.array.shape != self.array.shape:
            raise ShapeError(f"{op}: cannot write a result of shape {result.array.shape} into a tensor of shape "
                             f"{self.array.shape}")
        # (An expanded tensor: each shared element takes the entries the op changed, in order, as a loop in place would:
        where = result.array != self.array if repeats(self.array) else ...  # it writes only those: tril_'s zeros.)
        self.array[where] = result.array[where]

    def __setitem__(self, index, value):
        """``x[index] = value`` (ints, slices, integer arrays, bool masks; value broadcast):
        the gradient to ``value`` is the gradient read at ``index``, to x's old values 0 there."""
        items = index if isinstance(index, tuple) else (index,)
        items = tuple(it.array if isinstance(it, TensorMethods) else it for it in items)
        index = checks.normalize_index(items, self.array)
        where, target = index[0], self.array[index[0]]
        if not isinstance(value, (int, float)):
            value = self._place_operand(value, "setitem", is_grad_enabled())
            extra = value.ndim - target.ndim  # leading size-1 axes of value go: z[1] = tensor([4.])
            if extra > 0 and all(n == 1 for n in value.shape[:extra]):
                value = value.reshape(value.shape[extra:])
        if len(items) == 1 and items[0] is Ellipsis:  # x[...] = v is fill_ or copy_ (x's old values get
            # zeros); a number into an expanded x is its copy_, refused
            return (self.copy_ if repeats(self.array) or not isinstance(value, (int, float)) else self.fill_)(value)
        move = checks.moved_index_axes(items, self.ndim) if index[1] else None  # (index arrays only)
        if move and move[1] and not isinstance(value, (int, float)):
            b, p = move  # value comes in our layout of x[index] (see __getitem__): lay it out as NumPy's
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

    def mul_(self, other=LEFT_OUT, *, x2=None):  # (x2: NumPy's name for other, as TensorMethods.mul's; add_, sub_
        # and div_ are minigan.Tensor's, which take x2 in its doors)
        other = other if x2 is None and other is not LEFT_OUT else _other("mul_", other, x2)
        return self._in_place("mul_", elementwise.Mul.apply, other, update=operator.imul)

    def div_(self, other):
        return self._in_place("div_", elementwise.Div.apply, other, update=operator.itruediv)

    def clamp_(self, min=None, max=None):
        bounds = checks.check_clamp(min, max)
        return self._in_place("clamp_", elementwise.Clamp.apply, update=lambda a: elementwise.clip(a, **bounds, out=a),
                              **bounds)

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        return self._in_place("fill_", elementwise.Fill.apply, value, update=elementwise.fill_into, cast=True)

    def copy_(self, src):
        return self._in_place("copy_", elementwise.Fill.apply, src, update=elementwise.fill_into, cast=True)

    def __iadd__(self, other):  # (x += y has none of add_'s argument forms: the engine's own add_, as it is)
        return NotImplemented if type(other) in checks.SEQUENCES else InPlace.add_(self, other)

    def __isub__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else InPlace.sub_(self, other)

    def __imul__(self, other):  # (a list or tuple: NotImplemented, as __mul__)
        return NotImplemented if type(other) in checks.SEQUENCES else self.mul_(other)

    def __itruediv__(self, other):
        return NotImplemented if type(other) in checks.SEQUENCES else self.div_(other)


class ExpandedCopySlices(shaping.CopySlices):
    """A base's history after a write through an expanded view of it, whose entries share memory: recorded as
    any write through a view is, whose backward would write the gradient through shared entries, so refuses."""

    def backward(self, grad):
        raise GraphError("backward: a tensor was changed in place through an expanded view of it, whose entries share "
                         "memory; PyTorch refuses this gradient too: change a .clone() of the view instead")


def follow_retained(old, new) -> None:
    """retain_grad() follows a tensor changed in place (or a view whose base was): its gradient is kept for the new
    version, and no longer for the old one."""
    if old is not None and old.retained is not None:
        new.retained, old.retained = old.retained, None
