"""WGAN-GP (Gulrajani et al. 2017): the penalty and its double backward equal PyTorch's; a step trains.

(Its torch-free tests: tests/library/test_wgan_gp.py.)"""

import numpy as np
import pytest

import minigan
from minigan import nn
from minigan.gans.wgan_gp import gradient_penalty
from pytorch.oracle import HAVE_TORCH


def _critic(dtype="float64"):
    minigan.manual_seed(0)
    critic = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1))
    for p in critic.parameters():
        p.array = p.array.astype(dtype)
    return critic


@pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")
def test_penalty_and_its_double_backward_equal_pytorch():
    import torch

    critic = _critic()
    rng = np.random.default_rng(1)
    real, fake, eps = rng.normal(size=(6, 2)), rng.normal(size=(6, 2)), rng.uniform(size=6)
    penalty = gradient_penalty(critic, minigan.tensor(real), minigan.tensor(fake), 10.0, eps=minigan.tensor(eps))
    penalty.backward()

    tl = [torch.nn.Linear(2, 16), torch.nn.Linear(16, 16), torch.nn.Linear(16, 1)]
    mine = [m for m in critic if isinstance(m, nn.Linear)]
    for t, m in zip(tl, mine):
        t.weight.data = torch.tensor(m.weight.detach().numpy())
        t.bias.data = torch.tensor(m.bias.detach().numpy())
    tcritic = torch.nn.Sequential(tl[0], torch.nn.LeakyReLU(0.2), tl[1], torch.nn.Tanh(), tl[2])
    e = torch.tensor(eps).reshape(-1, 1)
    x_hat = (e * torch.tensor(real) + (1 - e) * torch.tensor(fake)).requires_grad_(True)
    (g,) = torch.autograd.grad(tcritic(x_hat).sum(), x_hat, create_graph=True)
    tpenalty = 10.0 * ((g.norm(2, dim=1) - 1) ** 2).mean()
    tpenalty.backward()
    np.testing.assert_allclose(penalty.item(), tpenalty.item(), rtol=1e-12)
    def grad_of(p, shape):  # no gradient reached it (the last bias does not move ∇x̂ D): zeros
        return np.zeros(shape) if p.grad is None else p.grad.detach().numpy()

    for t, m in zip(tl, mine):
        for mp, tp in ((m.weight, t.weight), (m.bias, t.bias)):
            expected = np.zeros(tp.shape) if tp.grad is None else tp.grad.detach().numpy()
            np.testing.assert_allclose(grad_of(mp, tp.shape), expected, rtol=1e-9, atol=1e-14)
