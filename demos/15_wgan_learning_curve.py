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
# reachable in a short run) it trains, for seeds 0 to 4 each:
#
# * clipped WGAN (Arjovsky et al.'s Algorithm 1; `build_experiment("wgan", ..., lr=5e-4, clip=0.1)`: 10× the
#   paper's α and c, to fit a short run), whose clipped critic is a poor, saturated estimator;
# * WGAN-GP (Gulrajani et al.'s Algorithm 1; the 2-D recipe, `build_experiment("wgan-gp", ...)`, at the clipped
#   WGAN's batch of 64), whose penalty keeps ‖∇D‖ near 1 where it matters.
#
# It logs the critic's estimate mean D(x) − mean D(G(z)), averaged over each evaluation window, scores 1,000 samples
# at each evaluation, and reports per run the Spearman rank correlation ρ between the estimate and the high-quality
# fraction (negative = the estimate falls as quality rises); the verdict counts the seeds on which each estimate is
# a learning curve. What it measured is in the lesson index (demos/README.md, lesson 15) and demos/numbers.json.
#
# **Run time:** 91 s of CPU (five seeds × two critics), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 15` measured it (demos/lesson_times.json, which records the machine's load and the wall
# time beside it: on a shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: a narrower ring and two critics
#
# The ring with σ = 0.05 (narrow modes, so "high quality", within 3σ of a centre, is a demanding measure), and the
# two critics (`ALGORITHMS`): the lecture's WGAN, whose critic is kept Lipschitz by clipping every weight to
# [−0.1, 0.1], and WGAN-GP, which instead penalises ‖∇ₓC(x̂)‖ away from 1.

# %% set-up
"""Lesson 15: WGAN's critic as a learning curve: weight clipping against a gradient penalty."""

from __future__ import annotations

import time

from minigan import from_numpy, lessons
from minigan.data.toy2d import ring_mixture
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.metrics.mixture import mixture_metrics

NAME = "15_wgan_learning_curve"
ALGORITHMS = {"wgan": dict(lr=5e-4, clip=0.1), "wgan-gp": dict(batch_size=64)}  # overrides of the recipes
LABELS = {"wgan": "clipped WGAN", "wgan-gp": "WGAN-GP"}
SEEDS = (0, 1, 2, 3, 4)  # a run takes seconds: 5 seeds per critic
STEPS, EVAL_EVERY = 600, 30


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/15_wgan_learning_curve/ by default
    started = time.perf_counter()
    mix = ring_mixture(8, 1.0, 0.05)  # 8 Gaussians on the unit circle, σ = 0.05
    print(f"the ring: {len(mix.modes)} modes, σ = {mix.std}; {STEPS} steps a run, seeds {SEEDS}")



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
# ## Measure: how a learning curve is judged
#
# Spearman's ρ correlates the *ranks* of two curves: −1 when every fall of the estimate comes with a rise in
# quality, whatever the scale of either. A learning curve needs ρ near −1; the lesson asks for ρ ≤ −0.8.

# %% measure
def spearman(a, b):
    """Spearman's rank correlation (no ties expected in real-valued curves)."""
    ra = np.argsort(np.argsort(a)).astype(float)
    rb = np.argsort(np.argsort(b)).astype(float)
    return float(np.corrcoef(ra, rb)[0, 1])


if __name__ == "__main__":
    print("a curve that falls while quality rises:", spearman([3.0, 2.0, 1.5, 1.0], [0.1, 0.3, 0.5, 0.6]))
    print("one that does not track it:          ", round(spearman([3.0, 1.0, 2.0, 1.5], [0.1, 0.3, 0.5, 0.6]), 2))


# %% [markdown]
# ## Run: one training, logging the estimate and the quality
#
# `curve` trains one run on the narrower ring and, every `eval_every` steps, records the critic's estimate
# (averaged over the steps since the last evaluation, as it is noisy step to step) and the share of high-quality
# samples among 1,000 of G's. Here: WGAN-GP, seed 0, every other evaluation printed.

# %% run
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


if __name__ == "__main__":
    h = curve("wgan-gp", SEEDS[0], STEPS, EVAL_EVERY, mix, verbose=True)
    for t, w, q in list(zip(h["step"], h["wasserstein"], h["high_quality"]))[1::2]:
        print(f"  step {t:4d}: W estimate {w:8.4f}   high quality {q:6.1%}")
    print(f"Spearman ρ(estimate, high quality) = {h['spearman_hq']:+.3f}")


# %% [markdown]
# ## Over seeds: both critics, five seeds each
#
# Both algorithms × 5 seeds, 600 steps, an evaluation every 30: one line per run, then
# ρ per algorithm as its median and range over the seeds.

# %% over seeds
def all_curves(algorithms, seeds, steps, eval_every, mix, verbose, say=print, done=None):
    """Every (algorithm, seed) run; ``done``: runs already made, {(algorithm, seed): hist}, not made again."""
    runs, summary = {}, {}
    for algorithm in algorithms:
        runs[algorithm] = []
        for seed in seeds:
            made = (done or {}).get((algorithm, seed))
            with lessons.Timer() as timer:
                h = made or curve(algorithm, seed, steps, eval_every, mix, verbose)
            runs[algorithm].append(h)
            say(f"{LABELS[algorithm]:>13}, seed {seed}: W estimate {h['wasserstein'][0]:.4g} -> "
                f"{h['wasserstein'][-1]:.4g}; high quality {h['high_quality'][0]:.1%} -> {h['high_quality'][-1]:.1%}; "
                f"modes {h['modes'][-1]}/8; Spearman ρ = {h['spearman_hq']:+.3f} "
                + ("(the run above)" if made else f"({timer.seconds:.0f} s)"))
        summary[algorithm] = {"spearman": lessons.spread([h["spearman_hq"] for h in runs[algorithm]]),
                              "final_high_quality": lessons.spread([100 * h["high_quality"][-1]
                                                                    for h in runs[algorithm]])}
    return runs, summary


if __name__ == "__main__":
    runs, summary = all_curves(ALGORITHMS, SEEDS, STEPS, EVAL_EVERY, mix, True, done={("wgan-gp", SEEDS[0]): h})
    for algorithm in ALGORITHMS:
        print(f"{LABELS[algorithm]:>13}: ρ {lessons.show_spread(summary[algorithm]['spearman'], '+.2f')}")


# %% [markdown]
# ## Verdict
#
# The claim is that the estimate *falls* as quality rises (ρ ≤ −0.8), more faithfully with the gradient
# penalty than with clipping. The lecture's own algorithm is the clipped one: the claim holds fully only if its
# estimate tracks the quality too, and partly if only WGAN-GP's does. An estimate "tracks" when ρ ≤ −0.8 on at
# least 4 of the 5 seeds (and WGAN-GP's median ρ must be below the clipped critic's).

# %% verdict
def decide(summary, seeds, say=print):
    n = len(seeds)
    need = n - 1 if n >= 4 else n  # at least 4 of 5 seeds (all of 3 or fewer)
    gp, clip = summary["wgan-gp"], summary["wgan"]
    gp_n = sum(r <= -0.8 for r in gp["spearman"]["per_seed"])
    clip_n = sum(r <= -0.8 for r in clip["spearman"]["per_seed"])
    tracks = gp_n >= need and gp["spearman"]["median"] < clip["spearman"]["median"]
    outcome = "does not hold here" if not tracks else "holds" if clip_n >= need else "holds partly"
    line = lessons.verdict(outcome, (
        f"the estimate tracks quality (ρ ≤ −0.8) on {gp_n} of {n} seeds for WGAN-GP (ρ "
        f"{lessons.show_spread(gp['spearman'], '+.2f')}) and on {clip_n} of {n} for clipped WGAN (ρ "
        f"{lessons.show_spread(clip['spearman'], '+.2f')}); the rule needs {need} of {n}: "
        + ("both critics' estimates are learning curves" if outcome == "holds" else
           "the gradient-penalty critic's estimate is a learning curve; the clipped critic's is not, at these "
           "settings" if tracks else "the claim is NOT shown at these settings")), say)
    return {"verdict": line, "outcome": outcome, "gp_tracks_quality": bool(tracks), "gp_seeds_tracking": gp_n,
            "clipped_seeds_tracking": clip_n}


if __name__ == "__main__":
    result = {"runs": runs, "summary": summary, **decide(summary, SEEDS)}


# %% [markdown]
# ## Picture: each estimate against the quality it should track
#
# One panel per algorithm: the estimate (solid, left axis) and the high-quality share (dashed, right axis), one
# shade per seed. A learning curve mirrors the dashed line.

# %% picture
def picture(runs, summary, algorithms, out_dir, outcome=None):
    plt = lessons.plt()
    fig, axes = plt.subplots(1, len(algorithms), figsize=(6 * len(algorithms), 4), squeeze=False)
    for ax, algorithm in zip(axes[0], algorithms):
        ax2 = ax.twinx()
        for i, h in enumerate(runs[algorithm]):
            ax.plot(h["step"], h["wasserstein"], "-", color="C0", alpha=0.3 + 0.7 * i / len(runs[algorithm]), lw=1.2)
            ax2.plot(h["step"], h["high_quality"], "--", color="C2", alpha=0.3 + 0.7 * i / len(runs[algorithm]),
                     lw=1.2)
        rhos = ", ".join(f"{r:+.2f}" for r in summary[algorithm]["spearman"]["per_seed"])
        ax.set_title(f"{LABELS[algorithm]}: Spearman ρ per seed = {rhos}", fontsize=9)
        ax.set_xlabel("generator step")
        ax.set_ylabel("critic's W estimate (solid)", color="C0")
        ax2.set_ylabel("fraction high quality (dashed)", color="C2")
        ax2.set_ylim(0, 1)
    n = len(next(iter(runs.values())))
    fig.suptitle(f"Does the critic's Wasserstein estimate track sample quality? (ring, σ = 0.05, {n} seeds)"
                 + (f"\nverdict: {outcome}" if outcome else ""))
    fig.tight_layout()
    return lessons.save(fig, out_dir, "learning_curve.png")


if __name__ == "__main__":
    picture(runs, summary, list(ALGORITHMS), OUT, result["outcome"])
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, eval_every=EVAL_EVERY, algorithms=("wgan", "wgan-gp"), out_dir=None,
        verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    mix = ring_mixture(8, 1.0, 0.05)
    runs, summary = all_curves(algorithms, seeds, steps, eval_every, mix, verbose, say)
    result = {"runs": runs, "summary": summary}
    if set(algorithms) == {"wgan", "wgan-gp"}:
        result.update(decide(summary, seeds, say))
    if out_dir is not None:
        result["figure"] = picture(runs, summary, algorithms, out_dir, result.get("outcome"))
    return result


# %% [markdown]
# ## Try it
#
# Clip harder: set `TRY_CLIP = 0.01` (the paper's c) and run the cell (one run). Expect the clipped critic's
# estimate to shrink towards 0 and its ρ to stay far from −1: a critic clipped that hard is a poor estimator in a
# short run, which is why the gradient penalty replaced clipping.

# %% try it
if __name__ == "__main__":
    TRY_CLIP = 0.0  # try 0.01
    if TRY_CLIP:
        ALGORITHMS["wgan"] = dict(ALGORITHMS["wgan"], clip=TRY_CLIP)
        trial = curve("wgan", 0, STEPS, EVAL_EVERY, mix)
        print(f"clip {TRY_CLIP}: W estimate {trial['wasserstein'][0]:.4g} -> {trial['wasserstein'][-1]:.4g}, "
              f"ρ = {trial['spearman_hq']:+.3f}")
