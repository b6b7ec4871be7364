"""Whole derivatives of a function, as PyTorch's ``torch.autograd.functional``: vector-Jacobian and
Jacobian-vector products, the Jacobian and the Hessian, built from ``autograd.grad`` alone.

Reverse mode gives one row of the Jacobian per backward: ``vjp(f, x, v)`` is vᵀJ in one pass, and ``jacobian``
runs one pass per output element (so it suits the small functions a lesson looks at).  A Jacobian-vector product
Jv needs forward mode, which minigan does not have; it comes from reverse mode twice (the "double vjp"): uᵀJ is
linear in u, so its gradient with respect to u, taken along v, is Jv.  The Hessian is the Jacobian of the gradient.

``inputs`` is a Tensor or a tuple of them, and each result has the same structure (per output, per input).  The
function sees copies of the inputs that require grad; its output is returned detached unless
``create_graph=True``, which also keeps every result differentiable.
"""

from __future__ import annotations

from minigan.autograd import grad
from minigan.engine.errors import GraphError
from minigan.engine.grad_mode import enable_grad
from minigan.functional import stack
from minigan.surface.tensor import Tensor


def _tuple(x, fn, name):
    """(the Tensors, whether a single Tensor was given): a Tensor or a tuple of them, as PyTorch's (a list is
    refused there too)."""
    single = isinstance(x, Tensor)
    items = (x,) if single else x if isinstance(x, tuple) else None
    if not items or not all(isinstance(t, Tensor) for t in items):
        raise TypeError(f"{fn}: {name} must be a Tensor or a tuple of Tensors")
    return items, single


def _prepared(inputs, create_graph):
    """What the function is given: each input with a graph of its own (continuing the input's when create_graph)."""
    return tuple(t.view_as(t) if create_graph and t.requires_grad else t.detach().requires_grad_(True)
                 for t in inputs)


def _call(func, inputs, fn):
    with enable_grad():
        outputs = func(*inputs)
    items, single = _tuple(outputs, fn, "the function's output")
    return items, single


def _grads(fn, outputs, inputs, weights, create_graph, strict):
    """Σ_k weights_k · d outputs_k / d inputs, one per input: zeros where an input is not used (unless strict)."""
    wanted = [(o, w) for o, w in zip(outputs, weights) if o.requires_grad]
    found = grad([o for o, _ in wanted], inputs, [w for _, w in wanted], retain_graph=True,
                 create_graph=create_graph, allow_unused=True) if wanted else (None,) * len(inputs)
    if strict and any(g is None for g in found):
        raise GraphError(f"{fn}: an output does not depend on an input (strict=True)")
    return tuple(t.new_zeros(t.shape) if g is None else g for g, t in zip(found, inputs))


def _finish(values, single, create_graph):
    values = tuple(v if create_graph else v.detach() for v in values)
    return values[0] if single else values


def _direction(v, like, fn, what):
    """The vector v of a product, one tensor per tensor of ``like`` (ones when v is left out, which only a
    one-element ``like`` allows), checked against their shapes."""
    if v is None:
        if len(like) != 1 or like[0].numel() != 1:
            raise RuntimeError(f"{fn}: v may be left out only when {what} is one Tensor of one element")
        v = (like[0].new_ones(like[0].shape),)
    v, _ = _tuple(v, fn, "v")
    if len(v) != len(like) or any(a.shape != b.shape for a, b in zip(v, like)):
        raise RuntimeError(f"{fn}: v must match the shapes of {what}, {[tuple(t.shape) for t in like]}, "
                           f"got {[tuple(t.shape) for t in v]}")
    return v


def _dot(terms):
    """Σ of the one-element tensors ``terms``: ⟨a, b⟩ over several tensors (None when there are none)."""
    total = terms[0] if terms else None
    for term in terms[1:]:
        total = total + term
    return total


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), vᵀJ): the gradient of ⟨func(inputs), v⟩ with respect to each input (v may be left out
    when the output has one element)."""
    inputs, single_in = _tuple(inputs, "vjp", "inputs")
    xs = _prepared(inputs, create_graph)
    outputs, single_out = _call(func, xs, "vjp")
    v = _direction(v, outputs, "vjp", "the function's output")
    products = _grads("vjp", outputs, xs, v, create_graph, strict)
    return _finish(outputs, single_out, create_graph), _finish(products, single_in, create_graph)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), Jv), by the double vjp: u ↦ uᵀJ is linear, and its gradient with respect to u along v is Jv."""
    inputs, single_in = _tuple(inputs, "jvp", "inputs")
    xs = _prepared(inputs, create_graph)
    outputs, single_out = _call(func, xs, "jvp")
    v = _direction(v, inputs, "jvp", "the inputs")
    us = tuple(o.new_zeros(o.shape).requires_grad_(True) for o in outputs)  # any u: uᵀJ is linear in it
    with enable_grad():
        transposed = _grads("jvp", outputs, xs, us, True, strict)  # uᵀJ, a graph in u
        dot = _dot([(t * w).sum() for t, w in zip(transposed, v) if t.requires_grad])  # ⟨uᵀJ, v⟩ = uᵀ(Jv)
    if dot is None:  # J = 0
        products = tuple(o.new_zeros(o.shape) for o in outputs)
    else:
        products = _grads("jvp", (dot,), us, (dot.new_ones(()),), create_graph, False)
    return _finish(outputs, single_out, create_graph), _finish(products, single_out, create_graph)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """d func(inputs) / d inputs: for one output and one input a Tensor of shape output.shape + input.shape (row
    by row, one backward per output element); for tuples, a tuple per output of a tuple per input."""
    if strategy not in ("forward-mode", "reverse-mode"):  # PyTorch's doors, in its order, with its classes
        raise AssertionError(f"jacobian: strategy must be 'forward-mode' or 'reverse-mode', got {strategy!r}")
    forward = strategy == "forward-mode"  # (minigan has no forward mode: the same Jacobian, by reverse mode)
    if forward and create_graph:
        raise NotImplementedError("jacobian: create_graph=True and strategy='forward-mode' are not supported "
                                  "together, as in PyTorch: set one of them back")
    if forward and strict:
        raise RuntimeError("jacobian: strict=True and strategy='forward-mode' are not supported together, as in "
                           "PyTorch: set strict=False")
    inputs, single_in = _tuple(inputs, "jacobian", "inputs")
    if forward and not vectorize:
        raise NotImplementedError("jacobian: strategy='forward-mode' needs vectorize=True, as PyTorch's")
    xs = _prepared(inputs, create_graph)
    outputs, single_out = _call(func, xs, "jacobian")
    if vectorize and strict:
        raise RuntimeError("jacobian: strict=True and vectorize=True are not supported together, as in PyTorch: "
                           "set one of them to False")
    blocks = []
    for o in outputs:
        rows = []  # per element of o: d o_i / d inputs
        flat = o.reshape(-1)
        for i in range(flat.numel()):
            rows.append(_grads("jacobian", (flat[i],), xs, (flat.new_ones(()),), create_graph, strict))
        per_input = []
        for k, x in enumerate(xs):
            stacked = stack([r[k] for r in rows]) if rows else x.new_zeros((0,) + tuple(x.shape))
            per_input.append(stacked.reshape(tuple(o.shape) + tuple(x.shape)))
        blocks.append(_finish(per_input, single_in, create_graph))
    return blocks[0] if single_out else tuple(blocks)


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """The Hessian of a function with a one-element output: the Jacobian of its gradient, of shape
    input.shape + input.shape (a tuple of tuples for several inputs)."""
    inputs, single_in = _tuple(inputs, "hessian", "inputs")

    def gradient(*xs):
        outputs, _ = _call(func, xs, "hessian")
        if len(outputs) != 1 or outputs[0].numel() != 1:
            raise RuntimeError("hessian: the function must return a Tensor with one element")
        found = _grads("hessian", outputs, xs, (outputs[0].new_ones(outputs[0].shape),), True, strict)
        return found[0] if single_in else found

    return jacobian(gradient, inputs[0] if single_in else inputs, create_graph, strict, vectorize,
                    outer_jacobian_strategy)


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), vᵀH): the gradient of ⟨∇func, v⟩, a second backward through the first."""
    return _vhp("vhp", func, inputs, v, create_graph, strict)


def _vhp(fn, func, inputs, v, create_graph, strict):
    """vhp, its errors naming ``fn`` (vhp or hvp, the function the user called)."""
    inputs, single_in = _tuple(inputs, fn, "inputs")
    xs = _prepared(inputs, True)
    outputs, _ = _call(func, xs, fn)
    if len(outputs) != 1 or outputs[0].numel() != 1:
        raise RuntimeError(f"{fn}: the function must return a Tensor with one element")
    v = _direction(v, inputs, fn, "the inputs")
    with enable_grad():
        first = _grads(fn, outputs, xs, (outputs[0].new_ones(outputs[0].shape),), True, strict)
        dot = _dot([(g * w).sum() for g, w in zip(first, v) if g.requires_grad])  # ⟨∇f, v⟩
    if dot is None:  # the gradient does not depend on the inputs: H = 0
        products = tuple(t.new_zeros(t.shape) for t in xs)
    else:
        products = _grads(fn, (dot,), xs, (dot.new_ones(()),), create_graph, strict)
    return _finish(outputs, True, create_graph), _finish(products, single_in, create_graph)


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """(func(inputs), Hv): equal to vᵀH, the Hessian of a twice-differentiable function being symmetric."""
    return _vhp("hvp", func, inputs, v, create_graph, strict)


__all__ = ["vjp", "jvp", "jacobian", "hessian", "vhp", "hvp"]
