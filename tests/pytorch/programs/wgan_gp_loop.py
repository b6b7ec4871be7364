"""A WGAN-GP loop (as the public WGAN-GP implementations write it): MLP critic and generator, the
gradient penalty from torch.autograd.grad(create_graph=True) at interpolates, n_critic critic steps per
generator step, Adam(betas=(0.5, 0.9)); prints the critic and generator losses and the penalty."""

import numpy as np
import torch
from torch import autograd, nn

rng = np.random.default_rng(0)
data = (rng.normal(size=(64, 2)) * 0.5 + np.array([2.0, -1.0])).astype(np.float32)
LAMBDA, n_critic, batch = 10.0, 3, 16

generator = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Linear(16, 2))
critic = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1))


def init_from_numpy(model, seed):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.from_numpy(gen.normal(0.0, 0.3, size=tuple(p.shape)).astype(np.float32)))


init_from_numpy(generator, 1)
init_from_numpy(critic, 2)
opt_g = torch.optim.Adam(generator.parameters(), lr=1e-3, betas=(0.5, 0.9))
opt_c = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))


def gradient_penalty(critic, real, fake, alpha):
    interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = critic(interpolates)
    gradients = autograd.grad(outputs=out, inputs=interpolates, grad_outputs=torch.ones_like(out),
                              create_graph=True, retain_graph=True, only_inputs=True)[0]
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean() * LAMBDA


for step in range(4):
    for _ in range(n_critic):
        real = torch.from_numpy(data[rng.integers(0, 64, size=batch)])
        z = torch.from_numpy(rng.normal(size=(batch, 4)).astype(np.float32))
        alpha = torch.from_numpy(rng.uniform(size=(batch, 1)).astype(np.float32))
        fake = generator(z).detach()
        opt_c.zero_grad()
        gp = gradient_penalty(critic, real, fake, alpha)
        loss_c = critic(fake).mean() - critic(real).mean() + gp
        loss_c.backward()
        opt_c.step()
    for p in critic.parameters():
        p.requires_grad = False
    z = torch.from_numpy(rng.normal(size=(batch, 4)).astype(np.float32))
    opt_g.zero_grad()
    loss_g = -critic(generator(z)).mean()
    loss_g.backward()
    opt_g.step()
    for p in critic.parameters():
        p.requires_grad = True
    print("step", step, "critic", loss_c.item(), "generator", loss_g.item(), "gp", gp.item())
