"""Tensor.register_hook's refusals: a hook on a tensor that does not require grad (RuntimeError), and a hook that
returns a gradient of another shape (a one-line error naming both shapes).

(Its comparisons with PyTorch: tests/pytorch/test_autograd_hooks.py.)"""

import pytest

import minigan


def test_bad_hooks_raise_clear_errors():
    with pytest.raises(RuntimeError, match="does not require grad"):
        minigan.tensor([1.0]).register_hook(print)
    x = minigan.tensor([1.0, 2.0], requires_grad=True)
    x.register_hook(lambda g: g.sum())
    with pytest.raises(minigan.ShapeError, match=r"register_hook: the hook returned a minigan.float32 gradient of "
                                                 r"shape \(\) for a minigan.float32 tensor of shape \(2,\)"):
        (x * 2).sum().backward()
