"""Shared test set-up: backends, hypothesis profiles, helpers."""

import atexit
import contextlib
import dataclasses
import gc
import itertools
import os
import random
import re
import shutil
import sys
import tempfile
import zlib

# Bytecode is written and read beside the sources (__pycache__/, git-ignored), as Python does by default, even where
# the environment sets PYTHONDONTWRITEBYTECODE (some CI images and this project's own machines do).  With it set,
# every process the run starts compiles minigan and the tests again from source: each pytest-xdist worker's
# collection cost 35 CPU-s where 18 read the bytecode, and each lesson, command, notebook kernel and child pytest
# a test starts compiled what it imports (0.4-0.8 CPU-s each).  Set here, before minigan is imported, and taken out
# of the environment so the workers and the children write and reuse it too; what the exercises' grader starts
# still says PYTHONDONTWRITEBYTECODE itself.
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

# The comparisons with PyTorch that hold bit for bit were recorded with NumPy's and PyTorch's AVX2 kernels.  On a CPU
# with AVX-512 both pick wider kernels that round a few functions differently in the last bit (NumPy's float64 power:
# the 3-norm of [0.011, 1.152, 0.202] ends ...90b there, ...90c under AVX2 and in C's pow) and read NaN differently in
# their vector loops (PyTorch's logit_backward with eps), so there both are held to AVX2 for the run, before NumPy or
# PyTorch is imported (the workers and the children inherit it).  A learner's program sees the same numbers either
# way to a unit in the last place; an explicit setting in the environment is kept.
def _hold_to_avx2():
    try:
        with open("/proc/cpuinfo") as f:
            if " avx512f" not in f.read():
                return
        from importlib.metadata import version

        major, minor = (int(part) for part in version("numpy").split(".")[:2])
    except (OSError, ValueError, ImportError):
        return
    os.environ.setdefault("ATEN_CPU_CAPABILITY", "avx2")
    if (major, minor) >= (2, 4):  # (NumPy 2.4 names its dispatch targets by x86-64 level)
        os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL AVX512_SPR")
    else:
        os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "AVX512F AVX512CD AVX512_KNL AVX512_KNM AVX512_SKX "
                                                          "AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR")


_hold_to_avx2()

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
# Under pytest-xdist (README's `-n auto`) each worker is a process that imports this file too: the workers share
# the run's folder, so what one trains the other reads (the cache is written atomically), each with a HOME of its
# own in it.  A worker finds the folder in the environment its parent, the run's main process, set; a pytest that
# a test starts (tests/product/test_no_files_outside.py) has another parent, and makes and removes its own.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
_parent, _, _folder = os.environ.get("MINIGAN_TESTS_SCRATCH", "").partition(":")
if WORKER and _parent == str(os.getppid()) and os.path.isdir(_folder):
    SCRATCH = _folder
else:
    SCRATCH = tempfile.mkdtemp(prefix="minigan-tests-")
    atexit.register(shutil.rmtree, SCRATCH, ignore_errors=True)
    os.environ["MINIGAN_TESTS_SCRATCH"] = f"{os.getpid()}:{SCRATCH}"
os.environ["MINIGAN_CACHE"] = os.path.join(SCRATCH, "cache")
_home = os.path.join(SCRATCH, f"home-{WORKER}" if WORKER else "home")
os.environ["HOME"] = os.environ["USERPROFILE"] = _home  # USERPROFILE: Windows' home
os.makedirs(_home, exist_ok=True)

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import strict_backend  # noqa: E402  (tests/strict_backend.py: pytest puts tests/ on the path)
from hypothesis import HealthCheck, settings  # noqa: E402

import minigan  # noqa: E402
from minigan.engine import backend  # noqa: E402
from minigan.surface import printing  # noqa: E402

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


@pytest.fixture(scope="session")
def digits_reference():
    """The digits reference CNN, in the run's cache: trained once per run, on NumPy, for a test whose command or
    lesson evaluates images (it loads the cached weights).  Under pytest-xdist the workers share the cache: a lock
    makes the second wait for the first's training instead of training it a second time beside it, and a test on
    the strict stand-in loads it instead of training it on the stand-in, a slow path nothing there is about
    (tests/engine/test_strict_backend.py trains a classifier on the device on purpose, at a small size)."""
    from minigan.classifier import cache_dir, reference_classifier

    folder = cache_dir()
    folder.mkdir(parents=True, exist_ok=True)
    previous = backend.backend_name()
    with open(folder / "digits_cnn.lock", "w") as lock:
        if os.name == "posix":
            import fcntl

            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        minigan.use_backend("numpy")
        try:
            return reference_classifier("cnn", dataset="digits")
        finally:
            minigan.use_backend(previous)


# ----------------------------------------------------------------------------- each test leaves the process as it was
def _set_printoptions(options):
    minigan.set_printoptions(**options)


def _environ():
    # os.environ's own table as it stores it (bytes on POSIX): os.environ.copy() decodes every entry, 20 times the
    # time, and this runs twice a test.  PYTEST_CURRENT_TEST is pytest's (the test and its phase): it changes.
    environ = os.environ._data.copy()
    environ.pop(os.environ.encodekey("PYTEST_CURRENT_TEST"), None)
    return environ


def _set_environ(saved):
    saved = {os.environ.decodekey(k): os.environ.decodevalue(v) for k, v in saved.items()}
    for name in os.environ.keys() - saved.keys() - {"PYTEST_CURRENT_TEST"}:
        del os.environ[name]
    os.environ.update(saved)


# What a test may change in the whole process, with how to read it and how to put it back.  A test that changes
# one (minigan.set_default_dtype(float64) and no reset, a chdir) passes alone and breaks tests that run after it:
# in another order, or beside it under pytest-xdist, the failure moves.  So after every test each is read again;
# a change fails that test, by name, and is put back so the tests after it run as they would alone.
PROCESS_STATE = {
    "minigan's default dtype": (minigan.get_default_dtype, minigan.set_default_dtype),
    "minigan's grad mode": (minigan.is_grad_enabled, minigan.set_grad_enabled),
    "minigan's inference mode": (minigan.is_inference_mode_enabled, None),
    "minigan's anomaly detection": (minigan.is_anomaly_enabled, None),
    "minigan's print options": (lambda: dict(printing.OPTIONS), _set_printoptions),
    "minigan's thread count": (minigan.get_num_threads, minigan.set_num_threads),
    "minigan's backend": (backend.backend_name, minigan.use_backend),
    "minigan's device module": (lambda: backend._cupy, backend.set_device_module),
    "minigan's deterministic algorithms": (minigan.are_deterministic_algorithms_enabled,
                                           minigan.use_deterministic_algorithms),
    "NumPy's print options": (np.get_printoptions, lambda saved: np.set_printoptions(**saved)),
    "NumPy's floating-point error handling": (np.geterr, lambda saved: np.seterr(**saved)),
    "the working directory": (os.getcwd, os.chdir),
    "the environment variables": (_environ, _set_environ),
}


def process_state(state=PROCESS_STATE) -> dict:
    return {name: read() for name, (read, _) in state.items()}


def put_back(before: dict, state=PROCESS_STATE) -> list:
    """What changed since ``before`` (a ``process_state(state)``), one line each; each is put back where it can be."""
    after = process_state(state)
    changes = []
    for name, (_, restore) in state.items():
        if after[name] != before[name]:
            changes.append(_change(name, before[name], after[name]))
            if restore is not None:
                restore(before[name])
    return changes


def _change(name, before, after) -> str:
    if isinstance(before, dict):  # the entries that differ, not two whole environments
        keys = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
        before, after = ({_text(k): _text(d.get(k)) for k in keys} for d in (before, after))
    return f"{name} ({before!r} -> {after!r})"


def _text(value):
    return os.fsdecode(value) if isinstance(value, bytes) else value


def fail_on(changes: list):
    if changes:
        pytest.fail(f"the test changed {'; '.join(changes)} and did not put it back, so the tests after it would "
                    "see the change: use monkeypatch, or restore it in a finally", pytrace=False)


@pytest.fixture(autouse=True)
def _leaves_the_process_as_it_was():
    """Each test starts from seed 0 and leaves the process as it found it.  (One fixture for both, and
    tests/pytorch/conftest.py's of the same name adds PyTorch's settings: each autouse fixture costs every one of the
    suite's ~27,000 tests about 0.1 ms of pytest's own work.)"""
    minigan.manual_seed(0)
    before = process_state()
    yield
    fail_on(put_back(before))


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


# ----------------------------------------------------------------------------- parity sweeps: a seeded slice by default
# A comparison with PyTorch parametrized over ops x dtypes x shapes x ... is a sweep of thousands of cases; the
# default run keeps a seeded slice of each (every value of every argument at least once), and the rest carry the
# `parity` marker: `python -m pytest -m parity` runs them, and .ci/run runs them after the default line.  In a run
# whose mark expression cannot select a parity case (pyproject.toml's default, "not slow and not parity"), the cases
# left out are not made into test items at all (each item costs collection time in every pytest-xdist worker, and
# they are ~61,000); any -m that can select one builds them all.  Set by pytest_configure below,
# which pytest calls before it imports a test module; ``left_out`` counts what was not built, for the run's summary.
WHOLE_PRODUCTS = {"built": True, "left_out": 0}
PARITY_BUDGET = 8  # the cases of one test function the default run keeps (before the cover), tests/pytorch


def pytest_configure(config):
    WHOLE_PRODUCTS["built"] = may_select("parity", config.getoption("markexpr", "") or "")


def may_select(mark: str, markexpr: str) -> bool:
    """Whether the mark expression ``markexpr`` (pytest's -m) selects some test that carries ``mark``: tried with
    ``mark`` set and each way of setting the expression's other names."""
    if not markexpr.strip():
        return True
    from _pytest.mark.expression import Expression

    try:
        expression = Expression.compile(markexpr)
    except Exception:  # pytest reports a bad -m itself
        return True
    names = sorted(set(re.findall(r"[A-Za-z_][\w.]*", markexpr)) - {"and", "or", "not", mark})[:12]
    for values in itertools.product((False, True), repeat=len(names)):
        given = {**dict(zip(names, values)), mark: True}
        if expression.evaluate(lambda name, /, given=given, **kwargs: given.get(name, False)):
            return True
    return False


def _value_key(value):
    """What makes two cases' values of one argument the same value: numbers, strings, dtypes and names by their
    value, tuples by their items, any other object by its identity (a lambda or a case object in a list)."""
    if value is None or isinstance(value, (bool, int, float, complex, str, bytes, np.generic, np.dtype, type)):
        return (type(value).__name__, repr(value))
    if isinstance(value, (tuple, list)):
        return tuple(map(_value_key, value))
    return ("object", id(value))


def parity_slice(calls: list, budget: int, seed: str, key=None) -> list:
    """The positions, in order, of the cases of one test the default run keeps: ``budget`` drawn at random from
    ``calls`` (a generator seeded by ``seed``, the test's node id, so every machine and every pytest-xdist worker
    draws the same), then, in order, each case that holds a value of an argument no chosen case holds yet, so every
    value of every argument runs at least once.  ``key(call)``: the (argument, value) pairs of one case (default:
    a pytest CallSpec's params)."""
    key = key if key is not None else lambda call: [(name, _value_key(value)) for name, value in call.params.items()]
    if len(calls) <= budget:
        return list(range(len(calls)))
    chosen = set(random.Random(zlib.crc32(seed.encode())).sample(range(len(calls)), budget))
    seen = {pair for j in chosen for pair in key(calls[j])}
    for j, call in enumerate(calls):
        pairs = key(call)
        if j not in chosen and any(pair not in seen for pair in pairs):
            chosen.add(j)
            seen.update(pairs)
    return sorted(chosen)


# Every parametrized test of tests/pytorch is a sweep against PyTorch, and so is a test elsewhere marked budget(n) (a
# lesson on the GPU's code path, each of a handful of notebooks): after pytest's own hooks (and a module's
# pytest_generate_tests) have planned its cases, before they become items, the default run keeps a seeded slice.
@pytest.hookimpl(hookwrapper=True)
def pytest_generate_tests(metafunc):
    yield
    budget_the_sweep(metafunc)


PYTORCH_WING = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pytorch") + os.sep


def budget_the_sweep(metafunc):
    """Keep a seeded slice of a parametrized test's cases (parity_slice) in the default run and mark the rest
    `parity`; not built at all where the run cannot select them.  Cases already marked `parity` stay so, and
    the slice is drawn from the others (the same in a run that builds the marked ones and in one that does not);
    a test given default_slice's cases keeps that choice.  Every test of tests/pytorch, PARITY_BUDGET cases and
    each value of each argument; elsewhere only a test marked ``@pytest.mark.budget(n)`` (``cover=False``: n
    cases drawn, not each value: a sweep over lessons or notebooks whose every case is a value of its own)."""
    mark = metafunc.definition.get_closest_marker("budget")
    if mark is None and not str(metafunc.definition.path).startswith(PYTORCH_WING):
        return
    calls = metafunc._calls  # pytest's planned cases, made into test items after this hook
    budget = mark.args[0] if mark is not None else PARITY_BUDGET
    if len(calls) <= budget or any(isinstance(m.args[1], DefaultSlice) for m in
                                   metafunc.definition.iter_markers("parametrize") if len(m.args) > 1):
        return
    open_ = [j for j, call in enumerate(calls) if not any(m.name == "parity" for m in call.marks)]
    if len(open_) <= budget:
        return
    cover = mark.kwargs.get("cover", True) if mark is not None else True
    kept = {open_[j] for j in parity_slice([calls[j] for j in open_], budget, metafunc.definition.nodeid,
                                           key=None if cover else lambda call: [])}
    open_ = set(open_)
    if not WHOLE_PRODUCTS["built"]:
        WHOLE_PRODUCTS["left_out"] += len(open_) - len(kept)
        metafunc._calls = [call for j, call in enumerate(calls) if j in kept or j not in open_]
    else:
        parity = pytest.mark.parity.mark
        metafunc._calls = [dataclasses.replace(call, marks=[*call.marks, parity]) if j not in kept and j in open_
                           else call for j, call in enumerate(calls)]


class DefaultSlice(list):
    """default_slice's cases: a test given them keeps that choice (budget_the_sweep leaves it alone)."""

    def __add__(self, other):
        return DefaultSlice(list(self) + list(other))

    def __radd__(self, other):
        return DefaultSlice(list(other) + list(self))


def default_slice(cases, every: int, cover=()) -> list:
    """An exhaustive product of cases (op x dtype x shape x ...) as the parameters of one test: a fixed slice in the
    default run (every ``every``-th case, plus the first case of any value a ``cover`` function names that the
    slice would miss, so every op and every dtype runs at least once) and the rest marked `parity` (run with
    ``-m parity``; not built at all in a run that cannot select them, see WHOLE_PRODUCTS).
    ``cases``: tuples of the test's arguments, in a fixed order (the slice is the same on every machine and in every
    pytest-xdist worker), or ``pytest.param``s (their marks and ids are kept).  The ids are pytest's as before.
    ``cover="each"`` (alone or in the list): every value of every argument (by its repr) runs at least once.

    A sweep of thousands of generated cases of one function against PyTorch runs this way: a stride ``every`` that
    shares no factor with the product's inner sizes walks through their combinations as it goes.  (A parametrized
    test in tests/pytorch that does not call this gets a seeded slice of its own: budget_the_sweep.)"""
    cases = [case if isinstance(case, type(pytest.param())) else pytest.param(*case) if isinstance(case, tuple)
             else pytest.param(case) for case in cases]  # (a pytest.param keeps its marks and id in both)
    each = [lambda *values, i=i: repr(values[i]) for i in range(len(cases[0].values) if cases else 0)]
    cover = [key for c in (["each"] if cover == "each" else cover) for key in (each if c == "each" else [c])]
    chosen = set(range(0, len(cases), every))
    for key in cover:
        seen = {key(*cases[j].values) for j in chosen}
        for j, case in enumerate(cases):
            if key(*case.values) not in seen:
                chosen.add(j)
                seen.add(key(*case.values))
    if not WHOLE_PRODUCTS["built"]:
        WHOLE_PRODUCTS["left_out"] += len(cases) - len(chosen)
        return DefaultSlice(cases[j] for j in sorted(chosen))
    return DefaultSlice(case if j in chosen else
                        pytest.param(*case.values, marks=[*case.marks, pytest.mark.parity], id=case.id)
                        for j, case in enumerate(cases))


# ----------------------------------------------------------------------------- the run explains its own skips
def skip_reason(report) -> str:
    """The reason a test was skipped, without pytest's "Skipped: " prefix."""
    longrepr = report.longrepr
    reason = longrepr[2] if isinstance(longrepr, tuple) and len(longrepr) == 3 else str(longrepr)
    return reason.removeprefix("Skipped: ").strip()


SKIP_REASONS_SHOWN = 20


# Under pytest-xdist the workers collect and deselect, and the main process that prints the summary sees none of
# it: each worker sends its count back (its workeroutput); all collect the same tests, so one count is the run's.
_deselected_by_workers = []


def pytest_deselected(items):
    config = items[0].config if items else None
    if config is not None and hasattr(config, "workeroutput"):
        config.workeroutput["deselected"] = config.workeroutput.get("deselected", 0) + len(items)


LEFT_OUT = pytest.StashKey[int]()  # the cases default_slice did not build, as this process's collection counted


def pytest_collection_finish(session):
    # What collection built (the suite's ~47,000 items, the test modules and their tables, about 1.1 million objects
    # the collector tracks) lives until the process ends: frozen (gc.freeze), the collections the tests' own
    # allocations start no longer walk it each time.  Measured with the whole suite collected, the collector's time
    # while tests ran: 2,519 tests of tests/pytorch 1.48 -> 0.29 CPU-s, 555 of tests/engine 3.03 -> 1.25.  Nothing
    # frozen is kept alive by it (reference counting still frees it); only cycles made during collection stay.
    gc.collect()
    gc.freeze()
    session.config.stash[LEFT_OUT] = WHOLE_PRODUCTS["left_out"]
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["left_out"] = WHOLE_PRODUCTS["left_out"]
    SUITE["items"], SUITE["whole"] = len(session.items), the_readme_line(session.config)


# What this process collected, and whether that is the README's line, the whole default suite (`python -m pytest`,
# with or without -n auto): tests/pytorch/test_suite_counts.py compares it with benchmarks/results/test_line.json.
SUITE = {"items": 0, "whole": False}
DEFAULT_MARKS = "not slow and not parity"  # pyproject.toml's addopts


def the_readme_line(config) -> bool:
    """Whether this run collects the default suite whole: all of tests/, pyproject's -m, no -k, nothing left out."""
    here = os.path.dirname(os.path.abspath(__file__))
    paths = {os.path.abspath(os.path.join(str(config.invocation_params.dir), arg.split("::")[0]))
             for arg in config.args}
    return (paths == {here} and (config.getoption("markexpr", "") or "").strip() == DEFAULT_MARKS
            and not config.getoption("keyword", "") and not config.getoption("deselect", None)
            and not config.getoption("ignore", None) and not config.getoption("ignore_glob", None))


_left_out_by_workers = []


# pytest-xdist's default (--dist load) hands each worker its first quarter of the tests at once, in collection
# order: the first worker's opens with tests/engine, library and product, about half the suite's CPU in a tenth of
# its tests, and nothing takes that back, so the other worker ran out ~2 minutes of CPU earlier and sat idle
# (replayed from every test's CPU time on the 2 cores: load 563 s and 437 s, worksteal 499 s and 500 s).  Work
# stealing gives each worker half and lets the one that runs out take from the other's end.  A --dist given
# explicitly (command line or PYTEST_ADDOPTS) is kept.
@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    asked = " ".join([*config.invocation_params.args, os.environ.get("PYTEST_ADDOPTS", "")])
    if config.getvalue("dist") != "load" or "--dist" in asked:
        return None
    from xdist.scheduler import WorkStealingScheduling

    return WorkStealingScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _deselected_by_workers.append(getattr(node, "workeroutput", {}).get("deselected", 0))
    _left_out_by_workers.append(getattr(node, "workeroutput", {}).get("left_out", 0))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """After the counts: one line per reason a test was skipped, with how many, most first; and what the
    deselected ones are (the `slow` marker)."""
    counts: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = skip_reason(report)
        counts[reason] = counts.get(reason, 0) + 1
    deselected = len(terminalreporter.stats.get("deselected", [])) or max(_deselected_by_workers, default=0)
    left_out = (config.stash.get(LEFT_OUT, 0) if config is not None else 0) or max(_left_out_by_workers, default=0)
    if not counts and not deselected and not left_out:
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
                                    "slow, python -m pytest -m slow runs them, and the parity cases, see below)")
    if left_out:
        terminalreporter.write_line(f"{left_out:6,} parity cases not built: a seeded slice of each sweep against "
                                    "PyTorch ran (python -m pytest -m parity runs the rest)")
