"""``exercises {list,start,check}``: the command line of the course.

    python -m minigan exercises list [DIR]                 the sets, and each exercise's status in DIR
    python -m minigan exercises start DIR [--solutions]    make a workspace (a teacher's one with --solutions)
    python -m minigan exercises check DIR [NAME ...] [--torch]   grade; the last line is "N passed, M failed"

``add_parser(subparsers, name)`` adds the command to the dispatcher (minigan/cli/main.py); the grading itself is
library code in minigan/exercises/.
"""

from __future__ import annotations

from pathlib import Path

from minigan.exercises import grader, workspace
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
        print(f"{title} ({len(exercises)})")
        for ex in exercises:
            number += 1
            p = progress.get(ex.name)
            status = "-" if p is None else ("passed" if p["passed"] else "failed")
            print(f"  {number:2d}. {ex.name:<22} {status:<7} {ex.task[:70]}{'...' if len(ex.task) > 70 else ''}")
    if progress:
        passed = sum(1 for p in progress.values() if p["passed"])
        print(f"{passed} of {number} passed")
    return 0


def _start(args) -> int:
    root = workspace.start(args.dir, solutions=args.solutions, force=args.force)
    kind = "a teacher's workspace (every solution filled in)" if args.solutions else "a workspace"
    print(f"made {kind} in {root}: read {root / 'EXERCISES.md'}, then run "
          f"`python -m minigan exercises check {root}`")
    return 0


def _check(args) -> int:
    def show(result):
        name, passed, message, seconds = result
        print(f"PASS  {name}" if passed else f"FAIL  {name}: {message}", flush=True)

    results, seconds = grader.grade(args.dir, args.names, on_result=show, torch=args.torch)
    passed = sum(1 for r in results if r[1])
    print(f"{passed} passed, {len(results) - passed} failed ({seconds:.1f} s)")
    return 0 if passed == len(results) else 1


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
    p.set_defaults(run=_start)
    p = sub.add_parser("check", help="grade a workspace (closing line: N passed, M failed)")
    p.add_argument("dir", help="the workspace")
    p.add_argument("names", nargs="*", metavar="NAME", help="the exercises to grade (default: all)")
    p.add_argument("--torch", action="store_true",
                   help="also compare with PyTorch where it has the same function, when installed (slower)")
    p.set_defaults(run=_check)
    return parser

