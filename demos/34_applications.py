# %% [markdown]
# # 34 · Denoising, inpainting, super-resolution: a model of the digits restores what was lost
#
# **The claim.** A model that has learned what the data look like can put back what a corruption took away: the
# noise on an image (denoising), a hidden patch (inpainting), the detail lost to a lower resolution
# (super-resolution). These are the uses of generative models the notes name beside pretraining, and each is
# judged against what one can do knowing nothing about the data: keep the noisy image, fill the hole with the
# average image, enlarge the small image by interpolation.
#
# **Where it comes from.** Security and Fairness of Deep Learning (Anupam Datta, CMU, Spring 2018), lecture "Deep
# generative models", slide "Why generative models?", which names image denoising, inpainting and super-resolution
# as applications. The models here are autoencoders trained to undo a corruption: Vincent, Larochelle, Bengio &
# Manzagol 2008, "Extracting and composing robust features with denoising autoencoders"; for super-resolution
# Dong, Loy, He & Tang 2014 (SRCNN), which learns the map from the enlarged small image to the sharp one.
#
# **What this lesson does.** For each application it corrupts the training digits in that way and trains one small
# MLP autoencoder (64 pixels in, a 32-number code, 64 pixels out) to give back the clean digit. On the 359 held-out
# test digits it measures the peak signal-to-noise ratio (PSNR, in dB: 10·log₁₀(1/MSE) for pixels in [0, 1]; higher
# is better, +3 dB halves the error) of the model's output and of the plain baselines, over 3 seeds.
#
# **Run time:** 41 s of CPU (nine trainings of 1,500 steps), from a clean state with one BLAS thread, as `python
# demos/lesson_times.py 34` measured it (demos/lesson_times.json, which records the machine's load and the wall time
# beside it).

# %% [markdown]
# ## Set up: three corruptions, three plain baselines
#
# The digits are 8×8 with pixels in [0, 1]. Each corruption takes a batch of clean digits and a random generator and
# returns what the model sees; each baseline takes the same and returns its guess at the clean digit.
#
# * **noise**: add Gaussian noise of σ = 0.3 to every pixel and clip to [0, 1]. Baselines: the noisy digit itself, and
#   a 3×3 box blur of it (the textbook smoothing filter, which knows only that neighbouring pixels are alike).
# * **a hole**: blank a 4×4 square at a random place (a quarter of the pixels). The model also gets the mask, so it
#   knows which zeros are missing and which are background. Baseline: fill the hole with the mean training digit.
# * **half the resolution**: average each 2×2 block (8×8 → 4×4). Baselines: nearest-neighbour and bicubic
#   enlargement back to 8×8 (`F.interpolate`). The model sees the nearest-neighbour enlargement.

# %% set-up
"""Lesson 34: denoising, inpainting, super-resolution: a model of the digits restores what was lost."""

from __future__ import annotations

import time

import minigan
import minigan.functional as F
from minigan import lessons, nn, optim
from minigan.data.digits import load_digits
from minigan.engine.backend import np

NAME = "34_applications"
SEEDS = (0, 1, 2)
STEPS = 1500
BATCH = 64
NOISE = 0.3  # σ of the added noise, pixels in [0, 1]
HOLE = 4  # side of the blanked square
TASKS = ("denoise", "inpaint", "super-resolve")
TITLE = {"denoise": "denoising (σ = 0.3)", "inpaint": "inpainting (a 4×4 hole)",
         "super-resolve": "super-resolution (4×4 → 8×8)"}
MARGIN_DB = 1.0  # the model must beat the best baseline by this much on a seed


def add_noise(x, rng):
    return np.clip(x + NOISE * rng.standard_normal(x.shape).astype(np.float32), 0.0, 1.0)


def hole_mask(n, rng):
    """(n, 1, 8, 8) float32: 1 where the pixel is kept, 0 in a HOLE×HOLE square at a random place."""
    mask = np.ones((n, 1, 8, 8), np.float32)
    rows, cols = rng.integers(0, 8 - HOLE + 1, n), rng.integers(0, 8 - HOLE + 1, n)
    for i, (r, c) in enumerate(zip(rows, cols)):
        mask[i, 0, r:r + HOLE, c:c + HOLE] = 0.0
    return mask


def shrink(x):
    """8×8 → 4×4 by averaging each 2×2 block (what a camera of half the resolution records)."""
    return F.avg_pool2d(minigan.from_numpy(x), 2).numpy()


def enlarge(small, mode):
    """4×4 → 8×8 by interpolation: "nearest" repeats each pixel, "bicubic" fits a smooth cubic through them."""
    big = F.interpolate(minigan.from_numpy(small), scale_factor=2, mode=mode).numpy()
    return np.clip(big, 0.0, 1.0)


def box_blur(x):
    """The 3×3 mean of each pixel's neighbourhood (the border's missing neighbours count as 0 … so, divided by the
    count of real neighbours)."""
    t = minigan.from_numpy(x)
    ones = minigan.from_numpy(np.ones_like(x))
    return (F.avg_pool2d(t, 3, stride=1, padding=1) / F.avg_pool2d(ones, 3, stride=1, padding=1)).numpy()


def corrupt(task, x, rng):
    """(what the model sees: (n, 64) or (n, 128) with the mask, the corrupted image for the picture)."""
    n = len(x)
    if task == "denoise":
        seen = add_noise(x, rng)
        return seen.reshape(n, -1), seen
    if task == "inpaint":
        mask = hole_mask(n, rng)
        seen = x * mask
        return np.concatenate([seen.reshape(n, -1), mask.reshape(n, -1)], axis=1), seen
    small = shrink(x)
    seen = enlarge(small, "nearest")
    return seen.reshape(n, -1), seen


def baselines(task, seen, mean_digit):
    """Each plain baseline's guess at the clean digits, from what the model sees (``seen``: the corrupted images and,
    when inpainting, their masks)."""
    if task == "denoise":
        noisy = seen.reshape(-1, 1, 8, 8)
        return {"the noisy digit": noisy, "3×3 box blur": box_blur(noisy)}
    if task == "inpaint":
        image, mask = seen[:, :64].reshape(-1, 1, 8, 8), seen[:, 64:].reshape(-1, 1, 8, 8)
        return {"mean-digit fill": image * mask + mean_digit * (1 - mask)}
    small = F.avg_pool2d(minigan.from_numpy(seen.reshape(-1, 1, 8, 8)), 2).numpy()  # the 4×4 image itself
    return {"nearest enlargement": enlarge(small, "nearest"), "bicubic enlargement": enlarge(small, "bicubic")}


def psnr(guess, clean) -> float:
    """10·log₁₀(1 / MSE) in dB, over every pixel of the set (pixels in [0, 1])."""
    return float(10 * np.log10(1.0 / np.mean((np.asarray(guess, np.float64) - clean) ** 2)))


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/34_applications/ by default
    started = time.perf_counter()
    train_x, _ = load_digits("train", scale="01")
    test_x, _ = load_digits("test", scale="01")
    _rng = np.random.default_rng(0)
    for _task in TASKS:
        _seen, _ = corrupt(_task, test_x, _rng)
        for _name, _guess in baselines(_task, _seen, train_x.mean(0)).items():
            print(f"{TITLE[_task]:<32} {_name:<20} PSNR {psnr(_guess, test_x):5.2f} dB on the test digits")


# %% [markdown]
# ## The model: an autoencoder that learns to undo the corruption
#
# An MLP: the corrupted digit (and, when inpainting, its mask) → 256 → 32 → 256 → 64 pixels through a sigmoid. The
# 32-number bottleneck is what makes it a model of the digits rather than a copy of its input: it must describe each
# digit in fewer numbers than it has pixels, so it keeps what digits share and drops what they do not, the noise
# first. Each step draws 64 training digits, corrupts them afresh and moves the weights (Adam, lr 10⁻³) down the
# mean squared error between the output and the clean digits.

# %% model
def restorer(inputs) -> nn.Module:
    return nn.Sequential(nn.Linear(inputs, 256), nn.ReLU(), nn.Linear(256, 32), nn.ReLU(),
                         nn.Linear(32, 256), nn.ReLU(), nn.Linear(256, 64), nn.Sigmoid())


def train(task, train_x, seed, steps=STEPS, verbose=False):
    minigan.manual_seed(seed)
    rng = np.random.default_rng(seed)
    model = restorer(128 if task == "inpaint" else 64)
    opt = optim.Adam(model.parameters(), lr=1e-3)
    for _ in lessons.progress(range(steps), f"seed {seed}, {task}", verbose):
        x = train_x[rng.integers(0, len(train_x), BATCH)]
        seen, _ = corrupt(task, x, rng)
        loss = F.mse_loss(model(minigan.from_numpy(seen)), minigan.from_numpy(x.reshape(len(x), -1)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def restore(model, seen):
    """The model's clean digits. When inpainting, the pixels that were kept stay as they were and only the hole
    takes the model's output (an inpainting changes nothing it was shown)."""
    with minigan.no_grad():
        out = model(minigan.from_numpy(seen)).numpy().reshape(-1, 1, 8, 8)
    if seen.shape[1] == 128:
        image, mask = seen[:, :64].reshape(out.shape), seen[:, 64:].reshape(out.shape)
        out = image * mask + out * (1 - mask)
    return out


if __name__ == "__main__":
    print(restorer(64))


# %% [markdown]
# ## Measure: one seed, the three tasks
#
# Each model is judged on the held-out test digits, corrupted with the seed's own draws (the same corrupted digits
# for the model and the baselines), by PSNR over all their pixels. When inpainting, the model and the mean fill both
# keep the pixels shown and differ only in the hole, so their difference in dB is the same over the hole alone; the
# PSNR over the hidden pixels alone is recorded too.

# %% measure
def one_seed(seed, train_x, test_x, steps=STEPS, verbose=False, say=print) -> dict:
    out = {}
    for task in TASKS:
        with lessons.Timer() as clock:
            model = train(task, train_x, seed, steps, verbose)
        seen, shown = corrupt(task, test_x, np.random.default_rng(1000 + seed))
        restored = restore(model, seen)
        plain = baselines(task, seen, train_x.mean(0))
        r = {"model": psnr(restored, test_x), "baselines": {k: psnr(v, test_x) for k, v in plain.items()}}
        if task == "inpaint":
            hidden = seen[:, 64:].reshape(-1, 1, 8, 8) == 0
            r["model_hole"] = psnr(restored[hidden], test_x[hidden])
            r["baseline_hole"] = psnr(plain["mean-digit fill"][hidden], test_x[hidden])
        r["gain_db"] = r["model"] - max(r["baselines"].values())
        r["images"] = {"clean": test_x[:8], "corrupted": shown[:8], "baseline": list(plain.values())[-1][:8],
                       "model": restored[:8]}
        out[task] = r
        say(f"seed {seed}, {TITLE[task]:<32}: model {r['model']:.2f} dB; "
            + ", ".join(f"{k} {v:.2f} dB" for k, v in r["baselines"].items())
            + f"; gain over the best baseline {r['gain_db']:+.2f} dB ({clock.seconds:.0f} s)")
    return out


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], train_x, test_x, verbose=True)]


# %% [markdown]
# ## Verdict: the rule
#
# A task passes on a seed when the model's PSNR on the test digits beats the best plain baseline's by at least
# 1 dB (the error down by a fifth or more). The claim holds when all three tasks pass on every seed, holds partly
# when at least one task passes on a majority of the seeds, and does not hold here otherwise.

# %% verdict rule
def summarise(per_seed, say=print) -> dict:
    passes = {t: sum(r[t]["gain_db"] >= MARGIN_DB for r in per_seed) for t in TASKS}
    n = len(per_seed)
    model = {t: lessons.spread([r[t]["model"] for r in per_seed]) for t in TASKS}
    gain = {t: lessons.spread([r[t]["gain_db"] for r in per_seed]) for t in TASKS}
    base = {t: {k: lessons.spread([r[t]["baselines"][k] for r in per_seed]) for k in per_seed[0][t]["baselines"]}
            for t in TASKS}
    hole = {"model": lessons.spread([r["inpaint"]["model_hole"] for r in per_seed]),
            "mean-digit fill": lessons.spread([r["inpaint"]["baseline_hole"] for r in per_seed])}
    if all(p == n for p in passes.values()):
        outcome = "holds"
    elif any(2 * p > n for p in passes.values()):
        outcome = "holds partly"
    else:
        outcome = "does not hold here"
    line = lessons.verdict(outcome, "; ".join(
        f"{TITLE[t]}: model {lessons.show_spread(model[t], '.1f')} dB, best baseline "
        f"{max(s['median'] for s in base[t].values()):.1f} dB, gain {gain[t]['median']:+.1f} dB, passes on "
        f"{passes[t]} of {n} seeds" for t in TASKS) + f" (the rule: a gain of at least {MARGIN_DB:.0f} dB)", say)
    return {"verdict": line, "outcome": outcome, "passes": passes, "psnr_model": model, "psnr_baselines": base,
            "gain_db": gain, "inpaint_hole_psnr": hole}


# %% [markdown]
# ## Over seeds
#
# Two more seeds (new weights, new batches, new corruptions of the test digits), then the verdict.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, train_x, test_x))
    result = summarise(per_seed)


# %% [markdown]
# ## Picture: what each sees and gives back
#
# Left, one block of rows per task for seed 0: eight test digits, clean; as corrupted; the plain baseline's guess
# (the box blur, the mean fill, the bicubic enlargement); the model's. Right: PSNR per task over the seeds, each
# baseline beside the model (dots: the seeds; bars: their median).

# %% picture
def picture(per_seed, result, out_dir):
    plt = lessons.plt()
    fig = plt.figure(figsize=(13, 7))
    grid = fig.add_gridspec(len(TASKS), 2, width_ratios=(1.3, 1))
    rows = ("clean", "corrupted", "baseline", "model")
    for i, task in enumerate(TASKS):
        ax = fig.add_subplot(grid[i, 0])
        shown = per_seed[0][task]["images"]
        strip = np.concatenate([np.concatenate(list(shown[k][:, 0]), axis=1) for k in rows], axis=0)
        ax.imshow(strip, cmap="gray_r", vmin=0, vmax=1, interpolation="nearest", aspect="equal")
        ax.grid(False)
        ax.set_yticks([4 + 8 * j for j in range(len(rows))])
        ax.set_yticklabels(["clean", "corrupted", list(per_seed[0][task]["baselines"])[-1], "model"], fontsize=8)
        ax.set_xticks([])
        ax.set_title(f"{TITLE[task]}: model {per_seed[0][task]['model']:.1f} dB", fontsize=9)
    ax = fig.add_subplot(grid[:, 1])
    labels, values = [], []
    for task in TASKS:
        for name in per_seed[0][task]["baselines"]:
            labels.append(f"{task}: {name}")
            values.append([r[task]["baselines"][name] for r in per_seed])
        labels.append(f"{task}: the model")
        values.append([r[task]["model"] for r in per_seed])
    xpos = np.arange(len(labels))
    colours = ["tab:green" if lab.endswith("the model") else "tab:gray" for lab in labels]
    ax.bar(xpos, [float(np.median(v)) for v in values], color=colours, alpha=0.6)
    for x, v in zip(xpos, values):
        ax.plot([x] * len(v), v, "k.", ms=4)
    ax.set_xticks(xpos)
    ax.set_xticklabels(labels, fontsize=8, rotation=60, ha="right")
    ax.set(ylabel="PSNR on the 359 test digits (dB, higher is better)")
    fig.suptitle(f"verdict over {len(per_seed)} seeds: {result['outcome']}; gain over the best baseline "
                 + ", ".join(f"{t} {result['gain_db'][t]['median']:+.1f} dB" for t in TASKS), fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "applications.png", alt=result["verdict"])


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
    train_x, _ = load_digits("train", scale="01")
    test_x, _ = load_digits("test", scale="01")
    per_seed = [one_seed(seed, train_x, test_x, steps, False, say) for seed in seeds]
    result = {**summarise(per_seed, say), "seeds": list(seeds), "steps": steps}
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# Make the task harder: set `NOISE = 0.5` (or `HOLE = 5`) in the first cell, rerun it and the cells after. Expect
# the baselines to fall further than the model: the noisy digit and the mean fill know nothing about digits, while
# the model keeps recognising the digit under heavier damage. Or set `TRY_STEPS = 100`: after so few steps the
# model has not yet learned the digits and loses to the box blur.

# %% try it
if __name__ == "__main__":
    TRY_STEPS = 0  # try 100
    if TRY_STEPS:
        one_seed(0, train_x, test_x, TRY_STEPS)
