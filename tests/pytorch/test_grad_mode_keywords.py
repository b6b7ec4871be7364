"""The grad-mode switches called with their arguments by keyword, as PyTorch's signatures name them
(``inference_mode(mode=False)``, ``set_grad_enabled(mode=False)``, ``detect_anomaly(check_nan=True)``), as context
managers and as decorators, against PyTorch: whether a product of a tensor that requires grad is recorded, and
whether the call is refused (by class)."""

import warnings

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CALLS = {
    "inference_mode(mode=True)": lambda lib: lib.inference_mode(mode=True),
    "inference_mode(mode=False)": lambda lib: lib.inference_mode(mode=False),
    "inference_mode(False)": lambda lib: lib.inference_mode(False),
    "inference_mode()": lambda lib: lib.inference_mode(),
    "set_grad_enabled(mode=False)": lambda lib: lib.set_grad_enabled(mode=False),
    "set_grad_enabled(mode=True)": lambda lib: lib.set_grad_enabled(mode=True),
    "no_grad()": lambda lib: lib.no_grad(),
    "enable_grad()": lambda lib: lib.enable_grad(),
    "autograd.set_grad_enabled(mode=False)": lambda lib: lib.autograd.set_grad_enabled(mode=False),
    "detect_anomaly(check_nan=True)": lambda lib: lib.autograd.detect_anomaly(check_nan=True),
    "detect_anomaly(check_nan=False)": lambda lib: lib.autograd.detect_anomaly(check_nan=False),
    "inference_mode(mode=False, x=1)": lambda lib: lib.inference_mode(mode=False, x=1),
    "no_grad(mode=False)": lambda lib: lib.no_grad(mode=False),
}


def _outcome(lib, call, how, outer):
    x = lib.ones(2, requires_grad=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with (lib.no_grad() if outer == "no_grad" else lib.enable_grad()):
                if how == "context":
                    with CALLS[call](lib):
                        return (x * 2).requires_grad, lib.is_grad_enabled()
                return CALLS[call](lib)(lambda t: ((t * 2).requires_grad, lib.is_grad_enabled()))(x)
    except Exception as e:  # noqa: BLE001 - the class is compared
        return type(e)


@pytest.mark.parametrize("outer", ["no_grad", "enable_grad"])
@pytest.mark.parametrize("how", ["context", "decorator"])
@pytest.mark.parametrize("call", list(CALLS))
def test_grad_mode_by_keyword(call, how, outer):
    if "detect_anomaly" in call and how == "decorator":
        pytest.skip("PyTorch's detect_anomaly is not a decorator")
    theirs, ours = _outcome(torch, call, how, outer), _outcome(minigan, call, how, outer)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)
    else:
        assert ours == theirs


@pytest.mark.parametrize("lib", [torch, minigan], ids=["torch", "minigan"])
def test_inference_mode_as_a_bare_decorator(lib):
    @lib.inference_mode
    def f(t):
        return (t * 2).requires_grad, lib.is_grad_enabled()

    assert f(lib.ones(2, requires_grad=True)) == (False, False)


NESTINGS = [("inference_mode", True), ("inference_mode", False), ("no_grad", None), ("enable_grad", None)]


def _states(lib, nesting):
    """is_inference_mode_enabled and is_grad_enabled inside each block of the nesting, and after it."""
    seen = []

    def enter(depth):
        if depth == len(nesting):
            return
        name, mode = nesting[depth]
        with (getattr(lib, name)(mode) if mode is not None else getattr(lib, name)()):
            seen.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))
            enter(depth + 1)
            seen.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))

    enter(0)
    seen.append((lib.is_inference_mode_enabled(), lib.is_grad_enabled()))
    return seen


@pytest.mark.parametrize("nesting", [list(n) for k in (1, 2, 3) for n in __import__("itertools").product(
    NESTINGS, repeat=k)], ids=lambda n: "/".join(f"{a}({b})" if b is not None else a for a, b in n))
def test_nested_modes_as_pytorchs(nesting):
    assert _states(minigan, nesting) == _states(torch, nesting)
