"""x[index] = v takes a Python number (np.float64 and np.int64 are ones: they subclass float and int) or a NumPy
integer, as PyTorch's setitem; another NumPy scalar (np.float32, np.float16, np.bool_) is a TypeError that names
it, where x + np.float32(1) and x.fill_(np.float32(1)) read it as the number it holds."""

import numpy as np
import pytest

import minigan


@pytest.mark.parametrize("value", [np.float32(1.5), np.float16(1.5), np.longdouble(1.5), np.bool_(True)])
@pytest.mark.parametrize("index", [0, slice(0, 2), ..., [0, 1], False], ids=repr)
@pytest.mark.parametrize("dtype", [minigan.float32, minigan.float64, minigan.int64, minigan.bool])
def test_a_numpy_scalar_that_is_no_python_number_nor_integer_is_refused(dtype, index, value):
    x = minigan.zeros(3, dtype=dtype)
    with pytest.raises(TypeError, match=f"numpy.{type(value).__name__}"):
        x[index] = value
    assert not x.any()  # (nothing written)


@pytest.mark.parametrize("value", [np.float64(2.0), np.int64(2), np.int32(2), np.uint8(2), 2, 2.0])
def test_python_numbers_and_numpy_integers_are_assigned(value):
    x = minigan.zeros(3)
    x[1] = value
    assert x.tolist() == [0.0, 2.0, 0.0]


def test_other_doors_still_read_a_numpy_scalar_as_its_number():
    x = minigan.zeros(2)
    assert (x + np.float32(1.5)).tolist() == [1.5, 1.5]
    assert x.fill_(np.bool_(True)).tolist() == [1.0, 1.0]
