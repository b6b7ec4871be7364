"""nn.utils.parameters_to_vector and vector_to_parameters at their doors, as PyTorch's: the parameters are any
iterable of tensors (a tensor iterates over its first dimension, a 0-d one refuses with TypeError), each flattened by
a view (a weight whose entries cannot be viewed as one row is refused with RuntimeError); vec must be a tensor, and
is sliced only for a parameter there is (a 0-d vec with no parameters runs).  PyTorch float64 the oracle."""

import warnings

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _w(lib, *shape, rg=True):
    n = int(np.prod(shape)) if shape else 1
    return (lib.arange(n, dtype=lib.float64).reshape(shape) * 0.5 - 1).requires_grad_(rg)


def _module(lib):
    m = lib.nn.Linear(3, 2).double()
    with lib.no_grad():
        m.weight.copy_(_w(lib, 2, 3))
        m.bias.copy_(_w(lib, 2))
    return m


PARAMETERS = {
    "a list": lambda lib: [_w(lib, 2, 3), _w(lib, 4)],
    "a generator": lambda lib: (p for p in [_w(lib, 3), _w(lib, 1, 2)]),
    "no parameters": lambda lib: [],
    "a module's": lambda lib: _module(lib).parameters(),
    "a 2-d tensor (its rows)": lambda lib: _w(lib, 3, 2, rg=False),
    "a 0-d tensor": lambda lib: _w(lib, rg=False),
    "an empty tensor": lambda lib: _w(lib, 0, 6, rg=False)[:, ::2],
    "a strided weight": lambda lib: [_w(lib, 4, 6)[:, ::2]],
    "a transposed weight": lambda lib: [_w(lib, 3, 4).t()],
    "rows of a strided 3-d tensor": lambda lib: _w(lib, 2, 3, 4, rg=False)[:, :, ::2],
    "a number": lambda lib: 3,
    "None": lambda lib: None,
}

VECTORS = {
    "exactly long enough": lambda lib: lib.arange(10, dtype=lib.float64),
    "longer": lambda lib: lib.arange(30, dtype=lib.float64),
    "too short": lambda lib: lib.arange(3, dtype=lib.float64),
    "0-d": lambda lib: lib.tensor(1.5, dtype=lib.float64),
    "2-d": lambda lib: lib.arange(40, dtype=lib.float64).reshape(20, 2),
    "a list": lambda lib: [1.0, 2.0],
}


def _outcome(call):
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return None, call()
    except Exception as e:  # noqa: BLE001 - the class is what is compared
        return e, None


def _same(theirs, ours):
    (e1, r1), (e2, r2) = theirs, ours
    if e1 is not None or e2 is not None:
        if e1 is None or e2 is None:
            return f"PyTorch raised {e1!r}" if e2 is None else f"minigan raised {e2!r}, PyTorch ran"
        return None if isinstance(e2, type(e1)) else f"minigan {e2!r}, PyTorch {e1!r}"
    if r1 is None or r2 is None:
        return None if r1 is None and r2 is None else f"results {r2!r} vs PyTorch's {r1!r}"
    if (tuple(r1.shape), r1.requires_grad) != (tuple(r2.shape), r2.requires_grad):
        return f"shape/requires_grad {tuple(r2.shape), r2.requires_grad} vs {tuple(r1.shape), r1.requires_grad}"
    if not np.array_equal(r1.detach().numpy(), np.asarray(r2.detach().numpy())):
        return f"values {r2} vs PyTorch's {r1}"
    return None


@pytest.mark.parametrize("parameters", list(PARAMETERS))
def test_parameters_to_vector_is_pytorchs(parameters):
    why = _same(*[_outcome(lambda lib=lib: lib.nn.utils.parameters_to_vector(PARAMETERS[parameters](lib)))
                  for lib in (torch, minigan)])
    assert why is None, why


@pytest.mark.parametrize("vec", list(VECTORS))
@pytest.mark.parametrize("parameters", [p for p in PARAMETERS if p not in ("a module's", "a generator")])
def test_vector_to_parameters_is_pytorchs(vec, parameters):
    results = []
    for lib in (torch, minigan):
        params = PARAMETERS[parameters](lib)
        outcome = _outcome(lambda lib=lib, params=params: lib.nn.utils.vector_to_parameters(VECTORS[vec](lib), params))
        written = lib.cat([p.reshape(-1) for p in params]) if isinstance(params, list) and params else None
        results.append((outcome[0], written if outcome[0] is None else None))
    why = _same(*results)
    assert why is None, why
