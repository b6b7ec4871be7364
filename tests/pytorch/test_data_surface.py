"""``minigan.utils.data`` against ``torch.utils.data``: the same program given each library must give back the same
values, Python types and dtypes, and raise the same kind of exception (minigan's may be a subclass).

(Its torch-free tests: tests/library/test_data_surface.py.)"""

import collections
import warnings

import numpy as np
import pytest

import minigan
import minigan.utils.data as mdata

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")
import torch.utils.data as tdata  # noqa: E402

LIBS = [(minigan, mdata), (torch, tdata)]


def plain(v):
    """A result as plain Python, comparable across the libraries: a tensor is (values, dtype name)."""
    if isinstance(v, (minigan.Tensor, torch.Tensor)):
        return ("tensor", v.tolist(), str(v.dtype).replace("torch.", "minigan."))
    if isinstance(v, np.ndarray):
        return ("array", v.tolist(), v.dtype.name)
    if isinstance(v, np.generic):
        return ("numpy", v.item(), type(v).__name__)
    if isinstance(v, collections.abc.Mapping):
        return (type(v).__name__, [(k, plain(x)) for k, x in v.items()])
    if isinstance(v, (list, tuple)):
        return (type(v).__name__, [plain(x) for x in v])
    return v


def same(program):
    """Run ``program(lib, data)`` under both libraries and check that the results agree; return minigan's."""
    ours, theirs = (program(lib, data) for lib, data in LIBS)
    assert plain(ours) == plain(theirs)
    return ours


def raises_as_torch(program):
    """``program`` raises under PyTorch, and under minigan an exception that ``except <PyTorch's class>`` catches."""
    with pytest.raises(Exception) as theirs:
        program(torch, tdata)
    with pytest.raises(theirs.type):
        program(minigan, mdata)


# ----------------------------------------------------------------------------- RandomSampler


@pytest.mark.parametrize("replacement, num_samples", [(False, None), (False, 4), (False, 12), (False, 30),
                                                      (True, None), (True, 7), (True, 25)])
def test_random_sampler_lengths_and_draws(replacement, num_samples):
    def program(lib, data):
        ds = data.TensorDataset(lib.arange(10.0))
        s = data.RandomSampler(ds, replacement=replacement, num_samples=num_samples,
                               generator=lib.Generator().manual_seed(3))
        loaders = [data.DataLoader(ds, batch_size=3, sampler=s, drop_last=d) for d in (False, True)]
        return len(s), s.num_samples, s.replacement, [len(dl) for dl in loaders], [[len(b[0]) for b in dl]
                                                                                   for dl in loaders]

    same(program)
    n = 10 if num_samples is None else num_samples
    drawn = list(mdata.RandomSampler(list(range(10)), replacement, num_samples))
    assert len(drawn) == n and all(isinstance(i, int) and 0 <= i < 10 for i in drawn)
    if not replacement:  # whole shuffled orders one after the other, the last one cut short
        for start in range(0, n, 10):
            part = drawn[start:start + 10]
            assert len(set(part)) == len(part)
        assert sorted(drawn[:10]) == list(range(min(n, 10))) or n < 10
    elif n == 25:
        assert len(set(drawn)) < 25  # 25 draws from 10 indices repeat some


def test_random_sampler_follows_the_dataset_and_is_its_own_class():
    ds = [0, 1, 2]
    s = mdata.RandomSampler(ds)
    ds.append(3)  # num_samples follows the dataset's length, as PyTorch's property
    assert len(s) == s.num_samples == len(tdata.RandomSampler([0, 1, 2, 3])) == 4 and sorted(s) == [0, 1, 2, 3]
    assert not isinstance(s, mdata.SequentialSampler) and isinstance(s, mdata.Sampler)


@pytest.mark.parametrize("call", [
    lambda data: data.RandomSampler(range(5), replacement=1),
    lambda data: data.RandomSampler(range(5), num_samples=0),
    lambda data: data.RandomSampler(range(5), num_samples=2.0),
    lambda data: data.RandomSampler([]),
    lambda data: data.DataLoader([], shuffle=True),
])
def test_random_sampler_argument_errors(call):
    raises_as_torch(lambda lib, data: call(data))


# ----------------------------------------------------------------------------- datasets


def test_dataset_add_gives_a_concat_dataset():
    def program(lib, data):
        a, b = data.TensorDataset(lib.arange(2.0)), data.TensorDataset(lib.arange(5.0, 8.0))
        c, d = a + b, a + b + a
        return type(c).__name__, len(c), c[4], c.cumulative_sizes, len(d), type(d.datasets[0]).__name__

    same(program)


def test_dataset_has_no_default_len_and_can_be_subscripted():
    class Three(mdata.Dataset[int]):  # Dataset[...] in a class statement, as typed PyTorch code writes it
        def __getitem__(self, i):
            if i >= 3:
                raise IndexError(i)
            return i

    assert list(Three()) == [0, 1, 2]  # iteration by __getitem__ (no __len__ in the way)
    with pytest.raises(TypeError):
        len(Three())
    assert mdata.DataLoader[int] is not None and mdata.Sampler[int] is not None
    raises_as_torch(lambda lib, data: data.Dataset()[0])  # NotImplementedError


def test_concat_dataset_indexing_and_errors():
    def program(lib, data):
        a, empty, b = (data.TensorDataset(t) for t in (lib.arange(2.0), lib.zeros(0), lib.arange(5.0, 7.0)))
        c = data.ConcatDataset([a, empty, b])
        return [c[i][0] for i in range(-4, 4)], c.cumulative_sizes, [x for (x,) in c], data.ConcatDataset.cumsum(
            [[1, 2], [3]])

    same(program)
    concat = lambda lib, data: data.ConcatDataset([data.TensorDataset(lib.arange(3.0)), list(range(4))])  # noqa: E731
    raises_as_torch(lambda lib, data: concat(lib, data)[-8])  # ValueError, not IndexError
    raises_as_torch(lambda lib, data: concat(lib, data)[7])  # IndexError
    raises_as_torch(lambda lib, data: data.ConcatDataset([]))  # AssertionError


def test_tensor_dataset_errors():
    raises_as_torch(lambda lib, data: data.TensorDataset(lib.zeros(3), lib.zeros(4)))  # AssertionError
    raises_as_torch(lambda lib, data: data.TensorDataset(lib.tensor(1.0)))  # IndexError
    with pytest.raises(ValueError, match="size mismatch between tensors"):  # and minigan's habit, a ValueError
        mdata.TensorDataset(minigan.zeros(3), minigan.zeros(4))


def test_subset_keeps_its_indices_and_passes_lists_through():
    def program(lib, data):
        ds = data.TensorDataset(lib.arange(6.0) * 2, lib.arange(6))
        s = data.Subset(ds, range(1, 5))
        nested = data.Subset(s, [3, 0])
        return (s[[0, 2]], s[-1], type(s.indices).__name__, list(nested.indices), nested[0],
                [(x, y) for x, y in data.DataLoader(nested, batch_size=2)], data.Subset(ds, np.array([4]))[0])

    same(program)

    def overrides_getitem(lib, data):
        class Doubled(data.Subset):
            def __getitem__(self, i):
                return 2 * super().__getitem__(i)

        return Doubled([1, 2], [0])

    raises_as_torch(overrides_getitem)  # NotImplementedError: it would be skipped by __getitems__


@pytest.mark.parametrize("lengths", [[3, 7], [0.5, 0.5], [0.33, 0.33, 0.34], [0.1] * 10, [0.25] * 4, [1], [0, 1],
                                     [1.0, 0.0]])
def test_random_split_lengths(lengths):
    def program(lib, data):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            parts = data.random_split(range(10), lengths, generator=lib.Generator().manual_seed(0))
        return ([len(p) for p in parts], type(parts[0].indices).__name__, sorted(i for p in parts for i in p.indices),
                len(caught))  # a warning for each empty split

    same(program)


@pytest.mark.parametrize("lengths", [[3, 3], [0.5, 0.4], [11], [1.5, -0.5]])
def test_random_split_errors(lengths):
    raises_as_torch(lambda lib, data: data.random_split(range(10), lengths))


# ----------------------------------------------------------------------------- collation


Point = collections.namedtuple("Point", ["x", "y"])


class Items(list):
    """A list subclass: default_collate keeps it."""


@pytest.mark.parametrize("batch", [
    [collections.OrderedDict(b=1, a=2.0), collections.OrderedDict(b=3, a=4.0)],
    [collections.defaultdict(int, a=1), collections.defaultdict(int, a=2)],
    [{"a": (1, [2.0, 3]), "s": "x"}, {"a": (4, [5.0, 6]), "s": "y"}],
    [Point(np.float32(1.5), 0), Point(np.float32(2.5), 1)],
    [Items([1, 2]), Items([3, 4])],
    [(1, "a.png", True), (2, "b.png", False)],
    [range(2), range(2)],
    [1, 2.5], [True, 2], [True, False], [1.5, 2.0],
    [np.bool_(True), np.bool_(False)], [np.int16(1), np.int16(2)], [np.float64(1.0), np.float64(2.0)],
    [np.array(1.5), np.array(2.5)], [np.zeros((2, 3), np.int32), np.ones((2, 3), np.int32)],
    [np.str_("a"), np.str_("b")], [b"x", b"y"],
], ids=lambda b: type(b[0]).__name__)
def test_default_collate_types_as_torch(batch):
    ours = same(lambda lib, data: data.default_collate(batch))  # (plain() keeps the containers' type names)
    if isinstance(ours, collections.defaultdict):
        assert ours.default_factory is int


def test_default_collate_tensors():
    same(lambda lib, data: data.default_collate([(lib.tensor([1, 2], dtype=lib.int32), lib.tensor(True)),
                                                 (lib.tensor([3, 4], dtype=lib.int32), lib.tensor(False))]))


@pytest.mark.parametrize("call", [
    lambda lib, data: data.default_collate([[1, 2], [3]]),  # RuntimeError
    lambda lib, data: data.default_collate([lib.zeros(2), lib.zeros(3)]),  # RuntimeError
    lambda lib, data: data.default_collate([None, None]),  # TypeError
    lambda lib, data: data.default_collate([object(), object()]),  # TypeError
    lambda lib, data: data.default_collate([np.array(["a"]), np.array(["b"])]),  # TypeError
    lambda lib, data: data.default_collate([{"a": 1}, {"b": 2}]),  # KeyError
    lambda lib, data: data.default_collate([]),  # IndexError
])
def test_default_collate_errors(call):
    raises_as_torch(call)


def test_batch_size_none_converts_each_example_as_pytorchs_default_convert():
    items = [Point(np.zeros(2, np.float32), 1), collections.OrderedDict(a=np.int32(3)), [np.float64(1.5), "s"],
             "text", 5, (np.ones(1), {"k": np.int64(2)}), Items([np.int8(1)])]

    def program(lib, data):
        out = list(data.DataLoader(items, batch_size=None))
        return out, [type(o).__name__ for o in out]

    same(program)
    strings = list(mdata.DataLoader([np.array(["a", "b"])], batch_size=None))[0]
    assert isinstance(strings, np.ndarray)  # an array no tensor can hold is left as it is, as PyTorch's
    assert mdata.DataLoader(items, batch_size=None).collate_fn is not mdata.default_collate


# ----------------------------------------------------------------------------- DataLoader


def test_loader_sampler_and_batch_sampler_attributes():
    def program(lib, data):
        ds = data.TensorDataset(lib.arange(5.0))
        out = []
        for kwargs in (dict(batch_size=2), dict(batch_size=2, shuffle=True), dict(batch_size=2, drop_last=True),
                       dict(batch_size=None), dict(batch_sampler=[[0, 1], [4]]), dict(sampler=[3, 1], batch_size=3)):
            dl = data.DataLoader(ds, **kwargs)
            bs = dl.batch_sampler
            out.append([type(dl.sampler).__name__, len(dl.sampler), sorted(dl.sampler), dl.batch_size, dl.drop_last,
                        None if bs is None else [len(bs), sorted(len(b) for b in bs)], len(dl),
                        dl.collate_fn is data.default_collate])
        return out

    same(program)
    dl = mdata.DataLoader(list(range(5)), batch_size=2, drop_last=True)
    assert list(dl.sampler) == [0, 1, 2, 3, 4] and list(dl.batch_sampler) == [[0, 1], [2, 3]]
    assert dl.batch_sampler.sampler is dl.sampler and dl.batch_sampler.batch_size == 2 and dl.batch_sampler.drop_last
    shuffled = mdata.DataLoader(list(range(5)), shuffle=True, generator=minigan.Generator().manual_seed(1))
    assert shuffled.sampler.generator is shuffled.generator


def test_loader_worker_settings_are_kept_and_checked_as_pytorch():
    def program(lib, data):
        dl = data.DataLoader(list(range(4)))
        dl2 = data.DataLoader(list(range(4)), num_workers=2, persistent_workers=True, timeout=5)
        return ([dl.prefetch_factor, dl.timeout, dl.persistent_workers, dl.worker_init_fn, dl.in_order,
                 dl.pin_memory, dl.pin_memory_device, dl.multiprocessing_context, dl.generator, dl.num_workers],
                [dl2.prefetch_factor, dl2.persistent_workers, dl2.timeout], hasattr(dl, "shuffle"))

    same(program)
    for kwargs in (dict(prefetch_factor=2), dict(persistent_workers=True), dict(timeout=-1), dict(num_workers=-1),
                   dict(multiprocessing_context="spawn"), dict(batch_size=2, drop_last=1), dict(batch_size=0),
                   dict(batch_size=None, drop_last=True), dict(batch_sampler=[[0]], drop_last=True)):
        raises_as_torch(lambda lib, data, kwargs=kwargs: data.DataLoader(list(range(4)), **kwargs))


@pytest.mark.parametrize("name", ["batch_size", "batch_sampler", "sampler", "drop_last", "dataset",
                                  "persistent_workers"])
def test_loader_settings_are_fixed_once_made(name):
    def program(lib, data):
        dl = data.DataLoader(list(range(4)), batch_size=2)
        setattr(dl, name, getattr(dl, name))

    raises_as_torch(program)  # ValueError
    dl = mdata.DataLoader(list(range(4)))
    dl.collate_fn = dl.num_workers = None  # the others may change, as in PyTorch


def test_loader_fetches_batches_as_pytorch():
    def program(lib, data):
        calls = []

        class Batched(data.Dataset):  # __getitems__ fetches a batch at once
            def __len__(self):
                return 5

            def __getitem__(self, i):
                calls.append(("one", i))
                return i

            def __getitems__(self, indices):
                calls.append(("many", list(indices)))
                return [10 * i for i in indices]

        class Keyed(data.Dataset):  # indices need not be ints when a sampler gives them
            def __getitem__(self, key):
                return {"a": 1, "b": 2, "c": 3}[key]

        class Shifted(data.TensorDataset):  # an overridden __getitem__ is used, not one indexing per tensor
            def __getitem__(self, i):
                return tuple(t + 100 for t in super().__getitem__(i))

        return ([b for b in data.DataLoader(Batched(), batch_size=2)], calls,
                [b for b in data.DataLoader(Keyed(), batch_size=2, sampler=["c", "a", "b"])],
                [b for b in data.DataLoader(Shifted(lib.arange(4.0)), batch_size=3)],
                [b for b in data.DataLoader(list(range(10, 16)), batch_size=2, sampler=lib.tensor([3, 1, 2]))],
                [b for b in data.DataLoader(data.TensorDataset(lib.arange(6) * 2), batch_size=2,
                                            sampler=lib.tensor([5, 0, 4]))])

    same(program)


def test_loader_with_a_subset_random_sampler_and_a_generator_batch_sampler():
    def program(lib, data):
        s = data.SubsetRandomSampler(range(3, 6), generator=lib.Generator().manual_seed(0))

        def batches():
            yield [0, 1]
            yield [4]

        return (type(s.indices).__name__, len(s), sorted(s), type(next(iter(s))).__name__,
                [b.tolist() for b in data.DataLoader(list(range(5)), batch_sampler=batches())])

    same(program)
