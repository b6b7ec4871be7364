"""Corner programs drawn from a seed (tests/pytorch/training_programs.py runs them): the warnings a training loop
gets, tied weights, module API options (prefix, keep_vars, remove_duplicate, ModuleDict, Sequential editing, hooks
with kwargs), clip_grad corners, grad modes, norm-layer options, Embedding max_norm, optimizer skips, RNN hooks."""
import collections
import copy
import random
import warnings


def W(R, label, fn):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = R.expect_error(label, fn)
    R.v(label + ".warn", sorted({c.category.__name__ for c in w if not issubclass(c.category, DeprecationWarning)}))
    return out


def p_warn(T, R, c):
    nn = T.nn
    m = nn.Linear(2, 2)
    opt = T.optim.SGD(m.parameters(), lr=0.1)
    k = c.randrange(6)
    if k == 0:
        s = T.sched.StepLR(opt, 1)
        W(R, "sched_before_opt", lambda: s.step())
    elif k == 1:
        s = T.sched.MultiStepLR(opt, [1])
        m.weight.grad = T.ones(2, 2)
        opt.step()
        W(R, "sched_after_opt", lambda: s.step())
    elif k == 2:
        W(R, "mse_broadcast", lambda: nn.MSELoss()(R.data(4, 1), R.data(4)))
    elif k == 3:
        W(R, "l1_broadcast", lambda: nn.L1Loss()(R.data(3), R.data(2, 3)))
    elif k == 4:
        W(R, "softmax_nodim", lambda: nn.Softmax()(R.data(2, 3)))
    else:
        W(R, "step_epoch", lambda: T.sched.ExponentialLR(opt, 0.5).step(1))


def p_tied(T, R, c):
    nn = T.nn

    class LM(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(6, 4)
            self.rnn = nn.GRU(4, 4, batch_first=True)
            self.out = nn.Linear(4, 6, bias=c.choice([True, False]))
            self.out.weight = self.emb.weight

        def forward(self, x):
            h, _ = self.rnn(self.emb(x))
            return self.out(h)
    m = LM()
    R.init(m)
    R.v("n", len(list(m.parameters())))
    R.v("names", [n for n, _ in m.named_parameters()])
    R.v("names_dup", [n for n, _ in m.named_parameters(remove_duplicate=False)])
    R.v("sd", list(m.state_dict()))
    opt = T.optim.Adam(m.parameters(), lr=0.01)
    x = R.ints(6, 2, 5)
    for i in range(3):
        opt.zero_grad()
        out = m(x)
        loss = T.F.cross_entropy(out.reshape(-1, 6), x.reshape(-1))
        loss.backward()
        opt.step()
        R.t(f"loss{i}", loss)
    R.v("still_tied", m.out.weight is m.emb.weight)
    R.params(m)


def p_api(T, R, c):
    nn = T.nn
    k = c.randrange(14)
    m = nn.Sequential(collections.OrderedDict([("fc1", nn.Linear(3, 4)), ("act", nn.ReLU()),
                                               ("fc2", nn.Linear(4, 2))]))
    R.init(m)
    if k == 0:
        R.v("names", [n for n, _ in m.named_parameters(prefix="model")])
        R.v("names_norec", [n for n, _ in m.named_parameters(recurse=False)])
        R.v("sd_prefix", list(m.state_dict(prefix="p.")))
        R.v("keep_vars", [type(v).__name__ for v in m.state_dict(keep_vars=True).values()])
        R.v("rg_sd", [v.requires_grad for v in m.state_dict().values()])
        R.v("rg_keep", [v.requires_grad for v in m.state_dict(keep_vars=True).values()])
    elif k == 1:
        R.v("fc1", repr(m.fc1))
        R.v("idx", repr(m[0]))
        del m.act
        R.v("after_del", [n for n, _ in m.named_children()])
    elif k == 2:
        class Bad(nn.Module):
            def __init__(self):
                self.lin = nn.Linear(2, 2)
        R.expect_error("no_super", lambda: Bad())
    elif k == 3:
        md = nn.ModuleDict({"b": nn.Linear(2, 2), "a": nn.ReLU()})
        md.update({"c": nn.Tanh()})
        R.v("keys", list(md.keys()))
        p = md.pop("b")
        R.v("popped", type(p).__name__)
        R.v("keys2", list(md.keys()))
        R.v("contains", "a" in md)
        R.v("len", len(md))
    elif k == 4:
        sd = m.state_dict()
        m2 = nn.Sequential(collections.OrderedDict([("fc1", nn.Linear(3, 4)), ("act", nn.ReLU()),
                                                    ("fc2", nn.Linear(4, 2))]))
        R.init(m2)
        r = m2.load_state_dict(sd, strict=False)
        R.v("ret", (list(r.missing_keys), list(r.unexpected_keys)))
        R.v("is_param", isinstance(m2.fc1.weight, nn.Parameter))
        R.v("rg", m2.fc1.weight.requires_grad)
        R.params(m2)
    elif k == 5:
        m.register_buffer("none_buf", None)
        m.register_parameter("none_p", None)
        R.v("sd", list(m.state_dict()))
        R.v("bufs", [n for n, _ in m.named_buffers()])
        R.v("attr", m.none_buf is None and m.none_p is None)
    elif k == 6:
        R.expect_error("reg_param_tensor", lambda: m.register_parameter("x", T.ones(2)))
        R.expect_error("reg_buf_exists", lambda: m.register_buffer("fc1", T.ones(2)))
        R.expect_error("reg_buf_dot", lambda: m.register_buffer("a.b", T.ones(2)))
        R.expect_error("reg_buf_nontensor", lambda: m.register_buffer("z", [1, 2]))
    elif k == 7:
        x = R.data(5, 3)
        mm = m.to(T.float32)
        R.v("out32", (str(mm(x.float()).dtype).split(".")[-1], tuple(mm(x.float()).shape)))
        R.expect_error("mixed", lambda: mm(x))
    elif k == 8:
        R.v("extra", m.fc1.extra_repr())
        R.v("str", str(m))
    elif k == 9:
        x = R.data(4, 3)
        m(x).sum().backward()
        m.zero_grad()
        R.v("none", [p.grad is None for p in m.parameters()])
    elif k == 10:
        m2 = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 3))
        R.init(m2)
        R.v("modules", [type(x).__name__ for x in m2.modules()])
        R.v("named_mods_memo", [n for n, _ in nn.Sequential(m2, m2).named_modules()])
        R.v("named_mods_dup", [n for n, _ in nn.Sequential(m2, m2).named_modules(remove_duplicate=False)])
    elif k == 11:
        class KW(nn.Module):
            def __init__(self):
                super().__init__()
                self.lin = nn.Linear(3, 2)

            def forward(self, x, scale=1.0):
                return self.lin(x) * scale
        kw = KW()
        R.init(kw)
        seen = []
        kw.register_forward_pre_hook(lambda mod, args, kwargs: (args, {"scale": kwargs.get("scale", 1.0) * 2}),
                                     with_kwargs=True)
        kw.register_forward_hook(lambda mod, args, kwargs, out: seen.append(sorted(kwargs)), with_kwargs=True)
        R.t("out", kw(R.data(2, 3), scale=3.0))
        R.v("seen", seen)
    elif k == 12:
        seq = nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
        seq2 = seq[0:2]
        R.v("type", type(seq2).__name__)
        R.v("repr", repr(seq2))
        seq.insert(1, nn.Tanh())
        R.v("after_insert", [type(x).__name__ for x in seq])
        seq.pop(1)
        R.v("after_pop", [type(x).__name__ for x in seq])
        R.v("add", repr(seq + nn.Sequential(nn.Sigmoid())))
    else:
        R.v("params_list_len", len(list(m.parameters(recurse=False))))
        R.v("buffers", list(m.buffers()))
        R.v("training", m.training)
        R.v("type_repr", repr(nn.Parameter(T.ones(1))).splitlines()[0])


def p_clip(T, R, c):
    nn = T.nn
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    R.init(m)
    x = R.data(5, 3)
    (m(x) ** 2).sum().backward()
    k = c.randrange(9)
    ps = list(m.parameters())
    if k == 0:
        ps[1].grad = None
        R.t("norm", T.utils.clip_grad_norm_(ps, 0.1))
    elif k == 1:
        R.t("norm", T.utils.clip_grad_norm_(ps[0], 0.1, norm_type=1))
    elif k == 2:
        R.t("norm", T.utils.clip_grad_norm_(ps, 100.0, norm_type=3.0))
    elif k == 3:
        R.t("norm", T.utils.clip_grad_norm_(ps, 0.1, norm_type="inf"))
    elif k == 4:
        for p in ps:
            p.grad = None
        R.t("norm", T.utils.clip_grad_norm_(ps, 0.1))
    elif k == 5:
        ps[0].grad[0, 0] = float("inf")
        R.t("norm", T.utils.clip_grad_norm_(ps, 0.1))
    elif k == 6:
        R.t("ret", T.utils.clip_grad_value_(ps, 0.01))
    elif k == 7:
        R.t("norm", T.utils.clip_grad_norm_(ps, 0.1, foreach=c.choice([True, False, None])))
    else:
        R.t("norm", T.utils.clip_grad_norm_(iter(ps), 0.0))
    R.grads(m)


def p_gradmode(T, R, c):
    nn = T.nn
    m = nn.Linear(3, 2)
    R.init(m)
    x = R.data(4, 3)
    k = c.randrange(7)
    if k == 0:
        @T.no_grad()
        def ev(z):
            return m(z)
        y = ev(x)
        R.v("rg", y.requires_grad)
    elif k == 1:
        with T.no_grad():
            with T.enable_grad():
                y = m(x)
        R.v("rg", y.requires_grad)
    elif k == 2:
        with T.set_grad_enabled(False):
            y = m(x)
        R.v("rg", y.requires_grad)
        R.v("enabled", T.is_grad_enabled())
    elif k == 3:
        with T.inference_mode():
            y = m(x)
        R.v("rg", y.requires_grad)
    elif k == 4:
        y = m(x)
        loss = y.sum()
        loss.backward(retain_graph=True)
        loss.backward()
        R.grads(m)
    elif k == 5:
        y = m(x).sum()
        y.backward()
        R.expect_error("twice", lambda: y.backward())
    else:
        y = m(x)
        g = T.autograd.grad(y.sum(), list(m.parameters()), create_graph=True)
        pen = sum((gg ** 2).sum() for gg in g)
        pen.backward()
        R.grads(m)


def p_bn(T, R, c):
    nn = T.nn
    k = c.randrange(6)
    if k == 0:
        bn = nn.BatchNorm1d(3, momentum=None)
        for _i in range(4):
            bn(R.data(5, 3))
        R.buffers(bn)
    elif k == 1:
        bn = nn.BatchNorm2d(2, track_running_stats=False)
        bn.eval()
        R.t("out", bn(R.data(3, 2, 2, 2)))
        R.buffers(bn)
    elif k == 2:
        bn = nn.BatchNorm1d(3)
        R.init(bn)
        x = R.data(4, 3, 5).requires_grad_()
        y = bn(x)
        (y ** 3).sum().backward()
        R.t("xg", x.grad)
        R.grads(bn)
        R.buffers(bn)
    elif k == 3:
        bn = nn.BatchNorm1d(3)
        bn(R.data(5, 3))
        sd = bn.state_dict()
        R.v("keys", list(sd))
        R.t("nbt", sd["num_batches_tracked"])
        bn2 = nn.BatchNorm1d(3)
        del sd["running_var"]
        r = R.expect_error("load", lambda: bn2.load_state_dict(sd, strict=c.choice([True, False])))
        r = r if r is not None else bn2.load_state_dict(sd, strict=False)
        R.v("ret", (list(r.missing_keys), list(r.unexpected_keys)))
    elif k == 4:
        ln = nn.LayerNorm([2, 3], eps=1e-3, bias=c.choice([True, False]))
        R.init(ln)
        x = R.data(4, 2, 3).requires_grad_()
        (ln(x) ** 2).sum().backward()
        R.t("xg", x.grad)
        R.grads(ln)
    else:
        gn = nn.GroupNorm(2, 4, eps=1e-3)
        R.init(gn)
        x = R.data(3, 4, 5).requires_grad_()
        (gn(x) ** 2).sum().backward()
        R.t("xg", x.grad)
        R.grads(gn)


def p_embed(T, R, c):
    nn = T.nn
    e = nn.Embedding(6, 3, max_norm=c.choice([0.5, 1.0]), norm_type=c.choice([1.0, 2.0]),
                     padding_idx=c.choice([None, 2]), scale_grad_by_freq=c.choice([True, False]))
    R.init(e, scale=1.0)
    idx = T.tensor([[0, 2, 2], [5, 0, 1]])
    out = e(idx)
    R.t("out", out)
    R.t("weight_after", e.weight)
    (out ** 2).sum().backward()
    R.t("grad", e.weight.grad)
    e2 = nn.Embedding.from_pretrained(T.tensor(R.rng.normal(size=(4, 2))), freeze=c.choice([True, False]),
                                      padding_idx=c.choice([None, 0]))
    R.v("rg", e2.weight.requires_grad)
    R.v("repr", repr(e2))
    R.t("out2", e2(T.tensor([3, 0])))


def p_skip(T, R, c):
    nn = T.nn
    m = nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 2))
    R.init(m)
    x = R.data(4, 3)
    kind = c.choice(["sgd_wd", "adam_wd", "momentum_zero_grad", "lr_change", "add_group_sched", "frozen_later"])
    if kind in ("sgd_wd", "adam_wd"):
        opt = T.optim.SGD(m.parameters(), lr=0.1, weight_decay=0.1, momentum=0.9) if kind == "sgd_wd" else \
            T.optim.AdamW(m.parameters(), lr=0.1, weight_decay=0.1)
        m[1](m[0](x).detach()).sum().backward()
        opt.step()
        R.params(m)
        R.opt_state(opt)
    elif kind == "momentum_zero_grad":
        opt = T.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)
        for i in range(3):
            opt.zero_grad(set_to_none=False)
            if i == 0:
                m(x).sum().backward()
            opt.step()
        R.params(m)
    elif kind == "lr_change":
        opt = T.optim.Adam(m.parameters(), lr=0.1)
        s = T.sched.CosineAnnealingLR(opt, T_max=2)
        for i in range(6):
            opt.zero_grad()
            m(x).pow(2).mean().backward()
            opt.step()
            s.step()
            R.v(f"lr{i}", s.get_last_lr())
        R.params(m)
    elif kind == "add_group_sched":
        opt = T.optim.SGD(m[0].parameters(), lr=0.1)
        s = T.sched.StepLR(opt, 1, gamma=0.5)
        opt.add_param_group({"params": m[1].parameters(), "lr": 0.2})
        R.expect_error("step", lambda: s.step())
        R.v("lrs", [g["lr"] for g in opt.param_groups])
    else:
        opt = T.optim.Adam(m.parameters(), lr=0.1)
        m(x).sum().backward()
        opt.step()
        m[0].requires_grad_(False)
        opt.zero_grad()
        m(x).sum().backward()
        opt.step()
        R.params(m)
        R.opt_state(opt)


def p_rnn_hooks(T, R, c):
    nn = T.nn
    rnn = nn.LSTM(3, 4, batch_first=True)
    R.init(rnn)
    seen = []
    rnn.register_forward_hook(lambda mod, inp, out: seen.append(("fwd", [o.shape for o in (out[0], *out[1])])))
    rnn.register_full_backward_hook(lambda mod, gi, go: seen.append(("bwd", [None if g is None else tuple(g.shape)
                                                                              for g in gi + go])))
    x = R.data(2, 5, 3).requires_grad_(c.choice([True, False]))
    out, (h, cc) = rnn(x)
    (out.sum() + h.sum()).backward()
    R.v("seen", [(k, [tuple(s) if s is not None else None for s in v]) for k, v in seen])
    R.grads(rnn)


def _clone(g):
    return None if g is None else g.clone()


def p_module_hooks(T, R, c):
    """Hooks beside in-place activations, removed twice, deep-copied, under no_grad, on tensors."""
    nn = T.nn
    k = c.randrange(10)
    m = nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=c.choice([True, False])), nn.Linear(4, 2))
    R.init(m)
    x = R.data(5, 3).requires_grad_(c.choice([True, False]))
    seen = []
    if k == 0:
        m.register_full_backward_hook(lambda mod, gi, go: seen.append([_clone(g) for g in gi + go]))
    elif k == 1:
        m[1].register_full_backward_hook(lambda mod, gi, go: seen.append([_clone(g) for g in gi + go]))
    elif k == 2:
        m[0].register_full_backward_hook(lambda mod, gi, go: (gi[0] * 0 if gi[0] is not None else None,))
    elif k == 3:
        h = m[0].register_forward_hook(lambda mod, i, o: o * 2)
        h.remove()
        h.remove()
    elif k == 4:
        m[2].register_forward_hook(lambda mod, i, o: seen.append(o.clone()))
        m2 = copy.deepcopy(m)
        m2(x)
        R.v("hooks_copied", len(seen))
    elif k == 5:
        m[0].register_forward_pre_hook(lambda mod, inp: inp[0] + 1)
    elif k == 6:
        m[0].register_forward_hook(lambda mod, inp, out: None)
        m[0].register_forward_hook(lambda mod, inp, out: out.neg(), prepend=True)
    elif k == 7:
        with T.no_grad():
            m[0].register_full_backward_hook(lambda mod, gi, go: seen.append(1))
            R.t("ng", m(x))
    elif k == 8:
        m[0].weight.register_hook(lambda g: g.clamp(-0.1, 0.1))
        m[0].bias.register_hook(lambda g: seen.append(g.clone()))
    else:
        m.register_forward_hook(lambda mod, inp, out: seen.append(type(inp).__name__ + str(len(inp))))
    try:
        y = m(x)
        R.t("y", y)
        (y ** 2).sum().backward()
    except Exception as e:  # noqa: BLE001  (its class is compared)
        R.trace.append(("err", ("E", e)))
        return
    R.grads(m)
    if x.requires_grad:
        R.t("xg", x.grad)
    for i, s in enumerate(seen):
        R.t(f"seen{i}", s)


def p_loss_corners(T, R, c):
    """Losses over (N, C, d) inputs: ignored targets (all of a row), probabilities, weights, label smoothing."""
    F = T.F
    k = c.randrange(8)
    x = R.data(3, 4, 5).requires_grad_()
    red = c.choice(["mean", "sum", "none"])
    if k == 0:
        t = T.tensor([[0, 1, -100, 3, 2], [-100] * 5, [1, 1, 1, 0, 2]])
        l = F.cross_entropy(x, t, reduction=red, weight=T.tensor([1.0, 2.0, 0.5, 1.0]))
    elif k == 1:
        t = T.softmax(R.data(3, 4, 5), 1)
        l = F.cross_entropy(x, t, reduction=red, weight=T.tensor([1.0, 2.0, 0.5, 1.0]), label_smoothing=0.1)
    elif k == 2:
        t = T.tensor([[0, 1, 2, 3, 2], [2] * 5, [1, 1, 1, 0, 2]])
        l = F.nll_loss(F.log_softmax(x, 1), t, reduction=red, ignore_index=2)
    elif k == 3:
        t = T.tensor([-100, -100, -100])
        l = F.cross_entropy(x[:, :, 0], t, reduction=red, label_smoothing=0.2)
    elif k == 4:
        t = T.tensor([[0, 1, 2, 3, 2], [2] * 5, [1, 1, 1, 0, 2]])
        l = F.cross_entropy(x, t, reduction=red, ignore_index=1, label_smoothing=0.3,
                            weight=T.tensor([1.0, 0.0, 2.0, 3.0]))
    elif k == 5:
        l = F.binary_cross_entropy_with_logits(x, T.sigmoid(R.data(3, 4, 5)), reduction=red,
                                               pos_weight=T.tensor([1.0, 2.0, 3.0, 4.0, 5.0]))
    elif k == 6:
        l = F.mse_loss(x, R.data(3, 4, 5), reduction=red) + F.l1_loss(x, R.data(3, 4, 5), reduction=red)
    else:
        l = F.kl_div(F.log_softmax(x, 1), F.softmax(R.data(3, 4, 5), 1),
                     reduction=c.choice(["batchmean", "mean", "sum"]))
        red = "x"
    R.t("l", l)
    (l.sum() if red == "none" else l).backward()
    R.t("g", x.grad)


FAMILIES = [p_warn, p_tied, p_api, p_clip, p_gradmode, p_bn, p_embed, p_skip, p_rnn_hooks, p_module_hooks,
            p_loss_corners]


def program(seed):
    fam = FAMILIES[seed % len(FAMILIES)]

    def prog(T, R):
        fam(T, R, random.Random(seed))
    return prog
