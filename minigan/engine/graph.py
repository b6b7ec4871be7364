"""The node of the autodiff graph: ``Node``, the base class of every op.

Every op is a small subclass of ``Node`` with two methods side by side::

    class Mul(Node):
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

**The graph's structure.**  A node keeps, for each input, the producer that input had when the
node was recorded (``edges``: a node, a leaf Tensor, or None for a constant), a tape of
the ops as they ran; an in-place op recorded later makes a new node and moves the tensor's history to it, and
re-routes nothing recorded before.  A version counter guards the saved values: each Tensor counts
the in-place changes made to its array (shared with its views); a saved value is a small record
(array, counter, version then), and the walk raises when one changed since (``check_saved``).

**What a learner prints** (``y.grad_fn``, ``.next_functions``, ``.name()``) is PyTorch's view of these nodes, added
above the engine by minigan/surface/node_view.py: ``next_functions`` shows the same edges as
``(node, output index)`` pairs, a leaf as its ``AccumulateGrad`` node, a constant as ``(None, 0)``; ``name()``
and the repr give the names PyTorch prints (``MulBackward0``).  The walk never uses them: it follows ``edges``.
"""

from __future__ import annotations

import itertools

from minigan.engine import backend
from minigan.engine.errors import GraphError
from minigan.engine.grad_mode import _anomaly, _mode, _user_frame, check_finite


# ----------------------------------------------------------------------------- helpers for backward
def namespace(x):
    """The array functions for ``x``: NumPy or CuPy for an array, minigan's Tensor namespace
    (``minigan.engine.ops.namespace``, found through the Array API's ``__array_namespace__``) for a Tensor."""
    return backend.MODULE_OF.get(type(x)) or _namespace_of(x)  # (an array's module, found by its exact type)


def _namespace_of(x):
    if isinstance(x, backend.PLAIN_TYPES):  # an array of a subclass of NumPy's
        return backend.get_array_module(x)
    return x.__array_namespace__()


def value(x):
    """The array of a saved value: ``x`` itself at first order, its ``.array`` under create_graph.  For a
    constant a backward derives from a saved value (the mask x > 0, the sign of x), which has no gradient."""
    return x if type(x) in backend.ARRAY_TYPES else x.array  # (at first order x is mostly a Tensor: see ARRAY_TYPES)


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


def zeros(grad):
    """A zero gradient of grad's shape and dtype (an array, or a constant Tensor under create_graph): the derivative
    of a piecewise-constant op (sign, floor, fill_), never ``grad * 0``, which is NaN where grad is ±∞ or NaN."""
    if isinstance(grad, backend.PLAIN_TYPES):
        return backend.get_array_module(grad).zeros_like(grad)
    return grad._new(backend.get_array_module(grad.array).zeros_like(grad.array))


def select(mask, grad):
    """``grad`` where the constant bool ``mask`` holds, else 0: a masking backward SELECTS, never
    ``grad * mask``, so that an ∞ or NaN gradient where the mask is False gives 0, not NaN."""
    if isinstance(grad, backend.PLAIN_TYPES):
        return backend.get_array_module(grad).where(mask, grad, grad.dtype.type(0))
    return grad.__array_namespace__().where(mask, grad, 0)


# ----------------------------------------------------------------------------- the one extension point for results
# An op computes the textbook's value: its forward is the array expression.  A library built on the engine may also
# promise how a result of two or more dimensions lies in memory (its strides: which later view() is a view), which
# the value does not change.  It says so here, once, by op class: class -> function (out, arrays, params) -> the
# array to use, ``arrays`` the op's inputs as forward got them.  Looked up by the node's own class (a subclass has a
# row of its own).  Empty in the engine alone; minigan's surface fills it with adjust_results, from the layout column
# of minigan/surface/ops.py's rows (the functions in minigan/surface/parity.py and layout.py).
RESULT_ADJUSTMENTS = {}


def adjust_results(table: dict) -> None:
    """Add ``table`` (op class -> adjustment) to RESULT_ADJUSTMENTS."""
    RESULT_ADJUSTMENTS.update(table)


# ----------------------------------------------------------------------------- the one extension point for gradients
# Under create_graph a gradient is a Tensor, and a program sees more of it than its value: whether it requires grad,
# and the graph it was recorded in.  A library built on the engine may promise those as another framework shows them
# (PyTorch's fused backward formulas read every operand they saved, so each gradient they give requires grad when
# one of those does).  It says so here, once, by the node's own class: class -> function (node, grad, grads) -> the
# gradients to hand on, ``grads`` what the node's backward returned.  The walk asks only under create_graph (a
# Tensor gradient), after the node's backward ran (walk.watched_backward); first order never looks.  Empty in the
# engine alone; minigan's surface fills it from the gradient column of minigan/surface/ops.py's rows.
GRADIENT_ADJUSTMENTS = {}

# ----------------------------------------------------------------------------- the one extension point for kernels
# An op whose value has two roundings (x ** 3 as exp(3·log x) or as x·x·x; α·(AB) with the sum scaled or each term)
# or whose derivative is 0·∞ somewhere names its own functions for them, the textbook's, as static methods (Pow's
# power, zero_da, zero_db; ScaledMatMul's scale).  A library may compute them as its kernels do: class -> an object
# with functions of the same names, which the op calls instead.  Pow asks the row's ``rounds(b, number)`` for which
# exponents they compute otherwise, and keeps its own everywhere else (x ** 2 stays the textbook's).  Empty in the
# engine alone; minigan's surface fills it from the kernels column of minigan/surface/ops.py's rows.
KERNELS = {}


# ----------------------------------------------------------------------------- the node
RECORDED = itertools.count(1)  # numbers the nodes as recorded (one count for all threads: inputs' numbers are smaller)


class Node:
    """One recorded operation: where each input came from, what forward saved, how to run backward.

    Every field of a node, declared here once:
    """

    edges = ()               # per input, its producer when this node was recorded: a node, a leaf Tensor, or None
    inputs = None            # the inputs (tensors, or constants as given): their shapes for a backward, the graph
    # for drawing it (viz); the walk follows edges
    needs_input_grad = None  # per input: is its gradient needed? (None: nothing is recorded)
    saved = ()               # per array given to save_for_backward, a small record (a tuple; record makes a list
    # of them): (array, the version counter of the tensor holding it, its version then, that tensor: an input, or None
    # for the output); after free(), FREED
    saved_arrays = ()        # what forward gave save_for_backward (turned into `saved` by apply)
    retained = None          # a weak reference to the output, when retain_grad() asked to keep its gradient
    hooks = None             # {handle id: function of the output's gradient}, from the output's register_hook
    node_hooks = None        # the node's own ({id: prehook}, {id: post-hook}), which the walk runs around backward (a
    # prehook maps the output's gradient, None: none goes on; a post-hook maps (input grads, the output's gradient))
    created_at = None        # under detect_anomaly(): the user's line that ran the op
    is_view = False          # True for ops whose output may share the input's memory (reshape, transpose...)
    freed = False            # backward with retain_graph=False ran through this node
    sequence_nr = 0          # when it was recorded: larger than every node recorded before it (PyTorch's name)
    # (the view for a learner's prints, above the engine: next_functions, name(), metadata, register_hook,
    # register_prehook (which fill node_hooks), the repr <MulBackward0 object at 0x...>: minigan/surface/node_view.py)

    def forward(self, *arrays, **params):  # pragma: no cover - every op overrides it
        raise NotImplementedError

    def backward(self, grad):  # pragma: no cover
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op.  On arrays it only computes (that is how a first-order backward calls other
        ops); on tensors it also records the node when a gradient may be needed."""
        # the node, and the input whose class makes the result (None: plain arrays in, a plain array out, nothing
        # recorded)
        fn, like = cls(), (inputs[0] if type(inputs[0]) not in backend.ARRAY_TYPES else _first_tensor(inputs))
        if like is None:
            return fn.adjusted(fn.forward(*inputs, **params), inputs, params)
        # step 1: one pass over the inputs: each one's array, whether its gradient is needed, and where that gradient
        # will go (its producer now: a node, or the leaf itself).  A constant (an array, or a NumPy number such as the 2
        # of x * 2) stays as it is and needs none; a view whose base changed in place gets its history again first.
        arrays, needs, edges = [], [], []  # (one loop: the op's cost is mostly this bookkeeping)
        for t in inputs:
            constant = type(t) in backend.ARRAY_TYPES  # (a set of exact types: see backend.ARRAY_TYPES)
            if not constant and t._base is not None:
                t._input(t)
            arrays.append(t if constant else t.array)
            needs.append(not constant and (t._requires_grad or t._base is not None and t._base._requires_grad))
            edges.append((t._ctx or (t if t._requires_grad else None)) if needs[-1] else None)  # (a leaf that keeps no
            # gradient, a view made under no_grad, gets none from this node, even once it comes to keep one)
        record = True in needs and _mode.grad_enabled
        fn.needs_input_grad = tuple(needs) if record else None
        if backend.GPU_ARRAYS:  # (CuPy is there: one device, or a clear error naming the op)
            arrays = backend.arrays_of(cls.__name__.lower(), arrays)
        # step 2: forward on the arrays, the result a tensor (a view of its input for a view op)
        out = fn.forward(*arrays, **params)
        out = fn.adjusted(out, arrays, params) if RESULT_ADJUSTMENTS and out.ndim > 1 else out  # (the layer above's
        # rules for how a result lies in memory, where it declared some: RESULT_ADJUSTMENTS)
        result = like._make(out, record, inputs[0] if cls.is_view else None, cls, params, arrays)
        # step 3: record the node as the result's history
        if record:
            fn.record(inputs, tuple(edges), arrays, out, result)
        return result if not _anomaly.enabled else fn.check_forward(result)  # (under detect_anomaly(): checked)

    def record(self, inputs, edges, arrays, out, result) -> None:
        """Make this node ``result``'s history: its inputs, the producer of each (``edges``), and a record of each
        value forward saved (``arrays``: what forward was given, to tell which input a saved array is; ``out``: what
        it returned, the array ``result`` holds or a NumPy scalar).  An integer or bool result is never recorded and
        never requires grad (rounding is piecewise constant: ``x.long()`` is a constant, not the identity).  One of an
        integer input that requires grad (which fill_ of a value that requires grad makes) is refused, as PyTorch
        refuses it ("Autograd not support dtype"); a cast to an integer dtype (methods.to) detaches its input first."""
        if out.dtype.kind != "f":
            if any(e is not None and a.dtype.kind != "f" for a, e in zip(arrays, edges)):
                raise GraphError(f"{type(self).__name__}: autograd does not support an integer result ({out.dtype}) of "
                                 "an integer tensor that requires grad, as PyTorch's; use that tensor's .detach()")
            result._requires_grad = False
            return
        result._ctx, self.inputs, self.edges, self.sequence_nr = self, inputs, edges, next(RECORDED)  # (its inputs'
        # nodes have smaller numbers)
        if self.saved_arrays:
            self.saved = []  # a record of each saved array (None stays None); a loop: on Python 3.11 a comprehension
            for a in self.saved_arrays:  # is a call of its own, which showed in benchmarks/paired_trees.py
                self.saved.append(None if a is None else _record(a, inputs, arrays, out, result))

    def adjusted(self, out, arrays, params):
        """``out`` as the layer above the engine adjusts this op's result (this class's row of RESULT_ADJUSTMENTS,
        for a result of two or more dimensions); what forward saved of ``out`` is the adjusted array then."""
        adjust = RESULT_ADJUSTMENTS.get(type(self)) if out.ndim > 1 else None
        new = out if adjust is None else adjust(out, arrays, params)
        if new is not out and self.saved_arrays:
            self.saved_arrays = tuple(new if a is out else a for a in self.saved_arrays)
        return new

    def check_forward(self, result):
        """Under detect_anomaly(): note the user's line that ran the op; raise on a NaN/inf result, else return it."""
        self.created_at = _user_frame()
        check_finite(type(self).__name__, "forward output", result.array, self.created_at)
        return result

    # -- saving values for backward
    def save_for_backward(self, *arrays) -> None:
        """Keep these arrays (each an input or the output of forward; None is allowed) for backward."""
        self.saved_arrays = arrays

    @property
    def saved_tensors(self) -> tuple:
        """The saved values: arrays at first order, the Tensors they belong to under create_graph.  (The walk has
        checked them before it called backward: check_saved.)  Records past forward's (minigan/surface/saved.py's)
        are only checked."""
        return self.saved_arrays if not _mode.grad_enabled else self._saved_as_tensors()  # (first order: arrays)

    def _saved_as_tensors(self) -> tuple:
        """The saved values under create_graph: each input as the Tensor it was (``_input``), the output as a handle
        on it (``_output``), None as None."""
        return tuple([None if s is None else self._input(s[3]) if s[3] is not None else self._output(s)
                      for s in self.saved[:len(self.saved_arrays)]])

    def check_saved(self) -> None:
        """Raise if the saved values are gone (freed by a backward) or stale (changed in place since): the walk's step
        1 (written out there), before each node's backward, whether or not that backward reads them (a node that keeps
        masks made from its inputs saves the inputs too, so that a change to them is refused, as a change to a saved
        input is); also asked by whatever reads saved values outside the walk (a Function's saved_tensors)."""
        for s in self.saved:  # (a freed node holds one record, FREED, that no version matches)
            if s is not None and s[1][0] != s[2]:
                raise GraphError(self._saved_error())

    def _saved_error(self) -> str:
        """What check_saved says: that the graph was freed, or which saved value changed, and what to do."""
        if self.freed:
            return (f"backward: trying to go through the graph a second time (at {type(self).__name__}), but its "
                    "saved values were freed by the first backward; call backward(retain_graph=True) the first time")
        array, counter, version, tensor = next(s for s in self.saved if s is not None and s[1][0] != s[2])
        what = "its output" if tensor is None else next(
            (f"its input {i}" for i, t in enumerate(self.inputs or ()) if t is tensor), "a saved tensor")
        return (f"backward: {type(self).__name__} saved {what} (shape {tuple(array.shape)}) for the gradient, but it "
                f"was then modified in place (version {counter[0]}, saved at version {version}); use an out-of-place "
                "op (y = y + 1, not y += 1) or make the change after backward()")

    def _input(self, t):
        """A saved input (under create_graph) with the history it had when saved:
        detach_() may have taken the tensor itself out of the graph since.  A constant input becomes a constant Tensor
        (the backward calls Tensor functions on it); any other constant (a mask) stays a plain array."""
        if isinstance(t, backend.PLAIN_TYPES):
            return _first_tensor(self.inputs)._make(t) if any(t is u for u in self.inputs) else t
        if t._ctx is not None:
            return t
        producer = next((e for u, e in zip(self.inputs, self.edges) if u is t), None)
        if not isinstance(producer, Node):
            return t
        handle = type(t)._make(t.array, True)
        handle._ctx, handle._counter = producer, t._version_counter()
        return handle

    def _output(self, s):
        """A handle on this node's output (for backward under create_graph): its gradient flows into this node."""
        tensor_class = type(_first_tensor(self.inputs))  # (graph.py never imports tensor.py)
        out = tensor_class._make(s[0], True)
        out._ctx, out._counter = self, s[1]
        return out

    def free(self) -> None:
        """Drop all that forward kept (saved values, masks, caches): memory is released after backward.
        ``edges``, ``needs_input_grad`` and ``sequence_nr`` stay, so that a second walk (backward, autograd.grad)
        finds the graph, in its order, and names this node; ``retained`` too (the output's ``retains_grad``).  The
        saved records become ``FREED``, which check_saved refuses."""
        self.__dict__ = {"edges": self.edges, "needs_input_grad": self.needs_input_grad, "saved": FREED,
                         "sequence_nr": self.sequence_nr, "retained": self.retained, "freed": True}


class RemovableHandle:
    """What registering a hook returns (a tensor's gradient hook, a module's forward hook), as
    ``torch.utils.hooks.RemovableHandle``: ``handle.remove()`` takes the hook off (also at the end of a with block)."""

    _next_id = 0

    def __init__(self, hooks: dict, hook):
        RemovableHandle._next_id += 1
        self.hooks, self.id = hooks, RemovableHandle._next_id
        hooks[self.id] = hook

    def remove(self) -> None:
        self.hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _first_tensor(inputs):
    """The first input that is not a plain array (None if there is none: a first-order backward's call)."""
    for t in inputs:
        if not isinstance(t, backend.PLAIN_TYPES):
            return t
    return None


def _record(array, inputs, arrays, out, result):
    """The record of one array given to save_for_backward: (array, version counter, version now, the input it is, or
    None for the output).  An input is known by the array forward was handed (``arrays``)."""
    for t, a in zip(inputs, arrays):
        if a is array:  # an input: a tensor, or a constant (the 2 of x * 2)
            counter = _CONSTANT if type(t) in backend.ARRAY_TYPES else t._version_counter()
            return (array, counter, counter[0], t)
    if array is out or array is result.array:  # the output
        counter = result._version_counter()
        return (result.array, counter, counter[0], None)
    return (array, _CONSTANT, 0, array)  # a constant (a mask, say): it stays a plain array


_CONSTANT = (0,)  # the version counter of a constant, which nothing changes in place
FREED = ((None, (1,), 0, None),)  # what free() leaves of a node's saved records: one whose version never matches, so
# that check_saved refuses a second walk through a freed node as it refuses a stale value
