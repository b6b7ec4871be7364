"""Module programs drawn from a seed (tests/pytorch/training_programs.py runs them): state_dict round trips (files,
missing and unexpected keys, strict or not, shapes, prefixes), hooks (forward, pre, full backward, on tensors,
removed, with kwargs), freezing and no_grad, errors on bad input, reprs, nn.init and manual_seed claims; checkpoint
resume of model, optimizer and scheduler, module utilities, RNN states and cells, losses, and the optimizer API."""
import copy
import math
import os
import random
import tempfile


def models(T, c):
    nn = T.nn
    k = c.randrange(8)
    if k == 0:
        return nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)), (5, 3)
    if k == 1:
        return nn.Sequential(nn.Conv2d(2, 3, 3), nn.BatchNorm2d(3), nn.Tanh()), (2, 2, 5, 5)
    if k == 2:
        return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.GELU(), nn.Linear(4, 2)), (5, 3)
    if k == 3:
        return nn.LSTM(3, 4, num_layers=2), (6, 2, 3)
    if k == 4:
        return nn.GRU(3, 4, batch_first=True, bidirectional=True), (2, 6, 3)
    if k == 5:
        return nn.Sequential(nn.Linear(3, 4), nn.LayerNorm(4, elementwise_affine=c.choice([True, False])),
                             nn.Linear(4, 2)), (5, 3)
    if k == 6:
        return nn.Sequential(nn.ConvTranspose2d(2, 2, 2, stride=2), nn.GroupNorm(2, 2), nn.ReLU()), (1, 2, 3, 3)
    return nn.Sequential(nn.Conv1d(2, 4, 2), nn.BatchNorm1d(4, track_running_stats=c.choice([True, False])),
                         nn.ReLU()), (3, 2, 5)


def out0(y):
    return y[0] if isinstance(y, tuple) else y


def p_state_dict(T, R, c):
    nn = T.nn
    m, shape = models(T, c)
    R.init(m)
    x = R.data(*shape)
    m.train()
    out0(m(x)).sum().backward()
    sd = m.state_dict()
    R.v("keys", list(sd.keys()))
    for k, v in sd.items():
        R.t(f"sd.{k}", v)
    m2, _ = models(T, random.Random(c.seed_for_twin))
    R.init(m2)
    kind = c.choice(["roundtrip", "file", "missing", "unexpected", "shape", "prefix"])
    if kind == "roundtrip":
        r = m2.load_state_dict(sd)
        R.v("ret", (sorted(r.missing_keys), sorted(r.unexpected_keys)))
    elif kind == "file":
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "m.pt")
            T.save(m.state_dict(), path)
            r = m2.load_state_dict(T.load(path))
            R.v("ret", (sorted(r.missing_keys), sorted(r.unexpected_keys)))
    elif kind == "missing":
        sd2 = dict(sd)
        dropped = list(sd2)[c.randrange(len(sd2))]
        del sd2[dropped]
        strict = c.choice([True, False])
        r = R.expect_error("load", lambda: m2.load_state_dict(sd2, strict=strict))
        if r is not None:
            R.v("ret", (sorted(r.missing_keys), sorted(r.unexpected_keys)))
    elif kind == "unexpected":
        sd2 = dict(sd)
        sd2["extra.weight"] = T.zeros(2)
        strict = c.choice([True, False])
        r = R.expect_error("load", lambda: m2.load_state_dict(sd2, strict=strict))
        if r is not None:
            R.v("ret", (sorted(r.missing_keys), sorted(r.unexpected_keys)))
    elif kind == "shape":
        sd2 = dict(sd)
        k0 = list(sd2)[0]
        sd2[k0] = T.zeros(7)
        R.expect_error("load", lambda: m2.load_state_dict(sd2, strict=c.choice([True, False])))
    else:
        wrapper = nn.Sequential(m2)
        r = R.expect_error("load", lambda: wrapper.load_state_dict({"0." + k: v for k, v in sd.items()}))
        if r is not None:
            R.v("ret", (sorted(r.missing_keys), sorted(r.unexpected_keys)))
    R.params(m2, "m2")
    R.buffers(m2, "m2buf")
    m2.eval()
    m.eval()
    with T.no_grad():
        R.t("same_out", out0(m2(x)) - out0(m(x)))
    # state_dict holds references: changing the module changes the earlier dict's tensor
    with T.no_grad():
        next(iter(m.parameters())).add_(1.0)
    R.t("sd_shares", sd[next(iter(n for n, _ in m.named_parameters()))])


def p_hooks(T, R, c):
    nn = T.nn
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    R.init(m)
    x = R.data(5, 3, scale=1.0).requires_grad_(c.choice([True, False]))
    seen = []
    kind = c.choice(["fwd", "fwd_mod", "pre", "pre_mod", "bwd", "bwd_pre", "tensor", "remove", "kw", "always"])
    h = None
    if kind == "fwd":
        h = m[0].register_forward_hook(lambda mod, inp, out: seen.append(("fwd", out.detach().clone())))
    elif kind == "fwd_mod":
        h = m[1].register_forward_hook(lambda mod, inp, out: out * 2)
    elif kind == "pre":
        h = m[2].register_forward_pre_hook(lambda mod, inp: seen.append(("pre", inp[0].detach().clone())))
    elif kind == "pre_mod":
        h = m[0].register_forward_pre_hook(lambda mod, inp: (inp[0] * 0.5,))
    elif kind == "bwd":
        h = m[2].register_full_backward_hook(
            lambda mod, gi, go: seen.append(("bwd", [g.clone() if g is not None else None for g in gi + go])))
    elif kind == "bwd_pre":
        h = m[2].register_full_backward_pre_hook(lambda mod, go: (go[0] * 3,))
    elif kind == "tensor":
        def th(g):
            seen.append(("t", g.clone()))
            return g * 2
        m[0].weight.register_hook(th)
    elif kind == "remove":
        h = m[0].register_forward_hook(lambda mod, inp, out: out + 1)
        y0 = m(x)
        h.remove()
        R.t("before_remove", y0)
    elif kind == "kw":
        h = m[0].register_forward_hook(lambda mod, args, kwargs, out: seen.append(("kw", sorted(kwargs))),
                                       with_kwargs=True)
    else:
        h = m[2].register_forward_hook(lambda mod, inp, out: out - 1, prepend=True)
    y = m(x)
    R.t("y", y)
    loss = (y ** 2).sum()
    loss.backward()
    R.grads(m)
    if x.requires_grad:
        R.t("xgrad", x.grad)
    for i, (k, v) in enumerate(seen):
        R.t(f"seen{i}.{k}", v if not isinstance(v, list) else v)


def p_freeze(T, R, c):
    nn = T.nn
    m = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    R.init(m)
    kind = c.choice(["rg_false", "nograd", "detach", "eval_bn", "shared", "accum"])
    x = R.data(6, 3)
    opt = T.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
    if kind == "rg_false":
        m[0].requires_grad_(False)
        for _ in range(3):
            opt.zero_grad()
            m(x).pow(2).mean().backward()
            opt.step()
        R.t("w0grad", m[0].weight.grad)
    elif kind == "nograd":
        with T.no_grad():
            y = m(x)
        R.t("y", y)
        R.expect_error("backward", lambda: y.sum().backward())
    elif kind == "detach":
        h = m[0](x).detach()
        y = m[2](T.relu(h))
        y.sum().backward()
        R.t("w0grad", m[0].weight.grad)
    elif kind == "eval_bn":
        bn = nn.BatchNorm1d(3, momentum=c.choice([0.1, None]))
        for _i in range(3):
            bn(R.data(6, 3))
        R.buffers(bn)
        bn.eval()
        R.t("eval_out", bn(x))
        bn.train()
        bn.track_running_stats = c.choice([True, False])
        R.t("train_out", bn(x))
        R.buffers(bn, "buf2")
    elif kind == "shared":
        lin = nn.Linear(3, 3)
        R.init(lin)
        seq = nn.Sequential(lin, nn.Tanh(), lin)
        R.v("nparams", len(list(seq.parameters())))
        R.v("names", [n for n, _ in seq.named_parameters()])
        R.v("sd", list(seq.state_dict().keys()))
        seq(x).sum().backward()
        R.grads(seq)
    else:
        for k in range(3):
            (m(x[2 * k:2 * k + 2]).sum() / 3).backward()
        R.grads(m, "acc")
        opt.zero_grad(set_to_none=False)
        R.grads(m, "zeroed")
        opt.zero_grad()
        R.grads(m, "none")
    opt.step()
    R.params(m)


def p_errors(T, R, c):
    nn = T.nn
    kind = c.randrange(16)
    if kind == 0:
        R.expect_error("linear_shape", lambda: nn.Linear(3, 2)(R.data(4, 5)))
    elif kind == 1:
        R.expect_error("conv_chan", lambda: nn.Conv2d(3, 2, 3)(R.data(1, 2, 5, 5)))
    elif kind == 2:
        R.expect_error("conv_small", lambda: nn.Conv2d(2, 2, 5)(R.data(1, 2, 3, 3)))
    elif kind == 3:
        R.expect_error("ce_target_float_shape", lambda: nn.CrossEntropyLoss()(R.data(4, 3), R.data(4)))
    elif kind == 4:
        R.expect_error("ce_out_of_range", lambda: nn.CrossEntropyLoss()(R.data(4, 3), T.tensor([0, 1, 5, 2])))
    elif kind == 5:
        R.expect_error("mse_shape", lambda: nn.MSELoss()(R.data(4, 3), R.data(4, 2)))
    elif kind == 6:
        R.expect_error("embed_oob", lambda: nn.Embedding(5, 2)(T.tensor([1, 7])))
    elif kind == 7:
        R.expect_error("embed_float", lambda: nn.Embedding(5, 2)(T.tensor([1.0, 2.0])))
    elif kind == 8:
        R.expect_error("bn_chan", lambda: nn.BatchNorm1d(3)(R.data(4, 5)))
    elif kind == 9:
        R.expect_error("bn_one", lambda: nn.BatchNorm1d(3)(R.data(1, 3)))
    elif kind == 10:
        R.expect_error("lstm_size", lambda: nn.LSTM(3, 4)(R.data(5, 2, 6)))
    elif kind == 11:
        R.expect_error("dtype_float32_into_64", lambda: nn.Linear(3, 2)(T.ones(4, 3, dtype=T.float32)))
    elif kind == 12:
        R.expect_error("opt_lr_neg", lambda: T.optim.SGD(nn.Linear(2, 2).parameters(), lr=-1))
    elif kind == 13:
        R.expect_error("opt_nesterov", lambda: T.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1, nesterov=True))
    elif kind == 14:
        R.expect_error("opt_empty", lambda: T.optim.Adam([], lr=0.1))
    else:
        R.expect_error("bce_range", lambda: nn.BCELoss()(T.tensor([0.5, 1.5]), T.tensor([0.0, 1.0])))
    kind2 = c.randrange(14)
    p = nn.Parameter(T.ones(2))
    if kind2 == 0:
        R.expect_error("adam_beta", lambda: T.optim.Adam([p], betas=(1.0, 0.9)))
    elif kind2 == 1:
        R.expect_error("opt_named_mixed", lambda: T.optim.SGD([("a", p), nn.Parameter(T.ones(1))], lr=0.1))
    elif kind2 == 2:
        R.expect_error("opt_dup_groups", lambda: T.optim.SGD([{"params": [p]}, {"params": [p]}], lr=0.1))
    elif kind2 == 3:
        R.expect_error("opt_tensor", lambda: T.optim.SGD(p, lr=0.1))
    elif kind2 == 4:
        R.expect_error("sched_no_initial", lambda: T.sched.StepLR(T.optim.SGD([p], lr=0.1), 2, last_epoch=3))
    elif kind2 == 5:
        R.expect_error("groupnorm", lambda: nn.GroupNorm(3, 4))
    elif kind2 == 6:
        R.expect_error("clip_nonfinite", lambda: _clip_nonfinite(T, p))
    elif kind2 == 7:
        R.expect_error("dropout_p", lambda: nn.Dropout(1.5))
    elif kind2 == 8:
        R.expect_error("seq_index", lambda: nn.Sequential(nn.ReLU())[3])
    elif kind2 == 9:
        R.expect_error("moduledict_key", lambda: nn.ModuleDict({"a": nn.ReLU()})["b"])
    elif kind2 == 10:
        R.expect_error("add_module_dot", lambda: nn.Module().add_module("a.b", nn.ReLU()))
    elif kind2 == 11:
        R.expect_error("param_nonleaf", lambda: setattr(nn.Linear(2, 2), "weight", T.ones(2, 2)))
    elif kind2 == 12:
        R.expect_error("rmsprop_alpha", lambda: T.optim.RMSprop([p], lr=0.1, alpha=-0.5))
    else:
        R.expect_error("add_param_group_dup", lambda: T.optim.SGD([p], lr=0.1).add_param_group({"params": [p]}))


def _clip_nonfinite(T, p):
    p.grad = T.tensor([float("nan"), 1.0])
    return T.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


def p_repr(T, R, c):
    nn = T.nn
    mods = [nn.Linear(3, 4, bias=False), nn.Conv2d(2, 3, (3, 2), stride=2, padding=1, dilation=1, groups=1),
            nn.ConvTranspose2d(2, 4, 3, stride=2, output_padding=1), nn.BatchNorm1d(4, momentum=None),
            nn.BatchNorm2d(3, affine=False), nn.LayerNorm((3, 4)), nn.GroupNorm(2, 4), nn.Dropout(0.2),
            nn.Embedding(10, 3, padding_idx=0), nn.LSTM(3, 4, num_layers=2, batch_first=True),
            nn.GRU(2, 3, bidirectional=True), nn.RNN(2, 3, nonlinearity="relu"), nn.LeakyReLU(0.2),
            nn.ELU(alpha=0.5), nn.Softmax(dim=1), nn.Flatten(), nn.Hardtanh(-2, 2), nn.PReLU(3),
            nn.MaxPool2d(2), nn.AvgPool2d(3, stride=1, padding=1), nn.Upsample(scale_factor=2),
            nn.CrossEntropyLoss(), nn.MSELoss(reduction="sum"), nn.Conv1d(2, 3, 3, padding="same"),
            nn.InstanceNorm2d(3), nn.Identity(), nn.GELU(approximate="tanh"), nn.Softplus(beta=2),
            nn.Threshold(0.1, 20), nn.Embedding(4, 2, max_norm=1.0), nn.Unflatten(1, (2, 2)),
            nn.AdaptiveAvgPool2d((1, 1)), nn.ReLU(inplace=True), nn.SiLU(), nn.Dropout2d(), nn.Tanh()]
    c.shuffle(mods)
    k = c.randrange(4)
    if k == 0:
        for mm in mods[:6]:
            R.v("repr", repr(mm))
    elif k == 1:
        seq = nn.Sequential(*[m for m in mods[:4]])
        R.v("repr", repr(seq))
    elif k == 2:
        md = nn.ModuleDict({"a": mods[0], "b": nn.ModuleList(mods[1:3])})
        R.v("repr", repr(md))
    else:
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self.body = nn.Sequential(mods[0], mods[1])
                self.head = mods[2]
        R.v("repr", repr(Net()))
    opt = T.optim.SGD(nn.Linear(2, 2).parameters(), lr=0.1, momentum=0.9)
    R.v("opt_repr", repr(opt) if c.random() < 0.3 else "skip")


def p_init(T, R, c):
    nn = T.nn
    lin = nn.Linear(5, 7)
    conv = nn.Conv2d(3, 4, 3)
    T.manual_seed(c.randrange(100))
    # determinism inside one library: the same seed gives the same weights
    a = nn.Linear(4, 3).weight.detach().clone()
    T.manual_seed(7)
    b = nn.Linear(4, 3).weight.detach().clone()
    T.manual_seed(7)
    b2 = nn.Linear(4, 3).weight.detach().clone()
    R.v("same_seed_same", bool((b == b2).all()))
    R.v("bound_ok", bool((a.abs() <= 0.5 + 1e-12).all()))
    fn = c.choice(["zeros_", "ones_", "constant_", "eye_", "dirac_", "calc_gain", "fan", "orth_shape"])
    if fn == "zeros_":
        R.t("w", nn.init.zeros_(lin.weight))
    elif fn == "ones_":
        R.t("w", nn.init.ones_(lin.bias))
    elif fn == "constant_":
        R.t("w", nn.init.constant_(conv.weight, 0.3))
    elif fn == "eye_":
        R.t("w", nn.init.eye_(lin.weight))
    elif fn == "dirac_":
        R.t("w", nn.init.dirac_(nn.Conv2d(3, 6, 3).weight, groups=c.choice([1, 3])))
    elif fn == "calc_gain":
        for nl in ["linear", "conv2d", "sigmoid", "tanh", "relu", "selu"]:
            R.v(f"gain.{nl}", nn.init.calculate_gain(nl))
        R.v("gain.leaky", nn.init.calculate_gain("leaky_relu", 0.2))
    elif fn == "fan":
        w = conv.weight
        for mode in ["fan_in", "fan_out"]:
            T.manual_seed(0)
            nn.init.kaiming_uniform_(w, a=0.1, mode=mode, nonlinearity="leaky_relu")
            fan = 3 * 9 if mode == "fan_in" else 4 * 9
            bound = math.sqrt(2 / (1 + 0.01)) * math.sqrt(3 / fan)
            R.v(f"bound.{mode}", bool(w.abs().max().item() <= bound + 1e-12))
            R.v(f"rg.{mode}", w.requires_grad)
    else:
        w = T.empty(3, 5)
        nn.init.orthogonal_(w)
        R.t("wwT", w @ w.T)
    R.v("rg", lin.weight.requires_grad)
    R.v("is_leaf", lin.weight.is_leaf)


MISC = [p_state_dict, p_hooks, p_freeze, p_errors, p_repr, p_init]


def program_misc(seed):
    fam = MISC[seed % len(MISC)]

    def prog(T, R):
        c = random.Random(seed)
        c.seed_for_twin = seed
        fam(T, R, c)
    return prog


def small(T, c):
    nn = T.nn
    act = c.choice([nn.ReLU, nn.Tanh, nn.ELU])
    return nn.Sequential(nn.Linear(3, 5, bias=False), nn.BatchNorm1d(5), act(), nn.Linear(5, 2))


def opt_of(T, c, params):
    o = T.optim
    k = c.choice(["sgdm", "adam", "adamw", "rmsprop", "adagrad", "nadam", "radam", "adamax", "adadelta"])
    return k, {"sgdm": lambda: o.SGD(params, lr=0.05, momentum=0.9, nesterov=True),
               "adam": lambda: o.Adam(params, lr=0.01, amsgrad=True),
               "adamw": lambda: o.AdamW(params, lr=0.01),
               "rmsprop": lambda: o.RMSprop(params, lr=0.01, centered=True, momentum=0.3),
               "adagrad": lambda: o.Adagrad(params, lr=0.05),
               "nadam": lambda: o.NAdam(params, lr=0.01),
               "radam": lambda: o.RAdam(params, lr=0.01),
               "adamax": lambda: o.Adamax(params, lr=0.01),
               "adadelta": lambda: o.Adadelta(params)}[k]()


def p_resume(T, R, c):
    """Train 3 steps, checkpoint model+optimizer+scheduler to a file, load into fresh objects, train 3 more:
    the resumed run must equal an uninterrupted one."""
    seed = c.random()
    c1 = random.Random(seed)
    m = small(T, c1)
    R.init(m)
    ok, opt = opt_of(T, c1, m.parameters())
    sched = T.sched.StepLR(opt, step_size=2, gamma=0.5)
    R.v("opt", ok)
    X, y = R.data(8, 3), R.data(8, 2)

    def step(m, opt, sched, tag):
        opt.zero_grad()
        loss = T.nn.functional.mse_loss(m(X), y)
        loss.backward()
        opt.step()
        sched.step()
        R.t(tag, loss)
    for i in range(3):
        step(m, opt, sched, f"a{i}")
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "ckpt.pt")
        T.save({"model": m.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "epoch": 3}, path)
        ck = T.load(path, weights_only=c.choice([True, False]))
    R.v("epoch", ck["epoch"])
    c2 = random.Random(seed)
    m2 = small(T, c2)
    _, opt2 = opt_of(T, c2, m2.parameters())
    sched2 = T.sched.StepLR(opt2, step_size=2, gamma=0.5)
    m2.load_state_dict(ck["model"])
    opt2.load_state_dict(ck["opt"])
    sched2.load_state_dict(ck["sched"])
    R.v("lr_after_load", [g["lr"] for g in opt2.param_groups])
    for i in range(3):
        step(m, opt, sched, f"b{i}")
        step(m2, opt2, sched2, f"c{i}")
    R.params(m2, "m2")
    R.buffers(m2, "m2b")
    R.opt_state(opt2, "opt2")
    R.v("last_lr", sched2.get_last_lr())


def p_module_utils(T, R, c):
    nn = T.nn
    k = c.randrange(12)
    m = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Sequential(nn.Linear(4, 4), nn.Tanh()), nn.Linear(4, 2))
    R.init(m)
    if k == 0:
        R.v("named_modules", [n for n, _ in m.named_modules()])
        R.v("children", [type(x).__name__ for x in m.children()])
        R.v("named_children", [n for n, _ in m.named_children()])
        R.v("nparams", sum(p.numel() for p in m.parameters()))
    elif k == 1:
        def init_fn(mod):
            if isinstance(mod, nn.Linear):
                nn.init.constant_(mod.weight, 0.1)
                nn.init.zeros_(mod.bias)
        r = m.apply(init_fn)
        R.v("apply_returns_self", r is m)
        R.params(m)
    elif k == 2:
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(2, 2)
                self.register_buffer("count", T.zeros(1))
                self.register_buffer("tmp", T.ones(2), persistent=False)

            def forward(self, x):
                self.count += 1
                return self.lin(x) * self.tmp
        mm = M()
        R.init(mm)
        mm(R.data(3, 2))
        mm(R.data(3, 2))
        R.v("sd_keys", list(mm.state_dict().keys()))
        R.v("buffers", [n for n, _ in mm.named_buffers()])
        R.t("count", mm.count)
        mm2 = M()
        r = mm2.load_state_dict(mm.state_dict())
        R.t("count2", mm2.count)
        R.v("ret", (r.missing_keys, r.unexpected_keys))
    elif k == 3:
        m2 = copy.deepcopy(m)
        with T.no_grad():
            m2[0].weight.mul_(2)
        R.t("orig", m[0].weight)
        R.t("copy", m2[0].weight)
        R.v("is_param", isinstance(m2[0].weight, nn.Parameter))
    elif k == 4:
        R.v("get_submodule", type(m.get_submodule("2.0")).__name__)
        R.t("get_parameter", m.get_parameter("2.0.bias"))
        R.expect_error("bad_sub", lambda: m.get_submodule("5"))
        R.expect_error("bad_param", lambda: m.get_parameter("2.0.nope"))
    elif k == 5:
        v = T.nn.utils.parameters_to_vector(m.parameters())
        R.t("vec", v)
        T.nn.utils.vector_to_parameters(v * 2, m.parameters())
        R.params(m)
    elif k == 6:
        m.requires_grad_(False)
        R.v("rg", [p.requires_grad for p in m.parameters()])
        m[3].requires_grad_()
        x = R.data(4, 3)
        y = m(x).sum()
        y.backward()
        R.grads(m)
    elif k == 7:
        m.train(False)
        R.v("training", [x.training for x in m.modules()])
        m.train()
        R.v("training2", [x.training for x in m.modules()])
        R.v("eval_ret", m.eval() is m)
    elif k == 8:
        x = R.data(4, 3)
        m(x).sum().backward()
        m.zero_grad(set_to_none=c.choice([True, False]))
        R.grads(m)
    elif k == 9:
        md = m.double() if c.random() < 0.5 else m.to(T.float32)
        R.v("dtypes", [str(p.dtype).split(".")[-1] for p in md.parameters()])
        R.v("same_obj", md is m)
        R.v("is_param", all(isinstance(p, nn.Parameter) for p in md.parameters()))
    elif k == 10:
        ml = nn.ModuleList([nn.Linear(2, 2)])
        ml.append(nn.ReLU())
        ml.extend([nn.Tanh(), nn.Linear(2, 1)])
        ml.insert(1, nn.Sigmoid())
        R.v("ml", repr(ml))
        R.v("len", len(ml))
        R.v("slice", repr(ml[1:3]))
        del ml[0]
        R.v("after_del", [type(x).__name__ for x in ml])
        seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
        seq.append(nn.Linear(2, 3))
        R.v("seq", repr(seq[-2:]))
        R.v("seq_len", len(seq))
    else:
        pd = nn.ParameterList([nn.Parameter(T.ones(2)), nn.Parameter(T.zeros(3))])
        R.v("pl", len(pd))
        R.v("pl_names", [n for n, _ in nn.Sequential().named_parameters()])

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.ps = pd
                self.scale = nn.Parameter(T.tensor(2.0))
        mm = M()
        R.v("names", [n for n, _ in mm.named_parameters()])
        R.v("sd", list(mm.state_dict()))


def p_rnn(T, R, c):
    nn = T.nn
    cls = c.choice([nn.RNN, nn.GRU, nn.LSTM])
    L = c.choice([1, 2])
    bi = c.choice([True, False])
    bf = c.choice([True, False])
    kw = {"nonlinearity": c.choice(["tanh", "relu"])} if cls is nn.RNN else {}
    if cls is nn.LSTM and c.random() < 0.3:
        kw["proj_size"] = 2
    rnn = cls(3, 4, num_layers=L, bidirectional=bi, batch_first=bf, **kw)
    R.init(rnn)
    R.v("names", [n for n, _ in rnn.named_parameters()])
    D = 2 if bi else 1
    batched = c.random() < 0.8
    x = R.data(2, 5, 3) if bf else R.data(5, 2, 3)
    if not batched:
        x = R.data(5, 3)
    x.requires_grad_(True)
    hout = kw.get("proj_size", 4)
    hshape = (D * L, 2, hout) if batched else (D * L, hout)
    cshape = (D * L, 2, 4) if batched else (D * L, 4)
    use_h = c.random() < 0.5
    if use_h:
        h0 = R.data(*hshape).requires_grad_(True)
        if cls is nn.LSTM:
            c0 = R.data(*cshape)
            out, (h, cc) = rnn(x, (h0, c0))
        else:
            out, h = rnn(x, h0)
    else:
        out, h = rnn(x)
        if cls is nn.LSTM:
            h, cc = h
    R.t("out", out)
    R.t("h", h)
    (out.pow(2).sum() + h.sum()).backward()
    R.grads(rnn)
    R.t("xgrad", x.grad)
    if use_h:
        R.t("h0grad", h0.grad)
    # wrong hidden shape
    R.expect_error("bad_h", lambda: rnn(x, T.zeros(7, 2, hout)) if cls is not nn.LSTM else
                   rnn(x, (T.zeros(7, 2, hout), T.zeros(7, 2, 4))))
    cell = {nn.RNN: nn.RNNCell, nn.GRU: nn.GRUCell, nn.LSTM: nn.LSTMCell}[cls](3, 4)
    R.init(cell)
    hx = None
    xs = R.data(5, 2, 3)
    for t in range(5):
        hx = cell(xs[t], hx)
    R.t("cell", hx)


def p_losses(T, R, c):
    nn = T.nn
    F = T.F
    k = c.randrange(12)
    red = c.choice(["mean", "sum", "none"])
    x = R.data(6, 4).requires_grad_(True)
    if k == 0:
        t = T.tensor([0, 1, -100, 3, -100, 2])
        loss = nn.CrossEntropyLoss(reduction=red)(x, t)
    elif k == 1:
        t = T.tensor([-100] * 6)
        loss = nn.CrossEntropyLoss(reduction=red)(x, t)
    elif k == 2:
        t = T.tensor([0, 1, 2, 3, 2, 1])
        w = T.tensor([1.0, 0.0, 2.0, 0.5])
        loss = nn.CrossEntropyLoss(weight=w, reduction=red, label_smoothing=c.choice([0.0, 0.25]),
                                   ignore_index=c.choice([-100, 2]))(x, t)
    elif k == 3:
        xi = R.data(3, 4, 2, 2).requires_grad_(True)
        x = xi
        t = R.ints(4, 3, 2, 2)
        loss = nn.CrossEntropyLoss(reduction=red, weight=T.tensor([0.5, 1.0, 1.5, 2.0]))(xi, t)
    elif k == 4:
        t = T.tensor([0, 3, 1, 1, 2, 0])
        loss = nn.NLLLoss(reduction=red, ignore_index=1)(F.log_softmax(x, 1), t)
    elif k == 5:
        t = T.tensor((R.rng.random((6, 4)) > 0.5).astype(float))
        loss = nn.BCEWithLogitsLoss(reduction=red, weight=R.data(4).abs(), pos_weight=R.data(4).abs())(x, t)
    elif k == 6:
        t = R.data(6, 4)
        loss = nn.HuberLoss(reduction=red, delta=0.3)(x, t) + nn.SmoothL1Loss(reduction=red, beta=0.0)(x, t)
    elif k == 7:
        t = R.data(6, 4)
        loss = nn.KLDivLoss(reduction=c.choice(["batchmean", "sum", "none", "mean"]), log_target=True)(
            F.log_softmax(x, 1), F.log_softmax(t, 1))
        red = "none"
    elif k == 8:
        t = R.data(6, 4)
        var = R.data(6, 4).abs() + 0.1
        loss = nn.GaussianNLLLoss(reduction=red, full=c.choice([True, False]))(x, t, var)
    elif k == 9:
        t = R.data(6, 4).abs()
        loss = nn.PoissonNLLLoss(reduction=red, log_input=c.choice([True, False]), full=c.choice([True, False]))(
            x, t)
    elif k == 10:
        a, b = R.data(6, 4).requires_grad_(), R.data(6, 4)
        t = T.tensor([1, -1, 1, 1, -1, -1])
        loss = nn.CosineEmbeddingLoss(margin=0.2, reduction=red)(x, a, t) + \
            nn.MarginRankingLoss(margin=0.1, reduction=red)(x[:, 0], b[:, 0], t)
    else:
        t = T.tensor((R.rng.random((6, 4)) > 0.5).astype(float))
        loss = nn.MultiLabelSoftMarginLoss(reduction=red)(x, t) + \
            nn.SoftMarginLoss(reduction=red)(x, 2 * t - 1).mean(dim=-1 if red == "none" else None) if red == "none" \
            else nn.MultiLabelSoftMarginLoss(reduction=red)(x, t) + nn.SoftMarginLoss(reduction=red)(x, 2 * t - 1)
    R.t("loss", loss)
    (loss.sum() if red == "none" else loss).backward()
    R.t("grad", x.grad)


def p_optim_api(T, R, c):
    nn = T.nn
    m = nn.Linear(3, 2)
    R.init(m)
    x, y = R.data(5, 3), R.data(5, 2)
    k = c.randrange(8)
    if k == 0:
        opt = T.optim.SGD([m.weight], lr=0.1)
        opt.add_param_group({"params": [m.bias], "lr": 0.01, "momentum": 0.5})
        R.v("groups", [{kk: vv for kk, vv in g.items() if kk != "params"} for g in opt.param_groups])
    elif k == 1:
        opt = T.optim.Adam(m.parameters(), lr=0.1, maximize=True)
    elif k == 2:
        opt = T.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, maximize=True, weight_decay=0.1)
    elif k == 3:
        opt = T.optim.AdamW([{"params": [m.weight], "weight_decay": 0.5}, {"params": [m.bias]}], lr=0.1)
    elif k == 4:
        opt = T.optim.SGD(m.named_parameters(), lr=0.1, momentum=c.choice([0.0, 0.9]))
    elif k == 5:
        opt = T.optim.Adam(m.parameters(), lr=0.1, betas=(0.0, 0.0))
    elif k == 6:
        opt = T.optim.RMSprop(m.parameters(), lr=0.01, maximize=c.choice([True, False]), eps=0.1)
    else:
        opt = T.optim.Adagrad(m.parameters(), lr=0.1, eps=0.5, maximize=True)

    def closure():
        opt.zero_grad()
        loss = T.F.mse_loss(m(x), y)
        loss.backward()
        return loss
    for i in range(4):
        r = opt.step(closure)
        R.t(f"closure_ret{i}", r)
    R.params(m)
    R.opt_state(opt)
    R.v("defaults", sorted(k for k in opt.defaults))
    sd = opt.state_dict()
    R.v("group_keys", sorted(sd["param_groups"][0]))


MORE = [p_resume, p_module_utils, p_rnn, p_losses, p_optim_api]


def program_more(seed):
    fam = MORE[seed % len(MORE)]

    def prog(T, R):
        fam(T, R, random.Random(seed))
    return prog
