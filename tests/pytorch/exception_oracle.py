"""One bad call written once for both libraries (``lib`` is minigan or torch), and the check that minigan refuses
it with an instance of PyTorch's exception class: what tests/pytorch/test_exception_classes.py and the surface-class
tests
share."""

from __future__ import annotations

import warnings


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
