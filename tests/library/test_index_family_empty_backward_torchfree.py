"""The index family on an input of no elements: an index out of range passes the forward, not the source's gradient.

index_add, index_copy and index_fill read no index where they write nothing (an input of no elements), so an index
out of range (-1, or past the dimension's size) goes through the forward.  The source's gradient (the value's, for
index_fill) is the incoming gradient read at the index, where it is out of range: a backward reaching the source
raises a RuntimeError (an IndexError too), while the input's own gradient, which reads no index, runs.
"""

import pytest

import minigan


def _leaves(n):
    x = minigan.zeros(0, 3, dtype=minigan.float64, requires_grad=True)
    source = minigan.zeros(0, n, dtype=minigan.float64, requires_grad=True)
    return x, source


@pytest.mark.parametrize("index", [[-1, 0], [3], [0, 5]])
@pytest.mark.parametrize("op", ["index_add", "index_copy", "index_add_", "index_copy_"])
def test_the_source_gradient_refuses_an_index_out_of_range_and_the_input_gradient_runs(op, index):
    x, source = _leaves(len(index))
    i = minigan.tensor(index)
    y = getattr(minigan, op)(x, 1, i, source) if not op.endswith("_") else getattr(x.clone(), op)(1, i, source)
    assert y.shape == (0, 3) and y.requires_grad
    assert minigan.autograd.grad(y.sum(), x, retain_graph=True)[0].shape == (0, 3)
    with pytest.raises(RuntimeError, match=op.rstrip("_")):
        minigan.autograd.grad(y.sum(), source)


@pytest.mark.parametrize("op", ["index_add", "index_copy"])
def test_an_index_in_range_differentiates(op):
    x, source = _leaves(2)
    y = getattr(minigan, op)(x, 1, minigan.tensor([2, 0]), source)
    gx, gs = minigan.autograd.grad(y.sum(), [x, source])
    assert gx.shape == (0, 3) and gs.shape == (0, 2)


def test_index_fill_value_gradient_refuses_an_index_past_an_empty_slice_and_no_grad_records_nothing():
    x, value = minigan.zeros(0, 3, dtype=minigan.float64), minigan.tensor(2.0, dtype=minigan.float64,
                                                                          requires_grad=True)
    y = minigan.index_fill(x, 1, minigan.tensor([3]), value)
    with pytest.raises(RuntimeError, match="index_fill"):
        minigan.autograd.grad(y.sum(), value)
    with minigan.no_grad():
        assert not minigan.index_fill(x, 1, minigan.tensor([-1, 3]), value).requires_grad
