"""binary_cross_entropy's third derivative through its target, in closed form (no PyTorch): for
ℓ = −Σ[t log p + (1 − t) log(1 − p)], ∂²ℓ/∂t∂p = −1/(p(1 − p)) and ∂³ℓ/∂t∂p² = (1 − 2p)/(p(1 − p))²; the mixed
second derivative must stay a function of p, so that the third order sees it.
(Against PyTorch, every loss to third order: tests/pytorch/test_losses.py.)"""

import numpy as np

import minigan


def test_bce_mixed_second_derivative_is_differentiable_in_p():
    pv = np.array([0.3, 0.8, 0.55, 0.02])
    p = minigan.tensor(pv, dtype=minigan.float64, requires_grad=True)
    t = minigan.tensor([0.4, 0.1, 0.9, 0.5], dtype=minigan.float64, requires_grad=True)
    loss = minigan.nn.functional.binary_cross_entropy(p, t, reduction="sum")
    g, = minigan.autograd.grad(loss, [p], create_graph=True)
    gt, = minigan.autograd.grad(g.sum(), [t], create_graph=True)
    np.testing.assert_allclose(gt.detach().numpy(), -1 / (pv * (1 - pv)), rtol=1e-12)
    assert gt.requires_grad
    h, = minigan.autograd.grad(gt.sum(), [p])
    np.testing.assert_allclose(h.numpy(), (1 - 2 * pv) / (pv * (1 - pv)) ** 2, rtol=1e-10)
