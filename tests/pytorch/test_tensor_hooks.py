"""Tensor.register_hook against PyTorch (float64, the oracle): a hook sees the gradient with respect to its tensor and
may replace it (a leaf's once a backward, before .grad; a non-leaf's before the gradient goes on, and before
retain_grad keeps it); several run in the order registered; a handle removes one; autograd.grad and create_graph see
them too; a hook registered before an in-place change sees the gradient of the old value, as in PyTorch.

(Its torch-free tests: tests/engine/test_tensor_hooks.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


def _leaf_scaled(lib, x, seen):
    x.register_hook(lambda g: g * 3)
    x.register_hook(lambda g: seen.append(g.detach().numpy().copy()))  # sees the first hook's result
    return ((x * x).sum(), [x])


def _non_leaf(lib, x, seen):
    y = x.tanh()
    y.register_hook(lambda g: g + 1)
    y.retain_grad()
    return ((y * y).sum() + y.sum(), [x, y])


def _removed(lib, x, seen):
    handle = x.register_hook(lambda g: g * 100)
    handle.remove()
    with x.register_hook(lambda g: g * 100):
        pass  # removed at the end of the with block
    x.register_hook(lambda g: seen.append(g.detach().numpy().copy()))
    return ((x ** 3).sum(), [x])


def _before_in_place(lib, x, seen):
    y = x * 2
    y.register_hook(lambda g: seen.append(g.detach().numpy().copy()) or g * -1)  # on y's value before mul_
    y.mul_(3)
    return ((y * y).sum(), [x])


def _view(lib, x, seen):
    v = (x * 1)[0]
    v.register_hook(lambda g: g * 0.5)
    return (v.exp().sum() + x.sum(), [x])


def _reused(lib, x, seen):
    y = x.sin()
    y.register_hook(lambda g: seen.append(g.detach().numpy().copy()))  # once, with both uses' gradients summed
    return ((y * 2).sum() + (y * y).sum(), [x])


CASES = {"leaf_scaled": _leaf_scaled, "non_leaf": _non_leaf, "removed": _removed,
         "before_in_place": _before_in_place, "view": _view, "reused": _reused}


@pytest.mark.parametrize("name", sorted(CASES))
def test_backward_with_hooks_matches_pytorch(name):
    results = []
    for lib in (minigan, torch):
        x, seen = lib.tensor(X, requires_grad=True), []
        loss, tensors = CASES[name](lib, x, seen)
        loss.backward()
        results.append(([t.grad.detach().numpy() for t in tensors], seen))
    (ours, our_seen), (theirs, their_seen) = results
    for u, t in zip(ours, theirs):
        np.testing.assert_allclose(u, t, rtol=1e-12)
    assert len(our_seen) == len(their_seen)
    for u, t in zip(our_seen, their_seen):
        np.testing.assert_allclose(u, t, rtol=1e-12)


@pytest.mark.parametrize("create_graph", [False, True])
def test_autograd_grad_and_second_order_see_the_hooks(create_graph):
    results = []
    for lib in (minigan, torch):
        x = lib.tensor(X, requires_grad=True)
        y = x * x
        y.register_hook(lambda g, y=y: g * y)  # under create_graph, the hook's own op is differentiated too
        x.register_hook(lambda g: g - 1)
        (g,) = lib.autograd.grad(y.sum(), x, create_graph=create_graph)
        second = lib.autograd.grad(g.sum(), x)[0].detach().numpy() if create_graph else None
        results.append((g.detach().numpy(), second))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    if create_graph:
        np.testing.assert_allclose(results[0][1], results[1][1], rtol=1e-12)
