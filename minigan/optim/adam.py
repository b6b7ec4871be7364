"""Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", ICLR; arXiv:1412.6980).

Algorithm 1 of the paper, as the IT3320E GAN lecture (Hung Son Nguyen) shows it on "Adam and Optimistic Adam":

    Require: α: Stepsize
    Require: β1, β2 ∈ [0, 1): Exponential decay rates for the moment estimates
    m_0 ← 0 (Initialize 1st moment vector);  v_0 ← 0 (Initialize 2nd moment vector);  t ← 0
    while θ_t not converged do
        t ← t + 1
        g_t ← ∇θ f_t(θ_{t−1})                       (Get gradients w.r.t. stochastic objective at timestep t)
        m_t ← β1 · m_{t−1} + (1 − β1) · g_t         (Update biased first moment estimate)
        v_t ← β2 · v_{t−1} + (1 − β2) · g_t²        (Update biased second raw moment estimate)
        m̂_t ← m_t / (1 − β1^t)                      (Compute bias-corrected first moment estimate)
        v̂_t ← v_t / (1 − β2^t)                      (Compute bias-corrected second raw moment estimate)
        θ_t ← θ_{t−1} − α · m̂_t / (√v̂_t + ε)        (Update parameters)

"Good default settings for the tested machine learning problems are α = 0.001, β1 = 0.9,
β2 = 0.999 and ε = 10⁻⁸."

Pitfall: section 2 of the paper also gives "a slightly more efficient (but less clear) order of
computation", α_t = α·√(1 − β2^t)/(1 − β1^t) and θ_t ← θ_{t−1} − α_t·m_t/(√v_t + ε̂). That form
adds ε to √v_t *before* the bias correction, i.e. it uses ε̂ = ε·√(1 − β2^t) in the paper's
form: a different, step-dependent ε. With small gradients (ε comparable to √v) the two
trajectories differ. We implement Algorithm 1 itself, which is also what PyTorch computes
(it divides √v_t by √(1 − β2^t) first and adds ε after), so each step equals ``torch.optim.Adam``'s.

``amsgrad=True``: AMSGrad (Reddi, Kale & Kumar 2018, "On the Convergence of Adam and Beyond", ICLR,
Algorithm 2) keeps the running maximum of the second moments, so the step size never grows back:

    v̂_t ← max(v̂_{t−1}, v_t)        θ_t ← θ_{t−1} − α_t · m_t / √v̂_t

The paper states it without bias correction; like PyTorch we keep Algorithm 1's corrections around it
(the maximum is taken of the uncorrected v_t, then divided by 1 − β2^t), so each step equals
``torch.optim.Adam(amsgrad=True)``'s.

AdamW (Loshchilov & Hutter 2019, "Decoupled Weight Decay Regularization", ICLR, Algorithm 2) is the
same update with the weight decay taken out of the gradient and applied to the weights directly:

    θ_t ← θ_{t−1} − η_t · (α · m̂_t / (√v̂_t + ε) + λ · θ_{t−1})

with η_t the schedule multiplier; PyTorch (and this class) fold α into it, i.e. decay by lr·λ first,
θ ← θ·(1 − lr·λ), then take the Adam step; λ = 0.01 by default.
"""

from __future__ import annotations

from minigan.engine import backend
from minigan.optim.optimizer import Optimizer, state_as_arrays
from minigan.surface.tensor import Tensor


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *, foreach=None,
    maximize=False, capturable=False, differentiable=False, fused=None, decoupled_weight_decay=False)``:
    Kingma & Ba 2015, Algorithm 1, with PyTorch's arguments, defaults and order.

    Each step is numerically equal to ``torch.optim.Adam`` with the same arguments (to float64
    rounding). ``weight_decay`` λ adds λ·θ to the gradient first (an L2 penalty, as
    ``torch.optim.Adam`` does), or with ``decoupled_weight_decay=True`` decays θ ← θ·(1 − α·λ) as AdamW.
    ``maximize=True`` minimises −f (``Optimizer.step`` hands the update −g). GANs commonly use
    betas=(0.5, 0.999) (Radford et al. 2016, DCGAN).

    ``foreach``, ``capturable``, ``differentiable``, ``fused``: PyTorch's implementation switches, accepted; they
    change nothing.
    """

    renamed_state = {"m": "exp_avg", "v": "exp_avg_sq", "v_max": "max_exp_avg_sq"}  # (checkpoints of before)
    # PyTorch's order (its param_groups' keys)
    hyperparameter_names = ("lr", "betas", "eps", "weight_decay", "amsgrad", "maximize", "foreach", "capturable",
                            "differentiable", "fused", "decoupled_weight_decay")

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, *,
                 foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         foreach=foreach, maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=decoupled_weight_decay)

    def _check_hyperparameters(self, **hyperparameters):
        """Each value by its name's rule; and PyTorch's refusal of a Tensor lr with foreach=True (its foreach
        kernels take a number, or a Tensor only when capturable)."""
        checked = super()._check_hyperparameters(**hyperparameters)
        if isinstance(checked["lr"], Tensor) and checked["foreach"] and not checked["capturable"]:
            raise ValueError(f"{type(self).__name__}: lr as a Tensor is not supported for capturable=False and "
                             "foreach=True (as in PyTorch): give lr=float(lr), or foreach=False")
        return checked

    @state_as_arrays
    def _update(self, p, g, state, group):
        alpha, (beta1, beta2), eps = group["lr"], group["betas"], group["eps"]
        xp = backend.get_array_module(p.array)
        if not state:
            state["step"] = 0                                   # t ← 0
            state["exp_avg"] = xp.zeros_like(p.array)            # m_0 ← 0   (PyTorch's names for m and v)
            state["exp_avg_sq"] = xp.zeros_like(p.array)         # v_0 ← 0
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = xp.zeros_like(p.array)  # v̂_0 ← 0   (AMSGrad)
        if group["weight_decay"] != 0 and group["decoupled_weight_decay"]:
            p.mul_(1.0 - alpha * group["weight_decay"])         # θ ← θ·(1 − η·λ)   (AdamW: decoupled decay)
        elif group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.array                 # g_t ← g_t + λθ_{t−1}   (L2 penalty)
        t = state["step"] = state["step"] + 1                   # t ← t + 1
        m, v = state["exp_avg"], state["exp_avg_sq"]  # updated in place: no new arrays each step
        if group["amsgrad"]:
            _adam_moments(xp, m, v, g, beta1, 1.0 - beta1, beta2, 1.0 - beta2)  # m_t, v_t (one kernel on a GPU)
            v_max = state["max_exp_avg_sq"]
            xp.maximum(v_max, v, out=v_max)                     # v_max ← max(v_max, v_t)   (AMSGrad)
            step = _adam_direction(xp, m, v_max, alpha, 1.0 - beta1**t, 1.0 - beta2**t, eps)
        else:  # the same two lines, as one kernel on a GPU
            step = _adam_step(xp, m, v, g, beta1, 1.0 - beta1, beta2, 1.0 - beta2, alpha, 1.0 - beta1**t,
                              1.0 - beta2**t, eps)
        p -= step                                               # θ_t ← θ_{t−1} − α·m̂_t / (√v̂_t + ε)


class AdamW(Adam):
    """``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *, maximize=False,
    foreach=None, capturable=False, differentiable=False, fused=None)``: Adam with decoupled weight decay
    (Loshchilov & Hutter 2019, Algorithm 2): θ ← θ·(1 − lr·λ), then the Adam step on the gradient alone, i.e.
    ``Adam(..., decoupled_weight_decay=True)``.  Each step equals ``torch.optim.AdamW``'s.

    ``foreach``, ``capturable``, ``differentiable``, ``fused``: PyTorch's implementation switches, accepted; they
    change nothing.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, *,
                 maximize=False, foreach=None, capturable=False, differentiable=False, fused=None):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad,
                         foreach=foreach, maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)


# Each is one fused kernel on a GPU and these lines themselves on a CPU (backend.fused).  The scalars (β1, 1 − β1,
# 1 − β1^t ...) come in as numbers, worked out once on the host.
@backend.fused
def _adam_moments(xp, m, v, g, beta1, one_minus_beta1, beta2, one_minus_beta2):  # in place
    m *= beta1
    m += one_minus_beta1 * g                                  # m_t ← β1·m_{t−1} + (1 − β1)·g_t
    v *= beta2
    v += one_minus_beta2 * (g * g)                            # v_t ← β2·v_{t−1} + (1 − β2)·g_t²


@backend.fused
def _adam_direction(xp, m, v, alpha, bias1, bias2, eps):      # α·m̂_t / (√v̂_t + ε)
    m_hat = m / bias1                                         # m̂_t ← m_t / (1 − β1^t)
    denom = xp.sqrt(v / bias2)                                # √v̂_t,  v̂_t ← v_t / (1 − β2^t)
    denom += eps
    return alpha * m_hat / denom


@backend.fused
def _adam_step(xp, m, v, g, beta1, one_minus_beta1, beta2, one_minus_beta2, alpha, bias1, bias2, eps):
    _adam_moments(xp, m, v, g, beta1, one_minus_beta1, beta2, one_minus_beta2)
    return _adam_direction(xp, m, v, alpha, bias1, bias2, eps)
