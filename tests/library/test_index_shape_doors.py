"""The doors of the indexing and shape functions raise the classes PyTorch's documentation and messages give, in its
order, and take what PyTorch takes; stated without PyTorch (closed forms and exception classes).

(Their comparisons with PyTorch over grids: tests/pytorch/test_indexing.py, test_embedding.py and
test_shapes.py.)"""

import math

import minigan.nn.functional as F
import numpy as np
import pytest

import minigan

FORMS = {
    "index_add": lambda x, s: x.index_add(0, minigan.tensor([1]), s),
    "index_add_": lambda x, s: x.clone().index_add_(0, minigan.tensor([1]), s),
    "index_copy": lambda x, s: minigan.index_copy(x, 0, minigan.tensor([1]), s),
    "index_copy_": lambda x, s: x.clone().index_copy_(0, minigan.tensor([1]), s),
    "scatter": lambda x, s: x.scatter(0, minigan.tensor([[1, 0, 1]]), s),
    "scatter_add_": lambda x, s: x.clone().scatter_add_(0, minigan.tensor([[1, 0, 1]]), s),
    "index_put": lambda x, s: x.index_put((minigan.tensor([1]),), s),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_a_source_of_another_dtype_is_refused_not_converted(form):
    x = minigan.zeros(2, 3, dtype=minigan.float64)
    with pytest.raises(RuntimeError, match="dtype"):
        FORMS[form](x, minigan.ones(1, 3, dtype=minigan.float32))
    out = FORMS[form](x, minigan.ones(1, 3, dtype=minigan.float64))  # (the same dtype: written)
    assert out.dtype == minigan.float64 and out[1].tolist() == [1.0, 0.0, 1.0] if form.startswith("scatter") else \
        out[1].tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("op", ["index_add", "index_copy", "scatter_add", "index_select", "gather"])
def test_a_dim_out_of_range_is_an_index_error_before_anything_else(op):
    x = minigan.zeros(2, 3)
    args = (5, minigan.tensor([[0.5]]))  # (an index of floats, and of the wrong rank: dim is read first)
    with pytest.raises(IndexError, match="out of range"):
        getattr(x, op)(*args) if op in ("index_select", "gather") else getattr(x, op)(*args, minigan.ones(7))


def test_index_fill_counts_from_the_end_and_refuses_a_number_its_dtype_cannot_hold():
    x = minigan.arange(12).reshape(3, 4)
    np.testing.assert_array_equal(x.index_fill(0, minigan.tensor([-1]), 7).numpy(),
                                  x.index_fill(0, minigan.tensor([2]), 7).numpy())
    for bad in (math.nan, math.inf, -math.inf, 2.0 ** 63):
        with pytest.raises(RuntimeError, match="cannot be converted"):
            x.index_fill(0, minigan.tensor([0]), bad)
    with pytest.raises(OverflowError):
        x.float().index_fill(0, minigan.tensor([0]), 2 ** 64)
    with pytest.raises(RuntimeError, match="cannot be converted"):
        x.float().index_fill(0, minigan.tensor([0]), 1e39)  # (beyond float32's range)
    assert x.float().index_fill(0, minigan.tensor([0]), math.inf)[0].tolist() == [math.inf] * 4
    with pytest.raises(IndexError):  # (an index of another dtype: PyTorch's IndexError here)
        x.index_fill(0, minigan.tensor([0], dtype=minigan.int32), 1)


def test_embedding_checks_padding_idx_first_and_looks_up_any_dtype():
    weight = minigan.arange(12).reshape(4, 3)
    np.testing.assert_array_equal(F.embedding(minigan.tensor([[3, 0]]), weight).numpy(), weight.numpy()[[[3, 0]]])
    for padding_idx in (4, -5):
        with pytest.raises(AssertionError, match="padding_idx"):
            F.embedding(minigan.tensor([0.5]), weight, padding_idx=padding_idx)  # (before the indices' dtype)
    with pytest.raises(IndexError):
        F.embedding(minigan.tensor([0]), minigan.tensor(1.0))  # (a 0-d weight has no size 0)
    with pytest.raises(RuntimeError, match="2-D"):
        F.embedding(minigan.tensor([0]), minigan.ones(4, 3, 2))
    with pytest.raises(RuntimeError, match="int64 or int32"):
        F.embedding(minigan.tensor([0.0]), minigan.ones(4, 3))


def test_narrow_takes_an_int_or_a_0d_integer_tensor_as_its_start():
    x = minigan.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(x.narrow(1, minigan.tensor(1), 2).numpy(), x.narrow(1, 1, 2).numpy())
    for start in (minigan.tensor(1.0), minigan.tensor([1]), minigan.tensor(True)):
        with pytest.raises(RuntimeError, match="start"):
            x.narrow(5, start, 1)  # (start is read before dim)
    with pytest.raises(TypeError):
        x.narrow(1, 1.5, 1)
    with pytest.raises(IndexError, match="out of range"):
        x.narrow(1, -5, 1)


def test_shape_functions_raise_pytorchs_classes():
    x = minigan.zeros(2, 3, 4)
    with pytest.raises(TypeError):
        minigan.tensor(1.0).split(None)  # (the sizes are read before the tensor's rank)
    with pytest.raises(RuntimeError):
        x.flatten(2, 0)
    with pytest.raises(IndexError):
        minigan.tensor(1.0).flatten(0, 3)
    with pytest.raises(IndexError):
        x.unflatten(-4, (1, 3))
    with pytest.raises(RuntimeError, match="multiply up"):
        x.unflatten(1, (2, 2))
    assert x[:, :, :0].unflatten(1, (-1, 1)).shape == (2, 3, 1, 0)  # (-1 inferred from the dim's size)
    with pytest.raises(IndexError):
        minigan.stack([minigan.tensor(1.0), x], -2)  # (the dim against the first tensor's rank + 1, first)
    assert minigan.zeros(0, 2).tile((-1, 1)).shape == (0, 2)  # (a negative count times a size 0)
    with pytest.raises(RuntimeError, match="negative"):
        minigan.zeros(2, 1).tile((-1, 1))
    assert [t.shape for t in minigan.zeros(0).split(2)] == [(0,)]  # (an empty dim: one empty piece)


def test_repeat_gives_a_row_major_copy():
    x = minigan.arange(12.0).reshape(3, 4).t()
    y = x.repeat(1, 1)
    assert y.is_contiguous() and np.array_equal(y.numpy(), x.numpy()) and not np.shares_memory(y.numpy(), x.numpy())


def test_take_along_dim_without_dim_reads_a_flat_view_and_refuses_a_negative_index():
    x = minigan.arange(6.0).reshape(2, 3)
    assert minigan.take_along_dim(x, minigan.tensor([5, 0])).tolist() == [5.0, 0.0]
    with pytest.raises(RuntimeError):
        minigan.take_along_dim(x.t(), minigan.tensor([0]))  # (a transpose cannot be viewed as one row)
    with pytest.raises(RuntimeError):
        minigan.take_along_dim(x, minigan.tensor([-1]))


@pytest.mark.parametrize("op", ["scatter", "scatter_add"])
def test_a_src_larger_than_index_runs_forward_and_refuses_at_backward(op):
    x = minigan.zeros(2, 3, requires_grad=True)
    src = minigan.ones(3, 3, requires_grad=True)
    y = getattr(x, op)(0, minigan.tensor([[1, 0, 1]]), src)
    assert y.requires_grad and y[1].tolist() == [1.0, 0.0, 1.0]
    with pytest.raises(RuntimeError, match="src"):
        y.sum().backward()
    y = getattr(x, op)(0, minigan.tensor([[1, 0, 1]]), src[:1])  # (src of index's shape: its gradient is index's)
    y.sum().backward()
    assert src.grad[0].tolist() == [1.0, 1.0, 1.0] and x.grad.sum().item() == (6 if op == "scatter_add" else 3)


@pytest.mark.parametrize("shape", [(3, 2, 0), (0, 2, 3), (2, 0), (2, 3, 0, 4)])
def test_flatten_of_an_empty_tensor_merges_sizes_into_their_product(shape):
    """flatten(start, end) has shape[:start] + (prod(shape[start:end + 1]),) + shape[end + 1:], entries or none."""
    x = minigan.zeros(*shape)
    for start in range(len(shape)):
        for end in range(start, len(shape)):
            want = shape[:start] + (math.prod(shape[start:end + 1]),) + shape[end + 1:]
            assert tuple(x.flatten(start, end).shape) == want
            assert tuple(minigan.nn.Flatten(start, end)(x).shape) == want


def test_take_along_dim_with_a_dim_wraps_indices_modulo_the_size():
    """take_along_dim(x, i, dim) is NumPy's take_along_axis(x, i % size, dim), and its gradient adds 1 at each entry
    read (np.add.at over the wrapped indices)."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((3, 4))
    i = rng.integers(-9, 10, size=(3, 5))
    x = minigan.tensor(a, requires_grad=True)
    y = minigan.take_along_dim(x, minigan.tensor(i), dim=1)
    np.testing.assert_array_equal(y.detach().numpy(), np.take_along_axis(a, i % 4, 1))
    y.sum().backward()
    want = np.zeros_like(a)
    np.add.at(want, (np.arange(3)[:, None], i % 4), 1.0)
    np.testing.assert_array_equal(x.grad.numpy(), want)
    with pytest.raises(RuntimeError):  # (around a dim of size 0: PyTorch's division by zero)
        minigan.take_along_dim(minigan.zeros(3, 0), minigan.tensor([[1]]), dim=1)


@pytest.mark.parametrize("dtype", ["int32", "uint8", "bool"])
def test_one_hot_and_take_read_int64_tensors_only(dtype):
    """PyTorch's one_hot and take read a LongTensor: another dtype is a RuntimeError at their door."""
    idx = minigan.tensor([1, 0], dtype=getattr(minigan, dtype))
    with pytest.raises(RuntimeError, match="one_hot"):
        F.one_hot(idx, 3)
    with pytest.raises(RuntimeError, match="take"):
        minigan.take(minigan.arange(4.0), idx)
    with pytest.raises(TypeError):
        F.one_hot(minigan.tensor([1]), 3.0)
