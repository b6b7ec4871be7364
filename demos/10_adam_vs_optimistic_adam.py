# %% [markdown]
# # 10 · Adam vs Optimistic Adam on the ring
#
# **The claim.** Adding the optimistic correction to Adam (step with twice the current update minus the previous one)
# damps the oscillations of GAN training and makes it more stable.
#
# **Where it comes from.** Introduction to Deep Learning IT3320E (Hung Son Nguyen, Hanoi University of Science and
# Technology, 2022), the GAN lecture, slide "Optimistic ADAM".
#
# **What this lesson does.** The ring GAN, short runs on three random seeds, only the optimizer changes. For each seed
# it reports modes covered, % high quality, reverse KL and how much D's loss oscillates in the second half, and shows
# every seed, not only the mean.
#
# **Run time:** 25 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 95 s on one shared with other jobs).

# %% [markdown]
# ## Set up: one GAN, two optimizers
#
# The ring GAN (8 Gaussians on a circle), built by `minigan.gans.recipes.build_experiment`; only its `optimizer`
# changes. Adam steps by its direction d_t = m̂_t/(√v̂_t + ε); Optimistic Adam (Daskalakis et al. 2018, Algorithm 1)
# steps by 2·d_t − d_{t−1}: it extrapolates, so when the game starts to circle, yesterday's direction cancels part of
# today's and the swing is damped (`minigan/optim/optimistic_adam.py` shows the update line by line).

# %%
"""Lesson 10: adam vs Optimistic Adam on the ring."""


from __future__ import annotations

from pathlib import Path

from minigan import lessons
from minigan.engine.backend import np
from minigan.gans.recipes import PLAIN_GAN, build_experiment

NAME = "10_adam_vs_optimistic_adam"
OPTIMIZERS = ("adam", "optimistic-adam")


# %% [markdown]
# `train` runs one GAN and keeps what every step reports (`train_step` returns D's and G's losses and D's mean
# outputs); with an animation it captures a frame of G's samples every 1/40 of the run.

# %%
def train(optimizer, seed, steps, verbose=False, animation=None):
    """One ring GAN; with ``animation`` (a ``TrainingAnimation``) a frame every steps/40 steps."""
    exp = build_experiment("gan", "ring", optimizer=optimizer, seed=seed, data_scale=1.0,
                           **PLAIN_GAN)  # see SHORT_RUN in lesson 12
    hist = []
    if animation is not None:
        animation.capture(exp.trainer)
    for step in lessons.progress(range(1, steps + 1), f"seed {seed}, {optimizer}", verbose):
        hist.append(exp.train_step(steps))
        if animation is not None and step % max(1, steps // 40) == 0:
            animation.capture(exp.trainer)
    return exp, hist


# %% [markdown]
# ## One training step, looked at closely
#
# Before the full run: one step of the ring GAN with Optimistic Adam, on a fresh experiment of its own (the run
# below starts from scratch). Each number the step returns, what it means, and how far the step moved each
# network's weights. On this first step d_{t−1} is 0, so Optimistic Adam moves by 2·d_1: twice as far as Adam would.
# From then on the two differ only by the correction −d_{t−1}.

# %% one step
if __name__ == "__main__":
    _exp = build_experiment("gan", "ring", optimizer="optimistic-adam", seed=0, data_scale=1.0, **PLAIN_GAN)
    lessons.one_step(_exp.trainer, _exp.sample_real)


# %% [markdown]
# ## Measure: coverage, and how much training oscillates
#
# Coverage comes from `exp.evaluate` (modes covered, share of high-quality samples, reverse KL against the uniform
# 1/8 per mode). Stability is the standard deviation of D's loss and of D(G(z)) over the second half of training:
# a game that circles makes these swing; a damped one keeps them steady.

# %%
def measure(exp, hist, steps):
    m = exp.evaluate(2500)
    half = hist[steps // 2:]
    return {"modes_covered": m["modes_covered"], "high_quality": m["high_quality"], "reverse_kl": m["reverse_kl"],
            "loss_d_std": float(np.std([h["loss_d"] for h in half])),
            "d_fake_std": float(np.std([h["d_fake"] for h in half])),
            "loss_g": [h["loss_g"] for h in hist], "loss_d": [h["loss_d"] for h in hist]}


# %% [markdown]
# ## Run: three seeds × two optimizers
#
# 800 steps each. One seed can favour either optimizer by luck, so every seed is printed, not only the mean. The
# first seed's two trainings are also recorded as GIFs (`training_adam.gif`, `training_optimistic-adam.gif`).

# %%
def train_all(steps, seeds, out_dir, verbose, animate, say=print):
    runs, animations = {o: [] for o in OPTIMIZERS}, {}
    for seed in seeds:
        for o in OPTIMIZERS:
            if out_dir is not None and animate and seed == seeds[0]:  # watch the first seed: training_<o>.gif
                from minigan.data.toy2d import parse_dataset
                from minigan.gans.animate import TrainingAnimation

                animations[o] = TrainingAnimation(parse_dataset("ring"), steps, seed=seed)
            with lessons.Timer() as timer:
                exp, hist = train(o, seed, steps, verbose, animations.get(o) if seed == seeds[0] else None)
                r = measure(exp, hist, steps)
            runs[o].append(r)
            say(f"seed {seed} {o:<16} {r['modes_covered']}/8 modes, {r['high_quality']:6.1%} HQ, reverse KL "
                f"{r['reverse_kl']:.3f}; 2nd-half std: loss_D {r['loss_d_std']:.3f}, D(G(z)) {r['d_fake_std']:.3f}"
                f" ({timer.seconds:.1f} s)")
    return runs, animations


# %% [markdown]
# ## The mean over seeds, and the verdict
#
# The claim holds when Optimistic Adam does at least as well on all three counts (modes, reverse KL, std of D's
# loss), partly when on some. Three short runs are a small sample, and the verdict says so.

# %%
def summarize(runs, say=print):
    summary = {}
    for o in OPTIMIZERS:
        summary[o] = {k: float(np.mean([r[k] for r in runs[o]]))
                      for k in ("modes_covered", "high_quality", "reverse_kl", "loss_d_std", "d_fake_std")}
        s = summary[o]
        say(f"mean over seeds {o:<16} {s['modes_covered']:.2f}/8 modes, {s['high_quality']:.1%} HQ, reverse KL "
            f"{s['reverse_kl']:.3f}, loss_D std {s['loss_d_std']:.3f}, D(G(z)) std {s['d_fake_std']:.3f}")
    return summary


def decide(summary, runs, seeds, say=print):
    a, b = summary["adam"], summary["optimistic-adam"]
    better = [a["modes_covered"] <= b["modes_covered"], a["reverse_kl"] >= b["reverse_kl"],
              a["loss_d_std"] >= b["loss_d_std"]]
    outcome = "holds" if all(better) else ("holds partly" if any(better) else "does not hold here")
    per_seed = "; ".join(f"{o}: " + ", ".join(str(r["modes_covered"]) for r in runs[o]) for o in OPTIMIZERS)
    return lessons.verdict(
        outcome, f"over seeds {', '.join(map(str, seeds))} Optimistic Adam covers {b['modes_covered']:.1f}/8 modes "
        f"(reverse KL {b['reverse_kl']:.3f}, std of D's loss {b['loss_d_std']:.3f}) against Adam's "
        f"{a['modes_covered']:.1f}/8 ({a['reverse_kl']:.3f}, {a['loss_d_std']:.3f}); modes per seed {per_seed}. "
        f"{len(seeds)} short runs are a small sample", say)


# %% [markdown]
# ## Picture: every seed, not only the mean
#
# Left: D's loss over training (a 25-step moving average), one line per run. Middle and right: modes covered and
# reverse KL, one dot per seed (labelled s0, s1, ...) and a bar at the mean.

# %%
def draw_per_seed(ax, runs, summary, seeds, key):
    offsets = np.linspace(-0.12, 0.12, len(seeds))
    for j, (o, color) in enumerate(zip(OPTIMIZERS, ("C0", "C1"))):
        for i, (seed, r) in enumerate(zip(seeds, runs[o])):
            ax.plot(j + offsets[i], r[key], "o", color=color, ms=8)
            ax.annotate(f"s{seed}", (j + offsets[i], r[key]), fontsize=7, xytext=(0, 7),
                        textcoords="offset points", ha="center")
        ax.hlines(summary[o][key], j - 0.25, j + 0.25, color=color, lw=2)
    ax.set_xticks(range(len(OPTIMIZERS)), OPTIMIZERS)
    ax.set_xlim(-0.5, len(OPTIMIZERS) - 0.5)


# %% [markdown]
# `draw_per_seed` above draws one panel of dots; `picture` puts the loss curves and both panels together.

# %%
def picture(runs, summary, seeds, steps, out_dir, k=25):
    plt = lessons.plt()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4))
    styles = ("-", "--", ":", "-.")
    for o, color in zip(OPTIMIZERS, ("C0", "C1")):
        for i, (seed, r) in enumerate(zip(seeds, runs[o])):
            smooth = np.convolve(r["loss_d"], np.ones(k) / k, mode="valid")
            axes[0].plot(smooth, color=color, ls=styles[i % len(styles)], alpha=0.85, lw=1, label=f"{o}, seed {seed}")
    axes[0].set(xlabel="GAN step", ylabel=f"loss_D ({k}-step moving average)", title="D's loss: every seed")
    axes[0].legend(fontsize=7, ncol=2)
    draw_per_seed(axes[1], runs, summary, seeds, "modes_covered")
    axes[1].set(ylim=(0, 9.2), ylabel="modes covered (of 8)")
    axes[1].set_title(f"modes after {steps} steps: dots = seeds s0, s1, ..., bar = mean", fontsize=10)
    draw_per_seed(axes[2], runs, summary, seeds, "reverse_kl")
    axes[2].set(yscale="log", ylabel="reverse KL (lower is better)")
    axes[2].set_title("reverse KL: dots = seeds, bar = mean", fontsize=10)
    fig.suptitle(f"Adam vs Optimistic Adam on the ring, {len(seeds)} seeds each, only the optimizer differs")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "adam_vs_optimistic.png")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the steps above: train all, summarise, decide, draw, and save the GIFs.

# %% the demo
def run(steps=800, seeds=(0, 1, 2), out_dir=None, verbose=True, animate=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    runs, animations = train_all(steps, seeds, out_dir, verbose, animate, say)
    summary = summarize(runs, say)
    line = decide(summary, runs, seeds, say)
    figs = {}
    if out_dir is not None:
        figs["figure"] = picture(runs, summary, seeds, steps, out_dir)
        for o, animation in animations.items():
            figs[f"animation_{o}"] = animation.save(Path(out_dir) / f"training_{o}.gif",
                                                    title=f"ring GAN, {o}, seed {seeds[0]}")[0]
            say(f"animation: {figs[f'animation_{o}']}")
    per_seed_results = {o: [{k: v for k, v in r.items() if k not in ("loss_g", "loss_d")} for r in runs[o]]
                        for o in OPTIMIZERS}
    return {"verdict": line, "summary": summary, "per_seed": per_seed_results, **figs}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/10_adam_vs_optimistic_adam/` (and shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
