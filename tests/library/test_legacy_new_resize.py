"""``resize_`` without PyTorch: in place, returning the tensor and keeping its memory when the count is the same; and
resizing a view is refused in one line that says what to write.

(Its comparisons with PyTorch: tests/pytorch/test_creation.py.)"""

import pytest

import minigan


def test_resize_is_in_place_returns_the_tensor_and_keeps_its_memory_when_the_count_is_the_same():
    x = minigan.arange(6.0)
    v = x[:3]  # a view of x's memory
    assert x.resize_(2, 3) is x and tuple(x.shape) == (2, 3)
    x[0, 0] = 9.0
    assert v[0].item() == 9.0  # the view still sees x's memory, as in PyTorch
    before = x._version
    x.resize_(3, 4)  # more elements: the first six keep their values
    assert tuple(x.shape) == (3, 4) and x.flatten()[:6].tolist() == [9.0, 1.0, 2.0, 3.0, 4.0, 5.0]
    assert x._version > before  # an in-place change: a graph that saved x refuses to backward


def test_resizing_a_view_is_refused_in_one_line_that_says_what_to_write():
    x = minigan.arange(6.0)
    with pytest.raises(RuntimeError, match="view") as e:
        x[1:].resize_(2)
    assert len(str(e.value).splitlines()) == 1 and "clone()" in str(e.value)
