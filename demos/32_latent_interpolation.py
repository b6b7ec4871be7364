# %% [markdown]
# # 32 · Interpolating real images, and what one coordinate of z changes
#
# **The claim.** Two parts. First: encode two real images, walk in a straight line between their codes and decode
# each point, and every image on the way looks like data, where a cross-fade of the pixels passes through ghosts of
# two images laid over each other (BEGAN's figure of interpolations of real images). Second: z holds the ways the
# data vary, but not one way per coordinate: moving one coordinate of z need not change one attribute of the image;
# the factors are not necessarily disentangled.
#
# **Where it comes from.** IT3320E (Hung Son Nguyen), the GAN lecture, the BEGAN section, slide "Interpolations of
# real images" (Berthelot, Schumm & Metz 2017, "BEGAN: Boundary Equilibrium Generative Adversarial Networks", Figure
# 4); CS/DS 552, Class 7 (Jacob Whitehill), slide "Generator G" (z encodes the dimensions of variability, though
# they may not be intuitive, independent or disentangled).
#
# **What this lesson does.** It trains the VAE of `python -m minigan train vae --data digits` (8-D codes) on 3 seeds,
# and encodes held-out digits by the encoder's mean. Interpolation: for 20 pairs of held-out digits of different
# classes, the decoded midpoint of their codes against the midpoint of their pixels, each measured by its distance
# to the nearest training digit (`minigan.metrics.memorization_distance`; a new real digit lies about 1.0 away).
# One coordinate: for each of the 8 coordinates, the codes of 200 held-out digits are moved by +2 along it and
# decoded; it counts the pixels that change (by more than 0.1), the digits whose class the reference classifier
# sees change, and into how many classes they go; and the same for 8 random directions of the same length.
#
# **Run time:** 63 s of CPU (three trainings, the reference classifier trained once), from a clean state with one
# BLAS thread, as `python demos/lesson_times.py 32` measured it (demos/lesson_times.json, which records the
# machine's load and the wall time beside it).

# %% [markdown]
# ## Set up: a VAE on the digits, and the reference classifier
#
# `train(seed)` runs the recipe's VAE for `STEPS` minibatches. `encode` gives the mean of Q(z|x), `decode` the
# decoder's mean image, both with pixels in [0, 1]. The reference CNN (trained once, then cached) names the class of
# a decoded image.

# %% set-up
"""Lesson 32: interpolating real images, and what one coordinate of z changes."""

from __future__ import annotations

import time

import minigan
from minigan import classifier, lessons
from minigan.data.digits import load_digits
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.metrics import memorization_distance

NAME = "32_latent_interpolation"
SEEDS = (0, 1, 2)
STEPS = 1500          # VAE training steps
PAIRS = 20            # pairs of held-out digits to interpolate between
DIGITS = 200          # held-out digits whose codes are moved one coordinate at a time
MOVE = 2.0            # how far a code moves (the prior's standard deviation is 1)
CHANGED = 0.1         # a pixel changed when it moves by more than this (pixels in [0, 1])
ACTIVE = 0.3          # a coordinate is in use when the codes' standard deviation along it is at least this
PATH = np.linspace(0, 1, 9)

TRAIN, _ = load_digits("train")
HELD_OUT, HELD_OUT_LABELS = load_digits("test")


def train(seed, steps=STEPS, verbose=False):
    exp = build_experiment("vae", "digits", seed=seed)
    for _ in lessons.progress(range(steps), f"seed {seed}, VAE", verbose):
        exp.train_step()
    return exp.trainer


def encode(vae, x01):
    """The mean of Q(z|x) for images with pixels in [0, 1], on the host."""
    x = minigan.from_numpy((2 * x01 - 1).astype(np.float32)).to(next(vae.decoder.parameters()).device)
    return vae.encode(x).cpu().numpy()


def decode(vae, z):
    """The decoder's mean image of each code, pixels in [0, 1], on the host."""
    with minigan.no_grad():
        z = minigan.from_numpy(np.asarray(z, dtype=np.float32)).to(next(vae.decoder.parameters()).device)
        x = vae.decoder.mean(z)
    return (x.cpu().numpy() + 1) / 2


def reference():
    """The digits' reference CNN; ``predict(images)`` names each image's class."""
    model = classifier.reference_classifier("cnn", dataset="digits")

    def predict(x01):
        with minigan.no_grad():
            x = minigan.from_numpy(np.asarray(x01, dtype=np.float32)).to(next(model.parameters()).device)
            return model(x).cpu().numpy().argmax(1)
    return predict


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/32_latent_interpolation/ by default
    started = time.perf_counter()
    predict = reference()
    vae = train(SEEDS[0], verbose=True)
    _z = encode(vae, HELD_OUT)
    print(f"codes of the {len(HELD_OUT)} held-out digits: standard deviation per coordinate {_z.std(0).round(2)}")


# %% [markdown]
# ## Interpolating between two real digits
#
# The codes z_a and z_b of two held-out digits of different classes; the decoded points (1 − t)·z_a + t·z_b for t
# from 0 to 1, against the cross-fade (1 − t)·x_a + t·x_b of their pixels. How real does the midpoint look? Its
# distance to the nearest training digit, against the same distance for the held-out digits themselves.

# %% interpolation
def pairs(seed):
    """``PAIRS`` pairs of held-out digits of different classes, drawn by the seed."""
    rng = np.random.default_rng(seed)
    a, b = rng.choice(len(HELD_OUT), 4 * PAIRS), rng.choice(len(HELD_OUT), 4 * PAIRS)
    keep = HELD_OUT_LABELS[a] != HELD_OUT_LABELS[b]
    return a[keep][:PAIRS], b[keep][:PAIRS]


def interpolate(vae, seed) -> dict:
    a, b = pairs(seed)
    za, zb = encode(vae, HELD_OUT[a]), encode(vae, HELD_OUT[b])
    latent = decode(vae, (za + zb) / 2)
    pixel = (HELD_OUT[a] + HELD_OUT[b]) / 2
    d_latent, d_pixel = memorization_distance(latent, TRAIN), memorization_distance(pixel, TRAIN)
    paths = [decode(vae, [(1 - t) * za[i] + t * zb[i] for t in PATH]) for i in range(4)]
    fades = [np.stack([(1 - t) * HELD_OUT[a[i]] + t * HELD_OUT[b[i]] for t in PATH]) for i in range(4)]
    return {"latent_midpoint": float(np.median(d_latent)), "pixel_midpoint": float(np.median(d_pixel)),
            "real": float(np.median(memorization_distance(HELD_OUT, TRAIN))),
            "latent_nearer": float((d_latent < d_pixel).mean()), "paths": paths, "fades": fades}


if __name__ == "__main__":
    _walks = interpolate(vae, SEEDS[0])
    print("midpoints, median distance to the nearest training digit: through the codes "
          f"{_walks['latent_midpoint']:.3f}, "
          f"cross-fading the pixels {_walks['pixel_midpoint']:.3f} (held-out digits: {_walks['real']:.3f}); the codes' "
          f"midpoint is the nearer on {_walks['latent_nearer']:.0%} of {PAIRS} pairs")


# %% [markdown]
# ## Moving one coordinate
#
# For each direction d (a coordinate axis, or a random unit vector), the codes z of 200 held-out digits move to
# z + 2·d. From the two decoded images: the share of the 64 pixels that change by more than 0.1; the share of the
# digits whose class the reference CNN sees change; and among those, how many classes they land in and the largest
# share going to one class (1.0 if the direction turned every digit it changed into the same digit).

# %% one coordinate
def moves(vae, predict, directions) -> list:
    z = encode(vae, HELD_OUT[:DIGITS])
    before = decode(vae, z)
    c0 = predict(before)
    out = []
    for d in directions:
        after = decode(vae, z + MOVE * d)
        c1 = predict(after)
        changed = c1 != c0
        landed = np.bincount(c1[changed], minlength=10)
        out.append({"pixels": float((np.abs(after - before) > CHANGED).mean()), "class_changed": float(changed.mean()),
                    "classes_reached": int((landed > 0).sum()),
                    "top_share": float(landed.max() / changed.sum()) if changed.any() else 0.0})
    return out


def coordinates(vae, predict, seed) -> dict:
    latent = vae.latent_dim
    spread = encode(vae, HELD_OUT).std(0)
    rng = np.random.default_rng(seed)
    random = rng.standard_normal((latent, latent))
    random /= np.linalg.norm(random, axis=1, keepdims=True)
    return {"std": spread.tolist(), "active": [bool(s >= ACTIVE) for s in spread],
            "axes": moves(vae, predict, np.eye(latent)), "random": moves(vae, predict, random)}


def show_moves(r, say=print):
    for j, (m, used) in enumerate(zip(r["axes"], r["active"])):
        say(f"  z[{j}] ({'in use' if used else 'unused'}, std {r['std'][j]:.2f}): {m['pixels']:.0%} of pixels change, "
            f"{m['class_changed']:.0%} of digits change class, into {m['classes_reached']} classes (largest share "
            f"{m['top_share']:.0%})")
    rand = r["random"]
    say(f"  random directions: {np.median([m['pixels'] for m in rand]):.0%} of pixels, "
        f"{np.median([m['class_changed'] for m in rand]):.0%} change class, into "
        f"{np.median([m['classes_reached'] for m in rand]):.0f} classes (medians over {len(rand)})")


if __name__ == "__main__":
    _c = coordinates(vae, predict, SEEDS[0])
    show_moves(_c)


# %% [markdown]
# ## Verdict: the rule
#
# Per seed. Interpolation holds when the decoded midpoint of the codes is nearer the training digits than the
# cross-fade's midpoint on at least 75% of the pairs. A coordinate in use (the codes spread along it by at least 0.3)
# would control a single attribute if it changed under 10% of the pixels, or sent at least 80% of the digits whose
# class it changes into one class; "not necessarily disentangled" holds when no coordinate in use does either. The
# seed "holds" when both parts hold, "holds partly" with one, "does not hold here" with neither; the verdict is the
# majority over the seeds.

# %% verdict rule
def single_attribute(m) -> bool:
    return m["pixels"] < 0.1 or (m["class_changed"] > 0 and m["top_share"] >= 0.8)


def decide_seed(r) -> str:
    smooth = r["interpolation"]["latent_nearer"] >= 0.75
    entangled = not any(single_attribute(m) for m, used in zip(r["axes"], r["active"]) if used)
    return "holds" if smooth and entangled else "holds partly" if smooth or entangled else "does not hold here"


def one_seed(seed, predict, steps=STEPS, verbose=False, say=print) -> dict:
    vae = train(seed, steps, verbose)
    r = {"interpolation": interpolate(vae, seed), **coordinates(vae, predict, seed), "vae": vae}
    i = r["interpolation"]
    say(f"seed {seed}: midpoints {i['latent_midpoint']:.3f} (codes) against {i['pixel_midpoint']:.3f} (pixels) from "
        f"the nearest training digit, the codes' nearer on {i['latent_nearer']:.0%} of pairs; "
        f"{sum(r['active'])} of {len(r['active'])} coordinates in use")
    r["outcome"] = decide_seed(r)
    return r


def summarise(per_seed, say=print) -> dict:
    outcome, agree = lessons.majority([r["outcome"] for r in per_seed])
    # the coordinates in use (all of them, on a seed that uses none: a VAE trained a few steps)
    used = [[m for m, a in zip(r["axes"], r["active"]) if a] or r["axes"] for r in per_seed]
    stat = {k: lessons.spread([np.median([m[k] for m in u]) for u in used])
            for k in ("pixels", "class_changed", "classes_reached", "top_share")}
    rand = {k: lessons.spread([np.median([m[k] for m in r["random"]]) for r in per_seed])
            for k in ("pixels", "class_changed", "classes_reached")}
    mid = {k: lessons.spread([r["interpolation"][k] for r in per_seed])
           for k in ("latent_midpoint", "pixel_midpoint", "latent_nearer")}
    active = lessons.spread([sum(r["active"]) for r in per_seed])
    single = sum(single_attribute(m) for r in per_seed for m, a in zip(r["axes"], r["active"]) if a)
    line = lessons.verdict(outcome, (
        f"midpoints' distance to the nearest training digit: through the codes "
        f"{lessons.show_spread(mid['latent_midpoint'], '.2f')}, cross-fading the pixels "
        f"{lessons.show_spread(mid['pixel_midpoint'], '.2f')} (held-out digits "
        f"{per_seed[0]['interpolation']['real']:.2f}), "
        f"the codes' nearer on {lessons.show_spread(mid['latent_nearer'], '.0%')} of pairs; one coordinate in use "
        f"({active['median']:.0f} of {len(per_seed[0]['active'])}; medians over them) moved by {MOVE:g} changes "
        f"{lessons.show_spread(stat['pixels'], '.0%')} of pixels and the class of "
        f"{lessons.show_spread(stat['class_changed'], '.0%')} of digits, into "
        f"{lessons.show_spread(stat['classes_reached'], '.0f')} classes (largest share "
        f"{lessons.show_spread(stat['top_share'], '.0%')}); random directions {rand['pixels']['median']:.0%}, "
        f"{rand['class_changed']['median']:.0%}, {rand['classes_reached']['median']:.0f}; {single} coordinate(s) "
        f"in use control a single attribute; {agree} of {len(per_seed)} seeds say '{outcome}'"), say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree,
            "per_seed_outcome": [r["outcome"] for r in per_seed], "midpoints": mid, "coordinates_in_use": active,
            "one_coordinate": stat, "random_direction": rand, "single_attribute_coordinates": single}


# %% [markdown]
# ## Over seeds
#
# The first seed's numbers, then two more seeds, then the verdict by the rule above.

# %% over seeds
if __name__ == "__main__":
    per_seed = [{"interpolation": _walks, **_c}]
    per_seed[0]["outcome"] = decide_seed(per_seed[0])
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, predict, verbose=True))
        show_moves(per_seed[-1])
    result = summarise(per_seed)


# %% [markdown]
# ## Picture: the walks, and each coordinate's reach
#
# Top left: four pairs of held-out digits, each walked through the codes (upper row) and cross-faded in pixels
# (lower row). Top right: one digit with each coordinate set to −3 … +3 around its code (one row a coordinate).
# Bottom: for each coordinate of seed 0, the pixels it changes and the digits whose class it changes (bars), and
# the classes they land in (dots, right axis); dashed lines: the random directions' medians.

# %% picture
def _grid(rows):
    """Images (n, 1, 8, 8) per row -> one array, a white line between images and between rows."""
    pad = lambda im: np.pad(im[0], 1, constant_values=1.0)  # noqa: E731
    return np.concatenate([np.concatenate([pad(im) for im in row], axis=1) for row in rows], axis=0)


def picture(per_seed, vae, result, out_dir):
    plt = lessons.plt()
    fig = plt.figure(figsize=(13, 8.4))
    first = per_seed[0]
    walks = fig.add_subplot(2, 2, 1)
    rows = [r for path, fade in zip(first["interpolation"]["paths"], first["interpolation"]["fades"])
            for r in (path, fade)]
    walks.imshow(_grid(rows), cmap="gray", vmin=0, vmax=1)
    walks.set_xticks([])
    walks.set_yticks([])
    i = first["interpolation"]
    walks.set_title(f"through the codes (rows 1, 3, 5, 7) and cross-faded (2, 4, 6, 8)\nmidpoints from the "
                    f"nearest training digit: {i['latent_midpoint']:.2f} against {i['pixel_midpoint']:.2f}",
                    fontsize=9)
    sweep = fig.add_subplot(2, 2, 2)
    z = encode(vae, HELD_OUT[:1])[0]
    values = np.linspace(-3, 3, 9)
    grid = []
    for j in range(len(z)):
        codes = np.repeat(z[None], len(values), axis=0)
        codes[:, j] = values
        grid.append(decode(vae, codes))
    sweep.imshow(_grid(grid), cmap="gray", vmin=0, vmax=1)
    sweep.set_xticks([])
    sweep.set_yticks([5 + 10 * j for j in range(len(z))])
    sweep.set_yticklabels([f"z[{j}]" + ("" if first["active"][j] else " (unused)") for j in range(len(z))],
                          fontsize=8)
    sweep.set_title("one held-out digit, one coordinate set to −3 … +3 (a row each)", fontsize=9)
    bars = fig.add_subplot(2, 1, 2)
    x = np.arange(len(first["axes"]))
    bars.bar(x - 0.2, [100 * m["pixels"] for m in first["axes"]], 0.4, color="C0", label="pixels changed (%)")
    bars.bar(x + 0.2, [100 * m["class_changed"] for m in first["axes"]], 0.4, color="C1",
             label="digits whose class changes (%)")
    bars.axhline(100 * result["random_direction"]["pixels"]["per_seed"][0], color="C0", ls="--", lw=1,
                 label="random directions: pixels (median)")
    bars.axhline(100 * result["random_direction"]["class_changed"]["per_seed"][0], color="C1", ls="--", lw=1,
                 label="random directions: class changes (median)")
    bars.set(xticks=x, xticklabels=[f"z[{j}]" for j in x], ylabel="%", ylim=(0, 100),
             xlabel=f"the coordinate moved by +{MOVE:g} (seed {SEEDS[0]}, {DIGITS} held-out digits)")
    bars.legend(fontsize=8, loc="upper left")
    reach = bars.twinx()
    reach.plot(x, [m["classes_reached"] for m in first["axes"]], "ko", label="classes they land in")
    reach.set(ylim=(0, 10.5), ylabel="classes the changed digits land in")
    reach.legend(fontsize=8, loc="upper right")
    fig.suptitle(f"verdict: {result['outcome']} ({result['seeds_agreeing']} of {len(per_seed)} seeds); a VAE with "
                 f"8-D codes on the digits", fontsize=10)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "latent_interpolation.png")


if __name__ == "__main__":
    picture(per_seed, vae, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(steps=STEPS, seeds=SEEDS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    predict = reference()
    per_seed = [one_seed(seed, predict, steps, False, say) for seed in seeds]
    result = summarise(per_seed, say)
    result["per_seed"] = [{"outcome": r["outcome"], "active": r["active"], "axes": r["axes"],
                           **{k: v for k, v in r["interpolation"].items() if k not in ("paths", "fades")}}
                          for r in per_seed]
    if out_dir is not None:
        result["figure"] = picture(per_seed, per_seed[0]["vae"], result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# The VAE leaves some coordinates unused (their codes sit near 0 and moving them changes nothing). Set `TRY_LATENT =
# 2` and run the cell (seed 0, about half a minute): with two coordinates both should be in use, and each should
# still change the class of many digits into several classes (we measured 70% and 88% of digits, into 7 classes
# each).

# %% try it
if __name__ == "__main__":
    TRY_LATENT = None  # try 2
    if TRY_LATENT:
        _exp = build_experiment("vae", "digits", seed=0, latent_dim=TRY_LATENT)
        for _ in lessons.progress(range(STEPS), "VAE, 2-D codes"):
            _exp.train_step()
        show_moves(coordinates(_exp.trainer, predict, 0))
