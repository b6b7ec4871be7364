"""The adversarial autoencoder: Makhzani, Shlens, Jaitly, Goodfellow & Frey 2016, "Adversarial Autoencoders", §2.

An autoencoder whose code is pushed toward the prior by a GAN played on z: the VAE's KL(Q(z|x) ‖ P(z)) term is
replaced by a discriminator D that tells draws of the prior P(z) from codes of the data, and the encoder, which is
the GAN's generator here, learns to fool it. What is matched is the *aggregate* posterior q(z) = E_x[q(z|x)], the
codes of the whole data set, to P(z); once it is, the decoder turns prior draws into data. Each minibatch runs two
phases (§2):

    reconstruction phase:   update the encoder and the decoder to minimise −log P(x | z = enc(x))
    regularization phase:   update D to tell z' ~ P(z) (label 1) from z = enc(x) (label 0):
                                descend BCE(D(z'), 1) + BCE(D(enc(x)), 0)       (enc(x) detached)
                            update the encoder (the generator) to fool D, D frozen:
                                descend BCE(D(enc(x)), 1)                        (the non-saturating loss)

The encoder is deterministic, z = enc(x) (the paper's first choice of q(z|x)). Any prior one can sample from
will do (no closed-form KL is needed): ``prior`` is "normal" or "uniform".
"""

from __future__ import annotations

import minigan.functional as F
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import frozen, full_like
from minigan.gans.vae import LatentTrainer
from minigan.nn.module import evaluating


class AAE(LatentTrainer):
    """``AAE(encoder, decoder, discriminator, opt_autoencoder, opt_discriminator, opt_encoder, latent_dim,
    batch_size=64, prior="normal")``.

    ``encoder(x)`` returns z (``models.MLPEncoder(gaussian=False)``), ``decoder.log_prob(x, z)`` log P(x|z) per
    example, ``discriminator(z)`` a logit (``models.MLPDiscriminator`` over the latent_dim coordinates of z).
    ``opt_autoencoder`` steps the encoder and the decoder (reconstruction), ``opt_discriminator`` D and
    ``opt_encoder`` the encoder as the generator (regularization).
    """

    name = "aae"
    PRIORS = ("normal", "uniform")

    def __init__(self, encoder, decoder, discriminator, opt_autoencoder, opt_discriminator, opt_encoder, latent_dim,
                 batch_size=64, prior="normal"):
        super().__init__(encoder, decoder, latent_dim, batch_size, prior)
        self.D = discriminator
        self.opt_autoencoder, self.opt_discriminator, self.opt_encoder = opt_autoencoder, opt_discriminator, opt_encoder

    def networks(self) -> tuple:
        return self.encoder, self.decoder, self.D

    def optimizers(self) -> dict:
        return {"opt_autoencoder": self.opt_autoencoder, "opt_discriminator": self.opt_discriminator,
                "opt_encoder": self.opt_encoder}

    def reconstruction_phase(self, x) -> dict:
        """The encoder and the decoder descend −log P(x | enc(x)) (a plain autoencoder's whole step)."""
        loss_recon = -self.decoder.log_prob(x, self.encoder(x)).mean()
        self.opt_autoencoder.zero_grad()
        loss_recon.backward()
        self.opt_autoencoder.step()
        return {"loss_recon": loss_recon.item()}

    def regularization_phase(self, x) -> dict:
        """D learns to tell prior draws (1) from the data's codes (0); then the encoder learns to fool it."""
        z_prior, z_code = self.noise(x.shape[0]), self.encoder(x).detach()    # enc(x) detached: D's step only
        prior_logits, code_logits = self.D(z_prior), self.D(z_code)
        loss_d = (F.binary_cross_entropy_with_logits(prior_logits, full_like(prior_logits, 1.0))
                  + F.binary_cross_entropy_with_logits(code_logits, full_like(code_logits, 0.0)))
        self.opt_discriminator.zero_grad()
        loss_d.backward()
        self.opt_discriminator.step()
        with frozen(self.D):                       # a fresh forward through the updated D; only the encoder learns
            logits = self.D(self.encoder(x))
            loss_g = F.binary_cross_entropy_with_logits(logits, full_like(logits, 1.0))
            self.opt_encoder.zero_grad()
            loss_g.backward()
            self.opt_encoder.step()
        return {"loss_d": loss_d.item(), "loss_g": loss_g.item(),
                "d_prior": prior_logits.detach().sigmoid().mean().item(),   # mean D(z'), z' ~ P(z)
                "d_code": code_logits.detach().sigmoid().mean().item()}     # mean D(enc(x))

    def train_step(self, sample_real) -> dict:
        """One minibatch, both phases; returns floats {loss_recon, loss_d, loss_g, d_prior, d_code}."""
        x = sample_real(self.batch_size)
        out = self.reconstruction_phase(x)
        out.update(self.regularization_phase(x))
        self.step += 1
        return out

    def encode(self, x):
        """The codes z = enc(x) of the examples ``x``, in evaluation mode, without gradients."""
        with evaluating(self.encoder), no_grad():
            return self.encoder(x)


__all__ = ["AAE"]
