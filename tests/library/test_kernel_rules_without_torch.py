"""Torch-free statements of PyTorch's kernel rules that minigan follows (their comparisons with PyTorch:
tests/pytorch/test_creation.py, test_norms.py, test_out_dtypes.py, test_clamp.py,
test_random.py): range's count, a norm's row-major result, out='s dtype rules, clamp's bool kernel and an
empty normal_."""

import math
import warnings

import numpy as np
import pytest

import minigan


def _range(*args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # (range is deprecated)
        return minigan.range(*args, **kwargs)


@pytest.mark.parametrize("start, end, step", [(0.1, 0.3, 0.1), (0.1, 0.7, 0.1), (0.0, 0.6, 0.2), (1.0, 1.3, 0.1)])
def test_range_counts_the_step_plus_one_before_rounding_down(start, end, step):
    """⌊(end − start) / step + 1⌋ in double: (0.3 − 0.1) / 0.1 is 1.9999999999999998, and + 1 rounds to 3."""
    assert len(_range(start, end, step, dtype=minigan.float64)) == math.floor((end - start) / step + 1)


def test_range_reads_a_numpy_scalar_as_the_number_it_holds():
    with pytest.raises(RuntimeError):  # np.float32(0.1) is 0.10000000149..., past the end 0.1 for a step of 1
        _range(np.float32(0.1), 0.1)
    assert len(_range(0.1, 0.3, np.float32(0.1), dtype=minigan.float64)) == 2  # (0.2 / 0.10000000149 + 1 < 3)


def test_range_of_an_integer_dtype_counts_in_int64_and_wraps():
    assert _range(250, 260, dtype=minigan.uint8).tolist() == [250, 251, 252, 253, 254, 255, 0, 1, 2, 3, 4]


@pytest.mark.parametrize("p", [0.0, 3.0, 0.5, -1.0, math.inf, -math.inf])
def test_a_norm_of_a_permuted_input_is_row_major(p):
    x = minigan.tensor(np.arange(60.0).reshape(3, 4, 5)).permute(2, 0, 1)
    out = minigan.linalg.vector_norm(x, p, dim=-1)
    assert out.is_contiguous()
    out.flatten()[0] = -1.0  # (flatten() is a view: the write reaches out)
    assert float(out[0, 0]) == -1.0


def test_out_takes_an_integer_result_into_an_unsigned_out():
    out = minigan.empty(0, dtype=minigan.uint8)
    minigan.add(minigan.tensor([255, 1]), minigan.tensor([1, 1]), out=out)  # int64 256 wraps to 0
    assert out.tolist() == [0, 2]


@pytest.mark.parametrize("call", [lambda o: minigan.gather(minigan.tensor([[1, 2]]), 1, minigan.tensor([[1]]), out=o),
                                  lambda o: minigan.mm(minigan.ones(2, 2, dtype=minigan.int64), minigan.ones(
                                      2, 2, dtype=minigan.int64), out=o),
                                  lambda o: minigan.abs(minigan.tensor([-1, 2]), out=o)])
def test_out_of_a_kernel_that_casts_nothing_must_have_the_results_dtype(call):
    with pytest.raises(RuntimeError):
        call(minigan.empty(0, dtype=minigan.int32))
    assert call(minigan.empty(0, dtype=minigan.int64)).dtype == minigan.int64


def test_out_of_sum_computes_in_outs_dtype():
    """out= is dtype=out's dtype: the input is cast first (0.6 is 0 in int64, True in bool), and a float sum into
    an integer out runs (the canCast rule would refuse it)."""
    x = minigan.tensor([[0.6, 0.6, 2.5]])
    assert minigan.sum(x, 1, out=minigan.empty(0, dtype=minigan.int64)).tolist() == [2]
    assert minigan.cumsum(x, 1, out=minigan.empty(0, dtype=minigan.int64)).tolist() == [[0, 0, 2]]
    assert minigan.sum(x, 1, out=minigan.empty(0, dtype=minigan.bool)).tolist() == [True]


def test_clamp_of_a_bool_tensor_by_two_bool_tensor_bounds_has_no_kernel():
    x = minigan.tensor([True, False])
    with pytest.raises(NotImplementedError):
        x.clamp(x, x)
    assert x.clamp(min=x).dtype == minigan.bool  # (one bound alone has its own kernel)


@pytest.mark.parametrize("dtype", [minigan.int64, minigan.uint8, minigan.bool])
def test_normal_of_an_empty_tensor_of_any_dtype_reads_no_number(dtype):
    x = minigan.zeros(0, 3, dtype=dtype)
    assert x.normal_(math.nan, math.inf) is x
