"""The nn surface against PyTorch: the record of every module class's repr is PyTorch's
(tests/pytorch/test_recorded_module_reprs.py compares minigan's with it, without PyTorch), the softmax modules' implicit
dim, InstanceNorm1d/2d as two classes with PyTorch's input checks, and two optimizer idioms
(zero_grad(set_to_none=False) in place, a single Tensor as a group's params).

(Its comparisons with PyTorch: tests/pytorch/test_nn_surface_repr.py.)"""

import pytest

from minigan import nn


def test_softmax_dim_must_be_an_int_or_none():
    with pytest.raises(TypeError, match="dim must be an int or None"):
        nn.Softmax(dim=1.0)


def test_instance_norm_without_bias_has_a_weight_only():
    for cls in (nn.InstanceNorm1d, nn.InstanceNorm2d):
        layer = cls(3, affine=True, bias=False)
        assert layer.bias is None and [n for n, _ in layer.named_parameters()] == ["weight"]
