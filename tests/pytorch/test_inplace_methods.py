"""In-place Tensor methods against PyTorch where a record cannot say it (tests/pytorch/test_recorded_inplace_methods.py
compares every in-place method's values, gradients, refusals and integer results with PyTorch's recorded answers,
without PyTorch; that the record is PyTorch's: tests/pytorch/test_records_are_pytorchs.py): PyTorch still has no
derivative for the in-place forms of acosh, asinh and atanh, a partly overlapping operand is refused, floor_divide_ has
no derivative, and detach_ and zero_grad of a gradient with a graph behave as PyTorch's.
"""

import numpy as np
import pytest

import minigan
from pytorch.test_recorded_inplace_methods import TORCH_HAS_NO_DERIVATIVE, _recorded

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def test_pytorch_has_no_derivative_for_the_in_place_forms_of_acosh_asinh_atanh():
    for name in TORCH_HAS_NO_DERIVATIVE:  # (once PyTorch has one, minigan's should follow: no_derivative.py)
        for view in (False, True):
            assert _recorded(torch, name, view) == ("raised in backward", "NotImplementedError"), (name, view)


def test_partly_overlapping_operand_is_refused_as_in_pytorch():
    for lib in (minigan, torch):
        x = lib.tensor(np.arange(6.0))
        with pytest.raises(RuntimeError):
            x[1:].lerp_(x[:-1], 0.5)
        x[1:].lerp_(x[:-1].clone(), 0.5)  # a copy is fine


def test_floor_divide_in_place_has_pytorchs_values_and_no_derivative():
    a = np.array([5.0, -7.0, 9.5])
    for lib in (minigan, torch):
        x = lib.tensor(a)
        x //= 2
        assert x.tolist() == [2.0, -4.0, 4.0]
    for lib in (minigan, torch):  # recorded, it runs; the backward that reaches it raises ("not implemented")
        leaf = lib.tensor(a, requires_grad=True)
        y = leaf * 1
        y.floor_divide_(2)
        assert y.tolist() == [2.0, -4.0, 4.0] and y.requires_grad
        with pytest.raises(RuntimeError, match="floor_divide_"):
            (y * leaf).sum().backward()


def test_detach_in_place_and_zero_grad_of_a_gradient_with_a_graph():
    for lib in (minigan, torch):
        w = lib.ones(2, requires_grad=True)
        (w**3).sum().backward(create_graph=True)
        g = w.grad
        assert g.grad_fn is not None
        lib.optim.SGD([w], lr=0.1).zero_grad(set_to_none=False)
        assert g is w.grad and w.grad.grad_fn is None and not w.grad.requires_grad and w.grad.tolist() == [0, 0]
        y = lib.ones(3, requires_grad=True) * 2
        assert y.detach_() is y and not y.requires_grad and y.is_leaf
        with pytest.raises(RuntimeError):
            (lib.ones(3, requires_grad=True) * 2)[1:].detach_()  # a view
