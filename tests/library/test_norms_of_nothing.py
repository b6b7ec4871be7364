"""A norm over no entries at the doors that gather tensors (nn.utils.get_total_norm, clip_grad_norm_) and at cdist,
stated without PyTorch: the orders with an identity (0, 0.5, 1, 2, NaN: a sum of nothing) give 0, the others
(p < 0, ±∞: a min, a max, Σ|g|^p with p < 0) are refused with a RuntimeError of one line, never NumPy's
ValueError; cdist over vectors of no entries is 0 at every order."""

import math

import pytest

import minigan
from minigan import nn


@pytest.mark.parametrize("order", [0, 0.5, 1, 2, math.nan])
@pytest.mark.parametrize("shape", [(0,), (0, 3), (3, 0)], ids=str)
def test_an_empty_tensor_has_the_norm_0_where_the_order_has_an_identity(order, shape):
    assert float(nn.utils.get_total_norm([minigan.zeros(shape, dtype=minigan.float64)], order)) == 0.0
    beside = [minigan.zeros(shape, dtype=minigan.float64), minigan.tensor([3.0, -4.0], dtype=minigan.float64)]
    # the norm of the tensors' norms (0 and the other's): for p = 0 the number of tensors whose norm is not 0
    closed_form = {0: 1.0, 0.5: (3**0.5 + 4**0.5) ** 2, 1: 7.0, 2: 5.0}.get(order)
    total = float(nn.utils.get_total_norm(beside, order))
    assert total == pytest.approx(closed_form) or math.isnan(order)


@pytest.mark.parametrize("order", [-math.inf, -2, -1.5, -0.5, math.inf, "inf"])
@pytest.mark.parametrize("beside", [False, True])
def test_an_order_without_an_identity_refuses_an_empty_tensor(order, beside):
    p = nn.Parameter(minigan.zeros((0, 3), dtype=minigan.float64))
    p.grad = minigan.zeros((0, 3), dtype=minigan.float64)
    q = nn.Parameter(minigan.ones(2, dtype=minigan.float64))
    q.grad = minigan.ones(2, dtype=minigan.float64)
    for call in (lambda: nn.utils.get_total_norm([p.grad, q.grad] if beside else [p.grad], order),
                 lambda: nn.utils.clip_grad_norm_([p, q] if beside else [p], 1.0, norm_type=order)):
        with pytest.raises(RuntimeError, match="empty") as caught:
            call()
        assert "\n" not in str(caught.value) and type(caught.value).__module__.startswith("minigan")
    assert q.grad.tolist() == [1.0, 1.0]  # (refused before any gradient is scaled)


@pytest.mark.parametrize("order", [0, 1, 2, 3, math.inf])
def test_cdist_of_vectors_of_no_entries_is_0(order):
    out = minigan.cdist(minigan.zeros((2, 0), dtype=minigan.float64), minigan.zeros((3, 0), dtype=minigan.float64),
                        order)
    assert out.shape == (2, 3) and out.tolist() == [[0.0] * 3] * 2
