"""Boundary Equilibrium GAN: Berthelot, Schumm & Metz 2017, "BEGAN: Boundary Equilibrium Generative
Adversarial Networks", Section 3.

The discriminator D is an AUTO-ENCODER. A sample's loss is how badly D reconstructs it (eq. 1, η = 1):

    L(v) = |v − D(v)|^η                                    (pixel-wise L1, averaged over pixels)

D learns to reconstruct real data well and generated data badly; G learns to make samples that D
reconstructs well. The objective (eq. 4):

    L_D = L(x) − k_t · L(G(z_D))              for θ_D
    L_G = L(G(z_G))                           for θ_G
    k_{t+1} = k_t + λ_k (γ L(x) − L(G(z_G)))  for each training step t

k_t ∈ [0, 1] (clipped; k_0 = 0) says how hard D pushes generated samples away. It is a proportional
controller that keeps the equilibrium E[L(G(z))] = γ E[L(x)] (eq. 3): the diversity ratio γ ∈ (0, 1]
trades diversity (high γ) for sharpness (low γ, D spends more of its capacity on auto-encoding real
data). λ_k is the controller's gain ("we used λ_k = 0.001").

The convergence measure (Section 3.4.1), logged every step, falls as G improves:

    M_global = L(x) + |γ L(x) − L(G(z_G))|

Expectations are batch means. z_D and z_G are two fresh batches of noise, as in eq. 4. As in every
trainer here, D's step sees G's samples detached, and G's step runs a fresh forward pass through the
updated D, frozen; the k update uses L(x) from D's step and L(G(z_G)) from G's step.
"""

from __future__ import annotations

import math

from minigan.gans.gan import AdversarialTrainer, frozen


def _number(who, name, value, low, high, low_open=False):
    """A finite float in [low, high] (or (low, high] with low_open), else a ValueError naming it."""
    ok = (not isinstance(value, bool) and isinstance(value, (int, float)) and math.isfinite(value)
          and (low < value if low_open else low <= value) and value <= high)
    if not ok:
        interval = f"{'(' if low_open else '['}{low}, {high}]"
        raise ValueError(f"{who}: {name} must be a number in {interval}, got {value!r}")
    return float(value)


def reconstruction_loss(autoencoder, v):
    """Eq. 1 with η = 1: L(v) = mean |v − D(v)|, over the batch and every feature of a sample."""
    return (v - autoencoder(v)).abs().mean()


class BEGAN(AdversarialTrainer):
    """``BEGAN(generator, autoencoder, opt_g, opt_d, latent_dim, gamma=0.5, lambda_k=0.001, k0=0.0, batch_size=64,
    prior="normal")``.

    ``autoencoder`` maps a batch to a reconstruction of the same shape (``models.AutoEncoderDiscriminator``).
    The paper's optimizer is Adam (α between 5e-5 and 1e-4). ``train_step(sample_real)`` returns floats
    {loss_d, loss_g, loss_real, k, m_global}: L_D, L_G = L(G(z_G)), L(x), the updated k_{t+1}, and M_global.
    """

    name = "began"

    def __init__(self, generator, autoencoder, opt_g, opt_d, latent_dim, gamma=0.5, lambda_k=0.001, k0=0.0,
                 batch_size=64, prior="normal"):
        super().__init__(generator, autoencoder, opt_g, opt_d, latent_dim, batch_size, prior)
        self.gamma = _number("BEGAN", "gamma", gamma, 0.0, 1.0, low_open=True)
        self.lambda_k = _number("BEGAN", "lambda_k", lambda_k, 0.0, 1.0)
        self.k = _number("BEGAN", "k0", k0, 0.0, 1.0)

    def train_step(self, sample_real) -> dict:
        m, G, D = self.batch_size, self.G, self.D
        x = sample_real(m)
        loss_real = reconstruction_loss(D, x)                           # L(x)
        loss_fake = reconstruction_loss(D, G(self.noise(m)).detach())   # L(G(z_D)); θ_G gets nothing here
        loss_d = loss_real - self.k * loss_fake                         # L_D = L(x) − k_t L(G(z_D))
        self.opt_d.zero_grad()
        loss_d.backward()
        self.opt_d.step()                                               # θ_D descends L_D
        with frozen(D):                                                 # a fresh forward through the updated D
            loss_g = reconstruction_loss(D, G(self.noise(m)))           # L_G = L(G(z_G))
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()                                           # θ_G descends L_G
        l_real, l_fake = loss_real.item(), loss_g.item()
        balance = self.gamma * l_real - l_fake                          # γ L(x) − L(G(z_G))
        self.k = min(max(self.k + self.lambda_k * balance, 0.0), 1.0)   # k_{t+1}, clipped to [0, 1]
        self.step += 1
        return {"loss_d": loss_d.item(), "loss_g": l_fake, "loss_real": l_real, "k": self.k,
                "m_global": l_real + abs(balance)}                     # M_global = L(x) + |γ L(x) − L(G(z_G))|

    # k is part of the state: a resumed run must continue the controller where it was
    def state_dict(self) -> dict:
        return {**super().state_dict(), "k": self.k}

    def load_state_dict(self, state: dict) -> None:
        super().load_state_dict(state)
        self.k = _number("BEGAN.load_state_dict", "k", float(state.get("k", 0.0)), 0.0, 1.0)
