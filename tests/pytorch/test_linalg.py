"""minigan.linalg against torch.linalg (float64, the oracle): the vector and matrix norms of every order it has, and
the products, with their gradients.

(Its torch-free tests: tests/engine/test_linalg.py.)"""

import math

import numpy as np
import pytest
from engine.helpers_linalg import A, V

import minigan

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")

CASES = {
    "vector_2": lambda L, a, v: L.linalg.vector_norm(v),
    "vector_3_dims": lambda L, a, v: L.linalg.vector_norm(a, 3, dim=(1, 2)),
    "vector_inf": lambda L, a, v: L.linalg.vector_norm(a, math.inf, dim=-1),
    "vector_-inf": lambda L, a, v: L.linalg.vector_norm(a, -math.inf, dim=0),
    "vector_0": lambda L, a, v: L.linalg.vector_norm(a, 0),
    "vector_1_keepdim": lambda L, a, v: L.linalg.vector_norm(a, 1, keepdim=True),
    "vector_half": lambda L, a, v: L.linalg.vector_norm(v, 0.5),
    "matrix_fro": lambda L, a, v: L.linalg.matrix_norm(a),
    "matrix_1": lambda L, a, v: L.linalg.matrix_norm(a, 1),
    "matrix_-1_keepdim": lambda L, a, v: L.linalg.matrix_norm(a, -1, keepdim=True),
    "matrix_inf_dims": lambda L, a, v: L.linalg.matrix_norm(a, math.inf, dim=(0, 2)),
    "matrix_-inf": lambda L, a, v: L.linalg.matrix_norm(a, -math.inf),
    "norm_flat": lambda L, a, v: L.linalg.norm(a),
    "norm_matrix_1": lambda L, a, v: L.linalg.norm(a[0], 1),
    "norm_dim": lambda L, a, v: L.linalg.norm(a, dim=1),
    "norm_fro_dims": lambda L, a, v: L.linalg.norm(a, "fro", dim=(1, 2)),
    "vecdot": lambda L, a, v: L.linalg.vecdot(a, a[0], dim=-1),
    "multi_dot": lambda L, a, v: L.linalg.multi_dot([a[0], a[1].t(), a[0]]),
    "matmul": lambda L, a, v: L.linalg.matmul(a, a.transpose(1, 2)),
    "diagonal": lambda L, a, v: L.linalg.diagonal(a),
    "diagonal_offset_dims": lambda L, a, v: L.linalg.diagonal(a, offset=1, dim1=0, dim2=2),
    "diagonal_below": lambda L, a, v: L.linalg.diagonal(a, offset=-2),
    "cross": lambda L, a, v: L.linalg.cross(a[:, :, :3], a[:, :, 1:]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_gradients_match_pytorch(name):
    results = []
    for lib in (minigan, torch):
        a, v = lib.tensor(A, requires_grad=True), lib.tensor(V, requires_grad=True)
        out = CASES[name](lib, a, v)
        weights = lib.tensor(np.arange(out.numel(), dtype=np.float64).reshape(tuple(out.shape)) % 3 + 1)
        if out.requires_grad:
            (out * weights).sum().backward()
        results.append([out.detach().numpy()] + [None if t.grad is None else t.grad.detach().numpy() for t in (a, v)])
    for u, t in zip(*results):
        assert (u is None) == (t is None)
        if u is not None:
            assert u.shape == t.shape
            np.testing.assert_allclose(u, t, rtol=1e-12, atol=1e-12)
