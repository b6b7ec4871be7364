"""Torch-free statements of PyTorch's rules that minigan follows at special values (the comparisons with PyTorch are
in tests/pytorch/): var's gradient is (2 / (n - c)) * grad * (x - mean) with no term through the mean, sigmoid's
second order is one product, cdist's gradient at a zero distance ignores its upstream, the adaptive max pools take a
window's last NaN, binary_cross_entropy refuses a target outside [0, 1], and a non-tensor argument is refused with a
TypeError that is also an AttributeError."""

import math

import numpy as np
import pytest

import minigan

F = minigan.nn.functional


def test_var_gradient_has_no_term_through_the_mean():
    x = minigan.tensor([[1.5, math.inf], [-0.5, 0.5]], dtype=minigan.float64, requires_grad=True)
    with np.errstate(invalid="ignore"):
        (g,) = minigan.autograd.grad(x.var(1).sum(), x)
    # row 0: mean inf, x - mean = [-inf, NaN]; row 1: 2 * (x - mean) / 1
    assert g.tolist()[0][0] == -math.inf and math.isnan(g.tolist()[0][1])
    assert g.tolist()[1] == [-1.0, 1.0]


def test_a_constant_sample_has_variance_zero_and_std_gradient_zero():
    x = minigan.tensor([-0.6635351983040470] * 10, dtype=minigan.float64, requires_grad=True)
    assert x.var().item() == 0.0
    (g,) = minigan.autograd.grad(x.std(), x)
    assert not g.numpy().any()


def test_sigmoid_second_order_under_an_infinite_upstream_is_one_product():
    x = minigan.tensor([0.5, -2.0], dtype=minigan.float64, requires_grad=True)
    (g,) = minigan.autograd.grad(x.sigmoid(), x, minigan.tensor([math.inf, -math.inf], dtype=minigan.float64),
                                 create_graph=True)
    (h,) = minigan.autograd.grad(g.sum(), x)
    s = 1 / (1 + np.exp(-np.array([0.5, -2.0])))
    expected = np.array([math.inf, -math.inf]) * s * (1 - s) * (1 - 2 * s)  # gg·grad·σ'·(1 − 2σ): ±inf, not NaN
    assert h.tolist() == expected.tolist()


def test_cdist_gradient_at_a_zero_distance_is_zero_whatever_the_upstream():
    a = minigan.tensor([[0.5, 1.0], [2.0, -1.0]], dtype=minigan.float64, requires_grad=True)
    with np.errstate(all="ignore"):
        d = minigan.cdist(a, a)
        (g,) = minigan.autograd.grad(d, a, minigan.tensor([[math.nan, 1.0], [1.0, math.inf]], dtype=minigan.float64))
    # only the off-diagonal distances send gradient: (a_i - a_j) / |a_i - a_j|, twice (as x1 and as x2)
    u = (np.array([0.5, 1.0]) - np.array([2.0, -1.0])) / 2.5
    np.testing.assert_allclose(g.numpy(), [2 * u, -2 * u])


def test_adaptive_max_pool_takes_the_last_nan_of_a_window():
    x = minigan.tensor([[[1.0, math.nan, 2.0, math.nan, 0.5]]], dtype=minigan.float64, requires_grad=True)
    out, at = F.adaptive_max_pool1d(x, 1, return_indices=True)
    assert math.isnan(out.item()) and at.item() == 3
    (g,) = minigan.autograd.grad(out.sum(), x)
    assert g.tolist() == [[[0.0, 0.0, 0.0, 1.0, 0.0]]]


@pytest.mark.parametrize("target", [1.5, -0.25, math.nan, math.inf])
def test_binary_cross_entropy_refuses_a_target_outside_zero_one(target):
    p = minigan.tensor([0.4, 0.6], dtype=minigan.float64)
    with pytest.raises(RuntimeError, match="target"):
        F.binary_cross_entropy(p, minigan.tensor([0.5, target], dtype=minigan.float64))


def test_a_none_tensor_argument_is_a_type_error_and_an_attribute_error():
    for call in (lambda: F.mse_loss(None, minigan.ones(2)), lambda: minigan.tensordot(minigan.ones(2, 2), None)):
        with pytest.raises(TypeError) as raised:
            call()
        assert isinstance(raised.value, AttributeError) and "NoneType" in str(raised.value)
