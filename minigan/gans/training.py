"""The training loop of a GAN run, and its checkpoint: what ``python -m minigan train`` and the lab both run.

    exp = build_experiment("gan", "ring", seed=0)
    loop = TrainingLoop(exp, steps=3000)          # evaluate every steps/10, checkpoint at each evaluation
    loop.run(on_step=print_losses, on_eval=print_metrics, on_checkpoint=lambda step: save(loop.checkpoint(), path))

One step is one outer iteration of the algorithm's pseudocode (``exp.train_step``: the learning-rate
schedule placed at the step, then ``trainer.train_step``, which mirrors the paper line by line). Around
it the loop keeps what a run needs and nothing else:

    for step = start + 1, ..., steps do
        losses ← exp.train_step(schedule_steps)             one iteration of Algorithm 1
        stop at the first NaN/inf loss (or weight, where a checkpoint is due)   → Diverged
        history ← history + losses
        if step is an evaluation step:  evals ← evals + exp.evaluate()      (every eval_every, and the last)
        if step is a checkpoint step:   on_checkpoint(step)                (every checkpoint_every, the last)
    end for

``evaluate()`` never draws from the training's random stream, so a run evaluated often gives the same
losses and weights as one evaluated rarely. The checkpoint (``checkpoint()``, ``read_checkpoint()``,
``TrainingLoop.resume()``) holds the trainer (both networks and optimizers), the random generators and the
loop's own state, so a resumed run continues the uninterrupted one exactly (same seed, same backend).
"""

from __future__ import annotations

import math

from minigan.engine import backend
from minigan.engine.backend import np
from minigan.serialization import load
from minigan.surface import random

# What checkpoint() writes; read_checkpoint() checks for each before reading any.
CHECKPOINT_KEYS = ("config", "trainer", "rng", "step", "eval_every", "checkpoint_every", "evals", "history")
# Settings a resumed run may change (the others must be the checkpoint's).
RESUME_KEYS_IGNORED = ("steps",)
# Settings added after the first checkpoints were written, and the value those checkpoints ran with: read so up to
# SETTINGS_ADDED_REMOVED_IN, which removes the shim (docs/guarantees.md, "Checkpoints of earlier versions";
# tests/library/test_checkpoint_shims.py fails once minigan's version reaches it).
SETTINGS_ADDED = {"prior": "normal", "d_lr_ratio": 1.0, "instance_noise": 0.0, "r1": 0.0}
SETTINGS_ADDED_REMOVED_IN = "0.3.0"


class Diverged(RuntimeError):
    """A step gave a NaN or inf loss (or weight): ``step`` is the step, ``what`` names the values."""

    def __init__(self, step: int, what: str):
        super().__init__(f"training diverged at step {step} ({what})")
        self.step, self.what = step, what


class CheckpointError(ValueError):
    """A file that is not a training checkpoint, or a damaged one (the message names it)."""


def losses_finite(out: dict) -> bool:
    return all(math.isfinite(v) for v in out.values())


def weights_finite(trainer) -> bool:
    """Every weight of the trainer's networks (G and D) is a finite number (a step can overflow them while its loss
    is still finite)."""
    params = [p for net in trainer.networks() for p in net.parameters()]
    return all(bool(backend.get_array_module(p.array).isfinite(p.array).all()) for p in params)


def windowed_losses(history: dict, points: int = 500) -> dict:
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


class TrainingLoop:
    """``TrainingLoop(exp, steps, eval_every=None, checkpoint_every=None, evaluate=True)``: the loop over
    ``exp`` (a ``recipes.Experiment``) up to step ``steps``.

    ``eval_every`` defaults to a tenth of the run, ``checkpoint_every`` to ``eval_every``; ``evaluate=False``
    skips the metrics (data without any, such as points drawn in the lab). ``history`` holds every step's
    losses, ``evals`` the metrics of each evaluation. ``schedule_steps`` is the length the learning-rate
    decay is laid over: the first run's ``steps``, kept by a resumed run that goes further.
    """

    def __init__(self, exp, steps: int, eval_every=None, checkpoint_every=None, evaluate: bool = True):
        self.exp = exp
        self.steps = int(steps)
        self.schedule_steps = self.steps
        self.eval_every = int(eval_every or max(1, self.steps // 10))
        self.checkpoint_every = int(checkpoint_every or self.eval_every)
        self.evaluating = bool(evaluate)
        self.history = {"step": []}
        self.evals = []
        self.stopping = False  # the last step was asked to end the run (take_step's stop)

    @property
    def step(self) -> int:
        """Steps taken so far (the trainer's count, which checkpoints keep)."""
        return self.exp.trainer.step

    def eval_due(self, step: int) -> bool:
        return step % self.eval_every == 0 or step == self.steps

    def checkpoint_due(self, step: int) -> bool:
        return step % self.checkpoint_every == 0 or step == self.steps

    # ------------------------------------------------------------------ steps
    def take_step(self, stop=None) -> dict:
        """One iteration of the algorithm; its losses, recorded in ``history``. Raises ``Diverged`` on a NaN or
        inf loss, or on a non-finite weight where a checkpoint is due: a checkpoint never keeps a NaN as a good
        state. ``stop()``, asked once after the update, says the run ends here (so a checkpoint is due)."""
        step = self.step + 1  # the step this update makes
        with np.errstate(all="ignore"):  # a diverging run overflows before its loss turns NaN: Diverged says it
            out = self.exp.train_step(self.schedule_steps)
        self.stopping = bool(stop and stop())
        saving = self.stopping or self.checkpoint_due(step)
        if not losses_finite(out) or (saving and not weights_finite(self.exp.trainer)):
            raise Diverged(step, ", ".join(f"{k}={v}" for k, v in out.items() if not math.isfinite(v))
                           or "non-finite weights")
        self.history["step"].append(step)
        for k, v in out.items():
            self.history.setdefault(k, []).append(v)
        return out

    def evaluate_if_due(self, step: int):
        """The metrics at ``step`` (appended to ``evals``) if it is an evaluation step, else None."""
        if not (self.evaluating and self.eval_due(step)):
            return None
        self.evals.append({"step": step, **self.exp.evaluate()})
        return self.evals[-1]

    def advance(self) -> dict:
        """One step and, where due, its evaluation (the lab's Step)."""
        step = self.step + 1
        out = self.take_step()
        self.evaluate_if_due(step)
        return out

    def run(self, on_step=None, on_eval=None, on_checkpoint=None, stop=None) -> int:
        """Steps up to ``steps``; the last step taken. After each step: ``on_step(step, losses)``, then at an
        evaluation ``on_eval(record)``, then where a checkpoint is due ``on_checkpoint(step)``. ``stop()``,
        asked once after each step, ends the run after that step, with a checkpoint at it. A run resumed from a
        checkpoint written while its step's evaluation was under way (a stop request) takes that evaluation first."""
        if self.evaluating and self.step > 0 and self.eval_due(self.step) and not (
                self.evals and self.evals[-1]["step"] == self.step):
            self.evaluate_if_due(self.step)
        for step in range(self.step + 1, self.steps + 1):
            out = self.take_step(stop)
            if on_step:
                on_step(step, out)
            record = self.evaluate_if_due(step)
            if record is not None and on_eval:
                on_eval(record)
            if (self.stopping or self.checkpoint_due(step)) and on_checkpoint:
                on_checkpoint(step)
            if self.stopping:
                break
        return self.step

    def final_metrics(self) -> dict:
        """The metrics at the current step: the last evaluation's if it was taken there, else a new one."""
        if self.evals and self.evals[-1]["step"] == self.step:
            return dict(self.evals[-1])
        return {"step": self.step, **self.exp.evaluate()}

    # ------------------------------------------------------------------ the checkpoint
    def checkpoint(self) -> dict:
        """The run's state now, for ``minigan.save``: what ``resume`` needs to continue it exactly."""
        exp = self.exp
        return {"config": exp.config, "trainer": exp.trainer.state_dict(), "rng": random.get_rng_state(),
                "step": self.step, "eval_every": self.eval_every, "checkpoint_every": self.checkpoint_every,
                "evals": self.evals, "schedule_steps": self.schedule_steps,
                "history": {k: np.asarray(v, dtype=np.float64) for k, v in self.history.items()}}

    @classmethod
    def resume(cls, exp, ckpt: dict, steps=None, eval_every=None, checkpoint_every=None, evaluate=True,
               where="the checkpoint") -> "TrainingLoop":
        """The loop of the run ``ckpt`` (from ``read_checkpoint``) holds, continued in ``exp`` (built with the
        same settings: a difference is a CheckpointError): weights, optimizers and random generators restored,
        history and evaluations kept. ``steps`` (default: the checkpoint's step) may go beyond the first run's;
        the learning-rate decay stays laid over the first run's. ``eval_every`` and ``checkpoint_every``
        default to the checkpoint's. ``where`` names the checkpoint in a CheckpointError."""
        differ = config_difference(ckpt["config"], exp.config)
        if differ is not None:
            saved, now = differ
            raise CheckpointError(f"{where} was written with {saved}, this run has {now}")
        steps = ckpt["step"] if steps is None else steps
        if steps < ckpt["step"]:
            raise CheckpointError(f"{where} is at step {ckpt['step']}, beyond the run's {steps} steps")
        loop = cls(exp, steps, eval_every or ckpt["eval_every"], checkpoint_every or ckpt["checkpoint_every"],
                   evaluate)
        try:
            exp.trainer.load_state_dict(ckpt["trainer"])
            random.set_rng_state(ckpt["rng"])
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as e:
            raise CheckpointError(f"{where} is a damaged checkpoint ({e})") from e
        loop.schedule_steps = ckpt.get("schedule_steps", steps)  # absent from checkpoints of older versions
        loop.history = {k: [float(x) for x in v] for k, v in ckpt["history"].items()}
        loop.evals = list(ckpt["evals"])
        return loop


def read_checkpoint(path, where=None) -> dict:
    """The checkpoint at ``path``, every entry checked (a crafted or damaged file is a CheckpointError naming
    ``where``, by default the path)."""
    where = repr(str(path)) if where is None else where
    ckpt = load(path)
    missing = [k for k in CHECKPOINT_KEYS if not isinstance(ckpt, dict) or k not in ckpt]
    if missing:
        raise CheckpointError(f"{where} is a minigan checkpoint but not one written by train (it has no "
                              f"{missing[0]!r} entry); expected the checkpoint.npz of a training run")
    check_checkpoint(ckpt, where)
    return ckpt


def check_checkpoint(ckpt: dict, where: str) -> None:
    """Every entry ``resume`` reads has the type ``checkpoint()`` writes; a crafted file is a CheckpointError."""
    def damaged(what):
        return CheckpointError(f"{where} is a damaged checkpoint ({what})")

    for key, low in (("step", 0), ("eval_every", 1), ("checkpoint_every", 1), ("schedule_steps", 1)):
        value = ckpt.get(key, low)  # schedule_steps: absent from checkpoints of older versions
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise damaged(f"{key} is {value!r}, expected an integer >= {low}")
    if not isinstance(ckpt["config"], dict) or not isinstance(ckpt["rng"], dict):
        raise damaged("config and rng must be dicts")
    if not isinstance(ckpt["trainer"], dict) or ckpt["trainer"].get("step") != ckpt["step"]:
        raise damaged(f"the trainer's step is not the checkpoint's step {ckpt['step']}")
    evals = ckpt["evals"]
    if not isinstance(evals, list) or not all(isinstance(e, dict) and type(e.get("step")) is int for e in evals):
        raise damaged("evals must be a list of dicts with an integer step")
    history = ckpt["history"]
    if not isinstance(history, dict) or "step" not in history:
        raise damaged("history must be a dict with a 'step' series")
    for name, series in history.items():
        if not (isinstance(series, np.ndarray) and series.ndim == 1 and series.dtype.kind in "fiu"
                and len(series) == ckpt["step"]):
            raise damaged(f"the history series {name!r} is not {ckpt['step']} numbers")


def config_difference(saved: dict, now: dict):
    """None if a checkpoint's settings ``saved`` are the run's ``now`` (``steps`` aside), else the first
    that differs, as ``("k=1", "k=2")``. A setting added since the checkpoint was written counts with the
    value every run had before it (SETTINGS_ADDED)."""
    saved = {k: v for k, v in saved.items() if k not in RESUME_KEYS_IGNORED}
    now = {k: v for k, v in now.items() if k not in RESUME_KEYS_IGNORED}
    for name, before in SETTINGS_ADDED.items():
        if name in now:
            saved.setdefault(name, before)
    diff = sorted((k for k in set(saved) | set(now) if saved.get(k) != now.get(k)), key=str)
    if not diff:
        return None
    k = diff[0]
    return f"{k}={saved.get(k)!r}", f"{k}={now.get(k)!r}"


__all__ = ["TrainingLoop", "Diverged", "CheckpointError", "read_checkpoint", "check_checkpoint", "config_difference",
           "windowed_losses", "weights_finite", "CHECKPOINT_KEYS"]
