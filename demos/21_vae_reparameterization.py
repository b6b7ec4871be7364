# %% [markdown]
# # 21 · The VAE: one objective, the ELBO, and a gradient through a sample
#
# **The claim.** A variational autoencoder trains two networks by ONE objective that both climb together, the
# evidence lower bound ELBO(x) = −KL(Q(z|x) ‖ P(z)) + E_Q[log P(x|z)]: the encoder Q(z|x) and the decoder P(x|z)
# cooperate, where a GAN's two networks compete. The expectation is estimated with a sample z ~ Q(z|x), and the
# gradient of the reconstruction term reaches the encoder's μ and σ only because the sample is written
# z = μ + σ·ε, ε ~ N(0, I) (the reparameterization trick, `rsample`). Drawn by `sample` instead (a `detach` by
# another name) the same z carries no gradient back: the encoder hears only the KL term, which it then drives to
# zero, and the codes say nothing about x.
#
# **Where it comes from.** CS/DS 552, Class 7 (Jacob Whitehill), slide "Generative models": latent-variable models
# trained by one objective, the ELBO, with encoder and decoder serving it together, set beside the GAN's two networks
# playing against each other (slide "Generative Adversarial Networks (GANs)"). The paper: Kingma & Welling 2014,
# "Auto-Encoding Variational Bayes", Section 2.4 (the reparameterization trick) and Algorithm 1.
#
# **What this lesson does.** It builds `minigan.gans.VAE` on the bundled 8×8 digits (`build_experiment("vae",
# "digits")`: MLP encoder and decoder, 8 latent dimensions, a Bernoulli per pixel). It takes the ELBO apart term by
# term on one batch, checks the closed-form KL against a Monte Carlo estimate made with `Normal.log_prob`, shows
# that `rsample` is μ + σ·ε and that its gradient reaches μ and σ where `sample`'s is None, then trains the VAE both
# ways on 3 seeds and compares the ELBO, the KL and the samples.
#
# **Run time:** 18 s of CPU (six runs of 1,000 steps), from a clean state with one BLAS thread, as
# `python demos/lesson_times.py 21` measured it (demos/lesson_times.json, which records the machine's load
# and the wall time beside it).

# %% [markdown]
# ## Set up: a VAE on the digits
#
# The encoder maps an image to μ(x) and log σ(x), 8 numbers each; the decoder maps a code z to 64 logits, one per
# pixel, so log P(x|z) is minus the binary cross-entropy summed over the pixels (the digits' intensities in [0, 1]).

# %% set-up
"""Lesson 21: the VAE, the ELBO term by term, and the reparameterization trick."""

from __future__ import annotations

import math
import time

import minigan
from minigan import autograd, lessons
from minigan.data.spec import load_images
from minigan.distributions import Normal, kl_divergence
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.nn.module import evaluating, module_device

NAME = "21_vae_reparameterization"
SEEDS = (0, 1, 2)
STEPS, EVAL_EVERY = 1000, 50


def held_out(device="cpu"):
    """The digits' test split, in [−1, 1] as training sees them, on ``device``: every ELBO below is measured on it."""
    images, _ = load_images("digits", "test", scale="pm1")
    return minigan.from_numpy(images).to(device)


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/21_vae_reparameterization/ by default
    started = time.perf_counter()
    exp = build_experiment("vae", "digits", seed=0)
    vae = exp.trainer
    x_test = held_out(module_device(vae.decoder))
    print(vae.encoder, vae.decoder, sep="\n")
    print(f"{x_test.shape[0]} held-out digits of {tuple(x_test.shape[1:])}")


# %% [markdown]
# ## The ELBO, term by term
#
# On the held-out digits, before any training: Q(z|x) = N(μ(x), σ(x)²), the KL to the prior N(0, I) in closed form
# (`kl_divergence`), and log P(x|z) at one z per digit. The closed form should equal the Monte Carlo estimate
# E_Q[log Q(z|x) − log P(z)] (`log_prob` of both Normals at many draws z ~ Q) to within its standard error: the
# ELBO needs sampling only for the reconstruction term.

# %% elbo terms
def elbo_by_terms(vae, x, draws=200, say=print) -> dict:
    """The ELBO's terms on ``x`` (nats per digit) and the closed-form KL against its Monte Carlo estimate."""
    with minigan.no_grad():
        q = vae.posterior(x)
        prior = Normal(minigan.zeros_like(q.loc), minigan.ones_like(q.loc))
        kl = kl_divergence(q, prior).sum(1)
        z = q.rsample((draws,))                                        # (draws, N, latent)
        mc = (q.log_prob(z) - prior.log_prob(z)).sum(2)                 # log Q(z|x) − log P(z), per draw and digit
        log_px = vae.decoder.log_prob(x, z[0])
    kl_mean, mc_mean = kl.mean().item(), mc.mean().item()
    se = mc.mean(0).std().item() / math.sqrt(mc.shape[1]) + mc.std().item() / math.sqrt(mc.numel())
    terms = {"kl": kl_mean, "kl_monte_carlo": mc_mean, "kl_standard_error": se,
             "log_px": log_px.mean().item(), "elbo": (log_px - kl).mean().item()}
    say(f"  KL(Q(z|x) ‖ P(z))   {kl_mean:8.3f} nats   (closed form; Monte Carlo over {draws} draws: {mc_mean:.3f})")
    say(f"  E_Q[log P(x|z)]     {terms['log_px']:8.3f} nats   (one z per digit)")
    say(f"  ELBO                {terms['elbo']:8.3f} nats   = −KL + log P(x|z), a lower bound on log P(x)")
    return terms


if __name__ == "__main__":
    terms0 = elbo_by_terms(vae, x_test)


# %% [markdown]
# ## The reparameterization trick: a gradient that reaches μ and σ through `rsample`, and stops at `sample`
#
# Make μ and σ leaves of their own and ask `autograd.grad` for the gradient of log P(x|z) with respect to them. With
# z = `rsample()` the answer is two non-zero tensors: z = μ + σ·ε is a function of μ and σ. With z = `sample()` it is
# None for both (allow_unused=True): the draw is the same number, but it is cut from the graph. And `rsample` IS
# μ + σ·ε: the same seed gives the same ε, so the same z, bit for bit.

# %% gradient through a sample
def gradient_through(vae, x, seed=0, say=print) -> dict:
    mu, log_sigma = (t.detach() for t in vae.encoder(x))
    mu.requires_grad_(True)
    sigma = log_sigma.exp().requires_grad_(True)
    q = Normal(mu, sigma)
    out = {}
    for how in ("rsample", "sample"):
        minigan.manual_seed(seed)
        z = getattr(q, how)()
        log_px = vae.decoder.log_prob(x, z).sum()
        g_mu, g_sigma = autograd.grad(log_px, (mu, sigma), allow_unused=True)
        out[how] = {"grad_mu": None if g_mu is None else g_mu.abs().sum().item(),
                    "grad_sigma": None if g_sigma is None else g_sigma.abs().sum().item(),
                    "requires_grad": z.requires_grad}
        say(f"  z = q.{how}():  z.requires_grad = {z.requires_grad};  Σ|∂ log P(x|z)/∂μ| = {out[how]['grad_mu']},"
            f"  Σ|∂/∂σ| = {out[how]['grad_sigma']}")
    minigan.manual_seed(seed)
    z = q.rsample().detach()
    minigan.manual_seed(seed)
    by_hand = (mu + sigma * minigan.randn_like(mu)).detach()
    out["rsample_is_mu_plus_sigma_eps"] = bool((z == by_hand).all().item())
    say(f"  rsample() equals μ + σ·ε with ε = randn_like(μ) under the same seed, bit for bit: "
        f"{out['rsample_is_mu_plus_sigma_eps']}")
    return out


if __name__ == "__main__":
    grads = gradient_through(vae, x_test)


# %% [markdown]
# ## Run: train the VAE with `rsample`, and again with `sample`
#
# The same networks, the same data, the same seed; the one line that differs is how z is drawn
# (`vae.elbo_terms(x, reparameterize=...)`). Every `EVAL_EVERY` steps the ELBO, its KL and its reconstruction term
# are measured on the held-out digits (always with `rsample`, in evaluation; the training stream is put back).

# %% run
def train(seed, reparameterize, steps=STEPS, eval_every=EVAL_EVERY, x_test=None, verbose=False):
    exp = build_experiment("vae", "digits", seed=seed)
    vae = exp.trainer
    x_test = held_out(module_device(vae.decoder)) if x_test is None else x_test
    hist = {"step": [], "elbo": [], "kl": [], "log_px": []}
    label = "rsample" if reparameterize else "sample"
    for t in lessons.progress(range(1, steps + 1), f"seed {seed}, z by {label}", verbose):
        _, kl, log_px = vae.elbo_terms(exp.sample_real(vae.batch_size), reparameterize=reparameterize)
        loss = (kl - log_px).mean()                                     # −ELBO
        vae.opt_encoder.zero_grad()
        vae.opt_decoder.zero_grad()
        loss.backward()
        vae.opt_encoder.step()
        vae.opt_decoder.step()
        if t % eval_every == 0:
            state = minigan.get_rng_state()
            with evaluating(vae.encoder), evaluating(vae.decoder), minigan.no_grad():
                e, k, lp = (v.mean().item() for v in vae.elbo_terms(x_test))
            minigan.set_rng_state(state)
            for key, v in zip(hist, (t, e, k, lp)):
                hist[key].append(v)
    minigan.manual_seed(1000 + seed)
    hist["samples"] = vae.sample(32).cpu().numpy()
    hist["reconstructions"] = vae.reconstruct(x_test[:16]).cpu().numpy()
    return hist


def one_seed(seed, steps, eval_every, x_test, verbose, say=print):
    runs = {how: train(seed, how == "rsample", steps, eval_every, x_test, verbose) for how in ("rsample", "sample")}
    for how, h in runs.items():
        say(f"seed {seed}, z by {how:<7}: ELBO {h['elbo'][0]:.2f} -> {h['elbo'][-1]:.2f} nats; KL {h['kl'][-1]:.3f}; "
            f"log P(x|z) {h['log_px'][-1]:.2f}")
    return runs


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], STEPS, EVAL_EVERY, x_test, True)]


# %% [markdown]
# ## Verdict: the rule
#
# Per seed, the claim "holds" when (1) the gradient reaches μ and σ through `rsample` and is None through `sample`
# (checked above, once: it is the graph, not the seed), (2) the `rsample` run ends with the higher held-out ELBO,
# and (3) the `sample` run's KL ends under 0.05 nats (its codes carry nothing about x) while the `rsample` run's is
# over 1 nat. (1) with one of (2), (3): "holds partly". The verdict is the majority over the seeds.

# %% verdict rule
def decide_seed(runs, grads) -> str:
    reaches = (grads["rsample"]["grad_mu"] or 0) > 0 and (grads["rsample"]["grad_sigma"] or 0) > 0
    stops = grads["sample"]["grad_mu"] is None and grads["sample"]["grad_sigma"] is None
    better = runs["rsample"]["elbo"][-1] > runs["sample"]["elbo"][-1]
    collapsed = runs["sample"]["kl"][-1] < 0.05 and runs["rsample"]["kl"][-1] > 1.0
    if not (reaches and stops):
        return "does not hold here"
    return "holds" if better and collapsed else "holds partly" if better or collapsed else "does not hold here"


def summarise(per_seed, grads, terms, say=print) -> dict:
    outcomes = [decide_seed(r, grads) for r in per_seed]
    outcome, agree = lessons.majority(outcomes)
    final = {how: {key: lessons.spread([r[how][key][-1] for r in per_seed]) for key in ("elbo", "kl", "log_px")}
             for how in ("rsample", "sample")}
    gap = lessons.spread([r["rsample"]["elbo"][-1] - r["sample"]["elbo"][-1] for r in per_seed])
    line = lessons.verdict(outcome, (
        f"the gradient of log P(x|z) reaches μ and σ through rsample (Σ|∂/∂μ| = {grads['rsample']['grad_mu']:.3g}) "
        f"and is None through sample; trained with rsample the held-out ELBO ends at "
        f"{lessons.show_spread(final['rsample']['elbo'], '.2f')} nats, with sample at "
        f"{lessons.show_spread(final['sample']['elbo'], '.2f')} (higher by {gap['median']:.2f}); the KL ends at "
        f"{lessons.show_spread(final['rsample']['kl'], '.2f')} against "
        f"{lessons.show_spread(final['sample']['kl'], '.3f')} nats (the codes of the sample run say nothing about x); "
        f"{agree} of {len(per_seed)} seeds say '{outcome}'"), say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree, "per_seed_outcome": outcomes,
            "final": final, "elbo_gap": gap, "gradients": grads, "terms_at_start": terms}


# %% [markdown]
# ## Over seeds
#
# Two more seeds, both ways, then the verdict by the rule above.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, STEPS, EVAL_EVERY, x_test, True))
    result = summarise(per_seed, grads, terms0)


# %% [markdown]
# ## Picture: the objective as it climbs, and what each VAE draws
#
# Left: the held-out ELBO (solid) of each run against steps, `rsample` in blue and `sample` in red, one line per
# seed. Middle: its KL term. Right: decoded prior draws E[x|z], z ~ N(0, I), and reconstructions of held-out digits,
# for seed 0 trained each way.

# %% picture
def tile(images, ncol):
    """(N, 1, H, W) in [−1, 1] → one (rows·H, ncol·W) array in [0, 1], a pixel of grey between images."""
    n, _, h, w = images.shape
    rows = -(-n // ncol)
    out = np.full((rows * (h + 1), ncol * (w + 1)), 0.5)
    for i, im in enumerate((images[:, 0] + 1) / 2):
        r, c = divmod(i, ncol)
        out[r * (h + 1):r * (h + 1) + h, c * (w + 1):c * (w + 1) + w] = im
    return out


def picture(per_seed, result, out_dir):
    plt = lessons.plt()
    fig = plt.figure(figsize=(13, 4.2))
    ax_elbo, ax_kl = fig.add_subplot(1, 3, 1), fig.add_subplot(1, 3, 2)
    for i, runs in enumerate(per_seed):
        for how, colour in (("rsample", "C0"), ("sample", "C3")):
            h = runs[how]
            ax_elbo.plot(h["step"], h["elbo"], "-", color=colour, alpha=0.5 + 0.2 * (i == 0),
                         label=f"z by {how}" if i == 0 else None)
            ax_kl.plot(h["step"], h["kl"], "-", color=colour, alpha=0.5 + 0.2 * (i == 0),
                       label=f"z by {how}" if i == 0 else None)
    ax_elbo.set(xlabel="step", ylabel="held-out ELBO (nats per digit)", title="the one objective, climbing")
    ax_kl.set(xlabel="step", ylabel="KL(Q(z|x) ‖ P(z)) (nats)", title="its KL term: collapses without rsample")
    ax_elbo.legend(fontsize=8)
    ax_kl.legend(fontsize=8)
    ax = fig.add_subplot(1, 3, 3)
    first = per_seed[0]
    rows = [tile(first["rsample"]["samples"][:16], 8), tile(first["rsample"]["reconstructions"][:8], 8),
            tile(first["sample"]["samples"][:16], 8), tile(first["sample"]["reconstructions"][:8], 8)]
    ax.imshow(np.concatenate(rows, axis=0), cmap="gray", vmin=0, vmax=1)
    ax.set_xticks([])
    edges = np.cumsum([0] + [r.shape[0] for r in rows])
    ax.set_yticks((edges[:-1] + edges[1:]) / 2 - 0.5, ["rsample:\nsamples", "rsample:\nreconstr.",
                                                       "sample:\nsamples", "sample:\nreconstr."], fontsize=7)
    ax.set_title(f"seed {SEEDS[0]}: E[x|z], z ~ N(0, I), and E[x|μ(x)]", fontsize=9)
    fig.suptitle(f"verdict: {result['outcome']} ({result['seeds_agreeing']} of {len(per_seed)} seeds)", fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "vae.png")


if __name__ == "__main__":
    picture(per_seed, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, eval_every=EVAL_EVERY, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    exp = build_experiment("vae", "digits", seed=seeds[0])
    x_test = held_out(module_device(exp.trainer.decoder))
    terms = elbo_by_terms(exp.trainer, x_test, say=say)
    grads = gradient_through(exp.trainer, x_test, say=say)
    per_seed = [one_seed(seed, steps, eval_every, x_test, verbose, say) for seed in seeds]
    result = summarise(per_seed, grads, terms, say)
    result["runs"] = {how: {k: v for k, v in per_seed[0][how].items() if k not in ("samples", "reconstructions")}
                      for how in ("rsample", "sample")}
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# Weigh the KL term: the β-VAE (Higgins et al. 2017) trains on β·KL − log P(x|z). Set `TRY_BETA = 4.0` and run the
# cell (a few seconds). Expect a smaller KL (codes closer to the prior) and a worse reconstruction term; with
# `TRY_BETA = 0.0` the VAE becomes a plain autoencoder with noisy codes, its KL free to grow.

# %% try it
if __name__ == "__main__":
    TRY_BETA = None  # try 4.0 or 0.0
    if TRY_BETA is not None:
        trial = build_experiment("vae", "digits", seed=0, beta=TRY_BETA)
        for _ in range(STEPS):
            trial.train_step()
        with minigan.no_grad():
            e, k, lp = (v.mean().item() for v in trial.trainer.elbo_terms(x_test))
        print(f"β = {TRY_BETA}: ELBO {e:.2f}, KL {k:.2f}, log P(x|z) {lp:.2f} nats")
