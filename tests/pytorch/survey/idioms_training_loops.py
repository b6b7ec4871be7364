"""The survey's programs on training loops end to end, with their data (tests/pytorch/survey/idioms_harness.py runs
them; ``python idioms_training_loops.py [name ...]`` prints their comparison)."""

import sys

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet


@snippet
def transfer_learning_phases(torch, nn, optim, data):
    model = seed_params(torch, nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)))
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.1)
    sets = {"train": data.TensorDataset(torch.tensor(X((6, 4))), torch.tensor([0, 1, 2, 0, 1, 2])),
            "val": data.TensorDataset(torch.tensor(X((4, 4), 2)), torch.tensor([2, 1, 0, 0]))}
    dataloaders = {x: data.DataLoader(sets[x], batch_size=4) for x in ["train", "val"]}
    dataset_sizes = {x: len(sets[x]) for x in ["train", "val"]}
    hist = []
    for epoch in range(2):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_loss = 0.0
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_loss += loss.item() * inputs.size(0)
                running_corrects += torch.sum(preds == labels.data)
            if phase == "train":
                scheduler.step()
            epoch_loss = running_loss / dataset_sizes[phase]
            epoch_acc = running_corrects.double() / dataset_sizes[phase]
            hist.append((phase, epoch_loss, epoch_acc, loss.requires_grad))
    return hist


@snippet
def mixup_cutmix_batch(torch, nn):
    model = seed_params(torch, nn.Sequential(nn.Flatten(), nn.Linear(16, 3)))
    crit = nn.CrossEntropyLoss()
    x = torch.tensor(X((4, 1, 4, 4)))
    y = torch.tensor([0, 1, 2, 1])
    lam = 0.7
    index = torch.tensor([2, 0, 3, 1])
    mixed_x = lam * x + (1 - lam) * x[index, :]
    y_a, y_b = y, y[index]
    out = model(mixed_x)
    loss = lam * crit(out, y_a) + (1 - lam) * crit(out, y_b)
    xc = x.clone()
    bbx1, bby1, bbx2, bby2 = 1, 0, 3, 2
    xc[:, :, bbx1:bbx2, bby1:bby2] = xc[index, :, bbx1:bbx2, bby1:bby2]
    lam2 = 1 - ((bbx2 - bbx1) * (bby2 - bby1) / (xc.size()[-1] * xc.size()[-2]))
    loss.backward()
    return dict(loss=loss, xc=xc, lam2=lam2, g=model[1].weight.grad)


@snippet
def dataloader_drop_last_types(torch, data):
    ds = data.TensorDataset(torch.tensor(X((10, 2))), torch.arange(10))
    dl = data.DataLoader(ds, batch_size=3, drop_last=True)
    dl2 = data.DataLoader(ds, batch_size=3)
    first = next(iter(dl2))
    seen = []
    for i, (xb, yb) in enumerate(dl2, 1):
        seen.append((i, tuple(xb.shape), yb.tolist()))
    return dict(shapes=[tuple(xb.shape) for xb, _ in dl], n=len(dl), n2=len(dl2), ft=type(first).__name__,
                it=type(ds[0]).__name__, seen=seen, tl=len(ds.tensors), s=ds.tensors[0].shape)


@snippet
def padding_collate_fn(torch, data):
    class Seqs(data.Dataset):
        def __init__(self):
            self.items = [[1, 2, 3], [4], [5, 6], [7, 8, 9, 10]]
            self.labels = [0, 1, 1, 0]

        def __len__(self):
            return len(self.items)

        def __getitem__(self, i):
            return torch.tensor(self.items[i]), self.labels[i]

    def collate(batch):
        seqs, labels = zip(*batch)
        lengths = torch.tensor([len(s) for s in seqs])
        padded = torch.zeros(len(seqs), max(lengths).item(), dtype=torch.long)
        for i, s in enumerate(seqs):
            padded[i, :len(s)] = s
        return padded, lengths, torch.tensor(labels)

    out = [b for b in data.DataLoader(Seqs(), batch_size=2, collate_fn=collate)]
    det = next(iter(data.DataLoader(Seqs(), batch_size=3, collate_fn=lambda b: tuple(zip(*b)))))
    return dict(out=out, det=(type(det).__name__, len(det), [t.shape for t in det[0]], det[1]))


@snippet
def samplers_and_batch_sampler(torch, data):
    ds = data.TensorDataset(torch.arange(10) * 10)
    srs = data.SubsetRandomSampler([1, 3, 5, 7])
    seen = sorted(int(v) for (b,) in data.DataLoader(ds, batch_size=2, sampler=srs) for v in b)
    bs = data.DataLoader(ds, batch_sampler=[[0, 1], [2, 3, 4], [9]])
    seq = list(data.SequentialSampler(ds))[:4]
    cat = data.ConcatDataset([ds, data.TensorDataset(torch.arange(3))])
    return dict(n=len(srs), seen=seen, bs=[b[0].tolist() for b in bs], nbs=len(bs), seq=seq, cl=len(cat),
                c=cat[11], cs=cat.cumulative_sizes)


@snippet
def ema_params_and_buffers(torch, nn):
    import copy
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 1)))
    ema = copy.deepcopy(model)
    ema.eval()
    for p in ema.parameters():
        p.requires_grad_(False)
    model(torch.tensor(X((6, 3))))
    with torch.no_grad():
        for ema_p, p in zip(ema.parameters(), model.parameters()):
            ema_p.mul_(0.99).add_(p.detach(), alpha=0.01)
        for ema_b, b in zip(ema.buffers(), model.buffers()):
            ema_b.copy_(b)
    return dict(rm=ema[1].running_mean, nbt=ema[1].num_batches_tracked, w=ema[0].weight,
                nb=[n for n, _ in ema.named_buffers()])


@snippet
def style_transfer_gram(torch, nn, F, optim):
    def gram_matrix(input):
        a, b, c, d = input.size()
        features = input.view(a * b, c * d)
        G = torch.mm(features, features.t())
        return G.div(a * b * c * d)

    class ContentLoss(nn.Module):
        def __init__(self, target):
            super().__init__()
            self.target = target.detach()

        def forward(self, input):
            self.loss = F.mse_loss(input, self.target)
            return input

    class StyleLoss(nn.Module):
        def __init__(self, target_feature):
            super().__init__()
            self.target = gram_matrix(target_feature).detach()

        def forward(self, input):
            G = gram_matrix(input)
            self.loss = F.mse_loss(G, self.target)
            return input

    class Normalization(nn.Module):
        def __init__(self, mean, std):
            super().__init__()
            self.mean = torch.tensor(mean).view(-1, 1, 1)
            self.std = torch.tensor(std).view(-1, 1, 1)

        def forward(self, img):
            return (img - self.mean) / self.std

    cnn = seed_params(torch, nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(inplace=True),
                                           nn.Conv2d(4, 4, 3, padding=1), nn.ReLU(inplace=True)))
    style_img = torch.tensor(U((1, 3, 5, 5)))
    content_img = torch.tensor(U((1, 3, 5, 5), 2))
    model = nn.Sequential(Normalization([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]))
    content_losses, style_losses = [], []
    i = 0
    for layer in cnn.children():
        if isinstance(layer, nn.Conv2d):
            i += 1
            name = f"conv_{i}"
        elif isinstance(layer, nn.ReLU):
            name = f"relu_{i}"
            layer = nn.ReLU(inplace=False)
        model.add_module(name, layer)
        if name == "conv_2":
            target = model(content_img).detach()
            content_loss = ContentLoss(target)
            model.add_module(f"content_loss_{i}", content_loss)
            content_losses.append(content_loss)
        if name in ("conv_1", "conv_2"):
            target_feature = model(style_img).detach()
            style_loss = StyleLoss(target_feature)
            model.add_module(f"style_loss_{i}", style_loss)
            style_losses.append(style_loss)
    input_img = content_img.clone()
    input_img.requires_grad_(True)
    model.eval()
    model.requires_grad_(False)
    optimizer = optim.Adam([input_img], lr=0.05)
    scores = []
    for step in range(3):
        with torch.no_grad():
            input_img.clamp_(0, 1)
        optimizer.zero_grad()
        model(input_img)
        style_score = sum(sl.loss for sl in style_losses)
        content_score = 0
        for cl in content_losses:
            content_score += cl.loss
        loss = style_score * 1e4 + content_score
        loss.backward()
        optimizer.step()
        scores.append((style_score.item(), content_score.item()))
    with torch.no_grad():
        input_img.clamp_(0, 1)
    return dict(scores=scores, img=input_img, names=[n for n, _ in model.named_children()])


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


@snippet
def autoencoder_adam_steps(torch, nn, optim):
    class AE(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            self.decoder = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 8), nn.Sigmoid())

        def forward(self, x):
            z = self.encoder(x)
            return self.decoder(z), z

    model = seed_params(torch, AE(), seed=2)
    opt = optim.Adam(model.parameters(), lr=1e-2)
    crit = nn.MSELoss()
    x = torch.tensor(U((16, 8), 5))
    losses = []
    for _ in range(5):
        recon, z = model(x)
        loss = crit(recon, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        recon, z = model(x[:2])
    return dict(losses=losses, recon=recon, z=z)


@snippet
def conditional_gan_label_embedding_step(torch, nn, optim):
    n_classes, nz = 3, 4

    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_emb = nn.Embedding(n_classes, n_classes)
            self.net = nn.Sequential(nn.Linear(nz + n_classes, 8, bias=False), nn.BatchNorm1d(8), nn.LeakyReLU(0.2), nn.Linear(8, 5), nn.Tanh())

        def forward(self, z, labels):
            return self.net(torch.cat((self.label_emb(labels), z), -1))

    class D(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_embedding = nn.Embedding(n_classes, n_classes)
            self.net = nn.Sequential(nn.Linear(5 + n_classes, 8), nn.LeakyReLU(0.2), nn.Dropout(0.0), nn.Linear(8, 1))

        def forward(self, img, labels):
            return self.net(torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1))

    g, d = seed_params(torch, G(), 1), seed_params(torch, D(), 2)
    oG = optim.Adam(g.parameters(), lr=2e-3, betas=(0.5, 0.999))
    oD = optim.Adam(d.parameters(), lr=2e-3, betas=(0.5, 0.999))
    loss_fn = nn.MSELoss()
    real_imgs = torch.tensor(X((6, 5), 3))
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    valid = torch.ones(6, 1)
    fake = torch.zeros(6, 1)
    log = []
    for it in range(3):
        oG.zero_grad()
        z = torch.tensor(X((6, nz), 10 + it))
        gen_labels = torch.tensor(np.random.default_rng(it).integers(0, n_classes, 6))
        gen_imgs = g(z, gen_labels)
        g_loss = loss_fn(d(gen_imgs, gen_labels), valid)
        g_loss.backward()
        oG.step()
        oD.zero_grad()
        d_loss = (loss_fn(d(real_imgs, labels), valid) + loss_fn(d(gen_imgs.detach(), gen_labels), fake)) / 2
        d_loss.backward()
        oD.step()
        log.append((g_loss.item(), d_loss.item()))
    g.eval()
    with torch.no_grad():
        sample = g(torch.tensor(X((3, nz), 99)), torch.arange(3))
    return dict(log=log, sample=sample, emb=g.label_emb.weight)


@snippet
def wgan_gp_critic_step(torch, nn, optim):
    critic = seed_params(torch, nn.Sequential(nn.Conv2d(1, 4, 3, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(16, 1)), 3)
    gen = seed_params(torch, nn.Sequential(nn.Linear(3, 16), nn.Tanh()), 4)
    opt_c = optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))
    real = torch.tensor(X((4, 1, 4, 4), 5))
    log = []
    for it in range(2):
        z = torch.tensor(X((4, 3), 20 + it))
        fake = gen(z).view(-1, 1, 4, 4)
        eps = torch.tensor(U((4, 1, 1, 1), 40 + it))
        x_hat = eps * real + (1 - eps) * fake.detach()
        x_hat.requires_grad_(True)
        pred = critic(x_hat)
        grad = torch.autograd.grad(pred, x_hat, torch.ones_like(pred), create_graph=True)[0]
        gp = ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
        loss = critic(fake.detach()).mean() - critic(real).mean() + 10 * gp
        opt_c.zero_grad()
        loss.backward()
        opt_c.step()
        log.append((loss.item(), gp.item()))
    return dict(log=log, w=critic[0].weight, gen_grad=[p.grad is None for p in gen.parameters()])


@snippet
def conv1d_sequence_classifier(torch, nn, optim, F):
    class TCN(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 4)
            self.conv1 = nn.Conv1d(4, 6, 3, padding=1)
            self.conv2 = nn.Conv1d(6, 6, 3, padding=2, dilation=2)
            self.fc = nn.Linear(6, 2)

        def forward(self, tokens):
            h = self.emb(tokens).transpose(1, 2)
            h = F.relu(self.conv1(h))
            h = F.relu(self.conv2(h)) + h
            return self.fc(F.adaptive_max_pool1d(h, 1).squeeze(-1))

    model = seed_params(torch, TCN(), 7)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    tokens = torch.tensor(np.random.default_rng(0).integers(0, 10, (6, 7)))
    y = torch.tensor([0, 1, 1, 0, 1, 0])
    log = []
    for _ in range(4):
        opt.zero_grad()
        out = model(tokens)
        loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        log.append((loss.item(), (out.argmax(1) == y).float().mean().item()))
    return dict(log=log, out=model(tokens[:2]))


@snippet
def residual_block_bn_train_eval(torch, nn, optim, F):
    class ResBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.shortcut = nn.Sequential()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            out += self.shortcut(x)
            return F.relu(out)

    net = nn.Sequential(ResBlock(2, 4, 2), ResBlock(4, 4, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3))
    seed_params(torch, net, 8)
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    x = torch.tensor(X((4, 2, 6, 6), 9))
    y = torch.tensor([0, 2, 1, 2])
    log = []
    for _ in range(3):
        net.train()
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        net.eval()
        with torch.no_grad():
            log.append((loss.item(), net(x).argmax(1).tolist()))
    return dict(log=log, rm=net[0].bn1.running_mean, rv=net[0].shortcut[1].running_var,
                nbt=net[1].bn2.num_batches_tracked, short=len(net[1].shortcut))


@snippet
def dropout_zero_train_eval_toggle(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 5), nn.Dropout(p=0.0), nn.ReLU(), nn.Identity(), nn.Linear(5, 2)))
    x = torch.tensor(X((4, 3)))
    a = net(x)
    net.eval()
    b = net(x)
    net.train()
    c = net(x)
    return dict(a=a, eq1=torch.equal(a, b), eq2=torch.equal(b, c), modes=[m.training for m in net.modules()])


@snippet
def loader_driven_training_epochs(torch, nn, optim, data, F):
    xs = torch.tensor(X((10, 2), 11))
    ys = (xs[:, 0] > xs[:, 1]).long()
    ds = data.TensorDataset(xs, ys)
    train, val = data.Subset(ds, list(range(7))), data.Subset(ds, list(range(7, 10)))
    tl = data.DataLoader(train, batch_size=3, shuffle=False)
    vl = data.DataLoader(val, batch_size=2)
    model = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2)), 12)
    opt = optim.Adam(model.parameters(), lr=0.05)
    hist = []
    for epoch in range(3):
        model.train()
        running, n = 0.0, 0
        for xb, yb in tl:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            running += loss.item() * xb.size(0)
            n += xb.size(0)
        model.eval()
        correct = 0
        with torch.no_grad():
            for xb, yb in vl:
                correct += (model(xb).argmax(dim=1) == yb).sum().item()
        hist.append((running / n, correct / len(val)))
    return dict(hist=hist, nb=len(tl), nv=len(vl))


@snippet
def vae_reparam_numpy_eps(torch, nn, optim, F):
    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(6, 8)
            self.mu = nn.Linear(8, 2)
            self.logvar = nn.Linear(8, 2)
            self.dec = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 6))

        def forward(self, x, eps):
            h = F.relu(self.enc(x))
            mu, logvar = self.mu(h), self.logvar(h)
            z = mu + eps * torch.exp(0.5 * logvar)
            return self.dec(z), mu, logvar

    vae = seed_params(torch, VAE(), 13)
    opt = optim.Adam(vae.parameters(), lr=1e-2)
    x = torch.tensor(U((5, 6), 14))
    log = []
    for it in range(3):
        eps = torch.tensor(X((5, 2), 50 + it))
        logits, mu, logvar = vae(x, eps)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = (rec + kld) / x.size(0)
        opt.zero_grad()
        loss.backward()
        opt.step()
        log.append((rec.item(), kld.item()))
    return dict(log=log, mu=mu.detach())


@snippet
def unet_like_interpolate_concat(torch, nn, F):
    class TinyUNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.down = nn.Conv2d(1, 2, 3, stride=2, padding=1)
            self.mid = nn.Conv2d(2, 2, 3, padding=1)
            self.up = nn.ConvTranspose2d(2, 2, 2, stride=2)
            self.out = nn.Conv2d(3, 1, 1)

        def forward(self, x):
            d = F.relu(self.down(x))
            m = F.relu(self.mid(d))
            u = self.up(m)
            if u.shape[-2:] != x.shape[-2:]:
                u = F.interpolate(u, size=x.shape[-2:], mode="bilinear", align_corners=False)
            return self.out(torch.cat([u[:, :2], x], dim=1))

    net = seed_params(torch, TinyUNet(), 15)
    x = torch.tensor(X((2, 1, 5, 7), 16), requires_grad=True)
    y = net(x)
    y.mean().backward()
    return dict(y=y, gx=x.grad, gw=net.down.weight.grad)


@snippet
def grad_accumulation_with_loader(torch, nn, optim, data):
    ds = data.TensorDataset(torch.tensor(X((8, 3), 17)), torch.tensor(X((8, 1), 18)))
    model = seed_params(torch, nn.Linear(3, 1), 19)
    opt = optim.SGD(model.parameters(), lr=0.1)
    accum = 2
    opt.zero_grad()
    steps = []
    for i, (xb, yb) in enumerate(data.DataLoader(ds, batch_size=2)):
        loss = nn.functional.mse_loss(model(xb), yb) / accum
        loss.backward()
        if (i + 1) % accum == 0:
            opt.step()
            opt.zero_grad()
            steps.append(model.weight.detach().clone())
    return dict(steps=steps, g=model.weight.grad)


if __name__ == "__main__":
    main(sys.argv[1:])
