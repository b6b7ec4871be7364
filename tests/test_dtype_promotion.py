"""PyTorch's type promotion, checked against ``torch.result_type`` over every pair of dtypes, 0-d and
dimensioned tensors and Python numbers, and through the operators themselves."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan
from minigan.engine.dtypes import result_type

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
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "minigan."), (a, b, op, reflected)
    np.testing.assert_allclose(ours.detach().numpy().astype(np.float64), theirs.detach().numpy().astype(np.float64),
                               rtol=1e-3)


def test_tensor_infers_its_dtype_as_pytorch():
    for data in ([1, 2, 3], [True, False], [1.0, 2], 5, 2.5, True, [[1, 2], [3, 4]]):
        assert str(minigan.tensor(data).dtype) == str(torch.tensor(data).dtype).replace("torch.", "minigan."), data


def test_integer_tensors_cannot_require_grad_and_where_takes_bool_tensors():
    with pytest.raises(TypeError, match="floating-point"):
        minigan.tensor([1, 2, 3], requires_grad=True)
    cond = minigan.tensor([True, False])
    out = minigan.where(cond, minigan.tensor([1.0, 2.0]), minigan.tensor([3.0, 4.0]))
    np.testing.assert_array_equal(out.detach().numpy(), [1.0, 4.0])
    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    (w * minigan.tensor([3, 4])).sum().backward()  # float32 * int64 is float32; the int64 factor has no gradient
    assert w.grad.dtype == np.float32 and (w * minigan.tensor([3, 4])).dtype == np.float32


@settings(max_examples=300, deadline=None)
@given(a=st.sampled_from(DTYPES + SCALARS), b=st.sampled_from(DTYPES + SCALARS), dim_a=st.booleans(),
       dim_b=st.booleans())
def test_where_promotes_its_two_values_as_pytorch(a, b, dim_a, dim_b):
    if not (isinstance(a, str) or isinstance(b, str)) and type(a) is type(b):
        b = 2.5 if isinstance(a, int) else 3  # two numbers of one type: nothing to promote
    ours = minigan.where(minigan.tensor([True, False]), operand(a, dim_a, minigan), operand(b, dim_b, minigan))
    theirs = torch.where(torch.tensor([True, False]), operand(a, dim_a, torch), operand(b, dim_b, torch))
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "minigan."), (a, b, dim_a, dim_b)
    np.testing.assert_array_equal(ours.detach().numpy().astype(np.float64), theirs.detach().numpy().astype(np.float64))


ACTIVATIONS = ["relu", "relu6", "hardtanh", "leaky_relu", "elu", "selu", "celu", "silu", "mish", "softplus", "sigmoid",
               "tanh", "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink", "softsign", "logsigmoid",
               "threshold", "tril", "triu", "sign", "abs", "neg"]


# PyTorch refuses these on bool tensors; minigan computes them (listed in docs/pytorch.md): not compared
BOOL_DIFFERENCES = {("bool", "tanhshrink"), ("bool", "softsign"), ("bool", "abs")}


CASES = [(n, d) for n in ACTIVATIONS for d in ("uint8", "int8", "int32", "int64", "bool")
         if (d, n) not in BOOL_DIFFERENCES]


@pytest.mark.parametrize("name, dtype", CASES)
def test_functions_of_integer_and_bool_tensors_as_pytorch(name, dtype):
    """The same dtype and values as PyTorch, or a refusal where it refuses (relu of an int8 is an int8;
    softsign of an int64 a float32; relu of a bool refused)."""
    def run(lib):
        f = lib.nn.functional
        x = lib.tensor(np.array([[1, -2, 3], [0, 7, 4]]).astype(dtype))
        args = {"threshold": (0.5, 9.7), "hardtanh": (-1.5, 2.5)}.get(name, ())
        fn = getattr(f, name, None) or getattr(lib, name)
        try:
            out = fn(x, *args)
        except (RuntimeError, TypeError, ValueError, NotImplementedError):
            return ("raised",)
        values = np.round(out.detach().numpy().astype(np.float64), 5).tolist()
        return (str(out.dtype).replace("torch.", "minigan."), values)

    assert run(minigan) == run(torch)


def test_tensor_div_takes_a_rounding_mode_as_pytorch():
    for lib in (minigan, torch):
        x = lib.tensor([7.0, -7.0])
        assert x.div(2, rounding_mode="floor").tolist() == [3.0, -4.0]
        assert x.div(2, rounding_mode="trunc").tolist() == [3.0, -3.0]
        assert x.div_(2, rounding_mode="floor").tolist() == [3.0, -4.0]
