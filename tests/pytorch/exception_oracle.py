"""One bad call written once for both libraries (``lib`` is minigan or torch), and the check that minigan refuses
it with an instance of PyTorch's exception class: what tests/pytorch/test_exception_classes.py and the surface-class
tests
share."""

from __future__ import annotations

import warnings

import numpy as np


def raised(fn, lib):
    """The exception ``fn(lib)`` raised, or None (warnings, such as range's deprecation, silenced)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(lib)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e
    return None


def same_class(fn, torch, minigan, one_line=True):
    """PyTorch refuses ``fn``, and minigan refuses it with an instance of PyTorch's class and a message (one line
    naming what was wrong, unless ``one_line`` is False)."""
    theirs, ours = raised(fn, torch), raised(fn, minigan)
    assert theirs is not None, "PyTorch ran: the case no longer refuses"
    assert ours is not None, f"minigan ran where PyTorch raised {type(theirs).__name__}: {theirs}"
    assert isinstance(ours, type(theirs)), \
        f"minigan {type(ours).__name__}: {ours} | PyTorch {type(theirs).__name__}: {theirs}"
    assert str(ours).strip(), "the message names what was wrong"
    if one_line:
        assert "\n" not in str(ours).strip(), "one line naming what was wrong"


# ----------------------------------------------------------------------------- one case's outcome in each library
# A comparison over a sweep runs each case in both libraries as ``(tag, what)``: ("raised", the exception) where the
# call refused, else ("ran", what it gave) (some sweeps say "raise" and "ok").  PyTorch's own exception classes and
# minigan's subclass Python's built-in ones, and the built-in class is what a program can catch alike.
def builtin_class(error):
    """The built-in exception class ``error`` (an exception, or an exception class) is an instance (a subclass) of."""
    return next(c for c in (error if isinstance(error, type) else type(error)).__mro__ if c.__module__ == "builtins")


def refused_alike(got, expected, where) -> bool:
    """Whether PyTorch's outcome ``expected`` is a refusal, after checking minigan's ``got`` against it: a refusal
    of the same built-in class where PyTorch refused, a run where PyTorch ran (what each gave is the caller's to
    compare, or same_outcome's)."""
    if expected[0] in ("raised", "raise"):
        assert got[0] == expected[0] and isinstance(got[1], builtin_class(expected[1])), \
            f"{where}: PyTorch raises {expected[1]!r}; {got}"
        return True
    assert got[0] == expected[0], f"{where}: PyTorch runs; minigan raises {got[1]!r}"
    return False


def same_outcome(got, expected, where):
    """minigan's outcome is PyTorch's: a refusal of the same built-in class, or the same result."""
    if not refused_alike(got, expected, where):
        assert got == expected, f"{where}: {got} vs PyTorch's {expected}"


# ---------------------------------------------------------------------------- a tensor, or the refusal, in each library
# The commonest sweep runs one call in each library and compares what came back: the tensor, or the exception.
def outcome(fn, *args, **kwargs):
    """``fn(*args, **kwargs)``'s result, or the exception it raised."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e


def same_tensor_outcome(ours, theirs, where="", rtol=None, one_line=False):
    """minigan's outcome is PyTorch's: a refusal of PyTorch's built-in class (in one line, with ``one_line``), or a
    tensor of the same dtype and values (NaN where PyTorch's is NaN; within ``rtol`` where it is given)."""
    if isinstance(theirs, Exception):
        assert isinstance(ours, builtin_class(theirs)), f"{where} minigan {ours!r} | PyTorch {theirs!r}"
        assert not one_line or "\n" not in str(ours), f"{where} one line naming what was wrong: {ours}"
        return
    assert not isinstance(ours, Exception), f"{where} minigan {type(ours).__name__}: {ours}; PyTorch ran"
    assert str(ours.dtype).split(".")[-1] == str(theirs.dtype).split(".")[-1], f"{where} {ours.dtype} | {theirs.dtype}"
    got, want = ours.detach().numpy(), theirs.detach().numpy()
    if rtol is None:
        np.testing.assert_array_equal(got, want, err_msg=where)
    else:
        np.testing.assert_allclose(got.astype(np.float64), want.astype(np.float64), rtol=rtol, err_msg=where)


def refused_or_equal(ours, theirs, one_line=False, equal=None) -> bool:
    """Whether minigan's outcome is PyTorch's: a refusal of its built-in class (in one line, with ``one_line``), or
    an equal result (``==``, or ``equal(ours, theirs)``)."""
    if isinstance(theirs, Exception):
        return isinstance(ours, builtin_class(theirs)) and not (one_line and "\n" in str(ours))
    return not isinstance(ours, Exception) and bool(ours == theirs if equal is None else equal(ours, theirs))


def none_differ(cases, outcome_of, same, torch, minigan):
    """Each case's outcome, ``outcome_of(lib, *case)``, in PyTorch and in minigan, compared by ``same(ours,
    theirs)``: the ones that differ are listed (the first eight) in the assertion."""
    differ = []
    for case in cases:
        theirs, ours = outcome_of(torch, *case), outcome_of(minigan, *case)
        if not same(ours, theirs):
            differ.append(f"{case}: PyTorch {theirs!r:.90}, minigan {ours!r:.90}")
    assert not differ, f"{len(differ)} differ, e.g.\n" + "\n".join(differ[:8])
