"""``minigan.autograd.Function``: how a user writes an op of their own, as in PyTorch."""

from __future__ import annotations

from minigan import backend
from minigan._tensor import Tensor
from minigan.autograd import grad_mode, graph


class Function:
    """Write an op of your own, as in PyTorch: two static methods and ``apply``::

        class Cube(minigan.autograd.Function):
            @staticmethod
            def forward(ctx, x):                    # Tensors in, a Tensor out (no graph is recorded here)
                ctx.save_for_backward(x)
                return x ** 3

            @staticmethod
            def backward(ctx, grad_output):         # d(x³)/dx = 3x²
                (x,) = ctx.saved_tensors
                return grad_output * 3 * x ** 2     # one gradient per input of forward (None for a non-tensor)

        y = Cube.apply(x)

    ``ctx`` is the graph node itself (a ``BackwardFunction``): ``save_for_backward``, ``saved_tensors``,
    ``needs_input_grad``, ``mark_dirty``, ``mark_non_differentiable``.  ``backward`` gets and returns
    Tensors; under ``create_graph=True`` the ops it runs are recorded, so a backward written in
    differentiable ops can be differentiated again.  forward returns one Tensor.
    """

    @staticmethod
    def forward(ctx, *args, **kwargs):  # pragma: no cover - a subclass defines it
        raise NotImplementedError("autograd.Function: define @staticmethod forward(ctx, ...) in your subclass")

    @staticmethod
    def backward(ctx, *grad_outputs):  # pragma: no cover
        raise NotImplementedError("autograd.Function: define @staticmethod backward(ctx, grad_output) in your "
                                  "subclass")

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` without recording, then record one node whose backward is ``cls.backward``."""
        ctx = BackwardFunction(cls)
        needs = tuple([isinstance(a, Tensor) and a.requires_grad for a in args])
        record = grad_mode.is_grad_enabled() and True in needs
        ctx.needs_input_grad, ctx.arity = needs if record else (False,) * len(args), len(args)
        with grad_mode.no_grad():
            out = cls.forward(ctx, *args, **kwargs)
        if not isinstance(out, Tensor):
            raise TypeError(f"{cls.__name__}.forward returned {type(out).__name__}; minigan's autograd.Function "
                            "takes one Tensor as forward's result (split several outputs into several Functions)")
        if not record or any(out is t for t in ctx.non_differentiable):
            return out
        ctx.next_functions = tuple([(a._ctx or a) if n else None for a, n in zip(args, needs)])
        ctx.inputs = tuple([a if isinstance(a, Tensor) else Tensor._make(backend.np.asarray(0.0)) for a in args])
        dirty = any(out is t for t in ctx.dirty)
        result = out if dirty else Tensor._make(out.array)  # an input changed in place is the output
        if dirty:
            result._counter[0] += 1
        result._ctx, result.requires_grad = ctx, True
        ctx.saved = tuple([None if t is None else (t.array, result._counter, result._counter[0], None) if t is out
                           else (t.array, t._counter, t._counter[0], t) for t in ctx.to_save])
        return result


class BackwardFunction(graph.Node):
    """The node a user's ``autograd.Function`` records, and the ``ctx`` its forward and backward receive."""

    def __init__(self, forward_cls):
        self.forward_cls, self.to_save, self.dirty, self.non_differentiable = forward_cls, (), (), ()

    def save_for_backward(self, *tensors) -> None:
        """Keep these Tensors (inputs or the output of forward; None is allowed) for backward."""
        self.to_save = tensors

    def mark_dirty(self, *tensors) -> None:
        """Say that forward changed these inputs in place (and returns one of them)."""
        self.dirty = tensors

    def mark_non_differentiable(self, *tensors) -> None:
        """Say that this output has no gradient (an index, a mask)."""
        self.non_differentiable = tensors

    @property
    def saved_tensors(self) -> tuple:
        """The saved Tensors (checked, as every node's, for in-place changes since)."""
        self.check_saved()
        return tuple([None if s is None else s[3] if s[3] is not None else self._output(s) for s in self.saved])

    def backward(self, grad):
        """Hand ``cls.backward`` a Tensor; give the engine its gradients (arrays at first order)."""
        grads = self.forward_cls.backward(self, grad if isinstance(grad, Tensor) else Tensor._make(grad))
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) != self.arity:
            raise ValueError(f"{self.forward_cls.__name__}.backward returned {len(grads)} gradients, expected "
                             f"{self.arity} (one per argument of forward, None for a non-tensor)")
        first_order = not grad_mode.is_grad_enabled()
        return tuple([g.array if first_order and isinstance(g, Tensor) else g for g in grads])

    def __repr__(self) -> str:
        return f"<{self.forward_cls.__name__}Backward>"
