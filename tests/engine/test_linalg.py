"""minigan.linalg's norms against closed forms (the singular-value norms, a negative order), and its refusals: bad
arguments raise a clear one-line error.

(Its comparisons with PyTorch: tests/pytorch/test_linalg.py.)"""

import numpy as np
import pytest

import minigan
from engine.helpers_linalg import A


def test_the_singular_value_norms_are_their_closed_forms():
    a = minigan.tensor(A)
    sigma = np.linalg.svd(A, compute_uv=False)  # (2, 3): each matrix's singular values, largest first
    np.testing.assert_allclose(minigan.linalg.matrix_norm(a, "nuc").numpy(), sigma.sum(-1), rtol=1e-12)
    np.testing.assert_allclose(minigan.linalg.matrix_norm(a, 2).numpy(), sigma[:, 0], rtol=1e-12)
    np.testing.assert_allclose(minigan.linalg.matrix_norm(a, -2).numpy(), sigma[:, -1], rtol=1e-12)
    x = minigan.tensor(A[0, 0], requires_grad=True)  # a negative order: (Σ|x|^p)^(1/p), below the smallest |x|
    expected = (np.abs(A[0, 0]) ** -1.0).sum() ** -1.0
    np.testing.assert_allclose(minigan.linalg.vector_norm(x, -1).item(), expected, rtol=1e-12)


def test_bad_arguments_are_refused():
    a = minigan.tensor(A)
    for order in (3, "other"):
        with pytest.raises(RuntimeError, match="ord must be"):
            minigan.linalg.matrix_norm(a, order)
    with pytest.raises(RuntimeError, match="floating point"):
        minigan.linalg.vector_norm(minigan.tensor([1, 2]), -1)
    with pytest.raises(RuntimeError, match="empty"):
        minigan.linalg.vector_norm(minigan.zeros(0), -1)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        minigan.linalg.norm(a, 2)
    with pytest.raises(AttributeError, match="numpy.linalg"):
        minigan.linalg.svd  # noqa: B018
