"""Batch normalisation (Ioffe & Szegedy 2015) as one fused op."""

from minigan import backend
from minigan.errors import ShapeError
from minigan.function import Function


class BatchNorm(Function):
    """y = γ·x̂ + β with x̂ = (x − μ)/√(σ² + ε), per channel (axis 1), as ONE fused op.

    Training: μ, σ² are the batch's (biased) statistics over every axis but 1, and the running
    estimates move towards them (``running ← (1−momentum)·running + momentum·batch``, with the
    unbiased σ²·m/(m−1), as PyTorch).  Evaluation: μ, σ² are the running estimates (constants).
    """

    def forward(self, x, gamma, beta, training, running_mean, running_var, momentum, eps):
        xp = backend.get_array_module(x)
        axes = (0,) + tuple(range(2, x.ndim))  # all but the channel axis
        shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)  # broadcasts a per-channel vector against x
        m = x.size // x.shape[1]  # values per channel
        if training:
            if m < 2:
                raise ShapeError(
                    f"batch_norm: expected more than 1 value per channel when training, got input {x.shape}"
                )
            mean = x.mean(axis=axes, keepdims=True)
            var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
            if running_mean is not None:  # the side effect PyTorch's F.batch_norm also has
                running_mean *= 1 - momentum
                running_mean += (momentum * mean.reshape(-1)).astype(running_mean.dtype)
                running_var *= 1 - momentum
                running_var += (momentum * m / (m - 1) * var.reshape(-1)).astype(running_var.dtype)
        else:
            mean = running_mean.astype(x.dtype, copy=False).reshape(shape)
            var = running_var.astype(x.dtype, copy=False).reshape(shape)
        inv_std = 1 / xp.sqrt(var + x.dtype.type(eps))
        x_hat = (x - mean) * inv_std
        g = gamma.reshape(shape)
        self.saved = (x_hat, inv_std, g)
        self.training, self.m, self.axes = training, m, axes
        return g * x_hat + beta.reshape(shape)

    def backward(self, grad):  # dx = (1/m)·γ/σ·(m·dy − Σdy − x̂·Σ(dy·x̂)) (train), γ/σ·dy (eval)
        x_hat, inv_std, g = self.saved
        need = self.needs_input_grad
        sum_dy = grad.sum(axis=self.axes, keepdims=True)
        sum_dy_xhat = (grad * x_hat).sum(axis=self.axes, keepdims=True)
        dx = None
        if need[0]:
            if self.training:
                dx = (g * inv_std / self.m) * (self.m * grad - sum_dy - x_hat * sum_dy_xhat)
            else:
                dx = g * inv_std * grad
        dgamma = sum_dy_xhat.reshape(-1) if need[1] else None
        dbeta = sum_dy.reshape(-1) if need[2] else None
        return dx, dgamma, dbeta
