"""A class the surface programs (tests/pytorch/surface_programs.py) found, checked without PyTorch: retain_grad still
retains a non-leaf's gradient (and is nothing on a leaf).

(Its comparisons with PyTorch: tests/pytorch/test_surface_classes.py.)"""

import numpy as np

import minigan


def test_retain_grad_still_retains():
    x = minigan.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    x.retain_grad()  # (a leaf: nothing to do, as PyTorch's)
    y.sum().backward()
    np.testing.assert_array_equal(y.grad.numpy(), [1.0, 1.0])
