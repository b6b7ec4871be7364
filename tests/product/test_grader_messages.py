"""What the grader says: what stopped a workspace (a file that does not compile, an import that fails) named by
file and line in the terminal report and in every export, costing only the exercises that need that file; and
messages that show the difference (digits enough to tell the two numbers apart, the tolerance; which option sets
of a check failed and which passed; the helpers an exercise needs)."""

from __future__ import annotations

import json
import secrets

import numpy as np

from minigan.exercises import checks, gradebook, grader, workspace
from minigan.exercises.catalogue import BY_NAME

SEED = secrets.randbits(31)
NAMES = ["unbroadcast", "add_backward", "mul_backward", "sgd"]


def _exports(book) -> dict:
    return {"report": gradebook.report(book), "csv": gradebook.csv_text(book), "canvas": gradebook.canvas_text(book),
            "moodle": gradebook.moodle_text(book), "json": json.dumps(book, ensure_ascii=False),
            "gradescope": json.dumps(gradebook.gradescope(book["students"][0]), ensure_ascii=False)}


def test_a_file_that_does_not_compile_costs_only_its_own_exercises_and_is_named_everywhere(tmp_path):
    root = workspace.start(tmp_path / "class" / "ada", solutions=True)
    path = root / "minigan/engine/ops/elementwise.py"
    lines = path.read_text().splitlines(keepends=True)
    lines.insert(30, "this is not python(\n")
    path.write_text("".join(lines))
    book = gradebook.grade_class([root], NAMES, jobs=1, seed=SEED)
    rows = {r["exercise"]: r for r in book["students"][0]["results"]}
    assert [n for n in NAMES if rows[n]["passed"]] == ["unbroadcast", "sgd"], rows
    for name in ("add_backward", "mul_backward"):
        assert "minigan/engine/ops/elementwise.py does not compile (SyntaxError at line 31" in rows[name]["message"]
    for where, text in _exports(book).items():
        assert "elementwise.py does not compile (SyntaxError at line 31" in text, where


def test_an_import_that_fails_costs_only_its_files_exercises_and_is_named_in_every_export(tmp_path):
    root = workspace.start(tmp_path / "class" / "bob", solutions=True)
    path = root / "minigan/engine/ops/elementwise.py"
    path.write_text(path.read_text() + "\nraise RuntimeError('my own mistake')\n")
    line = len(path.read_text().splitlines())
    book = gradebook.grade_class([root], NAMES, jobs=1, seed=SEED)
    rows = {r["exercise"]: r for r in book["students"][0]["results"]}
    assert [n for n in NAMES if rows[n]["passed"]] == ["unbroadcast", "sgd"], rows
    assert f"elementwise.py fails when imported (at line {line}: raised RuntimeError: my own mistake)" in \
        rows["add_backward"]["message"]
    for where, text in _exports(book).items():
        assert "my own mistake" in text and f"minigan/engine/ops/elementwise.py:{line}" in text, where


def test_a_near_miss_prints_digits_enough_to_tell_the_numbers_apart_and_the_tolerance():
    expected = np.float32(-1.1172237396240234)  # a float32 slip: the value is right to 7 digits
    message = checks.compare("θ", np.array(float(expected) * (1 + 3e-8)), np.array(float(expected), np.float64), "h",
                             rtol=1e-9, atol=1e-12)
    head = message.split(" (off by")[0]
    want, got = head.split("expected ")[1].split(", got ")
    assert want != got and abs(float(want) - float(expected)) < 1e-7, message
    assert "allowed 1e-12 + 1e-09·|expected|" in message, message


def _item(label, index):
    return {"kind": "close", "label": label, "array": index, "more": {"hint": "h", "rtol": 1e-9, "atol": 1e-12}}


def test_a_check_of_several_option_sets_says_which_failed_and_which_passed():
    options = ["{'lr': 0.1}", "{'lr': 0.01, 'amsgrad': True}", "{'lr': 0.01, 'maximize': True}"]
    labels = [f"Adam: θ after each of 6 steps, {o}" for o in options]
    want = ({"items": [_item(label, i) for i, label in enumerate(labels)]},
            {f"a{i}": np.full(3, float(i)) for i in range(3)})
    got = ({"items": [{"kind": "close", "label": label, "array": i} for i, label in enumerate(labels)]},
           {"a0": np.full(3, 0.0), "a1": np.full(3, 1.5), "a2": np.full(3, 2.0)})
    passed, message = grader.decide("adam", got, want)
    assert not passed
    assert "1 of the 3 option sets failed: {'lr': 0.01, 'amsgrad': True}" in message, message
    assert "passed: {'lr': 0.1}; {'lr': 0.01, 'maximize': True}" in message, message


def test_an_exercise_written_in_several_functions_names_them_in_its_hint_and_its_first_failure(tmp_path):
    root = workspace.start(tmp_path / "ws")
    results, _ = grader.grade(root, ["adam"], seed=SEED, record=False)
    needs = "needs 3 functions written: Adam._update, _adam_moments, _adam_direction"
    assert BY_NAME["adam"].needs == needs
    assert needs in results[0][2], results
    assert needs in (root / "EXERCISES.md").read_text()
