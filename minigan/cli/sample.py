"""``python -m minigan sample RUN [--n 64] [--labels 3 7] [--seed 0] [--out grid.png]``: generate after training.

RUN is the folder of a ``python -m minigan train`` run (or its ``checkpoint.npz``). The generator is
rebuilt from the settings the checkpoint records, its trained weights are loaded, and ``--n`` samples
G(z), z ~ N(0, I) drawn with ``--seed``, are drawn in evaluation mode: a grid of images, or a scatter
of 2-D points over the data. A conditional GAN draws the classes given with ``--labels`` (one row per
class), or one row for each class.

    python -m minigan train cgan --data digits --out runs/cgan
    python -m minigan sample runs/cgan --labels 3 7 --n 20 --out threes-and-sevens.png

The picture goes to ``--out`` (default: RUN/sample-sSEED.png) and the samples themselves, as an array to
load with ``numpy.load``, beside it (the same name ending in .npy: images (N, C, H, W) in [-1, 1], or points
(N, 2)); an existing file is replaced only with ``--force``, and a link there is never followed.
"""

from __future__ import annotations

import os
from pathlib import Path

import minigan.arguments as arguments
from minigan.cli.outputs import check_file
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.gans.recipes import build_experiment
from minigan.serialization import load
from minigan.surface import random

# The settings build_experiment takes by name; every other entry of a run's config is a recipe override.
NAMED = ("algorithm", "data", "seed", "backend", "optimizer", "loss", "batch_size")
MAX_SAMPLES = 10_000


def add_parser(subparsers, name="sample"):
    p = subparsers.add_parser(
        name, help="draw samples from a trained run's checkpoint",
        description="Rebuild the generator of a train run from its checkpoint.npz and draw samples from it.")
    p.add_argument("run_dir", metavar="RUN", help="the --out folder of a train run, or its checkpoint.npz")
    p.add_argument("--n", type=int, default=None,
                   help="samples to draw (default: 64 images, or 2500 points on 2-D data; with --labels: per class, "
                        "default 10)")
    p.add_argument("--labels", type=int, nargs="+", default=None,
                   help="cgan: the classes to draw, one row each (default: every class)")
    p.add_argument("--seed", type=int, default=0, help="seed of the noise z (default: 0)")
    p.add_argument("--out", default=None, help="the picture to write (.png; default: RUN/sample-sSEED.png)")
    p.add_argument("--force", action="store_true", help="replace --out if it exists")
    p.set_defaults(run=run)
    return p


def load_run(run_path):
    """(experiment with the trained weights, the checkpoint's path, the algorithm as the run was asked for) for a
    train run's folder or checkpoint: "dcgan" for ``train dcgan`` (the gan it runs on images), else the algorithm."""
    path = Path(run_path)
    ckpt_path = path / "checkpoint.npz" if path.is_dir() else path
    if not ckpt_path.is_file():
        raise FileNotFoundError(f"sample: no checkpoint at {str(ckpt_path)!r}; give the --out folder of a train run "
                                "(python -m minigan train ... --out FOLDER) or its checkpoint.npz")
    ckpt = load(ckpt_path)
    if not isinstance(ckpt, dict) or not isinstance(ckpt.get("config"), dict) or "trainer" not in ckpt:
        raise ValueError(f"sample: {str(ckpt_path)!r} is a minigan checkpoint but not one written by train")
    config = ckpt["config"]
    overrides = {k: v for k, v in config.items() if k not in NAMED}
    try:
        exp = build_experiment(config["algorithm"], config["data"], optimizer=config.get("optimizer"),
                               loss=config.get("loss"), seed=config.get("seed", 0),
                               batch_size=config.get("batch_size"), **overrides)
        exp.trainer.load_state_dict(ckpt["trainer"])
    except (KeyError, TypeError, AttributeError, IndexError) as e:
        raise ValueError(f"sample: {str(ckpt_path)!r} is a damaged train checkpoint ({e})") from e
    name = ckpt.get("name")  # absent from checkpoints of older versions
    return exp, ckpt_path, name if isinstance(name, str) and name else exp.algorithm


def run(args) -> int:
    if args.n is not None:
        arguments.positive_int("sample", "--n", args.n)
        if args.n > MAX_SAMPLES:
            raise ValueError(f"sample: --n {args.n} is more than {MAX_SAMPLES}; draw fewer")
    if args.seed < 0:
        raise ValueError(f"sample: --seed must be >= 0, got {args.seed}")
    run_dir = Path(args.run_dir) if Path(args.run_dir).is_dir() else Path(args.run_dir).parent
    out = Path(args.out) if args.out else run_dir / f"sample-s{args.seed}.png"
    if out.suffix.lower() != ".png":
        raise ValueError(f"sample: --out {str(out)!r} must name a .png file")
    if out.is_dir() and not out.is_symlink():
        raise ValueError(f"sample: --out {str(out)!r} is a folder, expected a .png file")
    array_out = out.with_suffix(".npy")
    for path in (out, array_out):
        if path.is_dir() and not path.is_symlink():
            raise ValueError(f"sample: {str(path)!r} is a folder, expected a file; give another --out")
        if os.path.lexists(path) and not args.force:
            raise ValueError(f"sample: {str(path)!r} already exists; replace it with --force, or give another --out")
    check_file(out, "sample: --out", "give --out a .png in a folder you can write")
    exp, ckpt_path, name = load_run(args.run_dir)
    conditional = exp.algorithm == "cgan"
    if args.labels is not None and not conditional:
        raise ValueError(f"sample: --labels draws chosen classes from a cgan; {str(ckpt_path)!r} is a "
                         f"{exp.algorithm}")

    from minigan import viz

    random.manual_seed(args.seed)
    title = f"{name} on {exp.data}, step {exp.trainer.step}, seed {args.seed}"
    for path in (out, array_out):
        if os.path.islink(path):  # --force: replace the link itself, never what it points to
            os.unlink(path)
    order = ""
    if exp.kind == "mixture":
        n = args.n or 2500
        samples = exp.trainer.sample(n)
        viz.scatter_2d(samples, exp.mixture, out, title=title)
    elif exp.kind == "points":
        n = args.n or 2500
        samples = exp.trainer.sample(n)
        viz.scatter_2d(samples, out, title=title, real=exp.mixture.points)
    elif conditional:
        wanted = list(range(exp.num_classes)) if args.labels is None else args.labels
        labels = arguments.labels("sample --labels", wanted, len(wanted), exp.num_classes)
        per_class = args.n or 10
        xp = exp.trainer.xp
        y = xp.repeat(xp.asarray(labels), per_class)
        n = int(y.shape[0])
        if n > MAX_SAMPLES:
            raise ValueError(f"sample: {n} samples asked ({per_class} per class); at most {MAX_SAMPLES}")
        samples = exp.trainer.sample(n, y)
        viz.image_grid(samples, out, nrow=per_class, title=title, value_range=(-1, 1),
                       row_labels=[int(c) for c in labels])
        order = f", {per_class} of each class in the order {', '.join(str(int(c)) for c in labels)}"
    else:
        n = args.n or 64
        samples = exp.trainer.sample(n)
        viz.image_grid(samples, out, nrow=min(n, 10 if n > 64 else 8), title=title, value_range=(-1, 1))
    array = backend.asnumpy(getattr(samples, "array", samples))
    with open(array_out, "wb") as f:
        np.save(f, array)
    what = "points x,y" if array.ndim == 2 else "images in [-1, 1]"
    print(f"drew {n} samples from {ckpt_path} (step {exp.trainer.step}) with seed {args.seed}; wrote {out} and "
          f"{array_out} (the samples as an array {tuple(array.shape)}, {what}{order}: numpy.load it)")
    return 0
