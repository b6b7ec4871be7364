"""The losses' arguments, options, weights and derivatives against PyTorch float64 (tests/pytorch/sweep.py; each
argument in each dtype and shape at every loss's door: test_loss_doors.py):

* the classification losses' arguments of each kind, refused or taken as PyTorch's are: class labels of int64 or
  uint8 only (uint8 not per position), ``ignore_index`` an int (a NumPy integer or a 0-d integer tensor too; a float
  or a bool is a TypeError), ``label_smoothing`` a float (a bool, a NumPy number or a 0-d tensor that does not
  require grad too); binary_cross_entropy's target in [0, 1]; gaussian_nll_loss's var a Tensor or a float;
  quantile's interpolation one of its five names;
* the options, values and gradients: binary_cross_entropy's weight, binary_cross_entropy_with_logits' weight and
  pos_weight, cross_entropy's weight, ignore_index, label_smoothing and class-probability targets, nll_loss's weight
  and ignore_index, with every reduction, as functions and as loss modules; softplus's beta and threshold
  (its torch-free tests: tests/library/test_loss_options.py);
* the regression losses' ``weight=`` (l1_loss, mse_loss, huber_loss; PyTorch 2.13's signatures): each element's
  loss times its weight; 'mean' is Σ w·ℓ / Σ w for l1 and mse and the plain mean of w·ℓ for huber; a weight of
  another size than the input is refused (ValueError);
* cross_entropy's and nll_loss's weighted mean when the kept labels' weights sum to 0: PyTorch's loss is 0/0, NaN,
  and so is its gradient at every sample kept (−w_y / total_weight); a sample whose label is ignored gets 0, so
  with every label ignored the whole gradient is 0.  Over the input's layouts, the weights, the labels ignored and
  label smoothing;
* every differentiable loss and distance with each of its tensor arguments requiring grad, to the third order: the
  gradient of every argument, then of their weighted sum again, twice (create_graph), by value and requires_grad.
  A loss whose second derivative is written as a node of its own must keep every operand it reads differentiable
  there, so that the third order sees it (binary_cross_entropy's target derivative was once computed from the
  probabilities' raw array: d³/dp²dt was lost).
* reduction='elementwise_mean' (PyTorch 0.4's "mean", taken with a deprecation warning where a loss reaches
  _Reduction.get_enum) and a reduction no loss knows, at every loss's function and module; binary_cross_entropy's
  target gradient, −logit(p) unclamped.
"""

import itertools
import warnings

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

X = np.random.default_rng(5).standard_normal((4, 3))
Y = np.array([0, 2, 1, 2])


def _one_line(L, fn):
    """fn()'s value, or its refusal (minigan's in one line)."""
    out = outcome(fn)
    if not isinstance(out, Exception):
        return close(out, 1e-12)
    if L is minigan and "\n" in str(out):
        return f"a refusal of more than one line: {out!r}"
    raise out


LABEL_CALLS = {  # over both scores' shapes: the rows (N, C), per position (N, C, d), one sample (C,)
    "cross_entropy": lambda f, x, y: f.cross_entropy(x, y),
    "cross_entropy(label_smoothing)": lambda f, x, y: f.cross_entropy(x, y, label_smoothing=0.2),
    "nll_loss": lambda f, x, y: f.nll_loss(x, y),
    "cross_entropy per position": lambda f, x, y: f.cross_entropy(x.reshape(2, 3, 2), y.reshape(2, 2)),
    "nll_loss per position": lambda f, x, y: f.nll_loss(x.reshape(2, 3, 2), y.reshape(2, 2)),
    "cross_entropy of one sample": lambda f, x, y: f.cross_entropy(x[0], y[1]),
}


def _labels(L, call, dtype):
    return _one_line(L, lambda: LABEL_CALLS[call](L.nn.functional, L.tensor(X), L.tensor(Y.astype(dtype))))


test_class_labels_are_int64_or_uint8_as_pytorchs = sweep(_labels, list(itertools.product(
    LABEL_CALLS, ["int8", "int16", "int32", "int64", "uint8"])), every=1)  # (all: 30 small losses)


def _ignore_index(L, fn, value):
    v = L.tensor(1) if isinstance(value, str) else value
    return _one_line(L, lambda: getattr(L.nn.functional, fn)(L.tensor(X), L.tensor(Y), ignore_index=v))


test_ignore_index_is_an_int = sweep(_ignore_index, list(itertools.product(
    ["cross_entropy", "nll_loss"], [1, np.int64(1), np.int32(2), "tensor(1)", 1.0, 1.5, np.float64(1.0), True, None])),
    every=1)


def _label_smoothing(L, value):
    v = value
    if isinstance(value, str) and value.startswith("tensor"):
        v = L.tensor([0.1] if "[" in value else (1 if value == "tensor(1)" else 0.1),
                     requires_grad="requires_grad" in value)
    return _one_line(L, lambda: L.nn.functional.cross_entropy(L.tensor(X), L.tensor(Y), label_smoothing=v))


test_label_smoothing_is_a_float = sweep(_label_smoothing, [
    0.1, np.float32(0.25), np.float64(0.5), True, 1, "tensor(0.1)", "tensor(1)", "tensor(0.1, requires_grad)",
    "tensor([0.1])", "0.1", None])


def _bce_target(L, target):
    return _one_line(L, lambda: L.nn.functional.binary_cross_entropy(L.tensor(np.array([0.3, 0.6])),
                                                                    L.tensor(target)))


test_binary_cross_entropys_target_must_lie_in_0_1 = sweep(_bce_target, [
    [0.0, 1.0], [1.5, 0.0], [-0.5, 1.0], [np.nan, 0.5], [np.inf, 0.0]], ids=repr, every=1)


def _gaussian_var(L, var):
    v = L.tensor(1.0) if var == "tensor(1.)" else L.ones(4, 3, dtype=L.float64) if var == "ones" else var
    return _one_line(L, lambda: L.nn.functional.gaussian_nll_loss(L.tensor(X), L.tensor(X + 1), v))


test_gaussian_nll_loss_var_is_a_tensor_or_a_float = sweep(_gaussian_var, [
    1, np.float32(1.0), np.float64(2.0), 2.0, "tensor(1.)", "ones"])


def _interpolation(L, fn, interpolation):
    return _one_line(L, lambda: getattr(L, fn)(L.tensor(X), 0.3, interpolation=interpolation).sum())


test_quantiles_interpolation_is_one_of_five_names = sweep(_interpolation, list(itertools.product(
    ["quantile"], ["linear", "midpoint", "cubic", "Linear"])))  # (nanquantile: minigan has none)
OPTIONS = [
    "F.binary_cross_entropy(p, t, weight=w)",
    "F.binary_cross_entropy(p, t, w, reduction='sum')",
    "F.binary_cross_entropy_with_logits(z, t, pos_weight=L.tensor([2.0, 1.0, 0.5]))",
    "F.binary_cross_entropy_with_logits(z, t, weight=w, reduction='sum')",
    "F.binary_cross_entropy_with_logits(z, t, w, pos_weight=L.tensor([2.0, 1.0, 0.5]), reduction='none')",
    "F.cross_entropy(z, y, label_smoothing=0.1)",
    "F.cross_entropy(z, y, weight=cw)",
    "F.cross_entropy(z, y, ignore_index=1)",
    "F.cross_entropy(z, y, ignore_index=1, reduction='sum')",
    "F.cross_entropy(z, L.softmax(z2, 1))",
    "F.cross_entropy(z, y, weight=cw, ignore_index=2, label_smoothing=0.3)",
    "F.cross_entropy(z, y, weight=cw, label_smoothing=0.3, reduction='none')",
    "F.cross_entropy(z, L.softmax(z2, 1), weight=cw, label_smoothing=0.2, reduction='sum')",
    "F.nll_loss(L.log_softmax(z, 1), y, weight=cw)",
    "F.nll_loss(L.log_softmax(z, 1), y, ignore_index=0)",
    "F.nll_loss(L.log_softmax(z, 1), y, ignore_index=0, reduction='none')",
    "L.nn.BCELoss(weight=w)(p, t)",
    "L.nn.BCEWithLogitsLoss(pos_weight=L.tensor([2.0, 1.0, 0.5]))(z, t)",
    "L.nn.CrossEntropyLoss(label_smoothing=0.2)(z, y)",
    "L.nn.CrossEntropyLoss(weight=cw, ignore_index=2)(z, y)",
    "L.nn.NLLLoss(ignore_index=1, reduction='sum')(L.log_softmax(z, 1), y)",
]


def _option(L, source):
    rng = np.random.default_rng(0)
    z = L.tensor(rng.normal(size=(4, 3)), requires_grad=True)
    z2 = L.tensor(rng.normal(size=(4, 3)))
    p = L.tensor(rng.uniform(0.1, 0.9, size=(4, 3)), requires_grad=True)
    t = L.tensor((rng.uniform(size=(4, 3)) > 0.5).astype(np.float64))
    w, y = L.tensor(rng.uniform(size=(4, 3))), L.tensor([0, 2, 1, 1])
    cw = L.tensor([1.0, 2.0, 3.0], dtype=L.float64)
    out = eval(source, {"L": L, "F": L.nn.functional, "z": z, "z2": z2, "p": p, "t": t, "w": w, "cw": cw,  # noqa: S307
                        "y": y})
    out.sum().backward()
    return close(out.detach(), 1e-10, 1e-12), close(z.grad if z.grad is not None else p.grad, 1e-10, 1e-12)


test_loss_options_match_pytorch = sweep(_option, OPTIONS, every=1)  # (all: 21 small losses)


def _softplus(L, kwargs):
    x = L.tensor(np.array([-30.0, -2.0, 0.0, 1.5, 9.9, 10.1, 40.0]), requires_grad=True)
    y = L.nn.functional.softplus(x, **kwargs)
    y.sum().backward()
    return close(y.detach(), 1e-12), close(x.grad, 1e-12), str(L.nn.functional.softmax(
        L.tensor([1.0, 2.0]), 0, dtype=L.float64).dtype).split(".")[-1]


test_softplus_beta_and_threshold_and_softmax_dtype_as_pytorch = sweep(_softplus, [
    dict(beta=2.0), dict(beta=0.5, threshold=3.0), dict(beta=2, threshold=20)], ids=repr)


def _weighted(L, name, reduction):
    rng = np.random.default_rng(7)
    x, y, w = (L.tensor(a, dtype=L.float64, requires_grad=True) for a in (
        rng.standard_normal((3, 4)) * 2, rng.standard_normal((3, 4)), rng.uniform(0.1, 2, (3, 4))))
    out = getattr(L.nn.functional, name)(x, y, reduction=reduction, weight=w)
    out.sum().backward()
    return [close(out.detach(), 1e-12)] + [close(t.grad, 1e-12, 1e-15) for t in (x, y, w)]


test_a_weighted_loss_and_its_gradients_are_pytorchs = sweep(_weighted, list(itertools.product(
    ["l1_loss", "mse_loss", "huber_loss"], ["mean", "sum", "none"])))


def _weight_of_another_size(L, name):
    x = L.tensor(np.ones((3, 4)))
    out = outcome(lambda: getattr(L.nn.functional, name)(x, x, weight=L.tensor(np.ones(4))))
    if isinstance(out, Exception) and "same size" not in str(out) and "weight" not in str(out):
        return f"a refusal that names neither the weight nor the size: {out!r}"
    if isinstance(out, Exception):
        raise out
    return out


test_a_weight_of_another_size_is_refused_as_pytorch_refuses_it = sweep(_weight_of_another_size, [
    "l1_loss", "mse_loss", "huber_loss"])
ZERO_WEIGHTS = {"targets_weigh_0": [1.0, 0.0, 2.0], "all_0": [0.0, 0.0, 0.0], "plain": None}
ZERO_LABELS = {"none_ignored": [1, 1, 1, 1], "some_ignored": [1, -100, 1, 1], "all_ignored": [-100] * 4,
               "mixed_classes": [1, 0, 2, 1]}
ZERO_SHAPES = {"rows": (4, 3), "per_position": (2, 3, 2), "one_sample": (3,)}


def _zero_total_weight(L, op, shape, weight, labels, smoothing):
    x = L.tensor(np.random.default_rng(0).standard_normal(ZERO_SHAPES[shape]), requires_grad=True)
    y = np.array(ZERO_LABELS[labels])
    y = L.tensor(y[:1].reshape(()) if shape == "one_sample" else y.reshape(2, 2) if shape == "per_position" else y)
    w = None if ZERO_WEIGHTS[weight] is None else L.tensor(ZERO_WEIGHTS[weight], dtype=L.float64)
    F = L.nn.functional
    loss = F.nll_loss(F.log_softmax(x, 0 if shape == "one_sample" else 1), y, weight=w) if op == "nll_loss" else \
        F.cross_entropy(x, y, weight=w, label_smoothing=smoothing)
    loss.backward()
    return close(loss.detach(), 1e-12, 1e-14), close(x.grad, 1e-12, 1e-14)


test_weighted_mean_of_zero_total_weight = sweep(_zero_total_weight, [
    (op, shape, weight, labels, smoothing) for op in ("cross_entropy", "nll_loss") for shape in ZERO_SHAPES
    for weight in ZERO_WEIGHTS for labels in ZERO_LABELS
    for smoothing in ((0.0, 0.2) if op == "cross_entropy" else (0.0,))])

# name: (call(L, *tensors), what each tensor holds: real, prob (in (0, 1)), pos (> 0), sign (±1, no gradient))
THIRD_ORDER = {
    "binary_cross_entropy": (lambda L, p, t: L.nn.functional.binary_cross_entropy(p, t), ["prob", "prob"]),
    "binary_cross_entropy sum": (lambda L, p, t: L.nn.functional.binary_cross_entropy(p, t, reduction="sum"),
                                 ["prob", "prob"]),
    "binary_cross_entropy none": (lambda L, p, t: L.nn.functional.binary_cross_entropy(p, t, reduction="none"),
                                  ["prob", "prob"]),
    "binary_cross_entropy weight": (lambda L, p, t, w: L.nn.functional.binary_cross_entropy(p, t, weight=w),
                                    ["prob", "prob", "pos"]),
    "binary_cross_entropy_with_logits": (lambda L, x, t: L.nn.functional.binary_cross_entropy_with_logits(x, t),
                                         ["real", "prob"]),
    "binary_cross_entropy_with_logits pos_weight": (
        lambda L, x, t, w: L.nn.functional.binary_cross_entropy_with_logits(x, t, pos_weight=w),
        ["real", "prob", "pos"]),
    "mse_loss": (lambda L, a, b: L.nn.functional.mse_loss(a, b), ["real", "real"]),
    "l1_loss": (lambda L, a, b: L.nn.functional.l1_loss(a, b), ["real", "real"]),
    "smooth_l1_loss": (lambda L, a, b: L.nn.functional.smooth_l1_loss(a, b, beta=0.7), ["real", "real"]),
    "huber_loss": (lambda L, a, b: L.nn.functional.huber_loss(a, b, delta=0.7, reduction="sum"), ["real", "real"]),
    "kl_div": (lambda L, a, b: L.nn.functional.kl_div(a, b, reduction="batchmean"), ["real", "prob"]),
    "kl_div log_target": (lambda L, a, b: L.nn.functional.kl_div(a, b, log_target=True), ["real", "real"]),
    "cross_entropy probabilities": (lambda L, a, b: L.nn.functional.cross_entropy(a, b), ["real", "prob"]),
    "poisson_nll_loss": (lambda L, a, b: L.nn.functional.poisson_nll_loss(a, b), ["real", "pos"]),
    "poisson_nll_loss not log": (lambda L, a, b: L.nn.functional.poisson_nll_loss(a, b, log_input=False),
                                 ["pos", "pos"]),
    "gaussian_nll_loss": (lambda L, a, b, v: L.nn.functional.gaussian_nll_loss(a, b, v), ["real", "real", "pos"]),
    "soft_margin_loss": (lambda L, a, b: L.nn.functional.soft_margin_loss(a, b), ["real", "sign"]),
    "multilabel_soft_margin_loss": (lambda L, a, b: L.nn.functional.multilabel_soft_margin_loss(a, b),
                                    ["real", "prob"]),
    "margin_ranking_loss": (lambda L, a, b, s: L.nn.functional.margin_ranking_loss(a, b, s, margin=0.1),
                            ["real", "real", "sign"]),
    "hinge_embedding_loss": (lambda L, a, s: L.nn.functional.hinge_embedding_loss(a, s), ["real", "sign"]),
    "cosine_embedding_loss": (lambda L, a, b: L.nn.functional.cosine_embedding_loss(
        a, b, L.tensor([1.0, -1.0, 1.0], dtype=L.float64)), ["real", "real"]),
    "triplet_margin_loss": (lambda L, a, b, c: L.nn.functional.triplet_margin_loss(a, b, c),
                            ["real", "real", "real"]),
    "cosine_similarity": (lambda L, a, b: L.nn.functional.cosine_similarity(a, b), ["real", "real"]),
    "pairwise_distance": (lambda L, a, b: L.nn.functional.pairwise_distance(a, b), ["real", "real"]),
    "dist": (lambda L, a, b: L.dist(a, b), ["real", "real"]),
}


def _third_order(L, name):
    """Each argument's gradient (None where unused) and whether it requires grad, at orders 1, 2 and 3."""
    call, kinds = THIRD_ORDER[name]
    rng = np.random.default_rng(7)
    xs = []
    for kind in kinds:
        a = rng.normal(size=(3, 4))
        a = {"real": a, "prob": 1 / (1 + np.exp(-a)), "pos": np.abs(a) + 0.2, "sign": np.where(a > 0, 1.0, -1.0)}[kind]
        xs.append(L.tensor(a, dtype=L.float64, requires_grad=kind != "sign"))
    wrt = [x for x, k in zip(xs, kinds) if k != "sign"]
    ys, seen, rng = [call(L, *xs)], [], np.random.default_rng(8)
    for _ in range(3):
        ws = [L.tensor(rng.normal(size=tuple(y.shape)), dtype=L.float64) for y in ys]
        gs = L.autograd.grad(ys, wrt, grad_outputs=ws, create_graph=True, allow_unused=True)
        seen.append([None if g is None else (close(g.detach(), 1e-7, 1e-9), g.requires_grad) for g in gs])
        ys = [g for g in gs if g is not None and g.requires_grad]
        if not ys:
            break
    return seen


test_loss_to_third_order_matches_pytorch = sweep(_third_order, sorted(THIRD_ORDER), every=1)  # (all: 25 losses)


def _bce_target_gradient(L, reduction):
    p = L.tensor([0.0, 1.0, 0.25, 1e-300, 1 - 1e-16, 0.5], dtype=L.float64, requires_grad=True)
    y = L.tensor([0.5, 0.5, 0.2, 0.9, 0.1, 1.0], dtype=L.float64, requires_grad=True)
    loss = L.nn.functional.binary_cross_entropy(p, y, reduction=reduction)
    gp, gy = L.autograd.grad(loss.sum(), (p, y))
    return [close(loss.detach(), 1e-12), close(gy, 1e-12), close(gp, 1e-6)]  # (p's: PyTorch's ε = 1e-12 below)


# binary_cross_entropy's gradient with respect to its target is −logit(p) = log(1 − p) − log p, not clamped: ±∞ at
# p = 1 or 0 (only the loss's logs are clamped at −100)
test_binary_cross_entropys_target_gradient_is_minus_logit_p_unclamped = sweep(_bce_target_gradient,
                                                                              ["mean", "sum", "none"])


def _reduction_data(L):
    rng = np.random.default_rng(0)
    x, c = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    t = lambda a, **kw: L.tensor(a, **kw)  # noqa: E731
    return {"x": t(x, requires_grad=True), "c": t(c), "p": t(1 / (1 + np.exp(-c))), "sign": t(np.sign(c)),
            "row_sign": t(np.array([1.0, -1.0, 1.0])), "labels": t(np.array([0, 3, 1])),
            "x2": t(x[::-1].copy()), "var": t(np.abs(c) + 0.5), "counts": t(np.abs(np.round(c * 3)))}


# name: (the module's name, f(F, d, r) -> the loss for a reduction r, the module's arguments of d)
REDUCTION_LOSSES = {
    "l1_loss": ("L1Loss", lambda F, d, r: F.l1_loss(d["x"], d["c"], reduction=r), "x c"),
    "mse_loss": ("MSELoss", lambda F, d, r: F.mse_loss(d["x"], d["c"], reduction=r), "x c"),
    "smooth_l1_loss": ("SmoothL1Loss", lambda F, d, r: F.smooth_l1_loss(d["x"], d["c"], reduction=r), "x c"),
    "huber_loss": ("HuberLoss", lambda F, d, r: F.huber_loss(d["x"], d["c"], reduction=r), "x c"),
    "binary_cross_entropy": ("BCELoss", lambda F, d, r: F.binary_cross_entropy(d["x"].sigmoid(), d["p"],
                                                                              reduction=r), "sigmoid(x) p"),
    "binary_cross_entropy_with_logits": ("BCEWithLogitsLoss", lambda F, d, r: F.binary_cross_entropy_with_logits(
        d["x"], d["p"], reduction=r), "x p"),
    "cross_entropy": ("CrossEntropyLoss", lambda F, d, r: F.cross_entropy(d["x"], d["labels"], reduction=r),
                      "x labels"),
    "nll_loss": ("NLLLoss", lambda F, d, r: F.nll_loss(F.log_softmax(d["x"], 1), d["labels"], reduction=r),
                 "log_softmax(x) labels"),
    "kl_div": ("KLDivLoss", lambda F, d, r: F.kl_div(F.log_softmax(d["x"], 1), F.softmax(d["c"], 1), reduction=r),
               "log_softmax(x) softmax(c)"),
    "soft_margin_loss": ("SoftMarginLoss", lambda F, d, r: F.soft_margin_loss(d["x"], d["sign"], reduction=r),
                         "x sign"),
    "margin_ranking_loss": ("MarginRankingLoss", lambda F, d, r: F.margin_ranking_loss(d["x"], d["x2"], d["sign"],
                                                                                       reduction=r), "x x2 sign"),
    "hinge_embedding_loss": ("HingeEmbeddingLoss", lambda F, d, r: F.hinge_embedding_loss(d["x"], d["sign"],
                                                                                          reduction=r), "x sign"),
    "cosine_embedding_loss": ("CosineEmbeddingLoss", lambda F, d, r: F.cosine_embedding_loss(
        d["x"], d["x2"], d["row_sign"], reduction=r), "x x2 row_sign"),
    "gaussian_nll_loss": ("GaussianNLLLoss", lambda F, d, r: F.gaussian_nll_loss(d["x"], d["c"], d["var"],
                                                                                reduction=r), "x c var"),
    "multilabel_soft_margin_loss": ("MultiLabelSoftMarginLoss", lambda F, d, r: F.multilabel_soft_margin_loss(
        d["x"], d["p"].round(), reduction=r), "x round(p)"),
    "poisson_nll_loss": ("PoissonNLLLoss", lambda F, d, r: F.poisson_nll_loss(d["x"], d["counts"], reduction=r),
                         "x counts"),
    "multi_margin_loss": ("MultiMarginLoss", lambda F, d, r: F.multi_margin_loss(d["x"], d["labels"], reduction=r),
                          "x labels"),
    "triplet_margin_loss": ("TripletMarginLoss", lambda F, d, r: F.triplet_margin_loss(d["x"], d["x2"], d["c"],
                                                                                      reduction=r), "x x2 c"),
}
MODULE_ARGUMENTS = {"sigmoid(x)": lambda d: d["x"].sigmoid(), "log_softmax(x)": lambda d: d["x"].log_softmax(1),
                    "softmax(c)": lambda d: d["c"].softmax(1), "round(p)": lambda d: d["p"].round()}


def _reduction_named(L, name, door, reduction):
    """A loss given ``reduction`` at a door: its value (close) and whether it warned that the name is deprecated;
    PyTorch's value for 'elementwise_mean' is its mean's."""
    module, f, arguments = REDUCTION_LOSSES[name]
    d = _reduction_data(L)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        if door == "functional":
            value = f(L.nn.functional, d, reduction)
        else:
            value = getattr(L.nn, module)(reduction=reduction)(*(
                MODULE_ARGUMENTS[a](d) if a in MODULE_ARGUMENTS else d[a] for a in arguments.split()))
    warned = any("elementwise_mean" in str(w.message) and "deprecated" in str(w.message) for w in caught)
    return [close(value.detach(), 1e-12), warned]


def _reduction_refusal(ours, theirs):
    if isinstance(theirs, Exception):
        return None if "reduction" in str(ours) and "\n" not in str(ours) else f"a one-line refusal that names " \
            f"the reduction, not {ours!r:.200}"
    return "PyTorch takes a reduction it does not know"


# reduction='elementwise_mean', PyTorch 0.4's name of "mean": PyTorch still takes it wherever a loss reaches
# _Reduction.get_enum (warning that it is deprecated and computing the mean); the losses that read the name
# themselves refuse it.  Every loss of both libraries, functional and module (the losses minigan has)
REDUCTION_DOORS = [(name, door) for name, (module, _, _) in REDUCTION_LOSSES.items()
                   for door in ("functional", "module")
                   if hasattr(minigan.nn.functional, name) and (door == "functional" or hasattr(minigan.nn, module))]
test_a_loss_takes_elementwise_mean_as_pytorch = sweep(_reduction_named, [
    (name, door, "elementwise_mean") for name, door in REDUCTION_DOORS])
# a reduction neither knows is refused by every loss (seven of minigan's returned the loss unreduced)
test_a_misspelt_reduction_is_refused_by_every_loss_as_pytorch = sweep(_reduction_named, [
    (name, door, "average") for name, door in REDUCTION_DOORS], also=_reduction_refusal)


@pytest.mark.filterwarnings("ignore::UserWarning")  # (PyTorch's notes on elementwise_mean and kl_div's mean)
def test_elementwise_mean_is_pytorchs_mean():
    """(what the sweep above compares with: PyTorch's 'elementwise_mean' is its mean, where it takes it)"""
    for name, (_, f, _) in REDUCTION_LOSSES.items():
        theirs = outcome(f, torch.nn.functional, _reduction_data(torch), "elementwise_mean")
        if not isinstance(theirs, Exception) and theirs.shape == ():
            mean = f(torch.nn.functional, _reduction_data(torch), "mean")
            assert np.isclose(theirs.detach().numpy(), mean.detach().numpy(), rtol=1e-12), name


@pytest.mark.parametrize("module", sorted({REDUCTION_LOSSES[name][0] for name, door in REDUCTION_DOORS
                                           if door == "module"}))
def test_a_misspelt_reduction_is_refused_at_the_layers_door(module):
    with pytest.raises(ValueError, match="reduction"):
        getattr(minigan.nn, module)(reduction="average")
