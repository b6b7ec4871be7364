"""Grade a workspace: the verdict is made here, where no learner's code runs.

1. The workspace's ``minigan/`` is copied into a private folder, regular files only (a link is never followed,
   every file is opened with O_NOFOLLOW); nothing else of the workspace (its record, files beside ``minigan/``)
   goes along.
2. The learner's process (``runner.py``, role "student") runs under a supervisor (``supervise.py``), in a
   sandbox of its own where there is one (``sandbox.py``: bubblewrap's PID, mount, network namespaces,
   RLIMIT_NPROC, the tree's memory added up): a Linux child subreaper that ends every process the learner's code
   started, a daemon that left the session included, with limits on memory, on the size of any file it writes
   (its stderr goes to such a file, of which the grader reads the last few KB), on what all the student's
   processes write together (``Written``) and on time.  Its frames drive a state machine (``session.py``).  It runs
   ``python -I -S -B``: no start-up file, no user site, no environment variable of ours; ``sys.path`` is the
   standard library, the copy, and a folder holding only NumPy.
   The modules the checks import are compiled here, from the copy's sources, into the copy (``compile_copy``:
   compiling runs nothing, and a class's shared files are compiled once), so the learner's process does not
   compile them again for every student.
3. It runs the learner's build of the checks (``split.py``: no expected value computed, no condition judged) and
   hands back DATA: the values the learner's functions returned on inputs drawn from the grader's seed, and the
   values each condition looks at.
4. The same checks run on the library in a trusted process of the grader's ("reference" role, one per seed,
   cached), giving the expected values, tolerances and hints; ``decide`` (``verdict.py``) compares and judges
   each condition.  A forged line, token or file
   from the learner's process is data that either matches what the library computes or fails.

A target still holding its stub is "not written yet" here, without running anything; in the learner's process
those functions run the library's code (so the other exercises can be graded), and only those: the library's code
of an exercise the learner did write is never handed to the learner's process.
"""

from __future__ import annotations

import binascii
import functools
import json
import marshal
import os
import secrets
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import threading
import time
from pathlib import Path

from minigan.exercises import frames, sandbox, session, source, split, verdict, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES
from minigan.exercises.verdict import decide  # noqa: F401 - grader.decide, as before

TIMEOUT = 10.0  # seconds for one exercise's checks; the slowest of the reference takes about 1 (gan_train_step)
MEMORY = 768 << 20  # bytes of address space for the learner's process and each exercise
MEMORY_TORCH = MEMORY
STARTUP = 60.0  # seconds to import the workspace's minigan before the first exercise
FILE_LIMIT = 1 << 20  # bytes any file the learner's process writes may reach (its stderr included)
WRITE_LIMIT = 32 << 20  # bytes a student's processes may write in all (every process of one grading together) ...
WRITE_FILES = 1000  # ... and files and folders: past either, its processes are ended


class Written:
    """What one student's processes wrote, counted together against ``WRITE_LIMIT`` and ``WRITE_FILES``."""

    def __init__(self):
        self.bytes = self.files = 0

    def left(self) -> tuple:
        return max(0, WRITE_LIMIT - self.bytes), max(0, WRITE_FILES - self.files)

    def add(self, report: bytes) -> None:
        """Count a supervisor's last word, ``written BYTES FILES`` (what one process left behind)."""
        words = report.decode("ascii", "replace").split()
        if len(words) >= 3 and words[-3] == "written" and words[-2].isdigit() and words[-1].isdigit():
            self.bytes, self.files = self.bytes + int(words[-2]), self.files + int(words[-1])


OVER_WRITTEN = f"its processes wrote more than {WRITE_LIMIT >> 20} MiB or {WRITE_FILES} files in all: all were ended"
COPY_LIMIT = 64 << 20  # bytes of the workspace's minigan/ copied at most
HERE = Path(__file__).resolve().parent
# the checks package's modules, in the order the learner's process runs them (each after those it imports); the
# text of each goes there, never the files: the copy the learner's process sees holds no minigan/exercises/
CHECKS = verdict.CHECKS


class GradingError(RuntimeError):
    """The grader itself failed (the library does not pass its own checks)."""


def resolve(names) -> list:
    """The exercises asked for (all when none), in lesson order; an unknown name raises naming the known ones."""
    if not names:
        return [e.name for e in EXERCISES]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise workspace.WorkspaceError(f"exercises check: no exercise named {unknown[0]!r}; "
                                       "`exercises list` shows them all")
    return [e.name for e in EXERCISES if e.name in set(names)]


# ----------------------------------------------------------------------------- the copy
def read_nofollow(path) -> bytes:
    """A regular file's bytes, never through a link (OSError otherwise)."""
    return workspace.read_nofollow(path, COPY_LIMIT)


def copy_package(root: Path, into: Path) -> list:
    """Copy ``root/minigan`` into ``into/minigan``, regular files and folders only; returns the links skipped
    (as paths relative to the workspace)."""
    links, total = [], 0
    base = root / "minigan"
    if os.path.islink(base) or not base.is_dir():
        raise workspace.WorkspaceError(f"exercises: {root} has no minigan/ package (a link is never followed)")
    for folder, dirs, files in os.walk(base, followlinks=False):
        rel = Path(folder).relative_to(base)
        (into / "minigan" / rel).mkdir(parents=True, exist_ok=True)
        for name in list(dirs):
            if os.path.islink(os.path.join(folder, name)):
                links.append(str(Path("minigan") / rel / name))
                dirs.remove(name)
            elif name == "__pycache__":
                dirs.remove(name)
        for name in files:
            path = os.path.join(folder, name)
            if not stat.S_ISREG(os.lstat(path).st_mode):
                links.append(str(Path("minigan") / rel / name))
                continue
            if name.endswith(".pyc"):
                continue
            data = read_nofollow(path)
            total += len(data)
            if total > COPY_LIMIT:
                raise workspace.WorkspaceError(f"exercises: {root}/minigan is over {COPY_LIMIT >> 20} MB")
            (into / "minigan" / rel / name).write_bytes(data)
    return links


PYC_LIMIT = 256 << 10  # bytes: a larger source is compiled by the learner's process itself, never here
_PYC, _PYC_KEPT = {}, [0]  # sha256 of a source → its .pyc; the bytes kept (at most COPY_LIMIT)


def compile_copy(copy: Path, modules, broken=None) -> int:
    """Write the bytecode of the copy's ``modules`` (dotted names, ``minigan.*``) beside their sources, as
    Python's importer would, so the learner's process (run with ``-B``: it writes none) loads it instead of
    compiling every module again; returns how many were written.  Compiling runs nothing; each .pyc is
    "checked": the importer uses it only while the source's hash matches.  The same source in every workspace
    of a class is compiled once (cached by its hash); a source that does not compile gets none (the learner's
    process meets the error itself; with a dict ``broken`` it gets {the file, relative to the copy: why})."""
    import hashlib
    import importlib.util
    written = 0
    if sys.implementation.cache_tag is None:  # (an interpreter that keeps no bytecode)
        return 0
    for module in sorted(set(modules)):
        if module != "minigan" and not module.startswith("minigan."):
            continue
        base = copy.joinpath(*module.split("."))
        for path in (base.with_suffix(".py"), base / "__init__.py"):
            try:
                info = os.lstat(path)
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode) or info.st_size > PYC_LIMIT:
                break
            data = path.read_bytes()
            key = hashlib.sha256(data).digest()
            pyc = _PYC.get(key)
            if pyc is None:
                try:
                    with source.PARSING:  # (the parser is not safe in two threads at once: see source.py)
                        code = compile(data, str(path), "exec", dont_inherit=True, optimize=0)
                except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError) as e:
                    if broken is not None:
                        line = f" at line {e.lineno}" if isinstance(e, SyntaxError) and e.lineno else ""
                        message = (e.msg if isinstance(e, SyntaxError) else str(e))[:200]
                        broken[path.relative_to(copy).as_posix()] = f"{type(e).__name__}{line}: {message}"
                    break
                # PEP 552: magic, flags (hash-based, checked), the source's hash, the code
                pyc = importlib.util.MAGIC_NUMBER + (3).to_bytes(4, "little") + importlib.util.source_hash(data) \
                    + marshal.dumps(code)
                with _LOCK:
                    while _PYC and _PYC_KEPT[0] + len(pyc) > COPY_LIMIT:
                        _PYC_KEPT[0] -= len(_PYC.pop(next(iter(_PYC))))
                    _PYC[key] = pyc
                    _PYC_KEPT[0] += len(pyc)
            # (where the learner's importer looks: beside the source, whatever PYTHONPYCACHEPREFIX says here)
            cached = path.parent / "__pycache__" / f"{path.stem}.{sys.implementation.cache_tag}.pyc"
            cached.parent.mkdir(exist_ok=True)
            cached.write_bytes(pyc)
            written += 1
            break
    return written


DEPENDENCIES = ("numpy", "threadpoolctl")  # what minigan imports (pyproject.toml's dependencies)


def _numpy_only() -> tuple:
    """(a folder holding links to minigan's dependencies and nothing else, the places they really are): made once
    for the grader's process, shared by every student's."""
    with _LOCK:
        if not _DEPENDENCIES:
            _DEPENDENCIES.append(_dependencies_folder())
        return _DEPENDENCIES[0]


def _dependencies_folder() -> tuple:
    import atexit
    import importlib.util
    import shutil
    folder = Path(tempfile.mkdtemp(prefix="minigan-deps-"))
    # removed when this process leaves: normally, on an error, on Ctrl-C (KeyboardInterrupt) or on SystemExit
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    allowed = []
    for module in DEPENDENCIES:
        spec = importlib.util.find_spec(module)
        if spec is None or not spec.origin:
            continue
        origin = Path(spec.origin).resolve()
        real = origin.parent if spec.submodule_search_locations else origin
        (folder / real.name).symlink_to(real)
        allowed.append(str(real))
        if (real.parent / f"{module}.libs").exists():
            (folder / f"{module}.libs").symlink_to(real.parent / f"{module}.libs")
            allowed.append(str((real.parent / f"{module}.libs").resolve()))
    return folder, allowed


_DEPENDENCIES = []  # (the one folder of _numpy_only, once made)
_LOCK = threading.Lock()


def _blocked_places() -> list:
    places = {str(workspace.LIBRARY.resolve()), str(workspace.REPO.resolve() / "tests")}
    for key in ("purelib", "platlib"):
        places.add(str(Path(sysconfig.get_paths()[key]).resolve()))
    return sorted(places)


# ----------------------------------------------------------------------------- running a role
# (the frames the learner's process hands back, read and decoded at a cost bounded by their bytes: frames.py)
_Stream, _frames, _parse = frames.Stream, frames.read, frames.parse
MAGIC, FORMAT = frames.MAGIC, frames.FORMAT


@functools.lru_cache(maxsize=256)
def _bytecode(text, filename) -> str:
    """The library's ``text`` compiled (nothing runs), as base64 of ``marshal``: the checks and the library's code
    of the targets a learner has not written are compiled here once, not in every learner's process."""
    with source.PARSING:
        code = compile(text, filename, "exec", dont_inherit=True)
    return binascii.b2a_base64(marshal.dumps(code), newline=False).decode("ascii")


_checks_texts = verdict.checks_texts


@functools.lru_cache(maxsize=4)
def _checks_code(role) -> tuple:
    """The checks' modules compiled for ``role``: the learner's build (nothing expected, nothing judged) or the
    library's (``split.py``)."""
    build = split.learner_build if role == "student" else split.reference_build
    code = []
    for module, text in _checks_texts():
        with source.PARSING:
            compiled = compile(build(text, module), f"minigan-exercise-checks/{module}.py", "exec", dont_inherit=True)
        code.append([module, binascii.b2a_base64(marshal.dumps(compiled), newline=False).decode("ascii")])
    return tuple(code)


def _job(role, run, seed, torch, timeout, data_fd, extra=None) -> dict:
    targets = sorted({t for e in EXERCISES for t in e.targets})
    return {"role": role, "run": run, "seed": seed, "torch": torch, "timeout": timeout, "data_fd": data_fd,
            "checks": [list(c) for c in _checks_code(role)],
            "lookup": _bytecode((HERE / "lookup.py").read_text(encoding="utf-8"), "minigan-exercise-lookup.py"),
            "targets": targets,
            "targets_of": {e.name: list(e.targets) for e in EXERCISES}, **(extra or {})}


def _launch(job, env, cwd, memory, total, stderr, fds=(), read=(), written=None, said=None):
    """Start ``runner.py`` under ``supervise.py`` (in a sandbox of its own where there is one: ``sandbox.py``, with
    the folders ``read`` visible read-only and ``cwd`` writable, within what ``written`` has left: the supervisor
    says on ``said``, a file, what was written); returns (process, read end of the data pipe)."""
    read_end, write_end = os.pipe()
    job = dict(job, data_fd=write_end)
    runner = (HERE / "runner.py").read_text(encoding="utf-8")
    supervisor = (HERE / "supervise.py").read_text(encoding="utf-8")
    boxed = sandbox.why_not() is None
    uid = sandbox.next_uid() if boxed else None
    left = (written or Written()).left()
    command = [sys.executable, "-I", "-S", "-B", "-c", supervisor, str(total), str(memory or 0), str(FILE_LIMIT),
               sys.executable, runner, str(sandbox.processes() if boxed else 0), str(uid or 0), str(left[0]),
               str(left[1]), str(cwd)]
    if boxed:
        sandbox.share(read, [cwd], uid)
        command = sandbox.command(command, read=read, write=[cwd], keep=_numpy_only()[1],
                                  hide=[workspace.LIBRARY.resolve(), workspace.REPO.resolve() / "tests"],
                                  size=max(left[0], 4096) + (64 << 10))  # (the kernel's bound; the count is ours)
    job_file = tempfile.TemporaryFile()
    job_file.write(json.dumps(job).encode())
    job_file.seek(0)
    try:
        proc = subprocess.Popen(command, stdin=job_file, stdout=said or subprocess.DEVNULL, stderr=stderr, cwd=cwd,
                                env=env,
                                pass_fds=(write_end, *fds), start_new_session=True)
    finally:
        os.close(write_end)
        job_file.close()
    return proc, read_end


def _end(proc):
    """Ask the supervisor to end everything it watches, then make sure it is gone."""
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)
    except (subprocess.TimeoutExpired, ProcessLookupError):
        pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _tail(file, size=2048) -> str:
    file.seek(0, os.SEEK_END)
    n = file.tell()
    file.seek(max(0, n - size))
    return file.read(size).decode("utf-8", "replace")


_REFERENCE = {}  # (seed, torch) -> {exercise: (record, arrays)}, the seed used last at the end
REFERENCES_KEPT = 5  # seeds whose reference is kept


_REFERENCE_LOCK = threading.Lock()


def reference(run, seed, torch=False, timeout=TIMEOUT, stop=None) -> dict:
    """{exercise: (record, arrays)}: what the library's own functions give on the grader's inputs (cached per
    exercise and seed: a class graded on one seed computes it once, and keeps it while single checks on seeds of
    their own come and go: the seed used least recently is dropped first)."""
    with _REFERENCE_LOCK:  # (one at a time: the students graded at once wait for the one computation)
        cache = _REFERENCE.pop((seed, torch), {})
        _REFERENCE[(seed, torch)] = cache  # (last: used most recently)
        while len(_REFERENCE) > REFERENCES_KEPT:
            del _REFERENCE[next(iter(_REFERENCE))]
        missing = [name for name in run if name not in cache]
        if missing:
            cache.update(_compute_reference(missing, seed, torch, timeout, stop))
        return {name: cache[name] for name in run}


def _compute_reference(run, seed, torch, timeout, stop=None) -> dict:
    got = {}

    def on_frame(meta, arrays):
        name = meta.get("name")
        if name in run and name not in got and "items" in meta:
            got[name] = (meta, arrays)
        return "done" if len(got) == len(run) else None

    env = dict(os.environ, PYTHONPATH=str(workspace.REPO), PYTHONDONTWRITEBYTECODE="1")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")
    with tempfile.TemporaryFile() as errors, tempfile.TemporaryDirectory() as cwd:
        timeout = max(3 * timeout, 60.0)  # (the library is slow only on a loaded machine: never fail it for that)
        job = _job("reference", run, seed, torch, timeout, None)
        runner = (HERE / "runner.py").read_text(encoding="utf-8")
        read_end, write_end = os.pipe()
        job["data_fd"] = write_end
        with tempfile.TemporaryFile() as job_file:
            job_file.write(json.dumps(job).encode())
            job_file.seek(0)
            proc = subprocess.Popen([sys.executable, "-B", "-c", runner], stdin=job_file, stdout=subprocess.DEVNULL,
                                    stderr=errors, cwd=cwd, env=env, pass_fds=(write_end,), start_new_session=True)
        os.close(write_end)
        try:
            deadline, stream = time.perf_counter() + STARTUP + (timeout + 5) * len(run), _Stream()
            while time.perf_counter() < deadline:  # (in slices, so that a stop is heard within a quarter second)
                if stop is not None and stop.is_set():
                    raise Stopped("grading was stopped")
                if _frames(read_end, min(deadline, time.perf_counter() + 0.25), on_frame, proc, 1 << 34,
                           stream) != "deadline":
                    break
        finally:
            os.close(read_end)
            _end(proc)
        for name in run:
            if name not in got or got[name][0].get("error"):
                why = got[name][0].get("error") if name in got else _tail(errors)
                raise GradingError(f"the library does not pass its own check of {name}: {why}")
    return got


def unwritten(copy: Path) -> set:
    """The targets whose body in the copy is still the stub (found by reading, never by running)."""
    found = set()
    for e in EXERCISES:
        for target in e.targets:
            path, qualname = source.split_target(target)
            try:
                if workspace.untouched((copy / path).read_text(encoding="utf-8"), path, qualname):
                    found.add(target)
            except (OSError, UnicodeDecodeError):
                pass
    return found


def _fill(unwritten_targets) -> dict:
    """{path: the library's code of that file with every target NOT in ``unwritten_targets`` stubbed}."""
    texts = {}
    for e in EXERCISES:
        for target in e.targets:
            path, _ = source.split_target(target)
            if any(t.startswith(path + "::") for t in unwritten_targets):
                texts.setdefault(path, workspace.library_text(path))
    for e in EXERCISES:
        for target in e.targets:
            path, qualname = source.split_target(target)
            if path in texts and target not in unwritten_targets:
                texts[path] = source.stub(texts[path], qualname, "exercise: not handed to graded code")
    return {path: _bytecode(text, path) for path, text in texts.items()}


def _student_env(home) -> dict:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "TMPDIR": str(home), "LANG": "C.UTF-8"}
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"
    if sys.platform == "win32":
        env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", "")
    return env


def _run_student(job, run, judge, handed, peeks):
    """Grade ``run`` in order in one learner's process (``session.Session``: the states and transitions): the next
    exercise is sent as soon as the last has handed back its record, and runs while that one is judged
    (``judge(name, meta, arrays)`` → passed).  The library's code of the targets in ``handed`` runs there; an
    exercise judged failed joins ``handed``.  An exercise still running ``peeks[name]`` seconds after its start is
    asked where it is.  ``job`` (a ``_Grading``) holds the copy, the seed, the limits, the flags, what was written
    and ``stop`` (an Event: set, the process is ended within a second and ``Stopped`` raised).  Returns (the
    exercise running when the process died or None, why)."""
    numpy_folder, allowed = _numpy_only()
    cmd_read, cmd_write = os.pipe()
    run_ = session.Session(run, handed, judge, job.flags, peeks, job.timeout, _Commands(cmd_write), _fill, STARTUP)
    with tempfile.TemporaryDirectory(prefix="minigan-run-") as home, tempfile.TemporaryFile() as errors, \
            tempfile.TemporaryFile() as said:
        task = _job("student", run, job.seed, job.torch, job.timeout, None,
                    {"path": [str(job.copy), str(numpy_folder)], "blocked": _blocked_places(), "allowed": allowed,
                     "home": home, "unwritten": sorted(handed), "fill": _fill(handed), "cmd_fd": cmd_read})
        total = STARTUP + 2 * (job.timeout + 5) * len(run) + 5  # (an exercise set aside runs twice)
        try:
            proc, read_end = _launch(task, _student_env(home), home, job.memory, total, errors, (cmd_read,),
                                     read=[job.copy, numpy_folder], written=job.written, said=said)
        finally:
            os.close(cmd_read)
        why = "stopped"
        try:
            why = _follow(run_, read_end, proc, job.stop)
        finally:
            os.close(read_end)
            os.close(cmd_write)
            if why == "ended":  # (its own exit status, before the grader's signal ends what is left)
                try:
                    proc.wait(2)
                except subprocess.TimeoutExpired:
                    pass
            _end(proc)
            said.seek(0)
            job.written.add(said.read(4096))
        if why in ("ended", "too much data", "a frame over the limit"):
            tail = _tail(errors).strip().splitlines()
            why = (f"handed back {why}" if why != "ended" else _how(proc.returncode) or
                   (tail[-1][:300] if tail else "it ended"))
    if run_.state == session.DONE:
        return None, ""
    return run_.blamed(), why or "it ended"


class Stopped(Exception):
    """Grading was asked to stop (Ctrl-C in ``exercises grade``): the student being graded gets no row."""


def _follow(run_, read_end, proc, stop=None) -> str:
    """Hand the learner's frames to the session until it is done, the process ends or a deadline passes; why it
    stopped.  ``stop`` set raises ``Stopped`` within a quarter of a second."""
    stream = _Stream()
    while True:
        if stop is not None and stop.is_set():
            raise Stopped("grading was stopped")
        left = run_.deadline - time.perf_counter()
        if left <= 0:
            return run_.late(STARTUP)
        status = _frames(read_end, time.perf_counter() + min(left, 0.25), run_.on_frame, proc, stream=stream)
        if status in ("done", "ended", "too much data", "a frame over the limit"):
            return status


class _Commands:
    """Sends a command (one JSON line) to the learner's process; a process gone is no error here."""

    def __init__(self, fd):
        self.fd = fd

    def __call__(self, command):
        try:
            data = (json.dumps(command) + "\n").encode()
            while data:
                data = data[os.write(self.fd, data):]
        except OSError:
            pass


def _how(code):
    """How the learner's process ended, from the supervisor's exit status (100 + signal), or None."""
    if code == 99:
        return "its processes together held more than the memory limit (plus 256 MiB): all were ended"
    if code == 97:
        return OVER_WRITTEN
    number = -code if code is not None and code < 0 else code - 100 if code is not None and code > 100 else None
    try:
        return f"killed by {signal.Signals(number).name}" if number else None
    except ValueError:
        return f"killed by signal {number}"


def _peek_after(seconds, timeout) -> float:
    """When to ask an exercise still running where it is: ten times what the library took on the same inputs, at
    least 1 s, at most half the time limit (asking early costs at most a run again, never a verdict)."""
    seconds = float(seconds) if isinstance(seconds, (int, float)) else 0.0
    return min(timeout / 2, max(1.0, 10 * seconds))


def _set_broken_aside(copy, broken, todo, stubs, flags, note) -> list:
    """A file of the copy that does not compile or fails when imported (``broken``: {path: "does not compile
    (SyntaxError at line 3: ...)"}) is replaced by the starter's (the library's, its exercises stubbed), so that
    the rest of the workspace can still be graded: the exercises in that file fail naming the file and line,
    flagged; their functions run the library's code for the others.  Returns the exercises left to grade."""
    if not broken:
        return todo
    starter = workspace.stubbed_files()
    for path, why in sorted(broken.items()):
        flags.add(f"{path} {why}: the exercises in it get no points, the rest was graded")
        try:
            text = starter.get(path) or workspace.library_text(path)
        except OSError:
            text = ""  # (a module of the learner's own: empty, so that importing it fails no one else)
        (copy / path).write_text(text, encoding="utf-8")
    stubs.update(t for e in EXERCISES for t in e.targets if source.split_target(t)[0] in broken)
    left = []
    for name in todo:
        hit = [t for t in BY_NAME[name].targets if source.split_target(t)[0] in broken]
        if hit:
            path = source.split_target(hit[0])[0]
            note(name, False, f"{path} {broken[path]}: fix it and this exercise is graded", 0.0)
        else:
            left.append(name)
    return left


IMPORT_FAILED = "the workspace's minigan cannot be imported: "


def _import_failure(todo, got):
    """(the file, "fails when imported (...)") when every exercise of ``todo`` failed on the workspace's import at
    one place of a file (``at minigan/...py:LINE``), else None."""
    import re
    messages = {got[n][2].split("; hint:")[0] for n in todo if n in got and not got[n][1]}
    if not todo or len(messages) != 1 or len([n for n in todo if n in got]) != len(todo):
        return None
    message = messages.pop()
    at = re.search(r"\(at (minigan/[\w/.]+\.py):(\d+)\)", message)
    if not message.startswith(IMPORT_FAILED) or at is None:
        return None
    what = message[len(IMPORT_FAILED):].split("; hint:")[0].split(" (at minigan/")[0]
    return at.group(1), f"fails when imported (at line {at.group(2)}: {what[:200]})"


def grade(folder, names=None, timeout=TIMEOUT, on_result=None, torch=False, memory=None, record=True, seed=None,
          flags=None, stop=None) -> tuple:
    """([(name, passed, message, seconds)], total seconds) for the exercises asked; ``torch=True`` adds PyTorch
    as an oracle where it has the same function (if installed).  ``record`` keeps the grades in the workspace's
    progress file.  ``flags`` (a set) receives what the teacher should look at.  ``stop`` (a threading.Event),
    once set, ends the grading within a second: ``Stopped`` is raised."""
    root = Path(folder).resolve()
    if record:
        workspace.read_manifest(root)  # a clear error when this is not a workspace
    if not (root / "minigan" / "__init__.py").is_file() and not os.path.islink(root / "minigan"):
        raise workspace.WorkspaceError(f"exercises: {root} has no minigan/ package (was it moved?): nothing to grade")
    run, start = resolve(names), time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="minigan-copy-") as copy:
        job = _Grading(Path(copy), run, secrets.randbits(31) if seed is None else seed, timeout, torch,
                       memory or (MEMORY_TORCH if torch else MEMORY), set() if flags is None else flags, stop)
        job.grade(root)
    results = [job.got[name] for name in run]
    if on_result:
        for r in results:
            on_result(r)
    if record:
        workspace.record(root, results)
    return results, time.perf_counter() - start


class _Judge:
    """``judge(name, meta, arrays)`` → passed, for a learner's process: the verdict (``decide``) written down."""

    def __init__(self, expected, note):
        self.expected, self.note = expected, note

    def __call__(self, name, meta, arrays):
        passed, message = decide(name, (meta, arrays), self.expected[name])
        seconds = float(meta.get("seconds") or 0.0) if isinstance(meta.get("seconds"), (int, float)) else 0.0
        self.note(name, passed, message, seconds)
        return passed


class _Grading:
    """One workspace's grading, on its private copy: the exercises asked (``run``), the grades so far (``got``),
    what its processes wrote in all (``written``)."""

    def __init__(self, copy, run, seed, timeout, torch, memory, flags, stop=None):
        self.copy, self.run, self.seed, self.timeout, self.torch = copy, run, seed, timeout, torch
        self.memory, self.flags, self.written, self.stop = memory, flags, Written(), stop
        self.got, self.again, self.expected, self.stubs, self.modules = {}, {}, {}, set(), set()

    def note(self, name, passed, message, seconds):
        """Write down a grade (a failure with its hint, and the helpers the exercise needs)."""
        message = " ".join(str(message).split())
        if not passed and "hint:" not in message:
            message += f"; hint: {BY_NAME[name].hint}"
        if not passed and BY_NAME[name].needs and "functions written" not in message:
            message += f" ({name} {BY_NAME[name].needs})"  # (the helpers a learner may not know to write)
        self.got[name] = (name, passed, message, seconds)

    def keep(self, name, passed, message, seconds):
        """Write down a grade of the grading again: kept when it passes."""
        self.again[name] = (name, passed, message, seconds)
        if passed:
            self.got[name] = (name, passed, message, seconds)

    def grade(self, root):
        todo = self._sort_out(copy_package(root, self.copy))
        why = self.first_pass(todo, set(self.stubs), self.got, self.note)
        for _ in range(3):  # a file that fails when imported (not syntax): set aside as one that does not compile
            place = _import_failure(todo, self.got)
            if place is None or not (self.copy / place[0]).is_file():
                break
            for name in todo:
                self.got.pop(name, None)
            todo = _set_broken_aside(self.copy, {place[0]: place[1]}, todo, self.stubs, self.flags, self.note)
            compile_copy(self.copy, self.modules)
            why = self.first_pass(todo, set(self.stubs), self.got, self.note)
        for name in todo:
            if name not in self.got:
                self.note(name, False, f"the grading process stopped before this exercise: {why}", 0.0)
        # In lesson order an exercise ran with the library's code of the exercises that failed before it, and the
        # learner's own of those after it.  One that failed while a later one failed too is graded again, last
        # first, with the library's code of the later failed ones (decided: their code helps nothing else).
        failed = [name for name in todo if not self.got[name][1]]
        if len(failed) >= 2:
            self.first_pass(failed[-2::-1], self.stubs | set(BY_NAME[failed[-1]].targets), self.again, self.keep)

    def _sort_out(self, links) -> list:
        """The exercises to run: not those through a link, not started or in a file that does not compile (each
        written down); the library's code for the exercises not asked."""
        if links:
            self.flags.add(f"links in the workspace (never followed): {', '.join(links[:3])}")
        self.stubs = unwritten(self.copy)
        todo = []
        for name in self.run:
            targets = BY_NAME[name].targets
            linked = [t for t in targets if source.split_target(t)[0] in links]
            stub = next((t for t in targets if t in self.stubs), None)
            if linked:
                self.note(name, False, f"{source.split_target(linked[0])[0]} is a link in the workspace: the grader "
                                       "never follows a link (make it a file)", 0.0)
            elif stub is not None:
                self.note(name, False, f"{workspace.NOT_STARTED} (the body of {stub} is still the stub)", 0.0)
            else:
                todo.append(name)
        self.expected = reference(self.run, self.seed, self.torch, self.timeout, self.stop) if todo else {}
        broken, self.modules = {}, {m for name in todo for m in self.expected[name][0].get("modules", ())}
        compile_copy(self.copy, self.modules, broken)
        todo = _set_broken_aside(self.copy, {p: f"does not compile ({w})" for p, w in broken.items()}, todo,
                                 self.stubs, self.flags, self.note)
        # the exercises not asked run the library's code: a subset's grades never depend on code it does not grade
        # (a loop or a crash in a week's earlier function fails nothing of this week's)
        self.stubs |= {t for e in EXERCISES if e.name not in self.run for t in e.targets}
        return todo

    def first_pass(self, todo, handed, got, note) -> str:
        """Grade ``todo`` in order in a learner's process (started again for the rest if it is killed mid-way),
        the library's code for ``handed``, each grade written down by ``note`` into ``got``; returns why it stopped
        early ('' when it did not)."""
        peeks = {name: _peek_after(self.expected[name][0].get("seconds"), self.timeout) for name in todo}
        why, killed, judge = "", set(), _Judge(self.expected, note)
        for _ in range(4):  # a process killed mid-way is started again for the rest
            left = [name for name in todo if name not in got]
            if not left:
                break
            current, why = _run_student(self, left, judge, handed, peeks)
            if why.startswith("killed by") and current not in killed:
                killed.add(current)  # a signal the grader did not send (it ends its processes only once done)
                self.flags.add(f"the grading process was {why[:40]} while grading {current or 'nothing yet'}, a "
                               "signal the grader did not send: graded again")
                continue
            if current is not None:
                note(current, False, f"the grading process was killed while grading this exercise ({why})", 0.0)
                handed.update(BY_NAME[current].targets)
            elif all(name not in got for name in left):
                break  # no progress: it dies before grading anything
        return why
