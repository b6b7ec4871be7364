"""Optimistic gradient descent: optimistic mirror descent (OMD) with the Euclidean mirror map.

IT3320E GAN lecture (Hung Son Nguyen), "Limit cycling behavior in training (W)GAN": plain gradient
descent on a game cycles
around the equilibrium instead of converging,

    GD:   w_{t+1} = w_t + η·∇_{w,t}          θ_{t+1} = θ_t − η·∇_{θ,t}

while optimistic mirror descent (Rakhlin & Sridharan 2013), "M_{·,t+1} is a predictor of ∇_{·,t}",

    OMD:  w_{t+1} = w_t + η·(∇_{w,t} + M_{w,t+1} − M_{w,t})
          θ_{t+1} = θ_t − η·(∇_{θ,t} + M_{θ,t+1} − M_{θ,t})

"In this paper, choose M_{·,t+1} = ∇_{·,t}":

    θ_{t+1} = θ_t − η·(2∇_{θ,t} − ∇_{θ,t−1}) = θ_t − 2η·∇_{θ,t} + η·∇_{θ,t−1}

"OMD dynamics converge in terms of the last iterate." Daskalakis, Ilyas, Syrgkanis & Zeng 2018
("Training GANs with Optimism", ICLR) prove it for the bilinear game min_x max_y xᵀy, where
simultaneous GD spirals outwards: each step multiplies ‖x‖² + ‖y‖² by exactly (1 + η²).
``tests/library/test_optim.py`` checks both facts.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays


class OptimisticSGD(Optimizer):
    """``OptimisticSGD(params, lr)``: θ_{t+1} = θ_t − 2η·g_t + η·g_{t−1}, with g_{−1} = 0 on the first step.

    To *ascend* (the discriminator/max player), give it the negated gradient (or minimise −V).
    Equal to ``torch.optim.SGD(lr=η)`` fed the gradient 2g_t − g_{t−1} (checked in the tests).
    """

    hyperparameter_names = ("lr",)

    def __init__(self, params, lr):
        super().__init__(params, lr=lr)

    @state_as_arrays
    def _update(self, p, g, state, group):
        eta = group["lr"]
        xp = backend.get_array_module(p.array)
        if not state:
            state["step"] = 0
            state["previous_grad"] = xp.zeros_like(p.array)   # g_{−1} = 0
        state["step"] += 1
        p -= _optimistic_sgd_step(xp, g, state["previous_grad"], eta)     # θ_{t+1} = θ_t − η·(2g_t − g_{t−1})
        state["previous_grad"] = g.copy()                   # remember g_t (a copy: p.grad may change later)


@backend.fused  # one kernel on a GPU, this line itself on a CPU
def _optimistic_sgd_step(xp, g, previous, eta):
    return eta * (2.0 * g - previous)                     # η·(2g_t − g_{t−1})
