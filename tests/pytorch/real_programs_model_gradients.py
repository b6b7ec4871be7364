"""test_real_programs_models.py's programs whose gradients run through whole models: a VQ-VAE's straight-through
estimator, a gradient penalty through layers, the Hessian of a CNN (the header is in test_real_programs_models.py)."""

import numpy as np

from pytorch.test_real_programs import arr, init_


# VQ-VAE: nearest codebook entries by argmin of distances, the straight-through estimator, commitment loss,
# an EMA codebook update in place, the perplexity of code use
def vq_vae(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class VectorQuantizer(nn.Module):
        def __init__(self, K, D, beta=0.25):
            super().__init__()
            self.embedding = nn.Embedding(K, D)
            self.beta = beta
            self.register_buffer("ema_count", torch.ones(K, dtype=torch.float64))

        def forward(self, z):
            z = z.permute(0, 2, 3, 1).contiguous()
            flat = z.view(-1, z.shape[-1])
            d = (flat.pow(2).sum(1, keepdim=True) - 2 * flat @ self.embedding.weight.t()
                 + self.embedding.weight.pow(2).sum(1))
            idx = torch.argmin(d, dim=1).unsqueeze(1)
            enc = torch.zeros(idx.shape[0], self.embedding.num_embeddings, dtype=z.dtype)
            enc.scatter_(1, idx, 1)
            zq = torch.matmul(enc, self.embedding.weight).view(z.shape)
            loss = F.mse_loss(zq.detach(), z) * self.beta + F.mse_loss(zq, z.detach())
            zq = z + (zq - z).detach()
            avg = enc.mean(0)
            perplexity = torch.exp(-torch.sum(avg * torch.log(avg + 1e-10)))
            if self.training:
                with torch.no_grad():
                    self.ema_count.mul_(0.99).add_(enc.sum(0), alpha=0.01)
            return zq.permute(0, 3, 1, 2).contiguous(), loss, perplexity, idx

    enc_net = init_(torch, nn.Sequential(nn.Conv2d(1, 4, 3, 2, 1), nn.ReLU(), nn.Conv2d(4, 3, 1)).double(), seed)
    vq = init_(torch, VectorQuantizer(5, 3).double(), seed + 1, 1.0)
    dec = init_(torch, nn.Sequential(nn.ConvTranspose2d(3, 4, 4, 2, 1), nn.ReLU(), nn.Conv2d(4, 1, 3, padding=1)
                                     ).double(), seed + 2)
    params = list(enc_net.parameters()) + list(vq.parameters()) + list(dec.parameters())
    opt = torch.optim.Adam(params, lr=2e-3)
    x = torch.from_numpy(rng.random((2, 1, 6, 6)))
    hist = []
    for _ in range(3):
        zq, vq_loss, perp, idx = vq(enc_net(x))
        recon = dec(zq)
        loss = F.mse_loss(recon, x) + vq_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append((loss.item(), vq_loss.item(), perp.item()))
    return dict(hist=hist, idx=idx, ema=vq.ema_count, codebook=vq.embedding.weight,
                enc_grad=[p.grad for p in enc_net.parameters()])


# a gradient penalty (create_graph) through every kind of layer a critic is made of: conv, layer, instance and
# group norm, pools, bilinear upsampling, a transposed conv, smooth activations
def gp_through_layers(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    critic = init_(torch, nn.Sequential(
        nn.Conv2d(2, 3, 3, padding=1), nn.LayerNorm([3, 6, 6]), nn.LeakyReLU(0.2), nn.MaxPool2d(2),
        nn.Upsample(scale_factor=2, mode="bilinear"), nn.ConvTranspose2d(3, 2, 3, stride=2, padding=1),
        nn.InstanceNorm2d(2, affine=True), nn.ELU(), nn.AvgPool2d(2), nn.GroupNorm(1, 2), nn.Softplus(),
        nn.AdaptiveAvgPool2d(2), nn.Flatten(), nn.Linear(8, 4), nn.Mish(), nn.Linear(4, 1)).double(), seed)
    opt = torch.optim.Adam(critic.parameters(), lr=1e-3, betas=(0.5, 0.9))
    hist = []
    for _ in range(2):
        real, fake = arr(torch, rng, 3, 2, 6, 6), arr(torch, rng, 3, 2, 6, 6)
        eps = torch.from_numpy(rng.random((3, 1, 1, 1)))
        x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
        out = critic(x_hat)
        g, = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
        gp = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
        loss = critic(fake).mean() - critic(real).mean() + 10 * gp
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append((loss.item(), gp.item()))
    return dict(hist=hist, grads=[p.grad for p in critic.parameters()])


# Hessian-vector products of a small CNN's loss in its parameters, and the Hessian in its input
def hessian_of_a_cnn(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    net = init_(torch, nn.Sequential(nn.Conv2d(1, 2, 2), nn.Tanh(), nn.Flatten(), nn.Linear(8, 1)).double(), seed)
    x = arr(torch, rng, 1, 1, 3, 3)
    params = list(net.parameters())
    loss = net(x).pow(2).sum()
    grads = torch.autograd.grad(loss, params, create_graph=True)
    v = [torch.from_numpy(rng.standard_normal(tuple(p.shape))) for p in params]
    gv = sum((g * vi).sum() for g, vi in zip(grads, v))
    hv = torch.autograd.grad(gv, params)
    xi = x.clone().requires_grad_()
    H = torch.autograd.functional.hessian(lambda inp: net(inp).pow(3).sum(), xi)
    return dict(hv=hv, H=H.reshape(9, 9))
