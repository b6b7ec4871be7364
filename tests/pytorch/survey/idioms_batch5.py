import collections
import copy
import os
import sys
import tempfile

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


@snippet
def is_leaf_and_grad_fn_matrix(torch):
    a = torch.ones(2)
    b = torch.ones(2, requires_grad=True)
    c = b * 2
    d = c.detach()
    e = b[0]
    f = b.clone()
    g = torch.zeros(2).requires_grad_()
    return dict(leaf=[t.is_leaf for t in (a, b, c, d, e, f, g)], rg=[t.requires_grad for t in (a, b, c, d, e, f, g)],
                gfn=[t.grad_fn is None for t in (a, b, c, d, e, f, g)])


# ---------------------------------------------------------------- nn.functional


@snippet
def pad_constant_negative_and_value(torch, F):
    x = torch.arange(12.0).reshape(1, 3, 4)
    return dict(a=F.pad(x, (1, 2), value=-1.0), d=F.pad(x, (0, 0, 0, 0, 1, 1)), f=F.pad(torch.arange(3), (1, 1), value=7),
                g=F.pad(x, [1, 1]).shape, h=F.pad(x, (0, 0)), i=F.pad(x, (1, 0, 0, 2), "constant", 0.5))


@snippet
def pad_negative_crop(torch, F):
    x = torch.arange(12.0).reshape(1, 3, 4)
    return dict(b=F.pad(x, (-1, 1)), c=F.pad(x, (-1, -1, 1, 0)), e=F.pad(x, (2, -3), value=9.0))


@snippet
def pad_negative_crop_gradient(torch, F):
    x = torch.tensor(X((1, 1, 3, 3)), requires_grad=True)
    y = F.pad(x, (-1, 0, 0, -1))
    (y * 2).sum().backward()
    return dict(y=y, g=x.grad)


@snippet
def pad_modes_1d(torch, F):
    x = torch.tensor([[[1.0, 2.0, 3.0, 4.0]], [[5.0, 6.0, 7.0, 8.0]]])
    return dict(ref=F.pad(x, (2, 1), mode="reflect"), rep=F.pad(x, (3, 2), mode="replicate"),
                cir=F.pad(x, (1, 2), mode="circular"), cst=F.pad(x, (1, 1), mode="constant", value=0.5),
                cir0=F.pad(x, (0, 3), mode="circular"), unb=F.pad(x[0], (1, 1), mode="reflect"))


@snippet
def pad_modes_2d(torch, F):
    x = torch.arange(12.0).reshape(1, 1, 3, 4)
    return dict(ref=F.pad(x, (1, 2, 2, 1), mode="reflect"), rep=F.pad(x, (2, 0, 1, 3), mode="replicate"),
                cir=F.pad(x, (1, 1, 2, 2), mode="circular"), unb=F.pad(x[0], (1, 1, 1, 1), mode="replicate"))


@snippet
def pad_mode_errors(torch, F):
    x = torch.arange(4.0).reshape(1, 1, 4)
    return dict(big=_catch(lambda: F.pad(x, (4, 0), mode="reflect"), RuntimeError),
                odd=_catch(lambda: F.pad(x, (1,)), RuntimeError),
                long=_catch(lambda: F.pad(x, (1, 1, 1, 1, 1, 1, 1, 1)), RuntimeError),
                cir=_catch(lambda: F.pad(x, (5, 0), mode="circular"), RuntimeError))


@snippet
def pad_gradients(torch, F):
    x = torch.tensor(X((1, 1, 3, 3)), requires_grad=True)
    w = torch.tensor(U((1, 1, 5, 6)))
    out = {}
    for mode, pad in [("reflect", (1, 2, 1, 1)), ("replicate", (2, 1, 0, 2)), ("circular", (2, 1, 1, 1)),
                      ("constant", (1, 2, 1, 1))]:
        x.grad = None
        (F.pad(x, pad, mode=mode) * w).sum().backward()
        out[mode] = x.grad.clone()
    return out


@snippet
def interpolate_sizes_and_scales(torch, F):
    x = torch.arange(1.0, 7.0).reshape(1, 1, 6)
    y = torch.arange(12.0).reshape(1, 1, 3, 4)
    return dict(n1=F.interpolate(x, size=4), n2=F.interpolate(x, scale_factor=1.5),
                l1=F.interpolate(x, size=9, mode="linear", align_corners=False),
                l2=F.interpolate(x, size=9, mode="linear", align_corners=True),
                b1=F.interpolate(y, scale_factor=(2, 0.5), mode="bilinear", align_corners=False),
                b2=F.interpolate(y, size=5, mode="bilinear", align_corners=True),
                n3=F.interpolate(y, size=(2, 7), mode="nearest"),
                a=F.interpolate(y, size=(2, 2), mode="area"),
                r=F.interpolate(y, scale_factor=1.7, mode="bilinear", recompute_scale_factor=True).shape,
                r2=F.interpolate(y, scale_factor=1.7, mode="nearest").shape)


@snippet
def interpolate_argument_errors(torch, F):
    y = torch.ones(1, 1, 2, 2)
    return dict(both=_catch(lambda: F.interpolate(y, size=4, scale_factor=2), ValueError),
                neither=_catch(lambda: F.interpolate(y), ValueError),
                ac=_catch(lambda: F.interpolate(y, scale_factor=2, mode="nearest", align_corners=True), ValueError),
                dims=_catch(lambda: F.interpolate(y, size=(2, 2, 2)), ValueError))


@snippet
def interpolate_gradients(torch, F):
    y = torch.tensor(X((1, 2, 3, 3)), requires_grad=True)
    w = torch.tensor(U((1, 2, 5, 7)))
    out = {}
    for mode, ac in [("nearest", None), ("bilinear", False), ("bilinear", True)]:
        y.grad = None
        (F.interpolate(y, size=(5, 7), mode=mode, align_corners=ac) * w).sum().backward()
        out[f"{mode}{ac}"] = y.grad.clone()
    return out


@snippet
def conv1d_geometry(torch, F):
    x = torch.tensor(X((2, 4, 11)))
    w = torch.tensor(X((6, 2, 3), 2))
    b = torch.tensor(X((6,), 3))
    return dict(a=F.conv1d(x, w, b, stride=2, padding=1, groups=2),
                b=F.conv1d(x, w, None, dilation=3, groups=2),
                c=F.conv1d(x, w, b, padding="same", dilation=2, groups=2),
                d=F.conv1d(x[:, :2], w, b, stride=3, padding=2).shape,
                e=F.conv1d(x[:, :2], w, padding="valid").shape)


@snippet
def conv2d_geometry(torch, F):
    x = torch.tensor(X((1, 4, 7, 6)))
    w = torch.tensor(X((4, 2, 3, 2), 2))
    dw = torch.tensor(X((8, 1, 3, 3), 4))
    return dict(a=F.conv2d(x, w, stride=(2, 1), padding=(1, 0), groups=2),
                b=F.conv2d(x, w, dilation=(2, 3), groups=2),
                c=F.conv2d(x, dw, padding=1, groups=4),
                d=F.conv2d(x, w, padding="same", groups=2).shape,
                e=F.conv2d(x[0], w, groups=2).shape)


@snippet
def conv_errors(torch, F, nn):
    x = torch.ones(1, 3, 5, 5)
    return dict(groups=_catch(lambda: F.conv2d(x, torch.ones(4, 1, 3, 3), groups=2), RuntimeError),
                ch=_catch(lambda: F.conv2d(x, torch.ones(4, 2, 3, 3)), RuntimeError),
                big=_catch(lambda: F.conv2d(x, torch.ones(1, 3, 7, 7)), RuntimeError),
                same_module=_catch(lambda: nn.Conv2d(3, 1, 3, stride=2, padding="same"), ValueError))


@snippet
def conv_same_padding_strided_functional_error(torch, F):
    x = torch.ones(1, 3, 5, 5)
    return _catch(lambda: F.conv2d(x, torch.ones(1, 3, 3, 3), stride=2, padding="same"), RuntimeError)


@snippet
def conv_transpose2d_geometry(torch, F):
    x = torch.tensor(X((1, 4, 3, 3)))
    w = torch.tensor(X((4, 3, 3, 2), 2))
    b = torch.tensor(X((6,), 3))
    return dict(a=F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1, groups=2),
                b=F.conv_transpose2d(x, w, None, stride=(1, 2), dilation=2, groups=2),
                c=F.conv_transpose2d(x, w[:, :1], stride=3, padding=(2, 0), groups=4).shape,
                d=F.conv_transpose2d(x, w.repeat(1, 1, 1, 1)[:, :3], None, stride=2, output_padding=(1, 0)).shape)


@snippet
def conv_gradients_grouped_dilated(torch, F):
    x = torch.tensor(X((2, 4, 6, 5)), requires_grad=True)
    w = torch.tensor(X((4, 2, 2, 3), 2), requires_grad=True)
    b = torch.tensor(X((4,), 3), requires_grad=True)
    y = F.conv2d(x, w, b, stride=(1, 2), padding=(1, 2), dilation=(2, 1), groups=2)
    (y * torch.tensor(U(tuple(y.shape)))).sum().backward()
    wt = torch.tensor(X((4, 1, 3, 3), 5), requires_grad=True)
    z = F.conv_transpose2d(x, wt, stride=2, padding=1, output_padding=1, groups=2)
    gx1 = x.grad.clone()
    x.grad = None
    (z ** 2).mean().backward()
    return dict(y=y, gx1=gx1, gw=w.grad, gb=b.grad, z=z, gx2=x.grad, gwt=wt.grad)


@snippet
def max_pool_return_indices(torch, F):
    x = torch.tensor(X((1, 2, 5, 6)))
    v, i = F.max_pool2d(x, 2, return_indices=True)
    v2, i2 = F.max_pool2d(x, 3, stride=2, padding=1, return_indices=True)
    v3, i3 = F.max_pool1d(x[0], 2, stride=1, return_indices=True)
    v4, i4 = F.max_pool2d(x, 2, ceil_mode=True, return_indices=True)
    rec = torch.zeros(1, 2, 30).scatter(2, i.flatten(2), v.flatten(2)).view(1, 2, 5, 6)
    return dict(v=v, i=i, v2=v2, i2=i2, v3=v3, i3=i3, v4=v4, i4=i4, idt=i.dtype, rec=rec)


@snippet
def avg_pool_padding_modes(torch, F):
    x = torch.arange(1.0, 26.0).reshape(1, 1, 5, 5)
    return dict(inc=F.avg_pool2d(x, 3, stride=2, padding=1), exc=F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False),
                ceil=F.avg_pool2d(x, 2, ceil_mode=True), ceil_exc=F.avg_pool2d(x, 2, ceil_mode=True, count_include_pad=False),
                div=F.avg_pool2d(x, 2, divisor_override=3), one=F.avg_pool1d(x[0], 2, stride=1, padding=1),
                one_exc=F.avg_pool1d(x[0], 2, stride=1, padding=1, count_include_pad=False),
                ceil_pad=F.avg_pool2d(x, 3, stride=2, padding=1, ceil_mode=True))


@snippet
def adaptive_pools_shapes_values(torch, F, nn):
    x = torch.tensor(X((2, 3, 7, 5)))
    return dict(a=F.adaptive_avg_pool2d(x, (3, 2)), b=F.adaptive_avg_pool2d(x, 1), c=F.adaptive_avg_pool2d(x, (None, 2)),
                d=F.adaptive_avg_pool1d(x[0], 3), e=F.adaptive_max_pool1d(x[0], 4), m=F.adaptive_max_pool2d(x, (3, 2)),
                f=nn.AdaptiveAvgPool2d((4, None))(x).shape, g=nn.AdaptiveMaxPool2d(1)(x).flatten(1))


@snippet
def adaptive_max_pool_return_indices(torch, F):
    x = torch.tensor(X((1, 2, 7, 5)))
    v, i = F.adaptive_max_pool2d(x, (3, 2), return_indices=True)
    v1, i1 = F.adaptive_max_pool1d(x[0], 3, return_indices=True)
    return dict(v=v, i=i, v1=v1, i1=i1)


@snippet
def unfold_fold_roundtrip(torch, F):
    x = torch.arange(1.0, 31.0).reshape(1, 2, 3, 5)
    cols = F.unfold(x, kernel_size=(2, 3), padding=1, stride=(1, 2))
    back = F.fold(cols, output_size=(3, 5), kernel_size=(2, 3), padding=1, stride=(1, 2))
    ones = F.fold(F.unfold(torch.ones_like(x), (2, 3), padding=1, stride=(1, 2)), (3, 5), (2, 3), padding=1, stride=(1, 2))
    d = F.unfold(x, 2, dilation=2)
    return dict(cols=cols, shape=cols.shape, back=back, norm=back / ones, d=d)


@snippet
def unfold_as_conv_equivalence(torch, F):
    x = torch.tensor(X((2, 3, 5, 5)))
    w = torch.tensor(X((4, 3, 3, 3), 2))
    cols = F.unfold(x, 3, padding=1)
    out = (w.view(4, -1) @ cols).view(2, 4, 5, 5)
    return dict(eq=torch.allclose(out, F.conv2d(x, w, padding=1), atol=1e-5), out=out)


@snippet
def pixel_shuffle_unshuffle_values(torch, F, nn):
    x = torch.arange(32.0).reshape(1, 8, 2, 2)
    ps = F.pixel_shuffle(x, 2)
    return dict(ps=ps, back=F.pixel_unshuffle(ps, 2), eq=torch.equal(F.pixel_unshuffle(ps, 2), x),
                u=nn.PixelUnshuffle(2)(torch.arange(16.0).reshape(1, 1, 4, 4)),
                err=_catch(lambda: F.pixel_shuffle(torch.ones(1, 3, 2, 2), 2), RuntimeError))


@snippet
def one_hot_forms(torch, F):
    return dict(a=F.one_hot(torch.tensor([2, 0, 1])), b=F.one_hot(torch.tensor([[1, 0], [3, 2]])),
                c=F.one_hot(torch.tensor(2), 4), d=F.one_hot(torch.tensor([0, 1]), num_classes=3).dtype,
                e=F.one_hot(torch.tensor([1, 2]), 5).float().sum(0),
                neg=_catch(lambda: F.one_hot(torch.tensor([-1, 0])), RuntimeError),
                small=_catch(lambda: F.one_hot(torch.tensor([3]), 2), RuntimeError))


@snippet
def one_hot_float_input_error(torch, F):
    return _catch(lambda: F.one_hot(torch.tensor([1.0, 0.0])), RuntimeError)


@snippet
def normalize_variants(torch, F):
    x = torch.tensor([[3.0, -4.0, 0.0], [0.0, 0.0, 0.0], [1.0, 2.0, 2.0]])
    return dict(a=F.normalize(x), b=F.normalize(x, p=1, dim=0), c=F.normalize(x, dim=-1, eps=0.5),
                d=F.normalize(x, p=float("inf"), dim=1), e=F.normalize(torch.tensor([3.0, 4.0]), dim=0))


@snippet
def similarity_and_distance(torch, F, nn):
    a = torch.tensor(X((4, 3)))
    b = torch.tensor(X((1, 3), 2))
    z = torch.zeros(1, 3)
    return dict(cs=F.cosine_similarity(a, b), cs0=F.cosine_similarity(a, z), cs1=F.cosine_similarity(a, a.flip(0), dim=-1),
                csd0=F.cosine_similarity(a, a * 2, dim=0), pd=F.pairwise_distance(a, b),
                pd1=F.pairwise_distance(a, b, p=1, keepdim=True), pd0=F.pairwise_distance(a, a),
                pdm=nn.PairwiseDistance(p=3)(a, a + 1), csm=nn.CosineSimilarity(dim=1, eps=1e-6)(a, b))


@snippet
def embedding_functional(torch, F):
    w = torch.tensor(X((5, 3)), requires_grad=True)
    idx = torch.tensor([[0, 2, 2], [4, 0, 1]])
    e = F.embedding(idx, w, padding_idx=2)
    (e * torch.arange(3.0)).sum().backward()
    w2 = torch.tensor(X((5, 3)) * 3)
    e2 = F.embedding(torch.tensor([1, 3]), w2, max_norm=1.0)
    return dict(e=e, g=w.grad, e2=e2, w2=w2, norms=e2.norm(dim=1))


@snippet
def dropout_eval_and_zero_p(torch, F, nn):
    x = torch.tensor(X((3, 4)))
    d = nn.Dropout(p=0.0)
    d2 = nn.Dropout(p=0.7).eval()
    return dict(a=F.dropout(x, 0.5, training=False), b=F.dropout(x, p=0.0), c=d(x), e=d2(x),
                f=F.dropout2d(x.view(1, 3, 2, 2), 0.5, training=False), g=nn.Dropout2d(0.0)(x.view(1, 3, 2, 2)),
                err=_catch(lambda: nn.Dropout(p=1.5), ValueError))


@snippet
def activations_grid_with_grads(torch, F):
    x = torch.tensor([-4.0, -3.0, -1.5, -0.5, 0.0, 0.5, 1.5, 3.0, 4.0], requires_grad=True)
    out = {}
    for name, fn in [("gelu_tanh", lambda t: F.gelu(t, approximate="tanh")), ("gelu", F.gelu), ("silu", F.silu),
                     ("mish", F.mish), ("hardswish", F.hardswish), ("hardsigmoid", F.hardsigmoid),
                     ("elu", lambda t: F.elu(t, alpha=0.5)), ("softplus", lambda t: F.softplus(t, beta=2, threshold=3)),
                     ("lrelu", lambda t: F.leaky_relu(t, 0.2)), ("hardtanh", lambda t: F.hardtanh(t, -2, 2)),
                     ("relu6", F.relu6), ("selu", F.selu), ("celu", lambda t: F.celu(t, 2.0))]:
        x.grad = None
        y = fn(x)
        y.sum().backward()
        out[name] = (y.detach(), x.grad.clone())
    return out


@snippet
def softmax_with_dtype(torch, F):
    x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 50.0]])
    i = torch.tensor([[1, 2, 3]])
    return dict(a=F.softmax(x, dim=1, dtype=torch.float64), b=F.log_softmax(x, dim=0, dtype=torch.float64),
                c=F.softmax(i, dim=-1, dtype=torch.float32),
                f=F.softmin(x, dim=1),
                g=F.softmax(torch.tensor([[float("-inf")] * 2, [0.0, float("-inf")]]), dim=1))


@snippet
def softmax_dtype_method_and_toplevel(torch):
    x = torch.tensor([[1.0, 2.0, 3.0]])
    return dict(a=x.softmax(-1, dtype=torch.float64), b=x.log_softmax(dim=1, dtype=torch.float64),
                c=torch.softmax(x, 1, dtype=torch.float64), d=torch.log_softmax(x, 1, dtype=torch.float64))


@snippet
def softmax_integer_input_error(torch, F):
    return _catch(lambda: F.softmax(torch.tensor([[1, 2, 3]]), dim=1), RuntimeError)


@snippet
def cosine_similarity_small_norms(torch, F):
    a = torch.tensor([[1e-5, 0.0], [1e-3, 1e-3], [3.0, 4.0], [1e-9, 1e-9]])
    b = torch.tensor([[1.0, 0.0], [1.0, 0.0], [1e-5, 1e-5], [1e-9, 0.0]])
    return dict(d=F.cosine_similarity(a, b), e=F.cosine_similarity(a, b, eps=1e-2), f=F.cosine_similarity(a, b, eps=0.0))


@snippet
def integer_inputs_to_float_functionals(torch, F, nn):
    i = torch.tensor([[1, 2, 3]])
    emb = seed_params(torch, nn.Embedding(5, 2))
    return dict(emb32=emb(torch.tensor([1, 4], dtype=torch.int32)),
                embf=_catch(lambda: emb(torch.tensor([1.0])), RuntimeError),
                relu=F.relu(i), relu_dt=F.relu(i).dtype)


@snippet
def norm_functionals(torch, F):
    x = torch.tensor(X((2, 4, 3)))
    w = torch.tensor(X((3,), 2))
    b = torch.tensor(X((3,), 3))
    gw = torch.tensor(X((4,), 4))
    gb = torch.tensor(X((4,), 5))
    return dict(ln=F.layer_norm(x, (3,), w, b), ln2=F.layer_norm(x, [4, 3]), ln3=F.layer_norm(x, x.shape[-1:], eps=1e-3),
                gn=F.group_norm(x, 2, gw, gb), gn1=F.group_norm(x, 1), gn4=F.group_norm(x, 4, eps=0.1),
                inn=F.instance_norm(x))


@snippet
def batch_norm_functional_running_stats(torch, F):
    x = torch.tensor(X((6, 3)) * 2 + 1)
    rm = torch.zeros(3)
    rv = torch.ones(3)
    w = torch.tensor([1.0, 2.0, 0.5])
    b = torch.tensor([0.0, -1.0, 1.0])
    y = F.batch_norm(x, rm, rv, w, b, training=True, momentum=0.2)
    rm1, rv1 = rm.clone(), rv.clone()
    y2 = F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    ev = F.batch_norm(x, rm, rv, w, b, training=False)
    x4 = torch.tensor(X((2, 3, 2, 2), 7))
    rm4, rv4 = torch.zeros(3), torch.ones(3)
    y4 = F.batch_norm(x4, rm4, rv4, training=True)
    return dict(y=y, rm1=rm1, rv1=rv1, y2=y2, rm=rm, rv=rv, ev=ev, y4=y4, rm4=rm4, rv4=rv4,
                nostats=F.batch_norm(x, None, None, training=True))


@snippet
def linear_functional_shapes(torch, F):
    x = torch.tensor(X((2, 3, 4)))
    w = torch.tensor(X((5, 4), 2))
    b = torch.tensor(X((5,), 3))
    return dict(a=F.linear(x, w, b), b=F.linear(x, w).shape, c=F.linear(x[0, 0], w, b),
                err=_catch(lambda: F.linear(x, w.t()), RuntimeError))


@snippet
def linear_functional_vector_weight(torch, F):
    x = torch.tensor(X((2, 3, 4)))
    w = torch.tensor(X((4,), 2))
    return dict(a=F.linear(x, w), b=F.linear(x, w, torch.tensor(0.5)))


@snippet
def glu_and_threshold_functionals(torch, F, nn):
    x = torch.tensor(X((2, 6)))
    return dict(g=F.glu(x), g0=F.glu(x, dim=0), t=F.threshold(x, 0.1, -5.0), m=nn.GLU(dim=-1)(x),
                ts=nn.Threshold(0.0, 2.0)(x), sh=F.softshrink(x, 0.5), hs=F.hardshrink(x, 0.5),
                err=_catch(lambda: F.glu(torch.ones(2, 3)), RuntimeError))


# ---------------------------------------------------------------- modules API


@snippet
def nonpersistent_buffer_and_state_dict(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.register_buffer("mean", torch.tensor([0.5, -0.5]))
            self.register_buffer("cache", torch.zeros(2), persistent=False)
            self.register_buffer("nothing", None)

        def forward(self, x):
            self.cache = x.mean(0).detach()
            return self.fc(x - self.mean)

    net = seed_params(torch, Net())
    y = net(torch.tensor(X((3, 2))))
    sd = net.state_dict()
    other = Net()
    r = other.load_state_dict(sd)
    return dict(y=y, keys=list(sd), bufs=[n for n, _ in net.named_buffers()], nb=len(list(net.buffers())),
                cache=net.cache, other_cache=other.cache, missing=list(r.missing_keys), unexpected=list(r.unexpected_keys),
                mean=other.mean, isbuf="cache" in dict(net.named_buffers()), none=net.nothing is None)


@snippet
def parameters_recurse_and_named_prefix(torch, nn):
    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.gain = nn.Parameter(torch.ones(2))
            self.lin = nn.Linear(2, 2, bias=False)

    b = Block()
    return dict(top=[tuple(p.shape) for p in b.parameters(recurse=False)],
                named_top=[n for n, _ in b.named_parameters(recurse=False)],
                pref=[n for n, _ in b.named_parameters(prefix="enc")],
                bufs=[n for n, _ in nn.BatchNorm1d(2).named_buffers(prefix="bn")],
                bufs_top=[n for n, _ in nn.Sequential(nn.BatchNorm1d(2)).named_buffers(recurse=False)],
                gp=tuple(b.get_parameter("lin.weight").shape), sm=type(b.get_submodule("lin")).__name__)


@snippet
def children_vs_modules(torch, nn):
    inner = nn.Sequential(nn.Linear(2, 2), nn.ReLU())
    net = nn.Sequential(inner, nn.Sequential(nn.Linear(2, 1)), nn.Sigmoid())
    return dict(children=[type(m).__name__ for m in net.children()], modules=[type(m).__name__ for m in net.modules()],
                named=[n for n, _ in net.named_modules()], named_children=[n for n, _ in net.named_children()],
                first=next(net.children()) is inner, nmod=len(list(net.modules())),
                pref=[n for n, _ in net.named_modules(prefix="model")])


@snippet
def shared_module_and_parameter_dedup(torch, nn):
    shared = nn.Linear(2, 2)
    net = nn.Sequential(shared, nn.ReLU(), shared)
    tied = nn.Module()
    tied.a = nn.Linear(3, 3)
    tied.b = nn.Linear(3, 3)
    tied.b.weight = tied.a.weight
    return dict(np=len(list(net.parameters())), nm=len(list(net.modules())), names=[n for n, _ in net.named_parameters()],
                sd=list(net.state_dict()), tp=len(list(tied.parameters())), tn=[n for n, _ in tied.named_parameters()],
                tsd=list(tied.state_dict()), nodedup=len(list(net.named_modules(remove_duplicate=False))),
                ndp=[n for n, _ in net.named_parameters(remove_duplicate=False)])


@snippet
def module_apply_init_returns_self(torch, nn):
    counter = []

    def init(m):
        counter.append(type(m).__name__)
        if isinstance(m, nn.Linear):
            nn.init.constant_(m.weight, 0.1)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm1d):
            nn.init.ones_(m.weight)
            nn.init.constant_(m.bias, 0.5)

    net = nn.Sequential(nn.Linear(3, 2), nn.BatchNorm1d(2), nn.Sequential(nn.Linear(2, 1, bias=False)))
    r = net.apply(init)
    return dict(same=r is net, order=counter, out=net.eval()(torch.ones(2, 3)),
                ps=[p.detach().clone() for p in net.parameters()])


@snippet
def freeze_and_filter_optimizer(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)))
    net[0].requires_grad_(False)
    opt = optim.Adam(filter(lambda p: p.requires_grad, net.parameters()), lr=0.1)
    w0 = net[0].weight.detach().clone()
    x = torch.tensor(X((5, 3)))
    for _ in range(3):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    n_trainable = sum(p.numel() for p in net.parameters() if p.requires_grad)
    return dict(same=torch.equal(w0, net[0].weight), g0=net[0].weight.grad is None, w2=net[2].weight,
                n=n_trainable, groups=len(opt.param_groups[0]["params"]), rg=[p.requires_grad for p in net.parameters()],
                ret=type(net[2].requires_grad_(True)).__name__)


@snippet
def deepcopy_model_independent(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3), nn.Linear(3, 1)))
    twin = copy.deepcopy(net)
    x = torch.tensor(X((4, 2)))
    opt = optim.SGD(net.parameters(), lr=0.5)
    net(x).sum().backward()
    opt.step()
    same_obj = twin[0].weight is net[0].weight
    diff = (net[0].weight - twin[0].weight).abs().sum().item() > 0
    twin.load_state_dict(net.state_dict())
    net.eval()
    twin.eval()
    return dict(same_obj=same_obj, diff=diff, eq=torch.equal(net(x), twin(x)), rm=twin[1].running_mean,
                tg=twin[0].weight.grad is None, tp=type(twin[0].weight).__name__, rg=twin[0].weight.requires_grad)


@snippet
def deepcopy_parameter_grad(torch, nn):
    lin = seed_params(torch, nn.Linear(2, 1))
    lin(torch.ones(1, 2)).sum().backward()
    c = copy.deepcopy(lin)
    g_copied = c.weight.grad is not None
    c.zero_grad()
    return dict(g_copied=g_copied, orig=lin.weight.grad, leaf=c.weight.is_leaf, rg=c.weight.requires_grad)


@snippet
def forward_hooks_modify_output_and_input(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    x = torch.tensor(X((2, 2)))
    base = net(x)
    h1 = net[0].register_forward_hook(lambda m, inp, out: out * 0)
    zeroed = net(x)
    h1.remove()
    h2 = net[2].register_forward_pre_hook(lambda m, inp: inp[0] + 1)
    shifted = net(x)
    h3 = net.register_forward_hook(lambda m, inp, out: None)
    same = net(x)
    h2.remove()
    h3.remove()
    calls = []
    net[1].register_forward_pre_hook(lambda m, inp: calls.append(("pre", tuple(inp[0].shape))))
    net[1].register_forward_hook(lambda m, inp, out: calls.append(("post", type(inp).__name__, len(inp))))
    net(x)
    return dict(base=base, zeroed=zeroed, shifted=shifted, same=same, calls=calls, after=net(x))


@snippet
def forward_hook_with_kwargs(torch, nn):
    class Scale(nn.Module):
        def forward(self, x, factor=1.0):
            return x * factor

    m = Scale()
    seen = []
    m.register_forward_pre_hook(lambda mod, args, kwargs: (args, {**kwargs, "factor": 3.0}), with_kwargs=True)
    m.register_forward_hook(lambda mod, args, kwargs, out: seen.append(sorted(kwargs)) or out + 1, with_kwargs=True)
    return dict(y=m(torch.ones(2), factor=2.0), seen=seen)


@snippet
def forward_hook_prepend_order(torch, nn):
    m = nn.Identity()
    order = []
    m.register_forward_hook(lambda *a: order.append("first"))
    m.register_forward_hook(lambda *a: order.append("second"), prepend=True)
    m(torch.ones(1))
    return order


@snippet
def modulelist_ops(torch, nn):
    layers = nn.ModuleList([nn.Linear(2, 2) for _ in range(2)])
    layers.append(nn.ReLU())
    layers.extend([nn.Tanh(), nn.Sigmoid()])
    layers.insert(0, nn.Identity())
    sl = layers[1:4]
    layers[-1] = nn.Softplus()
    more = layers + nn.ModuleList([nn.ELU()])
    return dict(names=[type(m).__name__ for m in layers], n=len(layers), neg=type(layers[-2]).__name__,
                slt=type(sl).__name__, sln=[type(m).__name__ for m in sl], more=len(more), mt=type(more).__name__,
                params=len(list(layers.parameters())), keys=[n for n, _ in layers.named_children()],
                popped=type(layers.pop(0)).__name__, after=len(layers), contains=layers[0] in list(layers))


@snippet
def sequential_slicing_and_len(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 4), nn.Tanh(), nn.Linear(4, 1)))
    x = torch.tensor(X((2, 3)))
    feat = net[:-1]
    head = net[-1]
    full = net[:](x)
    parts = feat(x)
    net.append(nn.Sigmoid())
    return dict(n=len(net), ft=type(feat).__name__, fl=len(feat), eq=torch.allclose(head(parts), full), parts=parts,
                keys=[k for k, _ in feat.named_children()], rev=[type(m).__name__ for m in net[::-2]],
                sd=list(feat.state_dict()), out=net(x), shared=feat[0] is net[0])


@snippet
def parameter_arithmetic_types(torch, nn):
    p = nn.Parameter(torch.tensor([1.0, 2.0]))
    q = p * 2
    r = p.detach()
    s = p.clone()
    t = p.data
    u = p[0]
    return dict(q=type(q).__name__, r=type(r).__name__, s=type(s).__name__, t=type(t).__name__, u=type(u).__name__,
                isT=isinstance(p, torch.Tensor), isP=isinstance(q, nn.Parameter), qrg=q.requires_grad, rrg=r.requires_grad,
                srg=s.requires_grad, trg=t.requires_grad, prg=p.requires_grad, nrg=nn.Parameter(torch.ones(1), requires_grad=False).requires_grad,
                dc=type(copy.deepcopy(p)).__name__, leaf=[p.is_leaf, q.is_leaf, s.is_leaf])


@snippet
def clip_grad_return_values(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 3), nn.Linear(3, 1)))
    x = torch.tensor(X((4, 3)) * 4)
    net(x).sum().backward()
    norms = [p.grad.norm().item() for p in net.parameters()]
    tn = nn.utils.clip_grad_norm_(net.parameters(), max_norm=2.0)
    after = torch.sqrt(sum((p.grad ** 2).sum() for p in net.parameters()))
    tinf = nn.utils.clip_grad_norm_(net.parameters(), max_norm=0.5, norm_type=float("inf"))
    cv = nn.utils.clip_grad_value_(net.parameters(), clip_value=0.1)
    one = nn.utils.clip_grad_norm_(net[0].weight, 100.0)
    return dict(norms=norms, tn=tn, tt=type(tn).__name__, tdim=tn.dim(), after=after, tinf=tinf, cv=cv,
                grads=[p.grad for p in net.parameters()], one=one)


@snippet
def clip_grad_norm_skips_none_grads(torch, nn):
    a = nn.Linear(2, 2)
    b = nn.Linear(2, 2)
    seed_params(torch, a)
    a(torch.ones(1, 2)).sum().backward()
    tn = nn.utils.clip_grad_norm_(list(a.parameters()) + list(b.parameters()), 1.0)
    empty = nn.utils.clip_grad_norm_([], 1.0)
    return dict(tn=tn, b=b.weight.grad is None, empty=empty, g=a.weight.grad)


@snippet
def get_total_norm_and_parameterlist(torch, nn, optim):
    pl = nn.ParameterList([nn.Parameter(torch.tensor([1.0, 2.0])), nn.Parameter(torch.tensor([[3.0]]))])
    pl.append(nn.Parameter(torch.tensor([-1.0])))
    opt = optim.SGD(pl, lr=0.1)
    loss = sum((p ** 2).sum() for p in pl)
    loss.backward()
    tn = nn.utils.get_total_norm([p.grad for p in pl])
    tn1 = nn.utils.get_total_norm([p.grad for p in pl], norm_type=1.0)
    opt.step()
    return dict(tn=tn, tn1=tn1, n=len(pl), ps=[p.detach().clone() for p in pl], t=type(pl[0]).__name__,
                names=[n for n, _ in pl.named_parameters()])


@snippet
def parameters_vector_roundtrip(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.Linear(3, 1)))
    vec = nn.utils.parameters_to_vector(net.parameters())
    n = vec.numel()
    nn.utils.vector_to_parameters(torch.arange(float(n)), net.parameters())
    back = nn.utils.parameters_to_vector(net.parameters())
    return dict(vec=vec, n=n, shape=vec.shape, w=net[0].weight, b=net[1].bias, back=back, rg=vec.requires_grad,
                leaf=net[0].weight.is_leaf, err=_catch(lambda: nn.utils.vector_to_parameters([1.0], net.parameters()), TypeError))


@snippet
def spectral_norm_loaded_state_eval(torch, nn):
    lin = nn.utils.spectral_norm(nn.Linear(4, 3))
    sd = lin.state_dict()
    rng = np.random.default_rng(0)
    new = {}
    for k in sd:
        v = rng.standard_normal(tuple(sd[k].shape)).astype(np.float32)
        if k.endswith("_u") or k.endswith("_v"):
            v = v / np.linalg.norm(v)
        new[k] = torch.tensor(v)
    lin.load_state_dict(new)
    x = torch.tensor(X((2, 4)))
    y1 = lin(x)
    u1 = lin.weight_u.clone()
    lin.eval()
    y2 = lin(x)
    y3 = lin(x)
    sigma = torch.dot(lin.weight_u, lin.weight_orig @ lin.weight_v)
    return dict(y1=y1, u1=u1, y2=y2, y3=y3, keys=sorted(lin.state_dict()), sigma=sigma,
                ratio=(lin.weight_orig / lin.weight).flatten()[0])


@snippet
def module_dtype_conversion_buffers(torch, nn):
    net = nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2))
    net.double()
    a = [p.dtype for p in net.parameters()]
    b = [t.dtype for t in net.buffers()]
    net.float()
    c = [t.dtype for t in net.buffers()]
    net.to(torch.float64)
    y = net(torch.ones(3, 2, dtype=torch.float64))
    return dict(a=a, b=b, c=c, y=y.dtype, nbt=net[1].num_batches_tracked.dtype)


@snippet
def module_attribute_registration(torch, nn):
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(2, 2)
            self.scale = nn.Parameter(torch.ones(1))
            self.plain = torch.ones(1)
            self.cfg = {"k": 1}

    net = Net()
    before = [n for n, _ in net.named_parameters()]
    net.extra = nn.Linear(2, 1)
    del net.scale
    net.register_module("tail", nn.ReLU())
    net.register_parameter("bias2", nn.Parameter(torch.zeros(2)))
    net.fc = None
    return dict(before=before, after=[n for n, _ in net.named_parameters()], kids=[n for n, _ in net.named_children()],
                has=hasattr(net, "scale"), fc=net.fc is None, sd=list(net.state_dict()),
                bad=_catch(lambda: setattr(net, "bias2", torch.ones(2)), TypeError))


@snippet
def load_state_dict_errors_and_copy(torch, nn):
    src = seed_params(torch, nn.Linear(3, 2))
    dst = nn.Linear(3, 2)
    r = dst.load_state_dict(src.state_dict())
    shape = _catch(lambda: nn.Linear(3, 2).load_state_dict({"weight": torch.zeros(2, 4), "bias": torch.zeros(2)}), RuntimeError)
    missing = _catch(lambda: nn.Linear(3, 2).load_state_dict({"weight": torch.zeros(2, 3)}), RuntimeError)
    extra = _catch(lambda: nn.Linear(3, 2).load_state_dict({**src.state_dict(), "scale": torch.ones(1)}), RuntimeError)
    with torch.no_grad():
        src.weight.add_(1.0)
    return dict(r_missing=list(r.missing_keys), r_unexp=list(r.unexpected_keys), shape=shape, missing=missing,
                extra=extra, indep=not torch.equal(src.weight, dst.weight), w=dst.weight)


@snippet
def load_state_dict_failed_strict_partial_copy(torch, nn):
    dst = seed_params(torch, nn.Linear(3, 2))
    err = _catch(lambda: dst.load_state_dict({"weight": torch.zeros(2, 3)}), RuntimeError)
    err2 = _catch(lambda: dst.load_state_dict({"weight": torch.ones(2, 4), "bias": torch.ones(2)}), RuntimeError)
    return dict(err=err, err2=err2, w=dst.weight, b=dst.bias)


@snippet
def moduledict_pop_update_in_forward(torch, nn):
    class Heads(nn.Module):
        def __init__(self):
            super().__init__()
            self.heads = nn.ModuleDict({"cls": nn.Linear(3, 2), "reg": nn.Linear(3, 1)})

        def forward(self, x):
            return {k: h(x) for k, h in self.heads.items()}

    m = seed_params(torch, Heads())
    out = m(torch.tensor(X((2, 3))))
    m.heads.update([("aux", nn.Linear(3, 4))])
    popped = m.heads.pop("reg")
    return dict(out=out, keys=list(m.heads.keys()), popped=type(popped).__name__, np=len(list(m.parameters())),
                sd=list(m.state_dict()), has="reg" in m.heads)


@snippet
def zero_grad_model_and_optimizer_none(torch, nn, optim):
    net = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(net.parameters(), lr=0.1)
    net(torch.ones(1, 2)).sum().backward()
    a = [p.grad is None for p in net.parameters()]
    opt.zero_grad()
    b = [p.grad is None for p in net.parameters()]
    net(torch.ones(1, 2)).sum().backward()
    net.zero_grad()
    c = [p.grad is None for p in net.parameters()]
    net(torch.ones(1, 2)).sum().backward()
    opt.zero_grad(set_to_none=False)
    d = [p.grad for p in net.parameters()]
    return dict(a=a, b=b, c=c, d=d)


@snippet
def backward_create_graph_then_grad_of_grad(torch):
    x = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
    y = (x ** 3).sum()
    y.backward(create_graph=True)
    g = x.grad
    rg = g.requires_grad
    gsave = g.detach().clone()
    x.grad = None
    (g ** 2).sum().backward()
    return dict(g=gsave, rg=rg, gg=x.grad, gfn=g.grad_fn is not None)


@snippet
def max_pool_gradient_ties_overlapping(torch, F):
    x = torch.tensor([[[[1.0, 3.0, 3.0, 2.0], [3.0, 0.0, 1.0, 3.0], [2.0, 2.0, 2.0, 2.0], [0.0, 1.0, 2.0, 1.0]]]],
                     requires_grad=True)
    out = {}
    for name, kw in [("k2", dict(kernel_size=2)), ("k3s1", dict(kernel_size=3, stride=1)),
                     ("k2s1p1", dict(kernel_size=2, stride=1, padding=1)), ("ceil", dict(kernel_size=3, stride=2, ceil_mode=True))]:
        x.grad = None
        y = F.max_pool2d(x, **kw)
        y.sum().backward()
        out[name] = (y.detach(), x.grad.clone())
    return out


@snippet
def avg_and_adaptive_pool_gradients(torch, F):
    x = torch.tensor(X((1, 2, 5, 7)), requires_grad=True)
    w = {}
    for name, fn in [("avg_exc", lambda t: F.avg_pool2d(t, 3, stride=2, padding=1, count_include_pad=False)),
                     ("avg_ceil", lambda t: F.avg_pool2d(t, 2, ceil_mode=True)),
                     ("adapt", lambda t: F.adaptive_avg_pool2d(t, (3, 4))),
                     ("adapt_max", lambda t: F.adaptive_max_pool2d(t, (2, 3))),
                     ("unfold", lambda t: F.unfold(t, (2, 3), stride=(2, 1), padding=(1, 0)))]:
        x.grad = None
        y = fn(x)
        (y * torch.arange(float(y.numel())).reshape(y.shape) / y.numel()).sum().backward()
        w[name] = x.grad.clone()
    return w


@snippet
def norm_layer_gradients(torch, F):
    x = torch.tensor(X((3, 4, 2)), requires_grad=True)
    lw = torch.tensor(X((2,), 2), requires_grad=True)
    lb = torch.tensor(X((2,), 3), requires_grad=True)
    gw = torch.tensor(X((4,), 4), requires_grad=True)
    c = torch.tensor(U((3, 4, 2), 5))
    (F.layer_norm(x, (2,), lw, lb) * c).sum().backward()
    a = (x.grad.clone(), lw.grad, lb.grad)
    x.grad = None
    (F.group_norm(x, 2, gw) * c).sum().backward()
    return dict(a=a, gx=x.grad, gw=gw.grad)


@snippet
def interpolate_nearest_uint8_mask(torch, F):
    mask = torch.tensor([[[[0, 1], [2, 3]]]], dtype=torch.uint8)
    up = F.interpolate(mask, scale_factor=2, mode="nearest")
    lbl = torch.tensor([[0, 1], [1, 2]])
    big = F.interpolate(lbl[None, None].float(), size=(3, 3), mode="nearest").long()[0, 0]
    return dict(up=up, dt=up.dtype, big=big)


@snippet
def state_dict_keep_vars_and_prefix(torch, nn):
    m = seed_params(torch, nn.Sequential(nn.Linear(2, 2), nn.BatchNorm1d(2)))
    kv = m.state_dict(keep_vars=True)
    return dict(keys=list(kv), same=kv["0.weight"] is m[0].weight, t=type(kv["0.weight"]).__name__,
                rg=kv["0.weight"].requires_grad, pref=list(m.state_dict(prefix="net."))[:2])


@snippet
def load_state_dict_keeps_parameter_objects(torch, nn, optim):
    m = seed_params(torch, nn.Linear(2, 1))
    opt = optim.SGD(m.parameters(), lr=0.5)
    w_before = m.weight
    src = seed_params(torch, nn.Linear(2, 1), seed=9)
    m.load_state_dict(src.state_dict())
    same = w_before is m.weight
    m(torch.ones(3, 2)).sum().backward()
    opt.step()
    return dict(same=same, w=m.weight, src=src.weight, leaf=m.weight.is_leaf, rg=m.weight.requires_grad)


@snippet
def load_state_dict_converts_dtype(torch, nn):
    m = nn.Linear(2, 2).double()
    src = seed_params(torch, nn.Linear(2, 2))
    m.load_state_dict(src.state_dict())
    bn = nn.BatchNorm1d(2).double()
    bn.load_state_dict(nn.BatchNorm1d(2).state_dict())
    return dict(dt=m.weight.dtype, w=m.weight, y=m(torch.ones(1, 2, dtype=torch.float64)), rm=bn.running_mean.dtype,
                nbt=bn.num_batches_tracked.dtype)


@snippet
def optimizer_add_param_group_unfreeze(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1)))
    for p in net[0].parameters():
        p.requires_grad = False
    opt = optim.SGD(net[2].parameters(), lr=0.1, momentum=0.9)
    x = torch.tensor(X((4, 2)))
    for _ in range(2):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    for p in net[0].parameters():
        p.requires_grad = True
    opt.add_param_group({"params": net[0].parameters(), "lr": 0.01})
    for _ in range(2):
        opt.zero_grad()
        net(x).pow(2).mean().backward()
        opt.step()
    return dict(ng=len(opt.param_groups), lrs=[g["lr"] for g in opt.param_groups], mom=opt.param_groups[1]["momentum"],
                ps=[p.detach().clone() for p in net.parameters()])


@snippet
def sequential_insert_pop_del_add(torch, nn):
    s = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
    s.insert(1, nn.BatchNorm1d(2))
    popped = s.pop(2)
    del s[0]
    t = s + nn.Sequential(nn.Sigmoid())
    s.extend([nn.Tanh()])
    return dict(names=[type(m).__name__ for m in s], keys=[k for k, _ in s.named_children()], popped=type(popped).__name__,
                t=[type(m).__name__ for m in t], tk=[k for k, _ in t.named_children()], tt=type(t).__name__)


# ---------------------------------------------------------------- saving and resuming


def _tmp(name):
    return os.path.join(tempfile.mkdtemp(), name)


@snippet
def save_load_state_dict_model_outputs(torch, nn):
    def make():
        return nn.Sequential(nn.Conv2d(1, 3, 3, padding=1), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(12, 2))

    net = seed_params(torch, make())
    x = torch.tensor(X((4, 1, 2, 2)))
    net(x)
    path = _tmp("model.pth")
    torch.save(net.state_dict(), path)
    other = make()
    r = other.load_state_dict(torch.load(path))
    net.eval()
    other.eval()
    return dict(eq=torch.equal(net(x), other(x)), out=other(x), rm=other[1].running_mean, nbt=other[1].num_batches_tracked,
                missing=list(r.missing_keys), exists=os.path.exists(path))


def _resume_run(torch, nn, optim, opt_name, split):
    def make():
        return seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1)), seed=4)

    def make_opt(m):
        if opt_name == "adam":
            return optim.Adam(m.parameters(), lr=0.05, betas=(0.8, 0.9), weight_decay=0.01)
        return optim.SGD(m.parameters(), lr=0.1, momentum=0.9, nesterov=True)

    xs = [torch.tensor(X((5, 3), 30 + i)) for i in range(6)]
    m = make()
    opt = make_opt(m)
    sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    losses = []
    for i, x in enumerate(xs):
        if split and i == 3:
            path = _tmp("ckpt.pt")
            torch.save({"model": m.state_dict(), "opt": opt.state_dict(), "sched": sched.state_dict(), "step": i}, path)
            ck = torch.load(path)
            m = make()
            with torch.no_grad():
                for p in m.parameters():
                    p.mul_(0)
            m.load_state_dict(ck["model"])
            opt = make_opt(m)
            opt.load_state_dict(ck["opt"])
            sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
            sched.load_state_dict(ck["sched"])
        opt.zero_grad()
        loss = (m(x) ** 2).mean()
        loss.backward()
        opt.step()
        sched.step()
        losses.append(loss.item())
    return losses, [p.detach().clone() for p in m.parameters()], opt.param_groups[0]["lr"]


@snippet
def resume_training_adam_equals_continuous(torch, nn, optim):
    a = _resume_run(torch, nn, optim, "adam", False)
    b = _resume_run(torch, nn, optim, "adam", True)
    return dict(cont=a, resumed=b, same=all(torch.allclose(p, q) for p, q in zip(a[1], b[1])))


@snippet
def resume_training_sgd_nesterov_equals_continuous(torch, nn, optim):
    a = _resume_run(torch, nn, optim, "sgd", False)
    b = _resume_run(torch, nn, optim, "sgd", True)
    return dict(cont=a, resumed=b, same=all(torch.allclose(p, q) for p, q in zip(a[1], b[1])))


@snippet
def save_load_python_values(torch):
    path = _tmp("meta.pt")
    obj = {"epoch": 3, "best": 0.125, "name": "run-1", "flags": {"ema": True, "amp": False}, "hist": [0.5, 0.25],
           "none": None, "ints": [1, 2, 3], "nested": [{"a": 1}, {"b": [2.5]}]}
    torch.save(obj, path)
    back = torch.load(path)
    return dict(back=back, types={k: type(v).__name__ for k, v in back.items()}, eq=back == obj)


@snippet
def save_load_tuple_and_tensor_flags(torch):
    path = _tmp("t.pt")
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    torch.save({"pair": (1, 2), "w": w, "i": torch.arange(3, dtype=torch.int32)}, path)
    back = torch.load(path)
    return dict(pair=back["pair"], pt=type(back["pair"]).__name__, w=back["w"], rg=back["w"].requires_grad,
                i=back["i"], leaf=back["w"].is_leaf)


@snippet
def save_load_gan_checkpoint_two_models(torch, nn, optim):
    G = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3)), seed=1)
    D = seed_params(torch, nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1)), seed=2)
    oG = optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oD = optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    z = torch.tensor(X((4, 2)))
    D(G(z)).mean().backward()
    oG.step()
    oD.step()
    path = _tmp("gan.pth")
    torch.save({"G": G.state_dict(), "D": D.state_dict(), "oG": oG.state_dict(), "oD": oD.state_dict(), "epoch": 1}, path)
    ck = torch.load(path, map_location="cpu")
    G2 = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 3))
    D2 = nn.Sequential(nn.Linear(3, 4), nn.LeakyReLU(0.2), nn.Linear(4, 1))
    G2.load_state_dict(ck["G"])
    D2.load_state_dict(ck["D"])
    oG2 = optim.Adam(G2.parameters(), lr=2e-4, betas=(0.5, 0.999))
    oG2.load_state_dict(ck["oG"])
    return dict(out=D2(G2(z)), eq=torch.equal(G2(z), G(z)), lr=oG2.param_groups[0]["lr"], betas=oG2.param_groups[0]["betas"],
                keys=sorted(ck), epoch=ck["epoch"], nstate=len(oG2.state_dict()["state"]))


@snippet
def save_to_bytesio_buffer(torch, nn):
    import io
    net = seed_params(torch, nn.Linear(2, 2))
    buf = io.BytesIO()
    torch.save(net.state_dict(), buf)
    buf.seek(0)
    other = nn.Linear(2, 2)
    other.load_state_dict(torch.load(buf))
    return other(torch.ones(1, 2))


@snippet
def save_load_pathlib_path(torch, nn):
    import pathlib
    net = seed_params(torch, nn.Linear(2, 2))
    path = pathlib.Path(tempfile.mkdtemp()) / "w.pt"
    torch.save(net.state_dict(), path)
    other = nn.Linear(2, 2)
    other.load_state_dict(torch.load(path))
    return dict(y=other(torch.ones(1, 2)), exists=path.exists())


@snippet
def best_model_deepcopy_state_restore(torch, nn, optim):
    net = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1)), seed=6)
    opt = optim.SGD(net.parameters(), lr=0.3)
    x = torch.tensor(X((8, 2)))
    y = torch.tensor(X((8, 1), 2))
    best, best_state, log = float("inf"), None, []
    for ep in range(6):
        opt.zero_grad()
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        with torch.no_grad():
            val = ((net(x) - y) ** 2).mean().item()
        log.append(val)
        if val < best:
            best, best_state = val, copy.deepcopy(net.state_dict())
    net.load_state_dict(best_state)
    with torch.no_grad():
        final = ((net(x) - y) ** 2).mean().item()
    return dict(log=log, best=best, final=final)


# ---------------------------------------------------------------- small models end to end


@snippet
def autoencoder_adam_steps(torch, nn, optim):
    class AE(nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = nn.Sequential(nn.Linear(8, 4), nn.ReLU(), nn.Linear(4, 2))
            self.decoder = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 8), nn.Sigmoid())

        def forward(self, x):
            z = self.encoder(x)
            return self.decoder(z), z

    model = seed_params(torch, AE(), seed=2)
    opt = optim.Adam(model.parameters(), lr=1e-2)
    crit = nn.MSELoss()
    x = torch.tensor(U((16, 8), 5))
    losses = []
    for _ in range(5):
        recon, z = model(x)
        loss = crit(recon, x)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    model.eval()
    with torch.no_grad():
        recon, z = model(x[:2])
    return dict(losses=losses, recon=recon, z=z)


@snippet
def conditional_gan_label_embedding_step(torch, nn, optim):
    n_classes, nz = 3, 4

    class G(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_emb = nn.Embedding(n_classes, n_classes)
            self.net = nn.Sequential(nn.Linear(nz + n_classes, 8, bias=False), nn.BatchNorm1d(8), nn.LeakyReLU(0.2), nn.Linear(8, 5), nn.Tanh())

        def forward(self, z, labels):
            return self.net(torch.cat((self.label_emb(labels), z), -1))

    class D(nn.Module):
        def __init__(self):
            super().__init__()
            self.label_embedding = nn.Embedding(n_classes, n_classes)
            self.net = nn.Sequential(nn.Linear(5 + n_classes, 8), nn.LeakyReLU(0.2), nn.Dropout(0.0), nn.Linear(8, 1))

        def forward(self, img, labels):
            return self.net(torch.cat((img.view(img.size(0), -1), self.label_embedding(labels)), -1))

    g, d = seed_params(torch, G(), 1), seed_params(torch, D(), 2)
    oG = optim.Adam(g.parameters(), lr=2e-3, betas=(0.5, 0.999))
    oD = optim.Adam(d.parameters(), lr=2e-3, betas=(0.5, 0.999))
    loss_fn = nn.MSELoss()
    real_imgs = torch.tensor(X((6, 5), 3))
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    valid = torch.ones(6, 1)
    fake = torch.zeros(6, 1)
    log = []
    for it in range(3):
        oG.zero_grad()
        z = torch.tensor(X((6, nz), 10 + it))
        gen_labels = torch.tensor(np.random.default_rng(it).integers(0, n_classes, 6))
        gen_imgs = g(z, gen_labels)
        g_loss = loss_fn(d(gen_imgs, gen_labels), valid)
        g_loss.backward()
        oG.step()
        oD.zero_grad()
        d_loss = (loss_fn(d(real_imgs, labels), valid) + loss_fn(d(gen_imgs.detach(), gen_labels), fake)) / 2
        d_loss.backward()
        oD.step()
        log.append((g_loss.item(), d_loss.item()))
    g.eval()
    with torch.no_grad():
        sample = g(torch.tensor(X((3, nz), 99)), torch.arange(3))
    return dict(log=log, sample=sample, emb=g.label_emb.weight)


@snippet
def wgan_gp_critic_step(torch, nn, optim):
    critic = seed_params(torch, nn.Sequential(nn.Conv2d(1, 4, 3, 2, 1), nn.LeakyReLU(0.2), nn.Flatten(), nn.Linear(16, 1)), 3)
    gen = seed_params(torch, nn.Sequential(nn.Linear(3, 16), nn.Tanh()), 4)
    opt_c = optim.Adam(critic.parameters(), lr=1e-4, betas=(0.0, 0.9))
    real = torch.tensor(X((4, 1, 4, 4), 5))
    log = []
    for it in range(2):
        z = torch.tensor(X((4, 3), 20 + it))
        fake = gen(z).view(-1, 1, 4, 4)
        eps = torch.tensor(U((4, 1, 1, 1), 40 + it))
        x_hat = eps * real + (1 - eps) * fake.detach()
        x_hat.requires_grad_(True)
        pred = critic(x_hat)
        grad = torch.autograd.grad(pred, x_hat, torch.ones_like(pred), create_graph=True)[0]
        gp = ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
        loss = critic(fake.detach()).mean() - critic(real).mean() + 10 * gp
        opt_c.zero_grad()
        loss.backward()
        opt_c.step()
        log.append((loss.item(), gp.item()))
    return dict(log=log, w=critic[0].weight, gen_grad=[p.grad is None for p in gen.parameters()])


@snippet
def conv1d_sequence_classifier(torch, nn, optim, F):
    class TCN(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(10, 4)
            self.conv1 = nn.Conv1d(4, 6, 3, padding=1)
            self.conv2 = nn.Conv1d(6, 6, 3, padding=2, dilation=2)
            self.fc = nn.Linear(6, 2)

        def forward(self, tokens):
            h = self.emb(tokens).transpose(1, 2)
            h = F.relu(self.conv1(h))
            h = F.relu(self.conv2(h)) + h
            return self.fc(F.adaptive_max_pool1d(h, 1).squeeze(-1))

    model = seed_params(torch, TCN(), 7)
    opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    tokens = torch.tensor(np.random.default_rng(0).integers(0, 10, (6, 7)))
    y = torch.tensor([0, 1, 1, 0, 1, 0])
    log = []
    for _ in range(4):
        opt.zero_grad()
        out = model(tokens)
        loss = F.cross_entropy(out, y)
        loss.backward()
        opt.step()
        log.append((loss.item(), (out.argmax(1) == y).float().mean().item()))
    return dict(log=log, out=model(tokens[:2]))


@snippet
def residual_block_bn_train_eval(torch, nn, optim, F):
    class ResBlock(nn.Module):
        def __init__(self, cin, cout, stride):
            super().__init__()
            self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
            self.bn1 = nn.BatchNorm2d(cout)
            self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
            self.bn2 = nn.BatchNorm2d(cout)
            self.shortcut = nn.Sequential()
            if stride != 1 or cin != cout:
                self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

        def forward(self, x):
            out = F.relu(self.bn1(self.conv1(x)))
            out = self.bn2(self.conv2(out))
            out += self.shortcut(x)
            return F.relu(out)

    net = nn.Sequential(ResBlock(2, 4, 2), ResBlock(4, 4, 1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 3))
    seed_params(torch, net, 8)
    opt = optim.SGD(net.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    x = torch.tensor(X((4, 2, 6, 6), 9))
    y = torch.tensor([0, 2, 1, 2])
    log = []
    for _ in range(3):
        net.train()
        opt.zero_grad()
        loss = F.cross_entropy(net(x), y)
        loss.backward()
        opt.step()
        net.eval()
        with torch.no_grad():
            log.append((loss.item(), net(x).argmax(1).tolist()))
    return dict(log=log, rm=net[0].bn1.running_mean, rv=net[0].shortcut[1].running_var,
                nbt=net[1].bn2.num_batches_tracked, short=len(net[1].shortcut))


@snippet
def dropout_zero_train_eval_toggle(torch, nn):
    net = seed_params(torch, nn.Sequential(nn.Linear(3, 5), nn.Dropout(p=0.0), nn.ReLU(), nn.Identity(), nn.Linear(5, 2)))
    x = torch.tensor(X((4, 3)))
    a = net(x)
    net.eval()
    b = net(x)
    net.train()
    c = net(x)
    return dict(a=a, eq1=torch.equal(a, b), eq2=torch.equal(b, c), modes=[m.training for m in net.modules()])


@snippet
def loader_driven_training_epochs(torch, nn, optim, data, F):
    xs = torch.tensor(X((10, 2), 11))
    ys = (xs[:, 0] > xs[:, 1]).long()
    ds = data.TensorDataset(xs, ys)
    train, val = data.Subset(ds, list(range(7))), data.Subset(ds, list(range(7, 10)))
    tl = data.DataLoader(train, batch_size=3, shuffle=False)
    vl = data.DataLoader(val, batch_size=2)
    model = seed_params(torch, nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 2)), 12)
    opt = optim.Adam(model.parameters(), lr=0.05)
    hist = []
    for epoch in range(3):
        model.train()
        running, n = 0.0, 0
        for xb, yb in tl:
            opt.zero_grad()
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            running += loss.item() * xb.size(0)
            n += xb.size(0)
        model.eval()
        correct = 0
        with torch.no_grad():
            for xb, yb in vl:
                correct += (model(xb).argmax(dim=1) == yb).sum().item()
        hist.append((running / n, correct / len(val)))
    return dict(hist=hist, nb=len(tl), nv=len(vl))


@snippet
def vae_reparam_numpy_eps(torch, nn, optim, F):
    class VAE(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.Linear(6, 8)
            self.mu = nn.Linear(8, 2)
            self.logvar = nn.Linear(8, 2)
            self.dec = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 6))

        def forward(self, x, eps):
            h = F.relu(self.enc(x))
            mu, logvar = self.mu(h), self.logvar(h)
            z = mu + eps * torch.exp(0.5 * logvar)
            return self.dec(z), mu, logvar

    vae = seed_params(torch, VAE(), 13)
    opt = optim.Adam(vae.parameters(), lr=1e-2)
    x = torch.tensor(U((5, 6), 14))
    log = []
    for it in range(3):
        eps = torch.tensor(X((5, 2), 50 + it))
        logits, mu, logvar = vae(x, eps)
        rec = F.binary_cross_entropy_with_logits(logits, x, reduction="sum")
        kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
        loss = (rec + kld) / x.size(0)
        opt.zero_grad()
        loss.backward()
        opt.step()
        log.append((rec.item(), kld.item()))
    return dict(log=log, mu=mu.detach())


@snippet
def unet_like_interpolate_concat(torch, nn, F):
    class TinyUNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.down = nn.Conv2d(1, 2, 3, stride=2, padding=1)
            self.mid = nn.Conv2d(2, 2, 3, padding=1)
            self.up = nn.ConvTranspose2d(2, 2, 2, stride=2)
            self.out = nn.Conv2d(3, 1, 1)

        def forward(self, x):
            d = F.relu(self.down(x))
            m = F.relu(self.mid(d))
            u = self.up(m)
            if u.shape[-2:] != x.shape[-2:]:
                u = F.interpolate(u, size=x.shape[-2:], mode="bilinear", align_corners=False)
            return self.out(torch.cat([u[:, :2], x], dim=1))

    net = seed_params(torch, TinyUNet(), 15)
    x = torch.tensor(X((2, 1, 5, 7), 16), requires_grad=True)
    y = net(x)
    y.mean().backward()
    return dict(y=y, gx=x.grad, gw=net.down.weight.grad)


@snippet
def grad_accumulation_with_loader(torch, nn, optim, data):
    ds = data.TensorDataset(torch.tensor(X((8, 3), 17)), torch.tensor(X((8, 1), 18)))
    model = seed_params(torch, nn.Linear(3, 1), 19)
    opt = optim.SGD(model.parameters(), lr=0.1)
    accum = 2
    opt.zero_grad()
    steps = []
    for i, (xb, yb) in enumerate(data.DataLoader(ds, batch_size=2)):
        loss = nn.functional.mse_loss(model(xb), yb) / accum
        loss.backward()
        if (i + 1) % accum == 0:
            opt.step()
            opt.zero_grad()
            steps.append(model.weight.detach().clone())
    return dict(steps=steps, g=model.weight.grad)


if __name__ == "__main__":
    main(sys.argv[1:])
