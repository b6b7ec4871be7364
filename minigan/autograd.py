"""``minigan.autograd.grad``: gradients as return values, of any order.

    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    (g,) = minigan.autograd.grad(y, x, create_graph=True)   # 3x², a Tensor with its own graph
    (h,) = minigan.autograd.grad(g.sum(), x)                # 6x: a gradient of a gradient

Unlike ``backward()``, ``grad`` leaves every ``.grad`` alone: it returns the gradients of
``outputs`` with respect to exactly the ``inputs`` asked for (leaves or not).
"""

from __future__ import annotations

from minigan import backend
from minigan import function as graph
from minigan.backprop import accumulate, backprop, prune, topological_order
from minigan.errors import GraphError
from minigan.tensor import Tensor


def _as_tuple(x, name):
    items = (x,) if isinstance(x, Tensor) else tuple(x)
    if not items or not all(isinstance(t, Tensor) for t in items):
        raise TypeError(f"grad: {name} must be a Tensor or a non-empty sequence of Tensors")
    return items


def _seeds(op, tensors, gradients, create_graph, name) -> dict:
    """{where each output's gradient enters the graph (its node, or itself for a leaf): that gradient}."""
    if gradients is None:
        gradients = (None,) * len(tensors)
    gradients = (gradients,) if isinstance(gradients, Tensor) else tuple(gradients)
    if len(gradients) != len(tensors):
        raise ValueError(f"{op}: got {len(gradients)} {name} for {len(tensors)} outputs")
    seeds = {}
    for i, (t, g) in enumerate(zip(tensors, gradients)):
        t._input(t)  # a view whose base changed in place: its current history
        if not t.requires_grad:
            raise GraphError(f"{op}: output {i} (shape {t.shape}) does not require grad, so it has no gradient")
        key, g = t._ctx or t, t._seed_gradient(g, op, create_graph)
        seeds[key] = seeds[key] + g if key in seeds else g
    return seeds


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False,
         only_inputs=True):
    """The gradients of ``outputs`` (weighted by ``grad_outputs``) with respect to each of ``inputs``.

    Returns a tuple of Tensors, one per input.  ``create_graph=True`` records the backward pass so
    the result can be differentiated again (it then keeps the graph unless ``retain_graph=False``).
    An input that ``outputs`` does not depend on raises, unless ``allow_unused=True`` (then None).
    ``only_inputs`` is PyTorch's deprecated flag, accepted and ignored (it always was True).
    """
    outputs, inputs = _as_tuple(outputs, "outputs"), _as_tuple(inputs, "inputs")
    seeds = _seeds("grad", outputs, grad_outputs, create_graph, "grad_outputs")
    for i, t in enumerate(inputs):
        t._input(t)
        if not t.requires_grad:
            raise GraphError(f"grad: input {i} (shape {t.shape}) does not require grad")
    targets = [t._ctx or t for t in inputs]  # where each input's gradient arrives: its node, or the leaf
    narrowed = prune(topological_order([k for k in seeds if not isinstance(k, Tensor)]), targets)
    retain = create_graph if retain_graph is None else retain_graph
    try:
        found = backprop(seeds, [fn for fn, _ in narrowed], retain, create_graph, keep=set(targets))
    finally:
        for fn, needs in narrowed:  # put back what prune narrowed
            fn.needs_input_grad = needs
    result = []
    for i, (t, key) in enumerate(zip(inputs, targets)):
        g = found.get(key)
        if g is None and not allow_unused:
            raise GraphError(f"grad: input {i} (shape {t.shape}) was not used to compute the outputs; "
                             "pass allow_unused=True to get None for it")
        if g is not None and isinstance(g, backend.PLAIN_TYPES):
            g = t._new(backend.get_array_module(t.array).array(g, dtype=t.dtype))  # its own copy, t's dtype
        elif g is not None and g.dtype != t.dtype:
            g = g.astype(t.dtype)
        result.append(g)
    return tuple(result)


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False) -> None:
    """``backward`` of several outputs at once: their gradients are summed into every leaf's ``.grad``."""
    tensors = _as_tuple(tensors, "tensors")
    seeds = _seeds("backward", tensors, grad_tensors, create_graph, "grad_tensors")
    order = topological_order([k for k in seeds if not isinstance(k, Tensor)])
    retain = create_graph if retain_graph is None else retain_graph
    accumulate(backprop(seeds, order, retain, create_graph), seeds)


def hvp(f, inputs, v):
    """The Hessian-vector product H·v of scalar ``f(*inputs)``, by double backward (no Hessian is formed).

    H·v = ∇ₓ⟨∇ₓf(x), v⟩: one backward with ``create_graph=True`` gives ∇f as a Tensor, a second
    differentiates its dot product with the constant v.  Returns a tuple, one Tensor per input.
    """
    inputs, v = _as_tuple(inputs, "inputs"), _as_tuple(v, "v")
    if len(v) != len(inputs) or any(a.shape != b.shape for a, b in zip(inputs, v)):
        raise ValueError(f"hvp: v must match inputs, got shapes {[b.shape for b in v]} for "
                         f"{[a.shape for a in inputs]}")
    y = f(*inputs)
    if not isinstance(y, Tensor) or y.numel() != 1:
        raise ValueError("hvp: f must return a one-element Tensor")
    gradients = grad(y, inputs, create_graph=True, allow_unused=True)
    terms = [(g * u.detach()).sum() for g, u in zip(gradients, v) if g is not None]
    dot = terms[0] if terms else None
    for term in terms[1:]:
        dot = dot + term                                          # ⟨∇f, v⟩, still a graph in x
    if dot is None or not dot.requires_grad:  # ∇f does not depend on x: f is linear, H = 0
        return tuple(t._new(t.array * 0) for t in inputs)
    found = grad(dot, inputs, allow_unused=True)
    return tuple(h if h is not None else t._new(t.array * 0) for h, t in zip(found, inputs))


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
        record = graph.is_grad_enabled() and True in needs
        ctx.needs_input_grad, ctx.arity = needs if record else (False,) * len(args), len(args)
        with graph.no_grad():
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
        ctx.saved = tuple([None if t is None else graph.SavedValue(
            t.array, result._counter, result._counter[0], None, "its output") if t is out else graph.SavedValue(
            t.array, t._counter, t._counter[0], t, f"saved tensor {i}") for i, t in enumerate(ctx.to_save)])
        return result


class BackwardFunction(graph.Function):
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
        return tuple([None if s is None else s.tensor if s.tensor is not None else self._output(s)
                      for s in self.saved])

    def backward(self, grad):
        """Hand ``cls.backward`` a Tensor; give the engine its gradients (arrays at first order)."""
        grads = self.forward_cls.backward(self, grad if isinstance(grad, Tensor) else Tensor._make(grad))
        grads = grads if isinstance(grads, tuple) else (grads,)
        if len(grads) != self.arity:
            raise ValueError(f"{self.forward_cls.__name__}.backward returned {len(grads)} gradients, expected "
                             f"{self.arity} (one per argument of forward, None for a non-tensor)")
        first_order = not graph.is_grad_enabled()
        return tuple([g.array if first_order and isinstance(g, Tensor) else g for g in grads])

    def __repr__(self) -> str:
        return f"<{self.forward_cls.__name__}Backward>"


def Variable(tensor, requires_grad=False, volatile=None):  # noqa: N802 - PyTorch's legacy name
    """PyTorch's legacy wrapper: since PyTorch 0.4 a Variable *is* a Tensor, and ``Variable(t)`` returns a
    tensor sharing ``t``'s array, a new leaf that requires grad when asked to (as PyTorch's does)."""
    if volatile is not None:
        raise TypeError("Variable: volatile= was removed from PyTorch; use `with minigan.no_grad():`")
    if not isinstance(tensor, Tensor):
        raise TypeError(f"Variable: expected a Tensor, got {type(tensor).__name__} (use minigan.tensor(data))")
    leaf = tensor.data  # the same array, outside the graph
    return leaf.requires_grad_(True) if requires_grad else leaf
