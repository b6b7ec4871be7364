"""PyTorch's arguments, as a program passes them: factories' keywords (out=, requires_grad=, layout=, generator=),
integers of any kind PyTorch takes (NumPy integers, 0-d integer tensors) for sizes, dims and counts, and the small
names and semantics tutorials use (histogram, histc, cross, relu_(x), the legacy constructor, retain_grad).
PyTorch, where installed, is the oracle.

(Its torch-free tests: tests/library/test_pytorch_arguments.py.)"""

import warnings

import numpy as np
import pytest

import minigan
import minigan.nn as mnn

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INTS = [int, np.int64, np.int32, np.uint8]  # what has __index__, as PyTorch takes it


def _both(program):
    """program(library) run with minigan and with PyTorch: the two results as NumPy arrays."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ours, theirs = program(minigan), program(torch)
    return np.asarray(ours.detach().numpy()), np.asarray(theirs.detach().numpy())


@pytest.mark.parametrize("program", [
    lambda t: t.zeros(2, 3, out=t.zeros(1, dtype=t.int64)),  # out's dtype, resized
    lambda t: t.ones((2,), out=t.empty(2, dtype=t.float64)),
    lambda t: t.full((2, 2), 7, out=t.zeros(4)),
    lambda t: t.arange(5, out=t.zeros(1, dtype=t.float64)),
    lambda t: t.linspace(0, 1, 5, out=t.zeros(5, dtype=t.float64)),
    lambda t: t.eye(3, out=t.zeros(3, 3, dtype=t.int64)),
    lambda t: t.empty(2, 3, layout=t.strided, memory_format=t.contiguous_format).fill_(0.0),  # (any bits: NaN too)
    lambda t: t.zeros_like(t.ones(2), layout=t.strided, memory_format=t.preserve_format),
], ids=["zeros", "ones", "full", "arange", "linspace", "eye", "empty-layout", "zeros_like-layout"])
def test_factories_take_out_and_layout_as_pytorch(program):
    ours, theirs = _both(program)
    assert ours.dtype == theirs.dtype and ours.shape == theirs.shape
    np.testing.assert_array_equal(ours, theirs)


def test_normal_with_a_size_takes_requires_grad_and_dtype():
    w = minigan.normal(0, 0.1, (5, 1), requires_grad=True)  # a tutorial's weights: a leaf to learn
    t = torch.normal(0, 0.1, (5, 1), requires_grad=True)
    assert (w.shape, w.requires_grad, w.is_leaf) == (tuple(t.shape), t.requires_grad, t.is_leaf)
    assert w.dtype == np.float32 and minigan.normal(0, 1, (2,), dtype=minigan.float64).dtype == np.float64
    (w * 2).sum().backward()
    assert w.grad.tolist() == [[2.0]] * 5
    with pytest.raises(TypeError, match="requires_grad= and dtype= go with numbers"):  # PyTorch refuses it too
        minigan.normal(minigan.zeros(2), 1.0, requires_grad=True)


def test_the_default_device_is_the_cpu():
    minigan.set_default_device("cpu")
    minigan.set_default_device(None)
    assert minigan.get_default_device().type == torch.get_default_device().type == "cpu"


@pytest.mark.parametrize("kind", INTS + ["tensor"], ids=lambda k: getattr(k, "__name__", k))
def test_integers_of_any_kind_as_sizes_dims_and_counts(kind):
    n = (lambda v: minigan.tensor(v)) if kind == "tensor" else kind
    tn = (lambda v: torch.tensor(v)) if kind == "tensor" else kind
    for lib, i in ((minigan, n), (torch, tn)):
        nn = mnn if lib is minigan else torch.nn
        x = lib.ones(2, 3, 4, 4)
        if kind != "tensor":  # (PyTorch's conv layers iterate over their sizes: a 0-d tensor is refused there)
            layer = nn.Conv2d(i(3), i(5), i(3), stride=i(1), padding=i(1))
            assert tuple(layer(x).shape) == (2, 5, 4, 4)
        assert tuple(nn.Linear(i(4), i(2))(x).shape) == (2, 3, 4, 2)
        assert tuple(nn.BatchNorm2d(i(3))(x).shape) == (2, 3, 4, 4)
        assert tuple(nn.Embedding(i(5), i(2))(lib.tensor([1, 2])).shape) == (2, 2)
        assert tuple(lib.zeros(i(2), i(3)).shape) == (2, 3)
        assert tuple(x.view(-1, i(4)).shape) == (24, 4) and tuple(x.reshape(i(6), -1).shape) == (6, 16)
        assert tuple(x.sum(dim=i(1)).shape) == (2, 4, 4) and tuple(x.flatten(i(1)).shape) == (2, 48)
        assert tuple(x.permute(i(0), i(2), i(3), i(1)).shape) == (2, 4, 4, 3)
        assert tuple(x.transpose(i(1), i(2)).shape) == (2, 4, 3, 4)
        assert tuple(x.unsqueeze(i(0)).shape) == (1, 2, 3, 4, 4)
        assert len(x.chunk(i(2), i(1))) == 2 and tuple(x.topk(i(2)).values.shape) == (2, 3, 4, 2)
        assert tuple(lib.randint(i(0), i(5), (i(3),)).shape) == (3,) and lib.randperm(i(4)).dtype == lib.int64
        assert lib.arange(i(5)).dtype == lib.int64  # an integer end: int64, as for a Python int


@pytest.mark.parametrize("kwargs", [{"bins": 5}, {"bins": 4, "range": (0.0, 2.0)}, {"bins": 3, "density": True},
                                    {"bins": 3, "weight": "w"}])
def test_histogram_as_pytorch(kwargs):
    x = np.random.default_rng(0).standard_normal(50)
    w = np.random.default_rng(1).random(50)
    ours = minigan.histogram(minigan.tensor(x), **{k: minigan.tensor(w) if v == "w" else v for k, v in kwargs.items()})
    theirs = torch.histogram(torch.tensor(x), **{k: torch.tensor(w) if v == "w" else v for k, v in kwargs.items()})
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-12)
        assert a.dtype == np.float64
    edges = np.array([-3.0, 0.0, 3.0])
    np.testing.assert_allclose(minigan.histogram(minigan.tensor(x), minigan.tensor(edges)).hist.numpy(),
                               torch.histogram(torch.tensor(x), torch.tensor(edges)).hist.numpy())


def test_histc_as_pytorch():
    x = np.random.default_rng(2).standard_normal(100).astype(np.float32)
    for kwargs in ({}, {"bins": 7}, {"bins": 4, "min": -1, "max": 1}):
        np.testing.assert_array_equal(minigan.histc(minigan.tensor(x), **kwargs).numpy(),
                                      torch.histc(torch.tensor(x), **kwargs).numpy())


def test_cross_as_pytorch_with_its_gradient():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal((4, 3)), rng.standard_normal((4, 3))
    for dim in (None, 1, -1):
        ma, mb = minigan.tensor(a, requires_grad=True), minigan.tensor(b, requires_grad=True)
        ta, tb = torch.tensor(a, requires_grad=True), torch.tensor(b, requires_grad=True)
        kw = {} if dim is None else {"dim": dim}
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            ours = minigan.cross(ma, mb, **kw)
            theirs = torch.cross(ta, tb, **kw)  # (PyTorch warns once a process)
        assert any("deprecated" in str(w.message) for w in seen) == (dim is None)
        np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)
        ours.sum().backward()
        theirs.sum().backward()
        np.testing.assert_allclose(ma.grad.numpy(), ta.grad.numpy(), rtol=1e-12)
    square = rng.standard_normal((3, 3))  # no dim: the first dimension of size 3, as PyTorch's default
    with pytest.warns(UserWarning, match="deprecated"):
        ours = minigan.cross(minigan.tensor(square), minigan.tensor(square.T)).numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.testing.assert_allclose(ours, torch.cross(torch.tensor(square), torch.tensor(square.T)).numpy(), rtol=1e-12)
    np.testing.assert_allclose(minigan.linalg.cross(minigan.tensor(square), minigan.tensor(square.T)).numpy(),
                               torch.linalg.cross(torch.tensor(square), torch.tensor(square.T)).numpy(), rtol=1e-12)


@pytest.mark.parametrize("name", ["relu_", "sigmoid_", "tanh_", "exp_", "clamp_", "zero_", "fill_"])
def test_the_free_in_place_forms_change_their_argument(name):
    x = np.array([-1.0, 0.5, 2.0])
    args = {"clamp_": (0.0, 1.0), "fill_": (3.0,)}.get(name, ())
    m, t = minigan.tensor(x), torch.tensor(x)
    assert getattr(minigan, name)(m, *args) is m and getattr(torch, name)(t, *args) is t
    np.testing.assert_allclose(m.numpy(), t.numpy(), rtol=1e-12)


def test_legacy_constructor_and_retain_grad_as_pytorch():
    for data in (np.ones(2), np.arange(3), np.array([True]), [1, 2]):
        assert minigan.Tensor(data).dtype == np.dtype(str(torch.Tensor(data).dtype).replace("torch.", ""))
    ints = minigan.tensor([1, 2])
    assert minigan.Tensor(ints).dtype == np.int64 == np.dtype(str(torch.Tensor(torch.tensor([1, 2])).dtype)[6:])
    assert minigan.Tensor(np.int64(2), 3).shape == (2, 3)
    y = minigan.tensor([1.0], requires_grad=True) * 2
    assert y.retain_grad() is None and torch.tensor([1.0], requires_grad=True).mul(2).retain_grad() is None


def test_tensor_methods_take_pytorchs_keywords():
    x = np.arange(6.0).reshape(2, 3)
    for lib in (minigan, torch):
        t = lib.tensor(x)
        copied = t.to(lib.float64, False, True)  # to(dtype, non_blocking, copy) by position
        assert copied is not t and copied.dtype == t.dtype and t.to(lib.float64) is t
        assert t.to(copy=True) is not t and t.float(memory_format=lib.contiguous_format).dtype == lib.float32
        assert tuple(t.transpose(dim0=0, dim1=1).shape) == (3, 2) and tuple(t.swapdims(0, 1).shape) == (3, 2)
        assert t.max(other=lib.zeros(2, 3, dtype=lib.float64)).tolist() == x.tolist()
        assert tuple(t.new_zeros(size=(4,)).shape) == (4,) and tuple(t.tile(dims=(2, 1)).shape) == (4, 3)
        assert t.clone(memory_format=lib.preserve_format).tolist() == x.tolist()
        assert t.float().norm(2, 1, False, lib.float64).dtype == lib.float64
    with pytest.raises(NotImplementedError, match="memory_format='channels_last' is not provided"):
        minigan.ones(2).float(memory_format="channels_last")
    with pytest.raises(NotImplementedError, match="sparse_grad=True is not provided"):
        minigan.gather(minigan.ones(2), 0, minigan.tensor([0]), sparse_grad=True)
    # scatter's reduce= (PyTorch's older scatter_reduce) runs: tests/pytorch/test_scatter_reduce_argument.py
    assert minigan.zeros(2, 2).scatter_(0, minigan.tensor([[0]]), 1.0, reduce="add").tolist() == [[1, 0], [0, 0]]


@pytest.mark.parametrize("call", [lambda t: t.ones(2, dtype=t.float64).norm(dtype=t.float32),
                                  lambda t: t.norm(t.ones(2, dtype=t.float64), dtype=t.float32),
                                  lambda t: t.linalg.vector_norm(t.ones(2, dtype=t.float64), dtype=t.float32),
                                  lambda t: t.linalg.matrix_norm(t.ones(2, 2, dtype=t.float64), dtype=t.float32)])
def test_a_norms_dtype_may_widen_not_narrow(call):
    for lib in (minigan, torch):
        with pytest.raises(RuntimeError, match="without narrowing"):
            call(lib)


def test_numpy_integers_for_schedulers_and_padding():  # (PyTorch's DataLoader refuses an np.int64 batch_size)
    n = np.int64
    for lib in (minigan, torch):
        opt = lib.optim.SGD([lib.zeros(1, requires_grad=True)], lr=0.1)
        assert lib.optim.lr_scheduler.StepLR(opt, step_size=n(2)).step_size == 2
        assert lib.optim.lr_scheduler.MultiStepLR(opt, milestones=[n(2), n(4)]).milestones[2] == 1
        assert tuple(lib.nn.functional.pad(lib.ones(2, 2), (n(1), n(1))).shape) == (2, 4)
