"""tensordot, diag, trace, meshgrid and cdist against PyTorch (float64, the oracle): values and gradients, and a
clear error for each bad argument.

(Its torch-free tests: tests/library/test_grids_and_distances.py.)"""

import numpy as np
import pytest

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

RNG = np.random.default_rng(0)
CASES = {
    "tensordot_2": (lambda lib, a, b: lib.tensordot(a, b), [(2, 3, 4), (3, 4, 5)]),
    "tensordot_1": (lambda lib, a, b: lib.tensordot(a, b, dims=1), [(2, 3, 4), (4, 5)]),
    "tensordot_0": (lambda lib, a, b: lib.tensordot(a, b, dims=0), [(2, 3), (4,)]),
    "tensordot_lists": (lambda lib, a, b: lib.tensordot(a, b, dims=([0, 2], [1, 0])), [(4, 3, 5), (5, 4, 2)]),
    "diag_vector": (lambda lib, a: lib.diag(a), [(4,)]),
    "diag_vector_above": (lambda lib, a: lib.diag(a, 2), [(3,)]),
    "diag_vector_below": (lambda lib, a: a.diag(-1), [(3,)]),
    "diag_matrix": (lambda lib, a: lib.diag(a), [(4, 5)]),
    "diag_matrix_above": (lambda lib, a: lib.diag(a, 2), [(4, 5)]),
    "diag_matrix_below": (lambda lib, a: a.diag(-3), [(4, 5)]),
    "diag_matrix_empty": (lambda lib, a: lib.diag(a, 7), [(4, 5)]),
    "trace": (lambda lib, a: lib.trace(a), [(4, 5)]),
    "trace_method": (lambda lib, a: a.trace(), [(3, 3)]),
    "meshgrid_ij": (lambda lib, a, b: lib.meshgrid(a, b, indexing="ij"), [(3,), (4,)]),
    "meshgrid_xy": (lambda lib, a, b, c: lib.meshgrid(a, b, c, indexing="xy"), [(3,), (4,), (2,)]),
    "meshgrid_list": (lambda lib, a, b: lib.meshgrid([a, b], indexing="xy"), [(3,), (2,)]),
    "cdist": (lambda lib, a, b: lib.cdist(a, b), [(5, 3), (4, 3)]),
    "cdist_p1": (lambda lib, a, b: lib.cdist(a, b, p=1.0), [(2, 5, 3), (2, 4, 3)]),
    "cdist_same": (lambda lib, a: lib.cdist(a, a), [(4, 3)]),  # zero distances on the diagonal: gradient 0
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_pytorch(name):
    call, shapes = CASES[name]
    arrays = [RNG.normal(size=s) for s in shapes]
    results = []
    for lib in (minigan, torch):
        xs = [lib.tensor(a, requires_grad=True) for a in arrays]
        out = call(lib, *xs)
        outs = out if isinstance(out, tuple) else (out,)
        sum(((o * lib.tensor(np.arange(o.numel(), dtype=np.float64).reshape(tuple(o.shape)) % 5 - 2)).sum()
             for o in outs)).backward()
        results.append(([o.detach().numpy() for o in outs], [x.grad.detach().numpy() for x in xs]))
    for u, t in zip(results[0][0], results[1][0]):
        assert u.shape == t.shape
        np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)
    for u, t in zip(results[0][1], results[1][1]):
        np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)
