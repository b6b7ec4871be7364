# %% [markdown]
# # 33 · One conditional GAN or ten GANs, one per class?
#
# **The claim.** To draw digits of a chosen class one could train a separate GAN on each class. A single
# conditional GAN, given the class as an input, is better: what the classes have in common (a dark background,
# strokes of one width, where a digit sits in the frame) it learns once from all the data instead of ten times from
# a tenth of it. The sharing should matter most when each class has few examples.
#
# **Where it comes from.** CS/DS 552 (Jacob Whitehill), Class 7, slide "Conditional GANs", whose third question asks
# why a cGAN is better than a separate GAN for each class, and answers: it shares knowledge across the classes.
# The conditional GAN: Mirza & Osindero 2014, "Conditional Generative Adversarial Nets". Lesson 14 shows the other
# two answers of that slide (the label in G, the label in D).
#
# **What this lesson does.** On the bundled 8×8 digits it trains, with the same training budget, one conditional GAN
# (`minigan.gans.CGAN`, 2,000 steps) and ten GANs (`minigan.gans.GAN`), one per class (200 steps each: 2,000 in
# all, each step on a batch of 64 images as the cGAN's), all with the same MLP width. It does so twice: on the whole
# training split (about 144 digits a class) and on 10 digits a class. Each model then draws 100 digits of each class,
# and the reference classifier (the digits CNN every lesson uses) judges them: the share drawn as the class they
# were asked for, and the Fréchet distance of the 1,000 draws from real digits in the classifier's features (lower
# is better; it falls only when the draws are both like digits and as varied as they). Three seeds.
#
# **Run time:** 230 s of CPU (3 seeds, both data sizes), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 33` measured it (demos/lesson_times.json, which records the machine's load and the wall
# time beside it).

# %% [markdown]
# ## Set up: the same budget two ways
#
# `build_experiment("cgan", "digits", arch="mlp", ...)` builds lesson 14's conditional GAN (MLPs; the one-hot
# label goes into G and into D); `build_experiment("gan", "digits", ...)` the same networks without the label. Each
# gets its own data: the cGAN all the chosen digits with their labels, the GAN of class c only the digits of c.

# %% set-up
"""Lesson 33: one conditional GAN or ten GANs, one per class?"""

from __future__ import annotations

import time

import minigan
from minigan import lessons
from minigan.classifier import predict_logits, reference_classifier
from minigan.data.digits import load_digits
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.metrics.images import image_metrics
from minigan.surface import random

NAME = "33_one_cgan_vs_per_class"
SEEDS = (0, 1, 2)
STEPS = 2000  # the whole budget: the cGAN's steps, and the ten GANs' together
SIZES = (None, 10)  # digits a class: all of the training split, then 10
PER_CLASS = 100  # draws of each class judged
SETTINGS = dict(arch="mlp", lr=2e-3, batch_size=64, hidden=(128, 128))


def choose(x, y, per_class, seed):
    """The training digits a run sees: all of them, or ``per_class`` of each class drawn with ``seed``."""
    if per_class is None:
        return x, y
    rng = np.random.default_rng(seed)
    idx = np.concatenate([rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in range(10)])
    return x[idx], y[idx]


def sampler(images, labels=None):
    """``sample_real(m)``: m of ``images`` (with replacement, minigan's seeded stream), with their labels when given
    (the cGAN's batches) or without (a class's GAN)."""
    def sample_real(m):
        idx = random.randint(0, images.shape[0], (m,), xp=np)
        x = minigan.from_numpy(backend.asarray(images[idx], xp=backend.active_module()))
        return x if labels is None else (x, backend.asarray(labels[idx], xp=backend.active_module()))
    return sample_real


def size_name(per_class):
    return "all digits" if per_class is None else f"{per_class} a class"


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/33_one_cgan_vs_per_class/ by default
    started = time.perf_counter()
    train_x, train_y = load_digits("train", scale="pm1")
    print(f"{len(train_x)} training digits, per class: {np.bincount(train_y).tolist()}")
    print(build_experiment("cgan", "digits", seed=0, steps=STEPS, **SETTINGS).trainer.G)


# %% [markdown]
# ## Run: one cGAN, then ten GANs
#
# Both follow the recipe's learning-rate schedule over their own budget (2,000 steps for the cGAN, 200 for each
# class's GAN). Then each draws 100 digits of every class: the cGAN when asked for class c, the GAN of class c.

# %% run
def train_cgan(x, y, seed, steps, verbose=False):
    exp = build_experiment("cgan", "digits", seed=seed, steps=steps, **SETTINGS)
    exp.sample_real = sampler(x, y)
    for _ in lessons.progress(range(steps), f"seed {seed}: one cGAN", verbose):
        exp.train_step()
    labels = np.repeat(np.arange(10), PER_CLASS)
    with minigan.no_grad():
        fake = exp.trainer.sample(len(labels), labels=backend.asarray(labels, xp=backend.active_module()))
    return (fake.cpu().numpy() + 1) / 2


def train_per_class(x, y, seed, steps, verbose=False):
    fakes = []
    for c in lessons.progress(range(10), f"seed {seed}: ten GANs", verbose):
        exp = build_experiment("gan", "digits", seed=seed, steps=steps // 10, **SETTINGS)
        exp.sample_real = sampler(x[y == c])
        for _ in range(steps // 10):
            exp.train_step()
        with minigan.no_grad():
            fakes.append((exp.trainer.sample(PER_CLASS).cpu().numpy() + 1) / 2)
    return np.concatenate(fakes)


# %% [markdown]
# ## Measure: what the reference classifier says of the draws
#
# For each class: the share of its 100 draws the classifier puts in that class, and its mean confidence in that
# class (the softmax probability). Over all 1,000 draws: the Fréchet distance to real digits (`image_metrics`: the
# draws against half of the 1,797 digits; its floor, two halves of real digits, is about 16) and the recall (the
# share of real digits with a draw near them in feature space: 0 when every draw is one of a few images).

# %% measure
def judge(fake01, judge_model, real01) -> dict:
    labels = np.repeat(np.arange(10), PER_CLASS)
    m = image_metrics(judge_model, fake01, real01, intended_labels=labels)
    logits = predict_logits(judge_model, fake01)
    logits = logits - logits.max(1, keepdims=True)
    prob = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    right = prob.argmax(1) == labels
    return {"accuracy": m["conditional_accuracy"], "frechet": m["frechet_distance"], "recall": m["recall"],
            "precision": m["precision"],
            "class_accuracy": [float(right[labels == c].mean()) for c in range(10)],
            "class_confidence": [float(prob[labels == c, c].mean()) for c in range(10)], "samples": fake01}


def one_seed(seed, steps, per_class, judge_model, real01, verbose=False, say=print) -> dict:
    x, y = choose(*load_digits("train", scale="pm1"), per_class, seed)
    out = {}
    for model, fit in (("cgan", train_cgan), ("per_class", train_per_class)):
        with lessons.Timer() as clock:
            out[model] = judge(fit(x, y, seed, steps, verbose), judge_model, real01)
        r = out[model]
        say(f"seed {seed}, {size_name(per_class):<10}, {'one cGAN' if model == 'cgan' else 'ten GANs':<8}: "
            f"{r['accuracy']:.1%} drawn as the class asked for; Fréchet {r['frechet']:.0f}, recall "
            f"{r['recall']:.2f} ({clock.seconds:.0f} s)")
    return out


if __name__ == "__main__":
    judge_model = reference_classifier("cnn")  # trained once (seconds) on first use, then loaded from the cache
    real01, _ = load_digits("all", scale="01")
    per_seed = {size: [one_seed(SEEDS[0], STEPS, size, judge_model, real01, verbose=True)] for size in SIZES}


# %% [markdown]
# ## Verdict: the rule
#
# At each data size a seed counts for the cGAN when its 1,000 draws have the lower Fréchet distance. The claim
# holds when the cGAN wins on a majority of the seeds at both sizes and its advantage (the ten GANs' Fréchet
# distance over the cGAN's, median over seeds) is larger at 10 digits a class than on all of them; holds partly
# when the cGAN wins on a majority of seeds at one size or more; else it does not hold here.

# %% verdict rule
def summarise(per_seed, say=print) -> dict:
    sizes = {}
    for size, runs in per_seed.items():
        n = len(runs)
        wins = sum(r["cgan"]["frechet"] < r["per_class"]["frechet"] for r in runs)
        sizes[size_name(size)] = {
            "cgan_wins": wins, "seeds": n, "cgan_wins_majority": 2 * wins > n,
            "ratio": lessons.spread([r["per_class"]["frechet"] / r["cgan"]["frechet"] for r in runs]),
            **{f"{key}_{m}": lessons.spread([r[m][key] for r in runs])
               for key in ("frechet", "accuracy", "recall") for m in ("cgan", "per_class")}}
    few, full = sizes[size_name(list(per_seed)[-1])], sizes[size_name(list(per_seed)[0])]  # SIZES' order
    if few["cgan_wins_majority"] and full["cgan_wins_majority"] and few["ratio"]["median"] > full["ratio"]["median"]:
        outcome = "holds"
    elif few["cgan_wins_majority"] or full["cgan_wins_majority"]:
        outcome = "holds partly"
    else:
        outcome = "does not hold here"
    line = lessons.verdict(outcome, "; ".join(
        f"{name}: Fréchet one cGAN {s['frechet_cgan']['median']:.0f}, ten GANs {s['frechet_per_class']['median']:.0f}"
        f" (medians; the cGAN lower on {s['cgan_wins']} of {s['seeds']} seeds, ratio "
        f"{lessons.show_spread(s['ratio'], '.2f')}), drawn as the class asked for "
        f"{s['accuracy_cgan']['median']:.0%} and {s['accuracy_per_class']['median']:.0%}, recall "
        f"{s['recall_cgan']['median']:.2f} and {s['recall_per_class']['median']:.2f}"
        for name, s in sizes.items()), say)
    return {"verdict": line, "outcome": outcome, "sizes": sizes}


# %% [markdown]
# ## Over seeds
#
# Two more seeds at both sizes (new weights, new batches and, at 10 a class, other digits), then the verdict.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        for size in SIZES:
            per_seed[size].append(one_seed(seed, STEPS, size, judge_model, real01))
    result = summarise(per_seed)


# %% [markdown]
# ## Picture: the draws, and the numbers per class
#
# Top: seed 0's draws at 10 digits a class, one row per class, from the cGAN (left) and the ten GANs (right). Bottom
# left: per class, the share of draws the classifier puts in the class asked for (seed 0, both sizes). Bottom right:
# the Fréchet distance of every seed, both models, both sizes.

# %% picture
def picture(per_seed, result, out_dir, steps=STEPS, seed=SEEDS[0]):
    plt = lessons.plt()
    sizes = list(per_seed)  # SIZES, or those a shorter run measured
    fig = plt.figure(figsize=(12, 8))
    grid = fig.add_gridspec(2, 2, height_ratios=(1.1, 1))
    few = per_seed[sizes[-1]][0]
    for j, (model, title) in enumerate((("cgan", "one cGAN"), ("per_class", "ten GANs, one per class"))):
        ax = fig.add_subplot(grid[0, j])
        s = few[model]["samples"].reshape(10, PER_CLASS, 8, 8)[:, :10]
        ax.imshow(np.concatenate([np.concatenate(list(row), axis=1) for row in s], axis=0), cmap="gray_r",
                  vmin=0, vmax=1, interpolation="nearest", aspect="equal")
        ax.grid(False)
        ax.set_yticks([4 + 8 * c for c in range(10)])
        ax.set_yticklabels(range(10))
        ax.set_xticks([])
        ax.set(ylabel="class asked for",
               title=f"{title}, {size_name(sizes[-1])}, seed {seed}: Fréchet {few[model]['frechet']:.0f}, "
                     f"recall {few[model]['recall']:.2f}")
    ax = fig.add_subplot(grid[1, 0])
    width = 0.2
    for k, (size, model) in enumerate([(s, m) for s in sizes for m in ("cgan", "per_class")]):
        ax.bar(np.arange(10) + (k - 1.5) * width, per_seed[size][0][model]["class_accuracy"], width,
               label=f"{'one cGAN' if model == 'cgan' else 'ten GANs'}, {size_name(size)}")
    ax.set_xticks(range(10))
    ax.set(xlabel="class asked for", ylabel="share drawn as that class", ylim=(0, 1.05),
           title=f"seed {seed}: the reference classifier on 100 draws a class")
    ax.legend(fontsize=7, loc="lower left")
    ax = fig.add_subplot(grid[1, 1])
    for i, size in enumerate(sizes):
        for k, (model, colour) in enumerate((("cgan", "tab:blue"), ("per_class", "tab:orange"))):
            values = [r[model]["frechet"] for r in per_seed[size]]
            ax.plot([2 * i + k] * len(values), values, "o", color=colour, alpha=0.8)
    ax.set_xticks(range(2 * len(sizes)))
    ax.set_xticklabels([f"{m}\n{size_name(s)}" for s in sizes for m in ("one cGAN", "ten GANs")], fontsize=8)
    ax.set(ylabel="Fréchet distance to real digits (lower is better)",
           title=f"every seed ({len(per_seed[sizes[0]])}), the same budget of {steps} steps")
    fig.suptitle(f"verdict: {result['outcome']}", fontsize=11)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "one_cgan_vs_per_class.png", alt=result["verdict"])


if __name__ == "__main__":
    picture(per_seed, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, sizes=SIZES, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    judge_model = reference_classifier("cnn")
    real01, _ = load_digits("all", scale="01")
    per_seed = {size: [one_seed(seed, steps, size, judge_model, real01, False, say) for seed in seeds]
                for size in sizes}
    result = {**summarise(per_seed, say), "seeds": list(seeds), "steps": steps}
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, out_dir, steps, seeds[0])
    return result


# %% [markdown]
# ## Try it
#
# Give each class's GAN the whole budget instead of a tenth (`TRY_STEPS = 2000` runs ten GANs of 2,000 steps each,
# ten times the cGAN's compute, on seed 0's 10 digits a class) and compare the Fréchet distance it prints with the
# cGAN's above. Predict first: is the cGAN's lead a matter of compute, which ten times as many steps would close,
# or of data, which they cannot (a class's GAN never sees the other 90 digits)?

# %% try it
if __name__ == "__main__":
    TRY_STEPS = 0  # try 2000
    if TRY_STEPS:
        _x, _y = choose(*load_digits("train", scale="pm1"), 10, 0)
        print(judge(train_per_class(_x, _y, 0, 10 * TRY_STEPS), judge_model, real01)["frechet"])
