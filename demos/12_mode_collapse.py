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
# **What this lesson does.** The same ring GAN, the same number of steps, trained from ten seeds with a batch of 32
# and with the recipe's batch of 256. For each run it counts how many of the 8 modes G's realistic samples really
# spread over: the *effective number of modes*, 8·exp(−reverse KL) (8 for an even spread, 1 for total collapse).
#
# **The rule.** A run covers only part of the data when its effective number of modes is below 5. The claim is
# that this is a common outcome, not a rare accident, and the lesson's condition is that a small batch makes it
# likelier; so, on the ten seeds: the claim holds when the batch-32 G covers only part of the data on at least 1/4
# of the seeds AND, paired seed by seed, the batch-256 run spreads over more effective modes than the batch-32 run
# on the median seed (the median of the paired differences, batch 256 minus batch 32, is above 0). It does not hold
# when the batch-32 G covers most of the data on every seed. In between, where only part of the data is covered on
# fewer than 1/4 of the seeds or the larger batch does not spread wider, it holds partly.
#
# **Run time:** 124 s of CPU (ten seeds × two batch sizes), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 12` measured it (demos/lesson_times.json, which records the machine's load and the wall
# time beside it: on a shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: the ring and two batch sizes
#
# The data are 8 Gaussians on a ring (`build_experiment("gan", "ring")`, the lab's recipe). The lesson trains the
# same GAN from the same seeds and for the same number of steps; only the batch size differs (`BATCHES`). The cell
# shows a batch of real points: with 32 of them, D sees about 4 points of each mode per step.

# %%
"""Lesson 12: mode collapse: realistic samples from only part of the data."""


from __future__ import annotations

from pathlib import Path

from minigan import lessons
from minigan.engine.backend import np
from minigan.gans.recipes import PLAIN_GAN, build_experiment

NAME = "12_mode_collapse"
SEEDS = tuple(range(10))
STEPS = 1500
BATCHES = (32, 256)  # 256 is the recipe's batch
PART = 5.0  # fewer effective modes than this: G covers only part of the data
COMMON = 1 / 4  # on at least this share of the seeds, covering only part is no rare accident
# SHORT_RUN: data_scale=1 keeps G and D in the data's own units. The recipe's default rescales them by the
# mixture's spread, which pays off over its 20,000 steps, but not within this lesson's 1,500. And PLAIN_GAN
# (pack=1, prior="normal", d_lr_ratio=1): the plain GAN, whose D judges one point at a time (the recipe's D judges
# pairs, PacGAN's remedy for collapse), whose z ~ N(0, I) (the recipe's z is uniform on a square, which a grid's G
# finds easier) and whose D learns at G's rate.


def experiment(seed, batch_size):
    return build_experiment("gan", "ring", seed=seed, data_scale=1.0, batch_size=batch_size, **PLAIN_GAN)


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)
    _exp = experiment(0, 32)
    _x = _exp.sample_real(32).detach().cpu().numpy()
    _nearest = ((_x[:, None, :] - _exp.mixture.modes[None]) ** 2).sum(-1).argmin(1)
    print(f"a real batch of 32: points per mode {np.bincount(_nearest, minlength=8).tolist()}")


# %% [markdown]
# ## One training step, looked at closely
#
# One step of the ring GAN with batch 32, on a fresh experiment of its own (the runs below start from scratch). Each
# number the step returns, what it means, and how far the step moved each network's weights. With only 32 real
# points per step, D's picture of the ring is patchy, and so is the gradient it hands G: that noise is what can let
# G settle on a few centres.

# %%
if __name__ == "__main__":
    lessons.one_step(_exp.trainer, _exp.sample_real)


# %% [markdown]
# ## A run: one seed, both batch sizes
#
# `train` runs the training loop (`exp.train_step` is one D step then one G step on a fresh batch); with an
# animation it captures a frame of G's samples every 1/40 of the run (the first seed's runs are saved as
# `training_32.gif` and `training_256.gif`). `measure` reads `exp.evaluate`: the *high-quality* samples (within 3σ
# of a centre) per mode, the modes covered, and the reverse KL between how G spreads its good samples and the
# uniform 1/8 of the data, from which the effective number of modes is 8·exp(−KL).

# %%
def train(seed, steps, batch_size, verbose=False, animation=None):
    """The ring GAN; with ``animation`` (a ``TrainingAnimation``) a frame every steps/40 steps."""
    exp = experiment(seed, batch_size)
    if animation is not None:
        animation.capture(exp.trainer)
    for step in lessons.progress(range(1, steps + 1), f"seed {seed}, batch {batch_size}", verbose):
        exp.train_step(steps)
        if animation is not None and step % max(1, steps // 40) == 0:
            animation.capture(exp.trainer)
    return exp


def measure(exp, n_eval=2500, n_samples=1000):
    """The metrics of one trained GAN, and 1,000 of its samples (in this order: the numbers depend on it)."""
    m = exp.evaluate(n_eval)
    r = {k: m[k] for k in ("modes_covered", "high_quality", "reverse_kl", "mode_counts")}
    r["effective_modes"] = float(8 * np.exp(-m["reverse_kl"]))
    return r, exp.trainer.sample(n_samples)


def one_seed(seed, steps=STEPS, out_dir=None, verbose=False, say=print):
    result = {}
    for batch in BATCHES:
        animation = None
        if out_dir is not None:
            from minigan.data.toy2d import parse_dataset
            from minigan.gans.animate import TrainingAnimation

            animation = TrainingAnimation(parse_dataset("ring"), steps, seed=seed)
        with lessons.Timer() as timer:
            exp = train(seed, steps, batch, verbose, animation)
        r, samples = measure(exp)
        r["samples"], r["mixture"] = samples, exp.mixture
        result[batch] = r
        say(f"seed {seed}, batch {batch:>3}: {r['effective_modes']:.1f} effective modes (reverse KL "
            f"{r['reverse_kl']:.3f}), {r['modes_covered']}/8 covered, {r['high_quality']:.0%} high quality; "
            f"high-quality samples per mode {r['mode_counts']} ({timer.seconds:.1f} s)")
        if animation is not None:
            gif = animation.save(Path(out_dir) / f"training_{batch}.gif", title=f"ring GAN, batch {batch}")[0]
            say(f"  animation: {gif}")
    return result


if __name__ == "__main__":
    first = one_seed(SEEDS[0], out_dir=OUT, verbose=True)


# %% [markdown]
# ## The measurement: every seed
#
# Collapse is likely, not certain: the same GAN from another seed (or on another machine, whose rounding moves a
# long training) can end elsewhere. The same pair of runs from each of the ten seeds (the first is the run above).

# %%
def over_seeds(seeds, steps=STEPS, first=None, verbose=False, say=print):
    runs = [first] if first is not None else []
    runs += [one_seed(s, steps, verbose=verbose, say=say) for s in seeds[len(runs):]]
    return runs


def spreads(runs):
    return {b: {k: lessons.spread([r[b][k] for r in runs])
                for k in ("effective_modes", "reverse_kl", "modes_covered", "high_quality")} for b in BATCHES}


if __name__ == "__main__":
    runs = over_seeds(SEEDS, first=first)
    for b, s in spreads(runs).items():
        print(f"batch {b:>3}: effective modes {lessons.show_spread(s['effective_modes'], '.1f')}")


# %% [markdown]
# ## The verdict, by the rule stated at the top
#
# `judge` counts the seeds on which G's realistic samples spread over fewer than 5 effective modes, for each batch
# size, and pairs the two runs of each seed: how many more effective modes the batch-256 run spreads over than the
# batch-32 run from the same seed (negative: fewer).

# %%
def wider(runs):
    """Per seed, the batch-256 run's effective modes minus the batch-32 run's."""
    small, big = BATCHES
    return [r[big]["effective_modes"] - r[small]["effective_modes"] for r in runs]


def judge(runs):
    small, big = BATCHES
    part = {b: [r[b]["effective_modes"] < PART for r in runs] for b in BATCHES}
    eff = {b: [r[b]["effective_modes"] for r in runs] for b in BATCHES}
    diff = lessons.spread(wider(runs))
    common, spreads_wider = sum(part[small]) >= COMMON * len(runs), diff["median"] > 0
    if common and spreads_wider:
        outcome = "holds"
    elif any(part[small]):
        outcome = "holds partly"
    else:
        outcome = "does not hold here"
    why = (f"with batch {small} G's realistic samples cover only part of the data (fewer than {PART:.0f} effective "
           f"modes of 8) on {lessons.tally(part[small])}, with batch {big} on {sum(part[big])}; paired seed by "
           f"seed, batch {big} spreads over {diff['median']:+.1f} effective modes more (median; "
           f"{diff['min']:+.1f} to {diff['max']:+.1f}; more on {sum(d > 0 for d in diff['per_seed'])} of "
           f"{len(runs)} seeds); effective modes per seed {', '.join(f'{v:.1f}' for v in eff[small])} against "
           f"{', '.join(f'{v:.1f}' for v in eff[big])} (lowest: {min(eff[small]):.1f} and {min(eff[big]):.1f}; "
           f"every good sample near one centre when 1.0)")
    return outcome, why, {**{b: sum(part[b]) for b in BATCHES}, "wider": diff}


if __name__ == "__main__":
    outcome, why, counts = judge(runs)
    lessons.verdict(outcome, why)


# %% [markdown]
# ## The picture: the most collapsed run, and every seed's count
#
# Left and middle: the batch-32 and batch-256 runs of the seed where batch 32 collapsed most, 1,000 samples over the
# 8 true centres (circles): a collapsed G puts its dots on one or two circles, each dot realistic on its own. Right:
# the effective number of modes for every seed, a line from its batch-32 run to its batch-256 run (a line that
# rises: the larger batch spread wider). The title is the verdict and its numbers;
# `samples_32.png` and `samples_256.png` show that seed's samples with the 3σ circles that decide "high quality".

# %%
def picture(runs, steps, out_dir, seeds=None):
    plt = lessons.plt()
    outcome, _, counts = judge(runs)
    small, big = BATCHES
    worst = min(range(len(runs)), key=lambda i: runs[i][small]["effective_modes"])
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8))
    for ax, b in zip(axes[:2], BATCHES):
        r = runs[worst][b]
        x, mix = r["samples"].detach().cpu().numpy(), r["mixture"]
        ax.scatter(mix.modes[:, 0], mix.modes[:, 1], s=250, facecolors="none", edgecolors="0.35", lw=1,
                   label="the 8 true modes", zorder=1)
        ax.scatter(x[:, 0], x[:, 1], s=3, alpha=0.4, color="C0", label="G(z), 1000 samples", zorder=2)
        ax.set_title(f"batch {b}, seed {worst}: {r['effective_modes']:.1f} effective modes\n"
                     f"{r['modes_covered']}/8 covered, {r['high_quality']:.0%} HQ, reverse KL {r['reverse_kl']:.2f}",
                     fontsize=10)
        ax.set(xlim=(-1.6, 1.6), ylim=(-1.6, 1.6), xlabel="x₁", ylabel="x₂")
        ax.set_aspect("equal")
        ax.legend(fontsize=8, loc="lower right", markerscale=1)
    ax = axes[2]
    for i, r in enumerate(runs):
        a, b = r[small]["effective_modes"], r[big]["effective_modes"]
        ax.plot([0, 1], [a, b], color="0.6", lw=0.8, zorder=1)
        ax.scatter([0, 1], [a, b], c=["C0", "C1"], s=28, zorder=3)
        ax.annotate(f"s{i if seeds is None else seeds[i]}", (0, a), fontsize=6, xytext=(-5, 0),
                    textcoords="offset points", ha="right", va="center")
    for j, b in enumerate(BATCHES):
        ax.hlines(lessons.spread([r[b]["effective_modes"] for r in runs])["median"], j - 0.2, j + 0.2,
                  color=f"C{j}", lw=2.5)
    ax.axhline(PART, color="k", ls=":", label=f"{PART:.0f}: below, only part of the data")
    ax.set_xticks(range(len(BATCHES)), [f"batch {b}" for b in BATCHES])
    ax.set(xlim=(-0.4, 1.4), ylim=(0, 8.5), ylabel="effective modes, 8·exp(−reverse KL)")
    ax.set_title(f"every seed, paired (bar: median), {steps} steps", fontsize=10)
    ax.legend(fontsize=8, loc="lower right")
    n = len(runs)
    fig.suptitle(f"verdict: {outcome}: only part of the data on {counts[small]} of {n} seeds with batch {small}, on "
                 f"{counts[big]} of {n} with batch {big}; batch {big} spreads over {counts['wider']['median']:+.1f} "
                 f"effective modes more (median paired difference)")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "collapse_vs_coverage.png"), worst


def scatters(runs, worst, out_dir):
    """The worst seed's samples as `viz.scatter_2d` draws them (the picture `python -m minigan train` draws)."""
    from minigan import viz

    return {f"scatter_{b}": viz.scatter_2d(
        runs[worst][b]["samples"], runs[worst][b]["mixture"].modes, str(Path(out_dir) / f"samples_{b}.png"),
        std=runs[worst][b]["mixture"].std,
        title=f"batch {b}, seed {worst}: {runs[worst][b]['effective_modes']:.1f} effective modes") for b in BATCHES}


if __name__ == "__main__":
    _figure, _worst = picture(runs, STEPS, OUT, SEEDS)
    lessons.show(scatters(runs, _worst, OUT)[f"scatter_{BATCHES[0]}"])


# %% [markdown]
# ## Try it
#
# The batch is one knob; D's packing is another. `experiment` passes `PLAIN_GAN`, whose `pack=1` makes D judge one
# point at a time. The recipe's own D judges pairs (PacGAN), which penalises a G whose pairs look alike. Below, the
# same batch-32 training from seed 4 (the lowest above: 2 of 8 modes, 1.7 effective) with `pack=2`: expect many
# more effective modes (measured with OpenBLAS's own kernels: 7.7 against 1.7), but only about one sample in ten of
# high quality (8%) after 1,500 steps: spread wider, not yet sharp.

# %%
if __name__ == "__main__":
    _exp = build_experiment("gan", "ring", seed=4, data_scale=1.0, batch_size=32, **(PLAIN_GAN | {"pack": 2}))
    for _ in range(STEPS):
        _exp.train_step(STEPS)
    _r = measure(_exp)[0]
    print(f"batch 32, pack 2, seed 4: {_r['effective_modes']:.1f} effective modes, {_r['high_quality']:.0%} high "
          "quality")


# %% [markdown]
# ## All of it in one function
#
# `run` chains the cells above, for the tests and `demos/lesson_numbers.py` (which records its numbers).

# %%
def run(steps=STEPS, seeds=SEEDS, out_dir=None, verbose=True, animate=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    first = one_seed(seeds[0], steps, out_dir if animate else None, verbose, say)
    runs = over_seeds(seeds, steps, first, verbose, say)
    outcome, why, counts = judge(runs)
    lessons.verdict(outcome, why, say)
    figs = {}
    if out_dir is not None:
        figs["figure"], worst = picture(runs, steps, out_dir, seeds)
        figs.update(scatters(runs, worst, out_dir))
    s = spreads(runs)
    return {"verdict": outcome, "why": why, "only_part_32": counts[32], "only_part_256": counts[256],
            "more_modes_256": counts["wider"],
            **{f"{k}_{b}": v for b in BATCHES for k, v in s[b].items()}, **figs}
