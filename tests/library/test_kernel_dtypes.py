"""The dtypes PyTorch's kernels refuse, without PyTorch: each op of the pointwise table (minigan/surface/pointwise.py,
NO_KERNEL) refuses the dtypes listed there with NotImplementedError naming PyTorch's kernel (an empty tensor too),
and runs on the others; mean and nanmean need a floating dtype (RuntimeError), the input's or dtype='s.
(Against PyTorch, over every dtype: tests/pytorch/test_kernel_dtypes.py.)"""

import numpy as np
import pytest

import minigan
from minigan.surface.pointwise import NO_KERNEL

INTS = minigan.tensor([[3, -1], [0, 2]])
BOOLS = minigan.tensor([[True, False], [False, True]])
CALLS = {  # op of the table: a call of it on x
    "abs": lambda x: x.abs_(),
    "floor": lambda x: x.floor(), "ceil": lambda x: minigan.ceil(x), "trunc": lambda x: x.fix_(),
    "round": lambda x: x.round(), "round(decimals=)": lambda x: minigan.round(x, decimals=1),
    "round(decimals=0)": lambda x: minigan.round(x, decimals=0),
    "logaddexp": lambda x: x.logaddexp(x), "bitwise_left_shift": lambda x: x.bitwise_left_shift(x),
    "bitwise_right_shift": lambda x: minigan.bitwise_right_shift(x, x),
    "div(rounding_mode='floor')": lambda x: x // (x.abs() + 1) if x.dtype != minigan.bool else x // x,
    "div(rounding_mode='trunc')": lambda x: x.div(x if x.dtype == minigan.bool else x * 0 + 7, rounding_mode="trunc"),
    "remainder": lambda x: x % (x if x.dtype == minigan.bool else x * 0 + 7),
    "fmod": lambda x: minigan.fmod(x, x if x.dtype == minigan.bool else x * 0 + 7),
}


def test_every_op_of_the_table_is_called_here():
    assert set(CALLS) == set(NO_KERNEL)


@pytest.mark.parametrize("op", list(CALLS))
@pytest.mark.parametrize("x", [INTS, BOOLS, INTS[:0], BOOLS[:0]], ids=["int64", "bool", "empty int64", "empty bool"])
def test_the_dtypes_of_the_table_are_refused_naming_the_kernel(op, x):
    kinds, kernel = NO_KERNEL[op]
    if x.dtype.kind in kinds:
        with pytest.raises(NotImplementedError, match=kernel):
            CALLS[op](x.clone())
    else:
        CALLS[op](x.clone())  # (runs)


def test_integers_round_to_themselves_and_logaddexp_takes_an_integer_with_a_float():
    np.testing.assert_array_equal(INTS.round().numpy(), INTS.numpy())
    got = minigan.logaddexp(INTS, minigan.zeros(2, 2, dtype=minigan.float64))
    np.testing.assert_allclose(got.numpy(), np.logaddexp(INTS.numpy(), 0.0))


@pytest.mark.parametrize("call", [lambda x, **k: x.mean(**k), lambda x, **k: minigan.mean(x, 0, **k),
                                  lambda x, **k: x.nanmean(**k)])
def test_a_mean_needs_a_floating_dtype(call):
    for x, kw in [(INTS, {}), (BOOLS, {}), (INTS.double(), {"dtype": minigan.int64}),
                  (INTS.float(), {"dtype": minigan.bool})]:
        with pytest.raises(RuntimeError):
            call(x, **kw)
    assert call(INTS.float(), dtype=minigan.float64).dtype == minigan.float64


def test_an_integer_mean_with_dtype_is_the_mean_and_numpys_spelling_keeps_numpys_meaning():
    np.testing.assert_allclose(INTS.mean(dtype=minigan.float64).item(), 1.0)
    np.testing.assert_allclose(INTS.mean(axis=0).numpy(), INTS.numpy().mean(axis=0))  # NumPy's: float64
