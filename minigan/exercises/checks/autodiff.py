"""The checks of set 1, the autodiff core: unbroadcast, Node.apply, the walk (topological order, backprop,
accumulate, prune), detach and no_grad.
"""

from __future__ import annotations

import numpy as np

import minigan
from minigan import autograd

from . import base
from .base import (
    Fail,
    T,
    check,
    close,
    raises,
    rn,
)


# ============================================================================= 1. autodiff core
def check_unbroadcast(ctx):
    from minigan.engine.graph import unbroadcast
    hint = "sum over the leading axes grad has in excess, then over the axes where shape is 1 (keepdims), reshape"
    for i, (gs, shape) in enumerate([((2, 3, 4), (3, 1)), ((5,), ()), ((2, 1, 3), (1, 3)), ((4, 3), (4, 3)),
                                     ((2, 3), (1, 1)), ((3, 2, 2), (2, 1)), ((2, 3, 4), (1, 4))]):
        g = rn(*gs, seed=i)
        e = None
        if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
            e = g.sum(axis=tuple(range(len(gs) - len(shape))))
            for axis, n in enumerate(shape):
                if n == 1:
                    e = e.sum(axis=axis, keepdims=True)
            e = e.reshape(shape)
        close(f"unbroadcast(grad of shape {gs}, {shape})", unbroadcast(g, shape), e, hint)
        close(f"unbroadcast(Tensor of shape {gs}, {shape})", unbroadcast(minigan.tensor(g), shape), e,
              hint + " (it must work on Tensors too: use methods, not np.sum)")


def check_node_apply(ctx):
    from minigan.engine.ops.elementwise import Exp, Mul
    hint = "a node is recorded only when grad mode is on and some input requires grad: its needs_input_grad is set " \
           "first, then the node learns its inputs, edges, arrays and output (fn.record)"
    a, b = T(rn(2, seed=41)), T(rn(2, seed=42), grad=False)
    y = Mul.apply(a, b)
    close("Mul.apply(a, b) value", y, rn(2, seed=41) * rn(2, seed=42), hint)
    check(y.requires_grad and y.grad_fn is not None, "Mul.apply(a, b) with a requiring grad: the result has no "
          f"node (requires_grad={y.requires_grad}, grad_fn={y.grad_fn})", hint)
    check(tuple(y.grad_fn.needs_input_grad) == (True, False), f"needs_input_grad: expected (True, False), got "
          f"{y.grad_fn.needs_input_grad}", hint)
    check(y.grad_fn.edges[0] is a and y.grad_fn.edges[1] is None, "Mul.apply(a, b): the node's edges should be "
          f"(a, None), got {y.grad_fn.edges}", hint)
    y.sum().backward()
    close("a.grad after Mul.apply(a, b).sum().backward()", a.grad, rn(2, seed=42), hint)
    with minigan.no_grad():
        z = Mul.apply(T([1.0]), T([2.0]))
    check(not z.requires_grad and z.grad_fn is None, "Mul.apply under no_grad() recorded a node", hint)
    z = Mul.apply(b, b)
    check(not z.requires_grad and z.grad_fn is None, "Mul.apply of constants recorded a node", hint)
    out = Mul.apply(np.array([2.0]), np.array([5.0]))
    check(isinstance(out, np.ndarray) and float(out[0]) == 10.0, "Mul.apply on plain arrays: expected the plain "
          f"array [10.], got {type(out).__name__} {out!r}", hint + " (on arrays apply only computes)")
    x = T([0.5, 1.0])
    e = Exp.apply(x)  # Exp saves its output
    with minigan.no_grad():
        e.mul_(2.0)
    raises("backward after the saved output of exp was changed in place", minigan.GraphError,
           lambda: e.sum().backward(), hint + " (fn.record notes the versions of what forward saved)")


def check_topological_order(ctx):
    from minigan.engine.graph import Node
    from minigan.engine.walk import topological_order
    hint = ("follow each node's edges without recursion (a list of the nodes found, read while it grows, and a set "
            "of those seen); then sort them by sequence_nr, the largest (the newest) first")
    x = T([0.3, 0.7])
    a = x.exp()
    b = a * a
    c = b + a
    order = topological_order([c.grad_fn])
    check(len(order) == len(set(order)) == 3 and all(isinstance(f, Node) for f in order),
          f"c = exp(x)² + exp(x): expected its 3 nodes once each, got {[type(f).__name__ for f in order]}",
          hint + " (a leaf Tensor or None in edges is not a node)")
    for i, fn in enumerate(order):
        for edge in fn.edges:
            if isinstance(edge, Node):
                check(edge in order and order.index(edge) > i,
                      f"c = exp(x)² + exp(x): {type(fn).__name__} must come before {type(edge).__name__}, "
                      f"which made its input; got {[type(f).__name__ for f in order]}", hint)
    y = x
    for _ in range(16):  # 2^16 paths through 16 nodes
        y = y + y
    order = topological_order([y.grad_fn])
    check(len(order) == 16, f"y = y + y sixteen times: expected 16 nodes, got {len(order)}",
          hint + " (a node reached by several paths is listed once)")
    u, v = x * 2.0, x * 3.0
    order = topological_order([u.grad_fn, v.grad_fn, u.grad_fn])
    check(len(order) == 2 and set(order) == {u.grad_fn, v.grad_fn}, "two roots (one given twice): expected both "
          f"nodes once, got {[type(f).__name__ for f in order]}", hint)
    y = x
    for _ in range(3000):
        y = y * 1.0
    try:
        order = topological_order([y.grad_fn])
    except RecursionError:
        raise Fail(f"a chain of 3000 ops: RecursionError; hint: {hint} (a loop, not a recursive call)") from None
    check(len(order) == 3000 and order[0] is y.grad_fn, "a chain of 3000 ops: expected 3000 nodes, the last op "
          f"first, got {len(order)}", hint)
    a, b = x * 2.0, x * 3.0
    c = a + b
    order = [type(f).__name__ + ("(b)" if f is b.grad_fn else "(a)" if f is a.grad_fn else "")
             for f in topological_order([c.grad_fn])]
    check(order == ["Add", "Mul(b)", "Mul(a)"], "a = x * 2, then b = x * 3, c = a + b: expected PyTorch's order, "
          f"the newest node first: Add, Mul(b), Mul(a); got {', '.join(order)}", hint + " (a depth-first post-order "
          "is a valid order too, but not the one PyTorch's engine runs)")
    x = minigan.tensor(np.array([1.0, 3.0], dtype=np.float32), requires_grad=True)
    u = x * 1.0
    (u * 1e8 + u * -1e8 + u * 0.3).sum().backward()  # u's gradient: three contributions, summed in the walk's order
    close("x.grad for y = 1e8·u - 1e8·u + 0.3·u in float32, summed newest first as PyTorch's: "
          "(0.3 + -1e8) + 1e8 rounds to 0 (oldest first, (1e8 + -1e8) + 0.3, gives 0.3)", x.grad, [0.0, 0.0], hint)


def check_backprop(ctx):
    hint = "visit nodes in order; sum every gradient a node receives before calling its backward; hand each " \
           "input its share along the node's edges (None: a constant); free each node unless retain_graph"
    x = T([3.0])
    (x * x + x * x).sum().backward()
    close("x.grad for y = x·x + x·x at x = 3", x.grad, [12.0], hint)
    x = T([0.5, -1.0])
    b = x * 2.0
    c = b * b + b
    c.sum().backward()
    close("x.grad for b = 2x, c = b² + b (b reused)", x.grad, (2 * (2 * x.detach().numpy()) + 1) * 2, hint)
    raises("a second backward through a freed graph", minigan.GraphError, lambda: c.sum().backward(), hint)
    x = T([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    close("x.grad after two backward() of sum(x²) (retain_graph=True)", x.grad, 4 * x.detach().numpy(), hint)
    x, w = T(rn(3, 1)), T(rn(1, 4, seed=1), grad=False)
    y = x * w
    y.retain_grad()
    (y * y).sum().backward()
    close("y.grad for y = x·w retained, loss = sum(y²)", y.grad, 2 * x.detach().numpy() * w.detach().numpy(),
          hint + " (fn.retained: keep its gradient)")
    close("x.grad for loss = sum((x·w)²)", x.grad, (2 * x.detach().numpy() * w.detach().numpy() ** 2).sum(
        axis=1, keepdims=True), hint)
    check(w.grad is None, "a constant (requires_grad=False) got a .grad", hint)
    _check_backprop_edges_and_grad(hint)


def _check_backprop_edges_and_grad(hint):
    """check_backprop, continued: an op's backward that returns a gradient for a constant; autograd.grad (leaves
    .grad alone, keeps a non-leaf's gradient, create_graph); a chain of 3000 ops (no recursion)."""
    from minigan.engine.graph import Node

    class Product(Node):  # a backward that returns both gradients, needed or not (allowed, as in PyTorch)
        def forward(self, a, b):
            self.save_for_backward(a, b)
            return a * b

        def backward(self, grad):
            a, b = self.saved_tensors
            return grad * b, grad * a

    x, k = T([1.0, 2.0]), T([3.0, 4.0], grad=False)
    Product.apply(x, k).sum().backward()
    close("x.grad through an op whose backward returns a gradient for every input", x.grad, [3.0, 4.0], hint)
    check(k.grad is None, "an op's backward returned a gradient for a constant and the constant kept it in .grad",
          hint + " (its edge in edges is None: hand it nothing)")
    x, w = T([1.0, 2.0]), T([3.0, 4.0], grad=False)
    (g,) = autograd.grad((x * w).sum(), x)
    close("autograd.grad(sum(x·w), x)", g, [3.0, 4.0], hint)
    check(x.grad is None, "autograd.grad filled x.grad; it must leave .grad alone", hint)
    x = T([1.0, -2.0])
    h = x * 3.0
    gh, gx = autograd.grad((h * h).sum(), (h, x))
    close("autograd.grad(sum(h²), (h, x)) for a non-leaf h = 3x: d/dh", gh, 2 * 3.0 * x.detach().numpy(),
          hint + " (a node in `keep` keeps its gradient in the dict: get, not pop)")
    close("autograd.grad(sum(h²), (h, x)) for a non-leaf h = 3x: d/dx", gx, 2 * 9.0 * x.detach().numpy(), hint)
    x = T([1.5])
    (g,) = autograd.grad((x * x * x).sum(), x, create_graph=True)
    close("autograd.grad of x³ with create_graph", g, [3 * 1.5**2], hint)
    (h,) = autograd.grad(g.sum(), x)
    close("the second derivative of x³ (create_graph=True)", h, [6 * 1.5], hint + " (under create_graph the walk "
          "runs with grad mode on)")
    x = T(np.ones(3))
    y = x
    for _ in range(3000):
        y = y * 1.0
    y.sum().backward()
    close("x.grad through a chain of 3000 ops", x.grad, np.ones(3), hint)


def check_accumulate(ctx):
    hint = "leaf.grad += g in place (.array += g.array), as PyTorch's, but a NEW sum when either is part of a graph " \
           "(create_graph); copy g when it is shared (id in shared) or a view"
    x = T([1.0, 2.0])
    c = [minigan.tensor(rn(2, seed=45 + i)) for i in range(3)]
    (x * c[0] + x * c[1]).sum().backward()
    close("x.grad for sum(c0·x + c1·x)", x.grad, rn(2, seed=45) + rn(2, seed=46), hint)
    held = x.grad
    (x * c[2]).sum().backward()
    close("x.grad after a second backward, of sum(c2·x)", x.grad, rn(2, seed=45) + rn(2, seed=46) + rn(2, seed=47),
          hint)
    close("the .grad Tensor a user held before the second backward", held,
          rn(2, seed=45) + rn(2, seed=46) + rn(2, seed=47),
          hint + " (PyTorch adds into the .grad a user holds, in place)")
    a, b = T([1.0, 2.0]), T([3.0, 4.0])
    (a + b).sum().backward()
    with minigan.no_grad():
        a.grad.add_(1.0)
    close("b.grad after changing a.grad in place (a + b gives both the same array)", b.grad, [1.0, 1.0],
          hint + " (two leaves must never share one gradient array)")
    a, b = T([1.0, 2.0]), T([3.0, 4.0])
    (a + b).backward(minigan.tensor([1.0, 1.0], dtype="float64"))
    with minigan.no_grad():
        a.grad.add_(1.0)
    close("b.grad after changing a.grad in place ((a + b).backward(gradient) hands both one array)", b.grad,
          [1.0, 1.0], hint + " (a gradient already handed to another tensor must be copied)")
    x = T([2.0])
    (x * x).sum().backward(create_graph=True)
    check(x.grad.requires_grad, "x.grad after backward(create_graph=True) has no graph", hint)
    close("x.grad of x² at 2 (create_graph=True)", x.grad, [4.0], hint)
    (x * x * x).sum().backward(create_graph=True)  # .grad = 2x + 3x², a graph of both backward passes
    (second,) = minigan.autograd.grad(x.grad.sum(), x)
    close("d/dx of x.grad after two create_graph backwards (2 + 6x at 2)", second, [14.0],
          hint + " (under create_graph the sum must be a new, differentiable one)")


def check_prune(ctx):
    from minigan.engine.graph import Node
    hint = "walk reversed(order) (producers first) with useful = set(targets); a node whose edges meet " \
           "`useful` joins it and gets needs_input_grad narrowed; return them consumers first"
    seen = []

    class Spy(Node):  # a * b that notes which gradients it was asked for
        def forward(self, a, b):
            self.save_for_backward(a, b)
            return a * b

        def backward(self, grad):
            seen.append(tuple(self.needs_input_grad))
            a, b = self.saved_tensors
            return (grad * b if self.needs_input_grad[0] else None), (grad * a if self.needs_input_grad[1] else None)

    x, w = T(rn(2, seed=48)), T(rn(2, seed=49))
    (g,) = autograd.grad(Spy.apply(x, w).sum(), x)
    close("autograd.grad(sum(x·w), x)", g, rn(2, seed=49), hint)
    check(seen == [(True, False)], f"autograd.grad(sum(x·w), x): the op was asked for the gradients {seen}, "
          "expected [(True, False)] (w's gradient is not wanted)", hint)
    seen.clear()
    x, w = T([1.0, 2.0]), T([3.0, 4.0])
    (g,) = autograd.grad((x * 2.0).sum() + Spy.apply(w, w).sum(), x)
    close("autograd.grad(sum(2x) + sum(w·w), x)", g, [2.0, 2.0], hint)
    check(seen == [], "autograd.grad(sum(2x) + sum(w·w), x): the branch w·w, which does not lead to x, was "
          f"visited (asked for {seen})", hint + " (only nodes from which a target can be reached)")
    x = T([1.0, -1.0])
    y = x * 2.0
    for _ in range(5):
        y = y * 3.0
    (g,) = autograd.grad(y.sum(), x)
    close("autograd.grad through a chain of 6 ops", g, [2.0 * 3**5] * 2, hint + " (a node that leads to a useful "
          "node is useful too)")
    x, w = T([1.0, 2.0]), T([3.0, 4.0])
    loss = Spy.apply(x, w).sum()
    autograd.grad(loss, x, retain_graph=True)
    seen.clear()
    loss.backward()
    close("w.grad from backward() after autograd.grad(..., x) on the same graph", w.grad, [1.0, 2.0],
          hint + " (return each node with its needs_input_grad as it was, so autograd.grad can put it back)")


def check_detach(ctx):
    hint = "a view of the same array (no copy) in a new leaf that shares this tensor's version counter (the Tensor " \
           "makes the counter when first asked for it)"
    a = T(rn(2, seed=43))
    b = a * 2.0
    d = b.detach()
    check(not d.requires_grad and d.grad_fn is None, "detach() returned a tensor that is still in the graph", hint)
    close("detach() values", d, 2 * rn(2, seed=43), hint)
    with minigan.no_grad():
        d.add_(1.0)
    close("b after changing b.detach() in place", b, 2 * rn(2, seed=43) + 1, hint + " (the memory is shared, as in "
          "PyTorch)")
    a = T(rn(2, seed=44))
    ((a * 2.0).detach() * a).sum().backward()
    close("a.grad for (2a).detach()·a", a.grad, 2 * rn(2, seed=44), hint)
    a = T([0.5, 1.0])
    e = a.exp()
    with minigan.no_grad():
        e.detach().mul_(2.0)
    raises("backward after exp(a)'s saved output was changed through .detach()", minigan.GraphError,
           lambda: e.sum().backward(), hint + " (the version counter must be shared)")
    fresh = T([1.0, 2.0]) * 3.0  # a result nothing saved yet: its counter is made by the first that needs it
    with minigan.no_grad():
        fresh.detach().add_(1.0)
    check(fresh._version == 1, f"x._version after x.detach().add_(1.0): expected 1, got {fresh._version}",
          hint + " (share the counter itself, made if it is not there yet, not the empty field)")


def check_no_grad(ctx):
    hint = "on entry remember the current mode, then set the one this manager stands for (the thread-local _mode); " \
           "on exit put the remembered mode back and return False, so that an exception goes on"
    x = T([1.0])
    with minigan.no_grad():
        check(not minigan.is_grad_enabled() and not (x * 2).requires_grad, "inside no_grad(), ops still record",
              hint)
        with minigan.enable_grad():
            check((x * 2).requires_grad, "inside enable_grad() nested in no_grad(), ops do not record", hint)
        check(not (x * 2).requires_grad, "back in no_grad() after an inner enable_grad(), ops record", hint)
    check(minigan.is_grad_enabled() and (x * 2).requires_grad, "after no_grad(), grad mode is still off", hint)
    try:
        with minigan.no_grad():
            raise KeyError("inside")
    except KeyError:
        pass
    else:
        raise Fail(f"an exception raised inside no_grad() was swallowed; hint: {hint}")
    check(minigan.is_grad_enabled(), "after an exception inside no_grad(), grad mode is still off", hint)

    @minigan.no_grad()
    def double(t):
        return t * 2

    check(not double(x).requires_grad and minigan.is_grad_enabled(), "@no_grad() as a decorator", hint)
    # What the grad mode does, as numbers on the grader's inputs: y = sum(c·w) with c = w·v made in each place; w's
    # gradient is c = w·v where c is a constant (no graph), 2·w·v where c was recorded.
    for i, (label, recorded, make) in enumerate(_grad_mode_places()):
        w, v = T(rn(3, seed=10 + 2 * i)), T(rn(3, seed=11 + 2 * i), grad=False)
        (make(w, v) * w).sum().backward()
        close(f"w.grad for y = sum(c·w), c = w·v made {label} ({'recorded' if recorded else 'a constant'})", w.grad,
              (2 if recorded else 1) * w.detach().numpy() * v.detach().numpy(), hint)


def _grad_mode_places():
    """(where, is c = w·v recorded there, a function that makes c there)."""

    def inside(w, v):
        with minigan.no_grad():
            return w * v

    def nested(w, v):
        with minigan.no_grad():
            with minigan.enable_grad():
                return w * v

    def back_in(w, v):
        with minigan.no_grad():
            with minigan.enable_grad():
                w * v
            return w * v

    def after(w, v):
        with minigan.no_grad():
            w * v
        return w * v

    def after_exception(w, v):
        try:
            with minigan.no_grad():
                raise KeyError("inside")
        except KeyError:
            pass
        return w * v

    @minigan.no_grad()
    def decorated(w, v):
        return w * v

    return (("inside no_grad()", False, inside), ("inside enable_grad() nested in no_grad()", True, nested),
            ("in no_grad() after an inner enable_grad()", False, back_in), ("after no_grad()", True, after),
            ("after an exception inside no_grad()", True, after_exception),
            ("in a function decorated with @no_grad()", False, decorated))
