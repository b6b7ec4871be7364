"""The survey's programs on optimizers and learning-rate schedulers (tests/pytorch/survey/idioms_harness.py runs them;
``python idioms_optimizers.py [name ...]`` prints their comparison)."""

import sys

import numpy as np
from idioms_harness import X, main, seed_params, snippet
from idioms_harness import catch as _catch


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


def _quad_run(torch, nn, make, steps=5):
    m = seed_params(torch, nn.Linear(3, 2), 3)
    opt = make(m)
    x = torch.tensor(X((6, 3), 11))
    t = torch.tensor(X((6, 2), 12))
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((m(x) - t) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return [m.weight.detach().clone(), m.bias.detach().clone(), losses]


@snippet
def adam_amsgrad_weight_decay(torch, nn, optim):
    return dict(a=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, amsgrad=True, weight_decay=0.1)),
                w=_quad_run(torch, nn, lambda m: optim.AdamW(m.parameters(), lr=0.05, amsgrad=True, weight_decay=0.5)),
                b=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, betas=(0.5, 0.9), eps=1e-6)),
                mx=_quad_run(torch, nn, lambda m: optim.Adam(m.parameters(), lr=0.05, maximize=True)))


@snippet
def sgd_nesterov_decay_maximize_grid(torch, nn, optim):
    return dict(a=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, momentum=0.5, nesterov=True)),
                b=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, momentum=0.9, weight_decay=0.1, dampening=0.1)),
                c=_quad_run(torch, nn, lambda m: optim.SGD(m.parameters(), lr=0.05, weight_decay=1.0)),
                err=_catch(lambda: optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1, nesterov=True), ValueError))


@snippet
def rmsprop_adagrad_adadelta_options(torch, nn, optim):
    return dict(r=_quad_run(torch, nn, lambda m: optim.RMSprop(m.parameters(), lr=0.01, weight_decay=0.1, momentum=0.9)),
                rc=_quad_run(torch, nn, lambda m: optim.RMSprop(m.parameters(), lr=0.01, centered=True)),
                ag=_quad_run(torch, nn, lambda m: optim.Adagrad(m.parameters(), lr=0.1, weight_decay=0.1)),
                ad=_quad_run(torch, nn, lambda m: optim.Adadelta(m.parameters(), lr=0.5, rho=0.8, weight_decay=0.01)))


@snippet
def param_groups_per_group_options(torch, nn, optim):
    m = seed_params(torch, nn.Sequential(nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1)))
    opt = optim.SGD([{"params": m[0].parameters(), "lr": 0.5, "momentum": 0.0},
                     {"params": [m[2].weight], "weight_decay": 0.1}], lr=0.1, momentum=0.9)
    extra = nn.Parameter(torch.ones(2))
    x = torch.tensor(X((4, 3)))
    for step in range(3):
        opt.zero_grad()
        loss = m(x).pow(2).mean() + extra.sum() * 0.5
        loss.backward()
        opt.step()
        if step == 0:
            opt.add_param_group({"params": [extra, m[2].bias], "lr": 0.2, "nesterov": True})
    return dict(w=[p.detach().clone() for p in m.parameters()], e=extra.detach().clone(),
                groups=[(g["lr"], g["momentum"], g["weight_decay"], g["nesterov"], len(g["params"])) for g in opt.param_groups],
                dup=_catch(lambda: opt.add_param_group({"params": [extra]}), ValueError))


@snippet
def param_group_single_tensor_params(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD([{"params": m.weight}, {"params": m.bias, "lr": 1.0}], lr=0.1)
    m(torch.ones(3, 2)).sum().backward()
    opt.step()
    opt.add_param_group({"params": nn.Parameter(torch.ones(1))})
    return dict(w=m.weight, b=m.bias, n=[len(g["params"]) for g in opt.param_groups], t=type(opt.param_groups[0]["params"]).__name__)


@snippet
def sgd_momentum_buffer_state(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.1, momentum=0.9, dampening=0.2)
    x = torch.tensor(X((4, 2)))
    bufs = []
    for _ in range(3):
        opt.zero_grad()
        m(x).pow(2).mean().backward()
        opt.step()
        bufs.append(np.array(opt.state[m.weight]["momentum_buffer"], dtype=np.float32))
    return dict(bufs=bufs, w=m.weight, n=len(opt.state))


@snippet
def tied_weights_training(torch, nn, optim):
    class Tied(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(5, 3)
            self.out = nn.Linear(3, 5, bias=False)
            self.out.weight = self.emb.weight

        def forward(self, idx):
            return self.out(torch.tanh(self.emb(idx)))
    model = seed_params(torch, Tied())
    opt = optim.Adam(model.parameters(), lr=0.05)
    idx = torch.tensor([0, 3, 4, 1])
    tgt = torch.tensor([1, 4, 0, 1])
    for _ in range(4):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(idx), tgt)
        loss.backward()
        opt.step()
    return dict(loss=loss, n=len(list(model.parameters())), names=[n for n, _ in model.named_parameters()],
                keys=list(model.state_dict().keys()), same=model.out.weight is model.emb.weight, w=model.emb.weight,
                vec=nn.utils.parameters_to_vector(model.parameters()).shape)


@snippet
def schedulers_get_last_lr_sequences(torch, nn, optim):
    S = optim.lr_scheduler

    def run(make, n=10, lr=0.1):
        opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=lr)
        s = make(opt)
        out = [s.get_last_lr()[0]]
        for _ in range(n):
            opt.step()
            s.step()
            out.append(s.get_last_lr()[0])
        return out
    return dict(step=run(lambda o: S.StepLR(o, step_size=3, gamma=0.5)),
                ms=run(lambda o: S.MultiStepLR(o, milestones=[2, 2, 5], gamma=0.1)),
                exp=run(lambda o: S.ExponentialLR(o, gamma=0.8)),
                cos=run(lambda o: S.CosineAnnealingLR(o, T_max=4, eta_min=0.01)),
                lin=run(lambda o: S.LinearLR(o, start_factor=0.25, end_factor=1.0, total_iters=3)),
                lin2=run(lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.1, total_iters=5)),
                const=run(lambda o: S.ConstantLR(o, factor=0.2, total_iters=4)),
                poly=run(lambda o: S.PolynomialLR(o, total_iters=6, power=1.0)),
                wr=run(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2, eta_min=0.001)))


@snippet
def onecycle_three_phase_linear(torch, nn, optim):
    S = optim.lr_scheduler
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=0.1, momentum=0.9)
    s = S.OneCycleLR(opt, max_lr=1.0, total_steps=12, three_phase=True, anneal_strategy="linear", pct_start=0.25,
                     div_factor=10.0, final_div_factor=100.0)
    lrs, moms = [], []
    for _ in range(11):
        opt.step()
        s.step()
        lrs.append(s.get_last_lr()[0])
        moms.append(opt.param_groups[0]["momentum"])
    opt2 = optim.Adam(nn.Linear(1, 1).parameters(), lr=0.1)
    s2 = S.OneCycleLR(opt2, max_lr=0.01, epochs=2, steps_per_epoch=3)
    l2 = []
    for _ in range(5):
        opt2.step()
        s2.step()
        l2.append((s2.get_last_lr()[0], opt2.param_groups[0]["betas"][0]))
    return dict(lrs=lrs, moms=moms, l2=l2)


@snippet
def sequential_lr_milestones(torch, nn, optim):
    S = optim.lr_scheduler
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = S.SequentialLR(opt, schedulers=[S.LinearLR(opt, start_factor=0.1, total_iters=2), S.StepLR(opt, step_size=2, gamma=0.5)],
                       milestones=[3])
    out = []
    for _ in range(8):
        opt.step()
        s.step()
        out.append(round(opt.param_groups[0]["lr"], 8))
    return dict(out=out, last=s.get_last_lr())


@snippet
def reduce_on_plateau_min_lr_eps(torch, nn, optim):
    opt = optim.SGD([{"params": nn.Linear(1, 1).parameters()}, {"params": nn.Linear(1, 1).parameters(), "lr": 0.05}], lr=1.0)
    s = optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=0, min_lr=[0.2, 0.04], threshold=0.0)
    out = []
    for v in [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5]:
        s.step(v)
        out.append([g["lr"] for g in opt.param_groups])
    return dict(out=out, last=s.get_last_lr(), best=s.best)


if __name__ == "__main__":
    main(sys.argv[1:])
