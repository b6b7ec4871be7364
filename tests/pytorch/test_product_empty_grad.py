"""addmm, addmv, baddbmm and addbmm where nothing is multiplied (an inner size of 0, no batches) or alpha is 0,
against PyTorch float64: PyTorch records the node whenever an operand requires grad, so the result requires grad
and each operand gets PyTorch's gradient (alpha times an empty sum: NaN for alpha = ±inf or NaN, else zeros; the
input's beta·grad).  Found by the surface programs (seeds 12209982, 12211325: addbmm with no batches, the result
did not require grad; 12205266: baddbmm, alpha -inf, batch2's gradient 0 where PyTorch's is NaN)."""

import itertools

import numpy as np
import pytest
from conftest import default_slice

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

import minigan  # noqa: E402

SHAPES = {
    "addmm": [((2, 3), (2, 0), (0, 3)), ((3,), (2, 0), (0, 3)), ((0, 3), (0, 2), (2, 3)), ((2, 3), (2, 2), (2, 3))],
    "addmv": [((2,), (2, 0), (0,)), ((0,), (0, 3), (3,)), ((2,), (2, 3), (3,))],
    "baddbmm": [((3, 2, 4), (3, 2, 0), (3, 0, 4)), ((3, 0, 1), (3, 0, 4), (3, 4, 1)), ((0, 2, 3), (0, 2, 4), (0, 4, 3)),
                ((2, 2, 3), (2, 2, 2), (2, 2, 3))],
    "addbmm": [((2, 3), (0, 2, 4), (0, 4, 3)), ((2, 3), (2, 2, 0), (2, 0, 3)), ((0, 3), (2, 0, 4), (2, 4, 3)),
               ((3,), (2, 2, 2), (2, 2, 3))],
}
ALPHAS = [1, 0, 2.5, float("-inf"), float("nan")]
BETAS = [1, 0, 2.0]


def _cases():
    for name, shapes in SHAPES.items():
        for sh in shapes:
            for alpha, beta, rg in itertools.product(ALPHAS, BETAS, range(1, 8)):
                yield name, sh, alpha, beta, rg


def _call(lib, name, shapes, alpha, beta, rg):
    """(the exception's class name, or None; the result; whether it requires grad; each operand's gradient)."""
    made = [lib.tensor(np.linspace(-1, 2, int(np.prod(s))).reshape(s), dtype=lib.float64,
                       requires_grad=bool(rg >> i & 1)) for i, s in enumerate(shapes)]
    try:
        with np.errstate(all="ignore"):  # (∞·0 in NumPy's kernels warns; the values are what is compared)
            r = getattr(lib, name)(*made, beta=beta, alpha=alpha)
    except Exception as e:  # noqa: BLE001 - the outcome is compared
        return type(e).__name__, None, None, None
    if not r.requires_grad:
        return None, r.detach().numpy(), False, None
    w = lib.tensor(np.linspace(0.5, 1.5, r.numel()).reshape(tuple(r.shape)), dtype=lib.float64)
    with np.errstate(all="ignore"):
        grads = lib.autograd.grad((r * w).sum(), [t for t in made if t.requires_grad], allow_unused=True)
    return None, r.detach().numpy(), True, [None if g is None else g.numpy() for g in grads]


# Every 8th case by default (the inner 5 x 3 x 7 of alpha, beta and which operands require grad shares no factor with
# 8), and each op with each of its shapes and each requires-grad pattern; the rest under -m parity
@pytest.mark.parametrize("name, shapes, alpha, beta, rg", default_slice(
    list(_cases()), 23, cover=["each", lambda name, shapes, *_: (name, shapes), lambda name, *rest: (name, rest[-1])]))
def test_products_of_nothing_record_pytorchs_gradients(name, shapes, alpha, beta, rg):
    theirs, ours = _call(torch, name, shapes, alpha, beta, rg), _call(minigan, name, shapes, alpha, beta, rg)
    assert ours[0] == theirs[0]
    if theirs[0]:
        return
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-12, atol=1e-12)  # (NaN equal to NaN; the non-empty
    assert ours[2] == theirs[2], "requires_grad"  # products may round in another order)
    for o, t in zip(ours[3] or [], theirs[3] or []):
        assert (o is None) == (t is None), (o, t)
        if t is not None:
            assert o.shape == t.shape
            np.testing.assert_allclose(o, t, rtol=1e-12, atol=1e-12)
