"""Every count and time README.md and the lessons' index (demos/README.md) state is one a command measured.

The lessons' CPU times, the reference CNN's first training and the load they were measured under come from
demos/lesson_times.json (``python demos/lesson_times.py``); the count of lessons from demos/, of exercises from
the exercises' catalogue, and of PyTorch's names from docs/pytorch.md's coverage table (``docs/make_coverage.py``).
A lesson that gets slower fails here until it is measured again, and the page is rewritten from the record.
(The README's paragraph on the test suite's counts and times is kept by its own test.)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INDEX = ROOT / "demos" / "README.md"
README = ROOT / "README.md"
TIMES = json.loads((ROOT / "demos" / "lesson_times.json").read_text())
LESSONS = sorted(p.stem for p in (ROOT / "demos").glob("[0-9][0-9]_*.py"))
WORDS = {20: "Twenty", 21: "Twenty-one", 22: "Twenty-two", 23: "Twenty-three", 19: "Nineteen", 18: "Eighteen",
         **{20 + n: f"Twenty-{w}" for n, w in enumerate(("four", "five", "six", "seven", "eight", "nine"), 4)},
         30: "Thirty", **{30 + n: f"Thirty-{w}" for n, w in enumerate(("one", "two", "three", "four", "five"), 1)}}


def stated_cpu(seconds: float) -> str:
    """How a page states a CPU time from the record: under 1 s, else whole seconds."""
    return "under 1 s" if seconds < 1 else f"{seconds:.0f} s"


EARLIER = "not yet timed as a script"  # an entry carried over from demos/numbers.json's in-process timing


def stated_time(stem: str) -> str:
    """A lesson's CPU time as the index's table gives it: the time, and what was cached when it was measured (or
    that it is the earlier in-process timing, not yet measured by demos/lesson_times.py)."""
    entry = TIMES[stem]
    if "source" in entry:
        return f"{stated_cpu(entry['cpu_seconds'])}, {EARLIER}"
    return stated_cpu(entry["cpu_seconds"]) + (", models cached" if entry["cached"] else "")


def test_every_lesson_and_the_reference_cnn_have_a_measured_time():
    assert sorted(k for k in TIMES if k[:2].isdigit()) == LESSONS
    numbers = json.loads((ROOT / "demos" / "numbers.json").read_text())
    for name, entry in TIMES.items():
        if "source" in entry:  # carried over: the CPU time demos/lesson_numbers.py recorded for the lesson's run
            runs = numbers[name].get("runs", [numbers[name]])
            assert entry["source"].startswith("demos/numbers.json") and name != "reference_cnn"
            assert entry["cpu_seconds"] == runs[0]["cpu_seconds"], name
            continue
        assert entry["cpu_seconds"] == pytest.approx(entry["user_seconds"] + entry["system_seconds"], abs=0.11)
        assert entry["wall_seconds"] > 0 and entry["cores"] >= 1 and entry["load_mean"] >= 0, name


def _table() -> dict:
    rows = {}
    for line in INDEX.read_text().splitlines():
        m = re.match(r"\| (\d\d) \| \[.*?\]\((\d\d_\w+)\.py\) \|.*\| ([^|]+) \|$", line)
        if m:
            rows[m.group(2)] = m.group(3).strip()
    return rows


def test_the_index_table_states_each_lessons_measured_cpu_time():
    table = _table()
    assert sorted(table) == LESSONS
    assert {stem: table[stem] for stem in LESSONS} == {stem: stated_time(stem) for stem in LESSONS}


def _sections() -> dict:
    text = INDEX.read_text()
    found = {}
    for m in re.finditer(r"^## (\d\d) · .*?$(.*?)(?=^## |\Z)", text, re.M | re.S):
        stem = next(s for s in LESSONS if s.startswith(m.group(1)))
        found[stem] = m.group(2)
    return found


def test_each_lessons_section_states_its_measured_cpu_time_and_no_other_time():
    sections = _sections()
    assert sorted(sections) == LESSONS
    for stem, body in sections.items():
        times = re.findall(r"\*\*Time:\*\*\s+(.*?)(?:\n\n|\n!\[|\Z)", body, re.S)
        assert len(times) == 1, f"{stem}: one **Time:** sentence, found {len(times)}"
        sentence = " ".join(times[0].split())
        cpu = re.findall(r"(under 1 s|\d+(?:\.\d+)? s) of CPU", sentence)
        assert cpu == [stated_cpu(TIMES[stem]["cpu_seconds"])], f"{stem}: {sentence}"
        assert "wall" not in sentence and "minute" not in sentence, f"{stem}: a time not in the record: {sentence}"
        if "source" in TIMES[stem]:
            assert EARLIER in sentence, f"{stem}: {sentence}"
        else:
            assert ("cached" in sentence) == bool(TIMES[stem]["cached"]), f"{stem}: {sentence}"


def test_the_reference_cnns_training_time_is_the_measured_one():
    about = f"about {TIMES['reference_cnn']['cpu_seconds']:.0f} s"
    text = " ".join(INDEX.read_text().split())
    stated = re.findall(r"about (\d+) s (?:of CPU )?on a 2-core CPU", text)
    assert stated and {f"about {s} s" for s in stated} == {about}
    from minigan.classifier import FIRST_TRAINING

    assert FIRST_TRAINING["digits"] == about


def test_the_index_states_the_load_the_times_were_measured_under():
    """The load and the wall-to-CPU ratio the index gives are the record's range over the lessons of 5 s or more."""
    long = [e for k, e in TIMES.items() if k[:2].isdigit() and e["cpu_seconds"] >= 5 and "source" not in e]
    loads = sorted(e["load_mean"] for e in long)
    ratios = sorted(e["wall_seconds"] / e["cpu_seconds"] for e in long)
    text = " ".join(INDEX.read_text().split())
    number = r"(\d+(?:\.\d)?)"
    m = re.search(rf"one-minute load average of (\d+)–(\d+) on (\d+) cores.*?wall time was {number}–{number}×", text)
    assert m, "the index states the load its times were measured under"
    assert (int(m.group(1)), int(m.group(2))) == (round(loads[0]), round(loads[-1]))
    assert int(m.group(3)) == max(e["cores"] for e in long)
    assert (m.group(4), m.group(5)) == (f"{ratios[0]:.1f}", f"{ratios[-1]:.1f}")


def test_the_readme_states_the_first_lessons_time_and_the_counts():
    text = " ".join(README.read_text().split())
    first = stated_cpu(TIMES["01_autograd_tour"]["cpu_seconds"])
    assert re.findall(r"runs the first lesson \((under 1 s|\d+ s) of CPU\)", text) == [first]
    assert re.findall(r"start here: (under 1 s|\d+ s) of CPU", INDEX.read_text()) == [first]
    assert f"**The lessons.** {WORDS[len(LESSONS)]} scripts" in text
    from minigan.exercises.catalogue import EXERCISES

    assert re.search(rf"with {len(EXERCISES)} functions\b", text)


def test_the_readme_states_docs_pytorch_coverage_counts():
    coverage = (ROOT / "docs" / "pytorch.md").read_text()
    row = re.search(r"^\| \*\*all\*\* \| (\d+) \| (\d+) \| (\d+) \| (\d+) \|$", coverage, re.M)
    names, implemented, different, missing = map(int, row.groups())
    assert implemented + different + missing == names
    text = " ".join(README.read_text().split())
    assert f"has {implemented + different:,} of PyTorch's {names:,} public names" in text


def _lesson_times():
    import importlib.util

    spec = importlib.util.spec_from_file_location("lesson_times", ROOT / "demos" / "lesson_times.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_lesson_times_counts_the_childs_cpu_and_refuses_a_failed_run(tmp_path):
    lesson_times = _lesson_times()
    spin = ("import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass\n"
            "import minigan; print(minigan.__file__)")
    entry = lesson_times.measure([sys.executable, "-c", spin], None, tmp_path / "log", lesson_run=False)
    assert entry["cpu_seconds"] >= 0.3 and entry["cached"] == [] and entry["cores"] >= 1
    assert (tmp_path / "log").read_text().strip() == str(ROOT / "minigan" / "__init__.py")  # this checkout's
    with pytest.raises(SystemExit, match="exit code 3"):
        lesson_times.measure([sys.executable, "-c", "raise SystemExit(3)"], None, tmp_path / "log", lesson_run=False)


def _run_time_paragraph(stem: str) -> str:
    """The lesson's "**Run time:**" paragraph, its comment marks removed, on one line."""
    text = (ROOT / "demos" / f"{stem}.py").read_text(encoding="utf-8")
    found = re.findall(r"^# \*\*Run time:\*\*(.*?)(?=^#\s*$|^\s*$)", text, re.M | re.S)
    assert len(found) == 1, f"{stem}: one **Run time:** paragraph, found {len(found)}"
    return " ".join(found[0].replace("\n#", " ").split())


def test_each_lessons_run_time_paragraph_states_its_measured_cpu_time_and_no_other_time():
    for stem in LESSONS:
        sentence = _run_time_paragraph(stem)
        cpu = re.findall(r"(under 1 s|\d+(?:\.\d+)? s) of CPU", sentence)
        assert cpu == [stated_cpu(TIMES[stem]["cpu_seconds"])], f"{stem}: {sentence}"
        rest = re.sub(r"(under 1 s|\d+(?:\.\d+)? s) of CPU", "", sentence)
        other = re.findall(r"\d[\d,.]*\s*(?:s|seconds?|minutes?|min|hours?)\b", rest)
        assert not other and "wall time was" not in rest, f"{stem}: a time not in the record: {sentence}"
        assert f"demos/lesson_times.py {stem[:2]}" in sentence, f"{stem}: names the command that measured it"


def test_the_pages_are_what_lesson_times_writes_from_the_record():
    """`python demos/lesson_times.py --pages` rewrites nothing: every page states the recorded times."""
    lesson_times = _lesson_times()
    for path, text in lesson_times.pages(TIMES).items():
        assert path.read_text(encoding="utf-8") == text, f"{path}: run python demos/lesson_times.py --pages"


def test_lesson_times_rewrites_every_stated_time_from_a_changed_record():
    lesson_times = _lesson_times()
    changed = {k: dict(v) for k, v in TIMES.items()}
    changed["10_adam_vs_optimistic_adam"].update(cpu_seconds=987.0, user_seconds=986.0, system_seconds=1.0)
    changed["01_autograd_tour"].update(cpu_seconds=0.4)
    changed["reference_cnn"].update(cpu_seconds=42.0)
    pages = {path.name if path.parent.name != "demos" or path.suffix == ".py" else "index": text
             for path, text in lesson_times.pages(changed).items()}
    index = " ".join(pages["index"].split())
    assert "| 987 s |" in pages["index"] or "| 987 s, " in pages["index"]
    assert re.search(r"## 10 · .*?\*\*Time:\*\* 987 s of CPU", index)
    assert "start here: under 1 s of CPU" in index and "about 42 s on a 2-core CPU" in index
    assert "runs the first lesson (under 1 s of CPU)" in " ".join(pages["README.md"].split())
    assert '"digits": "about 42 s"' in pages["classifier.py"]
    assert "**Run time:** 987 s of CPU" in pages["10_adam_vs_optimistic_adam.py"]
    assert "**Run time:** under 1 s of CPU" in pages["01_autograd_tour.py"]


# A time stated anywhere else in a lesson (a comment, a markdown cell, a printed line): "about 20 s", "~40 s of CPU",
# "10 s of CPU each". Only the "Run time" paragraph states one (from the record); a wait is shown by its progress.
STRAY_TIME = re.compile(r"(?:about|~|under|takes|took)\s*\d[\d,.]*\s*(?:s|seconds?|minutes?|min)\b"
                        r"|\d[\d,.]*\s*(?:s|seconds?|minutes?)\s+of\s+CPU")


def test_a_lesson_states_no_time_but_its_recorded_one():
    """Lesson 17 said "about 20 s" and the index "about 9 s" for the same CNN; a fine-tuning "about 10 s of CPU"
    took 40-60 s. A time in a lesson comes from the record (its Run time paragraph, ``FIRST_TRAINING``) or not at
    all."""
    for stem in LESSONS:
        text = (ROOT / "demos" / f"{stem}.py").read_text(encoding="utf-8")
        text = re.sub(r"^# \*\*Run time:\*\*.*?(?=^#\s*$|^\s*$)", "", text, flags=re.M | re.S)
        stray = [m.group(0) for m in STRAY_TIME.finditer(text)]
        assert not stray, f"{stem} states a time the record does not: {stray}"
