"""RMSProp (Tieleman & Hinton 2012, Coursera "Neural Networks for Machine Learning", lecture 6.5).

Divide each gradient by a running root-mean-square of its recent values, so every weight moves
by roughly the same amount whatever the scale of its gradient.

WGAN trains with it (Arjovsky, Chintala & Bottou 2017, Algorithm 1; IT3320E GAN lecture): with
"α, the learning rate. c, the clipping parameter", the critic does

    6: w ← w + α · RMSProp(w, g_w)
    7: w ← clip(w, −c, c)

and the generator ``θ ← θ − α · RMSProp(θ, g_θ)``; "All experiments in the paper used the
default values α = 0.00005, c = 0.01, m = 64, n_critic = 5."
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays


class RMSprop(Optimizer):
    """``RMSprop(params, lr=0.01, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
    capturable=False, foreach=None, maximize=False, differentiable=False)``: PyTorch's arguments and order.

    Each step is numerically equal to ``torch.optim.RMSprop`` with the same arguments:

        g ← −g                               (maximize: minimise −f; ``Optimizer.step`` does it)
        g ← g + λ·θ                          (weight_decay λ)
        v ← α·v + (1 − α)·g²                 (running mean of squared gradients, v₀ = 0)
        centered:  ḡ ← α·ḡ + (1 − α)·g;  s ← √(v − ḡ²)     (an estimate of the variance)
        otherwise: s ← √v
        momentum μ > 0:  b ← μ·b + g/(s + ε);  θ ← θ − η·b
        otherwise:                             θ ← θ − η·g/(s + ε)

    Note ε is added *outside* the square root, as in PyTorch.
    ``capturable``, ``foreach``, ``differentiable``: PyTorch's implementation switches, accepted; they change nothing.
    """

    hyperparameter_names = ("lr", "momentum", "alpha", "eps", "centered", "weight_decay", "capturable", "foreach",
                            "maximize", "differentiable")  # PyTorch's order (its param_groups' keys)

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        super().__init__(params, lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                         centered=centered, capturable=capturable, foreach=foreach, maximize=maximize,
                         differentiable=differentiable)

    @state_as_arrays
    def _update(self, p, g, state, group):
        lr, alpha, eps, mu = group["lr"], group["alpha"], group["eps"], group["momentum"]
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                    # g ← g + λθ
        xp = backend.get_array_module(p.array)
        if "step" not in state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(p.array)              # v₀ = 0  (θ's dtype and device)
        if mu > 0 and "momentum_buffer" not in state:
            state["momentum_buffer"] = xp.zeros_like(p.array)         # b₀ = 0
        if group["centered"] and "grad_avg" not in state:
            state["grad_avg"] = xp.zeros_like(p.array)                # ḡ₀ = 0   (PyTorch's order of the entries)
        state["step"] += 1
        v = state["square_avg"] = alpha * state["square_avg"] + (1.0 - alpha) * (g * g)   # v ← αv + (1−α)g²
        if group["centered"]:
            gbar = state["grad_avg"] = alpha * state["grad_avg"] + (1.0 - alpha) * g    # ḡ ← αḡ + (1−α)g
            s = xp.sqrt(v - gbar * gbar)                                               # s ← √(v − ḡ²)
        else:
            s = xp.sqrt(v)                                                               # s ← √v
        if mu > 0:
            b = state["momentum_buffer"] = mu * state["momentum_buffer"] + g / (s + eps)  # b ← μb + g/(s+ε)
            p -= lr * b                                                                 # θ ← θ − ηb
        else:
            p -= lr * g / (s + eps)                                                     # θ ← θ − η·g/(s+ε)
