"""idioms_batch4 (part 3 of 3; the first is idioms_batch4.py)."""

import sys

import numpy as np
from idioms_harness import X, main, seed_params, snippet

# ---------------------------------------------------------------- small training loops


@snippet
def mlp_regression_adam_loop(torch, nn, optim):
    model = seed_params(torch, nn.Sequential(nn.Linear(1, 16), nn.Tanh(), nn.Linear(16, 16), nn.Tanh(), nn.Linear(16, 1)))
    x = torch.linspace(-2, 2, 32).unsqueeze(1)
    y = torch.sin(2 * x) + 0.1 * x ** 2
    opt = optim.Adam(model.parameters(), lr=1e-2)
    crit = nn.MSELoss()
    losses = []
    for epoch in range(30):
        opt.zero_grad()
        loss = crit(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        pred = model(torch.tensor([[0.5], [-1.5]]))
    return dict(losses=losses[::5], last=losses[-1], pred=pred, w=model[4].weight.detach().clone())


@snippet
def logistic_regression_sgd_loop(torch, nn, optim):
    rng = np.random.default_rng(5)
    xs = rng.standard_normal((64, 2)).astype(np.float32)
    ys = (xs[:, 0] + 2 * xs[:, 1] > 0.3).astype(np.float32)
    x, y = torch.from_numpy(xs), torch.from_numpy(ys).unsqueeze(1)
    model = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(model.parameters(), lr=0.5, weight_decay=1e-3)
    crit = nn.BCEWithLogitsLoss()
    hist = []
    for epoch in range(25):
        perm = np.arange(64).reshape(4, 16)[epoch % 4]
        idx = torch.from_numpy(perm)
        opt.zero_grad()
        loss = crit(model(x[idx]), y[idx])
        loss.backward()
        opt.step()
        hist.append(loss.item())
    with torch.no_grad():
        acc = ((model(x) > 0).float() == y).float().mean().item()
    return dict(hist=hist[::4], acc=acc, w=model.weight.detach().clone(), b=model.bias.item())


@snippet
def tiny_cnn_classifier_loop(torch, nn, optim, F):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
            self.bn1 = nn.BatchNorm2d(4)
            self.conv2 = nn.Conv2d(4, 8, 3, stride=2, padding=1)
            self.pool = nn.MaxPool2d(2)
            self.drop = nn.Dropout(0.0)
            self.fc = nn.Linear(8 * 2 * 2, 3)

        def forward(self, x):
            x = F.relu(self.bn1(self.conv1(x)))
            x = self.pool(F.relu(self.conv2(x)))
            x = torch.flatten(x, 1)
            return self.fc(self.drop(x))

    net = seed_params(torch, Net())
    x = torch.tensor(X((6, 1, 8, 8), 9))
    y = torch.tensor([0, 1, 2, 0, 1, 2])
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    crit = nn.CrossEntropyLoss()
    losses = []
    for _ in range(5):
        opt.zero_grad()
        out = net(x)
        loss = crit(out, y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
    net.eval()
    with torch.no_grad():
        ev = net(x)
        _, predicted = torch.max(ev.data, 1)
    return dict(losses=losses, ev=ev, pred=predicted, rm=net.bn1.running_mean, rv=net.bn1.running_var,
                nbt=net.bn1.num_batches_tracked.item(), fcw=net.fc.weight.detach().clone())


@snippet
def dcgan_full_step(torch, nn, optim):
    nz, ngf, ndf = 4, 4, 4

    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
                nn.ConvTranspose2d(ngf * 2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
                nn.ConvTranspose2d(ngf, 1, 4, 2, 1, bias=False), nn.Tanh())

        def forward(self, input):
            return self.main(input)

    class D(nn.Module):
        def __init__(self):
            super().__init__()
            self.main = nn.Sequential(
                nn.Conv2d(1, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf, ndf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf * 2), nn.LeakyReLU(0.2, inplace=True),
                nn.Conv2d(ndf * 2, 1, 4, 1, 0, bias=False), nn.Sigmoid())

        def forward(self, input):
            return self.main(input)

    def weights_init(m):
        classname = m.__class__.__name__
        if classname.find("Conv") != -1:
            pass
        elif classname.find("BatchNorm") != -1:
            nn.init.constant_(m.bias.data, 0)

    netG = seed_params(torch, G(), 1, 0.2)
    netD = seed_params(torch, D(), 2, 0.2)
    netG.apply(weights_init)
    netD.apply(weights_init)
    criterion = nn.BCELoss()
    fixed_noise = torch.tensor(X((2, nz, 1, 1), 5))
    real_label, fake_label = 1.0, 0.0
    optimizerD = optim.Adam(netD.parameters(), lr=2e-3, betas=(0.5, 0.999))
    optimizerG = optim.Adam(netG.parameters(), lr=2e-3, betas=(0.5, 0.999))
    real = torch.tensor(np.tanh(X((4, 1, 16, 16), 6)))
    log = []
    for i in range(3):
        netD.zero_grad()
        b_size = real.size(0)
        label = torch.full((b_size,), real_label, dtype=torch.float)
        output = netD(real).view(-1)
        errD_real = criterion(output, label)
        errD_real.backward()
        D_x = output.mean().item()
        noise = torch.tensor(X((b_size, nz, 1, 1), 20 + i))
        fake = netG(noise)
        label.fill_(fake_label)
        output = netD(fake.detach()).view(-1)
        errD_fake = criterion(output, label)
        errD_fake.backward()
        D_G_z1 = output.mean().item()
        errD = errD_real + errD_fake
        optimizerD.step()
        netG.zero_grad()
        label.fill_(real_label)
        output = netD(fake).view(-1)
        errG = criterion(output, label)
        errG.backward()
        D_G_z2 = output.mean().item()
        optimizerG.step()
        log.append((errD.item(), errG.item(), D_x, D_G_z1, D_G_z2))
    with torch.no_grad():
        f = netG(fixed_noise).detach().cpu()
    return dict(log=log, f=f, shape=f.shape, g=[p.detach().clone() for p in netG.parameters()][-1])


if __name__ == "__main__":
    main(sys.argv[1:])
