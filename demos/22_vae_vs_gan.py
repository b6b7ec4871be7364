# %% [markdown]
# # 22 · One objective against a two-player game: the VAE and the GAN on the same ring
#
# **The claim.** A VAE and a GAN both turn noise z into data, but they are trained in different ways. The VAE's
# encoder and decoder climb ONE objective together, the ELBO, so its value is a learning curve: it rises, nearly
# monotonically. The GAN's two networks play a game: each descends its own loss against the other, so neither loss
# needs to fall, and G's mostly does not. And they draw differently: the VAE, paying for every data point it explains
# badly, spreads its samples over all the data, blurred between the modes; the GAN's samples are sharper but fill the
# modes unevenly.
#
# **Where it comes from.** CS/DS 552, Class 7 (Jacob Whitehill), slides "Generative models" and "Generative
# Adversarial Networks (GANs)": the GAN defined against the VAE (like it, two components; unlike it, two networks
# that compete rather than cooperate), and the lectures on GANs that lessons 07–12 measure. The papers: Kingma &
# Welling 2014 (Algorithm 1) and Goodfellow et al. 2014 (Algorithm 1).
#
# **What this lesson does.** On the 8-Gaussian ring of lessons 07–12, it trains `minigan.gans.VAE`
# (`build_experiment("vae", "ring")`: 2-D codes, a Normal P(x|z) with a learned σ) and the plain GAN of those lessons
# (`build_experiment("gan", "ring", **PLAIN_GAN)`, D judging one point at a time), each for 1,500 steps at batch 256,
# on 3 seeds. It records every step's losses, averages them over windows of 100 steps, and ranks each curve against
# the step (Spearman's ρ: +1 when the curve only ever rises). At the end it scores 2,500 samples of each with the
# project's ring metrics: modes covered, the share of high-quality samples (within 3σ of a centre) and the reverse
# KL of the modes' histogram from uniform (0 when every mode gets its share).
#
# **Run time:** 31 s of CPU (six runs of 1,500 steps), from a clean state with one BLAS thread, as
# `python demos/lesson_times.py 22` measured it (demos/lesson_times.json, which records the machine's load and the
# wall time beside it).

# %% [markdown]
# ## Set up: the same data, the same batch, two ways to learn it

# %% set-up
"""Lesson 22: one objective against a two-player game: the VAE and the GAN on the same ring."""

from __future__ import annotations

import time

from minigan import lessons
from minigan.engine.backend import np
from minigan.gans.recipes import PLAIN_GAN, build_experiment
from minigan.metrics.mixture import mixture_metrics

NAME = "22_vae_vs_gan"
SEEDS = (0, 1, 2)
STEPS, BATCH, WINDOW = 1500, 256, 100
MODELS = ("vae", "gan")


def experiment(model, seed, batch_size=BATCH):
    """The VAE's recipe, or lessons 07-12's plain GAN (in the data's own units), on the 8-Gaussian ring."""
    if model == "vae":
        return build_experiment("vae", "ring", seed=seed, batch_size=batch_size)
    return build_experiment("gan", "ring", seed=seed, data_scale=1.0, batch_size=batch_size, **PLAIN_GAN)


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/22_vae_vs_gan/ by default
    started = time.perf_counter()
    for _m in MODELS:
        _e = experiment(_m, 0)
        print(_m, {k: _e.config[k] for k in ("latent_dim", "hidden", "lr", "batch_size")})


# %% [markdown]
# ## One step of each, looked at closely
#
# The VAE's step is one loss and one backward pass, through the decoder AND the encoder: −ELBO = KL + reconstruction.
# The GAN's step is two: D descends its loss on real and (detached) fake points, then G descends its own loss through
# the just-updated, frozen D. Each number below is what `train_step` returns.

# %% one step
if __name__ == "__main__":
    for _m in MODELS:
        _e = experiment(_m, 0)
        print(_m, {k: round(v, 4) for k, v in _e.train_step(STEPS).items()})


# %% [markdown]
# ## Measure: does a curve only rise?
#
# Spearman's ρ between a curve and the step: +1 when every window is higher than the one before, 0 for no trend.

# %% measure
def trend(curve) -> float:
    """Spearman's ρ between ``curve`` and its index (0 for a flat curve)."""
    curve = np.asarray(curve, dtype=np.float64)
    ranks = np.empty(len(curve))
    ranks[np.argsort(curve, kind="stable")] = np.arange(len(curve))
    for value in np.unique(curve):  # tied values share their mean rank
        ranks[curve == value] = ranks[curve == value].mean()
    if ranks.std() == 0:
        return 0.0
    return float(np.corrcoef(ranks, np.arange(len(curve), dtype=float))[0, 1])


if __name__ == "__main__":
    print("rising:", trend([1, 2, 3, 4]), "falling:", trend([4, 3, 2, 1]),
          "back and forth:", round(trend(np.sin(np.arange(40.0))), 2))


# %% [markdown]
# ## Run: both models on one seed
#
# `train` runs one model and returns its windowed curves: for the VAE the ELBO (−loss) and its two terms, for the GAN
# what each player descends, D's loss and G's loss, and D's mean verdicts. Then the ring metrics of 2,500 samples.

# %% run
def train(model, seed, steps=STEPS, batch_size=BATCH, window=WINDOW, verbose=False):
    exp = experiment(model, seed, batch_size)
    hist = {}
    for _ in lessons.progress(range(steps), f"seed {seed}, {model}", verbose):
        for k, v in exp.train_step(steps).items():
            hist.setdefault(k, []).append(v)
    n = (steps // window) * window
    curves = {k: np.asarray(v[:n]).reshape(-1, window).mean(axis=1) for k, v in hist.items()}
    curves["step"] = np.arange(window, n + 1, window)
    samples = exp.trainer.sample(2500)
    metrics = mixture_metrics(samples, exp.mixture)
    return {"curves": curves, "metrics": metrics, "samples": samples.cpu().numpy(), "modes": exp.mixture.modes}


def one_seed(seed, steps, batch_size, verbose, say=print) -> dict:
    runs = {m: train(m, seed, steps, batch_size, WINDOW, verbose) for m in MODELS}
    v, g = runs["vae"], runs["gan"]
    v["rho_objective"] = trend(-v["curves"]["loss"])                     # the ELBO: the VAE's one objective
    g["rho_loss_g"] = trend(-g["curves"]["loss_g"])                      # what G descends, as a rising curve
    g["rho_loss_d"] = trend(-g["curves"]["loss_d"])                      # what D descends, as a rising curve
    for m, r in runs.items():
        mm = r["metrics"]
        rho = (f"ρ(ELBO) = {r['rho_objective']:+.2f}" if m == "vae" else
               f"ρ(−loss_g) = {r['rho_loss_g']:+.2f}, ρ(−loss_d) = {r['rho_loss_d']:+.2f}")
        say(f"seed {seed}, {m}: {rho}; {mm['modes_covered']}/8 modes, {mm['high_quality']:.1%} high quality, "
            f"reverse KL {mm['reverse_kl']:.3f}")
    return runs


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], STEPS, BATCH, True)]


# %% [markdown]
# ## Verdict: the rule
#
# Two halves, per seed. What each optimizes: the VAE's ELBO rises with ρ ≥ 0.9, and G's loss does not fall (ρ of
# −loss_g under 0.5). What each samples: the GAN has the larger share of high-quality samples AND the VAE the smaller
# reverse KL (its modes filled more evenly). Both halves: "holds"; one: "holds partly". Majority over the seeds.

# %% verdict rule
def decide_seed(runs) -> tuple:
    v, g = runs["vae"], runs["gan"]
    optimizes = v["rho_objective"] >= 0.9 and g["rho_loss_g"] < 0.5
    samples = (g["metrics"]["high_quality"] > v["metrics"]["high_quality"]
               and v["metrics"]["reverse_kl"] < g["metrics"]["reverse_kl"])
    outcome = "holds" if optimizes and samples else "holds partly" if optimizes or samples else "does not hold here"
    return outcome, optimizes, samples


def summarise(per_seed, say=print) -> dict:
    decided = [decide_seed(r) for r in per_seed]
    outcome, agree = lessons.majority([d[0] for d in decided])
    rho_elbo = lessons.spread([r["vae"]["rho_objective"] for r in per_seed])
    rho_g = lessons.spread([r["gan"]["rho_loss_g"] for r in per_seed])
    rho_d = lessons.spread([r["gan"]["rho_loss_d"] for r in per_seed])
    metric = {m: {k: lessons.spread([r[m]["metrics"][k] for r in per_seed])
                  for k in ("modes_covered", "high_quality", "reverse_kl")} for m in MODELS}
    line = lessons.verdict(outcome, (
        f"the VAE's ELBO rises with ρ {lessons.show_spread(rho_elbo, '+.2f')}, the GAN's −loss_g with ρ "
        f"{lessons.show_spread(rho_g, '+.2f')} (−loss_d {lessons.show_spread(rho_d, '+.2f')}); high quality "
        f"VAE {lessons.show_spread(metric['vae']['high_quality'], '.0%')}, GAN "
        f"{lessons.show_spread(metric['gan']['high_quality'], '.0%')}; reverse KL VAE "
        f"{lessons.show_spread(metric['vae']['reverse_kl'], '.3f')}, GAN "
        f"{lessons.show_spread(metric['gan']['reverse_kl'], '.3f')}; modes VAE "
        f"{metric['vae']['modes_covered']['median']:.0f}, GAN {metric['gan']['modes_covered']['median']:.0f} "
        f"(medians); the optimizing half on {lessons.tally([d[1] for d in decided])}, the sampling half on "
        f"{lessons.tally([d[2] for d in decided])}; {agree} of {len(per_seed)} seeds say '{outcome}'"), say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree, "per_seed_outcome": [d[0] for d in decided],
            "rho_elbo": rho_elbo, "rho_loss_g": rho_g, "rho_loss_d": rho_d, "metrics": metric}


# %% [markdown]
# ## Over seeds
#
# Two more seeds, both models, then the verdict by the rule above.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, STEPS, BATCH, True))
    result = summarise(per_seed)


# %% [markdown]
# ## Picture: how each trains, and what each draws
#
# Left: the VAE's ELBO against steps, one line per seed. Middle: the GAN's two losses (D's solid, G's dashed), with
# the values where D says ½ to everything (2·log 2 and log 2, Goodfellow et al.'s equilibrium). Right: 2,500 samples
# of each, seed 0, over the 8 modes.

# %% picture
def picture(per_seed, result, out_dir):
    plt = lessons.plt()
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.2))
    for i, runs in enumerate(per_seed):
        c = runs["vae"]["curves"]
        axes[0].plot(c["step"], -c["loss"], "-", color=f"C{i}", label=f"seed {SEEDS[i] if i < len(SEEDS) else i}")
        g = runs["gan"]["curves"]
        axes[1].plot(g["step"], g["loss_d"], "-", color=f"C{i}")
        axes[1].plot(g["step"], g["loss_g"], "--", color=f"C{i}")
    later = np.concatenate([-r["vae"]["curves"]["loss"][1:] for r in per_seed])  # the first window is far below
    if later.size:
        axes[0].set_ylim(later.min() - 0.3, later.max() + 0.2)
    axes[0].set(xlabel="step", ylabel="ELBO (nats per point, mean over 100 steps)",
                title=f"VAE: one objective, ρ {result['rho_elbo']['median']:+.2f} (first window off the scale)")
    axes[0].title.set_fontsize(9)
    axes[0].legend(fontsize=8)
    axes[1].axhline(2 * np.log(2), color="gray", lw=0.8)
    axes[1].axhline(np.log(2), color="gray", lw=0.8, ls="--")
    axes[1].set(xlabel="step", ylabel="loss (nats, mean over 100 steps)",
                title=f"GAN: D's loss (solid), G's (dashed); ρ(−loss_g) {result['rho_loss_g']['median']:+.2f}")
    for ax, m in zip(axes[2:], MODELS):
        r = per_seed[0][m]
        s = r["samples"]
        ax.scatter(s[:, 0], s[:, 1], s=2, alpha=0.3, color="C0" if m == "vae" else "C3")
        ax.scatter(r["modes"][:, 0], r["modes"][:, 1], marker="x", color="k", s=30)
        mm = r["metrics"]
        ax.set(title=f"{m.upper()}: {mm['modes_covered']}/8 modes, {mm['high_quality']:.0%} high quality, "
                     f"rev. KL {mm['reverse_kl']:.2f}", xlim=(-1.6, 1.6), ylim=(-1.6, 1.6))
        ax.title.set_fontsize(9)
        ax.set_aspect("equal")
    fig.suptitle(f"verdict: {result['outcome']} ({result['seeds_agreeing']} of {len(per_seed)} seeds)", fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "vae_vs_gan.png")


if __name__ == "__main__":
    picture(per_seed, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## On images: the digits, scored by the reference classifier
#
# The ring shows coverage and sharpness with exact mode counts; on images the same contrast is read in the reference
# classifier's features. `image_part` trains each recipe on the bundled digits (`build_experiment("vae", "digits")`:
# MLPs and a Bernoulli per pixel; `build_experiment("gan", "digits")`: the DCGAN-style convnets) and scores 1,000
# samples: the Fréchet distance (beside the floor of two real halves), the classes seen, precision (do the samples
# look real?) and recall (is every kind of digit produced?). At the recipes' 5,000 steps this costs about 3
# CPU-minutes, so `run` skips it unless asked: `run(image_steps=5000)`.

# %%
def image_part(steps, seed=0, verbose=False, say=print) -> dict:
    out = {}
    for model in MODELS:
        exp = build_experiment(model, "digits", seed=seed)
        for _ in lessons.progress(range(steps), f"digits, {model}", verbose):
            exp.train_step(steps)
        m = exp.evaluate(1000)
        out[model] = {k: m[k] for k in ("frechet_distance", "frechet_floor", "classes_covered", "precision",
                                        "recall")}
        say(f"digits, {model}, {steps} steps: Fréchet {m['frechet_distance']:.1f} (floor {m['frechet_floor']:.1f}), "
            f"{m['classes_covered']}/10 classes, precision {m['precision']:.2f}, recall {m['recall']:.2f}")
    return out


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, batch_size=BATCH, out_dir=None, verbose=True, image_steps=0) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    per_seed = [one_seed(seed, steps, batch_size, verbose, say) for seed in seeds]
    result = summarise(per_seed, say)
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, out_dir)
    if image_steps:  # the digits part: minutes of CPU, so only when asked
        result["images"] = image_part(image_steps, seeds[0], verbose, say)
    return result


# %% [markdown]
# ## Try it
#
# The GAN's unevenness grows as its batch shrinks (lesson 12). Set `TRY_BATCH = 32` and run the cell (a few
# seconds): expect the GAN to leave some modes thin or empty while the VAE, at the same batch, still reaches all 8.

# %% try it
if __name__ == "__main__":
    TRY_BATCH = None  # try 32
    if TRY_BATCH:
        for _m in MODELS:
            _r = train(_m, 0, STEPS, TRY_BATCH)["metrics"]
            print(f"{_m}, batch {TRY_BATCH}: {_r['modes_covered']}/8 modes, {_r['high_quality']:.1%} high quality, "
                  f"reverse KL {_r['reverse_kl']:.3f}")
