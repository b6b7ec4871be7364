"""PyTorch's rules at the door of each loss and distance: one table, ``DOORS``, checked in one place, ``check``, before
any arithmetic, so that each loss's body holds its formula and nothing else.

A learner meets these refusals in PyTorch before any value, and meets them here as well:

* ``no_bool``: the loss subtracts or negates these arguments, and PyTorch's ``-`` refuses a bool tensor ("Subtraction,
  the `-` operator, with a bool tensor is not supported"): a RuntimeError (``DtypeError``).  minigan's own ``-``
  refuses it too; the door says so first, naming the loss, for the losses that convert their arguments before
  subtracting.
* ``not_differentiable``: PyTorch's kernel has no derivative for these (a class or element weight,
  soft_margin_loss's target).  With grad mode on, one that requires grad is refused ("not differentiable with
  respect to argument 'weight'"), a RuntimeError (``GraphError``), rather than given a gradient PyTorch never gives.
* ``same_ndim``: these must have the same number of dimensions, checked before they broadcast (margin_ranking_loss
  and triplet_margin_loss check it in PyTorch): a RuntimeError (``ShapeError``).

Where PyTorch runs the forward and refuses only at backward (huber_loss's kernel given a target of another dtype,
soft_margin_loss's given a bool target), ``refused_at_backward`` records the forward, and a backward that reaches it
raises with PyTorch's class; where it refuses only the second derivative (smooth_l1_loss's of a bool operand, whose
formula subtracts it), ``refused_at_second_order`` lets the first through.
"""

from __future__ import annotations

from typing import NamedTuple

from minigan.engine import backend, grad_mode
from minigan.engine.errors import DomainError, DtypeError, GraphError, IndexOutOfRange, ShapeError
from minigan.engine.graph import Node
from minigan.engine.tensor import Tensor


class Door(NamedTuple):
    no_bool: tuple = ()  # arguments the loss subtracts or negates
    not_differentiable: tuple = ()  # arguments PyTorch's kernel has no derivative for
    same_ndim: tuple = ()  # arguments that must have one number of dimensions


DOORS = {
    "l1_loss": Door(no_bool=("input", "target")),  # (mse_loss's and smooth_l1_loss's kernels take a bool operand)
    "mse_loss(weight=...)": Door(no_bool=("input", "target")),  # (the weighted form subtracts them)
    "margin_ranking_loss": Door(no_bool=("input1", "input2", "target"), same_ndim=("input1", "input2", "target")),
    "triplet_margin_loss": Door(no_bool=("anchor", "positive", "negative"),
                                same_ndim=("anchor", "positive", "negative")),
    "pairwise_distance": Door(no_bool=("x1", "x2")),
    "multilabel_soft_margin_loss": Door(no_bool=("target",)),
    "poisson_nll_loss(full=True)": Door(no_bool=("target",)),  # (Stirling's term subtracts the target)
    "soft_margin_loss": Door(not_differentiable=("target",)),
    "binary_cross_entropy": Door(not_differentiable=("weight",)),
    "binary_cross_entropy_with_logits": Door(no_bool=("pos_weight",), not_differentiable=("weight", "pos_weight")),
    "nll_loss": Door(not_differentiable=("weight",)),
    "cross_entropy": Door(not_differentiable=("weight",)),
}


def check(op, **arguments):
    """``op``'s row of ``DOORS`` checked against ``arguments`` (name=value): the Tensors among them (anything else is
    for the loss's own door to read, or refuse)."""
    door = DOORS[op]
    tensors = {name: value for name, value in arguments.items() if isinstance(value, Tensor)}
    if not tensors:  # (the common call: every optional argument left out)
        return
    for name in door.no_bool:
        if name in tensors and tensors[name].dtype.kind == "b":
            raise DtypeError(f"{op}: {name} is a bool tensor, and {op} subtracts it (PyTorch's `-` refuses bool); "
                             f"convert it first, e.g. {name}.float()")
    if grad_mode.is_grad_enabled():
        for name in door.not_differentiable:
            if name in tensors and tensors[name].requires_grad:
                raise GraphError(f"{op} is not differentiable with respect to {name} (nor is PyTorch's); pass "
                                 f"{name}.detach(), or compute it under minigan.no_grad()")
    ndims = {name: tensors[name].ndim for name in door.same_ndim if name in tensors}
    if len(set(ndims.values())) > 1:
        shapes = ", ".join(f"{name} {tuple(tensors[name].shape)}" for name in ndims)
        raise ShapeError(f"{op}: {', '.join(ndims)} must have the same number of dimensions, got {shapes}; "
                         "reshape or unsqueeze them to one number of dimensions")


class RefusedAtBackward(Node):
    """The identity on a loss whose backward PyTorch refuses: the forward's value passes, and a backward that
    reaches it raises ``error`` (PyTorch's class) with ``message``."""

    def forward(self, x, error, message):
        self.error, self.message = error, message
        return x.copy(order="K")  # (a result of its own, as every loss's, in the same layout)

    def backward(self, grad):  # no gradient: PyTorch's backward kernel refuses these operands
        raise self.error(self.message)


def refused_at_backward(loss, error, message):
    """``loss``, whose backward raises ``error(message)`` (when it requires grad; else ``loss`` itself)."""
    return RefusedAtBackward.apply(loss, error=error, message=message) if loss.requires_grad else loss


class RefusedAtSecondOrder(Node):
    """The identity on an operand of a loss that PyTorch differentiates once but not twice: the gradient it hands
    down is, when differentiable itself (``create_graph=True``), refused by a backward that reaches it."""

    def forward(self, x, error, message):
        self.error, self.message = error, message
        return x.copy(order="K")

    def backward(self, grad):  # d/dx x = 1: the gradient passes, and is refused from the second order on
        return (refused_at_backward(grad, self.error, self.message),)


def refused_at_second_order(x, error, message):
    """``x`` (an operand that requires grad; else ``x`` itself), whose gradient cannot be differentiated again."""
    return RefusedAtSecondOrder.apply(x, error=error, message=message) if x.requires_grad else x


# The checks every loss door shares: shapes, the reduction, probabilities, class labels.
REDUCTIONS = ("mean", "sum", "none")


def check_same_shape(op, x, t, names=("input", "target")):
    if x.shape != t.shape:
        raise ShapeError(
            f"{op}: {names[0]} has shape {tuple(x.shape)} but {names[1]} has shape {tuple(t.shape)}; they must be "
            "equal (reshape the target, e.g. target.reshape(input.shape), rather than relying on broadcasting)"
        )


def usual_pair(input, target, reduction, *optional) -> bool:
    """A loss's usual call: input and target floating tensors of one dtype and one shape, a reduction by its name,
    none of ``optional`` given.  Nothing of the door's forms, promotions, broadcasts and refusals applies to it."""
    return isinstance(input, Tensor) and isinstance(target, Tensor) and input.array.dtype.kind == "f" and (
        target.array.dtype == input.array.dtype and target.array.shape == input.array.shape and
        reduction in REDUCTIONS and all(o is None for o in optional))


def check_reduction(op, reduction):
    if reduction not in REDUCTIONS:
        raise DomainError(f"{op}: reduction must be one of {REDUCTIONS}, got {reduction!r}")


def check_probabilities(op, p):
    xp = backend.get_array_module(p)
    if p.size and not bool(((p >= 0) & (p <= 1)).all()):
        raise DomainError(
            f"{op}: input must hold probabilities in [0, 1], got values in [{float(xp.nanmin(p)):.4g}, "
            f"{float(xp.nanmax(p)):.4g}]{' and NaN' if bool(xp.isnan(p).any()) else ''}; "
            "for logits use binary_cross_entropy_with_logits"
        )


def check_labels(op, labels, num_classes, n_expected=None):
    """Labels must be an integer array of values in [0, num_classes)."""
    if not backend.is_integer(labels.dtype):
        raise DtypeError(f"{op}: labels must be an integer array, got dtype {labels.dtype}")
    if n_expected is not None and labels.shape != (n_expected,):
        raise ShapeError(f"{op}: expected labels of shape ({n_expected},) for {n_expected} rows, got {labels.shape}")
    if labels.size:
        lo, hi = int(labels.min()), int(labels.max())
        if lo < 0 or hi >= num_classes:
            bad = lo if lo < 0 else hi
            raise IndexOutOfRange(
                f"{op}: label {bad} is out of range for {num_classes} classes (expected 0..{num_classes - 1})"
            )
