"""cdist against PyTorch float64 (tests/pytorch/sweep.py; its values and gradients beside tensordot's, diag's and
meshgrid's: tests/pytorch/test_grids_and_distances.py):

* by PyTorch's matrix-product algorithm (compute_mode='use_mm_for_euclid_dist', or more than 25 rows by default):
  sqrt(max(|a|² + |b|² - 2 a·b, 1e-30)), whose clamp gives a zero distance a finite gradient at every order, as a
  gradient penalty through pairwise distances needs (the direct 2-norm's second order there is NaN);
* its gradient at a zero distance is PyTorch's kernels' whatever the upstream gradient there: 0 for p in (0, 1) and
  p > 1 (``dist == 0 ? 0 : ...``, so a NaN or ±inf upstream, as sqrt(|cdist(x, x)|) sends back on the diagonal, is
  not multiplied into 0 · NaN), and grad · sign(diff) for p = 1 and inf (NaN there): every p, both algorithms,
  upstreams with NaN and ±inf at zero and at nonzero distances;
* its nodes read what PyTorch's read: x1 and x2 as they are when backward runs (a write through ``.data`` after the
  forward is seen) and the distances forward found.  PyTorch's direct algorithm (_cdist_forward, every p) and its
  matrix-product one (_euclidean_dist, p = 2 for many rows or when compute_mode asks) each save x1, x2 and their
  result; the first is differentiated once (a second order refuses), the second to any order: p 0, 0.5, 1, 1.5, 2, 3
  and ∞ by the three compute modes by few rows and many, with nothing written, x1 written or x2 written through
  .data (+0.25) after the forward, on distinct rows and on rows with a zero distance and a zero difference, at first
  and second order;
* the dtypes it takes, in its checks' order (columns, floating dtypes, p, one dtype, then the direct kernel's
  float16): every mode and p by dtype pairs by empty or not; an empty input is not computed (x1's dtype).
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.sweep import close, sweep, to_second_order

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

MODES = ["use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"]
PS = [0.0, 0.5, 1.0, 1.5, 2.0, 3.0, math.inf]


def _by_mm(L, rows, mode, batch):
    rng = np.random.default_rng(rows + len(batch))
    # quarters: |a|² + |b|² - 2 a·b is exact, so two equal rows are at distance 0 in both libraries (with other values
    # the cancellation leaves a rounding of either sign, which each library's own order of sums decides)
    X = rng.integers(-8, 8, batch + (rows, 3)) / 4
    Y = np.concatenate([X[..., :2, :], rng.integers(-8, 8, batch + (3, 3)) / 4], axis=-2)  # two rows equal
    x, y = L.tensor(X, requires_grad=True), L.tensor(Y, requires_grad=True)
    d = L.cdist(x, y, compute_mode=mode)
    gx, gy = L.autograd.grad((d * d.detach().cos()).sum(), (x, y), create_graph=True)
    hx, hy = L.autograd.grad((gx * gx).sum() + (gy ** 3).sum(), (x, y))
    orders = [t.detach() for t in (d, gx, gy, hx, hy)]
    assert all(t.isfinite().all() for t in orders), "a zero distance's gradient is finite at every order"
    return [close(t, 1e-6, 1e-5) for t in orders]


test_zero_distances_by_the_matrix_product_as_pytorchs = sweep(_by_mm, [
    (rows, mode, batch) for rows, mode in [(4, "use_mm_for_euclid_dist"), (30, "use_mm_for_euclid_dist_if_necessary")]
    for batch in [(), (2,)]])


def _zero_distance(L, p, mode, special, same):
    rng = np.random.default_rng(3)
    a = rng.standard_normal((4, 3)).round(2)
    b = a[[2, 0, 1]] if same else rng.standard_normal((3, 3)).round(2)  # b's rows 1, 2 are a's rows 0, 1
    x, y = (L.tensor(v, dtype=L.float64, requires_grad=True) for v in (a, b))
    upstream = np.random.default_rng(1).standard_normal((4, 3))
    upstream[[0, 1, 3], [1, 2, 0]] = special  # (0, 1) and (1, 2): zero distances when ``same``
    out = L.cdist(x, y, p=p, compute_mode=mode)
    return [close(g, 1e-7, 1e-9) for g in L.autograd.grad(out, (x, y), L.tensor(upstream, dtype=L.float64))]


test_cdist_gradient_at_a_zero_distance_whatever_the_upstream = sweep(_zero_distance, list(itertools.product(
    PS, MODES, [np.nan, np.inf, -np.inf], (True, False))), group=lambda p, *case: p)


def _reads(L, p, mode, written, rows, order, touching):
    """The leaves' gradients of Σ w·cdist at ``order``, after ``written`` (0: x1, 1: x2) was changed through .data."""
    rng = np.random.default_rng(3)
    a, b = np.round(rng.normal(size=(rows, 3)), 2), np.round(rng.normal(size=(4, 3)), 2)
    if touching:  # (a zero distance, and one difference of 0)
        b[0], b[1, 0] = a[0], a[1, 0]
    x1, x2 = (L.tensor(v, dtype=L.float64, requires_grad=True) for v in (a, b))
    out = L.cdist(x1, x2, p=p, compute_mode=mode)
    if written is not None:
        (x1, x2)[written].data.add_(0.25)
    weight = L.tensor(np.random.default_rng(7).normal(size=tuple(out.shape)), dtype=L.float64)
    grads = L.autograd.grad((out * weight).sum(), [x1, x2], create_graph=order > 1)
    if order > 1:
        grads = L.autograd.grad(sum((g * g).sum() for g in grads), [x1, x2], allow_unused=True)
    return [None if g is None else close(g.detach(), 1e-9, 1e-12) for g in grads]


test_cdist_reads_x1_and_x2_when_backward_runs = sweep(_reads, list(itertools.product(
    [0, 0.5, 1, 1.5, 2, 3, math.inf], MODES, [None, 0, 1], [2, 30], [1, 2], [False, True])), every=17)
DTYPES = [("int64", "int64"), ("float32", "float64"), ("float64", "float32"), ("int64", "float64"),
          ("float64", "int64"), ("float16", "float16"), ("bool", "bool"), ("float32", "float32")]


def _dtypes(L, mode, p, dtypes, columns, rows):
    out = L.cdist(L.ones(rows, 3, dtype=getattr(L, dtypes[0])), L.ones(2, columns, dtype=getattr(L, dtypes[1])), p=p,
                  compute_mode=mode)
    return str(out.dtype).split(".")[-1], tuple(out.shape), out._base is not None


test_cdist_takes_the_dtypes_pytorchs_takes = sweep(_dtypes, [
    (mode, p, dtypes, *cr) for mode in ["use_mm_for_euclid_dist", "donot_use_mm_for_euclid_dist"] for p in [2, 1, -1]
    for dtypes in DTYPES for cr in [(3, 0), (3, 2), (4, 2)]])


def _orders(L, p, dtype):
    """cdist takes the orders PyTorch's takes (the values and refusals of its p; its kernel and gradients: above)."""
    rng = np.random.default_rng(2)
    a, b = np.round(rng.normal(size=(2, 3, 4)) * 3), np.round(rng.normal(size=(2, 5, 4)) * 3)
    return to_second_order(L, lambda L, x, y: L.cdist(x.detach(), y.detach(), p=p), [a, b], [dtype, dtype])


test_cdist_takes_the_orders_pytorchs_takes = sweep(_orders, list(itertools.product(
    [2, 1, 0, 0.5, -1, math.inf, -math.inf, math.nan, np.float32(1.5), True, None, "fro"], ["float64", "int64"])))
