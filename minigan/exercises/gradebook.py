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
import copy
import csv
import datetime
import functools
import hashlib
import io
import json
import os
import re
import secrets
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from minigan.exercises import copies, grader, sandbox, source, workspace
from minigan.exercises import flags as flags_
from minigan.exercises.catalogue import BY_NAME, EXERCISES

FIELDS = ("student", "exercise", "set", "passed", "status", "points", "message")  # (status: passed, failed or
# not started: the stub still there)


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


class _Plain(ast.NodeTransformer):
    """Drop what never changes behaviour: docstrings, ``pass`` beside other statements, annotations."""

    def generic_visit(self, node):
        super().generic_visit(node)
        for field in ("body", "orelse", "finalbody"):
            body = getattr(node, field, None)
            if isinstance(body, list) and body and isinstance(body[0], ast.stmt):
                kept = [b for b in body if not isinstance(b, ast.Pass)
                        and not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))]
                setattr(node, field, _canonical_order(kept) or [ast.Pass()])
        return node

    def visit_AnnAssign(self, node):
        if node.value is None:
            return None
        return ast.copy_location(ast.Assign(targets=[node.target], value=node.value), node)


def _names(node, kind):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, kind)}


def _movable(stmt) -> bool:
    """An assignment to names: for telling copies apart, its place among its neighbours only matters through the
    names it reads and writes (a call in it may have effects, but the same calls in another order are a copy)."""
    return isinstance(stmt, ast.Assign) and not any(isinstance(n, (ast.Await, ast.Yield, ast.NamedExpr))
                                                    for n in ast.walk(stmt)) \
        and all(isinstance(t, (ast.Name, ast.Tuple)) for t in stmt.targets)


def _key(stmt) -> str:
    return re.sub(r"Name\(id='[^']*'", "Name(id=''", ast.dump(stmt))


def _canonical_order(body) -> list:
    """Sort runs of independent plain assignments (neither reads nor writes what the other writes)."""
    body = list(body)
    changed = True
    while changed:
        changed = False
        for i in range(len(body) - 1):
            a, b = body[i], body[i + 1]
            if not (_movable(a) and _movable(b)):
                continue
            wa, wb = _names(a, ast.Store), _names(b, ast.Store)
            ra, rb = _names(a, ast.Load), _names(b, ast.Load)
            if wa & (wb | rb) or wb & ra:
                continue
            if _key(b) < _key(a):
                body[i], body[i + 1] = b, a
                changed = True
    return body


def _normal_form(text: str, qualname: str):
    """The function's body after its docstring, names normalised, as a string (None: no such function)."""
    try:
        fn = source.find_function(source.parse(text), qualname)
    except SyntaxError:
        return None
    if fn is None:
        return None
    return _node_form(fn)


def _node_form(fn):
    """``_normal_form`` of a ``FunctionDef`` node (left as it is)."""
    fn = copy.deepcopy(fn)  # (the parsed tree is shared)
    fn.name, fn.decorator_list, fn.returns = "f", [], None
    fn.body = source.body_statements(fn) or [ast.Pass()]
    fn = _Plain().visit(fn)
    return ast.dump(_Names().visit(fn), annotate_fields=False)


_PARSING = source.PARSING
_FORMS = {}  # (sha256 of a source, qualname) → its normal form: a file many workspaces share is normalised once
_FORMS_KEPT = 1 << 14


def _form(text: str, qualname: str):
    """``_normal_form``, cached by the text's hash (never by its path: a file that changed is normalised again)."""
    key = (hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), qualname)
    if key not in _FORMS:
        with _PARSING:
            form = _normal_form(text, qualname)
        if len(_FORMS) >= _FORMS_KEPT:
            _FORMS.clear()
        _FORMS[key] = form
    return _FORMS[key]


@functools.lru_cache(maxsize=None)
def _library_text(path):
    return workspace.library_text(path)


@functools.lru_cache(maxsize=None)
def _library_or_empty(path):
    """The library's text of ``path``, or the workspace's own file the library's command line holds, or ""."""
    try:
        return workspace.WORKSPACE_FILES.get(path) or workspace.library_text(path)
    except OSError:
        return ""


@functools.lru_cache(maxsize=None)
def _reference_form(path, qualname):
    return _normal_form(workspace.library_text(path), qualname)


def copied_reference(root, exercise) -> bool:
    """Is every function of ``exercise`` in the workspace ``root`` the library's own, up to the names of its
    variables (equal syntax trees once names are normalised; comments, docstrings and layout never count),
    wherever it sits: the function itself, or any function it reaches in the workspace, delegates followed and
    one-expression helpers inlined (``copies.reach``)?"""
    for target in BY_NAME[exercise].targets:
        path, qualname = source.split_target(target)
        try:
            mine = grader.read_nofollow(Path(root) / path).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return False
        with _PARSING:
            b = _reference_form(path, qualname)
        if _form(mine, qualname) == b:
            continue
        if not _reached(root, target, mine)[2]:
            return False
    return True


_REACHED = {}  # (workspace, target, sha256 of its file) → what copies.reach found (_reached): the copy check and
REACHED_KEPT = 1 << 16  # the class's pairs both read it, the second time for nothing


def _reached(root, target, text, every=True) -> tuple:
    """(the hash of the effective form of ``target`` in the workspace ``root`` or None, is that the library's
    form, is any function it reaches the library's (as it is, or with the library's helpers inlined as the
    workspace's are); None when not ``every``: not looked at), ``text`` being the target's file."""
    key = (str(Path(root).resolve()), target, hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest())
    if key not in _REACHED or (every and _REACHED[key][2] is None):
        path, qualname = source.split_target(target)
        with _PARSING:
            effective, forms = copies.reach(root, target, _node_form, every)
            ref = _reference_form(path, qualname)
        copied = (ref in forms or _reference_effective_form(target) in forms) if every else None
        if len(_REACHED) >= REACHED_KEPT:
            _REACHED.clear()
        _REACHED[key] = (None if effective is None else hash(effective), effective == ref, copied)
    return _REACHED[key]


@functools.lru_cache(maxsize=None)
def _reference_effective_form(target):
    """The library's function with its own helpers inlined as a workspace's are (``copies.reach``): a copy split
    into helpers, once inlined, is compared with it."""
    with _PARSING:
        return copies.reach(workspace.REPO, target, _node_form)[0]


# ----------------------------------------------------------------------------- code that reaches for the grader
SUSPICIOUS = ("spec_from_file_location", "SourceFileLoader", "site-packages", "__editable__", ".exercises.json",
              "sys.path", "importlib", "ctypes", "setsid", "fork", "subprocess", "/proc/", "get_objects", "_getframe",
              "f_locals", "addaudithook", "__code__", "marshal", "os.kill", "dist-packages", "exec(", "glob")


_WORDS = {}  # sha256 of a source → how often it uses each SUSPICIOUS word (a file many workspaces share: once)


def _words(text) -> tuple:
    key = hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()
    if key not in _WORDS:
        if len(_WORDS) >= _FORMS_KEPT:
            _WORDS.clear()
        _WORDS[key] = tuple(text.count(word) for word in SUSPICIOUS)
    return _WORDS[key]


def suspicious(root) -> list:
    """Lines of the workspace's minigan/ that use what loads code, starts processes or looks into the grader
    more often than the library's same file does (found by reading; links are never followed)."""
    found = []
    base = Path(root) / "minigan"
    for folder, dirs, files in os.walk(base, followlinks=False):
        dirs[:] = [d for d in dirs if d != "__pycache__" and not os.path.islink(os.path.join(folder, d))]
        for name in files:
            if not name.endswith(".py"):
                continue
            path = Path(folder) / name
            rel = path.relative_to(Path(root)).as_posix()
            try:
                mine = grader.read_nofollow(path).decode("utf-8", "replace")
            except OSError:
                continue
            theirs = _library_or_empty(rel)
            if mine == theirs:
                continue
            for word, n, m in zip(SUSPICIOUS, _words(mine), _words(theirs)):
                if n > m:
                    found.append(f"{rel} uses {word}")
    return found


# ----------------------------------------------------------------------------- grading
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def escape(text) -> str:
    """``text`` as printable UTF-8 on one line: bytes that were not UTF-8 (a file name's ``\\xff``) and control
    characters (newlines, a terminal's escape sequences, text-direction overrides) written as escapes."""
    text = str(text)
    try:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is no escaped byte
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else
                        f"\\u{ord(m.group()):04x}", text)


def _escaped(value):
    """Every text in ``value`` (an entry: dicts, lists, texts, numbers) escaped."""
    if isinstance(value, str):
        return escape(value)
    if isinstance(value, dict):
        return {escape(k): _escaped(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_escaped(v) for v in value]
    return value


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
            if not any((workspace.locate(p) / "minigan" / "__init__.py").is_file() for p in inner):
                raise workspace.WorkspaceError(f"exercises grade: {path} is neither a workspace nor a folder of "
                                               "workspaces (no minigan/ package in it or in its folders)")
            found += inner
        else:
            raise workspace.WorkspaceError(f"exercises grade: {path} is not a folder")
    return found


def grade_student(root, name, names=None, timeout=grader.TIMEOUT, memory=None, seed=None, stop=None) -> dict:
    """One student's entry of the gradebook (see ``grade_class``); ``grader.Stopped`` once ``stop`` is set."""
    root = workspace.locate(Path(root).resolve())
    made_by, claims, note = _read_record(root)
    flags = set()
    try:
        results, seconds = grader.grade(root, names, timeout=timeout, memory=memory, record=False, seed=seed,
                                        flags=flags, stop=stop)
    except workspace.WorkspaceError as e:  # no minigan/ package: nothing to grade, and every export says so
        results, seconds = [(n, False, str(e), 0.0) for n in grader.resolve(names)], 0.0
        flags.add(NO_WORKSPACE)
    rows = []
    for exercise, passed, message, _ in results:
        ex = BY_NAME[exercise]
        rows.append({"student": name, "exercise": exercise, "set": ex.set, "passed": passed,
                     "status": workspace.status(passed, message), "points": ex.points if passed else 0,
                     "message": message})
    matched = [r["exercise"] for r in rows if r["passed"] and copied_reference(root, r["exercise"])]
    copied = [name for name in matched if flags_.weight(name) == "evidence"]
    unconfirmed = sorted(claims & {r["exercise"] for r in rows if not r["passed"]},
                         key=[e.name for e in EXERCISES].index)
    reaching = suspicious(root) if (root / "minigan").is_dir() else []
    flags = sorted(flags)
    if flags_.copy_flag(matched):
        flags.append(flags_.copy_flag(matched))
    if reaching:
        flags.append("code that may load the reference or reach for the grader: " + "; ".join(reaching[:5])
                     + (" ..." if len(reaching) > 5 else ""))
    if unconfirmed:
        flags.append(f"its record claims {len(unconfirmed)} pass{'es' if len(unconfirmed) > 1 else ''} the grader "
                     "did not confirm")
    flags = [flags_.weigh(f) for f in flags]
    return _escaped({"student": name, "workspace": str(root), "made_by": made_by,
            "version_mismatch": made_by != workspace.VERSION, "record_note": note,
            "points": sum(r["points"] for r in rows), "max_points": sum(BY_NAME[r["exercise"]].points for r in rows),
            "passed": sum(r["passed"] for r in rows), "exercises": len(rows), "seconds": round(seconds, 2),
            "copied_reference": copied, "reference_matches": [
                {"exercise": e, "nodes": flags_.size(e), "weight": flags_.weight(e)} for e in matched],
            "record_claims_unconfirmed": unconfirmed, "flags": flags, "results": rows})


NO_WORKSPACE = "no workspace in this folder (no minigan/ package in it or in its one folder): nothing was graded"


def _failed_entry(root, name, names, error) -> dict:
    """The row of a student the grader itself could not grade (its error, never the class's): no points, flagged."""
    why = f"the grader could not grade this workspace ({type(error).__name__}: {str(error)[:300]})"
    rows = [{"student": name, "exercise": n, "set": BY_NAME[n].set, "passed": False, "status": "failed", "points": 0,
             "message": why}
            for n in grader.resolve(names)]
    return _escaped({"student": name, "workspace": str(Path(root).absolute()), "made_by": None,
                     "version_mismatch": False, "record_note": None, "points": 0,
                     "max_points": sum(BY_NAME[r["exercise"]].points for r in rows), "passed": 0,
                     "exercises": len(rows), "seconds": 0.0, "copied_reference": [],
                     "record_claims_unconfirmed": [], "flags": [flags_.weigh(why)], "results": rows})


def _exercises_of(entry) -> tuple:
    return tuple(r.get("exercise") for r in entry.get("results", ()) if isinstance(r, dict))


def _journal(path) -> tuple:
    """(seed or None, {(workspace, exercises graded): entry}) from a journal a class grading left (one JSON object a
    line; of two lines with the same key, the later: a grade of a workspace handed in again replaces the old)."""
    seed, done = None, {}
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return None, {}
    for line in lines:
        try:
            item = json.loads(line)
        except ValueError:
            continue  # the line a crash cut short
        if isinstance(item, dict) and "seed" in item:
            seed = item["seed"]
        elif isinstance(item, dict) and isinstance(item.get("workspace"), str):
            done[(item["workspace"], _exercises_of(item))] = item
    return seed, done


def fingerprint(root) -> str | None:
    """The sha256 of the workspace's ``minigan/`` (every regular file's path and bytes, links never followed):
    what tells a workspace handed in again from the one a journal graded; None when it cannot be read."""
    digest = hashlib.sha256()
    base = Path(workspace.locate(Path(root))) / "minigan"
    if os.path.islink(base) or not base.is_dir():
        return None
    for folder, dirs, files in sorted(os.walk(base, followlinks=False)):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            path = os.path.join(folder, name)
            if name.endswith(".pyc") or not os.path.isfile(path) or os.path.islink(path):
                continue
            try:
                data = grader.read_nofollow(path)
            except OSError:
                continue
            digest.update(os.path.relpath(path, base).encode("utf-8", "surrogateescape") + b"\0")
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _compact(journal) -> None:
    """Rewrite the journal with one line per workspace and exercises (the latest): a grade replaced by the grade of
    the workspace handed in again is gone from it (written beside and renamed: never half a journal)."""
    seed, done = _journal(journal)
    lines = [json.dumps({"seed": seed})] + [json.dumps(e, ensure_ascii=False) for e in done.values()]
    _write(journal, "\n".join(lines) + "\n")


def grade_class(folders, names=None, jobs=None, timeout=grader.TIMEOUT, memory=None, on_student=None,
                journal=None, seed=None, on_stopping=None) -> dict:
    """The gradebook of the workspaces ``folders``, graded ``jobs`` at a time (default: one per CPU core), every
    student on the same inputs (one seed for the class: ``seed``, drawn when None; a class graded again on the
    seed of an earlier grading gets the same inputs).  With ``journal`` (a file), each graded student is appended
    there as it is done, and a grading that crashed resumes from it, on its seed, without grading anyone again.
    Ctrl-C (KeyboardInterrupt) stops it within a second: ``on_stopping()`` is called at once, the students being
    graded are dropped, and the book of those finished comes back with ``"stopped": True``."""
    folders = list(folders)
    students = [escape(s) for s in student_names(folders)]
    unboxed = sandbox.why_not()
    jobs = 1 if unboxed else max(1, jobs or os.cpu_count() or 1)  # (unboxed, a student could reach another)
    seed, done = _start_journal(journal, seed)
    grading = _ClassGrading(folders, students, names, timeout, memory, seed, journal, done, on_student)
    stopped = False
    pool = ThreadPoolExecutor(jobs)
    futures = [pool.submit(grading.one, i) for i in range(len(folders))]
    try:
        for future in futures:
            future.result()
    except KeyboardInterrupt:
        stopped = True
        grading.stop.set()
        if on_stopping:
            on_stopping()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    entries = [f.result() for f in futures if f.done() and not f.cancelled() and f.result() is not None]
    pairs = [] if stopped else _pairs(folders, students, names, entries)
    if isinstance(pairs, str):
        pairs, unboxed = [], (unboxed + "; " if unboxed else "") + pairs
    book = {"graded_by": workspace.VERSION, "sandbox": escape(unboxed) if unboxed else "bubblewrap",
            "graded_at": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), "seed": seed,
            "exercises": [{"name": BY_NAME[n].name, "set": BY_NAME[n].set, "points": BY_NAME[n].points}
                          for n in grader.resolve(names)],
            "similar": [{"students": [a, b], "functions": n, "ratio": round(r, 3)} for a, b, n, r in pairs],
            "students": entries}
    if stopped:
        book["stopped"] = True
    elif journal and grading.replaced:
        _compact(journal)
    return book


def _start_journal(journal, seed) -> tuple:
    """(the class's seed, {workspace: entry} already graded): the journal's, or a new seed written to it first."""
    journal_seed, done = _journal(journal) if journal else (None, {})
    if journal_seed is not None:
        return journal_seed, done
    seed = secrets.randbits(31) if seed is None else seed
    if journal:
        Path(journal).parent.mkdir(parents=True, exist_ok=True)  # as the gradebook's other files are written
        with open(journal, "a", encoding="utf-8") as f:
            f.write(json.dumps({"seed": seed}) + "\n")
    return seed, done


def write_journal(book, path) -> Path:
    """A journal of the book's students (and its seed), for a grading stopped without one to resume from."""
    lines = [json.dumps({"seed": book["seed"]})] + [json.dumps(e, ensure_ascii=False) for e in book["students"]]
    return _write(path, "\n".join(lines) + "\n")


class _ClassGrading:
    """What every worker of ``grade_class`` shares: the class, its seed, the journal and the Event ``stop``."""

    def __init__(self, folders, students, names, timeout, memory, seed, journal, done, on_student):
        self.folders, self.students, self.names, self.timeout, self.memory = folders, students, names, timeout, memory
        self.seed, self.journal, self.done, self.on_student = seed, journal, done, on_student
        self.lock, self.stop = threading.Lock(), threading.Event()
        self.replaced = 0  # students whose journaled grade was replaced (their workspace was handed in again)

    def one(self, i):
        """Student ``i``'s entry (from the journal when its workspace is the one graded there, else graded and
        journaled), or None once stopped.  A journal's grade is one of the same exercises: a week's subset graded
        with a full course's journal is graded on its own, as it would be without one."""
        key = escape(Path(self.folders[i]).resolve())
        now = fingerprint(self.folders[i]) if self.journal else None  # (0.1 s a workspace: only for a journal)
        entry = self.done.get((key, tuple(grader.resolve(self.names))))
        old = None
        if entry is not None and entry.get("fingerprint") not in (None, now):
            old, entry = entry, None  # handed in again since: graded again, and this grade replaces that one
        if entry is None:
            if self.stop.is_set():
                return None
            try:
                entry = grade_student(self.folders[i], self.students[i], self.names, self.timeout, self.memory,
                                      self.seed, self.stop)
            except grader.Stopped:
                return None
            except Exception as e:  # noqa: BLE001 - one workspace the grader fails on is that student's row alone
                entry = _failed_entry(self.folders[i], self.students[i], self.names, e)
            entry["workspace"], entry["fingerprint"] = key, now
            entry["graded_at"] = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
            if old is not None:
                entry["replaces"] = {k: old.get(k) for k in ("graded_at", "points", "max_points", "passed")}
                entry["flags"] = entry["flags"] + [flags_.weigh(
                    f"handed in again since the grading of {old.get('graded_at') or 'an earlier run'} "
                    f"({old.get('points')}/{old.get('max_points')} points then): graded again, this grade replaces "
                    "that one in the journal")]
                with self.lock:
                    self.replaced += 1
            if self.journal:
                with self.lock, open(self.journal, "a", encoding="utf-8") as f:
                    f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        if self.on_student:
            self.on_student(entry)
        return entry


def _pairs(folders, students, names, entries):
    """``similar_pairs``, each pair flagged on both students' entries; a text saying why when it failed."""
    try:
        pairs = similar_pairs(folders, students, names)
    except Exception as e:  # noqa: BLE001 - never the gradebook's end: said in it instead
        return f"the copy check failed ({type(e).__name__}: {e})"
    for a, b, shared, ratio in pairs:
        for entry in entries:
            other = b if entry["student"] == a else a if entry["student"] == b else None
            if other is not None:
                entry["flags"] = entry["flags"] + [flags_.pair_flag(other, shared, ratio)]
    return pairs


SIMILAR_FUNCTIONS = 3  # a pair is reported when it shares at least this many functions ...
SIMILAR_RATIO = 0.5  # ... and they are at least this share of the functions either wrote


def similar_pairs(folders, students, names=None) -> list:
    """[(student, student, functions shared, share)] for pairs whose written functions are the same up to names,
    order, docstrings and ``pass`` (the starter code, the stubs, and the library's own solution subtracted)."""
    targets = [t for n in grader.resolve(names) for t in BY_NAME[n].targets]
    starter = workspace.stubbed_files()
    forms = []
    for folder in map(workspace.locate, folders):
        mine = {}
        for target in targets:
            path, qualname = source.split_target(target)
            try:
                text = grader.read_nofollow(Path(folder) / path).decode("utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            if text == starter.get(path) or text == _library_text(path):
                continue  # the starter file or the library's: nothing of the student's own here (no parsing)
            if source.is_stub(text, qualname) if _parses(text) else True:
                continue
            form, is_reference, _ = _reached(folder, target, text, every=False)  # (delegates followed, helpers
            # inlined; the copy check of a student already graded has it)
            if form is not None and not is_reference:
                mine[target] = form
        forms.append(mine)
    pairs = []
    for i in range(len(folders)):
        for j in range(i + 1, len(folders)):
            shared = sum(1 for t, h in forms[i].items() if forms[j].get(t) == h)
            most = max(len(forms[i]), len(forms[j]), 1)
            if shared >= SIMILAR_FUNCTIONS and shared / most >= SIMILAR_RATIO:
                pairs.append((students[i], students[j], shared, shared / most))
    return pairs


def _parses(text) -> bool:
    try:
        source.parse(text)
        return True
    except SyntaxError:
        return False


# ----------------------------------------------------------------------------- writing it out
def _write(path, text) -> Path:
    return write_texts({path: text})[0]


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_texts(texts) -> list:
    """Write {path: text}: every text to a temporary file beside its path first, then each renamed into place, so
    that a failure (a full disk, Ctrl-C) leaves no file half-written and none of them replaced (a temporary file
    is removed on every way out); the paths written."""
    temps = []
    try:
        for path, text in texts.items():
            path = Path(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            os.chmod(fd, 0o666 & ~_umask())  # (mkstemp's 0600: a gradebook gets the mode any new file gets)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
                f.write(text)
        for tmp, path in temps:
            os.replace(tmp, path)
    finally:
        for tmp, _ in temps:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return [path for _, path in temps]


FORMULA = ("=", "+", "-", "@", "\t", "\r")


def cell(value):
    """A spreadsheet cell that is never run as a formula: text starting = + - @ tab or CR gets a leading '."""
    if isinstance(value, str):
        value = escape(value)
        if value.startswith(FORMULA):
            return "'" + value
    return value


def _rows(book, header, row_of, first=None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([cell(h) for h in header])
    if first is not None:
        writer.writerow([cell(v) for v in first])
    for entry in book["students"]:
        writer.writerow([cell(v) for v in row_of(entry)])
    return out.getvalue()


def _points(entry) -> dict:
    return {r["exercise"]: r["points"] for r in entry["results"]}


def csv_text(book) -> str:
    """One row per student: student, points, max_points, passed, flags, then each exercise's points."""
    names = [e["name"] for e in book["exercises"]]
    return _rows(book, ["student", "points", "max_points", "passed", "flags", *names],
                 lambda e: [e["student"], e["points"], e["max_points"], e["passed"], " | ".join(e.get("flags", [])),
                            *[_points(e).get(n, 0) for n in names]])


def canvas_text(book, assignment="minigan exercises") -> str:
    """Canvas's gradebook import: Student, ID, SIS User ID, SIS Login ID, Section, then the assignment's column
    (the points) and a notes column Canvas shows as read-only; the student's folder name goes in SIS Login ID.
    The row after the header is "Points Possible": Canvas reads a new assignment's maximum there."""
    most = sum(e["points"] for e in book["exercises"])
    return _rows(book, ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment, "Notes"],
                 lambda e: [e["student"], "", "", e["student"], "", e["points"], " | ".join(e.get("flags", []))],
                 first=["Points Possible", "", "", "", "", most, ""])


def feedback(entry) -> str:
    """What a student reads beside the grade: how many exercises passed, those failed and those not started, and
    what happened to the workspace (the flags "for information": a file that does not compile, no workspace found).
    Never a flag that weighs evidence (a copy, a classmate's code, a refusal): those are the teacher's to weigh, in
    the CSV, the JSON and Canvas's notes."""
    failed = [r["exercise"] for r in entry["results"] if not r["passed"] and r.get("status") != "not started"]
    fresh = [r["exercise"] for r in entry["results"] if not r["passed"] and r.get("status") == "not started"]
    said = [f"{entry['passed']} of {entry['exercises']} exercises passed"]
    if failed:
        said.append("failed: " + ", ".join(failed))
    if fresh:
        said.append("not started: " + ", ".join(fresh))
    info = f"{flags_.INFO}: "
    said += [f[len(info):] for f in entry.get("flags", []) if f.startswith(info)]
    return "; ".join(said)


def moodle_text(book, item="minigan exercises") -> str:
    """Moodle's grade import from a CSV file: an identifier column (map "Username" to username), one column per
    grade item (the points) and its feedback column, which the student reads (``feedback``: never the flags)."""
    return _rows(book, ["Username", item, "Feedback"], lambda e: [e["student"], e["points"], feedback(e)])


def _text(kind, book) -> str:
    if kind == "csv":
        return csv_text(book)
    if kind == "json":
        return json.dumps(book, indent=1, ensure_ascii=False) + "\n"
    if kind == "canvas":
        return canvas_text(book)
    if kind == "moodle":
        return moodle_text(book)
    if kind == "gradescope":
        return json.dumps(gradescope(book["students"][0]), indent=1, ensure_ascii=False) + "\n"
    raise ValueError(f"no export named {kind!r}")


def write_all(book, paths) -> list:
    """Write the book's exports {kind: path} (csv, json, canvas, moodle, gradescope) all or none: every text is
    made first, then written beside its path and renamed (``write_texts``); the paths written."""
    return write_texts({path: _text(kind, book) for kind, path in paths.items() if path is not None})


def write_csv(book, path) -> Path:
    """One row per student (``csv_text``)."""
    return _write(path, csv_text(book))


def write_canvas(book, path) -> Path:
    return _write(path, canvas_text(book))


def write_moodle(book, path) -> Path:
    return _write(path, moodle_text(book))


def write_json(book, path) -> Path:
    return _write(path, json.dumps(book, indent=1, ensure_ascii=False) + "\n")


def gradescope(entry) -> dict:
    """One student's ``results.json`` in Gradescope's autograder format (score, output, tests with name,
    number, score, max_score, status, output, tags).  The top-level ``output`` is the student's to read, so it
    holds ``feedback`` (never a flag that weighs evidence); those flags go in a test of no points whose visibility
    is ``hidden``, which Gradescope shows the teacher only."""
    tests = []
    for i, row in enumerate(entry["results"], 1):
        ex = BY_NAME[row["exercise"]]
        tests.append({"name": row["exercise"], "number": str(i), "score": row["points"], "max_score": ex.points,
                      "status": "passed" if row["passed"] else "failed",
                      "output": "passed" if row["passed"] else row["message"], "tags": [ex.set]})
    info = f"{flags_.INFO}: "
    weighed = [flag for flag in entry.get("flags", []) if not flag.startswith(info)]
    if weighed:
        tests.append({"name": "flags for the teacher", "number": str(len(tests) + 1), "score": 0, "max_score": 0,
                      "visibility": "hidden", "output": "\n".join(f"FLAG: {flag}" for flag in weighed)})
    notes = [f"graded by minigan {workspace.VERSION}", feedback(entry)]
    if entry["version_mismatch"]:
        notes.append(f"the workspace was made by minigan {entry['made_by'] or '(unrecorded)'}")
    return {"score": entry["points"], "output": "; ".join(notes), "execution_time": round(entry["seconds"]),
            "stdout_visibility": "hidden", "tests": tests}


def write_gradescope(entry, path) -> Path:
    return _write(path, json.dumps(gradescope(entry), indent=1, ensure_ascii=False) + "\n")


def report(book) -> str:
    """The teacher's report: a line per student with its flags, then the pairs of students with the same code."""
    lines = []
    for e in book["students"]:
        flags = list(e.get("flags", []))
        if e["version_mismatch"]:
            flags.append(f"made by minigan {e['made_by'] or '(unrecorded)'}")
        if e["record_note"]:
            flags.append("no readable record")
        lines.append(f"{e['student']}: {e['points']}/{e['max_points']} points, {e['passed']}/{e['exercises']} "
                     f"exercises" + (f"  [{'; '.join(flags)}]" if flags else ""))
    for pair in book.get("similar", []):
        a, b = pair["students"]
        lines.append(f"similar: {a} and {b} share {pair['functions']} functions ({pair['ratio']:.0%})")
    return "\n".join(lines)
