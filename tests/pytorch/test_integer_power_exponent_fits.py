"""An integer tensor to an integer power the tensor's dtype cannot hold, against PyTorch.

PyTorch's pow of an integer tensor by a number converts the number to the tensor's dtype first, checked: uint8 ** 300,
int8 ** 256 and int16 ** 2**40 raise RuntimeError ("value cannot be converted to type uint8_t without overflow"),
where NumPy's power wrapped around (uint8 ** 300 gave 113 for 3).  Over the integer dtypes, exponents inside and past
each range (NumPy's integers too) and the doors (**, pow, Tensor.pow, Tensor.pow_), minigan must give PyTorch's values
or raise its class.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import same_outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["uint8", "int8", "int16", "int32", "int64"]
EXPONENTS = [0, 3, 63, 64, 127, 128, 255, 256, 300, 2**15, 2**31, 2**40, 2**63 - 1, np.int64(300), np.int16(7)]
DOORS = ["**", "pow", "Tensor.pow", "Tensor.pow_"]


def _run(lib, dtype, exponent, door):
    x = lib.tensor([2, 3, 0, 1], dtype=getattr(lib, dtype))
    try:
        out = {"**": lambda: x ** exponent, "pow": lambda: lib.pow(x, exponent),
               "Tensor.pow": lambda: x.pow(exponent), "Tensor.pow_": lambda: x.clone().pow_(exponent)}[door]()
    except Exception as e:  # noqa: BLE001 (the class is compared)
        return "raised", e
    return "ran", (str(out.dtype).split(".")[-1], out.tolist())


@pytest.mark.parametrize("dtype,exponent,door", list(itertools.product(DTYPES, EXPONENTS, DOORS)))
def test_an_integer_exponent_must_fit_the_integer_tensors_dtype(dtype, exponent, door):
    expected, got = _run(torch, dtype, exponent, door), _run(minigan, dtype, exponent, door)
    where = f"{dtype} {door} {exponent!r}"
    same_outcome(got, expected, where)
