"""Adadelta (Zeiler 2012, "ADADELTA: An Adaptive Learning Rate Method", arXiv:1212.5701), Algorithm 1:

    Require: decay rate ρ, constant ε;  initial θ_1;  E[g²]_0 = 0, E[Δx²]_0 = 0
    for t = 1 : T do
        Compute gradient: g_t
        Accumulate gradient: E[g²]_t = ρ·E[g²]_{t−1} + (1 − ρ)·g_t²
        Compute update: Δx_t = − RMS[Δx]_{t−1} / RMS[g]_t · g_t          (RMS[y]_t = √(E[y²]_t + ε))
        Accumulate updates: E[Δx²]_t = ρ·E[Δx²]_{t−1} + (1 − ρ)·Δx_t²
        Apply update: x_{t+1} = x_t + Δx_t

The ratio of the two RMS gives the step its units (those of x), so the paper needs no learning rate;
PyTorch multiplies the update by ``lr`` (1.0 by default: the paper's rule) and adds an L2 ``weight_decay``.
Each step equals ``torch.optim.Adadelta``'s.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays


class Adadelta(Optimizer):
    """``Adadelta(params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
    maximize=False, differentiable=False)``: Zeiler 2012, Algorithm 1, with PyTorch's arguments and order
    (``maximize=True`` minimises −f: ``Optimizer.step`` hands the update −g).

    ``foreach``, ``capturable``, ``differentiable``: PyTorch's implementation switches, accepted; they change nothing.
    """

    # PyTorch's order (its param_groups' keys)
    hyperparameter_names = ("lr", "rho", "eps", "weight_decay", "maximize", "capturable", "foreach", "differentiable")

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        super().__init__(params, lr=lr, rho=rho, eps=eps, weight_decay=weight_decay, foreach=foreach,
                         capturable=capturable, maximize=maximize, differentiable=differentiable)

    @state_as_arrays
    def _update(self, p, g, state, group):
        rho, eps = group["rho"], group["eps"]
        xp = backend.get_array_module(p.array)
        if not state:
            state["step"] = 0
            state["square_avg"] = xp.zeros_like(p.array)              # E[g²]_0 = 0
            state["acc_delta"] = xp.zeros_like(p.array)               # E[Δx²]_0 = 0
        state["step"] += 1
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                   # g ← g + λθ   (L2 penalty)
        Eg2, Edx2 = state["square_avg"], state["acc_delta"]
        Eg2 *= rho
        Eg2 += (1.0 - rho) * (g * g)                                  # E[g²]_t = ρ·E[g²]_{t−1} + (1 − ρ)·g_t²
        dx = xp.sqrt(Edx2 + eps) / xp.sqrt(Eg2 + eps) * g             # −Δx_t = RMS[Δx]_{t−1} / RMS[g]_t · g_t
        Edx2 *= rho
        Edx2 += (1.0 - rho) * (dx * dx)                               # E[Δx²]_t = ρ·E[Δx²]_{t−1} + (1 − ρ)·Δx_t²
        p -= group["lr"] * dx                                       # x_{t+1} = x_t + lr·Δx_t
