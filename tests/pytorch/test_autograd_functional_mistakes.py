"""autograd.functional's six functions given each mistake a user makes, against PyTorch's exception classes.

The mistakes: a function of several elements where one is needed (hessian, vhp, hvp), v left out where the inputs or
outputs have several elements, v of another shape or of another count, inputs, outputs or v that are a list or a
number where PyTorch takes a Tensor or a tuple of Tensors.  Where PyTorch runs, minigan must run and agree; where
PyTorch refuses, minigan's exception must be an instance of PyTorch's class.
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import minigan  # noqa: E402
from pytorch.exception_oracle import outcome  # noqa: E402

X = np.array([0.3, -1.2])
Y = np.array([[0.5, 2.0, -0.7]])
FUNCTIONS = ("vjp", "jvp", "jacobian", "hessian", "vhp", "hvp")
TAKES_V = {"vjp", "jvp", "vhp", "hvp"}


def _case(lib, function, mistake):
    """The call a user writes under one library (a function of nothing: the caller runs it)."""
    af = lib.autograd.functional
    x, y = lib.tensor(X), lib.tensor(Y)
    scalar = lambda a: (a * a).sum().exp()
    vector = lambda a: a.sin() * 2
    pair_scalar = lambda a, b: (a.sum() * b.sum()).tanh()
    f = scalar if function in ("hessian", "vhp", "hvp") else vector
    out_like = x if function in ("vjp",) else x  # the vector function keeps the input's shape
    calls = {
        "right": (f, x, out_like),
        "vector_function": (vector, x, x),
        "v_left_out": (f, x, None),
        "v_shape": (f, x, lib.ones(3, dtype=lib.float64)),
        "v_count": (f, x, (x, x)),
        "v_list": (f, x, [x]),
        "v_number": (f, x, 1.0),
        "inputs_list": (f, [x], x),
        "inputs_number": (f, 2.0, x),
        "inputs_tuple_of_list": (pair_scalar if function in ("hessian", "vhp", "hvp") else lambda a, b: a * b.sum(),
                                 (x, [y]), (x, y)),
        "output_list": (lambda a: [a * 2], x, x),
        "output_number": (lambda a: 3.0, x, x),
        "one_element_v_left_out": (lambda a: (a * 3).sum(), x[:1], None),
    }
    func, inputs, v = calls[mistake]
    if function in TAKES_V:
        return lambda: getattr(af, function)(func, inputs, v)
    return lambda: getattr(af, function)(func, inputs)


MISTAKES = ("right", "vector_function", "v_left_out", "v_shape", "v_count", "v_list", "v_number", "inputs_list",
            "inputs_number", "inputs_tuple_of_list", "output_list", "output_number", "one_element_v_left_out")
CASES = [(f, m) for f in FUNCTIONS for m in MISTAKES if f in TAKES_V or not m.startswith("v_")]


def _outcome(call):
    return outcome(lambda: call())


def _flat(value):
    if isinstance(value, (tuple, list)):
        return [a for v in value for a in _flat(v)]
    return [value.detach().numpy()]


@pytest.mark.parametrize("function, mistake", CASES)
def test_a_mistake_gets_pytorchs_exception_class(function, mistake):
    theirs = _outcome(_case(torch, function, mistake))
    ours = _outcome(_case(minigan, function, mistake))
    if isinstance(theirs, Exception):
        assert isinstance(ours, type(theirs)), (f"PyTorch raised {type(theirs).__name__} ({theirs}); "
                                                f"minigan {type(ours).__name__}: {ours}")
        assert str(ours).startswith(f"{function}:"), f"the message names the function called: {ours}"
    else:
        assert not isinstance(ours, Exception), f"PyTorch runs; minigan raised {type(ours).__name__}: {ours}"
        a, b = _flat(theirs), _flat(ours)
        assert len(a) == len(b) and all(np.allclose(p, q, rtol=1e-10, atol=1e-12) for p, q in zip(a, b))
