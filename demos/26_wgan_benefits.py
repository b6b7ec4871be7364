# %% [markdown]
# # 26 · WGAN's promises: stable training, no mode collapse, no tricks needed
#
# **The claim.** Training on the Wasserstein distance, with a critic in place of the discriminator, makes learning
# more stable and gets rid of mode collapse, and it does so for a GAN trained without the usual tricks (no batch
# norm, a plain MLP generator), where the ordinary GAN needs them.
#
# **Where it comes from.** Introduction to Deep Learning IT3320E (Hung Son Nguyen, Hanoi University of Science and
# Technology, 2022), the GAN lecture, the WGAN slides after Algorithm 1: "Improved stability of learning", "Get rid of
# mode collapse", "Meaningful learning curves" (lesson 15) and "GAN without tricks during training". The paper:
# Arjovsky, Chintala & Bottou 2017, "Wasserstein GAN", Section 4.3 (no batch norm, an MLP generator; no collapse seen).
#
# **What this lesson does.** It takes lesson 12's collapsing setting, which is itself a GAN without tricks: the plain
# GAN on the 8-Gaussian ring, MLPs without batch norm, z ~ N(0, I), D judging one point at a time, batch 32, 1,500
# generator steps. From the three seeds on which lesson 12's GAN covered only part of the data on OpenBLAS's SkylakeX
# kernels (2, 4 and 5; 4 and 5 on its Haswell kernels too) it trains, with the same generator and the same batch:
#
# * the **GAN** of lesson 12, again;
# * the **clipped WGAN** of the lecture (Algorithm 1: RMSProp, c = 0.1, lr 5e-4, lesson 15's settings: 10× the
#   paper's to fit a short run; n_critic = 5);
# * **WGAN-GP** (Gulrajani et al. 2017; the 2-D recipe: Adam, λ = 0.1, n_critic = 5).
#
# Every 100 generator steps it measures lesson 12's *effective number of modes* of the realistic samples (8 for an
# even spread, 1 for total collapse) and the share of realistic samples (within 3σ of a centre).
#
# **The rule.** A run *collapses* when it ends with fewer than 5 effective modes (lesson 12's rule). Its *swing* is
# the mean change of the effective modes from one evaluation to the next over the second half of training (a stable
# run changes little). The clipped WGAN keeps its promises when it collapses on none of the three seeds, ends with at
# least the GAN's share of realistic samples (median over seeds) and swings less than the GAN: then the claim holds.
# It holds partly when one of the WGANs collapses on none of the seeds but does not keep all three promises, and does
# not hold here when both WGANs collapse on some seed.
#
# **Run time:** 346 s of CPU (three seeds × three algorithms), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 26` measured it (demos/lesson_times.json, which records the machine's load and the wall
# time beside it: on a shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: lesson 12's GAN and two WGANs beside it
#
# `experiment` builds each from `build_experiment`, with lesson 12's data scale, latent size (2), width (128 × 3),
# prior and batch for all three. The cell prints what each trains with.

# %%
"""Lesson 26: WGAN's promises: stable training, no mode collapse, no tricks needed."""


from __future__ import annotations

from minigan import lessons
from minigan.engine.backend import np
from minigan.gans.recipes import PLAIN_GAN, build_experiment

NAME = "26_wgan_benefits"
SEEDS = (2, 4, 5)  # lesson 12's seeds whose batch-32 GAN covered only part of the data (SkylakeX; 4, 5 Haswell)
STEPS, EVAL_EVERY, BATCH = 1500, 100, 32
PART = 5.0  # fewer effective modes than this: only part of the data (lesson 12's rule)
SETTINGS = {  # lesson 12's GAN; the lecture's clipped WGAN at lesson 15's settings; the 2-D WGAN-GP recipe
    "gan": dict(PLAIN_GAN, data_scale=1.0),
    "wgan": dict(lr=5e-4, clip=0.1, latent_dim=2, prior="normal"),
    "wgan-gp": dict(data_scale=1.0, prior="normal"),
}
LABELS = {"gan": "GAN", "wgan": "clipped WGAN", "wgan-gp": "WGAN-GP"}


def experiment(algorithm, seed):
    return build_experiment(algorithm, "ring", seed=seed, batch_size=BATCH, **SETTINGS[algorithm])


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)
    for _algorithm in SETTINGS:
        _c = experiment(_algorithm, SEEDS[0]).config
        print(f"{LABELS[_algorithm]:>13}: {_c['optimizer']} lr {_c['lr']}, latent {_c['latent_dim']}, hidden "
              f"{tuple(_c['hidden'])}, batch {BATCH}, " + ", ".join(f"{k} {_c[k]}" for k in ("k", "n_critic", "clip",
                                                                                             "lam") if k in _c))


# %% [markdown]
# ## A run, measured as it trains
#
# `train` runs one algorithm from one seed, every `eval_every` steps reading `exp.evaluate`: the effective modes
# 8·exp(−reverse KL) of the realistic samples and their share. `swing` is the mean change between evaluations over
# the second half. The cell: seed 4, the seed of lesson 12's total collapse, for all three.

# %%
def train(algorithm, seed, steps=STEPS, eval_every=EVAL_EVERY, verbose=False):
    exp = experiment(algorithm, seed)
    hist = {"step": [], "effective_modes": [], "high_quality": []}
    for step in lessons.progress(range(1, steps + 1), f"{LABELS[algorithm]}, seed {seed}", verbose):
        exp.train_step(steps)
        if step % eval_every == 0 or step == steps:
            m = exp.evaluate(2500)
            for key, value in zip(hist, (step, float(8 * np.exp(-m["reverse_kl"])), m["high_quality"])):
                hist[key].append(value)
    hist["samples"] = exp.trainer.sample(1000).detach().cpu().numpy()
    hist["modes"] = exp.mixture.modes
    return hist


def swing(hist):
    """The mean |change| of the effective modes between consecutive evaluations over the second half of the run."""
    second = hist["effective_modes"][len(hist["effective_modes"]) // 2:]
    return float(np.mean(np.abs(np.diff(second)))) if len(second) > 1 else 0.0


if __name__ == "__main__":
    first = {}
    for _algorithm in SETTINGS:
        first[_algorithm] = train(_algorithm, 4, verbose=True)
        _h = first[_algorithm]
        print(f"{LABELS[_algorithm]:>13}, seed 4: effective modes {_h['effective_modes'][-1]:.1f}, realistic "
              f"{_h['high_quality'][-1]:.0%}, swing {swing(_h):.2f}")


# %% [markdown]
# ## Every seed
#
# The three seeds for each algorithm (seed 4's runs are the ones above).

# %%
def over_seeds(seeds=SEEDS, steps=STEPS, eval_every=EVAL_EVERY, done=None, verbose=False, say=print):
    runs = {}
    for algorithm in SETTINGS:
        runs[algorithm] = []
        for seed in seeds:
            h = (done or {}).get((algorithm, seed)) or train(algorithm, seed, steps, eval_every, verbose)
            runs[algorithm].append(h)
            say(f"{LABELS[algorithm]:>13}, seed {seed}: {h['effective_modes'][-1]:.1f} effective modes, "
                f"{h['high_quality'][-1]:.0%} realistic, swing {swing(h):.2f}")
    return runs


def summary(runs):
    return {algorithm: {"effective_modes": lessons.spread([h["effective_modes"][-1] for h in hs]),
                        "high_quality": lessons.spread([h["high_quality"][-1] for h in hs]),
                        "swing": lessons.spread([swing(h) for h in hs])} for algorithm, hs in runs.items()}


if __name__ == "__main__":
    runs = over_seeds(done={(a, 4): h for a, h in first.items()}, verbose=True)


# %% [markdown]
# ## The verdict, by the rule stated at the top

# %%
def judge(runs, say=print):
    s = summary(runs)
    collapsed = {a: sum(v < PART for v in s[a]["effective_modes"]["per_seed"]) for a in runs}
    n = len(runs["gan"])
    keeps = {a: collapsed[a] == 0 and s[a]["high_quality"]["median"] >= s["gan"]["high_quality"]["median"]
             and s[a]["swing"]["median"] < s["gan"]["swing"]["median"] for a in ("wgan", "wgan-gp")}
    if keeps["wgan"]:
        outcome = "holds"
    elif collapsed["wgan"] == 0 or collapsed["wgan-gp"] == 0:
        outcome = "holds partly"
    else:
        outcome = "does not hold here"

    def said(a):
        return (f"{LABELS[a]} collapses on {collapsed[a]} of {n} seeds (effective modes "
                f"{', '.join(f'{v:.1f}' for v in s[a]['effective_modes']['per_seed'])}), "
                f"{lessons.span(s[a]['high_quality']['per_seed'])} realistic, swing "
                f"{lessons.show_spread(s[a]['swing'], '.2f')}")

    why = "; ".join(said(a) for a in runs) + (
        ": the clipped WGAN keeps its promises here" if keeps["wgan"] else
        ": the clipped WGAN does not keep all its promises at these settings" + (
            ", WGAN-GP does" if keeps["wgan-gp"] else ""))
    return outcome, lessons.verdict(outcome, why, say), collapsed


if __name__ == "__main__":
    outcome, line, collapsed = judge(runs)


# %% [markdown]
# ## The picture
#
# Top row: each algorithm's effective modes over training, one line per seed (below the dotted line: only part of the
# data). Bottom row: the samples of seed 4 at the end, over the 8 true centres (circles). Read the two rows together:
# the effective modes count only the realistic samples, so a generator whose samples lie around the whole ring but
# off the centres (a blurry one, which had too few steps) counts as collapsed when its few realistic ones cluster.

# %%
def picture(runs, outcome, seeds, out_dir):
    plt = lessons.plt()
    fig, axes = plt.subplots(2, 3, figsize=(15, 8.6))
    at = seeds.index(4) if 4 in seeds else 0
    for col, (algorithm, hs) in enumerate(runs.items()):
        ax = axes[0, col]
        for seed, h in zip(seeds, hs):
            ax.plot(h["step"], h["effective_modes"], marker=".", lw=1.2, label=f"seed {seed}")
        ax.axhline(PART, color="k", ls=":", lw=1, label=f"{PART:.0f}: below, only part")
        ax.set(ylim=(0, 8.5), xlabel="generator step", ylabel="effective modes of the realistic samples",
               title=f"{LABELS[algorithm]}: swing {', '.join(f'{swing(h):.2f}' for h in hs)}")
        ax.legend(fontsize=8, loc="lower right")
        ax = axes[1, col]
        h = hs[at]
        ax.scatter(h["modes"][:, 0], h["modes"][:, 1], s=250, facecolors="none", edgecolors="0.35", lw=1,
                   label="the 8 true modes")
        ax.scatter(h["samples"][:, 0], h["samples"][:, 1], s=3, alpha=0.4, color=f"C{col}", label="G(z), 1000")
        ax.set(xlim=(-1.8, 1.8), ylim=(-1.8, 1.8), xlabel="x₁", ylabel="x₂",
               title=f"seed {seeds[at]}: {h['effective_modes'][-1]:.1f} effective modes, {h['high_quality'][-1]:.0%} "
                     "realistic")
        ax.set_aspect("equal")
        ax.legend(fontsize=8, loc="lower right")
    fig.suptitle(f"verdict: {outcome}: lesson 12's GAN against the clipped WGAN and WGAN-GP, same G, same batch "
                 f"({len(seeds)} seeds)")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "wgan_benefits.png")


if __name__ == "__main__":
    picture(runs, outcome, SEEDS, OUT)


# %% [markdown]
# ## Try it
#
# The paper's own clipping, c = 0.01 with its α = 5e-5: set `TRY = True` and run the cell (one run, seed 4). Expect
# an even slower start: a critic clipped that hard hands G a weak gradient (lesson 15's Try it, from the other side).

# %%
if __name__ == "__main__":
    TRY = False  # try True
    if TRY:
        SETTINGS["wgan"] = dict(SETTINGS["wgan"], lr=5e-5, clip=0.01)
        _h = train("wgan", 4)
        print(f"c = 0.01: {_h['effective_modes'][-1]:.1f} effective modes, {_h['high_quality'][-1]:.0%} realistic")


# %% [markdown]
# ## All of it in one function
#
# `run` chains the cells above, for the tests and `demos/lesson_numbers.py` (which records its numbers).

# %%
def run(steps=STEPS, seeds=SEEDS, eval_every=EVAL_EVERY, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    runs = over_seeds(seeds, steps, eval_every, verbose=verbose, say=say)
    outcome, line, collapsed = judge(runs, say)
    result = {"verdict": line, "outcome": outcome, "collapsed": collapsed,
              **{f"{key}_{a}": v for a, s in summary(runs).items() for key, v in s.items()}}
    if out_dir is not None:
        result["figure"] = picture(runs, outcome, list(seeds), out_dir)
    return result
