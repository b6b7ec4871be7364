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
                if source.is_stub((Path(root) / path).read_text(encoding="utf-8"), qualname):
                    targets.append(target)
            except (OSError, SyntaxError, UnicodeDecodeError):
                pass  # a file that does not parse: the command will say so when it imports it
    return targets


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
