"""The inputs of the torch-free tests of test_prod.py: factors with zeros among them (its comparisons with PyTorch:
tests/pytorch/test_rows.py, the rows of prod and cumprod, zeros among their drawn factors)."""

import numpy as np

rng = np.random.default_rng(0)


def _input(shape):
    x = rng.standard_normal(shape)
    if x.size > 2:
        x.flat[[1, 3 % x.size]] = 0.0  # zeros: their product's gradient is what exp(Σ log) cannot give
    return x
