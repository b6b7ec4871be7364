"""The losses' edge cases against PyTorch, float64 unless said (tests/pytorch/sweep.py; their arguments, options
and derivatives: test_losses.py):

* binary_cross_entropy: its value near p = 0 is PyTorch's log1p(−p) form (at p = 1e-10, t = 0 the loss is
  1.00000000005e-10, where log(1 − p) is 8e-8 off; at 1e-300 it gives 0); a target outside [0, 1], NaN included,
  is refused as such an input is (RuntimeError), at every door; and its input gradient differentiated in the
  gradient flowing into it is PyTorch's own formula, (p − t)/((p + ε)(1 − p + ε)), ε = 1e-12, not the derivative
  of g·(p − t)/max((1 − p)·p, ε) (at p = 1 − 2⁻⁴⁰: 4.2e11 where that is 8.0e11), read at the second order by a loss
  whose upstream depends on the leaves (sinh(loss / 4), loss², a weighted sum of squares), its own derivative at
  the third (the derivatives with a constant upstream: test_special_value_gradients.py);
* cross_entropy against class probabilities is PyTorch's cross_entropy_loss_prob_target: log_softmax over the class
  dim, −(log_p·target [·weight]) summed over it, 'mean' that sum / (numel / C), NaN of no entries (so -0 for one
  class, no classes or no samples as PyTorch's: minigan refused, or leaked ZeroDivisionError); of no samples against
  labels it still checks label_smoothing's range and the weight's shape (RuntimeError), and gives PyTorch's empty
  sums and means; a class weight that requires grad is refused against labels with grad mode on (nll_loss's kernel
  has no derivative for it; surface program 11569875) and differentiated against probabilities;
* one sample's scores (C,) with its label 0-d or (1,): the forward takes both, the backward refuses a (1,) label
  unless C = 1 (size mismatch), in nll_loss and cross_entropy;
* soft_margin_loss is one node with PyTorch's backward and double backward, −y·z/(1 + z)·g and g·y²·z/(1 + z)²
  (z = exp(−x·y)), where exp and log1p composed cancel to 0 (float32 x = 30, y = −1.76: y² = 3.09 where PyTorch's
  is 0): over x·y where z, z² and their products over- and underflow, in float32, float64 and the two mixed.
"""

import itertools
import math

import numpy as np
import pytest

from pytorch.sweep import _gradients, close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


# --------------------------------------------------------------------------------------------- binary_cross_entropy
def _each_entry(p, t, w, one_at_a_time=True):
    """Each probability against every target, as one tensor (each reduction mixes ordinary and extreme entries)
    and one entry at a time (the mean's upstream is the extreme entry's own): (p, t, w) slices."""
    p, t = (np.array(v) for v in zip(*itertools.product(p, t)))
    w = np.resize([1.0, 0.5, 2.0], p.shape) if w else None
    return [(p[k], t[k], None if w is None else w[k]) for k in [slice(None)] + list(range(p.size) if one_at_a_time
                                                                                     else [])]


NEAR_0 = [0.0, 5e-324, 1e-300, 1e-100, 1e-20, 2.0 ** -53, 1e-16, 3e-12, 1e-10, 1e-7, 1e-4, 0.3, 0.5, 1 - 1e-7,
          1 - 2.0 ** -53, 1.0], [0.0, 0.25, 1e-9, 1.0]


def _bce_value(L, reduction, weighted, dtype, k):
    p, t, w = _each_entry(*NEAR_0, weighted)[k]
    dt = getattr(L, dtype)
    out = L.nn.functional.binary_cross_entropy(L.tensor(p, dtype=dt), L.tensor(t, dtype=dt),
                                               None if w is None else L.tensor(w, dtype=dt), reduction=reduction)
    return close(out, 1e-13 if dtype == "float64" else 1e-6)


test_bce_value_near_p_0_is_pytorchs = sweep(_bce_value, [
    (*c, k) for c in itertools.product(["none", "mean", "sum"], [False, True], ["float64", "float32"])
    for k in range(65)], group=lambda *case: case[:3])
BCE_DOORS = {"F.binary_cross_entropy": lambda L, p, t, r: L.nn.functional.binary_cross_entropy(p, t, reduction=r),
             "weighted": lambda L, p, t, r: L.nn.functional.binary_cross_entropy(p, t, weight=L.full_like(p, 0.5),
                                                                                 reduction=r),
             "nn.BCELoss": lambda L, p, t, r: L.nn.BCELoss(reduction=r)(p, t)}
EDGES = [0.0, 0.3, 1.0, 1.5, -0.25, math.nan, math.inf, -math.inf]
test_binary_cross_entropy_refuses_a_target_outside_zero_one = sweep(
    lambda L, door, p, t, reduction: close(BCE_DOORS[door](
        L, L.tensor([0.4, p], dtype=L.float64, requires_grad=True), L.tensor([0.6, t], dtype=L.float64),
        reduction).detach(), 0, 1e-9),
    list(itertools.product(BCE_DOORS, EDGES, EDGES, ("none", "mean", "sum"))), group=lambda door, *_: door)
# 0 and 1, within ε of them, where ε is of the order of (1 − p)·p, and inside
UPSTREAM = [0.0, 1.0, 1e-300, 1 - 1e-16, 2.0 ** -40, 1 - 2.0 ** -40, 1e-13, 1 - 1e-13, 3e-12, 1 - 3e-12, 0.5, 0.3,
            0.9999999], [0.0, 1.0, 0.2]
OUTERS = {
    "sinh": lambda L, loss: L.sinh(loss / 4).sum(),  # (/ 4: float32 derivatives of it stay below overflow)
    "square": lambda L, loss: (loss * loss).sum(),
    "weighted square": lambda L, loss: (loss * loss * L.linspace(0.5, -1.5, loss.numel()).reshape(loss.shape)
                                        .to(loss.dtype)).sum(),
}


def _orders(L, reduction, outer, which, weighted, dtype, k):
    """The outer function of the loss and the gradients of every operand that requires grad to the third order, in
    float32 to the second (its third derivatives near p = 1 and at p = 0.5, t = 0 cancel to rounding noise: -72.0
    here, -71.5 in PyTorch at p = 0.9999999, t = 1).  Relative tolerances by order: a float64 third derivative at
    p = 1 − 1e-7, t = 1 sums terms far larger than itself, which PyTorch's engine adds in another order (-7932.1462
    here, -7932.1515 there)."""
    p, t, w = _each_entry(*UPSTREAM, weighted, reduction != "none")[k]
    rtol = [1e-12, 1e-9, 1e-9, 1e-5] if dtype == "float64" else [1e-5, 1e-4, 1e-4]
    dt = getattr(L, dtype)
    p, t = L.tensor(p, dtype=dt, requires_grad=which != "target"), L.tensor(t, dtype=dt, requires_grad=which != "input")
    leaves = [x for x in (p, t) if x.requires_grad]
    out = OUTERS[outer](L, L.nn.functional.binary_cross_entropy(p, t, None if w is None else L.tensor(w, dtype=dt),
                                                                 reduction=reduction))
    got = [close(out.detach(), rtol[0])]
    for order in range(1, len(rtol)):
        grads = L.autograd.grad(out, leaves, create_graph=True, allow_unused=True)
        got += _gradients(L, grads, leaves, rtol[order], 0)
        live = [(j, g) for j, g in enumerate(grads) if g is not None and g.requires_grad]
        if not live:
            break
        out = sum((g * L.linspace(-0.7, 1.3, g.numel()).reshape(g.shape).to(g.dtype) * (j + 1)).sum()
                  for j, g in live)
    return got


test_bce_input_gradient_differentiated_in_its_upstream_is_pytorchs = sweep(_orders, [
    (*c, k) for c in itertools.product(["none", "mean", "sum"], OUTERS, ["both", "input", "target"], [False, True],
                                       ["float64", "float32"]) for k in range(1 + 39 * (c[0] != "none"))],
    group=lambda *case: case[:5], every=11, cover=[lambda r, o, wh, we, d, k: (r, o), lambda r, o, wh, we, d, k: (r, d),
                                                  lambda r, o, wh, we, d, k: (wh, d, we)])


# ---------------------------------------------------------------------------------------------------- cross_entropy
def _probabilities(L, shape, reduction, smoothing, weighted):
    rng = np.random.default_rng(len(shape))
    x = L.tensor(rng.standard_normal(shape).round(3), dtype=L.float64, requires_grad=True)
    classes = shape[0] if len(shape) == 1 else shape[1]
    batch = shape[:1] + shape[2:] if len(shape) > 1 else ()
    t = L.tensor(rng.dirichlet(np.ones(max(classes, 1)), size=batch).reshape(batch + (max(classes, 1),))[
        ..., :classes], dtype=L.float64)
    t = (t if len(shape) == 1 else t.movedim(-1, 1)).reshape(shape)
    weight = L.tensor(np.linspace(0.5, 1.5, classes), dtype=L.float64) if weighted else None
    out = L.nn.functional.cross_entropy(x, t, weight=weight, reduction=reduction, label_smoothing=smoothing)
    grad = L.autograd.grad(out.sum(), x, allow_unused=True)[0] if out.requires_grad else None
    return close(out.detach(), 0, 1e-9), None if grad is None else close(grad, 0, 1e-9)


test_cross_entropy_with_probabilities_is_pytorchs = sweep(_probabilities, list(itertools.product(
    [(3,), (1,), (0,), (4, 3), (4, 1), (0, 3), (2, 0), (0, 0), (2, 3, 2), (0, 3, 2), (2, 0, 3), (2, 1, 2)],
    ("mean", "sum", "none"), (0.0, 0.2), (False, True))), group=lambda shape, *_: shape)


def _no_samples(L, shape, smoothing, weight, reduction):
    x = L.zeros(shape, dtype=L.float64, requires_grad=True)
    y = L.zeros((0,) + shape[2:], dtype=L.int64)
    w = None if weight is None else L.ones(weight, dtype=L.float64)
    return L.nn.functional.cross_entropy(x, y, weight=w, reduction=reduction, label_smoothing=smoothing).detach()


test_no_samples_against_labels_are_checked_as_pytorchs = sweep(_no_samples, [  # (ε / C is ∞ for no classes)
    *itertools.product([(0, 3), (0, 3, 2)], [0.0, 0.2, 1.0, 1.25, -0.5, math.nan], [None, (3,), (0, 3), (1, 3), (2,)],
                       ["mean", "sum", "none"]),
    *itertools.product([(0, 0), (0, 0, 2)], [0.0, 0.2], [None, 0], ["mean", "sum", "none"])])


def _class_weight(L, fn, target, shape, smoothing, reduction, input_grad, grad_mode):
    c = shape[1] if len(shape) > 1 else shape[0]
    x = L.tensor(np.sin(np.arange(int(np.prod(shape)))).reshape(shape) * 2, dtype=L.float64,
                 requires_grad=input_grad)
    if target == "probabilities":
        p = np.cos(np.arange(int(np.prod(shape)))).reshape(shape) ** 2 + 0.1
        t = L.tensor(p / p.sum(axis=1 if len(shape) > 1 else 0, keepdims=True), dtype=L.float64)
    else:
        labels = (shape[0],) + shape[2:] if len(shape) > 1 else ()
        t = L.tensor(np.arange(int(np.prod(labels))).reshape(labels) % c, dtype=L.int64)
    w = L.tensor(np.linspace(0.5, 1.5, c), dtype=L.float64, requires_grad=True)
    with L.set_grad_enabled(grad_mode):
        loss = getattr(L.nn.functional, fn)(x, t, weight=w, reduction=reduction,
                                            **({"label_smoothing": smoothing} if fn == "cross_entropy" else {}))
    record = [close(loss.detach(), 1e-9, 1e-12)]
    if loss.requires_grad and loss.numel():
        leaves = [x, w] if input_grad else [w]
        scale = L.tensor(np.linspace(1, 2, loss.numel()).reshape(loss.shape), dtype=L.float64)
        first = L.autograd.grad((loss * scale).sum(), leaves, create_graph=True, allow_unused=True)
        record += _gradients(L, first, leaves, 1e-9, 1e-12)
        live = [g for g in first if g is not None and g.requires_grad]
        if live:
            record += _gradients(L, L.autograd.grad(sum((g * g).sum() for g in live), leaves, allow_unused=True),
                                 leaves, 1e-9, 1e-12)
    return record


test_a_class_weight_that_requires_grad = sweep(_class_weight, [
    (fn, target, *c) for fn, target in [("cross_entropy", "labels"), ("cross_entropy", "probabilities"),
                                        ("nll_loss", "labels")]
    for c in itertools.product([(0, 3), (2, 3), (2, 3, 4), (3,), (0, 3, 2), (2, 3, 0), (4, 2)],
                               [0.0, 0.2, math.nan] if fn == "cross_entropy" else [0.0], ["mean", "sum", "none"],
                               [False, True], [True, False])], group=lambda fn, target, *_: f"{fn}-{target}")
ONE_SAMPLE = {"nll_loss": lambda F, x, t, **kw: F.nll_loss(x.log_softmax(-1), t, **kw),
              "cross_entropy": lambda F, x, t, **kw: F.cross_entropy(x, t, **kw)}


def _one_sample(L, name, classes, label_shape, option):
    """The forward's value and shape (or refusal), then the gradient or the backward's refusal."""
    x = L.tensor(np.linspace(-0.7, 0.9, classes), dtype=L.float64, requires_grad=True)
    options = {"weight": L.tensor(np.arange(1.0, classes + 1), dtype=L.float64)} if option == "weight" else \
        dict([option]) if option else {}
    y = ONE_SAMPLE[name](L.nn.functional, x, L.zeros(label_shape, dtype=L.int64), **options)
    grad = outcome(lambda: L.autograd.grad(y.sum(), [x])[0])
    return close(y.detach(), 1e-12), grad if isinstance(grad, Exception) else close(grad, 1e-12)


test_one_sample_label_as_pytorch = sweep(_one_sample, list(itertools.product(
    sorted(ONE_SAMPLE), [1, 3], [(), (1,)], [None, ("reduction", "sum"), ("reduction", "none"), ("ignore_index", 0),
                                             "weight"])))


# -------------------------------------------------------------------------------------------------- soft_margin_loss
# x·y across the thresholds: z = e^(−xy) and (1 + z)² over- and underflowing in float32 (e^44, e^88.7) and in float64
# (e^355, e^709.8)
PRODUCTS = [-math.inf, -800.0, -709.0, -400.0, -100.0, -88.0, -50.0, -30.0, -1.0, 0.0, 0.5, 30.0, 44.5, 50.0,
            88.5, 89.0, 100.0, 360.0, 709.5, 710.0, 800.0, math.inf, math.nan]


def _soft_margin(L, dtypes, reduction, target_shape, grad_requires_grad):
    """The loss, its gradient (by an incoming 0.75 that may itself require grad) and the second order in x and in
    the incoming gradient (PyTorch computes them in the promoted dtype and writes them into the input's): within
    1e-12 (float64) or 1e-5 and the smallest normal number (below it NumPy's float32 exp and PyTorch's keep
    different numbers of a subnormal's bits: 3.78e-44 and 3.92e-44); ∞ and NaN not told apart."""
    y = np.random.default_rng(3).choice([-2.0, -1.0, -0.3, 0.7, 1.0, 1.9], size=target_shape)
    xv = np.array(PRODUCTS).reshape(-1, 1) * np.ones((1, 4))
    x = L.tensor((-xv / np.broadcast_to(y, xv.shape)).astype(dtypes[0]), requires_grad=True)  # (−x·y: PRODUCTS)
    out = L.nn.functional.soft_margin_loss(x, L.tensor(y.astype(dtypes[1])), reduction=reduction)
    v = L.tensor(np.full(tuple(out.shape), 0.75, dtype=dtypes[0]), requires_grad=grad_requires_grad)
    (first,) = L.autograd.grad(out, [x], grad_outputs=v, create_graph=True)
    leaves = [x, v] if grad_requires_grad else [x]
    second = [g for g, *_ in _gradients(L, L.autograd.grad(first.sum(), leaves, allow_unused=True), leaves, 0, 0)]
    tol = 1e-12 if dtypes == ("float64", "float64") else 1e-5
    return [close(L.where(t.isfinite(), t, math.nan).detach(), tol, float(np.finfo(dtypes[0]).tiny))
            for t in (out, first, *second)]


test_soft_margin_loss_to_the_second_order_at_extremes_as_pytorchs = sweep(_soft_margin, list(itertools.product(
    [("float32", "float32"), ("float64", "float64"), ("float32", "float64"), ("float64", "float32")],
    ["none", "sum", "mean"], [(23, 4), (1, 4)], [False, True])))
