"""Every grade right (issue 99), each wrong grade written here as a test before its fix.

* a weekly subset failed a correct ``add_backward`` with "took longer than 10 s" when the loop was in the
  student's ``topological_order``, outside the subset and never named (and a crash there, the same);
* (kept as a guard, it passed before: a crash in an exercise's function not judged yet, met by an earlier
  exercise's checks, is charged to its own exercise by the grading again of the failed ones);
* a workspace one folder down (a zip unpacked with its top folder) scored 0 with empty notes in every export;
* ``exercises list`` showed untouched exercises as "failed", and a syntax error in one file added FAIL lines for
  the untouched exercises in it; ``measure`` printed a raw traceback for another file's syntax error;
* ``grade`` overwrote the previous gradebook unasked.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from minigan.exercises import gradebook, grader, workspace
from minigan.exercises.catalogue import BY_NAME
from product.class_submissions import set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the learner's process is run as on Linux")
SEED = secrets.randbits(31)
WEEK = ["add_backward", "mul_backward", "log_backward"]  # a weekly subset, as docs/teaching.md shows


def _env():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return dict(env, PYTHONPATH=str(workspace.REPO))


@pytest.mark.parametrize("bad", ["while True:\n    pass", "import os\nos._exit(3)", "return list(reversed(roots))"])
def test_a_bug_outside_a_subset_never_fails_the_exercises_asked(tmp_path, bad):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "topological_order", bad)
    results, _ = grader.grade(root, WEEK, timeout=4, seed=SEED, record=False)
    assert [n for n, p, _, _ in results if not p] == [], results


def test_a_crash_in_a_function_not_judged_yet_is_charged_to_its_own_exercise(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "add_backward", "import os\nos._exit(3)")  # (backprop's and accumulate's checks add)
    results, _ = grader.grade(root, ["backprop", "accumulate", "add_backward"], timeout=4, seed=SEED, record=False)
    verdicts = {n: (p, m) for n, p, m, _ in results}
    assert verdicts["backprop"][0] and verdicts["accumulate"][0], verdicts
    assert not verdicts["add_backward"][0] and "ended" in verdicts["add_backward"][1], verdicts


def test_a_workspace_one_folder_down_is_found_and_a_folder_without_one_says_why_in_every_export(tmp_path):
    folder = tmp_path / "class"
    workspace.start(folder / "hank" / "minigan-course", solutions=True)  # a zip unpacked with its top folder
    workspace.start(folder / "ann", solutions=True)
    (folder / "bob").mkdir()
    (folder / "bob" / "notes.txt").write_text("I ran out of time\n")
    folders = gradebook.expand([folder])
    book = gradebook.grade_class(folders, ["unbroadcast"], jobs=2, seed=SEED)
    by = {e["student"]: e for e in book["students"]}
    assert set(by) == {"ann", "bob", "hank"}, set(by)
    assert by["hank"]["points"] == by["ann"]["points"] == BY_NAME["unbroadcast"].points, by["hank"]
    exports = {"csv": gradebook.csv_text(book), "canvas": gradebook.canvas_text(book),
               "moodle": gradebook.moodle_text(book), "report": gradebook.report(book)}
    for where, text in exports.items():
        row = next(line for line in text.splitlines() if "bob" in line)
        assert "no workspace" in row, (where, row)


def test_list_shows_untouched_exercises_as_not_started(tmp_path, capsys):
    from minigan.cli.main import main
    root = workspace.start(tmp_path / "ws")
    set_body(root, "add_backward", "return None, None")
    grader.grade(root, ["unbroadcast", "add_backward"], seed=SEED)
    capsys.readouterr()
    main(["exercises", "list", str(root)])
    lines = {line.split()[1]: line for line in capsys.readouterr().out.splitlines() if line[:4].strip().rstrip(".")
             .isdigit()}
    assert "not started" in lines["unbroadcast"] and "failed" not in lines["unbroadcast"], lines["unbroadcast"]
    assert "failed" in lines["add_backward"], lines["add_backward"]


def _broken_elementwise(root: Path) -> None:
    """add_backward written with a syntax error; the file's other exercises untouched."""
    set_body(root, "add_backward", "return grad grad")


def test_list_names_a_file_that_does_not_compile(tmp_path, capsys):
    from minigan.cli.main import main
    root = workspace.start(tmp_path / "ws")
    _broken_elementwise(root)
    main(["exercises", "list", str(root)])
    out = capsys.readouterr().out
    assert "minigan/engine/ops/elementwise.py does not compile (SyntaxError at line" in out, out[-2000:]


def test_a_syntax_error_costs_only_the_exercises_written_in_its_file_in_check(tmp_path, capsys):
    from minigan.cli.main import main
    root = workspace.start(tmp_path / "ws")
    _broken_elementwise(root)
    status = main(["exercises", "check", str(root), "add_backward", "mul_backward", "unbroadcast"])
    out = capsys.readouterr().out
    assert status == 1
    lines = {line.split()[1].rstrip(":"): line for line in out.splitlines() if line.split()[:1] in (
        ["PASS"], ["FAIL"], ["----"])}
    assert "elementwise.py does not compile (SyntaxError at line" in lines["add_backward"], out
    assert "does not compile" not in lines["mul_backward"] and "not started" in lines["mul_backward"], out
    assert "not started" in lines["unbroadcast"], out


def test_measure_names_a_file_that_does_not_compile_in_one_line_never_a_traceback(tmp_path):
    root = workspace.start(tmp_path / "ws")
    _broken_elementwise(root)
    done = subprocess.run([sys.executable, "-m", "minigan", "exercises", "measure", str(root), "sgd"],
                          capture_output=True, text=True, env=_env(), timeout=300)
    said = done.stdout + done.stderr
    assert "Traceback" not in said, said[-3000:]
    assert "minigan/engine/ops/elementwise.py does not compile (SyntaxError at line" in said, said[-3000:]


def test_grade_never_overwrites_a_gradebook_unasked(tmp_path):
    folder = tmp_path / "class"
    workspace.start(folder / "ann", solutions=True)
    out = tmp_path / "out"
    out.mkdir()
    (out / "g.json").write_text('{"kept": true}')
    args = [sys.executable, "-m", "minigan", "exercises", "grade", str(folder), "--names", "unbroadcast",
            "--csv", str(out / "g.csv"), "--json", str(out / "g.json")]
    done = subprocess.run(args, capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=300)
    assert done.returncode != 0 and "g.json" in done.stderr and "--overwrite" in done.stderr, done.stderr[-2000:]
    assert json.loads((out / "g.json").read_text()) == {"kept": True} and not (out / "g.csv").exists()
    done = subprocess.run(args + ["--overwrite"], capture_output=True, text=True, env=_env(), cwd=tmp_path,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads((out / "g.json").read_text())["students"][0]["passed"] == 1


def test_an_endless_loop_is_charged_to_its_exercise_and_the_place_is_named(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "topological_order", "while True:\n    pass")
    results, _ = grader.grade(root, ["topological_order", "backprop", "add_backward"], timeout=3, seed=SEED,
                              record=False)
    verdicts = {n: (p, m) for n, p, m, _ in results}
    assert verdicts["backprop"][0] and verdicts["add_backward"][0], verdicts
    assert not verdicts["topological_order"][0], verdicts
    assert "in minigan/engine/walk.py::topological_order" in verdicts["topological_order"][1], verdicts
