"""Ops PyTorch runs but does not differentiate, against PyTorch: the forward runs, its result requires grad as
PyTorch's does (the node shown by PyTorch's name), and a backward that reaches the op raises PyTorch's class,
naming the op; at the first order (floor_divide, unique, bernoulli(x, p), histogram, acosh_/asinh_/atanh_) or the
second (hardsigmoid, and cdist by PyTorch's direct algorithm, whose backwards have no derivative).  The family is
every public op minigan shares with PyTorch for which PyTorch's derivatives.yaml has no formula or
``not_implemented(...)`` (minigan/surface/no_derivative.py).

(Its torch-free tests: tests/library/test_no_derivative.py.)"""

import numpy as np
import pytest

import minigan

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


def _refusal(lib, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the refusal is what is compared
        return e
    return None


def _same_refusal(mine, theirs, op):
    assert theirs is not None, "PyTorch no longer refuses: this op left the family"
    assert mine is not None, f"minigan differentiated {op}, where PyTorch raises {type(theirs).__name__}: {theirs}"
    assert isinstance(mine, type(theirs)), f"minigan {type(mine).__name__}: {mine} | PyTorch {type(theirs).__name__}"
    assert op in str(mine) and "\n" not in str(mine), str(mine)


def _same_results(mo, to, random):
    assert len(mo) == len(to)
    for m, t in zip(mo, to):
        assert (m.requires_grad, str(m.dtype).split(".")[-1], tuple(m.shape)) == \
            (t.requires_grad, str(t.dtype).split(".")[-1], tuple(t.shape))
        assert (m.grad_fn.name() if m.grad_fn else None) == (t.grad_fn.name() if t.grad_fn else None)
        if not random:
            np.testing.assert_allclose(m.detach().numpy(), t.detach().numpy(), rtol=1e-12, atol=0)


@pytest.mark.parametrize("name, call, op", FIRST, ids=[c[0] for c in FIRST])
def test_the_forward_runs_and_the_first_backward_refuses_as_pytorch(name, call, op):
    mx, mo = _run(minigan, call, X)
    tx, to = _run(torch, call, X)
    _same_results(mo, to, name.startswith(RANDOM))
    theirs = _refusal(torch, lambda: torch.autograd.grad(_loss(torch, to), tx))
    mine = _refusal(minigan, lambda: minigan.autograd.grad(_loss(minigan, mo), mx))
    _same_refusal(mine, theirs, op)
    # detached, the result is a constant, and the backward runs (the learner's way out the message names)
    m_detached = [o.detach() for o in mo if o.dtype == minigan.float64]
    (g,) = minigan.autograd.grad(sum(o.sum() * mx.sum() for o in m_detached) + (mx * 0).sum(), mx)
    assert np.isfinite(g.numpy()).all()


@pytest.mark.parametrize("call", [lambda L, x: L.atan2(x, x > 0), lambda L, x: L.atan2(x > 0, x.detach() + 1)])
def test_a_bool_operand_that_pytorchs_formula_does_not_compute_with_is_fine(call):
    mx, (mo,) = _run(minigan, call, X)
    tx, (to,) = _run(torch, call, X)
    _same_results([mo], [to], False)
    if to.requires_grad:
        (tg,) = torch.autograd.grad(_loss(torch, [to]), tx)
        (mg,) = minigan.autograd.grad(_loss(minigan, [mo]), mx)
        np.testing.assert_allclose(mg.numpy(), tg.numpy(), rtol=1e-12)


@pytest.mark.parametrize("mode, rows", [("use_mm_for_euclid_dist", 3), ("use_mm_for_euclid_dist_if_necessary", 30)])
def test_cdist_by_pytorchs_mm_algorithm_is_differentiable_twice(mode, rows):
    x = np.linspace(-2.0, 3.0, rows * 4).reshape(rows, 4) ** 2
    grads = []
    for lib in (minigan, torch):
        t = lib.tensor(x, requires_grad=True)
        (g,) = lib.autograd.grad(lib.cdist(t, lib.tensor(Y), compute_mode=mode).sum(), t, create_graph=True)
        grads.append(lib.autograd.grad((g * g).sum(), t)[0].numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6, atol=1e-9)  # (PyTorch's mm: rounding of its own)


@pytest.mark.parametrize("name, call, op", SECOND, ids=[c[0] for c in SECOND])
def test_the_first_order_is_pytorchs_and_the_second_refuses(name, call, op):
    mx, mo = _run(minigan, call, X)
    tx, to = _run(torch, call, X)
    _same_results(mo, to, False)
    (tg,) = torch.autograd.grad(_loss(torch, to), tx, create_graph=True)
    (mg,) = minigan.autograd.grad(_loss(minigan, mo), mx, create_graph=True)
    np.testing.assert_allclose(mg.detach().numpy(), tg.detach().numpy(), rtol=1e-7, atol=1e-15)  # (1e-7: PyTorch's
    # hardsigmoid_backward multiplies by 1/6 rounded to float32, minigan by the float64 1/6)
    assert mg.requires_grad == tg.requires_grad
    theirs = _refusal(torch, lambda: torch.autograd.grad((tg * tg).sum(), tx))
    mine = _refusal(minigan, lambda: minigan.autograd.grad((mg * mg).sum(), mx))
    _same_refusal(mine, theirs, op)


@pytest.mark.parametrize("name, call, op", FIRST[:1] + FIRST[7:8] + FIRST[15:16] + BOOL_OPERAND[:1],
                         ids=["floor_divide", "unique", "histogram", "atan2 of a mask"])
def test_without_grad_mode_nothing_is_recorded(name, call, op):  # (and the refusals' checks do not fail there)
    for lib in (minigan, torch):
        with lib.no_grad():
            _, outs = _run(lib, call, X)
        assert not any(o.requires_grad for o in outs)
