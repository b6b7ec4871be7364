"""Torch-free statements of division's derivatives, rounded as written (tests/pytorch/test_rounding.py and
test_loss_edge_cases.py compare them with PyTorch's): IEEE division and multiplication are correctly
rounded, so a formula evaluated in NumPy in the same order gives the same bits.

* a / b: d/da = grad / b, d/db = -grad * ((a / b) / b), a/b first (b² may overflow where a/b/b does not);
* number / b: (1 / b) * number, and its derivative -(grad * number) * (r * r), r = 1 / b (reciprocal, then mul);
* soft_margin_loss's second derivative in x: y²·z/(1 + z)² for z = e^(-x·y), never the difference of the two
  cancelling terms a composition of exp and log1p gives (1e-17 of rounding noise where the value is 1e-19).
"""

import numpy as np
import pytest

import minigan

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-20, -1e20, 1e30, 3e38, 1e-45, 1e-38]


def _values(rng, n, dtype):
    v = rng.uniform(-2, 2, n)
    return np.where(rng.random(n) < 0.4, rng.choice(SPECIAL, n), v).astype(dtype)


def _same_bits(got, expected):
    nan = np.isnan(expected)
    return np.array_equal(np.isnan(got), nan) and np.array_equal(got[~nan], expected[~nan]) and \
        np.array_equal(np.signbit(got[~nan]), np.signbit(expected[~nan]))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_division_gradients_are_the_formula_as_written(dtype):
    rng = np.random.default_rng(5)
    av, bv, wv = (_values(rng, 200, dtype) for _ in range(3))
    a, b = minigan.tensor(av, requires_grad=True), minigan.tensor(bv, requires_grad=True)
    with np.errstate(all="ignore"):
        (a / b * minigan.tensor(wv)).sum().backward()
        assert _same_bits(a.grad.numpy(), wv / bv)
        assert _same_bits(b.grad.numpy(), -wv * ((av / bv) / bv))


@pytest.mark.parametrize("number", [2.5, 3, 1, -0.0])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_a_number_over_a_tensor_is_its_reciprocal_times_the_number(number, dtype):
    rng = np.random.default_rng(6)
    bv, wv = _values(rng, 200, dtype), _values(rng, 200, dtype)
    b = minigan.tensor(bv, requires_grad=True)
    with np.errstate(all="ignore"):
        out = number / b
        (out * minigan.tensor(wv)).sum().backward()
        r = 1 / bv
        assert _same_bits(out.detach().numpy(), r * np.asarray(number, dtype))
        assert _same_bits(b.grad.numpy(), -(wv * np.asarray(number, dtype)) * (r * r))
    assert out.grad_fn.name() == "MulBackward0" and out.grad_fn.next_functions[0][0].name() == "ReciprocalBackward0"


def test_soft_margin_loss_second_order_is_the_closed_form_where_its_terms_cancel():
    u = np.array([-700.0, -100.0, -30.0, -1.0, 0.0, 1.0, 30.0, 40.0, 60.0, 88.0, 300.0, 350.0])  # -x·y
    y = np.where(np.arange(u.size) % 2 == 0, 1.7, -0.6)
    x = minigan.tensor(-u / y, requires_grad=True)
    loss = minigan.nn.functional.soft_margin_loss(x, minigan.tensor(y), reduction="sum")
    (g,) = minigan.autograd.grad(loss, [x], create_graph=True)
    (h,) = minigan.autograd.grad(g.sum(), [x])
    s = np.exp(-np.abs(u))  # y²·z/(1 + z)² = y²·s/(1 + s)² with s = e^(-|u|): no overflow, no cancellation
    np.testing.assert_allclose(h.numpy(), y * y * s / (1 + s) ** 2, rtol=1e-13, atol=0)


@pytest.mark.parametrize("dtype, u", [("float32", 52.8), ("float32", 80.0), ("float64", 420.0), ("float64", 700.0)])
def test_soft_margin_loss_second_order_is_0_where_the_square_overflows(dtype, u):
    """(1 + z)² beyond the largest float: the formula's quotient is 0 (y²·z/∞), never y², which the cancelling terms
    gave when one of them rounded to 0 alone (3.09 for float32 x = 30, y = -1.76)."""
    y = np.array([-1.76], dtype=dtype)
    x = minigan.tensor((-u / y).astype(dtype), requires_grad=True)
    with np.errstate(over="ignore"):
        (g,) = minigan.autograd.grad(minigan.nn.functional.soft_margin_loss(x, minigan.tensor(y), reduction="none"),
                                     [x], grad_outputs=minigan.ones_like(x), create_graph=True)
        (h,) = minigan.autograd.grad(g.sum(), [x])
    assert h.numpy().tolist() == [0.0]
