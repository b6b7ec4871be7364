"""Adversarially learned inference: Dumoulin et al. 2016/2017, "Adversarially Learned Inference", Algorithm 1, and
its twin BiGAN (Donahue, Krähenbühl & Darrell 2016/2017, "Adversarial Feature Learning").

Beside the generator G (z → x, the paper's decoder p(x|z)) an ENCODER E learns the way back (x → z, q(z|x)), and the
discriminator judges JOINT pairs: it tells (x, E(x)), x from the data, from (G(z), z), z from the prior,

    min_{G,E} max_D  V(D, G, E) = E_{x~q(x)}[log D(x, E(x))] + E_{z~p(z)}[log(1 − D(G(z), z))]

The two joint distributions q(x, z) = q(x) q(z|x) and p(x, z) = p(z) p(x|z) can only match when G and E invert each
other on the data (BiGAN, Theorems 1-3): so the encoder learns inference, and G(E(x)) reconstructs x without any
reconstruction loss being trained.

Algorithm 1 of Dumoulin et al., one iteration (D outputs a logit v here, ρ = σ(v)):

    x(1..M) ~ q(x),  z(1..M) ~ p(z)
    ẑ(i) ~ q(z | x = x(i))                                 the encoder (reparameterized: ẑ = μ(x) + σ(x)·ε)
    x̃(j) ~ p(x | z = z(j))                                 the generator
    ρ_q(i) ← D(x(i), ẑ(i)),   ρ_p(j) ← D(x̃(j), z(j))
    L_d ← −1/M Σ log ρ_q(i) − 1/M Σ log(1 − ρ_p(j))        = BCE(ρ_q, 1) + BCE(ρ_p, 0)
    L_g ← −1/M Σ log(1 − ρ_q(i)) − 1/M Σ log ρ_p(j)        = BCE(ρ_q, 0) + BCE(ρ_p, 1)
    θ_d ← θ_d − ∇θ_d L_d,   θ_g ← θ_g − ∇θ_g L_g            θ_g: the generator's AND the encoder's weights

L_g is the non-saturating form: G and E are trained to make D call the data's pairs fake and the generated pairs
real (labels swapped). Both gradients are taken at the same point: G and E step first through D as it is (frozen),
then D steps on the very pairs they were judged on (detached, so computed with the weights the pairs came from), so
the update is the paper's simultaneous one written as two readable halves.

``encoder``: "gaussian" (ALI's stochastic q(z|x), ``models.MLPEncoder(gaussian=True)``) or "deterministic"
(BiGAN's ẑ = E(x), ``gaussian=False``).
"""

from __future__ import annotations

import minigan.functional as F
from minigan.arguments import positive_int
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import AdversarialTrainer, frozen, full_like
from minigan.nn.module import evaluating
from minigan.surface import random
from minigan.surface.tensor import Tensor, from_numpy

ENCODERS = ("gaussian", "deterministic")


def joint_losses(real_pair_logits, fake_pair_logits) -> tuple:
    """(L_d, L_g) of Algorithm 1 from D's logits on the data's pairs (x, ẑ) and the generated pairs (x̃, z):
    L_d = BCE(ρ_q, 1) + BCE(ρ_p, 0) for D; L_g, the same with the labels swapped, for G and E."""
    ones_q, zeros_q = full_like(real_pair_logits, 1.0), full_like(real_pair_logits, 0.0)
    ones_p, zeros_p = full_like(fake_pair_logits, 1.0), full_like(fake_pair_logits, 0.0)
    bce = F.binary_cross_entropy_with_logits
    loss_d = bce(real_pair_logits, ones_q) + bce(fake_pair_logits, zeros_p)
    loss_g = bce(real_pair_logits, zeros_q) + bce(fake_pair_logits, ones_p)
    return loss_d, loss_g


class ALI(AdversarialTrainer):
    """``ALI(generator, encoder, discriminator, opt_g, opt_d, latent_dim, encoder_kind="gaussian", batch_size=64,
    prior="normal")``.

    ``encoder(x)`` returns (μ, log σ) ("gaussian") or z ("deterministic") (``models.MLPEncoder``);
    ``discriminator(x, z)`` a logit per pair (``models.JointDiscriminator``). ``opt_g`` steps the generator's and
    the encoder's weights together (θ_g), ``opt_d`` the discriminator's. ``train_step(sample_real)`` returns floats
    {loss_d, loss_g, d_real, d_fake}: L_d, L_g, mean D(x, ẑ) and mean D(x̃, z).
    """

    name = "ali"

    def __init__(self, generator, encoder, discriminator, opt_g, opt_d, latent_dim, encoder_kind="gaussian",
                 batch_size=64, prior="normal"):
        super().__init__(generator, discriminator, opt_g, opt_d, latent_dim, batch_size, prior)
        if encoder_kind not in ENCODERS:
            raise ValueError(f"ALI: got encoder_kind={encoder_kind!r}, expected one of {ENCODERS}")
        self.E, self.encoder_kind = encoder, encoder_kind

    def networks(self) -> tuple:
        return self.G, self.D, self.E

    def infer(self, x) -> Tensor:
        """ẑ ~ q(z|x): μ(x) + σ(x)·ε with ε ~ N(0, I) (gaussian, differentiable in μ and σ), or E(x) (deterministic)."""
        if self.encoder_kind == "deterministic":
            return self.E(x)
        mu, log_sigma = self.E(x)
        eps = from_numpy(random.randn(mu.shape, dtype=mu.array.dtype, xp=self.xp))
        return mu + log_sigma.exp() * eps

    def train_step(self, sample_real) -> dict:
        m, G, D = self.batch_size, self.G, self.D
        x, z = sample_real(m), self.noise(m)                       # x ~ q(x), z ~ p(z)
        z_hat, x_tilde = self.infer(x), G(z)                       # ẑ ~ q(z|x), x̃ ~ p(x|z)
        with frozen(D):                                            # θ_g ← θ_g − ∇θ_g L_g, D as it is
            _, loss_g = joint_losses(D(x, z_hat), D(x_tilde, z))
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()
        # θ_d ← θ_d − ∇θ_d L_d on the same pairs, detached: the gradient at the point L_g's was taken
        real_logits, fake_logits = D(x, z_hat.detach()), D(x_tilde.detach(), z)
        loss_d, _ = joint_losses(real_logits, fake_logits)
        self.opt_d.zero_grad()
        loss_d.backward()
        self.opt_d.step()
        self.step += 1
        return {"loss_d": loss_d.item(), "loss_g": loss_g.item(),
                "d_real": real_logits.detach().sigmoid().mean().item(),   # mean D(x, ẑ)  (1 = "a data pair")
                "d_fake": fake_logits.detach().sigmoid().mean().item()}   # mean D(x̃, z)

    def encode(self, x) -> Tensor:
        """The codes of the examples ``x``: the mean μ(x) of q(z|x) (gaussian) or E(x), without gradients."""
        positive_int("ALI.encode", "the number of examples", x.shape[0])
        with evaluating(self.E), no_grad():
            out = self.E(x)
            return out if self.encoder_kind == "deterministic" else out[0]

    def reconstruct(self, x) -> Tensor:
        """G(E(x)): the data sent to its code and back, in evaluation mode. Nothing trained this directly; it is
        close to x only as far as G and E have learned to invert each other."""
        z = self.encode(x)
        with evaluating(self.G), no_grad():
            return self.G(z)

    def reconstruction_error(self, x) -> float:
        """The mean over the examples ``x`` of their squared distance to G(E(x)), per coordinate (in the data's
        units): how far G and E are from inverting each other on the data."""
        err = self.reconstruct(x) - x
        return (err * err).mean().item()

    def state_dict(self) -> dict:
        return {**super().state_dict(), "encoder": self.E.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        super().load_state_dict(state)
        self.E.load_state_dict(state["encoder"])


__all__ = ["ALI", "joint_losses", "ENCODERS"]
