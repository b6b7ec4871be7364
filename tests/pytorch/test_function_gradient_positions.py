"""A user's ``autograd.Function`` and the arguments that are not Tensors: what ``ctx.needs_input_grad`` says in
forward (under every grad mode) and what backward may return at their positions, against PyTorch.

PyTorch's ``needs_input_grad`` is each argument's ``requires_grad`` (False for a non-Tensor) whatever the grad
mode: under ``no_grad`` nothing is recorded, but forward still sees which inputs require grad.  A backward that
returns a gradient (not None) for an argument that is not a Tensor is refused with a RuntimeError, whatever the
other arguments; a gradient for a Tensor that does not require grad is dropped unchecked."""

import itertools

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

# forward's arguments after the first tensor: a Tensor that requires grad, one that does not, a number, None,
# a string, a bool, a tuple of numbers
KINDS = ("grad", "plain", "number", "none", "string", "bool", "tuple")


def _argument(lib, kind):
    return {"grad": lambda: lib.tensor([1.0, 2.0], requires_grad=True), "plain": lambda: lib.tensor([3.0, 4.0]),
            "number": lambda: 2.5, "none": lambda: None, "string": lambda: "s", "bool": lambda: True,
            "tuple": lambda: (1, 2)}[kind]()


def _function(lib, separate, seen, returned):
    """A Function of (x, *rest) that returns x * 2; backward returns ``returned`` for rest ("tensor": a gradient
    Tensor of x's shape at every position, "none": None)."""

    def backward(ctx, g):
        rest = [g * 1 if returned == "tensor" else None for _ in range(ctx.rest)]
        return (g * 2, *rest)

    if separate:
        class Twice(lib.autograd.Function):
            @staticmethod
            def forward(x, *rest):
                return x * 2

            @staticmethod
            def setup_context(ctx, inputs, output):
                seen.append(tuple(ctx.needs_input_grad))
                ctx.rest = len(inputs) - 1
    else:
        class Twice(lib.autograd.Function):
            @staticmethod
            def forward(ctx, x, *rest):
                seen.append(tuple(ctx.needs_input_grad))
                ctx.rest = len(rest)
                return x * 2

    Twice.backward = staticmethod(backward)
    return Twice


MODES = {
    "enabled": lambda lib: lib.enable_grad(),
    "no_grad": lambda lib: lib.no_grad(),
    "set_grad_enabled(False)": lambda lib: lib.set_grad_enabled(False),
    "inference_mode": lambda lib: lib.inference_mode(),
}


@pytest.mark.parametrize("separate", [False, True], ids=["combined", "setup_context"])
@pytest.mark.parametrize("mode", list(MODES))
@pytest.mark.parametrize("first, rest", [(first, rest) for first in ("grad", "plain")
                                         for rest in itertools.combinations(KINDS, 2)])
def test_needs_input_grad_in_forward(first, rest, mode, separate):
    seen = {}
    for lib in (torch, minigan):
        seen[lib.__name__] = []
        args = [_argument(lib, first)] + [_argument(lib, k) for k in rest]
        with MODES[mode](lib):
            _function(lib, separate, seen[lib.__name__], "none").apply(*args)
    assert seen["minigan"] == seen["torch"]


def _outcome(lib, first, rest, returned, separate):
    args = [_argument(lib, first)] + [_argument(lib, k) for k in rest]
    y = _function(lib, separate, [], returned).apply(*args)
    try:
        y.sum().backward()
    except Exception as e:  # noqa: BLE001 - the class is compared
        return type(e)
    return [None if not isinstance(a, lib.Tensor) or a.grad is None else a.grad.tolist() for a in args]


@pytest.mark.parametrize("separate", [False, True], ids=["combined", "setup_context"])
@pytest.mark.parametrize("returned", ["tensor", "none"])
@pytest.mark.parametrize("rest", [(k,) for k in KINDS] + list(itertools.combinations(KINDS, 2)))
def test_gradients_returned_for_each_argument(rest, returned, separate):
    theirs = _outcome(torch, "grad", rest, returned, separate)
    ours = _outcome(minigan, "grad", rest, returned, separate)
    if isinstance(theirs, type):
        assert isinstance(ours, type) and issubclass(ours, theirs), (ours, theirs)
    else:
        assert ours == theirs
