"""The checks of set 6, latent-variable models: ``Normal.rsample``, ``Normal.log_prob``, the KL between two Normals and
the VAE's ELBO, against closed forms, central differences and (for what the random stream decides) the library's own
answer from the same seed.
"""

from __future__ import annotations

import math

import numpy as np

import minigan

from . import base
from .base import T, check, close, gradcheck, rn, rng


# ============================================================================= 6. latent-variable models
def check_normal_rsample(ctx):
    from minigan.distributions import Normal
    hint = "the randomness in a standard-normal ε of shape sample_shape + batch_shape, the parameters outside it: " \
           "shift ε by μ, scale it by σ"
    loc, scale = T(rn(3, seed=60)), T(0.5 + np.abs(rn(3, seed=61)))
    seed = int(rng(62).integers(1 << 30))
    minigan.manual_seed(seed)
    x = Normal(loc, scale).rsample((4,))
    check(tuple(x.shape) == (4, 3), f"Normal(loc (3,), scale (3,)).rsample((4,)) has shape {tuple(x.shape)}; "
          "expected (4, 3): sample_shape + batch_shape", hint)
    close("Normal(μ, σ).rsample((4,)) from the same seed as the library's", x, x, hint, rtol=1e-12)
    check(x.requires_grad, "rsample()'s result does not require grad: no gradient can reach μ and σ", hint)
    x.sum().backward()
    eps_sum = None
    if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
        eps_sum = ((x.detach().numpy() - loc.detach().numpy()) / scale.detach().numpy()).sum(axis=0)
    close("d Σ rsample / dμ (∂x/∂μ = 1 per draw)", loc.grad, np.full(3, 4.0), hint, rtol=1e-12)
    close("d Σ rsample / dσ (∂x/∂σ = ε per draw)", scale.grad, eps_sum, hint, rtol=1e-9)
    minigan.manual_seed(seed)
    s = Normal(loc, scale).sample((4,))
    close("sample((4,)) from the same seed: the same numbers as rsample's", s, x.detach(), hint, rtol=1e-12)
    check(not s.requires_grad, "sample() requires grad: it must draw under no_grad (no gradient through it)", hint)


def check_normal_log_prob(ctx):
    from minigan.distributions import Normal
    hint = ("the log of the Gaussian's density, term by term (x's distance from μ in units of σ, σ itself, the "
            "constant), with ops on Tensors so that it differentiates")
    mu, sigma, x = rn(2, 3, seed=63), 0.4 + np.abs(rn(2, 3, seed=64)), 2 * rn(2, 3, seed=65)
    expected = None
    if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
        expected = -(x - mu) ** 2 / (2 * sigma ** 2) - np.log(sigma) - 0.5 * math.log(2 * math.pi)
    close("Normal(μ, σ).log_prob(x)", Normal(T(mu), T(sigma)).log_prob(T(x)), expected, hint, rtol=1e-10)
    gradcheck("Normal(μ, σ).log_prob(x) in μ, σ, x", lambda a, b, c: Normal(a, b).log_prob(c), [mu, sigma, x], hint,
              second_order=True, seed=66)


def check_gaussian_kl(ctx):
    from minigan.distributions import Normal, kl_divergence
    hint = ("KL(p ‖ q) is the mean of log p − log q under p: with both log densities written out, only p's mean "
            "and variance are needed; 0 when p and q are the same")
    m1, m2 = rn(4, seed=67), rn(4, seed=68)
    s1, s2 = 0.3 + np.abs(rn(4, seed=69)), 0.3 + np.abs(rn(4, seed=70))
    expected = None
    if base.ROLE != "student":
        expected = np.log(s2 / s1) + (s1 ** 2 + (m1 - m2) ** 2) / (2 * s2 ** 2) - 0.5
    close("kl_divergence(Normal(μ₁, σ₁), Normal(μ₂, σ₂))", kl_divergence(Normal(T(m1), T(s1)), Normal(T(m2), T(s2))),
          expected, hint, rtol=1e-10)
    same_dist = kl_divergence(Normal(T(m1), T(s1)), Normal(T(m1), T(s1)))
    close("KL(p ‖ p)", same_dist, np.zeros(4), hint, atol=1e-12)
    gradcheck("KL(N(μ₁, σ₁) ‖ N(μ₂, σ₂)) in μ₁, σ₁, μ₂, σ₂",
              lambda a, b, c, d: kl_divergence(Normal(a, b), Normal(c, d)), [m1, s1, m2, s2], hint,
              second_order=True, seed=71)


def _small_vae(seed):
    from minigan.gans.models import MLPDecoder, MLPEncoder
    from minigan.gans.vae import VAE
    minigan.manual_seed(seed)
    enc = MLPEncoder((3,), 2, hidden=(5,)).double()
    dec = MLPDecoder(2, (3,), hidden=(5,), likelihood="normal").double()
    opts = [minigan.optim.SGD(m.parameters(), lr=0.0) for m in (enc, dec)]
    return VAE(enc, dec, *opts, latent_dim=2, batch_size=4)


def check_elbo(ctx):
    hint = "one z from the encoder's Q(z|x) by the reparameterization trick; the KL to the prior N(0, I) summed " \
           "over z's coordinates; log P(x|z) from the decoder; the ELBO is their difference, one number per example"
    seed = int(rng(72).integers(1 << 30))
    vae = _small_vae(seed)
    x = T(rn(4, 3, seed=73), grad=False)
    minigan.manual_seed(seed + 1)
    out = vae.elbo_terms(x)
    check(isinstance(out, tuple) and len(out) == 3, "elbo_terms(x) must return (elbo, kl, log_px)", hint)
    elbo, kl, log_px = out
    for name, v in (("ELBO", elbo), ("KL", kl), ("log P(x|z)", log_px)):
        check(tuple(v.shape) == (4,), f"elbo_terms(x)'s {name} has shape {tuple(v.shape)}; expected (4,): one "
              "number per example", hint)
        close(f"elbo_terms(x)'s {name} from the same seed as the library's", v, v, hint, rtol=1e-9)
    expected = None
    if base.ROLE != "student":
        mu, log_sigma = (t.detach().numpy() for t in vae.encoder(x))
        s2 = np.exp(2 * log_sigma)
        expected = 0.5 * (s2 + mu ** 2 - 1 - 2 * log_sigma).sum(axis=1)
    close("the KL term against ½ Σ (σ² + μ² − 1 − log σ²) of the encoder's μ, σ", kl, expected, hint, rtol=1e-9)
    close("ELBO − (log P(x|z) − KL)", elbo - (log_px - kl), np.zeros(4), hint, atol=1e-12)
    log_px.sum().backward()
    grads = [p.grad for p in vae.encoder.parameters()]
    check(all(g is not None for g in grads), "log P(x|z) sends no gradient to the encoder: z must come from "
          "rsample (μ + σ·ε), not sample", hint)
    for (name, _), g in zip(vae.encoder.named_parameters(), grads):
        close(f"d Σ log P(x|z) / d encoder.{name}, from the same seed as the library's", g, g, hint, rtol=1e-8)


def _nearest_by_definition(a, b, leave_one_out=False):
    """Each row of ``a`` to its nearest row of ``b``, every pair's difference formed (small sets only)."""
    d = np.sqrt(((a.reshape(len(a), 1, -1) - b.reshape(1, len(b), -1)) ** 2).sum(axis=2))
    if leave_one_out:
        np.fill_diagonal(d, np.inf)
    return d.min(axis=1)


def check_memorization_distance(ctx):
    from minigan.metrics.memorization import memorization_distance
    hint = "the Euclidean distance from each sample (all its values as one row) to the reference row nearest to it; " \
           "with leave_one_out, a row is never its own neighbour"
    samples, reference = rng(74).random((7, 1, 3, 2)), rng(75).random((11, 1, 3, 2))
    got = memorization_distance(samples, reference)
    check(np.shape(got) == (7,), f"memorization_distance(7 samples, 11 reference rows) has shape {np.shape(got)}; "
          "expected (7,): one distance per sample", hint)
    expected = loo_expected = big_expected = None
    if base.ROLE != "student":  # (an expected value: never computed in the learner's process, split.py)
        expected = _nearest_by_definition(samples, reference)
        loo_expected = _nearest_by_definition(reference, reference, leave_one_out=True)
    close("memorization_distance(samples (7, 1, 3, 2), reference (11, 1, 3, 2))", got, expected, hint, rtol=1e-9)
    members = reference[rng(76).permutation(11)[:4]]
    close("memorization_distance of 4 rows of the reference set itself (each one's own copy is there)",
          memorization_distance(members, reference), np.zeros(4), hint, atol=1e-6)
    order = rng(77).permutation(11)
    close("the same samples against the reference rows shuffled (a set has no order)",
          memorization_distance(samples, reference[order]), expected, hint, rtol=1e-9)
    close("the reference set against itself, leave_one_out=True",
          memorization_distance(reference, reference, leave_one_out=True), loo_expected, hint, rtol=1e-9)
    dist, index = memorization_distance(samples, reference, return_index=True)
    close("return_index=True: the distances are those without it", dist, expected, hint, rtol=1e-9)
    close("return_index=True: the distance to the row the index names",
          np.sqrt(((samples.reshape(7, -1) - reference.reshape(11, -1)[np.asarray(index)]) ** 2).sum(axis=1)),
          expected, hint, rtol=1e-9)
    big = rng(78).random((1100, 3))  # more rows than one block of the library's (1,024): the rule holds across them
    if base.ROLE != "student":
        big_expected = _nearest_by_definition(big, big, leave_one_out=True)
    close("a set of 1,100 rows against itself, leave_one_out=True", memorization_distance(big, big,
          leave_one_out=True), big_expected, hint, rtol=1e-9)
