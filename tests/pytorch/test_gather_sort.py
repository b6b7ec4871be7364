"""gather, index_select, sort, argsort, topk and cumsum against PyTorch (float64, the oracle): values, indices
(equal values keep their order, NaN sorts as the largest), gradients (summed over repeated indices), second
derivatives of cumsum against finite differences, and a clear error for each bad argument.

(Its torch-free tests: tests/engine/test_gather_sort.py.)"""

import numpy as np
import pytest
from engine.helpers_gather_sort import RNG, X

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

TIES = np.array([[2.0, np.nan, 1.0, 2.0, -1.0], [0.0, 3.0, -1.0, 3.0, 3.0]])


def _both(fn, data=X, int_args=()):
    """fn(lib, x, *int tensors) under both libraries: the outputs (values and indices) and x's gradient."""
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(data, requires_grad=True)
        ints = [lib.tensor(a) for a in int_args]
        out = fn(lib, x, *ints)
        outs = list(out) if isinstance(out, tuple) else [out]
        floats = [o for o in outs if o.dtype in (minigan.float64, torch.float64)]
        weights = [lib.tensor(np.arange(o.numel(), dtype=np.float64).reshape(tuple(o.shape)) % 7 - 3) for o in floats]
        if floats and floats[0].numel():
            sum((o * w).sum() for o, w in zip(floats, weights)).backward()
        results.append(([o.detach().numpy() for o in outs], None if x.grad is None else x.grad.detach().numpy()))
    (ours, our_grad), (theirs, their_grad) = results
    assert len(ours) == len(theirs)
    for u, t in zip(ours, theirs):
        assert u.shape == t.shape and u.dtype == t.dtype, (u.dtype, t.dtype, u.shape, t.shape)
        np.testing.assert_array_equal(u, t)
    assert (our_grad is None) == (their_grad is None)
    if our_grad is not None:
        np.testing.assert_allclose(our_grad, their_grad, rtol=1e-12, atol=1e-12)


INDEX = RNG.integers(0, 4, size=(3, 6, 5))  # along dim 1 of X: repeats, and a larger size along dim 1


@pytest.mark.parametrize("case", [
    lambda lib, x, i: lib.gather(x, 1, i),
    lambda lib, x, i: x.gather(-2, i),
    lambda lib, x, i: lib.gather(x, 1, i[:2, :, 1:3]),  # smaller than x along the other dims
])
def test_gather(case):
    _both(case, int_args=(INDEX,))


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_index_select_with_repeats(dim):
    index = np.array([0, 2, 2, 1])
    _both(lambda lib, x, i: lib.index_select(x, dim, i), int_args=(index,))
    _both(lambda lib, x, i: x.index_select(dim, i[:0]), int_args=(index,))  # nothing selected


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_and_argsort(dim, descending):
    _both(lambda lib, x: lib.sort(x, dim, descending))
    _both(lambda lib, x: x.sort(dim=dim, descending=descending, stable=True))
    _both(lambda lib, x: lib.argsort(x, dim, descending))


@pytest.mark.parametrize("descending", [False, True])
def test_sort_keeps_equal_values_in_order_and_puts_nan_last_or_first(descending):
    with np.errstate(invalid="ignore"):
        _both(lambda lib, x: x.sort(dim=1, descending=descending, stable=True), data=TIES)
        _both(lambda lib, x: lib.argsort(x, dim=1, descending=descending, stable=True), data=TIES)


@pytest.mark.parametrize("k, dim, largest", [(2, -1, True), (3, 1, False), (0, 0, True), (3, 0, True), (5, 2, False)])
def test_topk(k, dim, largest):
    _both(lambda lib, x: lib.topk(x, k, dim, largest))
    _both(lambda lib, x: x.topk(k, dim=dim, largest=largest, sorted=True))


def test_zero_dimensional_inputs():
    for case in (lambda lib, x: lib.sort(x), lambda lib, x: lib.topk(x, 1), lambda lib, x: lib.argsort(x),
                 lambda lib, x: lib.cumsum(x, 0)):
        _both(case, data=np.array(2.5))


@pytest.mark.parametrize("dim", [0, 1, 2, -1])
def test_cumsum_values_and_gradient(dim):
    _both(lambda lib, x: lib.cumsum(x, dim))
    _both(lambda lib, x: x.cumsum(dim) * x)  # the gradient also flows around it


@pytest.mark.parametrize("dtype", ["int32", "int64", "bool", "float32"])
def test_cumsum_dtypes(dtype):
    ours = minigan.cumsum(minigan.tensor(np.array([[1, 0, 1], [1, 1, 0]]).astype(dtype)), 1)
    theirs = torch.cumsum(torch.tensor(np.array([[1, 0, 1], [1, 1, 0]]).astype(dtype)), 1)
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "minigan.")
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())
    assert minigan.cumsum(minigan.tensor([1, 2]), 0, dtype=minigan.float64).dtype == minigan.float64


@pytest.mark.parametrize("n", [5, 40, 1000])
@pytest.mark.parametrize("descending", [False, True])
def test_many_ties_sort_as_pytorchs_stable_sort_and_topk_keeps_its_values(n, descending):
    values = np.random.default_rng(n).integers(0, 4, size=(3, n)).astype(np.float64)
    ours = minigan.sort(minigan.tensor(values), 1, descending=descending)
    theirs = torch.sort(torch.tensor(values), dim=1, descending=descending, stable=True)
    np.testing.assert_array_equal(ours.indices.detach().numpy(), theirs.indices.detach().numpy())
    np.testing.assert_array_equal(ours.values.detach().numpy(), theirs.values.detach().numpy())
    k = min(n, 7)
    top = minigan.topk(minigan.tensor(values), k, 1, largest=not descending)
    np.testing.assert_array_equal(top.values.detach().numpy(),
                                  torch.topk(torch.tensor(values), k, dim=1,
                                             largest=not descending).values.detach().numpy())
    np.testing.assert_array_equal(np.take_along_axis(values, top.indices.detach().numpy(), 1),
                                  top.values.detach().numpy())


SCATTER_INDEX = np.array([[0, 2, 1, 0], [2, 0, 1, 1]])  # along dim 1 of a (2, 3) input: repeats in each row


@pytest.mark.parametrize("case", [
    lambda lib, x, s, i: lib.scatter_add(x, 1, i, s),  # repeats add up
    lambda lib, x, s, i: x.scatter_add(-1, i[:, :2], s[:, :2]),
    lambda lib, x, s, i: lib.scatter(x, 1, i[:, :1], s[:, 1:2]),  # no repeats: which value wins is then defined
    lambda lib, x, s, i: x.scatter(1, i[:, :1], value=2.5),
    lambda lib, x, s, i: (x * 1).scatter_add_(1, i, s),
    lambda lib, x, s, i: (x * 1).scatter_(1, i[:, :1], 0.5),
])
def test_scatter_and_scatter_add(case):
    src = np.arange(8.0).reshape(2, 4) - 3
    results = []
    for lib in (minigan, torch):
        x, s = lib.tensor(X[0, :2, :3], requires_grad=True), lib.tensor(src, requires_grad=True)
        out = case(lib, x, s, lib.tensor(SCATTER_INDEX))
        (out * lib.tensor(np.arange(6.0).reshape(2, 3))).sum().backward()
        results.append([out.detach().numpy(), x.grad.detach().numpy(),
                        None if s.grad is None else s.grad.detach().numpy()])
    for u, t in zip(*results):
        assert (u is None) == (t is None)
        if u is not None:
            np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)


def test_scatter_reads_the_leading_block_of_a_larger_src():
    """(PyTorch computes this too but its backward then fails, so only the values are compared.)"""
    src = np.arange(8.0).reshape(2, 4)
    ours = minigan.scatter_add(minigan.zeros(2, 3, dtype=minigan.float64), 1, minigan.tensor(SCATTER_INDEX[:, :2]),
                               minigan.tensor(src))
    theirs = torch.scatter_add(torch.zeros(2, 3, dtype=torch.float64), 1, torch.tensor(SCATTER_INDEX[:, :2]),
                               torch.tensor(src))
    np.testing.assert_array_equal(ours.detach().numpy(), theirs.detach().numpy())


def test_one_hot_by_scatter_as_in_cgan_tutorials():
    labels = [3, 0, 9, 3]
    for lib in (minigan, torch):
        onehot = lib.zeros(4, 10).scatter_(1, lib.tensor(labels).unsqueeze(1), 1)
        np.testing.assert_array_equal(onehot.detach().numpy(), np.eye(10, dtype=np.float32)[labels])
    with pytest.raises(minigan.IndexOutOfRange, match="index 10 is out of range"):
        minigan.zeros(1, 10).scatter_(1, minigan.tensor([[10]]), 1)
    with pytest.raises(TypeError, match="give src .* or value"):
        minigan.zeros(2).scatter(0, minigan.tensor([0]))
    with pytest.raises(minigan.ShapeError, match="at least as large as index"):
        minigan.zeros(3).scatter(0, minigan.tensor([0, 1]), minigan.tensor([1.0]))


SELECT = np.array([[1.5, 0.0, -2.0], [0.0, 3.0, 0.0]])


@pytest.mark.parametrize("case", [
    lambda lib, x: lib.nonzero(x),
    lambda lib, x: lib.nonzero(x, as_tuple=True),
    lambda lib, x: x.nonzero(),
    lambda lib, x: lib.argwhere(x > 0),
    lambda lib, x: lib.where(x < 0),
    lambda lib, x: lib.nonzero(x[0, 0]),  # 0-d: shape (1, 0), or a tuple of one
    lambda lib, x: lib.nonzero(x[0, 0], as_tuple=True),
    lambda lib, x: lib.unique(x),
    lambda lib, x: lib.unique(x, return_inverse=True, return_counts=True),
    lambda lib, x: x.unique(return_counts=True),
    lambda lib, x: lib.unique((x != 0).long(), dim=0, return_inverse=True),
])
def test_selection_functions_match_pytorch(case):
    ours, theirs = case(minigan, minigan.tensor(SELECT)), case(torch, torch.tensor(SELECT))
    ours, theirs = (ours, theirs) if isinstance(ours, tuple) else ((ours,), (theirs,))
    assert len(ours) == len(theirs)
    for u, t in zip(ours, theirs):
        assert str(u.dtype) == str(t.dtype).replace("torch.", "minigan.")
        np.testing.assert_array_equal(u.detach().numpy(), t.detach().numpy())


def test_masked_select_matches_pytorch_with_its_gradient():
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(SELECT, requires_grad=True)
        out = lib.masked_select(x, lib.tensor([True, False, True]))  # broadcast over the rows
        (out * lib.tensor(np.arange(4.0))).sum().backward()
        results.append((out.detach().numpy(), x.grad.detach().numpy()))
    for u, t in zip(*results):
        np.testing.assert_array_equal(u, t)
    with pytest.raises(TypeError, match="mask must be a bool tensor"):
        minigan.masked_select(minigan.tensor(SELECT), minigan.tensor([1, 0, 1]))
    with pytest.raises(TypeError, match="the condition alone"):
        minigan.where(minigan.tensor(SELECT) > 0, 1.0)


@pytest.mark.parametrize("source", [
    "x.index_add(0, L.tensor([0, 0]), s[:2])",  # a repeated index adds up
    "L.index_add(x, 1, L.tensor([3, 1]), s[:, :2], alpha=2)",
    "x.index_copy(0, L.tensor([2, 0]), s[:2])",
    "L.index_fill(x, 1, L.tensor([1, 3]), 7.0)",
    "(x * 1).index_add_(0, L.tensor([1, 1]), s[:2])",
    "(x * 1).index_copy_(1, L.tensor([0]), s[:, :1])",
    "(x * 1).index_fill_(0, L.tensor([2]), -1.0)",
])
def test_index_add_copy_and_fill(source):
    x0 = np.arange(12.0).reshape(3, 4)
    results = []
    for L in (minigan, torch):  # noqa: N806 (L: the library, as in the expressions)
        x, s = L.tensor(x0, requires_grad=True), L.tensor(-x0, requires_grad=True)
        out = eval(source)  # noqa: S307 (a test's own expression, run under both libraries)
        (out * L.tensor(np.arange(12.0).reshape(3, 4))).sum().backward()
        results.append((out.detach().numpy(), x.grad.detach().numpy(),
                        None if s.grad is None else s.grad.detach().numpy()))
    for u, t in zip(*results):
        assert (u is None) == (t is None)
        if u is not None:
            np.testing.assert_array_equal(u, t)
    with pytest.raises(minigan.ShapeError, match="source must have shape"):
        minigan.index_add(minigan.zeros(3, 4), 0, minigan.tensor([0]), minigan.zeros(2, 4))
