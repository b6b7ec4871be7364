"""Attention's doors without PyTorch: nn.MultiheadAttention's bad arguments are refused in one line, and its dropout
acts in training only.

(Its comparisons with PyTorch: tests/pytorch/test_attention.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F

# PyTorch warns that a bool key_padding_mask beside a float attn_mask is deprecated there; both still combine
pytestmark = pytest.mark.filterwarnings("ignore:Support for mismatched key_padding_mask")


def test_bad_arguments_are_refused_in_one_line():
    with pytest.raises(ValueError, match="embed_dim=10 must be divisible by num_heads=4"):
        minigan.nn.MultiheadAttention(10, 4)
    attention = minigan.nn.MultiheadAttention(8, 2)
    x = minigan.randn(4, 2, 8)
    with pytest.raises(ValueError, match="is_causal=True is a hint"):
        attention(x, x, x, is_causal=True)
    with pytest.raises(minigan.ShapeError, match="got query"):
        attention(x, minigan.randn(4, 2, 6), x)
    with pytest.raises(ValueError, match="attn_mask or is_causal"):
        F.scaled_dot_product_attention(x, x, x, attn_mask=minigan.ones(4, 4).bool(), is_causal=True)


def test_dropout_acts_in_training_only():
    attention = minigan.nn.MultiheadAttention(8, 2, dropout=0.5)
    x = minigan.randn(4, 2, 8)
    first, second = attention(x, x, x)[0].detach().numpy(), attention(x, x, x)[0].detach().numpy()
    assert not np.allclose(first, second)
    attention.eval()
    assert np.array_equal(attention(x, x, x)[0].detach().numpy(), attention(x, x, x)[0].detach().numpy())
