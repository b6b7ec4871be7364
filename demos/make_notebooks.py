"""Write each lesson's notebook, demos/NN_name.ipynb, from its script demos/NN_name.py (with jupytext).

    python demos/make_notebooks.py            # (re)write every notebook
    python demos/make_notebooks.py --check    # exit 1, naming them, if a notebook is missing or out of date

The script is the source: its ``# %%`` lines start code cells and its ``# %% [markdown]`` comment blocks
become markdown cells (jupytext's "percent" format). The notebooks are committed without outputs; run
one in Jupyter or VS Code (``pip install -e ".[notebooks]"``) and its figures appear inline.
tests/product/test_notebooks.py checks every pair is in sync and runs the fast ones.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

DEMOS = Path(__file__).resolve().parent
KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}


def scripts() -> list[Path]:
    """Every lesson script, demos/NN_*.py, in order."""
    return sorted(DEMOS.glob("[0-9][0-9]_*.py"))


def notebook_of(script: Path):
    """The notebook (an nbformat NotebookNode, no outputs) that ``script`` reads as."""
    import jupytext

    nb = jupytext.read(script, fmt="py:percent")
    for i, cell in enumerate(nb.cells):  # ids by position, not random: regenerating changes only edited lessons
        cell["id"] = f"cell-{i}"
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def cells(nb) -> list[tuple[str, str]]:
    """What a reader sees: each cell's type and source."""
    return [(c.cell_type, c.source) for c in nb.cells]


def out_of_date(script: Path) -> str | None:
    """Why ``script``'s notebook is missing or differs from it, or None when it is in sync."""
    import nbformat

    path = script.with_suffix(".ipynb")
    if not path.exists():
        return f"{path.name} is missing"
    committed = nbformat.read(path, as_version=4)
    expected = notebook_of(script)
    if cells(committed) != cells(expected):
        return f"{path.name} differs from {script.name}"
    if any(c.get("outputs") or c.get("execution_count") for c in committed.cells if c.cell_type == "code"):
        return f"{path.name} has outputs (commit notebooks without them)"
    return None


def write(script: Path) -> Path:
    import jupytext

    from minigan.serialization import atomic_write

    path = script.with_suffix(".ipynb")
    text = jupytext.writes(notebook_of(script), fmt="ipynb")
    with atomic_write(path) as f:
        f.write(text.encode())
    return path


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--check", action="store_true", help="only check; exit 1 if any notebook is out of date")
    args = p.parse_args(argv)
    if args.check:
        problems = [why for s in scripts() if (why := out_of_date(s))]
        for why in problems:
            print(why)
        if problems:
            print("run: python demos/make_notebooks.py")
        return 1 if problems else 0
    for s in scripts():
        print(f"wrote {write(s).relative_to(DEMOS.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
