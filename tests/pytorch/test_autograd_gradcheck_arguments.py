"""torch.autograd.gradcheck and gradgradcheck (minigan.autograd's) take PyTorch 2.13's arguments (func, inputs, and
the keyword-only flags) and check them in its order: the flags' consistency (AssertionError), the inputs (one that
requires grad with a dimension of stride 0: RuntimeError; none that requires grad: ValueError; gradgradcheck's
grad_outputs read as tensors), then func is called (TypeError when it is not callable).  Found by the surface
programs (tests/pytorch/surface_programs.py, seeds 11720033, 11722242, 11722309 and 8 more of 11,720,000-11,729,999:
minigan's TypeError for PyTorch's keywords 'func', 'nondet_tol', 'check_undefined_grad', ...).  Forward-mode AD is not
provided (docs/pytorch.md): check_forward_ad / check_fwd_over_rev with a callable func are refused, not compared."""

import itertools

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

from conftest import default_slice  # noqa: E402

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402
from pytorch.oracle import GRAD_NO_INPUTS  # noqa: E402

X = np.array([[0.5, -1.25, 2.0], [1.5, 0.25, -0.75]])
INPUTS = ["leaf", "no grad", "expanded", "int and leaf", "one tensor", "list", "two leaves"]
FUNCS = ["cubes", "a list"]
GRAD_FLAGS = ["check_forward_ad", "check_backward_ad", "check_batched_grad", "check_batched_forward_grad"]
GRADGRAD_FLAGS = ["check_fwd_over_rev", "check_rev_over_rev", "check_undefined_grad", "check_batched_grad"]
GRAD_OUTPUTS = ["none", "a tensor", "a tensor with grad", "a tuple with None", "expanded with grad"]


def _inputs(lib, kind):
    leaf = lib.tensor(X, dtype=lib.float64, requires_grad=True)
    if kind == "leaf":
        return (leaf,)
    if kind == "no grad":
        return (lib.tensor(X, dtype=lib.float64),)
    if kind == "expanded":
        return (lib.tensor(X[:1], dtype=lib.float64, requires_grad=True).expand(3, 3),)
    if kind == "int and leaf":
        return (lib.tensor([1, 2]), leaf)
    if kind == "one tensor":
        return leaf
    if kind == "list":
        return [leaf]
    return (leaf, lib.tensor(X[::-1].copy(), dtype=lib.float64, requires_grad=True))


def _func(kind):
    return (lambda *xs: sum((x.double() ** 3).sum() for x in xs)) if kind == "cubes" else [1, 2]


def _grad_outputs(lib, kind):
    g = np.array(0.75)
    return {"none": None, "a tensor": lib.tensor(g, dtype=lib.float64),
            "a tensor with grad": lib.tensor(g, dtype=lib.float64, requires_grad=True),
            "a tuple with None": (lib.tensor(g, dtype=lib.float64), None),
            "expanded with grad": lib.tensor(np.ones(1), dtype=lib.float64, requires_grad=True).expand(3)}[kind]


def _outcome(call):
    return outcome(lambda: call())


def _compare(theirs, ours):
    if isinstance(theirs, Exception):
        builtin = next(t for t in type(theirs).__mro__ if t.__module__ == "builtins")
        assert isinstance(ours, builtin), f"minigan {ours!r} | PyTorch {theirs!r}"
    else:
        assert ours is theirs, f"minigan {ours!r} | PyTorch {theirs!r}"


def _forward_checked(func, flags):
    return func == "cubes" and (flags.get("check_forward_ad") or flags.get("check_fwd_over_rev"))


FLAG_SETS = list(itertools.product([False, True], repeat=4))


@pytest.mark.filterwarnings("ignore::UserWarning")  # (PyTorch warns of an input that is not float64)
# Every 13th case by default (and each func with each inputs, forward AD checked and not), the rest under -m parity
@pytest.mark.parametrize("func, inputs, flags", default_slice(
    [pytest.param(func, inputs, flags, id=f"{func}-{inputs}-{''.join('TF'[not v] for v in flags)}")
     for func in FUNCS for inputs in INPUTS for flags in FLAG_SETS], 13,
    cover=("each", lambda func, inputs, flags: (func, inputs, flags[0]))))
def test_gradcheck_arguments_as_pytorch(func, inputs, flags):
    kwargs = dict(zip(GRAD_FLAGS, flags), eps=1e-6, nondet_tol=0.0, fast_mode=False)
    theirs = _outcome(lambda: torch.autograd.gradcheck(func=_func(func), inputs=_inputs(torch, inputs), **kwargs))
    ours = _outcome(lambda: minigan.autograd.gradcheck(func=_func(func), inputs=_inputs(minigan, inputs), **kwargs))
    if _forward_checked(func, kwargs) and not isinstance(theirs, Exception):
        assert isinstance(ours, NotImplementedError), ours
        return
    _compare(theirs, ours)


def _flag_id(flags):
    return "".join("TF"[not v] for v in flags)


# no input requires grad and grad_outputs does: gradgradcheck meets torch.autograd.grad with no inputs, whose refusal
# is a RuntimeError from PyTorch 2.13 (2.11 and 2.12: a ValueError)
GRADGRAD_CASES = [pytest.param(func, inputs, outputs, flags, id=f"{func}-{inputs}-{outputs}-{_flag_id(flags)}",
                               marks=[GRAD_NO_INPUTS] if (func, inputs, outputs) == ("cubes", "no grad",
                                                                                     "a tensor with grad") else [])
                  for func in FUNCS for inputs in ["leaf", "no grad", "expanded", "one tensor"]
                  for outputs in GRAD_OUTPUTS for flags in FLAG_SETS]


@pytest.mark.filterwarnings("ignore::UserWarning")
# Every 23rd case by default (and each func with each inputs and grad_outputs, forward-over-reverse checked and not
# with each func), the rest under -m parity
@pytest.mark.parametrize("func, inputs, grad_outputs, flags", default_slice(GRADGRAD_CASES, 23, cover=(
    "each", lambda func, inputs, outputs, flags: (func, inputs, outputs),
    lambda func, inputs, outputs, flags: (func, flags[0]))))
def test_gradgradcheck_arguments_as_pytorch(func, inputs, grad_outputs, flags):
    kwargs = dict(zip(GRADGRAD_FLAGS, flags), gen_non_contig_grad_outputs=True, masked=False)
    theirs = _outcome(lambda: torch.autograd.gradgradcheck(_func(func), _inputs(torch, inputs),
                                                          _grad_outputs(torch, grad_outputs), **kwargs))
    ours = _outcome(lambda: minigan.autograd.gradgradcheck(_func(func), _inputs(minigan, inputs),
                                                          _grad_outputs(minigan, grad_outputs), **kwargs))
    if _forward_checked(func, kwargs) and not isinstance(theirs, Exception):
        assert isinstance(ours, NotImplementedError), ours
        return
    _compare(theirs, ours)


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
