"""What the torch-free tests of test_linalg.py share with its comparisons with PyTorch
(tests/pytorch/test_linalg.py)."""

import numpy as np

RNG = np.random.default_rng(0)
A, V = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(5,))
