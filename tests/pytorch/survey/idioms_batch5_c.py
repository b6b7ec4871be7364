"""idioms_batch5 (part 3 of 3; the first is idioms_batch5.py)."""

import copy
import os
import sys
import tempfile

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def load_state_dict_errors_and_copy(torch, nn):
    src = seed_params(torch, nn.Linear(3, 2))
    dst = nn.Linear(3, 2)
    r = dst.load_state_dict(src.state_dict())
    shape = _catch(lambda: nn.Linear(3, 2).load_state_dict({"weight": torch.zeros(2, 4), "bias": torch.zeros(2)}), RuntimeError)
    missing = _catch(lambda: nn.Linear(3, 2).load_state_dict({"weight": torch.zeros(2, 3)}), RuntimeError)
    extra = _catch(lambda: nn.Linear(3, 2).load_state_dict({**src.state_dict(), "scale": torch.ones(1)}), RuntimeError)
    with torch.no_grad():
        src.weight.add_(1.0)
    return dict(r_missing=list(r.missing_keys), r_unexp=list(r.unexpected_keys), shape=shape, missing=missing,
                extra=extra, indep=not torch.equal(src.weight, dst.weight), w=dst.weight)


@snippet
def load_state_dict_failed_strict_partial_copy(torch, nn):
    dst = seed_params(torch, nn.Linear(3, 2))
    err = _catch(lambda: dst.load_state_dict({"weight": torch.zeros(2, 3)}), RuntimeError)
    err2 = _catch(lambda: dst.load_state_dict({"weight": torch.ones(2, 4), "bias": torch.ones(2)}), RuntimeError)
    return dict(err=err, err2=err2, w=dst.weight, b=dst.bias)


@snippet
def moduledict_pop_update_in_forward(torch, nn):
    class Heads(nn.Module):
        def __init__(self):
            super().__init__()
            self.heads = nn.ModuleDict({"cls": nn.Linear(3, 2), "reg": nn.Linear(3, 1)})

        def forward(self, x):
            return {k: h(x) for k, h in self.heads.items()}

    m = seed_params(torch, Heads())
    out = m(torch.tensor(X((2, 3))))
    m.heads.update([("aux", nn.Linear(3, 4))])
    popped = m.heads.pop("reg")
    return dict(out=out, keys=list(m.heads.keys()), popped=type(popped).__name__, np=len(list(m.parameters())),
                sd=list(m.state_dict()), has="reg" in m.heads)


@snippet
def zero_grad_model_and_optimizer_none(torch, nn, optim):
    net = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(net.parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    a = [p.grad is None for p in net.parameters()]
    opt.zero_grad()
    b = [p.grad is None for p in net.parameters()]
    net(torch.ones(1, 2)).sum().backward()
    net.zero_grad()
    c = [p.grad is None for p in net.parameters()]
    net(torch.ones(1, 2)).sum().backward()
    opt.zero_grad(set_to_none=False)
    d = [p.grad for p in net.parameters()]
    return dict(a=a, b=b, c=c, d=d)


@snippet
def backward_create_graph_then_grad_of_grad(torch):
    x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    y = (x ** 3).sum()
    y.backward(create_graph=True)
    g = x.grad
    rg = g.requires_grad
    gsave = g.detach().clone()
    x.grad = None
    (g ** 2).sum().backward()
    return dict(g=gsave, rg=rg, gg=x.grad, gfn=g.grad_fn is not None)


@snippet
def max_pool_gradient_ties_overlapping(torch, F):
    x = torch.tensor([[[[1.0, 3.0, 3.0, 2.0], [3.0, 0.0, 1.0, 3.0], [2.0, 2.0, 2.0, 2.0], [0.0, 1.0, 2.0, 1.0]]]],
                     requires_grad=True)
    out = {}
    for name, kw in [("k2", dict(kernel_size=2)), ("k3s1", dict(kernel_size=3, stride=1)),
                     ("k2s1p1", dict(kernel_size=2, stride=1, padding=1)), ("ceil", dict(kernel_size=3, stride=2, ceil_mode=True))]:
        x.grad = None
        y = F.max_pool2d(x, **kw)
        y.sum().backward()
        out[name] = (y.detach(), x.grad.clone())
    return out


@snippet
def avg_and_adaptive_pool_gradients(torch, F):
    x = torch.tensor(X((1, 2, 5, 7)), requires_grad=True)
    w = {}
    for name, fn in [("avg_exc", lambda t: F.avg_pool2d(t, 3, stride=2, padding=1, count_include_pad=False)),
                     ("avg_ceil", lambda t: F.avg_pool2d(t, 2, ceil_mode=True)),
                     ("adapt", lambda t: F.adaptive_avg_pool2d(t, (3, 4))),
                     ("adapt_max", lambda t: F.adaptive_max_pool2d(t, (2, 3))),
                     ("unfold", lambda t: F.unfold(t, (2, 3), stride=(2, 1), padding=(1, 0)))]:
        x.grad = None
        y = fn(x)
        (y * torch.arange(float(y.numel())).reshape(y.shape) / y.numel()).sum().backward()
        w[name] = x.grad.clone()
    return w


@snippet
def norm_layer_gradients(torch, F):
    x = torch.tensor(X((3, 4, 2)), requires_grad=True)
    lw = torch.tensor(X((2,), 2), requires_grad=True)
    lb = torch.tensor(X((2,), 3), requires_grad=True)
    gw = torch.tensor(X((4,), 4), requires_grad=True)
    c = torch.tensor(U((3, 4, 2), 5))
    (F.layer_norm(x, (2,), lw, lb) * c).sum().backward()
    a = (x.grad.clone(), lw.grad, lb.grad)
    x.grad = None
    (F.group_norm(x, 2, gw) * c).sum().backward()
    return dict(a=a, gx=x.grad, gw=gw.grad)


@snippet
def interpolate_nearest_uint8_mask(torch, F):
    mask = torch.tensor([[[[0, 1], [2, 3]]]], dtype=torch.uint8)
    up = F.interpolate(mask, scale_factor=2, mode="nearest")
    lbl = torch.tensor([[0, 1], [1, 2]])
    big = F.interpolate(lbl[None, None].float(), size=(3, 3), mode="nearest").long()[0, 0]
    return dict(up=up, dt=up.dtype, big=big)


@snippet
def state_dict_keep_vars_and_prefix(torch, nn):
    m = seed_params(torch, nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)))
    kv = m.state_dict(keep_vars=True)
    return dict(keys=list(kv), same=kv["0.weight"] is m[0].weight, t=type(kv["0.weight"]).__name__,
                rg=kv["0.weight"].requires_grad, pref=list(m.state_dict(prefix="net."))[:2])


@snippet
def load_state_dict_keeps_parameter_objects(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.5)
    w_before = m.weight
    src = seed_params(torch, nn.Linear(2, 1), seed=9)
    m.load_state_dict(src.state_dict())
    same = w_before is m.weight
    m(torch.ones(3, 2)).sum().backward()
    opt.step()
    return dict(same=same, w=m.weight, src=src.weight, leaf=m.weight.is_leaf, rg=m.weight.requires_grad)


@snippet
def load_state_dict_converts_dtype(torch, nn):
    m = nn.Linear(2, 2).double()
    src = seed_params(torch, nn.Linear(2, 2))
    m.load_state_dict(src.state_dict())
    bn = nn.BatchNorm1d(2).double()
    bn.load_state_dict(nn.BatchNorm1d(2).state_dict())
    return dict(dt=m.weight.dtype, w=m.weight, y=m(torch.ones(1, 2, dtype=torch.float64)), rm=bn.running_mean.dtype,
                nbt=bn.num_batches_tracked.dtype)


@snippet
def optimizer_add_param_group_unfreeze(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    for p in net[0].parameters():
        p.requires_grad = False
    opt = optim.SGD(net[2].parameters(), lr=0.1, momentum=0.9)
    x = torch.tensor(X((4, 2)))
    for _ in range(2):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    for p in net[0].parameters():
        p.requires_grad = True
    opt.add_param_group({"params": net[0].parameters(), "lr": 0.01})
    for _ in range(2):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    return dict(ng=len(opt.param_groups), lrs=[g["lr"] for g in opt.param_groups], mom=opt.param_groups[1]["momentum"],
                ps=[p.detach().clone() for p in net.parameters()])


@snippet
def sequential_insert_pop_del_add(torch, nn):
    s = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    s.insert(1, nn.BatchNorm1d(2))
    popped = s.pop(2)
    del s[0]
    t = s + nn.Sequential(nn.Sigmoid())
    s.extend([nn.Tanh()])
    return dict(names=[type(m).__name__ for m in s], keys=[k for k, _ in s.named_children()], popped=type(popped).__name__,
                t=[type(m).__name__ for m in t], tk=[k for k, _ in t.named_children()], tt=type(t).__name__)


# ---------------------------------------------------------------- saving and resuming


def _tmp(name):
    return os.path.join(tempfile.mkdtemp(), name)


@snippet
def save_load_state_dict_model_outputs(torch, nn):
    def make():
        return nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 2))

    net = seed_params(torch, make())
    x = torch.tensor(X((4, 1, 2, 2)))
    net(x)
    path = _tmp("model.pth")
    torch.save(net.state_dict(), path)
    other = make()
    r = other.load_state_dict(torch.load(path))
    net.eval()
    other.eval()
    return dict(eq=torch.equal(net(x), other(x)), out=other(x), rm=other[1].running_mean, nbt=other[1].num_batches_tracked,
                missing=list(r.missing_keys), exists=os.path.exists(path))


def _resume_run(torch, nn, optim, opt_name, split):
    def make():
        return seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)), seed=4)

    def make_opt(m):
        if opt_name == "adam":
            return optim.Adam(m.parameters(), lr=0.05, betas=(0.8, 0.9), weight_decay=0.01)
        return optim.SGD(m.parameters(), lr=0.1, momentum=0.9, nesterov=True)

    xs = [torch.tensor(X((5, 3), 30 + i)) for i in range(6)]
    m = make()
    opt = make_opt(m)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    losses = []
    for i, x in enumerate(xs):
        if split and i == 3:
            path = _tmp("ckpt.pt")
            torch.save({"model": m.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "step": i}, path)
            ck = torch.load(path)
            m = make()
            with torch.no_grad():
                for p in m.parameters():
                    p.mul_(0)
            m.load_state_dict(ck["model"])
            opt = make_opt(m)
            opt.load_state_dict(ck["opt"])
            sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
            sched.load_state_dict(ck["sched"])
        opt.zero_grad()
        loss = (m(x) ** 2).mean()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses, [p.detach().clone() for p in m.parameters()], opt.param_groups[0]["lr"]


@snippet
def resume_training_adam_equals_continuous(torch, nn, optim):
    a = _resume_run(torch, nn, optim, "adam", False)
    b = _resume_run(torch, nn, optim, "adam", True)
    return dict(cont=a, resumed=b, same=all(torch.allclose(p, q) for p, q in zip(a[1], b[1])))


@snippet
def resume_training_sgd_nesterov_equals_continuous(torch, nn, optim):
    a = _resume_run(torch, nn, optim, "sgd", False)
    b = _resume_run(torch, nn, optim, "sgd", True)
    return dict(cont=a, resumed=b, same=all(torch.allclose(p, q) for p, q in zip(a[1], b[1])))


@snippet
def save_load_python_values(torch):
    path = _tmp("meta.pt")
    obj = {"epoch": 3, "best": 0.125, "name": "run-1", "flags": {"ema": True, "amp": False}, "hist": [0.5, 0.25],
           "none": None, "ints": [1, 2, 3], "nested": [{"a": 1}, {"b": [2.5]}]}
    torch.save(obj, path)
    back = torch.load(path)
    return dict(back=back, types={k: type(v).__name__ for k, v in back.items()}, eq=back == obj)


@snippet
def save_load_tuple_and_tensor_flags(torch):
    path = _tmp("t.pt")
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.save({"pair": (1, 2), "w": w, "i": torch.arange(3, dtype=torch.int32)}, path)
    back = torch.load(path)
    return dict(pair=back["pair"], pt=type(back["pair"]).__name__, w=back["w"], rg=back["w"].requires_grad,
                i=back["i"], leaf=back["w"].is_leaf)


@snippet
def save_load_gan_checkpoint_two_models(torch, nn, optim):
    G = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3)), seed=1)
    D = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1)), seed=2)
    oG = optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oD = optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    z = torch.tensor(X((4, 2)))
    D(G(z)).mean().backward()
    oG.step()
    oD.step()
    path = _tmp("gan.pth")
    torch.save({"G": G.state_dict(), "D": D.state_dict(), "oG": oG.state_dict(), "oD": oD.state_dict(), "epoch": 1}, path)
    ck = torch.load(path, map_location="cpu")
    G2 = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3))
    D2 = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1))
    G2.load_state_dict(ck["G"])
    D2.load_state_dict(ck["D"])
    oG2 = optim.Adam(G2.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oG2.load_state_dict(ck["oG"])
    return dict(out=D2(G2(z)), eq=torch.equal(G2(z), G(z)), lr=oG2.param_groups[0]["lr"], betas=oG2.param_groups[0]["betas"],
                keys=sorted(ck), epoch=ck["epoch"], nstate=len(oG2.state_dict()["state"]))


@snippet
def save_to_bytesio_buffer(torch, nn):
    import io
    net = seed_params(torch, nn.Linear(2, 2))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    other = nn.Linear(2, 2)
    other.load_state_dict(torch.load(buf))
    return other(torch.ones(1, 2))


@snippet
def save_load_pathlib_path(torch, nn):
    import pathlib
    net = seed_params(torch, nn.Linear(2, 2))
    path = pathlib.Path(tempfile.mkdtemp()) / "w.pt"
    torch.save(net.state_dict(), path)
    other = nn.Linear(2, 2)
    other.load_state_dict(torch.load(path))
    return dict(y=other(torch.ones(1, 2)), exists=path.exists())


@snippet
def best_model_deepcopy_state_restore(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)), seed=6)
    opt = optim.SGD(net.parameters(), lr=0.3)
    x = torch.tensor(X((8, 2)))
    y = torch.tensor(X((8, 1), 2))
    best, best_state, log = float("inf"), None, []
    for ep in range(6):
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        with torch.no_grad():
            val = ((net(x) - y) ** 2).mean().item()
        log.append(val)
        if val < best:
            best, best_state = val, copy.deepcopy(net.state_dict())
    net.load_state_dict(best_state)
    with torch.no_grad():
        final = ((net(x) - y) ** 2).mean().item()
    return dict(log=log, best=best, final=final)


# ---------------------------------------------------------------- small models end to end


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
