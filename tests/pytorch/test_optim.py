"""Optimizers: equal to torch.optim step for step, equal to hand-worked steps, Proposition 1 of
Daskalakis et al. 2018 on the bilinear game, argument checks, and state_dict resumption.

(Its torch-free tests: tests/library/test_optim.py.)"""

from __future__ import annotations

import numpy as np
import pytest
from library.helpers_optim import SHAPES, grad_sequence, make_params

import minigan
from minigan import optim

# ----------------------------------------------------------------------------- against torch.optim
TORCH_CASES = [
    ("SGD", dict(lr=0.1), 1.0),
    ("SGD", dict(lr=0.05, momentum=0.9), 1.0),
    ("SGD", dict(lr=0.05, momentum=0.9, nesterov=True), 1.0),
    ("SGD", dict(lr=0.05, momentum=0.8, dampening=0.3, weight_decay=0.01), 1.0),
    ("RMSprop", dict(), 1.0),
    ("RMSprop", dict(lr=5e-5), 1.0),  # WGAN's α (Arjovsky et al. 2017, Algorithm 1)
    ("RMSprop", dict(lr=0.01, alpha=0.9, eps=1e-3, momentum=0.5, centered=True, weight_decay=0.1), 1.0),
    ("Adam", dict(), 1.0),
    ("Adam", dict(lr=2e-4, betas=(0.5, 0.999)), 1.0),
    ("Adam", dict(lr=0.01, betas=(0.8, 0.99), eps=1e-3, weight_decay=0.01), 1.0),
    ("Adam", dict(lr=0.01), 1e-7),  # tiny gradients: ε matters, the paper's form is required
]


@pytest.mark.parametrize("name, kwargs, scale", TORCH_CASES)
def test_matches_torch_optim(name, kwargs, scale):
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    params = make_params()
    tparams = [torch.tensor(p.array.copy(), requires_grad=True) for p in params]
    ours = getattr(optim, name)(params, **kwargs)
    theirs = getattr(torch.optim, name)(tparams, **kwargs)
    for gs in grad_sequence(100, scale=scale):
        for p, tp, g in zip(params, tparams, gs):
            p.grad = minigan.tensor(g)
            tp.grad = torch.tensor(g)
        ours.step()
        theirs.step()
        for p, tp in zip(params, tparams):
            np.testing.assert_allclose(p.array, tp.detach().numpy(), rtol=1e-12, atol=1e-13)


def test_optimistic_sgd_matches_torch_sgd_fed_2g_minus_previous_g():
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    params = make_params()
    tparams = [torch.tensor(p.array.copy(), requires_grad=True) for p in params]
    ours = optim.OptimisticSGD(params, lr=0.03)
    theirs = torch.optim.SGD(tparams, lr=0.03)
    previous = [np.zeros(s) for s in SHAPES]
    for gs in grad_sequence(100):
        for p, tp, g, g_prev in zip(params, tparams, gs, previous):
            p.grad = minigan.tensor(g)
            tp.grad = torch.tensor(2.0 * g - g_prev)
        ours.step()
        theirs.step()
        previous = gs
        for p, tp in zip(params, tparams):
            np.testing.assert_allclose(p.array, tp.detach().numpy(), rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("betas, eps", [((0.5, 0.9), 1e-8), ((0.9, 0.999), 1e-3)])
def test_optimistic_adam_matches_torch_adam_direction(betas, eps):
    """θ_t = θ_{t−1} − 2η·u_t + η·u_{t−1}, with u_t = m̂_t/(√v̂_t + ε) read off torch.optim.Adam:
    an Adam step of lr=1 from a zero parameter lands exactly on −u_t."""
    torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
    eta = 0.01
    params = make_params()
    ours = optim.OptimisticAdam(params, lr=eta, betas=betas, eps=eps)
    shadows = [torch.zeros(p.shape, dtype=torch.float64, requires_grad=True) for p in params]
    adam = torch.optim.Adam(shadows, lr=1.0, betas=betas, eps=eps)
    theta = [p.array.copy() for p in params]
    u_prev = [np.zeros(s) for s in SHAPES]
    for gs in grad_sequence(100):
        with torch.no_grad():
            for s in shadows:
                s.zero_()
        for p, s, g in zip(params, shadows, gs):
            p.grad = minigan.tensor(g)
            s.grad = torch.tensor(g)
        ours.step()
        adam.step()
        u = [-s.detach().numpy().copy() for s in shadows]
        theta = [th - 2 * eta * ut + eta * up for th, ut, up in zip(theta, u, u_prev)]
        u_prev = u
        for p, th in zip(params, theta):
            np.testing.assert_allclose(p.array, th, rtol=1e-12, atol=1e-13)
