"""PyTorch's type promotion, checked against ``torch.result_type`` over every pair of dtypes, 0-d and
dimensioned tensors and Python numbers, and through the operators themselves."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan.dtypes import result_type

torch = pytest.importorskip("torch")

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SCALARS = [True, 3, 2.5]


def operand(kind, dim, lib):
    """A tensor of dtype ``kind`` (0-d or 1-d), or a Python number."""
    if not isinstance(kind, str):
        return kind
    values = np.ones((2,) if dim else (), dtype=kind)
    return minigan.from_numpy(values) if lib is minigan else torch.from_numpy(values)


@settings(max_examples=300, deadline=None)
@given(a=st.sampled_from(DTYPES), b=st.sampled_from(DTYPES + SCALARS), dim_a=st.booleans(), dim_b=st.booleans())
def test_result_type_is_pytorchs(a, b, dim_a, dim_b):
    ours = result_type(operand(a, dim_a, minigan), operand(b, dim_b, minigan))
    theirs = torch.result_type(operand(a, dim_a, torch), operand(b, dim_b, torch))
    assert str(ours) == str(theirs).replace("torch.", ""), (a, b, dim_a, dim_b)


@settings(max_examples=150, deadline=None)
@given(a=st.sampled_from(DTYPES[1:]), b=st.sampled_from(DTYPES[1:] + SCALARS[1:]),
       op=st.sampled_from(["add", "sub", "mul", "truediv"]), reflected=st.booleans())
def test_operators_promote_as_pytorch(a, b, op, reflected):
    x, y = operand(a, True, minigan), operand(b, True, minigan)
    tx, ty = operand(a, True, torch), operand(b, True, torch)
    fn = getattr(__import__("operator"), op)
    ours = fn(y, x) if reflected else fn(x, y)
    theirs = fn(ty, tx) if reflected else fn(tx, ty)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", ""), (a, b, op, reflected)
    np.testing.assert_allclose(ours.numpy().astype(np.float64), theirs.numpy().astype(np.float64), rtol=1e-3)


def test_tensor_infers_its_dtype_as_pytorch():
    for data in ([1, 2, 3], [True, False], [1.0, 2], 5, 2.5, True, [[1, 2], [3, 4]]):
        assert str(minigan.tensor(data).dtype) == str(torch.tensor(data).dtype).replace("torch.", ""), data


def test_integer_tensors_cannot_require_grad_and_where_takes_bool_tensors():
    with pytest.raises(TypeError, match="floating-point"):
        minigan.tensor([1, 2, 3], requires_grad=True)
    cond = minigan.tensor([True, False])
    out = minigan.where(cond, minigan.tensor([1.0, 2.0]), minigan.tensor([3.0, 4.0]))
    np.testing.assert_array_equal(out.numpy(), [1.0, 4.0])
    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    (w * minigan.tensor([3, 4])).sum().backward()  # float32 * int64 is float32; the int64 factor has no gradient
    assert w.grad.dtype == np.float32 and (w * minigan.tensor([3, 4])).dtype == np.float32
