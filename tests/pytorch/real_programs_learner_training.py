"""test_real_programs_learner.py's programs on training: accumulating gradients, resuming a run bit for bit, copies of a
model's state, optimizers' and schedulers' surfaces, losses at their edges (the header is in
test_real_programs_learner.py)."""

import copy
import io

import numpy as np

from pytorch.real_programs_learner_sequences import _load_np
from pytorch.test_real_programs_learner import Own, _try


def grad_accumulation(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    X = torch.tensor(rng.normal(size=(12, 4)))
    y = torch.tensor(rng.integers(0, 3, size=12))

    def make():
        r = np.random.default_rng(seed + 1)
        m = nn.Sequential(nn.Linear(4, 6), nn.GELU(), nn.LayerNorm(6), nn.Linear(6, 3)).double()
        _load_np(torch, m, r)
        return m

    full = make()
    opt_f = torch.optim.SGD(full.parameters(), lr=0.1)
    acc = make()
    opt_a = torch.optim.SGD(acc.parameters(), lr=0.1)
    for _ in range(3):
        opt_f.zero_grad()
        nn.functional.cross_entropy(full(X), y).backward()
        opt_f.step()
        opt_a.zero_grad()
        for i in range(0, 12, 4):
            (nn.functional.cross_entropy(acc(X[i:i + 4]), y[i:i + 4]) / 3).backward()
        opt_a.step()
    diffs = [float((a - b).detach().abs().max()) for a, b in zip(full.parameters(), acc.parameters())]
    return {"full": [p.detach() for p in full.parameters()], "acc": [p.detach() for p in acc.parameters()],
            "close": max(diffs) < 1e-12}


def grad_accum_twice(torch, seed):
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.normal(size=3), requires_grad=True)
    y = (x ** 3).sum()
    y.backward(retain_graph=True)
    g1 = x.grad.clone()
    y.backward()
    g2 = x.grad.clone()
    x.grad.data.zero_()
    (x * 2).sum().backward(inputs=[x])
    a = torch.tensor(rng.normal(size=3), requires_grad=True)
    b = torch.tensor(rng.normal(size=3), requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    v = torch.tensor(rng.normal(size=(2, 3)), requires_grad=True)
    (v * 3).backward(gradient=torch.ones(2, 3, dtype=torch.float64) * 0.5)
    n = torch.tensor(rng.normal(size=3), requires_grad=True)
    loss = (n.detach() * n).sum() + n.data.sum()
    loss.backward()
    ga = torch.autograd.grad((a ** 2).sum(), [a, b], allow_unused=True, materialize_grads=False)
    ga2 = torch.autograd.grad((a ** 2).sum(), [a, b], allow_unused=True, materialize_grads=True)
    return {"g1": g1, "g2": g2, "x3": x.grad, "a": a.grad, "b_none": b.grad is None, "v": v.grad, "n": n.grad,
            "ga_none": ga[1] is None, "ga2": ga2[1], "ga0": ga[0]}


def resume_training(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    X = torch.tensor(rng.normal(size=(10, 3)))
    Y = torch.tensor(rng.normal(size=(10, 2)))
    makers = {
        "adam": lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.8, 0.99), weight_decay=0.01, amsgrad=True),
        "adamw": lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1),
        "rmsprop": lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.9, centered=True),
        "sgd_nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    }
    res = {}

    def model():
        m = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 2)).double()
        _load_np(torch, m, np.random.default_rng(seed + 2))
        return m

    def step(m, opt, sched=None):
        opt.zero_grad()
        loss = ((m(X) - Y) ** 2).mean()
        loss.backward()
        opt.step()
        if sched is not None:
            sched.step()
        return loss.item()

    for name, mk in makers.items():
        m = model()
        o = mk(m.parameters())
        s = torch.optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5)
        straight = [step(m, o, s) for _ in range(6)]
        m1 = model()
        o1 = mk(m1.parameters())
        s1 = torch.optim.lr_scheduler.StepLR(o1, step_size=2, gamma=0.5)
        first = [step(m1, o1, s1) for _ in range(3)]
        buf = io.BytesIO()
        torch.save({"model": m1.state_dict(), "opt": o1.state_dict(), "sched": s1.state_dict()}, buf)
        buf.seek(0)
        ck = torch.load(buf)
        m2 = model()
        o2 = mk(m2.parameters())
        s2 = torch.optim.lr_scheduler.StepLR(o2, step_size=2, gamma=0.5)
        m2.load_state_dict(ck["model"])
        o2.load_state_dict(ck["opt"])
        s2.load_state_dict(ck["sched"])
        second = [step(m2, o2, s2) for _ in range(3)]
        res[name + "_straight"] = straight
        res[name + "_resumed"] = first + second
        res[name + "_bitwise"] = Own(straight == first + second and all(
            bool((a == b).all()) for a, b in zip(m.parameters(), m2.parameters())))
        res[name + "_params"] = [p.detach() for p in m2.parameters()]
        sd = o2.state_dict()
        res[name + "_sd_keys"] = sorted(sd["state"][0].keys())
        res[name + "_sd_group"] = sorted(sd["param_groups"][0].keys())
        res[name + "_lr"] = o2.param_groups[0]["lr"]
        res[name + "_step_type"] = type(sd["state"][0].get("step", None)).__name__
    return res


def deepcopy_state(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    m = nn.Linear(3, 2).double()
    _load_np(torch, m, rng)
    sd = m.state_dict()
    snap = copy.deepcopy(sd)
    opt = torch.optim.SGD(m.parameters(), lr=0.5)
    (m(torch.ones(1, 3, dtype=torch.float64)).sum()).backward()
    opt.step()
    clone = copy.deepcopy(m)
    return {"sd_live": sd["weight"], "snap": snap["weight"], "clone_same": bool((clone.weight == m.weight).all()),
            "clone_is": clone.weight is m.weight, "clone_grad": clone.weight.grad, "sd_rg": sd["weight"].requires_grad,
            "sd_keep": m.state_dict(keep_vars=True)["weight"].requires_grad, "sd_type": type(sd).__name__}


def schedulers_resume(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    X = torch.tensor(rng.normal(size=(8, 2)))
    Y = torch.tensor(rng.normal(size=(8, 1)))
    out = {}

    def mk():
        m = nn.Linear(2, 1).double()
        _load_np(torch, m, np.random.default_rng(seed + 5))
        return m

    combos = {
        "nadam_onecycle": (lambda p: torch.optim.NAdam(p, lr=0.01),
                           lambda o: torch.optim.lr_scheduler.OneCycleLR(o, max_lr=0.1, total_steps=10)),
        "radam_cosine_wr": (lambda p: torch.optim.RAdam(p, lr=0.01, weight_decay=0.01, decoupled_weight_decay=True),
                            lambda o: torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2)),
        "adagrad_exp": (lambda p: torch.optim.Adagrad(p, lr=0.1, lr_decay=0.01),
                        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9)),
        "adamw_plateau": (lambda p: torch.optim.AdamW(p, lr=0.05, amsgrad=True),
                          lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, patience=0, factor=0.5)),
        "sgd_warmup": (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.5, dampening=0.1),
                       lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda e: min(1.0, (e + 1) / 3))),
    }

    def run(m, o, s, n):
        ls = []
        for _ in range(n):
            o.zero_grad()
            loss = ((m(X) - Y) ** 2).mean()
            loss.backward()
            o.step()
            if isinstance(s, torch.optim.lr_scheduler.ReduceLROnPlateau):
                s.step(loss.item() + 1.0)  # a plateau
            else:
                s.step()
            ls.append((loss.item(), o.param_groups[0]["lr"]))
        return ls

    for name, (mo, ms) in combos.items():
        m = mk()
        o = mo(m.parameters())
        s = ms(o)
        straight = run(m, o, s, 8)
        m1 = mk()
        o1 = mo(m1.parameters())
        s1 = ms(o1)
        part = run(m1, o1, s1, 4)
        ck = copy.deepcopy({"m": m1.state_dict(), "o": o1.state_dict(), "s": s1.state_dict()})
        m2 = mk()
        o2 = mo(m2.parameters())
        s2 = ms(o2)
        m2.load_state_dict(ck["m"])
        o2.load_state_dict(ck["o"])
        s2.load_state_dict(ck["s"])
        rest = run(m2, o2, s2, 4)
        out[name] = straight
        out[name + "_bitwise"] = Own(straight == part + rest)
        out[name + "_w"] = m2.weight
        out[name + "_last_lr"] = s2.get_last_lr() if hasattr(s2, "get_last_lr") else None
    return out


def optimizer_surface(torch, seed):
    nn = torch.nn
    rng = np.random.default_rng(seed)
    a = nn.Linear(3, 3).double()
    b = nn.Linear(3, 1).double()
    _load_np(torch, a, rng)
    _load_np(torch, b, rng)
    opt = torch.optim.Adam(a.parameters(), lr=1e-2)
    X = torch.tensor(rng.normal(size=(6, 3)))
    Y = torch.tensor(rng.normal(size=(6, 1)))
    losses = []
    for i in range(4):
        if i == 2:
            opt.add_param_group({"params": b.parameters(), "lr": 5e-2, "betas": (0.5, 0.9)})
        opt.zero_grad()
        loss = ((b(torch.relu(a(X))) - Y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    for g in opt.param_groups:
        g["lr"] *= 0.1
    opt.zero_grad()
    ((b(torch.relu(a(X))) - Y) ** 2).mean().backward()
    opt.step()
    sd = opt.state_dict()
    return {"losses": losses, "a": a.weight, "b": b.weight, "groups": [(g["lr"], g["betas"], len(g["params"]))
                                                                      for g in opt.param_groups],
            "sd_params": [g["params"] for g in sd["param_groups"]], "sd_state_keys": sorted(sd["state"]),
            "grad_none": a.weight.grad is None, "n_state": len(opt.state),
            "defaults": sorted(opt.defaults)}


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
