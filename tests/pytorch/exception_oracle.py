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
