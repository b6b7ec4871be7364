"""One sample's scores (C,) with a label of shape (1,) (no PyTorch): nll_loss's forward reads the one label, a 0-d
loss −x[y]; its backward refuses with a RuntimeError unless C = 1, as PyTorch's (size mismatch); a 0-d label is
differentiated as usual.  (Against PyTorch: tests/pytorch/test_loss_edge_cases.py.)"""

import numpy as np
import pytest

import minigan


def test_a_one_element_label_runs_forward_and_is_refused_at_backward():
    x = minigan.tensor([0.2, -0.4, 0.9], dtype=minigan.float64, requires_grad=True)
    loss = minigan.nn.functional.nll_loss(x, minigan.tensor([2]))
    assert loss.shape == () and loss.item() == -0.9 and loss.requires_grad
    with pytest.raises(RuntimeError, match="one label as a 0-d tensor"):
        loss.backward()
    g, = minigan.autograd.grad(minigan.nn.functional.nll_loss(x, minigan.tensor(2)), [x])
    np.testing.assert_array_equal(g.numpy(), [0.0, 0.0, -1.0])


def test_one_class_takes_a_one_element_label_to_the_gradient():
    x = minigan.tensor([0.3], dtype=minigan.float64, requires_grad=True)
    g, = minigan.autograd.grad(minigan.nn.functional.nll_loss(x, minigan.tensor([0])), [x])
    np.testing.assert_array_equal(g.numpy(), [-1.0])
