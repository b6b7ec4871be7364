"""Make a workspace: a copy of minigan whose exercise bodies are stubs, an EXERCISES.md, and a progress file.

    DIR/minigan/            the package, every exercise's function body replaced by a stub
    DIR/EXERCISES.md        what to write, the lecture it comes from, a hint, a question to predict then measure
    DIR/.exercises.json     which exercises the workspace holds and the last grade of each

The stubs are made from the library's own source (``source.stub``), so with ``solutions=True`` the
workspace IS the library: a teacher's copy in which every exercise passes.
"""

from __future__ import annotations

import datetime
import functools
import json
import os
import shutil
import stat
import tempfile
from pathlib import Path

from minigan import __version__ as VERSION
from minigan.exercises import classroom, source
from minigan.exercises.catalogue import EXERCISES, by_set

MANIFEST = ".exercises.json"
LIBRARY = Path(__file__).resolve().parents[1]  # the minigan package this module belongs to
REPO = LIBRARY.parent  # targets' paths ("minigan/engine/ops/...") are relative to it


# The workspace's own `exercises` command: only a pointer back to the grader, which needs the full minigan
# (the workspace holds no minigan/exercises/).
WORKSPACE_CLI = '''"""This copy of minigan is an exercises workspace: the grader lives in the full minigan.

`python -m minigan exercises measure NAME`, run here, hands the exercise's "predict, then measure" command
to the full minigan that made this workspace, which runs it on this copy (what is not written yet runs
the reference solution).
"""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

MESSAGE = ("this is an exercises workspace, graded by the full minigan: run `python -m minigan exercises check "
           "DIR` from outside this folder (here, `import minigan` is this copy)")


def _workspace():
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        if (folder / ".exercises.json").is_file() and (folder / "minigan" / "__init__.py").is_file():
            return folder
    return None


def _run(args):
    rest = args.rest
    root = _workspace()
    if rest[:1] == ["measure"] and len(rest) == 2 and root is not None:
        try:
            library = json.loads((root / ".exercises.json").read_text(encoding="utf-8")).get("library")
        except (OSError, ValueError):
            library = None
        command = [sys.executable, "-m", "minigan", "exercises", "measure", str(root), rest[1]]
        if library and (Path(library) / "minigan" / "exercises" / "measure.py").is_file():  # the one that made it
            return subprocess.run(command, cwd=library, env=dict(os.environ, PYTHONPATH=library)).returncode
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}  # else the installed one, if any
        found = subprocess.run([sys.executable, "-c", "import minigan.exercises.measure"], cwd=tempfile.gettempdir(),
                               env=env, capture_output=True)
        if found.returncode == 0:
            return subprocess.run(command, cwd=tempfile.gettempdir(), env=env).returncode
        print(f"minigan exercises: error: no full minigan found (not at {library}, not installed); run "
              f"`python -m minigan exercises measure {root} {rest[1]}` with the full minigan", file=sys.stderr)
        return 2
    print(f"minigan exercises: error: {MESSAGE}", file=sys.stderr)
    return 2


def add_parser(subparsers, name="exercises"):
    parser = subparsers.add_parser(name, help="(graded from the full minigan)")
    parser.add_argument("rest", nargs="*")
    parser.set_defaults(run=_run)
    return parser
'''
WORKSPACE_FILES = {"minigan/cli/exercises.py": WORKSPACE_CLI}


class WorkspaceError(ValueError):
    """A workspace folder that cannot be made or read (the message says why and what to do)."""


def library_text(path: str) -> str:
    """The reference source of a target file (``minigan/...py``)."""
    return (REPO / path).read_text(encoding="utf-8")


@functools.lru_cache(maxsize=1)
def _stubbed() -> dict:
    return _stubbed_files(EXERCISES)


def stubbed_files(exercises=EXERCISES) -> dict:
    """{path: text} for every file holding an exercise, with the exercises' bodies stubbed."""
    return dict(_stubbed()) if exercises is EXERCISES else _stubbed_files(exercises)


def _stubbed_files(exercises) -> dict:
    texts = {}
    for ex in exercises:
        for target in ex.targets:
            path, qualname = source.split_target(target)
            text = texts.get(path) or library_text(path)
            texts[path] = source.stub(text, qualname, source.stub_message(ex.name, ex.task))
    return texts


def untouched(text: str, path: str, qualname: str) -> bool:
    """Is ``qualname`` in the workspace's file ``path`` (its ``text``) still its stub?  Read, never run; a file that
    does not parse is asked whether it holds the starter's function as it was handed out, character for character
    (so a syntax error elsewhere in the file costs no untouched exercise a point)."""
    try:
        return source.is_stub(text, qualname)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        starter = stubbed_files().get(path)
        try:
            return starter is not None and source.function_text(starter, qualname) in text
        except (SyntaxError, ValueError):
            return False


def locate(folder) -> Path:
    """The workspace in a student's ``folder``: the folder itself, or its one folder that holds one (a zip unpacked
    with its top folder: ``hank/minigan-course/``); the folder itself when neither (grading then says why)."""
    folder = Path(folder)
    if (folder / "minigan").is_dir() or (folder / MANIFEST).is_file():
        return folder
    try:
        inner = [p for p in folder.iterdir() if p.is_dir() and not p.is_symlink() and not p.name.startswith((".", "__"))
                 and (p / "minigan" / "__init__.py").is_file()]
    except OSError:
        return folder
    return inner[0] if len(inner) == 1 else folder


def status(passed, message) -> str:
    """"passed", "not started" (the stub is still there: nothing was run) or "failed"."""
    return "passed" if passed else "not started" if str(message).startswith(NOT_STARTED) else "failed"


NOT_STARTED = "not written yet"  # (how the grader's message of an untouched exercise starts)


def _ignore(folder, names):
    skip = {"__pycache__"}
    if Path(folder).resolve() == LIBRARY:
        skip.add("exercises")  # the grader stays outside the workspace: it needs the reference source
    if Path(folder).resolve() == LIBRARY / "cli":
        skip.add("exercises.py")  # the workspace's own command is WORKSPACE_CLI
    return [n for n in names if n in skip or n.endswith(".pyc")]


def _planned_files(classroom=False) -> list:
    files = [Path(MANIFEST), Path("EXERCISES.md")] + [Path(p) for p in WORKSPACE_FILES]
    files += [Path(p) for p in (classroom_files() if classroom else {})]
    for path in sorted(LIBRARY.rglob("*")):
        rel = path.relative_to(LIBRARY)
        if path.is_file() and not _ignore(str(path.parent), [path.name]) and rel.parts[0] != "exercises" \
                and "__pycache__" not in rel.parts:
            files.append(Path("minigan") / rel)
    return files


def _planned_parents(classroom=False) -> list:
    """Every folder the workspace's files go in (a link there would be written through)."""
    return sorted({p for f in _planned_files(classroom) for p in f.parents if str(p) != "."})


def classroom_files() -> dict:
    return {path: make() for path, make in classroom.FILES.items()}


def start(folder, solutions=False, force=False, classroom=False, lectures=None) -> Path:
    """Make the workspace in ``folder``; never overwrites a file that is already there.  ``classroom`` adds
    a GitHub Classroom set-up (a workflow and an autograding configuration that run ``exercises check``);
    ``lectures`` ({exercise name: text}) points exercises at the teacher's own lectures in EXERCISES.md."""
    root = Path(folder)
    where, library = Path(os.path.abspath(root)), Path(os.path.abspath(LIBRARY))
    if where == library or library in where.parents or where in library.parents:
        raise WorkspaceError(f"exercises start: {root} is inside the library {LIBRARY} (or holds it): a copy of "
                             "the library into itself never ends; choose a folder outside it")
    if os.path.islink(root):
        raise WorkspaceError(f"exercises start: {root} is a link; give a real folder (a link is never followed)")
    if root.exists() and not root.is_dir():
        raise WorkspaceError(f"exercises start: {root} is a file; give a folder (new or empty)")
    if root.exists() and any(root.iterdir()):
        if not force:
            raise WorkspaceError(f"exercises start: {root} is not empty; choose a new folder, or pass --force to add "
                                 "the workspace beside what is there (no existing file is ever overwritten)")
        clashes = [str(f) for f in _planned_files(classroom) if os.path.lexists(root / f)]
        clashes += [str(f) for f in _planned_parents(classroom) if os.path.islink(root / f)]
        if clashes:
            raise WorkspaceError(f"exercises start: {root} already holds {clashes[0]} (and {len(clashes) - 1} more of "
                                 "the workspace's files); nothing was written, so your work there is untouched")
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(LIBRARY, root / "minigan", ignore=_ignore, dirs_exist_ok=force)
    for path, text in WORKSPACE_FILES.items():
        (root / path).parent.mkdir(exist_ok=True)
        (root / path).unlink(missing_ok=True)
        _write_new(root / path, text)
    if not solutions:
        for path, text in stubbed_files().items():
            (root / path).write_text(text, encoding="utf-8")
    _write_new(root / "EXERCISES.md", exercises_markdown(solutions, lectures))
    for path, text in (classroom_files() if classroom else {}).items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        _write_new(root / path, text)
    manifest = {"format": 1, "solutions": solutions, "created": _now(), "minigan_version": VERSION,
                "exercises": [e.name for e in EXERCISES], "progress": {}}  # (never the library's path)
    _write_new(root / MANIFEST, json.dumps(manifest, indent=1))
    return root


def _now() -> str:
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def read_nofollow(path, limit=64 << 20) -> bytes:
    """A regular file's bytes (at most ``limit``), never through a link, never blocking on a pipe (OSError)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(limit + 1)
    finally:
        os.close(fd)


def read_manifest(folder) -> dict:
    path = Path(folder) / MANIFEST
    if not path.is_file() or os.path.islink(path):
        raise WorkspaceError(f"exercises: {folder} is not an exercises workspace (no {MANIFEST}, or it is a link); "
                             "make one with `exercises start DIR`")
    try:
        manifest = json.loads(read_nofollow(path, 1 << 20).decode("utf-8"))
    except (OSError, ValueError) as e:
        raise WorkspaceError(f"exercises: cannot read {path}: {e}") from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("progress", {}), dict):
        raise WorkspaceError(f"exercises: {path} is not a progress file this version understands")
    manifest.setdefault("progress", {})
    return manifest


def made_by(manifest) -> str | None:
    """The minigan version that made the workspace, as its progress file says (None: made before it said)."""
    version = manifest.get("minigan_version")
    return version if isinstance(version, str) else None


def version_note(manifest) -> str | None:
    """One line when the workspace was made by another minigan than the one grading it (else None)."""
    made = made_by(manifest)
    if made == VERSION:
        return None
    made = f"minigan {made}" if made else "a minigan that did not record its version"
    return (f"note: this workspace was made by {made} and is graded by minigan {VERSION}: an exercise the two "
            "versions define differently may fail; make a new workspace with this minigan and copy your "
            "functions over")


def record(folder, results) -> None:
    """Keep the grades (name → {passed, message}) in the workspace's progress file."""
    manifest = read_manifest(folder)
    for name, passed, message, seconds in results:
        manifest["progress"][name] = {"passed": passed, "message": message, "seconds": round(seconds, 2),
                                      "at": _now()}
    path = Path(folder) / MANIFEST
    if os.path.islink(path):
        raise WorkspaceError(f"exercises: {path} is a link; the grader never writes through a link")
    fd, tmp = tempfile.mkstemp(prefix=".exercises-", suffix=".tmp", dir=folder)  # a new file: never a link
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(json.dumps(manifest, indent=1))
    os.replace(tmp, path)


def _write_new(path, text) -> None:
    """Write ``text`` into a file that must not exist yet (O_EXCL: never through a link, dangling or not)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def read_lectures(path) -> dict:
    """A teacher's own lectures: a JSON object {exercise name: "course, lecturer, slide title" or a link}."""
    try:
        lectures = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise WorkspaceError(f"exercises start: cannot read the lectures file {path}: {e}") from None
    if not isinstance(lectures, dict) or not all(isinstance(v, str) and v.strip() for v in lectures.values()):
        raise WorkspaceError(f"exercises start: {path} must hold a JSON object {{exercise name: lecture text}}")
    unknown = sorted(set(lectures) - {e.name for e in EXERCISES})
    if unknown:
        raise WorkspaceError(f"exercises start: {path} names {unknown[0]!r}, which is no exercise; "
                             "`exercises list` shows them all")
    return lectures


def _hint(ex) -> str:
    """The hint, with the functions an exercise needs written when it is more than one."""
    return f"**Hint:** {ex.hint}" + (f"; it {ex.needs}." if ex.needs else ".")


def exercises_markdown(solutions=False, lectures=None) -> str:
    """EXERCISES.md; ``lectures`` ({name: text}) replaces the catalogue's lecture of those exercises."""
    lectures = lectures or {}
    lines = ["# Exercises: build minigan yourself", "",
             "This folder is a copy of minigan in which the functions below raise `NotImplementedError`"
             + (" (this is a teacher's copy: every function holds its reference solution)." if solutions else "."),
             "Write each body in place (the signature, the docstring and the comment on the `def` line stay),",
             "then grade it from the folder that holds the full minigan (not from inside this one):", "",
             "    python -m minigan exercises check DIR            # everything",
             "    python -m minigan exercises check DIR NAME       # one exercise", "",
             "While one exercise is checked, the functions you have not written yet run the library's code,",
             "so you can work in any order (the lesson order below is the suggested one).", ""]
    number = 0
    for _key, title, exercises in by_set():
        lines += [f"## {title}", ""]
        for ex in exercises:
            number += 1
            question, _, command = ex.predict.partition("measure: ")
            where = ", ".join(f"`{t.replace('::', '` → `')}`" for t in ex.targets)
            lines += [f"### {number}. `{ex.name}`", "", f"**Write:** {where}", "", f"**Task:** {ex.task}.", "",
                      f"**Lecture:** {lectures.get(ex.name, ex.lecture).rstrip('.')}.", "", _hint(ex), "",
                      f"**Predict, then measure:** {question.strip()}", "", "```", command.strip(), "```", "",
                      "Run it on your own code, with what you have not written yet running the reference: "
                      f"`python -m minigan exercises measure {ex.name}` (in this folder).", ""]
    return "\n".join(lines)
