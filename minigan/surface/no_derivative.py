"""Ops PyTorch computes but does not differentiate: the forward runs, the backward that reaches them refuses.

PyTorch has no derivative for some of the ops it offers: ``floor_divide`` (a step, but PyTorch gives it no formula,
not even 0), ``bernoulli(x, p)``, ``histogram``, ``unique``, the in-place ``acosh_``/``asinh_``/``atanh_``, and the
backward of some ops (``hardsigmoid``'s, so its second order).  It still records them: the result requires grad when
an input does, and only a backward that reaches the op raises, naming it::

    x = minigan.tensor([3.5, -1.0], requires_grad=True)
    y = x // 2                  # runs: y = [1., -1.], y.requires_grad is True, y.grad_fn is NotImplemented
    (y * x).sum().backward()    # RuntimeError: floor_divide has no derivative ... (PyTorch: derivative for
                                # aten::floor_divide is not implemented)
    (y.detach() * x).sum().backward()   # fine: the quotient taken as a constant, as the learner means it

PyTorch refuses in two ways, and minigan raises the same classes:

* an op with no entry in its derivatives.yaml: ``RuntimeError: derivative for aten::floor_divide is not
  implemented`` (``GraphError`` here, a RuntimeError; its node is shown as ``torch::autograd::NotImplemented``);
* an entry whose formula is ``not_implemented("_unique2")``: ``NotImplementedError: the derivative for '_unique2' is
  not implemented.`` (``DerivativeNotImplemented`` here, a NotImplementedError, which is a RuntimeError too).

One node, ``NoDerivative``, does both: its forward hands back the value the op computed without a graph, and its
backward raises.  It also stands where PyTorch has a derivative but its formula refuses the call's operands at
backward: ``logaddexp(x, mask)`` subtracts the operands, and PyTorch's ``-`` refuses a bool tensor (``why``).
A student reads the op's math where it lives (``pointwise.floor_divide``) and its refusal here.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.errors import GraphError
from minigan.engine.graph import Node
from minigan.engine.tensor import Tensor
from minigan.surface.node_view import shown_as


class DerivativeNotImplemented(GraphError, NotImplementedError):
    """A backward reached an op whose derivative PyTorch declares not implemented (``not_implemented(...)`` in its
    derivatives.yaml): a NotImplementedError, as PyTorch raises, and so a RuntimeError too."""


class NoDerivative(Node):
    """The history of a result that has no derivative: forward gives back ``value`` (computed by the op itself, on
    arrays); the inputs are recorded only so that the result requires grad when one of them does, as PyTorch's."""

    def forward(self, *arrays, value, name, declared=False, why=None, error=GraphError):
        self.op, self.declared, self.why, self.error = name, declared, why, error  # (not self.name: a node's name()
        # is PyTorch's name)
        return value

    def backward(self, grad):  # no derivative: PyTorch has none for this op either (or refuses this call's: why)
        if self.why:
            raise self.error(f"{self.op}: {self.why}")
        if self.declared:
            raise DerivativeNotImplemented(
                f"{self.op} has no derivative (PyTorch: the derivative for '{self.op}' is not implemented); "
                "detach its result, or compute it under minigan.no_grad(), before a backward reaches it")
        raise GraphError(f"{self.op} has no derivative (PyTorch: derivative for aten::{self.op} is not "
                         "implemented); detach its result, or compute it under minigan.no_grad(), before a backward "
                         "reaches it")


def no_derivative(result, name, *inputs, declared=False, shown="torch::autograd::NotImplemented", why=None,
                  error=GraphError):
    """``result`` (a Tensor or an array the op computed) as a tensor whose history is a ``NoDerivative`` node over
    ``inputs`` (the op's operands; numbers among them are left out): it requires grad when a floating input does
    and grad mode is on; a backward through it raises, naming ``name``.  ``declared``: PyTorch declares the derivative
    not implemented (NotImplementedError) rather than having none (RuntimeError); ``shown``: the node's PyTorch name;
    ``why``: the op has a derivative, but PyTorch's formula refuses this call's operands (``error``, a RuntimeError
    or one PyTorch's refusal also is, saying why)."""
    value = result.array if isinstance(result, Tensor) else result
    tensors = [t for t in inputs if isinstance(t, Tensor)]
    if not any(t.requires_grad for t in tensors):  # nothing to record: a plain tensor of the value
        return Tensor._make(value)
    return shown_as(NoDerivative.apply(*tensors, value=value, name=name, declared=declared, why=why, error=error),
                    shown)


def renamed(result, name):
    """``result``, whose refusal names ``name`` (the in-place form of an op: PyTorch's ``aten::floor_divide_``)."""
    if isinstance(result._ctx, NoDerivative):
        result._ctx.op = name
    return result


class OnceDifferentiable(Node):
    """After the graph of an op PyTorch differentiates once (its backward, ``_cdist_backward``, declared not
    implemented): forward hands the op's value on; backward passes the gradient through at first order, and under
    create_graph passes it as a NoDerivative recorded over the op's inputs, so a second order through the op raises."""

    def forward(self, out, *inputs, name):
        self.op = name
        return out.copy()  # (its own memory: a later in-place change of the result leaves the op's saved values)

    def backward(self, grad):  # the identity (once); its own derivative is the one PyTorch does not have
        rest = (None,) * (len(self.inputs) - 1)
        if isinstance(grad, backend.PLAIN_TYPES):
            return (grad, *rest)
        return (no_derivative(grad.detach(), self.op, grad, *self.inputs[1:], declared=True), *rest)


def once_differentiable(out, op, shown, *inputs):
    """``out``, the result of an op composed of ops on ``inputs``, as PyTorch's one op ``shown`` whose backward ``op``
    has no derivative: differentiable once (OnceDifferentiable)."""
    return shown_as(OnceDifferentiable.apply(out, *inputs, name=op), shown)
