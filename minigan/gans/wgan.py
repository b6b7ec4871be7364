"""Wasserstein GAN: Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN", Algorithm 1 (IT3320E GAN lecture).

    Require: α, the learning rate. c, the clipping parameter. m, the batch size.
             n_critic, the number of iterations of the critic per generator iteration.
    "All experiments in the paper used the default values α = 0.00005, c = 0.01, m = 64, n_critic = 5."

     1: while θ has not converged do
     2:   for t = 0, ..., n_critic do
     3:     Sample {x(i)} ~ P_r a batch from the real data.
     4:     Sample {z(i)} ~ p(z) a batch of prior samples.
     5:     g_w ← ∇w [1/m Σ f_w(x(i)) − 1/m Σ f_w(g_θ(z(i)))]
     6:     w ← w + α · RMSProp(w, g_w)
     7:     w ← clip(w, −c, c)
     8:   end for
     9:   Sample {z(i)} ~ p(z) a batch of prior samples.
    10:   g_θ ← −∇θ 1/m Σ f_w(g_θ(z(i)))
    11:   θ ← θ − α · RMSProp(θ, g_θ)
    12: end while

The critic f_w has NO sigmoid: it outputs a real score, and weight clipping keeps it (roughly)
K-Lipschitz, so 1/m Σ f(x) − 1/m Σ f(G(z)) estimates the Wasserstein-1 distance (up to K):
``wasserstein_estimate``, the Kantorovich-Rubinstein duality's objective, which WGAN-GP's critic reads too.
Line 2 reads "t = 0, ..., n_critic", but the text means n_critic critic iterations; we run n_critic.
Our optimizers *descend*, so line 6's ascent is a descent on the negated estimate.
"""

from __future__ import annotations

import math

from minigan.arguments import positive_int
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import AdversarialTrainer, frozen


def wasserstein_estimate(critic, real, fake):
    """mean f(real) − mean f(fake): the critic's estimate of the Wasserstein-1 distance between the two samples.

    Kantorovich-Rubinstein: W(P_r, P_g) = sup over 1-Lipschitz f of E_{P_r}[f] − E_{P_g}[f], so any 1-Lipschitz
    critic gives a lower bound, and the best one gives W itself (a K-Lipschitz critic gives K times as much). The
    two samples may differ in size; nothing is detached (the caller decides what the gradient reaches)."""
    return critic(real).mean() - critic(fake).mean()


class WGAN(AdversarialTrainer):
    """``WGAN(generator, critic, opt_g, opt_c, latent_dim, n_critic=5, clip=0.01, batch_size=64, prior="normal")``.

    The paper's optimizer is ``RMSprop(params, lr=5e-5)`` for both networks. ``train_step(sample_real)``
    returns floats {loss_c, loss_g, wasserstein}: the critic's loss, the generator's loss, and the
    critic's Wasserstein estimate mean f(x) − mean f(G(z)) from its last update.
    """

    name = "wgan"

    def __init__(self, generator, critic, opt_g, opt_c, latent_dim, n_critic=5, clip=0.01, batch_size=64,
                 prior="normal"):
        super().__init__(generator, critic, opt_g, opt_c, latent_dim, batch_size, prior)
        self.n_critic = positive_int("WGAN", "n_critic", n_critic)
        if isinstance(clip, bool) or not isinstance(clip, (int, float)) or not (clip > 0 and math.isfinite(clip)):
            raise ValueError(f"WGAN: clip must be a finite number > 0, got {clip!r}")
        self.clip = float(clip)

    @property
    def critic(self):
        return self.D

    def clip_critic(self) -> None:
        """Line 7: w ← clip(w, −c, c), in place, for every critic parameter."""
        with no_grad():
            for w in self.critic.parameters():
                w.clamp_(-self.clip, self.clip)

    def train_step(self, sample_real) -> dict:
        m, G, f = self.batch_size, self.G, self.critic
        for _ in range(self.n_critic):                                  # 2: for t = 0, ..., n_critic do
            x = sample_real(m)                                          # 3: Sample {x(i)} ~ P_r
            z = self.noise(m)                                           # 4: Sample {z(i)} ~ p(z)
            # 5: g_w ← ∇w [1/m Σ f_w(x) − 1/m Σ f_w(g_θ(z))]   (fakes detached: θ gets nothing)
            estimate = wasserstein_estimate(f, x, G(z).detach())
            loss_c = -estimate                                          # ascend the estimate = descend −estimate
            self.opt_d.zero_grad()
            loss_c.backward()
            self.opt_d.step()                                           # 6: w ← w + α · RMSProp(w, g_w)
            self.clip_critic()                                          # 7: w ← clip(w, −c, c)
        z = self.noise(m)                                               # 9: Sample {z(i)} ~ p(z)
        with frozen(f):                                                 # fresh forward through the updated critic
            loss_g = -f(G(z)).mean()                                    # 10: g_θ ← −∇θ 1/m Σ f_w(g_θ(z))
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()                                           # 11: θ ← θ − α · RMSProp(θ, g_θ)
        self.step += 1
        return {"loss_c": loss_c.item(), "loss_g": loss_g.item(), "wasserstein": estimate.item()}
