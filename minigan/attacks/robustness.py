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
from minigan.attacks.fgsm import _as_input, check_eps, fgsm
from minigan.attacks.iterative import pgd
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.grad_mode import no_grad
from minigan.nn.module import evaluating
from minigan.progress import check_stop
from minigan.surface import random
from minigan.surface.tensor import Tensor, from_numpy

ATTACKS = ("fgsm", "pgd10", "pgd40")
ATTACK_LABELS = {"clean": "clean", "fgsm": "FGSM", "pgd10": "PGD-10", "pgd40": "PGD-40 (restarts)",
                 "transfer": "transferred PGD-40 (worst source)"}


def predict(model, images, batch_size=500):
    """Predicted classes (host int array) in evaluation mode, without a graph; the modes are put back."""
    images = images.array if isinstance(images, Tensor) else images
    out = []
    with evaluating(model), no_grad():
        for start in range(0, len(images), batch_size):
            check_stop()  # a stop request (minigan.progress) ends the attack here
            x = _as_input(model, images[start:start + batch_size], "predict")
            out.append(backend.asnumpy(F.softmax(model(from_numpy(x)), axis=1).array).argmax(axis=1))
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
        check_stop()  # a stop request (minigan.progress) ends the attack here
        x, y = images[start:start + batch_size], labels[start:start + batch_size]
        if attack == "fgsm":
            x_adv = fgsm(model, x, y, eps)
        elif attack == "pgd":
            x_adv = pgd(model, x, y, eps, steps=steps, restarts=restarts)  # α = 2.5·ε/steps
        else:
            raise ValueError(f"attack_images: attack must be 'fgsm' or 'pgd', got {attack!r}")
        out.append(backend.asnumpy(x_adv.array))
    return np.concatenate(out)


def robustness_table(models, images, labels, eps_list, restarts=5, seed=0, verbose=False, progress=None):
    """Accuracy of every model, clean and under every attack at every ε: a nested dict of host floats.

    models : {name: model}; every transfer attack uses PGD-40 x' made on each OTHER model
             (``transfer_from`` lists each source; ``transfer`` is the worst of them).
    Returns {name: {"clean": acc, "eps": {"0.1": {"fgsm": acc, "pgd10": acc, "pgd40": acc,
    "transfer": acc, "transfer_from": {source: acc}}}}, "seconds": total} and, under "_adversarial",
    the PGD-40 test sets by model and ε (for figures; not JSON). ``progress(done, total)``, when given, is called
    after each model's attacks at each ε (a ``minigan.progress.Report`` says how long is left).
    """
    eps_list = [check_eps(e, "robustness_table") for e in eps_list]
    if not isinstance(models, dict) or not models:
        raise ValueError("robustness_table: models must be a non-empty dict {name: model}")
    labels = backend.asnumpy(labels.array if isinstance(labels, Tensor) else labels)
    say = (getattr(progress, "write", None) or print) if verbose else (lambda *a, **k: None)  # (beside a Report)
    t0 = time.perf_counter()
    table = {name: {"clean": accuracy(m, images, labels), "eps": {}} for name, m in models.items()}
    strongest = {}
    for eps in eps_list:
        key = f"{eps:g}"
        for name, model in models.items():
            random.manual_seed(seed)  # the same random starts for every model
            row = {"fgsm": accuracy(model, attack_images(model, images, labels, "fgsm", eps), labels)}
            row["pgd10"] = accuracy(model, attack_images(model, images, labels, "pgd", eps, steps=10), labels)
            x40 = attack_images(model, images, labels, "pgd", eps, steps=40, restarts=restarts)
            row["pgd40"] = accuracy(model, x40, labels)
            strongest[(name, key)] = x40
            table[name]["eps"][key] = row
            say(f"  eps={key:<5} {name:<14} FGSM {100 * row['fgsm']:5.1f}%  PGD-10 {100 * row['pgd10']:5.1f}%  "
                f"PGD-40x{restarts} {100 * row['pgd40']:5.1f}%", flush=True)
            if progress is not None:
                progress(len(strongest), len(eps_list) * len(models))
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
