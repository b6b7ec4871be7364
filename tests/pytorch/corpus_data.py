"""Programs run unchanged under PyTorch and under minigan (tests/pytorch/corpus.py, test_corpus.py): torch.utils.data:
datasets, samplers, DataLoader batching and collate functions, random_split, their refusals."""


import numpy as np

from pytorch.corpus import _regression, caught, fill_, registry

PROGRAMS, program = registry()


@program
def loader_sequential_batches(torch):
    from_data = torch.utils.data
    x = torch.arange(10.0).reshape(5, 2)
    y = torch.arange(5)
    loader = from_data.DataLoader(from_data.TensorDataset(x, y), batch_size=2)
    batches = [(xb, yb) for xb, yb in loader]
    return len(loader), batches


@program
def loader_drop_last_and_len(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(7.0))
    loader = torch.utils.data.DataLoader(ds, batch_size=3, drop_last=True)
    return len(ds), len(loader), [b[0] for b in loader], ds[2]


@program
def loader_custom_collate(torch):
    seqs = [torch.arange(n, dtype=torch.float32) for n in (3, 1, 2, 4)]

    def pad(batch):
        longest = max(len(s) for s in batch)
        out = torch.zeros(len(batch), longest)
        for i, s in enumerate(batch):
            out[i, :len(s)] = s
        return out, torch.tensor([len(s) for s in batch])

    loader = torch.utils.data.DataLoader(seqs, batch_size=2, collate_fn=pad)
    return list(loader)


@program
def loader_with_sampler(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(6.0) * 10)
    sampler = torch.utils.data.SubsetRandomSampler([4, 1]) if False else [5, 3, 1, 0]
    loader = torch.utils.data.DataLoader(ds, batch_size=3, sampler=sampler)
    seq = list(torch.utils.data.SequentialSampler(ds))
    batches = list(torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(range(5)), 2, False))
    return [b[0] for b in loader], seq, batches


@program
def loader_batch_sampler(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0), torch.arange(5) % 2)
    bs = torch.utils.data.BatchSampler(range(5), batch_size=2, drop_last=True)
    loader = torch.utils.data.DataLoader(ds, batch_sampler=bs)
    return [(a, b) for a, b in loader], len(loader)


@program
def loader_dict_samples_default_collate(torch):
    class Pairs(torch.utils.data.Dataset):
        def __len__(self):
            return 3

        def __getitem__(self, i):
            return {"x": torch.full((2,), float(i)), "label": i, "weight": 0.5 * i}

    batch = next(iter(torch.utils.data.DataLoader(Pairs(), batch_size=3)))
    return batch["x"], batch["label"], batch["weight"]


@program
def random_split_lengths(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10.0))
    a, b = torch.utils.data.random_split(ds, [7, 3], generator=torch.Generator().manual_seed(0))
    c, d = torch.utils.data.random_split(range(10), [0.8, 0.2])
    return len(a), len(b), len(c), len(d), type(a).__name__


@program
def subset_and_concat(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0))
    sub = torch.utils.data.Subset(ds, [4, 0])
    both = torch.utils.data.ConcatDataset([sub, ds])
    return len(both), both[0], both[2], both[-1]


@program
def training_loop_epochs(torch):
    x, y = _regression(torch)
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=3)
    model = fill_(torch, torch.nn.Linear(3, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    losses = []
    for _ in range(3):
        total = 0.0
        for xb, yb in loader:
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(model(xb), yb)
            loss.backward()
            opt.step()
            total += loss.item() * len(xb)
        losses.append(total / len(loader.dataset))
    return losses, model.weight


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
def subset_indices_and_dataset_attribute(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(5.0))
    sub = torch.utils.data.Subset(ds, [3, 1])
    loader = torch.utils.data.DataLoader(sub, batch_size=5)
    return sub.indices, sub.dataset is ds, [b[0] for b in loader], len(loader), loader.batch_size, loader.drop_last


@program
def dataloader_generator_shuffle_is_reproducible(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10), torch.arange(10) * 10)

    def order(seed):
        g = torch.Generator().manual_seed(seed)
        loader = torch.utils.data.DataLoader(ds, batch_size=4, shuffle=True, generator=g)
        return [batch[0].tolist() for batch in loader]

    a, b = order(1), order(1)
    loader = torch.utils.data.DataLoader(ds, batch_size=3, shuffle=True, drop_last=True,
                                         generator=torch.Generator().manual_seed(2))
    batches = list(loader)
    return (a == b, [len(x) for x in a], sorted(sum(a, [])), len(loader), [len(x[0]) for x in batches],
            all(torch.equal(x * 10, y) for x, y in batches))


@program
def custom_dataset_dict_samples_and_tuple_collate(torch):
    class Pairs(torch.utils.data.Dataset):
        def __init__(self, n):
            self.n = n

        def __len__(self):
            return self.n

        def __getitem__(self, i):
            return {"x": torch.full((2,), float(i)), "y": i % 2, "name": f"s{i}", "meta": (i, float(i) / 2)}

    loader = torch.utils.data.DataLoader(Pairs(5), batch_size=2)
    batches = list(loader)
    first = batches[0]
    return (len(loader), sorted(first), first["x"], first["y"], first["name"], first["meta"],
            batches[-1]["x"].shape, first["y"].dtype, first["meta"][1].dtype)


@program
def random_split_subset_concat_composition(torch):
    ds = torch.utils.data.TensorDataset(torch.arange(10.0).unsqueeze(1), torch.arange(10))
    g = torch.Generator().manual_seed(42)
    train, val = torch.utils.data.random_split(ds, [7, 3], generator=g)
    fracs = torch.utils.data.random_split(ds, [0.5, 0.3, 0.2], generator=torch.Generator().manual_seed(0))
    sub = torch.utils.data.Subset(ds, [9, 0, 4])
    both = torch.utils.data.ConcatDataset([sub, train])
    seen = sorted(int(train[i][1]) for i in range(len(train))) + sorted(int(val[i][1]) for i in range(len(val)))
    return (len(train), len(val), sorted(seen), [len(f) for f in fracs], sub[0], [int(sub[i][1]) for i in range(3)],
            len(both), both[1][1], both.cumulative_sizes, type(train).__name__,
            len(set(train.indices) & set(val.indices)),
            caught(lambda: both[20]), both[-1][1] == train[6][1])


@program
def dataloader_over_a_list_and_a_sampler_of_indices(torch):
    samples = [(torch.tensor([float(i), float(-i)]), torch.tensor(i)) for i in range(7)]
    loader = torch.utils.data.DataLoader(samples, batch_size=3, sampler=[6, 5, 4, 3, 2, 1, 0])
    sizes = [b[0].shape for b in loader]
    labels = [b[1].tolist() for b in loader]
    batch_sampler = torch.utils.data.BatchSampler(torch.utils.data.SequentialSampler(samples), 2, drop_last=False)
    loader2 = torch.utils.data.DataLoader(samples, batch_sampler=batch_sampler)
    return sizes, labels, [b[1].tolist() for b in loader2], len(loader2), list(batch_sampler)
