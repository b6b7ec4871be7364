"""The README's Python examples run as written; the pages' commands and names exist."""

import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def test_every_python_block_of_the_readme_runs():
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)
    assert blocks
    for block in blocks:
        exec(compile(block, str(README), "exec"), {})


def test_readme_is_a_page_a_learner_reads_in_one_sitting():
    words = len(re.sub(r"```.*?```", " ", README.read_text(), flags=re.S).split())
    assert words <= 2000, f"README.md has {words} words outside code blocks; keep it under 2,000"


def test_every_lesson_the_readme_links_exists():
    for link in re.findall(r"\]\((demos/[^)#]+)\)", README.read_text()):
        assert (ROOT / link).exists(), f"README.md links {link}, which does not exist"


def test_every_breakpoint_the_debugging_page_names_resolves():
    """docs/debugging.md tells students `b minigan.X.Y`: each name must still exist (a rename breaks the page)."""
    names = re.findall(r"^\(Pdb\) b (minigan\.[\w.]+)", (ROOT / "docs" / "debugging.md").read_text(), flags=re.M)
    names += re.findall(r"`(minigan\.[\w.]+)`", (ROOT / "docs" / "debugging.md").read_text())
    assert len(names) >= 4
    for name in set(names):
        parts = name.split(".")
        for cut in range(len(parts), 0, -1):  # the longest importable module, then attributes
            try:
                obj = importlib.import_module(".".join(parts[:cut]))
                break
            except ImportError:
                continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr)  # AttributeError names the stale breakpoint
        assert callable(obj) or obj is not None


def test_notebooks_extra_installs_a_jupyter_that_opens_the_notebooks():
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    frontends = [d for d in extras["notebooks"] if re.match(r"(notebook|jupyterlab)\b", d)]
    assert frontends, "the [notebooks] extra must install a Jupyter front end (the `jupyter` command)"
