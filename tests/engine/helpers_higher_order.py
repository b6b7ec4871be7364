"""What the torch-free tests of test_higher_order.py share with its comparisons with PyTorch
(tests/pytorch/test_higher_order.py)."""

import numpy as np

import minigan
import minigan.engine.ops


def _leaves(arrays_):
    return [minigan.tensor(a, dtype=np.float64, requires_grad=True) for a in arrays_]
