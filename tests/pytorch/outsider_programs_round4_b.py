"""More of outsider_programs_round4.py's programs (part 2 of 3; the first part holds the header)."""

from pytorch.outsider_programs_round3 import caught, data, fill_
from pytorch.outsider_programs_round4 import program, text


@program
def tensors_as_indices_and_sizes(torch):
    n = torch.tensor(3)
    items = ["a", "b", "c", "d"]
    return (items[torch.tensor(1)], list(range(n)), items[: torch.tensor(2)], torch.zeros(n).shape,
            torch.zeros(torch.tensor(2), 3).shape, [0] * torch.tensor(2), torch.ones(2, 3)[:, n - 1],
            caught(items.__getitem__, torch.tensor(1.0)), caught(items.__getitem__, torch.tensor([1, 2])),
            torch.arange(10)[torch.tensor(2):torch.tensor(8):torch.tensor(3)], hex(torch.tensor(255)))


@program
def reversed_operators_with_python_numbers(torch):
    x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
    ys = [1 - x, 2 / x, 2 ** x, 3 * x, 1 + x, -x, +x, 10 // x.detach(), 10 % x.detach(), x ** 0.5, abs(-x)]
    total = sum(y.sum() for y in ys if y.requires_grad)
    total.backward()
    return ys, x.grad


@program
def equality_membership_and_truth(torch):
    a = torch.tensor([1, 2, 3])
    b = torch.tensor([1, 2, 3])
    return (a == b, torch.equal(a, b), (a == b).all().item(), a is not b, a == 2, a != 2, caught(bool, a == b),
            a.eq(torch.tensor([1])), caught(lambda: a == torch.tensor([1, 2])), torch.tensor([1, 2]) == 1.0,
            2 in a, 5 in a, a.__eq__(None) is NotImplemented if False else (a == None),  # noqa: E711
            torch.tensor([1.0, float("nan")]) == torch.tensor([1.0, float("nan")]))


@program
def hashing_and_dict_of_tensors(torch):
    a = torch.tensor([1.0])
    b = torch.tensor([1.0])
    seen = {a: "a", b: "b"}
    groups = {}
    for label, value in zip(torch.tensor([0, 1, 0, 2]).tolist(), torch.tensor([1.0, 2.0, 3.0, 4.0])):
        groups.setdefault(label, []).append(value)
    return len(seen), seen[a], {k: torch.stack(v).sum() for k, v in groups.items()}, len({a, b, a})


@program
def numpy_interop_in_a_pipeline(torch):
    import numpy as np
    arr = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = torch.from_numpy(arr)
    arr[0, 0] = 100.0  # shares memory
    copied = torch.tensor(arr)
    arr[0, 1] = -5.0
    w = torch.ones(3, requires_grad=True)
    back = (t * 2).numpy()
    return (t[0, :2], copied[0, :2], back.dtype.name, caught((w * 2).numpy), (w * 2).detach().numpy().tolist(),
            np.asarray(t).shape, torch.as_tensor(arr).data_ptr() == t.data_ptr(), torch.from_numpy(
                np.array([1, 2], dtype=np.int16)).dtype, t.numpy() is not arr, np.float64(2.0) * torch.ones(2),
            torch.tensor(np.bool_(True)).dtype, torch.from_numpy(np.zeros((2, 2))[:, 0]).stride())


@program
def iteration_and_unpacking(torch):
    batch = torch.arange(12.0).reshape(3, 4)
    first, *rest = batch
    x, y = torch.tensor([1.0, 2.0])
    outs = [row.sum() for row in batch]
    pairs = list(zip(torch.tensor([1, 2]), torch.tensor([3.0, 4.0])))
    return (first, len(rest), x, y, torch.stack(outs), pairs, caught(iter, torch.tensor(1.0)),
            [i for i in torch.zeros(0, 2)], list(enumerate(torch.tensor([5, 6])))[1])


@program
def copy_and_pickle_tensors(torch):
    import copy
    import pickle
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    (w * 3).sum().backward()
    dc = copy.deepcopy(w)
    cp = copy.copy(torch.tensor([5, 6]))
    pk = pickle.loads(pickle.dumps(w))
    nonleaf = w * 2
    return (dc, dc.grad, dc.is_leaf, cp, pk, pk.requires_grad, pk.grad, caught(copy.deepcopy, nonleaf),
            copy.deepcopy(nonleaf.detach()))


# ------------------------------------------------------------------------------------------- legacy constructors


@program
def legacy_tensor_constructors(torch):
    return (torch.Tensor([1, 2]).dtype, torch.Tensor(2, 3).shape, torch.FloatTensor([1.5]), torch.LongTensor([1, 2]),
            torch.Tensor().shape, torch.Tensor(torch.Size([2])).shape, torch.DoubleTensor(2).dtype,
            torch.BoolTensor([1, 0]), text(torch, torch.tensor([1]).type()), text(torch, torch.zeros(2).type()),
            torch.tensor([1]).type("torch.FloatTensor").dtype, isinstance(torch.zeros(1), torch.FloatTensor),
            isinstance(torch.zeros(1, dtype=torch.float64), torch.FloatTensor),
            isinstance(torch.zeros(1), torch.Tensor))


@program
def range_constructors_lengths(torch):
    return (torch.arange(0, 1, 0.1).shape, torch.arange(1, 2.5, 0.5), torch.arange(5, 0, -2), torch.arange(3).dtype,
            torch.arange(3.0).dtype, torch.arange(0, 3, 1.0).dtype, torch.linspace(0, 1, 1), torch.linspace(0, 1, 5),
            torch.linspace(-1, 1, steps=3).dtype, torch.logspace(0, 2, 3), caught(torch.arange, 0, 5, 0),
            caught(torch.arange, 5, 0, 1), torch.arange(0, 10, 3, dtype=torch.float64), torch.eye(2, 3),
            torch.full((2,), True).dtype, torch.full((2,), 2).dtype, torch.zeros((2, 0, 3)).numel())


# ------------------------------------------------------------------------------------------- splitting and joining


@program
def split_chunk_and_join_shapes(torch):
    x = torch.arange(10)
    return ([t.tolist() for t in x.split(3)], [t.tolist() for t in x.split([2, 3, 5])],
            [t.tolist() for t in x.chunk(4)], [t.tolist() for t in x.chunk(6)], [t.tolist() for t in x.tensor_split(3)],
            [t.tolist() for t in x.tensor_split([1, 4])], caught(x.split, [2, 3]), torch.cat([x[:2], x[8:]]),
            torch.stack([x[:2], x[8:]], dim=1), caught(torch.stack, [x[:2], x[:3]]), caught(torch.cat, []),
            torch.cat([torch.zeros(2, 3), torch.ones(1, 3)]).shape,
            caught(torch.cat, [torch.zeros(2, 3), torch.zeros(2, 2)]),
            torch.cat((x[:1].float(), torch.tensor([0.5]))).dtype, torch.hstack([x[:2], x[:1]]),
            torch.vstack([x[:2], x[2:4]]).shape, x.reshape(2, 5).unbind(1)[4])


@program
def meshgrid_flip_roll_diff(torch):
    xs, ys = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="xy")
    ii, jj = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="ij")
    x = torch.arange(6).reshape(2, 3)
    return (xs, ys, ii.shape, jj.shape, x.flip(0), x.flip(-1, 0), x.roll(1), x.roll(1, 1), x.roll((1, 1), (0, 1)),
            torch.diff(torch.tensor([1, 4, 9, 16])), torch.diff(x, dim=0), torch.diff(torch.tensor([1.0, 3.0]),
                                                                                      prepend=torch.tensor([0.0])),
            torch.rot90(x), torch.rot90(x, -1, (0, 1)))


@program
def one_hot_and_argmax_round_trip(torch):
    F = torch.nn.functional
    labels = torch.tensor([2, 0, 1, 2])
    oh = F.one_hot(labels)
    oh4 = F.one_hot(labels, num_classes=4)
    return (oh, oh.dtype, oh4.shape, oh.argmax(1), caught(F.one_hot, labels, 2), caught(F.one_hot, labels.float()),
            F.one_hot(torch.tensor([[0, 1], [1, 1]])).shape, caught(F.one_hot, torch.tensor([-1, 0])),
            F.one_hot(torch.zeros(0, dtype=torch.long), 3).shape)


# ------------------------------------------------------------------------------------------- grads a learner inspects


@program
def grad_is_none_until_backward_then_accumulates(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    before = w.grad
    r = caught(lambda: w.grad.zero_())
    for _ in range(3):
        (w ** 2).sum().backward()
    acc = w.grad.clone()
    w.grad.zero_()
    (w * 5).sum().backward()
    w.grad = None
    (w * 7).sum().backward()
    return before, r, acc, w.grad


@program
def data_assignment_swaps_values(torch):
    lin = fill_(torch, torch.nn.Linear(2, 2))
    lin.weight.data = torch.eye(2)
    same_param = lin.weight
    lin.bias.data.fill_(0.5)
    y = lin(torch.tensor([[1.0, 2.0]]))
    y.sum().backward()
    lin.weight.data = torch.zeros(3)  # a new shape is allowed through .data
    refused = caught(setattr, lin.weight, "data", torch.zeros(3, dtype=torch.int64))
    return (y, same_param is lin.weight, lin.weight.grad, lin.weight.shape, lin.weight.requires_grad, refused,
            caught(lin, torch.ones(1, 2)))


@program
def grad_assignment_shape_and_dtype_checks(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    r1 = caught(setattr, w, "grad", torch.zeros(3))
    r2 = caught(setattr, w, "grad", torch.zeros(2, dtype=torch.float64))
    r3 = caught(setattr, w, "grad", [0.0, 0.0])
    w.grad = torch.ones(2)
    (w * 2).sum().backward()
    return r1, r2, r3, w.grad


@program
def std_var_of_single_element_and_nans(torch):
    one = torch.tensor([2.0])
    x = torch.tensor([1.0, float("nan"), 3.0])
    return (one.std(), one.var(unbiased=False), x.max(), x.argmax(), x.sort().values, x.sum(), x.nansum(),
            x.nanmean(), torch.tensor([float("nan"), 1.0]).min(), torch.maximum(x, torch.tensor(2.0)),
            torch.fmax(x, torch.tensor(2.0)), x.clamp(0, 2), x.topk(1).values, torch.isnan(x).nonzero())


@program
def softmax_dims_and_numerics(torch):
    F = torch.nn.functional
    x = torch.tensor([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]])
    return (F.softmax(x, dim=1), F.log_softmax(x, dim=-1), F.softmax(x, 0).sum(0),
            torch.softmax(x, 1, dtype=torch.float64).dtype, F.softmin(x, 1), x.softmax(-1).argmax(-1),
            torch.logsumexp(x, 1), F.softmax(torch.full((2,), -float("inf")), 0))


@program
def clamp_with_tensor_bounds_and_inplace(torch):
    x = torch.tensor([-2.0, 0.5, 3.0], requires_grad=True)
    lo = torch.tensor([-1.0, 1.0, 0.0])
    hi = torch.tensor([0.0, 2.0, 2.5])
    y = x.clamp(min=lo, max=hi)
    y.sum().backward()
    z = torch.tensor([5, -5, 0])
    z.clamp_(min=-1)
    return (y, x.grad, z, torch.clamp(torch.tensor([1, 5]), max=2.5), caught(torch.clamp, x),
            torch.clamp(torch.tensor([1.0, 5.0]), min=3.0, max=2.0), x.detach().clip(max=0))


# ------------------------------------------------------------------------------------ gradients at kinks and ties


@program
def gradients_at_ties_and_kinks(torch):
    out = {}
    for name, f in [("max", lambda x: x.max()), ("amax", lambda x: x.amax()),
                    ("max_dim", lambda x: x.max(0).values), ("min", lambda x: x.min()),
                    ("relu", lambda x: x.relu().sum()), ("abs", lambda x: x.abs().sum()),
                    ("clamp", lambda x: x.clamp(0.0, 3.0).sum()),
                    ("maximum", lambda x: torch.maximum(x, x.flip(0)).sum()),
                    ("median", lambda x: x.median()), ("sort", lambda x: (x.sort().values * torch.arange(4.0)).sum()),
                    ("topk", lambda x: x.topk(2).values.sum()), ("norm", lambda x: (x * 0).norm()),
                    ("sqrt0", lambda x: (x * 0).sqrt().sum()), ("sign", lambda x: x.sign().sum()),
                    ("round", lambda x: x.round().sum()), ("where", lambda x: torch.where(x > 1, x, x * 0).sum())]:
        x = torch.tensor([0.0, 3.0, 3.0, 1.0], requires_grad=True)
        f(x).backward()
        out[name] = x.grad
    return out


@program
def std_and_normalize_of_constant_inputs(torch):
    F = torch.nn.functional
    x = torch.ones(3, requires_grad=True)
    s = x.std()
    s.backward()
    z = torch.zeros(2, 3, requires_grad=True)
    n = F.normalize(z, dim=1)
    n.sum().backward()
    c = torch.tensor([2.0, 2.0], requires_grad=True)
    cs = F.cosine_similarity(c[None], torch.zeros(1, 2))
    cs.sum().backward()
    return s, x.grad, n, z.grad, cs, c.grad


@program
def where_gradient_nan_trap(torch):
    x = torch.tensor([-1.0, 0.0, 4.0], requires_grad=True)
    y = torch.where(x > 0, x.sqrt(), torch.zeros_like(x))  # the classic: sqrt's nan gradient leaks through where
    y.sum().backward()
    leaked = x.grad.clone()
    x.grad = None
    safe = torch.where(x > 0, x, torch.ones_like(x)).sqrt()
    torch.where(x > 0, safe, torch.zeros_like(x)).sum().backward()
    return y, leaked, x.grad


# ------------------------------------------------------------------------------------------- more printing


@program
def print_parameters_modules_and_edge_values(torch):
    lin = torch.nn.Linear(2, 1)
    with torch.no_grad():
        lin.weight.copy_(torch.tensor([[0.5, -0.25]]))
        lin.bias.fill_(1.0)
    return [text(torch, t) for t in (
        lin.weight, lin.bias, torch.tensor([-0.0, 0.0]), torch.tensor([1.0, 2.0], dtype=torch.float16),
        torch.tensor([[True, False], [False, True]]), torch.tensor([100000, -3]), torch.tensor([1e-5, 1e5]),
        torch.tensor([0.1, 0.25, 1000.0]), torch.zeros(2, 0, dtype=torch.int32), torch.arange(8.0).reshape(2, 2, 2),
        torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True), torch.tensor(7, dtype=torch.int8),
        torch.tensor([123456789.0]), torch.tensor([1.5, float("nan")], dtype=torch.float64))]


@program
def print_module_lists_with_repeats(torch):
    nn = torch.nn
    blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)] + [nn.ReLU()])
    net = nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(8, momentum=0.01),
                        nn.LeakyReLU(0.2, inplace=True), nn.Dropout2d(0.1), nn.Flatten(), nn.LazyLinear(10))
    rnn = nn.LSTM(4, 8, num_layers=2, batch_first=True, dropout=0.1)
    extra = nn.ModuleDict({"emb": nn.Embedding(10, 3, padding_idx=0), "up": nn.Upsample(scale_factor=2.0),
                           "ct": nn.ConvTranspose2d(4, 2, 4, 2, 1)})
    return text(torch, blocks), text(torch, net), text(torch, rnn), text(torch, extra)


@program
def print_optimizer_and_param_groups(torch):
    w = torch.nn.Parameter(torch.ones(2))
    b = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.Adam([{"params": [w]}, {"params": [b], "lr": 0.1}], lr=1e-3, weight_decay=1e-4)
    sgd = torch.optim.SGD([w], lr=0.01, momentum=0.9, nesterov=True)
    return text(torch, opt), text(torch, sgd), [sorted(g) for g in opt.param_groups]


# ------------------------------------------------------------------------------------------- optimizers' doors


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


# ------------------------------------------------------------------------------------------- more integer and bool


@program
def where_scalar_branches_dtypes(torch):
    c = torch.tensor([True, False, True])
    f16 = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float16)
    return (torch.where(c, 1.0, 0.0).dtype, torch.where(c, 1, 0).dtype, torch.where(c, 1, 0.5).dtype,
            torch.where(c, f16, 0.0).dtype, torch.where(c, f16, torch.tensor(0.0)).dtype,
            torch.where(c, torch.tensor([1, 2, 3]), 2.5), torch.where(c, True, False).dtype,
            c.where(c, torch.tensor(-1)), caught(torch.where, torch.tensor([1, 0, 1]), 1.0, 0.0),
            torch.where(c)[0], c.nonzero(as_tuple=True)[0])


@program
def integer_reductions_and_scans_dtypes(torch):
    i32 = torch.tensor([1, 2, 3], dtype=torch.int32)
    u8 = torch.tensor([200, 100], dtype=torch.uint8)
    b = torch.tensor([True, True, False])
    return (i32.sum().dtype, i32.prod().dtype, i32.cumsum(0).dtype, i32.cumprod(0).dtype, b.cumsum(0), b.sum(),
            b.prod(), u8.sum(), u8.cumsum(0).dtype, i32.sum(dtype=torch.int32).dtype, i32.max().dtype,
            i32.float().mean(), b.any(), b.all(), b.float().mean(), i32.to(torch.float16).sum().dtype,
            i32.argmax().dtype, torch.tensor([2, 3]).pow(2), torch.tensor([2, 3]).float().pow(-1))


@program
def masked_writes_with_broadcast_masks(torch):
    scores = torch.zeros(2, 3, 4)
    keep = torch.tensor([True, False, True, True])
    scores.masked_fill_(~keep, -1.0)
    rows = torch.tensor([[True], [False]])
    scores.masked_fill_(rows[:, :, None], 5.0)
    x = torch.arange(6.0).reshape(2, 3)
    x[x > 2] += 100
    x[torch.tensor([True, False])] = torch.tensor([7.0, 8.0, 9.0])
    ints = torch.arange(4)
    r = caught(ints.masked_fill_, ints > 1, 0.5)
    ints.masked_fill_(ints > 1, -1)
    return scores[0, 0], scores[1, 0], x, ints, r, caught(x.masked_fill, torch.tensor([1, 0]), 1.0)


@program
def scatter_and_index_add_for_histograms(torch):
    labels = torch.tensor([0, 2, 2, 1, 0, 2])
    weights = torch.tensor([1.0, 0.5, 0.5, 2.0, 1.0, 1.0], dtype=torch.float64)
    counts = torch.zeros(3, dtype=torch.long).scatter_add_(0, labels, torch.ones_like(labels))
    sums = torch.zeros(3, dtype=torch.float64).index_add_(0, labels, weights)
    onehot = torch.zeros(6, 3).scatter_(1, labels[:, None], 1.0)
    feats = torch.arange(12.0).reshape(6, 2)
    centroids = torch.zeros(3, 2).index_add_(0, labels, feats) / counts[:, None]
    return counts, sums, sums / counts, onehot, centroids, torch.bincount(labels, weights=weights)


# ------------------------------------------------------------------------------------------- which results share memory


@program
def which_results_write_through(torch):
    shares = {}
    makers = {
        "row": lambda x: x[0], "list_index": lambda x: x[[0]], "mask": lambda x: x[x > -100],
        "reshape_contig": lambda x: x.reshape(6), "reshape_t": lambda x: x.t().reshape(6),
        "flatten": lambda x: x.flatten(), "view_as": lambda x: x.view_as(torch.zeros(3, 2)),
        "T_row": lambda x: x.T[0], "squeeze": lambda x: x[None].squeeze(0),
        "split": lambda x: x.split(1)[1], "chunk": lambda x: x.chunk(2, 1)[0], "unbind": lambda x: x.unbind(1)[2],
        "narrow": lambda x: x.narrow(1, 1, 2), "detach": lambda x: x.detach(), "data": lambda x: x.data,
        "clone": lambda x: x.clone(), "contiguous_t": lambda x: x.t().contiguous(),
        "numpy_back": lambda x: torch.from_numpy(x.numpy()), "as_tensor": lambda x: torch.as_tensor(x),
        "to_same": lambda x: x.to(torch.float32), "to_double": lambda x: x.double(),
        "expand_clone": lambda x: x[:1].expand(2, 3).clone(), "movedim": lambda x: x.movedim(0, 1),
        "unflatten": lambda x: x.unflatten(1, (3, 1)), "ravel": lambda x: x.ravel(), "flip": lambda x: x.flip(0),
        "permute": lambda x: x.permute(1, 0), "index_select": lambda x: x.index_select(0, torch.tensor([0])),
        "tensor_split": lambda x: x.tensor_split(3, dim=1)[1], "swapaxes": lambda x: x.swapaxes(0, 1),
    }
    for name, make in makers.items():
        x = torch.zeros(2, 3)
        y = make(x)
        y[(0,) * y.dim()] = 1.0
        shares[name] = (bool(x.sum() > 0), y is x)
    return shares


@program
def same_object_returns(torch):
    x = torch.zeros(2, 3)
    return (x.contiguous() is x, x.to(torch.float32) is x, x.float() is x, x.cpu() is x, torch.as_tensor(x) is x,
            x.to(x) is x, x.type(torch.float32) is x, x.requires_grad_(False) is x, x.detach() is x,
            x.to(torch.float32, copy=True) is x, x.reshape(2, 3) is x, x.view(2, 3) is x, x.t().contiguous() is x,
            x.zero_() is x, x.add_(1) is x, x.clamp_(0, 2) is x, x.fill_(0) is x, x.copy_(torch.ones(3)) is x,
            x.squeeze_() is x if hasattr(x, "squeeze_") else True, x.type_as(x) is x)


# ------------------------------------------------------------------------------------------- advanced indexing layouts


@program
def advanced_indices_separated_by_slices(torch):
    x = torch.arange(120).reshape(2, 3, 4, 5)
    i = torch.tensor([0, 1])
    j = torch.tensor([1, 3])
    return (x[i, :, j].shape, x[:, i, j].shape, x[:, i, :, j].shape, x[i, ..., j].shape, x[0, :, j].shape,
            x[:, 0, :, j].shape, x[i][:, :, j].shape, x[i[:, None], :, j].shape, x[:, [0, 2], 1:3, [4, 0]],
            x[[True, False]].shape, x[torch.tensor(True)].shape, x[torch.tensor(False)].shape, x[None, i, 0].shape,
            x[..., [1, 0]].shape, x[1, [2, 0], None].shape, x[:, :, torch.tensor([[0, 1], [2, 3]])].shape)


@program
def advanced_index_assignment_broadcasts(torch):
    x = torch.zeros(2, 3, 4)
    x[[0, 1], :, [1, 2]] = torch.tensor([10.0, 20.0])[:, None]
    y = torch.zeros(3, 4)
    y[torch.tensor([[0], [2]]), torch.tensor([1, 3])] = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    z = torch.zeros(4, 2)
    z[torch.tensor([True, False, True, False])] = torch.tensor([5.0, 6.0])
    z[torch.tensor([False, True, False, True]), 1] += torch.tensor([1.0, 2.0])
    w = torch.zeros(3)
    r = caught(w.__setitem__, torch.tensor([0, 1]), torch.tensor([1.0, 2.0, 3.0]))
    return x[:, :, 1], x[:, :, 2], y, z, r, caught(w.__setitem__, torch.tensor([0, 3]), 1.0)


@program
def gather_take_along_and_topk_indices(torch):
    logits = data(torch, 3, 5, dtype=torch.float64).requires_grad_()
    target = torch.tensor([4, 0, 2])
    picked = logits.gather(1, target[:, None]).squeeze(1)
    vals, idx = logits.topk(2, dim=1)
    again = torch.take_along_dim(logits, idx, dim=1)
    rows = logits[torch.arange(3), target]
    (picked.sum() + again.sum() * 0.5 + rows.sum() * 0.25).backward()
    return picked, torch.equal(vals, again), torch.equal(picked, rows), logits.grad, caught(logits.gather, 1,
                                                                                            target[:, None].int())


# ------------------------------------------------------------------------------------------- devices and defaults


@program
def device_objects_and_moves(torch):
    x = torch.ones(2)
    d = torch.device("cpu")
    return (str(x.device), x.device.type, x.device == d, x.device.index, d == torch.device("cpu"), str(d),
            x.to(d).device.type, x.to("cpu").dtype, x.is_cuda, torch.cuda.is_available(),
            torch.zeros(2, device="cpu").device.type, torch.device("cpu", 0).index if False else None,
            text(torch, repr(d)), caught(torch.device, "tpu"), x.get_device())


@program
def default_dtype_switch_in_try_finally(torch):
    before = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        made = (torch.tensor([1.0]).dtype, torch.zeros(2).dtype, torch.arange(3.0).dtype, torch.tensor([1]).dtype,
                torch.linspace(0, 1, 3).dtype, torch.nn.Linear(2, 2).weight.dtype, torch.tensor(1.5).dtype,
                (torch.tensor([1]) * 0.5).dtype, torch.full((1,), 2.0).dtype, torch.randn(2).dtype)
    finally:
        torch.set_default_dtype(before)
    return before, made, torch.zeros(1).dtype, caught(torch.set_default_dtype, torch.int64)


@program
def random_tensors_shapes_and_dtypes(torch):
    g = torch.Generator().manual_seed(3)
    return (torch.rand(2, 3, generator=g).shape, torch.randn(4, generator=g).dtype, torch.randint(0, 10, (3,)).dtype,
            torch.randint(5, (2, 2)).shape, torch.randperm(6).sort().values, torch.randperm(4, dtype=torch.int32).dtype,
            torch.rand(0).shape, torch.bernoulli(torch.full((3,), 0.0)), torch.bernoulli(torch.ones(2)),
            torch.multinomial(torch.tensor([0.0, 1.0, 0.0]), 2, replacement=True),
            caught(torch.multinomial, torch.tensor([0.5, 0.5]), 3), torch.normal(torch.zeros(2), 0.0),
            torch.empty(3).uniform_(2.0, 2.0), torch.rand_like(torch.zeros(2, dtype=torch.float64)).dtype,
            caught(torch.randint, 5, 1, (2,)), torch.randint(3, 4, (2,)))


# ------------------------------------------------------------------------------------------- integer edge cases


@program
def integer_division_by_zero(torch):
    a = torch.tensor([5, -5, 0])
    z = torch.zeros(3, dtype=torch.long)
    return (a / 0, a / z, a.float() // 0, a.float() % 0, caught(lambda: a // 0), caught(lambda: a % 0),
            caught(lambda: a // z), caught(torch.remainder, a, z), caught(torch.fmod, a, 0),
            caught(torch.div, a, 0, rounding_mode="floor"), caught(torch.div, a, 0, rounding_mode="trunc"),
            torch.div(a.double(), 0, rounding_mode="floor"), caught(lambda: torch.tensor(5) // torch.tensor(0)))


@program
def unary_math_on_integers_and_bools(torch):
    i = torch.tensor([4, 1, 0])
    b = torch.tensor([True, False])
    return (torch.sqrt(i), torch.exp(i).dtype, torch.log(i), torch.sigmoid(b), i.abs().dtype, torch.sin(i).dtype,
            torch.tensor([-1.0]).sqrt(), i ** 0.5, torch.pow(2, i),
            caught(lambda: torch.tensor([2]) ** torch.tensor([-1])),
            torch.round(torch.tensor([1.2345, 2.5, -0.5, 3.5]), decimals=2),
            torch.round(torch.tensor([2.5, -0.5, 3.5])),
            i.neg(), caught(torch.neg, b), (~b), caught(lambda: ~torch.tensor([1.0])), torch.floor(i).dtype,
            torch.ceil(torch.tensor([-0.5])), i.sign(), b.sign() if False else i.clamp(1, 2), torch.reciprocal(i),
            torch.square(b).dtype if False else torch.square(i).dtype, torch.log1p(b).dtype)


@program
def bitwise_and_shifts_in_masks(torch):
    flags = torch.tensor([0b1010, 0b0110, 0b0001])
    return (flags & 0b0010, flags | 1, flags ^ flags, flags >> 1, flags << 2, (flags & 2) != 0, ~flags,
            torch.tensor([True, False]) & torch.tensor([True, True]), torch.tensor([True]) | False,
            torch.tensor([True, False]) ^ True, caught(lambda: torch.tensor([1.0]) & 1),
            torch.tensor([1], dtype=torch.uint8) << 8, torch.tensor([-8]) >> 1,
            torch.tensor([3], dtype=torch.int8) << 6)


@program
def comparisons_across_dtypes(torch):
    i = torch.tensor([1, 2, 3])
    f = torch.tensor([1.0, 2.5, 3.0])
    return (i == f, i < 2.5, i >= torch.tensor(2.0), i.eq(2.0), (i > f).dtype, torch.tensor([True]) == 1,
            torch.tensor([1], dtype=torch.uint8) > -1, torch.isclose(i.float(), f), torch.equal(i, f),
            torch.tensor([0.1 + 0.2]) == 0.3, torch.maximum(i, f).dtype, torch.max(i, f.long()), i.ne(f).sum())


@program
def reductions_with_dtype_and_out_of_place_variants(torch):
    x = torch.tensor([[1, 2], [3, 4]], dtype=torch.int32)
    f = torch.tensor([[0.1, 0.2], [0.3, 0.4]])
    return (x.sum(dtype=torch.float64), torch.sum(x, (0, 1)), x.sum(0, dtype=torch.int64).dtype,
            f.sum(dim=1, keepdim=True, dtype=torch.float64).dtype, f.mean(dim=-1),
            f.cumsum(dim=-1, dtype=torch.float64),
            x.prod(1, dtype=torch.float32), torch.mean(f, dim=0, keepdim=True).shape, caught(x.mean, 0),
            x.to(torch.float32).mean(0), f.max(dim=0, keepdim=True).values.shape, f.amax(0), torch.std(f, dim=0),
            torch.var_mean(f, dim=1), torch.std_mean(f), torch.aminmax(f), f.median(dim=1), f.nanmedian()
            if hasattr(f, "nanmedian") and False else 0)


# ------------------------------------------------------------------------------------------- sizes, dtypes, Parameters


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


# ------------------------------------------------------------------------------------------- losses written by hand


@program
def vae_reparameterisation_and_kl(torch):
    enc = fill_(torch, torch.nn.Linear(4, 4)).double()
    dec = fill_(torch, torch.nn.Linear(2, 4), scale=0.5).double()
    x = data(torch, 3, 4, dtype=torch.float64)
    h = enc(x)
    mu, logvar = h.chunk(2, dim=1)
    eps = data(torch, 3, 2, dtype=torch.float64, offset=0.7)  # fixed noise: the draw itself differs by library
    z = mu + eps * torch.exp(0.5 * logvar)
    recon = torch.sigmoid(dec(z))
    bce = torch.nn.functional.binary_cross_entropy(recon, (x > 0).double(), reduction="sum")
    kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    (bce + kl).backward()
    return bce, kl, enc.weight.grad, dec.bias.grad


@program
def focal_loss_with_gather(torch):
    logits = data(torch, 5, 3, dtype=torch.float64).requires_grad_()
    target = torch.tensor([0, 2, 1, 1, 0])
    logp = torch.log_softmax(logits, dim=1).gather(1, target.unsqueeze(1)).squeeze(1)
    p = logp.exp()
    alpha = torch.tensor([0.25, 0.5, 0.25], dtype=torch.float64)[target]
    loss = (-alpha * (1 - p) ** 2 * logp).mean()
    loss.backward()
    return loss, logits.grad


@program
def label_smoothing_by_hand_matches_builtin(torch):
    F = torch.nn.functional
    logits = data(torch, 4, 5, dtype=torch.float64).requires_grad_()
    target = torch.tensor([1, 0, 4, 2])
    eps = 0.1
    logp = F.log_softmax(logits, dim=-1)
    smooth = torch.full_like(logp, eps / 5).scatter_(1, target[:, None], 1 - eps + eps / 5)
    by_hand = -(smooth * logp).sum(dim=1).mean()
    builtin = F.cross_entropy(logits, target, label_smoothing=eps)
    by_hand.backward()
    return by_hand, builtin, torch.allclose(by_hand, builtin), logits.grad


@program
def info_nce_contrastive_loss(torch):
    F = torch.nn.functional
    a = F.normalize(data(torch, 4, 3, dtype=torch.float64), dim=1).requires_grad_()
    b = F.normalize(data(torch, 4, 3, dtype=torch.float64, offset=0.2), dim=1)
    logits = a @ b.T / 0.1
    labels = torch.arange(4)
    loss = (F.cross_entropy(logits, labels) + F.cross_entropy(logits.T, labels)) / 2
    loss.backward()
    return loss, a.grad, logits.diag(), (logits.argmax(1) == labels).float().mean()


@program
def mixup_with_a_fixed_permutation(torch):
    F = torch.nn.functional
    net = fill_(torch, torch.nn.Linear(3, 2)).double()
    x = data(torch, 4, 3, dtype=torch.float64)
    y = torch.tensor([0, 1, 1, 0])
    perm = torch.tensor([2, 0, 3, 1])
    lam = 0.7
    mixed = lam * x + (1 - lam) * x[perm]
    out = net(mixed)
    loss = lam * F.cross_entropy(out, y) + (1 - lam) * F.cross_entropy(out, y[perm])
    loss.backward()
    return loss, net.weight.grad
