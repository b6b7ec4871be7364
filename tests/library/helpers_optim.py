"""What the torch-free tests of test_optim.py share with its comparisons with PyTorch
(tests/pytorch/test_optim.py)."""

import numpy as np

import minigan

SHAPES = [(3, 4), (5,), ()]


def make_params(seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    return [minigan.tensor(rng.standard_normal(s).astype(dtype), requires_grad=True) for s in SHAPES]


def grad_sequence(steps, seed=1, scale=1.0):
    rng = np.random.default_rng(seed)
    return [[np.asarray(scale * rng.standard_normal(s)) for s in SHAPES] for _ in range(steps)]
