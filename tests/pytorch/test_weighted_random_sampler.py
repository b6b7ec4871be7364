"""utils.data.WeightedRandomSampler against PyTorch: the draws' frequencies follow the weights (both libraries,
measured over many draws), without replacement each index comes once, a seeded generator repeats its epoch, a
DataLoader takes it as its sampler, and the refusals are PyTorch's classes."""

from __future__ import annotations

import numpy as np
import pytest

import minigan
from minigan.utils.data import DataLoader, TensorDataset, WeightedRandomSampler

torch = pytest.importorskip("torch", reason="needs torch (a test-only oracle)")


@pytest.mark.parametrize("weights", [[1.0, 2.0, 3.0, 4.0], [0.0, 5.0, 0.0, 1.0, 4.0], [0.1] * 3 + [0.7]])
def test_frequencies_follow_the_weights(weights):
    n, p = 20_000, np.asarray(weights) / np.sum(weights)
    for lib, sampler in ((minigan, WeightedRandomSampler), (torch, torch.utils.data.WeightedRandomSampler)):
        lib.manual_seed(0)
        counts = np.bincount(list(sampler(weights, n)), minlength=len(weights))
        assert counts[p == 0].sum() == 0
        # 5 standard deviations of a binomial count: a wrong distribution (uniform, or a shifted index) fails
        assert np.all(np.abs(counts - n * p) <= 5 * np.sqrt(n * p * (1 - p)) + 1e-9), (lib.__name__, counts, n * p)


def test_without_replacement_and_generator():
    weights = minigan.tensor([1.0, 1.0, 5.0, 0.5, 2.0], dtype=minigan.float32)
    for _ in range(20):
        drawn = list(WeightedRandomSampler(weights, 5, replacement=False))
        assert sorted(drawn) == [0, 1, 2, 3, 4]
    s = WeightedRandomSampler(weights, 7, generator=minigan.Generator().manual_seed(3))
    again = WeightedRandomSampler(weights, 7, generator=minigan.Generator().manual_seed(3))
    assert list(s) == list(again) and len(s) == 7 and s.weights.dtype == minigan.float64


def test_a_dataloader_samples_with_it():
    x = minigan.arange(6.0)
    loader = DataLoader(TensorDataset(x), batch_size=4, sampler=WeightedRandomSampler([0, 0, 1, 0, 0, 0], 8))
    batches = [b[0].tolist() for b in loader]
    assert batches == [[2.0] * 4, [2.0] * 4]


@pytest.mark.parametrize("args", [([[1.0, 2.0]], 3), ([1.0, 2.0], 0), ([1.0, 2.0], True), ([1.0, 2.0], 2.0),
                                  ([1.0, 2.0], 3, 1), ([1.0, -1.0], 2), ([0.0, 0.0], 2), ([1.0, 2.0], 3, False)])
def test_refusals_as_pytorch(args):
    kinds = []
    for sampler in (torch.utils.data.WeightedRandomSampler, WeightedRandomSampler):
        with pytest.raises(Exception) as caught:
            list(sampler(*args))
        kinds.append(caught.type)
    assert issubclass(kinds[1], kinds[0]), kinds
