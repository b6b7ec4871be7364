"""Gradients at NaN, ±∞, at the kinks and at 0, first and second order, as PyTorch float64 gives them, for every
function whose derivative is a mask or a formula with a special-value rule: the kinked activations (hardtanh, relu6,
hardshrink, softshrink, elu, selu, celu, hardswish, threshold, leaky_relu, relu), the losses with a kink
(huber_loss, smooth_l1_loss, l1_loss) and the reductions with a rule of their own (dist, prod).

PyTorch's CPU kernels for these activations come in two forms that disagree at a NaN input: one element at a time
(hardtanh's ``x <= min or x >= max ? 0 : grad`` passes the gradient at NaN), and whole SIMD registers (``(x > min) &
(x < max)``, which drops it), used for all but the last few entries of a long contiguous tensor.  PyTorch's CUDA
kernels, and its CPU kernels on a short tensor, take the first; minigan takes it everywhere (docs/pytorch.md,
"Special values").  So the activations are compared here one element at a time.

(Its torch-free half: tests/library/test_special_value_gradients.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = float("inf"), float("nan")
# NaN, both infinities, both zeros, the kinks of every function below (±0.5, ±1, ±3, 6) and points between them
SPECIAL = [NAN, INF, -INF, 0.0, -0.0, 0.5, -0.5, 1.0, -1.0, 3.0, -3.0, 6.0, 0.25, -2.0, 7.0, 1.5]


def _gradients(lib, f, arrays):
    """f's value, its gradient (weights w against the output) and the gradient of (that gradient · v), each
    input's, as NumPy arrays (None where none flows)."""
    ts = [lib.tensor(a, requires_grad=True) for a in arrays]
    out = f(lib, *ts)
    w = lib.tensor(np.resize(np.linspace(-1.0, 2.0, 7), tuple(out.shape)))
    first = lib.autograd.grad((out * w).sum(), ts, create_graph=True, allow_unused=True)
    live = [(g, k) for k, g in enumerate(first) if g is not None and g.requires_grad]
    second = [None] * len(ts)
    if live:
        s = sum((g * lib.tensor(np.resize(np.linspace(-0.7, 1.9, 5) + k, g.shape))).sum() for g, k in live)
        second = lib.autograd.grad(s, ts, allow_unused=True)
    plain = [None if g is None else g.detach().numpy(**({"force": True} if lib is torch else {})) for g in second]
    return out.detach().numpy(), [None if g is None else g.detach().numpy() for g in first], plain


def _assert_same(got, want, what):
    """NaN where PyTorch's is NaN, ±∞ where its is, the rest to 1e-12; None (no gradient) reads as zeros."""
    if got is None and want is None:
        return
    if got is None or want is None:
        got, want = (np.zeros_like(want if got is None else got) if a is None else a for a in (got, want))
    assert got.shape == want.shape, f"{what}: shape {got.shape}, PyTorch's {want.shape}"
    with np.errstate(invalid="ignore"):
        close = (np.isnan(got) & np.isnan(want)) | (got == want) | (np.abs(got - want) <= 1e-12 * (1 + np.abs(want)))
    bad = np.flatnonzero(~close)
    assert bad.size == 0, f"{what}: {bad.size} of {got.size} differ: " + "; ".join(
        f"[{i}] {got.flat[i]!r} here, PyTorch's {want.flat[i]!r}" for i in bad[:6])


def _compare(f, arrays, where=""):
    with np.errstate(all="ignore"):  # (NumPy warns of the ∞ and NaN that PyTorch gives silently)
        (tv, t1, t2), (mv, m1, m2) = _gradients(torch, f, arrays), _gradients(minigan, f, arrays)
    _assert_same(mv, tv, f"value{where}")
    for k in range(len(arrays)):
        _assert_same(m1[k], t1[k], f"first-order gradient of input {k}{where}")
        _assert_same(m2[k], t2[k], f"second-order gradient of input {k}{where}")


def _functional(name, *args, **kwargs):
    return lambda lib, x: getattr(lib.nn.functional, name)(x, *args, **kwargs)


ACTIVATIONS = {
    "hardtanh": _functional("hardtanh"),
    "hardtanh(-0.5, 3)": _functional("hardtanh", -0.5, 3.0),
    "hardtanh(-1, nan)": _functional("hardtanh", -1.0, NAN),
    "hardtanh(nan, 1)": _functional("hardtanh", NAN, 1.0),
    "hardtanh(-inf, inf)": _functional("hardtanh", -INF, INF),
    "relu6": _functional("relu6"),
    "hardshrink": _functional("hardshrink"),
    "hardshrink(1)": _functional("hardshrink", 1.0),
    "hardshrink(0)": _functional("hardshrink", 0.0),
    "hardshrink(-1)": _functional("hardshrink", -1.0),
    "hardshrink(nan)": _functional("hardshrink", NAN),
    "hardshrink(inf)": _functional("hardshrink", INF),
    "softshrink": _functional("softshrink"),
    "softshrink(1)": _functional("softshrink", 1.0),
    "softshrink(0)": _functional("softshrink", 0.0),
    "softshrink(inf)": _functional("softshrink", 1e308),
    "elu": _functional("elu"),
    "elu(2)": _functional("elu", 2.0),
    "elu(-1)": _functional("elu", -1.0),
    "elu(inf)": _functional("elu", INF),
    "elu(nan)": _functional("elu", NAN),
    "selu": _functional("selu"),
    "celu": _functional("celu"),
    "celu(0.5)": _functional("celu", 0.5),
    "celu(-2)": _functional("celu", -2.0),
    "hardswish": _functional("hardswish"),
    "threshold(0.5, 2)": _functional("threshold", 0.5, 2.0),
    "leaky_relu(0.2)": _functional("leaky_relu", 0.2),
    "relu": _functional("relu"),
    "softplus(2, 1)": _functional("softplus", 2.0, 1.0),
}


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_activation_gradients_at_special_values_are_pytorchs(name):
    for point in SPECIAL:  # (one element at a time: PyTorch's element-by-element form, as on CUDA)
        _compare(ACTIVATIONS[name], [np.array([point])], f" at {point}")


# (input, target) pairs: a NaN on either side, an infinite difference of either sign, both infinite, a difference of
# 0, exactly ±δ for δ = 0.5 and 1, and ordinary ones on each side of the kink
INPUTS = [NAN, 1.0, INF, -INF, 2.0, INF, 0.5, 1.5, -0.5, 0.0, 0.25, 3.0, 1.0, -2.0, 0.3, -INF]
TARGETS = [0.0, NAN, 0.0, 1.0, -INF, INF, 0.0, 0.5, 0.5, 0.0, 0.0, -1.0, 0.0, 0.0, 0.7, -INF]


LOSSES = {f"{name}({', '.join(f'{k}={v}' for k, v in kwargs.items())})": (name, kwargs)
          for name, options in [("huber_loss", [{"delta": 1.0}, {"delta": 0.5}, {"delta": 2.0}, {"delta": INF}]),
                                ("smooth_l1_loss", [{"beta": 1.0}, {"beta": 0.5}, {"beta": 0.0}, {"beta": INF}]),
                                ("l1_loss", [{}]), ("mse_loss", [{}])]
          for kwargs in options}


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("case", sorted(LOSSES))
def test_loss_gradients_at_special_values_are_pytorchs(case, reduction):
    name, kwargs = LOSSES[case]

    def loss(lib, x, y):
        return getattr(lib.nn.functional, name)(x, y, reduction=reduction, **kwargs)

    for x, y in zip(INPUTS, TARGETS, strict=True):  # (one pair at a time: a NaN loss hides nothing of the others)
        _compare(loss, [np.array([x]), np.array([y])], f" at ({x}, {y})")
    _compare(loss, [np.array(INPUTS), np.array(TARGETS)])


# vectors holding NaN, ±∞, zeros, ties of |x| and ordinary values, and the reductions with a rule of their own there
VECTORS = [[NAN, 1.0, -2.0], [INF, 1.0, -2.0], [-INF, 1.0, 2.0], [INF, -INF, 1.0], [NAN, INF, 1.0], [0.0, 0.0, 0.0],
           [0.0, 1.0, -2.0], [2.0, -2.0, 1.0], [1.0, 1.0, -1.0]]
NORM_DOORS = ["norm", "vector_norm", "vector_norm(dim)", "vector_norm(dim=0, keepdim)", "linalg.norm", "dist",
              "torch.dist", "pairwise_distance"]


def _norm(lib, door, x, p):
    pair = lib.stack([x, 2 * x])
    return {"norm": lambda: x.norm(p), "vector_norm": lambda: lib.linalg.vector_norm(x, p),
            "vector_norm(dim)": lambda: lib.linalg.vector_norm(pair, p, dim=1),
            "vector_norm(dim=0, keepdim)": lambda: lib.linalg.vector_norm(pair, p, dim=0, keepdim=True),
            "linalg.norm": lambda: lib.linalg.norm(x, p), "dist": lambda: x.dist(lib.ones_like(x), p),
            "torch.dist": lambda: lib.dist(lib.ones_like(x), x, p),
            "pairwise_distance": lambda: lib.nn.functional.pairwise_distance(x, lib.ones_like(x), p)}[door]()


@pytest.mark.parametrize("p", [INF, -INF])
@pytest.mark.parametrize("door", NORM_DOORS)
def test_infinity_norm_gradients_at_special_values_are_pytorchs(door, p):
    # PyTorch's norm_backward for p = ±∞: sgn(x) times the gradient shared among the entries at the norm or NaN
    for vector in VECTORS:
        _compare(lambda lib, x: _norm(lib, door, x, p), [np.array(vector)], f" at {vector}")


# six factors with NaN, ±∞ and zeros (none, one, two in a row or apart), as a (2, 3) matrix
FACTORS = [[NAN, 1.0, 2.0, 3.0, 4.0, 5.0], [INF, 0.0, 2.0, 3.0, 4.0, 5.0], [NAN, 0.0, 2.0, 3.0, 4.0, 5.0],
           [INF, -INF, -1.4, 3.0, 4.0, 5.0], [1.0, 2.0, NAN, 0.0, 4.0, 5.0], [1.0, 2.0, 3.0, INF, 0.0, 5.0],
           [1.0, 2.0, 3.0, 0.0, 0.0, 5.0], [0.0, 0.0, 0.0, 1.0, 2.0, 0.0], [0.5, -1.5, 2.0, 3.0, 0.0, -1.0]]
PRODUCTS = {"prod()": lambda lib, x: x.reshape(2, 3).prod(), "prod(0)": lambda lib, x: x.reshape(2, 3).prod(0),
            "prod(1)": lambda lib, x: x.reshape(2, 3).prod(1),
            "prod(1, keepdim)": lambda lib, x: lib.prod(x.reshape(2, 3), 1, keepdim=True),
            "prod(0) of one row": lambda lib, x: x.reshape(1, 6).prod(0)}


@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_product_gradients_at_special_values_are_pytorchs(name):
    # with a 0 among the factors PyTorch's backward is its prod_safe_zeros_backward, running products (cumprod) from
    # both ends, whose own derivative (cumprod's, a running sum divided by the factor) is NaN at a NaN or ∞ factor
    for factors in FACTORS:
        _compare(PRODUCTS[name], [np.array(factors)], f" at {factors}")


QUANTILE_ROWS = [[1.0, 2.0, 3.0, 4.0], [1.0, -INF, 3.0, 4.0], [1.0, 1.0, 2.0, 2.0], [NAN, 1.0, 2.0, 3.0],
                 [-INF, -INF, 1.0, 2.0], [INF, INF, INF, 1.0], [INF, -INF, 0.0, 1.0]]
QUANTILES = {"q vector, dim": lambda lib, x, q, how: x.quantile(q, dim=0, interpolation=how),
             "q expanded": lambda lib, x, q, how: x.quantile(q[:1].expand(3), interpolation=how),
             "rows, keepdim": lambda lib, x, q, how: x.reshape(2, 2).quantile(q, 1, True, interpolation=how),
             "q 0-d": lambda lib, x, q, how: lib.quantile(x, q[0], interpolation=how)}


@pytest.mark.parametrize("interpolation", ["linear", "midpoint", "lower", "higher", "nearest"])
@pytest.mark.parametrize("name", sorted(QUANTILES))
def test_quantile_gradients_in_the_input_and_in_q_are_pytorchs(name, interpolation):
    # linear: the sorted neighbours lerped by w = q·(n − 1) − ⌊q·(n − 1)⌋, so q's gradient is (n − 1)·(above −
    # below): 0 at a tie, ∞ beside a −∞, NaN between two infinities of one sign; the other modes give q none
    for row in QUANTILE_ROWS:
        _compare(lambda lib, x, q: QUANTILES[name](lib, x, q, interpolation), [np.array(row), np.array([0.3, 0.5])],
                 f" at {row}")


@pytest.mark.parametrize("upstream", [1.5, INF, NAN])
@pytest.mark.parametrize("options", [{}, {"nan": 0.5, "posinf": 2.0, "neginf": -3.0}, {"posinf": INF}, {"nan": NAN}])
def test_nan_to_num_gradient_is_pytorchs_product_with_isfinite(options, upstream):
    # grad·isfinite(x), a product: an ∞ or NaN gradient where x was NaN or ±∞ gives NaN there, as PyTorch's
    x = np.array([NAN, INF, -INF, 1.0, 0.0, -2.0, 1e308])
    for f in (lambda lib, t: t.nan_to_num(**options) * upstream, lambda lib, t: lib.nan_to_num(t * t, **options),
              lambda lib, t: (t * 1).nan_to_num_(**options) * upstream):
        _compare(f, [x])


@pytest.mark.parametrize("rows", [[[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], [[NAN, 1.0, 0.0], [INF, 0.0, 2.0]]])
def test_cdist_with_p_0_gives_zero_gradients_that_refuse_a_second_order_as_pytorchs(rows):
    # the 0-"norm" counts the entries that differ (NaN for a NaN difference, PyTorch's min(⌈|d|⌉, 1)); its
    # _cdist_backward gives each input zeros, and has no derivative of its own
    results = []
    for lib in (torch, minigan):
        with np.errstate(all="ignore"):
            a, b = lib.tensor(np.array(rows), requires_grad=True), lib.tensor(np.array([[0.0, 2.0, 2.0]]),
                                                                              requires_grad=True)
            out = lib.cdist(a, b, p=0)
            grads = lib.autograd.grad(out.sum(), (a, b), create_graph=True)
        assert all(g is not None and g.requires_grad for g in grads), lib.__name__
        with pytest.raises(NotImplementedError):
            lib.autograd.grad(sum((g * g).sum() for g in grads), (a, b))
        results.append([out.detach().numpy()] + [g.detach().numpy() for g in grads])
    for got, want in zip(results[1], results[0], strict=True):
        _assert_same(got, want, "cdist(p=0)")


PROBABILITIES = [0.0, 1.0, 1e-300, 1 - 1e-16, 0.5, 1e-50, 0.9999999, 0.3]


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("target", [0.0, 1.0, 0.5, 0.3])
@pytest.mark.parametrize("which", ["both", "input", "target"])
def test_binary_cross_entropy_gradients_near_0_and_1_are_pytorchs(which, target, reduction):
    # PyTorch's first derivative divides by max((1 − p)·p, ε) with ε the float32 number 1e-12; its second is its
    # binary_cross_entropy_double_backward formula, g·(p² − 2pt + t)/((p + ε)²(1 − p + ε)²), and the target's
    # gradient is −logit(p), whose own derivative is ∞ at p = 0 and 1
    def loss(lib, p, t):
        p, t = (p, t.detach()) if which == "input" else (p.detach(), t) if which == "target" else (p, t)
        return lib.nn.functional.binary_cross_entropy(p, t, reduction=reduction)

    for p in PROBABILITIES:
        _compare(loss, [np.array([p]), np.array([target])], f" at p = {p!r}")


@pytest.mark.parametrize("target", [0.0, 1.0, 0.5])
def test_binary_cross_entropy_first_order_clamps_at_pytorchs_epsilon(target):
    # (1 − p)·p clamped at the float32 number 1e-12 (9.9999999600e-13), also without create_graph
    grads = []
    for lib in (torch, minigan):
        p = lib.tensor(np.array(PROBABILITIES), requires_grad=True)
        lib.nn.functional.binary_cross_entropy(p, lib.full_like(p, target), reduction="sum").backward()
        grads.append(p.grad.detach().numpy())
    _assert_same(grads[1], grads[0], "first-order gradient")


@pytest.mark.parametrize("rows", [[[0.0, 1.0, 2.0], [1.0, 1.0, 1.0]], [[3.0, 3.0, 3.0], [-1.0, -1.0, -1.0]],
                                  [[INF, 1.0, 2.0], [-INF, 0.0, 2.0]]])
def test_cdist_with_p_inf_gives_each_tie_the_whole_gradient_as_pytorchs(rows):
    # PyTorch's _cdist_backward: grad·sgn(d)·[|d| = dist] for each entry (the ∞-norm's backward shares it instead).
    # (Not compared: a NaN difference, which PyTorch's kernel passes over, max(agg, NaN) keeping agg; here it is NaN)
    results = []
    for lib in (torch, minigan):
        a, b = (lib.tensor(np.array(v), requires_grad=True) for v in (rows, [[0.0, 2.0, 2.0], [1.0, 0.0, 1.0]]))
        out = lib.cdist(a, b, p=INF)
        weights = lib.tensor(np.array([[1.0, -2.0], [0.5, 3.0]]))
        with np.errstate(invalid="ignore"):  # (NumPy warns of the ∞ − ∞ that PyTorch sums silently)
            grads = lib.autograd.grad((out * weights).sum(), (a, b))
        results.append([out.detach().numpy(), *(g.numpy() for g in grads)])
    for got, want, what in zip(results[1], results[0], ["value", "a's gradient", "b's gradient"], strict=True):
        _assert_same(got, want, what)


SCALED_SUMS = {"add": lambda lib, x, y, a: x.add(y, alpha=a), "sub": lambda lib, x, y, a: x.sub(y, alpha=a),
               "torch.add": lambda lib, x, y, a: lib.add(x, y, alpha=a),
               "torch.sub": lambda lib, x, y, a: lib.sub(x, y, alpha=a),
               "add_": lambda lib, x, y, a: (x * 1).add_(y, alpha=a),
               "sub_": lambda lib, x, y, a: (x * 1).sub_(y, alpha=a)}


@pytest.mark.parametrize("alpha", [INF, -INF, NAN, 2.0])
@pytest.mark.parametrize("name", sorted(SCALED_SUMS))
def test_a_broadcast_others_gradient_is_scaled_by_alpha_before_it_is_summed_as_pytorchs(name, alpha):
    # PyTorch's other gradient is grad·alpha, summed over the broadcast: 0 over an empty x, NaN where a grad is 0
    for x, y in [([], [0.0]), ([1.0, -2.0, 3.0], [0.5]), ([[0.0, 1.0], [2.0, 3.0]], [[1.0], [-2.0]])]:
        _compare(lambda lib, a, b: SCALED_SUMS[name](lib, a, b, alpha), [np.array(x), np.array(y)], f" at {x}, {y}")
