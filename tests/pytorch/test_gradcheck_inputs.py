"""gradcheck and gradgradcheck take what PyTorch's take: inputs that are not tensors (a scale, a flag, None) are
handed to the function as they are, tensors that do not require grad are not checked, and
``raise_exception=False`` answers False for a wrong gradient instead of raising.

A custom Function with a number argument (``MyExp.apply(x, 1.5)``), checked as the PyTorch tutorials check it,
against PyTorch's verdict: right and wrong backward, each kind of extra argument, both checks.
"""

import pytest

import minigan

torch = pytest.importorskip("torch")

EXTRAS = {"number": (1.5,), "flag and None": (True, None), "tensor without grad": "tensor", "string": ("sum",)}


def function_pair(lib, wrong):
    class ScaledExp(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, *extra):
            y = lib.exp(x) * (extra[0] if isinstance(extra[0], float) else 2.0)
            ctx.save_for_backward(y)
            ctx.count = len(extra)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return (g * y * (1.01 if wrong else 1.0), *([None] * ctx.count))

    return ScaledExp.apply


def inputs(lib, extra):
    x = lib.tensor([0.3, -0.2, 0.7], dtype=lib.float64, requires_grad=True)
    if extra == "tensor":
        return (x, lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64))
    return (x, *extra)


def verdict(lib, check, wrong, extra, raise_exception):
    fn = function_pair(lib, wrong)
    checker = getattr(lib if lib is minigan else torch.autograd, check)
    try:
        return checker(fn, inputs(lib, EXTRAS[extra]), raise_exception=raise_exception)
    except RuntimeError:  # PyTorch's GradcheckError is a RuntimeError, and so is minigan's
        return "raised"


@pytest.mark.parametrize("check", ["gradcheck", "gradgradcheck"])
@pytest.mark.parametrize("extra", list(EXTRAS))
@pytest.mark.parametrize("wrong", [False, True])
@pytest.mark.parametrize("raise_exception", [True, False])
def test_gradcheck_takes_pytorchs_inputs(check, extra, wrong, raise_exception):
    want = verdict(torch, check, wrong, extra, raise_exception)
    assert verdict(minigan, check, wrong, extra, raise_exception) == want
