"""The variational autoencoder: Kingma & Welling 2014, "Auto-Encoding Variational Bayes", Algorithm 1 (AEVB).

    θ, φ ← initialize parameters
    repeat
        X^M ← random minibatch of M datapoints
        ε ← random samples from the noise distribution p(ε)
        g ← ∇θ,φ L̃^M(θ, φ; X^M, ε)          gradients of the minibatch estimator (eq. 8, with eq. 10's L̃^B)
        θ, φ ← update parameters using g      (Adam here)
    until convergence

The per-example estimator (eq. 10), the evidence lower bound, with one sample z = μ + σ ⊙ ε, ε ~ N(0, I):

    ELBO(x) = −KL(Q(z|x) ‖ P(z)) + log P(x|z)          ≤ log P(x)

Q(z|x) = N(μ(x), σ(x)²) is the encoder (φ), P(x|z) the decoder (θ), P(z) = N(0, I) the prior. One objective,
which the encoder and the decoder climb together: there is no second player. The KL term has a closed form
between two Normals (``kl_divergence``), so only the reconstruction term is a Monte Carlo estimate.

The reparameterization trick is ``rsample``: z = μ + σ·ε is a differentiable function of μ and σ, so the gradient
of log P(x|z) reaches the encoder. ``sample`` draws the same z under ``no_grad`` (a ``detach`` by another name):
through it the encoder would learn only from the KL term (lesson 21 measures both).

``beta`` weighs the KL term (β-VAE, Higgins et al. 2017); 1 is the ELBO itself.
"""

from __future__ import annotations

from minigan.arguments import non_negative_float, positive_int
from minigan.distributions import Normal, kl_divergence
from minigan.engine import backend
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import draw_prior
from minigan.nn.module import evaluating, module_device
from minigan.surface.tensor import Tensor


class LatentTrainer:
    """What the VAE and the adversarial autoencoder share: an encoder, a decoder, the prior, sampling.

    ``step`` counts updates (one minibatch each); ``G`` is the decoder, the network that generates (z → x).
    """

    name = "latent"
    PRIORS = ("normal",)  # the priors P(z) a trainer can use (the VAE: N(0, I), whose KL has a closed form)

    def __init__(self, encoder, decoder, latent_dim, batch_size=64, prior="normal"):
        who = type(self).__name__
        self.encoder, self.decoder = encoder, decoder
        self.latent_dim = positive_int(who, "latent_dim", latent_dim)
        self.batch_size = positive_int(who, "batch_size", batch_size)
        if prior not in self.PRIORS:
            raise ValueError(f"{who}: got prior={prior!r}, expected one of {self.PRIORS}" + (
                " (the KL term is N(0, I)'s closed form; the adversarial autoencoder, aae, takes any prior it can "
                "sample)" if who == "VAE" else ""))
        self.prior = prior
        self.step = 0

    @property
    def G(self):
        """The decoder: the generator of this model (z ~ P(z) → x)."""
        return self.decoder

    def networks(self) -> tuple:
        return self.encoder, self.decoder

    def optimizers(self) -> dict:
        raise NotImplementedError

    @property
    def xp(self):
        """numpy or cupy: wherever the decoder's weights live."""
        return backend.module_for_device(module_device(self.decoder))

    def noise(self, m: int) -> Tensor:
        """m draws z ~ P(z), N(0, I) or U(−1, 1)^latent_dim, on the decoder's device."""
        return draw_prior(self.prior, m, self.latent_dim, self.xp)

    def sample(self, n: int) -> Tensor:
        """n samples E[x|z], z ~ P(z): the decoder's mean for prior draws, in evaluation mode."""
        positive_int(f"{type(self).__name__}.sample", "n", n)
        with evaluating(self.decoder), no_grad():
            return self.decoder.mean(self.noise(n))

    def state_dict(self) -> dict:
        state = {"algorithm": self.name, "step": self.step}
        for name, net in zip(("encoder", "decoder", "discriminator"), self.networks()):
            state[name] = net.state_dict()
        state.update({name: opt.state_dict() for name, opt in self.optimizers().items()})
        return state

    def load_state_dict(self, state: dict) -> None:
        if not isinstance(state, dict) or state.get("algorithm") != self.name:
            got = state.get("algorithm") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"{type(self).__name__}.load_state_dict: got the state of {got!r}, expected {self.name!r}")
        for name, net in zip(("encoder", "decoder", "discriminator"), self.networks()):
            net.load_state_dict(state[name])
        for name, opt in self.optimizers().items():
            opt.load_state_dict(state[name])
        self.step = int(state["step"])


class VAE(LatentTrainer):
    """``VAE(encoder, decoder, opt_encoder, opt_decoder, latent_dim, batch_size=64, prior="normal", beta=1.0)``.

    ``encoder(x)`` returns (μ, log σ) of Q(z|x) (``models.MLPEncoder``); ``decoder.log_prob(x, z)`` is log P(x|z)
    per example and ``decoder.mean(z)`` E[x|z] (``models.MLPDecoder``). Two optimizers, one per network, step on
    the one loss −ELBO (for Adam the same as one optimizer over both: its update is per parameter).
    ``train_step(sample_real)`` runs one iteration of Algorithm 1.
    """

    name = "vae"

    def __init__(self, encoder, decoder, opt_encoder, opt_decoder, latent_dim, batch_size=64, prior="normal",
                 beta=1.0):
        super().__init__(encoder, decoder, latent_dim, batch_size, prior)
        self.opt_encoder, self.opt_decoder = opt_encoder, opt_decoder
        self.beta = non_negative_float("VAE", "beta", beta)

    def optimizers(self) -> dict:
        return {"opt_encoder": self.opt_encoder, "opt_decoder": self.opt_decoder}

    def posterior(self, x) -> Normal:
        """Q(z|x) = N(μ(x), σ(x)²), one Normal per latent coordinate."""
        mu, log_sigma = self.encoder(x)
        return Normal(mu, log_sigma.exp())

    def elbo_terms(self, x, reparameterize: bool = True) -> tuple:
        """(ELBO, KL, log P(x|z)) per example, shape (N,) each, with one z = μ + σ·ε per example: ``rsample``, or
        with ``reparameterize=False`` the same draw by ``sample`` (no gradient from log P(x|z) to the encoder)."""
        q = self.posterior(x)                               # Q(z|x)
        z = q.rsample() if reparameterize else q.sample()   # z = μ + σ·ε, ε ~ N(0, I): differentiable in μ, σ
        prior = Normal(q.loc.new_zeros(q.loc.shape), q.loc.new_ones(q.loc.shape))   # P(z) = N(0, I)
        kl = kl_divergence(q, prior).sum(1)                 # KL(Q(z|x) ‖ P(z)), closed form, summed over z
        log_px = self.decoder.log_prob(x, z)                # log P(x|z), one sample
        return log_px - kl, kl, log_px

    def train_step(self, sample_real) -> dict:
        """One iteration of Algorithm 1; returns floats {loss, kl, reconstruction} (nats per example; loss = −ELBO
        with β = 1)."""
        x = sample_real(self.batch_size)                                # X^M ← random minibatch
        _, kl, log_px = self.elbo_terms(x)                              # ε drawn inside rsample
        loss = (self.beta * kl - log_px).mean()                         # −L̃^M (β = 1: −ELBO)
        self.opt_encoder.zero_grad()
        self.opt_decoder.zero_grad()
        loss.backward()                                                 # g ← ∇θ,φ: through z = μ + σ·ε to φ
        self.opt_encoder.step()                                         # φ ← update
        self.opt_decoder.step()                                         # θ ← update
        self.step += 1
        return {"loss": loss.item(), "kl": kl.mean().item(), "reconstruction": -log_px.mean().item()}

    def elbo(self, x) -> float:
        """The mean ELBO of the examples ``x`` (nats per example), in evaluation mode, without gradients."""
        with evaluating(self.encoder), evaluating(self.decoder), no_grad():
            return self.elbo_terms(x)[0].mean().item()

    def encode(self, x) -> Tensor:
        """The posterior means μ(x) of the examples ``x``, in evaluation mode, without gradients."""
        with evaluating(self.encoder), no_grad():
            return self.encoder(x)[0]

    def reconstruct(self, x) -> Tensor:
        """E[x|z] with z = μ(x), the posterior's mean: the autoencoder's reconstruction of ``x``."""
        with evaluating(self.encoder), evaluating(self.decoder), no_grad():
            return self.decoder.mean(self.encoder(x)[0])


__all__ = ["VAE", "LatentTrainer"]
