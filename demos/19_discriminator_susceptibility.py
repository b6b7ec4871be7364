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
# attack flips the decision to "fake". Less susceptible means a larger ε is needed. What it measured, and the
# verdict, are in the lesson index (demos/README.md, lesson 19) and demos/numbers.json.
#
# **Run time:** 53 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 3.1 minutes on one shared with other jobs).
# It includes training the digits DCGAN (cached for lesson 20).

# %% [markdown]
# ## Set up: a probe of a real-vs-fake network
#
# A discriminator maps an image (pixels in [−1, 1]) to one logit: above 0 means "real". `logits` reads it without
# recording a graph; `held_out_accuracy` is the share of real test digits called real and of fresh fakes called fake.

# %% set-up
"""Lesson 19: are GAN discriminators harder to fool with adversarial examples? A fair test."""

from __future__ import annotations

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
EPS_GRID = (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3)  # pixels in [0, 1]


def logits(model, x):
    with minigan.no_grad():
        return backend.asnumpy(model(minigan.tensor(x)).array).reshape(-1)


def held_out_accuracy(model, real, fake):
    return float(((logits(model, real) > 0).sum() + (logits(model, fake) <= 0).sum()) / (len(real) + len(fake)))


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
    _D = digits_gan(steps=3000, seed=0, verbose=False).trainer.D
    _x = 2.0 * load_digits("test", scale="01")[0][:4] - 1.0
    minigan.manual_seed(0)
    _adv = pgd(_D, _x, np.ones(4, dtype=np.float32), eps=0.1, steps=20, clip=(-1.0, 1.0)).detach().cpu().numpy()
    print("D's logit on 4 real digits:", np.round(logits(_D, _x), 3))
    print("after PGD-20 at ε = 0.05:  ", np.round(logits(_D, _adv), 3),
          f"(max pixel change {np.abs(_adv - _x).max() / 2:.3f} on the [0, 1] scale)")


# %% [markdown]
# ## Run: the GAN, its D's accuracy, and the matched twin
#
# `digits_gan` trains (or loads from the cache) the digits DCGAN. Fakes for the twin's training and for the
# held-out test are drawn from G after a fixed seed, so both networks are judged on the same images.

# %%
def gan_and_twin(gan_steps, verbose):
    exp = digits_gan(steps=gan_steps, seed=0, verbose=verbose)
    D = exp.trainer.D
    real_train = exp.images.astype(np.float32)
    real_test = 2.0 * load_digits("test", scale="01")[0] - 1.0
    minigan.manual_seed(1)
    fake_train = exp.trainer.sample(len(real_train)).detach().cpu().numpy()
    fake_test = exp.trainer.sample(len(real_test)).detach().cpu().numpy()
    acc_d = held_out_accuracy(D, real_test, fake_test)
    shape, channels = exp.image_shape, exp.config["channels"]
    static, acc_s, steps_s = train_matched(lambda: DCGANDiscriminator(shape, channels), real_train, fake_train,
                                           real_test, fake_test, acc_d)
    return D, static, real_test, acc_d, acc_s, steps_s


# %% [markdown]
# ## Measure: the flip curve of each network
#
# The share of real digits flipped at each ε, and the median smallest flipping ε (∞ for a digit never flipped).

# %%
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


# %% [markdown]
# ## Verdict
#
# The claim (a GAN's D is harder to fool) holds if D needs at least 1.5× the twin's median ε, partly if it needs
# more at all; if D flips at a smaller ε, it does not hold here.

# %%
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
            f"network trained without the game (ratio {ratio:.2f}): near the equilibrium D's outputs sit close to ½")
    return ratio, outcome, why


# %% [markdown]
# ## Picture: the two flip curves

# %%
def picture(curves, eps_grid, pgd_steps, acc_d, out_dir):
    plt = lessons.plt()
    fig, ax = plt.subplots(figsize=(6, 4))
    for name, c in curves.items():
        ax.plot(eps_grid, [100 * f for f in c["flipped"]], "o-", label=f"{name} (median ε {c['median_min_eps']:.3g})")
    ax.set_xlabel("ε (pixels in [0, 1])")
    ax.set_ylabel("real digits flipped to 'fake' (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(f"PGD-{pgd_steps} against real-vs-fake decisions, matched accuracy ({100 * acc_d:.0f}%)",
                 fontsize=9)
    return lessons.save(fig, out_dir, "discriminator_susceptibility.png")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the steps above: the GAN and its twin, both flip curves, the verdict, the picture.

# %% the demo
def run(gan_steps=3000, pgd_steps=20, eps_grid=EPS_GRID, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    with lessons.Timer() as timer:
        D, static, real_test, acc_d, acc_s, steps_s = gan_and_twin(gan_steps, verbose)
        nets = {"GAN discriminator": D, "same net, no game": static}
        curves = curves_of(nets, real_test, eps_grid, pgd_steps, verbose)
    report(curves, acc_d, acc_s, steps_s, gan_steps, pgd_steps, eps_grid, say)
    ratio, outcome, why = decide(curves)
    say(f"({timer.seconds:.0f} s)")
    verdict = lessons.verdict(outcome, why, say)
    result = {"d_accuracy": acc_d, "static_accuracy": acc_s, "static_steps": steps_s, "curves": curves,
              "eps_grid": list(eps_grid), "ratio": ratio, "outcome": outcome, "verdict": verdict,
              "seconds": timer.seconds}
    if out_dir is not None:
        result["figure"] = picture(curves, eps_grid, pgd_steps, acc_d, out_dir)
    return result


# %% [markdown]
# ## Run the lesson
#
# It prints the two networks' accuracies and flip rates, ends with the verdict, and saves the figure under
# `demos/out/19_discriminator_susceptibility/` (shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
