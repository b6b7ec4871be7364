# %% [markdown]
# # 13 · Dropout on D's input against background noise that cancels itself
#
# **The claim.** Units of D can learn to rely on each other: a D that only checks that two background pixels are equal
# lets G put noise in the background as long as it cancels out. Dropping D's input pixels at random forces each part
# of D to judge the image on its own, which should leave less background noise in G's images.
#
# **Where it comes from.** CS/DS 541 (Jacob Whitehill), Class 19, slide "Difficulty in training" (neuron
# co-adaptation); CS/DS 552 (Jacob Whitehill), Class 7, the same slide.
#
# **What this lesson does.** It trains the same digits GAN twice, without and with dropout on D's input, checks that
# both generators are healthy (all ten classes, samples as varied as real digits: a collapsed G would make the
# comparison meaningless), and measures the background noise of the generated images on the 28 border pixels,
# against the real digits.
#
# **Run time:** 26 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 94 s on one shared with other jobs).

# %% [markdown]
# ## Set up: three measures of generated digits
#
# Generated 8×8 digits in [−1, 1] (−1 is the background). `border_noise` is how far the 28 border pixels are from
# the background, in [0, 1] units: the noise the claim is about shows up there first, where real digits carry
# little ink. `diversity` (the mean over pixels of the spread across images) guards against reading a collapsed G
# as a clean one. `tiles` lays out 36 digits with a coloured frame between them, for the picture.

# %%
"""Lesson 13: dropout on D's input against background noise that cancels itself."""


from __future__ import annotations

from pathlib import Path

from minigan import lessons
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment

NAME = "13_input_dropout"
BORDER = np.zeros((8, 8), dtype=bool)
BORDER[0, :] = BORDER[-1, :] = BORDER[:, 0] = BORDER[:, -1] = True


def border_noise(images_pm1):
    """Mean |pixel − background| over the border pixels, in [0, 1] units (background = −1)."""
    x = np.asarray(images_pm1, dtype=np.float64).reshape(-1, 8, 8)
    return float(np.abs(x[:, BORDER] + 1.0).mean() / 2.0)


def diversity(images_pm1):
    """Mean over pixels of the standard deviation across images, in [0, 1] units: 0 for a collapsed G."""
    x = (np.asarray(images_pm1, dtype=np.float64).reshape(len(images_pm1), -1) + 1.0) / 2.0
    return float(x.std(axis=0).mean())


# %%
def tiles(images_pm1, rows, cols, gap=1):
    """rows × cols 8×8 images in one array, with a ``gap``-pixel frame (NaN, drawn in colour) around each digit."""
    x = (np.asarray(images_pm1, dtype=np.float64).reshape(-1, 8, 8) + 1.0) / 2.0
    size = 8 + gap
    out = np.full((rows * size + gap, cols * size + gap), np.nan)
    for i in range(rows * cols):
        r, c = divmod(i, cols)
        out[gap + r * size: gap + r * size + 8, gap + c * size: gap + c * size + 8] = x[i]
    return out


# %% [markdown]
# The experiment: the MLP digits GAN at lr 2e-3, batch 128, the rate decayed linearly over the run. Both arms train
# a G that covers all ten classes (at lr 2e-4 and batch 64 both collapse to one blob, which says nothing). The
# only difference is `dropout_input`: the share of D's input pixels zeroed at random in each training forward pass.

# %%
def make_experiment(seed, drop, steps):
    return build_experiment("gan", "digits", seed=seed, dropout_input=drop, arch="mlp", lr=2e-3,
                            batch_size=128, lr_decay=True, steps=steps)


# %% [markdown]
# ## One training step, looked at closely
#
# Before the full run: one step of the arm with input dropout, on a fresh experiment of its own (the runs below
# start from scratch). Each number the step returns, what it means, and how far the step moved each network's
# weights. With half of its input pixels zeroed, D cannot rely on any single pixel, so G cannot satisfy it with
# a pattern of pixel noise that happens to cancel in D's first layer.

# %% one step
if __name__ == "__main__":
    _exp = make_experiment(0, 0.5, 1500)
    lessons.one_step(_exp.trainer, _exp.sample_real)


# %% [markdown]
# ## Run and measure: the same GAN, without and with dropout on D's input
#
# 1,500 steps each, from the same seed. After training, `exp.evaluate` checks G's health (classes covered by a
# reference classifier, Fréchet distance), and 1,000 samples give the border noise and the diversity.

# %%
def train_and_measure(name, drop, steps, seed, verbose, say=print):
    exp = make_experiment(seed, drop, steps)
    with lessons.Timer() as timer:
        for _ in lessons.progress(range(steps), name, verbose):
            exp.train_step(steps)
    metrics = exp.evaluate()
    fake = exp.trainer.sample(1000).detach().cpu().numpy()
    r = {"border_noise": border_noise(fake), "interior_mean": float(((fake + 1) / 2).mean()),
         "diversity": diversity(fake), "classes_covered": metrics.get("classes_covered"),
         "frechet_distance": metrics.get("frechet_distance")}
    say(f"{name:<22} border noise {r['border_noise']:.4f}; G covers {r['classes_covered']}/10 classes, "
        f"diversity {r['diversity']:.3f}, Fréchet distance {r['frechet_distance']:.0f} ({timer.seconds:.1f} s)")
    return r, fake, exp.images


# %% [markdown]
# ## Verdict
#
# Only a comparison between two *healthy* generators means anything: if either collapsed, the verdict says so. A
# lower border noise by more than 0.01 is "holds partly" (one seed, one short run, and at 8×8 the border carries
# some ink, so the measure is a weak one); less than that is no clear effect.

# %%
def decide(a, b, floor, real_div, say=print):
    healthy = all(r["classes_covered"] == 10 and r["diversity"] > 0.5 * real_div for r in (a, b))
    diff = a["border_noise"] - b["border_noise"]
    if not healthy:
        return healthy, lessons.verdict("does not hold here", "a generator collapsed, so the border noise measures "
                                        "nothing (train longer or with other settings)", say)
    if diff > 0.01:
        return healthy, lessons.verdict(
            "holds partly", f"with healthy generators in both arms, dropout on D's input lowers the border noise "
            f"from {a['border_noise']:.3f} to {b['border_noise']:.3f} (real digits {floor:.3f}); one seed, a short "
            "run, and at 8×8 the border carries some ink, so the measure is a weak one", say)
    return healthy, lessons.verdict(
        "does not hold here", f"with healthy generators in both arms the border noise is {a['border_noise']:.3f} "
        f"without and {b['border_noise']:.3f} with dropout on D's input (real digits {floor:.3f}): no clear "
        "effect at this resolution and length", say)


# %% [markdown]
# ## Picture: 36 samples of each G, the real digits, and the border noise
#
# Three tiles of 36 digits (ink is dark; the light-blue frame is not part of any digit) and a bar per source for
# the border noise, the real digits' own value as the floor. `samples_0.png` and `samples_1.png` hold 64 of each.

# %%
def noise_bars(ax, vals, p):
    bars = ax.bar(range(3), vals, color=["C3", "C0", "0.6"])
    for bar, v in zip(bars, vals):
        ax.text(bar.get_x() + bar.get_width() / 2, v, f"{v:.3f}", ha="center", va="bottom", fontsize=9)
    ax.set_xticks(range(3), ["G, no dropout", f"G, dropout p={p}", "real digits"], fontsize=9)
    ax.set_ylabel("mean |border pixel − background| (0 to 1)")
    ax.set_title("noise on the 28 border pixels (lower = cleaner)", fontsize=10)


# %% [markdown]
# `picture` puts the three tiles and those bars side by side.

# %%
def picture(samples, results, real, real_div, vals, p, seed, steps, out_dir):
    plt = lessons.plt()
    cmap = plt.get_cmap("gray_r").with_extremes(bad="#9ec3e6")  # the frame between digits: light blue
    fig, axes = plt.subplots(1, 4, figsize=(16, 4.4), gridspec_kw={"width_ratios": [1, 1, 1, 1.15]})
    for ax, (name, images) in zip(axes[:3], list(samples.items()) + [("real digits", real)]):
        ax.imshow(tiles(images[:36], 6, 6), cmap=cmap, vmin=0, vmax=1, interpolation="nearest")
        r = results.get(name)
        extra = (f"{r['classes_covered']}/10 classes, diversity {r['diversity']:.2f}" if r
                 else f"diversity {real_div:.2f}")
        ax.set_title(f"{name}\n{extra}", fontsize=10)
        ax.axis("off")
    noise_bars(axes[3], vals, p)
    fig.suptitle(f"Dropout on D's input, seed {seed}, {steps} steps: 36 samples of each G (ink is dark)")
    fig.tight_layout()
    return lessons.save(fig, out_dir, "input_dropout.png")


def sample_grids(samples, results, out_dir):
    from minigan import viz

    return {f"samples_{i}": viz.image_grid((fake[:64] + 1) / 2, str(Path(out_dir) / f"samples_{i}.png"), nrow=8,
                                           title=f"{name}: border noise {results[name]['border_noise']:.3f}")
            for i, (name, fake) in enumerate(samples.items())}


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the steps above: both arms, the real digits' floor, the verdict, the pictures.

# %% the demo
def run(steps=1500, seed=0, p=0.5, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    results, samples = {}, {}
    for name, drop in (("no dropout", 0.0), (f"input dropout p={p}", p)):
        results[name], samples[name], real = train_and_measure(name, drop, steps, seed, verbose, say)
    floor, real_div = border_noise(real), diversity(real)
    say(f"{'real digits':<22} border noise {floor:.4f}; diversity {real_div:.3f}")
    a, b = results["no dropout"], results[f"input dropout p={p}"]
    lower = b["border_noise"] < a["border_noise"]
    say(f"input dropout {'lowers' if lower else 'does NOT lower'} the border noise in this run "
        f"({a['border_noise']:.4f} -> {b['border_noise']:.4f})")
    healthy, line = decide(a, b, floor, real_div, say)
    figs = {}
    if out_dir is not None:
        figs.update(sample_grids(samples, results, out_dir))
        figs["figure"] = picture(samples, results, real, real_div, [a["border_noise"], b["border_noise"], floor],
                                 p, seed, steps, out_dir)
    return {"verdict": line, "no_dropout": a, "dropout": b, "real_floor": floor, "real_diversity": real_div,
            "healthy": bool(healthy), "dropout_lowers_noise": bool(lower), **figs}


# %% [markdown]
# ## Run the lesson
#
# It prints what it measures and ends with the verdict. The figure is saved under
# `demos/out/13_input_dropout/` (and shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
