"""The right grade in every workflow a course runs, each written as a failing test before its fix: a week's subset
graded with the journal of a full grading (it wrote a complete student as 106 points against "Points Possible 9"
and dropped the copy flags), a resubmission (the journal kept the old grade, silently), a grading stopped or
failed (Canvas and Moodle files under their final names holding 3 of 8 students), the Moodle feedback a student
reads (it carried the copy flags, never the failed exercises), and docs/teaching.md's commands run as printed."""

from __future__ import annotations

import csv
import json
import re
import secrets
import shlex
from pathlib import Path

import pytest

from minigan.cli.main import main as minigan_main
from minigan.exercises import gradebook, grader, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES
from product.class_submissions import make_class, set_body

SEED = secrets.randbits(31)
WEEK = ["unbroadcast", "node_apply", "topological_order", "backprop"]  # teaching.md's week 1: 9 points
COURSE = WEEK + ["add_backward"]  # the "full course" of these tests (a few seconds, not minutes)
DOCS = Path(workspace.REPO) / "docs" / "teaching.md"


def main(argv):
    return minigan_main(["exercises", *argv])


@pytest.fixture(scope="module", autouse=True)
def _reference_once():
    grader.reference(grader.resolve(COURSE), SEED)


def test_a_week_graded_with_the_full_courses_journal_gives_the_weeks_points_and_flags(tmp_path, capsys):
    make_class(tmp_path / "class", ["complete", "complete"])
    journal = tmp_path / "j.jsonl"
    gradebook.grade_class(gradebook.expand([tmp_path / "class"]), COURSE, jobs=2, journal=journal, seed=SEED)
    out = tmp_path / "out"
    assert main(["grade", str(tmp_path / "class"), "--names", *WEEK, "--journal", str(journal), "--jobs", "2",
                 "--csv", str(out / "w1.csv"), "--json", str(out / "w1.json"), "--canvas", str(out / "c.csv")]) == 0
    week = sum(BY_NAME[n].points for n in WEEK)
    canvas = list(csv.reader((out / "c.csv").open()))
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == str(week)
    assert [r[5] for r in canvas[2:]] == [str(week)] * 2, canvas  # each complete student: the week's points
    rows = list(csv.DictReader((out / "w1.csv").open()))
    assert [(r["points"], r["max_points"]) for r in rows] == [(str(week), str(week))] * 2
    book = json.loads((out / "w1.json").read_text())
    for entry in book["students"]:  # the week's copy flags: its three long functions, the library's own
        assert [r["exercise"] for r in entry["results"]] == WEEK
        assert entry["copied_reference"] == ["unbroadcast", "node_apply", "backprop"]
        assert any("strong evidence: the reference copied in 3" in f for f in entry["flags"]), entry["flags"]
    assert "the reference copied in 3" in canvas[2][6], canvas[2]  # the teacher's notes keep them
    capsys.readouterr()


def test_a_resubmission_replaces_the_old_grade_in_the_journal_with_a_note(tmp_path):
    make_class(tmp_path / "class", ["complete", "complete"])
    folders = gradebook.expand([tmp_path / "class"])
    journal = tmp_path / "j.jsonl"
    first = gradebook.grade_class(folders, ["unbroadcast", "add_backward"], jobs=2, journal=journal, seed=SEED)
    assert [e["passed"] for e in first["students"]] == [2, 2]
    set_body(folders[1], "add_backward", "(a, b) = self.inputs\nreturn grad, grad")  # s02 hands in again
    again = gradebook.grade_class(folders, ["unbroadcast", "add_backward"], jobs=2, journal=journal)
    s01, s02 = again["students"]
    assert s01["passed"] == 2 and "replaces" not in s01  # unchanged: taken from the journal
    assert s02["passed"] == 1, s02["results"]  # graded again: the new code's grade
    assert s02["replaces"]["points"] == first["students"][1]["points"]
    assert any("handed in again" in f for f in s02["flags"]), s02["flags"]
    assert "handed in again" in gradebook.report(again)
    lines = [json.loads(line) for line in journal.read_text().splitlines()[1:]]
    assert sorted(e["student"] for e in lines) == ["s01", "s02"]  # the old grade is gone from the journal
    assert next(e for e in lines if e["student"] == "s02")["passed"] == 1


def _book(students=2, names=("unbroadcast", "add_backward"), flags=()):
    """A gradebook as grade_class makes it, without grading (s02 fails the last exercise and leaves one untouched)."""
    entries = []
    for i in range(students):
        rows = [{"student": f"s{i + 1:02d}", "exercise": n, "set": BY_NAME[n].set, "passed": i == 0 or j == 0,
                 "status": "passed" if i == 0 or j == 0 else "failed", "points": BY_NAME[n].points if i == 0 or j == 0
                 else 0, "message": "" if i == 0 or j == 0 else "wrong gradient"} for j, n in enumerate(names)]
        if i and len(rows) > 2:
            rows[-1].update(status="not started", message=workspace.NOT_STARTED)
        entries.append({"student": f"s{i + 1:02d}", "workspace": f"/x/s{i + 1:02d}", "made_by": workspace.VERSION,
                        "version_mismatch": False, "record_note": None, "points": sum(r["points"] for r in rows),
                        "max_points": sum(BY_NAME[n].points for n in names), "passed": sum(r["passed"] for r in rows),
                        "exercises": len(rows), "seconds": 0.1, "copied_reference": [], "reference_matches": [],
                        "record_claims_unconfirmed": [], "flags": list(flags), "results": rows})
    return {"graded_by": workspace.VERSION, "sandbox": "bubblewrap", "graded_at": "2026-01-01T00:00:00Z", "seed": 1,
            "exercises": [{"name": n, "set": BY_NAME[n].set, "points": BY_NAME[n].points} for n in names],
            "similar": [], "students": entries}


def test_the_moodle_feedback_lists_the_failed_exercises_and_never_the_flags():
    flag = "strong evidence: the reference copied in 3: unbroadcast, node_apply, backprop (...)"
    book = _book(names=("unbroadcast", "add_backward", "mul_backward"), flags=[flag])
    rows = list(csv.DictReader(gradebook.moodle_text(book).splitlines()))
    assert "evidence" not in gradebook.moodle_text(book) and "copied" not in gradebook.moodle_text(book)
    assert "add_backward" in rows[1]["Feedback"] and "mul_backward" in rows[1]["Feedback"], rows[1]
    assert "unbroadcast" not in rows[1]["Feedback"]  # (it passed)
    assert "not started" in rows[1]["Feedback"]
    assert "3 of 3" in rows[0]["Feedback"] and "add_backward" not in rows[0]["Feedback"], rows[0]
    assert flag in gradebook.canvas_text(book) and flag in gradebook.csv_text(book)  # the teacher's files keep them


def _class_of_one(tmp_path):
    workspace.start(tmp_path / "class" / "ann")
    return tmp_path / "class"


@pytest.mark.parametrize("how", ["stopped", "failed"])
def test_a_grading_stopped_or_failed_leaves_no_export_under_its_final_name(tmp_path, monkeypatch, capsys, how):
    folder, out = _class_of_one(tmp_path), tmp_path / "out"
    out.mkdir()
    (out / "canvas.csv").write_text("last week's, whole\n")

    def grade_class(*args, **kwargs):
        if how == "failed":
            raise RuntimeError("the disk is full")
        return dict(_book(students=1), stopped=True)

    monkeypatch.setattr(gradebook, "grade_class", grade_class)
    argv = ["grade", str(folder), "--csv", str(out / "g.csv"), "--json", str(out / "g.json"), "--canvas",
            str(out / "canvas.csv"), "--moodle", str(out / "moodle.csv"), "--journal", str(out / "j.jsonl"),
            "--overwrite"]
    assert main(argv) == (2 if how == "failed" else 130)
    said = capsys.readouterr().err
    assert not (out / "g.csv").exists() and not (out / "moodle.csv").exists() and not (out / "g.json").exists()
    assert (out / "canvas.csv").read_text() == "last week's, whole\n"  # never replaced by part of a class
    assert [p.name for p in out.iterdir() if ".tmp" in p.name] == []
    if how == "stopped":  # what was finished is kept where nobody imports it, and the command that goes on is said
        assert json.loads((out / "g.stopped.json").read_text())["stopped"]
        assert "--journal" in said and "g.stopped.json" in said, said


def test_a_failure_while_writing_the_exports_leaves_none_half_replaced(tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    (out / "canvas.csv").write_text("old\n")

    def broken(book, item="minigan exercises"):
        raise OSError("no space left on device")

    monkeypatch.setattr(gradebook, "moodle_text", broken)
    with pytest.raises(OSError):
        gradebook.write_all(_book(), {"csv": out / "g.csv", "canvas": out / "canvas.csv",
                                      "moodle": out / "moodle.csv"})
    assert sorted(p.name for p in out.iterdir()) == ["canvas.csv"] and (out / "canvas.csv").read_text() == "old\n"


def _grading_commands() -> list:
    """The lines of teaching.md's Grading section's first block, in order."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## Grading"):]
    block = section[section.index("```") + 4:]
    return [line for line in block[:block.index("```")].splitlines() if line.strip()]


def test_teachings_grading_commands_run_as_printed_in_the_order_printed(tmp_path, monkeypatch, capsys):
    """Each command on a class of one, in the order printed, from one folder (the grading itself replaced by a
    book of the exercises asked: what is tested is the command line, its files and its refusals)."""
    workspace.start(tmp_path / "submissions" / "ann")
    monkeypatch.chdir(tmp_path)
    asked = []

    def grade_class(folders, names=None, **kwargs):
        asked.append(names)
        return _book(students=1, names=grader.resolve(names))

    monkeypatch.setattr(gradebook, "grade_class", grade_class)
    commands = _grading_commands()
    assert len(commands) >= 3
    for line in commands:
        argv = shlex.split(line.split("#")[0])
        assert argv[:4] == ["python", "-m", "minigan", "exercises"], line
        assert minigan_main(argv[3:]) == 0, (line, capsys.readouterr().err)
    assert WEEK in asked  # the week's subset is one of them


def _cells(row) -> list:
    return [c.strip() for c in row.strip().strip("|").split("|")]


def _plan():
    """(lesson numbers, exercise names, {row: (exercises, points stated)}) of teaching.md's course plan; "`a` …
    `b`" is every exercise from a to b in the catalogue's order."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## A course plan"):]
    section = section[:section.index("\n## ", 3)]
    order = [e.name for e in EXERCISES]
    lessons, named, rows = set(), [], {}
    for row in (r for r in section.splitlines() if r.startswith("|") and not r.startswith("|---")):
        week, taught, exercises, points = _cells(row)[:4]
        if week == "week":
            continue
        lessons |= {int(n) for n in re.findall(r"(?:^|·)\s*(\d\d)\b", taught)}
        mine = []
        for m in re.finditer(r"`(\w+)`(?:\s*…\s*`(\w+)`)?", exercises):
            a, b = m.group(1), m.group(2)
            mine += order[order.index(a):order.index(b) + 1] if b else [a]
        named += mine
        rows[week] = (mine, points)
    return lessons, named, rows


def test_the_course_plan_covers_every_lesson_and_every_exercise_with_its_points():
    """Every lesson in demos/ and every exercise of the catalogue is in the plan, once, each week's points the sum
    of its exercises' (a lesson or an exercise added later is demanded here)."""
    lessons, named, rows = _plan()
    demos = {int(p.name[:2]) for p in (Path(workspace.REPO) / "demos").glob("[0-9][0-9]_*.py")}
    assert demos - lessons == set(), f"lessons missing from teaching.md's course plan: {sorted(demos - lessons)}"
    missing = [e.name for e in EXERCISES if e.name not in named]
    assert missing == [], f"exercises missing from teaching.md's course plan: {missing}"
    assert len(named) == len(set(named)), "an exercise is planned twice"
    for week, (exercises, points) in rows.items():
        if exercises:
            assert points == str(sum(BY_NAME[n].points for n in exercises)), (week, points)


def test_teachings_start_commands_run_as_printed_in_the_order_printed(tmp_path, monkeypatch, capsys):
    """Every ``exercises start`` line of teaching.md, in order, from a home of their own (the lectures file the
    one before the last names is the JSON the guide shows): a second ``start`` into the folder the first made is
    refused, so each makes its own."""
    text = DOCS.read_text(encoding="utf-8")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    lectures = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    lines = re.findall(r"^python -m minigan exercises start .*$", text, re.M)
    assert len(lines) >= 4, lines
    for line in lines:
        argv = [Path(a).expanduser().as_posix() if a.startswith("~") else a for a in shlex.split(line.split("#")[0])]
        if "--lectures" in argv:
            Path(argv[argv.index("--lectures") + 1]).write_text(json.dumps(lectures))
        assert minigan_main(argv[3:]) == 0, (line, capsys.readouterr().err)
