"""What the torch-free tests of test_module_hooks_and_io.py share with its comparisons with PyTorch
(tests/pytorch/test_module_hooks_and_io.py)."""

import numpy as np


def _linear(lib, n_in, n_out, seed=0):
    """A Linear with the same weights in both libraries."""
    layer = lib.nn.Linear(n_in, n_out)
    rng = np.random.default_rng(seed)
    with lib.no_grad():
        layer.weight.copy_(lib.tensor(rng.standard_normal((n_out, n_in)).astype(np.float32)))
        layer.bias.copy_(lib.tensor(rng.standard_normal(n_out).astype(np.float32)))
    return layer
