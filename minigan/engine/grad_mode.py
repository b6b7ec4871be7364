"""Switches: is a graph being recorded (``no_grad``, ``enable_grad``, ``set_grad_enabled``; per thread)?  Are we
hunting NaNs (``detect_anomaly``; for the whole process)?  As in PyTorch's torch/autograd/grad_mode.py."""

from __future__ import annotations

import functools
import inspect
import threading
import traceback

from minigan.engine import backend
from minigan.engine.errors import AnomalyError


class _Mode(threading.local):
    """Is a graph being recorded?  Each thread has its own answer, so a ``no_grad()`` evaluation
    thread leaves a training thread alone."""

    def __init__(self):
        self.grad_enabled = True


class _Anomaly:
    """Are we hunting NaNs?  One answer for every thread: a debugging switch for the whole program (a plain
    attribute is also cheaper to read than a thread's own: every op reads it)."""

    enabled = False


_mode, _anomaly = _Mode(), _Anomaly()


def is_grad_enabled() -> bool:
    return _mode.grad_enabled


def decorated(mode, func):
    """``func`` run in the grad mode ``mode()`` enters: a plain call, or, for a
    generator function, each step of the generator (the caller's code between two steps runs in the caller's own
    mode, as PyTorch's _wrap_generator).  A coroutine is made in the mode, and runs later in whatever mode is then
    on."""
    if not inspect.isgeneratorfunction(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with mode():
                return func(*args, **kwargs)

        return wrapper

    @functools.wraps(func)
    def generator(*args, **kwargs):
        steps = func(*args, **kwargs)
        try:
            with mode():
                response = steps.send(None)
            while True:
                try:
                    request = yield response
                except GeneratorExit:  # the caller closes us: close the generator, in the mode
                    with mode():
                        steps.close()
                    raise
                except BaseException as thrown:  # the caller threw something in: pass it on, in the mode
                    with mode():
                        response = steps.throw(thrown)
                else:
                    with mode():
                        response = steps.send(request)
        except StopIteration as done:
            return done.value

    return generator


class set_grad_enabled:
    """``set_grad_enabled(False)`` switches recording off now; as a context manager, until the block ends; as a
    decorator (``@set_grad_enabled(False)``), while the function runs (the mode is put back at once)."""

    def __init__(self, mode: bool):
        self.prev, self.mode = _mode.grad_enabled, bool(mode)
        _mode.grad_enabled = self.mode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _mode.grad_enabled = self.prev
        return False

    def __call__(self, orig_func):
        _mode.grad_enabled = self.prev  # decorating changes nothing now: the mode is entered at each call
        return decorated(lambda: set_grad_enabled(self.mode), orig_func)


class _DecoratorContextManager:
    """What no_grad, enable_grad and inference_mode share (PyTorch's base of that name): a context manager and
    decorator that sets recording to ``enabled``.  Each is its own class beside the others, so
    ``isinstance(m, no_grad)`` holds for a no_grad only."""

    enabled = None

    def __new__(cls, orig_func=None, *args):
        """``@no_grad`` without parentheses decorates ``orig_func`` at once, as ``@no_grad()`` would."""
        instance = super().__new__(cls)
        if callable(orig_func):
            instance.__init__()
            return instance(orig_func)
        return instance

    def __enter__(self):
        self.prev, _mode.grad_enabled = _mode.grad_enabled, self.enabled
        return self

    def __exit__(self, *exc):
        _mode.grad_enabled = self.prev
        return False

    def __call__(self, orig_func):
        return decorated(type(self), orig_func)


class no_grad(_DecoratorContextManager):
    """Context manager (and decorator) in which ops record no graph.

    Inside it results have ``requires_grad=False``; use it for evaluation and for updates such
    as ``p -= lr * p.grad`` that change a parameter in place and must not become part of the graph.
    """

    enabled = False


class enable_grad(_DecoratorContextManager):
    """The opposite of ``no_grad``: record the graph even inside a ``no_grad`` block."""

    enabled = True


class detect_anomaly:
    """Context manager: the first op whose forward or backward gives NaN/inf raises ``AnomalyError``.

    The error names the op and the line of *your* code that created it. It costs a finiteness
    check per op, so it is off by default.  ``check_nan=False`` (torch.autograd.detect_anomaly's: keep the
    forward tracebacks only, which minigan's errors always name) leaves the check as it was.
    """

    def __init__(self, check_nan: bool = True):
        self.check_nan = bool(check_nan)

    def __enter__(self):
        self.prev, _anomaly.enabled = _anomaly.enabled, self.check_nan or _anomaly.enabled
        # NumPy's own "divide by zero" warnings would only repeat, less precisely, what we raise.
        self.quiet = backend.np.errstate(all="ignore")
        self.quiet.__enter__()
        return self

    def __exit__(self, *exc):
        _anomaly.enabled = self.prev
        self.quiet.__exit__(*exc)
        return False


def is_anomaly_enabled() -> bool:
    return _anomaly.enabled


def _user_frame() -> str:
    """The innermost stack frame outside the minigan package, as 'file:line in func: code'."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if "/minigan/" not in frame.filename.replace("\\", "/") or "/tests/" in frame.filename:
            return f"{frame.filename}:{frame.lineno} in {frame.name}: {frame.line}"
    return "<unknown>"


def check_finite(op: str, what: str, value, where: str) -> None:
    array = getattr(value, "array", value) if not backend.is_array(value) else value
    if array is None or not backend.is_array(array) or not backend.is_floating(array.dtype):
        return
    xp = backend.get_array_module(array)
    if not bool(xp.isfinite(array).all()):
        kind = "NaN" if bool(xp.isnan(array).any()) else "inf"
        raise AnomalyError(f"{op}: its {what} produced {kind} (op created at {where})")
