"""autograd.gradcheck and gradgradcheck against PyTorch's (tests/pytorch/sweep.py):

* PyTorch 2.13's arguments (func, inputs, and the keyword-only flags), checked in its order: the flags' consistency
  (AssertionError), the inputs (one that requires grad with a dimension of stride 0: RuntimeError; none that
  requires grad: ValueError; gradgradcheck's grad_outputs read as tensors), then func is called (TypeError when it
  is not callable).  Found by the surface programs (tests/pytorch/surface_programs.py, seeds 11720033, 11722242,
  11722309 and 8 more of 11,720,000-11,729,999: minigan's TypeError for PyTorch's keywords 'func', 'nondet_tol',
  'check_undefined_grad', ...).  Forward-mode AD is not provided (docs/pytorch.md): check_forward_ad and
  check_fwd_over_rev with a callable func are minigan's NotImplementedError where PyTorch's check runs;
* what the tutorials check: a custom Function with arguments that are not tensors (a scale, a flag, None: handed
  to the function as they are) or tensors that do not require grad (not checked), right and wrong backward:
  PyTorch's verdict, ``raise_exception=False`` answering False where the check would raise; minigan's own
  ``minigan.gradcheck`` and ``minigan.gradgradcheck`` give it too.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.oracle import GRAD_NO_INPUTS
from pytorch.sweep import outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.25, -0.75]])
INPUTS = ["leaf", "no grad", "expanded", "int and leaf", "one tensor", "list", "two leaves"]
FUNCS = ["cubes", "a list"]
FLAGS = {"gradcheck": ["check_forward_ad", "check_backward_ad", "check_batched_grad", "check_batched_forward_grad"],
         "gradgradcheck": ["check_fwd_over_rev", "check_rev_over_rev", "check_undefined_grad", "check_batched_grad"]}
GRAD_OUTPUTS = ["none", "a tensor", "a tensor with grad", "a tuple with None", "expanded with grad"]


def _inputs(L, kind):
    leaf = L.tensor(X, dtype=L.float64, requires_grad=True)
    return {"leaf": lambda: (leaf,), "no grad": lambda: (L.tensor(X, dtype=L.float64),),
            "expanded": lambda: (L.tensor(X[:1], dtype=L.float64, requires_grad=True).expand(3, 3),),
            "int and leaf": lambda: (L.tensor([1, 2]), leaf), "one tensor": lambda: leaf, "list": lambda: [leaf],
            "two leaves": lambda: (leaf, L.tensor(X[::-1].copy(), dtype=L.float64, requires_grad=True))}[kind]()


def _grad_outputs(L, kind):
    g = np.array(0.75)
    return {"none": None, "a tensor": L.tensor(g, dtype=L.float64),
            "a tensor with grad": L.tensor(g, dtype=L.float64, requires_grad=True),
            "a tuple with None": (L.tensor(g, dtype=L.float64), None),
            "expanded with grad": L.tensor(np.ones(1), dtype=L.float64, requires_grad=True).expand(3)}[kind]


def _checked(L, check, func, inputs, flags, grad_outputs=None):
    """The check's verdict or refusal; where forward-mode AD is asked of a callable func, PyTorch's verdict and
    minigan's NotImplementedError read alike (docs/pytorch.md: a verdict of minigan's there would be on the backward
    alone), any other refusal as itself."""
    f = (lambda *xs: sum((x.double() ** 3).sum() for x in xs)) if func == "cubes" else [1, 2]
    kwargs = dict(zip(FLAGS[check], flags))
    if check == "gradcheck":
        got = outcome(lambda: L.autograd.gradcheck(**kwargs, func=f, inputs=_inputs(L, inputs), eps=1e-6,
                                                   nondet_tol=0.0, fast_mode=False))
    else:
        got = outcome(lambda: L.autograd.gradgradcheck(f, _inputs(L, inputs), _grad_outputs(L, grad_outputs),
                                                       **kwargs, gen_non_contig_grad_outputs=True, masked=False))
    if func == "cubes" and flags[0] and (isinstance(got, NotImplementedError) or L is torch and not isinstance(
            got, Exception)):
        return "forward-mode AD: PyTorch's check, minigan's refusal"
    if isinstance(got, Exception):
        raise got
    return got


test_gradcheck_arguments_as_pytorch = sweep(lambda L, *case: _checked(L, "gradcheck", *case), [
    (func, inputs, flags) for func in FUNCS for inputs in INPUTS
    for flags in itertools.product([False, True], repeat=4)],
    every=13, cover=[lambda func, inputs, flags: (func, inputs, flags[0])],
    ids=lambda func, inputs, flags: f"{func}-{inputs}-{''.join('TF'[not v] for v in flags)}")
# no input requires grad and grad_outputs does: gradgradcheck meets torch.autograd.grad with no inputs, whose refusal
# is a RuntimeError from PyTorch 2.13 (2.11 and 2.12: a ValueError)
test_gradgradcheck_arguments_as_pytorch = sweep(lambda L, *case: _checked(L, "gradgradcheck", *case[:2], case[3],
                                                                          case[2]), [
    pytest.param(func, inputs, outputs, flags, marks=[GRAD_NO_INPUTS] if (func, inputs, outputs) == (
        "cubes", "no grad", "a tensor with grad") else []) for func in FUNCS
    for inputs in ["leaf", "no grad", "expanded", "one tensor"] for outputs in GRAD_OUTPUTS
    for flags in itertools.product([False, True], repeat=4)], every=23, cover=[
        lambda func, inputs, outputs, flags: (func, inputs, outputs), lambda func, inputs, outputs, flags: (
            func, flags[0])], ids=lambda func, inputs, outputs, flags: f"{func}-{inputs}-{outputs}-"
                                                                   f"{''.join('TF'[not v] for v in flags)}")


def test_a_wrong_gradient_is_still_found():
    class Wrong(minigan.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * x

        @staticmethod
        def backward(ctx, g):
            return g  # (2x·g is right)

    x = minigan.tensor(X, dtype=minigan.float64, requires_grad=True)
    assert minigan.autograd.gradcheck(Wrong.apply, (x,), raise_exception=False) is False
    with pytest.raises(RuntimeError):
        minigan.autograd.gradcheck(Wrong.apply, (x,), nondet_tol=0.0, check_undefined_grad=True)
    with pytest.raises(minigan.GradcheckError):  # (a GradcheckError, by default)
        minigan.autograd.gradcheck(Wrong.apply, (x,))
    assert minigan.autograd.gradcheck(lambda a: (a ** 3).sum(), (x,))
    assert minigan.autograd.gradgradcheck(lambda a: (a ** 3).sum(), (x,))


EXTRAS = {"number": (1.5,), "flag and None": (True, None), "tensor without grad": "tensor", "string": ("sum",)}


def _verdict(L, door, check, wrong, extra, raise_exception):
    """The verdict on ScaledExp (a GradcheckError is a RuntimeError in both libraries); ``door`` "minigan": minigan's
    own top-level gradcheck and gradgradcheck, where PyTorch has only torch.autograd's."""
    class ScaledExp(L.autograd.Function):
        @staticmethod
        def forward(ctx, x, *extra):
            y = L.exp(x) * (extra[0] if isinstance(extra[0], float) else 2.0)
            ctx.save_for_backward(y)
            ctx.count = len(extra)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return (g * y * (1.01 if wrong else 1.0), *([None] * ctx.count))

    x = L.tensor([0.3, -0.2, 0.7], dtype=L.float64, requires_grad=True)
    inputs = (x, L.tensor([1.0, 2.0, 3.0], dtype=L.float64)) if extra == "tensor without grad" else (x, *EXTRAS[extra])
    return getattr(L if door == "minigan" and L is minigan else L.autograd, check)(ScaledExp.apply, inputs,
                                                                                 raise_exception=raise_exception)


test_gradcheck_takes_pytorchs_inputs = sweep(_verdict, itertools.product(
    ["autograd", "minigan"], ["gradcheck", "gradgradcheck"], [False, True], EXTRAS, [True, False]))
