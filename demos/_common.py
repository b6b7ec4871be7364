"""Small helpers shared by the demos: where figures go, and a quiet matplotlib.

Every demo saves its pictures under ``demos/out/NN_name/`` (git-ignored) and, when run as a
script, also copies its key figure to ``demos/figures/NN_name.png`` (committed, shown in
demos/README.md).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from minigan.serialization import atomic_write

os.environ.setdefault("MPLBACKEND", "Agg")

DEMOS = Path(__file__).resolve().parent
OUT = DEMOS / "out"
FIGURES = DEMOS / "figures"


def plt():
    """matplotlib.pyplot with the non-interactive Agg backend (no window ever opens)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as pyplot

    return pyplot


def out_dir(name: str) -> Path:
    """``demos/out/<name>/``, created."""
    path = OUT / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def save(fig, out, filename: str, dpi: int = 110):
    """Save ``fig`` as ``out/filename`` (when ``out`` is not None) and close it; returns the path."""
    path = None
    if out is not None:
        path = Path(out) / filename
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(path) as f:  # a half-written PNG never replaces a good one
            fig.savefig(f, format="png", dpi=dpi, bbox_inches="tight")
    plt().close(fig)
    return path


def publish(path, name: str) -> Path | None:
    """Copy a key figure to ``demos/figures/<name>.png`` (the README shows these)."""
    if path is None:
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
