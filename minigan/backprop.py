"""Reverse mode: walk the graph from the outputs back to the inputs, applying the chain rule.

Two small pieces, each readable on its own:

* ``topological_order(roots)`` lists the nodes so that every node comes before the nodes that
  produced its inputs (an iterative depth-first search: no recursion limit, any depth works);
* ``backprop(...)`` visits them in that order.  By the time a node is visited, every consumer of
  its output has already handed in its gradient, so a reused value sums its gradients *before*
  passing them on.  It calls the node's ``backward`` and hands each input its share.

Gradients are arrays at first order and Tensors under ``create_graph=True`` (see function.py).
"""

from __future__ import annotations

import weakref

from minigan import backend
from minigan.errors import GraphError
from minigan.function import check_finite, is_anomaly_enabled, set_grad_enabled


def topological_order(roots) -> list:
    """The nodes reachable from ``roots`` (Functions), each listed before the nodes it depends on."""
    order, visited = [], set()
    stack = [(fn, False) for fn in roots]
    while stack:
        fn, inputs_done = stack.pop()
        if inputs_done:
            order.append(fn)  # post-order: after every node below it
            continue
        if fn in visited:
            continue
        if fn.inputs is None:
            raise GraphError(
                f"backward: trying to go through the graph a second time (at {type(fn).__name__}), but its saved "
                "values were freed by the first backward; call backward(retain_graph=True) the first time"
            )
        visited.add(fn)
        stack.append((fn, True))
        for t in fn.inputs:
            if t._ctx is not None and t.requires_grad and t._ctx not in visited:
                stack.append((t._ctx, False))
    order.reverse()  # consumers first
    return order


def _leads_to(order, targets) -> set:
    """The nodes of ``order`` from which some target tensor can be reached (the rest need no visit)."""
    useful = set()
    for fn in reversed(order):  # producers first
        if any(id(t) in targets or (t._ctx in useful) for t in fn.inputs):
            useful.add(fn)
    return useful


def backprop(roots, root_grads, retain_graph=False, create_graph=False, inputs=None):
    """Propagate ``root_grads`` (one per root tensor) back through the graph.

    With ``inputs=None`` every leaf that requires grad accumulates its gradient into ``.grad``
    (``Tensor.backward``).  Otherwise the gradients of exactly those tensors are returned, in a
    dict keyed by ``id``, and no ``.grad`` is touched (``minigan.autograd.grad``).
    """
    grads, captured, handed = {}, {}, set()
    targets = None if inputs is None else {id(t): t for t in inputs}

    def deliver(t, g):
        """Give tensor ``t`` its share ``g`` of the gradient."""
        if targets is not None and id(t) in targets and t._ctx is None:
            captured[id(t)] = g if id(t) not in captured else captured[id(t)] + g
        elif t._ctx is not None:
            fn = t._ctx
            grads[fn] = g if fn not in grads else grads[fn] + g
        elif targets is None:
            _accumulate(t, g, handed)
        handed.add(id(g))

    for t, g in zip(roots, root_grads):
        deliver(t, g)
    order = topological_order([t._ctx for t in roots if t._ctx is not None])
    useful = None if targets is None else _leads_to(order, targets)

    with set_grad_enabled(create_graph):  # under create_graph, backward's own ops are recorded
        for fn in order:
            g = grads.pop(fn, None)
            if g is not None and targets is not None:
                for t in _outputs_of(fn, targets):
                    captured[id(t)] = g
            if g is not None and (useful is None or fn in useful):
                wanted = None if useful is None else [id(t) in targets or t._ctx in useful for t in fn.inputs]
                _propagate(fn, g, deliver, wanted)
            if not retain_graph:
                fn.free()
    return captured


def _propagate(fn, g, deliver, wanted=None):
    """One node: keep the gradient of a retained output, run backward, pass the shares on.

    ``wanted`` (from ``grad``) marks the inputs that lead to a tensor asked for; the op skips the
    others' shares (say, a critic's weight gradients when only the input gradient is wanted)."""
    if fn.retained is not None and fn.retained() is not None:
        fn.retained()._grad = g if not backend.is_array(g) and not backend.is_numpy_scalar(g) else \
            fn.inputs[0]._new(as_array(g, fn.inputs[0].array).copy())
    needs = fn.needs_input_grad
    if wanted is not None:
        fn.needs_input_grad = tuple(n and w for n, w in zip(needs, wanted))
    try:
        input_grads = fn.backward(g)
    finally:
        fn.needs_input_grad = needs
    if is_anomaly_enabled():
        for gi in input_grads:
            check_finite(type(fn).__name__, "backward", gi, getattr(fn, "created_at", "?"))
    for t, gi in zip(fn.inputs, input_grads):
        if gi is not None and t.requires_grad:
            deliver(t, gi)


def _outputs_of(fn, targets):
    """The target tensors that are the output of node ``fn`` (for ``grad`` with respect to a non-leaf)."""
    return [t for t in targets.values() if t._ctx is fn]


def as_array(g, like):
    """A gradient as an array: NumPy turns 0-d results into scalars (np.float32), which we turn back."""
    return backend.get_array_module(like).asarray(g) if backend.is_numpy_scalar(g) else g


def _accumulate(leaf, g, handed) -> None:
    """leaf.grad += g, as a Tensor.  An array another place also holds (or a view) is copied first,
    so that changing one ``.grad`` in place can never change another."""
    if backend.is_array(g) or backend.is_numpy_scalar(g):
        g = as_array(g, leaf.array)
        if leaf._grad is None:
            own = g.copy() if (id(g) in handed or g.base is not None) else g
            leaf._grad = leaf._new(own)
        else:
            leaf._grad = leaf._new(leaf._grad.array + g)  # out of place: the user may hold the old .grad
    elif leaf._grad is None:  # create_graph: the gradient is a Tensor with a history of its own
        leaf._grad = g.clone() if (id(g) in handed or g.array.base is not None) else g
    else:
        leaf._grad = leaf._grad + g


def retain(tensor) -> None:
    """Make backward keep the gradient of this non-leaf tensor in its ``.grad``."""
    tensor._ctx.retained = weakref.ref(tensor)
