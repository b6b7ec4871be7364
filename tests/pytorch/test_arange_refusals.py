"""arange's refusals against PyTorch's, over every door of its kernel: a step of 0 or NaN, a start or end that is
not finite, an end on the wrong side of the step, a length past int64 (a tiny step, a huge range), a number that
int64 cannot hold when the dtype is an integer one (an infinite step too), and bool numbers read as integers; with
PyTorch's class (RuntimeError; NotImplementedError for the dtypes without a kernel) and minigan's own error of one
line, never NumPy's ValueError or OverflowError; and where PyTorch runs, the same values and dtype."""

import itertools
import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

inf, nan = math.inf, math.nan
STARTS = [0, 1, -1, 2.5, nan, inf, 1e20, True]
ENDS = [0, 1, -1, 2.5, -2.5, nan, inf, -inf, 1e20, -1e20, 2**63, True, False]
STEPS = [1, -1, 0, 0.5, -0.5, nan, inf, -inf, 1e-300, 1e20, 2**62, 2**63, True, False]
DTYPES = [None, "int64", "int32", "int8", "uint8", "float32", "float64", "float16", "bool"]  # (complex: out of scope)


def _outcome(L, args, dtype):
    try:
        out = L.arange(*args, **({} if dtype is None else {"dtype": getattr(L, dtype)}))
        return "ran", str(out.dtype).split(".")[-1], np.asarray(out.tolist(), dtype=complex)
    except Exception as e:  # the class is compared
        return "raised", e


def _allocates_a_lot(start, end, step):
    """A range that PyTorch would try to allocate (a length of 10^6 up to int64's limit): left out, for memory."""
    with np.errstate(all="ignore"):
        length = abs(np.float64(end) - np.float64(start)) / abs(np.float64(step)) if step else 0.0
    return 1e6 < length <= 2.0**63


def _differences(arguments, dtype):
    found = []
    for args in arguments:
        if len(args) == 3 and _allocates_a_lot(*args):
            continue
        theirs, ours = _outcome(torch, args, dtype), _outcome(minigan, args, dtype)
        if not _same(ours, theirs, own_error=True):
            found.append(_shown(args, ours, theirs))
    return found


def _same(ours, theirs, own_error):
    """The same refusal (PyTorch's class; minigan's own one-line error where own_error) or the same values."""
    if theirs[0] == "raised":
        return ours[0] == "raised" and isinstance(ours[1], type(theirs[1])) and "\n" not in str(ours[1]) and \
            (not own_error or type(ours[1]).__module__.startswith("minigan"))
    return ours[0] == "ran" and ours[1] == theirs[1] and ours[2].shape == theirs[2].shape and \
        np.allclose(ours[2], theirs[2], rtol=1e-6, equal_nan=True)


def _shown(args, ours, theirs):
    return args, theirs[1] if theirs[0] == "raised" else theirs[2][:4], ours[1] if ours[0] == "raised" else ours[2][:4]


# An int64 range whose step truncates to 0 (0.5, -0.5, 1e-300): a ValueError from PyTorch 2.13; 2.11 and 2.12 divide
# by the truncated step, and the process dies of SIGFPE (so these are skipped there, never run)
STEP_TRUNCATED_TO_0 = pytorch_since("2.13", "arange refuses an int64 step that truncates to 0; 2.11 and 2.12 die "
                                            "of SIGFPE")


@pytest.mark.parametrize("step, dtype", [
    pytest.param(step, dtype, id=f"{step!r}-{dtype}", marks=[STEP_TRUNCATED_TO_0] if dtype == "int64" and
                 isinstance(step, float) and 0 < abs(step) < 1 else []) for dtype in DTYPES for step in STEPS])
def test_arange_start_end_step_as_pytorchs(step, dtype):
    found = _differences([(s, e, step) for s, e in itertools.product(STARTS, ENDS)], dtype)
    assert not found, f"{len(found)} differ, e.g. {found[:3]}"


@pytest.mark.parametrize("args", [(0, 2.0**62), (0, 2**62), (-2**62, 2**62, 1), (0, 2**62, 1.0)], ids=str)
def test_a_range_past_memory_is_pytorchs_runtime_error(args):
    found = _differences([args], None) + _differences([args], "int8")  # (its size in bytes overflows: no allocation)
    assert not found, f"{len(found)} differ, e.g. {found[:3]}"


@pytest.mark.parametrize("dtype", DTYPES)
def test_arange_of_one_number_as_pytorchs(dtype):
    found = _differences([(e,) for e in ENDS] + [(s, e) for s, e in itertools.product(STARTS, ENDS)], dtype)
    assert not found, f"{len(found)} differ, e.g. {found[:3]}"


def _range_differences(dtype):
    found = []
    for args in itertools.product(STARTS, ENDS, STEPS):
        if _allocates_a_lot(*args):
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (range is deprecated, in both)
            theirs, ours = _outcome_of(torch.range, args, dtype), _outcome_of(minigan.range, args, dtype)
        if not _same(ours, theirs, own_error=False):
            found.append(_shown(args, ours, theirs))
    return found


def _outcome_of(fn, args, dtype):
    try:
        lib = torch if fn in (torch.range, torch.linspace) else minigan
        out = fn(*args, **({} if dtype is None else {"dtype": getattr(lib, dtype)}))
        return "ran", str(out.dtype).split(".")[-1], np.asarray(out.tolist(), dtype=complex)
    except Exception as e:  # the class is compared
        return "raised", e


@pytest.mark.parametrize("dtype", [None, "float64", "float16"])
def test_the_deprecated_range_refuses_as_pytorchs(dtype):
    """torch.range counts ⌊(end − start) / step⌋ + 1 values: more than int64 counts, or memory holds, is PyTorch's
    RuntimeError (NumPy's ValueError leaked)."""
    found = _range_differences(dtype)
    assert not found, f"{len(found)} differ, e.g. {found[:3]}"


@pytest.mark.parametrize("steps", [2**63, -2**63 - 1, 2**62, 2**62 + 1], ids=str)
@pytest.mark.parametrize("dtype", [None, "int64", "int8", "float16"])
def test_linspace_with_more_steps_than_int64_or_memory_holds(steps, dtype):
    """steps past int64 is the argument parser's ValueError; past memory the allocator's RuntimeError (NumPy's
    ValueError 'array is too big' leaked, and 2**63 steps gave no values)."""
    found = []
    for args in [(0, 1, steps), (0.5, -2.5, steps)]:
        theirs, ours = _outcome_of(torch.linspace, args, dtype), _outcome_of(minigan.linspace, args, dtype)
        if not (theirs[0] == ours[0] == "raised" and isinstance(ours[1], type(theirs[1]))):
            found.append((args, theirs[1], ours[1]))
    assert not found, found


@pytest.mark.parametrize("make", ["eye", "eye m", "randperm", "randint high", "randint low"])
def test_an_int_argument_past_int64_is_pytorchs_value_error(make):
    calls = {"eye": lambda L: L.eye(2**63), "eye m": lambda L: L.eye(2, 2**63), "randperm": lambda L: L.randperm(2**63),
             "randint high": lambda L: L.randint(2**63, (2,)), "randint low": lambda L: L.randint(-2**63 - 1, 0, (2,))}
    for L in (torch, minigan):
        with pytest.raises(ValueError):
            calls[make](L)


@pytest.mark.parametrize("steps", [0, 1, 2, 5])
@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
def test_linspace_reads_start_and_end_in_its_dtype(dtype, steps):
    """Past float16's largest finite value (65504) a start or end of two or more steps is PyTorch's RuntimeError."""
    found = []
    for args in itertools.product([0, 65504.0, 65519.0, 1e5, -1e5, 1e39, inf, nan], [1, 1e5, -65520.0, 2.5]):
        theirs = _outcome_of(torch.linspace, (*args, steps), dtype)
        ours = _outcome_of(minigan.linspace, (*args, steps), dtype)
        if theirs[0] == "raised":
            same = ours[0] == "raised" and isinstance(ours[1], type(theirs[1]))
        else:
            same = ours[0] == "ran" and ours[1] == theirs[1] and np.allclose(ours[2], theirs[2], 1e-6, equal_nan=True)
        if not same:
            found.append((args, theirs[1:], ours[1:]))
    assert not found, f"{len(found)} differ, e.g. {found[:3]}"
