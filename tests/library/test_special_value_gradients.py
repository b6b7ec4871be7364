"""The derivatives of the losses with a kink at NaN, ±∞, the kinks and between, first and second order, against
their closed forms (PyTorch's formulas: huber_loss_backward and huber_loss_double_backward, smooth_l1's the same
over β): Huber's first derivative is −δ, d or δ by pieces (NaN at a NaN d), its second the mask |d| < δ (0 at a NaN
or infinite d).  (Its comparison with PyTorch: tests/pytorch/test_special_value_gradients.py.)"""

import numpy as np
import pytest

import minigan
import minigan.functional as F

INF, NAN = float("inf"), float("nan")
D = np.array([NAN, INF, -INF, 0.0, 0.25, -0.25, 0.5, -0.5, 1.0, -1.0, 2.0, -3.0, 1e300])


def _first_and_second(loss, kink):
    x = minigan.tensor(D.copy(), requires_grad=True)
    (g,) = minigan.autograd.grad(loss(x, minigan.zeros(len(D), dtype=minigan.float64), kink), x, create_graph=True)
    (gg,) = minigan.autograd.grad(g.sum(), x)
    return g.detach().numpy(), gg.numpy()


@pytest.mark.parametrize("kink", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("name", ["huber_loss", "smooth_l1_loss"])
def test_a_kinked_losss_derivatives_are_its_closed_forms(name, kink):
    if name == "huber_loss":
        loss, scale = (lambda x, y, k: F.huber_loss(x, y, reduction="sum", delta=k)), 1.0
    else:
        loss, scale = (lambda x, y, k: F.smooth_l1_loss(x, y, reduction="sum", beta=k)), 1.0 / kink
    with np.errstate(invalid="ignore"):
        first, second = _first_and_second(loss, kink)
        want_first = np.where(D <= -kink, -kink, np.where(D >= kink, kink, D)) * scale  # NaN at NaN
        want_second = (np.abs(D) < kink) * scale  # 0 at NaN and at ±∞
    np.testing.assert_allclose(first, want_first, rtol=1e-15)
    np.testing.assert_allclose(second, want_second, rtol=1e-15)


@pytest.mark.parametrize("p", [INF, -INF])
def test_an_infinity_norms_gradient_is_sgn_x_shared_among_the_entries_at_it_or_nan(p):
    # sgn(x)·[|x| = ‖x‖ or x is NaN] / (how many): with a NaN entry, 0 everywhere (sgn(NaN) = 0, the rest off the mask)
    for values, want in [([2.0, -2.0, 1.0] if p > 0 else [1.0, -1.0, 3.0], [0.5, -0.5, 0.0]),
                         ([NAN, 1.0, -2.0], [0.0, 0.0, 0.0]), ([INF, 1.0, -2.0] if p > 0 else [-INF, 1.0, 2.0],
                                                                [1.0, 0.0, 0.0] if p > 0 else [0.0, 1.0, 0.0])]:
        x = minigan.tensor(np.array(values), requires_grad=True)
        minigan.linalg.vector_norm(x, p).backward()
        np.testing.assert_array_equal(x.grad.numpy(), np.array(want))


def test_nan_to_nums_gradient_is_a_product_with_isfinite():
    # grad·isfinite(x): an ∞ gradient where x was NaN or ±∞ gives NaN there, a finite one 0
    x = minigan.tensor(np.array([NAN, INF, -INF, 1.0]), requires_grad=True)
    with np.errstate(invalid="ignore", over="ignore"):  # (the forward's largest float times ∞)
        (x.nan_to_num() * minigan.tensor(np.array([INF, 2.0, INF, 3.0]))).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.array([NAN, 0.0, NAN, 3.0]))
