"""Training loops drawn from a seed (tests/pytorch/training_programs.py runs them): a model of nn layers (Linear,
Conv1d/2d, ConvTranspose2d, BatchNorm, LayerNorm, GroupNorm, InstanceNorm, Dropout in eval, Embedding, RNN/GRU/LSTM,
Sequential/ModuleList/ModuleDict, a shared layer, activations as modules), a loss with its reduction, weights,
ignore_index or label smoothing, an optimizer (every one, param groups), a scheduler (every one), and extras:
gradient accumulation, clipping by norm or value, zero_grad(set_to_none=...), a frozen parameter."""
import random


def build_model(T, c):
    nn = T.nn
    kind = c.choice(["mlp", "mlp_bn", "conv1d", "conv2d", "convT", "embed", "rnn", "dict", "list", "gn", "shared"])
    act = c.choice([nn.ReLU, nn.Tanh, nn.SiLU, nn.GELU, nn.ELU, nn.LeakyReLU, nn.Sigmoid, nn.Softplus, nn.Hardtanh,
                    nn.Mish, nn.SELU, nn.PReLU, nn.Hardswish, nn.CELU, nn.Softsign, nn.LogSigmoid])
    if kind == "mlp":
        m = nn.Sequential(nn.Linear(4, 6), act(), nn.Dropout(0.3), nn.LayerNorm(6), nn.Linear(6, 3))
        return kind, m, (8, 4)
    if kind == "mlp_bn":
        m = nn.Sequential(nn.Linear(4, 6), nn.BatchNorm1d(6, momentum=c.choice([0.1, 0.5, None])), act(),
                          nn.Linear(6, 3))
        return kind, m, (8, 4)
    if kind == "conv1d":
        m = nn.Sequential(nn.Conv1d(2, 3, 3, padding=1, stride=c.choice([1, 2])), act(), nn.BatchNorm1d(3),
                          nn.Flatten(), nn.Identity())
        return kind, m, (4, 2, 6)
    if kind == "conv2d":
        m = nn.Sequential(nn.Conv2d(2, 3, 3, padding=c.choice([0, 1]), bias=c.choice([True, False])), act(),
                          nn.BatchNorm2d(3, affine=c.choice([True, False])), nn.Conv2d(3, 2, 1))
        return kind, m, (3, 2, 5, 5)
    if kind == "convT":
        m = nn.Sequential(nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=c.choice([0, 1])), act(),
                          nn.GroupNorm(1, 3))
        return kind, m, (2, 2, 3, 3)
    if kind == "gn":
        m = nn.Sequential(nn.Conv2d(4, 4, 3, padding=1), nn.GroupNorm(2, 4, affine=c.choice([True, False])), act(),
                          nn.InstanceNorm2d(4, affine=True), nn.Flatten(), nn.Linear(4 * 9, 3))
        return kind, m, (3, 4, 3, 3)
    if kind == "embed":
        m = nn.Sequential(nn.Embedding(7, 4, padding_idx=c.choice([None, 0, 3]),
                                       max_norm=c.choice([None, None, 1.0])), nn.Flatten(), nn.Linear(12, 3))
        return kind, m, ("ints", 7, (5, 3))
    if kind == "rnn":
        cls = c.choice([nn.RNN, nn.GRU, nn.LSTM])
        kw = dict(num_layers=c.choice([1, 2]), batch_first=c.choice([True, False]),
                  bidirectional=c.choice([True, False]), bias=c.choice([True, False]))

        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.rnn = cls(3, 4, **kw)
                self.head = nn.Linear(4 * (2 if kw["bidirectional"] else 1), 3)

            def forward(self, x):
                out, _ = self.rnn(x)
                return self.head(out[:, -1] if kw["batch_first"] else out[-1])
        return f"rnn-{cls.__name__}-{kw}", M(), (5, 4, 3)
    if kind == "dict":
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.blocks = nn.ModuleDict({"a": nn.Linear(4, 5), "b": nn.Linear(5, 3)})
                self.act = act()

            def forward(self, x):
                return self.blocks["b"](self.act(self.blocks["a"](x)))
        return kind, M(), (8, 4)
    if kind == "list":
        class M(nn.Module):
            def __init__(self):
                super().__init__()
                self.layers = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
                self.out = nn.Linear(4, 3)

            def forward(self, x):
                for lay in self.layers:
                    x = x + T.tanh(lay(x))
                return self.out(x)
        return kind, M(), (8, 4)
    # shared: one Linear used twice
    lin = nn.Linear(4, 4)
    m = nn.Sequential(lin, act(), lin, nn.Linear(4, 3))
    return kind, m, (8, 4)


def build_loss(T, c, out_shape):
    nn = T.nn
    red = c.choice(["mean", "sum", "none"])
    kind = c.choice(["mse", "l1", "huber", "smoothl1", "ce", "ce_w", "ce_ls", "nll", "bcel", "bce", "kl", "ce_prob"])
    if kind == "mse":
        return kind, nn.MSELoss(reduction=red), "real", red
    if kind == "l1":
        return kind, nn.L1Loss(reduction=red), "real", red
    if kind == "huber":
        return kind, nn.HuberLoss(reduction=red, delta=c.choice([0.5, 1.0, 2.0])), "real", red
    if kind == "smoothl1":
        return kind, nn.SmoothL1Loss(reduction=red, beta=c.choice([0.5, 1.0])), "real", red
    if kind == "ce":
        return kind, nn.CrossEntropyLoss(reduction=red, ignore_index=c.choice([-100, 1])), "class", red
    if kind == "ce_w":
        w = T.tensor([0.2, 1.0, 2.5])
        return kind, nn.CrossEntropyLoss(weight=w, reduction=red, ignore_index=c.choice([-100, 0])), "class", red
    if kind == "ce_ls":
        return kind, nn.CrossEntropyLoss(reduction=red, label_smoothing=c.choice([0.1, 0.3])), "class", red
    if kind == "ce_prob":
        return kind, nn.CrossEntropyLoss(reduction=red, label_smoothing=c.choice([0.0, 0.2])), "prob", red
    if kind == "nll":
        w = c.choice([None, T.tensor([1.0, 0.5, 3.0])])

        class L(nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = nn.NLLLoss(weight=w, reduction=red, ignore_index=c.choice([-100, 2]))

            def forward(self, x, y):
                return self.inner(T.log_softmax(x, dim=1), y)
        return kind, L(), "class", red
    if kind == "bcel":
        pw = c.choice([None, T.tensor([1.0, 2.0, 0.5])])
        return kind, nn.BCEWithLogitsLoss(reduction=red, pos_weight=pw), "binary", red
    if kind == "bce":
        class L(nn.Module):
            def __init__(self):
                super().__init__()
                self.inner = nn.BCELoss(reduction=red)

            def forward(self, x, y):
                return self.inner(T.sigmoid(x), y)
        return kind, L(), "binary", red

    class K(nn.Module):
        def __init__(self):
            super().__init__()
            self.inner = nn.KLDivLoss(reduction=c.choice(["batchmean", "sum", "mean"]),
                                      log_target=c.choice([True, False]))
            self.lt = self.inner.log_target

        def forward(self, x, y):
            tgt = T.log_softmax(y, dim=1) if self.lt else T.softmax(y, dim=1)
            return self.inner(T.log_softmax(x, dim=1), tgt)
    return kind, K(), "real", "mean"


def build_opt(T, c, model):
    o = T.optim
    kind = c.choice(["sgd", "sgdm", "nesterov", "adam", "adamw", "amsgrad", "rmsprop", "rmsprop_c", "adagrad",
                     "adamax", "nadam", "radam", "adadelta", "groups"])
    params = model.parameters()
    wd = c.choice([0.0, 0.0, 0.01, 0.1])
    if kind == "sgd":
        return kind, o.SGD(params, lr=0.1, weight_decay=wd)
    if kind == "sgdm":
        return kind, o.SGD(params, lr=0.05, momentum=0.9, dampening=c.choice([0.0, 0.3]), weight_decay=wd)
    if kind == "nesterov":
        return kind, o.SGD(params, lr=0.05, momentum=0.8, nesterov=True, weight_decay=wd)
    if kind == "adam":
        return kind, o.Adam(params, lr=0.01, betas=(0.8, 0.95), weight_decay=wd, eps=1e-6)
    if kind == "adamw":
        return kind, o.AdamW(params, lr=0.01, weight_decay=c.choice([0.01, 0.1]))
    if kind == "amsgrad":
        return kind, o.Adam(params, lr=0.01, amsgrad=True, weight_decay=wd)
    if kind == "rmsprop":
        return kind, o.RMSprop(params, lr=0.01, alpha=0.9, momentum=c.choice([0.0, 0.5]), weight_decay=wd)
    if kind == "rmsprop_c":
        return kind, o.RMSprop(params, lr=0.01, centered=True, momentum=c.choice([0.0, 0.5]))
    if kind == "adagrad":
        return kind, o.Adagrad(params, lr=0.1, lr_decay=c.choice([0.0, 0.01]), weight_decay=wd,
                               initial_accumulator_value=c.choice([0.0, 0.1]))
    if kind == "adamax":
        return kind, o.Adamax(params, lr=0.02, weight_decay=wd)
    if kind == "nadam":
        return kind, o.NAdam(params, lr=0.01, weight_decay=wd, decoupled_weight_decay=c.choice([False, True]))
    if kind == "radam":
        return kind, o.RAdam(params, lr=0.01, weight_decay=wd, decoupled_weight_decay=c.choice([False, True]))
    if kind == "adadelta":
        return kind, o.Adadelta(params, lr=1.0, rho=0.8, weight_decay=wd)
    named = list(model.named_parameters())
    decay = [p for n, p in named if n.endswith("weight")]
    no_decay = [p for n, p in named if not n.endswith("weight")]
    groups = [{"params": decay, "weight_decay": 0.05}]
    if no_decay:
        groups.append({"params": no_decay, "lr": 0.003, "weight_decay": 0.0})
    cls = c.choice([o.SGD, o.Adam, o.AdamW])
    kw = {"momentum": 0.9} if cls is o.SGD else {}
    return f"groups-{cls.__name__}", cls(groups, lr=0.02, **kw)


def build_sched(T, c, opt):
    s = T.sched
    kind = c.choice(["none", "step", "multistep", "exp", "cos", "cosrestart", "linear", "constant", "lambda",
                     "mult", "poly", "onecycle", "plateau", "sequential", "chained"])
    if kind == "none":
        return kind, None
    if kind == "step":
        return kind, s.StepLR(opt, step_size=2, gamma=0.5)
    if kind == "multistep":
        return kind, s.MultiStepLR(opt, milestones=[2, 3, 5], gamma=0.3)
    if kind == "exp":
        return kind, s.ExponentialLR(opt, gamma=0.8)
    if kind == "cos":
        return kind, s.CosineAnnealingLR(opt, T_max=4, eta_min=0.001)
    if kind == "cosrestart":
        return kind, s.CosineAnnealingWarmRestarts(opt, T_0=2, T_mult=2, eta_min=1e-4)
    if kind == "linear":
        return kind, s.LinearLR(opt, start_factor=0.25, end_factor=1.0, total_iters=3)
    if kind == "constant":
        return kind, s.ConstantLR(opt, factor=0.5, total_iters=2)
    if kind == "lambda":
        return kind, s.LambdaLR(opt, lr_lambda=lambda e: 1.0 / (1 + e))
    if kind == "mult":
        return kind, s.MultiplicativeLR(opt, lr_lambda=lambda e: 0.9)
    if kind == "poly":
        return kind, s.PolynomialLR(opt, total_iters=4, power=2.0)
    if kind == "onecycle":
        return kind, s.OneCycleLR(opt, max_lr=0.05, total_steps=12,
                                  cycle_momentum=any("momentum" in g or "betas" in g for g in opt.param_groups) and
                                  c.choice([True, False]), anneal_strategy=c.choice(["cos", "linear"]))
    if kind == "plateau":
        return kind, s.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=0, threshold=0.5)
    if kind == "sequential":
        a = s.LinearLR(opt, start_factor=0.5, total_iters=2)
        b = s.ExponentialLR(opt, gamma=0.9)
        return kind, s.SequentialLR(opt, schedulers=[a, b], milestones=[2])
    a = s.ConstantLR(opt, factor=0.5, total_iters=2)
    b = s.ExponentialLR(opt, gamma=0.9)
    return kind, s.ChainedScheduler([a, b])


def make_input(T, R, spec):
    if spec[0] == "ints":
        return R.ints(spec[1], *spec[2])
    return R.data(*spec)


def target_for(T, R, kind, out):
    shape = tuple(out.shape)
    if kind == "real":
        return R.data(*shape)
    if kind == "binary":
        return T.tensor((R.rng.random(size=shape) > 0.5).astype(float))
    if kind == "prob":
        return T.softmax(R.data(*shape), dim=1)
    tshape = (shape[0],) + shape[2:]
    return R.ints(shape[1], *tshape)


def program(seed):
    def prog(T, R):
        c = random.Random(seed)
        mk, model, spec = build_model(T, c)
        R.v("model", mk)
        x0 = make_input(T, R, spec)
        # lazy: run once to build, then init weights
        R.init(model)
        lk, loss_fn, tkind, red = build_loss(T, c, None)
        R.v("loss", lk)
        with T.no_grad():
            probe = model(x0)
        # output of models: (N, 3) or (N, C, ...). Class targets need C == 3 in dim 1 (conv outputs have C=2/3)
        y = target_for(T, R, tkind, probe)
        freeze = c.random() < 0.2
        if freeze:
            first = next(iter(model.parameters()))
            first.requires_grad_(False)
        ok, opt = build_opt(T, c, model)
        R.v("opt", ok)
        sk, sched = build_sched(T, c, opt)
        R.v("sched", sk)
        accum = c.choice([1, 1, 2])
        clip = c.choice([None, None, "norm", "value", "norm_inf"])
        set_none = c.choice([True, False])
        steps = c.choice([3, 5, 8])
        model.train(mk != "mlp")  # the mlp trains with its Dropout switched off by eval()
        for it in range(steps):
            opt.zero_grad(set_to_none=set_none)
            for a in range(accum):
                x = make_input(T, R, spec) if a else x0
                out = model(x)
                loss = loss_fn(out, y)
                if red == "none":
                    loss = loss.mean() if loss.dim() else loss
                R.t(f"loss{it}.{a}", loss)
                (loss / accum).backward()
            if clip == "norm":
                R.t(f"norm{it}", T.utils.clip_grad_norm_(model.parameters(), max_norm=0.5))
            elif clip == "norm_inf":
                R.t(f"norm{it}", T.utils.clip_grad_norm_(model.parameters(), max_norm=0.1, norm_type=float("inf")))
            elif clip == "value":
                R.t(f"clipv{it}", T.utils.clip_grad_value_(model.parameters(), clip_value=0.05))
            R.grads(model, f"grad{it}")
            opt.step()
            if sched is not None:
                if sk == "plateau":
                    sched.step(loss.item())
                else:
                    sched.step()
            R.v(f"lr{it}", [g["lr"] for g in opt.param_groups])
            if sk == "onecycle":
                R.v(f"mom{it}", [g.get("momentum", g.get("betas")) for g in opt.param_groups])
            if sched is not None and sk != "plateau":
                R.v(f"last_lr{it}", sched.get_last_lr())
        R.params(model)
        R.buffers(model)
        R.opt_state(opt)
        model.eval()
        with T.no_grad():
            ev = model(x0)
        R.t("eval", ev)
        if sched is not None:
            sd = sched.state_dict()
            R.v("sched.keys", sorted(k for k in sd if not k.startswith("_")))
            for k in sorted(sd):
                if isinstance(sd[k], (int, float, str, bool)) and not k.startswith("_"):
                    R.v(f"sched.{k}", sd[k])
    return prog
