"""What the torch-free tests of test_pool_bn_options.py share with its comparisons with PyTorch
(tests/pytorch/test_pool_bn_options.py)."""

import numpy as np


def _distinct(shape, seed=3):
    """Well-separated values in random order: no ties, so finite differences never move a maximum."""
    n = int(np.prod(shape))
    rng = np.random.default_rng(seed)
    return rng.permutation(np.linspace(-2.0, 2.0, n)).reshape(shape)


SECOND_ORDER = [  # name, call(f, a) with f minigan's functional or torch's
    ("max dilation ceil", lambda f, a: f.max_pool2d(a, 3, 2, 1, 2, True)),
    ("max rect ceil", lambda f, a: f.max_pool2d(a, (2, 3), (3, 2), (1, 1), 1, True)),
    ("avg ceil", lambda f, a: f.avg_pool2d(a, 3, 2, 1, True)),
    ("avg exclude pad ceil", lambda f, a: f.avg_pool2d(a, 3, 2, 1, True, False)),
    ("avg divisor_override", lambda f, a: f.avg_pool2d(a, (3, 2), (2, 3), (1, 1), True, True, 4)),
    ("max 1d", lambda f, a: f.max_pool1d(a.reshape(2, 3, -1), 3, 2, 1, 2, True)),
    ("avg 1d", lambda f, a: f.avg_pool1d(a.reshape(2, 3, -1), 3, 2, 1, True, False)),
]
