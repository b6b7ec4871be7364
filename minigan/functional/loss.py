"""The losses: cross-entropy and NLL, the binary ones, regression (MSE, L1, smooth L1, Huber), KL, the margin and
embedding losses, the Gaussian and Poisson NLLs; PyTorch's reductions, legacy ``size_average``/``reduce`` included.
"""

from __future__ import annotations

import math
import warnings

from minigan.engine import backend, checks, dtypes, grad_mode
from minigan.engine.errors import DimensionError, DomainError, DtypeError, IndexOutOfRange, ShapeError
from minigan.engine.graph import Node, namespace, value
from minigan.engine.ops import loss as LS
from minigan.engine.ops.activation import Sigmoid
from minigan.functional._common import _float, _floats, _number, _tensor, where
from minigan.functional.activation import _LogSigmoid, logsigmoid
from minigan.functional.cross_entropy_probabilities import cross_entropy_probabilities
from minigan.functional.distance import pairwise_distance
from minigan.functional.loss_doors import (
    check,
    check_labels,
    check_probabilities,
    check_reduction,
    check_same_shape,
    refused_at_backward,
    refused_at_second_order,
    usual_pair,
)
from minigan.surface import parity
from minigan.surface import pointwise as surface_pointwise
from minigan.surface.node_view import shown_as
from minigan.surface.operands import laid_out
from minigan.surface.reading import read_by_backward
from minigan.surface.saved import saves
from minigan.surface.tensor import Tensor


def _regression_target(target, x, op) -> Tensor:
    """A regression loss's target: integers are promoted to the input's float dtype, as PyTorch's type promotion does
    (mse_loss(pred, labels) with int64 labels)."""
    target = _tensor(target, op, "target")
    return target if backend.is_floating(target.dtype) else target.to(x.dtype)


def _float_beside(input, target, op) -> Tensor:
    """A regression loss's input: an integer one beside a floating target is taken in the target's dtype (PyTorch's
    promotion of the two); integers alone are refused, as there."""
    x = _tensor(input, op)
    if not backend.is_floating(x.dtype) and isinstance(target, Tensor) and backend.is_floating(target.dtype):
        return x.to(target.dtype)
    return _float(x, op)


def _labels(labels, op, like: Tensor):
    """Integer labels as an array on ``like``'s device (a Tensor, NumPy or CuPy array, or a list)."""
    if isinstance(labels, Tensor):
        labels = labels.array
    if isinstance(labels, (list, tuple)) or isinstance(labels, int):
        labels = backend.np.asarray(labels)
    if not backend.is_array(labels):
        raise TypeError(f"{op}: labels must be an integer Tensor or array, got {type(labels).__name__}")
    if backend.device_of(labels) != like.device.type:
        labels = backend.to_device(labels, like.device)
    if not backend.is_integer(labels.dtype):
        raise DtypeError(f"{op}: labels must be integers, got dtype {labels.dtype}")
    if labels.dtype not in (backend.np.int64, backend.np.uint8):  # (PyTorch's kernels read Long or Byte only)
        raise DtypeError(f"{op}: labels must be int64 (or uint8), got {labels.dtype}; convert them with "
                         "labels.long()")
    return labels.astype(backend.np.int64)


def _ignore_index(op, value) -> int:
    """``ignore_index`` is an int, as PyTorch's parser reads one (a NumPy integer or a 0-d integer tensor too); a
    float, a bool or None is a TypeError there."""
    if not checks.is_integer(value):
        raise TypeError(f"{op}: ignore_index must be an int (a class label), got {type(value).__name__} {value!r}")
    return int(value)


def _float_argument(op, name, value) -> float:
    """A float argument as PyTorch's parser reads one: a number, a bool (True is 1.0), or a 0-d tensor that does not
    require grad; anything else (None, a string, a tensor of more entries) is a TypeError."""
    if checks.is_number(value) or isinstance(value, bool) or \
            isinstance(value, Tensor) and value.ndim == 0 and not value.requires_grad:
        return float(value)
    raise TypeError(f"{op}: {name} must be a float, got {type(value).__name__} {value!r}")


def _legacy_reduction(op, reduction, size_average, reduce, names=("mean", "sum", "none"), old_mean=True):
    """Every loss's ``reduction``, checked at its door: one of ``names``, or PyTorch's deprecated ``size_average=`` /
    ``reduce=`` (still accepted there) as a ``reduction``: reduce=False is "none", size_average=False is "sum", else
    "mean"; given with them, ``reduction`` is ignored (as PyTorch).  PyTorch 0.4's "elementwise_mean" is "mean", with
    PyTorch's deprecation warning, in the losses whose PyTorch form takes it (``old_mean``); the rest refuse it."""
    if size_average is None and reduce is None:
        if reduction == "elementwise_mean" and old_mean:
            warnings.warn("reduction='elementwise_mean' is deprecated. Please use reduction='mean' instead.",
                          UserWarning, stacklevel=3)
            return "mean"
        if reduction not in names:
            raise DomainError(f"{op}: reduction must be one of {names}, got {reduction!r}")
        return reduction
    for name, flag in (("size_average", size_average), ("reduce", reduce)):
        if flag is not None and not isinstance(flag, bool):
            raise TypeError(f"{op}: {name} must be True, False or None, got {flag!r}")
    reduction = "none" if reduce is False else "sum" if size_average is False else "mean"
    warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{reduction}' instead.",
                  UserWarning, stacklevel=3)  # (PyTorch's, from its functional losses and its loss modules alike)
    return reduction


# ----------------------------------------------------------------------------- losses (mean by default)
def _weight(weight, op, like, name="weight"):
    """An optional per-element (or per-class) weight as a float tensor of like's dtype, or None."""
    if weight is None:
        return None
    if not isinstance(weight, Tensor):
        raise TypeError(f"{op}: {name} must be a Tensor or None, got {type(weight).__name__} (the reduction is "
                        "the keyword reduction=)")
    return weight.to(like.dtype)


def _class_weight(weight, op, input, same_dtype=True):
    """A per-class weight: one entry for each of input's classes (dimension 1), as PyTorch checks it; in the input's
    dtype where PyTorch's kernel takes it (class-index targets, ``same_dtype``)."""
    if same_dtype and isinstance(weight, Tensor) and weight.dtype != input.dtype:
        raise DtypeError(f"{op}: weight is {weight.dtype} but input is {input.dtype}; expected one dtype (convert the "
                         f"weight with weight.to({input.dtype}))")
    weight = _weight(weight, op, input)
    if weight is not None and (weight.ndim != 1 or weight.numel() != input.shape[1]):
        raise ShapeError(f"{op}: weight must have one entry for each of the {input.shape[1]} classes, got shape "
                         f"{tuple(weight.shape)}")
    return weight


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """−w·[p·t log σ(x) + (1−t) log(1−σ(x))] in the softplus form: exact for logits of ±1e4.  ``weight`` scales each
    element's loss; ``pos_weight`` p (one per class, the last dimension) the positive term: p > 1 counts the
    positives more (as PyTorch's, (1 − t)·x + (1 + (p − 1)·t)·softplus(−x))."""
    if usual_pair(input, target, reduction, weight, size_average, reduce, pos_weight):  # (a GAN's every step)
        return _in_dtype(LS.BCEWithLogits.apply(input, target, reduction=reduction), target)
    op = "binary_cross_entropy_with_logits"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    check_same_shape(op, _tensor(input, op, "logits"), _tensor(target, op, "target"))  # (sizes first: PyTorch's
    input, target = _float(input, op, "logits"), _float(target, op, "target")  # ValueError, before the dtypes)
    check_reduction(op, reduction)
    if weight is None and pos_weight is None:  # (a GAN's every step: no optional tensor to check or read)
        return _in_dtype(LS.BCEWithLogits.apply(input, target, reduction=reduction), target)
    check(op, weight=weight, pos_weight=pos_weight)
    weight, pos_weight = _weight(weight, op, input), _weight(pos_weight, op, input, "pos_weight")
    _into_shape(op, input.shape, weight=weight, pos_weight=pos_weight)
    if pos_weight is None:
        loss = LS.BCEWithLogits.apply(input, target, reduction="none")
    else:
        loss = _BCEWithLogitsPositive.apply(input, target, pos_weight)
    return _in_dtype(LS.apply_reduction(loss if weight is None else loss * weight, reduction), target)


class _BCEWithLogitsPositive(Node):
    """(1 − t)·x + (1 + (p − 1)·t)·softplus(−x), each element's loss with a pos_weight p, as PyTorch's one node:
    its gradients are PyTorch's formulas, read from the saved x, t and p when backward runs (a write through .data
    is seen): in x, (p·t + 1 − t)·σ(x) − p·t; in t, log σ(−x) − p·log σ(x); p has none (PyTorch refuses one)."""

    def forward(self, x, t, p):
        self.save_for_backward(x, t, p)
        xp = backend.get_array_module(x)
        softplus = xp.maximum(-x, 0) + xp.log1p(xp.exp(-xp.abs(x)))  # softplus(−x) = −log σ(x), stable
        return backend.c_order((1 - t) * x + ((p - 1) * t + 1) * softplus)

    def backward(self, grad):  # d/dx = (p·t + 1 − t)·σ(x) − p·t;  d/dt = log σ(−x) − p·log σ(x)
        (x, t, p), (gx, gt, _) = self.saved_tensors, self.needs_input_grad
        pt = p * t
        return (grad * ((pt + 1 - t) * Sigmoid.apply(x) - pt) if gx else None,
                grad * (_LogSigmoid.apply(-x) - _LogSigmoid.apply(x) * p) if gt else None, None)


def _into_shape(op, shape, **operands):
    """PyTorch multiplies these into the loss in place (``loss.mul_(weight)``): each must broadcast to the loss's
    ``shape`` without growing it."""
    for name, t in operands.items():
        if t is not None and backend.broadcast_shapes(tuple(shape), tuple(t.shape)) != shape:
            raise ShapeError(f"{op}: {name} of shape {tuple(t.shape)} does not broadcast to the loss's shape "
                             f"{tuple(shape)}; give it that shape or one that broadcasts to it")


def _in_dtype(loss, target):
    """The loss in target's dtype: PyTorch writes it into 1 − target (the arrays' dtypes compared: no Python call)."""
    return loss if loss.array.dtype == target.array.dtype else loss.to(target.dtype)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """−w·[t log p + (1−t) log(1−p)] for probabilities p ∈ [0, 1] (logs clamped at −100); ``weight`` scales each
    element's loss."""
    op = "binary_cross_entropy"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    check_same_shape(op, _tensor(input, op), _tensor(target, op, "target"))  # (sizes first, as PyTorch's)
    input, target = _float(input, op, "input"), _float(target, op, "target")
    check_reduction(op, reduction)
    check(op, weight=weight)
    if input.dtype != target.dtype:  # (PyTorch's kernel takes one dtype)
        raise DtypeError(f"{op}: input is {input.dtype} but target is {target.dtype}; expected one dtype (convert the "
                         f"target with target.to({input.dtype}))")
    check_probabilities(op, input.array)
    if target.numel() and not bool(((target.array >= 0) & (target.array <= 1)).all()):  # (NaN too, as PyTorch's)
        raise DomainError(f"{op}: target must hold probabilities in [0, 1] (PyTorch refuses others too), got values "
                          "outside it or NaN; clamp the target, or use soft labels in [0, 1]")
    weight = _weight(weight, op, input)
    _into_shape(op, input.shape, weight=weight)
    if weight is None:
        return LS.BCE.apply(input, target, reduction=reduction)
    return LS.apply_reduction(LS.BCE.apply(input, target, reduction="none") * weight, reduction)


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0):
    """Softmax cross-entropy of logits (N, C) against integer class target (N,), or against class probabilities
    (N, C).  As PyTorch's: ``weight`` per class (a weighted mean over the target' weights), ``ignore_index`` (a
    label that counts for nothing), ``label_smoothing`` ε (the target (1 − ε)·one-hot + ε/C).  Logits (N, C, d₁, …)
    with target (N, d₁, …) give a loss per position; logits (C,) with one label, one loss."""
    op = "cross_entropy"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    ignore_index, label_smoothing = _ignore_index(op, ignore_index), _float_argument(op, "label_smoothing",
                                                                                     label_smoothing)
    input = _tensor(input, op, "logits")
    if input.ndim == 0:  # (PyTorch's log_softmax over dim 1 finds no dim 1, before it reads the dtype)
        raise DimensionError(f"{op}: expected logits of shape (N, C), (N, C, d1, ...) or (C,), got a 0-d tensor")
    if isinstance(target, Tensor) and target.dtype.kind == "f" and target.shape == input.shape:  # probabilities
        return _probabilities(op, _float(input, op, "logits"), target, weight, reduction, label_smoothing)
    if input.numel() == 0:  # (an empty log_softmax has no entry whose dtype it refuses: the sizes come first)
        _check_batch(op, input, target)
    input = _float(input, op, "logits")
    check_reduction(op, reduction)
    if label_smoothing > 1:  # (PyTorch's first check, with samples or none)
        raise DomainError(f"{op}: label_smoothing must be in [0, 1] (one ≤ 0 is none, as PyTorch takes it), got "
                          f"{label_smoothing!r}")
    if input.ndim > 1 and input.shape[0] == 0 and getattr(target, "shape", None) != input.shape:  # no samples
        check(op, weight=weight)  # (PyTorch's nll_loss refuses a weight that requires grad with no samples too)
        if input.ndim == 2 or label_smoothing > 0 or not isinstance(weight, Tensor) or weight.numel() != input.shape[1]:
            _class_weight(weight, op, input)  # (PyTorch still checks the weight: its shape, or for (N, C, d...)
            # scores without smoothing nll_loss2d's count of entries)
        return _no_samples(input, reduction, label_smoothing)  # against labels (an integer target of the scores'
    # shape is read as probabilities, and refused below, as PyTorch's)
    if input.ndim != 2:  # per position (or one sample): the same loss over a batch of rows (M, C)
        return _per_position(cross_entropy, op, input, target, reduction, weight=weight, ignore_index=ignore_index,
                             label_smoothing=label_smoothing)
    label_smoothing = label_smoothing if label_smoothing > 0 else 0.0  # (≤ 0 or NaN: none, as PyTorch's)
    check(op, weight=weight)
    soft = isinstance(target, Tensor) and target.dtype.kind == "f"  # class probabilities, not target
    weight = _class_weight(weight, op, input, same_dtype=not soft)
    if not soft and weight is None and not label_smoothing:
        y = _labels(target, op, input)
        if not bool((y == ignore_index).any()):  # the fused op, when no label is ignored
            check_labels(op, y, input.shape[1], input.shape[0])  # (a copy of the logits to the node: PyTorch's
            # saves its log_softmax, not them, so a change to them in place later is not refused)
            return LS.CrossEntropy.apply(input.clone() if input.requires_grad else input, labels=y, reduction=reduction)
    log_p, classes = input.log_softmax(1), input.shape[1]
    per_class = log_p if weight is None else log_p * weight  # w_c · log p_c
    if soft:
        return cross_entropy_probabilities(op, input, target, weight, reduction, label_smoothing)
    nll, kept, counted = _nll_parts(log_p, target, weight, ignore_index, op)
    loss = nll if not label_smoothing else \
        nll * (1 - label_smoothing) - (per_class.sum(1) * (label_smoothing / classes)).masked_fill(
            Tensor._make(kept == 0), 0)  # (an ignored sample's row left out, as in _nll_parts)
    loss = LS.apply_reduction(loss, reduction) if reduction != "mean" else _kept_mean(loss, counted)
    return saves(loss, weight)  # (PyTorch's nll_loss saves the class weight; its input is log_softmax's result)


def _no_samples(input, reduction, label_smoothing):
    """cross_entropy of no samples against labels, as PyTorch's: 'none' an empty loss, 'sum' 0 (NaN with label
    smoothing over no classes, whose ε / C is ∞), 'mean' NaN (nothing to divide by); no kernel runs, so nothing
    reads the labels or leaks NumPy's empty-reduction error."""
    if reduction == "none":
        return input.sum(1) * 0.0
    total = input.sum() * 0.0  # (0 that is in the graph: its gradient is the empty input's)
    return total + math.nan if reduction == "mean" or label_smoothing > 0 and input.shape[1] == 0 else total


def _probabilities(op, input, target, weight, reduction, label_smoothing):
    """cross_entropy against class probabilities, its arguments checked in PyTorch's order."""
    check_reduction(op, reduction)
    if label_smoothing > 1:
        raise DomainError(f"{op}: label_smoothing must be in [0, 1] (one ≤ 0 is none, as PyTorch takes it), got "
                          f"{label_smoothing!r}")  # (no door's check: PyTorch composes this loss of differentiable
    # ops, so a weight that requires grad gets a gradient, where its nll_loss against labels has none)
    weight = _class_weight(weight, op, input if input.ndim > 1 else input.unsqueeze(0), same_dtype=False)
    return cross_entropy_probabilities(op, input, target, weight, reduction,
                                       label_smoothing if label_smoothing > 0 else 0.0)


def _check_batch(op, scores, labels):
    """PyTorch's first checks of scores and labels (nll_loss_nd's), before their dtypes: scores of one or more
    dimensions; a batch of scores and one label for each; one sample's scores (C,) and one label."""
    labels = _tensor(labels, op, "target")
    if scores.ndim == 0:
        raise ShapeError(f"{op}: expected input of 1 or more dimensions (the classes last, or second), got a 0-d "
                         "tensor")
    if scores.ndim == 1 and labels.ndim == 1 and labels.shape[0] != 1:
        raise ShapeError(f"{op}: the scores of one sample, shape {tuple(scores.shape)}, take one label, got "
                         f"{labels.shape[0]}")
    if scores.ndim > 1 and (labels.ndim == 0 or labels.shape[0] != scores.shape[0]):
        raise ShapeError(f"{op}: expected a label for each of the {scores.shape[0]} samples (target of shape "
                         f"({scores.shape[0]}, ...)), got target of shape {tuple(labels.shape)}")


def _kept_mean(loss, counted):
    """The mean over the kept labels' weights, as PyTorch's.  When they sum to 0 the mean is NaN (PyTorch's nll part
    is 0/0, and label smoothing's x/0 is added to it), and so is the gradient of each sample kept (PyTorch's
    −w_y / total_weight); an ignored sample's stays 0, its term having been left out by a masked_fill (so with every
    label ignored the gradient is 0, as PyTorch's)."""
    total = float(counted.sum())
    if total:
        return loss.sum() / total
    with backend.np.errstate(invalid="ignore", divide="ignore"):  # (0/0 is NaN without NumPy's warning, as PyTorch's)
        return loss.sum() * 0.0 / total  # (0·Σ/0: NaN forward, and 0·(1/0) = NaN back to each term)


def _per_position(loss_fn, op, scores, labels, reduction, **options):
    """A classification loss of scores (N, C, d₁, …) as the loss of the rows (N·d₁·…, C), one per position (the
    class axis moved last), or of (C,) as one row; reduction 'none' gives the losses back in (N, d₁, …) (or ())."""
    soft = isinstance(labels, Tensor) and labels.dtype.kind == "f"  # class probabilities
    if op == "cross_entropy" and not soft and isinstance(labels, Tensor) and labels.shape == scores.shape:
        raise DtypeError(f"cross_entropy: a target of the scores' shape {tuple(scores.shape)} holds class "
                         f"probabilities, which must be floating point, got {labels.dtype}; give target.float()")
    refused = None
    if scores.ndim == 1:
        rows, shape = scores.unsqueeze(0), ()
        if soft:
            check_same_shape(op, scores, labels)
            labels = labels.unsqueeze(0)
        else:
            y = _labels(labels, op, scores)
            if y.ndim != 0 and tuple(y.shape) != (1,):
                raise DimensionError(f"{op}: the scores of one sample, shape {tuple(scores.shape)}, take one label "
                                     f"(a 0-d tensor), got labels of shape {tuple(y.shape)}")
            if y.ndim != 0 and scores.shape[0] != 1:  # (a label of shape (1,): PyTorch's forward takes it, and
                # its backward refuses it with a size mismatch)
                refused = (f"{op}: the scores of one sample, shape {tuple(scores.shape)}, take one label as a 0-d "
                           f"tensor, got labels of shape {tuple(y.shape)}; give target[0]")
            labels = y.reshape(1)
    elif scores.ndim > 2:
        weight = options.get("weight")  # (PyTorch's per-position kernel reads any weight of C entries)
        if isinstance(weight, Tensor) and weight.ndim > 1 and weight.numel() == scores.shape[1]:
            options["weight"] = weight.reshape(-1)
        rows, shape = scores.movedim(1, -1).reshape(-1, scores.shape[1]), (scores.shape[0],) + scores.shape[2:]
        if soft:
            check_same_shape(op, scores, labels)
            labels = labels.movedim(1, -1).reshape(-1, scores.shape[1])
        else:
            y = _labels(labels, op, scores)
            if isinstance(labels, Tensor) and labels.dtype == backend.np.uint8:  # (PyTorch's kernel for positions
                raise DtypeError(f"{op}: labels per position must be int64, got uint8; convert them with "  # reads
                                 "labels.long()")  # Long only)
            if tuple(y.shape) != shape:
                raise ShapeError(f"{op}: expected labels of shape {shape} for input {tuple(scores.shape)}, got "
                                 f"{tuple(y.shape)}")
            labels = y.reshape(-1)
    else:
        raise DimensionError(f"{op}: expected input of shape (N, C), (N, C, d1, ...) or (C,), got "
                             f"{tuple(scores.shape)}")
    loss = loss_fn(rows, labels, reduction=reduction, **options)
    loss = loss.reshape(shape) if reduction == "none" else loss
    return loss if refused is None else refused_at_backward(loss, ShapeError, refused)


def _nll_parts(log_p, labels, weight, ignore_index, op):
    """(−w_y · log p[i, y_i] per sample; the mask of the labels kept (1, or 0 at ignore_index); each sample's weight
    w_y in a mean (0 where ignored)), the labels checked against the classes."""
    y = _labels(labels, op, log_p)
    if y.ndim != 1 or y.shape[0] != log_p.shape[0]:
        raise ShapeError(f"{op}: expected labels of shape ({log_p.shape[0]},), got {tuple(y.shape)}")
    classes, valid = log_p.shape[1], y != ignore_index
    if bool((valid & ((y < 0) | (y >= classes))).any()):
        bad = int(y[valid & ((y < 0) | (y >= classes))][0])
        raise IndexOutOfRange(f"{op}: label {bad} is out of range for {classes} classes")
    xp = backend.get_array_module(y)
    index = xp.where(valid, y, 0)  # (an ignored label read as class 0: its weight is zeroed by the mask)
    kept = valid.astype(log_p.dtype)
    counted = kept if weight is None else weight.array[index] * kept  # (their sum: PyTorch's total_weight)
    picked = -log_p[xp.arange(log_p.shape[0]), index]
    picked = picked * kept if weight is None else _ClassWeighted.apply(picked, weight, index=index, kept=kept)
    return picked.masked_fill(Tensor._make(~valid), 0), kept, counted  # (an ignored sample's row is left out, not
    # multiplied by 0: its NaN or ∞ stays out)


class _ClassWeighted(Node):
    """v·w[index]·kept: each sample's term times its label's class weight (0 where the label is ignored).  The weight
    is read when backward runs, as PyTorch's nll_loss_backward reads it (a write through .data is seen); it has no
    gradient of its own (PyTorch refuses one)."""

    def forward(self, v, w, index, kept):
        self.index, self.kept = index, kept
        self.save_for_backward(w)
        return v * (w[index] * kept)

    def backward(self, grad):  # d/dv = w[index]·kept
        (w,) = self.saved_tensors
        return grad * (value(w)[self.index] * self.kept), None


def _broadcast_pair(op, x, y):
    """A regression loss's input and target, broadcast when their shapes differ, with PyTorch's warning (a
    (N, 1) output against an (N,) target becomes (N, N) and is almost always a mistake)."""
    if x.shape == y.shape:
        return x, y
    checks.check_broadcast(op, x, y)
    warnings.warn(f"{op}: Using a target size ({y.shape}) that is different to the input size ({x.shape}). This will "
                  "likely lead to incorrect results due to broadcasting. Please ensure they have the same size.",
                  UserWarning, stacklevel=3)
    shape = backend.broadcast_shapes(x.shape, y.shape)
    return x.expand(*shape), y.expand(*shape)


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    if usual_pair(input, target, reduction, size_average, reduce, weight):
        return LS.MSE.apply(input, target, reduction=reduction)
    reduction = _legacy_reduction("mse_loss", reduction, size_average, reduce)
    if weight is not None:
        def squares():
            return _difference("mse_loss", input, target, "mse_loss(weight=...)") ** 2

        return _weighted("mse_loss", squares, input, target, weight, reduction)
    input = _float_beside(input, target, "mse_loss")
    input, target = _broadcast_pair("mse_loss", input, _regression_target(target, input, "mse_loss"))
    check_reduction("mse_loss", reduction)
    return LS.MSE.apply(input, target, reduction=reduction)


def _difference(op, input, target, door):
    """input − target as PyTorch's l1_loss and weighted mse_loss compose it: broadcast, the operands as given
    (integers too, promoted by ``-``), after ``door``'s row of the table."""
    check(door, input=input, target=target)
    x, t = _broadcast_pair(op, _tensor(input, op), _tensor(target, op, "target"))
    return x - t


def _weighted(op, unweighted, input, target, weight, reduction, mean_over_weights=True):
    """The weighted form of l1_loss, mse_loss and huber_loss (PyTorch's ``weight=``, one weight per element of the
    input): w·ℓ with ℓ = unweighted() the loss of each element, reduced; 'mean' is Σ w·ℓ / Σ w for l1 and mse, and
    the plain mean of w·ℓ for huber, as PyTorch's.  The weight's size is checked once the operands are known to
    broadcast, before anything else is (PyTorch's order)."""
    x, t = _tensor(input, op), _tensor(target, op, "target")
    checks.check_broadcast(op, x, t)
    check_reduction(op, reduction)
    weight = _tensor(weight, op, "weight")
    if weight.shape != x.shape:  # (the input's own size, before it met the target's, as PyTorch checks it)
        raise ValueError(f"{op}: weight must have the input's size {tuple(x.shape)}, got {tuple(weight.shape)}")
    weighted = unweighted() * weight
    if reduction == "mean" and mean_over_weights:
        return weighted.sum() / weight.sum()
    return LS.apply_reduction(weighted, reduction)


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of log-probabilities (N, C) (e.g. log_softmax output) at labels (N,):
    ℓ_i = −w_{y_i}·log_probs[i, y_i], the mean taken over the kept labels' weights.  nll_loss(log_softmax(x, 1), y)
    equals cross_entropy(x, y)."""
    op = "nll_loss"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    ignore_index = _ignore_index(op, ignore_index)
    _check_batch(op, _tensor(input, op), target)  # (the sizes first, then the dtype: PyTorch's order)
    input = _float(input, op)
    check_reduction(op, reduction)
    if input.ndim != 2:  # per position (N, C, d₁, …), or one sample (C,)
        loss = _per_position(nll_loss, op, input, target, reduction, weight=weight, ignore_index=ignore_index)
        return saves(loss, input)  # (PyTorch's node saves its input, and the weight: see below)
    check(op, weight=weight)
    read = read_by_backward(input)  # (PyTorch's nll_loss_backward reads the input: see read_by_backward)
    nll, _, counted = _nll_parts(read, target, _class_weight(weight, op, input), ignore_index, op)
    loss = _kept_mean(nll, counted) if reduction == "mean" else LS.apply_reduction(nll, reduction)
    return shown_as(saves(loss, input, weight), "NllLossBackward0")  # (PyTorch's node saves input and weight)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error |x − y| (reduced by ``reduction``; ``weight``: one weight per element).  PyTorch composes
    it, |input − target| reduced, so integers give an integer loss (whose mean it refuses)."""
    op = "l1_loss"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    if weight is not None:
        return _weighted(op, lambda: _difference(op, input, target, op).abs(), input, target, weight, reduction)
    check_reduction(op, reduction)
    loss = _difference(op, input, target, op).abs()
    if reduction == "mean" and not backend.is_floating(loss.dtype):  # (PyTorch's mean() takes no integers)
        raise DtypeError(f"{op}: integer input and target give an integer loss, whose mean PyTorch refuses; give "
                         "floating ones (input.float()), or reduction='sum'")
    return LS.apply_reduction(loss, reduction)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """½d²/β where |d| < β, else |d| − ½β, with d = input − target (Girshick 2015, Fast R-CNN); β = 0 is L1."""
    reduction = _legacy_reduction("smooth_l1_loss", reduction, size_average, reduce)
    op = "smooth_l1_loss"
    beta = _number(op, "beta", beta)
    if beta == 0:  # (PyTorch's smooth_l1_loss is then its l1_loss: a bool operand refused, integers summed)
        return shown_as(l1_loss(input, target, reduction=reduction), "SmoothL1LossBackward0")
    x = _float_beside(input, target, op)
    x, y = _broadcast_pair(op, x, _regression_target(target, x, op))
    check_reduction(op, reduction)
    if any(isinstance(t, Tensor) and t.dtype.kind == "b" for t in (input, target)):
        x, y = (refused_at_second_order(t, DtypeError, f"{op}: its second derivative subtracts the bool operand "
                                        "(PyTorch's `-` refuses bool); convert it with .float() first") for t in (x, y))
    if not beta >= 0:  # (NaN too, as PyTorch's)
        raise DomainError(f"{op}: beta must be >= 0, got {beta}")
    loss = laid_out(_Huber.apply(x, y, kink=beta, smooth=True), x, y)  # (one kernel's layout)
    loss = saves(LS.apply_reduction(loss, reduction), input, target)  # (PyTorch's node saves both)
    return shown_as(loss, "SmoothL1LossBackward0")


class _Huber(Node):
    """Huber's loss of each difference d = x − y: ½d² where |d| < δ, else δ(|d| − ½δ) (NaN at a NaN d); with
    ``smooth``, smooth_l1_loss's, Huber's over β = δ: ½d²/β, else |d| − ½β.  Its derivative is PyTorch's
    huber_loss_backward (smooth_l1_loss_backward), by pieces, so an infinite d's is ±δ (±1); d is taken again from
    the saved x and y when backward runs, as PyTorch's node reads them (a write through .data is seen)."""

    def forward(self, x, y, kink, smooth):
        self.kink, self.smooth = kink, smooth
        self.save_for_backward(x, y)
        d = x - y
        xp, z = backend.get_array_module(d), backend.get_array_module(d).abs(d)
        with backend.np.errstate(invalid="ignore", over="ignore"):  # (the branch not chosen may be ∞ − ∞)
            if smooth:
                return xp.where(z < kink, 0.5 * z * z / kink, z - 0.5 * kink)
            return xp.where(z < kink, 0.5 * z * z, kink * (z - 0.5 * kink))

    def backward(self, grad):  # dℓ/dd = −δ for d ≤ −δ, δ for d ≥ δ, d between (NaN at NaN); smooth: −1, 1, d/β
        x, y = self.saved_tensors  # (dℓ/dx = ℓ'(x − y), dℓ/dy = ℓ'(y − x) = −ℓ'(x − y): ℓ' is odd)
        g = _HuberBackward.apply(grad, x - y, kink=self.kink, smooth=self.smooth)
        return g, -g if self.needs_input_grad[1] else None


class _HuberBackward(Node):
    """grad·dℓ/dd, differentiated as PyTorch's huber_loss_double_backward (smooth_l1's): in grad, the same map; in
    d, grad times the mask |d| < δ (over β for smooth_l1), a product, so 0 at a NaN or infinite d."""

    def forward(self, grad, d, kink, smooth):
        self.kink, self.smooth = kink, smooth
        self.save_for_backward(grad, d)
        xp, outer = backend.get_array_module(d), 1.0 if smooth else kink
        inner = d * grad / kink if smooth else d * grad
        return xp.where(d <= -kink, -outer * grad, xp.where(d >= kink, outer * grad, inner))

    def backward(self, gg):  # d/dgrad = the same map of gg;  d/dd = gg·grad·[|d| < δ] (over β for smooth_l1)
        grad, d = self.saved_tensors
        inside = (backend.get_array_module(value(d)).abs(value(d)) < self.kink).astype(value(d).dtype)
        return (_HuberBackward.apply(gg, d, kink=self.kink, smooth=self.smooth),
                gg * grad * (inside / self.kink if self.smooth else inside))


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """Huber (1964): ½d² where |d| < δ, else δ(|d| − ½δ), with d = input − target (δ · smooth_l1_loss with β = δ, for a
    finite δ; δ = ∞ is ½d²).  As PyTorch's kernel: in the input's dtype (an integer input is refused, as the floating
    loss cannot be written into it), and a backward refused when the target's dtype is another."""
    op = "huber_loss"
    reduction = _legacy_reduction(op, reduction, None, None)
    delta = _number(op, "delta", delta)
    if not delta > 0:  # (NaN too, as PyTorch's)
        raise DomainError(f"{op}: delta must be > 0, got {delta}")
    if weight is not None:
        return _weighted(op, lambda: huber_loss(input, target, reduction="none", delta=delta), input, target, weight,
                         reduction, mean_over_weights=False)
    x = _float(input, op)
    x, y = _broadcast_pair(op, x, _tensor(target, op, "target"))
    t = dtypes.result_type(x, y)  # (a bool or integer target is promoted, as PyTorch's kernel reads it)
    loss = _Huber.apply(x.to(t), y.to(t), kink=delta, smooth=False)
    loss = laid_out(LS.apply_reduction(loss, reduction), x) if reduction == "none" else \
        LS.apply_reduction(loss, reduction)  # (PyTorch's is written into empty_like(input), broadcast)
    if y.dtype != x.dtype:
        loss = refused_at_backward(loss, DtypeError, f"{op}: the backward needs input and target of one dtype, got "
                                   f"{x.dtype} and {y.dtype} (as PyTorch's); convert the target with "
                                   f"target.to({x.dtype})")
    loss = saves(loss if loss.dtype == x.dtype else loss.to(x.dtype), input, target)  # (PyTorch's node saves both)
    return shown_as(loss, "HuberLossBackward0")


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Σ target·(log target − input), input being log-probabilities (PyTorch's argument order); "batchmean"
    divides the sum by the batch size (the true KL divergence per sample; "mean" divides by every element)."""
    if size_average is None and reduce is None and reduction == "mean":  # (PyTorch's warning, and its text)
        warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                      "'batchmean' divides only by the batch size, and aligns with the KL div math definition."
                      "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
                      UserWarning, stacklevel=2)
    reduction = _legacy_reduction("kl_div", reduction, size_average, reduce, ("mean", "sum", "none", "batchmean"))
    op = "kl_div"
    x, t = _float(input, op), _float(target, op, "target")
    checks.check_broadcast(op, x, t)  # (broadcast, as PyTorch's pointwise ops do)
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"{op}: reduction must be 'mean', 'sum', 'none' or 'batchmean', got {reduction!r}")
    if log_target:
        pointwise = t.exp() * (t - x)
    else:
        with backend.np.errstate(invalid="ignore"):  # (0·log 0 = 0; NaN for a negative or NaN target, as PyTorch's)
            pointwise = surface_pointwise.xlogy(t, t) - t * x
    if reduction == "batchmean":
        return pointwise.sum() / x.shape[0] if x.ndim else pointwise.sum()
    return LS.apply_reduction(pointwise, reduction)


class _SoftMargin(Node):
    """log(1 + z), z = e^(−x·y), for each x (y broadcast to x), reduced: PyTorch's kernel, one node as PyTorch's is.
    −x·y is written into x's dtype (−x first, whose layout it keeps), the rest computed in that dtype, ∞ where z
    overflows.  Its derivative is PyTorch's soft_margin_loss_backward, a node of its own (_SoftMarginBackward), as
    PyTorch's is: composed from exp and log1p, the second derivative would be y²·(1/(1 + z) − z/(1 + z)²), two terms
    that cancel, the second rounding to 0 alone where (1 + z)² overflows (y² where PyTorch's is 0)."""

    def forward(self, x, y, reduction):
        self.save_for_backward(x, y)
        xp = backend.get_array_module(x)
        with backend.np.errstate(over="ignore"):  # (e^u overflows to ∞, as PyTorch's, silently)
            neg = -x  # (laid out as NumPy lays out −x: row-major where x is broadcast)
            u = parity.pointwise_layout(neg * y, neg, y)
            loss = xp.log1p(xp.exp(u if u.dtype == x.dtype else u.astype(x.dtype)))
        self.reduction, self.norm = reduction, 1.0 / max(loss.size, 1) if reduction == "mean" else 1.0
        if reduction == "none":
            return loss
        if reduction == "sum":
            return loss.sum()
        return loss.mean() if loss.size else loss.sum() + loss.dtype.type("nan")  # (the mean of nothing: NaN, as
        # PyTorch's, without NumPy's warning)

    def backward(self, grad):  # dℓ/dx = −y·z/(1 + z), times 1/n for the mean
        x, y = self.saved_tensors
        dx = _SoftMarginBackward.apply(grad, x, y, reduction=self.reduction, norm=self.norm)
        return dx, None


class _SoftMarginBackward(Node):
    """grad·dℓ/dx = −y·z/(1 + z)·grad (1/n of it for the mean), rounded as PyTorch's soft_margin_loss_backward (y·z and
    the quotient in the promoted dtype, each written into x's), and differentiated as its double backward: in x,
    grad·gg·y²·z/(1 + z)² (over n for the mean) in the promoted dtype, written into x's, so 0 where (1 + z)² overflows
    and NaN where the numerator does too; in grad, the same map of gg (summed, for a reduced loss's one grad)."""

    def forward(self, grad, x, y, reduction, norm):
        self.save_for_backward(grad, x, y)
        self.reduction, self.norm = reduction, norm
        xp = backend.get_array_module(x)
        with backend.np.errstate(over="ignore", invalid="ignore"):  # (z = ∞: ∞/∞ = NaN, as PyTorch's)
            z = xp.exp(-y * x)
            return ((y * z).astype(x.dtype) * x.dtype.type(-norm) / (z + 1)).astype(x.dtype) * grad

    def backward(self, gg):  # d/dgrad = the same map of gg;  d/dx = gg·grad·y²·z/(1 + z)²
        grad, x, y = self.saved_tensors
        need_grad, need_x, _ = self.needs_input_grad
        dgrad = dx = None
        if need_grad and self.reduction == "none":
            dgrad = _SoftMarginBackward.apply(gg, x, y, reduction=self.reduction, norm=self.norm)
        elif need_grad:  # (a reduced loss's grad is one number: PyTorch's double_backward_grad_output sums)
            ones = namespace(value(grad)).ones_like(value(grad))
            dgrad = (_SoftMarginBackward.apply(ones, x, y, reduction=self.reduction, norm=self.norm) * gg).sum()
        if need_x:
            with backend.np.errstate(over="ignore", invalid="ignore"):
                z = namespace(gg).exp(x * -y)
                dx = gg * grad * (y * y) * z / ((z + 1) * (z + 1))
                dx = (dx if self.reduction != "mean" else dx / value(x).size).astype(value(x).dtype)
        return dgrad, dx, None


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(−y·x)) for labels y ∈ {−1, 1}."""
    reduction = _legacy_reduction("soft_margin_loss", reduction, size_average, reduce)
    op = "soft_margin_loss"
    check(op, target=target)
    x, y = _float(input, op), _tensor(target, op, "target")
    if backend.broadcast_shapes(tuple(x.shape), tuple(y.shape)) != x.shape:  # (PyTorch writes the loss into a
        raise ShapeError(f"{op}: target of shape {tuple(y.shape)} does not broadcast to the input's shape "  # tensor
                         f"{tuple(x.shape)}; give it the input's shape")  # of the input's shape and dtype)
    check_reduction(op, reduction)
    promoted = dtypes.result_type(x, y)  # (an integer or bool target is read in x's dtype, as PyTorch's kernel reads
    # it)
    loss = _SoftMargin.apply(x, y if y.dtype == promoted else y.to(promoted), reduction=reduction)
    if y.dtype.kind == "b":
        loss = refused_at_backward(loss, DtypeError, f"{op}: the backward negates the target, and PyTorch's `-` "
                                   "refuses a bool tensor; convert it with target.float()")
    return shown_as(loss, "SoftMarginLossBackward0")


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """max(0, −y·(x1 − x2) + margin) for y ∈ {−1, 1}."""
    op = "margin_ranking_loss"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    check(op, input1=input1, input2=input2, target=target)
    x1, x2, y = _tensor(input1, op, "input1"), _tensor(input2, op, "input2"), _tensor(target, op, "target")
    margin = _number(op, "margin", margin)  # (a float, as PyTorch's kernel takes it: integers give float32)
    return LS.apply_reduction((-y * (x1 - x2) + margin).clamp(min=0.0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """x where y = 1, max(0, margin − x) where y = −1."""
    op = "hinge_embedding_loss"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    x, y = _tensor(input, op), _tensor(target, op, "target")
    checks.check_broadcast(op, x, y)
    margin = _number(op, "margin", margin)  # (the target is only compared: the loss takes the input's dtype, the
    if x.dtype.kind in "iu":  # margin too, an integer input's truncated, as PyTorch's)
        if not math.isfinite(margin):
            raise DtypeError(f"{op}: margin {margin} cannot be converted to the input's {x.dtype} (PyTorch takes the "
                             "margin in the input's dtype); give a finite margin or a floating input")
        margin = int(margin)
    y = y.array
    loss = where(y != 1, (margin - x).clamp(min=0), 0) + where(y != -1, x, 0)
    if reduction == "mean" and not backend.is_floating(loss.dtype):  # (PyTorch's mean() takes no integers)
        raise DtypeError(f"{op}: an integer input gives an integer loss, whose mean PyTorch refuses; give a floating "
                         "input (input.float()), or reduction='sum'")
    return LS.apply_reduction(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """1 − cos(x1, x2) where y = 1, max(0, cos(x1, x2) − margin) where y = −1 (cos over dimension 1, with
    PyTorch's 1e-12 added to each squared norm)."""
    reduction = _legacy_reduction("cosine_embedding_loss", reduction, size_average, reduce)
    x1, x2 = _floats("cosine_embedding_loss", (input1, "input1"), (input2, "input2"), integers=True, bools=True)
    y = _tensor(target, "cosine_embedding_loss", "target")
    if y.ndim > 1:
        raise ShapeError(f"cosine_embedding_loss: target must be 0-D or 1-D (one label per pair), got shape "
                         f"{tuple(y.shape)}")
    if x1.ndim != y.ndim + 1 or x2.ndim != y.ndim + 1:  # (pairs of vectors: one label each, or one pair)
        raise ShapeError(f"cosine_embedding_loss: a {y.ndim}-D target takes {y.ndim + 1}-D inputs, got inputs of "
                         f"shapes {tuple(x1.shape)} and {tuple(x2.shape)}")
    dim = y.ndim
    cos = (x1 * x2).sum(dim) / (((x1 * x1).sum(dim) + 1e-12) * ((x2 * x2).sum(dim) + 1e-12)).sqrt()
    checks.check_broadcast("cosine_embedding_loss", cos, y)
    loss = where(y.array == 1, 1.0 - cos, 0.0) + where(y.array == -1, (cos - margin).clamp(min=0.0), 0.0)
    return LS.apply_reduction(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """max(d(a, p) − d(a, n) + margin, 0) with d the pairwise p-distance (Schroff et al. 2015, FaceNet);
    ``swap`` uses min(d(a, n), d(p, n)) as the negative distance (Balntas et al. 2016)."""
    op = "triplet_margin_loss"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    margin = _number(op, "margin", margin)
    if margin <= 0:  # (NaN passes, as PyTorch's check)
        raise DomainError(f"{op}: margin must be greater than 0, got {margin}")
    check(op, anchor=anchor, positive=positive, negative=negative)
    d_ap = pairwise_distance(anchor, positive, p, eps)
    d_an = pairwise_distance(anchor, negative, p, eps)
    if swap:
        from minigan.surface.tensor import minimum

        d_an = minimum(d_an, pairwise_distance(positive, negative, p, eps))
    return LS.apply_reduction((margin + d_ap - d_an).clamp(min=0.0), reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """½(log max(var, eps) + (input − target)² / max(var, eps)) (+ ½ log 2π when ``full``).  As in PyTorch,
    the clamp at eps changes the value only (a clone clamped in place under no_grad): the gradient flows to var as
    if unclamped, and an infinite var stays infinite."""
    op = "gaussian_nll_loss"
    reduction = _legacy_reduction(op, reduction, None, None, old_mean=False)
    x = _tensor(input, op)
    if not isinstance(var, (Tensor, float)):  # (PyTorch's compares an int or a NumPy float32 with 0 and fails)
        raise TypeError(f"{op}: var must be a Tensor or a float, got {type(var).__name__} {var!r}; pass float(var)")
    if isinstance(var, float):  # one variance for every entry, as PyTorch takes it
        dtype = x.dtype if x.dtype.kind == "f" else backend.DEFAULT_DTYPE
        var = Tensor._make(backend.get_array_module(x.array).full(x.shape, var, dtype=dtype))
    v = _tensor(var, op, "var")
    if bool((v.array < 0).any()):  # (PyTorch checks var's values and size before the dtypes)
        raise DomainError(f"{op}: var must be >= 0 everywhere (a variance), got a negative entry")
    if v.shape != x.shape:  # one variance per sample (var one dim short, or size 1 along one dim): broadcast
        if v.shape == x.shape[:-1]:
            v = v.unsqueeze(-1)
        elif not (v.ndim == x.ndim and sum(b for a, b in zip(x.shape, v.shape) if a != b) == 1):
            raise ShapeError(f"{op}: var must have input's shape {tuple(x.shape)}, or it with one size 1 (or the "
                             f"last dim left out), got {tuple(v.shape)}")
    t, v = _tensor(target, op, "target"), _float(v, op, "var")  # (input and target as PyTorch's ops promote them)
    v = v.clone()
    with grad_mode.no_grad():
        v.clamp_(min=eps)
    loss = 0.5 * (v.log() + (x - t) ** 2 / v)  # (PyTorch's formula: a pow, whose second derivative reads x − t)
    if full:
        loss = loss + 0.5 * 1.8378770664093453  # ½ log 2π
    return LS.apply_reduction(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    """exp(x) − t·x for log-rates x (``log_input``), else x − t·log(x + eps); ``full`` adds Stirling's
    t·log t − t + ½ log(2πt) where t > 1."""
    reduction = _legacy_reduction("poisson_nll_loss", reduction, size_average, reduce, old_mean=False)
    x, t = _tensor(input, "poisson_nll_loss"), _tensor(target, "poisson_nll_loss", "target")
    _floats("poisson_nll_loss", (x, "input"), (t, "target"), integers=True)  # (refused where PyTorch's refuses; else
    # x and t as given: each op promotes as PyTorch's composition does, exp of integers in float32)
    loss = x.exp() - t * x if log_input else x - t * (x + eps).log()
    if full:
        check("poisson_nll_loss(full=True)", target=t)
        safe = where(t.array > 1, t, 2.0)
        loss = loss + where(t.array > 1, safe * safe.log() - safe + 0.5 * (safe * 6.283185307179586).log(), 0.0)
        loss = saves(loss, t) if t.requires_grad else loss  # (PyTorch's Stirling term takes target.log(), which
    return LS.apply_reduction(loss, reduction)  # saves the target for its gradient)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """−mean over classes of [y·log σ(x) + (1 − y)·log σ(−x)], per sample, then reduced over the batch."""
    reduction = _legacy_reduction("multilabel_soft_margin_loss", reduction, size_average, reduce, old_mean=False)
    op = "multilabel_soft_margin_loss"
    check(op, target=target)
    x, y = _float(input, op), _tensor(target, op, "target")
    loss = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x))
    if weight is not None:
        loss = loss * _tensor(weight, op, "weight")
    if x.ndim == 0:
        raise DimensionError(f"{op}: input is 0-d, but its last dimension holds the classes; give it shape (C,) or "
                             "(N, C)")
    classes = x.ndim - 1  # (the input's last dimension, also where target or weight broadcast the loss to more)
    return LS.apply_reduction(loss.sum(classes) / x.shape[classes], reduction)
