"""The original GAN: Goodfellow et al. 2014, "Generative Adversarial Nets", Algorithm 1 (the GAN paper lecture).

    for number of training iterations do
        for k steps do
            Sample minibatch of m noise samples {z(1), ..., z(m)} from noise prior p_g(z).
            Sample minibatch of m examples {x(1), ..., x(m)} from data generating distribution p_data(x).
            Update the discriminator by ascending its stochastic gradient:
                ∇θd 1/m Σ [log D(x(i)) + log(1 − D(G(z(i))))]
        end for
        Sample minibatch of m noise samples {z(1), ..., z(m)} from noise prior p_g(z).
        Update the generator by descending its stochastic gradient:
                ∇θg 1/m Σ log(1 − D(G(z(i))))
    end for

Our discriminator outputs a *logit* v, with D(x) = σ(v). Binary cross-entropy with logits is
BCE(v, t) = −[t log σ(v) + (1 − t) log(1 − σ(v))], computed in a stable softplus form, so

    1/m Σ [log D(x) + log(1 − D(G(z)))] = −[BCE(D(x), 1) + BCE(D(G(z)), 0)]

and *ascending* the paper's objective is *descending* BCE on real = 1 / fake = 0.

The generator's loss (CS/DS 541 and 552, Jacob Whitehill; CMU 2018, Anupam Datta):
  * "minimax": descend log(1 − D(G(z))) = −BCE(D(G(z)), 0), exactly the paper's line. Its gradient
    vanishes when D confidently rejects the fakes (D(G(z)) ≈ 0), which is the case early on.
  * "non-saturating" (default): descend −log D(G(z)) = BCE(D(G(z)), 1), whose gradient is large exactly
    where −log v is steep, at v ≈ 0 (CS/DS 541); the paper's own remark below Algorithm 1 recommends it.

Three pitfalls this file guards against (design.md):
  1. the D step sees ``G(z).detach()``: no gradient flows into G while D learns;
  2. the G step runs a FRESH forward pass through the *updated* D (never a graph built before D's step);
  3. D is frozen (``requires_grad_(False)``) during the G step: gradients flow *through* D to G's output,
     but D's weights get no ``.grad`` (CS/DS 541: D stays fixed while G takes its step).
"""

from __future__ import annotations

import math
from collections import namedtuple
from contextlib import contextmanager

import minigan.functional as F
from minigan import autograd
from minigan.arguments import non_negative_float, positive_int
from minigan.engine import backend
from minigan.engine.grad_mode import no_grad
from minigan.nn.module import evaluating, module_device
from minigan.surface import random
from minigan.surface.tensor import Tensor, from_numpy

# The generator's losses, one row each (the command line's --loss, the lab's menu and the equilibrium report read
# this table): its name -> the label a menu shows and G's loss where D(x) = 1/2 everywhere (Goodfellow et al. 2014,
# Theorem 1): −log ½ = log 2 for the non-saturating loss, log(1 − ½) = −log 2 for the minimax one.
GeneratorLoss = namedtuple("GeneratorLoss", "label equilibrium equilibrium_text")
LOSSES = {
    "non-saturating": GeneratorLoss("non-saturating −log D(G(z))", math.log(2), "log 2"),
    "minimax": GeneratorLoss("minimax log(1 − D(G(z)))", -math.log(2), "−log 2"),
}
DEFAULT_LOSS = "non-saturating"
# The noise prior p_z: N(0, I), or U(−1, 1) in every coordinate, the DCGAN paper's (Radford et al. 2016, Figure 1).
PRIORS = ("normal", "uniform")


def prior_draw(prior: str, rng, shape):
    """z ~ p_z from a host random Generator ``rng``: the fixed points a view draws apart from training's noise."""
    return rng.uniform(-1.0, 1.0, shape) if prior == "uniform" else rng.standard_normal(shape)


def draw_prior(prior: str, m: int, latent_dim: int, xp) -> Tensor:
    """m samples z ~ p_z of size latent_dim, N(0, I) or U(−1, 1)^latent_dim, from the training stream, on xp."""
    if prior == "uniform":
        return from_numpy(random.rand((m, latent_dim), xp=xp) * 2 - 1)  # U[0, 1) → U[−1, 1)
    return from_numpy(random.randn((m, latent_dim), xp=xp))


def prior_extent(prior: str) -> float:
    """Half-width of a square of z that holds (almost) all of p_z: all of U(−1, 1), 98.8% of N(0, 1) per coordinate."""
    return 1.0 if prior == "uniform" else 2.5


@contextmanager
def frozen(module):
    """Inside the block ``module``'s parameters do not require grad (and so get no ``.grad``)."""
    module.requires_grad_(False)
    try:
        yield module
    finally:
        module.requires_grad_(True)


def generator_loss_row(name, who="GAN") -> GeneratorLoss:
    """The row of LOSSES for ``name``, or a one-line ValueError naming the losses there are: a loss this table lacks
    is refused, never taken for one it has."""
    if not isinstance(name, str) or name not in LOSSES:
        raise ValueError(f"{who}: unknown loss {name!r}: the generator's losses are {', '.join(LOSSES)}")
    return LOSSES[name]


def full_like(logits: Tensor, value: float) -> Tensor:
    """A constant target of the same shape, device and dtype as ``logits`` (no gradient)."""
    xp = backend.get_array_module(logits.array)
    return from_numpy(xp.full(logits.shape, value, dtype=logits.dtype))


class AdversarialTrainer:
    """What GAN, WGAN and CGAN share: two networks, two optimizers, noise, sampling, checkpoints.

    ``D`` is the discriminator (the critic for WGAN); ``step`` counts generator updates. ``prior`` is p_z,
    "normal" (default) or "uniform" (PRIORS).
    """

    name = "adversarial"

    def __init__(self, generator, discriminator, opt_g, opt_d, latent_dim, batch_size=64, prior="normal"):
        who = type(self).__name__
        self.G, self.D = generator, discriminator
        self.opt_g, self.opt_d = opt_g, opt_d
        self.latent_dim = positive_int(who, "latent_dim", latent_dim)
        self.batch_size = positive_int(who, "batch_size", batch_size)
        if prior not in PRIORS:
            raise ValueError(f"{who}: got prior={prior!r}, expected one of {PRIORS}")
        self.prior = prior
        self.step = 0

    @property
    def xp(self):
        """numpy or cupy: wherever the generator's weights live."""
        return backend.module_for_device(module_device(self.G))

    def noise(self, m: int) -> Tensor:
        """m samples z ~ p_z of size latent_dim, N(0, I) or U(−1, 1)^latent_dim, on the generator's device."""
        return draw_prior(self.prior, m, self.latent_dim, self.xp)

    def networks(self) -> tuple:
        """Every network the trainer trains: G and D."""
        return self.G, self.D

    def sample(self, n: int) -> Tensor:
        """n generated samples G(z), in evaluation mode (batch norm uses its running statistics)."""
        positive_int(f"{type(self).__name__}.sample", "n", n)
        with evaluating(self.G), no_grad():
            return self.G(self.noise(n))

    # ------------------------------------------------------------------ checkpoints
    def state_dict(self) -> dict:
        return {"algorithm": self.name, "step": self.step,
                "generator": self.G.state_dict(), "discriminator": self.D.state_dict(),
                "opt_g": self.opt_g.state_dict(), "opt_d": self.opt_d.state_dict()}

    def load_state_dict(self, state: dict) -> None:
        if not isinstance(state, dict) or state.get("algorithm") != self.name:
            got = state.get("algorithm") if isinstance(state, dict) else type(state).__name__
            raise ValueError(f"{type(self).__name__}.load_state_dict: got the state of {got!r}, expected {self.name!r}")
        self.G.load_state_dict(state["generator"])
        self.D.load_state_dict(state["discriminator"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.step = int(state["step"])


class GAN(AdversarialTrainer):
    """``GAN(generator, discriminator, opt_g, opt_d, latent_dim, k=1, loss="non-saturating", batch_size=64,
    prior="normal", instance_noise=0.0)``.

    ``discriminator`` returns logits (no sigmoid). ``train_step(sample_real)`` runs one iteration of
    Algorithm 1, where ``sample_real(m)`` returns a Tensor of m real examples. ``instance_noise`` is the σ of
    the noise added to every input D sees (``noisy``); a schedule may change it between steps.
    """

    name = "gan"

    def __init__(self, generator, discriminator, opt_g, opt_d, latent_dim, k=1, loss="non-saturating",
                 batch_size=64, prior="normal", instance_noise=0.0, r1=0.0):
        super().__init__(generator, discriminator, opt_g, opt_d, latent_dim, batch_size, prior)
        self.k = positive_int("GAN", "k", k)
        generator_loss_row(loss, "GAN")
        self.loss = loss
        self.instance_noise = non_negative_float("GAN", "instance_noise", instance_noise)
        self.r1 = non_negative_float("GAN", "r1", r1)

    def r1_penalty(self, real_in: Tensor, real_logits: Tensor) -> Tensor:
        """γ/2 · E‖∇x D(x)‖² over real x, γ = ``r1`` (Mescheder et al. 2018, "Which Training Methods for GANs do
        actually Converge?", eq. 9): D is pushed to be flat on the data, so it cannot keep a steep wall at a mode
        G has half left; the analytic small-noise limit of instance noise (Roth et al. 2017), without the blur.
        ``real_in`` is the leaf D read; a logit may judge a pack of several points (PacGAN), so E is over logits."""
        (grad,) = autograd.grad(real_logits.sum(), real_in, create_graph=True)  # ∇x D(x), a double backward
        return self.r1 / 2 * (grad * grad).sum() / real_logits.shape[0]

    def noisy(self, x: Tensor) -> Tensor:
        """x + σ·ε, ε ~ N(0, I), with σ = ``instance_noise`` (x itself at σ = 0): instance noise (Sønderby et al.
        2016, "Amortised MAP Inference for Image Super-resolution"; Arjovsky & Bottou 2017, "Towards Principled
        Methods for Training Generative Adversarial Networks"). Real and generated samples are blurred alike, so
        the two distributions overlap and D's gradient at a generated sample also points toward modes far from it,
        where without noise it sees only the data next to it. It is added to real and fake inputs in D's step and
        in G's step (G's gradient flows through the sum unchanged: d(x + σε)/dx = 1)."""
        if self.instance_noise == 0:
            return x
        eps = random.randn(x.shape, dtype=x.array.dtype, xp=self.xp)  # on G's device, in x's dtype
        return x + from_numpy(eps * self.instance_noise)

    def generator_loss(self, fake_logits: Tensor) -> Tensor:
        """The quantity the generator descends, from D's logits on fresh fakes."""
        if self.loss == "minimax":
            # Algorithm 1: "descending ∇θg 1/m Σ log(1 − D(G(z)))";  log(1 − D) = −BCE(v, 0)
            return -F.binary_cross_entropy_with_logits(fake_logits, full_like(fake_logits, 0.0))
        if self.loss == "non-saturating":  # (CS/DS 541): descend −log D(G(z)) = BCE(v, 1)
            return F.binary_cross_entropy_with_logits(fake_logits, full_like(fake_logits, 1.0))
        raise ValueError(f"GAN: no generator loss written for {self.loss!r} (a row of LOSSES needs its branch here)")

    def train_step(self, sample_real) -> dict:
        """One outer iteration of Algorithm 1; returns floats {loss_d, loss_g, d_real, d_fake}."""
        m, G, D = self.batch_size, self.G, self.D
        for _ in range(self.k):                                             # for k steps do
            z = self.noise(m)                                               #   Sample {z(i)} from p_g(z)
            x = sample_real(m)                                              #   Sample {x(i)} from p_data(x)
            # Update the discriminator by ascending ∇θd 1/m Σ [log D(x) + log(1 − D(G(z)))],
            # i.e. descending BCE(D(x), 1) + BCE(D(G(z)), 0).  detach(): G gets no gradient here.
            real_in = self.noisy(x).detach().requires_grad_(True) if self.r1 else self.noisy(x)
            real_logits = D(real_in)
            fake_logits = D(self.noisy(G(z).detach()))
            loss_d = (F.binary_cross_entropy_with_logits(real_logits, full_like(real_logits, 1.0))
                      + F.binary_cross_entropy_with_logits(fake_logits, full_like(fake_logits, 0.0)))
            if self.r1:
                loss_d = loss_d + self.r1_penalty(real_in, real_logits)
            self.opt_d.zero_grad()
            loss_d.backward()
            self.opt_d.step()                                               # θd ← θd + η·(ascent direction)
        z = self.noise(m)                                                   # Sample {z(i)} from p_g(z)
        # Update the generator by descending ∇θg 1/m Σ log(1 − D(G(z)))  (or −log D(G(z))).
        # A FRESH forward through the UPDATED D, with D frozen: only G's weights get gradients.
        with frozen(D):
            loss_g = self.generator_loss(D(self.noisy(G(z))))
            self.opt_g.zero_grad()
            loss_g.backward()
            self.opt_g.step()
        self.step += 1
        return {"loss_d": loss_d.item(), "loss_g": loss_g.item(),
                "d_real": real_logits.detach().sigmoid().mean().item(),   # mean D(x)     (1 = "real")
                "d_fake": fake_logits.detach().sigmoid().mean().item()}   # mean D(G(z))  (before D's update)
