"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): optimizers and
learning-rate schedulers: steps, state and its round trips, param groups, custom subclasses, refusals."""

import copy
import io

from pytorch.corpus import (
    _loss,
    _quad,
    _regression,
    caught,
    data,
    fill_,
    registry,
)

PROGRAMS, program = registry()


@program
def adam_state_dict_round_trip(torch):
    x, y = _regression(torch)

    def make():
        return fill_(torch, torch.nn.Linear(3, 1))

    def step(model, opt):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(x), y)
        loss.backward()
        opt.step()
        return loss.item()

    a = make()
    opt_a = torch.optim.Adam(a.parameters(), lr=0.05, betas=(0.8, 0.99))
    for _ in range(3):
        step(a, opt_a)
    saved_model = copy.deepcopy(a.state_dict())
    saved_opt = copy.deepcopy(opt_a.state_dict())
    for _ in range(3):
        step(a, opt_a)

    b = make()
    b.load_state_dict(saved_model)
    opt_b = torch.optim.Adam(b.parameters(), lr=0.05)
    opt_b.load_state_dict(saved_opt)
    for _ in range(3):
        step(b, opt_b)
    state = opt_b.state_dict()
    return (a.weight, b.weight, a.bias, b.bias, sorted(state["state"]), state["state"][0]["step"],
            state["param_groups"][0]["betas"], state["param_groups"][0]["params"])


@program
def sgd_momentum_state(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)
    for _ in range(4):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
    return w, opt.state[w]["momentum_buffer"], list(opt.state_dict()["state"][0])


@program
def param_groups_different_lr(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 1)))
    opt = torch.optim.SGD([
        {"params": net[0].parameters()},
        {"params": net[2].parameters(), "lr": 0.5},
    ], lr=0.01, momentum=0.5)
    x, y = _regression(torch)
    for _ in range(3):
        opt.zero_grad()
        torch.nn.functional.mse_loss(net(x), y).backward()
        opt.step()
    return ([g["lr"] for g in opt.param_groups], [g["momentum"] for g in opt.param_groups],
            net[0].weight, net[2].weight)


@program
def add_param_group_later(torch):
    enc = fill_(torch, torch.nn.Linear(3, 3))
    head = fill_(torch, torch.nn.Linear(3, 1), scale=0.5)
    opt = torch.optim.Adam(enc.parameters(), lr=0.01)
    x, y = _regression(torch)
    for i in range(4):
        if i == 2:
            opt.add_param_group({"params": head.parameters(), "lr": 0.1})
        opt.zero_grad()
        torch.nn.functional.mse_loss(head(enc(x).relu()), y).backward()
        opt.step()
    return (len(opt.param_groups), opt.param_groups[1]["lr"], opt.param_groups[1]["betas"], head.weight,
            enc.weight, opt.state_dict()["param_groups"][1]["params"])


@program
def add_param_group_duplicate(torch):
    lin = torch.nn.Linear(2, 2)
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    return caught(opt.add_param_group, {"params": [lin.weight]})


@program
def zero_grad_set_to_none(torch):
    lin = fill_(torch, torch.nn.Linear(2, 1))
    opt = torch.optim.SGD(lin.parameters(), lr=0.1)
    lin(data(torch, 3, 2)).sum().backward()
    opt.zero_grad(set_to_none=False)
    kept = (lin.weight.grad, lin.bias.grad)
    lin(data(torch, 3, 2)).sum().backward()
    opt.zero_grad()
    return kept, lin.weight.grad is None, lin.bias.grad is None


@program
def module_zero_grad(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    lin(data(torch, 3, 2)).sum().backward()
    lin.zero_grad(set_to_none=False)
    zeros = lin.weight.grad.clone()
    lin.zero_grad()
    return zeros, lin.weight.grad


@program
def chained_schedulers(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s1 = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    s2 = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)
    lrs = []
    for _ in range(6):
        opt.step()
        s1.step()
        s2.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, s1.get_last_lr(), s2.get_last_lr()


@program
def chained_scheduler_class(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    sched = torch.optim.lr_scheduler.ChainedScheduler([
        torch.optim.lr_scheduler.ConstantLR(opt, factor=0.1, total_iters=2),
        torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9),
    ])
    lrs = []
    for _ in range(5):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    return lrs


@program
def sequential_lr_warmup(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    warm = torch.optim.lr_scheduler.LinearLR(opt, start_factor=0.25, total_iters=3)
    decay = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4)
    sched = torch.optim.lr_scheduler.SequentialLR(opt, [warm, decay], milestones=[3])
    lrs = []
    for _ in range(8):
        opt.step()
        sched.step()
        lrs.append(opt.param_groups[0]["lr"])
    return lrs


@program
def lambda_and_multistep(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([{"params": [w]}, {"params": [torch.zeros(1, requires_grad=True)], "lr": 0.5}], lr=1.0)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 1 / (e + 1), lambda e: 0.9 ** e])
    out = []
    for _ in range(3):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr())
    opt2 = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    ms = torch.optim.lr_scheduler.MultiStepLR(opt2, milestones=[1, 3], gamma=0.1)
    for _ in range(4):
        opt2.step()
        ms.step()
        out.append(ms.get_last_lr())
    return out


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


@program
def optimizer_states_for_each_kind(torch):
    out = {}
    for name, make in [("RMSprop", lambda ps: torch.optim.RMSprop(ps, lr=0.01, momentum=0.5)),
                       ("Adagrad", lambda ps: torch.optim.Adagrad(ps, lr=0.1)),
                       ("AdamW", lambda ps: torch.optim.AdamW(ps, lr=0.1, amsgrad=True)),
                       ("Adadelta", lambda ps: torch.optim.Adadelta(ps)),
                       ("Adamax", lambda ps: torch.optim.Adamax(ps, lr=0.1)),
                       ("NAdam", lambda ps: torch.optim.NAdam(ps, lr=0.1)),
                       ("RAdam", lambda ps: torch.optim.RAdam(ps, lr=0.1))]:
        w = torch.tensor([1.0, -2.0], requires_grad=True)
        opt = make([w])
        for _ in range(2):
            opt.zero_grad()
            (w ** 2).sum().backward()
            opt.step()
        state = opt.state_dict()["state"][0]
        out[name] = (w, {k: state[k] for k in sorted(state)})
    return out


@program
def optimizer_load_state_dict_mismatch(torch):
    a = torch.optim.SGD([torch.zeros(2, requires_grad=True)], lr=0.1)
    b = torch.optim.SGD([torch.zeros(2, requires_grad=True), torch.zeros(1, requires_grad=True)], lr=0.1)
    return caught(b.load_state_dict, a.state_dict())


@program
def manual_lr_change_mid_training(torch):
    w = torch.tensor([1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    for step in range(4):
        if step == 2:
            for g in opt.param_groups:
                g["lr"] = 0.01
        opt.zero_grad()
        (w * w).sum().backward()
        opt.step()
    return w, opt.defaults["lr"]


@program
def cosine_warm_restarts_and_polynomial(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=0.1)
    lrs = []
    for _ in range(7):
        opt.step()
        s.step()
        lrs.append(s.get_last_lr()[0])
    opt2 = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0)
    p = torch.optim.lr_scheduler.PolynomialLR(opt2, total_iters=4, power=2.0)
    for _ in range(5):
        opt2.step()
        p.step()
        lrs.append(p.get_last_lr()[0])
    return lrs


@program
def sgd_closure_returns_loss(torch):
    w = torch.tensor([2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (w - 1).pow(2).sum()
        loss.backward()
        return loss

    losses = [opt.step(closure).item() for _ in range(3)]
    return losses, w


@program
def adam_maximize_amsgrad_weight_decay(torch):
    w = torch.tensor([1.0, -1.0, 0.5], requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.1, amsgrad=True, weight_decay=0.1, maximize=True)
    for i in range(4):
        opt.zero_grad()
        (-(w - i) ** 2).sum().backward()
        opt.step()
    sd = opt.state_dict()
    return w, sorted(sd["state"][0]), sd["state"][0]["max_exp_avg_sq"], sd["param_groups"][0]["maximize"]


@program
def optimizer_named_parameters(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    opt = torch.optim.SGD(net.named_parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    opt.step()
    return opt.param_groups[0].get("param_names"), opt.state_dict()["param_groups"][0].get("param_names"), net.weight


@program
def scheduler_initial_lr_in_groups(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.4)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    return (opt.param_groups[0]["initial_lr"], sched.last_epoch, sched.get_last_lr(),
            sorted(opt.state_dict()["param_groups"][0]))


@program
def scheduler_without_initial_lr_refused(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.4)
    return caught(torch.optim.lr_scheduler.StepLR, opt, step_size=1, last_epoch=3)


@program
def multiplicative_and_constant_lr(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.MultiplicativeLR(opt, lr_lambda=lambda e: 0.5)
    out = []
    for _ in range(3):
        opt.step()
        s.step()
        out.append(opt.param_groups[0]["lr"])
    return out


@program
def optimizer_door_refusals(torch):
    w = torch.ones(2, requires_grad=True)
    return (caught(torch.optim.SGD, [], lr=0.1), caught(torch.optim.SGD, [w * 2], lr=0.1),
            caught(torch.optim.SGD, [w], lr=-1.0), caught(torch.optim.Adam, [w], betas=(1.0, 0.9)),
            caught(torch.optim.Adam, [w], eps=-1.0), caught(torch.optim.SGD, [w], lr=0.1, momentum=-0.5),
            caught(torch.optim.SGD, w, lr=0.1), caught(torch.optim.SGD, [torch.ones(2)], lr=0.1))


@program
def optimizer_duplicate_param_in_group(torch):
    import warnings

    w = torch.ones(2, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt = torch.optim.SGD([w, w], lr=0.1)
    w.grad = torch.ones(2)
    opt.step()
    return w, len(opt.param_groups[0]["params"])


@program
def optimizer_skips_params_without_grad(torch):
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    opt = torch.optim.Adam([a, b], lr=0.1)
    (a * 2).sum().backward()
    opt.step()
    return a, b, list(opt.state_dict()["state"])


@program
def scheduler_step_epoch_argument_and_print_lr(torch):
    import warnings

    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt.step()
        s.step()
        s.step()
    return s.get_last_lr(), s.last_epoch, s.state_dict()["_last_lr"], s.base_lrs


@program
def custom_optimizer_pytorch_style(torch):
    class SignSGD(torch.optim.Optimizer):
        def __init__(self, params, lr=0.01, beta=0.9):
            super().__init__(params, dict(lr=lr, beta=beta))

        @torch.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state[p]
                    if "avg" not in state:
                        state["avg"] = torch.zeros_like(p)
                    state["avg"].mul_(group["beta"]).add_(p.grad, alpha=1 - group["beta"])
                    p.add_(state["avg"].sign(), alpha=-group["lr"])

    w = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    opt = SignSGD([w], lr=0.1)
    for _ in range(3):
        opt.zero_grad()
        ((w - 0.2) ** 2).sum().backward()
        opt.step()
    sd = opt.state_dict()
    return w, sd["state"][0]["avg"], sd["param_groups"][0]["beta"], type(opt.state[w]["avg"]).__name__


@program
def custom_scheduler_subclass(torch):
    class Halving(torch.optim.lr_scheduler.LRScheduler):
        def get_lr(self):
            return [base / (2 ** self.last_epoch) for base in self.base_lrs]

    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.8)
    sched = Halving(opt)
    out = []
    for _ in range(3):
        opt.step()
        sched.step()
        out.append(sched.get_last_lr()[0])
    return out


@program
def reduce_on_plateau_max_mode_cooldown(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", factor=0.1, patience=0, threshold=0.1,
                                                   threshold_mode="abs", cooldown=1, min_lr=0.005)
    lrs = []
    for acc in [0.5, 0.55, 0.56, 0.57, 0.9, 0.91, 0.92, 0.93]:
        s.step(acc)
        lrs.append(opt.param_groups[0]["lr"])
    return lrs, s.state_dict()["num_bad_epochs"], s.state_dict()["best"]


@program
def one_cycle_three_phase_linear(torch):
    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.1)
    s = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, epochs=2, steps_per_epoch=4, anneal_strategy="linear",
                                            three_phase=True)
    out = []
    for _ in range(7):
        opt.step()
        s.step()
        out.append((opt.param_groups[0]["lr"], opt.param_groups[0]["betas"][0]))
    return out


@program
def optimizer_tensor_lr_and_flags(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.Adam([w], lr=torch.tensor(0.1))
    (w ** 2).sum().backward()
    opt.step()
    err = caught(torch.optim.Adam, [w], foreach=True, fused=True)
    damp = torch.optim.SGD([torch.ones(1, requires_grad=True)], lr=0.1, momentum=0.9, dampening=0.1)
    return w, err, damp.param_groups[0]["dampening"], type(opt.param_groups[0]["lr"]).__name__


@program
def optimizer_state_dict_after_add_param_group(torch):
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(3, requires_grad=True)
    opt = torch.optim.Adam([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.01})
    (a.sum() + (b * 2).sum()).backward()
    opt.step()
    a2, b2 = torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True)
    opt2 = torch.optim.Adam([{"params": [a2]}, {"params": [b2]}], lr=0.5)
    opt2.load_state_dict(opt.state_dict())
    (a2.sum() + (b2 * 2).sum()).backward()
    opt2.step()
    return [g["lr"] for g in opt2.param_groups], a2, b2, opt2.state_dict()["state"][1]["step"]


@program
def scheduler_epoch_argument(torch):
    import warnings

    w = torch.zeros(1, requires_grad=True)
    opt = torch.optim.SGD([w], lr=1.0)
    s = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        opt.step()
        s.step(5)
    return s.last_epoch, opt.param_groups[0]["lr"]


@program
def adam_on_float64_and_float32_params(torch):
    a = torch.tensor([1.0, -1.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    opt = torch.optim.Adam([a, b], lr=0.1)
    for _ in range(2):
        opt.zero_grad()
        ((a ** 2).sum() + (b ** 2).sum()).backward()
        opt.step()
    sd = opt.state_dict()["state"]
    return a, b, sd[0]["exp_avg"].dtype, sd[1]["exp_avg"].dtype, sd[0]["step"].dtype


@program
def save_optimizer_and_scheduler_objects(torch):
    w = torch.tensor([1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.5, momentum=0.9)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    w.grad = torch.ones(1)
    opt.step()
    sched.step()
    buf = io.BytesIO()
    torch.save({"opt": opt.state_dict(), "sched": sched.state_dict()}, buf)
    buf.seek(0)
    state = torch.load(buf)
    return state["opt"]["param_groups"][0]["lr"], state["sched"]["last_epoch"], state["opt"]["state"][0]


@program
def optimizer_argument_refusals(torch):
    w = [torch.nn.Parameter(torch.ones(2))]
    return (caught(torch.optim.SGD, w, lr=-0.1), caught(torch.optim.SGD, w, lr=0.1, nesterov=True),
            caught(torch.optim.Adam, w, betas=(0.9, 1.0)), caught(torch.optim.Adam, w, eps=-1.0),
            caught(torch.optim.SGD, [], lr=0.1), caught(torch.optim.SGD, torch.ones(2), lr=0.1),
            caught(torch.optim.Adam, w, weight_decay=-1), caught(torch.optim.SGD, w, momentum=-0.5),
            caught(torch.optim.RMSprop, w, alpha=-1.0), caught(torch.optim.SGD, [torch.ones(2)], lr=0.1),
            caught(torch.optim.SGD, w), torch.optim.SGD(w).defaults["lr"])


@program
def scheduler_steps_alongside_optimizer_groups(torch):
    a = torch.nn.Parameter(torch.tensor([1.0]))
    b = torch.nn.Parameter(torch.tensor([2.0]))
    opt = torch.optim.SGD([{"params": [a], "lr": 0.1}, {"params": [b], "lr": 0.01}], momentum=0.9)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_lambda=[lambda e: 0.5 ** e, lambda e: 1.0 / (e + 1)])
    lrs = []
    for _ in range(4):
        opt.zero_grad()
        (a * a + b * b).sum().backward()
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr())
    return lrs, a, b, [g["lr"] for g in opt.param_groups], sched.last_epoch, list(sched.state_dict())


@program
def exponential_and_step_lr_with_warmup_by_hand(torch):
    w = torch.nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.Adam([w], lr=0.1)
    step = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    seen = []
    for epoch in range(6):
        if epoch < 2:
            for g in opt.param_groups:
                g["lr"] = 0.1 * (epoch + 1) / 2
        opt.zero_grad()
        w.sum().backward()
        opt.step()
        step.step()
        seen.append(round(opt.param_groups[0]["lr"], 10))
    return seen, w


@program
def optimizer_state_round_trip_then_continue(torch):
    kinds = [(torch.optim.SGD, dict(lr=0.1, momentum=0.9, nesterov=True)), (torch.optim.Adam, dict(lr=0.05,
                                                                                                   amsgrad=True)),
             (torch.optim.AdamW, dict(lr=0.05, weight_decay=0.1)), (torch.optim.RMSprop, dict(lr=0.01, centered=True,
                                                                                            momentum=0.5)),
             (torch.optim.Adagrad, dict(lr=0.1, lr_decay=0.01)), (torch.optim.Adamax, dict(lr=0.05)),
             (torch.optim.NAdam, dict(lr=0.05)), (torch.optim.RAdam, dict(lr=0.05)), (torch.optim.Adadelta,
                                                                                      dict(lr=1.0))]
    out = []
    for cls, kw in kinds:
        w, b = _quad(torch)
        opt = cls([w, b], **kw)
        for _ in range(3):
            opt.zero_grad()
            _loss(torch, w, b).backward()
            opt.step()
        saved = copy.deepcopy(opt.state_dict())  # a snapshot: PyTorch's state_dict() holds the live tensors
        w2, b2 = w.detach().clone().requires_grad_(), b.detach().clone().requires_grad_()
        opt2 = cls([w2, b2], **kw)
        opt2.load_state_dict(saved)
        for params, o in (([w, b], opt), ([w2, b2], opt2)):
            for _ in range(3):
                o.zero_grad()
                _loss(torch, *params).backward()
                o.step()
        out.append((cls.__name__, w, w2, b2, sorted(saved["state"][0]), saved["param_groups"][0]["params"]))
    return out


@program
def optimizer_state_dict_holds_the_live_state(torch):
    w = torch.nn.Parameter(torch.ones(2, dtype=torch.float64))
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = torch.ones(2, dtype=torch.float64)
    opt.step()
    saved = opt.state_dict()  # without deepcopy: PyTorch's entries are the optimizer's own tensors
    opt.step()
    return saved["state"][0]["momentum_buffer"], saved["state"][0]["momentum_buffer"] is opt.state[w]["momentum_buffer"]


@program
def per_group_options_and_add_param_group(torch):
    w, b = _quad(torch)
    extra = torch.nn.Parameter(torch.tensor([2.0], dtype=torch.float64))
    opt = torch.optim.SGD([{"params": [w], "weight_decay": 0.1}, {"params": [b], "lr": 0.5, "momentum": 0.9}],
                          lr=0.1, momentum=0.0)
    opt.add_param_group({"params": extra, "lr": 0.01, "dampening": 0.5, "momentum": 0.5})
    for _ in range(4):
        opt.zero_grad()
        (_loss(torch, w, b) + (extra ** 2).sum()).backward()
        opt.step()
    groups = [{k: v for k, v in g.items() if k not in ("params",)} for g in opt.param_groups]
    keys = [sorted(g) for g in groups]
    return (w, b, extra, [(g["lr"], g["momentum"], g["weight_decay"], g["dampening"]) for g in groups],
            keys[2] == keys[0],
            caught(opt.add_param_group, {"params": [w]}), caught(opt.add_param_group, {"lr": 0.1}))


@program
def maximize_and_weight_decay_variants(torch):
    out = []
    for cls, kw in [(torch.optim.SGD, dict(lr=0.1, maximize=True, weight_decay=0.1)),
                    (torch.optim.Adam, dict(lr=0.1, maximize=True)), (torch.optim.AdamW, dict(lr=0.1, maximize=True)),
                    (torch.optim.RMSprop, dict(lr=0.1, maximize=True)), (torch.optim.Adagrad, dict(lr=0.1,
                                                                                                   maximize=True)),
                    (torch.optim.SGD, dict(lr=0.1, momentum=0.9, dampening=0.1)),
                    (torch.optim.Adam, dict(lr=0.1, weight_decay=0.5, amsgrad=True))]:
        w, b = _quad(torch)
        opt = cls([w, b], **kw)
        for _ in range(3):
            opt.zero_grad()
            (-_loss(torch, w, b) if kw.get("maximize") else _loss(torch, w, b)).backward()
            opt.step()
        out.append((cls.__name__, w, b))
    return out, caught(torch.optim.SGD, [torch.nn.Parameter(torch.ones(1))], lr=0.1, nesterov=True)


@program
def schedulers_lr_trajectories_and_get_last_lr(torch):
    sched = torch.optim.lr_scheduler

    def trajectory(make, steps=8):
        p = torch.nn.Parameter(torch.zeros(1))
        opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
        s = make(opt)
        lrs = []
        for _ in range(steps):
            opt.step()
            s.step()
            lrs.append(s.get_last_lr()[0])
        return lrs

    return {
        "step": trajectory(lambda o: sched.StepLR(o, step_size=3, gamma=0.5)),
        "multistep": trajectory(lambda o: sched.MultiStepLR(o, milestones=[2, 5], gamma=0.1)),
        "exponential": trajectory(lambda o: sched.ExponentialLR(o, gamma=0.9)),
        "cosine": trajectory(lambda o: sched.CosineAnnealingLR(o, T_max=4, eta_min=0.01), steps=10),
        "lambda": trajectory(lambda o: sched.LambdaLR(o, lambda e: 1 / (e + 1))),
        "linear": trajectory(lambda o: sched.LinearLR(o, start_factor=0.25, total_iters=4)),
        "constant": trajectory(lambda o: sched.ConstantLR(o, factor=0.5, total_iters=3)),
        "polynomial": trajectory(lambda o: sched.PolynomialLR(o, total_iters=5, power=2.0)),
        "warm_restarts": trajectory(lambda o: sched.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2)),
        "onecycle": trajectory(lambda o: sched.OneCycleLR(o, max_lr=1.0, total_steps=9), steps=8),
        "onecycle_linear": trajectory(lambda o: sched.OneCycleLR(o, max_lr=1.0, total_steps=9, anneal_strategy="linear",
                                                                 three_phase=True), steps=8),
        "chained": trajectory(lambda o: sched.ChainedScheduler([sched.ExponentialLR(o, 0.9),
                                                                sched.StepLR(o, 2, 0.5)])),
        "sequential": trajectory(lambda o: sched.SequentialLR(o, [sched.LinearLR(o, 0.5, total_iters=2),
                                                                  sched.ExponentialLR(o, 0.5)], milestones=[3])),
    }


@program
def onecycle_momentum_cycles_and_plateau_modes(torch):
    sched = torch.optim.lr_scheduler
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=0.1, momentum=0.9)
    s = sched.OneCycleLR(opt, max_lr=0.5, epochs=2, steps_per_epoch=3, pct_start=0.5, div_factor=10,
                         final_div_factor=100)
    moms = []
    for _ in range(6):
        opt.step()
        s.step()
        moms.append((opt.param_groups[0]["lr"], opt.param_groups[0]["momentum"]))
    p2 = torch.nn.Parameter(torch.zeros(1))
    opt2 = torch.optim.Adam([p2], lr=1.0)
    plateau = sched.ReduceLROnPlateau(opt2, mode="max", factor=0.5, patience=1, threshold=0.1, threshold_mode="abs",
                                      cooldown=1, min_lr=0.1)
    lrs = []
    for metric in [1.0, 1.05, 1.02, 0.9, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0, 2.0]:
        plateau.step(metric)
        lrs.append(opt2.param_groups[0]["lr"])
    return moms, lrs, plateau.get_last_lr(), caught(sched.OneCycleLR, opt, max_lr=0.1)


@program
def named_param_groups_as_training_scripts_tag_them(torch):
    backbone = fill_(torch, torch.nn.Linear(3, 3)).double()
    head = fill_(torch, torch.nn.Linear(3, 2)).double()
    opt = torch.optim.AdamW([{"params": backbone.parameters(), "name": "backbone", "lr": 1e-4},
                             {"params": head.parameters(), "name": "head"}], lr=1e-2, weight_decay=0.05)
    x = data(torch, 4, 3, dtype=torch.float64)
    for _ in range(2):
        opt.zero_grad()
        head(backbone(x)).pow(2).mean().backward()
        opt.step()
    lrs = {g["name"]: g["lr"] for g in opt.param_groups}
    saved = opt.state_dict()
    fresh = torch.optim.AdamW([{"params": backbone.parameters(), "name": "b"},
                               {"params": head.parameters(), "name": "h"}], lr=1.0)
    fresh.load_state_dict(saved)
    return (lrs, [list(g) for g in opt.param_groups], [g["name"] for g in fresh.param_groups],
            [list(g) for g in saved["param_groups"]], head.weight, caught(opt.add_param_group, {"lr": 0.1}))
