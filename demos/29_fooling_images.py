# %% [markdown]
# # 29 · Fooling images: confident answers about pictures of nothing
#
# **The claim.** A classifier's confidence says little about whether its input looks like anything it was trained
# on. Start from random noise and follow the gradient of one class's score: in a few dozen steps the network calls
# the picture that class with near certainty, while the picture still looks like no example of it, nor like any
# image of the data set at all.
#
# **Where it comes from.** A lecture on Goodfellow et al. 2014, "Generative Adversarial Nets" (course and lecturer
# not named), slide "Deep Neural Networks are Easily Fooled", after Nguyen, Yosinski & Clune 2015, "Deep Neural
# Networks are Easily Fooled: High Confidence Predictions for Unrecognizable Images" (CVPR), Section 3 (images
# evolved, or climbed by gradient ascent, to over 99% confidence).
#
# **What this lesson does.** For each of the 10 classes it starts 10 images of uniform noise and takes 30 signed
# gradient steps (α = 0.02, pixels kept in [0, 1]) up the reference CNN's log-probability of that class: the library's
# targeted `pgd` with a ball of radius 1, the whole image range. Three seeds (each draws its own noise). Then it
# measures the CNN's confidence in the class, and three views of what the pictures look like: how far each lies from
# the nearest of the 1,438 training digits (against how far real test digits lie), which class a template matcher
# reads in it (the nearest class-mean digit, a reader that knows only what the average 3 looks like), and what a
# second classifier trained apart from the CNN says (the reference MLP).
#
# **Run time:** 31 s of CPU (the reference CNN and MLP trained once; 300 images climbed), from a clean state with
# one BLAS thread, as `python demos/lesson_times.py 29` measured it (demos/lesson_times.json, which records the
# machine's load and the wall time beside it).

# %% [markdown]
# ## Set up: the CNN to fool, and the views of what a picture looks like
#
# The reference CNN of lessons 17–20, and the reference MLP, trained on the same digits with another architecture
# and recipe (both trained once, then cached).

# %% set-up
"""Lesson 29: fooling images: confident answers about pictures of nothing."""

from __future__ import annotations

import time

from minigan import classifier, lessons
from minigan.attacks import pgd
from minigan.data.digits import load_digits
from minigan.engine.backend import np

NAME = "29_fooling_images"
SEEDS = (0, 1, 2)
PER_CLASS = 10
STEPS = 30
STEP_SIZE = 0.02
CONFIDENT = 0.99


def softmax(model, images):
    z = classifier.predict_logits(model, images).astype(np.float64)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def nearest_distance(images, reference):
    """Each image's Euclidean distance (pixels in [0, 1]) to the nearest image of ``reference``."""
    a, b = images.reshape(len(images), -1).astype(np.float64), reference.reshape(len(reference), -1)
    d2 = (a ** 2).sum(1)[:, None] + (b ** 2).sum(1)[None, :] - 2 * a @ b.T
    return np.sqrt(np.maximum(d2.min(axis=1), 0))


def template_reading(images, means):
    """The class whose mean training digit is nearest to each image (a reader that knows only the templates)."""
    return ((images.reshape(len(images), 1, -1) - means.reshape(1, 10, -1)) ** 2).sum(axis=2).argmin(axis=1)


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/29_fooling_images/ by default
    started = time.perf_counter()
    x_train, y_train = load_digits("train", scale="01")
    x_test, y_test = load_digits("test", scale="01")
    cnn, mlp = classifier.reference_classifier("cnn"), classifier.reference_classifier("mlp")
    MEANS = np.stack([x_train[y_train == c].mean(axis=0) for c in range(10)])
    print(f"CNN test accuracy {classifier.accuracy(cnn, x_test, y_test):.1%}, MLP "
          f"{classifier.accuracy(mlp, x_test, y_test):.1%}, the template reader "
          f"{(template_reading(x_test, MEANS) == y_test).mean():.1%}")


# %% [markdown]
# ## The yardstick: how far real digits lie from the training set
#
# A real test digit is never in the training set, but it lies near some training digit. The 95th percentile of
# those distances is the line: a picture farther than that from every training digit is farther than 95% of real
# digits are.

# %% yardstick
def yardstick(x_train, x_test) -> dict:
    real = nearest_distance(x_test, x_train)
    return {"real_median": float(np.median(real)), "real_p95": float(np.percentile(real, 95))}


if __name__ == "__main__":
    YARD = yardstick(x_train, x_test)
    print(f"real test digits: nearest training digit at {YARD['real_median']:.2f} (median), "
          f"{YARD['real_p95']:.2f} (95th percentile); uniform noise: "
          f"{np.median(nearest_distance(np.random.default_rng(0).uniform(0, 1, (100, 1, 8, 8)), x_train)):.2f}")


# %% [markdown]
# ## Measure: climb one class's score from noise
#
# `pgd(..., targeted=True, eps=1.0, random_start=False)` steps each image α DOWN the cross-entropy toward its class
# (UP its log-probability), keeping pixels in [0, 1]; a radius-1 ball is no constraint on [0, 1] images.

# %% measure
def climb(cnn, seed, steps=STEPS, per_class=PER_CLASS):
    rng = np.random.default_rng(seed)
    target = np.repeat(np.arange(10), per_class)
    start = rng.uniform(0, 1, (len(target), 1, 8, 8)).astype(np.float32)
    fooled = pgd(cnn, start, target, eps=1.0, step_size=STEP_SIZE, steps=steps, random_start=False,
                 targeted=True).detach().cpu().numpy()
    return start, fooled, target


def one_seed(cnn, mlp, x_train, means, yard, seed, steps=STEPS, per_class=PER_CLASS, say=print) -> dict:
    start, fooled, target = climb(cnn, seed, steps, per_class)
    rows = np.arange(len(target))
    p_cnn, p_mlp = softmax(cnn, fooled), softmax(mlp, fooled)
    conf = p_cnn[rows, target]
    distance = nearest_distance(fooled, x_train)
    out = {"confidence_per_class": [float(np.median(conf[target == c])) for c in range(10)],
           "confidence": float(np.median(conf)),
           "start_confidence": float(np.median(softmax(cnn, start)[rows, target])),
           "nearest_distance": float(np.median(distance)),
           "farther_than_p95": float((distance > yard["real_p95"]).mean()),
           "template_reads_target": float((template_reading(fooled, means) == target).mean()),
           "mlp_agrees": float((p_mlp.argmax(axis=1) == target).mean()),
           "mlp_confidence": float(np.median(p_mlp[rows, target])),
           "moved": float(np.abs(fooled - start).mean()), "images": fooled, "target": target}
    say(f"seed {seed}: CNN's confidence in the class climbed {out['start_confidence']:.3f} → {out['confidence']:.4f} "
        f"(median; lowest class {min(out['confidence_per_class']):.4f}), pixels moved {out['moved']:.2f} on average; "
        f"nearest training digit at {out['nearest_distance']:.2f} ({out['farther_than_p95']:.0%} farther than 95% of "
        f"real digits); the template reader sees the class in {out['template_reads_target']:.0%}; the MLP says it on "
        f"{out['mlp_agrees']:.0%} (median confidence {out['mlp_confidence']:.3f})")
    return out


if __name__ == "__main__":
    per_seed = [one_seed(cnn, mlp, x_train, MEANS, YARD, SEEDS[0])]


# %% [markdown]
# ## Verdict: the rule
#
# Per seed: "holds" when the CNN's median confidence reaches 99% in every one of the 10 classes AND the pictures look
# like nothing: at least 90% of them lie farther from every training digit than 95% of real test digits do, and the
# template reader sees the intended class in at most 20% (chance is 10%). "Holds partly" when the CNN is confident but
# only one of the two looks passes; "does not hold here" otherwise. The MLP's view is reported beside: whether a
# second network shares the CNN's blind spot is another claim. The verdict is the seeds' majority.

# %% verdict rule
def decide_seed(r) -> str:
    confident = min(r["confidence_per_class"]) >= CONFIDENT
    far, unread = r["farther_than_p95"] >= 0.9, r["template_reads_target"] <= 0.2
    if confident and far and unread:
        return "holds"
    return "holds partly" if confident and (far or unread) else "does not hold here"


def summarise(per_seed, yard, say=print) -> dict:
    outcomes = [decide_seed(r) for r in per_seed]
    outcome, agree = lessons.majority(outcomes)
    keys = ("confidence", "start_confidence", "nearest_distance", "farther_than_p95", "template_reads_target",
            "mlp_agrees", "mlp_confidence", "moved")
    s = {k: lessons.spread([r[k] for r in per_seed]) for k in keys}
    s["lowest_class_confidence"] = lessons.spread([min(r["confidence_per_class"]) for r in per_seed])
    line = lessons.verdict(outcome, (
        f"from noise, {STEPS} steps make the CNN {lessons.show_spread(s['confidence'], '.4f')} sure of the class "
        f"(median; the least sure class {s['lowest_class_confidence']['median']:.4f}); the pictures lie "
        f"{s['nearest_distance']['median']:.2f} from the nearest training digit (real digits: "
        f"{yard['real_median']:.2f}, 95% within {yard['real_p95']:.2f}), and the template reader sees the class in "
        f"{100 * s['template_reads_target']['median']:.0f}%; the MLP, trained apart, says the same class on "
        f"{100 * s['mlp_agrees']['median']:.0f}%; {agree} of {len(per_seed)} seeds say '{outcome}'"), say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree, "per_seed_outcome": outcomes,
            **yard, **s}


# %% [markdown]
# ## Over seeds
#
# Two more seeds, then the verdict by the rule above.

# %% over seeds
if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(cnn, mlp, x_train, MEANS, YARD, seed))
    result = summarise(per_seed, YARD)


# %% [markdown]
# ## Picture: the pictures, and what each reader says
#
# Top: one fooling image per class (seed 0), titled with the CNN's median confidence in the class; below each, the
# nearest training digit, and the class mean it was meant to look like. Right: how far the pictures lie from the
# training set, against real test digits.

# %% picture
def picture(per_seed, result, x_train, y_train, x_test, out_dir):
    plt = lessons.plt()
    fig = plt.figure(figsize=(14, 4.8))
    grid = fig.add_gridspec(3, 12, width_ratios=[1] * 10 + [0.15, 4.5])
    first = per_seed[0]
    means = np.stack([x_train[y_train == c].mean(axis=0) for c in range(10)])
    flat = x_train.reshape(len(x_train), -1)
    for c in range(10):
        i = int(np.flatnonzero(first["target"] == c)[0])
        image = first["images"][i]
        near = x_train[int(((flat - image.reshape(1, -1)) ** 2).sum(1).argmin())]
        conf = first["confidence_per_class"][c]  # the median over the class's images
        for row, (picture_, title) in enumerate(((image, f"'{c}': {conf:.3f}"),
                                                 (near, "nearest real" if c == 0 else ""),
                                                 (means[c], "class mean" if c == 0 else ""))):
            ax = fig.add_subplot(grid[row, c])
            ax.imshow(picture_[0], cmap="gray", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.set_title(title, fontsize=8)
    ax = fig.add_subplot(grid[:, 11])
    real = nearest_distance(x_test, x_train)
    fake = np.concatenate([nearest_distance(r["images"], x_train) for r in per_seed])
    bins = np.linspace(0, max(real.max(), fake.max()) * 1.05, 40)
    ax.hist(real, bins=bins, alpha=0.6, label="real test digits")
    ax.hist(fake, bins=bins, alpha=0.6, label=f"fooling images ({len(per_seed)} seeds)")
    ax.axvline(result["real_p95"], color="k", ls=":", lw=1, label="95% of real digits lie within")
    ax.set(xlabel="distance to the nearest training digit", ylabel="images",
           title=f"verdict: {result['outcome']} ({result['seeds_agreeing']} of {len(per_seed)} seeds)")
    ax.legend(fontsize=8)
    fig.suptitle("fooling images climbed from noise (seed 0): the CNN's confidence in the class above each",
                 fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "fooling.png")


if __name__ == "__main__":
    picture(per_seed, result, x_train, y_train, x_test, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, per_class=PER_CLASS, out_dir=None, verbose=True, second=None) -> dict:
    """``second``: the second classifier (default: the reference MLP)."""
    say = print if verbose else (lambda *a, **k: None)
    x_train, y_train = load_digits("train", scale="01")
    x_test, _ = load_digits("test", scale="01")
    cnn = classifier.reference_classifier("cnn")
    mlp = second if second is not None else classifier.reference_classifier("mlp")
    means = np.stack([x_train[y_train == c].mean(axis=0) for c in range(10)])
    yard = yardstick(x_train, x_test)
    per_seed = [one_seed(cnn, mlp, x_train, means, yard, seed, steps, per_class, say) for seed in seeds]
    result = summarise(per_seed, yard, say)
    result["per_seed"] = [{k: v for k, v in r.items() if k not in ("images", "target")} for r in per_seed]
    if out_dir is not None:
        result["figure"] = picture(per_seed, result, x_train, y_train, x_test, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# A fooling image starts as noise, and noise is what stays. Set `BLANK = True` and run the cell: the climb starts
# from a black image instead. Expect the CNN to be as sure, the pictures to lie closer to the training digits (fewer
# pixels lit), and the template reader to find the class in nearly all of them: from black, the climb draws little
# but the class's own strokes.

# %% try it
if __name__ == "__main__":
    BLANK = False  # try True
    if BLANK:
        _target = np.repeat(np.arange(10), PER_CLASS)
        _x = pgd(cnn, np.zeros((len(_target), 1, 8, 8), np.float32), _target, eps=1.0, step_size=STEP_SIZE,
                 steps=STEPS, random_start=False, targeted=True).detach().cpu().numpy()
        _p = softmax(cnn, _x)[np.arange(len(_target)), _target]
        print(f"from black: CNN confidence {np.median(_p):.4f}, nearest training digit at "
              f"{np.median(nearest_distance(_x, x_train)):.2f}, template reader sees the class in "
              f"{(template_reading(_x, MEANS) == _target).mean():.0%}")
