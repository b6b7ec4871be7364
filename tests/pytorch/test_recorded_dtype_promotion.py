"""PyTorch's type promotion, as PyTorch gave it: ``result_type`` over every pair of dtypes, 0-d and dimensioned
tensors and Python numbers; the operators + - * / and ``where`` over every such pair (result dtype and values); and
the activations and elementwise functions of integer and bool tensors (the same dtype and values, or a refusal).
PyTorch's answers are read from tests/pytorch/pytorch_records/dtype_promotion.json (tests/pytorch/record_pytorch.py runs
the same
programs on PyTorch), so this runs without PyTorch; where PyTorch is installed, tests/pytorch/test_dtype_promotion.py
checks
that the record is what PyTorch gives."""

import itertools
import operator

import numpy as np
import pytest

import minigan
from minigan.engine.dtypes import result_type
from pytorch import record_pytorch

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
SCALARS = [True, 3, 2.5]


def operand(kind, dim, lib):
    """A tensor of dtype ``kind`` (0-d or 1-d), or a Python number."""
    if not isinstance(kind, str):
        return kind
    return lib.from_numpy(np.ones((2,) if dim else (), dtype=kind))


def _result_types(a):
    def program(torch):
        """Against every other operand (minigan's result_type is its engine's; PyTorch's is public)."""
        promote = torch.result_type if torch.__name__ == "torch" else result_type
        return [str(promote(operand(a, dim_a, torch), operand(b, dim_b, torch))).split(".")[-1]
                for b in DTYPES + SCALARS for dim_a in (False, True) for dim_b in (False, True)]
    return program


def _operators(a, op):
    @record_pytorch.tolerance(rtol=1e-3, atol=0)
    def program(torch):
        fn = getattr(operator, op)
        x = operand(a, True, torch)
        return [fn(operand(b, True, torch), x) if reflected else fn(x, operand(b, True, torch))
                for b in DTYPES[1:] + SCALARS[1:] for reflected in (False, True)]
    return program


def _where(a):
    @record_pytorch.tolerance(rtol=0, atol=0)
    def program(torch):
        out = []
        for b, dim_a, dim_b in itertools.product(DTYPES + SCALARS, (False, True), (False, True)):
            if not (isinstance(a, str) or isinstance(b, str)) and type(a) is type(b):
                b = 2.5 if isinstance(a, int) else 3  # two numbers of one type: nothing to promote
            out.append(torch.where(torch.tensor([True, False]), operand(a, dim_a, torch), operand(b, dim_b, torch)))
        return out
    return program


ACTIVATIONS = ["relu", "relu6", "hardtanh", "leaky_relu", "elu", "selu", "celu", "silu", "mish", "softplus", "sigmoid",
               "tanh", "hardsigmoid", "hardswish", "hardshrink", "softshrink", "tanhshrink", "softsign", "logsigmoid",
               "threshold", "tril", "triu", "sign", "abs", "neg"]
# PyTorch refuses these on bool tensors; minigan computes them (listed in docs/pytorch.md): not compared
BOOL_DIFFERENCES = {("bool", "tanhshrink"), ("bool", "softsign"), ("bool", "abs")}


def _function(name, dtype):
    def program(torch):
        """The same dtype and values as PyTorch, or a refusal where it refuses (relu of an int8 is an int8;
        softsign of an int64 a float32; relu of a bool refused)."""
        f = torch.nn.functional
        x = torch.tensor(np.array([[1, -2, 3], [0, 7, 4]]).astype(dtype))
        args = {"threshold": (0.5, 9.7), "hardtanh": (-1.5, 2.5)}.get(name, ())
        fn = getattr(f, name, None) or getattr(torch, name)
        try:
            out = fn(x, *args)
        except (RuntimeError, TypeError, ValueError, NotImplementedError):
            return ("raised",)
        return (str(out.dtype), np.round(out.detach().numpy().astype(np.float64), 5).tolist())
    return program


PROGRAMS = {f"result_type of {a}": _result_types(a) for a in DTYPES}
PROGRAMS.update({f"{a} {op}": _operators(a, op) for a in DTYPES[1:] for op in ["add", "sub", "mul", "truediv"]})
PROGRAMS.update({f"where of {a!r}": _where(a) for a in DTYPES + SCALARS})
PROGRAMS.update({f"{name} of {dtype}": _function(name, dtype) for name in ACTIVATIONS
                 for dtype in ("uint8", "int8", "int32", "int64", "bool") if (dtype, name) not in BOOL_DIFFERENCES})
RECORD = record_pytorch.load("dtype_promotion")


@pytest.mark.parametrize("case", list(PROGRAMS))
def test_gives_what_pytorch_gave(case):
    assert case in RECORD["records"], "no record: run python tests/pytorch/record_pytorch.py dtype_promotion"
    differences = record_pytorch.program_differences(PROGRAMS[case], RECORD["records"][case])
    assert not differences, "\n".join(differences)


def test_every_program_is_recorded_and_every_record_is_a_program():
    assert set(RECORD["records"]) == set(PROGRAMS)


def test_integer_tensors_cannot_require_grad_and_where_takes_bool_tensors():
    with pytest.raises(TypeError, match="floating-point"):
        minigan.tensor([1, 2, 3], requires_grad=True)
    cond = minigan.tensor([True, False])
    out = minigan.where(cond, minigan.tensor([1.0, 2.0]), minigan.tensor([3.0, 4.0]))
    np.testing.assert_array_equal(out.detach().numpy(), [1.0, 4.0])
    w = minigan.tensor([1.0, 2.0], requires_grad=True)
    (w * minigan.tensor([3, 4])).sum().backward()  # float32 * int64 is float32; the int64 factor has no gradient
    assert w.grad.dtype == np.float32 and (w * minigan.tensor([3, 4])).dtype == np.float32
