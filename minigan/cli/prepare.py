"""``python -m minigan prepare``: train, ahead of a class, everything the lessons and commands train on first use.

    python -m minigan prepare                       # all of it, once: 14 minutes on a busy 2-core machine
    python -m minigan prepare --only digits-cnn     # one part
    python -m minigan prepare --list                # the parts, and whether each is ready (read, nothing trained)

Each part is trained once with a fixed seed and recipe and cached in ``$MINIGAN_CACHE`` (or
``~/.cache/minigan``): a later lesson, ``train`` run or attack loads it instead of training it with the student
waiting. Each says what it trains, how far it got and about how long is left (``minigan.progress``). A data set
that is not installed is skipped with how to get it. Ctrl-C (or SIGTERM) stops the part in progress within a batch:
the parts finished stay cached, the one in progress is not kept, and the line printed says how to go on.
"""

from __future__ import annotations

import argparse
import sys
import time

from minigan import classifier
from minigan.cli.outputs import check_cache
from minigan.progress import StopOnSignal, Stopped, clock, signal_name


def _reference(dataset):
    def make():
        model = classifier.reference_classifier("cnn", dataset=dataset)
        info = model.reference_info
        return f"{info['path']} (test accuracy {100 * info['test_accuracy']:.1f}%)", info["cached"]
    return make


def _attack_args(random_eps=False):
    """The options of the attack lessons' CNNs (lesson 18, the ``attack`` command's defaults at ε = 0.1, seed 0);
    ``random_eps``: those of the FGSM-trained copy with a random ε."""
    from minigan.attacks import recipes

    return argparse.Namespace(data="digits", model="cnn", seed=0, limit=None, epochs=None, train_eps=0.1,
                              adv_epochs=recipes.ADV_RECIPE["epochs"], pgd_epochs=recipes.PGD_RECIPE["epochs"],
                              pgd_train_steps=recipes.PGD_RECIPE["steps"],
                              fgsm_random_eps=recipes.ADV_RECIPE["random_eps"] if random_eps
                              else recipes.FGSM_RANDOM_EPS)


def _attack_models():
    """The attack lessons' CNNs (lesson 18, the ``attack`` command's defaults at ε = 0.1, seed 0)."""
    from minigan.attacks import recipes
    from minigan.data.spec import load_image_dataset

    args = _attack_args()
    x_train, y_train, _, _ = load_image_dataset("digits")
    clean = recipes.clean_classifier(args, "digits", x_train, y_train, 10)
    made = recipes.robust_models(args, clean, x_train, y_train, 10)
    args.fgsm_random_eps = recipes.ADV_RECIPE["random_eps"]
    made.update({f"{k}, random eps": v for k, v in
                 recipes.robust_models(args, clean, x_train, y_train, 10, only="FGSM-trained").items()})
    return f"{classifier.cache_dir()} ({', '.join(made)})", all(cached for _, _, cached in made.values())


def _digits_gan():
    from minigan.attacks.gan_defense import digits_gan

    before = set(classifier.cache_dir().glob("digits_gan_*.npz"))
    digits_gan(steps=3000, seed=0)
    return f"{classifier.cache_dir()} (digits_gan_*.npz)", bool(before)


def _attack_files() -> list:
    from minigan.attacks import recipes
    from minigan.data.spec import load_image_dataset

    n = len(load_image_dataset("digits")[0])  # (bundled: read at once)
    return [classifier.reference_path("cnn", "digits"), *recipes.robust_paths(_attack_args(), n).values(),
            recipes.robust_paths(_attack_args(random_eps=True), n)["FGSM-trained"]]


def _digits_gan_files() -> list:
    from minigan.attacks.gan_defense import digits_gan_path

    return [digits_gan_path(steps=3000, seed=0)]


# the files each part leaves in the cache: all there, it is ready (``prepare --list``)
FILES = {"digits-cnn": lambda: [classifier.reference_path("cnn", "digits")], "attack-cnns": _attack_files,
         "digits-gan": _digits_gan_files,
         "fashion-mnist-cnn": lambda: [classifier.reference_path("cnn", "fashion-mnist")],
         "mnist-cnn": lambda: [classifier.reference_path("cnn", "mnist")]}

# name -> (what it is, who needs it, the function that makes it and returns (where, was it cached already))
PARTS = {
    "digits-cnn": ("the digits' reference CNN", "image metrics on digits, lessons 17-20, fgsm/attack",
                   _reference("digits")),
    "attack-cnns": ("the FGSM- and PGD-trained copies of the digits CNN", "lesson 18, attack", _attack_models),
    "digits-gan": ("the digits GAN, 3,000 steps", "lessons 19 and 20", _digits_gan),
    "fashion-mnist-cnn": ("Fashion-MNIST's reference CNN", "train/sample on fashion-mnist (Fréchet distance, classes)",
                          _reference("fashion-mnist")),
    "mnist-cnn": ("MNIST's reference CNN", "train/sample on mnist", _reference("mnist")),
}


def add_parser(subparsers, name="prepare"):
    p = subparsers.add_parser(
        name, help="train ahead of a class what the lessons and commands otherwise train on first use (the "
                   f"Fashion-MNIST judge alone: {classifier.FIRST_TRAINING['fashion-mnist']} on an idle 2-core CPU, "
                   "longer under load)",
        description="Train and cache the reference classifiers, the attack lessons' CNNs and the digits GAN, "
                    "saying what each is, its progress and where it went. Parts already cached only load.")
    p.add_argument("--only", nargs="+", choices=list(PARTS), metavar="PART", default=None,
                   help=f"only these parts (default: all): {', '.join(PARTS)}")
    p.add_argument("--list", action="store_true", help="list the parts, who needs each and whether it is ready, "
                                                       "then stop")
    p.set_defaults(run=run)
    return p


def run(args) -> int:
    names = args.only or list(PARTS)
    print(f"cache: {classifier.cache_dir()} (MINIGAN_CACHE moves it)")
    if args.list:
        for name, (what, who, _make) in PARTS.items():
            files = FILES[name]()
            missing = [f for f in files if not f.exists()]
            state = (f"ready: {files[0] if len(files) == 1 else classifier.cache_dir()}" if not missing else
                     f"not yet ({len(missing)} of {len(files)} files to make; `prepare --only {name}`)")
            print(f"  {name:<18} {state}; {what}; for {who}")
        return 0
    check_cache("prepare")  # before any training: a cache it cannot write would lose the training
    t0 = time.perf_counter()
    ready = []
    with StopOnSignal("stopping the part in progress within a batch; the parts finished stay cached"):
        for name in names:
            what, who, make = PARTS[name]
            print(f"\n{name}: {what} (for {who})", flush=True)
            try:
                where, cached = make()
            except FileNotFoundError as e:
                print(f"  skipped: {e}")
                continue
            except Stopped as e:  # the part in progress is saved only when finished: nothing half-made stays
                left = names[names.index(name):]
                print(f"minigan: {signal_name(e.signum)}: stopped during {name} after "
                      f"{clock(time.perf_counter() - t0)}; ready: {', '.join(ready) or 'none'}; not yet: "
                      f"{', '.join(left)}; go on with: python -m minigan prepare --only {' '.join(left)}",
                      file=sys.stderr, flush=True)
                return 128 + e.signum
            ready.append(name)
            print(f"  {'already there' if cached else 'ready'}: {where}", flush=True)
    print(f"\nprepared in {clock(time.perf_counter() - t0)}; everything is in {classifier.cache_dir()}")
    return 0
