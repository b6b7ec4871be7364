"""What the torch-free tests of test_optim_surface.py share with its comparisons with PyTorch
(tests/pytorch/test_optim_surface.py)."""

import numpy as np

import minigan

SHAPES = [(3, 4), (5,), ()]


def make_params(seed=0):
    rng = np.random.default_rng(seed)
    return [minigan.tensor(rng.standard_normal(s), requires_grad=True) for s in SHAPES]


def grad_sequence(steps, seed=1, scale=1.0):
    rng = np.random.default_rng(seed)
    return [[np.asarray(scale * rng.standard_normal(s)) for s in SHAPES] for _ in range(steps)]


CASES = [
    ("AdamW", dict()),
    ("AdamW", dict(lr=0.01, betas=(0.5, 0.9), weight_decay=0.1)),
    ("AdamW", dict(lr=0.01, weight_decay=0.05, amsgrad=True)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.01, eps=1e-3)),
    ("Adagrad", dict()),
    ("Adagrad", dict(lr=0.1, lr_decay=0.01, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-6)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.8, eps=1e-4, weight_decay=0.01)),
    ("Adamax", dict()),
    ("Adamax", dict(lr=0.01, betas=(0.5, 0.9), eps=1e-3, weight_decay=0.01)),
    ("RAdam", dict()),
    ("RAdam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01)),
    ("RAdam", dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True)),
    ("NAdam", dict()),
    ("NAdam", dict(lr=0.01, betas=(0.8, 0.9), weight_decay=0.01, momentum_decay=0.01)),
    ("NAdam", dict(lr=0.01, weight_decay=0.05, decoupled_weight_decay=True, eps=1e-4)),
]
