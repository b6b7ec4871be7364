# %% [markdown]
# # 18 · Gradient masking: why FGSM training is not robustness, and what PGD training buys
#
# **The claim.** Training a network on adversarial examples makes it harder to fool. With FGSM's one sign step that
# is partly an illusion: a model trained against that single step can learn to bend its loss near each training
# point so that the step lands where the loss is still low, while a few smaller steps, or a step computed on another
# network, still reach its mistakes. Its own gradient has stopped pointing uphill: the attack is blinded, the model
# is not robust. Training on the worst case that many steps find (PGD) is the cure.
#
# **Where it comes from.** CS/DS 541 (Jacob Whitehill), Class 19, slide "Adversarial training examples", which
# proposes training on adversarial examples as a defence (lesson 17 measured it); Introduction to Deep Learning
# IT3320E (Hung Son Nguyen, Hanoi University of Science and Technology, 2022), the GAN lecture, slide "Adversarial
# Examples". The papers: Goodfellow, Shlens & Szegedy 2015 (FGSM and FGSM training); Kurakin, Goodfellow & Bengio
# 2017, "Adversarial Machine Learning at Scale" (a random ε); Madry et al. 2018, "Towards Deep Learning Models
# Resistant to Adversarial Attacks" (PGD and PGD training); Athalye, Carlini & Wagner 2018, "Obfuscated Gradients
# Give a False Sense of Security".
#
# **What this lesson does.** On the 359 test digits at ε = 0.1 (pixels in [0, 1]) it compares four CNNs, all
# fine-tuned from the reference CNN (the models `python -m minigan attack --data digits --out runs/robust` builds,
# cached): undefended, FGSM-trained, FGSM-trained with half of the examples at a random ε in [0, ε] (the `fgsm`
# command's recipe, which puts the small steps of an iterative attack into training) and PGD-trained. Two
# measurements make masking visible:
#
# * one step against many: the error under FGSM against the error under PGD-40 with restarts (projected sign steps
#   from a random start);
# * own gradient against a stranger's: the error under the model's own white-box attack against the error under x'
#   crafted on another model (transferred, black box). A model whose own gradient helps the attacker less than a
#   stranger's is masking it.
#
# What it measured, and the verdict, are in the lesson index (demos/README.md, lesson 18) and demos/numbers.json.
#
# **Run time:** 48 s of CPU, measured with one BLAS thread (about the wall time on a
# quiet 2-core machine; 2.3 minutes on one shared with other jobs).
# With the three defended CNNs cached; the first run also fine-tunes them (11 minutes wall on the shared machine).

# %% [markdown]
# ## Set up: four CNNs
#
# Four CNNs, all fine-tuned from the reference digits CNN by `models` (cached after the first run): undefended,
# FGSM-trained, FGSM-trained at a random ε, PGD-trained. `EXPLANATION` is what the lesson prints after its table.

# %% set-up
"""Lesson 18: gradient masking: why FGSM training is not robustness, and what PGD training buys."""

from __future__ import annotations

import argparse
from pathlib import Path

from minigan import lessons
from minigan.attacks import figures, recipes, robustness
from minigan.data import load_image_dataset

NAME = "18_gradient_masking"
RANDOM_EPS_NAME = "FGSM, random ε"
ROWS = ("undefended", "FGSM-trained", RANDOM_EPS_NAME, "PGD-trained")
EXPLANATION = (
    "Training on its own one-step FGSM examples teaches a network to bend its loss so that a single step of size "
    "ε lands where the loss is still low, while many small steps (PGD) or a step computed on another network "
    "still reach its mistakes. So the FGSM error of an FGSM-trained model measures how blind that one step has "
    "become, not how robust the model is: judge a defence by the strongest attack, PGD with restarts, and by "
    "attacks transferred from other models.")


# %% [markdown]
# `models` builds them as the `attack` command does (the same recipes, the same cache): the reference CNN, then a
# copy fine-tuned on FGSM examples, one on PGD examples, and one on FGSM examples with half of them at a random ε.

# %%
def models(train_eps=0.1, adv_epochs=None, pgd_epochs=None, limit=None, seed=0):
    """The undefended, FGSM-trained and PGD-trained digits CNNs (the ``attack`` command's, cached), and
    the FGSM-trained model of the ``fgsm`` command's recipe (half of the examples at a random ε)."""
    args = argparse.Namespace(data="digits", model="cnn", seed=seed, limit=limit, epochs=None, train_eps=train_eps,
                              adv_epochs=adv_epochs or recipes.ADV_RECIPE["epochs"],
                              pgd_epochs=pgd_epochs or recipes.PGD_RECIPE["epochs"],
                              pgd_train_steps=recipes.PGD_RECIPE["steps"],
                              fgsm_random_eps=recipes.FGSM_RANDOM_EPS)
    x_train, y_train, x_test, y_test = load_image_dataset("digits")
    if limit:
        x_train, y_train = x_train[:limit], y_train[:limit]
    clean = recipes.clean_classifier(args, "digits", x_train, y_train, 10)
    trained = recipes.robust_models(args, clean, x_train, y_train, 10)
    args.fgsm_random_eps = recipes.ADV_RECIPE["random_eps"]
    random_eps = recipes.robust_models(args, clean, x_train, y_train, 10, only="FGSM-trained")
    nets = {"undefended": clean, **{n: m for n, (m, _, _) in trained.items()}}
    nets[RANDOM_EPS_NAME] = random_eps["FGSM-trained"][0]
    return nets, x_test, y_test


# %% [markdown]
# ## One step looked at closely: one big step against many small ones
#
# The FGSM-trained CNN and the first 100 test digits, at ε = 0.1. FGSM takes one step of ε along sign(∇ₓJ); the
# iterative attack (here PGD without its random start, i.e. BIM: no randomness) takes 40 steps of ε/4 along the
# sign of the gradient *at the current point*, each projected back into the ε-box. Both stay within ε of x. If
# the single step raises the loss much less than the 40 small ones do, the loss surface bends near x just where
# the one step lands: the gradient at x no longer points to where the loss is high. That is masking.

# %% one step
if __name__ == "__main__":
    import minigan
    import minigan.functional as F
    from minigan.attacks import fgsm, pgd

    _nets, _x, _y = models()
    _net, _x, _y = _nets["FGSM-trained"], _x[:100], _y[:100]
    with minigan.no_grad():
        for _name, _xs in (("clean x", _x), ("one FGSM step", fgsm(_net, _x, _y, eps=0.1)),
                           ("40 small steps", pgd(_net, _x, _y, eps=0.1, step_size=0.025, steps=40,
                                                  random_start=False))):
            _logits = _net(minigan.tensor(_xs))
            _err = float((_logits.detach().cpu().numpy().argmax(1) != _y).mean())
            print(f"{_name:<16} loss {F.cross_entropy(_logits, _y).item():.3f}   error {_err:.0%}")


# %% [markdown]
# ## Run and measure: every model under every attack
#
# `robustness.robustness_table` attacks each CNN at ε with FGSM, PGD-10 and PGD-40 with `restarts` random starts
# (seeded: the same starts for every model), and with x' crafted on each of the other models (transferred). Its
# accuracies become errors here, with the two gaps that reveal masking: PGD−FGSM (many steps against one) and
# transfer−FGSM (a stranger's gradient against the model's own).

# %%
def measure(eps, restarts, n_test, adv_epochs, pgd_epochs, limit):
    nets, x_test, y_test = models(eps, adv_epochs, pgd_epochs, limit)
    if n_test:
        x_test, y_test = x_test[:n_test], y_test[:n_test]
    return robustness.robustness_table(nets, x_test, y_test, [eps], restarts=restarts), len(x_test)


def error_rows(table, eps):
    rows = {}
    for name in ROWS:
        r = table[name]["eps"][f"{eps:g}"]
        row = {"clean_error": 1 - table[name]["clean"], "fgsm_error": 1 - r["fgsm"], "pgd40_error": 1 - r["pgd40"],
               "pgd10_error": 1 - r["pgd10"], "transfer_error": 1 - r["transfer"],
               "transfer_from_undefended_error": 1 - r["transfer_from"].get("undefended", r["transfer"])}
        row["pgd_minus_fgsm"] = row["pgd40_error"] - row["fgsm_error"]
        row["transfer_minus_fgsm"] = row["transfer_error"] - row["fgsm_error"]
        rows[name] = row
    return rows


# %% [markdown]
# The table: one row per CNN, errors in %, the two gaps signed.

# %%
def report(rows, eps, n, say=print):
    say(f"gradient masking at ε = {eps:g} on {n} test digits (error %, lower is better)")
    say(f"  {'model':<14} {'clean':>6} {'FGSM':>6} {'PGD-40':>7} {'PGD−FGSM':>9} {'transfer':>9} {'transfer−FGSM':>14}")
    for name, row in rows.items():
        say(f"  {name:<14} {100 * row['clean_error']:6.1f} {100 * row['fgsm_error']:6.1f} "
            f"{100 * row['pgd40_error']:7.1f} {100 * row['pgd_minus_fgsm']:+9.1f} {100 * row['transfer_error']:9.1f} "
            f"{100 * row['transfer_minus_fgsm']:+14.1f}")
    say("\n" + EXPLANATION)


# %% [markdown]
# ## Verdict
#
# Masked: on the FGSM-trained CNN, PGD-40 finds at least 5 points more errors than FGSM, and at least twice the
# gap it finds on the PGD-trained CNN. Cured: the PGD-trained CNN keeps at least 3× the FGSM-trained one's
# accuracy under PGD-40, with half its gap or less. Masked and cured: "holds"; masked only: "holds partly".

# %%
def decide(rows, eps):
    fgsm_t, pgd_t = rows["FGSM-trained"], rows["PGD-trained"]
    masked = fgsm_t["pgd_minus_fgsm"] >= 0.05 and fgsm_t["pgd_minus_fgsm"] >= 2 * pgd_t["pgd_minus_fgsm"]
    ratio = (1 - pgd_t["pgd40_error"]) / max(1 - fgsm_t["pgd40_error"], 1e-9)
    cured = ratio >= 3 and pgd_t["pgd_minus_fgsm"] < fgsm_t["pgd_minus_fgsm"] / 2
    gaps = (f"PGD-40 finds {100 * fgsm_t['pgd_minus_fgsm']:.1f} points more errors than FGSM on the FGSM-trained "
            f"model, {100 * pgd_t['pgd_minus_fgsm']:.1f} on the PGD-trained one")
    if masked and cured:
        outcome, why = "holds", f"{gaps}; PGD training keeps {ratio:.1f}x the accuracy under PGD-40"
    elif masked:
        outcome, why = "holds partly", (
            f"{gaps}, so FGSM's own number flatters the FGSM-trained model; but it still keeps "
            f"{100 * (1 - fgsm_t['pgd40_error']):.1f}% under PGD-40 and PGD training keeps only {ratio:.2f}x that "
            f"({100 * (1 - pgd_t['pgd40_error']):.1f}%) at ε = {eps:g}")
    else:
        outcome, why = "does not hold here", gaps
    return masked, cured, ratio, outcome, why


# %% [markdown]
# ## Picture, and the whole lesson as one function
#
# `figures.masking_figure` draws each CNN's error under each attack (the `attack` command's `masking.png`); `run`
# chains the steps above.

# %% the demo
def run(eps=0.1, restarts=5, n_test=None, adv_epochs=None, pgd_epochs=None, limit=None, out_dir=None,
        verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    with lessons.Timer() as timer:
        table, n = measure(eps, restarts, n_test, adv_epochs, pgd_epochs, limit)
    rows = error_rows(table, eps)
    report(rows, eps, n, say)
    masked, cured, ratio, outcome, why = decide(rows, eps)
    say(f"\n({timer.seconds:.0f} s)")
    verdict = lessons.verdict(outcome, why, say)
    result = {"eps": eps, "rows": rows, "pgd_to_fgsm_trained_accuracy_ratio": ratio, "masked": bool(masked),
              "cured": bool(cured), "outcome": outcome, "verdict": verdict, "seconds": timer.seconds,
              "explanation": EXPLANATION}
    if out_dir is not None:
        Path(out_dir).mkdir(parents=True, exist_ok=True)  # the library writes the figure, into a folder that exists
        result["figure"] = figures.masking_figure(table, eps, list(ROWS), Path(out_dir) / "gradient_masking.png")
        lessons.show(result["figure"])
    return result


# %% [markdown]
# ## Run the lesson
#
# It prints the table of errors, ends with the verdict, and saves the figure under
# `demos/out/18_gradient_masking/` (shown below in a notebook).

# %% main
if __name__ == "__main__":
    lessons.main(run, NAME)
