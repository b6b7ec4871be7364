"""What the torch-free tests of test_lr_scheduler.py share with its comparisons with PyTorch
(tests/pytorch/test_lr_scheduler.py)."""

import math

import numpy as np

import minigan
from minigan import optim

SCHEDULES = {  # name: (constructor arguments, the documented closed form of epoch t for base rate b)
    "StepLR": (dict(step_size=3, gamma=0.5), lambda b, t: b * 0.5 ** (t // 3)),
    "ExponentialLR": (dict(gamma=0.9), lambda b, t: b * 0.9**t),
    "LambdaLR": (dict(lr_lambda=lambda t: 1.0 / (1 + t)), lambda b, t: b / (1 + t)),
    "LinearLR": (dict(start_factor=0.25, end_factor=1.0, total_iters=5),
                 lambda b, t: b * (0.25 + 0.75 * min(t, 5) / 5)),
    "LinearLR_to_zero": (dict(start_factor=1.0, end_factor=0.0, total_iters=4), lambda b, t: b * (1 - min(t, 4) / 4)),
    "PolynomialLR": (dict(total_iters=6, power=2.0), lambda b, t: b * (1 - min(t, 6) / 6) ** 2),
    "CosineAnnealingWarmRestarts": (dict(T_0=3, eta_min=0.01),  # periods of 3 epochs, each from the top
                                    lambda b, t: 0.01 + (b - 0.01) * (1 + math.cos(math.pi * (t % 3) / 3)) / 2),
    "CosineAnnealingWarmRestarts_doubling": (dict(T_0=2, T_mult=2),  # restarts at 2, 6, 14: periods 2, 4, 8
                                             lambda b, t: b * (1 + math.cos(math.pi * _phase(t))) / 2),
}


def _phase(t, first=2):
    """How far epoch t is into its SGDR period (0 at a restart, towards 1), when periods double from ``first``."""
    start, length = 0, first
    while t >= start + length:
        start, length = start + length, length * 2
    return (t - start) / length


def params(n=2):
    return [minigan.tensor(np.ones(3, np.float32), requires_grad=True) for _ in range(n)]


def two_groups(cls=optim.SGD, ps=None):
    ps = ps or params()
    return cls([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.1}], lr=0.5)


def lr_sequence(scheduler, opt, epochs=14):
    seen = []
    for _ in range(epochs):
        seen.append(scheduler.get_last_lr())
        opt.step()
        scheduler.step()
    return seen
