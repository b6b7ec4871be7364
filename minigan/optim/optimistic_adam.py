"""Optimistic Adam (Daskalakis, Ilyas, Syrgkanis & Zeng 2018, "Training GANs with Optimism", ICLR).

Adam's moment estimates, with the optimistic step of optimistic mirror descent (see
``optimistic_sgd.py``): move twice along this step's Adam direction and undo once the previous
one. Algorithm 1 of the paper (shown in the IT3320E GAN lecture, Hung Son Nguyen):

    Parameters: stepsize η, exponential decay rates for moment estimates β1, β2 ∈ [0, 1),
    stochastic loss as a function of weights ℓ_t(θ), initial parameters θ_0
    for each iteration t ∈ {1, ..., T} do
        Compute stochastic gradient: ∇_{θ,t} = ∇θ ℓ_t(θ)
        Update biased estimate of first moment:  m_t = β1·m_{t−1} + (1 − β1)·∇_{θ,t}
        Update biased estimate of second moment: v_t = β2·v_{t−1} + (1 − β2)·∇²_{θ,t}
        Compute bias corrected first moment:  m̂_t = m_t / (1 − β1^t)
        Compute bias corrected second moment: v̂_t = v_t / (1 − β2^t)
        Perform optimistic gradient step:
            θ_t = θ_{t−1} − 2η·m̂_t/(√v̂_t + ε) + η·m̂_{t−1}/(√v̂_{t−1} + ε)
    Return θ_T

At t = 1 there is no previous step: the term m̂_0/(√v̂_0 + ε) is taken as 0 (m_0 = 0), so the
first step is a plain Adam step of size 2η.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays


class OptimisticAdam(Optimizer):
    """``OptimisticAdam(params, lr=1e-3, betas=(0.5, 0.9), eps=1e-8)``: Daskalakis et al. 2018, Algorithm 1.

    PyTorch has no optimistic Adam; the tests check each step against one built from
    ``torch.optim.Adam``'s own direction m̂_t/(√v̂_t + ε), and against steps worked out by hand.
    """

    hyperparameter_names = ("lr", "betas", "eps")

    def __init__(self, params, lr=1e-3, betas=(0.5, 0.9), eps=1e-8):
        super().__init__(params, lr=lr, betas=betas, eps=eps)

    @state_as_arrays
    def _update(self, p, g, state, group):
        eta, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        xp = backend.get_array_module(p.array)
        if not state:
            state["step"] = 0
            state["m"] = xp.zeros_like(p.array)                   # m_0 = 0
            state["v"] = xp.zeros_like(p.array)                   # v_0 = 0
            state["previous_direction"] = xp.zeros_like(p.array)  # m̂_0/(√v̂_0 + ε) := 0
        t = state["step"] = state["step"] + 1
        previous = state["previous_direction"]                         # m̂_{t−1}/(√v̂_{t−1} + ε)
        direction = _optimistic_adam_direction(xp, state["m"], state["v"], g, beta1, 1.0 - beta1, beta2,
                                               1.0 - beta2, 1.0 - beta1**t, 1.0 - beta2**t, eps)
        p -= _optimistic_step(xp, direction, previous, 2.0 * eta, eta)          # θ_t = θ_{t−1} − 2η·m̂_t/(√v̂_t + ε)
        state["previous_direction"] = direction                        #           + η·m̂_{t−1}/(√v̂_{t−1} + ε)


# One fused kernel each on a GPU, these lines themselves on a CPU (backend.fused).
@backend.fused
def _optimistic_adam_direction(xp, m, v, g, beta1, one_minus_beta1, beta2, one_minus_beta2, bias1, bias2, eps):
    m *= beta1                                                         # in place: the optimizer's own m and v
    m += one_minus_beta1 * g                                           # m_t = β1·m_{t−1} + (1 − β1)·∇
    v *= beta2
    v += one_minus_beta2 * (g * g)                                     # v_t = β2·v_{t−1} + (1 − β2)·∇²
    m_hat = m / bias1                                                  # m̂_t = m_t / (1 − β1^t)
    v_hat = v / bias2                                                  # v̂_t = v_t / (1 − β2^t)
    return m_hat / (xp.sqrt(v_hat) + eps)                              # m̂_t/(√v̂_t + ε)


@backend.fused
def _optimistic_step(xp, direction, previous, two_eta, eta):
    return two_eta * direction - eta * previous                     # 2η·m̂_t/(√v̂_t + ε) − η·m̂_{t−1}/(...)
