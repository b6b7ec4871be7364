"""The node of the autodiff graph.

Every op is a small subclass of ``Function`` with two methods side by side::

    class Mul(Function):
        def forward(self, a, b):            # arrays in, array out
            self.saved = (a, b)
            return a * b

        def backward(self, grad):           # d(ab)/da = b, d(ab)/db = a
            a, b = self.saved
            return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)

``Mul.apply(x, y)`` runs ``forward`` on the tensors' arrays and, when a gradient will be
needed, remembers the inputs so that ``Tensor.backward`` can call ``backward`` later.

``forward`` and ``backward`` work on raw NumPy/CuPy arrays: the engine, not each op, deals
with tensors, so an op reads like the formula it implements.  Each ``backward`` is written in
terms of the same elementwise/matmul/reduction primitives the ops expose, so a future
``create_graph=True`` (gradients of gradients, for WGAN-GP) can re-express it with ``Function``s.
"""

from __future__ import annotations

import traceback

from minigan import backend
from minigan.errors import AnomalyError, MiniganError, ShapeError

# ----------------------------------------------------------------------------- global switches
# Plain module-level state (a learner can print it): is a graph being recorded?  Are we
# hunting NaNs?  Both are flipped by the context managers below.
_grad_enabled = True
_anomaly_enabled = False


def is_grad_enabled() -> bool:
    return _grad_enabled


def set_grad_enabled(flag: bool) -> None:
    global _grad_enabled
    _grad_enabled = bool(flag)


class no_grad:
    """Context manager (and decorator) in which ops record no graph.

    Inside it, results have ``requires_grad=False``: use it for evaluation and for updates
    such as ``p.data -= lr * p.grad`` that must not become part of the graph.
    """

    def __enter__(self):
        global _grad_enabled
        self.prev, _grad_enabled = _grad_enabled, False
        return self

    def __exit__(self, *exc):
        global _grad_enabled
        _grad_enabled = self.prev
        return False

    def __call__(self, func):
        def wrapper(*args, **kwargs):
            with no_grad():
                return func(*args, **kwargs)

        wrapper.__name__, wrapper.__doc__ = func.__name__, func.__doc__
        return wrapper


class enable_grad(no_grad):
    """The opposite of ``no_grad``: record the graph even inside a ``no_grad`` block."""

    def __enter__(self):
        global _grad_enabled
        self.prev, _grad_enabled = _grad_enabled, True
        return self


class detect_anomaly:
    """Context manager: the first op whose forward or backward gives NaN/inf raises ``AnomalyError``.

    The error names the op and the line of *your* code that created it. It costs a finiteness
    check per op, so it is off by default.
    """

    def __enter__(self):
        global _anomaly_enabled
        self.prev, _anomaly_enabled = _anomaly_enabled, True
        # NumPy's own "divide by zero" warnings would only repeat, less precisely, what we raise.
        self.quiet = backend.np.errstate(all="ignore")
        self.quiet.__enter__()
        return self

    def __exit__(self, *exc):
        global _anomaly_enabled
        _anomaly_enabled = self.prev
        self.quiet.__exit__(*exc)
        return False


def is_anomaly_enabled() -> bool:
    return _anomaly_enabled


def _user_frame() -> str:
    """The innermost stack frame outside the minigan package, as 'file:line in func: code'."""
    for frame in reversed(traceback.extract_stack()[:-2]):
        if "/minigan/" not in frame.filename.replace("\\", "/") or "/tests/" in frame.filename:
            return f"{frame.filename}:{frame.lineno} in {frame.name}: {frame.line}"
    return "<unknown>"


def _check_finite(op: str, what: str, array, where: str) -> None:
    if array is None or not backend.is_floating(array.dtype):
        return
    xp = backend.get_array_module(array)
    if not bool(xp.isfinite(array).all()):
        kind = "NaN" if bool(xp.isnan(array).any()) else "inf"
        raise AnomalyError(f"{op}: its {what} produced {kind} (op created at {where})")


# ----------------------------------------------------------------------------- helpers for ops
def unbroadcast(grad, shape):
    """Sum ``grad`` down to ``shape``: the adjoint of NumPy broadcasting.

    Broadcasting copied the input along new leading axes and along its size-1 axes, so the
    gradient adds up over exactly those axes.
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape) if n == 1 and grad.shape[i + lead] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


# ----------------------------------------------------------------------------- the node
class Function:
    """One recorded operation: its inputs, what forward saved, and how to run backward."""

    __slots__ = ("inputs", "saved", "needs_input_grad", "created_at", "retained", "__dict__")

    def forward(self, *arrays, **params):  # pragma: no cover - every op overrides it
        raise NotImplementedError

    def backward(self, grad):  # pragma: no cover
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op on tensors; record it in the graph when a gradient may be needed."""
        fn = cls()
        fn.saved = None
        fn.retained = None
        needs = tuple([t.requires_grad for t in inputs])
        requires_grad = _grad_enabled and True in needs
        fn.needs_input_grad = needs if requires_grad else None
        arrays = [t.data for t in inputs]
        if backend._cupy is not None and len(arrays) > 1:
            try:
                backend.get_array_module(*arrays)  # raises a clear BackendError on a cpu/cuda mix
            except backend.BackendError as e:
                devices = ", ".join(backend.device_of(a) for a in arrays)
                raise backend.BackendError(f"{cls.__name__.lower()}: inputs on {devices}: {e}") from None
        try:
            out = fn.forward(*arrays, **params)
        except (MiniganError, backend.BackendError):
            raise
        except ValueError as e:  # NumPy's broadcasting/matmul complaints, made readable
            shapes = " and ".join(str(tuple(a.shape)) for a in arrays)
            if "broadcast" in str(e):
                raise ShapeError(
                    f"{cls.__name__.lower()}: cannot broadcast inputs of shapes {shapes}; expected shapes that are "
                    "equal, or 1, in each trailing axis (NumPy broadcasting)"
                ) from None
            raise ShapeError(f"{cls.__name__.lower()}: cannot apply to inputs of shapes {shapes}: {e}") from None
        if _anomaly_enabled:
            fn.created_at = _user_frame()
            _check_finite(cls.__name__, "forward output", out, fn.created_at)
        result = _Tensor._make(out, requires_grad)
        if requires_grad:
            fn.inputs = inputs
            result._ctx = fn
        return result

    def free(self) -> None:
        """Drop the inputs and saved arrays so memory is released after backward."""
        self.inputs = None
        self.saved = None

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"


# Tensor imports this module, so the reverse import happens once, at the end (see tensor.py).
_Tensor = None


def _bind_tensor_class(cls) -> None:
    global _Tensor
    _Tensor = cls
