"""The VAE and the adversarial autoencoder beside the GANs: the ELBO against closed forms, the reparameterization
trick, the two phases of the AAE, and their runs through the GANs' loop (checkpoints, exact resume)."""

from __future__ import annotations

import math

import pytest

import minigan
import minigan.functional as F
from minigan import nn
from minigan.engine.backend import np
from minigan.gans.aae import AAE
from minigan.gans.models import MLPDecoder, MLPEncoder
from minigan.gans.recipes import build_experiment
from minigan.gans.training import TrainingLoop
from minigan.gans.vae import VAE


def _linear_gaussian_vae(W, b, sigma, mu_q, s_q):
    """A VAE whose decoder is x|z ~ N(Wz + b, σ²I) and whose encoder outputs μ = mu_q, σ = s_q for every x."""
    d, k = W.shape
    enc = MLPEncoder((d,), k, hidden=())
    dec = MLPDecoder(k, (d,), hidden=(), likelihood="normal", sigma=sigma)
    with minigan.no_grad():
        enc.net[0].weight.zero_()
        enc.net[0].bias.copy_(minigan.tensor(np.concatenate([mu_q, np.log(s_q)]).astype(np.float32)))
        dec.net[0].weight.copy_(minigan.tensor(W.astype(np.float32)))
        dec.net[0].bias.copy_(minigan.tensor(b.astype(np.float32)))
    opts = [minigan.optim.SGD(m.parameters(), lr=0.0) for m in (enc, dec)]
    return VAE(enc, dec, *opts, latent_dim=k, batch_size=1)


def _log_normal(x, mean, cov):
    diff = x - mean
    _, logdet = np.linalg.slogdet(cov)
    return -0.5 * (diff @ np.linalg.solve(cov, diff) + logdet + len(x) * math.log(2 * math.pi))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_elbo_is_the_evidence_minus_the_kl_to_the_true_posterior(seed):
    """Linear-Gaussian model: log p(x) = log N(x; b, WWᵀ + σ²I) and the posterior is N(m, S) with S = (I + WᵀW/σ²)⁻¹,
    m = S Wᵀ(x − b)/σ². E_ε[ELBO] = log p(x) − KL(q ‖ p(z|x)) for any q; the Monte Carlo mean of elbo_terms over
    40,000 draws meets it (and equals log p(x) at q = the posterior, W's columns orthogonal so S is diagonal)."""
    rng = np.random.default_rng(seed)
    d, k, sigma = 3, 2, 0.5
    W = np.linalg.qr(rng.normal(size=(d, k)))[0] * np.array([1.5, 0.7])
    b, x = rng.normal(size=d), rng.normal(size=d)
    log_px = _log_normal(x, b, W @ W.T + sigma ** 2 * np.eye(d))
    S = np.linalg.inv(np.eye(k) + W.T @ W / sigma ** 2)
    m = S @ W.T @ (x - b) / sigma ** 2
    assert np.allclose(S, np.diag(np.diag(S)))
    for mu_q, s_q in ((m, np.sqrt(np.diag(S))), (m + 0.4, np.sqrt(np.diag(S)) * 1.7)):
        gap = 0.5 * (np.sum(s_q ** 2 / np.diag(S)) + np.sum((m - mu_q) ** 2 / np.diag(S)) - k
                     + np.sum(np.log(np.diag(S))) - np.sum(np.log(s_q ** 2)))   # KL(q ‖ p(z|x)), closed form
        vae = _linear_gaussian_vae(W, b, sigma, mu_q, s_q)
        minigan.manual_seed(seed)
        xs = minigan.tensor(np.tile(x.astype(np.float32), (40_000, 1)))
        elbo, kl, rec = (t.detach().numpy().astype(np.float64) for t in vae.elbo_terms(xs))
        assert np.allclose(elbo, rec - kl)
        se = elbo.std() / math.sqrt(elbo.size)
        assert abs(elbo.mean() - (log_px - gap)) < 5 * se + 1e-3, (elbo.mean(), log_px - gap, se)
        assert elbo.mean() <= log_px + 5 * se


def test_the_elbos_gradient_reaches_mu_and_sigma_through_rsample():
    """∂(−ELBO)/∂(encoder) is non-zero through z = μ + σε; with z drawn by sample() the encoder hears only the KL."""
    minigan.manual_seed(0)
    exp = build_experiment("vae", "ring", seed=0, batch_size=64)
    vae = exp.trainer
    x = exp.sample_real(64)
    elbo = vae.elbo_terms(x)[0].mean()
    elbo.backward()
    head = vae.encoder.net[-1]
    assert float(head.weight.grad.abs().sum()) > 0
    # the same ELBO with z from sample(): the decoder term sends the encoder nothing
    vae.encoder.zero_grad()
    q = vae.posterior(x)
    log_px = vae.decoder.log_prob(x, q.sample())
    (-log_px.mean()).backward()
    assert all(p.grad is None or float(p.grad.abs().sum()) == 0 for p in vae.encoder.parameters())


def test_a_vae_on_the_ring_climbs_its_elbo_and_covers_every_mode():
    exp = build_experiment("vae", "ring", seed=0)
    before = exp.evaluate(500)["elbo"]
    for _ in range(500):
        exp.train_step()
    after = exp.evaluate(1000)
    assert after["elbo"] > before + 50 and after["modes_covered"] == 8


def test_the_aae_pulls_the_codes_toward_the_prior_where_a_plain_autoencoder_does_not():
    """After 500 minibatches of digits with 2-D codes: the AAE's codes have mean ≈ 0 and covariance ≈ I; the same
    networks with the reconstruction phase alone spread them wherever the reconstruction put them (measured, seed 1:
    0.9 I at 2,000 steps against a covariance of 13 to 19)."""
    def deviation(regularize):
        exp = build_experiment("aae", "digits", seed=1, latent_dim=2)
        aae = exp.trainer
        for _ in range(500):
            x = exp.sample_real(aae.batch_size)
            aae.reconstruction_phase(x)
            if regularize:
                aae.regularization_phase(x)
        z = aae.encode(exp.sample_real(4000)).numpy().astype(np.float64)
        return np.linalg.norm(z.mean(0)) + np.abs(np.cov(z.T) - np.eye(2)).max()

    assert deviation(True) < 0.7 and deviation(False) > 3


def test_the_aaes_regularization_phase_runs_at_its_own_rate_on_points():
    """The 2-D recipe steps the encoder-as-generator at reg_lr = 1e-4 and D at d_lr_ratio = 10 times that, the
    reconstruction at lr = 1e-3 (Makhzani et al. 2016 set the phases' rates apart; at one rate the ring's
    reconstructions failed, and at the encoder's rate D stayed near chance, demos/results.md); the digits recipe
    keeps one rate, an explicit reg_lr reaches both regularization optimizers and d_lr_ratio D's alone."""
    def rates(data, **settings):
        aae = build_experiment("aae", data, seed=0, **settings).trainer
        return [g["lr"] for opt in (aae.opt_autoencoder, aae.opt_discriminator, aae.opt_encoder)
                for g in opt.param_groups]

    assert rates("ring") == pytest.approx([1e-3, 1e-3, 1e-4])    # D at ten times the encoder's step to fool it
    assert rates("grid") == pytest.approx([1e-3, 1e-3, 1e-4])
    assert rates("digits") == pytest.approx([1e-3, 1e-3, 1e-3])
    assert rates("ring", reg_lr=3e-4) == pytest.approx([1e-3, 3e-3, 3e-4])
    assert rates("ring", d_lr_ratio=1.0) == pytest.approx([1e-3, 1e-4, 1e-4])     # one rate for the whole phase


@pytest.mark.slow
def test_the_aae_recipe_reconstructs_the_ring_at_every_mode():
    """Seed 0, the recipe's 10,000 steps (about 230 CPU-s): dec(enc(x)) of 2,500 fresh points (at η = 0) within 3σ of
    a centre, over all 8 modes (measured 99.4%; the deterministic encoder at one rate for both phases 33% over 5)."""
    from minigan.engine.grad_mode import no_grad
    from minigan.metrics.mixture import mixture_metrics
    from minigan.nn.module import evaluating

    exp = build_experiment("aae", "ring", seed=0)
    for _ in range(exp.default_steps):
        exp.train_step()
    with evaluating(exp.trainer.decoder), no_grad():
        recon = exp.trainer.decoder.mean(exp.trainer.encode(exp.sample_real(2500)))
    r = mixture_metrics(recon, exp.mixture)
    assert r["modes_covered"] == 8 and r["high_quality"] > 0.9, r


def test_the_aaes_gaussian_posterior_draws_fresh_codes_around_its_mean_and_both_phases_reach_sigma():
    """encoder="gaussian" (Makhzani et al. 2016, §2's second q(z|x)): z = μ + σ·ε, a fresh ε at each use, so two
    codes of the same x differ by σ's size and average to μ = encode(x); the reconstruction and the regularization
    phases each send a gradient to the log σ head, and the deterministic encoder has none to send."""
    exp = build_experiment("aae", "ring", seed=0, batch_size=64, encoder="gaussian")
    aae = exp.trainer
    x = exp.sample_real(64)
    mu, log_sigma = (t.detach().numpy() for t in aae.encoder(x))
    draws = np.stack([aae.code(x).detach().numpy() for _ in range(400)])
    assert np.allclose(aae.encode(x).numpy(), mu)
    assert np.abs(draws.mean(0) - mu).max() < 5 * np.exp(log_sigma).max() / math.sqrt(400)
    assert np.allclose(draws.std(0), np.exp(log_sigma), rtol=0.25)
    head = aae.encoder.net[-1]
    for loss in (lambda: -aae.decoder.log_prob(x, aae.code(x)).mean(),
                 lambda: aae.D(aae.code(x)).mean()):
        aae.encoder.zero_grad()
        loss().backward()
        sigma_rows = head.weight.grad.numpy()[aae.latent_dim:]   # the log σ(x) head: rows latent_dim..2·latent_dim
        assert np.abs(sigma_rows).sum() > 0
    with pytest.raises(ValueError, match="encoder_kind"):
        build_experiment("aae", "ring", encoder="normal")


def test_the_aaes_universal_posterior_feeds_fresh_noise_beside_x_and_both_phases_reach_it():
    """encoder="universal" (Makhzani et al. 2016, §2's third q(z|x)): z = f(x, η), η ~ N(0, I) fed as an input
    beside x and drawn afresh at each use, so two codes of the same x differ; with the first layer's η columns zeroed
    every draw is f(x, 0) = encode(x) (η enters through those weights alone); the reconstruction and the
    regularization phases each send those columns a gradient."""
    exp = build_experiment("aae", "ring", seed=0, batch_size=64, encoder="universal", noise_dim=3)
    aae = exp.trainer
    x = exp.sample_real(64)
    first = aae.encoder.net[0]
    assert tuple(first.weight.shape) == (128, 2 + 3)          # x's 2 coordinates, then η's 3
    a, b = aae.code(x).detach().numpy(), aae.code(x).detach().numpy()
    assert np.abs(a - b).min() > 0                            # a fresh η each time, every example, every coordinate
    for loss in (lambda: -aae.decoder.log_prob(x, aae.code(x)).mean(),
                 lambda: aae.D(aae.code(x)).mean()):
        aae.encoder.zero_grad()
        loss().backward()
        assert np.all(np.abs(first.weight.grad.numpy()[:, 2:]).sum(axis=0) > 0)   # every η column
    with minigan.no_grad():
        first.weight[:, 2:] = 0.0
    assert np.allclose(aae.code(x).detach().numpy(), aae.encode(x).numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="noise_dim"):
        MLPEncoder((2,), 2, gaussian=True, noise_dim=2)
    with pytest.raises(ValueError, match="eta of shape"):
        aae.encoder(x)
    plain = MLPEncoder((2,), 2, gaussian=False)
    with pytest.raises(ValueError, match="noise input"):
        AAE(plain, aae.decoder, aae.D, aae.opt_autoencoder, aae.opt_discriminator, aae.opt_encoder, 2,
            encoder_kind="universal")


@pytest.mark.parametrize("algorithm,settings", [("vae", {}), ("aae", {}), ("aae", {"encoder": "deterministic"}),
                                                ("aae", {"categorical": 4})])
def test_a_resumed_run_continues_the_uninterrupted_one_exactly(algorithm, settings, tmp_path):
    def fresh():
        return build_experiment(algorithm, "ring", seed=2, batch_size=32, **settings)

    whole = TrainingLoop(fresh(), steps=30, eval_every=10)
    whole.run()
    half = TrainingLoop(fresh(), steps=30, eval_every=10)   # stopped at step 15: the AAE's rate decays over all 30
    half.run(stop=lambda: half.step >= 15)
    minigan.save(half.checkpoint(), tmp_path / "ckpt.npz")
    from minigan.gans.training import read_checkpoint

    resumed = TrainingLoop.resume(fresh(), read_checkpoint(tmp_path / "ckpt.npz"), steps=30)
    resumed.run()
    assert resumed.history == whole.history
    for a, b in zip(whole.exp.trainer.networks(), resumed.exp.trainer.networks()):
        for (name, p), (_, q) in zip(a.state_dict().items(), b.state_dict().items()):
            assert np.array_equal(p.numpy(), q.numpy()), name


def test_trainers_refuse_what_they_cannot_do():
    with pytest.raises(ValueError, match="prior"):
        build_experiment("vae", "ring", prior="uniform")
    with pytest.raises(ValueError, match="--loss"):
        build_experiment("aae", "ring", loss="minimax")
    with pytest.raises(ValueError, match="likelihood"):
        MLPDecoder(2, (2,), likelihood="poisson")
    enc, dec = MLPEncoder((2,), 2, gaussian=False), MLPDecoder(2, (2,), sigma=0.1)
    aae = AAE(enc, dec, nn.Linear(2, 1), *(minigan.optim.SGD(enc.parameters(), lr=0.1) for _ in range(3)),
              latent_dim=2)
    with pytest.raises(ValueError, match="expected 'aae'"):
        aae.load_state_dict({"algorithm": "vae"})


# The categorical code (Makhzani et al. 2016, §6, "Unsupervised clustering"): y = softmax over K classes beside the
# style z, a second D imposing Cat(K) on y, the decoder reading (y, z).

def _categorical(k=5, **settings):
    exp = build_experiment("aae", "ring", seed=0, batch_size=64, categorical=k, **settings)
    return exp, exp.trainer


def test_the_categorical_head_is_a_softmax_beside_the_style_and_encode_returns_the_decoders_input():
    """code(x) and encode(x) are (y, z) side by side, (N, K + latent_dim): y ≥ 0 summing to 1 (a softmax over K
    classes), z the style; dec(encode(x)) is a reconstruction, and cluster(x) is y's argmax, the class of x."""
    exp, aae = _categorical(5)
    x = exp.sample_real(64)
    for c in (aae.code(x).detach().numpy(), aae.encode(x).numpy()):
        assert c.shape == (64, 5 + 2)
        y, z = c[:, :5], c[:, 5:]
        assert (y >= 0).all() and np.allclose(y.sum(1), 1.0, atol=1e-5)
        assert np.abs(z).sum() > 0 and not np.allclose(y.sum(1), z.sum(1))
    c = aae.encode(x).numpy()
    assert np.array_equal(aae.cluster(x), c[:, :5].argmax(1))
    assert tuple(aae.decoder.mean(aae.encode(x)).shape) == (64, 2)


def test_the_categorical_priors_draws_are_one_hot_with_each_class_k_times_less_often():
    """Cat(K)'s draws, what D_cat sees as "prior": rows of K zeros but one 1, each class with frequency 1/K (a
    multinomial: within 5 standard errors of n/K); noise(n), the decoder's input, is (y, z) with y such draws and z
    N(0, I)."""
    _, aae = _categorical(5)
    n, k = 50_000, 5
    y = aae.noise(n).numpy()[:, :k]
    assert set(np.unique(y)) == {0.0, 1.0} and np.array_equal(y.sum(1), np.ones(n))
    counts = y.sum(0)
    assert np.all(np.abs(counts - n / k) < 5 * math.sqrt(n * (1 / k) * (1 - 1 / k))), counts
    z = aae.noise(n).numpy()[:, k:]
    assert z.shape == (n, 2) and np.abs(z.mean(0)).max() < 0.03 and np.abs(z.std(0) - 1).max() < 0.03


def test_the_samples_read_both_codes():
    """sample(n) is the decoder's mean at (y, z) drawn from the priors; with the decoder's z columns zeroed the n
    samples take exactly K values (one a class: every class is drawn), and with its y columns zeroed they spread."""
    _, aae = _categorical(4)
    first = aae.decoder.net[0]
    assert tuple(first.weight.shape) == (128, 4 + 2)            # y's 4 coordinates, then z's 2
    minigan.manual_seed(3)
    s = aae.sample(400).numpy()
    minigan.manual_seed(3)
    with minigan.no_grad():
        assert np.array_equal(s, aae.decoder.mean(aae.noise(400)).numpy())
    with minigan.no_grad():
        w = first.weight.numpy().copy()
        first.weight[:, 4:] = 0.0                                # the style unheard: one point a class
    assert len(np.unique(aae.sample(400).numpy().round(6), axis=0)) == 4
    with minigan.no_grad():
        first.weight.copy_(minigan.tensor(w))
        first.weight[:, :4] = 0.0                                # the class unheard: the style still moves them
    assert len(np.unique(aae.sample(400).numpy().round(6), axis=0)) > 100


def test_the_regularization_phase_sums_both_discriminators_losses_and_reaches_both_heads():
    """D and D_cat descend BCE on prior draws (1) and codes (0), each, summed; then the encoder descends the sum of
    the two non-saturating losses BCE(D(z), 1) + BCE(D_cat(y), 1) = mean softplus(−D(z)) + mean softplus(−D_cat(y)),
    whose gradient reaches both the softmax head and the style head. (Every rate 0: the phase changes nothing, so
    the closed forms are computed on the same networks.)"""
    exp, aae = _categorical(3, encoder="deterministic")
    for opt in (aae.opt_discriminator, aae.opt_encoder):
        for g in opt.param_groups:
            g["lr"] = 0.0
    x = exp.sample_real(64)
    minigan.manual_seed(7)
    out = aae.regularization_phase(x)
    grad = aae.encoder.net[-1].weight.grad.numpy().copy()
    assert np.abs(grad[:3]).sum() > 0 and np.abs(grad[3:]).sum() > 0      # the class head and the style head

    def softplus(v):
        return np.logaddexp(0.0, v.astype(np.float64))

    minigan.manual_seed(7)
    prior = aae.noise(64).numpy()
    c = aae.code(x)
    y, z = c[:, :3], c[:, 3:]
    d_z, d_y = aae.D(z), aae.D_cat(y)
    dp_z = aae.D(minigan.tensor(prior[:, 3:])).detach().numpy()
    dp_y = aae.D_cat(minigan.tensor(prior[:, :3])).detach().numpy()
    loss_d = (softplus(-dp_z).mean() + softplus(d_z.detach().numpy()).mean()
              + softplus(-dp_y).mean() + softplus(d_y.detach().numpy()).mean())
    loss_g = softplus(-d_z.detach().numpy()).mean() + softplus(-d_y.detach().numpy()).mean()
    assert out["loss_d"] == pytest.approx(loss_d, rel=1e-5) and out["loss_g"] == pytest.approx(loss_g, rel=1e-5)
    aae.encoder.zero_grad()
    (F.softplus(-d_z).mean() + F.softplus(-d_y).mean()).backward()
    assert np.allclose(aae.encoder.net[-1].weight.grad.numpy(), grad, rtol=1e-4, atol=1e-7)
    assert {"d_cat_prior", "d_cat_code"} <= set(out)


@pytest.mark.parametrize("k", [1, -2, 2.5, True, "8"])
def test_a_bad_number_of_classes_is_a_one_line_error(k):
    with pytest.raises(ValueError, match="categorical") as e:
        build_experiment("aae", "ring", categorical=k)
    assert "\n" not in str(e.value)


def test_the_categorical_code_refuses_what_it_cannot_take():
    """The Gaussian q(z|x) has no place for a class head; an encoder whose output is not K + latent_dim wide, or a
    missing D_cat, is refused at the door; a checkpoint of a plain AAE does not load into a categorical one."""
    with pytest.raises(ValueError, match="categorical") as e:
        build_experiment("aae", "ring", categorical=4, encoder="gaussian")
    assert "\n" not in str(e.value)
    _, aae = _categorical(4)
    with pytest.raises(ValueError, match="6") as e:    # an encoder of latent_dim 2 (not 4 + 2)
        AAE(MLPEncoder((2,), 2, gaussian=False), aae.decoder, aae.D, aae.opt_autoencoder, aae.opt_discriminator,
            aae.opt_encoder, 2, encoder_kind="deterministic", categorical=4, discriminator_cat=aae.D_cat)
    with pytest.raises(ValueError, match="discriminator_cat"):
        AAE(MLPEncoder((2,), 6, gaussian=False), aae.decoder, aae.D, aae.opt_autoencoder, aae.opt_discriminator,
            aae.opt_encoder, 2, encoder_kind="deterministic", categorical=4)
    plain = build_experiment("aae", "ring", seed=0).trainer
    with pytest.raises(ValueError, match="categorical"):
        aae.load_state_dict(plain.state_dict())
    with pytest.raises(ValueError, match="categorical"):
        plain.load_state_dict(aae.state_dict())
