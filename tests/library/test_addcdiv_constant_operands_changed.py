"""addcdiv saves only what a gradient reads (t1 for t2's gradient, t2 for t1's or t2's), as PyTorch's: with only x
requiring grad, t1 and t2 may be changed in place before backward, and x's gradient is still 1 (no PyTorch).
(Against PyTorch, over a family of ops: tests/pytorch/test_saved_tensor_over_refusal.py.)"""

import numpy as np

import minigan


def test_addcdiv_constant_operands_changed_in_place_before_backward():
    x = minigan.tensor([0.3, -1.2, 0.7], dtype=minigan.float64, requires_grad=True)
    t1 = minigan.tensor([0.6, 0.2, -0.9], dtype=minigan.float64)
    t2 = t1 * 2 + 3
    y = minigan.addcdiv(x, t1, t2, value=0.5)
    t1.add_(0.25)
    t2.mul_(2.0)
    g, = minigan.autograd.grad(y.sum(), [x])
    np.testing.assert_array_equal(g.numpy(), [1.0, 1.0, 1.0])
