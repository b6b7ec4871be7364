"""Energy-based GAN: Zhao, Mathieu & LeCun 2016/2017, "Energy-based Generative Adversarial Network", Section 2.

The discriminator is an AUTO-ENCODER, and its reconstruction error is an ENERGY (Section 2.3): low on the data,
high elsewhere. A sample's energy is how badly D reconstructs it,

    D(x) = ‖Dec(Enc(x)) − x‖²                          (per example; here the mean over its coordinates)

and the two losses are (Section 2.1, eq. 1 and 2; [·]+ = max(0, ·), m > 0 the margin):

    L_D(x, z) = D(x) + [m − D(G(z))]+                  for D
    L_G(z)    = D(G(z))                                for G

D pulls the energy of real data down and pushes the energy of generated samples UP, but only while it is under
the margin m: a fake whose energy is already above m costs D nothing (a hinge at m), so D never spends capacity
making bad samples worse. G pulls the energy of its samples down. At a Nash equilibrium p_G = p_data almost
everywhere and the value of the game is m (Section 2.2, Theorems 1 and 2); a D constant at any γ in [0, m] is one.

The pulling-away term (Section 2.4, optional; "EBGAN-PT"): a repelling regulariser on G's samples, computed on
the encoder's codes S = Enc(G(z)) of a batch of N samples,

    f_PT(S) = 1 / (N(N − 1)) Σ_i Σ_{j≠i} ( S_iᵀ S_j / (‖S_i‖ ‖S_j‖) )²

is added to G's loss with weight ``pt_weight`` (the paper: 0.1). It is small when the codes of G's samples point
in different directions, so G is pushed away from emitting one sample (mode collapse). 0 turns it off.

As in every trainer here, D's step sees G's samples detached, and G's step runs a fresh forward pass through the
updated D, frozen (Zhao et al. train D and G alternately, one step each).
"""

from __future__ import annotations

import math

from minigan.gans.gan import AdversarialTrainer, frozen


def energy(autoencoder, v):
    """D(v) = the squared reconstruction error of each example: mean over its coordinates of (Dec(Enc(v)) − v)²,
    shape (N,)."""
    err = autoencoder(v) - v
    return (err * err).reshape(err.shape[0], -1).mean(1)


def margin_loss(real_energy, fake_energy, margin: float):
    """L_D = mean D(x) + mean [m − D(G(z))]+ over the batch: the real energies pulled down, the fakes' pushed up
    until they reach the margin m (a hinge: a fake above m gives no gradient)."""
    return real_energy.mean() + (margin - fake_energy).relu().mean()


def pulling_away(codes):
    """f_PT(S) = 1/(N(N−1)) Σ_{i≠j} cos²(S_i, S_j) of the codes S (N, d): 0 when they are orthogonal, 1 when they
    all point one way."""
    n = codes.shape[0]
    flat = codes.reshape(n, -1)
    unit = flat / ((flat * flat).sum(1, keepdim=True) + 1e-12).sqrt()   # S_i / ‖S_i‖ (ε: a zero code stays 0)
    cos2 = (unit @ unit.T) ** 2                                            # cos²(S_i, S_j), 1 on the diagonal
    diagonal = ((unit * unit).sum(1) ** 2).sum()                          # cos²(S_i, S_i), 1 up to the ε
    return (cos2.sum() - diagonal) / (n * (n - 1))                        # off the diagonal only


class EBGAN(AdversarialTrainer):
    """``EBGAN(generator, autoencoder, opt_g, opt_d, latent_dim, margin=1.0, pt_weight=0.0, batch_size=64,
    prior="normal")``.

    ``autoencoder`` maps a batch to a reconstruction of the same shape with ``.encoder`` (the codes the
    pulling-away term reads) and ``.decoder`` halves (``models.AutoEncoderDiscriminator``). ``margin`` is m, in the
    units of the energy (squared data units); ``pt_weight`` the pulling-away term's weight (0: none; the paper's
    EBGAN-PT uses 0.1). ``train_step(sample_real)`` returns floats {loss_d, loss_g, energy_real, energy_fake}:
    L_D, L_G (with the pulling-away term if any), mean D(x) and mean D(G(z)) from D's step.
    """

    name = "ebgan"

    def __init__(self, generator, autoencoder, opt_g, opt_d, latent_dim, margin=1.0, pt_weight=0.0, batch_size=64,
                 prior="normal"):
        super().__init__(generator, autoencoder, opt_g, opt_d, latent_dim, batch_size, prior)
        if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not (
                margin > 0 and math.isfinite(margin)):
            raise ValueError(f"EBGAN: margin must be a finite number > 0, got {margin!r}")
        if isinstance(pt_weight, bool) or not isinstance(pt_weight, (int, float)) or not (
                pt_weight >= 0 and math.isfinite(pt_weight)):
            raise ValueError(f"EBGAN: pt_weight must be a finite number >= 0, got {pt_weight!r}")
        self.margin, self.pt_weight = float(margin), float(pt_weight)

    def generator_loss(self, fake):
        """L_G = mean D(G(z)), plus pt_weight · f_PT(Enc(G(z))) (the codes of the same samples)."""
        D = self.D
        if not self.pt_weight:
            return energy(D, fake).mean()
        codes = D.encoder(fake.reshape(fake.shape[0], -1))
        recon = D.decoder(codes).reshape(fake.shape)
        err = recon - fake
        loss = (err * err).reshape(err.shape[0], -1).mean(1).mean()     # the same D(G(z)), codes kept
        return loss + self.pt_weight * pulling_away(codes)

    def train_step(self, sample_real) -> dict:
        m, G, D = self.batch_size, self.G, self.D
        x = sample_real(m)
        e_real = energy(D, x)                                       # D(x)
        e_fake = energy(D, G(self.noise(m)).detach())               # D(G(z)); G gets no gradient here
        loss_d = margin_loss(e_real, e_fake, self.margin)           # L_D = D(x) + [m − D(G(z))]+
        self.opt_d.zero_grad()
        loss_d.backward()
        self.opt_d.step()
        with frozen(D):                                             # a fresh forward through the updated D
            loss_g = self.generator_loss(G(self.noise(m)))          # L_G = D(G(z)) (+ the pulling-away term)
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()
        self.step += 1
        return {"loss_d": loss_d.item(), "loss_g": loss_g.item(), "energy_real": e_real.detach().mean().item(),
                "energy_fake": e_fake.detach().mean().item()}


__all__ = ["EBGAN", "energy", "margin_loss", "pulling_away"]
