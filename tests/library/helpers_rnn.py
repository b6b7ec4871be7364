"""What the torch-free tests of test_rnn.py share with its comparisons with PyTorch
(tests/pytorch/test_rnn.py)."""

import numpy as np

rng = np.random.default_rng(0)
