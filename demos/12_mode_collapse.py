# %% [markdown]
# # 12 · Mode collapse: realistic samples from only part of the data
#
# **The claim.** A GAN's generator can produce convincing samples that cover only a subset of the data distribution,
# in the extreme a single point, and still fool D for a while. This is mode collapse.
#
# **Where it comes from.** CS/DS 552 (Jacob Whitehill), Class 7, slide "Difficulty in training"; Introduction to Deep
# Learning IT3320E (Hung Son Nguyen, Hanoi University of Science and Technology, 2022), the GAN lecture, slide
# "Difficult to train".
#
# **What this lesson does.** The same ring GAN, the same number of steps, trained twice: with a batch of 32 and with
# the recipe's batch of 256. It counts the modes each one covers and the share of samples the most popular mode gets.
#
# **Run time:** 14 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 45 s on one shared with other jobs).

# %% [markdown]
# ## Set up: the ring and two batch sizes
#
# The data are 8 Gaussians on a ring (`build_experiment("gan", "ring")`, the lab's recipe). The lesson trains the
# same GAN twice, from the same seed and for the same number of steps; only the batch size differs (`CONFIGS`).

# %%
"""Lesson 12: mode collapse: realistic samples from only part of the data."""


from __future__ import annotations

from pathlib import Path

from minigan import lessons
from minigan.engine.backend import np
from minigan.gans.recipes import PLAIN_GAN, build_experiment

NAME = "12_mode_collapse"
# A small batch gives D and G noisy gradients: with random seed 0 and 1,500 steps, batches of 4, 8 and 32 collapse
# onto at most 3 centres, while batch 16 happens to reach all 8 (collapse is likely, not certain). Batch 32 is shown.
# SHORT_RUN: data_scale=1 keeps G and D in the data's own units. The recipe's default rescales them by the
# mixture's spread, which pays off over its 20,000 steps, but not within this lesson's 1,500. And PLAIN_GAN
# (pack=1, prior="normal", d_lr_ratio=1): the plain GAN, whose D judges one point at a time (the recipe's D judges
# pairs, PacGAN's remedy for collapse), whose z ~ N(0, I) (the recipe's z is uniform on a square, which a grid's G
# finds easier) and whose D learns at G's rate.
CONFIGS = {"collapses (batch 32)": dict(batch_size=32), "covers (batch 256, the recipe)": dict(batch_size=256)}


# %% [markdown]
# `train` builds one experiment and runs its training loop: `exp.train_step` is one D step then one G step on a
# fresh batch. With an animation it also captures a frame of G's samples every 1/40 of the run.

# %%
def train(seed, steps, verbose=False, desc="training", animation=None, **config):
    """The ring GAN; with ``animation`` (a ``TrainingAnimation``) a frame every steps/40 steps."""
    exp = build_experiment("gan", "ring", seed=seed, data_scale=1.0, **PLAIN_GAN, **config)  # SHORT_RUN
    if animation is not None:
        animation.capture(exp.trainer)
    for step in lessons.progress(range(1, steps + 1), desc, verbose):
        exp.train_step(steps)
        if animation is not None and step % max(1, steps // 40) == 0:
            animation.capture(exp.trainer)
    return exp


# %% [markdown]
# ## One training step, looked at closely
#
# Before the full run: one step of the ring GAN with batch 32, on a fresh experiment of its own (the run below
# starts from scratch). Each number the step returns, what it means, and how far the step moved each network's
# weights. At the start D cannot tell real from fake, so its outputs sit near ½; every later step of the run is
# this one, repeated. With only 32 real points per step, D's picture of the ring is patchy, and so is the
# gradient it hands G: that noise is what lets G settle on a few centres.

# %% one step
if __name__ == "__main__":
    _exp = build_experiment("gan", "ring", seed=0, data_scale=1.0, **PLAIN_GAN, batch_size=32)
    lessons.one_step(_exp.trainer, _exp.sample_real)


# %% [markdown]
# ## Measure: modes covered, and where the samples go
#
# After training, `exp.evaluate` counts the *high-quality* samples (within 3σ of a centre) per mode: a mode is
# covered when it gets enough of them, and the reverse KL compares how G spreads its good samples with the
# uniform 1/8 of the data. Quality aside, the second measure asks only which centre is nearest to each of 1,000
# samples: a collapsed G sends most of them to one centre (`largest_mode_share` near 100%).

# %%
def measure(exp, n_eval=2500, n_samples=1000):
    """The metrics of one trained GAN, and 1,000 of its samples (in this order: the numbers depend on it)."""
    m = exp.evaluate(n_eval)
    result = {k: m[k] for k in ("modes_covered", "high_quality", "reverse_kl", "mode_counts")}
    samples = exp.trainer.sample(n_samples)
    # ignoring quality: which centre is nearest to each sample, and how many centres get >= 2% of them
    x = np.asarray(samples.detach().cpu().numpy(), dtype=np.float64)
    nearest = ((x[:, None, :] - exp.mixture.modes[None]) ** 2).sum(-1).argmin(1)
    share = np.bincount(nearest, minlength=8) / len(nearest)
    result["modes_reached"] = int((share >= 0.02).sum())
    result["largest_mode_share"] = float(share.max())
    return result, samples


def report(name, r, seconds, say=print):
    say(f"{name:<32} {r['modes_covered']}/8 modes, {r['high_quality']:6.1%} high quality, reverse KL "
        f"{r['reverse_kl']:.3f}, high-quality samples per mode {r['mode_counts']} ({seconds:.1f} s)")
    say(f"{'':<32} ignoring quality: {r['modes_reached']} centres are the nearest for >= 2% of "
        f"the samples; the most common one gets {r['largest_mode_share']:.0%}")


# %% [markdown]
# ## Run: both batch sizes, from the same seed
#
# 1,500 steps each. With an output folder, a `TrainingAnimation` records a frame every 1/40 of the run, so the
# collapse can be watched (`training_0.gif` for batch 32, `training_1.gif` for batch 256).

# %%
def train_both(steps, seed, out_dir, verbose, animate, say=print):
    results, samples, animations = {}, {}, {}
    for name, config in CONFIGS.items():
        if out_dir is not None and animate:
            from minigan.data.toy2d import parse_dataset
            from minigan.gans.animate import TrainingAnimation

            animations[name] = TrainingAnimation(parse_dataset("ring"), steps, seed=seed)
        with lessons.Timer() as timer:
            exp = train(seed, steps, verbose, name, animations.get(name), **config)
        results[name], s = measure(exp)
        samples[name] = (s, exp.mixture)
        report(name, results[name], timer.seconds, say)
    return results, samples, animations


# %% [markdown]
# ## Picture: the samples over the 8 true modes
#
# One panel per batch size: the circles are the true centres, the dots 1,000 samples of G. A collapsed G puts
# its dots on one or two circles, each dot realistic on its own; the healthy one rings all eight.

# %%
def picture(samples, results, steps, out_dir):
    plt = lessons.plt()
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.8))
    for ax, (name, (s, mix)) in zip(axes, samples.items()):
        x, r = s.detach().cpu().numpy(), results[name]
        ax.scatter(mix.modes[:, 0], mix.modes[:, 1], s=250, facecolors="none", edgecolors="0.35", lw=1,
                   label="the 8 true modes", zorder=1)
        ax.scatter(x[:, 0], x[:, 1], s=3, alpha=0.4, color="C0", label="G(z), 1000 samples", zorder=2)
        ax.set_title(f"{name}\n{r['modes_covered']}/8 modes, {r['high_quality']:.0%} HQ, "
                     f"reverse KL {r['reverse_kl']:.2f}", fontsize=10)
        ax.set_xlim(-1.6, 1.6)
        ax.set_ylim(-1.6, 1.6)
        ax.set_aspect("equal")
        ax.set_xlabel("x₁")
        ax.set_ylabel("x₂")
        ax.legend(fontsize=8, loc="lower right", markerscale=1)
    fig.suptitle(f"Mode collapse: the same GAN, {steps} steps, batch 32 against batch 256")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "collapse_vs_coverage.png")


# %% [markdown]
# Beside the comparison: each run's samples drawn by `viz.scatter_2d` (the picture `python -m minigan train` draws,
# with the 3σ circles that decide "high quality"), and the two GIFs of training.

# %%
def figures(samples, results, animations, steps, out_dir, say=print):
    """The comparison figure, one scatter per run (viz.scatter_2d, as the lab draws) and the GIFs."""
    from minigan import viz

    figs = {}
    for i, (name, (s, mix)) in enumerate(samples.items()):
        r = results[name]
        figs[f"scatter_{i}"] = viz.scatter_2d(
            s, mix.modes, str(Path(out_dir) / f"samples_{i}.png"), std=mix.std,
            title=f"{name}: {r['modes_covered']}/8 modes, KL {r['reverse_kl']:.2f}")
    figs["figure"] = picture(samples, results, steps, out_dir)
    for i, (name, animation) in enumerate(animations.items()):
        figs[f"animation_{i}"] = animation.save(Path(out_dir) / f"training_{i}.gif", title=f"ring GAN, {name}")[0]
        say(f"animation: {figs[f'animation_{i}']}")
    return figs


# %% [markdown]
# ## Verdict
#
# The claim holds when the small batch reaches at most 3 centres (quality aside) while the recipe's batch covers
# all 8 modes.

# %%
def verdict(collapsed, covered, say):
    if collapsed["modes_reached"] <= 3 and covered["modes_covered"] == 8:
        return lessons.verdict(
            "holds", f"with batch 32 G puts {collapsed['largest_mode_share']:.0%} of its samples near one centre "
            f"({collapsed['modes_covered']}/8 modes, reverse KL {collapsed['reverse_kl']:.2f}); the same GAN with "
            f"batch 256 covers {covered['modes_covered']}/8 (reverse KL {covered['reverse_kl']:.3f})", say)
    return lessons.verdict("does not hold here", f"batch 32 reaches {collapsed['modes_reached']} centres, batch "
                           f"256 covers {covered['modes_covered']}/8 modes", say)


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the steps above (train both, figures, verdict); the test suite and `python demos/12_mode_collapse.py`
# call it.

# %% the demo
def run(steps=1500, seed=0, out_dir=None, verbose=True, animate=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    results, samples, animations = train_both(steps, seed, out_dir, verbose, animate, say)
    figs = figures(samples, results, animations, steps, out_dir, say) if out_dir is not None else {}
    collapsed, covered = results[list(CONFIGS)[0]], results[list(CONFIGS)[1]]
    return {"verdict": verdict(collapsed, covered, say), "collapsed": collapsed, "covered": covered, **figs}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/12_mode_collapse/` (and shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
