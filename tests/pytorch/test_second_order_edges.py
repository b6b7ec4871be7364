"""Second derivatives where a first derivative is masked (a 0 or a NaN selected by a where), against PyTorch float64:
PyTorch differentiates its formula through both branches of the where, so where the branch it discards is ∞ or NaN
the second order is 0·∞ = NaN, and minigan's must be too (atan2 at the origin, logit with eps at p = ±∞, a tensor
exponent of a zero base); and the first order of logit is PyTorch's for each order asked (NaN passes through
logit_backward; infinitely_differentiable_logit_backward, under create_graph, gives 0 there)."""

import numpy as np
import pytest

import minigan

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


def _orders(lib, name, create_graph):
    f, a0, b0 = CASES[name]
    a = lib.tensor(a0, dtype=lib.float64, requires_grad=True)
    b = lib.tensor(b0, dtype=lib.float64, requires_grad=True)
    with np.errstate(all="ignore"):
        y = f(lib, a, b)
        leaves = [t for t in (a, b) if t is not None]
        grads = lib.autograd.grad((y * lib.tensor(np.linspace(0.5, 1.5, y.numel()))).sum(), leaves,
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


@pytest.mark.parametrize("create_graph", [False, True], ids=["backward", "create_graph"])
@pytest.mark.parametrize("name", list(CASES))
def test_first_and_second_order_at_the_edges_are_pytorchs(name, create_graph):
    (m_first, m_second), (t_first, t_second) = _orders(minigan, name, create_graph), _orders(torch, name, create_graph)
    for ours, theirs in zip(m_first, t_first):
        _equal(ours, theirs)
    if create_graph and (m_second or t_second):
        for ours, theirs in zip(m_second or [None] * 2, t_second or [None] * 2):
            _equal(ours, theirs)
