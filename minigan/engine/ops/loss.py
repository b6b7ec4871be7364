"""Losses, each fused into one op: a stable forward and a short backward.

All reduce by ``reduction``: "mean" (default, as in the design contract), "sum" or "none".  Their doors, and the
checks of the arguments there, are F.*'s (minigan/functional/loss.py, loss_doors.py).
"""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace
from minigan.engine.ops.activation import Sigmoid, _stable_sigmoid
from minigan.engine.ops.reduce import Softmax


def apply_reduction(loss, reduction):
    """``loss`` (an array or a Tensor) reduced as ``reduction`` says: its mean, its sum, or itself."""
    if reduction == "mean":
        return loss.mean()
    return loss.sum() if reduction == "sum" else loss


def _reduce_grad(grad, shape, reduction, dtype):
    """The gradient of the reduction: 1/n for mean, 1 for sum, elementwise for none."""
    if reduction == "none":
        return grad
    n = 1
    for s in shape:
        n *= s
    return grad / dtype.type(n) if reduction == "mean" else grad


class BCEWithLogits(Node):
    """Binary cross-entropy on logits x with targets t ∈ [0, 1].

    ℓ = −[t·log σ(x) + (1−t)·log(1−σ(x))] = softplus(x) − t·x
      = max(x, 0) − t·x + log1p(exp(−|x|)),  finite and exact even for x = ±1e4.
    """

    def forward(self, x, t, reduction="mean"):
        xp = backend.get_array_module(x)
        self.save_for_backward(x, t)
        self.reduction = reduction
        return apply_reduction(_bce_with_logits(xp, x, t), reduction)

    def backward(self, grad):  # dℓ/dx = σ(x) − t,  dℓ/dt = −x
        x, t = self.saved_tensors
        g = _reduce_grad(grad, x.shape, self.reduction, x.dtype)
        gx, gt = self.needs_input_grad
        if not gx:
            dx = None
        elif backend.is_array(x):  # first order: one kernel on a GPU
            dx = _bce_with_logits_grad(backend.get_array_module(x), x, t, g)
        else:  # create_graph: σ(x) recorded, so the gradient can be differentiated again
            dx = (Sigmoid.apply(x) - t) * g
        return (dx, -x * g if gt else None)


# One fused kernel each on a GPU, these lines themselves on a CPU (backend.fused).
@backend.fused
def _bce_with_logits(xp, x, t):  # ℓ = (1 − t)·x + softplus(−x), softplus(−x) = max(−x, 0) + log1p(exp(−|x|))
    # (this form, not max(x, 0) − t·x + ..., is PyTorch's: at x = ±∞ it is ∞ where ℓ is, NaN where t·x is ∞ − ∞)
    return (1 - t) * x + (xp.maximum(-x, 0) + xp.log1p(xp.exp(-xp.abs(x))))


@backend.fused
def _bce_with_logits_grad(xp, x, t, g):  # dℓ/dx = (σ(x) − t)·g
    return (_stable_sigmoid(xp, x) - t) * g


class BCE(Node):
    """Binary cross-entropy on probabilities p ∈ [0, 1]; each log is clamped at −100
    so p = 0 or 1 gives a large finite loss instead of inf."""

    def forward(self, p, t, reduction="mean"):
        xp = backend.get_array_module(p)
        self.save_for_backward(p, t)
        self.reduction = reduction
        with backend.np.errstate(divide="ignore"):  # log 0 = −∞ (then −100), without NumPy's warning
            log_p, log_1mp = xp.maximum(xp.log(p), -100), xp.maximum(xp.log1p(-p), -100)
        return apply_reduction((t - 1) * log_1mp - t * log_p, reduction)  # (+0 where t is 0 or 1)

    def backward(self, grad):  # dℓ/dp = (p − t) / max(p(1 − p), ε = float32 1e-12, PyTorch's), dℓ/dt = −logit p
        p, t = self.saved_tensors
        xp = namespace(grad)
        g = _reduce_grad(grad, p.shape, self.reduction, p.dtype)
        gp, gt = self.needs_input_grad
        dp = g * (p - t) / xp.clip(p * (1 - p), p.dtype.type(backend.np.float32(1e-12)), None) if gp else None
        dt = -g * xp.log(p / (1 - p)) if gt else None  # −logit p, not clamped: ±∞ at p = 1 or 0
        return dp, dt


class CrossEntropy(Node):
    """Softmax cross-entropy of logits (N, C) against integer labels (N,):
    ℓ_i = logΣ_c exp(x_ic) − x_i,y_i."""

    def forward(self, x, labels, reduction="mean"):
        xp = backend.get_array_module(x)
        shifted = x - x.max(axis=1, keepdims=True)
        log_probs = shifted - xp.log(xp.exp(shifted).sum(axis=1, keepdims=True))
        rows = xp.arange(x.shape[0])
        self.save_for_backward(x)
        self.reduction = reduction
        if self.needs_input_grad:  # the labels as one-hot rows, a constant
            self.one_hot = xp.zeros_like(x)
            self.one_hot[rows, labels] = 1
        return apply_reduction(-log_probs[rows, labels], reduction)

    def backward(self, grad):  # dℓ/dx = softmax(x) − onehot(y)
        (x,) = self.saved_tensors
        g = _reduce_grad(grad, (x.shape[0],), self.reduction, x.dtype)
        g = g.reshape(-1, 1) if g.ndim == 1 else g
        return ((Softmax.apply(x, axis=1) - self.one_hot) * g,)


class MSE(Node):
    """Mean squared error ℓ = mean((x − y)²)."""

    def forward(self, x, y, reduction="mean"):
        self.save_for_backward(x, y)
        self.reduction = reduction
        return apply_reduction(_squared_difference(namespace(x), x, y), reduction)

    def backward(self, grad):  # dℓ/dx = 2(x − y)/n,  dℓ/dy = −2(x − y)/n
        x, y = self.saved_tensors
        d = _mse_grad(namespace(grad), x, y, _reduce_grad(grad, x.shape, self.reduction, x.dtype))
        gx, gy = self.needs_input_grad
        return (d if gx else None, -d if gy else None)


@backend.fused
def _squared_difference(xp, x, y):  # (x − y)²
    diff = x - y
    return diff * diff


@backend.fused
def _mse_grad(xp, x, y, g):  # dℓ/dx = 2(x − y)·g
    return 2 * (x - y) * g
