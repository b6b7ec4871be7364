"""Programs a PyTorch user writes on training: GAN training loops, custom autograd Functions, hooks, optimizers with
schedulers and their states, accumulation and clipping.  Each is a function of (library, seed) that builds from
float64 NumPy weights and returns what the user looks at; test_real_programs_outsider.py runs each under PyTorch and
under minigan and compares.  Names minigan lacks come back as "missing" (opt); an exception is a result (attempt).
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


def _gan(lib, seed, z=3, h=5, x=2):
    nn = lib.nn
    g = _fill(lib, nn.Sequential(nn.Linear(z, h), nn.LeakyReLU(0.2), nn.Linear(h, x)).double(), seed)
    d = _fill(lib, nn.Sequential(nn.Linear(x, h), nn.LeakyReLU(0.2), nn.Linear(h, 1)).double(), seed + 10)
    return g, d


def _params(module):
    return [p.detach().clone() for p in module.parameters()]


def prog_gan_loop(lib, seed):
    """The DCGAN-tutorial loop: D on real and detached fake with smoothed labels, then G non-saturating."""
    g, d = _gan(lib, seed)
    opt_g = lib.optim.Adam(g.parameters(), lr=2e-3, betas=(0.5, 0.999))
    opt_d = lib.optim.Adam(d.parameters(), lr=2e-3, betas=(0.5, 0.999))
    crit = lib.nn.BCEWithLogitsLoss()
    real = lib.tensor(W(seed + 20, 6, 2))
    out = {"d_loss": [], "g_loss": [], "g_grad_after_d": []}
    for step in range(4):
        noise = lib.tensor(W(seed + 30 + step, 6, 3))
        opt_d.zero_grad()
        fake = g(noise)
        loss_d = (crit(d(real), lib.full((6, 1), 0.9, dtype=lib.float64))
                  + crit(d(fake.detach()), lib.zeros(6, 1, dtype=lib.float64)))
        loss_d.backward()
        out["g_grad_after_d"].append([p.grad is None for p in g.parameters()])
        opt_d.step()
        opt_g.zero_grad()
        loss_g = crit(d(fake), lib.ones(6, 1, dtype=lib.float64))
        loss_g.backward()
        opt_g.step()
        out["d_loss"].append(loss_d.item())
        out["g_loss"].append(loss_g.item())
    out["g"] = _params(g)
    out["d"] = _params(d)
    out["d_grads"] = [p.grad for p in d.parameters()]
    return out


def prog_gan_freeze_d(lib, seed):
    """G step with D frozen by requires_grad_(False): D's grads stay None, then unfreeze."""
    g, d = _gan(lib, seed)
    opt_g = lib.optim.SGD(g.parameters(), lr=0.1, momentum=0.9)
    noise = lib.tensor(W(seed + 1, 4, 3))
    d.requires_grad_(False)
    loss = -d(g(noise)).mean()
    loss.backward()
    out = {"d_grads_none": [p.grad is None for p in d.parameters()],
           "d_requires": [p.requires_grad for p in d.parameters()],
           "g_grads": [p.grad for p in g.parameters()],
           "loss_requires": loss.requires_grad}
    opt_g.step()
    d.requires_grad_(True)
    out["g_after"] = _params(g)
    out["fake_requires"] = d(g(noise).detach()).requires_grad
    with lib.no_grad():
        out["nograd_requires"] = d(g(noise)).requires_grad
    return out


def prog_zero_grad_set_to_none(lib, seed):
    nn = lib.nn
    net = _fill(lib, nn.Linear(3, 2).double(), seed)
    sgd = lib.optim.SGD(net.parameters(), lr=0.1)
    x = lib.tensor(W(seed + 5, 4, 3))
    out = {"before": [p.grad is None for p in net.parameters()]}
    net(x).sum().backward()
    sgd.zero_grad(set_to_none=False)
    out["zeros"] = [p.grad for p in net.parameters()]
    net(x).sum().backward()
    sgd.zero_grad()
    out["default_none"] = [p.grad is None for p in net.parameters()]
    net(x).sum().backward()
    net.zero_grad(set_to_none=True)
    out["module_none"] = [p.grad is None for p in net.parameters()]
    net(x).sum().backward()
    net(x).sum().backward()
    out["accumulated"] = [p.grad for p in net.parameters()]
    sgd.step()
    out["stepped"] = _params(net)
    # a step with every grad None changes nothing (momentum state untouched)
    sgd2 = lib.optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
    sgd2.zero_grad()
    before = _params(net)
    sgd2.step()
    out["none_step_same"] = all(lib.equal(a, b) for a, b in zip(before, _params(net)))
    out["none_step_state"] = len(sgd2.state)
    return out


def prog_bce_pos_weight(lib, seed):
    F = lib.nn.functional
    logits = lib.tensor(W(seed, 5, 3) * 3, requires_grad=True)
    target = lib.tensor((W(seed + 1, 5, 3) > 0).astype(np.float64))
    out = {}
    for name, pw in (("vec", lib.tensor([1.0, 2.0, 0.5], dtype=lib.float64)),
                     ("col", lib.tensor([[3.0]], dtype=lib.float64)),
                     ("scalar", lib.tensor(4.0, dtype=lib.float64))):
        for red in ("mean", "sum", "none"):
            logits.grad = None
            loss = F.binary_cross_entropy_with_logits(logits, target, pos_weight=pw, reduction=red)
            loss.sum().backward()
            out[f"{name}_{red}"] = (loss, logits.grad.clone())
    crit = lib.nn.BCEWithLogitsLoss(weight=lib.tensor([0.5, 1.0, 2.0], dtype=lib.float64),
                                    pos_weight=lib.tensor([2.0, 1.0, 1.0], dtype=lib.float64))
    out["module"] = crit(logits, target)
    out["smooth"] = F.binary_cross_entropy_with_logits(logits, target * 0.9 + 0.05)
    out["bad_pw"] = attempt(lambda: F.binary_cross_entropy_with_logits(
        logits, target, pos_weight=lib.ones(4, dtype=lib.float64)))
    out["bad_shape"] = attempt(lambda: F.binary_cross_entropy_with_logits(logits, target[:, :2]))
    big = lib.tensor([[-800.0, 800.0, 0.0]], dtype=lib.float64)
    out["extreme"] = F.binary_cross_entropy_with_logits(big, lib.tensor([[1.0, 0.0, 1.0]], dtype=lib.float64),
                                                        pos_weight=lib.tensor([3.0, 3.0, 3.0], dtype=lib.float64),
                                                        reduction="none")
    return out


def prog_label_smoothing(lib, seed):
    F = lib.nn.functional
    logits = lib.tensor(W(seed, 6, 4), requires_grad=True)
    y = lib.tensor([0, 1, 2, 3, 1, 2])
    out = {}
    for eps in (0.0, 0.1, 0.5, 1.0):
        logits.grad = None
        loss = F.cross_entropy(logits, y, label_smoothing=eps)
        loss.backward()
        out[f"ls{eps}"] = (loss, logits.grad.clone())
    w = lib.tensor([1.0, 2.0, 0.5, 1.5], dtype=lib.float64)
    out["weighted"] = F.cross_entropy(logits, y, weight=w, label_smoothing=0.2)
    out["ignored"] = F.cross_entropy(logits, lib.tensor([0, -100, 2, 3, -100, 2]), label_smoothing=0.2)
    out["ignored_w"] = F.cross_entropy(logits, lib.tensor([0, 1, 2, 3, 1, 2]), weight=w, ignore_index=1,
                                       label_smoothing=0.3, reduction="sum")
    soft = F.softmax(lib.tensor(W(seed + 1, 6, 4)), dim=1)
    out["soft_targets"] = F.cross_entropy(logits, soft, label_smoothing=0.1)
    out["bad_eps"] = attempt(lambda: F.cross_entropy(logits, y, label_smoothing=1.5))
    out["module"] = lib.nn.CrossEntropyLoss(label_smoothing=0.25, reduction="none")(logits, y)
    return out


def prog_wgan_gp(lib, seed):
    """WGAN-GP: the gradient penalty by autograd.grad(create_graph=True), backpropagated into D."""
    g, d = _gan(lib, seed)
    real = lib.tensor(W(seed + 1, 4, 2))
    fake = g(lib.tensor(W(seed + 2, 4, 3))).detach()
    alpha = lib.tensor(np.linspace(0.1, 0.9, 4).reshape(4, 1))
    mix = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    score = d(mix)
    (grad,) = lib.autograd.grad(score, mix, grad_outputs=lib.ones_like(score), create_graph=True,
                                retain_graph=True)
    gp = ((grad.norm(2, dim=1) - 1) ** 2).mean()
    loss = d(fake).mean() - d(real).mean() + 10 * gp
    loss.backward()
    return {"gp": gp, "grad": grad.detach(), "mix_grad": mix.grad, "d_grads": [p.grad for p in d.parameters()],
            "grad_requires": grad.requires_grad, "g_grads": [p.grad is None for p in g.parameters()]}


def prog_r1_penalty(lib, seed):
    g, d = _gan(lib, seed)
    real = lib.tensor(W(seed + 1, 5, 2), requires_grad=True)
    out = d(real)
    (gr,) = lib.autograd.grad(out.sum(), real, create_graph=True)
    r1 = gr.pow(2).sum(dim=1).mean()
    total = lib.nn.functional.softplus(-out).mean() + 5.0 * r1
    total.backward()
    return {"r1": r1, "real_grad": real.grad, "d_grads": [p.grad for p in d.parameters()]}


def prog_ema_generator(lib, seed):
    """An EMA copy of G updated in place under no_grad, by mul_/add_ and by lerp_."""
    g, _ = _gan(lib, seed)
    ema = copy.deepcopy(g)
    ema2 = copy.deepcopy(g)
    for p in ema.parameters():
        p.requires_grad_(False)
    opt_g = lib.optim.SGD(g.parameters(), lr=0.5)
    for step in range(3):
        opt_g.zero_grad()
        g(lib.tensor(W(seed + step, 4, 3))).pow(2).mean().backward()
        opt_g.step()
        with lib.no_grad():
            for pe, pe2, p in zip(ema.parameters(), ema2.parameters(), g.parameters()):
                pe.mul_(0.9).add_(p, alpha=0.1)
                pe2.lerp_(p, 0.1)
    return {"ema": _params(ema), "ema2": _params(ema2),
            "ema_requires": [p.requires_grad for p in ema.parameters()],
            "ema2_leaf": [p.is_leaf and p.requires_grad and p.grad is None for p in ema2.parameters()],
            "shared": any(pe is p for pe, p in zip(ema.parameters(), g.parameters()))}


def prog_function_basic(lib, seed):
    class Cube(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, scale):
            ctx.save_for_backward(x)
            ctx.scale = scale
            return x ** 3 * scale

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return g * 3 * x ** 2 * ctx.scale, None

    x = lib.tensor(W(seed, 3, 2), requires_grad=True)
    y = Cube.apply(x, 2.0)
    y.sum().backward()
    out = {"y": y.detach(), "grad": x.grad, "requires": y.requires_grad, "leaf": y.is_leaf}
    with lib.no_grad():
        out["nograd_requires"] = Cube.apply(x, 2.0).requires_grad
    plain = lib.tensor(W(seed, 3, 2))
    out["plain_requires"] = Cube.apply(plain, 1.0).requires_grad
    (gg,) = lib.autograd.grad(Cube.apply(x, 1.0).sum(), x)
    out["autograd_grad"] = gg
    return out


def prog_function_needs_input_grad(lib, seed):
    seen = []

    class MulAdd(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a, b, c):
            ctx.save_for_backward(a, b)
            return a * b + c

        @staticmethod
        def backward(ctx, g):
            a, b = ctx.saved_tensors
            seen.append(tuple(ctx.needs_input_grad))
            ga = g * b if ctx.needs_input_grad[0] else None
            gb = g * a if ctx.needs_input_grad[1] else None
            gc = g if ctx.needs_input_grad[2] else None
            return ga, gb, gc

    a = lib.tensor(W(seed, 4), requires_grad=True)
    b = lib.tensor(W(seed + 1, 4))
    c = lib.tensor(W(seed + 2, 4), requires_grad=True)
    MulAdd.apply(a, b, c).sum().backward()
    MulAdd.apply(b, a, 2.0).sum().backward()
    return {"seen": seen, "a": a.grad, "b": b.grad, "c": c.grad}


def prog_function_wrong_grads(lib, seed):
    """A backward that returns the wrong number of gradients, or a wrong shape."""
    class TooFew(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return g

    class BadShape(lib.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            return a * 2

        @staticmethod
        def backward(ctx, g):
            return g.sum()[None].expand(7)

    a = lib.tensor(W(seed, 3), requires_grad=True)
    b = lib.tensor(W(seed + 1, 3), requires_grad=True)
    return {"too_few": attempt(lambda: TooFew.apply(a, b).sum().backward()),
            "bad_shape": attempt(lambda: BadShape.apply(a).sum().backward())}


def prog_function_mark_dirty(lib, seed):
    class AddOneInplace(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    base = lib.tensor(W(seed, 4), requires_grad=True)
    x = base * 2
    y = AddOneInplace.apply(x)
    (y * y).sum().backward()
    out = {"same_object": y is x, "y": y.detach(), "grad": base.grad}
    leaf = lib.tensor(W(seed, 4), requires_grad=True)
    out["leaf_err"] = attempt(lambda: AddOneInplace.apply(leaf))
    return out


def prog_function_non_differentiable(lib, seed):
    class SortWithIndex(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            vals, idx = x.sort()
            ctx.mark_non_differentiable(idx)
            ctx.save_for_backward(idx)
            return vals, idx

        @staticmethod
        def backward(ctx, gv, gi):
            (idx,) = ctx.saved_tensors
            gx = lib.zeros_like(gv)
            gx[idx] = gv
            return gx

    x = lib.tensor(W(seed, 5), requires_grad=True)
    vals, idx = SortWithIndex.apply(x)
    (vals * lib.arange(5, dtype=lib.float64)).sum().backward()
    return {"vals": vals.detach(), "idx": idx, "idx_requires": idx.requires_grad, "vals_requires":
            vals.requires_grad, "grad": x.grad}


def prog_function_materialize(lib, seed):
    """Two outputs, only one used: backward sees zeros for the other (or None with set_materialize_grads(False))."""
    seen = {}

    class Split(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x, materialize):
            ctx.set_materialize_grads(materialize)
            return x * 2, x * 3

        @staticmethod
        def backward(ctx, g1, g2):
            seen[len(seen)] = (g1 is None, None if g2 is None else g2.clone())
            total = g1 * 2 if g1 is not None else 0
            if g2 is not None:
                total = total + g2 * 3
            return total, None

    x = lib.tensor(W(seed, 3), requires_grad=True)
    a, _ = Split.apply(x, True)
    a.sum().backward()
    g_on = x.grad.clone()
    x.grad = None
    a, _ = Split.apply(x, False)
    a.sum().backward()
    return {"seen": [seen[k] for k in sorted(seen)], "on": g_on, "off": x.grad}


def prog_function_double_backward(lib, seed):
    class Square(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    class SquareOnce(lib.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @lib.autograd.function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = lib.tensor(W(seed, 4), requires_grad=True)
    (g1,) = lib.autograd.grad(Square.apply(x).sum(), x, create_graph=True)
    (g2,) = lib.autograd.grad(g1.sum(), x)
    (o1,) = lib.autograd.grad(SquareOnce.apply(x).sum(), x, create_graph=True)
    return {"g1": g1.detach(), "g2": g2, "once_g1": o1.detach(),
            "once_second": attempt(lambda: lib.autograd.grad(o1.sum(), x))}


def prog_function_setup_context(lib, seed):
    """The PyTorch 2 style: forward without ctx, setup_context saves."""
    class Exp(lib.autograd.Function):
        @staticmethod
        def forward(x):
            return x.exp()

        @staticmethod
        def setup_context(ctx, inputs, output):
            ctx.save_for_backward(output)

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = lib.tensor(W(seed, 3), requires_grad=True)
    return opt(lambda: (lambda y: (y.sum().backward(), y.detach(), x.grad)[1:])(Exp.apply(x)))


def prog_tensor_hooks(lib, seed):
    calls = []
    x = lib.tensor(W(seed, 4), requires_grad=True)
    h1 = x.register_hook(lambda g: calls.append(("h1", g.clone())))
    h2 = x.register_hook(lambda g: g * 2)
    (x * x).sum().backward()
    out = {"first": x.grad.clone()}
    h2.remove()
    x.grad = None
    (x * 3).sum().backward()
    out["after_remove"] = x.grad.clone()
    h1.remove()
    h1.remove()  # removing twice is harmless
    mid_calls = []
    x.grad = None
    y = x * 2
    y.register_hook(lambda g: mid_calls.append(g.clone()))
    y.retain_grad()
    y.register_hook(lambda g: g + 1)
    (y ** 2).sum().backward()
    out["mid_calls"] = mid_calls
    out["y_grad"] = y.grad
    out["x_grad"] = x.grad
    out["calls"] = calls
    out["no_grad_err"] = attempt(lambda: lib.tensor([1.0]).register_hook(lambda g: g))
    return out


def prog_module_forward_hooks(lib, seed):
    nn = lib.nn
    net = _fill(lib, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).double(), seed)
    log = []
    acts = {}

    def save(name):
        def hook(mod, inp, out):
            acts[name] = out.detach().clone()
            log.append(("fwd", name, type(inp).__name__, len(inp)))
        return hook

    handles = [m.register_forward_hook(save(n)) for n, m in net.named_children()]
    pre = net[2].register_forward_pre_hook(lambda mod, inp: (inp[0] * 0.5,))
    post = net[2].register_forward_hook(lambda mod, inp, out: out + 1)
    x = lib.tensor(W(seed + 5, 2, 3))
    y1 = net(x)
    out = {"y1": y1.detach(), "acts": dict(sorted(acts.items())), "log": list(log)}
    for h in handles:
        h.remove()
    pre.remove()
    post.remove()
    log.clear()
    out["y2"] = net(x).detach()
    out["log2"] = list(log)
    first = net[0].register_forward_hook(lambda m, i, o: log.append("later"))
    second = opt(lambda: net[0].register_forward_hook(lambda m, i, o: log.append("prepended"), prepend=True))
    net(x)
    out["order"] = list(log)
    first.remove()
    if second != "missing":
        second.remove()
    kw = opt(lambda: net[0].register_forward_pre_hook(lambda m, args, kwargs: None, with_kwargs=True))
    out["kw"] = kw if kw == "missing" else "ok"
    return out


def prog_module_backward_hooks(lib, seed):
    nn = lib.nn
    lin = _fill(lib, nn.Linear(3, 2).double(), seed)
    seen = []

    def bhook(mod, gin, gout):
        seen.append(("full", [None if g is None else tuple(g.shape) for g in gin],
                     [tuple(g.shape) for g in gout], gout[0].clone()))
        return (gin[0] * 10,) if gin[0] is not None else None

    def pre(mod, gout):
        seen.append(("pre", [tuple(g.shape) for g in gout]))
        return (gout[0] * 2,)

    h = lin.register_full_backward_hook(bhook)
    hp = lin.register_full_backward_pre_hook(pre)
    x = lib.tensor(W(seed + 3, 4, 3), requires_grad=True)
    lin(x).sum().backward()
    out = {"seen": seen[:], "x_grad": x.grad, "w_grad": lin.weight.grad}
    h.remove()
    hp.remove()
    x.grad = None
    lin.zero_grad()
    lin(x).sum().backward()
    out["x_grad_plain"] = x.grad
    out["w_grad_plain"] = lin.weight.grad
    # no input requires grad: grad_input is (None,)
    seen.clear()
    lin.register_full_backward_hook(bhook)
    lin(lib.tensor(W(seed + 3, 4, 3))).sum().backward()
    out["seen_noinput"] = [s[:3] for s in seen]
    return out


def prog_post_accumulate_hook(lib, seed):
    p = lib.nn.Parameter(lib.tensor(W(seed, 3)))
    seen = []
    h = opt(lambda: p.register_post_accumulate_grad_hook(lambda t: seen.append(t.grad.clone())))
    if h == "missing":
        return "missing"
    (p * 2).sum().backward()
    (p * 3).sum().backward()
    h.remove()
    (p * 4).sum().backward()
    return {"seen": seen, "grad": p.grad}


def prog_schedulers(lib, seed):
    S = lib.optim.lr_scheduler
    out = {}

    def run(make, steps=8, metric=None):
        p = lib.nn.Parameter(lib.tensor(W(seed, 2)))
        o = lib.optim.SGD([p], lr=0.1, momentum=0.9)
        s = make(o)
        lrs = [o.param_groups[0]["lr"]]
        for i in range(steps):
            o.zero_grad()
            (p * p).sum().backward()
            o.step()
            s.step(metric[i]) if metric else s.step()
            lrs.append(o.param_groups[0]["lr"])
        return lrs, (s.get_last_lr() if metric is None else None), p.detach()

    out["step"] = run(lambda o: S.StepLR(o, step_size=3, gamma=0.5))
    out["multistep"] = run(lambda o: S.MultiStepLR(o, milestones=[2, 5], gamma=0.1))
    out["exp"] = run(lambda o: S.ExponentialLR(o, gamma=0.9))
    out["cos"] = run(lambda o: S.CosineAnnealingLR(o, T_max=4, eta_min=0.01))
    out["lambda"] = run(lambda o: S.LambdaLR(o, lr_lambda=lambda e: 1.0 / (e + 1)))
    out["mult"] = run(lambda o: S.MultiplicativeLR(o, lr_lambda=lambda e: 0.95))
    out["linear"] = run(lambda o: S.LinearLR(o, start_factor=0.25, total_iters=4))
    out["const"] = run(lambda o: S.ConstantLR(o, factor=0.5, total_iters=3))
    out["poly"] = run(lambda o: S.PolynomialLR(o, total_iters=5, power=2.0))
    out["warm_restarts"] = run(lambda o: S.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=0.001))
    out["onecycle"] = run(lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=9))
    out["plateau"] = run(lambda o: S.ReduceLROnPlateau(o, mode="min", factor=0.5, patience=1),
                         metric=[1.0, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8, 0.8])
    return out


def prog_schedulers_chained(lib, seed):
    S = lib.optim.lr_scheduler
    out = {}

    def fresh():
        p = lib.nn.Parameter(lib.tensor(W(seed, 2)))
        return p, lib.optim.Adam([p], lr=0.01)

    p, o = fresh()
    s = S.SequentialLR(o, schedulers=[S.LinearLR(o, start_factor=0.1, total_iters=3),
                                      S.ExponentialLR(o, gamma=0.8)], milestones=[3])
    lrs = []
    for _ in range(7):
        o.step()
        s.step()
        lrs.append(s.get_last_lr()[0])
    out["sequential"] = lrs
    p, o = fresh()
    s = S.ChainedScheduler([S.ConstantLR(o, factor=0.5, total_iters=2), S.ExponentialLR(o, gamma=0.9)])
    lrs = []
    for _ in range(5):
        o.step()
        s.step()
        lrs.append(o.param_groups[0]["lr"])
    out["chained"] = lrs
    p, o = fresh()
    s1 = S.StepLR(o, step_size=2, gamma=0.5)
    s2 = S.ExponentialLR(o, gamma=0.9)
    lrs = []
    for _ in range(5):
        o.step()
        s1.step()
        s2.step()
        lrs.append(o.param_groups[0]["lr"])
    out["two_on_one"] = lrs
    return out


def _sched_state(sd):
    """The keys a user reads back from a scheduler state_dict (others are PyTorch internals that vary by version)."""
    return {k: sd[k] for k in ("last_epoch", "base_lrs", "_last_lr", "_step_count") if k in sd}


def prog_scheduler_state_dict(lib, seed):
    S = lib.optim.lr_scheduler

    def make():
        p = lib.nn.Parameter(lib.tensor(W(seed, 3)))
        o = lib.optim.SGD([p], lr=0.2, momentum=0.5)
        return p, o, S.StepLR(o, step_size=2, gamma=0.5)

    p, o, s = make()
    for _ in range(3):
        o.zero_grad()
        (p ** 2).sum().backward()
        o.step()
        s.step()
    osd = copy.deepcopy(o.state_dict())
    ssd = copy.deepcopy(s.state_dict())
    p2, o2, s2 = make()
    with lib.no_grad():
        p2.copy_(p)
    o2.load_state_dict(osd)
    s2.load_state_dict(ssd)
    for q, oo, ss in ((p, o, s), (p2, o2, s2)):
        for _ in range(3):
            oo.zero_grad()
            (q ** 2).sum().backward()
            oo.step()
            ss.step()
    return {"state": _sched_state(ssd), "p": p.detach(), "p2": p2.detach(), "lr": o.param_groups[0]["lr"],
            "lr2": o2.param_groups[0]["lr"], "last": s2.get_last_lr(), "epoch": s2.last_epoch,
            "initial_lr": o2.param_groups[0].get("initial_lr")}


def prog_optimizer_state_dict(lib, seed):
    nn = lib.nn

    def make():
        net = _fill(lib, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)).double(), seed)
        return net, lib.optim.Adam([{"params": net[0].parameters()},
                                    {"params": net[2].parameters(), "lr": 0.05, "weight_decay": 0.1}],
                                   lr=0.01, amsgrad=True)

    x = lib.tensor(W(seed + 9, 5, 3))
    net, o = make()
    for _ in range(3):
        o.zero_grad()
        net(x).pow(2).mean().backward()
        o.step()
    sd = o.state_dict()
    # cloned now: whether state_dict()'s tensors alias the live state is left open by PyTorch's docs (PyTorch's
    # do, so later steps change them; minigan's are a snapshot)
    out = {"keys": sorted(sd), "state_keys": sorted(sd["state"]),
           "slot_names": sorted(sd["state"][0]),
           "step": sd["state"][0]["step"].clone(),
           "exp_avg": sd["state"][3]["exp_avg"].clone(),
           "groups": [(g["params"], g["lr"], g["betas"], g["weight_decay"], g["amsgrad"])
                      for g in sd["param_groups"]]}
    net2, o2 = make()
    net2.load_state_dict(net.state_dict())
    o2.load_state_dict(copy.deepcopy(sd))
    for n, oo in ((net, o), (net2, o2)):
        for _ in range(2):
            oo.zero_grad()
            n(x).pow(2).mean().backward()
            oo.step()
    out["same"] = [lib.equal(a, b) for a, b in zip(net.parameters(), net2.parameters())]
    out["p"] = _params(net2)
    bad = copy.deepcopy(sd)
    bad["param_groups"] = bad["param_groups"][:1]
    out["bad_groups"] = attempt(lambda: o2.load_state_dict(bad))
    return out


def prog_add_param_group(lib, seed):
    nn = lib.nn
    body = _fill(lib, nn.Linear(3, 3).double(), seed)
    head = _fill(lib, nn.Linear(3, 1).double(), seed + 5)
    o = lib.optim.SGD(body.parameters(), lr=0.1, momentum=0.9, weight_decay=0.01)
    x = lib.tensor(W(seed + 9, 4, 3))
    for _ in range(2):
        o.zero_grad()
        head(body(x)).sum().backward()
        o.step()
    o.add_param_group({"params": head.parameters(), "lr": 0.01, "nesterov": False})
    g = o.param_groups[1]
    out = {"n_groups": len(o.param_groups), "new_group": (g["lr"], g["momentum"], g["weight_decay"],
                                                          g["dampening"], g["nesterov"], len(g["params"]))}
    for _ in range(2):
        o.zero_grad()
        head(body(x)).sum().backward()
        o.step()
    out["body"] = _params(body)
    out["head"] = _params(head)
    out["dup"] = attempt(lambda: o.add_param_group({"params": [body.weight]}))
    out["n_after_dup"] = len(o.param_groups)
    out["nested"] = attempt(lambda: o.add_param_group({"params": lib.zeros(2, requires_grad=True)}))
    a = lib.optim.Adam([nn.Parameter(lib.zeros(2, dtype=lib.float64))], lr=1e-3)
    a.add_param_group({"params": [nn.Parameter(lib.zeros(3, dtype=lib.float64))], "betas": (0.0, 0.9)})
    out["adam_group"] = (a.param_groups[1]["lr"], a.param_groups[1]["betas"], a.param_groups[1]["eps"])
    out["sched_after_add"] = attempt(lambda: lib.optim.lr_scheduler.StepLR(a, 1).base_lrs)
    return out


def prog_param_group_options(lib, seed):
    nn = lib.nn
    net = _fill(lib, nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)).double(), seed)
    decay = [p for n, p in net.named_parameters() if n.endswith("weight")]
    no_decay = [p for n, p in net.named_parameters() if n.endswith("bias")]
    o = lib.optim.AdamW([{"params": decay, "weight_decay": 0.1}, {"params": no_decay, "weight_decay": 0.0}],
                        lr=0.05)
    x = lib.tensor(W(seed + 3, 6, 2))
    lrs = []
    for step in range(4):
        for gi, grp in enumerate(o.param_groups):
            grp["lr"] = 0.05 * (0.5 ** step) * (gi + 1)
        o.zero_grad()
        net(x).pow(2).mean().backward()
        o.step()
        lrs.append([grp["lr"] for grp in o.param_groups])
    return {"lrs": lrs, "p": _params(net), "wd": [grp["weight_decay"] for grp in o.param_groups],
            "empty": attempt(lambda: lib.optim.SGD([], lr=0.1)),
            "neg_lr": attempt(lambda: lib.optim.SGD(net.parameters(), lr=-1.0)),
            "bad_beta": attempt(lambda: lib.optim.Adam(net.parameters(), betas=(1.5, 0.9))),
            "nesterov_no_mom": attempt(lambda: lib.optim.SGD(net.parameters(), lr=0.1, nesterov=True))}


def prog_grad_accumulation(lib, seed):
    nn = lib.nn
    x = lib.tensor(W(seed, 8, 3))
    y = lib.tensor(W(seed + 1, 8, 1))
    full = _fill(lib, nn.Linear(3, 1).double(), seed + 2)
    acc = _fill(lib, nn.Linear(3, 1).double(), seed + 2)
    of = lib.optim.SGD(full.parameters(), lr=0.1)
    oa = lib.optim.SGD(acc.parameters(), lr=0.1)
    of.zero_grad()
    nn.functional.mse_loss(full(x), y).backward()
    of.step()
    oa.zero_grad()
    for xb, yb in zip(x.split(2), y.split(2)):
        (nn.functional.mse_loss(acc(xb), yb) / 4).backward()
    grads = [p.grad.clone() for p in acc.parameters()]
    oa.step()
    return {"full": _params(full), "acc": _params(acc), "grads": grads,
            "close": all(lib.allclose(a, b) for a, b in zip(full.parameters(), acc.parameters()))}


def prog_clip_in_loop(lib, seed):
    nn = lib.nn
    net = _fill(lib, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2)).double(), seed)
    o = lib.optim.SGD(net.parameters(), lr=0.1)
    x = lib.tensor(W(seed + 1, 5, 3) * 10)
    norms = []
    for _ in range(3):
        o.zero_grad()
        net(x).pow(2).sum().backward()
        norms.append(nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0))
        norms.append(sum(p.grad.pow(2).sum() for p in net.parameters()).sqrt())
        o.step()
    o.zero_grad()
    net(x).pow(2).sum().backward()
    norms.append(nn.utils.clip_grad_norm_(net.parameters(), max_norm=0.5, norm_type="inf"))
    norms.append(nn.utils.clip_grad_norm_(net.parameters(), max_norm=0.5, norm_type=1))
    nn.utils.clip_grad_value_(net.parameters(), 0.01)
    out = {"norms": norms, "grads": [p.grad for p in net.parameters()], "p": _params(net)}
    with lib.no_grad():
        net[0].weight.grad[0, 0] = float("nan")
    out["nan_err"] = attempt(lambda: nn.utils.clip_grad_norm_(net.parameters(), 1.0, error_if_nonfinite=True))
    out["nan_total"] = nn.utils.clip_grad_norm_(net.parameters(), 1.0)
    out["one_tensor"] = nn.utils.clip_grad_norm_(net[2].weight, 1e-3)
    out["no_grads"] = nn.utils.clip_grad_norm_([nn.Parameter(lib.zeros(2, dtype=lib.float64))], 1.0)
    return out
