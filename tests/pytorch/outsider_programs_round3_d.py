"""More of outsider_programs_round3.py's programs (part 4 of 5; the first part holds the header)."""

import copy
import io

from pytorch.outsider_programs_round3 import caught, data, fill_, program
from pytorch.outsider_programs_round3_b import _gan


@program
def jacobian_tuple_out_tuple_in(torch):
    def f(a, b):
        return a + b, a * b

    a = torch.tensor([1.0, 2.0], dtype=torch.float64)
    b = torch.tensor([3.0, 4.0], dtype=torch.float64)
    jac = torch.autograd.functional.jacobian(f, (a, b))
    return len(jac), len(jac[0]), jac[1][1], type(jac).__name__


@program
def vjp_scalar_output_no_v_and_errors(torch):
    x = torch.tensor([1.0, 2.0], dtype=torch.float64)
    out, g = torch.autograd.functional.vjp(lambda t: (t ** 3).sum(), x)
    return out, g, caught(torch.autograd.functional.vjp, lambda t: t ** 3, x), \
        caught(torch.autograd.functional.hessian, lambda t: t ** 3, x)


@program
def hvp_create_graph(torch):
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    v = torch.tensor([1.0, 1.0], dtype=torch.float64)
    out, hv = torch.autograd.functional.hvp(lambda t: (t ** 4).sum(), x, v, create_graph=True)
    hv.sum().backward()
    return out, hv, hv.requires_grad, x.grad


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
def load_state_dict_casts_dtype(torch):
    lin = torch.nn.Linear(2, 1)
    sd = {"weight": torch.tensor([[1.0, 2.0]], dtype=torch.float64), "bias": torch.tensor([3], dtype=torch.int64)}
    lin.load_state_dict(sd)
    return lin.weight, lin.bias, type(lin.weight).__name__, lin.weight.requires_grad


@program
def load_state_dict_assign(torch):
    lin = torch.nn.Linear(2, 1)
    w = torch.tensor([[1.0, 2.0]], dtype=torch.float64)
    lin.load_state_dict({"weight": w, "bias": torch.zeros(1)}, assign=True)
    return lin.weight.dtype, type(lin.weight).__name__, lin.weight.requires_grad, lin.weight


@program
def double_keeps_integer_buffers(torch):
    bn = torch.nn.BatchNorm1d(3).double()
    bn(torch.ones(4, 3, dtype=torch.float64))
    half = torch.nn.BatchNorm1d(3).half()
    return bn.running_mean.dtype, bn.num_batches_tracked.dtype, bn.num_batches_tracked, half.weight.dtype, \
        half.num_batches_tracked.dtype


@program
def plain_tensor_attribute_not_registered(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.scale = torch.ones(2)
            self.fc = torch.nn.Linear(2, 2)

    m = M()
    del m.fc
    m.register_module("head", torch.nn.Linear(2, 1))
    return list(m.state_dict()), hasattr(m, "fc"), [n for n, _ in m.named_children()]


@program
def named_modules_shared_once(torch):
    shared = torch.nn.Linear(2, 2)
    net = torch.nn.Sequential(shared, torch.nn.ReLU(), shared)
    return ([n for n, _ in net.named_modules()], [n for n, _ in net.named_modules(remove_duplicate=False)],
            len(list(net.parameters())), list(net.state_dict()))


@program
def module_list_operations(torch):
    ml = torch.nn.ModuleList([torch.nn.Linear(1, 1), torch.nn.ReLU()])
    ml2 = ml + torch.nn.ModuleList([torch.nn.Tanh()])
    ml[1] = torch.nn.Sigmoid()
    ml.insert(0, torch.nn.Identity())
    ml.extend([torch.nn.ELU()])
    popped = ml.pop(1)
    return ([type(m).__name__ for m in ml], [type(m).__name__ for m in ml2], type(popped).__name__,
            type(ml[-2:]).__name__, caught(lambda: ml[10]))


@program
def empty_sequential_and_pop(torch):
    empty = torch.nn.Sequential()
    net = torch.nn.Sequential(torch.nn.Linear(1, 1), torch.nn.ReLU())
    last = net.pop(-1)
    return empty(torch.tensor([1.0, 2.0])), len(empty), type(last).__name__, len(net)


@program
def module_dict_refuses_non_string(torch):
    d = torch.nn.ModuleDict()
    d["a"] = torch.nn.ReLU()
    return caught(lambda: d.__setitem__(1, torch.nn.ReLU())), list(d), caught(lambda: d["b"])


@program
def train_eval_return_self(torch):
    net = torch.nn.Sequential(torch.nn.Dropout(), torch.nn.Linear(1, 1))
    same = net.eval() is net and net.train() is net and net.train(False) is net
    net[0].train()
    return same, net.training, net[0].training, net[1].training, net.apply(lambda m: None) is net, \
        net.to(torch.float64) is net


@program
def data_and_grad_data_idioms(torch):
    net = fill_(torch, torch.nn.Linear(2, 1))
    net(torch.ones(3, 2)).sum().backward()
    net.weight.grad.data.zero_()
    net.bias.data.fill_(0.5)
    net.weight.data = net.weight.data * 2
    out = net(torch.ones(1, 2))
    return net.weight, net.bias, net.weight.grad, out, net.weight.requires_grad, net.weight.is_leaf


@program
def advanced_index_assign_repeated(torch):
    x = torch.zeros(4)
    idx = torch.tensor([0, 2, 2])
    x[idx] += 1
    y = torch.zeros(4)
    y.index_put_((idx,), torch.tensor(1.0), accumulate=True)
    return x, y


@program
def no_grad_write_into_parameter_row(torch):
    emb = torch.nn.Embedding(4, 2)
    with torch.no_grad():
        emb.weight[0] = 0
        emb.weight[1:].fill_(1.0)
    out = emb(torch.tensor([0, 1]))
    out.sum().backward()
    return emb.weight, emb.weight.grad, emb.weight.requires_grad


@program
def sigmoid_inplace_then_backward(torch):
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    h = x * 2
    h.sigmoid_()
    h.sum().backward()
    return h, x.grad


@program
def view_inplace_leaf_under_no_grad(torch):
    w = torch.ones(2, 3, requires_grad=True)
    with torch.no_grad():
        w[0].mul_(5)
        w.t()[1].zero_()
    (w * w).sum().backward()
    return w, w.grad


@program
def save_whole_model_and_load(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.ReLU()))
    buf = io.BytesIO()
    torch.save(net, buf)
    buf.seek(0)
    loaded = torch.load(buf, weights_only=False)
    return type(loaded).__name__, loaded(torch.ones(1, 2)), loaded[0].weight.requires_grad


@program
def load_with_map_location(torch):
    buf = io.BytesIO()
    torch.save({"w": torch.arange(3.0)}, buf)
    buf.seek(0)
    return torch.load(buf, map_location="cpu")["w"]


@program
def default_collate_scalars(torch):
    collate = torch.utils.data.default_collate
    return (collate([1, 2, 3]), collate([1.0, 2.5]), collate([True, False]), collate(["a", "b"]),
            collate([(1, 2.0), (3, 4.0)]), collate([{"a": [1, 2]}, {"a": [3, 4]}]))


@program
def tensor_dataset_size_mismatch(torch):
    return caught(torch.utils.data.TensorDataset, torch.ones(3), torch.ones(4))


@program
def loader_batch_size_none(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(3.0), torch.arange(3))
    return list(torch.utils.data.DataLoader(ds, batch_size=None))


@program
def loader_iterated_twice_and_enumerate(torch):
    loader = torch.utils.data.DataLoader(torch.arange(5), batch_size=2)
    first = [b for b in loader]
    second = [(i, b) for i, b in enumerate(loader)]
    return first, second


@program
def random_split_bad_lengths(torch):
    return caught(torch.utils.data.random_split, range(5), [2, 2]), \
        caught(torch.utils.data.random_split, range(5), [0.5, 0.6])


@program
def clip_grad_norm_nonfinite(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([float("inf"), 1.0])
    err = caught(torch.nn.utils.clip_grad_norm_, [w], 1.0, error_if_nonfinite=True)
    total = torch.nn.utils.clip_grad_norm_([w], 1.0)
    return err, total, w.grad


@program
def clip_grad_norm_one_norm_and_empty(torch):
    a = torch.tensor([1.0, -2.0], requires_grad=True)
    a.grad = torch.tensor([3.0, -4.0])
    total = torch.nn.utils.clip_grad_norm_([a], 1.0, norm_type=1.0)
    empty = torch.nn.utils.clip_grad_norm_([], 1.0)
    return total, a.grad, empty


@program
def model_dtype_mismatch_refused(torch):
    lin = torch.nn.Linear(2, 1)
    return caught(lin, torch.ones(1, 2, dtype=torch.float64)), caught(lin, torch.ones(1, 2, dtype=torch.long))


@program
def losses_with_mixed_dtypes(torch):
    a = torch.tensor([1.0, 2.0])
    b = torch.tensor([1.5, 2.5], dtype=torch.float64)
    return (caught(torch.nn.functional.mse_loss, a, b), torch.nn.functional.l1_loss(a, a.half().float()),
            a.sum(dtype=torch.float64), (torch.tensor(1.0, dtype=torch.float16) + 1.5).dtype,
            torch.nn.functional.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0])).dtype)


@program
def gan_with_label_smoothing_and_frozen_d(torch):
    G, D = _gan(torch)
    bce = torch.nn.BCEWithLogitsLoss()
    real, z = data(torch, 4, 2), data(torch, 4, 2, offset=3.0)
    d_loss = bce(D(real), torch.full((4, 1), 0.9)) + bce(D(G(z).detach()), torch.zeros(4, 1))
    d_loss.backward()
    d_grad = D[0].weight.grad.clone()
    D.zero_grad()
    D.requires_grad_(False)
    g_loss = torch.nn.functional.softplus(-D(G(z))).mean()
    g_loss.backward()
    D.requires_grad_(True)
    return d_loss, d_grad, g_loss, D[0].weight.grad, G[0].weight.grad


@program
def cgan_embedding_concat(torch):
    emb = fill_(torch, torch.nn.Embedding(3, 2))
    G = fill_(torch, torch.nn.Linear(4, 2))
    z = data(torch, 5, 2)
    labels = torch.tensor([0, 1, 2, 1, 0])
    out = G(torch.cat([z, emb(labels)], dim=1))
    out.pow(2).sum().backward()
    return out, emb.weight.grad


@program
def hinge_gan_losses(torch):
    _, D = _gan(torch)
    real, fake = data(torch, 4, 2), data(torch, 4, 2, offset=1.0)
    d_loss = torch.relu(1 - D(real)).mean() + torch.relu(1 + D(fake)).mean()
    d_loss.backward()
    return d_loss, D[2].weight.grad


@program
def no_grad_without_parentheses(torch):
    def go():
        with torch.no_grad:
            pass

    return caught(go), torch.is_grad_enabled()


@program
def inference_mode_false_decorator(torch):
    @torch.inference_mode(mode=False)
    def f(t):
        return t * 2

    x = torch.ones(2, requires_grad=True)
    with torch.no_grad():
        inside = f(x).requires_grad
    return inside, f(x).requires_grad


@program
def enable_grad_decorator_generator(torch):
    x = torch.ones(2, requires_grad=True)

    @torch.enable_grad()
    def gen():
        yield x * 2
        yield x * 3

    with torch.no_grad():
        outs = [t.requires_grad for t in gen()]
    return outs


@program
def set_grad_enabled_exception_restores(torch):
    def fail():
        with torch.set_grad_enabled(False):
            raise KeyError("x")

    torch.set_grad_enabled(True)
    err = caught(fail)
    return err, torch.is_grad_enabled()


@program
def grad_mode_module_path(torch):
    x = torch.ones(2, requires_grad=True)
    with torch.autograd.no_grad():
        a = x * 2
    with torch.autograd.grad_mode.no_grad():
        b = x * 2
    with torch.autograd.set_grad_enabled(False):
        c = x * 2
    return a.requires_grad, b.requires_grad, c.requires_grad


# ------------------------------------------------------------------------------------------ a fourth pass: the doors


@program
def function_too_few_gradients(torch):
    class Add(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            return a + b

        @staticmethod
        def backward(ctx, g):
            return (g,)

    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    return caught(Add.apply(a, b).sum().backward)


@program
def function_returns_view_of_input(torch):
    class First(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x[0]

        @staticmethod
        def backward(ctx, g):
            out = torch.zeros(3, 2)
            out[0] = g
            return out

    x = data(torch, 3, 2).requires_grad_()
    h = x * 1
    y = First.apply(h)
    err = caught(y.mul_, 2)
    y2 = First.apply(h)
    (y2 * 5).sum().backward()
    return err, x.grad


@program
def function_apply_keyword(torch):
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x, k=2.0):
            ctx.k = k
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None

    x = torch.ones(2, requires_grad=True)
    y = Scale.apply(x)
    y.sum().backward()
    return y, x.grad, caught(Scale.apply, x, k=3.0)


@program
def forward_pre_hook_returns_single_tensor(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    lin.register_forward_pre_hook(lambda m, args: args[0] + 1)
    return lin(torch.zeros(1, 2))


@program
def forward_hook_without_kwargs_sees_args_only(torch):
    class Scale(torch.nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    seen = []
    m.register_forward_hook(lambda mod, args, out: seen.append((len(args), out.tolist())))
    m(torch.ones(2), factor=3.0)
    m(torch.ones(2), 4.0)
    return seen


@program
def forward_hook_always_call(torch):
    class Boom(torch.nn.Module):
        def forward(self, x):
            raise ValueError("boom")

    m = Boom()
    calls = []
    m.register_forward_hook(lambda mod, args, out: calls.append("always"), always_call=True)
    m.register_forward_hook(lambda mod, args, out: calls.append("normal"))
    return caught(m, torch.ones(1)), calls


@program
def hooks_on_container_and_child_order(torch):
    inner = torch.nn.Linear(2, 2)
    outer = torch.nn.Sequential(inner, torch.nn.ReLU())
    order = []
    outer.register_forward_pre_hook(lambda m, a: order.append("outer pre"))
    outer.register_forward_hook(lambda m, a, o: order.append("outer"))
    inner.register_forward_pre_hook(lambda m, a: order.append("inner pre"))
    inner.register_forward_hook(lambda m, a, o: order.append("inner"))
    outer.register_full_backward_hook(lambda m, gi, go: order.append("outer backward"))
    inner.register_full_backward_hook(lambda m, gi, go: order.append("inner backward"))
    outer(torch.ones(1, 2, requires_grad=True)).sum().backward()
    return order


@program
def backward_pre_hook_returns_single_tensor(torch):
    lin = fill_(torch, torch.nn.Linear(2, 1))
    lin.register_full_backward_pre_hook(lambda m, go: go[0] * 10)  # a bare tensor, not a tuple: refused
    x = torch.ones(1, 2, requires_grad=True)
    return caught(lin(x).sum().backward)


@program
def backward_hook_module_with_tuple_output(torch):
    class Split(torch.nn.Module):
        def forward(self, x):
            return x * 2, x.sum(), "label"

    m = Split()
    seen = []
    m.register_full_backward_hook(lambda mod, gi, go: seen.append([None if g is None else g.tolist() for g in go]))
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    a, b, _ = m(x)
    (a.sum() + b * 3).backward()
    return seen, x.grad


@program
def deepcopy_module_with_hooks(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    calls = []
    lin.register_forward_hook(lambda m, a, o: calls.append(1))
    twin = copy.deepcopy(lin)
    twin(torch.ones(1, 2))
    return len(calls), list(twin.state_dict())


@program
def autograd_grad_non_scalar_needs_grad_outputs(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    err = caught(torch.autograd.grad, y, x, retain_graph=True)
    (g,) = torch.autograd.grad([y], [x], grad_outputs=[torch.tensor([1.0, 2.0, 3.0])])
    return err, g


@program
def autograd_grad_batched(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x ** 2
    (jac,) = torch.autograd.grad(y, x, grad_outputs=torch.eye(2), is_grads_batched=True)
    return jac


@program
def backward_inputs_argument(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    (a * b).sum().backward(inputs=[a])
    return a.grad, b.grad is None, caught(lambda: (a * b).sum().backward(inputs=[]))


@program
def grad_outputs_none_for_scalar(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y1 = (x ** 2).sum()
    y2 = (x ** 3).sum()
    gs = torch.autograd.grad([y1, y2], x, grad_outputs=[None, torch.tensor(2.0)])
    return gs


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
def module_assignment_refusals(torch):
    lin = torch.nn.Linear(2, 2)

    def assign_tensor():
        lin.weight = torch.ones(2, 2)

    def bad_buffer_name():
        lin.register_buffer("a.b", torch.ones(1))

    def bad_parameter():
        lin.register_parameter("extra", torch.ones(1))

    lin.bias = None
    return (caught(assign_tensor), caught(bad_buffer_name), caught(bad_parameter), list(lin.state_dict()),
            caught(lin.to, torch.int64))


@program
def state_dict_prefix_and_attribute_order(torch):
    class M(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.b = torch.nn.Linear(1, 1)
            self.register_buffer("z", torch.zeros(1))
            self.a = torch.nn.Parameter(torch.ones(1))

    m = M()
    return list(m.state_dict()), list(m.state_dict(prefix="model.")), [n for n, _ in m.named_parameters()]


@program
def grad_assignment_checks(torch):
    w = torch.ones(2, requires_grad=True)

    def wrong_dtype():
        w.grad = torch.ones(2, dtype=torch.float64)

    def wrong_shape():
        w.grad = torch.ones(3)

    def not_tensor():
        w.grad = [1.0, 2.0]

    w.grad = torch.full((2,), 0.5)
    return caught(wrong_dtype), caught(wrong_shape), caught(not_tensor), w.grad


@program
def loader_door_refusals(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(4.0))
    bs = torch.utils.data.BatchSampler(range(4), 2, False)
    return (caught(torch.utils.data.DataLoader, ds, batch_size=0),
            caught(torch.utils.data.DataLoader, ds, shuffle=True, sampler=[0, 1]),
            caught(torch.utils.data.DataLoader, ds, batch_sampler=bs, batch_size=2),
            caught(torch.utils.data.DataLoader, ds, batch_sampler=bs, drop_last=True),
            caught(torch.utils.data.DataLoader, ds, batch_size=-1))


@program
def tensor_dataset_slices_and_tensor_index(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0).reshape(3, 2), torch.tensor([0, 1, 0]))
    return ds[0:2], ds[torch.tensor(1)], len(ds), ds.tensors[1]


@program
def concat_dataset_indices(torch):
    a = torch.utils.data.TensorDataset(torch.arange(3.0))
    b = torch.utils.data.TensorDataset(torch.arange(10.0, 12.0))
    both = torch.utils.data.ConcatDataset([a, b])
    return both[3], both[-1], both.cumulative_sizes, caught(lambda: both[-6]), caught(lambda: both[5])


@program
def collate_mismatched_and_namedtuple(torch):
    from collections import namedtuple

    Pair = namedtuple("Pair", ["x", "y"])
    batch = torch.utils.data.default_collate([Pair(torch.ones(2), 1), Pair(torch.zeros(2), 2)])
    err = caught(torch.utils.data.default_collate, [torch.ones(2), torch.ones(3)])
    return type(batch).__name__, batch.x, batch.y, err


@program
def clip_grad_norm_float64_and_zero_max(torch):
    w = torch.tensor([3.0, 4.0], dtype=torch.float64, requires_grad=True)
    w.grad = torch.tensor([3.0, 4.0], dtype=torch.float64)
    total = torch.nn.utils.clip_grad_norm_([w], max_norm=0.0)
    v = torch.tensor([1.0], requires_grad=True)
    v.grad = torch.tensor([-5.0])
    torch.nn.utils.clip_grad_value_(v, 2.0)
    return total, w.grad, v.grad


@program
def clip_grad_norm_foreach_and_sequence_of_grads(torch):
    params = [torch.ones(2, requires_grad=True), torch.ones(3, requires_grad=True)]
    for i, p in enumerate(params):
        p.grad = torch.full(p.shape, float(i + 1))
    total = torch.nn.utils.clip_grad_norm_(params, 1.0, foreach=True)
    return total, [p.grad for p in params]


@program
def inference_mode_nested_false(torch):
    with torch.inference_mode():
        with torch.inference_mode(False):
            enabled = torch.is_inference_mode_enabled()
            grad = torch.is_grad_enabled()
        outer = torch.is_inference_mode_enabled()
    return enabled, grad, outer


@program
def no_grad_called_on_function(torch):
    def f(t):
        return t * 2

    g = torch.no_grad()(f)
    x = torch.ones(1, requires_grad=True)
    return g(x).requires_grad, f(x).requires_grad
