"""Stochastic gradient descent, with optional (Nesterov) momentum and L2 weight decay.

Plain SGD is the update the GAN papers start from. Goodfellow et al. (2014), Algorithm 1
lets the updates use any standard gradient-based rule, and the paper's experiments used momentum.
The IT3320E GAN lecture (Hung Son Nguyen), "Limit cycling behavior", writes plain
gradient descent for the two players as

    w_{t+1} = w_t + η·∇_{w,t}      (the discriminator ascends)
    θ_{t+1} = θ_t − η·∇_{θ,t}      (the generator descends)
"""

from __future__ import annotations

from minigan.optim.optimizer import Optimizer, check_lr, check_nonnegative, check_unit


class SGD(Optimizer):
    """``SGD(params, lr, momentum=0.0, nesterov=False, weight_decay=0.0, dampening=0.0)``.

    Each step is numerically equal to ``torch.optim.SGD`` with the same arguments
    (Sutskever et al. 2013 momentum, as PyTorch formulates it):

        g ← g + λ·θ                         (weight_decay λ, an L2 penalty λ/2·‖θ‖²)
        b ← g                               (first step)
        b ← μ·b + (1 − dampening)·g         (later steps; momentum μ)
        d ← g + μ·b   if nesterov else  b   (d ← g when μ = 0)
        θ ← θ − η·d
    """

    hyperparameter_names = ("lr", "momentum", "nesterov", "weight_decay", "dampening")

    def __init__(self, params, lr, momentum=0.0, nesterov=False, weight_decay=0.0, dampening=0.0):
        super().__init__(params, lr=lr, momentum=momentum, nesterov=nesterov,
                         weight_decay=weight_decay, dampening=dampening)

    def _check_hyperparameters(self, lr, momentum=0.0, nesterov=False, weight_decay=0.0, dampening=0.0):
        who = "SGD"
        momentum = check_nonnegative(who, "momentum", momentum)
        dampening = check_nonnegative(who, "dampening", dampening)
        if not isinstance(nesterov, bool):
            raise TypeError(f"{who}: nesterov must be True or False, got {nesterov!r}")
        if nesterov and (momentum == 0 or dampening != 0):
            raise ValueError(f"{who}: nesterov=True needs momentum > 0 and dampening = 0, "
                             f"got momentum={momentum!r}, dampening={dampening!r}")
        return {"lr": check_lr(who, lr), "momentum": momentum, "nesterov": nesterov,
                "weight_decay": check_nonnegative(who, "weight_decay", weight_decay),
                "dampening": dampening if dampening == 0 else check_unit(who, "dampening", dampening)}

    def _update(self, p, g, state, group):
        lr, mu = group["lr"], group["momentum"]
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                 # g ← g + λθ  (a new array: p.grad is untouched)
        if mu != 0:
            if "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()             # b ← g   (first step)
            else:
                b = state["momentum_buffer"]
                state["momentum_buffer"] = mu * b + (1.0 - group["dampening"]) * g   # b ← μb + (1−dampening)g
            b = state["momentum_buffer"]
            g = g + mu * b if group["nesterov"] else b              # d ← g + μb  (Nesterov)  or  d ← b
        p.sub_(lr * g)                                        # θ ← θ − η·d   (in place)
