"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): tensor methods
(reductions, sort/topk/unique, splitting and joining, scans), printing tensors and sizes, Python's protocols on
tensors."""

import io
import math

import numpy as np

from pytorch.corpus import caught, data, fill_, registry, text

PROGRAMS, program = registry()


@program
def print_tensors_of_each_kind(torch):
    return [text(torch, t) for t in (
        torch.tensor([1.0, 2.5, -3.0]), torch.tensor([1, 2, 3]), torch.tensor([True, False]),
        torch.tensor(3.25), torch.tensor([1e-8, 1.0]), torch.tensor([1e10, 1.0]), torch.zeros(2, 0),
        torch.tensor([1.0, 2.0], dtype=torch.float64), torch.tensor([1, 2], dtype=torch.int32),
        torch.tensor([float("nan"), float("inf"), -float("inf"), 0.5]),
        torch.arange(6.0).reshape(2, 3), torch.tensor([[1.5]], requires_grad=True))]


@program
def print_tensor_with_grad_fn_and_size(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * 2).sum()
    return (text(torch, y), text(torch, x.shape), text(torch, repr(x.shape)), text(torch, torch.Size([2, 3])),
            x.size(0), str(x.dtype).split(".")[-1], f"{y.item():.3f}",
            f"{x.shape}".replace(torch.__name__, "torch"))


@program
def print_options_precision(torch):
    x = torch.tensor([1.123456789, 2.0, 300.5])
    torch.set_printoptions(precision=2)
    try:
        short = text(torch, x)
    finally:
        torch.set_printoptions(precision=4)
    return short, text(torch, x)


@program
def print_long_tensor_summarised(torch):
    return text(torch, torch.arange(2000)), text(torch, torch.arange(1200.0).reshape(30, 40)[:2])


@program
def format_tensor_item_in_fstring(torch):
    loss = torch.tensor(0.123456)
    acc = torch.tensor([1, 0, 1, 1]).float().mean()
    return f"loss={loss.item():.4f} acc={acc:.2%}", f"{loss:.2f}", "{:.1f}".format(torch.tensor(2.25)), int(acc * 4)


@program
def max_min_with_dim_return_values_and_indices(torch):
    x = torch.tensor([[1.0, 5.0, 5.0], [7.0, -1.0, 2.0]])
    m = x.max(dim=1)
    values, indices = x.min(dim=-1, keepdim=True)
    return (m.values, m.indices, m[0], values, indices, x.max(), x.argmax(), x.argmax(dim=0, keepdim=True),
            torch.max(x, 0).indices, torch.max(x, torch.tensor(3.0)), x.amax(dim=(-1, -2)), x.sort(dim=-1).indices,
            caught(x.max, 2))


@program
def reductions_keepdim_negative_dims_and_tuples(torch):
    x = data(torch, 2, 3, 4, dtype=torch.float64)
    return (x.sum(-1).shape, x.sum(dim=(-1, 0)).shape, x.mean((0, 2), keepdim=True).shape,
            x.std(dim=-2, keepdim=True), x.var(1, unbiased=False), x.var(1, correction=0), x.norm(dim=-1),
            x.prod(-3).shape, x.logsumexp(dim=(1, 2)), x.sum(dim=[]).shape if False else x.sum(()).shape,
            caught(x.sum, 3), caught(x.sum, (0, 0)), x.mean(dtype=torch.float32).dtype, x.count_nonzero(-1))


@program
def normalise_features_with_keepdim(torch):
    x = data(torch, 4, 3, dtype=torch.float64) * 10
    mu = x.mean(0, keepdim=True)
    sd = x.std(0, keepdim=True)
    z = (x - mu) / (sd + 1e-8)
    minmax = (x - x.min(0, keepdim=True).values) / (x.max(0, keepdim=True).values - x.min(0, keepdim=True).values)
    row_norm = x / x.norm(dim=1, keepdim=True)
    return z.mean(0), z.std(0), minmax, row_norm.norm(dim=1), torch.nn.functional.normalize(x, dim=1)


@program
def cumulative_and_sorted_bookkeeping(torch):
    x = torch.tensor([3, 1, 2, 3, 1, 3])
    values, counts = x.unique(return_counts=True)
    uniq, inverse = torch.unique(x, sorted=True, return_inverse=True)
    s = x.sort(descending=True, stable=True)
    top = torch.topk(x.float(), k=2, largest=False)
    return (values, counts, inverse, uniq[inverse], s.values, s.indices, top.values, top.indices,
            x.cumsum(0), x.bincount(), x.bincount(minlength=6), torch.argsort(x, stable=True),
            x.float().cummax(0).indices, x.kthvalue(2).values)


@program
def mean_of_integers_and_empty_reductions(torch):
    e = torch.zeros(0, 3)
    return (caught(torch.tensor([1, 2]).mean), torch.tensor([1, 2]).float().mean(), e.sum(0), e.mean(0),
            e.sum(), caught(e.max), e.max(dim=1).values.shape, caught(e.max, 0), e.prod(0), e.amax(1).shape,
            caught(e.argmax), torch.tensor([]).sum().dtype)


@program
def python_builtins_on_tensors(torch):
    x = torch.tensor([3.0, -1.5, 2.0])
    rows = torch.arange(6).reshape(2, 3)
    return (sum(x), max(x), min(torch.tensor([4, 2, 9])), sorted(torch.tensor([3, 1, 2])), list(x)[1], abs(x),
            abs(-x), sum(rows), [r.tolist() for r in rows],
            list(map(float, x)), any(x > 2), all(x > -2), math.floor(torch.tensor(2.7)), math.ceil(torch.tensor(2.2)),
            caught(round, torch.tensor(2.5)), math.isclose(torch.tensor(0.5), 0.5), caught(divmod, 7, torch.tensor(2)))


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


@program
def sort_argsort_topk_with_ties_and_nan(torch):
    x = torch.tensor([3.0, float("nan"), 1.0, 3.0, -float("inf"), 1.0, float("nan")], dtype=torch.float64)
    return (torch.sort(x), torch.sort(x, descending=True), torch.sort(x, stable=True), torch.argsort(x, stable=True),
            x.argsort(descending=True, stable=True), torch.topk(x, 3).values, torch.topk(x, 2, largest=False),
            torch.sort(torch.tensor([2, 1, 2, 1]), stable=True), torch.topk(torch.tensor([1, 3, 3, 2]), 2, sorted=True),
            x.max(), x.min(), x.nan_to_num().sort().values, torch.sort(torch.tensor([True, False, True])))


@program
def kthvalue_median_quantile(torch):
    x = torch.tensor([[4.0, 1.0, 3.0, 2.0], [5.0, 5.0, 0.0, 1.0]], dtype=torch.float64)
    n = torch.tensor([1.0, float("nan"), 2.0])
    return (torch.kthvalue(x, 2, dim=1), x.kthvalue(1, dim=0, keepdim=True), torch.median(x), torch.median(x, dim=1),
            x.median(dim=0, keepdim=True), torch.median(n), n[~n.isnan()].median(),
            torch.median(torch.tensor([3, 1, 2, 4])), torch.quantile(x, 0.5), torch.quantile(x, 0.25, dim=1),
            torch.quantile(x, torch.tensor([0.1, 0.9], dtype=torch.float64), dim=1, keepdim=True),
            caught(torch.kthvalue, x, 5, 1), caught(torch.quantile, x, 1.5))


@program
def unique_counts_inverse_and_dim(torch):
    x = torch.tensor([3, 1, 2, 3, 1, 3])
    m = torch.tensor([[1, 2], [3, 4], [1, 2], [0, 9]])
    f = torch.tensor([1.0, float("nan"), 1.0, float("nan")])
    return (torch.unique(x), torch.unique(x, return_counts=True), torch.unique(x, return_inverse=True),
            torch.unique(x, sorted=True, return_inverse=True, return_counts=True), x.unique(return_counts=True),
            torch.unique(m, dim=0), torch.unique(m, dim=0, return_inverse=True, return_counts=True),
            torch.unique(m, dim=1), torch.unique(torch.tensor([], dtype=torch.long), return_counts=True),
            torch.unique(f).shape, torch.unique(torch.tensor([True, False, True])))


@program
def histc_bincount_and_histogram(torch):
    x = torch.tensor([0.0, 0.5, 1.0, 1.0, 2.5, 3.0, -1.0, 4.0], dtype=torch.float64)
    return (torch.histc(x, bins=4, min=0, max=3), torch.histc(x, bins=3), torch.histc(x.float(), bins=2, min=1, max=1),
            torch.bincount(torch.tensor([0, 2, 2, 5])), torch.bincount(torch.tensor([1, 1]), minlength=4),
            torch.bincount(torch.tensor([0, 1, 1]), weights=torch.tensor([0.5, 1.0, 2.0], dtype=torch.float64)),
            torch.histogram(x, bins=3), torch.histogram(x, bins=torch.tensor([0.0, 1.0, 4.0], dtype=torch.float64)),
            caught(torch.bincount, torch.tensor([-1, 0])), caught(torch.histc, x, bins=2, min=3, max=1))


@program
def scans_diff_roll_flip_rot90(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    i = torch.tensor([[1, 2, 3], [4, 5, 6]])
    outs = (torch.cumsum(x, 0), x.cumsum(dim=-1), torch.cumprod(x, 1), torch.cummax(x, 0).values,
            torch.cummin(x, 1).values, torch.logcumsumexp(x, 0), torch.diff(x), torch.diff(x, n=2, dim=0),
            torch.diff(x, prepend=x[:, :1], append=x[:, -1:]), torch.roll(x, 1), torch.roll(x, (1, -2), (0, 1)),
            torch.flip(x, [0, 1]), torch.rot90(x), torch.rot90(x, 2), torch.rot90(x, -1, [0,
                                                                                          1]), x.fliplr(), x.flipud())
    sum((o * (k + 1)).sum() for k, o in enumerate(outs)).backward()
    return (outs, x.grad, torch.cumsum(i, 1).dtype, torch.cumprod(i, 0), torch.cumsum(torch.tensor([True, True]), 0),
            torch.cummax(i, 1).indices, torch.diff(torch.tensor([1, 4, 9])), i.cumsum(0, dtype=torch.float64))


@program
def tril_triu_diagonals_and_diag(torch):
    x = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    outs = (torch.tril(x), torch.tril(x, diagonal=1), torch.tril(x, -1), torch.triu(x, 2), x.triu(-2), x.tril(-5),
            torch.diag(x), torch.diag(x, 1), torch.diag(x[0]), torch.diag(x[0], -1), torch.diag(x, -1),
            torch.diag(x.T, 1), torch.trace(x[:, :3]))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return outs, x.grad, torch.tril(torch.ones(2, 3, 3, dtype=torch.int64)).sum(), caught(torch.tril, torch.ones(3))


@program
def gather_scatter_and_index_writes(torch):
    src = data(torch, 3, 4, dtype=torch.float64).requires_grad_()
    idx = torch.tensor([[0, 1, 2, 0], [2, 0, 1, 1]])
    z = torch.zeros(3, 4, dtype=torch.float64)
    outs = (torch.gather(src, 0, idx), z.scatter(0, idx, src[:2]), z.scatter_add(0, idx, src[:2]),
            torch.scatter_add(z, 1, idx[:, :2], src[:2, :2]), src.index_select(1, torch.tensor([3, 0, 3])),
            torch.index_add(z, 0, torch.tensor([2, 0, 2]), src), z.index_copy(1, torch.tensor([1, 0, 3, 2]), src),
            src.index_fill(0, torch.tensor([1]), -1.0), torch.take(src, torch.tensor([0, 11, 5])))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    acc = torch.zeros(5)
    acc.index_add_(0, torch.tensor([0, 4, 0]), torch.ones(3), alpha=2)
    counts = torch.zeros(3, dtype=torch.long).scatter_add_(0, torch.tensor([0, 2, 2, 2]), torch.ones(4,
                                                                                                     dtype=torch.long))
    return (outs, src.grad, acc, counts, z.scatter(1, idx, 7.0), z.scatter(0, idx, 1.0, reduce="add"),
            caught(torch.gather, src, 1, idx.float()), caught(z.scatter_, 0, torch.tensor([[3]]), 1.0))


@program
def masked_fill_and_where_with_scalars(torch):
    x = data(torch, 2, 3, dtype=torch.float64).requires_grad_()
    mask = x > 0
    outs = (x.masked_fill(mask, 0.0), x.masked_fill(~mask, float("-inf")).softmax(1),
            torch.where(mask, x, 0.0), torch.where(mask, 1.0, x), torch.where(mask, x, -x),
            x.masked_fill(torch.tensor(True), 2.0), x.masked_fill(mask[0], torch.tensor(3.0, dtype=torch.float64)))
    sum(o.nan_to_num(0.0).sum() * (k + 1) for k, o in enumerate(outs)).backward()
    i = torch.tensor([1, -2, 3])
    return (outs, x.grad, torch.where(i > 0, i, 0), torch.where(i > 0, i, 0.5), torch.where(i > 0, 1, 0).dtype,
            torch.where(i > 0, 2.0, 0.0).dtype, torch.where(mask), x.masked_select(mask),
            caught(x.masked_fill, mask.int(), 0.0), caught(x.masked_fill, mask, torch.ones(2)), i.masked_fill(i < 0,
                                                                                                              9.7))


@program
def chunk_split_tensor_split_unbind(torch):
    x = torch.arange(10.0, dtype=torch.float64).reshape(2, 5).requires_grad_()
    parts = (x.chunk(3, dim=1), torch.chunk(x, 2), x.split(2, dim=1), x.split([1, 4], 1), torch.split(x, 3, -1),
             x.tensor_split(3, dim=1), x.tensor_split([1, 3], dim=1), torch.tensor_split(x, torch.tensor([2, 4]), 1),
             x.unbind(1), torch.unbind(x))
    flat = [p for group in parts for p in group]
    sum(p.sum() * (k + 1) for k, p in enumerate(flat)).backward()
    return ([[p.shape for p in g] for g in parts], flat[:4], x.grad, caught(x.split, [1, 1], 1),
            caught(x.chunk, 0), torch.arange(5).chunk(6), torch.empty(0).split(2))


@program
def expand_repeat_interleave_and_tile(torch):
    x = torch.tensor([[1.0], [2.0]], dtype=torch.float64).requires_grad_()
    outs = (x.expand(2, 3), x.expand(3, -1, 4), x.expand_as(torch.zeros(2, 5)), x.repeat(2, 3), x.repeat(1, 1, 2),
            torch.repeat_interleave(x, 2), x.repeat_interleave(torch.tensor([1, 3]), dim=0),
            x.repeat_interleave(2, dim=1), torch.tile(x, (2,)), x.tile((1, 2, 2)))
    sum(o.sum() * (k + 1) for k, o in enumerate(outs)).backward()
    return ([o.shape for o in outs], outs[6], x.grad, torch.repeat_interleave(torch.tensor([2, 0, 1])),
            caught(x.expand, 3, 3), caught(x.repeat, 2), caught(x.expand, 2), x.expand(2, 3).is_contiguous())


@program
def allclose_isclose_equal_any_all(torch):
    a = torch.tensor([1.0, 2.0, float("nan"), float("inf")], dtype=torch.float64)
    b = torch.tensor([1.0 + 1e-9, 2.1, float("nan"), float("inf")], dtype=torch.float64)
    m = torch.tensor([[True, False], [True, True]])
    return (torch.allclose(a, b), torch.allclose(a, b, equal_nan=True, atol=0.2), torch.isclose(a, b),
            torch.isclose(a, b, rtol=0, atol=0.2, equal_nan=True), torch.equal(a, a), torch.equal(a[:2], a[:2].clone()),
            torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0])), torch.equal(torch.ones(2), torch.ones(3)),
            m.any(), m.all(), m.any(dim=0), m.all(1), m.all(dim=1, keepdim=True), torch.any(torch.tensor([0, 2])),
            torch.all(torch.tensor([1.0, 0.5])), torch.tensor([]).all(), torch.tensor([]).any(),
            torch.isclose(torch.tensor([1, 2]), torch.tensor([1, 3])), caught(torch.allclose, a, torch.ones(3)))


@program
def to_type_as_and_promotion_of_ints_and_bools(torch):
    i = torch.tensor([1, 2, 3])
    b = torch.tensor([True, False, True])
    f = torch.tensor([0.5, 1.5, 2.5])
    d = torch.tensor([1.0], dtype=torch.float64)
    return ((i + f).dtype, (b + f).dtype, (b + i).dtype, (b + b).dtype, (i * 0.5).dtype, (b * 2).dtype,
            (i / 2).dtype, (i + d).dtype, (f + d).dtype, (torch.tensor(1.5, dtype=torch.float64) + f).dtype,
            (i.to(torch.int32) + torch.tensor([1], dtype=torch.int8)).dtype, i.type_as(f), f.type_as(i),
            i.to(f), f.to(torch.int64), f.to(dtype=torch.float64, copy=True), i.to("cpu").dtype, b.to(torch.float32),
            torch.tensor([-1.7, 2.7]).int(), torch.tensor([0.0, -0.0, 2.0]).bool(), b.sum(), b.float().mean(),
            torch.result_type(i, 1.0) if hasattr(torch, "result_type") else torch.float32,
            torch.promote_types(torch.int64, torch.float32) if hasattr(torch, "promote_types") else torch.float32,
            caught(i.__iadd__, f), (i + True).dtype, (b | torch.tensor([False, False, True])))


@program
def item_tolist_numpy_round_trips(torch):
    x = torch.tensor([[1.5, -2.0], [3.0, 4.25]], dtype=torch.float64)
    i = torch.tensor([7])
    arr = x.numpy()
    arr[0, 0] = 9.0  # shares memory
    back = torch.from_numpy(np.array([[1, 2]], dtype=np.int32))
    w = torch.ones(2, requires_grad=True)
    return (x.tolist(), i.item(), type(i.item()).__name__, type(x[0, 0].item()).__name__, x[0, 0],
            torch.tensor(True).item(), type(torch.tensor([1.0, 2.0]).tolist()[0]).__name__, back.dtype,
            back.tolist(), torch.as_tensor(np.float32(2.5)).dtype, torch.tensor(np.arange(3)).dtype,
            caught(w.numpy), w.detach().numpy().tolist(), caught(torch.ones(2).item),
            torch.tensor(3.5).tolist(), x.numpy().dtype.name, torch.from_numpy(np.zeros((0, 2))).shape)


@program
def save_load_tensors_modules_and_optimizer_to_bytesio(torch):
    net = fill_(torch, torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.BatchNorm1d(3),
                                           torch.nn.Linear(3, 1)))
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x = data(torch, 4, 2)
    net(x).pow(2).sum().backward()  # (no bias before BatchNorm, nor a plain sum: their zero gradients are Adam's noise)
    opt.step()
    buf = io.BytesIO()
    torch.save({"model": net.state_dict(), "opt": opt.state_dict(), "epoch": 3, "tensors": [torch.arange(3),
                                                                                           torch.tensor(True)]}, buf)
    buf.seek(0)
    ckpt = torch.load(buf, weights_only=True)
    net2 = torch.nn.Sequential(torch.nn.Linear(2, 3, bias=False), torch.nn.BatchNorm1d(3), torch.nn.Linear(3, 1))
    net2.load_state_dict(ckpt["model"])
    opt2 = torch.optim.Adam(net2.parameters(), lr=0.5)
    step = ckpt["opt"]["state"][0]["step"].item()  # read now: PyTorch's opt2 steps the loaded tensor in place
    opt2.load_state_dict(ckpt["opt"])
    for n, o in ((net, opt), (net2, opt2)):
        o.zero_grad()
        n(x).pow(2).sum().backward()
        o.step()
    net.eval()
    net2.eval()
    return (ckpt["epoch"], ckpt["tensors"], sorted(ckpt["model"]), net(x), net2(x), opt2.param_groups[0]["lr"],
            step, torch.equal(net[1].running_mean, net2[1].running_mean))
