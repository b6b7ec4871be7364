"""The hooks of autograd against PyTorch (tests/pytorch/sweep.py):

* what a hook returns, for every kind of hook minigan has: a tensor's gradient hook (a leaf's, a non-leaf's), a
  node's hook and prehook (of an op's node and of a Function's), a module's forward, forward-pre (also
  ``with_kwargs``), full backward and full backward-pre hooks.  Each returns a drawn value (numbers, strings, dicts,
  lists, tuples of the right and the wrong length, of tensors and of numbers, a tensor): the gradients reached are
  PyTorch's, or the refusal is PyTorch's class, in one line;
* a tensor's gradient hook: None (the gradient goes on), a Tensor of the gradient's shape and dtype (it goes on in
  the gradient's place), otherwise a RuntimeError, on a leaf and on an intermediate tensor, at first and second
  order; it sees the gradient with respect to its tensor and may replace it (a leaf's once a backward, before .grad;
  a non-leaf's before the gradient goes on, and before retain_grad keeps it); several run in the order registered;
  a handle removes one; autograd.grad and create_graph see them too; a hook registered before an in-place change
  sees the gradient of the old value;
* ``register_post_accumulate_grad_hook``: ``hook(leaf)`` after backward has added into ``.grad`` (the leaf's own
  gradient hooks before the sum, the post-accumulate ones after, in the order registered), after
  ``handle.remove()``, under ``backward(inputs=...)`` and ``autograd.grad`` (which accumulates nothing, so calls
  none), drawn programs; refused on a non-leaf, on a tensor that takes no gradient, for a hook that returns something;
* a node's hook (``y.grad_fn.register_hook``) sees PyTorch's grad_inputs: one entry per entry of next_functions, in
  PyTorch's order, where minigan's node holds an entry PyTorch's has not (the number of ``x ** 2``, ``2 ** x``,
  ``x.fill_(2)``) or lacks one (a convolution without bias); what it returns reaches the inputs as PyTorch's does;
  under create_graph it sees the gradients as PyTorch's node gives them (GRADIENT_ADJUSTMENTS), not before.

(The tensor hooks' torch-free tests: tests/engine/test_tensor_hooks.py.)
"""

from __future__ import annotations

import numpy as np
import pytest

from pytorch.sweep import close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _one_line(ours, theirs):
    return isinstance(ours, Exception) and "\n" in str(ours).strip() and "a refusal of more than one line"


def _close(t, rtol=1e-12, atol=1e-12):
    return None if t is None else close(t.detach().clone(), rtol, atol)


RETURNS = ["float", "int", "bool", "str", "dict", "list1", "tuple1", "tuple2", "tuple_float", "tensor", "list_float",
           "tuple_str", "none", "tuple_tensor_none", "tuple_none"]
KINDS = ["leaf", "non-leaf", "node", "node_pre", "function", "function_pre", "module_full_backward",
         "module_full_backward_pre", "module_forward", "module_forward_pre", "module_forward_pre_kwargs",
         "module_forward_kwargs"]


class Double:
    @staticmethod
    def forward(ctx, a):
        return a * 2

    @staticmethod
    def backward(ctx, g):
        return g * 2


def _returned(L, kind, name):
    """The input's gradient where every hook of ``kind`` returns the value ``name``."""
    t = L.full((2,), 5.0, dtype=L.float64)
    ret = {"float": 1.0, "int": 3, "bool": True, "str": "a", "dict": {}, "list1": [t], "tuple1": (t,),
           "tuple2": (t, t), "tuple_float": (1.0,), "tensor": t, "list_float": [2.0], "tuple_str": ("a",),
           "none": None, "tuple_tensor_none": (t, None), "tuple_none": (None,)}[name]
    x = L.ones(2, dtype=L.float64, requires_grad=True)
    if kind in ("leaf", "non-leaf"):
        y = x * 2
        (x if kind == "leaf" else y).register_hook(lambda g: ret)
        (y * 3).sum().backward()
        return x.grad
    if kind.startswith(("node", "function")):
        y = type("Double", (L.autograd.Function,), dict(vars(Double))).apply(x) if kind.startswith("function") \
            else x.exp()
        if kind.endswith("_pre"):
            y.grad_fn.register_prehook(lambda grad_outputs: ret)
        else:
            y.grad_fn.register_hook(lambda grad_inputs, grad_outputs: ret)
        (y * 3).sum().backward()
        return x.grad
    m = L.nn.Linear(2, 2).double()
    with L.no_grad():
        m.weight.copy_(L.tensor([[1.0, -2.0], [3.0, 0.5]], dtype=L.float64))
        m.bias.fill_(0.25)
    hook_kind = kind[len("module_"):]
    if hook_kind == "forward_pre_kwargs":
        m.register_forward_pre_hook(lambda mod, args, kwargs: ret, with_kwargs=True)
    elif hook_kind == "forward_kwargs":
        m.register_forward_hook(lambda mod, args, kwargs, out: ret, with_kwargs=True)
    else:
        getattr(m, f"register_{hook_kind}_hook")(lambda *args: ret)
    x = L.ones(1, 2, dtype=L.float64, requires_grad=True)
    out = m(x)
    if isinstance(out, L.Tensor):
        (out * 1).sum().backward()
    return x.grad


test_a_hooks_return_value_is_taken_or_refused_as_pytorchs = sweep(_returned, [
    (k, r) for k in KINDS for r in RETURNS
    if not (k == "module_forward_pre" and r == "list1")  # (a list reaches linear: its own door, not the hook's)
    and not (k == "module_full_backward_pre" and r == "tuple_none")], also=_one_line)  # (left: PyTorch then gives
# the input zeros and the weight no gradient; minigan gives neither a gradient)

GRADIENT_HOOK_RETURNS = {
    "None": lambda L, g: None,
    "scaled": lambda L, g: g * 3,
    "float64": lambda L, g: g.to(L.float64),
    "float32": lambda L, g: g.to(L.float32),
    "float16": lambda L, g: g.to(L.float16),
    "int64": lambda L, g: g.to(L.int64),
    "another shape": lambda L, g: g[:1],
    "broadcastable": lambda L, g: g.unsqueeze(0),
}


def _gradient_hook(L, dtype, returned, where, second_order):
    x = L.tensor([1.0, -2.0, 0.5], dtype=getattr(L, dtype), requires_grad=True)
    h = x * 2
    (x if where == "leaf" else h).register_hook(lambda g: GRADIENT_HOOK_RETURNS[returned](L, g))
    y = (h ** 2).sum()
    if second_order:
        return L.autograd.grad(y, x, create_graph=True)[0].detach()
    y.backward()
    return x.grad


test_a_gradient_hooks_return_as_pytorchs = sweep(_gradient_hook, [
    (dtype, returned, where, second_order) for dtype in ["float32", "float64"] for returned in GRADIENT_HOOK_RETURNS
    for where in ["leaf", "intermediate"] for second_order in [False, True]])


def _leaf_scaled(L, x, seen):
    x.register_hook(lambda g: g * 3)
    x.register_hook(lambda g: seen.append(_close(g)))  # sees the first hook's result
    return (x * x).sum(), [x]


def _non_leaf(L, x, seen):
    y = x.tanh()
    y.register_hook(lambda g: g + 1)
    y.retain_grad()
    return (y * y).sum() + y.sum(), [x, y]


def _removed(L, x, seen):
    handle = x.register_hook(lambda g: g * 100)
    handle.remove()
    with x.register_hook(lambda g: g * 100):
        pass  # removed at the end of the with block
    x.register_hook(lambda g: seen.append(_close(g)))
    return (x ** 3).sum(), [x]


def _before_in_place(L, x, seen):
    y = x * 2
    y.register_hook(lambda g: seen.append(_close(g)) or g * -1)  # on y's value before mul_
    y.mul_(3)
    return (y * y).sum(), [x]


def _view(L, x, seen):
    v = (x * 1)[0]
    v.register_hook(lambda g: g * 0.5)
    return v.exp().sum() + x.sum(), [x]


def _reused(L, x, seen):
    y = x.sin()
    y.register_hook(lambda g: seen.append(_close(g)))  # once, with both uses' gradients summed
    return (y * 2).sum() + (y * y).sum(), [x]


X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


def _hooked_backward(L, program):
    """The gradients the tensors end with, and what the hooks saw."""
    x, seen = L.tensor(X, requires_grad=True), []
    loss, tensors = program(L, x, seen)
    loss.backward()
    return [_close(t.grad) for t in tensors], seen


def _hooked_grad(L, create_graph):
    x = L.tensor(X, requires_grad=True)
    y = x * x
    y.register_hook(lambda g, y=y: g * y)  # under create_graph, the hook's own op is differentiated too
    x.register_hook(lambda g: g - 1)
    (g,) = L.autograd.grad(y.sum(), x, create_graph=create_graph)
    return _close(g), _close(L.autograd.grad(g.sum(), x)[0]) if create_graph else None


test_backward_with_hooks_matches_pytorch = sweep(_hooked_backward, [
    _leaf_scaled, _non_leaf, _removed, _before_in_place, _view, _reused], ids=lambda program: program.__name__[1:])
test_autograd_grad_and_second_order_see_the_hooks = sweep(_hooked_grad, [False, True])


def _post_accumulate(L, seed):
    """A drawn program: what every hook saw in which order, ``.grad`` and the leaf after each backward, the other
    leaf's gradient."""
    rng = np.random.default_rng(seed)
    dtype = getattr(L, ("float64", "float32")[seed % 2])
    shape = ((), (0,), (3,), (2, 3))[seed % 4]
    values = rng.normal(size=shape)
    w = L.nn.Parameter(L.tensor(values, dtype=dtype)) if seed % 3 == 0 else \
        L.tensor(values, dtype=dtype, requires_grad=True)
    other = L.tensor(rng.normal(size=shape), dtype=dtype, requires_grad=True)
    log, handles = [], []
    for k in range(1 + seed % 3):  # post-accumulate hooks, with a gradient hook among them
        handles.append(w.register_post_accumulate_grad_hook(
            lambda t, k=k: log.append(("post", k, t is w, _close(t.grad, 1e-5, 1e-6)))))
        if k == seed % 2:
            w.register_hook(lambda g: log.append(("grad", _close(g, 1e-5, 1e-6))))
    if seed % 4 == 1:  # the recipe: a step in the hook, then .grad cleared
        def step(t):
            with L.no_grad():
                t.sub_(0.1 * t.grad)
            t.grad = None
        w.register_post_accumulate_grad_hook(step)
    scale = float(rng.integers(1, 5))
    for n in range(3):
        loss = ((w * scale + other) ** 2).sum() * (n + 1)
        if n == 1 and seed % 5 == 0:
            loss.backward(inputs=[w])
        elif n == 1 and seed % 5 == 1:
            log.append(("autograd.grad", [_close(g, 1e-5, 1e-6) for g in L.autograd.grad(loss, [w, other])]))
        else:
            loss.backward()
        if n == 1 and handles:
            handles.pop(0).remove()
        log.append(("after", n, _close(w.grad, 1e-5, 1e-6), _close(w, 1e-5, 1e-6)))
    return log, _close(other.grad, 1e-5, 1e-6)


def _post_accumulate_refused(L, what):
    x = L.ones(2, dtype=L.float64, requires_grad=True)
    if what == "non-leaf":
        (x * 2).register_post_accumulate_grad_hook(lambda t: None)
    elif what == "view of a leaf":
        x[:1].register_post_accumulate_grad_hook(lambda t: None)
    elif what == "no grad":
        L.ones(2).register_post_accumulate_grad_hook(lambda t: None)
    else:  # a hook that returns something
        x.register_post_accumulate_grad_hook(lambda t: L.ones(2) if what == "a tensor" else what)
        (x * 2).sum().backward()


test_post_accumulate_grad_hooks_see_what_pytorchs_see = sweep(_post_accumulate, range(40))
test_post_accumulate_grad_hook_refuses_as_pytorchs = sweep(_post_accumulate_refused, [
    "non-leaf", "view of a leaf", "no grad", 1.0, "a", "a tensor"], also=_one_line)

RNG = np.random.default_rng(0)
LEAVES = [RNG.uniform(0.5, 1.5, (1, 2, 4, 4)), RNG.uniform(-1, 1, (3, 2, 3, 3)), RNG.uniform(-1, 1, 3),
          RNG.uniform(-1, 1, (2, 3, 3, 3))]  # x, w, b, wt
NODES = {  # (the output whose node gets the hook, from the leaves x, w, b, wt)
    "x ** 2": lambda L, x, w, b, wt: x ** 2,
    "x.pow(2.5)": lambda L, x, w, b, wt: x.pow(2.5),
    "2 ** x": lambda L, x, w, b, wt: 2 ** x,
    "x ** x": lambda L, x, w, b, wt: x ** x,
    "x.clone().fill_(2)": lambda L, x, w, b, wt: x.clone().fill_(2.0) * x,
    "x * 3": lambda L, x, w, b, wt: x * 3,
    "x + b": lambda L, x, w, b, wt: x + b[:1],
    "conv2d with bias": lambda L, x, w, b, wt: L.nn.functional.conv2d(x, w, b, padding=1),
    "conv2d without bias": lambda L, x, w, b, wt: L.nn.functional.conv2d(x, w, padding=1),
    "conv_transpose2d without bias": lambda L, x, w, b, wt: L.nn.functional.conv_transpose2d(x, wt),
    "conv_transpose2d with bias": lambda L, x, w, b, wt: L.nn.functional.conv_transpose2d(x, wt, b),
    # a node whose gradients, under create_graph, PyTorch's double backward reads from its operands
    "batch_norm": lambda L, x, w, b, wt: L.nn.functional.batch_norm(x, None, None, w[0, :, 0, 0], b[:2],
                                                                     training=True),
}


def _node_hook(L, name, scale):
    """The entries the hook saw (how many, which are None, their shapes), the node's next_functions' count, the
    leaves' gradients after it scaled them."""
    x, w, b, wt = (L.tensor(a, dtype=L.float64, requires_grad=True) for a in LEAVES)
    y = NODES[name](L, x, w, b, wt)
    node = y.grad_fn if name != "x.clone().fill_(2)" else y.grad_fn.next_functions[0][0]
    seen = []

    def hook(grad_inputs, grad_outputs):
        seen.append([None if g is None else tuple(g.shape) for g in grad_inputs])
        return tuple(None if g is None else g * scale for g in grad_inputs)

    node.register_hook(hook)
    y.sum().backward()
    return seen, len(node.next_functions), [_close(t.grad) for t in (x, w, b, wt)]


def _node_hook_under_create_graph(L, name, upstream):
    """What a node hook sees under create_graph (each gradient's requires_grad and shape), with an upstream of ones
    (``y.sum()``) or of 2·y (``(y ** 2).sum()``), and the weight's gradient after the hook doubled it."""
    x, w, b, wt = (L.tensor(a, dtype=L.float64, requires_grad=True) for a in LEAVES)
    x.requires_grad_(False)  # (a gradient that requires grad only because it reads the weight, as PyTorch's does)
    y = NODES[name](L, x, w, b, wt)
    seen = []

    def hook(grad_inputs, grad_outputs):
        seen.append([None if g is None else (g.requires_grad, tuple(g.shape)) for g in grad_inputs])
        return tuple(None if g is None else g * 2 for g in grad_inputs)

    y.grad_fn.register_hook(hook)
    (gw,) = L.autograd.grad(y.sum() if upstream == "ones" else (y ** 2).sum(), wt if name.startswith(
        "conv_transpose2d") else w, create_graph=True)
    return seen, gw.requires_grad, _close(gw, 1e-10)


test_a_node_hook_sees_and_returns_pytorchs_entries = sweep(_node_hook, [
    (name, scale) for name in NODES if name != "batch_norm" for scale in [3.0, 0.0]])
test_a_node_hook_under_create_graph_sees_pytorchs_gradients = sweep(_node_hook_under_create_graph, [
    (name, upstream) for name in ["conv2d with bias", "conv_transpose2d with bias", "batch_norm"]
    for upstream in ["ones", "2y"]])
