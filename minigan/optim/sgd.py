"""Stochastic gradient descent, with optional (Nesterov) momentum and L2 weight decay.

Plain SGD is the update the GAN papers start from. Goodfellow et al. (2014), Algorithm 1
lets the updates use any standard gradient-based rule, and the paper's experiments used momentum.
The IT3320E GAN lecture (Hung Son Nguyen), "Limit cycling behavior", writes plain
gradient descent for the two players as

    w_{t+1} = w_t + η·∇_{w,t}      (the discriminator ascends)
    θ_{t+1} = θ_t − η·∇_{θ,t}      (the generator descends)
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, check_not_below_zero, lr_check, state_as_arrays


class SGD(Optimizer):
    """``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *, maximize=False,
    foreach=None, differentiable=False, fused=None)``: PyTorch's arguments, defaults and order.

    Each step is numerically equal to ``torch.optim.SGD`` with the same arguments
    (Sutskever et al. 2013 momentum, as PyTorch formulates it):

        g ← −g                              (maximize: minimise −f; ``Optimizer.step`` does it)
        g ← g + λ·θ                         (weight_decay λ, an L2 penalty λ/2·‖θ‖²)
        b ← g                               (first step)
        b ← μ·b + (1 − dampening)·g         (later steps; momentum μ)
        d ← g + μ·b   if nesterov else  b   (d ← g when μ = 0)
        θ ← θ − η·d

    ``foreach``, ``differentiable``, ``fused``: PyTorch's implementation switches, accepted; they change nothing.
    """

    hyperparameter_names = ("lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach",
                            "differentiable", "fused")

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        super().__init__(params, lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                         nesterov=nesterov, maximize=maximize, foreach=foreach, differentiable=differentiable,
                         fused=fused)

    # PyTorch's SGD refuses x < 0 (NaN taken), where its other optimizers refuse all but 0 <= x
    hyperparameter_checks = {"lr": lr_check(check_not_below_zero), "momentum": check_not_below_zero,
                             "weight_decay": check_not_below_zero}

    def _check_hyperparameters(self, **hyperparameters):
        """Each value by its name's rule, then what SGD adds: Nesterov's needs."""
        checked = super()._check_hyperparameters(**hyperparameters)
        who, momentum, dampening = type(self).__name__, checked["momentum"], checked["dampening"]
        if checked["nesterov"] and (momentum == 0 or dampening != 0):
            raise ValueError(f"{who}: nesterov=True needs momentum > 0 and dampening = 0, "
                             f"got momentum={momentum!r}, dampening={dampening!r}")
        return checked

    _unstarted = frozenset()  # (until a step reads them: an _update called on its own starts from the state)

    def _read_state(self):
        """As PyTorch's step, which parameters have a momentum buffer is read before any is updated: a parameter
        given twice starts a buffer at each appearance on its first step (b ← g, the last one kept), where reading
        the state as the step goes would make its second appearance continue the first one's."""
        self._unstarted = {id(p) for group in self.param_groups for p in group["params"]
                           if "momentum_buffer" not in self.state.get(p, ())}

    @state_as_arrays
    def _update(self, p, g, state, group):
        lr, mu = group["lr"], group["momentum"]
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                 # g ← g + λθ  (a new array: p.grad is untouched)
        xp = backend.get_array_module(p.array)
        if mu != 0:
            if id(p) in self._unstarted or "momentum_buffer" not in state:
                state["momentum_buffer"] = g.copy()             # b ← g   (first step)
            else:
                state["momentum_buffer"] = _momentum(xp, state["momentum_buffer"], g, mu, 1.0 - group["dampening"])
            b = state["momentum_buffer"]
            if group["nesterov"]:
                p -= _nesterov_step(xp, g, b, mu, lr)           # θ ← θ − η·(g + μb)   (Nesterov)
                return
            g = b                                               # d ← b
        p -= lr * g                                           # θ ← θ − η·d   (in place)


# One fused kernel each on a GPU, these lines themselves on a CPU (backend.fused).
@backend.fused
def _momentum(xp, b, g, mu, one_minus_dampening):
    return mu * b + one_minus_dampening * g             # b ← μb + (1−dampening)g


@backend.fused
def _nesterov_step(xp, g, b, mu, lr):
    return lr * (g + mu * b)                            # η·d,  d ← g + μb
