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
# It does all of this for 3 seeds (seed 0 fine-tunes the reference CNN; seeds 1 and 2 train their own CNN first) and
# states the verdict the majority of the seeds gives. What it measured is in the lesson index (demos/README.md,
# lesson 18) and demos/numbers.json.
#
# **Run time:** 438 s of CPU (each seed's CNNs trained and fine-tuned, then attacked), from a clean state with
# one BLAS thread, as `python demos/lesson_times.py 18` measured it (demos/lesson_times.json, which records the
# machine's load and the wall time beside it: on a shared machine both grow; a quiet one takes less).

# %% [markdown]
# ## Set up: four CNNs
#
# Four CNNs, all fine-tuned from the reference digits CNN by `models` (cached after the first run): undefended,
# FGSM-trained, FGSM-trained at a random ε, PGD-trained. `EXPLANATION` is what the lesson prints after its table.

# %% set-up
"""Lesson 18: gradient masking: why FGSM training is not robustness, and what PGD training buys."""

from __future__ import annotations

import argparse
import time

from minigan import lessons
from minigan.attacks import recipes, robustness
from minigan.data import load_image_dataset
from minigan.engine.backend import np

NAME = "18_gradient_masking"
SEEDS = (0, 1, 2)  # seed 0: the reference CNN; 1 and 2: a CNN trained with that seed; each with its 3 fine-tuned copies
RANDOM_EPS_NAME = "FGSM, random ε"
ROWS = ("undefended", "FGSM-trained", RANDOM_EPS_NAME, "PGD-trained")
EXPLANATION = (
    "Training on its own one-step FGSM examples teaches a network to bend its loss so that a single step of size "
    "ε lands where the loss is still low, while many small steps (PGD) or a step computed on another network "
    "still reach its mistakes. So the FGSM error of an FGSM-trained model measures how blind that one step has "
    "become, not how robust the model is: judge a defence by the strongest attack, PGD with restarts, and by "
    "attacks transferred from other models.")
EPS, RESTARTS = 0.1, 5

if __name__ == "__main__":
    OUT = lessons.cell_out(NAME)  # --out FOLDER from a shell; demos/out/18_gradient_masking/ by default
    started = time.perf_counter()
    print(f"ε = {EPS}, seeds {SEEDS}; each seed's 3 fine-tuned CNNs are trained once (minutes: the PGD fine-tuning "
          f"is the long one) and cached")


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


if __name__ == "__main__":
    nets, x_test, y_test = models(EPS, seed=SEEDS[0])
    print(f"seed {SEEDS[0]}: {', '.join(nets)}: ready")


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

    _net, _x, _y = nets["FGSM-trained"], x_test[:100], y_test[:100]
    with minigan.no_grad():
        for _name, _xs in (("clean x", _x), ("one FGSM step", fgsm(_net, _x, _y, eps=0.1)),
                           ("40 small steps", pgd(_net, _x, _y, eps=0.1, step_size=0.025, steps=40,
                                                  random_start=False))):
            _logits = _net(minigan.tensor(_xs))
            _err = float((_logits.detach().cpu().numpy().argmax(1) != _y).mean())
            print(f"{_name:<16} loss {F.cross_entropy(_logits, _y).item():.3f}   error {_err:.0%}")


# %% [markdown]
# ## Run and measure: every model under every attack (seed 0)
#
# `robustness.robustness_table` attacks each CNN at ε with FGSM, PGD-10 and PGD-40 with `restarts` random starts
# (seeded: the same starts for every model), and with x' crafted on each of the other models (transferred). Its
# accuracies become errors here, with the two gaps that reveal masking: PGD−FGSM (many steps against one) and
# transfer−FGSM (a stranger's gradient against the model's own).

# %% run and measure
def measure(eps, restarts, n_test, adv_epochs, pgd_epochs, limit, seed=0):
    nets, x_test, y_test = models(eps, adv_epochs, pgd_epochs, limit, seed)
    if n_test:
        x_test, y_test = x_test[:n_test], y_test[:n_test]
    return robustness.robustness_table(nets, x_test, y_test, [eps], restarts=restarts, seed=seed), len(x_test)


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


def report(rows, eps, n, say=print):
    say(f"gradient masking at ε = {eps:g} on {n} test digits (error %, lower is better)")
    say(f"  {'model':<14} {'clean':>6} {'FGSM':>6} {'PGD-40':>7} {'PGD−FGSM':>9} {'transfer':>9} {'transfer−FGSM':>14}")
    for name, row in rows.items():
        say(f"  {name:<14} {100 * row['clean_error']:6.1f} {100 * row['fgsm_error']:6.1f} "
            f"{100 * row['pgd40_error']:7.1f} {100 * row['pgd_minus_fgsm']:+9.1f} {100 * row['transfer_error']:9.1f} "
            f"{100 * row['transfer_minus_fgsm']:+14.1f}")


if __name__ == "__main__":
    table, n = measure(EPS, RESTARTS, None, None, None, None, SEEDS[0])
    rows = error_rows(table, EPS)
    report(rows, EPS, n)
    print("\n" + EXPLANATION)


# %% [markdown]
# ## Verdict for one seed
#
# Masked: on the FGSM-trained CNN, PGD-40 finds at least 5 points more errors than FGSM, and at least twice the
# gap it finds on the PGD-trained CNN. Cured: the PGD-trained CNN keeps at least 3× the FGSM-trained one's
# accuracy under PGD-40, with half its gap or less. Masked and cured: "holds"; masked only: "holds partly".

# %% one seed's verdict
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


def one_seed(seed, eps, restarts, n_test, adv_epochs, pgd_epochs, limit, say=print, rows=None):
    """One seed's four CNNs under every attack, and whether they show masking and a cure (``rows``: done above)."""
    if rows is None:
        say(f"\nseed {seed}: " + ("the reference CNN and its fine-tuned copies" if seed == 0 else
                                  "a CNN trained with this seed and its fine-tuned copies"))
        table, n = measure(eps, restarts, n_test, adv_epochs, pgd_epochs, limit, seed)
        rows = error_rows(table, eps)
        report(rows, eps, n, say)
    masked, cured, ratio, outcome, why = decide(rows, eps)
    say(f"  seed {seed}: {outcome} ({why})")
    return {"rows": rows, "masked": masked, "cured": cured, "ratio": ratio}


if __name__ == "__main__":
    per_seed = [one_seed(SEEDS[0], EPS, RESTARTS, None, None, None, None, rows=rows)]


# %% [markdown]
# ## Over seeds: the rule
#
# One seed's CNNs are one draw. The lesson repeats everything for 3 seeds (seed 0 fine-tunes the reference CNN;
# seeds 1 and 2 train their own CNN first) and counts: **masked** when the per-seed test above says so on at least
# 2 of the 3 seeds, **cured** likewise. Each headline number is given as its median and range over the seeds.

# %% over seeds
def summarise(per_seed, seeds, eps, say=print):
    n, need = len(per_seed), len(per_seed) // 2 + 1  # a majority of the seeds: 2 of 3
    masked_n = sum(r["masked"] for r in per_seed)
    cured_n = sum(r["cured"] for r in per_seed)
    # in points and in %, as the table prints them
    gap_f = lessons.spread([100 * r["rows"]["FGSM-trained"]["pgd_minus_fgsm"] for r in per_seed])
    gap_p = lessons.spread([100 * r["rows"]["PGD-trained"]["pgd_minus_fgsm"] for r in per_seed])
    kept_f = lessons.spread([100 * (1 - r["rows"]["FGSM-trained"]["pgd40_error"]) for r in per_seed])
    kept_p = lessons.spread([100 * (1 - r["rows"]["PGD-trained"]["pgd40_error"]) for r in per_seed])
    ratio = lessons.spread([r["ratio"] for r in per_seed])
    masked, cured = masked_n >= need, cured_n >= need
    gaps = (f"PGD-40 finds {lessons.show_spread(gap_f, '.1f')} points more errors than FGSM on the "
            f"FGSM-trained CNN and {lessons.show_spread(gap_p, '.1f')} on the PGD-trained one (masked on "
            f"{masked_n} of {n} seeds)")
    if masked and cured:
        outcome, why = "holds", f"{gaps}; PGD training keeps {lessons.show_spread(ratio, '.2f')}x the accuracy"
    elif masked:
        outcome, why = "holds partly", (
            f"{gaps}, so FGSM's own number flatters the FGSM-trained model; but under PGD-40 it still keeps "
            f"{lessons.show_spread(kept_f, '.1f')}% and PGD training keeps only {lessons.show_spread(ratio, '.2f')}x "
            f"that at ε = {eps:g} (cured on {cured_n} of {n} seeds; the rule needs {need})")
    else:
        outcome, why = "does not hold here", gaps
    line = lessons.verdict(outcome, why, say)
    return {"verdict": line, "outcome": outcome, "masked": masked, "cured": cured, "masked_seeds": masked_n,
            "cured_seeds": cured_n, "fgsm_trained_gap": gap_f, "pgd_trained_gap": gap_p,
            "fgsm_trained_pgd40_accuracy": kept_f, "pgd_trained_pgd40_accuracy": kept_p, "accuracy_ratio": ratio,
            "per_seed": [{"masked": r["masked"], "cured": r["cured"]} for r in per_seed]}


if __name__ == "__main__":
    for seed in SEEDS[1:]:
        per_seed.append(one_seed(seed, EPS, RESTARTS, None, None, None, None))
    result = summarise(per_seed, SEEDS, EPS)


# %% [markdown]
# ## Picture: one step against many, every CNN, every seed
#
# Each CNN's error under FGSM (one step) and under PGD-40 (many), the bars at the median over seeds and the whiskers
# their range. Masking is a tall PGD bar over a short FGSM bar; the title is the verdict just computed.

# %% picture
def picture(per_seed, seeds, eps, result, out_dir):
    plt = lessons.plt()
    fig, ax = plt.subplots(figsize=(7.5, 4))
    x = np.arange(len(ROWS))
    for k, (key, label) in enumerate((("fgsm_error", "FGSM (one step)"), ("pgd40_error", "PGD-40 (many steps)"))):
        s = [lessons.spread([100 * r["rows"][name][key] for r in per_seed]) for name in ROWS]
        med = [v["median"] for v in s]
        ax.bar(x + (k - 0.5) * 0.38, med, 0.38, yerr=[[m - v["min"] for m, v in zip(med, s)],
                                                      [v["max"] - m for m, v in zip(med, s)]], capsize=3,
               label=label)
    ax.set_xticks(x, ROWS)
    ax.set(ylabel=f"test error at ε = {eps:g} (%)", ylim=(0, 100))
    ax.legend(fontsize=8)
    ax.set_title(f"verdict: {result['outcome']} over {len(seeds)} seeds; PGD−FGSM gap on the FGSM-trained CNN "
                 f"{lessons.show_spread(result['fgsm_trained_gap'], '.1f')} points", fontsize=9)
    fig.tight_layout()
    return lessons.save(fig, out_dir, "gradient_masking.png")


if __name__ == "__main__":
    picture(per_seed, SEEDS, EPS, result, OUT)
    print(f"\n{NAME}: {time.perf_counter() - started:.0f} s; figures in {OUT}")


# %% [markdown]
# ## The whole lesson, one function
#
# `run` chains the same steps quietly and returns every number (the tests and `demos/lesson_numbers.py` call it).
# The `attack` command draws the fuller picture of one seed (`figures.masking_figure`: every attack, transfers too).

# %%
def run(eps=EPS, restarts=RESTARTS, n_test=None, adv_epochs=None, pgd_epochs=None, limit=None, seeds=SEEDS,
        out_dir=None, verbose=True) -> dict:
    say = print if verbose else (lambda *a, **k: None)
    per_seed = []
    with lessons.Timer() as timer:
        for seed in seeds:
            per_seed.append(one_seed(seed, eps, restarts, n_test, adv_epochs, pgd_epochs, limit, say))
    say("\n" + EXPLANATION)
    result = summarise(per_seed, seeds, eps, say)
    say(f"({timer.seconds:.0f} s)")
    result.update(eps=eps, seeds=list(seeds), seconds=timer.seconds, explanation=EXPLANATION)
    if out_dir is not None:
        result["figure"] = picture(per_seed, seeds, eps, result, out_dir)
    return result


# %% [markdown]
# ## Try it
#
# Attack at a smaller ε than the models were trained at: set `TRY_EPS = 0.05` and run the cell (seed 0's cached
# CNNs, about half a minute). Expect every error to fall, and the FGSM-trained CNN's PGD−FGSM gap to shrink or stay:
# its loss was bent around the one step of the training ε, and smaller steps can land where it was not.

# %% try it
if __name__ == "__main__":
    TRY_EPS = 0.0  # try 0.05
    if TRY_EPS:
        report(error_rows(robustness.robustness_table(nets, x_test, y_test, [TRY_EPS], restarts=RESTARTS), TRY_EPS),
               TRY_EPS, len(x_test))
