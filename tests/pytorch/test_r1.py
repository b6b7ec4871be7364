"""The R1 penalty on D (Mescheder et al. 2018, eq. 9): γ/2 · E‖∇x D(x)‖² over real x. On in the 2-D GAN recipe
(γ = 0.1), off in the plain GAN; its value and D's gradient against a closed form and against PyTorch's double
backward; γ in units of the data's spread.

(Its torch-free tests: tests/library/test_r1.py.)"""

import numpy as np
import pytest
from library.helpers_r1 import _gan

import minigan
import minigan.nn as nn
from minigan.gans.models import PackedDiscriminator


@pytest.mark.parametrize("pack", [1, 2])
def test_mlp_d_value_and_gradients_equal_pytorchs(pack):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    minigan.manual_seed(0)
    inner = nn.Sequential(nn.Linear(2 * pack, 16), nn.LeakyReLU(0.2), nn.Linear(16, 16), nn.LeakyReLU(0.2),
                          nn.Linear(16, 1))
    D = PackedDiscriminator(inner, pack) if pack > 1 else inner
    trainer = _gan(D, r1=0.7)
    x_np = np.random.default_rng(1).standard_normal((12, 2))
    inner.double()
    x = minigan.tensor(x_np).requires_grad_(True)
    penalty = trainer.r1_penalty(x, D(x))
    penalty.backward()

    t_layers = [torch.nn.Linear(2 * pack, 16), torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 16),
                torch.nn.LeakyReLU(0.2), torch.nn.Linear(16, 1)]
    t_inner = torch.nn.Sequential(*t_layers).double()
    for t, m in zip(t_inner.parameters(), inner.parameters()):
        t.data = torch.tensor(m.detach().numpy())
    tx = torch.tensor(x_np, requires_grad=True)
    logits = t_inner(tx.reshape(12 // pack, -1))
    (g,) = torch.autograd.grad(logits.sum(), tx, create_graph=True)
    t_penalty = 0.7 / 2 * (g * g).sum() / logits.shape[0]  # γ/2 · E over D's outputs of ‖∇x D‖²
    t_penalty.backward()
    assert penalty.item() == pytest.approx(t_penalty.item(), rel=1e-12)
    for t, m in zip(t_inner.parameters(), inner.parameters()):
        assert (m.grad is None) == (t.grad is None)  # the last bias is not in ∇x D: None in both
        if t.grad is not None:
            np.testing.assert_allclose(m.grad.detach().numpy(), t.grad.detach().numpy(), rtol=1e-10, atol=1e-12)
