"""What every lesson in demos/ shares: where its output goes, a quiet matplotlib, a progress bar, the verdict.

A lesson is ``demos/NN_name.py`` (and its notebook twin ``NN_name.ipynb``). It imports this module, so it
runs from any working directory once minigan is installed (``pip install -e .``)::

    from minigan import lessons

    ...
    if __name__ == "__main__":       # a script run, or the last cell of the notebook
        lessons.main(run, NAME)

A lesson writes only under its output folder: ``demos/out/NN_name/`` in a checkout of the repository
(git-ignored), the folder ``--out`` names, or ``$MINIGAN_DEMO_OUT/NN_name/``. It never touches the committed
figures under ``demos/figures/``: ``python demos/refresh_figures.py`` does that, on purpose.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from pathlib import Path

import minigan
from minigan.process import keep_freed_memory
from minigan.serialization import atomic_write

# A lesson owns its process (a script, or a notebook's kernel), as `python -m minigan train` does, and sets it
# as that command does. One BLAS thread: the lessons' matrices are small, and on a busy machine several BLAS
# threads spin against each other (a GAN step ran ~10x slower with the default on 2 loaded cores). And malloc
# keeps freed arrays (minigan/process.py): else a (512, 64) float32 array, 128 KB, goes back to the kernel when
# freed and its next one faults in fresh pages; lesson 06 took 576,000 page faults a seed and 1.7x the CPU time.
minigan.set_num_threads(1)
keep_freed_memory()

VERDICTS = ("holds", "holds partly", "does not hold here")


def default_out() -> Path:
    """Where lessons write: $MINIGAN_DEMO_OUT, else demos/out/ of this checkout, else ./lesson-out/."""
    if os.environ.get("MINIGAN_DEMO_OUT"):
        return Path(os.environ["MINIGAN_DEMO_OUT"])
    demos = Path(__file__).resolve().parents[1] / "demos"  # an editable install: the repository's demos/
    return demos / "out" if demos.is_dir() else Path.cwd() / "lesson-out"


def out_dir(name: str, root=None) -> Path:
    """``<root>/<name>/`` (root: ``default_out()`` when None), created."""
    path = Path(root if root is not None else default_out()) / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def output_folder(name: str, script: bool = False, argv=None) -> Path:
    """The folder a lesson written as top-level cells writes to, created: ``OUT/<name>/`` when its script runs from
    a shell as ``python demos/<name>.py --out OUT``, else ``out_dir(name)`` ($MINIGAN_DEMO_OUT or demos/out/).

    A lesson calls ``lessons.output_folder(NAME, script=__name__ == "__main__")``: the command line is read only
    when the lesson's file is the program itself (not in a notebook, not when a test or
    demos/lesson_numbers.py runs it), so another program's arguments are never taken for the lesson's."""
    p = argparse.ArgumentParser(prog=f"demos/{name}.py", description=f"lesson {name}")
    p.add_argument("--out", default=None, help=f"write under OUT/{name}/ (default: {default_out()}/{name}/)")
    if argv is None:
        argv = sys.argv[1:] if script and not in_notebook() else []
    return out_dir(name, p.parse_args(argv).out)


def plt():
    """matplotlib.pyplot with the non-interactive Agg backend (no window ever opens)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    from minigan import viz

    matplotlib.rcParams.update(viz.STYLE)  # the one figure style the command line's pictures use too
    return pyplot


def in_notebook() -> bool:
    """True inside a Jupyter kernel (Jupyter, VS Code, nbclient), where figures should appear inline."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def save(fig, out, filename: str, dpi: int = 110, alt=None):
    """Save ``fig`` as ``out/filename`` (when ``out`` is not None), show it inline in a notebook, close it.

    The figure carries its alternative text (``viz.describe_figure(fig, alt)``: ``alt``, the measured values
    the lesson's verdict rests on, then what each panel plots, from its numbers): in the PNG's Description,
    beside it as NAME.alt.txt, and as the ``alt`` of the picture a notebook shows. Returns the path written,
    or None.
    """
    from minigan import viz

    path = None
    text = viz.describe_figure(fig, alt)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi, bbox_inches="tight", metadata={"Description": text})
    if out is not None:
        path = Path(out) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as f:  # a half-written PNG never replaces a good one
            f.write(png.getvalue())
        with atomic_write(viz.alt_path(path), "w") as f:
            f.write(text + "\n")
    if in_notebook():  # the PNG itself, so it shows whatever matplotlib backend is active
        _display_png(png.getvalue(), text)
    plt().close(fig)
    return path


def _display_png(data: bytes, alt: str, kind: str = "image/png") -> None:
    """Show a PNG (or GIF) inline in a notebook with its alternative text: one output holding the image, an <img>
    with the text as its alt (what a notebook's page shows, and a screen reader reads) and the text itself."""
    import base64
    import html

    from IPython.display import display

    png = base64.b64encode(data).decode()
    display({kind: png, "text/html": f'<img src="data:{kind};base64,{png}" alt="{html.escape(alt)}">',
             "text/plain": alt}, raw=True)


def show(path, alt=None):
    """In a notebook, show the image at ``path`` inline (for figures the library's own functions write, a PNG or a
    GIF), with ``alt`` or the alternative text written beside it."""
    if path is not None and in_notebook():
        from minigan import viz

        kind = "image/gif" if str(path).lower().endswith(".gif") else "image/png"
        text = alt or (viz.read_alt(path) if kind == "image/png" else None) or f"the figure {Path(path).name}"
        _display_png(Path(path).read_bytes(), text, kind)
    return path


# A loop of a lesson that says nothing (``verbose=False``: a seed inside a loop over seeds, a "Try it" cell) still
# shows its bar once it has run this long: no wait of more than a few seconds without progress and an estimate.
QUIET_BAR_AFTER = 5.0


def progress(iterable, desc: str, verbose: bool = True, total: int | None = None):
    """``iterable`` with a tqdm progress bar (when tqdm is installed): at once when ``verbose``, else only once the
    loop has run ``QUIET_BAR_AFTER`` seconds. In a terminal and in a notebook; silent where stderr is not a
    terminal (a log, a test) unless ``verbose``, and wherever ``TQDM_DISABLE=1``."""
    try:
        from tqdm import tqdm  # the text bar: works in a terminal and in a notebook, no widgets needed
    except ImportError:
        return iterable
    if verbose:
        return tqdm(iterable, desc=desc, total=total, leave=False, mininterval=0.5)
    return tqdm(iterable, desc=desc, total=total, leave=False, mininterval=0.5, delay=QUIET_BAR_AFTER,
                disable=False if in_notebook() else None)  # None: off where stderr is not a terminal


class Bar:
    """A progress bar fed by a library function's ``progress(done, total)`` callback (``train_adversarially``,
    ``train_classifier``): ``with lessons.Bar("fine-tuning, seed 0", "batches") as bar: f(..., progress=bar)``.
    Shown as ``progress`` shows a quiet loop's (after ``QUIET_BAR_AFTER`` seconds, and never where stderr is not a
    terminal), unless ``verbose``."""

    def __init__(self, desc: str, unit: str = "it", verbose: bool = False):
        self.desc, self.unit, self.verbose, self.bar = desc, unit, verbose, None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = progress(None, self.desc, self.verbose, total=total)
            if not hasattr(self.bar, "update"):  # no tqdm installed
                return
            self.bar.unit = self.unit
        if hasattr(self.bar, "update"):
            self.bar.update(done - self.bar.n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None and hasattr(self.bar, "close"):
            self.bar.close()
        return False


def verdict(outcome: str, why: str, say=print) -> str:
    """Print the closing line every lesson ends with: ``verdict: holds — why`` (one of VERDICTS)."""
    if outcome not in VERDICTS:
        raise ValueError(f"verdict: got outcome {outcome!r}, expected one of {VERDICTS}")
    line = f"verdict: {outcome} — {why}"
    say(line)
    return line


def spread(values) -> dict:
    """A number measured over seeds, as the lesson pages state it: its median, its range and every seed's value.

    ``spread([0.91, 0.88, 0.95])`` -> ``{"median": 0.91, "min": 0.88, "max": 0.95, "n": 3, "per_seed": [...]}``.
    One seed on one machine is not a finding: training amplifies rounding, so another BLAS moves single runs.
    """
    vals = [float(v) for v in values]
    if not vals:
        raise ValueError("spread: got no values; measure at least one seed")
    ordered = sorted(vals)
    mid = len(ordered) // 2
    median = ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2
    return {"median": median, "min": ordered[0], "max": ordered[-1], "n": len(vals), "per_seed": vals}


def show_spread(s: dict, fmt: str = ".3f") -> str:
    """``0.910 (0.880–0.950 over 3 seeds)``: a spread in words."""
    return f"{s['median']:{fmt}} ({s['min']:{fmt}}–{s['max']:{fmt}} over {s['n']} seeds)"


MEANINGS = {  # what each number a trainer's train_step returns means, in a learner's words
    "loss_d": "D's loss: BCE(D(x), real) + BCE(D(G(z)), fake); 2·log 2 = 1.386 when D says ½ to all",
    "loss_c": "the critic's loss: −(mean C(x) − mean C(G(z))) (+ its penalty)",
    "loss_g": "G's loss on fresh fakes, through the just-updated D",
    "d_real": "mean D(x) on the real batch (1 = sure it is real)",
    "d_fake": "mean D(G(z)) on the fakes, before D's update",
    "wasserstein": "the critic's estimate of the Wasserstein distance",
    "penalty": "the gradient penalty λ·mean((‖∇ₓC(x̂)‖ − 1)²)",
    "k": "BEGAN's balance k_t",
    "loss_real": "L(x): D's auto-encoder loss on the real batch",
    "m_global": "BEGAN's convergence measure M_global",
}


def one_step(trainer, sample_real, say=print) -> dict:
    """One training step of a GAN, looked at closely: what ``train_step`` reports, and how far it moved each
    network's weights (the relative change ‖Δθ‖/‖θ‖ of all of D's and of all of G's parameters)."""

    def flat(net):
        return [p.detach().cpu().numpy().copy() for p in net.parameters()]

    before = {"D": flat(trainer.D), "G": flat(trainer.G)}
    out = trainer.train_step(sample_real)
    meanings = dict(MEANINGS)
    if "k" in out:  # BEGAN: D is an auto-encoder, its losses are reconstruction errors
        meanings.update(loss_d="D's loss L(x) − k·L(G(z))", loss_g="L(G(z)): G wants D to reconstruct its fakes well")
    say("one training step (the first), looked at closely:")
    for key, value in out.items():
        if isinstance(value, (int, float)):
            say(f"  {key:<12} {value:+.4f}   {meanings.get(key, '')}")
    for name, net in (("D", trainer.D), ("G", trainer.G)):
        after = flat(net)
        moved = sum(float(((a - b) ** 2).sum()) for a, b in zip(after, before[name])) ** 0.5
        size = sum(float((b ** 2).sum()) for b in before[name]) ** 0.5
        say(f"  {name} moved   {moved / size:.2e} of its weights' norm (‖Δθ‖/‖θ‖)")
    return out


def small(x: float) -> str:
    """A number that may be tiny, readable: 0.0123 -> '0.0123', 1.1e-04 -> '1.1e-04' (never '0.000')."""
    return f"{x:.2e}" if x != 0 and abs(x) < 1e-3 else f"{x:.4g}"


def main(run, name: str, argv=None) -> dict:
    """Run a lesson into its output folder and say where its figures are (the closing cell of every lesson).

    From a shell: ``python demos/NN_name.py [--out FOLDER]``. In a notebook the kernel's own arguments are
    ignored and the default folder is used.
    """
    p = argparse.ArgumentParser(prog=f"demos/{name}.py", description=f"lesson {name}")
    p.add_argument("--out", default=None, help=f"write under OUT/{name}/ (default: {default_out()}/{name}/)")
    args = p.parse_args([] if in_notebook() else argv)
    if not in_notebook():
        say_when_stopped(name, out_dir(name, args.out))
    with Timer() as clock:
        result = run(out_dir=out_dir(name, args.out))
    figures = list(dict.fromkeys(str(v) for k, v in result.items() if k in ("figure", "samples") and v is not None))
    print(f"\n{name}: {clock.seconds:.0f} s; figure{'s' if len(figures) != 1 else ''}: {', '.join(figures)}")
    return result


class Timer:
    """``with Timer() as t: ...`` then ``t.seconds``: wall time of the block."""

    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        return False


# ----------------------------------------------------------------------------- a lesson run cell by cell
# (a notebook's cells in order, or the script from top to bottom), and its verdicts over seeds


def cell_out(name: str, argv=None) -> Path:
    """The output folder of a lesson whose cells run one by one: ``python demos/NN_name.py --out DIR`` writes
    under ``DIR/NN_name/``; without ``--out``, and in a notebook, under ``default_out()/NN_name/``. Says where."""
    path = output_folder(name, script=argv is None, argv=argv)  # (one home for the --out rule)
    print(f"lesson {name}: figures go to {path}")
    if argv is None and not in_notebook():
        say_when_stopped(name, path)
    return path


def say_when_stopped(name: str, out) -> None:
    """A lesson run as a script and stopped with Ctrl-C says so in one line (what it wrote so far, and how to run it
    again) instead of a traceback through the step it was in; any other error keeps its traceback. (In a notebook
    the kernel's own interrupt stays as it is.)"""
    previous = sys.excepthook

    def hook(kind, error, traceback):
        if issubclass(kind, KeyboardInterrupt):
            print(f"\nlesson {name}: stopped (Ctrl-C); the figures written so far are in {out}; run it again with: "
                  f"python demos/{name}.py", file=sys.stderr, flush=True)
            return
        previous(kind, error, traceback)

    sys.excepthook = hook


def tally(flags) -> str:
    """``tally([True, True, False])`` -> ``"2 of 3 seeds"``: how many seeds a per-seed test held on."""
    flags = [bool(f) for f in flags]
    return f"{sum(flags)} of {len(flags)} seeds"


def span(values, fmt: str = ".0%") -> str:
    """``span([0.55, 0.58])`` -> ``"55%–58%"``; one value (or all equal) -> ``"55%"``."""
    lo, hi = min(values), max(values)
    return f"{lo:{fmt}}" if f"{lo:{fmt}}" == f"{hi:{fmt}}" else f"{lo:{fmt}}–{hi:{fmt}}"


def majority(outcomes) -> tuple[str, int]:
    """The verdict a majority of seeds gave, and how many gave it: ``majority(["holds", "holds", "holds partly"])``
    -> ``("holds", 2)``. With no outcome on more than half of the seeds the seeds disagree: "holds partly"."""
    outcomes = list(outcomes)
    for outcome in outcomes:
        if outcome not in VERDICTS:
            raise ValueError(f"majority: got outcome {outcome!r}, expected one of {VERDICTS}")
    counts = {o: outcomes.count(o) for o in VERDICTS}
    best = max(VERDICTS, key=counts.get)
    if 2 * counts[best] > len(outcomes):
        return best, counts[best]
    return "holds partly", counts["holds partly"]

