import sys

import numpy as np
from idioms_harness import main, seed_params, snippet


def X(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@snippet
def cnn_classifier_training(torch, nn, F, optim, data):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
            self.pool = nn.MaxPool2d(2, 2)
            self.bn = nn.BatchNorm2d(4)
            self.fc1 = nn.Linear(4 * 2 * 2, 8)
            self.drop = nn.Dropout(0.0)
            self.fc2 = nn.Linear(8, 3)
        def forward(self, x):
            x = self.pool(F.relu(self.bn(self.conv1(x))))
            x = torch.flatten(x, 1)
            x = self.drop(F.relu(self.fc1(x)))
            return self.fc2(x)
    net = seed_params(torch, Net())
    xs = torch.tensor(X((8, 1, 4, 4)))
    ys = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    dl = data.DataLoader(data.TensorDataset(xs, ys), batch_size=4, shuffle=False)
    crit = nn.CrossEntropyLoss()
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
    sched = optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    hist = []
    for epoch in range(2):
        net.train()
        running = 0.0
        for inputs, labels in dl:
            opt.zero_grad()
            outputs = net(inputs)
            loss = crit(outputs, labels)
            loss.backward()
            opt.step()
            running += loss.item()
        sched.step()
        net.eval()
        with torch.no_grad():
            pred = net(xs).argmax(1)
            acc = (pred == ys).float().mean().item()
        hist.append((running, acc))
    return dict(hist=hist, w=net.fc2.weight, rm=net.bn.running_mean)


@snippet
def vae_loop(torch, nn, F, optim):
    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(6, 8)
            self.mu = nn.Linear(8, 2)
            self.lv = nn.Linear(8, 2)
            self.dec = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 6), nn.Sigmoid())
        def forward(self, x, eps):
            h = F.relu(self.enc(x))
            mu, logvar = self.mu(h), self.lv(h)
            z = mu + eps * torch.exp(0.5 * logvar)
            return self.dec(z), mu, logvar
    m = seed_params(torch, VAE())
    opt = optim.Adam(m.parameters(), lr=1e-2)
    x = torch.tensor(np.random.default_rng(0).random((4, 6)).astype(np.float32))
    eps = torch.tensor(X((4, 2), 3))
    out = []
    for _ in range(3):
        recon, mu, logvar = m(x, eps)
        bce = F.binary_cross_entropy(recon, x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = bce + kld
        opt.zero_grad(); loss.backward(); opt.step()
        out.append(loss.item())
    return out


@snippet
def hinge_gan_sn(torch, nn, F, optim):
    D = nn.Sequential(nn.utils.spectral_norm(nn.Linear(2, 4)), nn.ReLU(), nn.utils.spectral_norm(nn.Linear(4, 1)))
    sd = D.state_dict()
    rng = np.random.default_rng(0)
    new = {}
    for k in sd:
        v = rng.standard_normal(tuple(sd[k].shape)).astype(np.float32)
        if k.endswith(("_u", "_v")):
            v /= np.linalg.norm(v)
        new[k] = torch.tensor(v)
    D.load_state_dict(new)
    opt = optim.Adam(D.parameters(), lr=1e-3, betas=(0.0, 0.9))
    real = torch.tensor(X((4, 2)))
    fake = torch.tensor(X((4, 2), 2))
    out = []
    for _ in range(2):
        lossD = F.relu(1.0 - D(real)).mean() + F.relu(1.0 + D(fake)).mean()
        opt.zero_grad(); lossD.backward(); opt.step()
        out.append(lossD.item())
    return dict(out=out, keys=list(D.state_dict().keys()))


@snippet
def autoencoder_plateau(torch, nn, optim):
    m = seed_params(torch, nn.Sequential(nn.Linear(4, 2), nn.Tanh(), nn.Linear(2, 4)))
    opt = optim.Adam(m.parameters(), lr=0.05, weight_decay=1e-4)
    sch = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0)
    x = torch.tensor(X((6, 4)))
    best, best_state = float("inf"), None
    lrs = []
    for ep in range(4):
        loss = nn.functional.mse_loss(m(x), x)
        opt.zero_grad(); loss.backward(); opt.step()
        sch.step(loss.item())
        lrs.append(opt.param_groups[0]["lr"])
        if loss.item() < best:
            best = loss.item()
            best_state = {k: v.clone() if hasattr(v, "clone") else v.copy() for k, v in m.state_dict().items()}
    m.load_state_dict(best_state)
    return dict(lrs=lrs, best=best, w=m[0].weight)


@snippet
def conditional_gan_onehot(torch, nn, F, optim):
    G = seed_params(torch, nn.Sequential(nn.Linear(3 + 4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 2)))
    z = torch.tensor(X((5, 3)))
    y = torch.tensor([0, 1, 2, 3, 0])
    inp = torch.cat([z, F.one_hot(y, 4).float()], 1)
    out = G(inp)
    return out


@snippet
def conditional_gan_onehot_noncast(torch, nn, F, optim):
    G = seed_params(torch, nn.Sequential(nn.Linear(3 + 4, 8), nn.LeakyReLU(0.2), nn.Linear(8, 2)))
    z = torch.tensor(X((5, 3)))
    y = torch.tensor([0, 1, 2, 3, 0])
    oh = F.one_hot(y, num_classes=4)
    inp = torch.cat([z, oh.type_as(z)], 1)
    return dict(out=G(inp), d=oh.dtype, s=oh.sum(1))


if __name__ == "__main__":
    main(sys.argv[1:])
