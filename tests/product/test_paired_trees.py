"""benchmarks/paired_trees.py: a revision extracted with git archive is that revision's files, and the bench runs
with minigan imported from the tree it was given (never from the installed checkout)."""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("git") is None or not (REPO / ".git").exists(),
                                reason="needs git and a git checkout")


def _script():
    spec = importlib.util.spec_from_file_location("paired_trees", REPO / "benchmarks" / "paired_trees.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_revision_is_extracted_as_it_was_committed(tmp_path):
    tree = _script().extract("HEAD", tmp_path)
    for path in ("minigan/__init__.py", "minigan/engine/backend.py", "pyproject.toml"):
        committed = subprocess.run(["git", "-C", str(REPO), "show", f"HEAD:{path}"], capture_output=True,
                                   check=True).stdout
        assert (tree / path).read_bytes() == committed, path


def _child(tree, pythonpath, cwd):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = str(pythonpath)
    return subprocess.run([sys.executable, "-c", _script().CHILD, str(tree), "--help"], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_bench_runs_from_the_tree_it_is_given_and_refuses_another_minigan(tmp_path):
    tree = _script().extract("HEAD", tmp_path)
    ran = _child(tree, tree, tree)  # as the script runs it
    assert ran.returncode == 0 and "--only" in ran.stdout, ran.stderr[-2000:]
    stray = _child(tree, REPO, tmp_path)  # minigan found in the checkout, not in the tree: the run must stop
    assert stray.returncode != 0 and "AssertionError" in stray.stderr
