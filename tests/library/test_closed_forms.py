"""Each optimizer switch, GAN loss, gradient penalty and attack against its paper's formula, worked out by hand.

No PyTorch: the expected numbers are the papers' update rules evaluated on one number (two steps of each
optimizer, as tests/library/test_optim.py's by-hand tests), or on models small enough to differentiate on paper:
a GAN whose generator outputs a constant b and whose discriminator is D(v) = w·v + c, a linear critic for the
gradient penalty, a linear classifier for the attacks.  (The comparisons with PyTorch: tests/pytorch/.)
"""

import math

import numpy as np
import pytest

import minigan
import minigan.nn as nn
from library.test_optim import two_steps as by_hand
from minigan import optim
from minigan.attacks import bim, fgsm, pgd
from minigan.gans import BEGAN, GAN, WGAN, WGANGP
from minigan.gans.wgan_gp import gradient_penalty

ETA, G1, G2 = 0.1, 0.5, -1.0  # two steps from θ = 1 with gradients 0.5 then −1


def two_steps(opt_cls, g1=G1, g2=G2, lr_tensor=False, **kwargs):
    """θ after each of two steps from θ = 1 at lr ETA (a tensor lr with ``lr_tensor``): test_optim's walk."""
    return by_hand(opt_cls, g1, g2, lr=minigan.tensor(ETA) if lr_tensor else ETA, **kwargs)


# ----------------------------------------------------------------------------- the defaults
DEFAULTS = {  # PyTorch's documented defaults, in its param_groups' order; OptimisticAdam's from Daskalakis et al.
    optim.SGD: dict(lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, maximize=False, foreach=None,
                    differentiable=False, fused=None),
    optim.RMSprop: dict(lr=1e-2, momentum=0, alpha=0.99, eps=1e-8, centered=False, weight_decay=0, capturable=False,
                        foreach=None, maximize=False, differentiable=False),
    optim.Adam: dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False, maximize=False,
                     foreach=None, capturable=False, differentiable=False, fused=None, decoupled_weight_decay=False),
    optim.AdamW: dict(lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False, maximize=False,
                      foreach=None, capturable=False, differentiable=False, fused=None, decoupled_weight_decay=True),
    optim.OptimisticAdam: dict(lr=1e-3, betas=(0.5, 0.9), eps=1e-8),
}


@pytest.mark.parametrize("opt_cls", list(DEFAULTS), ids=lambda c: c.__name__)
def test_each_optimizer_starts_from_its_documented_defaults(opt_cls):
    group = dict(opt_cls([minigan.tensor(np.zeros(2), requires_grad=True)]).param_groups[0])
    group.pop("params")
    assert list(group.items()) == list(DEFAULTS[opt_cls].items())
    # and each one given is passed on: switches flipped (None to False), numbers halved (Nesterov kept off: it needs
    # momentum > 0)
    given = {k: False if v is None else not v if isinstance(v, bool) else v / 2 if isinstance(v, float) else v
             for k, v in DEFAULTS[opt_cls].items() if k != "decoupled_weight_decay" or opt_cls is optim.Adam}
    if opt_cls is optim.SGD:
        given["nesterov"] = False
    group = dict(opt_cls([minigan.tensor(np.zeros(2), requires_grad=True)], **given).param_groups[0])
    group.pop("params")
    assert group == {**DEFAULTS[opt_cls], **given}


def test_adam_takes_a_tensor_lr_as_pytorch_does():
    """A Tensor lr with foreach=True needs capturable=True (PyTorch's foreach kernels take a number otherwise)."""
    lr = minigan.tensor(0.1)
    with pytest.raises(ValueError, match="capturable=False and foreach=True"):
        optim.Adam([minigan.tensor(np.zeros(1), requires_grad=True)], lr=lr, foreach=True)
    optim.Adam([minigan.tensor(np.zeros(1), requires_grad=True)], lr=lr, foreach=True, capturable=True)
    assert two_steps(optim.Adam, lr_tensor=True) == pytest.approx(adam_by_hand([G1, G2]), rel=1e-6)


def test_the_trainers_start_from_their_papers_values():
    G, D, opt_g, opt_d = nn.Linear(2, 1), nn.Linear(1, 1), None, None
    gan = GAN(G, D, opt_g, opt_d, latent_dim=2)
    assert (gan.k, gan.loss, gan.batch_size, gan.prior, gan.instance_noise, gan.r1) == (
        1, "non-saturating", 64, "normal", 0.0, 0.0)
    assert (WGAN(G, D, opt_g, opt_d, 2).n_critic, WGAN(G, D, opt_g, opt_d, 2).clip) == (5, 0.01)  # Arjovsky et al.
    assert (WGANGP(G, D, opt_g, opt_d, 2).n_critic, WGANGP(G, D, opt_g, opt_d, 2).lam) == (5, 10.0)  # Gulrajani
    began = BEGAN(G, D, opt_g, opt_d, 2)
    assert (began.gamma, began.lambda_k, began.k) == (0.5, 0.001, 0.0)  # Berthelot et al.


# ----------------------------------------------------------------------------- SGD (Sutskever et al. 2013, as PyTorch)
def test_sgd_weight_decay_adds_lambda_theta_to_the_gradient():
    # g1 = 0.5 + 0.2·1 = 0.7: θ1 = 0.93;  g2 = −1 + 0.2·0.93 = −0.814: θ2 = 0.93 + 0.0814
    assert two_steps(optim.SGD, weight_decay=0.2) == pytest.approx([0.93, 1.0114], rel=1e-14)


def test_sgd_maximize_climbs():
    assert two_steps(optim.SGD, maximize=True) == pytest.approx([1.05, 0.95], rel=1e-14)


def test_sgd_dampening_scales_the_new_gradient_after_the_first_step():
    # b1 = g1 = 0.5 (no dampening on the first step): θ1 = 0.95;  b2 = 0.9·0.5 + (1 − 0.5)·(−1) = −0.05: θ2 = 0.955
    assert two_steps(optim.SGD, momentum=0.9, dampening=0.5) == pytest.approx([0.95, 0.955], rel=1e-14)


def test_sgd_every_switch_at_once():
    # maximize, then decay: g1 = −0.5 + 0.2·1 = −0.3, b1 = −0.3, Nesterov d1 = g1 + 0.9·b1 = −0.57: θ1 = 1.057
    # g2 = 1 + 0.2·1.057 = 1.2114, b2 = 0.9·(−0.3) + 1.2114 = 0.9414, d2 = 1.2114 + 0.9·0.9414 = 2.05866
    t1 = 1 + 0.1 * 0.57
    g2 = 1 + 0.2 * t1
    b2 = 0.9 * -0.3 + g2
    assert two_steps(optim.SGD, momentum=0.9, nesterov=True, weight_decay=0.2, maximize=True) == pytest.approx(
        [t1, t1 - 0.1 * (g2 + 0.9 * b2)], rel=1e-14)


# ----------------------------------------------------------------------------- RMSprop (Tieleman & Hinton 2012)
def test_rmsprop_centered_divides_by_the_standard_deviation():
    # v1 = 0.01·0.25, ḡ1 = 0.01·0.5: s1 = √(v1 − ḡ1²);  v2 = 0.99·v1 + 0.01, ḡ2 = 0.99·ḡ1 − 0.01: s2 = √(v2 − ḡ2²)
    v1, m1 = 0.0025, 0.005
    v2, m2 = 0.99 * v1 + 0.01, 0.99 * m1 - 0.01
    t1 = 1 - 0.1 * 0.5 / (math.sqrt(v1 - m1 * m1) + 1e-8)
    t2 = t1 + 0.1 / (math.sqrt(v2 - m2 * m2) + 1e-8)
    assert two_steps(optim.RMSprop, centered=True) == pytest.approx([t1, t2], rel=1e-13)


def test_rmsprop_momentum_accumulates_the_scaled_steps():
    b1 = 0.5 / (0.05 + 1e-8)
    b2 = 0.9 * b1 - 1 / (math.sqrt(0.012475) + 1e-8)
    assert two_steps(optim.RMSprop, momentum=0.9) == pytest.approx([1 - 0.1 * b1, 1 - 0.1 * b1 - 0.1 * b2],
                                                                  rel=1e-13)


def test_rmsprop_weight_decay_alpha_eps_and_maximize():
    # maximize, then decay: g1 = −0.5 + 0.5·1 = 0 (no step), g2 = 1 + 0.5·1 = 1.5; α = 0.5, ε = 0.25 (outside the √)
    v2 = 0.5 * 1.5 ** 2
    assert two_steps(optim.RMSprop, alpha=0.5, eps=0.25, weight_decay=0.5, maximize=True) == pytest.approx(
        [1.0, 1 - 0.1 * 1.5 / (math.sqrt(v2) + 0.25)], rel=1e-14)


# ----------------------------------------------------------------------------- Adam (Kingma & Ba 2015) and its kin
def adam_by_hand(grads, beta1=0.9, beta2=0.999, eps=1e-8, theta=1.0, decay=0.0, l2=0.0, amsgrad=False):
    """Algorithm 1, one line each; AMSGrad's running maximum of v, AdamW's decay θ ← θ(1 − ηλ) first."""
    m = v = v_max = 0.0
    out = []
    for t, g in enumerate(grads, start=1):
        theta *= 1 - ETA * decay
        g = g + l2 * theta
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g
        v_max = max(v_max, v)
        m_hat, v_hat = m / (1 - beta1 ** t), (v_max if amsgrad else v) / (1 - beta2 ** t)
        theta -= ETA * m_hat / (math.sqrt(v_hat) + eps)
        out.append(theta)
    return out


def test_amsgrad_keeps_the_largest_second_moment():
    # g2 = 0.01 makes v2 = 0.999·0.00025 + 0.001·0.0001 < v1: AMSGrad divides by √v1's correction, Adam by v2's
    got = two_steps(optim.Adam, G1, 0.01, amsgrad=True)
    assert got == pytest.approx(adam_by_hand([G1, 0.01], amsgrad=True), rel=1e-14)
    assert got[1] != pytest.approx(adam_by_hand([G1, 0.01])[1], rel=1e-6)


def test_adam_l2_weight_decay_and_decoupled_weight_decay():
    assert two_steps(optim.Adam, weight_decay=0.1) == pytest.approx(adam_by_hand([G1, G2], l2=0.1), rel=1e-14)
    decoupled = adam_by_hand([G1, G2], decay=0.1)
    assert two_steps(optim.Adam, weight_decay=0.1, decoupled_weight_decay=True) == pytest.approx(decoupled, rel=1e-14)
    assert two_steps(optim.AdamW, weight_decay=0.1) == pytest.approx(decoupled, rel=1e-14)
    assert two_steps(optim.AdamW) == pytest.approx(adam_by_hand([G1, G2], decay=0.01), rel=1e-14)  # λ = 0.01


def test_adam_maximize_betas_eps_and_amsgrad_with_decay():
    assert two_steps(optim.Adam, maximize=True) == pytest.approx(adam_by_hand([-G1, -G2]), rel=1e-14)
    kwargs = dict(betas=(0.5, 0.9), eps=0.3)
    assert two_steps(optim.Adam, **kwargs) == pytest.approx(adam_by_hand([G1, G2], 0.5, 0.9, 0.3), rel=1e-14)
    assert two_steps(optim.AdamW, G1, 0.01, amsgrad=True, weight_decay=0.1) == pytest.approx(
        adam_by_hand([G1, 0.01], amsgrad=True, decay=0.1), rel=1e-14)


# ----------------------------------------------------------------------------- optimism (Daskalakis et al. 2018)
def test_optimistic_adam_betas_and_eps():
    # θ_t = θ_{t−1} − 2η·u_t + η·u_{t−1}, u_t = m̂_t/(√v̂_t + ε), u_0 = 0; ε = 0.5 outside the √, betas (0.9, 0.99)
    def u(grads, t):
        m = v = 0.0
        for g in grads[:t]:
            m, v = 0.9 * m + 0.1 * g, 0.99 * v + 0.01 * g * g
        return m / (1 - 0.9 ** t) / (math.sqrt(v / (1 - 0.99 ** t)) + 0.5)
    u1, u2 = u([G1, G2], 1), u([G1, G2], 2)
    t1 = 1 - 2 * ETA * u1
    assert two_steps(optim.OptimisticAdam, betas=(0.9, 0.99), eps=0.5) == pytest.approx(
        [t1, t1 - 2 * ETA * u2 + ETA * u1], rel=1e-14)


def test_optimistic_sgd_remembers_one_gradient_only():
    p = minigan.tensor(np.array([1.0, -2.0]), requires_grad=True)
    opt = optim.OptimisticSGD([p], lr=ETA)
    theta, previous = np.array([1.0, -2.0]), np.zeros(2)
    for g in ([0.5, 1.0], [-1.0, 0.0], [2.0, 3.0]):
        p.grad = minigan.tensor(np.array(g))
        opt.step()
        theta = theta - 2 * ETA * np.array(g) + ETA * previous  # θ_{t+1} = θ_t − 2η·g_t + η·g_{t−1}
        previous = np.array(g)
        np.testing.assert_allclose(p.array, theta, rtol=1e-15)


# ----------------------------------------------------------------------------- the GAN losses
def softplus(v):
    return math.log1p(math.exp(v))


def sigmoid(v):
    return 1 / (1 + math.exp(-v))


def tiny_gan(b, w, c, latent=2, d_opt=optim.SGD, **d_kwargs):
    """G(z) = b for every z (a zero weight, bias b) and D(v) = w·v + c, each with SGD(lr=η)."""
    G, D = nn.Linear(latent, 1), nn.Linear(1, 1)
    with minigan.no_grad():
        G.weight.zero_()
        G.bias.fill_(b)
        D.weight.fill_(w)
        D.bias.fill_(c)
    G.double(), D.double()
    return G, D, optim.SGD(G.parameters(), lr=ETA), d_opt(D.parameters(), lr=ETA, **d_kwargs)


def real(x_r):
    return lambda m: minigan.full((m, 1), x_r, dtype=minigan.float64)


@pytest.mark.parametrize("loss", ["non-saturating", "minimax"])
def test_gan_step_in_closed_form(loss, float64):
    """D descends softplus(−v_r) + softplus(v_f) (Goodfellow et al. 2014, Algorithm 1, as BCE on logits v); G then
    descends softplus(−v) (non-saturating) or −softplus(v) (minimax) at v = D(b), through the UPDATED D."""
    b, w, c, x_r = 0.3, 0.8, -0.2, 1.5
    G, D, opt_g, opt_d = tiny_gan(b, w, c)
    out = GAN(G, D, opt_g, opt_d, latent_dim=2, loss=loss, batch_size=4).train_step(real(x_r))
    v_r, v_f = w * x_r + c, w * b + c
    assert out["loss_d"] == pytest.approx(softplus(-v_r) + softplus(v_f), rel=1e-12)
    assert (out["d_real"], out["d_fake"]) == pytest.approx((sigmoid(v_r), sigmoid(v_f)), rel=1e-12)
    w1 = w - ETA * (-sigmoid(-v_r) * x_r + sigmoid(v_f) * b)  # ∂/∂w of the loss: −σ(−v_r)·x_r + σ(v_f)·b
    c1 = c - ETA * (-sigmoid(-v_r) + sigmoid(v_f))
    assert (D.weight.item(), D.bias.item()) == pytest.approx((w1, c1), rel=1e-12)
    v = w1 * b + c1
    if loss == "non-saturating":
        assert out["loss_g"] == pytest.approx(softplus(-v), rel=1e-12)
        assert G.bias.item() == pytest.approx(b + ETA * sigmoid(-v) * w1, rel=1e-12)  # ∂/∂b = −σ(−v)·w1
    else:
        assert out["loss_g"] == pytest.approx(-softplus(v), rel=1e-12)
        assert G.bias.item() == pytest.approx(b + ETA * sigmoid(v) * w1, rel=1e-12)   # ∂/∂b = −σ(v)·w1


def test_wgan_step_clips_every_critic_weight(float64):
    """The critic ascends w·(x_r − b) (Arjovsky et al. 2017, Algorithm 1) and is clipped to [−c, c] after each
    update; the generator then descends −(w·b + c) with the clipped critic."""
    b, w, c, x_r, clip = 0.3, 0.005, 0.3, 1.3, 0.01
    G, D, opt_g, opt_c = tiny_gan(b, w, c)
    out = WGAN(G, D, opt_g, opt_c, latent_dim=2, n_critic=2, clip=clip, batch_size=4).train_step(real(x_r))
    # step 1: w ← w + η·(x_r − b) = 0.105 → 0.01, c (gradient 0) 0.3 → 0.01; step 2 from (0.01, 0.01): clipped again
    assert (D.weight.item(), D.bias.item()) == (clip, clip)
    assert out["wasserstein"] == pytest.approx(clip * (x_r - b), rel=1e-12)  # the last update's estimate
    assert out["loss_c"] == pytest.approx(-clip * (x_r - b), rel=1e-12)
    assert out["loss_g"] == pytest.approx(-(clip * b + clip), rel=1e-12)
    assert G.bias.item() == pytest.approx(b + ETA * clip, rel=1e-12)  # ∂/∂b of −(w·b + c) is −w


def test_gradient_penalty_of_a_linear_critic():
    """D(x) = wᵀx + c has ∇x D = w at every x̂: the penalty is λ(‖w‖ − 1)² (Gulrajani et al. 2017, eq. 3), and its
    gradient in w is 2λ(‖w‖ − 1)·w/‖w‖ (a double backward), whatever the interpolation ε."""
    critic = nn.Linear(3, 1).double()
    with minigan.no_grad():
        critic.weight.copy_(minigan.tensor([[0.5, -1.0, 2.0]], dtype=minigan.float64))
    norm = math.sqrt(0.25 + 1 + 4)
    real_, fake = minigan.randn(5, 3, dtype=minigan.float64), minigan.randn(5, 3, dtype=minigan.float64)
    penalty = gradient_penalty(critic, real_, fake, lam=10.0)
    assert penalty.item() == pytest.approx(10 * (norm - 1) ** 2, rel=1e-12)
    penalty.backward()
    np.testing.assert_allclose(critic.weight.grad.array, 20 * (norm - 1) / norm * np.array([[0.5, -1.0, 2.0]]),
                               rtol=1e-12)
    assert critic.bias.grad is None or float(critic.bias.grad.abs().sum()) == 0.0


def test_gradient_penalty_interpolates_with_the_given_eps():
    """A quadratic critic D(x) = a·‖x‖²/2 has ∇x D = a·x̂: with x̂ = εx + (1 − ε)x̃ the penalty is
    λ·mean((|a|·‖x̂ᵢ‖ − 1)²), which reads every ε."""
    a = minigan.tensor(0.7, dtype=minigan.float64, requires_grad=True)

    def critic(x):
        return a * (x * x).sum(axis=1) / 2

    real_ = np.array([[1.0, 2.0], [0.0, -1.0], [3.0, 0.5]])
    fake = np.array([[0.0, 1.0], [2.0, 2.0], [-1.0, 0.0]])
    eps = np.array([0.25, 0.5, 1.0])
    x_hat = eps[:, None] * real_ + (1 - eps[:, None]) * fake
    norms = np.linalg.norm(x_hat, axis=1)
    penalty = gradient_penalty(critic, minigan.tensor(real_), minigan.tensor(fake), lam=2.0,
                               eps=minigan.tensor(eps))
    assert penalty.item() == pytest.approx(2.0 * np.mean((0.7 * norms - 1) ** 2), rel=1e-12)
    penalty.backward()  # d/da = 2λ·mean((a‖x̂‖ − 1)·‖x̂‖)
    assert a.grad.item() == pytest.approx(4.0 * np.mean((0.7 * norms - 1) * norms), rel=1e-12)


def test_wgan_gp_step_in_closed_form(float64):
    """L = −w·(x_r − b) + λ(|w| − 1)² for a one-weight critic; the generator descends −(w1·b + c)."""
    b, w, c, x_r, lam = 0.3, 0.4, 0.1, 1.2, 2.0
    G, D, opt_g, opt_c = tiny_gan(b, w, c)
    out = WGANGP(G, D, opt_g, opt_c, latent_dim=2, n_critic=1, lam=lam, batch_size=4).train_step(real(x_r))
    assert out["penalty"] == pytest.approx(lam * (w - 1) ** 2, rel=1e-12)
    assert out["wasserstein"] == pytest.approx(w * (x_r - b), rel=1e-12)
    assert out["loss_c"] == pytest.approx(-w * (x_r - b) + lam * (w - 1) ** 2, rel=1e-12)
    w1 = w - ETA * (-(x_r - b) + 2 * lam * (w - 1))
    assert (D.weight.item(), D.bias.item()) == pytest.approx((w1, c), rel=1e-12)
    assert out["loss_g"] == pytest.approx(-(w1 * b + c), rel=1e-12)
    assert G.bias.item() == pytest.approx(b + ETA * w1, rel=1e-12)


@pytest.mark.parametrize("k0", [0.0, 0.4])
def test_began_step_in_closed_form(k0, float64):
    """An autoencoder D(v) = a·v + d: L(v) = |v − a·v − d|; L_D = L(x) − k·L(G(z)), L_G = L(G(z)) through the
    updated D, and k ← clip(k + λ_k(γ·L(x) − L_G), 0, 1) (Berthelot et al. 2017, eq. 4 and 5)."""
    b, a, d, x_r, gamma, lambda_k = 0.45, 0.6, 0.1, 1.0, 0.5, 0.3
    G, D, opt_g, opt_d = tiny_gan(b, a, d)
    began = BEGAN(G, D, opt_g, opt_d, latent_dim=2, gamma=gamma, lambda_k=lambda_k, k0=k0, batch_size=4)
    out = began.train_step(real(x_r))
    r_real, r_fake = x_r - a * x_r - d, b - a * b - d  # 0.3 and 0.08: both positive, so |r|' = 1
    assert out["loss_real"] == pytest.approx(r_real, rel=1e-12)
    assert out["loss_d"] == pytest.approx(r_real - k0 * r_fake, rel=1e-12)
    a1, d1 = a - ETA * (-x_r + k0 * b), d - ETA * (-1 + k0)  # ∂L_D/∂a = −x_r + k·b, ∂L_D/∂d = −1 + k
    assert (D.weight.item(), D.bias.item()) == pytest.approx((a1, d1), rel=1e-12)
    loss_g = abs(b - a1 * b - d1)
    assert out["loss_g"] == pytest.approx(loss_g, rel=1e-12)
    assert out["k"] == pytest.approx(min(max(k0 + lambda_k * (gamma * r_real - loss_g), 0.0), 1.0), abs=1e-15)
    assert out["m_global"] == pytest.approx(r_real + abs(gamma * r_real - loss_g), rel=1e-12)
    assert G.bias.item() == pytest.approx(b - ETA * math.copysign(1, b - a1 * b - d1) * (1 - a1), rel=1e-12)


# ----------------------------------------------------------------------------- the attacks on a linear model
W = np.array([[1.0, -2.0, 0.5, 0.0], [-1.0, 0.5, 1.5, -0.5], [0.5, 0.5, -1.0, 2.0]])  # 3 classes, 4 pixels
B = np.array([0.1, -0.2, 0.3])
W1, B1 = np.array([[1.0, -2.0, 0.5, -0.7]]), np.array([0.1])  # one logit, no weight 0: every pixel has a direction


def linear_model(weight=W, bias=B):
    model = nn.Linear(weight.shape[1], weight.shape[0]).double()
    with minigan.no_grad():
        model.weight.copy_(minigan.tensor(weight))
        model.bias.copy_(minigan.tensor(bias))
    return model


def cross_entropy_gradient(x, y, weight=W, bias=B):
    """∇x of −log softmax(Wx + b)_y, per row: Wᵀ(softmax − onehot(y))."""
    v = x @ weight.T + bias
    p = np.exp(v - v.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    p[np.arange(len(y)), y] -= 1
    return p @ weight


X = np.array([[0.2, 0.9, 0.5, 0.05], [0.6, 0.1, 0.97, 0.5]])


@pytest.mark.parametrize("labels", [np.array([0, 2]), None])
def test_fgsm_is_one_clipped_sign_step(labels):
    """x' = clip(x + ε·sign(∇x J)) (Goodfellow et al. 2015, eq. 3); no labels: the model's own predictions."""
    y = labels if labels is not None else (X @ W.T + B).argmax(axis=1)
    expected = np.clip(X + 0.1 * np.sign(cross_entropy_gradient(X, y)), 0, 1)
    np.testing.assert_allclose(fgsm(linear_model(), X, None if labels is None else labels, eps=0.1).array, expected,
                               rtol=1e-15)
    no_clip = fgsm(linear_model(), X, labels, eps=0.1, clip=None).array
    np.testing.assert_allclose(no_clip, X + 0.1 * np.sign(cross_entropy_gradient(X, y)), rtol=1e-15)


def test_fgsm_of_a_one_logit_model_steps_against_its_weights():
    """BCE on the logit v = wᵀx + c: ∇x J = (σ(v) − y)·w, so x' = x − ε·sign(w) for y = 1 and x + ε·sign(w) for 0."""
    model = linear_model(W[:1], B[:1])
    got = fgsm(model, X, np.array([1.0, 0.0]), eps=0.05, clip=None).array
    np.testing.assert_allclose(got, X + 0.05 * np.array([[-1.0], [1.0]]) * np.sign(W[0]), rtol=1e-15)


def test_bim_walks_to_the_edge_of_the_ball_and_stays():
    """With a one-logit model the gradient's sign never changes: after k steps of α each pixel has moved by
    min(k·α, ε) along −sign(w) (y = 1), then into [0, 1] (Kurakin et al. 2017, Clip_{X,ε})."""
    model = linear_model(W1, B1)
    y = np.array([1.0, 1.0])
    direction = -np.sign(W1[0])
    for steps in (1, 2, 5):
        got = bim(model, X, y, eps=0.1, step_size=0.04, steps=steps).array
        np.testing.assert_allclose(got, np.clip(X + min(0.04 * steps, 0.1) * direction, 0, 1), rtol=1e-12)
    targeted = bim(model, X, y, eps=0.1, step_size=0.04, steps=5, targeted=True).array  # down J(·, 1): along +w
    np.testing.assert_allclose(targeted, np.clip(X - 0.1 * direction, 0, 1), rtol=1e-12)


def test_pgd_from_any_random_start_ends_at_the_same_corner():
    """From x + U(−ε, ε), enough steps (k·α ≥ 2ε) reach the ball's corner x + ε·sign(∇J) from anywhere; without the
    random start PGD is BIM, and one step of α = ε is FGSM (Madry et al. 2018, §2.1)."""
    model = linear_model(W1, B1)
    y = np.array([0.0, 0.0])
    corner = np.clip(X + 0.1 * np.sign(W1[0]), 0, 1)
    for seed in (0, 1):
        minigan.manual_seed(seed)
        np.testing.assert_allclose(pgd(model, X, y, eps=0.1, step_size=0.05, steps=5).array, corner, rtol=1e-12)
    minigan.manual_seed(0)
    np.testing.assert_allclose(pgd(model, X, y, eps=0.1, step_size=0.05, steps=5, restarts=3).array, corner,
                               rtol=1e-12)
    np.testing.assert_allclose(pgd(model, X, y, eps=0.1, step_size=0.1, steps=1, random_start=False).array,
                               fgsm(model, X, y, eps=0.1).array, rtol=1e-15)
    one_step = pgd(model, X, y, eps=0.1, step_size=0.03, steps=1, random_start=False).array
    np.testing.assert_allclose(one_step, np.clip(X + 0.03 * np.sign(W1[0]), 0, 1), rtol=1e-12)


def test_pgd_start_is_uniform_in_the_ball_and_inside_the_image_range():
    """With no steps to take (α = 0), PGD returns its random start: within ε of x, inside [0, 1], and not x."""
    model = linear_model()
    minigan.manual_seed(3)
    start = pgd(model, X, np.array([0, 1]), eps=0.2, step_size=0.0, steps=1).array
    assert np.all(np.abs(start - X) <= 0.2 + 1e-12) and np.all((start >= 0) & (start <= 1))
    assert not np.allclose(start, X)


def test_an_untargeted_attack_without_labels_takes_the_models_own_answer():
    """A one-logit model answers 1 where its logit is > 0 (here −1.285 and 0.635): y = None attacks those answers."""
    model = linear_model(W1, B1)
    np.testing.assert_allclose(bim(model, X, eps=0.1, steps=3).array, bim(model, X, np.array([0.0, 1.0]), eps=0.1,
                                                                           steps=3).array, rtol=0)
    np.testing.assert_allclose(bim(model, X, eps=0.1, steps=3).array,
                               np.clip(X + 0.1 * np.array([[1.0], [-1.0]]) * np.sign(W1[0]), 0, 1), rtol=1e-12)


def test_fgsm_follows_a_loss_function_given():
    """J(logits, y) = Σ logits·c: ∇x J = Σ_k c_k·W_k, whatever y is."""
    c = np.array([1.0, -1.0, 0.5])
    got = fgsm(linear_model(), X, np.array([0, 1]), eps=0.05, clip=None,
               loss=lambda v, y: (v * minigan.tensor(c)).sum())
    np.testing.assert_allclose(got.array, X + 0.05 * np.sign(c @ W), rtol=1e-15)


def test_an_attack_given_no_steps_names_them():
    with pytest.raises(ValueError, match="steps"):
        bim(linear_model(), X, np.array([0, 1]), steps=0)


def test_instance_noise_adds_sigma_times_a_standard_normal(float64):
    G, D, opt_g, opt_d = tiny_gan(0.0, 1.0, 0.0)
    x = minigan.zeros(20000, 1)
    for sigma in (1.0, 0.3):
        noise = GAN(G, D, opt_g, opt_d, latent_dim=2, instance_noise=sigma).noisy(x).array
        assert abs(noise.mean()) < 4 * sigma / math.sqrt(20000) and noise.std() == pytest.approx(sigma, rel=0.03)
    assert GAN(G, D, opt_g, opt_d, latent_dim=2).noisy(x) is x  # σ = 0: x itself


def test_sgd_restarts_the_momentum_of_a_parameter_given_twice_at_each_appearance():
    """PyTorch's rule for a parameter listed twice (deprecated, warned): on the first step each appearance starts
    its buffer, b ← g; later ones continue it, so the second appearance reads the buffer the first just moved."""
    p = minigan.tensor(np.array([1.0]), requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate"):
        opt = optim.SGD([p, p], lr=ETA, momentum=0.9)
    p.grad = minigan.tensor(np.array([G1]))
    opt.step()
    assert p.item() == pytest.approx(1 - 2 * ETA * G1, rel=1e-15)  # two steps of b = g
    p.grad = minigan.tensor(np.array([G2]))
    opt.step()
    b1 = 0.9 * G1 + G2
    b2 = 0.9 * b1 + G2
    assert p.item() == pytest.approx(1 - 2 * ETA * G1 - ETA * (b1 + b2), rel=1e-14)


def test_the_priors_a_view_draws_from_and_their_extents():
    """p_z: U(−1, 1) in every coordinate (DCGAN's), whose square of half-width 1 holds all of it, or N(0, I), whose
    square of half-width 2.5 holds 98.8% of each coordinate."""
    from minigan.gans.gan import prior_draw, prior_extent
    uniform = prior_draw("uniform", np.random.default_rng(0), (20000, 2))
    normal = prior_draw("normal", np.random.default_rng(0), (20000, 2))
    assert uniform.shape == normal.shape == (20000, 2)
    assert uniform.min() >= -1 and uniform.max() < 1 and uniform.std() == pytest.approx(1 / math.sqrt(3), rel=0.02)
    assert normal.std() == pytest.approx(1, rel=0.02) and normal.min() < -3
    assert (prior_extent("uniform"), prior_extent("normal")) == (1.0, 2.5)
    assert np.mean(np.abs(normal) <= 2.5) == pytest.approx(0.988, abs=0.005)
