"""The property checks behind every exercise: ``check_<name>(ctx)`` observes the learner's functions on inputs
drawn from the grader's seed; ``close``, ``check`` and ``raises`` name the input, the expected value, the value
got, and a hint.

``runner.py`` runs them twice (see ``ROLE``): in the learner's process, where ``import minigan`` is the learner's
copy and they only RECORD the values got, and in the grader's own process on the library, where they record what
is expected; ``grader.decide`` compares the two.  The checks are the ones minigan's own tests use: float64
gradients against central differences (first and second order), results against closed forms (optimizer
trajectories in every branch, the optimal discriminator, the penalty of a linear critic), and, when asked
(``check --torch``) and installed, PyTorch as an extra oracle for the optimizers.  ``ctx.reference(target)``
gives the function as it runs there, to compare whole training steps run from the same seed.
"""

from __future__ import annotations

import statistics

import numpy as np

import minigan
import minigan.functional as F
from minigan import autograd, nn


class Fail(AssertionError):
    """The first property that does not hold, in one line."""


# Where the checks run decides what ``close``, ``check`` and ``raises`` do (``runner.py`` sets it):
#   None         judge in place (raise Fail): the library's own tests run the checks on the library;
#   "student"    in the learner's process: record only what was GOT (data), judge nothing;
#   "reference"  in the grader's process, on the library: record what is EXPECTED, with tolerances and hints.
# The grader compares the two records; what the learner's process says about pass or fail counts for nothing.
ROLE = None
RECORD = []  # (kind, label, value, extra) in the order the check made them
SEED = 0  # the grader's seed for this grading (random inputs are unknown until grading starts)


def set_seed(seed):
    """Use the grader's ``seed`` for every random input of the checks."""
    global SEED, GRADS
    SEED = int(seed)
    GRADS = rng(7).standard_normal((6, 3)) * np.array([1.0, 1e-3, 30.0])


def reset():
    """Undo what a failed check may have left behind (grad mode off, say)."""
    minigan.set_grad_enabled(True)


# ----------------------------------------------------------------------------- helpers
def rng(seed=0):
    return np.random.default_rng([SEED, seed])


def T(a, grad=True):
    """A float64 leaf."""
    return minigan.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _array(v):
    if v is None:
        return None
    if isinstance(v, minigan.Tensor):
        return v.detach().numpy()
    return np.asarray(v)


def _fmt(v):
    return f"{float(v):.6g}" if np.ndim(v) == 0 else np.array2string(np.asarray(v), precision=4, threshold=8)


def _data(v):
    """What the learner's process hands back for a value: a float64 array, or None when it is not numbers."""
    try:
        a = np.array(_array(v), dtype=np.float64)
    except Exception:  # noqa: BLE001 - a value that is no array of numbers: it matches nothing
        return None
    return a if a.size <= 1 << 22 else None


def compare(what, g, e, hint, rtol=1e-6, atol=1e-9):
    """None when the data ``g`` equals ``e`` within tolerance, else the one-line failure at the worst element."""
    e = np.asarray(e, dtype=np.float64)
    if g is None:
        return f"{what}: expected an array of shape {tuple(e.shape)}, got None; hint: {hint}"
    if g.shape != e.shape:
        return f"{what}: expected shape {tuple(e.shape)}, got shape {tuple(g.shape)}; hint: {hint}"
    g = g.astype(np.float64)
    bad = ~np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    if bad.any():
        err = np.where(bad, np.nan_to_num(np.abs(g - e), nan=np.inf), -1.0)
        i = np.unravel_index(int(np.argmax(err)), e.shape) if e.ndim else ()
        at = f" at index {tuple(int(k) for k in i)}" if e.ndim else ""
        return f"{what}:{at} expected {_fmt(e[i])}, got {_fmt(g[i])}; hint: {hint}"
    return None


def close(what, got, expected, hint, rtol=1e-6, atol=1e-9):
    """``got`` equals ``expected`` (arrays or numbers) within tolerance, or Fail at the worst element."""
    if ROLE == "student":
        RECORD.append(("close", what, _data(got), None))
        return
    e = np.asarray(_array(expected), dtype=np.float64)
    if ROLE == "reference":
        RECORD.append(("close", what, e.copy(), {"hint": hint, "rtol": rtol, "atol": atol}))
    g = _array(got)
    failure = compare(what, None if g is None else np.asarray(g), e, hint, rtol, atol)
    if failure:
        raise Fail(failure)


def check(condition, message, hint):
    if ROLE == "student":
        RECORD.append(("check", " ".join(str(message).split())[:400], bool(condition), None))
        return
    if ROLE == "reference":
        RECORD.append(("check", "", True, {"hint": hint}))
    if not condition:
        raise Fail(f"{message}; hint: {hint}")


def raises(what, error, fn, hint):
    try:
        fn()
    except error:
        outcome = None
    except Exception as e:  # the wrong kind of error
        outcome = f"{what}: expected {error.__name__}, got {type(e).__name__}: {e}"
    else:
        outcome = f"{what}: expected {error.__name__}, nothing was raised"
    if ROLE == "student":
        RECORD.append(("raises", what, outcome is None, (outcome or "")[:400]))
        return
    if ROLE == "reference":
        RECORD.append(("raises", what, True, {"hint": hint}))
    if outcome:
        raise Fail(f"{outcome}; hint: {hint}")


def _numeric_gradient(value, arrays, eps=1e-6):
    """Central differences of the scalar ``value(*arrays)`` with respect to each array."""
    grads = []
    for a in arrays:
        g = np.zeros_like(a)
        for i in np.ndindex(a.shape):
            old = a[i]
            a[i] = old + eps
            up = value(*arrays)
            a[i] = old - eps
            down = value(*arrays)
            a[i] = old
            g[i] = (up - down) / (2 * eps)
        grads.append(g)
    return grads


NAMES = "abcdefgh"


def gradcheck(label, fn, arrays, hint, second_order=False, seed=0):
    """The gradient of ⟨r, fn(*inputs)⟩ (r random) by the learner's backward against central differences;
    with ``second_order`` also the gradient of ⟨v, ∇⟩ (double backward, create_graph=True)."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    r_gen = rng(seed)
    xs = [T(a) for a in arrays]
    out = fn(*xs)
    r = r_gen.standard_normal(out.shape)

    def value(*arrs):
        with minigan.no_grad():
            return float((fn(*[T(a, grad=False) for a in arrs]).detach().numpy() * r).sum())

    analytic = autograd.grad(out, xs, grad_outputs=minigan.tensor(r), allow_unused=True)
    numeric = _numeric_gradient(value, arrays)
    for name, a, n in zip(NAMES, analytic, numeric):
        close(f"{label}: d/d{name}", a, n, hint, rtol=1e-5, atol=1e-7)
    if not second_order:
        return
    vs = [r_gen.standard_normal(a.shape) for a in arrays]

    def first_order_dot(*arrs):
        ys = [T(a) for a in arrs]
        gs = autograd.grad(fn(*ys), ys, grad_outputs=minigan.tensor(r), allow_unused=True)
        return float(sum((_array(g) * v).sum() for g, v in zip(gs, vs) if g is not None))

    xs = [T(a) for a in arrays]
    gs = autograd.grad(fn(*xs), xs, grad_outputs=minigan.tensor(r), create_graph=True, allow_unused=True)
    pairs = [(g, minigan.tensor(v)) for g, v in zip(gs, vs) if g is not None and g.requires_grad]
    numeric2 = _numeric_gradient(first_order_dot, arrays)
    if not pairs:
        check(all(np.abs(n).max() < 1e-6 for n in numeric2),
              f"{label}: under create_graph=True the gradient has no graph of its own, so no second derivative "
              "(it should not be 0 here)", hint + " (use self.saved_tensors and ops on grad, not plain arrays)")
        return
    analytic2 = autograd.grad([g for g, _ in pairs], xs, grad_outputs=[v for _, v in pairs], allow_unused=True)
    for name, a, n in zip(NAMES, analytic2, numeric2):
        got = a if a is not None else np.zeros_like(n)
        close(f"{label}: second derivative (double backward) d/d{name} ⟨v, ∇⟩", got, n,
              hint + " (under create_graph=True, saved_tensors gives Tensors: use them, not plain arrays)",
              rtol=1e-4, atol=1e-6)


def _op_cases(cases, hint, second_order=False):
    for i, (label, fn, arrays) in enumerate(cases):
        gradcheck(label, fn, arrays, hint, second_order=second_order, seed=i)


def rn(*shape, seed=0):
    return rng(seed).standard_normal(shape)


def away_from_zero(*shape, seed=0):
    """Normal numbers with |x| ≥ 0.2 (so a kink at 0 is never within a finite-difference step)."""
    a = rn(*shape, seed=seed)
    return np.where(a >= 0, a + 0.2, a - 0.2)


# ============================================================================= 1. autodiff core
def check_unbroadcast(ctx):
    from minigan.engine.graph import unbroadcast
    hint = "sum over the leading axes grad has in excess, then over the axes where shape is 1 (keepdims), reshape"
    for i, (gs, shape) in enumerate([((2, 3, 4), (3, 1)), ((5,), ()), ((2, 1, 3), (1, 3)), ((4, 3), (4, 3)),
                                     ((2, 3), (1, 1)), ((3, 2, 2), (2, 1)), ((2, 3, 4), (1, 4))]):
        g = rn(*gs, seed=i)
        lead = len(gs) - len(shape)
        e = g.sum(axis=tuple(range(lead)))
        for axis, n in enumerate(shape):
            if n == 1:
                e = e.sum(axis=axis, keepdims=True)
        close(f"unbroadcast(grad of shape {gs}, {shape})", unbroadcast(g, shape), e.reshape(shape), hint)
        close(f"unbroadcast(Tensor of shape {gs}, {shape})", unbroadcast(minigan.tensor(g), shape), e.reshape(shape),
              hint + " (it must work on Tensors too: use methods, not np.sum)")


def check_node_apply(ctx):
    from minigan.engine.ops.elementwise import Exp, Mul
    hint = "record only when grad mode is on and some input requires grad: needs_input_grad, then " \
           "fn.record(inputs, edges, arrays, out, result)"
    a, b = T([1.0, 2.0]), T([3.0, 4.0], grad=False)
    y = Mul.apply(a, b)
    close("Mul.apply(a, b) value", y, [3.0, 8.0], hint)
    check(y.requires_grad and y.grad_fn is not None, "Mul.apply(a, b) with a requiring grad: the result has no "
          f"node (requires_grad={y.requires_grad}, grad_fn={y.grad_fn})", hint)
    check(tuple(y.grad_fn.needs_input_grad) == (True, False), f"needs_input_grad: expected (True, False), got "
          f"{y.grad_fn.needs_input_grad}", hint)
    check(y.grad_fn.edges[0] is a and y.grad_fn.edges[1] is None, "Mul.apply(a, b): the node's edges should be "
          f"(a, None), got {y.grad_fn.edges}", hint)
    y.sum().backward()
    close("a.grad after Mul.apply(a, b).sum().backward()", a.grad, [3.0, 4.0], hint)
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
    hint = "iterative DFS over each node's edges with a visited set; post-order, then reverse (consumers first)"
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
        raise Fail(f"a chain of 3000 ops: RecursionError; hint: {hint} (use an explicit stack)") from None
    check(len(order) == 3000 and order[0] is y.grad_fn, "a chain of 3000 ops: expected 3000 nodes, the last op "
          f"first, got {len(order)}", hint)


def check_backprop(ctx):
    from minigan.engine.graph import Node
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
    yv = x.detach().numpy() * w.detach().numpy()
    close("y.grad for y = x·w retained, loss = sum(y²)", y.grad, 2 * yv, hint + " (fn.retained: keep its gradient)")
    close("x.grad for loss = sum((x·w)²)", x.grad, (2 * yv * w.detach().numpy()).sum(axis=1, keepdims=True), hint)
    check(w.grad is None, "a constant (requires_grad=False) got a .grad", hint)

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
    (x * 2.0 + x * 3.0).sum().backward()
    close("x.grad for sum(2x + 3x)", x.grad, [5.0, 5.0], hint)
    held = x.grad
    before = held.detach().numpy().copy()
    (x * 2.0).sum().backward()
    close("x.grad after a second backward of sum(2x)", x.grad, [7.0, 7.0], hint)
    close("the .grad Tensor a user held before the second backward", held, before + 2.0,
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

    x, w = T([1.0, 2.0]), T([3.0, 4.0])
    (g,) = autograd.grad(Spy.apply(x, w).sum(), x)
    close("autograd.grad(sum(x·w), x)", g, [3.0, 4.0], hint)
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
    hint = "self._make(self.array.view()) (the same memory, no copy) and share the version counter, " \
           "self._version_counter() (made when first needed)"
    a = T([1.0, 2.0])
    b = a * 2.0
    d = b.detach()
    check(not d.requires_grad and d.grad_fn is None, "detach() returned a tensor that is still in the graph", hint)
    close("detach() values", d, [2.0, 4.0], hint)
    with minigan.no_grad():
        d.add_(1.0)
    close("b after changing b.detach() in place", b, [3.0, 5.0], hint + " (the memory is shared, as in PyTorch)")
    a = T([1.0, 2.0])
    ((a * 2.0).detach() * a).sum().backward()
    close("a.grad for (2a).detach()·a", a.grad, [2.0, 4.0], hint)
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
    hint = "__enter__: self.prev, _mode.grad_enabled = _mode.grad_enabled, self.enabled; __exit__: restore it, " \
           "return False"
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


# ============================================================================= 2. ops
def check_add_backward(ctx):
    _op_cases([("a (3, 1) + b (4,)", lambda a, b: a + b, [rn(3, 1), rn(4, seed=1)]),
               ("a (2, 3) + b (2, 3)", lambda a, b: a + b, [rn(2, 3), rn(2, 3, seed=1)]),
               ("a (2, 1, 3) + b (4, 1)", lambda a, b: a + b, [rn(2, 1, 3), rn(4, 1, seed=1)])],
              "d(a+b)/da = 1, d(a+b)/db = 1, each unbroadcast to its input's shape")


def check_sub_backward(ctx):
    _op_cases([("a (3, 1) - b (4,)", lambda a, b: a - b, [rn(3, 1), rn(4, seed=1)]),
               ("a (2, 3) - b (1, 3)", lambda a, b: a - b, [rn(2, 3), rn(1, 3, seed=1)])],
              "d(a-b)/da = 1, d(a-b)/db = -1, each unbroadcast")


def check_mul_backward(ctx):
    _op_cases([("a (3, 1) * b (4,)", lambda a, b: a * b, [rn(3, 1), rn(4, seed=1)]),
               ("a (2, 3) * b (2, 3)", lambda a, b: a * b, [rn(2, 3), rn(2, 3, seed=1)]),
               ("x * x", lambda a: a * a, [rn(3)])],
              "d(ab)/da = b, d(ab)/db = a, unbroadcast", second_order=True)


def check_div_backward(ctx):
    b = 1.0 + np.abs(rn(4, seed=1))
    _op_cases([("a (3, 1) / b (4,)", lambda a, b: a / b, [rn(3, 1), b]),
               ("a (4,) / b (4,)", lambda a, b: a / b, [rn(4), -b])],
              "d(a/b)/da = 1/b, d(a/b)/db = -a/b²", second_order=True)


def check_pow_backward(ctx):
    hint = "d(a^b)/da = b·a^(b−1), d(a^b)/db = a^b·log a"
    _op_cases([("a (3,) ** b (3,), a > 0", lambda a, b: a ** b, [0.5 + np.abs(rn(3)), rn(3, seed=1)]),
               ("a (2, 3) ** 3.0", lambda a: a ** 3.0, [rn(2, 3)]),
               ("a (3,) ** b (1,)", lambda a, b: a ** b, [0.5 + np.abs(rn(3)), [1.7]])], hint, second_order=True)
    x = T([0.0, 2.0])
    (x ** 0.0).sum().backward()
    close("d(x⁰)/dx at x = [0, 2] (PyTorch gives 0, not NaN)", x.grad, [0.0, 0.0], hint + "; at a = b = 0 use base 1")


def check_exp_backward(ctx):
    _op_cases([("exp(x), x (2, 3)", lambda a: a.exp(), [rn(2, 3)])], "d(e^a)/da = e^a (the saved output)",
              second_order=True)


def check_log_backward(ctx):
    _op_cases([("log(x), x (2, 3) > 0", lambda a: a.log(), [0.3 + np.abs(rn(2, 3))])], "d(log a)/da = 1/a",
              second_order=True)


def check_stable_sigmoid(ctx):
    from minigan.engine.ops.activation import stable_sigmoid
    hint = "with e = exp(−|x|) ≤ 1: 1/(1+e) for x ≥ 0, e/(1+e) for x < 0, chosen with where"
    for dtype in (np.float64, np.float32):
        x = np.array([-1000.0, -80.0, -30.0, -1.0, 0.0, 1.0, 30.0, 80.0, 1000.0], dtype=dtype)
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            try:
                got = stable_sigmoid(x)
            except FloatingPointError as e:
                raise Fail(f"stable_sigmoid({dtype.__name__} [-1000, ..., 1000]): overflow ({e}); hint: {hint}") \
                    from None
        ex = np.exp(-np.abs(x.astype(np.float64)))
        expected = np.where(x >= 0, 1 / (1 + ex), ex / (1 + ex))
        check(got.dtype == dtype, f"stable_sigmoid of {dtype.__name__}: expected dtype {dtype.__name__}, got "
              f"{got.dtype}", hint)
        close(f"stable_sigmoid({dtype.__name__} [-1000, -80, -30, -1, 0, 1, 30, 80, 1000])", got, expected, hint,
              rtol=1e-6 if dtype == np.float32 else 1e-12, atol=0)


def check_sigmoid_backward(ctx):
    _op_cases([("sigmoid(x), x (2, 3)", lambda a: a.sigmoid(), [2 * rn(2, 3)])], "dσ/dx = σ(1 − σ)",
              second_order=True)


def check_tanh_backward(ctx):
    _op_cases([("tanh(x), x (2, 3)", lambda a: a.tanh(), [rn(2, 3)])], "d tanh/dx = 1 − tanh²", second_order=True)


def check_relu_backward(ctx):
    _op_cases([("relu(x), x (3, 4), |x| ≥ 0.2", lambda a: a.relu(), [away_from_zero(3, 4)])],
              "1 where x > 0, else 0: a select on the saved output", second_order=True)
    x = T([0.0, -0.0])
    x.relu().sum().backward()
    close("d relu/dx at x = 0 (PyTorch gives 0)", x.grad, [0.0, 0.0], "the mask is x > 0, strictly")


def check_leaky_relu_backward(ctx):
    for slope in (0.2, 1.5):
        _op_cases([(f"leaky_relu(x, {slope}), x (3, 4), |x| ≥ 0.2", lambda a, s=slope: F.leaky_relu(a, s),
                    [away_from_zero(3, 4)])], "1 where x > 0, else negative_slope", second_order=True)


def check_matmul_backward(ctx):
    hint = "dA = G Bᵀ, dB = Aᵀ G (swapaxes(-1, -2)), unbroadcast over batch axes; 1-D operands as a row / a column"
    mm = lambda a, b: a @ b
    _op_cases([("a (3, 4) @ b (4, 2)", mm, [rn(3, 4), rn(4, 2, seed=1)]),
               ("a (2, 3, 4) @ b (4, 5)", mm, [rn(2, 3, 4), rn(4, 5, seed=1)]),
               ("a (2, 1, 2, 3) @ b (3, 3, 2)", mm, [rn(2, 1, 2, 3), rn(3, 3, 2, seed=1)]),
               ("a (4,) @ b (4, 3)", mm, [rn(4), rn(4, 3, seed=1)]),
               ("a (3, 4) @ b (4,)", mm, [rn(3, 4), rn(4, seed=1)]),
               ("a (4,) @ b (4,)", mm, [rn(4), rn(4, seed=1)])], hint)
    _op_cases([("a (2, 3) @ b (3, 2), second order", mm, [rn(2, 3), rn(3, 2, seed=1)])], hint, second_order=True)


def check_sum_backward(ctx):
    _op_cases([("x (2, 3, 4).sum(axis=1)", lambda a: a.sum(axis=1), [rn(2, 3, 4)]),
               ("x (2, 3, 4).sum(axis=(0, 2), keepdims=True)", lambda a: a.sum(axis=(0, 2), keepdims=True),
                [rn(2, 3, 4)]),
               ("x (2, 3).sum()", lambda a: a.sum(), [rn(2, 3)]),
               ("x (2, 3).sum(axis=-1)", lambda a: a.sum(axis=-1), [rn(2, 3)])],
              "d(Σx)/dx_i = 1: _keep, then broadcast_to the input's shape")


def check_mean_backward(ctx):
    _op_cases([("x (2, 3, 4).mean(axis=1)", lambda a: a.mean(axis=1), [rn(2, 3, 4)]),
               ("x (2, 3, 4).mean(axis=(0, 2), keepdims=True)", lambda a: a.mean(axis=(0, 2), keepdims=True),
                [rn(2, 3, 4)]),
               ("x (2, 3).mean()", lambda a: a.mean(), [rn(2, 3)])],
              "1/n with n the number of elements averaged (self.count)")


def check_max_backward(ctx):
    hint = "_keep the gradient, multiply by self.share (1/ties at the maxima, 0 elsewhere)"
    _op_cases([("x (3, 4).max(axis=1)", lambda a: a.max(axis=1), [rn(3, 4)]),
               ("x (3, 4).max(axis=0, keepdims=True)", lambda a: a.max(axis=0, keepdims=True), [rn(3, 4)]),
               ("x (2, 3).max()", lambda a: a.max(), [rn(2, 3)])], hint)
    x = T([[1.0, 3.0, 3.0], [2.0, 0.0, 2.0]])
    x.max(axis=1).backward(minigan.tensor([1.0, 1.0], dtype="float64"))
    close("x.grad for x.max(axis=1) with ties, x = [[1, 3, 3], [2, 0, 2]]", x.grad,
          [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5]], hint + " (ties share the gradient equally)")


def check_reshape_backward(ctx):
    _op_cases([("x (2, 3, 4).reshape(4, 6)", lambda a: a.reshape(4, 6), [rn(2, 3, 4)]),
               ("x (6,).reshape(3, 2)", lambda a: a.reshape(3, 2), [rn(6)])],
              "reshape the gradient back to self.in_shape")


def check_transpose_backward(ctx):
    _op_cases([("x (2, 3, 4).transpose(2, 0, 1)", lambda a: a.transpose(2, 0, 1), [rn(2, 3, 4)]),
               ("x (2, 3, 4).transpose(1, 2, 0)", lambda a: a.transpose(1, 2, 0), [rn(2, 3, 4)]),
               ("x (2, 3).T", lambda a: a.T, [rn(2, 3)])],
              "transpose the gradient by the INVERSE permutation: inverse[axes[i]] = i")


def check_getitem_backward(ctx):
    hint = "IndexAdd.apply(grad, index=(self.index, self.advanced), shape=self.in_shape); repeated integer " \
           "indices must add up (backend.scatter_add)"
    mask = rn(3, 4) > 0
    _op_cases([("x (4, 5)[1:3, ::2]", lambda a: a[1:3, ::2], [rn(4, 5)]),
               ("x (4,)[[0, 0, 2, 0]]", lambda a: a[np.array([0, 0, 2, 0])], [rn(4)]),
               ("x (3, 4)[:, [1, 1, 3]]", lambda a: a[:, np.array([1, 1, 3])], [rn(3, 4)]),
               ("x (3, 4)[mask]", lambda a: a[mask], [rn(3, 4, seed=2)]),
               ("x (3, 4)[2]", lambda a: a[2], [rn(3, 4)])], hint)
    _op_cases([("x (4,)[[1, 1]] second order", lambda a: a[np.array([1, 1])] * a[np.array([1, 1])], [rn(4)])], hint,
              second_order=True)


def check_softmax_backward(ctx):
    _op_cases([("softmax(x (3, 4), axis=-1)", lambda a: F.softmax(a, axis=-1), [rn(3, 4)]),
               ("softmax(x (3, 4), axis=0)", lambda a: F.softmax(a, axis=0), [rn(3, 4)])],
              "dx = s ⊙ (g − Σ_axis g ⊙ s), summing along self.axis with keepdims", second_order=True)


def check_log_softmax_backward(ctx):
    _op_cases([("log_softmax(x (3, 4), axis=-1)", lambda a: F.log_softmax(a, axis=-1), [rn(3, 4)]),
               ("log_softmax(x (3, 4), axis=0)", lambda a: F.log_softmax(a, axis=0), [rn(3, 4)])],
              "dx = g − exp(out) · Σ_axis g (keepdims)", second_order=True)


def check_bce_with_logits(ctx):
    hint = "forward: max(x, 0) − t·x + log1p(exp(−|x|)), then apply_reduction; backward: (σ(x) − t)·g, −x·g"
    x = np.array([-1e4, -80.0, -30.0, -1.0, 0.0, 0.5, 30.0, 80.0, 1e4])
    t = np.array([0.0, 1.0, 0.3, 1.0, 0.5, 0.0, 1.0, 0.0, 1.0])
    expected = np.logaddexp(0, x) - t * x
    for reduction, e in (("none", expected), ("mean", expected.mean()), ("sum", expected.sum())):
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            try:
                got = F.binary_cross_entropy_with_logits(T(x, grad=False), T(t, grad=False), reduction=reduction)
            except FloatingPointError as err:
                raise Fail(f"BCE with logits at x = ±1e4: overflow ({err}); hint: {hint}") from None
        close(f"BCE-with-logits(x = [-1e4 ... 1e4], t), reduction={reduction!r}", got, e, hint, rtol=1e-9)
    for reduction in ("mean", "sum", "none"):
        _op_cases([(f"BCE-with-logits(x (2, 3), t (2, 3)), reduction={reduction!r}",
                    lambda a, b, r=reduction: F.binary_cross_entropy_with_logits(a, b, reduction=r),
                    [2 * rn(2, 3), rng(1).uniform(size=(2, 3))])], hint, second_order=reduction == "mean")


def check_cross_entropy_backward(ctx):
    labels = np.array([0, 2, 1, 2])
    for reduction in ("mean", "sum", "none"):
        _op_cases([(f"cross_entropy(x (4, 3), labels {labels.tolist()}, reduction={reduction!r})",
                    lambda a, r=reduction: F.cross_entropy(a, labels, reduction=r), [rn(4, 3)])],
                  "(softmax(x) − onehot) times the reduction's gradient per row", second_order=reduction == "mean")


def _im2col_loops(x, kh, kw, sh, sw):
    c, hp, wp, n = x.shape
    ho, wo = (hp - kh) // sh + 1, (wp - kw) // sw + 1
    cols = np.zeros((c, kh, kw, ho, wo, n))
    for ci in range(c):
        for p in range(kh):
            for q in range(kw):
                for i in range(ho):
                    for j in range(wo):
                        cols[ci, p, q, i, j] = x[ci, i * sh + p, j * sw + q]
    return cols.reshape(c * kh * kw, ho * wo * n)


def check_im2col(ctx):
    from minigan.engine.ops.conv import im2col
    hint = "as_strided(x, shape=(c, kh, kw, ho, wo, n), strides=(s_c, s_h, s_w, s_h·sh, s_w·sw, s_n)), " \
           "then ascontiguousarray and reshape"
    for shape, (kh, kw, sh, sw) in (((2, 5, 5, 3), (3, 2, 1, 2)), ((1, 4, 4, 2), (2, 2, 2, 2)),
                                    ((3, 6, 5, 1), (3, 3, 2, 1))):
        x = rn(*shape)
        close(f"im2col(x {shape}, kernel {kh}×{kw}, stride {sh}×{sw})", im2col(x, kh, kw, sh, sw),
              _im2col_loops(x, kh, kw, sh, sw), hint)
    x = rn(2, 6, 6, 2).astype(np.float32)
    check(im2col(x, 3, 3, 1, 1).dtype == np.float32, "im2col of float32 changed the dtype", hint)


def check_col2im(ctx):
    from minigan.engine.ops.conv import col2im
    hint = "one slice += per kernel offset (p, q): out[:, p : p + sh·(ho−1) + 1 : sh, q : q + sw·(wo−1) + 1 : sw] " \
           "+= cols[:, p, q]"
    for shape, (kh, kw, sh, sw) in (((2, 5, 5, 3), (3, 2, 1, 2)), ((1, 4, 4, 2), (2, 2, 2, 2)),
                                    ((3, 6, 5, 1), (3, 3, 1, 1)), ((1, 7, 7, 1), (3, 3, 2, 2))):
        x = rn(*shape)
        cols_x = _im2col_loops(x, kh, kw, sh, sw)
        c = rn(*cols_x.shape, seed=1)
        got = col2im(c, shape, kh, kw, sh, sw)
        check(np.shape(got) == shape, f"col2im(cols, {shape}, kernel {kh}×{kw}, stride {sh}×{sw}): expected "
              f"shape {shape}, got {np.shape(got)}", hint)
        lhs, rhs = float((cols_x * c).sum()), float((x * got).sum())
        close(f"⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for x {shape}, kernel {kh}×{kw}, stride {sh}×{sw} (the adjoint)",
              rhs, lhs, hint)


def check_conv2d_backward(ctx):
    hint = "∂x = ConvTranspose2d.apply(G, W, stride, padding, output_padding), ∂W = Conv2dWeight.apply(x, G, ...), " \
           "∂b = G.sum(axis=(0, 2, 3))"
    _op_cases([("conv2d(x (2, 2, 5, 5), w (3, 2, 3, 3), b (3,), stride 2, padding 1)",
                lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1),
                [rn(2, 2, 5, 5), rn(3, 2, 3, 3, seed=1), rn(3, seed=2)]),
               ("conv2d(x (1, 1, 6, 6), w (2, 1, 3, 3), stride 2): the floor drops a row",
                lambda x, w: F.conv2d(x, w, stride=2), [rn(1, 1, 6, 6), rn(2, 1, 3, 3, seed=1)])], hint)
    _op_cases([("conv2d(x (1, 1, 4, 4), w (2, 1, 2, 2)) second order", lambda x, w: F.conv2d(x, w),
                [rn(1, 1, 4, 4), rn(2, 1, 2, 2, seed=1)])], hint, second_order=True)


# ============================================================================= 3. optimizers
def _trajectory(cls, grads, theta0, **kw):
    p = nn.Parameter(np.array(theta0, dtype=np.float64))
    opt = cls([p], **kw)
    out = []
    for g in grads:
        p.grad = minigan.tensor(np.array(g, dtype=np.float64))
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


USE_TORCH = False  # `exercises check --torch`: also compare with torch.optim (importing torch takes seconds)


def _torch_trajectory(name, grads, theta0, **kw):
    if not USE_TORCH:
        return None
    try:
        import torch
    except ImportError:
        return None
    p = torch.tensor(np.array(theta0, dtype=np.float64), requires_grad=True)
    opt = getattr(torch.optim, name)([p], **kw)
    out = []
    for g in grads:
        p.grad = torch.tensor(np.array(g, dtype=np.float64))
        opt.step()
        out.append(p.detach().numpy().copy())
    return np.array(out)


GRADS = rng(7).standard_normal((6, 3)) * np.array([1.0, 1e-3, 30.0])  # three scales: ε matters for the small one
# (set_seed draws them again from the grader's seed)
THETA0 = np.array([0.5, -1.0, 2.0])


def _compare_trajectory(label, cls, torch_name, closed_form, hint, **kw):
    got = _trajectory(cls, GRADS, THETA0, **kw)
    close(f"{label}: θ after each of 6 steps (gradients of 3 scales), {kw}", got, closed_form(**kw), hint,
          rtol=1e-9, atol=1e-12)
    if USE_TORCH and torch_name:  # (the learner's process has no PyTorch: there the oracle is its own value)
        oracle = _torch_trajectory(torch_name, GRADS, THETA0, **kw)
        close(f"{label} against torch.optim.{torch_name}, {kw}", got, got if oracle is None else oracle, hint,
              rtol=1e-7, atol=1e-10)


def _sgd_closed(lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
    theta, buf, out = THETA0.copy(), None, []
    for g in GRADS:
        g = g + weight_decay * theta
        if momentum:
            buf = g.copy() if buf is None else momentum * buf + (1 - dampening) * g
            g = g + momentum * buf if nesterov else buf
        theta = theta - lr * g
        out.append(theta)
    return np.array(out)


def check_optimizer_step(ctx):
    hint = "loop over param_groups and their params, counting i for every parameter; skip p.grad None; " \
           "self._update(p, self._gradient(i, p), self.state[i], group) under no_grad"
    p0, p1, p2 = (nn.Parameter(np.array(v, dtype=np.float64)) for v in ([1.0, 2.0], [3.0], [-1.0, 0.5]))
    opt = minigan.optim.SGD([{"params": [p0, p1]}, {"params": [p2], "lr": 0.5}], lr=0.1, momentum=0.9)
    p0.grad, p2.grad = minigan.tensor(np.array([1.0, -1.0])), minigan.tensor(np.array([2.0, 2.0]))
    opt.step()  # p1 has no gradient yet: skipped
    p0.grad, p1.grad, p2.grad = (minigan.tensor(np.array(g)) for g in ([0.5, 0.5], [4.0], [-1.0, 3.0]))
    opt.step()
    close("p0 after 2 momentum steps (group lr 0.1)", p0, np.array([1.0, 2.0]) - 0.1 * (np.array([1.0, -1.0])
          + (0.9 * np.array([1.0, -1.0]) + np.array([0.5, 0.5]))), hint)
    close("p1 (no .grad at the first step, then 4: one plain first momentum step)", p1, [3.0 - 0.1 * 4.0], hint)
    close("p2 after 2 momentum steps (its own group, lr 0.5, its own momentum buffer)", p2,
          np.array([-1.0, 0.5]) - 0.5 * (np.array([2.0, 2.0]) + (0.9 * np.array([2.0, 2.0]) + np.array([-1.0, 3.0]))),
          hint + " (the state of the i-th parameter is self.state[i], i counting the skipped ones too)")
    check(p0.requires_grad and p0.grad_fn is None, "after step() the parameter is no longer a leaf that requires "
          "grad (the update was recorded)", hint + " (update under no_grad())")
    w = nn.Parameter(np.array([2.0]))
    o = minigan.optim.SGD([w], lr=0.25)

    def closure():
        o.zero_grad()
        loss = (w * w).sum()
        loss.backward()
        return loss

    with minigan.no_grad():
        loss = o.step(closure)
    check(loss is not None, "step(closure) returned None; expected the closure's loss", hint)
    close("step(closure): the closure's loss", loss, 4.0, hint)
    close("w after step(closure) on w² (lr 0.25, inside no_grad: the closure runs with grad enabled)", w, [1.0], hint)
    up = nn.Parameter(np.array([2.0]))
    up.grad = minigan.tensor(np.array([1.0]))
    minigan.optim.SGD([up], lr=0.5, maximize=True).step()
    close("a maximize=True step along +grad (lr 0.5, grad 1 at 2)", up, [2.5], hint + " (maximize: step along −g)")
    close("p.grad after a maximize=True step (left as it was)", up.grad, [1.0], hint + " (−g as a new array)")


def check_sgd(ctx):
    hint = "g ← g + λθ; b ← g at the first step, then μb + (1 − dampening)g; d = g + μb (Nesterov) or b; θ ← θ − ηd"
    for kw in ({"lr": 0.1}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "momentum": 0.9, "dampening": 0.3},
               {"lr": 0.1, "momentum": 0.9, "nesterov": True}, {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}):
        _compare_trajectory("SGD", minigan.optim.SGD, "SGD", _sgd_closed, hint, **kw)


def _rmsprop_closed(lr, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0, centered=False):
    theta, v, gbar, buf, out = THETA0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for g in GRADS:
        g = g + weight_decay * theta
        v = alpha * v + (1 - alpha) * g * g
        if centered:
            gbar = alpha * gbar + (1 - alpha) * g
            s = np.sqrt(v - gbar * gbar)
        else:
            s = np.sqrt(v)
        if momentum:
            buf = momentum * buf + g / (s + eps)
            theta = theta - lr * buf
        else:
            theta = theta - lr * g / (s + eps)
        out.append(theta)
    return np.array(out)


def check_rmsprop(ctx):
    hint = "v ← αv + (1 − α)g²; θ ← θ − η·g/(√v + ε) (ε outside the root); centered: √(v − ḡ²); momentum: " \
           "b ← μb + g/(s + ε)"
    for kw in ({"lr": 0.01}, {"lr": 0.01, "alpha": 0.9, "eps": 1e-3}, {"lr": 0.01, "centered": True},
               {"lr": 0.01, "momentum": 0.9}, {"lr": 0.01, "weight_decay": 0.1}):
        _compare_trajectory("RMSprop", minigan.optim.RMSprop, "RMSprop", _rmsprop_closed, hint, **kw)


def _adam_closed(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False, maximize=False,
                 decoupled_weight_decay=False):
    theta, m, v, v_max, out = THETA0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, start=1):
        g = -g if maximize else g
        if decoupled_weight_decay:
            theta = theta * (1 - lr * weight_decay)  # AdamW: the decay never enters m or v
        else:
            g = g + weight_decay * theta
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        v_max = np.maximum(v_max, v)
        m_hat, v_hat = m / (1 - betas[0] ** t), (v_max if amsgrad else v) / (1 - betas[1] ** t)
        theta = theta - lr * m_hat / (np.sqrt(v_hat) + eps)
        out.append(theta)
    return np.array(out)


def check_adam(ctx):
    hint = "m ← β1·m + (1 − β1)g, v ← β2·v + (1 − β2)g², m̂ = m/(1 − β1^t), v̂ = v/(1 − β2^t), θ ← θ − α·m̂/(√v̂ + ε); " \
           "AdamW (decoupled_weight_decay): θ ← θ·(1 − α·λ) first and g untouched; AMSGrad: v̂ from max(v_max, v)"
    for kw in ({"lr": 0.1}, {"lr": 0.01, "betas": (0.5, 0.999), "eps": 1e-3},
               {"lr": 0.01, "betas": (0.0, 0.9)}, {"lr": 0.01, "weight_decay": 0.1},
               {"lr": 0.1, "weight_decay": 0.5, "decoupled_weight_decay": True},
               {"lr": 0.05, "betas": (0.9, 0.5), "amsgrad": True},
               {"lr": 0.05, "betas": (0.5, 0.5), "amsgrad": True, "weight_decay": 0.2,
                "decoupled_weight_decay": True},
               {"lr": 0.01, "maximize": True, "weight_decay": 0.1}):
        _compare_trajectory("Adam", minigan.optim.Adam, "Adam", _adam_closed, hint, **kw)
    got = _trajectory(minigan.optim.AdamW, GRADS, THETA0, lr=0.1, weight_decay=0.5)
    close("AdamW(lr=0.1, weight_decay=0.5): θ after each of 6 steps", got,
          _adam_closed(lr=0.1, weight_decay=0.5, decoupled_weight_decay=True), hint, rtol=1e-9, atol=1e-12)


def _optimistic_adam_closed(lr, betas=(0.5, 0.9), eps=1e-8):
    theta, m, v, previous, out = THETA0.copy(), np.zeros(3), np.zeros(3), np.zeros(3), []
    for t, g in enumerate(GRADS, start=1):
        m = betas[0] * m + (1 - betas[0]) * g
        v = betas[1] * v + (1 - betas[1]) * g * g
        direction = (m / (1 - betas[0] ** t)) / (np.sqrt(v / (1 - betas[1] ** t)) + eps)
        theta = theta - 2 * lr * direction + lr * previous
        previous = direction
        out.append(theta)
    return np.array(out)


def check_optimistic_adam(ctx):
    hint = "θ_t = θ_{t−1} − 2η·m̂_t/(√v̂_t + ε) + η·m̂_{t−1}/(√v̂_{t−1} + ε); the previous direction starts at 0"
    for kw in ({"lr": 0.01}, {"lr": 0.05, "betas": (0.9, 0.999), "eps": 1e-3}):
        _compare_trajectory("OptimisticAdam", minigan.optim.OptimisticAdam, None, _optimistic_adam_closed, hint, **kw)


def _optimistic_sgd_closed(lr):
    theta, previous, out = THETA0.copy(), np.zeros(3), []
    for g in GRADS:
        theta = theta - 2 * lr * g + lr * previous
        previous = g
        out.append(theta)
    return np.array(out)


def check_optimistic_sgd(ctx):
    hint = "θ ← θ − η·(2g_t − g_{t−1}), g_{−1} = 0; store a copy of g_t"
    _compare_trajectory("OptimisticSGD", minigan.optim.OptimisticSGD, None, _optimistic_sgd_closed, hint, lr=0.1)
    p = nn.Parameter(np.array([1.0]))
    opt = minigan.optim.OptimisticSGD([p], lr=0.1)
    g = minigan.tensor([1.0], dtype="float64")
    p.grad = g
    opt.step()
    with minigan.no_grad():
        g.mul_(5.0)  # the caller changes the gradient it handed in: the stored g_{t−1} must not change
    p.grad = minigan.tensor([0.0], dtype="float64")
    opt.step()
    close("θ after two steps when the first gradient Tensor was changed in place in between", p, [1 - 0.2 + 0.1],
          hint)


# ============================================================================= 4. GANs
def check_generator_loss(ctx):
    from minigan.gans.gan import GAN
    hint = "minimax: −BCE(v, 0) = mean log(1 − σ(v)); non-saturating: BCE(v, 1) = mean −log σ(v)"
    v = np.array([[-6.0], [-2.0], [0.0], [1.5], [5.0]])
    sig = 1 / (1 + np.exp(-v))
    for loss, value, grad in (("minimax", -np.logaddexp(0, v).mean(), -sig / 5),
                              ("non-saturating", np.logaddexp(0, -v).mean(), -(1 - sig) / 5)):
        gan = GAN.__new__(GAN)
        gan.loss = loss
        logits = T(v)
        out = gan.generator_loss(logits)
        close(f"generator_loss({loss!r}) at logits {v.ravel().tolist()}", out, value, hint, rtol=1e-9)
        out.backward()
        close(f"d generator_loss({loss!r}) / d logits", logits.grad, grad, hint, rtol=1e-9)


def check_frozen(ctx):
    from minigan.gans.gan import frozen
    hint = "module.requires_grad_(False); yield module; requires_grad_(True) in a finally"
    D = nn.Linear(3, 2)
    with frozen(D) as m:
        check(m is D, "`with frozen(D) as m`: m is not D", hint)
        check(not any(p.requires_grad for p in D.parameters()), "inside frozen(D) a parameter requires grad", hint)
        x = T(rn(2, 3)).float()
        D(x).sum().backward()
        check(D.weight.grad is None, "inside frozen(D), backward filled D.weight.grad", hint)
    check(all(p.requires_grad for p in D.parameters()), "after frozen(D), D's parameters do not require grad", hint)
    try:
        with frozen(D):
            raise KeyError("inside")
    except KeyError:
        pass
    else:
        raise Fail(f"an exception inside frozen(D) was swallowed; hint: {hint}")
    check(all(p.requires_grad for p in D.parameters()), "after an exception inside frozen(D), D stays frozen", hint)


class SpySGD(minigan.optim.SGD):
    """SGD that notes, at every step, what the grader asks of the other network."""

    def __init__(self, params, lr, watch, log, tag):
        super().__init__(params, lr=lr)
        self.watch, self.log, self.tag = watch, log, tag

    def step(self, closure=None):
        self.log.append((self.tag, [None if p.grad is None else p.grad.detach().numpy().copy() for p in self.watch()],
                         [p.requires_grad for p in self.watch()], [p.detach().numpy().copy() for p in self.params]))
        return super().step(closure)


def _setup(kind, seed=3):
    """Fresh small networks, spy optimizers and a fixed real-data sampler for one ``kind`` of trainer."""
    from minigan.gans.cgan import CGAN
    from minigan.gans.gan import GAN
    from minigan.gans.models import MLPDiscriminator, MLPGenerator
    from minigan.gans.wgan import WGAN
    from minigan.gans.wgan_gp import WGANGP
    minigan.manual_seed(seed)
    classes = 3 if kind == "cgan" else 0
    G = MLPGenerator(2, out_shape=(3,), hidden=(8,), num_classes=classes)
    D = MLPDiscriminator((3,), hidden=(8,), num_classes=classes)
    log = []
    opt_g = SpySGD(list(G.parameters()), 0.05, lambda: list(D.parameters()), log, "G")
    opt_d = SpySGD(list(D.parameters()), 0.05, lambda: list(G.parameters()), log, "D")
    data = np.random.default_rng(seed)

    def sample_real(m):
        x = minigan.tensor(data.standard_normal((m, 3)).astype(np.float32) + 2.0)
        return (x, data.integers(0, 3, m)) if kind == "cgan" else x

    if kind == "gan":
        trainer = GAN(G, D, opt_g, opt_d, latent_dim=2, k=2, loss="minimax", batch_size=16)
    elif kind == "cgan":
        trainer = CGAN(G, D, opt_g, opt_d, latent_dim=2, num_classes=3, k=2, batch_size=16)
    elif kind == "wgan":
        trainer = WGAN(G, D, opt_g, opt_d, latent_dim=2, n_critic=3, clip=0.05, batch_size=16)
    else:
        trainer = WGANGP(G, D, opt_g, opt_d, latent_dim=2, n_critic=3, lam=10.0, batch_size=16)
    return trainer, sample_real, log


def _against_reference(ctx, kind, target, hint):
    """Run train_step twice from the same seed, the reference's and the learner's: every number must agree."""
    ref_trainer, ref_sample, ref_log = _setup(kind)
    minigan.manual_seed(11)
    reference = ctx.reference(target)(ref_trainer, ref_sample)
    trainer, sample, log = _setup(kind)
    minigan.manual_seed(11)
    got = trainer.train_step(sample)
    check(isinstance(got, dict) and set(got) == set(reference), f"train_step returned {got!r}; expected a dict with "
          f"keys {sorted(reference)}", hint)
    for key in reference:
        close(f"train_step()[{key!r}] from the same seed as the reference", got[key], reference[key], hint, rtol=1e-4,
              atol=1e-6)
    close("the optimizer steps of one train_step, in order (1: D's, 2: G's)", [1 + (t == "G") for t, *_ in log],
          [1 + (t == "G") for t, *_ in ref_log], hint)
    for name, net, ref_net in (("G", trainer.G, ref_trainer.G), ("D", trainer.D, ref_trainer.D)):
        for (pname, p), q in zip(net.named_parameters(), ref_net.parameters()):
            close(f"{name}.{pname} after one train_step from the same seed as the reference", p, q, hint, rtol=1e-4,
                  atol=1e-6)
    return trainer, log


def _check_gradient_flow(log, hint, critic="D"):
    for tag, other_grads, _other_flags, _ in log:
        if tag == "D":
            check(all(g is None for g in other_grads), f"at the {critic} step G's parameters have gradients: the "
                  f"fakes were not detached", hint + " (G(z).detach() in the discriminator's loss)")
    g_entries = [entry for entry in log if entry[0] == "G"]
    check(len(g_entries) == 1, f"expected one generator step, got {len(g_entries)}", hint)
    check(not any(g_entries[0][2]), f"at the G step, {critic}'s parameters still require grad", hint +
          f" (freeze {critic} with `with frozen(D):`)")


class OneHotGenerator(nn.Module):
    """G(z) draws point k with probability q_k (bucketing z ~ N(0, 1) by quantiles), as a one-hot row."""

    def __init__(self, q):
        super().__init__()
        self.w = nn.Parameter(np.zeros(1, dtype=np.float32))
        self.edges = np.array([statistics.NormalDist().inv_cdf(c) for c in np.cumsum(q)[:-1]])
        self.k = len(q)

    def forward(self, z):
        k = (z.detach().numpy()[:, :1] > self.edges).sum(axis=1)
        return minigan.tensor(np.eye(self.k, dtype=np.float32)[k]) + 0.0 * self.w


def check_gan_train_step(ctx):
    from minigan.gans.gan import GAN
    hint = "for k steps: z, x; loss_d = BCE(D(x), 1) + BCE(D(G(z).detach()), 0); zero_grad, backward, step; then " \
           "z; with frozen(D): loss_g = generator_loss(D(G(z))) on a fresh forward"
    trainer, log = _against_reference(ctx, "gan", "minigan/gans/gan.py::GAN.train_step", hint)
    check([t for t, *_ in log] == ["D", "D", "G"], f"k = 2: expected D, D, G steps, got {[t for t, *_ in log]}", hint)
    _check_gradient_flow(log, hint)
    # The optimal discriminator: for G fixed, D*(x) = p_data(x) / (p_data(x) + p_g(x)) (Proposition 1).
    p, q = np.array([0.4, 0.3, 0.2, 0.1]), np.array([0.1, 0.2, 0.3, 0.4])
    data = np.random.default_rng(0)
    minigan.manual_seed(0)
    D = nn.Linear(4, 1, bias=False)
    D.weight.data = minigan.zeros(1, 4)
    G = OneHotGenerator(q)
    gan = GAN(G, D, minigan.optim.SGD(G.parameters(), lr=0.1), minigan.optim.SGD(D.parameters(), lr=2.0),
              latent_dim=1, batch_size=2048)
    eye = np.eye(4, dtype=np.float32)
    for _ in range(150):
        gan.train_step(lambda m: minigan.tensor(eye[data.choice(4, size=m, p=p)]))
    d = 1 / (1 + np.exp(-D.weight.detach().numpy().ravel()))
    close("D(x) on 4 points after 150 D steps with G fixed, p_data = [.4 .3 .2 .1], p_g = [.1 .2 .3 .4] "
          "(the optimal D is p_data/(p_data + p_g))", d, p / (p + q), hint, rtol=0, atol=0.04)


def check_wgan_clip(ctx):
    from minigan.gans.wgan import WGAN
    hint = "with no_grad(): for w in self.critic.parameters(): w.clamp_(-self.clip, self.clip)"
    wgan = WGAN.__new__(WGAN)
    wgan.D = nn.Linear(4, 3)
    wgan.clip = 0.05
    before = [p.detach().numpy().copy() for p in wgan.D.parameters()]
    wgan.clip_critic()
    for (name, p), b in zip(wgan.D.named_parameters(), before):
        close(f"critic.{name} after clip_critic() with c = 0.05", p, np.clip(b, -0.05, 0.05), hint)
        check(p.requires_grad and p.grad_fn is None and p.grad is None, f"critic.{name} after clip_critic() is not "
              "a leaf that requires grad with no .grad (the clipping was recorded)", hint)


def check_wgan_train_step(ctx):
    hint = "n_critic times: x, z; loss_c = −(mean f(x) − mean f(G(z).detach())); step; clip; then z and, with the " \
           "critic frozen, loss_g = −mean f(G(z))"
    trainer, log = _against_reference(ctx, "wgan", "minigan/gans/wgan.py::WGAN.train_step", hint)
    check([t for t, *_ in log] == ["D", "D", "D", "G"], f"n_critic = 3: expected 3 critic steps then one G step, got "
          f"{[t for t, *_ in log]}", hint)
    _check_gradient_flow(log, hint, "the critic")
    for i, (_tag, _, _, params) in enumerate(log[1:3], start=2):
        worst = max(float(np.abs(w).max()) for w in params)
        check(worst <= 0.05 + 1e-7, f"before critic step {i} a critic weight is {worst:.4g}, outside [−c, c] = "
              "[−0.05, 0.05]: clip after every critic step", hint)


def check_gradient_penalty(ctx):
    from minigan.gans.wgan_gp import gradient_penalty
    hint = "x̂ = (ε·x + (1 − ε)·x̃).detach().requires_grad_(True); (g,) = autograd.grad(D(x̂).sum(), x̂, " \
           "create_graph=True); norms over every axis but the first; λ·mean((norm − 1)²)"
    D = nn.Linear(3, 1, bias=False).double()
    D.weight.data = minigan.tensor([[2.0, -1.0, 0.5]], dtype="float64")
    real, fake = T(rn(5, 3), grad=False), T(rn(5, 3, seed=1))
    eps = minigan.tensor(rng(2).uniform(size=5))
    pen = gradient_penalty(D, real, fake, lam=10.0, eps=eps)
    w = np.array([2.0, -1.0, 0.5])
    norm = np.linalg.norm(w)
    close("penalty of a linear critic D(x) = w·x, w = [2, −1, 0.5], λ = 10", pen, 10 * (norm - 1) ** 2, hint)
    pen.backward()
    close("d penalty / d w for the linear critic (the gradient must reach the critic's weights)", D.weight.grad,
          (20 * (norm - 1) * w / norm).reshape(1, 3), hint + " (create_graph=True)")
    check(fake.grad is None, "the penalty sent a gradient to the fakes' generator; x̂ must be a fresh leaf", hint)

    class Quadratic(nn.Module):  # D(x) = a/2·‖x‖² per example: ∇ₓD = a·x, so ‖∇‖ = a·‖x̂‖
        def __init__(self):
            super().__init__()
            self.a = nn.Parameter(np.array([1.3]))

        def forward(self, x):
            return (x * x).reshape(x.shape[0], -1).sum(axis=1) * self.a * 0.5

    critic = Quadratic()
    real, fake = T(rn(4, 1, 2, 2), grad=False), T(0.2 * rn(4, 1, 2, 2, seed=1), grad=False)
    e = rng(3).uniform(size=4)
    pen = gradient_penalty(critic, real, fake, lam=2.0, eps=minigan.tensor(e))
    x_hat = e.reshape(4, 1, 1, 1) * real.detach().numpy() + (1 - e.reshape(4, 1, 1, 1)) * fake.detach().numpy()
    r = np.sqrt((x_hat**2).reshape(4, -1).sum(axis=1))
    close("penalty of D(x) = 1.3/2·‖x‖² on images (4, 1, 2, 2), per-example ε, λ = 2", pen,
          2 * np.mean((1.3 * r - 1) ** 2), hint + " (ε multiplies the REAL example; one norm per example)")
    pen.backward()
    close("d penalty / d a for D(x) = a/2·‖x‖²", critic.a.grad, [2 * np.mean(2 * (1.3 * r - 1) * r)], hint)


def check_wgangp_train_step(ctx):
    hint = "n_critic times: x; x̃ = G(z).detach(); loss_c = −(mean D(x) − mean D(x̃)) + gradient_penalty(D, x, x̃, " \
           "lam); step; then with D frozen loss_g = −mean D(G(z))"
    trainer, log = _against_reference(ctx, "wgan-gp", "minigan/gans/wgan_gp.py::WGANGP.train_step", hint)
    check([t for t, *_ in log] == ["D", "D", "D", "G"], f"n_critic = 3: expected 3 critic steps then one G step, got "
          f"{[t for t, *_ in log]}", hint)
    _check_gradient_flow(log, hint, "the critic")


def check_cgan_conditioning(ctx):
    from minigan.gans.models import _with_label
    hint = "F.cat([x, F.one_hot(labels, num_classes)], axis=1); x itself when num_classes is 0; " \
           "ValueError without labels"
    x = minigan.tensor(rn(4, 2).astype(np.float32), requires_grad=True)
    labels = np.array([0, 2, 1, 2])
    out = _with_label(x, labels, 3)
    close("_with_label(x (4, 2), labels [0, 2, 1, 2], 3)", out,
          np.concatenate([x.detach().numpy(), np.eye(3)[labels]], axis=1), hint, rtol=1e-6)
    out.sum().backward()
    close("x.grad through _with_label(...).sum()", x.grad, np.ones((4, 2)), hint)
    check(_with_label(x, None, 0) is x, "_with_label(x, None, 0) must return x itself (an unconditional net)", hint)
    raises("_with_label(x, None, 3) (a conditional net called without labels)", ValueError,
           lambda: _with_label(x, None, 3), hint)


def check_cgan_train_step(ctx):
    hint = "for k steps: z, y_fake = noise, random_labels; x, y = sample_real(m); D(x, y) real, " \
           "D(G(z, y_fake).detach(), y_fake) fake; then z, y_fake again and with D frozen G's loss on " \
           "D(G(z, y_fake), y_fake)"
    trainer, log = _against_reference(ctx, "cgan", "minigan/gans/cgan.py::CGAN.train_step", hint)
    _check_gradient_flow(log, hint)


# ============================================================================= 5. attacks
def _classifier(seed=0, classes=3, features=4, dropout=False):
    minigan.manual_seed(seed)
    layers = ([nn.Dropout(0.5)] if dropout else []) + [nn.Linear(features, classes)]
    return nn.Sequential(*layers).double()


def _ce_input_gradient(model, x, y):
    """∇ₓ Σ_i CE(Wx_i + b, y_i) = (softmax − onehot)·W, the closed form for a linear classifier."""
    lin = model[-1]
    W, b = lin.weight.detach().numpy(), lin.bias.detach().numpy()
    z = x @ W.T + b
    s = np.exp(z - z.max(axis=1, keepdims=True))
    s /= s.sum(axis=1, keepdims=True)
    return (s - np.eye(W.shape[0])[y]) @ W


def check_input_gradient(ctx):
    from minigan.attacks.fgsm import input_gradient
    hint = "x_leaf = from_numpy(x).requires_grad_(); model.eval(); with enable_grad(): " \
           "(g,) = autograd.grad(J, x_leaf); restore every module's training flag in a finally"
    model = _classifier(dropout=True)
    x, y = rng(1).uniform(size=(5, 4)), np.array([0, 1, 2, 1, 0])
    with minigan.no_grad():
        g = input_gradient(model, x, y)
    close("∇ₓJ for a linear classifier (dropout before it, in training mode), called inside no_grad()", g,
          _ce_input_gradient(model, x, y), hint + " (evaluation mode: dropout off)")
    check(model.training and model[0].training, "the model was left in evaluation mode", hint)
    check(all(p.grad is None for p in model.parameters()), "the attack filled a parameter's .grad", hint +
          " (autograd.grad, not backward)")
    g = input_gradient(model, x)
    z = x @ model[-1].weight.detach().numpy().T + model[-1].bias.detach().numpy()
    close("∇ₓJ with y None (the model's own predictions)", g, _ce_input_gradient(model, x, z.argmax(axis=1)), hint)


def check_fgsm(ctx):
    from minigan.attacks import fgsm
    hint = "x' = clip(x + ε·sign(∇ₓJ)) with ∇ₓJ from input_gradient; a Tensor with no graph"
    model = _classifier()
    x, y = rng(1).uniform(size=(6, 4)), np.array([0, 1, 2, 1, 0, 2])
    g = _ce_input_gradient(model, x, y)
    for eps, clip in ((0.1, (0.0, 1.0)), (0.3, None), (0.0, (0.0, 1.0)), (0.5, (0.2, 0.8))):
        adv = fgsm(model, x, y, eps=eps, clip=clip)
        expected = x + eps * np.sign(g)
        if clip is not None:
            expected = np.clip(expected, *clip)
        close(f"fgsm(x, eps={eps}, clip={clip}) for a linear classifier", adv, expected, hint)
        check(not adv.requires_grad, "fgsm returned a tensor that requires grad", hint)
    check(all(p.grad is None for p in model.parameters()), "fgsm filled a parameter's .grad", hint)
    raises("fgsm(eps=-0.1)", ValueError, lambda: fgsm(model, x, y, eps=-0.1), hint + " (check_eps at the door)")


def check_project(ctx):
    from minigan.attacks.iterative import project
    hint = "clip to [x − ε, x + ε], then (unless clip is None) to [low, high]"
    x = rng(1).uniform(size=(4, 5))
    far = x + 0.5 * rn(4, 5)
    for eps, clip in ((0.1, (0.0, 1.0)), (0.2, None), (0.05, (0.3, 0.7))):
        expected = np.clip(far, x - eps, x + eps)
        if clip is not None:
            expected = np.clip(expected, *clip)
        close(f"project(x_adv, x, eps={eps}, clip={clip})", project(far, x, eps, clip), expected, hint)
    x32 = x.astype(np.float32)
    check(project(far.astype(np.float32), x32, 0.1, (0.0, 1.0)).dtype == np.float32, "project changed float32 to "
          "another dtype", hint)


def check_sign_step(ctx):
    from minigan.attacks.iterative import _sign_step
    hint = "x_adv + α·sign(∇ₓJ(x_adv, y)), with −α when targeted"
    model = _classifier()
    x, y = rng(1).uniform(size=(5, 4)), np.array([0, 1, 2, 1, 0])
    g = _ce_input_gradient(model, x, y)
    for targeted in (False, True):
        got = _sign_step(model, x, y, 0.03, targeted, None, "sign_step")
        close(f"one sign step of α = 0.03, targeted={targeted}", got, x + (-0.03 if targeted else 0.03) * np.sign(g),
              hint)


def _two_class(seed=0):
    model = _classifier(seed, classes=2, features=6)
    return model, np.sign(model[-1].weight.detach().numpy()[1] - model[-1].weight.detach().numpy()[0])


def check_bim(ctx):
    from minigan.attacks import bim
    hint = "x' = x; steps times: x' = project(_sign_step(...), x, eps, clip); labels (or predictions on the clean x) " \
           "fixed once"
    model, d = _two_class()
    x = rng(1).uniform(0.3, 0.7, size=(4, 6))
    y = np.array([0, 0, 1, 1])
    direction = np.where(y[:, None] == 0, d, -d)  # up the loss of the true class: towards the other one
    got = bim(model, x, y, eps=0.1, step_size=0.04, steps=5, clip=(0.0, 1.0))
    close("bim on a linear 2-class model (the loss rises along a fixed direction: x' = x + ε·sign)", got,
          np.clip(x + 0.1 * direction, 0, 1), hint + " (project after every step)")
    got = bim(model, x, y, eps=0.1, step_size=0.1, steps=1, clip=None)
    close("bim with one step of α = ε is FGSM", got, x + 0.1 * direction, hint)
    z = x @ model[-1].weight.detach().numpy().T + model[-1].bias.detach().numpy()
    pred = z.argmax(axis=1)
    got = bim(model, x, eps=3.0, step_size=1.0, steps=6, clip=None)
    close("bim with y None and a large ε: the predictions on the CLEAN x stay the labels", got,
          x + 3.0 * np.where(pred[:, None] == 0, d, -d), hint + " (predicted_labels once, before the first step)")


def check_pgd(ctx):
    from minigan.attacks import pgd
    hint = "x⁰ = project(x + U(−ε, ε)) (backend.rand·2ε − ε) when random_start; then steps of project(_sign_step(...))"
    model, d = _two_class()
    x = rng(1).uniform(0.3, 0.7, size=(4, 6))
    y = np.array([0, 0, 1, 1])
    direction = np.where(y[:, None] == 0, d, -d)
    got = pgd(model, x, y, eps=0.1, step_size=0.05, steps=6, random_start=False, clip=(0.0, 1.0))
    close("pgd without random start on a linear 2-class model", got, np.clip(x + 0.1 * direction, 0, 1), hint)
    got = pgd(model, x, y, eps=0.1, step_size=0.05, steps=6, clip=(0.0, 1.0))
    close("pgd from a random start on a linear 2-class model (enough steps to reach the corner)", got,
          np.clip(x + 0.1 * direction, 0, 1), hint + " (project after every step)")
    big = np.full((400, 6), 0.5)
    minigan.manual_seed(4)
    start = pgd(model, big, np.zeros(400, dtype=np.int64), eps=0.2, step_size=0.0, steps=1,
                clip=None).detach().numpy() - big
    check(np.abs(start).max() <= 0.2 + 1e-9, f"pgd's random start left the ε-ball: max |δ| = {np.abs(start).max():.4g}"
          " > ε = 0.2", hint)
    check(abs(np.abs(start).mean() - 0.1) < 0.01 and abs(start.mean()) < 0.01, "pgd's random start with step_size 0: "
          f"expected δ uniform on [−ε, ε] (mean |δ| = ε/2 = 0.1, mean δ = 0), got mean |δ| = "
          f"{np.abs(start).mean():.4g}, mean δ = {start.mean():.4g}", hint)
    x3 = rng(2).uniform(size=(6, 4))
    model3 = _classifier(1)
    for kw in ({"restarts": 3}, {"restarts": 2, "targeted": True}):
        labels = np.array([0, 1, 2, 2, 1, 0])
        minigan.manual_seed(9)
        expected = ctx.reference("minigan/attacks/iterative.py::pgd")(model3, x3, labels, eps=0.2, step_size=0.05,
                                                                        steps=3, **kw)
        minigan.manual_seed(9)
        close(f"pgd(eps=0.2, steps=3, {kw}) from the same seed as the reference", pgd(model3, x3, labels, eps=0.2,
              step_size=0.05, steps=3, **kw), expected, hint + " (per example keep the restart with the highest loss, "
              "the lowest when targeted)")


def check_adversarial_loss(ctx):
    from minigan.attacks import fgsm
    from minigan.attacks.adversarial_training import adversarial_loss
    from minigan.attacks.fgsm import input_gradient
    hint = "x' = fgsm(model, x, y, eps, clip) (θ fixed); α·CE(model(x), y) + (1 − α)·CE(model(x'), y)"
    model = _classifier()
    x, y = rng(1).uniform(size=(6, 4)), np.array([0, 1, 2, 1, 0, 2])
    loss = adversarial_loss(model, x, y, eps=0.2, alpha=0.3)
    adv = fgsm(model, x, y, eps=0.2)
    expected = 0.3 * F.cross_entropy(model(minigan.tensor(x)), y) + 0.7 * F.cross_entropy(model(adv), y)
    close("adversarial_loss(eps=0.2, alpha=0.3)", loss, expected.item(), hint)
    loss.backward()
    grads = [p.grad.detach().numpy().copy() for p in model.parameters()]
    for p in model.parameters():
        p.grad = None
    expected.backward()
    for (name, p), g in zip(model.named_parameters(), grads):
        close(f"d adversarial_loss / d {name} (x' a constant)", g, p.grad, hint)
    eps = np.array([0.0, 0.1, 0.2, 0.3, 0.0, 0.5])
    loss = adversarial_loss(model, x, y, eps=eps, alpha=0.5)
    sign = np.sign(input_gradient(model, x, y).detach().numpy())
    adv = minigan.tensor(np.clip(x + eps[:, None] * sign, 0, 1))
    expected = 0.5 * F.cross_entropy(model(minigan.tensor(x)), y) + 0.5 * F.cross_entropy(model(adv), y)
    close("adversarial_loss with one ε per example", loss, expected.item(), hint)


def check_pgd_adversarial_loss(ctx):
    from minigan.attacks import pgd
    from minigan.attacks.adversarial_training import pgd_adversarial_loss
    hint = "x* = pgd(model, x, y, eps, ...); CE(model(x*), y), mixed as α·CE(model(x), y) + (1 − α)·CE(model(x*), y)"
    model = _classifier()
    x, y = rng(1).uniform(size=(6, 4)), np.array([0, 1, 2, 1, 0, 2])
    for alpha in (0.0, 0.4):
        minigan.manual_seed(5)
        loss = pgd_adversarial_loss(model, x, y, eps=0.2, step_size=0.05, steps=3, alpha=alpha)
        minigan.manual_seed(5)
        x_star = pgd(model, x, y, eps=0.2, step_size=0.05, steps=3)
        expected = (1 - alpha) * F.cross_entropy(model(x_star), y).item()
        if alpha:
            expected += alpha * F.cross_entropy(model(minigan.tensor(x)), y).item()
        close(f"pgd_adversarial_loss(eps=0.2, steps=3, alpha={alpha}) against PGD from the same seed", loss, expected,
              hint)
        loss.backward()
        check(model[-1].weight.grad is not None, "pgd_adversarial_loss(...).backward() gave the weights no gradient",
              hint)
        model.zero_grad()


# ============================================================================= features built on an exercise
# The library's tests of the documented features that rest on an exercise's function (tests/test_anomaly.py,
# test_inplace.py, test_graph.py, test_tensor_hooks.py, test_engine_semantics.py, test_lr_scheduler.py), in the
# form the grader runs on a workspace.  They run once the exercise's own properties hold, so a solution that
# passes its own checks but silently breaks a feature built on it fails, naming the feature.
def feature_anomaly_forward(ctx):
    hint = "Node.apply ends with the anomaly check: under detect_anomaly(), fn.check_forward(result)"
    x = T([0.0, 1.0])

    def log_of_zero():
        with minigan.detect_anomaly(), np.errstate(divide="ignore"):
            x.log()

    raises("x.log() of 0 inside detect_anomaly()", minigan.AnomalyError, log_of_zero, hint)
    with np.errstate(divide="ignore"):
        check(float(x.log().detach().numpy()[0]) == -np.inf, "x.log() of 0 outside detect_anomaly() is not -inf",
              hint)


def feature_views(ctx):
    hint = "Node.apply hands like._result the input a view op looks at (inputs[0] if cls.is_view else None): that " \
           "makes reshape, transpose and indexing views whose in-place changes reach their base and its history"
    x = T([[1.0, 2.0], [3.0, 4.0]])
    a = x * 1.0
    a.reshape(4).mul_(3.0)
    close("a after a.reshape(4).mul_(3) (reshape returns a view of a)", a, 3 * x.detach().numpy(), hint)
    a.sum().backward()
    close("x.grad for a = x·1; a.reshape(4).mul_(3); a.sum()", x.grad, np.full((2, 2), 3.0), hint)
    x = T([1.0, 2.0])
    a = x * 1.0
    a[0].mul_(x[1])  # a = [x0·x1, x1]
    a.sum().backward()
    close("x.grad for a = x·1; a[0].mul_(x[1]); a.sum() (a[0] is a view)", x.grad, [2.0, 2.0], hint)
    x = T([[1.0, 2.0], [3.0, 4.0]])
    a = x * 1.0
    col = a[:, 0]  # a view made before the change sees it
    a[0].mul_(3.0)
    (col * col).sum().backward()
    close("x.grad for col = a[:, 0]; a[0].mul_(3); sum(col²) (a view sees its base's later change)", x.grad,
          [[18.0, 0.0], [6.0, 0.0]], hint)


def feature_anomaly_backward(ctx):
    hint = "step 5 of the walk: under detect_anomaly() check each gradient a node's backward returns " \
           "(check_finite) and name the op"
    x = T([0.0, 1.0])

    def sqrt_at_zero():
        with minigan.detect_anomaly(), np.errstate(divide="ignore"):
            x.sqrt().sum().backward()

    raises("backward of sqrt at 0 inside detect_anomaly()", minigan.AnomalyError, sqrt_at_zero, hint)


def feature_hooks(ctx):
    hint = "step 2 of the walk: a node's output hooks (fn.hooks, run_hooks) replace its gradient before it goes " \
           "on or is retained; step 9: a leaf's hooks run once, on the whole gradient it got"
    x = T([1.0, 2.0])
    y = x * 2.0
    y.register_hook(lambda g: g * 3.0)
    (y * y).sum().backward()  # d/dy = 2y, the hook makes it 6y; d/dx = 12y = 24x
    close("x.grad for y = 2x with a hook g ↦ 3g on y, loss = sum(y²)", x.grad, 24 * x.detach().numpy(), hint)
    seen = []
    x = T([0.5, -1.0])
    y = x.sin()
    y.register_hook(lambda g: seen.append(g.detach().numpy().copy()))
    ((y * 2.0).sum() + (y * y).sum()).backward()
    check(len(seen) == 1, f"a hook on a tensor used twice ran {len(seen)} times; expected once, on the sum of both "
          "gradients", hint)
    close("the gradient a hook on y = sin(x) saw (y used twice)", seen[0], 2.0 + 2 * np.sin(x.detach().numpy()), hint)
    w = T([1.0, 2.0])
    w.register_hook(lambda g: g + 1.0)
    ((w * 3.0).sum() + (w * 2.0).sum()).backward()
    close("w.grad with a hook g ↦ g + 1 on the leaf w (used twice)", w.grad, [6.0, 6.0], hint + " (once, on the sum)")


def feature_retain_grad(ctx):
    hint = "step 3 of the walk: a node whose output asked for retain_grad() (fn.retained) keeps the gradient that " \
           "reached it, after its hooks"
    x = T([1.0, 2.0])
    a = x * 1.0
    a.retain_grad()
    a.mul_(3.0)
    (a * a).sum().backward()
    close("a.grad for a = x·1, a.retain_grad(), a.mul_(3), sum(a²) (the gradient of a's last value)", a.grad,
          2 * 3 * x.detach().numpy(), hint)
    x = T([1.0, -1.0])
    y = x * 2.0
    y.retain_grad()
    y.register_hook(lambda g: g * 10.0)
    y.sum().backward()
    close("y.grad with a hook g ↦ 10g registered on y (retain_grad keeps the hook's result)", y.grad, [10.0, 10.0],
          hint)


def feature_accumulation(ctx):
    hint = "_add_grad: .grad += g in the tensor's own dtype; retain_grad's _keep_grad sums through it too"
    x = minigan.tensor(np.array([1.0, 2.0], dtype=np.float32), requires_grad=True)
    (x * minigan.tensor(np.array([3.0, 4.0]))).sum().backward()
    check(x.grad.dtype == x.dtype, f"a float32 leaf times a float64 constant got a {x.grad.dtype} .grad, expected "
          f"{x.dtype}", hint)
    x = T([1.0, 2.0])
    y = x * 2.0
    y.retain_grad()
    loss = (y * y).sum()
    loss.backward(retain_graph=True)
    loss.backward()
    close("y.grad (retain_grad) after two backward() of sum(y²), y = 2x", y.grad, 2 * 2 * (2 * x.detach().numpy()),
          hint + " (a retained gradient sums over backward calls, as a leaf's)")
    p = T([1.0, -2.0])
    opt = minigan.optim.SGD([p], lr=0.5)
    (p * p).sum().backward()
    (p * 2.0).sum().backward()  # .grad = 2p + 2
    opt.step()
    close("p after SGD(lr=0.5).step() on the gradients of two backward calls (2p + 2)", p, [-1.0, -1.0], hint)
    opt.zero_grad()
    check(p.grad is None, "after zero_grad() p.grad is not None (PyTorch sets it to None)", hint)


def feature_autograd_grad(ctx):
    hint = "autograd.grad and backward(inputs=...) walk the pruned order: every node from which a target can be " \
           "reached, each once, producers after their consumers"
    x = T([1.0, 2.0])
    h = x.exp()
    y = (h * h).sum() + h.sum()
    gh, gx = autograd.grad(y, (h, x), retain_graph=True)
    hv = np.exp(x.detach().numpy())
    close("autograd.grad(sum(h²) + sum(h), (h, x)) for h = exp(x): d/dh", gh, 2 * hv + 1, hint)
    close("... d/dx", gx, (2 * hv + 1) * hv, hint)
    y.backward(inputs=[x])
    close("x.grad after y.backward(inputs=[x])", x.grad, (2 * hv + 1) * hv, hint)


def feature_schedulers(ctx):
    hint = "step() reads each group's lr from self.param_groups at every call (a scheduler changes it there)"
    p = T([1.0])
    opt = minigan.optim.SGD([p], lr=1.0)
    sched = minigan.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.1)
    for _ in range(2):
        opt.zero_grad()
        p.sum().backward()  # gradient 1
        opt.step()
        sched.step()
    close("p after two SGD steps of gradient 1 with StepLR(step_size=1, gamma=0.1) from lr 1", p, [1.0 - 1.0 - 0.1],
          hint)


FEATURES = {  # exercise name → ((feature, check(ctx)), ...): run once the exercise's own properties hold
    "node_apply": (("anomaly detection (detect_anomaly() in forward)", feature_anomaly_forward),
                   ("views (reshape, indexing: in-place changes reach the base)", feature_views)),
    "topological_order": (("tensor hooks", feature_hooks), ("autograd.grad and backward(inputs=...)",
                                                            feature_autograd_grad)),
    "backprop": (("anomaly detection (detect_anomaly() in backward)", feature_anomaly_backward),
                 ("tensor hooks (register_hook)", feature_hooks), ("retain_grad", feature_retain_grad),
                 ("autograd.grad and backward(inputs=...)", feature_autograd_grad)),
    "accumulate": (("gradient accumulation (dtype, retain_grad, optimizer steps)", feature_accumulation),
                   ("retain_grad", feature_retain_grad)),
    "prune": (("autograd.grad and backward(inputs=...)", feature_autograd_grad),),
    "optimizer_step": (("learning-rate schedulers", feature_schedulers),),
}
