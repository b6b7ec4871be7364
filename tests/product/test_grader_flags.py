"""Flags a teacher can weigh (issue 99), written before the change: honest one-liners (``return (grad * out,)``,
``grad * (1 - t * t)``) were flagged "the reference copied" and the flag went into Canvas's Notes as if it were
evidence; no flag said how strong it was or why."""

from __future__ import annotations

import json
import secrets
import sys

import pytest

from minigan.exercises import gradebook, workspace
from minigan.exercises.catalogue import EXERCISES
from product.class_submissions import fill_in, set_body

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the learner's process is run as on Linux")
SEED = secrets.randbits(31)
FORMULAS = ["exp_backward", "tanh_backward", "sigmoid_backward", "reshape_backward", "log_backward"]
STRENGTHS = ("strong evidence: ", "worth a look: ", "weak evidence: ", "for information: ")


def test_honest_one_line_formulas_are_never_flagged_as_the_reference_copied(tmp_path):
    root = workspace.start(tmp_path / "class" / "ann")
    for name in FORMULAS:  # the library's own one-liners: what every honest student writes
        fill_in(root, name)
    entry = gradebook.grade_class([root], FORMULAS, jobs=1, seed=SEED)["students"][0]
    assert entry["passed"] == len(FORMULAS), entry["results"]
    assert entry["copied_reference"] == [], entry["copied_reference"]
    assert not any("copied" in f for f in entry["flags"]), entry["flags"]
    assert {m["exercise"] for m in entry["reference_matches"]} == set(FORMULAS)
    assert {m["weight"] for m in entry["reference_matches"]} == {"a formula"}


def test_a_copy_of_long_functions_is_flagged_strong_saying_why(tmp_path):
    root = workspace.start(tmp_path / "class" / "bob", solutions=True)
    names = ["backprop", "accumulate", "adam", "tanh_backward"]
    entry = gradebook.grade_class([root], names, jobs=1, seed=SEED)["students"][0]
    flag = next(f for f in entry["flags"] if "the reference copied" in f)
    assert flag.startswith("strong evidence: "), flag
    assert "backprop" in flag and "adam" in flag and "tanh_backward" not in flag, flag
    assert "syntax nodes" in flag, flag  # why: how much matched
    assert sorted(entry["copied_reference"]) == sorted(["backprop", "accumulate", "adam"])


def test_every_flag_in_every_export_says_how_strong_it_is(tmp_path):
    folder = tmp_path / "class"
    a = workspace.start(folder / "a", solutions=True)
    b = workspace.start(folder / "b")
    names = [e.name for e in EXERCISES if e.set == "autodiff"]
    for name in names:
        fill_in(b, name)
    set_body(b, "unbroadcast", "import subprocess\nreturn grad")  # a scan hit, and a failure
    (b / "minigan" / "lnk.py").symlink_to("/etc/hostname")
    manifest = json.loads((b / workspace.MANIFEST).read_text())
    manifest["progress"] = {"unbroadcast": {"passed": True, "message": "", "seconds": 0.1}}
    (b / workspace.MANIFEST).write_text(json.dumps(manifest))
    book = gradebook.grade_class([a, b], names, jobs=2, seed=SEED)
    flags = [f for e in book["students"] for f in e["flags"]]
    assert len(flags) >= 4, flags
    for flag in flags:
        assert flag.startswith(STRENGTHS) and "(" in flag, flag
    for text in (gradebook.csv_text(book), gradebook.canvas_text(book)):
        for flag in flags:
            assert flag.split(" (")[0][:60] in text
    for flag in flags:  # the feedback a student reads: only what happened, never what weighs evidence
        said = flag.split(": ", 1)[1].split(" (")[0][:60]  # (the flag without its weight)
        assert (said in gradebook.moodle_text(book)) == flag.startswith("for information"), flag
