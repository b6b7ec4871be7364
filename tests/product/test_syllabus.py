"""docs/syllabus.md, the lectures item by item with what teaches each, stays current.

Every lesson in demos/ and every exercise of the catalogue is named on the page at least once (a new one must be
placed under the lecture item it teaches); every file the page names or links exists; every exercise it names is
one the catalogue holds (the names are read from the "taught by" column: "exercise `name`" or "exercises `a`,
`b`"); and the lectures are cited by course, lecturer and slide, never by a path to where the notes are kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "syllabus.md"
TEXT = PAGE.read_text()
LESSONS = sorted(p.stem for p in (ROOT / "demos").glob("[0-9][0-9]_*.py"))


def rows() -> list[list[str]]:
    """The item rows of the page's tables: [number, slide, item, kind, taught by]."""
    out = []
    for line in TEXT.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split(" | ")]
        if len(cells) == 5 and cells[0].isdigit():
            out.append(cells)
    return out


def exercise_names(text: str) -> list[str]:
    """The exercises a "taught by" cell names: each backticked name in the list after "exercise(s)"."""
    names = []
    for m in re.finditer(r"\bexercises? ((?:`\w+`(?:, | and )?)+)", text):
        names += re.findall(r"`(\w+)`", m.group(1))
    return names


def test_the_page_reads_as_a_syllabus_of_about_89_items_numbered_in_order():
    numbers = [int(r[0]) for r in rows()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 89
    assert all(r[3] in {"claim", "equation", "algorithm", "experiment", "exam question", "application", "exercise"}
               for r in rows()), [r[3] for r in rows()]
    # every item is taught by something, or says why nothing teaches it
    for number, _, _, _, taught in rows():
        assert re.match(r"(lessons? |exercises? |commands? |none)", taught), (number, taught)
        assert not taught.startswith("none") or taught.startswith("none:") or taught.startswith("none as"), number


def test_every_lesson_is_named():
    named = set(re.findall(r"demos/(\d\d_\w+)\.py", TEXT))
    missing = [stem for stem in LESSONS if stem not in named]
    assert not missing, f"docs/syllabus.md does not place these lessons under an item: {missing}"


def test_every_exercise_is_named_and_every_name_is_an_exercise():
    from minigan.exercises.catalogue import EXERCISES

    catalogue = {e.name for e in EXERCISES}
    named = set()
    for row in rows():
        named.update(exercise_names(row[4]))
    named.update(exercise_names(TEXT.split("## What no lecture names", 1)[-1]))
    assert not named - catalogue, f"docs/syllabus.md names exercises the catalogue lacks: {sorted(named - catalogue)}"
    assert not catalogue - named, f"docs/syllabus.md does not name these exercises: {sorted(catalogue - named)}"


def test_exercise_names_are_read_from_a_taught_by_cell():
    assert exercise_names("lesson x; exercises `adam`, `sgd` and `rmsprop`; exercise `fgsm` (why)") == [
        "adam", "sgd", "rmsprop", "fgsm"]
    assert exercise_names("command `python -m minigan train gan`") == []


def test_every_file_named_or_linked_exists():
    linked = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", TEXT)
    assert linked
    for target in linked:
        assert (PAGE.parent / target).resolve().exists(), f"docs/syllabus.md links {target}, which does not exist"
    for stem in set(re.findall(r"demos/(\d\d_\w+)\.py", TEXT)):
        assert (ROOT / "demos" / f"{stem}.py").exists(), f"docs/syllabus.md names demos/{stem}.py, which does not exist"


@pytest.mark.parametrize("page", ["README.md", "demos/README.md"])
def test_the_syllabus_is_linked_from_the_readme_and_the_lessons_index(page):
    assert "syllabus.md" in (ROOT / page).read_text()


def test_the_lectures_are_cited_by_course_and_slide_not_by_where_the_notes_are_kept():
    assert "seeds" not in TEXT.lower()
    for course in ("CS/DS 541", "CS/DS 552", "Anupam Datta", "Goodfellow et al. 2014", "IT3320E"):
        assert course in TEXT
    assert all(r[1].startswith('"') for r in rows()), "each item names its slide"
