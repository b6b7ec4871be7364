"""Reverse mode: walk the graph from the outputs back to the inputs, applying the chain rule.

The graph is made of nodes (``Node``s); each node's ``edges`` says, for each of its
inputs, where that input came from *when the node was recorded*: the node that produced it, a leaf
Tensor (a weight, an input that requires grad), or None (a constant).  So an in-place change made
later cannot re-route the gradient of an op that ran before it.  (A learner prints the same
edges as PyTorch's ``next_functions``, ``(node, 0)`` pairs: minigan/surface/node_view.py.)

Three small pieces, each readable on its own:

* ``topological_order(roots)`` lists the nodes so that every node comes before the nodes that
  produced its inputs: newest first, the order PyTorch's engine runs them in, so that float32
  gradients summed along several paths round the same way;
* ``backprop(seeds, ...)`` visits them in that order and returns the gradient that reached every
  leaf (and every node in ``keep``).  By the time a node is visited, every consumer of its output
  has already handed in its gradient, so a reused value sums its gradients *before* passing them on;
* ``prune(order, targets)``: for ``autograd.grad``, the nodes worth visiting at all.

``Tensor.backward`` accumulates the leaves' gradients into ``.grad``; ``autograd.grad`` picks the
ones asked for.  Gradients are arrays at first order and Tensors under ``create_graph=True``
(see graph.py).
"""

from __future__ import annotations

import weakref
from operator import attrgetter

from minigan.engine import backend
from minigan.engine.errors import GraphError
from minigan.engine.grad_mode import _anomaly, _mode, check_finite, set_grad_enabled
from minigan.engine.graph import GRADIENT_ADJUSTMENTS, Node, value


def topological_order(roots) -> list:
    """The nodes reachable from ``roots``, newest first: each before the nodes it depends on.

    A node's inputs existed before it was recorded, so their nodes have smaller ``sequence_nr``s: sorted newest
    first, every node comes after all of its consumers (a topological order, as a depth-first post-order is).
    Of all such orders this is the one PyTorch's engine runs: of the nodes whose consumers are all done, it runs
    the one with the largest sequence number (engine.cpp's ready queue), which is always the newest node left.
    The order matters in floating point: a value used along several paths sums the gradients they bring in the
    order their nodes ran, and (a + b) + c rounds differently from (c + b) + a."""
    found, seen = [fn for fn in dict.fromkeys(roots) if isinstance(fn, Node)], set(roots)  # (a leaf root: no node)
    for fn in found:  # every node reachable along edges: the list grows as the loop reads it (no recursion, any depth)
        for e in fn.edges:
            if isinstance(e, Node) and e not in seen:
                seen.add(e)
                found.append(e)
    return sorted(found, key=attrgetter("sequence_nr"), reverse=True)


@backend.np.errstate(all="ignore")  # NumPy's warnings (1/0, 0·∞, ∞ − ∞) stay in the walk: the backward of
# sqrt at 0, of x·y at ∞ is ±∞ or NaN, silently as IEEE 754 defines it (the user's setting is back after it)
def backprop(seeds: dict, order: list, retain_graph=False, create_graph=False, keep=(), watch=None) -> dict:
    """The chain rule over ``order``: {node or leaf: gradient} from ``seeds`` (the same kind of dict).

    Returns the gradient that reached each leaf, and each node in ``keep``.  ``watch(node, gradient, shares)``,
    when given, is called at each node the walk goes through (minigan.stepthrough shows the steps with it)."""
    grads, retain_graph = dict(seeds), create_graph if retain_graph is None else retain_graph  # (None: keep
    # the graph when a second order will be taken)
    recording, _mode.grad_enabled = _mode.grad_enabled, create_graph  # under create_graph, backward's ops are recorded
    try:
        for fn in order:
            g = grads.get(fn) if fn in keep else grads.pop(fn, None)
            if g is not None:
                for s in fn.saved:  # step 1: what forward saved is still there (not FREED), unchanged, or it raises
                    if s is not None and s[1][0] != s[2]:  # (Node.check_saved: the same test)
                        raise GraphError(fn._saved_error())
                if fn.hooks or fn.retained is not None or watch is not None or _anomaly.enabled or _mode.grad_enabled:
                    # steps 2 to 6: the output's hooks, retain_grad(), a watcher..., and under create_graph (grad mode
                    # on) the layer above's rules for the node's gradients
                    input_grads = watched_backward(fn, g, watch)
                else:  # step 4: the op's own chain rule (around it, the node's own hooks where it has some)
                    input_grads = fn.backward(g) if fn.node_hooks is None else watched_backward(fn, g, watch)
                for edge, gi in zip(fn.edges, input_grads):  # step 7: hand each input its share
                    if edge is not None and gi is not None:
                        grads[edge] = grads[edge] + gi if edge in grads else gi
            if not retain_graph:  # step 8: free what forward saved
                fn.free()
        for leaf in [key for key in grads if not isinstance(key, Node) and key._hooks]:  # step 9: a leaf's hooks,
            if leaf._requires_grad or leaf._base is None:  # once, on the whole gradient it got (a detach_()ed leaf's
                grads[leaf] = run_hooks(leaf._hooks, grads[leaf])  # too; none for a view that keeps no gradient)
    finally:
        _mode.grad_enabled = recording
    return grads


def watched_backward(fn, g, watch):
    """Steps 2 to 6 of the walk at node ``fn``, where its output has hooks or asked for retain_grad(), the node has
    hooks, or the walk is watched: the output's register_hook functions, each of which may replace the gradient
    (autograd.grad of this output gets it before them) (step 2); retain_grad() keeps it (step 3); the node's
    prehooks, its backward, and for a Tensor gradient (create_graph) what the layer above the engine declared for its
    gradients, where it declared some (graph.GRADIENT_ADJUSTMENTS, by the node's class), then its post-hooks (step
    4); a watcher sees the step (step 5); under detect_anomaly() each gradient the backward returned is checked, a NaN
    or ∞ raising with the line that ran the op (step 6)."""
    if fn.hooks:
        g = run_hooks(fn.hooks, g)
    if fn.retained is not None and fn.retained() is not None:
        fn.retained()._keep_grad(g)
    pre, post = fn.node_hooks or ({}, {})
    g = run_hooks(pre, g)  # (None: no gradient goes on through this node)
    adjust = None if g is None or backend.is_array(g) else GRADIENT_ADJUSTMENTS.get(type(fn))
    input_grads = (None,) * len(fn.edges) if g is None else fn.backward(g) if adjust is None else \
        adjust(fn, g, fn.backward(g))
    for hook in list(post.values()):
        input_grads = hook(input_grads, g)
    if watch is not None:
        watch(fn, g, input_grads)
    if _anomaly.enabled:
        for gi in input_grads:
            check_finite(type(fn).__name__, "backward", gi, fn.created_at)
    return input_grads


def run_hooks(hooks: dict, g):
    """Each hook (made by Tensor.register_hook) on the gradient in turn; each returns the gradient to go on with."""
    for hook in list(hooks.values()):
        g = hook(g)
    return g


def prune(order, targets) -> list:
    """For ``autograd.grad``: the nodes of ``order`` from which some target (a node or a leaf) can be
    reached, as (node, its needs_input_grad), consumers first.  Each such node gets its
    ``needs_input_grad`` narrowed to the inputs that lead to a target (so a critic's weight gradients
    are not computed when only its input gradient is wanted); the caller puts them back afterwards."""
    useful, narrowed = set(targets), []
    for fn in reversed(order):  # producers first
        wanted = tuple([e is not None and e in useful for e in fn.edges])
        if True in wanted:
            useful.add(fn)
            narrowed.append((fn, fn.needs_input_grad))
            fn.needs_input_grad = tuple([n and w for n, w in zip(fn.needs_input_grad, wanted)])
    narrowed.reverse()
    return narrowed


def walk_to(seeds: dict, inputs, retain_graph=False, create_graph=False) -> list:
    """The walk pruned to ``inputs`` (tensors): the gradient that reaches each of them (None where none does)."""
    # where each input's gradient arrives: its node, or the leaf (nowhere for a leaf that keeps none: see accumulate)
    targets = [t._ctx or (t if t._requires_grad else None) for t in inputs]
    narrowed = prune(topological_order([k for k in seeds if isinstance(k, Node)]), targets)
    try:
        found = backprop(seeds, [fn for fn, _ in narrowed], retain_graph, create_graph, keep=set(targets))
    finally:
        for fn, needs in narrowed:  # put back what prune narrowed
            fn.needs_input_grad = needs
    visited = {fn for fn, _ in narrowed}
    with set_grad_enabled(create_graph):  # a target's own hooks where the walk stopped short of its node
        for key in {key for key in targets if isinstance(key, Node) and key.hooks and key not in visited}:
            if found.get(key) is not None:
                found[key] = run_hooks(key.hooks, found[key])
    return [found.get(key) for key in targets]


def backward_into(seeds: dict, inputs, retain_graph=False, create_graph=False) -> None:
    """``backward(inputs=...)``: accumulate into the ``.grad`` of these tensors only (leaves or not)."""
    held = [(t._ctx, t._ctx.retained) for t in inputs if t._ctx is not None]
    for fn, _ in held:  # a non-leaf input's .grad is filled once, below, even if retain_grad() asked for it too
        fn.retained = None
    try:
        found = walk_to(seeds, inputs, retain_graph, create_graph)
    finally:
        for fn, retained in held:
            fn.retained = retained
    accumulate({t: g for t, g in zip(inputs, found) if g is not None}, seeds)


# id(leaf) -> {handle id: hook(leaf)}, called once backward has added to the leaf's .grad: the post-accumulate grad
# hooks, which the surface's Tensor.register_post_accumulate_grad_hook keeps here
post_accumulate: dict = {}


@backend.np.errstate(all="ignore")  # (∞ + (−∞) over two backward calls is NaN, silently, as IEEE 754 defines it)
def accumulate(grads: dict, seeds: dict) -> None:
    """leaf.grad += g for every leaf in ``grads`` (what ``Tensor.backward`` does with the walk's result).

    The plain case first: a leaf's first gradient, an array of the leaf's own kind and dtype that is no view and
    that no seed or other leaf holds, becomes its ``.grad`` as it is.  Otherwise a gradient that another leaf or the
    seed also holds, or a view of another array, is copied first, so that changing one ``.grad`` in place can never
    change another, and ``_add_grad`` adds it in (in place; a new sum under create_graph)."""
    shared = set(map(id, seeds.values()))
    for leaf, g in grads.items():
        if (leaf._requires_grad and leaf._grad is None and type(g) is type(leaf.array) and g.base is None
                and g.dtype == leaf.array.dtype and id(g) not in shared and id(leaf) not in post_accumulate):
            leaf._grad = leaf._make(g)  # the plain case
        elif leaf._requires_grad:  # (not for a leaf detach_()ed since, nor a view that requires grad only through its
            # base, made under no_grad: no .grad)
            if id(g) in shared or getattr(value(g), "base", None) is not None:  # (value(g): g's array)
                g = g.copy() if value(g) is g else g.clone()
            leaf._add_grad(g)
            for hook in list(post_accumulate[id(leaf)].values()) if id(leaf) in post_accumulate else ():
                hook(leaf)  # (its register_post_accumulate_grad_hook functions, now that .grad holds the sum)
        shared.add(id(g))


def retain(tensor) -> None:
    """Make backward keep the gradient of this non-leaf tensor in its ``.grad``."""
    tensor._ctx.retained = weakref.ref(tensor)
