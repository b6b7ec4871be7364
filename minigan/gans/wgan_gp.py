"""WGAN with gradient penalty: Gulrajani, Ahmed, Arjovsky, Dumoulin & Courville 2017, "Improved
Training of Wasserstein GANs", Algorithm 1.

    Require: the gradient penalty coefficient λ, the number of critic iterations per generator
             iteration n_critic, the batch size m, Adam hyperparameters α, β1, β2.
    Require: initial critic parameters w0, initial generator parameters θ0.
     1: while θ has not converged do
     2:   for t = 1, ..., n_critic do
     3:     for i = 1, ..., m do
     4:       Sample real data x ~ P_r, latent variable z ~ p(z), a random number ε ~ U[0, 1].
     5:       x̃ ← G_θ(z)
     6:       x̂ ← εx + (1 − ε)x̃
     7:       L(i) ← D_w(x̃) − D_w(x) + λ(‖∇x̂ D_w(x̂)‖₂ − 1)²
     8:     end for
     9:     w ← Adam(∇w 1/m Σ L(i), w, α, β1, β2)
    10:   end for
    11:   Sample a batch of latent variables {z(i)} ~ p(z).
    12:   θ ← Adam(∇θ 1/m Σ −D_w(G_θ(z)), θ, α, β1, β2)
    13: end while

"Default values: λ = 10, n_critic = 5, α = 0.0001, β1 = 0, β2 = 0.9."  The penalty replaces
WGAN's weight clipping: it asks the critic's gradient to have norm 1 on lines between real and
generated points, the constraint an optimal 1-Lipschitz critic meets.  No batch norm in the
critic (the penalty is per example; batch norm would mix the examples of a batch).

Line 7 holds a gradient, ∇x̂ D_w(x̂), inside the loss, so line 9 differentiates a gradient: we get
it from ``minigan.autograd.grad(..., create_graph=True)``, which records the backward pass so
that ``loss.backward()`` can go through it into the critic's weights (a double backward).
The loop over i (lines 3-8) is the batch: every line below works on all m examples at once.
"""

from __future__ import annotations

import math

from minigan import autograd
from minigan.arguments import positive_int
from minigan.engine import backend
from minigan.gans.gan import AdversarialTrainer, frozen
from minigan.gans.wgan import wasserstein_estimate
from minigan.surface import random
from minigan.surface.tensor import from_numpy


def gradient_penalty(critic, real, fake, lam=10.0, eps=None):
    """λ·mean((‖∇x̂ D(x̂)‖₂ − 1)²) on x̂ = εx + (1 − ε)x̃, ε ~ U[0, 1] per example (lines 4, 6, 7).

    ``eps`` (m,) may be given (to compare with another implementation); by default it is drawn."""
    m = real.shape[0]
    shape = (m,) + (1,) * (real.ndim - 1)  # one ε per example, broadcast over its features
    if eps is None:
        eps = from_numpy(random.rand(shape, dtype=real.dtype, xp=backend.get_array_module(real.array)))
    eps = eps.reshape(shape)
    x_hat = (eps * real + (1 - eps) * fake.detach()).detach().requires_grad_(True)  # 6: x̂, a leaf
    (grad,) = autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)  # ∇x̂ D(x̂), one row each
    norms = (grad * grad).reshape(m, -1).sum(axis=1).sqrt()  # ‖∇x̂ D_w(x̂)‖₂ per example
    return lam * ((norms - 1) ** 2).mean()


class WGANGP(AdversarialTrainer):
    """``WGANGP(generator, critic, opt_g, opt_c, latent_dim, n_critic=5, lam=10.0, batch_size=64, prior="normal")``.

    The paper's optimizer is ``Adam(params, lr=1e-4, betas=(0.0, 0.9))`` for both networks.
    ``train_step(sample_real)`` returns floats {loss_c, loss_g, wasserstein, penalty}: the critic's
    loss, the generator's loss, the critic's estimate mean D(x) − mean D(x̃), and the penalty term.
    """

    name = "wgan-gp"

    def __init__(self, generator, critic, opt_g, opt_c, latent_dim, n_critic=5, lam=10.0, batch_size=64,
                 prior="normal"):
        super().__init__(generator, critic, opt_g, opt_c, latent_dim, batch_size, prior)
        self.n_critic = positive_int("WGANGP", "n_critic", n_critic)
        if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not (lam >= 0 and math.isfinite(lam)):
            raise ValueError(f"WGANGP: lam must be a finite number >= 0, got {lam!r}")
        self.lam = float(lam)

    @property
    def critic(self):
        return self.D

    def train_step(self, sample_real) -> dict:
        m, G, D = self.batch_size, self.G, self.D
        for _ in range(self.n_critic):                                  # 2: for t = 1, ..., n_critic do
            x = sample_real(m)                                          # 4: x ~ P_r, z ~ p(z), ε ~ U[0, 1]
            x_tilde = G(self.noise(m)).detach()                         # 5: x̃ ← G_θ(z)  (θ gets nothing here)
            estimate = wasserstein_estimate(D, x, x_tilde)              #    mean D(x) − mean D(x̃)
            penalty = gradient_penalty(D, x, x_tilde, self.lam)         # 6-7: λ(‖∇x̂ D_w(x̂)‖₂ − 1)²
            loss_c = -estimate + penalty                                # 7: 1/m Σ L(i)
            self.opt_d.zero_grad()
            loss_c.backward()                                           #    through ∇x̂ D too: a double backward
            self.opt_d.step()                                           # 9: w ← Adam(∇w 1/m Σ L(i), w, α, β1, β2)
        z = self.noise(m)                                               # 11: Sample {z(i)} ~ p(z)
        with frozen(D):                                                 # a fresh forward through the updated critic
            loss_g = -D(G(z)).mean()                                    # 12: 1/m Σ −D_w(G_θ(z))
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()                                           # 12: θ ← Adam(∇θ ..., θ, α, β1, β2)
        self.step += 1
        return {"loss_c": loss_c.item(), "loss_g": loss_g.item(), "wasserstein": estimate.item(),
                "penalty": penalty.item()}
