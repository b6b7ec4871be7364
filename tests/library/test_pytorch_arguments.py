"""PyTorch's arguments on their own terms: out= is the tensor returned (resized with a warning when it held values),
generator= on the like factories draws from that generator, a keyword minigan cannot honour gets one line naming it
(NotImplementedError), bools are no sizes, and the free functions take PyTorch's argument names.

(Its comparisons with PyTorch: tests/pytorch/test_pytorch_arguments.py.)"""

import pytest

import minigan
import minigan.nn as mnn


def test_out_is_the_tensor_returned():
    y = minigan.zeros(4)
    with pytest.warns(UserWarning, match="resized"):  # it held values: PyTorch warns too
        assert minigan.ones(2, 2, out=y) is y and y.shape == (2, 2)
    values, indices = minigan.zeros(2), minigan.zeros(2, dtype=minigan.int64)
    result = minigan.sort(minigan.tensor([3.0, 1.0]), out=(values, indices))
    assert result.values is values and result.indices is indices and indices.tolist() == [1, 0]


def test_generator_on_the_like_factories():
    g1, g2 = minigan.Generator().manual_seed(3), minigan.Generator().manual_seed(3)
    x = minigan.zeros(4)
    assert minigan.randn_like(x, generator=g1).tolist() == minigan.randn_like(x, generator=g2).tolist()
    assert minigan.rand_like(x, generator=g1).tolist() == minigan.rand_like(x, generator=g2).tolist()


@pytest.mark.parametrize("call, keyword", [
    (lambda: minigan.zeros(2, pin_memory=True), "pin_memory=True"),
    (lambda: minigan.randn(2, layout="sparse_coo"), "layout='sparse_coo'"),
    (lambda: minigan.empty(2, memory_format="channels_last"), "memory_format='channels_last'"),
    (lambda: minigan.ones_like(minigan.ones(2), memory_format="channels_last"), "memory_format='channels_last'"),
    (lambda: minigan.set_default_device("cuda"), "use_backend('cupy')"),
])
def test_a_keyword_minigan_cannot_honour_gets_one_line_naming_it(call, keyword):
    with pytest.raises(NotImplementedError) as info:
        call()
    assert keyword in str(info.value) and "\n" not in str(info.value)


def test_bools_are_no_sizes():
    with pytest.raises(TypeError):
        minigan.zeros(True)
    with pytest.raises(TypeError):
        mnn.Linear(True, 2)  # (PyTorch takes True as 1 here; minigan refuses a bool as a count, as zeros(True))
    with pytest.raises(TypeError):
        minigan.ones(4).view(2.0, -1)  # a float is no size, as in PyTorch


def test_argument_names_of_the_free_functions():
    a, b = minigan.tensor([1.0, 5.0]), minigan.tensor([3.0, 2.0])
    assert minigan.max(a, other=b).tolist() == [3.0, 5.0] and minigan.sum(input=a).item() == 6.0
    assert minigan.where(a > 2, input=a, other=b).tolist() == [3.0, 5.0]
    assert minigan.mm(input=a.reshape(1, 2), mat2=b.reshape(2, 1)).item() == 13.0
    assert minigan.reshape(a, shape=(2, 1)).shape == (2, 1)
    assert minigan.concatenate([a, b], axis=0).shape == (4,)
