"""PyTorch's ``out=`` keyword without PyTorch: an ``out`` that held values is resized with a warning, what PyTorch
refuses is refused (an input that requires grad outside no_grad, a result out's dtype cannot hold, an out that is not
a Tensor), and writing into ``out`` bumps its version so a graph that
saved it refuses.

(Its comparisons with PyTorch: tests/pytorch/test_out_argument.py.)"""

import warnings

import numpy as np
import pytest

import minigan


def test_out_is_resized_with_a_warning_when_it_held_values():
    y = minigan.zeros(3)
    with pytest.warns(UserWarning, match="resized"):
        minigan.add(minigan.ones(2, 2), 1, out=y)
    assert y.shape == (2, 2) and y.tolist() == [[2, 2], [2, 2]]
    empty = minigan.zeros(0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        minigan.mul(minigan.ones(2), 3, out=empty)  # an empty out is resized silently
    assert empty.tolist() == [3, 3]


def test_out_refuses_what_pytorch_refuses():
    with pytest.raises(RuntimeError, match="automatic differentiation"):
        minigan.add(minigan.ones(2, requires_grad=True), 1, out=minigan.zeros(2))
    with pytest.raises(RuntimeError, match="can't be cast"):
        minigan.add(minigan.ones(2), 1, out=minigan.zeros(2, dtype=minigan.int64))
    with pytest.raises(TypeError, match="out must be a Tensor"):
        minigan.add(minigan.ones(2), 1, out=np.zeros(2))
    with minigan.no_grad():  # no graph: allowed, as in PyTorch
        y = minigan.zeros(2)
        minigan.add(minigan.ones(2, requires_grad=True), 1, out=y)
    assert y.tolist() == [2, 2]


def test_out_bumps_the_version_so_a_graph_that_saved_it_refuses():
    x = minigan.ones(2, requires_grad=True)
    y = minigan.ones(2)
    z = (x * y).sum()  # saves y
    minigan.add(minigan.ones(2), 1, out=y)
    with pytest.raises(RuntimeError):
        z.backward()


def test_out_whose_entries_share_memory_is_refused_before_anything_is_written():
    base = minigan.zeros(1, 3)
    with pytest.raises(RuntimeError, match="one memory location"):
        minigan.add(minigan.ones(2, 3), 1, out=base.expand(2, 3))
    with pytest.raises(RuntimeError, match="one memory location"):
        minigan.max(minigan.ones(2, 3), 1, out=(minigan.zeros(1).expand(2), minigan.zeros(2, dtype=minigan.int64)))
    assert base.tolist() == [[0, 0, 0]]
    minigan.add(minigan.ones(3), 1, out=base.expand(2, 3)[0])  # one row of it: no entry shares memory
    assert base.tolist() == [[2, 2, 2]]
    minigan.sum(minigan.ones(2, 3), 0, out=minigan.zeros(1).expand(3))  # sum's kernel writes there, as PyTorch's


def test_out_sharing_part_of_an_input_is_refused_and_the_very_same_memory_is_not():
    a = minigan.arange(5.0)
    with pytest.raises(RuntimeError, match="shares some, but not all, memory"):
        minigan.add(a[:-1], 1, out=a[1:])  # (each entry would read a neighbour already written, or not)
    with pytest.raises(RuntimeError, match="shares some, but not all, memory"):
        minigan.cat([a[:2], a[:2]], out=a[1:])
    assert a.tolist() == [0, 1, 2, 3, 4]
    minigan.add(a, 1, out=a)  # out=x: each entry is read, then written
    assert a.tolist() == [1, 2, 3, 4, 5]
