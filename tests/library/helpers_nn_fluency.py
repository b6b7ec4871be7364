"""What the torch-free tests of test_nn_fluency.py share with its comparisons with PyTorch
(tests/pytorch/test_nn_fluency.py)."""

import numpy as np

import minigan
from minigan import nn


def leaf(a):
    return minigan.tensor(np.asarray(a, dtype=np.float64), requires_grad=True)


# ----------------------------------------------------------------------------- loss modules
RNG = np.random.default_rng(0)
LOGITS, LABELS = RNG.standard_normal((5, 4)), np.array([0, 3, 3, 1, 2])
X, Y = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))


# ----------------------------------------------------------------------------- Module tree
class Net(nn.Module):
    def __init__(self, lib):
        super().__init__()
        self.features = lib.Sequential(lib.Conv2d(1, 2, 3), lib.BatchNorm2d(2), lib.ReLU(), lib.MaxPool2d(2))
        self.head = lib.Sequential(lib.Flatten(), lib.Linear(2, 3))

    def forward(self, x):
        return self.head(self.features(x))
