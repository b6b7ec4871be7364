"""Measuring robustness: clean accuracy, and accuracy under FGSM, PGD and transferred attacks.

A defence is only as good as the strongest attack it was measured against. The table here
attacks each model four ways at each ε (pixels in [0, 1]):

    fgsm        one sign step of size ε (Goodfellow et al. 2015)
    pgd10       10 projected sign steps of 2.5·ε/10 from a random start (Madry et al. 2018)
    pgd40       40 steps of 2.5·ε/40, from ``restarts`` random starts, the worst kept per example
    transfer    x' made by PGD-40 on ANOTHER model, then shown to this one (a black-box attack)

Two signs that a defence is masking its gradient instead of being robust (Athalye, Carlini &
Wagner 2018, "Obfuscated Gradients Give a False Sense of Security", Section 3.1): the iterative
attack does much better than the one-step attack, and the transferred attack does better than the
white-box one (which had the model's own gradient and should never lose to a stranger's).

    table = robustness_table({"undefended": m0, "PGD-trained": m2}, x_test, y_test, eps_list=[0.1])
    table["PGD-trained"]["eps"]["0.1"]["pgd40"]   # accuracy under PGD-40 with restarts
"""

from __future__ import annotations

import time

import minigan.functional as F
from minigan import backend
from minigan._tensor import Tensor, from_numpy
from minigan.attacks.fgsm import _as_input, check_eps, fgsm
from minigan.attacks.iterative import pgd
from minigan.autograd.grad_mode import no_grad
from minigan.backend import np

ATTACKS = ("fgsm", "pgd10", "pgd40")
ATTACK_LABELS = {"clean": "clean", "fgsm": "FGSM", "pgd10": "PGD-10", "pgd40": "PGD-40 (restarts)",
                 "transfer": "transferred PGD-40 (worst source)"}


def predict(model, images, batch_size=500):
    """Predicted classes (host int array) in evaluation mode, without a graph; the modes are put back."""
    images = images.array if isinstance(images, Tensor) else images
    modes = [(m, m.training) for m in model.modules()]
    out = []
    try:
        model.eval()
        with no_grad():
            for start in range(0, len(images), batch_size):
                x = _as_input(model, images[start:start + batch_size], "predict")
                out.append(backend.asnumpy(F.softmax(model(from_numpy(x)), axis=1).array).argmax(axis=1))
    finally:
        for m, mode in modes:
            object.__setattr__(m, "training", mode)
    return np.concatenate(out)


def accuracy(model, images, labels, batch_size=500) -> float:
    labels = backend.asnumpy(labels.array if isinstance(labels, Tensor) else labels)
    return float((predict(model, images, batch_size) == labels).mean())


def attack_images(model, images, labels, attack, eps, steps=40, restarts=1, batch_size=500):
    """The adversarial test set (host array) for one attack name ("fgsm", or "pgd" with ``steps``)."""
    images = images.array if isinstance(images, Tensor) else images
    labels = labels.array if isinstance(labels, Tensor) else labels
    out = []
    for start in range(0, len(images), batch_size):
        x, y = images[start:start + batch_size], labels[start:start + batch_size]
        if attack == "fgsm":
            x_adv = fgsm(model, x, y, eps)
        elif attack == "pgd":
            x_adv = pgd(model, x, y, eps, steps=steps, restarts=restarts)  # α = 2.5·ε/steps
        else:
            raise ValueError(f"attack_images: attack must be 'fgsm' or 'pgd', got {attack!r}")
        out.append(backend.asnumpy(x_adv.array))
    return np.concatenate(out)


def robustness_table(models, images, labels, eps_list, restarts=5, seed=0, verbose=False):
    """Accuracy of every model, clean and under every attack at every ε: a nested dict of host floats.

    models : {name: model}; every transfer attack uses PGD-40 x' made on each OTHER model
             (``transfer_from`` lists each source; ``transfer`` is the worst of them).
    Returns {name: {"clean": acc, "eps": {"0.1": {"fgsm": acc, "pgd10": acc, "pgd40": acc,
    "transfer": acc, "transfer_from": {source: acc}}}}, "seconds": total} and, under "_adversarial",
    the PGD-40 test sets by model and ε (for figures; not JSON).
    """
    eps_list = [check_eps(e, "robustness_table") for e in eps_list]
    if not isinstance(models, dict) or not models:
        raise ValueError("robustness_table: models must be a non-empty dict {name: model}")
    labels = backend.asnumpy(labels.array if isinstance(labels, Tensor) else labels)
    say = print if verbose else (lambda *a, **k: None)
    t0 = time.perf_counter()
    table = {name: {"clean": accuracy(m, images, labels), "eps": {}} for name, m in models.items()}
    strongest = {}
    for eps in eps_list:
        key = f"{eps:g}"
        for name, model in models.items():
            backend.manual_seed(seed)  # the same random starts for every model
            row = {"fgsm": accuracy(model, attack_images(model, images, labels, "fgsm", eps), labels)}
            row["pgd10"] = accuracy(model, attack_images(model, images, labels, "pgd", eps, steps=10), labels)
            x40 = attack_images(model, images, labels, "pgd", eps, steps=40, restarts=restarts)
            row["pgd40"] = accuracy(model, x40, labels)
            strongest[(name, key)] = x40
            table[name]["eps"][key] = row
            say(f"  eps={key:<5} {name:<14} FGSM {100 * row['fgsm']:5.1f}%  PGD-10 {100 * row['pgd10']:5.1f}%  "
                f"PGD-40x{restarts} {100 * row['pgd40']:5.1f}%", flush=True)
        for name, model in models.items():  # black box: x' made on another model
            row = table[name]["eps"][key]
            row["transfer_from"] = {src: accuracy(model, strongest[(src, key)], labels)
                                    for src in models if src != name}
            row["transfer"] = min(row["transfer_from"].values()) if row["transfer_from"] else None
    table["_adversarial"] = strongest
    table["seconds"] = round(time.perf_counter() - t0, 2)
    return table


def json_table(table):
    """``robustness_table``'s result without the arrays (for metrics.json)."""
    return {k: v for k, v in table.items() if k != "_adversarial"}


def markdown_table(table, eps_list, names):
    """The table as Markdown: one row per (model, ε), accuracy in % under each attack."""
    lines = ["| model | ε | clean | FGSM | PGD-10 | PGD-40 + restarts | transferred PGD-40 (worst source) |",
             "|---|---|---|---|---|---|---|"]
    for name in names:
        for eps in eps_list:
            row = table[name]["eps"][f"{eps:g}"]
            transfer = "n/a" if row["transfer"] is None else f"{100 * row['transfer']:.1f}"
            lines.append(f"| {name} | {eps:g} | {100 * table[name]['clean']:.1f} | {100 * row['fgsm']:.1f} | "
                         f"{100 * row['pgd10']:.1f} | {100 * row['pgd40']:.1f} | {transfer} |")
    return "\n".join(lines)


# ----------------------------------------------------------------------------- figures
def _figure(figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def accuracy_figure(table, eps_list, names, path, title="robust accuracy"):
    """Accuracy against ε, one panel per model, one line per attack (ε = 0 is the clean accuracy)."""
    from minigan.attacks.cli import _atomic_png

    fig = _figure((4.2 * len(names), 3.8))
    xs = [0.0] + list(eps_list)
    for i, name in enumerate(names):
        ax = fig.add_subplot(1, len(names), i + 1)
        clean = table[name]["clean"]
        for attack, style in (("fgsm", "o-"), ("pgd10", "s-"), ("pgd40", "^-"), ("transfer", "x--")):
            values = [table[name]["eps"][f"{e:g}"][attack] for e in eps_list]
            if any(v is None for v in values):
                continue
            ax.plot(xs, [100 * clean] + [100 * v for v in values], style, label=ATTACK_LABELS[attack])
        ax.set_ylim(0, 100)
        ax.set_xlabel("ε (pixels in [0, 1])")
        ax.set_ylabel("test accuracy (%)")
        ax.set_title(name)
        ax.grid(alpha=0.3)
        if i == 0:
            ax.legend(fontsize=8, loc="lower left")
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return _atomic_png(fig, path)


def masking_figure(table, eps, names, path):
    """Gradient masking made visible: error under FGSM, PGD-40 and transferred x', per model, at one ε."""
    from minigan.attacks.cli import _atomic_png

    fig = _figure((6.5, 4))
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
    return _atomic_png(fig, path)
