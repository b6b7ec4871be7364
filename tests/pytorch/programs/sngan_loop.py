"""An SN-GAN step loop in the style of the public implementations: a discriminator whose layers are wrapped in
nn.utils.spectral_norm (Miyato et al. 2018), a generator that upsamples bilinearly before a convolution (resize-
convolution), the hinge loss, and a forward hook that records the discriminator's first activation.  Its initial
weights and the spectral-norm vectors come from NumPy, so both libraries start alike; prints the losses and stats."""

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

rng = np.random.default_rng(0)


def init_from_numpy(module):
    for p in module.parameters():
        p.data.copy_(torch.from_numpy((rng.normal(size=tuple(p.shape)) * 0.2).astype(np.float32)))
    for name, b in module.named_buffers():
        if name.endswith("_u") or name.endswith("_v"):  # the power iteration's starting vectors
            v = rng.normal(size=tuple(b.shape)).astype(np.float32)
            b.copy_(torch.from_numpy(v / np.linalg.norm(v)))


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 16 * 4 * 4)
        self.up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=False)
        self.conv = nn.Conv2d(16, 1, 3, padding=1)

    def forward(self, z):
        h = F.relu(self.fc(z)).view(-1, 16, 4, 4)
        return torch.tanh(self.conv(self.up(h)))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.utils.spectral_norm(nn.Conv2d(1, 8, 3, stride=2, padding=1))
        self.fc = nn.utils.spectral_norm(nn.Linear(8 * 4 * 4, 1))

    def forward(self, x):
        return self.fc(F.leaky_relu(self.conv(x), 0.1).flatten(1))


G, D = Generator(), Discriminator()
init_from_numpy(G)
init_from_numpy(D)
seen = []
hook = D.conv.register_forward_hook(lambda module, args, out: seen.append(out.detach().abs().mean().item()))
opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.0, 0.9))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.0, 0.9))
real = torch.from_numpy(np.tanh(rng.normal(size=(16, 1, 8, 8))).astype(np.float32))
noise = [torch.from_numpy(rng.normal(size=(16, 8)).astype(np.float32)) for _ in range(6)]
for step, z in enumerate(noise):
    d_loss = F.relu(1 - D(real)).mean() + F.relu(1 + D(G(z).detach())).mean()  # the hinge loss
    opt_d.zero_grad()
    d_loss.backward()
    opt_d.step()
    g_loss = -D(G(z)).mean()
    opt_g.zero_grad()
    g_loss.backward()
    opt_g.step()
    print(f"step {step} d_loss {d_loss.item():.5f} g_loss {g_loss.item():.5f}")
hook.remove()
print(f"hook calls {len(seen)} first {seen[0]:.5f} last {seen[-1]:.5f}")
print(f"u norm {D.fc.weight_u.norm().item():.5f} D.conv.weight mean {D.conv.weight.mean().item():.5f}")
