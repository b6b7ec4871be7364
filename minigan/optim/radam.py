"""RAdam (Liu et al. 2020, "On the Variance of the Adaptive Learning Rate and Beyond", ICLR, Algorithm 2):
Adam whose adaptive step is switched on only when the variance of its second-moment estimate is tractable,
and then scaled by a rectification term r_t.

    ρ_∞ ← 2/(1 − β2) − 1
    m_t ← β1·m_{t−1} + (1 − β1)·g_t ;   v_t ← β2·v_{t−1} + (1 − β2)·g_t²
    m̂_t ← m_t / (1 − β1^t)
    ρ_t ← ρ_∞ − 2t·β2^t / (1 − β2^t)
    if ρ_t > 4 (PyTorch: > 5):
        l_t ← √(1 − β2^t) / (√v_t + ε)         (the adaptive learning rate)
        r_t ← √((ρ_t − 4)(ρ_t − 2)ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2)ρ_t))
        θ_t ← θ_{t−1} − α_t · r_t · m̂_t · l_t
    else:
        θ_t ← θ_{t−1} − α_t · m̂_t               (SGD with momentum, un-adapted)

We follow PyTorch (threshold 5, ε added to √v_t, an L2 or decoupled ``weight_decay``), so each step equals
``torch.optim.RAdam``'s.
"""

from __future__ import annotations

import math

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays


class RAdam(Optimizer):
    """``RAdam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False, *,
    foreach=None, maximize=False, capturable=False, differentiable=False)``: PyTorch's arguments and order
    (``maximize=True`` minimises −f: ``Optimizer.step`` hands the update −g).

    ``foreach``, ``capturable``, ``differentiable``: PyTorch's implementation switches, accepted; they change nothing.
    """

    renamed_state = {"m": "exp_avg", "v": "exp_avg_sq"}  # (checkpoints before PyTorch's names)
    hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "maximize", "foreach", "capturable",
                            "decoupled_weight_decay", "differentiable")  # PyTorch's order (its param_groups' keys)

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, decoupled_weight_decay=False,
                 *, foreach=None, maximize=False, capturable=False, differentiable=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         decoupled_weight_decay=decoupled_weight_decay, foreach=foreach, maximize=maximize,
                         capturable=capturable, differentiable=differentiable)

    @state_as_arrays
    def _update(self, p, g, state, group):
        lr, (beta1, beta2), xp = group["lr"], group["betas"], backend.get_array_module(p.array)
        if not state:
            state["step"] = 0
            state["exp_avg"] = xp.zeros_like(p.array)                # m_0 ← 0   (PyTorch's names for m and v)
            state["exp_avg_sq"] = xp.zeros_like(p.array)             # v_0 ← 0
        t = state["step"] = state["step"] + 1
        if group["weight_decay"] != 0 and group["decoupled_weight_decay"]:
            p.mul_(1.0 - lr * group["weight_decay"])                 # θ ← θ·(1 − α·λ)   (decoupled)
        elif group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                     # g ← g + λθ   (L2 penalty)
        m, v = state["exp_avg"], state["exp_avg_sq"]
        m *= beta1
        m += (1.0 - beta1) * g                                      # m_t ← β1·m_{t−1} + (1 − β1)·g_t
        v *= beta2
        v += (1.0 - beta2) * (g * g)                                # v_t ← β2·v_{t−1} + (1 − β2)·g_t²
        m_hat = m / (1.0 - beta1**t)                                # m̂_t ← m_t / (1 − β1^t)
        rho_inf = 2.0 / (1.0 - beta2) - 1.0                         # ρ_∞ ← 2/(1 − β2) − 1
        rho_t = rho_inf - 2.0 * t * beta2**t / (1.0 - beta2**t)     # ρ_t ← ρ_∞ − 2tβ2^t/(1 − β2^t)
        if rho_t > 5.0:
            l_t = math.sqrt(1.0 - beta2**t) / (xp.sqrt(v) + group["eps"])  # l_t ← √(1 − β2^t)/(√v_t + ε)
            r_t = math.sqrt((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t))
            p -= m_hat * lr * l_t * r_t                             # θ_t ← θ_{t−1} − α·r_t·m̂_t·l_t
        else:
            p -= m_hat * lr                                         # θ_t ← θ_{t−1} − α·m̂_t
