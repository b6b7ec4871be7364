# %% [markdown]
# # 15 · WGAN's critic as a learning curve: weight clipping against a gradient penalty
#
# **The claim.** The WGAN critic estimates the Wasserstein-1 distance
# W(P_r, P_θ) = sup over 1-Lipschitz f of E_{P_r}[f] − E_{P_θ}[f], so its estimate should fall as the samples get
# better: read over training, it is a learning curve that means something, which the usual GAN loss is not. That
# can only hold while the critic stays (close to) 1-Lipschitz and is trained near its optimum.
#
# **Where it comes from.** Introduction to Deep Learning IT3320E (Hung Son Nguyen, Hanoi University of Science and
# Technology, 2022), the GAN lecture, the WGAN slides: Arjovsky et al.'s Algorithm 1 (a weight-clipped critic trained
# by RMSProp for n_critic steps per generator step) and the benefits listed under it, among them meaningful learning
# curves. The papers: Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN"; Gulrajani et al. 2017, "Improved Training
# of Wasserstein GANs" (the gradient penalty).
#
# **What this lesson does.** On an 8-Gaussian ring with σ = 0.05 (so that "high quality", within 3σ of a centre, is
# reachable in a short run) it trains, for seeds 0, 1 and 2 each:
#
# * clipped WGAN (Arjovsky et al.'s Algorithm 1; `build_experiment("wgan", ..., lr=5e-4, clip=0.1)`: 10× the
#   paper's α and c, to fit a short run), whose clipped critic is a poor, saturated estimator;
# * WGAN-GP (Gulrajani et al.'s Algorithm 1; the 2-D recipe, `build_experiment("wgan-gp", ...)`, at the clipped
#   WGAN's batch of 64), whose penalty keeps ‖∇D‖ near 1 where it matters.
#
# It logs the critic's estimate mean D(x) − mean D(G(z)), averaged over each evaluation window, scores 1,000 samples
# at each evaluation, and reports per run the Spearman rank correlation ρ between the estimate and the high-quality
# fraction (negative = the estimate falls as quality rises). What it measured, and the verdict, are in the lesson
# index (demos/README.md, lesson 15) and demos/numbers.json.
#
# **Run time:** 36 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 2.2 minutes on one shared with other jobs).

# %% [markdown]
# ## Set up: a narrower ring and two critics
#
# The ring with σ = 0.05 (narrow modes, so "high quality", within 3σ of a centre, is a demanding measure), and the
# two critics (`ALGORITHMS`): the lecture's WGAN, whose critic is kept Lipschitz by clipping every weight to
# [−0.1, 0.1], and WGAN-GP, which instead penalises ‖∇ₓC(x̂)‖ away from 1.

# %% set-up
"""Lesson 15: WGAN's critic as a learning curve: weight clipping against a gradient penalty."""

from __future__ import annotations

from minigan import from_numpy, lessons
from minigan.data.toy2d import ring_mixture
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.metrics.mixture import mixture_metrics

NAME = "15_wgan_learning_curve"
ALGORITHMS = {"wgan": dict(lr=5e-4, clip=0.1), "wgan-gp": dict(batch_size=64)}  # overrides of the recipes
LABELS = {"wgan": "clipped WGAN", "wgan-gp": "WGAN-GP"}


# %% [markdown]
# ## One training step, looked at closely
#
# Before the full run: one step of WGAN-GP on the ring, on a fresh experiment of its own (the run below starts from
# scratch). Each number the step returns, what it means, and how far the step moved each network's weights. A
# critic has no sigmoid: its outputs are scores, not probabilities, and the difference of the mean scores on real
# and on fake points is its estimate of the Wasserstein distance, the number this lesson follows over training.

# %% one step
if __name__ == "__main__":
    _exp = build_experiment("wgan-gp", "ring", seed=0, **ALGORITHMS["wgan-gp"])
    lessons.one_step(_exp.trainer, _exp.sample_real)


# %% [markdown]
# ## Run: one training, logging the estimate and the quality
#
# `curve` trains one run on the narrower ring and, every `eval_every` steps, records the critic's estimate
# (averaged over the steps since the last evaluation, as it is noisy step to step) and the share of high-quality
# samples among 1,000 of G's. The claim asks whether the first is a learning curve for the second.

# %%
def curve(algorithm, seed, steps, eval_every, mix, verbose=False):
    """One run: {"step", "wasserstein", "high_quality", "modes"} at every evaluation, and its Spearman ρ."""
    exp = build_experiment(algorithm, "ring", seed=seed, **ALGORITHMS[algorithm])

    device = next(exp.trainer.G.parameters()).device

    def sample_real(m):
        return from_numpy(mix.sample(m)).to(device)  # drawn on the host, moved to where G is (a GPU too)

    exp.sample_real = sample_real  # the wider ring, for both algorithms
    hist = {"step": [], "wasserstein": [], "high_quality": [], "modes": []}
    window = []
    for t in lessons.progress(range(1, steps + 1), f"{LABELS[algorithm]}, seed {seed}", verbose):
        window.append(exp.train_step(steps)["wasserstein"])
        if t % eval_every == 0:
            m = mixture_metrics(exp.trainer.sample(1000), mix)
            for k, v in zip(hist, (t, float(np.mean(window)), m["high_quality"], m["modes_covered"])):
                hist[k].append(v)
            window = []
    hist["spearman_hq"] = spearman(hist["wasserstein"], hist["high_quality"])
    return hist


# %% [markdown]
# ## Measure: does the estimate fall as the quality rises?
#
# Spearman's ρ correlates the *ranks* of the two curves: −1 when every fall of the estimate comes with a rise in
# quality, whatever the scale of either. A learning curve needs ρ near −1.

# %%
def spearman(a, b):
    """Spearman's rank correlation (no ties expected in real-valued curves)."""
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


# %% [markdown]
# Both algorithms × three seeds, 600 steps, an evaluation every 30: one line per run, then the mean ρ per algorithm.

# %%
def all_curves(algorithms, seeds, steps, eval_every, mix, verbose, say=print):
    runs, summary = {}, {}
    for algorithm in algorithms:
        runs[algorithm] = []
        for seed in seeds:
            with lessons.Timer() as timer:
                h = curve(algorithm, seed, steps, eval_every, mix, verbose)
            runs[algorithm].append(h)
            say(f"{LABELS[algorithm]:>13}, seed {seed}: W estimate {h['wasserstein'][0]:.4g} -> "
                f"{h['wasserstein'][-1]:.4g}; high quality {h['high_quality'][0]:.1%} -> {h['high_quality'][-1]:.1%}; "
                f"modes {h['modes'][-1]}/8; Spearman ρ = {h['spearman_hq']:+.3f} ({timer.seconds:.0f} s)")
        rhos = [h["spearman_hq"] for h in runs[algorithm]]
        summary[algorithm] = {"spearman": rhos, "mean_spearman": float(np.mean(rhos)),
                              "final_high_quality": [h["high_quality"][-1] for h in runs[algorithm]]}
    return runs, summary


# %% [markdown]
# ## Verdict
#
# The claim is that the estimate *falls* as quality rises (mean ρ ≤ −0.8), more faithfully with the gradient
# penalty than with clipping. The lecture's own algorithm is the clipped one: the claim holds fully only if its
# estimate tracks the quality too, and partly if only WGAN-GP's does.

# %%
def decide(summary, seeds, say=print):
    gp, clip = summary["wgan-gp"], summary["wgan"]
    tracks = gp["mean_spearman"] <= -0.8 and gp["mean_spearman"] < clip["mean_spearman"]
    outcome = ("does not hold here" if not tracks else "holds" if clip["mean_spearman"] <= -0.8 else "holds partly")
    lessons.verdict(outcome, (
        f"mean ρ = {gp['mean_spearman']:+.2f} for WGAN-GP against {clip['mean_spearman']:+.2f} for clipped WGAN "
        f"over {len(seeds)} seeds: "
        + ("the gradient-penalty critic's estimate is a learning curve; the clipped critic's is a weak one"
           if tracks else "the claim is NOT shown at these settings")), say)
    return bool(tracks)


# %% [markdown]
# ## Picture: each estimate against the quality it should track
#
# One panel per algorithm: the estimate (solid, left axis) and the high-quality share (dashed, right axis), one
# shade per seed. A learning curve mirrors the dashed line.

# %%
def picture(runs, summary, algorithms, out_dir):
    plt = lessons.plt()
    fig, axes = plt.subplots(1, len(algorithms), figsize=(6 * len(algorithms), 4), squeeze=False)
    for ax, algorithm in zip(axes[0], algorithms):
        ax2 = ax.twinx()
        for i, h in enumerate(runs[algorithm]):
            ax.plot(h["step"], h["wasserstein"], "-", color="C0", alpha=0.4 + 0.2 * i, lw=1.2)
            ax2.plot(h["step"], h["high_quality"], "--", color="C2", alpha=0.4 + 0.2 * i, lw=1.2)
        rhos = ", ".join(f"{r:+.2f}" for r in summary[algorithm]["spearman"])
        ax.set_title(f"{LABELS[algorithm]}: Spearman ρ = {rhos}")
        ax.set_xlabel("generator step")
        ax.set_ylabel("critic's W estimate (solid)", color="C0")
        ax2.set_ylabel("fraction high quality (dashed)", color="C2")
        ax2.set_ylim(0, 1)
    fig.suptitle("Does the critic's Wasserstein estimate track sample quality? (ring, σ = 0.05, 3 seeds)")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "learning_curve.png")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the steps above: every curve, the verdict, the picture.

# %% the demo
def run(steps=600, seeds=(0, 1, 2), eval_every=30, algorithms=("wgan", "wgan-gp"), out_dir=None,
        verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    mix = ring_mixture(8, 1.0, 0.05)
    runs, summary = all_curves(algorithms, seeds, steps, eval_every, mix, verbose, say)
    result = {"runs": runs, "summary": summary}
    if set(algorithms) == {"wgan", "wgan-gp"}:
        result["gp_tracks_quality"] = decide(summary, seeds, say)
    if out_dir is not None:
        result["figure"] = picture(runs, summary, algorithms, out_dir)
    return result


# %% [markdown]
# ## Run the lesson
#
# It prints one line per run, ends with the verdict, and saves the figure under
# `demos/out/15_wgan_learning_curve/` (shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
