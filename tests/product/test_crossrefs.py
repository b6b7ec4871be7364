"""Every cross-reference the pages make is checked against what exists: lesson numbers, the lab's presets, linked
files and figures, and the commands (README.md, docs/*.md, demos/README.md)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "demos" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LESSONS = {p.name[:2]: p for p in (ROOT / "demos").glob("[0-9][0-9]_*.py")}


def _ids(page):
    return page.relative_to(ROOT).as_posix()


def _text(page) -> str:
    return page.read_text(encoding="utf-8")


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_every_linked_file_and_figure_exists(page):
    """A markdown link or image to a path (not a web address, not only an anchor) names a file or folder on disk."""
    missing = []
    for target in re.findall(r"\]\(([^)\s]+)\)", _text(page)):
        path = target.split("#")[0]
        if not path or re.match(r"[a-z]+:", path):
            continue
        if not (page.parent / path).exists():
            missing.append(target)
    assert not missing, f"{_ids(page)} links to files that do not exist: {missing}"


def _slug(heading: str) -> str:
    """GitHub's anchor for a markdown heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[`*_]", lambda m: "_" if m.group() == "_" else "", heading.strip().lower())
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(page) -> set:
    return {_slug(h) for h in re.findall(r"^#{1,6} (.+)$", _text(page), flags=re.M)}


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_every_anchor_linked_is_a_heading(page):
    """A link to ``page.md#anchor`` (or ``#anchor`` on the same page) names a heading that page has."""
    broken = []
    for target in re.findall(r"\]\(([^)\s]*#[^)\s]+)\)", _text(page)):
        path, anchor = target.split("#", 1)
        if re.match(r"[a-z]+:", path) or (path and not path.endswith(".md")):
            continue
        linked = (page.parent / path) if path else page
        if linked.exists() and anchor not in _anchors(linked):
            broken.append(target)
    assert not broken, f"{_ids(page)} links to headings that do not exist: {broken}"


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_every_lesson_named_exists(page):
    """"lesson NN", "lessons NN–MM", "(lesson NN)" and demos/NN_name.py name lessons that exist, by number and file."""
    text = _text(page)
    numbers = set()
    for match in re.finditer(r"\b[Ll]essons? ((?:\d\d(?:\s*(?:[–-]|,|and|or)\s*)?)+)", text):
        numbers.update(re.findall(r"\d\d", match.group(1)))
    unknown = sorted(n for n in numbers if n not in LESSONS)
    assert not unknown, f"{_ids(page)} names lessons that do not exist: {unknown}"
    for name in set(re.findall(r"\b(\d\d_[a-z0-9_]+)\.(?:py|ipynb)\b", text)):
        assert (ROOT / "demos" / f"{name}.py").exists(), f"{_ids(page)} names demos/{name}.py, which does not exist"


def _presets():
    from minigan.cli.lab.settings import PRESETS

    return {p["id"]: p for p in PRESETS}


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_every_preset_named_exists(page):
    """`--preset ID` and `?preset=ID` name one of the lab's presets."""
    presets = _presets()
    named = set(re.findall(r"(?:--preset[ =]|\?preset=)([a-z][a-z0-9-]*)", _text(page)))
    unknown = sorted(named - set(presets))
    assert not unknown, f"{_ids(page)} names presets the lab does not have: {unknown} (it has {sorted(presets)})"


def test_the_lab_page_gives_each_preset_the_lesson_the_lab_labels_it_with():
    """docs/lab.md's table of presets: the lesson in each row is the one the preset's own name gives."""
    presets = _presets()
    rows = [line for line in _text(ROOT / "docs" / "lab.md").splitlines() if line.startswith("| `")]
    assert rows, "docs/lab.md has no table of presets"
    seen = set()
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        ids = re.findall(r"`([a-z0-9-]+)`", cells[0])
        page_lesson = re.match(r"\d\d", cells[-1])
        for preset_id in ids:
            assert preset_id in presets, f"docs/lab.md lists preset {preset_id!r}, which the lab does not have"
            seen.add(preset_id)
            labelled = re.search(r"lesson (\d\d)", presets[preset_id]["name"])
            assert (page_lesson.group() if page_lesson else None) == (labelled.group(1) if labelled else None), (
                f"docs/lab.md gives preset {preset_id!r} lesson {cells[-1]!r}; the lab labels it "
                f"{presets[preset_id]['name']!r}")
    assert seen == set(presets), f"docs/lab.md's table misses presets: {sorted(set(presets) - seen)}"


@pytest.mark.parametrize("page", PAGES, ids=_ids)
def test_every_command_named_exists(page):
    """`python -m minigan COMMAND` names a subcommand; `python -m minigan.module` a module; `python path.py` a
    script in the repository."""
    from minigan.cli.main import COMMANDS

    commands = {name for name, _module in COMMANDS}
    text = _text(page)
    unknown = sorted({c for c in re.findall(r"python -m minigan ([a-z][a-z0-9-]*)", text) if c not in commands})
    assert not unknown, f"{_ids(page)} names subcommands that do not exist: {unknown} (there are {sorted(commands)})"
    for module in set(re.findall(r"python -m (minigan\.[a-z_.]+[a-z_])", text)):
        assert importlib.util.find_spec(module) is not None, f"{_ids(page)} names {module}, which does not exist"
    for script in set(re.findall(r"python3? ((?:demos|tools|docs)/[\w/]+\.py)", text)):
        assert (ROOT / script).exists(), f"{_ids(page)} runs {script}, which does not exist"


def test_the_readme_is_short_and_shows_the_ways_in_near_its_top():
    """README.md stays at most 1,500 words, and its first 60 lines show the three ways in (the lessons, the lab,
    the exercises, each with a command) and `sample`, each with its page."""
    text = _text(ROOT / "README.md")
    assert len(text.split()) <= 1500, f"README.md has {len(text.split())} words; move detail to docs/"
    head = "\n".join(text.splitlines()[:60])
    for shown in ("python demos/", "demos/README.md", "python -m minigan lab", "docs/lab.md",
                  "python -m minigan exercises", "docs/exercises.md", "python -m minigan sample"):
        assert shown in head, f"README.md's first 60 lines do not show {shown!r}"
