"""einsum against PyTorch (float64, the oracle): values and gradients for products, traces, diagonals, transposes,
batched and broadcast "..." axes and implicit outputs; second derivatives against finite differences; the same
refusals as PyTorch, each a clear one-line error.

(Its torch-free tests: tests/engine/test_einsum.py.)"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CASES = [
    ("ij,jk->ik", [(3, 4), (4, 5)]), ("ii", [(4, 4)]), ("ii->i", [(4, 4)]), ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("...ij->...ji", [(2, 3, 4)]), ("ij->", [(3, 4)]), ("i,i->", [(5,), (5,)]), ("i,j->ij", [(3,), (4,)]),
    ("ij", [(3, 4)]), ("ba", [(3, 4)]), ("ij,ij->ij", [(3, 4), (3, 4)]), ("iij->j", [(3, 3, 4)]),
    ("ijk->kji", [(2, 3, 4)]), ("...j,j->...", [(2, 3, 4), (4,)]), ("b...i,bi->b...", [(2, 5, 3), (2, 3)]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]), ("ii,i->i", [(3, 3), (3,)]), ("i->", [(4,)]),
    ("...i,...i->...", [(1, 3, 4), (2, 1, 4)]), ("ij,kj", [(2, 3), (4, 3)]), (",i->i", [(), (3,)]),
    ("iji->j", [(3, 2, 3)]), ("ij->j", [(3, 4)]), ("b i j , b j k -> b i k", [(2, 3, 4), (2, 4, 5)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),  # attention scores
    ("...ij->ij", [(2, 3, 4)]),  # '...' left out of the output: summed over, as PyTorch (NumPy refuses)
]


@pytest.mark.parametrize("equation, shapes", CASES, ids=[c[0] for c in CASES])
def test_values_and_gradients_match_pytorch(equation, shapes):
    rng = np.random.default_rng(0)
    arrays = [rng.normal(size=s) for s in shapes]
    results = []
    for lib in (minigan, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        out = lib.einsum(equation, *xs)
        weights = lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape)) % 5 - 2)
        (out * weights).sum().backward()
        results.append((out.detach().numpy(), [x.grad.detach().numpy() for x in xs]))
    (ours, our_grads), (theirs, their_grads) = results
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-12)
    for u, t in zip(our_grads, their_grads):
        np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("equation, shapes", [
    ("ij,jk->ik", [(3, 4)]),  # one operand for two subscripts
    ("ij->ij", [(3, 4, 5)]),  # three axes, two letters
    ("ij,jk->ik", [(3, 4), (5, 6)]),  # j is 4 and 5
    ("ij->ii", [(3, 3)]),  # a letter twice in the output
    ("ij->k", [(3, 3)]),  # an output letter no input has
    ("i1->i", [(3, 3)]),  # not a letter
])
def test_bad_equations_are_refused_as_in_pytorch(equation, shapes):
    for lib in (minigan, torch):
        with pytest.raises((ValueError, TypeError, RuntimeError)):
            lib.einsum(equation, *[lib.ones(*s) for s in shapes])
    with pytest.raises((ValueError, TypeError)) as error:
        minigan.einsum(equation, *[minigan.ones(*s) for s in shapes])
    assert str(error.value).startswith("einsum: ") and "\n" not in str(error.value)


@st.composite
def _equations(draw):
    """A random equation over letters a-d (repeats inside an operand allowed), 1-3 operands, sometimes '...',
    an explicit output (some of the letters, in some order) or none; sizes 1-3 per letter."""
    sizes = {c: draw(st.integers(1, 3)) for c in "abcd"}
    ellipsis = draw(st.sampled_from([None, (), (2,), (3, 1)]))
    operands = []
    for _ in range(draw(st.integers(1, 3))):
        letters = draw(st.lists(st.sampled_from("abcd"), min_size=0, max_size=3))
        extra = ellipsis[draw(st.integers(0, len(ellipsis))):] if ellipsis is not None and draw(st.booleans()) else None
        operands.append(("".join(letters), extra))
    used = sorted({c for s, _ in operands for c in s})
    has_dots = any(e is not None for _, e in operands)
    explicit = draw(st.booleans())
    output = "".join(draw(st.permutations(used))[:draw(st.integers(0, len(used)))]) if explicit else None
    subscripts = [s if e is None else "..." + s for s, e in operands]
    equation = ",".join(subscripts) + ("" if output is None else "->" + ("..." if has_dots and draw(st.booleans())
                                                                          else "") + output)
    shapes = [tuple(e or ()) + tuple(sizes[c] for c in s) for s, e in operands]
    if operands[0][0] and draw(st.booleans()):  # one letter of the first operand of another size: 1, or one more
        where = len(shapes[0]) - len(operands[0][0]) + draw(st.integers(0, len(operands[0][0]) - 1))
        shapes[0] = shapes[0][:where] + (draw(st.sampled_from([1, shapes[0][where] + 1])),) + shapes[0][where + 1:]
    return equation, shapes


@settings(max_examples=300, deadline=None)
@given(case=_equations(), seed=st.integers(0, 2**16))
def test_random_equations_match_pytorch(case, seed):
    """Where PyTorch computes, minigan gives its values and gradients; where PyTorch refuses, minigan refuses."""
    equation, shapes = case
    rng = np.random.default_rng(seed)
    arrays = [rng.normal(size=s) for s in shapes]
    results = []
    for lib in (minigan, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        try:
            out = lib.einsum(equation, *xs)
        except (ValueError, TypeError, RuntimeError) as error:
            results.append(("raised", str(error)))
            continue
        weights = lib.tensor(np.cos(np.arange(out.numel())).reshape(tuple(out.shape)))
        grads = lib.autograd.grad((out * weights).sum(), xs, allow_unused=True)
        results.append(("ok", out.detach().numpy(), [None if g is None else g.detach().numpy() for g in grads]))
    ours, theirs = results
    assert ours[0] == theirs[0], (equation, shapes, ours[1] if ours[0] == "raised" else theirs[1])
    if ours[0] == "ok":
        np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10, atol=1e-12, err_msg=equation)
        for u, t in zip(ours[2], theirs[2]):
            u = np.zeros_like(t) if u is None and t is not None else u
            t = np.zeros_like(u) if t is None and u is not None else t
            if u is not None:
                np.testing.assert_allclose(u, t, rtol=1e-10, atol=1e-12, err_msg=equation)
