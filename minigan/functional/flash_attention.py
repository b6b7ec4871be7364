"""PyTorch's CPU flash attention kernel (``_scaled_dot_product_flash_attention_for_cpu``), which
``scaled_dot_product_attention`` takes for 4-D inputs (linear.py's ``_flash_kernel`` says when), as one node.

Its forward, for each query row with scores s = Q·Kᵀ (the causal mask's −∞ written in first), times the scale, plus
the mask: m = the largest score (passing over NaN where there is no mask), out = Σ exp(s − m)·V / Σ exp(s − m), and
0 for a row whose largest score is −∞ (a query that may attend to nothing); it keeps lse = m + log Σ exp(s − m).
Its backward reads Q, K, V, out and lse (PyTorch's node saves them), and recomputes the weights from lse:

    a = exp(scale·Q·Kᵀ + mask − lse)   (0 past the causal diagonal)     dV = aᵀ·dO
    dA = a·(dO·Vᵀ − rowsum(dO·out))                                     dQ = scale·dA·K,  dK = scale·dAᵀ·Q

So a scale of ±∞, NaN, or ≤ 0 under is_causal gives PyTorch's values and gradients (the mask's −∞ times the scale
is NaN or +∞ there).  PyTorch does not differentiate this backward: a second order through it refuses.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.engine.graph import Node, value
from minigan.surface.no_derivative import no_derivative


class FlashAttention(Node):
    """softmax(s)·V by PyTorch's CPU flash kernel; ``bias``: the mask as an additive array (or None), ``causal``:
    query i sees keys 0…i, ``scale``: the scores' factor."""

    def forward(self, q, k, v, bias, causal, scale):
        xp = backend.get_array_module(q)
        self.bias, self.causal, self.scale = bias, causal, scale
        s = q @ xp.swapaxes(k, -1, -2)
        if causal:
            s = xp.where(self.below(s), s, -xp.inf)
        with backend.np.errstate(invalid="ignore", over="ignore"):
            s = s * scale if bias is None else s * scale + bias
            largest = (s if bias is not None else xp.where(s != s, -xp.inf, s)).max(axis=-1, keepdims=True)
            dead = largest == -xp.inf  # (a row that attends to nothing: 0, its lse 0)
            e = xp.where(dead, 0, xp.exp(s - xp.where(dead, 0, largest)))
            total = e.sum(axis=-1, keepdims=True)
            total = xp.where(total == 0, 1, total)
            out = (e @ v) / total
        self.lse = xp.where(dead, 0, largest) + xp.log(total)
        self.save_for_backward(q, k, v, out)
        return out

    def below(self, s):
        """Where key j ≤ query i (the causal mask: top-left aligned, as PyTorch's)."""
        xp = backend.get_array_module(s)
        return xp.tril(xp.ones(s.shape[-2:], dtype=bool))

    def backward(self, grad):  # the kernel's: a from lse, dV = aᵀ·dO, dA = a·(dO·Vᵀ − Σ dO·out), dQ, dK
        q, k, v, out = (value(t) for t in self.saved_tensors)
        g, xp = value(grad), backend.get_array_module(value(grad))
        with backend.np.errstate(invalid="ignore", over="ignore"):
            a = _gemm(self.scale, q, xp.swapaxes(k, -1, -2))
            a = xp.exp((a if self.bias is None else a + self.bias) - self.lse)
            a = xp.where(self.below(a), a, 0) if self.causal else a
            da = a * (g @ xp.swapaxes(v, -1, -2) - (g * out).sum(axis=-1, keepdims=True))
            dq, dk = _gemm(self.scale, da, k), _gemm(self.scale, xp.swapaxes(da, -1, -2), q)
            grads = (dq, dk, xp.swapaxes(a, -1, -2) @ g)
        grads = tuple(d if need else None for d, need in zip(grads, self.needs_input_grad))
        if isinstance(grad, backend.PLAIN_TYPES):
            return grads
        return tuple(d if d is None else no_derivative(  # (under create_graph: PyTorch has no derivative of it)
            d.astype(q.dtype, copy=False), "_scaled_dot_product_flash_attention_for_cpu_backward", grad,
            *self.saved_tensors) for d in grads)


def _gemm(alpha, a, b):
    """alpha·(a @ b) as the kernel's BLAS call computes it: for alpha = 0 the product is not formed (BLAS's rule),
    so the result is 0 even where a or b holds ∞ or NaN."""
    if alpha == 0:
        xp = backend.get_array_module(a)
        return xp.zeros(a.shape[:-1] + b.shape[-1:], dtype=xp.result_type(a, b))
    return alpha * (a @ b)
