"""Ordinary PyTorch idioms that a survey of tutorial and training code ran under both libraries, each compared
with PyTorch here: reductions with dim, keyword forms, dtype promotion, labels and losses, collation, saving,
NumPy views, gradient accumulation, decorators and exception classes.

(Its torch-free tests: tests/library/test_pytorch_idioms.py.)"""

import warnings

import numpy as np
import pytest

import minigan
import minigan.functional as F
from minigan.utils.data import default_collate

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _same(ours, theirs):
    assert str(ours.dtype) == str(theirs.dtype).replace("torch.", "minigan."), (ours.dtype, theirs.dtype)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("call", [
    lambda L, m: m.all(dim=1), lambda L, m: m.any(1), lambda L, m: L.any(m, dim=0),
    lambda L, m: L.all(m, 0, keepdim=True), lambda L, m: m.all(), lambda L, m: m.sum(),
    lambda L, m: m.to(L.uint8).sum(), lambda L, m: m.to(L.int8).sum(dim=0),
])
def test_bool_and_integer_reductions(call):
    m = np.array([[True, False], [True, True]])
    _same(call(minigan, minigan.tensor(m)), call(torch, torch.tensor(m)))


@pytest.mark.parametrize("call", [
    lambda L: L.zeros(size=(2, 3)), lambda L: L.ones(size=(2,)), lambda L: L.full((2,), 1),
    lambda L: L.full((2,), True), lambda L: L.full((2,), 1.5), lambda L: L.arange(6.0).reshape(2, 3).flip(dims=[1]),
    lambda L: L.sum(L.arange(6.0).reshape(2, 3), axis=0), lambda L: L.arange(6.0).reshape(2, 3).sum(1, dtype=L.float64),
    lambda L: L.mean(L.arange(6.0), dtype=L.float64), lambda L: L.cat([L.ones(2, 3), L.tensor([[1], [0]])], 1),
    lambda L: L.stack([L.ones(2), L.tensor([1, 2])]), lambda L: L.tensor([1, 5]).clamp(min=2.5),
    lambda L: L.tensor([1, 5]).clamp(min=2), lambda L: L.tensor([3, 1]).byte(),
    lambda L: L.nn.functional.one_hot(L.tensor([[0, 2], [1, 1]])),
    lambda L: L.nn.functional.one_hot(L.tensor([0, 2]), 4),
])
def test_constructors_keywords_and_promotion(call):
    _same(call(minigan), call(torch))


@pytest.mark.parametrize("case", ["ignored -100", "spatial", "spatial none", "one sample", "all ignored",
                                  "spatial probabilities"])
def test_cross_entropy_forms(case):
    rng = np.random.default_rng(0)
    logits = {"ignored -100": (3, 4), "spatial": (2, 3, 4, 5), "spatial none": (2, 3, 4), "one sample": (3,),
              "all ignored": (2, 3), "spatial probabilities": (2, 3, 4)}[case]
    x = rng.standard_normal(logits)
    classes = logits[0] if len(logits) == 1 else logits[1]
    if case == "spatial probabilities":
        y = rng.random(logits)
        y = y / y.sum(1, keepdims=True)
    else:
        y = rng.integers(0, classes, logits[:1] + logits[2:] if len(logits) > 1 else ())
        if case == "ignored -100":
            y[1] = -100
        if case == "all ignored":
            y[:] = -100
    kw = {"reduction": "none"} if case == "spatial none" else {}
    tx, mx = torch.tensor(x, requires_grad=True), minigan.tensor(x, requires_grad=True)
    t = torch.nn.functional.cross_entropy(tx, torch.tensor(y), **kw)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # (no NumPy warning, even when every label is ignored)
        m = F.cross_entropy(mx, minigan.tensor(y), **kw)
        w = rng.standard_normal(tuple(t.shape))
        (m * minigan.tensor(w)).sum().backward()
    (t * torch.tensor(w)).sum().backward()
    np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=1e-10, equal_nan=True)
    np.testing.assert_allclose(mx.grad.detach().numpy(), tx.grad.detach().numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ["mse_loss", "l1_loss", "smooth_l1_loss", "huber_loss"])
def test_regression_losses_broadcast_with_pytorchs_warning(name):
    a, b = np.random.default_rng(1).standard_normal((4, 1)), np.random.default_rng(2).standard_normal(4)
    with pytest.warns(UserWarning, match="Using a target size"):
        ours = getattr(F, name)(minigan.tensor(a), minigan.tensor(b))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(torch.nn.functional, name)(torch.tensor(a), torch.tensor(b))
    np.testing.assert_allclose(ours.detach().numpy(), theirs.detach().numpy(), rtol=1e-12)


def test_default_collate_keeps_strings_and_batches_bools():
    batch = [(np.ones(2, np.float32), "a.png", True, 3), (np.zeros(2, np.float32), "b.png", False, 4)]
    ours = default_collate(batch)
    theirs = torch.utils.data.default_collate(batch)
    assert ours[1] == theirs[1] == ("a.png", "b.png")
    for i in (0, 2, 3):
        _same(ours[i], theirs[i])


def test_numpy_shares_memory_and_grad_accumulates_in_place():
    for lib in (minigan, torch):
        t = lib.zeros(3)
        t.detach().numpy()[0] = 7
        assert t[0].item() == 7  # one memory, as torch.Tensor.numpy's
        w = lib.ones(2, requires_grad=True)
        (w * 2).sum().backward()
        held = w.grad
        (w * 3).sum().backward()
        assert held.tolist() == [5.0, 5.0] and w.grad is held  # added in place: a held .grad sees the sum


def test_shape_errors_are_runtime_errors_as_in_pytorch_and_empty_cache_runs():
    for lib in (minigan, torch):
        with pytest.raises(RuntimeError):
            lib.ones(2, 3) @ lib.ones(2, 3)
        with pytest.raises(RuntimeError, match="ambiguous"):
            bool(lib.tensor([1, 2]))
    minigan.cuda.empty_cache()  # (nothing to free without a GPU)


@pytest.mark.parametrize("call", [
    lambda L, a, b, c: L.baddbmm(a, b, c.transpose(1, 2), beta=0.5, alpha=2.0),
    lambda L, a, b, c: L.addbmm(a[0], b, c.transpose(1, 2)),
    lambda L, a, b, c: L.addmv(a[0, 0], b[0], c[0, 0], alpha=3.0),
    lambda L, a, b, c: L.addr(a[0], b[0, 0, :3], c[0, 0, :3]),
    lambda L, a, b, c: L.dist(b, c), lambda L, a, b, c: b.dist(c, p=1),
    lambda L, a, b, c: b.mT, lambda L, a, b, c: L.sum(b, axis=1, keepdims=True),
])
def test_product_composites_and_aliases(call):
    rng = np.random.default_rng(3)
    arrays = [rng.standard_normal((2, 3, 3)), rng.standard_normal((2, 3, 4)), rng.standard_normal((2, 3, 4))]
    ms = [minigan.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    m, t = call(minigan, *ms), call(torch, *ts)
    _same(m, t)
    m.sum().backward()
    t.sum().backward()
    for a, b in zip(ms, ts):
        if b.grad is not None:
            np.testing.assert_allclose(a.grad.detach().numpy(), b.grad.detach().numpy(), rtol=1e-10)


def test_sizes_in_bytes_default_dtype_and_loader_without_batching():
    for lib in (minigan, torch):
        x = lib.ones(3, 4)
        assert (x.element_size(), x.itemsize, x.nbytes) == (4, 4, 48)
        assert str(lib.get_default_dtype()).endswith("float32")
    data = minigan.utils.data.TensorDataset(minigan.arange(3.0), minigan.arange(3))
    items = list(minigan.utils.data.DataLoader(data, batch_size=None))
    theirs = list(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.arange(3.0), torch.arange(3)),
                                              batch_size=None))
    assert type(items[0]) is type(theirs[0]) is list and items[2][1].item() == theirs[2][1].item() == 2


@pytest.mark.parametrize("call", [
    lambda L: L.bincount(L.tensor([0, 2, 2, 5])), lambda L: L.bincount(L.tensor([0, 2, 2, 5]), minlength=8),
    lambda L: L.tensor([0, 2, 2, 5]).bincount(L.tensor([0.5, 1.0, 1.0, 2.0])),
    lambda L: L.bincount(L.tensor([0, 2, 2, 5]), weights=L.tensor([1, 2, 3, 4])),
    lambda L: L.histc(L.tensor([1.0, 2, 1, 4]), bins=4, min=0, max=3), lambda L: L.histc(L.tensor([1.0, 2, 1, 4]), 3),
    lambda L: L.tensor([3.0, 3.0]).histc(bins=4),
])
def test_counts_and_histograms(call):
    _same(call(minigan), call(torch))


@pytest.mark.parametrize("call", [
    lambda L, x: L.take(x, L.tensor([[0, 5], [11, 2]])), lambda L, x: x.take(L.tensor([3, 3, 0])),
    lambda L, x: L.take_along_dim(x, L.tensor([[0], [2], [1]]), dim=1),
    lambda L, x: L.take_along_dim(x, L.tensor([3, 0])),
    lambda L, x: L.take_along_dim(x, L.argsort(x, dim=1, descending=True)[:, :2], 1),
    lambda L, x: L.take_along_dim(x, L.tensor([[0, 1, 2, 0]]), dim=0),
    lambda L, x: x.index_put((L.tensor([0, 1, 1]),), L.tensor(5.0, dtype=x.dtype)),
    lambda L, x: x.index_put((L.tensor([0, 1, 1]), L.tensor([2, 3, 3])), L.tensor([1.0, 2.0, 3.0], dtype=x.dtype),
                             accumulate=True),
    lambda L, x: L.index_put(x, (L.tensor([0, 0]),), L.ones(2, 4, dtype=x.dtype), True),
    lambda L, x: x.index_put((x > 0,), L.tensor(0.0, dtype=x.dtype)),
    lambda L, x: (x * 1).index_put_((L.tensor([2, 2]), L.tensor([0, 0])), L.tensor(1.5, dtype=x.dtype),
                                    accumulate=True),
])
def test_take_and_index_put(call):
    x = np.random.default_rng(4).standard_normal((3, 4))
    tx, mx = torch.tensor(x, requires_grad=True), minigan.tensor(x, requires_grad=True)
    t, m = call(torch, tx), call(minigan, mx)
    _same(m, t)
    w = np.random.default_rng(5).standard_normal(tuple(t.shape))
    (t * torch.tensor(w)).sum().backward()
    (m * minigan.tensor(w)).sum().backward()
    np.testing.assert_allclose(mx.grad.detach().numpy(), tx.grad.detach().numpy(), rtol=1e-12)


def test_set_default_dtype_as_pytorchs():
    calls = [lambda L: L.tensor([1.5]), lambda L: L.zeros(2), lambda L: L.randn(2) * 0,
             lambda L: L.tensor([1, 2]) * 1.5, lambda L: L.nn.Linear(2, 1).weight.detach() * 0,
             lambda L: L.arange(3) / 2]
    try:
        for lib in (minigan, torch):
            lib.set_default_dtype(lib.float64)
        for call in calls:
            _same(call(minigan), call(torch))
        assert repr(minigan.tensor([1.5])) == repr(torch.tensor([1.5]))  # the default goes unnamed
        assert repr(minigan.tensor([1.5], dtype=minigan.float32)) == "tensor([1.5000], dtype=minigan.float32)"
        assert minigan.get_default_dtype() == minigan.float64
    finally:
        for lib in (minigan, torch):
            lib.set_default_dtype(lib.float32)
    assert minigan.tensor([1.5]).dtype == minigan.float32
    with pytest.raises(TypeError, match="only float32 or float64"):
        minigan.set_default_dtype(minigan.int64)


@pytest.mark.parametrize("call, shape, weight", [
    (lambda F, x, w: F.conv2d(x, w, padding=1), (3, 6, 7), (4, 3, 3, 3)),
    (lambda F, x, w: F.conv_transpose2d(x, w, stride=2), (3, 6, 7), (3, 4, 3, 3)),
    (lambda F, x, w: F.max_pool2d(x, 2), (3, 6, 7), None), (lambda F, x, w: F.avg_pool2d(x, 3, 2, 1), (3, 6, 7), None),
    (lambda F, x, w: F.adaptive_avg_pool2d(x, (2, 3)), (3, 6, 7), None),
    (lambda F, x, w: F.adaptive_max_pool2d(x, 3), (3, 6, 7), None),
    (lambda F, x, w: F.conv1d(x, w), (3, 9), (4, 3, 3)),
    (lambda F, x, w: F.conv_transpose1d(x, w, stride=2), (3, 9), (3, 4, 3)),
    (lambda F, x, w: F.max_pool1d(x, 2), (3, 9), None), (lambda F, x, w: F.avg_pool1d(x, 3), (3, 9), None),
    (lambda F, x, w: F.adaptive_avg_pool1d(x, 4), (3, 9), None),
    (lambda F, x, w: F.max_pool2d(x, 2, return_indices=True)[1], (3, 6, 7), None),
])
def test_image_layers_take_one_sample_without_a_batch_axis(call, shape, weight):
    rng = np.random.default_rng(6)
    x, w = rng.standard_normal(shape), None if weight is None else rng.standard_normal(weight)
    tx, mx = torch.tensor(x, requires_grad=True), minigan.tensor(x, requires_grad=True)
    t = call(torch.nn.functional, tx, None if w is None else torch.tensor(w))
    m = call(F, mx, None if w is None else minigan.tensor(w))
    _same(m, t)
    if t.dtype.is_floating_point:
        t.sum().backward()
        m.sum().backward()
        np.testing.assert_allclose(mx.grad.detach().numpy(), tx.grad.detach().numpy(), rtol=1e-12)
