"""More of outsider_programs_round3.py's programs (part 5 of 5; the first part holds the header)."""

import io

import numpy as np

from pytorch.outsider_programs_round3 import caught, data, fill_, program
from pytorch.outsider_programs_round3_b import _gan


@program
def nonleaf_grad_assignment_and_read(torch):
    import warnings

    x = torch.ones(2, requires_grad=True)
    y = x * 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        before = y.grad
        y.grad = torch.ones(2)
        after = y.grad
    return before is None, after


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
def mixed_precision_manual_loss_scaling(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    x = data(torch, 4, 2)
    loss = net(x).pow(2).mean()
    (loss * 1024.0).backward()
    for p in net.parameters():
        p.grad.div_(1024.0)
    finite = all(bool(torch.isfinite(p.grad).all()) for p in net.parameters())
    return loss, net.weight.grad, finite


@program
def float64_model_float32_targets_loss(torch):
    net = fill_(torch, torch.nn.Linear(2, 1)).double()
    x = data(torch, 3, 2, dtype=torch.float64)
    y = data(torch, 3, 1)
    out = net(x)
    loss = ((out - y) ** 2).mean()
    loss.backward()
    return loss.dtype, loss, net.weight.grad.dtype, caught(torch.nn.functional.mse_loss, out, y)


# ------------------------------------------------------------------------------------------ a fifth pass


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
def zero_grad_after_create_graph(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    (w ** 3).sum().backward(create_graph=True)
    graded = w.grad.requires_grad
    w.grad.sum().backward()
    second = w.grad.clone()
    opt.zero_grad(set_to_none=False)
    return graded, second, w.grad, w.grad.requires_grad, w.grad.grad_fn is None


@program
def jacobian_forward_mode_strategy(torch):
    x = torch.ones(2, dtype=torch.float64)
    f = torch.autograd.functional.jacobian
    return caught(f, lambda t: t * 2, x, strategy="forward-mode"), caught(f, lambda t: t * 2, x, strategy="sideways")


@program
def function_returns_python_number(torch):
    class Norm(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x.norm().item()

        @staticmethod
        def backward(ctx, g):
            return g

    out = Norm.apply(torch.tensor([3.0, 4.0], requires_grad=True))
    return out, type(out).__name__


@program
def module_parameters_generator_consumed(torch):
    net = torch.nn.Linear(2, 2)
    params = net.parameters()
    count = sum(1 for _ in params)
    return count, caught(torch.optim.SGD, params, lr=0.1)


@program
def extra_state_round_trip(torch):
    class Counter(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.calls = 0
            self.lin = torch.nn.Linear(1, 1)

        def get_extra_state(self):
            return {"calls": self.calls}

        def set_extra_state(self, state):
            self.calls = state["calls"]

    a = Counter()
    a.calls = 7
    b = Counter()
    b.load_state_dict(a.state_dict())
    return list(a.state_dict()), b.calls


@program
def custom_extra_repr(torch):
    class Scale(torch.nn.Module):
        def __init__(self, k):
            super().__init__()
            self.k = k

        def extra_repr(self):
            return f"k={self.k}"

    net = torch.nn.Sequential(Scale(2), torch.nn.Sequential(Scale(3)))
    return repr(net), repr(Scale(1))


@program
def flatten_unflatten_in_sequential(torch):
    net = torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(6, 6), torch.nn.Unflatten(1, (2, 3)))
    fill_(torch, net)
    out = net(data(torch, 4, 2, 3))
    return out.shape, list(net.state_dict()), repr(net[0]), repr(net[2])


@program
def named_parameters_remove_duplicate(torch):
    shared = torch.nn.Linear(1, 1)
    net = torch.nn.Sequential(shared, shared)
    return ([n for n, _ in net.named_parameters()], [n for n, _ in net.named_parameters(remove_duplicate=False)],
            [n for n, _ in net.named_buffers()])


@program
def module_requires_grad_returns_self(torch):
    net = torch.nn.Linear(2, 2)
    same = net.requires_grad_(False) is net
    return same, [p.requires_grad for p in net.parameters()], net.weight.is_leaf


@program
def loader_worker_option_refusals(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(4.0))
    return (caught(torch.utils.data.DataLoader, ds, persistent_workers=True),
            caught(torch.utils.data.DataLoader, ds, prefetch_factor=2),
            caught(torch.utils.data.DataLoader, ds, timeout=-1),
            caught(torch.utils.data.DataLoader, ds, num_workers=-1),
            [b[0] for b in torch.utils.data.DataLoader(ds, batch_size=2, pin_memory=True, num_workers=0)])


@program
def custom_sampler_subclass(torch):
    class EveryOther(torch.utils.data.Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter(range(0, self.n, 2))

        def __len__(self):
            return (self.n + 1) // 2

    ds = torch.utils.data.TensorDataset(torch.arange(7.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=2, sampler=EveryOther(7))
    return [b[0] for b in loader], len(loader)


@program
def random_sampler_lengths(torch):
    s = torch.utils.data.RandomSampler(range(4), replacement=True, num_samples=6)
    s2 = torch.utils.data.RandomSampler(range(4))
    return (len(s), len(list(s)), sorted(s2), caught(torch.utils.data.RandomSampler, range(4), num_samples=0),
            caught(torch.utils.data.RandomSampler, range(4), replacement=1))


@program
def dataset_add_and_subset_tensor_indices(torch):
    a = torch.utils.data.TensorDataset(torch.arange(3.0))
    b = torch.utils.data.TensorDataset(torch.arange(5.0, 7.0))
    both = a + b
    sub = torch.utils.data.Subset(both, torch.tensor([4, 0]))
    return type(both).__name__, len(both), both[4], sub[0], len(sub)


@program
def clip_norm_type_string_and_int(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([3.0, -4.0])
    total_inf = torch.nn.utils.clip_grad_norm_([w], 100.0, norm_type="inf")
    total_int = torch.nn.utils.clip_grad_norm_([w], 100.0, norm_type=1)
    return total_inf, total_int, total_inf.dtype


@program
def double_backward_through_hooks(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 3
    y.register_hook(lambda g: g * 2)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), x)
    return g, h


@program
def load_state_dict_ordered_dict_from_load(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    state = torch.load(buf)
    fresh = torch.nn.Linear(2, 1)
    result = fresh.load_state_dict(state)
    return type(state).__name__, fresh.weight, list(result.missing_keys), repr(result)


@program
def gradient_penalty_on_images(torch):
    D = fill_(torch, torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(8, 4), torch.nn.Tanh(),
                                         torch.nn.Linear(4, 1)))
    real = data(torch, 3, 2, 2, 2)
    fake = data(torch, 3, 2, 2, 2, offset=1.0)
    eps = torch.tensor([0.2, 0.5, 0.9]).view(3, 1, 1, 1)
    mix = (eps * real + (1 - eps) * fake).requires_grad_()
    (g,) = torch.autograd.grad(D(mix).sum(), mix, create_graph=True)
    gp = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
    gp.backward()
    return gp, D[1].weight.grad, D[3].weight.grad


@program
def wgan_critic_iterations_with_frozen_generator(torch):
    G, D = _gan(torch)
    opt_d = torch.optim.Adam(D.parameters(), lr=1e-3, betas=(0.0, 0.9))
    for p in G.parameters():
        p.requires_grad_(False)
    z = data(torch, 4, 2, offset=0.5)
    for _ in range(3):
        opt_d.zero_grad()
        loss = D(G(z)).mean() - D(data(torch, 4, 2)).mean()
        loss.backward()
        opt_d.step()
    return loss, D[0].weight, G[0].weight.grad is None


@program
def set_grad_enabled_as_function_returns(torch):
    prev = torch.is_grad_enabled()
    r = torch.set_grad_enabled(False)
    inside = torch.is_grad_enabled()
    torch.set_grad_enabled(prev)
    return type(r).__name__, inside, torch.is_grad_enabled()


@program
def bce_with_logits_pos_weight_and_double_targets(torch):
    logits = data(torch, 4, 1).requires_grad_()
    target = torch.tensor([[1.0], [0.0], [1.0], [0.0]], dtype=torch.float64)
    err = caught(torch.nn.functional.binary_cross_entropy_with_logits, logits, target)
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, target.float(), pos_weight=torch.tensor([3.0]))
    loss.backward()
    return err, loss, logits.grad


# ------------------------------------------------------------------------------------------ a sixth pass


@program
def backward_refusals(torch):
    x = torch.ones(2, requires_grad=True)
    plain = torch.ones(2)
    return (caught(plain.sum().backward), caught(torch.autograd.grad, plain.sum(), x),
            caught((x * 2).backward, torch.ones(3)), caught(torch.autograd.grad, (x * 2).sum(), plain),
            caught(torch.autograd.grad, x * 2, x, grad_outputs=torch.ones(3)))


@program
def autograd_backward_grad_tensors_keyword(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.autograd.backward(x * 3, grad_tensors=torch.tensor([1.0, -1.0]))
    return x.grad


@program
def tensor_hook_returns_other_dtype_or_number(torch):
    x = torch.ones(2, requires_grad=True)
    x.register_hook(lambda g: g.double())
    err1 = caught((x * 2).sum().backward)
    return err1, x.grad


@program
def tensor_hook_returns_number(torch):
    y = torch.ones(2, requires_grad=True)
    y.register_hook(lambda g: 3.0)
    return caught((y * 2).sum().backward)


@program
def forward_pre_hook_with_kwargs_bad_return(torch):
    lin = torch.nn.Linear(2, 2)
    lin.register_forward_pre_hook(lambda m, args, kwargs: args, with_kwargs=True)
    return caught(lin, torch.ones(1, 2))


@program
def forward_hook_on_dict_output(torch):
    class Heads(torch.nn.Module):
        def forward(self, x):
            return {"a": x * 2, "b": x.sum()}

    m = Heads()
    m.register_forward_hook(lambda mod, args, out: {**out, "c": out["a"] + 1})
    out = m(torch.ones(2))
    return sorted(out), out["c"]


@program
def function_save_twice_and_non_tensor_first(torch):
    class Weighted(torch.autograd.Function):
        @staticmethod
        def forward(ctx, weights, x):
            ctx.save_for_backward(x)
            ctx.save_for_backward(x * 0 + sum(weights))
            return x * sum(weights)

        @staticmethod
        def backward(ctx, g):
            (s,) = ctx.saved_tensors
            return None, g * s

    x = torch.tensor([1.0, 2.0], requires_grad=True)
    Weighted.apply([0.5, 1.5], x).sum().backward()
    return x.grad


@program
def loader_sampler_without_len(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(4.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=2, sampler=iter([3, 1, 0]))
    return [b[0] for b in loader], caught(len, torch.utils.data.DataLoader(ds, sampler=iter([0])))


@program
def collate_numpy_dicts_and_default_convert(torch):
    samples = [{"x": np.array([1.0, 2.0]), "n": np.int64(3)}, {"x": np.array([3.0, 4.0]), "n": np.int64(4)}]
    batch = next(iter(torch.utils.data.DataLoader(samples, batch_size=2)))
    converted = torch.utils.data.default_convert([np.array([1, 2]), np.float32(0.5)])
    return batch["x"], batch["n"], converted[0], type(converted[1]).__name__


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
def load_weights_only_refuses_module(torch):
    buf = io.BytesIO()
    torch.save(torch.nn.Linear(1, 1), buf)
    buf.seek(0)
    return caught(torch.load, buf, weights_only=True)


@program
def no_grad_result_requires_grad_later(torch):
    w = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        y = w * 2
    y.requires_grad_()
    (y * 3).sum().backward()
    return y.grad, w.grad is None, y.is_leaf


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
def module_call_hook_order_with_backward_pre(torch):
    lin = fill_(torch, torch.nn.Linear(2, 1))
    order = []
    lin.register_full_backward_pre_hook(lambda m, go: order.append("pre") or None)
    lin.register_full_backward_hook(lambda m, gi, go: order.append("hook") or None)
    x = torch.ones(1, 2, requires_grad=True)
    x.register_hook(lambda g: order.append("x") or None)
    lin(x).sum().backward()
    return order


@program
def grad_of_intermediate_with_hooks_allow_unused(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    z = torch.tensor([5.0], requires_grad=True)
    y = (h ** 2).sum()
    gh, gz = torch.autograd.grad(y, [h, z], allow_unused=True)
    return gh, gz


# ------------------------------------------------------------------------------------------ a seventh pass


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
def clip_grad_norm_mixed_dtypes(torch):
    a = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([12.0], requires_grad=True)
    a.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    b.grad = torch.tensor([12.0])
    total = torch.nn.utils.clip_grad_norm_([a, b], 1.0)
    return total, a.grad, b.grad


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
def subset_indices_and_dataset_attribute(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0))
    sub = torch.utils.data.Subset(ds, [3, 1])
    loader = torch.utils.data.DataLoader(sub, batch_size=5)
    return sub.indices, sub.dataset is ds, [b[0] for b in loader], len(loader), loader.batch_size, loader.drop_last


@program
def module_list_state_dict_and_repr(torch):
    ml = torch.nn.ModuleList([torch.nn.Linear(1, 2), torch.nn.ReLU()])
    pl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2))])
    md = torch.nn.ModuleDict({"b": torch.nn.Tanh(), "a": torch.nn.Identity()})
    return list(ml.state_dict()), repr(ml), list(pl.state_dict()), repr(md), list(md)


@program
def vector_round_trip_of_grads(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    net(torch.ones(1, 2)).sum().backward()
    flat = torch.nn.utils.parameters_to_vector(p.grad for p in net.parameters())
    return flat, flat.shape


@program
def hook_sees_grad_under_accumulation(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    w.register_hook(lambda g: seen.append(g.clone()))
    (w * 2).sum().backward()
    (w * 3).sum().backward()
    return seen, w.grad
