"""Programs a PyTorch user writes on models and data: Dataset/DataLoader batching, printed modules,
apply/named_modules, deepcopy of models with their optimizers, state_dict round trips with buffers and strict=False,
weight tying, grad modes, conditional and hinge GANs.  Each is a function of (library, seed);
test_real_programs_outsider.py runs it under both libraries and compares.
"""
# ruff: noqa: B023  (each lambda made in a loop is called at once, inside attempt/opt)

import copy

import numpy as np

from pytorch.outsider_programs import W, attempt, opt


def _fill(lib, module, seed):
    with lib.no_grad():
        for i, p in enumerate(module.parameters()):
            p.copy_(lib.tensor(W(seed + i, *p.shape) * 0.5))
    return module


def _params(module):
    return [p.detach().clone() for p in module.parameters()]


def prog_dataloader_batching(lib, seed):
    data = lib.utils.data
    x = lib.tensor(W(seed, 10, 3))
    y = lib.arange(10)
    ds = data.TensorDataset(x, y)
    out = {"len": len(ds), "item": ds[3], "neg_item": ds[-1]}
    loader = data.DataLoader(ds, batch_size=4)
    out["batches"] = [(xb.shape, yb) for xb, yb in loader]
    out["n"] = len(loader)
    out["drop_last"] = [yb for _, yb in data.DataLoader(ds, batch_size=4, drop_last=True)]
    out["n_drop"] = len(data.DataLoader(ds, batch_size=4, drop_last=True))

    def order(s):
        g = lib.Generator().manual_seed(s)
        return [yb.tolist() for _, yb in data.DataLoader(ds, batch_size=3, shuffle=True, generator=g)]

    a, b, c = order(1), order(1), order(2)
    out["shuffle_same"] = a == b
    out["shuffle_all"] = sorted(v for batch in a for v in batch)
    out["shuffle_sizes"] = [len(batch) for batch in a]
    out["differs"] = a != c
    out["mismatch"] = attempt(lambda: data.TensorDataset(x, y[:5]))
    out["bs1"] = next(iter(data.DataLoader(ds)))
    out["none_bs"] = next(iter(data.DataLoader(ds, batch_size=None)))
    out["epochs_differ"] = (lambda ld: [t.tolist() for _, t in ld] != [t.tolist() for _, t in ld])(
        data.DataLoader(ds, batch_size=10, shuffle=True, generator=lib.Generator().manual_seed(5)))
    return out


def prog_custom_dataset_collate(lib, seed):
    data = lib.utils.data

    class Pairs(data.Dataset):
        def __init__(self, n):
            self.x = W(seed, n, 2)

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return {"x": lib.tensor(self.x[i]), "label": int(i % 3), "w": float(i) / 2, "name": f"s{i}",
                    "pair": (lib.tensor([i, i + 1]), i * 10)}

    ds = Pairs(5)
    batches = list(data.DataLoader(ds, batch_size=2))
    out = {"n": len(batches), "first": batches[0], "last": batches[-1],
           "types": [type(v).__name__ for v in batches[0].values()]}
    collated = data.default_collate([(np.float64(1.5), np.array([1, 2])), (np.float64(2.5), np.array([3, 4]))])
    out["numpy"] = collated
    out["ragged"] = attempt(lambda: data.default_collate([lib.zeros(2), lib.zeros(3)]))
    out["custom_fn"] = list(data.DataLoader(ds, batch_size=2, collate_fn=lambda items: len(items)))
    out["bools"] = data.default_collate([True, False])
    sub = data.Subset(ds, [4, 0])
    out["subset"] = (len(sub), sub[0]["label"], sub[1]["name"])
    cat = data.ConcatDataset([ds, sub])
    out["concat"] = (len(cat), cat[6]["name"], cat[-1]["name"])
    return out


def prog_random_split(lib, seed):
    data = lib.utils.data
    ds = data.TensorDataset(lib.arange(10))
    g = lib.Generator().manual_seed(3)
    tr, va = data.random_split(ds, [7, 3], generator=g)
    g.manual_seed(3)
    tr2, _ = data.random_split(ds, [7, 3], generator=g)
    fr = data.random_split(ds, [0.7, 0.2, 0.1], generator=lib.Generator().manual_seed(0))
    idx = sorted(int(tr[i][0]) for i in range(len(tr))) + sorted(int(va[i][0]) for i in range(len(va)))
    return {"lens": (len(tr), len(va)), "disjoint_cover": sorted(idx), "same": list(tr.indices) == list(tr2.indices),
            "frac_lens": [len(s) for s in fr], "bad_sum": attempt(lambda: data.random_split(ds, [5, 6])),
            "bad_frac": attempt(lambda: data.random_split(ds, [0.5, 0.6])),
            "type": type(tr).__name__}


def prog_module_print(lib, seed):
    nn = lib.nn

    class Gate(nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = k
            self.lin = nn.Linear(k, k, bias=False)

        def extra_repr(self):
            return f"k={self.k}"

        def forward(self, x):
            return self.lin(x).sigmoid() * x

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.LeakyReLU(0.2),
                                      nn.Flatten(), nn.Dropout(0.3))
            self.gate = Gate(3)
            self.heads = nn.ModuleList([nn.Linear(3, 2), nn.Linear(3, 1)])
            self.table = nn.ModuleDict({"emb": nn.Embedding(10, 3, padding_idx=0), "act": nn.Tanh()})

    net = Net()
    return {"repr": repr(net), "gate": str(net.gate), "lin": repr(nn.Linear(2, 3, bias=False)),
            "empty": repr(nn.Sequential()), "bce": repr(nn.BCEWithLogitsLoss()), "ln": repr(nn.LayerNorm([4, 5])),
            "convt": repr(nn.ConvTranspose2d(8, 4, 4, 2, 1, bias=False)), "mp": repr(nn.MaxPool2d(2)),
            "up": repr(nn.Upsample(scale_factor=2, mode="nearest")), "sm": repr(nn.Softmax(dim=1)),
            "gn": repr(nn.GroupNorm(2, 4)), "ident": repr(nn.Identity()), "elu": repr(nn.ELU(alpha=0.5)),
            "ps": repr(nn.PixelShuffle(2)), "pad": repr(nn.ZeroPad2d((1, 0, 1, 0)))}


def prog_module_apply_init(lib, seed):
    nn = lib.nn
    net = nn.Sequential(nn.Linear(3, 4), nn.Sequential(nn.Linear(4, 4), nn.ReLU()), nn.Linear(4, 1)).double()
    visited = []
    count = {"n": 0}

    def init(m):
        visited.append(type(m).__name__)
        if isinstance(m, nn.Linear):
            count["n"] += 1
            nn.init.constant_(m.weight, 0.1 * count["n"])
            nn.init.zeros_(m.bias)

    ret = net.apply(init)
    out = {"returns_self": ret is net, "visited": visited, "w": _params(net),
           "named": [(n, type(m).__name__) for n, m in net.named_modules()],
           "named_prefix": [n for n, _ in net.named_modules(prefix="model")],
           "children": [type(m).__name__ for m in net.children()],
           "leaf_modules": [n for n, m in net.named_modules() if not list(m.children())]}
    shared = nn.Linear(2, 2)
    twice = nn.Sequential(shared, nn.ReLU(), shared)
    seen = []
    twice.apply(lambda m: seen.append(type(m).__name__))
    out["twice_apply"] = seen
    out["twice_named"] = [n for n, _ in twice.named_modules()]
    out["twice_params"] = [n for n, _ in twice.named_parameters()]
    out["twice_sd"] = list(twice.state_dict())
    return out


def prog_deepcopy_model_optimizer(lib, seed):
    nn = lib.nn
    x = lib.tensor(W(seed + 7, 5, 3))

    def train(net, o, steps=2):
        for _ in range(steps):
            o.zero_grad()
            net(x).pow(2).mean().backward()
            o.step()

    net = _fill(lib, nn.Sequential(nn.Linear(3, 3), nn.BatchNorm1d(3), nn.Linear(3, 1)).double(), seed)
    o = lib.optim.Adam(net.parameters(), lr=0.05)
    train(net, o)
    net_c = copy.deepcopy(net)
    both = copy.deepcopy({"net": net, "opt": o})
    o_alone = copy.deepcopy(o)
    out = {"copy_params_distinct": all(a is not b for a, b in zip(net.parameters(), net_c.parameters())),
           "copy_equal": all(lib.equal(a, b) for a, b in zip(net.parameters(), net_c.parameters())),
           "copy_buffers": [b.clone() for b in net_c.buffers()],
           "copy_training": net_c.training,
           "both_linked": all(p is q for p, q in zip(both["opt"].param_groups[0]["params"],
                                                      both["net"].parameters())),
           "alone_linked_to_original": any(p is q for p, q in zip(o_alone.param_groups[0]["params"],
                                                                   net.parameters()))}
    before = _params(net)
    train(both["net"], both["opt"])
    out["original_untouched"] = all(lib.equal(a, b) for a, b in zip(before, net.parameters()))
    train(net, o)
    out["same_trajectory"] = all(lib.allclose(a, b) for a, b in zip(net.parameters(), both["net"].parameters()))
    # read through state_dict(): minigan's optimizer.state holds NumPy arrays where PyTorch's holds tensors
    # (docs/pytorch.md, "Coming from PyTorch")
    out["state_copied"] = [s["exp_avg"].clone() for s in both["opt"].state_dict()["state"].values()]
    out["state_keys_copied"] = [sorted(both["opt"].state[p]) for p in both["net"].parameters()]
    net_c.requires_grad_(False)
    out["orig_still_requires"] = all(p.requires_grad for p in net.parameters())
    out["grad_copied"] = [p.grad is None for p in copy.deepcopy(net).parameters()]
    return out


def prog_state_dict_buffers(lib, seed):
    nn = lib.nn

    class Norm(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(2, 2)
            self.register_buffer("mean", lib.zeros(2))
            self.register_buffer("cache", lib.ones(2), persistent=False)
            self.register_buffer("nothing", None)
            self.bn = nn.BatchNorm1d(2, momentum=None)

    m = Norm().double()
    with lib.no_grad():
        m.mean.add_(3)
    m.train()
    for s in range(3):
        m.bn(lib.tensor(W(seed + s, 6, 2)))
    sd = m.state_dict()
    out = {"keys": list(sd), "buffers": [n for n, _ in m.named_buffers()], "mean_dtype": m.mean.dtype,
           "cache_dtype": m.cache.dtype, "nbt": sd["bn.num_batches_tracked"], "rm": sd["bn.running_mean"],
           "rv": sd["bn.running_var"], "nothing": m.nothing is None}
    m2 = Norm().double()
    res = m2.load_state_dict(sd)
    out["loaded"] = (list(res.missing_keys), list(res.unexpected_keys))
    out["m2_rm"] = m2.bn.running_mean
    out["m2_cache_kept"] = m2.cache
    part = {k: v for k, v in sd.items() if not k.startswith("bn.")}
    part["extra"] = lib.zeros(1)
    res = m2.load_state_dict(part, strict=False)
    out["loose"] = (sorted(res.missing_keys), sorted(res.unexpected_keys))
    out["strict_err"] = attempt(lambda: m2.load_state_dict(part))
    f32 = {k: (v.float() if v.is_floating_point() else v) for k, v in sd.items()}
    m3 = Norm().double()
    m3.load_state_dict(f32)
    out["cast_dtype"] = [v.dtype for v in m3.state_dict().values()]
    out["same_object"] = (lambda w: (m3.load_state_dict(sd), w is m3.lin.weight)[1])(m3.lin.weight)
    out["keep_vars"] = [type(v).__name__ for v in m.state_dict(keep_vars=True).values()][:3]
    out["keep_vars_grad"] = m.state_dict(keep_vars=True)["lin.weight"].requires_grad
    out["plain_grad"] = m.state_dict()["lin.weight"].requires_grad
    out["bad_buffer"] = attempt(lambda: m.register_buffer("lin", lib.zeros(1)))
    out["bad_name"] = attempt(lambda: m.register_buffer("a.b", lib.zeros(1)))
    out["not_tensor"] = attempt(lambda: m.register_buffer("x", [1.0]))
    return out


def prog_weight_tying_lm(lib, seed):
    nn = lib.nn

    class TinyLM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(7, 4)
            self.mix = nn.Linear(4, 4)
            self.out = nn.Linear(4, 7, bias=False)
            self.out.weight = self.emb.weight

        def forward(self, ids):
            return self.out(self.mix(self.emb(ids)).tanh())

    lm = _fill(lib, TinyLM().double(), seed)
    ids = lib.tensor([[1, 2, 3], [4, 5, 6]])
    loss = nn.functional.cross_entropy(lm(ids).reshape(-1, 7), lib.tensor([2, 3, 4, 5, 6, 0]))
    loss.backward()
    out = {"loss": loss, "tied": lm.out.weight is lm.emb.weight, "n_params": len(list(lm.parameters())),
           "names": [n for n, _ in lm.named_parameters()], "sd_keys": list(lm.state_dict()),
           "grad": lm.emb.weight.grad.clone()}
    o = lib.optim.SGD(lm.parameters(), lr=0.5)
    o.step()
    out["still_tied"] = lib.equal(lm.out.weight, lm.emb.weight)
    c = copy.deepcopy(lm)
    out["copy_tied"] = c.out.weight is c.emb.weight
    other = TinyLM().double()
    other.load_state_dict(lm.state_dict())
    out["load_tied"] = (other.out.weight is other.emb.weight, lib.equal(other.emb.weight, lm.emb.weight))
    out["count"] = sum(p.numel() for p in lm.parameters())
    return out


def prog_grad_modes(lib, seed):
    x = lib.tensor(W(seed, 3), requires_grad=True)

    @lib.no_grad()
    def infer(t):
        return t * 2

    @lib.enable_grad()
    def train_step(t):
        return t * 2

    out = {"decorated": infer(x).requires_grad, "decorated_name": infer.__name__}
    with lib.no_grad():
        out["inside"] = lib.is_grad_enabled()
        out["enable_inside"] = train_step(x).requires_grad
        with lib.enable_grad():
            out["nested_enable"] = (x * 2).requires_grad
        out["after_nested"] = (x * 2).requires_grad
    with lib.set_grad_enabled(False):
        out["set_false"] = (x * 2).requires_grad
    out["restored"] = lib.is_grad_enabled()
    lib.set_grad_enabled(False)
    out["as_function"] = (x * 2).requires_grad
    lib.set_grad_enabled(True)
    out["back_on"] = (x * 2).requires_grad
    with lib.inference_mode():
        out["inference"] = (x * 2).requires_grad
    with lib.no_grad():
        y = x * 2
    out["later_backward"] = attempt(lambda: y.sum().backward())
    out["leaf_made_in_nograd"] = (y.is_leaf, y.grad_fn is None)
    z = y.requires_grad_()
    (z * 3).sum().backward()
    out["nograd_leaf_grad"] = y.grad
    out["x_grad_untouched"] = x.grad is None
    return out


def prog_backward_misuse(lib, seed):
    x = lib.tensor(W(seed, 3), requires_grad=True)
    y = (x * x).exp()
    y.sum().backward(retain_graph=True)
    y.sum().backward()
    out = {"accumulated": x.grad.clone(), "third": attempt(lambda: y.sum().backward())}
    x.grad = None
    v = x * 2
    out["nonscalar"] = attempt(lambda: v.backward())
    v.backward(gradient=lib.tensor([1.0, 0.0, 2.0], dtype=lib.float64))
    out["with_gradient"] = x.grad.clone()
    out["bad_gradient_shape"] = attempt(lambda: (x * 2).backward(gradient=lib.ones(4, dtype=lib.float64)))
    out["no_grad_tensor"] = attempt(lambda: lib.tensor([1.0]).sum().backward())
    out["grad_non_leaf"] = (lambda h: (h.sum().backward(), h.grad)[1])(x * 3)
    out["grad_unused"] = attempt(lambda: lib.autograd.grad((x * 2).sum(), [x, lib.tensor([1.0],
                                                                                         requires_grad=True)]))
    out["grad_unused_allowed"] = lib.autograd.grad((x * 2).sum(), [x, lib.tensor([1.0], requires_grad=True)],
                                                   allow_unused=True)
    x.grad = None
    x.sum().backward(inputs=[x])
    out["inputs_kw"] = x.grad
    return out


def prog_parameter_semantics(lib, seed):
    nn = lib.nn
    p = nn.Parameter(lib.tensor(W(seed, 2, 2)))
    q = nn.Parameter(lib.tensor(W(seed, 2)), requires_grad=False)
    return {"req": p.requires_grad, "q_req": q.requires_grad, "is_tensor": isinstance(p, lib.Tensor),
            "leaf": p.is_leaf, "mul_type": type(p * 2).__name__, "clone_type": type(p.clone()).__name__,
            "detach_type": type(p.detach()).__name__, "repr_start": repr(p).split("\n")[0],
            "int_param": attempt(lambda: nn.Parameter(lib.tensor([1, 2]))),
            "int_req": attempt(lambda: lib.tensor([1, 2], requires_grad=True)),
            "int_req_": attempt(lambda: lib.tensor([1, 2]).requires_grad_()),
            "long_of_param": p.long().requires_grad, "float_of_param": p.float().requires_grad,
            "empty_param": nn.Parameter().shape, "data_type": type(p.data).__name__,
            "deepcopy_type": type(copy.deepcopy(p)).__name__, "deepcopy_req": copy.deepcopy(q).requires_grad,
            "assign_plain": attempt(lambda: setattr(nn.Linear(2, 2), "weight", lib.zeros(2, 2))),
            "assign_param": (lambda m: (setattr(m, "weight", nn.Parameter(lib.zeros(2, 2))),
                                        [n for n, _ in m.named_parameters()])[1])(nn.Linear(2, 2))}


def prog_acgan(lib, seed):
    """A conditional GAN with an auxiliary classifier: label embedding concatenated to the noise."""
    nn = lib.nn
    F = nn.functional

    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(3, 2)
            self.net = nn.Sequential(nn.Linear(5, 6), nn.ReLU(), nn.Linear(6, 4), nn.Tanh())

        def forward(self, z, y):
            return self.net(lib.cat([z, self.emb(y)], dim=1))

    class D(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Linear(4, 6), nn.LeakyReLU(0.2))
            self.adv = nn.Linear(6, 1)
            self.cls = nn.Linear(6, 3)

        def forward(self, x):
            h = self.body(x)
            return self.adv(h).squeeze(1), self.cls(h)

    g, d = _fill(lib, G().double(), seed), _fill(lib, D().double(), seed + 20)
    og = lib.optim.Adam(g.parameters(), lr=1e-2, betas=(0.5, 0.999))
    od = lib.optim.Adam(d.parameters(), lr=1e-2, betas=(0.5, 0.999))
    real = lib.tensor(W(seed + 40, 6, 4)).tanh()
    ry = lib.tensor([0, 1, 2, 0, 1, 2])
    log = []
    for step in range(3):
        z = lib.tensor(W(seed + 50 + step, 6, 3))
        fy = lib.tensor([(step + i) % 3 for i in range(6)])
        fake = g(z, fy)
        od.zero_grad()
        adv_r, cls_r = d(real)
        adv_f, cls_f = d(fake.detach())
        ld = (F.binary_cross_entropy_with_logits(adv_r, lib.ones_like(adv_r))
              + F.binary_cross_entropy_with_logits(adv_f, lib.zeros_like(adv_f))
              + F.cross_entropy(cls_r, ry) + F.cross_entropy(cls_f, fy))
        ld.backward()
        od.step()
        og.zero_grad(set_to_none=True)
        adv_f, cls_f = d(fake)
        lg = F.binary_cross_entropy_with_logits(adv_f, lib.ones_like(adv_f)) + F.cross_entropy(cls_f, fy)
        lg.backward()
        og.step()
        acc = (cls_r.argmax(1) == ry).float().mean()
        log.append((ld.item(), lg.item(), acc.item()))
    return {"log": log, "g": _params(g), "d": _params(d)}


def prog_hinge_gan(lib, seed):
    nn = lib.nn
    F = nn.functional
    g = _fill(lib, nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)).double(), seed)
    d = _fill(lib, nn.Sequential(nn.Linear(2, 4), nn.LeakyReLU(0.1), nn.Linear(4, 1)).double(), seed + 9)
    og = lib.optim.RMSprop(g.parameters(), lr=5e-3)
    od = lib.optim.RMSprop(d.parameters(), lr=5e-3, momentum=0.5)
    real = lib.tensor(W(seed + 3, 8, 2))
    log = []
    for step in range(3):
        fake = g(lib.tensor(W(seed + 60 + step, 8, 2)))
        od.zero_grad()
        ld = F.relu(1 - d(real)).mean() + F.relu(1 + d(fake.detach())).mean()
        ld.backward()
        od.step()
        og.zero_grad()
        lg = -d(fake).mean()
        lg.backward()
        og.step()
        log.append((ld.item(), lg.item()))
    g.eval()
    with lib.no_grad():
        sample = g(lib.tensor(W(seed + 99, 3, 2)))
    return {"log": log, "sample": sample, "rm": g[1].running_mean, "rv": g[1].running_var,
            "nbt": g[1].num_batches_tracked, "d": _params(d)}


def prog_container_edits(lib, seed):
    nn = lib.nn
    seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 4), nn.Tanh())
    out = {"slice_type": type(seq[1:3]).__name__, "slice_len": len(seq[1:3]), "neg": type(seq[-1]).__name__,
           "slice_names": [n for n, _ in seq[1:].named_children()], "oob": attempt(lambda: seq[4])}
    seq.append(nn.Sigmoid())
    del seq[1]
    out["after_del"] = [n for n, _ in seq.named_children()]
    out["after_del_types"] = [type(m).__name__ for m in seq]
    ml = nn.ModuleList([nn.Linear(2, 2)])
    ml.append(nn.ReLU())
    ml.extend([nn.Tanh(), nn.Sigmoid()])
    ml.insert(1, nn.Identity())
    out["ml"] = [type(m).__name__ for m in ml]
    out["ml_names"] = [n for n, _ in ml.named_children()]
    out["ml_params"] = [n for n, _ in ml.named_parameters()]
    out["ml_call"] = attempt(lambda: ml(lib.zeros(2)))
    md = nn.ModuleDict({"b": nn.ReLU(), "a": nn.Tanh()})
    md["c"] = nn.Linear(1, 1)
    out["md_keys"] = list(md.keys())
    out["md_pop"] = type(md.pop("b")).__name__
    out["md_in"] = ("a" in md, "b" in md, len(md))
    out["md_items"] = [(k, type(v).__name__) for k, v in md.items()]
    out["add_bad"] = attempt(lambda: nn.Sequential().add_module("x", lib.zeros(1)))
    out["plist"] = [p.shape for p in nn.ParameterList([nn.Parameter(lib.zeros(2)), nn.Parameter(lib.ones(1, 3))])]
    return out


def prog_feature_hooks_perceptual(lib, seed):
    """A frozen feature net read by forward hooks gives a perceptual loss for G."""
    nn = lib.nn
    feat = _fill(lib, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4), nn.ReLU()).double(), seed)
    feat.eval().requires_grad_(False)
    store = []
    hs = [feat[i].register_forward_hook(lambda m, i, o: store.append(o)) for i in (1, 3)]
    g = _fill(lib, nn.Linear(2, 3).double(), seed + 5)
    target = lib.tensor(W(seed + 6, 4, 3))
    with lib.no_grad():
        feat(target)
    tgt = [t.clone() for t in store]
    store.clear()
    out_img = g(lib.tensor(W(seed + 7, 4, 2)))
    feat(out_img)
    loss = sum(nn.functional.mse_loss(a, b) for a, b in zip(store, tgt))
    loss.backward()
    for h in hs:
        h.remove()
    return {"loss": loss, "g_grad": [p.grad for p in g.parameters()], "feat_grads": [p.grad for p in
                                                                                     feat.parameters()],
            "store_req": [t.requires_grad for t in store], "tgt_req": [t.requires_grad for t in tgt]}


def prog_optimizer_options(lib, seed):
    nn = lib.nn
    out = {}
    for name, make in (("sgd_damp", lambda ps: lib.optim.SGD(ps, lr=0.1, momentum=0.9, dampening=0.5)),
                       ("sgd_nest_wd", lambda ps: lib.optim.SGD(ps, lr=0.1, momentum=0.9, nesterov=True,
                                                                weight_decay=1e-2)),
                       ("sgd_max", lambda ps: lib.optim.SGD(ps, lr=0.1, maximize=True)),
                       ("adam_max", lambda ps: lib.optim.Adam(ps, lr=0.1, maximize=True, weight_decay=0.1)),
                       ("adamw", lambda ps: lib.optim.AdamW(ps, lr=0.1)),
                       ("rms_centered", lambda ps: lib.optim.RMSprop(ps, lr=0.01, centered=True, momentum=0.3)),
                       ("adagrad", lambda ps: lib.optim.Adagrad(ps, lr=0.1, lr_decay=0.01,
                                                                initial_accumulator_value=0.1)),
                       ("nadam", lambda ps: lib.optim.NAdam(ps, lr=0.05)),
                       ("radam", lambda ps: lib.optim.RAdam(ps, lr=0.05)),
                       ("adamax", lambda ps: lib.optim.Adamax(ps, lr=0.05)),
                       ("adadelta", lambda ps: lib.optim.Adadelta(ps, lr=1.0))):
        a = nn.Parameter(lib.tensor(W(seed, 3)))
        b = nn.Parameter(lib.tensor(W(seed + 1, 2)))  # never gets a grad: skipped
        o = make([a, b])
        for _ in range(6):
            o.zero_grad()
            (a.pow(2).sum() + a.sum()).backward()
            o.step()
        out[name] = (a.detach().clone(), b.detach().clone(), b in o.state and len(o.state[b]) > 0,
                     opt(lambda: o.defaults["lr"]))
    return out


def prog_one_hot_scatter(lib, seed):
    F = lib.nn.functional
    y = lib.tensor([2, 0, 1, 2])
    oh = F.one_hot(y)
    oh5 = F.one_hot(y, num_classes=5)
    manual = lib.zeros(4, 3).scatter_(1, y[:, None], 1.0)
    return {"oh": oh, "oh5": oh5, "manual": manual, "neg": attempt(lambda: F.one_hot(lib.tensor([-1, 0]))),
            "too_small": attempt(lambda: F.one_hot(y, num_classes=2)),
            "float_in": attempt(lambda: F.one_hot(lib.tensor([1.0]))),
            "2d": F.one_hot(lib.tensor([[0, 1], [1, 0]]), 2).shape, "empty": F.one_hot(lib.zeros(0, dtype=lib.int64),
                                                                                        3).shape}


def prog_scheduler_groups(lib, seed):
    S = lib.optim.lr_scheduler
    a = lib.nn.Parameter(lib.tensor(W(seed, 2)))
    b = lib.nn.Parameter(lib.tensor(W(seed + 1, 2)))
    o = lib.optim.SGD([{"params": [a]}, {"params": [b], "lr": 0.01}], lr=0.1)
    s = S.LambdaLR(o, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 + e])
    lrs = []
    for _ in range(4):
        o.zero_grad()
        (a.sum() + b.sum()).backward()
        o.step()
        s.step()
        lrs.append(s.get_last_lr())
    s2 = S.StepLR(o, step_size=1, gamma=0.1)
    s2.step()
    return {"lrs": lrs, "base": s.base_lrs, "a": a.detach(), "b": b.detach(), "after_step": s2.get_last_lr(),
            "initial": [g["initial_lr"] for g in o.param_groups],
            "bad_lambdas": attempt(lambda: S.LambdaLR(o, lr_lambda=[lambda e: 1.0]))}


def prog_train_eval_flags(lib, seed):
    nn = lib.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Dropout(), nn.BatchNorm1d(2)))
    r = net.eval()
    out = {"eval_self": r is net, "all_eval": [m.training for m in net.modules()]}
    net[1].train()
    out["partial"] = [m.training for m in net.modules()]
    out["train_false"] = [m.training for m in net.train(False).modules()]
    net.train()
    out["all_train"] = all(m.training for m in net.modules())
    bn = nn.BatchNorm1d(3).double()
    out["one_sample_train"] = attempt(lambda: bn(lib.zeros(1, 3, dtype=lib.float64)))
    bn.eval()
    out["one_sample_eval"] = bn(lib.ones(1, 3, dtype=lib.float64))
    return out


def prog_topk_hard_mining(lib, seed):
    F = lib.nn.functional
    logits = lib.tensor(W(seed, 10, 3), requires_grad=True)
    y = lib.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0])
    per = F.cross_entropy(logits, y, reduction="none")
    hard, idx = per.topk(4)
    hard.mean().backward()
    srt = per.detach().sort(descending=True)
    return {"hard": hard.detach(), "idx": idx, "grad": logits.grad, "sorted": tuple(srt),
            "k_too_big": attempt(lambda: per.topk(11)), "smallest": per.detach().topk(2, largest=False).indices,
            "kth": tuple(per.detach().kthvalue(3))}


def prog_custom_optimizer(lib, seed):
    """A learner's own optimizer: SGD with momentum, written on Optimizer's param_groups and state."""
    class MySGD(lib.optim.Optimizer):
        def __init__(self, params, lr=0.1, momentum=0.0):
            if lr < 0:
                raise ValueError(f"Invalid learning rate: {lr}")
            super().__init__(params, dict(lr=lr, momentum=momentum))

        @lib.no_grad()
        def step(self, closure=None):
            loss = None
            if closure is not None:
                with lib.enable_grad():
                    loss = closure()
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if "buf" not in state:
                        state["buf"] = p.grad.clone()
                    else:
                        state["buf"].mul_(group["momentum"]).add_(p.grad)
                    p.add_(state["buf"], alpha=-group["lr"])
            return loss

    nn = lib.nn
    net = _fill(lib, nn.Linear(3, 1).double(), seed)
    x, y = lib.tensor(W(seed + 1, 6, 3)), lib.tensor(W(seed + 2, 6, 1))
    o = MySGD(net.parameters(), lr=0.05, momentum=0.9)

    def closure():
        o.zero_grad()
        loss = nn.functional.mse_loss(net(x), y)
        loss.backward()
        return loss

    losses = [o.step(closure).item() for _ in range(4)]
    ref = _fill(lib, nn.Linear(3, 1).double(), seed)
    ro = lib.optim.SGD(ref.parameters(), lr=0.05, momentum=0.9)
    for _ in range(4):
        ro.zero_grad()
        nn.functional.mse_loss(ref(x), y).backward()
        ro.step()
    sd = o.state_dict()
    return {"losses": losses, "p": _params(net), "same_as_sgd": all(lib.allclose(a, b) for a, b in
                                                                     zip(net.parameters(), ref.parameters())),
            "defaults": o.defaults, "groups": [(g["lr"], g["momentum"], len(g["params"])) for g in o.param_groups],
            "sd_state": {k: sorted(v) for k, v in sd["state"].items()}, "sd_buf": sd["state"][0]["buf"],
            "repr_head": repr(o).split("\n")[0], "bad": attempt(lambda: MySGD(net.parameters(), lr=-1)),
            "closure_sgd": ro.step(closure).item(), "no_closure": ro.step()}


def prog_custom_scheduler(lib, seed):
    class Warmup(lib.optim.lr_scheduler.LRScheduler):
        def __init__(self, optimizer, warmup, last_epoch=-1):
            self.warmup = warmup
            super().__init__(optimizer, last_epoch)

        def get_lr(self):
            scale = min(1.0, (self.last_epoch + 1) / self.warmup)
            return [base * scale for base in self.base_lrs]

    p = lib.nn.Parameter(lib.tensor(W(seed, 2)))
    o = lib.optim.Adam([p], lr=0.1)
    s = Warmup(o, warmup=4)
    lrs = [o.param_groups[0]["lr"]]
    for _ in range(6):
        o.zero_grad()
        p.pow(2).sum().backward()
        o.step()
        s.step()
        lrs.append(s.get_last_lr()[0])
    sd = s.state_dict()
    return {"lrs": lrs, "last_epoch": s.last_epoch, "warmup_saved": sd.get("warmup"), "base": s.base_lrs,
            "p": p.detach()}


def prog_per_param_grad_hooks(lib, seed):
    """Per-parameter gradient clamping by hooks registered once, before training."""
    nn = lib.nn
    net = _fill(lib, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double(), seed)
    handles = [p.register_hook(lambda g: g.clamp(-0.05, 0.05)) for p in net.parameters()]
    o = lib.optim.SGD(net.parameters(), lr=1.0)
    x = lib.tensor(W(seed + 1, 5, 3) * 3)
    for _ in range(3):
        o.zero_grad()
        net(x).pow(2).sum().backward()
        o.step()
    out = {"grads": [p.grad.clone() for p in net.parameters()], "p": _params(net),
           "max_abs": max(p.grad.abs().max().item() for p in net.parameters())}
    for h in handles:
        h.remove()
    o.zero_grad()
    net(x).pow(2).sum().backward()
    out["unclamped_max"] = max(p.grad.abs().max().item() for p in net.parameters())
    return out


def prog_forward_kwargs(lib, seed):
    nn = lib.nn

    class Scaled(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 2).double()

        def forward(self, x, scale=1.0, *, shift=0.0):
            return self.lin(x) * scale + shift

    m = _fill(lib, Scaled(), seed)
    x = lib.tensor(W(seed + 1, 2, 3))
    return {"plain": m(x), "pos": m(x, 2.0), "kw": m(x, scale=3.0, shift=1.0), "kw_only": m(x, shift=-1.0),
            "bad_kw": attempt(lambda: m(x, bogus=1)), "too_many": attempt(lambda: m(x, 1.0, 2.0)),
            "forward_direct": m.forward(x, 0.5)}
