"""bernoulli_ of an integer or bool tensor with probabilities that require grad, against PyTorch.

PyTorch records x.bernoulli_(p) when p requires grad, whatever x's dtype, as it records fill_ of such a value: an
integer or bool x comes to require grad (BernoulliBackward1), and what is computed from it later refuses ("Autograd
not support dtype"), where minigan's x stayed a plain tensor.  Over x's dtypes and sizes (none included) and later
uses (requires_grad, a sum, a float copy, backward), minigan must give PyTorch's flags or raise its class.
"""

import itertools

import pytest

import minigan
from pytorch.exception_oracle import same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["float64", "float32", "int64", "int32", "uint8", "bool"]
SHAPES = [(0, 3), (3,), (2, 3)]
USES = ["requires_grad", "sum", "float", "backward through float"]


def _run(lib, dtype, shape, use):
    x = lib.zeros(shape, dtype=getattr(lib, dtype))
    p = lib.tensor([0.5], dtype=lib.float64, requires_grad=True)
    try:
        x.bernoulli_(p)
        if use == "requires_grad":
            return "ran", x.requires_grad
        if use == "sum":
            return "ran", x.sum().requires_grad
        if use == "float":
            return "ran", x.double().requires_grad
        return "ran", lib.autograd.grad(x.double().sum(), p, allow_unused=True)[0].tolist()
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e


@pytest.mark.parametrize("dtype,shape,use", list(itertools.product(DTYPES, SHAPES, USES)))
def test_bernoulli_records_a_draw_from_p_into_any_dtype(dtype, shape, use):
    expected, got = _run(torch, dtype, shape, use), _run(minigan, dtype, shape, use)
    where = f"{dtype} {shape}.bernoulli_(p requiring grad), then {use}"
    same_outcome(got, expected, where)
