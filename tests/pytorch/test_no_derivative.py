"""Ops PyTorch runs but does not differentiate, against PyTorch (tests/pytorch/sweep.py): the forward runs, its
result requires grad as PyTorch's does (the node shown by PyTorch's name), and a backward that reaches the op raises
PyTorch's class, naming the op; at the first order (floor_divide, unique, bernoulli(x, p), histogram,
acosh_/asinh_/atanh_) or the second (hardsigmoid, and cdist by PyTorch's direct algorithm, whose backwards have no
derivative).  The family is every public op minigan shares with PyTorch for which PyTorch's derivatives.yaml has no
formula or ``not_implemented(...)`` (minigan/surface/no_derivative.py).

(Its torch-free tests: tests/library/test_no_derivative.py.)"""

import numpy as np
import pytest

import minigan
from pytorch.sweep import close, outcome, sweep

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

X = np.array([[1.5, -2.0, 3.25, 0.5], [1.5, -2.0, 3.25, 0.75], [-0.25, 4.0, 2.5, -3.5]])


def _nn(lib):
    return lib.nn.functional


# (name, the call on (lib, x), the op PyTorch names, the order at which the backward refuses)
FIRST = [
    ("floor_divide(x, 2)", lambda L, x: L.floor_divide(x, 2), "floor_divide"),
    ("floor_divide(x, y)", lambda L, x: L.floor_divide(x, x.detach() * 0 + 0.75), "floor_divide"),
    ("x.floor_divide(x)", lambda L, x: (x * 3).floor_divide(x + 10), "floor_divide"),
    ("x // 2", lambda L, x: x // 2, "floor_divide"),
    ("2 // x", lambda L, x: 2 // x, "floor_divide"),
    ("x.floor_divide_(2)", lambda L, x: x.clone().floor_divide_(2), "floor_divide_"),
    ("x //= 2", lambda L, x: x.clone().__ifloordiv__(2), "floor_divide_"),
    ("unique(x)", lambda L, x: L.unique(x), "_unique2"),
    ("unique(x, sorted=False)", lambda L, x: L.unique(x, sorted=False), "_unique2"),
    ("unique(x, inverse, counts)", lambda L, x: L.unique(x, return_inverse=True, return_counts=True), "_unique2"),
    ("unique(x, dim=0)", lambda L, x: L.unique(x, dim=0), "unique_dim"),
    ("x.unique(dim=1, inverse)", lambda L, x: x.unique(dim=1, return_inverse=True), "unique_dim"),
    ("x.unique()", lambda L, x: x.unique(), "_unique2"),
    ("bernoulli(x, 0.5)", lambda L, x: L.bernoulli(x, 0.5), "bernoulli"),
    ("x.bernoulli(p=1.0)", lambda L, x: x.bernoulli(p=1.0), "bernoulli"),
    ("histogram(x, 3)", lambda L, x: L.histogram(x, 3), "histogram"),
    ("histogram(x, 4, weight=)", lambda L, x: L.histogram(x.detach(), 4, weight=x), "histogram"),
    ("histogram(x, bins)", lambda L, x: L.histogram(x, L.tensor([-4.0, 0.0, 5.0], dtype=L.float64)), "histogram"),
    ("x.acosh_()", lambda L, x: (x + 5).acosh_(), "inplace version of acosh"),
    ("x.arccosh_()", lambda L, x: (x + 5).arccosh_(), "inplace version of acosh"),
    ("x.asinh_()", lambda L, x: (x * 1).asinh_(), "inplace version of asinh"),
    ("x.arcsinh_()", lambda L, x: (x * 1).arcsinh_(), "inplace version of asinh"),
    ("x.atanh_()", lambda L, x: (x / 5).atanh_(), "inplace version of atanh"),
    ("x.arctanh_()", lambda L, x: (x / 5).arctanh_(), "inplace version of atanh"),
]
# PyTorch has a derivative, but its formula computes with a bool operand, which its `-` refuses (at backward)
BOOL_OPERAND = [
    ("atan2(mask, x)", lambda L, x: L.atan2(x > 0, x), "atan2"),
    ("x.arctan2(y) of a mask", lambda L, x: (x < 1).arctan2(x * 2), "atan2"),
    ("logaddexp(x, mask)", lambda L, x: L.logaddexp(x, x > 0), "logaddexp"),
    ("logaddexp(mask, x)", lambda L, x: L.logaddexp(x > 0, x), "logaddexp"),
    ("x.logaddexp(mask)", lambda L, x: x.logaddexp(x < 2), "logaddexp"),
]
FIRST += BOOL_OPERAND
Y = np.array([[0.5, -1.0, 3.25, 0.5], [2.0, 0.0, -1.5, 1.0]])
SECOND = [
    ("cdist(x, y)", lambda L, x: L.cdist(x, L.tensor(Y)), "_cdist_backward"),
    ("cdist(x, y, p=1)", lambda L, x: L.cdist(x, L.tensor(Y), p=1.0), "_cdist_backward"),
    ("cdist(y, x, p=3)", lambda L, x: L.cdist(L.tensor(Y), x, p=3), "_cdist_backward"),
    ("cdist(x, x, p=inf)", lambda L, x: L.cdist(x, x, p=float("inf")), "_cdist_backward"),
    ("cdist(x, y, donot_use_mm)", lambda L, x: L.cdist(x, L.tensor(Y), compute_mode="donot_use_mm_for_euclid_dist"),
     "_cdist_backward"),
    ("F.hardsigmoid(x)", lambda L, x: _nn(L).hardsigmoid(x), "hardsigmoid_backward"),
    ("F.hardsigmoid(x, inplace)", lambda L, x: _nn(L).hardsigmoid(x * 1, inplace=True), "hardsigmoid_backward"),
    ("nn.Hardsigmoid()(x)", lambda L, x: L.nn.Hardsigmoid()(x), "hardsigmoid_backward"),
]
RANDOM = ("bernoulli",)


def _outputs(out):
    return list(out) if isinstance(out, (tuple, list)) else [out]


def _run(lib, call, x):
    t = lib.tensor(x, requires_grad=True)
    return t, _outputs(call(lib, t))


def _loss(lib, outs):
    floats = [o for o in outs if o.requires_grad]
    return sum((o * lib.tensor(np.linspace(-1.0, 2.0, o.numel()).reshape(tuple(o.shape)))).sum() for o in floats)


NAMED = {name: (call, op) for name, call, op in FIRST + SECOND}


def _seen(outs, random=False):
    """What a program sees of each result: requires_grad, the node's name, the values (of a draw: dtype and shape)."""
    return [(o.requires_grad, o.grad_fn.name() if o.grad_fn else None,
             (str(o.dtype).split(".")[-1], tuple(o.shape)) if random else close(o.detach(), 1e-12)) for o in outs]


def _one_line_naming(ours, theirs):
    """The refusal names the op, in one line (``ours``: the op, then what the call gave, its refusal last)."""
    refused = ours[-1][0]
    return isinstance(refused, Exception) and (ours[0] not in str(refused) or "\n" in str(refused)) and \
        f"a refusal that is not one line naming {ours[0]}: {refused!r:.200}"


def _first(L, name):
    """The results, and the first backward's refusal."""
    call, op = NAMED[name]
    x, outs = _run(L, call, X)
    return op, _seen(outs, name.startswith(RANDOM)), [outcome(lambda: L.autograd.grad(_loss(L, outs), x))]


def _second(L, name):
    """The results, the first derivative (within 1e-7: PyTorch's hardsigmoid_backward multiplies by 1/6 rounded to
    float32, minigan by the float64 1/6) and whether it requires grad, and the second backward's refusal."""
    call, op = NAMED[name]
    x, outs = _run(L, call, X)
    (g,) = L.autograd.grad(_loss(L, outs), x, create_graph=True)
    return op, _seen(outs), close(g.detach(), 1e-7, 1e-15), g.requires_grad, [
        outcome(lambda: L.autograd.grad((g * g).sum(), x))]


test_the_forward_runs_and_the_first_backward_refuses_as_pytorch = sweep(_first, [c[0] for c in FIRST],
                                                                        also=_one_line_naming)
test_the_first_order_is_pytorchs_and_the_second_refuses = sweep(_second, [c[0] for c in SECOND],
                                                                also=_one_line_naming)


def test_detached_the_result_is_a_constant_and_the_backward_runs():
    """The learner's way out the message names."""
    for name, call, _ in FIRST:
        mx, mo = _run(minigan, call, X)
        detached = [o.detach() for o in mo if o.dtype == minigan.float64]
        (g,) = minigan.autograd.grad(sum(o.sum() * mx.sum() for o in detached) + (mx * 0).sum(), mx)
        assert np.isfinite(g.numpy()).all(), name


def _bool_operand(L, k):
    """atan2 of a mask whose derivative PyTorch's formula does not compute with: the result, and its gradient."""
    x, (out,) = _run(L, [lambda L, x: L.atan2(x, x > 0), lambda L, x: L.atan2(x > 0, x.detach() + 1)][k], X)
    return _seen([out]), out.requires_grad and close(L.autograd.grad(_loss(L, [out]), x)[0], 1e-12)


def _cdist_by_mm(L, mode, rows):
    """The second derivative of cdist by PyTorch's mm algorithm (within 1e-6: its mm rounds on its own)."""
    t = L.tensor(np.linspace(-2.0, 3.0, rows * 4).reshape(rows, 4) ** 2, requires_grad=True)
    (g,) = L.autograd.grad(L.cdist(t, L.tensor(Y), compute_mode=mode).sum(), t, create_graph=True)
    return close(L.autograd.grad((g * g).sum(), t)[0], 1e-6, 1e-9)


def _without_grad_mode(L, name):  # (and the refusals' checks do not fail there)
    with L.no_grad():
        return [o.requires_grad for o in _run(L, NAMED[name][0], X)[1]]


test_a_bool_operand_that_pytorchs_formula_does_not_compute_with_is_fine = sweep(_bool_operand, [0, 1])
test_cdist_by_pytorchs_mm_algorithm_is_differentiable_twice = sweep(_cdist_by_mm, [
    ("use_mm_for_euclid_dist", 3), ("use_mm_for_euclid_dist_if_necessary", 30)])
test_without_grad_mode_nothing_is_recorded = sweep(_without_grad_mode, [
    "floor_divide(x, 2)", "unique(x)", "histogram(x, 3)", "atan2(mask, x)"])
