"""Shared test set-up: backends, hypothesis profiles, helpers."""

import atexit
import contextlib
import os
import shutil
import tempfile

# MINIGAN_BACKEND=strict python -m pytest: the whole session on the strict stand-in (a survey: most tests read
# results with NumPy, which a device array refuses).  backend.py knows numpy and cupy only: take the name away.
STRICT_SESSION = os.environ.get("MINIGAN_BACKEND", "").strip().lower() == "strict"
if STRICT_SESSION:
    del os.environ["MINIGAN_BACKEND"]

# Nothing the suite runs writes outside a temporary folder: minigan's cache (reference classifiers, the attack
# lessons' CNNs, prepare's parts) and every HOME-based path (matplotlib's font list, Jupyter's kernel files) go
# into one folder for the whole run, removed at its end.  Set here, before anything is imported, so the lessons
# and commands that tests run in child processes inherit it too.  A user's ~/.cache/minigan is never read or
# written: what a test trains is trained once per run into this folder (tests/product/test_no_files_outside.py checks).
SCRATCH = tempfile.mkdtemp(prefix="minigan-tests-")
os.environ["MINIGAN_CACHE"] = os.path.join(SCRATCH, "cache")
os.environ["HOME"] = os.environ["USERPROFILE"] = os.path.join(SCRATCH, "home")  # USERPROFILE: Windows' home
os.makedirs(os.environ["HOME"])
atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import strict_backend  # noqa: E402  (tests/strict_backend.py: pytest puts tests/ on the path)
from hypothesis import HealthCheck, settings  # noqa: E402

import minigan  # noqa: E402
from minigan.engine import backend  # noqa: E402

# CI runs derandomized, so a failure seen there reproduces on any machine.
settings.register_profile(
    "ci", derandomize=True, deadline=None, print_blob=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "dev", deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))

# The suite was written for one BLAS thread: its matrices are small, and on a busy machine several
# threads spin against each other.  `import minigan` leaves the count alone, so set it once here.
minigan.set_num_threads(1)

GPU = backend.cupy_available()
if STRICT_SESSION:
    backend.set_device_module(strict_backend.strict, scatter_add=strict_backend.scatter_add)
    minigan.use_backend("cupy")
# "strict": CuPy's code path with a CPU stand-in for CuPy (tests/strict_backend.py) whose arrays, like CuPy's,
# refuse to become NumPy arrays, so a NumPy-only call in the library fails here and not on the first GPU run.
BACKENDS = ["numpy", "strict",
            pytest.param("cupy", marks=pytest.mark.skipif(not GPU, reason="needs CuPy and an NVIDIA GPU"))]


@pytest.fixture(params=BACKENDS)
def xp_backend(request):
    """Run the test once per backend; yields the array module (numpy, the strict stand-in, or cupy)."""
    previous = backend.backend_name()
    # The NumPy run too has a device module beside it (the stand-in where no GPU is), as on a machine with
    # CuPy: code that takes another path when CuPy is importable is tested on the CPU as it runs there.
    with contextlib.nullcontext() if request.param == "cupy" or GPU else strict_backend.installed():
        minigan.use_backend("numpy" if request.param == "numpy" else "cupy")
        try:
            yield backend.active_module()
        finally:
            minigan.use_backend("numpy")
    minigan.use_backend(previous)


@pytest.fixture(params=["strict", BACKENDS[2]])
def cuda_device(request):
    """A "cuda" device beside the CPU (the strict stand-in, or CuPy on a GPU); the active backend stays."""
    with strict_backend.installed() if request.param == "strict" else contextlib.nullcontext():
        yield backend.module_for_device("cuda")


@pytest.fixture(autouse=True)
def _seeded():
    minigan.manual_seed(0)
    yield


# ----------------------------------------------------------------------------- tolerances from the dtype
def ulps(dtype, n: int = 4) -> float:
    """A relative tolerance of ``n`` units in the last place of ``dtype`` (its machine epsilon times n).

    Two machines need not agree to the last bit on a float function: exp, log, tanh, pow ... are within an ulp
    or two of the true value in every math library, and Intel's, AMD's and a GPU's differ there; a sum or product
    of k such terms carries about k ulps more.  So a comparison of float results across machines (or with
    PyTorch, which has its own kernels) allows a few ulps of the dtype: ``rtol=ulps(np.float32)`` is 4.8e-7,
    ``ulps(np.float64)`` 8.9e-16.  Exact equality stays for what is exact by construction: integers, copies,
    views, selections (0 where a mask is off, ±∞ and NaN passed through), and results of one machine's own
    arithmetic compared with themselves.
    """
    return n * float(np.finfo(dtype).eps)


# ----------------------------------------------------------------------------- the run explains its own skips
def skip_reason(report) -> str:
    """The reason a test was skipped, without pytest's "Skipped: " prefix."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ").strip()


SKIP_REASONS_SHOWN = 20


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After the counts: one line per reason a test was skipped, with how many, most first; and what the
    deselected ones are (the `slow` marker)."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = skip_reason(report)
        counts[reason] = counts.get(reason, 0) + 1
    deselected = len(terminalreporter.stats.get("deselected", []))
    if not counts and not deselected:
        return
    terminalreporter.section("why tests did not run", sep="-")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    for reason, n in ranked[:SKIP_REASONS_SHOWN]:
        terminalreporter.write_line(f"{n:6,} skipped: {reason}")
    rest = ranked[SKIP_REASONS_SHOWN:]
    if rest:
        terminalreporter.write_line(f"{sum(n for _, n in rest):6,} skipped for {len(rest)} other reasons "
                                    "(python -m pytest -rs lists each)")
    if deselected:
        terminalreporter.write_line(f"{deselected:6,} deselected: by -m or -k (by default the long checks marked "
                                    "slow; python -m pytest -m slow runs them)")
