"""More of outsider_programs_round3.py's programs (part 2 of 5; the first part holds the header)."""

import copy
import io

from pytorch.outsider_programs_round3 import _regression, caught, data, fill_, program


@program
def scheduler_state_dict_resume(torch):
    def make():
        w = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([w], lr=0.2)
        return opt, torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.3)

    opt, sched = make()
    for _ in range(3):
        opt.step()
        sched.step()
    state = sched.state_dict()
    opt2, sched2 = make()
    opt2.load_state_dict(opt.state_dict())
    sched2.load_state_dict(state)
    opt2.step()
    sched2.step()
    return state["last_epoch"], state["step_size"], sched2.get_last_lr(), opt2.param_groups[0]["lr"]


@program
def reduce_lr_on_plateau(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([w], lr=1.0)
    sched = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
    lrs = []
    for val in [1.0, 0.9, 0.95, 0.95, 0.95, 0.5, 0.6, 0.7]:
        sched.step(val)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def one_cycle_lr(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=6)
    out = []
    for _ in range(5):
        opt.step()
        sched.step()
        out.append((opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"]))
    return out


# ---------------------------------------------------------------------------------------- modules and their state


class _Block:  # built inside a program, so that each library's nn.Module is its base
    @staticmethod
    def make(torch):
        class Block(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.conv = torch.nn.Linear(4, 4)
                self.norm = torch.nn.BatchNorm1d(4)
                self.head = torch.nn.Linear(4, 2)
                self.register_buffer("steps", torch.zeros((), dtype=torch.long))
                self.register_buffer("scratch", torch.ones(2), persistent=False)

            def forward(self, x):
                if self.training:
                    self.steps += 1
                return self.head(self.norm(self.conv(x)).relu())

        return fill_(torch, Block())


@program
def state_dict_keys_and_buffers(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    return (list(sd), [n for n, _ in net.named_buffers()], [n for n, _ in net.named_parameters()],
            sd["norm.num_batches_tracked"], sd["steps"])


@program
def load_state_dict_strict_false(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    del sd["head.bias"]
    sd["extra.weight"] = torch.zeros(1)
    result = net.load_state_dict(sd, strict=False)
    return sorted(result.missing_keys), sorted(result.unexpected_keys)


@program
def load_state_dict_strict_error(torch):
    net = _Block.make(torch)
    sd = net.state_dict()
    del sd["head.bias"]
    return caught(net.load_state_dict, sd)


@program
def load_state_dict_shape_mismatch(torch):
    a = torch.nn.Linear(3, 2)
    b = torch.nn.Linear(4, 2)
    return caught(a.load_state_dict, b.state_dict())


@program
def train_eval_batchnorm_dropout(torch):
    net = _Block.make(torch)
    x = data(torch, 6, 4)
    net.train()
    y_train = net(x)
    modes = [m.training for m in net.modules()]
    net.eval()
    y_eval = net(x)
    drop = torch.nn.Dropout(0.5).eval()
    return (y_train, y_eval, modes, [m.training for m in net.modules()], net.norm.running_mean,
            net.norm.running_var, net.steps, drop(x).equal(x))


@program
def named_modules_and_apply(torch):
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 3), torch.nn.ReLU(),
        torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh()), torch.nn.Linear(3, 1))

    def init(m):
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.constant_(m.weight, 0.1)
            torch.nn.init.zeros_(m.bias)

    net.apply(init)
    names = [(name, type(m).__name__) for name, m in net.named_modules()]
    children = [type(m).__name__ for m in net.children()]
    return names, children, net(torch.ones(2, 2)), sum(p.numel() for p in net.parameters())


@program
def requires_grad_freeze(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)))
    net[0].requires_grad_(False)
    net(data(torch, 3, 2)).sum().backward()
    trainable = [n for n, p in net.named_parameters() if p.requires_grad]
    return trainable, net[0].weight.grad is None, net[1].weight.grad


@program
def sequential_slicing_and_indexing(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 4), torch.nn.Sigmoid())
    fill_(torch, net)
    head = net[:2]
    tail = net[2:]
    x = data(torch, 2, 2)
    return (type(head).__name__, len(head), len(tail), type(net[-1]).__name__,
            (tail(head(x)) - net(x)).abs().max(), [type(m).__name__ for m in net[::2]])


@program
def sequential_append_insert_delete(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net.append(torch.nn.ReLU())
    net.insert(1, torch.nn.Tanh())
    net.extend([torch.nn.Identity(), torch.nn.Linear(2, 1)])
    del net[2]
    return [type(m).__name__ for m in net], list(net.state_dict())


@program
def sequential_ordered_dict(torch):
    from collections import OrderedDict

    net = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(3, 2)), ("act", torch.nn.Softplus())]))
    fill_(torch, net)
    return list(net.state_dict()), type(net.act).__name__, net(data(torch, 2, 3))


@program
def module_list_loop(torch):
    class Deep(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList([torch.nn.Linear(3, 3) for _ in range(3)])
            self.layers.append(torch.nn.Linear(3, 1))

        def forward(self, x):
            for layer in self.layers[:-1]:
                x = x + torch.tanh(layer(x))
            return self.layers[-1](x)

    net = fill_(torch, Deep())
    out = net(data(torch, 4, 3))
    out.sum().backward()
    return (out, len(net.layers), type(net.layers[1:]).__name__, net.layers[0].weight.grad,
            list(net.state_dict())[-2:])


@program
def module_dict_heads(torch):
    heads = torch.nn.ModuleDict({"cls": torch.nn.Linear(3, 4), "reg": torch.nn.Linear(3, 1)})
    heads.update({"aux": torch.nn.Linear(3, 2)})
    fill_(torch, heads)
    x = data(torch, 2, 3)
    outs = {k: heads[k](x) for k in heads}
    return (list(heads.keys()), list(outs), {k: v.shape for k, v in outs.items()}, "reg" in heads,
            heads.pop("aux").out_features, len(heads))


@program
def parameter_list_and_dict(torch):
    class Mix(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2) * i) for i in range(3)])
            self.named = torch.nn.ParameterDict({"scale": torch.nn.Parameter(torch.tensor(2.0))})

        def forward(self, x):
            return sum(w * x for w in self.ws) * self.named["scale"]

    m = Mix()
    m(torch.tensor([1.0, 2.0])).sum().backward()
    return list(m.state_dict()), [w.grad for w in m.ws], m.named["scale"].grad


@program
def module_to_double_and_dtype(torch):
    net = fill_(torch, torch.nn.Linear(2, 2)).double()
    out = net(data(torch, 3, 2, dtype=torch.float64))
    err = caught(net, data(torch, 3, 2))
    half = torch.nn.Linear(2, 2).to(torch.float64)
    return out.dtype, net.weight.dtype, err, half.bias.dtype


# --------------------------------------------------------------------------------- in-place ops and views in loops


@program
def manual_sgd_in_place(torch):
    w = torch.tensor([2.0, -3.0], requires_grad=True)
    for _ in range(5):
        loss = (w ** 2).sum()
        loss.backward()
        with torch.no_grad():
            w -= 0.1 * w.grad
            w.grad.zero_()
    return w, w.requires_grad, w.is_leaf, w.grad


@program
def in_place_on_leaf_refused(torch):
    w = torch.ones(3, requires_grad=True)
    return caught(w.add_, 1), caught(lambda: w.__setitem__(0, 5.0))


@program
def modified_saved_tensor_refused(torch):
    x = torch.ones(3, requires_grad=True)
    h = x * 2
    y = h.exp()
    y.mul_(2)  # exp saved its output
    return caught(y.sum().backward)


@program
def in_place_on_view_of_nonleaf(torch):
    x = data(torch, 2, 3, dtype=torch.float64).requires_grad_()
    h = x * 2
    row = h[0]
    row.mul_(10)
    h.sum().backward()
    return h, x.grad, type(h.grad_fn).__name__


@program
def slice_assignment_in_forward(torch):
    x = data(torch, 4, dtype=torch.float64).requires_grad_()
    out = torch.zeros(4, dtype=torch.float64)
    out[1:3] = x[:2] ** 2
    out[0] = x[3]
    out.sum().backward()
    return out, x.grad, out.requires_grad


@program
def relu_inplace_in_model(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(inplace=True), torch.nn.Linear(4, 1)))
    x = data(torch, 5, 3)
    net(x).sum().backward()
    return net[0].weight.grad, net[2].weight.grad


@program
def view_shares_storage(torch):
    a = torch.arange(6.0)
    v = a.view(2, 3)
    t = v.t()
    v[1, 1] = 100.0
    return a, t, t.is_contiguous(), caught(t.view, 6), t.reshape(6), t.contiguous().view(6)


@program
def detach_shares_storage(torch):
    x = torch.ones(3, requires_grad=True)
    d = x.detach()
    d[0] = 5.0
    y = x * 2
    return x, d.requires_grad, y


@program
def ema_update_in_place(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    ema = copy.deepcopy(net)
    for p in ema.parameters():
        p.requires_grad_(False)
    opt = torch.optim.SGD(net.parameters(), lr=0.5)
    for _ in range(3):
        opt.zero_grad()
        net(data(torch, 4, 2)).pow(2).mean().backward()
        opt.step()
        with torch.no_grad():
            for pe, p in zip(ema.parameters(), net.parameters()):
                pe.mul_(0.9).add_(p, alpha=0.1)
    return ema.weight, ema.bias, ema.weight.requires_grad, net.weight


# ------------------------------------------------------------------------------------------------- save and load


@program
def save_load_state_dict_bytesio(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2)))
    net(data(torch, 4, 3))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    state = torch.load(buf)
    fresh = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.BatchNorm1d(2))
    fresh.load_state_dict(state)
    fresh.eval()
    net.eval()
    x = data(torch, 2, 3, offset=1.0)
    return list(state), fresh(x), net(x), state["1.running_mean"]


@program
def save_load_checkpoint_dict(torch, tmp=None):
    import os
    import tempfile

    net = fill_(torch, torch.nn.Linear(2, 1))
    opt = torch.optim.Adam(net.parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    opt.step()
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ckpt.pt")
        torch.save({"epoch": 3, "model": net.state_dict(), "opt": opt.state_dict(), "note": "hi",
                    "history": [0.5, 0.25]}, path)
        ckpt = torch.load(path)
    net2 = torch.nn.Linear(2, 1)
    net2.load_state_dict(ckpt["model"])
    opt2 = torch.optim.Adam(net2.parameters(), lr=0.1)
    opt2.load_state_dict(ckpt["opt"])
    return ckpt["epoch"], ckpt["note"], ckpt["history"], net2.weight, opt2.state_dict()["state"][0]["exp_avg"]


@program
def save_load_tensors_keep_dtype_and_views(torch):
    a = torch.arange(10, dtype=torch.int32)
    b = torch.tensor([True, False])
    c = torch.linspace(0, 1, 5, dtype=torch.float64)
    buf = io.BytesIO()
    torch.save([a, b, c, a[2:5]], buf)
    buf.seek(0)
    la, lb, lc, lv = torch.load(buf, weights_only=True)
    return la, lb, lc, lv, lv.shape


@program
def save_load_requires_grad(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    buf = io.BytesIO()
    torch.save({"w": w}, buf)
    buf.seek(0)
    w2 = torch.load(buf)["w"]
    return w2, w2.requires_grad, w2.is_leaf


# ------------------------------------------------------------------------------------------------- data loading


@program
def loader_sequential_batches(torch):
    from_data = torch.utils.data
    x = torch.arange(10.0).reshape(5, 2)
    y = torch.arange(5)
    loader = from_data.DataLoader(from_data.TensorDataset(x, y), batch_size=2)
    batches = [(xb, yb) for xb, yb in loader]
    return len(loader), batches


@program
def loader_drop_last_and_len(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(7.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=3, drop_last=True)
    return len(ds), len(loader), [b[0] for b in loader], ds[2]


@program
def loader_custom_collate(torch):
    seqs = [torch.arange(n, dtype=torch.float32) for n in (3, 1, 2, 4)]

    def pad(batch):
        longest = max(len(s) for s in batch)
        out = torch.zeros(len(batch), longest)
        for i, s in enumerate(batch):
            out[i, :len(s)] = s
        return out, torch.tensor([len(s) for s in batch])

    loader = torch.utils.data.DataLoader(seqs, batch_size=2, collate_fn=pad)
    return list(loader)


@program
def loader_with_sampler(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0) * 10)
    sampler = torch.utils.data.SubsetRandomSampler([4, 1]) if False else [5, 3, 1, 0]
    loader = torch.utils.data.DataLoader(ds, batch_size=3, sampler=sampler)
    seq = list(torch.utils.data.SequentialSampler(ds))
    batches = list(torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(5)), 2, False))
    return [b[0] for b in loader], seq, batches


@program
def loader_batch_sampler(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0), torch.arange(5) % 2)
    bs = torch.utils.data.BatchSampler(range(5), batch_size=2, drop_last=True)
    loader = torch.utils.data.DataLoader(ds, batch_sampler=bs)
    return [(a, b) for a, b in loader], len(loader)


@program
def loader_dict_samples_default_collate(torch):
    class Pairs(torch.utils.data.Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return {"x": torch.full((2,), float(i)), "label": i, "weight": 0.5 * i}

    batch = next(iter(torch.utils.data.DataLoader(Pairs(), batch_size=3)))
    return batch["x"], batch["label"], batch["weight"]


@program
def random_split_lengths(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10.0))
    a, b = torch.utils.data.random_split(ds, [7, 3], generator=torch.Generator().manual_seed(0))
    c, d = torch.utils.data.random_split(range(10), [0.8, 0.2])
    return len(a), len(b), len(c), len(d), type(a).__name__


@program
def subset_and_concat(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0))
    sub = torch.utils.data.Subset(ds, [4, 0])
    both = torch.utils.data.ConcatDataset([sub, ds])
    return len(both), both[0], both[2], both[-1]


@program
def training_loop_epochs(torch):
    x, y = _regression(torch)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=3)
    model = fill_(torch, torch.nn.Linear(3, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(3):
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        losses.append(total / len(loader.dataset))
    return losses, model.weight


# ----------------------------------------------------------------------------------------------- gradient clipping


@program
def clip_grad_norm_total(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Linear(3, 1)))
    (net(data(torch, 4, 3)) * 20).sum().backward()
    total = torch.nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0)
    after = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters()))
    return total, after, net[0].weight.grad


@program
def clip_grad_norm_inf_and_value(torch):
    w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    (w * torch.tensor([4.0, -5.0, 0.5])).sum().backward()
    total = torch.nn.utils.clip_grad_norm_([w], max_norm=2.0, norm_type=float("inf"))
    g1 = w.grad.clone()
    w.grad = torch.tensor([4.0, -5.0, 0.5])
    torch.nn.utils.clip_grad_value_([w], clip_value=1.0)
    return total, g1, w.grad


@program
def clip_grad_norm_single_tensor_and_none(torch):
    a = torch.tensor([3.0, 4.0], requires_grad=True)
    b = torch.tensor([1.0], requires_grad=True)  # never used: grad None
    (a * 2).sum().backward()
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0, norm_type=2)
    total2 = torch.nn.utils.clip_grad_norm_(a, 10.0)
    return total, total2, a.grad, b.grad


# ------------------------------------------------------------------------------------------------- mixed dtypes


@program
def mixed_dtype_arithmetic(torch):
    f32 = torch.tensor([1.5, 2.5])
    f64 = torch.tensor([1.0, 2.0], dtype=torch.float64)
    i64 = torch.tensor([1, 2])
    i32 = torch.tensor([1, 2], dtype=torch.int32)
    b = torch.tensor([True, False])
    return ((f32 + f64).dtype, (f32 * i64).dtype, (i64 / i32).dtype, (i64 // 2).dtype, (i32 + b).dtype,
            (b + b).dtype, (i64 * 2.5).dtype, (f32 + torch.tensor(1.0, dtype=torch.float64)).dtype,
            (i32 + torch.tensor(7)).dtype, f32 + f64)


@program
def mixed_dtype_grads(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    x = torch.tensor([3.0, 4.0], dtype=torch.float64)
    y = (w * x).sum()
    y.backward()
    return y.dtype, w.grad.dtype, w.grad


@program
def cross_entropy_long_targets_float_logits(torch):
    logits = data(torch, 4, 3).requires_grad_()
    target = torch.tensor([0, 2, 1, 2])
    loss = torch.nn.functional.cross_entropy(logits, target)
    loss.backward()
    err = caught(torch.nn.functional.cross_entropy, logits, target.int().float())
    return loss, logits.grad, err, (logits.argmax(1) == target).float().mean()


@program
def int_tensor_requires_grad_refused(torch):
    return (caught(torch.tensor, [1, 2], requires_grad=True),
            caught(lambda: torch.arange(3).requires_grad_()))


@program
def accuracy_with_bool_and_sum(torch):
    pred = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]])
    labels = torch.tensor([1, 0, 0])
    correct = (pred.argmax(dim=1) == labels)
    return correct, correct.sum(), correct.sum().item(), correct.float().mean().item(), correct.dtype


@program
def half_cast_round_trip(torch):
    x = torch.tensor([1.0 / 3, 1000.1, 65519.0, 1e-8])
    h = x.half()
    return h, h.float(), h.dtype, (h + 1).dtype, (h * torch.tensor(2.0)).dtype


# ------------------------------------------------------------------------------------------------- GANs


def _gan(torch):
    G = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 2)))
    D = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 4), torch.nn.LeakyReLU(0.2), torch.nn.Linear(4, 1)),
              scale=0.5)
    return G, D


@program
def tiny_gan_step(torch):
    G, D = _gan(torch)
    opt_g = torch.optim.Adam(G.parameters(), lr=1e-2, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-2, betas=(0.5, 0.999))
    bce = torch.nn.BCEWithLogitsLoss()
    real = data(torch, 6, 2)
    z = data(torch, 6, 2, offset=0.5)
    out = []
    for _ in range(2):
        fake = G(z)
        opt_d.zero_grad()
        d_loss = bce(D(real), torch.ones(6, 1)) + bce(D(fake.detach()), torch.zeros(6, 1))
        d_loss.backward()
        opt_d.step()
        opt_g.zero_grad()
        g_loss = bce(D(fake), torch.ones(6, 1))
        g_loss.backward()
        opt_g.step()
        out.append((d_loss.item(), g_loss.item()))
    return out, G[0].weight, D[2].weight, fake.requires_grad


@program
def gan_step_without_detach_leaves_g_grads(torch):
    G, D = _gan(torch)
    fake = G(data(torch, 3, 2))
    d_loss = torch.nn.functional.softplus(D(fake)).mean()
    d_loss.backward()
    return G[0].weight.grad, D[0].weight.grad


@program
def wgan_gp_penalty(torch):
    G, D = _gan(torch)
    real = data(torch, 5, 2)
    fake = G(data(torch, 5, 2, offset=2.0)).detach()
    alpha = torch.linspace(0, 1, 5).unsqueeze(1)
    mixed = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    scores = D(mixed)
    (grads,) = torch.autograd.grad(scores, mixed, grad_outputs=torch.ones_like(scores), create_graph=True,
                                   retain_graph=True)
    penalty = ((grads.norm(2, dim=1) - 1) ** 2).mean()
    loss = D(fake).mean() - D(real).mean() + 10 * penalty
    loss.backward()
    return penalty, grads.requires_grad, D[0].weight.grad, D[2].bias.grad, mixed.grad


@program
def wgan_weight_clipping(torch):
    _, D = _gan(torch)
    opt = torch.optim.RMSprop(D.parameters(), lr=0.05)
    for _ in range(2):
        opt.zero_grad()
        (D(data(torch, 4, 2, offset=1.0)).mean() - D(data(torch, 4, 2)).mean()).backward()
        opt.step()
        for p in D.parameters():
            p.data.clamp_(-0.2, 0.2)
    return [p.clone() for p in D.parameters()]


@program
def r1_penalty_real_only(torch):
    _, D = _gan(torch)
    real = data(torch, 4, 2).requires_grad_()
    out = D(real).sum()
    (g,) = torch.autograd.grad(out, real, create_graph=True)
    r1 = g.pow(2).sum(dim=1).mean()
    r1.backward()
    return r1, D[0].weight.grad, real.grad


# ------------------------------------------------------------------------------------------------- grad modes


@program
def no_grad_decorator(torch):
    @torch.no_grad()
    def evaluate(model, x):
        return model(x)

    model = fill_(torch, torch.nn.Linear(2, 2))
    out = evaluate(model, data(torch, 3, 2))
    return out.requires_grad, torch.is_grad_enabled(), evaluate.__name__


@program
def inference_mode_decorator_and_context(torch):
    @torch.inference_mode()
    def predict(model, x):
        return model(x)

    model = fill_(torch, torch.nn.Linear(2, 2))
    out = predict(model, data(torch, 1, 2))
    with torch.inference_mode():
        inner = torch.is_inference_mode_enabled()
        y = model(data(torch, 1, 2))
    with torch.inference_mode(False):
        off = torch.is_inference_mode_enabled()
    return out.requires_grad, inner, off, y.requires_grad, torch.is_inference_mode_enabled(), y.is_inference()


@program
def inference_tensor_in_autograd_refused(torch):
    with torch.inference_mode():
        x = torch.ones(2)
    w = torch.ones(2, requires_grad=True)
    return caught(lambda: (w * x).sum().backward()), caught(x.add_, 1), w.grad


@program
def set_grad_enabled_forms(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.set_grad_enabled(False):
        a = x * 2
    with torch.set_grad_enabled(True):
        b = x * 2
    torch.set_grad_enabled(False)
    c = x * 2
    torch.set_grad_enabled(True)
    is_train = False
    with torch.set_grad_enabled(is_train):
        d = x * 2

    @torch.set_grad_enabled(False)
    def f(t):
        return t * 2

    return a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad, f(x).requires_grad, \
        torch.is_grad_enabled()


@program
def enable_grad_inside_no_grad(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        with torch.enable_grad():
            y = x * 3
        z = x * 3

    @torch.enable_grad()
    def f(t):
        return t * 2

    with torch.no_grad():
        w = f(x)
    return y.requires_grad, z.requires_grad, w.requires_grad
