"""einsum's plan (minigan/surface/einsum_plan.py) without PyTorch: its values are NumPy's einsum's on operands of any
layout, its gradients to second order agree with finite differences, a letter summed over two operands leaves the
result a view of their product (never of an operand), and an integer sum is int64, as every integer sum is.

(Its comparisons with PyTorch: tests/pytorch/test_einsum_plan.py.)"""

import numpy as np
import pytest

import minigan

EQUATIONS = [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 2)]), ("ii->i", [(3, 3)]), ("ii", [(3, 3)]),
    ("iji->j", [(3, 2, 3)]), ("ij->", [(3, 4)]), ("ij,ij->i", [(3, 4), (3, 4)]), ("i,j->ij", [(3,), (4,)]),
    ("...j,kj->...k", [(2, 3, 4), (5, 4)]), ("ijl,jk->ik", [(2, 3, 4), (3, 2)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 2)]),
    ("...i,...i->...", [(1, 3, 4), (2, 1, 4)]), ("ij,kj", [(2, 3), (4, 3)]), ("bij,j->bi", [(2, 3, 1), (4,)]),
    ("aab,bc->ca", [(2, 2, 3), (3, 4)]), ("ij,jk->ik", [(0, 3), (3, 2)]), ("i,i,i->i", [(3,), (3,), (3,)]),
]


def _laid_out(values, how):
    """values as a row-major tensor, a permuted view of its transpose, or every second entry of a wider one."""
    if how == "permuted" and values.ndim >= 2:
        order = list(range(values.ndim))[::-1]
        return minigan.tensor(np.ascontiguousarray(values.transpose(order))).permute(order)
    if how == "strided" and values.ndim >= 1:
        return minigan.tensor(np.repeat(values, 2, axis=-1))[..., ::2]
    return minigan.tensor(values)


@pytest.mark.parametrize("how", ["contiguous", "permuted", "strided"])
@pytest.mark.parametrize("equation, shapes", EQUATIONS, ids=[e for e, _ in EQUATIONS])
def test_values_are_numpys_and_gradients_agree_with_finite_differences(equation, shapes, how):
    rng = np.random.default_rng(len(equation))
    arrays = [rng.normal(size=s) for s in shapes]
    xs = [_laid_out(a, how).requires_grad_() for a in arrays]
    out = minigan.einsum(equation, *xs)
    # NumPy's einsum broadcasts a size-1 letter only under "...": give it the full sizes first
    sizes = {}
    for s, a in zip(equation.split("->")[0].split(","), arrays):
        for c, n in zip(s.replace("...", ""), a.shape[len(a.shape) - len(s.replace("...", "")):]):
            sizes[c] = n if n != 1 or c not in sizes else sizes[c]  # (a 1 broadcasts against any size, 0 too)
    full = [np.broadcast_to(a, a.shape[:a.ndim - len(s.replace("...", ""))] + tuple(sizes[c] for c in
                            s.replace("...", ""))) for s, a in zip(equation.split("->")[0].split(","), arrays)]
    np.testing.assert_allclose(out.detach().numpy(), np.einsum(equation, *full), rtol=1e-12, atol=1e-12)
    if out.numel():
        assert minigan.gradgradcheck(lambda *ts: (minigan.einsum(equation, *ts) ** 2).sum(), tuple(xs))


SUMMED = [e for e in EQUATIONS if "," in e[0] and e[0] not in ("i,j->ij", "i,i,i->i")]  # (those two: a mul)


@pytest.mark.parametrize("equation, shapes", SUMMED)
def test_a_letter_summed_over_two_operands_leaves_a_view_of_their_product(equation, shapes):
    xs = [minigan.ones(*s, dtype=minigan.float64) for s in shapes]
    out = minigan.einsum(equation, *xs)
    assert out._base is not None and all(out._base is not x and out._base is not x._base for x in xs)


@pytest.mark.parametrize("dtype", [minigan.int32, minigan.int64, minigan.bool])
def test_an_integer_or_bool_sum_is_int64(dtype):
    x = minigan.ones(3, 4, dtype=dtype)
    assert minigan.einsum("ij->", x).dtype == minigan.int64
    assert minigan.einsum("ij->j", x).dtype == minigan.int64
    assert minigan.einsum("ij->ji", x).dtype == dtype  # (nothing summed: a permuted view of x)
