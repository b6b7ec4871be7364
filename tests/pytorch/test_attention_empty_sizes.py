"""scaled_dot_product_attention over every size that may be 0, against PyTorch float64.

PyTorch gives its zeros (…, L, Ev) only where there are no query rows (L = 0) or no values (value empty: no keys,
no value features, or no key/value batch): those come before enable_gqa reads the heads (dim -3), so 2-D inputs take
enable_gqa there.  An empty batch of queries or an empty feature dim E goes through the product: batch axes are
broadcast (refused where they do not match), and E = 0 gives scores of 0, weights 1/S and the mean of the values.
Compared over 2-D and 3-D shapes with each of Bq, Bk, L, S, E, Ev zero or not, with and without enable_gqa: the
outcome's class, or the values, requires_grad and the gradients.  dropout_p outside (0, 1) draws nothing (≤ 0:
no dropout; 1: all dropped); above 1 PyTorch refuses with a RuntimeError.
"""

import itertools

import numpy as np
import pytest

import minigan
from pytorch.oracle import pytorch_since

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


def _run(lib, shapes, **kw):
    rng = np.random.default_rng(sum(map(sum, shapes)) + 3)
    tensors = [lib.tensor(rng.standard_normal(s), dtype=lib.float64, requires_grad=True) for s in shapes]
    try:
        out = lib.nn.functional.scaled_dot_product_attention(*tensors, **kw)
        grads = lib.autograd.grad((out * 1.5).sum(), tensors, allow_unused=True) if out.requires_grad else ()
    except Exception as e:  # noqa: BLE001 - the class is compared
        return e
    return [tuple(out.shape), out.requires_grad, np.asarray(out.detach().numpy())] + [
        None if g is None else np.asarray(g.numpy()) for g in grads]


def _same(ours, theirs):
    if isinstance(theirs, Exception):
        builtin = next(c for c in type(theirs).__mro__ if c.__module__ == "builtins")
        return isinstance(ours, builtin)
    if isinstance(ours, Exception) or len(ours) != len(theirs) or ours[:2] != theirs[:2]:
        return False
    return all((a is None) == (b is None) and (a is None or a.shape == b.shape and np.allclose(a, b, atol=1e-12))
               for a, b in zip(ours[2:], theirs[2:]))


# PyTorch 2.11 reads the heads for enable_gqa first (an IndexError on 2-D inputs; with no key batches its kernel
# divides by 0 and the process dies of SIGFPE) and refuses dropout_p above 1 before it looks at the sizes
SINCE_213 = pytorch_since("2.13", "attention's zeros for empty sizes come before enable_gqa and dropout_p are read")
SIZES = list(itertools.product([0, 2], [0, 2], [0, 2], [0, 3], [0, 4], [0, 5]))


@SINCE_213
@pytest.mark.parametrize("gqa", [False, True])
@pytest.mark.parametrize("sizes", SIZES, ids=lambda s: "Bq%d Bk%d L%d S%d E%d Ev%d" % s)
def test_attention_over_empty_sizes_is_pytorchs(sizes, gqa):
    bq, bk, length, source, e, ev = sizes
    for shapes in (((bq, length, e), (bk, source, e), (bk, source, ev)), ((length, e), (source, e), (source, ev))):
        ours, theirs = _run(minigan, shapes, enable_gqa=gqa), _run(torch, shapes, enable_gqa=gqa)
        assert _same(ours, theirs), (shapes, ours, theirs)


@SINCE_213
@pytest.mark.parametrize("dropout_p", [-1.5, -0.5, 0.0, 1.0, 1.5, np.float64(1.0), np.float64(-1.5)])
@pytest.mark.parametrize("shapes", [((2, 3, 4), (2, 5, 4), (2, 5, 6)), ((3, 4), (5, 4), (5, 6)),
                                    ((0, 4), (5, 4), (5, 6)), ((3, 0), (5, 0), (5, 6))], ids=str)
def test_attention_dropout_that_draws_nothing_is_pytorchs(shapes, dropout_p):
    ours, theirs = _run(minigan, shapes, dropout_p=dropout_p), _run(torch, shapes, dropout_p=dropout_p)
    assert _same(ours, theirs), (ours, theirs)
