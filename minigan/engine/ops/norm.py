"""Batch normalisation (Ioffe & Szegedy 2015) as one fused op."""

from minigan.engine import backend
from minigan.engine.graph import Node, namespace


class BatchNorm(Node):
    """y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε), per channel (axis 1), as ONE fused op.

    Training: μ, σ² are the batch's (biased) statistics over every axis but 1, and the running
    estimates move towards them (``running ← (1−momentum)·running + momentum·batch``, with the
    unbiased σ²·m/(m−1), as PyTorch).  Evaluation: μ, σ² are the running estimates (constants),
    and y is an affine map of x.

    Gradients of every order.  The backward formula reads x − μ and 1/σ, which are neither an input
    nor the output, so they cannot be saved for backward.  ``normalize`` computes them from x in
    lines that work on an array and on a Tensor alike: forward runs it on the array (and, when a
    gradient may be asked for, keeps μ and 1/σ as constants for a first-order backward, which takes
    x − μ from the saved x as it is then: the node saves x, μ and 1/σ, so a write through
    .data since forward is read); under ``create_graph`` the backward runs it again on the saved Tensor x,
    so the graph of the gradient knows how μ and σ depend on x (in training they are functions of
    the whole batch).  Either way the formula after it is the same lines.
    """

    def forward(self, x, gamma, beta, training, running_mean, running_var, momentum, eps):
        self.training, self.eps, xp = training, eps, backend.get_array_module(x)
        self.axes = (0,) + tuple(range(2, x.ndim))  # all but the channel axis
        self.shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)  # broadcasts a per-channel vector against x
        self.m = x.size // x.shape[1]  # values per channel
        if not training:
            self.running = (running_mean.astype(x.dtype, copy=False).reshape(self.shape),
                            running_var.astype(x.dtype, copy=False).reshape(self.shape))
        centred, inv_std, mean, var = self.normalize(x)
        if training and running_mean is not None:  # the side effect PyTorch's F.batch_norm also has
            m = self.m  # running ← (1 − momentum)·running + momentum·batch, σ² unbiased (·m/(m−1)): in place
            _update_running(xp, running_mean, running_var, mean.reshape(-1),
                            var.reshape(-1), 1 - momentum, momentum, momentum * m / (m - 1))
        if self.needs_input_grad:
            self.save_for_backward(x, gamma)
            self.mean, self.inv_std = mean, inv_std  # for a first-order backward
        return _affine(xp, centred, gamma.reshape(self.shape) * inv_std, beta.reshape(self.shape))

    def normalize(self, x):
        """(x − μ, 1/√(σ² + ε), μ, σ²) for an array x, or for a Tensor x (then x − μ and 1/σ are recorded)."""
        if self.training:
            mean = x.mean(axis=self.axes, keepdims=True)
            centred = x - mean
            var = (centred * centred).mean(axis=self.axes, keepdims=True)
        else:
            mean, var = self.running  # constants
            centred = x - mean
        inv_std = _inverse_std(namespace(x), var, x.dtype.type(self.eps))
        return centred, inv_std, mean, var

    def backward(self, grad):  # dx = γ/σ·(dy − mean(dy) − x̂·mean(dy·x̂)) (train), γ/σ·dy (eval); x̂ = (x − μ)/σ
        x, gamma = self.saved_tensors
        if backend.is_array(x):  # first order: x as it is now, μ and 1/σ as forward found them
            centred, inv_std = x - self.mean, self.inv_std
        else:  # create_graph: the same values as functions of the Tensor x
            centred, inv_std, _, _ = self.normalize(x)
        return self.gradients(grad, gamma, centred, inv_std)

    def gradients(self, grad, gamma, centred, inv_std):  # the formula above, given x − μ and 1/σ
        need, dx = self.needs_input_grad, None
        sums = need[0] and self.training  # the training dx needs both sums
        sum_dy = grad.sum(axis=self.axes, keepdims=True) if sums or need[2] else None
        sum_dy_xhat = (grad * centred).sum(axis=self.axes, keepdims=True) * inv_std if sums or need[1] else None
        if need[0]:
            g = gamma.reshape(self.shape)
            if self.training and backend.is_array(grad):  # first order: one kernel on a GPU (backend.fused)
                dx = _batch_norm_dx(namespace(grad), grad, centred, sum_dy, sum_dy_xhat, inv_std, g, float(self.m))
            elif self.training:  # create_graph: the same formula, recorded
                dx = (grad - sum_dy / self.m - centred * (sum_dy_xhat * inv_std / self.m)) * (g * inv_std)
            else:
                dx = g * inv_std * grad
        dgamma = sum_dy_xhat.reshape(-1) if need[1] else None
        dbeta = sum_dy.reshape(-1) if need[2] else None
        return dx, dgamma, dbeta


@backend.fused
def _inverse_std(xp, var, eps):  # 1/√(σ² + ε)
    return 1 / xp.sqrt(var + eps)


@backend.fused
def _update_running(xp, running_mean, running_var, mean, var, keep, momentum, momentum_unbiased):  # in place
    running_mean *= keep
    running_mean += momentum * mean
    running_var *= keep
    running_var += momentum_unbiased * var


@backend.fused
def _affine(xp, centred, scale, beta):  # y = γ/σ·(x − μ) + β, written over x − μ (a temporary): on a CPU no new array
    centred *= scale
    centred += beta
    return centred


@backend.fused
def _batch_norm_dx(xp, dy, centred, sum_dy, sum_dy_xhat, inv_std, gamma, m):  # the training dx above
    dx = dy - sum_dy / m  # (the per-channel factors are worked out in here: on a GPU, inside the one kernel)
    centred *= sum_dy_xhat * inv_std / m  # in dx's and x − μ's own arrays (x − μ is a temporary of the backward's):
    dx -= centred  # on a CPU a new array costs a pass more
    dx *= gamma * inv_std
    return dx
