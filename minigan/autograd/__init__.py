"""Reverse-mode autodiff, as PyTorch's torch/autograd: ``grad`` and ``backward`` (this file), the graph's
nodes as a learner prints them (graph.py; the node and the walk are minigan/engine/graph.py and walk.py), grad
mode (minigan/engine/grad_mode.py) and ``Function`` for a user's own op (function.py).  ``grad`` gives
gradients as return values, of any order::

    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = (x ** 3).sum()
    (g,) = minigan.autograd.grad(y, x, create_graph=True)   # 3x², a Tensor with its own graph
    (h,) = minigan.autograd.grad(g.sum(), x)                # 6x: a gradient of a gradient

Unlike ``backward()``, ``grad`` leaves every ``.grad`` alone: it returns the gradients of
``outputs`` with respect to exactly the ``inputs`` asked for (leaves or not).
"""

from __future__ import annotations

import importlib
import sys
import warnings

from minigan.autograd import graph  # noqa: F401  (torch.autograd.graph: the nodes as a learner prints them)
from minigan.autograd.function import BackwardFunction, Function
from minigan.engine import backend, checks, grad_mode  # noqa: F401  (as torch.autograd.grad_mode)
from minigan.engine.errors import GraphError
from minigan.engine.grad_mode import (
    detect_anomaly,
    enable_grad,
    is_anomaly_enabled,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
)
from minigan.engine.walk import accumulate, backprop, backward_into, topological_order, walk_to
from minigan.surface import missing as _missing
from minigan.surface.tensor import Tensor


def _as_tuple(x, name, op="grad", empty=False):
    """A Tensor or a sequence of them (``empty``: none is taken) as a tuple; PyTorch's RuntimeError otherwise (its
    TypeError for something that is no sequence, which tuple() raises)."""
    items = (x,) if isinstance(x, Tensor) else tuple(x)
    if not (items or empty) or not all(isinstance(t, Tensor) for t in items):
        raise RuntimeError(f"{op}: {name} must be a Tensor or a non-empty sequence of Tensors")
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
            raise GraphError(f"{op}: output {i} (shape {tuple(t.shape)}) does not require grad, so it has no gradient")
        key, g = t._ctx or t, t._seed_gradient(g, op, create_graph)
        seeds[key] = seeds[key] + g if key in seeds else g
    return seeds


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, only_inputs=True,
         allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """The gradients of ``outputs`` (weighted by ``grad_outputs``) with respect to each of ``inputs``.

    Returns a tuple of Tensors, one per input.  ``create_graph=True`` records the backward pass so
    the result can be differentiated again (it then keeps the graph unless ``retain_graph=False``).
    An input that ``outputs`` does not depend on raises, unless ``allow_unused=True`` (then None), or
    ``materialize_grads=True`` (then zeros; allow_unused defaults to it, as in PyTorch).
    ``only_inputs`` is PyTorch's deprecated flag, accepted and ignored (it always was True).  With
    ``is_grads_batched=True`` each grad_output has a batch dimension first, and each result stacks one per slice.
    """
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    if materialize_grads and not allow_unused:
        raise ValueError("grad: materialize_grads=True needs allow_unused=True (or left out)")
    if is_grads_batched:
        return _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused,
                             materialize_grads)
    outputs, inputs = _as_tuple(outputs, "outputs"), _as_tuple(inputs, "inputs")
    seeds = _seeds("grad", outputs, grad_outputs, create_graph, "grad_outputs")
    checks.differentiable("grad", inputs)
    retain = create_graph if retain_graph is None else retain_graph
    result = []
    for i, (t, g) in enumerate(zip(inputs, walk_to(seeds, inputs, retain, create_graph))):
        if g is None and not allow_unused:
            raise GraphError(f"grad: input {i} (shape {tuple(t.shape)}) was not used to compute the outputs; "
                             "pass allow_unused=True to get None for it")
        if g is None and materialize_grads:
            g = backend.get_array_module(t.array).zeros_like(t.array)
        if g is not None and isinstance(g, backend.PLAIN_TYPES):
            g = t._new(backend.get_array_module(t.array).array(g, dtype=t.dtype))  # its own copy, t's dtype
        elif g is not None and g.dtype != t.dtype:
            g = g.astype(t.dtype)
        result.append(g)
    return tuple(result)


def _batched_grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused, materialize_grads):
    """grad(is_grads_batched=True): the first dimension of each grad_output is a batch, and each input's result
    stacks one vector-Jacobian product per slice (PyTorch vmaps over it; one backward a slice gives the same)."""
    outputs = _as_tuple(outputs, "outputs")
    if grad_outputs is None:
        raise ValueError("grad: is_grads_batched=True needs grad_outputs, each with a batch dimension first")
    grad_outputs = (grad_outputs,) if isinstance(grad_outputs, Tensor) else tuple(grad_outputs)
    if len(grad_outputs) != len(outputs) or any(g.ndim == 0 or g.shape[1:] != o.shape
                                                for g, o in zip(grad_outputs, outputs)):
        raise RuntimeError(f"grad: with is_grads_batched=True each grad_output is (batch, *its output's shape); got "
                           f"{[tuple(g.shape) for g in grad_outputs]} for outputs {[tuple(o.shape) for o in outputs]}")
    size, retain = grad_outputs[0].shape[0], create_graph if retain_graph is None else retain_graph
    rows = [grad(outputs, inputs, tuple(g[k] for g in grad_outputs), retain if k == size - 1 else True, create_graph,
                 allow_unused=allow_unused) for k in range(size)]
    from minigan.functional import stack  # (the surface's stack, which autograd's own module cannot import first)
    stacked = [None if row[0] is None else stack(list(row)) for row in zip(*rows)]
    # an unused input's materialized zeros are its own shape, without the batch, as PyTorch's
    return tuple(t.new_zeros(t.shape) if g is None and materialize_grads else g for g, t in zip(stacked, inputs))


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, grad_variables=None,
             inputs=None) -> None:
    """``backward`` of several outputs at once: their gradients are summed into every leaf's ``.grad``,
    or, given ``inputs``, only into those tensors' ``.grad`` (leaves or not), as in PyTorch.  (``grad_variables``
    is PyTorch's deprecated name of ``grad_tensors``.)"""
    if grad_variables is not None:
        warnings.warn("`grad_variables` is deprecated. Use `grad_tensors` instead.", FutureWarning, stacklevel=2)
        if grad_tensors is not None:
            raise GraphError("backward: grad_tensors and grad_variables (deprecated) were both given; give "
                             "grad_tensors only")
        grad_tensors = grad_variables
    tensors = _as_tuple(tensors, "tensors", "backward", empty=True)  # (no tensors: nothing to do, as PyTorch's)
    seeds = _seeds("backward", tensors, grad_tensors, create_graph, "grad_tensors")
    retain = create_graph if retain_graph is None else retain_graph
    if inputs is not None:  # only into these tensors' .grad
        return backward_into(seeds, checks.differentiable("backward", inputs), retain, create_graph)
    order = topological_order([k for k in seeds if not isinstance(k, Tensor)])
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


def Variable(tensor, requires_grad=False, volatile=None):  # noqa: N802 - PyTorch's legacy name
    """PyTorch's legacy wrapper: since PyTorch 0.4 a Variable *is* a Tensor, and ``Variable(t)`` returns a
    tensor sharing ``t``'s array, a new leaf that requires grad when asked to (as PyTorch's does)."""
    if volatile is not None:  # PyTorch's warning; the flag does nothing there either
        warnings.warn("volatile was removed and now has no effect. Use `with minigan.no_grad():` instead.",
                      UserWarning, stacklevel=2)
    if not isinstance(tensor, Tensor):
        raise TypeError(f"Variable: expected a Tensor, got {type(tensor).__name__} (use minigan.tensor(data))")
    leaf = tensor.data  # the same array, outside the graph
    return leaf.requires_grad_(True) if requires_grad else leaf


__all__ = ["grad", "backward", "hvp", "Variable", "Function", "BackwardFunction", "no_grad", "enable_grad",
           "set_grad_enabled", "is_grad_enabled", "detect_anomaly", "is_anomaly_enabled"]


class set_detect_anomaly:
    """``set_detect_anomaly(mode, check_nan=True)``: NaN hunting (detect_anomaly's check) on or off from the call on,
    as PyTorch's; used in a ``with``, the setting before it comes back after.  ``check_nan=False`` leaves the check as
    it was (PyTorch's then keeps forward tracebacks only, which minigan's errors always name)."""

    def __init__(self, mode: bool, check_nan: bool = True) -> None:
        self.prev = grad_mode._anomaly.enabled
        grad_mode._anomaly.enabled = bool(mode) and (bool(check_nan) or self.prev)

    def __enter__(self) -> None:
        self.quiet = backend.np.errstate(all="ignore")  # (as detect_anomaly: the check says it, NumPy need not)
        self.quiet.__enter__()

    def __exit__(self, *exc) -> None:
        grad_mode._anomaly.enabled = self.prev
        self.quiet.__exit__(*exc)


def __getattr__(name):  # a PyTorch name minigan lacks: one line saying what to use instead (surface/missing.py)
    if name == "functional":  # torch.autograd.functional: it stands on this package, so it is imported when asked
        return importlib.import_module("minigan.autograd.functional")
    if name in ("gradcheck", "gradgradcheck"):  # torch.autograd.gradcheck: PyTorch's signature on minigan's (which
        # stands on this package, so it is imported when asked)
        return getattr(importlib.import_module("minigan.finite_differences"), f"autograd_{name}")
    if name == "inference_mode":
        return importlib.import_module("minigan.toplevel").inference_mode
    raise _missing.attribute_error("torch.autograd", name, sys.modules[__name__])
