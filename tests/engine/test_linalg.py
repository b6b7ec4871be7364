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


@pytest.mark.parametrize("order", ["nuc", 2, -2])
@pytest.mark.parametrize("shape", [(3, 4), (4, 3), (2, 3, 3)])
def test_the_singular_value_norms_differentiate_twice_as_finite_differences_say(shape, order):
    a = minigan.tensor(np.random.default_rng(1).normal(size=shape), requires_grad=True)
    assert minigan.gradcheck(lambda t: minigan.linalg.matrix_norm(t, order), a)
    assert minigan.gradgradcheck(lambda t: minigan.linalg.matrix_norm(t, order), a)


@pytest.mark.parametrize("order", [-2, -1.5, -1, 0.5, 1.5, 3, 4.5])
def test_every_order_differentiates_twice_as_finite_differences_say(order):
    x = minigan.tensor(np.random.default_rng(2).normal(size=(3, 4)), requires_grad=True)
    assert minigan.gradcheck(lambda t: minigan.linalg.vector_norm(t, order, dim=1), x)
    assert minigan.gradgradcheck(lambda t: minigan.linalg.vector_norm(t, order, dim=1), x)


def test_the_0_norm_counts_and_has_no_gradient():
    x = minigan.tensor([[1.0, 0.0, -2.0], [0.0, 0.0, 3.0]], requires_grad=True)
    count = minigan.linalg.vector_norm(x, 0, dim=1)
    np.testing.assert_array_equal(count.detach().numpy(), [2.0, 1.0])
    assert count.requires_grad  # (in the graph, as PyTorch's) ...
    count.sum().backward()
    assert x.grad is None  # ... with no gradient at all
