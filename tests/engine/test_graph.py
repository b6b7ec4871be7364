"""Graph semantics: reuse and accumulation, depth, detach, no_grad, retain_graph, freeing."""

import gc
import weakref

import numpy as np
import pytest
from conftest import ulps

import minigan
import minigan.functional as F
from minigan.engine import backend
from minigan.engine.errors import GraphError


def t64(a, grad=True):  # minigan.tensor keeps float64 (minigan.Tensor(array), like torch.Tensor, makes float32)
    return minigan.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def g(t):
    return backend.asnumpy(t.grad)


def test_reused_leaf_accumulates(xp_backend):
    x = t64([1.0, 2.0, 3.0])
    y = (x * x + x * 3.0).sum()  # dy/dx = 2x + 3
    y.backward()
    np.testing.assert_allclose(g(x), [5.0, 7.0, 9.0])


def test_reused_non_leaf_accumulates_before_propagating(xp_backend):
    # b is used by three consumers; a's gradient must be the sum over all paths, counted once.
    a = t64([0.5, -1.0])
    b = a.exp()
    c = b * b + b * 2.0 + b  # dc/db = 2b + 3
    c.sum().backward()
    assert a.grad.dtype == minigan.float64
    # exp is within an ulp of e^x on any machine (not the same ulp on each), then 4 roundings: a few ulps apart
    np.testing.assert_allclose(g(a), (2 * np.exp([0.5, -1.0]) + 3) * np.exp([0.5, -1.0]), rtol=ulps(np.float64, 8))


def test_diamond_and_shared_subgraph(xp_backend):
    x = t64(2.0)
    h = x * x  # 4
    u, v = h * 3.0, h.log()
    out = u * v  # 3h·log h ; d/dx = (3 log h + 3)·2x
    out.backward()
    np.testing.assert_allclose(g(x), (3 * np.log(4.0) + 3) * 4.0)


def test_deep_chain_no_recursion_limit(xp_backend):
    x = minigan.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y * 1.0 + 0.0001
    y.sum().backward()
    assert g(x)[0] == pytest.approx(1.0)
    np.testing.assert_allclose(backend.asnumpy(y.array), [1.0 + 20_000 * 0.0001], rtol=1e-3)


def test_detach_blocks_gradient_but_not_values(xp_backend):
    # CS/DS 552: c = g(b.detach()) still forward-props from a, but no gradient reaches a.
    a = t64([1.0, 2.0])
    w = t64([3.0, 4.0])  # "f's parameter"
    b = a * w
    c = (b.detach() * 2.0).sum() + (a * 1.0).sum() * 0.0
    c.backward()
    np.testing.assert_allclose(backend.asnumpy(b.detach().array), [3.0, 8.0])
    assert w.grad is None
    np.testing.assert_allclose(g(a), [0.0, 0.0])
    d = b.detach()
    assert not d.requires_grad and d.is_leaf
    with minigan.no_grad():
        d.mul_(2.0)  # the same memory: b sees the change (and its version counter counts it)
    np.testing.assert_allclose(backend.asnumpy(b.array), [6.0, 16.0])


def test_no_grad_records_nothing(xp_backend):
    x = t64([1.0, 2.0])
    with minigan.no_grad():
        y = x * 2.0
        assert not minigan.is_grad_enabled()
    assert minigan.is_grad_enabled()
    assert not y.requires_grad and y.grad_fn is None
    with pytest.raises(GraphError, match="does not require grad"):
        y.sum().backward()

    @minigan.no_grad()
    def evaluate(t):
        return t * 3.0

    assert not evaluate(x).requires_grad


def test_graph_freed_after_backward_second_backward_raises(xp_backend):
    x = t64([1.0, 2.0])
    y = (x * x).sum()
    y.backward()
    with pytest.raises(GraphError, match="second time"):
        y.backward()


def test_retain_graph_allows_second_backward_and_accumulates(xp_backend):
    x = t64([1.0, 2.0])
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(g(x), [4.0, 8.0])


def test_grad_of_non_leaf_with_retain_grad(xp_backend):
    x = t64([1.0, 2.0])
    h = x * 3.0
    assert h.retain_grad() is None  # (as PyTorch's)
    (h * h).sum().backward()
    np.testing.assert_allclose(g(h), [6.0, 12.0])  # d(h²)/dh = 2h
    np.testing.assert_allclose(g(x), [18.0, 36.0])


def test_backward_from_non_leaf_with_explicit_grad(xp_backend):
    x = t64([[1.0, 2.0], [3.0, 4.0]])
    y = x * x
    y.backward(np.ones((2, 2)) * 0.5)
    np.testing.assert_allclose(g(x), backend.asnumpy(x.array))
    with pytest.raises(ValueError, match="shape"):
        (x * 2.0).backward(np.ones(3))


def test_backward_on_non_scalar_without_grad_raises(xp_backend):
    x = t64([1.0, 2.0])
    with pytest.raises(RuntimeError, match="explicit gradient"):
        (x * 2.0).backward()


def test_backward_on_constant_raises(xp_backend):
    with pytest.raises(RuntimeError, match="does not require grad"):
        minigan.tensor([1.0]).sum().backward()


def test_gradients_skip_inputs_that_do_not_need_them(xp_backend):
    w = t64([[1.0, 2.0]])
    x = t64([[3.0], [4.0]], grad=False)
    (w @ x).sum().backward()
    assert x.grad is None
    np.testing.assert_allclose(g(w), [[3.0, 4.0]])


def test_graph_releases_intermediates():
    x = t64(np.ones(1000))
    h = x * 2.0
    ref = weakref.ref(h)
    y = (h * h).sum()
    del h
    assert ref() is not None  # the graph holds it until backward
    y.backward()
    gc.collect()
    assert ref() is None


def test_leaf_grads_do_not_alias_each_other(xp_backend):
    a, b = t64([1.0, 2.0]), t64([3.0, 4.0])
    (a + b).sum().backward()
    a.grad += 1.0
    np.testing.assert_allclose(g(b), [1.0, 1.0])


def test_grad_is_plain_assignable_array(xp_backend):
    x = t64([1.0, 2.0])
    (x * x).sum().backward()
    x.grad = None
    (x * 3.0).sum().backward()
    np.testing.assert_allclose(g(x), [3.0, 3.0])


def test_float32_stays_float32_with_python_scalars(xp_backend):
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    y = ((x * 2.5 + 1) / 3.0 - 0.5) ** 2
    z = F.sigmoid(y).exp().log().sum() * 0.5
    assert y.dtype == np.float32 and z.dtype == np.float32
    z.backward()
    assert x.grad.dtype == np.float32


@np.errstate(all="ignore")
def test_detect_anomaly_names_op_and_user_line():
    x = minigan.tensor([0.0, 1.0], requires_grad=True)
    with pytest.raises(minigan.AnomalyError, match=r"Log.*test_graph.py"):
        with minigan.detect_anomaly():
            x.log()
    with minigan.detect_anomaly():  # the backward of sqrt at 0 is inf: caught in backward
        y = (x * 1.0).sqrt()
        with pytest.raises(minigan.AnomalyError, match="Sqrt: its backward"):
            y.sum().backward()
