"""The doors of the activations, dropout, pools and vision functions, stated without PyTorch (closed forms and the
exception classes PyTorch's documentation and messages give); their comparisons with PyTorch itself are in
tests/pytorch/ (test_activation_arguments.py, test_dropout.py, test_pooling.py, ...)."""

import math

import numpy as np
import pytest

import minigan
import minigan.functional as F

NAN, INF = float("nan"), float("inf")


def test_hardtanh_in_place_clips_to_max_val_where_min_val_is_larger_and_the_function_refuses():
    x = minigan.tensor([-2.0, 0.0, 0.7, 3.0])
    assert F.hardtanh_(x.clone(), 2.0, 0.5).tolist() == [0.5] * 4  # min(max(x, 2), 0.5)
    with pytest.raises(ValueError):
        F.hardtanh(x, 2.0, 0.5)


@pytest.mark.parametrize("call", [lambda x: F.hardtanh(x, -1.0, NAN), lambda x: F.hardtanh(x, -INF, 1.0),
                                  lambda x: F.threshold(x, INF, 0.0), lambda x: F.threshold(x, 0.5, 1e30),
                                  lambda x: F.threshold(x, NAN, 1.0), lambda x: F.leaky_relu(x.float(), 1e300)])
def test_a_number_that_does_not_fit_the_inputs_dtype_is_a_runtime_error(call):
    with pytest.raises(RuntimeError, match="without overflow"):
        call(minigan.tensor([-3, 0, 4]))


def test_numbers_take_bools_as_0_and_1():
    x = minigan.tensor([-2.0, 3.0])
    assert F.leaky_relu(x, True).tolist() == [-2.0, 3.0] and F.threshold(x, False, True).tolist() == [1.0, 3.0]


def test_softplus_second_derivative_is_beta_sigma_prime_below_the_threshold_only():
    beta, threshold = 2.0, 2.0
    x = minigan.tensor([-1.0, 0.25, 1.0, 2.0], dtype=minigan.float64, requires_grad=True)  # βx = 2 at x = 1
    (g,) = minigan.autograd.grad(F.softplus(x, beta, threshold).sum(), x, create_graph=True)
    (gg,) = minigan.autograd.grad(g.sum(), x)
    s = 1 / (1 + np.exp(-beta * np.array([-1.0, 0.25, 1.0, 2.0])))
    expected = beta * s * (1 - s) * (beta * np.array([-1.0, 0.25, 1.0, 2.0]) < threshold)
    np.testing.assert_allclose(gg.numpy(), expected, rtol=1e-12)
    assert gg.numpy()[2] == 0  # (βx = threshold: the first derivative is σ there, the second 0, as PyTorch's)


def test_prelu_at_zero_takes_the_weight_then_its_second_order_mask_is_x_at_least_zero():
    x = minigan.tensor([-1.0, 0.0, 2.0], dtype=minigan.float64, requires_grad=True)
    w = minigan.tensor([0.3], dtype=minigan.float64, requires_grad=True)
    gx, gw = minigan.autograd.grad(F.prelu(x, w).sum(), (x, w), create_graph=True)
    assert gx.tolist() == [0.3, 0.3, 1.0] and gw.tolist() == [-1.0]  # (0 is not > 0: the weight's side)
    (cross,) = minigan.autograd.grad(gx.sum(), w)
    assert cross.tolist() == [1.0]  # only x = −1: the double backward's mask is x ≥ 0
    with pytest.raises(RuntimeError):
        F.prelu(minigan.randn(2, 3), minigan.randn(4))


def test_celu_alpha_zero_is_a_division_by_zero_and_in_place_negative_slopes_refuse_at_backward():
    with pytest.raises(ZeroDivisionError):
        F.celu(minigan.randn(3), 0.0)
    leaf = minigan.tensor([-1.0, 2.0], requires_grad=True)
    y = F.leaky_relu_(leaf.clone(), -0.5)  # the forward runs
    assert y.tolist() == [0.5, 2.0] and y.requires_grad
    with pytest.raises(RuntimeError, match="negative slope"):
        y.sum().backward()


def test_dropout_with_p_one_is_zeros_of_the_inputs_dtype_and_feature_dropout_runs_where_nothing_is_drawn():
    x = minigan.tensor([[1, 2], [3, 4]])
    y = F.dropout(x, 1.0)
    assert y.dtype == minigan.int64 and y.tolist() == [[0, 0], [0, 0]]
    with pytest.warns(UserWarning):
        assert F.dropout2d(minigan.tensor([1.0, 2.0]), 0.0) is not None
    with pytest.raises(RuntimeError), pytest.warns(UserWarning):
        F.dropout2d(minigan.tensor([1.0, 2.0]), 0.5)


def test_integer_average_pools_divide_in_integers_toward_zero():
    x = minigan.tensor([[[[-1, -2], [-3, -5]]]])
    assert F.avg_pool2d(x, 2).tolist() == [[[[math.trunc(-11 / 4)]]]] and F.avg_pool2d(x, 2).dtype == minigan.int64
    assert F.max_pool2d(x, 2).tolist() == [[[[-1]]]]
    with pytest.raises(NotImplementedError):
        F.max_pool2d(x.bool(), 2)


def test_hard_gumbel_softmax_with_tau_minus_infinity_is_one_hot_at_the_first_entry():
    y = F.gumbel_softmax(minigan.tensor([[1.0, 5.0, 2.0]]), tau=-INF, hard=True)
    assert y.tolist() == [[1.0, 0.0, 0.0]]  # (every soft entry equal: the first largest, as max(dim))


def test_pixel_shuffle_of_one_sample_is_the_batched_result_without_its_batch_axis():
    x = minigan.arange(2 * 8 * 3 * 3).reshape(2, 8, 3, 3)
    assert F.pixel_shuffle(x[0], 2).tolist() == F.pixel_shuffle(x, 2)[0].tolist()
    assert F.pixel_unshuffle(F.pixel_shuffle(x, 2), 2).tolist() == x.tolist()
