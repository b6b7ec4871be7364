"""A torch-free statement of what diff gives back (tests/pytorch/test_diff_results.py compares it with PyTorch): the
input itself where dim has no entries and nothing is joined, a copy without prepend or append for n=0, and at most
as many differences as dim has entries."""

import numpy as np
import pytest

import minigan


@pytest.mark.parametrize("shape,dim", [((0, 3), 0), ((3, 0), 1), ((0,), 0), ((2, 0, 3), 1)])
@pytest.mark.parametrize("n", [1, 2, 5])
def test_no_entries_along_dim_gives_the_input_itself(shape, dim, n):
    x = minigan.zeros(shape, dtype=minigan.float64, requires_grad=True)
    assert minigan.diff(x, n, dim) is x and x.diff(n, dim) is x
    joined = minigan.diff(x, n, dim, prepend=minigan.zeros(shape, dtype=minigan.float64))
    assert joined is not x and joined.shape == x.shape


def test_order_zero_is_a_copy_without_prepend_or_append():
    x = minigan.tensor([[1.0, 4.0, 9.0]], requires_grad=True)
    out = minigan.diff(x, 0, 1, prepend=minigan.zeros(1, 2), append=minigan.ones(1, 1))
    assert out is not x and out.shape == x.shape and out.grad_fn is not None
    assert np.array_equal(out.detach().numpy(), x.detach().numpy())
    with pytest.raises(RuntimeError):  # (still checked: another size along a dim that is not differenced)
        minigan.diff(x, 0, 1, prepend=minigan.zeros(2, 2))


def test_more_differences_than_entries_give_an_empty_result():
    x = minigan.tensor([1.0, 4.0, 9.0])
    assert minigan.diff(x, 3).shape == (0,) and minigan.diff(x, 7).shape == (0,)
    assert minigan.diff(x, 2).tolist() == [2.0]
