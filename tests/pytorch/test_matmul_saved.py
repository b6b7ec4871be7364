"""matmul's (and linear's and inner's) saved operands and the version counter, against PyTorch.

PyTorch's matmul (``_matmul_impl``) saves each operand for the other's gradient in the form it hands to
dot/mv/mm/bmm: the operand itself or a view of it (a 1-D one unsqueezed, a 2-D one transposed), or, where a
reshape cannot be a view, a new copy: the larger operand's batch folded into rows (``should_fold``, taken whenever
the smaller operand requires grad), or a broadcast batch expanded and flattened for bmm.  An in-place change of
the operand (or of a view of it, or of its base) after the product then raises at backward where a view was saved
("modified by an inplace operation") and does not where a copy was: the gradient reads the copy, the values before
the change.  Generated: 1-D to 4-D on each side, broadcast batches (missing axes, size-1 axes), size-1 and empty
matrix axes, five layouts (contiguous, transposed, batch-permuted, strided, expanded), either or both operands
requiring grad, each operand (or a slice of its base) changed in place after the product; which cases raise at
backward, and every gradient where none does (float64), is PyTorch's.  linear, which is PyTorch's matmul of the
input and weight.T where it is not addmm, and inner, PyTorch's tensordot over the last axes (an mm of each operand's
leading axes folded), are generated the same way; and a saved copy is differentiated again (create_graph=True)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from conftest import default_slice

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

LAYOUTS = ("c", "t", "p", "s", "e")  # contiguous, transposed (.mT), batch-permuted, strided ([..., ::2, :]), expanded


def _fits(layout, shape):
    return layout == "c" or len(shape) >= 2 and layout in "ts" or len(shape) >= 3 and layout in "pe"


def _base_shape(layout, shape):
    """The shape of the contiguous base the operand is a view of."""
    s = list(shape)
    if layout == "t":
        s[-1], s[-2] = s[-2], s[-1]
    elif layout == "p":
        s[0], s[-2] = s[-2], s[0]
    elif layout == "s":
        s[-2] *= 2
    elif layout == "e":
        s[0] = 1
    return tuple(s)


def _view(base, layout, shape):
    if layout == "t":
        return base.mT
    if layout == "p":
        order = list(range(len(shape)))
        order[0], order[-2] = order[-2], order[0]
        return base.permute(*order)
    if layout == "s":
        return base[..., ::2, :]
    if layout == "e":
        return base.expand(*shape)
    return base


def _run(lib, case):
    """('raise',) at backward, or ('ok', out, grads): one case in torch or minigan."""
    (sa, la), (sb, lb), grads, target = case
    rng = np.random.default_rng(0)
    arrays = [rng.standard_normal(_base_shape(la, sa)), rng.standard_normal(_base_shape(lb, sb))]
    leaves = [lib.tensor(x, requires_grad=g) for x, g in zip(arrays, grads)]
    bases = [leaf * 1 for leaf in leaves]  # (not leaves: a change in place is then allowed with grad on)
    a, b = _view(bases[0], la, sa), _view(bases[1], lb, sb)
    out = a @ b
    weight = lib.tensor(rng.standard_normal(tuple(out.shape)))
    base, operand, layout = (bases[0], a, la) if target[0] == "a" else (bases[1], b, lb)
    changed = base[..., :1] if target.endswith("part") else base if layout == "e" else operand  # (an expanded
    changed.add_(1.5)  # tensor refuses add_)
    try:
        (out * weight).sum().backward()
    except RuntimeError:
        return ("raise",)
    return ("ok", out.detach().numpy(), [None if t.grad is None else t.grad.numpy() for t in leaves])


def _shapes(da, db):
    """Operand shapes (a, b) of dims da and db: batches equal and broadcast, and size-1 and empty matrix axes."""
    batches = {  # (a's batch, b's batch) by the number of batch axes each has
        (0, 0): [((), ())], (1, 0): [((5,), ())], (0, 1): [((), (5,))], (2, 0): [((2, 5), ())],
        (0, 2): [((), (2, 5))], (1, 1): [((5,), (5,)), ((1,), (5,)), ((5,), (1,))],
        (2, 1): [((2, 5), (5,)), ((2, 1), (5,)), ((1, 5), (1,))],
        (1, 2): [((5,), (2, 5)), ((1,), (2, 5)), ((5,), (2, 1))],
        (2, 2): [((2, 5), (2, 5)), ((2, 1), (1, 5)), ((1, 5), (2, 5)), ((2, 5), (2, 1))],
    }[max(da - 2, 0), max(db - 2, 0)]
    for (ba, bb), (n, m, p) in itertools.product(batches, [(3, 2, 4), (1, 2, 4), (3, 1, 4), (3, 2, 1), (3, 0, 2)]):
        yield (n, m, p) == (3, 2, 4), (ba + (n, m)) if da > 1 else (m,), (bb + (m, p)) if db > 1 else (m,)


def _cases(da, db, grads):
    """Every pair of layouts for the main sizes, one layout for both operands for the others;
    each operand changed in place, itself or a slice of its base, in turn."""
    for main, sa, sb in dict.fromkeys(_shapes(da, db)):  # (a 1-D operand repeats shapes)
        pairs = [(la, lb) for la, lb in itertools.product(LAYOUTS, LAYOUTS)
                 if _fits(la, sa) and _fits(lb, sb) and (main or la == lb)]
        for k, (la, lb) in enumerate(pairs):
            for target in ("a", "b"):
                yield (sa, la), (sb, lb), grads, target + " part" * (k % 2)


def _same(want, got):
    if want[0] != got[0]:
        return False
    if want[0] == "raise":
        return True
    if not np.allclose(got[1], want[1], rtol=1e-12, atol=1e-12):
        return False
    return all((w is None) == (g is None) and (w is None or w.shape == g.shape and np.allclose(g, w, rtol=1e-12,
                                                                                                   atol=1e-12))
               for w, g in zip(want[2], got[2]))


# Every 7th case by default (and each pair of ranks, each choice of operands requiring grad), the rest under -m parity
@pytest.mark.parametrize("da,db,grads", default_slice(
    [pytest.param(da, db, grads, id=f"{da}-{db}-{name}") for da, db in itertools.product(range(1, 5), range(1, 5))
     for grads, name in [((True, False), "a"), ((False, True), "b"), ((True, True), "both")]], 7,
    cover=("each", lambda da, db, grads: (da, db))))
def test_matmul_raises_where_pytorch_raises_and_reads_its_copies(da, db, grads):
    cases = list(_cases(da, db, grads))
    wrong = []
    for case in cases:
        want, got = _run(torch, case), _run(minigan, case)
        if not _same(want, got):
            wrong.append(f"{case}: PyTorch {want[0]}, minigan {got[0]}")
    assert not wrong, f"{len(wrong)} of {len(cases)} cases differ, e.g.\n" + "\n".join(wrong[:8])


def _run_linear(lib, case):
    """linear(x, weight, bias): PyTorch's is addmm of x's rows where x is 2-D, or contiguous with a bias, else
    matmul(x, weight.T), which folds x's batch into rows: a copy where x's layout cannot be folded as a view."""
    (sx, layout), grads, bias, target = case
    rng = np.random.default_rng(1)
    leaves = [lib.tensor(rng.standard_normal(_base_shape(layout, sx)), requires_grad=grads[0]),
              lib.tensor(rng.standard_normal((3, sx[-1])), requires_grad=grads[1])]
    bases = [leaf * 1 for leaf in leaves]
    x = _view(bases[0], layout, sx)
    out = lib.nn.functional.linear(x, bases[1], lib.tensor(rng.standard_normal(3)) if bias else None)
    if target != "none":
        base, operand = (bases[0], x) if target[0] == "x" else (bases[1], bases[1])
        (base[..., :1] if target.endswith("part") else base if layout == "e" else operand).add_(1.5)
    try:
        (out * lib.tensor(rng.standard_normal(tuple(out.shape)))).sum().backward()
    except RuntimeError:
        return ("raise",)
    return ("ok", out.detach().numpy(), [None if t.grad is None else t.grad.numpy() for t in leaves])


@pytest.mark.parametrize("dims", [1, 2, 3, 4])
def test_linear_raises_where_pytorch_raises_and_reads_its_copies(dims):
    shapes = {1: [(2,)], 2: [(3, 2), (1, 2)], 3: [(5, 3, 2), (5, 1, 2), (1, 3, 2)], 4: [(2, 5, 3, 2), (2, 1, 3, 2)]}
    cases = [((s, layout), grads, bias, target) for s in shapes[dims] for layout in LAYOUTS if _fits(layout, s)
             for grads in [(True, False), (False, True), (True, True)] for bias in (False, True)
             for target in ("none", "x", "x part", "weight", "weight part")]
    wrong = [f"{case}: PyTorch {want[0]}, minigan {got[0]}" for case in cases
             if not _same(want := _run_linear(torch, case), got := _run_linear(minigan, case))]
    assert not wrong, f"{len(wrong)} of {len(cases)} cases differ, e.g.\n" + "\n".join(wrong[:8])


@pytest.mark.parametrize("changed", ["a", "b"])
@pytest.mark.parametrize("sa,la,sb,lb", [((5, 3, 2), "p", (2, 4), "c"), ((3, 2), "c", (5, 2, 4), "c"),
                                         ((2, 1, 3, 2), "s", (1, 5, 2, 4), "t"), ((1, 3, 2), "c", (5, 2, 4), "t")])
def test_matmul_copies_stay_in_the_graph(sa, la, sb, lb, changed):
    """A saved copy is in the graph (PyTorch's reshape made it): a gradient taken with create_graph=True, after the
    operands changed in place, is differentiated again through it, to both operands."""
    results = []
    for lib in (torch, minigan):
        rng = np.random.default_rng(2)
        leaves = [lib.tensor(rng.standard_normal(_base_shape(la, sa)), requires_grad=True),
                  lib.tensor(rng.standard_normal(_base_shape(lb, sb)), requires_grad=True)]
        bases = [leaf * 1 for leaf in leaves]
        a, b = _view(bases[0], la, sa), _view(bases[1], lb, sb)
        out = a @ b
        (a if changed == "a" else b).add_(1.5)
        try:
            ga, gb = lib.autograd.grad((out ** 2).sum(), (leaves[0], leaves[1]), create_graph=True)
            (ga.sin().sum() + gb.cos().sum()).backward()
        except RuntimeError:
            results.append(None)
            continue
        results.append([out.detach().numpy(), ga.detach().numpy(), gb.detach().numpy(), leaves[0].grad.numpy(),
                        leaves[1].grad.numpy()])
    if results[0] is None:
        assert results[1] is None, "PyTorch raises at backward, minigan does not"
        return
    assert results[1] is not None, "minigan raises at backward, PyTorch does not"
    for want, got in zip(*results):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def _run_inner(lib, case):
    """inner(a, b): PyTorch's is tensordot over the last axes, an mm of each operand's leading axes folded into one
    (a copy where they cannot be folded as a view)."""
    (sa, la), (sb, lb), grads, target = case
    rng = np.random.default_rng(3)
    leaves = [lib.tensor(rng.standard_normal(_base_shape(la, sa)), requires_grad=grads[0]),
              lib.tensor(rng.standard_normal(_base_shape(lb, sb)), requires_grad=grads[1])]
    bases = [leaf * 1 for leaf in leaves]
    a, b = _view(bases[0], la, sa), _view(bases[1], lb, sb)
    out = lib.inner(a, b)
    base, operand, layout = (bases[0], a, la) if target[0] == "a" else (bases[1], b, lb)
    (base[..., :1] if target.endswith("part") else base if layout == "e" else operand).add_(1.5)
    try:
        (out * lib.tensor(rng.standard_normal(tuple(out.shape)))).sum().backward()
    except RuntimeError:
        return ("raise",)
    return ("ok", out.detach().numpy(), [None if t.grad is None else t.grad.numpy() for t in leaves])


@pytest.mark.parametrize("sa,sb", [((3,), (3,)), ((4, 3), (3,)), ((3,), (2, 6, 3)), ((5, 4, 3), (2, 3)),
                                   ((4, 3), (2, 6, 3)), ((5, 4, 3), (2, 6, 3)), ((2, 5, 4, 3), (6, 3)),
                                   ((5, 1, 3), (2, 1, 3)), ((5, 4, 0), (2, 6, 0))])
def test_inner_raises_where_pytorch_raises_and_reads_its_copies(sa, sb):
    cases = [((sa, la), (sb, lb), grads, target) for la, lb in itertools.product(LAYOUTS, LAYOUTS)
             if _fits(la, sa) and _fits(lb, sb) for grads in [(True, False), (False, True), (True, True)]
             for target in ("a", "a part", "b", "b part")]
    wrong = [f"{case}: PyTorch {want[0]}, minigan {got[0]}" for case in cases
             if not _same(want := _run_inner(torch, case), got := _run_inner(minigan, case))]
    assert not wrong, f"{len(wrong)} of {len(cases)} cases differ, e.g.\n" + "\n".join(wrong[:8])
