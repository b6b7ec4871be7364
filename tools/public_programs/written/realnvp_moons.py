"""A RealNVP normalizing flow (Dinh, Sohl-Dickstein & Bengio 2017, "Density estimation using Real NVP") on 2-D
two-moons data, written the way the common 2-D flow notebooks write it: alternating affine coupling layers with
binary masks, s and t MLPs with tanh on s, the prior a MultivariateNormal(0, I), the loss the negative log
likelihood −(log p(z) + log|det ∂z/∂x|), and samples drawn by running the couplings backwards.

After: https://github.com/karpathy/pytorch-normalizing-flows (MIT) and the RealNVP paper's Section 3, written anew
for minigan's comparison with PyTorch; the moons are drawn with torch's own random numbers.
"""
import math

import torch
from torch import nn
from torch.distributions import MultivariateNormal

torch.manual_seed(0)


def moons(n):
    t = torch.rand(n) * math.pi
    upper = torch.rand(n) < 0.5
    x = torch.where(upper, torch.cos(t), 1 - torch.cos(t))
    y = torch.where(upper, torch.sin(t), 0.5 - torch.sin(t))
    return torch.stack([x, y], dim=1) + 0.05 * torch.randn(n, 2)


class Coupling(nn.Module):
    def __init__(self, mask):
        super().__init__()
        self.register_buffer("mask", mask)
        self.s = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 2), nn.Tanh())
        self.t = nn.Sequential(nn.Linear(2, 32), nn.LeakyReLU(0.2), nn.Linear(32, 2))

    def forward(self, x):  # data -> latent
        xm = x * self.mask
        s = self.s(xm) * (1 - self.mask)
        t = self.t(xm) * (1 - self.mask)
        z = xm + (1 - self.mask) * (x * torch.exp(s) + t)
        return z, s.sum(dim=1)

    def inverse(self, z):  # latent -> data
        zm = z * self.mask
        s = self.s(zm) * (1 - self.mask)
        t = self.t(zm) * (1 - self.mask)
        return zm + (1 - self.mask) * ((z - t) * torch.exp(-s))


class RealNVP(nn.Module):
    def __init__(self, n_layers=4):
        super().__init__()
        masks = [torch.tensor([1.0, 0.0]) if i % 2 == 0 else torch.tensor([0.0, 1.0]) for i in range(n_layers)]
        self.layers = nn.ModuleList([Coupling(m) for m in masks])
        self.prior = MultivariateNormal(torch.zeros(2), torch.eye(2))

    def log_prob(self, x):
        log_det = torch.zeros(x.shape[0])
        for layer in self.layers:
            x, ld = layer(x)
            log_det = log_det + ld
        return self.prior.log_prob(x) + log_det

    def sample(self, n):
        z = self.prior.sample((n,))
        for layer in reversed(self.layers):
            z = layer.inverse(z)
        return z


flow = RealNVP()
optimizer = torch.optim.Adam(flow.parameters(), lr=1e-3)
for step in range(1, 201):
    x = moons(128)
    loss = -flow.log_prob(x).mean()
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if step % 25 == 0:
        print(f"step {step}: nll {loss.item():.4f}")

with torch.no_grad():
    x = flow.sample(500)
    print("sample mean:", [round(v, 4) for v in x.mean(dim=0).tolist()])
    print("sample std:", [round(v, 4) for v in x.std(dim=0).tolist()])
    print("held-out nll:", round(-flow.log_prob(moons(500)).mean().item(), 4))
    print("prior entropy:", round(flow.prior.entropy().item(), 6))
