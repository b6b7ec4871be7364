"""Every lesson opens as a notebook: demos/NN_name.ipynb is in sync with its script and runs top to bottom.

The notebooks are written from the scripts by ``python demos/make_notebooks.py`` (jupytext). The fast lessons
run here in a real Jupyter kernel (nbclient); the ones that train for more than a few seconds are ``slow``.
Skipped cleanly when jupytext, nbclient or ipykernel is not installed (``pip install -e ".[notebooks]"``).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

DEMOS = Path(__file__).resolve().parents[2] / "demos"
SCRIPTS = sorted(DEMOS.glob("[0-9][0-9]_*.py"))
# the autodiff lessons, each a few seconds of CPU (demos/numbers.json), run in the default suite; the others, whose
# claims test_demos.py checks at small settings, run here under -m slow (a kernel start alone costs a few seconds)
FAST = {"01_autograd_tour", "02_backward_step_by_step", "03_why_topological_order", "04_accumulation_and_in_place",
        "05_detach"}


def make_notebooks():
    spec = importlib.util.spec_from_file_location("make_notebooks", DEMOS / "make_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_lesson_script_is_found():
    assert len(SCRIPTS) >= 13 and SCRIPTS[0].name == "01_autograd_tour.py"
    assert [s.name for s in make_notebooks().scripts()] == [s.name for s in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.stem)
def test_notebook_is_in_sync_with_its_script(script):
    pytest.importorskip("jupytext")
    pytest.importorskip("nbformat")
    why = make_notebooks().out_of_date(script)
    assert why is None, f"{why}; run: python demos/make_notebooks.py"


def test_writing_a_notebook_twice_gives_the_same_bytes(tmp_path):
    # cell ids by position, not random: regenerating the notebooks leaves the unedited ones untouched in git
    pytest.importorskip("jupytext")
    import jupytext

    mk = make_notebooks()
    a, b = (jupytext.writes(mk.notebook_of(SCRIPTS[0]), fmt="ipynb") for _ in range(2))
    assert a == b and '"id": "cell-0"' in a


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.stem)
def test_lesson_text_is_markdown_and_cites_a_lecture(script):
    """The lesson opens with a markdown cell: its title, the claim in its own words and where it comes from."""
    pytest.importorskip("jupytext")
    nb = make_notebooks().notebook_of(script)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.startswith(f"# {script.stem[:2]} ")
    assert "**The claim.**" in first.source and "**Where it comes from.**" in first.source
    assert "**Run time:**" in first.source
    text = script.read_text()
    assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt|seeds/", text)  # cites the lecture (course, slide), not a file


def execute(script, tmp_path, monkeypatch, timeout):
    """Run the committed notebook in a fresh kernel started OUTSIDE demos/ (a lesson imports nothing from its
    folder: it runs from any working directory); returns the executed notebook."""
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    monkeypatch.setenv("MINIGAN_DEMO_OUT", str(tmp_path))  # outputs to tmp; demos/ untouched
    monkeypatch.setenv("MINIGAN_CACHE", str(tmp_path / "cache"))  # a classifier a lesson trains stays here
    elsewhere = tmp_path / "cwd"
    elsewhere.mkdir()
    nb = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                     resources={"metadata": {"path": str(elsewhere)}})
    client.execute()  # raises CellExecutionError, with the cell and the traceback, if any cell fails
    return nb


def check_ran(nb, script, tmp_path):
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    text = "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")
    assert "verdict: " in text, f"{script.name}: no verdict line in the notebook's output"
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert images, f"{script.name}: no figure shown inline"
    for image in images:  # each with its alternative text, generated from the figure's numbers, as the <img>'s alt
        alt = re.search(r'<img [^>]*alt="([^"]*)"', image["data"].get("text/html", ""))
        assert alt and re.search(r"\d", alt.group(1)), f"{script.name}: a figure shown without its alt text"
    assert list((tmp_path / script.stem).glob("*.png")), "the figure was not saved under MINIGAN_DEMO_OUT"


def check_teaches_cell_by_cell(nb, script):
    """At least four code cells show their own output (a step, its result under it), and one "Try it" section
    (a change to make and what to expect) is followed by a code cell."""
    shown = [c for c in nb.cells if c.cell_type == "code" and c.get("outputs")]
    assert len(shown) >= 4, f"{script.name}: only {len(shown)} code cells show an output; each step should show its own"
    tries = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Try it")]
    assert len(tries) == 1, f"{script.name}: expected one '## Try it' markdown cell, found {len(tries)}"
    assert tries[0] + 1 < len(nb.cells) and nb.cells[tries[0] + 1].cell_type == "code", "Try it needs its code cell"


@pytest.mark.budget(2, cover=False)  # two notebooks drawn by default, every fast one under -m parity
@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.stem in FAST], ids=lambda s: s.stem)
def test_fast_notebook_runs_top_to_bottom_with_figures_inline(script, tmp_path, monkeypatch):
    nb = execute(script, tmp_path, monkeypatch, timeout=120)
    check_ran(nb, script, tmp_path)
    check_teaches_cell_by_cell(nb, script)


@pytest.mark.slow
@pytest.mark.parametrize("script", [s for s in SCRIPTS if s.stem not in FAST], ids=lambda s: s.stem)
def test_slow_notebook_runs_top_to_bottom_with_figures_inline(script, tmp_path, monkeypatch):
    nb = execute(script, tmp_path, monkeypatch, timeout=900)
    check_ran(nb, script, tmp_path)
    check_teaches_cell_by_cell(nb, script)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda s: s.stem)
def test_every_notebook_has_one_try_it_section_with_its_code_cell(script):
    """Checked without running (the slow notebooks' outputs, four code cells at least, when the slow tests run)."""
    nbformat = pytest.importorskip("nbformat")
    nb = nbformat.read(script.with_suffix(".ipynb"), as_version=4).cells
    tries = [i for i, c in enumerate(nb) if c.cell_type == "markdown" and c.source.startswith("## Try it")]
    assert len(tries) == 1 and tries[0] + 1 < len(nb) and nb[tries[0] + 1].cell_type == "code", script.name
