"""PyTorch's two refusals of an in-place op whose operand shares memory with the tensor it writes.  An elementwise
op (add_, copy_, x[slice] = v) refuses an operand sharing part of that memory, also after its door scales the
operand (add_'s alpha); an op that writes where an index says (scatter_, index_add_, index_put_, x[index tensor] =
v) refuses a source or an index that shares any of it, x itself too.  Both are RuntimeErrors; tensors with gaps
(x[:, ::2]) are not compared, as in PyTorch, the very same tensor aside."""

import pytest

import minigan

WHOLE = {
    "scatter_": lambda x, s: x.scatter_(0, minigan.tensor([[1, 0, 2, 3]] * 4), s),
    "scatter_add_": lambda x, s: x.scatter_add_(0, minigan.tensor([[1, 0, 2, 3]] * 4), s),
    "index_add_": lambda x, s: x.index_add_(0, minigan.tensor([1, 0, 3, 2]), s),
    "index_copy_": lambda x, s: x.index_copy_(0, minigan.tensor([1, 0, 3, 2]), s),
    "index_put_": lambda x, s: x.index_put_((minigan.tensor([1, 0, 3, 2]),), s),
    "index_put_(accumulate)": lambda x, s: x.index_put_((minigan.tensor([1, 0, 3, 2]),), s, accumulate=True),
    "x[index] = s": lambda x, s: x.__setitem__(minigan.tensor([1, 0, 3, 2]), s),
}


@pytest.mark.parametrize("view", [lambda x: x, lambda x: x.view(4, 4), lambda x: x.t()], ids=["x", "view", "t"])
@pytest.mark.parametrize("op", list(WHOLE))
def test_an_indexed_write_refuses_a_source_sharing_any_memory(op, view):
    x = minigan.arange(16.0).reshape(4, 4)
    with pytest.raises(RuntimeError, match="shares (some, but not all, )?memory"):  # (x.t(): a part, as add_'s)
        WHOLE[op](x, view(x))
    assert x.tolist() == minigan.arange(16.0).reshape(4, 4).tolist()  # (nothing written)
    WHOLE[op](x, view(x).clone())  # (a clone runs)


@pytest.mark.parametrize("op", list(WHOLE))
def test_a_source_with_gaps_is_compared_only_when_it_is_the_tensor_itself(op):
    x = minigan.arange(32.0).reshape(4, 8)[:, ::2]
    WHOLE[op](x, x[:])  # (another view of x, with gaps: not compared, as in PyTorch)
    with pytest.raises(RuntimeError, match="shares memory"):
        WHOLE[op](x, x)


@pytest.mark.parametrize("write", [
    lambda x: x.scatter_(0, x, minigan.tensor([[5, 6], [7, 8]])),
    lambda x: x.index_add_(0, x[0], minigan.tensor([[5, 6], [7, 8]])),
    lambda x: x.index_fill_(0, x[0], 3),
    lambda x: x.__setitem__(x, 7),
    lambda x: x.__setitem__(x.view(2, 2), 7),
], ids=["scatter_", "index_add_", "index_fill_", "x[x] = 7", "x[x.view] = 7"])
def test_an_index_sharing_the_memory_written_is_refused(write):
    x = minigan.tensor([[1, 0], [0, 1]])
    with pytest.raises(RuntimeError, match="shares memory"):
        write(x)


@pytest.mark.parametrize("write", [
    lambda y: y[:2].add_(y[1:3], alpha=2), lambda y: y[:2].sub_(y[1:3], alpha=2),
    lambda y: y[:2].subtract_(y[1:3], alpha=2), lambda y: y[:2].add_(2, y[1:3]),
], ids=["add_", "sub_", "subtract_", "add_(2, s)"])
def test_an_elementwise_write_refuses_a_part_shared_after_alpha_too(write):
    y = minigan.arange(4.0, dtype=minigan.float64)
    with pytest.raises(RuntimeError, match="some, but not all"):
        write(y)
    assert y.tolist() == [0.0, 1.0, 2.0, 3.0]


def test_a_fills_zero_d_value_and_addmm_s_matrices_may_be_views_of_the_tensor():
    x = minigan.arange(4.0)
    assert x.fill_(x[1]).tolist() == [1.0] * 4
    x = minigan.arange(4.0)
    assert x.masked_fill_(x > 1, x[0]).tolist() == [0.0, 1.0, 0.0, 0.0]
    m = minigan.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert m.addmm_(m.t(), m).tolist() == [[11.0, 16.0], [17.0, 24.0]]  # m + mᵀm
