"""Adamax (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", ICLR; section 7.1, Algorithm 2):
Adam with the second moment replaced by an exponentially weighted infinity norm.

    m_t ← β1 · m_{t−1} + (1 − β1) · g_t          (Update biased first moment estimate)
    u_t ← max(β2 · u_{t−1}, |g_t|)               (Update the exponentially weighted infinity norm)
    θ_t ← θ_{t−1} − (α / (1 − β1^t)) · m_t / u_t  (Update parameters)

"Good default settings for the tested machine learning problems are α = 0.002, β1 = 0.9 and β2 = 0.999."
As PyTorch, we add ε inside the maximum (max(β2·u, |g| + ε), so that u is never 0) and an L2
``weight_decay``; each step equals ``torch.optim.Adamax``'s.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays


class Adamax(Optimizer):
    """``Adamax(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *, maximize=False,
    differentiable=False, capturable=False)``: Kingma & Ba 2015, Algorithm 2, with PyTorch's arguments and order
    (``maximize=True`` minimises −f: ``Optimizer.step`` hands the update −g).

    ``foreach``, ``differentiable``, ``capturable``: PyTorch's implementation switches, accepted; they change nothing.
    """

    renamed_state = {"m": "exp_avg", "u": "exp_inf"}  # (checkpoints before PyTorch's names)
    hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "foreach", "maximize", "differentiable",
                            "capturable")

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, foreach=foreach,
                         maximize=maximize, differentiable=differentiable, capturable=capturable)

    @state_as_arrays
    def _update(self, p, g, state, group):
        (beta1, beta2), xp = group["betas"], backend.get_array_module(p.array)
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(p.array)                # m_0 ← 0   (PyTorch's names for m and u)
            state["exp_inf"] = xp.zeros_like(p.array)                # u_0 ← 0
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                     # g ← g + λθ   (L2 penalty)
        t = state["step"] = state["step"] + 1
        m, u = state["exp_avg"], state["exp_inf"]
        m *= beta1
        m += (1.0 - beta1) * g                                      # m_t ← β1·m_{t−1} + (1 − β1)·g_t
        u *= beta2
        xp.maximum(u, abs(g) + group["eps"], out=u)                 # u_t ← max(β2·u_{t−1}, |g_t| + ε)
        p -= group["lr"] / (1.0 - beta1**t) * m / u               # θ_t ← θ_{t−1} − (α/(1 − β1^t))·m_t/u_t
