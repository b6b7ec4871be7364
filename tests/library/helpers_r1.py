"""What the torch-free tests of test_r1.py share with its comparisons with PyTorch
(tests/pytorch/test_r1.py)."""

import minigan
import minigan.nn as nn
from minigan.gans.gan import GAN


def _gan(D, r1):
    G = nn.Linear(2, 2)
    return GAN(G, D, minigan.optim.SGD(G.parameters(), lr=0.1), minigan.optim.SGD(D.parameters(), lr=0.1), 2, r1=r1)
