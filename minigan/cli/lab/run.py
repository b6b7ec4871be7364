"""One lab run: the experiment ``python -m minigan train`` builds, stepped by the loop train runs, and the
pictures of it the page draws.

The training is ``minigan.gans.training.TrainingLoop``, the loop ``train`` runs: ``exp.train_step`` each step,
the losses appended to the history, ``exp.evaluate()`` at every ``eval_every``-th step and at the last, and
the same checkpoint and metrics.json. So a run with the same settings and seed, stepped N times, has the
numbers ``train`` gives for N steps, and a saved run continues with ``train --resume`` (and the other way).
Save writes through ``minigan.cli.runfolder.RunFolder``, as train does: never through a link, never over a
file another run (or the user) put there.

The pictures never touch the training's random generators: the fakes shown come from a fixed batch of
noise drawn from a generator of their own, the real points shown likewise, and D's output over the plane
and G's image of a grid of z are plain forward passes without gradient.
"""

from __future__ import annotations

import base64
import json
import math
import shlex
import time
from pathlib import Path

from minigan import autograd
from minigan.cli import train as train_cli
from minigan.cli.lab.settings import LIVE, OVERRIDES, SettingsError, check_points, parse_points
from minigan.cli.runfolder import RunFolder, read_text
from minigan.data.toy2d import Mixture2D
from minigan.engine import backend
from minigan.engine.backend import np
from minigan.engine.grad_mode import no_grad
from minigan.gans.gan import DEFAULT_LOSS, frozen, prior_draw, prior_extent
from minigan.gans.recipes import (
    ADAPTS_TO_MIXTURE,
    DEFAULT_PRIOR,
    DEFAULTS,
    build_experiment,
    mixture_settings,
    parse_data,
)
from minigan.gans.training import (
    CheckpointError,
    TrainingLoop,
    config_difference,
    read_checkpoint,
    windowed_losses,
)
from minigan.gans.training import Diverged as LoopDiverged
from minigan.serialization import save
from minigan.surface.tensor import from_numpy

HEAT_SIZE = 32       # D's output on a HEAT_SIZE x HEAT_SIZE grid of cell centres (the page smooths it)
SHOWN = 512          # fakes and real points drawn (each from its own fixed generator)
ARROWS = 128         # the first ARROWS fakes get an arrow: their pull (more would blur into a smear)
MAX_ESTIMATE_MODES = 2500  # a frame's quick mode estimate (SHOWN fakes x the modes) up to this many modes
MANIFOLD = 21        # G's image of a MANIFOLD x MANIFOLD grid of z over most of p_z (first two coordinates)
DISPLAY_SEED = 1_000_003  # the pictures' own random generator: seed + this, never the training's
RUN_FILES = ("checkpoint.npz", "metrics.json", "points.csv")  # what Save writes into a run's folder


def b64(array) -> str:
    """float32 bytes, base64: what the page reads back with a Float32Array."""
    host = backend.asnumpy(array).astype(np.float32, copy=False)
    return base64.b64encode(np.ascontiguousarray(host).tobytes()).decode("ascii")


class Diverged(RuntimeError):
    """A step gave a NaN or inf loss (or weights): the run stops there, as train stops."""


def recipe_config(algorithm: str, data: str) -> dict:
    """The recipe train starts from for ``algorithm`` on the mixture ``data`` (no network is built)."""
    cfg = dict(DEFAULTS[(algorithm, "mixture")])
    if algorithm in ADAPTS_TO_MIXTURE and data != "points":
        rules = mixture_settings(parse_data(data)[1], algorithm)
        cfg.update({k: rules[k] for k in ADAPTS_TO_MIXTURE[algorithm]})
    cfg.setdefault("prior", DEFAULT_PRIOR)  # as build_experiment
    return cfg


def train_options() -> dict:
    """{setting: option} of ``python -m minigan train``, read from its parser (so new options are used)."""
    import argparse

    parser = argparse.ArgumentParser(add_help=False)
    train = train_cli.add_parser(parser.add_subparsers())
    return {a.dest: a.option_strings[0] for a in train._actions if a.option_strings}


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, refused if it is a link that leads out of ``folder`` (the page reads nothing else)."""
    path = folder / name
    if path.is_symlink() and path.resolve().parent != folder.resolve():
        raise SettingsError(f"{folder.name}/{name} leads out of its run folder; the lab does not follow it")
    return path


class LabRun:
    """``LabRun(settings, points=None)``: build the experiment, then ``step()`` / ``frame()`` / ``save(folder)``."""

    def __init__(self, settings: dict, points=None, jitter=None):
        self.settings = dict(settings)
        algorithm, data = settings["algorithm"], settings["data"]
        overrides = {k: settings[k] for k in OVERRIDES[algorithm] if k in settings}
        self.points = None
        if data == "points":
            if points is None:
                raise SettingsError("data 'points' needs points: draw some on the plane or open a CSV")
            self.points = check_points(points) if isinstance(points, list) else points
            extent = float((self.points.max(axis=0) - self.points.min(axis=0)).max())
            self.jitter = float(jitter or settings.get("jitter") or max(0.01 * extent, 1e-3))
            if algorithm in ADAPTS_TO_MIXTURE and "data_scale" not in overrides:  # mixture_settings' spread rule
                spread = math.sqrt(float((self.points.astype(np.float64) ** 2).mean()) + self.jitter ** 2)
                overrides["data_scale"] = round(spread, 4)
        exp = build_experiment(algorithm, "ring" if data == "points" else data, optimizer=settings.get("optimizer"),
                               loss=settings.get("loss"), seed=settings.get("seed", 0),
                               batch_size=settings.get("batch_size"), **overrides)
        if data == "points":  # the drawn or uploaded points, each the centre of a small Gaussian
            exp.mixture = Mixture2D("points", self.points, self.jitter)
            xp = backend.active_module()
            exp.sample_real = lambda m: from_numpy(backend.asarray(exp.mixture.sample(m), xp=xp))
            exp.data = exp.config["data"] = "points"
            exp.config["jitter"] = self.jitter
        self.exp = exp
        # train's loop, with its defaults for --steps and --eval-every; a checkpoint at each evaluation.
        # Mode metrics are for ring and grid: points drawn or uploaded have none.
        steps = int(settings.get("steps") or exp.default_steps)
        eval_every = settings.get("eval_every") or max(1, steps // 10)
        self.loop = TrainingLoop(exp, steps, eval_every, eval_every, evaluate=self.points is None)
        self.changes = []          # settings changed mid-run: [{"step": s, "lr": 1e-4}, ...]
        self.folder = None         # where this run was opened from or saved to last
        self.started = time.perf_counter()
        self._setup_view(int(exp.config["seed"]))

    @property
    def step_count(self) -> int:
        return self.exp.trainer.step

    # the loop's length, as the page and LabSession read and extend it (the rest of its state: self.loop)
    @property
    def steps(self) -> int:
        return self.loop.steps

    @steps.setter
    def steps(self, value: int) -> None:  # Extend: the schedule stays laid over the first steps
        self.loop.steps = int(value)

    # ------------------------------------------------------------------ training (train's loop)
    def step(self) -> dict:
        """One step exactly as ``train`` takes it; raises Diverged on a non-finite loss or weight."""
        try:
            return self.loop.advance()
        except LoopDiverged as e:
            raise Diverged(f"{e}; reset, or lower lr") from None

    # ------------------------------------------------------------------ live changes
    def live_values(self) -> dict:
        cfg = self.exp.config
        return {name: cfg[name] for name in LIVE[self.exp.algorithm] if name in cfg}

    def change(self, values: dict) -> None:
        """Apply checked live changes (settings.check_live) before the next step; recorded in ``changes``."""
        exp, trainer = self.exp, self.exp.trainer
        for name, value in values.items():
            if name == "lr":
                exp.set_lr(value)  # D's at the run's d_lr_ratio times it, where the decay has them now
            elif name == "optimizer":
                self._set_optimizer(value)
            elif name == "n_critic":
                trainer.n_critic = value
            elif name == "lambda_k":
                trainer.lambda_k = value
            else:  # k, loss, lam, clip, gamma: the trainer's attribute of the same name
                setattr(trainer, name, value)
            exp.config[name] = value
        self.changes.append({"step": self.step_count, **values})

    def _set_optimizer(self, name):
        """New optimizers (fresh state) over the same weights, at the run's lr, as the recipe makes them."""
        from minigan import optim
        from minigan.gans.recipes import learning_rates, make_optimizer

        exp, trainer = self.exp, self.exp.trainer
        betas = tuple(exp.config.get("betas", (0.5, 0.999)))
        g_lr, d_lr = learning_rates(exp.config)
        trainer.opt_g = make_optimizer(name, trainer.G.parameters(), g_lr, betas)
        trainer.opt_d = make_optimizer(name, trainer.D.parameters(), d_lr, betas)
        if exp.schedulers:
            exp.schedulers = [optim.lr_scheduler.LambdaLR(opt, exp.lr_factor) for opt in (trainer.opt_g, trainer.opt_d)]

    def current_lr(self) -> float:
        return float(self.exp.trainer.opt_g.param_groups[0]["lr"])

    # ------------------------------------------------------------------ the pictures
    def _setup_view(self, seed):
        exp = self.exp
        rng = np.random.default_rng(seed + DISPLAY_SEED)
        modes = exp.mixture.modes.astype(np.float64)
        lo, hi = modes.min(axis=0), modes.max(axis=0)
        centre, half = (lo + hi) / 2, float((hi - lo).max()) / 2
        half = half + max(0.35 * half, 6 * exp.mixture.std, 0.5)
        self.bounds = [float(centre[0] - half), float(centre[0] + half), float(centre[1] - half),
                       float(centre[1] + half)]
        xp = backend.active_module()
        pack = exp.config.get("pack", 1)
        self.shown = max(pack, SHOWN // pack * pack)  # a packed D judges whole packs
        prior = exp.trainer.prior
        self.z_shown = backend.asarray(prior_draw(prior, rng, (self.shown, exp.trainer.latent_dim)).astype(np.float32),
                                       xp=xp)
        self.real_shown = exp.mixture.sample(SHOWN, rng=rng)
        cells = (np.arange(HEAT_SIZE) + 0.5) / HEAT_SIZE
        xs = self.bounds[0] + cells * (self.bounds[1] - self.bounds[0])
        ys = self.bounds[2] + cells * (self.bounds[3] - self.bounds[2])
        gx, gy = np.meshgrid(xs, ys)  # row r is y = ys[r] (bottom row first)
        plane = np.stack([gx.ravel(), gy.ravel()], axis=1).astype(np.float32)
        self.plane = backend.asarray(np.repeat(plane, pack, axis=0), xp=xp)  # each point repeated into a pack
        t = np.linspace(-prior_extent(prior), prior_extent(prior), MANIFOLD)
        u, v = np.meshgrid(t, t)
        z = np.zeros((MANIFOLD * MANIFOLD, exp.trainer.latent_dim), dtype=np.float32)
        z[:, 0], z[:, 1 % exp.trainer.latent_dim] = u.ravel(), v.ravel()
        self.z_grid = backend.asarray(z, xp=xp)

    def heat_kind(self) -> str:
        return {"gan": "D(x)", "wgan": "critic f(x)", "wgan-gp": "critic f(x)"}.get(self.exp.algorithm,
                                                                                   "−reconstruction error")

    def _score(self, x):
        """What the heat map shows at points x (a Tensor, packs already formed): D(x) as a probability for
        the GAN, the critic's value for the WGANs, minus the auto-encoder's error for BEGAN."""
        D = self.exp.trainer.D
        if self.exp.algorithm == "began":
            return -(x - D(x)).abs().mean(axis=1)
        out = D(x).reshape(-1)
        return out.sigmoid() if self.exp.algorithm == "gan" else out

    def _pull(self, fakes):
        """−∇ₓ of G's loss on each shown fake: where G's next step pushes it (the gan's arrows shrink with
        the minimax loss where D rejects the fakes, the lesson of the saturating loss)."""
        trainer, x = self.exp.trainer, fakes.detach().requires_grad_(True)
        with frozen(trainer.D):
            if self.exp.algorithm == "gan":
                logits = trainer.D(x)
                loss = trainer.generator_loss(logits) * logits.shape[0]  # a mean over packs: per pack
            elif self.exp.algorithm == "began":
                loss = (x - trainer.D(x)).abs().sum()
            else:
                loss = -trainer.D(x).sum()
            (grad,) = autograd.grad(loss, x)
        return -grad.array

    def frame(self) -> dict:
        """The pictures of the run now: fakes, the pull on the first ARROWS of them, D's output over the plane,
        G's image of the z grid."""
        trainer = self.exp.trainer
        G, D = trainer.G, trainer.D
        was = G.training, D.training
        G.eval(), D.eval()
        try:
            with no_grad():
                fakes = G(from_numpy(self.z_shown))
                heat = self._score(from_numpy(self.plane)).array
                manifold = G(from_numpy(self.z_grid)).array
            arrows = max(self.exp.config.get("pack", 1), ARROWS // self.exp.config.get("pack", 1)
                         * self.exp.config.get("pack", 1))
            pull = self._pull(fakes[:arrows])
        finally:
            G.train(was[0]), D.train(was[1])
        xp = backend.get_array_module(heat)
        norms = xp.sqrt((pull * pull).sum(axis=1))
        return {"step": self.step_count, "steps": self.steps, "lr_now": self.current_lr(),
                "fake": b64(fakes.array), "pull": b64(pull), "pull_max": float(norms.max()),
                "heat": b64(heat), "heat_min": float(heat.min()), "heat_max": float(heat.max()),
                "manifold": b64(manifold),
                "eval": self.loop.evals[-1] if self.loop.evals else self.estimate(fakes.array)}

    def estimate(self, fakes):
        """Until the first full evaluation (2,500 samples at step eval_every): the mode metrics of the fakes the
        frame shows, marked as an estimate. Cheap (SHOWN points against the modes), so the page has numbers from
        the first steps; None for drawn points (no modes) or a mixture too large to check every frame."""
        if self.points is not None or self.exp.mixture.num_modes > MAX_ESTIMATE_MODES:
            return None
        from minigan.metrics.mixture import mixture_metrics

        result = mixture_metrics(backend.asnumpy(fakes), self.exp.mixture)
        result.pop("mode_counts")
        return dict(result, step=self.step_count, estimate=True)

    def describe(self) -> dict:
        """What the page needs once per run: settings, view, real points, modes, history so far."""
        exp = self.exp
        return {"settings": self.settings, "config": exp.config, "live": self.live_values(), "steps": self.steps,
                "eval_every": self.loop.eval_every, "bounds": self.bounds, "heat_size": HEAT_SIZE, "manifold": MANIFOLD,
                "heat_kind": self.heat_kind(), "real": b64(self.real_shown),
                "modes": exp.mixture.modes.tolist() if exp.mixture.num_modes <= 2500 else [],
                "metrics": self.points is None, "history": {k: list(v) for k, v in self.loop.history.items()},
                "evals": list(self.loop.evals),
                "changes": self.changes, "folder": self.folder.name if self.folder else None,
                "command": self.command()}

    # ------------------------------------------------------------------ keep the run
    def command(self, out="OUT") -> dict:
        """The ``python -m minigan train`` line with this run's settings, and what it cannot say."""
        cfg, options = self.exp.config, train_options()
        words = ["python", "-m", "minigan", "train", self.exp.algorithm, "--data", cfg["data"], "--seed",
                 str(cfg["seed"]), "--steps", str(self.steps)]
        recipe = recipe_config(self.exp.algorithm, cfg["data"])
        unsaid = []
        for name in ("optimizer", "loss", "lr", "d_lr_ratio", "instance_noise", "r1", "batch_size", "pack", "prior",
                     "k", "n_critic", "clip", "lam", "gamma", "lambda_k", "data_scale", "lr_decay"):
            if name not in cfg or cfg[name] == recipe.get(name, cfg[name] if name != "loss" else DEFAULT_LOSS):
                continue
            if name in options:
                words += [options[name], f"{cfg[name]:g}" if isinstance(cfg[name], float) else str(cfg[name])]
            else:
                unsaid.append(f"{name}={cfg[name]}")
        if self.loop.eval_every != max(1, self.steps // 10):
            words += ["--eval-every", str(self.loop.eval_every)]
        notes = []
        if cfg["data"] == "points":
            notes.append("train has no option for your own points (they are saved as points.csv beside the run)")
        if unsaid:
            notes.append(f"train has no option for {', '.join(unsaid)}: the command trains with the recipe's "
                         "value, the checkpoint keeps this run's")
        if self.changes:
            said = "; ".join(f"step {c['step']}: " + ", ".join(f"{k}={v}" for k, v in c.items() if k != "step")
                             for c in self.changes)
            notes.append(f"settings changed mid-run ({said}): the command starts with today's settings, so it "
                         "reproduces the run only up to the first change; --resume continues the saved run exactly")
        return {"fresh": shlex.join(words + ["--out", out]), "resume": shlex.join(words + ["--out", out, "--resume"]),
                "notes": notes}

    def save(self, folder: Path) -> dict:
        """checkpoint.npz and metrics.json (and points.csv) in ``folder``, in train's formats (``train --resume``
        continues it), through the run folder's rules: a folder that holds any of these names is refused unless
        this run was opened from it or saved there (then its own files are replaced, a link too, never
        followed)."""
        exp, loop = self.exp, self.loop
        final = loop.final_metrics() if self.points is None else {"step": self.step_count}
        config = dict(exp.config, steps=self.steps, eval_every=loop.eval_every, checkpoint_every=loop.eval_every)
        if exp.config.get("lr_decay"):
            config["lr_schedule_steps"] = loop.schedule_steps
        command = self.command(str(folder))
        names = RUN_FILES if self.points is not None else RUN_FILES[:2]  # only what this run writes is replaced
        with RunFolder(folder, "lab", names, force=self.folder == folder) as out:
            state = loop.checkpoint()
            out.write("checkpoint.npz", lambda path: save(state, path))
            status = "ok" if self.step_count >= self.steps else f"saved by the lab at step {self.step_count}"
            out.write_json("metrics.json", {
                "config": config, "status": status, "step": self.step_count, "final": final, "evals": loop.evals,
                "losses": windowed_losses(loop.history), "wall_seconds": time.perf_counter() - self.started,
                "command": command, "changes": self.changes})
            if self.points is not None:
                out.write_text("points.csv", "x,y\n" + "".join(f"{x:.9g},{y:.9g}\n" for x, y in self.points.tolist()))
        self.folder = folder
        return command

    @classmethod
    def open(cls, folder: Path) -> "LabRun":
        """Continue a run ``train`` (or the lab) wrote into ``folder``: same weights, random state, history."""
        path = inside(folder, "checkpoint.npz")
        if not path.is_file():
            raise SettingsError(f"{folder.name!r} holds no checkpoint.npz; a run of train or the lab does")
        try:
            ckpt = read_checkpoint(path, f"{folder.name}/checkpoint.npz")
        except CheckpointError as e:
            raise SettingsError(str(e)) from None
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise SettingsError(f"{folder.name}/checkpoint.npz cannot be read ({e})") from None
        cfg = ckpt["config"]
        algorithm = cfg.get("algorithm")
        if algorithm not in OVERRIDES:
            raise SettingsError(f"{folder.name!r} is a run of {algorithm!r}; the lab opens gan, wgan, wgan-gp "
                                "and began runs on 2-D data")
        data = str(cfg.get("data", ""))
        steps = ckpt.get("schedule_steps", ckpt["step"])
        try:
            said = json.loads(read_text(inside(folder, "metrics.json")))
            steps = max(int(said["config"]["steps"]), ckpt["step"])
        except (OSError, ValueError, KeyError, TypeError):
            pass
        settings = {"algorithm": algorithm, "data": data, "seed": cfg.get("seed", 0), "steps": steps,
                    "batch_size": cfg.get("batch_size"), "optimizer": cfg.get("optimizer"),
                    "eval_every": ckpt["eval_every"]}
        if algorithm == "gan":
            settings["loss"] = cfg.get("loss")
        settings.update({k: (tuple(cfg[k]) if isinstance(cfg[k], list) else cfg[k])
                         for k in OVERRIDES[algorithm] if k in cfg})
        settings.setdefault("prior", "normal")  # runs from before the prior setting drew z from N(0, I)
        points = None
        if data == "points":
            try:
                points = parse_points(read_text(inside(folder, "points.csv")))
            except (OSError, UnicodeDecodeError):
                raise SettingsError(f"{folder.name!r} is a run on drawn points but has no points.csv") from None
            settings["jitter"] = cfg.get("jitter")
        elif data.partition(":")[0] not in ("ring", "grid"):
            raise SettingsError(f"{folder.name!r} is a run on {data!r}; the lab shows 2-D data (ring, grid, points)")
        run = cls(settings, points)
        differ = config_difference(cfg, run.exp.config)
        if differ is not None:
            raise SettingsError(f"{folder.name!r} was made with {differ[0]}, which the lab builds as {differ[1]}; "
                                "continue it with train --resume instead")
        try:
            run.loop = TrainingLoop.resume(run.exp, ckpt, steps, ckpt["eval_every"], ckpt["eval_every"],
                                           evaluate=run.points is None, where=f"{folder.name}/checkpoint.npz")
        except CheckpointError as e:
            raise SettingsError(str(e)) from None
        run.folder = folder
        return run
