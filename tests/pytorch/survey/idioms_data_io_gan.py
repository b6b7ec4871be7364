import os
import sys
import tempfile

import numpy as np
from idioms_harness import main, seed_params, snippet


def X(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@snippet
def tensordataset_loader(torch, data):
    xs = torch.tensor(X((10, 3)))
    ys = torch.arange(10)
    ds = data.TensorDataset(xs, ys)
    dl = data.DataLoader(ds, batch_size=4, shuffle=False)
    dl2 = data.DataLoader(ds, batch_size=4, drop_last=True)
    batches = [(xb.shape, yb) for xb, yb in dl]
    return dict(n=len(ds), item=ds[3], nb=len(dl), nb2=len(dl2), batches=batches,
                last=[yb.tolist() for _, yb in dl2], ydt=next(iter(dl))[1].dtype)


@snippet
def loader_shuffle_covers(torch, data):
    ds = data.TensorDataset(torch.arange(10.0))
    dl = data.DataLoader(ds, batch_size=3, shuffle=True)
    seen = sorted(v for (b,) in dl for v in b.tolist())
    first = next(iter(dl))
    return dict(seen=seen, t=type(first).__name__, l=len(first))


@snippet
def custom_dataset_collate(torch, data):
    class DS(data.Dataset):
        def __init__(self):
            self.x = np.arange(12, dtype=np.float32).reshape(6, 2)
        def __len__(self):
            return len(self.x)
        def __getitem__(self, i):
            return torch.from_numpy(self.x[i]), int(i % 2), {"id": i, "name": f"s{i}"}
    dl = data.DataLoader(DS(), batch_size=4)
    b = next(iter(dl))
    return dict(x=b[0], y=b[1], ydt=b[1].dtype, ids=b[2]["id"], names=b[2]["name"], n=len(list(dl)))


@snippet
def dataset_numpy_items(torch, data):
    class DS(data.Dataset):
        def __len__(self):
            return 4
        def __getitem__(self, i):
            return np.full((2,), i, dtype=np.float32), np.float64(i) / 2
    b = next(iter(data.DataLoader(DS(), batch_size=4)))
    return dict(x=b[0], y=b[1], tx=type(b[0]).__name__)


@snippet
def collate_fn_custom(torch, data):
    ds = [(torch.tensor([float(i)] * (i + 1)), i) for i in range(4)]
    def pad_collate(batch):
        xs, ys = zip(*batch)
        m = max(len(x) for x in xs)
        out = torch.zeros(len(xs), m)
        for j, x in enumerate(xs):
            out[j, : len(x)] = x
        return out, torch.tensor(ys)
    dl = data.DataLoader(ds, batch_size=2, collate_fn=pad_collate)
    return [b for b in dl]


@snippet
def random_split_lengths(torch, data):
    ds = data.TensorDataset(torch.arange(10.0))
    a, b = data.random_split(ds, [7, 3])
    c, d = data.random_split(ds, [0.8, 0.2])
    idx = sorted(a.indices + b.indices) if isinstance(a.indices, list) else sorted(list(a.indices) + list(b.indices))
    return dict(la=len(a), lb=len(b), lc=len(c), ld=len(d), idx=idx, t=type(a).__name__)


@snippet
def random_split_generator(torch, data):
    ds = data.TensorDataset(torch.arange(10.0))
    a, b = data.random_split(ds, [5, 5], generator=torch.Generator().manual_seed(42))
    return len(a)


@snippet
def subset_concat(torch, data):
    ds = data.TensorDataset(torch.arange(6.0))
    s = data.Subset(ds, [0, 2, 4])
    c = data.ConcatDataset([s, ds])
    return dict(ls=len(s), s1=s[1], lc=len(c), c4=c[4])


@snippet
def loader_iter_len_dataset_list(torch, data):
    dl = data.DataLoader(list(range(7)), batch_size=3)
    return [b for b in dl]


@snippet
def loader_dict_samples(torch, data):
    ds = [{"x": torch.ones(2) * i, "y": torch.tensor(i)} for i in range(4)]
    return [b for b in data.DataLoader(ds, batch_size=2)]


@snippet
def loader_sampler(torch, data):
    ds = data.TensorDataset(torch.arange(6.0))
    dl = data.DataLoader(ds, batch_size=2, sampler=data.SubsetRandomSampler([1, 3, 5]))
    return sorted(v for (b,) in dl for v in b.tolist())


@snippet
def save_load_state(torch, nn):
    m = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)))
    path = os.path.join(tempfile.mkdtemp(), "m.pt")
    torch.save(m.state_dict(), path)
    m2 = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3))
    m2.load_state_dict(torch.load(path))
    return [p for p in m2.state_dict().values()]


@snippet
def save_load_checkpoint_dict(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.Adam(m.parameters(), lr=0.01)
    m(torch.ones(1, 2)).sum().backward(); opt.step()
    path = os.path.join(tempfile.mkdtemp(), "ckpt.pth")
    torch.save({"epoch": 5, "model_state_dict": m.state_dict(), "optimizer_state_dict": opt.state_dict(),
                "loss": 0.25, "hist": [1.0, 0.5]}, path)
    ck = torch.load(path, map_location="cpu")
    m2 = nn.Linear(2, 1)
    m2.load_state_dict(ck["model_state_dict"])
    opt2 = optim.Adam(m2.parameters(), lr=0.01)
    opt2.load_state_dict(ck["optimizer_state_dict"])
    return dict(epoch=ck["epoch"], loss=ck["loss"], hist=ck["hist"], w=m2.weight, te=type(ck["epoch"]).__name__)


@snippet
def save_load_tensor(torch):
    path = os.path.join(tempfile.mkdtemp(), "t.pt")
    torch.save(torch.arange(6).reshape(2, 3), path)
    t = torch.load(path)
    torch.save([torch.ones(2), torch.zeros(1)], path)
    l = torch.load(path)
    return dict(t=t, l=l, tt=type(l).__name__)


@snippet
def save_whole_model(torch, nn):
    m = seed_params(torch, nn.Linear(2, 1))
    path = os.path.join(tempfile.mkdtemp(), "whole.pt")
    torch.save(m, path)
    m2 = torch.load(path, weights_only=False)
    return m2(torch.ones(1, 2))


def _dcgan(torch, nn):
    nz, ngf = 4, 4
    G = nn.Sequential(nn.ConvTranspose2d(nz, ngf * 2, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf * 2), nn.ReLU(True),
                      nn.ConvTranspose2d(ngf * 2, 1, 4, 2, 1, bias=False), nn.Tanh())
    D = nn.Sequential(nn.Conv2d(1, ngf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, inplace=True),
                      nn.Conv2d(ngf, 1, 4, 1, 0, bias=False), nn.Sigmoid())
    return seed_params(torch, G, 0, 0.1), seed_params(torch, D, 1, 0.1)


@snippet
def dcgan_loop(torch, nn, optim):
    G, D = _dcgan(torch, nn)
    crit = nn.BCELoss()
    oG = optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oD = optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    real = torch.tensor(np.tanh(X((3, 1, 8, 8))))
    noise = torch.tensor(X((3, 4, 1, 1), 5))
    logs = []
    for it in range(2):
        D.zero_grad()
        label = torch.full((3,), 0.9, dtype=torch.float)  # label smoothing
        out = D(real).view(-1)
        errD_real = crit(out, label)
        errD_real.backward()
        fake = G(noise)
        label.fill_(0.0)
        out = D(fake.detach()).view(-1)
        errD_fake = crit(out, label)
        errD_fake.backward()
        oD.step()
        G.zero_grad()
        label.fill_(1.0)
        out = D(fake).view(-1)
        errG = crit(out, label)
        errG.backward()
        D_G_z2 = out.mean().item()
        oG.step()
        logs.append([errD_real.item(), errD_fake.item(), errG.item(), D_G_z2])
    return dict(logs=logs, g=[p.detach().clone() for p in G.parameters()], bn=G[1].running_var)


@snippet
def wgan_gp_loop(torch, nn, optim):
    C = seed_params(torch, nn.Sequential(nn.Linear(2, 8), nn.LeakyReLU(0.2), nn.Linear(8, 1)))
    G = seed_params(torch, nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(8, 2)), 1)
    oC = optim.Adam(C.parameters(), lr=1e-4, betas=(0.0, 0.9))
    oG = optim.Adam(G.parameters(), lr=1e-4, betas=(0.0, 0.9))
    real = torch.tensor(X((4, 2)))
    z = torch.tensor(X((4, 3), 7))
    eps = torch.tensor(np.random.default_rng(3).random((4, 1)).astype(np.float32))
    logs = []
    for _ in range(2):
        for _ in range(2):
            fake = G(z).detach()
            xh = eps * real + (1 - eps) * fake
            xh.requires_grad_(True)
            d = C(xh)
            g = torch.autograd.grad(d, xh, torch.ones_like(d), create_graph=True)[0]
            gp = 10 * ((g.norm(2, dim=1) - 1) ** 2).mean()
            lossC = C(fake).mean() - C(real).mean() + gp
            oC.zero_grad(); lossC.backward(); oC.step()
        lossG = -C(G(z)).mean()
        oG.zero_grad(); lossG.backward(); oG.step()
        logs.append([lossC.item(), lossG.item(), gp.item()])
    return logs


@snippet
def wgan_clip_rmsprop(torch, nn, optim):
    C = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)))
    o = optim.RMSprop(C.parameters(), lr=5e-3)
    x = torch.tensor(X((4, 2)))
    for _ in range(3):
        o.zero_grad()
        l = -C(x).mean()
        l.backward()
        o.step()
        for p in C.parameters():
            p.data.clamp_(-0.01, 0.01)
    return [p.detach().clone() for p in C.parameters()]


@snippet
def cgan_embedding_concat(torch, nn):
    emb = nn.Embedding(3, 2)
    fc = nn.Linear(4, 1)
    seed_params(torch, emb); seed_params(torch, fc, 2)
    z = torch.tensor(X((3, 2)))
    y = torch.tensor([0, 2, 1])
    h = torch.cat((emb(y), z), -1)
    out = fc(h)
    out.mean().backward()
    return dict(out=out, g=emb.weight.grad)


@snippet
def fgsm(torch, nn, F):
    m = seed_params(torch, nn.Sequential(nn.Flatten(), nn.Linear(4, 3)))
    x = torch.tensor(np.random.default_rng(2).random((2, 1, 2, 2)).astype(np.float32))
    y = torch.tensor([1, 2])
    x.requires_grad = True
    loss = F.nll_loss(F.log_softmax(m(x), dim=1), y)
    m.zero_grad()
    loss.backward()
    data_grad = x.grad.data
    perturbed = x + 0.1 * data_grad.sign()
    perturbed = torch.clamp(perturbed, 0, 1)
    pred = m(perturbed).max(1, keepdim=True)[1]
    correct = pred.eq(y.view_as(pred)).sum().item()
    return dict(p=perturbed, pred=pred, correct=correct)


@snippet
def accuracy_eval_loop(torch, nn):
    m = seed_params(torch, nn.Linear(3, 4))
    xs = torch.tensor(X((8, 3)))
    ys = torch.tensor([0, 1, 2, 3, 0, 1, 2, 3])
    m.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for i in range(0, 8, 4):
            out = m(xs[i:i + 4])
            _, predicted = torch.max(out.data, 1)
            total += ys[i:i + 4].size(0)
            correct += (predicted == ys[i:i + 4]).sum().item()
    acc = 100 * correct / total
    pred = out.argmax(dim=1, keepdim=True)
    c2 = pred.eq(ys[4:].view_as(pred)).sum().item()
    return dict(acc=acc, c2=c2, t=type(correct).__name__)


@snippet
def running_loss_accum(torch, nn):
    m = seed_params(torch, nn.Linear(2, 1))
    crit = nn.MSELoss()
    running = 0.0
    losses = []
    for i in range(3):
        loss = crit(m(torch.ones(4, 2) * i), torch.zeros(4, 1))
        running += loss.item() * 4
        losses.append(loss.detach())
    return dict(r=running, stk=torch.stack(losses), m=torch.tensor(losses).mean())


@snippet
def make_grid_like(torch):
    imgs = torch.tensor(X((4, 1, 2, 2)))
    imgs = (imgs + 1) / 2
    grid = imgs.view(2, 2, 1, 2, 2).permute(2, 0, 3, 1, 4).reshape(1, 4, 4)
    npimg = grid.mul(255).add_(0.5).clamp_(0, 255).permute(1, 2, 0).to(torch.uint8).numpy()
    return dict(npimg=npimg, dt=npimg.dtype.name)


@snippet
def sn_discriminator_steps(torch, nn):
    D = nn.Sequential(nn.utils.spectral_norm(nn.Linear(3, 4)), nn.LeakyReLU(0.1), nn.utils.spectral_norm(nn.Linear(4, 1)))
    sd = {}
    rng = np.random.default_rng(0)
    tsd = D.state_dict()
    for k in tsd:
        v = rng.standard_normal(tuple(tsd[k].shape)).astype(np.float32)
        if k.endswith("_u") or k.endswith("_v"):
            v = v / np.linalg.norm(v)
        sd[k] = torch.tensor(v)
    D.load_state_dict(sd)
    x = torch.tensor(X((2, 3)))
    outs = [D(x) for _ in range(3)]
    D.eval()
    return dict(outs=outs, ev=D(x), w=D[0].weight)


@snippet
def torch_manual_seed_return(torch):
    g = torch.manual_seed(0)
    return type(g).__name__


@snippet
def generator_object(torch):
    g = torch.Generator()
    g.manual_seed(0)
    a = torch.randn(3, generator=g)
    return a.shape


@snippet
def no_grad_eval_generate(torch, nn):
    G = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.Tanh()))
    G.eval()
    with torch.no_grad():
        fake = G(torch.tensor(X((3, 2)))).detach().cpu()
    return dict(f=fake, n=fake.numpy().shape, r=fake.requires_grad)


if __name__ == "__main__":
    main(sys.argv[1:])
