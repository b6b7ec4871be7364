"""Datasets and the mini-batch loader, named as in ``torch.utils.data``::

    from minigan.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=True, drop_last=True)
    for epoch in range(epochs):
        for x, y in loader:          # x (64, 1, 8, 8) float32 Tensor, y (64,) int64 Tensor
            ...

An epoch visits every example once: the indices 0..N−1, in a fresh random order each epoch when
``shuffle=True``, are cut into batches of ``batch_size`` (the last one shorter, or dropped with
``drop_last=True``).  The order comes from ``generator`` when one is given (a seeded ``minigan.Generator``
or ``numpy.random.Generator``), otherwise from minigan's own generator, so ``minigan.manual_seed(s)``
makes the whole run repeat.  Everything is loaded in this process: ``num_workers`` and
``pin_memory`` are accepted so that PyTorch scripts run, and change nothing.
"""

from __future__ import annotations

import sys

from minigan import _missing, backend
from minigan._tensor import Tensor, from_numpy
from minigan.functional import stack


class Dataset:
    """An indexable collection of examples: a subclass defines ``__getitem__(i)`` and ``__len__()``."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __len__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __len__")


class TensorDataset(Dataset):
    """Tensors that share their first dimension; example i is ``(t[i] for t in tensors)``.

    NumPy arrays are taken as well (as ``from_numpy``: same dtype, no copy).
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor")
        tensors = tuple(from_numpy(t) if backend.is_array(t) else t for t in tensors)
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset: argument {i} is a {type(t).__name__}, expected a Tensor or an array")
            if t.ndim == 0 or t.shape[0] != tensors[0].shape[0]:
                raise ValueError(f"TensorDataset: tensor {i} has shape {t.shape}, but tensor 0 has shape "
                                 f"{tensors[0].shape}; all must have the same first dimension (the examples)")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The examples of ``dataset`` at ``indices``, in that order."""

    def __init__(self, dataset, indices):
        self.dataset, self.indices = dataset, [int(i) for i in indices]

    def __getitem__(self, index):
        if isinstance(index, (list, tuple)) or backend.is_array(index):
            return [self.dataset[self.indices[int(i)]] for i in index]
        return self.dataset[self.indices[index]]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several datasets one after the other."""

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: expected at least one dataset")
        self.cumulative_sizes, total = [], 0
        for d in self.datasets:
            total += len(d)
            self.cumulative_sizes.append(total)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(f"ConcatDataset: index {index} is out of range for {len(self)} examples")
        start = 0
        for d, end in zip(self.datasets, self.cumulative_sizes):
            if index < end:
                return d[index - start]
            start = end


def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into non-overlapping Subsets of the given lengths (or fractions that add up to 1, the
    remainder given out one by one from the first), in a random order from ``generator`` (a
    ``minigan.Generator`` or ``numpy.random.Generator``) or minigan's seeded generator."""
    n = len(dataset)
    lengths = list(lengths)
    if all(isinstance(v, float) for v in lengths) and abs(sum(lengths) - 1) < 1e-9:
        counts = [int(n * f) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        lengths = counts
    if sum(lengths) != n or any(v < 0 for v in lengths):
        raise ValueError(f"random_split: the lengths {lengths} must be >= 0 and add up to the dataset's {n} "
                         "examples (or be fractions that add up to 1)")
    order = backend.permutation(n, xp=backend.np, gen=generator)
    out, start = [], 0
    for length in lengths:
        out.append(Subset(dataset, order[start:start + length]))
        start += length
    return out


class Sampler:
    """An iterable of dataset indices (a DataLoader's ``sampler=``)."""

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(SequentialSampler):
    """The indices in a random order (minigan's seeded generator, or ``generator``), without replacement."""

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        if replacement or num_samples is not None:
            raise NotImplementedError("RandomSampler: only replacement=False over the whole dataset is provided")
        super().__init__(data_source)
        self.generator = generator

    def __iter__(self):
        n = len(self.data_source)
        order = backend.permutation(n, xp=backend.np, gen=self.generator)
        return iter(int(i) for i in order)


class SubsetRandomSampler(Sampler):
    """The given indices, in a random order."""

    def __init__(self, indices, generator=None):
        self.indices, self.generator = [int(i) for i in indices], generator

    def __iter__(self):
        n = len(self.indices)
        order = backend.permutation(n, xp=backend.np, gen=self.generator)
        return iter(self.indices[int(i)] for i in order)

    def __len__(self):
        return len(self.indices)


def default_collate(samples):
    """Join a list of examples into one batch, as PyTorch's default: Tensors and arrays are stacked along a
    new first axis, bools become a bool Tensor, ints an int64 Tensor, floats a float64 Tensor (as PyTorch),
    strings stay a list of strings, and tuples, lists, named tuples and dicts are collated field by field."""
    first = samples[0]
    if isinstance(first, Tensor):
        return stack(samples, axis=0)
    if backend.is_array(first) or backend.is_numpy_scalar(first):
        return from_numpy(backend.get_array_module(first).stack(samples))
    if isinstance(first, (str, bytes)):  # file names, captions: kept as they are
        return samples
    if isinstance(first, bool):
        return from_numpy(backend.np.asarray(samples, dtype=backend.np.bool_))
    if not isinstance(first, (int, float, tuple, list, dict)):
        raise TypeError(f"default_collate: cannot batch examples of type {type(first).__name__}; expected "
                        "Tensors, arrays, numbers, strings, or tuples/lists/dicts of them (or pass a collate_fn)")
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a named tuple keeps its type
        return type(first)(*(default_collate(field) for field in zip(*samples)))
    if isinstance(first, int):
        return from_numpy(backend.np.asarray(samples, dtype=backend.np.int64))
    if isinstance(first, float):
        return from_numpy(backend.np.asarray(samples, dtype=backend.np.float64))
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if any(len(s) != len(first) for s in samples):
        raise ValueError("default_collate: the examples of a batch have different numbers of fields")
    return [default_collate(field) for field in zip(*samples)]


class DataLoader:
    """Iterate over ``dataset`` in mini-batches: ``for x, y in DataLoader(data, batch_size=64, shuffle=True)``,
    with PyTorch's arguments in PyTorch's order.

    ``generator``: a ``minigan.Generator`` (or ``numpy.random.Generator``) that alone decides the shuffled order
    (default: minigan's generator, seeded by ``minigan.manual_seed``).  ``sampler`` gives the order of the
    examples, ``batch_sampler`` the batches themselves (lists of indices).  ``collate_fn`` joins a list of
    examples into a batch (default: ``default_collate``).  A ``TensorDataset`` is batched in one indexing per
    tensor.  Loading happens in this process: num_workers, pin_memory and the worker settings change nothing.
    """

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        if not hasattr(dataset, "__getitem__") or not hasattr(dataset, "__len__"):
            raise TypeError(f"DataLoader: dataset must define __getitem__ and __len__, got {type(dataset).__name__}")
        shuffle = False if shuffle is None else shuffle  # (PyTorch's None)
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                       or batch_size < 1):
            raise ValueError(f"DataLoader: batch_size must be a positive int, got {batch_size!r}")
        for name, flag in (("shuffle", shuffle), ("drop_last", drop_last), ("pin_memory", pin_memory)):
            if not isinstance(flag, bool):
                raise TypeError(f"DataLoader: {name} must be True or False, got {flag!r}")
        if generator is not None:
            backend.stream(generator)  # (refuses anything but a minigan or NumPy generator)
        if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be an int >= 0, got {num_workers!r}")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler and shuffle=True are mutually exclusive (the sampler sets the order)")
        if batch_sampler is not None and (batch_size != 1 or shuffle or sampler is not None or drop_last):
            raise ValueError("DataLoader: batch_sampler gives the batches itself: leave batch_size, shuffle, sampler "
                             "and drop_last at their defaults")
        if batch_size is None and drop_last:
            raise ValueError("DataLoader: batch_size=None (one example at a time) cannot drop_last")
        self.dataset, self.batch_size, self.shuffle, self.drop_last = dataset, batch_size, shuffle, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.generator, self.collate_fn = generator, collate_fn or (default_collate if batch_size else _no_collate)
        self.num_workers, self.pin_memory = num_workers, pin_memory

    def __len__(self):
        """The number of batches in an epoch."""
        if self.batch_sampler is not None:
            return len(self.batch_sampler)
        n = len(self.dataset) if self.sampler is None else len(self.sampler)
        if self.batch_size is None:
            return n
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _order(self):
        if self.sampler is not None:
            return backend.np.asarray(list(self.sampler), dtype=backend.np.int64)
        n = len(self.dataset)
        if not self.shuffle:
            return backend.np.arange(n)
        return backend.permutation(n, xp=backend.np, gen=self.generator)  # (on the host: the same on every backend)

    def _batches(self):
        if self.batch_sampler is not None:
            return (backend.np.asarray(list(b), dtype=backend.np.int64) for b in self.batch_sampler)
        order = self._order()
        if self.batch_size is None:
            return iter(order)
        return (order[i : i + self.batch_size] for i in range(0, len(self) * self.batch_size, self.batch_size))

    def __iter__(self):
        for index in self._batches():
            if self.batch_size is None and self.batch_sampler is None:  # one example at a time, not collated
                yield self.collate_fn(self.dataset[int(index)])
            elif isinstance(self.dataset, TensorDataset) and self.collate_fn is default_collate:
                yield list(self.dataset[index])  # one fancy index per tensor: a batch at once
            else:
                yield self.collate_fn([self.dataset[int(i)] for i in index])


def _no_collate(example):
    """batch_size=None: each example as the dataset gives it, a plain tuple as a list (PyTorch's default_convert)."""
    return list(example) if isinstance(example, tuple) and not hasattr(example, "_fields") else example


__all__ = ["Dataset", "TensorDataset", "Subset", "ConcatDataset", "random_split", "Sampler", "SequentialSampler",
           "RandomSampler", "SubsetRandomSampler", "DataLoader", "default_collate"]


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/_missing.py)."""
    raise _missing.attribute_error('torch.utils.data', name, sys.modules[__name__])
