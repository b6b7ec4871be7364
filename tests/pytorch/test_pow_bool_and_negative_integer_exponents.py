"""pow with a bool exponent tensor and integer powers with negative exponents, in every form (x ** y, x.pow(y),
torch.pow(x, y), x.pow_(y), x **= y), against PyTorch.

* A floating base to a bool exponent tensor runs, and its backward refuses as PyTorch's (its derivative b·a^(b−1)
  subtracts 1 from the bool tensor): a RuntimeError at backward, the same in every form.
* An integer base to a negative integer power is PyTorch's integer power, not NumPy's refusal: 1 for a base of 1,
  ±1 for −1 (by the exponent's parity), 0 otherwise (2 ** -1 is 0); a bool base to an integer exponent is int64.
  An in-place form then refuses only where the result's dtype cannot go in the tensor (a RuntimeError)."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

FORMS = {
    "x ** y": lambda lib, x, y: x ** y,
    "x.pow(y)": lambda lib, x, y: x.pow(y),
    "torch.pow(x, y)": lambda lib, x, y: lib.pow(x, y),
    "x.pow_(y)": lambda lib, x, y: x.clone().pow_(y),
    "x **= y": lambda lib, x, y: _ipow(x.clone(), y),
}


def _ipow(x, y):
    x **= y
    return x


def _outcome(lib, form, base, exponent, base_grad):
    x = lib.tensor(base[0], dtype=getattr(lib, base[1]), requires_grad=base_grad)
    y = lib.tensor(exponent[0], dtype=getattr(lib, exponent[1])) if isinstance(exponent, tuple) else exponent
    try:
        out = FORMS[form](lib, x, y)
    except RuntimeError:
        return "forward refused"
    values = (str(out.dtype).split(".")[-1], np.asarray(out.detach().tolist(), dtype=float).tolist())
    if not out.requires_grad:
        return values
    try:
        lib.autograd.grad(out.sum(), [x])
    except RuntimeError:
        return values, "backward refused"
    return values, "differentiated"


MASK = ([True, False, True, False], "bool")


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("dtype", ["float64", "float32"])
def test_a_floating_base_to_a_bool_exponent_tensor_refuses_at_backward(form, dtype):
    base = ([0.5, -1.5, 2.0, 0.0], dtype)
    ours, theirs = (_outcome(lib, form, base, MASK, True) for lib in (minigan, torch))
    assert ours == theirs


INTEGERS = [([2, -1, 0, 3, 1, -2], "int64"), ([2, -1, 0, 3, 1, -2], "int32"), ([2, 1, 0, 3, 1, 5], "uint8"),
            ([True, False, True, False, True, True], "bool")]
EXPONENTS = [([-1, -2, -3, 2, -5, 0], "int64"), ([-1, -2, -3, 2, -5, 0], "int8"), -1, -2, 3]


@pytest.mark.parametrize("form", list(FORMS))
@pytest.mark.parametrize("base", INTEGERS, ids=lambda b: b[1])
def test_integer_powers_with_negative_exponents_are_pytorchs(form, base):
    for exponent in EXPONENTS:
        ours, theirs = (_outcome(lib, form, base, exponent, False) for lib in (minigan, torch))
        assert ours == theirs, (exponent, ours, theirs)


@pytest.mark.parametrize("base", [2, -1, 1, 0, True, 2.0, -3])
def test_a_number_to_integer_tensor_powers_is_pytorchs(base):
    """2 ** e and torch.pow(2, e) for an integer e holding negative exponents."""
    for exponent in EXPONENTS[:2]:
        outcomes = []
        for lib in (minigan, torch):
            e = lib.tensor(exponent[0], dtype=getattr(lib, exponent[1]))
            outcomes.append([(str(r.dtype).split(".")[-1], r.tolist()) for r in (base ** e, lib.pow(base, e))])
        assert outcomes[0] == outcomes[1], (base, exponent)
