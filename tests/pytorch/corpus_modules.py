"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): nn.Module
bookkeeping: containers, submodules, parameters and buffers, train/eval, apply, reprs, copies."""



from pytorch.corpus import _Block, caught, data, fill_, registry, text

PROGRAMS, program = registry()


@program
def train_eval_batchnorm_dropout(torch):
    net = _Block.make(torch)
    x = data(torch, 6, 4)
    net.train()
    y_train = net(x)
    modes = [m.training for m in net.modules()]
    net.eval()
    y_eval = net(x)
    drop = torch.nn.Dropout(0.5).eval()
    return (y_train, y_eval, modes, [m.training for m in net.modules()], net.norm.running_mean,
            net.norm.running_var, net.steps, drop(x).equal(x))


@program
def named_modules_and_apply(torch):
    net = torch.nn.Sequential(
        torch.nn.Linear(2, 3), torch.nn.ReLU(),
        torch.nn.Sequential(torch.nn.Linear(3, 3), torch.nn.Tanh()), torch.nn.Linear(3, 1))

    def init(m):
        if isinstance(m, torch.nn.Linear):
            torch.nn.init.constant_(m.weight, 0.1)
            torch.nn.init.zeros_(m.bias)

    net.apply(init)
    names = [(name, type(m).__name__) for name, m in net.named_modules()]
    children = [type(m).__name__ for m in net.children()]
    return names, children, net(torch.ones(2, 2)), sum(p.numel() for p in net.parameters())


@program
def requires_grad_freeze(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Linear(2, 1)))
    net[0].requires_grad_(False)
    net(data(torch, 3, 2)).sum().backward()
    trainable = [n for n, p in net.named_parameters() if p.requires_grad]
    return trainable, net[0].weight.grad is None, net[1].weight.grad


@program
def sequential_slicing_and_indexing(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 3), torch.nn.ReLU(), torch.nn.Linear(3, 4), torch.nn.Sigmoid())
    fill_(torch, net)
    head = net[:2]
    tail = net[2:]
    x = data(torch, 2, 2)
    return (type(head).__name__, len(head), len(tail), type(net[-1]).__name__,
            (tail(head(x)) - net(x)).abs().max(), [type(m).__name__ for m in net[::2]])


@program
def sequential_append_insert_delete(torch):
    net = torch.nn.Sequential(torch.nn.Linear(2, 2))
    net.append(torch.nn.ReLU())
    net.insert(1, torch.nn.Tanh())
    net.extend([torch.nn.Identity(), torch.nn.Linear(2, 1)])
    del net[2]
    return [type(m).__name__ for m in net], list(net.state_dict())


@program
def sequential_ordered_dict(torch):
    from collections import OrderedDict

    net = torch.nn.Sequential(OrderedDict([("fc", torch.nn.Linear(3, 2)), ("act", torch.nn.Softplus())]))
    fill_(torch, net)
    return list(net.state_dict()), type(net.act).__name__, net(data(torch, 2, 3))


@program
def module_list_loop(torch):
    class Deep(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = torch.nn.ModuleList([torch.nn.Linear(3, 3) for _ in range(3)])
            self.layers.append(torch.nn.Linear(3, 1))

        def forward(self, x):
            for layer in self.layers[:-1]:
                x = x + torch.tanh(layer(x))
            return self.layers[-1](x)

    net = fill_(torch, Deep())
    out = net(data(torch, 4, 3))
    out.sum().backward()
    return (out, len(net.layers), type(net.layers[1:]).__name__, net.layers[0].weight.grad,
            list(net.state_dict())[-2:])


@program
def module_dict_heads(torch):
    heads = torch.nn.ModuleDict({"cls": torch.nn.Linear(3, 4), "reg": torch.nn.Linear(3, 1)})
    heads.update({"aux": torch.nn.Linear(3, 2)})
    fill_(torch, heads)
    x = data(torch, 2, 3)
    outs = {k: heads[k](x) for k in heads}
    return (list(heads.keys()), list(outs), {k: v.shape for k, v in outs.items()}, "reg" in heads,
            heads.pop("aux").out_features, len(heads))


@program
def parameter_list_and_dict(torch):
    class Mix(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2) * i) for i in range(3)])
            self.named = torch.nn.ParameterDict({"scale": torch.nn.Parameter(torch.tensor(2.0))})

        def forward(self, x):
            return sum(w * x for w in self.ws) * self.named["scale"]

    m = Mix()
    m(torch.tensor([1.0, 2.0])).sum().backward()
    return list(m.state_dict()), [w.grad for w in m.ws], m.named["scale"].grad


@program
def module_to_double_and_dtype(torch):
    net = fill_(torch, torch.nn.Linear(2, 2)).double()
    out = net(data(torch, 3, 2, dtype=torch.float64))
    err = caught(net, data(torch, 3, 2))
    half = torch.nn.Linear(2, 2).to(torch.float64)
    return out.dtype, net.weight.dtype, err, half.bias.dtype


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
def no_grad_write_into_parameter_row(torch):
    emb = torch.nn.Embedding(4, 2)
    with torch.no_grad():
        emb.weight[0] = 0
        emb.weight[1:].fill_(1.0)
    out = emb(torch.tensor([0, 1]))
    out.sum().backward()
    return emb.weight, emb.weight.grad, emb.weight.requires_grad


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
def module_parameters_generator_consumed(torch):
    net = torch.nn.Linear(2, 2)
    params = net.parameters()
    count = sum(1 for _ in params)
    return count, caught(torch.optim.SGD, params, lr=0.1)


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
def clip_grad_value_and_norm_in_loop(torch):
    nn = torch.nn
    net = fill_(torch, nn.Linear(3, 2), scale=2.0).double()
    x = data(torch, 4, 3, dtype=torch.float64) * 5
    out = []
    for clip in ("value", "norm"):
        net.zero_grad(set_to_none=True)
        net(x).pow(2).sum().backward()
        if clip == "value":
            r = nn.utils.clip_grad_value_(net.parameters(), clip_value=1.0)
        else:
            r = nn.utils.clip_grad_norm_(net.parameters(), max_norm=1.0, norm_type=2.0, error_if_nonfinite=True)
        out.append((r, net.weight.grad, net.bias.grad))
    net.weight.grad[0, 0] = float("nan")
    out.append(caught(nn.utils.clip_grad_norm_, net.parameters(), 1.0, error_if_nonfinite=True))
    return out


@program
def named_parameters_prefixes_and_filtering(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Sequential(nn.Linear(3, 1)))
    decay = [n for n, p in net.named_parameters() if p.ndim > 1]
    no_decay = [n for n, p in net.named_parameters() if p.ndim <= 1]
    opt = torch.optim.AdamW([{"params": [p for n, p in net.named_parameters() if n in decay], "weight_decay": 0.1},
                             {"params": [p for n, p in net.named_parameters() if n in no_decay],
                              "weight_decay": 0.0}], lr=1e-3)
    return (decay, no_decay, [n for n, _ in net.named_parameters(prefix="model")],
            [n for n, _ in net.named_modules()], [n for n, _ in net[2].named_parameters(recurse=False)],
            [len(g["params"]) for g in opt.param_groups], [g["weight_decay"] for g in opt.param_groups],
            sum(p.numel() for p in net.parameters() if p.requires_grad))


@program
def embedding_padding_idx_and_max_norm(torch):
    emb = torch.nn.Embedding(5, 3, padding_idx=0)
    fill_(torch, emb)
    first_row_zero = emb.weight[0].abs().sum()  # fill_ wrote it; the layer kept no special row
    with torch.no_grad():
        emb.weight[0].zero_()
    tokens = torch.tensor([[1, 0, 2], [0, 0, 4]])
    out = emb(tokens)
    out.sum().backward()
    capped = torch.nn.Embedding(3, 2, max_norm=1.0)
    with torch.no_grad():
        capped.weight.copy_(torch.tensor([[3.0, 4.0], [0.3, 0.4], [0.0, 2.0]]))
    capped(torch.tensor([0, 2]))
    return first_row_zero > 0, out.shape, emb.weight.grad, capped.weight, caught(emb, torch.tensor([5]))


@program
def sequential_with_inplace_relu_and_dropout_eval(torch):
    nn = torch.nn
    net = fill_(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(inplace=True), nn.Dropout(0.5),
                                     nn.LeakyReLU(0.1, inplace=True), nn.Linear(4, 1))).double()
    net.eval()  # Dropout passes the ReLU's output itself on: the LeakyReLU then overwrites what ReLU saved
    x = data(torch, 5, 3, dtype=torch.float64)
    y = net(x)
    refused = caught(y.sum().backward)
    net[3].inplace = False
    net(x).sum().backward()
    return y, refused, net[0].weight.grad, text(torch, net)


@program
def weight_tying_encoder_decoder_transpose(torch):
    nn = torch.nn

    class TiedAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(4, 2, bias=False)

        def forward(self, x):
            return torch.nn.functional.linear(torch.sigmoid(self.enc(x)), self.enc.weight.t())

    m = fill_(torch, TiedAE()).double()
    x = data(torch, 3, 4, dtype=torch.float64)
    loss = (m(x) - x).pow(2).mean()
    loss.backward()
    return loss, m.enc.weight.grad, len(list(m.parameters()))


@program
def broadcasting_in_losses_warn_shapes(torch):
    F = torch.nn.functional
    pred = data(torch, 4, 1, dtype=torch.float64)
    target = data(torch, 4, dtype=torch.float64, offset=0.3)
    wrong = (pred - target).pow(2).mean()  # (4, 1) - (4,) broadcasts to (4, 4): a classic bug
    right = (pred.squeeze(1) - target).pow(2).mean()
    return (wrong, right, F.mse_loss(pred.squeeze(-1), target), F.mse_loss(pred, target.unsqueeze(1)),
            (pred - target).shape, F.l1_loss(pred, target.view(4, 1), reduction="none").shape)


@program
def where_and_masked_loss_terms(torch):
    pred = data(torch, 6, dtype=torch.float64).requires_grad_()
    target = torch.tensor([0.5, float("nan"), -0.2, 0.1, float("nan"), 0.0], dtype=torch.float64)
    valid = ~torch.isnan(target)
    safe_target = torch.where(valid, target, torch.zeros_like(target))
    per = torch.where(valid, (pred - safe_target) ** 2, torch.tensor(0.0, dtype=torch.float64))
    loss = per.sum() / valid.sum()
    loss.backward()
    idx = torch.where(valid)
    return loss, pred.grad, idx, torch.nonzero(valid).squeeze(1), torch.masked_select(pred, valid)


@program
def size_objects_behave_as_tuples(torch):
    s = torch.zeros(2, 3, 4).shape
    return (s == (2, 3, 4), s == [2, 3, 4], s[::-1], s[-1], s.numel(), len(s), s.count(3), s.index(4), hash(s) == hash(
        (2, 3, 4)), tuple(s), list(s), s + (5,), caught(lambda: s + [5]), torch.Size([2, 3]) == torch.Size((2, 3)),
        torch.zeros(s).shape == s, torch.zeros(2, 3).size(-1), torch.zeros(2, 3).size(dim=0),
        caught(torch.zeros(2, 3).size, 2), *s[1:], isinstance(s, tuple), text(torch, torch.Size([])),
        caught(torch.Size, [2.5]), torch.zeros(0).shape.numel(), max(s), sorted(s, reverse=True))


@program
def dtype_objects(torch):
    return (str(torch.float32).split(".")[-1], torch.float32 == torch.float, torch.float32 is torch.float,
            torch.float64 is torch.double, torch.int64 is torch.long, torch.float16 is torch.half,
            {torch.float32: "f"}[torch.float], torch.float32.is_floating_point, torch.int32.is_floating_point,
            torch.int8.is_signed, torch.uint8.is_signed, torch.float64.itemsize, torch.bool.itemsize,
            torch.zeros(1).dtype in (torch.float32, torch.float64), torch.float32 != torch.float64,
            text(torch, repr(torch.int16)), torch.tensor([1], dtype=torch.float).dtype == torch.float32,
            isinstance(torch.float32, torch.dtype))


@program
def parameter_types_through_ops(torch):
    p = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    q = torch.nn.Parameter(p)
    return (type(p).__name__, isinstance(p, torch.Tensor), type(p * 2).__name__, type(p.detach()).__name__,
            type(p.data).__name__, type(p[0]).__name__, type(p.clone()).__name__, q is p, q.data_ptr() == p.data_ptr(),
            type(p.view(2, 1)).__name__, p.is_leaf, (p * 2).is_leaf, caught(torch.nn.Parameter, torch.tensor([1, 2])),
            torch.nn.Parameter(torch.tensor([1, 2]), requires_grad=False).dtype, torch.nn.Parameter().shape,
            type(p.double()).__name__, type(p.to(torch.float32)).__name__, p.requires_grad)


@program
def module_registration_refusals(torch):
    m = torch.nn.Module()
    return (caught(m.register_buffer, "a.b", torch.zeros(1)), caught(m.register_buffer, "", torch.zeros(1)),
            caught(m.register_buffer, "x", [1, 2]), caught(m.register_parameter, "w", torch.zeros(1)),
            caught(m.add_module, "a.b", torch.nn.ReLU()), caught(m.add_module, "r", "not a module"),
            caught(m.register_buffer, 3, torch.zeros(1)), caught(setattr, m, "w", None),
            caught(m.register_buffer, "training", torch.zeros(1)), caught(m.register_parameter, "p", torch.nn.Parameter(
                torch.zeros(1)).data), hasattr(m, "nothing"), caught(getattr, m, "nothing"))


@program
def generator_state_round_trip(torch):
    g = torch.Generator().manual_seed(7)
    state = g.get_state()
    first = torch.rand(3, generator=g)
    g.set_state(state)
    again = torch.rand(3, generator=g)
    torch.manual_seed(11)
    a = torch.randn(2)
    torch.manual_seed(11)
    b = torch.randn(2)
    g2 = torch.Generator()
    g2.manual_seed(7)
    return (torch.equal(first, again), torch.equal(a, b), torch.equal(torch.rand(3, generator=g2), first),
            state.dtype, g.initial_seed(), isinstance(torch.manual_seed(3), torch.Generator))


@program
def collect_losses_into_a_tensor(torch):
    net = fill_(torch, torch.nn.Linear(2, 1)).double()
    losses, accs = [], []
    for step in range(3):
        x = data(torch, 4, 2, dtype=torch.float64, offset=step)
        out = net(x)
        losses.append(out.pow(2).mean().reshape(1))  # a (1,) tensor each step
        accs.append((out > 0).float().mean())
    history = torch.tensor([loss.item() for loss in losses])
    stacked = torch.tensor(losses)  # PyTorch reads each one-element tensor as its number
    return history, stacked, stacked.shape, torch.tensor(accs), torch.stack(losses).shape, torch.cat(losses).shape


@program
def reversed_and_flipped_sequences(torch):
    seq = torch.arange(6.0).reshape(3, 2)
    rev = reversed(seq)
    steps = [row.sum().item() for row in reversed(seq)]
    return rev, steps, reversed(torch.tensor(3.0)), torch.equal(rev, seq.flip(0)), list(reversed(list(seq)))[0]


@program
def module_children_modules_and_named_modules_prefix(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)))
    return ([type(m).__name__ for m in net.children()], [type(m).__name__ for m in net.modules()],
            [n for n, _ in net.named_modules()], [n for n, _ in net.named_modules(prefix="model")],
            [n for n, _ in net.named_children()], [n for n, _ in net.named_parameters(prefix="p", recurse=False)],
            [n for n, _ in net[1].named_parameters(prefix="head")], len(list(net.parameters(recurse=False))))


@program
def get_submodule_add_module_and_register_module(torch):
    nn = torch.nn
    net = nn.Sequential()
    net.add_module("encoder", nn.Sequential(nn.Linear(2, 2)))
    net.register_module("act", nn.Tanh())
    net.encoder.add_module("extra", nn.Linear(2, 2))
    return (list(net._modules), type(net.get_submodule("encoder.extra")).__name__, net.get_submodule("") is net,
            net.get_parameter("encoder.0.bias").shape, caught(net.get_submodule, "encoder.nope"),
            caught(net.add_module, "a.b", nn.ReLU()), caught(net.add_module, "x", 3),
            caught(net.get_parameter, "encoder.0.nope"), len(net), [n for n, _ in net.named_parameters()])


@program
def requires_grad_zero_grad_and_train_eval_propagation(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5), nn.Sequential(nn.BatchNorm1d(2), nn.Dropout()))
    net.eval()
    flags = [m.training for m in net.modules()]
    net[2].train()
    flags2 = [m.training for m in net.modules()]
    net.train(False)
    r = net.requires_grad_(False)
    frozen = [p.requires_grad for p in net.parameters()]
    net[0].requires_grad_()
    x = torch.ones(3, 2)
    net(x).sum().backward()
    had = [p.grad is not None for p in net.parameters()]
    net.zero_grad()
    after = [p.grad for p in net.parameters()]
    return flags, flags2, r is net, frozen, had, after, net.training, net[2][0].training


@program
def extra_repr_and_nested_reprs(torch):
    nn = torch.nn

    class Scale(nn.Module):
        def __init__(self, s):
            super().__init__()
            self.s = s

        def extra_repr(self):
            return f"s={self.s}"

        def forward(self, x):
            return x * self.s

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1, bias=False), nn.BatchNorm2d(8),
                                      nn.ReLU(inplace=True))
            self.heads = nn.ModuleDict({"cls": nn.Linear(8, 10), "box": nn.Linear(8, 4)})
            self.scale = Scale(0.5)
            self.blocks = nn.ModuleList([nn.Identity(), nn.Dropout(p=0.1)])

    return (repr(Block()).replace(torch.__name__ + ".", "torch."), repr(Scale(2)), repr(nn.Sequential()),
            repr(nn.ModuleList()), repr(nn.LeakyReLU(0.1, inplace=True)), repr(nn.Embedding(10, 3, padding_idx=0)),
            repr(nn.LayerNorm([4, 5], eps=1e-6)), repr(nn.MaxPool2d(2, stride=1)), repr(nn.Upsample(scale_factor=2)))


@program
def module_dict_api(torch):
    nn = torch.nn
    d = nn.ModuleDict({"b": nn.Linear(1, 1), "a": nn.ReLU()})
    d["c"] = nn.Tanh()
    d.update([("d", nn.Identity())])
    popped = d.pop("a")
    keys = list(d.keys())
    items = [(k, type(v).__name__) for k, v in d.items()]
    params = [n for n, _ in d.named_parameters()]
    has = ("b" in d, "a" in d)
    length = len(d)
    d.clear()
    return (keys, items, params, has, length, type(popped).__name__, len(d),
            list(iter(nn.ModuleDict({"x": nn.ReLU()}))),
            caught(lambda: d["missing"]))


@program
def apply_returns_self_and_visits_children_first(torch):
    nn = torch.nn
    net = nn.Sequential(nn.Linear(2, 2), nn.Sequential(nn.Linear(2, 2), nn.ReLU()))
    order = []
    r = net.apply(lambda m: order.append(type(m).__name__))
    with torch.no_grad():
        net.apply(lambda m: m.weight.fill_(0.5) if isinstance(m, nn.Linear) else None)
    return r is net, order, net[1][0].weight
