"""Piecewise functions at their kinks, without PyTorch: relu's second derivative is 0 (not an error), hardtanh
refuses bounds in the wrong order, and sqrt keeps its infinite slope at 0.

(Its comparisons with PyTorch: tests/pytorch/test_rows.py, the kinks' calls and points.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F


def test_second_derivative_of_relu_is_zero_not_an_error():
    # what a learner tries first: d²relu/dx² = 0 wherever it exists
    x = minigan.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
    (d1,) = minigan.autograd.grad(F.relu(x).sum(), x, create_graph=True)
    (d2,) = minigan.autograd.grad(d1.sum(), x)
    assert d1.tolist() == [0.0, 0.0, 1.0, 1.0] and d2.tolist() == [0.0, 0.0, 0.0, 0.0]


def test_hardtanh_refuses_bounds_in_the_wrong_order():
    with pytest.raises(ValueError, match="min_val"):
        F.hardtanh(minigan.zeros(3), 1.0, -1.0)


def test_sqrt_itself_keeps_its_infinite_slope_at_zero():
    x = minigan.tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(divide="ignore"):  # NumPy warns of the 1/0 that PyTorch gives silently
        x.sqrt().sum().backward()
    assert x.grad.tolist() == [float("inf"), 0.25]  # as torch.sqrt: only std takes the slope at 0 as 0
