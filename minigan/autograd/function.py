"""``minigan.autograd.Function``: how a user writes an op of their own, as in PyTorch.

The engine's nodes have one output each.  A Function whose forward returns several outputs records its own
node (``ctx``, a ``BackwardFunction``) once, plus one small ``OutputNode`` per differentiable output, which
hands that output's gradient on to ``ctx`` labelled with the output's index.  The engine adds up what reaches
a node with ``+``, and visits a node only after every node that feeds it, so ``ctx`` receives all its outputs'
gradients at once (an ``OutputGradients``) and calls the user's backward once, as PyTorch does.
"""

from __future__ import annotations

import functools
import inspect

from minigan.engine import backend, grad_mode, graph
from minigan.engine.errors import GraphError, ShapeError
from minigan.engine.ops.shape import CopySlices
from minigan.surface.no_derivative import no_derivative
from minigan.surface.tensor import Tensor


class Function:
    """Write an op of your own, as in PyTorch: static methods and ``apply``, in either of PyTorch's two styles::

        class Cube(minigan.autograd.Function):      # combined: forward takes ctx first
            @staticmethod
            def forward(ctx, x):                    # Tensors in, Tensors out (no graph is recorded here)
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, grad_output):         # d(x³)/dx = 3x²
                (x,) = ctx.saved_tensors
                return grad_output * 3 * x ** 2     # one gradient per input of forward (None for a non-tensor)

        class Cube(minigan.autograd.Function):      # separate (PyTorch 2.x): forward without ctx, and setup_context
            @staticmethod
            def forward(x):
                return x ** 3

            @staticmethod
            def setup_context(ctx, inputs, output): # inputs: forward's arguments (its defaults filled in)
                (x,) = inputs
                ctx.save_for_backward(x)

            backward: as above

        y = Cube.apply(x)

    As in PyTorch, a subclass that defines ``setup_context`` uses the separate style.

    **Several outputs.**  forward may return a tuple (of Tensors, and other values); ``apply`` returns the tuple,
    and ``backward(ctx, *grad_outputs)`` runs once per backward pass with one gradient per item: zeros for an
    output that got none (unused, or marked with ``ctx.mark_non_differentiable``), or None after
    ``ctx.set_materialize_grads(False)``; always None for a non-Tensor item.  An output marked non-differentiable,
    or of an integer dtype, does not require grad; each other one has a ``grad_fn``.

    ``ctx`` is the Function's graph node (a ``BackwardFunction``): ``save_for_backward``, ``saved_tensors``,
    ``needs_input_grad``, ``mark_dirty``, ``mark_non_differentiable``, ``set_materialize_grads``.  ``backward``
    gets and returns Tensors; under ``create_graph=True`` the ops it runs are recorded, so a backward written in
    differentiable ops can be differentiated again.
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):  # pragma: no cover - a subclass defines it
        raise NotImplementedError("autograd.Function: define @staticmethod forward(ctx, ...) in your subclass")

    @staticmethod
    def setup_context(ctx, inputs, output):  # pragma: no cover - a subclass in the separate style defines it
        raise NotImplementedError("autograd.Function: setup_context is not implemented")

    @staticmethod
    def backward(ctx, *grad_outputs):  # pragma: no cover
        raise NotImplementedError("autograd.Function: define @staticmethod backward(ctx, grad_output) in your "
                                  "subclass")

    def __call__(self, *args, **kwargs):
        """``MyFunction()(x)``, the legacy style of old tutorials, which PyTorch no longer runs (its RuntimeError)."""
        raise RuntimeError(f"{type(self).__name__}()(...) is the legacy autograd.Function style, which PyTorch no "
                           f"longer runs: make forward and backward @staticmethods and call "
                           f"{type(self).__name__}.apply(...)")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` without recording, then record the Function's node, whose backward calls ``cls.backward``
        (and, when forward returned a tuple, one ``OutputNode`` per differentiable output)."""
        ctx = BackwardFunction(cls)
        separate = cls.setup_context is not Function.setup_context  # PyTorch's test for the style
        if separate:  # as in PyTorch, forward's defaults count as inputs: backward returns a gradient for each
            bound = inspect.signature(cls.forward).bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
        for a in args:  # a view whose base changed in place since takes its current history first (or is refused),
            if isinstance(a, Tensor) and a._base is not None:  # as every op's input does (Tensor._input)
                a._input(a)
        needs = tuple([isinstance(a, Tensor) and a.requires_grad for a in args])  # (under no_grad too, as PyTorch)
        record = grad_mode.is_grad_enabled() and True in needs
        ctx.needs_input_grad, ctx.arity = needs, len(args)
        ctx._not_tensors = tuple([i for i, a in enumerate(args) if not isinstance(a, Tensor)])
        with grad_mode.no_grad():
            out = cls.forward(*args, **kwargs) if separate else cls.forward(ctx, *args, **kwargs)
            if separate:
                cls.setup_context(ctx, args, out)
        if record and isinstance(out, list) and any(isinstance(o, Tensor) for o in out):
            raise TypeError(f"{cls.__name__}.forward returned a list; return a tuple for several outputs (PyTorch "
                            "leaves the Tensors of a list out of the graph)")
        for t in ctx.dirty if record else ():  # (as every in-place change of a leaf while gradients are recorded)
            leaf = t if t._base is None else t._base
            if leaf.requires_grad and leaf._ctx is None:
                how = "" if leaf is t else " (through a view of it)"
                raise GraphError(f"{cls.__name__}: forward changed a leaf tensor that requires grad{how} in place "
                                 "(mark_dirty); PyTorch refuses this too: pass a .clone() of it")
        several = isinstance(out, tuple)
        outs = out if several else (out,)
        wanted = [record and ctx._differentiable(o) for o in outs]
        if True not in wanted:  # nothing to record: forward's result as it is (a non-Tensor too, as in PyTorch), but an
            # input returned as it is comes back detached: a new tensor on its memory, requiring no grad (PyTorch's)
            outs = tuple([o.detach() if isinstance(o, Tensor) and any(o is a for a in args) and not any(
                o is t for t in ctx.dirty) else o for o in outs])
            return outs if several else outs[0]
        ctx.edges = tuple([(a._ctx or (a if a._requires_grad else None)) if n else None for a, n in zip(args, needs)])
        ctx.sequence_nr = next(graph.RECORDED)  # (recorded now: the walk runs the newest node first, as PyTorch's)
        ctx.inputs = tuple([a if isinstance(a, Tensor) else Tensor._make(backend.np.asarray(0.0)) for a in args])
        if several:  # for backward: the zeros an output gets when no gradient reached it (None for a non-Tensor)
            ctx._outputs = tuple([(o.shape, o.dtype, backend.get_array_module(o.array)) if isinstance(o, Tensor)
                                 else None for o in outs])
        results, made = list(outs), []  # made: (forward's Tensor, the Tensor apply returns, the node it enters)
        for i, o in enumerate(outs):
            if wanted[i]:
                node = OutputNode(ctx, i) if several else ctx
                results[i] = ctx._output_tensor(o, node)
                made.append((o, results[i], node))
        records = [ctx._record_saved(t, made) for t in ctx.to_save]
        ctx.saved, ctx._saved_nodes = tuple([r for r, _ in records]), tuple([n for _, n in records])
        return tuple(results) if several else results[0]


class FunctionNode(graph.Node):
    """What a Function's two kinds of node share: the user's class, kept for the node's name after backward."""

    def free(self) -> None:
        forward_cls = self.forward_cls
        super().free()
        self.forward_cls = forward_cls


class BackwardFunction(FunctionNode):
    """The node a user's ``autograd.Function`` records, and the ``ctx`` its forward and backward receive.  (Users
    keep their own values on ctx, ``ctx.scale = s``: the helpers below that PyTorch's ctx lacks start with _.)"""

    materialize_grads = True  # backward gets zeros, not None, for an output that no gradient reached
    _outputs = None           # forward returned a tuple: per item, (shape, dtype, array module) of its zeros, or None
    _saved_nodes = ()         # per saved Tensor: the node of the output it is (None for an input)
    _not_tensors = ()         # the positions of forward's arguments that are not Tensors

    def __init__(self, forward_cls):
        self.forward_cls, self.to_save, self.dirty, self.non_differentiable = forward_cls, (), (), ()

    def save_for_backward(self, *tensors) -> None:
        """Keep these Tensors (inputs or outputs of forward; None is allowed) for backward."""
        self.to_save = tensors

    def mark_dirty(self, *tensors) -> None:
        """Say that forward changed these inputs in place (and returns them)."""
        self.dirty = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Say that these outputs have no gradient (an index, a mask): they do not require grad."""
        self.non_differentiable = tensors

    def set_materialize_grads(self, value: bool) -> None:
        """False: backward gets None, not zeros, for an output that no gradient reached."""
        self.materialize_grads = value

    def _differentiable(self, out) -> bool:
        """Is this item of forward's result an output with a gradient (a floating Tensor not marked otherwise)?"""
        return isinstance(out, Tensor) and backend.is_floating(out.dtype) and not any(
            out is t for t in self.non_differentiable)

    def _output_tensor(self, out, node):
        """The Tensor apply returns for forward's ``out``, its gradient entering ``node``: a new Tensor on the same
        array, or, for an input changed in place (mark_dirty), that input, one version on."""
        dirty = any(out is t for t in self.dirty)
        result = out if dirty else Tensor._make(out.array)
        if dirty:
            result._version_counter()[0] += 1
        source = None if dirty else next((a for a in self.inputs if _shares_memory(out.array, a.array)), None)
        if source is not None:  # an input returned as it is, or a view of one: a view of the input, as PyTorch makes
            # it, which may not change in place while gradients are recorded, nor be used once its base changed in
            # place (the change would bypass this Function's backward)
            result._base = source if source._base is None else source._base
            result._counter = source._version_counter()
            result._view_version, result._view_kind = result._counter[0], "Function"
        result._ctx, result._requires_grad = node, True
        if dirty and result._base is not None and result._base.requires_grad:  # a view changed in place: its base's
            base, result._view_version = result._base, result._counter[0]  # history takes the change through this
            base._ctx = CopySlices.apply(base, result, view_fn=result._view_fn)._ctx  # node, as an in-place op's
            result._sync_view()  # (the view's own history: the view ops over its base's new one)
        return result

    def _record_saved(self, t, made):
        """One saved Tensor's record (array, version counter, version now, the Tensor or None for an output), and
        the node of the output it is.  An output's record holds no Tensor, so no cycle output -> node -> output."""
        if t is None:
            return None, None
        if not isinstance(t, Tensor):
            raise TypeError(f"{self.forward_cls.__name__}: save_for_backward takes Tensors (or None), got a "
                            f"{type(t).__name__}; keep other values on ctx (ctx.name = value)")
        for out, result, node in made:  # an output; an input returned unchanged stays an input (as in PyTorch)
            if t is out and (result is out or not any(t is a for a in self.inputs)):
                counter = result._version_counter()
                return (result.array, counter, counter[0], None), node
        counter = t._version_counter()
        return (t.array, counter, counter[0], t), None

    @property
    def saved_tensors(self) -> tuple:
        """The saved Tensors (checked, as every node's, for in-place changes since)."""
        self.check_saved()
        return tuple([None if s is None else s[3] if s[3] is not None else self._saved_output(s, node)
                      for s, node in zip(self.saved, self._saved_nodes)])

    @staticmethod
    def _saved_output(s, node):
        """A handle on a saved output (for backward under create_graph): its gradient flows into ``node``."""
        out = Tensor._make(s[0], True)
        out._ctx, out._counter = node, s[1]
        return out

    def backward(self, grad):
        """Call ``cls.backward`` once, with one gradient per output of forward; give the engine one per input
        (arrays at first order).  With several outputs, ``grad`` is an ``OutputGradients``."""
        if self._outputs is None:
            grad_outputs = (_as_tensor(grad),)
        else:
            grad_outputs = tuple([self._grad_output(grad.get(i), like) for i, like in enumerate(self._outputs)])
        grads = self.forward_cls.backward(self, *grad_outputs)
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) > self.arity and all(g is None for g in grads[self.arity:]):  # PyTorch drops extra Nones
            grads = grads[:self.arity]
        if len(grads) != self.arity:
            raise GraphError(f"{self.forward_cls.__name__}.backward returned {len(grads)} gradients, expected "
                             f"{self.arity}: return one per argument of forward (None for a non-tensor)")
        wrong = [i for i in self._not_tensors if grads[i] is not None]
        if wrong:  # PyTorch's RuntimeError
            raise GraphError(f"{self.forward_cls.__name__}.backward returned a gradient for argument {wrong[0]} of "
                             "forward, which is not a Tensor: return None in its place")
        grads = [self._checked(g, i) if need else None for i, (g, need) in enumerate(zip(grads, self.needs_input_grad))]
        first_order = not grad_mode.is_grad_enabled()
        return tuple([g.array if first_order and isinstance(g, Tensor) else g for g in grads])

    def _grad_output(self, g, like):
        """What backward gets for one output: its gradient, else zeros (None after set_materialize_grads(False));
        None for a non-Tensor output."""
        if g is not None:
            return _as_tensor(g)
        if like is None or not self.materialize_grads:
            return None
        shape, dtype, xp = like
        return Tensor._make(xp.zeros(shape, dtype))

    def _checked(self, g, i):
        """Input i's gradient, checked as PyTorch checks it: a Tensor of the input's shape, or of a shape the
        input broadcasts to (then summed down to the input's shape)."""
        name, shape = self.forward_cls.__name__, self.inputs[i].shape
        if g is None or isinstance(g, Tensor) and g.shape == shape:
            return g
        if not isinstance(g, Tensor):
            raise GraphError(f"{name}.backward returned a {type(g).__name__} as gradient {i}; return a Tensor "
                             "(or None)")
        if len(shape) > g.ndim or any(n not in (1, m) for n, m in zip(shape[::-1], g.shape[::-1])):
            raise ShapeError(f"{name}.backward returned a gradient of shape {tuple(g.shape)} for input {i} of shape "
                             f"{shape}; return one of the input's shape")
        return graph.unbroadcast(g, shape)


class OutputNode(FunctionNode):
    """The node of one output of a Function whose forward returned several: it hands the output's gradient, as
    output ``index``, on to the Function's node, which calls the user's backward once with all of them."""

    needs_input_grad = (True,)
    of_output = True  # (so PyTorch's view, minigan/surface/node_view.py, shows it as the Function's (node, index))

    def __init__(self, ctx, index):
        self.forward_cls, self.index, self.edges = ctx.forward_cls, index, (ctx,)
        self.sequence_nr = next(graph.RECORDED)  # (after the Function's node, which it hands its gradient to)

    def backward(self, grad):  # the gradient of output `index`, passed on as it is
        return (OutputGradients({self.index: grad}),)


class OutputGradients(dict):
    """{output index: gradient}: what an ``OutputNode`` hands on.  The engine adds what reaches a node with +,
    which for these merges them; the Function's node gets the sum once every output's node has handed in."""

    def __add__(self, other):
        merged = OutputGradients(self)
        for i, g in other.items():
            merged[i] = merged[i] + g if i in merged else g
        return merged


def _as_tensor(g):
    """A gradient the engine hands over (an array at first order) as the Tensor the user's backward expects."""
    return g if isinstance(g, Tensor) else Tensor._make(g)


def _shares_memory(a, b) -> bool:
    """Is array ``a`` ``b``, or a view of it (by NumPy's bookkeeping, which also knows an empty view: an empty array
    shares no memory), or does it share memory with it?"""
    if a is b or a.base is not None and (a.base is b or a.base is b.base):
        return True
    return bool(backend.get_array_module(a).may_share_memory(a, b))


def once_differentiable(backward):
    """Decorate a Function's ``backward`` that is not itself to be differentiated (one written in NumPy, or in ops
    with no second derivative), as PyTorch's: it runs under no_grad, so it records nothing.  Where a second-order
    pass would go through it (grad mode on and an incoming gradient that requires grad: ``create_graph=True``), each
    gradient it returns requires grad instead, and a backward that reaches one raises, rather than giving a second
    derivative that silently leaves this Function out::

        @staticmethod
        @minigan.autograd.function.once_differentiable
        def backward(ctx, grad_output):
            ...
    """
    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        with grad_mode.no_grad():
            grads = backward(ctx, *grad_outputs)
        if not grad_mode.is_grad_enabled() or not any(isinstance(g, Tensor) and g.requires_grad for g in grad_outputs):
            return grads
        refused = tuple([g if g is None else no_derivative(
            g.detach(), "once_differentiable", g.detach().requires_grad_(True), why="trying to differentiate twice a "
            "function that was marked with @once_differentiable (its backward records nothing); write that backward "
            "in differentiable ops, without the decorator, for a second order") for g in (
            grads if isinstance(grads, tuple) else (grads,))])
        return refused if isinstance(grads, tuple) else refused[0]
    return wrapper

