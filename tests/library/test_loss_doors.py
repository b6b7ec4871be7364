"""The losses' doors without PyTorch: closed forms where an edge once gave NaN or another dtype, and the refusals
(with their built-in classes) that the table in minigan/functional/loss_doors.py states.

(Its comparisons with PyTorch: tests/pytorch/test_loss_doors.py.)"""

import math

import numpy as np
import pytest

import minigan
import minigan.functional as F

RNG = np.random.default_rng(0)


def _t(array, dtype="float64", requires_grad=False):
    return minigan.tensor(np.asarray(array).astype(dtype), requires_grad=requires_grad)


def test_huber_with_an_infinite_delta_is_half_the_square_and_its_gradient_the_difference():
    d = RNG.normal(size=(3, 4)) * 3
    x, y = _t(d, requires_grad=True), _t(np.zeros((3, 4)))
    loss = F.huber_loss(x, y, delta=math.inf)
    loss.backward()
    np.testing.assert_allclose(loss.item(), np.mean(0.5 * d * d), rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), d / d.size, rtol=1e-12)


def test_huber_is_in_the_inputs_dtype_and_its_backward_refuses_a_target_of_another():
    x = _t(RNG.normal(size=5), "float32", requires_grad=True)
    loss = F.huber_loss(x, _t(RNG.normal(size=5), "float64"), reduction="none")
    assert loss.dtype == minigan.float32 and loss.requires_grad
    with pytest.raises(RuntimeError, match="one dtype"):
        loss.sum().backward()
    with pytest.raises(RuntimeError):  # an integer input cannot hold the floating loss
        F.huber_loss(_t([1, 2], "int64"), _t([0.5, 1.5]))


def test_multilabel_soft_margin_divides_by_the_inputs_classes_when_the_target_broadcasts():
    x, y = RNG.normal(size=4), RNG.uniform(size=(3, 4))  # the loss is (3, 4); the classes are the input's 4
    per = -(y * np.log(1 / (1 + np.exp(-x))) + (1 - y) * np.log(1 / (1 + np.exp(x))))
    got = F.multilabel_soft_margin_loss(_t(x), _t(y), reduction="sum")
    np.testing.assert_allclose(got.item(), per.sum(0).sum() / 4, rtol=1e-12)
    with pytest.raises(IndexError):  # a 0-d input has no class dimension
        F.multilabel_soft_margin_loss(_t(0.5), _t(1.0))


def test_pairwise_distance_takes_p_0_and_minus_infinity_and_the_promoted_dtype():
    a, b = np.array([[1.0, 2.0, 3.0], [0.5, 0.5, 0.5]]), np.array([[1.0, 0.0, 5.0], [0.5, 1.5, 0.0]])
    d = a - b + 1e-6
    np.testing.assert_allclose(F.pairwise_distance(_t(a), _t(b), p=0).numpy(), (d != 0).sum(1))
    np.testing.assert_allclose(F.pairwise_distance(_t(a), _t(b), p=-math.inf).numpy(), np.abs(d).min(1))
    assert F.pairwise_distance(_t(a, "float32"), _t(1.0)).dtype == minigan.float32  # (a 0-d operand never widens)
    assert F.pairwise_distance(_t([[1, 2]], "int64"), _t([[0, 0]], "int64")).dtype == minigan.float32


def test_soft_margin_overflows_as_its_formula_and_gaussian_nll_keeps_an_infinite_variance():
    x = _t([-800.0, 0.0, 800.0])
    np.testing.assert_array_equal(F.soft_margin_loss(x, _t([1.0, 1.0, 1.0]), reduction="none").numpy(),
                                  [math.inf, math.log(2), 0.0])  # log1p(exp(−x·y)), as PyTorch computes it
    loss = F.gaussian_nll_loss(_t([1.0, 2.0]), _t([0.0, 0.0]), _t([math.inf, 1.0]), reduction="none")
    np.testing.assert_allclose(loss.numpy(), [math.inf, 0.5 * 4])


def test_integer_losses_sum_exactly_and_refuse_a_mean():
    x, y = _t([[3, -2], [0, 7]], "int64"), _t([[1, 1], [1, 1]], "int64")
    total = F.l1_loss(x, y, reduction="sum")
    assert total.dtype == minigan.int64 and total.item() == 2 + 3 + 1 + 6
    with pytest.raises(RuntimeError):  # (PyTorch's mean() takes no integers)
        F.l1_loss(x, y)
    hinge = F.hinge_embedding_loss(_t([-3, 5, 0], "int64"), _t([-1.0, -1.0, -1.0]), margin=-1.5, reduction="none")
    np.testing.assert_array_equal(hinge.numpy(), [2, 0, 0])  # the margin truncated to the input's dtype: −1


@pytest.mark.parametrize("call, error", [
    (lambda: F.l1_loss(_t([1.0, 2.0]), _t([True, False], "bool")), RuntimeError),
    (lambda: F.margin_ranking_loss(_t([1.0]), _t([2.0]), _t([True], "bool")), RuntimeError),
    (lambda: F.pairwise_distance(_t([[1.0, 2.0]]), _t([[True, False]], "bool")), RuntimeError),
    (lambda: F.nll_loss(_t([[0.1, 0.9]]), _t([1], "int64"), weight=_t([1.0, 2.0], requires_grad=True)), RuntimeError),
    (lambda: F.soft_margin_loss(_t([0.5]), _t([1.0], requires_grad=True)), RuntimeError),
    (lambda: F.margin_ranking_loss(_t([[1.0]]), _t([2.0]), _t([1.0])), RuntimeError),
    (lambda: F.triplet_margin_loss(_t([[1.0]]), _t([[1.0]]), _t([1.0])), RuntimeError),
    (lambda: F.triplet_margin_loss(_t([[1.0]]), _t([[1.0]]), _t([[1.0]]), margin=0.0), ValueError),
    (lambda: F.cosine_embedding_loss(_t([1.0, 2.0]), _t([2.0, 1.0]), _t([1.0])), RuntimeError),
    (lambda: F.binary_cross_entropy(_t([0.5], "float32"), _t([1.0])), RuntimeError),
    (lambda: F.nll_loss(_t([[True, False]], "bool"), _t([0, 1], "int64")), ValueError),  # sizes before the dtype
], ids=["l1 bool", "margin_ranking bool target", "pairwise bool", "nll weight requires grad",
        "soft_margin target requires grad", "margin_ranking dimensions", "triplet dimensions", "triplet margin 0",
        "cosine_embedding 1-d target", "bce two dtypes", "nll batch before dtype"])
def test_each_refusal_has_pytorchs_class(call, error):
    with pytest.raises(error):
        call()


def test_a_weight_requiring_grad_is_taken_under_no_grad():
    with minigan.no_grad():
        loss = F.nll_loss(_t([[0.1, 0.9]]), _t([1], "int64"), weight=_t([1.0, 2.0], requires_grad=True))
    np.testing.assert_allclose(loss.item(), -0.9)


def test_refusals_that_wait_for_the_backward():
    x = _t([0.5, -1.0], requires_grad=True)
    loss = F.soft_margin_loss(x, _t([True, False], "bool"))  # the forward runs; the backward negates the bool target
    assert loss.requires_grad
    with pytest.raises(RuntimeError, match="bool"):
        loss.backward()
    loss = F.smooth_l1_loss(x, _t([True, False], "bool"))  # differentiated once, refused the second time
    (g,) = minigan.autograd.grad(loss, x, create_graph=True)
    np.testing.assert_allclose(g.detach().numpy(), [-0.25, -0.5])
    with pytest.raises(RuntimeError, match="second derivative"):
        minigan.autograd.grad(g.sum(), x)


def test_cosine_similarity_clamps_a_small_norm_by_value_only():
    a, b, eps = np.array([[1e-9, 2e-9, 0.0]]), np.array([[1.0, 0.5, 2.0]]), 1e-8
    x = _t(a, requires_grad=True)
    F.cosine_similarity(x, _t(b), eps=eps).sum().backward()
    n1, n2 = np.linalg.norm(a), np.linalg.norm(b)  # ‖x1‖ < eps: the value uses eps, the gradient x1/‖x1‖ too
    expected = b / (eps * n2) - (a * b).sum() / (eps * eps * n2) * a / n1
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-10)
