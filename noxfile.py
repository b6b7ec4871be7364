"""The version matrix: `nox` runs the default test suite at each end of what pyproject.toml declares.

    pip install -e ".[test]"   # brings nox
    nox                        # every session below, one virtualenv each (in .nox/; `nox -r` reuses them)
    nox -s newest_torch        # one session; `nox -s no_torch -- tests/engine/test_graph.py` passes pytest arguments

nox looks for each session's Python as `python3.X` on PATH (with pyenv: `pyenv global 3.11 3.10 3.13`, or
PYENV_VERSION=3.11.7:3.10.13:3.13.0 for one command, puts them there).

Sessions: the lowest NumPy declared and the newest that installs (both with PyTorch 2.13, the oracle the
comparisons were written against), PyTorch 2.13 and the newest PyTorch that installs (with the newest NumPy), and
no PyTorch at all (its comparisons skip).  A comparison that encodes one PyTorch version's behaviour says which
and skips on another (docs/pytorch.md, "Which PyTorch").  Which sessions ran green before a release: CHANGELOG.md.
"""

from __future__ import annotations

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = False

NUMPY_FLOOR = "1.24.4"  # pyproject.toml: numpy>=1.24 (1.24 has wheels for Python 3.10 and 3.11 only)
TORCH_ORACLE = "2.13.0"  # the PyTorch the comparisons were written against (README)


def _install(session, *pins):
    session.install("-e", ".[test]")
    if pins:
        session.install(*pins)


def _pytest(session):
    session.run("python", "-c", "import sys, numpy; print('python', sys.version.split()[0], 'numpy', "
                "numpy.__version__); import importlib.util as u; t = u.find_spec('torch'); "
                "print('torch', __import__('torch').__version__ if t else 'none')")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session(python="3.10")
def lowest_numpy(session):
    """The lowest Python and NumPy declared, 3.10 and 1.24 (value-based promotion: a Python number and a float32
    scalar make a float64), with the oracle."""
    _install(session, f"numpy=={NUMPY_FLOOR}", f"torch=={TORCH_ORACLE}")
    _pytest(session)


@nox.session(python="3.13")
def newest_numpy(session):
    """The newest NumPy pip finds, with the oracle (on Python 3.13: NumPy 2.5 has no wheels for 3.10 and 3.11)."""
    _install(session, f"torch=={TORCH_ORACLE}")
    session.install("--upgrade", "numpy")
    _pytest(session)


@nox.session
def torch_oracle(session):
    """PyTorch 2.13, the version the comparisons were written against."""
    _install(session, f"torch=={TORCH_ORACLE}")
    _pytest(session)


@nox.session
def newest_torch(session):
    """The newest PyTorch that installs here (where versions differ, minigan follows it: docs/pytorch.md)."""
    _install(session)
    session.install("--upgrade", "torch", "numpy")
    _pytest(session)


@nox.session
def no_torch(session):
    """minigan alone: every comparison with PyTorch skips (`needs torch (a test-only oracle)`)."""
    _install(session)
    session.run("python", "-c", "import importlib.util as u, sys; sys.exit(u.find_spec('torch') is not None)")
    _pytest(session)
