"""minigan.linalg's refusals: the norm orders that need an SVD (2, -2, 'nuc') and bad arguments raise a clear
one-line error.

(Its comparisons with PyTorch: tests/pytorch/test_linalg.py.)"""

import pytest

import minigan
from engine.helpers_linalg import A


def test_orders_that_need_an_svd_and_bad_arguments_are_refused():
    a = minigan.tensor(A)
    for order in (2, -2, "nuc"):
        with pytest.raises(ValueError, match="no SVD"):
            minigan.linalg.matrix_norm(a, order)
    with pytest.raises(ValueError, match="ord must be >= 0"):
        minigan.linalg.vector_norm(a, -1)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        minigan.linalg.norm(a, 2)
    with pytest.raises(AttributeError, match="numpy.linalg"):
        minigan.linalg.svd  # noqa: B018
