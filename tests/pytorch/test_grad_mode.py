"""Grad mode and the requires_grad flag against PyTorch (tests/pytorch/sweep.py):

* the grad-mode switches called with their arguments by keyword, as PyTorch's signatures name them
  (``inference_mode(mode=False)``, ``set_grad_enabled(mode=False)``, ``detect_anomaly(check_nan=True)``), as
  context managers and as decorators (``inference_mode`` bare too), under no_grad and enable_grad: whether a product
  of a tensor that requires grad is recorded and whether grad mode is on, or the refusal's class; nested, what
  is_inference_mode_enabled and is_grad_enabled say inside each block and after;
* ``set_detect_anomaly`` as a call and as a context manager, inside detect_anomaly or not: what
  is_anomaly_enabled says; under it a NaN gradient raises minigan's AnomalyError, and the mode is put back;
* a tensor's requires_grad takes a bool: ``x.requires_grad_(1)`` is a TypeError and ``x.requires_grad = None`` a
  RuntimeError, and the flag stays as it was (NumPy's bool is taken, a difference docs/pytorch.md lists).
"""

import contextlib
import itertools

import pytest

import minigan
from pytorch.sweep import outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "inference_mode(mode=True)": lambda L: L.inference_mode(mode=True),
    "inference_mode(mode=False)": lambda L: L.inference_mode(mode=False),
    "inference_mode(False)": lambda L: L.inference_mode(False),
    "inference_mode()": lambda L: L.inference_mode(),
    "inference_mode": lambda L: L.inference_mode,  # (bare: a decorator)
    "set_grad_enabled(mode=False)": lambda L: L.set_grad_enabled(mode=False),
    "set_grad_enabled(mode=True)": lambda L: L.set_grad_enabled(mode=True),
    "no_grad()": lambda L: L.no_grad(),
    "enable_grad()": lambda L: L.enable_grad(),
    "autograd.set_grad_enabled(mode=False)": lambda L: L.autograd.set_grad_enabled(mode=False),
    "detect_anomaly(check_nan=True)": lambda L: L.autograd.detect_anomaly(check_nan=True),
    "detect_anomaly(check_nan=False)": lambda L: L.autograd.detect_anomaly(check_nan=False),
    "inference_mode(mode=False, x=1)": lambda L: L.inference_mode(mode=False, x=1),
    "no_grad(mode=False)": lambda L: L.no_grad(mode=False),
}


def _switched(L, call, how, outer):
    """Whether a product is recorded and grad mode on, or the switch's refusal (a keyword it lacks: Python's
    TypeError, raised before any of minigan's code runs)."""
    x = L.ones(2, requires_grad=True)
    with (L.no_grad() if outer == "no_grad" else L.enable_grad()):
        switch = outcome(CALLS[call], L)
        if isinstance(switch, Exception):
            return [switch]
        if how == "context":
            with switch:
                return (x * 2).requires_grad, L.is_grad_enabled()
        return switch(lambda t: ((t * 2).requires_grad, L.is_grad_enabled()))(x)


test_grad_mode_by_keyword = sweep(_switched, [
    (call, how, outer) for call in CALLS for how in ["context", "decorator"] for outer in ["no_grad", "enable_grad"]
    if not (call == "inference_mode" and how == "context")  # (bare: a decorator only)
    and not ("detect_anomaly" in call and how == "decorator")])  # (PyTorch's detect_anomaly is no decorator)

NESTINGS = [("inference_mode", True), ("inference_mode", False), ("no_grad", None), ("enable_grad", None)]


def _nested(L, nesting):
    """is_inference_mode_enabled and is_grad_enabled inside each block of the nesting, and after it."""
    seen = []

    def enter(depth):
        if depth == len(nesting):
            return
        name, mode = nesting[depth]
        with (getattr(L, name)(mode) if mode is not None else getattr(L, name)()):
            seen.append((L.is_inference_mode_enabled(), L.is_grad_enabled()))
            enter(depth + 1)
            seen.append((L.is_inference_mode_enabled(), L.is_grad_enabled()))

    enter(0)
    return seen + [(L.is_inference_mode_enabled(), L.is_grad_enabled())]


test_nested_modes_as_pytorchs = sweep(_nested, [
    (n,) for k in (1, 2, 3) for n in itertools.product(NESTINGS, repeat=k)],
    ids=lambda n: "/".join(f"{a}({b})" if b is not None else a for a, b in n))


def _flag(L, way, value):
    """What the call gives (the tensor itself, or its refusal), and the flag after it."""
    x = L.zeros(2, dtype=L.float64)
    if way == "method":
        result = outcome(x.requires_grad_, value)
        result = result if isinstance(result, Exception) else result is x
    else:
        result = outcome(setattr, x, "requires_grad", value)
    return result, x.requires_grad


test_requires_grad_takes_a_bool = sweep(_flag, itertools.product(
    ["method", "attribute"], [True, False, 1, 0, None, "yes", 1.0]))


def _anomaly_states(L, start):
    seen = []
    with L.autograd.detect_anomaly() if start else contextlib.nullcontext():
        L.autograd.set_detect_anomaly(False)
        seen.append(L.is_anomaly_enabled())
        with L.autograd.set_detect_anomaly(True):
            seen.append(L.is_anomaly_enabled())
        seen.append(L.is_anomaly_enabled())
        L.autograd.set_detect_anomaly(True)
        seen.append(L.is_anomaly_enabled())
        L.autograd.set_detect_anomaly(start)
    return seen + [L.is_anomaly_enabled()]


test_set_detect_anomaly_call_and_context = sweep(_anomaly_states, [False, True])


def test_set_detect_anomaly_catches_nan_and_inference_mode_is_autograds_too():
    x = minigan.tensor([0.0], requires_grad=True)
    with minigan.autograd.set_detect_anomaly(True), pytest.raises(minigan.AnomalyError):
        (x / x).sum().backward()
    assert not minigan.is_anomaly_enabled()
    with minigan.autograd.inference_mode():
        assert not minigan.is_grad_enabled()
