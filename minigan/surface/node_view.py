"""The graph as a learner prints it: PyTorch's view of minigan's nodes (``torch.autograd.graph``'s, which
``minigan.autograd.graph`` hands on)::

    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = (w * 3).sum()
    y.grad_fn                                  # <SumBackward0 object at 0x...>
    y.grad_fn.next_functions                   # ((<MulBackward0 object at 0x...>, 0),)
    mul = y.grad_fn.next_functions[0][0]
    mul.next_functions                         # ((<AccumulateGrad object at 0x...>, 0), (None, 0))
    mul.next_functions[0][0].variable is w     # True

The engine's node (minigan/engine/graph.py) keeps, per input, its ``edges``: the node that produced the input, the
leaf Tensor itself, or None for a constant; the walk follows them and nothing here.  This module gives the same
nodes the names a PyTorch program reads:

* ``next_functions``: the edges as PyTorch's ``(node, output index)`` pairs: a leaf that requires grad appears as
  its ``AccumulateGrad`` node (``.variable`` is the leaf; the same object for the same leaf while one is held,
  ``next_functions == ()``), a constant as ``(None, 0)``, the output of a Function with several outputs as
  ``(the Function's node, i)``;
* ``name()`` and the repr: PyTorch's name of the node (``MulBackward0``), from ``NAMES`` and, where PyTorch names
  the call (``x[0]`` SelectBackward0, ``x[1:]`` SliceBackward0), ``BY_CALL``: the one home of these names
  (``tensor(..., grad_fn=<MulBackward0>)`` prints them too);
* ``metadata``: a dict of the node's own, kept as long as the node;
* ``register_prehook(hook)``: ``hook(grad_outputs)`` before the node's backward, may return new grad_outputs;
  ``register_hook(hook)``: ``hook(grad_inputs, grad_outputs)`` after it, may return new grad_inputs.

The classes keep minigan's names (``type(y.grad_fn).__name__`` is ``Mul`` where PyTorch's is ``MulBackward0``): the
lessons and exercises write ``class Mul(Node)`` with ``forward`` and ``backward`` side by side.  Where minigan's
graph has another structure than PyTorch's (a fused op, another decomposition, a number PyTorch takes as a Scalar
argument and minigan as a constant input), the names and entries show minigan's graph as it is: docs/pytorch.md
lists those ops.

How they reach the engine's class: this module sets them on it, as ``minigan/surface/tensor.py`` sets
``Tensor.plain`` (six attributes, listed at the end, declared in ``minigan.engine.SEAMS``), so that the engine stays
what the walk needs.  A node's hooks go in its ``node_hooks``, which the engine's walk runs around the node's own
backward (the node's gradients under create_graph read as PyTorch's first: GRADIENT_ADJUSTMENTS).  It lives with the
Tensor's surface, which imports it: ``print(y)`` shows ``grad_fn=<MulBackward0>`` whatever a program imported first.

A function minigan composes of several ops (``nll_loss``: a gather, a sum and a division) marks its result's node
with the name PyTorch's one op shows (``shown_as``); only the name changes, ``next_functions`` still shows
minigan's own steps.
"""

from __future__ import annotations

import functools
import weakref

from minigan.engine import backend
from minigan.engine.errors import GraphError
from minigan.engine.grad_mode import is_grad_enabled
from minigan.engine.graph import Node, RemovableHandle
from minigan.engine.tensor import Tensor

# PyTorch's name of each minigan node whose name is not simply its class name + "Backward0" (a function of the node
# where its edges tell), and where the call decides it, a function of what the node's forward kept.  Backward frees
# that, so a node keeps the name it first showed, and one first asked for after backward shows the commonest call's
# (NAMES): x.sum(1) prints SumBackward1 before backward and ever after, SumBackward0 if first printed after it.  Both
# by class name (a subclass keeps its base's), filled from the grad_fn and by_call columns of minigan/surface/ops.py.
NAMES = {}
BY_CALL = {}


SHOWN = weakref.WeakKeyDictionary()  # node -> the name it shows (a node dies with its graph, and its mark with it)


def shown_as(tensor, torch_name: str | None = None):
    """``tensor``, whose node shows PyTorch's ``torch_name`` (a tensor with no node is handed back unmarked); with no
    name, its row's, fixed now: where the call decides it (a row's by_call), read while forward's values are there."""
    node = getattr(tensor, "grad_fn", None)
    if node is not None:
        SHOWN[node] = torch_name if torch_name is not None else name(node)
    return tensor


def name(node) -> str:
    """PyTorch's name of the node: ``MulBackward0`` for minigan's ``Mul``; a user Function's is its class name +
    ``Backward``, as PyTorch names a custom Function's node."""
    function = getattr(node, "forward_cls", None)
    if function is not None:
        return f"{function.__name__}Backward"
    shown = SHOWN.get(node)
    if shown is None:
        kind = type(node).__name__
        known = BY_CALL.get(kind) if not node.freed else None
        if known is None:
            known = NAMES.get(kind, f"{kind}Backward0")
        shown = SHOWN[node] = known if isinstance(known, str) else known(node)
    return shown


class AccumulateGrad(Node):
    """PyTorch's node for a leaf that requires grad, as ``next_functions`` shows it: ``variable`` is the leaf.
    (minigan's walk keeps the leaf itself as the edge and accumulates into ``.grad`` after the walk.)"""

    _made = weakref.WeakValueDictionary()  # id(leaf) -> its AccumulateGrad, while someone holds it

    def __init__(self, variable):
        self.variable = variable

    @classmethod
    def of(cls, leaf):
        """The leaf's AccumulateGrad: the same object as long as one is held (PyTorch's is while the graph lives)."""
        node = cls._made.get(id(leaf))
        if node is None:
            node = cls._made[id(leaf)] = cls(leaf)  # (it holds the leaf, so the id stays the leaf's)
        return node

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def __repr__(self) -> str:
        return f"<AccumulateGrad object at {id(self):#x}>"

    def register_prehook(self, hook):
        raise TypeError("AccumulateGrad.register_prehook: use the leaf's own hook, variable.register_hook(hook), "
                        "which minigan runs on the leaf's whole gradient before it reaches .grad")

    register_hook = register_prehook


def next_functions(node) -> tuple:
    """PyTorch's view of ``node.edges``: per input, (its node, output index), (the leaf's AccumulateGrad, 0), or
    (None, 0) for a constant.  (The node of output i of a Function with several shows the Function's.)"""
    if getattr(node, "of_output", False):  # output i of a Function with several (minigan/autograd/function.py)
        node = node.edges[0]
    pairs = []
    for edge in node.edges:
        while getattr(edge, "see_through", False):  # a node PyTorch's graph does not have
            edge = edge.edges[0]  # (surface/reading.py's read_by_backward): its input's entry instead
        if edge is None:
            pairs.append((None, 0))
        elif not isinstance(edge, Node):
            pairs.append((AccumulateGrad.of(edge), 0))
        elif getattr(edge, "of_output", False):
            pairs.append((edge.edges[0], edge.index))  # output i of a Function with several: PyTorch's (fn, i)
        else:
            pairs.append((edge, 0))
    pairs = [(None, 0) if i is None else pairs[i] for i in entries(node)]
    kind = type(node).__name__
    if kind == "Linear" and _input_2d.setdefault(node, node.inputs is None or len(node.inputs[0].shape) == 2):
        # PyTorch's addmm(b, x, W.t()) for a 2-d input (asked first after backward, which frees the inputs: the common
        # 2-d call), the node's order kept once shown
        if pairs[1][0] is not None and node not in _transposed:
            _transposed[node] = TBackward(pairs[1])
        weight = pairs[1] if pairs[1][0] is None else (_transposed[node], 0)
        pairs = [pairs[2], pairs[0], weight] if len(pairs) == 3 else [pairs[0], weight]
    return tuple(pairs)


def entries(node) -> list:
    """PyTorch's entries of the node, in order, as indices of minigan's ``node.edges`` (None: an entry minigan's node
    has not): what next_functions shows and a node's hook sees.  (A 2-d Linear's addmm order is next_functions' own.)"""
    kind, found = type(node).__name__, list(range(len(node.edges)))
    if kind in ("Pow", "Fill") and None in node.edges:  # x ** 2, 2 ** x, x.fill_(2): PyTorch takes the number as
        found = [i for i in found if node.edges[i] is not None]  # a Scalar argument, with no entry
    if kind in ("Conv2d", "ConvTranspose2d") and len(found) == 2:  # no bias: PyTorch's entry for the missing one
        found.append(None)
    return found


class TBackward(Node):
    """The ``W.t()`` node PyTorch's linear makes for a 2-d input (minigan's Linear takes W as it is, in one node)."""

    def __init__(self, weight_pair):
        self.weight_pair = weight_pair

    @property
    def next_functions(self) -> tuple:
        return (self.weight_pair,)

    def name(self) -> str:
        return "TBackward0"

    def __repr__(self) -> str:
        return f"<TBackward0 object at {id(self):#x}>"


_transposed = weakref.WeakKeyDictionary()  # a Linear node -> its TBackward, the same one each time it is asked
_input_2d = weakref.WeakKeyDictionary()  # a Linear node -> was its input 2-d?


_metadata = weakref.WeakKeyDictionary()  # node -> its metadata dict (kept outside the node: free() clears it)


def metadata(node) -> dict:
    """A dict of the node's own, for a program's notes (PyTorch's ``grad_fn.metadata``)."""
    return _metadata.setdefault(node, {})


def register_prehook(node, hook) -> RemovableHandle:
    """Call ``hook(grad_outputs)`` (a tuple of one Tensor) each time the node's backward runs, before it; a tuple it
    returns goes on in place of grad_outputs.  As PyTorch's, after the output's own hooks and its retain_grad().  (The
    engine's walk runs it: the node's ``node_hooks``.)"""
    return RemovableHandle(_hooks(node)[0], functools.partial(_run_prehook, node, hook))


def register_hook(node, hook) -> RemovableHandle:
    """Call ``hook(grad_inputs, grad_outputs)`` after the node's backward (grad_inputs: per input, its gradient or
    None, as PyTorch's node gives them under create_graph: after graph.GRADIENT_ADJUSTMENTS); a tuple it returns goes
    on in place of grad_inputs."""
    return RemovableHandle(_hooks(node)[1], functools.partial(_run_post_hook, node, hook))


def _hooks(node) -> tuple:
    """The node's (prehooks, post-hooks): two dicts the engine's walk runs around the node's backward."""
    if node.node_hooks is None:
        node.node_hooks = ({}, {})
    return node.node_hooks


def _run_prehook(node, hook, grad):
    """A prehook on the gradient the walk hands the node (an array at first order: hooks see Tensors); what it returns
    goes on.  (None,) stops the gradient here, as PyTorch's, but a Function's backward gets zeros."""
    plain = not is_grad_enabled()  # (the walk's first order: arrays)
    changed = _returned(hook, hook((None if grad is None else _tensor(grad),)), 1)
    if changed is None:
        return grad
    if changed[0] is None and grad is not None and getattr(node, "forward_cls", None) is not None:
        zeros = backend.get_array_module(_array(grad)).zeros_like(_array(grad))
        return zeros if plain else Tensor._make(zeros)
    return changed[0].array if plain and changed[0] is not None else changed[0]


def _run_post_hook(node, hook, grads, grad):
    """A post-hook on the gradients the node hands its inputs: it sees PyTorch's entries (``entries``), and what it
    returns goes back to minigan's."""
    plain, shown = not is_grad_enabled(), entries(node)
    changed = _returned(hook, hook(tuple([None if i is None or grads[i] is None else _tensor(grads[i])
                                          for i in shown]), (_tensor(grad),)), len(shown))
    if changed is None:
        return grads
    grads = list(grads)
    for i, g in zip(shown, changed):
        if i is not None:
            grads[i] = g.array if plain and g is not None else g
    return tuple(grads)


def _returned(hook, changed, count):
    """What a node's hook returned, checked as PyTorch's: None, or a tuple of ``count`` gradients, each a Tensor or
    None (another object: TypeError; another count: RuntimeError)."""
    if changed is None:
        return None
    if not isinstance(changed, tuple):
        raise TypeError(f"a node's hook returned a {type(changed).__name__}: expected a tuple of gradients (or None)")
    if len(changed) != count:
        raise GraphError(f"hook {getattr(hook, '__name__', hook)!r} returned {len(changed)} values, but the node "
                         f"expects {count}: return a tuple of one gradient (or None) each")
    for g in changed:
        if g is not None and not isinstance(g, Tensor):
            raise TypeError(f"a node's hook returned a {type(g).__name__} among its gradients: expected a Tensor or "
                            "None")
    return changed


def _array(g):
    return g if isinstance(g, backend.PLAIN_TYPES) else g.array


def _tensor(g):
    return Tensor._make(g) if isinstance(g, backend.PLAIN_TYPES) else g


def node_repr(node) -> str:
    """``<MulBackward0 object at 0x...>``; a user Function's node as PyTorch's, with its module in front."""
    where = "minigan.autograd.function." if getattr(node, "forward_cls", None) is not None else ""
    return f"<{where}{node.name()} object at {id(node):#x}>"


# The engine's Node takes PyTorch's view from here (the walk reads none of them).
Node.next_functions = property(next_functions)
Node.name = name
Node.metadata = property(metadata)
Node.register_prehook = register_prehook
Node.register_hook = register_hook
Node.__repr__ = node_repr

