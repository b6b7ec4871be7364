"""A product whose second operand is not a tensor (None, a number) refuses it with PyTorch's exception class,
whatever the first operand's shape: the operand's type is checked before either's shape is read (mv and bmm read
the second's shape for their message when the first had the wrong number of dimensions: AttributeError)."""

import builtins

import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

PRODUCTS = ["mv", "bmm", "mm", "dot", "outer", "inner", "vdot", "ger", "matmul"]
SHAPES = [(), (3,), (2, 3), (2, 3, 4)]


def _builtin(e):
    return next(c for c in type(e).__mro__ if getattr(builtins, c.__name__, None) is c)


@pytest.mark.parametrize("other", [None, 2.5], ids=["None", "number"])
@pytest.mark.parametrize("shape", SHAPES, ids=str)
@pytest.mark.parametrize("name", PRODUCTS)
def test_product_refuses_a_non_tensor_operand_as_pytorch(name, shape, other):
    try:
        getattr(torch, name)(torch.zeros(shape, dtype=torch.float64), other)
        want = None
    except Exception as e:  # noqa: BLE001  (its class is the contract)
        want = _builtin(e)
    try:
        getattr(minigan, name)(minigan.zeros(shape, dtype=minigan.float64), other)
        got = None
    except Exception as e:  # noqa: BLE001
        got = e
    if want is None:
        assert got is None, f"{name}: minigan raised {got!r} where PyTorch runs"
    else:
        assert isinstance(got, want), f"{name}{shape}: {got!r}, PyTorch raises {want.__name__}"
