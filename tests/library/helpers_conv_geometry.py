"""What the torch-free tests of test_conv_geometry.py share with its comparisons with PyTorch
(tests/pytorch/test_conv.py)."""

import numpy as np

rng = np.random.default_rng(0)
