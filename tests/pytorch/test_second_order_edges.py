"""Second derivatives where a first derivative is masked (a 0 or a NaN selected by a where), against PyTorch float64:
PyTorch differentiates its formula through both branches of the where, so where the branch it discards is ∞ or NaN
the second order is 0·∞ = NaN, and minigan's must be too (atan2 at the origin, logit with eps at p = ±∞, a tensor
exponent of a zero base); and the first order of logit is PyTorch's for each order asked (NaN passes through
logit_backward; infinitely_differentiable_logit_backward, under create_graph, gives 0 there)."""

import numpy as np
import pytest

import minigan
from pytorch.oracle import vector_lanes

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

INF, NAN = float("inf"), float("nan")
A = [0.0, 0.0, 1.0, -2.0, 0.5, INF, -INF, NAN, 0.0]
B = [0.0, 1.0, 0.0, 0.0, -0.25, 1.0, INF, 1.0, -1.5]
P = [0.05, 0.5, 0.97, -0.2, 1.3, NAN, INF, -INF, 0.0, 1.0]
CASES = {
    "atan2(a, b)": (lambda L, a, b: L.atan2(a, b), A, B),
    "atan2(b, a)": (lambda L, a, b: L.atan2(b, a), A, B),
    "atan2(a, mask)": (lambda L, a, b: L.atan2(a, b.detach() > 0), A, B),
    "logit": (lambda L, p, _: L.logit(p), P, P),
    "logit(eps=0.1)": (lambda L, p, _: L.logit(p, 0.1), P, P),
    "logit(eps=0.001)": (lambda L, p, _: L.logit(p, eps=0.001), P, P),
    "x.logit_(0.2)": (lambda L, p, _: (p * 1).logit_(0.2), P, P),
    "a ** b": (lambda L, a, b: a ** b, [0.0, 0.0, 0.0, 2.0, 1.5, 0.0], [0.5, 0.0, -1.0, 3.0, -0.5, 2.0]),
    "mask ** b": (lambda L, a, b: (a.detach() > 0) ** b, [0.0, 1.0, 0.0, 2.0], [0.94, 0.5, 0.0, -1.0]),
    "pow(0, b)": (lambda L, a, b: L.pow(a.detach() * 0, b), [1.0, 2.0, 3.0], [0.5, 0.0, 2.0]),
}


def _orders(lib, name, create_graph, entry=None):
    """First and second order gradients (arrays or None); ``entry``: of that one entry alone."""
    f, a0, b0 = CASES[name]
    pick = slice(None) if entry is None else slice(entry, entry + 1)
    a = lib.tensor(a0[pick], dtype=lib.float64, requires_grad=True)
    b = lib.tensor(b0[pick], dtype=lib.float64, requires_grad=True)
    with np.errstate(all="ignore"):
        y = f(lib, a, b)
        leaves = [t for t in (a, b) if t is not None]
        grads = lib.autograd.grad((y * lib.tensor(np.linspace(0.5, 1.5, len(a0))[pick])).sum(), leaves,
                                  create_graph=create_graph, allow_unused=True)
        first = [None if g is None else g.detach().numpy() for g in grads]
        if not create_graph:
            return first, None
        live = [g for g in grads if g is not None and g.requires_grad]
        if not live:
            return first, None
        second = lib.autograd.grad(sum((g * g).sum() for g in live), leaves, allow_unused=True)
        return first, [None if g is None else g.numpy() for g in second]


def _equal(ours, theirs):
    if ours is None or theirs is None:
        assert ours is None or not np.any(ours), (ours, theirs)
        assert theirs is None or not np.any(theirs), (ours, theirs)
        return
    np.testing.assert_array_equal(np.isnan(ours), np.isnan(theirs))  # NaN where PyTorch's is NaN, nowhere else
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)


def _by_entry(name, create_graph):
    """PyTorch's orders taken one entry at a time: its kernels' scalar loop.  logit_backward with eps lets a NaN
    through there (x < lo or x > hi is false) and gives 0 for it in a vector; where the inputs fill two of this
    host's vectors (8 float64 under AVX2 or the default set), their entries take the vector's answer here and the
    scalar loop's on an AVX-512 host (16): either is PyTorch's."""
    runs = [_orders(torch, name, create_graph, entry=i) for i in range(len(CASES[name][1]))]
    joined = []
    for k in range(2):
        if all(r[k] is None for r in runs):
            joined.append(None)
            continue
        width = max(len(r[k]) for r in runs if r[k] is not None)
        joined.append([None if all(r[k] is None or r[k][j] is None for r in runs) else np.concatenate(
            [np.zeros(1) if r[k] is None or r[k][j] is None else r[k][j] for r in runs]) for j in range(width)])
    return joined


@pytest.mark.parametrize("create_graph", [False, True], ids=["backward", "create_graph"])
@pytest.mark.parametrize("name", list(CASES))
def test_first_and_second_order_at_the_edges_are_pytorchs(name, create_graph):
    try:
        _compare(_orders(minigan, name, create_graph), _orders(torch, name, create_graph), create_graph)
    except AssertionError:
        if len(CASES[name][1]) < 2 * vector_lanes(8):
            raise
        _compare(_orders(minigan, name, create_graph), _by_entry(name, create_graph), create_graph)


def _compare(mine, pytorchs, create_graph):
    (m_first, m_second), (t_first, t_second) = mine, pytorchs
    for ours, theirs in zip(m_first, t_first):
        _equal(ours, theirs)
    if create_graph and (m_second or t_second):
        for ours, theirs in zip(m_second or [None] * 2, t_second or [None] * 2):
            _equal(ours, theirs)
