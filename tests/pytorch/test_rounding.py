"""Results and gradients rounded as PyTorch's kernels round them, bit for bit (tests/pytorch/sweep.py):

* division's gradient is PyTorch's formula: d(a/b)/db = ``-grad * ((a / b) / b)`` (div_tensor_other_backward: a/b
  first, so that b² never overflows, then divided by b again, then times the gradient), d(a/b)/da = ``grad / b``.
  Another association is the same number in exact arithmetic but rounds otherwise, and where the two derivatives
  cancel (``x / x``, whose gradient is 0 in exact arithmetic) PyTorch's rounding is what a learner sees.  IEEE
  division and multiplication are correctly rounded, so the same formula gives the same bits: every division door,
  float32 and float64, broadcast shapes, values where a formula over- or underflows (b² beyond the largest float,
  a/b/b below the smallest), ±0, ±∞ and NaN, in the incoming gradient too; both inputs' gradients (the sign of a
  zero included), and the gradient of those gradients, which differentiates the formula as written (its nodes made
  in PyTorch's order, b's gradient first, so that the contributions reaching one value are summed in PyTorch's
  order: b / b * a's second order sums five into b's).  A broadcast operand's gradient is a sum; these sum at most 4
  terms, which NumPy and PyTorch add in one order (a longer sum is the sum's own to match);
* a number divided by a tensor is PyTorch's Tensor.__rtruediv__, x.reciprocal() * number: its value (1/x first,
  then times the number, which rounds otherwise than number / x), its gradient (reciprocal's, -grad * (r * r), then
  mul's) and its nodes (MulBackward0 of ReciprocalBackward0);
* sigmoid's gradient: dσ/dx = σ(1 − σ), which PyTorch computes from the saved result as ``grad * (1 - σ) * σ``
  (sigmoid_backward's CPU kernel, scalar and vectorized alike), left to right; ``grad * σ * (1 - σ)`` rounds
  otherwise in about a third of the entries.  Where minigan's σ is PyTorch's to the last bit the same formula gives
  the same gradient, for every sigmoid door, an upstream holding ±0, ±∞ and NaN, and under create_graph (PyTorch's
  ``grad * grad_output * (-2σ + 1)`` for σ).  (σ itself is 1/(1 + e^−x) in PyTorch, whose exp is SLEEF's on a
  vectorized CPU path and the C library's on a scalar one; minigan's is computed otherwise, and the entries where the
  two σ differ are left out: docs/pytorch.md's rounding);
* the adaptive average pools: one running sum per window (its rows in turn, each row left to right), divided by the
  window's height and then by its width, so that float32 results agree to the last bit also where a window's values
  cancel (a difference of large numbers, where the error of another order shows); their gradients stay PyTorch's.
"""

import itertools
import zlib

import numpy as np
import pytest

from pytorch.sweep import bits, close, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DIVISIONS = {
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
SHAPES = [((64,), (64,)), ((3, 1), (4,)), ((), (2, 2)), ((2, 2), ()), ((2, 1, 3), (4, 1)), ((1, 4), (3, 1)),
          ((2, 2), (1,)), ((0, 3), (3,))]
# where something over- or underflows: b² (1e20 in float32, 1e160 in float64), a/b/b (1e-20, 1e-160), a subnormal
SPECIAL = {"float32": [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-20, -1e20, 1e30, 3e38, 1e-45, 1e-38],
           "float64": [0.0, -0.0, np.inf, -np.inf, np.nan, 1e-160, -1e160, 1e300, 1.7e308, 5e-324, 1e-308]}


def _values(rng, shape, dtype, special):
    v = rng.uniform(-2, 2, size=shape)
    if special and v.size:
        v = np.where(rng.random(size=shape) < 0.4, rng.choice(SPECIAL[dtype], size=shape), v)
    return np.asarray(v, dtype=dtype)


def _division(L, door, dtype, order, shapes, special):
    rng = np.random.default_rng(zlib.crc32(repr((door, dtype, order, shapes, special)).encode()))
    a, b = (L.tensor(_values(rng, s, dtype, special), requires_grad=True) for s in shapes)
    out = DIVISIONS[door](L, a, b)
    w = L.tensor(_values(rng, tuple(out.shape), dtype, special))
    grads = L.autograd.grad((out * w).sum(), [a, b], create_graph=order == 2, allow_unused=True)
    if order == 2:
        live = [g.sum() for g in grads if g is not None and g.requires_grad]
        grads = L.autograd.grad(sum(live), [a, b], allow_unused=True) if live else (None, None)
    return [None if g is None else bits(g.detach()) for g in grads]


test_division_gradients_round_as_pytorchs = sweep(_division, [
    (door, dtype, order, shapes, special) for door, dtype, order, shapes, special in itertools.product(
        DIVISIONS, ["float32", "float64"], [1, 2], SHAPES, [False, True])
    if not (door in ("a / a", "(a * 1).div_(b)", "(a * 1).true_divide_(b)")  # (x / x has x's shape; an in-place
            and np.broadcast_shapes(*shapes) != shapes[0])],  # result cannot take a broadcast shape)
    cover=[lambda door, dtype, order, shapes, special: (door, dtype, repr(shapes)),
           lambda door, dtype, order, shapes, special: (door, dtype, order)])
NUMBER_OVER = {
    "2.5 / b": lambda L, b: 2.5 / b,
    "3 / b": lambda L, b: 3 / b,
    "1 / b": lambda L, b: 1 / b,
    "-0.0 / b": lambda L, b: -0.0 / b,
    "np.float64(0.1) / b": lambda L, b: np.float64(0.1) / b,
    "b.reciprocal()": lambda L, b: b.reciprocal(),
    "reciprocal(b) * 7": lambda L, b: L.reciprocal(b) * 7,
    "(b * 1).reciprocal_()": lambda L, b: (b * 1).reciprocal_(),
}


def _number_over(L, door, dtype, shape, special):
    rng = np.random.default_rng(zlib.crc32(repr((door, dtype, shape, special)).encode()))
    b = L.tensor(_values(rng, shape, dtype, special), requires_grad=True)
    out = NUMBER_OVER[door](L, b)
    (first,) = L.autograd.grad((out * L.tensor(_values(rng, shape, dtype, special))).sum(), [b], create_graph=True)
    (second,) = L.autograd.grad(first.sum(), [b])
    return bits(out.detach()), bits(first.detach()), bits(second), out.grad_fn.name()


test_a_number_over_a_tensor_is_pytorchs = sweep(_number_over, list(itertools.product(
    NUMBER_OVER, ["float32", "float64"], [(64,), (2, 3), ()], [False, True])),
    cover=[lambda door, dtype, shape, special: (door, dtype, shape)])
SIGMOIDS = {
    "x.sigmoid()": lambda L, x: x.sigmoid(),
    "sigmoid(x)": lambda L, x: L.sigmoid(x),
    "F.sigmoid(x)": lambda L, x: L.nn.functional.sigmoid(x),
    "nn.Sigmoid()(x)": lambda L, x: L.nn.Sigmoid()(x),
    "(x * 1).sigmoid_()": lambda L, x: (x * 1).sigmoid_(),
}


def _sigmoid(L, door, n, create_graph):
    """σ's gradient for an upstream holding ±∞, NaN and -0.0 among its entries, and (under create_graph) the
    gradients of that gradient with respect to x and to the upstream, where σ is PyTorch's to the last bit."""
    rng = np.random.default_rng(n)
    x = np.concatenate([rng.normal(0, 1, n), rng.normal(0, 6, n), rng.normal(0, 1e-6, n)])
    up = rng.normal(0, 1, x.size)
    up[::97], up[1::97], up[2::97], up[3::97] = np.inf, -np.inf, np.nan, -0.0
    xt = L.tensor(x, dtype=L.float64, requires_grad=True)
    u = L.tensor(up, dtype=L.float64, requires_grad=create_graph)
    s = SIGMOIDS[door](L, xt)
    (g,) = L.autograd.grad(s, xt, u, create_graph=create_graph)
    seen = [bits(g.detach(), where=s.detach())]
    if create_graph:
        w = L.tensor(np.ascontiguousarray(up[::-1]), dtype=L.float64)
        seen += [bits(t, where=s.detach()) for t in L.autograd.grad(g, (xt, u), w)]
    return seen


# n = 2: 6 entries, PyTorch's scalar path; 3000: its vectorized one
test_sigmoid_gradient_has_pytorchs_bits_where_sigma_has = sweep(_sigmoid, list(itertools.product(
    SIGMOIDS, [2, 3000], [False, True])), ids=lambda door, n, create_graph: f"{door}-{n}-{create_graph}")


def _cancelling(rng, shape):
    """float32 values of mixed sizes (up to 10⁴) whose neighbours nearly cancel."""
    a = rng.standard_normal(shape) * 10.0 ** rng.integers(0, 5, size=shape)
    a[..., 1:] -= a[..., :-1] * (1 - 1e-3 * rng.random(shape[:-1] + (shape[-1] - 1,)))
    return a.astype(np.float32)


def _adaptive_pool(L, dims, seed):
    rng = np.random.default_rng([dims, seed])
    sizes = tuple(int(n) for n in rng.integers(1, 12, size=dims))
    out = tuple(int(rng.integers(2, n + 2)) if n > 1 else 2 for n in sizes)  # (larger than n too: overlapping)
    pool = L.nn.functional.adaptive_avg_pool1d if dims == 1 else L.nn.functional.adaptive_avg_pool2d
    return bits(pool(L.tensor(_cancelling(rng, (2, 3) + sizes)), out[0] if dims == 1 else out))


test_adaptive_avg_pool_float32_rounds_as_pytorchs = sweep(_adaptive_pool, list(itertools.product([1, 2], range(60))),
                                                          group=lambda dims, seed: f"{dims}-d, part {seed % 3}")


def _adaptive_pool_gradient(L, shape, size):
    """Each input's share 1/(kh·kw) of every window it is in, under create_graph."""
    rng = np.random.default_rng(3)
    x = L.tensor(rng.standard_normal(shape), requires_grad=True)
    y = (L.nn.functional.adaptive_avg_pool2d(x, size) * L.tensor(rng.standard_normal((2, 3) + size))).sum()
    return close(L.autograd.grad(y, x, create_graph=True)[0].detach(), 1e-12, 1e-12)


test_adaptive_avg_pool_gradients_are_pytorchs = sweep(_adaptive_pool_gradient, [
    ((2, 3, 7, 5), (3, 4)), ((2, 3, 6, 8), (3, 4)), ((2, 3, 5, 5), (7, 2))])
