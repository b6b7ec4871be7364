"""layer_norm's first and second order along a nearly constant row, in float64, against an exact reference (mpmath
at 50 digits) and PyTorch's; group, instance and batch norm's row sums and constant direction too.

Layer norm does not change when a constant is added to a row, so its gradient sums to 0 along each row and its
second derivative along a constant direction is 0, exactly.  Where a row is nearly constant (a large mean, a tiny
spread: graph seed 1250466's [140.478, 140.489]), an upstream that moves the row almost as a whole multiplies those
sums by a large factor: a sum left at the rounding of the mean (1e-12 of the terms) rather than of the terms (1e-16)
then costs digits of every gradient further up.  Checked: the row sums and the second derivative along a constant
direction (0 for PyTorch's composite, x − mean and its backward); the first and second derivatives of
go · layer_norm(hypot(a, c)) in a scalar a (rows a + c²/2a, nearly constant for a large a) and in the weight,
against mpmath; ordinary rows against PyTorch's fused layer_norm.  Shapes (2,), (5,), (3, 4); without and with a
weight and a bias."""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
mpmath = pytest.importorskip("mpmath", reason="needs mpmath (an exact reference)")

SHAPES = [((3, 2), (2,)), ((2, 5), (5,)), ((2, 3, 4), (3, 4))]
AFFINE = ["none", "weight", "weight and bias"]
ROWS = {"near-constant": (140.0, 0.01), "far": (1e4, 0.1), "ordinary": (0.0, 1.0)}


def _case(shape, ns, affine, seed=0):
    rng = np.random.default_rng([seed, len(shape), sum(ns)])
    w = rng.uniform(0.5, 1.5, ns) if affine != "none" else None
    b = rng.normal(size=ns) if affine == "weight and bias" else None
    return w, b, rng.normal(size=shape), rng.normal(size=shape)


def _layer_norm(lib, x, ns, w, b, requires_grad=True):
    w = None if w is None else lib.tensor(w, dtype=lib.float64, requires_grad=requires_grad)
    b = None if b is None else lib.tensor(b, dtype=lib.float64, requires_grad=requires_grad)
    return lib.nn.functional.layer_norm(x, ns, w, b), w, b


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("affine", AFFINE)
@pytest.mark.parametrize("shape,ns", SHAPES)
def test_row_sums_and_constant_direction(shape, ns, affine, rows):
    """Σ over a row of the input's gradient, and the second derivative along a row-constant direction, are 0 (up to
    the rounding of the terms, not of the mean), as PyTorch's composite layer norm's."""
    mean, spread = ROWS[rows]
    w, b, go, other = _case(shape, ns, affine)
    x0 = mean + spread * np.random.default_rng(len(shape)).random(shape)
    axes = tuple(range(len(shape) - len(ns), len(shape)))
    x = minigan.tensor(x0, dtype=minigan.float64, requires_grad=True)
    y, wt, _ = _layer_norm(minigan, x, ns, w, b)
    g, = minigan.autograd.grad(y, x, minigan.tensor(go), create_graph=True)
    gn = g.detach().numpy()
    rs = 1 / np.sqrt(x0.var(axis=axes, keepdims=True) + 1e-5)
    terms = np.abs(go * (1 if w is None else w) * rs).max()  # (the size of what a row's gradient subtracts)
    assert np.abs(gn.sum(axis=axes)).max() <= 1e-14 * terms * gn[0].size
    constant = np.broadcast_to(other.mean(axis=axes, keepdims=True), shape).copy()  # (one number a row)
    inputs = [x] if wt is None else [x, wt]
    along = minigan.autograd.grad(g, inputs, minigan.tensor(constant), retain_graph=True)
    scale = max([terms] + [np.abs(t.numpy()).max() for t in minigan.autograd.grad(g, inputs,
                                                                                             minigan.tensor(other))])
    for t in along:
        assert np.abs(t.numpy()).max() <= 1e-14 * scale * gn[0].size


def _exact(a, c, go, ns, w, b, eps=1e-5):
    """d/da, d²/da² of go · layer_norm(hypot(a, c)) and d²/(da dw) (w given), by mpmath at 50 digits."""
    mpmath.mp.dps = 50
    k = int(np.prod(ns))
    cs, gs = c.reshape(-1, k), go.reshape(-1, k)
    wf = None if w is None else [mpmath.mpf(float(v)) for v in w.ravel()]

    def f(a, dw=0, j=0):
        total = 0
        for cr, gr in zip(cs, gs):
            v = [mpmath.hypot(a, float(ci)) for ci in cr]
            m = sum(v) / k
            rs = 1 / mpmath.sqrt(sum((t - m) ** 2 for t in v) / k + mpmath.mpf(eps))
            for i in range(k):
                wi = 1 if wf is None else wf[i] + (dw if i == j else 0)
                total += float(gr[i]) * ((v[i] - m) * rs * wi + (0 if b is None else float(b.ravel()[i])))
        return total

    a = mpmath.mpf(a)
    first, second = mpmath.diff(f, a, 1), mpmath.diff(f, a, 2)
    mixed = None if w is None else np.array([float(mpmath.diff(lambda s, t, j=j: f(s, t, j), (a, 0), (1, 1)))
                                             for j in range(k)]).reshape(ns)
    return float(first), float(second), mixed


def _composite(x, ns, w, b):
    """PyTorch's layer norm of its own ops (what its autograd differentiates exactly as written)."""
    axes = tuple(range(x.dim() - len(ns), x.dim()))
    d = x - x.mean(axes, keepdim=True)
    y = d / ((d * d).mean(axes, keepdim=True) + 1e-5).sqrt()
    y = y if w is None else y * w
    return y if b is None else y + b


def _chain(lib, a0, c, go, ns, w, b, composite=False):
    a = lib.tensor(a0, dtype=lib.float64, requires_grad=True)
    v = lib.hypot(a, lib.tensor(c, dtype=lib.float64))
    if composite:
        wt = None if w is None else lib.tensor(w, requires_grad=True)
        y = _composite(v, ns, wt, None if b is None else lib.tensor(b))
    else:
        y, wt, _ = _layer_norm(lib, v, ns, w, b)
    first, = lib.autograd.grad((y * lib.tensor(go)).sum(), a, create_graph=True)
    second = lib.autograd.grad(first, [a] + ([] if wt is None else [wt]))
    return first.item(), second[0].item(), None if wt is None else second[1].numpy()


@pytest.mark.parametrize("a0", [140.4744, 2000.0, 0.9])
@pytest.mark.parametrize("affine", AFFINE)
@pytest.mark.parametrize("shape,ns", SHAPES)
def test_chain_against_exact(shape, ns, affine, a0):
    """First and second derivatives through layer_norm of rows hypot(a, c): nearly constant for a large a, where
    every digit lost in a row sum is multiplied by a/(c²/a).  Against mpmath's: within 1e-9 of the magnitude, and
    10 times PyTorch's composite's error (the rounding of hypot's rows bounds both: 1e-8 at a = 2000; PyTorch's
    fused layer_norm is off by up to 5e-4 there, 1e-6 at a = 140)."""
    w, b, go, _ = _case(shape, ns, affine)
    c = np.random.default_rng(7).uniform(0.5, 2.5, shape)
    exact = _exact(a0, c, go, ns, w, b)
    mine = _chain(minigan, a0, c, go, ns, w, b)
    theirs = _chain(torch, a0, c, go, ns, w, b, composite=True)
    for got, their, want in zip(mine, theirs, exact):
        if want is not None:
            scale = np.abs(want).max()
            assert np.abs(got - want).max() <= 10 * np.abs(their - want).max() + 1e-9 * scale


@pytest.mark.parametrize("affine", AFFINE)
@pytest.mark.parametrize("shape,ns", SHAPES)
def test_ordinary_rows_against_pytorch(shape, ns, affine):
    """Second-order gradients of ordinary rows (input, weight, bias) as PyTorch's fused layer_norm's."""
    w, b, go, other = _case(shape, ns, affine, seed=1)
    x0 = np.random.default_rng(3).normal(size=shape)
    seen = []
    for lib in (minigan, torch):
        x = lib.tensor(x0, dtype=lib.float64, requires_grad=True)
        y, wt, bt = _layer_norm(lib, x, ns, w, b)
        leaves = [t for t in (x, wt, bt) if t is not None]
        gs = lib.autograd.grad(y, leaves, lib.tensor(go), create_graph=True)
        ys = [g for g in gs if g.requires_grad]
        outs = [lib.tensor(other if g.shape == x.shape else np.ones(tuple(g.shape))) for g in ys]
        seen.append([None if t is None else t.detach().numpy() for t in
                     lib.autograd.grad(ys, leaves, outs, allow_unused=True)])
    for m, t in zip(*seen):
        assert (m is None) == (t is None)
        if m is not None:
            np.testing.assert_allclose(m, t, rtol=1e-10, atol=1e-10 * np.abs(t).max())


SIBLINGS = {  # (the call, the input's shape, the input reshaped so that each normalised set is a row)
    "group_norm": (lambda F, x, w: F.group_norm(x, 2, w), (2, 4, 3), lambda a: a.reshape(2 * 2, -1)),
    "instance_norm": (lambda F, x, w: F.instance_norm(x, weight=w), (2, 4, 3), lambda a: a.reshape(2 * 4, -1)),
    "batch_norm": (lambda F, x, w: F.batch_norm(x, None, None, w, training=True), (3, 4, 2),
                   lambda a: a.transpose(1, 0, 2).reshape(4, -1)),
}


@pytest.mark.parametrize("rows", ROWS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("op", SIBLINGS)
def test_siblings_row_sums_and_constant_direction(op, weighted, rows):
    """group_norm's, instance_norm's and batch_norm's (training) under create_graph: each normalised set's
    gradient sums to 0 and the second derivative along a direction constant on each set is 0, as layer_norm's."""
    call, shape, sets = SIBLINGS[op]
    mean, spread = ROWS[rows]
    rng = np.random.default_rng(11)
    x0 = mean + spread * rng.random(shape)
    go, other = rng.normal(size=(2,) + shape)
    w = rng.uniform(0.5, 1.5, shape[1]) if weighted else None
    per_set = sets(other).mean(axis=1, keepdims=True) + 0 * sets(other)  # (one number a set)
    constant = per_set.reshape(4, 3, 2).transpose(1, 0, 2) if op == "batch_norm" else per_set.reshape(shape)
    assert np.array_equal(sets(constant), per_set)
    x = minigan.tensor(x0, requires_grad=True)
    wt = None if w is None else minigan.tensor(w, requires_grad=True)
    g, = minigan.autograd.grad(call(minigan.nn.functional, x, wt), x, minigan.tensor(go), create_graph=True)
    gn = g.detach().numpy()
    rs = 1 / np.sqrt(sets(x0).var(axis=1) + 1e-5)
    terms = rs.max() * np.abs(go).max() * (1 if w is None else w.max())
    assert np.abs(sets(gn).sum(axis=1)).max() <= 1e-14 * terms * sets(gn).shape[1]
    inputs = [x] if wt is None else [x, wt]
    along = minigan.autograd.grad(g, inputs, minigan.tensor(constant), retain_graph=True)
    scale = max([terms] + [np.abs(t.numpy()).max() for t in minigan.autograd.grad(g, inputs, minigan.tensor(other))])
    for t in along:
        assert np.abs(t.numpy()).max() <= 1e-14 * scale * sets(gn).shape[1]
