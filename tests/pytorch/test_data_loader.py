"""``minigan.utils.data``: Dataset, TensorDataset, DataLoader (batching, shuffling, seeding, collation),
against PyTorch's where it is installed, and a standard training loop that learns through it.

(Its torch-free tests: tests/library/test_data_loader.py.)"""

import numpy as np
import pytest
from library.helpers_data_loader import N, Squares

import minigan
from minigan.utils.data import DataLoader, TensorDataset, default_collate
from pytorch.oracle import HAVE_TORCH

if HAVE_TORCH:
    import torch
    import torch.utils.data as tdata

needs_torch = pytest.mark.skipif(not HAVE_TORCH, reason="needs torch (a test-only oracle)")


@needs_torch
def test_batches_and_collation_match_torch():
    x = np.random.default_rng(0).standard_normal((N, 3)).astype(np.float32)
    y = np.arange(N)
    ours = DataLoader(TensorDataset(minigan.from_numpy(x), minigan.from_numpy(y)), batch_size=5)
    theirs = tdata.DataLoader(tdata.TensorDataset(torch.from_numpy(x), torch.from_numpy(y)), batch_size=5)
    for (xb, yb), (txb, tyb) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(xb.detach().numpy(), txb.detach().numpy())
        np.testing.assert_array_equal(yb.detach().numpy(), tyb.detach().numpy())
        assert str(xb.dtype) == str(txb.dtype).replace("torch.", "minigan.")
    samples = [(np.ones(2, np.float32), 3, 0.5), (np.zeros(2, np.float32), 4, 1.5)]
    for a, b in zip(default_collate(samples), tdata.default_collate(samples)):
        assert a.shape == tuple(b.shape) and str(a.dtype) == str(b.dtype).replace("torch.", "minigan.")
    assert len(DataLoader(Squares(), batch_size=3, drop_last=True)) == len(
        tdata.DataLoader(Squares(), batch_size=3, drop_last=True))
