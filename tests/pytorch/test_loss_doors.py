"""Every loss and distance at its door, against PyTorch (float64, the oracle): each tensor argument in each dtype
(float64, float32, int64, bool), each one requiring grad, each one in other shapes (broadcastable, of another
number of dimensions, 0-d, empty), and the options whose edges PyTorch defines (huber's δ = ∞, pairwise_distance's
p = 0 and −∞, triplet's margin ≤ 0, cross_entropy's label_smoothing < 0).  A case agrees when both libraries
refuse it with the same built-in exception class (also where PyTorch refuses only at backward), or both run with
the same dtype, shape, requires_grad, values and gradients.

(Its torch-free tests: tests/library/test_loss_doors.py.)"""

import math
import warnings

import numpy as np
import pytest

import minigan
from pytorch.exception_oracle import builtin_class as _builtin
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

DTYPES = ["float64", "float32", "int64", "bool"]
OTHER_SHAPES = [(4,), (1, 4), (3, 1), (), (2, 3, 4), (1,), (3,), (0, 4)]
INF = math.inf

# name: (call(F, *tensors), the tensors' shapes, what each holds)
LOSSES = {
    "binary_cross_entropy": (lambda F, a, b: F.binary_cross_entropy(a, b), [(3, 4)] * 2, ["prob", "prob"]),
    "binary_cross_entropy weight": (lambda F, a, b, w: F.binary_cross_entropy(a, b, weight=w), [(3, 4)] * 3,
                                    ["prob", "prob", "pos"]),
    "binary_cross_entropy_with_logits": (lambda F, a, b: F.binary_cross_entropy_with_logits(a, b), [(3, 4)] * 2,
                                         ["real", "prob"]),
    "binary_cross_entropy_with_logits weights": (
        lambda F, a, b, w, p: F.binary_cross_entropy_with_logits(a, b, weight=w, pos_weight=p),
        [(3, 4), (3, 4), (3, 4), (4,)], ["real", "prob", "pos", "pos"]),
    "cross_entropy probabilities": (lambda F, a, b: F.cross_entropy(a, b), [(3, 4), (3, 4)], ["real", "prob"]),
    "cross_entropy": (lambda F, a, b: F.cross_entropy(a, b), [(3, 4), (3,)], ["real", "label"]),
    "cross_entropy weight": (lambda F, a, b, w: F.cross_entropy(a, b, weight=w), [(3, 4), (3,), (4,)],
                             ["real", "label", "pos"]),
    "cross_entropy label_smoothing<0": (lambda F, a, b: F.cross_entropy(a, b, label_smoothing=-1.5),
                                        [(3, 4), (3,)], ["real", "label"]),
    "nll_loss": (lambda F, a, b: F.nll_loss(a, b), [(3, 4), (3,)], ["real", "label"]),
    "nll_loss weight": (lambda F, a, b, w: F.nll_loss(a, b, weight=w), [(3, 4), (3,), (4,)],
                        ["real", "label", "pos"]),
    "nll_loss per position weight": (lambda F, a, b, w: F.nll_loss(a, b, weight=w), [(2, 4, 3), (2, 3), (4,)],
                                     ["real", "label", "pos"]),
    "nll_loss ignore_index extremes": (lambda F, a, b: F.nll_loss(a, b, ignore_index=1, reduction="sum"),
                                       [(6, 4), (6,)], ["extreme", "label"]),
    "cross_entropy per position weight": (lambda F, a, b, w: F.cross_entropy(a, b, weight=w),
                                          [(2, 4, 3), (2, 3), (4,)], ["real", "label", "pos"]),
    "cross_entropy ignore_index extremes": (
        lambda F, a, b: F.cross_entropy(a, b, ignore_index=1, label_smoothing=0.2, reduction="sum"), [(6, 4), (6,)],
        ["extreme", "label"]),
    "mse_loss": (lambda F, a, b: F.mse_loss(a, b), [(3, 4)] * 2, ["real", "real"]),
    "mse_loss weight": (lambda F, a, b, w: F.mse_loss(a, b, weight=w), [(3, 4)] * 3, ["real", "real", "pos"]),
    "l1_loss": (lambda F, a, b: F.l1_loss(a, b), [(3, 4)] * 2, ["real", "real"]),
    "l1_loss sum": (lambda F, a, b: F.l1_loss(a, b, reduction="sum"), [(3, 4)] * 2, ["real", "real"]),
    "l1_loss weight": (lambda F, a, b, w: F.l1_loss(a, b, weight=w), [(3, 4)] * 3, ["real", "real", "pos"]),
    "smooth_l1_loss": (lambda F, a, b: F.smooth_l1_loss(a, b), [(3, 4)] * 2, ["real", "real"]),
    "smooth_l1_loss extremes": (lambda F, a, b: F.smooth_l1_loss(a, b, reduction="none"), [(3, 4)] * 2,
                                ["extreme", "extreme"]),
    "huber_loss extremes": (lambda F, a, b: F.huber_loss(a, b, reduction="none"), [(3, 4)] * 2,
                            ["extreme", "extreme"]),
    "smooth_l1_loss beta=0": (lambda F, a, b: F.smooth_l1_loss(a, b, beta=0, reduction="sum"), [(3, 4)] * 2,
                              ["real", "real"]),
    "huber_loss": (lambda F, a, b: F.huber_loss(a, b), [(3, 4)] * 2, ["real", "real"]),
    "huber_loss delta=inf": (lambda F, a, b: F.huber_loss(a, b, delta=INF), [(3, 4)] * 2, ["real", "real"]),
    "huber_loss weight": (lambda F, a, b, w: F.huber_loss(a, b, weight=w), [(3, 4)] * 3, ["real", "real", "pos"]),
    "kl_div": (lambda F, a, b: F.kl_div(a, b, reduction="sum"), [(3, 4)] * 2, ["real", "prob"]),
    "kl_div log_target": (lambda F, a, b: F.kl_div(a, b, reduction="sum", log_target=True), [(3, 4)] * 2,
                          ["real", "real"]),
    "soft_margin_loss": (lambda F, a, b: F.soft_margin_loss(a, b), [(3, 4)] * 2, ["real", "sign"]),
    "soft_margin_loss extremes": (lambda F, a, b: F.soft_margin_loss(a, b, reduction="none"), [(3, 4)] * 2,
                                  ["extreme", "real"]),
    "margin_ranking_loss": (lambda F, a, b, c: F.margin_ranking_loss(a, b, c), [(3, 4)] * 3,
                            ["real", "real", "sign"]),
    "hinge_embedding_loss": (lambda F, a, b: F.hinge_embedding_loss(a, b), [(3, 4)] * 2, ["real", "sign"]),
    "hinge_embedding_loss margin=inf": (lambda F, a, b: F.hinge_embedding_loss(a, b, margin=INF, reduction="sum"),
                                        [(3, 4)] * 2, ["real", "sign"]),
    "hinge_embedding_loss sum": (lambda F, a, b: F.hinge_embedding_loss(a, b, reduction="sum"), [(3, 4)] * 2,
                                 ["real", "sign"]),
    "cosine_embedding_loss": (lambda F, a, b, c: F.cosine_embedding_loss(a, b, c), [(3, 4), (3, 4), (3,)],
                              ["real", "real", "sign"]),
    "triplet_margin_loss": (lambda F, a, b, c: F.triplet_margin_loss(a, b, c), [(3, 4)] * 3, ["real"] * 3),
    "triplet_margin_loss p=0": (lambda F, a, b, c: F.triplet_margin_loss(a, b, c, p=0), [(3, 4)] * 3, ["real"] * 3),
    "triplet_margin_loss margin=0": (lambda F, a, b, c: F.triplet_margin_loss(a, b, c, margin=0.0), [(3, 4)] * 3,
                                     ["real"] * 3),
    "triplet_margin_loss margin=-inf": (lambda F, a, b, c: F.triplet_margin_loss(a, b, c, margin=-INF),
                                        [(3, 4)] * 3, ["real"] * 3),
    "gaussian_nll_loss": (lambda F, a, b, c: F.gaussian_nll_loss(a, b, c), [(3, 4)] * 3, ["real", "real", "pos"]),
    "gaussian_nll_loss extremes": (lambda F, a, b, c: F.gaussian_nll_loss(a, b, c, full=True, reduction="none"),
                                   [(3, 4)] * 3, ["extreme", "real", "pos extreme"]),
    "poisson_nll_loss": (lambda F, a, b: F.poisson_nll_loss(a, b), [(3, 4)] * 2, ["real", "pos"]),
    "poisson_nll_loss full": (lambda F, a, b: F.poisson_nll_loss(a, b, log_input=False, full=True), [(3, 4)] * 2,
                              ["pos", "pos"]),
    "multilabel_soft_margin_loss": (lambda F, a, b: F.multilabel_soft_margin_loss(a, b), [(3, 4)] * 2,
                                    ["real", "prob"]),
    "multilabel_soft_margin_loss weight": (lambda F, a, b, w: F.multilabel_soft_margin_loss(a, b, weight=w),
                                           [(3, 4), (3, 4), (4,)], ["real", "prob", "pos"]),
    "pairwise_distance": (lambda F, a, b: F.pairwise_distance(a, b), [(3, 4)] * 2, ["real", "real"]),
    "pairwise_distance p=0": (lambda F, a, b: F.pairwise_distance(a, b, p=0), [(3, 4)] * 2, ["real", "real"]),
    "pairwise_distance p=-inf": (lambda F, a, b: F.pairwise_distance(a, b, p=-INF), [(3, 4)] * 2, ["real", "real"]),
    "pairwise_distance p=inf": (lambda F, a, b: F.pairwise_distance(a, b, p=INF), [(3, 4)] * 2, ["real", "real"]),
    "cosine_similarity": (lambda F, a, b: F.cosine_similarity(a, b), [(3, 4)] * 2, ["real", "real"]),
    "cosine_similarity norms below eps": (lambda F, a, b: F.cosine_similarity(a, b, eps=1e-8), [(3, 4)] * 2,
                                          ["tiny", "real"]),
}


# Cases known to differ, with the reason; each must still differ (a fix shows up here, to be removed).
KNOWN: dict = {}

# Losses compared to the first order only, with the reason (their second order is compared where d is finite, in the
# entries without "extremes").
FIRST_ORDER_ONLY = {
    name: "the second derivative where d = input − target is NaN: PyTorch's double backward multiplies the incoming "
          "gradient by the mask |d| < δ (0 there), while its first-order formula takes a NaN d into the quadratic "
          "branch (d/δ); minigan's one composition gives 1/δ there, and NaN where PyTorch gives NaN · 0"
    for name in ("smooth_l1_loss extremes", "huber_loss extremes")}


def _values(kind, shape, rng):
    if kind == "prob":
        return rng.uniform(0.05, 0.95, size=shape)
    if kind == "pos":
        return rng.uniform(0.5, 2.0, size=shape)
    if kind == "sign":
        return rng.choice([-1.0, 1.0], size=shape)
    if kind == "label":
        return rng.integers(0, 4, size=shape)
    if kind == "extreme":  # (where a formula overflows, or meets ∞ or NaN)
        return rng.choice([-INF, -800.0, -30.0, -1.0, 0.0, 1.0, 30.0, 800.0, INF, math.nan], size=shape)
    if kind == "tiny":  # (norms below eps, not 0: a zero vector's second order is the norm's own, at its kink)
        return rng.normal(size=shape) * rng.choice([1e-9, 1e-12], size=shape)
    if kind == "pos extreme":
        return rng.choice([0.0, 1e-9, 0.5, 2.0, 1e300, INF], size=shape)
    return rng.normal(size=shape) * 2


def _cases(name):
    """(shapes, dtypes, requires_grad) triples: each argument in each dtype (the others float64, with and without
    the floating ones requiring grad), all in one dtype, each one requiring grad, each one in another shape."""
    _, shapes, kinds = LOSSES[name]
    n = len(shapes)
    natural = ["int64" if k == "label" else "float64" for k in kinds]
    for i in range(n):
        for d in DTYPES:
            dts = list(natural)
            dts[i] = d
            yield shapes, dts, [False] * n
            yield shapes, dts, [j != i and dts[j].startswith("float") for j in range(n)]
    for d in DTYPES:
        yield shapes, [d] * n, [False] * n
        yield shapes, ["float32"] + [d] * (n - 1), [True] + [False] * (n - 1)
    for i in range(n):
        yield shapes, natural, [j == i and natural[j] == "float64" for j in range(n)]
    yield shapes, natural, [d == "float64" for d in natural]
    for i in range(n):
        for s in OTHER_SHAPES:
            sh = list(shapes)
            sh[i] = s
            yield sh, natural, [True] + [False] * (n - 1)
    for s in OTHER_SHAPES:
        yield [s] * n, natural, [d == "float64" for d in natural]
    for d in ("int64", "bool"):  # a refused dtype and another shape at once: PyTorch's first refusal
        for i in range(n):
            for s in OTHER_SHAPES:
                sh = list(shapes)
                sh[i] = s
                yield sh, [d] * n, [False] * n


def _make(lib, array, dtype, requires_grad):
    if dtype == "bool":
        array = array > 0.5
    elif dtype == "int64":
        array = np.round(np.nan_to_num(array, posinf=9, neginf=-9))
    with np.errstate(invalid="ignore", over="ignore"):  # (NaN to bool, 1e300 to float32: the same for both)
        array = np.asarray(array).astype(dtype)
    return lib.tensor(array, requires_grad=requires_grad)


def _run(lib, call, arrays, dtypes, grads):
    """('raise', exception) or ('ran', dtype, shape, values, requires_grad, first-order gradients or ('raise',
    exception), second-order ones or ('raise', exception))."""
    try:
        xs = [_make(lib, a, d, g) for a, d, g in zip(arrays, dtypes, grads)]
    except Exception:  # an integer tensor that requires grad: not a call
        return None
    with warnings.catch_warnings():  # (the broadcasting warning, and NumPy's 0/0 in the mean of no entries)
        warnings.simplefilter("ignore")
        try:
            out = call(lib.nn.functional, *xs)
        except Exception as e:  # noqa: BLE001  (the exception is the outcome compared)
            return ("raise", e)
        result = ("ran", str(out.dtype).split(".")[-1], tuple(out.shape), out.detach().double().numpy(),
                  out.requires_grad)
        if not out.requires_grad:
            return result
        leaves = [x for x in xs if x.requires_grad]
        try:
            grads = lib.autograd.grad(out.sum(), leaves, allow_unused=True, create_graph=True)
        except Exception as e:  # noqa: BLE001  (PyTorch's refusal at backward)
            return result + (("raise", e),)
        result += ([None if g is None else g.detach().double().numpy() for g in grads],)
        live = [g.sum() for g in grads if g is not None and g.requires_grad]
        if not live:
            return result
        try:
            second = lib.autograd.grad(sum(live), leaves, allow_unused=True)
        except Exception as e:  # noqa: BLE001  (PyTorch's refusal at the second order)
            return result + (("raise", e),)
    return result + ([None if g is None else _array(g) for g in second],)


def _array(gradient):
    """A gradient as a NumPy array (PyTorch's second-order one may be a ZeroTensor, which has no storage)."""
    if getattr(gradient, "_is_zerotensor", lambda: False)():
        return np.zeros(tuple(gradient.shape))
    return gradient.double().numpy()


def _difference(mine, theirs, tol, orders=2):
    """What differs between minigan's outcome and PyTorch's (up to ``orders`` of gradients), or None."""
    if theirs is None or mine is None:
        return None
    if theirs[0] == "raise" or mine[0] == "raise":
        if theirs[0] != mine[0]:
            return f"minigan {mine[0]} ({str(mine[1])[:90] if mine[0] == 'raise' else ''}), PyTorch {theirs[0]} " \
                   f"({str(theirs[1])[:90] if theirs[0] == 'raise' else ''})"
        ok = isinstance(mine[1], _builtin(theirs[1]))
        return None if ok else f"minigan {type(mine[1]).__name__}: {mine[1]}; PyTorch {type(theirs[1]).__name__}"
    for what, a, b in (("dtype", mine[1], theirs[1]), ("shape", mine[2], theirs[2]),
                       ("requires_grad", mine[4], theirs[4])):
        if a != b:
            return f"{what}: {a} vs {b}"
    if not np.allclose(mine[3], theirs[3], rtol=tol, atol=tol, equal_nan=True):
        return f"values {_worst(mine[3], theirs[3], tol)}"
    for order in range(5, min(max(len(mine), len(theirs)), 5 + orders)):
        a, b = (mine[order] if order < len(mine) else None), (theirs[order] if order < len(theirs) else None)
        if isinstance(b, tuple) or isinstance(a, tuple):
            if not (isinstance(a, tuple) and isinstance(b, tuple) and isinstance(a[1], _builtin(b[1]))):
                return f"backward (order {order - 4}): minigan {a if isinstance(a, tuple) else 'ran'}, PyTorch " \
                       f"{b if isinstance(b, tuple) else 'ran'}"
            return None
        a, b = a or [None] * len(b), b or [None] * len(a)  # (no second order: first-order gradients that are
        # constants, whose own gradients are zero)
        for g, h in zip(a, b):  # (an absent gradient, None, is a zero one: autograd.grad's allow_unused)
            if g is None and h is None:
                continue
            g, h = (np.zeros_like(h) if g is None else g), (np.zeros_like(g) if h is None else h)
            g, h = np.broadcast_arrays(g, h)
            both = ~np.isfinite(g) & ~np.isfinite(h)  # (∞ or NaN: not told apart in a gradient, docs/pytorch.md)
            if not np.allclose(np.where(both, 0, g), np.where(both, 0, h), rtol=tol, atol=tol):
                return f"order-{order - 4} gradient {_worst(g, h, tol)}"
    return None


def _worst(a, b, tol):
    """The first entry where a and b differ: its index and both values."""
    a, b = np.broadcast_arrays(a, b)
    close = np.isclose(a, b, rtol=tol, atol=tol, equal_nan=True)
    i = tuple(np.argwhere(~close)[0]) if (~close).any() else ()
    return f"at {i}: {a[i]} vs {b[i]}"


@pytest.mark.parametrize("name", [pytest.param(n, marks=[pytorch_since(
    "2.12", "mse_loss differentiates an input whose target has another dtype")] if n == "mse_loss" else [])
    for n in sorted(LOSSES)])
def test_each_argument_in_each_dtype_grad_and_shape_as_pytorch(name):
    call = LOSSES[name][0]
    kinds = LOSSES[name][2]
    rng = np.random.default_rng(0)
    differ = []
    for shapes, dtypes, grads in _cases(name):
        arrays = [_values(k, s, rng) for k, s in zip(kinds, shapes)]
        tol = 1e-10 if all(d == "float64" or k == "label" for d, k in zip(dtypes, kinds)) else 1e-5  # (float32 steps)
        why = _difference(_run(minigan, call, arrays, dtypes, grads), _run(torch, call, arrays, dtypes, grads), tol,
                          orders=1 if name in FIRST_ORDER_ONLY else 2)
        known = (name, tuple(tuple(s) for s in shapes), tuple(dtypes), tuple(grads)) in KNOWN
        if bool(why) != known:
            differ.append(f"{shapes} {dtypes} requires_grad={grads}: {why or 'agrees now: remove it from KNOWN'}")
    assert not differ, f"{name}: {len(differ)} cases differ from PyTorch:\n" + "\n".join(differ)
