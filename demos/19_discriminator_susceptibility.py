# %% [markdown]
# # 19 · Are GAN discriminators harder to fool with adversarial examples? A fair test
#
# **The claim.** Because a GAN's discriminator is trained against an adversary, the generator, all the time, it should
# end up less easily fooled by adversarial examples than an ordinary classifier. But G attacks D from the other side:
# it moves fakes towards "real", while an adversarial example moves a REAL image, by a tiny ε, towards "fake".
# Whether the game buys robustness against that is a question one can measure.
#
# **Where it comes from.** The GAN paper lecture (a lecture on Goodfellow et al. 2014, "Generative Adversarial
# Nets"): its opening slide "Generative Adversarial Networks" promises one algorithm that both learns to generate
# images and stops being fooled by adversarial examples, and its slide "Impact" counts discriminators that are harder
# to fool among the results. The attack: Madry et al. 2018, "Towards Deep Learning Models Resistant to Adversarial
# Attacks" (PGD).
#
# **What this lesson does.** It trains the digits DCGAN (`minigan.gans.recipes`, 3,000 steps, pixels in [−1, 1]),
# then a twin of D's exact architecture on the same task, real training digits against a fixed set of the final
# generator's samples, WITHOUT the game, stopped as soon as its held-out real-vs-fake accuracy reaches D's. For each
# real test digit a network calls real, it finds the smallest ε (pixels in [0, 1], on a grid) at which a 20-step PGD
# attack flips the decision to "fake". Less susceptible means a larger ε is needed. It does all of this for 3 seeds
# (3 GANs, 3 twins) and states the verdict the majority of the seeds gives. What it measured is in the lesson index
# (demos/README.md, lesson 19) and demos/numbers.json.
#
# **Run time:** 205 s of CPU (three seeds, each training a digits DCGAN, cached for lesson 20), from a clean
# state with one BLAS thread, as `python demos/lesson_times.py 19` measured it (demos/lesson_times.json, which
# records the machine's load and the wall time beside it: on a shared machine both grow; a quiet one takes
# less).

# %% [markdown]
# ## Set up: a probe of a real-vs-fake network
#
# A discriminator maps an image (pixels in [−1, 1]) to one logit: above 0 means "real". `logits` reads it without
# recording a graph; `held_out_accuracy` is the share of real test digits called real and of fresh fakes called fake.

# %% set-up
"""Lesson 19: are GAN discriminators harder to fool with adversarial examples? A fair test."""

from __future__ import annotations

import time

import minigan
import minigan.functional as F
from minigan import lessons
from minigan.attacks import pgd
from minigan.attacks.gan_defense import digits_gan
from minigan.data.digits import load_digits
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.gans.models import DCGANDiscriminator
from minigan.optim import Adam

NAME = "19_discriminator_susceptibility"
SEEDS = (0, 1, 2)  # each seed: its own GAN (cached for lesson 20), its own twin, its own fakes
GAN_STEPS, PGD_STEPS = 3000, 20
EPS_GRID = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3)  # pixels in [0, 1]


def logits(model, x):
    with minigan.no_grad():
        return backend.asnumpy(model(minigan.tensor(x)).array).reshape(-1)


def held_out_accuracy(model, real, fake):
    return float(((logits(model, real) > 0).sum() + (logits(model, fake) <= 0).sum()) / (len(real) + len(fake)))


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/19_discriminator_susceptibility/ by default
    started = time.perf_counter()
    print(f"seeds {SEEDS}: a digits DCGAN each (3,000 steps; trained once, then cached), PGD-{PGD_STEPS} over ε in "
          f"{EPS_GRID}")


# %% [markdown]
# ## A fair comparison: the same network, trained without the game
#
# A D that is barely better than a coin flip is easy to push across its boundary, whatever trained it. So the
# comparison is at *matched accuracy*: `train_matched` trains a fresh net of D's architecture on real digits (1)
# against a fixed set of G's fakes (0), and stops as soon as its held-out accuracy reaches D's. Each step below is
# an ordinary classifier step: BCE on a batch, `zero_grad`, `backward`, `step`.

# %%
def train_matched(architecture, real, fake, real_test, fake_test, target, lr=2e-4, batch=64, max_steps=3000,
                  check_every=5, seed=0):
    """A fresh D-architecture net trained on real (1) vs fixed fakes (0) until held-out accuracy ≥ target."""
    minigan.manual_seed(seed)
    net = architecture()
    opt = Adam(net.parameters(), lr=lr, betas=(0.5, 0.999))
    rng = np.random.default_rng(seed)
    x = np.concatenate([real, fake]).astype(np.float32)
    t = np.concatenate([np.ones(len(real)), np.zeros(len(fake))]).astype(np.float32).reshape(-1, 1)
    acc, step = held_out_accuracy(net.eval(), real_test, fake_test), 0
    while acc < target and step < max_steps:
        net.train()
        for _ in range(check_every):
            idx = rng.integers(0, len(x), batch)
            loss = F.binary_cross_entropy_with_logits(net(minigan.tensor(x[idx])), minigan.tensor(t[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
        acc = held_out_accuracy(net.eval(), real_test, fake_test)
    return net.eval(), acc, step


# %% [markdown]
# ## The attack, looked at closely: how small an ε flips "real" to "fake"?
#
# For each real test digit a network calls real, PGD (20 projected sign steps, target "fake") searches the ε-box
# for an image it calls fake. Going up the ε grid, the first ε that succeeds is that digit's *smallest flipping ε*;
# the median over digits is one number per network: the larger, the harder to fool. The digits are in [−1, 1],
# so an ε of the [0, 1] scale is 2ε here. Each ε starts PGD from the same seeded random point.

# %%
def flip_curve(model, real, eps_grid, steps=20, verbose=False, desc="PGD over ε"):
    """Per ε: the fraction of the real images the model calls real that PGD turns into "fake"."""
    called_real = real[logits(model, real) > 0]
    ones = np.ones(len(called_real), dtype=np.float32)
    flipped = []
    min_eps = np.full(len(called_real), np.inf)
    for e in lessons.progress(eps_grid, desc, verbose):
        minigan.manual_seed(0)
        x_adv = pgd(model, called_real, ones, eps=2 * e, steps=steps, clip=(-1.0, 1.0))  # [−1, 1] pixels: 2ε
        now = logits(model, x_adv.detach().cpu().numpy()) <= 0
        min_eps = np.where(now & np.isinf(min_eps), e, min_eps)
        flipped.append(float(now.mean()))
    return flipped, min_eps, len(called_real)


# %% [markdown]
# One attack looked at closely: the GAN's D (trained or loaded from the cache) and the first 4 real test digits.
# D's logit on each before and after PGD-20 at ε = 0.05 ([0, 1] scale): a logit that crosses 0 is a flip, and the
# largest pixel change stays within the box.

# %% one attack
if __name__ == "__main__":
    _D = digits_gan(steps=GAN_STEPS, seed=SEEDS[0], verbose=True).trainer.D  # trained here unless cached
    _x = 2.0 * load_digits("test", scale="01")[0][:4] - 1.0
    minigan.manual_seed(0)
    _adv = pgd(_D, _x, np.ones(4, dtype=np.float32), eps=0.1, steps=20, clip=(-1.0, 1.0)).detach().cpu().numpy()
    print("D's logit on 4 real digits:", np.round(logits(_D, _x), 3))
    print("after PGD-20 at ε = 0.05:  ", np.round(logits(_D, _adv), 3),
          f"(max pixel change {np.abs(_adv - _x).max() / 2:.3f} on the [0, 1] scale)")


# %% [markdown]
# ## Run: the GAN, its D's accuracy, and the matched twin (seed 0)
#
# `digits_gan` trains (or loads from the cache) the digits DCGAN. Fakes for the twin's training and for the
# held-out test are drawn from G after a fixed seed, so both networks are judged on the same images.

# %% run
def gan_and_twin(gan_steps, verbose, seed=0):
    exp = digits_gan(steps=gan_steps, seed=seed, verbose=verbose)
    D = exp.trainer.D
    real_train = exp.images.astype(np.float32)
    real_test = 2.0 * load_digits("test", scale="01")[0] - 1.0
    minigan.manual_seed(seed + 1)
    fake_train = exp.trainer.sample(len(real_train)).detach().cpu().numpy()
    fake_test = exp.trainer.sample(len(real_test)).detach().cpu().numpy()
    acc_d = held_out_accuracy(D, real_test, fake_test)
    shape, channels = exp.image_shape, exp.config["channels"]
    static, acc_s, steps_s = train_matched(lambda: DCGANDiscriminator(shape, channels), real_train, fake_train,
                                           real_test, fake_test, acc_d, seed=seed)
    return D, static, real_test, acc_d, acc_s, steps_s


if __name__ == "__main__":
    D, static, real_test, acc_d, acc_s, steps_s = gan_and_twin(GAN_STEPS, True, SEEDS[0])
    print(f"seed {SEEDS[0]}: D's held-out real-vs-fake accuracy {100 * acc_d:.1f}%; the twin reaches "
          f"{100 * acc_s:.1f}% after {steps_s} steps")


# %% [markdown]
# ## Measure: the flip curve of each network
#
# The share of real digits flipped at each ε, and the median smallest flipping ε (∞ for a digit never flipped).

# %% measure
def curves_of(nets, real_test, eps_grid, pgd_steps, verbose):
    curves = {}
    for name, model in nets.items():
        flipped, min_eps, n = flip_curve(model, real_test, eps_grid, pgd_steps, verbose, name)
        finite = min_eps[np.isfinite(min_eps)]
        curves[name] = {"flipped": flipped, "n_called_real": n,
                        "median_min_eps": float(np.median(min_eps)) if len(min_eps) else float("nan"),
                        "never_flipped": float(np.isinf(min_eps).mean()) if len(min_eps) else 0.0,
                        "mean_min_eps_flipped": float(finite.mean()) if len(finite) else float("nan")}
    return curves


def report(curves, acc_d, acc_s, steps_s, gan_steps, pgd_steps, eps_grid, say=print):
    say(f"GAN ({gan_steps} steps): D's held-out real-vs-fake accuracy {100 * acc_d:.1f}%; the same architecture "
        f"trained without the game reaches {100 * acc_s:.1f}% after {steps_s} steps")
    say(f"PGD-{pgd_steps} pushing real test digits towards 'fake' (pixels in [0, 1]):")
    say("  ε        " + "".join(f"{e:>7g}" for e in eps_grid))
    for name, c in curves.items():
        say(f"  {name:<18} flipped %: " + "".join(f"{100 * f:7.1f}" for f in c["flipped"]))
        say(f"  {'':<18} median smallest flipping ε {c['median_min_eps']:.3g} over {c['n_called_real']} digits "
            f"it called real")


if __name__ == "__main__":
    curves = curves_of({"GAN discriminator": D, "same net, no game": static}, real_test, EPS_GRID, PGD_STEPS, True)
    report(curves, acc_d, acc_s, steps_s, GAN_STEPS, PGD_STEPS, EPS_GRID)


# %% [markdown]
# ## Verdict for one seed
#
# The claim (a GAN's D is harder to fool) holds if D needs at least 1.5× the twin's median ε, partly if it needs
# more at all; if D flips at a smaller ε, it does not hold here.

# %% one seed's verdict
def decide(curves):
    gan_eps, static_eps = curves["GAN discriminator"]["median_min_eps"], curves["same net, no game"]["median_min_eps"]
    ratio = gan_eps / static_eps if static_eps > 0 else float("inf")
    if ratio >= 1.5:
        outcome, why = "holds", f"D needs {ratio:.1f}x the ε of the same network trained without the game"
    elif ratio > 1.0:
        outcome, why = "holds partly", (f"D needs {ratio:.2f}x the ε (median {gan_eps:.3g} vs {static_eps:.3g}), "
                                        "a small margin at matched accuracy")
    else:
        outcome, why = "does not hold here", (
            f"at matched accuracy D flips at median ε = {gan_eps:.3g} against {static_eps:.3g} for the same "
            f"network trained without the game (ratio {ratio:.2f})"
            + (": near the equilibrium D's outputs sit close to ½" if ratio < 1 else ""))
    return ratio, outcome, why


def one_seed(seed, gan_steps, pgd_steps, eps_grid, verbose, say=print, made=None):
    """One seed's GAN, twin, flip curves and outcome (``made``: the pieces already computed above)."""
    say(f"\nseed {seed}:")
    if made is None:
        D, static, real_test, acc_d, acc_s, steps_s = gan_and_twin(gan_steps, verbose, seed)
        nets = {"GAN discriminator": D, "same net, no game": static}
        curves = curves_of(nets, real_test, eps_grid, pgd_steps, verbose)
        report(curves, acc_d, acc_s, steps_s, gan_steps, pgd_steps, eps_grid, say)
    else:
        curves, acc_d, acc_s, steps_s = made
    ratio, outcome, why = decide(curves)
    say(f"  seed {seed}: {outcome} ({why})")
    return {"d_accuracy": acc_d, "static_accuracy": acc_s, "static_steps": steps_s, "curves": curves,
            "ratio": ratio, "outcome": outcome}


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], GAN_STEPS, PGD_STEPS, EPS_GRID, True, made=(curves, acc_d, acc_s, steps_s))]


# %% [markdown]
# ## Over seeds: the rule
#
# One GAN is one draw. The lesson trains 3 (seeds 0, 1, 2), each with its own twin, and the verdict is the one a
# majority of the seeds gives (at least 2 of 3) by the per-seed rule above; the headline numbers are given as their
# median and range over the seeds.

# %% over seeds
def summarise(per_seed, say=print):
    outcome, agree = lessons.majority([r["outcome"] for r in per_seed])
    n = len(per_seed)
    ratio = lessons.spread([r["ratio"] for r in per_seed])
    eps_d = lessons.spread([r["curves"]["GAN discriminator"]["median_min_eps"] for r in per_seed])
    eps_s = lessons.spread([r["curves"]["same net, no game"]["median_min_eps"] for r in per_seed])
    acc_d = lessons.spread([100 * r["d_accuracy"] for r in per_seed])
    acc_s = lessons.spread([100 * r["static_accuracy"] for r in per_seed])
    numbers = (f"at matched held-out accuracy (in %: D {lessons.show_spread(acc_d, '.1f')}, the twin "
               f"{lessons.show_spread(acc_s, '.1f')}) the median smallest flipping ε is "
               f"{lessons.show_spread(eps_d, '.3g')} for D against {lessons.show_spread(eps_s, '.3g')} for the twin "
               f"(ratio {lessons.show_spread(ratio, '.2f')}); {agree} of {n} seeds say '{outcome}'")
    why = {"holds": numbers + ": the game made D harder to fool",
           "holds partly": numbers + ": a small margin, or the seeds disagree",
           "does not hold here": numbers + (": the GAN's D is MORE susceptible (near the equilibrium its outputs "
                                            "sit close to ½, so small pushes cross the boundary)" if ratio["median"] < 1
                                            else ": the game bought D no margin")}[outcome]
    line = lessons.verdict(outcome, why, say)
    return {"verdict": line, "outcome": outcome, "seeds_agreeing": agree, "ratio": ratio, "d_median_eps": eps_d,
            "twin_median_eps": eps_s, "d_accuracy": acc_d, "twin_accuracy": acc_s,
            "per_seed": [{k: v for k, v in r.items() if k != "curves"} for r in per_seed],
            "curves": per_seed[0]["curves"]}


if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, GAN_STEPS, PGD_STEPS, EPS_GRID, True))
    result = summarise(per_seed)


# %% [markdown]
# ## Picture: every seed's two flip curves
#
# One colour per network, one shade per seed; the title is the verdict just computed.

# %% picture
def picture(per_seed, seeds, eps_grid, pgd_steps, result, out_dir):
    plt = lessons.plt()
    fig, ax = plt.subplots(figsize=(6.5, 4.2))
    for i, name in enumerate(("GAN discriminator", "same net, no game")):
        for j, (seed, r) in enumerate(zip(seeds, per_seed)):
            c = r["curves"][name]
            ax.plot(eps_grid, [100 * f for f in c["flipped"]], "o-", color=f"C{i}", alpha=0.9 - 0.25 * j, ms=3,
                    label=f"{name}, seed {seed} (median ε {c['median_min_eps']:.3g})")
    ax.set_xlabel("ε (pixels in [0, 1])")
    ax.set_ylabel("real digits flipped to 'fake' (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7)
    ax.set_title(f"PGD-{pgd_steps} against real-vs-fake decisions at matched accuracy, {len(seeds)} seeds\n"
                 f"verdict: {result['outcome']} (median ε ratio D/twin {lessons.show_spread(result['ratio'], '.2f')})",
                 fontsize=9)
    return lessons.save(fig, out_dir, "discriminator_susceptibility.png")


if __name__ == "__main__":
    picture(per_seed, SEEDS, EPS_GRID, PGD_STEPS, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(gan_steps=GAN_STEPS, pgd_steps=PGD_STEPS, eps_grid=EPS_GRID, seeds=SEEDS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    per_seed = []
    with lessons.Timer() as timer:
        for seed in seeds:
            per_seed.append(one_seed(seed, gan_steps, pgd_steps, eps_grid, verbose, say))
    result = summarise(per_seed, say)
    say(f"({timer.seconds:.0f} s)")
    result.update(seeds=list(seeds), eps_grid=list(eps_grid), seconds=timer.seconds)
    if out_dir is not None:
        result["figure"] = picture(per_seed, seeds, eps_grid, pgd_steps, result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# A stronger attack: set `TRY_PGD_STEPS = 100` and run the cell (seed 0's two networks, about a minute). Expect both
# medians to stay where they are or fall a step on the ε grid: 20 steps already find most flips, and the order of the
# two networks should not change.

# %% try it
if __name__ == "__main__":
    TRY_PGD_STEPS = 0  # try 100
    if TRY_PGD_STEPS:
        trial = curves_of({"GAN discriminator": D, "same net, no game": static}, real_test, EPS_GRID, TRY_PGD_STEPS,
                          True)
        print({name: c["median_min_eps"] for name, c in trial.items()})
