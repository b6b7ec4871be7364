"""NAdam (Dozat 2016, "Incorporating Nesterov Momentum into Adam", ICLR workshop; Algorithm 2): Adam whose step
looks ahead as Nesterov momentum does, using the next step's momentum coefficient on the first moment.

    μ_t ← β1 · (1 − ½ · 0.96^(t·ψ))                   (the momentum schedule, ψ the momentum decay)
    m_t ← β1 · m_{t−1} + (1 − β1) · g_t
    v_t ← β2 · v_{t−1} + (1 − β2) · g_t²
    θ_t ← θ_{t−1} − α · ( (1 − μ_t) · g_t / (1 − Π_{i≤t} μ_i)  +  μ_{t+1} · m_t / (1 − Π_{i≤t+1} μ_i) )
                       / (√(v_t / (1 − β2^t)) + ε)

As PyTorch's ``torch.optim.NAdam`` (defaults lr = 2e-3, ψ = 4e-3), with an L2 ``weight_decay`` or, with
``decoupled_weight_decay=True``, AdamW's θ ← θ·(1 − αλ); each step equals PyTorch's.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays


class NAdam(Optimizer):
    """``NAdam(params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
    decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False, differentiable=False)``:
    Dozat 2016, with PyTorch's arguments and order (``maximize=True`` minimises −f: ``Optimizer.step`` hands the
    update −g).

    ``foreach``, ``capturable``, ``differentiable``: PyTorch's implementation switches, accepted; they change nothing.
    """

    renamed_state = {"m": "exp_avg", "v": "exp_avg_sq"}  # (checkpoints before PyTorch's names)
    # PyTorch's order (its param_groups' keys)
    hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "momentum_decay", "decoupled_weight_decay",
                            "maximize", "foreach", "capturable", "differentiable")

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                         momentum_decay=momentum_decay, decoupled_weight_decay=decoupled_weight_decay,
                         foreach=foreach, maximize=maximize, capturable=capturable, differentiable=differentiable)

    @state_as_arrays
    def _update(self, p, g, state, group):
        (beta1, beta2), lr, xp = group["betas"], group["lr"], backend.get_array_module(p.array)
        if not state:
            state["step"] = 0
            state["mu_product"] = backend.np.ones((), backend.DEFAULT_DTYPE)  # Π μ_i, the empty product (0-d)
            state["exp_avg"] = xp.zeros_like(p.array)                   # m_0 ← 0   (PyTorch's names for m and v)
            state["exp_avg_sq"] = xp.zeros_like(p.array)                # v_0 ← 0
        t = state["step"] = state["step"] + 1
        if group["weight_decay"] != 0:
            if group["decoupled_weight_decay"]:
                p.mul_(1.0 - lr * group["weight_decay"])                # θ ← θ·(1 − αλ)   (as AdamW)
            else:
                g = g + group["weight_decay"] * p.array                 # g ← g + λθ       (L2 penalty)
        psi = group["momentum_decay"]
        mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi))                   # μ_t
        mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi))        # μ_{t+1}
        scalar = backend.np.dtype(backend.DEFAULT_DTYPE).type  # PyTorch holds Π μ in a 0-d Tensor of the default dtype
        state["mu_product"] = scalar(state["mu_product"]) * scalar(mu)  # Π_{i≤t} μ_i, rounded as PyTorch's
        product, m, v = float(state["mu_product"]), state["exp_avg"], state["exp_avg_sq"]
        m += (1.0 - beta1) * (g - m)                                    # m_t = β1·m_{t−1} + (1 − β1)·g_t
        v *= beta2
        v += (1.0 - beta2) * (g * g)                                    # v_t = β2·v_{t−1} + (1 − β2)·g_t²
        denom = xp.sqrt(v / (1.0 - beta2**t)) + group["eps"]            # √(v_t / (1 − β2^t)) + ε
        p -= lr * (1.0 - mu) / (1.0 - product) * (g / denom)           # the gradient's share, now
        p -= lr * mu_next / (1.0 - product * mu_next) * (m / denom)     # the momentum's, one step ahead
        # (the moments' lines are written in the order PyTorch computes them, so each step equals its rounding)
