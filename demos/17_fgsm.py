# %% [markdown]
# # 17 · The fast gradient sign method, and adversarial training
#
# **The claim.** A tiny step on every input pixel in the direction of the sign of the loss's gradient with respect to
# the *input* (not the weights) makes a good classifier wrong, often with high confidence. Training on such examples
# as well makes the model much harder to fool that way.
#
# **Where it comes from.** CS/DS 541 (Jacob Whitehill), Class 19, slide "Adversarial training examples"; Introduction
# to Deep Learning IT3320E (Hung Son Nguyen, Hanoi University of Science and Technology, 2022), the GAN lecture, slide
# "Adversarial Examples" (both after Goodfellow, Shlens & Szegedy 2015, "Explaining and Harnessing Adversarial
# Examples").
#
# **What this lesson does.** On the bundled 8×8 digits, it attacks the reference CNN at three ε, fine-tunes copies
# of it with adversarial training (the recipe of `python -m minigan fgsm --adversarial-training`), one per seed
# (0, 1, 2: the seed orders the minibatches and draws the random ε), attacks them again, and also attacks them with
# the examples crafted on the undefended model (a check for gradient masking).
#
# **Run time:** 107 s of CPU (the reference CNN trained once, then three adversarial fine-tunings), from a clean
# state with one BLAS thread, as `python demos/lesson_times.py 17` measured it (demos/lesson_times.json, which
# records the machine's load and the wall time beside it: on a shared machine both grow; a quiet one takes
# less).

# %% [markdown]
# ## Set up: the digits and a classifier worth fooling
#
# The reference CNN is trained once on the bundled 8×8 digits (pixels in [0, 1]), with a fixed seed and recipe, and
# cached (`MINIGAN_CACHE`, else `~/.cache/minigan`); a fresh machine trains it here first, and says so. It is the
# one model every attack lesson (17–20) judges with, so it is not re-drawn per seed: its test accuracy is the number
# to beat.

# %% set-up
"""Lesson 17: the fast gradient sign method, and adversarial training."""

from __future__ import annotations

import time

import minigan
import minigan.functional as F
from minigan import classifier, lessons
from minigan.attacks import fgsm, input_gradient, train_adversarially
from minigan.attacks.fgsm import evaluate_attack
from minigan.attacks.figures import panda_figure
from minigan.attacks.recipes import ADV_RECIPE
from minigan.data.digits import load_digits
from minigan.engine.backend import np

NAME = "17_fgsm"
EPS = [0.05, 0.1, 0.25]
SEEDS = (0, 1, 2)  # three adversarial fine-tunings of the same reference CNN
ADV_EPOCHS = ADV_RECIPE["epochs"]  # 40, as the CLI


def reference_cnn(say=print):
    """The reference digits CNN: from the cache, or trained here once (the library announces it, with its time and
    progress)."""
    model = classifier.reference_classifier("cnn")
    say(f"reference CNN: test accuracy {100 * model.reference_info['test_accuracy']:.1f}%")
    return model


if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/17_fgsm/ by default
    started = time.perf_counter()
    x_train, y_train = load_digits("train", scale="01")
    x_test, y_test = load_digits("test", scale="01")
    model = reference_cnn()

# %% [markdown]
# ## One step looked at closely: one gradient, two uses
#
# Training differentiates the loss J with respect to the *weights*; the attack differentiates the same J with
# respect to the *input*. `minigan.autograd.grad(J, x)` returns ∇ₓJ and leaves every parameter's `.grad` alone. The
# attack keeps only the sign of each pixel's gradient and steps ε in that direction: x' = x + ε·sign(∇ₓJ).

# %% one gradient, two uses
if __name__ == "__main__":
    x = x_test[:1]
    g = input_gradient(model, x, y_test[:1]).detach().cpu().numpy()
    print(f"∇ₓJ for one test digit: shape {g.shape}, {int((np.sign(g) > 0).sum())} pixels push up, "
          f"{int((np.sign(g) < 0).sum())} push down; parameters whose .grad is still None: "
          f"{sum(p.grad is None for p in model.parameters())} of {len(list(model.parameters()))}")
    x_adv = fgsm(model, x, y_test[:1], eps=0.25)
    print(f"max |x' − x| = {float(np.abs(x_adv.detach().cpu().numpy() - x).max()):.3f} (≤ ε = 0.25)")


# %% [markdown]
# ## Measure: the attack at each ε
#
# For each ε, every test digit gets its own x'; the error rate is the share of x' the CNN gets wrong, and the
# confidence is the mean probability it gives its wrong answer. The picture is the lecture's panda, on digits.

# %% the attack at each ε
def attack_reference(model, x_test, y_test, say=print):
    clean = evaluate_attack(model, x_test, y_test, 0.0)
    say(f"undefended: clean accuracy {100 * (1 - clean['error_rate']):.1f}%")
    before = {}
    for eps in EPS:
        before[eps] = r = evaluate_attack(model, x_test, y_test, eps)
        say(f"  ε={eps:<5} error {100 * r['error_rate']:5.1f}%   mean confidence on its mistakes "
            f"{100 * (r['mean_confidence_on_errors'] or 0):5.1f}%")
    return clean, before


if __name__ == "__main__":
    clean, before = attack_reference(model, x_test, y_test)
    panda_figure(x_test, before[0.25]["adversarial"], clean["probabilities"], before[0.25]["probabilities"],
                 y_test, 0.25, OUT / "panda.png")
    lessons.show(OUT / "panda.png")


# %% [markdown]
# ## Run: adversarial training, J̃ = ½ J(θ, x, y) + ½ J(θ, x + ε·sign(∇ₓJ), y)
#
# A copy of the CNN is fine-tuned on clean and attacked digits together. Half of the attacked examples use ε = 0.3
# (a little above the largest ε tested), half a random ε in [0, 0.3]: a model trained at one ε only learns to resist
# that one step and stays fragile to smaller ones. Then the same attacks again, and the examples made on the
# undefended CNN, transferred (if those fooled the trained model while its own did not, its gradient would be lying).
# This cell does it for seed 0: 40 epochs, with a progress bar and an estimate of what is left.

# %% adversarial training, one seed
def defend(model, x_train, y_train, x_test, y_test, before, seed, verbose=True, say=print):
    """Fine-tune a copy of ``model`` adversarially (seed ``seed``) and attack it: this seed's numbers."""
    robust = classifier.build("cnn")
    robust.load_state_dict(model.state_dict())  # fine-tune a copy of the reference
    minigan.manual_seed(seed)
    with lessons.Timer() as timer, lessons.Bar(f"adversarial fine-tuning, seed {seed}", "batches") as bar:
        history = train_adversarially(robust, x_train, y_train, eps=0.3, epochs=ADV_EPOCHS, lr=ADV_RECIPE["lr"],
                                      batch_size=ADV_RECIPE["batch_size"], alpha=ADV_RECIPE["alpha"], seed=seed,
                                      random_eps=ADV_RECIPE["random_eps"], lr_decay=ADV_RECIPE["lr_decay"],
                                      verbose=False, progress=bar)
    robust_clean = evaluate_attack(robust, x_test, y_test, 0.0)
    say(f"seed {seed}: adversarial fine-tuning, {ADV_EPOCHS} epochs at ε = 0.3 (half at a random ε ≤ 0.3), "
        f"{timer.seconds:.0f} s: J~ {history[0]:.3f} → {history[-1]:.3f}; clean accuracy "
        f"{100 * (1 - robust_clean['error_rate']):.1f}%")
    after, transferred = {}, {}
    for eps in EPS:
        after[eps] = evaluate_attack(robust, x_test, y_test, eps)["error_rate"]
        transferred[eps] = evaluate_attack(robust, before[eps]["adversarial"], y_test, 0.0)["error_rate"]
        say(f"  ε={eps:<5} error {100 * after[eps]:5.1f}%   (undefended {100 * before[eps]['error_rate']:.1f}%; "
            f"x' transferred from it: {100 * transferred[eps]:.1f}%)")
    with minigan.no_grad():
        j_clean = F.cross_entropy(robust(minigan.tensor(x_test)), y_test).item()
    return {"clean_error": robust_clean["error_rate"], "after": after, "transferred": transferred,
            "j_clean": j_clean}


if __name__ == "__main__":
    per_seed = [defend(model, x_train, y_train, x_test, y_test, before, SEEDS[0])]


# %% [markdown]
# ## Measure over seeds
#
# One fine-tuning is one draw: the seed orders the minibatches and draws the random ε. The other seeds, the same
# way, then each number as its median and range over the seeds.

# %% the other seeds
def spreads(clean, before, per_seed, say=print):
    out = {"clean_error": clean["error_rate"], "fgsm_error": {e: before[e]["error_rate"] for e in EPS},
           "confidence_on_errors": {e: before[e]["mean_confidence_on_errors"] for e in EPS},
           "defended_clean_error": lessons.spread([100 * r["clean_error"] for r in per_seed]),
           "defended_fgsm_error": {e: lessons.spread([100 * r["after"][e] for r in per_seed]) for e in EPS},
           "transferred_error": {e: lessons.spread([100 * r["transferred"][e] for r in per_seed]) for e in EPS}}
    say(f"over {len(per_seed)} seeds, error in % (the undefended CNN: one model, "
        + ", ".join(f"{100 * before[e]['error_rate']:.1f} at ε = {e}" for e in EPS) + "):")
    for e in EPS:
        say(f"  ε={e:<5} adversarially trained {lessons.show_spread(out['defended_fgsm_error'][e], '.1f')}; "
            f"x' transferred {lessons.show_spread(out['transferred_error'][e], '.1f')}")
    say(f"  clean error of the trained copies {lessons.show_spread(out['defended_clean_error'], '.1f')}")
    return out


if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(defend(model, x_train, y_train, x_test, y_test, before, seed))
    numbers = spreads(clean, before, per_seed)


# %% [markdown]
# ## Verdict
#
# The claim holds when FGSM fools the undefended CNN on at least half of the digits at ε = 0.25 and adversarial
# training cuts that error at least four-fold without costing more than a point of clean accuracy, on at least 2 of
# the 3 fine-tuning seeds; fooled or helped alone is "holds partly".

# %% the verdict
def decide(clean, before, per_seed, say=print):
    e_before = before[0.25]["error_rate"]
    helped_seeds = sum(r["after"][0.25] <= e_before / 4 and r["clean_error"] <= clean["error_rate"] + 0.01
                       for r in per_seed)
    n = len(per_seed)
    fooled, helped = e_before >= 0.5, 2 * helped_seeds > n
    after = lessons.spread([100 * r["after"][0.25] for r in per_seed])
    factor = lessons.spread([e_before / max(r["after"][0.25], 1e-9) for r in per_seed])
    outcome = "holds" if fooled and helped else ("holds partly" if fooled or helped else "does not hold here")
    line = lessons.verdict(outcome, (
        f"at ε = 0.25 FGSM makes the undefended CNN wrong on {e_before:.0%} of the test digits; after adversarial "
        f"training its error in % is {lessons.show_spread(after, '.1f')}, {lessons.show_spread(factor, '.1f')}× fewer; "
        f"the four-fold cut at no clean cost on {helped_seeds} of {n} seeds. This is robustness to this one-step "
        "attack only: an iterative attack still fools the trained model (lesson 18)"), say)
    return {"verdict": line, "outcome": outcome, "fooled": fooled, "helped": helped, "helped_seeds": helped_seeds,
            "fewer_errors_factor": factor}


if __name__ == "__main__":
    result = decide(clean, before, per_seed)


# %% [markdown]
# ## The picture: error against ε, before and after
#
# The undefended CNN (one model) and the adversarially trained copies: the median over seeds, the band their
# range. The title is the verdict just computed.

# %% the error against ε
def picture(clean, before, numbers, result, out_dir):
    plt = lessons.plt()
    fig, ax = plt.subplots(figsize=(5.8, 4))
    xs = [0.0] + EPS
    ax.plot(xs, [100 * clean["error_rate"]] + [100 * before[e]["error_rate"] for e in EPS], "o-",
            label="undefended (the reference CNN)")
    d = [numbers["defended_clean_error"]] + [numbers["defended_fgsm_error"][e] for e in EPS]
    n = d[0]["n"]
    ax.plot(xs, [s["median"] for s in d], "s-", label=f"adversarially trained (median of {n} seeds)")
    ax.fill_between(xs, [s["min"] for s in d], [s["max"] for s in d], color="C1", alpha=0.25)
    ax.set(xlabel="ε (pixels in [0, 1])", ylabel="test error on x' = x + ε·sign(∇ₓJ)  (%)", ylim=(0, 100))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    ax.set_title(f"FGSM on the digits: {result['outcome']} ({result['helped_seeds']} of {n} seeds helped; "
                 f"{result['fewer_errors_factor']['median']:.1f}× fewer errors at ε = 0.25)", fontsize=9)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "error_vs_eps.png")


if __name__ == "__main__":
    picture(clean, before, numbers, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).

# %%
def run(seeds=SEEDS, out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    x_train, y_train = load_digits("train", scale="01")
    x_test, y_test = load_digits("test", scale="01")
    model = reference_cnn(say)
    clean, before = attack_reference(model, x_test, y_test, say)
    per_seed = [defend(model, x_train, y_train, x_test, y_test, before, seed, verbose, say) for seed in seeds]
    numbers = spreads(clean, before, per_seed, say)
    result = {**numbers, **decide(clean, before, per_seed, say), "seeds": list(seeds)}
    if out_dir is not None:
        result["figure"] = picture(clean, before, numbers, result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# Fine-tune without the adversarial half: set `ALPHA = 1.0` below (J̃ is then the clean loss alone) and run the
# cell. Expect the FGSM error at ε = 0.25 to stay near the undefended CNN's (90% and more): it is the attacked
# examples, not the extra epochs, that buy the robustness.

# %% try it
if __name__ == "__main__":
    ALPHA = ADV_RECIPE["alpha"]  # try 1.0
    if ALPHA != ADV_RECIPE["alpha"]:
        trial = classifier.build("cnn")
        trial.load_state_dict(model.state_dict())
        minigan.manual_seed(0)
        with lessons.Bar(f"adversarial fine-tuning, alpha {ALPHA}", "batches", verbose=True) as bar:
            train_adversarially(trial, x_train, y_train, eps=0.3, epochs=ADV_EPOCHS, lr=ADV_RECIPE["lr"],
                                batch_size=ADV_RECIPE["batch_size"], alpha=ALPHA, seed=0,
                                random_eps=ADV_RECIPE["random_eps"], lr_decay=ADV_RECIPE["lr_decay"], progress=bar)
        trial_error = evaluate_attack(trial, x_test, y_test, 0.25)["error_rate"]
        print(f"α = {ALPHA}: FGSM error at ε = 0.25 {100 * trial_error:.1f}%")
