"""An autograd.Function that doubles its input in place (``ctx.mark_dirty``), without PyTorch: on a view of a
tensor with history, the base's gradient is the Function's (2) where the view lies and 1 elsewhere; on a leaf that
requires grad, or a view of one, the Function is refused with a RuntimeError.

(Its comparisons with PyTorch: tests/pytorch/test_custom_function.py.)"""

import pytest

import minigan


class DoubleInPlace(minigan.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        x.mul_(2)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 2


def test_a_view_marked_dirty_sends_its_base_gradient_through_the_function():
    x = minigan.ones(2, 3, dtype=minigan.float64, requires_grad=True)
    base = x * 1
    out = DoubleInPlace.apply(base[:, 1])
    (base.sum() + out.sum()).backward()  # base's column 1 is out: its gradient is 2 (from base) + 2 (from out)
    assert base.tolist() == [[1, 2, 1], [1, 2, 1]]
    assert x.grad.tolist() == [[1, 4, 1], [1, 4, 1]]


@pytest.mark.parametrize("of_view", [False, True], ids=["leaf", "view of a leaf"])
def test_a_leaf_marked_dirty_is_refused(of_view):
    x = minigan.ones(2, 3, requires_grad=True)
    with pytest.raises(RuntimeError, match="leaf"):  # (after forward ran, as PyTorch checks its outputs)
        DoubleInPlace.apply(x[0] if of_view else x)
    y = minigan.ones(2, 3, requires_grad=True)
    with minigan.no_grad():  # nothing recorded: the change is allowed, as in PyTorch
        DoubleInPlace.apply(y[0] if of_view else y)
    assert y.sum().item() == (9 if of_view else 12)
