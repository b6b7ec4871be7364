"""gather, index_select, sort, topk and cumsum without PyTorch: second derivatives of cumsum and sort against finite
differences, and a clear error of the right class for each bad argument.

(Its comparisons with PyTorch: tests/pytorch/test_gather_sort.py.)"""

import numpy as np
import pytest

import minigan
from engine.helpers_gather_sort import RNG, X


def test_cumsum_and_sort_second_derivatives_against_finite_differences():
    x = minigan.tensor(RNG.normal(size=(3, 4)), requires_grad=True)
    assert minigan.gradgradcheck(lambda t: (minigan.cumsum(t, 1) ** 2).sum(), (x,))
    assert minigan.gradgradcheck(lambda t: (minigan.sort(t, 0).values ** 3).sum(), (x,))
    assert minigan.gradgradcheck(lambda t: (minigan.gather(t, 1, minigan.tensor([[0, 0], [3, 1], [2, 2]])) ** 3).sum(),
                                 (x,))


@pytest.mark.parametrize("call, error, match", [
    (lambda x: minigan.gather(x, 1, minigan.tensor([[[4]]])), minigan.IndexOutOfRange, "index 4 is out of range"),
    (lambda x: minigan.gather(x, 1, minigan.tensor([[[-1]]])), minigan.IndexOutOfRange, "index -1 is out of range"),
    (lambda x: minigan.gather(x, 1, minigan.tensor([[0]])), minigan.ShapeError, "3 dimensions"),
    (lambda x: minigan.gather(x, 1, minigan.tensor(np.zeros((4, 1, 1), np.int64))), minigan.ShapeError,
     "no larger size"),
    (lambda x: minigan.gather(x, 1, minigan.tensor([[[0.0]]])), TypeError, "integer tensor"),
    (lambda x: minigan.gather(x, 3, minigan.tensor([[[0]]])), ValueError, "gather"),
    (lambda x: minigan.index_select(x, 0, minigan.tensor([3])), minigan.IndexOutOfRange, "size 3"),
    (lambda x: minigan.index_select(x, 0, minigan.tensor([[0]])), minigan.ShapeError, "1-D"),
    (lambda x: minigan.topk(x, 6), ValueError, "from 0 to 5"),
    (lambda x: minigan.topk(x, 2.0), ValueError, "integer"),
    (lambda x: minigan.sort(x, dim=3), ValueError, "sort"),
    (lambda x: minigan.cumsum(x, 5), ValueError, "cumsum"),
])
def test_bad_arguments_raise_clear_errors(call, error, match):
    with pytest.raises(error, match=match):
        call(minigan.tensor(X))
