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

``categorical=K`` (§6, "Unsupervised clustering"; 0, the default, is off): the encoder has two heads, a categorical
code y = softmax over K classes and the continuous style z, and the decoder reads the two side by side, (y, z). Two
adversarial networks regularize them: D imposes P(z) on z as above, and D_cat imposes Cat(K) on y, telling one-hot
draws of the uniform categorical (label 1) from the encoder's softmax outputs (label 0); a softmax fools D_cat only
near a vertex, so each x is pushed into one class, and each class is pushed to hold 1/K of the data. The phases stay
the paper's: the reconstruction, then each D's step and one step of the encoder to fool both (the two non-saturating
losses summed). A sample is x = dec(y, z) with y a one-hot draw of Cat(K) and z ~ P(z): a class picks where in the
data, the style where within it, so no prior draw need fall between the modes as a continuous code's draws between
its clumps do. (Measured on the ring, the grid and the digits, the codes turn one-hot but into a few of the K classes,
and the style carries the rest: demos/results.md, "The paper's categorical code".)
"""

from __future__ import annotations

from contextlib import nullcontext

import minigan.functional as F
from minigan.arguments import is_integer
from minigan.engine.backend import np
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import draw_prior, frozen, full_like
from minigan.gans.vae import LatentTrainer
from minigan.nn.module import evaluating
from minigan.surface import random
from minigan.surface.tensor import from_numpy


def categorical_classes(k) -> int:
    """K of the categorical code as an int, 0 (off) or at least 2 (a one-class code says nothing)."""
    if not is_integer(k) or int(k) == 1 or int(k) < 0:
        raise ValueError(f"AAE: categorical must be 0 (no categorical code) or a number of classes K >= 2 (at least "
                         f"the data's modes or classes), got {k!r}")
    return int(k)


class AAE(LatentTrainer):
    """``AAE(encoder, decoder, discriminator, opt_autoencoder, opt_discriminator, opt_encoder, latent_dim,
    batch_size=64, prior="normal", encoder_kind="deterministic", categorical=0, discriminator_cat=None)``.

    ``encoder(x)`` returns z (``models.MLPEncoder(gaussian=False)``), or (μ, log σ) of q(z|x) with
    ``encoder_kind="gaussian"`` (``gaussian=True``); with "universal", ``encoder(x, eta)`` returns z
    (``noise_dim > 0``: η's size is the encoder's ``noise_dim``); ``decoder.log_prob(x, z)`` log P(x|z) per
    example, ``discriminator(z)`` a logit (``models.MLPDiscriminator`` over the latent_dim coordinates of z).
    ``opt_autoencoder`` steps the encoder and the decoder (reconstruction), ``opt_discriminator`` D and
    ``opt_encoder`` the encoder as the generator (regularization).

    ``categorical=K`` (§6): the encoder's output is K + latent_dim wide, the K logits of y first, then z; the
    decoder takes K + latent_dim inputs, (y, z); ``discriminator_cat(y)`` is D_cat's logit over K coordinates
    (``models.MLPDiscriminator((K,))``), stepped by ``opt_discriminator`` with D (one optimizer over both). The
    deterministic and the universal q(z|x) take it; the Gaussian one has no place for a class head.
    """

    name = "aae"
    PRIORS = ("normal", "uniform")
    ENCODERS = ("deterministic", "gaussian", "universal")  # the kinds of q(z|x)

    def __init__(self, encoder, decoder, discriminator, opt_autoencoder, opt_discriminator, opt_encoder, latent_dim,
                 batch_size=64, prior="normal", encoder_kind="deterministic", categorical=0, discriminator_cat=None):
        super().__init__(encoder, decoder, latent_dim, batch_size, prior)
        if encoder_kind not in self.ENCODERS:
            raise ValueError(f"AAE: got encoder_kind={encoder_kind!r}, expected one of {self.ENCODERS}")
        self.categorical = categorical_classes(categorical)
        if self.categorical:
            width = self.categorical + self.latent_dim
            if encoder_kind == "gaussian":
                raise ValueError("AAE: categorical takes encoder_kind (a recipe's encoder=) 'deterministic' or "
                                 "'universal' (a class head beside z); the Gaussian q(z|x) has none")
            if discriminator_cat is None:
                raise ValueError(f"AAE: categorical={self.categorical} needs discriminator_cat, D_cat over the "
                                 f"{self.categorical} class coordinates (MLPDiscriminator(({self.categorical},)))")
            if getattr(encoder, "latent_dim", width) != width:
                raise ValueError(f"AAE: categorical={self.categorical} with latent_dim={self.latent_dim} takes an "
                                 f"encoder of {width} outputs (the class logits, then z), got "
                                 f"{encoder.latent_dim}")
        self.D_cat = discriminator_cat if self.categorical else None
        if (encoder_kind == "universal") != bool(getattr(encoder, "noise_dim", 0)):
            raise ValueError(f"AAE: encoder_kind={encoder_kind!r} with an encoder of noise_dim="
                             f"{getattr(encoder, 'noise_dim', 0)}; 'universal' takes an encoder with a noise input "
                             "(MLPEncoder(noise_dim > 0)), the others one without")
        self.encoder_kind = encoder_kind
        self.D = discriminator
        self.opt_autoencoder, self.opt_discriminator, self.opt_encoder = opt_autoencoder, opt_discriminator, opt_encoder

    def networks(self) -> tuple:
        return (self.encoder, self.decoder, self.D) + ((self.D_cat,) if self.categorical else ())

    def optimizers(self) -> dict:
        return {"opt_autoencoder": self.opt_autoencoder, "opt_discriminator": self.opt_discriminator,
                "opt_encoder": self.opt_encoder}

    def noise(self, m: int):
        """m draws of the decoder's input from the prior: z ~ P(z), or with ``categorical`` (y, z) side by side, y a
        one-hot draw of the uniform Cat(K)."""
        z = draw_prior(self.prior, m, self.latent_dim, self.xp)
        if not self.categorical:
            return z
        classes = random.randint(0, self.categorical, (m,), xp=self.xp)
        y = from_numpy(self.xp.eye(self.categorical, dtype=z.array.dtype)[classes])   # row i: class i's one-hot
        return F.cat([y, z], axis=1)

    def split(self, code) -> tuple:
        """(y, z) of a code or a prior draw: its first K coordinates and the rest (y None without ``categorical``)."""
        if not self.categorical:
            return None, code
        return code[:, :self.categorical], code[:, self.categorical:]

    def code(self, x):
        """z ~ q(z|x): enc(x) (deterministic), μ(x) + σ(x)·ε with a fresh ε ~ N(0, I) (gaussian, differentiable
        in μ and σ), or f(x, η) with a fresh η ~ N(0, I) (universal); with ``categorical``, (y, z) side by side, y
        the softmax of the class head."""
        if self.encoder_kind == "deterministic":
            return self._with_classes(self.encoder(x))
        if self.encoder_kind == "universal":
            eta = random.randn((x.shape[0], self.encoder.noise_dim), dtype=x.array.dtype, xp=self.xp)
            return self._with_classes(self.encoder(x, from_numpy(eta)))
        mu, log_sigma = self.encoder(x)
        eps = from_numpy(random.randn(mu.shape, dtype=mu.array.dtype, xp=self.xp))
        return mu + log_sigma.exp() * eps

    def _with_classes(self, h):
        """The encoder's output h as the code: itself, or (softmax(h's first K), the rest) with ``categorical``."""
        if not self.categorical:
            return h
        return F.cat([F.softmax(h[:, :self.categorical], dim=1), h[:, self.categorical:]], axis=1)

    def reconstruction_phase(self, x) -> dict:
        """The encoder and the decoder descend −log P(x | z), z ~ q(z|x) (a plain autoencoder's whole step)."""
        loss_recon = -self.decoder.log_prob(x, self.code(x)).mean()
        self.opt_autoencoder.zero_grad()
        loss_recon.backward()
        self.opt_autoencoder.step()
        return {"loss_recon": loss_recon.item()}

    def regularization_phase(self, x) -> dict:
        """D learns to tell prior draws (1) from the data's codes (0); then the encoder learns to fool it. With
        ``categorical``, D on z and D_cat on y each so, their losses summed, then one encoder step on the sum of the
        two non-saturating losses (the paper's §6: both codes regularized in one phase)."""
        (y_prior, z_prior), (y_code, z_code) = self.split(self.noise(x.shape[0])), self.split(self.code(x).detach())
        prior_logits, code_logits = self.D(z_prior), self.D(z_code)             # the codes detached: D's step only
        loss_d = discriminator_loss(prior_logits, code_logits)
        if self.categorical:
            cat_prior_logits, cat_code_logits = self.D_cat(y_prior), self.D_cat(y_code)
            loss_d = loss_d + discriminator_loss(cat_prior_logits, cat_code_logits)
        self.opt_discriminator.zero_grad()
        loss_d.backward()
        self.opt_discriminator.step()
        # a fresh forward through the updated D (and D_cat); only the encoder learns
        with frozen(self.D), frozen(self.D_cat) if self.categorical else nullcontext():
            y_code, z_code = self.split(self.code(x))
            logits = self.D(z_code)
            loss_g = F.binary_cross_entropy_with_logits(logits, full_like(logits, 1.0))
            if self.categorical:
                cat_logits = self.D_cat(y_code)
                loss_g = loss_g + F.binary_cross_entropy_with_logits(cat_logits, full_like(cat_logits, 1.0))
            self.opt_encoder.zero_grad()
            loss_g.backward()
            self.opt_encoder.step()
        out = {"loss_d": loss_d.item(), "loss_g": loss_g.item(),
               "d_prior": prior_logits.detach().sigmoid().mean().item(),    # mean D(z'), z' ~ P(z)
               "d_code": code_logits.detach().sigmoid().mean().item()}      # mean D(enc(x))
        if self.categorical:
            out.update({"d_cat_prior": cat_prior_logits.detach().sigmoid().mean().item(),   # mean D_cat(one-hot y')
                        "d_cat_code": cat_code_logits.detach().sigmoid().mean().item()})    # mean D_cat(softmax)
        return out

    def train_step(self, sample_real) -> dict:
        """One minibatch, both phases; returns floats {loss_recon, loss_d, loss_g, d_prior, d_code} (with
        ``categorical`` also d_cat_prior, d_cat_code; loss_d and loss_g then the two discriminators' sums)."""
        x = sample_real(self.batch_size)
        out = self.reconstruction_phase(x)
        out.update(self.regularization_phase(x))
        self.step += 1
        return out

    def encode(self, x):
        """The codes z = enc(x) of the examples ``x`` (gaussian: the mean μ(x) of q(z|x); universal: f(x, 0), at
        η's mean), in evaluation mode, without gradients; ``code(x)`` draws from q(z|x). With ``categorical``, what
        the decoder reads: (y, z) side by side, (N, K + latent_dim), y the class probabilities (a softmax, not a
        one-hot), so ``decoder.mean(encode(x))`` reconstructs x; ``cluster(x)`` gives the classes."""
        with evaluating(self.encoder), no_grad():
            if self.encoder_kind == "universal":
                eta = self.xp.zeros((x.shape[0], self.encoder.noise_dim), dtype=x.array.dtype)
                return self._with_classes(self.encoder(x, from_numpy(eta)))
            out = self.encoder(x)
            return self._with_classes(out) if self.encoder_kind == "deterministic" else out[0]

    def cluster(self, x):
        """The class of each example, the argmax of y in ``encode(x)``: an int64 NumPy array (N,) in [0, K)."""
        if not self.categorical:
            raise ValueError("AAE.cluster: this AAE has no categorical code; build it with categorical=K")
        y, _ = self.split(self.encode(x))
        return np.asarray(y.numpy()).argmax(1).astype(np.int64)

    def state_dict(self) -> dict:
        state = super().state_dict()           # the encoder, the decoder, D and the three optimizers
        if self.categorical:
            state["discriminator_cat"] = self.D_cat.state_dict()
        return state

    def load_state_dict(self, state: dict) -> None:
        saved = isinstance(state, dict) and "discriminator_cat" in state
        if isinstance(state, dict) and state.get("algorithm") == self.name and saved != bool(self.categorical):
            raise ValueError(f"AAE.load_state_dict: the state is of an AAE {'with' if saved else 'without'} a "
                             f"categorical code, this one is {'with' if self.categorical else 'without'}; build it "
                             "with the checkpoint's categorical")
        super().load_state_dict(state)
        if self.categorical:
            self.D_cat.load_state_dict(state["discriminator_cat"])


def discriminator_loss(prior_logits, code_logits):
    """D's loss: BCE(D(prior draws), 1) + BCE(D(codes), 0)."""
    return (F.binary_cross_entropy_with_logits(prior_logits, full_like(prior_logits, 1.0))
            + F.binary_cross_entropy_with_logits(code_logits, full_like(code_logits, 0.0)))


__all__ = ["AAE", "categorical_classes"]
