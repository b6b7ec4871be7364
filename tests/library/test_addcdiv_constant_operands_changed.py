"""addcdiv saves t1 only for t2's gradient, and t2 always (every gradient of PyTorch's node divides by it): with
only x requiring grad, t1 may be changed in place before backward and x's gradient is still 1, while a change to t2
is refused, as PyTorch refuses it (no PyTorch here; against PyTorch, over a family of ops:
tests/pytorch/test_saved_versions.py and tests/pytorch/test_saved_tensor_over_refusal.py)."""

import numpy as np
import pytest

import minigan


def _addcdiv_of_x():
    x = minigan.tensor([0.3, -1.2, 0.7], dtype=minigan.float64, requires_grad=True)
    t1 = minigan.tensor([0.6, 0.2, -0.9], dtype=minigan.float64)
    t2 = t1 * 2 + 3
    return x, t1, t2, minigan.addcdiv(x, t1, t2, value=0.5)


def test_addcdiv_numerator_changed_in_place_before_backward_is_not_read():
    x, t1, _, y = _addcdiv_of_x()
    t1.add_(0.25)
    g, = minigan.autograd.grad(y.sum(), [x])
    np.testing.assert_array_equal(g.numpy(), [1.0, 1.0, 1.0])


def test_addcdiv_denominator_changed_in_place_before_backward_is_refused():
    x, _, t2, y = _addcdiv_of_x()
    t2.mul_(2.0)
    with pytest.raises(RuntimeError, match="modified in place"):
        minigan.autograd.grad(y.sum(), [x])
