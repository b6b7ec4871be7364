"""idioms_batch3 (part 3 of 3; the first is idioms_batch3.py)."""

import sys

from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch


@snippet
def module_requires_grad_freeze_filter(torch, nn, optim):
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    r = model.requires_grad_(False)
    model[2].requires_grad_(True)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    total = sum(p.numel() for p in model.parameters())
    opt = optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
    loss = model(torch.tensor(X((5, 3)))).pow(2).mean()
    loss.backward()
    opt.step()
    return dict(r=type(r).__name__, t=trainable, n=total, ng=[p.grad is None for p in model.parameters()],
                w=model[2].weight, npg=len(opt.param_groups[0]["params"]))


@snippet
def plain_list_not_registered(torch, nn):
    class Bad(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]
            self.head = nn.Linear(2, 1)

    class Good(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2)])
            self.scales = nn.ParameterList([nn.Parameter(torch.ones(2)) for _ in range(2)])
            self.head = nn.Linear(2, 1)

    b, g = Bad(), Good()
    return dict(nb=len(list(b.parameters())), ng=len(list(g.parameters())), kb=list(b.state_dict().keys()),
                kg=list(g.state_dict().keys()), mods=[n for n, _ in g.named_modules()])


@snippet
def module_and_optimizer_errors(torch, nn, optim):
    lin = nn.Linear(4, 2)
    out = dict(
        fwd=_catch(lambda: nn.Module()(torch.ones(1)), NotImplementedError),
        attr=_catch(lambda: lin.nonexistent, AttributeError),
        shape=_catch(lambda: lin(torch.ones(3, 5)), RuntimeError),
        conv=_catch(lambda: nn.Conv2d(3, 4, 3)(torch.ones(1, 2, 5, 5)), RuntimeError),
        empty=_catch(lambda: optim.SGD([], lr=0.1), ValueError),
        nonleaf=_catch(lambda: optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1), ValueError),
        module=_catch(lambda: optim.SGD(lin, lr=0.1), TypeError),
        dup=_catch(lambda: optim.SGD([{"params": lin.parameters()}, {"params": [lin.weight]}], lr=0.1), ValueError),
        drop=_catch(lambda: nn.Dropout(1.5), ValueError),
        dotname=_catch(lambda: lin.add_module("a.b", nn.ReLU()), KeyError),
        sizemm=_catch(lambda: lin.load_state_dict({"weight": torch.zeros(3, 4), "bias": torch.zeros(2)}), RuntimeError),
        bn1=_catch(lambda: nn.BatchNorm1d(3)(torch.ones(1, 3)), ValueError),
    )
    return out


@snippet
def lookup_errors_embedding_ce(torch, nn, F):
    return dict(emb=_catch(lambda: nn.Embedding(5, 2)(torch.tensor([5])), IndexError),
                embf=_catch(lambda: nn.Embedding(5, 2)(torch.tensor([1.0])), RuntimeError),
                ce=_catch(lambda: nn.CrossEntropyLoss()(torch.ones(2, 3), torch.tensor([0, 3])), IndexError),
                nll=_catch(lambda: F.nll_loss(torch.ones(2, 3), torch.tensor([0, 3])), IndexError),
                lin=_catch(lambda: nn.Linear(2, 1)(torch.tensor([[1, 2]])), RuntimeError),
                bce=_catch(lambda: F.binary_cross_entropy_with_logits(torch.ones(2), torch.tensor([1, 0])), RuntimeError),
                ragged=_catch(lambda: torch.tensor([[1, 2], [3]]), ValueError))


@snippet
def embedding_padding_and_pretrained(torch, nn):
    emb = seed_params(torch, nn.Embedding(5, 3, padding_idx=0))
    idx = torch.tensor([[0, 2, 4], [1, 0, 0]])
    out = emb(idx)
    (out * torch.arange(3.0)).sum().backward()
    w = torch.tensor(X((4, 2)))
    pre = nn.Embedding.from_pretrained(w)
    pre2 = nn.Embedding.from_pretrained(w, freeze=False, padding_idx=1)
    return dict(out=out, g=emb.weight.grad, pr=pre.weight.requires_grad, pr2=pre2.weight.requires_grad,
                v=pre(torch.tensor([3, 1])), pi=pre2.padding_idx, n=pre.num_embeddings, d=pre.embedding_dim)


@snippet
def batchnorm_variants_modes(torch, nn):
    bn = seed_params(torch, nn.BatchNorm1d(3))
    x = torch.tensor(X((4, 3, 5)))
    y_train = bn(x)
    bn2 = nn.BatchNorm1d(3, momentum=None)
    for s in range(3):
        bn2(torch.tensor(X((4, 3), s)))
    rm_before = bn.running_mean.clone()
    bn.eval()
    y_eval = bn(x)
    ln = nn.LayerNorm([3, 5], elementwise_affine=False)
    ln2 = nn.LayerNorm(5, bias=False)
    return dict(yt=y_train, rm=rm_before, rv2=bn2.running_var, nbt2=bn2.num_batches_tracked, ye=y_eval,
                rma=bn.running_mean, ln=ln(x), lnp=len(list(ln.parameters())), ln2=[n for n, _ in ln2.named_parameters()])


@snippet
def reset_running_stats(torch, nn):
    bn = nn.BatchNorm1d(3)
    bn(torch.tensor(X((4, 3))))
    bn.reset_running_stats()
    return dict(rm=bn.running_mean, rv=bn.running_var, nbt=bn.num_batches_tracked)


@snippet
def reset_parameters_hasattr_loop(torch, nn):
    lin = nn.Linear(3, 2)
    conv = nn.Conv2d(1, 2, 3)
    with torch.no_grad():
        lin.weight.fill_(5.0)
        conv.weight.fill_(5.0)
    model = nn.Sequential(lin, nn.ReLU(), conv)
    reset = []
    for layer in model.children():
        if hasattr(layer, "reset_parameters"):
            layer.reset_parameters()
            reset.append(type(layer).__name__)
    return dict(reset=reset, changed=[not bool((lin.weight == 5).all()), not bool((conv.weight == 5).all())])


@snippet
def dropout_edge_probabilities(torch, nn, F):
    x = torch.tensor(X((3, 4)))
    d0 = nn.Dropout(p=0.0)
    d0.train()
    return dict(zero=d0(x), f0=F.dropout(x, p=0.0, training=True), ev=F.dropout(x, 0.5, training=False),
                d2=nn.Dropout2d(0.0)(x.view(1, 3, 2, 2)), a=F.dropout1d(x.view(1, 3, 4), 0.0),
                bad=_catch(lambda: nn.Dropout(1.5), ValueError), neg=_catch(lambda: F.dropout(x, -0.1), ValueError))


@snippet
def dropout_p_one(torch, nn, F):
    x = torch.tensor(X((3, 4)))
    d1 = nn.Dropout(p=1.0)
    d1.train()
    return dict(one=d1(x), fn=F.dropout(x, p=1.0), d2=nn.Dropout2d(1.0)(x.view(1, 3, 2, 2)))


@snippet
def unbatched_inputs(torch, nn, F):
    lin = seed_params(torch, nn.Linear(3, 2))
    conv = seed_params(torch, nn.Conv2d(2, 3, 3, padding=1), 1)
    x = torch.tensor(X((2, 4, 4)))
    c = conv(x)
    mp = nn.MaxPool2d(2)(x)
    ce = F.cross_entropy(torch.tensor([0.1, 2.0, -1.0]), torch.tensor(1))
    up = F.interpolate(x[None], scale_factor=2).shape
    return dict(l=lin(torch.ones(3)), c=c, mp=mp, ce=ce, up=up, c1=nn.Conv1d(2, 1, 2)(torch.ones(2, 5)).shape)


@snippet
def accumulate_predictions_empty_cat(torch, nn, data):
    model = seed_params(torch, nn.Linear(3, 2))
    loader = data.DataLoader(data.TensorDataset(torch.tensor(X((5, 3))), torch.tensor([0, 1, 1, 0, 1])), batch_size=2)
    all_preds = torch.tensor([])
    all_labels = torch.tensor([], dtype=torch.long)
    model.eval()
    with torch.no_grad():
        for xb, yb in loader:
            all_preds = torch.cat((all_preds, model(xb)), dim=0)
            all_labels = torch.cat((all_labels, yb), dim=0)
    return dict(p=all_preds, l=all_labels, acc=(all_preds.argmax(1) == all_labels).float().mean())


@snippet
def legacy_empty_constructors(torch):
    a = torch.Tensor()
    b = torch.FloatTensor()
    c = torch.LongTensor()
    return dict(a=a, b=b, c=c, d=torch.Tensor([]), e=torch.LongTensor([]))


@snippet
def tensor_contains_membership(torch):
    labels = torch.tensor([[0, 1], [2, 3]])
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    return dict(a=3 in labels, b=7 in labels, c=2.0 in x, d=torch.tensor([4.0]) in x, e=5 in torch.tensor([1, 5]))


@snippet
def regression_loss_int_targets(torch, F):
    pred = torch.tensor([0.5, 1.5, 2.0], requires_grad=True)
    target = torch.tensor([1, 0, 2])
    loss = F.mse_loss(pred, target) + F.l1_loss(pred, target) + F.smooth_l1_loss(pred, target)
    loss.backward()
    return dict(loss=loss, g=pred.grad)


@snippet
def requires_grad_attr_errors(torch):
    w = torch.ones(2, requires_grad=True)
    y = w * 2

    def set_nonleaf():
        y.requires_grad = False

    def set_int():
        torch.tensor([1, 2]).requires_grad = True

    return dict(nonleaf=_catch(set_nonleaf, RuntimeError), int=_catch(set_int, RuntimeError), y=y.requires_grad)


@snippet
def identity_placeholder_args(torch, nn):
    m = nn.Identity(54, unused_argument1=0.1, unused_argument2=False)
    x = torch.tensor(X((3, 2)))
    return dict(y=m(x), same=torch.equal(m(x), x))


@snippet
def size_object_numel(torch, nn):
    x = torch.zeros(2, 3, 4)
    w = nn.Linear(4, 5).weight
    return dict(n=x.size().numel(), t=type(x.size()).__name__ == type(torch.Size([1])).__name__,
                s=x.shape[1:].numel(), p=sum(p.size().numel() for p in nn.Linear(4, 5).parameters()), w=w.shape.numel())


# ---------------------------------------------------------------- optimizers and schedulers


def _opt_run(torch, nn, make, steps=4, seed=0):
    m = seed_params(torch, nn.Linear(3, 2), seed)
    opt = make(m.parameters())
    x = torch.tensor(X((5, 3), 7))
    t = torch.tensor(X((5, 2), 8))
    for _ in range(steps):
        opt.zero_grad()
        loss = ((m(x) - t) ** 2).mean()
        loss.backward()
        opt.step()
    return [m.weight.detach().clone(), m.bias.detach().clone(), loss.item()]


@snippet
def optim_sgd_nesterov_dampening(torch, nn, optim):
    return dict(nest=_opt_run(torch, nn, lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-2)),
                damp=_opt_run(torch, nn, lambda p: optim.SGD(p, lr=0.1, momentum=0.9, dampening=0.5)),
                plain=_opt_run(torch, nn, lambda p: optim.SGD(p, 0.05)))


@snippet
def optim_adamax_nadam_radam(torch, nn, optim):
    return dict(amax=_opt_run(torch, nn, lambda p: optim.Adamax(p, lr=0.05)),
                nadam=_opt_run(torch, nn, lambda p: optim.NAdam(p, lr=0.05, weight_decay=1e-2)),
                radam=_opt_run(torch, nn, lambda p: optim.RAdam(p, lr=0.05), steps=8),
                rmsc=_opt_run(torch, nn, lambda p: optim.RMSprop(p, lr=0.01, alpha=0.9, centered=True, momentum=0.5)),
                adagrad=_opt_run(torch, nn, lambda p: optim.Adagrad(p, lr=0.1, lr_decay=0.01, initial_accumulator_value=0.1)))


@snippet
def adamw_no_decay_groups(torch, nn, optim):
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4), nn.Linear(4, 2)))
    decay, no_decay = [], []
    for name, param in model.named_parameters():
        if not param.requires_grad:
            continue
        if len(param.shape) == 1 or name.endswith(".bias"):
            no_decay.append(param)
        else:
            decay.append(param)
    opt = optim.AdamW([{"params": no_decay, "weight_decay": 0.0}, {"params": decay, "weight_decay": 0.1}], lr=1e-2)
    x = torch.tensor(X((6, 3)))
    for _ in range(3):
        opt.zero_grad()
        model(x).pow(2).mean().backward()
        opt.step()
    return dict(n=(len(decay), len(no_decay)), w=[p.detach().clone() for p in model.parameters()],
                wd=[g["weight_decay"] for g in opt.param_groups])


@snippet
def grad_accumulation_equivalence(torch, nn, optim):
    m1 = seed_params(torch, nn.Linear(3, 1))
    m2 = seed_params(torch, nn.Linear(3, 1))
    o1 = optim.SGD(m1.parameters(), lr=0.1)
    o2 = optim.SGD(m2.parameters(), lr=0.1)
    x = torch.tensor(X((8, 3)))
    y = torch.tensor(X((8, 1), 2))
    crit = nn.MSELoss()
    accum = 2
    o1.zero_grad()
    for i, (xb, yb) in enumerate(zip(x.split(4), y.split(4))):
        loss = crit(m1(xb), yb) / accum
        loss.backward()
        if (i + 1) % accum == 0:
            o1.step()
            o1.zero_grad()
    o2.zero_grad()
    crit(m2(x), y).backward()
    o2.step()
    return dict(w1=m1.weight, w2=m2.weight, close=torch.allclose(m1.weight, m2.weight), g=m1.weight.grad)


@snippet
def clip_norm_inf_total_and_vector(torch, nn):
    model = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Linear(4, 2)))
    unused = nn.Linear(2, 2)
    params = list(model.parameters()) + list(unused.parameters())
    model(torch.tensor(X((5, 3)))).sum().backward()
    norms = {n: p.grad.norm().item() for n, p in model.named_parameters() if p.grad is not None}
    manual = torch.stack([p.grad.detach().norm(2) for p in model.parameters()]).norm(2)
    total_inf = nn.utils.clip_grad_norm_(params, max_norm=0.5, norm_type=float("inf"))
    total2 = nn.utils.clip_grad_norm_(params, 1.0)
    vec = nn.utils.parameters_to_vector(model.parameters())
    nn.utils.vector_to_parameters(torch.arange(vec.numel()).float() / 10, model.parameters())
    return dict(norms=norms, manual=manual, inf=total_inf, t2=total2, g=model[0].weight.grad, n=vec.shape,
                b=model[1].bias)


@snippet
def sched_sequential_warmup_cosine(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    warm = optim.lr_scheduler.LinearLR(opt, start_factor=0.1, total_iters=3)
    cos = optim.lr_scheduler.CosineAnnealingLR(opt, T_max=5, eta_min=0.001)
    sched = optim.lr_scheduler.SequentialLR(opt, schedulers=[warm, cos], milestones=[3])
    lrs = []
    for _ in range(9):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return dict(lrs=lrs, last=sched.get_last_lr())


@snippet
def sched_warm_restarts_fractional(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    scheduler = optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=3, T_mult=2, eta_min=0.01)
    iters = 2
    lrs = []
    for epoch in range(5):
        for i in range(iters):
            opt.step()
            scheduler.step(epoch + i / iters)
            lrs.append(round(opt.param_groups[0]["lr"], 8))
    opt2 = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
    s2 = optim.lr_scheduler.CosineAnnealingWarmRestarts(opt2, T_0=3, T_mult=2, eta_min=0.01)
    lrs2 = []
    for _ in range(10):
        opt2.step()
        s2.step()
        lrs2.append(opt2.param_groups[0]["lr"])
    return dict(lrs=lrs, lrs2=lrs2)


@snippet
def sched_onecycle_momentum(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.01, momentum=0.9)
    s = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, steps_per_epoch=3, epochs=2)
    opt2 = optim.Adam(nn.Linear(1, 1).parameters(), lr=0.01)
    s2 = optim.lr_scheduler.OneCycleLR(opt2, max_lr=0.1, total_steps=6, anneal_strategy="linear", pct_start=0.5)
    rec = []
    for _ in range(6):
        opt.step(); s.step()
        opt2.step(); s2.step()
        rec.append((opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"], opt2.param_groups[0]["lr"],
                    opt2.param_groups[0]["betas"][0]))
    return rec


@snippet
def sched_poly_mult_constant_chained(torch, nn, optim):
    def run(make, n=6):
        opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1)
        s = make(opt)
        out = []
        for _ in range(n):
            opt.step()
            s.step()
            out.append(opt.param_groups[0]["lr"])
        return out

    S = optim.lr_scheduler
    return dict(poly=run(lambda o: S.PolynomialLR(o, total_iters=4, power=2.0)),
                mult=run(lambda o: S.MultiplicativeLR(o, lr_lambda=lambda e: 0.9)),
                const=run(lambda o: S.ConstantLR(o, factor=0.5, total_iters=2)),
                chain=run(lambda o: S.ChainedScheduler([S.ConstantLR(o, factor=0.1, total_iters=2),
                                                        S.ExponentialLR(o, gamma=0.9)])),
                lam=run(lambda o: S.LambdaLR(o, lambda e: min(1.0, (e + 1) / 3))))


@snippet
def sched_plateau_max_cooldown(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=1, cooldown=1, threshold=0.01,
                                             min_lr=1e-3)
    opt2 = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s2 = optim.lr_scheduler.ReduceLROnPlateau(opt2, threshold=0.1, threshold_mode="abs", patience=0, factor=0.5)
    lrs, lrs2 = [], []
    for acc in [0.5, 0.6, 0.605, 0.6, 0.59, 0.7, 0.7, 0.7, 0.7, 0.7]:
        s.step(acc)
        lrs.append(opt.param_groups[0]["lr"])
        s2.step(1 - acc)
        lrs2.append(opt2.param_groups[0]["lr"])
    return dict(lrs=lrs, lrs2=lrs2, last=s.get_last_lr())


@snippet
def lambda_lr_per_group(torch, nn, optim):
    m = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
    opt = optim.SGD([{"params": m[0].parameters()}, {"params": m[1].parameters(), "lr": 0.5}], lr=0.1)
    s = optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
    out = []
    for _ in range(3):
        opt.step()
        s.step()
        out.append(s.get_last_lr())
    return dict(out=out, init=[g["initial_lr"] for g in opt.param_groups], le=s.last_epoch)


# ---------------------------------------------------------------- training loops and data


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


if __name__ == "__main__":
    main(sys.argv[1:])
