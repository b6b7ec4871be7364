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
# **What this lesson does.** On the bundled 8×8 digits, it attacks the reference CNN at three ε, fine-tunes a copy
# with adversarial training (the recipe of `python -m minigan fgsm --adversarial-training`), attacks it again, and
# also attacks it with the examples crafted on the undefended model (a check for gradient masking).
#
# **Run time:** 31 s of CPU, measured from a clean state, one BLAS thread (about the wall time on a
# quiet 2-core machine; 1.9 minutes on one shared with other jobs).
# It includes training the reference CNN (a later run, and lessons 18–20, load it from the cache).

# %% [markdown]
# ## Set up: the digits and a classifier worth fooling
#
# The reference CNN is trained once on the bundled 8×8 digits (pixels in [0, 1]) and cached; a fresh machine trains
# it here first. Its test accuracy is the number to beat.

# %% set-up
"""Lesson 17: the fast gradient sign method, and adversarial training."""

import time

import minigan
import minigan.functional as F
from minigan import lessons
from minigan.attacks import fgsm, input_gradient, train_adversarially
from minigan.attacks.fgsm import evaluate_attack
from minigan.attacks.figures import error_figure, panda_figure
from minigan.attacks.recipes import ADV_RECIPE
from minigan.classifier import build, reference_classifier
from minigan.data.digits import load_digits
from minigan.engine.backend import np

OUT = lessons.out_dir("17_fgsm")
EPS = [0.05, 0.1, 0.25]
ADV_EPOCHS = ADV_RECIPE["epochs"]  # 40, as the CLI: about 40 s of the minute this lesson takes
t0 = time.perf_counter()
minigan.manual_seed(0)
x_train, y_train = load_digits("train", scale="01")
x_test, y_test = load_digits("test", scale="01")
model = reference_classifier("cnn")  # trained once (about a minute and a half), then loaded from the cache
print(f"reference CNN: test accuracy {100 * model.reference_info['test_accuracy']:.1f}%")

# %% [markdown]
# ## One step looked at closely: one gradient, two uses
#
# Training differentiates the loss J with respect to the *weights*; the attack differentiates the same J with
# respect to the *input*. `minigan.autograd.grad(J, x)` returns ∇ₓJ and leaves every parameter's `.grad` alone. The
# attack keeps only the sign of each pixel's gradient and steps ε in that direction: x' = x + ε·sign(∇ₓJ).

# %% one gradient, two uses
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
clean = evaluate_attack(model, x_test, y_test, 0.0)
print(f"\nundefended: clean accuracy {100 * (1 - clean['error_rate']):.1f}%")
before = {}
for eps in EPS:
    before[eps] = evaluate_attack(model, x_test, y_test, eps)
    r = before[eps]
    print(f"  ε={eps:<5} error {100 * r['error_rate']:5.1f}%   mean confidence on its mistakes "
          f"{100 * (r['mean_confidence_on_errors'] or 0):5.1f}%")
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

# %% adversarial training
# J~ = ½ J(θ, x, y) + ½ J(θ, x + ε sign(∇ₓJ), y)
robust = build("cnn")
robust.load_state_dict(model.state_dict())  # fine-tune a copy of the reference
minigan.manual_seed(0)
history = train_adversarially(robust, x_train, y_train, eps=0.3, epochs=ADV_EPOCHS, lr=ADV_RECIPE["lr"],
                              batch_size=ADV_RECIPE["batch_size"], alpha=ADV_RECIPE["alpha"], seed=0,
                              random_eps=ADV_RECIPE["random_eps"], lr_decay=ADV_RECIPE["lr_decay"])
print(f"\nadversarial fine-tuning, {ADV_EPOCHS} epochs at ε = 0.3 (half at a random ε ≤ 0.3): "
      f"J~ {history[0]:.3f} → {history[-1]:.3f}")
robust_clean = evaluate_attack(robust, x_test, y_test, 0.0)
print(f"adversarially trained: clean accuracy {100 * (1 - robust_clean['error_rate']):.1f}%")
after = {}
for eps in EPS:
    after[eps] = evaluate_attack(robust, x_test, y_test, eps)
    transferred = evaluate_attack(robust, before[eps]["adversarial"], y_test, 0.0)  # x' made on the undefended model
    print(f"  ε={eps:<5} error {100 * after[eps]['error_rate']:5.1f}%   "
          f"(undefended {100 * before[eps]['error_rate']:.1f}%; x' transferred from it: "
          f"{100 * transferred['error_rate']:.1f}%)")
with minigan.no_grad():
    j_clean = F.cross_entropy(robust(minigan.tensor(x_test)), y_test).item()
print(f"clean test loss of the adversarially trained model: {j_clean:.3f}")

# %% [markdown]
# ## The picture: error against ε, before and after

# %% the error against ε
error_figure(EPS, [before[e]["error_rate"] for e in EPS], [after[e]["error_rate"] for e in EPS],
             OUT / "error_vs_eps.png", clean_error=clean["error_rate"], robust_clean_error=robust_clean["error_rate"])
lessons.show(OUT / "error_vs_eps.png")
print(f"\nwrote {OUT / 'panda.png'} and {OUT / 'error_vs_eps.png'} in {time.perf_counter() - t0:.0f} s\n")

# %% [markdown]
# ## Verdict
#
# The claim holds when FGSM fools the undefended CNN on at least half of the digits at ε = 0.25 and adversarial
# training cuts that error at least four-fold without costing clean accuracy.

# %% the verdict
e_before, e_after = before[0.25]["error_rate"], after[0.25]["error_rate"]
fooled = e_before >= 0.5
helped = e_after <= e_before / 4 and robust_clean["error_rate"] <= clean["error_rate"] + 0.01
lessons.verdict(
    "holds" if fooled and helped else ("holds partly" if fooled or helped else "does not hold here"),
    f"at ε = 0.25 FGSM makes the undefended CNN wrong on {e_before:.0%} of the test digits; after adversarial "
    f"training {e_after:.0%} ({e_before / max(e_after, 1e-9):.1f}× fewer), clean accuracy "
    f"{1 - clean['error_rate']:.1%} -> {1 - robust_clean['error_rate']:.1%}. This is robustness to this one-step "
    "attack only: an iterative attack still fools the trained model (demos/results.md, FGSM)")
