"""What the torch-free tests of test_optim_arguments.py share with its comparisons with PyTorch
(tests/pytorch/test_optim_arguments.py)."""

import numpy as np

import minigan

NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam"]
SHAPES = [(3, 4), (5,), ()]


def make_params(seed=0):
    rng = np.random.default_rng(seed)
    return [minigan.tensor(rng.standard_normal(s), requires_grad=True) for s in SHAPES]


def grad_sequence(steps, seed=1):
    rng = np.random.default_rng(seed)
    return [[np.asarray(rng.standard_normal(s)) for s in SHAPES] for _ in range(steps)]


def groups_without_params(opt):
    return [{k: v for k, v in g.items() if k != "params"} for g in opt.param_groups]


BASE = {"SGD": dict(lr=0.05, momentum=0.9), "Adam": dict(lr=0.01), "AdamW": dict(lr=0.01), "RMSprop": dict(lr=0.01),
        "Adagrad": dict(lr=0.1), "Adadelta": dict(), "Adamax": dict(), "NAdam": dict(), "RAdam": dict()}
