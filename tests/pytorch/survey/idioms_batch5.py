import collections
import sys

import numpy as np
from idioms_harness import U, X, main, seed_params, snippet
from idioms_harness import catch as _catch

# ---------------------------------------------------------------- datasets, collation and loaders


@snippet
def dataset_tuple_mixed_item_types(torch, data):
    class DS(data.Dataset):
        def __init__(self):
            self.x = np.arange(12, dtype=np.float64).reshape(4, 3)

        def __len__(self):
            return len(self.x)

        def __getitem__(self, i):
            return self.x[i], i, float(i) / 4, i % 2 == 0

    b = next(iter(data.DataLoader(DS(), batch_size=3, shuffle=False)))
    return dict(x=b[0], i=b[1], f=b[2], bo=b[3], t=type(b).__name__, n=len(b))


@snippet
def dataset_dict_items_loader(torch, data):
    class DS(data.Dataset):
        def __len__(self):
            return 5

        def __getitem__(self, idx):
            img = torch.full((1, 2, 2), float(idx))
            return {"image": img, "label": idx % 3, "aux": {"w": np.float32(idx / 2), "pair": (idx, -idx)}}

    dl = data.DataLoader(DS(), batch_size=2, shuffle=False)
    out = []
    for b in dl:
        out.append(dict(image=b["image"], label=b["label"], w=b["aux"]["w"], pair=b["aux"]["pair"],
                        pt=type(b["aux"]["pair"]).__name__, keys=list(b)))
    return dict(out=out, n=len(dl))


@snippet
def default_collate_list_positions(torch, data):
    batch = [[1, 2.5, True], [3, 4.5, False]]
    b = data.default_collate(batch)
    c = data.default_collate([np.array([1, 2], dtype=np.int32), np.array([3, 4], dtype=np.int32)])
    d = data.default_collate([np.float32(1.5), np.float32(2.5)])
    e = data.default_collate([np.int16(1), np.int16(2)])
    f = data.default_collate([torch.tensor(1.0), torch.tensor(2.0)])
    return dict(b=b, tb=type(b).__name__, c=c, d=d, e=e, f=f)


@snippet
def default_collate_namedtuple(torch, data):
    Pt = collections.namedtuple("Pt", ["x", "y"])
    b = data.default_collate([Pt(torch.tensor([1.0]), 0), Pt(torch.tensor([2.0]), 1)])
    od = data.default_collate([collections.OrderedDict(b=1, a=2.0), collections.OrderedDict(b=3, a=4.0)])
    bools = data.default_collate([np.bool_(True), np.bool_(False)])
    return dict(t=type(b).__name__, x=b.x, y=b.y, fields=list(b._fields), od=od, odk=list(od), bools=bools)


@snippet
def default_collate_keeps_mapping_type(data):
    od = data.default_collate([collections.OrderedDict(b=1, a=2.0), collections.OrderedDict(b=3, a=4.0)])
    return type(od).__name__


@snippet
def default_collate_errors(torch, data):
    return dict(uneven=_catch(lambda: data.default_collate([[1, 2], [3]]), RuntimeError),
                none=_catch(lambda: data.default_collate([None, None]), TypeError),
                shapes=_catch(lambda: data.default_collate([torch.zeros(2), torch.zeros(3)]), RuntimeError),
                obj=_catch(lambda: data.default_collate([object(), object()]), TypeError))


@snippet
def default_collate_strings_and_nested_tuples(torch, data):
    batch = [("a", (1, torch.tensor([0.5]))), ("b", (2, torch.tensor([1.5])))]
    b = data.default_collate(batch)
    return dict(s=b[0], n=b[1][0], t=b[1][1], outer=type(b).__name__, inner=type(b[1]).__name__)


@snippet
def loader_len_grid(data):
    out = {}
    for n in (0, 1, 7, 9, 10):
        for bs in (1, 3, 5):
            for dl in (False, True):
                out[f"{n}-{bs}-{dl}"] = len(data.DataLoader(list(range(n)), batch_size=bs, drop_last=dl))
    return out


@snippet
def loader_drop_last_batches(torch, data):
    ds = data.TensorDataset(torch.arange(7.0), torch.arange(7) * 10)
    keep = [(x.tolist(), y.tolist()) for x, y in data.DataLoader(ds, batch_size=3)]
    drop = [(x.tolist(), y.tolist()) for x, y in data.DataLoader(ds, batch_size=3, drop_last=True)]
    big = [x.tolist() for x, _ in data.DataLoader(ds, batch_size=10)]
    big_drop = [x.tolist() for x, _ in data.DataLoader(ds, batch_size=10, drop_last=True)]
    return dict(keep=keep, drop=drop, big=big, big_drop=big_drop)


@snippet
def loader_with_explicit_sampler_order(torch, data):
    ds = data.TensorDataset(torch.arange(6) * 2)
    rev = [5, 4, 3, 2, 1, 0]
    a = [b[0].tolist() for b in data.DataLoader(ds, batch_size=4, sampler=rev)]
    b = [b[0].tolist() for b in data.DataLoader(ds, batch_size=2, sampler=data.SequentialSampler(ds))]
    c = [b[0].tolist() for b in data.DataLoader(ds, batch_size=4, sampler=[0, 0, 5], drop_last=False)]
    return dict(a=a, b=b, c=c, la=len(data.DataLoader(ds, batch_size=4, sampler=rev)))


@snippet
def custom_sampler_subclass(torch, data):
    class EvenFirst(data.Sampler):
        def __init__(self, n):
            self.n = n

        def __iter__(self):
            return iter([i for i in range(self.n) if i % 2 == 0] + [i for i in range(self.n) if i % 2])

        def __len__(self):
            return self.n

    ds = data.TensorDataset(torch.arange(5.0))
    dl = data.DataLoader(ds, batch_size=2, sampler=EvenFirst(5))
    return dict(b=[x.tolist() for (x,) in dl], n=len(dl), order=list(EvenFirst(5)))


@snippet
def custom_batch_sampler_class(torch, data):
    class Buckets(data.Sampler):
        def __init__(self, groups):
            self.groups = groups

        def __iter__(self):
            for g in self.groups:
                yield list(g)

        def __len__(self):
            return len(self.groups)

    ds = data.TensorDataset(torch.arange(8.0) * 0.5, torch.arange(8))
    dl = data.DataLoader(ds, batch_sampler=Buckets([[7, 6], [0], [1, 2, 3]]))
    return dict(b=[(x, y) for x, y in dl], n=len(dl), dl=dl.drop_last)


@snippet
def loader_batch_size_attribute_with_batch_sampler(torch, data):
    ds = data.TensorDataset(torch.arange(4.0))
    dl = data.DataLoader(ds, batch_sampler=[[0, 1], [2, 3]])
    return dict(bs=dl.batch_size, n=len(dl))


@snippet
def loader_option_conflicts(torch, data):
    ds = data.TensorDataset(torch.arange(4.0))
    return dict(bs=_catch(lambda: data.DataLoader(ds, batch_size=2, batch_sampler=[[0, 1]]), ValueError),
                sh=_catch(lambda: data.DataLoader(ds, sampler=[0, 1], shuffle=True), ValueError),
                dl=_catch(lambda: data.DataLoader(ds, batch_sampler=[[0, 1]], drop_last=True), ValueError),
                bss=_catch(lambda: data.DataLoader(ds, batch_sampler=[[0]], shuffle=True), ValueError))


@snippet
def sampler_lengths(torch, data):
    ds = data.TensorDataset(torch.arange(10.0))
    g = torch.Generator().manual_seed(3)
    return dict(seq=len(data.SequentialSampler(ds)), rnd=len(data.RandomSampler(ds)),
                sub=len(data.SubsetRandomSampler([1, 2, 3])),
                cover=sorted(data.RandomSampler(ds, generator=g)),
                seq_list=list(data.SequentialSampler(range(4))))


@snippet
def random_sampler_replacement_num_samples(torch, data):
    ds = data.TensorDataset(torch.arange(10.0))
    g = torch.Generator().manual_seed(3)
    s = data.RandomSampler(ds, replacement=True, num_samples=7, generator=g)
    dl = data.DataLoader(ds, batch_size=3, sampler=s)
    dl2 = data.DataLoader(ds, batch_size=3, sampler=s, drop_last=True)
    return dict(n=len(dl), n2=len(dl2), sizes=[len(b[0]) for b in dl], sizes2=[len(b[0]) for b in dl2], ls=len(s),
                items=len(list(s)), inrange=all(0 <= i < 10 for i in s), few=len(data.RandomSampler(ds, num_samples=4)),
                many=len(data.RandomSampler(ds, replacement=True, num_samples=25)))


@snippet
def random_split_fraction_lengths(torch, data):
    out = {}
    for n, fr in [(10, [0.5, 0.5]), (7, [0.5, 0.5]), (10, [0.33, 0.33, 0.34]), (11, [0.7, 0.2, 0.1]),
                  (5, [0.2] * 5), (3, [0.1] * 10), (9, [1.0, 0.0])]:
        parts = data.random_split(range(n), fr, generator=torch.Generator().manual_seed(0))
        out[f"{n}-{len(fr)}"] = [len(p) for p in parts]
    return out


@snippet
def random_split_invalid_lengths(torch, data):
    ds = list(range(10))
    return dict(sum=_catch(lambda: data.random_split(ds, [3, 3]), ValueError),
                frac=_catch(lambda: data.random_split(ds, [0.5, 0.4]), ValueError),
                big=_catch(lambda: data.random_split(ds, [11]), ValueError))


@snippet
def random_split_generator_reproducible(torch, data):
    ds = data.TensorDataset(torch.arange(20.0))
    a1, b1 = data.random_split(ds, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
    a2, b2 = data.random_split(ds, [0.75, 0.25], generator=torch.Generator().manual_seed(42))
    union = sorted(list(a1.indices) + list(b1.indices))
    return dict(same=list(a1.indices) == list(a2.indices), same_b=list(b1.indices) == list(b2.indices),
                union=union, la=len(a1), lb=len(b1), disjoint=not set(a1.indices) & set(b1.indices),
                item_ok=float(a1[0][0]) == float(a1.indices[0]), ds=a1.dataset is ds,
                it=type(a1.indices).__name__, it0=type(a1.indices[0]).__name__)


@snippet
def subset_of_subset_and_loader(torch, data):
    ds = data.TensorDataset(torch.arange(10.0) * 3, torch.arange(10))
    s1 = data.Subset(ds, [9, 7, 5, 3, 1])
    s2 = data.Subset(s1, [0, 2, 4])
    dl = data.DataLoader(s2, batch_size=2)
    return dict(s2=[s2[i] for i in range(len(s2))], b=[(x, y) for x, y in dl], l=len(s2), inner=s2.dataset is s1,
                idx=list(s2.indices), neg=s1[-1])


@snippet
def concat_dataset_indexing(torch, data):
    a = data.TensorDataset(torch.arange(3.0))
    b = data.TensorDataset(torch.arange(10.0, 14.0))
    c = data.ConcatDataset([a, b, a])
    return dict(n=len(c), items=[c[i][0] for i in range(len(c))], neg=c[-1], neg2=c[-5], cs=c.cumulative_sizes,
                pos=_catch(lambda: c[10], IndexError), nds=len(c.datasets),
                loader=[x.tolist() for (x,) in data.DataLoader(c, batch_size=4)])


@snippet
def concat_dataset_negative_index_error(torch, data):
    c = data.ConcatDataset([data.TensorDataset(torch.arange(3.0)), data.TensorDataset(torch.arange(4.0))])
    return _catch(lambda: c[-8], ValueError)


@snippet
def dataset_add_operator(torch, data):
    a = data.TensorDataset(torch.arange(2.0))
    b = data.TensorDataset(torch.arange(5.0, 8.0))
    c = a + b
    return dict(t=type(c).__name__, n=len(c), last=c[4], cs=c.cumulative_sizes)


@snippet
def tensordataset_fancy_indexing(torch, data):
    ds = data.TensorDataset(torch.arange(12.0).reshape(6, 2), torch.arange(6))
    return dict(lst=ds[[0, 3]], sl=ds[1:6:2], neg=ds[-1], t=ds[torch.tensor([5, 0])], tt=type(ds[0]).__name__)


@snippet
def tensordataset_size_mismatch_error(torch, data):
    return _catch(lambda: data.TensorDataset(torch.zeros(3), torch.zeros(4)), AssertionError)


@snippet
def loader_collate_identity_and_lambda(torch, data):
    ds = [(i, torch.tensor([float(i)])) for i in range(5)]
    a = list(data.DataLoader(ds, batch_size=2, collate_fn=lambda b: b))
    b = list(data.DataLoader(ds, batch_size=2, collate_fn=lambda b: torch.cat([x for _, x in b])))
    c = list(data.DataLoader(ds, batch_size=3, collate_fn=lambda b: (len(b), sum(i for i, _ in b))))
    return dict(a=a, b=b, c=c)


@snippet
def loader_batch_none_numpy_items(torch, data):
    class DS(data.Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return np.full(2, i, dtype=np.float32), i, {"k": np.int64(i)}

    out = list(data.DataLoader(DS(), batch_size=None))
    return dict(x=[o[0] for o in out], tx=type(out[0][0]).__name__, i=[o[1] for o in out],
                ti=type(out[0][1]).__name__, k=[o[2]["k"] for o in out], tk=type(out[0][2]["k"]).__name__)


@snippet
def loader_attributes(torch, data):
    ds = data.TensorDataset(torch.arange(5.0))
    dl = data.DataLoader(ds, batch_size=2)
    dl2 = data.DataLoader(ds, batch_size=2, shuffle=True)
    return dict(bs=dl.batch_size, dl=dl.drop_last, ds=dl.dataset is ds, nw=dl.num_workers,
                reiter=[x.tolist() for (x,) in dl] == [x.tolist() for (x,) in dl], n2=len(dl2))


@snippet
def loader_sampler_attribute(torch, data):
    ds = data.TensorDataset(torch.arange(5.0))
    dl = data.DataLoader(ds, batch_size=2)
    dl2 = data.DataLoader(ds, batch_size=2, shuffle=True)
    return dict(s=type(dl.sampler).__name__, s2=type(dl2.sampler).__name__, n=len(dl.sampler), order=list(dl.sampler))


@snippet
def loader_shuffle_generator_covers(torch, data):
    ds = data.TensorDataset(torch.arange(9.0), torch.arange(9))
    g = torch.Generator().manual_seed(7)
    dl = data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
    ep = []
    for _ in range(2):
        seen = []
        for x, y in dl:
            seen += y.tolist()
            assert x.tolist() == [float(v) for v in y.tolist()]
        ep.append(sorted(seen))
    return dict(ep=ep, sizes=[len(b[0]) for b in dl])


@snippet
def iterate_dataset_directly(torch, data):
    class Squares(data.Dataset):
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            if i >= self.n:
                raise IndexError(i)
            return torch.tensor(float(i * i))

    ds = Squares(4)
    sub = data.Subset(ds, range(1, 3))
    return dict(direct=[v for v in ds], sub=[sub[i] for i in range(len(sub))], l=len(sub))


@snippet
def collate_mixed_dtype_tensors(torch, data):
    batch = [(torch.tensor([1, 2], dtype=torch.int32), torch.tensor(1.5, dtype=torch.float64), torch.tensor(True)),
             (torch.tensor([3, 4], dtype=torch.int32), torch.tensor(2.5, dtype=torch.float64), torch.tensor(False))]
    b = data.default_collate(batch)
    return dict(b=b, dts=[t.dtype for t in b])


@snippet
def index_containers_numpy_and_tensor(torch, data):
    ds = data.TensorDataset(torch.arange(10.0) * 2, torch.arange(10))
    mask = np.array([i % 3 == 0 for i in range(10)])
    sub = data.Subset(ds, np.where(mask)[0])
    dl = data.DataLoader(ds, batch_size=2, sampler=torch.tensor([3, 1, 2]))
    srs = data.SubsetRandomSampler(torch.nonzero(torch.tensor(mask)).flatten())
    seen = sorted(int(v) for _, y in data.DataLoader(ds, batch_size=3, sampler=srs) for v in y)
    return dict(n=len(sub), items=[sub[i] for i in range(len(sub))], b=[(x, y) for x, y in dl], seen=seen, ns=len(srs))


@snippet
def loader_batch_none_custom_collate(torch, data):
    ds = [(i, float(i) * 0.5) for i in range(3)]
    out = list(data.DataLoader(ds, batch_size=None, collate_fn=lambda s: {"i": s[0], "f": s[1]}))
    return out


# ---------------------------------------------------------------- autograd: hooks, views, grad modes


@snippet
def hook_scales_intermediate_grad(torch):
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    seen = []
    y = x * x
    y.register_hook(lambda g: g * 10)
    z = y.sum() * 0.5
    x.register_hook(lambda g: seen.append(g.clone()))
    z.backward()
    return dict(g=x.grad, seen=seen)


@snippet
def hook_order_and_removal_on_leaf(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    h1 = w.register_hook(lambda g: g + 1)
    h2 = w.register_hook(lambda g: g * 3)
    (w * 2).sum().backward()
    a = w.grad.clone()
    h1.remove()
    w.grad.zero_()
    (w * 2).sum().backward()
    b = w.grad.clone()
    h2.remove()
    h2.remove()
    w.grad = None
    (w * 2).sum().backward()
    return dict(a=a, b=b, c=w.grad)


@snippet
def hook_on_non_requiring_tensor(torch):
    t = torch.ones(2)
    return _catch(lambda: t.register_hook(lambda g: g), RuntimeError)


@snippet
def retain_grad_on_views(torch):
    x = torch.tensor(X((2, 3)), requires_grad=True)
    y = x * 2
    row = y[1]
    row.retain_grad()
    flat = y.view(-1)
    flat.retain_grad()
    tr = y.t()
    tr.retain_grad()
    loss = (row ** 2).sum() + (flat * torch.arange(6.0)).sum() + tr[0].sum()
    loss.backward()
    return dict(row=row.grad, flat=flat.grad, tr=tr.grad, y=y.grad is None, x=x.grad, leaf=row.is_leaf)


@snippet
def retain_grad_sees_hook_result_and_hook_called_once(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    calls = []

    def hook(g):
        calls.append(g.clone())
        return g * 10

    y.register_hook(hook)
    z = (y ** 2).sum() + y.sum() + (y * x).sum()
    z.backward()
    return dict(y=y.grad, x=x.grad, calls=calls, n=len(calls))


@snippet
def retain_grad_accumulates_nonleaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    z = (y ** 2).sum()
    z.backward(retain_graph=True)
    a = y.grad.clone()
    z.backward()
    return dict(a=a, b=y.grad, x=x.grad)


@snippet
def grads_through_view_ops(torch):
    x = torch.tensor(X((2, 3, 2)), requires_grad=True)
    a = x.view(6, 2)[::2]
    b = x.permute(2, 0, 1).reshape(2, 6)
    c = x.transpose(0, 2).flatten()[1:4]
    d = x.unsqueeze(0).expand(3, 2, 3, 2)
    e = x.narrow(1, 1, 2).squeeze()
    loss = (a * 2).sum() + (b[0] ** 2).sum() + (c * torch.tensor([1.0, -1.0, 2.0])).sum() + d.sum() + e.prod()
    loss.backward()
    return x.grad


@snippet
def inplace_on_view_of_nonleaf(torch):
    x = torch.tensor(X((3, 4)), requires_grad=True)
    y = x.clone()
    y.view(-1)[[0, 5]] = 0.0
    y.t()[1].mul_(2)
    v = y[0]
    v.sub_(y[1].detach())
    y[:, 2:].exp_()
    (y * torch.tensor(U((3, 4)))).sum().backward()
    return dict(y=y, g=x.grad)


@snippet
def inplace_view_changes_base_grad_fn(torch):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x * 1
    before = y.grad_fn is not None
    y[1:].pow_(2)
    z = y.sum()
    z.backward()
    return dict(before=before, y=y, g=x.grad, rg=y.requires_grad)


@snippet
def autograd_grad_materialize(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([[3.0]], requires_grad=True)
    y = (x ** 2).sum()
    g = torch.autograd.grad(y, [x, z], allow_unused=True, materialize_grads=True)
    return dict(g0=g[0], g1=g[1])


@snippet
def autograd_grad_list_outputs_unused(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    c = torch.tensor([4.0], requires_grad=True)
    o1 = (a * b).sum()
    o2 = (a ** 2).sum()
    g = torch.autograd.grad([o1, o2], [a, b, c], allow_unused=True, retain_graph=True)
    h = torch.autograd.grad(o1, (b,), retain_graph=True)
    k = torch.autograd.grad([o1, o2], a, grad_outputs=[None, torch.tensor(3.0)])
    return dict(g0=g[0], g1=g[1], g2=g[2] is None, t=type(g).__name__, h=h, k=k, grads=[a.grad, b.grad])


@snippet
def hessian_vector_product_mlp(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)), seed=3)
    x = torch.tensor(X((5, 3)))
    loss = (net(x) ** 2).mean()
    params = list(net.parameters())
    grads = torch.autograd.grad(loss, params, create_graph=True)
    vs = [torch.tensor(X(tuple(p.shape), 10 + i)) for i, p in enumerate(params)]
    gv = sum((g * v).sum() for g, v in zip(grads, vs))
    hv = torch.autograd.grad(gv, params)
    return dict(g=[g.detach() for g in grads], hv=list(hv), rg=grads[0].requires_grad)


@snippet
def gradient_penalty_into_param_grads(torch, nn):
    D = seed_params(torch, nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 1)), seed=5)
    real = torch.tensor(X((4, 2), 1))
    fake = torch.tensor(X((4, 2), 2))
    alpha = torch.tensor(U((4, 1), 3))
    inter = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    out = D(inter)
    g = torch.autograd.grad(outputs=out, inputs=inter, grad_outputs=torch.ones_like(out), create_graph=True,
                            retain_graph=True, only_inputs=True)[0]
    gp = ((g.view(g.size(0), -1).norm(2, dim=1) - 1) ** 2).mean() * 10
    gp.backward()
    return dict(gp=gp, grads=[p.grad for p in D.parameters()], ig=inter.grad)


@snippet
def backward_inputs_nonleaf_and_subset(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0, 4.0], requires_grad=True)
    h = a * b
    out = (h ** 2).sum()
    out.backward(inputs=[h], retain_graph=True)
    hg = h.grad.clone()
    out.backward(inputs=[b], retain_graph=True)
    bg = b.grad.clone()
    torch.autograd.backward(out, inputs=[a, b])
    return dict(hg=hg, bg=bg, a=a.grad, b=b.grad)


@snippet
def set_grad_enabled_decorator(torch):
    try:
        @torch.set_grad_enabled(False)
        def frozen(x):
            return x * 2, torch.is_grad_enabled()

        after_decorating = torch.is_grad_enabled()
    finally:
        torch.set_grad_enabled(True)
    x = torch.ones(2, requires_grad=True)
    a, st = frozen(x)
    return dict(a=a.requires_grad, st=st, after_decorating=after_decorating, now=torch.is_grad_enabled())


@snippet
def no_grad_enable_grad_decorators(torch):
    @torch.no_grad()
    def nog(x):
        with torch.enable_grad():
            inner = x * 3
        return x * 2, inner

    @torch.enable_grad()
    def eg(x):
        return x * 4

    x = torch.ones(2, requires_grad=True)
    b, inner = nog(x)
    with torch.no_grad():
        c = eg(x)
        still = torch.is_grad_enabled()
    return dict(b=b.requires_grad, inner=inner.requires_grad, c=c.requires_grad, still=still,
                now=torch.is_grad_enabled())


@snippet
def set_grad_enabled_nested_states(torch):
    x = torch.ones(1, requires_grad=True)
    st = []
    with torch.set_grad_enabled(False):
        st.append(torch.is_grad_enabled())
        with torch.set_grad_enabled(True):
            st.append(torch.is_grad_enabled())
            y = x * 2
        with torch.enable_grad():
            with torch.no_grad():
                st.append(torch.is_grad_enabled())
        st.append(torch.is_grad_enabled())
    st.append(torch.is_grad_enabled())
    mode = True
    with torch.set_grad_enabled(mode and False):
        z = x * 2
    return dict(st=st, y=y.requires_grad, z=z.requires_grad, ygf=y.grad_fn is not None)


@snippet
def inference_mode_basic(torch, nn):
    net = seed_params(torch, nn.Linear(3, 2))
    x = torch.tensor(X((2, 3)))
    with torch.inference_mode():
        y = net(x)
        inside = torch.is_inference_mode_enabled()
        g = torch.is_grad_enabled()
    with torch.inference_mode(False):
        z = net(x)
        inside2 = torch.is_inference_mode_enabled()

    @torch.inference_mode()
    def predict(v):
        return net(v).argmax(1)
    return dict(y=y, rg=y.requires_grad, inside=inside, g=g, z=z.requires_grad, inside2=inside2, p=predict(x),
                after=torch.is_inference_mode_enabled())


@snippet
def detach_shares_memory_and_version(torch):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 2
    d = b.detach()
    d[0] = 100.0
    shared = b[0].item()
    c = a.sigmoid()
    c.detach().zero_()
    err = _catch(lambda: c.sum().backward(), RuntimeError)
    e = a.exp()
    e.detach().add_(0)
    err2 = _catch(lambda: e.sum().backward(), RuntimeError)
    return dict(shared=shared, b=b, err=err, err2=err2, dreq=d.requires_grad, dleaf=d.is_leaf)


@snippet
def requires_grad_chain_returns_self(torch):
    t = torch.zeros(3)
    r = t.requires_grad_()
    same = r is t
    r2 = t.requires_grad_(False)
    u = torch.tensor(X((2,))).requires_grad_().mul(2).sum()
    p = torch.ones(2, dtype=torch.float64).requires_grad_(True)
    return dict(same=same, same2=r2 is t, rg=t.requires_grad, u=u.requires_grad, leaf=u.is_leaf, p=p.requires_grad,
                int_err=_catch(lambda: torch.ones(2, dtype=torch.int64).requires_grad_(), RuntimeError))


@snippet
def data_assignment_shape_change(torch, nn):
    lin = seed_params(torch, nn.Linear(2, 3))
    lin.weight.data = torch.ones(3, 2) * 0.5
    out1 = lin(torch.ones(1, 2))
    p = nn.Parameter(torch.ones(2))
    p.data = torch.arange(4.0)
    req = p.requires_grad
    (p * p).sum().backward()
    return dict(out1=out1, p=p, req=req, g=p.grad, t=type(p).__name__, leaf=p.is_leaf)


@snippet
def leaf_grad_accumulation_and_zero(torch):
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    (w * 3).sum().backward()
    g1 = w.grad
    a = g1.clone()
    (w ** 2).sum().backward()
    same = g1 is w.grad
    b = w.grad.clone()
    r = w.grad.zero_()
    (w * w * w).sum().backward()
    return dict(a=a, b=b, same=same, zr=r is w.grad, c=w.grad, greq=w.grad.requires_grad)


@snippet
def manual_grad_set_and_accumulate(torch):
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    w.grad = torch.tensor([10.0, 10.0])
    (w * 2).sum().backward()
    g = w.grad.clone()
    wrong = _catch(lambda: setattr(w, "grad", torch.zeros(3)), RuntimeError)
    dt = _catch(lambda: setattr(w, "grad", torch.zeros(2, dtype=torch.int64)), RuntimeError)
    return dict(g=g, wrong=wrong, dt=dt)


@snippet
def no_grad_result_then_requires_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
    leaf = y.is_leaf
    y.requires_grad_()
    (y ** 2).sum().backward()
    return dict(leaf=leaf, yg=y.grad, xg=x.grad is None, gf=y.grad_fn is None)


@snippet
def autograd_errors_nonscalar_and_nograd(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    c = torch.tensor([1.0, 2.0])
    return dict(nonscalar=_catch(lambda: torch.autograd.grad(y, x, retain_graph=True), RuntimeError),
                nograd=_catch(lambda: torch.autograd.grad((c * 2).sum(), c), RuntimeError),
                noinput=_catch(lambda: torch.autograd.grad(y.sum(), torch.ones(1, requires_grad=True)), RuntimeError),
                freed=_catch(lambda: [y.sum().backward(), y.sum().backward()], RuntimeError))


@snippet
def double_backward_second_derivative(torch):
    x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
    y = (x ** 3 + torch.sin(x)).sum()
    (g,) = torch.autograd.grad(y, x, create_graph=True)
    diag = []
    for i in range(3):
        (h,) = torch.autograd.grad(g[i], x, retain_graph=True)
        diag.append(h[i])
    g.sum().backward()
    return dict(g=g.detach(), diag=torch.stack(diag), xg=x.grad, gf=g.grad_fn is not None)


@snippet
def grad_wrt_intermediate_activation(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    x = torch.tensor(X((2, 3)))
    h = net[1](net[0](x))
    out = net[2](h)
    (gh,) = torch.autograd.grad(out[:, 1].sum(), h, retain_graph=True)
    gx = torch.autograd.grad(out[:, 0].sum(), [h, net[0].weight])
    return dict(gh=gh, gx=list(gx), pg=net[0].weight.grad is None)


@snippet
def backward_on_one_element_nonscalar(torch, nn):
    lin = seed_params(torch, nn.Linear(3, 1))
    out = lin(torch.tensor(X((1, 3))))
    out.backward()
    g1 = lin.weight.grad.clone()
    lin.zero_grad()
    nn.functional.binary_cross_entropy_with_logits(out.detach() + lin(torch.ones(1, 3)), torch.ones(1, 1),
                                                   reduction="none").backward()
    return dict(shape=out.shape, g1=g1, g2=lin.weight.grad,
                err=_catch(lambda: lin(torch.ones(2, 3)).backward(), RuntimeError))


@snippet
def hook_grad_clip_during_training(torch, nn, optim):
    net = seed_params(torch, nn.Linear(3, 1))
    handles = [p.register_hook(lambda g: g.clamp(-0.1, 0.1)) for p in net.parameters()]
    opt = optim.SGD(net.parameters(), lr=1.0)
    x = torch.tensor(X((4, 3)) * 5)
    log = []
    for step in range(3):
        opt.zero_grad()
        loss = (net(x) ** 2).mean()
        loss.backward()
        log.append((loss.item(), net.weight.grad.clone()))
        opt.step()
        if step == 1:
            for h in handles:
                h.remove()
    return dict(log=log, w=net.weight)


if __name__ == "__main__":
    main(sys.argv[1:])
