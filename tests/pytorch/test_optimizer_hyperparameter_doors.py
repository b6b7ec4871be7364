"""Each optimizer's hyperparameters refuse what PyTorch's constructor refuses and take what it takes, and a learning
rate written into ``param_groups`` later (by a loop or a scheduler) is read as PyTorch's step reads it.

PyTorch's rules differ per optimizer (torch/optim/*.py): ``not 0.0 <= x`` (negative and NaN refused, ∞ taken) for
most; SGD's ``x < 0.0`` (NaN taken) and no check of its dampening; RMSprop's alpha any x >= 0; Adadelta's rho in
[0, 1]; betas in [0, 1).  Generated: each optimizer x each hyperparameter x each value -> PyTorch's outcome class at
construction, and for those that construct, 3 steps on a fixed quadratic compared in float64 (NaN where NaN).
"""

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

# optimizer -> (the other arguments, chosen so each hyperparameter is read by its step; the hyperparameters tested)
OPTIMIZERS = {
    "SGD": (dict(lr=0.1, momentum=0.9, weight_decay=0.1), ("lr", "momentum", "dampening", "weight_decay")),
    "Adam": (dict(lr=0.1, weight_decay=0.1), ("lr", "betas[0]", "betas[1]", "eps", "weight_decay")),
    "AdamW": (dict(lr=0.1), ("lr", "betas[0]", "betas[1]", "eps", "weight_decay")),
    "Adamax": (dict(lr=0.1, weight_decay=0.1), ("lr", "betas[0]", "betas[1]", "eps", "weight_decay")),
    "RAdam": (dict(lr=0.1, weight_decay=0.1), ("lr", "betas[0]", "betas[1]", "eps", "weight_decay")),
    "NAdam": (dict(lr=0.1, weight_decay=0.1), ("lr", "betas[0]", "betas[1]", "eps", "weight_decay", "momentum_decay")),
    "Adagrad": (dict(lr=0.1, lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.1),
                ("lr", "lr_decay", "weight_decay", "initial_accumulator_value", "eps")),
    "Adadelta": (dict(lr=0.5, weight_decay=0.1), ("lr", "rho", "eps", "weight_decay")),
    "RMSprop": (dict(lr=0.1, momentum=0.5, weight_decay=0.1),
                ("lr", "alpha", "eps", "weight_decay", "momentum")),
}
VALUES = [-1, -0.0, 0, 0.5, 1, 2.0, math.inf, -math.inf, math.nan, True, np.float32(0.25), "0.5", None]
CASES = [(o, h, v) for o, (_, names) in OPTIMIZERS.items() for h in names for v in VALUES]


def arguments(optimizer, name, value):
    kwargs = dict(OPTIMIZERS[optimizer][0])
    if name.startswith("betas"):
        betas = [0.9, 0.999]
        betas[int(name[-2])] = value
        kwargs["betas"] = tuple(betas)
    else:
        kwargs[name] = value
    return kwargs


UNSET = object()


def run(lib, optimizer, kwargs, lr_after=UNSET):
    """("construct", class) or ("step", class) where it raises, else the parameter after each of 3 steps on
    Σ wᵢ(pᵢ − tᵢ)²; ``lr_after`` is written into the group's lr after construction, as a loop would."""
    p = lib.tensor([1.0, -2.0, 0.5], dtype=lib.float64, requires_grad=True)
    opt = outcome(lambda: getattr(lib.optim, optimizer)([p], **kwargs))
    if isinstance(opt, Exception):
        return ("construct", type(opt))
    if lr_after is not UNSET:
        opt.param_groups[0]["lr"] = lr_after
    path = []
    try:
        for _ in range(3):
            opt.zero_grad()
            ((p - lib.tensor([0.5, 1.0, -1.0], dtype=lib.float64)) ** 2
             * lib.tensor([1.0, 3.0, 0.5], dtype=lib.float64)).sum().backward()
            opt.step()
            path.append(np.array(p.detach().tolist(), dtype=np.float64))
    except Exception as e:  # noqa: BLE001
        return "step", type(e)
    return np.array(path)


def adam_refuses_a_beta_that_is_no_float(optimizer, name, value):
    """PyTorch's Adam and AdamW (only) refuse betas that are not both Python floats (an int 0, True, a NumPy float32)
    in a check made for its Tensor betas; minigan takes any real number there, as PyTorch's other optimizers do
    (docs/pytorch.md)."""
    return (optimizer in ("Adam", "AdamW") and name.startswith("betas") and not isinstance(value, (float, str))
            and value is not None)


def assert_same_path(mine, theirs, what):
    """The same values up to the first step that leaves a weight ∞ or NaN, NaN where NaN; past it (a diverged run,
    where the order of ∞ − ∞ within an update decides between ∞ and NaN) non-finite where PyTorch's is."""
    bad = ~np.isfinite(theirs).all(axis=1)
    upto = int(np.argmax(bad)) + 1 if bad.any() else len(theirs)
    np.testing.assert_allclose(mine[:upto], theirs[:upto], rtol=1e-12, atol=1e-12, err_msg=what)
    assert (~np.isfinite(mine[upto:]) == ~np.isfinite(theirs[upto:])).all(), f"{what}: {mine} vs {theirs}"


def assert_same_outcome(theirs, mine, what):
    if isinstance(theirs, tuple):
        assert isinstance(mine, tuple), f"{what}: PyTorch raises {theirs[1].__name__} at {theirs[0]}, minigan runs"
        if theirs[0] == "construct":
            assert mine == theirs, f"{what}: PyTorch raises {theirs[1].__name__} at construction, minigan {mine}"
        else:  # PyTorch's step finds what is no number; minigan may say so at the door already
            assert mine[1] is theirs[1], f"{what}: PyTorch raises {theirs[1].__name__} at step, minigan {mine}"
    else:
        assert not isinstance(mine, tuple), f"{what}: PyTorch runs, minigan raises {mine[1].__name__} at {mine[0]}"
        assert_same_path(mine, theirs, what)


def as_pytorch_reads(lib_run, optimizer, name, value):
    """PyTorch's result; where minigan keeps a deliberate difference (docs/pytorch.md), PyTorch's given the same
    number as a Python float: a NumPy scalar is the number it holds (PyTorch computes its step's scalars in a NumPy
    float32's precision; its Adam and AdamW refuse betas that are not both Python floats), and a bool is the int 1
    or 0 (PyTorch's ``weight_decay=True`` fails at step, in ``grad.add(p, alpha=True)``)."""
    theirs = lib_run(value)
    if isinstance(value, np.floating) or adam_refuses_a_beta_that_is_no_float(optimizer, name, value) or \
            isinstance(value, bool) and isinstance(theirs, tuple) and theirs == ("step", RuntimeError):
        return lib_run(float(value))
    return theirs


@pytest.mark.parametrize("optimizer, name, value", CASES, ids=[f"{o}-{h}-{v!r}" for o, h, v in CASES])
def test_a_hyperparameter_is_refused_and_taken_as_pytorch(optimizer, name, value):
    mine = run(minigan, optimizer, arguments(optimizer, name, value))
    theirs = as_pytorch_reads(lambda v: run(torch, optimizer, arguments(optimizer, name, v)), optimizer, name, value)
    assert_same_outcome(theirs, mine, f"{optimizer}({name}={value!r})")


STEP_CASES = [(o, v) for o in OPTIMIZERS for v in VALUES]


@pytest.mark.parametrize("optimizer, value", STEP_CASES, ids=[f"{o}-{v!r}" for o, v in STEP_CASES])
def test_a_learning_rate_set_between_steps_is_read_as_pytorch(optimizer, value):
    """A negative lr ascends, ∞ and NaN give ∞ and NaN weights, as PyTorch's step; what is no number is its error."""
    kwargs = OPTIMIZERS[optimizer][0]
    theirs = as_pytorch_reads(lambda v: run(torch, optimizer, kwargs, lr_after=v), optimizer, "lr", value)
    mine = run(minigan, optimizer, kwargs, lr_after=value)
    assert_same_outcome(theirs, mine, f"{optimizer} param_groups[0]['lr'] = {value!r}")


def loaded_lr(lib, optimizer, value):
    """The lr a fresh optimizer holds after loading the state_dict of one whose group's lr a loop set to ``value``."""
    kwargs = OPTIMIZERS[optimizer][0]
    opt = getattr(lib.optim, optimizer)([lib.nn.Parameter(lib.ones(2))], **kwargs)
    opt.param_groups[0]["lr"] = value
    fresh = getattr(lib.optim, optimizer)([lib.nn.Parameter(lib.ones(2))], **kwargs)
    try:
        fresh.load_state_dict(opt.state_dict())
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return type(e)
    return fresh.param_groups[0]["lr"]


@pytest.mark.parametrize("optimizer, value", STEP_CASES, ids=[f"{o}-{v!r}" for o, v in STEP_CASES])
def test_a_checkpoint_of_a_scheduled_lr_loads_as_pytorch(optimizer, value):
    """A schedule may have left any number in the group (a negative γ, a divergence): its checkpoint loads as it is,
    as PyTorch's load_state_dict, which checks no group value."""
    theirs, mine = loaded_lr(torch, optimizer, value), loaded_lr(minigan, optimizer, value)
    if isinstance(theirs, type) or value is None or isinstance(value, str):
        return  # (PyTorch loads anything; what is no number minigan may refuse when loaded: step would refuse it)
    assert not isinstance(mine, type), f"PyTorch loads lr={value!r}, minigan raises {mine.__name__}"
    np.testing.assert_array_equal(float(mine), float(theirs))
