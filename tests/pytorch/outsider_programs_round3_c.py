"""More of outsider_programs_round3.py's programs (part 3 of 5; the first part holds the header)."""

import copy

import numpy as np

from pytorch.outsider_programs_round3 import _regression, caught, data, fill_, program


@program
def no_grad_on_a_method_and_generator(torch):
    class Sampler:
        def __init__(self):
            self.w = torch.ones(2, requires_grad=True)

        @torch.no_grad()
        def sample(self, n):
            return self.w * n

    s = Sampler()

    @torch.no_grad()
    def gen():
        for i in range(2):
            yield s.w * i, torch.is_grad_enabled()

    got = list(gen())
    return s.sample(3).requires_grad, [(t.requires_grad, e) for t, e in got], torch.is_grad_enabled()


@program
def no_grad_nested_exception_restores(torch):
    def fail():
        with torch.no_grad():
            raise ValueError("inside")

    err = caught(fail)
    return err, torch.is_grad_enabled()


@program
def requires_grad_inside_no_grad(torch):
    with torch.no_grad():
        w = torch.zeros(3, requires_grad=True)
        y = w + 1
        p = torch.nn.Parameter(torch.ones(2))
    return w.requires_grad, y.requires_grad, p.requires_grad, y.grad_fn is None


# ------------------------------------------------------------------------------------------------- more autograd


@program
def backward_twice_needs_retain_graph(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward(retain_graph=True)
    first = x.grad.clone()
    y.backward()
    second = x.grad.clone()
    z = (x.exp() * x).sum()
    z.backward()
    return first, second, caught(z.backward)


@program
def backward_non_scalar_needs_gradient(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    err = caught(y.backward)
    y.backward(torch.tensor([1.0, 0.5]))
    return err, x.grad


@program
def autograd_grad_allow_unused(torch):
    a = torch.tensor(2.0, requires_grad=True)
    b = torch.tensor(3.0, requires_grad=True)
    y = a * a
    err = caught(torch.autograd.grad, y, [a, b], retain_graph=True)
    ga, gb = torch.autograd.grad(y, [a, b], allow_unused=True, retain_graph=True)
    ga2, gb2 = torch.autograd.grad(y, [a, b], allow_unused=True, materialize_grads=True)
    return err, ga, gb is None, gb2


@program
def grad_accumulates_across_backward(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    for k in range(3):
        (w * (k + 1)).sum().backward()
    return w.grad


@program
def gradient_accumulation_loop(torch):
    x, y = _regression(torch)
    model = fill_(torch, torch.nn.Linear(3, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    opt.zero_grad()
    for i in range(0, 8, 2):
        loss = torch.nn.functional.mse_loss(model(x[i:i + 2]), y[i:i + 2]) / 4
        loss.backward()
    grad = model.weight.grad.clone()
    opt.step()
    full = fill_(torch, torch.nn.Linear(3, 1))
    torch.nn.functional.mse_loss(full(x), y).backward()
    return grad, full.weight.grad, model.weight


@program
def leaf_grad_of_nonleaf_is_none(torch):
    x = torch.ones(2, requires_grad=True)
    h = x * 2
    h.sum().backward()
    return h.grad is None, h.is_leaf, x.is_leaf, h.grad_fn is not None, x.grad_fn is None


@program
def parameters_to_vector_round_trip(torch):
    net = fill_(torch, torch.nn.Linear(3, 2))
    vec = torch.nn.utils.parameters_to_vector(net.parameters())
    torch.nn.utils.vector_to_parameters(vec * 2, net.parameters())
    return vec, net.weight, net.bias, vec.requires_grad


@program
def deepcopy_model_independent(torch):
    net = fill_(torch, torch.nn.Linear(2, 2))
    twin = copy.deepcopy(net)
    with torch.no_grad():
        twin.weight.add_(1.0)
    return net.weight, twin.weight, twin.weight.requires_grad, type(twin.weight).__name__


# ------------------------------------------------------------------------------------------------- a second pass


@program
def function_setup_context_style(torch):
    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(x, k):
            return x * k

        @staticmethod
        def setup_context(ctx, inputs, output):
            _, k = inputs
            ctx.k = k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = data(torch, 3).requires_grad_()
    Mul.apply(x, 4.0).sum().backward()
    return x.grad


@program
def function_once_differentiable(torch):
    from_function = torch.autograd.function

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @from_function.once_differentiable
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = data(torch, 3, dtype=torch.float64).requires_grad_()
    y = Square.apply(x).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    return g, caught(lambda: g.sum().backward())


@program
def function_returns_input_unchanged(torch):
    class Identity(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x

        @staticmethod
        def backward(ctx, g):
            return g * 2

    x = data(torch, 3).requires_grad_()
    y = Identity.apply(x)
    y.sum().backward()
    return y is x, x.grad, y.requires_grad


@program
def function_output_no_grad_input(torch):
    class Double(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g * 2

    y = Double.apply(data(torch, 2))
    return y.requires_grad, y.grad_fn is None


@program
def backward_with_multiple_roots(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y1 = x * 2
    y2 = x ** 2
    torch.autograd.backward([y1.sum(), y2], [None, torch.tensor([1.0, -1.0])])
    return x.grad


@program
def hook_returns_wrong_shape(torch):
    x = torch.ones(3, requires_grad=True)
    x.register_hook(lambda g: g[:2])
    return caught((x * 2).sum().backward)


@program
def forward_hook_with_kwargs(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    seen = []

    def hook(module, args, kwargs, output):
        seen.append((len(args), sorted(kwargs)))
        return output + 1

    lin.register_forward_hook(hook, with_kwargs=True)
    out = lin(input=data(torch, 1, 2))
    return out, seen


@program
def tied_weights(torch):
    class Tied(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(5, 3)
            self.out = torch.nn.Linear(3, 5, bias=False)
            self.out.weight = self.embed.weight

        def forward(self, idx):
            return self.out(self.embed(idx))

    m = fill_(torch, Tied())
    m(torch.tensor([1, 3])).sum().backward()
    return (list(m.state_dict()), [n for n, _ in m.named_parameters()], len(list(m.parameters())),
            m.embed.weight.grad)


@program
def state_dict_detached_and_keep_vars(torch):
    lin = torch.nn.Linear(2, 2)
    sd = lin.state_dict()
    kv = lin.state_dict(keep_vars=True)
    return (sd["weight"].requires_grad, kv["weight"].requires_grad, type(kv["weight"]).__name__,
            sd["weight"].data_ptr() == lin.weight.data_ptr())


@program
def get_submodule_and_parameter(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.Sequential(torch.nn.ReLU(), torch.nn.Linear(3, 1)))
    return (type(net.get_submodule("1.1")).__name__, tuple(net.get_parameter("1.1.weight").shape),
            caught(net.get_submodule, "2"), [n for n, _ in net[1].named_parameters(prefix="head")],
            len(list(net.parameters(recurse=False))))


@program
def module_repr(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Dropout(0.25), torch.nn.Linear(3, 1,
                                                                                                               bias=False))
    return str(net)


@program
def register_parameter_and_buffer_none(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.register_parameter("bias", None)
            self.register_buffer("mask", None)
            self.w = torch.nn.Parameter(torch.ones(2))

    m = M()
    return list(m.state_dict()), m.bias is None, [n for n, _ in m.named_parameters()], m.mask is None


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
def loader_list_of_tuples_collate(torch):
    samples = [(1, 0.5, "a"), (2, 1.5, "b"), (3, 2.5, "c")]
    batch = next(iter(torch.utils.data.DataLoader(samples, batch_size=3)))
    return batch[0], batch[1], batch[2]


@program
def loader_numpy_samples(torch):
    samples = [np.array([i, i + 1], dtype=np.float32) for i in range(4)]
    batches = list(torch.utils.data.DataLoader(samples, batch_size=2))
    return batches


@program
def loader_shuffle_covers_everything(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10))
    g = torch.Generator()
    g.manual_seed(3)
    loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
    seen = torch.cat([b[0] for b in loader])
    return [len(b[0]) for b in loader], seen.sort().values, seen.dtype


@program
def weighted_sampler_length(torch):
    sampler = torch.utils.data.WeightedRandomSampler([0.0, 0.0, 1.0], num_samples=5, replacement=True)
    return list(sampler), len(sampler)


@program
def integer_dtype_edges(torch):
    a = torch.tensor([-2.7, 2.7])
    return (a.to(torch.int64), a.long(), torch.full((2,), 7).dtype, (torch.tensor(3) / 2), torch.tensor(3) // 2,
            (torch.zeros(2, dtype=torch.long) + 0.5).dtype, caught(torch.arange(3).mean),
            torch.tensor([True, True]).sum(), torch.where(torch.tensor([True, False]), 1.0, torch.arange(2)).dtype)


@program
def hessian_two_inputs(torch):
    def f(a, b):
        return (a * b ** 2).sum()

    a = torch.tensor([1.0, 2.0], dtype=torch.float64)
    b = torch.tensor([0.5, -1.0], dtype=torch.float64)
    return torch.autograd.functional.hessian(f, (a, b))


@program
def jacobian_vectorize(torch):
    x = data(torch, 3, dtype=torch.float64)
    return torch.autograd.functional.jacobian(lambda t: t.cumsum(0) * t, x, vectorize=True)


@program
def detect_anomaly_nan(torch):
    x = torch.tensor([0.0], requires_grad=True)

    def go():
        with torch.autograd.detect_anomaly():
            y = torch.sqrt(x) * 0
            y.backward()

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return caught(go)


@program
def grad_of_sum_of_modules_losses(torch):
    enc = fill_(torch, torch.nn.Linear(3, 2))
    dec = fill_(torch, torch.nn.Linear(2, 3), scale=0.2)
    x = data(torch, 4, 3)
    z = enc(x)
    recon = torch.nn.functional.mse_loss(dec(z), x)
    reg = z.pow(2).mean()
    total = recon + 0.1 * reg
    grads = torch.autograd.grad(total, list(enc.parameters()) + list(dec.parameters()))
    return total, grads


# ------------------------------------------------------------------------------------------ a third pass: the edges


@program
def function_grad_summed_to_input_shape(torch):
    class Broadcasting(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g.expand(2, 3) * 1  # a (2, 3) gradient for a (3,) input: summed to its shape, as PyTorch

    x = torch.ones(3, requires_grad=True)
    Broadcasting.apply(x).sum().backward()
    return x.grad


@program
def function_grad_wrong_shape(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 1

        @staticmethod
        def backward(ctx, g):
            return g[:2]

    x = torch.ones(3, requires_grad=True)
    return caught(Bad.apply(x).sum().backward)


@program
def function_grad_other_dtype_cast(torch):
    class Cast(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return (g * 2).double()

    x = torch.ones(3, requires_grad=True)
    Cast.apply(x).sum().backward()
    return x.grad


@program
def function_grad_for_non_tensor_input(torch):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * 2, g.sum()

    x = torch.ones(3, requires_grad=True)
    return caught(Bad.apply(x, 2.0).sum().backward)


@program
def function_saved_output_modified(torch):
    class Exp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            y = x.exp()
            ctx.save_for_backward(y)
            return y

        @staticmethod
        def backward(ctx, g):
            (y,) = ctx.saved_tensors
            return g * y

    x = torch.zeros(2, requires_grad=True)
    y = Exp.apply(x)
    y.add_(1)
    return caught(y.sum().backward)


@program
def function_save_none(torch):
    class MaybeScale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, w):
            ctx.save_for_backward(x, None, w)
            return x * w if w is not None else x

        @staticmethod
        def backward(ctx, g):
            x, nothing, w = ctx.saved_tensors
            return g * w, None

    x = torch.ones(2, requires_grad=True)
    MaybeScale.apply(x, torch.tensor([2.0, 3.0])).sum().backward()
    return x.grad


@program
def function_backward_on_non_differentiable_output(torch):
    class ArgMax(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            out = x.argmax().float()
            ctx.mark_non_differentiable(out)
            return out

        @staticmethod
        def backward(ctx, g):
            return None

    x = torch.tensor([1.0, 3.0, 2.0], requires_grad=True)
    out = ArgMax.apply(x)
    return out, out.requires_grad, caught(out.backward)


@program
def function_integer_output(torch):
    class Count(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return (x > 0).sum(), x * 2

        @staticmethod
        def backward(ctx, g_count, g):
            return g * 2

    x = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
    count, doubled = Count.apply(x)
    doubled.sum().backward()
    return count, count.requires_grad, doubled.requires_grad, x.grad


@program
def function_nested_apply(torch):
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            (x,) = ctx.saved_tensors
            return 2 * x * g

    x = torch.tensor([1.5, -2.0], requires_grad=True)
    y = Square.apply(Square.apply(x) + 1)
    y.sum().backward()
    return y, x.grad


@program
def function_mark_dirty_on_leaf_refused(torch):
    class AddOne_(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x

        @staticmethod
        def backward(ctx, g):
            return g

    w = torch.ones(2, requires_grad=True)
    return caught(AddOne_.apply, w), w


@program
def function_needs_input_grad_none_needed(torch):
    flags = []

    class Mul(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            flags.append(tuple(ctx.needs_input_grad))
            return a * b

        @staticmethod
        def backward(ctx, g):
            return None, None

    y = Mul.apply(torch.ones(2), torch.ones(2))
    with torch.no_grad():
        z = Mul.apply(torch.ones(2, requires_grad=True), torch.ones(2))
    return flags, y.requires_grad, z.requires_grad


@program
def hook_on_tensor_without_grad_refused(torch):
    return caught(torch.ones(2).register_hook, lambda g: g)


@program
def hooks_run_in_order_and_chain(torch):
    order = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: order.append(("first", g.tolist())) or g + 1)
    y.register_hook(lambda g: order.append(("second", g.tolist())) or g * 10)
    y.sum().backward()
    return order, x.grad


@program
def tensor_hook_fires_for_autograd_grad(torch):
    seen = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    h.register_hook(lambda g: seen.append(g.clone()))
    (gx,) = torch.autograd.grad(h.sum() * 2, x)
    return seen, gx, x.grad is None


@program
def retain_grad_on_leaf_and_on_constant(torch):
    x = torch.ones(2, requires_grad=True)
    x.retain_grad()
    (x * 2).sum().backward()
    return x.grad, caught(torch.ones(2).retain_grad)


@program
def module_full_backward_pre_hook(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    seen = []

    def pre(module, grad_output):
        seen.append(grad_output[0].clone())
        return (grad_output[0] * 0,)

    lin.register_full_backward_pre_hook(pre)
    x = torch.ones(3, 2, requires_grad=True)
    lin(x).sum().backward()
    return seen, x.grad, lin.weight.grad


@program
def module_backward_hook_two_inputs(torch):
    class Add(torch.nn.Module):
        def forward(self, a, b):
            return a * b

    m = Add()
    record = []
    m.register_full_backward_hook(lambda mod, gi, go: record.append([g if g is None else g.clone() for g in gi]))
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0])
    m(a, b).sum().backward()
    return record, a.grad


@program
def forward_hooks_prepend_and_remove(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    order = []
    h1 = lin.register_forward_hook(lambda m, i, o: order.append("a"))
    lin.register_forward_hook(lambda m, i, o: order.append("b"))
    lin.register_forward_hook(lambda m, i, o: order.append("c"), prepend=True)
    lin(torch.ones(1, 2))
    h1.remove()
    h1.remove()
    lin(torch.ones(1, 2))
    return order


@program
def forward_pre_hook_with_kwargs(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))

    def pre(module, args, kwargs):
        return (kwargs["input"] * 3,), {}

    lin.register_forward_pre_hook(pre, with_kwargs=True)
    return lin(input=torch.ones(1, 2))


@program
def hook_on_shared_module_called_twice(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    calls = []
    lin.register_forward_hook(lambda m, i, o: calls.append(tuple(o.shape)))
    y = lin(lin(torch.ones(3, 2)))
    return calls, y


@program
def jacobian_scalar_input_and_output(torch):
    x = torch.tensor(0.5, dtype=torch.float64)
    return (torch.autograd.functional.jacobian(lambda t: t.sin() * 2, x),
            torch.autograd.functional.jacobian(lambda t: (t ** 2).sum(), torch.ones(3, dtype=torch.float64)),
            torch.autograd.functional.jacobian(lambda t: t.outer(t), torch.tensor([1.0, 2.0], dtype=torch.float64)))
