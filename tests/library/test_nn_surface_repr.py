"""The nn surface's refusals and options without PyTorch: the softmax modules' dim must be an int or None, and an
InstanceNorm with affine=True, bias=False has a weight only.

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
