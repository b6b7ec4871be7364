"""``python -m minigan train {gan,wgan,cgan} --data ... --steps N --seed S --out DIR``.

Writes into DIR:
  metrics.json    the configuration, the final metrics, the metrics at every evaluation and the losses
  samples.png     2-D samples over the true modes, or an image grid (one row per class for cgan)
  losses.png      the training losses
  checkpoint.npz  trainer state (both networks and optimizers), step, random-generator state and
                  history, saved atomically every --checkpoint-every steps; ``--resume`` continues
                  from it and reproduces the uninterrupted run exactly (same seed, same backend).

Training stops at the first NaN/inf loss with a clear message; the last good checkpoint stays.
"""

from __future__ import annotations

import json
import math
import sys
import time
from pathlib import Path

from minigan import backend
from minigan.backend import np
from minigan.gans.recipes import ALGORITHMS, DATA_HELP, OPTIMIZERS, build_experiment
from minigan.serialization import load, save

LOSS_NAMES = ("non-saturating", "minimax")
# A resumed run must use the same settings as the run that wrote the checkpoint (steps may grow).
RESUME_KEYS_IGNORED = ("steps",)
# What checkpoint() writes; --resume checks for each before reading any.
CHECKPOINT_KEYS = ("config", "trainer", "rng", "step", "eval_every", "checkpoint_every", "evals", "history")


def add_parser(subparsers):
    p = subparsers.add_parser(
        "train", help="train a GAN, WGAN or conditional GAN",
        description="Train a GAN (Goodfellow et al. 2014), WGAN (Arjovsky et al. 2017) or conditional GAN "
                    "(Mirza & Osindero 2014) and write metrics.json, samples.png, losses.png and a checkpoint.")
    p.add_argument("algorithm", choices=ALGORITHMS)
    p.add_argument("--data", default="ring", help=f"{DATA_HELP} (default: ring)")
    p.add_argument("--steps", type=int, default=None, help="generator updates (default: the recipe's)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None, help="output folder (default: runs/ALGORITHM-DATA-sSEED)")
    p.add_argument("--backend", default=None, help="numpy (default) or cupy")
    p.add_argument("--loss", default=None, help=f"gan/cgan generator loss: {' or '.join(LOSS_NAMES)}")
    p.add_argument("--optimizer", default=None, help=" | ".join(OPTIMIZERS))
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: the recipe's)")
    p.add_argument("--pack", type=int, default=None,
                   help="PacGAN packing for gan on 2-D data (default 1; best on the ring: --pack 4 --steps 20000, "
                        "on the grid: --pack 4 --batch-size 512 --steps 80000)")
    p.add_argument("--batch-size", type=int, default=None)
    p.add_argument("--eval-every", type=int, default=None, help="default: steps/10")
    p.add_argument("--checkpoint-every", type=int, default=None, help="default: --eval-every")
    p.add_argument("--resume", action="store_true", help="continue from DIR/checkpoint.npz")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(run=run)
    return p


def _positive(name, value):
    if value is not None and value < 1:
        raise ValueError(f"train: {name} must be a positive integer, got {value}")


def _finite(out: dict) -> bool:
    return all(math.isfinite(v) for v in out.values())


class Progress:
    """tqdm if it is installed, otherwise a plain line every 5%."""

    def __init__(self, start, total, disable):
        self.total, self.disable, self.bar, self.next_pct = total, disable, None, 0
        if disable:
            return
        try:
            from tqdm import tqdm

            self.bar = tqdm(total=total, initial=start, file=sys.stderr, dynamic_ncols=True, mininterval=0.5)
        except ImportError:
            self.next_pct = 5 * (100 * start // total // 5 + 1)

    def update(self, step, out):
        if self.disable:
            return
        text = " ".join(f"{k}={v:.3f}" for k, v in out.items())
        if self.bar is not None:
            self.bar.update(1)
            if step % 25 == 0 or step == self.total:
                self.bar.set_postfix_str(text, refresh=False)
        elif 100 * step >= self.next_pct * self.total:
            print(f"step {step}/{self.total} ({100 * step // self.total}%) {text}", file=sys.stderr, flush=True)
            self.next_pct += 5

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _windowed(history: dict, points: int = 500) -> dict:
    """Losses averaged over windows, at most ``points`` per series (for metrics.json and losses.png)."""
    steps = np.asarray(history["step"], dtype=np.float64)
    if steps.size == 0:
        return {"step": []}
    w = max(1, math.ceil(steps.size / points))
    n = (steps.size // w) * w or steps.size
    out = {"step": [float(s) for s in steps[:n].reshape(-1, min(w, n))[:, -1]]}
    for k, v in history.items():
        if k != "step":
            arr = np.asarray(v, dtype=np.float64)[:n]
            out[k] = [float(x) for x in arr.reshape(-1, min(w, n)).mean(axis=1)]
    return out


def _write_json(path: Path, obj) -> None:
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(obj, indent=2, default=float))
    tmp.replace(path)


def _pictures(exp, out_dir: Path, losses: dict) -> list:
    """samples.png and losses.png via minigan.viz (skipped with a warning without matplotlib)."""
    try:
        from minigan import viz

        rng_state = backend.get_rng_state()
        try:
            title = f"{exp.algorithm} on {exp.data}, step {exp.trainer.step}"
            if exp.kind == "mixture":
                viz.scatter_2d(exp.trainer.sample(2500), exp.mixture, out_dir / "samples.png", title=title)
            elif exp.algorithm == "cgan":
                images, _ = exp.trainer.sample_grid(10)
                viz.image_grid(images, out_dir / "samples.png", nrow=10, title=title, value_range=(-1, 1),
                               row_labels=list(range(exp.num_classes)))
            else:
                viz.image_grid(exp.trainer.sample(100), out_dir / "samples.png", nrow=10, title=title,
                               value_range=(-1, 1))
        finally:
            backend.set_rng_state(rng_state)
        series = {k: (losses["step"], v) for k, v in losses.items() if k != "step" and k not in ("d_real", "d_fake")}
        viz.loss_curves(series, out_dir / "losses.png", title=f"{exp.algorithm} on {exp.data}", smooth=0.9)
        return ["samples.png", "losses.png"]
    except ImportError as e:
        print(f"minigan: warning: no pictures written ({e})", file=sys.stderr)
        return []


def run(args) -> int:
    for name in ("steps", "batch_size", "eval_every", "checkpoint_every", "pack"):
        _positive("--" + name.replace("_", "-"), getattr(args, name))
    if args.seed < 0:
        raise ValueError(f"train: --seed must be >= 0, got {args.seed}")
    if args.backend is not None:
        backend.use_backend(args.backend)
    overrides = {k: v for k, v in (("lr", args.lr), ("pack", args.pack)) if v is not None}
    exp = build_experiment(args.algorithm, args.data, optimizer=args.optimizer, loss=args.loss, seed=args.seed,
                           batch_size=args.batch_size, **overrides)
    out_dir = Path(args.out or f"runs/{args.algorithm}-{args.data.replace(':', '_').replace('/', '_')}-s{args.seed}")
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(f"train: --out {str(out_dir)!r} is a file, expected a folder (new or existing)")
    ckpt_path = out_dir / "checkpoint.npz"
    steps = args.steps or exp.default_steps
    eval_every, ckpt_every = args.eval_every, args.checkpoint_every
    history, evals, start = {"step": []}, [], 0

    if args.resume:
        if not ckpt_path.is_file():
            raise FileNotFoundError(f"train --resume: no checkpoint at {str(ckpt_path)!r}; run without --resume first")
        ckpt = load(ckpt_path)
        missing = [k for k in CHECKPOINT_KEYS if not isinstance(ckpt, dict) or k not in ckpt]
        if missing:
            raise ValueError(f"train --resume: {str(ckpt_path)!r} is a minigan checkpoint but not one written by "
                             f"train (it has no {missing[0]!r} entry); expected the checkpoint.npz of a training run")
        saved = {k: v for k, v in ckpt["config"].items() if k not in RESUME_KEYS_IGNORED}
        now = {k: v for k, v in exp.config.items() if k not in RESUME_KEYS_IGNORED}
        diff = sorted(k for k in set(saved) | set(now) if saved.get(k) != now.get(k))
        if diff:
            k = diff[0]
            raise ValueError(f"train --resume: the checkpoint was written with {k}={saved.get(k)!r}, this run has "
                             f"{k}={now.get(k)!r}; resume with the same settings (or use another --out)")
        exp.trainer.load_state_dict(ckpt["trainer"])
        backend.set_rng_state(ckpt["rng"])
        history = {k: [float(x) for x in backend.asnumpy(v)] for k, v in ckpt["history"].items()}
        evals, start = list(ckpt["evals"]), int(ckpt["step"])
        eval_every = eval_every or int(ckpt["eval_every"])
        ckpt_every = ckpt_every or int(ckpt["checkpoint_every"])
    eval_every = eval_every or max(1, steps // 10)
    ckpt_every = ckpt_every or eval_every
    out_dir.mkdir(parents=True, exist_ok=True)
    config = dict(exp.config, steps=steps, eval_every=eval_every, checkpoint_every=ckpt_every)

    def checkpoint(step):
        save({"config": exp.config, "trainer": exp.trainer.state_dict(), "rng": backend.get_rng_state(),
              "step": step, "eval_every": eval_every, "checkpoint_every": ckpt_every, "evals": evals,
              "history": {k: np.asarray(v, dtype=np.float64) for k, v in history.items()}}, ckpt_path)

    def write_metrics(final, status, seconds):
        _write_json(out_dir / "metrics.json", {
            "config": config, "status": status, "step": exp.trainer.step, "final": final, "evals": evals,
            "losses": _windowed(history), "wall_seconds": seconds})

    progress = Progress(start, steps, args.no_progress)
    t0 = time.perf_counter()
    last_good = start if args.resume else None
    try:
        for step in range(start + 1, steps + 1):
            # A diverging run overflows before its loss turns NaN: NumPy's warnings about that would
            # bury the one-line message below, which names the step and the checkpoint kept.
            with np.errstate(all="ignore"):
                out = exp.train_step(steps)
            if not _finite(out):
                bad = ", ".join(f"{k}={v}" for k, v in out.items() if not math.isfinite(v))
                write_metrics({}, f"diverged at step {step}", time.perf_counter() - t0)
                kept = (f"the last good checkpoint (step {last_good}) is {str(ckpt_path)!r}" if last_good is not None
                        else "no checkpoint was written yet")
                raise RuntimeError(f"training diverged at step {step} ({bad}); {kept}; try a smaller --lr")
            history["step"].append(step)
            for k, v in out.items():
                history.setdefault(k, []).append(v)
            progress.update(step, out)
            if step % eval_every == 0 or step == steps:
                evals.append({"step": step, **exp.evaluate()})
            if step % ckpt_every == 0 or step == steps:
                checkpoint(step)
                last_good = step
    finally:
        progress.close()
    seconds = time.perf_counter() - t0
    final = dict(evals[-1]) if evals and evals[-1]["step"] == exp.trainer.step else {"step": exp.trainer.step,
                                                                                     **exp.evaluate()}
    losses = _windowed(history)
    write_metrics(final, "ok", seconds)
    written = _pictures(exp, out_dir, losses) if losses["step"] else []
    shown = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in final.items()
             if k not in ("mode_counts", "eval_seconds", "step")}
    print(f"{args.algorithm} on {args.data}: {exp.trainer.step} steps in {seconds:.1f} s; {shown}")
    print(f"wrote {', '.join(['metrics.json', *written, 'checkpoint.npz'])} in {out_dir}")
    return 0
