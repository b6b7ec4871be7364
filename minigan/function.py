"""The node of the autodiff graph, and the switches that say whether a graph is recorded.

Every op is a small subclass of ``Function`` with two methods side by side::

    class Mul(Function):
        def forward(self, a, b):             # arrays in, array out
            self.save_for_backward(a, b)
            return a * b

        def backward(self, grad):            # d(ab)/da = b, d(ab)/db = a
            a, b = self.saved_tensors
            return unbroadcast(grad * b, a.shape), unbroadcast(grad * a, b.shape)

``Mul.apply(x, y)`` on tensors runs ``forward`` on their arrays and, when a gradient may be
needed, records the node so that backward can call ``backward`` later.

**One backward for every order.**  ``backward`` is written once, and the engine runs it in one
of two ways:

* first order (``create_graph=False``, the common case): ``grad`` and ``saved_tensors`` are
  plain NumPy/CuPy arrays and grad mode is off, so the formula is ordinary array arithmetic,
  exactly as fast as hand-written NumPy;
* ``create_graph=True``: ``grad`` is a Tensor, ``saved_tensors`` gives back the *Tensors* the
  saved arrays belong to (the op's inputs, or its output), and grad mode is on, so the very same
  lines record a graph of their own, which can be differentiated again, to any order.

This works because a backward only uses what arrays and Tensors share: operators
(``* + - / @ **``), methods (``sum reshape transpose astype``), NumPy-named functions from
``xp = namespace(grad)`` (NumPy or CuPy for arrays, minigan's own namespace for Tensors: the
Array API idea), and other ops' ``apply``, which takes arrays as well as Tensors (on arrays it
just computes).  ``save_for_backward`` takes only the op's inputs and its output, so that a
gradient of the gradient can flow back through every saved value (under create_graph anything
else raises); whatever else a backward needs (a mask, a shape, a count) is a constant, kept as a
plain attribute.

A version counter guards the saved values: each Tensor counts the in-place changes made to its
array; apply() notes the versions of the inputs and the output, and ``saved_tensors`` raises
when a saved one changed since.
"""

from __future__ import annotations

import functools
import threading
import traceback

from minigan import backend
from minigan.errors import AnomalyError, GraphError


# ----------------------------------------------------------------------------- switches, per thread
class _Mode(threading.local):
    """Is a graph being recorded?  Are we hunting NaNs?  Each thread has its own answers (as in
    PyTorch), so a ``no_grad()`` evaluation thread leaves a training thread alone."""

    def __init__(self):
        self.grad_enabled = True
        self.anomaly_enabled = False


_mode = _Mode()


def is_grad_enabled() -> bool:
    return _mode.grad_enabled


class set_grad_enabled:
    """``set_grad_enabled(False)`` switches recording off now; as a context manager, until the block ends."""

    def __init__(self, mode: bool):
        self.prev = _mode.grad_enabled
        _mode.grad_enabled = bool(mode)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _mode.grad_enabled = self.prev
        return False


class no_grad:
    """Context manager (and decorator) in which ops record no graph.

    Inside it results have ``requires_grad=False``; use it for evaluation and for updates such
    as ``p -= lr * p.grad`` that change a parameter in place and must not become part of the graph.
    """

    enabled = False

    def __enter__(self):
        self.prev, _mode.grad_enabled = _mode.grad_enabled, self.enabled
        return self

    def __exit__(self, *exc):
        _mode.grad_enabled = self.prev
        return False

    def __call__(self, func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with type(self)():
                return func(*args, **kwargs)

        return wrapper


class enable_grad(no_grad):
    """The opposite of ``no_grad``: record the graph even inside a ``no_grad`` block."""

    enabled = True


class detect_anomaly:
    """Context manager: the first op whose forward or backward gives NaN/inf raises ``AnomalyError``.

    The error names the op and the line of *your* code that created it. It costs a finiteness
    check per op, so it is off by default.
    """

    def __enter__(self):
        self.prev, _mode.anomaly_enabled = _mode.anomaly_enabled, True
        # NumPy's own "divide by zero" warnings would only repeat, less precisely, what we raise.
        self.quiet = backend.np.errstate(all="ignore")
        self.quiet.__enter__()
        return self

    def __exit__(self, *exc):
        _mode.anomaly_enabled = self.prev
        self.quiet.__exit__(*exc)
        return False


def is_anomaly_enabled() -> bool:
    return _mode.anomaly_enabled


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


# ----------------------------------------------------------------------------- helpers for backward
def namespace(x):
    """The array functions for ``x``: NumPy or CuPy for an array, minigan's Tensor namespace
    (``minigan.ops.namespace``, found through the Array API's ``__array_namespace__``) for a Tensor."""
    if backend.is_array(x) or backend.is_numpy_scalar(x):
        return backend.get_array_module(x)
    return x.__array_namespace__()


def unbroadcast(grad, shape):
    """Sum ``grad`` down to ``shape``: the adjoint of NumPy broadcasting.

    Broadcasting copied the input along new leading axes and along its size-1 axes, so the
    gradient adds up over exactly those axes.  (Works on arrays and Tensors alike.)
    """
    if grad.shape == shape:
        return grad
    lead = grad.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape) if n == 1 and grad.shape[i + lead] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad.reshape(shape)


def _is_plain(x) -> bool:
    """An array or a NumPy scalar (what a reduction of arrays returns), not a Tensor."""
    return isinstance(x, backend.PLAIN_TYPES)


# ----------------------------------------------------------------------------- the node
class Function:
    """One recorded operation: its inputs, what forward saved, and how to run backward."""

    inputs = None  # the input tensors, while the node is recorded and not yet freed
    needs_input_grad = None  # per input: will its gradient be needed? (None: nothing is recorded)
    retained = None  # a weak reference to the output, when retain_grad() asked to keep its gradient
    saved_arrays = ()  # what forward gave save_for_backward

    def forward(self, *arrays, **params):  # pragma: no cover - every op overrides it
        raise NotImplementedError

    def backward(self, grad):  # pragma: no cover
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op.  On arrays it only computes (that is how a first-order backward calls other
        ops); on tensors it also records the node when a gradient may be needed."""
        fn = cls()
        first = inputs[0]
        if isinstance(first, backend.PLAIN_TYPES):
            first = next((t for t in inputs if not _is_plain(t)), None)
            if first is None:  # plain arrays in: plain array out, nothing recorded
                return fn.forward(*inputs, **params)
        try:
            needs = tuple([t.requires_grad for t in inputs])
        except AttributeError:  # a constant array beside tensors (in a backward under create_graph)
            inputs = tuple(first._new(t) if _is_plain(t) else t for t in inputs)
            needs = tuple([t.requires_grad for t in inputs])
        record = _mode.grad_enabled and True in needs
        if record:
            fn.needs_input_grad = needs
        arrays = [t.array for t in inputs]
        if backend._cupy is not None and len(arrays) > 1:
            backend.check_one_device(cls.__name__.lower(), arrays)  # a clear BackendError on a cpu/cuda mix
        out = fn.forward(*arrays, **params)
        if _mode.anomaly_enabled:
            fn.created_at = _user_frame()
            check_finite(cls.__name__, "forward output", out, fn.created_at)
        result = first._new(out, record)
        if record:
            fn.inputs = inputs
            if fn.saved_arrays:  # the versions now, to tell later whether a saved value was changed in place
                fn.versions = [t._counter[0] for t in inputs]
                fn.output, fn.output_counter, fn.output_version = out, result._counter, result._counter[0]
            result._ctx = fn
        return result

    # -- saving values for backward
    def save_for_backward(self, *arrays) -> None:
        """Keep these arrays (each an input or the output of forward; None is allowed) for backward."""
        self.saved_arrays = arrays

    @property
    def saved_tensors(self) -> tuple:
        """The saved values: arrays at first order, the Tensors they belong to under create_graph."""
        if self.inputs is None:
            raise GraphError(
                f"backward: trying to go through the graph a second time (at {type(self).__name__}), but its saved "
                "values were freed by the first backward; call backward(retain_graph=True) the first time"
            )
        if self.output_counter[0] != self.output_version or [t._counter[0] for t in self.inputs] != self.versions:
            self._check_unchanged()
        if not _mode.grad_enabled:  # first order: plain arrays
            return self.saved_arrays
        return tuple(self._saved_tensor(a) for a in self.saved_arrays)

    def _check_unchanged(self) -> None:
        """Some input or the output was changed in place since forward: raise if it is one we saved."""
        changed = [(i, t.array, t._counter[0], v) for i, (t, v) in enumerate(zip(self.inputs, self.versions))
                   if t._counter[0] != v]
        changed.append((-1, self.output, self.output_counter[0], self.output_version))
        for i, array, version, saved_at in changed:
            if version != saved_at and any(a is array for a in self.saved_arrays):
                what = "its output" if i == -1 else f"its input {i}"
                raise GraphError(
                    f"backward: {type(self).__name__} saved {what} (shape {tuple(array.shape)}) for the gradient, "
                    f"but it was then modified in place (version {version}, saved at version {saved_at}); "
                    "use an out-of-place op (y = y + 1, not y += 1) or take the step after backward()"
                )

    def _saved_tensor(self, array):
        """The Tensor a saved array belongs to: the input itself, or a handle on this node's output."""
        if array is None:
            return None
        if array is self.output:
            out = self.inputs[0]._new(array, True)  # its gradient flows into this node
            out._ctx, out._counter = self, self.output_counter
            return out
        for t in self.inputs:
            if t.array is array:
                return t
        raise GraphError(f"{type(self).__name__}.forward: save_for_backward got an array that is neither an input "
                         "nor the output; a gradient of the gradient could not flow through it (keep constants as "
                         "plain attributes)")

    def free(self) -> None:
        """Drop all that forward kept (inputs, saved values, masks, caches): memory is released after backward.
        What is left are the class's defaults: ``inputs`` is None, which marks the node as freed."""
        self.__dict__.clear()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}>"
