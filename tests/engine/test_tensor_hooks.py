"""Tensor.register_hook against PyTorch (float64, the oracle): a hook sees the gradient with respect to its tensor and
may replace it (a leaf's once a backward, before .grad; a non-leaf's before the gradient goes on, and before
retain_grad keeps it); several run in the order registered; a handle removes one; autograd.grad and create_graph see
them too; a hook registered before an in-place change sees the gradient of the old value, as in PyTorch.

(Its comparisons with PyTorch: tests/pytorch/test_tensor_hooks.py.)"""

import pytest

import minigan


def test_bad_hooks_raise_clear_errors():
    with pytest.raises(RuntimeError, match="does not require grad"):
        minigan.tensor([1.0]).register_hook(print)
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.sum())
    with pytest.raises(minigan.ShapeError, match=r"register_hook: the hook returned a gradient of shape \(\) for a "
                                                 r"tensor of shape \(2,\)"):
        (x * 2).sum().backward()
