"""Grade a workspace: run ``worker.py`` against the workspace's copy of minigan and collect one result per exercise.

The learner's code is not trusted to report its own grade.  The worker runs in a POSIX process session of
its own, with an address-space limit, and grades each exercise in a process of its own that it ends at the time
limit (SIGKILL: nothing the code does can catch it) or once it has reported; results come back on a
pipe made for them (not stdout, where the learner's code prints), each line carrying a token the
learner's process never sees; only the first result for each exercise asked counts.  When grading is
done every process left in the worker's process session (a daemon the learner's code started) is ended, and
the grader never waits for a pipe such a process might hold.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from minigan.exercises import workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES

TIMEOUT = 20.0  # seconds for one exercise's checks; the reference takes well under 2
MEMORY = 512 << 20  # bytes of address space for the grading process and each exercise (NumPy takes ~0.12 GB)
MEMORY_TORCH = 4 << 30  # ... when PyTorch is imported too
STARTUP = 60.0  # seconds to import the workspace's minigan before the first exercise


def resolve(names) -> list:
    """The exercises asked for (all when none), in lesson order; an unknown name raises naming the known ones."""
    if not names:
        return [e.name for e in EXERCISES]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise workspace.WorkspaceError(f"exercises check: no exercise named {unknown[0]!r}; "
                                       "`exercises list` shows them all")
    return [e.name for e in EXERCISES if e.name in set(names)]


def _session_members(sid) -> list:
    """The processes of session ``sid`` (Linux's /proc; elsewhere only the group leader is known)."""
    pids = []
    proc = Path("/proc")
    if not proc.is_dir():
        return pids
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()  # after "pid (name)": state ppid pgrp session ...
        if len(fields) > 3 and fields[3] == str(sid):
            pids.append(int(entry.name))
    return pids


def end_session(sid) -> None:
    """SIGKILL every process of the session ``sid`` (the worker's, started with start_new_session)."""
    for _ in range(3):  # a process may fork while we look: look again
        members = _session_members(sid)
        for pid in members:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        try:
            os.killpg(sid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        if not members:
            return


def _run_worker(root, run, timeout, torch, memory, note) -> tuple:
    """Grade ``run`` in one worker, calling ``note(name, passed, message, seconds)`` for each result; returns
    (the exercise it was grading when it died, or None, and why it stopped when it did not finish)."""
    token = secrets.token_hex(16)
    read_end, write_end = os.pipe()
    job = {"workspace": str(root), "repo": str(workspace.REPO), "run": run, "timeout": timeout, "torch": torch,
           "memory": memory, "token": token, "results_fd": write_end,
           "exercises": [{"name": e.name, "targets": list(e.targets)} for e in EXERCISES]}
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")  # small matrices: one BLAS thread is fastest
    errors = tempfile.TemporaryFile(mode="w+")  # files, not pipes: nothing the learner's code starts holds us up
    try:
        with tempfile.TemporaryFile(mode="w+") as job_file:
            json.dump(job, job_file)
            job_file.seek(0)
            proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("worker.py"))], cwd=root, env=env,
                                    stdin=job_file, stdout=subprocess.DEVNULL, stderr=errors,
                                    pass_fds=(write_end,), start_new_session=True)
    finally:
        os.close(write_end)
    wanted, done, buffer, current = set(run), set(), b"", None
    deadline = time.perf_counter() + STARTUP  # to import the workspace's minigan (its module-level code may loop)
    try:
        while len(done) < len(run):
            left = deadline - time.perf_counter()
            if left <= 0:
                break
            if select.select([read_end], [], [], min(left, 0.2))[0]:
                chunk = os.read(read_end, 65536)
                if not chunk:
                    break
                buffer += chunk
                *lines, buffer = buffer.split(b"\n")
                for line in lines:
                    tag, _, body = line.decode("utf-8", "replace").partition(" ")
                    if tag != token:
                        continue
                    if body == "ready":  # then each exercise has its limit (the worker enforces it), and a margin
                        deadline = time.perf_counter() + (timeout + 2) * len(run)
                        continue
                    if body.startswith("start "):
                        current = body[len("start "):]
                        continue
                    r = json.loads(body)
                    if r.get("name") not in wanted or r["name"] in done:
                        continue  # one result per exercise asked: the first
                    done.add(r["name"])
                    current = None
                    note(r["name"], r["passed"] is True, str(r["message"]), float(r["seconds"]))
            elif proc.poll() is not None and not select.select([read_end], [], [], 0)[0]:
                break  # the worker has ended and nothing more is coming (a process it left may hold the pipe)
    finally:
        os.close(read_end)
        end_session(proc.pid)
        proc.wait()
        errors.seek(0)
        stderr = errors.read()
        errors.close()
    if len(done) == len(run):
        return None, ""
    if time.perf_counter() >= deadline:
        return None, f"took too long (importing the workspace's minigan may take {STARTUP:g} s)"
    status = proc.returncode
    why = f"killed by {signal.Signals(-status).name}" if status < 0 and -status in signal.valid_signals() \
        else (stderr.strip().splitlines() or [f"exit status {status}"])[-1]
    return (current if current in wanted and current not in done else None), why


def grade(folder, names=None, timeout=TIMEOUT, on_result=None, torch=False, memory=None, record=True) -> tuple:
    """([(name, passed, message, seconds)], total seconds) for the exercises asked, graded in fresh processes;
    ``torch=True`` adds PyTorch as an oracle where it has the same function (if installed).  ``record``
    keeps the grades in the workspace's progress file (``exercises grade`` leaves a submission untouched and
    never needs that file)."""
    root = Path(folder).resolve()
    if record:
        workspace.read_manifest(root)  # a clear error when this is not a workspace
    if not (root / "minigan" / "__init__.py").is_file():
        raise workspace.WorkspaceError(f"exercises: {root} has no minigan/ package (was it moved?): nothing to grade")
    run = resolve(names)
    memory = memory or (MEMORY_TORCH if torch else MEMORY)
    got, start = {}, time.perf_counter()

    def note(name, passed, message, seconds):
        if not passed and "hint:" not in message:
            message += f"; hint: {BY_NAME[name].hint}"
        got[name] = (name, passed, message, seconds)
        if on_result:
            on_result(got[name])

    for _ in range(3):  # a worker killed mid-way (by the code it grades, say) is started again for the rest
        left = [name for name in run if name not in got]
        if not left:
            break
        current, why = _run_worker(root, left, timeout, torch, memory, note)
        if current is None:
            break
        note(current, False, f"the grading process was killed while grading this exercise ({why})", 0.0)
    for name in run:
        if name not in got:
            note(name, False, f"the grading process stopped before this exercise: {why}", 0.0)
    results = [got[name] for name in run]
    if record:
        workspace.record(root, results)
    return results, time.perf_counter() - start
