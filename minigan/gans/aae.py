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

q(z|x) is one of the paper's three choices (§2): ``encoder_kind="deterministic"``, z = enc(x); "gaussian",
z = μ(x) + σ(x)·ε with ε ~ N(0, I) drawn afresh wherever a code is used (reparameterized, so both phases reach μ
and σ); or "universal", the universal approximator posterior z = f(x, η), η ~ N(0, I) a fixed noise fed to the
encoder as a second input and drawn afresh wherever a code is used: q(z|x) is then whatever shape f gives η's
Normal, and the aggregate q(z) can fill the prior between the codes of data that a deterministic map leaves as clumps
(the whole of a tight mode's share of N(0, I), where the Gaussian q(z|x) can only put one ellipse). Any prior one can
sample from will do (no closed-form KL is needed): ``prior`` is "normal" or "uniform".
"""

from __future__ import annotations

import minigan.functional as F
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import frozen, full_like
from minigan.gans.vae import LatentTrainer
from minigan.nn.module import evaluating
from minigan.surface import random
from minigan.surface.tensor import from_numpy


class AAE(LatentTrainer):
    """``AAE(encoder, decoder, discriminator, opt_autoencoder, opt_discriminator, opt_encoder, latent_dim,
    batch_size=64, prior="normal", encoder_kind="deterministic")``.

    ``encoder(x)`` returns z (``models.MLPEncoder(gaussian=False)``), or (μ, log σ) of q(z|x) with
    ``encoder_kind="gaussian"`` (``gaussian=True``); with "universal", ``encoder(x, eta)`` returns z
    (``noise_dim > 0``: η's size is the encoder's ``noise_dim``); ``decoder.log_prob(x, z)`` log P(x|z) per
    example, ``discriminator(z)`` a logit (``models.MLPDiscriminator`` over the latent_dim coordinates of z).
    ``opt_autoencoder`` steps the encoder and the decoder (reconstruction), ``opt_discriminator`` D and
    ``opt_encoder`` the encoder as the generator (regularization).
    """

    name = "aae"
    PRIORS = ("normal", "uniform")
    ENCODERS = ("deterministic", "gaussian", "universal")  # the kinds of q(z|x)

    def __init__(self, encoder, decoder, discriminator, opt_autoencoder, opt_discriminator, opt_encoder, latent_dim,
                 batch_size=64, prior="normal", encoder_kind="deterministic"):
        super().__init__(encoder, decoder, latent_dim, batch_size, prior)
        if encoder_kind not in self.ENCODERS:
            raise ValueError(f"AAE: got encoder_kind={encoder_kind!r}, expected one of {self.ENCODERS}")
        if (encoder_kind == "universal") != bool(getattr(encoder, "noise_dim", 0)):
            raise ValueError(f"AAE: encoder_kind={encoder_kind!r} with an encoder of noise_dim="
                             f"{getattr(encoder, 'noise_dim', 0)}; 'universal' takes an encoder with a noise input "
                             "(MLPEncoder(noise_dim > 0)), the others one without")
        self.encoder_kind = encoder_kind
        self.D = discriminator
        self.opt_autoencoder, self.opt_discriminator, self.opt_encoder = opt_autoencoder, opt_discriminator, opt_encoder

    def networks(self) -> tuple:
        return self.encoder, self.decoder, self.D

    def optimizers(self) -> dict:
        return {"opt_autoencoder": self.opt_autoencoder, "opt_discriminator": self.opt_discriminator,
                "opt_encoder": self.opt_encoder}

    def code(self, x):
        """z ~ q(z|x): enc(x) (deterministic), μ(x) + σ(x)·ε with a fresh ε ~ N(0, I) (gaussian, differentiable
        in μ and σ), or f(x, η) with a fresh η ~ N(0, I) (universal)."""
        if self.encoder_kind == "deterministic":
            return self.encoder(x)
        if self.encoder_kind == "universal":
            eta = random.randn((x.shape[0], self.encoder.noise_dim), dtype=x.array.dtype, xp=self.xp)
            return self.encoder(x, from_numpy(eta))
        mu, log_sigma = self.encoder(x)
        eps = from_numpy(random.randn(mu.shape, dtype=mu.array.dtype, xp=self.xp))
        return mu + log_sigma.exp() * eps

    def reconstruction_phase(self, x) -> dict:
        """The encoder and the decoder descend −log P(x | z), z ~ q(z|x) (a plain autoencoder's whole step)."""
        loss_recon = -self.decoder.log_prob(x, self.code(x)).mean()
        self.opt_autoencoder.zero_grad()
        loss_recon.backward()
        self.opt_autoencoder.step()
        return {"loss_recon": loss_recon.item()}

    def regularization_phase(self, x) -> dict:
        """D learns to tell prior draws (1) from the data's codes (0); then the encoder learns to fool it."""
        z_prior, z_code = self.noise(x.shape[0]), self.code(x).detach()       # the codes detached: D's step only
        prior_logits, code_logits = self.D(z_prior), self.D(z_code)
        loss_d = (F.binary_cross_entropy_with_logits(prior_logits, full_like(prior_logits, 1.0))
                  + F.binary_cross_entropy_with_logits(code_logits, full_like(code_logits, 0.0)))
        self.opt_discriminator.zero_grad()
        loss_d.backward()
        self.opt_discriminator.step()
        with frozen(self.D):                       # a fresh forward through the updated D; only the encoder learns
            logits = self.D(self.code(x))
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
        """The codes z = enc(x) of the examples ``x`` (gaussian: the mean μ(x) of q(z|x); universal: f(x, 0), at
        η's mean), in evaluation mode, without gradients; ``code(x)`` draws from q(z|x)."""
        with evaluating(self.encoder), no_grad():
            if self.encoder_kind == "universal":
                eta = self.xp.zeros((x.shape[0], self.encoder.noise_dim), dtype=x.array.dtype)
                return self.encoder(x, from_numpy(eta))
            out = self.encoder(x)
            return out if self.encoder_kind == "deterministic" else out[0]


__all__ = ["AAE"]
