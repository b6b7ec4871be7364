"""``exercises {list,start,check,measure,grade}``: the command line of the course.

    python -m minigan exercises list [DIR]                 the sets, and each exercise's status in DIR
    python -m minigan exercises start DIR [--solutions] [--classroom]   make a workspace
    python -m minigan exercises check DIR [NAME ...] [--torch]   grade; last: "N passed, M failed, K not started"
    python -m minigan exercises measure DIR NAME           "predict, then measure" on the workspace's own code
    python -m minigan exercises grade SUBMISSIONS... [--csv F] [--json F] [--overwrite]   grade a class

``add_parser(subparsers, name)`` adds the command to the dispatcher (minigan/cli/main.py); the grading itself is
library code in minigan/exercises/.
"""

from __future__ import annotations

import shlex
import sys
import time
from pathlib import Path

from minigan.cli.outputs import check_file
from minigan.exercises import gradebook, grader, measure, sandbox, workspace
from minigan.exercises.catalogue import by_set


def _list(args) -> int:
    folder = args.dir
    progress = {}
    if folder is not None:
        progress = workspace.read_manifest(folder)["progress"]
    elif Path(workspace.MANIFEST).is_file():
        progress = workspace.read_manifest(".")["progress"]
    number = 0
    for _key, title, exercises in by_set():
        print(f"{title} ({len(exercises)} exercises, {sum(e.points for e in exercises)} points)")
        for ex in exercises:
            number += 1
            p = progress.get(ex.name)
            status = "-" if not isinstance(p, dict) else workspace.status(p.get("passed"), p.get("message", ""))
            print(f"  {number:2d}. {ex.name:<22} {status:<11} {ex.points} pt  "
                  f"{ex.task[:62]}{'...' if len(ex.task) > 62 else ''}")
    if progress:
        passed = sum(1 for p in progress.values() if isinstance(p, dict) and p.get("passed") is True)
        print(f"{passed} of {number} passed")
    if folder is not None or Path(workspace.MANIFEST).is_file():
        for broken in measure.broken(folder or "."):  # (read, never run: the exercises written there cannot pass)
            print(f"{broken}: the exercises written in it fail until it compiles")
    return 0


def _start(args) -> int:
    lectures = workspace.read_lectures(args.lectures) if args.lectures else None
    root = workspace.start(args.dir, solutions=args.solutions, force=args.force, classroom=args.classroom,
                           lectures=lectures)
    kind = "a teacher's workspace (every solution filled in)" if args.solutions else "a workspace"
    print(f"made {kind} in {root}: read {root / 'EXERCISES.md'}, then run "
          f"`python -m minigan exercises check {root}`")
    if args.classroom:
        print(f"with a GitHub Classroom set-up: {root / workspace.classroom.WORKFLOW} and "
              f"{root / workspace.classroom.AUTOGRADING} (set MINIGAN in the workflow to where your course installs "
              "minigan from)")
    return 0


def _check(args) -> int:
    def show(result):
        name, passed, message, seconds = result
        status = workspace.status(passed, message)
        print(f"PASS  {name}" if passed else f"----  {name}: not started {message[len(workspace.NOT_STARTED):].strip()}"
              if status == "not started"
              else f"FAIL  {name}: {message}", flush=True)

    note = workspace.version_note(workspace.read_manifest(args.dir))
    if note:
        print(note, flush=True)
    flags = set()
    results, seconds = grader.grade(args.dir, args.names, on_result=show, torch=args.torch, flags=flags)
    for flag in sorted(flags):
        print(f"note: {flag}")
    passed = sum(1 for r in results if r[1])
    fresh = sum(1 for r in results if workspace.status(r[1], r[2]) == "not started")
    print(f"{passed} passed, {len(results) - passed - fresh} failed, {fresh} not started ({seconds:.1f} s)")
    return 0 if passed == len(results) else 1


def _measure(args) -> int:
    print(f"$ {measure.command(args.name)}", flush=True)
    status, filled = measure.run(args.dir, args.name)
    if filled:
        shown = ", ".join(filled[:5]) + (f" and {len(filled) - 5} more" if len(filled) > 5 else "")
        mine = f"; {args.name} is one of them: you measured the reference" if args.name in filled else ""
        print(f"({len(filled)} exercise{'s' if len(filled) > 1 else ''} not written yet ran the reference: "
              f"{shown}{mine})")
    return status


class _Progress:
    """A progress bar with an estimate of the time left, on stderr, one line redrawn."""

    def __init__(self, total):
        self.total, self.done, self.start = total, 0, time.perf_counter()

    def __call__(self, entry):
        self.done += 1
        spent = time.perf_counter() - self.start
        left = spent / self.done * (self.total - self.done)
        bar = "#" * (30 * self.done // self.total)
        end = "\n" if self.done == self.total else ""
        print(f"\r[{bar:<30}] {self.done}/{self.total} graded, {spent:.0f} s, about {left:.0f} s left  "
              f"(last: {entry['student'][:30]} {entry['points']}/{entry['max_points']})", end=end, file=sys.stderr,
              flush=True)


def _grade(args) -> int:
    folders = gradebook.expand(args.submissions)
    if args.gradescope and len(folders) != 1:
        raise workspace.WorkspaceError(f"exercises grade: --gradescope writes one student's results.json; "
                                       f"{len(folders)} workspaces were given")
    for option in ("csv", "json", "canvas", "moodle", "gradescope", "journal"):  # before minutes of grading
        if getattr(args, option) is not None:
            check_file(getattr(args, option), f"exercises grade: --{option}",
                       "give a file in a folder you can write")
            if option not in ("journal", "gradescope") and not args.overwrite and Path(getattr(args, option)).exists():
                raise workspace.WorkspaceError(f"exercises grade: {getattr(args, option)} (--{option}) is already "
                                               "there, from an earlier grading: add --overwrite to replace it, or "
                                               f"give --{option} another file")
    unboxed = sandbox.why_not()
    if unboxed:
        print(f"exercises grade: {unboxed}: the students' code runs without a sandbox, so one student is graded at "
              "a time (see docs/teaching.md, 'Running students' code safely')", file=sys.stderr)
    start = time.perf_counter()
    book = gradebook.grade_class(folders, args.names, jobs=args.jobs, timeout=args.timeout,
                                 memory=args.memory << 20 if args.memory else None,
                                 on_student=_Progress(len(folders)), journal=args.journal, on_stopping=_stopping)
    print(gradebook.report(book))
    if book.get("stopped"):  # part of a class: never under a name a platform imports (nor replacing a whole one)
        written = gradebook.write_all(book, {"csv": stopped_name(args.csv), "json": stopped_name(args.json)})
        return _stopped(args, book, folders, written)
    written = gradebook.write_all(book, {"csv": args.csv, "json": args.json, "canvas": args.canvas,
                                         "moodle": args.moodle,
                                         "gradescope": args.gradescope if book["students"] else None})
    for path in (args.csv, args.json):  # (what a stopped grading kept, now in the whole gradebook)
        stopped_name(path).unlink(missing_ok=True)
    print(f"graded {len(folders)} workspace{'s' if len(folders) != 1 else ''} with minigan {book['graded_by']} in "
          f"{time.perf_counter() - start:.1f} s; wrote {', '.join(str(p) for p in written)}")
    return 0


def stopped_name(path) -> Path:
    """Where a stopped grading keeps a gradebook of the students finished: ``g.csv`` -> ``g.stopped.csv``."""
    path = Path(path)
    return path.with_name(f"{path.stem}.stopped{path.suffix}")


def _stopping():
    print("\nexercises grade: stopping (Ctrl-C): ending the students being graded; those finished are kept",
          file=sys.stderr, flush=True)


def _stopped(args, book, folders, written) -> int:
    """After Ctrl-C: say what was kept and the command that goes on (the journal holds those finished)."""
    journal = args.journal
    if journal is None:  # (none was asked for: one is written now, so that nobody finished is graded again)
        journal = Path(args.json).with_name(Path(args.json).stem + ".journal.jsonl")
        while journal.exists():
            journal = journal.with_name("_" + journal.name)
        gradebook.write_journal(book, journal)
    again = ["python", "-m", "minigan", "exercises", "grade", *args.submissions]
    for option in ("names",):
        if getattr(args, option):
            again += [f"--{option}", *getattr(args, option)]
    for option in ("csv", "json", "canvas", "moodle", "gradescope", "jobs", "memory"):
        if getattr(args, option) is not None:
            again += [f"--{option}", str(getattr(args, option))]
    if args.timeout != grader.TIMEOUT:
        again += ["--timeout", str(args.timeout)]
    again += ["--journal", str(journal), "--overwrite"]
    done = len(book["students"])
    print(f"exercises grade: stopped: {done} of {len(folders)} student{'s' if len(folders) != 1 else ''} graded, "
          f"those finished written to {', '.join(str(p) for p in written)} and kept in {journal}; no gradebook or "
          f"export was written under its own name; to go on and write them (nobody in the journal is graded "
          f"again):\n  {shlex.join(again)}", file=sys.stderr, flush=True)
    return 130


def _positive(text):
    value = int(text)
    if value < 1:
        raise ValueError(text)
    return value


def add_parser(subparsers, name="exercises"):
    """Add ``exercises`` to a parent parser's subcommands; returns its parser."""
    parser = subparsers.add_parser(name, help="build minigan yourself: exercises graded by property checks",
                                   description="Exercises: write minigan's functions yourself, graded by the "
                                               "property checks that check minigan.")
    sub = parser.add_subparsers(dest="exercises_command", required=True)
    p = sub.add_parser("list", help="the sets, and each exercise's status in a workspace")
    p.add_argument("dir", nargs="?", default=None, help="a workspace (default: the current folder, if it is one)")
    p.set_defaults(run=_list)
    p = sub.add_parser("start", help="make a workspace: minigan with the exercises' bodies stubbed")
    p.add_argument("dir", help="a new or empty folder")
    p.add_argument("--solutions", action="store_true", help="a teacher's workspace, every solution filled in")
    p.add_argument("--force", action="store_true",
                   help="allow a folder that is not empty (files already there are never overwritten)")
    p.add_argument("--classroom", action="store_true",
                   help="add a GitHub Classroom set-up: a workflow and autograding.json that run `exercises check` "
                        "and report each exercise's points")
    p.add_argument("--lectures", metavar="JSON", default=None,
                   help="point exercises at your own lectures: a JSON object {exercise name: \"course, lecturer, "
                        "slide title\" or a link}, shown in EXERCISES.md instead of the built-in citation")
    p.set_defaults(run=_start)
    p = sub.add_parser("check", help="grade a workspace (closing line: N passed, M failed, K not started)")
    p.add_argument("dir", help="the workspace")
    p.add_argument("names", nargs="*", metavar="NAME", help="the exercises to grade (default: all)")
    p.add_argument("--torch", action="store_true",
                   help="also compare with PyTorch where it has the same function, when installed (slower)")
    p.set_defaults(run=_check)
    p = sub.add_parser("measure", help="run an exercise's 'predict, then measure' command on a workspace's own "
                                       "code (what is not written yet runs the reference)")
    p.add_argument("dir", help="the workspace")
    p.add_argument("name", metavar="NAME", help="the exercise")
    p.set_defaults(run=_measure)
    p = sub.add_parser("grade", help="grade a class: every check on every workspace, into a gradebook (CSV, JSON)")
    p.add_argument("submissions", nargs="+", metavar="SUBMISSION",
                   help="a student's workspace, or a folder holding one workspace per student")
    p.add_argument("--names", nargs="+", metavar="NAME", default=None, help="grade only these exercises")
    p.add_argument("--csv", default="gradebook.csv", help="the gradebook, one row per student, each exercise's points "
                                                         "in a column (default: gradebook.csv)")
    p.add_argument("--json", default="gradebook.json", help="the gradebook with versions and flags "
                                                           "(default: gradebook.json)")
    p.add_argument("--gradescope", metavar="RESULTS_JSON", default=None,
                   help="also write Gradescope's results.json for the one submission given "
                        "(in an autograder: /autograder/results/results.json)")
    p.add_argument("--canvas", metavar="CSV", default=None, help="also write Canvas's gradebook import CSV")
    p.add_argument("--moodle", metavar="CSV", default=None, help="also write Moodle's grade import CSV")
    p.add_argument("--journal", metavar="FILE", default=None,
                   help="append each graded student to FILE; run again with the same FILE after a crash to resume "
                        "without grading anyone twice")
    p.add_argument("--overwrite", action="store_true",
                   help="replace gradebooks already there (by default grade refuses, before grading anyone)")
    p.add_argument("--jobs", type=_positive, default=None, help="workspaces graded at once (default: CPU cores)")
    p.add_argument("--timeout", type=float, default=grader.TIMEOUT,
                   help=f"seconds one exercise may take before its process is ended (default {grader.TIMEOUT:g})")
    p.add_argument("--memory", type=_positive, default=None, metavar="MB",
                   help=f"address space of each grading process (default {grader.MEMORY >> 20})")
    p.set_defaults(run=_grade)
    return parser
