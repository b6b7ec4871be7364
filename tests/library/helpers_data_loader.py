"""What the torch-free tests of test_data_loader.py share with its comparisons with PyTorch
(tests/pytorch/test_data_loader.py)."""

import numpy as np

import minigan
from minigan.utils.data import Dataset

N = 23  # not a multiple of the batch size: the last batch is short


class Squares(Dataset):
    """A map-style dataset in the tutorial style: __getitem__ returns (features, label)."""

    def __len__(self):
        return 7

    def __getitem__(self, i):
        return minigan.from_numpy(np.array([i, i * i], np.float32)), i
