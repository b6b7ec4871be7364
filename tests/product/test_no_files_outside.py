"""The suite writes nothing outside a temporary folder: not into a user's ~/.cache/minigan, not into their home.

tests/conftest.py points $MINIGAN_CACHE and $HOME at one temporary folder for the whole run (removed at its end);
these tests check that the library's default paths land there, and run a few tests in a child pytest whose HOME
is a fresh, empty folder, which must still be empty afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from conftest import SCRATCH

from minigan import classifier

ROOT = Path(__file__).resolve().parents[2]


def _inside(path, folder) -> bool:
    return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(folder))


def test_the_library_writes_its_cache_and_home_files_into_the_runs_temporary_folder():
    """What any lesson, command or `prepare` writes by default (``cache_dir()``, then ``~``) is under the run's
    temporary folder, which is under the system's temporary directory."""
    assert _inside(SCRATCH, tempfile.gettempdir())
    assert _inside(classifier.cache_dir(), SCRATCH) and _inside(Path.home(), SCRATCH)
    where = classifier.cache_dir() / "written-by-a-test.txt"
    where.parent.mkdir(parents=True, exist_ok=True)
    where.write_text("a test wrote this")  # as the reference classifiers, the attack CNNs and the digits GAN are
    assert _inside(where, SCRATCH)


def test_a_run_leaves_a_fresh_home_empty_and_removes_its_temporary_folder(tmp_path):
    """A child pytest with HOME a fresh empty folder and no $MINIGAN_CACHE (a learner's machine): the test above,
    `prepare` (tests/product/test_prepare.py) and a lesson run as a notebook leave that HOME empty, and the run's own
    temporary folder is gone when it ends."""
    home, scratch_parent = tmp_path / "home", tmp_path / "tmp"
    home.mkdir()
    scratch_parent.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("MINIGAN_CACHE", "PYTEST_ADDOPTS")}
    env.update(HOME=str(home), USERPROFILE=str(home), TMPDIR=str(scratch_parent))
    tests = ["tests/product/test_no_files_outside.py::test_the_library_writes_its_cache_and_home_files_into_the_runs_"
             "temporary_folder", "tests/product/test_prepare.py",
             "tests/product/test_notebooks.py::test_fast_notebook_runs_top_to_bottom_with_figures_inline[01_autograd_"
             "tour]"]
    # (-m "not slow": the notebook's case is built whether or not the default run's slice holds it)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-m", "not slow", *tests],
                         cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout
    assert sorted(p.relative_to(home).as_posix() for p in home.rglob("*")) == []
    assert [p.name for p in scratch_parent.iterdir() if p.name.startswith("minigan-tests-")] == []
