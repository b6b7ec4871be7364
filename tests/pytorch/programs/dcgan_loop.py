"""A DCGAN-style training loop (as in the DCGAN tutorials): ConvTranspose2d/BatchNorm2d generator, Conv2d/
LeakyReLU discriminator, BCELoss with real/fake labels from torch.full, Adam(betas=(0.5, 0.999)), the
discriminator step on real and detached fake batches, then the generator step; prints both losses and
D(x), D(G(z)) each iteration."""

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

nz, ngf, ndf, nc = 8, 8, 8, 1
rng = np.random.default_rng(0)
images = np.tanh(rng.normal(size=(16, nc, 8, 8))).astype(np.float32)


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False),
            nn.BatchNorm2d(ngf * 2),
            nn.ReLU(True),
            nn.ConvTranspose2d(ngf * 2, nc, 4, 2, 1, bias=False),
            nn.Tanh(),
        )

    def forward(self, input):
        return self.main(input)


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.main = nn.Sequential(
            nn.Conv2d(nc, ndf, 4, 2, 1, bias=False),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False),
            nn.BatchNorm2d(ndf * 2),
            nn.LeakyReLU(0.2, inplace=True),
            nn.Conv2d(ndf * 2, 1, 2, 1, 0, bias=False),
            nn.Sigmoid(),
        )

    def forward(self, input):
        return self.main(input).view(-1, 1).squeeze(1)


def init_from_numpy(model, seed):
    gen = np.random.default_rng(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            values = gen.normal(1.0 if "1.weight" in name and p.dim() == 1 else 0.0, 0.02, size=tuple(p.shape))
            p.copy_(torch.from_numpy(values.astype(np.float32)))


netG, netD = Generator(), Discriminator()
init_from_numpy(netG, 1)
init_from_numpy(netD, 2)
criterion = nn.BCELoss()
real_label, fake_label = 1.0, 0.0
optimizerD = optim.Adam(netD.parameters(), lr=0.0002, betas=(0.5, 0.999))
optimizerG = optim.Adam(netG.parameters(), lr=0.0002, betas=(0.5, 0.999))

for i in range(6):
    real = torch.from_numpy(images[(i % 2) * 8:(i % 2) * 8 + 8])
    b_size = real.size(0)
    noise = torch.from_numpy(rng.normal(size=(b_size, nz, 1, 1)).astype(np.float32))
    # (1) Update D: maximize log(D(x)) + log(1 - D(G(z)))
    netD.zero_grad()
    label = torch.full((b_size,), real_label, dtype=torch.float)
    output = netD(real)
    errD_real = criterion(output, label)
    errD_real.backward()
    D_x = output.mean().item()
    fake = netG(noise)
    label.fill_(fake_label)
    output = netD(fake.detach())
    errD_fake = criterion(output, label)
    errD_fake.backward()
    D_G_z1 = output.mean().item()
    errD = errD_real + errD_fake
    optimizerD.step()
    # (2) Update G: maximize log(D(G(z)))
    netG.zero_grad()
    label.fill_(real_label)
    output = netD(fake)
    errG = criterion(output, label)
    errG.backward()
    D_G_z2 = output.mean().item()
    optimizerG.step()
    print("iter", i, "Loss_D", errD.item(), "Loss_G", errG.item(), "D(x)", D_x, "D(G(z))", D_G_z1, D_G_z2)
