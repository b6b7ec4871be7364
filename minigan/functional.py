"""User-facing functions (``import minigan.functional as F``), named as in ``torch.nn.functional``.

Each checks its arguments and calls one op from ``minigan/ops``.
"""

from __future__ import annotations

import math
import sys
import warnings

from minigan import _missing
from minigan import _tensor_functions as _F
from minigan._tensor_surface import Tensor, tensor
from minigan.engine import backend, checks
from minigan.engine.errors import DimensionError, DomainError, DtypeError, IndexOutOfRange, ShapeError
from minigan.engine.grad_mode import no_grad
from minigan.engine.ops import activation
from minigan.engine.ops import conv as C
from minigan.engine.ops import elementwise as E
from minigan.engine.ops import linalg as L
from minigan.engine.ops import loss as LS
from minigan.engine.ops import norm as N
from minigan.engine.ops import pool as P
from minigan.engine.ops import shape as S


def _tensor(x, op, name="input") -> Tensor:
    if isinstance(x, Tensor):
        return x
    if backend.is_array(x) or isinstance(x, (int, float, list, tuple)) or backend.is_numpy_scalar(x):
        return tensor(x)
    raise TypeError(f"{op}: {name} must be a Tensor or an array, got {type(x).__name__}")


def _float(x, op, name="input") -> Tensor:
    x = _tensor(x, op, name)
    if not backend.is_floating(x.dtype):
        raise DtypeError(f"{op}: {name} must be a floating-point tensor, got dtype {x.dtype}")
    return x


def _pooled(x, op, layout) -> Tensor:
    """A pool's input, batched (``layout``) or one sample: its number of dimensions is checked before its dtype, as
    PyTorch's pools do (a DimensionError, which is both of PyTorch's classes there: IndexError and RuntimeError)."""
    x = _tensor(x, op)
    batched = layout.count(",") + 1
    if x.ndim not in (batched - 1, batched):
        raise DimensionError(f"{op}: input must be {batched}-D {layout}, got shape {tuple(x.shape)} (or "
                             f"{batched - 1}-D, one sample without the batch)")
    return _float(x, op)


def _single(op, value):
    """A 1-d window's size, stride, padding or dilation: an int, or PyTorch's list of one int (a list of another
    length is refused there with a RuntimeError, as PyTorch's)."""
    if isinstance(value, (tuple, list)):
        if len(value) != 1:
            raise DomainError(f"{op}: expected an int or a list of one int for a 1-d window, got {value!r}")
        return value[0]
    return value


def _regression_target(target, x, op) -> Tensor:
    """A regression loss's target: integers are promoted to the input's float dtype, as PyTorch's type promotion does
    (mse_loss(pred, labels) with int64 labels)."""
    target = _tensor(target, op, "target")
    return target if backend.is_floating(target.dtype) else target.to(x.dtype)


def _integer_or_float(x, op) -> Tensor:
    """The input of a function PyTorch computes on integers too (in their dtype): bool is refused, as there."""
    x = _tensor(x, op)
    if x.dtype.kind == "b":
        raise DtypeError(f"{op}: bool tensors are not supported (PyTorch refuses them too); use x.float() or x.long()")
    return x


def _into(x, op, fn):
    """PyTorch's ``inplace=True``: fn's result written into x itself, as any in-place op (recorded on x's history,
    its version moved on, refused on a leaf that requires grad), and x returned."""
    return _tensor(x, op)._in_place(f"{op}(inplace=True)", fn)


def _same_dtype(op, x, weight):
    """A layer computes in its parameters' dtype; a float64 input to float32 weights is a mistake (usually
    NumPy noise or data), caught here at the layer instead of later at optimizer.step(), as PyTorch does."""
    if x.dtype != weight.dtype:
        raise DtypeError(f"{op}: input is {x.dtype} but the weight is {weight.dtype}; expected the same dtype "
                        f"(convert the input with x.float() or minigan.tensor(..., dtype=minigan.{weight.dtype}), "
                        "or the layer with .double())")


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
        raise TypeError(f"{op}: labels must be integers, got dtype {labels.dtype}")
    return labels


def _shown_as(result, torch_name):
    """``result``, whose node prints PyTorch's name for the function that made it (minigan/autograd/graph.py:
    shown_as): a function composed of several ops here shows the one node PyTorch's shows."""
    from minigan.autograd.graph import shown_as  # (imported when used: minigan.autograd imports the surface)

    return shown_as(result, torch_name)


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
    if reduce is False:
        return "none"
    return "sum" if size_average is False else "mean"


# ----------------------------------------------------------------------------- activations
# Each is the Tensor method of the same name (minigan/engine/methods.py), so the checks are the same whichever door
# is used.
def relu(input, inplace=False):
    if inplace:
        return _into(input, "relu", lambda t: relu(t))
    return _tensor(input, "relu").relu()


def leaky_relu(input, negative_slope=0.01, inplace=False):
    if inplace:
        return _into(input, "leaky_relu", lambda t: leaky_relu(t, negative_slope))
    return _tensor(input, "leaky_relu").leaky_relu(negative_slope)


def sigmoid(input):
    return _tensor(input, "sigmoid").sigmoid()


def tanh(input):
    return _tensor(input, "tanh").tanh()


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + e^(βx)) / β, and x itself where βx > threshold (where the two agree to float precision)."""
    input = _tensor(input, "softplus")._floating("softplus")
    if beta == 1 and threshold == 20:
        return input.softplus()
    b, t = _number("softplus", "beta", beta), _number("softplus", "threshold", threshold)
    return where((input.array * b) > t, input, (input * b).softplus() / b)


def _implicit_softmax_dim(name, ndim, stacklevel=3):
    """PyTorch's legacy choice when a softmax is given no dim: 0 for 0-, 1- and 3-D inputs (a vector, or one
    unbatched (C, H, W) image), else 1 (the channels of a batch), with PyTorch's deprecation warning."""
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to include dim=X "
                  "as an argument.", UserWarning, stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, *, axis=None, dtype=None):
    input = _tensor(input, "softmax")
    if dim is None and axis is None:
        dim = _implicit_softmax_dim("softmax", input.ndim)
    return (input if dtype is None else input.to(dtype)).softmax(dim, axis=axis)


def log_softmax(input, dim=None, *, axis=None, dtype=None):
    input = _tensor(input, "log_softmax")
    if dim is None and axis is None:
        dim = _implicit_softmax_dim("log_softmax", input.ndim)
    return (input if dtype is None else input.to(dtype)).log_softmax(dim, axis=axis)


def logsumexp(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    return _float(x, "logsumexp").logsumexp(dim, keepdim, axis=axis, keepdims=keepdims)


# ----------------------------------------------------------------------------- layers as functions
def linear(input, weight, bias=None):
    """y = x Wᵀ + b, with weight (out_features, in_features) as in PyTorch (a weight (in_features,) gives one
    output without its axis: y = x·w + b)."""
    input, weight = _float(input, "linear"), _float(weight, "linear", "weight")
    _same_dtype("linear", input, weight)
    bias = None if bias is None else _float(bias, "linear", "bias")
    if weight.ndim == 1:
        return linear(input, weight.unsqueeze(0), None if bias is None else bias.reshape(1)).squeeze(-1)
    checks.check_linear(input.array.shape, weight.array.shape, None if bias is None else bias.array.shape)
    if bias is None:
        return L.Linear.apply(input, weight)
    return L.Linear.apply(input, weight, bias)


def dropout(input, p=0.5, training=True, inplace=False):
    """Inverted dropout: zero each element with probability p and scale the rest by 1/(1−p),
    so the expected activation is unchanged and evaluation needs no rescaling."""
    if inplace:
        return _into(input, "dropout", lambda t: dropout(t, p, training))
    input = _float(input, "dropout")
    if not checks.is_number(p) or not 0 <= p <= 1:
        raise DomainError(f"dropout: p must be a probability in [0, 1], got {p!r}")
    p = float(p)  # (a NumPy scalar is a number, as in PyTorch: a float64 one must not promote a float32 input)
    if not training or p == 0:
        return input
    xp = backend.get_array_module(input.array)
    keep = backend.rand(input.shape, dtype=input.dtype, xp=xp) >= p
    mask = keep.astype(input.dtype) / input.dtype.type(1 - p) if p < 1 else keep.astype(input.dtype)  # p = 1: all zero
    return E.Mul.apply(input, Tensor._make(mask))


cat = _F.cat  # (minigan/_tensor_functions.py: minigan.cat is the same body)


def stack(tensors, dim=0, *, axis=None):
    """Join same-shaped tensors along a new dimension."""
    axis = dim if axis is None else axis
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise ValueError("stack: expected a non-empty list of tensors")
    tensors = [_tensor(t, "stack", f"tensor {i}") for i, t in enumerate(tensors)]
    shape = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.shape != shape:
            raise ShapeError(f"stack: tensor {i} has shape {tuple(t.shape)}, but tensor 0 has shape {shape}")
    axis = checks.normalize_axis(axis, len(shape) + 1, "stack", single=True)
    return _shown_as(cat([t.unsqueeze(axis) for t in tensors], axis=axis), "StackBackward0")


def pad(input, pad, mode="constant", value=None):
    """Padding.  PyTorch's form: a flat tuple (left, right, top, bottom, ...) pads the LAST dimension first, two
    numbers per dimension.  NumPy's form: an int, or one (before, after) pair per axis.  ``mode``: "constant"
    (``value``, 0 by default), or, as PyTorch's, "reflect" (mirrored about the edge, which is not repeated),
    "replicate" (the edge repeated) and "circular" (wrapped around), each reading x at computed indices."""
    input = _tensor(input, "pad")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise ValueError(f"pad: mode must be 'constant', 'reflect', 'replicate' or 'circular', got {mode!r}")
    flat = isinstance(pad, (tuple, list)) and all(checks.is_integer(v) for v in pad)
    if flat:
        if len(pad) % 2 or len(pad) // 2 > input.ndim:
            raise ShapeError(f"pad: PyTorch-style pad {tuple(pad)} must hold an even number of sizes, two for each "
                             f"of at most {input.ndim} dimensions (input shape {tuple(input.shape)})")
        pairs = [(pad[i], pad[i + 1]) for i in range(0, len(pad), 2)][::-1]  # from the last dimension backwards
        pad = [(0, 0)] * (input.ndim - len(pairs)) + pairs
        if any(v < 0 for pair in pad for v in pair):  # a negative size crops that side, as in PyTorch
            input = input[tuple(slice(max(-b, 0), n - max(-a, 0)) for (b, a), n in zip(pad, input.shape))]
            pad = [(max(b, 0), max(a, 0)) for b, a in pad]
    widths = checks.normalize_pad(pad, input.ndim)
    if mode == "constant":
        return S.Pad.apply(input, pad_width=widths, value=0.0 if value is None else value)
    if value is not None:
        raise DomainError(f"pad: value is for mode='constant' only, got value={value!r} with mode={mode!r}")
    xp = backend.get_array_module(input.array)
    for axis, (before, after) in enumerate(widths):
        if before or after:
            n = input.shape[axis]
            if mode == "reflect" and (before >= n or after >= n):
                raise ShapeError(f"pad: reflect padding ({before}, {after}) must be less than the dimension's size {n}")
            if mode == "circular" and (before > n or after > n):
                raise ShapeError(f"pad: circular padding ({before}, {after}) must be at most the dimension's size {n}")
            i = xp.arange(-before, n + after)  # the position in x that each padded position reads
            if mode == "reflect":
                i = (n - 1) - xp.abs((n - 1) - xp.abs(i))  # mirrored at 0 and at n − 1
            else:
                i = xp.clip(i, 0, n - 1) if mode == "replicate" else i % n
            input = input[(slice(None),) * axis + (i,)]
    return input


def one_hot(input, num_classes=-1):
    """int64 one-hot codes (*labels.shape, num_classes) of integer labels of any shape, as PyTorch's; no gradient.
    num_classes=-1 (the default) takes the largest label + 1.  (``one_hot(y, C).float()`` for a float code.)"""
    if not checks.is_integer(num_classes) or num_classes < 1 and num_classes != -1:
        raise ValueError(f"one_hot: num_classes must be a positive int (or -1: the largest label + 1), got "
                         f"{num_classes!r}")
    labels = input
    if isinstance(labels, Tensor):
        y = labels.array
    elif backend.is_array(labels):
        y = labels
    else:
        y = backend.active_module().asarray(backend.np.asarray(labels))
    if y.dtype.kind not in "iu":  # (before max(): a NaN label has no int)
        raise DtypeError(f"one_hot: labels must be an integer array, got dtype {y.dtype}")
    if num_classes == -1:
        if not y.size:
            raise DomainError("one_hot: cannot infer num_classes from no labels; pass num_classes")
        num_classes = int(y.max()) + 1
    LS.check_labels("one_hot", y, num_classes)
    xp = backend.get_array_module(y)
    return Tensor._make(xp.eye(num_classes, dtype=backend.np.int64)[y])


# ----------------------------------------------------------------------------- losses (mean by default)
def _weight(weight, op, like, name="weight"):
    """An optional per-element (or per-class) weight as a float tensor of like's dtype, or None."""
    if weight is None:
        return None
    if not isinstance(weight, Tensor):
        raise TypeError(f"{op}: {name} must be a Tensor or None, got {type(weight).__name__} (the reduction is "
                        "the keyword reduction=)")
    return weight.to(like.dtype)


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None):
    """−w·[p·t log σ(x) + (1−t) log(1−σ(x))] in the softplus form: exact for logits of ±1e4.  ``weight`` scales each
    element's loss; ``pos_weight`` p (one per class, the last dimension) the positive term: p > 1 counts the
    positives more (as PyTorch's, (1 − t)·x + (1 + (p − 1)·t)·softplus(−x))."""
    op = "binary_cross_entropy_with_logits"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    LS.check_same_shape(op, _tensor(input, op, "logits"), _tensor(target, op, "target"))  # (sizes first: PyTorch's
    input, target = _float(input, op, "logits"), _float(target, op, "target")  # ValueError, before the dtypes)
    LS.check_reduction(op, reduction)
    weight, pos_weight = _weight(weight, op, input), _weight(pos_weight, op, input, "pos_weight")
    if weight is None and pos_weight is None:
        return LS.BCEWithLogits.apply(input, target, reduction=reduction)
    if pos_weight is None:
        loss = LS.BCEWithLogits.apply(input, target, reduction="none")
    else:
        loss = (1 - target) * input + ((pos_weight - 1) * target + 1) * (-input).softplus()
    return LS.apply_reduction(loss if weight is None else loss * weight, reduction)


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """−w·[t log p + (1−t) log(1−p)] for probabilities p ∈ [0, 1] (logs clamped at −100); ``weight`` scales each
    element's loss."""
    op = "binary_cross_entropy"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    LS.check_same_shape(op, _tensor(input, op), _tensor(target, op, "target"))  # (sizes first, as PyTorch's)
    input, target = _float(input, op, "input"), _float(target, op, "target")
    LS.check_reduction(op, reduction)
    LS.check_probabilities(op, input.array)
    weight = _weight(weight, op, input)
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
    input = _float(input, op, "logits")
    LS.check_reduction(op, reduction)
    if input.ndim != 2:  # per position (or one sample): the same loss over a batch of rows (M, C)
        return _per_position(cross_entropy, op, input, target, reduction, weight=weight, ignore_index=ignore_index,
                             label_smoothing=label_smoothing)
    if not checks.is_number(label_smoothing) or not 0 <= label_smoothing <= 1:
        raise DomainError(f"{op}: label_smoothing must be in [0, 1], got {label_smoothing!r}")
    label_smoothing = float(label_smoothing)
    weight = _weight(weight, op, input)
    soft = isinstance(target, Tensor) and target.dtype.kind == "f"  # class probabilities, not target
    if not soft and weight is None and not label_smoothing:
        y = _labels(target, op, input)
        if not bool((y == ignore_index).any()):  # the fused op, when no label is ignored
            LS.check_labels(op, y, input.shape[1], input.shape[0])
            return LS.CrossEntropy.apply(input, labels=y, reduction=reduction)
    log_p, classes = input.log_softmax(1), input.shape[1]
    per_class = log_p if weight is None else log_p * weight  # w_c · log p_c
    if soft:
        LS.check_same_shape(op, input, target)
        smoothed = target * (1 - label_smoothing) + label_smoothing / classes
        return LS.apply_reduction(-(smoothed * per_class).sum(1), reduction)  # mean: over the N samples
    nll, kept, counted = _nll_parts(log_p, target, weight, ignore_index, op)
    loss = nll if not label_smoothing else \
        nll * (1 - label_smoothing) - per_class.sum(1) * (label_smoothing / classes) * kept
    if reduction != "mean":
        return LS.apply_reduction(loss, reduction)
    return _kept_mean(loss, counted)


def _kept_mean(loss, counted):
    """The mean over the kept labels' weights, as PyTorch's; with none kept, NaN whose gradient is 0 (PyTorch's)."""
    total = float(counted.sum())
    return loss.sum() / total if total else loss.sum() * 0.0 + float("nan")


def _per_position(loss_fn, op, scores, labels, reduction, **options):
    """A classification loss of scores (N, C, d₁, …) as the loss of the rows (N·d₁·…, C), one per position (the
    class axis moved last), or of (C,) as one row; reduction 'none' gives the losses back in (N, d₁, …) (or ())."""
    soft = isinstance(labels, Tensor) and labels.dtype.kind == "f"  # class probabilities
    if scores.ndim == 1:
        rows, shape = scores.unsqueeze(0), ()
        if soft:
            LS.check_same_shape(op, scores, labels)
            labels = labels.unsqueeze(0)
        else:
            y = _labels(labels, op, scores)
            if y.ndim != 0:
                raise ShapeError(f"{op}: the scores of one sample, shape {tuple(scores.shape)}, take one label (a 0-d "
                                 f"tensor), got labels of shape {tuple(y.shape)}")
            labels = y.reshape(1)
    elif scores.ndim > 2:
        rows, shape = scores.movedim(1, -1).reshape(-1, scores.shape[1]), (scores.shape[0],) + scores.shape[2:]
        if soft:
            LS.check_same_shape(op, scores, labels)
            labels = labels.movedim(1, -1).reshape(-1, scores.shape[1])
        else:
            y = _labels(labels, op, scores)
            if tuple(y.shape) != shape:
                raise ShapeError(f"{op}: expected labels of shape {shape} for input {tuple(scores.shape)}, got "
                                 f"{tuple(y.shape)}")
            labels = y.reshape(-1)
    else:
        raise ShapeError(f"{op}: expected input of shape (N, C), (N, C, d1, ...) or (C,), got {tuple(scores.shape)}")
    loss = loss_fn(rows, labels, reduction=reduction, **options)
    return loss.reshape(shape) if reduction == "none" else loss


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
    counted = kept if weight is None else weight.array[index] * kept
    return -log_p[xp.arange(log_p.shape[0]), index] * counted, kept, counted


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


def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    reduction = _legacy_reduction("mse_loss", reduction, size_average, reduce)
    input = _float(input, "mse_loss")
    input, target = _broadcast_pair("mse_loss", input, _regression_target(target, input, "mse_loss"))
    LS.check_reduction("mse_loss", reduction)
    return LS.MSE.apply(input, target, reduction=reduction)


# ----------------------------------------------------------------------------- convolution, normalization
def _one_sample(fn, x, *args):
    """fn of one sample without its batch axis, as PyTorch allows ((C, H, W) for an image layer): fn of a batch
    of one, the batch axis taken off again."""
    out = fn(x.unsqueeze(0), *args)
    return tuple(o.squeeze(0) for o in out) if isinstance(out, tuple) else out.squeeze(0)


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation: x (N, C, H, W), weight (O, C/groups, kh, kw), bias (O,) → (N, O, H_out, W_out).

    H_out = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1 (likewise W); stride, padding and dilation
    are ints or (h, w) pairs; padding may also be 'valid' (0) or 'same' (stride 1: H_out = H).
    """
    input, weight = _float(input, "conv2d"), _float(weight, "conv2d", "weight")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(conv2d, input, weight, bias, stride, padding, dilation, groups)
    _same_dtype("conv2d", input, weight)
    bias = None if bias is None else _float(bias, "conv2d", "bias")
    params = checks.check_conv2d(input.array.shape, weight.array.shape, None if bias is None else bias.array.shape,
                                 stride, padding, dilation, groups)
    end_h, end_w = params.pop("pad_end")
    if end_h or end_w:  # 'same' with an odd total: the extra row and column go at the bottom and right
        input = pad(input, (0, end_w, 0, end_h))
    if bias is None:
        return C.Conv2d.apply(input, weight, **params)
    return C.Conv2d.apply(input, weight, bias, **params)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """The adjoint of conv2d: x (N, C_in, H, W), weight (C_in, C_out/groups, kh, kw), bias (C_out,).

    H_out = (H − 1)·stride − 2·padding + dilation·(kh − 1) + 1 + output_padding (likewise W): with kernel 4,
    stride 2, padding 1 it doubles H.  output_padding (< stride or dilation) adds rows/columns at the bottom/right.
    """
    op = "conv_transpose2d"
    input, weight = _float(input, op), _float(weight, op, "weight")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(conv_transpose2d, input, weight, bias, stride, padding, output_padding, groups, dilation)
    _same_dtype(op, input, weight)
    bias = None if bias is None else _float(bias, op, "bias")
    params = checks.check_conv_transpose2d(input.array.shape, weight.array.shape,
                                           None if bias is None else bias.array.shape, stride, padding,
                                           output_padding, groups, dilation)
    (oph, opw), (sh, sw), (ph, pw) = params["output_padding"], params["stride"], params["padding"]
    if oph >= sh or opw >= sw:  # (allowed below the dilation) rows no window reaches: build them as their definition
        y = C.ConvTranspose2d.apply(input, weight, **{**params, "padding": (0, 0), "output_padding": (0, 0)})
        y = pad(y, (0, opw, 0, oph))  # the uncropped output, then the output_padding's zero rows and columns,
        y = y[:, :, ph : y.shape[2] - ph, pw : y.shape[3] - pw]  # then padding cropped from each side
        return y if bias is None else y + bias.reshape(1, -1, 1, 1)
    if bias is None:
        return C.ConvTranspose2d.apply(input, weight, **params)
    return C.ConvTranspose2d.apply(input, weight, bias, **params)




def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalisation over axis 1 of (N, C, ...): (N, C), (N, C, L), (N, C, H, W) or more axes, as
    ``torch.nn.functional``'s.

    running_mean/running_var: (C,) Tensors or arrays (or None): used in evaluation, updated in
    place in training.  weight γ and bias β: (C,) (default 1 and 0).
    """
    input = _float(input, "batch_norm")
    if input.ndim < 2:
        raise ShapeError(f"batch_norm: input must be (N, C, ...), with a channel axis, got shape {tuple(input.shape)}")
    c = input.shape[1]
    xp = backend.get_array_module(input.array)
    rm = running_mean.array if isinstance(running_mean, Tensor) else running_mean
    rv = running_var.array if isinstance(running_var, Tensor) else running_var
    if (rm is None) != (rv is None) or (not training and rm is None):
        raise ValueError("batch_norm: evaluation needs both running_mean and running_var (training may pass neither)")
    for name, stat in (("running_mean", rm), ("running_var", rv)):
        if stat is not None and tuple(stat.shape) != (c,):
            raise ShapeError(f"batch_norm: {name} has shape {tuple(stat.shape)}, expected ({c},) for input "
                             f"{tuple(input.shape)}")
    if not 0 <= momentum <= 1 or not eps > 0:
        raise ValueError(f"batch_norm: need 0 <= momentum <= 1 and eps > 0, got momentum={momentum}, eps={eps}")
    gamma = Tensor._make(xp.ones(c, dtype=input.dtype)) if weight is None else _float(weight, "batch_norm", "weight")
    beta = Tensor._make(xp.zeros(c, dtype=input.dtype)) if bias is None else _float(bias, "batch_norm", "bias")
    _same_dtype("batch_norm", input, gamma)
    for name, t in (("weight", gamma), ("bias", beta)):
        if t.shape != (c,):
            raise ShapeError(f"batch_norm: {name} has shape {tuple(t.shape)}, expected ({c},) for input "
                             f"{tuple(input.shape)}")
    if training and input.numel() // max(c, 1) < 2:
        raise ShapeError(f"batch_norm: expected more than 1 value per channel when training, got input "
                         f"{tuple(input.shape)}")
    return N.BatchNorm.apply(input, gamma, beta, training=bool(training), running_mean=rm, running_var=rv,
                           momentum=float(momentum), eps=float(eps))


def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of ``weight`` (num_embeddings, dim) picked by integer ``indices`` of any shape → (*indices.shape, dim).

    The gradient goes through getitem, which adds up the gradients of repeated indices.  As PyTorch's:
    ``padding_idx``: that row gets no gradient; ``max_norm``: the rows picked are first scaled down in place to
    that ``norm_type``-norm where they exceed it; ``scale_grad_by_freq``: each row's gradient is divided by how
    often it is picked in this call.
    """
    weight = _float(weight, "embedding", "weight")
    idx = input.array if isinstance(input, Tensor) else input
    if isinstance(idx, (list, tuple, int)) or backend.is_numpy_scalar(idx):
        idx = backend.np.asarray(idx)
    if not backend.is_array(idx):
        raise TypeError(f"embedding: indices must be an integer Tensor or array, got {type(input).__name__}")
    if not backend.is_integer(idx.dtype):
        raise DtypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    if backend.device_of(idx) != weight.device.type:
        idx = backend.to_device(idx, weight.device)
    n = weight.shape[0]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= n):
        bad = int(idx.min()) if int(idx.min()) < 0 else int(idx.max())
        raise IndexOutOfRange(f"embedding: index {bad} is out of range for {n} embeddings (expected 0 <= index < {n})")
    if sparse:
        raise NotImplementedError("embedding: sparse=True is not provided (minigan's gradients are dense)")
    padding_idx = checks.padding_index(padding_idx, n, "embedding")
    xp = backend.get_array_module(idx)
    if max_norm is not None:  # scale the picked rows down to max_norm, in place and outside the graph
        rows = xp.unique(idx)
        norms = (xp.abs(weight.array[rows]) ** norm_type).sum(1) ** (1 / norm_type)
        scale = xp.where(norms > max_norm, max_norm / (norms + 1e-7), 1.0).astype(weight.dtype)
        with no_grad():  # (a write into a leaf that requires grad: allowed, and counted, under no_grad)
            weight[rows] = weight.array[rows] * scale[:, None]
    picked = weight[idx]
    if scale_grad_by_freq:  # the same values, with each row's gradient divided by its count in idx
        rows, inverse, counts = xp.unique(idx, return_inverse=True, return_counts=True)
        share = Tensor._make((1.0 / counts[inverse.reshape(idx.shape)]).astype(weight.dtype)[..., None])
        picked = picked * share + picked.detach() * (1 - share)
    if padding_idx is not None:  # the padding row's value, with no gradient
        picked = where((idx == padding_idx)[..., None], picked.detach(), picked)
    return _shown_as(picked, "EmbeddingBackward0")


# ----------------------------------------------------------------------------- pooling, upsampling, more losses
def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each kh×kw window of x (N, C, H, W) (its elements d_h, d_w apart with ``dilation``);
    stride defaults to kernel_size, padding is −inf.

    H_out = ⌊(H + 2·padding − dilation·(kh − 1) − 1) / stride⌋ + 1, rounded up with ``ceil_mode`` (PyTorch's rule:
    a last window must start inside the input or its left padding).  The gradient goes to each window's FIRST
    maximum (row-major order), as in PyTorch; ``return_indices`` also gives where it is: an int64 index into
    the flattened H·W of its input plane (PyTorch's).
    """
    input = _pooled(input, "max_pool2d", "(N, C, H, W)")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(max_pool2d, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)
    params = checks.check_pool2d("max_pool2d", input.array.shape, kernel_size, stride, padding, dilation, ceil_mode)
    if not return_indices:
        return P.Pool2d.apply(input, mode="max", **params)
    argmax, indices = P.max_positions(input.array, **params)  # the maxima found once: the pool reads them at argmax
    return P.Pool2d.apply(input, mode="max", argmax=argmax, **params), Tensor._make(indices)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """The mean of each kh×kw window of x (N, C, H, W), with PyTorch's divisor: the window's size, padding
    included (``count_include_pad``) but not a ``ceil_mode`` window's part past the padded input; only its
    pixels inside the input with count_include_pad=False; or ``divisor_override`` (a nonzero int) for all.
    """
    input = _pooled(input, "avg_pool2d", "(N, C, H, W)")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(avg_pool2d, input, kernel_size, stride, padding, ceil_mode, count_include_pad,
                           divisor_override)
    params = checks.check_pool2d("avg_pool2d", input.array.shape, kernel_size, stride, padding, 1, ceil_mode)
    if divisor_override is not None and (not isinstance(divisor_override, int) or isinstance(divisor_override, bool)
                                         or divisor_override == 0):
        raise ValueError(f"avg_pool2d: divisor_override must be a nonzero int or None, got {divisor_override!r}")
    return P.Pool2d.apply(input, mode="avg", count_include_pad=bool(count_include_pad), divisor=divisor_override,
                          **params)


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated in PyTorch for ``interpolate``, which it calls (with PyTorch's warning)."""
    warnings.warn("`nn.functional.upsample` is deprecated. Use `nn.functional.interpolate` instead.", UserWarning,
                  stacklevel=2)
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """Deprecated in PyTorch: ``interpolate(mode="nearest")``."""
    warnings.warn("`nn.functional.upsample_nearest` is deprecated. Use `nn.functional.interpolate` instead.",
                  UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """Deprecated in PyTorch: ``interpolate(mode="bilinear", align_corners=True)``."""
    warnings.warn("`nn.functional.upsample_bilinear` is deprecated. Use `nn.functional.interpolate` instead.",
                  UserWarning, stacklevel=2)
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


_RESIZE_MODES = {3: ("nearest", "nearest-exact", "linear", "area"),
                 4: ("nearest", "nearest-exact", "bilinear", "bicubic", "area")}


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None, recompute_scale_factor=None,
                antialias=False):
    """Resize x (N, C, L) or (N, C, H, W) to ``size`` or by ``scale_factor`` (a number or one per axis), with
    PyTorch's modes and index rules: ``nearest`` takes input pixel ⌊o·in/out⌋ (``nearest-exact``: the one whose
    centre is nearest), ``linear``/``bilinear`` blend the two nearest input pixels along each axis, ``bicubic``
    four (Keys' cubic convolution, a = −0.75), ``area`` averages (adaptive average pooling).  ``align_corners``
    (linear modes): True lines up the corner pixels, False (PyTorch's default) the pixel centres."""
    nearest = isinstance(mode, str) and mode.startswith("nearest")  # picks pixels: any dtype (a uint8 mask too)
    input = _tensor(input, "interpolate") if nearest else _float(input, "interpolate")
    if input.ndim not in _RESIZE_MODES:
        raise ShapeError(f"interpolate: input must be (N, C, L) or (N, C, H, W), got shape {tuple(input.shape)}")
    modes, axes = _RESIZE_MODES[input.ndim], tuple(range(2, input.ndim))
    if mode not in modes:
        raise ValueError(f"interpolate: mode for a {input.ndim}-D input must be one of {modes}, got mode={mode!r}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    if align_corners is not None and mode not in ("linear", "bilinear", "bicubic"):
        raise ValueError(f"interpolate: align_corners is for the linear and cubic modes only, not mode={mode!r} "
                         "(PyTorch refuses it too)")
    if antialias:
        raise NotImplementedError("interpolate: antialias=True is not provided (it matters when shrinking)")
    if size is not None:
        out, scales = _per_axis(size, len(axes), "size", checks.is_integer, int), (None,) * len(axes)
    else:
        scales = _per_axis(scale_factor, len(axes), "scale_factor", checks.is_number, float)
        out = tuple(int(input.shape[a] * s) for a, s in zip(axes, scales))  # ⌊n·s⌋, as PyTorch
        scales = (None,) * len(axes) if recompute_scale_factor else tuple(float(s) for s in scales)
    if mode == "area":
        return adaptive_avg_pool2d(input, out) if input.ndim == 4 else adaptive_avg_pool1d(input, out)
    repeats = [s if s is not None else n / input.shape[a] for a, n, s in zip(axes, out, scales)]
    if mode == "nearest" and input.ndim == 4 and all(float(r).is_integer() for r in repeats):
        return P.UpsampleNearest2d.apply(input, scale=tuple(int(r) for r in repeats))  # whole repeats: one op
    for axis, n, scale in zip(axes, out, scales):  # one axis at a time: each mode is separable
        if mode.startswith("nearest"):
            input = _nearest_resize(input, axis, n, scale, exact=mode == "nearest-exact")
        else:
            input = (_cubic_resize if mode == "bicubic" else _linear_resize)(input, axis, n, bool(align_corners), scale)
    return input


def _per_axis(value, count, name, kind, number):
    """One ``number`` (int or float) per resized axis, each of the ``kind`` its test accepts (NumPy's too) and > 0."""
    values = tuple(value) if isinstance(value, (tuple, list)) else (value,) * count
    if len(values) != count or not all(kind(v) and v > 0 for v in values):
        raise ValueError(f"interpolate: {name} must be a positive number or one for each of the {count} resized "
                         f"axes, got {value!r}")
    return tuple(number(v) for v in values)


def _source_coordinate(size, n, align_corners, scale, xp, clamp=True):
    """The input coordinate i + λ of each output pixel o (PyTorch's area_pixel_compute_source_index)."""
    o = xp.arange(size, dtype=xp.float64)
    if align_corners:  # the first and last pixels of both grids coincide
        return o * ((n - 1) / (size - 1)) if size > 1 else o * 0
    source = (o + 0.5) * (n / size if scale is None else 1 / scale) - 0.5  # pixel centres coincide
    return xp.maximum(source, 0) if clamp else source  # (1/scale_factor when one was given, as PyTorch's)


def _take(x, axis, index):
    return x[(slice(None),) * axis + (index,)]


def _nearest_resize(x, axis, size, scale, exact):
    """Output pixel o takes input pixel ⌊o·s⌋ (nearest-exact: ⌊(o + ½)·s⌋), s = in/out or 1/scale_factor, with
    the roundings of PyTorch's CPU kernels, so that the same pixels are picked: nearest in float32; nearest-exact
    with s in the input's precision and (o + ½)·s formed in float64, then rounded to float32."""
    n, xp = x.shape[axis], backend.get_array_module(x.array)
    if not exact:
        s = xp.float32(n) / xp.float32(size) if scale is None else xp.float32(1 / scale)
        o = xp.arange(size, dtype=xp.float32) * s
    else:
        s = (n / size if scale is None else 1 / scale) if x.dtype == xp.float64 else \
            (xp.float32(n) / xp.float32(size) if scale is None else xp.float32(1 / scale))
        o = ((xp.arange(size, dtype=xp.float64) + 0.5) * xp.float64(s)).astype(xp.float32)
    return _take(x, axis, xp.minimum(xp.floor(o).astype(xp.int64), n - 1))


def _linear_resize(x, axis, size, align_corners, scale):
    """x resized to ``size`` along ``axis`` by linear interpolation: out[o] = (1 − λ)·x[i] + λ·x[i + 1], where the
    output pixel o maps to the input coordinate i + λ."""
    n, xp = x.shape[axis], backend.get_array_module(x.array)
    source = _source_coordinate(size, n, align_corners, scale, xp)
    lower = xp.minimum(xp.floor(source).astype(xp.int64), n - 1)
    upper = xp.minimum(lower + 1, n - 1)
    weight = (source - lower).astype(x.dtype).reshape((size,) + (1,) * (x.ndim - axis - 1))
    return _take(x, axis, lower) * (1 - weight) + _take(x, axis, upper) * weight


def _cubic_resize(x, axis, size, align_corners, scale, a=-0.75):
    """Keys' (1981) cubic convolution: out[o] = Σₖ wₖ(λ)·x[i − 1 + k], k = 0…3, indices clamped to the edge."""
    n, xp = x.shape[axis], backend.get_array_module(x.array)
    source = _source_coordinate(size, n, align_corners, scale, xp, clamp=False)
    i = xp.floor(source)
    t = source - i
    near = lambda d: ((a + 2) * d - (a + 3)) * d * d + 1  # the kernel on |d| ≤ 1
    far = lambda d: ((a * d - 5 * a) * d + 8 * a) * d - 4 * a  # on 1 < |d| < 2
    shape = (size,) + (1,) * (x.ndim - axis - 1)
    out = None
    for k, w in enumerate((far(t + 1), near(t), near(1 - t), far(2 - t))):
        index = xp.clip(i.astype(xp.int64) - 1 + k, 0, n - 1)
        term = _take(x, axis, index) * w.astype(x.dtype).reshape(shape)
        out = term if out is None else out + term
    return out


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Channel dropout of x (N, C, H, W): zero whole channels with probability p, scale the rest by 1/(1−p).

    As PyTorch's, it takes any input of 2 or more dimensions as (N, C, ...) and drops whole (sample, channel)
    slices, with PyTorch's warnings: a (N, C) input is dropped element by element, and a 3-D one is read as
    (N, C, L), not as an unbatched (C, H, W)."""
    if inplace:
        return _into(input, "dropout2d", lambda t: dropout2d(t, p, training))
    input = _float(input, "dropout2d")
    if not checks.is_number(p) or not 0 <= p <= 1:
        raise ValueError(f"dropout2d: p must be a probability in [0, 1], got {p!r}")
    p = float(p)
    if input.ndim < 2:
        raise ShapeError(f"dropout2d: feature dropout needs an input (N, C, ...) of at least 2 dimensions, got shape "
                         f"{tuple(input.shape)}; use dropout for element-wise dropout")
    if input.ndim not in (3, 4):
        warnings.warn(f"dropout2d: Received a {input.ndim}-D input to dropout2d, which is deprecated and will result "
                      "in an error in a future release. To retain the behavior and silence this warning, please use "
                      "dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 "
                      "spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D "
                      "inputs).", stacklevel=2)
    if input.ndim == 3:
        warnings.warn("dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout behavior "
                      "is desired - input is interpreted as shape (N, C, L), where C is the channel dim. This behavior "
                      "will change in a future release to interpret the input as one without a batch dimension, i.e. "
                      "shape (C, H, W). To maintain the 1D channel-wise dropout behavior, please switch to using "
                      "dropout1d instead.", stacklevel=2)
    if not training or p == 0:
        return input
    xp = backend.get_array_module(input.array)
    features = input.shape[:2] + (1,) * (input.ndim - 2)
    keep = backend.rand(features, dtype=input.dtype, xp=xp) >= p  # one draw per (sample, channel)
    mask = keep.astype(input.dtype) / input.dtype.type(1 - p) if p < 1 else keep.astype(input.dtype)  # p = 1: all zero
    return E.Mul.apply(input, Tensor._make(mask))


def elu(input, alpha=1.0, inplace=False):
    """ELU (Clevert et al. 2016): x for x > 0, α(eˣ − 1) otherwise; built as relu(x) + α(exp(min(x, 0)) − 1)."""
    if inplace:
        return _into(input, "elu", lambda t: elu(t, alpha))
    input = _float(input, "elu")
    if not checks.is_number(alpha):
        raise TypeError(f"elu: alpha must be a number, got {type(alpha).__name__} {alpha!r}")
    if math.isfinite(alpha):
        return _shown_as(input.relu() + (input.clamp(max=0.0).exp() - 1.0) * float(alpha), "EluBackward0")
    with backend.np.errstate(invalid="ignore"):  # (α · 0 where x < 0 is NaN, as PyTorch's)
        out = input.relu() + (input.clamp(max=0.0).exp() - 1.0) * _negative_side(input, alpha)
    return _shown_as(out, "EluBackward0")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    """Negative log-likelihood of log-probabilities (N, C) (e.g. log_softmax output) at labels (N,):
    ℓ_i = −w_{y_i}·log_probs[i, y_i], the mean taken over the kept labels' weights.  nll_loss(log_softmax(x, 1), y)
    equals cross_entropy(x, y)."""
    op = "nll_loss"
    reduction = _legacy_reduction(op, reduction, size_average, reduce)
    input = _float(input, op)
    LS.check_reduction(op, reduction)
    if input.ndim != 2:  # per position (N, C, d₁, …), or one sample (C,)
        return _per_position(nll_loss, op, input, target, reduction, weight=weight, ignore_index=ignore_index)
    nll, _, counted = _nll_parts(input, target, _weight(weight, op, input), ignore_index, op)
    loss = _kept_mean(nll, counted) if reduction == "mean" else LS.apply_reduction(nll, reduction)
    return _shown_as(loss, "NllLossBackward0")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """Mean absolute error |x − y| (reduced by ``reduction``)."""
    reduction = _legacy_reduction("l1_loss", reduction, size_average, reduce)
    input = _float(input, "l1_loss")
    input, target = _broadcast_pair("l1_loss", input, _regression_target(target, input, "l1_loss"))
    LS.check_reduction("l1_loss", reduction)
    return LS.apply_reduction((input - target).abs(), reduction)


# ----------------------------------------------------------------------------- composed from the ops above
# Each of these is a few lines of minigan ops, so its gradient (of any order) is the composition's: nothing
# new to differentiate by hand.  The formula in each docstring is PyTorch's documented one.
where = _F.choose  # (the math of minigan.where: minigan/_tensor_functions.py)


def _number(op, name, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) and not backend.is_numpy_scalar(value):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__} {value!r}")
    return float(value)


def silu(input, inplace=False):
    """SiLU / swish: x·σ(x)."""
    if inplace:
        return _into(input, "silu", lambda t: silu(t))
    input = _float(input, "silu")
    return _shown_as(input * input.sigmoid(), "SiluBackward0")


def mish(input, inplace=False):
    """Mish (Misra 2019): x·tanh(softplus(x))."""
    if inplace:
        return _into(input, "mish", lambda t: mish(t))
    input = _float(input, "mish")
    return _shown_as(input * input.softplus().tanh(), "MishBackward0")


def gelu(input, approximate="none"):
    """GELU (Hendrycks & Gimpel 2016), x·Φ(x) with Φ the standard normal CDF: Φ(x) = ½ erfc(−x/√2), which
    keeps its digits for large negative x.  ``approximate="tanh"``: ½x(1 + tanh(√(2/π)(x + 0.044715x³)))."""
    input = _float(input, "gelu")
    if approximate not in ("none", "tanh"):
        raise ValueError(f"gelu: approximate must be 'none' or 'tanh', got {approximate!r}")
    if approximate == "none":
        return _shown_as(input * 0.5 * (input * -(0.5 ** 0.5)).erfc(), "GeluBackward0")
    c = (2.0 / 3.141592653589793) ** 0.5
    return _shown_as(0.5 * input * (1.0 + ((input + 0.044715 * input * input * input) * c).tanh()), "GeluBackward0")


def softsign(input):
    """x / (1 + |x|)."""
    input = _tensor(input, "softsign")._as_float()
    return input / (input.abs() + 1.0)


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clipped to [min_val, max_val]; the derivative is 1 strictly between them (0 at each, unlike clamp's)."""
    if inplace:
        return _into(input, "hardtanh", lambda t: hardtanh(t, min_val, max_val))
    lo, hi = _number("hardtanh", "min_val", min_val), _number("hardtanh", "max_val", max_val)
    if lo > hi:
        raise ValueError(f"hardtanh: min_val ({lo}) must not be greater than max_val ({hi})")
    input = _integer_or_float(input, "hardtanh")
    if input.dtype.kind == "u" and lo < 0:
        raise ValueError(f"hardtanh: an unsigned tensor ({input.dtype}) cannot be clipped at min_val={lo}; PyTorch "
                         "refuses this too: convert it with x.long() first")
    lo, hi = (lo, hi) if backend.is_floating(input.dtype) else (int(lo), int(hi))  # PyTorch truncates them for integers
    return activation.Hardtanh.apply(input, lo=lo, hi=hi)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh(x, 0, 6)."""
    if inplace:
        return _into(input, "relu6", lambda t: relu6(t))
    return hardtanh(input, 0.0, 6.0)  # (bool refused as "hardtanh", as PyTorch's message says too)


def hardsigmoid(input, inplace=False):
    """relu6(x + 3) / 6: 0 below −3, 1 above 3, linear between."""
    if inplace:
        return _into(input, "hardsigmoid", lambda t: hardsigmoid(t))
    return _shown_as(relu6(_float(input, "hardsigmoid") + 3.0) / 6.0, "HardsigmoidBackward0")


def hardswish(input, inplace=False):
    """x · relu6(x + 3) / 6 (Howard et al. 2019, MobileNetV3)."""
    if inplace:
        return _into(input, "hardswish", lambda t: hardswish(t))
    return activation.Hardswish.apply(_float(input, "hardswish"))


def logsigmoid(input):
    """log σ(x) = −softplus(−x), stable for large |x|."""
    out = (-(-_float(input, "logsigmoid")).softplus()).contiguous()  # (row-major, as PyTorch's)
    return _shown_as(out, "LogSigmoidBackward0")


def tanhshrink(input):
    """x − tanh(x)."""
    input = _tensor(input, "tanhshrink")._as_float()
    return input - input.tanh()


def gumbel_softmax(logits, tau=1.0, hard=False, eps=1e-10, dim=-1):
    """A differentiable sample from the categorical distribution softmax(logits) (Jang et al. 2017; Maddison et al.
    2017): softmax((logits + g) / tau), g Gumbel noise, nearer a one-hot code the smaller tau.  With ``hard``, the
    one-hot code itself, whose gradient is the soft sample's (the straight-through estimator)."""
    x = _float(logits, "gumbel_softmax")
    if isinstance(tau, bool) or not isinstance(tau, (int, float)) or not tau > 0:
        raise ValueError(f"gumbel_softmax: tau must be a positive number, got {tau!r}")
    xp = backend.get_array_module(x.array)
    u = backend.rand(x.shape, dtype=x.dtype, xp=xp)
    gumbel = -xp.log(-xp.log(u + eps) + eps)  # -log(-log U)
    soft = ((x + Tensor._make(gumbel)) / tau).softmax(dim)
    if not hard:
        return soft
    one_hot = soft.detach().array == soft.detach().array.max(axis=dim, keepdims=True)  # (ties: measure zero)
    return Tensor._make(one_hot.astype(x.dtype)) - soft.detach() + soft  # forward: one-hot; backward: soft's


def softmin(input, dim=None, *, dtype=None):
    """softmax(−x) along ``dim``."""
    input = _float(input, "softmin")
    if dim is None:
        dim = _implicit_softmax_dim("softmin", input.ndim)
    return (-(input if dtype is None else input.to(dtype))).softmax(dim)


def selu(input, inplace=False):
    """SELU (Klambauer et al. 2017): scale · elu(x, α), α ≈ 1.6733, scale ≈ 1.0507."""
    if inplace:
        return _into(input, "selu", lambda t: selu(t))
    out = elu(_float(input, "selu"), 1.6732632423543772848170429916717) * 1.0507009873554804934193349852946
    return _shown_as(out, "EluBackward0")


def _negative_side(input, alpha):
    """A non-finite α where x < 0, 0 elsewhere: 0 · α would be NaN where x ≥ 0, and there ELU is x (as PyTorch's)."""
    return _F.where(input.detach() < 0, float(alpha), 0.0).to(input.dtype)


def celu(input, alpha=1.0, inplace=False):
    """max(0, x) + min(0, α(exp(x/α) − 1))."""
    if inplace:
        return _into(input, "celu", lambda t: celu(t, alpha))
    input, alpha = _float(input, "celu"), _number("celu", "alpha", alpha)
    if math.isfinite(alpha):
        return _shown_as(input.relu() + ((input.clamp(max=0.0) / alpha).exp() - 1.0) * alpha, "CeluBackward0")
    with backend.np.errstate(invalid="ignore"):  # (as elu's; x / α too only where x < 0)
        scaled = input.clamp(max=0.0) * _negative_side(input, 1.0 / alpha)
        return _shown_as(input.relu() + (scaled.exp() - 1.0) * _negative_side(input, alpha), "CeluBackward0")


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value."""
    if inplace:
        return _into(input, "threshold", lambda t: _threshold(t, threshold, value))
    return _threshold(input, threshold, value)


def _threshold(x, limit, value):  # (threshold's body: PyTorch names its parameter as the function)
    x = _integer_or_float(x, "threshold")
    t, v = _number("threshold", "threshold", limit), _number("threshold", "value", value)
    t, v = (t, v) if backend.is_floating(x.dtype) else (int(t), int(v))  # PyTorch truncates them for integers
    return activation.Threshold.apply(x, threshold=t, value=v)


# PyTorch's in-place spellings of the activations: each is the function with inplace=True.
def relu_(input):
    return relu(input, inplace=True)


def leaky_relu_(input, negative_slope=0.01):
    return leaky_relu(input, negative_slope, inplace=True)


def elu_(input, alpha=1.0):
    return elu(input, alpha, inplace=True)


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def selu_(input):
    return selu(input, inplace=True)


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def threshold_(input, threshold, value):
    return _into(input, "threshold", lambda t: _threshold(t, threshold, value))


def prelu(input, weight):
    """max(0, x) + weight · min(0, x), weight one value or one per channel (dimension 1)."""
    input, weight = _float(input, "prelu"), _float(weight, "prelu", "weight")
    _F.same_dtype("prelu", input, weight, "weight")
    shape = (1, -1) + (1,) * (input.ndim - 2) if weight.numel() > 1 else (1,) * input.ndim  # (0-d stays 0-d)
    return _shown_as(input.relu() + weight.reshape(*shape) * input.clamp(max=0.0), "PreluKernelBackward0")


def normalize(input, p=2.0, dim=1, eps=1e-12):
    """x / max(‖x‖_p, eps) along ``dim``."""
    input = _float(input, "normalize")
    return input / input.norm(p, dim=dim, keepdim=True).clamp(min=eps)


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """x1·x2 / (max(‖x1‖, eps) · max(‖x2‖, eps)) along ``dim``."""
    x1, x2 = _float(x1, "cosine_similarity"), _float(x2, "cosine_similarity")
    shape = backend.broadcast_shapes(tuple(x1.shape), tuple(x2.shape))  # (first: a size-1 dim along ``dim`` counts
    x1, x2 = x1.expand(*shape), x2.expand(*shape)  # once per copy in the norm, as PyTorch's)
    n1 = x1.norm(dim=dim, keepdim=True).clamp(min=eps)
    n2 = x2.norm(dim=dim, keepdim=True).clamp(min=eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """‖x1 − x2 + eps‖_p along the last dimension."""
    x1, x2 = _float(x1, "pairwise_distance"), _float(x2, "pairwise_distance")
    return (x1 - x2 + eps).norm(p, dim=-1, keepdim=keepdim)


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x − mean) / √(var + eps) over the last len(normalized_shape) dimensions (biased variance), then
    · weight + bias (Ba et al. 2016)."""
    input = _float(input, "layer_norm")
    shape = (int(normalized_shape),) if checks.is_integer(normalized_shape) else tuple(normalized_shape)
    if tuple(input.shape[input.ndim - len(shape):]) != shape:
        raise ShapeError(f"layer_norm: normalized_shape {shape} must be the last dimensions of the input, "
                         f"got input of shape {tuple(input.shape)}")
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    mean = input.mean(dims, keepdim=True)
    d = input - mean
    out = d / ((d * d).mean(dims, keepdim=True) + eps).sqrt()
    if weight is not None:
        out = out * weight
    return _shown_as(out if bias is None else out + bias, "NativeLayerNormBackward0")


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Group norm (Wu & He 2018): normalise x (N, C, ...) over each group of C/num_groups channels and the
    spatial dimensions, then · weight + bias per channel."""
    if _tensor(input, "group_norm").ndim < 2:  # (before the dtype, as PyTorch's; Python's IndexError came out)
        raise ShapeError(f"group_norm: input must be (N, C, ...), of at least 2 dimensions, got shape "
                         f"{tuple(input.shape)}")
    input = _float(input, "group_norm")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise ShapeError(f"group_norm: {c} channels do not split into {num_groups} groups")
    g = input.reshape(n, num_groups, -1)
    mean = g.mean(2, keepdim=True)
    d = g - mean
    out = (d / ((d * d).mean(2, keepdim=True) + eps).sqrt()).reshape(*input.shape)
    per_channel = (1, c) + (1,) * (input.ndim - 2)
    if weight is not None:
        out = out * weight.reshape(*per_channel)
    return _shown_as(out if bias is None else out + bias.reshape(*per_channel), "NativeGroupNormBackward0")


def instance_norm(input, running_mean=None, running_var=None, weight=None, bias=None, use_input_stats=True,
                  momentum=0.1, eps=1e-5):
    """Instance norm (Ulyanov et al. 2016): each channel of each sample normalised over its spatial dimensions
    (group norm with one channel per group).  Running statistics are not provided."""
    input = _float(input, "instance_norm")
    if running_mean is not None or running_var is not None or not use_input_stats:
        raise NotImplementedError("instance_norm: running statistics are not provided (track_running_stats=False "
                                  "is PyTorch's default for InstanceNorm too)")
    return _shown_as(group_norm(input, input.shape[1], weight, bias, eps), "ViewBackward0")  # (PyTorch's last step)


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """½d²/β where |d| < β, else |d| − ½β, with d = input − target (Girshick 2015, Fast R-CNN); β = 0 is L1."""
    reduction = _legacy_reduction("smooth_l1_loss", reduction, size_average, reduce)
    op = "smooth_l1_loss"
    x = _float(input, op)
    x, y = _broadcast_pair(op, x, _regression_target(target, x, op))
    LS.check_reduction(op, reduction)
    beta = _number(op, "beta", beta)
    if not beta >= 0:  # (NaN too, as PyTorch's)
        raise DomainError(f"{op}: beta must be >= 0, got {beta}")
    d = x - y
    if beta == 0:
        return _shown_as(LS.apply_reduction(d.abs(), reduction), "SmoothL1LossBackward0")
    loss = where(abs(d.array) < beta, d * d * (0.5 / beta), d.abs() - 0.5 * beta)
    return _shown_as(LS.apply_reduction(loss, reduction), "SmoothL1LossBackward0")


def huber_loss(input, target, reduction="mean", delta=1.0):
    """Huber (1964): ½d² where |d| < δ, else δ(|d| − ½δ); equal to δ · smooth_l1_loss with β = δ."""
    op = "huber_loss"
    reduction = _legacy_reduction(op, reduction, None, None)
    delta = _number(op, "delta", delta)
    if not delta > 0:  # (NaN too, as PyTorch's)
        raise DomainError(f"{op}: delta must be > 0, got {delta}")
    return _shown_as(smooth_l1_loss(input, target, reduction=reduction, beta=delta) * delta, "HuberLossBackward0")


def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Σ target·(log target − input), input being log-probabilities (PyTorch's argument order); "batchmean"
    divides the sum by the batch size (the true KL divergence per sample; "mean" divides by every element)."""
    reduction = _legacy_reduction("kl_div", reduction, size_average, reduce, ("mean", "sum", "none", "batchmean"))
    op = "kl_div"
    x, t = _float(input, op), _float(target, op, "target")
    LS.check_same_shape(op, x, t)
    if reduction not in ("mean", "sum", "none", "batchmean"):
        raise ValueError(f"{op}: reduction must be 'mean', 'sum', 'none' or 'batchmean', got {reduction!r}")
    if log_target:
        pointwise = t.exp() * (t - x)
    else:
        with backend.np.errstate(invalid="ignore"):  # (0·log 0 = 0; NaN for a negative or NaN target, as PyTorch's)
            pointwise = _F.xlogy(t, t) - t * x
    if reduction == "batchmean":
        return pointwise.sum() / x.shape[0]
    return LS.apply_reduction(pointwise, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(−y·x)) for labels y ∈ {−1, 1}."""
    reduction = _legacy_reduction("soft_margin_loss", reduction, size_average, reduce)
    op = "soft_margin_loss"
    x, y = _float(input, op), _float(target, op, "target")
    LS.check_same_shape(op, x, y)
    LS.check_reduction(op, reduction)
    return _shown_as(LS.apply_reduction((-(y * x)).softplus(), reduction), "SoftMarginLossBackward0")


def pixel_shuffle(input, upscale_factor):
    """(N, C·r², H, W) → (N, C, H·r, W·r) (Shi et al. 2016, sub-pixel convolution)."""
    input, r = _float(input, "pixel_shuffle"), int(upscale_factor)
    if input.ndim != 4:
        raise ShapeError(f"pixel_shuffle: input must be 4-D (N, C, H, W), got shape {tuple(input.shape)}")
    n, c, h, w = input.shape
    if c % (r * r):
        raise ShapeError(f"pixel_shuffle: {c} channels are not divisible by upscale_factor² = {r * r}")
    out = input.reshape(n, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c // (r * r), h * r, w * r)
    return out if out._base is None else out.clone()  # (a new tensor, as PyTorch's, also where no entry moves)


def pixel_unshuffle(input, downscale_factor):
    """(N, C, H·r, W·r) → (N, C·r², H, W), the inverse of pixel_shuffle."""
    input, r = _float(input, "pixel_unshuffle"), int(downscale_factor)
    if input.ndim != 4:
        raise ShapeError(f"pixel_unshuffle: input must be 4-D (N, C, H, W), got shape {tuple(input.shape)}")
    n, c, h, w = input.shape
    if h % r or w % r:
        raise ShapeError(f"pixel_unshuffle: height and width {(h, w)} are not divisible by {r}")
    out = input.reshape(n, c, h // r, r, w // r, r).permute(0, 1, 3, 5, 2, 4).reshape(n, c * r * r, h // r, w // r)
    return out if out._base is None else out.clone()


def _attention_bias(mask, dtype, xp):
    """A mask as the additive bias of attention scores: bool True = may attend (0), False = −inf; a float mask
    is added as it is."""
    if mask.dtype == xp.bool_:
        return Tensor._make(xp.where(mask.array, 0.0, -xp.inf).astype(dtype))
    return mask


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0, is_causal=False, scale=None,
                                 enable_gqa=False):
    """softmax(Q·Kᵀ·scale + bias)·V (Vaswani et al. 2017, eq. 1), scale 1/√E by default, over the last two axes
    of (…, L, E) queries and (…, S, E) keys.  attn_mask: bool (True = may attend) or a float bias, broadcast
    to (…, L, S); is_causal: query i sees keys 0…i.  enable_gqa: fewer key/value heads, each shared by a group."""
    query, key, value = _float(query, "scaled_dot_product_attention", "query"), \
        _float(key, "scaled_dot_product_attention", "key"), _float(value, "scaled_dot_product_attention", "value")
    if query.ndim < 2 or key.ndim != query.ndim or value.ndim != query.ndim or key.shape[-1] != query.shape[-1] \
            or key.shape[-2] != value.shape[-2]:
        raise ShapeError(f"scaled_dot_product_attention: expected query (…, L, E), key (…, S, E) and value "
                         f"(…, S, Ev), got {tuple(query.shape)}, {tuple(key.shape)} and {tuple(value.shape)}")
    if is_causal and attn_mask is not None:
        raise ValueError("scaled_dot_product_attention: pass attn_mask or is_causal=True, not both")
    if enable_gqa and query.ndim >= 3 and key.shape[-3] != query.shape[-3]:  # each key/value head serves a group
        if query.shape[-3] % key.shape[-3]:
            raise ShapeError(f"scaled_dot_product_attention: {query.shape[-3]} query heads are not a multiple of "
                             f"{key.shape[-3]} key/value heads")
        group = query.shape[-3] // key.shape[-3]
        key, value = key.repeat_interleave(group, dim=-3), value.repeat_interleave(group, dim=-3)
    xp = backend.get_array_module(query.array)
    length, source = query.shape[-2], key.shape[-2]
    scores = query @ key.transpose(-2, -1) * (1.0 / query.shape[-1] ** 0.5 if scale is None else scale)
    if is_causal:
        attn_mask = Tensor._make(xp.tril(xp.ones((length, source), dtype=bool)))
    alive = None
    if attn_mask is not None:
        bias = _attention_bias(_tensor(attn_mask, "scaled_dot_product_attention", "attn_mask"), query.dtype, xp)
        dead = xp.all(bias.array == -xp.inf, axis=-1, keepdims=True)  # a query that may attend to no key
        if dead.any():  # gets output 0, as PyTorch's (its softmax would be 0/0); its bias is set to 0, then unused
            bias, alive = bias.masked_fill(Tensor._make(dead), 0.0), Tensor._make((~dead).astype(query.dtype))
        scores = scores + bias
    weights = scores.softmax(-1) if alive is None else scores.softmax(-1) * alive
    if dropout_p > 0:
        weights = dropout(weights, dropout_p)
    return weights @ value


def _adaptive_means(size, out, like):
    """The (out, size) matrix whose row i averages PyTorch's adaptive window i: [⌊i·size/out⌋, ⌈(i+1)·size/out⌉)."""
    xp = backend.get_array_module(like.array)
    i, j = xp.arange(out)[:, None], xp.arange(size)[None, :]
    start, end = (i * size) // out, -((-(i + 1) * size) // out)
    return Tensor._make((((j >= start) & (j < end)) / (end - start)).astype(like.dtype))


def adaptive_avg_pool2d(input, output_size):
    """The mean over each of output_size regions of x (N, C, H, W), PyTorch's regions: window i of an axis spans
    [⌊i·H/out⌋, ⌈(i+1)·H/out⌉), so neighbouring windows overlap when out does not divide H.  Averaging is linear:
    the output is A_h · x · A_wᵀ, with A the averaging matrices; when out divides H the windows are equal blocks."""
    input = _float(input, "adaptive_avg_pool2d")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(adaptive_avg_pool2d, input, output_size)
    if input.ndim != 4:
        raise ShapeError(f"adaptive_avg_pool2d: expected input of shape (N, C, H, W), got {input.shape}")
    oh, ow = (output_size, output_size) if checks.is_integer(output_size) else output_size
    n, c, h, w = input.shape
    oh, ow = oh or h, ow or w  # None keeps that size, as in PyTorch
    if not (checks.is_integer(oh) and checks.is_integer(ow) and oh > 0 and ow > 0):
        raise DomainError(f"adaptive_avg_pool2d: output_size must be positive ints (or None), got {output_size!r}")
    oh, ow = int(oh), int(ow)
    if h % oh == 0 and w % ow == 0:  # equal blocks: a reshape and a mean
        return input.reshape(n, c, oh, h // oh, ow, w // ow).mean((3, 5))
    return _adaptive_means(h, oh, input) @ input @ _adaptive_means(w, ow, input).T


def _adaptive_windows(size, out, like):
    """(out, longest) indices: row i lists adaptive window i, its last index repeated to the longest's length
    (a repeated element changes no maximum)."""
    xp = backend.get_array_module(like.array)
    i = xp.arange(out)[:, None]
    start, end = (i * size) // out, -((-(i + 1) * size) // out)
    return xp.minimum(start + xp.arange(int((end - start).max()))[None, :], end - 1)


def adaptive_max_pool2d(input, output_size, return_indices=False):
    """The maximum over each of PyTorch's adaptive windows of x (N, C, H, W) (see ``adaptive_avg_pool2d``):
    over each row's window columns, then over the window's rows, so that the gradient goes to the first
    maximum in row-major order, as PyTorch's does."""
    input = _float(input, "adaptive_max_pool2d")
    if input.ndim == 3:  # one sample, no batch axis
        return _one_sample(adaptive_max_pool2d, input, output_size, return_indices)
    if input.ndim != 4:
        raise ShapeError(f"adaptive_max_pool2d: expected input of shape (N, C, H, W), got {input.shape}")
    oh, ow = (output_size, output_size) if checks.is_integer(output_size) else output_size
    oh, ow = oh or input.shape[2], ow or input.shape[3]
    if not (checks.is_integer(oh) and checks.is_integer(ow) and oh > 0 and ow > 0):
        raise DomainError(f"adaptive_max_pool2d: output_size must be positive ints (or None), got {output_size!r}")
    oh, ow = int(oh), int(ow)
    columns, rows = _adaptive_windows(input.shape[3], ow, input), _adaptive_windows(input.shape[2], oh, input)
    by_row, at_column = input[:, :, :, columns].max(dim=4)  # (N, C, H, ow), and where in each window
    out, at_row = by_row[:, :, rows].max(dim=3)  # (N, C, oh, ow)
    if not return_indices:
        return out
    xp = backend.get_array_module(input.array)
    column = columns[xp.arange(ow), at_column.array]  # (N, C, H, ow): the maximum's column in each row's window
    row = rows[xp.arange(oh)[:, None], at_row.array]  # (N, C, oh, ow)
    flat = row * input.shape[3] + xp.take_along_axis(column, row, axis=2)  # PyTorch's index into H·W
    return out, Tensor._make(flat.astype(backend.np.int64))


def adaptive_avg_pool1d(input, output_size):
    """adaptive_avg_pool2d of x (N, C, L) as a height-1 image."""
    input = _float(input, "adaptive_avg_pool1d")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(adaptive_avg_pool1d, input, output_size)
    if input.ndim != 3:
        raise ShapeError(f"adaptive_avg_pool1d: expected input of shape (N, C, L), got {tuple(input.shape)}")
    size = output_size[0] if isinstance(output_size, (tuple, list)) and len(output_size) == 1 else output_size
    return adaptive_avg_pool2d(input.unsqueeze(2), (1, size)).squeeze(2)


def adaptive_max_pool1d(input, output_size, return_indices=False):
    """adaptive_max_pool2d of x (N, C, L) as a height-1 image."""
    input = _float(input, "adaptive_max_pool1d")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(adaptive_max_pool1d, input, output_size, return_indices)
    if input.ndim != 3:
        raise ShapeError(f"adaptive_max_pool1d: expected input of shape (N, C, L), got {tuple(input.shape)}")
    size = output_size[0] if isinstance(output_size, (tuple, list)) and len(output_size) == 1 else output_size
    out = adaptive_max_pool2d(input.unsqueeze(2), (1, size), return_indices)  # (indices into L: the height is 1)
    return tuple(o.squeeze(2) for o in out) if return_indices else out.squeeze(2)


def _picking_kernels(channels, kh, kw, like):
    """The C·kh·kw convolution kernels that each pick one input pixel: an identity, shaped (C·kh·kw, C, kh, kw)."""
    xp = backend.get_array_module(like.array)
    return Tensor._make(xp.eye(channels * kh * kw, dtype=like.dtype).reshape(-1, channels, kh, kw))


def unfold(input, kernel_size, dilation=1, padding=0, stride=1):
    """im2col, as PyTorch shows it: each kh×kw window of x (N, C, H, W) as a column of (N, C·kh·kw, L), L the
    number of windows.  It is a convolution whose kernels each pick one pixel, so its gradient is ``fold``
    (col2im, the transposed convolution) and every order comes from the convolution's."""
    kh, kw = checks.pair(kernel_size, "kernel_size", "unfold", 1)  # (its type first, as PyTorch's)
    x = _float(input, "unfold")
    if x.ndim != 4:
        raise ShapeError(f"unfold: input must be 4-D (N, C, H, W), got shape {tuple(x.shape)}")
    out = conv2d(x, _picking_kernels(x.shape[1], kh, kw, x), None, stride, padding, dilation)
    return _shown_as(out.reshape(x.shape[0], out.shape[1], -1), "Im2ColBackward0")


def fold(input, output_size, kernel_size, dilation=1, padding=0, stride=1):
    """col2im, unfold's adjoint: the columns (N, C·kh·kw, L) added back onto an (N, C, H, W) image of
    ``output_size``, overlapping windows summing, as PyTorch's."""
    cols = _float(input, "fold")
    (h, w), (kh, kw) = checks.pair(output_size, "output_size", "fold", 1), checks.pair(kernel_size, "kernel_size",
                                                                                        "fold", 1)
    (sh, sw), (ph, pw) = checks.pair(stride, "stride", "fold", 1), checks.pair(padding, "padding", "fold", 0)
    dh, dw = checks.pair(dilation, "dilation", "fold", 1)
    ho, wo = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    if cols.ndim != 3 or cols.shape[1] % (kh * kw) or cols.shape[2] != ho * wo:
        raise ShapeError(f"fold: expected input (N, C·{kh}·{kw}, {ho * wo}) for output_size {(h, w)}, kernel "
                         f"{(kh, kw)}, stride {(sh, sw)}, padding {(ph, pw)}, dilation {(dh, dw)}; got "
                         f"{tuple(cols.shape)}")
    extra = (h + 2 * ph - dh * (kh - 1) - 1 - (ho - 1) * sh, w + 2 * pw - dw * (kw - 1) - 1 - (wo - 1) * sw)
    kernels = _picking_kernels(cols.shape[1] // (kh * kw), kh, kw, cols)
    return conv_transpose2d(cols.reshape(cols.shape[0], cols.shape[1], ho, wo), kernels, None, (sh, sw), (ph, pw),
                            extra, 1, (dh, dw))


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation: x (N, C, L), weight (O, C/groups, k) → (N, O, L_out), as conv2d on a height-1 image.
    padding may be an int, 'same' or 'valid'."""
    input, weight = _float(input, "conv1d"), _float(weight, "conv1d", "weight")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(conv1d, input, weight, bias, stride, padding, dilation, groups)
    if input.ndim != 3 or weight.ndim != 3:
        raise ShapeError(f"conv1d: expected input (N, C, L) and weight (O, C/groups, k), got {tuple(input.shape)} and "
                         f"{tuple(weight.shape)}")
    one = lambda v: _single("conv1d", v)  # an int, or PyTorch's 1-tuple
    p = one(padding)
    out = conv2d(input.unsqueeze(2), weight.unsqueeze(2), bias, (1, one(stride)), p if isinstance(p, str) else (0, p),
                 (1, one(dilation)), groups)
    return _shown_as(out.squeeze(2), "ConvolutionBackward0")


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """The adjoint of conv1d: x (N, C_in, L), weight (C_in, C_out/groups, k), as conv_transpose2d on a height-1
    image."""
    input, weight = _float(input, "conv_transpose1d"), _float(weight, "conv_transpose1d", "weight")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(conv_transpose1d, input, weight, bias, stride, padding, output_padding, groups, dilation)
    if input.ndim != 3 or weight.ndim != 3:
        raise ShapeError(f"conv_transpose1d: expected input (N, C_in, L) and weight (C_in, C_out/groups, k), got "
                         f"{tuple(input.shape)} and {tuple(weight.shape)}")
    one = lambda v: _single("conv_transpose1d", v)  # an int, or PyTorch's 1-tuple
    out = conv_transpose2d(input.unsqueeze(2), weight.unsqueeze(2), bias, (1, one(stride)), (0, one(padding)),
                           (0, one(output_padding)), groups, (1, one(dilation)))
    return out.squeeze(2)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """The maximum of each window of x (N, C, L), as max_pool2d on a height-1 image, with its options
    (sizes: an int or PyTorch's 1-tuple; indices index L)."""
    input = _pooled(input, "max_pool1d", "(N, C, L)")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(max_pool1d, input, kernel_size, stride, padding, dilation, ceil_mode, return_indices)
    if input.ndim != 3:
        raise ShapeError(f"max_pool1d: input must be 3-D (N, C, L), got shape {tuple(input.shape)}")
    one = lambda v: _single("max_pool1d", v)  # an int, or PyTorch's 1-tuple
    params = checks.check_pool2d("max_pool1d", input.array.shape[:2] + (1,) + input.array.shape[2:],
                                 (1, one(kernel_size)),
                                 None if stride is None else (1, one(stride)), (0, one(padding)), (1, one(dilation)),
                                 ceil_mode)
    if not return_indices:
        return P.Pool2d.apply(input.unsqueeze(2), mode="max", **params).squeeze(2)
    argmax, indices = P.max_positions(input.array[:, :, None], **params)
    out = P.Pool2d.apply(input.unsqueeze(2), mode="max", argmax=argmax, **params)
    return out.squeeze(2), Tensor._make(indices[:, :, 0])


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """The mean of each window of x (N, C, L), as avg_pool2d on a height-1 image, with its options
    (sizes: an int or PyTorch's 1-tuple)."""
    input = _pooled(input, "avg_pool1d", "(N, C, L)")
    if input.ndim == 2:  # one sample, no batch axis
        return _one_sample(avg_pool1d, input, kernel_size, stride, padding, ceil_mode, count_include_pad)
    if input.ndim != 3:
        raise ShapeError(f"avg_pool1d: input must be 3-D (N, C, L), got shape {tuple(input.shape)}")
    one = lambda v: _single("avg_pool1d", v)  # an int, or PyTorch's 1-tuple
    params = checks.check_pool2d("avg_pool1d", input.array.shape[:2] + (1,) + input.array.shape[2:],
                                 (1, one(kernel_size)),
                                 None if stride is None else (1, one(stride)), (0, one(padding)), 1, ceil_mode)
    return P.Pool2d.apply(input.unsqueeze(2), mode="avg", count_include_pad=bool(count_include_pad),
                          **params).squeeze(2)


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/_missing.py)."""
    raise _missing.attribute_error('torch.nn.functional', name, sys.modules[__name__])


def glu(input, dim=-1):
    """Gated linear unit (Dauphin et al. 2017): a·σ(b), with a and b the two halves of x along ``dim``."""
    input = _float(input, "glu")
    n = input.shape[dim]
    if n % 2:
        raise ShapeError(f"glu: dimension {dim} of shape {tuple(input.shape)} has odd size {n}; it is halved")
    before = (slice(None),) * (dim % input.ndim)
    a, b = input[before + (slice(0, n // 2),)], input[before + (slice(n // 2, n),)]
    return _shown_as(a * b.sigmoid(), "GluBackward0")


def hardshrink(input, lambd=0.5):
    """x where |x| > λ, else 0."""
    input = _float(input, "hardshrink")
    return _shown_as(where(abs(input.array) <= lambd, 0.0, input), "HardshrinkBackward0")  # (NaN stays NaN, as PyTorch)


def softshrink(input, lambd=0.5):
    """x − λ above λ, x + λ below −λ, 0 between."""
    input = _float(input, "softshrink")
    return _shown_as(where(abs(input.array) <= lambd, 0.0, where(input.array > lambd, input - lambd,
                                                       input + lambd)), "SoftshrinkBackward0")  # (NaN stays NaN)


def rms_norm(input, normalized_shape, weight=None, eps=None):
    """x / √(mean(x²) + eps) over the last dimensions ``normalized_shape``, times ``weight`` (Zhang & Sennrich
    2019); eps defaults to the dtype's machine epsilon, as PyTorch."""
    input = _float(input, "rms_norm")
    shape = (int(normalized_shape),) if checks.is_integer(normalized_shape) else tuple(normalized_shape)
    dims = tuple(range(input.ndim - len(shape), input.ndim))
    eps = float(backend.finfo(input.dtype).eps) if eps is None else eps
    out = input / ((input * input).mean(dims, keepdim=True) + eps).sqrt()
    return out if weight is None else out * weight


def margin_ranking_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """max(0, −y·(x1 − x2) + margin) for y ∈ {−1, 1}."""
    reduction = _legacy_reduction("margin_ranking_loss", reduction, size_average, reduce)
    x1, x2, y = (_float(t, "margin_ranking_loss", n) for t, n in ((input1, "input1"), (input2, "input2"),
                                                                  (target, "target")))
    return LS.apply_reduction((-y * (x1 - x2) + margin).clamp(min=0.0), reduction)


def hinge_embedding_loss(input, target, margin=1.0, size_average=None, reduce=None, reduction="mean"):
    """x where y = 1, max(0, margin − x) where y = −1."""
    reduction = _legacy_reduction("hinge_embedding_loss", reduction, size_average, reduce)
    x, y = _float(input, "hinge_embedding_loss"), _float(target, "hinge_embedding_loss", "target")
    loss = where(y.array != 1, (margin - x).clamp(min=0.0), 0.0) + where(y.array != -1, x, 0.0)
    return LS.apply_reduction(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0.0, size_average=None, reduce=None, reduction="mean"):
    """1 − cos(x1, x2) where y = 1, max(0, cos(x1, x2) − margin) where y = −1 (cos over dimension 1, with
    PyTorch's 1e-12 added to each squared norm)."""
    reduction = _legacy_reduction("cosine_embedding_loss", reduction, size_average, reduce)
    x1, x2 = _float(input1, "cosine_embedding_loss"), _float(input2, "cosine_embedding_loss")
    y = _tensor(target, "cosine_embedding_loss", "target")
    dim = x1.ndim - 1
    cos = (x1 * x2).sum(dim) / (((x1 * x1).sum(dim) + 1e-12) * ((x2 * x2).sum(dim) + 1e-12)).sqrt()
    loss = where(y.array == 1, 1.0 - cos, 0.0) + where(y.array == -1, (cos - margin).clamp(min=0.0), 0.0)
    return LS.apply_reduction(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2.0, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """max(d(a, p) − d(a, n) + margin, 0) with d the pairwise p-distance (Schroff et al. 2015, FaceNet);
    ``swap`` uses min(d(a, n), d(p, n)) as the negative distance (Balntas et al. 2016)."""
    reduction = _legacy_reduction("triplet_margin_loss", reduction, size_average, reduce)
    d_ap = pairwise_distance(anchor, positive, p, eps)
    d_an = pairwise_distance(anchor, negative, p, eps)
    if swap:
        from minigan._tensor_surface import minimum

        d_an = minimum(d_an, pairwise_distance(positive, negative, p, eps))
    return LS.apply_reduction((d_ap - d_an + margin).clamp(min=0.0), reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """½(log max(var, eps) + (input − target)² / max(var, eps)) (+ ½ log 2π when ``full``).  As in PyTorch,
    the clamp at eps changes the value only: the gradient flows to var as if unclamped."""
    op = "gaussian_nll_loss"
    reduction = _legacy_reduction(op, reduction, None, None, old_mean=False)
    x = _tensor(input, op)
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
    x, t, v = _float(x, op), _float(target, op, "target"), _float(v, op, "var")
    v = v + (v.clamp(min=eps) - v).detach()
    loss = 0.5 * (v.log() + (x - t) * (x - t) / v)
    if full:
        loss = loss + 0.5 * 1.8378770664093453  # ½ log 2π
    return LS.apply_reduction(loss, reduction)


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    """exp(x) − t·x for log-rates x (``log_input``), else x − t·log(x + eps); ``full`` adds Stirling's
    t·log t − t + ½ log(2πt) where t > 1."""
    reduction = _legacy_reduction("poisson_nll_loss", reduction, size_average, reduce, old_mean=False)
    x, t = _float(input, "poisson_nll_loss"), _float(target, "poisson_nll_loss", "target")
    loss = x.exp() - t * x if log_input else x - t * (x + eps).log()
    if full:
        safe = where(t.array > 1, t, 2.0)
        loss = loss + where(t.array > 1, safe * safe.log() - safe + 0.5 * (safe * 6.283185307179586).log(), 0.0)
    return LS.apply_reduction(loss, reduction)


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """−mean over classes of [y·log σ(x) + (1 − y)·log σ(−x)], per sample, then reduced over the batch."""
    reduction = _legacy_reduction("multilabel_soft_margin_loss", reduction, size_average, reduce, old_mean=False)
    x, y = _float(input, "multilabel_soft_margin_loss"), _float(target, "multilabel_soft_margin_loss", "target")
    loss = -(y * logsigmoid(x) + (1 - y) * logsigmoid(-x))
    if weight is not None:
        loss = loss * weight
    return LS.apply_reduction(loss.mean(x.ndim - 1), reduction)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of (N, C, L) (or (C, L)) with probability p, scaling the rest by 1/(1 − p)."""
    if inplace:
        return _into(input, "dropout1d", lambda t: dropout1d(t, p, training))
    input = _float(input, "dropout1d")
    if input.ndim not in (2, 3):
        raise ShapeError(f"dropout1d: expected input (N, C, L) or (C, L), got shape {tuple(input.shape)}")
    if not training or p == 0:
        return input
    batched = input if input.ndim == 3 else input.unsqueeze(0)
    out = dropout2d(batched.unsqueeze(-1), p, training).squeeze(-1)  # a channel of length L: an L×1 image
    return out if input.ndim == 3 else out.squeeze(0)
