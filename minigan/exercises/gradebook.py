"""Grade a class: every check re-run on every student's workspace, into a gradebook.

``grade_class(folders)`` grades each submission with ``grader.grade`` (fresh processes, time and memory
limits, nothing read from or written to the workspace's own record of results) and returns the book:
one row per student and exercise (student, exercise, set, passed, points, message), the minigan version
that graded and the one that made each workspace, and, for the teacher, the functions that are the
library's reference solution verbatim (``copied_reference``) and the passes a workspace's record claims
that the grader did not confirm.  ``write_csv``, ``write_json`` and ``gradescope`` write it out.
"""

from __future__ import annotations

import ast
import csv
import datetime
import functools
import io
import json
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from minigan.exercises import grader, source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES

FIELDS = ("student", "exercise", "set", "passed", "points", "message")


# ----------------------------------------------------------------------------- the reference, verbatim
class _Names(ast.NodeTransformer):
    """Rename every variable and argument to v0, v1, ... in order of first appearance (attributes keep theirs)."""

    def __init__(self):
        self.names = {}

    def _new(self, name):
        return self.names.setdefault(name, f"v{len(self.names)}")

    def visit_Name(self, node):
        node.id = self._new(node.id)
        return node

    def visit_arg(self, node):
        node.arg = self._new(node.arg)
        node.annotation = None
        return node


def _normal_form(text: str, qualname: str):
    """The function's body after its docstring, names normalised, as a string (None: no such function)."""
    try:
        fn = source.find_function(ast.parse(text), qualname)
    except SyntaxError:
        return None
    if fn is None:
        return None
    fn.name, fn.decorator_list, fn.returns = "f", [], None
    fn.body = source.body_statements(fn) or [ast.Pass()]
    return ast.dump(_Names().visit(fn), annotate_fields=False)


_PARSING = threading.Lock()  # CPython 3.11's parser is not safe to run in two threads at once (a SystemError)


@functools.lru_cache(maxsize=None)
def _reference_form(path, qualname):
    return _normal_form(workspace.library_text(path), qualname)


def copied_reference(root, exercise) -> bool:
    """Is every function of ``exercise`` in the workspace ``root`` the library's own, up to the names of its
    variables (equal syntax trees once names are normalised; comments, docstrings and layout never count)?"""
    for target in BY_NAME[exercise].targets:
        path, qualname = source.split_target(target)
        try:
            mine = (Path(root) / path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        with _PARSING:
            a, b = _normal_form(mine, qualname), _reference_form(path, qualname)
        if a is None or a != b:
            return False
    return True


# ----------------------------------------------------------------------------- grading
def _read_record(root: Path) -> tuple:
    """(the version that made the workspace or None, the passes its record claims, a note or None); never
    trusted for a grade, and a missing or unreadable record does not stop grading."""
    try:
        manifest = workspace.read_manifest(root)
    except workspace.WorkspaceError as e:
        return None, set(), str(e)
    claims = {name for name, p in manifest["progress"].items() if isinstance(p, dict) and p.get("passed") is True}
    return workspace.made_by(manifest), claims, None


def student_names(folders) -> list:
    """A name for each submission: its folder's name, with its parent's too where two share a name."""
    paths = [Path(f).resolve() for f in folders]
    names = [p.name for p in paths]
    return [f"{p.parent.name}/{p.name}" if names.count(p.name) > 1 else p.name for p in paths]


def expand(paths) -> list:
    """The workspaces among ``paths``: a workspace itself, or a folder of workspaces (each of its folders is a
    student's, even one that holds no workspace)."""
    found = []
    for path in map(Path, paths):
        if (path / "minigan" / "__init__.py").is_file() or (path / workspace.MANIFEST).is_file():
            found.append(path)
        elif path.is_dir():  # one folder per student; one without a workspace in it gets no points, not no row
            inner = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
            if not any((p / "minigan" / "__init__.py").is_file() for p in inner):
                raise workspace.WorkspaceError(f"exercises grade: {path} is neither a workspace nor a folder of "
                                               "workspaces (no minigan/ package in it or in its folders)")
            found += inner
        else:
            raise workspace.WorkspaceError(f"exercises grade: {path} is not a folder")
    return found


def grade_student(root, name, names=None, timeout=grader.TIMEOUT, memory=None) -> dict:
    """One student's entry of the gradebook (see ``grade_class``)."""
    root = Path(root).resolve()
    made_by, claims, note = _read_record(root)
    try:
        results, seconds = grader.grade(root, names, timeout=timeout, memory=memory, record=False)
    except workspace.WorkspaceError as e:  # no minigan/ package: nothing to grade
        results, seconds = [(n, False, str(e), 0.0) for n in grader.resolve(names)], 0.0
    rows = []
    for exercise, passed, message, _ in results:
        ex = BY_NAME[exercise]
        rows.append({"student": name, "exercise": exercise, "set": ex.set, "passed": passed,
                     "points": ex.points if passed else 0, "message": message})
    copied = [r["exercise"] for r in rows if r["passed"] and copied_reference(root, r["exercise"])]
    unconfirmed = sorted(claims & {r["exercise"] for r in rows if not r["passed"]},
                         key=[e.name for e in EXERCISES].index)
    return {"student": name, "workspace": str(root), "made_by": made_by,
            "version_mismatch": made_by != workspace.VERSION, "record_note": note,
            "points": sum(r["points"] for r in rows), "max_points": sum(BY_NAME[r["exercise"]].points for r in rows),
            "passed": sum(r["passed"] for r in rows), "exercises": len(rows), "seconds": round(seconds, 2),
            "copied_reference": copied, "record_claims_unconfirmed": unconfirmed, "results": rows}


def grade_class(folders, names=None, jobs=None, timeout=grader.TIMEOUT, memory=None, on_student=None) -> dict:
    """The gradebook of the workspaces ``folders``, graded ``jobs`` at a time (default: one per CPU core)."""
    folders = list(folders)
    students = student_names(folders)
    jobs = max(1, jobs or os.cpu_count() or 1)

    def one(i):
        entry = grade_student(folders[i], students[i], names, timeout, memory)
        if on_student:
            on_student(entry)
        return entry

    with ThreadPoolExecutor(jobs) as pool:
        entries = list(pool.map(one, range(len(folders))))
    return {"graded_by": workspace.VERSION,
            "graded_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "exercises": [{"name": BY_NAME[n].name, "set": BY_NAME[n].set, "points": BY_NAME[n].points}
                          for n in grader.resolve(names)],
            "students": entries}


# ----------------------------------------------------------------------------- writing it out
def _write(path, text) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="")
    tmp.replace(path)
    return path


def csv_text(book) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    for entry in book["students"]:
        for row in entry["results"]:
            writer.writerow({**row, "passed": int(row["passed"])})
    return out.getvalue()


def write_csv(book, path) -> Path:
    """One row per student and exercise: student, exercise, set, passed (1/0), points, message."""
    return _write(path, csv_text(book))


def write_json(book, path) -> Path:
    return _write(path, json.dumps(book, indent=1, ensure_ascii=False) + "\n")


def gradescope(entry) -> dict:
    """One student's ``results.json`` in Gradescope's autograder format (score, output, tests with name,
    number, score, max_score, status, output, tags)."""
    tests = []
    for i, row in enumerate(entry["results"], 1):
        ex = BY_NAME[row["exercise"]]
        tests.append({"name": row["exercise"], "number": str(i), "score": row["points"], "max_score": ex.points,
                      "status": "passed" if row["passed"] else "failed",
                      "output": "passed" if row["passed"] else row["message"], "tags": [ex.set]})
    notes = [f"graded by minigan {workspace.VERSION}"]
    if entry["version_mismatch"]:
        notes.append(f"the workspace was made by minigan {entry['made_by'] or '(unrecorded)'}")
    return {"score": entry["points"], "output": "; ".join(notes), "execution_time": round(entry["seconds"]),
            "stdout_visibility": "hidden", "tests": tests}


def write_gradescope(entry, path) -> Path:
    return _write(path, json.dumps(gradescope(entry), indent=1, ensure_ascii=False) + "\n")


def report(book) -> str:
    """The teacher's report: a line per student, then what to look at (copied solutions, edited records,
    workspaces made by another version)."""
    lines = []
    for e in book["students"]:
        flags = []
        copied = e["copied_reference"]
        if copied:
            shown = ", ".join(copied[:5]) + (f" and {len(copied) - 5} more" if len(copied) > 5 else "")
            flags.append(f"the reference verbatim in {len(copied)}: {shown}")
        if e["record_claims_unconfirmed"]:
            n = len(e["record_claims_unconfirmed"])
            flags.append(f"its record claims {n} pass{'es' if n > 1 else ''} the grader did not confirm")
        if e["version_mismatch"]:
            flags.append(f"made by minigan {e['made_by'] or '(unrecorded)'}")
        if e["record_note"]:
            flags.append("no readable record")
        lines.append(f"{e['student']}: {e['points']}/{e['max_points']} points, {e['passed']}/{e['exercises']} "
                     f"exercises" + (f"  [{'; '.join(flags)}]" if flags else ""))
    return "\n".join(lines)
