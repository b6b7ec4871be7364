"""User-facing functions (``import minigan.functional as F``), named as in ``torch.nn.functional``.

Each checks its arguments and calls one op from ``minigan/ops``.
"""

from __future__ import annotations

from minigan import backend, checks
from minigan._tensor import Tensor, tensor
from minigan.checks import pair
from minigan.errors import ShapeError
from minigan.ops import conv as C
from minigan.ops import elementwise as E
from minigan.ops import linalg as L
from minigan.ops import loss as LS
from minigan.ops import norm as N
from minigan.ops import pool as P
from minigan.ops import shape as S


def _tensor(x, op, name="input") -> Tensor:
    if isinstance(x, Tensor):
        return x
    if backend.is_array(x) or isinstance(x, (int, float, list, tuple)) or backend.is_numpy_scalar(x):
        return tensor(x)
    raise TypeError(f"{op}: {name} must be a Tensor or an array, got {type(x).__name__}")


def _float(x, op, name="input") -> Tensor:
    x = _tensor(x, op, name)
    if not backend.is_floating(x.dtype):
        raise TypeError(f"{op}: {name} must be a floating-point tensor, got dtype {x.dtype}")
    return x


def _same_dtype(op, x, weight):
    """A layer computes in its parameters' dtype; a float64 input to float32 weights is a mistake (usually
    NumPy noise or data), caught here at the layer instead of later at optimizer.step(), as PyTorch does."""
    if x.dtype != weight.dtype:
        raise TypeError(f"{op}: input is {x.dtype} but the weight is {weight.dtype}; expected the same dtype "
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
    if backend.device_of(labels) != like.device:
        labels = backend.to_device(labels, like.device)
    if not backend.is_integer(labels.dtype):
        raise TypeError(f"{op}: labels must be integers, got dtype {labels.dtype}")
    return labels


# ----------------------------------------------------------------------------- activations
# Each is the Tensor method of the same name, so the checks (in tensor.py) are the same whichever door is used.
def relu(x):
    return _tensor(x, "relu").relu()


def leaky_relu(x, negative_slope=0.01):
    return _tensor(x, "leaky_relu").leaky_relu(negative_slope)


def sigmoid(x):
    return _tensor(x, "sigmoid").sigmoid()


def tanh(x):
    return _tensor(x, "tanh").tanh()


def softplus(x):
    return _tensor(x, "softplus").softplus()


def softmax(x, dim=-1, *, axis=None):
    return _tensor(x, "softmax").softmax(dim, axis=axis)


def log_softmax(x, dim=-1, *, axis=None):
    return _tensor(x, "log_softmax").log_softmax(dim, axis=axis)


def logsumexp(x, dim=None, keepdim=False, *, axis=None, keepdims=None):
    return _float(x, "logsumexp").logsumexp(dim, keepdim, axis=axis, keepdims=keepdims)


# ----------------------------------------------------------------------------- layers as functions
def linear(x, weight, bias=None):
    """y = x Wᵀ + b, with weight (out_features, in_features) as in PyTorch."""
    x, weight = _float(x, "linear"), _float(weight, "linear", "weight")
    _same_dtype("linear", x, weight)
    bias = None if bias is None else _float(bias, "linear", "bias")
    checks.check_linear(x.shape, weight.shape, None if bias is None else bias.shape)
    if bias is None:
        return L.Linear.apply(x, weight)
    return L.Linear.apply(x, weight, bias)


def dropout(x, p=0.5, training=True):
    """Inverted dropout: zero each element with probability p and scale the rest by 1/(1−p),
    so the expected activation is unchanged and evaluation needs no rescaling."""
    x = _float(x, "dropout")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise ValueError(f"dropout: p must be a probability in [0, 1), got {p!r}")
    if not training or p == 0:
        return x
    xp = backend.get_array_module(x.array)
    keep = backend.rand(x.shape, dtype=x.dtype, xp=xp) >= p
    mask = keep.astype(x.dtype) / x.dtype.type(1 - p)
    return E.Mul.apply(x, Tensor._make(mask))


def cat(tensors, dim=0, *, axis=None):
    """Concatenate tensors along an existing dimension (shapes must match elsewhere)."""
    axis = dim if axis is None else axis
    tensors = [_tensor(t, "cat", f"tensor {i}") for i, t in enumerate(tensors)] if isinstance(
        tensors, (list, tuple)) else tensors
    axis = checks.check_cat(tensors, axis)
    return S.Cat.apply(*tensors, axis=axis)


def stack(tensors, dim=0, *, axis=None):
    """Join same-shaped tensors along a new dimension."""
    axis = dim if axis is None else axis
    if not isinstance(tensors, (list, tuple)) or not tensors:
        raise ValueError("stack: expected a non-empty list of tensors")
    tensors = [_tensor(t, "stack", f"tensor {i}") for i, t in enumerate(tensors)]
    shape = tensors[0].shape
    for i, t in enumerate(tensors):
        if t.shape != shape:
            raise ShapeError(f"stack: tensor {i} has shape {t.shape}, but tensor 0 has shape {shape}")
    axis = checks.normalize_axis(axis, len(shape) + 1, "stack", single=True)
    return cat([t.unsqueeze(axis) for t in tensors], axis=axis)


def pad(x, pad, mode="constant", value=0.0):
    """Constant padding.  PyTorch's form: a flat tuple (left, right, top, bottom, ...) pads the LAST
    dimension first, two numbers per dimension.  NumPy's form: an int, or one (before, after) pair per axis."""
    x = _tensor(x, "pad")
    if mode != "constant":
        raise ValueError(f"pad: mode {mode!r} is not supported; expected 'constant'")
    flat = isinstance(pad, (tuple, list)) and all(isinstance(v, int) for v in pad)
    if flat:
        if len(pad) % 2 or len(pad) // 2 > x.ndim:
            raise ShapeError(f"pad: PyTorch-style pad {tuple(pad)} must hold an even number of sizes, two for each "
                             f"of at most {x.ndim} dimensions (input shape {x.shape})")
        pairs = [(pad[i], pad[i + 1]) for i in range(0, len(pad), 2)][::-1]  # from the last dimension backwards
        pad = [(0, 0)] * (x.ndim - len(pairs)) + pairs
    return S.Pad.apply(x, pad_width=checks.normalize_pad(pad, x.ndim), value=value)


def one_hot(labels, num_classes):
    """Float32 one-hot rows (N, num_classes) for integer labels (N,); no gradient."""
    if isinstance(num_classes, bool) or not isinstance(num_classes, int) or num_classes < 1:
        raise ValueError(f"one_hot: num_classes must be a positive int, got {num_classes!r}")
    if isinstance(labels, Tensor):
        y = labels.array
    elif backend.is_array(labels):
        y = labels
    else:
        y = backend.active_module().asarray(backend.np.asarray(labels))
    LS.check_labels("one_hot", y, num_classes)
    xp = backend.get_array_module(y)
    return Tensor._make(xp.eye(num_classes, dtype=backend.DEFAULT_DTYPE)[y])


# ----------------------------------------------------------------------------- losses (mean by default)
def binary_cross_entropy_with_logits(logits, target, reduction="mean"):
    """−[t log σ(x) + (1−t) log(1−σ(x))] in the softplus form: exact for logits of ±1e4."""
    op = "binary_cross_entropy_with_logits"
    logits, target = _float(logits, op, "logits"), _float(target, op, "target")
    LS.check_same_shape(op, logits, target)
    LS.check_reduction(op, reduction)
    return LS.BCEWithLogits.apply(logits, target, reduction=reduction)


def binary_cross_entropy(probs, target, reduction="mean"):
    """−[t log p + (1−t) log(1−p)] for probabilities p ∈ [0, 1] (logs clamped at −100)."""
    op = "binary_cross_entropy"
    probs, target = _float(probs, op, "input"), _float(target, op, "target")
    LS.check_same_shape(op, probs, target)
    LS.check_reduction(op, reduction)
    LS.check_probabilities(op, probs.array)
    return LS.BCE.apply(probs, target, reduction=reduction)


def cross_entropy(logits, labels, reduction="mean"):
    """Softmax cross-entropy of logits (N, C) against integer class labels (N,)."""
    op = "cross_entropy"
    logits = _float(logits, op, "logits")
    y = _labels(labels, op, logits)
    if logits.ndim != 2:
        raise ShapeError(f"{op}: expected logits of shape (N, C), got {logits.shape}")
    LS.check_labels(op, y, logits.shape[1], logits.shape[0])
    LS.check_reduction(op, reduction)
    return LS.CrossEntropy.apply(logits, labels=y, reduction=reduction)


def mse_loss(x, y, reduction="mean"):
    x, y = _float(x, "mse_loss"), _float(y, "mse_loss", "target")
    LS.check_same_shape("mse_loss", x, y)
    LS.check_reduction("mse_loss", reduction)
    return LS.MSE.apply(x, y, reduction=reduction)


# ----------------------------------------------------------------------------- convolution, normalization
def conv2d(x, weight, bias=None, stride=1, padding=0):
    """2-D cross-correlation: x (N, C, H, W), weight (O, C, kh, kw), bias (O,) → (N, O, H_out, W_out).

    H_out = ⌊(H + 2·padding − kh) / stride⌋ + 1 (likewise W); stride and padding are ints or (h, w) pairs.
    """
    x, weight = _float(x, "conv2d"), _float(weight, "conv2d", "weight")
    _same_dtype("conv2d", x, weight)
    bias = None if bias is None else _float(bias, "conv2d", "bias")
    params = checks.check_conv2d(x.shape, weight.shape, None if bias is None else bias.shape, stride, padding)
    if bias is None:
        return C.Conv2d.apply(x, weight, **params)
    return C.Conv2d.apply(x, weight, bias, **params)


def conv_transpose2d(x, weight, bias=None, stride=1, padding=0, output_padding=0):
    """The adjoint of conv2d: x (N, C_in, H, W), weight (C_in, C_out, kh, kw), bias (C_out,).

    H_out = (H − 1)·stride − 2·padding + kh + output_padding (likewise W): with kernel 4, stride 2,
    padding 1 it doubles H.  output_padding (< stride) adds rows/columns at the bottom/right.
    """
    op = "conv_transpose2d"
    x, weight = _float(x, op), _float(weight, op, "weight")
    _same_dtype(op, x, weight)
    bias = None if bias is None else _float(bias, op, "bias")
    params = checks.check_conv_transpose2d(x.shape, weight.shape, None if bias is None else bias.shape, stride, padding,
                                      output_padding)
    if bias is None:
        return C.ConvTranspose2d.apply(x, weight, **params)
    return C.ConvTranspose2d.apply(x, weight, bias, **params)




def batch_norm(x, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1, eps=1e-5):
    """Batch normalisation over axis 1 of (N, C), (N, C, L) or (N, C, H, W), as ``torch.nn.functional``.

    running_mean/running_var: (C,) Tensors or arrays (or None): used in evaluation, updated in
    place in training.  weight γ and bias β: (C,) (default 1 and 0).
    """
    x = _float(x, "batch_norm")
    if x.ndim not in (2, 3, 4):
        raise ShapeError(f"batch_norm: input must be (N, C), (N, C, L) or (N, C, H, W), got shape {x.shape}")
    c = x.shape[1]
    xp = backend.get_array_module(x.array)
    rm = running_mean.array if isinstance(running_mean, Tensor) else running_mean
    rv = running_var.array if isinstance(running_var, Tensor) else running_var
    if (rm is None) != (rv is None) or (not training and rm is None):
        raise ValueError("batch_norm: evaluation needs both running_mean and running_var (training may pass neither)")
    for name, stat in (("running_mean", rm), ("running_var", rv)):
        if stat is not None and tuple(stat.shape) != (c,):
            raise ShapeError(f"batch_norm: {name} has shape {tuple(stat.shape)}, expected ({c},) for input {x.shape}")
    if not 0 <= momentum <= 1 or not eps > 0:
        raise ValueError(f"batch_norm: need 0 <= momentum <= 1 and eps > 0, got momentum={momentum}, eps={eps}")
    gamma = Tensor._make(xp.ones(c, dtype=x.dtype)) if weight is None else _float(weight, "batch_norm", "weight")
    beta = Tensor._make(xp.zeros(c, dtype=x.dtype)) if bias is None else _float(bias, "batch_norm", "bias")
    _same_dtype("batch_norm", x, gamma)
    for name, t in (("weight", gamma), ("bias", beta)):
        if t.shape != (c,):
            raise ShapeError(f"batch_norm: {name} has shape {t.shape}, expected ({c},) for input {x.shape}")
    if training and x.numel() // max(c, 1) < 2:
        raise ShapeError(f"batch_norm: expected more than 1 value per channel when training, got input {x.shape}")
    return N.BatchNorm.apply(x, gamma, beta, training=bool(training), running_mean=rm, running_var=rv,
                           momentum=float(momentum), eps=float(eps))


def embedding(indices, weight):
    """Rows of ``weight`` (num_embeddings, dim) picked by integer ``indices`` of any shape → (*indices.shape, dim).

    The gradient goes through getitem, which adds up the gradients of repeated indices.
    """
    weight = _float(weight, "embedding", "weight")
    idx = indices.array if isinstance(indices, Tensor) else indices
    if isinstance(idx, (list, tuple, int)) or backend.is_numpy_scalar(idx):
        idx = backend.np.asarray(idx)
    if not backend.is_array(idx):
        raise TypeError(f"embedding: indices must be an integer Tensor or array, got {type(indices).__name__}")
    if not backend.is_integer(idx.dtype):
        raise TypeError(f"embedding: indices must be integers, got dtype {idx.dtype}")
    if backend.device_of(idx) != weight.device:
        idx = backend.to_device(idx, weight.device)
    n = weight.shape[0]
    if idx.size and (int(idx.min()) < 0 or int(idx.max()) >= n):
        bad = int(idx.min()) if int(idx.min()) < 0 else int(idx.max())
        raise ValueError(f"embedding: index {bad} is out of range for {n} embeddings (expected 0 <= index < {n})")
    return weight[idx]


# ----------------------------------------------------------------------------- pooling, upsampling, more losses
def max_pool2d(x, kernel_size, stride=None, padding=0):
    """The maximum of each kh×kw window of x (N, C, H, W); stride defaults to kernel_size, padding is −inf.

    H_out = ⌊(H + 2·padding − kh) / stride⌋ + 1.  The gradient goes to each window's FIRST maximum
    (row-major order), as in PyTorch.
    """
    x = _float(x, "max_pool2d")
    return P.Pool2d.apply(x, mode="max", **checks.check_pool2d("max_pool2d", x.shape, kernel_size, stride, padding))


def avg_pool2d(x, kernel_size, stride=None, padding=0):
    """The mean of each kh×kw window of x (N, C, H, W); padding counts as zeros (count_include_pad=True)."""
    x = _float(x, "avg_pool2d")
    return P.Pool2d.apply(x, mode="avg", **checks.check_pool2d("avg_pool2d", x.shape, kernel_size, stride, padding))


def interpolate(x, size=None, scale_factor=None, mode="nearest"):
    """Nearest-neighbour upsampling of x (N, C, H, W) by integer factors: give ``scale_factor`` (an int or
    an (h, w) pair) or an output ``size`` that is an integer multiple of (H, W)."""
    x = _float(x, "interpolate")
    if mode != "nearest":
        raise ValueError(f"interpolate: only mode='nearest' is implemented, got mode={mode!r}")
    if x.ndim != 4:
        raise ShapeError(f"interpolate: input must be 4-D (N, C, H, W), got shape {x.shape}")
    if (size is None) == (scale_factor is None):
        raise ValueError("interpolate: give exactly one of size and scale_factor")
    if size is not None:
        h, w = pair(size, "size", "interpolate", 1)
        if h % x.shape[2] or w % x.shape[3]:
            raise ValueError(f"interpolate: size {(h, w)} must be an integer multiple of the input's "
                             f"{x.shape[2:]} (only integer factors are implemented)")
        scale_factor = (h // x.shape[2], w // x.shape[3])
    if isinstance(scale_factor, float) and scale_factor.is_integer():
        scale_factor = int(scale_factor)
    return P.UpsampleNearest2d.apply(x, scale=pair(scale_factor, "scale_factor", "interpolate", 1))


def dropout2d(x, p=0.5, training=True):
    """Channel dropout of x (N, C, H, W): zero whole channels with probability p, scale the rest by 1/(1−p)."""
    x = _float(x, "dropout2d")
    if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 <= p < 1:
        raise ValueError(f"dropout2d: p must be a probability in [0, 1), got {p!r}")
    if x.ndim != 4:
        raise ShapeError(f"dropout2d: input must be 4-D (N, C, H, W), got shape {x.shape}")
    if not training or p == 0:
        return x
    xp = backend.get_array_module(x.array)
    keep = backend.rand(x.shape[:2] + (1, 1), dtype=x.dtype, xp=xp) >= p  # one draw per (sample, channel)
    mask = keep.astype(x.dtype) / x.dtype.type(1 - p)
    return E.Mul.apply(x, Tensor._make(mask))


def elu(x, alpha=1.0):
    """ELU (Clevert et al. 2016): x for x > 0, α(eˣ − 1) otherwise; built as relu(x) + α(exp(min(x, 0)) − 1)."""
    x = _float(x, "elu")
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError(f"elu: alpha must be a number, got {type(alpha).__name__} {alpha!r}")
    return x.relu() + (x.clamp(max=0.0).exp() - 1.0) * float(alpha)


def nll_loss(log_probs, labels, reduction="mean"):
    """Negative log-likelihood of log-probabilities (N, C) (e.g. log_softmax output) at labels (N,):
    ℓ_i = −log_probs[i, y_i].  nll_loss(log_softmax(x, 1), y) equals cross_entropy(x, y)."""
    op = "nll_loss"
    log_probs = _float(log_probs, op)
    if log_probs.ndim != 2:
        raise ShapeError(f"{op}: expected input of shape (N, C), got {log_probs.shape}")
    y = _labels(labels, op, log_probs)
    LS.check_labels(op, y, log_probs.shape[1], log_probs.shape[0])
    LS.check_reduction(op, reduction)
    xp = backend.get_array_module(y)
    return LS.apply_reduction(-log_probs[xp.arange(log_probs.shape[0]), y], reduction)


def l1_loss(x, y, reduction="mean"):
    """Mean absolute error |x − y| (reduced by ``reduction``)."""
    x, y = _float(x, "l1_loss"), _float(y, "l1_loss", "target")
    LS.check_same_shape("l1_loss", x, y)
    LS.check_reduction("l1_loss", reduction)
    return LS.apply_reduction((x - y).abs(), reduction)
