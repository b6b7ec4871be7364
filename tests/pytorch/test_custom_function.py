"""A user's ``autograd.Function`` against PyTorch (tests/pytorch/sweep.py):

* an op written as in PyTorch's tutorial on custom autograd functions (forward and backward as static methods, a
  ctx that saves tensors): its gradients;
* the arguments that are not Tensors: ``ctx.needs_input_grad`` in forward is each argument's requires_grad (False
  for a non-Tensor) whatever the grad mode (under no_grad nothing is recorded, but forward still sees it), in
  forward and in setup_context; a backward that returns a gradient (not None) for an argument that is not a Tensor
  is a RuntimeError, whatever the other arguments; a gradient for a Tensor that does not require grad is dropped;
* a Function called as an instance (``MyFunction()(x)``, old tutorials' style) is PyTorch's RuntimeError naming
  apply, whether forward is static or not, whatever the arguments; apply still runs;
* ``ctx.mark_dirty``: a forward that changes a view in place reaches the view's base through the Function's backward
  (PyTorch's CopySlices); on a leaf that requires grad, or a view of one, a RuntimeError naming the leaf;
* ``autograd.function.once_differentiable``: the backward runs under no_grad and gives PyTorch's gradients; under
  ``create_graph=True`` with an incoming gradient that requires grad, the gradients it returns require grad and a
  backward through them is a RuntimeError; with a constant incoming gradient they are plain; the decorated backward
  keeps its name and doc.

(Its torch-free tests: tests/engine/test_custom_function.py.)
"""

import itertools

import numpy as np
import pytest

from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _legendre(L):
    class Legendre3(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return 0.5 * (5 * x ** 3 - 3 * x)

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * 1.5 * (5 * x ** 2 - 1)

    x = L.tensor(np.linspace(-2, 2, 7), requires_grad=True)
    (Legendre3.apply(x * 2) ** 2).sum().backward()
    return close(x.grad, 1e-12)


test_a_tutorials_function_against_pytorch = sweep(_legendre, [()], ids=lambda: "Legendre3")

# forward's arguments after the first tensor: a Tensor that requires grad, one that does not, a number, None, a
# string, a bool, a tuple of numbers
KINDS = ("grad", "plain", "number", "none", "string", "bool", "tuple")
MODES = {
    "enabled": lambda L: L.enable_grad(),
    "no_grad": lambda L: L.no_grad(),
    "set_grad_enabled(False)": lambda L: L.set_grad_enabled(False),
    "inference_mode": lambda L: L.inference_mode(),
}


def _argument(L, kind):
    return {"grad": lambda: L.tensor([1.0, 2.0], requires_grad=True), "plain": lambda: L.tensor([3.0, 4.0]),
            "number": lambda: 2.5, "none": lambda: None, "string": lambda: "s", "bool": lambda: True,
            "tuple": lambda: (1, 2)}[kind]()


def _twice(L, separate, seen, returned):
    """A Function of (x, *rest) that returns x * 2; backward returns ``returned`` for rest ("tensor": a gradient
    Tensor of x's shape at every position, "none": None)."""

    def backward(ctx, g):
        return (g * 2, *[g * 1 if returned == "tensor" else None for _ in range(ctx.rest)])

    if separate:
        class Twice(L.autograd.Function):
            @staticmethod
            def forward(x, *rest):
                return x * 2

            @staticmethod
            def setup_context(ctx, inputs, output):
                seen.append(tuple(ctx.needs_input_grad))
                ctx.rest = len(inputs) - 1
    else:
        class Twice(L.autograd.Function):
            @staticmethod
            def forward(ctx, x, *rest):
                seen.append(tuple(ctx.needs_input_grad))
                ctx.rest = len(rest)
                return x * 2

    Twice.backward = staticmethod(backward)
    return Twice


def _needs_input_grad(L, first, rest, mode, separate):
    seen = []
    with MODES[mode](L):
        _twice(L, separate, seen, "none").apply(*[_argument(L, k) for k in (first, *rest)])
    return seen


def _returned_for_each_argument(L, rest, returned, separate):
    args = [_argument(L, k) for k in ("grad", *rest)]
    _twice(L, separate, [], returned).apply(*args).sum().backward()
    return [a.grad if isinstance(a, L.Tensor) else None for a in args]


test_needs_input_grad_in_forward = sweep(_needs_input_grad, [
    (first, rest, mode, separate) for first in ("grad", "plain") for rest in itertools.combinations(KINDS, 2)
    for mode in MODES for separate in (False, True)])
test_gradients_returned_for_each_argument = sweep(_returned_for_each_argument, [
    (rest, returned, separate) for rest in [(k,) for k in KINDS] + list(itertools.combinations(KINDS, 2))
    for returned in ("tensor", "none") for separate in (False, True)])


def _functions(L):
    class Static(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    class Legacy(L.autograd.Function):
        def forward(self, x):
            return x * 2

        def backward(self, g):
            return g * 2

    return {"static": Static, "legacy": Legacy}


LEGACY_CALLS = {"none": lambda L: (), "tensor": lambda L: (L.tensor([1.0]),),
                "requires_grad": lambda L: (L.tensor([1.0, 2.0], requires_grad=True),), "number": lambda L: (3.0,)}


def _called(L, kind, call):
    """``Function()(...)``, or (call "apply") ``Function.apply(x)`` and x's gradient."""
    if call == "apply":
        x = L.tensor([1.0, 2.0], requires_grad=True)
        _functions(L)[kind].apply(x).sum().backward()
        return x.grad
    return _functions(L)[kind]()(*LEGACY_CALLS[call](L))


test_an_instance_called_raises_as_pytorch_and_apply_runs = sweep(_called, itertools.product(
    ["static", "legacy"], [*LEGACY_CALLS, "apply"]), also=lambda ours, theirs: isinstance(ours, Exception) and (
        ".apply(" not in str(ours) or "\n" in str(ours)) and "a refusal that is not one line naming apply")


def _doubling(L):
    class DoubleInPlace(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.mul_(2)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    return DoubleInPlace


VIEWS = {"row": lambda b: b[1], "column": lambda b: b[:, 2], "transposed": lambda b: b.t(), "all": lambda b: b[:],
         "reshaped": lambda b: b.view(3, 2), "diagonal slice": lambda b: b[:, ::2]}
USES = {"the base": lambda base, out: base, "the output": lambda base, out: out,
        "both": lambda base, out: base.sum() + out.sum() * 3}


def _dirty(L, view, use):
    """The base's values, then x's gradient; (view "leaf" or "view of a leaf") the refusal."""
    if view in ("leaf", "view of a leaf"):
        x = L.ones(2, 3, dtype=L.float64, requires_grad=True)
        return _doubling(L).apply(x[0] if view == "view of a leaf" else x)
    x = L.arange(1.0, 7.0, dtype=L.float64).reshape(2, 3).requires_grad_()
    base = x * 1
    y = USES[use](base, _doubling(L).apply(VIEWS[view](base)))
    (y * L.cos(L.arange(float(y.numel()), dtype=L.float64)).reshape(y.shape)).sum().backward()
    return close(base.detach(), 1e-12), close(x.grad, 1e-12)


test_a_function_marking_a_view_dirty_sends_its_base_gradient_through_it = sweep(_dirty, [
    *itertools.product(VIEWS, USES), ("leaf", None), ("view of a leaf", None)],
    also=lambda ours, theirs: isinstance(ours, Exception) and "leaf" not in str(ours) and
    "a refusal not naming the leaf")


def _once_differentiable(L):
    seen = []

    class Square(L.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x ** 2

        @staticmethod
        @L.autograd.function.once_differentiable
        def backward(ctx, g):
            """d(x²)/dx = 2x"""
            (x,) = ctx.saved_tensors
            seen.append(L.is_grad_enabled())
            return 2 * g * x

    class MulAdd(L.autograd.Function):  # two inputs and a number, two outputs
        @staticmethod
        def forward(ctx, a, b, k):
            ctx.save_for_backward(a, b)
            ctx.k = k
            return a * b * k, a + b

        @staticmethod
        @L.autograd.function.once_differentiable
        def backward(ctx, g1, g2):
            a, b = ctx.saved_tensors
            return g1 * b * ctx.k + g2, g1 * a * ctx.k + g2, None

    return Square, MulAdd, seen


def _once(L, which):
    """What a program reads (the gradients, their requires_grad, a second backward's refusal), and whether grad
    mode was on inside the backward each time it ran."""
    rng = np.random.default_rng(ONCE.index(which))
    Square, MulAdd, seen = _once_differentiable(L)
    x = L.tensor(rng.normal(size=3), requires_grad=True)
    b = L.tensor(rng.normal(size=3), requires_grad=True)
    if which == "first order":
        (Square.apply(x) * L.arange(3.0, dtype=L.float64)).sum().backward()
        p, q = MulAdd.apply(x, b, 1.5)
        (p.sum() + 3 * q.sum()).backward()
        out = [close(x.grad, 1e-12), close(b.grad, 1e-12)]
    elif which == "a constant incoming gradient":  # create_graph: plain gradients
        (g,) = L.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
        out = [close(g.detach(), 1e-12), g.requires_grad, g.grad_fn is None]
    elif which == "an incoming gradient that requires grad":  # the result requires grad, its backward refuses
        (g,) = L.autograd.grad((Square.apply(x) * x).sum(), x, create_graph=True)
        out = [close(g.detach(), 1e-12), g.requires_grad, outcome(lambda: g.sum().backward())]
    elif which == "several outputs":  # under create_graph
        p, q = MulAdd.apply(x, b, 2.0)
        ga, gb = L.autograd.grad((p * x).sum() + q.sum(), (x, b), create_graph=True)
        out = [close(ga.detach(), 1e-12), close(gb.detach(), 1e-12), ga.requires_grad, gb.requires_grad,
               outcome(lambda: L.autograd.grad(gb.sum(), x) and "ran")]
    else:  # under no_grad at the outer level too, and the decorated function keeps its name and doc
        with L.no_grad():
            y = Square.apply(x)
        out = [y.requires_grad, Square.backward.__name__, Square.backward.__doc__]
    return out, seen


ONCE = ["first order", "a constant incoming gradient", "an incoming gradient that requires grad", "several outputs",
        "under no_grad"]
test_once_differentiable_as_pytorch = sweep(_once, ONCE)
