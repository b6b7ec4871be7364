"""The version check of saved values, as the engine states it (no PyTorch): the walk checks what a node saved
before that node's backward runs, whether the backward reads it or not; records added after forward
(minigan/surface/saved.py's ``saves``) are checked the same way and never handed to the backward; and no backward
starts from a view with no history of its own (made under no_grad), which has no grad_fn.  PyTorch's autograd
documents the first ("in-place correctness checks": a tensor saved for backward and changed since raises a
RuntimeError)."""

import numpy as np
import pytest

import minigan
from minigan.engine.graph import Node, value
from minigan.surface.saved import saves


def leaf(values):
    return minigan.tensor(np.array(values, dtype=np.float64), requires_grad=True)


class _MaskOnly(Node):
    """2·a where a > 0, else 0, its mask kept from forward: the backward never reads the saved input."""

    def forward(self, a):
        self.save_for_backward(a)
        self.mask = a > 0
        return np.where(self.mask, 2 * a, 0.0)

    def backward(self, grad):  # d/da = 2 where a > 0
        return (np.where(self.mask, 2 * value(grad), 0.0),)


def test_a_saved_input_changed_in_place_is_refused_though_the_backward_never_reads_it():
    x = leaf([1.0, -2.0])
    a = x * 1
    y = _MaskOnly.apply(a)
    a.add_(0)  # (the values stay: only the version moves)
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()


def test_an_unchanged_saved_input_computes():
    x = leaf([1.0, -2.0])
    _MaskOnly.apply(x * 1).sum().backward()
    np.testing.assert_array_equal(x.grad.detach().numpy(), [2.0, 0.0])


def test_a_record_added_after_forward_is_checked_and_not_handed_to_backward():
    x, c = leaf([1.0, 2.0]), minigan.tensor([3.0, 4.0], dtype=minigan.float64)
    y = saves(x * 2, c)  # (Mul saves nothing of c: c is only watched)
    (g,) = minigan.autograd.grad(y.sum(), [x], create_graph=True)  # (under create_graph saved_tensors gives Tensors)
    np.testing.assert_array_equal(g.detach().numpy(), [2.0, 2.0])
    y = saves(x * 2, c)
    c.add_(0)
    with pytest.raises(RuntimeError, match="modified in place"):
        y.sum().backward()


def test_a_result_recorded_as_saved_refuses_a_later_change_to_it():
    x = leaf([1.0, 2.0])
    y = x * 2
    saves(y, y)
    y.add_(1)
    with pytest.raises(RuntimeError, match="its output"):
        y.sum().backward()


@pytest.mark.parametrize("of", ["leaf", "non-leaf"])
@pytest.mark.parametrize("make", [lambda v: v[1:], lambda v: v.reshape(-1), lambda v: v.split(1)[0],
                                  lambda v: v.unsqueeze(0)])
def test_no_backward_starts_from_a_view_made_under_no_grad(make, of):
    x = leaf([1.0, 2.0])
    v = x if of == "leaf" else x * 3
    with minigan.no_grad():
        w = make(v)
    assert w.requires_grad and w.grad_fn is None  # (it requires grad as its base does, with no history of its own)
    with pytest.raises(RuntimeError, match="no grad_fn"):
        w.backward(minigan.ones_like(w))
    with pytest.raises(RuntimeError, match="no grad_fn"):
        minigan.autograd.grad(w, [x], minigan.ones_like(w), allow_unused=True)
    (w * 2).sum().backward()  # (in a later op it is a constant: x gets no gradient through it)
    assert x.grad is None
