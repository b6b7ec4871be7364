"""Division's gradient is PyTorch's formula, rounded as PyTorch rounds it.

d(a/b)/db = -a/b², which PyTorch computes as ``-grad * ((a / b) / b)`` (div_tensor_other_backward): a/b first, so
that b² never overflows, then divided by b again, then times the gradient; d(a/b)/da = ``grad / b``
(div_tensor_self_backward).  Another association (``(-grad * (a/b)) / b``) is the same number in exact arithmetic
but rounds otherwise, and where the two derivatives cancel (``x / x``, whose gradient is 0 in exact arithmetic)
PyTorch's rounding is what a learner sees.  IEEE division and multiplication are correctly rounded, so the same
formula gives the same bits: every division door, in float32 and float64, over broadcast shapes and the values
where a formula over- or underflows (b² beyond the largest float, a/b/b below the smallest), ±0, ±∞ and NaN, and
an incoming gradient holding them too, gives both inputs' gradients equal to PyTorch's to the last bit (the sign
of a zero included), and so does the gradient of those gradients (create_graph=True), which differentiates the
formula as written (its nodes made in PyTorch's order, b's gradient first, so that the contributions reaching one
value are summed in PyTorch's order: b / b * a's second order sums five into b's).
"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DOORS = {
    "a / b": lambda L, a, b: a / b,
    "a.div(b)": lambda L, a, b: a.div(b),
    "div(a, b)": lambda L, a, b: L.div(a, b),
    "div(a, b, rounding_mode=None)": lambda L, a, b: L.div(a, b, rounding_mode=None),
    "a.divide(b)": lambda L, a, b: a.divide(b),
    "divide(a, b)": lambda L, a, b: L.divide(a, b),
    "true_divide(a, b)": lambda L, a, b: L.true_divide(a, b),
    "a.true_divide(b)": lambda L, a, b: a.true_divide(b),
    "a * 1 / b": lambda L, a, b: a * 1 / b,
    "(a * 1).div_(b)": lambda L, a, b: (a * 1).div_(b),
    "(a * 1).true_divide_(b)": lambda L, a, b: (a * 1).true_divide_(b),
    "a / a": lambda L, a, b: a / a,
    "b / b * a": lambda L, a, b: b / b * a,
}

# (a broadcast operand's gradient is a sum; these sum at most 4 terms, which NumPy and PyTorch add in one order: a
# longer sum is added in the sum's own order, which is not division's to match, and is compared in its own tests)
SHAPES = [((64,), (64,)), ((3, 1), (4,)), ((), (2, 2)), ((2, 2), ()), ((2, 1, 3), (4, 1)), ((1, 4), (3, 1)),
          ((2, 2), (1,)), ((0, 3), (3,))]

# where something over- or underflows: b² (1e20 in float32, 1e160 in float64), a/b/b (1e-20, 1e-160), a subnormal
SPECIAL = {"float32": [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-20, -1e20, 1e30, 3e38, 1e-45, 1e-38],
           "float64": [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-160, -1e160, 1e300, 1.7e308, 5e-324, 1e-308]}


def _values(rng, shape, dtype, special):
    v = rng.uniform(-2, 2, size=shape)
    if special and v.size:
        where = rng.random(size=shape) < 0.4
        v = np.where(where, rng.choice(SPECIAL[dtype], size=shape), v)
    return np.asarray(v, dtype=dtype)


def _gradients(L, door, av, bv, wv, second):
    a, b = L.tensor(av, requires_grad=True), L.tensor(bv, requires_grad=True)
    out = DOORS[door](L, a, b)
    firsts = L.autograd.grad((out * L.tensor(wv)).sum(), [a, b], create_graph=second, allow_unused=True)
    if not second:
        return firsts
    live = [g.sum() for g in firsts if g is not None and g.requires_grad]
    return L.autograd.grad(sum(live), [a, b], allow_unused=True) if live else (None, None)


def _bits_equal(got, expected):
    """Equal to the last bit: the same values (NaN where NaN), and the same sign of each zero."""
    got, expected = np.asarray(got), np.asarray(expected)
    nan = np.isnan(expected)
    return got.dtype == expected.dtype and got.shape == expected.shape and np.array_equal(nan, np.isnan(got)) and \
        np.array_equal(got[~nan], expected[~nan]) and np.array_equal(np.signbit(got[~nan]), np.signbit(expected[~nan]))


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("door", list(DOORS))
def test_division_gradients_round_as_pytorchs(door, dtype, order):
    rng = np.random.default_rng(7)
    differ = []
    for shape_a, shape_b in SHAPES:
        out_shape = np.broadcast_shapes(shape_a, shape_b)
        for special in (False, True):
            av, bv = _values(rng, shape_a, dtype, special), _values(rng, shape_b, dtype, special)
            wv = _values(rng, out_shape if "a / a" not in door else shape_a, dtype, special)
            if door in ("a / a", "(a * 1).div_(b)", "(a * 1).true_divide_(b)") and out_shape != shape_a:
                continue  # (x / x has x's shape; an in-place result cannot take a broadcast shape)
            with np.errstate(all="ignore"):
                expected = _gradients(torch, door, av, bv, wv, order == 2)
                got = _gradients(minigan, door, av, bv, wv, order == 2)
            for name, e, g in zip("ab", expected, got):
                e = None if e is None else e.numpy()
                g = None if g is None else g.numpy()
                if (e is None) != (g is None) or (e is not None and not _bits_equal(g, e)):
                    differ.append(f"{shape_a} / {shape_b} special={special}: d/d{name} {g} vs PyTorch's {e}")
    assert not differ, f"{door} {dtype} order {order}: {len(differ)} differ\n" + "\n".join(differ[:6])


# A number divided by a tensor is PyTorch's Tensor.__rtruediv__, x.reciprocal() * number: its value (1/x first, then
# times the number, which rounds otherwise than number / x), its gradient (reciprocal's, -grad * (r * r), then mul's)
# and its nodes (MulBackward0 of ReciprocalBackward0)
NUMBER_DOORS = {
    "2.5 / b": lambda L, b: 2.5 / b,
    "3 / b": lambda L, b: 3 / b,
    "1 / b": lambda L, b: 1 / b,
    "-0.0 / b": lambda L, b: -0.0 / b,
    "np.float64(0.1) / b": lambda L, b: np.float64(0.1) / b,
    "b.reciprocal()": lambda L, b: b.reciprocal(),
    "reciprocal(b) * 7": lambda L, b: L.reciprocal(b) * 7,
    "(b * 1).reciprocal_()": lambda L, b: (b * 1).reciprocal_(),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("door", list(NUMBER_DOORS))
def test_a_number_over_a_tensor_is_pytorchs(door, dtype):
    rng = np.random.default_rng(11)
    differ = []
    for shape in [(64,), (2, 3), ()]:
        for special in (False, True):
            bv, wv = _values(rng, shape, dtype, special), _values(rng, shape, dtype, special)
            results = []
            with np.errstate(all="ignore"):
                for L in (torch, minigan):
                    b = L.tensor(bv, requires_grad=True)
                    out = NUMBER_DOORS[door](L, b)
                    (first,) = L.autograd.grad((out * L.tensor(wv)).sum(), [b], create_graph=True)
                    (second,) = L.autograd.grad(first.sum(), [b])
                    name = out.grad_fn.name()
                    results.append((out.detach().numpy(), first.detach().numpy(), second.numpy(), name))
            (*expected, expected_name), (*got, got_name) = results
            for what, g, e in zip(("value", "gradient", "second order"), got, expected):
                if not _bits_equal(g, e):
                    differ.append(f"{shape} special={special}: {what} {g} vs PyTorch's {e}")
            if got_name != expected_name:
                differ.append(f"{shape}: grad_fn {got_name} vs PyTorch's {expected_name}")
    assert not differ, f"{door} {dtype}: {len(differ)} differ\n" + "\n".join(differ[:6])
