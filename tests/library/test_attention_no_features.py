"""A torch-free statement of scaled_dot_product_attention with no features (E = 0) and of its zeros: with E = 0 every
score is 0, so each query weighs every value 1/S and gets their mean (whatever the scale), as PyTorch's math; no query
rows or no values give zeros of (…, L, Ev).  (tests/pytorch/test_attention.py compares with PyTorch.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as MF


@pytest.mark.parametrize("scale", [None, 2.0, -1.0])
def test_no_features_give_the_mean_of_the_values(scale):
    v = minigan.tensor(np.arange(12.0).reshape(2, 3, 2), requires_grad=True)
    out = MF.scaled_dot_product_attention(minigan.zeros(2, 4, 0, dtype=minigan.float64),
                                          minigan.zeros(2, 3, 0, dtype=minigan.float64), v, scale=scale)
    assert out.shape == (2, 4, 2)
    assert np.allclose(out.detach().numpy(), np.broadcast_to(v.detach().numpy().mean(1, keepdims=True), (2, 4, 2)))
    (g,) = minigan.autograd.grad(out.sum(), v)
    assert np.allclose(g.numpy(), 4 / 3)  # (each of the 4 queries weighs each value 1/3)


@pytest.mark.parametrize("shapes", [((0, 3), (4, 3), (4, 5)), ((2, 3), (0, 3), (0, 5)), ((2, 3), (4, 3), (4, 0))])
def test_no_query_rows_or_no_values_give_zeros_even_with_enable_gqa(shapes):
    q, k, v = (minigan.ones(s, dtype=minigan.float64) for s in shapes)
    out = MF.scaled_dot_product_attention(q, k, v, enable_gqa=True)
    assert out.shape == (shapes[0][0], shapes[2][1]) and not out.detach().numpy().any()
