"""pow at the special inputs, in closed form: a number exponent of ±0.5 is sqrt or 1/sqrt, a tensor exponent C's pow.

x.pow(0.5) is sqrt(x): -0 at -0 and NaN at -inf.  x.pow(-0.5) is 1/sqrt(x): -inf at -0 and NaN at -inf (C's pow
would give +inf and +0 there).  The gradient 0.5 * x.pow(-0.5) is therefore -inf at -0 and NaN at -inf, and the
second order of x.pow(1.5) likewise.  A tensor exponent (a 0-d one too) is C's pow throughout (its Annex F):
pow(-inf, 0.5) is +inf and pow(-0, 0.5) is +0.
"""

import warnings

import numpy as np

import minigan

INF, NAN = float("inf"), float("nan")
X = [-INF, -1.0, -0.0, 0.0, 4.0, INF, NAN]


def _same(got, want):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    signed = ~np.isnan(want)  # (a NaN's sign bit is no part of its value)
    return np.array_equal(got, want, equal_nan=True) and np.array_equal(np.signbit(got[signed]),
                                                                       np.signbit(want[signed]))


def _first_and_second(f):
    x = minigan.tensor(X, dtype=minigan.float64, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = f(x)
        first, = minigan.autograd.grad(y.sum(), x, create_graph=True)
        second, = minigan.autograd.grad(first.sum(), x)
    return y.detach().numpy(), first.detach().numpy(), second.numpy()


def test_a_number_exponent_of_a_half_is_sqrt_and_its_gradient_reads_rsqrt():
    y, first, _ = _first_and_second(lambda x: x.pow(0.5))
    assert _same(y, [NAN, NAN, -0.0, 0.0, 2.0, INF, NAN])
    assert _same(first, [NAN, NAN, -INF, INF, 0.25, 0.0, NAN])  # 0.5 / sqrt(x)


def test_a_number_exponent_of_minus_a_half_is_one_over_sqrt():
    y, _, _ = _first_and_second(lambda x: x ** -0.5)
    assert _same(y, [NAN, NAN, -INF, INF, 0.5, 0.0, NAN])


def test_the_second_order_of_x_to_one_and_a_half_reads_rsqrt():
    _, first, second = _first_and_second(lambda x: minigan.pow(x, 1.5))
    assert _same(first, [NAN, NAN, -0.0, 0.0, 3.0, INF, NAN])  # 1.5 sqrt(x)
    assert _same(second, [NAN, NAN, -INF, INF, 0.375, 0.0, NAN])  # 0.75 / sqrt(x)


def test_a_tensor_exponent_is_cs_pow_throughout():
    for exponent in (minigan.tensor(0.5, dtype=minigan.float64), minigan.full((len(X),), 0.5, dtype=minigan.float64)):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = minigan.tensor(X, dtype=minigan.float64) ** exponent
        assert _same(y.numpy(), [INF, NAN, 0.0, 0.0, 2.0, INF, NAN]), exponent.shape
