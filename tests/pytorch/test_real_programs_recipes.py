"""Real programs from papers' recipes, run with PyTorch and minigan: GAN training loops (DCGAN, WGAN-GP, a conditional
GAN, SNGAN with a hinge loss, StyleGAN2's R1 penalty, CycleGAN's and SRGAN's pieces), a VAE, second-order methods
(Hessian-vector products, MAML, a physics-informed network), FGSM and PGD, style transfer, SimCLR, DANN's gradient
reversal, distillation with mixup, Grad-CAM, beam search, a graph network, DQN, REINFORCE and PPO's clipped
objective. How they are compared: test_real_programs.py.
"""

import numpy as np
import pytest

from pytorch.test_real_programs import agree, arr, init_

pytest.importorskip("torch")
# DCGAN, two steps, BCE, Adam(0.5, 0.999)
def dcgan(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    nz = 4

    G = nn.Sequential(
        nn.ConvTranspose2d(nz, 8, 4, 1, 0, bias=False), nn.BatchNorm2d(8), nn.ReLU(True),
        nn.ConvTranspose2d(8, 4, 4, 2, 1, bias=False), nn.BatchNorm2d(4), nn.ReLU(True),
        nn.ConvTranspose2d(4, 1, 4, 2, 1, bias=False), nn.Tanh())
    D = nn.Sequential(
        nn.Conv2d(1, 4, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(4, 8, 4, 2, 1, bias=False), nn.BatchNorm2d(8), nn.LeakyReLU(0.2, inplace=True),
        nn.Conv2d(8, 1, 4, 1, 0, bias=False), nn.Sigmoid())

    def weights_init(m):
        name = m.__class__.__name__
        if name.find("BatchNorm") != -1:
            nn.init.constant_(m.weight, 1.0)
            nn.init.constant_(m.bias, 0.0)

    G, D = G.double(), D.double()
    init_(torch, G, seed)
    init_(torch, D, seed + 1)
    G.apply(weights_init)
    D.apply(weights_init)
    criterion = nn.BCELoss()
    optD = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))
    optG = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    real = torch.tanh(arr(torch, rng, 6, 1, 16, 16))
    fixed = arr(torch, rng, 6, nz, 1, 1)
    out = dict(lossD=[], lossG=[], Dx=[], DGz1=[], DGz2=[])
    for _ in range(3):
        D.zero_grad()
        label = torch.full((6,), 1.0, dtype=torch.float64)
        output = D(real).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        noise = arr(torch, rng, 6, nz, 1, 1)
        fake = G(noise)
        label.fill_(0.0)
        output = D(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        optD.step()
        G.zero_grad()
        label.fill_(1.0)
        output = D(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        optG.step()
        out["lossD"].append((errD_real + errD_fake).item())
        out["lossG"].append(errG.item())
        out["DGz2"].append(output.mean().item())
    G.eval()
    with torch.no_grad():
        sample = G(fixed)
    out.update(sample=sample, running_mean=G[1].running_mean, running_var=G[1].running_var,
               nbt=G[1].num_batches_tracked, d_bn=D[3].running_var, g_params=list(G.parameters()))
    return out


# WGAN-GP on 2-D points with the gradient penalty (create_graph=True)
def wgan_gp(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    G = init_(torch, nn.Sequential(nn.Linear(2, 16), nn.ReLU(), nn.Linear(16, 2)).double(), seed)
    C = init_(torch, nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 16), nn.Tanh(),
                                   nn.Linear(16, 1)).double(), seed + 7)
    optC = torch.optim.Adam(C.parameters(), lr=1e-3, betas=(0.0, 0.9))
    optG = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.0, 0.9))

    def gradient_penalty(critic, real, fake, alpha):
        interp = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
        d = critic(interp)
        grads = torch.autograd.grad(outputs=d, inputs=interp, grad_outputs=torch.ones_like(d),
                                    create_graph=True, retain_graph=True, only_inputs=True)[0]
        grads = grads.view(grads.size(0), -1)
        return ((grads.norm(2, dim=1) - 1) ** 2).mean()

    out = dict(c=[], g=[], gp=[])
    for _ in range(3):
        for _ in range(2):
            real = arr(torch, rng, 8, 2)
            z = arr(torch, rng, 8, 2)
            fake = G(z).detach()
            alpha = torch.tensor(rng.random((8, 1)))
            gp = gradient_penalty(C, real, fake, alpha)
            loss_c = C(fake).mean() - C(real).mean() + 10 * gp
            optC.zero_grad()
            loss_c.backward()
            optC.step()
            out["c"].append(loss_c.item())
            out["gp"].append(gp.item())
        z = arr(torch, rng, 8, 2)
        loss_g = -C(G(z)).mean()
        optG.zero_grad()
        loss_g.backward()
        optG.step()
        out["g"].append(loss_g.item())
    out["C"] = list(C.parameters())
    out["G_grads"] = [p.grad for p in G.parameters()]
    return out


# conditional GAN with label embeddings and BCEWithLogitsLoss
def cgan(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)

    class Gen(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_emb = nn.Embedding(5, 5)
            self.model = nn.Sequential(nn.Linear(8 + 5, 16), nn.BatchNorm1d(16, 0.8), nn.LeakyReLU(0.2, inplace=True),
                                       nn.Linear(16, 12), nn.Tanh())

        def forward(self, noise, labels):
            gen_input = torch.cat((self.label_emb(labels), noise), -1)
            return self.model(gen_input).view(gen_input.size(0), 3, 4)

    class Dis(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_embedding = nn.Embedding(5, 5)
            self.model = nn.Sequential(nn.Linear(12 + 5, 16), nn.LeakyReLU(0.2, inplace=True), nn.Dropout(0.4),
                                       nn.Linear(16, 1))

        def forward(self, img, labels):
            d_in = torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1)
            return self.model(d_in)

    G = init_(torch, Gen().double(), seed)
    D = init_(torch, Dis().double(), seed + 3)
    D.eval()  # the dropout's draws differ between libraries: evaluate the discriminator deterministically
    loss_fn = nn.BCEWithLogitsLoss()
    oG = torch.optim.Adam(G.parameters(), lr=1e-3, betas=(0.5, 0.999))
    oD = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.5, 0.999))
    out = dict(g=[], d=[])
    for _ in range(3):
        imgs = arr(torch, rng, 10, 3, 4)
        labels = torch.from_numpy(rng.integers(0, 5, 10))
        valid = torch.ones(10, 1, dtype=torch.float64)
        fake = torch.zeros(10, 1, dtype=torch.float64)
        oG.zero_grad()
        z = arr(torch, rng, 10, 8)
        gen_labels = torch.LongTensor(rng.integers(0, 5, 10))
        gen_imgs = G(z, gen_labels)
        g_loss = loss_fn(D(gen_imgs, gen_labels), valid)
        g_loss.backward()
        oG.step()
        oD.zero_grad()
        d_loss = (loss_fn(D(imgs, labels), valid) + loss_fn(D(gen_imgs.detach(), gen_labels), fake)) / 2
        d_loss.backward()
        oD.step()
        out["g"].append(g_loss.item())
        out["d"].append(d_loss.item())
    out["emb"] = G.label_emb.weight
    out["emb_grad"] = G.label_emb.weight.grad
    out["bn_mean"] = G.model[1].running_mean
    out["bn_var"] = G.model[1].running_var
    return out


# SNGAN discriminator: spectral norm with fixed u, v (copied in), hinge loss, two power iterations
def sngan(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    sn = nn.utils.spectral_norm
    D = nn.Sequential(sn(nn.Conv2d(1, 3, 3, 1, 1)), nn.LeakyReLU(0.1), sn(nn.Conv2d(3, 3, 4, 2, 1)),
                      nn.LeakyReLU(0.1), nn.Flatten(), sn(nn.Linear(3 * 2 * 2, 1), n_power_iterations=2)).double()
    init_(torch, D, seed)
    with torch.no_grad():
        for _, b in D.named_buffers():
            b.copy_(torch.from_numpy(rng.standard_normal(tuple(b.shape))))
            b.div_(b.norm())
    G = init_(torch, nn.Sequential(nn.Linear(3, 16), nn.ReLU(), nn.Unflatten(1, (1, 4, 4)), nn.Tanh()).double(),
              seed + 1)
    oD = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.0, 0.9))
    oG = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.0, 0.9))
    out = dict(d=[], g=[])
    for _ in range(3):
        real = torch.tanh(arr(torch, rng, 5, 1, 4, 4))
        z = arr(torch, rng, 5, 3)
        d_loss = F.relu(1.0 - D(real)).mean() + F.relu(1.0 + D(G(z).detach())).mean()
        oD.zero_grad()
        d_loss.backward()
        oD.step()
        for p in D.parameters():
            p.requires_grad_(False)
        g_loss = -D(G(z)).mean()
        oG.zero_grad()
        g_loss.backward()
        oG.step()
        for p in D.parameters():
            p.requires_grad_(True)
        out["d"].append(d_loss.item())
        out["g"].append(g_loss.item())
    D.eval()
    with torch.no_grad():
        out["eval"] = D(real)
    out["names"] = [n for n, _ in D.named_parameters()]
    out["buffers"] = dict(D.named_buffers())
    out["sd"] = list(D.state_dict())
    out["w"] = D[0].weight
    out["D_grads"] = [p.grad for p in D.parameters()]
    return out


# R1 penalty and non-saturating loss (StyleGAN2's regulariser) with requires_grad toggling
def r1_penalty(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    D = init_(torch, nn.Sequential(nn.Linear(3, 8), nn.Softplus(), nn.Linear(8, 1)).double(), seed)
    G = init_(torch, nn.Sequential(nn.Linear(2, 8), nn.ELU(), nn.Linear(8, 3)).double(), seed + 1)
    oD = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.0, 0.99), eps=1e-8)
    oG = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.0, 0.99), eps=1e-8)

    def requires_grad(model, flag=True):
        for p in model.parameters():
            p.requires_grad = flag

    def d_r1_loss(real_pred, real_img):
        (grad_real,) = torch.autograd.grad(outputs=real_pred.sum(), inputs=real_img, create_graph=True)
        return grad_real.pow(2).reshape(grad_real.shape[0], -1).sum(1).mean()

    hist = []
    for i in range(4):
        real = arr(torch, rng, 6, 3)
        z = arr(torch, rng, 6, 2)
        requires_grad(G, False)
        requires_grad(D, True)
        fake_pred = D(G(z))
        real_pred = D(real)
        d_loss = F.softplus(-real_pred).mean() + F.softplus(fake_pred).mean()
        D.zero_grad()
        d_loss.backward()
        oD.step()
        if i % 2 == 0:
            real.requires_grad = True
            real_pred = D(real)
            r1 = d_r1_loss(real_pred, real)
            D.zero_grad()
            (10 / 2 * r1 * 2 + 0 * real_pred[0]).backward()
            oD.step()
            hist.append(r1.item())
        requires_grad(G, True)
        requires_grad(D, False)
        g_loss = F.softplus(-D(G(z))).mean()
        G.zero_grad()
        g_loss.backward()
        oG.step()
        hist.append((d_loss.item(), g_loss.item()))
    return dict(hist=hist, D=list(D.parameters()), Dgrad=[p.grad for p in D.parameters()],
                real_grad=real.grad)


# CycleGAN's ResNet block and generator pieces: reflection padding, instance norm, output_padding
def cyclegan_pieces(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)

    class ResnetBlock(nn.Module):
        def __init__(self, dim):
            super().__init__()
            self.conv_block = nn.Sequential(
                nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=True),
                nn.InstanceNorm2d(dim), nn.ReLU(True),
                nn.ReflectionPad2d(1), nn.Conv2d(dim, dim, kernel_size=3, padding=0, bias=True),
                nn.InstanceNorm2d(dim))

        def forward(self, x):
            return x + self.conv_block(x)

    G = nn.Sequential(
        nn.ReflectionPad2d(3), nn.Conv2d(2, 4, kernel_size=7, padding=0), nn.InstanceNorm2d(4, affine=True),
        nn.ReLU(True),
        nn.Conv2d(4, 6, kernel_size=3, stride=2, padding=1), nn.InstanceNorm2d(6), nn.ReLU(True),
        ResnetBlock(6), ResnetBlock(6),
        nn.ConvTranspose2d(6, 4, kernel_size=3, stride=2, padding=1, output_padding=1), nn.InstanceNorm2d(4),
        nn.ReLU(True), nn.ReplicationPad2d((1, 2, 0, 1)), nn.Conv2d(4, 2, kernel_size=(2, 4), padding=0),
        nn.Tanh())
    G = init_(torch, G.double(), seed)
    D = init_(torch, nn.Sequential(nn.Conv2d(2, 4, 4, 2, 1), nn.LeakyReLU(0.2, True), nn.ZeroPad2d(1),
                                   nn.Conv2d(4, 1, 4, 1, 1)).double(), seed + 1)
    opt = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
    x = arr(torch, rng, 2, 2, 8, 8)
    y = arr(torch, rng, 2, 2, 8, 8)
    losses = []
    for _ in range(3):
        fake = G(x)
        pred = D(fake)
        loss_gan = nn.MSELoss()(pred, torch.ones_like(pred))
        loss_id = nn.L1Loss()(G(y), y) * 5.0
        loss = loss_gan + loss_id
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return dict(losses=losses, shape=tuple(fake.shape), dshape=tuple(pred.shape), fake=fake,
                grads=[p.grad for p in G.parameters()])


# SRGAN pieces: PixelShuffle upsampling, PReLU, a perceptual loss through a frozen network
def srgan_pieces(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class Up(nn.Module):
        def __init__(self, c, r):
            super().__init__()
            self.conv = nn.Conv2d(c, c * r * r, 3, 1, 1)
            self.ps = nn.PixelShuffle(r)
            self.act = nn.PReLU(c)

        def forward(self, x):
            return self.act(self.ps(self.conv(x)))

    G = init_(torch, nn.Sequential(nn.Conv2d(1, 2, 3, 1, 1), nn.PReLU(), Up(2, 2), nn.Conv2d(2, 1, 3, 1, 1)).double(),
              seed)
    vgg = init_(torch, nn.Sequential(nn.Conv2d(1, 3, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(2)).double(), seed + 1)
    for p in vgg.parameters():
        p.requires_grad = False
    opt = torch.optim.Adam(G.parameters(), lr=1e-3)
    lr_img = torch.from_numpy(rng.random((2, 1, 4, 4)))
    hr_img = torch.from_numpy(rng.random((2, 1, 8, 8)))
    hist = []
    for _ in range(3):
        sr = G(lr_img)
        loss = F.mse_loss(sr, hr_img) + 0.006 * F.mse_loss(vgg(sr), vgg(hr_img))
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append(loss.item())
    un = nn.PixelUnshuffle(2)(hr_img)
    return dict(hist=hist, sr=sr, un=un, prelu=[G[1].weight, G[2].act.weight],
                vgg_grad=[p.grad for p in vgg.parameters()])


# a VAE with the reparameterisation trick (noise from NumPy), KL term, Adam
def vae(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = nn.Linear(12, 8)
            self.fc21 = nn.Linear(8, 2)
            self.fc22 = nn.Linear(8, 2)
            self.fc3 = nn.Linear(2, 8)
            self.fc4 = nn.Linear(8, 12)

        def encode(self, x):
            h1 = F.relu(self.fc1(x))
            return self.fc21(h1), self.fc22(h1)

        def reparameterize(self, mu, logvar, eps):
            std = torch.exp(0.5 * logvar)
            return mu + eps * std

        def decode(self, z):
            return torch.sigmoid(self.fc4(F.softplus(self.fc3(z))))

        def forward(self, x, eps):
            mu, logvar = self.encode(x.view(-1, 12))
            z = self.reparameterize(mu, logvar, eps)
            return self.decode(z), mu, logvar

    def loss_function(recon_x, x, mu, logvar):
        BCE = F.binary_cross_entropy(recon_x, x.view(-1, 12), reduction="sum")
        KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        return BCE + KLD

    model = init_(torch, VAE().double(), seed)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    data = torch.from_numpy(rng.random((6, 3, 4)))
    losses = []
    for _ in range(4):
        eps = torch.from_numpy(rng.standard_normal((6, 2)))
        opt.zero_grad()
        recon, mu, logvar = model(data, eps)
        loss = loss_function(recon, data, mu, logvar)
        loss.backward()
        opt.step()
        losses.append(loss.item() / len(data))
    with torch.no_grad():
        sample = model.decode(torch.from_numpy(rng.standard_normal((3, 2))))
    return dict(losses=losses, sample=sample, mu=mu, logvar=logvar)


# Hessian-vector products three ways
def hvp(torch, seed):
    rng = np.random.default_rng(seed)
    w = arr(torch, rng, 5, requires_grad=True)
    A = arr(torch, rng, 5, 5)
    v = arr(torch, rng, 5)

    def f(w):
        return torch.log1p(torch.exp(A @ w)).sum() + 0.5 * (w ** 4).sum() + torch.sin(w).prod()

    loss = f(w)
    (g,) = torch.autograd.grad(loss, w, create_graph=True)
    (hv,) = torch.autograd.grad(g @ v, w, retain_graph=True)
    (hv2,) = torch.autograd.grad(g, w, grad_outputs=v)
    _, hv3 = torch.autograd.functional.hvp(f, w.detach(), v)
    H = torch.autograd.functional.hessian(f, w.detach())
    J = torch.autograd.functional.jacobian(lambda u: torch.tanh(A @ u) * u, w.detach())
    _, vjp = torch.autograd.functional.vjp(lambda u: torch.tanh(A @ u), w.detach(), v)
    _, jvp = torch.autograd.functional.jvp(lambda u: torch.tanh(A @ u), w.detach(), v)
    return dict(g=g, hv=hv, hv2=hv2, hv3=hv3, H=H, J=J, vjp=vjp, jvp=jvp, g_rg=g.requires_grad,
                hv_rg=hv.requires_grad)


# MAML: one inner SGD step with create_graph, outer Adam
def maml(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    model = init_(torch, nn.Sequential(nn.Linear(1, 20), nn.Tanh(), nn.Linear(20, 1)).double(), seed, 0.5)
    meta_opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    inner_lr = 0.05

    def functional_forward(x, params):
        h = torch.tanh(F.linear(x, params["0.weight"], params["0.bias"]))
        return F.linear(h, params["2.weight"], params["2.bias"])

    out = dict(meta=[], inner=[])
    for _ in range(3):
        meta_opt.zero_grad()
        meta_loss = 0.0
        for _ in range(2):
            amp, phase = 1 + rng.random(), rng.random() * 3
            xs = torch.tensor(rng.uniform(-5, 5, (10, 1)))
            xq = torch.tensor(rng.uniform(-5, 5, (10, 1)))
            ys, yq = amp * torch.sin(xs + phase), amp * torch.sin(xq + phase)
            params = dict(model.named_parameters())
            inner = F.mse_loss(functional_forward(xs, params), ys)
            grads = torch.autograd.grad(inner, params.values(), create_graph=True)
            fast = {n: p - inner_lr * g for (n, p), g in zip(params.items(), grads)}
            meta_loss = meta_loss + F.mse_loss(functional_forward(xq, fast), yq)
            out["inner"].append(inner.item())
        meta_loss = meta_loss / 2
        meta_loss.backward()
        meta_opt.step()
        out["meta"].append(meta_loss.item())
    out["grads"] = [p.grad for p in model.parameters()]
    return out


# a physics-informed network: u'' + u = 0 with second derivatives by autograd.grad, then Adam
def pinn(torch, seed):
    nn = torch.nn
    model = init_(torch, nn.Sequential(nn.Linear(2, 10), nn.Tanh(), nn.Linear(10, 10), nn.SiLU(),
                                       nn.Linear(10, 1)).double(), seed, 0.5)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    xs = torch.linspace(0, 1, 5, dtype=torch.float64)
    ts = torch.linspace(0, 2, 4, dtype=torch.float64)
    X, T = torch.meshgrid(xs, ts, indexing="ij")
    pts = torch.stack([X.flatten(), T.flatten()], dim=1).requires_grad_(True)
    out = dict(loss=[])
    for _ in range(3):
        u = model(pts)
        du = torch.autograd.grad(u, pts, grad_outputs=torch.ones_like(u), create_graph=True)[0]
        u_x, u_t = du[:, 0:1], du[:, 1:2]
        u_xx = torch.autograd.grad(u_x, pts, torch.ones_like(u_x), create_graph=True)[0][:, 0:1]
        residual = u_t - 0.1 * u_xx + u * u_x
        bc = model(torch.cat([torch.zeros(4, 1, dtype=torch.float64), ts[:, None]], 1))
        loss = residual.pow(2).mean() + bc.pow(2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
        out["loss"].append(loss.item())
    out["u_xx"] = u_xx
    out["grads"] = [p.grad for p in model.parameters()]
    out["pts_grad"] = pts.grad
    return out


# FGSM and PGD against a small classifier in eval mode
def fgsm_pgd(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    model = init_(torch, nn.Sequential(nn.Flatten(), nn.Linear(16, 12), nn.BatchNorm1d(12), nn.ReLU(),
                                       nn.Dropout(0.5), nn.Linear(12, 4)).double(), seed)
    model[2].running_mean.copy_(torch.from_numpy(rng.standard_normal(12) * 0.1))
    model[2].running_var.copy_(torch.from_numpy(rng.random(12) + 0.5))
    model.eval()
    x = torch.from_numpy(rng.random((5, 1, 4, 4)))
    y = torch.from_numpy(rng.integers(0, 4, 5))

    def fgsm(image, eps, data_grad):
        perturbed = image + eps * data_grad.sign()
        return torch.clamp(perturbed, 0, 1)

    xa = x.clone().requires_grad_(True)
    loss = F.nll_loss(F.log_softmax(model(xa), dim=1), y)
    model.zero_grad()
    loss.backward()
    adv = fgsm(xa, 0.1, xa.grad.data)
    eps, alpha = 0.1, 0.02
    x_adv = x.clone().detach() + 0.001 * torch.from_numpy(rng.standard_normal(x.shape))
    traj = []
    for _ in range(5):
        x_adv.requires_grad_(True)
        loss = nn.CrossEntropyLoss()(model(x_adv), y)
        grad = torch.autograd.grad(loss, [x_adv])[0]
        x_adv = x_adv.detach() + alpha * grad.sign()
        x_adv = torch.min(torch.max(x_adv, x - eps), x + eps).clamp(0, 1)
        traj.append(loss.item())
    with torch.no_grad():
        probs = F.softmax(model(x_adv), dim=1)
    return dict(adv=adv, x_adv=x_adv, traj=traj, probs=probs, pgrads=[p.grad for p in model.parameters()],
                adv_rg=adv.requires_grad, conf=probs.max(1)[0], pred=probs.max(1)[1])


# neural style transfer: Gram matrices, content and style losses, optimise the input image with Adam
def style_transfer(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    feats = init_(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 4, 3, padding=1),
                                       nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(4, 6, 3, padding=1), nn.ReLU()).double(),
                  seed)
    feats.eval()
    feats.requires_grad_(False)

    def gram_matrix(x):
        a, b, c, d = x.size()
        f = x.view(a * b, c * d)
        G = torch.mm(f, f.t())
        return G.div(a * b * c * d)

    class Normalization(nn.Module):
        def __init__(self, mean, std):
            super().__init__()
            self.mean = torch.tensor(mean, dtype=torch.float64).view(-1, 1, 1)
            self.std = torch.tensor(std, dtype=torch.float64).view(-1, 1, 1)

        def forward(self, img):
            return (img - self.mean) / self.std

    norm = Normalization([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    content = torch.from_numpy(rng.random((1, 3, 8, 8)))
    style = torch.from_numpy(rng.random((1, 3, 8, 8)))
    layers = {1: "c1", 3: "c2", 6: "c3"}

    def features(img):
        out, x = {}, norm(img)
        for i, layer in enumerate(feats):
            x = layer(x)
            if i in layers:
                out[layers[i]] = x
        return out

    target_c = features(content)["c2"].detach()
    target_s = {k: gram_matrix(v).detach() for k, v in features(style).items()}
    img = content.clone().requires_grad_(True)
    opt = torch.optim.Adam([img], lr=0.05)
    hist = []
    for _ in range(4):
        with torch.no_grad():
            img.clamp_(0, 1)
        opt.zero_grad()
        f = features(img)
        s_loss = sum(F.mse_loss(gram_matrix(f[k]), target_s[k]) for k in f)
        c_loss = F.mse_loss(f["c2"], target_c)
        loss = 1e4 * s_loss + c_loss
        loss.backward()
        opt.step()
        hist.append((s_loss.item(), c_loss.item()))
    return dict(hist=hist, img=img.detach().clamp(0, 1), g=img.grad)


# SimCLR's NT-Xent loss: normalize, similarity matrix, a masked diagonal, cross-entropy on positives
def simclr(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    enc = init_(torch, nn.Sequential(nn.Linear(5, 8), nn.BatchNorm1d(8), nn.ReLU(), nn.Linear(8, 4)).double(), seed)
    opt = torch.optim.SGD(enc.parameters(), lr=0.3, momentum=0.9, weight_decay=1e-4)

    def nt_xent(z1, z2, tau=0.5):
        n = z1.shape[0]
        z = F.normalize(torch.cat([z1, z2], dim=0), dim=1)
        sim = z @ z.T / tau
        mask = torch.eye(2 * n, dtype=torch.bool)
        sim = sim.masked_fill(mask, float("-inf"))
        targets = torch.cat([torch.arange(n, 2 * n), torch.arange(0, n)])
        return F.cross_entropy(sim, targets)

    hist = []
    for _ in range(3):
        x = arr(torch, rng, 4, 5)
        v1 = x + 0.1 * arr(torch, rng, 4, 5)
        v2 = x * torch.from_numpy(rng.uniform(0.8, 1.2, (4, 1)))
        loss = nt_xent(enc(v1), enc(v2))
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append(loss.item())
    z1 = enc(v1)
    cs = F.cosine_similarity(z1[:, None, :], z1[None, :, :], dim=-1)
    return dict(hist=hist, cs=cs, cd=torch.cdist(z1, z1), pd=F.pairwise_distance(z1, z1.flip(0)),
                params=list(enc.parameters()))


# DANN: a gradient reversal layer as an autograd.Function with a ctx attribute, two heads
def dann(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)

    class GradReverse(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, alpha):
            ctx.alpha = alpha
            return x.view_as(x)

        @staticmethod
        def backward(ctx, grad_output):
            return grad_output.neg() * ctx.alpha, None

    feat = init_(torch, nn.Sequential(nn.Linear(4, 6), nn.ReLU()).double(), seed)
    cls = init_(torch, nn.Linear(6, 2).double(), seed + 1)
    dom = init_(torch, nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 1)).double(), seed + 2)
    opt = torch.optim.SGD(list(feat.parameters()) + list(cls.parameters()) + list(dom.parameters()), lr=0.05,
                          momentum=0.9)
    hist = []
    for step in range(4):
        p = step / 4
        alpha = 2.0 / (1.0 + np.exp(-10 * p)) - 1
        xs, ys = arr(torch, rng, 5, 4), torch.from_numpy(rng.integers(0, 2, 5))
        xt = arr(torch, rng, 5, 4) + 1
        fs, ft = feat(xs), feat(xt)
        cls_loss = F.cross_entropy(cls(fs), ys)
        d_in = torch.cat([GradReverse.apply(fs, alpha), GradReverse.apply(ft, alpha)])
        d_lbl = torch.cat([torch.zeros(5, 1), torch.ones(5, 1)]).double()
        dom_loss = F.binary_cross_entropy_with_logits(dom(d_in), d_lbl)
        loss = cls_loss + dom_loss
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append((cls_loss.item(), dom_loss.item()))
    return dict(hist=hist, feat_grad=[q.grad for q in feat.parameters()], fn=d_in.grad_fn.name())


# knowledge distillation with temperature, mixup, focal loss, label smoothing by hand
def distill_mixup_focal(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    teacher = init_(torch, nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).double(), seed).eval()
    student = init_(torch, nn.Sequential(nn.Linear(4, 3)).double(), seed + 1)
    opt = torch.optim.SGD(student.parameters(), lr=0.1, momentum=0.9)
    T = 3.0
    hist = []
    for _ in range(3):
        x = arr(torch, rng, 6, 4)
        y = torch.from_numpy(rng.integers(0, 3, 6))
        lam = float(rng.beta(0.4, 0.4))
        perm = torch.from_numpy(rng.permutation(6))
        xm = lam * x + (1 - lam) * x[perm, :]
        with torch.no_grad():
            t_logits = teacher(xm)
        s_logits = student(xm)
        kd = F.kl_div(F.log_softmax(s_logits / T, dim=1), F.softmax(t_logits / T, dim=1), reduction="batchmean") * T * T
        ce = lam * F.cross_entropy(s_logits, y) + (1 - lam) * F.cross_entropy(s_logits, y[perm])
        logp = F.log_softmax(s_logits, dim=-1)
        logpt = logp.gather(1, y.unsqueeze(1)).squeeze(1)
        focal = (-(1 - logpt.exp()) ** 2.0 * logpt).mean()
        one_hot = torch.zeros_like(s_logits).scatter_(1, y.view(-1, 1), 1.0)
        smooth = one_hot * 0.9 + 0.1 / 3
        ls = torch.sum(-smooth * logp, dim=-1).mean()
        loss = 0.5 * kd + 0.5 * ce + focal + ls
        opt.zero_grad()
        loss.backward()
        opt.step()
        hist.append((kd.item(), ce.item(), focal.item(), ls.item()))
    return dict(hist=hist, w=list(student.parameters()), oh=one_hot, oh2=F.one_hot(y, 3), oh2_dtype=F.one_hot(y).dtype)


# Grad-CAM: forward and tensor hooks on a conv layer's activations, weights by pooled gradients
def grad_cam(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    model = init_(torch, nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.ReLU(), nn.Conv2d(3, 4, 3, padding=1),
                                       nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 5)).double(),
                  seed).eval()
    store = {}

    def fwd_hook(module, inp, out):
        store["act"] = out
        out.register_hook(lambda g: store.__setitem__("grad", g))

    h = model[3].register_forward_hook(fwd_hook)
    x = torch.from_numpy(rng.random((2, 1, 6, 6)))
    logits = model(x)
    cls = logits.argmax(dim=1)
    score = logits.gather(1, cls[:, None]).sum()
    model.zero_grad()
    score.backward()
    h.remove()
    weights = store["grad"].mean(dim=(2, 3), keepdim=True)
    cam = F.relu((weights * store["act"]).sum(dim=1, keepdim=True))
    cam = F.interpolate(cam, size=(12, 12), mode="bilinear", align_corners=False)
    lo = cam.flatten(1).min(dim=1)[0].view(-1, 1, 1, 1)
    hi = cam.flatten(1).max(dim=1).values.view(-1, 1, 1, 1)
    cam = (cam - lo) / (hi - lo + 1e-8)
    sal = x.clone().requires_grad_()
    model(sal)[torch.arange(2), cls].sum().backward()
    return dict(cam=cam.detach(), cls=cls, saliency=sal.grad.abs().amax(dim=1), act_rg=store["act"].requires_grad)


# beam search over a tiny decoder: log_softmax, topk over flattened scores, gather, index arithmetic
def beam_search(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    V, H, B = 7, 5, 3
    emb = init_(torch, nn.Embedding(V, H).double(), seed)
    cell = init_(torch, nn.GRUCell(H, H).double(), seed + 1)
    out = init_(torch, nn.Linear(H, V).double(), seed + 2)
    with torch.no_grad():
        h = torch.from_numpy(rng.standard_normal((1, H))).expand(B, H).contiguous()
        tokens = torch.zeros(B, 1, dtype=torch.long)
        scores = torch.tensor([0.0] + [-float("inf")] * (B - 1), dtype=torch.float64)
        for _ in range(4):
            h = cell(emb(tokens[:, -1]), h)
            logp = F.log_softmax(out(h), dim=-1)
            cand = (scores[:, None] + logp).view(-1)
            top, idx = cand.topk(B)
            beam, tok = idx // V, idx % V
            tokens = torch.cat([tokens[beam], tok[:, None]], dim=1)
            h = h[beam]
            scores = top
    best = tokens[scores.argmax()]
    return dict(tokens=tokens, scores=scores, best=best, div=torch.div(torch.tensor([7, -7]), 2, rounding_mode="floor"))


from pytorch.real_programs_rl_and_graphs import dqn, gcn, policy_gradients  # noqa: E402

PROGRAMS = [dcgan, wgan_gp, cgan, sngan, r1_penalty, cyclegan_pieces, srgan_pieces, vae, hvp, maml, pinn, fgsm_pgd,
            style_transfer, simclr, dann, distill_mixup_focal, grad_cam, beam_search, gcn, dqn,
            policy_gradients]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.__name__)
def test_program_agrees_with_pytorch(program):
    agree(program)
