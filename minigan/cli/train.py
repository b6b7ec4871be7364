"""``python -m minigan train {gan,wgan,wgan-gp,began,cgan,ebgan,ali,vae,aae} --data ... --steps N --seed S --out DIR``.

Writes into DIR:
  metrics.json    the configuration, the final metrics, the metrics at every evaluation and the losses
  samples.png     2-D samples over the true modes, or an image grid (one row per class for cgan)
  losses.png      the training losses
  *.alt.txt       each picture's alternative text, generated from the numbers it plots (also in the PNG)
  training.gif    with --animate (2-D data): the samples over training on D's decision surface
                  (and training.mp4 when ffmpeg is installed); minigan.gans.animate draws it, and
                  capturing its frames changes nothing in the training (same numbers as without)
  checkpoint.npz  trainer state (both networks and optimizers), step, random-generator state,
                  history and the algorithm as asked (dcgan: ``sample`` titles its pictures so),
                  saved atomically every --checkpoint-every steps; ``--resume`` continues
                  from it and reproduces the uninterrupted run exactly (same seed, same backend).
  .minigan.lock   held while a run writes into DIR: a second run on DIR stops at once (exit 2),
                  naming the process that holds it

A folder that holds any of these names (a file, a folder or a link: someone's work, or a trap) is
refused (exit 2) unless given --resume (continue the run there) or --force (replace it: the old files
go when the new run has its first checkpoint, so a run that fails before that leaves them as they
were). Results are written in a private staging folder and renamed into place, never through a link
(``minigan.cli.runfolder``). At the end, train prints a table of the final metrics, each with what it
measures and its reference value, and a few plain words on what they say.

The loop itself (steps, evaluations, checkpoints, the stop at a NaN, ``--resume``) is the library's,
``minigan.gans.training.TrainingLoop``, which the lab runs too; this file puts a progress bar, signals
and the run folder around it.

Training stops at the first NaN/inf loss with a clear message; the last good checkpoint stays.
SIGINT (Ctrl-C), SIGTERM or SIGHUP end the run after the step in progress (``minigan.progress.StopOnSignal``:
it says so at once): it saves a checkpoint at that step, prints the command that resumes it, and exits with
128 + the signal's number (130, 143, 129). A request that comes during an evaluation, or while the reference
CNN an evaluation needs trains on first use (minutes on Fashion-MNIST), stops that within a batch: the
checkpoint keeps the last step, and the CNN, saved only when finished, trains again on the next use.
A second Ctrl-C stops at once (the last periodic checkpoint stays).

The learning-rate schedule (recipes with lr_decay: linear from lr to lr/100) is laid over the
--steps of the run that started the checkpoint, and ``--resume`` keeps it. So ``--resume`` with the
same --steps reproduces the uninterrupted run, and ``--resume --steps N`` beyond it continues a
finished run at its final learning rate (lr/100): the same numbers as the first run followed by that
extension, not a fresh run of N steps. Recipes without a schedule (wgan) extended to N steps give
the same losses and weights as a fresh run of N steps.
"""

from __future__ import annotations

import json
import math
import shlex
import sys
import time
from pathlib import Path

from minigan.classifier import FIRST_TRAINING
from minigan.cli import summary
from minigan.cli.lab.settings import NUMBERS, SettingsError, check_number
from minigan.cli.outputs import check_cache, check_file, check_folder
from minigan.cli.runfolder import RunFolder, read_text
from minigan.engine import backend
from minigan.gans.gan import DEFAULT_LOSS, LOSSES, PRIORS, generator_loss_row
from minigan.gans.recipes import (
    ALGORITHMS,
    AUTOENCODERS,
    DATA_HELP,
    DEFAULTS,
    INSTANCE_NOISE_UNTIL,
    OPTIMIZERS,
    build_experiment,
)
from minigan.gans.training import (
    CheckpointError,
    Diverged,
    TrainingLoop,
    read_checkpoint,
    weights_finite,
    windowed_losses,
)
from minigan.progress import StopOnSignal, Stopped, signal_name
from minigan.serialization import save
from minigan.surface import random

# The files a run writes into its folder (--force removes them before a new run starts there).
RUN_FILES = ("checkpoint.npz", "metrics.json", "samples.png", "losses.png", "training.gif", "training.mp4",
             "samples.alt.txt", "losses.alt.txt")  # each picture's alternative text (minigan.viz.save_figure)
# The y-axis labels of losses.png: the losses' panel, then each quantity drawn on its own axes.
LOSS_AXIS = {"gan": "loss (cross-entropy, nats)", "cgan": "loss (cross-entropy, nats)",
             "wgan": "loss (critic units)", "wgan-gp": "loss (critic units)",
             "vae": "−ELBO (nats per example)", "aae": "loss (nats per example)",
             "ebgan": "loss (energy: squared reconstruction error)", "ali": "loss (cross-entropy, nats)"}
PANEL_AXIS = {"wasserstein": "W estimate E[f(x)] − E[f(G(z))]", "penalty": "gradient penalty λ·E[(‖∇f‖−1)²]",
              "energy_real": "energy of the data, mean D(x)", "energy_fake": "energy of the samples, mean D(G(z))"}
# The trainers whose D (or critic) scores a 2-D point, so that --animate can draw its decision surface.
ANIMATED = ("gan", "wgan", "wgan-gp")


# Wall time of a run with the recipe's defaults (--threads 1, NumPy), measured on a 2-core CPU
# (demos/results.md: 3 to 5 seeds each; the 28x28 WGANs from the cost of a step); the others are not timed.
RUN_TIMES = {("gan", "mixture"): "1.5 min (ring) to 8 (grid)", ("wgan", "mixture"): "1.5-2.5 min",
             ("wgan-gp", "mixture"): "4.5 (ring) to 25 min (grid)",
             ("gan", "images"): "1.5-2.5 min", ("wgan", "images"): "1-2 min", ("cgan", "images"): "2-3 min",
             ("wgan-gp", "images"): "5 min", ("began", "images"): "1.5 min", ("began", "mixture"): "1 min",
             # the VAE and the AAE: seed 0, one run each, at a load of 4-5 on the 2 cores (the VAE on points: from its
             # CPU time, 220-230 CPU-s a run of the recipe's 20,000 steps, 2026-11-29)
             ("vae", "mixture"): "4 min", ("vae", "images"): "20 s", ("aae", "mixture"): "1.5 min",
             ("aae", "images"): "50 s",
             # EBGAN and ALI on the ring: from their CPU time (85-90 CPU-s a run of the recipe, 2026-11-29)
             ("ebgan", "mixture"): "1.5 min", ("ali", "mixture"): "1.5 min",
             ("gan", "images28"): "10-15 min", ("cgan", "images28"): "10-15 min", ("wgan", "images28"): "15 min",
             ("wgan-gp", "images28"): "20 min", ("began", "images28"): "37 min"}
# Names the command line also takes: (the algorithm it runs, the data it needs, its default data).
ALIASES = {"dcgan": ("gan", "images", "digits")}
# Frames of a --animate run (plus the one before the first step).
ANIMATION_FRAMES = 60


def _recipes_help() -> str:
    """The --help epilog: each recipe's defaults (steps, batch, optimizer, lr) and its run time."""
    lines = ["recipes (the defaults of each algorithm and kind of data; any option above overrides them):",
             f"  {'algorithm':<10}{'data':<22}{'steps':>7}{'batch':>7}  {'optimizer':<17}{'lr':<18}run time*"]
    kinds = {"mixture": "ring, grid, csv:PATH", "images": "digits, idx:PATH", "images28": "fashion-mnist, mnist"}
    for (algorithm, kind), cfg in DEFAULTS.items():
        if algorithm not in ALGORITHMS + AUTOENCODERS or (algorithm == "cgan" and kind == "mixture"):
            continue
        lr = f"{cfg['lr']:g}" + (" -> lr/100" if cfg.get("lr_decay") else "")
        lines.append(f"  {algorithm:<10}{kinds.get(kind, kind):<22}{cfg['steps']:>7}{cfg['batch_size']:>7}  "
                     f"{cfg['optimizer']:<17}{lr:<18}{RUN_TIMES.get((algorithm, kind), 'not timed')}")
    lines += ["  gan on 2-D data: the row is the 8-mode ring's (PacGAN pack 2, z uniform on a square, the R1 penalty",
              "  on D at 0.1); batch, steps and width grow with the mode count (grid: batch 448, 63000 steps;",
              "  2,500 steps a mode; see minigan.gans.recipes.mixture_settings); wgan-gp takes the same batch",
              "  rule and 750 steps a mode, at least 6000 (grid: 18750); both scale G and D to the data's spread.",
              "  * on a 2-core CPU with --threads 1; a shorter --steps takes proportionally less.",
              "  The first run on fashion-mnist or mnist also trains the reference CNN that scores its images, once",
              f"  ({FIRST_TRAINING['fashion-mnist']} on an idle 2-core CPU, longer under load; digits: "
              f"{FIRST_TRAINING['digits']}): run `python -m minigan prepare` before a class to",
              "  train it (and what the lessons train on first use) ahead, and the first run starts at once.",
              "  'lr -> lr/100': the learning rate falls linearly over --steps, so a short run also decays sooner.",
              "examples:",
              "  python -m minigan train gan --data ring                 # the first run: ~1.5 min",
              "  python -m minigan train gan --data ring --animate       # and training.gif: watch it learn",
              "  python -m minigan train cgan --data digits              # digits of a chosen class",
              "  python -m minigan train dcgan --data fashion-mnist      # Radford et al.'s DCGAN recipe",
              "  python -m minigan train gan --data csv:my-points.csv    # your own 2-D points (x,y rows)",
              "  python -m minigan sample runs/cgan-digits-s0 --labels 3 7  # after training: draw from it"]
    return "\n".join(lines)


def add_parser(subparsers, name="train"):
    import argparse

    p = subparsers.add_parser(
        name, help="train a GAN, WGAN, WGAN-GP, BEGAN, conditional GAN, EBGAN or ALI/BiGAN, or beside them a VAE or "
                   "an adversarial autoencoder",
        description="Train a GAN (Goodfellow et al. 2014), WGAN (Arjovsky et al. 2017), WGAN-GP (Gulrajani et al. "
                    "2017), BEGAN (Berthelot et al. 2017), conditional GAN (Mirza & Osindero 2014), EBGAN (Zhao et al. "
                    "2016: an auto-encoder D whose reconstruction error is an energy) or ALI/BiGAN (Dumoulin et al. "
                    "2016, Donahue et al. 2016: an encoder beside G, and D on (x, z) pairs), or a VAE "
                    "(Kingma & Welling 2014) or adversarial autoencoder (Makhzani et al. 2016), and write "
                    "metrics.json, samples.png, losses.png and a checkpoint.",
        epilog=_recipes_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("algorithm", choices=ALGORITHMS + AUTOENCODERS + tuple(ALIASES),
                   help="dcgan is gan on images with DCGAN's convolutional G and D (Radford et al. 2016; on "
                        "fashion-mnist and mnist with their N(0, 0.02) initialisation and batch norm in D)")
    p.add_argument("--data", default=None, help=f"{DATA_HELP} (default: ring; digits for dcgan)")
    p.add_argument("--steps", type=int, default=None,
                   help="generator updates (default: the recipe's, see below: "
                        f"{DEFAULTS[('gan', 'mixture')]['steps']} for gan on the ring). With "
                        "--resume: at least the checkpoint's step; the learning-rate decay stays laid over the first "
                        "run's --steps, so steps beyond it run at the final rate lr/100")
    p.add_argument("--seed", type=int, default=0, help="seed of every weight, batch and noise sample (default: 0)")
    p.add_argument("--out", default=None, help="output folder (default: runs/ALGORITHM-DATA-sSEED)")
    p.add_argument("--backend", default=None, help="numpy (default) or cupy")
    p.add_argument("--loss", default=None,
                   help=f"gan/cgan generator loss: {' or '.join(LOSSES)} (default: {DEFAULT_LOSS})")
    p.add_argument("--optimizer", default=None, help=" | ".join(OPTIMIZERS) + " (default: the recipe's, see below)")
    p.add_argument("--lr", type=float, default=None, help="learning rate (default: the recipe's, see below)")
    p.add_argument("--pack", type=int, default=None,
                   help="PacGAN packing for gan on 2-D data: D judges PACK samples at once (default 2; 1 is the plain "
                        "GAN)")
    p.add_argument("--k", type=int, default=None,
                   help="gan/cgan: discriminator steps per generator step, Algorithm 1's k (default 1, as in every "
                        "recipe and in Goodfellow et al.'s experiments)")
    p.add_argument("--d-lr-ratio", type=float, default=None,
                   help="gan on 2-D data: the discriminator's learning rate over the generator's, Heusel et al. "
                        f"2017's two time scales (default {DEFAULTS[('gan', 'mixture')]['d_lr_ratio']:g}: the "
                        "recipe's)")
    p.add_argument("--instance-noise", type=float, default=None, metavar="SIGMA",
                   help="gan on 2-D data: Gaussian noise of std SIGMA (in units of the data's spread) added to every "
                        "input D sees, real and generated, falling linearly to 0 over the first "
                        f"{INSTANCE_NOISE_UNTIL * 100:.0f}%% of the run (Sønderby et al. 2016; default "
                        f"{DEFAULTS[('gan', 'mixture')]['instance_noise']:g}, the recipe's; 0 is none)")
    p.add_argument("--r1", type=float, default=None, metavar="GAMMA",
                   help="gan on 2-D data: the R1 penalty GAMMA/2 * E|grad_x D(x)|^2 on real x, added to D's loss "
                        "(Mescheder et al. 2018), with GAMMA in units of the data's spread (default "
                        f"{DEFAULTS[('gan', 'mixture')]['r1']:g}, the recipe's; 0 is none)")
    p.add_argument("--prior", choices=PRIORS, default=None,
                   help="the noise prior p_z: normal, N(0, I), or uniform, U(-1, 1) in each coordinate (default: the "
                        "recipe's, uniform for gan on 2-D data, else normal)")
    p.add_argument("--batch-size", type=int, default=None, help="examples per step (default: the recipe's, see below)")
    p.add_argument("--eval-every", type=int, default=None,
                   help="evaluate the metrics every N steps, shown in the progress display (default: steps/10)")
    p.add_argument("--checkpoint-every", type=int, default=None, help="default: --eval-every")
    again = p.add_mutually_exclusive_group()
    again.add_argument("--resume", action="store_true", help="continue the run in --out from its checkpoint.npz")
    again.add_argument("--force", action="store_true",
                       help="start afresh in an --out that already holds a run, replacing its files (default: refuse)")
    p.add_argument("--animate", action="store_true",
                   help=f"2-D data: also write training.gif ({ANIMATION_FRAMES} frames: the samples on D's decision "
                        "surface; training.mp4 too when ffmpeg is installed; with --resume, from the resumed step); "
                        "adds about 10-30 s")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (default: a bar on stderr)")
    p.set_defaults(run=run)
    return p


def _positive(name, value):
    if value is not None and value < 1:
        raise ValueError(f"train: {name} must be a positive integer, got {value}")


# What each algorithm has in place of the plain GAN's --k (D steps per G step), for the message that refuses it.
INSTEAD_OF_K = {"wgan": "its critic takes n_critic = 5 steps a generator step (Arjovsky et al., Algorithm 1)",
                "wgan-gp": "its critic takes n_critic = 5 steps a generator step (Gulrajani et al., Algorithm 1)",
                "began": "its balance is the control variable k_t, steered by gamma (Berthelot et al. 2017)",
                "vae": "it has no discriminator: one loss, the ELBO, trains the encoder and the decoder together",
                "aae": "its discriminator on z takes one step a minibatch (Makhzani et al. 2016, Section 2)",
                "ebgan": "its auto-encoder D takes one step a generator step, its margin m sets how hard it pushes "
                         "(Zhao et al. 2016)",
                "ali": "its discriminator and its generator and encoder step together, once an iteration (Dumoulin "
                       "et al. 2016, Algorithm 1)"}


def _check_applies(args, algorithm) -> None:
    """--k and --pack belong to some algorithms only: refuse them elsewhere, saying what to use instead."""
    if args.k is not None and algorithm in INSTEAD_OF_K:
        raise ValueError(f"train: --k (discriminator steps a generator step) applies to gan and cgan; "
                         f"{args.algorithm} has no k: {INSTEAD_OF_K[algorithm]}")
    two_d = _is_2d(args.data)
    if args.d_lr_ratio is not None and not (algorithm == "gan" and two_d):
        raise ValueError(f"train: --d-lr-ratio (D's learning rate over G's) applies to gan on 2-D data (ring, grid, "
                         f"csv:PATH), not to {args.algorithm} on {args.data}; leave it out")
    if args.instance_noise is not None and not (algorithm == "gan" and two_d):
        raise ValueError(f"train: --instance-noise (noise on D's inputs) applies to gan on 2-D data (ring, grid, "
                         f"csv:PATH), not to {args.algorithm} on {args.data}; leave it out")
    if args.r1 is not None and not (algorithm == "gan" and two_d):
        raise ValueError(f"train: --r1 (the penalty on D's gradient at real data) applies to gan on 2-D data (ring, "
                         f"grid, csv:PATH), not to {args.algorithm} on {args.data}; leave it out")
    for key in NUMBERS:  # the lab's ranges: beyond them a value overflows or diverges at the first step
        if getattr(args, key) is not None:
            # --lr up to float32's largest number here (beyond it the lr is inf in the weights' dtype): an absurd
            # lr is an experiment a learner runs on purpose, and the run stops at the first step whose loss is not
            # finite, with one line (the lab's slider stops at 10)
            high = float(backend.np.finfo(backend.np.float32).max) if key == "lr" else None
            try:
                check_number(key, getattr(args, key), "--" + key.replace("_", "-"), high=high)
            except SettingsError as e:
                raise ValueError(f"train: {e}") from None
    if args.pack is not None and not (algorithm == "gan" and two_d):
        raise ValueError(f"train: --pack (PacGAN) applies to gan on 2-D data (ring, grid, csv:PATH), "
                         f"not to {args.algorithm} on {args.data}; leave --pack out")


def _is_2d(data: str) -> bool:
    """Whether --data names 2-D points (ring, grid, csv:PATH) rather than images."""
    return data.strip().lower().partition(":")[0] in ("ring", "grid", "csv")


class Progress:
    """tqdm if it is installed, otherwise a plain line every 5%; ``note(text)`` prints a line above the bar
    (the metrics at each evaluation), and the bar keeps the latest of them beside the losses."""

    def __init__(self, start, total, disable):
        self.total, self.disable, self.bar, self.next_pct, self.latest = total, disable, None, 0, ""
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
        text = " ".join(f"{k}={v:.4g}" for k, v in out.items())  # 4 significant digits: a W estimate of 1e-4 shows
        text = f"{text} | {self.latest}" if self.latest else text
        if self.bar is not None:
            self.bar.update(1)
            if step % 25 == 0 or step == self.total:
                self.bar.set_postfix_str(text, refresh=False)
        elif 100 * step >= self.next_pct * self.total:
            print(f"step {step}/{self.total} ({100 * step // self.total}%) {text}", file=sys.stderr, flush=True)
            self.next_pct += 5

    def note(self, line: str, short: str = "") -> None:
        """Print ``line`` (an evaluation's metrics) and keep ``short`` on the bar until the next one."""
        self.latest = short
        if self.disable:
            return
        if self.bar is not None:
            # the evaluation's time (and the first one's training of the reference CNN, minutes on Fashion-MNIST)
            # is not a step's: left in, the bar's rate would foretell 188 hours for a run of minutes; taken out of its
            # clock before the write, which draws the bar again
            self.bar.unpause()
            self.bar.write(line, file=sys.stderr)
        else:
            print(line, file=sys.stderr, flush=True)

    def close(self):
        if self.bar is not None:
            self.bar.close()


def _final_report(exp, final: dict, schedule_steps: int) -> str:
    """The final metrics as a table (value, meaning, reference value) and what they say."""
    if exp.kind == "mixture":
        rows = summary.mixture_rows(final)
        notes = summary.mixture_verdict(final, schedule_steps, exp.default_steps, bool(exp.config.get("lr_decay")),
                                        model=exp.algorithm)
    elif exp.kind == "points":
        rows, notes = summary.points_rows(final), summary.points_verdict(final, model=exp.algorithm)
    else:
        flat = (exp.images.reshape(exp.images.shape[0], -1) + 1.0) / 2.0  # tanh range -> [0, 1], as the samples
        real_diversity = float(flat.std(axis=0).mean())
        rows, notes = summary.image_rows(final, real_diversity), summary.image_verdict(final, real_diversity,
                                                                                       model=exp.algorithm)
    return "\n".join([summary.table(rows), *notes])


def equilibrium_losses(exp) -> dict:
    """Where a GAN's losses settle when D(x) = 1/2 everywhere (Goodfellow et al. 2014, Theorem 1: p_g = p_data):
    D's loss BCE(D(x), 1) + BCE(D(G(z)), 0) = log 4; G's −log D(G(z)) = log 2 (non-saturating) or
    log(1 − D(G(z))) = −log 2 (minimax). Empty for the losses without such a value (WGAN, BEGAN)."""
    if exp.algorithm not in ("gan", "cgan"):
        return {}
    row = generator_loss_row(exp.config.get("loss", DEFAULT_LOSS), "equilibrium_losses")  # (one it lacks: refused)
    return {"loss_d": (math.log(4), "D's loss at equilibrium: log 4"),
            "loss_g": (row.equilibrium, f"G's loss at equilibrium: {row.equilibrium_text}")}


def _pictures(exp, name: str, folder: RunFolder, losses: dict, final=None) -> list:
    """samples.png and losses.png via minigan.viz (skipped with a warning without matplotlib), titled with
    ``name``, the algorithm as the user asked for it (dcgan, not the gan it runs)."""
    try:
        from minigan import viz

        rng_state = random.get_rng_state()
        try:
            title = f"{name} on {exp.data}, step {exp.trainer.step}"
            if exp.kind == "mixture":
                metrics = final if final and "modes_covered" in final else None  # the summary's numbers
                samples = exp.trainer.sample(2500)
                folder.write("samples.png", lambda path: viz.scatter_2d(samples, exp.mixture, path, title=title,
                                                                        metrics=metrics))
            elif exp.kind == "points":
                samples = exp.trainer.sample(2500)
                folder.write("samples.png", lambda path: viz.scatter_2d(samples, path, title=title,
                                                                        real=exp.mixture.points))
            elif exp.algorithm == "cgan":
                images, _ = exp.trainer.sample_grid(10)
                folder.write("samples.png", lambda path: viz.image_grid(
                    images, path, nrow=10, title=title, value_range=(-1, 1), row_labels=list(range(exp.num_classes))))
            else:
                images = exp.trainer.sample(100)
                folder.write("samples.png", lambda path: viz.image_grid(images, path, nrow=10, title=title,
                                                                        value_range=(-1, 1)))
        finally:
            random.set_rng_state(rng_state)
        series = {k: (losses["step"], v) for k, v in losses.items() if k != "step" and k not in ("d_real", "d_fake")}
        own_axes = [[k] for k in series if not k.startswith("loss")]  # a W estimate or a penalty: its own scale
        panels = [[k for k in series if k.startswith("loss")]] + own_axes
        ylabels = [LOSS_AXIS.get(exp.algorithm, "loss")] + [PANEL_AXIS.get(k, k) for (k,) in own_axes]
        folder.write("losses.png", lambda path: viz.loss_curves(
            series, path, title=f"{name} on {exp.data}", smooth=0.9, panels=panels, ylabels=ylabels,
            references=equilibrium_losses(exp)))
        return ["samples.png", "losses.png"]
    except ImportError as e:
        print(f"minigan: warning: no pictures written ({e})", file=sys.stderr)
        return []


def _out_dir(args) -> Path:
    """--out, or runs/ALGORITHM-DATA-sSEED; never empty, never a file."""
    if args.out is not None and not args.out.strip():
        raise ValueError("train: --out is empty; give a folder (or leave --out out for runs/ALGORITHM-DATA-sSEED)")
    return Path(args.out or f"runs/{args.algorithm}-{args.data.replace(':', '_').replace('/', '_')}-s{args.seed}")


def _resume(exp, ckpt_path: Path, steps: int, eval_every, checkpoint_every) -> TrainingLoop:
    """The run's loop from its checkpoint (weights and random generators restored into ``exp``)."""
    if not ckpt_path.is_file():
        raise FileNotFoundError(f"train --resume: no checkpoint at {str(ckpt_path)!r}; run without --resume first")
    where = repr(str(ckpt_path))
    try:
        ckpt = read_checkpoint(ckpt_path, where)
        if steps < ckpt["step"]:
            raise CheckpointError(f"the checkpoint {where} is at step {ckpt['step']}, beyond --steps {steps}; give "
                                  f"--steps {ckpt['step']} or more")
        return TrainingLoop.resume(exp, ckpt, steps, eval_every, checkpoint_every, where=where)
    except CheckpointError as e:
        hint = "; resume with the same settings (or use another --out)" if "was written with" in str(e) else ""
        raise ValueError(f"train --resume: {e}{hint}") from None


def _resume_command(args, out_dir: Path, steps: int) -> str:
    """The command line that continues this run from its checkpoint."""
    words = ["python", "-m", "minigan", "train", args.algorithm, "--data", args.data, "--seed", str(args.seed),
             "--steps", str(steps)]
    for name in ("loss", "optimizer", "lr", "d_lr_ratio", "instance_noise", "r1", "k", "pack", "prior", "batch_size",
                 "eval_every", "checkpoint_every", "backend"):
        if getattr(args, name) is not None:
            words += ["--" + name.replace("_", "-"), str(getattr(args, name))]
    return shlex.join(words + ["--out", str(out_dir), "--resume"])


def _algorithm(args) -> str:
    """The algorithm to run (an alias resolved); fills in the default --data."""
    algorithm, kind, default_data = ALIASES.get(args.algorithm, (args.algorithm, None, "ring"))
    if args.data is None:
        args.data = default_data
    if kind == "images" and _is_2d(args.data):
        raise ValueError(f"train: {args.algorithm} trains convolutional networks on images, got --data {args.data!r}; "
                         "give digits, fashion-mnist, mnist or idx:PATH (or train gan on 2-D data)")
    return algorithm


def run(args) -> int:
    algorithm = _algorithm(args)
    for name in ("steps", "batch_size", "eval_every", "checkpoint_every", "k", "pack"):
        _positive("--" + name.replace("_", "-"), getattr(args, name))
    if args.seed < 0:
        raise ValueError(f"train: --seed must be >= 0, got {args.seed}")
    _check_applies(args, algorithm)
    out_dir = _out_dir(args)
    check_folder(out_dir, "train: --out", "give --out a folder you can write")
    with StopOnSignal("stopping after the step in progress, with a checkpoint at it") as stop:
        try:
            return _build_and_train(args, algorithm, out_dir, stop)
        except Stopped as e:  # before the run had a step to keep (its data loading, or a refusal to start)
            print(f"minigan: {signal_name(e.signum)}: stopped before the first step; nothing written in "
                  f"{str(out_dir)!r}; run the same command again to start", file=sys.stderr, flush=True)
            return 128 + e.signum


def _build_and_train(args, algorithm, out_dir, stop) -> int:
    if not _is_2d(args.data):  # image metrics judge with the reference CNN, trained into the cache on first use
        check_cache("train")
    if args.backend is not None:
        backend.use_backend(args.backend)
    overrides = {k: v for k, v in (("lr", args.lr), ("d_lr_ratio", args.d_lr_ratio), ("k", args.k),
                                   ("instance_noise", args.instance_noise), ("r1", args.r1), ("pack", args.pack),
                                   ("prior", args.prior))
                 if v is not None}
    exp = build_experiment(algorithm, args.data, optimizer=args.optimizer, loss=args.loss, seed=args.seed,
                           batch_size=args.batch_size, **overrides)
    if getattr(args, "animate", False) and (exp.kind != "mixture" or algorithm not in ANIMATED):
        raise ValueError(f"train: --animate draws {', '.join(ANIMATED)} on 2-D data (ring, grid), "
                         f"got {args.algorithm} on {args.data!r}")
    with RunFolder(out_dir, "train", RUN_FILES, force=args.force, resume=args.resume,
                   describe=_describe_run) as folder:  # one run at a time writes into out_dir
        return _train(args, exp, folder, stop)


def _describe_run(out_dir: Path):
    """What an earlier run in ``out_dir`` is, in a few words, for the message that refuses to overwrite it."""
    metrics = out_dir / "metrics.json"
    try:
        if metrics.is_symlink() or not metrics.is_file():  # read no link, FIFO or folder
            raise ValueError("not a run's metrics.json")
        said = json.loads(read_text(metrics))
        config = said["config"]
        return f"a run ({config['algorithm']} on {config['data']}, step {said['step']}, {said['status']})"
    except (OSError, ValueError, KeyError, TypeError):
        return None  # the folder names what it holds


def _train(args, exp, folder: RunFolder, stop: StopOnSignal) -> int:
    """The run: minigan.gans.training's loop, with a progress bar, signals and the run folder around it."""
    out_dir = folder.path
    ckpt_path = out_dir / "checkpoint.npz"
    # found now, not at the first checkpoint many steps later (the folder was checked before the run began)
    check_file(ckpt_path, "train: the checkpoint", "remove it or give another --out")
    steps = args.steps or exp.default_steps
    if args.resume:
        loop = _resume(exp, ckpt_path, steps, args.eval_every, args.checkpoint_every)
    else:
        loop = TrainingLoop(exp, steps, args.eval_every, args.checkpoint_every)
    start = loop.step
    config = dict(exp.config, steps=steps, eval_every=loop.eval_every, checkpoint_every=loop.checkpoint_every)
    if exp.config.get("lr_decay"):
        config["lr_schedule_steps"] = loop.schedule_steps

    def write_metrics(final, status, seconds):
        folder.write_json("metrics.json", {
            "config": config, "status": status, "step": loop.step, "final": final, "evals": loop.evals,
            "losses": windowed_losses(loop.history), "wall_seconds": seconds})

    progress = Progress(start, steps, args.no_progress)
    animation = None
    if getattr(args, "animate", False):
        from minigan.gans.animate import TrainingAnimation

        animation = TrainingAnimation(exp.mixture, steps, seed=args.seed)
        animation.capture(exp.trainer)
    frame_every = max(1, steps // ANIMATION_FRAMES)
    last_good = [start if args.resume else None]  # the step of the last checkpoint written

    def on_step(step, losses):
        progress.update(step, losses)
        if animation is not None and (step % frame_every == 0 or step == steps):
            animation.capture(exp.trainer)

    def on_eval(record):
        line, short = summary.eval_line(record)
        progress.note(f"step {record['step']}/{steps}: {line}", short)

    def on_checkpoint(step):
        state = dict(loop.checkpoint(), name=args.algorithm)  # as asked: sample titles a dcgan run "dcgan"
        folder.write("checkpoint.npz", lambda path: save(state, path))  # --force: the old run goes now
        last_good[0] = step

    def stopped(signum):
        """The run ends at loop.step, kept in a checkpoint (one is written there unless it is the last one)."""
        name = signal_name(signum)
        if last_good[0] != loop.step and loop.step > start and weights_finite(exp.trainer):  # (never a NaN kept)
            on_checkpoint(loop.step)
        write_metrics({}, f"stopped by {name} at step {loop.step}", time.perf_counter() - t0)
        progress.close()
        kept = (f"kept {str(ckpt_path)!r} (step {last_good[0]}); resume with: "
                f"{_resume_command(args, out_dir, steps)}" if last_good[0] is not None else
                "no checkpoint was written yet; run the same command again")
        print(f"minigan: {name}: stopped at step {loop.step} of {steps}; {kept}", file=sys.stderr, flush=True)
        return 128 + signum

    t0 = time.perf_counter()
    try:
        try:
            loop.run(on_step, on_eval, on_checkpoint, stop=lambda: stop.signum is not None)
        except Diverged as e:
            if folder.keeps_old_run:  # --force before a first checkpoint: the old run stays whole
                kept = f"the run that was in {str(out_dir)!r} is kept as it was"
            else:
                write_metrics({}, f"diverged at step {e.step}", time.perf_counter() - t0)
                kept = (f"the last good checkpoint (step {last_good[0]}) is {str(ckpt_path)!r}"
                        if last_good[0] is not None else "no checkpoint was written yet")
            raise RuntimeError(f"{e}; {kept}; try a smaller --lr") from None
        except Stopped as e:  # during an evaluation (or the reference CNN it trains on first use): the step stays
            return stopped(e.signum)
        if loop.stopping:
            return stopped(stop.signum)
    except KeyboardInterrupt:  # asked twice: stopped at once, mid-step; the last periodic checkpoint stays
        progress.close()
        kept = (f"kept {str(ckpt_path)!r} (step {last_good[0]}); resume with: "
                f"{_resume_command(args, out_dir, steps)}" if last_good[0] is not None else
                "no checkpoint was written yet")
        if folder.keeps_old_run:
            kept += f"; the run that was in {str(out_dir)!r} is kept as it was"
        print(f"minigan: stopped at once during step {min(loop.step + 1, steps)} of {steps}; {kept}",
              file=sys.stderr, flush=True)
        return 130
    finally:
        progress.close()
    seconds = time.perf_counter() - t0
    final = loop.final_metrics()
    losses = windowed_losses(loop.history)
    write_metrics(final, "ok", seconds)
    written = _pictures(exp, args.algorithm, folder, losses, final) if losses["step"] else []
    if animation is not None and len(animation.frames) > 1:
        written += folder.write("training.gif", lambda path: animation.save(path, title=f"{args.algorithm} on "
                                                                                        f"{args.data}"))
    ran = f"{loop.step - start:,} steps" + (f" (steps {start + 1:,} to {loop.step:,})" if start else "")
    print(f"{args.algorithm} on {args.data}, seed {args.seed}: {ran} in {seconds:.1f} s")
    print(_final_report(exp, final, loop.schedule_steps))
    kept = ["checkpoint.npz"] if start < steps else []  # a finished run resumed at its own step trains nothing
    print(f"wrote {', '.join(['metrics.json', *written, *kept])} in {out_dir}")
    return 0
