"""More of test_real_programs_learner.py's programs (part 3 of 3; the first part holds the header)."""

import io

import numpy as np

import minigan
from pytorch.real_programs_learner_b import _load_np
from pytorch.test_real_programs_learner import Own, Raised, _gc, _try, torch


def rnn_more(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    gru = nn.GRU(3, 4, num_layers=2, batch_first=True, bidirectional=True, dropout=0.3).double()
    rnn = nn.RNN(3, 2, num_layers=3, bias=False).double()
    lstm = nn.LSTM(3, 4, batch_first=True, proj_size=2).double() if True else None
    for m in (gru, rnn, lstm):
        _load_np(torch, m, rng)
    gru.eval()
    x = torch.tensor(rng.normal(size=(2, 5, 3)), requires_grad=True)
    h0 = torch.tensor(rng.normal(size=(4, 2, 4)))
    go, gh = gru(x, h0)
    ro, rh = rnn(x.transpose(0, 1))
    lo, (lh, lc) = lstm(x)
    (go.sum() + gh.pow(2).sum() + ro.sum() + lo.sum() + lc.sum()).backward()
    names = [n for n, _ in lstm.named_parameters()]
    # truncated backprop through time with detached hidden state
    lstm2 = nn.LSTM(3, 4).double()
    _load_np(torch, lstm2, rng)
    opt = torch.optim.SGD(lstm2.parameters(), lr=0.1)
    seq = torch.tensor(rng.normal(size=(12, 1, 3)))
    state = None
    losses = []
    for i in range(0, 12, 4):
        opt.zero_grad()
        out, state = lstm2(seq[i:i + 4], state)
        state = tuple(s.detach() for s in state)
        loss = out.pow(2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    flat = [p.shape for p in lstm2.all_weights[0]] if hasattr(lstm2, "all_weights") else None
    return {"go": go, "gh": gh, "ro": ro, "rh": rh, "lo": lo, "lh": lh, "lc": lc, "xg": x.grad, "names": names,
            "losses": losses, "flat": [tuple(s) for s in flat] if flat else None, "gru_repr": repr(gru),
            "lstm_repr": repr(lstm)}


def seq2seq_attention(torch, seed):
    nn, F = torch.nn, torch.nn.functional
    rng = np.random.default_rng(seed)
    V, E, H, PAD, BOS = 9, 4, 6, 0, 1

    class Enc(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, E, padding_idx=PAD)
            self.rnn = nn.GRU(E, H, batch_first=True)

        def forward(self, src):
            return self.rnn(self.emb(src))

    class Dec(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(V, E, padding_idx=PAD)
            self.cell = nn.GRUCell(E + H, H)
            self.out = nn.Linear(2 * H, V)

        def forward(self, tok, h, enc, mask):
            scores = torch.bmm(enc, h.unsqueeze(2)).squeeze(2).masked_fill(~mask, float("-inf"))
            a = F.softmax(scores, dim=1)
            ctx = (a.unsqueeze(2) * enc).sum(1)
            h = self.cell(torch.cat([self.emb(tok), ctx], 1), h)
            return self.out(torch.cat([h, ctx], 1)), h, a

    enc, dec = Enc().double(), Dec().double()
    _load_np(torch, enc, rng)
    _load_np(torch, dec, rng)
    src = torch.tensor([[3, 4, 5, 6], [7, 8, 0, 0]])
    tgt = torch.tensor([[4, 5, 2, 0], [8, 2, 0, 0]])
    opt = torch.optim.Adam(list(enc.parameters()) + list(dec.parameters()), lr=0.01)
    crit = nn.CrossEntropyLoss(ignore_index=PAD, label_smoothing=0.1)
    hist = []
    for _ in range(3):
        opt.zero_grad()
        e, h = enc(src)
        h = h[0]
        mask = src != PAD
        tok = torch.full((2,), BOS)
        logits = []
        for t in range(4):
            lo, h, a = dec(tok, h, e, mask)
            logits.append(lo)
            tok = tgt[:, t]  # teacher forcing
        logits = torch.stack(logits, 1)
        loss = crit(logits.reshape(-1, V), tgt.reshape(-1))
        loss.backward()
        gn = nn.utils.clip_grad_norm_(list(enc.parameters()) + list(dec.parameters()), 0.5)
        opt.step()
        hist.append((loss.item(), gn.item()))
    with torch.no_grad():
        e, h = enc(src)
        h = h[0]
        tok = torch.full((2,), BOS)
        greedy = []
        for _ in range(4):
            lo, h, a = dec(tok, h, e, src != PAD)
            tok = lo.argmax(1)
            greedy.append(tok)
    return {"hist": hist, "greedy": torch.stack(greedy, 1), "attn": a, "emb_pad": enc.emb.weight[PAD]}


def function_more(torch, seed):
    rng = np.random.default_rng(seed)

    class Clamp01(torch.autograd.Function):
        """straight-through estimator"""
        @staticmethod
        def forward(ctx, x):
            return x.clamp(0, 1)

        @staticmethod
        def backward(ctx, g):
            return g

    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    class SumSq(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, y):
            ctx.save_for_backward(x, y)
            return (x * x).sum() + (y * y).sum(), x.detach() * 0 + 1

        @staticmethod
        def backward(ctx, g, g_aux):
            x, y = ctx.saved_tensors
            return 2 * x * g, 2 * y * g

    class GradReverse(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, lam):
            ctx.lam = lam
            return x.view_as(x)

        @staticmethod
        def backward(ctx, g):
            return g.neg() * ctx.lam, None

    x = torch.tensor(rng.normal(size=5), requires_grad=True)
    (Clamp01.apply(x) * torch.arange(5.0, dtype=torch.float64)).sum().backward()
    a = torch.tensor(rng.normal(size=3), requires_grad=True)
    s = Scale.apply(a, 3.0)
    s2 = Scale.apply(s, torch.tensor(2.0, dtype=torch.float64))
    s2.sum().backward()
    p = torch.tensor(rng.normal(size=2), requires_grad=True)
    q = torch.tensor(rng.normal(size=2))
    tot, aux = SumSq.apply(p, q)
    tot.backward()
    feat = torch.tensor(rng.normal(size=3), requires_grad=True)
    r = GradReverse.apply(feat, 0.5)
    (r * 2).sum().backward()
    nograd = Scale.apply(torch.ones(2, dtype=torch.float64), 2.0)
    with torch.no_grad():
        ng2 = Scale.apply(torch.ones(2, dtype=torch.float64, requires_grad=True), 2.0)
    # a Function used inside a module and checked by gradcheck in float64
    ok = _gc(torch)(lambda t: GradReverse.apply(t, 1.5) * -1 / 1.5, (torch.tensor(rng.normal(size=3),
                                                                              requires_grad=True),),
                    raise_exception=False)
    bad = _gc(torch)(Clamp01.apply, (torch.tensor([0.5, 2.0], dtype=torch.float64, requires_grad=True),),
                     raise_exception=False)
    return {"xg": x.grad, "ag": a.grad, "pg": p.grad, "aux_rg": aux.requires_grad, "fg": feat.grad,
            "ng_rg": nograd.requires_grad, "ng_fn": nograd.grad_fn is None, "ng2_rg": ng2.requires_grad, "ok": ok,
            "bad": bad, "tot": tot}



# ================================================================ third batch
def module_plumbing(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = nn.Linear(3, 3)
            self.bn = nn.BatchNorm1d(3)
            self.register_buffer("steps", torch.zeros((), dtype=torch.int64))

        def forward(self, x):
            self.steps += 1
            return self.bn(self.lin(x)).relu()

        def extra_repr(self):
            return "custom=1"

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.blocks = nn.ModuleList([Block(), Block()])
            self.head = nn.Sequential(nn.Linear(3, 2))
            self.scale = nn.Parameter(torch.ones(2))

        def forward(self, x):
            for b in self.blocks:
                x = b(x)
            return self.head(x) * self.scale

    net = Net().double()
    _load_np(torch, net, rng)
    net(torch.tensor(rng.normal(size=(4, 3))))
    sd = net.state_dict()
    out = {"keys": list(sd), "repr": repr(net), "n_named": [n for n, _ in net.named_parameters(prefix="model")],
           "buffers": [n for n, _ in net.named_buffers()], "children": [n for n, _ in net.named_children()],
           "steps": net.blocks[0].steps, "nbt": sd["blocks.0.bn.num_batches_tracked"]}
    net2 = Net().double()
    res = net2.load_state_dict({k: v for k, v in sd.items() if "head" not in k}, strict=False)
    out["missing"] = list(res.missing_keys)
    out["unexpected"] = list(res.unexpected_keys)
    bad = dict(sd)
    bad["head.0.weight"] = torch.zeros(5, 5, dtype=torch.float64)
    out["shape_err"] = _try(lambda: net2.load_state_dict(bad))
    extra = dict(sd)
    extra["junk"] = torch.zeros(1)
    out["unexp_err"] = _try(lambda: net2.load_state_dict(extra))
    out["get_sub"] = repr(net.get_submodule("blocks.1.bn"))
    out["get_param"] = net.get_parameter("blocks.0.lin.bias")
    out["sub_err"] = _try(lambda: net.get_submodule("blocks.5"))
    p = net.scale
    out["param_types"] = (type(p * 2).__name__, type(p.detach()).__name__, type(p.data).__name__,
                          isinstance(p, torch.Tensor), p.is_leaf, (p * 2).is_leaf)
    out["param_repr"] = repr(p)
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    loaded = torch.load(buf, weights_only=True)
    out["loaded_keys"] = list(loaded)
    out["loaded_type"] = type(loaded).__name__
    out["train_flags"] = [m.training for m in net.eval().modules()]
    net.train()
    del net.head
    out["after_del"] = [n for n, _ in net.named_children()]
    return out


def grad_modes(torch, seed):
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.normal(size=3), requires_grad=True)
    out = {}

    @torch.no_grad()
    def infer(v):
        return v * 2

    out["decorated"] = infer(x).requires_grad
    with torch.no_grad():
        with torch.enable_grad():
            y = x * 2
        z = x * 2
    out["inner"] = (y.requires_grad, z.requires_grad)
    torch.set_grad_enabled(False)
    w = x * 3
    torch.set_grad_enabled(True)
    out["set_fn"] = w.requires_grad
    with torch.set_grad_enabled(False):
        v = x + 1
    out["set_ctx"] = (v.requires_grad, torch.is_grad_enabled())
    a = x.detach()
    a.requires_grad_()
    out["detach_rg"] = (a.requires_grad, a.is_leaf)
    b = x * 1
    b.detach_()
    out["detach_"] = (b.requires_grad, b.grad_fn is None)
    c = torch.tensor(rng.normal(size=2), requires_grad=True)
    out["grad_shape_err"] = _try(lambda: setattr(c, "grad", torch.zeros(3, dtype=torch.float64)))
    c.grad = torch.ones(2, dtype=torch.float64)
    (c * 2).sum().backward()
    out["grad_after"] = c.grad
    d = torch.tensor(rng.normal(size=2), requires_grad=True)
    loss1, loss2 = (d ** 2).sum(), d.sum() * 3
    torch.autograd.backward([loss1, loss2])
    out["ab"] = d.grad
    e = torch.tensor(rng.normal(size=(2, 2)), requires_grad=True)
    torch.autograd.backward(e * 2, grad_tensors=torch.full((2, 2), 0.5, dtype=torch.float64))
    out["ab_gt"] = e.grad
    f = torch.tensor(rng.normal(size=2), requires_grad=True)
    g = (f.exp() * 2).sum()
    g.backward()
    out["second_err"] = _try(lambda: g.backward())
    h = torch.tensor(rng.normal(size=2), requires_grad=True)
    out["data_set"] = _try(lambda: setattr(h, "data", torch.zeros(2, dtype=torch.float64)))
    out["h_after"] = h
    out["h_rg"] = h.requires_grad
    return out


def optimizer_options(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    X = torch.tensor(rng.normal(size=(6, 3)))
    Y = torch.tensor(rng.normal(size=(6, 1)))
    cases = {
        "sgd_max": lambda p: torch.optim.SGD(p, lr=0.01, maximize=True),
        "adam_tensor_lr": lambda p: torch.optim.Adam(p, lr=torch.tensor(0.01)),
        "adam_max": lambda p: torch.optim.Adam(p, lr=0.01, maximize=True, weight_decay=0.1),
        "adamax": lambda p: torch.optim.Adamax(p, lr=0.02),
        "adadelta": lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.8),
        "rmsprop_plain": lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.9, weight_decay=0.01),
        "adagrad_init": lambda p: torch.optim.Adagrad(p, lr=0.1, initial_accumulator_value=0.5),
        "nadam_dec": lambda p: torch.optim.NAdam(p, lr=0.01, weight_decay=0.01, decoupled_weight_decay=True),
    }
    out = {}
    for name, mk in cases.items():
        m = nn.Linear(3, 1).double()
        _load_np(torch, m, np.random.default_rng(seed + 9))
        o = mk(m.parameters())
        ls = []
        for _ in range(4):
            o.zero_grad(set_to_none=False)
            loss = ((m(X) - Y) ** 2).mean()
            loss.backward()
            o.step()
            ls.append(loss.item())
        out[name] = ls
        out[name + "_w"] = m.weight
    # clipping
    m = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    _load_np(torch, m, rng, scale=2.0)
    ((m(X) - Y) ** 2).mean().backward()
    out["norm2"] = nn.utils.clip_grad_norm_(m.parameters(), 0.5)
    out["after2"] = [p.grad.clone() for p in m.parameters()]
    out["norm_inf"] = nn.utils.clip_grad_norm_(m.parameters(), 0.1, norm_type=float("inf"))
    nn.utils.clip_grad_value_(m.parameters(), 0.01)
    out["after_val"] = [p.grad.clone() for p in m.parameters()]
    m[0].weight.grad[0, 0] = float("nan")
    out["nonfinite"] = _try(lambda: nn.utils.clip_grad_norm_(m.parameters(), 1.0, error_if_nonfinite=True))
    out["vec"] = nn.utils.parameters_to_vector(m.parameters())
    return out


def losses_edge(torch, seed):
    F = torch.nn.functional
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.normal(size=(4, 5)), requires_grad=True)
    ninf = torch.tensor([[0.0, float("-inf"), 1.0], [float("-inf")] * 3])
    out = {
        "softmax_ninf": ninf.softmax(-1), "logsoftmax_ninf": ninf.log_softmax(-1),
        "lse_ninf": ninf.logsumexp(-1), "lse_pinf": torch.tensor([float("inf"), 1.0]).logsumexp(0),
    }
    t = torch.tensor(rng.integers(0, 2, size=(4, 5)).astype(np.float64))
    pw = torch.tensor(rng.uniform(0.5, 3, size=5))
    w = torch.tensor(rng.uniform(0.5, 2, size=(4, 5)))
    l1 = F.binary_cross_entropy_with_logits(x, t, pos_weight=pw, weight=w)
    l2 = F.binary_cross_entropy(torch.sigmoid(x), t, reduction="sum")
    lp = x.log_softmax(-1)
    tgt = torch.tensor(rng.dirichlet(np.ones(5), size=4))
    l3 = F.kl_div(lp, tgt, reduction="batchmean")
    l4 = F.kl_div(lp, tgt.log(), reduction="sum", log_target=True)
    cls = torch.tensor([0, 4, 4, 2])
    cw = torch.tensor(rng.uniform(0.5, 2, size=5))
    l5 = F.nll_loss(lp, cls, weight=cw, reduction="none")
    l6 = F.cross_entropy(x, cls, weight=cw)
    l7 = F.smooth_l1_loss(x, t, beta=0.5)
    l8 = F.huber_loss(x, t, delta=0.7, reduction="none")
    l9 = F.mse_loss(x[:, :1], t[:, 0])  # broadcast warning in both
    l10 = F.margin_ranking_loss(x[:, 0], x[:, 1], torch.tensor([1.0, -1.0, 1.0, -1.0], dtype=torch.float64))
    l11 = F.cosine_embedding_loss(x[:2], x[2:], torch.tensor([1, -1]), margin=0.1)
    l12 = F.triplet_margin_loss(x[0:1], x[1:2], x[2:3], margin=0.5)
    l13 = F.gaussian_nll_loss(x, t, torch.full((4, 5), 0.5, dtype=torch.float64))
    l14 = F.poisson_nll_loss(x, t.abs(), log_input=True)
    total = l1 + l2 + l3 + l4 + l5.sum() + l6 + l7 + l8.sum() + l9 + l10 + l11 + l12 + l13 + l14
    total.backward()
    out.update(l1=l1, l2=l2, l3=l3, l4=l4, l5=l5, l6=l6, l7=l7, l8=l8, l9=l9, l10=l10, l11=l11, l12=l12, l13=l13,
               l14=l14, g=x.grad)
    return out


def integer_programs(torch, seed):
    # counting, histogramming and bucketing the way a learner does with integer tensors
    rng = np.random.default_rng(seed)
    labels = torch.tensor(rng.integers(0, 5, size=40))
    preds = torch.tensor(rng.integers(0, 5, size=40))
    conf = torch.zeros(5, 5, dtype=torch.int64)
    for t_, p_ in zip(labels, preds):
        conf[t_, p_] += 1
    conf2 = torch.zeros(5, 5, dtype=torch.int64)
    conf2.index_put_((labels, preds), torch.ones(40, dtype=torch.int64), accumulate=True)
    bc = torch.bincount(labels, minlength=7)
    acc = (labels == preds).sum().item() / len(labels)
    acc_t = (labels == preds).float().mean()
    per_class = conf.diag() / conf.sum(1)
    out = {"conf": conf, "conf2": conf2, "bc": bc, "acc": acc, "acc_t": acc_t, "per_class": per_class,
           "argmax_onehot": torch.nn.functional.one_hot(labels[:5], 5).argmax(1),
           "topk_acc": (torch.tensor(rng.normal(size=(40, 5))).topk(2, dim=1).indices == labels[:, None]).any(1).sum(),
           "cumsum": labels.cumsum(0)[-5:], "div_int": labels[:6] // 2, "neg_div": (-labels[:6]) // 2,
           "neg_mod": (-labels[:6]) % 3, "true_div": labels[:6] / 2, "pow": labels[:6] ** 2,
           "mean_err": _try(lambda: labels.mean()), "float_mean": labels.float().mean(),
           "sum_dtype": labels.sum(dtype=torch.float64), "max_item": type(labels.max().item()).__name__,
           "unique": torch.unique(labels, sorted=True, return_counts=True),
           "histc": torch.histc(labels.float(), bins=5, min=0, max=4),
           "eq_sum_type": type((labels == preds).sum().item()).__name__,
           "bool_idx": labels[labels > 2][:5], "nonzero": (labels == 0).nonzero().squeeze(1)[:5],
           "clamp": labels.clamp(1, 3)[:8], "where": torch.where(labels > 2, labels, -1)[:8],
           "float_to_long": (torch.tensor(rng.normal(size=6)) * 10).long(),
           "round_long": (torch.tensor([0.5, 1.5, 2.5, -0.5]).round()).long(),
           "int_div_tensor": torch.tensor([7, -7]) / torch.tensor([2, 2]),
           "floor_div_float": torch.tensor([7.0, -7.0]) // torch.tensor([2.0, 2.0])}
    return out


def nograd_inplace_updates(torch, seed):
    # a learner's SGD with momentum and weight decay by hand, compared with optim.SGD
    nn = torch.nn
    rng = np.random.default_rng(seed)
    X = torch.tensor(rng.normal(size=(8, 3)))
    Y = torch.tensor(rng.integers(0, 2, size=8))
    m1 = nn.Linear(3, 2).double()
    _load_np(torch, m1, rng)
    m2 = nn.Linear(3, 2).double()
    m2.load_state_dict(m1.state_dict())
    bufs = [torch.zeros_like(p) for p in m1.parameters()]
    opt = torch.optim.SGD(m2.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01, dampening=0.0)
    for step in range(5):
        loss = nn.functional.cross_entropy(m1(X), Y)
        m1.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p, b in zip(m1.parameters(), bufs):
                g = p.grad + 0.01 * p
                if step == 0:
                    b.copy_(g)
                else:
                    b.mul_(0.9).add_(g)
                p.add_(b, alpha=-0.1)
        opt.zero_grad()
        nn.functional.cross_entropy(m2(X), Y).backward()
        opt.step()
    return {"m1": [p.detach() for p in m1.parameters()], "m2": [p.detach() for p in m2.parameters()],
            "same": all(bool(torch.allclose(a, b, rtol=1e-12, atol=0)) for a, b in zip(m1.parameters(),
                                                                                        m2.parameters())),
            "buf": bufs[0]}  # (opt.state holds arrays where PyTorch's holds tensors: docs/pytorch.md)



def function_edges(torch, seed):
    rng = np.random.default_rng(seed)
    out = {}

    class Ident(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = torch.tensor(rng.normal(size=3), requires_grad=True)
    y = Ident.apply(x)
    out["ident_same"] = y is x
    (y * 3).sum().backward()
    out["ident_grad"] = x.grad

    class Saver(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    a = torch.tensor(rng.normal(size=3), requires_grad=True)
    s = Saver.apply(a).sum()
    s.backward()
    out["saver_free"] = _try(lambda: s.backward())
    b = torch.tensor(rng.normal(size=3), requires_grad=True)
    s2 = Saver.apply(b).sum()
    s2.backward(retain_graph=True)
    s2.backward()
    out["retained"] = b.grad

    class BadSave(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3.0)
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g

    out["save_number"] = _try(lambda: BadSave.apply(torch.ones(2, requires_grad=True)))

    class Mixed(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, n):
            ctx.n = n
            return x * n, n + 1, "tag"

        @staticmethod
        def backward(ctx, g, g_int, g_str):
            return g * ctx.n, None

    c = torch.tensor(rng.normal(size=2), requires_grad=True)
    r, k, tag = Mixed.apply(c, 4)
    r.sum().backward()
    out["mixed"] = (k, tag, c.grad)
    d = torch.tensor(rng.normal(size=2))
    out["nograd_input"] = (Saver.apply(d).requires_grad, Saver.apply(d).grad_fn is None)

    class Outer(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return Saver.apply(x) + 1

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 2 * x

    e = torch.tensor(rng.normal(size=2), requires_grad=True)
    o = Outer.apply(e)
    o.sum().backward()
    out["nested"] = (e.grad, o.grad_fn.name())

    class IntGrad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g.double() * 2

    f = torch.tensor(rng.normal(size=2).astype(np.float32), requires_grad=True)
    IntGrad.apply(f).sum().backward()
    out["grad_dtype"] = f.grad

    class ViewOut(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.view(-1)[:2]

        @staticmethod
        def backward(ctx, g):
            res = torch.zeros(ctx.shape if hasattr(ctx, "shape") else (2, 2), dtype=g.dtype)
            res.view(-1)[:2] = g
            return res

    h = torch.tensor(rng.normal(size=(2, 2)), requires_grad=True)
    vo = ViewOut.apply(h)
    (vo * torch.tensor([1.0, 2.0], dtype=torch.float64)).sum().backward()
    out["view_out"] = h.grad
    # hook on a Function's output and retain_grad
    i = torch.tensor(rng.normal(size=3), requires_grad=True)
    so = Saver.apply(i)
    so.retain_grad()
    so.register_hook(lambda g: g * 10)
    so.sum().backward()
    out["hooked"] = (i.grad, so.grad)
    # a Function in a module, trained, gradcheck with eps/atol arguments
    lin = torch.tensor(rng.normal(size=(3, 3)), requires_grad=True)
    ok = _gc(torch)(
        lambda t: Saver.apply(t @ lin), (torch.tensor(rng.normal(size=(2, 3)), requires_grad=True),), eps=1e-6,
        atol=1e-5)
    out["gc"] = ok
    return out


def inplace_views_learner(torch, seed):
    rng = np.random.default_rng(seed)
    out = {}
    x = torch.tensor(rng.normal(size=(3, 4)), requires_grad=True)
    y = x * 1
    row = y[1]
    row.mul_(2)
    col = y[:, 2]
    col.add_(1)
    y.t()[0].zero_()
    (y ** 2).sum().backward()
    out["xg"] = x.grad
    out["y"] = y
    out["fn"] = y.grad_fn.name()
    a = torch.tensor(rng.normal(size=4), requires_grad=True)
    b = a.clone()
    b[b < 0] = 0
    b.relu_()
    b = b.clamp(max=0.5)
    b.sum().backward()
    out["ag"] = a.grad
    c = torch.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    d = c.exp()
    e = d.view(3, 2)
    e.add_(1)
    out["view_mod_err"] = _try(lambda: d.sum().backward())
    out["c_grad"] = c.grad
    f = torch.tensor(rng.normal(size=3), requires_grad=True)
    g = f.sigmoid()
    h = g.unsqueeze(0)
    out["unsq_err"] = _try(lambda: (h.mul_(2), g.sum().backward()))
    out["f_grad"] = f.grad
    k = torch.zeros(3, 3, dtype=torch.float64)
    src = torch.tensor(rng.normal(size=3), requires_grad=True)
    idx = torch.arange(3)
    k[idx, idx] = src
    k[0].add_(src)
    (k * torch.arange(9.0, dtype=torch.float64).view(3, 3)).sum().backward()
    out["diag_copy"] = src.grad
    out["k_fn"] = k.grad_fn.name()
    out["k_rg"] = k.requires_grad
    return out



# ---------------------------------------------------------------- the comparison
def _canon(x, path, out):
    """Flatten a program's result into {path: comparable value}."""
    if isinstance(x, (torch.Tensor, minigan.Tensor)):
        d = x.detach()
        out[path] = ("tensor", str(d.dtype).replace("minigan.", "torch."), tuple(d.shape), np.asarray(d.numpy()))
    elif isinstance(x, dict):
        for k, v in x.items():
            _canon(v, f"{path}.{k}", out)
    elif isinstance(x, (list, tuple)):
        out[path + ".len"] = len(x)
        for i, v in enumerate(x):
            _canon(v, f"{path}[{i}]", out)
    elif isinstance(x, str):
        out[path] = x.replace("minigan.", "torch.")  # (the dtype's printed name: docs/pytorch.md, Dtypes)
    elif isinstance(x, (torch.dtype, minigan.dtype)):
        out[path] = str(x).replace("minigan.", "torch.")
    else:
        out[path] = x


def _same(theirs, ours):
    if isinstance(theirs, tuple) and theirs[:1] == ("tensor",):
        if not (isinstance(ours, tuple) and ours[:1] == ("tensor",)) or theirs[1:3] != ours[1:3]:
            return False
        a, b = theirs[3], ours[3]
        if a.dtype.kind == "f":
            return np.allclose(b, a, rtol=1e-7 if a.dtype == np.float64 else 1e-5, atol=1e-12, equal_nan=True)
        return np.array_equal(a, b)
    if isinstance(theirs, Raised):
        return isinstance(ours, Raised) and theirs.kinds <= ours.kinds
    if isinstance(theirs, Own):
        return isinstance(ours, Own) and ours.value is True
    if isinstance(theirs, float) and isinstance(ours, float):
        return bool(np.isclose(ours, theirs, rtol=1e-7, atol=1e-13, equal_nan=True))
    return type(theirs) is type(ours) and theirs == ours


def _compare(program, seed=0):
    theirs, ours = {}, {}
    _canon(program(torch, seed), "", theirs)
    _canon(program(minigan, seed), "", ours)
    differ = [f"{k}: PyTorch {theirs.get(k, '<missing>')!r}, minigan {ours.get(k, '<missing>')!r}"
              for k in sorted(set(theirs) | set(ours)) if k not in theirs or k not in ours or
              not _same(theirs[k], ours[k])]
    assert not differ, f"{program.__name__}: {len(differ)} of {len(theirs)} differ:\n" + "\n".join(differ[:12])
