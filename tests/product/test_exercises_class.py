"""Running a class on the exercises: ``exercises grade`` re-runs every check on every workspace into a gradebook
(CSV, JSON, Gradescope's results.json), a grader the graded code cannot fool (fake result lines, a swallowed time
limit, a process started, a memory hog, an edited record: each fails only its own exercise, saying why),
the reference solution copied flagged, versions recorded, a GitHub Classroom set-up, and "predict, then measure"
on the learner's own code."""

from __future__ import annotations

import csv
import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time

import pytest

from minigan.cli.main import main as minigan_main
from minigan.exercises import classroom, flags, gradebook, grader, measure, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES
from product.class_submissions import HOSTILE, fill_in, make_class, set_body

# the exercises the hostile workspaces break, and a few around them: enough to see each fail alone, fast
SOME = ["unbroadcast", "backprop", "add_backward", "mul_backward", "exp_backward", "log_backward", "tanh_backward",
        "adam", "sgd"]
KINDS = ["complete", "blank", "partial", "loop", "fork", "fake", "memory", "exit", "record"]
# The grader's inputs of the tests below that call the grader in this process: drawn once a run and shared, as a
# class shares one, so that the library's answers on them are computed once, in one reference process, for every
# exercise those tests grade (the grader keeps them per seed).  The command line's own door (check, grade) still
# draws a seed of its own each time, as does the teacher's workspace graded whole in test_exercises.py.
SEED = secrets.randbits(31)
GRADED = ["unbroadcast", "backprop", "add_backward", "exp_backward", "log_backward", "sigmoid_backward",
          "tanh_backward", "sgd", "rmsprop", "adam"]


def main(argv):
    return minigan_main(["exercises", *argv])


@pytest.fixture(scope="module", autouse=True)
def _reference_once():
    grader.reference(grader.resolve(GRADED), SEED)


def _env():
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    return dict(env, PYTHONPATH=str(workspace.REPO))


@pytest.fixture(scope="module")
def submissions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("class")
    return folder, make_class(folder, KINDS)


def _assert_gradebook_right(book, expected, names):
    assert book["graded_by"] == workspace.VERSION
    by_student = {e["student"]: e for e in book["students"]}
    assert sorted(by_student) == sorted(expected)
    for student, (kind, passes) in expected.items():
        entry = by_student[student]
        got = {r["exercise"]: r for r in entry["results"]}
        assert list(got) == names, student
        wrong = [(n, r["message"]) for n, r in got.items() if r["passed"] != passes[n]]
        assert wrong == [], (student, kind, wrong)
        for r in got.values():
            assert r["points"] == (BY_NAME[r["exercise"]].points if r["passed"] else 0)
            assert r["set"] == BY_NAME[r["exercise"]].set
        assert entry["points"] == sum(r["points"] for r in got.values())
        if kind in HOSTILE:
            exercise, _, why = HOSTILE[kind]
            assert why in got[exercise]["message"], (kind, got[exercise]["message"])


def _grade_a_class_by_its_command(folder, expected, out, capsys):
    """`exercises grade FOLDER` on a class: its gradebooks (JSON, CSV) right for every student, and the report
    flags the record's unconfirmed claims, its other version and the reference copied."""
    assert main(["grade", str(folder), "--names", *SOME, "--csv", str(out / "g.csv"), "--json", str(out / "g.json"),
                 "--timeout", "4", "--memory", "400"]) == 0
    book = json.loads((out / "g.json").read_text())
    names = [e.name for e in EXERCISES if e.name in SOME]
    _assert_gradebook_right(book, {s: (k, p) for s, (k, p) in expected.items()}, names)
    rows = list(csv.DictReader((out / "g.csv").open()))
    assert list(rows[0]) == ["student", "points", "max_points", "passed", "flags", *names]
    assert len(rows) == len(expected)  # one row per student
    for row in rows:
        kind, passes = expected[row["student"]]
        for n in names:
            assert row[n] == str(BY_NAME[n].points if passes[n] else 0), (row, n)
        assert row["points"] == str(sum(BY_NAME[n].points for n in names if passes[n]))
    report = capsys.readouterr().out
    by_kind = {k: s for s, (k, _) in expected.items()}
    record = next(e for e in book["students"] if e["student"] == by_kind["record"])
    assert record["made_by"] == "9.9" and record["version_mismatch"]
    assert set(record["record_claims_unconfirmed"]) == {n for n in names if not expected[by_kind["record"]][1][n]}
    assert "did not confirm" in report and "made by minigan 9.9" in report
    complete = next(e for e in book["students"] if e["student"] == by_kind["complete"])
    assert [m["exercise"] for m in complete["reference_matches"]] == names and not complete["version_mismatch"]
    assert complete["copied_reference"] == [n for n in names if flags.weight(n) == "evidence"]  # (no formula)
    assert "the reference copied" in report


def test_grade_a_small_class_by_its_command(tmp_path, capsys):
    """The command's gradebooks and report on a class of four (complete, blank, partial, an edited record); the
    hostile workspaces each fail only their own exercise in the tests below (one each, graded alone), and all of
    them in one class under -m slow (the test after this one)."""
    _grade_a_class_by_its_command(tmp_path / "class", make_class(tmp_path / "class", ["complete", "blank", "partial",
                                                                                     "record"]),
                                  tmp_path / "book", capsys)


@pytest.mark.slow
def test_grade_a_small_class_each_hostile_workspace_fails_only_its_own_exercise(submissions, tmp_path, capsys):
    """A class with every hostile workspace in it (a loop, a fork, fake lines, a memory hog, an exit) beside the
    others: each fails only its own exercise (13 CPU-s; by default test_grade_a_small_class_by_its_command grades
    the others' class, and each hostile workspace has its own test below)."""
    folder, expected = submissions
    _grade_a_class_by_its_command(folder, expected, tmp_path / "book", capsys)


def test_grade_never_changes_a_submission_and_never_reads_its_grades(submissions, tmp_path):
    folder, expected = submissions
    student = next(s for s, (k, _) in expected.items() if k == "record")
    manifest = (folder / student / workspace.MANIFEST).read_bytes()
    entry = gradebook.grade_student(folder / student, student, ["unbroadcast", "adam"], timeout=5, seed=SEED)
    assert [r["passed"] for r in entry["results"]] == [True, False]  # the record says adam passed
    assert (folder / student / workspace.MANIFEST).read_bytes() == manifest
    (folder / student / workspace.MANIFEST).write_text("{not json")
    try:
        entry = gradebook.grade_student(folder / student, student, ["unbroadcast"], timeout=5, seed=SEED)
        assert entry["results"][0]["passed"] and entry["record_note"] and entry["made_by"] is None
    finally:
        (folder / student / workspace.MANIFEST).write_bytes(manifest)


def test_gradescope_results_json_follows_the_autograder_format(submissions, tmp_path):
    folder, expected = submissions
    student = next(s for s, (k, _) in expected.items() if k == "partial")
    results = tmp_path / "results" / "results.json"
    assert main(["grade", str(folder / student), "--names", "unbroadcast", "backprop", "adam", "--gradescope",
                 str(results), "--csv", str(tmp_path / "g.csv"), "--json", str(tmp_path / "g.json")]) == 0
    data = json.loads(results.read_text())
    assert set(data) >= {"score", "tests"} and isinstance(data["score"], (int, float))
    graded = [t for t in data["tests"] if t.get("visibility") != "hidden"]  # (a hidden one: the teacher's flags)
    assert [t["name"] for t in graded] == ["unbroadcast", "backprop", "adam"]
    assert all(t["max_score"] == 0 and t["output"].startswith("FLAG: ") for t in data["tests"] if t not in graded)
    for t in graded:
        assert set(t) >= {"name", "score", "max_score", "status", "output"}
        assert t["status"] in ("passed", "failed") and t["max_score"] == BY_NAME[t["name"]].points
        assert t["score"] == (t["max_score"] if t["status"] == "passed" else 0)
    assert data["score"] == sum(t["score"] for t in data["tests"])
    assert main(["grade", str(folder), "--gradescope", str(results)]) == 2  # one student only


def test_fake_result_lines_printed_by_the_graded_code_do_not_count(tmp_path):
    make_class(tmp_path, ["fake"])
    root = tmp_path / "s01"
    results, _ = grader.grade(root, ["add_backward", "adam", "sgd"], timeout=10, seed=SEED)
    assert [(n, p) for n, p, _, _ in results] == [("add_backward", True), ("sgd", True), ("adam", False)]
    assert "not written yet" in results[2][2]
    assert not workspace.read_manifest(root)["progress"]["adam"]["passed"]


def test_a_swallowed_time_limit_still_ends_the_exercise_and_fails_it_not_an_earlier_one_that_uses_it(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "exp_backward", HOSTILE["loop"][1])  # the time limit, raised as an exception, is swallowed
    start = time.perf_counter()
    results, _ = grader.grade(root, ["backprop", "exp_backward", "log_backward"], timeout=3, seed=SEED)
    seconds = time.perf_counter() - start
    assert seconds < 30
    # backprop's checks run exp's backward before exp_backward is judged: the time limit finds them stuck there,
    # exp_backward is judged first (and fails), and backprop is graded again with the library's exp
    assert [(n, p) for n, p, _, _ in results] == [("backprop", True), ("exp_backward", False), ("log_backward", True)]
    assert "longer than 3 s" in results[1][2] and "ended its process" in results[1][2]
    print(f"\n{seconds:.1f} s with a 3 s limit")


def test_a_process_the_graded_code_leaves_running_does_not_keep_check_waiting(tmp_path, capfd):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "mul_backward", HOSTILE["fork"][1])
    set_body(root, "div_backward", "import subprocess\nsubprocess.Popen(['sleep', '600'])\n"
                                   "a, b = self.saved_tensors\n(x, y), (need_a, need_b) = self.inputs, "
                                   "self.needs_input_grad\n"
                                   "return (unbroadcast(grad / b, value(x).shape) if need_a else None,\n"
                                   "        unbroadcast(-grad * (a / b) / b, value(y).shape) if need_b else None)")
    # check run in this process (its grading starts the processes the graded code runs in); capfd reads our output
    # through a file: a process left holding a pipe of ours would keep a reader waiting
    status = main(["check", str(root), "add_backward", "mul_backward", "div_backward"])
    lines = capfd.readouterr().out.splitlines()
    assert status == 1
    assert "PASS  add_backward" in lines
    assert any(line.startswith("FAIL  mul_backward: raised PermissionError: the grader does not let graded code "
                               "start processes") for line in lines), lines
    assert any(line.startswith("FAIL  div_backward: raised PermissionError: the grader does not let graded code "
                               "use subprocess.Popen") for line in lines), lines
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-f", "sleep 600"], capture_output=True, text=True).stdout.split()
    assert left == [], "a process the graded code started outlived the grading"


def test_a_memory_hog_fails_only_its_exercise(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "log_backward", HOSTILE["memory"][1])
    results, _ = grader.grade(root, ["exp_backward", "log_backward", "sigmoid_backward"], timeout=30,
                              memory=300 << 20, seed=SEED)
    assert [p for _, p, _, _ in results] == [True, False, True]
    assert "ran out of memory" in results[1][2]


def test_a_workspace_records_the_version_that_made_it_and_check_names_a_mismatch(tmp_path, capsys):
    root = workspace.start(tmp_path / "ws", solutions=True)
    manifest = workspace.read_manifest(root)
    assert manifest["minigan_version"] == workspace.VERSION
    assert main(["check", str(root), "unbroadcast"]) == 0
    assert "made by" not in capsys.readouterr().out
    manifest["minigan_version"] = "0.0.1"
    (root / workspace.MANIFEST).write_text(json.dumps(manifest))
    assert main(["check", str(root), "unbroadcast"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"note: this workspace was made by minigan 0.0.1 and is graded by minigan "
                          f"{workspace.VERSION}")


def test_the_reference_verbatim_is_flagged_up_to_names_and_a_different_solution_is_not(tmp_path):
    root = workspace.start(tmp_path / "ws")
    fill_in(root, "unbroadcast")
    assert gradebook.copied_reference(root, "unbroadcast")
    path = root / "minigan" / "engine" / "graph.py"
    text = path.read_text()
    path.write_text(re.sub(r"\blead\b", "extra", text))
    assert gradebook.copied_reference(root, "unbroadcast"), "renaming a variable does not hide a copy"
    set_body(root, "unbroadcast", "while grad.ndim > len(shape):\n    grad = grad.sum(axis=0)\n"
                                  "for axis, n in enumerate(shape):\n    if n == 1:\n"
                                  "        grad = grad.sum(axis=axis, keepdims=True)\nreturn grad.reshape(shape)")
    assert not gradebook.copied_reference(root, "unbroadcast")
    results, _ = grader.grade(root, ["unbroadcast"], seed=SEED)
    assert results[0][1], results  # (a solution of one's own passes)
    assert not gradebook.copied_reference(root, "adam")  # a stub is not a copy


def test_start_classroom_writes_a_workflow_and_autograding_json_with_the_points(tmp_path, capsys):
    yaml = pytest.importorskip("yaml")
    root = tmp_path / "ws"
    assert main(["start", str(root), "--classroom"]) == 0
    flow = yaml.safe_load((root / classroom.WORKFLOW).read_text())
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    graders = [s for s in steps if s.get("uses") == "classroom-resources/autograding-command-grader@v1"]
    assert [s["with"]["test-name"] for s in graders] == [e.name for e in EXERCISES]
    for step in graders:
        ex = BY_NAME[step["with"]["test-name"]]
        assert step["with"]["max-score"] == ex.points
        assert step["with"]["command"] == f"python -P -m minigan exercises check . {ex.name}"
    reporter = steps[-1]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    runners = reporter["with"]["runners"].split(",")
    assert runners == [s["id"] for s in graders]
    assert sorted(reporter["env"]) == sorted(f"{r.upper()}_RESULTS" for r in runners)
    tests = json.loads((root / classroom.AUTOGRADING).read_text())["tests"]
    assert sum(t["points"] for t in tests) == sum(e.points for e in EXERCISES)
    assert {t["name"]: t["run"] for t in tests}["adam"] == "python -P -m minigan exercises check . adam"
    # the command the workflow runs, run as the workflow runs it: from inside the repository, -P (Python 3.11's
    # option: the workflow sets up a Python that has it, whichever one runs this test)
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert tuple(int(p) for p in str(setup["with"]["python-version"]).split(".")) >= (3, 11)
    if sys.version_info >= (3, 11):
        run = subprocess.run([sys.executable, "-P", "-m", "minigan", "exercises", "check", ".", "unbroadcast"],
                             cwd=root, capture_output=True, text=True, env=_env(), timeout=120)
        assert run.returncode == 1 and "----  unbroadcast: not started (the body of" in run.stdout
    assert main(["start", str(root), "--force", "--classroom"]) == 2  # never overwrites


def test_measure_runs_the_learners_own_code_with_the_rest_filled_in(tmp_path, capfd):
    root = workspace.start(tmp_path / "ws")
    set_body(root, "unbroadcast", "return grad.mean(axis=tuple(range(grad.ndim - len(shape)))).sum(\n"
                                  "    axis=tuple(i for i, n in enumerate(shape) if n == 1), keepdims=True)")
    # the command in this process (its measure runs in a process of its own, which writes to our stdout: capfd)
    status = main(["measure", str(root), "unbroadcast"])
    printed = capfd.readouterr()
    assert status == 0, printed.err
    # the learner's unbroadcast averages over the extra axes: b.grad is 1 (not 3) per element
    assert "tensor([1., 1., 1., 1.])" in printed.out and "[4.]" in printed.out, printed.out
    assert f"{len(EXERCISES) - 1} exercises not written yet ran the reference: node_apply," in printed.out
    # from inside the workspace (where `import minigan` is the learner's copy) the full minigan is the installed one
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    inside = subprocess.run([sys.executable, "-m", "minigan", "exercises", "measure", "unbroadcast"], cwd=root,
                            capture_output=True, text=True, timeout=120, env=env)
    installed = subprocess.run([sys.executable, "-c", "import minigan.exercises.measure"], cwd=tempfile.gettempdir(),
                               env=env, capture_output=True).returncode == 0
    if installed:
        assert inside.returncode == 0, inside.stderr
        assert "tensor([1., 1., 1., 1.])" in inside.stdout
    else:  # (a tree on PYTHONPATH only, never installed): the one-line error says what to run instead
        assert inside.returncode == 2 and "no full minigan found" in inside.stderr, inside.stderr
        assert f"python -m minigan exercises measure {root} unbroadcast" in inside.stderr


@pytest.mark.slow
def test_grade_40_workspaces_and_the_gradebook_is_right_for_all(tmp_path):
    kinds = (["blank"] * 9 + ["partial"] * 12 + ["complete"] * 12
             + ["loop", "fork", "fake", "memory", "exit", "record", "partial"])
    assert len(kinds) == 40
    expected = make_class(tmp_path / "class", kinds)
    out = tmp_path / "book"
    run = subprocess.run([sys.executable, "-m", "minigan", "exercises", "grade", str(tmp_path / "class"), "--csv",
                          str(out / "g.csv"), "--json", str(out / "g.json")], capture_output=True, text=True,
                         env=_env(), cwd=tmp_path, timeout=600)
    assert run.returncode == 0, run.stderr  # (how long it takes: benchmarks/grading_time.py)
    book = json.loads((out / "g.json").read_text())
    _assert_gradebook_right(book, expected, [e.name for e in EXERCISES])


@pytest.mark.slow
def test_grade_300_mixed_workspaces_with_a_progress_bar_and_the_gradebook_is_right_for_all(tmp_path):
    hostile = ["loop", "fork", "fake", "memory", "exit", "record", "forge"]
    kinds = (["blank"] * 75 + ["partial"] * 75 + ["complete"] * 75 + [hostile[i % len(hostile)] for i in range(75)])
    expected = make_class(tmp_path / "class", kinds)
    out = tmp_path / "book"
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "minigan", "exercises", "grade", str(tmp_path / "class"), "--csv",
                          str(out / "g.csv"), "--json", str(out / "g.json"), "--journal", str(out / "journal"),
                          "--jobs", "2"], capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=1800)
    seconds = time.perf_counter() - start
    assert run.returncode == 0, run.stderr[-3000:]
    assert "300/300 graded" in run.stderr and "left" in run.stderr  # the progress bar and its estimate
    print(f"\ngraded 300 workspaces in {seconds:.1f} s on {os.cpu_count()} cores (load {os.getloadavg()[0]:.1f})")
    book = json.loads((out / "g.json").read_text())
    _assert_gradebook_right(book, expected, [e.name for e in EXERCISES])


def test_a_class_grading_resumes_from_its_journal_without_grading_anyone_again(tmp_path, monkeypatch):
    make_class(tmp_path / "class", ["complete", "blank", "partial"])
    folders = gradebook.expand([tmp_path / "class"])
    journal = tmp_path / "journal.jsonl"
    first = gradebook.grade_class(folders[:2], ["unbroadcast", "adam"], jobs=1, journal=journal, seed=SEED)
    with journal.open("a") as f:
        f.write('{"student": "cut short by a cra')  # the line a crash cut short
    graded = []
    real = gradebook.grade_student
    monkeypatch.setattr(gradebook, "grade_student", lambda root, *a, **k: graded.append(root.name) or real(root, *a,
                                                                                                        **k))
    book = gradebook.grade_class(folders, ["unbroadcast", "adam"], jobs=1, journal=journal)
    assert graded == ["s03"]  # only the one not in the journal
    assert [e["points"] for e in book["students"][:2]] == [e["points"] for e in first["students"]]
    assert len(book["students"]) == 3


def test_canvas_and_moodle_gradebooks_have_one_row_per_student_in_their_import_format(submissions, tmp_path):
    folder, expected = submissions
    students = [folder / s for s in sorted(expected)][:3]
    book = gradebook.grade_class(students, ["unbroadcast", "adam"], jobs=2, seed=SEED)
    canvas = list(csv.reader(gradebook.canvas_text(book).splitlines()))
    assert canvas[0][:5] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
    assert len(canvas) == 2 + len(students)  # the header, "Points Possible", a row per student
    assert canvas[1][0] == "Points Possible" and canvas[1][5] == str(book["students"][0]["max_points"])
    assert [int(r[5]) for r in canvas[2:]] == [e["points"] for e in book["students"]]
    moodle = list(csv.DictReader(gradebook.moodle_text(book).splitlines()))
    assert list(moodle[0]) == ["Username", "minigan exercises", "Feedback"]
    assert [int(r["minigan exercises"]) for r in moodle] == [e["points"] for e in book["students"]]


def test_every_flag_reaches_the_report_the_gradebooks_and_gradescope(tmp_path):
    make_class(tmp_path / "class", ["complete", "complete"])
    folders = gradebook.expand([tmp_path / "class"])
    for root in folders:  # the same code of their own in both, different from the library's
        set_body(root, "unbroadcast", "while grad.ndim > len(shape):\n    grad = grad.sum(axis=0)\n"
                                      "for axis, n in enumerate(shape):\n    if n == 1:\n"
                                      "        grad = grad.sum(axis=axis, keepdims=True)\nreturn grad.reshape(shape)")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(gradebook, "SIMILAR_FUNCTIONS", 1)
    try:
        book = gradebook.grade_class(folders, ["unbroadcast", "sgd"], jobs=2, seed=SEED)
    finally:
        monkeypatch.undo()
    assert book["similar"] == [{"students": ["s01", "s02"], "functions": 1, "ratio": 1.0}]
    entry = book["students"][0]
    assert any("the same code as s02" in f for f in entry["flags"])
    assert any("the reference copied" in f for f in entry["flags"])  # sgd, the library's own
    report = gradebook.report(book)
    assert "similar: s01 and s02" in report and "the reference copied" in report
    assert "the same code as s02" in gradebook.csv_text(book)
    assert "the same code as s02" in gradebook.canvas_text(book)
    assert "the same code" not in gradebook.moodle_text(book) and "copied" not in gradebook.moodle_text(book)
    results = gradebook.gradescope(entry)  # Gradescope: the student reads output; a hidden test is the teacher's
    assert "the same code" not in results["output"] and "copied" not in results["output"]
    hidden = [t for t in results["tests"] if t.get("visibility") == "hidden"]
    assert len(hidden) == 1 and hidden[0]["max_score"] == 0
    assert "FLAG: worth a look: the same code as s02" in hidden[0]["output"]


def test_start_points_exercises_at_a_teachers_own_lectures(tmp_path, capsys):
    lectures = tmp_path / "lectures.json"
    lectures.write_text(json.dumps({"backprop": "ML 101, week 3 (A. Teacher), slide 'Reverse mode'"}))
    assert main(["start", str(tmp_path / "ws"), "--lectures", str(lectures)]) == 0
    text = (tmp_path / "ws" / "EXERCISES.md").read_text()
    assert "**Lecture:** ML 101, week 3 (A. Teacher), slide 'Reverse mode'." in text
    section = text.split("`backprop`\n")[1].split("\n### ")[0]
    assert BY_NAME["adam"].lecture in text and BY_NAME["backprop"].lecture not in section
    lectures.write_text(json.dumps({"no_such": "x"}))
    assert main(["start", str(tmp_path / "ws2"), "--lectures", str(lectures)]) == 2
    assert "'no_such', which is no exercise" in capsys.readouterr().err
    assert not (tmp_path / "ws2").exists()


def test_an_endless_loop_at_import_fails_every_exercise_after_the_import_limit(tmp_path, monkeypatch):
    root = workspace.start(tmp_path / "ws", solutions=True)
    init = root / "minigan" / "__init__.py"
    init.write_text(init.read_text() + "\nwhile True:\n    pass\n")
    monkeypatch.setattr(grader, "STARTUP", 3.0)
    start = time.perf_counter()
    results, _ = grader.grade(root, ["unbroadcast", "adam"], timeout=20, seed=SEED)
    assert time.perf_counter() - start < 20
    assert [p for _, p, _, _ in results] == [False, False]
    assert "took too long (importing" in results[0][2]


def test_code_that_kills_the_grading_process_fails_only_its_exercise(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    set_body(root, "sigmoid_backward", "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")
    results, _ = grader.grade(root, ["exp_backward", "sigmoid_backward", "tanh_backward"], timeout=10,
                              seed=SEED)
    assert [p for _, p, _, _ in results] == [True, False, True], results


def test_a_function_renamed_in_the_workspace_fails_only_its_exercise(tmp_path):
    root = workspace.start(tmp_path / "ws", solutions=True)
    path = root / "minigan" / "optim" / "rmsprop.py"
    path.write_text(path.read_text().replace("def _update(", "def _update_mine("))
    results, _ = grader.grade(root, ["sgd", "rmsprop", "adam"], seed=SEED)
    assert [p for _, p, _, _ in results] == [True, False, True], results
    assert "the workspace has no function RMSprop._update in minigan/optim/rmsprop.py" in results[1][2]


def test_a_student_folder_without_a_workspace_gets_a_row_of_zeros(tmp_path):
    workspace.start(tmp_path / "class" / "ann", solutions=True)
    (tmp_path / "class" / "bob").mkdir()  # handed in nothing
    (tmp_path / "class" / ".cache").mkdir()
    folders = gradebook.expand([tmp_path / "class"])
    assert [f.name for f in folders] == ["ann", "bob"]
    book = gradebook.grade_class(folders, ["unbroadcast", "adam"], jobs=2, seed=SEED)
    bob = book["students"][1]
    assert bob["student"] == "bob" and bob["points"] == 0 and len(bob["results"]) == 2
    assert "has no minigan/ package" in bob["results"][0]["message"]
    assert book["students"][0]["points"] == BY_NAME["unbroadcast"].points + BY_NAME["adam"].points
    with pytest.raises(workspace.WorkspaceError, match="neither a workspace nor a folder of workspaces"):
        gradebook.expand([tmp_path / "class" / "bob"])


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["-c", "-m"])
def test_every_measure_command_runs_on_a_fresh_workspace(tmp_path, kind):
    root = workspace.start(tmp_path / "ws")  # nothing written: every exercise runs the reference
    for ex in EXERCISES:
        if measure.command(ex.name).split()[1] != kind:
            continue
        run = subprocess.run([sys.executable, "-m", "minigan", "exercises", "measure", str(root), ex.name],
                             capture_output=True, text=True, env=_env(), cwd=tmp_path, timeout=900)
        assert run.returncode == 0, (ex.name, run.stderr[-2000:])
        assert f"{ex.name} is one of them: you measured the reference" in run.stdout
