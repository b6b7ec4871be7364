"""Small helpers shared by the demos: where figures go, a quiet matplotlib, a progress bar, the verdict line.

Every demo saves its pictures under ``demos/out/NN_name/`` (git-ignored) and, when run as a
script, also copies its key figure to ``demos/figures/NN_name.png`` (committed, shown in
demos/README.md). Opened as a notebook (``demos/NN_name.ipynb``), a demo also shows each saved
figure inline, below the cell that made it.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import minigan
from minigan.serialization import atomic_write

os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread, as `python -m minigan train` uses: the demos' matrices are small, and on a busy machine
# several BLAS threads spin against each other (a GAN step ran ~10x slower with the default on 2 loaded cores).
minigan.set_num_threads(1)

DEMOS = Path(__file__).resolve().parent
# MINIGAN_DEMO_OUT moves the demos' output elsewhere (the notebook tests use it to keep demos/ untouched)
OUT = Path(os.environ.get("MINIGAN_DEMO_OUT") or DEMOS / "out")
FIGURES = DEMOS / "figures"


def plt():
    """matplotlib.pyplot with the non-interactive Agg backend (no window ever opens)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    from minigan import viz

    matplotlib.rcParams.update(viz.STYLE)  # the one figure style the command line's pictures use too
    return pyplot


def out_dir(name: str) -> Path:
    """``demos/out/<name>/``, created."""
    path = OUT / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def in_notebook() -> bool:
    """True inside a Jupyter kernel (Jupyter, VS Code, nbclient), where figures should appear inline."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and type(shell).__name__ == "ZMQInteractiveShell"


def save(fig, out, filename: str, dpi: int = 110):
    """Save ``fig`` as ``out/filename`` (when ``out`` is not None), show it inline in a notebook, close it.

    Returns the path written, or None.
    """
    path = None
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=dpi, bbox_inches="tight")
    if out is not None:
        path = Path(out) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as f:  # a half-written PNG never replaces a good one
            f.write(png.getvalue())
    if in_notebook():  # the PNG itself, so it shows whatever matplotlib backend is active
        from IPython.display import Image, display

        display(Image(data=png.getvalue(), format="png"))
    plt().close(fig)
    return path


def show(path):
    """In a notebook, show the PNG at ``path`` inline (for figures the library's own functions write)."""
    if path is not None and in_notebook():
        from IPython.display import Image, display

        display(Image(filename=str(path)))
    return path


def progress(iterable, desc: str, verbose: bool = True, total: int | None = None):
    """``iterable`` with a tqdm progress bar (when ``verbose`` and tqdm is installed), else as it is."""
    if not verbose:
        return iterable
    try:
        from tqdm import tqdm  # the text bar: works in a terminal and in a notebook, no widgets needed
    except ImportError:
        return iterable
    return tqdm(iterable, desc=desc, total=total, leave=False, mininterval=0.5)


VERDICTS = ("holds", "holds partly", "does not hold here")


def verdict(outcome: str, why: str, say=print) -> str:
    """Print the closing line every demo ends with: ``verdict: holds — why`` (one of VERDICTS)."""
    if outcome not in VERDICTS:
        raise ValueError(f"verdict: got outcome {outcome!r}, expected one of {VERDICTS}")
    line = f"verdict: {outcome} — {why}"
    say(line)
    return line


def publish(path, name: str) -> Path | None:
    """Copy a key figure to ``demos/figures/<name>.png`` (the README shows these).

    Only a script run does this: a notebook (or a run with MINIGAN_DEMO_OUT set) leaves the committed copies alone.
    """
    if path is None or in_notebook() or os.environ.get("MINIGAN_DEMO_OUT"):
        return None
    FIGURES.mkdir(parents=True, exist_ok=True)
    target = FIGURES / f"{name}.png"
    try:  # a 256-colour palette PNG keeps the committed copy small (< 150 KB)
        from PIL import Image

        with Image.open(path) as im:
            im = im.convert("RGB")
            if im.width > 1400:
                im = im.resize((1400, round(im.height * 1400 / im.width)), Image.LANCZOS)
            with atomic_write(target) as f:
                im.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(f, format="PNG", optimize=True)
    except ImportError:
        with atomic_write(target) as f:
            f.write(Path(path).read_bytes())
    return target


class Timer:
    def __enter__(self):
        self.t0 = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self.t0
        return False
