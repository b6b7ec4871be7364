"""``python -m minigan fgsm`` and ``python -m minigan attack``: adversarial examples against a classifier.

    python -m minigan fgsm --data digits --eps 0.05 0.1 0.25 --adversarial-training --out runs/fgsm
    python -m minigan attack --data digits --eps 0.05 0.1 0.2 --train-eps 0.1 --out runs/robust

Both start from the same clean classifier (``minigan.attacks.recipes.clean_classifier``: on the
digits with the default settings the cached ``minigan.classifier.reference_classifier``) and report
the ERROR on adversarial test images, in %, as the paper does.

``fgsm`` (Goodfellow, Shlens & Szegedy 2015) writes to ``--out``:
  metrics.json      clean accuracy; error rate and confidence on adversarial test examples at each ε;
                    the same after adversarial training (when asked); the paper's numbers
  panda.png         the panda slide (CS/DS 541 and IT3320E) on digits: x (class, confidence),
                    + ε·sign(∇ₓJ), = x' (new class, confidence), a few rows
  error_vs_eps.png  error on adversarial examples against ε, before and after adversarial training
Adversarial training FINE-TUNES a copy of the clean classifier with J̃ (``adversarial_training.py``):
starting from the clean weights keeps the clean accuracy, and costs a few epochs, not a whole run.

``attack`` (Madry et al. 2018) fine-tunes an FGSM-trained and a PGD-trained copy (cached), attacks all
three models at every ``--eps`` with FGSM, PGD-10, PGD-40 with ``--restarts`` random starts and the
PGD-40 x' of the other models (transferred), and writes to ``--out``:
  metrics.json       every accuracy, the recipes, the wall times, Madry et al.'s MNIST numbers
  robustness.png     error against ε: one panel per model, one line per attack
  masking.png        error under FGSM, PGD-40 and transferred PGD-40 at ``--train-eps``, per model:
                     gradient masking made visible
  table.md           the table in Markdown (error in %)

Same seed, same backend: same numbers.
"""

from __future__ import annotations

import shlex
import sys
import time

import minigan.arguments as arguments
from minigan.attacks import figures, robustness
from minigan.attacks.adversarial_training import train_adversarially
from minigan.attacks.fgsm import check_eps, evaluate_attack
from minigan.attacks.recipes import (
    ADV_RECIPE,
    FGSM_RANDOM_EPS,
    PGD_RECIPE,
    build_model,
    clean_classifier,
    robust_models,
)
from minigan.classifier import cache_dir
from minigan.cli import summary
from minigan.cli.outputs import check_cache
from minigan.cli.runfolder import RunFolder
from minigan.data import MAX_CLASSES, load_image_dataset
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.progress import Report, StopOnSignal, Stopped, signal_name
from minigan.surface import random

DATA_HELP = ("digits (bundled 8x8), fashion-mnist, mnist ($MINIGAN_DATA/mnist) or idx:PATH "
             "(an MNIST-format folder, any image size)")
FGSM_EPS = (0.05, 0.1, 0.25)
ATTACK_EPS = (0.05, 0.1, 0.2)
FGSM_FILES = ("metrics.json", "panda.png", "error_vs_eps.png")  # what a run writes into --out
ATTACK_FILES = ("metrics.json", "robustness.png", "masking.png", "table.md")
NAMES = ("undefended", "FGSM-trained", "PGD-trained")
# Goodfellow, Shlens & Szegedy 2015, Section 4 and Section 6 (MNIST, maxout network, ε = 0.25).
FGSM_PAPER = {"source": "Goodfellow, Shlens & Szegedy 2015, Explaining and Harnessing Adversarial Examples",
              "dataset": "MNIST", "model": "maxout network", "eps": 0.25, "error_rate": 0.894,
              "mean_confidence_on_errors": 0.976, "error_rate_adversarially_trained": 0.179}
# Madry et al. 2018, Table 1 (MNIST, ε = 0.3): the PGD-trained network is 98.8% accurate on clean
# test images and 89.3% under 100-step PGD with 50 random restarts (white box, source A).
ATTACK_PAPER = {"source": "Madry, Makelov, Schmidt, Tsipras & Vladu 2018, Towards Deep Learning Models Resistant "
                          "to Adversarial Attacks, Table 1", "dataset": "MNIST", "eps": 0.3, "clean_accuracy": 0.988,
                "pgd_100_steps_50_restarts_accuracy": 0.893, "fgsm_accuracy": 0.956}


def add_parser(subparsers, name):
    """``fgsm`` or ``attack``: the two commands share the data, the clean classifier and the run folder."""
    return {"fgsm": _fgsm_parser, "attack": _attack_parser}[name](subparsers)


# ----------------------------------------------------------------------------- shared
def stoppable(run):
    """``run(args)`` under a stop request (``minigan.progress.StopOnSignal``): Ctrl-C, SIGTERM or SIGHUP end it
    within a batch or an attack step, saying so at once; a model finished before stays cached, nothing of a
    half-trained one is kept, nothing is written in --out (its files are written at the end)."""
    def stopping(args) -> int:
        with StopOnSignal("stopping within a batch") as stop:
            try:
                return run(args)
            except Stopped as e:
                print(f"minigan: {signal_name(e.signum)}: stopped; nothing written in {args.out!r}; the models "
                      f"already trained stay cached in {cache_dir()}; go on with: "
                      f"{shlex.join(['python', '-m', 'minigan', *sys.argv[1:]])}",
                      file=sys.stderr, flush=True)
                return 128 + (stop.signum or e.signum)
    stopping.__doc__ = run.__doc__
    return stopping


def load_data(spec: str, who: str, limit=None):
    """(x_train, y_train, x_test, y_test, num_classes), pixels in [0, 1]; ``limit`` keeps the first N of each."""
    try:
        x_train, y_train, x_test, y_test = load_image_dataset(spec, scale="01")
    except ValueError as e:
        if "load_image_dataset: got" not in str(e):
            raise  # a damaged file: its own message says which and why
        raise ValueError(f"{who}: got --data {spec!r}, expected {DATA_HELP}") from None
    if limit:
        x_train, y_train, x_test, y_test = x_train[:limit], y_train[:limit], x_test[:limit], y_test[:limit]
    num_classes = int(max(y_train.max(), y_test.max())) + 1
    if num_classes > MAX_CLASSES:
        raise ValueError(f"{who}: --data {spec!r} has labels up to {num_classes - 1}; at most {MAX_CLASSES} "
                         "classes are supported")
    return x_train, y_train, x_test, y_test, num_classes


def _check_counts(args, who, names):
    for name in names:
        value = getattr(args, name)
        if value is not None:
            arguments.positive_int(who, "--" + name.replace("_", "-"), value)


# ----------------------------------------------------------------------------- fgsm
def _fgsm_parser(subparsers):
    p = subparsers.add_parser(
        "fgsm", help="fast gradient sign attack and adversarial training on digits",
        description="Attack a digit classifier with x' = clip(x + eps*sign(grad_x J)) (Goodfellow et al. 2015) "
                    "and measure error and confidence at each eps; optionally fine-tune it adversarially.")
    p.add_argument("--data", default="digits", help=DATA_HELP)
    p.add_argument("--eps", type=float, nargs="+", default=list(FGSM_EPS),
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
    p.set_defaults(run=stoppable(run_fgsm))
    return p


def _row(report):
    return {k: report[k] for k in ("error_rate", "mean_confidence", "mean_confidence_on_errors")}


def run_fgsm(args) -> int:
    eps_list = [check_eps(e, "fgsm --eps") for e in args.eps]
    adv_eps = args.adv_eps if args.adv_eps is not None else round(ADV_RECIPE["eps_factor"] * max(eps_list), 6)
    adv_eps = check_eps(adv_eps, "fgsm --adv-eps")
    _check_counts(args, "fgsm", ("epochs", "adv_epochs", "limit"))
    if not 0.0 <= args.alpha <= 1.0:
        raise ValueError(f"fgsm: --alpha must be in [0, 1], got {args.alpha}")
    if not 0.0 <= args.random_eps <= 1.0:
        raise ValueError(f"fgsm: --random-eps must be a fraction in [0, 1], got {args.random_eps}")
    if not np.isfinite(args.adv_lr) or args.adv_lr <= 0:
        raise ValueError(f"fgsm: --adv-lr must be a positive learning rate, got {args.adv_lr}")
    if args.backend:
        backend.use_backend(args.backend)
    check_cache("fgsm")  # the clean (and adversarially trained) classifiers are kept there: before training them
    with RunFolder(args.out, "fgsm", FGSM_FILES, force=args.force) as out:
        return _fgsm(args, out, eps_list, adv_eps)


def _fgsm(args, out: RunFolder, eps_list, adv_eps) -> int:
    t0 = time.perf_counter()
    x_train, y_train, x_test, y_test, num_classes = load_data(args.data, "fgsm", args.limit)

    model = clean_classifier(args, args.data, x_train, y_train, num_classes)
    clean = evaluate_attack(model, x_test, y_test, 0.0)
    metrics = {"data": args.data, "model": args.model, "seed": args.seed, "backend": backend.backend_name(),
               "n_train": len(x_train), "n_test": len(x_test), "eps": eps_list,
               "clean_accuracy": 1.0 - clean["error_rate"], "undefended": {}, "adversarially_trained": None,
               "paper": FGSM_PAPER}
    print(f"clean test accuracy {100 * metrics['clean_accuracy']:.1f}%")
    reports = {}
    for eps in eps_list:
        reports[eps] = evaluate_attack(model, x_test, y_test, eps)
        metrics["undefended"][f"{eps:g}"] = _row(reports[eps])
        print(f"  eps={eps:<5g} error {100 * reports[eps]['error_rate']:5.1f}%  "
              f"{_confidence(reports[eps])}")

    after = robust_clean = None
    if args.adversarial_training:
        robust = build_model(args.model, x_train.shape[1:], num_classes)
        robust.load_state_dict(model.state_dict())  # fine-tune a copy of the clean classifier
        if backend.backend_name() != "numpy":
            robust.to("cuda")
        random.manual_seed(args.seed)
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
            print(f"  eps={eps:<5g} error {100 * row['error_rate']:5.1f}%  {_confidence(row)}  "
                  f"(x' transferred from the undefended model: error {100 * row['transfer_error_rate']:5.1f}%)")
        by_eps = [attacks[f"{eps:g}"]["error_rate"] for eps in sorted(eps_list)]
        if any(lower > higher for lower, higher in zip(by_eps, by_eps[1:])):
            print("  warning: the error is not monotone in eps (a sign of gradient masking or label leaking)")

    eps_max = max(eps_list)
    out.write("panda.png", lambda path: figures.panda_figure(
        x_test, reports[eps_max]["adversarial"], clean["probabilities"], reports[eps_max]["probabilities"], y_test,
        eps_max, path))
    out.write("error_vs_eps.png", lambda path: figures.error_figure(
        eps_list, [reports[e]["error_rate"] for e in eps_list], after, path, clean_error=clean["error_rate"],
        robust_clean_error=None if robust_clean is None else 1.0 - robust_clean))
    metrics["seconds"] = round(time.perf_counter() - t0, 2)
    out.write_json("metrics.json", metrics)
    print(summary.table(summary.fgsm_rows(metrics)))
    print(f"wrote metrics.json, panda.png, error_vs_eps.png in {out.path} ({metrics['seconds']:.0f} s)")
    return 0


def _confidence(row) -> str:
    """The one confidence fgsm prints: the paper's, the mean probability the model gives its wrong answers."""
    if row["mean_confidence_on_errors"] is None:
        return "no mistakes"
    return f"confidence when wrong {100 * row['mean_confidence_on_errors']:5.1f}%"


# ----------------------------------------------------------------------------- attack
def _attack_parser(subparsers):
    p = subparsers.add_parser(
        "attack", help="robustness table: error under FGSM, PGD and transferred attacks of undefended / FGSM- / "
                       "PGD-trained models",
        description="Fine-tune the clean classifier with FGSM (Goodfellow et al. 2015) and with PGD (Madry et al. "
                    "2018) adversarial training, then measure the test error of all three under FGSM, PGD-10, "
                    "PGD-40 with restarts and transferred PGD-40 at each eps.")
    p.add_argument("--data", default="digits", help=DATA_HELP)
    p.add_argument("--eps", type=float, nargs="+", default=list(ATTACK_EPS),
                   help="attack sizes in pixel units, pixels in [0, 1] (default: 0.05 0.1 0.2)")
    p.add_argument("--train-eps", type=float, default=0.1, help="eps of both adversarial trainings (default 0.1)")
    p.add_argument("--restarts", type=int, default=5, help="random restarts of the PGD-40 attack (default 5)")
    p.add_argument("--model", choices=("cnn", "mlp"), default="cnn", help="the classifier (default: cnn)")
    p.add_argument("--seed", type=int, default=0, help="seed of initialisation, batch order and random starts")
    p.add_argument("--epochs", type=int, default=None, help="clean training epochs (default: the reference recipe)")
    p.add_argument("--adv-epochs", type=int, default=ADV_RECIPE["epochs"],
                   help=f"FGSM fine-tuning epochs (default {ADV_RECIPE['epochs']})")
    p.add_argument("--fgsm-random-eps", type=float, default=FGSM_RANDOM_EPS,
                   help="fraction of FGSM-training examples at a random eps in [0, train-eps] (Kurakin et al. 2017); "
                        "default 0: the paper's recipe, every example at train-eps (the fgsm command uses 0.5)")
    p.add_argument("--pgd-epochs", type=int, default=PGD_RECIPE["epochs"],
                   help=f"PGD fine-tuning epochs (default {PGD_RECIPE['epochs']})")
    p.add_argument("--pgd-train-steps", type=int, default=PGD_RECIPE["steps"],
                   help=f"PGD steps per minibatch during training (default {PGD_RECIPE['steps']})")
    p.add_argument("--limit", type=int, default=None, help="use only the first N train and test images (quick runs)")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--force", action="store_true", help="replace the results of an earlier run in --out")
    p.add_argument("--backend", choices=("numpy", "cupy"), default=None, help="array backend (default: numpy)")
    p.set_defaults(run=stoppable(run_attack))
    return p


def run_attack(args) -> int:
    eps_list = [check_eps(e, "attack --eps") for e in args.eps]
    args.train_eps = check_eps(args.train_eps, "attack --train-eps")
    _check_counts(args, "attack", ("epochs", "adv_epochs", "pgd_epochs", "pgd_train_steps", "limit", "restarts"))
    if not 0.0 <= args.fgsm_random_eps <= 1.0:
        raise ValueError(f"attack: --fgsm-random-eps must be a fraction in [0, 1], got {args.fgsm_random_eps}")
    if args.backend:
        backend.use_backend(args.backend)
    check_cache("attack")  # the CNN and its FGSM- and PGD-trained copies are kept there: before training them
    with RunFolder(args.out, "attack", ATTACK_FILES, force=args.force) as out:
        return _attack(args, out, eps_list)


def _attack(args, out: RunFolder, eps_list) -> int:
    t0 = time.perf_counter()
    x_train, y_train, x_test, y_test, num_classes = load_data(args.data, "attack", args.limit)
    clean = clean_classifier(args, args.data, x_train, y_train, num_classes)
    trained = robust_models(args, clean, x_train, y_train, num_classes)
    models = {"undefended": clean, **{name: m for name, (m, _, _) in trained.items()}}
    print(f"attacking {len(x_test)} test images at eps {', '.join(f'{e:g}' for e in eps_list)} "
          f"(PGD-40 with {args.restarts} restarts) ...", flush=True)
    report = Report(f"attacking {len(models)} models at {len(eps_list)} eps (FGSM, PGD-10, PGD-40)",
                    len(models) * len(eps_list), unit="models x eps")
    table = robustness.robustness_table(models, x_test, y_test, eps_list, restarts=args.restarts, seed=args.seed,
                                        verbose=True, progress=report)
    report.close()
    metrics = {"data": args.data, "model": args.model, "seed": args.seed, "backend": backend.backend_name(),
               "n_train": len(x_train), "n_test": len(x_test), "eps": eps_list, "train_eps": args.train_eps,
               "restarts": args.restarts, "step_size": "2.5 * eps / steps",
               "recipes": {"FGSM-trained": dict(ADV_RECIPE, epochs=args.adv_epochs,
                                                random_eps=args.fgsm_random_eps),
                           "PGD-trained": dict(PGD_RECIPE, epochs=args.pgd_epochs, steps=args.pgd_train_steps)},
               "train_seconds": {name: round(s, 2) for name, (_, s, _) in trained.items()},
               "cached": {name: c for name, (_, _, c) in trained.items()},
               "table": robustness.json_table(table), "paper": ATTACK_PAPER}
    masking_eps = args.train_eps if args.train_eps in eps_list else eps_list[len(eps_list) // 2]
    out.write("robustness.png", lambda path: figures.robustness_figure(
        table, eps_list, NAMES, path, title=f"{args.data}: error under attack (trained at ε = {args.train_eps:g})"))
    out.write("masking.png", lambda path: figures.masking_figure(table, masking_eps, NAMES, path))
    markdown = summary.robustness_markdown(table, eps_list, NAMES)
    out.write_text("table.md", markdown + "\n")
    metrics["seconds"] = round(time.perf_counter() - t0, 2)
    out.write_json("metrics.json", metrics)
    print(markdown)
    print(f"wrote metrics.json, robustness.png, masking.png, table.md in {out.path}; "
          f"the run took {metrics['seconds']:.0f} s")
    return 0
