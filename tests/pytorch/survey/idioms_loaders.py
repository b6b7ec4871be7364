"""The survey's programs on datasets, collation and DataLoader (tests/pytorch/survey/idioms_harness.py runs them;
``python idioms_loaders.py [name ...]`` prints their comparison)."""

import collections
import sys

import numpy as np
from idioms_harness import catch as _catch
from idioms_harness import main, snippet


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


if __name__ == "__main__":
    main(sys.argv[1:])
