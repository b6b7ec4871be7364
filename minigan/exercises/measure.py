"""Predict, then measure, on the learner's own code: run an exercise's "measure" command in the workspace,
with the workspace's minigan, and the exercises not written yet (still their stub) running the reference
solution, as ``check`` does.  Without this, the command run inside a workspace dies on the first unwritten
exercise it meets, and run outside one it measures the library instead of what the learner wrote.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from minigan.exercises import source, workspace
from minigan.exercises.catalogue import BY_NAME, EXERCISES


def command(name) -> str:
    """The exercise's measure command, as EXERCISES.md shows it."""
    return BY_NAME[name].predict.partition("measure: ")[2].strip()


def unwritten(root) -> list:
    """The targets whose body in the workspace ``root`` is still the stub it started with."""
    targets = []
    for ex in EXERCISES:
        for target in ex.targets:
            path, qualname = source.split_target(target)
            try:
                if workspace.untouched((Path(root) / path).read_text(encoding="utf-8"), path, qualname):
                    targets.append(target)
            except (OSError, UnicodeDecodeError):
                pass
    return targets


def broken(root) -> list:
    """["minigan/...py does not compile (SyntaxError at line N: ...)"] for the workspace's files that do not
    compile (compiled, never run): importing minigan would stop at them with a traceback."""
    found = []
    for path in sorted((Path(root) / "minigan").rglob("*.py")):
        if path.is_symlink() or not path.is_file():
            continue
        try:
            with source.PARSING:
                compile(path.read_bytes(), str(path), "exec", dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            line = f" at line {e.lineno}" if isinstance(e, SyntaxError) and e.lineno else ""
            message = e.msg if isinstance(e, SyntaxError) else str(e)
            found.append(f"{path.relative_to(root).as_posix()} does not compile ({type(e).__name__}{line}: "
                         f"{message[:200]})")
        except OSError:
            pass
    return found


def run(folder, name, stdout=None, stderr=None) -> tuple:
    """Run exercise ``name``'s measure command in the workspace ``folder``: (exit status, the exercises that
    ran the reference because they are not written yet)."""
    root = Path(folder).resolve()
    workspace.read_manifest(root)
    if name not in BY_NAME:
        raise workspace.WorkspaceError(f"exercises measure: no exercise named {name!r}; `exercises list` shows "
                                       "them all")
    args = shlex.split(command(name))
    if args[:1] != ["python"] or args[1:2] not in (["-c"], ["-m"]):
        raise workspace.WorkspaceError(f"exercises measure: {name}'s command is not `python -c` or `python -m`")
    bad = broken(root)
    if bad:
        raise workspace.WorkspaceError(f"exercises measure: {bad[0]}: fix it, then measure again (the command "
                                       "imports all of minigan)")
    fill = unwritten(root)
    filled = [ex.name for ex in EXERCISES if set(ex.targets) & set(fill)]
    env = dict(os.environ, PYTHONPATH=str(root), PYTHONDONTWRITEBYTECODE="1")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as config:
        json.dump({"workspace": str(root), "repo": str(workspace.REPO), "fill": fill}, config)
    try:
        done = subprocess.run([sys.executable, str(Path(__file__).with_name("worker.py")), "measure", config.name,
                               *args[1:]], cwd=root, env=env, stdout=stdout, stderr=stderr)
    finally:
        os.unlink(config.name)
    return done.returncode, filled
