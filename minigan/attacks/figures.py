"""The pictures of the attack lessons and commands: the panda slide, error against ε, gradient masking.

Every picture shows the ERROR on x' (the share of test images the model gets wrong, in %), as the
paper does (Goodfellow, Shlens & Szegedy 2015, Section 4: "an error rate of 89.4%"), so the numbers
of ``fgsm``, ``attack`` and the lessons read the same way. Drawn with ``minigan.viz``'s figure and
written atomically by ``viz.save_figure``.
"""

from __future__ import annotations

from minigan import viz
from minigan.attacks.robustness import ATTACK_LABELS
from minigan.engine.backend import np


def panda_figure(x, x_adv, clean_probs, adv_probs, labels, eps, path, rows=4):
    """The panda slide (CS/DS 541, "Adversarial training examples"; IT3320E, "Adversarial Examples") on digits:
    x + ε·sign(∇ₓJ) = x', a few rows.

    Rows are the first test images the model gets right that the attack turns into a mistake
    (then any others, if there are too few such).
    """
    x, x_adv = np.asarray(x), np.asarray(x_adv)
    clean_pred, adv_pred = clean_probs.argmax(1), adv_probs.argmax(1)
    fooled = np.flatnonzero((clean_pred == labels) & (adv_pred != labels))
    order = list(fooled[:rows]) + [i for i in range(len(x)) if i not in set(fooled[:rows].tolist())]
    order = order[:rows]
    fig = viz.figure((7.5, 2.3 * len(order)))
    for r, i in enumerate(order):
        sign = np.sign(x_adv[i] - x[i])  # = sign(∇ₓJ) wherever the clip did not cut the step
        cells = [(x[i], 0, 1, f"x: \"{clean_pred[i]}\"\n{100 * clean_probs[i].max():.1f}% confidence"),
                 (sign, -1, 1, "sign(∇ₓJ(θ, x, y))\nwhite +1, black −1, grey 0"),
                 (x_adv[i], 0, 1, f"x': \"{adv_pred[i]}\"\n{100 * adv_probs[i].max():.1f}% confidence")]
        for c, (img, lo, hi, title) in enumerate(cells):
            ax = fig.add_subplot(len(order), 3, 3 * r + c + 1)
            ax.imshow(img.reshape(img.shape[-2:]), cmap="gray", vmin=lo, vmax=hi, interpolation="nearest")
            ax.set_title(title, fontsize=9)
            ax.set_xticks([])
            ax.set_yticks([])
        fig.text(0.355, 1 - (r + 0.55) / len(order), "+ ε ×" if r else f"+ {eps:g} ×", ha="center", fontsize=10)
        fig.text(0.645, 1 - (r + 0.55) / len(order), "=", ha="center", fontsize=12)
    fig.suptitle("FGSM: x' = clip(x + ε·sign(∇ₓJ(θ, x, y)))  (Goodfellow et al. 2015)", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    return viz.save_figure(fig, path, "panda_figure")


def error_figure(eps_list, before, after, path, clean_error=None, robust_clean_error=None):
    """Error on adversarial examples against ε: the undefended model and (if given) the trained one."""
    fig = viz.figure((5.5, 4))
    ax = fig.add_subplot(1, 1, 1)
    xs = [0.0] + list(eps_list)
    ax.plot(xs, [100 * clean_error] + [100 * e for e in before], "o-", label="undefended")
    if after is not None:
        ax.plot(xs, [100 * robust_clean_error] + [100 * e for e in after], "s-", label="adversarially trained")
    ax.set_xlabel("ε (pixels in [0, 1])")
    ax.set_ylabel("test error on x' = x + ε·sign(∇ₓJ)  (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title("FGSM on the digits")
    fig.tight_layout()
    return viz.save_figure(fig, path, "error_figure")


def robustness_figure(table, eps_list, names, path, title="error under attack"):
    """Test error against ε, one panel per model, one line per attack (ε = 0 is the clean error)."""
    fig = viz.figure((4.2 * len(names), 3.8))
    xs = [0.0] + list(eps_list)
    for i, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), i + 1)
        clean = table[name]["clean"]
        for attack, style in (("fgsm", "o-"), ("pgd10", "s-"), ("pgd40", "^-"), ("transfer", "x--")):
            values = [table[name]["eps"][f"{e:g}"][attack] for e in eps_list]
            if any(v is None for v in values):
                continue
            ax.plot(xs, [100 * (1 - clean)] + [100 * (1 - v) for v in values], style, label=ATTACK_LABELS[attack])
        ax.set_ylim(0, 100)
        ax.set_xlabel("ε (pixels in [0, 1])")
        ax.set_ylabel("test error (%)")
        ax.set_title(name)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.legend(fontsize=8, loc="upper left")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return viz.save_figure(fig, path, "robustness_figure")


def masking_figure(table, eps, names, path):
    """Gradient masking made visible: error under FGSM, PGD-40 and transferred x', per model, at one ε."""
    fig = viz.figure((6.5, 4))
    ax = fig.add_subplot(1, 1, 1)
    key = f"{eps:g}"
    bars = (("fgsm", "white-box FGSM"), ("pgd40", "white-box PGD-40"), ("transfer", "transferred PGD-40"))
    width = 0.8 / len(bars)
    for j, (attack, label) in enumerate(bars):
        values = [table[n]["eps"][key][attack] for n in names]
        ax.bar([i + (j - 1) * width for i in range(len(names))], [0 if v is None else 100 * (1 - v) for v in values],
               width, label=label)
    ax.set_xticks(range(len(names)), names)
    ax.set_ylabel(f"test error at ε = {eps:g} (%)")
    ax.set_ylim(0, 100)
    ax.grid(alpha=0.3, axis="y")
    ax.legend(fontsize=8)
    ax.set_title("one step vs many, own gradient vs a stranger's", fontsize=10)
    fig.tight_layout()
    return viz.save_figure(fig, path, "masking_figure")
