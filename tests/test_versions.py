"""One rule for versions: pyproject.toml, the README, noxfile.py and .ci/run state the same supported range.

pyproject.toml declares Python and NumPy (what pip enforces), the README's "Versions" table says the same to a
learner, noxfile.py runs the suite at each end, and the PyTorch the comparisons are written against is pinned
alike in the README, noxfile.py and .ci/run.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject():
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10: no tomllib; read the lines needed
        text = (ROOT / "pyproject.toml").read_text()
        return {"project": {"requires-python": re.search(r'requires-python = "([^"]+)"', text).group(1),
                            "dependencies": re.findall(r'"(numpy[^"]*)"', text),
                            "classifiers": re.findall(r'"(Programming Language :: Python :: [^"]+)"', text)}}
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def _noxfile_constant(name):
    return re.search(rf'^{name} = "([^"]+)"', (ROOT / "noxfile.py").read_text(), re.M).group(1)


def _versions_table():
    """The README's "Versions" table: {row name: its cells}."""
    text = (ROOT / "README.md").read_text()
    section = text.split("## Versions", 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in section.splitlines() if line.startswith("|")]
    return {row[0]: row[1:] for row in rows[2:]}


def test_the_readme_states_the_range_pyproject_declares():
    project = _pyproject()["project"]
    python_floor = project["requires-python"].removeprefix(">=")
    numpy_floor = next(d for d in project["dependencies"] if d.startswith("numpy")).split(">=")[1]
    table = _versions_table()
    assert set(table) >= {"Python", "NumPy", "PyTorch (test oracle)", "CuPy (GPU)"}, table
    assert table["Python"][0].startswith(f"{python_floor} "), table["Python"]
    assert table["NumPy"][0].startswith(f"{numpy_floor} "), table["NumPy"]
    classifiers = [c.rsplit(":: ", 1)[1] for c in project.get("classifiers", []) if "Python :: 3." in c]
    assert classifiers and classifiers[0] == python_floor and table["Python"][0].endswith(f"to {classifiers[-1]}")


def test_the_matrix_tests_the_declared_numpy_floor_and_the_readmes_pytorch():
    project = _pyproject()["project"]
    numpy_floor = next(d for d in project["dependencies"] if d.startswith("numpy")).split(">=")[1]
    assert _noxfile_constant("NUMPY_FLOOR").startswith(numpy_floor + ".")
    oracle = _noxfile_constant("TORCH_ORACLE")
    readme, ci = (ROOT / "README.md").read_text(), (ROOT / ".ci" / "run").read_text()
    assert f"pip install torch=={oracle}" in readme and f"pip install torch=={oracle}" in ci
    assert oracle.rsplit(".", 1)[0] in _versions_table()["PyTorch (test oracle)"][0]


def test_ci_runs_the_readmes_test_line():
    readme, ci = (ROOT / "README.md").read_text(), (ROOT / ".ci" / "run").read_text()
    assert 'pip install -e ".[test]" && python -m pytest' in readme
    assert 'pip install -e ".[test]"' in ci and re.search(r"^python -m pytest$", ci, re.M)
