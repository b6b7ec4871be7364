"""``python -m minigan fgsm``: attack a digit classifier with FGSM, optionally train it adversarially.

    python -m minigan fgsm --data digits --eps 0.05 0.1 0.25 --adversarial-training --out runs/fgsm
    python -m minigan fgsm --data idx:~/mnist --model mlp --eps 0.1 0.25 --out runs/mnist

Writes to ``--out``:
  metrics.json      clean accuracy; error rate and mean confidence on adversarial test examples at
                    each ε; the same after adversarial training (when asked); the paper's numbers
  panda.png         the panda slide (CS/DS 541 and IT3320E) on digits: x (class, confidence),
                    + ε·sign(∇ₓJ), = x' (new class, confidence), a few rows
  error_vs_eps.png  error on adversarial examples against ε, before and after adversarial training

The clean classifier: on the digits with the default settings it is ``minigan.classifier.
reference_classifier`` (trained once, then cached); otherwise it is trained here with the same
recipe and cached under ``$MINIGAN_CACHE`` (or ``~/.cache/minigan``), keyed by every setting that
changes it. Adversarial training FINE-TUNES a copy of the clean classifier with J̃ (see
``adversarial_training.py``): starting from the clean weights keeps the clean accuracy (the
paper's adversarially trained maxout network got *better* on clean data), and it costs a few
epochs instead of a whole training run. Same seed, same backend: same numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from minigan import backend, summary
from minigan.attacks.adversarial_training import train_adversarially
from minigan.attacks.fgsm import check_eps, evaluate_attack
from minigan.backend import np
from minigan.data import MAX_CLASSES
from minigan.serialization import atomic_write, output_folder

DEFAULT_EPS = (0.05, 0.1, 0.25)
RUN_FILES = ("metrics.json", "panda.png", "error_vs_eps.png")  # what a run writes into --out
# Goodfellow, Shlens & Szegedy 2015, Section 4 and Section 6 (MNIST, maxout network, ε = 0.25).
PAPER = {"source": "Goodfellow, Shlens & Szegedy 2015, Explaining and Harnessing Adversarial Examples",
         "dataset": "MNIST", "model": "maxout network", "eps": 0.25, "error_rate": 0.894,
         "mean_confidence_on_errors": 0.976, "error_rate_adversarially_trained": 0.179}
# Measured on the digits (reference CNN, 98.9% clean; adversarial seeds 0, 1, 2): 40 epochs of J̃ at
# lr 2e-3 decaying linearly to 0, ε_train = 1.2 × the largest test ε, half of the examples at ε_train
# (the paper) and half at ε ~ U(0, ε_train) (Kurakin et al. 2017), bring the FGSM error at ε = 0.25
# from 92% to about 19% (18.7-19.5%) with the error rising with ε. Every example at ε_train alone reaches 12-17% but
# is then MORE wrong at ε = 0.1 than at 0.25, and x' crafted on the undefended model fool it more than
# its own x' do: gradient masking. Every example at a random ε: monotone but 22-28% at ε = 0.25.
ADV_RECIPE = dict(epochs=40, batch_size=64, lr=2e-3, alpha=0.5, eps_factor=1.2, random_eps=0.5, lr_decay=True)


def add_parser(subparsers):
    p = subparsers.add_parser(
        "fgsm", help="fast gradient sign attack and adversarial training on digits",
        description="Attack a digit classifier with x' = clip(x + eps*sign(grad_x J)) (Goodfellow et al. 2015) "
                    "and measure error and confidence at each eps; optionally fine-tune it adversarially.")
    p.add_argument("--data", default="digits",
                   help="digits (bundled 8x8), fashion-mnist, mnist ($MINIGAN_DATA/mnist) or idx:PATH "
                        "(an MNIST-format folder, any image size)")
    p.add_argument("--eps", type=float, nargs="+", default=list(DEFAULT_EPS),
                   help="attack sizes in pixel units, pixels in [0, 1] (default: 0.05 0.1 0.25)")
    p.add_argument("--adversarial-training", action="store_true",
                   help="also fine-tune with J~ = a*J(x) + (1-a)*J(x') and attack the result")
    p.add_argument("--model", choices=("cnn", "mlp"), default="cnn", help="the classifier (default: cnn)")
    p.add_argument("--seed", type=int, default=0, help="seed of initialisation, dropout and batch order")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--force", action="store_true", help="replace the results of an earlier run in --out")
    p.add_argument("--epochs", type=int, default=None, help="clean training epochs (default: the reference recipe)")
    p.add_argument("--adv-epochs", type=int, default=ADV_RECIPE["epochs"],
                   help=f"adversarial fine-tuning epochs (default: {ADV_RECIPE['epochs']})")
    p.add_argument("--adv-eps", type=float, default=None,
                   help="eps used during adversarial training (default: 1.2 x the largest --eps)")
    p.add_argument("--random-eps", type=float, default=ADV_RECIPE["random_eps"],
                   help="fraction of training examples whose eps is drawn from U(0, adv-eps) instead of adv-eps "
                        f"(Kurakin et al. 2017; default {ADV_RECIPE['random_eps']}, 0 = the paper)")
    p.add_argument("--alpha", type=float, default=ADV_RECIPE["alpha"], help="weight of the clean loss in J~ (0.5)")
    p.add_argument("--adv-lr", type=float, default=ADV_RECIPE["lr"],
                   help=f"Adam learning rate of the adversarial fine-tuning (default {ADV_RECIPE['lr']:g}), "
                        "lowered each epoch as lr*(1 - epoch/epochs), so one epoch runs at it throughout; "
                        "a rate below the one the clean model was trained at moves it less from its clean optimum")
    p.add_argument("--limit", type=int, default=None, help="use only the first N train and test images (quick runs)")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None, help="array backend (default: numpy)")
    p.set_defaults(run=run)
    return p


# ----------------------------------------------------------------------------- data and models
def load_data(spec: str):
    """``digits``, ``fashion-mnist``, ``mnist`` or ``idx:PATH`` (any image size) → (x_train, y_train, x_test,
    y_test), pixels float32 in [0, 1] (``minigan.data.load_image_dataset``)."""
    from minigan.data import load_image_dataset

    try:
        return load_image_dataset(spec, scale="01")
    except ValueError as e:
        if "load_image_dataset: got" not in str(e):
            raise  # a damaged file: its own message says which and why
        raise ValueError(f"fgsm: got --data {spec!r}, expected 'digits', 'fashion-mnist', 'mnist' or 'idx:PATH' "
                         "(a folder of MNIST-format files)") from None


def build_model(kind: str, image_shape, num_classes: int):
    """The reference architecture: for 8x8 digits ``DigitsCNN``/``DigitsMLP``, for any other size the
    28x28 references ``ImageCNN``/``ImageMLP`` sized to the image (Standardize buffers filled by a checkpoint)."""
    from minigan import classifier

    if tuple(image_shape) == (1, 8, 8) and num_classes == classifier.NUM_CLASSES:
        return classifier.build(kind)
    return (classifier.ImageCNN if kind == "cnn" else classifier.ImageMLP)(tuple(image_shape), num_classes)


def clean_classifier(args, data, x_train, y_train, num_classes):
    """The undefended classifier: the cached reference on default digits, else trained (and cached) here."""
    from minigan import classifier
    from minigan.serialization import load, save

    reference = data if data in classifier.DATASETS else None  # digits, fashion-mnist, mnist
    recipe = classifier.recipe(args.model, "digits" if tuple(x_train.shape[1:]) == (1, 8, 8) else "fashion-mnist")
    default = reference and args.seed == recipe["seed"] and args.limit is None and args.epochs is None
    if default and backend.backend_name() == "numpy":
        cached = classifier.cache_dir() / f"{reference}_{args.model}_v{classifier.CACHE_VERSION}.npz"
        if not cached.exists():  # the first run trains it: say so, rather than sit silent for a while
            took = " (about 20 s on a 2-core CPU)" if reference == "digits" else ""
            print(f"training the reference {args.model} classifier on {reference} once: {recipe['epochs']} epochs"
                  f"{took}; later runs load it from {cached.parent} ...", flush=True)
        return classifier.reference_classifier(args.model, dataset=reference)
    if args.epochs is not None:
        recipe["epochs"] = args.epochs
    recipe["seed"] = args.seed
    key = json.dumps({"data": os.path.abspath(os.path.expanduser(data[4:])) if data.startswith("idx:") else data,
                      "model": args.model, "limit": args.limit, "n": len(x_train), **recipe,
                      "version": classifier.CACHE_VERSION}, sort_keys=True)
    path = classifier.cache_dir() / f"fgsm_{args.model}_{hashlib.sha256(key.encode()).hexdigest()[:16]}.npz"
    backend.manual_seed(args.seed)
    model = build_model(args.model, x_train.shape[1:], num_classes)
    if path.exists():
        try:
            model.load_state_dict(load(path)["model"])
            return model.eval()
        except (ValueError, TypeError, KeyError, OSError):
            pass  # damaged or stale: retrain below
    backend.manual_seed(args.seed)
    model = build_model(args.model, x_train.shape[1:], num_classes)
    print(f"training the clean {args.model} ({recipe['epochs']} epochs on {len(x_train)} images) ...", flush=True)
    classifier.train_classifier(model, x_train, y_train, **recipe)
    path.parent.mkdir(parents=True, exist_ok=True)
    save({"model": model.state_dict(), "key": key}, path)
    return model.eval()


def _row(report):
    return {k: report[k] for k in ("error_rate", "mean_confidence", "mean_confidence_on_errors")}


def _clean_accuracy(model, x, y):
    return 1.0 - evaluate_attack(model, x, y, 0.0)["error_rate"]


# ----------------------------------------------------------------------------- pictures
def _figure(figsize):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=figsize, dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _atomic_png(fig, path: Path) -> Path:
    with atomic_write(path) as f:
        fig.savefig(f, format="png")
    return path


def _atomic_json(obj, path: Path) -> Path:
    with atomic_write(path, "w") as f:
        f.write(json.dumps(obj, indent=2) + "\n")
    return path


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
    fig = _figure((7.5, 2.3 * len(order)))
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
    return _atomic_png(fig, Path(path))


def error_figure(eps_list, before, after, path, clean_error=None, robust_clean_error=None):
    """Error on adversarial examples against ε: the undefended model and (if given) the trained one."""
    fig = _figure((5.5, 4))
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
    return _atomic_png(fig, Path(path))


# ----------------------------------------------------------------------------- the command
def run(args) -> int:
    eps_list = [check_eps(e, "fgsm --eps") for e in args.eps]
    adv_eps = args.adv_eps if args.adv_eps is not None else round(ADV_RECIPE["eps_factor"] * max(eps_list), 6)
    adv_eps = check_eps(adv_eps, "fgsm --adv-eps")
    for name in ("epochs", "adv_epochs", "limit"):
        value = getattr(args, name)
        if value is not None and value < 1:
            raise ValueError(f"fgsm: --{name.replace('_', '-')} must be a positive integer, got {value}")
    if not 0.0 <= args.alpha <= 1.0:
        raise ValueError(f"fgsm: --alpha must be in [0, 1], got {args.alpha}")
    if not 0.0 <= args.random_eps <= 1.0:
        raise ValueError(f"fgsm: --random-eps must be a fraction in [0, 1], got {args.random_eps}")
    if not np.isfinite(args.adv_lr) or args.adv_lr <= 0:
        raise ValueError(f"fgsm: --adv-lr must be a positive learning rate, got {args.adv_lr}")
    if args.backend:
        backend.use_backend(args.backend)
    with output_folder(args.out, "fgsm", RUN_FILES, args.force) as out:
        return _run(args, out, eps_list, adv_eps)


def _run(args, out: Path, eps_list, adv_eps) -> int:
    t0 = time.perf_counter()
    x_train, y_train, x_test, y_test = load_data(args.data)
    if args.limit:
        x_train, y_train, x_test, y_test = x_train[:args.limit], y_train[:args.limit], x_test[:args.limit], \
            y_test[:args.limit]
    num_classes = int(max(y_train.max(), y_test.max())) + 1
    if num_classes > MAX_CLASSES:
        raise ValueError(f"fgsm: --data {args.data!r} has labels up to {num_classes - 1}; at most {MAX_CLASSES} "
                         "classes are supported")

    model = clean_classifier(args, args.data, x_train, y_train, num_classes)
    clean = evaluate_attack(model, x_test, y_test, 0.0)
    metrics = {"data": args.data, "model": args.model, "seed": args.seed, "backend": backend.backend_name(),
               "n_train": len(x_train), "n_test": len(x_test), "eps": eps_list,
               "clean_accuracy": 1.0 - clean["error_rate"], "undefended": {}, "adversarially_trained": None,
               "paper": PAPER}
    print(f"clean test accuracy {100 * metrics['clean_accuracy']:.1f}%")
    reports = {}
    for eps in eps_list:
        reports[eps] = evaluate_attack(model, x_test, y_test, eps)
        metrics["undefended"][f"{eps:g}"] = _row(reports[eps])
        print(f"  eps={eps:<5g} error {100 * reports[eps]['error_rate']:5.1f}%  "
              f"mean confidence {100 * reports[eps]['mean_confidence']:5.1f}%")

    after = robust_clean = None
    if args.adversarial_training:
        robust = build_model(args.model, x_train.shape[1:], num_classes)
        robust.load_state_dict(model.state_dict())  # fine-tune a copy of the clean classifier
        if backend.backend_name() != "numpy":
            robust.to("cuda")
        backend.manual_seed(args.seed)
        print(f"adversarial fine-tuning: {args.adv_epochs} epochs, eps={adv_eps:g} "
              f"({100 * args.random_eps:g}% of examples at a random eps in [0, {adv_eps:g}]), "
              f"alpha={args.alpha:g}, lr={args.adv_lr:g} ...", flush=True)
        history = train_adversarially(robust, x_train, y_train, adv_eps, epochs=args.adv_epochs,
                                      batch_size=ADV_RECIPE["batch_size"], lr=args.adv_lr, alpha=args.alpha,
                                      seed=args.seed, random_eps=args.random_eps,
                                      lr_decay=ADV_RECIPE["lr_decay"])
        robust_clean = 1.0 - evaluate_attack(robust, x_test, y_test, 0.0)["error_rate"]
        attacks = {f"{eps:g}": _row(evaluate_attack(robust, x_test, y_test, eps)) for eps in eps_list}
        # A check for gradient masking: x' crafted on the UNDEFENDED model (a black-box, transferred
        # attack). If these fool the trained model more than its own white-box x' do, its gradient
        # has stopped pointing uphill rather than the model having become robust.
        for eps in eps_list:
            transferred = evaluate_attack(robust, reports[eps]["adversarial"], y_test, 0.0)
            attacks[f"{eps:g}"]["transfer_error_rate"] = transferred["error_rate"]
        metrics["adversarially_trained"] = {
            "clean_accuracy": robust_clean, "train_eps": adv_eps, "alpha": args.alpha, "epochs": args.adv_epochs,
            "lr": args.adv_lr, "lr_decay": ADV_RECIPE["lr_decay"], "random_eps": args.random_eps,
            "init": "fine-tuned from the clean classifier", "loss_history": history,
            "attacks": attacks}
        after = [attacks[f"{eps:g}"]["error_rate"] for eps in eps_list]
        print(f"after adversarial training: clean accuracy {100 * robust_clean:.1f}%")
        for eps in eps_list:
            row = attacks[f"{eps:g}"]
            print(f"  eps={eps:<5g} error {100 * row['error_rate']:5.1f}%  "
                  f"mean confidence {100 * row['mean_confidence']:5.1f}%  "
                  f"(x' transferred from the undefended model: error {100 * row['transfer_error_rate']:5.1f}%)")
        by_eps = [attacks[f"{eps:g}"]["error_rate"] for eps in sorted(eps_list)]
        if any(lower > higher for lower, higher in zip(by_eps, by_eps[1:])):
            print("  warning: the error is not monotone in eps (a sign of gradient masking or label leaking)")

    eps_max = max(eps_list)
    panda_figure(x_test, reports[eps_max]["adversarial"], clean["probabilities"], reports[eps_max]["probabilities"],
                 y_test, eps_max, out / "panda.png")
    error_figure(eps_list, [reports[e]["error_rate"] for e in eps_list], after, out / "error_vs_eps.png",
                 clean_error=clean["error_rate"],
                 robust_clean_error=None if robust_clean is None else 1.0 - robust_clean)
    metrics["seconds"] = round(time.perf_counter() - t0, 2)
    _atomic_json(metrics, out / "metrics.json")
    print(summary.table(summary.fgsm_rows(metrics)))
    print(f"wrote {out / 'metrics.json'}, {out / 'panda.png'}, {out / 'error_vs_eps.png'}")
    return 0
