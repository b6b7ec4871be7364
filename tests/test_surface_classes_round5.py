"""Classes of refusals the whole-surface random programs (tests/surface_programs.py) found where minigan and PyTorch
part: one runs where the other raises, or both raise with different exception classes.  Each class is checked
against PyTorch float64 on every function that shares its rule."""

import math

import numpy as np
import pytest
from exception_oracle import raised, same_class

import minigan

torch = pytest.importorskip("torch")

INF, NAN = math.inf, math.nan


def _f64(lib, *shape, rg=False):
    n = int(np.prod(shape)) if shape else 1
    return (lib.arange(n, dtype=lib.float64).reshape(shape) * 0.25 - 0.5).requires_grad_(rg)


def _both_run(fn):
    """PyTorch runs ``fn`` and so does minigan; the results' shapes and dtypes agree."""
    theirs, ours = raised(fn, torch), raised(fn, minigan)
    assert theirs is None, f"PyTorch raised {type(theirs).__name__}: {theirs}"
    assert ours is None, f"minigan raised {type(ours).__name__}: {ours}"


# ----------------------------------------------------------------------------- clip_grad_value_ with no gradient
# PyTorch groups the gradients by device before clipping and refuses an empty group: clip_grad_value_ of parameters
# none of which has a gradient raises RuntimeError (clip_grad_norm_ returns a zero norm instead).
@pytest.mark.parametrize("params", [lambda lib: [], lambda lib: [lib.ones(2, requires_grad=True)],
                                    lambda lib: lib.ones(2, requires_grad=True), lambda lib: [lib.ones(3)]])
def test_clip_grad_value_without_gradients_is_refused_as_pytorch(params):
    same_class(lambda lib: lib.nn.utils.clip_grad_value_(params(lib), 1.0), torch, minigan)


def test_clip_grad_value_with_gradients_still_clips():
    for lib in (torch, minigan):
        p = lib.ones(3, requires_grad=True)
        (p * lib.tensor([3.0, -4.0, 0.5])).sum().backward()
        lib.nn.utils.clip_grad_value_([p, lib.zeros(2, requires_grad=True)], 1.0)
        assert p.grad.tolist() == [1.0, -1.0, 0.5]


# ----------------------------------------------------------------------------- a module argument that is not one
# PyTorch's spectral_norm, remove_spectral_norm and register_parametrization read the module's attributes first:
# anything else is refused with AttributeError; is_parametrized of it is False, and remove_parametrizations of it a
# ValueError.  A module without the named parameter: KeyError from spectral_norm.
NOT_MODULES = [None, 3, "weight"]


@pytest.mark.parametrize("call", [
    lambda lib, m: lib.nn.utils.spectral_norm(m),
    lambda lib, m: lib.nn.utils.remove_spectral_norm(m),
    lambda lib, m: lib.nn.utils.parametrize.register_parametrization(m, "weight", lib.nn.Identity()),
    lambda lib, m: lib.nn.utils.parametrize.remove_parametrizations(m, "weight"),
])
@pytest.mark.parametrize("module", NOT_MODULES + [lambda lib: lib.ones(2)])
def test_a_module_argument_that_is_not_a_module_as_pytorch(call, module):
    same_class(lambda lib: call(lib, module(lib) if callable(module) else module), torch, minigan)


@pytest.mark.parametrize("module", NOT_MODULES)
def test_is_parametrized_of_a_non_module_is_false(module):
    assert minigan.nn.utils.parametrize.is_parametrized(module) is torch.nn.utils.parametrize.is_parametrized(module)


def test_spectral_norm_of_a_missing_parameter_as_pytorch():
    same_class(lambda lib: lib.nn.utils.spectral_norm(lib.nn.ReLU()), torch, minigan)
    same_class(lambda lib: lib.nn.utils.spectral_norm(lib.nn.Linear(2, 3), name="bias2"), torch, minigan)
