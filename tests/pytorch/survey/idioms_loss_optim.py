import sys

import numpy as np
from idioms_harness import main, seed_params, snippet


def X(shape, seed=1):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


@snippet
def losses_basic(torch, nn, F):
    logits = torch.tensor(X((4, 3)))
    y = torch.tensor([0, 2, 1, 2])
    p = torch.sigmoid(torch.tensor(X((4, 1), 2)))
    t = torch.tensor([[1.0], [0.0], [1.0], [0.9]])
    return dict(ce=nn.CrossEntropyLoss()(logits, y), ces=F.cross_entropy(logits, y, reduction="sum"),
                cen=F.cross_entropy(logits, y, reduction="none"), ls=F.cross_entropy(logits, y, label_smoothing=0.1),
                w=nn.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 0.5]))(logits, y),
                ign=F.cross_entropy(logits, torch.tensor([0, -100, 1, 2])),
                nll=F.nll_loss(F.log_softmax(logits, 1), y), bce=nn.BCELoss()(p, t),
                bcel=nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0]))(torch.logit(p), t),
                mse=F.mse_loss(p, t), l1=nn.L1Loss(reduction="sum")(p, t), sl1=F.smooth_l1_loss(p, t, beta=0.5),
                kl=F.kl_div(F.log_softmax(logits, 1), F.softmax(logits.flip(0), 1), reduction="batchmean"),
                hub=nn.HuberLoss(delta=0.3)(p, t))


@snippet
def ce_prob_targets(torch, F):
    logits = torch.tensor(X((2, 3)))
    tgt = torch.tensor([[0.2, 0.8, 0.0], [0.0, 0.0, 1.0]])
    return F.cross_entropy(logits, tgt)


@snippet
def ce_spatial(torch, F):
    logits = torch.tensor(X((2, 3, 2, 2)))
    y = torch.tensor(np.array([[[0, 1], [2, 1]], [[1, 1], [0, 2]]]))
    return F.cross_entropy(logits, y)


@snippet
def bce_target_shape_mismatch(torch, nn):
    p = torch.sigmoid(torch.tensor(X((4, 1))))
    t = torch.ones(4)
    try:
        r = nn.BCELoss()(p, t)
        return ("ok", r)
    except ValueError:
        return "ValueError"


@snippet
def mse_broadcast_warning(torch, F):
    a = torch.tensor(X((4, 1)))
    b = torch.tensor(X((4,), 2))
    return F.mse_loss(a, b)


@snippet
def ce_int32_target(torch, F):
    logits = torch.tensor(X((3, 4)))
    y = torch.tensor([1, 0, 3], dtype=torch.int32)
    try:
        return F.cross_entropy(logits, y)
    except RuntimeError:
        return "RuntimeError"


@snippet
def ce_float_target_class_indices(torch, F):
    logits = torch.tensor(X((3, 4)))
    y = torch.tensor([1.0, 0.0, 3.0])
    try:
        return F.cross_entropy(logits, y)
    except RuntimeError:
        return "RuntimeError"


def _train(torch, nn, opt_fn, steps=3, sched_fn=None):
    m = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)))
    opt = opt_fn(m.parameters())
    sched = sched_fn(opt) if sched_fn else None
    x = torch.tensor(X((5, 3)))
    y = torch.tensor(X((5, 1), 2))
    lrs = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((m(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        if sched:
            sched.step()
            lrs.append(opt.param_groups[0]["lr"])
    return dict(w=[p.detach().clone() for p in m.parameters()], loss=loss.item(), lrs=lrs)


@snippet
def optim_sgd_momentum(torch, nn, optim):
    return _train(torch, nn, lambda p: optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=1e-3))


@snippet
def optim_adam(torch, nn, optim):
    return _train(torch, nn, lambda p: optim.Adam(p, lr=2e-4, betas=(0.5, 0.999)))


@snippet
def optim_adamw_amsgrad(torch, nn, optim):
    return _train(torch, nn, lambda p: optim.AdamW(p, lr=1e-2, weight_decay=0.1, amsgrad=True))


@snippet
def optim_rmsprop(torch, nn, optim):
    return _train(torch, nn, lambda p: optim.RMSprop(p, lr=5e-3, alpha=0.9, momentum=0.1, centered=True))


@snippet
def optim_adagrad_adadelta(torch, nn, optim):
    a = _train(torch, nn, lambda p: optim.Adagrad(p, lr=0.1))
    b = _train(torch, nn, lambda p: optim.Adadelta(p, lr=1.0))
    return dict(a=a, b=b)


@snippet
def sched_steplr(torch, nn, optim):
    return _train(torch, nn, lambda p: optim.SGD(p, lr=0.1), steps=5,
                  sched_fn=lambda o: optim.lr_scheduler.StepLR(o, step_size=2, gamma=0.5))


@snippet
def sched_cosine(torch, nn, optim):
    return _train(torch, nn, lambda p: optim.Adam(p, lr=0.1), steps=5,
                  sched_fn=lambda o: optim.lr_scheduler.CosineAnnealingLR(o, T_max=4, eta_min=0.01))


@snippet
def sched_multistep_lambda(torch, nn, optim):
    a = _train(torch, nn, lambda p: optim.SGD(p, lr=0.1), steps=5,
               sched_fn=lambda o: optim.lr_scheduler.MultiStepLR(o, milestones=[1, 3], gamma=0.1))
    b = _train(torch, nn, lambda p: optim.SGD(p, lr=0.1), steps=4,
               sched_fn=lambda o: optim.lr_scheduler.LambdaLR(o, lr_lambda=lambda e: 0.95 ** e))
    c = _train(torch, nn, lambda p: optim.SGD(p, lr=0.1), steps=4,
               sched_fn=lambda o: optim.lr_scheduler.OneCycleLR(o, max_lr=0.5, total_steps=10))
    return dict(a=a["lrs"], b=b["lrs"], c=c["lrs"])


@snippet
def sched_get_last_lr(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    out = []
    for _ in range(3):
        opt.step()
        s.step()
        out.append(s.get_last_lr())
    return dict(out=out, sd=sorted(s.state_dict().keys()) if False else s.state_dict()["last_epoch"])


@snippet
def reduce_on_plateau(torch, nn, optim):
    opt = optim.SGD(nn.Linear(1, 1).parameters(), lr=1.0)
    s = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=1)
    lrs = []
    for loss in [1.0, 0.9, 0.95, 0.96, 0.97, 0.5]:
        s.step(loss)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@snippet
def param_groups(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1)))
    opt = optim.SGD([{"params": net[0].parameters(), "lr": 0.01}, {"params": net[1].parameters()}], lr=0.1, momentum=0.9)
    net(torch.ones(3, 2)).sum().backward()
    opt.step()
    for g in opt.param_groups:
        g["lr"] *= 0.5
    opt.add_param_group({"params": [nn.Parameter(torch.zeros(1))], "lr": 1.0})
    return dict(lrs=[g["lr"] for g in opt.param_groups], mom=[g["momentum"] for g in opt.param_groups],
                w=[p.detach().clone() for p in net.parameters()], n=len(opt.param_groups),
                keys=sorted(k for k in opt.param_groups[0].keys() if k != "params"))


@snippet
def optimizer_state_dict_roundtrip(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.Adam(m.parameters(), lr=0.1)
    for _ in range(2):
        opt.zero_grad(); m(torch.ones(1, 2)).sum().backward(); opt.step()
    sd = opt.state_dict()
    m2 = nn.Linear(2, 1)
    m2.load_state_dict(m.state_dict())
    opt2 = optim.Adam(m2.parameters(), lr=0.5)
    opt2.load_state_dict(sd)
    for o, mm in ((opt, m), (opt2, m2)):
        o.zero_grad(); mm(torch.ones(1, 2)).sum().backward(); o.step()
    st = sd["state"][0]
    return dict(w1=m.weight, w2=m2.weight, keys=sorted(sd.keys()), pg=sd["param_groups"][0]["params"],
                lr=opt2.param_groups[0]["lr"], stk=sorted(st.keys()), step=st["step"])


@snippet
def optimizer_state_access(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.Adam(m.parameters(), lr=0.1)
    m(torch.ones(1, 2)).sum().backward()
    opt.step()
    s = opt.state[m.weight]
    return dict(keys=sorted(s.keys()), ea=s["exp_avg"], step=s["step"])


@snippet
def step_with_closure(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.1)
    x = torch.ones(3, 2)
    def closure():
        opt.zero_grad()
        loss = (m(x) ** 2).mean()
        loss.backward()
        return loss
    l = opt.step(closure)
    return dict(l=l, w=m.weight)


@snippet
def zero_grad_optimizer(torch, nn, optim):
    m = nn.Linear(2, 1)
    opt = optim.SGD(m.parameters(), lr=0.1)
    m(torch.ones(1, 2)).sum().backward()
    opt.zero_grad(set_to_none=False)
    a = m.weight.grad
    m(torch.ones(1, 2)).sum().backward()
    opt.zero_grad()
    return dict(a=a, b=m.weight.grad is None)


@snippet
def optimizer_repr(torch, nn, optim):
    opt = optim.SGD(nn.Linear(2, 1).parameters(), lr=0.1)
    return repr(opt)


@snippet
def optimizer_bad_lr(torch, nn, optim):
    try:
        optim.SGD(nn.Linear(2, 1).parameters(), lr=-1)
        return "no error"
    except ValueError:
        return "ValueError"


@snippet
def optim_params_generator_once(torch, nn, optim):
    m = nn.Linear(2, 1)
    params = m.parameters()
    opt = optim.SGD(params, lr=0.1)
    return len(opt.param_groups[0]["params"])


@snippet
def optim_lr_tensor(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.Adam(m.parameters(), lr=torch.tensor(0.01))
    m(torch.ones(1, 2)).sum().backward()
    opt.step()
    return m.weight


if __name__ == "__main__":
    main(sys.argv[1:])
