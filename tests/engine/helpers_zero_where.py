"""What the torch-free tests of test_zero_where.py share with its comparisons with PyTorch
(tests/pytorch/test_zero_where.py)."""

import numpy as np

SPECIALS = [0.0, -0.0, 1.0, -1.0, np.inf, -np.inf, np.nan, -np.nan, 1e-40, -1e-40, 6e4, -6e4]


def _bits(x):
    x = np.asarray(x)
    return x.view(f"i{x.itemsize}")


def _gradients(rng, dtype, shape):
    values = np.array(SPECIALS + list(rng.standard_normal(12)))
    with np.errstate(invalid="ignore", over="ignore"):
        pool = np.concatenate([values, np.array([np.inf]) - np.array([np.inf])]).astype(dtype)  # x86's NaN: sign set
    return rng.choice(pool, size=shape)
