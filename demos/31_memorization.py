# %% [markdown]
# # 31 · Do generative models memorize their training set?
#
# **The claim.** A generative model cannot simply store its training images and play them back: it has too few
# parameters to hold them, so it must learn features from which images can be rebuilt. Its samples should then be
# new images, no nearer the training set than fresh real images are.
#
# **Where it comes from.** Security and Fairness of Deep Learning (Anupam Datta, CMU 2018), lecture "Deep generative
# models", slide "Generative model" (why such models cannot memorize, and are forced to learn higher-level
# features).
#
# **What this lesson does.** It trains a VAE and a GAN (MLP networks) on the 1,438 training digits, and the same VAE
# on only 20 of them (two a class), on 3 seeds. For 1,000 samples of each it measures the distance from each sample
# to its nearest training image (`minigan.metrics.memorization_distance`) and sets it against two yardsticks: the
# same distance for the 359 held-out real digits (what a model that draws new digits gives) and for each training
# digit to the rest of the training set. A sample nearer the training set than 95% of the held-out digits is a
# likely copy: a model that draws fresh digits has 5% of them there. It also counts each network's parameters
# against the numbers in its training set (64 pixels an image).
#
# **Run time:** 109 s of CPU (nine trainings), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 31` measured it (demos/lesson_times.json, which records the machine's load and the wall time
# beside it).

# %% [markdown]
# ## Set up: the training set, the held-out set, the models
#
# The digits' fixed split: 1,438 training images and 359 held-out ones, pixels in [0, 1]. The VAE is the recipe of
# `python -m minigan train vae --data digits` (8-D codes, 256-256 MLPs; its samples are the decoder's means of prior
# draws), the GAN the recipe of `train gan --data digits` with MLP networks.

# %% set-up
"""Lesson 31: do generative models memorize their training set?"""

from __future__ import annotations

import time

import minigan
from minigan import lessons
from minigan.data.digits import load_digits
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.metrics import memorization_distance

NAME = "31_memorization"
SEEDS = (0, 1, 2)
STEPS = 1000            # training steps of each model
SAMPLES = 1000          # samples drawn from each model
SMALL = 2               # images a class in the small training set (20 in all)
COPY_QUANTILE = 0.05    # a sample nearer than this quantile of the held-out digits' distances is a likely copy
COPIES = 0.15           # a model "copies" when over this share of its samples are (3x what fresh digits give)
MODELS = ("vae", "gan", "vae_small")
LABEL = {"vae": "VAE, 1,438 digits", "gan": "GAN, 1,438 digits", "vae_small": "VAE, 20 digits"}

TRAIN, TRAIN_LABELS = load_digits("train")
HELD_OUT, _ = load_digits("test")

if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/31_memorization/ by default
    started = time.perf_counter()
    print(f"training set {TRAIN.shape}, held-out set {HELD_OUT.shape}, pixels in [{TRAIN.min()}, {TRAIN.max()}]")


# %% [markdown]
# ## The measurement, on real digits first
#
# `memorization_distance(samples, reference)` is each sample's Euclidean distance to its nearest row of the
# reference set (images flattened to 64 numbers). A copy is at 0. The held-out digits against the training set, and
# each training digit against the others (`leave_one_out=True`), give the distances of images that are not copies.

# %% real digits
def yardsticks(train, held_out) -> dict:
    held = memorization_distance(held_out, train)
    loo = memorization_distance(train, train, leave_one_out=True)
    return {"held_out": held, "train_loo": loo, "threshold": float(np.quantile(held, COPY_QUANTILE))}


if __name__ == "__main__":
    _y = yardsticks(TRAIN, HELD_OUT)
    print(f"held-out digits to the training set: median {np.median(_y['held_out']):.3f}; training digits to the "
          f"others: median {np.median(_y['train_loo']):.3f}; copies of training digits: "
          f"{memorization_distance(TRAIN[:5], TRAIN)} (exactly 0)")
    print(f"a sample nearer than {_y['threshold']:.3f} (the held-out digits' {COPY_QUANTILE:.0%} quantile) counts as "
          "a likely copy")


# %% [markdown]
# ## Parameters against the numbers in the training set
#
# The notes' argument: the network has too few parameters to store the images. Here is the count for each model
# that draws the images (the VAE's decoder, the GAN's G), against 64 numbers per training image.

# %% parameters
def parameters(net) -> int:
    return int(sum(p.numel() for p in net.parameters()))


def generator_sizes() -> dict:
    vae, gan = build_experiment("vae", "digits", seed=0), build_experiment("gan", "digits", seed=0, arch="mlp")
    return {"vae": parameters(vae.trainer.decoder), "gan": parameters(gan.trainer.G),
            "vae_small": parameters(vae.trainer.decoder)}


def set_sizes() -> dict:
    full = int(TRAIN[0].size * len(TRAIN))
    return {"vae": full, "gan": full, "vae_small": int(TRAIN[0].size * 10 * SMALL)}


if __name__ == "__main__":
    _sizes, _data = generator_sizes(), set_sizes()
    for _m in MODELS:
        print(f"{LABEL[_m]:<18}: {_sizes[_m]:,} parameters draw the images; the training set holds {_data[_m]:,} "
              f"numbers (ratio {_sizes[_m] / _data[_m]:.2f})")


# %% [markdown]
# ## Train and measure, one seed
#
# `train` runs one model for `STEPS` minibatches on its training set; `measure` draws `SAMPLES` images and measures
# each one's distance to that training set, with the held-out digits' distances to the same set as the yardstick
# (for the 20-image set the yardstick is the held-out digits against those 20).

# %% one seed
def small_set(seed):
    """Two training digits a class, drawn by the seed: 20 images."""
    rng = np.random.default_rng(seed)
    return np.sort(np.concatenate([rng.choice(np.flatnonzero(TRAIN_LABELS == c), SMALL, replace=False)
                                   for c in range(10)]))


def train(model, seed, steps=STEPS, verbose=False):
    """(trainer, training images in [0, 1]) after ``steps`` minibatches."""
    if model == "gan":
        exp = build_experiment("gan", "digits", seed=seed, arch="mlp")
        for _ in lessons.progress(range(steps), f"seed {seed}, {LABEL[model]}", verbose):
            exp.train_step(total_steps=steps)
        return exp.trainer, TRAIN
    exp = build_experiment("vae", "digits", seed=seed)
    idx = small_set(seed) if model == "vae_small" else np.arange(len(TRAIN))
    images = exp.images[idx]  # the recipe's [−1, 1] images, on the host
    rng = np.random.default_rng(seed)
    device = next(exp.trainer.decoder.parameters()).device

    def sample_real(m):
        return minigan.from_numpy(images[rng.integers(0, len(images), m)]).to(device)

    for _ in lessons.progress(range(steps), f"seed {seed}, {LABEL[model]}", verbose):
        exp.trainer.train_step(sample_real)
    return exp.trainer, TRAIN[idx]


def measure(trainer, train_images, seed) -> dict:
    minigan.manual_seed(10_000 + seed)  # the samples' own draws, apart from training's
    with minigan.no_grad():
        samples = (trainer.sample(SAMPLES).cpu().numpy() + 1) / 2
    y = yardsticks(train_images, HELD_OUT)
    dist, index = memorization_distance(samples, train_images, return_index=True)
    return {"median": float(np.median(dist)), "held_out_median": float(np.median(y["held_out"])),
            "train_loo_median": float(np.median(y["train_loo"])), "threshold": y["threshold"],
            "copies": float((dist < y["threshold"]).mean()), "distances": dist, "held_out": y["held_out"],
            "train_loo": y["train_loo"], "samples": samples[:8], "nearest": train_images[index[:8]]}


def one_seed(seed, steps, verbose, say=print) -> dict:
    out = {}
    for model in MODELS:
        with lessons.Timer() as clock:
            out[model] = measure(*train(model, seed, steps, verbose), seed)
        r = out[model]
        say(f"seed {seed}, {LABEL[model]:<18}: samples to the training set, median {r['median']:.3f} (held-out "
            f"digits {r['held_out_median']:.3f}, training digits to the others {r['train_loo_median']:.3f}); likely "
            f"copies {r['copies']:.1%} ({clock.seconds:.0f} s)")
    return out


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], STEPS, True)]


# %% [markdown]
# ## Verdict: the rule
#
# A model "copies" on a seed when more than 15% of its samples are likely copies (three times the 5% that fresh
# digits give). Per seed: "holds" when no model copies, the 20-image VAE included (the models cannot memorize);
# "holds partly" when the two models trained on all 1,438 digits do not copy but the VAE on 20 digits does (they
# do not memorize here, but they can); "does not hold here" when a model trained on all the digits copies. The
# verdict is the majority over the seeds; the parameter counts say whether "too few parameters" is the reason.

# %% verdict rule
def decide_seed(r) -> str:
    full = any(r[m]["copies"] > COPIES for m in ("vae", "gan"))
    small = r["vae_small"]["copies"] > COPIES
    return "does not hold here" if full else "holds partly" if small else "holds"


def summarise(per_seed, sizes, data, say=print) -> dict:
    outcomes = [decide_seed(r) for r in per_seed]
    outcome, agree = lessons.majority(outcomes)
    copies = {m: lessons.spread([100 * r[m]["copies"] for r in per_seed]) for m in MODELS}
    median = {m: lessons.spread([r[m]["median"] for r in per_seed]) for m in MODELS}
    held = {m: per_seed[0][m]["held_out_median"] for m in MODELS}
    ratio = {m: sizes[m] / data[m] for m in MODELS}
    line = lessons.verdict(outcome, (
        f"likely copies in % (samples nearer the training set than 95% of held-out digits; fresh digits: 5): VAE "
        f"{lessons.show_spread(copies['vae'], '.1f')}, GAN {lessons.show_spread(copies['gan'], '.1f')} on 1,438 "
        f"digits, VAE on 20 digits {lessons.show_spread(copies['vae_small'], '.1f')}; median distance to the "
        f"training set {median['vae']['median']:.2f} (VAE) and {median['gan']['median']:.2f} (GAN) against "
        f"{held['vae']:.2f} for held-out digits, and {median['vae_small']['median']:.2f} against "
        f"{held['vae_small']:.2f} on 20 digits (the first seed's yardstick); "
        f"parameters per number in the training set: {ratio['vae']:.2f} (VAE), {ratio['gan']:.2f} (GAN), "
        f"{ratio['vae_small']:.0f} (VAE, 20 digits); {agree} of {len(per_seed)} seeds say '{outcome}'"), say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree, "per_seed_outcome": outcomes,
            "copies_percent": copies, "median_distance": median, "held_out_median": held, "parameters": sizes,
            "training_numbers": data, "parameter_ratio": ratio}


# %% [markdown]
# ## Over seeds
#
# Two more seeds, all three models, then the verdict by the rule above.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, STEPS, True))
    result = summarise(per_seed, _sizes, _data)


# %% [markdown]
# ## Picture: how far the samples lie from the training set
#
# Top: the distance from each image to its nearest training image, as histograms, for seed 0: held-out real digits
# (grey) and each model's samples; the dashed line is the copy threshold. Left the models trained on all 1,438
# digits, right the VAE trained on 20. Bottom: samples (upper row) over their nearest training image (lower row).

# %% picture
def _pairs(ax, r, title):
    top = np.concatenate(list(r["samples"][:, 0]), axis=1)
    bottom = np.concatenate(list(r["nearest"][:, 0]), axis=1)
    ax.imshow(np.concatenate([top, bottom], axis=0), cmap="gray", vmin=0, vmax=1)
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title, fontsize=9)


def picture(per_seed, result, out_dir):
    plt = lessons.plt()
    fig, axes = plt.subplots(2, 3, figsize=(13, 6.4), gridspec_kw={"height_ratios": [3, 1.2]})
    first = per_seed[0]
    full_ax = plt.subplot2grid((2, 3), (0, 0), colspan=2, fig=fig)
    axes[0, 0].remove()
    axes[0, 1].remove()
    bins = np.linspace(0, 3.5, 50)
    for ax, models in ((full_ax, ("vae", "gan")), (axes[0, 2], ("vae_small",))):
        r0 = first[models[0]]
        ax.hist(r0["held_out"], bins, density=True, color="0.6", alpha=0.7,
                label=f"held-out real digits (median {r0['held_out_median']:.2f})")
        for m, color in zip(models, ("C0", "C1") if len(models) == 2 else ("C3",)):
            ax.hist(first[m]["distances"], bins, density=True, histtype="step", lw=2, color=color,
                    label=f"samples, {LABEL[m]} (median {first[m]['median']:.2f}; copies {first[m]['copies']:.0%})")
        ax.axvline(r0["threshold"], color="k", ls="--", lw=1, label=f"copy threshold {r0['threshold']:.2f}")
        ax.set(xlabel="distance to the nearest training image (pixels in [0, 1])", ylabel="density")
        ax.legend(fontsize=8)
    full_ax.set_title("trained on 1,438 digits: samples as far from the training set as new digits", fontsize=10)
    axes[0, 2].set_title("trained on 20 digits: samples pile up at the training images", fontsize=10)
    for ax, m in zip(axes[1], MODELS):
        _pairs(ax, first[m], f"{LABEL[m]}: samples over their nearest training image")
    fig.suptitle(f"verdict: {result['outcome']} ({result['seeds_agreeing']} of {len(per_seed)} seeds); seed "
                 f"{SEEDS[0]}", fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "memorization.png")


if __name__ == "__main__":
    picture(per_seed, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    sizes, data = generator_sizes(), set_sizes()
    per_seed = [one_seed(seed, steps, verbose, say) for seed in seeds]
    result = summarise(per_seed, sizes, data, say)
    keep = ("median", "held_out_median", "train_loo_median", "threshold", "copies")
    result["per_seed"] = [{m: {k: r[m][k] for k in keep} for m in MODELS} for r in per_seed]
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# Memorizing takes training as well as room. Set `TRY_STEPS = 3000` and run the cell (seed 0's 20-image VAE, about
# half a minute): expect its share of likely copies to rise further (we measured 76% at 1,000 steps, 89% at 3,000)
# and its samples' median distance to the 20 training digits to fall (0.94 to 0.63), as the decoder learns each
# image by heart.

# %% try it
if __name__ == "__main__":
    TRY_STEPS = 0  # try 3000
    if TRY_STEPS:
        trial = measure(*train("vae_small", 0, TRY_STEPS, True), 0)
        print(f"{TRY_STEPS} steps on 20 digits: median distance {trial['median']:.3f}, likely copies "
              f"{trial['copies']:.1%}")
