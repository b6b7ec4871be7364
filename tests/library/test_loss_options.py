"""The losses' PyTorch options without PyTorch: a bad weight, ignore_index, label_smoothing or target is refused with
a clear error of PyTorch's class.

(Its comparisons with PyTorch: tests/pytorch/test_losses.py.)"""

import numpy as np
import pytest

import minigan


def test_bad_loss_options_raise_clear_errors():
    F = minigan.nn.functional  # noqa: N806
    z = minigan.tensor(np.zeros((2, 3)))
    with pytest.raises(TypeError, match="weight must be a Tensor or None"):
        F.binary_cross_entropy(z.sigmoid(), z, "sum")  # the reduction given where PyTorch puts weight
    with pytest.raises(ValueError, match="label_smoothing must be in"):
        F.cross_entropy(z, [0, 1], label_smoothing=1.5)
    with pytest.raises(ValueError, match="label 3 is out of range"):
        F.cross_entropy(z, [0, 3], ignore_index=1)
