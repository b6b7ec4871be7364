"""What the page may ask for, checked once at the door: a run's settings, the live changes, a CSV of points.

Every check raises ``SettingsError`` with one line naming the value and what is accepted; the lab shows
that line in the page and leaves the run as it was. The page sends JSON, where a number that is not a
number (NaN, a string, null, true) is refused here rather than half-applied later.
"""

from __future__ import annotations

import math
import re
from html import escape as html_escape

from minigan.data.spec import MAX_COORDINATE
from minigan.engine.backend import np
from minigan.gans.gan import LOSSES, PRIORS
from minigan.gans.recipes import MAX_BATCH_SIZE, OPTIMIZERS, PLAIN_GAN

ALGORITHMS = ("gan", "wgan", "wgan-gp", "began")  # the trainers that work on 2-D points
MAX_POINTS = 100_000           # points in a CSV or a drawing
MAX_CSV_BYTES = 4_000_000      # the text of a CSV the page uploads
MAX_LAB_BATCH = 8192           # a frame must stay quick enough to watch
MAX_STEPS = 10_000_000
# A run's folder name under the lab's runs folder, matched whole (``fullmatch``: "$" in ``match`` would let a
# final newline through, and the newline would become part of the folder's name).
RUN_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


class SettingsError(ValueError):
    """A value from the page that the lab refuses; the message is shown in the page as it is."""


def _number(name, value, low, high, low_open=False, high_open=False, integer=False):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise SettingsError(f"{name} must be a number, got {value!r}")
    if integer and (not float(value).is_integer()):
        raise SettingsError(f"{name} must be a whole number, got {value!r}")
    if not math.isfinite(value):
        raise SettingsError(f"{name} must be a finite number, got {value!r}")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        interval = f"{'(' if low_open else '['}{low:g}, {high:g}{')' if high_open or high == math.inf else ']'}"
        raise SettingsError(f"{name} must be in {interval}, got {value!r}")
    return int(value) if integer else float(value)


def _flag(name, value):
    if not isinstance(value, bool):
        raise SettingsError(f"{name} must be true or false, got {value!r}")
    return value


def _choice(name, value, choices):
    if not isinstance(value, str) or value not in choices:  # (a list from JSON is no key of a table)
        raise SettingsError(f"{name} must be one of {', '.join(choices)}, got {value!r}")
    return value


# The numeric settings train takes as options too: name -> (the lab's label, low, high, low end open, whole).
# train checks its --lr, --d-lr-ratio, --k, ... against the same ranges (``check_number``), so that a value
# beyond them is named as the user gave it, not later as an inf in a derived value (R1's γ scaled by the data's
# spread), as a first step that diverges, or as a step that never ends (--k 99999999999).
NUMBERS = {"lr": ("lr", 0.0, 10.0, True, False), "d_lr_ratio": ("D's lr over G's", 0.0, 100.0, True, False),
           "instance_noise": ("instance noise σ (in the data's spreads)", 0.0, 10.0, False, False),
           "r1": ("R1 penalty γ (in the data's spreads)", 0.0, 1e3, False, False),
           "k": ("k (D steps per G step)", 1, 100, False, True), "pack": ("pack", 1, 64, False, True)}


def check_number(key, value, name=None, high=None):
    """``value`` of the setting ``key`` within its range (NUMBERS), named ``name`` in the error (default: the
    lab's label; train passes its option, such as --lr); ``high`` replaces the range's upper end."""
    label, low, top, low_open, whole = NUMBERS[key]
    return _number(name or label, value, low, top if high is None else high, low_open=low_open, integer=whole)


# name -> checker of one value. The hyperparameters the trainers and build_experiment take.
CHECKS = {
    "lr": lambda v: check_number("lr", v),
    "k": lambda v: check_number("k", v),
    "n_critic": lambda v: _number("n_critic (critic steps per G step)", v, 1, 100, integer=True),
    "lam": lambda v: _number("λ (gradient-penalty weight)", v, 0.0, 1e4),
    "clip": lambda v: _number("clip", v, 0.0, 10.0, low_open=True),
    "gamma": lambda v: _number("γ (BEGAN diversity ratio)", v, 0.0, 1.0, low_open=True),
    "lambda_k": lambda v: _number("λ_k (BEGAN gain)", v, 0.0, 1.0),
    "loss": lambda v: _choice("loss", v, LOSSES),
    "prior": lambda v: _choice("prior", v, PRIORS),
    "optimizer": lambda v: _choice("optimizer", v, OPTIMIZERS),
    "seed": lambda v: _number("seed", v, 0, 2**32 - 1, integer=True),
    "steps": lambda v: _number("steps", v, 1, MAX_STEPS, integer=True),
    "batch_size": lambda v: _number("batch size", v, 1, min(MAX_LAB_BATCH, MAX_BATCH_SIZE), integer=True),
    "pack": lambda v: check_number("pack", v),
    "eval_every": lambda v: _number("evaluate every", v, 1, MAX_STEPS, integer=True),
    "data_scale": lambda v: _number("data scale", v, 0.0, 1e4, low_open=True),
    "d_lr_ratio": lambda v: check_number("d_lr_ratio", v),
    "instance_noise": lambda v: check_number("instance_noise", v),
    "r1": lambda v: check_number("r1", v),
    "lr_decay": lambda v: _flag("lr_decay", v),
    "jitter": lambda v: _number("jitter", v, 0.0, 1e3, low_open=True),
}
# What each algorithm lets the page change while it runs (the rest needs a new run).
LIVE = {"gan": ("lr", "k", "loss", "optimizer"), "wgan": ("lr", "n_critic", "clip", "optimizer"),
        "wgan-gp": ("lr", "n_critic", "lam", "optimizer"), "began": ("lr", "gamma", "lambda_k", "optimizer")}
# The recipe keys of each algorithm the page may set when it starts a run (build_experiment overrides).
OVERRIDES = {"gan": ("lr", "d_lr_ratio", "instance_noise", "r1", "k", "pack", "prior", "data_scale", "lr_decay"),
             "wgan": ("lr", "n_critic", "clip", "prior"),
             "wgan-gp": ("lr", "n_critic", "lam", "prior", "data_scale", "lr_decay"),
             "began": ("lr", "gamma", "lambda_k", "prior", "lr_decay")}
RUN_KEYS = ("algorithm", "data", "seed", "steps", "batch_size", "optimizer", "loss", "eval_every", "jitter")


def check_data(value) -> str:
    """"ring", "grid", "ring:K", "grid:K" or "points" (the points drawn or uploaded), as text."""
    from minigan.gans.recipes import parse_data

    if not isinstance(value, str):
        raise SettingsError(f"data must be text such as ring:8 or grid:5, got {value!r}")
    text = value.strip().lower()
    if text == "points":
        return text
    if text.partition(":")[0] not in ("ring", "grid"):
        raise SettingsError(f"data must be ring, grid, ring:K, grid:K or your own points, got {value!r}")
    try:
        parse_data(text)
    except ValueError as e:
        raise SettingsError(str(e)) from None
    return text


def check_run_settings(raw) -> dict:
    """The settings of a new run, every one checked; unknown names are refused (a typo is not ignored)."""
    if not isinstance(raw, dict):
        raise SettingsError(f"the settings must be a JSON object, got {type(raw).__name__}")
    algorithm = _choice("algorithm", raw.get("algorithm"), ALGORITHMS)
    allowed = set(RUN_KEYS) | set(OVERRIDES[algorithm])
    unknown = sorted(set(raw) - allowed - {"points"})
    if unknown:
        raise SettingsError(f"{algorithm} has no setting {unknown[0]!r}; it takes {', '.join(sorted(allowed))}")
    out = {"algorithm": algorithm, "data": check_data(raw.get("data", "ring"))}
    for name, value in raw.items():
        if name in ("algorithm", "data", "points") or value is None:
            continue
        out[name] = CHECKS[name](value)
    if "loss" in out and algorithm != "gan":
        raise SettingsError(f"loss applies to gan; {algorithm}'s losses are fixed by its algorithm")
    if out.get("pack", 1) > 1 and out.get("batch_size") is not None and out["batch_size"] % out["pack"]:
        raise SettingsError(f"the batch size {out['batch_size']} must be a multiple of pack={out['pack']}")
    return out


def check_live(algorithm, raw) -> dict:
    """Changes to apply mid-run: only the names the algorithm lets change live."""
    if not isinstance(raw, dict) or not raw:
        raise SettingsError("nothing to change: send at least one of " + ", ".join(LIVE[algorithm]))
    out = {}
    for name, value in raw.items():
        if name not in LIVE[algorithm]:
            raise SettingsError(f"{name!r} cannot change while {algorithm} runs (it can: "
                                f"{', '.join(LIVE[algorithm])}); start a new run for it")
        out[name] = CHECKS[name](value)
    return out


def check_run_name(name) -> str:
    """A plain folder name (letters, digits, . _ -), so that no name reaches outside the runs folder."""
    if not isinstance(name, str) or not RUN_NAME.fullmatch(name) or ".." in name:
        raise SettingsError(f"a run's name is 1 to 64 letters, digits, '.', '_' or '-' (no '/', no '..'), "
                            f"got {name!r}")
    return name


def parse_points(text) -> np.ndarray:
    """A CSV of 2-D points (x,y per line; an optional header line; '#' comments) as float32 (N, 2)."""
    if not isinstance(text, str):
        raise SettingsError(f"the CSV must be text, got {type(text).__name__}")
    if len(text) > MAX_CSV_BYTES:
        raise SettingsError(f"the CSV is {len(text):,} characters; at most {MAX_CSV_BYTES:,} are accepted")
    rows, header_allowed = [], True
    for number, line in enumerate(text.splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        cells = [c.strip() for c in re.split(r"[,;\t ]+", line) if c.strip()]
        try:
            values = [float(c) for c in cells]
        except ValueError:
            if header_allowed:  # a header line (x,y) before the first point
                header_allowed = False
                continue
            raise SettingsError(f"CSV line {number}: {line[:40]!r} is not two numbers x,y") from None
        header_allowed = False
        if len(values) != 2:
            raise SettingsError(f"CSV line {number}: expected two numbers x,y, got {len(values)}")
        if not all(math.isfinite(v) for v in values):
            raise SettingsError(f"CSV line {number}: {line[:40]!r} holds NaN or inf; expected finite numbers")
        rows.append(values)
        if len(rows) > MAX_POINTS:
            raise SettingsError(f"the CSV has more than {MAX_POINTS:,} points")
    return check_points(rows, "the CSV")


def check_points(points, what="the points") -> np.ndarray:
    """A list of [x, y] pairs (drawn with the mouse, or a CSV's rows) as float32 (N, 2), N from 2."""
    if not isinstance(points, list) or not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in points):
        raise SettingsError(f"{what} must be a list of [x, y] pairs")
    if len(points) < 2 or len(points) > MAX_POINTS:
        raise SettingsError(f"{what}: expected 2 to {MAX_POINTS:,} points, got {len(points)}")
    for i, p in enumerate(points):  # the first bad value, named with its point
        for axis, v in zip("xy", p):
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not abs(v) <= MAX_COORDINATE:
                raise SettingsError(f"{what}: point {i + 1} has {axis} = {v!r}; every coordinate must be a finite "
                                    f"number within ±{MAX_COORDINATE:g}")
    arr = np.asarray(points, dtype=np.float64)
    if float(arr.std(axis=0).max()) == 0.0:
        raise SettingsError(f"{what}: all points are the same point; draw or give at least two different ones")
    return arr.astype(np.float32)


# Presets: the lessons' settings (demos/), one click away (or ``python -m minigan lab --preset ID``, or the
# page's address with ?preset=ID). "note" says what to watch for. The presets of the plain-GAN lessons (07, 10,
# 12) take their PLAIN_GAN settings: Goodfellow et al.'s GAN, a D that judges one point, z ~ N(0, I) and D at G's
# learning rate, with no R1 penalty, where the recipe's D judges pairs of points (PacGAN) under an R1 penalty and
# its z is uniform.
PRESETS = [
    {"id": "ring", "name": "GAN on the ring (the recipe)", "settings": {"algorithm": "gan", "data": "ring"},
     "note": "train's default run: G spreads over the ring, then settles onto the 8 modes as the lr decays."},
    {"id": "mode-collapse", "name": "Mode collapse: batch 32 (lesson 12)",
     "settings": {"algorithm": "gan", **PLAIN_GAN, "data": "ring", "batch_size": 32, "steps": 1500,
                  "data_scale": 1.0},
     "note": "with batch 32 G may cover only part of the ring: lesson 12 saw it on 5 or 6 of 10 seeds "
             "(fewer than 5 effective modes at step 1,500); compare batch 256 on the same seed."},
    {"id": "no-collapse", "name": "No collapse: batch 256 (lesson 12)",
     "settings": {"algorithm": "gan", **PLAIN_GAN, "data": "ring", "batch_size": 256, "steps": 1500,
                  "data_scale": 1.0},
     "note": "the same run with batch 256: wider than batch 32 on 8 of 10 seeds in lesson 12, though it "
             "collapses on some seeds too (2 of 10)."},
    {"id": "saturating", "name": "Saturating G: minimax loss (lesson 07)",
     "settings": {"algorithm": "gan", **PLAIN_GAN, "data": "ring", "loss": "minimax",
                  "optimizer": "sgd", "lr": 0.002, "lr_decay": False, "data_scale": 1.0, "steps": 3000},
     "note": "where D rejects the fakes the minimax loss has almost no gradient: by step 1,200 (seed 0) mean "
             "D(G(z)) is 0.07 and the longest pull 0.08, against 0.47 and 0.82 with the non-saturating loss. "
             "Watch d_fake and the legend's longest arrow; switch G's loss mid-run."},
    {"id": "non-saturating", "name": "Non-saturating G (lesson 07)",
     "settings": {"algorithm": "gan", **PLAIN_GAN, "data": "ring", "loss": "non-saturating",
                  "optimizer": "sgd", "lr": 0.002, "lr_decay": False, "data_scale": 1.0, "steps": 3000},
     "note": "the same run with −log D(G(z)): large pulls exactly where D rejects the fakes."},
    {"id": "adam", "name": "Cycling: Adam (lesson 10)",
     "settings": {"algorithm": "gan", **PLAIN_GAN, "data": "ring", "optimizer": "adam", "steps": 800,
                  "data_scale": 1.0},
     "note": "Adam, 800 steps: G circles between modes; in lesson 10 it missed modes on 4 or 5 of 12 seeds "
             "(reverse KL, median over seeds, about 0.45)."},
    {"id": "optimistic-adam", "name": "Optimistic Adam (lesson 10)",
     "settings": {"algorithm": "gan", **PLAIN_GAN, "data": "ring", "optimizer": "optimistic-adam",
                  "steps": 800, "data_scale": 1.0},
     "note": "the same run with optimistic Adam, whose correction damps the cycling: in lesson 10 it missed "
             "modes on none of 12 seeds (reverse KL about 0.05)."},
    {"id": "pacgan-grid", "name": "PacGAN on the grid (pack 4)",
     "settings": {"algorithm": "gan", "data": "grid", "pack": 4},
     "note": "D judges 4 samples at once, which makes a collapsed G easy to spot."},
    {"id": "wgan", "name": "WGAN with clipping", "settings": {"algorithm": "wgan", "data": "ring"},
     "note": "the heat map is the critic's value f(x), not a probability."},
    {"id": "wgan-gp-grid", "name": "WGAN-GP on the grid", "settings": {"algorithm": "wgan-gp", "data": "grid"},
     "note": "the gradient penalty instead of clipping; λ can change mid-run."},
    {"id": "began", "name": "BEGAN on the ring (lesson 16)", "settings": {"algorithm": "began", "data": "ring"},
     "note": "D is an auto-encoder: the heat map is minus its reconstruction error."},
]


def preset(preset_id: str) -> dict:
    """The preset named ``preset_id`` (its "id")."""
    for p in PRESETS:
        if p["id"] == preset_id:
            return p
    raise SettingsError(f"no preset {preset_id!r}; the presets are {', '.join(p['id'] for p in PRESETS)}")


# The page's menus read from the tables that train reads (gans/recipes.py's OPTIMIZERS, gans/gan.py's LOSSES): the
# server writes each one's <option>s where index.html has its marker, so a row added there is on the page too.
MENUS = {"optimizer": {name: row.label for name, row in OPTIMIZERS.items()},
         "loss": {name: row.label for name, row in LOSSES.items()}}


def page(html: str) -> str:
    """index.html with each menu of MENUS written in where its marker ``<!-- options: NAME -->`` stands."""
    for menu, options in MENUS.items():
        marker = f"<!-- options: {menu} -->"
        if marker not in html:
            raise ValueError(f"the lab's page has no {marker} for the {menu} menu")
        html = html.replace(marker, "\n      ".join(
            f'<option value="{html_escape(name)}">{html_escape(label)}</option>' for name, label in options.items()))
    return html
