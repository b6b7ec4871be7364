"""Indexing, scatter/gather, shape and embedding calls as a PyTorch user composes them, against PyTorch float64.

Each test states a property over a family of calls: what the result is (values, dtype), how it is laid out (a view
of something, or a tensor of its own: ``_base``, the node that made it), and its gradients to second order."""

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import outcome

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _pair(array, requires_grad=True):
    return (torch.tensor(array, dtype=torch.float64, requires_grad=requires_grad),
            minigan.tensor(array, dtype=minigan.float64, requires_grad=requires_grad))


def _node_chain(t, depth=1):
    """The names of the nodes from t's grad_fn back ``depth`` steps along the first input."""
    names, node = [], t.grad_fn
    while node is not None and len(names) < depth:
        names.append(type(node).__name__ if not hasattr(node, "name") else node.name())
        nxt = [n for n, _ in node.next_functions if n is not None]
        node = nxt[0] if nxt else None
    return [n.replace("torch::autograd::", "") for n in names]


_REPEATS = [2, 0, ("tensor", 2), ("tensor", [3]), ("tensor", [1, 0, 2]), ("tensor", [2, 1, 1, 0])]


@pytest.mark.parametrize("layout", ["plain", "transposed"])
@pytest.mark.parametrize("dim", [None, 0, -1])
@pytest.mark.parametrize("repeats", range(len(_REPEATS)))
def test_repeat_interleave_is_laid_out_as_pytorch(repeats, dim, layout):
    """An int count is PyTorch's ``unsqueeze(dim + 1).expand(...).clone().flatten(dim, dim + 1)``: a view of a fresh
    copy (its ``_base`` set, ViewBackward0); a tensor of counts is ``index_select`` of the input
    (a tensor of its own, IndexSelectBackward0).  Values and gradients to second order as PyTorch's."""
    a = np.arange(12.0).reshape(3, 4) - 5.5
    r = _REPEATS[repeats]
    outs = []
    for lib, x in zip((torch, minigan), _pair(a)):
        src = x.t() if layout == "transposed" else x
        rep = lib.tensor(r[1]) if isinstance(r, tuple) else r
        try:
            y = src.repeat_interleave(rep, dim=dim)
        except RuntimeError as e:
            outs.append(type(e))
            continue
        w = lib.arange(float(y.numel()), dtype=lib.float64).reshape(y.shape)
        (g,) = lib.autograd.grad((y * y * w).sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), x)
        outs.append((y.detach().numpy(), y._base is not None, y.is_contiguous(), _node_chain(y), g.detach().numpy(),
                     gg.numpy()))
    t, m = outs
    if not isinstance(t, tuple):
        assert not isinstance(m, tuple) and issubclass(m, RuntimeError)
        return
    np.testing.assert_allclose(m[0], t[0])
    assert m[1:4] == t[1:4], f"layout (_base set, contiguous, nodes): minigan {m[1:4]}, PyTorch {t[1:4]}"
    np.testing.assert_allclose(m[4], t[4])
    np.testing.assert_allclose(m[5], t[5])


_EMPTY = [(3, 2, 0), (0, 2, 3), (2, 0), (3, 0, 2), (0,), (2, 3, 0, 4)]


@pytest.mark.parametrize("shape", _EMPTY)
def test_flatten_of_an_empty_tensor_is_pytorch_s(shape):
    """flatten merges dims start..end into one of their sizes' product, empty tensors too (a reshape to -1 cannot
    infer a size from no entries): every (start, end) at the function, the method, nn.Flatten and ravel."""
    n = len(shape)
    for start in range(-n, n):
        for end in range(-n, n):
            got = []
            for lib in (torch, minigan):
                x = lib.zeros(shape, dtype=lib.float64, requires_grad=True)
                try:
                    got.append([tuple(lib.flatten(x, start, end).shape), tuple(x.flatten(start, end).shape),
                                tuple(lib.nn.Flatten(start, end)(x).shape)])
                except RuntimeError as e:
                    got.append(RuntimeError if isinstance(e, RuntimeError) else type(e))
            assert got[1] == got[0], f"flatten({start}, {end}) of {shape}: minigan {got[1]}, PyTorch {got[0]}"
        assert tuple(minigan.zeros(shape).ravel().shape) == tuple(torch.zeros(shape).ravel().shape)


@pytest.mark.parametrize("dim", [0, 1, -1, -2])
@pytest.mark.parametrize("shape", [(3, 4), (1, 4), (3, 1)])
def test_take_along_dim_wraps_every_index_around_the_dim_as_pytorch(dim, shape):
    """With a dim, PyTorch's take_along_dim reads ``indices % size`` (its "wrap negative indices", which wraps any
    index: 9 along a size of 4 reads 1), broadcast against input elsewhere; values and gradients to second order."""
    rng = np.random.default_rng(len(shape) * 10 + dim)
    a = rng.standard_normal(shape)
    ishape = list(shape)
    ishape[dim] = 5
    idx = rng.integers(-3 * shape[dim] - 1, 3 * shape[dim] + 2, size=ishape)
    got = []
    for lib, x in zip((torch, minigan), _pair(a)):
        y = lib.take_along_dim(x, lib.tensor(idx), dim=dim)
        (g,) = lib.autograd.grad((y ** 3).sum(), x, create_graph=True)
        (gg,) = lib.autograd.grad((g * g).sum(), x)
        got.append((y.detach().numpy(), g.detach().numpy(), gg.numpy()))
    for m, t in zip(got[1], got[0]):
        np.testing.assert_allclose(m, t)


def test_take_along_dim_of_an_empty_dim():
    """Wrapping around a dim of size 0 divides by zero (PyTorch's RuntimeError) when there are indices; none: an
    empty result."""
    for lib in (torch, minigan):
        x = lib.zeros(3, 0, dtype=lib.float64)
        assert tuple(lib.take_along_dim(x, lib.zeros(3, 0, dtype=lib.int64), dim=1).shape) == (3, 0)
        with pytest.raises(RuntimeError):
            lib.take_along_dim(x, lib.tensor([[1]]), dim=1)


@pytest.mark.parametrize("repeats", [1, 2, ("tensor", [1, 1, 1]), ("tensor", 1)])
@pytest.mark.parametrize("dim", [None, 0, 1])
def test_repeat_interleave_result_owns_its_memory(repeats, dim):
    """PyTorch's result is a copy whatever the count (its clone), so writing into it leaves the input as it was."""
    a = np.arange(6.0).reshape(3, 2)
    for lib in (torch, minigan):
        x = lib.tensor(a)
        rep = lib.tensor(repeats[1]) if isinstance(repeats, tuple) else repeats
        if dim != 0 and isinstance(repeats, tuple) and repeats[1] == [1, 1, 1]:  # (one count per entry along dim)
            continue
        x.repeat_interleave(rep, dim=dim).mul_(10)
        np.testing.assert_array_equal(x.numpy(), a)


def _outcome(f):
    out = outcome(lambda: f())
    return out if isinstance(out, Exception) else np.asarray(out.numpy())


_CLASSES = (TypeError, IndexError, NotImplementedError, RuntimeError, ValueError)


def _same(t, m, what):
    if isinstance(t, Exception):
        assert isinstance(m, Exception), f"{what}: PyTorch raised {type(t).__name__}, minigan ran"
        expected = next(c for c in _CLASSES if isinstance(t, c))
        assert isinstance(m, expected), f"{what}: PyTorch {type(t).__name__}, minigan {type(m).__name__}: {m}"
        return
    assert not isinstance(m, Exception), f"{what}: PyTorch ran, minigan {type(m).__name__}: {m}"
    np.testing.assert_array_equal(m, t)


_INDEX_DTYPES = ["int64", "int32", "int16", "uint8", "bool", "float32"]


@pytest.mark.parametrize("dtype", _INDEX_DTYPES)
@pytest.mark.parametrize("labels", [[0, 2, 1], [], [-1], [3], 2])
@pytest.mark.parametrize("num_classes", [-1, 0, 3, 4, -2, 2.0, True, None])
def test_one_hot_door_as_pytorch(labels, dtype, num_classes):
    """one_hot takes int64 labels (any other dtype a RuntimeError), num_classes an int (TypeError otherwise); no
    labels and no positive count cannot infer one, a label < 0 or >= num_classes a RuntimeError."""
    got = []
    for lib in (torch, minigan):
        y = lib.tensor(labels, dtype=getattr(lib, dtype))
        got.append(_outcome(lambda: lib.nn.functional.one_hot(y, num_classes)))  # noqa: B023
    _same(*got, f"one_hot({labels} as {dtype}, {num_classes!r})")


@pytest.mark.parametrize("dtype", _INDEX_DTYPES)
@pytest.mark.parametrize("index", [[0, -1, 5], [], [6], [[1, 2], [0, 0]]])
def test_take_door_as_pytorch(index, dtype):
    """take reads an int64 index (another dtype, a bool too, a RuntimeError naming take) counting from the end."""
    got = []
    for lib in (torch, minigan):
        x = lib.arange(6.0, dtype=lib.float64).reshape(2, 3)
        got.append(_outcome(lambda: lib.take(x, lib.tensor(index, dtype=getattr(lib, dtype)))))  # noqa: B023
    _same(*got, f"take(x, {index} as {dtype})")
