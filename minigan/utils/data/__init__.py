"""Datasets and the mini-batch loader, named as in ``torch.utils.data``::

    from minigan.utils.data import DataLoader, TensorDataset

    loader = DataLoader(TensorDataset(images, labels), batch_size=64, shuffle=True, drop_last=True)
    for epoch in range(epochs):
        for x, y in loader:          # x (64, 1, 8, 8) float32 Tensor, y (64,) int64 Tensor
            ...

As in PyTorch, a DataLoader is a sampler (``loader.sampler``: the indices of an epoch, in order, or in a fresh
random order each epoch with ``shuffle=True``), cut into lists of ``batch_size`` indices (``loader.batch_sampler``;
the last one shorter, or dropped with ``drop_last=True``), each fetched from the dataset and joined by
``collate_fn``.  The random order comes from ``generator`` when one is given (a seeded ``minigan.Generator`` or
``numpy.random.Generator``), otherwise from minigan's own generator, so ``minigan.manual_seed(s)`` makes the
whole run repeat.  Everything is loaded in this process: ``num_workers``, ``pin_memory`` and the other worker
settings are accepted (and checked as PyTorch checks them) so that PyTorch scripts run, and change nothing.
"""

from __future__ import annotations

import bisect
import collections.abc
import copy
import importlib
import math
import sys
import warnings
from typing import Generic, TypeVar

from minigan.engine import backend
from minigan.engine.errors import DatasetError, DimensionError, ShapeError
from minigan.functional import stack
from minigan.surface import missing as _missing
from minigan.surface import random
from minigan.surface.sampling import multinomial
from minigan.surface.tensor import Tensor, share_array, tensor

_T_co = TypeVar("_T_co", covariant=True)  # (so that ``Dataset[Tensor]`` can be written in annotations, as in PyTorch)


class Dataset(Generic[_T_co]):
    """An indexable collection of examples: a subclass defines ``__getitem__(i)`` and, for the default samplers,
    ``__len__()`` (there is no default one, as in PyTorch: ``len()`` of a dataset without it is a TypeError).
    ``a + b`` is ``ConcatDataset([a, b])``.  A subclass may define ``__getitems__(indices)``, the examples at a
    list of indices at once, which the DataLoader then uses for each batch."""

    def __getitem__(self, index):
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def __add__(self, other):
        return ConcatDataset([self, other])


class TensorDataset(Dataset):
    """Tensors that share their first dimension; example i is ``(t[i] for t in tensors)``.

    NumPy arrays are taken as well (as ``from_numpy``: same dtype, no copy).
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError("TensorDataset: expected at least one tensor")
        tensors = tuple(share_array(t) if backend.is_array(t) else t for t in tensors)
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(f"TensorDataset: argument {i} is a {type(t).__name__}, expected a Tensor or an array")
            if t.ndim == 0:  # (PyTorch: the IndexError of t.size(0))
                raise DimensionError(f"TensorDataset: tensor {i} is 0-dimensional; it needs a first dimension "
                                     "(the examples)")
            if t.shape[0] != tensors[0].shape[0]:  # (PyTorch: AssertionError("Size mismatch between tensors"))
                raise DatasetError(f"TensorDataset: size mismatch between tensors: tensor {i} has shape "
                                   f"{tuple(t.shape)}, but tensor 0 has shape {tuple(tensors[0].shape)}; all must have "
                                   "the same first dimension (the examples)")
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self):
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The examples of ``dataset`` at ``indices`` (kept as given), in that order.  ``subset[list]`` asks the
    dataset for that list of its own indices at once, as PyTorch's does."""

    def __init__(self, dataset, indices):
        self.dataset, self.indices = dataset, indices
        # The DataLoader fetches batches through __getitems__, which would silently skip an overridden
        # __getitem__: PyTorch refuses that subclass, and so does minigan.
        if type(self).__getitem__ is not Subset.__getitem__ and type(self).__getitems__ is Subset.__getitems__:
            raise NotImplementedError(f"{type(self).__name__} overrides __getitem__ but not __getitems__, which "
                                      "the DataLoader uses; define __getitems__(self, indices) as well, e.g. "
                                      "return [self[i] for i in indices]")

    def __getitem__(self, index):
        if isinstance(index, list):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __getitems__(self, indices):
        """The examples at a list of indices (what the DataLoader asks for each batch)."""
        getitems = getattr(self.dataset, "__getitems__", None)
        if callable(getitems):
            return getitems([self.indices[i] for i in indices])
        return [self.dataset[self.indices[i]] for i in indices]

    def __len__(self):
        return len(self.indices)


class ConcatDataset(Dataset):
    """Several datasets one after the other; ``cumulative_sizes[k]`` is the number of examples in the first k + 1."""

    @staticmethod
    def cumsum(sequence):
        """The running totals of the lengths of ``sequence``'s items."""
        totals, total = [], 0
        for item in sequence:
            total += len(item)
            totals.append(total)
        return totals

    def __init__(self, datasets):
        self.datasets = list(datasets)
        if not self.datasets:  # (PyTorch: an AssertionError)
            raise DatasetError("ConcatDataset: expected at least one dataset")
        self.cumulative_sizes = self.cumsum(self.datasets)

    def __len__(self):
        return self.cumulative_sizes[-1]

    def __getitem__(self, index):
        if index < 0:
            if -index > len(self):  # (a ValueError in PyTorch, not an IndexError)
                raise ValueError(f"ConcatDataset: index {index}: the absolute value of an index must not exceed "
                                 f"the dataset's length {len(self)}")
            index += len(self)
        which = bisect.bisect_right(self.cumulative_sizes, index)  # the first dataset that ends after index
        if which == len(self.datasets):
            raise IndexError(f"ConcatDataset: index {index} is out of range for {len(self)} examples")
        start = self.cumulative_sizes[which - 1] if which > 0 else 0
        return self.datasets[which][index - start]


def random_split(dataset, lengths, generator=None):
    """Split ``dataset`` into non-overlapping Subsets of the given lengths, or of fractions that add up to 1 (each
    ``floor(fraction * len(dataset))``, the remainder given out one by one from the first), in a random order from
    ``generator`` (a ``minigan.Generator`` or ``numpy.random.Generator``) or minigan's seeded generator."""
    n = len(dataset)
    lengths = list(lengths)
    if math.isclose(sum(lengths), 1) and sum(lengths) <= 1:  # PyTorch's test for fractions ([1] is one as well)
        for i, fraction in enumerate(lengths):
            if not 0 <= fraction <= 1:
                raise ValueError(f"random_split: the fraction at index {i} ({fraction}) is not between 0 and 1")
        counts = [math.floor(n * fraction) for fraction in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
        for i, count in enumerate(counts):
            if count == 0:
                warnings.warn(f"Length of split at index {i} is 0. This might result in an empty dataset.",
                              stacklevel=2)
        lengths = counts
    if sum(lengths) != n or any(v < 0 for v in lengths):
        raise ValueError(f"random_split: the lengths {lengths} must be >= 0 and add up to the dataset's {n} "
                         "examples (or be fractions that add up to 1)")
    order = random.permutation(n, xp=backend.np, gen=generator).tolist()  # (Python ints, as PyTorch's)
    out, start = [], 0
    for length in lengths:
        out.append(Subset(dataset, order[start:start + length]))
        start += length
    return out


class Sampler(Generic[_T_co]):
    """An iterable of dataset indices (a DataLoader's ``sampler=``), or of lists of them (``batch_sampler=``).
    A subclass defines ``__iter__`` and, for ``len(loader)``, ``__len__`` (no default one, as in PyTorch)."""

    def __iter__(self):
        raise NotImplementedError(f"{type(self).__name__} must define __iter__")


class SequentialSampler(Sampler):
    """The indices 0, 1, ..., len(data_source) - 1."""

    def __init__(self, data_source):
        self.data_source = data_source

    def __iter__(self):
        return iter(range(len(self.data_source)))

    def __len__(self):
        return len(self.data_source)


class RandomSampler(Sampler):
    """Random indices of ``data_source``, drawn when iteration starts, from ``generator`` or minigan's generator.

    Without replacement: a shuffled order of all the indices (``num_samples`` larger than the dataset: several
    orders one after the other, the last one cut short).  With ``replacement=True``: ``num_samples`` indices each
    drawn uniformly.  ``num_samples`` defaults to the dataset's current length.
    """

    def __init__(self, data_source, replacement=False, num_samples=None, generator=None):
        self.data_source, self.replacement, self.generator = data_source, replacement, generator
        self._num_samples = num_samples  # (None: follow the dataset's length, see num_samples)
        if not isinstance(replacement, bool):
            raise TypeError(f"RandomSampler: replacement must be True or False, got {replacement!r}")
        if not isinstance(self.num_samples, int) or self.num_samples <= 0:
            raise ValueError(f"RandomSampler: num_samples must be a positive int, got {self.num_samples!r}"
                             + (" (the dataset is empty)" if num_samples is None else ""))
        if generator is not None:
            random.stream(generator)  # (refuses anything but a minigan or NumPy generator)

    @property
    def num_samples(self):
        """How many indices an epoch gives (the dataset's length unless ``num_samples`` was given)."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def __iter__(self):  # a generator: nothing is drawn before the first index is asked for, as in PyTorch
        n = len(self.data_source)
        generator = self.generator  # (without one: a stream of its own, seeded by a draw from minigan's, as PyTorch's)
        if generator is None:
            generator = random.Twister(int(random.random_bits((), backend.np.int64, backend.np)))
        if self.replacement:  # (drawn 32 at a time, as PyTorch's)
            for count in [32] * (self.num_samples // 32) + [self.num_samples % 32]:
                yield from random.randint(0, n, (count,), backend.np, generator).tolist()
            return
        for _ in range(self.num_samples // n):
            yield from random.permutation(n, xp=backend.np, gen=generator).tolist()
        yield from random.permutation(n, xp=backend.np, gen=generator)[:self.num_samples % n].tolist()

    def __len__(self):
        return self.num_samples


class SubsetRandomSampler(Sampler):
    """The given indices (kept as given), in a fresh random order each epoch."""

    def __init__(self, indices, generator=None):
        self.indices, self.generator = indices, generator
        if generator is not None:
            random.stream(generator)  # (refuses anything but a minigan or NumPy generator)

    def __iter__(self):
        for i in random.permutation(len(self.indices), xp=backend.np, gen=self.generator).tolist():
            yield self.indices[i]

    def __len__(self):
        return len(self.indices)


class WeightedRandomSampler(Sampler):
    """``num_samples`` indices into ``weights`` drawn each epoch with probabilities proportional to the weights
    (``replacement=False``: each index at most once), as PyTorch's: ``multinomial`` over the weights in float64.
    The usual use: weights 1/(the size of each example's class), for a balanced stream from unbalanced data."""

    def __init__(self, weights, num_samples, replacement=True, generator=None):
        if isinstance(num_samples, bool) or not isinstance(num_samples, int) or num_samples <= 0:
            raise ValueError(f"WeightedRandomSampler: num_samples must be a positive int, got {num_samples!r}")
        if not isinstance(replacement, bool):
            raise ValueError(f"WeightedRandomSampler: replacement must be True or False, got {replacement!r}")
        weights = tensor(weights.detach().numpy() if isinstance(weights, Tensor) else weights, dtype=backend.np.float64)
        if weights.ndim != 1:
            raise ValueError(f"WeightedRandomSampler: weights must be a 1-d sequence, got shape {tuple(weights.shape)}")
        if generator is not None:
            random.stream(generator)  # (refuses anything but a minigan or NumPy generator)
        self.weights, self.num_samples, self.replacement, self.generator = weights, num_samples, replacement, generator

    def __iter__(self):
        yield from multinomial(self.weights, self.num_samples, self.replacement, generator=self.generator).tolist()

    def __len__(self):
        return self.num_samples


class BatchSampler(Sampler):
    """The indices of ``sampler`` in lists of ``batch_size`` (the last one shorter, or dropped with ``drop_last``),
    as PyTorch's.  What a DataLoader builds as its ``batch_sampler``."""

    def __init__(self, sampler, batch_size, drop_last):
        if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size <= 0:
            raise ValueError(f"batch_size must be a positive int, got {batch_size!r}")
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last must be True or False, got {drop_last!r}")
        self.sampler, self.batch_size, self.drop_last = sampler, batch_size, drop_last

    def __iter__(self):
        batch = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self):
        n = len(self.sampler)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)


def _is_text(array) -> bool:
    """An array of strings or Python objects, which no tensor can hold."""
    return array.dtype.kind in "SUO"


def default_collate(batch):
    """Join a list of examples into one batch, as PyTorch's default: Tensors and arrays are stacked along a new
    first axis, NumPy scalars keep their dtype, Python ints (and bools) become a Tensor as ``tensor()`` makes one,
    floats a float64 Tensor, strings stay a list of strings; mappings (keeping their type: an OrderedDict stays
    one), named tuples, lists and tuples (which become lists) are collated field by field."""
    first = batch[0]
    if isinstance(first, Tensor):
        return stack(batch, axis=0)
    if backend.is_array(first):
        if _is_text(first):
            raise TypeError(f"default_collate: cannot batch arrays of dtype {first.dtype} (strings or objects); "
                            "pass a collate_fn")
        return share_array(backend.get_array_module(first).stack(batch))
    if isinstance(first, (backend.np.bool_, backend.np.number)):  # (before float: np.float64 is a float)
        return share_array(backend.np.asarray(batch))
    if isinstance(first, float):
        return share_array(backend.np.asarray(batch, dtype=backend.np.float64))
    if isinstance(first, int):  # bool is an int: [True, False] gives a bool Tensor
        return tensor(batch, device="cpu")
    if isinstance(first, (str, bytes)):  # file names, captions: kept as they are
        return batch
    if isinstance(first, collections.abc.Mapping):
        fields = {key: default_collate([example[key] for example in batch]) for key in first}
        return _same_container(first, fields)
    if isinstance(first, tuple) and hasattr(first, "_fields"):  # a named tuple keeps its type
        return type(first)(*(default_collate(field) for field in zip(*batch)))
    if isinstance(first, collections.abc.Sequence):
        if any(len(example) != len(first) for example in batch):  # (PyTorch: a RuntimeError)
            raise ShapeError(f"default_collate: the examples of a batch have different numbers of fields "
                             f"({sorted({len(example) for example in batch})}); each must have as many")
        fields = [default_collate(field) for field in zip(*batch)]
        return fields if isinstance(first, tuple) else _same_container(first, fields)
    raise TypeError(f"default_collate: cannot batch examples of type {type(first).__name__}; expected "
                    "Tensors, arrays, numbers, strings, or tuples/lists/dicts of them (or pass a collate_fn)")


def default_convert(data):
    """PyTorch's default_convert, what a DataLoader with ``batch_size=None`` applies to each example: NumPy arrays
    and scalars become Tensors (sharing memory), inside mappings, named tuples and lists too; a tuple becomes a
    list; anything else is left as it is."""
    if isinstance(data, Tensor):
        return data
    if backend.is_array(data):
        return data if _is_text(data) else share_array(data)
    if backend.is_numpy_scalar(data) and not isinstance(data, (str, bytes)):  # (np.str_ is a str)
        return share_array(backend.np.asarray(data))
    if isinstance(data, collections.abc.Mapping):
        return _same_container(data, {key: default_convert(data[key]) for key in data})
    if isinstance(data, tuple) and hasattr(data, "_fields"):
        return type(data)(*(default_convert(d) for d in data))
    if isinstance(data, tuple):
        return [default_convert(d) for d in data]
    if isinstance(data, collections.abc.Sequence) and not isinstance(data, (str, bytes)):
        return _same_container(data, [default_convert(d) for d in data])
    return data


def _same_container(like, items):
    """``items`` (a dict or a list) in a container of ``like``'s type, as PyTorch does: a copy of ``like`` with its
    items replaced when it is mutable (an OrderedDict, a defaultdict, a list subclass), ``type(like)(items)``
    otherwise, and the plain dict or list when that type cannot be built that way."""
    try:
        if isinstance(like, (collections.abc.MutableMapping, collections.abc.MutableSequence)):
            clone = copy.copy(like)
            if isinstance(like, collections.abc.MutableMapping):
                clone.update(items)
            else:
                for i, item in enumerate(items):
                    clone[i] = item
            return clone
        return type(like)(items)
    except TypeError:
        return items


class DataLoader(Generic[_T_co]):
    """Iterate over ``dataset`` in mini-batches: ``for x, y in DataLoader(data, batch_size=64, shuffle=True)``,
    with PyTorch's arguments in PyTorch's order, and PyTorch's attributes.

    ``sampler``: the indices of an epoch (any iterable with a length; default a ``SequentialSampler``, or with
    ``shuffle=True`` a ``RandomSampler`` drawing from ``generator``: a ``minigan.Generator`` or
    ``numpy.random.Generator``, default minigan's generator, seeded by ``minigan.manual_seed``).
    ``batch_sampler``: the batches themselves (lists of indices); then ``batch_size`` is None.  ``collate_fn``
    joins a list of examples into a batch (default ``default_collate``); with ``batch_size=None`` each example
    comes alone, NumPy arrays in it made Tensors (PyTorch's default_convert).  A batch is fetched with the
    dataset's ``__getitems__`` when it has one; a ``TensorDataset`` is batched in one indexing per tensor.
    Loading happens in this process: num_workers, pin_memory and the worker settings change nothing.
    """

    # As in PyTorch, these are fixed once the loader is made (changing one would leave the others inconsistent).
    _FIXED = ("batch_size", "batch_sampler", "sampler", "drop_last", "dataset", "persistent_workers")
    _initialized = False

    def __init__(self, dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, num_workers=0,
                 collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None,
                 multiprocessing_context=None, generator=None, *, prefetch_factor=None, persistent_workers=False,
                 pin_memory_device="", in_order=True):
        own_order = sampler is None and batch_sampler is None  # the loader makes the sampler: it needs len()
        if not hasattr(dataset, "__getitem__") or (own_order and not hasattr(dataset, "__len__")):
            raise TypeError(f"DataLoader: dataset must define __getitem__ and __len__, got {type(dataset).__name__}")
        shuffle = False if shuffle is None else shuffle  # (PyTorch's None)
        if batch_size is not None and (isinstance(batch_size, bool) or not isinstance(batch_size, int)
                                       or batch_size < 1):
            raise ValueError(f"DataLoader: batch_size must be a positive int, got {batch_size!r}")
        for name, flag in (("shuffle", shuffle), ("pin_memory", pin_memory)):
            if not isinstance(flag, bool):
                raise TypeError(f"DataLoader: {name} must be True or False, got {flag!r}")
        if not isinstance(drop_last, bool):  # (a ValueError in PyTorch)
            raise ValueError(f"DataLoader: drop_last must be True or False, got {drop_last!r}")
        if generator is not None:
            random.stream(generator)  # (refuses anything but a minigan or NumPy generator)
        if isinstance(num_workers, bool) or not isinstance(num_workers, int) or num_workers < 0:
            raise ValueError(f"DataLoader: num_workers must be an int >= 0, got {num_workers!r}")
        # The worker settings: unused here, but refused where PyTorch refuses them, so a script that runs here runs
        # there.
        if timeout < 0:
            raise ValueError(f"DataLoader: timeout must be >= 0, got {timeout!r}")
        if num_workers == 0 and prefetch_factor is not None:
            raise ValueError("DataLoader: prefetch_factor needs worker processes (num_workers > 0); leave it None")
        if prefetch_factor is not None and prefetch_factor < 0:
            raise ValueError(f"DataLoader: prefetch_factor must be >= 0, got {prefetch_factor!r}")
        if num_workers == 0 and persistent_workers:
            raise ValueError("DataLoader: persistent_workers needs worker processes (num_workers > 0)")
        if num_workers == 0 and multiprocessing_context is not None:
            raise ValueError("DataLoader: multiprocessing_context needs worker processes (num_workers > 0)")
        if sampler is not None and shuffle:
            raise ValueError("DataLoader: sampler and shuffle=True are mutually exclusive (the sampler sets the order)")
        if batch_sampler is not None:
            if batch_size != 1 or shuffle or sampler is not None or drop_last:
                raise ValueError("DataLoader: batch_sampler gives the batches itself: leave batch_size, shuffle, "
                                 "sampler and drop_last at their defaults")
            batch_size = None  # (as PyTorch: the batch sampler decides the sizes)
        elif batch_size is None and drop_last:
            raise ValueError("DataLoader: batch_size=None (one example at a time) cannot drop_last")
        if sampler is None:
            sampler = RandomSampler(dataset, generator=generator) if shuffle else SequentialSampler(dataset)
        if batch_size is not None:
            batch_sampler = BatchSampler(sampler, batch_size, drop_last)
        if collate_fn is None:  # batches are collated; single examples (batch_size=None) only converted
            collate_fn = default_convert if batch_sampler is None else default_collate

        self.dataset, self.batch_size, self.drop_last = dataset, batch_size, drop_last
        self.sampler, self.batch_sampler, self.generator = sampler, batch_sampler, generator
        self.collate_fn, self.num_workers = collate_fn, num_workers
        self.prefetch_factor = 2 if num_workers > 0 and prefetch_factor is None else prefetch_factor
        self.pin_memory, self.pin_memory_device, self.timeout = pin_memory, pin_memory_device, timeout
        self.worker_init_fn, self.multiprocessing_context = worker_init_fn, multiprocessing_context
        self.persistent_workers, self.in_order = persistent_workers, in_order
        self._initialized = True

    def __setattr__(self, name, value):
        if name in self._FIXED and self._initialized:
            raise ValueError(f"{name} attribute should not be set after {type(self).__name__} is initialized")
        super().__setattr__(name, value)

    def __len__(self):
        """The number of batches in an epoch (of examples with ``batch_size=None``)."""
        return len(self.sampler if self.batch_sampler is None else self.batch_sampler)

    def __iter__(self):
        """The batches of an epoch.  As PyTorch's, starting one draws a seed for the worker processes from
        ``generator`` (or minigan's stream; PyTorch seeds worker i with it + i), though loading happens here."""
        self._base_seed = int(random.random_bits((), backend.np.int64, backend.np, self.generator))
        return self._batches()

    def _batches(self):
        if self.batch_sampler is None:  # batch_size=None: one example at a time, not collated
            for index in self.sampler:
                yield self.collate_fn(self.dataset[index])
            return
        getitems = getattr(self.dataset, "__getitems__", None)
        at_once = (self.collate_fn is default_collate and isinstance(self.dataset, TensorDataset)
                   and type(self.dataset).__getitem__ is TensorDataset.__getitem__ and getitems is None)
        for indices in self.batch_sampler:
            if at_once:  # one fancy index per tensor gives the collated batch (what default_collate would make)
                yield list(self.dataset[backend.np.asarray(indices, dtype=backend.np.int64)])
            elif getitems:
                yield self.collate_fn(getitems(indices))
            else:
                yield self.collate_fn([self.dataset[i] for i in indices])


__all__ = ["Dataset", "TensorDataset", "Subset", "ConcatDataset", "random_split", "Sampler", "SequentialSampler",
           "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler", "DataLoader",
           "default_collate", "default_convert"]


# PyTorch's modules of the package (``from torch.utils.data import sampler``), imported last: they import from it
for _module in ("dataloader", "dataset", "sampler"):
    importlib.import_module(f"{__name__}.{_module}")  # (an imported submodule is its package's attribute)


def __getattr__(name):
    """A PyTorch name minigan does not have: one line saying what to use instead (minigan/surface/missing.py)."""
    raise _missing.attribute_error('torch.utils.data', name, sys.modules[__name__])
