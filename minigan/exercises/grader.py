"""Grade a workspace: run ``worker.py`` against the workspace's copy of minigan and collect one line per exercise."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from minigan.exercises import workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES

TIMEOUT = 20.0  # seconds for one exercise's checks; the reference takes well under 2


def resolve(names) -> list:
    """The exercises asked for (all when none), in lesson order; an unknown name raises naming the known ones."""
    if not names:
        return [e.name for e in EXERCISES]
    unknown = [n for n in names if n not in BY_NAME]
    if unknown:
        raise workspace.WorkspaceError(f"exercises check: no exercise named {unknown[0]!r}; "
                                       "`exercises list` shows them all")
    return [e.name for e in EXERCISES if e.name in set(names)]


def grade(folder, names=None, timeout=TIMEOUT, on_result=None, torch=False) -> tuple:
    """([(name, passed, message, seconds)], total seconds) for the exercises asked, graded in a fresh Python
    process; ``torch=True`` adds PyTorch as an oracle where it has the same function (if installed)."""
    root = Path(folder).resolve()
    workspace.read_manifest(root)  # a clear error when this is not a workspace
    if not (root / "minigan" / "__init__.py").is_file():
        raise workspace.WorkspaceError(f"exercises check: {root} has no minigan/ package; was it moved?")
    run = resolve(names)
    job = {"workspace": str(root), "repo": str(workspace.REPO), "run": run, "timeout": timeout, "torch": torch,
           "exercises": [{"name": e.name, "targets": list(e.targets)} for e in EXERCISES]}
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env.setdefault(var, "1")  # small matrices: one BLAS thread is fastest
    results, start = [], time.perf_counter()
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: code that prints a lot cannot block
    proc = subprocess.Popen([sys.executable, str(Path(__file__).with_name("worker.py"))], cwd=root, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True)
    proc.stdin.write(json.dumps(job))
    proc.stdin.close()
    watchdog = threading.Timer(timeout * len(run) + 60, proc.kill)  # stuck where the per-exercise alarm cannot reach
    watchdog.start()
    for line in proc.stdout:  # the learner's code may print: only our lines count
        if line.startswith("@@result "):
            r = json.loads(line[len("@@result "):])
            message = r["message"]
            if not r["passed"] and "hint:" not in message:
                message += f"; hint: {BY_NAME[r['name']].hint}"
            results.append((r["name"], r["passed"], message, r["seconds"]))
            if on_result:
                on_result(results[-1])
    proc.wait()
    proc.stdout.close()  # (read to its end above; closing it is ours to do)
    watchdog.cancel()
    errors.seek(0)
    stderr = errors.read()
    errors.close()
    done = {r[0] for r in results}
    missing = [n for n in run if n not in done]
    if missing:  # the process died (an os._exit, a crash in NumPy...): say so for each one not graded
        last = (stderr.strip().splitlines() or [f"exit status {proc.returncode}"])[-1]
        for name in missing:
            results.append((name, False, f"the grading process stopped before this exercise: {last}", 0.0))
            if on_result:
                on_result(results[-1])
    workspace.record(root, results)
    return results, time.perf_counter() - start
