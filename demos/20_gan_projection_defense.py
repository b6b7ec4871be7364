# %% [markdown]
# # 20 · A GAN as a shield: project onto the generator's range, then classify. Does it hold?
#
# **The claim.** Real digits lie near the range of a generator G, and an adversarial perturbation pushes x off it.
# So classify the projection P(x) = G(z*), with z* = argmin_z ‖G(z) − x‖², instead of x
# (`minigan.attacks.gan_defense`), and the perturbation is gone. A defence is only as good as the strongest attack
# that knows about it, so it is measured against attacks that ignore it and against attacks aware of it.
#
# **Where it comes from.** Introduction to Deep Learning IT3320E (Hung Son Nguyen, Hanoi University of Science and
# Technology, 2022), the GAN lecture, which closes its adversarial-examples part with a paper review of Ilyas et al.
# 2017, "The Robust Manifold Defense: Adversarial Training using Generative Models". The same idea: Samangouei, Kabkab
# & Chellappa 2018, "Defense-GAN". The aware attacks: Athalye, Carlini & Wagner 2018, "Obfuscated Gradients Give a
# False Sense of Security".
#
# **What this lesson does.** The digits DCGAN of `minigan.gans.recipes` (cached), the reference digits CNN, the first
# 100 test digits, ε = 0.1 (pixels in [0, 1]); the projection takes 60 Adam steps on z from 3 starts. Three attacks,
# all reported:
#
# * unaware: FGSM and PGD-40 made on the undefended classifier, then shown to the defence (what a defence paper's
#   first table usually shows);
# * aware: BPDA, PGD on the defended model, running the projection forward and treating it as the identity backward;
# * aware: a search ON the generator's range: from z*(x), move z to raise the classifier's loss on G(z) while keeping
#   G(z) within ε of x (how Athalye et al. attack Defense-GAN), then clip G(z) into the ε-ball around x.
#
# A defence that only survives the first is a lesson in evaluation, not a defence. It does all of this with 3 GANs
# (seeds 0, 1, 2: lesson 19's, cached) and states the verdict the majority of the seeds gives. What it measured is
# in the lesson index (demos/README.md, lesson 20) and demos/numbers.json.
#
# **Run time:** 230 s of CPU (three seeds; from a clean state it first trains the digits DCGANs and the reference
# CNN, which lessons 19 and 17 cache), from a clean state with one BLAS thread, as `python demos/lesson_times.py
# 20` measured it (demos/lesson_times.json, which records the machine's load and the wall time beside it: on a
# shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: a generator, a classifier, and test digits
#
# The digits DCGAN (trained once, then cached), the reference CNN (pixels in [0, 1]), and the first n test digits.

# %% set-up
"""Lesson 20: a GAN as a shield: project onto the generator's range, then classify. Does it hold?"""

from __future__ import annotations

import time

import minigan
from minigan import lessons
from minigan.attacks import fgsm, pgd
from minigan.attacks.gan_defense import bpda_pgd, digits_gan, manifold_attack, project
from minigan.attacks.robustness import accuracy
from minigan.classifier import reference_classifier
from minigan.data.digits import load_digits
from minigan.engine.backend import np

NAME = "20_gan_projection_defense"
SEEDS = (0, 1, 2)  # each seed: its own digits DCGAN (lesson 19's, cached) and its own random starts
N, EPS, GAN_STEPS, PROJ_STEPS, RESTARTS, BPDA_STEPS = 100, 0.1, 3000, 60, 3, 10


def pieces(n, gan_steps, verbose, seed=0):
    exp = digits_gan(steps=gan_steps, seed=seed, verbose=verbose)
    C = reference_classifier("cnn")
    x, y = load_digits("test", scale="01")
    return exp.trainer.G, exp.config["latent_dim"], C, x[:n], y[:n]


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/20_gan_projection_defense/ by default
    started = time.perf_counter()
    print(f"the first {N} test digits, ε = {EPS}; a digits DCGAN per seed {SEEDS} (cached by lesson 19, else trained "
          f"here, each with its progress)")


# %% [markdown]
# ## The defence, one projection looked at closely
#
# The defence classifies G(z*) instead of x, with z* = argmin_z ‖G(z) − x‖²: `project` runs Adam on z (not on any
# weight: G is fixed) from a few random starts and keeps the best. Whatever an attacker added to x, the classifier
# only sees a point G can draw, and G was never trained on adversarial noise. `P` is that forward pass. The first
# projection, of the clean digits, also tells what the defence costs: the classifier's accuracy on G(z*) against x.

# %%
def defence(G, latent, proj_steps, restarts):
    def P(images):  # the defence's forward pass: the nearest point of G's range
        return project(G, images, latent, steps=proj_steps, restarts=restarts)[0]
    return P


def clean_accuracy(C, G, latent, x, y, proj_steps, restarts, seed=0):
    minigan.manual_seed(10 * seed)
    px, _, z_star = project(G, x, latent, steps=proj_steps, restarts=restarts)
    return px, z_star, {"undefended": accuracy(C, x, y), "defended": accuracy(C, px, y)}


# %% [markdown]
# One projection looked at closely: 4 clean test digits, how far G(z*) lands from each (‖G(z*) − x‖, over 64
# pixels in [0, 1]), and what the classifier says about x and about G(z*). A small distance and the same label mean
# the defence costs nothing on that digit; a G that cannot draw a digit well is where clean accuracy is lost.

# %% one projection
if __name__ == "__main__":
    _G, _latent, _C, _x, _y = pieces(4, GAN_STEPS, True, SEEDS[0])
    minigan.manual_seed(0)
    _px = project(_G, _x, _latent, steps=PROJ_STEPS, restarts=RESTARTS)[0]
    with minigan.no_grad():
        _on_x, _on_px = (_C(minigan.tensor(a)).detach().cpu().numpy().argmax(1) for a in (_x, _px))
    for _i in range(4):
        print(f"digit {_y[_i]}: ‖G(z*) − x‖ = {np.linalg.norm(_px[_i] - _x[_i]):.3f}; "
              f"classifier says {_on_x[_i]} on x, {_on_px[_i]} on G(z*)")


# %% [markdown]
# ## Run: the pieces for seed 0, and what the defence costs on clean digits

# %% run
if __name__ == "__main__":
    G, latent, C, x, y = pieces(N, GAN_STEPS, True, SEEDS[0])
    P = defence(G, latent, PROJ_STEPS, RESTARTS)
    px, z_star, clean = clean_accuracy(C, G, latent, x, y, PROJ_STEPS, RESTARTS, SEEDS[0])
    print(f"clean: the classifier alone {100 * clean['undefended']:.0f}%, on G(z*) {100 * clean['defended']:.0f}%")


# %% [markdown]
# ## Attacks that do not know about the defence
#
# FGSM and PGD-40 attack the classifier alone: x' is crafted on C's gradient, then handed to the defence, which
# projects it before classifying. If the projection strips the perturbation, C(P(x')) recovers.

# %% unaware attacks
def unaware(C, P, x, y, eps, verbose, seed=0):
    x_fgsm = fgsm(C, x, y, eps).detach().cpu().numpy()
    minigan.manual_seed(10 * seed)
    x_pgd = pgd(C, x, y, eps, steps=40, restarts=2).detach().cpu().numpy()
    acc = {}
    for name, x_adv in lessons.progress((("FGSM (unaware)", x_fgsm), ("PGD-40 (unaware)", x_pgd)),
                                        "projecting x'", verbose):
        acc[name] = {"undefended": accuracy(C, x_adv, y), "defended": accuracy(C, P(x_adv), y)}
    return acc, x_pgd


if __name__ == "__main__":
    acc_unaware, x_pgd = unaware(C, P, x, y, EPS, True, SEEDS[0])
    for name, a in acc_unaware.items():
        print(f"{name}: the classifier alone {100 * a['undefended']:.0f}%, on G(z*) {100 * a['defended']:.0f}%")


# %% [markdown]
# ## Attacks that do
#
# A defence is only as good as the best attack that knows it. BPDA (Athalye et al. 2018) runs PGD through C∘P,
# taking P's backward pass as the identity, since an inner optimisation has no useful gradient. The second aware
# attack searches G's range itself: it moves z* so that G(z) stays within ε of x but C gets it wrong; the
# projection then finds that point and hands it to C. Each is judged by a fresh projection (its own seed).

# %% aware attacks
def aware(C, G, P, x, y, z_star, eps, bpda_steps, seed=0):
    minigan.manual_seed(10 * seed + 1)
    x_bpda = bpda_pgd(C, P, x, y, eps, steps=bpda_steps)
    minigan.manual_seed(10 * seed + 2)  # a fresh projection judges the result (the defence's own randomness)
    acc = {f"BPDA-PGD-{bpda_steps} (aware)": {"undefended": accuracy(C, x_bpda, y),
                                              "defended": accuracy(C, P(x_bpda), y)}}
    x_manifold = manifold_attack(C, G, x, y, z_star, eps)
    minigan.manual_seed(10 * seed + 3)
    acc["on G's range (aware)"] = {"undefended": accuracy(C, x_manifold, y), "defended": accuracy(C, P(x_manifold), y)}
    return acc, x_bpda, x_manifold


def report(acc, n, eps, proj_steps, restarts, say=print):
    say(f"GAN projection defence on {n} test digits, ε = {eps:g}, projection: {proj_steps} Adam steps on z "
        f"from {restarts} starts (accuracy %)")
    say(f"  {'attack':<22} {'classifier alone':>17} {'classifier(P(x))':>17}")
    for name, a in acc.items():
        say(f"  {name:<22} {100 * a['undefended']:17.1f} {100 * a['defended']:17.1f}")


if __name__ == "__main__":
    acc_aware, x_bpda, x_manifold = aware(C, G, P, x, y, z_star, EPS, BPDA_STEPS, SEEDS[0])
    acc = {"clean": clean, **acc_unaware, **acc_aware}
    report(acc, N, EPS, PROJ_STEPS, RESTARTS)


# %% [markdown]
# ## Verdict for one seed
#
# "holds" needs the defence to keep, under the strongest aware attack, nearly what it keeps under unaware PGD
# (within 10 points) and 20 points more than the classifier alone; if only the unaware attacks are beaten, it
# "holds partly": a shield that works only against attackers who do not know it is there.

# %% one seed's verdict
def decide(acc, bpda_steps):
    aware_acc = min(acc[f"BPDA-PGD-{bpda_steps} (aware)"]["defended"], acc["on G's range (aware)"]["defended"])
    unaware_acc, alone = acc["PGD-40 (unaware)"]["defended"], acc["PGD-40 (unaware)"]["undefended"]
    clean = f"{100 * acc['clean']['defended']:.0f}%"
    if aware_acc >= unaware_acc - 0.1 and aware_acc >= alone + 0.2:
        outcome, why = "holds", (
            f"against the attacks tried, {100 * aware_acc:.0f}% under the strongest aware attack, "
            f"{100 * unaware_acc:.0f}% under unaware PGD-40 (the classifier alone: {100 * alone:.0f}%), clean "
            f"{clean} (alone {100 * acc['clean']['undefended']:.0f}%); stronger aware attacks may exist")
    elif unaware_acc > alone + 0.2:
        outcome, why = "holds partly", (
            f"against attacks that ignore it the defence restores {100 * unaware_acc:.0f}% (the classifier alone "
            f"keeps {100 * alone:.0f}%), but the strongest aware attack brings it to {100 * aware_acc:.0f}%; its "
            f"clean accuracy is {clean}")
    else:
        outcome, why = "does not hold here", (f"the projection keeps {100 * unaware_acc:.0f}% under unaware PGD and "
                                              f"{100 * aware_acc:.0f}% under the aware attacks")
    return aware_acc, unaware_acc, alone, outcome, why


def one_seed(seed, n, eps, gan_steps, proj_steps, restarts, bpda_steps, verbose, say=print, made=None):
    """One seed's defence under every attack, and its outcome; also the images of the picture's rows.
    ``made``: (acc, rows) already computed above."""
    if made is None:
        G, latent, C, x, y = pieces(n, gan_steps, verbose, seed)
        P = defence(G, latent, proj_steps, restarts)
        px, z_star, clean = clean_accuracy(C, G, latent, x, y, proj_steps, restarts, seed)
        acc_unaware, x_pgd = unaware(C, P, x, y, eps, verbose, seed)
        acc_aware, x_bpda, x_manifold = aware(C, G, P, x, y, z_star, eps, bpda_steps, seed)
        acc = {"clean": clean, **acc_unaware, **acc_aware}
        say(f"\nseed {seed} (its own GAN):")
        report(acc, n, eps, proj_steps, restarts, say)
        rows = {"x": x, "P(x)": px, "PGD x'": x_pgd, "P(PGD x')": P(x_pgd[:4]), "BPDA x'": x_bpda,
                "on G's range x'": x_manifold}
    else:
        acc, rows = made
    aware_acc, unaware_acc, alone, outcome, why = decide(acc, bpda_steps)
    say(f"  seed {seed}: {outcome}")
    return {"accuracy": acc, "aware_accuracy": aware_acc, "unaware_accuracy": unaware_acc, "alone_accuracy": alone,
            "outcome": outcome}, rows


if __name__ == "__main__":
    rows = {"x": x, "P(x)": px, "PGD x'": x_pgd, "P(PGD x')": P(x_pgd[:4]), "BPDA x'": x_bpda,
            "on G's range x'": x_manifold}
    per_seed = [one_seed(SEEDS[0], N, EPS, GAN_STEPS, PROJ_STEPS, RESTARTS, BPDA_STEPS, True, made=(acc, rows))[0]]


# %% [markdown]
# ## Over seeds: the rule
#
# One GAN is one draw, and so is one set of random starts. The lesson repeats everything for 3 seeds, each with its
# own digits DCGAN (lesson 19 trains the same three), and the verdict is the one a majority of the seeds gives (at
# least 2 of 3) by the rule above; each accuracy is given as its median and range over the seeds.

# %% over seeds
def summarise(per_seed, bpda_steps, say=print):
    outcome, agree = lessons.majority([r["outcome"] for r in per_seed])
    n = len(per_seed)
    names = list(per_seed[0]["accuracy"])
    accuracy = {a: {side: lessons.spread([100 * r["accuracy"][a][side] for r in per_seed])
                    for side in ("undefended", "defended")} for a in names}
    aware_acc = lessons.spread([100 * r["aware_accuracy"] for r in per_seed])
    unaware_acc = lessons.spread([100 * r["unaware_accuracy"] for r in per_seed])
    alone = lessons.spread([100 * r["alone_accuracy"] for r in per_seed])
    clean = accuracy["clean"]["defended"]
    numbers = (f"accuracy in % over {n} seeds: the classifier alone under PGD-40 {lessons.show_spread(alone, '.0f')}; "
               f"classifier(G(z*)) under unaware PGD-40 {lessons.show_spread(unaware_acc, '.0f')}, under the strongest "
               f"aware attack {lessons.show_spread(aware_acc, '.0f')}, clean {lessons.show_spread(clean, '.0f')}; "
               f"{agree} of {n} seeds say '{outcome}'")
    why = {"holds": "against the attacks tried: " + numbers + "; stronger aware attacks may exist",
           "holds partly": numbers + ": the defence beats the attacks that ignore it, not those that know it "
                                     "(or the seeds disagree)",
           "does not hold here": numbers}[outcome]
    line = lessons.verdict(outcome, why, say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree, "accuracy": accuracy,
            "aware_accuracy": aware_acc, "unaware_accuracy": unaware_acc, "alone_accuracy": alone,
            "per_seed_outcome": [r["outcome"] for r in per_seed]}


if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, N, EPS, GAN_STEPS, PROJ_STEPS, RESTARTS, BPDA_STEPS, True)[0])
    result = summarise(per_seed, BPDA_STEPS)


# %% [markdown]
# ## Picture: accuracies, and what the projection does to each input
#
# Left: accuracy under each attack (median over seeds, whiskers the range; the verdict above it), the classifier alone
# beside classifier(G(z*)). Right: 4 test digits (columns), the input of each attack and its projection: the
# projection of an attacked digit should look like the digit.

# %% picture
def accuracy_bars(ax, accuracy, eps):
    """Each bar the median over seeds, its whisker the range."""
    names, w = list(accuracy), 0.38
    for offset, side, label in ((-w / 2, "undefended", "classifier alone"), (w / 2, "defended", "classifier(G(z*))")):
        med = [accuracy[k][side]["median"] for k in names]
        err = [[m - accuracy[k][side]["min"] for k, m in zip(names, med)],
               [accuracy[k][side]["max"] - m for k, m in zip(names, med)]]
        ax.bar([i + offset for i in range(len(names))], med, w, yerr=err, capsize=3, label=label)
    ax.set_xticks(range(len(names)), names, rotation=15, fontsize=8)
    ax.set_ylabel("test accuracy (%)")
    ax.set_ylim(0, 118)  # room above 100% for the legend, so that it covers no bar
    ax.set_yticks(range(0, 101, 20))
    ax.legend(fontsize=8, ncol=2, loc="upper center")
    ax.set_title(f"ε = {eps:g}: attacks unaware and aware of the defence", fontsize=10)


def picture(per_seed, eps, rows, result, seeds, out_dir):
    plt = lessons.plt()
    fig = plt.figure(figsize=(12, 4.8))
    left, right = fig.subfigures(1, 2, width_ratios=[1.25, 1], wspace=0.04)
    accuracy_bars(left.subplots(), result["accuracy"], eps)
    left.suptitle(f"verdict: {result['outcome']} ({result['seeds_agreeing']} of {len(seeds)} seeds); "
                  "bars: median over seeds, whiskers: range", fontsize=9)
    cells = right.subplots(len(rows), 4, gridspec_kw={"wspace": 0.08, "hspace": 0.12})
    for r, (label, images) in enumerate(rows.items()):  # 4 digits a row, each 8×8 image in its own frame
        for c in range(4):
            cells[r, c].imshow(np.asarray(images[c][0]), cmap="gray", vmin=0, vmax=1, interpolation="nearest")
            cells[r, c].set_xticks([])
            cells[r, c].set_yticks([])
        cells[r, 0].set_ylabel(label, rotation=0, ha="right", va="center", fontsize=8)
    right.suptitle(f"4 test digits (columns), seed {seeds[0]}: the input of each attack, and its projection "
                   "P = G(z*)", fontsize=9)
    return lessons.save(fig, out_dir, "gan_projection_defense.png")


if __name__ == "__main__":
    picture(per_seed, EPS, rows, result, SEEDS, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(n=N, eps=EPS, gan_steps=GAN_STEPS, proj_steps=PROJ_STEPS, restarts=RESTARTS, bpda_steps=BPDA_STEPS,
        seeds=SEEDS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    per_seed, rows = [], None
    with lessons.Timer() as timer:
        for seed in seeds:
            r, seed_rows = one_seed(seed, n, eps, gan_steps, proj_steps, restarts, bpda_steps, verbose, say)
            per_seed.append(r)
            rows = rows if seed != seeds[0] else seed_rows
    result = summarise(per_seed, bpda_steps, say)
    say(f"({timer.seconds:.0f} s)")
    result.update(eps=eps, n=n, seeds=list(seeds), seconds=timer.seconds)
    if out_dir is not None:
        result["figure"] = picture(per_seed, eps, rows, result, seeds, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# A weaker shield: set `TRY_PROJ_STEPS = 5` (5 Adam steps on z instead of 60) and run the cell (seed 0, a few
# seconds). Expect G(z*) to land farther from x: clean accuracy on the projection falls, and so does the accuracy
# under unaware PGD-40, since the projection no longer finds the digit G can draw.

# %% try it
if __name__ == "__main__":
    TRY_PROJ_STEPS = 0  # try 5
    if TRY_PROJ_STEPS:
        weak = defence(G, latent, TRY_PROJ_STEPS, RESTARTS)
        minigan.manual_seed(0)
        print(f"{TRY_PROJ_STEPS} projection steps: clean {100 * accuracy(C, weak(x), y):.0f}%, unaware PGD-40 "
              f"{100 * accuracy(C, weak(x_pgd), y):.0f}% (60 steps: {100 * clean['defended']:.0f}%, "
              f"{100 * acc['PGD-40 (unaware)']['defended']:.0f}%)")
