"""What the torch-free tests of test_gather_sort.py share with its comparisons with PyTorch
(tests/pytorch/test_gather_sort.py)."""

import numpy as np

RNG = np.random.default_rng(0)
X = RNG.normal(size=(3, 4, 5))
